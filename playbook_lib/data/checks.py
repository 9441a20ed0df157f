"""Check a shop's tables against the schema and against each other.

:func:`validate` reports every problem, not the first: per table, column and rule, how many
rows break it, up to five examples (the row number a person sees in the file, and the value)
and how to fix it. Column rules (kind, required values, ranges, allowed values, unique keys)
are pandera schemas built from :mod:`playbook_lib.data.schema`; rules that span columns or
tables (references, order totals, dates in order) are written out below because they need
more than one frame.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import pandera.pandas as pa
from pandera.errors import SchemaErrors

from .._frames import isin
from ..errors import DataValidationError, format_examples
from .dataset import Dataset
from .io import MAX_EXAMPLES, LoadReport, Problem, read_folder, resolve_source
from .schema import TABLES, Column, Table

__all__ = ["Problem", "ValidationReport", "validate", "pandera_schema"]

MONEY_TOLERANCE = 0.05  # yuan: rounding in exports


@dataclass
class ValidationReport:
    """The outcome of :func:`validate`: problems (errors) and warnings."""

    problems: list[Problem]
    warnings: list[str]
    checked: list[str] = field(default_factory=list)
    source: str = ""

    @property
    def ok(self) -> bool:
        """True when no problem (error) was found; warnings do not count."""
        return not self.problems

    def to_frame(self) -> pd.DataFrame:
        """One row per problem: table, column, rule, rows, examples, fix."""
        return pd.DataFrame(
            [{"table": p.table, "column": p.column, "rule": p.rule, "rows": p.count,
              "examples": format_examples(v for _, v in p.examples), "fix": p.fix}
             for p in self.problems],
            columns=["table", "column", "rule", "rows", "examples", "fix"])

    def format(self) -> str:
        """The report as text: a headline, each table's problems, then the warnings."""
        where = f" in {self.source}" if self.source else ""
        n_tables = len({p.table for p in self.problems})
        head = (f"Checked {len(self.checked)} table(s){where}: "
                + (f"{len(self.problems)} problem(s) in {n_tables} table(s)" if self.problems
                   else "no problems")
                + (f", {len(self.warnings)} warning(s)." if self.warnings else "."))
        out = [head]
        by_table: dict[str, list[Problem]] = {}
        for p in self.problems:
            by_table.setdefault(p.table, []).append(p)
        for table, probs in by_table.items():
            files = {p.file for p in probs if p.file}
            out.append("")
            out.append(f"{table}" + (f" ({', '.join(sorted(files))})" if files else ""))
            for i, p in enumerate(probs, 1):
                body = p.format().replace("\n", "\n  ")
                out.append(f"  {i}. {body}")
        if self.warnings:
            out.append("")
            out.append("Warnings:")
            out += [f"  - {w}" for w in self.warnings]
        return "\n".join(out)

    def __str__(self) -> str:
        return self.format()


# --- pandera schemas from the spec ------------------------------------------------------------

_KIND_TEST = {
    "str": lambda s: pd.api.types.is_string_dtype(s) or s.dtype == object,
    "int": lambda s: pd.api.types.is_integer_dtype(s) and not pd.api.types.is_bool_dtype(s),
    "float": lambda s: pd.api.types.is_numeric_dtype(s) and not pd.api.types.is_bool_dtype(s),
    "datetime": pd.api.types.is_datetime64_any_dtype,
    "date": pd.api.types.is_datetime64_any_dtype,
    "bool": pd.api.types.is_bool_dtype,
}


def _column_schema(col: Column, table: Table) -> pa.Column:
    checks = [pa.Check(_KIND_TEST[col.kind], name=f"kind:{col.kind}", element_wise=False)]
    if col.min is not None:
        checks.append(pa.Check.ge(col.min, ignore_na=True))
    if col.max is not None:
        checks.append(pa.Check.le(col.max, ignore_na=True))
    if col.isin:
        checks.append(pa.Check.isin(list(col.isin), ignore_na=True))
    must_have_values = (col.required or col.name in table.key) and not col.nullable
    return pa.Column(None, checks=checks, nullable=not must_have_values, required=False,
                     name=col.name)


def pandera_schema(table: str | Table) -> pa.DataFrameSchema:
    """The pandera schema of one table (columns may be absent; the key must be unique)."""
    t = TABLES[table] if isinstance(table, str) else table
    return pa.DataFrameSchema({c.name: _column_schema(c, t) for c in t.columns},
                              unique=list(t.key), name=t.name, strict=False)


