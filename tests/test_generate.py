"""The demo-shop generator: schema, determinism, cross-table rules, output folder, magnitudes.

Runs on a small shop with other dates and another seed than the shipped demo. Every rule is a
``check_*`` function; each is run once on the generated shop and once on a copy broken on
purpose, to show the check can fail.
"""

from __future__ import annotations

import json
import re

import numpy as np
import pandas as pd
import pytest

from playbook_lib.data.generate import (
    CATEGORIES,
    CHANNELS,
    LUNAR_NEW_YEAR,
    generate,
    lunar_new_year,
)
from playbook_lib.data.schema import DEVICES, MEMBER_TIERS, ORDER_STATUSES, TABLES

START, END = "2025-03-01", "2026-08-31"
ARGS = {"customers": 2000, "start": START, "end": END, "seed": 11}
SOLD = ("paid", "refunded")
DTYPES = {"str": "str", "int": "int64", "float": "float64", "datetime": "datetime64[ns]",
          "date": "datetime64[ns]", "bool": "bool"}


# a second, odd shop for the rules: few customers, a year across the end of the calendar table
ODD = {"customers": 400, "start": "2039-12-15", "end": "2040-12-31", "seed": 5}


@pytest.fixture(scope="module")
def shop():
    return generate(**ARGS)


@pytest.fixture(scope="module")
def odd_shop():
    return generate(**ODD)


def as_dict(ds, args):
    """The shop's tables as a dict plus its period (checks take a dict, maybe a broken one)."""
    d = {name: df for name, df in ds.items()}
    d["period"] = (pd.Timestamp(args["start"]), pd.Timestamp(args["end"]))
    return d


@pytest.fixture(scope="module")
def t(shop):
    return as_dict(shop, ARGS)


@pytest.fixture(scope="module", params=["small", "odd"])
def any_t(request, shop):
    if request.param == "small":
        return as_dict(shop, ARGS)
    return as_dict(request.getfixturevalue("odd_shop"), ODD)


def cents(s: pd.Series) -> np.ndarray:
    return np.round(np.asarray(s, dtype=float) * 100).astype(np.int64)


def sold_orders(t):
    return t["orders"][t["orders"]["status"].isin(SOLD)]


# --- the checks -----------------------------------------------------------------------------
def check_schema(t):
    for name, table in TABLES.items():
        df = t[name]
        assert list(df.columns) == table.column_names, name
        for col in table.columns:
            want = DTYPES[col.kind]
            got = str(df[col.name].dtype)
            if col.kind == "int" and col.nullable and df[col.name].isna().any():
                want = "Int64"
            assert got == want, f"{name}.{col.name}: {got} != {want}"
            if col.kind == "date":
                assert (df[col.name].dropna() == df[col.name].dropna().dt.normalize()).all()
            if not col.nullable and col.kind != "str":
                assert df[col.name].notna().all(), f"{name}.{col.name} has missing values"
            if col.isin is not None:
                assert df[col.name].dropna().isin(col.isin).all(), f"{name}.{col.name}"
            if col.min is not None:
                assert (df[col.name].dropna() >= col.min).all(), f"{name}.{col.name} < min"
            if col.max is not None:
                assert (df[col.name].dropna() <= col.max).all(), f"{name}.{col.name} > max"
        assert not df.duplicated(list(table.key)).any(), f"{name}: duplicate keys"


def check_orders_customers(t):
    o, c = t["orders"], t["customers"]
    m = o.merge(c[["customer_id", "signup_ts"]], on="customer_id", how="left")
    assert m["signup_ts"].notna().all(), "order of an unknown customer"
    assert (m["order_ts"] >= m["signup_ts"]).all(), "order placed before sign-up"
    assert o["channel"].isin(CHANNELS).all()


def check_items_refs(t):
    o, it, p = t["orders"], t["order_items"], t["products"]
    assert it["order_id"].isin(o["order_id"]).all(), "item of an unknown order"
    assert it["sku"].isin(p["sku"]).all(), "item of an unknown SKU"
    assert o["order_id"].isin(it["order_id"]).all(), "order without items"
    assert not it.duplicated(["order_id", "sku"]).any(), "SKU twice in one order"
    n = it.groupby("order_id")["line_no"].agg(["min", "max", "count"])
    assert (n["min"] == 1).all() and (n["max"] == n["count"]).all(), "line_no not 1..k"
    launch = it.merge(o[["order_id", "order_ts"]], on="order_id").merge(
        p[["sku", "launch_date"]], on="sku")
    assert (launch["order_ts"] >= launch["launch_date"]).all(), "sold before launch"


