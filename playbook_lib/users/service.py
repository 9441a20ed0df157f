"""Customer service (客户服务): response times, chat-to-order conversion, fulfilment, returns.

The library half of ``notebooks/01_users/04_service``; the conventions (paid orders,
``as_of``) are in :mod:`playbook_lib.users`.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from .._checks import datetime_ns, datetimes, numeric_values, positive_int, to_timestamp
from .._frames import isin
from .._orders import (
    SHIPPED_STATUSES,
    check_statuses,
    paid_mask,
    paid_orders,
    status_mask,
)
from ..errors import (
    DataValidationError,
    format_examples,
    require_choice,
    require_columns,
    require_non_empty,
)
from ._rows import _NS_PER_HOUR, _PERIOD_FREQS, _period_index, _period_ordinals, _ts_ns

__all__ = [
    "response_time_summary",
    "chat_to_order",
    "fulfilment_summary",
    "return_reasons",
    "reason_rate_by_month",
    "step_month",
]


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
    response = numeric_values(service_tickets, response_col, table="service_tickets", func=func,
                              allow_missing=True)
    frame = pd.DataFrame({"response": response,
                          "within": (response <= target_s).astype(np.int64)},
                         index=service_tickets.index)
    frame["resolution_h"] = np.nan
    frame["resolved_within"] = 0
    if resolved_col in service_tickets.columns and created_col in service_tickets.columns:
        created = datetime_ns(service_tickets, created_col, table="service_tickets", func=func)
        resolved = datetime_ns(service_tickets, resolved_col, table="service_tickets",
                               func=func, allow_missing=True)
        ok = ~np.isnat(resolved.view("datetime64[ns]"))
        hours = np.where(ok, (resolved - created) / _NS_PER_HOUR, np.nan)
        frame["resolution_h"] = hours
        frame["resolved_within"] = (hours <= resolve_within_h).astype(np.int64)
    frame["satisfaction"] = (numeric_values(service_tickets, satisfaction_col,
                                            table="service_tickets", func=func,
                                            allow_missing=True)
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


def chat_to_order(service_tickets: pd.DataFrame, orders: pd.DataFrame, *,
                  window_h: float = 24.0, stage: str = "pre_sale",
                  customer_col: str = "customer_id",
                  created_col: str = "created_ts", ts_col: str = "order_ts",
                  order_id_col: str = "order_id", status_col: str = "status") -> pd.DataFrame:
    """Match each pre-sale chat to the customer's next paid order within ``window_h`` hours.

    Parameters
    ----------
    service_tickets : DataFrame
        The service_tickets table (``ticket_id``, ``customer_id``, ``stage``, ``created_ts``;
        ``handled_by`` and ``topic`` are kept when present).
    orders : DataFrame
        The orders table (``order_id``, ``customer_id``, ``order_ts``; ``status`` when present:
        only paid orders count).
    window_h : float, default 24
        A chat converts when the same customer places a paid order at or after the chat's
        start and at most ``window_h`` hours later.
    stage : str, default "pre_sale"
        Which tickets are chats before the sale.
    customer_col, created_col, ts_col, order_id_col, status_col : str
        Column names (schema defaults).

    Returns
    -------
    DataFrame
        One row per chat, in ``created_ts`` order: ``ticket_id``, ``customer_id``,
        ``created_ts`` (plus ``handled_by`` and ``topic`` when present), ``order_id`` (the
        first matching paid order, missing when none), ``hours_to_order`` (float) and
        ``converted`` (bool).

    Notes
    -----
    Chat-to-order conversion (咨询转化率) = converted chats / chats. Pre-sale chats carry no
    order id, so the match is by customer and time: the window is a definition to state
    in every report. Orders a customer would have placed anyway also fall in the window, so
    keep it short (hours, not weeks).

    Examples
    --------
    >>> tickets = pd.DataFrame({"ticket_id": ["t1", "t2", "t3"], "customer_id": ["a", "a", "b"],
    ...     "stage": "pre_sale", "created_ts": pd.to_datetime(["2026-01-01 10:00",
    ...         "2026-01-05 09:00", "2026-01-01 12:00"])})
    >>> orders = pd.DataFrame({"order_id": ["o1", "o2"], "customer_id": ["a", "b"],
    ...     "order_ts": pd.to_datetime(["2026-01-01 10:30", "2026-01-03 12:00"]),
    ...     "status": ["paid", "paid"]})
    >>> chat_to_order(tickets, orders)[["ticket_id", "order_id", "hours_to_order", "converted"]]
      ticket_id order_id  hours_to_order  converted
    0        t1       o1             0.5       True
    1        t3      NaN             NaN      False
    2        t2      NaN             NaN      False
    """
    func = "chat_to_order"
    require_columns(service_tickets, ["ticket_id", customer_col, "stage", created_col],
                    table="service_tickets", func=func)
    require_columns(orders, [order_id_col, customer_col, ts_col], table="orders", func=func)
    if not np.isscalar(window_h) or not window_h > 0:
        raise ValueError(f"{func}: window_h must be a number of hours > 0, got {window_h!r}.")
    chats = service_tickets[service_tickets["stage"] == stage]
    if chats.empty:
        raise DataValidationError(
            f"{func}: no ticket has stage == {stage!r}; stages found: "
            f"{format_examples(sorted(service_tickets['stage'].dropna().unique()))}.")
    keep = [c for c in ("ticket_id", customer_col, created_col, "handled_by", "topic")
            if c in chats.columns]
    left = chats[keep].copy()
    left[created_col] = datetimes(left, created_col, table="service_tickets",
                                  func=func).astype("datetime64[ns]")
    left = left.sort_values(created_col, kind="stable").reset_index(drop=True)
    paid = paid_orders(orders, status_col=status_col)
    right = pd.DataFrame({customer_col: paid[customer_col].to_numpy(),
                          order_id_col: paid[order_id_col].to_numpy(),
                          "_order_ts": datetimes(paid, ts_col, table="orders", func=func)
                          .astype("datetime64[ns]").to_numpy()})
    right = right.sort_values("_order_ts", kind="stable")
    m = pd.merge_asof(left, right, left_on=created_col, right_on="_order_ts", by=customer_col,
                      direction="forward", tolerance=pd.Timedelta(hours=float(window_h)))
    m["hours_to_order"] = (m["_order_ts"] - m[created_col]).dt.total_seconds() / 3600
    m["converted"] = m["_order_ts"].notna()
    return m.drop(columns="_order_ts")


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
    paid = orders.loc[paid_mask(orders, status_col=status_col)]
    require_non_empty(paid, table="orders", func=func, what="paid orders")
    ts = datetime_ns(paid, ts_col, table="orders", func=func)
    shipped = datetime_ns(paid, shipped_col, table="orders", func=func, allow_missing=True)
    delivered = datetime_ns(paid, delivered_col, table="orders", func=func, allow_missing=True)
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
                   shipped_statuses: tuple[str, ...] = SHIPPED_STATUSES) -> pd.DataFrame:
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
    status_col : str, default "status"
        Order status column of ``orders``.
    shipped_statuses : tuple of str, default ("paid", "refunded")
        Statuses of orders whose goods left the warehouse (the kit's shipped orders).

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
    shipped_statuses = check_statuses(shipped_statuses, func)
    items = order_items
    if orders is not None and status_col in orders.columns:
        require_columns(items, [order_id_col], table="order_items", func=func)
        require_columns(orders, [order_id_col], table="orders", func=func)
        shipped = orders.loc[status_mask(orders, shipped_statuses, status_col=status_col),
                             order_id_col]
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
        split = to_timestamp(split_date, name="split_date", func=func)
        require_columns(items, [order_id_col], table="order_items", func=func)
        require_columns(orders, [order_id_col, ts_col], table="orders", func=func)
        when = pd.Series(datetime_ns(orders, ts_col, table="orders", func=func),
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
    qty = numeric_values(items, quantity_col, table="order_items", func=func)
    returned = np.nan_to_num(numeric_values(items, returned_col, table="order_items", func=func,
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


def reason_rate_by_month(order_items: pd.DataFrame, orders: pd.DataFrame,
                         products: pd.DataFrame, *, category: str, reason: str,
                         statuses=SHIPPED_STATUSES) -> pd.Series:
    """Monthly return rate for one reason in one category: returned units / units sold.

    Parameters
    ----------
    order_items : DataFrame
        The order_items table (``order_id``, ``sku``, ``quantity``, ``returned_qty``,
        ``return_reason``).
    orders : DataFrame
        The orders table (``order_id``, ``order_ts``, ``status``): each line's month and
        whether it was sold.
    products : DataFrame
        The products table (``sku``, ``category``).
    category : str
        Category to study, e.g. "apparel".
    reason : str
        Return reason, e.g. "size mismatch".
    statuses : sequence of str or None, default ("paid", "refunded")
        Keep lines of orders with these statuses (shipped orders: units that really left the
        warehouse); None keeps all.

    Returns
    -------
    Series
        Index ``month`` (Period, the order's month; months without sales are left out),
        named ``rate``: units returned for ``reason`` / units sold, both over the category's
        lines of that month.

    Raises
    ------
    DataValidationError
        Missing columns, an unknown category, or no sold lines in the category.
    ValueError
        A status that is not one of the schema's order statuses.

    Notes
    -----
    rate(month) = sum of ``returned_qty`` with ``return_reason == reason`` / sum of
    ``quantity``, over the category's sold lines ordered that month. Dividing by units sold
    (not by returns) follows one problem on its own, e.g. size mismatch (尺码不符) before and
    after a size guide.

    Examples
    --------
    >>> items = pd.DataFrame({"order_id": ["1", "2", "3"], "sku": ["s", "s", "s"],
    ...     "quantity": [2, 2, 1], "returned_qty": [1, 0, 1],
    ...     "return_reason": ["size mismatch", None, "size mismatch"]})
    >>> orders = pd.DataFrame({"order_id": ["1", "2", "3"], "status": ["paid"] * 3,
    ...     "order_ts": pd.to_datetime(["2026-01-05", "2026-01-20", "2026-02-03"])})
    >>> products = pd.DataFrame({"sku": ["s"], "category": ["apparel"]})
    >>> reason_rate_by_month(items, orders, products, category="apparel", reason="size mismatch")
    month
    2026-01    0.25
    2026-02    1.00
    Freq: M, Name: rate, dtype: float64
    """
    func = "reason_rate_by_month"
    require_columns(order_items, ["order_id", "sku", "quantity", "returned_qty", "return_reason"],
                    table="order_items", func=func)
    statuses = None if statuses is None else check_statuses(statuses, func)
    require_columns(orders, ["order_id", "order_ts"] + (["status"] if statuses else []),
                    table="orders", func=func)
    require_columns(products, ["sku", "category"], table="products", func=func)
    skus = products.loc[products["category"] == category, "sku"]
    if not len(skus):
        raise DataValidationError(
            f"{func}: no product has category == {category!r}; categories found: "
            f"{format_examples(sorted(products['category'].dropna().unique()))}.")
    o = orders if not statuses else orders[status_mask(orders, statuses)]
    lines = order_items.loc[order_items["sku"].isin(skus),
                            ["order_id", "quantity", "returned_qty", "return_reason"]]
    # a join, not .isin/.map on the order ids: both are slow on long Arrow text columns
    lines = lines.merge(o[["order_id", "order_ts"]], on="order_id", how="inner")
    require_non_empty(lines, table="order_items", func=func,
                      what=f"sold order lines in category {category!r}")
    m = datetimes(lines, "order_ts", table="orders", func=func).dt.to_period("M").rename("month")
    hit = lines["returned_qty"].where(lines["return_reason"] == reason, 0).fillna(0)
    sold = lines["quantity"].groupby(m).sum()
    returned = hit.groupby(m).sum()
    out = (returned / sold.where(sold > 0)).dropna().rename("rate")
    out.index.name = "month"
    return out.astype(float)


def step_month(rate: pd.Series, *, min_side: int = 2) -> pd.Period:
    """The month where a monthly series shifts to a new level (one change point).

    Parameters
    ----------
    rate : Series
        Indexed by month (Period or anything sortable), e.g. :func:`reason_rate_by_month`.
        Missing values are dropped.
    min_side : int, default 2
        Fewest months on each side of the split.

    Returns
    -------
    Period (or the index's label type)
        The first month of the new level: the split that leaves the smallest sum of squared
        deviations from the mean of each side (the least-squares change point). Ties go to the
        earliest month.

    Raises
    ------
    DataValidationError
        When the series has fewer than ``2 * min_side`` months.
    ValueError
        When ``min_side`` is not a whole number >= 1.

    Notes
    -----
    The split at position i minimises SSE(i) = sum over the months before i of (rate - their
    mean)^2 + the same over the months from i on: one step from one level to another, the
    simplest change-point model. A single low month moves it little.

    Examples
    --------
    >>> rate = pd.Series([0.12, 0.11, 0.13, 0.07, 0.06, 0.08],
    ...     index=pd.period_range("2026-01", periods=6, freq="M"))
    >>> step_month(rate)
    Period('2026-04', 'M')
    """
    func = "step_month"
    min_side = positive_int(min_side, name="min_side", func=func)
    r = pd.Series(rate).dropna().sort_index()
    if len(r) < 2 * min_side:
        raise DataValidationError(
            f"{func}: the series has {len(r)} month(s) with data; finding a step needs at least "
            f"{2 * min_side} ({min_side} on each side).")
    v = r.to_numpy(dtype=float)
    best, best_sse = None, np.inf
    for i in range(min_side, len(v) - min_side + 1):
        sse = ((v[:i] - v[:i].mean()) ** 2).sum() + ((v[i:] - v[i:].mean()) ** 2).sum()
        if sse < best_sse - 1e-15:
            best, best_sse = i, sse
    return r.index[best]
