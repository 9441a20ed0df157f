"""Lessons 02_products/01_selection and 02_inventory: their helpers, their stories, their knobs.

* ``playbook_lib.products`` on small hand-built frames with the full expected result;
* the stories each lesson leads to, found by the exercises' expected answers on the demo shop,
  equal the generator's ``truth.json`` (the juicer's summer, its search surge, the slow movers,
  the best-seller that ran out before a campaign);
* each lesson, solved in its notebook, still answers every question correctly with other
  parameter values than the defaults (tests/test_notebooks.py runs the defaults).
"""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from lesson_runs import not_correct, run_solved
from pandas.testing import assert_frame_equal, assert_series_equal

from playbook_lib import campaigns, exercises, products
from playbook_lib.errors import DataValidationError

SELECTION = "02_products/01_selection"
INVENTORY = "02_products/02_inventory"
NOTEBOOKS = Path(__file__).resolve().parents[1] / "notebooks"


@pytest.fixture(autouse=True)
def _private_home(tmp_path, monkeypatch):
    monkeypatch.setenv("PLAYBOOK_HOME", str(tmp_path / "home"))


def ts(*values):
    return pd.to_datetime(list(values)).astype("datetime64[ns]")


# --- season_lift -------------------------------------------------------------------------------

def test_season_lift_full_result():
    sales = pd.DataFrame({
        "period": ts("2026-05-01", "2026-06-01", "2026-07-01", "2026-05-01", "2026-06-01",
                     "2026-07-01", "2026-06-01"),
        "key": ["juicer"] * 3 + ["kettle"] * 3 + ["fan"],
        "units": [10, 40, 50, 20, 20, 22, 5]})
    got = products.season_lift(sales, months=[6, 7])
    # juicer: (40 + 50) / 2 / 10; kettle: 21 / 20; fan: no month outside the season -> NaN
    expected = pd.DataFrame({
        "key": ["juicer", "kettle", "fan"],
        "season_mean": [45.0, 21.0, 5.0], "rest_mean": [10.0, 20.0, np.nan],
        "lift": [4.5, 1.05, np.nan], "season_periods": [2, 2, 1], "rest_periods": [1, 1, 0]})
    assert_frame_equal(got, expected, check_dtype=False)


def test_season_lift_only_in_season_is_infinite_and_first():
    sales = pd.DataFrame({"period": ts("2026-05-01", "2026-06-01", "2026-05-01", "2026-06-01"),
                          "key": ["a", "a", "b", "b"], "units": [0, 9, 1, 3]})
    got = products.season_lift(sales, months=6)
    assert got["key"].tolist() == ["a", "b"]
    assert np.isinf(got["lift"].iloc[0]) and got["lift"].iloc[1] == 3.0


def test_season_lift_other_columns_and_search_table():
    terms = pd.DataFrame({"month": ts("2026-05-01", "2026-06-01", "2026-07-01"),
                          "keyword": "juicer", "impressions": [100, 300, 500]})
    got = products.season_lift(terms, months=(6, 7), key_col="keyword", period_col="month",
                            value_col="impressions")
    assert got.loc[0, "key"] == "juicer" and got.loc[0, "lift"] == pytest.approx(4.0)


def test_season_lift_needs_months_in_and_out_of_the_season():
    sales = pd.DataFrame({"period": ts("2026-06-01", "2026-07-01"), "key": "a", "units": [1, 2]})
    with pytest.raises(DataValidationError, match=r"season_lift: .*periods both in and outside"):
        products.season_lift(sales, months=[6, 7])
    with pytest.raises(DataValidationError, match=r"season_lift: .*periods both in and outside"):
        products.season_lift(sales, months=[12])


@pytest.mark.parametrize("months", [[], [0], [13], list(range(1, 13)), ["summer"]])
def test_season_lift_rejects_bad_months(months):
    sales = pd.DataFrame({"period": ts("2026-06-01"), "key": "a", "units": [1]})
    with pytest.raises(ValueError, match=r"season_lift: months=.* calendar months 1-12"):
        products.season_lift(sales, months=months)


@settings(max_examples=40, deadline=None)
@given(st.lists(st.integers(0, 50), min_size=12, max_size=12),
       st.sets(st.integers(1, 12), min_size=1, max_size=11))
def test_season_lift_is_the_ratio_of_the_two_means(units, months):
    sales = pd.DataFrame({"period": pd.date_range("2025-01-01", periods=12, freq="MS"),
                          "key": "k", "units": units})
    row = products.season_lift(sales, months=months).iloc[0]
    inside = [u for m, u in zip(range(1, 13), units, strict=True) if m in months]
    outside = [u for m, u in zip(range(1, 13), units, strict=True) if m not in months]
    assert row["season_mean"] == pytest.approx(np.mean(inside))
    assert row["rest_mean"] == pytest.approx(np.mean(outside))
    assert row["season_periods"] + row["rest_periods"] == 12
    if np.mean(outside) > 0:
        assert row["lift"] == pytest.approx(np.mean(inside) / np.mean(outside))


