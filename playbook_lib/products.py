"""Products: selection, seasonality, margin, inventory, sell-through and bundles.

The functions behind ``notebooks/02_products``: what to list (category and search trends,
seasonality, margin, a selection scorecard), and how to keep it in stock without tying up cash
(ABC classes, turnover, days of inventory, sell-through, safety stock and reorder points, slow
movers, bundles that move them, best-sellers at risk of running out before a campaign).

Which orders count
------------------
One helper decides which orders count, :func:`sold_items`, from the order ``status`` (all
orders count when the table has no status column):

* money (GMV, margin, ABC revenue) counts **paid** orders only, :data:`PAID_STATUSES`, as the
  glossary defines GMV; refunded orders are shown separately elsewhere, never in GMV;
* stock (units sold for turnover, days of inventory, sell-through, safety stock, stock-out
  risk) counts **shipped** orders, :data:`SHIPPED_STATUSES` (paid and refunded): a refunded
  order still took units off the shelf and still shows demand.

Every function that reads orders takes a ``statuses`` argument to change this.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

import numpy as np
import pandas as pd
from scipy import stats

from .data.schema import ORDER_STATUSES
from .errors import (
    DataValidationError,
    format_examples,
    require_choice,
    require_columns,
    require_non_empty,
)

__all__ = [
    "PAID_STATUSES",
    "SHIPPED_STATUSES",
    "sold_items",
    "category_trends",
    "search_trends",
    "seasonality",
    "seasonal_strength",
    "sku_margin",
    "selection_scores",
    "abc_classes",
    "inventory_kpis",
    "sell_through_rate",
    "safety_stock",
    "reorder_point",
    "reorder_table",
    "service_level_curve",
    "slow_movers",
    "bundle_candidates",
    "stockout_risk",
]

PAID_STATUSES: tuple[str, ...] = ("paid",)
"""Order statuses that count for money: GMV, margin, ABC revenue."""

SHIPPED_STATUSES: tuple[str, ...] = ("paid", "refunded")
"""Order statuses that count for stock and demand: the goods left the warehouse."""

_FREQ_LAGS = {"W": 52, "M": 12, "Q": 4}  # periods in a year, for year-on-year growth
_ONE_DAY = pd.Timedelta(days=1)


# --- shared checks and helpers -----------------------------------------------------------------

def _numeric(df: pd.DataFrame, cols: Iterable[str], *, table: str, func: str,
             min_value: float | None = None) -> None:
    """Raise DataValidationError unless ``cols`` are numeric, non-missing and >= min_value."""
    for col in cols:
        s = df[col]
        if not pd.api.types.is_numeric_dtype(s) or pd.api.types.is_bool_dtype(s):
            raise DataValidationError(
                f"{func}: column '{col}' of table '{table}' must be numeric, got dtype "
                f"{s.dtype} (e.g. {format_examples(s.head(3).tolist())}). Convert it with "
                f"pd.to_numeric or load the table with load_dataset()."
            )
        bad = s[s.isna()] if min_value is None else s[s.isna() | (s < min_value)]
        if len(bad):
            what = ("missing values" if min_value is None
                    else f"values below {min_value:g} or missing")
            raise DataValidationError(
                f"{func}: column '{col}' of table '{table}' has {len(bad)} {what}, e.g. rows "
                f"{format_examples(bad.index.tolist(), 3)} with "
                f"{format_examples(bad.tolist(), 3)}. Fix or drop those rows first."
            )


def _datetimes(df: pd.DataFrame, col: str, *, table: str, func: str) -> pd.Series:
    """Return ``df[col]`` as datetime64, or raise DataValidationError naming bad values."""
    s = df[col]
    if pd.api.types.is_datetime64_any_dtype(s):
        return s
    try:
        return pd.to_datetime(s, format="ISO8601")
    except (ValueError, TypeError) as exc:
        raise DataValidationError(
            f"{func}: column '{col}' of table '{table}' must hold dates, got dtype {s.dtype} "
            f"(e.g. {format_examples(s.head(3).tolist())}). Use ISO dates like '2026-06-18'."
        ) from exc


def _day(value, *, name: str, func: str) -> pd.Timestamp:
    """A date argument as a midnight Timestamp (raises ValueError for a non-date)."""
    try:
        ts = pd.Timestamp(value)
    except (ValueError, TypeError) as exc:
        raise ValueError(f"{func}: {name}={value!r} is not a date; pass e.g. '2026-06-30'.") \
            from exc
    if pd.isna(ts):
        raise ValueError(f"{func}: {name} is missing; pass a date such as '2026-06-30'.")
    return ts.normalize()


def _ns(s: pd.Series) -> pd.Series:
    """Datetimes in the data model's resolution (datetime64[ns])."""
    return s.astype("datetime64[ns]")


def _check_statuses(statuses, func: str) -> tuple[str, ...]:
    statuses = (statuses,) if isinstance(statuses, str) else tuple(statuses)
    if not statuses:
        raise ValueError(f"{func}: statuses is empty; choose from {', '.join(ORDER_STATUSES)}.")
    for s in statuses:
        require_choice(s, ORDER_STATUSES, name="statuses", func=func)
    return statuses


def _sold_lines(order_items: pd.DataFrame, orders: pd.DataFrame, item_cols: list[str],
                statuses: tuple[str, ...], func: str,
                order_cols: tuple[str, ...] = ()) -> pd.DataFrame:
    """Lines of counted orders with their ``order_ts``; inputs must be validated already."""
    keep = ["order_id", "order_ts", *order_cols]
    o = orders
    if "status" in o.columns:
        o = o.loc[o["status"].isin(statuses)]
    o = o[keep]
    if not pd.api.types.is_datetime64_any_dtype(o["order_ts"]):
        o = o.assign(order_ts=_datetimes(o, "order_ts", table="orders", func=func))
    cols = list(dict.fromkeys(["order_id", *item_cols]))
    # order_id is unique in orders (checked by _check_orders), so this is many-to-one
    return order_items[cols].merge(o, on="order_id", how="inner")


def _check_unique_orders(orders: pd.DataFrame, func: str) -> None:
    dup = orders["order_id"][orders["order_id"].duplicated()]
    if len(dup):
        raise DataValidationError(
            f"{func}: table 'orders' has {len(dup)} repeated order_id value(s), e.g. "
            f"{format_examples(dup.unique().tolist(), 3)}. One row per order is expected; "
            f"drop the duplicates (orders.drop_duplicates('order_id'))."
        )


def _check_orders(order_items: pd.DataFrame, orders: pd.DataFrame, item_cols: list[str],
                  func: str) -> None:
    require_columns(order_items, item_cols, table="order_items", func=func)
    require_columns(orders, ["order_id", "order_ts"], table="orders", func=func)
    _check_unique_orders(orders, func)
    _datetimes(orders, "order_ts", table="orders", func=func)
    if "quantity" in item_cols:
        _numeric(order_items, ["quantity"], table="order_items", func=func, min_value=0)


def _product_table(products: pd.DataFrame, cols: list[str], func: str) -> pd.DataFrame:
    """Validated products indexed by sku with ``cols``."""
    require_columns(products, ["sku", *cols], table="products", func=func)
    dup = products["sku"][products["sku"].duplicated()]
    if len(dup):
        raise DataValidationError(
            f"{func}: table 'products' lists {len(dup)} SKU(s) more than once, e.g. "
            f"{format_examples(dup.unique().tolist(), 3)}. Keep one row per sku."
        )
    return products.set_index("sku")[cols]


def _check_known_skus(skus: pd.Series, products: pd.DataFrame, table: str, func: str) -> None:
    unknown = pd.Index(skus.unique()).difference(products.index)
    if len(unknown):
        raise DataValidationError(
            f"{func}: {len(unknown)} SKU(s) in table '{table}' are not in table 'products', "
            f"e.g. {format_examples(sorted(unknown), 3)}. Add them to products (with their "
            f"category and unit_cost) or drop those rows."
        )


def _growth(current: pd.Series, previous: pd.Series) -> pd.Series:
    """current / previous - 1, NaN where previous is missing or zero."""
    prev = previous.where(previous > 0)
    return current / prev - 1.0


