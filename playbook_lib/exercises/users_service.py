"""Exercises of ``notebooks/01_users/04_service.ipynb``: service before, during and after the sale.

The notebook has, by the time the exercises run:

- ``ds`` (the shop), ``as_of`` (midnight of the analysis date: only what happened before it
  counts) and the parameters ``FIRST_RESPONSE_TARGET_S``, ``SHIP_WITHIN_H``, ``DELIVER_WITHIN_H``,
  ``AFTER_SALE_WITHIN_H``, ``COMPLAINT_WITHIN_H``, ``CHAT_WINDOW_H``, ``ROUTINE_TOPICS``,
  ``COMPLAINT_TOPIC``, ``CATEGORY`` and ``SIZE_REASON``;
- ``orders`` (before ``as_of``, every status), ``tickets`` (service tickets created before
  ``as_of``, with a ``day_type`` column: ``"peak"`` on a campaign's peak days, else
  ``"normal"``), ``peak_days`` (:func:`campaign_peak_days`), ``products``, ``campaigns``;
- ``items`` (the order lines of ``orders``) and ``sold_items`` (the lines of orders that were
  paid or refunded: units that really left the warehouse);
- ``monthly_size_rate`` (:func:`reason_rate_by_month` for ``CATEGORY`` and ``SIZE_REASON``)
  and ``fix_month`` (``"YYYY-MM"``, :func:`step_month` of it).

Expected answers come from :mod:`playbook_lib.users` (``response_time_summary``,
``chat_to_order``, ``fulfilment_summary``, ``return_reasons``, ``reason_rate_by_month``,
``step_month``) and from :func:`campaign_peak_days`. ``chat_to_order``,
``reason_rate_by_month`` and ``step_month`` live in :mod:`playbook_lib.users`; they are
imported here too because the notebook still calls them as ``lesson.chat_to_order`` etc.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .. import users
from .._frames import isin
from .._orders import paid_orders, resolve_as_of, shipped_orders
from ..campaigns import campaign_peak_days
from ..users import chat_to_order, reason_rate_by_month, step_month
from . import ExactAnswer, ExerciseSet, Mistake, Question, ScalarAnswer, SeriesAnswer

__all__ = ["EXERCISES"]


# --- what the notebook has defined -------------------------------------------------------------

_DEFAULTS = {"first_response_target_s": 60.0, "ship_within_h": 24.0, "after_sale_within_h": 24.0,
             "complaint_within_h": 48.0, "chat_window_h": 24.0,
             "routine_topics": ("shipping time", "coupon rules", "stock availability",
                                "size and specs"),
             "complaint_topic": "complaint", "category": "apparel",
             "size_reason": "size mismatch"}


def _orders(ds, as_of) -> pd.DataFrame:
    o = ds.orders
    return o[o["order_ts"] < as_of]


def _lines_of(ds, orders: pd.DataFrame) -> pd.DataFrame:
    return ds.order_items[isin(ds.order_items["order_id"], orders["order_id"])]


def _sold_items(ds, as_of) -> pd.DataFrame:
    """The notebook's ``sold_items``: lines of shipped orders (paid or refunded)."""
    return _lines_of(ds, shipped_orders(_orders(ds, as_of)))


def _items(ds, as_of) -> pd.DataFrame:
    return _lines_of(ds, _orders(ds, as_of))


def _monthly_rate(ds, as_of, category, size_reason) -> pd.Series:
    return reason_rate_by_month(_items(ds, as_of), _orders(ds, as_of), ds.products,
                                category=category, reason=size_reason)


def _resolve(ds, as_of=None, **params) -> dict:
    """The lesson's parameters, resolved.

    Empty parameters take the lesson's defaults; as_of becomes a Timestamp; the month of the
    step in the size-mismatch rate is found from the data.
    """
    out = {"as_of": resolve_as_of(ds.orders, as_of)}
    for name, default in _DEFAULTS.items():
        value = params.get(name)
        empty = value is None or (isinstance(value, str) and not value.strip())
        if name == "routine_topics":
            out[name] = tuple(default if empty else value)
        elif isinstance(default, float):
            out[name] = float(default if empty else value)
        else:
            out[name] = str(default if empty else value)
    rate = _monthly_rate(ds, out["as_of"], out["category"], out["size_reason"])
    out["fix_month"] = str(step_month(rate))
    return out


