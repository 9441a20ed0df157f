"""Exercises of ``notebooks/01_users/03_retention_loyalty.ipynb``: retention, loyalty and CLV.

The notebook has, by the time the exercises run:

- ``ds`` (the shop), ``as_of`` (midnight of the analysis date: only orders before it count),
  the parameters ``REPEAT_DAYS``, ``CLV_HORIZON_MONTHS``, ``DISCOUNT_RATE``,
  ``WINBACK_MIN_REPEAT`` and ``WINBACK_MAX_ALIVE``;
- ``orders`` (``ds.orders`` before ``as_of``, every status), ``customers`` (``ds.customers``);
- ``data_start`` (midnight of the first order's day), ``new_ids`` (customers who signed up on
  or after it) and ``new_orders`` (their orders): the customers whose first order is in the
  data, so their cohort is their real first purchase;
- ``retention`` (:func:`playbook_lib.users.cohort_retention` of ``new_orders``);
- ``summary`` (:func:`playbook_lib.users.btyd_summary` of ``orders``, weeks), the fitted
  ``bgnbd`` and ``gg`` models and ``clv`` (:func:`playbook_lib.users.predict_clv` over
  ``CLV_HORIZON_MONTHS`` at ``DISCOUNT_RATE``).

Expected answers come from :mod:`playbook_lib.users`. ``resolve_as_of``,
``new_customer_orders`` and ``clv_by_tier`` (the computation behind the CLV slider) live in
:mod:`playbook_lib.users`; they are imported here too because the notebook still calls them as
``lesson.resolve_as_of`` and ``lesson.clv_by_tier``.
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd

from .. import users
from .._orders import paid_orders, resolve_as_of
from ..users import new_customer_orders
from . import ExerciseSet, Mistake, Question, ScalarAnswer, SeriesAnswer

__all__ = ["EXERCISES"]

_DAY = pd.Timedelta(days=1)


# --- what the notebook has defined -------------------------------------------------------------

def _resolve(ds, as_of=None, repeat_days=None, horizon=None, discount_rate=None,
             winback_min_repeat=None, winback_max_alive=None) -> dict:
    """Empty parameters take the lesson's defaults; as_of becomes a Timestamp."""
    def pick(value, default):
        return default if value is None or (isinstance(value, str) and not value.strip()) \
            else value
    return {"as_of": resolve_as_of(ds.orders, as_of),
            "repeat_days": int(pick(repeat_days, 90)), "horizon": int(pick(horizon, 12)),
            "discount_rate": float(pick(discount_rate, 0.01)),
            "winback_min_repeat": int(pick(winback_min_repeat, 3)),
            "winback_max_alive": float(pick(winback_max_alive, 0.5))}


def _orders(ds, as_of) -> pd.DataFrame:
    o = ds.orders
    return o[o["order_ts"] < as_of]


def _new_orders(ds, as_of) -> pd.DataFrame:
    return new_customer_orders(_orders(ds, as_of), ds.customers)


def _summary(ds, as_of) -> pd.DataFrame:
    return users.btyd_summary(_orders(ds, as_of), as_of - _DAY, freq="W")


def _models(ds, as_of):
    s = _summary(ds, as_of)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", users.ConvergenceWarning)
        return s, users.fit_bgnbd(s), users.fit_gamma_gamma(s)


def _clv(ds, as_of, horizon, discount_rate) -> pd.DataFrame:
    s, bg, gg = _models(ds, as_of)
    return users.predict_clv(bg, gg, s, horizon=horizon, discount_rate=discount_rate, freq="W")


# --- expected answers and typical mistakes -----------------------------------------------------

# q1: cohort sizes
def _cohort_sizes(ds, as_of, **_) -> pd.Series:
    return users.cohort_retention(_new_orders(ds, as_of), counts=True)[0]


def _first_month_counts(orders: pd.DataFrame) -> pd.Series:
    paid = paid_orders(orders)
    first = paid.groupby("customer_id")["order_ts"].min().dt.to_period("M")
    return first.value_counts().sort_index()


def _sizes_all_customers(ds, as_of, **_):
    return _first_month_counts(_orders(ds, as_of))


def _sizes_all_statuses(ds, as_of, **_):
    o = _new_orders(ds, as_of)
    first = o.groupby("customer_id")["order_ts"].min().dt.to_period("M")
    return first.value_counts().sort_index()


