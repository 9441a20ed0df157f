"""Exercises of ``notebooks/02_products/02_inventory.ipynb``: stock that sells, stock that sits.

By the time the exercises run the notebook has: ``ds``; ``stock`` (``ds.inventory``);
``as_of`` (Timestamp, the last day studied), ``start`` and ``n_days`` (the analysis window,
``WINDOW_DAYS`` long unless the data start later), ``week_start`` (first day of the
sell-through period); the parameters ``WINDOW_DAYS``, ``SELL_THROUGH_DAYS``, ``SLOW_DAYS``,
``SERVICE_LEVEL``, ``PRE_CAMPAIGN_DAYS``, ``BIG_CAMPAIGN_KIND``; ``shipped_lines`` (lines of
paid and refunded orders: what left the warehouse), ``window_lines`` (lines of paid orders in
the window); and, as each section introduces them, ``days_of_inventory`` (per SKU, from
:func:`playbook_lib.products.inventory_kpis`),
``class_a`` (class A SKUs), ``top_sku`` (the first of them), ``windows`` (the days before
each big campaign's warm-up). Expected answers come from :mod:`playbook_lib.products` and
:mod:`playbook_lib.campaigns`.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np
import pandas as pd
from scipy import stats

from .. import campaigns, products
from .._orders import SHIPPED_STATUSES
from . import ExerciseSet, ItemsAnswer, Mistake, Question, ScalarAnswer, SeriesAnswer

DEFAULTS = {"window_days": 90, "sell_through_days": 7, "slow_days": 180,
            "service_level": 0.95, "pre_campaign_days": 30, "big_kind": "festival"}


def _resolve(ds, as_of=None, window_days=None, sell_through_days=None, slow_days=None,
             service_level=None, pre_campaign_days=None, big_kind=None) -> dict:
    """Empty parameters take the lesson's defaults (as_of: the last day of the inventory)."""
    if as_of is None or str(as_of).strip() == "":
        day = pd.Timestamp(ds.inventory["date"].max()).normalize()
    else:
        day = pd.Timestamp(as_of).normalize()
    given = {"window_days": window_days, "sell_through_days": sell_through_days,
             "slow_days": slow_days, "service_level": service_level,
             "pre_campaign_days": pre_campaign_days, "big_kind": big_kind}
    out = {k: (DEFAULTS[k] if v is None else v) for k, v in given.items()}
    out["window_days"] = int(out["window_days"])
    out["sell_through_days"] = int(out["sell_through_days"])
    out["pre_campaign_days"] = int(out["pre_campaign_days"])
    out["slow_days"] = float(out["slow_days"])
    out["service_level"] = float(out["service_level"])
    out["big_kind"] = str(out["big_kind"])
    return {"as_of": str(day.date()), **out}


def _period_start(ds, as_of, days: int) -> pd.Timestamp:
    """:func:`playbook_lib.products.inventory_period_start` on ``ds.inventory``."""
    return products.inventory_period_start(ds.inventory, as_of=as_of, days=days)


# --- the notebook's tables (cached per dataset: the tests call them many times) ----------------

@lru_cache(maxsize=4)
def _shipped(ds) -> pd.DataFrame:
    return products.sold_items(ds.order_items, ds.orders, statuses=SHIPPED_STATUSES)


@lru_cache(maxsize=4)
def _paid_lines(ds) -> pd.DataFrame:
    return products.sold_items(ds.order_items, ds.orders)


def _window(ds, as_of, window_days):
    start = _period_start(ds, as_of, window_days)
    end = pd.Timestamp(as_of)
    return start, end, (end - start).days + 1


@lru_cache(maxsize=8)
def _kpis(ds, as_of, window_days) -> pd.DataFrame:
    start, end, _ = _window(ds, as_of, window_days)
    return products.inventory_kpis(ds.inventory, ds.order_items, ds.orders, ds.products,
                                   start=start, end=end)


@lru_cache(maxsize=8)
def _window_lines(ds, as_of, window_days) -> pd.DataFrame:
    start, end, _ = _window(ds, as_of, window_days)
    p = _paid_lines(ds)
    return p[(p["order_ts"] >= start) & (p["order_ts"] < end + pd.Timedelta(days=1))]


@lru_cache(maxsize=8)
def _abc(ds, as_of, window_days) -> pd.DataFrame:
    return products.abc_classes(_window_lines(ds, as_of, window_days))


def _class_a(ds, as_of, window_days) -> list[str]:
    abc = _abc(ds, as_of, window_days)
    return abc.loc[abc["abc_class"] == "A", "key"].tolist()


