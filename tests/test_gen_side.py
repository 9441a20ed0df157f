"""Tests of the generator's side tables (playbook_lib.data.gen_side).

The core frames are built here by hand (no call to the core generator), each function is run
with a seeded rng, and every planted story is recovered from the returned frames.
"""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as hs
from pandas.testing import assert_frame_equal
from statsmodels.stats.proportion import proportions_ztest

from playbook_lib.data import gen_side as gs
from playbook_lib.data.schema import TABLES
from playbook_lib.errors import DataValidationError

START, END = "2024-09-01", "2026-08-31"
SEED = 20260831


# --------------------------------------------------------------------------------------------
# Hand-built core frames
# --------------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def core():
    """Products (with a juicer), customers, orders, order items and two campaigns."""
    rng = np.random.default_rng(7)
    products = pd.DataFrame({
        "sku": ["SKU001", "SKU002", "SKU003", "SKU004", "SKU005", "SKU006"],
        "name": ["Portable Juicer 350ml", "Velvet Lipstick", "Linen Summer Dress",
                 "Roasted Nut Gift Box", "Cotton Bedding Set", "Baby Bottle 240ml"],
        "category": ["appliances", "beauty", "apparel", "food", "home", "baby"],
        "list_price": [199.0, 129.0, 259.0, 88.0, 329.0, 69.0],
    })
    n_cust = 800
    customers = pd.DataFrame({
        "customer_id": [f"C{i:05d}" for i in range(n_cust)],
        "signup_ts": pd.Timestamp("2024-06-01")
        + pd.to_timedelta(rng.integers(0, 600, n_cust) * 86400 + rng.integers(0, 86400, n_cust),
                          unit="s"),
    })
    campaigns = pd.DataFrame({
        "campaign_id": ["CMP618", "CMP1111"],
        "name": ["618", "Double 11"],
        "warmup_start": pd.to_datetime(["2025-05-20", "2025-10-20"]),
        "peak_start": pd.to_datetime(["2025-06-17", "2025-11-10"]),
        "peak_end": pd.to_datetime(["2025-06-18", "2025-11-11"]),
        "end_date": pd.to_datetime(["2025-06-20", "2025-11-13"]),
    })
    # About 4 orders a day, ten times as many on the four peak days.
    days = pd.date_range(START, END, freq="D")
    peak = days.isin(pd.to_datetime(["2025-06-17", "2025-06-18", "2025-11-10", "2025-11-11"]))
    per_day = rng.poisson(np.where(peak, 40, 4))
    day = np.repeat(days.to_numpy(), per_day)
    n = len(day)
    order_ts = pd.DatetimeIndex(day) + pd.to_timedelta(rng.uniform(8, 23.9, n), unit="h")
    # Each order's buyer signed up before it.
    signup = customers["signup_ts"].to_numpy()
    buyer = [rng.choice(np.flatnonzero(signup < t)) for t in order_ts.to_numpy()]
    orders = pd.DataFrame({
        "order_id": [f"O{i:06d}" for i in range(n)],
        "customer_id": customers["customer_id"].to_numpy()[buyer],
        "order_ts": order_ts.astype("datetime64[ns]"),
        "status": rng.choice(["paid", "refunded", "cancelled"], n, p=[0.88, 0.07, 0.05]),
    })
    orders["delivered_ts"] = (orders["order_ts"] + pd.Timedelta(days=3)).where(
        orders["status"] != "cancelled")
    sku = rng.integers(0, len(products), n)
    order_items = pd.DataFrame({
        "order_id": orders["order_id"], "line_no": 1, "sku": products["sku"].to_numpy()[sku],
        "quantity": 1, "net_amount": products["list_price"].to_numpy()[sku],
    })
    orders["net_amount"] = order_items["net_amount"].to_numpy()
    truth = {"juicer_surge": {"sku": "SKU001", "months": [6, 7, 8]}}
    return dict(products=products, customers=customers, campaigns=campaigns, orders=orders,
                order_items=order_items, truth=truth)