def _sizes_orders(ds, as_of, **_):
    paid = paid_orders(_new_orders(ds, as_of))
    cohort = paid.groupby("customer_id")["order_ts"].transform("min").dt.to_period("M")
    return paid.groupby(cohort).size()


# q2: month-1 retention by cohort
def _month1(ds, as_of, **_) -> pd.Series:
    return users.cohort_retention(_new_orders(ds, as_of))[1].dropna()


def _month_ages(ds, as_of):
    paid = paid_orders(_new_orders(ds, as_of))
    ts = paid["order_ts"]
    month_no = ts.dt.year * 12 + ts.dt.month
    first = ts.groupby(paid["customer_id"]).transform("min")
    age = month_no - (first.dt.year * 12 + first.dt.month)
    return paid, first.dt.to_period("M"), age


def _month1_future_cohort(ds, as_of, **_):
    paid, cohort, age = _month_ages(ds, as_of)
    sizes = paid.groupby(cohort)["customer_id"].nunique()
    back = paid[age == 1].groupby(cohort[age == 1])["customer_id"].nunique()
    return back.reindex(sizes.index, fill_value=0) / sizes


def _month1_orders(ds, as_of, **_):
    paid, cohort, age = _month_ages(ds, as_of)
    sizes = paid.groupby(cohort)["customer_id"].nunique()
    orders_back = paid[age == 1].groupby(cohort[age == 1]).size()
    out = orders_back.reindex(sizes.index, fill_value=0) / sizes
    return out.reindex(_month1(ds, as_of).index)


def _month1_all_customers(ds, as_of, **_):
    return users.cohort_retention(_orders(ds, as_of))[1].dropna()


# q3: new customers who did not buy again within the window
def _no_repeat(ds, as_of, repeat_days, **_) -> float:
    return users.no_repeat_within(_new_orders(ds, as_of), days=repeat_days, end=as_of)


def _repeat_flags(orders: pd.DataFrame, days: int):
    paid = paid_orders(orders)
    first = paid.groupby("customer_id")["order_ts"].transform("min")
    later = (paid["order_ts"].dt.normalize() > first.dt.normalize()) & (
        paid["order_ts"] <= first + pd.Timedelta(days=days))
    came_back = later.groupby(paid["customer_id"]).any()
    first_ts = first.groupby(paid["customer_id"]).first()
    return came_back, first_ts


def _no_repeat_share(orders, as_of, days, *, window=True) -> float:
    came_back, first_ts = _repeat_flags(orders, days)
    if window:
        came_back = came_back[first_ts <= as_of - pd.Timedelta(days=days)]
    return float(1 - came_back.mean())


def _no_repeat_all(ds, as_of, repeat_days, **_):
    return _no_repeat_share(_orders(ds, as_of), as_of, repeat_days)


def _no_repeat_no_window(ds, as_of, repeat_days, **_):
    return _no_repeat_share(_new_orders(ds, as_of), as_of, repeat_days, window=False)


# q4: repurchase rate by tier
def _membership(ds, as_of) -> pd.DataFrame:
    return users.membership_summary(ds.customers, _orders(ds, as_of))


def _tier_repurchase(ds, as_of, **_) -> pd.Series:
    return _membership(ds, as_of)["repurchase_rate"].drop("all").dropna()


def _tier_stats(ds, as_of) -> pd.DataFrame:
    paid = paid_orders(_orders(ds, as_of))
    paid = paid.assign(day=paid["order_ts"].dt.normalize())
    per = paid.groupby("customer_id").agg(orders=("order_id", "size"), days=("day", "nunique"))
    tiers = ds.customers.set_index("customer_id")["member_tier"]
    return per.join(tiers), tiers


def _tier_all_customers(ds, as_of, **_):
    per, tiers = _tier_stats(ds, as_of)
    repeat = (per["days"] >= 2).reindex(tiers.index, fill_value=False)
    return repeat.groupby(tiers).mean()


# q5: points redemption rate
def _redemption(ds, as_of, **_) -> float:
    return float(_membership(ds, as_of).loc["all", "redemption_rate"])


def _redemption_mean_of_ratios(ds, as_of, **_):
    c = ds.customers
    return float((c["points_redeemed"] / c["points_earned"].where(c["points_earned"] > 0)).mean())


def _redemption_inverse(ds, as_of, **_):
    return 1 / _redemption(ds, as_of)


# q6: customers to win back
def _alive_frame(ds, as_of, horizon, discount_rate) -> pd.DataFrame:
    s, bg, _ = _models(ds, as_of)
    return s.join(bg.predict(s, 1.0)[["prob_alive"]])