def check_amounts(t):
    o, it = t["orders"], t["order_items"]
    line = cents(it["quantity"] * it["unit_price"])
    assert (cents(it["net_amount"]) == line - cents(it["discount_amount"])).all(), "item net"
    assert (cents(it["net_amount"]) >= 0).all()
    agg = it.assign(g=line, d=cents(it["discount_amount"])).groupby("order_id")[["g", "d"]].sum()
    agg = agg.reindex(o["order_id"])
    assert (cents(o["gross_amount"]) == agg["g"].to_numpy()).all(), "order gross != items"
    assert (cents(o["discount_amount"]) == agg["d"].to_numpy()).all(), "order discount"
    net = cents(o["gross_amount"]) - cents(o["discount_amount"]) + cents(o["shipping_fee"])
    assert (cents(o["net_amount"]) == net).all(), "net != gross - discount + shipping"


def check_returns(t):
    o, it = t["orders"], t["order_items"]
    assert (it["returned_qty"] <= it["quantity"]).all()
    assert ((it["returned_qty"] > 0) == it["return_reason"].notna()).all(), "reason iff returned"
    m = it.merge(o[["order_id", "status"]], on="order_id")
    assert (m.loc[~m["status"].isin(SOLD), "returned_qty"] == 0).all(), "unpaid item returned"
    full = (m["returned_qty"] == m["quantity"]).groupby(m["order_id"]).all()
    st = o.set_index("order_id")["status"]
    assert (st[full[full].index].isin(["refunded"]) | ~st[full[full].index].isin(SOLD)).all()
    assert full.reindex(st[st == "refunded"].index).all(), "refunded order not fully returned"


def check_shipping(t):
    o = t["orders"]
    s = o[o["status"].isin(SOLD)]
    assert ((s["shipped_ts"] > s["order_ts"]).all()
            and (s["delivered_ts"] > s["shipped_ts"]).all()), \
        "sold order shipped before it was placed or delivered before it shipped"
    u = o[~o["status"].isin(SOLD)]
    assert u["shipped_ts"].isna().all() and u["delivered_ts"].isna().all()


def check_traffic(t):
    o, tr = t["orders"], t["traffic"]
    key = ["date", "channel", "device"]
    oo = o.assign(date=o["order_ts"].dt.normalize(), sold=o["status"].isin(SOLD))
    got = oo.groupby(key).agg(chk=("order_id", "size"), paid=("sold", "sum"))
    m = tr.set_index(key).join(got).fillna({"chk": 0, "paid": 0})
    assert len(m) == len(tr) and got.index.isin(m.index).all(), "orders outside traffic rows"
    assert (m["orders"] == m["paid"]).all(), "traffic.orders != paid orders"
    assert (m["checkouts"] == m["chk"]).all(), "traffic.checkouts != all orders"
    assert (tr["product_views"] >= tr["add_to_cart"]).all()
    assert (tr["add_to_cart"] >= tr["checkouts"]).all()
    assert (tr["checkouts"] >= tr["orders"]).all() and (tr["visitors"] >= tr["checkouts"]).all()
    days = pd.date_range(*t["period"])
    assert len(tr) == len(days) * len(CHANNELS) * len(DEVICES)


def check_hourly(t):
    o, h, tr, c = t["orders"], t["traffic_hourly"], t["traffic"], t["campaigns"]
    peak = set()
    for r in c.itertuples():
        peak |= set(pd.date_range(r.peak_start, r.peak_end))
    assert set(h["ts_hour"].dt.normalize()) == peak, "hourly rows are not the peak days"
    assert len(h) == len(peak) * 24 * len(CHANNELS) * len(DEVICES)
    key = ["ts_hour", "channel", "device"]
    s = o[o["status"].isin(SOLD)]
    got = s.assign(ts_hour=s["order_ts"].dt.floor("h")).groupby(key).size()
    m = h.set_index(key)["orders"]
    assert got[got.index.get_level_values(0).normalize().isin(peak)].reindex(
        m.index, fill_value=0).eq(m).all(), "hourly orders != paid orders in the hour"
    daily = h.assign(date=h["ts_hour"].dt.normalize()).groupby(["date", "channel", "device"])[
        ["visitors", "product_views", "add_to_cart", "orders"]].sum()
    ref = tr.set_index(["date", "channel", "device"]).loc[daily.index, daily.columns]
    assert (daily == ref).all().all(), "hourly rows do not add up to the day"
    assert (h["product_views"] >= h["add_to_cart"]).all() and (h["visitors"] >= h["orders"]).all()