def _search(core, seed=SEED):
    return gs.make_search_terms(np.random.default_rng(seed), products=core["products"],
                                order_items=core["order_items"], orders=core["orders"],
                                start=START, end=END, truth=core["truth"])


def _service(core, seed=SEED):
    return gs.make_service_tickets(np.random.default_rng(seed), customers=core["customers"],
                                   orders=core["orders"], campaigns=core["campaigns"],
                                   start=START, end=END)


def _content(core, seed=SEED):
    return gs.make_content_posts(np.random.default_rng(seed), products=core["products"],
                                 campaigns=core["campaigns"], start=START, end=END)


def _experiments(seed=SEED):
    return gs.make_experiments(np.random.default_rng(seed), start=START, end=END)


def _staff(seed=SEED):
    return gs.make_staff(np.random.default_rng(seed), start=START, end=END)


@pytest.fixture(scope="module")
def search(core):
    return _search(core)


@pytest.fixture(scope="module")
def service(core):
    return _service(core)


@pytest.fixture(scope="module")
def content(core):
    return _content(core)


@pytest.fixture(scope="module")
def experiments():
    return _experiments()


@pytest.fixture(scope="module")
def staff():
    return _staff()


def _all_tables(search, service, content, experiments, staff):
    (st, kp, rv), _ = staff
    return {"search_terms": search[0], "service_tickets": service[0],
            "content_posts": content[0], "experiments": experiments[0],
            "staff": st, "staff_kpis": kp, "staff_reviews": rv}


# --------------------------------------------------------------------------------------------
# Schema: columns, dtypes, ranges, keys; truth is JSON-able
# --------------------------------------------------------------------------------------------

def _check_schema(df: pd.DataFrame, table: str) -> None:
    t = TABLES[table]
    assert list(df.columns) == t.column_names, table
    for c in t.columns:
        s = df[c.name]
        if c.kind == "str":
            assert s.dtype == pd.StringDtype(na_value=np.nan), (table, c.name, s.dtype)
        elif c.kind == "int":
            assert s.dtype == ("Int64" if c.nullable else np.dtype("int64")), (table, c.name)
        elif c.kind == "float":
            assert s.dtype == np.dtype("float64"), (table, c.name)
        elif c.kind in ("datetime", "date"):
            assert s.dtype == np.dtype("datetime64[ns]"), (table, c.name, s.dtype)
            if c.kind == "date":
                assert (s.dropna() == s.dropna().dt.normalize()).all(), (table, c.name)
        if not c.nullable:
            assert s.notna().all(), (table, c.name)
        if c.min is not None:
            assert (s.dropna() >= c.min).all(), (table, c.name)
        if c.max is not None:
            assert (s.dropna() <= c.max).all(), (table, c.name)
        if c.isin:
            assert set(s.dropna()) <= set(c.isin), (table, c.name)
    assert not df.duplicated(list(t.key)).any(), table
    assert len(df) > 0, table


def test_schema_of_every_table(search, service, content, experiments, staff):
    for name, df in _all_tables(search, service, content, experiments, staff).items():
        _check_schema(df, name)


def test_schema_check_catches_a_wrong_dtype(search):
    bad = search[0].assign(impressions=search[0]["impressions"].astype("float64"))
    with pytest.raises(AssertionError, match=r"\('search_terms', 'impressions'\)"):
        _check_schema(bad, "search_terms")


def test_truth_is_json_and_one_key_per_story(search, service, content, experiments, staff):
    keys = []
    for _, truth in (search, service, content, experiments, staff):
        json.dumps(truth, allow_nan=False)
        keys += list(truth)
    assert len(keys) == len(set(keys))
    assert set(keys) >= {"long_tail_keywords", "juicer_search_surge", "service_peak_breach",
                         "viral_post_no_orders", "banned_claims", "page_test_uplift",
                         "page_test_null", "coupon_form_test", "staff_roi_collaboration",
                         "staff_promotion", "staff_pip"}


