"""Build notebooks/01_users/03_retention_loyalty.ipynb and 04_service.ipynb (without outputs).

Run from the repository root: ``.venv/bin/python notebooks/_build/users_cd.py``.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))  # _nbtools.py sits beside this script
from _nbtools import Notebook

HERE = Path(__file__).resolve().parents[1] / "01_users"


# =================================================================================================
# 03 retention and loyalty
# =================================================================================================

def retention_lesson() -> Notebook:
    b = Notebook()
    b.md("""
# 01 · Users 3: retention, loyalty and customer lifetime value

**The responsibility:** keeping customers (用户留存) and bringing them back to buy again (复购).
Winning a customer is expensive; the money comes back only if they order a second, third and
tenth time. The operator measures who comes back and when, runs the membership programme
(会员体系) and its points (积分), and values each customer's future (用户生命周期价值, LTV/CLV) so
that retention money goes where it pays.

**After this lesson you can**

- build a **cohort** (同期群) retention table by hand, and read its heatmap and curves;
- measure the share of new customers who did not buy again within 90 days (新客流失);
- compare the **repurchase rate** (复购率) of the membership tiers (普通 / 银卡 / 金卡) and check
  whether members use their points (积分兑换率);
- compute historic CLV, then predict each customer's next-year value with the BG/NBD and
  Gamma-Gamma models, and pick whom to win back;
- turn each finding into a retention action.

About 40 minutes.
""")
    b.code('''
DATA = "demo"  # shop folder with one file per table, or "demo" for the shipped demo shop
AS_OF = ""  # analysis date YYYY-MM-DD (orders before it count); empty: day after the last order
REPEAT_DAYS = 90  # follow-up window: did a new customer buy again within this many days?
CLV_HORIZON_MONTHS = 12  # how far ahead the CLV prediction looks, in months
DISCOUNT_RATE = 0.01  # monthly discount rate for future spend (0.01 is about 12.7% a year)
WINBACK_MIN_REPEAT = 3  # win-back list: customers with at least this many repeat purchases ...
WINBACK_MAX_ALIVE = 0.5  # ... whose probability of still being a customer is below this
''', tags=["parameters"])
    b.md("""
The cell above holds the lesson's **parameters**: change them and re-run, or pass them with
`playbook run 01_users/03_retention_loyalty -p REPEAT_DAYS 60`. The next cell loads the two tables
this lesson needs (orders and customers) and fixes the analysis date `as_of`: everything below
uses only the orders placed before it, and no date or figure is typed in by hand.
""")
    b.code('''
import warnings

import ipywidgets as widgets
import matplotlib.pyplot as plt
import pandas as pd
from IPython.display import display
from matplotlib.ticker import PercentFormatter

from playbook_lib import exercises, plots, users
from playbook_lib.data import load_dataset
from playbook_lib.exercises import ____
from playbook_lib.exercises import users_retention as lesson

plots.use_theme()
ds = load_dataset(DATA, tables=["orders", "customers"])
as_of = lesson.resolve_as_of(ds.orders, AS_OF)
orders = ds.orders[ds.orders["order_ts"] < as_of]
customers = ds.customers
print(f"Shop: {ds.source}   orders from {orders['order_ts'].min():%Y-%m-%d} "
      f"to {orders['order_ts'].max():%Y-%m-%d}   analysis date (as_of): {as_of:%Y-%m-%d}")
''')
    b.md("""
## 1. Why retention matters

Every new customer was paid for: with ads, coupons, a referral reward. As acquisition costs keep
rising, a shop that cannot keep its customers has to buy each sale again. A shop that keeps them
grows from its own base: the second order costs far less than the first, and loyal customers tell
their friends.

The seed document is blunt about how hard this is. After their first order, fewer than one new
customer in five typically buys again, and one mother-and-baby brand found that **60% of its new
customers had not ordered again three months after their first purchase**. The fix starts on the
path from the first order to the second: something useful in the parcel that invites the buyer to
follow the shop, or a first-order offer that raises the first basket and gives a reason to return.

The second lever is the **membership programme**. Tiers such as regular, silver and gold (普通会员,
银卡会员, 金卡会员) earn different benefits (free shipping, a dedicated service line, a birthday
gift for gold); points (积分) come from sign-ins and purchases and can be used as cash or swapped
for gifts. Many programmes are ignored: **fewer than 10% of points are ever redeemed**, because
the benefits look like everyone else's. Benefits that are really different work: one brand's
member-only prices (会员专享价) lifted member repurchase by about 35%.

The operator's retention job therefore has four parts, and this lesson takes them in order:
**measure** who comes back and when (cohorts, repeat windows), **compare** groups (tiers, points
use), **value** customers (historic and predicted lifetime value), and **act** on each finding.
""")
    b.md("""
## 2. Cohorts: who comes back, and when

A **cohort** (同期群) is the group of customers whose first paid order fell in the same month.
Following each cohort month by month answers the retention question without mixing old and new
customers: the **retention** (留存率) of a cohort in period *k* is the share of its customers who
paid for an order *k* months after their first month (period 0 is the first month itself, so it is
always 100%).

One trap first. A shop's export starts on some day, but many customers were buying before it.
Their "first" order in the data is not their first order ever, so they would pile into the
earliest cohorts and make them look very loyal. How many customers signed up before the data
starts?
""")
    b.code('''
data_start = orders["order_ts"].min().normalize()
signed_before = (customers["signup_ts"] < data_start).mean()
print(f"The order history starts on {data_start:%Y-%m-%d}; "
      f"{signed_before:.0%} of the customers had signed up before that.")
''')
    b.md("""