def _fix_for(col: Column, check: str, table: Table) -> tuple[str, str, str]:
    """(rule, message, fix) in an operator's words for a pandera check name."""
    if check.startswith("kind:"):
        return (f"kind {col.kind}", f"column holds {col.kind!r}-incompatible values",
                f"Make {col.name} a {col.kind} column (see datasets/README.md).")
    if check == "not_nullable":
        return ("required value", "empty cells in a column that needs a value",
                f"Fill in {col.name} for every row, or drop rows that are not real "
                f"{table.row}s.")
    if check.startswith("greater_than_or_equal_to"):
        if col.min == 0 and col.kind == "float":
            return (">= 0", "negative amounts",
                    "Money is never negative: record refunds with status 'refunded' "
                    "(orders) or returned_qty (order_items), not as negative amounts.")
        return (f">= {col.min:g}", f"values below {col.min:g}",
                f"{col.name} must be at least {col.min:g}: {col.description}")
    if check.startswith("less_than_or_equal_to"):
        return (f"<= {col.max:g}", f"values above {col.max:g}",
                f"{col.name} must be at most {col.max:g}: {col.description}")
    if check.startswith("isin"):
        return ("allowed values", "values outside the allowed set",
                f"Use one of: {', '.join(col.isin)} (a mapping file can translate an export's "
                f"own labels, see README).")
    return (check, f"failed check {check}", "")


def _examples(rows: np.ndarray, values, offset: int) -> list:
    # strict=False: pandera failure cases without a row (index None) are in values, not rows
    return [(int(r) + offset, v)
            for r, v in zip(rows[:MAX_EXAMPLES], values[:MAX_EXAMPLES], strict=False)]


def _column_problems(df: pd.DataFrame, t: Table, file: str | None, offset: int) -> list[Problem]:
    problems: list[Problem] = []
    present = [c for c in t.columns if c.name in df.columns]
    schema = pa.DataFrameSchema({c.name: _column_schema(c, t) for c in present},
                                unique=[k for k in t.key if k in df.columns] or None,
                                name=t.name, strict=False)
    frame = df.reset_index(drop=True)
    try:
        schema.validate(frame, lazy=True)
        return problems
    except SchemaErrors as err:
        fc = err.failure_cases
    fc = fc.copy()
    fc["check"] = fc["check"].astype(str)
    unique_mask = fc["check"].str.contains("uniqueness")
    if unique_mask.any():
        keys = [k for k in t.key if k in frame.columns]
        dup = frame.duplicated(keys, keep=False).to_numpy()
        rows = np.flatnonzero(dup)
        vals = [tuple(frame.loc[r, keys]) if len(keys) > 1 else frame.loc[r, keys[0]]
                for r in rows[:MAX_EXAMPLES]]
        problems.append(Problem(
            t.name, " + ".join(keys), "unique key", int(dup.sum()),
            _examples(rows, vals, offset), "the same key appears on more than one row",
            f"Each {t.row} must appear once: remove duplicated rows (exports sometimes repeat "
            f"an order per line item; use order_items for lines).", file))
    # A column of the wrong kind fails its range checks too: report the kind only.
    wrong_kind = set(fc.loc[fc["check"].str.startswith("kind:"), "column"])
    is_kind = fc["check"].str.startswith("kind:")
    rest = fc[~unique_mask & ~(fc["column"].isin(wrong_kind) & ~is_kind)]
    for (column, check), grp in rest.groupby(["column", "check"], sort=False):
        col = t.column(column)
        rule, message, fix = _fix_for(col, check, t)
        if check.startswith("kind:"):
            problems.append(Problem(t.name, column, rule, len(frame), [], message
                                    + f" (dtype {frame[column].dtype})", fix, file))
            continue
        idx = pd.to_numeric(grp["index"], errors="coerce").dropna().astype(int).to_numpy()
        problems.append(Problem(t.name, column, rule, len(idx),
                                _examples(idx, list(grp["failure_case"]), offset),
                                message, fix, file))
    return problems


# --- rules across columns and tables -----------------------------------------------------------

def _mask_problem(df, mask, table, column, rule, message, fix, file, offset, values=None):
    mask = np.asarray(mask, dtype=bool)
    if not mask.any():
        return []
    rows = np.flatnonzero(mask)
    vals = (values if values is not None else df[column]).to_numpy()[rows[:MAX_EXAMPLES]]
    return [Problem(table, column, rule, int(mask.sum()), _examples(rows, list(vals), offset),
                    message, fix, file)]


def _has(df, *cols):
    return df is not None and all(c in df.columns for c in cols)


