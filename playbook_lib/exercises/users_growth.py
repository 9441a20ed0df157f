"""Exercises of ``notebooks/01_users/02_growth.ipynb``: new customers and refer-a-friend.

The notebook has, by the time the exercises run:

- ``ds`` (the shop), ``orders``, ``customers`` and ``referrals`` (its tables);
- ``month`` ("YYYY-MM", the lesson's month: ``MONTH``, or the latest full month) and
  ``REFERRAL_CHANNEL`` (the ``acquisition_channel`` value of referred customers);
- ``new_by_month``: new customers (sign-ups) per month (rows, a PeriodIndex) and acquisition
  channel (columns), from the month of the first order to ``month``.

Expected answers come from :func:`playbook_lib.users.new_customers_by_channel` and
:func:`playbook_lib.users.referral_summary` (without the orders table: a first order is an
invitation with a ``first_order_id``, as in the generator's truth). ``new_customers_table``,
``referral_start_month`` and ``referral_what_if`` (the lesson's what-if) live in
:mod:`playbook_lib.users`; they are imported here too because the notebook still imports them
from this module.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .. import users
from .._orders import latest_full_month, paid_orders, parse_month
from ..users import new_customers_table, referral_start_month
from . import ExactAnswer, ExerciseSet, Mistake, Question, ScalarAnswer, SeriesAnswer

__all__ = ["EXERCISES"]


# --- parameters and the notebook's names -----------------------------------------------------

def _resolve(ds, month=None, referral_channel="referral") -> dict:
    """An empty month means the latest full month of the data."""
    if month is None or str(month).strip() == "":
        month = latest_full_month(ds)
    else:
        month = str(parse_month(month, func="exercises.setup"))
    return {"month": month, "referral_channel": str(referral_channel or "referral")}


def _first_month(ds) -> pd.Period:
    return ds.orders["order_ts"].min().to_period("M")


# --- expected answers and typical mistakes -----------------------------------------------------

def _new_in_month(ds, month, **_) -> pd.Series:
    new = users.new_customers_by_channel(ds.customers, "M", source="customers")
    new = new[(new["period"] == pd.Period(month, "M")) & (new["new_customers"] > 0)]
    return new.set_index("channel")["new_customers"]


def _start(ds, referral_channel, **_) -> str:
    return referral_start_month(ds.customers, channel=referral_channel)


def _summary(ds) -> pd.Series:
    return users.referral_summary(ds.referrals).loc["all"]


def _funnel(ds, **_) -> pd.Series:
    return _summary(ds)[["invitations", "sign_ups", "first_orders"]].astype(np.int64)


def _funnel_with(ds, **changed) -> pd.Series:
    """The funnel with some entries replaced (a typical mistake's answer)."""
    out = _funnel(ds).copy()
    for key, value in changed.items():
        out[key] = value
    return out


def _k(ds, **_) -> float:
    return float(_summary(ds)["k_factor"])


def _cost(ds, **_) -> float:
    return float(_summary(ds)["cost_per_acquired_customer"])


def _first_orders(ds) -> int:
    return int(ds.referrals["first_order_id"].notna().sum())


Q1 = Question(
    "q1",
    prompt="How many **new customers** (新客) did each acquisition channel (拉新渠道) bring in "
           "`month`? Count the customers who **signed up** in the month, by "
           "`acquisition_channel`, in a Series `new_in_month`.",
    expected=_new_in_month,
    compare=SeriesAnswer(rel=0, abs=0.5),
    hints=[
        ("The customers table has one row per customer with `signup_ts` and "
        "`acquisition_channel`. Keep the sign-ups of the month first."),
        ("`customers['signup_ts'].dt.strftime('%Y-%m') == month` is True for the month's "
        "sign-ups. Then group by `acquisition_channel` and count rows."),
        ("`signed = customers[customers['signup_ts'].dt.strftime('%Y-%m') == month]` then "
        "`new_in_month = signed.groupby('acquisition_channel').size()`."),
    ],
    answer_var="new_in_month",
    mistakes=[
        Mistake("whole_history",
                lambda ds, **_: ds.customers.groupby("acquisition_channel").size(),
                hint="You counted every customer in the table, whenever they signed up. Keep "
                     "the sign-ups of `month` first."),
        Mistake("shares",
                lambda ds, month, **_: _new_in_month(ds, month)
                / _new_in_month(ds, month).sum(),
                hint="Those are each channel's shares of the month's new customers "
                     "(normalize=True). The question asks for the number of customers."),
    ],
)

Q2 = Question(
    "q2",
    prompt="In which month did the **refer-a-friend programme** (老带新) start, i.e. the "
           "first month in which the channel `REFERRAL_CHANNEL` brought a new customer? Give "
           "it as text `'YYYY-MM'` in `start_month`.",
    expected=_start,
    compare=ExactAnswer(),
    hints=[
        ("Look at the `REFERRAL_CHANNEL` column of `new_by_month` (or at the customers whose "
        "`acquisition_channel` is `REFERRAL_CHANNEL`): when does it stop being zero?"),
        ("Keep the referred customers, take their earliest `signup_ts`, and format it as "
        "year-month with `.strftime('%Y-%m')`."),
        ("`referred = customers[customers['acquisition_channel'] == REFERRAL_CHANNEL]` then "
        "`start_month = referred['signup_ts'].min().strftime('%Y-%m')`."),
    ],
    answer_var="start_month",
    mistakes=[
        Mistake("first_month_of_data", lambda ds, **_: str(_first_month(ds)),
                hint="That is the first month of the data, when every other channel was "
                     "already winning customers. Look at the referral channel only: the first "
                     "month in which it is above zero."),
        Mistake("peak_month",
                lambda ds, referral_channel, **_: str(
                    new_customers_table(ds.customers)[referral_channel].idxmax()),
                hint="That is the month with the most referred customers (idxmax), not the "
                     "first one. Find the first month above zero."),
        Mistake("period_object",
                lambda ds, referral_channel, **_: pd.Period(_start(ds, referral_channel), "M"),
                hint="Right month, but as a pandas Period. Give it as text: str(period) or "
                     ".strftime('%Y-%m')."),
    ],
)

Q3 = Question(
    "q3",
    prompt="Build the programme's **funnel** (转化漏斗) from `referrals` (one row per "
           "invitation): a Series `funnel` with the entries `invitations` (rows), `sign_ups` "
           "(invitations with a `signed_up_ts`) and `first_orders` (invitations with a "
           "`first_order_id`).",
    expected=_funnel,
    compare=SeriesAnswer(rel=0, abs=0.5),
    hints=[
        ("Each step is a count of rows of `referrals`: all of them, those with a sign-up time, "
        "those with a first order."),
        ("`.notna().sum()` counts the filled values of a column. Put the three counts in "
        "`pd.Series({...})` with the three names as keys."),
        ("`funnel = pd.Series({'invitations': len(referrals), 'sign_ups': "
        "referrals['signed_up_ts'].notna().sum(), 'first_orders': "
        "referrals['first_order_id'].notna().sum()})`."),
    ],
    answer_var="funnel",
    mistakes=[
        Mistake("rewarded_as_first_orders",
                lambda ds, **_: _funnel_with(
                    ds, first_orders=int((ds.referrals["reward_value"] > 0).sum())),
                hint="Your first orders are the invitations with a reward. But the invited "
                     "friend gets a coupon at sign-up, before any order: count the rows with a "
                     "`first_order_id` instead."),
        Mistake("referrers_as_invitations",
                lambda ds, **_: _funnel_with(
                    ds, invitations=ds.referrals["referrer_id"].nunique()),
                hint="Your invitations count the distinct inviting customers. Each row of "
                     "`referrals` is one invitation: count rows."),
    ],
)

Q4 = Question(
    "q4",
    prompt="What is the programme's **K-factor** (裂变系数): invited friends who placed a "
           "first order, per customer who sent at least one invitation (distinct "
           "`referrer_id`)? Store it in `k_factor`.",
    expected=_k,
    compare=ScalarAnswer(rel=1e-6, abs=1e-9),
    hints=[
        ("The numerator is the funnel's last step (q3); the denominator counts inviting "
        "customers, each once."),
        "`referrals['referrer_id'].nunique()` counts distinct inviters.",
        ("`k_factor = referrals['first_order_id'].notna().sum() / "
        "referrals['referrer_id'].nunique()`."),
    ],
    answer_var="k_factor",
    mistakes=[
        Mistake("per_invitation", lambda ds, **_: _first_orders(ds) / len(ds.referrals),
                hint="You divided by the invitations (every row): that is the conversion from "
                     "invitation to first order. The K-factor divides by the number of "
                     "distinct inviting customers (nunique)."),
        Mistake("per_sign_up",
                lambda ds, **_: _first_orders(ds) / ds.referrals["signed_up_ts"].notna().sum(),
                hint="You divided by the sign-ups: that is the first-order rate of invited "
                     "friends. The K-factor is per inviting customer: divide by the distinct "
                     "`referrer_id`."),
        Mistake("invitations_per_referrer",
                lambda ds, **_: len(ds.referrals) / ds.referrals["referrer_id"].nunique(),
                hint="That is invitations per inviting customer. An invitation only counts "
                     "when the friend goes on to buy: put first orders on top."),
        Mistake("per_customer",
                lambda ds, **_: _first_orders(ds) / paid_orders(ds.orders)[
                    "customer_id"].nunique(),
                hint="You divided by every paying customer. The kit's K-factor divides by the "
                     "customers who actually invited someone (distinct `referrer_id`)."),
    ],
)

Q5 = Question(
    "q5",
    prompt="What did one acquired customer cost? Add up **all the rewards** (`reward_value`: "
           "the friend's coupon at sign-up and the inviter's reward after the first order) "
           "and divide by the first orders. Store it in `cost_per_new` (yuan).",
    expected=_cost,
    compare=ScalarAnswer(rel=1e-6, abs=0.005),
    hints=[
        ("Every row's `reward_value` is money the programme gave away, whether or not the "
        "friend went on to order."),
        ("Sum `reward_value` over all rows; divide by the number of rows with a "
        "`first_order_id`."),
        ("`cost_per_new = referrals['reward_value'].sum() / "
        "referrals['first_order_id'].notna().sum()`."),
    ],
    answer_var="cost_per_new",
    mistakes=[
        Mistake("per_sign_up",
                lambda ds, **_: ds.referrals["reward_value"].sum()
                / ds.referrals["signed_up_ts"].notna().sum(),
                hint="You divided by the sign-ups. A sign-up who never orders is not yet a "
                     "customer: divide by the first orders."),
        Mistake("ordered_rows_only",
                lambda ds, **_: ds.referrals.loc[ds.referrals["first_order_id"].notna(),
                                                 "reward_value"].mean(),
                hint="You kept only the rewards of friends who ordered. The coupons of friends "
                     "who signed up but never ordered were given away too: sum "
                     "`reward_value` over every row."),
        Mistake("per_invitation", lambda ds, **_: ds.referrals["reward_value"].mean(),
                hint="That is the reward per invitation (the mean over all rows). Divide the "
                     "total by the first orders instead."),
    ],
)

EXERCISES = ExerciseSet(
    notebook="01_users/02_growth",
    title="Users 2: new customers and the refer-a-friend programme",
    params=("month", "referral_channel"),
    resolve=_resolve,
    example_params=lambda ds: _resolve(ds),
    questions=[Q1, Q2, Q3, Q4, Q5],
)