# --- selection_candidates ----------------------------------------------------------------------

@pytest.fixture
def tiny_shop():
    """s1 doubles its GMV from January to February; s2 stays flat and gives 10 % away."""
    orders = pd.DataFrame({"order_id": ["o1", "o2", "o3", "o4", "o5"],
                           "status": ["paid", "paid", "paid", "paid", "unpaid"],
                           "order_ts": ts("2026-01-05", "2026-01-06", "2026-02-03",
                                          "2026-02-04", "2026-02-05")})
    items = pd.DataFrame({"order_id": ["o1", "o2", "o3", "o4", "o5"],
                          "sku": ["s1", "s2", "s1", "s2", "s1"], "quantity": 1,
                          "unit_price": 100.0, "discount_amount": [0.0, 10.0, 0.0, 10.0, 0.0],
                          "net_amount": [50.0, 90.0, 100.0, 90.0, 100.0],
                          "returned_qty": [0, 0, 1, 0, 0]})
    prods = pd.DataFrame({"sku": ["s1", "s2"], "name": ["Juicer", "Kettle"],
                          "category": "appliances", "unit_cost": [20.0, 45.0]})
    return orders, items, prods


def test_selection_candidates_full_result(tiny_shop):
    orders, items, prods = tiny_shop
    got = products.selection_candidates(orders, items, prods, month="2026-02", months=1)
    # s1: Feb 100 / Jan 50 - 1 = 1 (the unpaid o5 does not count); margin: o3 returned, so
    # net sales 50, cost 20 -> 0.6; competition 0 / 200. s2: 90 / 90 - 1 = 0; margin
    # (180 - 90) / 180 = 0.5; competition 20 / 200 = 0.1.
    expected = pd.DataFrame({"key": ["s1", "s2"], "name": ["Juicer", "Kettle"],
                             "category": ["appliances", "appliances"], "gmv": [100.0, 90.0],
                             "growth": [1.0, 0.0], "margin": [0.6, 0.5],
                             "competition": [0.0, 0.1],
                             "growth_basis": ["the months just before"] * 2})
    assert_frame_equal(got, expected, check_dtype=False)


def test_selection_candidates_prefers_the_same_months_a_year_earlier(tiny_shop):
    orders, items, prods = tiny_shop
    early = orders.assign(order_id=orders["order_id"] + "y",
                          order_ts=orders["order_ts"] - pd.DateOffset(years=1))
    early_items = items.assign(order_id=items["order_id"] + "y",
                               net_amount=items["net_amount"] / 2)
    got = products.selection_candidates(pd.concat([early, orders]), pd.concat([early_items, items]),
                                     prods, month="2026-02", months=1)
    assert (got["growth_basis"] == "same months a year earlier").all()
    # February 2026 against February 2025 (half the amounts): growth 1 for both
    assert got["growth"].tolist() == pytest.approx([1.0, 1.0])


def test_selection_candidates_needs_history(tiny_shop):
    orders, items, prods = tiny_shop
    with pytest.raises(DataValidationError, match=r"selection_candidates: .*start in 2026-01"):
        products.selection_candidates(orders, items, prods, month="2026-02", months=2)
    with pytest.raises(ValueError, match=r"selection_candidates: months must be a whole number "
                                         r">= 1, got 0; e.g. 3"):
        products.selection_candidates(orders, items, prods, month="2026-02", months=0)


def test_selection_candidates_feed_the_scorecard(demo):
    cands = products.selection_candidates(demo.orders, demo.order_items, demo.products,
                                          month="2026-10")
    assert len(cands) > 50 and cands[["growth", "margin", "competition"]].notna().all().all()
    assert cands["margin"].between(-1, 1).all() and cands["competition"].between(0, 1).all()
    scores = products.selection_scores(cands)
    assert set(scores["key"]) == set(cands["key"])


# --- reassortment_calendar ---------------------------------------------------------------------

def test_reassortment_calendar_full_result():
    sales = pd.DataFrame({
        "period": list(pd.date_range("2025-01-01", periods=12, freq="MS")) * 2,
        "key": ["sun"] * 12 + ["gift"] * 12,
        "units": [1, 1, 1, 1, 2, 6, 8, 4, 1, 1, 1, 1] + [9, 3] + [1] * 10})
    prods = pd.DataFrame({"sku": ["sun", "gift"], "name": ["Sunscreen", "Gift Box"],
                          "lead_time_days": [20, 10]})
    got = products.reassortment_calendar(sales, prods, as_of="2026-03-10", lead_in_days=30)
    # gift peaks in January: the next January is 2027; sun peaks in July 2026.
    expected = pd.DataFrame({
        "sku": ["sun", "gift"], "name": ["Sunscreen", "Gift Box"], "peak_month": [7, 1],
        "peak_index": [8 / (28 / 12), 9 / (22 / 12)], "lead_time_days": [20, 10],
        "push_from": ts("2026-06-01", "2026-12-02"), "order_by": ts("2026-05-12", "2026-11-22")})
    assert_frame_equal(got, expected, check_dtype=False)