def _windows(ds, as_of, pre_campaign_days, big_kind) -> pd.DataFrame:
    return campaigns.pre_campaign_windows(ds.campaigns, days=pre_campaign_days, kinds=[big_kind],
                                          first=ds.inventory["date"].min(), last=as_of)


# --- q1: days of inventory per category ------------------------------------------------------

def _days_of_inventory(ds, as_of, window_days, **_):
    """Per SKU (the library's table; the notebook shows it after exercise 1)."""
    k = _kpis(ds, as_of, window_days).set_index("key")
    return k["days_of_inventory"].rename_axis("sku")


@lru_cache(maxsize=8)
def _category_kpis(ds, as_of, window_days) -> pd.DataFrame:
    start, end, _ = _window(ds, as_of, window_days)
    k = products.inventory_kpis(ds.inventory, ds.order_items, ds.orders, ds.products,
                                start=start, end=end, by="category")
    return k.set_index("key").rename_axis("category")


def _category_days(ds, as_of, window_days, **_):
    return _category_kpis(ds, as_of, window_days)["days_of_inventory"]


def _doi_average_stock(ds, as_of, window_days, **_):
    k = _category_kpis(ds, as_of, window_days)
    _, _, n_days = _window(ds, as_of, window_days)
    return k["avg_inventory_units"] / (k["units_sold"] / n_days)


def _doi_per_window(ds, as_of, window_days, **_):
    k = _category_kpis(ds, as_of, window_days)
    return k["ending_on_hand"] / k["units_sold"]


def _doi_mean_of_skus(ds, as_of, window_days, **_):
    doi = _days_of_inventory(ds, as_of, window_days)
    cat = ds.products.set_index("sku")["category"]
    return doi.groupby(doi.index.map(cat)).mean().rename_axis("category")


Q1 = Question(
    "q1",
    prompt="Days of inventory (库存周转天数) per category on `as_of`: the category's units on "
           "hand at the end of `as_of`, divided by its average units sold per day over the "
           "window (`start` to `as_of`, `n_days` days; shipped orders count, refunded ones "
           "too). Store a Series indexed by category in `category_days`.",
    expected=_category_days,
    compare=SeriesAnswer(rel=1e-9, abs=1e-9),
    hints=[
        ("Two parts per category: the stock on the last day (`stock` rows whose `date` is "
        "`as_of`) and the units sold in the window (`shipped_lines` whose `order_ts` falls "
        "between `start` and the end of `as_of`). Both need the `category` from "
        "`ds.products` (merge on `sku`)."),
        ("Add up per category first, then divide: units / `n_days` is the daily rate, and "
        "stock / daily rate is the days the stock lasts."),
        ("`units = recent.groupby('category')['quantity'].sum()`, `on_hand = "
        "today.groupby('category')['on_hand'].sum()`, then `on_hand / (units / n_days)`."),
    ],
    answer_var="category_days",
    mistakes=[
        Mistake("average_stock", _doi_average_stock,
                hint="You divided the average stock over the window. Days of inventory asks "
                     "how long today's stock lasts: use the units on hand on `as_of`."),
        Mistake("per_window", _doi_per_window,
                hint="You divided the stock by all the units of the window, which says how "
                     "many windows the stock lasts. Turn the units into a daily rate first "
                     "(divide by `n_days`)."),
        Mistake("mean_of_skus", _doi_mean_of_skus,
                hint="You averaged the SKUs' days of inventory, so one slow mover with a "
                     "year of stock drags its whole category up. Add up stock and units per "
                     "category first, then divide once."),
    ],
)


# --- q2: sell-through rate -------------------------------------------------------------------

def _sell_through(ds, as_of, sell_through_days, **_):
    return products.sell_through_rate(ds.inventory, ds.order_items, ds.orders,
                                      start=_period_start(ds, as_of, sell_through_days),
                                      end=as_of)


def _sell_through_window(ds, as_of, window_days, **_):
    return products.sell_through_rate(ds.inventory, ds.order_items, ds.orders,
                                      start=_period_start(ds, as_of, window_days), end=as_of)


