"""Selection: what to list and when (trends, seasons, margin, a scorecard, a re-order calendar).

The functions behind ``notebooks/02_products/01_selection``: category and search trends,
seasonality and its strength, SKU margin, selection scores and their inputs, how much a season
lifts a key, and when to order seasonal SKUs so that the stock is there before the peak.
Money counts paid orders (see :func:`~playbook_lib.products.sold_items`).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import numpy as np
import pandas as pd

from .._checks import datetimes, positive_int, require_numeric, to_day
from .._orders import PAID_STATUSES, check_statuses, parse_month
from ..errors import (
    DataValidationError,
    format_examples,
    require_choice,
    require_columns,
    require_non_empty,
)
from ._lines import (
    _check_known_skus,
    _check_orders,
    _ns,
    _product_table,
    _sold_lines,
    sold_items,
)

__all__ = [
    "category_trends",
    "search_trends",
    "seasonality",
    "seasonal_strength",
    "sku_margin",
    "selection_scores",
    "season_lift",
    "selection_candidates",
    "reassortment_calendar",
]

_FREQ_LAGS = {"W": 52, "M": 12, "Q": 4}  # periods in a year, for year-on-year growth


def _growth(current: pd.Series, previous: pd.Series) -> pd.Series:
    """Growth rate: current / previous - 1, NaN where previous is missing or zero."""
    prev = previous.where(previous > 0)
    return current / prev - 1.0


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
        Order statuses that count (see :func:`~playbook_lib.products.sold_items`).

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
    statuses = check_statuses(statuses, func)
    _check_orders(order_items, orders, ["order_id", "sku", "quantity", "net_amount"], func)
    require_numeric(order_items, ["net_amount"], table="order_items", func=func)
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
    require_numeric(search_terms, counts, table="search_terms", func=func, min_value=0)
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
    month = datetimes(df, month_col, table="search_terms", func=func).dt.to_period("M")
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
    positive_int(period, name="period", func=func, minimum=2,
                 hint="12 for monthly data, 52 for weekly data")
    require_numeric(sales, [value_col], table="sales", func=func)
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
    p = datetimes(df.assign(**{period_col: p}), period_col, table="sales", func=func)
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
    require_numeric(components, ["trend", "seasonal", "resid"], table="components", func=func)
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
    statuses = check_statuses(statuses, func)
    item_cols = ["order_id", "sku", "quantity", "net_amount"]
    has_returns = "returned_qty" in order_items.columns
    if orders is not None:
        _check_orders(order_items, orders, item_cols, func)
    else:
        require_columns(order_items, item_cols, table="order_items", func=func)
        require_numeric(order_items, ["quantity"], table="order_items", func=func, min_value=0)
    require_numeric(order_items, ["net_amount"], table="order_items", func=func)
    if has_returns:
        require_numeric(order_items, ["returned_qty"], table="order_items", func=func, min_value=0)
    attr = choices[by]
    prod = _product_table(products, ["unit_cost"] + ([attr] if attr else []), func)
    require_numeric(prod, ["unit_cost"], table="products", func=func, min_value=0)

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
    require_numeric(candidates, [cols[c] for c in used], table="candidates", func=func)

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
    positive_int(months, name="months", func=func, hint="e.g. 3")
    require_columns(order_items, ["order_id", "sku", "quantity", "unit_price",
                                  "discount_amount", "net_amount"],
                    table="order_items", func=func)
    require_columns(products_table, ["sku", "name", "category", "unit_cost"],
                    table="products", func=func)
    end = parse_month(month, func=func)
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
    as_of = to_day(as_of, name="as_of", func=func)
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

