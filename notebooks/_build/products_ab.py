"""Build notebooks/02_products/01_selection.ipynb and 02_inventory.ipynb (without outputs).

Run from the repository root: ``.venv/bin/python notebooks/_build/products_ab.py``.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))  # _nbtools.py sits beside this script
from _nbtools import Notebook

OUT_DIR = Path(__file__).resolve().parents[1] / "02_products"


# =============================================================================================
# 01_selection
# =============================================================================================

def selection() -> Notebook:
    b = Notebook()
    b.md("""
# 02 · Products 1: choosing what to sell, and when

**The responsibility:** product selection (选品). The operator decides which products the shop
lists and pushes, from three kinds of evidence: demand (which categories grow, what people search
for, what sells in which season), profit (the gross margin each product and each supplier leaves)
and competition. Then the range follows the calendar: summer goods before summer, gift boxes
before the Spring Festival.

**After this lesson you can**

- measure category growth month-on-month (环比) and year-on-year (同比), and say why they differ;
- split a sales series into trend and season (STL) and tell how seasonal a category is;
- find the product with the strongest season and the search keywords (搜索词) that surge with it;
- compute gross margin (毛利率) per SKU and per supplier (供应商), net of returns;
- rank candidates with a selection scorecard (选品评分) whose weights you choose;
- plan a seasonal re-assortment: what to order for summer and for the Spring Festival, and by when.

About 35 minutes. Tables used: `orders`, `order_items`, `products`, `search_terms`.
""")
    b.code('''
DATA = "demo"  # shop folder with one file per table, or "demo" for the shipped demo shop
MONTH = ""  # month to study, YYYY-MM; empty: the latest full month in the data
SEASON_MONTHS = [6, 7, 8]  # calendar months of the season to study: June-August, summer
N_KEYWORDS = 3  # how many surging search keywords to shortlist
GROWTH_MONTHS = 3  # months of sales behind the scorecard's growth figure
WEIGHTS = {"growth": 0.4, "margin": 0.4, "competition": 0.2}  # scorecard weights, any scale
''', tags=["parameters"])
    b.md("""
The cell above holds the lesson's **parameters**. Change them to study another month, another
season (try `[12, 1, 2]` for winter) or other scorecard weights; `playbook run` sets them from
the command line. Every figure below is computed from the data, so the lesson runs on any shop.
""")
    b.code('''
import numpy as np
import pandas as pd
from IPython.display import display
from matplotlib.ticker import PercentFormatter

from playbook_lib import exercises, metrics, plots, products
from playbook_lib.data import load_dataset
from playbook_lib.exercises import ____

plots.use_theme()
ds = load_dataset(DATA)
month = str(metrics.parse_month(MONTH)) if MONTH else metrics.latest_full_month(ds)
season = [int(m) for m in SEASON_MONTHS]
season_label = ", ".join(pd.Timestamp(2000, m, 1).strftime("%b") for m in season)
names = ds.products.set_index("sku")["name"]
print(f"Shop: {ds.source}    lesson month: {month}    season: {season_label}")
''')

    b.md("""
## 1. Why selection matters

Selection is where product operations starts: the shop can only sell what it lists, and every
yuan spent on traffic lands on that range. Operators weigh three things together: **what the
market wants**, **how crowded it is**, and **what the shop itself can deliver**.

Demand shows up in data first. Platform back-ends and data tools (生意参谋 on Tmall, 京东商智 on
JD) show which search words are heating up, which categories grow fastest, and what buyers ask
for in reviews. The classic case: searches for a *portable juicer* jump every summer, so the
operator puts it on the priority list (重点选品清单) before the season starts.

Supply decides whether a good idea is a good product. Can the supplier pass quality checks and
deliver in volume? Is there margin left after cost? A hot product with no margin, or one that
runs out, does more harm than good.

And the range moves with the calendar: sun protection leads in summer, gift boxes join for the
Spring Festival shopping fair (年货节). Part of the operator's business sense (商业敏感度) is to
notice early when searches for something climb faster than the supply, call the supplier, stock
up, and push related products.

This lesson does each of those steps with the shop's own data.
""")

    # --- 2. category growth
    b.md("""
## 2. Category growth: month-on-month and year-on-year

`products.category_trends` adds up units and GMV (成交总额, paid orders) per category and
month, with two growth figures: against the month before (**month-on-month**, 环比) and against the same month a
year earlier (**year-on-year**, 同比). Month-on-month reacts fast but carries the season: a
summer category "grows" every May. Year-on-year compares like with like.
""")
    b.code('''
trends = products.category_trends(ds.orders, ds.order_items, ds.products)
this_month = trends[trends["period"] == pd.Period(month, freq="M").start_time]
this_month.set_index("key")[["units", "gmv", "mom_growth", "yoy_growth"]].round(3)
''')
    b.md("The whole history, one line per category:")
    b.code('''
gmv_wide = trends.pivot(index="period", columns="key", values="gmv")
ax = gmv_wide.plot(figsize=(10, 4))
ax.set(xlabel="month", ylabel="GMV (yuan)", title="Monthly GMV by category")
ax.yaxis.set_major_formatter("{x:,.0f}")
ax.legend(title="category", loc="center left", bbox_to_anchor=(1.0, 0.5));
''')
    b.md("""
How to read it: lines that jump together are shop-wide events (big campaigns). A category
whose year-on-year growth leads the others deserves more traffic and more of the range; one that
falls year-on-year needs a diagnosis (out of stock? priced out? a competitor?).

For the exercises you need the lines of the paid orders with each product's category.
`products.sold_items` keeps the lines of paid orders and adds each order's time:
""")
    b.code('''
paid_lines = products.sold_items(ds.order_items, ds.orders).merge(
    ds.products[["sku", "category"]], on="sku")
paid_lines[["order_id", "order_ts", "sku", "category", "quantity", "net_amount",
            "returned_qty"]].head()
''')
    b.md("""
### How the exercises work

