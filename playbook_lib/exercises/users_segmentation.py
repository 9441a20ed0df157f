"""Exercises of ``notebooks/01_users/01_segmentation.ipynb``: who the customers are.

The notebook has, by the time the exercises run:

- ``ds`` (the shop), ``orders`` (``ds.orders``), ``customers`` (``ds.customers`` or None);
- the parameters ``DORMANT_DAYS``, ``WINDOW_DAYS``, ``LOYAL_MIN`` and ``as_of``
  (a Timestamp: ``AS_OF``, or the day after the last order when ``AS_OF`` is empty);
- ``paid``: the paid orders placed before ``as_of``;
- ``segments``: :func:`playbook_lib.users.rfm_segments` of the 5-level RFM scores (one row
  per customer, with ``monetary`` and ``segment``).

Expected answers come from :mod:`playbook_lib.users` (``dormant_share``, ``purchase_tiers``,
``rfm_table``, ``rfm_segments``, ``segment_summary``). ``default_as_of`` and ``touch_budget``
live in :mod:`playbook_lib.users` (``users.default_as_of``, ``users.touch_budget``); they are
imported here too because the notebook still imports them from this module.
"""

from __future__ import annotations

import pandas as pd

from .. import users
from .._orders import default_as_of, paid_orders
from . import (
    ExerciseSet,
    FrameAnswer,
    Mistake,
    Question,
    ScalarAnswer,
    SeriesAnswer,
)

__all__ = ["EXERCISES", "TOP_SEGMENT"]

#: The best named RFM segment (bought recently and often): the story's "top segment".
TOP_SEGMENT = "champions"


# --- parameters and the notebook's names -----------------------------------------------------

def _resolve(ds, as_of=None, dormant_days=180, window_days=90, loyal_min=3) -> dict:
    """An empty as_of means the day after the last order."""
    if as_of is None or str(as_of).strip() == "":
        as_of = default_as_of(ds.orders)
    else:
        as_of = pd.Timestamp(as_of)
    return {"as_of": as_of, "dormant_days": int(dormant_days), "window_days": int(window_days),
            "loyal_min": int(loyal_min)}


def _paid(ds, as_of) -> pd.DataFrame:
    """Paid orders before ``as_of`` (the notebook's ``paid``)."""
    return paid_orders(_before(ds, as_of))


def _segments(ds, as_of) -> pd.DataFrame:
    """The notebook's ``segments``: named RFM segments of the 5-level scores."""
    return users.rfm_segments(users.rfm_scores(users.rfm_table(ds.orders, as_of), bins=5))


# --- expected answers and typical mistakes -----------------------------------------------------

def _last_order(frame: pd.DataFrame) -> pd.Series:
    return frame.groupby("customer_id")["order_ts"].max()


def _dormant(ds, as_of, dormant_days, **_):
    return users.dormant_share(ds.orders, as_of, threshold_days=dormant_days).dormant


def _before(ds, as_of) -> pd.DataFrame:
    return ds.orders[ds.orders["order_ts"] < as_of]


def _window(frame, as_of, window_days) -> pd.DataFrame:
    return frame[frame["order_ts"] >= as_of - pd.Timedelta(days=window_days)]


def _loyal(ds, as_of, window_days, loyal_min, **_):
    tiers = users.purchase_tiers(ds.orders, as_of=as_of, window_days=window_days,
                                 loyal_min=loyal_min)
    return int((tiers["tier"] == "loyal").sum())


def _loyal_count(frame, as_of, window_days, at_least):
    per = _window(frame, as_of, window_days).groupby("customer_id").size()
    return int((per >= at_least).sum())


def _rfm(ds, as_of, **_):
    return users.rfm_table(ds.orders, as_of)


def _rfm_by_hand(frame, as_of, *, floor=False):
    g = frame.groupby("customer_id")
    last = g["order_ts"].max()
    recency = (as_of - last).dt.days if floor else (as_of - last.dt.normalize()).dt.days
    return pd.DataFrame({"recency_days": recency, "frequency": g.size(),
                         "monetary": g["net_amount"].sum()})


def _summary(ds, as_of) -> pd.DataFrame:
    return users.segment_summary(_segments(ds, as_of))


def _sizes(ds, as_of, **_):
    return _summary(ds, as_of)["customers"]


def _top_revenue_share(ds, as_of, **_):
    return float(_summary(ds, as_of).loc[TOP_SEGMENT, "revenue_share"])


def _top_customer_share(ds, as_of, **_):
    return float(_summary(ds, as_of).loc[TOP_SEGMENT, "customer_share"])


def _top_ratio(ds, as_of, **_):
    s = _summary(ds, as_of).loc[TOP_SEGMENT]
    return float(s["revenue_share"] / s["customer_share"])


