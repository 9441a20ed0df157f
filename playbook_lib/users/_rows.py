"""Private machinery shared by the modules of :mod:`playbook_lib.users`.

Paid order rows as arrays (:func:`_paid_rows` validates the orders table once and codes the
customers 0..n-1), per-customer minima and maxima, calendar days and period ordinals of int64
nanosecond timestamps. Nothing here is public; the public functions live in the topic modules.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from .._checks import datetime_ns, numeric_values
from .._orders import PAID_STATUSES, paid_mask
from ..data.schema import MEMBER_TIERS
from ..errors import DataValidationError, format_examples, require_columns, require_non_empty

_NS_PER_DAY = 86_400 * 10**9
_NS_PER_HOUR = 3_600 * 10**9
_PERIOD_FREQS = ("W", "M", "Q")


def _ts_ns(ts: pd.Timestamp) -> int:
    """A Timestamp as int64 nanoseconds since the epoch."""
    return int(ts.as_unit("ns").value)


@dataclass(frozen=True)
class _Rows:
    """Paid order rows as arrays: customer codes, times (ns), amounts; plus the customers."""

    codes: np.ndarray
    ts: np.ndarray
    amount: np.ndarray | None
    customers: pd.Index

    @property
    def n_customers(self) -> int:
        return len(self.customers)


def _paid_rows(orders: pd.DataFrame, *, func: str, customer_col: str, ts_col: str,
               amount_col: str | None, status_col: str | None, as_of: pd.Timestamp | None = None,
               end: pd.Timestamp | None = None, as_of_name: str = "as_of",
               shown=None) -> _Rows:
    """Validate ``orders`` once and return its paid rows before ``as_of`` (or up to ``end``).

    ``as_of`` excludes orders at or after it; ``end`` keeps orders up to and including it.
    ``shown`` is the date quoted in errors (default ``as_of`` or ``end``). Customers are coded
    0..n-1 in sorted customer id order.
    """
    cols = [customer_col, ts_col] + ([amount_col] if amount_col else [])
    require_columns(orders, cols, table="orders", func=func)
    require_non_empty(orders, table="orders", func=func, what="orders")
    missing_ids = orders[customer_col].isna().to_numpy()
    if missing_ids.any():
        raise DataValidationError(
            f"{func}: column '{customer_col}' of table 'orders' has {int(missing_ids.sum())} "
            f"missing value(s) (rows {format_examples(orders.index[missing_ids])}). "
            f"Every order needs its customer; drop guest orders or give them an id."
        )
    ts = datetime_ns(orders, ts_col, table="orders", func=func)
    amount = numeric_values(orders, amount_col, table="orders", func=func) if amount_col else None
    mask = paid_mask(orders, status_col=status_col)
    if not mask.any():
        raise DataValidationError(
            f"{func}: table 'orders' has no paid orders (no row whose '{status_col}' is "
            f"{' or '.join(map(repr, PAID_STATUSES))}; statuses found: "
            f"{format_examples(orders[status_col].dropna().unique())}). "
            f"Check the status column's values."
        )
    if as_of is not None:
        keep = mask & (ts < _ts_ns(as_of))
        if not keep.any():
            first = pd.Timestamp(ts[mask].min())
            raise DataValidationError(
                f"{func}: {as_of_name}={as_of} is on or before the first paid order "
                f"({first}); there is nothing to analyse. Pick an {as_of_name} after {first}."
            )
        mask = keep
    if end is not None:
        keep = mask & (ts <= _ts_ns(end))
        if not keep.any():
            first = pd.Timestamp(ts[mask].min())
            raise DataValidationError(
                f"{func}: {as_of_name}={shown or end} is before the first paid order ({first}); "
                f"there is nothing to analyse. Pick an {as_of_name} on or after {first}."
            )
        mask = keep
    ids = orders[customer_col]
    if not mask.all():
        ids = ids[mask]
    # factorize the Series itself: arrow-backed text is hashed natively, never as objects
    codes, customers = pd.factorize(ids, sort=True)
    customers = pd.Index(customers, name=customer_col)
    return _Rows(codes=codes.astype(np.int64, copy=False), ts=ts[mask],
                 amount=None if amount is None else amount[mask], customers=customers)


def _group_min_max(codes: np.ndarray, values: np.ndarray, n: int) -> tuple[np.ndarray, np.ndarray]:
    """Per-group minimum and maximum of int64 ``values`` (groups 0..n-1, all non-empty)."""
    lo = np.full(n, np.iinfo(np.int64).max, dtype=np.int64)
    hi = np.full(n, np.iinfo(np.int64).min, dtype=np.int64)
    np.minimum.at(lo, codes, values)
    np.maximum.at(hi, codes, values)
    return lo, hi


def _day(ns: np.ndarray | int) -> np.ndarray | int:
    """Calendar day number (days since 1970-01-01) of int64 nanosecond timestamps."""
    return ns // _NS_PER_DAY


def _to_datetime_index_values(ns: np.ndarray) -> np.ndarray:
    return np.asarray(ns, dtype="int64").view("datetime64[ns]")


def _customer_stats(rows: _Rows) -> dict[str, np.ndarray]:
    n = rows.n_customers
    first, last = _group_min_max(rows.codes, rows.ts, n)
    return {"first": first, "last": last,
            "orders": np.bincount(rows.codes, minlength=n).astype(np.int64),
            "monetary": np.bincount(rows.codes, weights=rows.amount, minlength=n)}


def _period_ordinals(ns: np.ndarray, freq: str) -> np.ndarray:
    """The pandas Period ordinals of int64 nanosecond timestamps for freq W (W-SUN), M or Q."""
    days = _day(np.asarray(ns, dtype=np.int64))
    if freq == "W":
        # Weeks run Monday..Sunday; 1970-01-01 (a Thursday) is in week ordinal 1.
        return (days + 3) // 7 + 1
    lo = int(days.min()) if len(days) else 0
    span = np.arange(lo, (int(days.max()) if len(days) else 0) + 1, dtype=np.int64)
    months = span.astype("datetime64[D]").astype("datetime64[M]").astype(np.int64)
    table = months if freq == "M" else months // 3
    return table[days - lo]


def _unique_pairs(codes: np.ndarray, k: np.ndarray, n: int, width: int) -> np.ndarray:
    """Distinct ``codes * width + k`` (k in 0..width-1): a bitmap when small, else hashing."""
    keys = codes * width + k
    if n * width <= 128_000_000:
        seen = np.zeros(n * width, dtype=bool)
        seen[keys] = True
        return np.flatnonzero(seen)
    return pd.unique(keys)


def _period_index(ordinals: np.ndarray, freq: str, name: str) -> pd.PeriodIndex:
    return pd.PeriodIndex.from_ordinals(np.asarray(ordinals, dtype=np.int64), freq=freq, name=name)


def _distinct_days(rows: _Rows) -> np.ndarray:
    """Number of distinct order days per customer."""
    days = _day(rows.ts)
    lo = int(days.min())
    width = int(days.max()) - lo + 1
    pairs = _unique_pairs(rows.codes, days - lo, rows.n_customers, width)
    return np.bincount(pairs // width, minlength=rows.n_customers)


def _tier_order(present) -> list:
    """Membership tiers in the schema's order (regular, silver, gold), then other labels sorted."""
    present = list(present)
    return [t for t in MEMBER_TIERS if t in present] + sorted(t for t in present
                                                              if t not in MEMBER_TIERS)
