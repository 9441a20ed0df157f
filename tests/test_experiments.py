"""Tests of playbook_lib.experiments (and uplift_chart in playbook_lib.plots).

Reference values come from statsmodels and scipy called directly on the same numbers, plus
published values where noted.
"""

from __future__ import annotations

import dataclasses
import doctest
import math

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402
from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402
from pandas.testing import assert_frame_equal  # noqa: E402
from scipy import stats  # noqa: E402
from statsmodels.stats.power import NormalIndPower  # noqa: E402
from statsmodels.stats.proportion import (  # noqa: E402
    confint_proportions_2indep,
    proportion_effectsize,
    proportions_ztest,
)

from playbook_lib import experiments, plots  # noqa: E402
from playbook_lib.errors import DataValidationError  # noqa: E402
from playbook_lib.experiments import (  # noqa: E402
    ABTestResult,
    ab_test,
    ab_test_table,
    peeking_simulation,
    power_curve,
    revenue_per_visitor_test,
    revenue_per_visitor_test_from_stats,
    sample_size,
)

RESULT_COLUMNS = [f.name for f in dataclasses.fields(ABTestResult)]


# --- ab_test -------------------------------------------------------------------------------------

def reference(ca, na, cb, nb, alpha=0.05):
    """What statsmodels gives when called directly (b first, so differences are b - a)."""
    z, p = proportions_ztest([cb, ca], [nb, na])
    lo, hi = confint_proportions_2indep(cb, nb, ca, na, method="newcomb", compare="diff",
                                        alpha=alpha)
    rlo, rhi = confint_proportions_2indep(cb, nb, ca, na, method="log-adjusted",
                                          compare="ratio", alpha=alpha)
    return dict(statistic=z, p_value=p, ci_low=lo, ci_high=hi, uplift_ci_low=rlo - 1,
                uplift_ci_high=rhi - 1)


@pytest.mark.parametrize("counts", [(300, 10_000, 345, 10_000), (30, 1000, 45, 1000),
                                    (48, 80, 56, 70), (120, 4000, 95, 3900), (1, 9, 7, 12)])
def test_ab_test_equals_statsmodels(counts):
    ca, na, cb, nb = counts
    got = ab_test(ca, na, cb, nb)
    ref = reference(ca, na, cb, nb)
    assert got.rate_a == ca / na and got.rate_b == cb / nb
    assert got.diff == pytest.approx(cb / nb - ca / na, abs=1e-15)
    assert got.uplift == pytest.approx((cb / nb) / (ca / na) - 1)
    for name, value in ref.items():
        assert getattr(got, name) == pytest.approx(float(value), rel=1e-12), name
    assert got.significant == (ref["p_value"] < 0.05)


def test_ab_test_published_reference_values():
    # Newcombe (1998), Statistics in Medicine 17:873-890, Table II, method 10 (hybrid score):
    # 56/70 - 48/80 -> 95 % interval 0.0524 to 0.3339; 9/10 - 3/10 -> 0.1705 to 0.8090.
    r = ab_test(48, 80, 56, 70)
    assert (round(r.ci_low, 4), round(r.ci_high, 4)) == (0.0524, 0.3339)
    r = ab_test(3, 10, 9, 10)
    assert (round(r.ci_low, 4), round(r.ci_high, 4)) == (0.1705, 0.8090)
    # Pooled z-test, 45/1000 against 30/1000, worked by hand:
    # p = 75/2000 = 0.0375, z = 0.015 / sqrt(0.0375 x 0.9625 x 2/1000) = 1.765470, two-sided
    # p = 0.077485 (R's prop.test(c(45, 30), c(1000, 1000), correct = FALSE) reports the same
    # p-value, its X-squared being z^2 = 3.1169).
    r = ab_test(30, 1000, 45, 1000)
    assert r.statistic == pytest.approx(1.7654696590094991, rel=1e-12)
    assert r.p_value == pytest.approx(0.0774848651326447, rel=1e-12)
    assert r.statistic == pytest.approx(0.015 / math.sqrt(0.0375 * 0.9625 * 0.002))
    assert not r.significant