def _tickets(ds, as_of) -> pd.DataFrame:
    t = ds.service_tickets
    t = t[t["created_ts"] < as_of]
    peak = campaign_peak_days(ds.campaigns)
    return t.assign(day_type=np.where(t["created_ts"].dt.normalize().isin(peak), "peak", "normal"))


# --- expected answers and typical mistakes -----------------------------------------------------

# q1: the bot's share of routine pre-sale questions
def _routine(ds, as_of, routine_topics) -> pd.DataFrame:
    t = _tickets(ds, as_of)
    return t[(t["stage"] == "pre_sale") & t["topic"].isin(list(routine_topics))]


def _bot_share(ds, as_of, routine_topics, first_response_target_s, **_) -> float:
    r = users.response_time_summary(_routine(ds, as_of, routine_topics),
                                    target_s=first_response_target_s, by=["handled_by"])
    counts = r.set_index("handled_by")["tickets"]
    return float(counts.get("bot", 0) / counts.sum())


def _bot_share_all_pre_sale(ds, as_of, **_):
    t = _tickets(ds, as_of)
    pre = t[t["stage"] == "pre_sale"]
    return float((pre["handled_by"] == "bot").mean())


# q2: human first-response breaches on peak and normal days
def _breach(ds, as_of, first_response_target_s, **_) -> pd.Series:
    t = _tickets(ds, as_of)
    r = users.response_time_summary(t[t["handled_by"] == "human"],
                                    target_s=first_response_target_s, by=["day_type"])
    return 1 - r.set_index("day_type")["within_target_share"]


def _breach_all_handlers(ds, as_of, first_response_target_s, **_):
    t = _tickets(ds, as_of)
    return (t["first_response_s"] > first_response_target_s).groupby(t["day_type"]).mean()


# q3: chat-to-order conversion
def _conversion(ds, as_of, chat_window_h, **_) -> float:
    return float(chat_to_order(_tickets(ds, as_of), _orders(ds, as_of),
                               window_h=chat_window_h)["converted"].mean())


def _chat_pairs(ds, as_of, *, paid_only=True):
    t = _tickets(ds, as_of)
    pre = t.loc[t["stage"] == "pre_sale", ["ticket_id", "customer_id", "created_ts"]]
    o = _orders(ds, as_of)
    if paid_only:
        o = paid_orders(o)
    m = pre.merge(o[["customer_id", "order_ts"]], on="customer_id", how="left")
    return m, m["order_ts"] - m["created_ts"]


def _conversion_any_status(ds, as_of, chat_window_h, **_):
    m, gap = _chat_pairs(ds, as_of, paid_only=False)
    hit = (gap >= pd.Timedelta(0)) & (gap <= pd.Timedelta(hours=chat_window_h))
    return float(hit.groupby(m["ticket_id"]).any().mean())


def _conversion_no_window(ds, as_of, **_):
    m, gap = _chat_pairs(ds, as_of)
    return float((gap >= pd.Timedelta(0)).groupby(m["ticket_id"]).any().mean())


def _conversion_both_sides(ds, as_of, chat_window_h, **_):
    m, gap = _chat_pairs(ds, as_of)
    hit = gap.abs() <= pd.Timedelta(hours=chat_window_h)
    return float(hit.groupby(m["ticket_id"]).any().mean())


# q4: shipped within the promise
def _shipped_within(ds, as_of, ship_within_h, **_) -> float:
    f = users.fulfilment_summary(_orders(ds, as_of), ship_within_h=ship_within_h)
    return float(f.loc["all", "shipped_within_share"])


def _ship_hours(ds, as_of, *, paid_only=True):
    o = _orders(ds, as_of)
    if paid_only:
        o = paid_orders(o)
    return o["shipped_ts"] - o["order_ts"]


