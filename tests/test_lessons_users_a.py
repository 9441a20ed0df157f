"""Lessons 01_users/01_segmentation and 01_users/02_growth: their stories on the demo shop
(against the generator's truth) and their notebooks. The library functions the lessons use
(``touch_budget``, ``new_customers_table``, ``referral_what_if`` ...) are tested on hand-built
frames in tests/test_users.py.

The exercise sets themselves (mistakes get their hints) are tested for every lesson by
tests/test_exercise_sets.py; the notebooks (in sync with their Markdown sources, and run blank
and solved) in tests/test_notebooks.py.
"""

from __future__ import annotations

from pathlib import Path

import nbformat
import pandas as pd
import pytest
from pandas.testing import assert_frame_equal, assert_series_equal

from playbook_lib import exercises, report, users
from playbook_lib.exercises.users_segmentation import TOP_SEGMENT

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = ROOT / "notebooks" / "01_users"
SEGMENTATION = "01_users/01_segmentation"
GROWTH = "01_users/02_growth"


@pytest.fixture(autouse=True)
def _private_home(tmp_path, monkeypatch):
    monkeypatch.setenv("PLAYBOOK_HOME", str(tmp_path / "home"))


def _expected(lesson: str, qname: str, ds, **params):
    """The expected answer of a question, as the notebook's check computes it."""
    spec = exercises.get_set(lesson)
    bound = spec.bind_params(ds, params or spec.examples(ds))
    return spec.question(qname).expected(ds, **bound)


# ------------------------------------------------------------------------------------------
# the stories on the demo shop
# ------------------------------------------------------------------------------------------

def test_segmentation_figures_are_the_librarys(demo):
    as_of = users.default_as_of(demo.orders)
    paid = demo.orders[demo.orders["status"] == "paid"]
    rfm = _expected(SEGMENTATION, "q3", demo)
    assert_frame_equal(rfm, users.rfm_table(demo.orders, as_of))
    # every paid order of the demo shop is before as_of: the RFM table holds them all
    assert rfm["frequency"].sum() == demo.truth["magnitudes"]["paid_orders"] == len(paid)
    assert len(rfm) == paid["customer_id"].nunique()
    assert rfm["monetary"].sum() == pytest.approx(paid["net_amount"].sum())
    # the segment sizes add up to the paying customers
    sizes = _expected(SEGMENTATION, "q4", demo)
    assert sizes.sum() == len(rfm)
    assert list(sizes.index) == list(users.RFM_SEGMENTS)
    # dormant customers: the exercise, the slider's function and the lifecycle stage agree
    n_dormant = _expected(SEGMENTATION, "q1", demo)
    stages = users.lifecycle_stages(demo.orders, as_of=as_of, dormant_days=180)
    assert n_dormant == (stages["stage"] == "dormant").sum() == users.dormant_share(
        demo.orders, as_of, threshold_days=180).dormant


def test_top_segment_holds_a_disproportionate_share_of_revenue(demo):
    """The story: champions are a small group carrying a share of revenue far above their size.

    truth.json records nothing on RFM segments, so the figures are checked against the library
    and against what the generator plants in general (a skewed spend distribution). On the demo
    shop the champions are 14.9 % of the paying customers and bring 38.7 % of the revenue,
    2.6 times their share (segment_summary of rfm_segments at the day after the last order).
    """
    as_of = users.default_as_of(demo.orders)
    summary = users.segment_summary(users.rfm_segments(users.rfm_scores(
        users.rfm_table(demo.orders, as_of))))
    top = summary.loc[TOP_SEGMENT]
    assert _expected(SEGMENTATION, "q5", demo) == pytest.approx(top["revenue_share"])
    ratio = _expected(SEGMENTATION, "q6", demo)
    assert ratio == pytest.approx(top["revenue_share"] / top["customer_share"])
    assert ratio > 2.0
    assert top["customer_share"] < 0.2 and top["revenue_share"] > 0.35
    # the top segment is the biggest earner and spends the most per customer
    assert summary["revenue_share"].idxmax() == TOP_SEGMENT
    assert summary["revenue_per_customer"].idxmax() == TOP_SEGMENT


def test_take_up_by_stage_orders_the_stages(demo):
    """The worked cost comparison's data: high-value and active customers of 90 days ago bought
    again far more often than lapsing and dormant ones, so a blanket coupon is mostly used by
    customers who buy anyway."""
    as_of = users.default_as_of(demo.orders)
    back = as_of - pd.Timedelta(days=90)
    then = users.lifecycle_stages(demo.orders, demo.customers, as_of=back)
    paid = demo.orders[(demo.orders["status"] == "paid") & (demo.orders["order_ts"] >= back)]
    rate = then.index.isin(set(paid["customer_id"]))
    take_up = pd.Series(rate, index=then.index).groupby(then["stage"], observed=True).mean()
    assert take_up["high_value"] > take_up["active"] > take_up["lapsing"] > take_up["dormant"]
    budget = users.touch_budget(then["stage"].value_counts().reindex(take_up.index.astype(str)),
                                dict.fromkeys(take_up.index.astype(str), 0.0), blanket_cost=20.0,
                                take_up=take_up.rename(index=str))
    regulars = budget.loc[["active", "high_value"], "blanket_cost"].sum()
    assert regulars / budget.loc["total", "blanket_cost"] > 0.5