def sold_items(order_items: pd.DataFrame, orders: pd.DataFrame, *,
               statuses: Iterable[str] = PAID_STATUSES) -> pd.DataFrame:
    """Order lines of the orders that count, with each order's time and customer.

    The one place that decides which orders count (see the module notes): money uses
    :data:`PAID_STATUSES`, stock uses :data:`SHIPPED_STATUSES`.

    Parameters
    ----------
    order_items : DataFrame
        Needs ``order_id``; every other column is kept.
    orders : DataFrame
        Needs ``order_id``, ``order_ts``; ``status`` and ``customer_id`` are used when present.
    statuses : iterable of str, default ("paid",)
        Order statuses that count. Without a ``status`` column every order counts.

    Returns
    -------
    DataFrame
        The counted lines: every column of ``order_items``, then ``order_ts`` and (when
        ``orders`` has it) ``customer_id``. Lines whose order is not in ``orders`` are dropped.

    Notes
    -----
    Paid lines (成交明细): the lines behind GMV. Refunded orders count only for stock.

    Examples
    --------
    >>> import pandas as pd
    >>> orders = pd.DataFrame({"order_id": ["o1", "o2"], "status": ["paid", "refunded"],
    ...     "order_ts": pd.to_datetime(["2026-01-05", "2026-01-06"])})
    >>> items = pd.DataFrame({"order_id": ["o1", "o2"], "sku": ["s1", "s2"], "quantity": [1, 2]})
    >>> sold_items(items, orders)
      order_id sku  quantity   order_ts
    0       o1  s1         1 2026-01-05
    >>> len(sold_items(items, orders, statuses=SHIPPED_STATUSES))
    2
    """
    func = "sold_items"
    statuses = _check_statuses(statuses, func)
    _check_orders(order_items, orders, ["order_id"], func)
    extra = ("customer_id",) if "customer_id" in orders.columns else ()
    return _sold_lines(order_items, orders, list(order_items.columns), statuses, func,
                       order_cols=extra).reset_index(drop=True)


# --- selection: trends, seasonality, margin, scorecard ----------------------------------------

def category_trends(orders: pd.DataFrame, order_items: pd.DataFrame, products: pd.DataFrame, *,
                    freq: str = "M", level: str = "category",
                    statuses: Iterable[str] = PAID_STATUSES) -> pd.DataFrame:
    """Units and GMV per period and category (or SKU), with period-on-period and yearly growth.

    Parameters
    ----------
    orders : DataFrame
        Needs ``order_id``, ``order_ts``; ``status`` is used when present.
    order_items : DataFrame
        Needs ``order_id``, ``sku``, ``quantity``, ``net_amount``.
    products : DataFrame
        Needs ``sku`` and ``category``.
    freq : {"M", "W", "Q"}, default "M"
        Calendar months, weeks (Monday to Sunday) or quarters.
    level : {"category", "sku"}, default "category"
        What ``key`` holds.
    statuses : iterable of str, default ("paid",)
        Order statuses that count (see :func:`sold_items`).

    Returns
    -------
    DataFrame
        One row per period x key, for every period from the first to the last sale (a key
        without sales in a period has 0 units; with ``level="sku"`` a SKU's rows start at its
        ``launch_date`` period when products has one, else at its first sale), sorted by key
        then period:

        - ``period`` (datetime64[ns]): first day of the period.
        - ``key`` (str): the category, or the SKU when ``level="sku"``.
        - ``units`` (int): units sold.
        - ``gmv`` (float): sum of the lines' ``net_amount`` (shipping is not split by category).
        - ``mom_growth`` (float): gmv / gmv of the previous period - 1 (month-on-month for
          ``freq="M"``); NaN when the previous period is outside the data or had no GMV.
        - ``yoy_growth`` (float): gmv / gmv of the same period a year earlier (12 months,
          52 weeks or 4 quarters) - 1; NaN when there is no such period or it had no GMV.

    Notes
    -----
    growth = gmv_t / gmv_(t-lag) - 1. Category growth (类目增长) tells where demand is moving;
    month-on-month (环比) reacts fast but carries the season, year-on-year (同比) removes it.
    The first and last periods may be partial if the data starts or ends mid-period.

    Examples
    --------
    >>> import pandas as pd
    >>> orders = pd.DataFrame({"order_id": ["o1", "o2", "o3"],
    ...     "order_ts": pd.to_datetime(["2026-01-10", "2026-02-03", "2026-03-09"])})
    >>> items = pd.DataFrame({"order_id": ["o1", "o2", "o3"], "sku": ["s1", "s1", "s1"],
    ...     "quantity": [1, 2, 1], "net_amount": [50.0, 100.0, 50.0]})
    >>> products = pd.DataFrame({"sku": ["s1"], "category": ["kitchen"]})
    >>> category_trends(orders, items, products)
          period      key  units    gmv  mom_growth  yoy_growth
    0 2026-01-01  kitchen      1   50.0         NaN         NaN
    1 2026-02-01  kitchen      2  100.0         1.0         NaN
    2 2026-03-01  kitchen      1   50.0        -0.5         NaN
    """
    func = "category_trends"
    require_choice(freq, _FREQ_LAGS, name="freq", func=func)
    require_choice(level, ("category", "sku"), name="level", func=func)
    statuses = _check_statuses(statuses, func)
    _check_orders(order_items, orders, ["order_id", "sku", "quantity", "net_amount"], func)
    _numeric(order_items, ["net_amount"], table="order_items", func=func)
    prod = _product_table(products, ["category"] + (["launch_date"] if "launch_date" in
                                                     products.columns else []), func)

    lines = _sold_lines(order_items, orders, ["sku", "quantity", "net_amount"], statuses, func)
    require_non_empty(lines, table="order_items", func=func,
                      what=f"lines of orders with status {', '.join(statuses)}")
    _check_known_skus(lines["sku"], prod, "order_items", func)
    key = lines["sku"] if level == "sku" else lines["sku"].map(prod["category"])
    period = lines["order_ts"].dt.to_period(freq)
    agg = (lines.assign(key=key.astype("str"), period=period)
           .groupby(["key", "period"], observed=True)[["quantity", "net_amount"]].sum())

    periods = pd.period_range(period.min(), period.max(), freq=period.dt.freq)
    keys = agg.index.get_level_values("key").unique().sort_values()
    grid = pd.MultiIndex.from_product([keys, periods], names=["key", "period"])
    agg = agg.reindex(grid, fill_value=0)
    if level == "sku":
        # A SKU's rows start when it was listed (launch_date when known, else its first sale):
        # months before it existed are not months without demand.
        first_sale = period.groupby(lines["sku"].astype("str").to_numpy()).min()
        listed = first_sale
        if "launch_date" in prod.columns:
            launch = pd.to_datetime(prod["launch_date"]).dt.to_period(freq)
            launch.index = launch.index.astype("str")
            launch = launch.reindex(first_sale.index)
            listed = launch.where(launch.notna() & (launch < first_sale), first_sale)
        key_level = agg.index.get_level_values("key")
        starts = pd.Series(listed.reindex(key_level).to_numpy(), index=agg.index)
        agg = agg[agg.index.get_level_values("period") >= starts.to_numpy()]

    gmv = agg["net_amount"].astype(float)
    by_key = gmv.groupby(level="key", sort=False)
    out = pd.DataFrame({
        "period": _ns(pd.Series(agg.index.get_level_values("period").start_time)),
        "key": agg.index.get_level_values("key").astype("str"),
        "units": agg["quantity"].astype("int64").to_numpy(),
        "gmv": gmv.to_numpy(),
        "mom_growth": _growth(gmv, by_key.shift(1)).to_numpy(),
        "yoy_growth": _growth(gmv, by_key.shift(_FREQ_LAGS[freq])).to_numpy(),
    })
    return out