Q1 = Question(
    "q1",
    prompt="How many customers are **dormant** (沉睡用户) at `as_of`: they have bought before, "
           "but their last paid order is more than `DORMANT_DAYS` days before `as_of`? Store "
           "the count in `n_dormant`.",
    expected=_dormant,
    compare=ScalarAnswer(rel=0, abs=0.5, whole=True),
    hints=[
        ("Start from `paid`, the paid orders before `as_of`, and find each customer's last "
        "order time."),
        ("`paid.groupby('customer_id')['order_ts'].max()` gives the last order per customer. "
        "Compare it with `as_of - pd.Timedelta(days=DORMANT_DAYS)` and count the older ones."),
        ("`last = paid.groupby('customer_id')['order_ts'].max()` then "
        "`n_dormant = (last < as_of - pd.Timedelta(days=DORMANT_DAYS)).sum()`."),
    ],
    answer_var="n_dormant",
    mistakes=[
        Mistake("all_statuses",
                lambda ds, as_of, dormant_days, **_: int(
                    (_last_order(_before(ds, as_of)) < as_of - pd.Timedelta(days=dormant_days))
                    .sum()),
                hint="You used orders of every status, so unpaid and cancelled checkouts count "
                     "as activity, and customers who never paid count as customers. Start from "
                     "`paid`."),
        Mistake("with_prospects",
                lambda ds, as_of, dormant_days, **_: _dormant(ds, as_of, dormant_days) + int(
                    (users.lifecycle_stages(ds.orders, ds.customers, as_of=as_of)["stage"]
                     == "prospect").sum()),
                hint="You also counted customers who signed up but never paid. They are "
                     "prospects (注册未购), not dormant: a dormant customer has bought before. "
                     "Count from the paid orders, not from the customers table."),
        Mistake("share",
                lambda ds, as_of, dormant_days, **_: users.dormant_share(
                    ds.orders, as_of, threshold_days=dormant_days).share,
                hint="That is the share of customers who are dormant. The question asks how "
                     "many customers: a count."),
    ],
)

Q2 = Question(
    "q2",
    prompt="How many customers are **loyal** (忠诚客): `LOYAL_MIN` or more paid orders in the "
           "last `WINDOW_DAYS` days before `as_of`? Store the count in `n_loyal`.",
    expected=_loyal,
    compare=ScalarAnswer(rel=0, abs=0.5, whole=True),
    hints=[
        ("Keep the paid orders of the window first: `order_ts` on or after "
        "`as_of - pd.Timedelta(days=WINDOW_DAYS)`."),
        ("Count the window's orders per customer with `groupby('customer_id').size()`, then "
        "count the customers at or above `LOYAL_MIN`."),
        ("`window = paid[paid['order_ts'] >= as_of - pd.Timedelta(days=WINDOW_DAYS)]`, "
        "`per_customer = window.groupby('customer_id').size()`, "
        "`n_loyal = (per_customer >= LOYAL_MIN).sum()`."),
    ],
    answer_var="n_loyal",
    mistakes=[
        Mistake("all_statuses",
                lambda ds, as_of, window_days, loyal_min, **_: _loyal_count(
                    _before(ds, as_of), as_of, window_days, loyal_min),
                hint="You counted orders of every status. An unpaid or cancelled checkout is "
                     "not a purchase: count the paid orders only."),
        Mistake("strictly_more",
                lambda ds, as_of, window_days, loyal_min, **_: _loyal_count(
                    _paid(ds, as_of), as_of, window_days, loyal_min + 1),
                hint="You kept customers with more than LOYAL_MIN orders. Loyal means LOYAL_MIN "
                     "**or more**: use >=, not >."),
        Mistake("whole_history",
                lambda ds, as_of, loyal_min, **_: int(
                    (_paid(ds, as_of).groupby("customer_id").size() >= loyal_min).sum()),
                hint="You counted orders over the whole history. The tiers look at the last "
                     "WINDOW_DAYS days only: filter the window before counting."),
    ],
)

Q3 = Question(
    "q3",
    prompt="Build the **RFM table** (RFM 模型) by hand: one row per customer (index "
           "`customer_id`) with `recency_days` (whole calendar days from the day of their last "
           "paid order to `as_of`), `frequency` (paid orders) and `monetary` (sum of "
           "`net_amount`). Store it in `rfm_by_hand`.",
    expected=_rfm,
    compare=FrameAnswer(rel=1e-9, abs=1e-6),
    hints=[
        ("Group `paid` by `customer_id` once and aggregate three things: the last `order_ts`, "
        "the number of orders and the sum of `net_amount`."),
        ("Recency counts calendar days: take the last order's **day** "
        "(`.dt.normalize()` sets the time to midnight), subtract it from `as_of`, and read "
        "`.dt.days`."),
        ("`g = paid.groupby('customer_id')`; `last = g['order_ts'].max()`; "
        "`rfm_by_hand = pd.DataFrame({'recency_days': (as_of - last.dt.normalize()).dt.days, "
        "'frequency': g.size(), 'monetary': g['net_amount'].sum()})`."),
    ],
    answer_var="rfm_by_hand",
    mistakes=[
        Mistake("timedelta_floor",
                lambda ds, as_of, **_: _rfm_by_hand(_paid(ds, as_of), as_of, floor=True),
                hint="Your recency is one day short for most customers. `(as_of - last).dt.days` "
                     "counts full days of elapsed time, so an order yesterday afternoon is 0 days "
                     "old. Recency counts calendar days: subtract the last order's day, "
                     "`last.dt.normalize()`, instead."),
        Mistake("all_statuses",
                lambda ds, as_of, **_: _rfm_by_hand(_before(ds, as_of), as_of),
                hint="Your table counts orders of every status (unpaid, cancelled, refunded), "
                     "and lists customers who never paid. RFM uses the paid orders: start "
                     "from `paid`."),
    ],
)