@pytest.mark.parametrize("which", ["search", "service", "content", "experiments", "staff"])
def test_same_seed_same_frames_other_seed_differs(core, which):
    run = {"search": lambda s: _search(core, s), "service": lambda s: _service(core, s),
           "content": lambda s: _content(core, s), "experiments": _experiments,
           "staff": _staff}[which]
    a, ta = run(SEED)
    b, tb = run(SEED)
    c, _ = run(SEED + 1)
    frames = lambda x: x if isinstance(x, tuple) else (x,)  # noqa: E731
    for fa, fb in zip(frames(a), frames(b), strict=True):
        assert_frame_equal(fa, fb)
    assert ta == tb
    assert any(not fa.equals(fc) for fa, fc in zip(frames(a), frames(c), strict=True))


# --------------------------------------------------------------------------------------------
# Search terms
# --------------------------------------------------------------------------------------------

def test_search_terms_shape_and_ranges(search, core):
    st, _ = search
    months = pd.period_range(START, END, freq="M").to_timestamp()
    assert sorted(st["month"].unique()) == list(months)
    n_kw = st["keyword"].nunique()
    assert 40 <= n_kw <= 80
    assert len(st) == n_kw * len(months)
    assert (st["clicks"] <= st["impressions"]).all()
    assert (st["orders"] <= st["clicks"]).all()
    assert ((st["orders"] == 0) == (st["gmv"] == 0)).all()
    assert (st["gmv"] == st["gmv"].round(2)).all()
    # Plausible against the shop: search orders are a minority of the paid orders.
    paid = (core["orders"]["status"] == "paid").sum()
    assert 0.1 * paid < st["orders"].sum() < 0.6 * paid


def test_story_long_tail_converts_better(search):
    st, truth = search
    t = truth["long_tail_keywords"]
    long_ = st["keyword"].isin(t["keywords"])
    assert set(st.loc[~long_, "keyword"]) == set(t["head_keywords"])
    g = st.groupby(long_)[["impressions", "clicks", "orders"]].sum()
    conv = g["orders"] / g["clicks"]
    ctr = g["clicks"] / g["impressions"]
    assert conv[True] > 2 * conv[False]
    assert ctr[True] > ctr[False]
    # Fewer impressions per long-tail keyword than per head keyword.
    per_kw = st.groupby("keyword")["impressions"].sum()
    assert per_kw[t["keywords"]].median() < 0.2 * per_kw[t["head_keywords"]].median()
    assert conv[True] == pytest.approx(t["observed_long_tail_conversion"], abs=1e-4)
    assert conv[False] == pytest.approx(t["observed_head_conversion"], abs=1e-4)
    assert conv[True] == pytest.approx(t["long_tail_conversion"], rel=0.35)
    assert conv[False] == pytest.approx(t["head_conversion"], rel=0.35)
    # Long-tail words carry a season or scene.
    assert all(" for " in k for k in t["keywords"])


def test_story_juicer_search_surge(search):
    st, truth = search
    t = truth["juicer_search_surge"]
    assert t["sku"] == "SKU001"
    assert {"juicer", "portable juicer"} <= set(t["keywords"])
    m = st[st["keyword"].isin(t["keywords"])].groupby("month")["impressions"].sum()
    summer = m.index.month.isin(t["months"])
    ratio = m[summer].mean() / m[~summer].mean()
    assert ratio == pytest.approx(t["multiplier"], rel=0.15)
    assert ratio == pytest.approx(t["observed_ratio"], abs=1e-3)
    # Other head keywords do not surge.
    others = st[st["keyword"].isin(truth["long_tail_keywords"]["head_keywords"])
                & ~st["keyword"].isin(t["keywords"])]
    o = others.groupby("month")["impressions"].sum()
    assert o[summer].mean() / o[~summer].mean() == pytest.approx(1.0, abs=0.15)


def test_search_finds_juicer_by_name_without_truth(core):
    _, truth = gs.make_search_terms(np.random.default_rng(1), products=core["products"],
                                    order_items=core["order_items"], orders=core["orders"],
                                    start=START, end=END, truth={})
    assert truth["juicer_search_surge"]["sku"] == "SKU001"