# --- campaigns --------------------------------------------------------------------------------

@pytest.fixture
def camps():
    return pd.DataFrame({
        "campaign_id": ["D11-2024", "FLASH-2025", "618-2025", "D11-2025"],
        "name": ["Double 11 2024", "Flash 2025", "618 Mid-Year Sale 2025", "Double 11 2025"],
        "kind": ["festival", "flash_sale", "festival", "festival"],
        "warmup_start": ts("2024-11-01", "2025-07-19", "2025-05-28", "2025-10-24"),
        "peak_start": ts("2024-11-11", "2025-07-20", "2025-06-16", "2025-11-11"),
        "peak_end": ts("2024-11-11", "2025-07-20", "2025-06-18", "2025-11-11")})


def test_next_campaign_from_the_table(camps):
    nxt = campaigns.next_campaign(camps, as_of="2025-07-01")
    assert nxt["campaign_id"] == "D11-2025" and not nxt["projected"]
    assert nxt["days_to_peak"] == (pd.Timestamp("2025-11-11") - pd.Timestamp("2025-07-01")).days
    # a campaign whose peak is today (end of day) is over; the flash sale is not big
    assert campaigns.next_campaign(camps, as_of="2025-06-18")["campaign_id"] == "D11-2025"
    assert campaigns.next_campaign(camps, as_of="2025-07-01",
                                   kinds=["flash_sale"])["campaign_id"] == "FLASH-2025"


def test_next_campaign_projected_from_the_latest_edition(camps):
    nxt = campaigns.next_campaign(camps, as_of="2026-03-01")
    assert (nxt["campaign_id"], nxt["name"], nxt["based_on"]) == \
        ("618-2026", "618 Mid-Year Sale 2026", "618-2025")
    assert nxt["projected"] and nxt["peak_start"] == pd.Timestamp("2026-06-16")
    # D11-2024 and D11-2025 both land on 2026-11-11: the 2025 edition's warm-up is used
    d11 = campaigns.next_campaign(camps, as_of="2026-07-01")
    assert d11["campaign_id"] == "D11-2026" and d11["based_on"] == "D11-2025"
    assert d11["warmup_start"] == pd.Timestamp("2026-10-24")


def test_next_campaign_unknown_kind(camps):
    with pytest.raises(DataValidationError, match=r"next_campaign: .*no campaign of kind 'mega'"):
        campaigns.next_campaign(camps, as_of="2026-01-01", kinds="mega")


def test_pre_campaign_windows(camps):
    got = campaigns.pre_campaign_windows(camps, days=30, first="2024-10-20", last="2025-10-01")
    # D11-2025's window ends 2025-10-23, after the last day: left out
    expected = pd.DataFrame({
        "campaign_id": ["D11-2024", "618-2025"],
        "name": ["Double 11 2024", "618 Mid-Year Sale 2025"],
        "warmup_start": ts("2024-11-01", "2025-05-28"),
        "start": ts("2024-10-20", "2025-04-28"),  # clipped to the data's first day
        "end": ts("2024-10-31", "2025-05-27")})
    assert_frame_equal(got, expected)
    later = campaigns.pre_campaign_windows(camps, days=30, first="2024-11-01", last="2025-12-31")
    # D11-2024's window ends 2024-10-31, before the first day: left out
    assert later["campaign_id"].tolist() == ["618-2025", "D11-2025"]
    with pytest.raises(ValueError, match=r"pre_campaign_windows: days must be a whole number "
                                         r">= 1, got 0; e.g. 30"):
        campaigns.pre_campaign_windows(camps, days=0)


# --- the stories, on the demo shop -----------------------------------------------------------

def _expected(lesson, qname, ds, **params):
    spec = exercises.get_set(lesson)
    bound = spec.bind_params(ds, {k: params.get(k) for k in spec.params})
    return spec.question(qname).expected(ds, **bound)


def test_selection_finds_the_juicer_summer(demo):
    truth = demo.truth
    assert _expected(SELECTION, "q2", demo) == truth["juicer_surge"]["sku"]
    surge = truth["juicer_search_surge"]
    assert surge["sku"] == truth["juicer_surge"]["sku"]
    top = _expected(SELECTION, "q3", demo, n_keywords=len(surge["keywords"]))
    assert top[0] in surge["keywords"]
    assert sorted(top) == sorted(surge["keywords"])