def _shipped_all_statuses(ds, as_of, ship_within_h, **_):
    gap = _ship_hours(ds, as_of, paid_only=False)
    return float((gap <= pd.Timedelta(hours=ship_within_h)).mean())


def _shipped_whole_days(ds, as_of, ship_within_h, **_):
    gap = _ship_hours(ds, as_of)
    return float((gap.dt.days * 24 <= ship_within_h).mean())


# q5: after-sales tickets resolved within their target
def _after(ds, as_of) -> pd.DataFrame:
    t = _tickets(ds, as_of)
    return t[t["stage"] == "after_sale"]


def _resolved_within(ds, as_of, after_sale_within_h, complaint_within_h, complaint_topic,
                     first_response_target_s, **_) -> float:
    a = _after(ds, as_of)
    is_complaint = a["topic"] == complaint_topic
    done = 0.0
    for part, hours in ((a[is_complaint], complaint_within_h), (a[~is_complaint],
                                                                 after_sale_within_h)):
        if len(part):
            r = users.response_time_summary(part, target_s=first_response_target_s, by=(),
                                            resolve_within_h=hours)
            done += float(r["resolved_within_share"].iloc[0] * r["tickets"].iloc[0])
    return done / len(a)


def _resolution_hours(ds, as_of):
    a = _after(ds, as_of)
    return a, (a["resolved_ts"] - a["created_ts"]).dt.total_seconds() / 3600


def _resolved_one_target(ds, as_of, after_sale_within_h, **_):
    _, hours = _resolution_hours(ds, as_of)
    return float((hours <= after_sale_within_h).mean())


def _resolved_dropna(ds, as_of, after_sale_within_h, complaint_within_h, complaint_topic, **_):
    a, hours = _resolution_hours(ds, as_of)
    target = np.where(a["topic"] == complaint_topic, complaint_within_h, after_sale_within_h)
    ok = hours.notna()
    return float((hours[ok] <= target[ok.to_numpy()]).mean())


# q6: what the category's returned units were returned for
def _reasons(ds, as_of, category, **_) -> pd.DataFrame:
    return users.return_reasons(_sold_items(ds, as_of), products=ds.products, category=category)


def _reason_share(ds, as_of, category, **_) -> pd.Series:
    return _reasons(ds, as_of, category).set_index("reason")["share"]


def _category_lines(ds, as_of, category, *, all_categories=False) -> pd.DataFrame:
    items = _sold_items(ds, as_of)
    if all_categories:
        return items
    return items[items["sku"].isin(ds.products.loc[ds.products["category"] == category, "sku"])]


def _reason_share_lines(ds, as_of, category, **_):
    lines = _category_lines(ds, as_of, category)
    return lines.loc[lines["returned_qty"] > 0, "return_reason"].value_counts(normalize=True)


def _reason_share_all(ds, as_of, category, **_):
    lines = _category_lines(ds, as_of, category, all_categories=True)
    units = lines.groupby("return_reason")["returned_qty"].sum()
    return units / units.sum()


def _reason_rate(ds, as_of, category, **_):
    return _reasons(ds, as_of, category).set_index("reason")["return_rate"]


# q7: the monthly rate of size-mismatch returns
def _size_rate(ds, as_of, category, size_reason, **_) -> pd.Series:
    return _monthly_rate(ds, as_of, category, size_reason)


def _size_rate_frame(ds, as_of, category, *, sold=True):
    lines = _category_lines(ds, as_of, category) if sold else _items(ds, as_of)
    if not sold:
        skus = ds.products.loc[ds.products["category"] == category, "sku"]
        lines = lines[lines["sku"].isin(skus)]
    when = _orders(ds, as_of).set_index("order_id")["order_ts"]
    return lines.assign(month=lines["order_id"].map(when).dt.to_period("M"))


def _size_share_of_returns(ds, as_of, category, size_reason, **_):
    f = _size_rate_frame(ds, as_of, category)
    size = f["returned_qty"].where(f["return_reason"] == size_reason, 0)
    return size.groupby(f["month"]).sum() / f.groupby("month")["returned_qty"].sum()


