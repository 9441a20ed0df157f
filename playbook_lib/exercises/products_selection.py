"""Exercises of ``notebooks/02_products/01_selection.ipynb``: what to list, and when.

By the time the exercises run the notebook has: ``ds``; ``month`` ("YYYY-MM"); the
parameters ``SEASON_MONTHS``, ``N_KEYWORDS``, ``GROWTH_MONTHS``, ``WEIGHTS``; ``paid_lines``
(lines of paid orders with ``order_ts`` and the product's ``category``); ``sku_monthly``
(units and GMV per SKU and month, :func:`playbook_lib.products.category_trends` with
``level="sku"``); ``search`` (:func:`playbook_lib.products.search_trends`); ``candidates``
(:func:`playbook_lib.products.selection_candidates`). Expected answers come from
:mod:`playbook_lib.products`.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np
import pandas as pd

from .. import products
from .._orders import latest_full_month, parse_month
from ..errors import DataValidationError
from . import ExactAnswer, ExerciseSet, ItemsAnswer, Mistake, Question, SeriesAnswer

DEFAULT_SEASON = (6, 7, 8)
DEFAULT_WEIGHTS = {"growth": 0.4, "margin": 0.4, "competition": 0.2}


def _resolve(ds, month=None, season_months=None, n_keywords=None, growth_months=None,
             weights=None) -> dict:
    """Empty parameters take the lesson's defaults (month: the latest full month)."""
    if month is None or str(month).strip() == "":
        month = latest_full_month(ds)
    else:
        month = str(parse_month(month, func="exercises.setup"))
    season = DEFAULT_SEASON if season_months is None else season_months
    season = tuple(int(m) for m in ([season] if np.isscalar(season) else season))
    return {"month": month, "season_months": season,
            "n_keywords": 3 if n_keywords is None else int(n_keywords),
            "growth_months": 3 if growth_months is None else int(growth_months),
            "weights": dict(DEFAULT_WEIGHTS if weights is None else weights)}


# --- the notebook's tables (cached per dataset: the tests call them many times) ----------------

@lru_cache(maxsize=4)
def _paid_lines(ds) -> pd.DataFrame:
    lines = products.sold_items(ds.order_items, ds.orders)
    return lines.merge(ds.products[["sku", "category"]], on="sku", how="left")


@lru_cache(maxsize=4)
def _category_monthly(ds) -> pd.DataFrame:
    return products.category_trends(ds.orders, ds.order_items, ds.products)


@lru_cache(maxsize=4)
def _sku_monthly(ds) -> pd.DataFrame:
    return products.category_trends(ds.orders, ds.order_items, ds.products, level="sku")


@lru_cache(maxsize=4)
def _search(ds) -> pd.DataFrame:
    return products.search_trends(ds.search_terms)


@lru_cache(maxsize=8)
def _candidates(ds, month: str, growth_months: int) -> pd.DataFrame:
    return products.selection_candidates(ds.orders, ds.order_items, ds.products, month=month,
                                         months=growth_months)


# --- q1: year-on-year growth per category ----------------------------------------------------

def _month_row(ds, month: str, column: str, freq_lag: int = 12) -> pd.Series:
    t = _category_monthly(ds)
    start = pd.Period(month, freq="M")
    have = set(t["period"])
    if (start - freq_lag).start_time not in have or start.start_time not in have:
        raise DataValidationError(
            f"the data need both {start} and {start - freq_lag} for this growth figure; "
            f"pick a month with a year of history before it.")
    row = t[t["period"] == start.start_time].set_index("key")
    return row[column].rename_axis("category")


def _yoy(ds, month, **_):
    return _month_row(ds, month, "yoy_growth").rename("yoy_growth")


def _mom(ds, month, **_):
    return _month_row(ds, month, "mom_growth").rename("yoy_growth")


def _yoy_ratio(ds, month, **_):
    return _yoy(ds, month) + 1.0


def _yoy_units(ds, month, **_):
    t = _category_monthly(ds)
    p = pd.Period(month, freq="M")
    units = t.set_index(["period", "key"])["units"].astype(float)
    now = units.xs(p.start_time, level="period")
    before = units.xs((p - 12).start_time, level="period")
    return (now / before - 1.0).rename_axis("category")