Q2 = Question(
    "q2",
    prompt="Sell-through rate (动销率) of the last `SELL_THROUGH_DAYS` days (`week_start` to "
           "`as_of`): of the SKUs with stock (`on_hand` > 0) on at least one day of the "
           "period, the share that sold at least one unit in it. Give a fraction between 0 "
           "and 1 in `sell_through`.",
    expected=_sell_through,
    compare=ScalarAnswer(rel=1e-9, abs=1e-9),
    hints=[
        ("Two lists of SKUs: those stocked in the period (from `stock`) and those sold in it "
        "(from `shipped_lines`). The rate is the share of the first list found in the second."),
        ("`stocked = period_stock.loc[period_stock['on_hand'] > 0, 'sku'].unique()`; "
        "`sold = period_sales['sku'].unique()`."),
        "`pd.Series(stocked).isin(sold).mean()` is the share of stocked SKUs that sold.",
    ],
    answer_var="sell_through",
    mistakes=[
        Mistake("whole_window", _sell_through_window,
                hint="You used the whole analysis window. Over a long window almost every "
                     "SKU sells once; the question asks for the last `SELL_THROUGH_DAYS` days "
                     "(from `week_start`), where a stuck SKU shows."),
        Mistake("unsold_share", lambda ds, **p: 1 - _sell_through(ds, **p),
                hint="That is the share of stocked SKUs that did NOT sell. Count the ones "
                     "that sold."),
        Mistake("percent", lambda ds, **p: 100 * _sell_through(ds, **p), code="percent"),
    ],
)


# --- q3: class A -----------------------------------------------------------------------------

def _class_a_answer(ds, as_of, window_days, **_):
    return _class_a(ds, as_of, window_days)


def _class_a_crossing_dropped(ds, as_of, window_days, **_):
    abc = _abc(ds, as_of, window_days)
    return abc.loc[abc["cumulative_share"] <= 0.8, "key"].tolist()


def _class_a_by_units(ds, as_of, window_days, **_):
    abc = products.abc_classes(_window_lines(ds, as_of, window_days), value_col="quantity")
    return abc.loc[abc["abc_class"] == "A", "key"].tolist()


def _top_fifth(ds, as_of, window_days, **_):
    abc = _abc(ds, as_of, window_days)
    return abc["key"].head(int(np.ceil(0.2 * len(abc)))).tolist()


Q3 = Question(
    "q3",
    prompt="ABC classes (ABC分类): which SKUs are class A in the window? Rank the SKUs of "
           "`window_lines` by revenue (`net_amount`), largest first; a SKU is class A when "
           "the SKUs ranked above it hold less than 80 % of the revenue (so the SKU that "
           "crosses 80 % is still A). Store the list in `a_skus`.",
    expected=_class_a_answer,
    compare=ItemsAnswer(),
    hints=[
        ("Revenue per SKU, sorted largest first, then each SKU's share of the total and the "
        "running total of the shares (`cumsum`)."),
        "The share held by the SKUs above one is its running total minus its own share.",
        "`before = share.cumsum() - share`; `a_skus = before[before < 0.8].index.tolist()`.",
    ],
    answer_var="a_skus",
    mistakes=[
        Mistake("crossing_dropped", _class_a_crossing_dropped,
                hint="Nearly: you left out the SKU that takes the running total past 80 %. "
                     "It belongs to A (the SKUs above it hold less than 80 %): compare the "
                     "share held before each SKU, `cumsum() - share`, with 0.8."),
        Mistake("by_units", _class_a_by_units,
                hint="You ranked by units (`quantity`). ABC here ranks by revenue: a cheap "
                     "SKU sold often is not worth as much as an expensive one."),
        Mistake("top_fifth", _top_fifth,
                hint="You took the top 20 % of SKUs. The 80/20 rule is a rule of thumb; "
                     "class A is cut where the cumulative revenue share reaches 80 %, "
                     "however many SKUs that takes."),
    ],
)


# --- q4: slow movers -------------------------------------------------------------------------

def _slow(ds, as_of, window_days, slow_days, **_):
    sm = products.slow_movers(_kpis(ds, as_of, window_days), days_threshold=slow_days)
    return sm["key"].tolist()


def _below_threshold(ds, as_of, window_days, slow_days, **_):
    doi = _days_of_inventory(ds, as_of, window_days)
    return doi[doi <= slow_days].index.tolist()


def _most_stock(ds, as_of, window_days, slow_days, **_):
    k = _kpis(ds, as_of, window_days)
    n = max(len(_slow(ds, as_of, window_days, slow_days)), 1)
    return k.nlargest(n, "ending_on_hand")["key"].tolist()


def _class_c(ds, as_of, window_days, **_):
    abc = _abc(ds, as_of, window_days)
    return abc.loc[abc["abc_class"] == "C", "key"].tolist()


