"""Order semantics, one definition each.

Which orders are paid, which shipped, the moment of an analysis (``as_of``) and the latest full
month. Every module and exercise set asks these questions here, so "paid order" means the same
thing in a lesson, in the monthly review and in a test.

Which orders count
------------------
* **Money** (GMV, AOV, margin, ABC revenue, RFM, CLV) counts **paid** orders,
  :data:`PAID_STATUSES`: unpaid, cancelled and refunded orders brought in no money (refunds are
  shown separately, never inside GMV).
* **Stock and demand** (units sold for turnover, days of inventory, sell-through, safety stock,
  return rates) count **shipped** orders, :data:`SHIPPED_STATUSES` (paid and refunded): a
  refunded order still took units off the shelf.
* A table without a ``status`` column is taken as already filtered: every row counts.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import pandas as pd

from .data.schema import ORDER_STATUSES
from .errors import DataValidationError, require_choice, require_columns, require_non_empty

__all__ = [
    "PAID_STATUSES",
    "SHIPPED_STATUSES",
    "status_mask",
    "paid_mask",
    "paid_orders",
    "shipped_orders",
    "check_statuses",
    "default_as_of",
    "resolve_as_of",
    "parse_month",
    "latest_full_month",
    "month_orders",
]

PAID_STATUSES: tuple[str, ...] = ("paid",)
"""Order statuses that count for money: GMV, AOV, margin, RFM, CLV."""

SHIPPED_STATUSES: tuple[str, ...] = ("paid", "refunded")
"""Order statuses that count for stock and demand: the goods left the warehouse."""

_ONE_DAY = pd.Timedelta(days=1)


def check_statuses(statuses, func: str) -> tuple[str, ...]:
    """``statuses`` as a non-empty tuple of known order statuses, else a ValueError.

    Examples
    --------
    >>> check_statuses("paid", "demo")
    ('paid',)
    """
    statuses = (statuses,) if isinstance(statuses, str) else tuple(statuses)
    if not statuses:
        raise ValueError(f"{func}: statuses is empty; choose from {', '.join(ORDER_STATUSES)}.")
    for s in statuses:
        require_choice(s, ORDER_STATUSES, name="statuses", func=func)
    return statuses


def status_mask(orders: pd.DataFrame, statuses: Iterable[str] = PAID_STATUSES, *,
                status_col: str | None = "status") -> np.ndarray:
    """Boolean array: the rows of ``orders`` whose status is one of ``statuses``.

    Every row counts when ``status_col`` is None or not a column of the table.

    Examples
    --------
    >>> orders = pd.DataFrame({"status": ["paid", "refunded", "cancelled"]})
    >>> status_mask(orders, SHIPPED_STATUSES).tolist()
    [True, True, False]
    """
    if status_col is None or status_col not in orders.columns:
        return np.ones(len(orders), dtype=bool)
    statuses = (statuses,) if isinstance(statuses, str) else tuple(statuses)
    col = orders[status_col]
    if len(statuses) == 1:
        return col.eq(statuses[0]).to_numpy(dtype=bool, na_value=False)
    return col.isin(statuses).to_numpy(dtype=bool, na_value=False)


def paid_mask(orders: pd.DataFrame, *, status_col: str | None = "status") -> np.ndarray:
    """Boolean array: the paid rows of ``orders`` (every row without a status column).

    Examples
    --------
    >>> paid_mask(pd.DataFrame({"status": ["paid", "unpaid"]})).tolist()
    [True, False]
    """
    return status_mask(orders, PAID_STATUSES, status_col=status_col)


def paid_orders(orders: pd.DataFrame, *, status_col: str = "status") -> pd.DataFrame:
    """The orders that count as paid (支付订单): the rows behind GMV.

    Parameters
    ----------
    orders : DataFrame
        The orders table (or any frame of orders, e.g. one month's).
    status_col : str, default "status"
        Order status column. When the table has no such column, every order counts as paid.

    Returns
    -------
    DataFrame
        The rows of ``orders`` whose status is ``"paid"`` (all rows without a status column).

    Examples
    --------
    >>> orders = pd.DataFrame({"order_id": ["1", "2"], "status": ["paid", "cancelled"]})
    >>> paid_orders(orders)
      order_id status
    0        1   paid
    """
    require_columns(orders, [], table="orders", func="paid_orders")
    return orders.loc[paid_mask(orders, status_col=status_col)]


def shipped_orders(orders: pd.DataFrame, *, status_col: str = "status") -> pd.DataFrame:
    """The orders whose goods left the warehouse: paid and refunded (for stock and demand).

    Examples
    --------
    >>> orders = pd.DataFrame({"order_id": ["1", "2", "3"],
    ...                        "status": ["paid", "refunded", "unpaid"]})
    >>> shipped_orders(orders)["order_id"].tolist()
    ['1', '2']
    """
    require_columns(orders, [], table="orders", func="shipped_orders")
    return orders.loc[status_mask(orders, SHIPPED_STATUSES, status_col=status_col)]


# --- the moment of an analysis ---------------------------------------------------------------

def _order_times(orders: pd.DataFrame, ts_col: str, func: str) -> pd.Series:
    require_columns(orders, [ts_col], table="orders", func=func)
    require_non_empty(orders, table="orders", func=func, what="orders")
    ts = pd.to_datetime(orders[ts_col]).dropna()
    if ts.empty:
        raise DataValidationError(f"{func}: column '{ts_col}' of table 'orders' has no dates. "
                                  f"Set AS_OF explicitly, e.g. '2026-04-01'.")
    return ts


def default_as_of(orders: pd.DataFrame, *, ts_col: str = "order_ts") -> pd.Timestamp:
    """The day after the last order (midnight): a lesson's moment of analysis by default.

    Parameters
    ----------
    orders : DataFrame
        The orders table (any status).
    ts_col : str, default "order_ts"
        Order time column.

    Returns
    -------
    Timestamp
        Midnight at the start of the day after the latest ``order_ts``, so that every order
        in the data counts as "before as_of".

    Examples
    --------
    >>> orders = pd.DataFrame({"order_ts": pd.to_datetime(["2026-03-30 10:00",
    ...                                                    "2026-03-31 23:59"])})
    >>> default_as_of(orders)
    Timestamp('2026-04-01 00:00:00')
    """
    return _order_times(orders, ts_col, "default_as_of").max().normalize() + _ONE_DAY


def resolve_as_of(orders: pd.DataFrame, as_of=None, *, ts_col: str = "order_ts") -> pd.Timestamp:
    """The analysis date of a lesson: midnight of ``as_of``, or the day after the last order.

    Parameters
    ----------
    orders : DataFrame
        The orders table (needs ``order_ts``).
    as_of : date-like or str, optional
        ``"YYYY-MM-DD"`` or a Timestamp; empty or None means the day after the last order, so
        that every order in the data counts.
    ts_col : str, default "order_ts"
        Order timestamp column.

    Returns
    -------
    pandas.Timestamp
        Midnight of the analysis date. Only orders strictly before it count.

    Raises
    ------
    DataValidationError
        When ``as_of`` is not a date, or is on or before the first order's day (nothing to
        analyse).

    Examples
    --------
    >>> orders = pd.DataFrame({"order_ts": pd.to_datetime(["2026-01-03 10:00",
    ...     "2026-02-27 18:30"])})
    >>> resolve_as_of(orders)
    Timestamp('2026-02-28 00:00:00')
    >>> resolve_as_of(orders, "2026-02-01")
    Timestamp('2026-02-01 00:00:00')
    """
    func = "resolve_as_of"
    ts = _order_times(orders, ts_col, func)
    first, last = ts.min(), ts.max()
    if as_of is None or (isinstance(as_of, str) and not as_of.strip()):
        return last.normalize() + _ONE_DAY
    try:
        day = pd.Timestamp(as_of)
    except (TypeError, ValueError) as exc:
        raise DataValidationError(
            f"{func}: AS_OF={as_of!r} is not a date. Use 'YYYY-MM-DD', or leave it empty for "
            f"the day after the last order.") from exc
    if day is pd.NaT:
        raise DataValidationError(f"{func}: AS_OF is missing; use 'YYYY-MM-DD' or leave it empty.")
    day = day.tz_localize(None) if day.tzinfo is not None else day
    day = day.normalize()
    if day <= first.normalize():
        raise DataValidationError(
            f"{func}: AS_OF={as_of!r} is on or before the first order ({first:%Y-%m-%d}); "
            f"nothing to analyse. The orders run from {first:%Y-%m-%d} to {last:%Y-%m-%d}.")
    return day


# --- months ----------------------------------------------------------------------------------

def parse_month(month, *, func: str = "parse_month") -> pd.Period:
    """A month as a monthly ``Period`` from ``"YYYY-MM"``, a date, or a Period.

    Examples
    --------
    >>> parse_month("2026-03")
    Period('2026-03', 'M')
    >>> parse_month("March")
    Traceback (most recent call last):
    ...
    playbook_lib.errors.DataValidationError: parse_month: month='March' is not a month; write it as YYYY-MM, e.g. '2026-03'.
    """  # noqa: E501 - a doctest's expected message is one line
    if isinstance(month, pd.Period):
        return month.asfreq("M")
    try:
        if isinstance(month, str):
            text = month.strip()
            if len(text) < 7 or text[4] != "-":
                raise ValueError(text)
            return pd.Period(text[:7], freq="M")
        return pd.Timestamp(month).to_period("M")
    except (ValueError, TypeError):
        raise DataValidationError(
            f"{func}: month={month!r} is not a month; write it as YYYY-MM, e.g. '2026-03'."
        ) from None


def latest_full_month(ds) -> str:
    """The last calendar month the orders cover completely, as ``"YYYY-MM"``.

    The month of the last order if the data reach that month's last day, else the month
    before. ``ds`` is a :class:`~playbook_lib.data.Dataset` or the orders table itself.

    Examples
    --------
    >>> orders = pd.DataFrame({"order_id": ["1", "2"], "customer_id": ["a", "b"],
    ...     "order_ts": pd.to_datetime(["2026-01-03", "2026-02-27"]),
    ...     "net_amount": [10.0, 20.0]})
    >>> latest_full_month(orders)
    '2026-01'
    """
    func = "latest_full_month"
    if isinstance(ds, pd.DataFrame):
        orders = ds
    else:
        if "orders" not in ds:
            raise DataValidationError(f"{func}: the dataset has no 'orders' table; it is needed "
                                      f"to find the latest full month.")
        orders = ds.orders
    require_columns(orders, ["order_ts"], table="orders", func=func)
    ts = pd.to_datetime(orders["order_ts"]).dropna()
    if ts.empty:
        raise DataValidationError(f"{func}: table 'orders' has no order_ts values.")
    last = ts.max()
    month = last.to_period("M")
    if last.normalize() < month.end_time.normalize():
        month -= 1
    if month.end_time < ts.min():
        raise DataValidationError(
            f"{func}: the orders cover less than one full month "
            f"({ts.min():%Y-%m-%d} .. {last:%Y-%m-%d}); pass the month explicitly.")
    return str(month)


def month_orders(orders: pd.DataFrame, month, *, ts_col: str = "order_ts") -> pd.DataFrame:
    """The orders placed in ``month`` (every status), from its first to its last moment.

    Examples
    --------
    >>> orders = pd.DataFrame({"order_ts": pd.to_datetime(["2026-02-28 23:59",
    ...                                                    "2026-03-01 00:00"])})
    >>> len(month_orders(orders, "2026-03"))
    1
    """
    p = parse_month(month, func="month_orders")
    require_columns(orders, [ts_col], table="orders", func="month_orders")
    ts = orders[ts_col]
    return orders[(ts >= p.start_time) & (ts < (p + 1).start_time)]