def _winback(ds, as_of, horizon, discount_rate, winback_min_repeat, winback_max_alive,
             **_) -> int:
    f = _alive_frame(ds, as_of, horizon, discount_rate)
    return int(((f["frequency"] >= winback_min_repeat)
                & (f["prob_alive"] < winback_max_alive)).sum())


def _winback_alive(ds, as_of, horizon, discount_rate, winback_min_repeat, winback_max_alive,
                   **_):
    f = _alive_frame(ds, as_of, horizon, discount_rate)
    return int(((f["frequency"] >= winback_min_repeat)
                & (f["prob_alive"] >= winback_max_alive)).sum())


def _winback_any_frequency(ds, as_of, horizon, discount_rate, winback_min_repeat,
                           winback_max_alive, **_):
    f = _alive_frame(ds, as_of, horizon, discount_rate)
    return int((f["prob_alive"] < winback_max_alive).sum())


def _winback_strict(ds, as_of, horizon, discount_rate, winback_min_repeat, winback_max_alive,
                    **_):
    f = _alive_frame(ds, as_of, horizon, discount_rate)
    return int(((f["frequency"] > winback_min_repeat)
                & (f["prob_alive"] < winback_max_alive)).sum())


# q7: predicted CLV per tier
def _tier_of(ds, index) -> np.ndarray:
    tiers = ds.customers.set_index("customer_id")["member_tier"]
    return tiers.reindex(index).to_numpy()


def _clv_tier(ds, as_of, horizon, discount_rate, *, column="clv", how="mean") -> pd.Series:
    clv = _clv(ds, as_of, horizon, discount_rate)
    return clv[column].groupby(pd.Index(_tier_of(ds, clv.index), name="member_tier")).agg(how)


def _clv_by_tier(ds, as_of, horizon, discount_rate, **_) -> pd.Series:
    return _clv_tier(ds, as_of, horizon, discount_rate)


def _clv_total(ds, as_of, horizon, discount_rate, **_):
    return _clv_tier(ds, as_of, horizon, discount_rate, how="sum")


def _clv_median(ds, as_of, horizon, discount_rate, **_):
    return _clv_tier(ds, as_of, horizon, discount_rate, how="median")


def _clv_purchases(ds, as_of, horizon, discount_rate, **_):
    return _clv_tier(ds, as_of, horizon, discount_rate, column="expected_purchases")


Q1 = Question(
    "q1",
    prompt="How many new customers did each monthly cohort (同期群) win? Build `cohort_sizes`: a "
           "Series indexed by the month of each customer's first **paid** order (a pandas "
           "Period), counting the customers in `new_orders`.",
    expected=_cohort_sizes,
    compare=SeriesAnswer(rel=0, abs=0.5),
    hints=[
        ("Keep the paid orders of `new_orders`, find each customer's first order time, turn it "
        "into a month, then count customers per month."),
        ("`paid.groupby('customer_id')['order_ts'].min()` gives one first-order time per "
        "customer; `.dt.to_period('M')` turns times into months; `.value_counts()` counts them."),
        ("`paid = new_orders[new_orders['status'] == 'paid']`, then `cohort_sizes = "
        "paid.groupby('customer_id')['order_ts'].min().dt.to_period('M').value_counts()"
        ".sort_index()`."),
    ],
    answer_var="cohort_sizes",
    mistakes=[
        Mistake("all_customers", _sizes_all_customers,
                hint="Your counts include customers who signed up before the data starts: their "
                     "first order in the data is not their first order ever, so the earliest "
                     "months swell. Start from `new_orders`, not `orders`."),
        Mistake("all_statuses", _sizes_all_statuses,
                hint="A cohort is fixed by the first *paid* order. Your first orders include "
                     "unpaid and cancelled ones: keep status 'paid' before taking the minimum."),
        Mistake("order_counts", _sizes_orders,
                hint="You counted orders per cohort. A cohort's size is its number of "
                     "customers: one per customer (take each customer's first order, then count)."),
    ],
)

