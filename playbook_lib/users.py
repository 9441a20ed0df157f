"""User operations (用户运营): segmentation, growth, retention, loyalty, CLV and service.

The library half of the ``notebooks/01_users`` lessons. Every function takes the shop's tables
(``orders``, ``customers``, ``referrals``, ``service_tickets``, ``order_items``) as pandas
DataFrames, needs only the columns it names (their names are keyword arguments with the schema's
defaults) and ignores the rest, so a shop with only ``customer_id, order_ts, net_amount`` can
still run RFM, cohorts and CLV.

Conventions used throughout:

- Paid orders (支付订单): rows with ``status == "paid"`` when the table has a status column,
  else every row (see :func:`paid_orders`).
- ``as_of`` is the moment of the analysis: only orders strictly before it count, and "within
  the last N days" means ``order_ts >= as_of - N days``. Day counts such as ``recency_days`` are
  whole calendar days between the order's day and ``as_of``'s day.
- BTYD summaries (:func:`btyd_summary`) follow the lifetimes package instead: the observation
  end is the last day observed (inclusive), as in the published CDNOW analyses.

The CLV models (BG/NBD, Gamma-Gamma) are written here from the published closed forms with
scipy, because lifetimes, the library that had them, is no longer maintained.
"""

from __future__ import annotations

import warnings
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from types import MappingProxyType
from typing import ClassVar

import numpy as np
import pandas as pd
from scipy import optimize, special

from ._frames import isin
from .data.schema import MEMBER_TIERS
from .errors import (
    DataValidationError,
    format_examples,
    require_choice,
    require_columns,
    require_non_empty,
)

__all__ = [
    # conventions and constants
    "paid_orders",
    "RFM_SEGMENTS",
    "LIFECYCLE_STAGES",
    "PURCHASE_TIERS",
    "ConvergenceWarning",
    # segmentation
    "rfm_table",
    "rfm_scores",
    "rfm_segments",
    "rfm_grid_table",
    "segment_summary",
    "lifecycle_stages",
    "purchase_tiers",
    "DormantShare",
    "dormant_share",
    # growth
    "new_customers_by_channel",
    "referral_summary",
    # retention and loyalty
    "cohort_retention",
    "repeat_purchase_rate",
    "no_repeat_within",
    "membership_summary",
    # customer lifetime value
    "HistoricCLV",
    "historic_clv",
    "btyd_summary",
    "BGNBDModel",
    "fit_bgnbd",
    "GammaGammaModel",
    "fit_gamma_gamma",
    "predict_clv",
    # service
    "response_time_summary",
    "fulfilment_summary",
    "return_reasons",
]

_NS_PER_DAY = 86_400 * 10**9
_NS_PER_HOUR = 3_600 * 10**9
_PERIOD_FREQS = ("W", "M", "Q")
# Length of one BTYD time unit in days (see btyd_summary); a month is 365.25 / 12 days.
_BTYD_UNIT_DAYS = MappingProxyType({"D": 1.0, "W": 7.0, "M": 365.25 / 12})
_DAYS_PER_MONTH = 365.25 / 12


class ConvergenceWarning(UserWarning):
    """A model fit that stopped before its optimiser converged (estimates are unreliable)."""


# ------------------------------------------------------------------------------------------
# shared input handling
# ------------------------------------------------------------------------------------------

def _to_timestamp(value, *, name: str, func: str) -> pd.Timestamp:
    """Parse a date argument such as ``as_of`` into a naive Timestamp."""
    try:
        ts = pd.Timestamp(value)
    except (TypeError, ValueError) as exc:
        raise DataValidationError(
            f"{func}: {name}={value!r} is not a date. Pass a date such as '2026-01-31' "
            f"or a pandas Timestamp."
        ) from exc
    if ts is pd.NaT:
        raise DataValidationError(
            f"{func}: {name} is missing (NaT). Pass a date such as '2026-01-31'.")
    if ts.tzinfo is not None:
        ts = ts.tz_localize(None)
    return ts


def _ts_ns(ts: pd.Timestamp) -> int:
    """A Timestamp as int64 nanoseconds since the epoch."""
    return int(ts.as_unit("ns").value)


def _datetime_ns(df: pd.DataFrame, col: str, *, table: str, func: str,
                 allow_missing: bool = False) -> np.ndarray:
    """Column ``col`` as int64 nanoseconds since the epoch (missing values as NaT's int)."""
    s = df[col]
    if isinstance(s.dtype, pd.DatetimeTZDtype):
        s = s.dt.tz_localize(None)
    if not pd.api.types.is_datetime64_any_dtype(s.dtype):
        parsed = pd.to_datetime(s, errors="coerce")
        bad = s[parsed.isna() & s.notna()]
        if len(bad):
            raise DataValidationError(
                f"{func}: column '{col}' of table '{table}' should hold dates and times; "
                f"{len(bad)} value(s) cannot be read as dates, e.g. "
                f"{format_examples(bad.unique())}. "
                f"Fix them in the export or convert with pd.to_datetime(..., format=...)."
            )
        s = parsed
        if isinstance(s.dtype, pd.DatetimeTZDtype):
            s = s.dt.tz_localize(None)
    values = s.to_numpy(dtype="datetime64[ns]")
    missing = np.isnat(values)
    if missing.any() and not allow_missing:
        rows = df.index[missing]
        raise DataValidationError(
            f"{func}: column '{col}' of table '{table}' has {int(missing.sum())} missing "
            f"value(s) (rows {format_examples(rows)}). Drop or fill those rows first."
        )
    return values.view("int64")


def _numeric(df: pd.DataFrame, col: str, *, table: str, func: str,
             allow_missing: bool = False) -> np.ndarray:
    """Column ``col`` as float64, with an error that shows values that are not numbers."""
    s = df[col]
    if not pd.api.types.is_numeric_dtype(s.dtype) or pd.api.types.is_bool_dtype(s.dtype):
        parsed = pd.to_numeric(s, errors="coerce")
        bad = s[parsed.isna() & s.notna()]
        if len(bad):
            raise DataValidationError(
                f"{func}: column '{col}' of table '{table}' should hold numbers; "
                f"{len(bad)} value(s) are not numbers, e.g. {format_examples(bad.unique())}. "
                f"Remove currency signs and thousands separators in the export."
            )
        s = parsed
    values = s.to_numpy(dtype="float64", na_value=np.nan)
    missing = np.isnan(values)
    if missing.any() and not allow_missing:
        rows = df.index[missing]
        raise DataValidationError(
            f"{func}: column '{col}' of table '{table}' has {int(missing.sum())} missing "
            f"value(s) (rows {format_examples(rows)}). Drop or fill those rows first."
        )
    return values


def _paid_mask(df: pd.DataFrame, status_col: str | None) -> np.ndarray:
    if status_col is None or status_col not in df.columns:
        return np.ones(len(df), dtype=bool)
    return df[status_col].eq("paid").to_numpy(dtype=bool, na_value=False)