def test_search_missing_column_message(core):
    with pytest.raises(DataValidationError, match="table 'products' is missing column.*category"):
        gs.make_search_terms(np.random.default_rng(1), products=core["products"][["sku"]],
                             order_items=core["order_items"], orders=core["orders"],
                             start=START, end=END, truth=core["truth"])


# --------------------------------------------------------------------------------------------
# Service tickets
# --------------------------------------------------------------------------------------------

def test_service_tickets_consistency(service, core):
    tk, _ = service
    assert set(tk["customer_id"]) <= set(core["customers"]["customer_id"])
    assert set(tk["order_id"].dropna()) <= set(core["orders"]["order_id"])
    assert tk.loc[tk["stage"] == "pre_sale", "order_id"].isna().all()
    assert tk.loc[tk["stage"] != "pre_sale", "order_id"].notna().all()
    done = tk["resolved_ts"].notna()
    assert (tk.loc[done, "resolved_ts"] > tk.loc[done, "created_ts"]).all()
    assert (tk["created_ts"] >= pd.Timestamp(START)).all()
    assert (tk["created_ts"] < pd.Timestamp(END) + pd.Timedelta(days=1)).all()
    sat = tk["satisfaction"]
    assert sat.isna().any() and sat.notna().mean() > 0.3
    assert sat.dropna().between(1, 5).all()
    # Contacts come after the customer signed up.
    signup = tk["customer_id"].map(core["customers"].set_index("customer_id")["signup_ts"])
    assert (tk["created_ts"] >= signup).all()
    # Refunded orders mostly have an after-sales ticket.
    refunded = core["orders"].loc[core["orders"]["status"] == "refunded", "order_id"]
    after = tk.loc[tk["stage"] == "after_sale", "order_id"]
    assert refunded.isin(after).mean() > 0.7
    # Volume: tickets are a fraction of orders, all three stages present.
    assert 0.2 * len(core["orders"]) < len(tk) < 1.0 * len(core["orders"])
    assert set(tk["stage"]) == {"pre_sale", "in_sale", "after_sale"}


def test_service_bot_answers_routine_questions_in_seconds(service):
    tk, truth = service
    t = truth["service_bot_share"]
    routine = (tk["stage"] == "pre_sale") & tk["topic"].isin(t["routine_topics"])
    share = (tk.loc[routine, "handled_by"] == "bot").mean()
    assert share == pytest.approx(0.8, abs=0.05)
    assert share == pytest.approx(t["observed_share"], abs=1e-4)
    bot = tk["handled_by"] == "bot"
    assert tk.loc[bot, "first_response_s"].max() < 30
    assert tk.loc[~bot, "first_response_s"].median() > 30


def test_story_service_peak_breach(service, core):
    tk, truth = service
    t = truth["service_peak_breach"]
    assert t["peak_dates"] == ["2025-06-17", "2025-06-18", "2025-11-10", "2025-11-11"]
    target = t["first_response_target_s"]
    assert target == 60
    peak = tk["created_ts"].dt.normalize().isin(pd.to_datetime(t["peak_dates"]))
    human = tk["handled_by"] == "human"
    peak_med = tk.loc[human & peak, "first_response_s"].median()
    normal_med = tk.loc[human & ~peak, "first_response_s"].median()
    assert peak_med > target > normal_med
    assert peak_med > 3 * target
    assert peak_med == pytest.approx(t["median_human_first_response_s"]["peak"], abs=0.1)
    assert normal_med == pytest.approx(t["median_human_first_response_s"]["normal"], abs=0.1)
    breach_peak = (tk.loc[human & peak, "first_response_s"] > target).mean()
    breach_normal = (tk.loc[human & ~peak, "first_response_s"] > target).mean()
    assert breach_peak > 0.9 and breach_normal < 0.35
    assert breach_peak == pytest.approx(t["breach_share"]["peak"], abs=1e-4)
    # Slow answers are rated lower.
    late = human & (tk["first_response_s"] > target)
    sat = tk["satisfaction"].astype("Float64")
    assert sat[late].mean() < sat[human & ~late].mean() - 0.5
    # After-sales mostly resolved within 24 h, complaints within 48 h.
    hours = (tk["resolved_ts"] - tk["created_ts"]).dt.total_seconds() / 3600
    after = (tk["stage"] == "after_sale") & (tk["topic"] != "complaint") & hours.notna()
    assert (hours[after] <= t["after_sale_resolution_target_h"]).mean() > 0.8
    compl = (tk["topic"] == "complaint") & hours.notna()
    assert (hours[compl] <= t["complaint_resolution_target_h"]).mean() > 0.75