def _size_rate_all_lines(ds, as_of, category, size_reason, **_):
    f = _size_rate_frame(ds, as_of, category, sold=False)
    size = f["returned_qty"].where(f["return_reason"] == size_reason, 0)
    return size.groupby(f["month"]).sum() / f.groupby("month")["quantity"].sum()


def _size_rate_text_months(ds, as_of, category, size_reason, **_):
    rate = _size_rate(ds, as_of, category, size_reason)
    return rate.set_axis(rate.index.astype(str))


# q8: the month of the fix
def _fix_month(ds, fix_month, **_) -> str:
    return fix_month


def _month_before(ds, fix_month, **_):
    return str(pd.Period(fix_month, freq="M") - 1)


def _lowest_month(ds, as_of, category, size_reason, **_):
    return str(_size_rate(ds, as_of, category, size_reason).idxmin())


# q9: the cut
def _split(ds, as_of, category, fix_month, *, items=None) -> pd.DataFrame:
    return users.return_reasons(_sold_items(ds, as_of) if items is None else items,
                                orders=_orders(ds, as_of), products=ds.products,
                                category=category,
                                split_date=pd.Period(fix_month, freq="M").start_time)


def _value(table: pd.DataFrame, period: str, reason: str, col: str) -> float:
    row = table[(table["period"] == period) & (table["reason"] == reason)]
    return float(row[col].iloc[0]) if len(row) else 0.0


def _cut(ds, as_of, category, size_reason, fix_month, **_) -> float:
    t = _split(ds, as_of, category, fix_month)
    return 1 - (_value(t, "after", size_reason, "return_rate")
                / _value(t, "before", size_reason, "return_rate"))


def _cut_of_shares(ds, as_of, category, size_reason, fix_month, **_):
    t = _split(ds, as_of, category, fix_month)
    return 1 - _value(t, "after", size_reason, "share") / _value(t, "before", size_reason, "share")


def _cut_all_lines(ds, as_of, category, size_reason, fix_month, **_):
    # by hand, as a learner who skipped sold_items would: every line's units in the denominator
    f = _size_rate_frame(ds, as_of, category, sold=False)
    size = f["returned_qty"].where(f["return_reason"] == size_reason, 0)
    after = (f["month"] >= pd.Period(fix_month, freq="M")).to_numpy()

    def rate(mask):
        return size[mask].sum() / f.loc[mask, "quantity"].sum()

    return 1 - rate(after) / rate(~after)


def _cut_ratio(ds, **p):
    return 1 - _cut(ds, **p)


Q1 = Question(
    "q1",
    prompt="What share of the **routine** pre-sale questions (售前咨询; topics in "
           "`ROUTINE_TOPICS`) did the bot answer? Store the fraction in `bot_share`.",
    expected=_bot_share,
    compare=ScalarAnswer(rel=1e-9, abs=1e-12),
    hints=[
        ("Keep the tickets whose `stage` is 'pre_sale' and whose `topic` is one of "
        "`ROUTINE_TOPICS`; then look at `handled_by`."),
        ("`tickets['topic'].isin(ROUTINE_TOPICS)` tests membership in a list. The mean of a "
        "True/False column is the share of True."),
        ("`routine = tickets[(tickets['stage'] == 'pre_sale') & tickets['topic'].isin("
        "ROUTINE_TOPICS)]`, then `bot_share = (routine['handled_by'] == 'bot').mean()`."),
    ],
    answer_var="bot_share",
    mistakes=[
        Mistake("all_pre_sale", _bot_share_all_pre_sale,
                hint="You took every pre-sale question, including the ones that need a person "
                     "(is this product right for me? which of the two is better?). The bot's "
                     "job is the routine topics: filter on ROUTINE_TOPICS."),
        Mistake("human_share", lambda ds, **p: 1 - _bot_share(ds, **p),
                hint="That is the share answered by people. The question asks for the bot's."),
        Mistake("percent", lambda ds, **p: 100 * _bot_share(ds, **p), code="percent"),
    ],
)