Q4 = Question(
    "q4",
    prompt="Slow movers (滞销品): which SKUs hold more than `SLOW_DAYS` days of inventory? "
           "Use `days_of_inventory`, the library's figure per SKU shown above (the same "
           "sum as exercise 1, one SKU at a time). Store the list in `slow_skus`.",
    expected=_slow,
    compare=ItemsAnswer(),
    hints=[
        "A boolean mask on the Series keeps the SKUs above the threshold.",
        ("`days_of_inventory > SLOW_DAYS` is True for the slow ones (a SKU with stock and no "
        "sale has infinite days: it is slow too)."),
        "`slow_skus = days_of_inventory[days_of_inventory > SLOW_DAYS].index.tolist()`.",
    ],
    answer_var="slow_skus",
    mistakes=[
        Mistake("below_threshold", _below_threshold,
                hint="Those are the SKUs whose stock lasts `SLOW_DAYS` days or less: the "
                     "healthy ones. Keep the SKUs above the threshold (`>`)."),
        Mistake("most_stock", _most_stock,
                hint="Those SKUs hold the most units, but a big stock is fine when it sells "
                     "fast. Slow means the stock lasts long: filter on days of inventory."),
        Mistake("class_c", _class_c,
                hint="Those are the class C SKUs: small revenue. Slow is about time, not "
                     "size: a C SKU with a few days of stock is fine, and a B SKU with a year "
                     "of stock is not. Filter on days of inventory."),
    ],
)


# --- q5: reorder point of the top seller -----------------------------------------------------

def _top(ds, as_of, window_days) -> str:
    return _class_a(ds, as_of, window_days)[0]


def _daily_units(ds, as_of, window_days) -> pd.Series:
    start, end, _ = _window(ds, as_of, window_days)
    s = _shipped(ds)
    s = s[s["sku"] == _top(ds, as_of, window_days)]
    s = s[(s["order_ts"] >= start) & (s["order_ts"] < end + pd.Timedelta(days=1))]
    return s.groupby(s["order_ts"].dt.normalize())["quantity"].sum().astype(float)


def _lead_time(ds, as_of, window_days) -> float:
    prod = ds.products.set_index("sku")
    return float(prod.loc[_top(ds, as_of, window_days), "lead_time_days"])


def _rop(ds, as_of, window_days, service_level, **_):
    _, _, n_days = _window(ds, as_of, window_days)
    table = products.reorder_table(ds.order_items, ds.orders, ds.products, as_of=as_of,
                                   window_days=n_days, service_level=service_level)
    return float(table.set_index("sku").loc[_top(ds, as_of, window_days), "reorder_point"])


def _rop_sale_days(ds, as_of, window_days, service_level, **_):
    d = _daily_units(ds, as_of, window_days)
    lt = _lead_time(ds, as_of, window_days)
    return float(d.mean() * lt + stats.norm.ppf(service_level) * d.std() * np.sqrt(lt))


def _rop_no_safety(ds, as_of, window_days, **_):
    _, _, n_days = _window(ds, as_of, window_days)
    d = _daily_units(ds, as_of, window_days).sum() / n_days
    return float(d * _lead_time(ds, as_of, window_days))


def _rop_lead_time_not_sqrt(ds, as_of, window_days, service_level, **_):
    start, end, _n_days = _window(ds, as_of, window_days)
    d = _daily_units(ds, as_of, window_days).reindex(pd.date_range(start, end), fill_value=0)
    lt = _lead_time(ds, as_of, window_days)
    return float(d.mean() * lt + stats.norm.ppf(service_level) * d.std() * lt)


Q5 = Question(
    "q5",
    prompt="Reorder point (补货点) of `top_sku`, the first SKU of class A: its mean daily units "
           "d and their standard deviation s over the `n_days` days of the window (a day "
           "without a sale counts as 0), its lead time L (`lead_time_days` in `ds.products`) "
           "and z for `SERVICE_LEVEL`: reorder point = d x L + z x s x sqrt(L). Store it in "
           "`reorder_at`.",
    expected=_rop,
    compare=ScalarAnswer(rel=1e-6, abs=1e-6),
    hints=[
        ("Daily units of `top_sku` from `shipped_lines` in the window: group by "
        "`order_ts.dt.normalize()` and add up `quantity`."),
        ("Days without a sale are missing from the groupby; put them back as 0 with "
        "`.reindex(pd.date_range(start, as_of), fill_value=0)` before `.mean()` and `.std()`. "
        "`stats.norm.ppf(SERVICE_LEVEL)` is z."),
        "`reorder_at = daily.mean() * lead_time + z * daily.std() * np.sqrt(lead_time)`.",
    ],
    answer_var="reorder_at",
    mistakes=[
        Mistake("sale_days_only", _rop_sale_days,
                hint="Your daily figures skip the days without a sale, so the mean is too "
                     "high and the spread too low. Reindex over every day of the window with "
                     "fill_value=0 first."),
        Mistake("no_safety_stock", _rop_no_safety,
                hint="That is only the expected demand during the lead time (d x L). Add the "
                     "safety stock (安全库存), z x s x sqrt(L), or you run out in half the "
                     "replenishment cycles."),
        Mistake("lead_time_not_sqrt", _rop_lead_time_not_sqrt,
                hint="Daily ups and downs partly cancel over the lead time, so the spread "
                     "grows with the square root of L, not with L: use np.sqrt(lead_time) "
                     "in the safety stock."),
    ],
)