def test_ab_test_to_frame_is_one_row_with_every_field():
    r = ab_test(300, 10_000, 345, 10_000, alpha=0.1)
    got = r.to_frame()
    assert list(got.columns) == RESULT_COLUMNS and len(got) == 1
    assert got.loc[0, "alpha"] == 0.1 and bool(got.loc[0, "significant"]) == (r.p_value < 0.1)
    with pytest.raises(dataclasses.FrozenInstanceError, match="cannot assign to field 'p_value'"):
        r.p_value = 0.0


def test_ab_test_alpha_widens_the_interval():
    narrow, wide = ab_test(300, 10_000, 345, 10_000, alpha=0.1), ab_test(300, 10_000, 345,
                                                                         10_000, alpha=0.01)
    assert wide.ci_low < narrow.ci_low < narrow.ci_high < wide.ci_high
    assert wide.uplift_ci_low < narrow.uplift_ci_low
    assert narrow.p_value == wide.p_value


def test_ab_test_degenerate_counts():
    r = ab_test(0, 100, 0, 100)
    assert (r.statistic, r.p_value, r.significant) == (0.0, 1.0, False)
    assert math.isnan(r.uplift) and math.isnan(r.uplift_ci_low)
    assert r.ci_low < 0 < r.ci_high                       # Newcombe stays informative
    r = ab_test(100, 100, 100, 100)
    assert (r.p_value, r.uplift) == (1.0, 0.0)
    r = ab_test(0, 100, 5, 100)                          # no control conversions: no ratio
    assert math.isnan(r.uplift) and r.p_value == pytest.approx(proportions_ztest(
        [5, 0], [100, 100])[1])


def test_ab_test_errors():
    with pytest.raises(DataValidationError, match=r"ab_test: conversions_b=120 is above "
                                                  r"visitors_b=100"):
        ab_test(10, 100, 120, 100)
    with pytest.raises(DataValidationError, match=r"conversions_a=-1 must be a whole number >= 0"):
        ab_test(-1, 100, 10, 100)
    with pytest.raises(DataValidationError, match=r"visitors_a=100.5 must be a whole number"):
        ab_test(10, 100.5, 10, 100)
    with pytest.raises(DataValidationError, match=r"visitors_b=True must be a whole number"):
        ab_test(10, 100, 1, True)
    with pytest.raises(DataValidationError, match=r"visitors_a is 0; each variant needs "
                                                  r"visitors"):
        ab_test(0, 0, 10, 100)
    with pytest.raises(ValueError, match=r"alpha=1.5 must be strictly between 0 and 1"):
        ab_test(10, 100, 12, 100, alpha=1.5)
    assert ab_test(10.0, 100.0, np.int64(12), np.int32(100)).visitors_a == 100  # int-like ok


@settings(max_examples=150, deadline=None)
@given(st.integers(1, 5000), st.integers(1, 5000), st.data())
def test_ab_test_properties(na, nb, data):
    ca = data.draw(st.integers(0, na))
    cb = data.draw(st.integers(0, nb))
    r = ab_test(ca, na, cb, nb)
    assert 0.0 <= r.p_value <= 1.0
    assert r.ci_low <= r.diff + 1e-12 and r.diff <= r.ci_high + 1e-12
    assert -1.0 <= r.ci_low <= r.ci_high <= 1.0
    assert r.significant == (r.p_value < r.alpha)


# --- ab_test_table -------------------------------------------------------------------------------