Q1 = Question(
    "q1",
    prompt="Year-on-year GMV growth (同比) per category in the lesson month: GMV of the month "
           "over GMV of the same month a year earlier, minus 1. Store a Series indexed by "
           "category in `yoy_growth`.",
    expected=_yoy,
    compare=SeriesAnswer(rel=1e-9, abs=1e-9),
    hints=[
        ("Add up `net_amount` of `paid_lines` per category and calendar month, then compare "
        "the lesson month with the month twelve months before."),
        ("`paid_lines['order_ts'].dt.to_period('M')` gives each line's month; `pd.Period(month, "
        "freq='M') - 12` is the same month a year earlier. `.unstack()` turns the months into "
        "columns (or rows) you can pick with `.loc`."),
        ("`gmv = paid_lines.groupby([paid_lines['order_ts'].dt.to_period('M'), 'category'])"
        "['net_amount'].sum().unstack(fill_value=0)`, then `gmv.loc[m] / gmv.loc[m - 12] - 1`."),
    ],
    answer_var="yoy_growth",
    mistakes=[
        Mistake("month_on_month", _mom,
                hint="You compared the month with the month just before it: that is "
                     "month-on-month growth (环比), which carries the season. Year-on-year "
                     "compares with the same month one year earlier (m - 12)."),
        Mistake("ratio_not_growth", _yoy_ratio,
                hint="Those are ratios (this year / last year). Growth is the ratio minus 1: "
                     "0.25 means 25 % more than a year ago."),
        Mistake("units_not_gmv", _yoy_units,
                hint="You compared units sold. The question asks for GMV growth: add up "
                     "`net_amount`, not `quantity`."),
        Mistake("percent", lambda ds, month, **_: 100 * _yoy(ds, month), code="percent"),
    ],
)


# --- q2: the SKU with the strongest season ---------------------------------------------------

def _sku_lift(ds, season_months) -> pd.DataFrame:
    return products.season_lift(_sku_monthly(ds), months=season_months)


def _top_season_sku(ds, season_months, **_):
    return str(_sku_lift(ds, season_months)["key"].iloc[0])


def _most_sold_in_season(ds, season_months, **_):
    lift = _sku_lift(ds, season_months)
    return str(lift.loc[lift["season_mean"].idxmax(), "key"])


def _weakest_season(ds, season_months, **_):
    lift = _sku_lift(ds, season_months).dropna(subset=["lift"])
    return str(lift["key"].iloc[-1])


Q2 = Question(
    "q2",
    prompt="Which SKU has the strongest season? For each SKU in `sku_monthly`, divide its "
           "mean monthly units in the season months (`SEASON_MONTHS`) by its mean monthly "
           "units in the other months. Store the SKU with the largest lift in "
           "`top_season_sku`.",
    expected=_top_season_sku,
    compare=ExactAnswer(ignore_case=True),
    hints=[
        ("Split `sku_monthly` into season rows and other rows with a True/False mask on the "
        "month of `period`."),
        ("`in_season = sku_monthly['period'].dt.month.isin(SEASON_MONTHS)`; then the mean of "
        "`units` per `key` on each side, divided, gives the lift per SKU."),
        ("`lift = season_mean / rest_mean` (two Series indexed by key); `lift.idxmax()` is the "
        "SKU with the largest value."),
    ],
    answer_var="top_season_sku",
    mistakes=[
        Mistake("most_sold_in_season", _most_sold_in_season,
                hint="That SKU sells the most units in the season, but it sells well all "
                     "year. The question asks for the biggest lift: season units relative to "
                     "the SKU's own ordinary months (divide by its mean in the other months)."),
        Mistake("weakest_season", _weakest_season,
                hint="That is the SKU with the smallest lift: it sells least in the season "
                     "compared with the rest of the year. Take the largest (idxmax)."),
    ],
)


# --- q3: the keywords with the strongest season surge ----------------------------------------

def _kw_lift(ds, season_months) -> pd.DataFrame:
    return products.season_lift(_search(ds), months=season_months, key_col="keyword",
                                period_col="month", value_col="impressions")


def _top_keywords(ds, season_months, n_keywords, **_):
    return _kw_lift(ds, season_months)["key"].head(n_keywords).tolist()