# --------------------------------------------------------------------------------------------
# Content posts
# --------------------------------------------------------------------------------------------

def test_content_posts_funnel_and_mix(content):
    cp, _ = content
    assert 150 <= len(cp) <= 300
    for c in ("likes", "comments", "shares", "link_clicks"):
        assert (cp[c] <= cp["views"]).all()
    assert (cp["comments"] <= cp["likes"]).all()
    assert (cp["orders"] <= cp["link_clicks"]).all()
    assert ((cp["orders"] == 0) == (cp["gmv"] == 0)).all()
    assert set(cp["format"]) == {"article", "short_video", "live", "ugc"}
    assert set(cp["platform"]) == {"xiaohongshu", "douyin", "wechat", "weibo", "taobao_live"}
    assert cp["publish_date"].is_monotonic_increasing
    assert cp["publish_date"].between(pd.Timestamp(START), pd.Timestamp(END)).all()
    # Festival topics appear, in the run-up to their campaign.
    for name, lo, hi in (("618", "2025-05-10", "2025-06-18"),
                         ("Double 11", "2025-10-10", "2025-11-11")):
        d = cp.loc[cp["topic"] == name, "publish_date"]
        assert len(d) >= 5
        assert d.between(pd.Timestamp(lo), pd.Timestamp(hi)).all()


def test_story_viral_post_no_orders(content):
    cp, truth = content
    t = truth["viral_post_no_orders"]
    top = cp.loc[cp["views"].idxmax()]
    assert top["post_id"] == t["post_id"]
    assert top["views"] > 3 * cp["views"].nlargest(2).iloc[1]
    per_view = cp["orders"] / cp["views"]
    pct = per_view.rank(pct=True)  # ties at zero share the average rank
    assert pct[cp["post_id"] == t["post_id"]].iloc[0] <= 0.10
    assert top["orders"] < cp["orders"].median()
    assert top["orders"] == t["orders"]


def test_story_banned_claims(content):
    cp, truth = content
    t = truth["banned_claims"]
    assert t["phrases"] == list(gs.BANNED_CLAIMS)
    assert {p for ps in t["planted"].values() for p in ps} == set(gs.BANNED_CLAIMS)
    assert sorted(t["planted"]) == sorted(t["post_ids"])
    text = cp.set_index("post_id")["text"].str.lower()
    found = {pid: [p for p in t["phrases"] if p.lower() in s] for pid, s in text.items()}
    flagged = {pid for pid, ps in found.items() if ps}
    assert flagged == set(t["post_ids"])
    for pid, planted in t["planted"].items():
        assert set(planted) <= set(found[pid])
    # Titles never carry them; the viral post is not among the flagged ones.
    assert not any(p.lower() in s for s in cp["title"].str.lower() for p in t["phrases"])
    assert truth["viral_post_no_orders"]["post_id"] not in flagged


# --------------------------------------------------------------------------------------------
# Experiments
# --------------------------------------------------------------------------------------------

def _totals(ex, exp_id):
    g = ex[ex["experiment_id"] == exp_id].groupby("variant")[["visitors", "conversions",
                                                              "revenue"]].sum()
    return g