def paid_orders(orders: pd.DataFrame, *, status_col: str = "status") -> pd.DataFrame:
    """The orders that count as paid (支付订单) in every calculation of this module.

    Parameters
    ----------
    orders : DataFrame
        The orders table.
    status_col : str, default "status"
        Order status column. When the table has no such column, every order counts as paid.

    Returns
    -------
    DataFrame
        The rows of ``orders`` with ``status == "paid"`` (all rows without a status column).

    Examples
    --------
    >>> orders = pd.DataFrame({"order_id": ["1", "2"], "status": ["paid", "cancelled"]})
    >>> paid_orders(orders)
      order_id status
    0        1   paid
    """
    require_columns(orders, [], table="orders", func="paid_orders")
    return orders.loc[_paid_mask(orders, status_col)]


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
    ts = _datetime_ns(orders, ts_col, table="orders", func=func)
    amount = _numeric(orders, amount_col, table="orders", func=func) if amount_col else None
    mask = _paid_mask(orders, status_col)
    if not mask.any():
        raise DataValidationError(
            f"{func}: table 'orders' has no paid orders (no row with {status_col} == 'paid'; "
            f"statuses found: {format_examples(orders[status_col].dropna().unique())}). "
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


def _check_positive_int(value, *, name: str, func: str, minimum: int = 1) -> int:
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < minimum:
        raise ValueError(f"{func}: {name} must be a whole number >= {minimum}, got {value!r}.")
    return int(value)


def _day(ns: np.ndarray | int) -> np.ndarray | int:
    """Calendar day number (days since 1970-01-01) of int64 nanosecond timestamps."""
    return ns // _NS_PER_DAY


def _to_datetime_index_values(ns: np.ndarray) -> np.ndarray:
    return np.asarray(ns, dtype="int64").view("datetime64[ns]")


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
    as_of = _to_timestamp(as_of, name="as_of", func=func)
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
    bins = _check_positive_int(bins, name="bins", func=func, minimum=2)
    if bins > 9:
        raise ValueError(f"{func}: bins must be between 2 and 9 (one digit per score), got {bins}.")
    n = len(rfm)
    by_id = np.argsort(rfm.index.to_numpy(), kind="stable")  # tie-break by customer id
    out = rfm.copy()
    scores = {}
    for name, col, sign in (("r_score", recency_col, -1.0), ("f_score", frequency_col, 1.0),
                            ("m_score", monetary_col, 1.0)):
        values = sign * _numeric(rfm, col, table="rfm", func=func)
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
    r = _numeric(scores, r_col, table="scores", func=func)
    f = _numeric(scores, f_col, table="scores", func=func)
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
    r = _numeric(scores, r_col, table="scores", func=func).astype(np.int64)
    f = _numeric(scores, f_col, table="scores", func=func).astype(np.int64)
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
    money = _numeric(segments, monetary_col, table="segments", func=func)
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


def _customer_stats(rows: _Rows) -> dict[str, np.ndarray]:
    n = rows.n_customers
    first, last = _group_min_max(rows.codes, rows.ts, n)
    return {"first": first, "last": last,
            "orders": np.bincount(rows.codes, minlength=n).astype(np.int64),
            "monetary": np.bincount(rows.codes, weights=rows.amount, minlength=n)}


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
    as_of = _to_timestamp(as_of, name="as_of", func=func)
    for name, value in (("active_days", active_days), ("dormant_days", dormant_days),
                        ("new_days", new_days)):
        _check_positive_int(value, name=name, func=func)
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
        signup = _datetime_ns(customers, signup_col, table="customers", func=func,
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
    as_of = _to_timestamp(as_of, name="as_of", func=func)
    window_days = _check_positive_int(window_days, name="window_days", func=func)
    loyal_min = _check_positive_int(loyal_min, name="loyal_min", func=func, minimum=2)
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


def dormant_share(orders: pd.DataFrame, as_of, threshold_days: int = 180, *,
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
        Days without a paid order after which a customer counts as dormant.
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
    >>> dormant_share(orders, "2026-04-01", 90).share
    0.6666666666666666
    """
    func = "dormant_share"
    as_of = _to_timestamp(as_of, name="as_of", func=func)
    threshold_days = _check_positive_int(threshold_days, name="threshold_days", func=func)
    rows = _paid_rows(orders, func=func, customer_col=customer_col, ts_col=ts_col,
                      amount_col=None, status_col=status_col, as_of=as_of)
    recent = rows.ts >= _ts_ns(as_of) - threshold_days * _NS_PER_DAY
    active = np.zeros(rows.n_customers, dtype=bool)
    active[rows.codes[recent]] = True
    dormant = int((~active).sum())
    return DormantShare(as_of=as_of, threshold_days=threshold_days, customers=rows.n_customers,
                        dormant=dormant, share=dormant / rows.n_customers)


# ------------------------------------------------------------------------------------------
# growth: new customers and referrals
# ------------------------------------------------------------------------------------------

def _period_ordinals(ns: np.ndarray, freq: str) -> np.ndarray:
    """pandas Period ordinals of int64 nanosecond timestamps for freq W (W-SUN), M or Q."""
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


def new_customers_by_channel(frame: pd.DataFrame, freq: str = "M", *, source: str = "auto",
                             customer_col: str = "customer_id", channel_col: str | None = None,
                             ts_col: str | None = None, status_col: str = "status") -> pd.DataFrame:
    """New customers per period and acquisition channel (拉新渠道).

    Parameters
    ----------
    frame : DataFrame
        The customers table (new = signed up; channel = ``acquisition_channel``) or the orders
        table (new = first paid order; channel = that order's ``channel``).
    freq : {"W", "M", "Q"}, default "M"
        Period length.
    source : {"auto", "customers", "orders"}, default "auto"
        Which table ``frame`` is; "auto" means orders when it has ``order_ts``, else customers.
    customer_col : str, default "customer_id"
    channel_col, ts_col : str, optional
        Defaults: ``acquisition_channel`` and ``signup_ts`` for customers, ``channel`` and
        ``order_ts`` for orders.
    status_col : str, default "status"
        Orders only: paid orders count.

    Returns
    -------
    DataFrame
        Columns ``period`` (Period), ``channel`` (str), ``new_customers`` (int) and ``share``
        (of the period's new customers); one row for every period from the first to the last
        and every channel (0 when a channel won nobody). A missing channel shows as "unknown".

    Notes
    -----
    New customers by channel (渠道新客数): the numerator of CAC per channel (spend / new
    customers); a channel's share shows where growth comes from.

    Examples
    --------
    >>> customers = pd.DataFrame({"customer_id": ["a", "b", "c"],
    ...     "signup_ts": pd.to_datetime(["2026-01-05", "2026-01-20", "2026-02-03"]),
    ...     "acquisition_channel": ["douyin", "search", "douyin"]})
    >>> new_customers_by_channel(customers)
        period channel  new_customers  share
    0  2026-01  douyin              1    0.5
    1  2026-01  search              1    0.5
    2  2026-02  douyin              1    1.0
    3  2026-02  search              0    0.0
    """
    func = "new_customers_by_channel"
    require_choice(freq, _PERIOD_FREQS, name="freq", func=func)
    require_choice(source, ("auto", "customers", "orders"), name="source", func=func)
    require_columns(frame, [], table="customers or orders", func=func)
    if source == "auto":
        source = "orders" if "order_ts" in frame.columns else "customers"
    if source == "customers":
        ts_col = ts_col or "signup_ts"
        channel_col = channel_col or "acquisition_channel"
        require_columns(frame, [customer_col, ts_col, channel_col], table="customers", func=func)
        require_non_empty(frame, table="customers", func=func, what="customers")
        ts = _datetime_ns(frame, ts_col, table="customers", func=func)
        first = pd.DataFrame({"customer": frame[customer_col].to_numpy(), "ts": ts,
                              "channel": frame[channel_col].to_numpy()})
        first = first.sort_values(["ts"], kind="stable").drop_duplicates("customer")
    else:
        ts_col = ts_col or "order_ts"
        channel_col = channel_col or "channel"
        require_columns(frame, [channel_col], table="orders", func=func)
        rows = _paid_rows(frame, func=func, customer_col=customer_col, ts_col=ts_col,
                          amount_col=None, status_col=status_col)
        paid = frame.loc[_paid_mask(frame, status_col), channel_col].to_numpy()
        order = np.lexsort((np.arange(len(rows.ts)), rows.ts, rows.codes))
        starts = order[np.r_[True, rows.codes[order][1:] != rows.codes[order][:-1]]]
        first = pd.DataFrame({"ts": rows.ts[starts], "channel": paid[starts]})
    channel = pd.Series(first["channel"].to_numpy(), dtype=object).where(
        first["channel"].notna().to_numpy(), "unknown").astype("str")
    ords = _period_ordinals(first["ts"].to_numpy(np.int64), freq)
    lo = int(ords.min())
    n_periods = int(ords.max()) - lo + 1
    ch_codes, ch_names = pd.factorize(channel, sort=True)
    counts = np.bincount((ords - lo) * len(ch_names) + ch_codes,
                         minlength=n_periods * len(ch_names)).reshape(n_periods, len(ch_names))
    totals = counts.sum(axis=1, keepdims=True)
    with np.errstate(invalid="ignore", divide="ignore"):
        shares = np.where(totals > 0, counts / np.where(totals > 0, totals, 1), np.nan)
    periods = _period_index(np.repeat(np.arange(lo, lo + n_periods), len(ch_names)), freq, "period")
    return pd.DataFrame({"period": periods,
                         "channel": pd.array(np.tile(np.asarray(ch_names, dtype=object), n_periods),
                                             dtype="str"),
                         "new_customers": counts.ravel().astype(np.int64),
                         "share": shares.ravel()})


def referral_summary(referrals: pd.DataFrame, orders: pd.DataFrame | None = None, *,
                     referrer_reward: float | None = None, invitee_reward: float | None = None,
                     freq: str | None = None, referrer_col: str = "referrer_id",
                     invitee_col: str = "invitee_id", signed_up_col: str = "signed_up_ts",
                     first_order_col: str = "first_order_id", invited_col: str = "invited_ts",
                     reward_col: str = "reward_value", order_id_col: str = "order_id",
                     status_col: str = "status") -> pd.DataFrame:
    """Funnel, K-factor and cost of the refer-a-friend programme (老带新).

    Parameters
    ----------
    referrals : DataFrame
        The referrals table, one row per invitation.
    orders : DataFrame, optional
        The orders table. When given, an invitee's first order counts only if it is a paid
        order in this table.
    referrer_reward, invitee_reward : float, optional
        Reward per acquired customer to the inviter and to the invitee, yuan. Give both, or
        neither to use the ``reward_value`` column (rewards paid to both sides per invitation).
    freq : {None, "W", "M", "Q"}, default None
        None: one row for the whole table (index label "all"); else one row per period of
        ``invited_ts``.
    referrer_col, invitee_col, signed_up_col, first_order_col, invited_col, reward_col : str
        Column names in ``referrals`` (schema defaults).
    order_id_col, status_col : str
        Column names in ``orders``.

    Returns
    -------
    DataFrame
        Index ``period``; columns ``invitations``, ``sign_ups``, ``first_orders`` (int),
        ``sign_up_rate`` (sign-ups / invitations), ``first_order_rate`` (first orders /
        sign-ups), ``active_referrers`` (distinct inviters, int), ``invitations_per_referrer``,
        ``k_factor``, ``reward_cost`` and ``cost_per_acquired_customer`` (yuan).

    Notes
    -----
    K-factor (裂变系数) = first orders of invitees / active referrers = invitations per referrer
    x invitation-to-first-order conversion: the new paying customers each inviting customer
    brings. Above 1 the programme grows by itself. Cost per acquired customer = rewards to
    both sides / first orders, to compare with the CAC of paid channels. A sign-up is an
    invitation with a sign-up time (or an invitee id when that column is absent).

    Examples
    --------
    >>> referrals = pd.DataFrame({"referrer_id": ["a", "a", "b", "b"],
    ...     "invitee_id": ["x", "y", None, "z"],
    ...     "signed_up_ts": pd.to_datetime(["2026-01-02", "2026-01-03", None, "2026-01-09"]),
    ...     "first_order_id": ["o1", None, None, "o2"]})
    >>> summary = referral_summary(referrals, referrer_reward=20, invitee_reward=30)
    >>> summary[["invitations", "sign_ups", "first_orders", "k_factor"]]
    ... # doctest: +NORMALIZE_WHITESPACE
            invitations  sign_ups  first_orders  k_factor
    period
    all               4         3             2       1.0
    >>> float(summary.loc["all", "cost_per_acquired_customer"])
    50.0
    """
    func = "referral_summary"
    require_columns(referrals, [referrer_col, first_order_col], table="referrals", func=func)
    require_non_empty(referrals, table="referrals", func=func, what="invitations")
    if freq is not None:
        require_choice(freq, _PERIOD_FREQS, name="freq", func=func)
        require_columns(referrals, [invited_col], table="referrals", func=func)
    if (referrer_reward is None) != (invitee_reward is None):
        raise ValueError(f"{func}: give both referrer_reward and invitee_reward, or neither "
                         f"(then the '{reward_col}' column is used).")
    if referrer_reward is None:
        require_columns(referrals, [reward_col], table="referrals", func=func)
        reward = np.nan_to_num(_numeric(referrals, reward_col, table="referrals", func=func,
                                        allow_missing=True))
    if signed_up_col in referrals.columns:
        signed = referrals[signed_up_col].notna().to_numpy()
    else:
        require_columns(referrals, [invitee_col], table="referrals", func=func)
        signed = referrals[invitee_col].notna().to_numpy()
    first_ids = referrals[first_order_col]
    ordered = first_ids.notna().to_numpy()
    if orders is not None:
        require_columns(orders, [order_id_col], table="orders", func=func)
        paid_ids = orders.loc[_paid_mask(orders, status_col), order_id_col]
        ordered = ordered & first_ids.isin(paid_ids).to_numpy()
    frame = pd.DataFrame({"invitations": 1, "sign_ups": signed.astype(np.int64),
                          "first_orders": ordered.astype(np.int64),
                          "referrer": referrals[referrer_col].to_numpy()})
    if referrer_reward is None:
        frame["reward_cost"] = reward
    else:
        frame["reward_cost"] = ordered * (float(referrer_reward) + float(invitee_reward))
    if freq is None:
        key = np.zeros(len(frame), dtype=np.int64)
        index = pd.Index(["all"], name="period", dtype="str")
    else:
        ords = _period_ordinals(_datetime_ns(referrals, invited_col, table="referrals", func=func),
                                freq)
        key = ords - ords.min()
        index = _period_index(np.arange(ords.min(), ords.max() + 1), freq, "period")
    g = frame.groupby(key)
    out = g[["invitations", "sign_ups", "first_orders", "reward_cost"]].sum()
    out["active_referrers"] = g["referrer"].nunique()
    out = out.reindex(np.arange(len(index)), fill_value=0)
    out.index = index
    for col in ("invitations", "sign_ups", "first_orders", "active_referrers"):
        out[col] = out[col].astype(np.int64)
    out["reward_cost"] = out["reward_cost"].astype(float)
    with np.errstate(invalid="ignore", divide="ignore"):
        def ratio(a, b):
            return (out[a] / out[b].where(out[b] > 0)).astype(float)
        out["sign_up_rate"] = ratio("sign_ups", "invitations")
        out["first_order_rate"] = ratio("first_orders", "sign_ups")
        out["invitations_per_referrer"] = ratio("invitations", "active_referrers")
        out["k_factor"] = ratio("first_orders", "active_referrers")
        out["cost_per_acquired_customer"] = ratio("reward_cost", "first_orders")
    return out[["invitations", "sign_ups", "first_orders", "sign_up_rate", "first_order_rate",
                "active_referrers", "invitations_per_referrer", "k_factor", "reward_cost",
                "cost_per_acquired_customer"]]


# ------------------------------------------------------------------------------------------
# retention and loyalty
# ------------------------------------------------------------------------------------------

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
        end_ns = int(_datetime_ns(orders, ts_col, table="orders", func=func).max())
        end = pd.Timestamp(end_ns)
    else:
        end = _to_timestamp(end, name="end", func=func)
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


def _distinct_days(rows: _Rows) -> np.ndarray:
    """Number of distinct order days per customer."""
    days = _day(rows.ts)
    lo = int(days.min())
    width = int(days.max()) - lo + 1
    pairs = _unique_pairs(rows.codes, days - lo, rows.n_customers, width)
    return np.bincount(pairs // width, minlength=rows.n_customers)


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
    as_of = None if as_of is None else _to_timestamp(as_of, name="as_of", func=func)
    rows = _paid_rows(orders, func=func, customer_col=customer_col, ts_col=ts_col,
                      amount_col=None, status_col=status_col, as_of=as_of)
    return float((_distinct_days(rows) >= 2).mean())


def no_repeat_within(orders: pd.DataFrame, days: int = 90, *, end=None,
                     customer_col: str = "customer_id", ts_col: str = "order_ts",
                     status_col: str = "status") -> float:
    """Share of new customers who did not buy again within ``days`` days of their first order.

    Parameters
    ----------
    orders : DataFrame
        The orders table (paid orders count).
    days : int, default 90
        Length of the follow-up window after the first order.
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
    >>> no_repeat_within(orders, 90)
    0.6666666666666666
    """
    func = "no_repeat_within"
    days = _check_positive_int(days, name="days", func=func)
    require_columns(orders, [customer_col, ts_col], table="orders", func=func)
    if end is None:
        require_non_empty(orders, table="orders", func=func, what="orders")
        end = pd.Timestamp(int(_datetime_ns(orders, ts_col, table="orders", func=func).max()))
    else:
        end = _to_timestamp(end, name="end", func=func)
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
    as_of = None if as_of is None else _to_timestamp(as_of, name="as_of", func=func)
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
        "earned": np.nan_to_num(_numeric(cust, earned_col, table="customers", func=func,
                                         allow_missing=True)),
        "redeemed": np.nan_to_num(_numeric(cust, redeemed_col, table="customers", func=func,
                                           allow_missing=True))}, index=cust.index)
    frame = frame.join(stats, how="left")
    frame[["orders", "gmv", "repeat"]] = frame[["orders", "gmv", "repeat"]].fillna(0)
    frame["buyer"] = (frame["orders"] > 0).astype(np.int64)
    present = list(pd.unique(frame["tier"]))
    order = [t for t in MEMBER_TIERS if t in present] + sorted(t for t in present
                                                               if t not in MEMBER_TIERS)
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


# ------------------------------------------------------------------------------------------
# customer lifetime value: historic
# ------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class HistoricCLV:
    """Result of :func:`historic_clv`.

    Attributes
    ----------
    customers : DataFrame
        Indexed by ``customer_id``: ``group`` (cohort Period or segment label),
        ``first_order_ts``, ``orders`` (int), ``spend`` (yuan to date), ``tenure_days`` (int,
        days from the first paid order to ``as_of``).
    groups : DataFrame
        Indexed by ``group``: ``customers`` (int), ``total_spend``, ``mean_spend``,
        ``median_spend``, ``mean_orders``.
    """

    customers: pd.DataFrame
    groups: pd.DataFrame

    def to_frame(self) -> pd.DataFrame:
        """The per-group table (``groups``)."""
        return self.groups


def historic_clv(orders: pd.DataFrame, *, as_of=None, by="cohort", freq: str = "M",
                 customer_col: str = "customer_id", ts_col: str = "order_ts",
                 amount_col: str = "net_amount", status_col: str = "status") -> HistoricCLV:
    """Historic customer value: spend to date per customer, averaged per cohort or segment.

    Parameters
    ----------
    orders : DataFrame
        The orders table (paid orders count).
    as_of : date-like, optional
        Count only orders before it (default: all orders).
    by : "cohort" or Series
        "cohort": group customers by the period of their first paid order. A Series (or dict)
        mapping customer id to a label (e.g. ``rfm_segments(...)["segment"]``) groups by that
        label; customers without a label are grouped as "unassigned".
    freq : {"W", "M", "Q"}, default "M"
        Cohort period length when ``by="cohort"``.
    customer_col, ts_col, amount_col, status_col : str
        Column names (schema defaults).

    Returns
    -------
    HistoricCLV
        ``customers`` (one row per customer) and ``groups`` (one row per group);
        ``.to_frame()`` returns ``groups``.

    Notes
    -----
    Historic CLV (历史用户价值) = net spend of paid orders to date. Older cohorts have had longer
    to spend, so compare cohorts at equal age, or use :func:`predict_clv` for the future.

    Examples
    --------
    >>> orders = pd.DataFrame({"customer_id": ["a", "a", "b", "c"],
    ...     "order_ts": pd.to_datetime(["2026-01-03", "2026-02-10", "2026-01-20", "2026-02-01"]),
    ...     "net_amount": [100.0, 50.0, 30.0, 80.0]})
    >>> historic_clv(orders).groups  # doctest: +NORMALIZE_WHITESPACE
             customers  total_spend  mean_spend  median_spend  mean_orders
    group
    2026-01          2        180.0        90.0          90.0          1.5
    2026-02          1         80.0        80.0          80.0          1.0
    """
    func = "historic_clv"
    require_choice(freq, _PERIOD_FREQS, name="freq", func=func)
    as_of_ts = None if as_of is None else _to_timestamp(as_of, name="as_of", func=func)
    rows = _paid_rows(orders, func=func, customer_col=customer_col, ts_col=ts_col,
                      amount_col=amount_col, status_col=status_col, as_of=as_of_ts)
    st = _customer_stats(rows)
    ref = _ts_ns(as_of_ts) if as_of_ts is not None else int(rows.ts.max())
    if isinstance(by, str):
        require_choice(by, ("cohort",), name="by", func=func)
        group = _period_index(_period_ordinals(st["first"], freq), freq, "group")
    elif isinstance(by, (pd.Series, Mapping)):
        labels = pd.Series(by)
        group = pd.Index(rows.customers.map(labels.to_dict()), name="group")
        group = group.astype(object).where(group.notna(), "unassigned")
        if isinstance(labels.dtype, pd.CategoricalDtype):
            cats = list(labels.cat.categories) + (["unassigned"] if (group == "unassigned").any()
                                                  else [])
            group = pd.CategoricalIndex(group, categories=cats, name="group")
    else:
        raise ValueError(f"{func}: by must be 'cohort' or a Series mapping customer id to a "
                         f"label, got {type(by).__name__}.")
    customers = pd.DataFrame({
        "group": group, "first_order_ts": _to_datetime_index_values(st["first"]),
        "orders": st["orders"], "spend": st["monetary"],
        "tenure_days": (_day(ref) - _day(st["first"])).astype(np.int64)}, index=rows.customers)
    groups = customers.groupby("group", observed=True, sort=True).agg(
        customers=("spend", "size"), total_spend=("spend", "sum"), mean_spend=("spend", "mean"),
        median_spend=("spend", "median"), mean_orders=("orders", "mean"))
    groups["customers"] = groups["customers"].astype(np.int64)
    if isinstance(groups.index, pd.CategoricalIndex):
        groups.index = pd.Index(groups.index.astype(object), name="group", dtype="str")
    return HistoricCLV(customers=customers, groups=groups)


# ------------------------------------------------------------------------------------------
# customer lifetime value: BTYD models (BG/NBD and Gamma-Gamma)
# ------------------------------------------------------------------------------------------

def btyd_summary(orders: pd.DataFrame, observation_end, freq: str = "W", *,
                 customer_col: str = "customer_id", ts_col: str = "order_ts",
                 amount_col: str = "net_amount", status_col: str = "status") -> pd.DataFrame:
    """Per-customer frequency, recency, T and monetary value for the BTYD models.

    Parameters
    ----------
    orders : DataFrame
        The orders table (paid orders count).
    observation_end : date-like
        Last day observed (inclusive): orders on that day count. T is measured up to it.
    freq : {"D", "W", "M"}, default "W"
        Time unit of ``recency`` and ``T``: days, weeks (7 days) or months (365.25/12 days).
    customer_col, ts_col, amount_col, status_col : str
        Column names (schema defaults).

    Returns
    -------
    DataFrame
        Indexed by ``customer_id`` (sorted), one row per customer with a paid order on or
        before ``observation_end``:

        - ``frequency`` (int): repeat purchases = distinct purchase days - 1;
        - ``recency`` (float): time from the first to the last purchase day;
        - ``T`` (float): time from the first purchase day to ``observation_end``'s day;
        - ``monetary_value`` (float): mean spend per repeat purchase day (the first purchase
          excluded), 0 for customers without a repeat purchase.

    Notes
    -----
    The summary of Fader, Hardie & Lee (2005) used by BG/NBD and Gamma-Gamma (BTYD, "buy till
    you die"). Orders on the same day collapse into one purchase whose spend is their sum, as
    in lifetimes' ``summary_data_from_transaction_data(..., freq="D", freq_multiplier=7)`` for
    weeks: times are whole days divided by the unit's length (exact, not rounded to weeks).

    Examples
    --------
    >>> orders = pd.DataFrame({"customer_id": ["a", "a", "a", "b"],
    ...     "order_ts": pd.to_datetime(["2026-01-01 09:00", "2026-01-15 09:00",
    ...         "2026-01-15 20:00", "2026-01-08 12:00"]), "net_amount": [30.0, 20.0, 10.0, 50.0]})
    >>> btyd_summary(orders, "2026-01-29")  # doctest: +NORMALIZE_WHITESPACE
                 frequency  recency    T  monetary_value
    customer_id
    a                    1      2.0  4.0            30.0
    b                    0      0.0  3.0             0.0
    """
    func = "btyd_summary"
    require_choice(freq, tuple(_BTYD_UNIT_DAYS), name="freq", func=func)
    end = _to_timestamp(observation_end, name="observation_end", func=func).normalize()
    end_inclusive = end + pd.Timedelta(days=1) - pd.Timedelta(1, unit="ns")
    rows = _paid_rows(orders, func=func, customer_col=customer_col, ts_col=ts_col,
                      amount_col=amount_col, status_col=status_col, end=end_inclusive,
                      as_of_name="observation_end", shown=end.date())
    n = rows.n_customers
    days = _day(rows.ts)
    first_day, last_day = _group_min_max(rows.codes, days, n)
    n_days = _distinct_days(rows)
    # orders on one day are one purchase: the first purchase's spend is its whole day's
    total = np.bincount(rows.codes, weights=rows.amount, minlength=n)
    on_first_day = days == first_day[rows.codes]
    first_spend = np.bincount(rows.codes[on_first_day], weights=rows.amount[on_first_day],
                              minlength=n)
    frequency = (n_days - 1).astype(np.int64)
    monetary = np.where(frequency > 0, (total - first_spend) / np.maximum(frequency, 1), 0.0)
    end_day = int(_day(_ts_ns(end)))
    unit = _BTYD_UNIT_DAYS[freq]
    return pd.DataFrame({"frequency": frequency, "recency": (last_day - first_day) / unit,
                         "T": (end_day - first_day) / unit, "monetary_value": monetary},
                        index=rows.customers)


def _summary_arrays(summary: pd.DataFrame, *, func: str, frequency_col: str, recency_col: str,
                    T_col: str) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    require_columns(summary, [frequency_col, recency_col, T_col], table="summary", func=func)
    require_non_empty(summary, table="summary", func=func, what="customers")
    x = _numeric(summary, frequency_col, table="summary", func=func)
    tx = _numeric(summary, recency_col, table="summary", func=func)
    T = _numeric(summary, T_col, table="summary", func=func)
    problems = [
        ((x < 0) | (x != np.round(x)), f"'{frequency_col}' must be a whole number >= 0"),
        ((tx < 0) | (tx > T + 1e-9), f"'{recency_col}' must be between 0 and '{T_col}'"),
        ((T < 0), f"'{T_col}' must be >= 0 (time from the first purchase to the end of the "
                  f"observation)"),
        ((x == 0) & (tx != 0), f"'{recency_col}' must be 0 when '{frequency_col}' is 0"),
    ]
    for bad, what in problems:
        if bad.any():
            raise DataValidationError(
                f"{func}: {what}; {int(bad.sum())} customer(s) break this, e.g. "
                f"{format_examples(summary.index[bad])}. Build the summary with btyd_summary()."
            )
    return x, tx, T


def _require_penalizer(penalizer: float, *, func: str) -> None:
    if not penalizer >= 0:
        raise ValueError(f"{func}: penalizer must be >= 0, got {penalizer!r}.")


def _fit_ml(model: type[_FittedModel], loglik, names: list[str], weights: np.ndarray, *,
            n_customers: int, penalizer: float, func: str, advice: str) -> _FittedModel:
    """Maximum likelihood over log-parameters with the analytic gradient.

    ``loglik(params)`` returns per-row log-likelihoods (n,) and their gradient (k, n) with
    respect to the natural parameters; ``loglik(params, grad=False)`` only the former. The
    objective is lifetimes': the weighted mean negative log-likelihood plus
    ``penalizer * sum(params**2)``. L-BFGS-B starts from all parameters = 1; if it fails,
    Nelder-Mead continues from its best point. Returns a ``model`` holding the parameters
    (named ``names``), the total log-likelihood without the penalty, whether the fit converged,
    and a summary with standard errors from a finite-difference Hessian of the total
    log-likelihood (central differences of the analytic gradient). Warns with
    :class:`ConvergenceWarning` when the optimiser failed or a parameter ran off towards 0 or
    infinity (the data cannot pin it down).
    """
    wsum = weights.sum()

    def objective(log_params):
        params = np.exp(log_params)
        with np.errstate(all="ignore"):
            ll, grad = loglik(params)
        # elementwise sums: BLAS gemv on a (k, n) x (n,) product is far slower here
        value = -(weights * ll).sum() / wsum + penalizer * np.sum(params ** 2)
        gradient = (-(grad * weights).sum(axis=1) / wsum + 2 * penalizer * params) * params
        if not np.isfinite(value) or not np.all(np.isfinite(gradient)):
            return np.inf, np.zeros_like(log_params)
        return value, gradient

    start = np.zeros(len(names))
    best = optimize.minimize(objective, start, jac=True, method="L-BFGS-B",
                             options={"maxiter": 5000, "ftol": 1e-15, "gtol": 1e-10})
    small_gradient = np.isfinite(best.fun) and np.max(np.abs(best.jac)) < 1e-6
    if not (best.success or small_gradient):
        polish = optimize.minimize(lambda z: objective(z)[0], best.x if np.isfinite(best.fun)
                                   else start, method="Nelder-Mead",
                                   options={"maxiter": 20_000, "xatol": 1e-10, "fatol": 1e-14,
                                            "adaptive": True})
        if polish.fun <= best.fun:
            best = polish
            small_gradient = np.max(np.abs(objective(best.x)[1])) < 1e-6
    reason = None
    if not (np.all(np.isfinite(best.x)) and np.isfinite(best.fun)):
        reason = "the likelihood could not be evaluated"
    elif not (best.success or small_gradient):
        reason = f"the optimiser stopped early: {best.message}"
    elif np.any(np.abs(best.x) > 12):
        extreme = ", ".join(f"{n}={v:.3g}" for n, v, lx in zip(names, np.exp(best.x), best.x)
                            if abs(lx) > 12)
        reason = f"parameter(s) ran off to an extreme value ({extreme})"
    if reason:
        warnings.warn(f"{func}: the fit did not converge ({reason}); the estimates are not "
                      f"reliable. {advice}", ConvergenceWarning, stacklevel=3)
    params = np.exp(best.x)
    se = _standard_errors(loglik, params, weights)
    ll = float((weights * loglik(params, grad=False)).sum())
    series = pd.Series(params, index=pd.Index(names, name="param"), name="coef")
    return model(params_=series, log_likelihood_=ll, summary=_coef_table(series, se),
                 n_customers_=int(n_customers), penalizer=float(penalizer),
                 converged_=reason is None)


def _standard_errors(loglik, params: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """Standard errors: the inverse Hessian of the total negative log-likelihood."""
    k = len(params)
    hess = np.empty((k, k))
    with np.errstate(all="ignore"):
        for i in range(k):
            h = 1e-5 * params[i]
            up, down = params.copy(), params.copy()
            up[i] += h
            down[i] -= h
            hess[:, i] = -((loglik(up)[1] - loglik(down)[1]) * weights).sum(axis=1) / (2 * h)
        hess = (hess + hess.T) / 2
        try:
            cov = np.linalg.inv(hess)
        except np.linalg.LinAlgError:
            return np.full(k, np.nan)
    diag = np.diag(cov)
    return np.where(np.isfinite(diag) & (diag > 0), np.sqrt(np.abs(diag)), np.nan)


def _coef_table(params: pd.Series, se: np.ndarray) -> pd.DataFrame:
    out = pd.DataFrame({"coef": params.to_numpy(), "se": se}, index=params.index)
    out["ci_low"] = out["coef"] - 1.959963984540054 * out["se"]
    out["ci_high"] = out["coef"] + 1.959963984540054 * out["se"]
    out.index.name = "param"
    return out


def _per_level(x: np.ndarray):
    """Evaluate ``f`` once per distinct value of the integer ``x`` and spread it back.

    The gamma-function terms of both models depend on the customer only through x (the
    number of repeat purchases), which takes few distinct values.
    """
    levels, inverse = np.unique(x, return_inverse=True)
    return lambda f: f(levels)[inverse]


def _bgnbd_loglik(params, x, tx, T, *, grad: bool = True, by_x=None):
    """Per-customer BG/NBD log-likelihood (Fader, Hardie & Lee 2005, eq. 6) and its gradient.

    Returns the log-likelihoods (n,) and, with ``grad``, their derivatives with respect to
    (r, alpha, a, b), shape (4, n). ``by_x`` (from :func:`_per_level`) speeds up the
    gamma-function terms.
    """
    r, alpha, a, b = params
    by_x = by_x or (lambda f: f(x))
    gammaln, psi = special.gammaln, special.digamma
    has = x > 0
    b_x1 = b + np.maximum(x, 1) - 1                  # b + x - 1, guarded where x == 0
    log_at, log_atx = np.log(alpha + T), np.log(alpha + tx)
    # log Γ(r+x) - log Γ(r) + r log α + log B(a, b+x) - log B(a, b)
    base = by_x(lambda v: gammaln(r + v) + gammaln(b + v) - gammaln(a + b + v)) \
        - gammaln(r) + r * np.log(alpha) - gammaln(b) + gammaln(a + b)
    a3 = -(r + x) * log_at
    a4 = np.log(a) - np.log(b_x1) - (r + x) * log_atx
    mix = np.where(has, np.logaddexp(a3, a4), a3)
    ll = base + mix
    if not grad:
        return ll
    w4 = np.where(has, np.exp(a4 - mix), 0.0)       # weight of the "dropped out at t_x" term
    w3 = 1.0 - w4
    psi_abx = by_x(lambda v: psi(a + b + v))
    d_r = by_x(lambda v: psi(r + v)) - psi(r) + np.log(alpha) - w3 * log_at - w4 * log_atx
    d_alpha = r / alpha - (r + x) * (w3 / (alpha + T) + w4 / (alpha + tx))
    d_a = psi(a + b) - psi_abx + w4 / a
    d_b = by_x(lambda v: psi(b + v)) - psi_abx - psi(b) + psi(a + b) - w4 / b_x1
    return ll, np.stack([d_r, d_alpha, d_a, d_b])


def _unique_rows(*cols: np.ndarray) -> tuple[list[np.ndarray], np.ndarray]:
    """Distinct rows of the given columns and how many customers share each (for weights)."""
    order = np.lexsort(cols[::-1])
    change = np.zeros(len(order), dtype=bool)
    change[0] = True
    for col in cols:
        c = col[order]
        change[1:] |= c[1:] != c[:-1]
    starts = np.flatnonzero(change)
    counts = np.diff(np.r_[starts, len(order)]).astype(float)
    return [col[order][starts] for col in cols], counts


_FITTED_MODEL_DOC = """A fitted {what} (returned by :func:`{fit}`).

    Attributes
    ----------
    params_ : Series
        {params}
    log_likelihood_ : float
        Total log-likelihood at the estimates (without the penalty).
    summary : DataFrame
        Index ``param``; ``coef``, ``se`` (from the numerical Hessian), ``ci_low``, ``ci_high``
        (95%).
    n_customers_ : int
        {customers}
    penalizer : float
        The L2 penalty used.
    converged_ : bool
        Whether the optimiser converged.
    """


@dataclass(frozen=True, repr=False)
class _FittedModel:
    """Fields shared by the fitted BTYD models; each documents them with ``_FITTED_MODEL_DOC``.

    The repr reads ``Name(param=value, ...; n customers)``, with the log-likelihood after the
    customers when ``_repr_log_likelihood`` is set.
    """

    _repr_name: ClassVar[str] = "_FittedModel"
    _repr_log_likelihood: ClassVar[bool] = False

    params_: pd.Series
    log_likelihood_: float
    summary: pd.DataFrame
    n_customers_: int
    penalizer: float
    converged_: bool

    def __repr__(self) -> str:
        p = ", ".join(f"{k}={v:.3g}" for k, v in self.params_.items())
        ll = f", LL={self.log_likelihood_:.1f}" if self._repr_log_likelihood else ""
        return f"{self._repr_name}({p}; {self.n_customers_} customers{ll})"


@dataclass(frozen=True, repr=False)
class BGNBDModel(_FittedModel):
    __doc__ = _FITTED_MODEL_DOC.format(
        what="BG/NBD model", fit="fit_bgnbd",
        params="``r``, ``alpha`` (purchase-rate gamma shape and scale) and ``a``, ``b`` "
               "(drop-out\n        beta parameters).",
        customers="Customers the model was fitted on.")

    _repr_name: ClassVar[str] = "BGNBDModel"
    _repr_log_likelihood: ClassVar[bool] = True

    def predict(self, summary: pd.DataFrame, horizon: float, *, frequency_col: str = "frequency",
                recency_col: str = "recency", T_col: str = "T") -> pd.DataFrame:
        """Expected purchases in the next ``horizon`` time units and probability alive.

        Parameters
        ----------
        summary : DataFrame
            Per-customer ``frequency``, ``recency``, ``T`` (see :func:`btyd_summary`), in the
            same time unit as the data the model was fitted on.
        horizon : float
            Length of the future window, in that time unit (e.g. 52 weeks).
        frequency_col, recency_col, T_col : str
            Column names.

        Returns
        -------
        DataFrame
            Same index as ``summary``: ``expected_purchases`` (repeat purchases expected in
            ``(T, T + horizon]``) and ``prob_alive`` (probability the customer has not
            dropped out).

        Notes
        -----
        Fader, Hardie & Lee (2005), eq. 10 and 11: E[Y(t) | x, t_x, T] =
        (a+b+x-1)/(a-1) * [1 - ((α+T)/(α+T+t))^(r+x) 2F1(r+x, b+x; a+b+x-1; t/(α+T+t))] /
        (1 + δ(x>0) a/(b+x-1) ((α+T)/(α+t_x))^(r+x)), and P(alive) = 1 / (the same
        denominator). Whom to win back: customers with a high past frequency but a low
        probability of being alive (活跃概率).
        """
        func = "BGNBDModel.predict"
        x, tx, T = _summary_arrays(summary, func=func, frequency_col=frequency_col,
                                   recency_col=recency_col, T_col=T_col)
        if not np.isscalar(horizon) or not horizon >= 0:
            raise ValueError(f"{func}: horizon must be a number >= 0, got {horizon!r}.")
        expected, alive = _bgnbd_predict(self.params_.to_numpy(), x, tx, T, float(horizon))
        return pd.DataFrame({"expected_purchases": expected, "prob_alive": alive},
                            index=summary.index)


def _bgnbd_predict(params, x, tx, T, t):
    r, alpha, a, b = params
    with np.errstate(over="ignore", divide="ignore", invalid="ignore"):
        log_odds = (np.log(a) - np.log(b + np.maximum(x, 1) - 1)
                    + (r + x) * (np.log(alpha + T) - np.log(alpha + tx)))
        odds = np.where(x > 0, np.exp(log_odds), 0.0)
        denom = 1.0 + odds
        alive = 1.0 / denom
        if t == 0:
            return np.zeros_like(x, dtype=float), alive
        hyp = special.hyp2f1(r + x, b + x, a + b + x - 1, t / (alpha + T + t))
        body = 1 - np.exp((r + x) * (np.log(alpha + T) - np.log(alpha + T + t))) * hyp
        expected = (a + b + x - 1) / (a - 1) * body / denom
    expected = np.where(np.isfinite(denom), expected, 0.0)
    return expected, alive


def fit_bgnbd(summary: pd.DataFrame, *, penalizer: float = 0.0, frequency_col: str = "frequency",
              recency_col: str = "recency", T_col: str = "T") -> BGNBDModel:
    """Fit the BG/NBD model of repeat purchasing to a BTYD summary.

    Parameters
    ----------
    summary : DataFrame
        One row per customer with ``frequency`` (repeat purchases), ``recency`` and ``T``
        (see :func:`btyd_summary`).
    penalizer : float, default 0.0
        L2 penalty on the parameters (``penalizer * sum(params**2)`` added to the mean negative
        log-likelihood), as in lifetimes; try 0.001-0.1 when the fit does not converge.
    frequency_col, recency_col, T_col : str
        Column names.

    Returns
    -------
    BGNBDModel
        ``params_`` (r, alpha, a, b), ``log_likelihood_``, ``summary`` and ``predict()``.

    Raises
    ------
    DataValidationError
        Missing columns, impossible values, or no customer with a repeat purchase.

    Warns
    -----
    ConvergenceWarning
        When the optimiser does not converge; the message says what to try.

    Notes
    -----
    BG/NBD (Fader, Hardie & Lee 2005): while alive, a customer buys at a Poisson rate λ ~
    Gamma(r, α); after each purchase they drop out with probability p ~ Beta(a, b). The
    likelihood of (x, t_x, T) is B(a, b+x)/B(a, b) Γ(r+x) α^r / Γ(r) [(α+T)^-(r+x) + δ(x>0)
    a/(b+x-1) (α+t_x)^-(r+x)], maximised over log-parameters (L-BFGS-B with the analytic gradient).
    It predicts how many orders each customer will place (预测复购次数) and who has gone.

    Examples
    --------
    >>> summary = pd.DataFrame({"frequency": [0, 0, 0, 1, 1, 2, 3, 5, 0, 2],
    ...     "recency": [0.0, 0.0, 0.0, 30.0, 4.0, 8.0, 36.0, 38.0, 0.0, 20.0], "T": [39.0] * 10})
    >>> model = fit_bgnbd(summary)
    >>> model.params_.round(1).to_dict()
    {'r': 1.0, 'alpha': 22.1, 'a': 0.9, 'b': 6.0}
    >>> model.predict(summary, 26).round(2).tail(3)
       expected_purchases  prob_alive
    7                2.08        0.91
    8                0.40        1.00
    9                0.84        0.71
    """
    func = "fit_bgnbd"
    x, tx, T = _summary_arrays(summary, func=func, frequency_col=frequency_col,
                               recency_col=recency_col, T_col=T_col)
    _require_penalizer(penalizer, func=func)
    if not (x > 0).any():
        raise DataValidationError(
            f"{func}: no customer in the summary has a repeat purchase (all '{frequency_col}' "
            f"are 0), so the model cannot learn how often customers buy or when they leave. "
            f"Use a longer observation period or more customers."
        )
    (ux, utx, uT), w = _unique_rows(x, tx, T)
    by_x = _per_level(ux)
    return _fit_ml(
        BGNBDModel, lambda p, grad=True: _bgnbd_loglik(p, ux, utx, uT, grad=grad, by_x=by_x),
        ["r", "alpha", "a", "b"], w, n_customers=len(x), penalizer=penalizer, func=func,
        advice="Try a penalizer (e.g. penalizer=0.01), more customers or a longer observation "
               "period, or leave out customers who bought once long ago and never again.")


def _gg_loglik(params, x, m, *, grad: bool = True):
    """Per-customer Gamma-Gamma log-likelihood of the mean spend m of x repeat purchases.

    Returns the log-likelihoods (n,) and, with ``grad``, their gradient wrt (p, q, v), (3, n).
    """
    p, q, v = params
    px = p * x
    log_xmv = np.log(x * m + v)
    ll = (special.gammaln(px + q) - special.gammaln(px) - special.gammaln(q) + q * np.log(v)
          + (px - 1) * np.log(m) + px * np.log(x) - (px + q) * log_xmv)
    if not grad:
        return ll
    psi = special.digamma
    d_p = x * (psi(px + q) - psi(px) + np.log(m) + np.log(x) - log_xmv)
    d_q = psi(px + q) - psi(q) + np.log(v) - log_xmv
    d_v = q / v - (px + q) / (x * m + v)
    return ll, np.stack([d_p, d_q, d_v])


@dataclass(frozen=True, repr=False)
class GammaGammaModel(_FittedModel):
    __doc__ = _FITTED_MODEL_DOC.format(
        what="Gamma-Gamma spend model", fit="fit_gamma_gamma",
        params="``p`` (shape of spend per order), ``q`` and ``v`` (gamma prior on the "
               "customer's\n        mean-spend scale).",
        customers="Customers with a repeat purchase used for the fit.")

    _repr_name: ClassVar[str] = "GammaGammaModel"

    def conditional_expected_spend(self, summary: pd.DataFrame, *,
                                   frequency_col: str = "frequency",
                                   monetary_col: str = "monetary_value") -> pd.Series:
        """Expected spend per future purchase of each customer.

        Parameters
        ----------
        summary : DataFrame
            Per-customer ``frequency`` and ``monetary_value`` (see :func:`btyd_summary`).
        frequency_col, monetary_col : str
            Column names.

        Returns
        -------
        Series
            Named ``expected_spend``, same index as ``summary``. Customers without a repeat
            purchase get the population mean ``p v / (q - 1)``.

        Notes
        -----
        E[Z | x, z̄] = p (v + x z̄) / (p x + q - 1): a weighted average of the population mean
        and the customer's own mean, trusting the customer's more the more orders they have.
        """
        func = "GammaGammaModel.conditional_expected_spend"
        require_columns(summary, [frequency_col, monetary_col], table="summary", func=func)
        x = _numeric(summary, frequency_col, table="summary", func=func)
        m = _numeric(summary, monetary_col, table="summary", func=func)
        p, q, v = self.params_.to_numpy()
        m = np.where(x > 0, m, 0.0)
        return pd.Series(p * (v + x * m) / (p * x + q - 1), index=summary.index,
                         name="expected_spend")


def fit_gamma_gamma(summary: pd.DataFrame, *, penalizer: float = 0.0,
                    frequency_col: str = "frequency",
                    monetary_col: str = "monetary_value") -> GammaGammaModel:
    """Fit the Gamma-Gamma model of spend per purchase to the repeat buyers of a summary.

    Parameters
    ----------
    summary : DataFrame
        Per-customer ``frequency`` (repeat purchases) and ``monetary_value`` (mean spend of
        repeat purchases), see :func:`btyd_summary`. Only customers with ``frequency > 0``
        are used (selected here, no need to filter first).
    penalizer : float, default 0.0
        L2 penalty on the parameters, as in :func:`fit_bgnbd`.
    frequency_col, monetary_col : str
        Column names.

    Returns
    -------
    GammaGammaModel
        ``params_`` (p, q, v), ``log_likelihood_``, ``summary`` and
        ``conditional_expected_spend()``.

    Warns
    -----
    UserWarning
        When repeat buyers with a mean spend of 0 or less are left out (the model needs
        positive spend).
    ConvergenceWarning
        When the optimiser does not converge.

    Notes
    -----
    Gamma-Gamma (Fader & Hardie 2013): spend per purchase z ~ Gamma(p, ν) around a
    customer-level ν ~ Gamma(q, v). The likelihood of a mean z̄ over x purchases is
    Γ(px+q)/(Γ(px)Γ(q)) v^q z̄^(px-1) x^(px) / (v + x z̄)^(px+q). It assumes spend does not
    depend on how often a customer buys; check the correlation of frequency and
    monetary_value first (客单价预测).

    Examples
    --------
    >>> summary = pd.DataFrame({"frequency": [0, 1, 1, 2, 3, 5, 2],
    ...     "monetary_value": [0.0, 20.0, 35.0, 25.0, 60.0, 30.0, 45.0]})
    >>> model = fit_gamma_gamma(summary)
    >>> model.n_customers_
    6
    >>> model.conditional_expected_spend(summary).round(2).tolist()
    [36.47, 25.48, 35.49, 27.29, 56.65, 30.59, 43.3]
    """
    func = "fit_gamma_gamma"
    require_columns(summary, [frequency_col, monetary_col], table="summary", func=func)
    require_non_empty(summary, table="summary", func=func, what="customers")
    _require_penalizer(penalizer, func=func)
    x = _numeric(summary, frequency_col, table="summary", func=func)
    m = _numeric(summary, monetary_col, table="summary", func=func)
    repeat = x > 0
    non_positive = repeat & (m <= 0)
    if non_positive.any():
        warnings.warn(
            f"{func}: left out {int(non_positive.sum())} repeat buyer(s) whose mean spend is 0 "
            f"or less (e.g. {format_examples(summary.index[non_positive])}); the model needs "
            f"positive spend.", UserWarning, stacklevel=2)
    use = repeat & (m > 0)
    if use.sum() < 2:
        raise DataValidationError(
            f"{func}: the model needs customers with a repeat purchase (frequency > 0) and a "
            f"positive monetary_value; found {int(use.sum())}. Use a longer observation period "
            f"or more customers."
        )
    (ux, um), w = _unique_rows(x[use], m[use])
    return _fit_ml(
        GammaGammaModel, lambda p, grad=True: _gg_loglik(p, ux, um, grad=grad),
        ["p", "q", "v"], w, n_customers=use.sum(), penalizer=penalizer, func=func,
        advice="Try a penalizer (e.g. penalizer=0.01), more repeat buyers, or remove extreme "
               "spend outliers.")


def predict_clv(bgnbd: BGNBDModel, gg: GammaGammaModel, summary: pd.DataFrame, *,
                horizon: int = 12, discount_rate: float = 0.01, freq: str = "W",
                frequency_col: str = "frequency", recency_col: str = "recency",
                T_col: str = "T", monetary_col: str = "monetary_value") -> pd.DataFrame:
    """Predicted customer lifetime value over the next ``horizon`` months, discounted monthly.

    Parameters
    ----------
    bgnbd : BGNBDModel
        From :func:`fit_bgnbd`.
    gg : GammaGammaModel
        From :func:`fit_gamma_gamma`.
    summary : DataFrame
        Per-customer ``frequency``, ``recency``, ``T``, ``monetary_value``.
    horizon : int, default 12
        Months ahead.
    discount_rate : float, default 0.01
        Monthly discount rate (0.01 is about 12.7% a year).
    freq : {"D", "W", "M"}, default "W"
        Time unit of ``recency`` and ``T`` in ``summary`` (as passed to :func:`btyd_summary`).
    frequency_col, recency_col, T_col, monetary_col : str
        Column names.

    Returns
    -------
    DataFrame
        Same index as ``summary``: ``expected_purchases`` (over the horizon), ``prob_alive``,
        ``expected_spend`` (per purchase) and ``clv`` (yuan).

    Notes
    -----
    CLV (用户生命周期价值) = Σ_{m=1..horizon} E[spend per purchase] x (E[purchases by month m]
    - E[purchases by month m-1]) / (1 + discount_rate)^m, as lifetimes'
    ``customer_lifetime_value`` (a month is 365.25/12 days here). Compare it with the CAC
    of the channel that brought the customer.

    Examples
    --------
    >>> summary = pd.DataFrame({"frequency": [0, 0, 0, 1, 1, 2, 3, 5, 0, 2],
    ...     "recency": [0.0, 0.0, 0.0, 30.0, 4.0, 8.0, 36.0, 38.0, 0.0, 20.0], "T": [39.0] * 10,
    ...     "monetary_value": [0.0, 0.0, 0.0, 20.0, 35.0, 25.0, 60.0, 30.0, 0.0, 45.0]})
    >>> bgnbd, gg = fit_bgnbd(summary), fit_gamma_gamma(summary)
    >>> predict_clv(bgnbd, gg, summary, horizon=6).round(2).tail(4)
       expected_purchases  prob_alive  expected_spend    clv
    6                1.36        0.88           56.65  74.53
    7                2.09        0.91           30.59  61.74
    8                0.40        1.00           36.47  13.98
    9                0.84        0.71           43.30  35.10
    """
    func = "predict_clv"
    if not isinstance(bgnbd, BGNBDModel) or not isinstance(gg, GammaGammaModel):
        raise TypeError(f"{func}: pass the fitted models from fit_bgnbd() and fit_gamma_gamma().")
    require_choice(freq, tuple(_BTYD_UNIT_DAYS), name="freq", func=func)
    horizon = _check_positive_int(horizon, name="horizon", func=func)
    if not discount_rate >= 0:
        raise ValueError(f"{func}: discount_rate must be >= 0, got {discount_rate!r}.")
    x, tx, T = _summary_arrays(summary, func=func, frequency_col=frequency_col,
                               recency_col=recency_col, T_col=T_col)
    spend = gg.conditional_expected_spend(summary, frequency_col=frequency_col,
                                          monetary_col=monetary_col).to_numpy()
    per_month = _DAYS_PER_MONTH / _BTYD_UNIT_DAYS[freq]
    params = bgnbd.params_.to_numpy()
    previous = np.zeros(len(x))
    value = np.zeros(len(x))
    for month in range(1, horizon + 1):
        cumulative, alive = _bgnbd_predict(params, x, tx, T, month * per_month)
        value += spend * (cumulative - previous) / (1 + discount_rate) ** month
        previous = cumulative
    return pd.DataFrame({"expected_purchases": previous, "prob_alive": alive,
                         "expected_spend": spend, "clv": value}, index=summary.index)


# ------------------------------------------------------------------------------------------
# customer service (客户服务): response, fulfilment, returns
# ------------------------------------------------------------------------------------------

def response_time_summary(service_tickets: pd.DataFrame, *, target_s: float = 180.0,
                          by: Sequence[str] = ("stage", "handled_by"),
                          resolve_within_h: float = 24.0,
                          response_col: str = "first_response_s",
                          created_col: str = "created_ts", resolved_col: str = "resolved_ts",
                          satisfaction_col: str = "satisfaction") -> pd.DataFrame:
    """First-response time, resolution and satisfaction of customer-service contacts.

    Parameters
    ----------
    service_tickets : DataFrame
        The service_tickets table.
    target_s : float, default 180
        Response-time target in seconds (the seed: people answer in minutes, the bot in
        seconds).
    by : sequence of str, default ("stage", "handled_by")
        Columns to group by; ``()`` for one overall row.
    resolve_within_h : float, default 24
        Resolution target in hours (the seed: after-sales within 24 h, complaints within 48 h).
    response_col, created_col, resolved_col, satisfaction_col : str
        Column names. ``resolved_ts`` and ``satisfaction`` are optional (NaN columns without
        them).

    Returns
    -------
    DataFrame
        The ``by`` columns, then ``tickets`` (int), ``median_first_response_s``,
        ``p90_first_response_s``, ``within_target_share`` (tickets answered within
        ``target_s`` / tickets), ``median_resolution_h``, ``resolved_within_share`` (resolved
        within ``resolve_within_h`` / tickets) and ``mean_satisfaction``; sorted by ``by``.

    Notes
    -----
    Response time (响应时长): seconds from the contact to the first answer. Unanswered tickets
    count against the target; medians use answered tickets only.

    Examples
    --------
    >>> tickets = pd.DataFrame({"stage": ["pre_sale"] * 3, "handled_by": ["bot", "bot", "human"],
    ...     "first_response_s": [5.0, 15.0, 300.0]})
    >>> response_time_summary(tickets, target_s=60)[["handled_by", "tickets",
    ...     "median_first_response_s", "within_target_share"]]
      handled_by  tickets  median_first_response_s  within_target_share
    0        bot        2                     10.0                  1.0
    1      human        1                    300.0                  0.0
    """
    func = "response_time_summary"
    by = [by] if isinstance(by, str) else list(by)
    require_columns(service_tickets, by + [response_col], table="service_tickets", func=func)
    require_non_empty(service_tickets, table="service_tickets", func=func, what="tickets")
    response = _numeric(service_tickets, response_col, table="service_tickets", func=func,
                        allow_missing=True)
    frame = pd.DataFrame({"response": response,
                          "within": (response <= target_s).astype(np.int64)},
                         index=service_tickets.index)
    frame["resolution_h"] = np.nan
    frame["resolved_within"] = 0
    if resolved_col in service_tickets.columns and created_col in service_tickets.columns:
        created = _datetime_ns(service_tickets, created_col, table="service_tickets", func=func)
        resolved = _datetime_ns(service_tickets, resolved_col, table="service_tickets",
                                func=func, allow_missing=True)
        ok = ~np.isnat(resolved.view("datetime64[ns]"))
        hours = np.where(ok, (resolved - created) / _NS_PER_HOUR, np.nan)
        frame["resolution_h"] = hours
        frame["resolved_within"] = (hours <= resolve_within_h).astype(np.int64)
    frame["satisfaction"] = (_numeric(service_tickets, satisfaction_col, table="service_tickets",
                                      func=func, allow_missing=True)
                             if satisfaction_col in service_tickets.columns else np.nan)
    for col in by:
        frame[col] = service_tickets[col].to_numpy()
    keys = by if by else np.zeros(len(frame), dtype=np.int64)
    g = frame.groupby(keys, sort=True, dropna=False)
    out = g.agg(tickets=("response", "size"), median_first_response_s=("response", "median"),
                within=("within", "sum"), median_resolution_h=("resolution_h", "median"),
                resolved=("resolved_within", "sum"), mean_satisfaction=("satisfaction", "mean"))
    out["tickets"] = out["tickets"].astype(np.int64)
    out["p90_first_response_s"] = g["response"].quantile(0.9)
    out["within_target_share"] = out["within"] / out["tickets"]
    out["resolved_within_share"] = out["resolved"] / out["tickets"]
    out = out.reset_index(drop=not by)
    return out[by + ["tickets", "median_first_response_s", "p90_first_response_s",
                     "within_target_share", "median_resolution_h", "resolved_within_share",
                     "mean_satisfaction"]]


def fulfilment_summary(orders: pd.DataFrame, *, ship_within_h: float = 24.0,
                       deliver_within_h: float = 72.0, freq: str | None = None,
                       ts_col: str = "order_ts", shipped_col: str = "shipped_ts",
                       delivered_col: str = "delivered_ts",
                       status_col: str = "status") -> pd.DataFrame:
    """Shipping speed, delivery time and delays of paid orders (履约).

    Parameters
    ----------
    orders : DataFrame
        The orders table with ``order_ts``, ``shipped_ts``, ``delivered_ts``.
    ship_within_h : float, default 24
        Shipping promise in hours after the order (the seed: 下单后24小时内发货).
    deliver_within_h : float, default 72
        Delivery promise in hours after the order; later deliveries count as delayed.
    freq : {None, "W", "M", "Q"}, default None
        None: one row (index "all"); else one row per period of ``order_ts``.
    ts_col, shipped_col, delivered_col, status_col : str
        Column names (schema defaults).

    Returns
    -------
    DataFrame
        Index ``period``; columns ``orders`` (paid, int), ``shipped_share``,
        ``shipped_within_share`` (shipped within ``ship_within_h`` / orders),
        ``median_ship_h``, ``median_delivery_h`` (order to delivery), ``delayed_share``
        (delivered later than ``deliver_within_h`` / delivered orders).

    Notes
    -----
    On-time shipping rate (24小时发货率) = orders shipped within the promise / paid orders;
    unshipped orders count as late.

    Examples
    --------
    >>> orders = pd.DataFrame({"order_ts": pd.to_datetime(["2026-01-01 10:00"] * 2),
    ...     "shipped_ts": pd.to_datetime(["2026-01-01 20:00", "2026-01-03 10:00"]),
    ...     "delivered_ts": pd.to_datetime(["2026-01-03 10:00", "2026-01-06 10:00"])})
    >>> fulfilment_summary(orders)[["orders", "shipped_within_share", "median_delivery_h",
    ...     "delayed_share"]]  # doctest: +NORMALIZE_WHITESPACE
            orders  shipped_within_share  median_delivery_h  delayed_share
    period
    all          2                   0.5               84.0            0.5
    """
    func = "fulfilment_summary"
    require_columns(orders, [ts_col, shipped_col, delivered_col], table="orders", func=func)
    require_non_empty(orders, table="orders", func=func, what="orders")
    if freq is not None:
        require_choice(freq, _PERIOD_FREQS, name="freq", func=func)
    paid = orders.loc[_paid_mask(orders, status_col)]
    require_non_empty(paid, table="orders", func=func, what="paid orders")
    ts = _datetime_ns(paid, ts_col, table="orders", func=func)
    shipped = _datetime_ns(paid, shipped_col, table="orders", func=func, allow_missing=True)
    delivered = _datetime_ns(paid, delivered_col, table="orders", func=func, allow_missing=True)
    nat = np.iinfo(np.int64).min
    ship_h = np.where(shipped != nat, (shipped - ts) / _NS_PER_HOUR, np.nan)
    deliver_h = np.where(delivered != nat, (delivered - ts) / _NS_PER_HOUR, np.nan)
    frame = pd.DataFrame({
        "orders": 1, "shipped": (shipped != nat).astype(np.int64),
        "within": (ship_h <= ship_within_h).astype(np.int64), "ship_h": ship_h,
        "deliver_h": deliver_h, "delivered": (delivered != nat).astype(np.int64),
        "delayed": (deliver_h > deliver_within_h).astype(np.int64)})
    if freq is None:
        key = np.zeros(len(frame), dtype=np.int64)
        index = pd.Index(["all"], name="period", dtype="str")
    else:
        ords = _period_ordinals(ts, freq)
        key = ords - ords.min()
        index = _period_index(np.arange(ords.min(), ords.max() + 1), freq, "period")
    g = frame.groupby(key).agg(orders=("orders", "sum"), shipped=("shipped", "sum"),
                               within=("within", "sum"), median_ship_h=("ship_h", "median"),
                               median_delivery_h=("deliver_h", "median"),
                               delivered=("delivered", "sum"), delayed=("delayed", "sum"))
    g = g.reindex(np.arange(len(index)))
    g.index = index
    g["orders"] = g["orders"].fillna(0).astype(np.int64)
    with np.errstate(invalid="ignore", divide="ignore"):
        orders_n = g["orders"].where(g["orders"] > 0)
        g["shipped_share"] = g["shipped"] / orders_n
        g["shipped_within_share"] = g["within"] / orders_n
        g["delayed_share"] = g["delayed"] / g["delivered"].where(g["delivered"] > 0)
    return g[["orders", "shipped_share", "shipped_within_share", "median_ship_h",
              "median_delivery_h", "delayed_share"]]


def return_reasons(order_items: pd.DataFrame, *, orders: pd.DataFrame | None = None,
                   products: pd.DataFrame | None = None, category: str | None = None,
                   split_date=None, order_id_col: str = "order_id", sku_col: str = "sku",
                   quantity_col: str = "quantity", returned_col: str = "returned_qty",
                   reason_col: str = "return_reason", category_col: str = "category",
                   ts_col: str = "order_ts", status_col: str = "status",
                   shipped_statuses: tuple[str, ...] = ("paid", "refunded")) -> pd.DataFrame:
    """Pareto table of return reasons (退货原因), optionally before and after a date.

    Parameters
    ----------
    order_items : DataFrame
        The order_items table (``quantity``, ``returned_qty``, ``return_reason``).
    orders : DataFrame, optional
        The orders table; needed with ``split_date`` (for each line's order date). When it has
        a ``status`` column, only lines of shipped orders (``shipped_statuses``) count, so the
        return rate's denominator leaves out unpaid and cancelled orders that never shipped.
    products : DataFrame, optional
        The products table; needed with ``category``.
    category : str, optional
        Only lines of SKUs in this category (e.g. "apparel").
    split_date : date-like, optional
        Split into ``before`` (orders before it) and ``after`` (on or after it), e.g. the
        month a size guide went live.
    order_id_col, sku_col, quantity_col, returned_col, reason_col, category_col, ts_col : str
        Column names (schema defaults).

    Returns
    -------
    DataFrame
        Columns ``period`` ("all", or "before"/"after"), ``reason`` (a missing reason shows as
        "not given"), ``returned_units`` (int), ``share`` (of the period's returned units),
        ``cumulative_share`` and ``return_rate`` (returned units for the reason / units sold in
        the period); sorted by period, then most returned first.

    Notes
    -----
    Pareto analysis (帕累托分析): a few reasons cause most returns; fix the top one first (the
    seed's example: size mismatch, answered with a better size guide on the detail page).

    Examples
    --------
    >>> items = pd.DataFrame({"quantity": [2, 1, 3, 1], "returned_qty": [2, 1, 1, 0],
    ...     "return_reason": ["size", "quality", "size", None]})
    >>> return_reasons(items)
      period   reason  returned_units  share  cumulative_share  return_rate
    0    all     size               3   0.75              0.75     0.428571
    1    all  quality               1   0.25              1.00     0.142857
    """
    func = "return_reasons"
    require_columns(order_items, [quantity_col, returned_col, reason_col], table="order_items",
                    func=func)
    require_non_empty(order_items, table="order_items", func=func, what="order lines")
    items = order_items
    if orders is not None and status_col in orders.columns:
        require_columns(items, [order_id_col], table="order_items", func=func)
        require_columns(orders, [order_id_col], table="orders", func=func)
        shipped = orders.loc[orders[status_col].isin(list(shipped_statuses)), order_id_col]
        items = items.loc[isin(items[order_id_col], shipped)]
        require_non_empty(items, table="order_items", func=func,
                          what=f"lines of orders with status {', '.join(shipped_statuses)}")
    if category is not None:
        if products is None:
            raise DataValidationError(f"{func}: category={category!r} needs the products table "
                                      f"(pass products=ds.products) to know each SKU's category.")
        require_columns(items, [sku_col], table="order_items", func=func)
        require_columns(products, [sku_col, category_col], table="products", func=func)
        skus = products.loc[products[category_col] == category, sku_col]
        if not len(skus):
            raise DataValidationError(
                f"{func}: no product has {category_col} == {category!r}; categories found: "
                f"{format_examples(sorted(products[category_col].dropna().unique()))}.")
        items = items.loc[items[sku_col].isin(skus)]
        require_non_empty(items, table="order_items", func=func,
                          what=f"order lines in category {category!r}")
    if split_date is not None:
        if orders is None:
            raise DataValidationError(f"{func}: split_date needs the orders table (pass "
                                      f"orders=ds.orders) to know each line's order date.")
        split = _to_timestamp(split_date, name="split_date", func=func)
        require_columns(items, [order_id_col], table="order_items", func=func)
        require_columns(orders, [order_id_col, ts_col], table="orders", func=func)
        when = pd.Series(_datetime_ns(orders, ts_col, table="orders", func=func),
                         index=orders[order_id_col].to_numpy())
        line_ts = items[order_id_col].map(when)
        unknown = line_ts.isna().to_numpy()
        if unknown.any():
            raise DataValidationError(
                f"{func}: {int(unknown.sum())} order line(s) point at orders not in the orders "
                f"table, e.g. {format_examples(items.loc[unknown, order_id_col].unique())}. "
                f"Pass the full orders table.")
        period = np.where(line_ts.to_numpy(np.int64) < _ts_ns(split), "before", "after")
    else:
        period = np.full(len(items), "all", dtype=object)
    qty = _numeric(items, quantity_col, table="order_items", func=func)
    returned = np.nan_to_num(_numeric(items, returned_col, table="order_items", func=func,
                                      allow_missing=True))
    reason = items[reason_col].astype(object).where(items[reason_col].notna(), "not given")
    frame = pd.DataFrame({"period": period, "reason": reason.to_numpy(), "returned": returned,
                          "qty": qty})
    sold = frame.groupby("period")["qty"].sum()
    ret = frame.loc[frame["returned"] > 0].groupby(["period", "reason"], as_index=False)[
        "returned"].sum()
    periods = [p for p in ("all", "before", "after") if p in sold.index]
    parts = []
    for p in periods:
        part = ret.loc[ret["period"] == p].sort_values(["returned", "reason"],
                                                       ascending=[False, True], kind="stable")
        total = part["returned"].sum()
        part = part.assign(share=part["returned"] / total if total else np.nan)
        part["cumulative_share"] = part["share"].cumsum()
        part["return_rate"] = part["returned"] / sold[p] if sold[p] else np.nan
        parts.append(part)
    out = pd.concat(parts, ignore_index=True) if parts else ret.iloc[0:0]
    out = out.rename(columns={"returned": "returned_units"})
    out["returned_units"] = out["returned_units"].round().astype(np.int64)
    out["period"] = out["period"].astype("str")
    out["reason"] = out["reason"].astype("str")
    return out[["period", "reason", "returned_units", "share", "cumulative_share",
                "return_rate"]].reset_index(drop=True)