Each exercise has a cell with blanks, `____`, for you to replace; `qN.check(answer)` compares
your value with the one the library computes from the same data and says what is off, without
giving the answer away. `qN.hint()` helps (`qN.hint(2)` says more), `qN.solution()` shows code.
The next cell binds this lesson's exercises to this shop and these parameters.
""")
    b.code('''
q1, q2, q3, q4, q5 = exercises.setup("02_products/01_selection", ds, month=month,
                                     season_months=season, n_keywords=N_KEYWORDS,
                                     growth_months=GROWTH_MONTHS, weights=WEIGHTS)
''')
    b.exercise(1, """
### Exercise 1: year-on-year growth per category

Compute the **year-on-year GMV growth** of each category in the lesson month from `paid_lines`:
GMV of the month divided by GMV of the same month a year earlier, minus 1. Store a Series
indexed by category in `yoy_growth`. (`pd.Period(month, freq="M") - 12` is the month a year
earlier.)
""", "yoy_growth = ____", "yoy_growth")

    # --- 3. seasonality
    b.md("""
## 3. Seasons: trend, season and the rest (STL)

A month's sales are a long-run **trend**, plus a **seasonal** pattern that comes back every
year, plus the **rest** (a campaign spike, noise). STL (Seasonal-Trend decomposition using
Loess) splits a series that way; `products.seasonality` runs it per category and
`products.seasonal_strength` says how much of the ups and downs the season explains (0: none,
1: all). STL needs two full years of months; with a shorter history the cell shows each
calendar month's average against the year's average instead.
""")
    b.code('''
n_months = trends["period"].nunique()
if n_months >= 24:
    components = products.seasonality(trends)
    strength = products.seasonal_strength(components)
    display(strength.round(2))
    plots.seasonality_chart(components, key=strength["key"].iloc[0])
else:
    print(f"{n_months} months of data; STL needs 24. Each calendar month's mean units "
          f"against the category's mean month:")
    profile = (trends.assign(calendar_month=trends["period"].dt.month)
               .pivot_table(index="calendar_month", columns="key", values="units",
                            aggfunc="mean"))
    display((profile / profile.mean()).round(2))
''')
    b.md("""
The orange line is the part of sales that repeats every year, the blue line the trend, the grey
bars what is left (one-off peaks end up there). Every category has some season, since campaign
months and festivals come back each year, but a category mixes summer and winter products whose
peaks partly cancel. With only two years of data the strength figure is rough: compare the
categories with each other rather than reading one value alone. The sharpest seasons are in
single products, so the next step is the same table at SKU level:
""")
    b.code('''
sku_monthly = products.category_trends(ds.orders, ds.order_items, ds.products, level="sku")
sku_monthly.head()
''')
    b.exercise(2, """
### Exercise 2: the product with the strongest season

For each SKU in `sku_monthly`, compute its **season lift**: its mean monthly `units` in the
season months (`SEASON_MONTHS`) divided by its mean monthly units in the other months. A lift of
3 means a season month sells three ordinary months' worth. Store the SKU with the largest lift
in `top_season_sku`. (Whatever months the data cover count: with one summer in range, that
summer is compared with the rest.)
""", "top_season_sku = ____", "top_season_sku")

    # --- 4. search trends
    b.md("""
## 4. Search trends: demand before it becomes sales

People search, compare, then buy, so searches move before sales. `products.search_trends` gives
per keyword and month the impressions (展现量: how often the shop showed up for it), clicks,
click-through rate (点击率), orders and conversion (转化率), with month-on-month and year-on-year
growth of impressions. Rising impressions are early demand: stock up **before** the season, not in it.

The most searched keywords of the latest month:
""")
    b.code('''
search = products.search_trends(ds.search_terms)
latest = search[search["month"] == search["month"].max()]
(latest.nlargest(10, "impressions").set_index("keyword")
 [["impressions", "ctr", "conversion", "mom_growth", "yoy_growth"]].round(3))
''')
    b.code('''
top_searched = search.groupby("keyword")["impressions"].sum().nlargest(6).index
ax = (search[search["keyword"].isin(top_searched)]
      .pivot(index="month", columns="keyword", values="impressions").plot(figsize=(10, 4)))
ax.set(xlabel="month", ylabel="impressions", title="Monthly impressions, most searched keywords")
ax.yaxis.set_major_formatter("{x:,.0f}")
ax.legend(title="keyword", loc="center left", bbox_to_anchor=(1.0, 0.5));
''')
    b.exercise(3, """
### Exercise 3: the keywords that surge in the season

Do for keywords what exercise 2 did for products: for each keyword in `search`, divide its mean
monthly `impressions` in the season months by its mean in the other months, and list the
`N_KEYWORDS` keywords with the largest surge in `top_keywords`.
""", "top_keywords = ____", "top_keywords")

    # --- 5. margin
    b.md("""
## 5. Margin per SKU and per supplier

A product that sells a lot can still earn little. **Gross margin** (毛利率) = (net sales − cost
of goods) / net sales, after returns: returned units bring no sales and cost nothing.
`products.sku_margin` gives it per SKU, per category or per supplier. The SKUs that bring the
most gross profit:
""")
    b.code('''
sku_margins = products.sku_margin(ds.products, ds.order_items, orders=ds.orders)
sku_margins.assign(name=sku_margins["key"].map(names)).head(8)[
    ["key", "name", "units", "net_sales", "gross_profit", "gross_margin"]].round(3)
''')
    b.code('''
cat_margin = products.sku_margin(ds.products, ds.order_items, orders=ds.orders, by="category")
ax = cat_margin.set_index("key")["gross_margin"].sort_values().plot.barh(figsize=(8, 3.2))
ax.xaxis.set_major_formatter(PercentFormatter(1.0))
ax.set(xlabel="gross margin", ylabel="", title="Gross margin by category");
''')
    b.md("""