@pytest.fixture
def experiments_table():
    days = pd.to_datetime(["2026-05-01", "2026-05-02"]).astype("datetime64[ns]")
    return pd.DataFrame({
        "experiment_id": ["e1"] * 4 + ["e2"] * 6,
        "name": ["main image"] * 4 + ["selling point"] * 6,
        "date": list(np.repeat(days, 2)) + list(np.repeat(days, 3)),
        "variant": ["A", "B", "A", "B", "A", "B", "C", "A", "B", "C"],
        "visitors": [5000, 5000, 5000, 5000, 3000, 3000, 3000, 3000, 3000, 3000],
        "conversions": [150, 170, 150, 175, 90, 95, 120, 90, 85, 130],
        "revenue": [0.0] * 10,
    })


def test_ab_test_table(experiments_table):
    got = ab_test_table(experiments_table)
    rows = [("e1", "main image", "B", (300, 10_000, 345, 10_000)),
            ("e2", "selling point", "B", (180, 6000, 180, 6000)),
            ("e2", "selling point", "C", (180, 6000, 250, 6000))]
    expected = pd.DataFrame(
        [{"experiment_id": e, "name": n, "variant": v,
          **dataclasses.asdict(ab_test(*counts))} for e, n, v, counts in rows])
    assert_frame_equal(got, expected)
    # the day totals, written out, and statsmodels on them
    assert got["visitors_b"].tolist() == [10_000, 6000, 6000]
    assert got["conversions_b"].tolist() == [345, 180, 250]
    assert got["p_value"].iloc[2] == pytest.approx(proportions_ztest([250, 180], [6000, 6000])[1])
    assert got["significant"].tolist() == [False, False, True]
    assert got["uplift"].iloc[1] == 0.0


def test_ab_test_table_without_name_and_other_control(experiments_table):
    table = experiments_table.drop(columns="name").replace({"variant": {"A": "control"}})
    got = ab_test_table(table, control="control")
    assert got["name"].tolist() == ["e1", "e2", "e2"]
    # one control per experiment: e2 compared against its variant B
    per = ab_test_table(table, control={"e1": "control", "e2": "B"})
    assert per["variant"].tolist() == ["B", "C", "control"]
    assert per["rate_a"].tolist() == [0.03, 0.03, 0.03]
    assert list(got.columns) == ["experiment_id", "name", "variant", *RESULT_COLUMNS]


def test_ab_test_table_errors(experiments_table):
    with pytest.raises(DataValidationError, match=r"experiment\(s\) 'e1', 'e2' have no control "
                                                  r"variant 'control' \('e1' has 'A', 'B'\)\. "
                                                  r"Pass control= .* control=\{'e1': 'A'\}"):
        ab_test_table(experiments_table, control="control")
    with pytest.raises(DataValidationError, match=r"control has no entry for experiment\(s\) "
                                                  r"'e2'; add them \(e.g. \{'e2': 'A'\}\)"):
        ab_test_table(experiments_table, control={"e1": "A"})
    bad = experiments_table.assign(conversions=[150, 170, 150, 175, 90, 95, 120, 90, 85, 3001])
    with pytest.raises(DataValidationError, match=r"1 row\(s\) of table 'experiments' have more "
                                                  r"conversions than visitors, e.g. rows 9"):
        ab_test_table(bad)
    with pytest.raises(DataValidationError, match=r"table 'experiments' is missing column\(s\) "
                                                  r"'conversions'"):
        ab_test_table(experiments_table.drop(columns="conversions"))
    with pytest.raises(DataValidationError, match=r"column 'visitors' of table 'experiments' "
                                                  r"has missing or negative values in rows 0"):
        ab_test_table(experiments_table.assign(visitors=[-1] + [5000] * 9))


# --- sample size and power ----------------------------------------------------------------------

@pytest.mark.parametrize(("baseline", "uplift", "alpha", "power"), [
    (0.03, 0.15, 0.05, 0.8), (0.03, 0.10, 0.05, 0.9), (0.10, 0.05, 0.01, 0.8),
    (0.5, 0.2, 0.1, 0.8)])
def test_sample_size_equals_statsmodels(baseline, uplift, alpha, power):
    h = proportion_effectsize(baseline * (1 + uplift), baseline)
    n = NormalIndPower().solve_power(effect_size=h, alpha=alpha, power=power, ratio=1.0)
    assert sample_size(baseline, uplift, alpha=alpha, power=power) == math.ceil(n)