def test_inventory_finds_the_slow_movers(demo):
    truth = demo.truth["slow_movers"]
    params = {"as_of": truth["as_of"], "slow_days": 180, "window_days": 90}
    assert sorted(_expected(INVENTORY, "q4", demo, **params)) == sorted(truth["skus"])
    # the learner's route (the worked answer) finds them too: that day is the lesson's default
    # (the inventory's last day), and test_notebooks.py's solved run of the lesson on the demo
    # shop (test_solved_copy_is_all_correct[02_products/02_inventory-demo]) answers q4 correctly
    defaults = exercises.get_set(INVENTORY).bind_params(
        demo, {k: None for k in exercises.get_set(INVENTORY).params})
    assert (defaults["as_of"], defaults["slow_days"], defaults["window_days"]) == (
        truth["as_of"], 180, 90)


def test_inventory_finds_the_best_seller_that_ran_out(demo):
    truth = demo.truth["stockout"]
    got = _expected(INVENTORY, "q6", demo)
    assert got.index.tolist() == [truth["sku"]]
    assert int(got.iloc[0]) == truth["days"]
    # and it happened in the window before the campaign the generator planted it in
    windows = campaigns.pre_campaign_windows(demo.campaigns, days=30,
                                             first=demo.inventory["date"].min(),
                                             last=demo.inventory["date"].max())
    hit = windows[(windows["start"] <= truth["start"]) & (windows["end"] >= truth["end"])]
    assert hit["campaign_id"].tolist() == [truth["campaign_id"]]


# --- the knobs: the lessons solved in their notebooks with other parameters ------------------

def _solved_with(lesson, params, tmp_path):
    """papermill on the lesson's solved copy with ``params``; every question must be correct."""
    executed = run_solved(NOTEBOOKS / f"{lesson}.md", tmp_path, params=params)
    bad = not_correct(lesson, exercises.get_set(lesson).names,
                      Path(os.environ["PLAYBOOK_HOME"]) / "progress.jsonl", executed)
    assert not bad, f"{lesson} solved with {params}:\n  " + "\n  ".join(bad)


@pytest.mark.slow
@pytest.mark.parametrize("params", [
    {"SEASON_MONTHS": [12, 1, 2], "N_KEYWORDS": 5, "GROWTH_MONTHS": 1,
     "WEIGHTS": {"growth": 1, "margin": 1}},
    {"MONTH": "2026-03", "SEASON_MONTHS": [1], "WEIGHTS": {"competition": 2, "margin": 1}},
], ids=["winter_two_criteria", "march_january"])
def test_selection_solved_with_other_parameters(params, tmp_path):
    _solved_with(SELECTION, params, tmp_path)


@pytest.mark.slow
@pytest.mark.parametrize("params", [
    {"AS_OF": "2025-10-20", "WINDOW_DAYS": 60, "SELL_THROUGH_DAYS": 14, "SLOW_DAYS": 120,
     "SERVICE_LEVEL": 0.9, "PRE_CAMPAIGN_DAYS": 45},
    {"WINDOW_DAYS": 400, "SERVICE_LEVEL": 0.99, "BIG_CAMPAIGN_KIND": "platform_event"},
], ids=["earlier_day", "long_window_platform_events"])
def test_inventory_solved_with_other_parameters(params, tmp_path):
    _solved_with(INVENTORY, params, tmp_path)


def test_selection_year_on_year_is_unavailable_without_a_year_of_history(small_shop):
    first = small_shop.orders["order_ts"].min().to_period("M")
    ex = exercises.setup(SELECTION, small_shop, month=str(first + 2), season_months=None,
                         n_keywords=None, growth_months=None, weights=None)
    assert ex.q1.evaluate(pd.Series({"apparel": 0.1})).outcome == "unavailable"


def test_inventory_resolve_defaults(demo):
    spec = exercises.get_set(INVENTORY)
    bound = spec.bind_params(demo, {k: None for k in spec.params})
    assert bound["as_of"] == str(demo.inventory["date"].max().date())
    assert (bound["window_days"], bound["slow_days"], bound["service_level"]) == (90, 180, 0.95)
    assert (products.inventory_period_start(demo.inventory, as_of="2024-11-05", days=90)
            == demo.inventory["date"].min())
    assert_series_equal(
        _expected(INVENTORY, "q1", demo),
        products.inventory_kpis(demo.inventory, demo.order_items, demo.orders, demo.products,
                                start=pd.Timestamp(bound["as_of"]) - pd.Timedelta(days=89),
                                end=bound["as_of"], by="category")
        .set_index("key")["days_of_inventory"].rename_axis("category"))