Q2 = Question(
    "q2",
    prompt="How often did a **human** agent miss the first-response target "
           "(`first_response_s` above `FIRST_RESPONSE_TARGET_S`) on campaign peak days "
           "compared with normal days? Build `breach_share`: a Series indexed by `day_type`.",
    expected=_breach,
    compare=SeriesAnswer(rel=1e-9, abs=1e-12),
    hints=[
        ("Keep the tickets handled by a human, then compare each first response with the "
        "target and average per `day_type`."),
        ("`(human['first_response_s'] > FIRST_RESPONSE_TARGET_S)` is True for a breach; "
        "`.groupby(human['day_type']).mean()` gives the share per day type."),
        ("`human = tickets[tickets['handled_by'] == 'human']`, then `breach_share = "
        "(human['first_response_s'] > FIRST_RESPONSE_TARGET_S).groupby(human['day_type'])"
        ".mean()`."),
    ],
    answer_var="breach_share",
    mistakes=[
        Mistake("all_handlers", _breach_all_handlers,
                hint="You included the bot, which answers in seconds and never misses; it "
                     "dilutes the problem. The target is about human agents: keep "
                     "handled_by == 'human'."),
        Mistake("within_share", lambda ds, **p: 1 - _breach(ds, **p),
                hint="Those are the shares answered in time. The question asks how often the "
                     "target was missed: first_response_s above the target."),
        Mistake("percent", lambda ds, **p: 100 * _breach(ds, **p), code="percent"),
    ],
)

Q3 = Question(
    "q3",
    prompt="Chat-to-order conversion (咨询转化率): what share of pre-sale chats were followed by "
           "a **paid** order of the same customer placed at or after the chat's start and at "
           "most `CHAT_WINDOW_H` hours later? Store the fraction in `chat_conversion`.",
    expected=_conversion,
    compare=ScalarAnswer(rel=1e-9, abs=1e-12),
    hints=[
        ("Pre-sale tickets have no order id, so pair each chat with the same customer's paid "
        "orders (a merge on customer_id) and look at the time between them."),
        ("After `chats.merge(paid[['customer_id', 'order_ts']], on='customer_id', how='left')`, "
        "`gap = order_ts - created_ts`; a pair counts when `gap >= 0` and `gap <= "
        "pd.Timedelta(hours=CHAT_WINDOW_H)`."),
        ("One chat can pair with several orders: `hit.groupby(pairs['ticket_id']).any()` gives "
        "one True/False per chat; its mean is the conversion."),
    ],
    answer_var="chat_conversion",
    mistakes=[
        Mistake("any_status", _conversion_any_status,
                hint="You matched orders of every status; an order left unpaid or cancelled is "
                     "not a sale the chat won. Keep status 'paid'."),
        Mistake("no_window", _conversion_no_window,
                hint="You counted any later paid order, however many months later. A purchase "
                     "long after the chat would likely have happened anyway: keep the gap "
                     "within CHAT_WINDOW_H hours."),
        Mistake("both_sides", _conversion_both_sides,
                hint="You also matched orders placed *before* the chat. A chat can only win an "
                     "order that comes after it: the gap must be >= 0."),
    ],
)

Q4 = Question(
    "q4",
    prompt="What share of **paid** orders shipped (发货) within `SHIP_WITHIN_H` hours of the "
           "order? An order not shipped yet counts as late. Store the fraction in "
           "`shipped_on_time`.",
    expected=_shipped_within,
    compare=ScalarAnswer(rel=1e-9, abs=1e-12),
    hints=[
        ("Keep the paid orders, subtract `order_ts` from `shipped_ts`, and compare the "
        "difference with the promise."),
        ("A difference of two timestamps is a Timedelta; compare it with "
        "`pd.Timedelta(hours=SHIP_WITHIN_H)`. A missing `shipped_ts` gives NaT, and any "
        "comparison with NaT is False, which is what 'late' needs."),
        ("`paid = orders[orders['status'] == 'paid']`, then `shipped_on_time = "
        "((paid['shipped_ts'] - paid['order_ts']) <= pd.Timedelta(hours=SHIP_WITHIN_H)).mean()`."),
    ],
    answer_var="shipped_on_time",
    mistakes=[
        Mistake("all_statuses", _shipped_all_statuses,
                hint="You included unpaid and cancelled orders, which are never shipped, so "
                     "they all look late. The promise is about paid orders."),
        Mistake("whole_days", _shipped_whole_days,
                hint="`.dt.days` drops the hours: an order shipped after 40 hours has 1 whole "
                     "day and passes. Compare the Timedelta itself with "
                     "pd.Timedelta(hours=SHIP_WITHIN_H)."),
    ],
)