def _most_searched(ds, season_months, n_keywords, **_):
    lift = _kw_lift(ds, season_months)
    return lift.nlargest(n_keywords, "season_mean")["key"].tolist()


def _last_month_jump(ds, season_months, n_keywords, **_):
    s = _search(ds)
    last = s[s["month"] == s["month"].max()]
    return last.nlargest(n_keywords, "mom_growth")["keyword"].tolist()


Q3 = Question(
    "q3",
    prompt="Which search keywords (搜索词) surge most in the season? For each keyword in "
           "`search`, divide its mean monthly impressions in the season months by its mean "
           "in the other months, and list the `N_KEYWORDS` keywords with the largest surge "
           "in `top_keywords`.",
    expected=_top_keywords,
    compare=ItemsAnswer(),
    hints=[
        ("The same steps as exercise 2, on `search`: the month column is `month`, the key is "
        "`keyword` and the value is `impressions`."),
        ("Build the surge per keyword (season mean / other-months mean), then keep the largest "
        "`N_KEYWORDS` values."),
        "`surge.nlargest(N_KEYWORDS).index.tolist()` lists the keywords.",
    ],
    answer_var="top_keywords",
    mistakes=[
        Mistake("most_searched", _most_searched,
                hint="Those keywords are searched the most in the season, but they are big "
                     "all year. A surge compares the season with the keyword's own other "
                     "months: divide by its mean outside the season."),
        Mistake("last_month_jump", _last_month_jump,
                hint="Those keywords jumped most last month (month-on-month growth). The "
                     "question compares the season months with the rest of the year."),
    ],
)


# --- q4: gross margin per supplier -----------------------------------------------------------

def _supplier_margin(ds, **_):
    m = products.sku_margin(ds.products, ds.order_items, orders=ds.orders, by="supplier")
    return m.set_index("key")["gross_margin"].rename_axis("supplier_id")


def _supplier_lines(ds) -> pd.DataFrame:
    return _paid_lines(ds).merge(ds.products[["sku", "supplier_id", "unit_cost"]], on="sku")


def _margin_ignoring_returns(ds, **_):
    lines = _supplier_lines(ds)
    g = lines.assign(cogs=lines["quantity"] * lines["unit_cost"]).groupby("supplier_id")
    sales, cogs = g["net_amount"].sum(), g["cogs"].sum()
    return (sales - cogs) / sales


def _markup(ds, **_):
    m = products.sku_margin(ds.products, ds.order_items, orders=ds.orders, by="supplier")
    m = m.set_index("key")
    return (m["gross_profit"] / m["cogs"]).rename_axis("supplier_id")


def _mean_of_line_margins(ds, **_):
    lines = _supplier_lines(ds)
    kept = lines["quantity"] - lines["returned_qty"]
    sales = lines["net_amount"] * kept / lines["quantity"]
    cogs = kept * lines["unit_cost"]
    margin = ((sales - cogs) / sales).where(sales > 0)
    return margin.groupby(lines["supplier_id"]).mean()


Q4 = Question(
    "q4",
    prompt="Gross margin (毛利率) per supplier (供应商), net of returns: (net sales - cost of "
           "goods) / net sales over all paid lines, where a line's net sales are its "
           "`net_amount` times the share of units kept (not returned) and its cost is the "
           "units kept times the product's `unit_cost`. Store a Series indexed by "
           "`supplier_id` in `supplier_margin`.",
    expected=_supplier_margin,
    compare=SeriesAnswer(rel=1e-9, abs=1e-9),
    hints=[
        ("Bring each line's `supplier_id` and `unit_cost` in from `ds.products` (merge on "
        "`sku`), then work out per line the units kept, the net sales kept and their cost."),
        ("Units kept = `quantity - returned_qty`; net sales kept = `net_amount * kept / "
        "quantity`; cost = `kept * unit_cost`. Add both up per supplier before dividing."),
        ("`by_sup = lines.groupby('supplier_id')[['net_sales', 'cogs']].sum()`, then "
        "`(by_sup['net_sales'] - by_sup['cogs']) / by_sup['net_sales']`."),
    ],
    answer_var="supplier_margin",
    mistakes=[
        Mistake("ignoring_returns", _margin_ignoring_returns,
                hint="You counted returned units as sold. Take them out: keep `quantity - "
                     "returned_qty` units, and only that share of `net_amount`."),
        Mistake("markup", _markup,
                hint="You divided the profit by the cost of goods: that is the markup (加价率). "
                     "Gross margin divides the profit by the net sales."),
        Mistake("mean_of_line_margins", _mean_of_line_margins,
                hint="You averaged the margins of the lines, so a 10-yuan line weighs as much "
                     "as a 1,000-yuan one. Add up sales and costs per supplier first, then "
                     "divide once."),
    ],
)


