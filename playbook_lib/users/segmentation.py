"""Segmentation (用户分层): RFM, lifecycle stages, purchase tiers, dormancy, segment sizes.

The library half of ``notebooks/01_users/01_segmentation``; the conventions (paid orders,
``as_of``) are in :mod:`playbook_lib.users`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType

import numpy as np
import pandas as pd

from .._checks import datetime_ns, numeric_values, positive_int, to_timestamp
from .._deprecate import keyword_only_since
from ..errors import DataValidationError, format_examples, require_columns, require_non_empty
from ._rows import (
    _NS_PER_DAY,
    _customer_stats,
    _day,
    _group_min_max,
    _paid_rows,
    _to_datetime_index_values,
    _ts_ns,
)

__all__ = [
    "RFM_SEGMENTS",
    "LIFECYCLE_STAGES",
    "PURCHASE_TIERS",
    "rfm_table",
    "rfm_scores",
    "rfm_segments",
    "rfm_grid_table",
    "segment_summary",
    "lifecycle_stages",
    "purchase_tiers",
    "DormantShare",
    "dormant_share",
    "touch_budget",
]


# ------------------------------------------------------------------------------------------
# RFM
# ------------------------------------------------------------------------------------------

def rfm_table(orders: pd.DataFrame, as_of, *, customer_col: str = "customer_id",
              ts_col: str = "order_ts", amount_col: str = "net_amount",
              status_col: str = "status") -> pd.DataFrame:
    """Recency, frequency and monetary value (RFM) of every customer at ``as_of``.

    Parameters
    ----------
    orders : DataFrame
        The orders table; needs ``customer_col``, ``ts_col``, ``amount_col`` (and uses
        ``status_col`` when present).
    as_of : date-like
        Moment of the analysis. Only paid orders strictly before it count.
    customer_col, ts_col, amount_col, status_col : str
        Column names (schema defaults).

    Returns
    -------
    DataFrame
        Indexed by ``customer_id`` (sorted), one row per customer with a paid order before
        ``as_of``:

        - ``recency_days`` (int): calendar days from the day of the last paid order to ``as_of``.
        - ``frequency`` (int): number of paid orders.
        - ``monetary`` (float): sum of ``net_amount`` of those orders, yuan.

    Raises
    ------
    DataValidationError
        Missing columns, no orders, or ``as_of`` on or before the first paid order.

    Notes
    -----
    RFM (RFM 模型): R = as_of - last purchase day, F = count of paid orders, M = their total
    spend; the three facts that best predict whether a customer buys again.

    Examples
    --------
    >>> orders = pd.DataFrame({"customer_id": ["a", "a", "b"],
    ...     "order_ts": pd.to_datetime(["2026-01-02 09:00", "2026-01-20 18:00",
    ...         "2026-01-10 12:00"]), "net_amount": [100.0, 50.0, 80.0]})
    >>> rfm_table(orders, "2026-02-01")  # doctest: +NORMALIZE_WHITESPACE
                 recency_days  frequency  monetary
    customer_id
    a                      12          2     150.0
    b                      22          1      80.0
    """
    func = "rfm_table"
    as_of = to_timestamp(as_of, name="as_of", func=func)
    rows = _paid_rows(orders, func=func, customer_col=customer_col, ts_col=ts_col,
                      amount_col=amount_col, status_col=status_col, as_of=as_of)
    n = rows.n_customers
    frequency = np.bincount(rows.codes, minlength=n).astype(np.int64)
    monetary = np.bincount(rows.codes, weights=rows.amount, minlength=n)
    last = np.full(n, np.iinfo(np.int64).min, dtype=np.int64)
    np.maximum.at(last, rows.codes, rows.ts)
    recency = _day(_ts_ns(as_of)) - _day(last)
    return pd.DataFrame({"recency_days": recency.astype(np.int64), "frequency": frequency,
                         "monetary": monetary}, index=rows.customers)


def rfm_scores(rfm: pd.DataFrame, *, bins: int = 5, recency_col: str = "recency_days",
               frequency_col: str = "frequency", monetary_col: str = "monetary") -> pd.DataFrame:
    """Score recency, frequency and monetary value 1..``bins`` in equal-sized groups.

    Parameters
    ----------
    rfm : DataFrame
        Output of :func:`rfm_table` (indexed by customer id).
    bins : int, default 5
        Number of score levels, 2..9 (5 gives the classic 1-5 scores).
    recency_col, frequency_col, monetary_col : str
        Column names in ``rfm``.

    Returns
    -------
    DataFrame
        The columns of ``rfm`` followed by ``r_score``, ``f_score``, ``m_score`` (int, 1..bins;
        higher is better: most recent, most orders, most spend), ``rfm_score`` (str, the three
        digits, e.g. ``"545"``) and ``rfm_total`` (int, their sum).

    Notes
    -----
    Each metric is ranked ascending (recency descending, so the most recent customers score
    ``bins``); among equal values the smaller customer id ranks lower. The customer at rank
    position ``i`` (0-based) of ``n`` gets score ``floor(i * bins / n) + 1``, so groups differ in
    size by at most one customer (quantile scores, 五分位打分). The price of equal groups: when
    many customers share a value (most shops' customers bought once), equal values straddle
    two neighbouring scores, split by customer id.

    Examples
    --------
    >>> rfm = pd.DataFrame({"recency_days": [5, 40, 200], "frequency": [6, 2, 1],
    ...     "monetary": [900.0, 150.0, 80.0]}, index=pd.Index(["a", "b", "c"], name="customer_id"))
    >>> rfm_scores(rfm, bins=3)[["r_score", "f_score", "m_score", "rfm_score"]]
    ... # doctest: +NORMALIZE_WHITESPACE
                 r_score  f_score  m_score rfm_score
    customer_id
    a                  3        3        3       333
    b                  2        2        2       222
    c                  1        1        1       111
    """
    func = "rfm_scores"
    require_columns(rfm, [recency_col, frequency_col, monetary_col], table="rfm", func=func)
    require_non_empty(rfm, table="rfm", func=func, what="customers")
    bins = positive_int(bins, name="bins", func=func, minimum=2)
    if bins > 9:
        raise ValueError(f"{func}: bins must be between 2 and 9 (one digit per score), got {bins}.")
    n = len(rfm)
    by_id = np.argsort(rfm.index.to_numpy(), kind="stable")  # tie-break by customer id
    out = rfm.copy()
    scores = {}
    for name, col, sign in (("r_score", recency_col, -1.0), ("f_score", frequency_col, 1.0),
                            ("m_score", monetary_col, 1.0)):
        values = sign * numeric_values(rfm, col, table="rfm", func=func)
        order = by_id[np.argsort(values[by_id], kind="stable")]
        position = np.empty(n, dtype=np.int64)
        position[order] = np.arange(n)
        scores[name] = position * bins // n + 1
        out[name] = scores[name]
    code = scores["r_score"] * 100 + scores["f_score"] * 10 + scores["m_score"]
    out["rfm_score"] = pd.array(code.astype(str), dtype="str")
    out["rfm_total"] = scores["r_score"] + scores["f_score"] + scores["m_score"]
    return out


# Segment -> ((lowest R, highest R), (lowest F, highest F)) on 1-5 scores; covers all 25 cells.
RFM_SEGMENTS: Mapping[str, tuple[tuple[int, int], tuple[int, int]]] = MappingProxyType({
    "champions": ((5, 5), (4, 5)),           # 重要价值客户: bought recently and often
    "loyal": ((3, 4), (4, 5)),               # 忠诚客户: buy often, fairly recently
    "potential_loyalist": ((4, 5), (2, 3)),  # 潜力客户: recent, a few orders
    "new": ((5, 5), (1, 1)),                 # 新客户: first order very recently
    "promising": ((4, 4), (1, 1)),           # 有希望客户: recent single order
    "need_attention": ((3, 3), (3, 3)),      # 需关注客户: middling on both
    "about_to_sleep": ((3, 3), (1, 2)),      # 即将沉睡: fading, few orders
    "at_risk": ((1, 2), (3, 4)),             # 流失风险: used to buy often, not lately
    "cant_lose": ((1, 2), (5, 5)),           # 不能失去: best customers gone quiet
    "hibernating": ((2, 2), (1, 2)),         # 沉睡客户: long gone, few orders
    "lost": ((1, 1), (1, 2)),                # 流失客户: longest gone, few orders
})
"""RFM segment names and the (R score, F score) cells each covers, best first.

Every one of the 25 (R, F) cells of 1-5 scores belongs to exactly one segment. The M score is
left out on purpose: spend follows order count closely, and the R x F grid is what the trade's
segment charts use.
"""


def rfm_segments(scores: pd.DataFrame, *, r_col: str = "r_score",
                 f_col: str = "f_score") -> pd.DataFrame:
    """Name each customer's RFM segment from their R and F scores (1-5).

    Parameters
    ----------
    scores : DataFrame
        Output of :func:`rfm_scores` with ``bins=5``.
    r_col, f_col : str
        Score column names.

    Returns
    -------
    DataFrame
        ``scores`` with a ``segment`` column added: a categorical whose categories are the
        keys of :data:`RFM_SEGMENTS`, in that order (best first).

    Notes
    -----
    RFM segments (RFM 用户分层): the (R, F) grid cut into named groups, each with its own
    touch, e.g. champions get early access, at_risk and cant_lose get a win-back offer.

    Examples
    --------
    >>> scores = pd.DataFrame({"r_score": [5, 1, 5], "f_score": [5, 1, 1]},
    ...     index=pd.Index(["a", "b", "c"], name="customer_id"))
    >>> rfm_segments(scores)  # doctest: +NORMALIZE_WHITESPACE
                 r_score  f_score    segment
    customer_id
    a                  5        5  champions
    b                  1        1       lost
    c                  5        1        new
    """
    func = "rfm_segments"
    require_columns(scores, [r_col, f_col], table="scores", func=func)
    lookup = np.full((6, 6), -1, dtype=np.int64)
    for code, ((r_lo, r_hi), (f_lo, f_hi)) in enumerate(RFM_SEGMENTS.values()):
        lookup[r_lo:r_hi + 1, f_lo:f_hi + 1] = code
    r = numeric_values(scores, r_col, table="scores", func=func)
    f = numeric_values(scores, f_col, table="scores", func=func)
    bad = ~np.isin(r, np.arange(1, 6)) | ~np.isin(f, np.arange(1, 6))
    if bad.any():
        raise DataValidationError(
            f"{func}: '{r_col}' and '{f_col}' must be whole scores 1-5; rows "
            f"{format_examples(scores.index[bad])} are not. Compute them with "
            f"rfm_scores(rfm, bins=5)."
        )
    out = scores.copy()
    out["segment"] = pd.Categorical.from_codes(lookup[r.astype(int), f.astype(int)],
                                               categories=list(RFM_SEGMENTS))
    return out


def rfm_grid_table(scores: pd.DataFrame, *, r_col: str = "r_score",
                   f_col: str = "f_score") -> pd.DataFrame:
    """Customers in each (R score, F score) cell: the table behind :func:`plots.rfm_grid`.

    Parameters
    ----------
    scores : DataFrame
        Output of :func:`rfm_scores` (any ``bins``).
    r_col, f_col : str
        Score column names.

    Returns
    -------
    DataFrame
        Index ``r_score`` (highest first), columns ``f_score`` (1..max), values = number of
        customers (int; 0 for an empty cell).

    Examples
    --------
    >>> scores = pd.DataFrame({"r_score": [2, 2, 1], "f_score": [1, 2, 2]})
    >>> rfm_grid_table(scores)  # doctest: +NORMALIZE_WHITESPACE
    f_score  1  2
    r_score
    2        1  1
    1        0  1
    """
    func = "rfm_grid_table"
    require_columns(scores, [r_col, f_col], table="scores", func=func)
    require_non_empty(scores, table="scores", func=func, what="customers")
    r = numeric_values(scores, r_col, table="scores", func=func).astype(np.int64)
    f = numeric_values(scores, f_col, table="scores", func=func).astype(np.int64)
    r_max, f_max = int(r.max()), int(f.max())
    counts = np.bincount((r - 1) * f_max + (f - 1), minlength=r_max * f_max)
    grid = counts.reshape(r_max, f_max)[::-1]
    return pd.DataFrame(grid.astype(np.int64),
                        index=pd.Index(np.arange(r_max, 0, -1), name="r_score"),
                        columns=pd.Index(np.arange(1, f_max + 1), name="f_score"))


def segment_summary(segments: pd.DataFrame, *, segment_col: str = "segment",
                    monetary_col: str = "monetary") -> pd.DataFrame:
    """Size and revenue of each segment (RFM segments, lifecycle stages, purchase tiers ...).

    Parameters
    ----------
    segments : DataFrame
        One row per customer with a segment label and their spend, e.g. the output of
        :func:`rfm_segments` or :func:`lifecycle_stages`.
    segment_col : str, default "segment"
        Label column. A categorical keeps its category order and shows empty segments.
    monetary_col : str, default "monetary"
        Spend per customer.

    Returns
    -------
    DataFrame
        Indexed by the segment label (index name = ``segment_col``), columns ``customers``
        (int), ``customer_share``, ``revenue``, ``revenue_share`` and ``revenue_per_customer``
        (NaN for an empty segment). Shares are of all customers and all revenue.

    Notes
    -----
    A small segment with a large revenue share (e.g. champions: 10% of customers, 40% of
    revenue) is where retention money earns most (高价值用户贡献占比).

    Examples
    --------
    >>> seg = pd.DataFrame({"segment": ["vip", "vip", "rest", "rest"],
    ...     "monetary": [600.0, 200.0, 150.0, 50.0]})
    >>> segment_summary(seg)[["customers", "customer_share", "revenue_share"]]
    ... # doctest: +NORMALIZE_WHITESPACE
             customers  customer_share  revenue_share
    segment
    rest             2             0.5            0.2
    vip              2             0.5            0.8
    """
    func = "segment_summary"
    require_columns(segments, [segment_col, monetary_col], table="segments", func=func)
    require_non_empty(segments, table="segments", func=func, what="customers")
    money = numeric_values(segments, monetary_col, table="segments", func=func)
    # a categorical label keeps its order and its empty categories (observed=False)
    frame = pd.DataFrame({"label": segments[segment_col].array, "customers": 1,
                          "revenue": money})
    out = frame.groupby("label", observed=False, sort=True).agg(
        customers=("customers", "sum"), revenue=("revenue", "sum"))
    out.index = pd.Index(np.asarray(out.index, dtype=object), name=segment_col)
    if pd.api.types.is_string_dtype(segments[segment_col].dtype) or isinstance(
            segments[segment_col].dtype, pd.CategoricalDtype):
        out.index = out.index.astype("str")
    out["customers"] = out["customers"].astype(np.int64)
    total_customers = out["customers"].sum()
    total_revenue = out["revenue"].sum()
    out["customer_share"] = out["customers"] / total_customers
    out["revenue_share"] = out["revenue"] / total_revenue if total_revenue else np.nan
    with np.errstate(invalid="ignore", divide="ignore"):
        out["revenue_per_customer"] = out["revenue"] / out["customers"].where(
            out["customers"] > 0)
    return out[["customers", "customer_share", "revenue", "revenue_share", "revenue_per_customer"]]


# ------------------------------------------------------------------------------------------
# lifecycle stages and purchase tiers
# ------------------------------------------------------------------------------------------

LIFECYCLE_STAGES: tuple[str, ...] = ("prospect", "new", "active", "high_value", "lapsing",
                                     "dormant")
"""Lifecycle stages (用户生命周期) in lifecycle order: 注册未购, 新用户, 活跃用户, 高价值用户,
沉默预警, 沉睡用户."""

PURCHASE_TIERS: tuple[str, ...] = ("first_time", "returning", "repeat", "loyal")
"""Purchase tiers of a window's buyers: 首购客, 回头客, 复购客, 忠诚客."""


def lifecycle_stages(orders: pd.DataFrame, customers: pd.DataFrame | None = None, *, as_of,
                     active_days: int = 90, dormant_days: int = 180,
                     high_value_quantile: float = 0.9, new_days: int = 30,
                     customer_col: str = "customer_id", ts_col: str = "order_ts",
                     amount_col: str = "net_amount", status_col: str = "status",
                     signup_col: str = "signup_ts") -> pd.DataFrame:
    """Put every customer in one lifecycle stage at ``as_of``.

    Parameters
    ----------
    orders : DataFrame
        The orders table (paid orders before ``as_of`` count).
    customers : DataFrame, optional
        The customers table (``customer_id``, ``signup_ts``). When given, customers who signed
        up before ``as_of`` without a paid order are included as ``prospect``.
    as_of : date-like
        Moment of the analysis.
    active_days, dormant_days : int, default 90 and 180
        A customer is active with a paid order in the last ``active_days`` days and dormant
        with none in the last ``dormant_days`` days (``active_days <= dormant_days``).
    high_value_quantile : float, default 0.9
        Customers whose total spend is at or above this quantile of all buyers' spend are
        high-value (0.9: the top 10%).
    new_days : int, default 30
        A customer whose first paid order is in the last ``new_days`` days is new.
    customer_col, ts_col, amount_col, status_col, signup_col : str
        Column names (schema defaults).

    Returns
    -------
    DataFrame
        Indexed by ``customer_id`` (sorted), columns ``first_order_ts``, ``last_order_ts``
        (NaT for prospects), ``orders`` (int), ``monetary`` (float), ``days_since_last``
        (Int64, calendar days; missing for prospects) and ``stage`` (categorical with the
        categories of :data:`LIFECYCLE_STAGES`).

    Notes
    -----
    The first rule that matches wins, "within N days" meaning ``order_ts >= as_of - N days``:

    1. ``prospect`` (注册未购): signed up, no paid order yet (only with ``customers``);
    2. ``new`` (新用户): first paid order within ``new_days``;
    3. ``dormant`` (沉睡用户): no paid order within ``dormant_days``, even if they spent a lot;
    4. ``high_value`` (高价值用户): total spend >= the ``high_value_quantile`` of buyers' spend;
    5. ``active`` (活跃用户): a paid order within ``active_days``;
    6. ``lapsing`` (沉默预警): the rest, last order between ``active_days`` and
       ``dormant_days`` ago.

    Each stage gets its own touch: a welcome coupon for new, time-limited offers for active,
    exclusive service for high-value, a win-back gift for dormant.

    Examples
    --------
    >>> orders = pd.DataFrame({"customer_id": ["a", "b", "b", "c"],
    ...     "order_ts": pd.to_datetime(["2026-03-20", "2025-06-01", "2026-02-01", "2025-01-05"]),
    ...     "net_amount": [50.0, 500.0, 700.0, 90.0]})
    >>> stages = lifecycle_stages(orders, as_of="2026-04-01", high_value_quantile=0.5)
    >>> stages["stage"].astype(str).to_dict()
    {'a': 'new', 'b': 'high_value', 'c': 'dormant'}
    """
    func = "lifecycle_stages"
    as_of = to_timestamp(as_of, name="as_of", func=func)
    for name, value in (("active_days", active_days), ("dormant_days", dormant_days),
                        ("new_days", new_days)):
        positive_int(value, name=name, func=func)
    if active_days > dormant_days:
        raise ValueError(f"{func}: active_days ({active_days}) must not exceed dormant_days "
                         f"({dormant_days}).")
    if not 0 < high_value_quantile < 1:
        raise ValueError(f"{func}: high_value_quantile must be between 0 and 1 (e.g. 0.9 for the "
                         f"top 10%), got {high_value_quantile!r}.")
    if customers is not None:
        require_columns(customers, [customer_col, signup_col], table="customers", func=func)
    rows = _paid_rows(orders, func=func, customer_col=customer_col, ts_col=ts_col,
                      amount_col=amount_col, status_col=status_col, as_of=as_of)
    st = _customer_stats(rows)
    t = _ts_ns(as_of)
    threshold = np.quantile(st["monetary"], high_value_quantile)
    conditions = [st["first"] >= t - new_days * _NS_PER_DAY,
                  st["last"] < t - dormant_days * _NS_PER_DAY,
                  st["monetary"] >= threshold,
                  st["last"] >= t - active_days * _NS_PER_DAY]
    stage = np.select(conditions, [1, 5, 3, 2], default=4)
    out = pd.DataFrame({
        "first_order_ts": _to_datetime_index_values(st["first"]),
        "last_order_ts": _to_datetime_index_values(st["last"]),
        "orders": st["orders"], "monetary": st["monetary"],
        "days_since_last": pd.array(_day(t) - _day(st["last"]), dtype="Int64"),
        "stage": stage}, index=rows.customers)
    if customers is not None:
        signup = datetime_ns(customers, signup_col, table="customers", func=func,
                             allow_missing=True)
        ids = customers.loc[(signup < t) & ~np.isnat(signup.view("datetime64[ns]")), customer_col]
        extra = pd.Index(ids.unique(), name=customer_col).difference(out.index)
        if len(extra):
            prospects = pd.DataFrame({
                "first_order_ts": pd.NaT, "last_order_ts": pd.NaT, "orders": 0, "monetary": 0.0,
                "days_since_last": pd.array([pd.NA] * len(extra), dtype="Int64"), "stage": 0},
                index=extra)
            prospects = prospects.astype({"first_order_ts": "datetime64[ns]",
                                          "last_order_ts": "datetime64[ns]", "orders": np.int64})
            out = pd.concat([out, prospects]).sort_index()
            out.index.name = customer_col
    out["stage"] = pd.Categorical.from_codes(out["stage"].to_numpy(np.int64),
                                             categories=list(LIFECYCLE_STAGES))
    return out


def purchase_tiers(orders: pd.DataFrame, *, as_of, window_days: int = 90, loyal_min: int = 3,
                   customer_col: str = "customer_id", ts_col: str = "order_ts",
                   amount_col: str = "net_amount", status_col: str = "status") -> pd.DataFrame:
    """Tier the buyers of the last ``window_days`` days by how often they bought in it.

    Parameters
    ----------
    orders : DataFrame
        The orders table.
    as_of : date-like
        End of the window (exclusive); the window is ``[as_of - window_days days, as_of)``.
    window_days : int, default 90
        Window length in days (the seed's 近90天).
    loyal_min : int, default 3
        Paid orders in the window that make a customer loyal (>= 2).
    customer_col, ts_col, amount_col, status_col : str
        Column names (schema defaults).

    Returns
    -------
    DataFrame
        Indexed by ``customer_id`` (sorted), only customers with a paid order in the window:
        ``orders_in_window`` (int), ``spend_in_window`` (float), ``first_order_ts`` (their first
        paid order ever) and ``tier`` (categorical with the categories of
        :data:`PURCHASE_TIERS`).

    Notes
    -----
    Tiers: ``first_time`` (首购客) one order in the window and it is their first ever;
    ``returning`` (回头客) one order in the window, earlier orders before it; ``repeat`` (复购客)
    2 to ``loyal_min - 1`` orders in the window; ``loyal`` (忠诚客) ``loyal_min`` or more.
    Each tier gets its own touch (welcome guide, repurchase nudge, member perks).

    Examples
    --------
    >>> orders = pd.DataFrame({"customer_id": ["a", "b", "b", "c", "c", "c", "d"],
    ...     "order_ts": pd.to_datetime(["2026-03-01", "2025-06-01", "2026-03-05", "2026-01-10",
    ...         "2026-02-10", "2026-03-10", "2025-05-05"]),
    ...     "net_amount": [50.0, 60.0, 70.0, 10.0, 20.0, 30.0, 99.0]})
    >>> purchase_tiers(orders, as_of="2026-04-01")[["orders_in_window", "tier"]]
    ... # doctest: +NORMALIZE_WHITESPACE
                 orders_in_window        tier
    customer_id
    a                           1  first_time
    b                           1   returning
    c                           3       loyal
    """
    func = "purchase_tiers"
    as_of = to_timestamp(as_of, name="as_of", func=func)
    window_days = positive_int(window_days, name="window_days", func=func)
    loyal_min = positive_int(loyal_min, name="loyal_min", func=func, minimum=2)
    rows = _paid_rows(orders, func=func, customer_col=customer_col, ts_col=ts_col,
                      amount_col=amount_col, status_col=status_col, as_of=as_of)
    n = rows.n_customers
    first, _ = _group_min_max(rows.codes, rows.ts, n)
    start = _ts_ns(as_of) - window_days * _NS_PER_DAY
    in_window = rows.ts >= start
    count = np.bincount(rows.codes[in_window], minlength=n).astype(np.int64)
    spend = np.bincount(rows.codes[in_window], weights=rows.amount[in_window], minlength=n)
    tier = np.select([count >= loyal_min, count >= 2, first >= start], [3, 2, 0], default=1)
    keep = count > 0
    return pd.DataFrame({
        "orders_in_window": count[keep], "spend_in_window": spend[keep],
        "first_order_ts": _to_datetime_index_values(first[keep]),
        "tier": pd.Categorical.from_codes(tier[keep], categories=list(PURCHASE_TIERS))},
        index=rows.customers[keep])


@dataclass(frozen=True)
class DormantShare:
    """Result of :func:`dormant_share`.

    Attributes
    ----------
    as_of : Timestamp
        Moment of the analysis.
    threshold_days : int
        Days without a paid order that make a customer dormant.
    customers : int
        Customers with a paid order before ``as_of``.
    dormant : int
        Of them, customers without a paid order in the last ``threshold_days`` days.
    share : float
        ``dormant / customers``.
    """

    as_of: pd.Timestamp
    threshold_days: int
    customers: int
    dormant: int
    share: float

    def to_frame(self) -> pd.DataFrame:
        """One-row DataFrame with the fields as columns."""
        return pd.DataFrame([{"as_of": self.as_of, "threshold_days": self.threshold_days,
                              "customers": self.customers, "dormant": self.dormant,
                              "share": self.share}])


@keyword_only_since("0.2", "threshold_days")
def dormant_share(orders: pd.DataFrame, as_of, *, threshold_days: int = 180,
                  customer_col: str = "customer_id", ts_col: str = "order_ts",
                  status_col: str = "status") -> DormantShare:
    """How many customers have not bought for ``threshold_days`` days (the slider's function).

    Parameters
    ----------
    orders : DataFrame
        The orders table.
    as_of : date-like
        Moment of the analysis (orders before it count).
    threshold_days : int, default 180
        Days without a paid order after which a customer counts as dormant. Keyword-only
        since 0.2; passing it by position still works in 0.2 with a ``FutureWarning``.
    customer_col, ts_col, status_col : str
        Column names (schema defaults).

    Returns
    -------
    DormantShare
        ``customers``, ``dormant`` and ``share``; ``.to_frame()`` gives a one-row table.

    Notes
    -----
    Dormant customer (沉睡用户): no paid order in the last N days,
    i.e. ``last_order_ts < as_of - N days``; share = dormant / customers who ever bought.

    Examples
    --------
    >>> orders = pd.DataFrame({"customer_id": ["a", "b", "c"],
    ...     "order_ts": pd.to_datetime(["2026-03-20", "2025-06-01", "2025-12-01"])})
    >>> dormant_share(orders, "2026-04-01", threshold_days=90).share
    0.6666666666666666
    """
    func = "dormant_share"
    as_of = to_timestamp(as_of, name="as_of", func=func)
    threshold_days = positive_int(threshold_days, name="threshold_days", func=func)
    rows = _paid_rows(orders, func=func, customer_col=customer_col, ts_col=ts_col,
                      amount_col=None, status_col=status_col, as_of=as_of)
    recent = rows.ts >= _ts_ns(as_of) - threshold_days * _NS_PER_DAY
    active = np.zeros(rows.n_customers, dtype=bool)
    active[rows.codes[recent]] = True
    dormant = int((~active).sum())
    return DormantShare(as_of=as_of, threshold_days=threshold_days, customers=rows.n_customers,
                        dormant=dormant, share=dormant / rows.n_customers)


# ------------------------------------------------------------------------------------------
# a touch for each segment
# ------------------------------------------------------------------------------------------

def touch_budget(stage_sizes: pd.Series, touch_cost: Mapping[str, float], *,
                 blanket_cost: float, take_up: Mapping[str, float] | pd.Series | None = None
                 ) -> pd.DataFrame:
    """Expected cost of one coupon for everyone against a different offer per segment.

    Parameters
    ----------
    stage_sizes : Series
        Customers per segment or lifecycle stage (index = segment, values = counts), e.g.
        ``segment_summary(stages, segment_col="stage")["customers"]``.
    touch_cost : mapping of str to float
        Value of each segment's own offer per customer, yuan (0: no paid offer). Every segment
        of ``stage_sizes`` needs one.
    blanket_cost : float
        Value of the one-size-fits-all offer (the same coupon for everyone), yuan.
    take_up : mapping or Series of str to float, optional
        Share of each segment's customers expected to use an offer (a coupon costs only when it
        is used), in [0, 1]; e.g. the share who bought in a past window of the same length.
        Default: every offer is used (cost = value x customers).

    Returns
    -------
    DataFrame
        Index = the segments in ``stage_sizes`` order, then ``"total"``; columns ``customers``
        (int), ``take_up``, ``blanket_cost`` (customers x take_up x blanket_cost),
        ``targeted_cost`` (customers x take_up x the segment's offer) and ``saving`` (blanket -
        targeted), yuan. The total's ``take_up`` is the customer-weighted mean.

    Raises
    ------
    TypeError
        ``stage_sizes`` is not a Series.
    ValueError
        A segment without an offer or a take-up, a negative or missing size or value, or a
        take-up outside [0, 1].

    Notes
    -----
    cost = customers x take-up x offer value, per segment, summed. One-size-fits-all (一刀切)
    spends most where customers buy anyway: a coupon used by a customer who was going to
    order is a discount on a sale the shop already had.

    Examples
    --------
    >>> sizes = pd.Series({"active": 10, "dormant": 30})
    >>> touch_budget(sizes, {"active": 5.0, "dormant": 30.0}, blanket_cost=20.0,
    ...              take_up={"active": 0.5, "dormant": 0.1})
    ... # doctest: +NORMALIZE_WHITESPACE
             customers  take_up  blanket_cost  targeted_cost  saving
    active          10      0.5         100.0           25.0    75.0
    dormant         30      0.1          60.0           90.0   -30.0
    total           40      0.2         160.0          115.0    45.0
    """
    func = "touch_budget"
    if not isinstance(stage_sizes, pd.Series):
        raise TypeError(f"{func}: stage_sizes must be a pandas Series of customers per segment, "
                        f"got {type(stage_sizes).__name__}.")
    sizes = pd.to_numeric(stage_sizes, errors="coerce")
    bad = (sizes.isna() | (sizes < 0)).to_numpy()
    if bad.any():
        raise ValueError(f"{func}: stage_sizes must be customer counts >= 0; segment(s) "
                         f"{format_examples(stage_sizes.index[bad])} have "
                         f"{format_examples(stage_sizes[bad].tolist())}.")
    labels = [str(s) for s in stage_sizes.index]
    missing = [s for s in labels if s not in touch_cost]
    if missing:
        raise ValueError(f"{func}: no offer value for segment(s) {', '.join(map(repr, missing))}; "
                         f"touch_cost has {', '.join(map(repr, touch_cost)) or 'nothing'}.")
    costs = np.array([float(touch_cost[s]) for s in labels])
    if (costs < 0).any() or blanket_cost < 0:
        raise ValueError(f"{func}: offer values must be >= 0, got "
                         f"{dict(zip(labels, costs.tolist(), strict=True))} and "
                         f"blanket_cost={blanket_cost!r}.")
    if take_up is None:
        rate = np.ones(len(labels))
    else:
        take = {str(k): v for k, v in dict(take_up).items()}
        missing = [s for s in labels if s not in take or pd.isna(take[s])]
        if missing:
            raise ValueError(f"{func}: no take_up for segment(s) "
                             f"{', '.join(map(repr, missing))}; give one per segment.")
        rate = np.array([float(take[s]) for s in labels])
        if ((rate < 0) | (rate > 1)).any():
            raise ValueError(f"{func}: take_up must be shares in [0, 1], got "
                             f"{dict(zip(labels, rate.tolist(), strict=True))}.")
    n = sizes.to_numpy(dtype=float)
    out = pd.DataFrame({"customers": n, "take_up": rate, "blanket_cost": n * rate * blanket_cost,
                        "targeted_cost": n * rate * costs}, index=pd.Index(labels, dtype="str"))
    total = out.sum()
    total["take_up"] = (n * rate).sum() / n.sum() if n.sum() else np.nan
    out = pd.concat([out, total.to_frame("total").T])
    out.index = pd.Index(out.index, dtype="str")
    out["customers"] = out["customers"].astype(np.int64)
    out["saving"] = out["blanket_cost"] - out["targeted_cost"]
    return out
