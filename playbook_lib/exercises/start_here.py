"""Exercises of ``notebooks/00_start_here.ipynb``: the month in numbers.

The notebook has, by the time the exercises run: ``ds`` (the shop), ``orders`` (``ds.orders``),
``month`` ("YYYY-MM", the lesson's month) and ``month_orders`` (the orders placed in that
month, every status). Expected answers come from :func:`playbook_lib.metrics.monthly_kpis`;
which orders count as paid, and which fall in the month, from :mod:`playbook_lib._orders`.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .. import metrics
from .._orders import latest_full_month, month_orders, paid_mask, paid_orders, parse_month
from . import ExerciseSet, Mistake, Question, ScalarAnswer, SeriesAnswer


def _resolve(ds, month=None) -> dict:
    """An empty month means the latest full month of the data."""
    if month is None or str(month).strip() == "":
        return {"month": latest_full_month(ds)}
    return {"month": str(parse_month(month, func="exercises.setup"))}


def _in_month(ds, month: str) -> pd.DataFrame:
    """The orders placed in ``month``, every status (the notebook's ``month_orders``)."""
    return month_orders(ds.orders, month)


def _paid_in_month(ds, month: str) -> pd.DataFrame:
    return paid_orders(month_orders(ds.orders, month))


def _context(ds, month: str) -> dict:
    return {"ds": ds, "pd": pd, "np": np, "MONTH": month, "month": month,
            "orders": ds.orders, "month_orders": _in_month(ds, month)}


def _kpi(name: str):
    def expected(ds, month):
        return metrics.monthly_kpis(ds, month).loc[name, "value"]
    expected.__name__ = f"kpi_{name}"
    return expected


def _paid_share(ds, month):
    mo = _in_month(ds, month)
    return float(paid_mask(mo).mean())


def _gmv_by_channel(ds, month):
    paid = _paid_in_month(ds, month)
    return paid.groupby("channel")["net_amount"].sum()


Q1 = Question(
    "q1",
    prompt="What was the shop's **GMV** (成交总额) in the month? GMV is the sum of `net_amount` "
           "over the month's **paid** orders. Store it in `gmv`.",
    expected=_kpi("gmv"),
    compare=ScalarAnswer(rel=1e-9, abs=0.01),
    hints=[
        "Start from `month_orders` and keep only the orders whose `status` is `'paid'`.",
        ("A boolean mask keeps rows: `month_orders[month_orders['status'] == 'paid']`. "
        "Then add up one column."),
        ("`paid = month_orders[month_orders['status'] == 'paid']`, then "
        "`gmv = paid['net_amount'].sum()`."),
    ],
    answer_var="gmv",
    mistakes=[
        Mistake("all_statuses",
                lambda ds, month: _in_month(ds, month)["net_amount"].sum(),
                hint="You added up every order of the month. GMV counts paid orders only: "
                     "unpaid, cancelled and refunded orders bring in no money. Keep the rows "
                     "with status 'paid' first."),
        Mistake("whole_history",
                lambda ds, month: paid_orders(ds.orders)["net_amount"].sum(),
                hint="That is the GMV of the whole history in the data. Use `month_orders`, "
                     "the orders placed in the month."),
        Mistake("gross_amount",
                lambda ds, month: _paid_in_month(ds, month)["gross_amount"].sum(),
                hint="You summed `gross_amount` (list value before discounts). GMV in this kit "
                     "is what buyers actually paid: `net_amount`."),
    ],
)

Q2 = Question(
    "q2",
    prompt="How many **paid orders** (订单数) did the shop take in the month? Store the count "
           "in `n_orders`.",
    expected=_kpi("orders"),
    compare=ScalarAnswer(rel=0, abs=0.5, whole=True),
    hints=[
        "Count the rows of the month's orders that are paid.",
        "`len(df)` or `df.shape[0]` counts rows; filter on `status` first.",
        "`n_orders = len(month_orders[month_orders['status'] == 'paid'])`.",
    ],
    answer_var="n_orders",
    mistakes=[
        Mistake("all_statuses", lambda ds, month: len(_in_month(ds, month)),
                hint="You counted every order of the month. Only paid orders count: leave out "
                     "unpaid, cancelled and refunded ones."),
        Mistake("buyers",
                lambda ds, month: _paid_in_month(ds, month)["customer_id"].nunique(),
                hint="That is the number of paying customers (支付买家数), not of orders: some "
                     "customers paid for more than one order. Count rows, not distinct "
                     "customer ids."),
    ],
)

Q3 = Question(
    "q3",
    prompt="What was the **average order value** (AOV, 客单价) in the month: GMV divided by "
           "the number of paid orders? Store it in `aov`.",
    expected=_kpi("aov"),
    compare=ScalarAnswer(rel=1e-6, abs=0.005),
    hints=[
        "You already have both parts: GMV from q1 and the paid orders from q2.",
        "Either divide `gmv / n_orders`, or take the mean of `net_amount` over the paid orders.",
        "`aov = month_orders.loc[month_orders['status'] == 'paid', 'net_amount'].mean()`.",
    ],
    answer_var="aov",
    mistakes=[
        Mistake("all_statuses", lambda ds, month: _in_month(ds, month)["net_amount"].mean(),
                hint="You averaged over every order of the month, paid or not. AOV is GMV per "
                     "paid order: keep the paid ones."),
        Mistake("per_buyer",
                lambda ds, month: (_paid_in_month(ds, month)["net_amount"].sum()
                                   / _paid_in_month(ds, month)["customer_id"].nunique()),
                hint="You divided by the number of paying customers. That is spend per "
                     "customer; AOV divides GMV by the number of paid orders."),
    ],
)

Q4 = Question(
    "q4",
    prompt="Of all the orders placed in the month (any status), what **share** were paid? "
           "Give a fraction between 0 and 1 in `paid_share`.",
    expected=_paid_share,
    compare=ScalarAnswer(rel=1e-9, abs=1e-9),
    hints=[
        "A share is a part divided by the whole: paid orders over all of the month's orders.",
        "The mean of a True/False column is the share of True values.",
        "`paid_share = (month_orders['status'] == 'paid').mean()`.",
    ],
    answer_var="paid_share",
    mistakes=[
        Mistake("percent", lambda ds, month: 100 * _paid_share(ds, month), code="percent"),
        Mistake("unpaid_share", lambda ds, month: 1 - _paid_share(ds, month),
                hint="That is the share of orders that were NOT paid. Count the paid ones."),
        Mistake("money_share",
                lambda ds, month: (_paid_in_month(ds, month)["net_amount"].sum()
                                   / _in_month(ds, month)["net_amount"].sum()),
                hint="You weighted the orders by their amount (a share of money). The question "
                     "counts orders: each order weighs the same."),
    ],
)

Q5 = Question(
    "q5",
    prompt="Which channels (渠道) brought the GMV? Build a Series `gmv_by_channel`: one entry "
           "per channel, the GMV of the month's paid orders from that channel.",
    expected=_gmv_by_channel,
    compare=SeriesAnswer(rel=1e-9, abs=0.01),
    hints=[
        "Group the month's paid orders by `channel`, then add up `net_amount` in each group.",
        "`df.groupby('channel')['net_amount'].sum()` gives one value per channel.",
        ("`paid = month_orders[month_orders['status'] == 'paid']` then "
        "`gmv_by_channel = paid.groupby('channel')['net_amount'].sum()`."),
    ],
    answer_var="gmv_by_channel",
    mistakes=[
        Mistake("all_statuses",
                lambda ds, month: _in_month(ds, month).groupby("channel")["net_amount"].sum(),
                hint="Your totals include unpaid, cancelled and refunded orders. Keep the paid "
                     "orders before you group."),
        Mistake("order_counts",
                lambda ds, month: _paid_in_month(ds, month).groupby("channel").size(),
                hint="You counted orders per channel. The question asks for GMV: add up "
                     "`net_amount` in each group (.sum(), not .size() or .count())."),
        Mistake("top_three",
                lambda ds, month: _gmv_by_channel(ds, month).nlargest(3), code="subset"),
    ],
)

EXERCISES = ExerciseSet(
    notebook="00_start_here",
    title="Start here: the job and the month in numbers",
    params=("month",),
    resolve=_resolve,
    questions=[Q1, Q2, Q3, Q4, Q5],
)