def _row_rules(frames: dict, src: dict) -> list[Problem]:
    out: list[Problem] = []

    def F(t):
        return frames.get(t)

    def S(t):
        return src.get(t, (None, 1))

    c = F("customers")
    if _has(c, "points_earned", "points_redeemed"):
        f, o = S("customers")
        out += _mask_problem(c, (c.points_redeemed > c.points_earned).fillna(False), "customers",
                             "points_redeemed", "redeemed <= earned",
                             "more points redeemed than earned",
                             "points_redeemed counts points spent out of points_earned.", f, o)
    it = F("order_items")
    if _has(it, "returned_qty", "quantity"):
        f, o = S("order_items")
        out += _mask_problem(it, (it.returned_qty > it.quantity).fillna(False), "order_items",
                             "returned_qty", "returned <= bought",
                             "more units returned than bought",
                             "returned_qty counts units of this line sent back.", f, o)
    if _has(it, "quantity", "unit_price", "net_amount"):
        f, o = S("order_items")
        disc = it["discount_amount"].fillna(0) if "discount_amount" in it else 0.0
        expected = it.quantity * it.unit_price - disc
        bad = ((it.net_amount - expected).abs() > MONEY_TOLERANCE).fillna(False)
        out += _mask_problem(it, bad, "order_items", "net_amount",
                             "net = quantity x unit_price - discount",
                             "line amount does not match quantity x unit price - discount",
                             "Check that unit_price is per unit and discount_amount is the line's "
                             "discount.", f, o)
    e = F("experiments")
    if _has(e, "conversions", "visitors"):
        f, o = S("experiments")
        out += _mask_problem(e, (e.conversions > e.visitors).fillna(False), "experiments",
                             "conversions", "conversions <= visitors",
                             "more conversions than visitors",
                             "conversions counts visitors who converted, at most one each.", f, o)
    cp = F("campaigns")
    if _has(cp, "warmup_start", "peak_start", "peak_end", "end_date"):
        f, o = S("campaigns")
        bad = ~((cp.warmup_start <= cp.peak_start) & (cp.peak_start <= cp.peak_end)
                & (cp.peak_end <= cp.end_date))
        out += _mask_problem(cp, bad.fillna(False), "campaigns", "peak_start", "phases in order",
                             "campaign phases out of order",
                             "Dates must satisfy warmup_start <= peak_start <= peak_end <= "
                             "end_date.", f, o, values=cp["campaign_id"] if "campaign_id" in cp
                             else None)
    cu = F("coupons")
    if _has(cu, "kind", "face_value"):
        f, o = S("coupons")
        bad = (cu.kind == "percent_off") & ~((cu.face_value > 0) & (cu.face_value <= 1))
        out += _mask_problem(cu, bad.fillna(False), "coupons", "face_value", "rate in (0, 1]",
                             "percent_off coupon with a rate outside (0, 1]",
                             "Write 15% off as 0.15, not 15.", f, o)
    k = F("staff_kpis")
    if _has(k, "metric", "target", "actual"):
        f, o = S("staff_kpis")
        is_rate = k.metric.astype(str).str.endswith("_rate")
        for col in ("target", "actual"):
            bad = is_rate & ~k[col].between(0, 1)
            out += _mask_problem(k, bad.fillna(False), "staff_kpis", col, "rate in [0, 1]",
                                 "a *_rate metric outside [0, 1]",
                                 "Rates are fractions: write 8% as 0.08.", f, o)
    od = F("orders")
    if _has(od, "order_ts", "shipped_ts"):
        f, o = S("orders")
        out += _mask_problem(od, (od.shipped_ts < od.order_ts).fillna(False), "orders",
                             "shipped_ts", "shipped after ordered", "shipped before it was ordered",
                             "Check the time zone and column order of the export.", f, o)
    if _has(od, "shipped_ts", "delivered_ts"):
        f, o = S("orders")
        out += _mask_problem(od, (od.delivered_ts < od.shipped_ts).fillna(False), "orders",
                             "delivered_ts", "delivered after shipped",
                             "delivered before it was shipped",
                             "Check the time zone and column order of the export.", f, o)
    return out