def test_referral_start_is_the_planted_one(demo):
    truth = demo.truth["referrals"]
    start = _expected(GROWTH, "q2", demo)
    assert start == str(truth["start"])[:7]
    assert start == demo.referrals["invited_ts"].min().strftime("%Y-%m")
    # mid-period: after the first month of orders, before the last
    first = demo.orders["order_ts"].min().to_period("M")
    last = demo.orders["order_ts"].max().to_period("M")
    assert first < pd.Period(start, "M") < last
    table = users.new_customers_table(demo.customers, start=first)
    assert table.loc[: pd.Period(start, "M") - 1, "referral"].sum() == 0
    assert (table.loc[pd.Period(start, "M"):, "referral"] > 0).all()


def test_referral_funnel_k_factor_and_cost_match_the_truth(demo):
    """Definitions, made explicit:

    - generator (truth.json ``referrals.k_factor``): invitations whose invitee placed a first
      paid order (``first_order_id`` filled) / distinct ``referrer_id`` in ``referrals``;
    - library (``users.referral_summary(...)["k_factor"]``): first orders / active referrers,
      where first orders are rows with a ``first_order_id`` (or, when ``orders`` is passed,
      one that is a paid order) and active referrers are the distinct ``referrer_id`` of the
      period; with ``freq=None`` the period is the whole table, so the two agree.
    truth.json rounds the K-factor to 4 decimals.
    """
    truth = demo.truth["referrals"]
    funnel = _expected(GROWTH, "q3", demo)
    assert funnel.to_dict() == {"invitations": truth["invitations"],
                                "sign_ups": truth["signed_up"],
                                "first_orders": truth["first_orders"]}
    k = _expected(GROWTH, "q4", demo)
    assert k == pytest.approx(truth["first_orders"] / truth["referrers"], rel=1e-12)
    assert k == pytest.approx(truth["k_factor"], abs=5e-5)
    # with the orders table (first orders must be paid orders): the same on the demo shop
    with_orders = users.referral_summary(demo.referrals, demo.orders).loc["all"]
    assert with_orders["first_orders"] == truth["first_orders"]
    assert with_orders["k_factor"] == pytest.approx(truth["k_factor"], abs=5e-5)
    assert with_orders["active_referrers"] == truth["referrers"]
    # cost per acquired customer, both rewards: the invitee's coupon at sign-up for every
    # sign-up, the inviter's reward for every first order
    rewards = (truth["signed_up"] * truth["invitee_reward"]
               + truth["first_orders"] * truth["referrer_reward"])
    assert _expected(GROWTH, "q5", demo) == pytest.approx(rewards / truth["first_orders"])
    # the what-if's "today" row is the programme as it is
    today = users.referral_what_if(demo.referrals, {"today": (0, 0)}).loc["today"]
    assert today["k_factor"] == pytest.approx(k)
    assert today["reward_cost"] == pytest.approx(rewards)


def test_referral_story_holds_on_another_shop(small_shop):
    truth = small_shop.truth["referrals"]
    assert _expected(GROWTH, "q2", small_shop) == str(truth["start"])[:7]
    assert _expected(GROWTH, "q4", small_shop) == pytest.approx(truth["k_factor"], abs=5e-5)


def test_month_new_customers_add_up(demo):
    month = exercises.get_set(GROWTH).examples(demo)["month"]
    by_channel = _expected(GROWTH, "q1", demo)
    in_month = demo.customers["signup_ts"].dt.strftime("%Y-%m") == month
    assert by_channel.sum() == in_month.sum()
    assert_series_equal(
        by_channel.sort_index(),
        demo.customers[in_month].groupby("acquisition_channel").size().sort_index(),
        check_names=False)


# ------------------------------------------------------------------------------------------
# the notebooks
# ------------------------------------------------------------------------------------------

@pytest.mark.parametrize(("name", "params"), [
    ("01_segmentation", ["DATA", "AS_OF", "DORMANT_DAYS", "WINDOW_DAYS", "LOYAL_MIN", "RFM_BINS"]),
    ("02_growth", ["DATA", "MONTH", "REFERRAL_CHANNEL", "SIGNUP_UPLIFT", "FIRST_ORDER_UPLIFT"]),
])
def test_notebook_parameters(name, params):
    found = report.describe_parameters(NOTEBOOKS / f"{name}.ipynb")
    assert [p.name for p in found] == params
    assert all(p.help for p in found), "every parameter has an inline comment"
    defaults = {p.name: p.default for p in found}
    assert defaults["DATA"] == "demo"
    assert defaults.get("AS_OF", "") == "" and defaults.get("MONTH", "") == ""


def test_segmentation_widget_is_papermill_safe():
    nb = nbformat.read(str(NOTEBOOKS / "01_segmentation.ipynb"), as_version=4)
    source = "\n".join(c.source for c in nb.cells if c.cell_type == "code")
    assert "widgets.interactive(" in source and "display(" in source
    assert "users.dormant_share(" in source  # the widget's computation is the library's


@pytest.mark.parametrize("name", ["01_segmentation", "02_growth"])
def test_each_exercise_has_a_check_and_a_commented_hint(name):
    nb = nbformat.read(str(NOTEBOOKS / f"{name}.ipynb"), as_version=4)
    code = [c.source for c in nb.cells if c.cell_type == "code"]
    spec = exercises.get_set(f"01_users/{name}")
    for q in spec.questions:
        i = next(i for i, s in enumerate(code) if f"{q.name}.check({q.answer_var})" in s)
        assert "____" in code[i]
        assert code[i + 1] == f"# {q.name}.hint()\n# {q.name}.solution()"