def test_experiments_consistency(experiments):
    ex, truth = experiments
    assert (ex["conversions"] <= ex["visitors"]).all()
    assert ((ex["conversions"] == 0) == (ex["revenue"] == 0)).all()
    assert ex["date"].between(pd.Timestamp(START), pd.Timestamp(END)).all()
    for t in truth.values():
        sub = ex[ex["experiment_id"] == t["experiment_id"]]
        assert set(sub["variant"]) == set(t["variants"])
        assert sub["date"].min() == pd.Timestamp(t["start"])
        assert sub["date"].max() == pd.Timestamp(t["end"])
        assert 21 <= sub["date"].nunique() <= 28
        g = _totals(ex, t["experiment_id"])
        aov = g["revenue"] / g["conversions"]
        for v in t["variants"]:
            assert aov[v] == pytest.approx(t["aov"][v], rel=0.06)
            assert g.loc[v, "conversions"] / g.loc[v, "visitors"] == pytest.approx(
                t["true_rates"][v], rel=0.1)
        # Visitors split about 50/50.
        assert g["visitors"].iloc[0] / g["visitors"].sum() == pytest.approx(0.5, abs=0.01)


def test_story_page_test_uplift(experiments):
    ex, truth = experiments
    t = truth["page_test_uplift"]
    assert t["true_relative_uplift"] == pytest.approx(0.15, abs=0.01)
    g = _totals(ex, t["experiment_id"])
    rate = g["conversions"] / g["visitors"]
    assert 0.03 <= rate["A"] <= 0.05
    assert rate["B"] / rate["A"] == pytest.approx(1.15, abs=0.05)
    _, p = proportions_ztest(g.loc[["B", "A"], "conversions"].to_numpy(),
                             g.loc[["B", "A"], "visitors"].to_numpy())
    assert p < 0.05
    assert p == pytest.approx(t["p_value"], rel=1e-3, abs=1e-6)


def test_story_page_test_null(experiments):
    ex, truth = experiments
    t = truth["page_test_null"]
    assert t["true_relative_uplift"] == 0
    g = _totals(ex, t["experiment_id"])
    _, p = proportions_ztest(g.loc[["B", "A"], "conversions"].to_numpy(),
                             g.loc[["B", "A"], "visitors"].to_numpy())
    assert p > 0.05


def test_story_coupon_form_test(experiments):
    ex, truth = experiments
    t = truth["coupon_form_test"]
    assert t["variants"] == ["threshold", "percent_off"]
    g = _totals(ex, t["experiment_id"])
    rate = g["conversions"] / g["visitors"]
    uplift = rate["percent_off"] / rate["threshold"] - 1
    assert uplift == pytest.approx(t["true_relative_uplift"], abs=0.06)
    assert uplift == pytest.approx(t["observed_relative_uplift"], abs=1e-4)
    _, p = proportions_ztest(g["conversions"].to_numpy(), g["visitors"].to_numpy())
    assert p < 0.05
    # Percent-off converts more, the threshold coupon earns more per visitor.
    rpv = g["revenue"] / g["visitors"]
    assert rpv["threshold"] > rpv["percent_off"]


def test_experiments_need_a_long_enough_period():
    with pytest.raises(ValueError, match="shorter than the 120 days"):
        gs.make_experiments(np.random.default_rng(1), start="2026-06-01", end="2026-08-31")


# --------------------------------------------------------------------------------------------
# Staff, KPIs, reviews, scores
# --------------------------------------------------------------------------------------------

def test_staff_tables(staff):
    (st, kp, rv), _ = staff
    assert len(st) == 12
    assert set(st["level"]) == {"junior", "mid", "senior"}
    assert sorted(kp["quarter"].unique()) == ["2024Q4", "2025Q1", "2025Q2", "2025Q3", "2025Q4",
                                              "2026Q1", "2026Q2", "2026Q3"]
    assert set(rv["quarter"]) == set(kp["quarter"])
    assert set(kp["employee_id"]) == set(st["employee_id"]) == set(rv["employee_id"])
    assert set(kp["metric"]) == set(gs.KPI_WEIGHTS)
    rates = kp[kp["metric"].str.endswith("_rate")]
    assert rates[["target", "actual"]].stack().between(0, 1).all()
    assert (kp.loc[kp["metric"] == "roi", "target"] == 5.0).all()
    # Every appraised quarter has all metrics and all three rater groups.
    assert (kp.groupby(["employee_id", "quarter"]).size() == len(gs.KPI_WEIGHTS)).all()
    assert (rv.groupby(["employee_id", "quarter"]).size() == 3).all()
    # Nobody is appraised for a quarter that started before they were hired.
    first = kp.groupby("employee_id")["quarter"].min().map(lambda q: pd.Period(q).start_time)
    hired = st.set_index("employee_id")["hire_date"]
    assert (hired[first.index] < first).all()