# --- q6: the best-seller that ran out before a big campaign ----------------------------------

def _stockouts(ds, as_of, window_days, pre_campaign_days, big_kind, *, skus=None,
               windows=None) -> pd.Series:
    """Zero-stock days per SKU inside the windows (library: inventory_kpis per window)."""
    windows = _windows(ds, as_of, pre_campaign_days, big_kind) if windows is None else windows
    parts = []
    for w in windows.itertuples():
        k = products.inventory_kpis(ds.inventory, ds.order_items, ds.orders, ds.products,
                                    start=w.start, end=w.end)
        parts.append(k.set_index("key")["stockout_days"])
    if not parts:
        return pd.Series(dtype="int64", index=pd.Index([], dtype="str", name="sku"),
                         name="stockout_days")
    days = pd.concat(parts).groupby(level=0).sum()
    if skus is not None:
        days = days[days.index.isin(skus)]
    return days[days > 0].astype("int64").rename_axis("sku").rename("stockout_days")


def _best_seller_stockouts(ds, as_of, window_days, pre_campaign_days, big_kind, **_):
    return _stockouts(ds, as_of, window_days, pre_campaign_days, big_kind,
                      skus=_class_a(ds, as_of, window_days))


def _all_sku_stockouts(ds, as_of, window_days, pre_campaign_days, big_kind, **_):
    return _stockouts(ds, as_of, window_days, pre_campaign_days, big_kind)


def _during_campaign(ds, as_of, window_days, pre_campaign_days, big_kind, **_):
    camps = ds.campaigns[ds.campaigns["kind"] == big_kind]
    w = pd.DataFrame({"start": pd.to_datetime(camps["warmup_start"]),
                      "end": pd.to_datetime(camps["peak_end"])})
    first, last = ds.inventory["date"].min(), pd.Timestamp(as_of)
    w = w[(w["start"] >= first) & (w["end"] <= last)]
    return _stockouts(ds, as_of, window_days, pre_campaign_days, big_kind,
                      skus=_class_a(ds, as_of, window_days), windows=w)


Q6 = Question(
    "q6",
    prompt="Which best-sellers ran out of stock just before a big campaign? For the class A "
           "SKUs (`class_a`), count the days with `on_hand` == 0 inside the periods of "
           "`windows` (the `PRE_CAMPAIGN_DAYS` days before each big campaign's warm-up). "
           "Store a Series indexed by SKU with the SKUs that had at least one such day in "
           "`stockout_days`.",
    expected=_best_seller_stockouts,
    compare=SeriesAnswer(rel=0, abs=0.5),
    hints=[
        ("Keep the `stock` rows whose `date` falls inside one of the windows (loop over "
        "`windows.itertuples()` and `pd.concat` the pieces), then the class A SKUs at 0."),
        ("`w.start` and `w.end` are both included. `stock['sku'].isin(class_a)` keeps the "
        "best-sellers."),
        ("`empty = before[(before['on_hand'] == 0) & before['sku'].isin(class_a)]`; then "
        "`empty.groupby('sku').size()` counts the days."),
    ],
    answer_var="stockout_days",
    mistakes=[
        Mistake("all_skus", _all_sku_stockouts,
                hint="Your list includes SKUs outside class A; the slow movers sit at zero "
                     "for weeks and nobody misses them. Keep the best-sellers: "
                     "`sku.isin(class_a)`."),
        Mistake("during_campaign", _during_campaign,
                hint="You looked at the campaigns themselves (warm-up to peak). The question "
                     "asks for the days before the warm-up, when the stock for the campaign "
                     "must be built: use `windows`."),
    ],
)


EXERCISES = ExerciseSet(
    notebook="02_products/02_inventory",
    title="Products 2: inventory, sell-through and replenishment",
    params=("as_of", "window_days", "sell_through_days", "slow_days", "service_level",
            "pre_campaign_days", "big_kind"),
    resolve=_resolve,
    questions=[Q1, Q2, Q3, Q4, Q5, Q6],
)