Q5 = Question(
    "q5",
    prompt="After-sales (售后) promise: complaints (`topic == COMPLAINT_TOPIC`) resolved within "
           "`COMPLAINT_WITHIN_H` hours of the contact, every other after-sales ticket within "
           "`AFTER_SALE_WITHIN_H` hours. What share of after-sales tickets met their target? "
           "Tickets not resolved yet count as missed. Store it in `resolved_in_time`.",
    expected=_resolved_within,
    compare=ScalarAnswer(rel=1e-9, abs=1e-12),
    hints=[
        ("Keep stage 'after_sale'. Each ticket has its own target: COMPLAINT_WITHIN_H for "
        "complaints, AFTER_SALE_WITHIN_H for the rest."),
        ("`np.where(after['topic'] == COMPLAINT_TOPIC, COMPLAINT_WITHIN_H, AFTER_SALE_WITHIN_H)` "
        "gives the target per row. Hours to resolve: `(resolved_ts - created_ts)"
        ".dt.total_seconds() / 3600` (NaN when not resolved; NaN <= x is False)."),
        "`resolved_in_time = (hours <= target).mean()`, over all after-sales tickets.",
    ],
    answer_var="resolved_in_time",
    mistakes=[
        Mistake("one_target", _resolved_one_target,
                hint="You held complaints to the AFTER_SALE_WITHIN_H target too. Complaints "
                     "have their own, longer one: COMPLAINT_WITHIN_H."),
        Mistake("unresolved_dropped", _resolved_dropna,
                hint="You left out the tickets that are still open. An open ticket has missed "
                     "its target (or will): keep it in the denominator."),
    ],
)

Q6 = Question(
    "q6",
    prompt="Why do customers send back `CATEGORY` items? From `sold_items`, build "
           "`reason_share`: for each `return_reason`, its share of the category's **returned "
           "units** (`returned_qty`).",
    expected=_reason_share,
    compare=SeriesAnswer(rel=1e-9, abs=1e-12),
    hints=[
        ("Keep the lines of the category's SKUs (the products table has each SKU's category), "
        "then add up `returned_qty` per `return_reason`."),
        ("`products.loc[products['category'] == CATEGORY, 'sku']` lists the SKUs; `.isin(...)` "
        "keeps their lines. `groupby('return_reason')['returned_qty'].sum()` counts units."),
        ("`units = lines.groupby('return_reason')['returned_qty'].sum()`, then "
        "`reason_share = units / units.sum()`."),
    ],
    answer_var="reason_share",
    mistakes=[
        Mistake("lines_not_units", _reason_share_lines,
                hint="You counted order lines. A line can send back several units; weigh each "
                     "reason by returned_qty."),
        Mistake("all_categories", _reason_share_all,
                hint="Your shares mix every category. Keep the lines of CATEGORY's SKUs first."),
        Mistake("per_unit_sold", _reason_rate,
                hint="You divided by the units sold, which gives each reason's return rate. "
                     "The question asks for each reason's share of the returned units: divide "
                     "by their total."),
    ],
)