Categories differ a lot (in this trade appliances often carry thin margins and beauty wide
ones), so compare a product with its own category, and a supplier with the other suppliers of
the same category.
Big sellers with a thin margin are the first place to look at price and cost.
""")
    b.exercise(4, """
### Exercise 4: gross margin per supplier

Compute the **gross margin per supplier** over all of `paid_lines`, net of returns. Take each
line's `supplier_id` and `unit_cost` from `ds.products`; the units kept are `quantity -
returned_qty`; a line's net sales are its `net_amount` times the share of units kept; its cost
is units kept × `unit_cost`. Add up per supplier, then divide. Store a Series indexed by
`supplier_id` in `supplier_margin`.
""", "supplier_margin = ____", "supplier_margin")

    # --- 6. scorecard
    b.md("""
## 6. A selection scorecard

Growth, margin and competition pull in different directions. A scorecard puts them on one
scale. For each SKU, `products.selection_candidates` measures:

- **growth**: GMV of the last `GROWTH_MONTHS` months against the same months a year earlier (or
  the months just before, when the history is shorter);
- **margin**: gross margin over the last 12 months;
- **competition**: the shop's data hold no market-wide figure, so it uses a proxy, the share of
  list value given away in discounts (how hard the SKU has to fight on price). When you have a
  market figure (number of sellers, the platform tool's competition index), put it in this column.

`products.selection_scores` turns each criterion into a percentile rank (robust to a few extreme
values), reverses competition (less crowded scores higher) and takes the weighted sum with
`WEIGHTS`.
""")
    b.code('''
candidates = products.selection_candidates(ds.orders, ds.order_items, ds.products, month=month,
                                        months=GROWTH_MONTHS)
print(f"{len(candidates)} candidate SKUs; growth is measured against "
      f"{candidates['growth_basis'].iloc[0]}.")
candidates.head()
''')
    b.exercise(5, """
### Exercise 5: score the candidates by hand

Index `candidates` by `key`. Turn growth and margin into percentile ranks with
`rank(pct=True)`, and competition with `rank(pct=True, ascending=False)` (the least crowded gets
the top score). Divide each weight in `WEIGHTS` by the sum of the weights and take the weighted
sum of the three ranks. Store the Series in `score`.
""", "score = ____", "score")
    b.md("The library's scorecard, best first. Change `WEIGHTS` in the parameters to see the "
         "ranking move: growth-heavy for a shop chasing scale, margin-heavy when cash is tight.")
    b.code('''
scores = products.selection_scores(candidates, weights=WEIGHTS)
scores.merge(candidates[["key", "name", "category"]], on="key").head(10)[
    ["rank", "key", "name", "category", "growth", "margin", "competition", "score"]].round(3)
''')

    # --- 7. re-assortment
    b.md("""
## 7. Seasonal re-assortment: what to order, and by when

The range follows the calendar: sunscreen and summer clothes lead in summer, gift boxes join
before the Spring Festival, warm things before winter. For each seasonal product (`is_seasonal`
in `products`, or the SKUs with the strongest season when the column is missing),
`products.reassortment_calendar` finds the calendar month it sells best in and how strong that peak
is (`peak_index`: 2 = twice an average month). The push (listing, ads, home page) starts a month
before the peak; the order has to go a lead time before that (`order_by`).
""")
    b.code('''
today = ds.orders["order_ts"].max().normalize()
if "is_seasonal" in ds.products.columns and ds.products["is_seasonal"].fillna(False).any():
    seasonal_skus = ds.products.loc[ds.products["is_seasonal"].fillna(False).astype(bool), "sku"]
    calendar = products.reassortment_calendar(sku_monthly, ds.products, as_of=today,
                                           skus=seasonal_skus)
else:  # no is_seasonal column: the 15 SKUs with the sharpest peak
    calendar = products.reassortment_calendar(sku_monthly, ds.products, as_of=today)
    calendar = calendar.nlargest(15, "peak_index").sort_values("order_by", ignore_index=True)
calendar["peak"] = calendar["peak_month"].map(lambda m: pd.Timestamp(2000, m, 1).strftime("%B"))
calendar["action"] = np.where(calendar["order_by"] <= today, "order now", "plan the order")
calendar[["sku", "name", "peak", "peak_index", "lead_time_days", "push_from", "order_by",
          "action"]].round({"peak_index": 2})
''')

    # --- 8. in practice
    b.md("""
## 8. In practice: from the numbers to the range

Your exercises found the product with the strongest season and the keywords that surge with it.
The library gives the same answers; the cell below turns them into the operator's to-do list.
""")
    b.code('''
def spans_season(months):
    """True when the months hold some in the season and some outside it."""
    seen = set(pd.to_datetime(months).dt.month)
    return bool(seen & set(season)) and bool(seen - set(season))


if spans_season(sku_monthly["period"]):
    sku_lift = products.season_lift(sku_monthly, months=season)
    star = sku_lift.iloc[0]
    lead = int(ds.products.set_index("sku").loc[star["key"], "lead_time_days"])
    first = next(m for m in season if (m - 2) % 12 + 1 not in season)  # the season's first month
    season_start = pd.Timestamp(today.year, first, 1)
    if season_start <= today:
        season_start = pd.Timestamp(today.year + 1, first, 1)
    push_from = season_start - pd.Timedelta(days=30)
    order_by = push_from - pd.Timedelta(days=lead)
    print(f"Strongest season: {star['key']} {names.get(star['key'], '')}: a {season_label} "
          f"month sells {star['lift']:.1f} times an ordinary month "
          f"({star['season_mean']:.0f} vs {star['rest_mean']:.0f} units).")
    print(f"Next season starts {season_start:%Y-%m-%d}: push from {push_from:%Y-%m-%d}; with a "
          f"{lead}-day lead time, order by {order_by:%Y-%m-%d}"
          f"{' (that date has passed: order now)' if order_by <= today else ''}.")
else:
    print(f"The sales data have no month inside (or none outside) {season_label}: no season "
          f"lift to report. Try other SEASON_MONTHS.")
if spans_season(search["month"]):
    kw_lift = products.season_lift(search, months=season, key_col="keyword", period_col="month",
                                value_col="impressions")
    keywords = ", ".join(f"'{k}'" for k in kw_lift["key"].head(N_KEYWORDS))
    print(f"Searches surging with the season: {keywords} "
          f"(the first at {kw_lift['lift'].iloc[0]:.1f} times its other months).")
''')
    b.code('''
yoy = this_month.set_index("key")["yoy_growth"].dropna().sort_values(ascending=False)
suppliers = products.sku_margin(ds.products, ds.order_items, orders=ds.orders, by="supplier")
supplier_category = ds.products.groupby("supplier_id")["category"].first()
suppliers["category"] = suppliers["key"].map(supplier_category)
weakest = suppliers.sort_values("gross_margin").groupby("category").head(1)
if len(yoy):
    print(f"Fastest growing category year-on-year in {month}: {yoy.index[0]} "
          f"({yoy.iloc[0]:+.0%}); slowest: {yoy.index[-1]} ({yoy.iloc[-1]:+.0%}).")
else:
    print(f"No year-on-year figure for {month}: the data do not reach a year back.")
print("Lowest-margin supplier in each category:")
weakest[["category", "key", "net_sales", "gross_margin"]].sort_values("category").round(3)
''')
    b.md("""
What the operator does with this:

| finding | action |
|---|---|
| the product with the strongest season | put it on the season's priority list (重点选品清单); agree volumes with the supplier and order by the date above, so the stock lands before the push, not in the middle of the season |
| keywords surging with it | use them in the product title and in search ads before the season; a long-tail phrase (product + season or scene, "... for summer travel") usually converts better than the bare word |
| searches climbing faster than sales | a sign of unmet demand (搜索量激增但供给不足): stock up and push related products |
| a category growing year-on-year | more of the range, more traffic and campaign slots |
| a category falling year-on-year | check stock-outs, price and competitors before cutting it |
| the lowest-margin supplier of a category | renegotiate (commit volume for a lower price, share marketing cost) or shift orders to a better supplier of the same category |
| the scorecard's top picks | list or push them first; question the bottom of the list |
| the re-assortment calendar | order summer goods (sunscreen, summer clothes) in spring and Spring Festival gift boxes in late autumn, each by its `order_by` date |
""")
    b.md("""
## Recap

- Growth: month-on-month (环比) is fast but seasonal; year-on-year (同比) compares like with like.
- Seasons: STL splits sales into trend, season and remainder; the strong seasons are in single
  products, and a season lift (season month ÷ ordinary month) ranks them.
- Search trends are early demand: the keywords that surge tell you what to stock before the season.
- Gross margin is (net sales − cost) / net sales after returns; compare suppliers inside a category.
- A scorecard ranks candidates on growth, margin and competition with weights you choose.
- The range follows the calendar: order a lead time before the push, and start the push a month
  before the peak.

**Next:** `02_products/02_inventory.ipynb`: keeping the chosen products in stock without tying
up cash.
""")
    return b


# =============================================================================================
# 02_inventory
# =============================================================================================

def inventory() -> Notebook:
    b = Notebook()
    b.md("""
# 02 · Products 2: stock that sells, stock that sits

**The responsibility:** inventory management and sell-through (库存管理与动销优化). Stock is cash
on a shelf. The operator keeps the best-sellers in stock, moves what sits before it has to be
written off, and orders in time for the big campaigns.

**After this lesson you can**

- compute inventory turnover (库存周转率), days of inventory (库存周转天数) and the sell-through
  rate (动销率);
- sort SKUs into ABC classes (ABC分类) and say how closely to watch each;
- find slow movers (滞销品) and choose how to move them: price, a bundle with a best-seller,
  a recommendation slot;
- set a safety stock (安全库存) and a reorder point (补货点) from demand variability and lead
  time, and see what a higher service level costs;
- spot the best-sellers that ran out before a big campaign, and order in time for the next one.

About 35 minutes. Tables used: `inventory`, `orders`, `order_items`, `products`, `campaigns`.
""")
    b.code('''
DATA = "demo"  # shop folder with one file per table, or "demo" for the shipped demo shop
AS_OF = ""  # last day to study, YYYY-MM-DD; empty: the last day of the inventory data
WINDOW_DAYS = 90  # days of sales behind days of inventory, ABC and the reorder point
SELL_THROUGH_DAYS = 7  # length of the sell-through period (a week)
SLOW_DAYS = 180  # days of inventory above which a SKU is a slow mover
SERVICE_LEVEL = 0.95  # wanted chance of not running out before a delivery arrives
PRE_CAMPAIGN_DAYS = 30  # days before a big campaign's warm-up to check for stock-outs
BIG_CAMPAIGN_KIND = "festival"  # campaigns of this kind count as big (Double 11, 618, ...)
CAMPAIGN_UPLIFT = 0.0  # demand multiplier up to the next big campaign; 0: measured on past ones
''', tags=["parameters"])
    b.md("""
The cell above holds the lesson's **parameters**; every figure below is computed from the data,
so the lesson runs on any shop. The next cell loads the shop and sets the dates: `as_of` is the
last day studied, the analysis window runs from `start` to `as_of` (`n_days` days), and the
sell-through period from `week_start` to `as_of`.
""")
    b.code('''
import ipywidgets as widgets
import numpy as np
import pandas as pd
from IPython.display import display
from scipy import stats

from playbook_lib import exercises, plots, products
from playbook_lib.data import load_dataset
from playbook_lib.exercises import ____

plots.use_theme()
ds = load_dataset(DATA)
stock = ds.inventory
first_day = stock["date"].min()
as_of = pd.Timestamp(AS_OF).normalize() if AS_OF else stock["date"].max()
start = max(as_of - pd.Timedelta(days=WINDOW_DAYS - 1), first_day)
week_start = max(as_of - pd.Timedelta(days=SELL_THROUGH_DAYS - 1), first_day)
n_days = (as_of - start).days + 1
names = ds.products.set_index("sku")["name"]
print(f"Shop: {ds.source}    as of {as_of:%Y-%m-%d}    window {start:%Y-%m-%d} .. "
      f"{as_of:%Y-%m-%d} ({n_days} days)")
''')
    b.md("""
## 1. Why it matters

Stock ties up money and ages on the shelf; too little of it loses sales and, in a campaign, the
search rank and the buyers who go elsewhere. So the operator watches stock every day and sets
**safety-stock alerts** (安全库存预警) that say when to reorder.

Products that sit (**slow movers**, 滞销品) are moved on purpose: a price cut, a bundle, or a
recommendation next to a related product. A bundle works like this: the slow product A is
sold together with a best-seller B at a set price (套餐价), so A gets B's exposure and
conversion. For the best-sellers (爆款) the move is the opposite: talk to the supplier early
and build stock before the rush, because a stock-out sends buyers away for good.

Turnover is reviewed regularly, and products that stay slow are retired to keep the range
healthy. Many teams put a figure on it in their KPIs: a category with more than **45 days** of
inventory needs an improvement report.

The kit's definitions:

| term | formula |
|---|---|
| turnover (库存周转率) | cost of goods sold in the period / average stock value (at cost) |
| days of inventory (库存周转天数) | units on hand / average units sold per day |
| sell-through rate (动销率) | SKUs with stock that sold at least once / SKUs with stock |
| safety stock (安全库存) | z × s × √L (s: spread of daily sales, L: lead time, z: service level) |
| reorder point (补货点) | d × L + safety stock (d: mean daily sales) |
""")

    # --- 2. turnover
    b.md("""
## 2. Turnover by category

`products.inventory_kpis` joins the daily stock with the sales of the window. Stock counts every
order that left the warehouse, **paid and refunded** (a refunded order still took units off the
shelf); money (GMV) counts paid orders only. Turnover (库存周转率) is the cost of the goods sold in
the window over the average value of the stock: 3 means the average stock sold three times over.
""")
    b.code('''
cat_kpis = products.inventory_kpis(stock, ds.order_items, ds.orders, ds.products,
                                   start=start, end=as_of, by="category")
cat_kpis.set_index("key")[["units_sold", "cogs", "avg_inventory_value", "turnover",
                           "stockout_days"]].round(2)
''')
    b.md("""
Turnover is a rate per window: over 90 days, 3 turns is about 12 a year. For the exercises you
need the lines of the orders that took stock, paid and refunded, with each order's time:
""")
    b.code('''
shipped_lines = products.sold_items(ds.order_items, ds.orders,
                                    statuses=products.SHIPPED_STATUSES)
shipped_lines[["order_id", "order_ts", "sku", "quantity"]].head()
''')
    b.md("""
### How the exercises work

Replace each `____` with your code; `qN.check(answer)` compares it with the library's answer on
the same data. `qN.hint()` helps (`qN.hint(2)` says more), `qN.solution()` shows code.
""")
    b.code('''
q1, q2, q3, q4, q5, q6 = exercises.setup("02_products/02_inventory", ds, as_of=as_of,
                                         window_days=WINDOW_DAYS,
                                         sell_through_days=SELL_THROUGH_DAYS,
                                         slow_days=SLOW_DAYS, service_level=SERVICE_LEVEL,
                                         pre_campaign_days=PRE_CAMPAIGN_DAYS,
                                         big_kind=BIG_CAMPAIGN_KIND)
''')
    b.md("""
## 3. Days of inventory

Turnover looks back; **days of inventory** (库存周转天数) looks forward: how many days today's
stock lasts at the window's pace of sales; above 45 days, many teams ask for an improvement report.
""")
    b.exercise(1, """
### Exercise 1: days of inventory per category

Per category: the units on hand at the end of `as_of` (rows of `stock` whose `date` is
`as_of`) divided by the units sold per day in the window (`shipped_lines` from `start` to the
end of `as_of`, divided by `n_days`). Take each SKU's `category` from `ds.products`. Store a
Series indexed by category in `category_days`.
""", "category_days = ____", "category_days")
    b.md("""
The same figure per SKU, from the library, and the SKUs whose stock lasts longest. The dashed
line is the 45-day mark that calls for an improvement report, the solid line the slow-mover
threshold; a hatched bar has stock and no sale at all.
""")
    b.code('''
kpis = products.inventory_kpis(stock, ds.order_items, ds.orders, ds.products, start=start,
                               end=as_of)
days_of_inventory = kpis.set_index("key")["days_of_inventory"]
over_45 = kpis[kpis["days_of_inventory"] > 45]
print(f"{len(over_45)} of {len(kpis)} SKUs hold more than 45 days of stock.")
longest = kpis.sort_values("days_of_inventory", ascending=False).head(15)
plots.inventory_cover_chart(longest, thresholds=(45, SLOW_DAYS));
''')

    # --- 3. sell-through
    b.md("""
## 4. Sell-through rate (动销率)

Turnover says how fast stock turns; the **sell-through rate** says how much of the range moves at
all: of the SKUs with stock in the period, the share that sold at least one unit. Over a long
window nearly everything sells once, so operators watch it per week: a falling weekly rate means
more of the range just sits in the warehouse.
""")
    b.exercise(2, """
### Exercise 2: this week's sell-through rate

Take the period `week_start` to `as_of` (`SELL_THROUGH_DAYS` days). A SKU counts as stocked when
its `on_hand` is above 0 on at least one day of the period, and as sold when `shipped_lines` has
at least one of its units in the period. Give the share of stocked SKUs that sold, a fraction
between 0 and 1, in `sell_through`.
""", "sell_through = ____", "sell_through")
    b.md("The stocked SKUs that did not sell in the period (the library's view):")
    b.code('''
week = products.inventory_kpis(stock, ds.order_items, ds.orders, ds.products,
                               start=week_start, end=as_of)
idle = week[week["stocked"] & ~week["sold_any"]]
rate = products.sell_through_rate(stock, ds.order_items, ds.orders, start=week_start, end=as_of)
print(f"Sell-through {rate:.1%}; {len(idle)} stocked SKU(s) without a sale:")
idle.assign(name=idle["key"].map(names))[["key", "name", "ending_on_hand",
                                          "days_since_last_sale"]]
''')

    # --- 4. ABC
    b.md("""
## 5. ABC classes: where to look first

A few SKUs make most of the revenue. **ABC analysis** (ABC分类) ranks the SKUs by revenue and cuts
the running total: **A** holds the first 80 %, **B** the next 15 %, **C** the last 5 %. Watch A
every day (an A out of stock costs the most), B every week, and ask whether each C earns its
shelf space. The paid lines of the window:
""")
    b.code('''
paid_lines = products.sold_items(ds.order_items, ds.orders)
window_lines = paid_lines[(paid_lines["order_ts"] >= start)
                          & (paid_lines["order_ts"] < as_of + pd.Timedelta(days=1))]
window_lines[["order_ts", "sku", "quantity", "net_amount"]].head()
''')
    b.exercise(3, """
### Exercise 3: class A by hand

Add up `net_amount` per SKU in `window_lines`, sort largest first and compute each SKU's share of
the total. A SKU is class A when the SKUs ranked **above** it hold less than 80 % (so the SKU that
crosses 80 % is still A). Store the list of class A SKUs in `a_skus`.
""", "a_skus = ____", "a_skus")
    b.code('''
abc = products.abc_classes(window_lines)
class_a = abc.loc[abc["abc_class"] == "A", "key"].tolist()
top_sku = class_a[0]
print(abc["abc_class"].value_counts().sort_index().to_string())
print(f"Top seller of the window: {top_sku} {names.get(top_sku, '')}")
plots.abc_chart(abc);
''')

    # --- 5. slow movers
    b.md("""
## 6. Slow movers, and how to move them

A **slow mover** (滞销品) is a SKU whose stock would take more than `SLOW_DAYS` days to sell at
its current pace. It ties up cash, takes space and ages; the longer it waits, the deeper the
discount it will need.
""")
    b.exercise(4, """
### Exercise 4: the slow movers

Use `days_of_inventory`, the library's figure per SKU shown in section 3 (the same sum as
exercise 1, one SKU at a time), and list the SKUs with more than `SLOW_DAYS` days of inventory
in `slow_skus`.
""", "slow_skus = ____", "slow_skus")
    b.code('''
slow = products.slow_movers(kpis, days_threshold=SLOW_DAYS)
slow["name"] = slow["key"].map(names)
slow["stock_value"] = slow["ending_on_hand"] * slow["key"].map(
    ds.products.set_index("sku")["unit_cost"])
slow[["key", "name", "ending_on_hand", "units_sold", "days_of_inventory",
      "days_since_last_sale", "stock_value"]].round(1)
''')
    b.md("""
Three ways to move them, cheapest first:

1. **Bundle** (组合销售) the slow SKU with a best-seller its buyers already take in the same
   order: `products.bundle_candidates` lists class A SKUs bought together with each slow one
   (lift above 1: more often than chance).
2. **Recommend** it next to those products (搭配推荐, "buyers also bought").
3. **Cut the price** for a time-limited clearance, or put it in a low-price blind box.
""")
    b.code('''
if len(slow):
    pairs = products.bundle_candidates(paid_lines, slow_skus=slow["key"], hot_skus=class_a,
                                       min_orders=2)
    pairs = pairs.assign(slow_name=pairs["slow_sku"].map(names),
                         hot_name=pairs["hot_sku"].map(names))
    display(pairs.groupby("slow_sku").head(2)[["slow_sku", "slow_name", "hot_sku", "hot_name",
                                               "pair_orders", "confidence", "lift"]].round(3))
else:
    pairs = pd.DataFrame(columns=["slow_sku", "hot_sku", "lift"])
    print(f"No SKU holds more than {SLOW_DAYS} days of stock.")
''')

    # --- 6. safety stock
    b.md("""
## 7. Safety stock and the reorder point

Between placing a reorder and the goods arriving, the lead time L (补货周期,
`lead_time_days`), the shop keeps selling. On average it sells d × L units, d being the mean
units per day; but some weeks sell more. **Safety stock** (安全库存) covers that spread: z × s × √L, where s is the standard
deviation of daily units and z comes from the service level (服务水平; 1.64 for 95 %: in 95 of 100
replenishment cycles the stock lasts until the delivery). The **reorder point** (补货点) is the
stock level at which to order: d × L + safety stock.

Days without a sale are part of the demand: a SKU that sells 10 units one day and none the next
nine is far more uncertain than one that sells one a day.
""")
    b.exercise(5, """
### Exercise 5: the top seller's reorder point

For `top_sku`, build its daily units over the window (`shipped_lines`, every day from `start`
to `as_of`, 0 on days without a sale), take their mean d and standard deviation s, its lead time
L from `ds.products`, and z = `stats.norm.ppf(SERVICE_LEVEL)`. Store d × L + z × s × √L in
`reorder_at`.
""", "reorder_at = ____", "reorder_at")
    b.md("""
The library's table for every SKU. A class A SKU whose stock is at or below its reorder point
needs an order today, unless one is already on its way: in your own system compare the reorder
point with the stock on hand **plus** the stock on order (the `inventory` table here holds only
what is on the shelf).
""")
    b.code('''
reorder = products.reorder_table(ds.order_items, ds.orders, ds.products, as_of=as_of,
                                 window_days=n_days, service_level=SERVICE_LEVEL)
on_hand = stock[stock["date"] == as_of].set_index("sku")["on_hand"]
reorder["on_hand"] = reorder["sku"].map(on_hand)
reorder["reorder_now"] = reorder["on_hand"] <= reorder["reorder_point"]
a_table = reorder[reorder["sku"].isin(class_a)]
print(f"{int(a_table['reorder_now'].sum())} of {len(a_table)} class A SKUs are at or below "
      f"their reorder point.")
a_table.sort_values("on_hand").head(10).round(1)
''')
    b.md("""
**What does a higher service level cost?** Move the slider: the safety stock of the top seller
grows slowly up to about 90 % and steeply after 95 %: the last few points of service cost the
most stock. (`products.service_level_curve` does the computation.)
""")
    b.code('''
row = reorder.set_index("sku").loc[top_sku]


def show_service_level(service_level=SERVICE_LEVEL):
    r = products.service_level_curve(row["daily_demand_mean"], row["daily_demand_std"],
                                     row["lead_time_days"], service_levels=[service_level]).iloc[0]
    print(f"{top_sku}: service level {service_level:.1%}  z = {r['z']:.2f}  safety stock "
          f"{r['safety_stock']:.1f} units  reorder point {r['reorder_point']:.1f} units")


widget = widgets.interactive(
    show_service_level,
    service_level=widgets.FloatSlider(value=min(max(SERVICE_LEVEL, 0.5), 0.995), min=0.5,
                                      max=0.995, step=0.005, readout_format=".1%",
                                      description="service level"))
display(widget)
''')
    b.md("The same function at a few service levels, and the whole curve:")
    b.code('''
curve = products.service_level_curve(row["daily_demand_mean"], row["daily_demand_std"],
                                     row["lead_time_days"])
display(products.service_level_curve(row["daily_demand_mean"], row["daily_demand_std"],
                                     row["lead_time_days"],
                                     service_levels=[0.8, 0.9, 0.95, 0.98, 0.99]).round(2))
ax = curve.plot(x="service_level", y="safety_stock", legend=False, figsize=(8, 3.5))
ax.set(xlabel="service level", ylabel="safety stock (units)",
       title=f"Safety stock of {top_sku} by service level");
''')

    # --- 7. stock-outs before campaigns
    b.md("""
## 8. Best-sellers that ran out before a big campaign

A best-seller that runs out just before a big campaign costs twice: the sales of the empty
days, and the momentum of the warm-up (预热期), when buyers add to cart and the product's search
rank is made. Look back at every big campaign in the data: the `PRE_CAMPAIGN_DAYS` days before
its warm-up, when its stock had to be built.
""")
    b.code('''
windows = products.pre_campaign_windows(ds.campaigns, days=PRE_CAMPAIGN_DAYS,
                                     kinds=[BIG_CAMPAIGN_KIND], first=first_day, last=as_of)
windows
''')
    b.exercise(6, """
### Exercise 6: who ran out?

For the class A SKUs (`class_a`), count the days with `on_hand` equal to 0 inside the periods of
`windows` (`start` and `end` both included). Store a Series indexed by SKU, with the SKUs that
had at least one such day, in `stockout_days`.
""", "stockout_days = ____", "stockout_days")
    b.code('''
found = []
for w in windows.itertuples():
    k = products.inventory_kpis(stock, ds.order_items, ds.orders, ds.products,
                                start=w.start, end=w.end)
    k = k[k["key"].isin(class_a) & (k["stockout_days"] > 0)]
    found.append(k.assign(campaign_id=w.campaign_id, warmup_start=w.warmup_start))
found = (pd.concat(found, ignore_index=True) if found
         else pd.DataFrame(columns=["campaign_id", "key", "stockout_days", "warmup_start"]))
found.assign(name=found["key"].map(names))[["campaign_id", "warmup_start", "key", "name",
                                            "stockout_days"]]
''')
    b.md("The stock of the first of them around that campaign (shaded: the days before the "
         "warm-up; dashed: warm-up start; solid: the peak day):")
    b.code('''
if len(found):
    hit = found.iloc[0]
    camp = ds.campaigns.set_index("campaign_id").loc[hit["campaign_id"]]
    w = windows.set_index("campaign_id").loc[hit["campaign_id"]]
    lo = w["start"] - pd.Timedelta(days=21)
    hi = pd.Timestamp(camp["peak_end"]) + pd.Timedelta(days=7)
    s = stock[(stock["sku"] == hit["key"]) & stock["date"].between(lo, hi)]
    ax = s.plot(x="date", y="on_hand", legend=False, figsize=(10, 3.5), drawstyle="steps-post")
    ax.axvspan(w["start"], w["end"], color="#DD8452", alpha=0.15)
    ax.axvline(pd.Timestamp(camp["warmup_start"]), color="black", linestyle="--", linewidth=1)
    ax.axvline(pd.Timestamp(camp["peak_start"]), color="black", linewidth=1)
    ax.set(xlabel="", ylabel="units on hand",
           title=f"{hit['key']} {names.get(hit['key'], '')} before {hit['campaign_id']}")
else:
    print("No class A SKU ran out before a big campaign in this data.")
''')

    # --- 8. next campaign
    b.md("""
## 9. The next big campaign: who needs stock now?

The next big campaign comes from the `campaigns` table; when the table ends before it, last
year's dates are carried forward. Demand up to the peak is today's pace times an uplift,
measured on the past big campaigns (units per day from warm-up to peak, against the four weeks
before) unless `CAMPAIGN_UPLIFT` sets it. `products.stockout_risk` lists the class A SKUs whose
stock today will not last until the peak ends; each needs its campaign stock ordered a lead time
before the warm-up (`order_by`). Past that date, order today; when even that arrives after the
peak has started, expedite.
""")
    b.code('''
nxt = products.next_campaign(ds.campaigns, as_of=as_of, kinds=[BIG_CAMPAIGN_KIND])
daily_units = shipped_lines.groupby(shipped_lines["order_ts"].dt.normalize())["quantity"].sum()
lifts = []
for c in ds.campaigns[ds.campaigns["kind"] == BIG_CAMPAIGN_KIND].itertuples():
    warmup = pd.Timestamp(c.warmup_start)
    before = daily_units[warmup - pd.Timedelta(days=28):warmup - pd.Timedelta(days=1)]
    during = daily_units[warmup:pd.Timestamp(c.peak_end)]
    if len(before) >= 14 and len(during) and pd.Timestamp(c.peak_end) <= as_of:
        lifts.append(during.mean() / before.mean())
uplift = CAMPAIGN_UPLIFT if CAMPAIGN_UPLIFT > 0 else (float(np.median(lifts)) if lifts else 1.5)
print(f"Next big campaign: {nxt['name']}: warm-up {nxt['warmup_start']:%Y-%m-%d}, peak "
      f"{nxt['peak_start']:%Y-%m-%d} ({nxt['days_to_peak']} days away)"
      f"{', dates carried forward from ' + nxt['based_on'] if nxt['projected'] else ''}.")
source = ("set in the parameters" if CAMPAIGN_UPLIFT > 0
          else f"median of {len(lifts)} past campaign(s)" if lifts else "default, no past campaign")
print(f"Demand uplift used: {uplift:.2f}x ({source}).")
''')
    b.code('''
risk = products.stockout_risk(stock, ds.order_items, ds.orders, as_of=as_of,
                              until=nxt["peak_end"], uplift=uplift)
risk = risk[risk["sku"].isin(class_a) & risk["at_risk"]].merge(
    reorder[["sku", "lead_time_days", "safety_stock"]], on="sku")
risk["name"] = risk["sku"].map(names)
risk["order_units"] = np.ceil(risk["shortfall"] + risk["safety_stock"]).astype(int)
lead_days = pd.to_timedelta(risk["lead_time_days"], unit="D")
risk["order_by"] = nxt["warmup_start"] - lead_days  # in stock when the warm-up starts
risk["action"] = np.select(
    [risk["order_by"] > as_of, as_of + lead_days <= nxt["peak_start"]],
    ["order by the date", "order today"], default="expedite: a normal order arrives too late")
print(f"{len(risk)} class A SKU(s) will run short before {nxt['name']} ends at today's stock:")
print(risk["action"].value_counts().to_string())
risk.sort_values(["order_by", "days_of_cover"]).head(12)[
    ["sku", "name", "on_hand", "days_of_cover", "shortfall", "order_units", "lead_time_days",
     "order_by", "action"]].round({"days_of_cover": 1, "shortfall": 1})
''')

    # --- 9. in practice
    b.md("""
## 10. In practice

The exercises found the slow movers and the best-seller that ran out before a campaign; the cell
below writes the operator's to-do list from the library's answers.
""")
    b.code('''
hot_for = pairs.sort_values("lift", ascending=False).groupby("slow_sku")["hot_sku"].first()
print("Slow movers:" if len(slow) else f"Slow movers: none above {SLOW_DAYS} days of stock.")
for r in slow.itertuples():
    move = (f"bundle with {hot_for[r.key]} {names.get(hot_for[r.key], '')} at a set price"
            if r.key in hot_for.index else "time-limited price cut or clearance blind box")
    cover = (f"{r.days_of_inventory:,.0f} days of stock" if np.isfinite(r.days_of_inventory)
             else "stock and no sale in the window")
    print(f"  {r.key} {r.name}: {cover} -> {move}; recommend it next to related products")
if len(found):
    for r in found.drop_duplicates("key").itertuples():
        lead = int(ds.products.set_index("sku").loc[r.key, "lead_time_days"])
        order_by = nxt["warmup_start"] - pd.Timedelta(days=lead + 7)
        print(f"Best-seller that ran out before {r.campaign_id}: {r.key} {names.get(r.key, '')}"
              f" ({r.stockout_days} empty days). Before {nxt['name']}: agree volumes with the "
              f"supplier and order by {order_by:%Y-%m-%d} (lead time {lead} days + a week)"
              f"{'; that date has passed: order today and expedite' if order_by <= as_of else ''}.")
late = int(risk["action"].str.startswith("expedite").sum())
print(f"{len(risk)} class A SKU(s) need campaign stock before {nxt['name']}; {late} of them "
      f"only with an expedited delivery.")
''')
    b.md("""
| finding | action |
|---|---|
| a slow mover (above `SLOW_DAYS` days) | bundle it with a best-seller its buyers already take (套餐价), recommend it next to related products, then cut the price; retire it if nothing moves it |
| a category above 45 days of inventory | write the improvement report: what to stop ordering, what to clear |
| a falling weekly sell-through rate | look at the stocked SKUs without a sale: wrong price, hidden listing, or out of season |
| class A | watch daily; reorder at the reorder point, never below it |
| a best-seller that ran out before a campaign | before the next big campaign, agree volumes with the supplier early and order a lead time (plus a margin) before the warm-up |
| class A SKUs short before the next campaign | reorder now; if the lead time is too long, expedite or find a faster supplier, and keep campaign traffic away from SKUs that will run out |
| a higher service level | costs more stock, steeply after 95 %: keep 98-99 % for class A, less for C |
""")
    b.md("""
## Recap

- Turnover = COGS / average stock value; days of inventory = units on hand / units sold per day;
  sell-through (动销率) = stocked SKUs that sold / stocked SKUs, watched weekly.
- ABC: class A makes the first 80 % of revenue; watch it daily.
- Slow movers hold more than `SLOW_DAYS` days of stock; move them with bundles, recommendations,
  then price.
- Safety stock = z × s × √L, reorder point = d × L + safety stock; days without a sale count.
- Look back before each big campaign for best-sellers that ran out, and order a lead time ahead of
  the next one.

**Next:** `02_products/03_detail_page.ipynb`: the product page where the buying decision is made,
and how to test a better one.
""")
    return b


if __name__ == "__main__":
    for book, name in ((selection(), "01_selection.ipynb"), (inventory(), "02_inventory.ipynb")):
        book.write(OUT_DIR / name)