def test_sample_size_closed_form_reference():
    # 3 % -> 3.45 %: Cohen's h = 2 asin(sqrt(0.0345)) - 2 asin(sqrt(0.03)) = 0.0254874.
    # The textbook closed form n = 2 (z_0.975 + z_0.8)^2 / h^2 = 24165.03 ignores the far tail;
    # statsmodels solves the exact two-sided equation
    # power = Phi(h sqrt(n/2) - z_0.975) + Phi(-h sqrt(n/2) - z_0.975) = 0.8 -> n = 24164.97,
    # so 24165 visitors per variant.
    h = 2 * math.asin(math.sqrt(0.0345)) - 2 * math.asin(math.sqrt(0.03))
    assert h == pytest.approx(0.0254874, abs=1e-7)
    z = stats.norm.ppf(0.975)
    closed = 2 * (z + stats.norm.ppf(0.8)) ** 2 / h**2
    assert closed == pytest.approx(24165.03, abs=0.01)
    exact = 24164.97
    shift = h * math.sqrt(exact / 2)
    power = stats.norm.cdf(shift - z) + stats.norm.cdf(-shift - z)
    assert power == pytest.approx(0.8, abs=1e-6)
    assert sample_size(0.03, 0.15) == 24165
    assert isinstance(sample_size(0.03, 0.15), int)


def test_sample_size_errors():
    with pytest.raises(ValueError, match=r"baseline_rate=3 must be strictly between 0 and 1, "
                                         r"the control's conversion rate"):
        sample_size(3, 0.1)
    with pytest.raises(ValueError, match=r"min_detectable_uplift=0 must be a relative uplift "
                                         r"> 0"):
        sample_size(0.03, 0)
    with pytest.raises(ValueError, match=r"is above 1; choose a smaller min_detectable_uplift"):
        sample_size(0.6, 1.0)
    with pytest.raises(ValueError, match=r"power=80 must be strictly between 0 and 1"):
        sample_size(0.03, 0.1, power=80)


def test_power_curve():
    got = power_curve(0.03, uplifts=[0.1, 0.2, 0.3])
    h = [float(proportion_effectsize(0.03 * (1 + u), 0.03)) for u in (0.1, 0.2, 0.3)]
    expected = pd.DataFrame({
        "min_detectable_uplift": [0.1, 0.2, 0.3], "baseline_rate": [0.03] * 3,
        "target_rate": [0.033, 0.036, 0.039], "effect_size": h,
        "visitors_per_variant": [sample_size(0.03, u) for u in (0.1, 0.2, 0.3)]})
    assert_frame_equal(got, expected)
    default = power_curve(0.03)
    assert len(default) == 49 and default["visitors_per_variant"].is_monotonic_decreasing


# --- peeking -------------------------------------------------------------------------------------

def test_pooled_z_pvalues_equal_statsmodels():
    rng = np.random.default_rng(7)
    n_a, n_b = rng.integers(50, 5000, 200), rng.integers(50, 5000, 200)
    c_a, c_b = rng.binomial(n_a, 0.04), rng.binomial(n_b, 0.05)
    got = experiments._pooled_z_pvalues(c_b, n_b, c_a, n_a)
    ref = [proportions_ztest([cb, ca], [nb, na])[1]
           for ca, na, cb, nb in zip(c_a, n_a, c_b, n_b, strict=True)]
    np.testing.assert_allclose(got, ref, rtol=1e-10)
    assert experiments._pooled_z_pvalues(0, 10, 0, 10) == 1.0


