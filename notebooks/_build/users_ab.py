"""Build notebooks/01_users/01_segmentation.ipynb and 02_growth.ipynb (committed without outputs).

Run from the repository root: ``.venv/bin/python notebooks/_build/users_ab.py``.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))  # _nbtools.py sits beside this script
from _nbtools import Notebook

OUT_DIR = Path(__file__).resolve().parents[1] / "01_users"


# =================================================================================================
# 01_segmentation
# =================================================================================================

def segmentation() -> Notebook:
    nb = Notebook()
    md, code = nb.md, nb.code

    md("""
# 01 · Users 1: segmentation, and a different touch for each segment

**The responsibility:** user operations (用户运营) starts with knowing who the customers are.
The operator splits them into groups by what they do (用户分层, customer segmentation) and gives
each group the touch (触达) it needs, instead of one message and one coupon for everybody.

**After this lesson you can**

- put every customer in a lifecycle stage (用户生命周期): prospect, new, active, high-value,
  lapsing or dormant;
- sort the last 90 days' buyers into first-time (首购客), repeat (复购客) and loyal (忠诚客)
  customers;
- compute recency, frequency and monetary value (RFM 模型) by hand in pandas and read the named
  RFM segments;
- show how much of the revenue the best segment brings, and why one offer for everyone wastes
  budget;
- pick the touch for each segment: a welcome coupon, a time-limited discount, a win-back gift.

About 35 minutes.
""")

    code('''
DATA = "demo"  # shop folder with one file per table, or "demo" for the shipped demo shop
AS_OF = ""  # moment of the analysis, YYYY-MM-DD; empty: the day after the last order
DORMANT_DAYS = 180  # days without a paid order after which a customer counts as dormant
WINDOW_DAYS = 90  # length in days of the purchase-tier window (the last 90 days)
LOYAL_MIN = 3  # paid orders in the window that make a customer loyal
RFM_BINS = 5  # score levels of R, F and M in the RFM grid (the named segments always use 5)
''', tags=["parameters"])

    md("""
The cell above holds the lesson's **parameters**: change them and re-run to study another moment,
another dormancy threshold or another shop. The next cell loads the shop, fixes the moment of the
analysis, `as_of`, and keeps the **paid orders placed before it** in `paid`: every count in this
lesson starts from them. Nothing below names a date, a customer or a figure from the data.
""")

    code('''
import ipywidgets as widgets
import matplotlib.pyplot as plt
import pandas as pd
from IPython.display import display

from playbook_lib import exercises, plots, users
from playbook_lib.data import load_dataset
from playbook_lib.exercises import ____
from playbook_lib.exercises.users_segmentation import default_as_of, touch_budget

plots.use_theme()
ds = load_dataset(DATA)
orders = ds.orders
customers = ds.customers if "customers" in ds.tables else None
as_of = pd.Timestamp(AS_OF) if AS_OF else default_as_of(orders)
paid = orders[(orders["status"] == "paid") & (orders["order_ts"] < as_of)]
print(f"Shop: {ds.source}    as of {as_of:%Y-%m-%d}")
print(f"{paid['customer_id'].nunique():,} paying customers, {len(paid):,} paid orders before it")
''')

    md("""
## 1. Why segment

A shop's customers are not one crowd. Someone who signed up yesterday, someone who orders every
fortnight and someone who has not been back for a year need different things, and the operator's
first job in user operations is to tell them apart from their behaviour. The usual layers are
**new** (新用户), **active** (活跃用户), **high-value** (高价值用户) and **dormant** (沉睡用户)
customers. A second, simpler cut looks only at the last 90 days: how often did each buyer order
in that window, once (first-time, 首购客), again (repeat, 复购客) or again and again (loyal, 忠诚客)?

Each layer then gets its own touch:

- **new customers**: a welcome message with a new-customer coupon and a personal guide from
  customer service, so that the first order comes quickly;
- **active customers**: time-limited discounts on what they already buy;
- **high-value customers**: recognition rather than discounts: a birthday treat, early access to
  new products, a dedicated service line;
- **customers going quiet**: an exclusive coupon and a reminder before they drift away;
- **dormant customers**: a "welcome back" gift (回归礼) or a call from customer service.

The reason is money. A blanket campaign (一刀切) hands the same discount to people who would
have bought anyway and to people it is too small to bring back. Segmenting puts the budget where
it changes behaviour.

It is also urgent: new customers slip away fast. Repurchase after the first order is often below
20 %, and one mother-and-baby brand found that 60 % of its new customers bought nothing more in
the three months after their first order. Segments are how the operator spots those customers
while a touch can still bring them back.
""")

    # --- 2. lifecycle -----------------------------------------------------------------------------
    md("""
## 2. Lifecycle stages

`users.lifecycle_stages` puts every customer in one stage at `as_of`. The first rule that
matches wins:

| stage | 中文 | rule |
|---|---|---|
| `prospect` | 注册未购 | signed up, never paid (needs the customers table) |
| `new` | 新用户 | first paid order in the last 30 days |
| `dormant` | 沉睡用户 | no paid order in the last `DORMANT_DAYS` days, however much they once spent |
| `high_value` | 高价值用户 | total spend in the top 10 % of buyers |
| `active` | 活跃用户 | a paid order in the last `WINDOW_DAYS` days |
| `lapsing` | 沉默预警 | the rest: last order between `WINDOW_DAYS` and `DORMANT_DAYS` days ago |

`users.segment_summary` then counts each stage's customers and revenue (their total
`net_amount` before `as_of`), with the shares of the whole.
""")

    code('''
stages = users.lifecycle_stages(orders, customers, as_of=as_of, dormant_days=DORMANT_DAYS,
                                active_days=min(WINDOW_DAYS, DORMANT_DAYS))
stage_summary = users.segment_summary(stages, segment_col="stage")
stage_summary.round(3)
''')

    md("""
The chart sets each stage's share of customers beside its share of revenue. Bars of very
different lengths are the point of segmenting: the groups are not worth the same.
""")

    code('''
ax = plots.segment_bar(stage_summary)
ax.set_title("Lifecycle stages: share of customers and of revenue");
''')

    code('''
hv = stage_summary.loc["high_value"]
dormant = stage_summary.loc["dormant"]
print(f"High-value customers: {hv['customer_share']:.1%} of customers, "
      f"{hv['revenue_share']:.1%} of all revenue so far.")
print(f"Dormant customers: {dormant['customer_share']:.1%} of customers; they brought "
      f"{dormant['revenue_share']:.1%} of the revenue, none of it in the last {DORMANT_DAYS} days.")
''')

    md("""
How to read it: the high-value stage is small but carries a large part of the revenue, so losing
one of them costs as much as losing many ordinary customers. The dormant stage is large; part of
it is worth a win-back offer (those who used to spend), the rest is not worth much budget.
Prospects have signed up but never paid: the new-customer gift pack is for them.

Now count the dormant customers yourself. First, bind this lesson's exercises to the shop and the
parameters:
""")

    code('''
q1, q2, q3, q4, q5, q6 = exercises.setup("01_users/01_segmentation", ds, as_of=as_of,
                                          dormant_days=DORMANT_DAYS, window_days=WINDOW_DAYS,
                                          loyal_min=LOYAL_MIN)
''')

    nb.exercise(1, """
### Exercise 1: dormant customers

A customer is **dormant** (沉睡用户) when they have bought before but their last paid order is
more than `DORMANT_DAYS` days before `as_of`. From `paid`, find each customer's last order time,
then count the customers whose last order is older than `as_of - pd.Timedelta(days=DORMANT_DAYS)`.
Store the count in `n_dormant`.
""", """
n_dormant = ____  # customers whose last paid order is older than the threshold
""", "n_dormant")

    md("""
### How many days make a customer dormant?

There is no universal threshold: a shop selling coffee beans sees its regulars every few weeks, a
shop selling sofas every few years. Move the slider to see how the dormant share changes with the
threshold (`users.dormant_share`).
""")

    code('''
def show_dormant(days):
    result = users.dormant_share(orders, as_of, days)
    print(f"{result.dormant:,} of {result.customers:,} customers ({result.share:.1%}) "
          f"have not bought for {days} days")


display(widgets.interactive(show_dormant, days=widgets.IntSlider(
    value=min(max(DORMANT_DAYS, 30), 720), min=30, max=720, step=30, description="days")))
''')

    md("""
The same function at every threshold from 30 days to about two years, for the printed report:
""")

    code('''
thresholds = sorted({*range(30, 721, 30), DORMANT_DAYS})
dormancy = pd.concat([users.dormant_share(orders, as_of, d).to_frame() for d in thresholds])
dormancy = dormancy.set_index("threshold_days")[["customers", "dormant", "share"]]
ax = dormancy["share"].plot(marker="o", figsize=(9, 3.5))
ax.axvline(DORMANT_DAYS, color="grey", linestyle="--")
ax.set(xlabel="days without a paid order", ylabel="share of customers",
       title="Dormant share by threshold (dashed: DORMANT_DAYS)")
ax.yaxis.set_major_formatter("{x:.0%}")
dormancy.loc[sorted({60, 90, 180, 365, DORMANT_DAYS} & set(dormancy.index))].round(3)
''')

    md("""
Where to set it? Look at the shop's own rhythm: the gaps between two consecutive paid orders of
the same customer. A customer who has been silent for longer than almost every normal gap is
probably not just between two orders. The 90th percentile of the gaps is a sound first threshold;
a shorter one raises false alarms, a much longer one notices the departure too late to act.
""")

    code('''
gaps = paid.sort_values("order_ts").groupby("customer_id")["order_ts"].diff().dt.days.dropna()
print(f"Days between two paid orders of the same customer: median {gaps.median():.0f}, "
      f"90th percentile {gaps.quantile(0.9):.0f}, 95th percentile {gaps.quantile(0.95):.0f}.")
print(f"DORMANT_DAYS is {DORMANT_DAYS}: {(gaps <= DORMANT_DAYS).mean():.0%} of the gaps are "
      f"that short or shorter.")
''')

    # --- 3. purchase tiers ------------------------------------------------------------------------
    md("""