`users.cohort_retention` builds the table. Compare period 1 (the month after the first) of the
earliest cohorts, once with every customer and once with only the customers who signed up after
the data starts (their whole history is in the data):
""")
    b.code('''
new_ids = customers.loc[customers["signup_ts"] >= data_start, "customer_id"]
new_orders = orders[orders["customer_id"].isin(new_ids)]

retention_all = users.cohort_retention(orders)
retention = users.cohort_retention(new_orders)
pd.DataFrame({"all customers": retention_all[1],
              "new customers only": retention[1]}).head(6).round(3)
''')
    b.md("""
When many customers signed up before the data starts, the first "cohort" of all customers is not
a cohort at all: it collects everyone who was already a customer when the export begins, and its
retention is inflated. From here on, cohorts, repeat windows and new-customer churn use
`new_orders`: the orders of customers who signed up on or after `data_start`.

Here is the new customers' cohort table as a heatmap: one row per cohort, one column per month
since the first purchase. Cells to the right of the diagonal edge are empty because those months
have not happened yet.
""")
    b.code('''
fig, ax = plt.subplots(figsize=(13, 7))
plots.cohort_heatmap(retention, ax=ax);
''')
    b.md("""
Now it is your turn to build the same thing by hand. The next cell sets up this lesson's
exercises on *this* shop and analysis date. Each exercise has blanks `____`: replace them, run the
cell, and `qN.check(...)` tells you whether you are right and what is off. Stuck? Uncomment
`qN.hint()` (and `qN.hint(2)`, `qN.hint(3)`) in the cell below it; `qN.solution()` shows one way.
""")
    b.code('''
q1, q2, q3, q4, q5, q6, q7 = exercises.setup("01_users/03_retention_loyalty", ds,
    as_of=as_of, repeat_days=REPEAT_DAYS, horizon=CLV_HORIZON_MONTHS,
    discount_rate=DISCOUNT_RATE, winback_min_repeat=WINBACK_MIN_REPEAT,
    winback_max_alive=WINBACK_MAX_ALIVE)
''')
    b.exercise(1, """
### Exercise 1: cohort sizes

How many new customers did each monthly cohort win? Build `cohort_sizes`: a Series indexed by the
month of each customer's first **paid** order (a pandas `Period`, from `.dt.to_period("M")`), with
the number of customers in each. Start from `new_orders`.
""", "cohort_sizes = ____  # customers per month of their first paid order", "cohort_sizes")
    b.exercise(2, """
### Exercise 2: who came back the next month

For each cohort, what share of its customers paid for an order in **period 1**, the calendar month
right after their first month? Build `month1`, indexed by cohort month. Leave out a cohort whose
period 1 has not happened yet (the latest one): unknown is not the same as zero.
""", "month1 = ____  # share of each cohort buying again one month after its first month",
               "month1")
    b.md("""
### Reading the curves

Each cohort's row, drawn as a line, is its **retention curve**. Look at the shape rather than
single cells (small cohorts are noisy): the thick line is the average over cohorts of each period.
""")
    b.code('''
curve = retention.mean()  # average over cohorts, period by period (empty future cells are skipped)
fig, ax = plt.subplots(figsize=(10, 4.5))
plots.retention_curves(retention, ax=ax, legend=False)
(average_line,) = ax.plot(curve.index, curve.to_numpy(), color="black", linewidth=3,
                          label="average of the cohorts")
ax.legend(handles=[average_line], loc="upper right", frameon=False);
last = min(6, int(curve.index.max()))
print(f"Average retention: {curve[1]:.0%} in period 1, {curve[last]:.0%} in period {last}.")
''')
    b.md("""
The typical shape: a **steep drop** right after the first purchase, then a **flattening**. Most
of the loss happens before the second month; the customers still buying after that form a
steady core that fades only slowly. Two consequences for the operator:

- the battle for retention is fought in the first weeks after the first order, so that is where
  welcome messages, a second-order coupon and good service pay most;
- a flat tail means a loyal base worth protecting: losing those customers costs revenue every
  month for a long time.
""")
    b.md("""
## 3. New customers who never came back

The seed's warning sign: the share of new customers who did not buy again within three months.
To measure it fairly, each new customer needs the **whole** window: only customers whose first
paid order is at least `REPEAT_DAYS` days before `as_of` count, otherwise recent customers, who
simply have not had time, would look lost. A repeat is another paid order on a **later day**
(a second order on the same day is one shopping trip).
""")
    b.exercise(3, """
### Exercise 3: no second order within the window

Of the new customers who have had the full `REPEAT_DAYS`-day window, what share did **not** pay
for another order on a later day within `REPEAT_DAYS` days of their first paid order? Store the
fraction (0.6, not 60) in `no_repeat_share`.
""", "no_repeat_share = ____", "no_repeat_share")
    b.md("""
`users.no_repeat_within` computes the same thing. Run it for a few windows to see how the share
falls as customers get more time (windows longer than the data allow are skipped). The overall
repurchase rate of all buyers, `users.repeat_purchase_rate`, is the number most dashboards show;
it mixes old and new customers, which is why we measured new customers separately.
""")
    b.code('''
history_days = (as_of - data_start).days
windows = [d for d in (30, 60, REPEAT_DAYS, 180) if d < history_days - 30]
churn = pd.Series({d: users.no_repeat_within(new_orders, d, end=as_of)
                   for d in sorted(set(windows))}, name="no_repeat_share")
churn.index.name = "window_days"
print(f"Repurchase rate of all buyers (two or more order days): "
      f"{users.repeat_purchase_rate(orders):.1%}")
churn.round(3).to_frame()
''')
    b.md("""
## 4. Membership tiers and points

Every customer has a membership tier (`member_tier`: regular, silver, gold) and two points
counters: `points_earned` (from purchases and sign-ins) and `points_redeemed` (used as cash or
for gifts). The customers table is a snapshot taken with the export: tiers and points are as they
are today, whatever `AS_OF` says. How are the customers spread over the tiers?
""")
    b.code('''
customers["member_tier"].value_counts()
''')
    b.exercise(4, """