def _reference_rules(frames: dict, src: dict) -> list[Problem]:
    out: list[Problem] = []
    for tname, df in frames.items():
        f, o = src.get(tname, (None, 1))
        for col in TABLES[tname].columns:
            if not col.references or col.name not in df.columns:
                continue
            rt, rc = col.references.split(".")
            target = frames.get(rt)
            if target is None or rc not in target.columns:
                continue
            s = df[col.name]
            bad = s.notna().to_numpy() & ~isin(s, target[rc])
            out += _mask_problem(
                df, bad, tname, col.name, f"exists in {rt}",
                f"refers to a {rc} that is not in the {rt} table",
                f"Every {col.name} must be a {rc} of {rt}: add the missing {rt} rows or check "
                f"that both files come from the same export.", f, o)
    od, it, cu = frames.get("orders"), frames.get("order_items"), frames.get("coupons")
    if _has(od, "order_id", "net_amount") and _has(it, "order_id", "net_amount"):
        f, o = src.get("orders", (None, 1))
        lines = it.groupby("order_id", sort=False)["net_amount"].sum()
        ship = od["shipping_fee"].fillna(0) if "shipping_fee" in od else 0.0
        line_sum = od["order_id"].map(lines)
        bad = line_sum.notna() & ((od.net_amount - ship - line_sum).abs() > MONEY_TOLERANCE)
        out += _mask_problem(
            od, bad.to_numpy(), "orders", "net_amount", "order total = sum of its items",
            "order total does not match its items (net_amount - shipping_fee vs the items' "
            "net_amount)",
            "An order's net_amount should be its items' net_amount plus shipping_fee; check "
            "that order_items holds every line of these orders.", f, o,
            values=od["order_id"] + " " + od["net_amount"].astype(str))
    if _has(cu, "coupon_id", "redeemed_order_id") and _has(od, "order_id", "coupon_id"):
        f, o = src.get("coupons", (None, 1))
        used = od.dropna(subset=["coupon_id"]).set_index("order_id")["coupon_id"]
        red = cu["redeemed_order_id"]
        on_order = red.map(used)
        bad = isin(red, od["order_id"]) & (on_order != cu["coupon_id"]).fillna(True).to_numpy()
        out += _mask_problem(
            cu, bad, "coupons", "redeemed_order_id", "coupon used by that order",
            "the order it says it was redeemed on does not carry this coupon",
            "orders.coupon_id and coupons.redeemed_order_id must point at each other.", f, o)
    return out


def validate(source, *, mapping=None, tables=None, raise_on_error: bool = True,
             _load_report=None) -> ValidationReport:
    """Check a shop (a Dataset, ``"demo"`` or a folder) and report every problem.

    Parameters
    ----------
    source : Dataset, "demo" or path
        What to check. A folder is read with :func:`playbook_lib.data.load_dataset`'s
        rules (encodings, mapping file) but nothing in it is changed.
    mapping : optional
        Mapping preset, file or dict (see :func:`playbook_lib.data.io.load_mapping`).
    raise_on_error : bool, default True
        Raise :class:`~playbook_lib.DataValidationError` carrying the report's text and
        its problems when any error is found; otherwise return the report either way.

    Returns
    -------
    ValidationReport
        ``problems`` (errors), ``warnings`` (a table missing, an unknown column).

    Examples
    --------
    >>> import pandas as pd
    >>> from playbook_lib.data import Dataset
    >>> ds = Dataset({"products": pd.DataFrame({"sku": ["A1", "A1"], "category": ["x", "y"],
    ...                                         "list_price": [10.0, -1.0]})})
    >>> report = validate(ds, raise_on_error=False)
    >>> [(p.column, p.rule, p.count) for p in report.problems]
    [('sku', 'unique key', 2), ('list_price', '>= 0', 1)]
    """
    if isinstance(source, Dataset):
        frames = {name: df for name, df in source.items()}
        report = _load_report or LoadReport(warnings=list(source.warnings))
        label = source.source
    else:
        frames, report, _ = read_folder(resolve_source(source), tables=tables, mapping=mapping)
        label = str(source)
    frames = {t: frames[t] for t in TABLES if t in frames}  # schema order
    problems = list(report.problems)
    warnings = list(report.warnings)
    for name, df in frames.items():
        t = TABLES[name]
        file, offset = report.sources.get(name, (None, 1))
        missing = [c for c in t.required if c not in df.columns]
        if missing:
            problems.append(Problem(
                name, ", ".join(missing), "required column", len(df), [],
                "required column(s) missing",
                f"Add the column(s) or map your export's names to them in mapping.yaml; "
                f"the table has: {', '.join(map(str, df.columns[:10]))}.", file))
        problems += _column_problems(df, t, file, offset)
    problems += _row_rules(frames, report.sources)
    problems += _reference_rules(frames, report.sources)
    result = ValidationReport(problems, warnings, checked=list(frames), source=label)
    if problems and raise_on_error:
        raise DataValidationError(result.format(), problems)
    return result