## 3. Purchase tiers in the last 90 days

The lifecycle looks at the whole history. The purchase tiers look only at the window of the last
`WINDOW_DAYS` days, and at how often each buyer ordered in it (`users.purchase_tiers`):

| tier | 中文 | rule |
|---|---|---|
| `first_time` | 首购客 | one paid order in the window, and it was their first ever |
| `returning` | 回头客 | one paid order in the window, but they had bought before it |
| `repeat` | 复购客 | two or more orders in the window, fewer than `LOYAL_MIN` |
| `loyal` | 忠诚客 | `LOYAL_MIN` or more orders in the window |

The seed's three tiers are first-time, repeat and loyal; the library adds `returning` so that an
old customer's single order is not mistaken for a first purchase. Revenue here is the spend
*in the window*.
""")

    code('''
tiers = users.purchase_tiers(orders, as_of=as_of, window_days=WINDOW_DAYS, loyal_min=LOYAL_MIN)
tier_summary = users.segment_summary(tiers, segment_col="tier", monetary_col="spend_in_window")
tier_summary.round(3)
''')

    code('''
loyal = tier_summary.loc["loyal"]
first = tier_summary.loc["first_time"]
print(f"Loyal buyers are {loyal['customer_share']:.1%} of the window's buyers and spent "
      f"{loyal['revenue_share']:.1%} of its revenue; first-time buyers: "
      f"{first['customer_share']:.1%} and {first['revenue_share']:.1%}.")
''')

    md("""
First-time buyers are the ones to turn into repeat buyers while the first order is fresh; loyal
buyers are the ones to keep, not to discount.
""")

    nb.exercise(2, """
### Exercise 2: loyal customers

Count the **loyal** customers (忠诚客): `LOYAL_MIN` or more paid orders in the last `WINDOW_DAYS`
days before `as_of`. Keep the window's paid orders, count orders per customer, then count the
customers at or above `LOYAL_MIN`. Store the count in `n_loyal`.
""", """
window = ____  # the paid orders of the last WINDOW_DAYS days
n_loyal = ____
""", "n_loyal")

    # --- 4. RFM -----------------------------------------------------------------------------------
    md("""
## 4. RFM: recency, frequency, monetary value

The most used segmentation in e-commerce rests on three facts per customer, each a strong sign
of whether they will buy again:

- **R**ecency (最近一次消费): how many days since their last paid order (fewer is better);
- **F**requency (消费频率): how many paid orders they placed;
- **M**onetary value (消费金额): how much they spent in total.

Recency counts **calendar days**: an order placed yesterday at 23:00 is 1 day old at midnight
today, not 0. Build the RFM table yourself first; the library's version follows.
""")

    nb.exercise(3, """
### Exercise 3: the RFM table by hand

Build `rfm_by_hand`: one row per customer (index `customer_id`) with the columns `recency_days`,
`frequency` and `monetary`, from `paid`. Group once by `customer_id`; for recency take the day of
the last order with `.dt.normalize()` and subtract it from `as_of`.
""", """
g = paid.groupby("customer_id")
last_order = ____  # each customer's last order time
recency_days = ____  # calendar days from the day of the last order to as_of
frequency = ____  # paid orders per customer
monetary = ____  # their total net_amount
rfm_by_hand = ____  # the three in one DataFrame: pd.DataFrame({"recency_days": ..., ...})
""", "rfm_by_hand")

    md("""
The library computes the same table with `users.rfm_table`. Then `users.rfm_scores` turns each
column into a score from 1 to `RFM_BINS` in groups of equal size (quantile scores, 分位打分):
the most recent, most frequent and biggest spenders score highest.
""")

    code('''
rfm = users.rfm_table(orders, as_of)
scores = users.rfm_scores(rfm, bins=RFM_BINS)
scores.describe().round(1)
''')

    md("""
The **RFM grid** counts customers in each (R score, F score) cell: top right are the customers
who bought recently and often, bottom left those who bought once, long ago. With five levels the
chart also outlines the named segments below.
""")

    code('''
ax = plots.rfm_grid(users.rfm_grid_table(scores))
''')

    md("""
### Named RFM segments

`users.rfm_segments` names each customer's segment from the R and F scores on the 1-5 grid
(`users.RFM_SEGMENTS` lists the cells of each). The names are the trade's:

| segment | 中文 | who |
|---|---|---|
| `champions` | 重要价值客户 | bought very recently and often |
| `loyal` | 忠诚客户 | buy often, fairly recently |
| `potential_loyalist` | 潜力客户 | recent, a few orders |
| `new`, `promising` | 新客户, 有希望客户 | a single recent order |
| `need_attention` | 需关注客户 | middling on both |
| `about_to_sleep` | 即将沉睡 | fading, few orders |
| `at_risk` | 流失风险 | used to buy often, not lately |
| `cant_lose` | 不能失去 | the best customers, gone quiet |
| `hibernating`, `lost` | 沉睡客户, 流失客户 | long gone, few orders |