### Exercise 4: repurchase by tier

Build `tier_repurchase`, indexed by `member_tier`: among each tier's **buyers** (customers with at
least one paid order in `orders`), the share with paid orders on **two or more different days**.
""", "tier_repurchase = ____", "tier_repurchase")
    b.exercise(5, """
### Exercise 5: do members use their points?

What share of all the points members earned have they redeemed? Store the shop-wide
**redemption rate** (积分兑换率) in `redemption_rate`.
""", "redemption_rate = ____", "redemption_rate")
    b.md("""
`users.membership_summary` puts the tier figures side by side: customers, buyers, orders,
repurchase rate, AOV (客单价) and points. The `all` row is the whole shop.
""")
    b.code('''
tiers = users.membership_summary(customers, orders)
display(tiers.style.format({"repurchase_rate": "{:.1%}", "aov": "{:,.0f}",
                            "redemption_rate": "{:.1%}", "points_earned": "{:,}",
                            "points_redeemed": "{:,}"}))
ax = tiers.drop(index="all")["repurchase_rate"].plot(kind="bar", figsize=(6, 3.5), rot=0,
                                                     color="C0")
ax.yaxis.set_major_formatter(PercentFormatter(1.0))
ax.set(xlabel="membership tier", ylabel="repurchase rate", title="Repurchase rate by tier")
by_tier = tiers.drop(index="all")["repurchase_rate"].dropna()
print(f"Highest repurchase: {by_tier.idxmax()} ({by_tier.max():.0%}); lowest: {by_tier.idxmin()} "
      f"({by_tier.min():.0%}). Points redeemed: {tiers.loc['all', 'redemption_rate']:.1%} "
      f"of the points earned.")
''')
    b.md("""
How to read it:

- **Repurchase rises with the tier** in most shops, the demo included: gold members buy again far
  more often than regular ones. Careful with the cause: tiers are earned by buying, so part of the
  gap is simply that frequent buyers *become* gold. The table shows where the loyal customers are;
  whether a benefit *creates* loyalty is a question for a test (give the benefit to a random half
  of the silver members and compare).
- **Points use** is the health check of the programme. A redemption rate far under 10%, the
  seed's warning level, means members do not find the points worth the trouble: points nobody
  redeems cost nothing today, but they build no loyalty either.
""")
    b.md("""
## 5. Customer lifetime value

**Customer lifetime value** (用户生命周期价值, CLV or LTV) is the net spend a customer brings over
their life with the shop. It answers the money questions of retention: how much may we spend to
win a customer, and which customers deserve a costly win-back offer?

### 5.1 Historic value

The simplest measure is what customers have spent so far. `users.historic_clv` groups it by
cohort:
""")
    b.code('''
hist = users.historic_clv(new_orders, as_of=as_of)
ax = hist.groups["mean_spend"].plot(kind="bar", figsize=(11, 3.5), color="C0")
ax.set(xlabel="cohort (first purchase)", ylabel="mean spend to date (yuan)",
       title="Historic value per customer, by cohort")
hist.groups.head().round(1)
''')
    b.md("""
Older cohorts look more valuable, mostly because they have had more time to spend. Historic
value is fair only between customers of the same age, and it says nothing about who will keep
buying. For that we need a model of the future.

### 5.2 Predicted value: BG/NBD and Gamma-Gamma

Two classic models ("buy till you die", BTYD) do this from nothing more than each customer's
purchase history:

- **BG/NBD** (Fader, Hardie & Lee 2005): while a customer is "alive" they buy at their own steady
  rate; after each purchase there is a chance they leave for good. From how often and how recently
  someone bought, it estimates their **probability of being alive** (活跃概率) and their
  **expected purchases** in a future window.
- **Gamma-Gamma**: each customer has their own typical spend per purchase; it estimates the
  **expected spend** of their future purchases, pulling customers with few purchases towards the
  shop's average.

Both read a per-customer summary, `users.btyd_summary`, in weeks: `frequency` (repeat purchases:
distinct purchase days minus one), `recency` (weeks from the first to the last purchase), `T`
(weeks from the first purchase to the end of the data) and `monetary_value` (mean spend of the
repeat purchases).
""")
    b.code('''
summary = users.btyd_summary(orders, as_of - pd.Timedelta(days=1), freq="W")
summary.head()
''')
    b.md("""
Fit both models on the shop's own data. The parameters are estimates with a standard error and a
95% interval; a very wide interval means the data cannot pin that parameter down.
""")
    b.code('''
with warnings.catch_warnings():
    warnings.simplefilter("always", users.ConvergenceWarning)  # show it if a fit fails
    bgnbd = users.fit_bgnbd(summary)
    gg = users.fit_gamma_gamma(summary)
r, alpha, a, b = bgnbd.params_
print(bgnbd)
print(f"  typical purchase rate while alive: {r / alpha:.2f} per week; "
      f"chance of leaving after a purchase: {a / (a + b):.0%}")
p, q, v = gg.params_
print(gg)
print(f"  average spend per future purchase: {p * v / (q - 1):,.0f} yuan")
display(bgnbd.summary.round(3), gg.summary.round(2))
''')
    b.md("""
Gamma-Gamma assumes a customer's spend per purchase does not depend on how often they buy. Check
it: the correlation between `frequency` and `monetary_value` among repeat buyers should be near
zero.
""")
    b.code('''
repeaters = summary[summary["frequency"] > 0]
print(f"Correlation of frequency and spend per purchase: "
      f"{repeaters['frequency'].corr(repeaters['monetary_value']):.3f}")
''')
    b.md("""