Q4 = Question(
    "q4",
    prompt="How big is each named **RFM segment** (RFM 用户分层)? Build a Series "
           "`segment_sizes`: the number of customers in each segment of `segments`.",
    expected=_sizes,
    compare=SeriesAnswer(rel=0, abs=0.5),
    hints=[
        "Each row of `segments` is one customer; its `segment` column holds the name.",
        "`value_counts()` counts how often each value occurs in a column.",
        "`segment_sizes = segments['segment'].value_counts()`.",
    ],
    answer_var="segment_sizes",
    mistakes=[
        Mistake("shares",
                lambda ds, as_of, **_: _summary(ds, as_of)["customer_share"],
                hint="Those are shares of all customers (value_counts(normalize=True)). The "
                     "question asks for the number of customers in each segment."),
        Mistake("revenue",
                lambda ds, as_of, **_: _summary(ds, as_of)["revenue"],
                hint="You added up the spend (`monetary`) of each segment. The question asks "
                     "how many customers each segment has: count rows."),
    ],
)

Q5 = Question(
    "q5",
    prompt="What **share of all revenue** comes from the top segment, `'champions'` "
           "(重要价值客户)? Revenue is the `monetary` column of `segments`. Give a fraction "
           "between 0 and 1 in `top_share`.",
    expected=_top_revenue_share,
    compare=ScalarAnswer(rel=1e-6, abs=1e-9),
    hints=[
        "A share is a part over the whole: the champions' spend over everybody's spend.",
        ("Select the champions' rows with a mask on `segments['segment']`, add up their "
        "`monetary`, and divide by `segments['monetary'].sum()`."),
        ("`top_share = segments.loc[segments['segment'] == 'champions', 'monetary'].sum() "
        "/ segments['monetary'].sum()`."),
    ],
    answer_var="top_share",
    mistakes=[
        Mistake("customer_share", _top_customer_share,
                hint="That is the champions' share of customers (how many people). The question "
                     "asks for their share of revenue: weigh each customer by `monetary`."),
        Mistake("percent", lambda ds, as_of, **_: 100 * _top_revenue_share(ds, as_of),
                code="percent"),
        Mistake("all_orders_denominator",
                lambda ds, as_of, **_: float(
                    _summary(ds, as_of).loc[TOP_SEGMENT, "revenue"]
                    / _before(ds, as_of)["net_amount"].sum()),
                hint="Your denominator includes orders that were never paid. Divide by the "
                     "revenue of the same customers and orders: `segments['monetary'].sum()`."),
    ],
)

Q6 = Question(
    "q6",
    prompt="How many times **larger** is the champions' share of revenue than their share of "
           "customers? Divide the revenue share (q5) by the share of customers who are "
           "champions, and store it in `top_ratio`. (1 would mean they spend like everybody "
           "else.)",
    expected=_top_ratio,
    compare=ScalarAnswer(rel=1e-6, abs=1e-9),
    hints=[
        ("You have the revenue share from q5. The customer share is the champions' rows over "
        "all rows."),
        ("The mean of a True/False column is the share of True: "
        "`(segments['segment'] == 'champions').mean()`."),
        "`top_ratio = top_share / (segments['segment'] == 'champions').mean()`.",
    ],
    answer_var="top_ratio",
    mistakes=[
        Mistake("inverted", lambda ds, as_of, **_: 1 / _top_ratio(ds, as_of),
                hint="You divided the other way round (customer share / revenue share). Put "
                     "the revenue share on top."),
        Mistake("difference",
                lambda ds, as_of, **_: (_top_revenue_share(ds, as_of)
                                        - _top_customer_share(ds, as_of)),
                hint="You subtracted the shares (a gap in percentage points). The question asks "
                     "how many times larger: divide them."),
    ],
)

EXERCISES = ExerciseSet(
    notebook="01_users/01_segmentation",
    title="Users 1: segmentation and a touch for each segment",
    params=("as_of", "dormant_days", "window_days", "loyal_min"),
    resolve=_resolve,
    example_params=lambda ds: _resolve(ds),
    questions=[Q1, Q2, Q3, Q4, Q5, Q6],
)