Q2 = Question(
    "q2",
    prompt="What share of each cohort bought again in the **month right after** its first "
           "month (period 1)? Build `month1` indexed by cohort month, for every cohort whose "
           "period 1 is already in the data.",
    expected=_month1,
    compare=SeriesAnswer(rel=1e-9, abs=1e-9),
    hints=[
        ("For each paid order, work out how many calendar months it came after the customer's "
        "first month (0 = the first month itself). Period 1 is 'one month later'."),
        ("A month number `ts.dt.year * 12 + ts.dt.month` makes the difference easy: subtract "
        "the customer's first month number (`groupby('customer_id').transform('min')`). Count "
        "distinct customers with age 1 per cohort, divide by the cohort's size."),
        ("The latest cohort has not lived through its period 1 yet: drop it (keep cohorts "
        "before `new_orders['order_ts'].max().to_period('M')`). Cohorts where nobody came "
        "back get 0: `.reindex(sizes.index, fill_value=0)`."),
    ],
    answer_var="month1",
    mistakes=[
        Mistake("future_cohort", _month1_future_cohort,
                hint="Your Series includes the latest cohort with a 0: its period 1 has not "
                     "happened yet, so it is unknown, not zero. Keep only the cohorts before "
                     "the last month of the data."),
        Mistake("orders_not_customers", _month1_orders,
                hint="You counted orders placed in period 1. Retention counts customers: a "
                     "customer who ordered twice that month is one retained customer "
                     "(use .nunique() on customer_id)."),
        Mistake("all_customers", _month1_all_customers,
                hint="You used every customer, including those who were buying before the data "
                     "starts; the earliest 'cohorts' then look far too loyal. Use `new_orders`."),
    ],
)

Q3 = Question(
    "q3",
    prompt="Of the new customers who have had the full window, what share did **not** buy "
           "again within `REPEAT_DAYS` days of their first paid order? Store the fraction in "
           "`no_repeat_share`.",
    expected=_no_repeat,
    compare=ScalarAnswer(rel=0, abs=1e-6),
    hints=[
        ("Three steps: each customer's first paid order time; whether they paid for another "
        "order on a later *day* within `REPEAT_DAYS` days of it; and who has had the whole "
        "window (first order at least `REPEAT_DAYS` days before `as_of`)."),
        ("`first = paid.groupby('customer_id')['order_ts'].transform('min')` puts the first "
        "order time on every row. A row is a repeat when its day is after the first day and "
        "`order_ts <= first + pd.Timedelta(days=REPEAT_DAYS)`; `.groupby('customer_id').any()` "
        "gives one True/False per customer."),
        ("Keep the customers whose first order is `<= as_of - pd.Timedelta(days=REPEAT_DAYS)`, "
        "then `no_repeat_share = 1 - came_back[eligible].mean()`."),
    ],
    answer_var="no_repeat_share",
    mistakes=[
        Mistake("repeat_share", lambda ds, **p: 1 - _no_repeat(ds, **p),
                hint="That is the share who DID buy again. The question asks for those who did "
                     "not: 1 minus your number."),
        Mistake("all_customers", _no_repeat_all,
                hint="You included customers who signed up before the data starts; for them the "
                     "first order in the data is just one order among many. Use `new_orders`."),
        Mistake("no_full_window", _no_repeat_no_window,
                hint="You counted customers whose first order is so recent that the window has "
                     "not closed yet: they still have time to come back. Keep only customers "
                     "whose first order is at least REPEAT_DAYS days before as_of."),
        Mistake("percent", lambda ds, **p: 100 * _no_repeat(ds, **p), code="percent"),
    ],
)

Q4 = Question(
    "q4",
    prompt="Repurchase rate (复购率) per membership tier (会员等级): among each tier's buyers "
           "(customers with a paid order before `as_of`), the share with paid orders on two "
           "or more different days. Build `tier_repurchase` indexed by `member_tier`.",
    expected=_tier_repurchase,
    compare=SeriesAnswer(rel=1e-9, abs=1e-9),
    hints=[
        ("Per customer, count the distinct days with a paid order; a repeat buyer has 2 or "
        "more. Then bring in each customer's tier and average per tier."),
        ("`paid.assign(day=paid['order_ts'].dt.normalize()).groupby('customer_id')['day']"
        ".nunique()` counts order days. `customers.set_index('customer_id')['member_tier']` "
        "maps a customer to a tier."),
        ("`repeat = days >= 2`, then `tier_repurchase = repeat.groupby(tiers.reindex(repeat.index))"
        ".mean()`: the mean of True/False is a share."),
    ],
    answer_var="tier_repurchase",
    mistakes=[
        Mistake("all_customers", _tier_all_customers,
                hint="You divided by every customer of the tier, including members who never "
                     "paid for an order. The rate is among the tier's buyers."),
        Mistake("percent", lambda ds, **p: 100 * _tier_repurchase(ds, **p), code="percent"),
    ],
)