def check_inventory(t):
    o, it, inv, p = t["orders"], t["order_items"], t["inventory"], t["products"]
    assert (inv["on_hand"] >= 0).all() and (inv["inbound_qty"] >= 0).all()
    s = it.merge(o.loc[o["status"].isin(SOLD), ["order_id", "order_ts"]], on="order_id")
    sold = s.groupby([s["order_ts"].dt.normalize().rename("date"), "sku"])["quantity"].sum()
    inv = inv.sort_values(["sku", "date"]).reset_index(drop=True)
    inv["sold"] = sold.reindex(pd.MultiIndex.from_frame(inv[["date", "sku"]]),
                               fill_value=0).to_numpy()
    assert sold.index.isin(pd.MultiIndex.from_frame(inv[["date", "sku"]])).all(), \
        "sales of a SKU on a day without an inventory row"
    prev = inv.groupby("sku")["on_hand"].shift()
    launched_inside = inv["sku"].map(p.set_index("sku")["launch_date"] >= t["period"][0])
    prev = prev.where(prev.notna() | ~launched_inside, 0)  # a launch starts from nothing
    ok = prev.isna() | (inv["on_hand"] == prev + inv["inbound_qty"] - inv["sold"])
    assert ok.all(), "on_hand(d) != on_hand(d-1) + inbound - sold"
    span = inv.groupby("sku")["date"].agg(["min", "max", "count"])
    assert (span["max"] == t["period"][1]).all()
    assert ((span["max"] - span["min"]).dt.days + 1 == span["count"]).all(), "gaps in dates"


def check_coupons(t):
    o, cp, c = t["orders"], t["coupons"], t["campaigns"]
    assert cp["customer_id"].isin(t["customers"]["customer_id"]).all()
    assert cp["campaign_id"].dropna().isin(c["campaign_id"]).all()
    red = cp[cp["redeemed_order_id"].notna()].merge(
        o, left_on="redeemed_order_id", right_on="order_id", how="left", suffixes=("", "_o"))
    assert red["order_id"].notna().all(), "redeemed on an unknown order"
    assert (red["coupon_id_o"] == red["coupon_id"]).all(), "order does not carry the coupon"
    assert (red["customer_id_o"] == red["customer_id"]).all(), "someone else's coupon"
    assert ((red["order_ts"] >= red["issued_ts"]) & (red["order_ts"] <= red["expires_ts"])).all()
    assert (red["gross_amount"] >= red["threshold"]).all(), "threshold not met"
    assert red["status"].isin(SOLD).all()
    oc = o[o["coupon_id"].notna()].merge(cp, on="coupon_id", how="left", suffixes=("", "_c"))
    assert (oc["redeemed_order_id"] == oc["order_id"]).all(), "order's coupon points elsewhere"
    pct = cp[cp["kind"] == "percent_off"]["face_value"]
    assert ((pct > 0) & (pct <= 1)).all()
    assert (cp["expires_ts"] > cp["issued_ts"]).all()


