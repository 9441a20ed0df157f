"""The stories planted in the shipped demo shop can be found again in its tables.

Each test recomputes a story from ``datasets/demo/*.parquet`` with plain pandas, checks it
against the planted targets, and checks that ``truth.json`` reports the same numbers. Where it
is cheap, a control (a product, device or campaign without the story) shows the signal is not
everywhere.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

DEMO = Path(__file__).resolve().parents[1] / "datasets" / "demo"
SOLD = ("paid", "refunded")


@pytest.fixture(scope="module")
def demo():
    if not (DEMO / "truth.json").exists():
        pytest.fail("datasets/demo is missing; regenerate it with playbook_lib.data.generate")
    tables = {p.stem: pd.read_parquet(p) for p in sorted(DEMO.glob("*.parquet"))}
    tables["truth"] = json.loads((DEMO / "truth.json").read_text(encoding="utf-8"))
    return tables


@pytest.fixture(scope="module")
def truth(demo):
    return demo["truth"]


@pytest.fixture(scope="module")
def sold_items(demo):
    o = demo["orders"]
    s = o[o["status"].isin(SOLD)][["order_id", "customer_id", "order_ts", "status"]]
    it = demo["order_items"].merge(s, on="order_id")
    return it.merge(demo["products"][["sku", "category", "name"]], on="sku")


def full_months(start, end):
    months = pd.period_range(start, end, freq="M")
    return [m for m in months if m.start_time >= pd.Timestamp(start)
            and m.end_time.normalize() <= pd.Timestamp(end)]


def summer_ratio(items, sku, months):
    s = items[items["sku"] == sku]
    units = s.groupby(s["order_ts"].dt.to_period("M"))["quantity"].sum().reindex(
        months, fill_value=0)
    summer = np.array([m.month in (6, 7, 8) for m in units.index])
    return units[summer].mean() / units[~summer].mean()


# 1 --------------------------------------------------------------------------------------------
def test_juicer_summer_surge(demo, truth, sold_items):
    js = truth["juicer_surge"]
    p = demo["products"].set_index("sku")
    assert p.loc[js["sku"], "name"] == "Portable Juicer" and p.loc[js["sku"], "is_seasonal"]
    months = full_months(truth["params"]["start"], truth["params"]["end"])
    ratio = summer_ratio(sold_items, js["sku"], months)
    assert ratio >= 3, "summer sales are not several times the rest of the year"
    assert ratio == pytest.approx(js["multiplier"], rel=1e-3)
    assert js["surge_months"] == [6, 7, 8]
    # recovered without the truth: the SKU with the biggest summer lift among steady sellers
    top = sold_items.groupby("sku")["quantity"].sum()
    lifts = {s: summer_ratio(sold_items, s, months) for s in top[top >= 100].index}
    assert max(lifts, key=lifts.get) == js["sku"]
    kettle = p.index[p["name"] == "Electric Kettle"][0]  # control: not seasonal
    assert lifts[kettle] < 1.6


# 2 --------------------------------------------------------------------------------------------
def test_checkout_to_paid_drop(demo, truth):
    cd = truth["checkout_drop"]
    tr = demo["traffic"]
    g = tr.groupby(["device", tr["date"].dt.to_period("M").dt.start_time.rename("month")])[
        ["orders", "checkouts"]].sum()
    rate = g["orders"] / g["checkouts"]
    rel = rate / rate.groupby(level="device").transform("median")
    device, month = rel.idxmin()
    assert (device, month) == (cd["device"], pd.Timestamp(cd["month"]))
    assert rate[(device, month)] == pytest.approx(cd["broken_rate"], abs=1e-4)
    others = g.drop(index=(device, month)).loc[device]
    normal = others["orders"].sum() / others["checkouts"].sum()
    assert normal == pytest.approx(cd["normal_rate"], abs=1e-4)
    assert 0.4 <= cd["broken_rate"] / cd["normal_rate"] <= 0.65, "not about half"
    assert (rel.drop(index=(device, month)) > 0.85).all(), "another device-month also broke"


# 3 --------------------------------------------------------------------------------------------
def test_channel_with_much_traffic_and_poor_conversion(demo, truth):
    pc = truth["poor_channel"]
    by = demo["traffic"].groupby("channel")[["visitors", "orders"]].sum()
    share = by["visitors"] / by["visitors"].sum()
    conv = by["orders"] / by["visitors"]
    assert share.idxmax() == pc["channel"] and conv.idxmin() == pc["channel"]
    rest = by.drop(index=pc["channel"]).sum()
    assert conv[pc["channel"]] < 0.4 * rest["orders"] / rest["visitors"]
    assert share[pc["channel"]] == pytest.approx(pc["visitor_share"], abs=1e-4)
    assert conv[pc["channel"]] == pytest.approx(pc["conversion"], abs=1e-4)


# 4 --------------------------------------------------------------------------------------------
def test_xiaohongshu_cheaper_and_better_than_douyin(demo, truth):
    spend = demo["marketing_spend"].groupby("channel")["spend"].sum()
    c = demo["customers"]
    start = pd.Timestamp(truth["params"]["start"])
    new = c.loc[c["signup_ts"] >= start, "acquisition_channel"].value_counts()
    by = demo["traffic"].groupby("channel")[["visitors", "orders"]].sum()
    cac = spend / new.reindex(spend.index)
    conv = by["orders"] / by["visitors"]
    assert cac["xiaohongshu"] == pytest.approx(50, rel=0.1)
    assert cac["douyin"] == pytest.approx(80, rel=0.1)
    assert conv["xiaohongshu"] == pytest.approx(0.08, rel=0.1)
    assert conv["douyin"] == pytest.approx(0.05, rel=0.1)
    for ch in ("xiaohongshu", "douyin"):
        assert cac[ch] == pytest.approx(truth["channel_cac"]["by_channel"][ch]["cac"], abs=0.01)
        assert conv[ch] == pytest.approx(truth["channel_cac"]["by_channel"][ch]["conversion"],
                                         abs=1e-4)


# 5 --------------------------------------------------------------------------------------------
def test_slow_page_in_the_first_hours_of_a_peak_day(demo, truth):
    sp = truth["slow_page"]
    h = demo["traffic_hourly"]
    by_hour = h.groupby("ts_hour").agg(ms=("page_load_ms", "mean"), v=("visitors", "sum"),
                                       o=("orders", "sum"))
    slow = by_hour[by_hour["ms"] > 2 * by_hour["ms"].median()]
    assert sorted(slow.index.hour) == sp["hours"]
    assert set(slow.index.normalize()) == {pd.Timestamp(sp["date"])}
    camp = demo["campaigns"].set_index("campaign_id").loc[sp["campaign_id"]]
    assert camp["peak_start"] == pd.Timestamp(sp["date"])
    day = by_hour[by_hour.index.normalize() == pd.Timestamp(sp["date"])]
    is_slow = day.index.hour.isin(sp["hours"])
    assert day.loc[is_slow, "ms"].mean() == pytest.approx(4000, rel=0.15)
    assert day.loc[~is_slow, "ms"].mean() == pytest.approx(1200, rel=0.15)
    conv_slow = day.loc[is_slow, "o"].sum() / day.loc[is_slow, "v"].sum()
    conv_rest = day.loc[~is_slow, "o"].sum() / day.loc[~is_slow, "v"].sum()
    assert conv_slow < 0.5 * conv_rest, "conversion did not fall"
    after = day[(day.index.hour >= max(sp["hours"]) + 1) & (day.index.hour <= 8)]
    assert after["o"].sum() / after["v"].sum() > 0.7 * conv_rest, "conversion did not recover"
    assert conv_slow == pytest.approx(sp["conversion_slow"], abs=1e-4)
    assert conv_rest == pytest.approx(sp["conversion_rest"], abs=1e-4)


# 6 --------------------------------------------------------------------------------------------
def test_one_campaign_misses_its_gmv_target(demo, truth):
    cm = truth["campaign_miss"]
    o, c = demo["orders"], demo["campaigns"].set_index("campaign_id")
    gmv = o[o["status"] == "paid"].groupby("campaign_id")["net_amount"].sum()
    att = gmv.reindex(c.index, fill_value=0) / c["target_gmv"]
    assert list(att[att < 1].index) == [cm["campaign_id"]]
    assert att[cm["campaign_id"]] == pytest.approx(0.85, abs=0.02)
    assert att[cm["campaign_id"]] == pytest.approx(cm["attainment"], abs=1e-4)
    assert cm["campaign_id"].startswith("618-")
    assert (att.drop(index=cm["campaign_id"]) >= 1.0).all()


# 7 --------------------------------------------------------------------------------------------
def test_cross_sell_pair(demo, truth):
    cs = truth["cross_sell"]
    it = demo["order_items"][["order_id", "sku"]]
    n = it["order_id"].nunique()
    pairs = it.merge(it, on="order_id", suffixes=("_a", "_b"))
    pairs = pairs[pairs["sku_a"] != pairs["sku_b"]]
    both = pairs.groupby(["sku_a", "sku_b"]).size()
    count = it.groupby("sku")["order_id"].nunique()
    conf = both / count.reindex(both.index.get_level_values(0)).to_numpy()
    lift = conf / (count.reindex(both.index.get_level_values(1)).to_numpy() / n)
    best = lift[both >= 30].idxmax()
    assert set(best) == {cs["sku_a"], cs["sku_b"]}  # lift is symmetric; confidence is not
    best = (cs["sku_a"], cs["sku_b"])
    assert conf[best] > 2 * conf[best[::-1]], "buyers of B add A as often: no direction"
    assert conf[best] == pytest.approx(cs["confidence"], abs=1e-4)
    assert lift[best] == pytest.approx(cs["lift"], rel=1e-3)
    assert lift[best] > 10 and conf[best] > 0.3
    assert lift[both >= 30].drop(index=[best, best[::-1]]).max() < 5


# 8 --------------------------------------------------------------------------------------------
def test_slow_movers(demo, truth, sold_items):
    sm = truth["slow_movers"]
    inv = demo["inventory"]
    end = inv["date"].max()
    last = inv[inv["date"] == end].set_index("sku")["on_hand"]
    recent = sold_items[sold_items["order_ts"] >= end - pd.Timedelta(days=89)]
    rate = recent.groupby("sku")["quantity"].sum().reindex(last.index, fill_value=0) / 90
    doi = last / rate
    assert sorted(doi.index[doi > 180]) == sm["skus"]
    assert 3 <= len(sm["skus"]) <= 6
    for s in sm["skus"]:
        want = sm["days_of_inventory"][s]
        assert want is None or doi[s] == pytest.approx(want, abs=0.1)
    assert doi.drop(index=sm["skus"]).max() < 120, "other SKUs should be far from slow"


def test_best_seller_stocks_out_before_a_big_campaign(demo, truth, sold_items):
    so = truth["stockout"]
    inv = demo["inventory"].set_index(["sku", "date"])["on_hand"]
    top = sold_items.groupby("sku")["quantity"].sum().nlargest(5).index
    camps = demo["campaigns"]
    found = []
    for c in camps[camps["kind"] == "festival"].itertuples():
        days = pd.date_range(c.warmup_start - pd.Timedelta(days=30), c.warmup_start)
        for sku in top:
            zero = inv.loc[sku].reindex(days).eq(0)
            if zero.sum() >= 3:
                found.append((sku, c.campaign_id, zero[zero].index.min(), zero[zero].index.max(),
                              int(zero.sum())))
    assert found == [(so["sku"], so["campaign_id"], pd.Timestamp(so["start"]),
                      pd.Timestamp(so["end"]), so["days"])]
    assert so["rank"] <= 3 and so["days"] >= 3
    day = sold_items["order_ts"].dt.normalize()
    gap = sold_items[(sold_items["sku"] == so["sku"]) & (day > pd.Timestamp(so["start"]))
                     & (day <= pd.Timestamp(so["end"]))]
    assert gap.empty, "sold while out of stock"
    assert inv.loc[(so["sku"], pd.Timestamp(so["warmup_start"]))] > 0, "not restocked in time"


# 9 --------------------------------------------------------------------------------------------
def test_apparel_returns_and_the_size_guide_fix(truth, sold_items):
    ar = truth["apparel_returns"]
    by = sold_items.groupby("category")[["returned_qty", "quantity"]].sum()
    rate = by["returned_qty"] / by["quantity"]
    assert 0.15 <= rate["apparel"] <= 0.25
    assert rate.drop(index="apparel").between(0.03, 0.08).all(), rate
    app = sold_items[sold_items["category"] == "apparel"]
    reasons = app.groupby("return_reason")["returned_qty"].sum()
    assert reasons.idxmax() == "size mismatch"
    assert reasons["size mismatch"] / reasons.sum() == pytest.approx(ar["size_mismatch_share"],
                                                                     abs=1e-4)
    others = sold_items[sold_items["category"] != "apparel"]
    assert (others["return_reason"] != "size mismatch").all()
    # the month of the fix: where the size-mismatch rate steps down the most
    size = app.assign(s=np.where(app["return_reason"] == "size mismatch", app["returned_qty"], 0))
    monthly = size.groupby(size["order_ts"].dt.to_period("M"))[["s", "quantity"]].sum()
    r = monthly["s"] / monthly["quantity"]
    steps = {m: r[r.index < m].mean() - r[r.index >= m].mean() for m in r.index[3:-3]}
    fix = max(steps, key=steps.get)
    assert fix.start_time == pd.Timestamp(ar["fix_month"])
    before = size[size["order_ts"] < fix.start_time]
    after = size[size["order_ts"] >= fix.start_time]
    cut = 1 - (after["s"].sum() / after["quantity"].sum()) / (
        before["s"].sum() / before["quantity"].sum())
    assert cut == pytest.approx(ar["planted_cut"], abs=0.08)
    assert cut == pytest.approx(ar["cut"], abs=1e-4)


# 10 -------------------------------------------------------------------------------------------
def test_gold_members_repurchase_more(demo, truth):
    o, c = demo["orders"], demo["customers"]
    paid = o[o["status"] == "paid"]
    days = paid.groupby("customer_id")["order_ts"].apply(lambda s: s.dt.normalize().nunique())
    tier = c.set_index("customer_id")["member_tier"].reindex(days.index)
    rep = (days >= 2).groupby(tier).mean()
    assert rep["gold"] > rep["silver"] > rep["regular"]
    assert rep["gold"] - rep["regular"] >= 0.15
    for k in ("regular", "silver", "gold"):
        assert rep[k] == pytest.approx(truth["tier_repurchase"][k], abs=1e-4)


# 11 -------------------------------------------------------------------------------------------
def test_most_new_customers_do_not_come_back_within_90_days(demo, truth, sold_items):
    nc = truth["new_customers"]
    o, c = demo["orders"], demo["customers"]
    start, end = pd.Timestamp(truth["params"]["start"]), pd.Timestamp(truth["params"]["end"])
    new = c.loc[c["signup_ts"] >= start, "customer_id"]  # the others are the existing base
    assert 0.6 <= len(new) / len(c) <= 0.8
    paid = o[(o["status"] == "paid") & o["customer_id"].isin(new)].sort_values("order_ts")
    first = paid.groupby("customer_id")["order_ts"].min()
    p = paid.join(first.rename("first"), on="customer_id")
    later = p[p["order_ts"].dt.normalize() > p["first"].dt.normalize()]
    res = {}
    for d in (90, 30):
        back = first[first <= end - pd.Timedelta(days=d)]
        came = set(later.loc[later["order_ts"] - later["first"] <= pd.Timedelta(days=d),
                             "customer_id"])
        res[d] = back.index.isin(list(came)).mean()
    assert 1 - res[90] == pytest.approx(0.60, abs=0.05)
    assert 1 - res[90] == pytest.approx(nc["no_repeat_90d"], abs=1e-4)
    assert res[30] < 0.22 and res[30] == pytest.approx(nc["repeat_30d"], abs=1e-4)
    # beauty: share of a quarter's beauty buyers who bought beauty on 2+ days that quarter
    months = full_months(truth["params"]["start"], truth["params"]["end"])
    quarters = {m.asfreq("Q") for m in months if (m.month - 1) % 3 == 0
                and pd.Period(m + 2, "M") in months}
    b = sold_items[(sold_items["category"] == "beauty") & (sold_items["status"] == "paid")]
    b = b.assign(q=b["order_ts"].dt.to_period("Q"), day=b["order_ts"].dt.normalize())
    b = b[b["q"].isin(list(quarters))]
    rate = (b.groupby(["q", "customer_id"])["day"].nunique() >= 2).mean()
    assert rate == pytest.approx(0.15, abs=0.04)
    assert rate == pytest.approx(nc["beauty_repurchase"], abs=1e-4)


# 12 -------------------------------------------------------------------------------------------
def test_points_redemption_under_ten_percent(demo, truth):
    c = demo["customers"]
    rate = c["points_redeemed"].sum() / c["points_earned"].sum()
    assert 0 < rate < 0.10
    assert rate == pytest.approx(truth["points"]["redemption_rate"], abs=1e-4)


# 13 -------------------------------------------------------------------------------------------
def test_referral_programme_starts_mid_period(demo, truth):
    rf, c = demo["referrals"], demo["customers"]
    r = truth["referrals"]
    start = pd.Timestamp(r["start"])
    lo, hi = pd.Timestamp(truth["params"]["start"]), pd.Timestamp(truth["params"]["end"])
    assert 0.3 <= (start - lo) / (hi - lo) <= 0.7
    assert rf["invited_ts"].min() >= start
    assert (c.loc[c["acquisition_channel"] == "referral", "signup_ts"] > start).all()
    assert (c.loc[c["referred_by"].notna(), "signup_ts"] > start).all()
    k = rf["first_order_id"].notna().sum() / rf["referrer_id"].nunique()
    assert k == pytest.approx(r["k_factor"], abs=1e-4)
    assert 0.3 <= k <= 1.5
    assert set(rf["reward_value"]) == {0.0, r["invitee_reward"],
                                       r["invitee_reward"] + r["referrer_reward"]}
    t = demo["traffic"]
    before = t[(t["channel"] == "referral") & (t["date"] <= start)]
    assert before[["visitors", "orders"]].sum().sum() == 0, "referral traffic before the start"


# shop-wide drifts ------------------------------------------------------------------------------
def test_costs_rise_and_the_channel_mix_drifts(demo, truth):
    ms, c = demo["marketing_spend"], demo["customers"]
    lo, hi = ms["date"].min(), ms["date"].max()
    first = ms[ms["date"] < lo + pd.Timedelta(days=90)]
    last = ms[ms["date"] > hi - pd.Timedelta(days=90)]
    assert first["clicks"].sum() / first["impressions"].sum() == pytest.approx(0.025, abs=0.003)
    assert last["clicks"].sum() / last["impressions"].sum() == pytest.approx(0.012, abs=0.002)
    q1 = c["signup_ts"].between(lo, lo + pd.Timedelta(days=91), inclusive="left")
    q4 = c["signup_ts"] >= hi - pd.Timedelta(days=90)
    cac1 = ms.loc[ms["date"] < lo + pd.Timedelta(days=91), "spend"].sum() / q1.sum()
    cac4 = ms.loc[ms["date"] >= hi - pd.Timedelta(days=90), "spend"].sum() / q4.sum()
    assert 1.5 * cac1 < cac4 < 3 * cac1, "acquisition cost should rise steadily"
    assert 25 <= cac1 <= 45
    assert cac1 == pytest.approx(truth["magnitudes"]["cac_first_quarter"], abs=0.01)
    h1 = c[c["signup_ts"].between(lo, lo + pd.Timedelta(days=182), inclusive="left")][
        "acquisition_channel"]
    h2 = c[c["signup_ts"] >= hi - pd.Timedelta(days=181)]["acquisition_channel"]
    assert (h2 == "wechat_private").mean() < 0.7 * (h1 == "wechat_private").mean()
    assert (h2 == "xiaohongshu").mean() > 1.5 * (h1 == "xiaohongshu").mean()
    tr = demo["traffic"]
    assert 0.02 <= tr["orders"].sum() / tr["visitors"].sum() <= 0.04
    paid = demo["orders"][demo["orders"]["status"] == "paid"]
    assert 100 <= paid["net_amount"].mean() <= 300
    assert 60_000 <= len(demo["orders"]) <= 100_000