def search_trends(search_terms: pd.DataFrame, *, keywords: Iterable[str] | None = None,
                  month_col: str = "month", keyword_col: str = "keyword") -> pd.DataFrame:
    """Monthly search demand per keyword: impressions, clicks, CTR, orders, conversion, growth.

    Parameters
    ----------
    search_terms : DataFrame
        Needs ``month``, ``keyword``, ``impressions``, ``clicks``; ``orders`` is used when
        present (otherwise ``orders`` and ``conversion`` are NaN).
    keywords : iterable of str, optional
        Keep only these keywords (all by default). Unknown keywords raise an error.
    month_col, keyword_col : str
        Column names of the month and keyword.

    Returns
    -------
    DataFrame
        One row per month x keyword present in the data, sorted by keyword then month:

        - ``month`` (datetime64[ns]): first day of the month.
        - ``keyword`` (str).
        - ``impressions``, ``clicks`` (int).
        - ``ctr`` (float): clicks / impressions (NaN without impressions).
        - ``orders`` (float): orders from the keyword (NaN when the table has no ``orders``).
        - ``conversion`` (float): orders / clicks (NaN without clicks).
        - ``mom_growth``, ``yoy_growth`` (float): impressions against the previous month and
          the same month a year earlier, minus 1; NaN when that month is missing or had none.

    Notes
    -----
    ctr = clicks / impressions (点击率); conversion = orders / clicks (搜索转化率). Rising
    impressions of a keyword (搜索趋势) are early demand: stock up before the season, not in it.

    Examples
    --------
    >>> import pandas as pd
    >>> terms = pd.DataFrame({"month": pd.to_datetime(["2026-05-01", "2026-06-01"]),
    ...     "keyword": ["juicer", "juicer"], "impressions": [1000, 3000],
    ...     "clicks": [20, 90], "orders": [2, 9]})
    >>> search_trends(terms)[["month", "keyword", "ctr", "conversion", "mom_growth"]]
           month keyword   ctr  conversion  mom_growth
    0 2026-05-01  juicer  0.02         0.1         NaN
    1 2026-06-01  juicer  0.03         0.1         2.0
    """
    func = "search_trends"
    require_columns(search_terms, [month_col, keyword_col, "impressions", "clicks"],
                    table="search_terms", func=func)
    counts = ["impressions", "clicks"] + (["orders"] if "orders" in search_terms.columns else [])
    _numeric(search_terms, counts, table="search_terms", func=func, min_value=0)
    df = search_terms[[month_col, keyword_col, *counts]]
    if keywords is not None:
        keywords = [keywords] if isinstance(keywords, str) else list(keywords)
        unknown = sorted(set(keywords) - set(df[keyword_col]))
        if unknown:
            have = sorted(df[keyword_col].unique())
            raise DataValidationError(
                f"{func}: keyword(s) {format_examples(unknown, 5)} are not in table "
                f"'search_terms'; it has e.g. {format_examples(have, 5)}. Check the spelling."
            )
        df = df.loc[df[keyword_col].isin(keywords)]
    require_non_empty(df, table="search_terms", func=func)
    month = _datetimes(df, month_col, table="search_terms", func=func).dt.to_period("M")
    agg = (df.assign(_month=month, _kw=df[keyword_col].astype("str"))
           .groupby(["_kw", "_month"], observed=True)[counts].sum())
    if "orders" not in agg.columns:
        agg["orders"] = np.nan
    imp = agg["impressions"].astype(float)
    kw = agg.index.get_level_values("_kw")
    mon = agg.index.get_level_values("_month")
    lag1 = imp.reindex(pd.MultiIndex.from_arrays([kw, mon - 1])).to_numpy()
    lag12 = imp.reindex(pd.MultiIndex.from_arrays([kw, mon - 12])).to_numpy()
    with np.errstate(divide="ignore", invalid="ignore"):
        ctr = np.where(agg["impressions"] > 0, agg["clicks"] / agg["impressions"], np.nan)
        conv = np.where(agg["clicks"] > 0, agg["orders"] / agg["clicks"], np.nan)
    return pd.DataFrame({
        "month": _ns(pd.Series(mon.start_time)),
        "keyword": kw.astype("str"),
        "impressions": agg["impressions"].astype("int64").to_numpy(),
        "clicks": agg["clicks"].astype("int64").to_numpy(),
        "ctr": ctr,
        "orders": agg["orders"].astype(float).to_numpy(),
        "conversion": conv.astype(float),
        "mom_growth": _growth(pd.Series(imp.to_numpy()), pd.Series(lag1)).to_numpy(),
        "yoy_growth": _growth(pd.Series(imp.to_numpy()), pd.Series(lag12)).to_numpy(),
    })


def _is_regular(index: pd.DatetimeIndex) -> bool:
    """True when the periods are evenly spaced (calendar months/quarters, or a fixed step)."""
    if len(index) < 3:
        return True
    if index.is_month_start.all():
        steps = np.diff(index.year * 12 + index.month)
    else:
        steps = np.diff(index.asi8)
    return bool((steps == steps[0]).all())


def seasonality(sales: pd.DataFrame, *, period: int = 12, robust: bool = True,
                value_col: str = "units", key_col: str = "key", period_col: str = "period",
                keys: Iterable[str] | None = None) -> pd.DataFrame:
    """STL decomposition of each key's sales into trend, seasonal and remainder.

    Parameters
    ----------
    sales : DataFrame
        Long frame with one row per period x key, e.g. :func:`category_trends` output.
        Needs ``period_col``, ``key_col`` and ``value_col``. Periods must be evenly spaced
        (months or weeks); a key missing in a period counts as 0 that period.
    period : int, default 12
        Periods per seasonal cycle: 12 for monthly data, 52 for weekly data.
    robust : bool, default True
        Robust STL: single spikes (a one-off campaign) go to the remainder, not the season.
    value_col, key_col, period_col : str
        Column names; default to :func:`category_trends`' ``units``, ``key``, ``period``.
    keys : iterable of str, optional
        Decompose only these keys.

    Returns
    -------
    DataFrame
        One row per key x period, sorted by key then period: ``period`` (datetime64[ns]),
        ``key`` (str), ``observed``, ``trend``, ``seasonal``, ``resid`` (float), with
        observed = trend + seasonal + resid.

    Raises
    ------
    DataValidationError
        When the series is shorter than two full cycles (``2 * period`` periods), which STL
        needs to tell a season from a trend, or when periods are not evenly spaced.

    Notes
    -----
    STL (Cleveland et al. 1990) via ``statsmodels.tsa.seasonal.STL``:
    y_t = T_t + S_t + R_t. Seasonality (季节性): the part of sales that repeats every year,
    e.g. sunscreen in summer, gift boxes before the Spring Festival. Summarise it with
    :func:`seasonal_strength`.

    The seasonal smoother is locally constant (``seasonal_deg=0``, the default of R's
    ``stl()``; statsmodels defaults to 1). With the two or three years a shop usually has,
    each calendar month has only 2-3 values and a degree-1 smoother fits them exactly, so
    every series would look perfectly seasonal with no remainder.

    Examples
    --------
    >>> import pandas as pd
    >>> sales = pd.DataFrame({"period": pd.date_range("2024-01-01", periods=8, freq="MS"),
    ...     "key": "fan", "units": [1, 5, 1, 5, 1, 5, 1, 5]})
    >>> seasonality(sales, period=2)[["period", "key", "observed", "trend", "seasonal"]].head(3)
          period  key  observed  trend  seasonal
    0 2024-01-01  fan       1.0    3.0      -2.0
    1 2024-02-01  fan       5.0    3.0       2.0
    2 2024-03-01  fan       1.0    3.0      -2.0
    """
    from statsmodels.tsa.seasonal import STL

    func = "seasonality"
    require_columns(sales, [period_col, key_col, value_col], table="sales", func=func)
    if isinstance(period, bool) or not isinstance(period, (int, np.integer)) or period < 2:
        raise ValueError(f"{func}: period={period!r} must be a whole number >= 2 "
                         f"(12 for monthly data, 52 for weekly data).")
    _numeric(sales, [value_col], table="sales", func=func)
    df = sales[[period_col, key_col, value_col]]
    if keys is not None:
        keys = [keys] if isinstance(keys, str) else list(keys)
        unknown = sorted(set(keys) - set(df[key_col]))
        if unknown:
            raise DataValidationError(
                f"{func}: key(s) {format_examples(unknown)} are not in column '{key_col}'; "
                f"it has e.g. {format_examples(sorted(df[key_col].unique()))}."
            )
        df = df.loc[df[key_col].isin(keys)]
    require_non_empty(df, table="sales", func=func)
    p = df[period_col]
    if isinstance(p.dtype, pd.PeriodDtype):
        p = p.dt.start_time
    p = _datetimes(df.assign(**{period_col: p}), period_col, table="sales", func=func)
    wide = (df.assign(_p=p, _k=df[key_col].astype("str"))
            .pivot_table(index="_p", columns="_k", values=value_col, aggfunc="sum",
                         fill_value=0).sort_index())
    if not _is_regular(pd.DatetimeIndex(wide.index)):
        raise DataValidationError(
            f"{func}: the periods in '{period_col}' are not evenly spaced (e.g. a month is "
            f"missing for every key: {format_examples(wide.index[:4].strftime('%Y-%m-%d'))}). "
            f"Pass one row per period, e.g. category_trends() output, which fills gaps with 0."
        )
    if len(wide) < 2 * period:
        raise DataValidationError(
            f"{func}: the series has {len(wide)} periods; STL with period={period} needs at "
            f"least {2 * period} (two full seasonal cycles) to tell the season from the trend. "
            f"Use a longer history, or check that period matches the data (12 for monthly, "
            f"52 for weekly)."
        )
    frames = []
    for key in wide.columns:
        fit = STL(wide[key].to_numpy(dtype=float), period=int(period), robust=robust,
                  seasonal_deg=0).fit()
        frames.append(pd.DataFrame({
            "period": wide.index, "key": key, "observed": fit.observed, "trend": fit.trend,
            "seasonal": fit.seasonal, "resid": fit.resid,
        }))
    out = pd.concat(frames, ignore_index=True)
    out["period"] = _ns(out["period"])
    out["key"] = out["key"].astype("str")
    return out


