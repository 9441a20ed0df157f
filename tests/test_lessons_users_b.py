"""Lessons 01_users/03_retention_loyalty and 01_users/04_service: their exercise sets find the
stories the generator planted (checked against the demo shop's truth.json), and the plain
functions the notebooks use (``playbook_lib.exercises.users_retention`` / ``users_service``)
give the results written out by hand below.

The generic checks (every solution passes its check, every typical mistake gets its hint, on
the demo and on a generated shop) live in ``test_exercise_sets.py``; the notebooks themselves
run in ``test_notebooks.py``.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from playbook_lib import DataValidationError, users
from playbook_lib.exercises import users_retention as ret
from playbook_lib.exercises import users_service as svc


def _expected(spec, ds, qname, **params):
    bound = spec.bind_params(ds, {**spec.examples(ds), **params})
    return spec.question(qname).expected(ds, **bound), bound


# --- 03 retention and loyalty: the stories on the demo shop ---------------------------------


def test_new_customer_churn_matches_truth(demo):
    # truth: customers who signed up in the period, first paid order 90+ days before the end,
    # no other paid order on a later day within 90 days (generate.py, _repeat_stats)
    value, _ = _expected(ret.EXERCISES, demo, "q3")
    truth = demo.truth["new_customers"]["no_repeat_90d"]
    assert value == pytest.approx(truth, abs=0.002)
    assert 0.5 < value < 0.7  # the seed's "about 60% do not buy again within 3 months"


def test_gold_members_repurchase_most(demo):
    value, _ = _expected(ret.EXERCISES, demo, "q4")
    truth = demo.truth["tier_repurchase"]
    for tier in ("regular", "silver", "gold"):
        assert value[tier] == pytest.approx(truth[tier], abs=1e-4)
    assert value.idxmax() == "gold" and value.idxmin() == "regular"


def test_points_redemption_under_ten_percent(demo):
    value, _ = _expected(ret.EXERCISES, demo, "q5")
    assert value == pytest.approx(demo.truth["points"]["redemption_rate"], abs=1e-4)
    assert value < 0.10


def test_retention_curve_drops_steeply_then_flattens(demo):
    new_orders = ret.new_customer_orders(demo.orders, demo.customers)
    curve = users.cohort_retention(new_orders).mean()
    first_drop = curve[0] - curve[1]
    later_drop = curve[1] - curve[6]
    assert curve[1] < 0.4
    assert first_drop > 0.6 and 0 <= later_drop < first_drop / 5
    # the lesson's exercise 2 (month-1 retention by cohort) is that same column
    month1, _ = _expected(ret.EXERCISES, demo, "q2")
    assert month1.mean() == pytest.approx(curve[1])


def test_cohort_sizes_count_every_new_buyer_once(demo):
    sizes, _ = _expected(ret.EXERCISES, demo, "q1")
    new_orders = ret.new_customer_orders(demo.orders, demo.customers)
    buyers = new_orders.loc[new_orders["status"] == "paid", "customer_id"].nunique()
    assert sizes.sum() == buyers


def test_predicted_value_rises_with_tier(demo):
    value, _ = _expected(ret.EXERCISES, demo, "q7")
    assert value["gold"] > value["silver"] > value["regular"] > 0


def test_winback_list_is_a_minority_of_loyal_customers(demo):
    n, bound = _expected(ret.EXERCISES, demo, "q6")
    summary = users.btyd_summary(demo.orders, bound["as_of"] - pd.Timedelta(days=1))
    loyal = int((summary["frequency"] >= bound["winback_min_repeat"]).sum())
    assert 0 < n < loyal / 2


def test_retention_parameters_take_defaults_when_empty(demo):
    spec = ret.EXERCISES
    bound = spec.bind_params(demo, dict.fromkeys(spec.params, ""))
    assert bound["as_of"] == pd.Timestamp("2026-11-01")
    assert (bound["repeat_days"], bound["horizon"], bound["discount_rate"]) == (90, 12, 0.01)
    assert (bound["winback_min_repeat"], bound["winback_max_alive"]) == (3, 0.5)


# --- 04 service: the stories on the demo shop -----------------------------------------------


def test_bot_share_of_routine_questions_matches_truth(demo):
    value, bound = _expected(svc.EXERCISES, demo, "q1")
    truth = demo.truth["service_bot_share"]
    assert list(bound["routine_topics"]) == truth["routine_topics"]
    assert value == pytest.approx(truth["observed_share"], abs=1e-4)


def test_peak_days_break_the_first_response_target(demo):
    value, bound = _expected(svc.EXERCISES, demo, "q2")
    truth = demo.truth["service_peak_breach"]
    assert bound["first_response_target_s"] == truth["first_response_target_s"]
    assert value["peak"] == pytest.approx(truth["breach_share"]["peak"], abs=1e-4)
    assert value["normal"] == pytest.approx(truth["breach_share"]["normal"], abs=1e-4)
    assert value["peak"] > 2 * value["normal"]


def test_peak_days_are_the_campaign_peaks(demo):
    days = svc.campaign_peak_days(demo.campaigns)
    inside = days[days <= demo.orders["order_ts"].max()]
    assert [str(d.date()) for d in inside] == demo.truth["service_peak_breach"]["peak_dates"]


def test_late_answers_are_rated_lower(demo):
    t = demo.service_tickets
    human = t[(t["handled_by"] == "human") & t["satisfaction"].notna()]
    late = human["first_response_s"] > 60
    truth = demo.truth["service_peak_breach"]["mean_satisfaction"]
    assert human.loc[~late, "satisfaction"].mean() == pytest.approx(
        truth["first_response_within_target"], abs=1e-3)
    assert human.loc[late, "satisfaction"].mean() < human.loc[~late, "satisfaction"].mean()


def test_apparel_returns_are_mostly_size_mismatch(demo):
    share, _ = _expected(svc.EXERCISES, demo, "q6")
    truth = demo.truth["apparel_returns"]
    assert share.idxmax() == "size mismatch"
    assert share["size mismatch"] == pytest.approx(truth["size_mismatch_share"], abs=1e-4)
    assert share["size mismatch"] > 0.5


def test_size_guide_month_and_cut_match_truth(demo):
    truth = demo.truth["apparel_returns"]
    month, _ = _expected(svc.EXERCISES, demo, "q8")
    assert month == truth["fix_month"][:7]
    cut, _ = _expected(svc.EXERCISES, demo, "q9")
    assert cut == pytest.approx(truth["cut"], abs=1e-3)
    rate, _ = _expected(svc.EXERCISES, demo, "q7")
    fix = pd.Period(month, freq="M")
    assert rate[rate.index < fix].mean() > rate[rate.index >= fix].mean()


def test_service_parameters_take_defaults_when_empty(demo):
    spec = svc.EXERCISES
    bound = spec.bind_params(demo, dict.fromkeys(spec.params, ""))
    truth = demo.truth["service_peak_breach"]
    assert bound["first_response_target_s"] == truth["first_response_target_s"]
    assert bound["after_sale_within_h"] == truth["after_sale_resolution_target_h"]
    assert bound["complaint_within_h"] == truth["complaint_resolution_target_h"]
    assert (bound["ship_within_h"], bound["chat_window_h"]) == (24.0, 24.0)
    assert bound["fix_month"] == demo.truth["apparel_returns"]["fix_month"][:7]


# --- plain functions: resolve_as_of, new_customer_orders, clv_by_tier ------------------------


ORDERS = pd.DataFrame({"order_ts": pd.to_datetime(["2026-01-03 10:00", "2026-02-27 18:30"])})


def test_resolve_as_of_defaults_to_the_day_after_the_last_order():
    assert ret.resolve_as_of(ORDERS) == pd.Timestamp("2026-02-28")
    assert ret.resolve_as_of(ORDERS, "  ") == pd.Timestamp("2026-02-28")
    assert ret.resolve_as_of(ORDERS, "2026-02-10 15:00") == pd.Timestamp("2026-02-10")
    assert ret.resolve_as_of(ORDERS, pd.Timestamp("2026-02-10")) == pd.Timestamp("2026-02-10")


def test_resolve_as_of_rejects_bad_dates():
    with pytest.raises(DataValidationError, match="AS_OF='soon' is not a date"):
        ret.resolve_as_of(ORDERS, "soon")
    with pytest.raises(DataValidationError, match="on or before the first order.*2026-01-03"):
        ret.resolve_as_of(ORDERS, "2026-01-03")
    with pytest.raises(DataValidationError, match="missing column"):
        ret.resolve_as_of(pd.DataFrame({"ts": [1]}))


def test_new_customer_orders_keeps_customers_who_signed_up_after_the_start():
    orders = pd.DataFrame({"customer_id": ["a", "b", "b", "c"],
                           "order_ts": pd.to_datetime(["2026-01-05", "2026-01-09", "2026-02-01",
                                                       "2026-02-03"])})
    customers = pd.DataFrame({"customer_id": ["a", "b", "c"],
                              "signup_ts": pd.to_datetime(["2025-06-01 00:00", "2026-01-05 08:00",
                                                           "2026-02-01 00:00"])})
    out = ret.new_customer_orders(orders, customers)
    assert out.index.tolist() == [1, 2, 3]
    out = ret.new_customer_orders(orders, customers, start="2026-01-10")
    assert out["customer_id"].tolist() == ["c"]
    with pytest.raises(DataValidationError, match="'customers' is missing column.*'signup_ts'"):
        ret.new_customer_orders(orders, customers[["customer_id"]])


SUMMARY = pd.DataFrame(
    {"frequency": [0, 0, 0, 1, 1, 2, 3, 5, 0, 2],
     "recency": [0.0, 0.0, 0.0, 30.0, 4.0, 8.0, 36.0, 38.0, 0.0, 20.0], "T": [39.0] * 10,
     "monetary_value": [0.0, 0.0, 0.0, 20.0, 35.0, 25.0, 60.0, 30.0, 0.0, 45.0]},
    index=pd.Index(list("abcdefghij"), name="customer_id"))


def test_clv_by_tier_adds_up_to_predict_clv():
    customers = pd.DataFrame({"customer_id": list("abcdefghij"),
                              "member_tier": ["silver", "regular", "regular", "gold", "regular",
                                              "gold", "vip", "gold", "regular", None]})
    bg, gg = users.fit_bgnbd(SUMMARY), users.fit_gamma_gamma(SUMMARY)
    out = ret.clv_by_tier(bg, gg, SUMMARY, customers, horizon=6, discount_rate=0.02)
    clv = users.predict_clv(bg, gg, SUMMARY, horizon=6, discount_rate=0.02)
    # schema tiers in order, then other labels sorted (a missing tier is "unknown"), then all
    assert out.index.tolist() == ["regular", "silver", "gold", "unknown", "vip", "all"]
    assert out.columns.tolist() == ["customers", "expected_purchases", "mean_clv", "total_clv",
                                    "clv_share"]
    assert out["customers"].tolist() == [4, 1, 3, 1, 1, 10]
    assert out.loc["all", "total_clv"] == pytest.approx(clv["clv"].sum())
    assert out.loc["gold", "mean_clv"] == pytest.approx(clv.loc[["d", "f", "h"], "clv"].mean())
    assert out.drop(index="all")["clv_share"].sum() == pytest.approx(1.0)
    longer = ret.clv_by_tier(bg, gg, SUMMARY, customers, horizon=24, discount_rate=0.02)
    assert (longer["total_clv"] > out["total_clv"]).all()
    with pytest.raises(DataValidationError, match="missing column.*'member_tier'"):
        ret.clv_by_tier(bg, gg, SUMMARY, customers[["customer_id"]])


# --- plain functions: campaign_peak_days, chat_to_order --------------------------------------


def test_campaign_peak_days_lists_each_day_once():
    camps = pd.DataFrame({"peak_start": pd.to_datetime(["2026-06-16", "2026-06-18", None]),
                          "peak_end": pd.to_datetime(["2026-06-18 23:00", "2026-06-19 00:00",
                                                      None])})
    days = svc.campaign_peak_days(camps)
    assert [str(d.date()) for d in days] == ["2026-06-16", "2026-06-17", "2026-06-18",
                                              "2026-06-19"]
    assert days.name == "date"
    with pytest.raises(DataValidationError, match="missing column.*'peak_end'"):
        svc.campaign_peak_days(camps[["peak_start"]])


def _chats():
    tickets = pd.DataFrame({
        "ticket_id": ["t1", "t2", "t3", "t4", "t5"],
        "customer_id": ["a", "a", "b", "c", "d"],
        "stage": ["pre_sale", "pre_sale", "pre_sale", "pre_sale", "after_sale"],
        "handled_by": ["bot", "human", "bot", "human", "human"],
        "created_ts": pd.to_datetime(["2026-01-01 10:00", "2026-01-05 09:00", "2026-01-01 12:00",
                                      "2026-01-02 08:00", "2026-01-01 09:00"])})
    orders = pd.DataFrame({
        "order_id": ["o1", "o2", "o3", "o4", "o5"],
        "customer_id": ["a", "b", "b", "c", "d"],
        "order_ts": pd.to_datetime(["2026-01-01 10:30", "2026-01-01 11:00", "2026-01-02 12:00",
                                    "2026-01-02 09:00", "2026-01-01 10:00"]),
        "status": ["paid", "paid", "paid", "unpaid", "paid"]})
    return tickets, orders


def test_chat_to_order_matches_the_next_paid_order_in_the_window():
    tickets, orders = _chats()
    out = svc.chat_to_order(tickets, orders, window_h=24)
    expected = pd.DataFrame({
        "ticket_id": ["t1", "t3", "t4", "t2"],
        "order_id": ["o1", "o3", None, None],       # o2 came before t3; o4 was not paid
        "hours_to_order": [0.5, 24.0, np.nan, np.nan],  # exactly 24 h later still counts
        "converted": [True, True, False, False]})
    got = out[["ticket_id", "order_id", "hours_to_order", "converted"]]
    pd.testing.assert_frame_equal(got.astype({"ticket_id": object, "order_id": object}),
                                  expected, check_dtype=False)
    assert out["handled_by"].tolist() == ["bot", "bot", "human", "human"]
    short = svc.chat_to_order(tickets, orders, window_h=1)
    assert short["converted"].tolist() == [True, False, False, False]


def test_chat_to_order_rejects_bad_input():
    tickets, orders = _chats()
    with pytest.raises(ValueError, match="window_h must be a number of hours > 0, got 0"):
        svc.chat_to_order(tickets, orders, window_h=0)
    with pytest.raises(DataValidationError, match="no ticket has stage == 'pre_sale'"):
        svc.chat_to_order(tickets[tickets["stage"] == "after_sale"], orders)
    with pytest.raises(DataValidationError, match="'orders' is missing column.*'order_ts'"):
        svc.chat_to_order(tickets, orders.drop(columns="order_ts"))


# --- plain functions: reason_rate_by_month, step_month ---------------------------------------


def _returns():
    items = pd.DataFrame({
        "order_id": ["1", "2", "3", "4", "5"],
        "sku": ["s", "s", "s", "s", "h"],
        "quantity": [2, 2, 1, 3, 4],
        "returned_qty": [1, 1, 1, 0, 4],
        "return_reason": ["size mismatch", "quality issue", "size mismatch", None,
                          "size mismatch"]})
    orders = pd.DataFrame({
        "order_id": ["1", "2", "3", "4", "5"],
        "status": ["paid", "refunded", "paid", "cancelled", "paid"],
        "order_ts": pd.to_datetime(["2026-01-05", "2026-01-20", "2026-02-03", "2026-02-10",
                                    "2026-01-06"])})
    products = pd.DataFrame({"sku": ["s", "h"], "category": ["apparel", "home"]})
    return items, orders, products


def test_reason_rate_by_month_divides_by_units_sold():
    items, orders, products = _returns()
    rate = svc.reason_rate_by_month(items, orders, products, category="apparel",
                                    reason="size mismatch")
    expected = pd.Series([1 / 4, 1 / 1], name="rate",
                         index=pd.PeriodIndex(["2026-01", "2026-02"], freq="M", name="month"))
    pd.testing.assert_series_equal(rate, expected)
    # with every status, the cancelled order's 3 units join February's units sold
    everything = svc.reason_rate_by_month(items, orders, products, category="apparel",
                                          reason="size mismatch", statuses=None)
    assert everything.tolist() == [0.25, 0.25]


def test_reason_rate_by_month_agrees_with_return_reasons(demo):
    sold_ids = demo.orders.loc[demo.orders["status"].isin(["paid", "refunded"]), "order_id"]
    sold = demo.order_items[demo.order_items["order_id"].isin(sold_ids)]
    rate = svc.reason_rate_by_month(demo.order_items, demo.orders, demo.products,
                                    category="apparel", reason="size mismatch")
    month = rate.index[3]
    when = demo.orders.set_index("order_id")["order_ts"]
    in_month = sold[sold["order_id"].map(when).dt.to_period("M") == month]
    table = users.return_reasons(in_month, products=demo.products, category="apparel")
    assert rate[month] == pytest.approx(
        table.loc[table["reason"] == "size mismatch", "return_rate"].item())


def test_reason_rate_by_month_rejects_unknown_category():
    items, orders, products = _returns()
    with pytest.raises(DataValidationError, match="no product has category == 'shoes'.*apparel"):
        svc.reason_rate_by_month(items, orders, products, category="shoes", reason="x")


def test_step_month_finds_the_least_squares_split():
    idx = pd.period_range("2026-01", periods=8, freq="M")
    rate = pd.Series([0.12, 0.13, 0.11, 0.12, 0.07, 0.06, np.nan, 0.07], index=idx)
    assert svc.step_month(rate) == pd.Period("2026-05", "M")
    # one low month at the start is not a step: at least two months on each side
    spike = pd.Series([0.02, 0.12, 0.12, 0.12, 0.12], index=idx[:5])
    assert svc.step_month(spike) == pd.Period("2026-03", "M")
    assert svc.step_month(spike, min_side=1) == pd.Period("2026-02", "M")
    flat = pd.Series([0.1] * 4, index=idx[:4])
    assert svc.step_month(flat) == pd.Period("2026-03", "M")  # a tie goes to the earliest


def test_step_month_needs_enough_months():
    idx = pd.period_range("2026-01", periods=3, freq="M")
    with pytest.raises(DataValidationError, match="has 3 month.*at least 4"):
        svc.step_month(pd.Series([0.1, 0.2, 0.3], index=idx))
    with pytest.raises(ValueError, match="min_side must be a whole number >= 1"):
        svc.step_month(pd.Series([0.1, 0.2, 0.3], index=idx), min_side=0)