The names need five score levels, so `segments` always uses `bins=5`, whatever `RFM_BINS` is.
""")

    code('''
scores5 = scores if RFM_BINS == 5 else users.rfm_scores(rfm, bins=5)
segments = users.rfm_segments(scores5)
segments[["recency_days", "frequency", "monetary", "r_score", "f_score", "m_score",
          "segment"]].head()
''')

    md("""
A note on the small `new` and `promising` cells: in most shops many customers ordered exactly
once. Quantile scores must still cut them into groups of equal size, so customers with the same
single order land on neighbouring F scores (ties are split by customer id), and few of them end
up with F = 1 *and* a recent order. For onboarding new customers, use the lifecycle stage `new`
or the tier `first_time`; RFM is at its best for ranking the customers who have a history.
""")

    nb.exercise(4, """
### Exercise 4: segment sizes

How many customers does each named segment hold? Build a Series `segment_sizes` from
`segments["segment"]`, one entry per segment.
""", """
segment_sizes = ____
""", "segment_sizes")

    nb.exercise(5, """
### Exercise 5: the top segment's share of revenue

What **share of all revenue** comes from the `champions` (重要价值客户)? Revenue is the
`monetary` column of `segments`. Give a fraction between 0 and 1 in `top_share`.
""", """
champions = segments["segment"] == "champions"
top_share = ____
""", "top_share")

    nb.exercise(6, """
### Exercise 6: how much more than their share?

Divide the champions' share of revenue by their share of customers, and store it in
`top_ratio`. A value of 1 would mean they spend like everybody else.
""", """
top_ratio = ____
""", "top_ratio")

    md("""
The library's summary of every segment, and the chart: customer share against revenue share.
""")

    code('''
segment_table = users.segment_summary(segments)
champ = segment_table.loc["champions"]
print(f"Champions: {int(champ['customers']):,} customers ({champ['customer_share']:.1%}) bring "
      f"{champ['revenue_share']:.1%} of the revenue, "
      f"{champ['revenue_share'] / champ['customer_share']:.1f} times their share.")
ax = plots.segment_bar(segment_table)
segment_table.round(3)
''')

    md("""
This is the story of the demo shop's customer base, and of most real ones: a small group of
recent, frequent buyers carries a share of the revenue several times its size, while large
segments of one-order customers who left long ago carry little. A budget split evenly over the customers would be split very
unevenly over the revenue.
""")

    # --- 5. one size fits all ---------------------------------------------------------------------
    md("""
## 5. Why one offer for everyone wastes budget

A coupon costs money only when it is used, and customers use it when they buy. So the first
question is: **how likely is each stage to buy anyway?** The data can answer it. Go back
`WINDOW_DAYS` days, put every customer in the stage they were in then, and count the share who
bought in the `WINDOW_DAYS` days that followed, with the shop's usual marketing and no special
offer. That share is each stage's **take-up** (使用率): the share of an offer that would be used.
""")

    code('''
back = as_of - pd.Timedelta(days=WINDOW_DAYS)
stages_then = users.lifecycle_stages(orders, customers, as_of=back, dormant_days=DORMANT_DAYS,
                                     active_days=min(WINDOW_DAYS, DORMANT_DAYS))
bought_since = set(paid.loc[paid["order_ts"] >= back, "customer_id"])
stages_then["bought_next"] = stages_then.index.isin(bought_since)
take_up = stages_then.groupby("stage", observed=False)["bought_next"].mean()
take_up.index = take_up.index.astype(str)
take_up = take_up.fillna(stages_then["bought_next"].mean())  # a stage empty back then
print(f"Stages on {back:%Y-%m-%d}; share who bought in the next {WINDOW_DAYS} days:")
take_up.round(3)
''')

    md("""