def test_peeking_simulation_replays_with_statsmodels():
    r = peeking_simulation(rate=0.05, daily_visitors=200, days=6, n_sims=40, seed=3)
    # replay the documented draws and test every day with statsmodels
    conv = np.random.default_rng(3).binomial(200, 0.05, size=(2, 40, 6)).cumsum(axis=2)
    sig = np.array([[proportions_ztest([conv[1, s, d], conv[0, s, d]],
                                       [200 * (d + 1)] * 2)[1] < 0.05 for d in range(6)]
                    for s in range(40)])
    assert r.ever_significant == sig.any(axis=1).mean()
    assert r.significant_at_end == sig[:, -1].mean()
    expected = pd.DataFrame({"day": np.arange(1, 7), "significant_today": sig.mean(axis=0),
                             "ever_significant": np.maximum.accumulate(sig, axis=1).mean(axis=0)})
    assert_frame_equal(r.by_day, expected)


def test_peeking_inflates_false_positives():
    r = peeking_simulation(rate=0.03, daily_visitors=2000, days=30, n_sims=2000, seed=42)
    assert 0.02 < r.significant_at_end < 0.08           # close to alpha = 5 %
    assert r.ever_significant > 2 * r.significant_at_end
    assert r.by_day["ever_significant"].is_monotonic_increasing
    assert list(r.by_day.columns) == ["day", "significant_today", "ever_significant"]
    assert r.by_day["day"].tolist() == list(range(1, 31))
    summary = r.to_frame()
    assert list(summary.columns) == ["rate", "daily_visitors", "days", "n_sims", "alpha",
                                     "ever_significant", "significant_at_end"]
    same = peeking_simulation(rate=0.03, daily_visitors=2000, days=30, n_sims=2000,
                              seed=np.random.default_rng(42))
    assert same.ever_significant == r.ever_significant


def test_peeking_simulation_errors():
    with pytest.raises(ValueError, match=r"seed=None must be an int or a numpy Generator"):
        peeking_simulation(rate=0.03, daily_visitors=100, days=5, seed=None)
    with pytest.raises(ValueError, match=r"peeking_simulation: days must be a whole number "
                                         r">= 1, got 0"):
        peeking_simulation(rate=0.03, daily_visitors=100, days=0, seed=1)
    with pytest.raises(ValueError, match=r"rate=0 must be strictly between 0 and 1"):
        peeking_simulation(rate=0, daily_visitors=100, days=5, seed=1)


# --- revenue per visitor -------------------------------------------------------------------------

def test_revenue_per_visitor_test_equals_scipy():
    rng = np.random.default_rng(0)
    a = np.where(rng.random(400) < 0.05, rng.gamma(2, 60, 400), 0.0)
    b = np.where(rng.random(380) < 0.06, rng.gamma(2, 60, 380), 0.0)
    got = revenue_per_visitor_test(a, b, alpha=0.1)
    ref = stats.ttest_ind(b, a, equal_var=False)
    lo, hi = ref.confidence_interval(confidence_level=0.9)
    assert (got.n_a, got.n_b) == (400, 380)
    assert got.mean_a == pytest.approx(a.mean()) and got.mean_b == pytest.approx(b.mean())
    assert got.statistic == pytest.approx(ref.statistic) and got.df == pytest.approx(ref.df)
    assert got.p_value == pytest.approx(ref.pvalue)
    assert (got.ci_low, got.ci_high) == (pytest.approx(lo), pytest.approx(hi))
    assert got.uplift == pytest.approx(b.mean() / a.mean() - 1)
    assert got.to_frame().shape == (1, 13)


def test_revenue_from_stats_equals_raw_data():
    a = np.array([0, 0, 100, 0, 50, 0.0])
    b = np.array([0, 120, 100, 0, 80, 0.0])
    raw = revenue_per_visitor_test(a, b)
    summary = revenue_per_visitor_test_from_stats(a.mean(), a.std(ddof=1), 6, b.mean(),
                                                  b.std(ddof=1), 6)
    for name in ("diff", "ci_low", "ci_high", "statistic", "df", "p_value"):
        assert getattr(summary, name) == pytest.approx(getattr(raw, name), rel=1e-10), name
    # scipy.stats.ttest_ind_from_stats on the same summary, called directly
    ref = stats.ttest_ind_from_stats(50.0, b.std(ddof=1), 6, 25.0, a.std(ddof=1), 6,
                                     equal_var=False)
    assert summary.p_value == pytest.approx(ref.pvalue)


