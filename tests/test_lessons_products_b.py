"""Lesson 02_products/03_detail_page: its planted stories, its helper functions, and the
notebook solved end to end.

The generic checks (every mistake gets its hint; the notebook runs blank under nbval, and
solved with every answer correct, on the demo and a generated shop) live in
test_exercise_sets.py and test_notebooks.py. Here:

- the story: on the demo shop the exercises' expected answers point at the generator's truth
  (``datasets/demo/truth.json``): ship the real-effect page test, not the null one; the
  coupon test's better version per visitor is not the one that converts more;
- ``experiments.ab_test_ids``, ``duration_plan`` and ``running_test`` on small hand-built
  inputs.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from pandas.testing import assert_frame_equal

from playbook_lib import exercises
from playbook_lib import experiments as ab
from playbook_lib.errors import DataValidationError
from playbook_lib.exercises import products_detail_page as dp

LESSON = "02_products/03_detail_page"
PARAMS = {"control": "A", "alpha": 0.05, "power": 0.8, "min_uplift": 0.10}


@pytest.fixture(autouse=True)
def _private_home(tmp_path, monkeypatch):
    monkeypatch.setenv("PLAYBOOK_HOME", str(tmp_path / "home"))


def _q(name: str):
    return exercises.get_set(LESSON).question(name)


# --- the story on the demo shop ------------------------------------------------------------------

def test_demo_ab_tests_are_the_two_page_tests(demo):
    t = demo.truth
    assert ab.ab_test_ids(demo.experiments, control="A") == sorted(
        [t["page_test_uplift"]["experiment_id"], t["page_test_null"]["experiment_id"]])
    assert dp._other_id(demo, "A") == t["coupon_form_test"]["experiment_id"]


def test_demo_ship_decision_finds_the_real_uplift_and_the_null(demo):
    t = demo.truth
    real, null = t["page_test_uplift"]["experiment_id"], t["page_test_null"]["experiment_id"]
    ship = _q("q4").expected(demo, **PARAMS)
    assert ship.to_dict() == {real: True, null: False}
    # the library's significant experiment is the planted one, and only that one
    table = ab.ab_test_table(demo.experiments[demo.experiments["experiment_id"].isin([real, null])])
    assert table.loc[table["significant"], "experiment_id"].tolist() == [real]


def test_demo_uplift_matches_the_truth(demo):
    t = demo.truth
    uplift = _q("q2").expected(demo, **PARAMS)
    for key in ("page_test_uplift", "page_test_null"):
        part = t[key]
        # truth.json stores the generator's observed uplift rounded to 4 decimals
        assert uplift[part["experiment_id"]] == pytest.approx(part["observed_relative_uplift"],
                                                              abs=1e-4)
    real = t["page_test_uplift"]
    assert 0.10 <= uplift[real["experiment_id"]] <= 0.20  # the seed's 10-20 %
    assert real["true_relative_uplift"] == pytest.approx(0.15)
    assert t["page_test_null"]["true_relative_uplift"] == 0


def test_demo_conversion_matches_the_truth(demo):
    conv = _q("q1").expected(demo, **PARAMS)
    for key in ("page_test_uplift", "page_test_null"):
        part = demo.truth[key]
        for variant, rate in part["observed_rates"].items():
            assert conv[(part["experiment_id"], variant)] == pytest.approx(rate, abs=5e-6)


def test_demo_coupon_test_more_buyers_less_revenue(demo):
    part = demo.truth["coupon_form_test"]
    per_visitor = {v: part["true_rates"][v] * part["aov"][v] for v in part["variants"]}
    best_rpv = max(per_visitor, key=per_visitor.get)
    best_conv = max(part["true_rates"], key=part["true_rates"].get)
    assert best_rpv != best_conv
    q7 = _q("q7")
    assert q7.expected(demo, **PARAMS) == best_rpv
    wrong = next(m for m in q7.mistakes if m.name == "best_conversion")
    assert wrong.answer(demo, **PARAMS) == best_conv


def test_demo_sample_size_is_the_library_call(demo):
    latest_id, baseline = dp._latest(demo, "A")
    assert latest_id == demo.truth["page_test_null"]["experiment_id"]  # the later page test
    assert _q("q5").expected(demo, **PARAMS) == ab.sample_size(baseline, 0.10)


def test_q7_unavailable_without_a_second_kind_of_test(demo):
    class OnlyAB:
        experiments = demo.experiments[demo.experiments["variant"].isin(["A", "B"])]

    ex = exercises.setup(LESSON, OnlyAB(), **PARAMS)
    assert ex.q7.evaluate("threshold").outcome == "unavailable"
    assert ex.q4.evaluate(_q("q4").expected(demo, **PARAMS)).correct


# --- ab_test_ids ---------------------------------------------------------------------------------

def test_ab_test_ids_needs_two_variants_with_the_control():
    exp = pd.DataFrame({"experiment_id": ["e1", "e1", "e2", "e2", "e3", "e4", "e4", "e4"],
                        "variant": ["A", "B", "x", "y", "A", "A", "B", "C"]})
    assert ab.ab_test_ids(exp) == ["e1"]
    assert ab.ab_test_ids(exp, control="x") == ["e2"]
    with pytest.raises(DataValidationError, match="ab_test_ids.*variant"):
        ab.ab_test_ids(exp.drop(columns="variant"))


# --- duration_plan -------------------------------------------------------------------------------

def test_duration_plan_values():
    # visitors per variant: ab.power_curve(0.03, uplifts=[0.1, 0.2]) -> 53182, 13887 (its doctest)
    got = ab.duration_plan(0.03, 1000, uplifts=[0.1, 0.2])
    expected = ab.power_curve(0.03, uplifts=[0.1, 0.2]).assign(
        total_visitors=np.array([106364, 27774], dtype="int64"),
        days_needed=np.array([54, 14], dtype="int64"))
    assert_frame_equal(got, expected)


def test_duration_plan_rounds_days_up_exactly():
    n = ab.sample_size(0.04, 0.15)
    assert ab.duration_plan(0.04, n, uplifts=[0.15])["days_needed"].item() == 1
    assert ab.duration_plan(0.04, n - 1, uplifts=[0.15])["days_needed"].item() == 2
    assert ab.duration_plan(0.04, n / 2, uplifts=[0.15])["days_needed"].item() == 2
    assert ab.duration_plan(0.04, 1000.5, uplifts=[0.15])["days_needed"].item() == \
        math.ceil(n / 1000.5)


def test_duration_plan_default_grid_falls_with_the_uplift():
    plan = ab.duration_plan(0.05, 2000)
    assert len(plan) == 49
    assert plan["visitors_per_variant"].is_monotonic_decreasing
    assert plan["days_needed"].is_monotonic_decreasing
    assert (plan["total_visitors"] == 2 * plan["visitors_per_variant"]).all()


@pytest.mark.parametrize("daily", [0, -5, float("nan"), True, "1000"])
def test_duration_plan_rejects_bad_traffic(daily):
    with pytest.raises(ValueError, match="duration_plan: daily_visitors_per_variant"):
        ab.duration_plan(0.03, daily)


def test_duration_plan_passes_on_library_errors():
    with pytest.raises(ValueError, match="min_detectable_uplift"):
        ab.duration_plan(0.03, 1000, uplifts=[0.0])


# --- running_test --------------------------------------------------------------------------------

def _two_day_table():
    return pd.DataFrame({
        "experiment_id": ["e1"] * 4 + ["e2"] * 4,
        "variant": ["A", "B"] * 2 + ["x", "y"] * 2,
        "date": pd.to_datetime(["2026-01-02", "2026-01-02", "2026-01-01", "2026-01-01"] * 2),
        "visitors": [1000, 1000, 1000, 1000, 50, 50, 50, 50],
        "conversions": [30, 45, 30, 40, 1, 2, 3, 4]})


def test_running_test_reads_running_totals_in_date_order():
    got = ab.running_test(_two_day_table())
    day1 = ab.ab_test(30, 1000, 40, 1000)
    day2 = ab.ab_test(60, 2000, 85, 2000)
    expected = pd.DataFrame({
        "experiment_id": ["e1", "e1"], "day": np.array([1, 2], dtype="int64"),
        "date": pd.to_datetime(["2026-01-01", "2026-01-02"]),
        "visitors_a": [1000, 2000], "conversions_a": [30, 60],
        "visitors_b": [1000, 2000], "conversions_b": [40, 85],
        "uplift": [day1.uplift, day2.uplift], "p_value": [day1.p_value, day2.p_value],
        "significant": [day1.significant, day2.significant],
    }).astype({"experiment_id": "str"})
    assert_frame_equal(got, expected, check_dtype=False)
    assert got["experiment_id"].tolist() == ["e1", "e1"]  # e2 has no control 'A'


def test_running_test_other_control_label():
    got = ab.running_test(_two_day_table(), control="x")
    assert got["experiment_id"].unique().tolist() == ["e2"]
    assert got["conversions_b"].tolist() == [4, 6]


def test_running_test_errors():
    with pytest.raises(DataValidationError, match="running_test: no experiment .* 'Z'"):
        ab.running_test(_two_day_table(), control="Z")
    with pytest.raises(DataValidationError, match="running_test.*date"):
        ab.running_test(_two_day_table().drop(columns="date"))
    with pytest.raises(DataValidationError, match=r"running_test: column 'visitors' of table "
                                                  r"'experiments' has 1 values below 0"):
        ab.running_test(_two_day_table().assign(visitors=[-1] + [1000] * 7))
    with pytest.raises(ValueError, match=r"running_test: alpha=0 must be strictly between 0 "
                                         r"and 1"):
        ab.running_test(_two_day_table(), alpha=0)