`users.predict_clv` combines the two models: for each month of the horizon, expected purchases
times expected spend, discounted by `DISCOUNT_RATE` a month (a yuan next year is worth less than a
yuan today). The result has one row per customer: `expected_purchases`, `prob_alive`,
`expected_spend` and `clv` (yuan).
""")
    b.code('''
clv = users.predict_clv(bgnbd, gg, summary, horizon=CLV_HORIZON_MONTHS,
                        discount_rate=DISCOUNT_RATE, freq="W")
print(f"Predicted value of the next {CLV_HORIZON_MONTHS} months: {clv['clv'].sum():,.0f} yuan "
      f"from {len(clv):,} customers")
clv.sort_values("clv", ascending=False).head().round(2)
''')
    b.md("""
Who is still a customer? The probability of being alive against the number of repeat purchases:
customers who bought often but long ago (large `frequency`, low `prob_alive`) are the ones whose
silence is news.
""")
    b.code('''
fig, axes = plt.subplots(1, 2, figsize=(12, 3.8))
clv["prob_alive"].plot(kind="hist", bins=20, ax=axes[0], color="C0")
axes[0].set(xlabel="probability alive", ylabel="customers", title="How many are still customers?")
axes[1].scatter(summary["frequency"], clv["prob_alive"], s=6, alpha=0.3)
axes[1].set(xlabel="repeat purchases (frequency)", ylabel="probability alive",
            title="Loyal in the past, alive today?");
''')
    b.md("""
One quirk to know: BG/NBD assumes a customer can leave only right after a purchase, so a customer
who bought once has never had the chance and shows a probability alive of 1. The model's
judgement is informative for repeat buyers: the longer a frequent buyer has been silent compared
with their own rhythm, the lower their probability. That is why the win-back list below starts from
customers with several repeat purchases.
""")
    b.exercise(6, """
### Exercise 6: the win-back list

Count the customers who bought again at least `WINBACK_MIN_REPEAT` times (`summary["frequency"]`)
but whose probability of still being a customer (`clv["prob_alive"]`) is below
`WINBACK_MAX_ALIVE`. They were loyal and have gone quiet: the win-back list (召回名单). Store the
count in `n_winback`.
""", "n_winback = ____", "n_winback")
    b.exercise(7, """
### Exercise 7: value by tier

Build `clv_by_tier`: the **mean** predicted `clv` per customer in each `member_tier` (bring the
tier in from `customers`).
""", "clv_by_tier = ____", "clv_by_tier")
    b.md("""
### 5.3 Horizon and discount rate

How much a customer is "worth" depends on how far ahead you look and how much you discount the
future. Move the sliders: `lesson.clv_by_tier` recomputes the value per tier from the fitted models
(the same plain function the tests check). The static table below it shows two settings, so the
report has them too.
""")
    b.code('''
def show_clv(horizon, discount_rate):
    table = lesson.clv_by_tier(bgnbd, gg, summary, customers, horizon=horizon,
                               discount_rate=discount_rate)
    display(table.style.format({"expected_purchases": "{:.2f}", "mean_clv": "{:,.0f}",
                                "total_clv": "{:,.0f}", "clv_share": "{:.1%}"}))


widget = widgets.interactive(
    show_clv,
    horizon=widgets.IntSlider(value=min(max(CLV_HORIZON_MONTHS, 1), 36), min=1, max=36,
                              description="months"),
    discount_rate=widgets.FloatSlider(value=min(max(DISCOUNT_RATE, 0.0), 0.05), min=0.0,
                                      max=0.05, step=0.005, readout_format=".1%",
                                      description="discount/mo"))
display(widget)
''')
    b.code('''
static = pd.concat({f"{h} months at {d:.1%}/month": lesson.clv_by_tier(
    bgnbd, gg, summary, customers, horizon=h, discount_rate=d)["mean_clv"]
    for h, d in ((6, DISCOUNT_RATE), (CLV_HORIZON_MONTHS, DISCOUNT_RATE), (24, 0.02))}, axis=1)
static.round(0)
''')
    b.md("""