Q7 = Question(
    "q7",
    prompt="Follow the size problem month by month: for each order month (a pandas Period), "
           "the `CATEGORY` units returned for `SIZE_REASON` divided by the `CATEGORY` units "
           "sold that month. Build `size_rate` from `sold_items`.",
    expected=_size_rate,
    compare=SeriesAnswer(rel=1e-9, abs=1e-12),
    hints=[
        ("Each line needs its order's month: map `order_id` to the order's `order_ts`, then "
        "`.dt.to_period('M')`."),
        ("`orders.set_index('order_id')['order_ts']` is a lookup table for `.map(...)`. "
        "`returned_qty.where(return_reason == SIZE_REASON, 0)` keeps only size returns."),
        ("Sum the size returns per month and the `quantity` per month, then divide the two "
        "Series (they line up on the month)."),
    ],
    answer_var="size_rate",
    mistakes=[
        Mistake("share_of_returns", _size_share_of_returns,
                hint="You divided by the units returned, which gives size's share of the "
                     "returns. That share also moves when other reasons rise or fall; divide "
                     "by the units sold to follow the size problem itself."),
        Mistake("all_lines", _size_rate_all_lines,
                hint="Your units sold include lines of unpaid and cancelled orders, which never "
                     "left the warehouse. Start from sold_items."),
        Mistake("text_months", _size_rate_text_months,
                hint="Your months are text ('2026-01'). Use `.dt.to_period('M')` so the index "
                     "is a month (a Period) that sorts and plots as time."),
    ],
)

Q8 = Question(
    "q8",
    prompt="The size guide went live at the start of one month and the rate stepped down for "
           "good. Which month was the first at the new, lower level? Give it as text "
           "`'YYYY-MM'` in `fix_month_guess`.",
    expected=_fix_month,
    compare=ExactAnswer(),
    hints=[
        ("Look at the chart above: the rate runs at one level, then drops and stays lower. "
        "Single low months are noise; you want the step."),
        ("A systematic way: for each candidate month, split the series into 'before' and "
        "'from this month on'; the best split leaves the least squared distance from each "
        "side's own mean."),
        ("The answer is the first month of the lower level, not the last month of the higher "
        "one. Write it like '2025-07'."),
    ],
    answer_var="fix_month_guess",
    mistakes=[
        Mistake("month_before", _month_before,
                hint="That is the last month at the old level. The fix shows from the next "
                     "month on: give the first month at the new level."),
        Mistake("lowest_month", _lowest_month,
                hint="That is the single lowest month. One month can dip by chance; the fix is "
                     "where the level drops and stays down."),
    ],
)

Q9 = Question(
    "q9",
    prompt="By how much did the size guide cut size returns? With `fix_month` as the first "
           "month after the fix: `1 - rate after / rate before`, each rate being `SIZE_REASON` "
           "units returned / `CATEGORY` units sold over the whole period. Store it in `cut`.",
    expected=_cut,
    compare=ScalarAnswer(rel=1e-9, abs=1e-12),
    hints=[
        ("Split the category's sold lines by order month: before `fix_month` and from "
        "`fix_month` on. Pool each side (sum units), do not average the monthly rates."),
        ("`pd.Period(fix_month, freq='M')` compares with a Series of monthly Periods. For each "
        "side: size-mismatch units returned / quantity sold."),
        ("`cut = 1 - rate_after / rate_before`: a cut of 0.3 means 30% fewer size returns per "
        "unit sold."),
    ],
    answer_var="cut",
    mistakes=[
        Mistake("share_not_rate", _cut_of_shares,
                hint="You compared size's share of the returns before and after. Compare "
                     "return *rates*: units returned for size per unit sold."),
        Mistake("all_lines", _cut_all_lines,
                hint="Your units sold include lines of unpaid and cancelled orders. Use "
                     "sold_items."),
        Mistake("ratio", _cut_ratio,
                hint="That is rate after / rate before, what is left. The cut is 1 minus it."),
    ],
)

EXERCISES = ExerciseSet(
    notebook="01_users/04_service",
    title="Users 4: customer service before, during and after the sale",
    params=("as_of",) + tuple(_DEFAULTS),
    resolve=_resolve,
    example_params=lambda ds: dict.fromkeys(("as_of",) + tuple(_DEFAULTS)),
    questions=[Q1, Q2, Q3, Q4, Q5, Q6, Q7, Q8, Q9],
)