def check_referrals(t):
    rf, c, o = t["referrals"], t["customers"], t["orders"]
    assert rf["referrer_id"].isin(c["customer_id"]).all()
    signed = rf[rf["invitee_id"].notna()]
    assert (rf["invitee_id"].notna() == rf["signed_up_ts"].notna()).all()
    su = c.set_index("customer_id")["signup_ts"]
    assert (su[signed["invitee_id"]].to_numpy() == signed["signed_up_ts"].to_numpy()).all()
    assert (signed["signed_up_ts"] > signed["invited_ts"]).all(), "signed up before invited"
    assert (signed["referrer_id"] != signed["invitee_id"]).all()
    fo = rf[rf["first_order_id"].notna()].merge(o, left_on="first_order_id",
                                                right_on="order_id", how="left")
    assert (fo["customer_id"] == fo["invitee_id"]).all(), "first order of someone else"
    assert (fo["status"] == "paid").all(), "first order not paid"
    first = o[o["status"] == "paid"].groupby("customer_id")["order_ts"].min()
    assert (fo["order_ts"].to_numpy() == first[fo["invitee_id"]].to_numpy()).all()
    no_first = signed[signed["first_order_id"].isna()]["invitee_id"]
    assert not no_first.isin(first.index).any(), "invitee paid but has no first_order_id"
    rb = c.set_index("customer_id")["referred_by"].dropna()
    pairs = signed.set_index("invitee_id")["referrer_id"]
    assert set(rb.index) == set(pairs.index) and (rb[pairs.index] == pairs).all()
    want = np.where(rf["first_order_id"].notna(), 70.0, np.where(rf["invitee_id"].notna(),
                                                                 50.0, 0.0))
    assert (rf["reward_value"].to_numpy() == want).all()


def check_points(t):
    c = t["customers"]
    assert (c["points_redeemed"] <= c["points_earned"]).all(), "more points redeemed than earned"
    assert (c["points_redeemed"] >= 0).all()


def check_campaigns(t):
    c, o = t["campaigns"], t["orders"]
    assert ((c["warmup_start"] <= c["peak_start"]) & (c["peak_start"] <= c["peak_end"])
            & (c["peak_end"] <= c["end_date"])).all()
    assert (c["warmup_start"] >= t["period"][0]).all()
    assert (c["end_date"] <= t["period"][1]).all()
    c = c.sort_values("warmup_start")
    assert (c["warmup_start"].iloc[1:].to_numpy() > c["end_date"].iloc[:-1].to_numpy()).all()
    day = o["order_ts"].dt.normalize()
    want = pd.Series(pd.NA, index=o.index, dtype="str")
    for r in c.itertuples():
        want[(day >= r.warmup_start) & (day <= r.end_date)] = r.campaign_id
    assert (o["campaign_id"].fillna("-") == want.fillna("-")).all(), "campaign_id by date"


CHECKS = {
    "schema": check_schema, "orders_customers": check_orders_customers,
    "items_refs": check_items_refs, "amounts": check_amounts, "returns": check_returns,
    "shipping": check_shipping, "traffic": check_traffic, "hourly": check_hourly,
    "inventory": check_inventory, "coupons": check_coupons, "referrals": check_referrals,
    "points": check_points, "campaigns": check_campaigns,
}


def _set(df, mask_or_idx, col, value):
    df = df.copy()
    df.loc[mask_or_idx, col] = value
    return df