Q5 = Question(
    "q5",
    prompt="What share of all the points (积分) members earned have they redeemed? Store the "
           "shop-wide redemption rate in `redemption_rate`.",
    expected=_redemption,
    compare=ScalarAnswer(rel=1e-9, abs=1e-12),
    hints=[
        "The customers table has `points_earned` and `points_redeemed` per customer.",
        "Shop-wide: add up each column first, then divide (a ratio of totals).",
        ("`redemption_rate = customers['points_redeemed'].sum() / customers['points_earned']"
        ".sum()`."),
    ],
    answer_var="redemption_rate",
    mistakes=[
        Mistake("mean_of_ratios", _redemption_mean_of_ratios,
                hint="You averaged each customer's own redemption rate, so a member with 10 "
                     "points weighs as much as one with 10,000. Divide the total redeemed by "
                     "the total earned."),
        Mistake("inverse", _redemption_inverse,
                hint="Upside down: divide the points redeemed by the points earned."),
        Mistake("percent", lambda ds, **p: 100 * _redemption(ds, **p), code="percent"),
    ],
)

Q6 = Question(
    "q6",
    prompt="Who should get a win-back offer? Count the customers who have bought again at least "
           "`WINBACK_MIN_REPEAT` times (`frequency`) but whose probability of still being a "
           "customer (`prob_alive`) is below `WINBACK_MAX_ALIVE`. Store the count in "
           "`n_winback`.",
    expected=_winback,
    compare=ScalarAnswer(rel=0, abs=0.5, whole=True),
    hints=[
        ("`summary` has `frequency` per customer and `clv` has `prob_alive`; both are indexed by "
        "customer_id, so their rows line up."),
        ("Build two True/False conditions and combine them with `&` (each in parentheses); the "
        "sum of a True/False Series counts the True values."),
        ("`n_winback = ((summary['frequency'] >= WINBACK_MIN_REPEAT) & (clv['prob_alive'] < "
        "WINBACK_MAX_ALIVE)).sum()`."),
    ],
    answer_var="n_winback",
    mistakes=[
        Mistake("alive", _winback_alive,
                hint="You counted the loyal customers who are probably still active. The "
                     "win-back list is the ones whose prob_alive is BELOW the threshold."),
        Mistake("any_frequency", _winback_any_frequency,
                hint="Your count includes customers who bought only once or twice: losing them "
                     "is normal. Keep only those with frequency >= WINBACK_MIN_REPEAT."),
        Mistake("strict", _winback_strict,
                hint="'At least WINBACK_MIN_REPEAT' includes the threshold itself: use >=, "
                     "not >."),
    ],
)

Q7 = Question(
    "q7",
    prompt="Which tier is worth most in the next `CLV_HORIZON_MONTHS` months? From the `clv` "
           "table, build `clv_by_tier`: the **mean** predicted `clv` per customer in each "
           "`member_tier`.",
    expected=_clv_by_tier,
    compare=SeriesAnswer(rel=1e-6, abs=1e-6),
    hints=[
        ("`clv` is indexed by customer_id; the tier is in `customers`. Bring the tier in, then "
        "group."),
        ("`clv.join(customers.set_index('customer_id')['member_tier'])` adds a member_tier "
        "column to each customer's prediction."),
        ("`clv_by_tier = clv.join(customers.set_index('customer_id')['member_tier'])"
        ".groupby('member_tier')['clv'].mean()`."),
    ],
    answer_var="clv_by_tier",
    mistakes=[
        Mistake("total", _clv_total,
                hint="You added up the CLV of each tier. Regular members are many, so their "
                     "total is large even if each is worth little; the question asks for the "
                     "mean per customer."),
        Mistake("median", _clv_median,
                hint="You took the median. CLV is very skewed (a few customers are worth a "
                     "lot), and the budget question is the average value per customer: use "
                     ".mean()."),
        Mistake("purchases", _clv_purchases,
                hint="That is the mean number of expected purchases, not their value. Average "
                     "the `clv` column (yuan)."),
    ],
)

EXERCISES = ExerciseSet(
    notebook="01_users/03_retention_loyalty",
    title="Users 3: retention, loyalty and customer lifetime value",
    params=("as_of", "repeat_days", "horizon", "discount_rate", "winback_min_repeat",
            "winback_max_alive"),
    resolve=_resolve,
    questions=[Q1, Q2, Q3, Q4, Q5, Q6, Q7],
)