def seasonal_strength(components: pd.DataFrame) -> pd.DataFrame:
    """How seasonal (and how trending) each key is, from :func:`seasonality` output.

    Parameters
    ----------
    components : DataFrame
        Output of :func:`seasonality`: ``key``, ``trend``, ``seasonal``, ``resid``.

    Returns
    -------
    DataFrame
        One row per key, sorted by ``seasonal_strength`` (strongest first), then key:
        ``key`` (str), ``seasonal_strength`` and ``trend_strength`` (float in [0, 1]).
        A key whose detrended series is constant gets 0.

    Notes
    -----
    Wang, Smith & Hyndman (2006): F_S = max(0, 1 - var(R) / var(S + R)) and
    F_T = max(0, 1 - var(R) / var(T + R)). Strength of seasonality (季节性强度): near 1 the
    season drives sales (plan stock by the calendar), near 0 it does not. With only two
    years of data the figure is noisy (pure noise can score about 0.5): compare keys with
    each other rather than reading one value on its own.

    Examples
    --------
    >>> import pandas as pd
    >>> comp = pd.DataFrame({"key": ["fan"] * 4, "trend": [3.0, 3.0, 3.0, 3.0],
    ...     "seasonal": [-2.0, 2.0, -2.0, 2.0], "resid": [0.5, -0.5, 0.5, -0.5]})
    >>> seasonal_strength(comp)
       key  seasonal_strength  trend_strength
    0  fan           0.888889             0.0
    """
    func = "seasonal_strength"
    require_columns(components, ["key", "trend", "seasonal", "resid"], table="components",
                    func=func)
    require_non_empty(components, table="components", func=func)
    _numeric(components, ["trend", "seasonal", "resid"], table="components", func=func)
    c = components.assign(_sr=components["seasonal"] + components["resid"],
                          _tr=components["trend"] + components["resid"])
    var = c.groupby(c["key"].astype("str"))[["resid", "_sr", "_tr"]].var(ddof=0)

    def strength(denominator: pd.Series) -> np.ndarray:
        with np.errstate(divide="ignore", invalid="ignore"):
            f = 1.0 - var["resid"] / denominator
        return np.clip(f.where(denominator > 0, 0.0).to_numpy(dtype=float), 0.0, 1.0)

    out = pd.DataFrame({"key": var.index.astype("str"),
                        "seasonal_strength": strength(var["_sr"]),
                        "trend_strength": strength(var["_tr"])})
    return out.sort_values(["seasonal_strength", "key"], ascending=[False, True],
                           ignore_index=True)


def sku_margin(products: pd.DataFrame, order_items: pd.DataFrame, *,
               orders: pd.DataFrame | None = None, by: str = "sku",
               statuses: Iterable[str] = PAID_STATUSES) -> pd.DataFrame:
    """Net sales, cost of goods and gross margin per SKU, category or supplier.

    Parameters
    ----------
    products : DataFrame
        Needs ``sku``, ``unit_cost``; ``category`` or ``supplier_id`` for those ``by`` values.
    order_items : DataFrame
        Needs ``order_id``, ``sku``, ``quantity``, ``net_amount``; ``returned_qty`` is used
        when present.
    orders : DataFrame, optional
        When given, only lines of orders whose status is in ``statuses`` count (paid by
        default). Without it every line counts: filter the lines first.
    by : {"sku", "category", "supplier"}, default "sku"
        What ``key`` holds (``supplier`` reads ``supplier_id``).
    statuses : iterable of str, default ("paid",)
        Order statuses that count when ``orders`` is given.

    Returns
    -------
    DataFrame
        One row per key with sales, sorted by ``gross_profit`` (largest first), then key:

        - ``key`` (str).
        - ``units`` (int): units sold less units returned.
        - ``net_sales`` (float): lines' ``net_amount`` less the returned share
          (net_amount x returned_qty / quantity).
        - ``cogs`` (float): units x ``unit_cost``.
        - ``gross_profit`` (float): net_sales - cogs.
        - ``gross_margin`` (float): gross_profit / net_sales; NaN without net sales.

    Notes
    -----
    gross margin (毛利率) = (net sales - cost of goods) / net sales. A SKU with high sales but
    thin margin may lose money after ads and returns; compare suppliers (供应商) on the same
    category before renegotiating.

    Examples
    --------
    >>> import pandas as pd
    >>> products = pd.DataFrame({"sku": ["s1", "s2"], "unit_cost": [30.0, 10.0],
    ...     "supplier_id": ["p1", "p1"]})
    >>> items = pd.DataFrame({"order_id": ["o1", "o2"], "sku": ["s1", "s2"],
    ...     "quantity": [2, 1], "net_amount": [100.0, 40.0], "returned_qty": [1, 0]})
    >>> sku_margin(products, items)
      key  units  net_sales  cogs  gross_profit  gross_margin
    0  s2      1       40.0  10.0          30.0          0.75
    1  s1      1       50.0  30.0          20.0          0.40
    >>> sku_margin(products, items, by="supplier")
      key  units  net_sales  cogs  gross_profit  gross_margin
    0  p1      2       90.0  40.0          50.0      0.555556
    """
    func = "sku_margin"
    choices = {"sku": None, "category": "category", "supplier": "supplier_id"}
    require_choice(by, choices, name="by", func=func)
    statuses = _check_statuses(statuses, func)
    item_cols = ["order_id", "sku", "quantity", "net_amount"]
    has_returns = "returned_qty" in order_items.columns
    if orders is not None:
        _check_orders(order_items, orders, item_cols, func)
    else:
        require_columns(order_items, item_cols, table="order_items", func=func)
        _numeric(order_items, ["quantity"], table="order_items", func=func, min_value=0)
    _numeric(order_items, ["net_amount"], table="order_items", func=func)
    if has_returns:
        _numeric(order_items, ["returned_qty"], table="order_items", func=func, min_value=0)
    attr = choices[by]
    prod = _product_table(products, ["unit_cost"] + ([attr] if attr else []), func)
    _numeric(prod, ["unit_cost"], table="products", func=func, min_value=0)

    cols = item_cols + (["returned_qty"] if has_returns else [])
    lines = (order_items[cols] if orders is None
             else _sold_lines(order_items, orders, cols, statuses, func))
    require_non_empty(lines, table="order_items", func=func)
    _check_known_skus(lines["sku"], prod, "order_items", func)
    returned = lines["returned_qty"] if has_returns else 0
    kept = lines["quantity"] - returned
    with np.errstate(divide="ignore", invalid="ignore"):
        kept_share = np.where(lines["quantity"] > 0, kept / lines["quantity"], 0.0)
    key = lines["sku"] if attr is None else lines["sku"].map(prod[attr])
    per = pd.DataFrame({
        "key": key.astype("str").to_numpy(),
        "units": kept.to_numpy(),
        "net_sales": lines["net_amount"].to_numpy() * kept_share,
        "cogs": kept.to_numpy() * lines["sku"].map(prod["unit_cost"]).to_numpy(dtype=float),
    }).groupby("key", sort=True).sum()
    out = per.reset_index()
    out["units"] = out["units"].astype("int64")
    out["gross_profit"] = out["net_sales"] - out["cogs"]
    out["gross_margin"] = (out["gross_profit"] / out["net_sales"].where(out["net_sales"] > 0))
    return out.sort_values(["gross_profit", "key"], ascending=[False, True], ignore_index=True)


_CRITERIA = ("growth", "margin", "competition")
_DEFAULT_WEIGHTS = {"growth": 0.4, "margin": 0.4, "competition": 0.2}