def test_story_staff_roi_collaboration(staff):
    (_, kp, rv), truth = staff
    t = truth["staff_roi_collaboration"]
    last = kp["quarter"].max()
    roi = kp[(kp["metric"] == "roi") & (kp["quarter"] == last)].set_index("employee_id")
    collab = rv[(rv["rater_group"] == "cross_dept") & (rv["quarter"] == last)].set_index(
        "employee_id")["score"]
    hit = roi.index[(roi["actual"] >= 8.0) & (roi["target"] == 5.0)
                    & (collab[roi.index] <= 3.0)]
    assert list(hit) == [t["employee_id"]]
    assert roi.loc[t["employee_id"], "actual"] == 8.0
    assert collab[t["employee_id"]] == 3.0
    # High ROI alone: nobody else is above 6.5.
    assert (roi.drop(t["employee_id"])["actual"] < 6.5).all()


def _flags(scores):
    last = scores["quarter"].max()
    last3 = sorted(scores["quarter"].unique())[-3:]
    s = scores.set_index(["employee_id", "quarter"])["total_score"]
    promo = [e for e in scores["employee_id"].unique()
             if all((e, q) in s.index and s[(e, q)] >= 90 for q in last3)]
    pip = list(scores.loc[(scores["quarter"] == last) & (scores["total_score"] < 70),
                          "employee_id"])
    return promo, pip


def test_story_staff_promotion_and_pip(staff):
    (_, kp, rv), truth = staff
    scores = gs.quarterly_scores(kp, rv)
    promo, pip = _flags(scores)
    assert promo == [truth["staff_promotion"]["employee_id"]]
    assert pip == [truth["staff_pip"]["employee_id"]]
    s = scores.set_index(["employee_id", "quarter"])["total_score"]
    e = truth["staff_promotion"]["employee_id"]
    assert [s[(e, q)] for q in truth["staff_promotion"]["quarters"]] == \
        truth["staff_promotion"]["total_scores"]
    # The run is exactly three quarters: the quarter before is below 90.
    quarters = sorted(scores["quarter"].unique())
    assert s[(e, quarters[-4])] < 90
    assert s[(truth["staff_pip"]["employee_id"], quarters[-1])] == truth["staff_pip"]["total_score"]
    # Everyone else scores between 70 and 90 in every quarter.
    others = scores[~scores["employee_id"].isin([e, truth["staff_pip"]["employee_id"]])]
    assert others["total_score"].between(70, 90, inclusive="left").all()
    assert scores[["kpi_score", "review_score", "total_score"]].stack().between(0, 100).all()


def test_flags_fail_on_a_wrong_frame(staff):
    (_, kp, rv), truth = staff
    scores = gs.quarterly_scores(kp, rv)
    lowered = scores.assign(total_score=scores["total_score"] - 25)
    promo, pip = _flags(lowered)
    assert promo != [truth["staff_promotion"]["employee_id"]]
    assert pip != [truth["staff_pip"]["employee_id"]]