# --- q5: the selection scorecard by hand -----------------------------------------------------

def _scores(ds, month, growth_months, weights, **_):
    s = products.selection_scores(_candidates(ds, month, growth_months), weights=weights)
    return s.set_index("key")["score"]


def _weighted(ds, month, growth_months, weights, comp) -> pd.Series:
    c = _candidates(ds, month, growth_months).set_index("key")
    w = pd.Series(weights, dtype=float).reindex(["growth", "margin", "competition"],
                                                fill_value=0.0)
    w = w / w.sum()
    return (w["growth"] * c["growth"].rank(pct=True) + w["margin"] * c["margin"].rank(pct=True)
            + w["competition"] * comp(c["competition"]))


def _not_reversed(ds, month, growth_months, weights, **_):
    return _weighted(ds, month, growth_months, weights, lambda x: x.rank(pct=True))


def _one_minus_rank(ds, month, growth_months, weights, **_):
    return _weighted(ds, month, growth_months, weights, lambda x: 1 - x.rank(pct=True))


def _raw_values(ds, month, growth_months, weights, **_):
    c = _candidates(ds, month, growth_months).set_index("key")
    w = pd.Series(weights, dtype=float).reindex(["growth", "margin", "competition"],
                                                fill_value=0.0)
    w = w / w.sum()
    return w["growth"] * c["growth"] + w["margin"] * c["margin"] - w["competition"] \
        * c["competition"]


Q5 = Question(
    "q5",
    prompt="Score the candidates by hand (选品评分): turn each criterion of `candidates` into "
           "its percentile rank (`rank(pct=True)`; for competition rank the other way round, "
           "so the least crowded scores highest), then take the weighted sum with `WEIGHTS` "
           "divided by their total. Store a Series indexed by `key` in `score`.",
    expected=_scores,
    compare=SeriesAnswer(rel=1e-9, abs=1e-9),
    hints=[
        "Index `candidates` by `key` first, so that the result is indexed by SKU.",
        ("`c['growth'].rank(pct=True)` is the share of candidates at or below each one. For "
        "competition, higher is worse: `c['competition'].rank(pct=True, ascending=False)`."),
        ("`w = {k: v / sum(WEIGHTS.values()) for k, v in WEIGHTS.items()}`; then `score = "
        "w['growth'] * g + w['margin'] * m + w['competition'] * k` with the three ranks "
        "(use `w.get('competition', 0)` if you drop a criterion)."),
    ],
    answer_var="score",
    mistakes=[
        Mistake("competition_not_reversed", _not_reversed,
                hint="Your score rewards competition: the most crowded SKUs score highest on "
                     "it. Rank competition the other way round: rank(pct=True, "
                     "ascending=False)."),
        Mistake("one_minus_rank", _one_minus_rank,
                hint="Nearly: 1 - rank(pct=True) runs from 0 to 1 - 1/n, while the other "
                     "criteria run from 1/n to 1. Use rank(pct=True, ascending=False) so all "
                     "three are on the same scale."),
        Mistake("raw_values", _raw_values,
                hint="You weighted the raw values. Growth, margin and competition are on very "
                     "different scales, so the biggest one would decide alone: turn each into "
                     "a percentile rank (rank(pct=True)) first."),
    ],
)


EXERCISES = ExerciseSet(
    notebook="02_products/01_selection",
    title="Products 1: selection, trends and seasons",
    params=("month", "season_months", "n_keywords", "growth_months", "weights"),
    resolve=_resolve,
    questions=[Q1, Q2, Q3, Q4, Q5],
)