def selection_scores(candidates: pd.DataFrame, *, weights: Mapping[str, float] | None = None,
                     method: str = "rank", key: str = "key", growth_col: str = "growth",
                     margin_col: str = "margin",
                     competition_col: str = "competition") -> pd.DataFrame:
    """Score candidate products on growth, margin and competition, and rank them.

    Parameters
    ----------
    candidates : DataFrame
        One row per candidate: ``key`` plus the criteria columns with a non-zero weight.
        Higher growth and margin are better; higher competition is worse.
    weights : mapping, default {"growth": 0.4, "margin": 0.4, "competition": 0.2}
        Weight per criterion (keys among growth, margin, competition; a missing key weighs
        0). Weights must be >= 0 and not all 0; they are divided by their sum, so
        {"growth": 2, "margin": 2, "competition": 1} equals the default.
    method : {"rank", "minmax"}, default "rank"
        How each criterion becomes a 0-1 score: ``"rank"`` is the percentile rank
        (``Series.rank(pct=True)``: share of candidates at or below this one, robust to
        outliers); ``"minmax"`` is (x - min) / (max - min), 0.5 for all when x is constant.
    key, growth_col, margin_col, competition_col : str
        Column names in ``candidates``.

    Returns
    -------
    DataFrame
        One row per candidate, sorted by rank then key: ``key`` (str); ``growth``,
        ``margin``, ``competition`` (float, the inputs; NaN for an absent zero-weight
        criterion); ``growth_score``, ``margin_score``, ``competition_score`` (float in
        [0, 1], competition reversed so that 1 is the least crowded; NaN when absent);
        ``score`` (float in [0, 1]): the weighted sum; ``rank`` (int, 1 = best, ties share
        the best rank).

    Notes
    -----
    score = sum_i w_i x score_i with sum_i w_i = 1. Selection scorecard (选品评分): rank
    candidates by demand growth, profit room and how crowded the market is before listing.

    Examples
    --------
    >>> import pandas as pd
    >>> cands = pd.DataFrame({"key": ["juicer", "kettle", "fan"], "growth": [0.8, 0.1, 0.3],
    ...     "margin": [0.35, 0.45, 0.30], "competition": [0.6, 0.9, 0.2]})
    >>> selection_scores(cands)[["key", "growth_score", "competition_score", "score", "rank"]]
          key  growth_score  competition_score  score  rank
    0  juicer      1.000000           0.666667    0.8     1
    1     fan      0.666667           1.000000    0.6     2
    2  kettle      0.333333           0.333333    0.6     2
    """
    func = "selection_scores"
    require_choice(method, ("rank", "minmax"), name="method", func=func)
    weights = dict(_DEFAULT_WEIGHTS if weights is None else weights)
    for name, w in weights.items():
        require_choice(name, _CRITERIA, name="weights key", func=func)
        if isinstance(w, bool) or not isinstance(w, (int, float, np.number)) or \
                not np.isfinite(w) or w < 0:
            raise ValueError(f"{func}: weights[{name!r}]={w!r} must be a number >= 0.")
    total = float(sum(weights.values()))
    if total <= 0:
        raise ValueError(f"{func}: weights {weights} are all 0; give at least one a positive "
                         f"weight, e.g. {_DEFAULT_WEIGHTS}.")
    weights = {c: float(weights.get(c, 0.0)) / total for c in _CRITERIA}
    cols = {"growth": growth_col, "margin": margin_col, "competition": competition_col}
    used = [c for c in _CRITERIA if weights[c] > 0]
    require_columns(candidates, [key] + [cols[c] for c in used], table="candidates", func=func)
    require_non_empty(candidates, table="candidates", func=func)
    _numeric(candidates, [cols[c] for c in used], table="candidates", func=func)

    out = pd.DataFrame({"key": candidates[key].astype("str").to_numpy()})
    score = np.zeros(len(out))
    for c in _CRITERIA:
        present = cols[c] in candidates.columns
        x = candidates[cols[c]].astype(float).to_numpy() if present else np.full(len(out), np.nan)
        out[c] = x
        if not present:
            out[f"{c}_score"] = np.nan
            continue
        s = pd.Series(-x if c == "competition" else x)
        if method == "rank":
            sc = s.rank(pct=True, method="average")
        else:
            span = s.max() - s.min()
            sc = (s - s.min()) / span if span > 0 else pd.Series(0.5, index=s.index)
        out[f"{c}_score"] = sc.to_numpy(dtype=float)
        if weights[c] > 0:
            score = score + weights[c] * out[f"{c}_score"].to_numpy()
    out["score"] = score
    # round before ranking so that equal scores reached by different sums tie
    out["rank"] = out["score"].round(12).rank(ascending=False, method="min").astype("int64")
    order = ["key", *_CRITERIA, *(f"{c}_score" for c in _CRITERIA), "score", "rank"]
    return out[order].sort_values(["rank", "key"], ignore_index=True)


# --- inventory: ABC, turnover, days of inventory, sell-through --------------------------------

def abc_classes(sales: pd.DataFrame, *, cutoffs: tuple[float, float] = (0.8, 0.95),
                value_col: str = "net_amount", key: str = "sku") -> pd.DataFrame:
    """ABC classes: the few keys that make most of the revenue (A), the middle (B), the tail (C).

    Parameters
    ----------
    sales : DataFrame
        Order lines (e.g. :func:`sold_items` output, paid orders only) or any frame with
        ``key`` and ``value_col``; rows are summed per key.
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
    _numeric(sales, [value_col], table="sales", func=func, min_value=0)
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
    _numeric(inventory, ["on_hand"], table="inventory", func=func, min_value=0)
    return _datetimes(inventory, "date", table="inventory", func=func)


def _period(start, end, func: str) -> tuple[pd.Timestamp, pd.Timestamp]:
    start, end = _day(start, name="start", func=func), _day(end, name="end", func=func)
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
        Orders that took stock off the shelf (see :func:`sold_items`).

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
    statuses = _check_statuses(statuses, func)
    start, end = _period(start, end, func)
    prod = _product_table(products, ["unit_cost"] + (["category"] if by == "category" else []),
                          func)
    _numeric(prod, ["unit_cost"], table="products", func=func, min_value=0)
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
        Orders that count as a sale (see :func:`sold_items`).

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
    statuses = _check_statuses(statuses, func)
    start, end = _period(start, end, func)
    inv, units, _ = _stock_and_sales(inventory, order_items, orders, start, end, statuses, func)
    stocked = inv.loc[inv["on_hand"] > 0, "sku"].unique()
    if len(stocked) == 0:
        return float("nan")
    sold = units[units > 0].index
    return float(np.isin(stocked, sold).sum() / len(stocked))


# --- replenishment: safety stock, reorder point, stock-out risk -------------------------------

def _non_negative(name: str, value, func: str) -> np.ndarray:
    arr = np.asarray(value, dtype=float) if not isinstance(value, str) else None
    if arr is None or not np.all(np.isfinite(arr)) or np.any(arr < 0):
        raise ValueError(f"{func}: {name}={value!r} must be a finite number >= 0 "
                         f"(or an array of them).")
    return arr


def _service_z(service_level, func: str) -> np.ndarray:
    sl = np.asarray(service_level, dtype=float) if not isinstance(service_level, str) else None
    if sl is None or not np.all((sl >= 0.5) & (sl < 1)):
        raise ValueError(f"{func}: service_level={service_level!r} must be in [0.5, 1), e.g. "
                         f"0.95 for a 95 % chance of not running out during a lead time.")
    return stats.norm.ppf(sl)


def _scalar_or_array(x: np.ndarray):
    return float(x) if np.ndim(x) == 0 else x


def safety_stock(daily_demand_mean, daily_demand_std, lead_time_days, service_level=0.95,
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

    Examples
    --------
    >>> round(safety_stock(10, 4, 9, service_level=0.95), 2)
    19.74
    """
    func = "safety_stock"
    d = _non_negative("daily_demand_mean", daily_demand_mean, func)
    sd = _non_negative("daily_demand_std", daily_demand_std, func)
    lt = _non_negative("lead_time_days", lead_time_days, func)
    slt = _non_negative("lead_time_std", lead_time_std, func)
    z = _service_z(service_level, func)
    return _scalar_or_array(z * np.sqrt(lt * sd**2 + d**2 * slt**2))


