"""Retention and loyalty (留存与忠诚): cohorts, repurchase, new-customer churn, membership.

The library half of the retention part of ``notebooks/01_users/03_retention_loyalty``; the
conventions (paid orders, ``as_of``) are in :mod:`playbook_lib.users`.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .._checks import datetime_ns, datetimes, numeric_values, positive_int, to_timestamp
from .._deprecate import keyword_only_since
from .._frames import isin
from ..errors import DataValidationError, require_choice, require_columns, require_non_empty
from ._rows import (
    _NS_PER_DAY,
    _PERIOD_FREQS,
    _day,
    _distinct_days,
    _group_min_max,
    _paid_rows,
    _period_index,
    _period_ordinals,
    _Rows,
    _tier_order,
    _ts_ns,
    _unique_pairs,
)

__all__ = [
    "new_customer_orders",
    "cohort_retention",
    "repeat_purchase_rate",
    "no_repeat_within",
    "membership_summary",
]


def new_customer_orders(orders: pd.DataFrame, customers: pd.DataFrame, *, start=None,
                        customer_col: str = "customer_id", ts_col: str = "order_ts",
                        signup_col: str = "signup_ts") -> pd.DataFrame:
    """Orders of the customers who signed up on or after the start of the order history.

    Parameters
    ----------
    orders : DataFrame
        The orders table.
    customers : DataFrame
        The customers table (``customer_id``, ``signup_ts``).
    start : date-like, optional
        First day of the order history; default midnight of the first ``order_ts``.
    customer_col, ts_col, signup_col : str
        Column names (schema defaults).

    Returns
    -------
    DataFrame
        The rows of ``orders`` whose customer signed up on or after ``start``.

    Raises
    ------
    DataValidationError
        Missing columns, no orders, or times that are not dates.

    Notes
    -----
    A shop's export starts on some day; customers who were already buying before it show up
    with a "first" order that is not their first. Cohorts, repeat windows and new-customer
    churn (新客流失) are measured on customers whose whole history is in the data.

    Examples
    --------
    >>> orders = pd.DataFrame({"customer_id": ["a", "b"],
    ...     "order_ts": pd.to_datetime(["2026-01-05", "2026-01-09"])})
    >>> customers = pd.DataFrame({"customer_id": ["a", "b"],
    ...     "signup_ts": pd.to_datetime(["2025-06-01", "2026-01-08"])})
    >>> new_customer_orders(orders, customers)["customer_id"].tolist()
    ['b']
    """
    func = "new_customer_orders"
    require_columns(orders, [customer_col, ts_col], table="orders", func=func)
    require_columns(customers, [customer_col, signup_col], table="customers", func=func)
    require_non_empty(orders, table="orders", func=func, what="orders")
    if start is None:
        first = datetimes(orders, ts_col, table="orders", func=func).min()
        if pd.isna(first):
            raise DataValidationError(f"{func}: column '{ts_col}' of table 'orders' has no dates; "
                                      f"pass start= explicitly, e.g. '2025-01-01'.")
        start = first.normalize()
    else:
        start = to_timestamp(start, name="start", func=func)
    signup = datetimes(customers, signup_col, table="customers", func=func)
    new_ids = customers.loc[signup >= start, customer_col]
    return orders[isin(orders[customer_col], new_ids)]


def _cohort_counts(rows: _Rows, freq: str, last_ordinal: int):
    """Counts of distinct customers per (cohort ordinal, periods since first purchase)."""
    ords = _period_ordinals(rows.ts, freq)
    n = rows.n_customers
    first = np.full(n, np.iinfo(np.int64).max, dtype=np.int64)
    np.minimum.at(first, rows.codes, ords)
    k = ords - first[rows.codes]
    width = int(last_ordinal - first.min()) + 1
    pairs = _unique_pairs(rows.codes, k, n, width)   # one per (customer, active period)
    cohort = first[pairs // width]
    lo = int(first.min())
    n_cohorts = int(first.max()) - lo + 1
    counts = np.bincount((cohort - lo) * width + pairs % width,
                         minlength=n_cohorts * width).reshape(n_cohorts, width)
    return lo, counts


def cohort_retention(orders: pd.DataFrame, freq: str = "M", *, counts: bool = False, end=None,
                     customer_col: str = "customer_id", ts_col: str = "order_ts",
                     status_col: str = "status") -> pd.DataFrame:
    """Cohort retention table: share of each first-purchase cohort buying k periods later.

    Parameters
    ----------
    orders : DataFrame
        The orders table (paid orders count).
    freq : {"M", "W", "Q"}, default "M"
        Period length: calendar months, weeks (Monday to Sunday) or quarters.
    counts : bool, default False
        Return the number of customers instead of shares (same shape and dtypes).
    end : date-like, optional
        Last moment observed; default the latest ``order_ts`` in the table. Orders after it are
        ignored and cells after its period are NaN.
    customer_col, ts_col, status_col : str
        Column names (schema defaults).

    Returns
    -------
    DataFrame
        Index ``cohort`` (PeriodIndex: the period of each customer's first paid order; only
        periods that won customers), columns ``period`` (int 0, 1, 2, ...: periods since the
        first purchase), float values: the share of the cohort with a paid order in that
        period (column 0 is 1.0), or the count with ``counts=True``. Cells that lie after the
        end of the data are NaN, not 0. The last period may be incomplete.

    Notes
    -----
    Retention (留存率) of cohort c at period k = customers of c with a paid order in period
    c + k / customers of c. Read down a column to see whether newer cohorts stick better.

    Examples
    --------
    >>> orders = pd.DataFrame({"customer_id": ["a", "a", "b", "c", "c"],
    ...     "order_ts": pd.to_datetime(["2026-01-03", "2026-02-10", "2026-01-20", "2026-02-01",
    ...         "2026-03-05"])})
    >>> cohort_retention(orders)  # doctest: +NORMALIZE_WHITESPACE
    period     0    1    2
    cohort
    2026-01  1.0  0.5  0.0
    2026-02  1.0  1.0  NaN
    """
    func = "cohort_retention"
    require_choice(freq, _PERIOD_FREQS, name="freq", func=func)
    require_columns(orders, [customer_col, ts_col], table="orders", func=func)
    if end is None:
        require_non_empty(orders, table="orders", func=func, what="orders")
        end_ns = int(datetime_ns(orders, ts_col, table="orders", func=func).max())
        end = pd.Timestamp(end_ns)
    else:
        end = to_timestamp(end, name="end", func=func)
    rows = _paid_rows(orders, func=func, customer_col=customer_col, ts_col=ts_col,
                      amount_col=None, status_col=status_col, end=end, as_of_name="end")
    last = int(_period_ordinals(np.array([_ts_ns(end)], dtype=np.int64), freq)[0])
    lo, table = _cohort_counts(rows, freq, last)
    sizes = table[:, 0]
    keep = sizes > 0
    cohort_ords = np.arange(lo, lo + len(table))[keep]
    table = table[keep].astype(float)
    k = np.arange(table.shape[1])
    table[cohort_ords[:, None] + k[None, :] > last] = np.nan
    if not counts:
        table = table / table[:, :1]
    return pd.DataFrame(table, index=_period_index(cohort_ords, freq, "cohort"),
                        columns=pd.Index(k, name="period"))


def repeat_purchase_rate(orders: pd.DataFrame, *, as_of=None, customer_col: str = "customer_id",
                         ts_col: str = "order_ts", status_col: str = "status") -> float:
    """Share of customers with paid orders on two or more distinct days.

    Parameters
    ----------
    orders : DataFrame
        The orders table; narrow it to a window first to get a window's repurchase rate.
    as_of : date-like, optional
        Count only orders before it.
    customer_col, ts_col, status_col : str
        Column names (schema defaults).

    Returns
    -------
    float
        Repeat customers / customers with at least one paid order.

    Notes
    -----
    Repurchase rate (复购率) = customers who bought on >= 2 different days / buyers. Two orders
    on the same day count once (a split basket is not a repurchase).

    Examples
    --------
    >>> orders = pd.DataFrame({"customer_id": ["a", "a", "b", "b"],
    ...     "order_ts": pd.to_datetime(["2026-01-03 10:00", "2026-02-10 10:00",
    ...         "2026-01-20 09:00", "2026-01-20 18:00"])})
    >>> repeat_purchase_rate(orders)
    0.5
    """
    func = "repeat_purchase_rate"
    as_of = None if as_of is None else to_timestamp(as_of, name="as_of", func=func)
    rows = _paid_rows(orders, func=func, customer_col=customer_col, ts_col=ts_col,
                      amount_col=None, status_col=status_col, as_of=as_of)
    return float((_distinct_days(rows) >= 2).mean())


@keyword_only_since("0.2", "days")
def no_repeat_within(orders: pd.DataFrame, *, days: int = 90, end=None,
                     customer_col: str = "customer_id", ts_col: str = "order_ts",
                     status_col: str = "status") -> float:
    """Share of new customers who did not buy again within ``days`` days of their first order.

    Parameters
    ----------
    orders : DataFrame
        The orders table (paid orders count).
    days : int, default 90
        Length of the follow-up window after the first order. Keyword-only since 0.2;
        passing it by position still works in 0.2 with a ``FutureWarning``.
    end : date-like, optional
        Last moment observed; default the latest ``order_ts`` in the table. Only customers
        whose first paid order is at least ``days`` days before it are counted, so everyone
        had the full window to come back.
    customer_col, ts_col, status_col : str
        Column names (schema defaults).

    Returns
    -------
    float
        Customers without a paid order on a later day within ``days`` days of their first
        one / customers with a full window.

    Notes
    -----
    New-customer churn (新客流失): the seed's example is a brand where 60% of new customers did
    not buy again within 3 months of the first order; the first-to-second order path is where
    retention work starts.

    Examples
    --------
    >>> orders = pd.DataFrame({"customer_id": ["a", "a", "b", "c", "d"],
    ...     "order_ts": pd.to_datetime(["2026-01-03", "2026-02-10", "2026-01-20", "2026-01-25",
    ...         "2026-06-01"])})
    >>> no_repeat_within(orders, days=90)
    0.6666666666666666
    """
    func = "no_repeat_within"
    days = positive_int(days, name="days", func=func)
    require_columns(orders, [customer_col, ts_col], table="orders", func=func)
    if end is None:
        require_non_empty(orders, table="orders", func=func, what="orders")
        end = pd.Timestamp(int(datetime_ns(orders, ts_col, table="orders", func=func).max()))
    else:
        end = to_timestamp(end, name="end", func=func)
    rows = _paid_rows(orders, func=func, customer_col=customer_col, ts_col=ts_col,
                      amount_col=None, status_col=status_col, end=end, as_of_name="end")
    n = rows.n_customers
    first, _ = _group_min_max(rows.codes, rows.ts, n)
    window = days * _NS_PER_DAY
    eligible = first <= _ts_ns(end) - window
    if not eligible.any():
        raise DataValidationError(
            f"{func}: no customer's first paid order is {days} days or more before the end of "
            f"the data ({end}); nobody had the full window to come back. Use a smaller days "
            f"or a longer order history."
        )
    later = (_day(rows.ts) > _day(first[rows.codes])) & (rows.ts <= first[rows.codes] + window)
    came_back = np.zeros(n, dtype=bool)
    came_back[rows.codes[later]] = True
    return float((~came_back[eligible]).mean())


def membership_summary(customers: pd.DataFrame, orders: pd.DataFrame, *, as_of=None,
                       customer_col: str = "customer_id", tier_col: str = "member_tier",
                       earned_col: str = "points_earned", redeemed_col: str = "points_redeemed",
                       ts_col: str = "order_ts", amount_col: str = "net_amount",
                       status_col: str = "status") -> pd.DataFrame:
    """Buyers, repurchase, AOV and points of each membership tier (会员等级).

    Parameters
    ----------
    customers : DataFrame
        The customers table (``customer_id``, ``member_tier``, ``points_earned``,
        ``points_redeemed``).
    orders : DataFrame
        The orders table (paid orders of these customers count).
    as_of : date-like, optional
        Count only orders before it.
    customer_col, tier_col, earned_col, redeemed_col, ts_col, amount_col, status_col : str
        Column names (schema defaults).

    Returns
    -------
    DataFrame
        Index ``member_tier``: the schema's tiers (regular, silver, gold) that occur, other
        tiers sorted, then ``all``. Columns ``customers``, ``buyers``, ``orders`` (int),
        ``repurchase_rate`` (buyers with paid orders on >= 2 days / buyers), ``aov`` (GMV /
        orders), ``points_earned``, ``points_redeemed`` (int) and ``redemption_rate``
        (redeemed / earned). The ``all`` row's redemption rate is the shop's overall rate.

    Notes
    -----
    Points redemption rate (积分兑换率) = points redeemed / points earned; the seed warns that
    it is often under 10%, a sign that points are not worth the effort to members.

    Examples
    --------
    >>> customers = pd.DataFrame({"customer_id": ["a", "b", "c"],
    ...     "member_tier": ["regular", "gold", "gold"], "points_earned": [100, 500, 300],
    ...     "points_redeemed": [0, 50, 30]})
    >>> orders = pd.DataFrame({"customer_id": ["a", "b", "b"],
    ...     "order_ts": pd.to_datetime(["2026-01-03", "2026-01-05", "2026-02-01"]),
    ...     "net_amount": [80.0, 200.0, 100.0]})
    >>> membership_summary(customers, orders)[["customers", "buyers", "repurchase_rate",
    ...     "aov"]]  # doctest: +NORMALIZE_WHITESPACE
                 customers  buyers  repurchase_rate    aov
    member_tier
    regular              1       1              0.0   80.000000
    gold                 2       1              1.0  150.000000
    all                  3       2              0.5  126.666667
    """
    func = "membership_summary"
    require_columns(customers, [customer_col, tier_col, earned_col, redeemed_col],
                    table="customers", func=func)
    require_non_empty(customers, table="customers", func=func, what="customers")
    as_of = None if as_of is None else to_timestamp(as_of, name="as_of", func=func)
    rows = _paid_rows(orders, func=func, customer_col=customer_col, ts_col=ts_col,
                      amount_col=amount_col, status_col=status_col, as_of=as_of)
    n = rows.n_customers
    stats = pd.DataFrame({
        "orders": np.bincount(rows.codes, minlength=n).astype(np.int64),
        "gmv": np.bincount(rows.codes, weights=rows.amount, minlength=n),
        "repeat": (_distinct_days(rows) >= 2).astype(np.int64)}, index=rows.customers)
    cust = customers.drop_duplicates(customer_col).set_index(customer_col)
    tiers = cust[tier_col].astype(object).where(cust[tier_col].notna(), "unknown")
    frame = pd.DataFrame({
        "tier": tiers.to_numpy(),
        "earned": np.nan_to_num(numeric_values(cust, earned_col, table="customers", func=func,
                                               allow_missing=True)),
        "redeemed": np.nan_to_num(numeric_values(cust, redeemed_col, table="customers", func=func,
                                                 allow_missing=True))}, index=cust.index)
    frame = frame.join(stats, how="left")
    frame[["orders", "gmv", "repeat"]] = frame[["orders", "gmv", "repeat"]].fillna(0)
    frame["buyer"] = (frame["orders"] > 0).astype(np.int64)
    order = _tier_order(pd.unique(frame["tier"]))
    g = frame.groupby("tier").agg(customers=("tier", "size"), buyers=("buyer", "sum"),
                                  orders=("orders", "sum"), gmv=("gmv", "sum"),
                                  repeat=("repeat", "sum"), points_earned=("earned", "sum"),
                                  points_redeemed=("redeemed", "sum")).reindex(order)
    g.loc["all"] = g.sum()
    g.index = pd.Index(g.index.astype(object), name=tier_col, dtype="str")
    for col in ("customers", "buyers", "orders", "points_earned", "points_redeemed"):
        g[col] = g[col].round().astype(np.int64)
    with np.errstate(invalid="ignore", divide="ignore"):
        g["repurchase_rate"] = g["repeat"] / g["buyers"].where(g["buyers"] > 0)
        g["aov"] = g["gmv"] / g["orders"].where(g["orders"] > 0)
        g["redemption_rate"] = g["points_redeemed"] / g["points_earned"].where(
            g["points_earned"] > 0)
    return g[["customers", "buyers", "orders", "repurchase_rate", "aov", "points_earned",
              "points_redeemed", "redemption_rate"]]