def test_revenue_test_errors():
    with pytest.raises(DataValidationError, match=r"revenue_b needs a 1-d array of at least 2"):
        revenue_per_visitor_test([1.0, 2.0], [3.0])
    with pytest.raises(DataValidationError, match=r"revenue_a has 1 missing or infinite values"):
        revenue_per_visitor_test([1.0, np.nan], [3.0, 4.0])
    with pytest.raises(DataValidationError, match=r"revenue_a must be numbers"):
        revenue_per_visitor_test(["a", "b"], [3.0, 4.0])
    with pytest.raises(DataValidationError, match=r"std_a=-1.0 must be a finite number >= 0"):
        revenue_per_visitor_test_from_stats(1.0, -1.0, 10, 1.0, 1.0, 10)
    with pytest.raises(DataValidationError, match=r"n_b=1 must be at least 2 visitors"):
        revenue_per_visitor_test_from_stats(1.0, 1.0, 10, 1.0, 1.0, 1)


@pytest.mark.filterwarnings("ignore:Precision loss occurred:RuntimeWarning")
@settings(max_examples=60, deadline=None)
@given(st.lists(st.floats(0, 1e4), min_size=2, max_size=30),
       st.lists(st.floats(0, 1e4), min_size=2, max_size=30))
def test_revenue_p_value_in_unit_interval(a, b):
    r = revenue_per_visitor_test(a, b)
    assert math.isnan(r.p_value) or 0.0 <= r.p_value <= 1.0


# --- the generated shop's planted tests ----------------------------------------------------------

@pytest.mark.slow
def test_story_page_tests(small_shop):
    truth = small_shop.truth
    keys = ("page_test_uplift", "page_test_null", "coupon_form_test")
    controls = {truth[k]["experiment_id"]: truth[k]["control"] for k in keys}
    got = ab_test_table(small_shop.experiments, control=controls).set_index("experiment_id")
    for key in keys:
        t, row = truth[key], got.loc[truth[key]["experiment_id"]]
        assert row["variant"] == t["variants"][1]
        assert round(row["uplift"], 4) == pytest.approx(t["observed_relative_uplift"], abs=1e-4)
        assert row["p_value"] == pytest.approx(t["p_value"], rel=1e-3)
    real, null = got.loc[truth["page_test_uplift"]["experiment_id"]], \
        got.loc[truth["page_test_null"]["experiment_id"]]
    assert real["significant"] and real["uplift_ci_low"] > 0
    assert not null["significant"] and null["uplift_ci_low"] < 0 < null["uplift_ci_high"]


# --- chart and docstrings ------------------------------------------------------------------------

def test_uplift_chart(experiments_table):
    results = ab_test_table(experiments_table)
    fig, ax = plt.subplots()
    try:
        assert plots.uplift_chart(results, ax=ax) is ax
        labels = [t.get_text() for t in ax.get_yticklabels()]
        assert labels == ["main image (B)", "selling point (B)", "selling point (C)"]
        assert len(fig.axes) == 1
    finally:
        plt.close(fig)
    single = ab_test(300, 10_000, 345, 10_000).to_frame()
    ax = plots.uplift_chart(single)
    assert [t.get_text() for t in ax.get_yticklabels()] == ["0"]
    plt.close("all")
    with pytest.raises(DataValidationError, match=r"uplift_chart: table 'results' is missing "
                                                  r"column\(s\) 'uplift'"):
        plots.uplift_chart(results.drop(columns="uplift"))


def test_docstring_examples_run():
    result = doctest.testmod(experiments, optionflags=doctest.NORMALIZE_WHITESPACE)
    assert result.attempted > 10 and result.failed == 0
