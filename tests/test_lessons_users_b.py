"""Lessons 01_users/03_retention_loyalty and 01_users/04_service: their exercise sets find the
stories the generator planted (checked against the demo shop's truth.json), and
``campaign_peak_days`` gives the days written out by hand below. The library functions the
lessons use (``clv_by_tier``, ``chat_to_order``, ``reason_rate_by_month``, ``step_month`` ...)
are tested on hand-built frames in tests/test_users.py.

The generic checks (every solution passes its check, every typical mistake gets its hint, on
the demo and on a generated shop) live in ``test_exercise_sets.py``; the notebooks themselves
run in ``test_notebooks.py``.
"""

from __future__ import annotations

import pandas as pd
import pytest

from playbook_lib import DataValidationError, campaigns, users
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
    new_orders = users.new_customer_orders(demo.orders, demo.customers)
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
    new_orders = users.new_customer_orders(demo.orders, demo.customers)
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
    days = campaigns.campaign_peak_days(demo.campaigns)
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


# --- plain functions: campaign_peak_days --------------------------------------


def test_campaign_peak_days_lists_each_day_once():
    camps = pd.DataFrame({"peak_start": pd.to_datetime(["2026-06-16", "2026-06-18", None]),
                          "peak_end": pd.to_datetime(["2026-06-18 23:00", "2026-06-19 00:00",
                                                      None])})
    days = campaigns.campaign_peak_days(camps)
    assert [str(d.date()) for d in days] == ["2026-06-16", "2026-06-17", "2026-06-18",
                                              "2026-06-19"]
    assert days.name == "date"
    with pytest.raises(DataValidationError, match="missing column.*'peak_end'"):
        campaigns.campaign_peak_days(camps[["peak_start"]])


def test_reason_rate_by_month_agrees_with_return_reasons(demo):
    sold_ids = demo.orders.loc[demo.orders["status"].isin(["paid", "refunded"]), "order_id"]
    sold = demo.order_items[demo.order_items["order_id"].isin(sold_ids)]
    rate = users.reason_rate_by_month(demo.order_items, demo.orders, demo.products,
                                      category="apparel", reason="size mismatch")
    month = rate.index[3]
    when = demo.orders.set_index("order_id")["order_ts"]
    in_month = sold[sold["order_id"].map(when).dt.to_period("M") == month]
    table = users.return_reasons(in_month, products=demo.products, category="apparel")
    assert rate[month] == pytest.approx(
        table.loc[table["reason"] == "size mismatch", "return_rate"].item())