Now a worked comparison on today's customers. **Plan A** gives everybody the same coupon.
**Plan B** gives each stage its own offer: a bigger first-order coupon for prospects, a welcome
coupon for new customers, a small time-limited discount for active ones, no discount at all for
high-value customers (they get a birthday gift and early access instead, outside this sum), an
exclusive coupon for lapsing customers and a win-back gift for dormant ones. The offer values are
**assumptions**: edit them. The customer counts and the take-up come from the data; each plan's
expected cost is customers x take-up x offer value (`touch_budget`).
""")

    code('''
COUPON_FOR_ALL = 20.0  # yuan: plan A, the same coupon for everybody
OFFER = {  # yuan: plan B, each stage's own offer (assumptions to edit)
    "prospect": 30.0,    # new-customer gift pack: a first-order coupon
    "new": 20.0,         # welcome coupon, plus a guide from customer service
    "active": 5.0,       # small, time-limited discount on what they buy anyway
    "high_value": 0.0,   # no discount: birthday gift and early access instead
    "lapsing": 20.0,     # exclusive coupon with an SMS reminder
    "dormant": 30.0,     # win-back gift (回归礼); a call for the best of them
}
budget = touch_budget(stage_summary["customers"], OFFER, blanket_cost=COUPON_FOR_ALL,
                      take_up=take_up)
budget.round(3)
''')

    code('''
regulars = budget.loc[["active", "high_value"]]
quiet = budget.loc[[s for s in ("prospect", "lapsing", "dormant") if s in budget.index]]
total = budget.loc["total"]
print(f"Plan A: {total['blanket_cost']:,.0f} yuan expected. "
      f"{regulars['blanket_cost'].sum() / total['blanket_cost']:.0%} of it goes to active and "
      f"high-value customers, who bought at rates of {regulars['take_up'].min():.0%}"
      f"-{regulars['take_up'].max():.0%} with no such coupon.")
print(f"Plan A spends {quiet['blanket_cost'].sum() / total['blanket_cost']:.0%} on prospects, "
      f"lapsing and dormant customers, who are {quiet['customers'].sum() / total['customers']:.0%} "
      f"of the customers; plan B spends {quiet['targeted_cost'].sum() / total['targeted_cost']:.0%}"
      f" of its budget there.")
print(f"Plan B: {total['targeted_cost']:,.0f} yuan expected.")
''')

    md("""
The blanket coupon is at once too generous and too weak. Most of it is used by customers who were
going to order anyway, so it pays a discount on sales the shop already had. The customers it
should win, the prospects and the lapsing and dormant ones, rarely use it, because a small coupon
is not what brings them back. Plan B moves the money: nothing off for high-value customers, a
token for active ones, and a real incentive where a purchase would otherwise not happen. Whether
the bigger offers earn their cost is then measured per stage (section 6).
""")

    # --- 6. in practice ---------------------------------------------------------------------------
    md("""
## 6. In practice: a touch for each segment

| segment (lifecycle / RFM) | the touch | what to measure |
|---|---|---|
| prospect (注册未购) | new-customer gift pack (新人专享礼包), a first-order coupon | first-order conversion |
| new / first-time (新用户, 首购客) | welcome SMS with a coupon, a personal guide from customer service; a useful insert in the parcel; a threshold offer ("100 off 20") to lift the first order | second order within 30-90 days |
| active / repeat (活跃用户, 复购客) | time-limited discounts, "the item you viewed is cheaper now", "you may like this new product" | repurchase rate, order value |
| high-value / champions / loyal (高价值用户, 忠诚客) | recognition, not discounts: birthday gift, early access to new products, dedicated service | retention, share of revenue |
| lapsing / about to sleep (沉默预警) | an exclusive coupon plus an SMS reminder, before they go dormant | reactivation rate |
| dormant / at risk / can't lose (沉睡用户) | a win-back gift (回归礼) or a call from customer service; start with `cant_lose`, who used to spend most | win-back rate, cost per win-back |
| lost / hibernating | cheap channels only (SMS), or leave them out | cost |

Three habits make it work:

1. **Run the segmentation every month** on the same rules (this notebook with `AS_OF` set to the
   month's end is the report) and watch the flows: how many new customers became repeat buyers,
   how many active customers slid to lapsing.
2. **Keep a holdout.** Leave a small random part of each segment untouched; the difference in
   their orders is what the touch earned (the A/B test lesson shows how to read it).
3. **Close the loop.** Read what customers say, in service chats and in review keywords, and turn
   repeated complaints into product or service fixes; a segment that keeps leaving is telling you
   something.
""")

    md("""
## Recap

- Segmenting (用户分层) sorts customers by behaviour so that each group gets the touch it needs;
  one offer for everybody (一刀切) pays for sales you had anyway and is too weak where it matters.
- Lifecycle stages: prospect, new, active, high-value, lapsing, dormant; the dormancy threshold is
  a choice: read the curve.
- Purchase tiers count orders in the last 90 days: first-time 首购客, repeat 复购客, loyal 忠诚客.
- RFM = recency (calendar days since the last paid order), frequency (paid orders), monetary
  (their spend); scores and the R x F grid name the segments.
- The top segment, the champions, brings a share of revenue several times its share of customers.

**Next:** `01_users/02_growth.ipynb`: where new customers come from, and what a refer-a-friend
programme (老带新) really costs.
""")
    return nb


# =================================================================================================
# 02_growth
# =================================================================================================

def growth() -> Notebook:
    nb = Notebook()
    md, code = nb.md, nb.code

    md("""
# 01 · Users 2: growth, new customers and the refer-a-friend programme

**The responsibility:** user growth (用户增长). The operator keeps new customers coming through
several channels (多渠道拉新), runs sharing mechanics such as refer-a-friend (老带新), and removes
the friction between "interested" and "signed up".

**After this lesson you can**

- count new customers (新客) by acquisition channel and read how the mix moves over the months;
- read a refer-a-friend programme as a funnel: invitations, sign-ups, first orders;
- compute its K-factor (裂变系数) and the cost of each customer it brings, both rewards included;
- compare that cost with what paid channels charge per new customer (获客成本, CAC);
- explain how a shorter sign-up form and one-tap login raise conversion, with a what-if.

About 30 minutes.
""")

    code('''
DATA = "demo"  # shop folder with one file per table, or "demo" for the shipped demo shop
MONTH = ""  # month to study, YYYY-MM; empty: the latest full month in the data
REFERRAL_CHANNEL = "referral"  # acquisition_channel value of customers who came by invitation
SIGNUP_UPLIFT = 0.2  # what-if: relative rise of the sign-up rate from a shorter form (0.2 is +20%)
FIRST_ORDER_UPLIFT = 0.2  # what-if: relative rise of the first-order rate from one-tap login
''', tags=["parameters"])

    md("""
The cell above holds the lesson's **parameters**. The next cell loads the shop's customers, orders
and referrals and picks the month. Nothing below names a date, a channel's figure or a customer:
it is all computed from the data.
""")

    code('''
import matplotlib.pyplot as plt
import pandas as pd
from IPython.display import display

from playbook_lib import exercises, metrics, plots, users
from playbook_lib.data import load_dataset
from playbook_lib.exercises import ____
from playbook_lib.exercises.users_growth import new_customers_table, referral_what_if

plots.use_theme()
ds = load_dataset(DATA)
orders, customers, referrals = ds.orders, ds.customers, ds.referrals
month = str(metrics.parse_month(MONTH)) if MONTH else metrics.latest_full_month(ds)
first_month = orders["order_ts"].min().to_period("M")
print(f"Shop: {ds.source}    data from {first_month}    lesson month: {month}")
print(f"{len(customers):,} customers, {len(referrals):,} referral invitations")
''')

    md("""
## 1. Why growth needs more than ads

Growth is one of the numbers an operator is judged on, and it has become expensive. Platform
traffic no longer grows by itself, algorithms change, and more of it has to be bought: the seed
quotes a beauty brand whose cost per new customer rose from 30 to 80 yuan in three years.
Attention has also scattered: one apparel brand saw its WeChat private-domain (私域) traffic fall
from 40 % to 25 % of the total in two years while Xiaohongshu seeding traffic (种草) rose from 15 %
to 35 %. So the operator:

- **watches the channel mix** every month and moves money to the channels that bring customers
  cheaply;
- **builds sharing mechanics** (裂变) such as **refer-a-friend** (老带新): an existing customer
  invites a friend, the friend gets a coupon for signing up, and when the friend places a first
  order both get an extra reward. Offline, a shop can do the same with "scan the code to follow
  and get a gift" at the till;
- **removes friction at the door**: fewer required fields on the sign-up form and one-tap login
  (一键登录) turn more of the interested visitors into customers; ads targeted on browsing
  history bring better-matched visitors.
""")

    # --- 2. new customers by channel ----------------------------------------------------------------
    md("""
## 2. New customers by channel

A **new customer** here is a customer who **signed up**; their channel is the customers table's
`acquisition_channel`. `users.new_customers_by_channel` counts them per month and channel (it can
also count first paid orders from the orders table). The helper `new_customers_table` turns that
into a month x channel table, from the first month of orders (customers who signed up earlier are
the shop's existing base) to the lesson month.
""")

    code('''
new_by_month = new_customers_table(customers, start=first_month, end=month)
new_by_month.tail(6)
''')

    code('''
order = new_by_month.sum().sort_values(ascending=False).index  # the biggest channel at the bottom
ax = new_by_month[order].rename(index=str).plot(kind="bar", stacked=True, figsize=(10, 4),
                                                width=0.85)
ax.set(xlabel="month", ylabel="new customers", title="New customers per month by channel")
ax.legend(title="channel", loc="center left", bbox_to_anchor=(1.0, 0.5));
''')

    md("""
The mix moves. Compare each channel's share of new customers in the first and in the last six
months of the table:
""")

    code('''
half = min(6, len(new_by_month) // 2)
early, late = new_by_month.head(half).sum(), new_by_month.tail(half).sum()
mix = pd.DataFrame({"first_months_share": early / early.sum(),
                    "last_months_share": late / late.sum()})
mix["change"] = mix["last_months_share"] - mix["first_months_share"]
mix.sort_values("change").round(3)
''')

    md("""
A channel whose share grows is either getting better or getting more money; one whose share falls
is either saturating or being starved. The next step (the channels lesson) sets each channel's
share against its cost. Now count one month yourself. First, bind the exercises:
""")

    code('''
q1, q2, q3, q4, q5 = exercises.setup("01_users/02_growth", ds, month=month,
                                     referral_channel=REFERRAL_CHANNEL)
''')

    nb.exercise(1, """
### Exercise 1: the month's new customers by channel

From `customers`, keep those who **signed up** in `month` (format `signup_ts` as `"%Y-%m"` and
compare), then count them by `acquisition_channel`. Store the Series in `new_in_month`.
""", """
signed = ____  # customers who signed up in the month
new_in_month = ____
""", "new_in_month")

    # --- 3. refer a friend --------------------------------------------------------------------------
    md("""
## 3. The refer-a-friend programme (老带新)

In the demo shop the referral channel is not there from the start: the programme was launched
during the period, and the data tell when. The `referrals` table has one row per
**invitation**: who invited (`referrer_id`), when (`invited_ts`), and, if the friend signed up,
who they are (`invitee_id`, `signed_up_ts`), their first order (`first_order_id`), and the value
of the rewards granted for that invitation (`reward_value`).
""")

    code('''
referrals.head()
''')

    code('''
if REFERRAL_CHANNEL in new_by_month.columns:
    ax = new_by_month[REFERRAL_CHANNEL].rename(index=str).plot(kind="bar", figsize=(10, 3),
                                                               color="C2")
    ax.set(xlabel="month", ylabel="new customers",
           title=f"New customers through {REFERRAL_CHANNEL!r}")
else:
    print(f"No customer came through {REFERRAL_CHANNEL!r} up to {month}.")
''')

    nb.exercise(2, """
### Exercise 2: when did the programme start?

Find the first month in which the channel `REFERRAL_CHANNEL` brought a new customer. Give it as
text, `'YYYY-MM'`, in `start_month`.
""", """
referred = ____  # the customers who came through REFERRAL_CHANNEL
start_month = ____
""", "start_month")

    md("""
Check it against the programme's own records: the first invitation should fall in the same month.
""")

    code('''
print(f"First invitation: {referrals['invited_ts'].min():%Y-%m-%d %H:%M}; first referred "
      f"sign-up: {referrals['signed_up_ts'].min():%Y-%m-%d %H:%M}")
''')

    md("""
### The funnel

Like any conversion path, the programme is a funnel (转化漏斗): invitations sent, friends who
signed up, friends who placed a first order. Each step loses people, and each loss is a lever.
From here on the figures cover the programme to date: the whole `referrals` table, whatever
`MONTH` is.
""")

    nb.exercise(3, """
### Exercise 3: the programme's funnel

Build a Series `funnel` with three entries: `invitations` (rows of `referrals`), `sign_ups`
(rows with a `signed_up_ts`) and `first_orders` (rows with a `first_order_id`).
""", """
invitations = ____
sign_ups = ____
first_orders = ____
funnel = ____  # the three in one Series: pd.Series({"invitations": ..., ...})
""", "funnel")

    md("""
### K-factor (裂变系数)

The **K-factor** measures how many new paying customers each inviting customer brings. The kit
uses: **K = first orders of invited friends / customers who sent at least one invitation**
(distinct `referrer_id`). It is the product of two things an operator can work on: invitations
per inviter, and the share of invitations that end in a first order. With K above 1 each new
customer brings in more than one more and the programme grows by itself; below 1 it adds
customers but has to be fed by other channels.
""")

    nb.exercise(4, """
### Exercise 4: the K-factor

Compute the K-factor: first orders (rows with a `first_order_id`) divided by the number of
**distinct** inviting customers. Store it in `k_factor`.
""", """
k_factor = ____
""", "k_factor")

    md("""
### What does a referred customer cost?

Both sides are paid. The friend gets a coupon at sign-up, the inviter a reward after the friend's
first order; `reward_value` records both. Some friends sign up, take the coupon and never order,
so the cost of each customer the programme really acquired is **all the rewards divided by the
first orders**.
""")

    nb.exercise(5, """
### Exercise 5: cost per acquired customer

Add up `reward_value` over every invitation and divide by the number of first orders. Store the
result in `cost_per_new` (yuan).
""", """
cost_per_new = ____
""", "cost_per_new")

    md("""
`users.referral_summary` gives the whole funnel at once: the counts, the rates between the steps,
the K-factor and the cost per acquired customer.
""")

    code('''
summary = users.referral_summary(referrals)
summary.T.round(3)
''')

    code('''
s = summary.loc["all"]
print(f"{s['invitations']:,.0f} invitations -> {s['sign_ups']:,.0f} sign-ups "
      f"({s['sign_up_rate']:.0%}) -> {s['first_orders']:,.0f} first orders "
      f"({s['first_order_rate']:.0%} of sign-ups).")
print(f"{s['active_referrers']:,.0f} customers invited someone, {s['invitations_per_referrer']:.1f} "
      f"invitations each: K-factor {s['k_factor']:.2f}, cost per acquired customer "
      f"{s['cost_per_acquired_customer']:.1f} yuan.")
''')

    md("""
Month by month (`freq="M"`, by the month of the invitation). A month's K-factor divides by the
customers who invited someone *in that month*. It comes out lower than the figure for the whole
programme, because in one month each inviter has sent only a few of their invitations: compare
K-factors only over windows of the same length.
""")

    code('''
monthly = users.referral_summary(referrals, freq="M")
fig, ax = plt.subplots(figsize=(10, 4))
monthly[["invitations", "sign_ups", "first_orders"]].rename(index=str).plot(kind="bar", ax=ax,
                                                                           width=0.8)
ax.set(xlabel="month of invitation", ylabel="count", title="Refer-a-friend, month by month")
ax2 = ax.twinx()
ax2.plot(range(len(monthly)), monthly["k_factor"], color="black", marker="o", label="K-factor")
ax2.set_ylabel("K-factor")
ax2.set_ylim(0, max(1.1, float(monthly["k_factor"].max()) * 1.1))
ax2.grid(False)
ax2.legend(loc="upper right");
''')

    md("""
### Against the paid channels

Is that cheap? The paid channels' **customer acquisition cost** (获客成本, CAC) is their spend
divided by the customers they brought. To compare like with like, the programme's cost is shown
both per sign-up (the same basis as the channels) and per first order.
""")

    code('''
if "marketing_spend" in ds.tables:
    spend = ds.marketing_spend.groupby("channel")["spend"].sum()
    won = customers[customers["signup_ts"] >= first_month.start_time]
    won = won.groupby("acquisition_channel").size()
    cac = (spend / won).dropna().rename("cac_per_sign_up").to_frame()
    cac.loc[f"{REFERRAL_CHANNEL} (rewards)"] = s["reward_cost"] / s["sign_ups"]
    print(f"Refer-a-friend per first order: {s['cost_per_acquired_customer']:.1f} yuan")
    display(cac.sort_values("cac_per_sign_up").round(1))
else:
    print("No marketing_spend table in this shop: nothing to compare with.")
''')

    # --- 4. friction --------------------------------------------------------------------------------
    md("""
## 4. Friction at the door: shorter forms, one-tap login

Every required field on a sign-up form and every extra step before the first payment loses some
of the people who got that far. Two levers are standard:

- **a shorter sign-up form**: ask for a phone number, not an address, a birthday and a survey;
  collect the rest later, when it is needed;
- **one-tap login** (一键登录): sign in with the phone number the device already knows or with the
  platform account, so a friend who taps an invitation link lands in a shop where they are
  already logged in, with the coupon waiting.

`referral_what_if` estimates what a rise in either rate would give with the same invitations,
and with the rewards per invitation the data show: a sign-up without an order still costs the
friend's coupon, a first order costs both rewards.
""")

    code('''
scenarios = {
    "today": (0.0, 0.0),
    f"shorter form: sign-up rate +{SIGNUP_UPLIFT:.0%}": (SIGNUP_UPLIFT, 0.0),
    f"one-tap login: first-order rate +{FIRST_ORDER_UPLIFT:.0%}": (0.0, FIRST_ORDER_UPLIFT),
    "both": (SIGNUP_UPLIFT, FIRST_ORDER_UPLIFT),
}
what_if = referral_what_if(referrals, scenarios)
what_if[["sign_ups", "first_orders", "k_factor", "reward_cost",
         "cost_per_acquired_customer"]].round(2)
''')

    md("""
How to read it: a better sign-up rate brings more customers for the same invitations, but each
costs about the same, because every extra sign-up also receives a coupon. A better first-order
rate turns coupons already granted into customers, so the cost per customer falls. That is why
operators watch the step *after* sign-up as closely as the sign-up itself.
""")

    # --- 5. in practice -----------------------------------------------------------------------------
    md("""
## 5. In practice

- **Read the programme as a channel.** Put its cost per acquired customer beside the paid
  channels' CAC every month. If it costs more than the cheapest paid channels, it has to earn its
  place with better customers (check their repurchase in the next lesson) or get cheaper.
- **K below 1 is normal.** Few programmes grow by themselves. Raise it at the two factors:
  more inviters (ask at the moments customers are happiest: after delivery, after a five-star
  review, in the private-domain groups) and better conversion of invitations.
- **Pay for customers, not for sign-ups.** A friend's coupon that is only usable on a first order
  over a threshold, and an inviter's reward paid after the friend's order (and after the return
  window), keep the cost tied to real customers.
- **Remove friction**: the shortest possible form, one-tap login, the coupon already in the
  friend's account when they land.
- **Guard against abuse**: one reward per phone number and device, no self-referrals; review the
  top inviters each month.
- **Offline counts too**: a QR code at the till ("scan to follow, get a gift") turns store visitors
  into online customers you can reach again.
""")

    md("""
## Recap

- New customers come from several channels; count them by `acquisition_channel` per month and
  watch the mix, because acquisition is getting dearer and attention is scattering.
- Refer-a-friend (老带新) is a funnel: invitations -> sign-ups -> first orders. The programme in
  this shop started during the period; the referral channel and the first invitation show when.
- K-factor (裂变系数) = first orders / customers who invited; above 1 the programme grows by itself.
- Cost per acquired customer = all rewards (both sides) / first orders; compare it with the paid
  channels' CAC.
- Shorter forms and one-tap login raise conversion; the step after sign-up decides the cost.

**Next:** `01_users/03_retention_loyalty.ipynb`: do the new customers stay?
""")
    return nb


def build() -> None:
    segmentation().write(OUT_DIR / "01_segmentation.ipynb")
    growth().write(OUT_DIR / "02_growth.ipynb")


if __name__ == "__main__":
    build()
