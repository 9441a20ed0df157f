"""Exercises of ``notebooks/01_users/02_growth.ipynb``: new customers and refer-a-friend.

The notebook has, by the time the exercises run:

- ``ds`` (the shop), ``orders``, ``customers`` and ``referrals`` (its tables);
- ``month`` ("YYYY-MM", the lesson's month: ``MONTH``, or the latest full month) and
  ``REFERRAL_CHANNEL`` (the ``acquisition_channel`` value of referred customers);
- ``new_by_month``: new customers (sign-ups) per month (rows, a PeriodIndex) and acquisition
  channel (columns), from the month of the first order to ``month``.

Expected answers come from :func:`playbook_lib.users.new_customers_by_channel` and
:func:`playbook_lib.users.referral_summary` (without the orders table: a first order is an
invitation with a ``first_order_id``, as in the generator's truth). The module also holds the
plain function behind the lesson's what-if: :func:`referral_what_if`.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from .. import metrics, users
from ..errors import DataValidationError, format_examples, require_columns, require_non_empty
from . import ExactAnswer, ExerciseSet, Mistake, Question, ScalarAnswer, SeriesAnswer

__all__ = ["EXERCISES", "new_customers_table", "referral_start_month", "referral_what_if"]


# --- plain functions used by the notebook ------------------------------------------------------

def new_customers_table(customers: pd.DataFrame, *, start=None, end=None) -> pd.DataFrame:
    """New customers (sign-ups) per month and acquisition channel, as a month x channel table.

    Parameters
    ----------
    customers : DataFrame
        The customers table (``customer_id``, ``signup_ts``, ``acquisition_channel``).
    start, end : period-like, optional
        First and last month to keep (e.g. the month of the first order and the lesson month);
        default: every month with a sign-up.

    Returns
    -------
    DataFrame
        Index ``period`` (monthly PeriodIndex), one column per channel (sorted), values =
        customers who signed up in that month through that channel (int, 0 when none).

    Examples
    --------
    >>> customers = pd.DataFrame({"customer_id": ["a", "b", "c"],
    ...     "signup_ts": pd.to_datetime(["2026-01-05", "2026-01-20", "2026-02-03"]),
    ...     "acquisition_channel": ["douyin", "search", "douyin"]})
    >>> new_customers_table(customers, start="2026-02")  # doctest: +NORMALIZE_WHITESPACE
    channel  douyin  search
    period
    2026-02       1       0
    """
    new = users.new_customers_by_channel(customers, "M", source="customers")
    if start is not None:
        new = new[new["period"] >= pd.Period(start, "M")]
    if end is not None:
        new = new[new["period"] <= pd.Period(end, "M")]
    table = new.pivot(index="period", columns="channel", values="new_customers")
    return table.fillna(0).astype(np.int64)


def referral_start_month(customers: pd.DataFrame, *, channel: str = "referral") -> str:
    """The first month in which the referral channel won a customer, as ``"YYYY-MM"``.

    Parameters
    ----------
    customers : DataFrame
        The customers table (``signup_ts``, ``acquisition_channel``).
    channel : str, default "referral"
        The ``acquisition_channel`` value of customers who came through an invitation.

    Returns
    -------
    str
        The month of the earliest sign-up through ``channel``.

    Raises
    ------
    DataValidationError
        No customer came through ``channel``.

    Examples
    --------
    >>> customers = pd.DataFrame({"customer_id": ["a", "b", "c"],
    ...     "signup_ts": pd.to_datetime(["2026-01-05", "2026-03-20", "2026-02-03"]),
    ...     "acquisition_channel": ["search", "referral", "referral"]})
    >>> referral_start_month(customers)
    '2026-02'
    """
    new = users.new_customers_by_channel(customers, "M", source="customers")
    hits = new[(new["channel"] == channel) & (new["new_customers"] > 0)]
    if hits.empty:
        raise DataValidationError(
            f"referral_start_month: no customer has acquisition_channel == {channel!r}; "
            f"channels found: {format_examples(sorted(new['channel'].unique()))}. Set "
            f"REFERRAL_CHANNEL to the value your shop uses for referred customers.")
    return str(hits["period"].min())


def referral_what_if(referrals: pd.DataFrame,
                     scenarios: Mapping[str, tuple[float, float]]) -> pd.DataFrame:
    """What the refer-a-friend funnel would give if sign-up or first-order conversion rose.

    Parameters
    ----------
    referrals : DataFrame
        The referrals table (``referrer_id``, ``signed_up_ts``, ``first_order_id``,
        ``reward_value``).
    scenarios : mapping of str to (float, float)
        Scenario name -> (relative rise of the sign-up rate, relative rise of the first-order
        rate), e.g. ``{"today": (0, 0), "shorter form": (0.2, 0)}``. A rise is a fraction
        (0.2 = +20%), >= 0.

    Returns
    -------
    DataFrame
        Index ``scenario``; columns ``sign_up_uplift``, ``first_order_uplift``,
        ``invitations``, ``sign_ups``, ``first_orders`` (expected counts, float),
        ``k_factor`` (first orders / active referrers), ``reward_cost`` and
        ``cost_per_acquired_customer`` (yuan).

    Notes
    -----
    The same invitations and referrers; sign-ups = invitations x sign-up rate x (1 + rise),
    at most the invitations; first orders = sign-ups x first-order rate x (1 + rise), at most
    the sign-ups. Rewards stay what the data shows per invitation: the mean ``reward_value``
    of an invitation with a first order, of a sign-up without one, and of an invitation that
    was not taken up. A shorter sign-up form (fewer required fields) and one-tap login
    (一键登录) lift the first two rates; the cost per customer falls only when more of the
    rewarded sign-ups go on to order.

    Examples
    --------
    >>> referrals = pd.DataFrame({"referrer_id": ["a", "a", "b", "b"],
    ...     "signed_up_ts": pd.to_datetime(["2026-01-02", "2026-01-03", None, "2026-01-09"]),
    ...     "first_order_id": ["o1", None, None, "o2"], "reward_value": [70.0, 50.0, 0.0, 70.0]})
    >>> referral_what_if(referrals, {"today": (0, 0), "first orders +50%": (0, 0.5)})[
    ...     ["sign_ups", "first_orders", "k_factor", "cost_per_acquired_customer"]]
    ... # doctest: +NORMALIZE_WHITESPACE
                       sign_ups  first_orders  k_factor  cost_per_acquired_customer
    scenario
    today                   3.0           2.0       1.0                        95.0
    first orders +50%       3.0           3.0       1.5                        70.0
    """
    func = "referral_what_if"
    require_columns(referrals, ["referrer_id", "signed_up_ts", "first_order_id", "reward_value"],
                    table="referrals", func=func)
    require_non_empty(referrals, table="referrals", func=func, what="invitations")
    signed = referrals["signed_up_ts"].notna().to_numpy()
    ordered = referrals["first_order_id"].notna().to_numpy() & signed
    reward = referrals["reward_value"].fillna(0).to_numpy(dtype=float)

    def mean(mask):
        return float(reward[mask].mean()) if mask.any() else 0.0

    r_order, r_sign, r_none = mean(ordered), mean(signed & ~ordered), mean(~signed)
    n = float(len(referrals))
    s0, f0 = float(signed.sum()), float(ordered.sum())
    referrers = referrals["referrer_id"].nunique()
    rows = {}
    for name, (su, fu) in scenarios.items():
        if su < 0 or fu < 0:
            raise ValueError(f"{func}: scenario {name!r} has a negative rise ({su}, {fu}); "
                             f"give rises as fractions >= 0 (0.2 for +20%).")
        s = min(s0 * (1 + su), n)
        f = min(f0 * (s / s0 if s0 else 0.0) * (1 + fu), s)
        cost = f * r_order + (s - f) * r_sign + (n - s) * r_none
        rows[name] = {"sign_up_uplift": float(su), "first_order_uplift": float(fu),
                      "invitations": n, "sign_ups": s, "first_orders": f,
                      "k_factor": f / referrers if referrers else np.nan,
                      "reward_cost": cost, "cost_per_acquired_customer": cost / f if f else np.nan}
    out = pd.DataFrame.from_dict(rows, orient="index")
    out.index.name = "scenario"
    return out


# --- parameters and the notebook's names -----------------------------------------------------

def _resolve(ds, month=None, referral_channel="referral") -> dict:
    """An empty month means the latest full month of the data."""
    if month is None or str(month).strip() == "":
        month = metrics.latest_full_month(ds)
    else:
        month = str(metrics.parse_month(month, func="exercises.setup"))
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
                lambda ds, **_: _first_orders(ds) / users.paid_orders(ds.orders)[
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