# one way to break each rule: (table, function returning the broken table, the message of
# the assertion that must catch it)
BREAKS = {
    "schema": ("orders", lambda d: d.assign(net_amount=d["net_amount"].astype("float32")),
               "orders.net_amount: float32 != float64"),
    "orders_customers": ("orders", lambda d: _set(d, d.index[0], "order_ts",
                                                   pd.Timestamp("2000-01-01")),
                         "order placed before sign-up"),
    "items_refs": ("order_items", lambda d: _set(d, d.index[0], "sku", "NOPE"),
                   "item of an unknown SKU"),
    "amounts": ("order_items", lambda d: _set(d, d.index[0], "net_amount",
                                              d["net_amount"].iloc[0] + 0.01),
                "item net"),
    "returns": ("order_items", lambda d: _set(d, d.index[d["returned_qty"] == 0][0],
                                              "return_reason", "changed mind"),
                "reason iff returned"),
    "shipping": ("orders", lambda d: _set(d, d.index[d["status"] == "paid"][0], "shipped_ts",
                                          d["order_ts"][d["status"] == "paid"].iloc[0]),
                 "sold order shipped before it was placed or delivered before it shipped"),
    "traffic": ("traffic", lambda d: _set(d, d["orders"].idxmax(), "orders",
                                          d["orders"].max() - 1),
                "traffic.orders != paid orders"),
    "hourly": ("traffic_hourly", lambda d: _set(d, d["orders"].idxmax(), "orders",
                                                d["orders"].max() + 1),
               "hourly orders != paid orders in the hour"),
    "inventory": ("inventory", lambda d: _set(d, d.index[len(d) // 2], "inbound_qty",
                                              d["inbound_qty"].iloc[len(d) // 2] + 1),
                  "on_hand(d) != on_hand(d-1) + inbound - sold"),
    "coupons": ("coupons", lambda d: _set(d, d.index[d["redeemed_order_id"].notna()][0],
                                          "customer_id", d["customer_id"].iloc[-1]),
                "someone else's coupon"),
    "referrals": ("referrals", lambda d: _set(d, d.index[d["invitee_id"].notna()][0],
                                              "invited_ts", pd.Timestamp("2030-01-01")),
                  "signed up before invited"),
    "points": ("customers", lambda d: _set(d, d["points_earned"].idxmax(), "points_redeemed",
                                           d["points_earned"].max() + 1),
               "more points redeemed than earned"),
    "campaigns": ("orders", lambda d: _set(d, d.index[d["campaign_id"].isna()][0],
                                           "campaign_id", d["campaign_id"].dropna().iloc[0]),
                  "campaign_id by date"),
}


@pytest.mark.parametrize("name", list(CHECKS))
def test_rule_holds(any_t, name):
    CHECKS[name](any_t)


@pytest.mark.parametrize("name", list(CHECKS))
def test_rule_catches_a_break(t, name):
    table, breaker, message = BREAKS[name]
    broken = dict(t)
    broken[table] = breaker(t[table])
    with pytest.raises(AssertionError, match=re.escape(message)):
        CHECKS[name](broken)


# --- determinism ---------------------------------------------------------------------------------
def test_same_arguments_same_shop(shop):
    again = generate(**ARGS)
    assert again.tables == shop.tables
    for name in TABLES:
        pd.testing.assert_frame_equal(again[name], shop[name], obj=name)
    assert again.truth == shop.truth
    assert again.source == "generated"


def test_another_seed_another_shop(shop):
    other = generate(**{**ARGS, "seed": 12})
    assert len(other.orders) != len(shop.orders) or not other.orders["order_ts"].equals(
        shop.orders["order_ts"])


# --- shape of the shop --------------------------------------------------------------------------
def test_products_shape(t):
    p = t["products"]
    assert sorted(p["category"].unique()) == sorted(CATEGORIES)
    n = p["category"].value_counts()
    assert ((n >= 15) & (n <= 25)).all()
    margin = (1 - p["unit_cost"] / p["list_price"]).groupby(p["category"]).mean()
    assert ((margin >= 0.3) & (margin <= 0.6)).all(), margin
    assert margin.idxmax() == "beauty" and margin.idxmin() == "appliances"
    assert p["lead_time_days"].between(7, 45).all()
    assert p["name"].is_unique and p["supplier_id"].notna().all()
    assert "Portable Juicer" in set(p["name"]) and "Spring Festival Gift Box" in set(p["name"])
    assert p.loc[p["name"] == "Portable Juicer", "is_seasonal"].item()


def test_channels_devices_tiers(t):
    assert set(t["traffic"]["channel"]) == set(CHANNELS)
    assert len(CHANNELS) == 8 and set(t["orders"]["device"]) == set(DEVICES)
    assert set(t["customers"]["member_tier"]) == set(MEMBER_TIERS)
    assert set(t["orders"]["status"]) == set(ORDER_STATUSES)
    assert set(t["marketing_spend"]["channel"]) == set(CHANNELS) - {"referral"}


def test_festival_dates(t):
    c = t["campaigns"].set_index("campaign_id")
    assert {"618-2025", "D11-2025", "SF-2026", "618-2026"} <= set(c.index)
    assert c.loc["D11-2025", "peak_start"] == pd.Timestamp("2025-11-11")
    assert c.loc["618-2025", "peak_start"] <= pd.Timestamp("2025-06-18") <= c.loc[
        "618-2025", "peak_end"]
    lny = pd.Timestamp(LUNAR_NEW_YEAR[2026])
    assert c.loc["SF-2026", "end_date"] < lny and (lny - c.loc["SF-2026", "peak_start"]).days < 30
    assert (c[["budget", "target_gmv", "threshold", "discount"]] > 0).all().all()
    assert (c["discount"] < c["threshold"]).all()


def test_lunar_new_year_lookup():
    assert lunar_new_year(2025) == pd.Timestamp("2025-01-29")
    assert lunar_new_year(2026) == pd.Timestamp("2026-02-17")
    assert sorted(LUNAR_NEW_YEAR) == list(range(2015, 2041))
    assert all(pd.Timestamp(d).month in (1, 2) for d in LUNAR_NEW_YEAR.values())
    with pytest.raises(ValueError, match="2015-2040"):
        lunar_new_year(2050)


def test_magnitudes(t):
    o, tr = t["orders"], t["traffic"]
    conv = tr["orders"].sum() / tr["visitors"].sum()
    assert 0.02 <= conv <= 0.04, conv
    paid = o[o["status"] == "paid"]
    assert 100 <= paid["net_amount"].mean() <= 300
    it = t["order_items"].merge(t["products"][["sku", "category"]], on="sku")
    cats = it.groupby("order_id")["category"].agg(["nunique", "first"])
    single = cats[cats["nunique"] == 1]["first"]
    aov = paid.set_index("order_id")["net_amount"].reindex(single.index).groupby(single).mean()
    assert ((aov >= 100) & (aov <= 300)).all(), aov
    rate = tr["orders"].sum() / tr["checkouts"].sum()
    assert 0.6 <= rate <= 0.9, rate


def test_truth_is_json_with_iso_dates(shop):
    text = json.dumps(shop.truth)
    assert '"start": "2025-03-01"' in text
    assert shop.truth["params"] == {"customers": 2000, "start": START, "end": END, "seed": 11}
    assert shop.truth["juicer_surge"]["sku"] in set(shop.products["sku"])


# --- arguments and the output folder ------------------------------------------------------------
TINY = {"customers": 300, "start": "2025-01-01", "end": "2025-04-30", "seed": 3}


@pytest.mark.parametrize(("kwargs", "match"), [
    ({"customers": 50}, "at least 200"),
    ({"start": "2025-01-01", "end": "2025-04-29"}, "shorter than 120 days"),
    ({"start": "2010-01-01", "end": "2011-01-01"}, "between 2015-01-01"),
    ({"start": "not a date"}, "not dates"),
])
def test_bad_arguments(kwargs, match):
    with pytest.raises(ValueError, match=match):
        generate(**{**TINY, **kwargs})


def test_seed_must_be_whole():
    with pytest.raises(TypeError, match="seed"):
        generate(**{**TINY, "seed": 1.5})


@pytest.fixture(scope="module")
def written(tmp_path_factory):
    out = tmp_path_factory.mktemp("gen") / "shop"
    ds = generate(**TINY, out=out)
    return ds, out


def test_writes_parquet_and_truth(written):
    ds, out = written
    names = sorted(p.name for p in out.iterdir())
    assert names == sorted([f"{n}.parquet" for n in TABLES] + ["truth.json"])
    for name in TABLES:
        back = pd.read_parquet(out / f"{name}.parquet")
        pd.testing.assert_frame_equal(back, ds[name], obj=name)
    assert json.loads((out / "truth.json").read_text(encoding="utf-8")) == ds.truth
    assert not [p for p in out.parent.iterdir() if p.name.startswith(".shop.")], "temp left"


def test_refuses_a_folder_with_files(tmp_path):
    out = tmp_path / "mine"
    out.mkdir()
    (out / "keep.txt").write_text("my notes")
    with pytest.raises(FileExistsError, match="not empty"):
        generate(**TINY, out=out)
    assert (out / "keep.txt").read_text() == "my notes"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["mine"]


def test_refuses_a_file(tmp_path):
    out = tmp_path / "afile"
    out.write_text("x")
    with pytest.raises(FileExistsError, match="is a file"):
        generate(**TINY, out=out, overwrite=True)


def test_overwrite_replaces_the_folder(tmp_path, written):
    _ds, _ = written
    out = tmp_path / "shop"
    out.mkdir()
    (out / "old.parquet").write_text("stale")
    ds2 = generate(**TINY, out=out, overwrite=True)
    assert not (out / "old.parquet").exists() and (out / "truth.json").exists()
    pd.testing.assert_frame_equal(pd.read_parquet(out / "orders.parquet"), ds2.orders)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["shop"]


def test_empty_folder_is_fine(tmp_path):
    out = tmp_path / "empty"
    out.mkdir()
    generate(**TINY, out=out)
    assert (out / "orders.parquet").exists()