def test_quarterly_scores_hand_computed():
    kpis = pd.DataFrame({
        "employee_id": ["E1"] * 3 + ["E2"] * 3,
        "quarter": ["2026Q1"] * 3 + ["2026Q2"] * 3,
        "metric": ["gmv", "roi", "repurchase_rate"] * 2,
        "target": [1000.0, 5.0, 0.20, 1000.0, 5.0, 0.20],
        "actual": [1200.0, 8.0, 0.15, 600.0, 5.0, 0.30],
    })
    reviews = pd.DataFrame({
        "employee_id": ["E1"] * 3 + ["E2"] * 2,
        "quarter": ["2026Q1"] * 3 + ["2026Q2"] * 2,
        "rater_group": ["manager", "cross_dept", "peer", "manager", "peer"],
        "score": [4.0, 3.0, 5.0, 5.0, 2.0],
    })
    got = gs.quarterly_scores(kpis, reviews)
    # E1: metric scores gmv 100 (1.2 capped), roi 100 (1.6 capped), repurchase 0.75/1.2 = 62.5;
    #     kpi = (0.3*100 + 0.2*100 + 0.15*62.5) / 0.65 = 59.375 / 0.65 = 91.346
    #     review = 0.6*80 + 0.2*60 + 0.2*100 = 80; total = 0.7*91.346 + 0.3*80 = 87.942
    # E2: gmv 0.6/1.2 = 50, roi 1/1.2 = 83.333, repurchase 1.5 -> capped 100;
    #     kpi = (15 + 16.667 + 15) / 0.65 = 71.795
    #     review (manager and peer only) = (0.6*100 + 0.2*40) / 0.8 = 85;
    #     total = 0.7*71.795 + 0.3*85 = 75.756
    expected = pd.DataFrame({
        "employee_id": pd.array(["E1", "E2"], dtype="str"),
        "quarter": pd.array(["2026Q1", "2026Q2"], dtype="str"),
        "kpi_score": [91.35, 71.79],
        "review_score": [80.0, 85.0],
        "total_score": [87.94, 75.76],
    })
    assert_frame_equal(got, expected)


def test_quarterly_scores_bad_input_messages():
    kpis = pd.DataFrame({"employee_id": ["E1"], "quarter": ["2026Q1"], "metric": ["cac"],
                         "target": [80.0], "actual": [70.0]})
    reviews = pd.DataFrame({"employee_id": ["E1"], "quarter": ["2026Q1"],
                            "rater_group": ["manager"], "score": [4.0]})
    with pytest.raises(DataValidationError, match="metric.*without a weight.*'cac'"):
        gs.quarterly_scores(kpis, reviews)
    got = gs.quarterly_scores(kpis, reviews, weights={"cac": 1.0})
    assert got["kpi_score"].iloc[0] == pytest.approx(70 / 80 / 1.2 * 100, abs=0.01)
    with pytest.raises(DataValidationError, match="'target' must be positive"):
        gs.quarterly_scores(kpis.assign(target=0.0), reviews, weights={"cac": 1.0})
    with pytest.raises(DataValidationError, match="missing column.*'actual'"):
        gs.quarterly_scores(kpis.drop(columns="actual"), reviews)
    with pytest.raises(DataValidationError, match="rater_group.*'boss'"):
        gs.quarterly_scores(kpis, reviews.assign(rater_group="boss"), weights={"cac": 1.0})


@settings(max_examples=60, deadline=None)
@given(ratios=hs.lists(hs.floats(0, 3), min_size=6, max_size=6),
       scores=hs.lists(hs.floats(1, 5), min_size=3, max_size=3),
       bump=hs.integers(0, 5))
def test_quarterly_scores_bounded_and_monotone(ratios, scores, bump):
    metrics = list(gs.KPI_WEIGHTS)
    kpis = pd.DataFrame({"employee_id": "E1", "quarter": "2026Q1", "metric": metrics,
                         "target": 10.0, "actual": [10.0 * r for r in ratios]})
    reviews = pd.DataFrame({"employee_id": "E1", "quarter": "2026Q1",
                            "rater_group": ["manager", "cross_dept", "peer"], "score": scores})
    got = gs.quarterly_scores(kpis, reviews)
    assert got[["kpi_score", "review_score", "total_score"]].stack().between(0, 100).all()
    better = kpis.copy()
    better.loc[bump, "actual"] += 5.0
    assert (gs.quarterly_scores(better, reviews)["total_score"] >= got["total_score"]).all()