def reorder_point(daily_demand_mean, daily_demand_std, lead_time_days, service_level=0.95,
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

    Examples
    --------
    >>> round(reorder_point(10, 4, 9, service_level=0.95), 2)
    109.74
    """
    func = "reorder_point"
    d = _non_negative("daily_demand_mean", daily_demand_mean, func)
    lt = _non_negative("lead_time_days", lead_time_days, func)
    ss = safety_stock(daily_demand_mean, daily_demand_std, lead_time_days, service_level,
                      lead_time_std)
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
    ss = np.atleast_1d(safety_stock(daily_demand_mean, daily_demand_std, lead_time_days, sl,
                                    lead_time_std))
    rop = np.atleast_1d(reorder_point(daily_demand_mean, daily_demand_std, lead_time_days, sl,
                                      lead_time_std))
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


def _window(window_days, func: str) -> int:
    if isinstance(window_days, bool) or not isinstance(window_days, (int, np.integer)) \
            or window_days < 2:
        raise ValueError(f"{func}: window_days={window_days!r} must be a whole number of "
                         f"days >= 2, e.g. 28 or 90.")
    return int(window_days)


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
        Orders that count as demand (see :func:`sold_items`).

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
    statuses = _check_statuses(statuses, func)
    as_of = _day(as_of, name="as_of", func=func)
    window_days = _window(window_days, func)
    _service_z(service_level, func)
    _non_negative("lead_time_std", lead_time_std, func)
    _check_orders(order_items, orders, ["order_id", "sku", "quantity"], func)
    prod = _product_table(products, ["lead_time_days"], func)
    _numeric(prod, ["lead_time_days"], table="products", func=func, min_value=0)
    require_non_empty(prod, table="products", func=func)
    mean, std = _daily_demand(order_items, orders, as_of, window_days, statuses, func)
    skus = pd.Index(prod.index.astype("str")).sort_values()
    lt = prod["lead_time_days"].set_axis(prod.index.astype("str")).reindex(skus).astype(float)
    d = mean.reindex(skus, fill_value=0.0).to_numpy(dtype=float)
    sd = std.reindex(skus, fill_value=0.0).to_numpy(dtype=float)
    ss = np.atleast_1d(safety_stock(d, sd, lt.to_numpy(), service_level, lead_time_std))
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
        Orders that count as demand (see :func:`sold_items`).

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
    statuses = _check_statuses(statuses, func)
    as_of = _day(as_of, name="as_of", func=func)
    until = _day(until, name="until", func=func)
    if until <= as_of:
        raise ValueError(f"{func}: until={until.date()} must be after as_of={as_of.date()}.")
    window_days = _window(window_days, func)
    _non_negative("uplift", uplift, func)
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


# --- slow movers and bundles -------------------------------------------------------------------

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
        Order lines with ``order_col`` and ``sku_col``. Pass :func:`sold_items` output to
        use paid orders only.
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
    if isinstance(min_orders, bool) or not isinstance(min_orders, (int, np.integer)) \
            or min_orders < 1:
        raise ValueError(f"{func}: min_orders={min_orders!r} must be a whole number >= 1.")
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
        return pd.DataFrame({c: pd.Series(dtype=t) for c, t in zip(
            cols, ["str", "str", "int64", "int64", "int64", "float", "float", "float"])})
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


# --- planning helpers behind the selection and inventory lessons -------------------------------
# season_lift: a key's season against the rest of the year; selection_candidates: the inputs of
# selection_scores; reassortment_calendar: when to order seasonal SKUs; next_campaign and
# pre_campaign_windows: the big campaigns to stock up for.

__all__ += ["next_campaign", "pre_campaign_windows", "reassortment_calendar", "season_lift",
            "selection_candidates"]

_YEAR = re.compile(r"(19|20)\d{2}")


def _months(months, func: str) -> tuple[int, ...]:
    """Calendar months (1-12) as a sorted tuple; ValueError for anything else."""
    try:
        out = tuple(sorted({int(m) for m in ([months] if np.isscalar(months) else months)}))
    except (TypeError, ValueError) as exc:
        raise ValueError(f"{func}: months={months!r} must be calendar months 1-12, "
                         f"e.g. [6, 7, 8] for summer.") from exc
    if not out or not all(1 <= m <= 12 for m in out) or len(out) == 12:
        raise ValueError(f"{func}: months={months!r} must be some (not all) calendar months "
                         f"1-12, e.g. [6, 7, 8] for summer.")
    return out


# --- selection --------------------------------------------------------------------------------

def season_lift(sales: pd.DataFrame, *, months: Iterable[int] = (6, 7, 8),
                key_col: str = "key", period_col: str = "period",
                value_col: str = "units") -> pd.DataFrame:
    """How much more each key sells (or is searched) in a season than in the other months.

    Parameters
    ----------
    sales : DataFrame
        Long monthly table, one row per period x key, e.g.
        :func:`playbook_lib.products.category_trends` (``period``, ``key``, ``units``) or
        :func:`playbook_lib.products.search_trends` (``month``, ``keyword``, ``impressions``).
    months : iterable of int, default (6, 7, 8)
        Calendar months of the season (June-August: summer).
    key_col, period_col, value_col : str
        Column names.

    Returns
    -------
    DataFrame
        One row per key, the strongest season first (NaN lifts last, then by key):
        ``key`` (str), ``season_mean`` and ``rest_mean`` (float: mean value per period row in
        the season and in the other months), ``lift`` (float: season_mean / rest_mean, as
        pandas divides: ``inf`` for a key that sells only in the season, NaN for one with
        neither or with no row on one side), ``season_periods`` and ``rest_periods`` (int:
        rows behind each mean).

    Raises
    ------
    DataValidationError
        When the table holds no period in the season, or none outside it.

    Notes
    -----
    lift = mean(value in season months) / mean(value in the other months). Whatever months
    the data cover count: with one summer in range, that summer is compared with the rest.
    A lift of 3 means a season month sells three times an ordinary month: stock up before it.

    Examples
    --------
    >>> import pandas as pd
    >>> sales = pd.DataFrame({"period": pd.to_datetime(["2026-05-01", "2026-06-01",
    ...     "2026-07-01", "2026-05-01", "2026-06-01", "2026-07-01"]),
    ...     "key": ["juicer"] * 3 + ["kettle"] * 3, "units": [10, 40, 50, 20, 20, 22]})
    >>> season_lift(sales, months=[6, 7])
          key  season_mean  rest_mean  lift  season_periods  rest_periods
    0  juicer         45.0       10.0  4.50               2             1
    1  kettle         21.0       20.0  1.05               2             1
    """
    func = "season_lift"
    months = _months(months, func)
    require_columns(sales, [key_col, period_col, value_col], table="sales", func=func)
    require_non_empty(sales, table="sales", func=func)
    period = pd.to_datetime(sales[period_col])
    in_season = period.dt.month.isin(months)
    if not in_season.any() or in_season.all():
        have = sorted(period.dt.month.unique().tolist())
        raise DataValidationError(
            f"{func}: the table's periods fall in months {format_examples(have, 12)} only; "
            f"comparing the season {list(months)} with the rest needs periods both in and "
            f"outside it. Use a longer history or other season months.")
    df = pd.DataFrame({"key": sales[key_col].astype("str").to_numpy(),
                       "value": sales[value_col].astype(float).to_numpy(),
                       "season": in_season.to_numpy()})
    agg = df.groupby(["key", "season"])["value"].agg(["mean", "size"]).unstack("season")
    season_mean = agg[("mean", True)] if ("mean", True) in agg.columns else np.nan
    rest_mean = agg[("mean", False)] if ("mean", False) in agg.columns else np.nan
    out = pd.DataFrame({
        "key": agg.index.astype("str"),
        "season_mean": np.asarray(season_mean, dtype=float),
        "rest_mean": np.asarray(rest_mean, dtype=float),
        "season_periods": agg[("size", True)].fillna(0).astype("int64").to_numpy(),
        "rest_periods": agg[("size", False)].fillna(0).astype("int64").to_numpy(),
    })
    with np.errstate(divide="ignore", invalid="ignore"):
        out.insert(3, "lift", out["season_mean"] / out["rest_mean"])
    order = np.lexsort((out["key"].to_numpy(), -out["lift"].fillna(-np.inf).to_numpy()))
    return out.iloc[order].reset_index(drop=True)


def _growth_windows(first: pd.Period, month: pd.Period, months: int):
    """(recent, base, basis): the ``months`` months to ``month`` and the window to compare."""
    recent = pd.period_range(month - months + 1, month, freq="M")
    year_ago = recent - 12
    if year_ago[0] >= first:
        return recent, year_ago, "same months a year earlier"
    before = recent - months
    if before[0] >= first:
        return recent, before, "the months just before"
    return recent, None, None


def selection_candidates(orders: pd.DataFrame, order_items: pd.DataFrame,
                         products_table: pd.DataFrame, *, month, months: int = 3) -> pd.DataFrame:
    """Growth, margin and a competition proxy per SKU: the input of a selection scorecard.

    Parameters
    ----------
    orders, order_items, products_table : DataFrame
        The shop's tables (``products_table`` needs ``sku``, ``name``, ``category``,
        ``unit_cost``). Paid orders count (see :func:`playbook_lib.products.sold_items`).
    month : str or Period
        Last month of the scorecard (``"YYYY-MM"``).
    months : int, default 3
        Months of sales behind the growth figure.

    Returns
    -------
    DataFrame
        One row per SKU with sales in both growth windows, sorted by key:

        - ``key``, ``name``, ``category`` (str).
        - ``gmv`` (float): paid net amount in the ``months`` months to ``month``.
        - ``growth`` (float): gmv / gmv of the base window - 1. The base window is the same
          months a year earlier when the data reach back that far, else the months just
          before (``growth_basis`` says which).
        - ``margin`` (float): gross margin (毛利率) over the 12 months to ``month`` (or all
          earlier data when shorter), net of returns, as
          :func:`playbook_lib.products.sku_margin`.
        - ``competition`` (float): share of the list value of the units sold that was given
          away as discounts over the same 12 months: a price-pressure proxy (higher = more
          crowded). Replace it with a market figure (number of sellers, the platform tool's
          competition index) when you have one.
        - ``growth_basis`` (str).

    Raises
    ------
    DataValidationError
        When the data do not reach back far enough for any base window.

    Notes
    -----
    growth = GMV(recent) / GMV(base) - 1; margin = (net sales - COGS) / net sales;
    competition = sum(line discount) / sum(quantity x unit price).

    Examples
    --------
    >>> import pandas as pd
    >>> orders = pd.DataFrame({"order_id": ["o1", "o2", "o3", "o4"], "status": "paid",
    ...     "order_ts": pd.to_datetime(["2026-01-05", "2026-01-06", "2026-02-03",
    ...                                 "2026-02-04"])})
    >>> items = pd.DataFrame({"order_id": ["o1", "o2", "o3", "o4"],
    ...     "sku": ["s1", "s2", "s1", "s2"], "quantity": 1, "unit_price": 100.0,
    ...     "discount_amount": [0.0, 10.0, 0.0, 10.0], "net_amount": [50.0, 90.0, 100.0, 90.0]})
    >>> prods = pd.DataFrame({"sku": ["s1", "s2"], "name": ["Juicer", "Kettle"],
    ...     "category": "appliances", "unit_cost": [20.0, 45.0]})
    >>> selection_candidates(orders, items, prods, month="2026-02", months=1)[
    ...     ["key", "growth", "margin", "competition"]]
      key  growth    margin  competition
    0  s1     1.0  0.733333          0.0
    1  s2     0.0  0.500000          0.1
    """
    func = "selection_candidates"
    if isinstance(months, bool) or not isinstance(months, (int, np.integer)) or months < 1:
        raise ValueError(f"{func}: months={months!r} must be a whole number >= 1, e.g. 3.")
    require_columns(order_items, ["order_id", "sku", "quantity", "unit_price",
                                  "discount_amount", "net_amount"],
                    table="order_items", func=func)
    require_columns(products_table, ["sku", "name", "category", "unit_cost"],
                    table="products", func=func)
    try:
        end = pd.Period(str(month)[:7], freq="M")
    except (TypeError, ValueError) as exc:
        raise ValueError(f"{func}: month={month!r} is not a month; write it as YYYY-MM.") \
            from exc
    lines = sold_items(order_items, orders)
    require_non_empty(lines, table="order_items", func=func, what="lines of paid orders")
    period = lines["order_ts"].dt.to_period("M")
    recent, base, basis = _growth_windows(period.min(), end, int(months))
    if base is None:
        raise DataValidationError(
            f"{func}: the paid orders start in {period.min()}; growth over {months} month(s) "
            f"to {end} needs {months} earlier month(s) to compare with. Pick a later month "
            f"or fewer months.")
    gmv = lines.groupby(["sku", period])["net_amount"].sum()
    gmv_recent = gmv[gmv.index.get_level_values(1).isin(recent)].groupby(level=0).sum()
    gmv_base = gmv[gmv.index.get_level_values(1).isin(base)].groupby(level=0).sum()
    growth = gmv_recent.reindex(gmv_base.index, fill_value=0.0) / gmv_base.where(gmv_base > 0)

    year = (period > end - 12) & (period <= end)
    last_year = lines.loc[year.to_numpy()]
    margin = sku_margin(products_table, last_year).set_index("key")["gross_margin"]
    listed = (last_year["quantity"] * last_year["unit_price"]).groupby(last_year["sku"]).sum()
    disc = last_year.groupby("sku")["discount_amount"].sum()
    competition = disc / listed.where(listed > 0)

    prod = products_table.set_index("sku")
    keys = growth.dropna().index.intersection(margin.dropna().index) \
        .intersection(competition.dropna().index).sort_values()
    return pd.DataFrame({
        "key": keys.astype("str"),
        "name": prod["name"].reindex(keys).astype("str").to_numpy(),
        "category": prod["category"].reindex(keys).astype("str").to_numpy(),
        "gmv": gmv_recent.reindex(keys, fill_value=0.0).astype(float).to_numpy(),
        "growth": (growth.reindex(keys) - 1.0).astype(float).to_numpy(),
        "margin": margin.reindex(keys).astype(float).to_numpy(),
        "competition": competition.reindex(keys).astype(float).to_numpy(),
        "growth_basis": basis,
    })


def reassortment_calendar(sales: pd.DataFrame, products_table: pd.DataFrame, *, as_of,
                          skus: Iterable[str] | None = None, lead_in_days: int = 30,
                          key_col: str = "key", period_col: str = "period",
                          value_col: str = "units") -> pd.DataFrame:
    """When each SKU peaks in the year, and when to order so the stock is there in time.

    Parameters
    ----------
    sales : DataFrame
        Long monthly table per SKU (``category_trends(..., level="sku")``).
    products_table : DataFrame
        Needs ``sku``, ``name``, ``lead_time_days``.
    as_of : date-like
        Today: the plan is for the next peak after this date.
    skus : iterable of str, optional
        SKUs to plan (default: every SKU in ``sales``).
    lead_in_days : int, default 30
        Days before the peak month to start pushing the product (listing, ads, home page).
    key_col, period_col, value_col : str
        Column names in ``sales``.

    Returns
    -------
    DataFrame
        One row per SKU, in order of ``order_by``: ``sku``, ``name`` (str), ``peak_month``
        (int 1-12: the calendar month with the highest mean sales), ``peak_index`` (float:
        that month's mean / the mean of all months; 2 = twice an average month),
        ``lead_time_days`` (int), ``push_from`` (Timestamp: ``lead_in_days`` before the next
        peak month starts), ``order_by`` (Timestamp: push_from - lead time; in the past
        means order now).

    Notes
    -----
    Seasonal re-assortment (季节性调整商品结构): summer sunscreen and Spring Festival gift
    boxes sell in a few weeks; the stock must be ordered a lead time before the push starts.

    Examples
    --------
    >>> import pandas as pd
    >>> sales = pd.DataFrame({"period": pd.date_range("2025-01-01", periods=12, freq="MS"),
    ...     "key": "s1", "units": [1, 1, 1, 1, 2, 6, 8, 4, 1, 1, 1, 1]})
    >>> prods = pd.DataFrame({"sku": ["s1"], "name": ["Sunscreen"], "lead_time_days": [20]})
    >>> cal = reassortment_calendar(sales, prods, as_of="2026-01-15")
    >>> cal[["sku", "peak_month", "peak_index", "push_from", "order_by"]]
      sku  peak_month  peak_index  push_from   order_by
    0  s1           7    3.428571 2026-06-01 2026-05-12
    """
    func = "reassortment_calendar"
    as_of = _day(as_of, name="as_of", func=func)
    require_columns(sales, [key_col, period_col, value_col], table="sales", func=func)
    require_columns(products_table, ["sku", "name", "lead_time_days"], table="products",
                    func=func)
    df = pd.DataFrame({"key": sales[key_col].astype("str").to_numpy(),
                       "month": pd.to_datetime(sales[period_col]).dt.month.to_numpy(),
                       "value": sales[value_col].astype(float).to_numpy()})
    if skus is not None:
        skus = [skus] if isinstance(skus, str) else [str(s) for s in skus]
        df = df[df["key"].isin(skus)]
    require_non_empty(df, table="sales", func=func)
    profile = df.groupby(["key", "month"])["value"].mean().unstack("month")
    overall = profile.mean(axis=1)
    peak_month = profile.idxmax(axis=1).astype("int64")
    peak_mean = profile.max(axis=1)
    with np.errstate(divide="ignore", invalid="ignore"):
        peak_index = np.where(overall > 0, peak_mean / overall, np.nan)
    prod = products_table.set_index(products_table["sku"].astype("str"))
    lead = prod["lead_time_days"].reindex(profile.index).fillna(0).astype("int64")
    starts = []
    for m in peak_month:
        start = pd.Timestamp(year=as_of.year, month=int(m), day=1)
        if start <= as_of:
            start = pd.Timestamp(year=as_of.year + 1, month=int(m), day=1)
        starts.append(start)
    push_from = pd.DatetimeIndex(starts) - pd.Timedelta(days=int(lead_in_days))
    order_by = push_from - pd.to_timedelta(lead.to_numpy(), unit="D")
    out = pd.DataFrame({
        "sku": profile.index.astype("str"),
        "name": prod["name"].reindex(profile.index).astype("str").to_numpy(),
        "peak_month": peak_month.to_numpy(),
        "peak_index": peak_index.astype(float),
        "lead_time_days": lead.to_numpy(),
        "push_from": push_from.astype("datetime64[ns]"),
        "order_by": order_by.astype("datetime64[ns]"),
    })
    return out.sort_values(["order_by", "sku"], ignore_index=True)


# --- campaigns -------------------------------------------------------------------------------

_CAMPAIGN_COLS = ["campaign_id", "name", "kind", "warmup_start", "peak_start", "peak_end"]


def _campaigns(campaigns: pd.DataFrame, kinds, func: str) -> pd.DataFrame:
    require_columns(campaigns, _CAMPAIGN_COLS, table="campaigns", func=func)
    kinds = [kinds] if isinstance(kinds, str) else list(kinds)
    c = campaigns.loc[campaigns["kind"].isin(kinds), _CAMPAIGN_COLS].copy()
    if c.empty:
        have = sorted(campaigns["kind"].dropna().astype(str).unique())
        raise DataValidationError(
            f"{func}: table 'campaigns' has no campaign of kind {format_examples(kinds)}; "
            f"it has kinds {format_examples(have)}. Pick one of those.")
    for col in ("warmup_start", "peak_start", "peak_end"):
        c[col] = pd.to_datetime(c[col]).dt.normalize()
    return c


def _shift_years(text: str, years: int) -> str:
    return _YEAR.sub(lambda m: str(int(m.group(0)) + years), str(text))


def next_campaign(campaigns: pd.DataFrame, *, as_of, kinds: Iterable[str] = ("festival",)) \
        -> pd.Series:
    """The next big campaign whose peak is still ahead on ``as_of``.

    Parameters
    ----------
    campaigns : DataFrame
        The campaigns table: ``campaign_id``, ``name``, ``kind``, ``warmup_start``,
        ``peak_start``, ``peak_end``.
    as_of : date-like
        Today (end of day).
    kinds : iterable of str, default ("festival",)
        Campaign kinds that count as big (Double 11, 618, the Spring Festival fair).

    Returns
    -------
    Series
        ``campaign_id``, ``name``, ``kind`` (str), ``warmup_start``, ``peak_start``,
        ``peak_end`` (Timestamp), ``days_to_peak`` (int: from ``as_of`` to ``peak_start``),
        ``projected`` (bool) and ``based_on`` (str: the campaign it was projected from, or
        its own id).

    Notes
    -----
    Big campaigns come back on the same dates every year. When the table lists no campaign
    still ahead, each listed one is moved forward by whole years until its peak is after
    ``as_of`` (its id and name get the new year), and the earliest is returned; of several
    editions landing on the same date, the latest one is the base.

    Examples
    --------
    >>> import pandas as pd
    >>> camps = pd.DataFrame({"campaign_id": ["D11-2025", "618-2026"],
    ...     "name": ["Double 11 2025", "618 Mid-Year Sale 2026"], "kind": "festival",
    ...     "warmup_start": pd.to_datetime(["2025-10-24", "2026-05-28"]),
    ...     "peak_start": pd.to_datetime(["2025-11-11", "2026-06-16"]),
    ...     "peak_end": pd.to_datetime(["2025-11-11", "2026-06-18"])})
    >>> nxt = next_campaign(camps, as_of="2026-09-30")
    >>> nxt["campaign_id"], nxt["name"], str(nxt["peak_start"].date()), nxt["projected"]
    ('D11-2026', 'Double 11 2026', '2026-11-11', True)
    """
    func = "next_campaign"
    as_of = _day(as_of, name="as_of", func=func)
    c = _campaigns(campaigns, kinds, func)
    ahead = c[c["peak_end"] > as_of]
    if len(ahead):
        row = ahead.sort_values(["peak_start", "campaign_id"]).iloc[0]
        out = row.copy()
        out["projected"], out["based_on"] = False, str(row["campaign_id"])
    else:
        rows = []
        for _, r in c.iterrows():
            k = 1
            while r["peak_end"] + pd.DateOffset(years=k) <= as_of:
                k += 1
            shifted = r.copy()
            for col in ("warmup_start", "peak_start", "peak_end"):
                shifted[col] = r[col] + pd.DateOffset(years=k)
            shifted["campaign_id"] = _shift_years(r["campaign_id"], k)
            shifted["name"] = _shift_years(r["name"], k)
            shifted["based_on"] = str(r["campaign_id"])
            shifted["_years"] = k
            rows.append(shifted)
        # the same date projected from several years: take the latest edition (fewest years)
        proj = pd.DataFrame(rows).sort_values(["peak_start", "_years", "campaign_id"])
        out = proj.iloc[0].drop("_years").copy()
        out["projected"] = True
    out["days_to_peak"] = int((out["peak_start"] - as_of).days)
    return out[["campaign_id", "name", "kind", "warmup_start", "peak_start", "peak_end",
                "days_to_peak", "projected", "based_on"]]


def pre_campaign_windows(campaigns: pd.DataFrame, *, days: int = 30,
                         kinds: Iterable[str] = ("festival",), first=None, last=None) \
        -> pd.DataFrame:
    """The ``days`` days before each big campaign's warm-up: when its stock is built.

    Parameters
    ----------
    campaigns : DataFrame
        The campaigns table (see :func:`next_campaign`).
    days : int, default 30
        Length of the window, ending the day before the warm-up (预热期) starts.
    kinds : iterable of str, default ("festival",)
        Campaign kinds that count as big.
    first, last : date-like, optional
        The data's first and last day: windows that end before ``first`` or after ``last``
        are dropped, and a start before ``first`` is moved to ``first``.

    Returns
    -------
    DataFrame
        One row per campaign, in date order: ``campaign_id``, ``name`` (str),
        ``warmup_start``, ``start``, ``end`` (Timestamp; both ends included).

    Examples
    --------
    >>> import pandas as pd
    >>> camps = pd.DataFrame({"campaign_id": ["D11-2025"], "name": ["Double 11 2025"],
    ...     "kind": "festival", "warmup_start": pd.to_datetime(["2025-10-24"]),
    ...     "peak_start": pd.to_datetime(["2025-11-11"]),
    ...     "peak_end": pd.to_datetime(["2025-11-11"])})
    >>> pre_campaign_windows(camps, days=30)[["campaign_id", "start", "end"]]
      campaign_id      start        end
    0    D11-2025 2025-09-24 2025-10-23
    """
    func = "pre_campaign_windows"
    if isinstance(days, bool) or not isinstance(days, (int, np.integer)) or days < 1:
        raise ValueError(f"{func}: days={days!r} must be a whole number >= 1, e.g. 30.")
    c = _campaigns(campaigns, kinds, func)
    out = pd.DataFrame({
        "campaign_id": c["campaign_id"].astype("str").to_numpy(),
        "name": c["name"].astype("str").to_numpy(),
        "warmup_start": c["warmup_start"].to_numpy(),
        "start": (c["warmup_start"] - pd.Timedelta(days=int(days))).to_numpy(),
        "end": (c["warmup_start"] - pd.Timedelta(days=1)).to_numpy(),
    })
    if first is not None:
        first = _day(first, name="first", func=func)
        out = out[out["end"] >= first]
        out["start"] = out["start"].clip(lower=first)
    if last is not None:
        out = out[out["end"] <= _day(last, name="last", func=func)]
    for col in ("warmup_start", "start", "end"):
        out[col] = out[col].astype("datetime64[ns]")
    return out.sort_values(["start", "campaign_id"], ignore_index=True)
