"""The Dataset: one shop, one pandas DataFrame per table."""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

from .schema import TABLE_ORDER, TABLES

__all__ = ["Dataset"]

# Columns that say when something happened, per table, used for the dataset's period.
_TIME_COLUMNS = {"orders": "order_ts", "traffic": "date", "marketing_spend": "date",
                 "inventory": "date", "customers": "signup_ts"}


class Dataset:
    """One shop's tables, each a DataFrame reachable as an attribute (``ds.orders``).

    Parameters
    ----------
    tables : mapping of table name to DataFrame
        Any subset of the tables in :data:`playbook_lib.data.schema.TABLES`.
    source : str
        Where the tables came from ("demo", a folder path, "generated").
    truth : dict, optional
        For generated shops, the planted stories and their parameters (``truth.json``).
    warnings : list of str, optional
        Non-fatal remarks from loading (a table missing, an unknown column).

    Examples
    --------
    >>> import pandas as pd
    >>> ds = Dataset({"orders": pd.DataFrame({"order_id": ["1"], "customer_id": ["7"],
    ...     "order_ts": pd.to_datetime(["2026-01-05 10:00"]), "net_amount": [99.0]})})
    >>> ds.tables
    ['orders']
    >>> ds.period
    (Timestamp('2026-01-05 00:00:00'), Timestamp('2026-01-05 00:00:00'))
    """

    def __init__(self, tables: Mapping[str, pd.DataFrame], source: str = "memory",
                 truth: dict | None = None, warnings: list[str] | None = None):
        unknown = [t for t in tables if t not in TABLES]
        if unknown:
            raise ValueError(f"Dataset: unknown table(s) {unknown}; known tables: {list(TABLES)}")
        order = {name: i for i, name in enumerate(TABLE_ORDER)}
        self._tables = {k: tables[k] for k in sorted(tables, key=order.__getitem__)}
        self.source = source
        self.truth = truth
        self.warnings = list(warnings or [])

    def __getattr__(self, name: str) -> pd.DataFrame:
        tables = self.__dict__.get("_tables", {})
        if name in tables:
            return tables[name]
        if name in TABLES:
            raise AttributeError(
                f"this dataset has no '{name}' table (it has: {', '.join(tables) or 'none'}). "
                f"Add {name}.csv/.parquet/.xlsx to the shop folder to use analyses that need it."
            )
        raise AttributeError(name)

    def __getitem__(self, name: str) -> pd.DataFrame:
        return getattr(self, name)

    def __contains__(self, name: str) -> bool:
        return name in self._tables

    def __repr__(self) -> str:
        rows = ", ".join(f"{k}={len(v):,}" for k, v in self._tables.items())
        return f"Dataset(source={self.source!r}, {rows})"

    @property
    def tables(self) -> list[str]:
        """Names of the tables present, in schema order."""
        return list(self._tables)

    def items(self):
        """``(name, DataFrame)`` pairs of the tables present, as in ``dict.items()``."""
        return self._tables.items()

    @property
    def period(self) -> tuple[pd.Timestamp, pd.Timestamp] | None:
        """First and last day covered.

        Taken from the orders (else traffic, spend, inventory, sign-ups).
        """
        for table, col in _TIME_COLUMNS.items():
            df = self._tables.get(table)
            if df is not None and col in df.columns and df[col].notna().any():
                s = pd.to_datetime(df[col])
                return s.min().normalize(), s.max().normalize()
        return None

    def summary(self) -> pd.DataFrame:
        """One row per table: rows, columns, and the first and last date it covers.

        Returns
        -------
        DataFrame indexed by ``table`` with columns ``zh``, ``rows``, ``columns``,
        ``first``, ``last``.
        """
        recs = []
        for name, df in self._tables.items():
            dates = [df[c] for c in df.columns
                     if pd.api.types.is_datetime64_any_dtype(df[c]) and df[c].notna().any()]
            first = min(s.min() for s in dates).normalize() if dates else pd.NaT
            last = max(s.max() for s in dates).normalize() if dates else pd.NaT
            recs.append({"table": name, "zh": TABLES[name].zh, "rows": len(df),
                         "columns": df.shape[1], "first": first, "last": last})
        return pd.DataFrame.from_records(
            recs, columns=["table", "zh", "rows", "columns", "first", "last"]).set_index("table")
