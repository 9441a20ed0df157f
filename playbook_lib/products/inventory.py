"""Inventory: stock that sells and stock that sits, and how much to keep.

The functions behind ``notebooks/02_products/02_inventory``: ABC classes, turnover, days of
inventory, sell-through, safety stock and reorder points (with the service-level curve behind
the slider), stock-out risk before a campaign, slow movers and the bundles that move them.
Stock and demand count shipped orders (paid and refunded, see
:func:`~playbook_lib.products.sold_items`); ABC revenue counts paid ones.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import pandas as pd
from scipy import stats

from .._checks import datetimes, non_negative, positive_int, require_numeric, to_day
from .._deprecate import keyword_only_since
from .._orders import SHIPPED_STATUSES, check_statuses
from ..errors import (
    DataValidationError,
    require_choice,
    require_columns,
    require_non_empty,
)
from ._lines import _ONE_DAY, _check_known_skus, _check_orders, _product_table, _sold_lines

__all__ = [
    "abc_classes",
    "inventory_kpis",
    "inventory_period_start",
    "sell_through_rate",
    "safety_stock",
    "reorder_point",
    "reorder_table",
    "service_level_curve",
    "stockout_risk",
    "slow_movers",
    "bundle_candidates",
]


def inventory_period_start(inventory: pd.DataFrame, *, as_of, days: int,
                           date_col: str = "date") -> pd.Timestamp:
    """First day of the ``days``-day period ending on ``as_of``, not before the inventory starts.

    Parameters
    ----------
    inventory : DataFrame
        End-of-day stock with a ``date`` column (``ds.inventory``).
    as_of : date-like
        Last day of the period (included).
    days : int
        Length of the period in days (>= 1), e.g. 90 for the analysis window or 7 for
        sell-through.
    date_col : str, default "date"
        Column of ``inventory`` with the stock dates.

    Returns
    -------
    Timestamp
        Midnight of ``as_of - (days - 1)``, or of the inventory's first day when that is later
        (stock before the data starts is unknown, so the period is cut there).

    Notes
    -----
    The period ``[start, as_of]`` holds ``days`` days when the data reach back far enough;
    the inventory lessons measure days of inventory and sell-through (动销率) over it.

    Examples
    --------
    >>> import pandas as pd
    >>> inventory = pd.DataFrame({"date": pd.to_datetime(["2026-03-01", "2026-03-31"]),
    ...     "sku": ["s1", "s1"], "on_hand": [5, 3]})
    >>> inventory_period_start(inventory, as_of="2026-03-31", days=7)
    Timestamp('2026-03-25 00:00:00')
    >>> inventory_period_start(inventory, as_of="2026-03-31", days=90)
    Timestamp('2026-03-01 00:00:00')
    """
    func = "inventory_period_start"
    require_columns(inventory, [date_col], table="inventory", func=func)
    require_non_empty(inventory, table="inventory", func=func)
    as_of = to_day(as_of, name="as_of", func=func)
    days = positive_int(days, name="days", func=func, hint="e.g. 90")
    first = datetimes(inventory, date_col, table="inventory", func=func).min()
    if pd.isna(first):
        raise DataValidationError(
            f"{func}: column '{date_col}' of table 'inventory' has no dates; fill it with the "
            f"day of each stock count.")
    return max(as_of - pd.Timedelta(days=days - 1), pd.Timestamp(first).normalize())


def abc_classes(sales: pd.DataFrame, *, cutoffs: tuple[float, float] = (0.8, 0.95),
                value_col: str = "net_amount", key: str = "sku") -> pd.DataFrame:
    """ABC classes: the few keys that make most of the revenue (A), the middle (B), the tail (C).

    Parameters
    ----------
    sales : DataFrame
        Order lines (e.g. :func:`~playbook_lib.products.sold_items` output, paid orders only)
        or any frame with ``key`` and ``value_col``; rows are summed per key.
    cutoffs : (float, float), default (0.8, 0.95)
        Cumulative revenue shares closing classes A and B, with 0 < a < b <= 1.
    value_col : str, default "net_amount"
        Value to rank by (use ``quantity`` for a units ABC).
    key : str, default "sku"
        Column to class (e.g. ``category``).

    Returns
    -------
    DataFrame
        One row per key, largest revenue first (ties by key): ``key`` (str), ``revenue``
        (float, the summed ``value_col``), ``share`` (float, of the total; shares add to 1),
        ``cumulative_share`` (float, up to and including this key), ``abc_class`` (str).

    Notes
    -----
    A key is class A when the keys ranked above it hold less than ``cutoffs[0]`` of revenue
    (so the key that crosses 80 % is still A, and the top seller is always A), B when they
    hold less than ``cutoffs[1]``, else C. ABC analysis (ABC分类): watch A stock daily, B
    weekly, and question whether C earns its shelf space.

    Examples
    --------
    >>> import pandas as pd
    >>> lines = pd.DataFrame({"sku": ["a", "b", "c", "a", "d"],
    ...     "net_amount": [50.0, 30.0, 15.0, 0.0, 5.0]})
    >>> abc_classes(lines)
      key  revenue  share  cumulative_share abc_class
    0   a     50.0   0.50              0.50         A
    1   b     30.0   0.30              0.80         A
    2   c     15.0   0.15              0.95         B
    3   d      5.0   0.05              1.00         C
    """
    func = "abc_classes"
    try:
        a, b = (float(x) for x in cutoffs)
    except (TypeError, ValueError) as exc:
        raise ValueError(f"{func}: cutoffs={cutoffs!r} must be two numbers, e.g. (0.8, 0.95).") \
            from exc
    if not 0 < a < b <= 1:
        raise ValueError(f"{func}: cutoffs={cutoffs!r} must satisfy 0 < A cutoff < B cutoff "
                         f"<= 1, e.g. (0.8, 0.95).")
    require_columns(sales, [key, value_col], table="sales", func=func)
    require_non_empty(sales, table="sales", func=func)
    require_numeric(sales, [value_col], table="sales", func=func, min_value=0)
    rev = sales.groupby(sales[key].astype("str"), sort=True)[value_col].sum().astype(float)
    total = rev.sum()
    if total <= 0:
        raise DataValidationError(
            f"{func}: column '{value_col}' sums to 0, so there is no revenue to split into "
            f"classes. Check the period and the order statuses you selected."
        )
    order = np.lexsort((rev.index.to_numpy(), -rev.to_numpy()))
    rev = rev.iloc[order]
    share = rev.to_numpy() / total
    cum = np.cumsum(share)
    before = cum - share
    eps = 1e-12
    cls = np.where(before < a - eps, "A", np.where(before < b - eps, "B", "C"))
    return pd.DataFrame({"key": rev.index.astype("str"), "revenue": rev.to_numpy(),
                         "share": share, "cumulative_share": cum, "abc_class": cls}) \
        .astype({"abc_class": "str"})


def _check_inventory(inventory: pd.DataFrame, func: str) -> pd.Series:
    require_columns(inventory, ["date", "sku", "on_hand"], table="inventory", func=func)
    require_numeric(inventory, ["on_hand"], table="inventory", func=func, min_value=0)
    return datetimes(inventory, "date", table="inventory", func=func)


def _period(start, end, func: str) -> tuple[pd.Timestamp, pd.Timestamp]:
    start, end = to_day(start, name="start", func=func), to_day(end, name="end", func=func)
    if end < start:
        raise ValueError(f"{func}: end={end.date()} is before start={start.date()}.")
    return start, end


def _stock_and_sales(inventory, order_items, orders, start, end, statuses, func):
    """Per-SKU stock rows in the period, units sold in it and the last sale up to ``end``."""
    dates = _check_inventory(inventory, func)
    _check_orders(order_items, orders, ["order_id", "sku", "quantity"], func)
    inside = (dates >= start) & (dates <= end)
    inv = pd.DataFrame({"date": dates[inside], "sku": inventory.loc[inside, "sku"].astype("str"),
                        "on_hand": inventory.loc[inside, "on_hand"]})
    if inv.empty:
        raise DataValidationError(
            f"{func}: table 'inventory' has no rows between {start.date()} and {end.date()} "
            f"(it covers {dates.min().date() if len(dates) else 'nothing'} to "
            f"{dates.max().date() if len(dates) else 'nothing'}). Choose a period inside it."
        )
    lines = _sold_lines(order_items, orders, ["sku", "quantity"], statuses, func)
    lines = lines.loc[lines["order_ts"] < end + _ONE_DAY]
    in_period = lines["order_ts"] >= start
    units = lines.loc[in_period].groupby(lines["sku"].astype("str"))["quantity"].sum()
    last_sale = lines.groupby(lines["sku"].astype("str"))["order_ts"].max()
    return inv, units, last_sale


def inventory_kpis(inventory: pd.DataFrame, order_items: pd.DataFrame, orders: pd.DataFrame,
                   products: pd.DataFrame, *, start, end, by: str = "sku",
                   statuses: Iterable[str] = SHIPPED_STATUSES) -> pd.DataFrame:
    """Turnover, days of inventory, stock-outs and sell-through per SKU or category.

    Parameters
    ----------
    inventory : DataFrame
        End-of-day stock: ``date``, ``sku``, ``on_hand``. The SKUs with a row in the period
        are the ones reported; sales of SKUs not tracked in inventory are ignored.
    order_items : DataFrame
        Needs ``order_id``, ``sku``, ``quantity``.
    orders : DataFrame
        Needs ``order_id``, ``order_ts``; ``status`` is used when present.
    products : DataFrame
        Needs ``sku``, ``unit_cost`` (and ``category`` for ``by="category"``).
    start, end : date-like
        First and last day of the period, both included.
    by : {"sku", "category"}, default "sku"
        What ``key`` holds. Category figures are computed on the category's summed daily
        stock, so ``stockout_days`` counts days when the whole category was out.
    statuses : iterable of str, default ("paid", "refunded")
        Orders that took stock off the shelf (see :func:`~playbook_lib.products.sold_items`).

    Returns
    -------
    DataFrame
        One row per key, sorted by key:

        - ``key`` (str).
        - ``units_sold`` (int): units in counted orders placed in the period.
        - ``cogs`` (float): units_sold x ``unit_cost``.
        - ``avg_inventory_units`` (float): mean end-of-day ``on_hand`` over the period's
          inventory rows.
        - ``avg_inventory_value`` (float): the same in cost (on_hand x ``unit_cost``).
        - ``ending_on_hand`` (int): ``on_hand`` on the last inventory day of the period.
        - ``turnover`` (float): cogs / avg_inventory_value for the period (not annualised);
          NaN when the average inventory value is 0.
        - ``days_of_inventory`` (float): ending_on_hand / (units_sold / days listed in the
          period, i.e. days with an inventory row: a SKU launched mid-period counts from its
          first row);
          ``inf`` when there is stock but no sale, NaN when there is neither.
        - ``stockout_days`` (int): days with ``on_hand`` == 0.
        - ``days_since_last_sale`` (float): days from the last sale on or before ``end`` to
          ``end`` (sales before ``start`` count); NaN when never sold.
        - ``stocked`` (bool): ``on_hand`` > 0 on some day of the period.
        - ``sold_any`` (bool): units_sold > 0.
        - ``sell_through`` (float): share of the key's stocked SKUs that sold at least once
          (1.0 or 0.0 per SKU; NaN when none was stocked).

    Notes
    -----
    turnover (库存周转率) = COGS / average inventory value; days of inventory (库存周转天数)
    = on-hand units / average daily units sold; sell-through (动销率) = stocked SKUs with a
    sale / stocked SKUs. Above 45 days of inventory needs a plan, above 180 is a slow mover.

    Examples
    --------
    >>> import pandas as pd
    >>> inventory = pd.DataFrame({"date": pd.to_datetime(["2026-03-01", "2026-03-02"] * 2),
    ...     "sku": ["s1", "s1", "s2", "s2"], "on_hand": [10, 8, 5, 5]})
    >>> orders = pd.DataFrame({"order_id": ["o1"], "status": ["paid"],
    ...     "order_ts": pd.to_datetime(["2026-03-02 15:00"])})
    >>> items = pd.DataFrame({"order_id": ["o1"], "sku": ["s1"], "quantity": [2]})
    >>> products = pd.DataFrame({"sku": ["s1", "s2"], "unit_cost": [10.0, 4.0]})
    >>> kpis = inventory_kpis(inventory, items, orders, products,
    ...                       start="2026-03-01", end="2026-03-02")
    >>> kpis[["key", "units_sold", "turnover", "days_of_inventory", "sell_through"]]
      key  units_sold  turnover  days_of_inventory  sell_through
    0  s1           2  0.222222                8.0           1.0
    1  s2           0  0.000000                inf           0.0
    """
    func = "inventory_kpis"
    require_choice(by, ("sku", "category"), name="by", func=func)
    statuses = check_statuses(statuses, func)
    start, end = _period(start, end, func)
    prod = _product_table(products, ["unit_cost"] + (["category"] if by == "category" else []),
                          func)
    require_numeric(prod, ["unit_cost"], table="products", func=func, min_value=0)
    inv, units, last_sale = _stock_and_sales(inventory, order_items, orders, start, end,
                                             statuses, func)
    _check_known_skus(inv["sku"], prod, "inventory", func)
    n_days = (end - start).days + 1

    cost = inv["sku"].map(prod["unit_cost"]).astype(float)
    inv["key"] = inv["sku"] if by == "sku" else inv["sku"].map(prod["category"]).astype("str")
    inv["value"] = inv["on_hand"] * cost
    daily = inv.groupby(["key", "date"], sort=True)[["on_hand", "value"]].sum()
    g = daily.groupby(level="key", sort=True)
    out = pd.DataFrame({
        "avg_inventory_units": g["on_hand"].mean().astype(float),
        "avg_inventory_value": g["value"].mean().astype(float),
        "ending_on_hand": g["on_hand"].last().astype("int64"),
        "stockout_days": (daily["on_hand"] == 0).groupby(level="key").sum().astype("int64"),
        "stocked": g["on_hand"].max() > 0,
    })

    per_sku = inv.groupby("sku", sort=True).agg(key=("key", "first"), stocked=("on_hand", "max"))
    per_sku["units"] = units.reindex(per_sku.index, fill_value=0).astype("int64")
    per_sku["stocked"] = per_sku["stocked"] > 0
    per_sku["cogs"] = per_sku["units"] * prod["unit_cost"].reindex(per_sku.index).astype(float)
    per_sku["last_sale"] = last_sale.reindex(per_sku.index)
    per_sku["stocked_sold"] = per_sku["stocked"] & (per_sku["units"] > 0)
    k = per_sku.groupby("key", sort=True)
    units_sold = k["units"].sum().reindex(out.index).astype("int64")
    cogs = k["cogs"].sum().reindex(out.index).astype(float)
    last = k["last_sale"].max().reindex(out.index)
    n_stocked = k["stocked"].sum().reindex(out.index)
    n_stocked_sold = k["stocked_sold"].sum().reindex(out.index)

    # Average daily sales over the days each key was listed (had inventory rows) in the
    # period, so a SKU launched mid-period is not diluted by days it did not exist.
    listed_days = g.size().reindex(out.index).to_numpy(dtype=float)
    daily_units = units_sold.to_numpy() / np.minimum(listed_days, n_days)
    ending = out["ending_on_hand"].to_numpy()
    with np.errstate(divide="ignore", invalid="ignore"):
        doi = np.where(daily_units > 0, ending / daily_units,
                       np.where(ending > 0, np.inf, np.nan))
        turnover = np.where(out["avg_inventory_value"] > 0,
                            cogs.to_numpy() / out["avg_inventory_value"].to_numpy(), np.nan)
        sell_through = np.where(n_stocked > 0, n_stocked_sold / n_stocked, np.nan)
    result = pd.DataFrame({
        "key": out.index.astype("str"),
        "units_sold": units_sold.to_numpy(),
        "cogs": cogs.to_numpy(),
        "avg_inventory_units": out["avg_inventory_units"].to_numpy(),
        "avg_inventory_value": out["avg_inventory_value"].to_numpy(),
        "ending_on_hand": ending,
        "turnover": turnover.astype(float),
        "days_of_inventory": doi.astype(float),
        "stockout_days": out["stockout_days"].to_numpy(),
        "days_since_last_sale": (end - pd.to_datetime(last).dt.normalize()).dt.days
                                .astype(float).to_numpy(),
        "stocked": out["stocked"].to_numpy(dtype=bool),
        "sold_any": units_sold.to_numpy() > 0,
        "sell_through": sell_through.astype(float),
    })
    return result


def sell_through_rate(inventory: pd.DataFrame, order_items: pd.DataFrame, orders: pd.DataFrame,
                      *, start, end, statuses: Iterable[str] = SHIPPED_STATUSES) -> float:
    """Sell-through rate (动销率): share of stocked SKUs that sold at least once in the period.

    Parameters
    ----------
    inventory : DataFrame
        ``date``, ``sku``, ``on_hand`` (end-of-day stock).
    order_items : DataFrame
        Needs ``order_id``, ``sku``, ``quantity``.
    orders : DataFrame
        Needs ``order_id``, ``order_ts``; ``status`` is used when present.
    start, end : date-like
        First and last day of the period, both included.
    statuses : iterable of str, default ("paid", "refunded")
        Orders that count as a sale (see :func:`~playbook_lib.products.sold_items`).

    Returns
    -------
    float
        In [0, 1]; NaN when no SKU had stock in the period.

    Notes
    -----
    sell-through = #{SKUs with on_hand > 0 on some day and >= 1 unit sold} / #{SKUs with
    on_hand > 0 on some day}. A falling 动销率 means more of the range just sits in the
    warehouse; per category, see ``inventory_kpis(..., by="category")["sell_through"]``.

    Examples
    --------
    >>> import pandas as pd
    >>> inventory = pd.DataFrame({"date": pd.to_datetime(["2026-03-01"] * 3),
    ...     "sku": ["s1", "s2", "s3"], "on_hand": [10, 5, 0]})
    >>> orders = pd.DataFrame({"order_id": ["o1"], "order_ts": pd.to_datetime(["2026-03-01"])})
    >>> items = pd.DataFrame({"order_id": ["o1"], "sku": ["s1"], "quantity": [2]})
    >>> sell_through_rate(inventory, items, orders, start="2026-03-01", end="2026-03-31")
    0.5
    """
    func = "sell_through_rate"
    statuses = check_statuses(statuses, func)
    start, end = _period(start, end, func)
    inv, units, _ = _stock_and_sales(inventory, order_items, orders, start, end, statuses, func)
    stocked = inv.loc[inv["on_hand"] > 0, "sku"].unique()
    if len(stocked) == 0:
        return float("nan")
    sold = units[units > 0].index
    return float(np.isin(stocked, sold).sum() / len(stocked))


def _service_z(service_level, func: str) -> np.ndarray:
    sl = np.asarray(service_level, dtype=float) if not isinstance(service_level, str) else None
    if sl is None or not np.all((sl >= 0.5) & (sl < 1)):
        raise ValueError(f"{func}: service_level={service_level!r} must be in [0.5, 1), e.g. "
                         f"0.95 for a 95 % chance of not running out during a lead time.")
    return stats.norm.ppf(sl)


def _scalar_or_array(x: np.ndarray):
    return float(x) if np.ndim(x) == 0 else x


@keyword_only_since("0.2", "service_level", "lead_time_std")
def safety_stock(daily_demand_mean, daily_demand_std, lead_time_days, *, service_level=0.95,
                 lead_time_std=0.0):
    """Safety stock (安全库存) against demand and lead-time variability.

    Parameters
    ----------
    daily_demand_mean : float or array
        Mean units sold per day, d (>= 0).
    daily_demand_std : float or array
        Standard deviation of daily units, sigma_d (>= 0).
    lead_time_days : float or array
        Days from placing a reorder to the stock arriving, L (>= 0).
    service_level : float or array, default 0.95
        Wanted probability of not running out during a lead time (cycle service level), in
        [0.5, 1).
    lead_time_std : float or array, default 0
        Standard deviation of the lead time in days, sigma_L (>= 0).

    Returns
    -------
    float or ndarray
        Units; a float when every input is a scalar, otherwise an array (numpy broadcasting).

    Notes
    -----
    SS = z x sqrt(L x sigma_d^2 + d^2 x sigma_L^2), z = Phi^-1(service level)
    (``scipy.stats.norm.ppf``), assuming independent, normal daily demand. Safety stock is the
    cushion that covers a bad week or a late supplier; a higher service level costs
    disproportionately more stock.

    Since 0.2.0 ``service_level`` and ``lead_time_std`` are keyword-only; a positional call
    still works for one release and warns with a ``FutureWarning``.

    Examples
    --------
    >>> round(safety_stock(10, 4, 9, service_level=0.95), 2)
    19.74
    """
    func = "safety_stock"
    d = non_negative(daily_demand_mean, name="daily_demand_mean", func=func)
    sd = non_negative(daily_demand_std, name="daily_demand_std", func=func)
    lt = non_negative(lead_time_days, name="lead_time_days", func=func)
    slt = non_negative(lead_time_std, name="lead_time_std", func=func)
    z = _service_z(service_level, func)
    return _scalar_or_array(z * np.sqrt(lt * sd**2 + d**2 * slt**2))


@keyword_only_since("0.2", "service_level", "lead_time_std")
def reorder_point(daily_demand_mean, daily_demand_std, lead_time_days, *, service_level=0.95,
                  lead_time_std=0.0):
    """Reorder point (补货点): the stock level at which to place the next order.

    Parameters
    ----------
    daily_demand_mean, daily_demand_std, lead_time_days, service_level, lead_time_std
        As in :func:`safety_stock`.

    Returns
    -------
    float or ndarray
        Units; a float when every input is a scalar, otherwise an array.

    Notes
    -----
    ROP = d x L + SS: expected demand during the lead time plus :func:`safety_stock`. Reorder
    when on-hand (plus stock already on order) falls to this level.

    Since 0.2.0 ``service_level`` and ``lead_time_std`` are keyword-only (positional use warns,
    for one release).

    Examples
    --------
    >>> round(reorder_point(10, 4, 9, service_level=0.95), 2)
    109.74
    """
    func = "reorder_point"
    d = non_negative(daily_demand_mean, name="daily_demand_mean", func=func)
    lt = non_negative(lead_time_days, name="lead_time_days", func=func)
    ss = safety_stock(daily_demand_mean, daily_demand_std, lead_time_days,
                      service_level=service_level, lead_time_std=lead_time_std)
    return _scalar_or_array(d * lt + ss)


def service_level_curve(daily_demand_mean: float, daily_demand_std: float,
                        lead_time_days: float, *, service_levels=None,
                        lead_time_std: float = 0.0) -> pd.DataFrame:
    """Safety stock and reorder point across service levels (the function behind the slider).

    Parameters
    ----------
    daily_demand_mean, daily_demand_std, lead_time_days, lead_time_std : float
        As in :func:`safety_stock`.
    service_levels : array-like, optional
        Service levels in [0.5, 1); default 0.50, 0.505, ..., 0.995 (100 points).

    Returns
    -------
    DataFrame
        One row per service level, in the given order: ``service_level``, ``z``,
        ``safety_stock``, ``reorder_point`` (float).

    Notes
    -----
    SS(p) = Phi^-1(p) x sqrt(L sigma_d^2 + d^2 sigma_L^2). The curve bends up sharply past
    95 %: the last few points of service (服务水平) cost the most stock.

    Examples
    --------
    >>> service_level_curve(10, 4, 9, service_levels=[0.5, 0.95]).round(2)
       service_level     z  safety_stock  reorder_point
    0           0.50  0.00          0.00          90.00
    1           0.95  1.64         19.74         109.74
    """
    func = "service_level_curve"
    if service_levels is None:
        service_levels = np.round(np.arange(100) * 0.005 + 0.5, 3)
    sl = np.atleast_1d(np.asarray(service_levels, dtype=float))
    z = _service_z(sl, func)
    ss = np.atleast_1d(safety_stock(daily_demand_mean, daily_demand_std, lead_time_days,
                                    service_level=sl, lead_time_std=lead_time_std))
    rop = np.atleast_1d(reorder_point(daily_demand_mean, daily_demand_std, lead_time_days,
                                      service_level=sl, lead_time_std=lead_time_std))
    return pd.DataFrame({"service_level": sl, "z": z, "safety_stock": ss, "reorder_point": rop})


def _daily_demand(order_items, orders, as_of, window_days, statuses, func):
    """Mean and std (ddof=1) of daily units per SKU over the window ending on ``as_of``.

    A window that reaches back before the first order in the data is cut to start there:
    days the shop has no records for are unknown, not days without demand.
    """
    lines = _sold_lines(order_items, orders, ["sku", "quantity"], statuses, func)
    first = as_of - pd.Timedelta(days=window_days - 1)
    data_start = pd.Timestamp(orders["order_ts"].min()).normalize()
    if pd.notna(data_start) and data_start > first:
        first = data_start
        window_days = (as_of - first).days + 1
        if window_days < 2:
            raise DataValidationError(
                f"{func}: the data start on {data_start:%Y-%m-%d}, so there is less than two "
                f"days of demand before as_of={as_of:%Y-%m-%d}. Pick a later as_of.")
    lines = lines.loc[(lines["order_ts"] >= first) & (lines["order_ts"] < as_of + _ONE_DAY)]
    per_day = lines.groupby([lines["sku"].astype("str"), lines["order_ts"].dt.normalize()])[
        "quantity"].sum().astype(float)
    by_sku = per_day.groupby(level=0)
    total, sumsq = by_sku.sum(), (per_day**2).groupby(level=0).sum()
    mean = total / window_days
    var = ((sumsq - window_days * mean**2) / (window_days - 1)).clip(lower=0)
    return mean, np.sqrt(var)


def reorder_table(order_items: pd.DataFrame, orders: pd.DataFrame, products: pd.DataFrame, *,
                  as_of, window_days: int = 90, service_level: float = 0.95,
                  lead_time_std: float = 0.0,
                  statuses: Iterable[str] = SHIPPED_STATUSES) -> pd.DataFrame:
    """Safety stock and reorder point per SKU from its recent daily demand and lead time.

    Parameters
    ----------
    order_items : DataFrame
        Needs ``order_id``, ``sku``, ``quantity``.
    orders : DataFrame
        Needs ``order_id``, ``order_ts``; ``status`` is used when present.
    products : DataFrame
        Needs ``sku``, ``lead_time_days``. Every product gets a row (0 demand if unsold).
    as_of : date-like
        Last day of the demand window (included).
    window_days : int, default 90
        Days of history: the window is ``as_of - window_days + 1`` to ``as_of``; days
        without a sale count as 0.
    service_level : float, default 0.95
        Cycle service level, in [0.5, 1).
    lead_time_std : float, default 0
        Standard deviation of the lead time in days, the same for every SKU.
    statuses : iterable of str, default ("paid", "refunded")
        Orders that count as demand (see :func:`~playbook_lib.products.sold_items`).

    Returns
    -------
    DataFrame
        One row per product, sorted by sku: ``sku`` (str), ``lead_time_days`` (float),
        ``daily_demand_mean``, ``daily_demand_std`` (float, ddof=1), ``safety_stock``,
        ``reorder_point`` (float, units).

    Notes
    -----
    SS = z sqrt(L sigma_d^2 + d^2 sigma_L^2), ROP = d L + SS (see :func:`safety_stock`).
    Reorder point (补货点): when stock falls to it, order now or risk running out before the
    delivery arrives. A window longer than the history is cut to the first day of data; a SKU
    launched inside the window still has its demand understated.

    Examples
    --------
    >>> import pandas as pd
    >>> orders = pd.DataFrame({"order_id": ["o1", "o2"],
    ...     "order_ts": pd.to_datetime(["2026-03-01", "2026-03-02"])})
    >>> items = pd.DataFrame({"order_id": ["o1", "o2"], "sku": ["s1", "s1"], "quantity": [2, 4]})
    >>> products = pd.DataFrame({"sku": ["s1"], "lead_time_days": [5]})
    >>> table = reorder_table(items, orders, products, as_of="2026-03-02", window_days=2)
    >>> table[["sku", "daily_demand_mean", "daily_demand_std", "safety_stock", "reorder_point"]]
      sku  daily_demand_mean  daily_demand_std  safety_stock  reorder_point
    0  s1                3.0          1.414214      5.201484      20.201484
    """
    func = "reorder_table"
    statuses = check_statuses(statuses, func)
    as_of = to_day(as_of, name="as_of", func=func)
    window_days = positive_int(window_days, name="window_days", func=func, minimum=2,
                               hint="a number of days, e.g. 28 or 90")
    _service_z(service_level, func)
    non_negative(lead_time_std, name="lead_time_std", func=func)
    _check_orders(order_items, orders, ["order_id", "sku", "quantity"], func)
    prod = _product_table(products, ["lead_time_days"], func)
    require_numeric(prod, ["lead_time_days"], table="products", func=func, min_value=0)
    require_non_empty(prod, table="products", func=func)
    mean, std = _daily_demand(order_items, orders, as_of, window_days, statuses, func)
    skus = pd.Index(prod.index.astype("str")).sort_values()
    lt = prod["lead_time_days"].set_axis(prod.index.astype("str")).reindex(skus).astype(float)
    d = mean.reindex(skus, fill_value=0.0).to_numpy(dtype=float)
    sd = std.reindex(skus, fill_value=0.0).to_numpy(dtype=float)
    ss = np.atleast_1d(safety_stock(d, sd, lt.to_numpy(), service_level=service_level,
                                    lead_time_std=lead_time_std))
    return pd.DataFrame({"sku": skus, "lead_time_days": lt.to_numpy(), "daily_demand_mean": d,
                         "daily_demand_std": sd, "safety_stock": ss,
                         "reorder_point": d * lt.to_numpy() + ss})


def stockout_risk(inventory: pd.DataFrame, order_items: pd.DataFrame, orders: pd.DataFrame, *,
                  as_of, until, window_days: int = 28, uplift: float = 1.0,
                  statuses: Iterable[str] = SHIPPED_STATUSES) -> pd.DataFrame:
    """SKUs whose stock will not cover expected demand up to a date (e.g. a campaign's peak).

    Parameters
    ----------
    inventory : DataFrame
        ``date``, ``sku``, ``on_hand``. Each SKU's stock is its last row on or before
        ``as_of``; inbound deliveries after ``as_of`` are not known and not counted.
    order_items : DataFrame
        Needs ``order_id``, ``sku``, ``quantity``.
    orders : DataFrame
        Needs ``order_id``, ``order_ts``; ``status`` is used when present.
    as_of : date-like
        Today: the last day of the demand window and of the stock (end of day).
    until : date-like
        Last day the stock must last, after ``as_of`` (e.g. the campaign's ``peak_end``).
    window_days : int, default 28
        Days of history for the demand rate, ending on ``as_of``; days without a sale count 0.
    uplift : float, default 1.0
        Demand multiplier for the horizon, e.g. 1.5 when a campaign should lift sales 50 %.
    statuses : iterable of str, default ("paid", "refunded")
        Orders that count as demand (see :func:`~playbook_lib.products.sold_items`).

    Returns
    -------
    DataFrame
        One row per SKU in inventory, the least covered first (then by sku):

        - ``sku`` (str), ``on_hand`` (int): stock at ``as_of``.
        - ``daily_demand`` (float): mean daily units over the window x ``uplift``.
        - ``expected_demand`` (float): daily_demand x days from ``as_of`` (excluded) to
          ``until`` (included).
        - ``days_of_cover`` (float): on_hand / daily_demand; ``inf`` with stock and no
          demand, NaN with neither.
        - ``shortfall`` (float): max(expected_demand - on_hand, 0).
        - ``at_risk`` (bool): expected_demand > on_hand.

    Notes
    -----
    cover = on_hand / (d x uplift). Stock-out risk (断货风险): a best-seller that runs out on
    the peak day loses the sales and its search rank; reorder or expedite before the warm-up.

    Examples
    --------
    >>> import pandas as pd
    >>> inventory = pd.DataFrame({"date": pd.to_datetime(["2026-06-01"] * 2),
    ...     "sku": ["s1", "s2"], "on_hand": [30, 30]})
    >>> orders = pd.DataFrame({"order_id": ["o1", "o2"],
    ...     "order_ts": pd.to_datetime(["2026-05-31", "2026-06-01"])})
    >>> items = pd.DataFrame({"order_id": ["o1", "o2"], "sku": ["s1", "s1"], "quantity": [4, 4]})
    >>> risk = stockout_risk(inventory, items, orders, as_of="2026-06-01", until="2026-06-18",
    ...                      window_days=2, uplift=1.5)
    >>> risk[["sku", "on_hand", "expected_demand", "days_of_cover", "shortfall", "at_risk"]]
      sku  on_hand  expected_demand  days_of_cover  shortfall  at_risk
    0  s1       30            102.0            5.0       72.0     True
    1  s2       30              0.0            inf        0.0    False
    """
    func = "stockout_risk"
    statuses = check_statuses(statuses, func)
    as_of = to_day(as_of, name="as_of", func=func)
    until = to_day(until, name="until", func=func)
    if until <= as_of:
        raise ValueError(f"{func}: until={until.date()} must be after as_of={as_of.date()}.")
    window_days = positive_int(window_days, name="window_days", func=func, minimum=2,
                               hint="a number of days, e.g. 28 or 90")
    non_negative(uplift, name="uplift", func=func)
    if np.ndim(uplift) != 0:
        raise ValueError(f"{func}: uplift={uplift!r} must be one number, e.g. 1.5.")
    dates = _check_inventory(inventory, func)
    _check_orders(order_items, orders, ["order_id", "sku", "quantity"], func)
    inv = pd.DataFrame({"date": dates, "sku": inventory["sku"].astype("str"),
                        "on_hand": inventory["on_hand"]}).loc[dates <= as_of]
    if inv.empty:
        raise DataValidationError(
            f"{func}: table 'inventory' has no rows on or before as_of={as_of.date()}. "
            f"Pass an as_of inside the inventory's dates."
        )
    stock = inv.sort_values(["sku", "date"]).groupby("sku", sort=True)["on_hand"].last()
    mean, _ = _daily_demand(order_items, orders, as_of, window_days, statuses, func)
    d = mean.reindex(stock.index, fill_value=0.0).to_numpy(dtype=float) * float(uplift)
    on_hand = stock.to_numpy().astype("int64")
    horizon = (until - as_of).days
    expected = d * horizon
    with np.errstate(divide="ignore", invalid="ignore"):
        cover = np.where(d > 0, on_hand / d, np.where(on_hand > 0, np.inf, np.nan))
    out = pd.DataFrame({"sku": stock.index.astype("str"), "on_hand": on_hand,
                        "daily_demand": d, "expected_demand": expected,
                        "days_of_cover": cover.astype(float),
                        "shortfall": np.maximum(expected - on_hand, 0.0),
                        "at_risk": expected > on_hand})
    return out.sort_values(["days_of_cover", "sku"], na_position="last", ignore_index=True)


def slow_movers(kpis: pd.DataFrame, *, days_threshold: float = 180,
                no_sale_days: float | None = None) -> pd.DataFrame:
    """SKUs (or categories) with stock that will take too long to sell.

    Parameters
    ----------
    kpis : DataFrame
        Output of :func:`inventory_kpis`.
    days_threshold : float, default 180
        Flag keys whose ``days_of_inventory`` is above this (stock with no sale is ``inf``,
        so it is always flagged).
    no_sale_days : float, optional
        Also flag keys whose last sale is at least this many days before the period's end.
        Off by default.

    Returns
    -------
    DataFrame
        The flagged rows of ``kpis`` that still hold stock (``ending_on_hand`` > 0), with
        all its columns plus ``over_days_threshold`` and ``no_recent_sale`` (bool), sorted by
        ``days_of_inventory`` (largest first), then key.

    Notes
    -----
    Slow movers (滞销品): days of inventory > 180 (the kit's threshold; 45 already needs a
    plan). Move them with a price cut, a bundle with a best-seller (:func:`bundle_candidates`)
    or a recommendation slot, before they need a write-off.

    Examples
    --------
    >>> import pandas as pd
    >>> kpis = pd.DataFrame({"key": ["s1", "s2", "s3"], "ending_on_hand": [40, 90, 0],
    ...     "days_of_inventory": [20.0, float("inf"), float("nan")],
    ...     "days_since_last_sale": [1.0, 200.0, 3.0]})
    >>> slow_movers(kpis)[["key", "days_of_inventory", "over_days_threshold", "no_recent_sale"]]
      key  days_of_inventory  over_days_threshold  no_recent_sale
    0  s2                inf                 True           False
    """
    func = "slow_movers"
    cols = ["key", "ending_on_hand", "days_of_inventory"]
    if no_sale_days is not None:
        cols.append("days_since_last_sale")
    require_columns(kpis, cols, table="kpis", func=func)
    for name, value in (("days_threshold", days_threshold), ("no_sale_days", no_sale_days)):
        if value is not None and (isinstance(value, bool) or not np.isscalar(value)
                                  or not np.isfinite(value) or value < 0):
            raise ValueError(f"{func}: {name}={value!r} must be a number of days >= 0.")
    doi = kpis["days_of_inventory"].astype(float)
    over = (doi > days_threshold).to_numpy()
    if no_sale_days is None:
        stale = np.zeros(len(kpis), dtype=bool)
    else:
        since = kpis["days_since_last_sale"].astype(float)
        stale = ((since >= no_sale_days) | since.isna()).to_numpy()
    keep = (kpis["ending_on_hand"] > 0).to_numpy() & (over | stale)
    out = kpis.loc[keep].assign(over_days_threshold=over[keep], no_recent_sale=stale[keep])
    order = np.lexsort((out["key"].astype("str").to_numpy(),
                        -out["days_of_inventory"].astype(float).fillna(-1).to_numpy()))
    return out.iloc[order].reset_index(drop=True)


def bundle_candidates(order_items: pd.DataFrame, *, slow_skus: Iterable[str],
                      hot_skus: Iterable[str] | None = None, min_orders: int = 3,
                      order_col: str = "order_id", sku_col: str = "sku") -> pd.DataFrame:
    """Hot SKUs that the buyers of a slow SKU also put in the same order: bundle candidates.

    Parameters
    ----------
    order_items : DataFrame
        Order lines with ``order_col`` and ``sku_col``. Pass
        :func:`~playbook_lib.products.sold_items` output to use paid orders only.
    slow_skus : iterable of str
        SKUs to move (e.g. ``slow_movers(kpis)["key"]``).
    hot_skus : iterable of str, optional
        SKUs to pair them with (e.g. class A of :func:`abc_classes`); default every SKU not
        in ``slow_skus``.
    min_orders : int, default 3
        Keep pairs bought together in at least this many orders.
    order_col, sku_col : str
        Column names.

    Returns
    -------
    DataFrame
        One row per (slow, hot) pair bought together in ``min_orders`` or more orders,
        sorted by lift then pair_orders (both largest first), then the SKUs:

        - ``slow_sku``, ``hot_sku`` (str).
        - ``pair_orders`` (int): orders with both.
        - ``slow_orders``, ``hot_orders`` (int): orders with each.
        - ``support`` (float): pair_orders / all orders.
        - ``confidence`` (float): pair_orders / slow_orders, P(hot | slow).
        - ``lift`` (float): confidence / (hot_orders / all orders).

    Notes
    -----
    Co-purchase is counted within orders (a basket), not across a customer's history.
    lift = P(slow and hot) / (P(slow) P(hot)); above 1 the two sell together more than by
    chance. Bundling (组合销售) a slow SKU with a hot one it already sells with moves stock
    without a deep discount.

    Examples
    --------
    >>> import pandas as pd
    >>> items = pd.DataFrame({"order_id": ["o1", "o1", "o2", "o2", "o3", "o4"],
    ...     "sku": ["slow", "hot", "slow", "hot", "hot", "other"]})
    >>> pairs = bundle_candidates(items, slow_skus=["slow"], min_orders=2)
    >>> pairs[["slow_sku", "hot_sku", "pair_orders", "support", "confidence", "lift"]]
      slow_sku hot_sku  pair_orders  support  confidence      lift
    0     slow     hot            2      0.5         1.0  1.333333
    """
    func = "bundle_candidates"
    require_columns(order_items, [order_col, sku_col], table="order_items", func=func)
    positive_int(min_orders, name="min_orders", func=func)
    slow = pd.Index([slow_skus] if isinstance(slow_skus, str) else list(slow_skus),
                    dtype="str").unique()
    if len(slow) == 0:
        raise ValueError(f"{func}: slow_skus is empty; pass e.g. slow_movers(kpis)['key'].")
    cols = ["slow_sku", "hot_sku", "pair_orders", "slow_orders", "hot_orders", "support",
            "confidence", "lift"]

    order_codes, _ = pd.factorize(order_items[order_col])
    sku_codes, sku_names = pd.factorize(order_items[sku_col].astype("str"))
    n_sku = max(len(sku_names), 1)
    # distinct (order, sku) pairs; sort-based because np.unique's hash path is slow here
    pairs = np.sort(order_codes.astype(np.int64) * n_sku + sku_codes)
    pairs = pairs[np.r_[True, pairs[1:] != pairs[:-1]]] if len(pairs) else pairs
    o, s = pairs // n_sku, pairs % n_sku
    n_orders = int(order_codes.max()) + 1 if len(order_codes) else 0
    sku_names = pd.Index(sku_names, dtype="str")
    orders_per_sku = np.bincount(s, minlength=n_sku)

    slow_code = sku_names.get_indexer(slow)
    slow_code = slow_code[slow_code >= 0]
    if hot_skus is None:
        is_hot = np.ones(n_sku, dtype=bool)
    else:
        hot = pd.Index([hot_skus] if isinstance(hot_skus, str) else list(hot_skus), dtype="str")
        is_hot = np.zeros(n_sku, dtype=bool)
        code = sku_names.get_indexer(hot)
        is_hot[code[code >= 0]] = True
    is_hot[slow_code] = False
    is_slow = np.zeros(n_sku, dtype=bool)
    is_slow[slow_code] = True

    slow_rows = is_slow[s]
    slow_pairs = pd.DataFrame({"o": o[slow_rows], "slow": s[slow_rows]})
    hot_rows = is_hot[s] & np.isin(o, slow_pairs["o"].to_numpy())
    hot_pairs = pd.DataFrame({"o": o[hot_rows], "hot": s[hot_rows]})
    joined = slow_pairs.merge(hot_pairs, on="o")
    counts = joined.groupby(["slow", "hot"]).size()
    counts = counts[counts >= min_orders]
    if counts.empty:
        dtypes = ["str", "str", "int64", "int64", "int64", "float", "float", "float"]
        return pd.DataFrame({c: pd.Series(dtype=t) for c, t in zip(cols, dtypes, strict=True)})
    slow_i = counts.index.get_level_values(0).to_numpy()
    hot_i = counts.index.get_level_values(1).to_numpy()
    pair = counts.to_numpy().astype("int64")
    slow_n = orders_per_sku[slow_i].astype("int64")
    hot_n = orders_per_sku[hot_i].astype("int64")
    confidence = pair / slow_n
    out = pd.DataFrame({"slow_sku": sku_names[slow_i], "hot_sku": sku_names[hot_i],
                        "pair_orders": pair, "slow_orders": slow_n, "hot_orders": hot_n,
                        "support": pair / n_orders, "confidence": confidence,
                        "lift": confidence / (hot_n / n_orders)})
    return out.sort_values(["lift", "pair_orders", "slow_sku", "hot_sku"],
                           ascending=[False, False, True, True], ignore_index=True)

