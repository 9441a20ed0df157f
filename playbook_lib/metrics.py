"""Metrics: the monthly KPI table with month-on-month, year-on-year and target comparisons.

Definitions follow the kit's glossary (GLOSSARY in the docs):

- GMV (成交总额): sum of ``net_amount`` of paid orders placed in the month.
- orders (订单数): paid orders; buyers (支付买家数): distinct customers with a paid order.
- AOV (客单价): GMV / orders.
- new customers (新客): buyers whose first paid order in the data falls in the month;
  returning customers (老客): the other buyers.
- conversion (支付转化率): paid orders / visitors (traffic table, visitors summed over days).
- repurchase rate (复购率): share of the month's buyers who had bought before the month
  (returning / buyers). "Before" means in the data, so the first months of a shop's history
  read low.

Which orders count as paid, and the latest full month, come from :mod:`playbook_lib._orders`
(:func:`~playbook_lib._orders.paid_orders`: status "paid"; a table without a ``status``
column counts every order). ``parse_month`` and ``latest_full_month`` are re-exported here.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ._orders import latest_full_month, paid_orders, parse_month
from .errors import DataValidationError, require_columns

__all__ = [
    "KPI_LABELS",
    "KPI_NAMES",
    "latest_full_month",
    "monthly_kpis",
    "monthly_trend",
    "parse_month",
]

KPI_NAMES = ("gmv", "orders", "buyers", "aov", "new_customers", "returning_customers",
             "conversion", "repurchase_rate")

#: metric -> (English label, Chinese term, kind) where kind is "money", "count" or "rate"
KPI_LABELS = {
    "gmv": ("GMV", "成交总额", "money"),
    "orders": ("Paid orders", "订单数", "count"),
    "buyers": ("Paying customers", "支付买家数", "count"),
    "aov": ("Average order value", "客单价", "money"),
    "new_customers": ("New customers", "新客", "count"),
    "returning_customers": ("Returning customers", "老客", "count"),
    "conversion": ("Payment conversion", "支付转化率", "rate"),
    "repurchase_rate": ("Repurchase rate", "复购率", "rate"),
}

_KPI_COLUMNS = ["value", "prev_month", "same_month_last_year", "mom_change", "yoy_change",
                "target", "attainment"]


def _orders(ds, func: str) -> pd.DataFrame:
    if "orders" not in ds:
        raise DataValidationError(f"{func}: the dataset has no 'orders' table; it is needed for "
                                  f"the monthly KPIs.")
    orders = ds.orders
    require_columns(orders, ["customer_id", "order_ts", "net_amount"], table="orders", func=func)
    return orders


class _MonthlyBase:
    """Per-month aggregates computed once, looked up for any month."""

    def __init__(self, ds, func: str):
        orders = _orders(ds, func)
        ts = pd.to_datetime(orders["order_ts"])
        self.first_ts, self.last_ts = ts.min(), ts.max()
        paid = paid_orders(orders)
        pmonth = pd.to_datetime(paid["order_ts"]).dt.to_period("M")
        first = pmonth.groupby(paid["customer_id"]).transform("min")
        frame = pd.DataFrame({"month": pmonth, "customer_id": paid["customer_id"],
                              "net_amount": paid["net_amount"].astype(float),
                              "is_new": (pmonth == first)})
        g = frame.groupby("month")
        self.agg = pd.DataFrame({
            "gmv": g["net_amount"].sum(),
            "orders": g.size().astype(float),
            "buyers": g["customer_id"].nunique().astype(float),
            "new_customers": frame[frame["is_new"]].groupby("month")["customer_id"].nunique(),
        })
        self.agg["new_customers"] = self.agg["new_customers"].fillna(0.0)
        self.visitors = None
        if "traffic" in ds:
            tr = ds.traffic
            require_columns(tr, ["date", "visitors"], table="traffic", func=func)
            tmonth = pd.to_datetime(tr["date"]).dt.to_period("M")
            self.visitors = tr["visitors"].astype(float).groupby(tmonth).sum()

    def covered(self, month: pd.Period) -> bool:
        return month.start_time <= self.last_ts and month.end_time >= self.first_ts

    def values(self, month: pd.Period) -> dict[str, float]:
        nan = float("nan")
        if not self.covered(month):
            return dict.fromkeys(KPI_NAMES, nan)
        row = self.agg.loc[month] if month in self.agg.index else None
        gmv = float(row["gmv"]) if row is not None else 0.0
        orders = float(row["orders"]) if row is not None else 0.0
        buyers = float(row["buyers"]) if row is not None else 0.0
        new = float(row["new_customers"]) if row is not None else 0.0
        visitors = nan
        if self.visitors is not None and month in self.visitors.index:
            visitors = float(self.visitors.loc[month])
        return {
            "gmv": gmv,
            "orders": orders,
            "buyers": buyers,
            "aov": gmv / orders if orders else nan,
            "new_customers": new,
            "returning_customers": buyers - new,
            "conversion": orders / visitors if visitors and not np.isnan(visitors) else nan,
            "repurchase_rate": (buyers - new) / buyers if buyers else nan,
        }


def _targets_for(targets: pd.DataFrame | None, month: pd.Period) -> dict[str, float]:
    """Targets of ``month`` from a long (month, metric, target) or wide (month + metrics) frame."""
    if targets is None or len(targets) == 0:
        return {}
    func = "monthly_kpis"
    t = targets.reset_index() if "month" not in targets.columns else targets
    require_columns(t, ["month"], table="targets", func=func)
    months = t["month"].map(lambda m: parse_month(m, func=func))
    if {"metric", "target"} <= set(t.columns):
        long = pd.DataFrame({"month": months, "metric": t["metric"].astype(str).str.strip(),
                             "target": pd.to_numeric(t["target"], errors="coerce")})
    else:
        cols = [c for c in t.columns if c != "month"]
        long = pd.DataFrame({"month": np.repeat(months.to_numpy(), len(cols)),
                             "metric": cols * len(t),
                             "target": pd.to_numeric(
                                 pd.Series(t[cols].to_numpy().ravel()), errors="coerce")})
    unknown = sorted(set(long["metric"]) - set(KPI_NAMES))
    if unknown:
        raise DataValidationError(
            f"{func}: targets name unknown metric(s) {', '.join(map(repr, unknown))}; "
            f"the KPIs are {', '.join(KPI_NAMES)}.")
    mine = long[long["month"] == month].dropna(subset=["target"])
    return dict(zip(mine["metric"], mine["target"].astype(float), strict=True))


def monthly_kpis(ds, month, *, targets: pd.DataFrame | None = None) -> pd.DataFrame:
    """The month's KPIs, each against the previous month, the same month last year and target.

    Parameters
    ----------
    ds : Dataset
        Needs ``orders`` (customer_id, order_ts, net_amount; status if present); ``traffic``
        (date, visitors) for conversion, which is NaN without it.
    month : str or Period
        ``"YYYY-MM"``.
    targets : DataFrame, optional
        Monthly targets, long (``month, metric, target``) or wide (``month`` plus one column
        per metric, e.g. ``gmv, orders``).

    Returns
    -------
    DataFrame indexed by ``metric`` (the rows of :data:`KPI_NAMES`: gmv, orders, buyers,
    aov, new_customers, returning_customers, conversion, repurchase_rate) with float columns
    ``value``, ``prev_month``, ``same_month_last_year``, ``mom_change`` (value / prev_month - 1),
    ``yoy_change`` (value / same_month_last_year - 1), ``target`` (NaN if none) and
    ``attainment`` (value / target). Comparison months outside the data are NaN.

    Raises
    ------
    DataValidationError
        If the month is outside the orders' period or has no paid orders.

    Notes
    -----
    Repurchase rate here is the share of the month's buyers who had bought before the month
    (复购率 as "returning buyers / buyers"); changes are relative, also for rates.

    Examples
    --------
    >>> import pandas as pd
    >>> from playbook_lib.data import Dataset
    >>> orders = pd.DataFrame({"order_id": list("1234"), "customer_id": list("abac"),
    ...     "order_ts": pd.to_datetime(["2026-01-05", "2026-01-09", "2026-02-02", "2026-02-03"]),
    ...     "net_amount": [100.0, 50.0, 80.0, 40.0], "status": ["paid"] * 4})
    >>> k = monthly_kpis(Dataset({"orders": orders}), "2026-02")
    >>> k.loc[["gmv", "aov", "new_customers", "repurchase_rate"], ["value", "prev_month"]]
    ... # doctest: +NORMALIZE_WHITESPACE
                     value  prev_month
    metric
    gmv              120.0       150.0
    aov               60.0        75.0
    new_customers      1.0         2.0
    repurchase_rate    0.5         0.0
    """
    func = "monthly_kpis"
    m = parse_month(month, func=func)
    base = _MonthlyBase(ds, func)
    if not base.covered(m):
        raise DataValidationError(
            f"{func}: month {m} is outside the data: the orders run from "
            f"{base.first_ts:%Y-%m-%d} to {base.last_ts:%Y-%m-%d}. Pick a month in that range.")
    now = base.values(m)
    if not now["orders"]:
        raise DataValidationError(
            f"{func}: month {m} has no paid orders, so there is nothing to review. Check the "
            f"orders' status values (paid orders have status 'paid').")
    prev, last_year = base.values(m - 1), base.values(m - 12)
    tgt = _targets_for(targets, m)
    rows = []
    for k in KPI_NAMES:
        v, p, y = now[k], prev[k], last_year[k]
        t = tgt.get(k, np.nan)
        rows.append({"metric": k, "value": v, "prev_month": p, "same_month_last_year": y,
                     "mom_change": v / p - 1 if p else np.nan,
                     "yoy_change": v / y - 1 if y else np.nan,
                     "target": t, "attainment": v / t if t else np.nan})
    out = pd.DataFrame.from_records(rows, columns=["metric", *_KPI_COLUMNS]).set_index("metric")
    return out.astype(float)


def monthly_trend(ds, month, *, months: int = 13) -> pd.DataFrame:
    """GMV, orders, buyers, AOV, visitors and conversion for the ``months`` months up to ``month``.

    Returns
    -------
    DataFrame indexed by ``month`` ("YYYY-MM", oldest first) with float columns ``gmv``,
    ``orders``, ``buyers``, ``aov``, ``visitors``, ``conversion``. Months outside the data
    are NaN (kept, so the chart's axis always spans ``months`` months).
    """
    func = "monthly_trend"
    m = parse_month(month, func=func)
    base = _MonthlyBase(ds, func)
    recs = []
    for p in pd.period_range(m - (months - 1), m, freq="M"):
        v = base.values(p)
        visitors = np.nan
        if base.covered(p) and base.visitors is not None and p in base.visitors.index:
            visitors = float(base.visitors.loc[p])
        recs.append({"month": str(p), "gmv": v["gmv"], "orders": v["orders"],
                     "buyers": v["buyers"], "aov": v["aov"], "visitors": visitors,
                     "conversion": v["conversion"]})
    return pd.DataFrame.from_records(recs).set_index("month").astype(float)