A longer horizon adds value, but each extra month adds less: customers drop out, and later yuan
are discounted. Two uses in practice: the value of a new customer over 12 months is the ceiling
for what acquiring one may cost (compare it with the channel's CAC, 获客成本); the value per tier
tells you how much a tier's benefits may cost per member.
""")
    b.md("""
## 6. In practice: from the numbers to retention actions

| what you found | what the operator does |
|---|---|
| retention drops steeply after the first month | a welcome journey for the first 30 days: a new-customer gift pack plus a named service contact, a leaflet in the parcel inviting the buyer to follow the shop's account or join its group (私域), a second-order coupon timed before the typical gap |
| most new customers do not buy again within `REPEAT_DAYS` days | raise the first basket ("spend 100, save 20" on the first order) and remind before the window closes; track this share monthly as the first-to-second order KPI |
| gold members repurchase far more | make the path from regular to silver to gold visible; give benefits that are really different (member-only prices lifted one brand's member repurchase by ~35%), and test a benefit on a random half before rolling it out |
| points redemption far under 10% | make points easy to spend (deduct at checkout, small gifts), and for regular members a sign-in game that earns points; drop benefits nobody uses |
| a list of once-loyal customers with low `prob_alive` | a win-back touch while they still remember the shop: a personal coupon plus an SMS or a call, cheaper than winning a stranger |
| high predicted CLV | protect them: birthday gifts, early access to new products, a dedicated service line; cap acquisition spend per customer below the 12-month CLV of the channel's customers |
""")
    b.md("""
## Recap

- A cohort is the customers of one first-purchase month; retention is the share still buying *k*
  months later. Use customers whose whole history is in the data, and treat future cells as unknown,
  not zero.
- Retention curves drop steeply after the first purchase and then flatten: the first weeks decide.
- New-customer churn counts only customers who had the full window, and a repeat is on a later day.
- Tier repurchase shows where loyalty sits (tiers are also a *result* of buying); points redemption
  shows whether members value the programme.
- Historic value favours old cohorts; BG/NBD + Gamma-Gamma predict each customer's future purchases,
  probability of being alive and CLV, from the shop's own history.

**Next:** `01_users/04_service.ipynb`: service before, during and after the sale, and how a size
guide cut returns.
""")
    return b


# =================================================================================================
# 04 service
# =================================================================================================

def service_lesson() -> Notebook:
    b = Notebook()
    b.md("""
# 01 · Users 4: customer service before, during and after the sale

**The responsibility:** customer relationship management (客户关系管理): answering questions before
the sale (售前), keeping the order on track during it (售中), and solving problems after it (售后),
fast enough and well enough that the customer buys, stays calm while waiting, and comes back. The
operator sets the service targets, watches them in the data, staffs for the peaks, and turns what
customers complain about into fixes on the product page.

**After this lesson you can**

- measure first-response time against a target, for the bot and for people, and the bot's share
  of routine questions;
- show that service breaks on campaign peak days, and what that costs in satisfaction;
- measure how often a pre-sale chat turns into an order, with a clearly stated time window;
- check the shipping promise (ship within 24 hours), delivery times and delays;
- check the after-sales promises (24 h, complaints 48 h) and rank return reasons in a Pareto chart;
- find, from the data alone, the month a size guide went live and by how much it cut returns.

About 40 minutes.
""")
    b.code('''
DATA = "demo"  # shop folder with one file per table, or "demo" for the shipped demo shop
AS_OF = ""  # analysis date YYYY-MM-DD (what happened before it counts); empty: day after last order
FIRST_RESPONSE_TARGET_S = 60  # a human agent's first answer in a chat, in seconds
SHIP_WITHIN_H = 24  # promise: a paid order ships within this many hours
DELIVER_WITHIN_H = 72  # a delivery later than this many hours after the order counts as delayed
AFTER_SALE_WITHIN_H = 24  # other after-sales tickets (returns, exchanges) resolved within these hours
COMPLAINT_WITHIN_H = 48  # complaints resolved within these hours
COMPLAINT_TOPIC = "complaint"  # the ticket topic that marks a complaint
CHAT_WINDOW_H = 24  # a pre-sale chat converts if the customer pays for an order within these hours
# routine pre-sale questions a bot should answer:
ROUTINE_TOPICS = ["shipping time", "coupon rules", "stock availability", "size and specs"]
CATEGORY = "apparel"  # the category whose returns we study
SIZE_REASON = "size mismatch"  # the return reason a size guide should cut
''', tags=["parameters"])
    b.md("""
The targets are parameters because every shop sets its own; the defaults follow the seed document
(people answer within a minute, the bot in seconds, ship within 24 hours, after-sales within 24
hours, complaints within 48 hours). The next cell loads the five tables this lesson needs and keeps
what happened before the analysis date `as_of`.
""")
    b.code('''
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from IPython.display import display
from matplotlib.ticker import PercentFormatter

from playbook_lib import exercises, plots, users
from playbook_lib.data import load_dataset
from playbook_lib.exercises import ____
from playbook_lib.exercises import users_service as lesson
from playbook_lib.exercises.users_retention import resolve_as_of

plots.use_theme()
ds = load_dataset(DATA, tables=["orders", "order_items", "products", "service_tickets",
                                "campaigns"])
as_of = resolve_as_of(ds.orders, AS_OF)
orders = ds.orders[ds.orders["order_ts"] < as_of]
tickets = ds.service_tickets[ds.service_tickets["created_ts"] < as_of].copy()
products, campaigns = ds.products, ds.campaigns
print(f"Shop: {ds.source}   analysis date (as_of): {as_of:%Y-%m-%d}   "
      f"{len(tickets):,} service tickets, {len(orders):,} orders")
''')
    b.md("""
## 1. Why service matters

Service is where the customer meets the shop as people rather than pages, at three moments:

- **Before the sale** (售前咨询): questions decide purchases. Some need knowledge and care: "is this
  cream right for sensitive skin?" deserves the ingredients and the test results, from a trained
  agent. Most are routine ("when will it ship?", "how does this coupon work?") and a **chat bot**
  (智能客服) can answer them in seconds. The seed expects a bot to take about **80% of the
  repetitive questions**, and people to answer in seconds rather than minutes. Agents can also
  start the conversation ("you have been looking for five minutes: may I tell you what makes this
  one different?").
- **During the sale** (售中): the order has to leave on time (shipping **within 24 hours** of
  payment is a common promise), and the customer wants to know where it is (shipped, in transit,
  arriving today).
  Big or custom orders get a personal follow-up.
- **After the sale** (售后): returns and complaints are a chance to win loyalty or lose it. Clear
  rules ("7 days, no reason needed"; "quality problems always refunded"), and fast answers:
  return requests handled **within 24 hours**, complaints solved **within 48 hours**.

The data in the service logs is also the shop's best feedback loop. If returns keep coming back
with "size did not fit", the fix is not in the service team but on the product page: better size
guidance. This lesson follows exactly that story.
""")
    b.md("""
## 2. The service tickets

One row of `service_tickets` is one contact: who (`customer_id`), the `stage` (pre_sale, in_sale,
after_sale), the `topic`, whether the `bot` or a `human` handled it, when it started
(`created_ts`), how many seconds the first answer took (`first_response_s`), when it was resolved
(`resolved_ts`, empty while open) and the customer's rating (`satisfaction`, 1-5, often empty).
Pre-sale contacts have no `order_id`: there is no order yet.
""")
    b.code('''
display(tickets.head())
pd.crosstab(tickets["stage"], tickets["handled_by"], margins=True)
''')
    b.md("""
## 3. Before the sale: speed, the bot, and conversion

### 3.1 First-response time

`users.response_time_summary` gives, per stage and handler, the median and 90th-percentile first
response, the share answered within the target (`within_target_share`), resolution time and
satisfaction. The median says what a typical customer gets; the 90th percentile says what the
unlucky one in ten gets.
""")
    b.code('''
speed = users.response_time_summary(tickets, target_s=FIRST_RESPONSE_TARGET_S)
speed.round(3)
''')
    b.md("""
Which pre-sale topics does the bot take? Each row below is a topic, split by handler. The routine
topics (`ROUTINE_TOPICS`) should go mostly to the bot; questions that need judgement ("which of
these two?", "is it right for me?") mostly to people.
""")
    b.code('''
pre = tickets[tickets["stage"] == "pre_sale"]
by_topic = pd.crosstab(pre["topic"], pre["handled_by"], normalize="index")
by_topic["routine"] = by_topic.index.isin(ROUTINE_TOPICS)
by_topic.sort_values("routine", ascending=False).round(3)
''')
    b.md("""
Set up the exercises of this lesson on this shop. As always: replace `____`, run, and
`qN.check(...)` says what is right or off; `qN.hint()` and `qN.solution()` are in the cell below.
""")
    b.code('''
q1, q2, q3, q4, q5, q6, q7, q8, q9 = exercises.setup("01_users/04_service", ds,
    as_of=as_of, first_response_target_s=FIRST_RESPONSE_TARGET_S,
    ship_within_h=SHIP_WITHIN_H, after_sale_within_h=AFTER_SALE_WITHIN_H,
    complaint_within_h=COMPLAINT_WITHIN_H, chat_window_h=CHAT_WINDOW_H,
    routine_topics=ROUTINE_TOPICS, complaint_topic=COMPLAINT_TOPIC, category=CATEGORY,
    size_reason=SIZE_REASON)
''')
    b.exercise(1, """
### Exercise 1: the bot's share of routine questions

What share of the routine pre-sale questions (stage `pre_sale`, topic in `ROUTINE_TOPICS`) did the
bot answer? Store the fraction in `bot_share`.
""", "bot_share = ____", "bot_share")
    b.md("""
### 3.2 Campaign peak days

Big campaigns (大促) bring many times the usual traffic in a day or two, and the questions come
with it. The campaigns table holds each campaign's peak phase (爆发期, `peak_start` to `peak_end`);
`lesson.campaign_peak_days` lists those days. Mark each ticket with the kind of day it came in on:
""")
    b.code('''
peak_days = lesson.campaign_peak_days(campaigns)
on_peak_day = tickets["created_ts"].dt.normalize().isin(peak_days)
tickets["day_type"] = np.where(on_peak_day, "peak", "normal")
tickets["day_type"].value_counts()
''')
    b.md("""
The median first response of human agents, day by day, with the peak days in red. The dashed line
is the target.
""")
    b.code('''
human = tickets[tickets["handled_by"] == "human"]
daily = human.groupby(human["created_ts"].dt.normalize())["first_response_s"].median()
on_peak = daily.index.isin(peak_days)
fig, ax = plt.subplots(figsize=(12, 3.8))
ax.plot(daily.index, daily.to_numpy(), color="C0", linewidth=0.8, label="normal day")
ax.scatter(daily.index[on_peak], daily.to_numpy()[on_peak], color="C3", zorder=3,
           label="campaign peak day")
ax.axhline(FIRST_RESPONSE_TARGET_S, color="black", linestyle="--", linewidth=1, label="target")
ax.set(ylabel="median first response (s)", title="Human agents: median first response per day")
ax.legend(frameon=False, loc="upper left");
''')
    b.exercise(2, """
### Exercise 2: breaches on peak days

How often did a **human** agent miss the target (`first_response_s` above
`FIRST_RESPONSE_TARGET_S`) on peak days, and on normal days? Build `breach_share`: a Series
indexed by `day_type`.
""", "breach_share = ____", "breach_share")
    b.md("""
What does a slow answer cost? Compare the ratings of human-handled contacts answered in time with
those answered late:
""")
    b.code('''
rated = human.dropna(subset=["satisfaction"])
late = np.where(rated["first_response_s"] > FIRST_RESPONSE_TARGET_S, "late", "in time")
display(rated.groupby(late)["satisfaction"].agg(["count", "mean"]).round(2))
by_day = users.response_time_summary(human, target_s=FIRST_RESPONSE_TARGET_S, by=["day_type"])
by_day[["day_type", "tickets", "median_first_response_s", "within_target_share"]].round(3)
''')
    b.md("""
The second table is the library's version of exercise 2, turned around (answered *within* the
target). In the demo shop, nearly every human answer on a peak day is late, and late answers are
rated clearly lower. The queue does not have to be this way: the peak dates are known weeks ahead.

### 3.3 From chat to order

Does a pre-sale chat lead to a purchase? Pre-sale tickets carry no order id, so we have to
**define** the link: a chat *converts* when the same customer places a **paid** order at or after
the moment the chat started and at most `CHAT_WINDOW_H` hours later. Chat-to-order conversion
(咨询转化率) is converted chats / chats. Say which window you used whenever you report it.
""")
    b.exercise(3, """
### Exercise 3: chat-to-order conversion

Pair each pre-sale chat with the same customer's paid orders and keep the pairs where the order
came 0 to `CHAT_WINDOW_H` hours after the chat started. What share of chats has at least one such
order? Store it in `chat_conversion`.
""", "chat_conversion = ____", "chat_conversion")
    b.md("""
`lesson.chat_to_order` does the same match (each chat with the customer's *next* paid order in the
window). Try several windows: conversion climbs quickly over the first hours, when orders really
follow the chat, then only creeps up as later, unrelated orders fall into a wider window. Pick the
window where the curve flattens.
""")
    b.code('''
windows = [1, 2, 6, 12, CHAT_WINDOW_H, 72, 168]
by_window = pd.Series({w: lesson.chat_to_order(tickets, orders, window_h=w)["converted"].mean()
                       for w in sorted(set(windows))}, name="chat_conversion")
by_window.index.name = "window_h"
chats = lesson.chat_to_order(tickets, orders, window_h=CHAT_WINDOW_H)
display(by_window.round(3).to_frame().T)
chats.groupby("topic")["converted"].mean().sort_values(ascending=False).round(3).to_frame()
''')
    b.md("""
## 4. During the sale: shipping and delivery

`users.fulfilment_summary` checks the shipping promise on paid orders: the share shipped within
`SHIP_WITHIN_H` hours (an order not shipped counts as late), the median hours to ship and to
deliver, and the share of deliveries later than `DELIVER_WITHIN_H` hours. Month by month:
""")
    b.code('''
fulfil = users.fulfilment_summary(orders, ship_within_h=SHIP_WITHIN_H,
                                  deliver_within_h=DELIVER_WITHIN_H, freq="M")
ax = fulfil[["shipped_within_share", "delayed_share"]].plot(figsize=(11, 3.5), marker="o")
ax.yaxis.set_major_formatter(PercentFormatter(1.0))
ax.set(xlabel="order month", ylabel="share of paid orders",
       title="Shipping on time and late deliveries")
fulfil.tail(6).round(3)
''')
    b.exercise(4, """
### Exercise 4: the shipping promise

What share of **paid** orders shipped within `SHIP_WITHIN_H` hours of the order (`shipped_ts -
order_ts`)? An order not shipped yet counts as late. Store it in `shipped_on_time`.
""", "shipped_on_time = ____", "shipped_on_time")
    b.md("""
The warehouse meets the same peaks as the service team. Split the paid orders by the kind of day
they were placed on:
""")
    b.code('''
paid = orders[orders["status"] == "paid"]
order_day = np.where(paid["order_ts"].dt.normalize().isin(peak_days), "peak", "normal")
on_time = (paid["shipped_ts"] - paid["order_ts"]) <= pd.Timedelta(hours=SHIP_WITHIN_H)
on_time.groupby(order_day).agg(["size", "mean"]).rename(
    columns={"size": "paid_orders", "mean": "shipped_on_time"}).round(3)
''')
    b.md("""
Questions during the sale (`in_sale`) are mostly about where the parcel is, and each late
parcel adds some:
""")
    b.code('''
tickets.loc[tickets["stage"] == "in_sale", "topic"].value_counts()
''')
    b.md("""
## 5. After the sale: resolution and returns

### 5.1 Resolving after-sales tickets

After-sales tickets have two promises: complaints (`COMPLAINT_TOPIC`) solved within
`COMPLAINT_WITHIN_H` hours of the contact, everything else within `AFTER_SALE_WITHIN_H` hours. The
median resolution time and the rating per topic:
""")
    b.code('''
after = tickets[tickets["stage"] == "after_sale"]
users.response_time_summary(after, target_s=FIRST_RESPONSE_TARGET_S, by=["topic"],
                            resolve_within_h=AFTER_SALE_WITHIN_H)[
    ["topic", "tickets", "median_resolution_h", "resolved_within_share", "mean_satisfaction"]
].round(2)
''')
    b.exercise(5, """
### Exercise 5: after-sales tickets in time

Give each after-sales ticket its own target (`COMPLAINT_WITHIN_H` for complaints,
`AFTER_SALE_WITHIN_H` for the rest) and measure hours from `created_ts` to `resolved_ts`. What
share met its target? Tickets still open count as missed. Store it in `resolved_in_time`.
""", "resolved_in_time = ____", "resolved_in_time")
    b.md("""
### 5.2 What comes back, and why

Returns are recorded on the order lines: `returned_qty` units came back for `return_reason`. Only
lines of orders that were really sold count (paid, or refunded after a return); unpaid and
cancelled orders never left the warehouse, so they belong in neither the returns nor the units
sold. The return rate per category:
""")
    b.code('''
items = ds.order_items[ds.order_items["order_id"].isin(orders["order_id"])]
sold_ids = orders.loc[orders["status"].isin(["paid", "refunded"]), "order_id"]
sold_items = items[items["order_id"].isin(sold_ids)]
by_category = (sold_items.merge(products[["sku", "category"]], on="sku")
               .groupby("category")[["quantity", "returned_qty"]].sum())
by_category["return_rate"] = by_category["returned_qty"] / by_category["quantity"]
by_category.sort_values("return_rate", ascending=False).round(3)
''')
    b.md("""
Usually one category sends back far more than the others; in a shop that sells clothes it is
apparel, where fit is hard to judge on a screen. Which reasons drive `CATEGORY`'s returns?
""")
    b.exercise(6, """
### Exercise 6: return reasons of the category

From `sold_items`, build `reason_share`: for each `return_reason`, its share of the `CATEGORY`
units returned (weigh by `returned_qty`).
""", "reason_share = ____", "reason_share")
    b.md("""
The same as a **Pareto chart** (帕累托图), from `users.return_reasons`: bars largest first, and the
cumulative share on the right axis. When one bar carries most of the weight, fix that one first.
""")
    b.code('''
reasons = users.return_reasons(sold_items, products=products, category=CATEGORY)
ax = plots.pareto_chart(reasons)
ax.set_title(f"Why {CATEGORY} comes back");
reasons.round(3)
''')
    b.md("""
### 5.3 Did the size guide work?

Suppose the team added a size guide with model measurements to the `CATEGORY` pages at the start
of one month (the demo shop did), but nobody wrote down which. The data can tell: after the fix, fewer units should come back
for `SIZE_REASON` *per unit sold*. A share of the returns would not do: it also moves when other
reasons rise or fall.
""")
    b.exercise(7, """
### Exercise 7: the size-return rate month by month

For each order month (a `Period`), divide the `CATEGORY` units returned for `SIZE_REASON` by the
`CATEGORY` units sold that month. Build `size_rate` from `sold_items` (each line's month is its
order's month).
""", "size_rate = ____", "size_rate")
    b.md("""
Here is the same series from `lesson.reason_rate_by_month`, drawn month by month:
""")
    b.code('''
monthly_size_rate = lesson.reason_rate_by_month(items, orders, products, category=CATEGORY,
                                                reason=SIZE_REASON)
ax = monthly_size_rate.plot(figsize=(11, 3.5), marker="o", color="C0")
ax.yaxis.set_major_formatter(PercentFormatter(1.0))
ax.set(xlabel="order month", ylabel=f"units returned for {SIZE_REASON}\\nper unit sold",
       title=f"{CATEGORY}: size returns per unit sold");
''')
    b.exercise(8, """
### Exercise 8: when did the fix go live?

Which month was the **first** at the new, lower level? Give it as text, `'YYYY-MM'`, in
`fix_month_guess` (`str(...)` turns a pandas Period into that text). Reading it off the chart is
fine; `q8.hint(2)` shows a systematic way.
""", "fix_month_guess = ____  # e.g. '2025-07'", "fix_month_guess")
    b.md("""
`lesson.step_month` finds the split that leaves the least squared distance from each side's own
mean (a least-squares change point, with at least two months on each side). From here on the
lesson uses that month:
""")
    b.code('''
fix_month = str(lesson.step_month(monthly_size_rate))
after_fix = monthly_size_rate.index >= pd.Period(fix_month, freq="M")
ax = monthly_size_rate.plot(figsize=(11, 3.5), marker="o", color="C0")
for part, label in ((~after_fix, "before"), (after_fix, "after")):
    part_rate = monthly_size_rate[part]
    ax.hlines(part_rate.mean(), part_rate.index.min().ordinal, part_rate.index.max().ordinal,
              colors="C3", linewidth=2)
ax.axvline(pd.Period(fix_month, freq="M").ordinal - 0.5, color="black", linestyle="--")
ax.yaxis.set_major_formatter(PercentFormatter(1.0))
ax.set(xlabel="order month", ylabel="size returns per unit sold",
       title=f"The step: size guide live from {fix_month}")
print(f"Size guide live from: {fix_month}")
''')
    b.exercise(9, """
### Exercise 9: how much did it cut?

Pool the `CATEGORY` sold lines before `fix_month` and from `fix_month` on (by order month). For
each side, `SIZE_REASON` units returned / units sold; then `cut = 1 - rate after / rate before`.
Store it in `cut`.
""", "cut = ____", "cut")
    b.md("""
`users.return_reasons` gives the before-and-after Pareto in one call (`split_date`): compare the
`return_rate` of each reason. Only the size reason should have moved.
""")
    b.code('''
split = users.return_reasons(sold_items, orders=orders, products=products, category=CATEGORY,
                             split_date=pd.Period(fix_month, freq="M").start_time)
rates = split.pivot(index="reason", columns="period", values="return_rate")[["before", "after"]]
rates["change"] = rates["after"] / rates["before"] - 1
rates.sort_values("before", ascending=False).round(3)
''')
    b.md("""
## 6. In practice: from the numbers to service actions

| what you found | what the operator does |
|---|---|
| the bot answers a share of routine questions well below its potential (the seed: ~80%) | add the missing answers (shipping times, coupon rules, stock, size charts) to the bot; route only judgement questions to people |
| human answers miss the target on nearly every campaign peak day, and late answers are rated lower | staff up before peak days (temporary agents, shifts planned from last year's peak volume), prepare answers to the campaign's rules, and let the bot take the coupon questions |
| chats convert, within hours | train agents on product knowledge; invite hesitating visitors to chat; report conversion with its window |
| orders placed on peak days often miss the shipping promise | plan warehouse capacity (temporary packers, pre-packed best-sellers) with the campaign calendar; tell customers about a delay before they ask |
| after-sales tickets missing 24 h / 48 h | a queue with a timer and an alert before a ticket breaches; complaints go to a senior agent |
| one reason dominates a category's returns (here: size) | on apparel pages, a size guide with model height and weight and how the cut fits; a size question in the chat script; then watch the monthly rate, as in this lesson, to prove the fix worked |
| recurring requests in the logs ("a smaller pack, please") | pass them to the product team every month: service data is customer research |
""")
    b.md("""
## Recap

- Service has three moments: before (questions and conversion), during (shipping and tracking) and
  after the sale (returns and complaints); each has a measurable promise.
- Medians and 90th percentiles of response time, against a target, per handler; the bot should take
  most routine questions.
- Peak days break the service when staffing does not follow the calendar, and slow answers are
  rated lower.
- Chat-to-order conversion needs a stated window, because pre-sale chats have no order id.
- Return rates use units *sold* (paid or refunded orders); a Pareto shows which reason to fix first;
  a step in the monthly rate dates a fix and measures its effect.

**Next:** `02_products/01_selection.ipynb`: which products to sell, and when.
""")
    return b


def main() -> None:
    retention_lesson().write(HERE / "03_retention_loyalty.ipynb")
    service_lesson().write(HERE / "04_service.ipynb")


if __name__ == "__main__":
    main()
