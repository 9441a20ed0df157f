"""Product planning helpers behind the ``02_products`` lessons (selection and inventory).

Small, plain functions the two lessons and their exercise sets share, kept apart from
:mod:`playbook_lib.products` (owned by another author) until they are reviewed for it:

* :func:`season_lift`: how much a key sells (or is searched) in a season against the rest of
  the year, from any long monthly table (the juicer's summer);
* :func:`selection_candidates`: growth, margin and a competition proxy per SKU, the input of
  :func:`playbook_lib.products.selection_scores`;
* :func:`reassortment_calendar`: when each seasonal SKU peaks and when to order for it;
* :func:`next_campaign`: the next big campaign after a date, projected a year ahead from the
  campaigns table when the table ends before it;
* :func:`pre_campaign_windows`: the days before each big campaign's warm-up, to look for
  stock-outs.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

import numpy as np
import pandas as pd

from . import products
from .errors import DataValidationError, format_examples, require_columns, require_non_empty

__all__ = [
    "next_campaign",
    "pre_campaign_windows",
    "reassortment_calendar",
    "season_lift",
    "selection_candidates",
]

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


def _day(value, name: str, func: str) -> pd.Timestamp:
    try:
        ts = pd.Timestamp(value)
    except (TypeError, ValueError) as exc:
        raise ValueError(f"{func}: {name}={value!r} is not a date; pass e.g. '2026-06-30'.") \
            from exc
    if pd.isna(ts):
        raise ValueError(f"{func}: {name} is missing; pass a date such as '2026-06-30'.")
    return ts.normalize()


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
    lines = products.sold_items(order_items, orders)
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
    margin = products.sku_margin(products_table, last_year).set_index("key")["gross_margin"]
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
    as_of = _day(as_of, "as_of", func)
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
    as_of = _day(as_of, "as_of", func)
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
        first = _day(first, "first", func)
        out = out[out["end"] >= first]
        out["start"] = out["start"].clip(lower=first)
    if last is not None:
        out = out[out["end"] <= _day(last, "last", func)]
    for col in ("warmup_start", "start", "end"):
        out[col] = out[col].astype("datetime64[ns]")
    return out.sort_values(["start", "campaign_id"], ignore_index=True)
