"""Tests of playbook_lib.products (and its charts in playbook_lib.plots)."""

from __future__ import annotations

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
from statsmodels.tsa.seasonal import STL  # noqa: E402

from playbook_lib import plots, products  # noqa: E402
from playbook_lib.errors import DataValidationError  # noqa: E402
from playbook_lib.products import (  # noqa: E402
    SHIPPED_STATUSES,
    abc_classes,
    bundle_candidates,
    category_trends,
    inventory_kpis,
    inventory_period_start,
    reorder_point,
    reorder_table,
    safety_stock,
    search_trends,
    seasonal_strength,
    seasonality,
    selection_scores,
    sell_through_rate,
    service_level_curve,
    sku_margin,
    slow_movers,
    sold_items,
    stockout_risk,
)

Z95 = stats.norm.ppf(0.95)  # 1.6448536269514722


def ts(*values):
    return pd.to_datetime(list(values), format="ISO8601").astype("datetime64[ns]")


def frame(**cols):
    return pd.DataFrame(cols)


# --- a tiny shop ---------------------------------------------------------------------------------

@pytest.fixture
def shop():
    """Three SKUs over 4 days of March 2026 (see the comments for what each one does)."""
    products_ = frame(sku=["s1", "s2", "s3"], category=["kitchen", "kitchen", "beauty"],
                      list_price=[60.0, 20.0, 90.0], unit_cost=[10.0, 4.0, 20.0],
                      supplier_id=["p1", "p2", "p1"], lead_time_days=[5, 10, 7])
    days = ts("2026-03-01", "2026-03-02", "2026-03-03", "2026-03-04")
    inventory = frame(date=np.tile(days, 3), sku=np.repeat(["s1", "s2", "s3"], 4),
                      on_hand=[10, 8, 8, 5,      # s1 sells 2 then 3
                               5, 5, 5, 5,       # s2 never sells in March
                               2, 0, 0, 0])      # s3 sells out on day 2
    orders = frame(order_id=["o0", "o1", "o2", "o3"],
                   customer_id=["c1", "c2", "c3", "c2"],
                   order_ts=ts("2026-02-10 09:00", "2026-03-02 10:00", "2026-03-04 12:00",
                               "2026-03-03 08:00"),
                   status=["paid", "paid", "refunded", "unpaid"])
    items = frame(order_id=["o0", "o1", "o1", "o2", "o3"], line_no=[1, 1, 2, 1, 1],
                  sku=["s2", "s1", "s3", "s1", "s2"], quantity=[1, 2, 2, 3, 1],
                  net_amount=[20.0, 110.0, 170.0, 150.0, 20.0])
    return dict(products=products_, inventory=inventory, orders=orders, items=items)


# --- sold_items ---------------------------------------------------------------------------------

def test_sold_items_keeps_paid_orders_with_time_and_customer(shop):
    got = sold_items(shop["items"], shop["orders"])
    expected = frame(order_id=["o0", "o1", "o1"], line_no=[1, 1, 2], sku=["s2", "s1", "s3"],
                     quantity=[1, 2, 2], net_amount=[20.0, 110.0, 170.0],
                     order_ts=ts("2026-02-10 09:00", "2026-03-02 10:00", "2026-03-02 10:00"),
                     customer_id=["c1", "c2", "c2"])
    assert_frame_equal(got, expected)


def test_sold_items_shipped_adds_refunded_and_no_status_keeps_all(shop):
    assert sold_items(shop["items"], shop["orders"], statuses=SHIPPED_STATUSES)[
        "order_id"].tolist() == ["o0", "o1", "o1", "o2"]
    no_status = shop["orders"].drop(columns="status")
    assert len(sold_items(shop["items"], no_status)) == 5


def test_sold_items_errors(shop):
    with pytest.raises(DataValidationError, match=r"sold_items: table 'orders' is missing "
                                                  r"column\(s\) 'order_ts'"):
        sold_items(shop["items"], shop["orders"].drop(columns="order_ts"))
    with pytest.raises(ValueError, match=r"statuses='shipped' is not supported; choose one of "
                                         r"'paid', 'unpaid'"):
        sold_items(shop["items"], shop["orders"], statuses=["shipped"])
    dup = pd.concat([shop["orders"], shop["orders"].iloc[[1]]])
    with pytest.raises(DataValidationError, match=r"repeated order_id value\(s\), e.g. 'o1'"):
        sold_items(shop["items"], dup)
    bad_ts = shop["orders"].assign(order_ts=["yesterday", "x", "y", "z"])
    with pytest.raises(DataValidationError, match=r"column 'order_ts' of table 'orders' must "
                                                  r"hold dates"):
        sold_items(shop["items"], bad_ts)


# --- category and search trends ------------------------------------------------------------------

@pytest.fixture
def trend_shop():
    products_ = frame(sku=["s1", "s2", "s3"], category=["kitchen", "beauty", "kitchen"])
    orders = frame(order_id=["o1", "o2", "o3", "o4"],
                   order_ts=ts("2026-01-05", "2026-02-10", "2026-02-11", "2026-03-01 23:59"),
                   status=["paid", "paid", "cancelled", "paid"])
    items = frame(order_id=["o1", "o1", "o2", "o2", "o3", "o4"],
                  sku=["s1", "s2", "s1", "s3", "s1", "s2"], quantity=[1, 2, 2, 1, 5, 1],
                  net_amount=[50.0, 60.0, 100.0, 30.0, 250.0, 30.0])
    return orders, items, products_


def test_category_trends_monthly(trend_shop):
    got = category_trends(*trend_shop)
    nan = np.nan
    expected = frame(
        period=ts("2026-01-01", "2026-02-01", "2026-03-01") .append(
            ts("2026-01-01", "2026-02-01", "2026-03-01")),
        key=["beauty"] * 3 + ["kitchen"] * 3,
        units=[2, 0, 1, 1, 3, 0],
        gmv=[60.0, 0.0, 30.0, 50.0, 130.0, 0.0],
        mom_growth=[nan, -1.0, nan, nan, 1.6, -1.0],   # no growth from a month without GMV
        yoy_growth=[nan] * 6,
    )
    assert_frame_equal(got, expected)


def test_category_trends_sku_level_and_wrong_answer(trend_shop):
    got = category_trends(*trend_shop, level="sku")
    assert got["key"].unique().tolist() == ["s1", "s2", "s3"]
    s1 = got[got["key"] == "s1"]
    assert s1["units"].tolist() == [1, 2, 0]  # the cancelled order's 5 units do not count
    assert s1["units"].tolist() != [1, 7, 0]


def test_category_trends_quarterly_year_on_year():
    products_ = frame(sku=["s1"], category=["kitchen"])
    orders = frame(order_id=["o1", "o2", "o3"],
                   order_ts=ts("2025-02-01", "2025-05-01", "2026-01-15"))
    items = frame(order_id=["o1", "o2", "o3"], sku=["s1"] * 3, quantity=[1, 1, 3],
                  net_amount=[40.0, 40.0, 120.0])
    got = category_trends(orders, items, products_, freq="Q")
    nan = np.nan
    expected = frame(
        period=ts("2025-01-01", "2025-04-01", "2025-07-01", "2025-10-01", "2026-01-01"),
        key=["kitchen"] * 5, units=[1, 1, 0, 0, 3], gmv=[40.0, 40.0, 0.0, 0.0, 120.0],
        mom_growth=[nan, 0.0, -1.0, nan, nan], yoy_growth=[nan, nan, nan, nan, 2.0])
    assert_frame_equal(got, expected)


def test_category_trends_weekly_periods_start_on_monday(trend_shop):
    got = category_trends(*trend_shop, freq="W")
    assert (got["period"].dt.day_of_week == 0).all()
    assert got.groupby("key")["units"].sum().to_dict() == {"beauty": 3, "kitchen": 4}


def test_category_trends_errors(trend_shop):
    orders, items, products_ = trend_shop
    with pytest.raises(ValueError, match=r"category_trends: freq='D' is not supported; choose "
                                         r"one of 'W', 'M', 'Q'"):
        category_trends(orders, items, products_, freq="D")
    with pytest.raises(DataValidationError, match=r"table 'products' is missing column\(s\) "
                                                  r"'category'"):
        category_trends(orders, items, products_.drop(columns="category"))
    with pytest.raises(DataValidationError, match=r"1 SKU\(s\) in table 'order_items' are not "
                                                  r"in table 'products', e.g. 's3'"):
        category_trends(orders, items, products_[products_["sku"] != "s3"])
    with pytest.raises(DataValidationError, match=r"column 'net_amount' of table 'order_items' "
                                                  r"must be numeric"):
        category_trends(orders, items.assign(net_amount="50"), products_)
    with pytest.raises(DataValidationError, match=r"has no lines of orders with status refunded"):
        category_trends(orders, items, products_, statuses=["refunded"])


def test_search_trends_growth_and_rates():
    terms = frame(month=ts("2025-06-01", "2026-05-01", "2026-06-01", "2026-06-01"),
                  keyword=["juicer", "juicer", "juicer", "fan"],
                  impressions=[500, 1000, 3000, 0], clicks=[10, 20, 90, 0],
                  orders=[1, 2, 9, 0], gmv=[99.0, 198.0, 891.0, 0.0])
    got = search_trends(terms)
    nan = np.nan
    expected = frame(month=ts("2026-06-01", "2025-06-01", "2026-05-01", "2026-06-01"),
                     keyword=["fan", "juicer", "juicer", "juicer"],
                     impressions=[0, 500, 1000, 3000], clicks=[0, 10, 20, 90],
                     ctr=[nan, 0.02, 0.02, 0.03], orders=[0.0, 1.0, 2.0, 9.0],
                     conversion=[nan, 0.1, 0.1, 0.1], mom_growth=[nan, nan, nan, 2.0],
                     yoy_growth=[nan, nan, nan, 5.0])
    assert_frame_equal(got, expected)
    only = search_trends(terms, keywords="juicer")
    assert only["keyword"].unique().tolist() == ["juicer"]
    without_orders = search_trends(terms.drop(columns="orders"))
    assert without_orders["orders"].isna().all() and without_orders["conversion"].isna().all()
    assert list(without_orders.columns) == list(expected.columns)


def test_search_trends_errors():
    terms = frame(month=ts("2026-05-01"), keyword=["juicer"], impressions=[10], clicks=[1])
    with pytest.raises(DataValidationError, match=r"keyword\(s\) 'blender' are not in table "
                                                  r"'search_terms'; it has e.g. 'juicer'"):
        search_trends(terms, keywords=["blender"])
    with pytest.raises(DataValidationError, match=r"missing column\(s\) 'clicks'"):
        search_trends(terms.drop(columns="clicks"))
    with pytest.raises(DataValidationError, match=r"column 'impressions' of table 'search_terms' "
                                                  r"has 1 values below 0"):
        search_trends(terms.assign(impressions=[-5]))


# --- seasonality ---------------------------------------------------------------------------------

def _monthly(n, seed=0):
    rng = np.random.default_rng(seed)
    t = pd.date_range("2023-01-01", periods=n, freq="MS")
    summer = 50 * np.sin(2 * np.pi * (t.month.to_numpy() - 4) / 12)
    return t, 100 + np.arange(n) + summer + rng.normal(0, 5, n)


def test_seasonality_equals_statsmodels_stl():
    t, y = _monthly(36)
    flat = np.full(36, 7.0)
    sales = pd.concat([frame(period=t, key="juicer", units=y),
                       frame(period=t, key="kettle", units=flat)])
    got = seasonality(sales)
    frames = []
    for key, values in (("juicer", y), ("kettle", flat)):
        # reference: statsmodels directly, with the documented locally constant season
        fit = STL(values, period=12, robust=True, seasonal_deg=0).fit()
        frames.append(frame(period=t, key=key, observed=values, trend=fit.trend,
                            seasonal=fit.seasonal, resid=fit.resid))
    expected = pd.concat(frames, ignore_index=True)  # sorted by key
    expected["period"] = expected["period"].astype("datetime64[ns]")
    assert_frame_equal(got, expected)
    parts = got["trend"] + got["seasonal"] + got["resid"]
    np.testing.assert_allclose(parts, got["observed"])


def test_seasonality_fills_missing_periods_with_zero_and_accepts_periods():
    t, y = _monthly(24)
    sales = frame(period=t.to_period("M"), key="fan", units=y)
    sales = pd.concat([sales, frame(period=t[:1].to_period("M"), key="heater", units=[3.0])])
    got = seasonality(sales)
    heater = got[got["key"] == "heater"]
    assert heater["observed"].tolist() == [3.0] + [0.0] * 23
    assert got["period"].dtype == "datetime64[ns]"
    assert seasonality(sales, keys=["fan"])["key"].unique().tolist() == ["fan"]


def test_seasonality_errors():
    t, y = _monthly(18)
    sales = frame(period=t, key="fan", units=y)
    with pytest.raises(DataValidationError, match=r"seasonality: the series has 18 periods; "
                                                  r"STL with period=12 needs at least 24"):
        seasonality(sales)
    gap = frame(period=t.delete(5), key="fan", units=np.delete(y, 5))
    with pytest.raises(DataValidationError, match=r"not evenly spaced"):
        seasonality(gap, period=4)
    with pytest.raises(ValueError, match=r"seasonality: period must be a whole number >= 2, "
                                         r"got 1; 12 for monthly data, 52 for weekly"):
        seasonality(sales, period=1)
    with pytest.raises(DataValidationError, match=r"key\(s\) 'blender' are not in column 'key'"):
        seasonality(sales, keys=["blender"])
    with pytest.raises(DataValidationError, match=r"column 'units' of table 'sales' has 1 "
                                                  r"missing values"):
        seasonality(sales.assign(units=np.r_[np.nan, y[1:]]), period=4)


def test_seasonal_strength_hand_computed():
    comp = frame(key=["fan"] * 4 + ["pen"] * 4,
                 trend=[3.0, 3.0, 3.0, 3.0, 1.0, 2.0, 3.0, 4.0],
                 seasonal=[-2.0, 2.0, -2.0, 2.0, 0.0, 0.0, 0.0, 0.0],
                 resid=[0.5, -0.5, 0.5, -0.5, 0.0, 0.0, 0.0, 0.0])
    got = seasonal_strength(comp)
    # fan: var(R) = 0.25, var(S + R) = 2.25, var(T + R) = 0.25 -> F_S = 8/9, F_T = 0
    # pen: no remainder, no season: var(S + R) = 0 -> F_S = 0; var(T + R) = 1.25 -> F_T = 1
    expected = frame(key=["fan", "pen"], seasonal_strength=[8 / 9, 0.0],
                     trend_strength=[0.0, 1.0])
    assert_frame_equal(got, expected)


def test_seasonal_strength_finds_the_seasonal_series():
    t, y = _monthly(36)
    noise = np.random.default_rng(3).normal(100, 5, 36)
    sales = pd.concat([frame(period=t, key="juicer", units=y),
                       frame(period=t, key="pen", units=noise)])
    got = seasonal_strength(seasonality(sales))
    assert got["key"].tolist() == ["juicer", "pen"]
    assert got["seasonal_strength"].iloc[0] > 0.8 > got["seasonal_strength"].iloc[1]


# --- margin and selection ------------------------------------------------------------------------

def test_sku_margin_per_sku_nets_returns(shop):
    items = shop["items"].assign(returned_qty=[0, 1, 0, 0, 0])
    got = sku_margin(shop["products"], items)
    # s1: lines 2 units/110 (1 returned) and 3 units/150 -> 4 units, 55 + 150 = 205, cogs 40
    expected = frame(key=["s3", "s1", "s2"], units=[2, 4, 2], net_sales=[170.0, 205.0, 40.0],
                     cogs=[40.0, 40.0, 8.0], gross_profit=[130.0, 165.0, 32.0],
                     gross_margin=[130 / 170, 165 / 205, 0.8])
    expected = expected.sort_values("gross_profit", ascending=False, ignore_index=True)
    assert_frame_equal(got, expected)


def test_sku_margin_with_orders_by_supplier_and_category(shop):
    got = sku_margin(shop["products"], shop["items"], orders=shop["orders"], by="supplier")
    # paid lines only: o0 (s2, p2) and o1 (s1 and s3, p1)
    expected = frame(key=["p1", "p2"], units=[4, 1], net_sales=[280.0, 20.0],
                     cogs=[60.0, 4.0], gross_profit=[220.0, 16.0],
                     gross_margin=[220 / 280, 0.8])
    assert_frame_equal(got, expected)
    by_cat = sku_margin(shop["products"], shop["items"], orders=shop["orders"], by="category")
    assert by_cat["key"].tolist() == ["beauty", "kitchen"]
    assert by_cat["units"].tolist() == [2, 3]


def test_sku_margin_errors(shop):
    with pytest.raises(ValueError, match=r"by='brand' is not supported; choose one of 'sku', "
                                         r"'category', 'supplier'"):
        sku_margin(shop["products"], shop["items"], by="brand")
    with pytest.raises(DataValidationError, match=r"table 'products' is missing column\(s\) "
                                                  r"'unit_cost'"):
        sku_margin(shop["products"].drop(columns="unit_cost"), shop["items"])
    dup = pd.concat([shop["products"], shop["products"].iloc[[0]]])
    with pytest.raises(DataValidationError, match=r"lists 1 SKU\(s\) more than once, e.g. 's1'"):
        sku_margin(dup, shop["items"])


@pytest.fixture
def candidates():
    return frame(key=["juicer", "kettle", "fan"], growth=[0.8, 0.1, 0.3],
                 margin=[0.35, 0.45, 0.30], competition=[0.6, 0.9, 0.2])


def test_selection_scores_rank_method(candidates):
    got = selection_scores(candidates)
    third, two_thirds = 1 / 3, 2 / 3
    expected = frame(
        key=["juicer", "fan", "kettle"], growth=[0.8, 0.3, 0.1], margin=[0.35, 0.30, 0.45],
        competition=[0.6, 0.2, 0.9],
        growth_score=[1.0, two_thirds, third], margin_score=[two_thirds, third, 1.0],
        competition_score=[two_thirds, 1.0, third],
        score=[0.8, 0.6, 0.6], rank=[1, 2, 2])
    assert_frame_equal(got, expected)


def test_selection_scores_minmax_and_weight_normalisation(candidates):
    got = selection_scores(candidates, method="minmax",
                           weights={"growth": 2, "margin": 2, "competition": 1})
    g = [1.0, 0.0, 2 / 7]          # (x - 0.1) / 0.7
    m = [1 / 3, 1.0, 0.0]          # (x - 0.30) / 0.15
    c = [3 / 7, 0.0, 1.0]          # reversed: (0.9 - x) / 0.7
    score = [0.4 * g[i] + 0.4 * m[i] + 0.2 * c[i] for i in range(3)]
    expected = frame(key=["juicer", "kettle", "fan"], growth=[0.8, 0.1, 0.3],
                     margin=[0.35, 0.45, 0.30], competition=[0.6, 0.9, 0.2],
                     growth_score=g, margin_score=m, competition_score=c, score=score,
                     rank=[1, 2, 3])
    assert_frame_equal(got, expected)


def test_selection_scores_zero_weight_criterion_may_be_absent(candidates):
    got = selection_scores(candidates.drop(columns="competition"),
                           weights={"growth": 1, "margin": 1})
    assert got["competition"].isna().all() and got["competition_score"].isna().all()
    assert got["key"].tolist() == ["juicer", "kettle", "fan"]


def test_selection_scores_errors(candidates):
    with pytest.raises(ValueError, match=r"weights key='price' is not supported; choose one of "
                                         r"'growth', 'margin', 'competition'"):
        selection_scores(candidates, weights={"price": 1.0})
    with pytest.raises(ValueError, match=r"weights\['margin'\]=-0.5 must be a number >= 0"):
        selection_scores(candidates, weights={"growth": 1.0, "margin": -0.5})
    with pytest.raises(ValueError, match=r"are all 0"):
        selection_scores(candidates, weights={"growth": 0})
    with pytest.raises(ValueError, match=r"method='zscore' is not supported"):
        selection_scores(candidates, method="zscore")
    with pytest.raises(DataValidationError, match=r"column 'growth' of table 'candidates' has 1 "
                                                  r"missing values"):
        selection_scores(candidates.assign(growth=[0.8, np.nan, 0.3]))


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.floats(-1, 5), st.floats(0, 1), st.floats(0, 1)),
                min_size=1, max_size=12),
       st.sampled_from(["rank", "minmax"]))
def test_selection_scores_in_unit_interval(rows, method):
    cands = frame(key=[f"k{i}" for i in range(len(rows))], growth=[r[0] for r in rows],
                  margin=[r[1] for r in rows], competition=[r[2] for r in rows])
    got = selection_scores(cands, method=method)
    assert got["score"].between(0, 1 + 1e-12).all()
    assert got["rank"].min() == 1 and got["rank"].is_monotonic_increasing


# --- ABC -----------------------------------------------------------------------------------------

def test_abc_classes_hand_computed():
    lines = frame(sku=["a", "b", "c", "a", "d", "e"],
                  net_amount=[50.0, 30.0, 15.0, 0.0, 4.0, 1.0])
    got = abc_classes(lines)
    expected = frame(key=["a", "b", "c", "d", "e"], revenue=[50.0, 30.0, 15.0, 4.0, 1.0],
                     share=[0.5, 0.3, 0.15, 0.04, 0.01],
                     cumulative_share=[0.5, 0.8, 0.95, 0.99, 1.0],
                     abc_class=["A", "A", "B", "C", "C"])
    assert_frame_equal(got, expected)


def test_abc_classes_top_seller_always_a_and_ties_by_key():
    got = abc_classes(frame(category=["z", "y", "x"], quantity=[90, 5, 5]),
                      value_col="quantity", key="category", cutoffs=(0.5, 0.95))
    assert got["key"].tolist() == ["z", "x", "y"]      # 90 first; tie 5/5 sorted by key
    assert got["abc_class"].tolist() == ["A", "B", "C"]  # z alone crosses 50 %: still A


def test_abc_classes_errors():
    lines = frame(sku=["a"], net_amount=[1.0])
    with pytest.raises(ValueError, match=r"cutoffs=\(0.95, 0.8\) must satisfy 0 < A cutoff < "
                                         r"B cutoff <= 1"):
        abc_classes(lines, cutoffs=(0.95, 0.8))
    with pytest.raises(DataValidationError, match=r"sums to 0"):
        abc_classes(lines.assign(net_amount=[0.0]))
    with pytest.raises(DataValidationError, match=r"values below 0 or missing, e.g. rows 0"):
        abc_classes(lines.assign(net_amount=[-1.0]))
    with pytest.raises(DataValidationError, match=r"abc_classes: table 'sales' is missing "
                                                  r"column\(s\) 'sku'"):
        abc_classes(lines.rename(columns={"sku": "item"}))


@settings(max_examples=80, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(list("abcdefgh")), st.floats(0, 1e6)),
                min_size=1, max_size=40).filter(lambda r: sum(v for _, v in r) > 0))
def test_abc_shares_add_to_one(rows):
    got = abc_classes(frame(sku=[r[0] for r in rows], net_amount=[r[1] for r in rows]))
    assert math.isclose(got["share"].sum(), 1.0, rel_tol=1e-9)
    assert math.isclose(got["cumulative_share"].iloc[-1], 1.0, rel_tol=1e-9)
    assert got["cumulative_share"].is_monotonic_increasing
    assert got["abc_class"].is_monotonic_increasing    # A before B before C
    assert got["abc_class"].iloc[0] == "A"


# --- inventory -----------------------------------------------------------------------------------

def test_inventory_kpis_per_sku(shop):
    got = inventory_kpis(shop["inventory"], shop["items"], shop["orders"], shop["products"],
                         start="2026-03-01", end="2026-03-04")
    expected = frame(
        key=["s1", "s2", "s3"],
        units_sold=[5, 0, 2],                      # s1: 2 paid + 3 refunded (shipped)
        cogs=[50.0, 0.0, 40.0],
        avg_inventory_units=[7.75, 5.0, 0.5],
        avg_inventory_value=[77.5, 20.0, 10.0],
        ending_on_hand=[5, 5, 0],
        turnover=[50 / 77.5, 0.0, 4.0],
        days_of_inventory=[4.0, np.inf, 0.0],      # 5 / (5 units / 4 days)
        stockout_days=[0, 0, 3],
        days_since_last_sale=[0.0, 22.0, 2.0],     # s2 last sold on 10 February
        stocked=[True, True, True],
        sold_any=[True, False, True],
        sell_through=[1.0, 0.0, 1.0],
    )
    assert_frame_equal(got, expected)


def test_inventory_kpis_paid_only_and_by_category(shop):
    paid = inventory_kpis(shop["inventory"], shop["items"], shop["orders"], shop["products"],
                          start="2026-03-01", end="2026-03-04", statuses=["paid"])
    assert paid["units_sold"].tolist() == [2, 0, 2]
    got = inventory_kpis(shop["inventory"], shop["items"], shop["orders"], shop["products"],
                         start="2026-03-01", end="2026-03-04", by="category")
    expected = frame(
        key=["beauty", "kitchen"], units_sold=[2, 5], cogs=[40.0, 50.0],
        avg_inventory_units=[0.5, 12.75], avg_inventory_value=[10.0, 97.5],
        ending_on_hand=[0, 10], turnover=[4.0, 50 / 97.5], days_of_inventory=[0.0, 8.0],
        stockout_days=[3, 0], days_since_last_sale=[2.0, 0.0], stocked=[True, True],
        sold_any=[True, True], sell_through=[1.0, 0.5])
    assert_frame_equal(got, expected)


def test_inventory_kpis_no_stock_no_sale_is_nan(shop):
    inv = shop["inventory"].assign(on_hand=np.where(shop["inventory"]["sku"] == "s2", 0,
                                                    shop["inventory"]["on_hand"]))
    got = inventory_kpis(inv, shop["items"], shop["orders"], shop["products"],
                         start="2026-03-02", end="2026-03-03")
    s2 = got.set_index("key").loc["s2"]
    assert np.isnan(s2["days_of_inventory"]) and np.isnan(s2["turnover"])
    assert np.isnan(s2["sell_through"]) and not s2["stocked"]
    assert s2["stockout_days"] == 2


def test_inventory_kpis_errors(shop):
    args = (shop["inventory"], shop["items"], shop["orders"], shop["products"])
    with pytest.raises(DataValidationError, match=r"no rows between 2027-01-01 and 2027-01-31"):
        inventory_kpis(*args, start="2027-01-01", end="2027-01-31")
    with pytest.raises(ValueError, match=r"end=2026-03-01 is before start=2026-03-04"):
        inventory_kpis(*args, start="2026-03-04", end="2026-03-01")
    with pytest.raises(ValueError, match=r"start='soon' is not a date"):
        inventory_kpis(*args, start="soon", end="2026-03-01")
    with pytest.raises(ValueError, match=r"by='brand' is not supported; choose one of 'sku', "
                                         r"'category'"):
        inventory_kpis(*args, start="2026-03-01", end="2026-03-04", by="brand")
    with pytest.raises(DataValidationError, match=r"table 'inventory' is missing column\(s\) "
                                                  r"'on_hand'"):
        inventory_kpis(shop["inventory"].drop(columns="on_hand"), *args[1:],
                       start="2026-03-01", end="2026-03-04")
    with pytest.raises(DataValidationError, match=r"SKU\(s\) in table 'inventory' are not in "
                                                  r"table 'products', e.g. 's3'"):
        inventory_kpis(*args[:3], shop["products"].iloc[:2], start="2026-03-01",
                       end="2026-03-04")


def test_sell_through_rate(shop):
    args = (shop["inventory"], shop["items"], shop["orders"])
    assert sell_through_rate(*args, start="2026-03-01", end="2026-03-04") == pytest.approx(2 / 3)
    # on 3 March only s1 and s2 hold stock and nobody ships anything (o3 is unpaid)
    assert sell_through_rate(*args, start="2026-03-03", end="2026-03-03") == 0.0
    assert sell_through_rate(*args, start="2026-03-03", end="2026-03-03",
                             statuses=["unpaid"]) == 0.5
    empty = shop["inventory"].assign(on_hand=0)
    assert np.isnan(sell_through_rate(empty, *args[1:], start="2026-03-01", end="2026-03-04"))


def test_inventory_period_start(shop):
    inv = shop["inventory"]  # 1 to 4 March 2026
    assert inventory_period_start(inv, as_of="2026-03-04", days=2) == pd.Timestamp("2026-03-03")
    assert inventory_period_start(inv, as_of="2026-03-04 18:30", days=1) == \
        pd.Timestamp("2026-03-04")
    # a period reaching back before the first stock count starts at it
    assert inventory_period_start(inv, as_of="2026-03-04", days=90) == pd.Timestamp("2026-03-01")
    text_dates = inv.assign(day=inv["date"].dt.strftime("%Y-%m-%d")).drop(columns="date")
    assert inventory_period_start(text_dates, as_of="2026-03-04", days=3,
                                  date_col="day") == pd.Timestamp("2026-03-02")


def test_inventory_period_start_errors(shop):
    inv = shop["inventory"]
    with pytest.raises(ValueError, match=r"inventory_period_start: days must be a whole number "
                                         r">= 1, got 0; e.g. 90"):
        inventory_period_start(inv, as_of="2026-03-04", days=0)
    with pytest.raises(DataValidationError, match=r"inventory_period_start: as_of='soon' is not "
                                                  r"a date"):
        inventory_period_start(inv, as_of="soon", days=7)
    with pytest.raises(DataValidationError, match=r"inventory_period_start: table 'inventory' is "
                                                  r"missing column\(s\) 'date'"):
        inventory_period_start(inv.drop(columns="date"), as_of="2026-03-04", days=7)
    with pytest.raises(DataValidationError, match=r"inventory_period_start: table 'inventory' "
                                                  r"has no rows"):
        inventory_period_start(inv.iloc[:0], as_of="2026-03-04", days=7)
    with pytest.raises(DataValidationError, match=r"column 'date' of table 'inventory' has no "
                                                  r"dates"):
        inventory_period_start(inv.assign(date=pd.NaT), as_of="2026-03-04", days=7)


@settings(max_examples=40, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 5), st.integers(0, 3)), min_size=1, max_size=8))
def test_sell_through_in_unit_interval(rows):
    n = len(rows)
    skus = [f"s{i}" for i in range(n)]
    inventory = frame(date=ts(*["2026-03-01"] * n), sku=skus, on_hand=[r[0] for r in rows])
    orders = frame(order_id=[f"o{i}" for i in range(n)], order_ts=ts(*["2026-03-01"] * n))
    items = frame(order_id=[f"o{i}" for i in range(n)], sku=skus,
                  quantity=[r[1] for r in rows])
    rate = sell_through_rate(inventory, items, orders, start="2026-03-01", end="2026-03-01")
    assert np.isnan(rate) or 0.0 <= rate <= 1.0


# --- safety stock and reorder point --------------------------------------------------------------

def test_safety_stock_and_reorder_point_formula():
    # SS = z sqrt(L sigma_d^2 + d^2 sigma_L^2): 1.6449 x sqrt(9 x 16 + 100 x 4) = 38.364
    ss = safety_stock(10, 4, 9, service_level=0.95, lead_time_std=2)
    assert ss == pytest.approx(Z95 * math.sqrt(9 * 16 + 100 * 4))
    assert ss == pytest.approx(38.3642, abs=1e-4)
    assert isinstance(ss, float)
    assert reorder_point(10, 4, 9, service_level=0.95, lead_time_std=2) == pytest.approx(90 + ss)
    assert safety_stock(10, 4, 9, service_level=0.5) == 0.0


def test_safety_stock_broadcasts_arrays():
    got = safety_stock(np.array([1.0, 2.0]), np.array([1.0, 0.0]), 4, service_level=0.95)
    np.testing.assert_allclose(got, [Z95 * 2.0, 0.0])
    got = reorder_point([1.0, 2.0], [1.0, 0.0], 4, service_level=[0.95, 0.99])
    np.testing.assert_allclose(got, [4 + Z95 * 2.0, 8.0])


def test_safety_stock_errors():
    with pytest.raises(ValueError, match=r"safety_stock: service_level=1.0 must be in "
                                         r"\[0.5, 1\)"):
        safety_stock(10, 4, 9, service_level=1.0)
    with pytest.raises(ValueError, match=r"daily_demand_std=-1 must be a finite number >= 0"):
        safety_stock(10, -1, 9)
    with pytest.raises(ValueError, match=r"reorder_point: lead_time_days='a week' must be a "
                                         r"finite number >= 0"):
        reorder_point(10, 4, "a week")


def test_safety_stock_options_are_keyword_only_with_a_warning():
    # positional options still work for one release, with a FutureWarning naming the keyword
    with pytest.warns(FutureWarning, match=r"safety_stock: pass service_level as a keyword "
                                           r"\(service_level=0.95\); positional use is "
                                           r"deprecated"):
        got = safety_stock(10, 4, 9, 0.95)
    assert got == safety_stock(10, 4, 9, service_level=0.95)
    with pytest.warns(FutureWarning, match=r"reorder_point: pass (service_level|lead_time_std) "
                                           r"as a keyword") as record:
        got = reorder_point(10, 4, 9, 0.95, 2)
    assert [str(w.message).split(";")[0] for w in record] == [
        "reorder_point: pass service_level as a keyword (service_level=0.95)",
        "reorder_point: pass lead_time_std as a keyword (lead_time_std=2)"]
    assert got == reorder_point(10, 4, 9, service_level=0.95, lead_time_std=2)
    with pytest.raises(TypeError, match=r"safety_stock\(\) takes 3 positional argument"):
        safety_stock(10, 4, 9, 0.95, 0.0, "extra")
    with pytest.raises(TypeError, match=r"multiple values for argument 'service_level'"):
        safety_stock(10, 4, 9, 0.9, service_level=0.95)


@settings(max_examples=100, deadline=None)
@given(st.floats(0, 1e4), st.floats(0, 1e3), st.floats(0, 365), st.floats(0.5, 0.999),
       st.floats(0, 30))
def test_reorder_point_at_least_safety_stock(d, sd, lt, sl, slt):
    ss = safety_stock(d, sd, lt, service_level=sl, lead_time_std=slt)
    assert ss >= 0
    assert reorder_point(d, sd, lt, service_level=sl, lead_time_std=slt) >= ss


def test_service_level_curve():
    got = service_level_curve(10, 4, 9, service_levels=[0.5, 0.9, 0.95])
    z = stats.norm.ppf([0.5, 0.9, 0.95])
    expected = frame(service_level=[0.5, 0.9, 0.95], z=z, safety_stock=z * 12.0,
                     reorder_point=90 + z * 12.0)
    assert_frame_equal(got, expected)
    default = service_level_curve(10, 4, 9)
    assert len(default) == 100 and default["service_level"].iloc[-1] == 0.995
    assert default["safety_stock"].is_monotonic_increasing


def test_reorder_table(shop):
    got = reorder_table(shop["items"], shop["orders"], shop["products"], as_of="2026-03-04",
                        window_days=4)
    # daily units 1-4 March: s1 [0, 2, 0, 3] (mean 1.25, sd 1.5); s2 none; s3 [0, 2, 0, 0]
    ss = [Z95 * math.sqrt(5 * 1.5**2), 0.0, Z95 * math.sqrt(7 * 1.0**2)]
    expected = frame(sku=["s1", "s2", "s3"], lead_time_days=[5.0, 10.0, 7.0],
                     daily_demand_mean=[1.25, 0.0, 0.5], daily_demand_std=[1.5, 0.0, 1.0],
                     safety_stock=ss, reorder_point=[1.25 * 5 + ss[0], 0.0, 0.5 * 7 + ss[2]])
    assert_frame_equal(got, expected)
    # the std equals numpy's on the zero-filled daily series
    assert np.std([0, 2, 0, 3], ddof=1) == pytest.approx(1.5)


def test_reorder_table_errors(shop):
    args = (shop["items"], shop["orders"], shop["products"])
    with pytest.raises(ValueError, match=r"reorder_table: window_days must be a whole number "
                                         r">= 2, got 1; a number of days, e.g. 28"):
        reorder_table(*args, as_of="2026-03-04", window_days=1)
    with pytest.raises(DataValidationError, match=r"missing column\(s\) 'lead_time_days'"):
        reorder_table(*args[:2], shop["products"].drop(columns="lead_time_days"),
                      as_of="2026-03-04")
    with pytest.raises(ValueError, match=r"service_level=0.3 must be in \[0.5, 1\)"):
        reorder_table(*args, as_of="2026-03-04", service_level=0.3)


def test_stockout_risk(shop):
    got = stockout_risk(shop["inventory"], shop["items"], shop["orders"], as_of="2026-03-04",
                        until="2026-03-14", window_days=4, uplift=2.0)
    expected = frame(sku=["s3", "s1", "s2"], on_hand=[0, 5, 5],
                     daily_demand=[1.0, 2.5, 0.0], expected_demand=[10.0, 25.0, 0.0],
                     days_of_cover=[0.0, 2.0, np.inf], shortfall=[10.0, 20.0, 0.0],
                     at_risk=[True, True, False])
    assert_frame_equal(got, expected)


def test_stockout_risk_errors(shop):
    args = (shop["inventory"], shop["items"], shop["orders"])
    with pytest.raises(ValueError, match=r"until=2026-03-01 must be after as_of=2026-03-04"):
        stockout_risk(*args, as_of="2026-03-04", until="2026-03-01")
    with pytest.raises(DataValidationError, match=r"no rows on or before as_of=2026-01-01"):
        stockout_risk(*args, as_of="2026-01-01", until="2026-01-05")
    with pytest.raises(ValueError, match=r"uplift=-1 must be a finite number >= 0"):
        stockout_risk(*args, as_of="2026-03-04", until="2026-03-05", uplift=-1)


# --- slow movers and bundles ---------------------------------------------------------------------

def test_slow_movers(shop):
    kpis = inventory_kpis(shop["inventory"], shop["items"], shop["orders"], shop["products"],
                          start="2026-03-01", end="2026-03-04")
    got = slow_movers(kpis, days_threshold=180)
    expected = kpis.iloc[[1]].reset_index(drop=True).assign(over_days_threshold=[True],
                                                           no_recent_sale=[False])
    assert_frame_equal(got, expected)
    got = slow_movers(kpis, days_threshold=3, no_sale_days=1)
    # s2 (inf days) and s1 (4 days > 3); s3 has no stock left so it is never a slow mover
    assert got["key"].tolist() == ["s2", "s1"]
    assert got["no_recent_sale"].tolist() == [True, False]


def test_slow_movers_errors():
    kpis = frame(key=["s1"], ending_on_hand=[1], days_of_inventory=[1.0])
    with pytest.raises(DataValidationError, match=r"table 'kpis' is missing column\(s\) "
                                                  r"'days_since_last_sale'"):
        slow_movers(kpis, no_sale_days=30)
    with pytest.raises(ValueError, match=r"days_threshold=-5 must be a number of days >= 0"):
        slow_movers(kpis, days_threshold=-5)


@pytest.fixture
def baskets():
    # 6 orders: the slow vase sells with candles in o1, o2, o3; candles also alone in o4
    return frame(order_id=["o1", "o1", "o2", "o2", "o2", "o3", "o3", "o4", "o5", "o6", "o6"],
                 sku=["vase", "candle", "vase", "candle", "mug", "vase", "candle", "candle",
                      "mug", "vase", "mug"])


def test_bundle_candidates(baskets):
    got = bundle_candidates(baskets, slow_skus=["vase"], min_orders=2)
    # P(candle | vase) = 3/4; P(candle) = 4/6 -> lift 9/8; P(mug | vase) = 2/4, P(mug) = 3/6
    expected = frame(slow_sku=["vase", "vase"], hot_sku=["candle", "mug"], pair_orders=[3, 2],
                     slow_orders=[4, 4], hot_orders=[4, 3], support=[3 / 6, 2 / 6],
                     confidence=[0.75, 0.5], lift=[9 / 8, 1.0])
    assert_frame_equal(got, expected)


def test_bundle_candidates_hot_list_min_orders_and_empty(baskets):
    got = bundle_candidates(baskets, slow_skus="vase", hot_skus=["mug"], min_orders=1)
    assert got["hot_sku"].tolist() == ["mug"]
    dup = pd.concat([baskets, baskets.iloc[[0]]])      # a repeated line counts once
    assert bundle_candidates(dup, slow_skus=["vase"], min_orders=2)["pair_orders"].tolist() \
        == [3, 2]
    empty = bundle_candidates(baskets, slow_skus=["vase"], min_orders=10)
    assert list(empty.columns) == ["slow_sku", "hot_sku", "pair_orders", "slow_orders",
                                   "hot_orders", "support", "confidence", "lift"]
    assert len(empty) == 0 and empty["pair_orders"].dtype == "int64"
    assert len(bundle_candidates(baskets, slow_skus=["unknown"])) == 0


def test_bundle_candidates_errors(baskets):
    with pytest.raises(ValueError, match=r"slow_skus is empty"):
        bundle_candidates(baskets, slow_skus=[])
    with pytest.raises(ValueError, match=r"bundle_candidates: min_orders must be a whole "
                                         r"number >= 1, got 0"):
        bundle_candidates(baskets, slow_skus=["vase"], min_orders=0)
    with pytest.raises(DataValidationError, match=r"missing column\(s\) 'order_id'"):
        bundle_candidates(baskets.rename(columns={"order_id": "oid"}), slow_skus=["vase"])


# --- charts --------------------------------------------------------------------------------------

def test_charts_draw_on_the_given_axes(shop):
    kpis = inventory_kpis(shop["inventory"], shop["items"], shop["orders"], shop["products"],
                          start="2026-03-01", end="2026-03-04")
    abc = abc_classes(sold_items(shop["items"], shop["orders"]))
    t, y = _monthly(24)
    comp = seasonality(frame(period=t, key="juicer", units=y))
    fig, axes = plt.subplots(1, 3)
    try:
        assert plots.abc_chart(abc, ax=axes[0]) is axes[0]
        assert len(axes[0].patches) == len(abc)
        assert plots.inventory_cover_chart(kpis, ax=axes[1]) is axes[1]
        assert [t.get_text() for t in axes[1].get_yticklabels()] == ["s1", "s2", "s3"]
        assert plots.seasonality_chart(comp, ax=axes[2]) is axes[2]
        assert len(axes[2].get_lines()) >= 3
        assert len(fig.axes) == 3          # nothing drawn elsewhere
    finally:
        plt.close(fig)
    with pytest.raises(DataValidationError, match=r"pass key= one of 'fan', 'juicer'"):
        plots.seasonality_chart(pd.concat([comp, comp.assign(key="fan")]).sort_values("key"))
    with pytest.raises(DataValidationError, match=r"abc_chart: table 'abc' is missing"):
        plots.abc_chart(kpis)
    plt.close("all")


# --- docstring examples and a generated shop ----------------------------------------------------

def test_docstring_examples_run():
    attempted = 0
    for module in (products._lines, products.selection, products.inventory):
        result = doctest.testmod(module, optionflags=doctest.NORMALIZE_WHITESPACE)
        assert result.failed == 0, module.__name__
        attempted += result.attempted
    assert attempted > 20


# The generated shops plant stories and record them in ``ds.truth``; each test below checks
# that the library finds the planted story, using the truth's own definitions.

@pytest.fixture(scope="module")
def two_year_shop():
    from playbook_lib.data.generate import generate

    return generate(customers=2000, start="2024-09-01", end="2026-08-31", seed=5)


@pytest.mark.slow
def test_story_slow_movers(small_shop):
    ds, truth = small_shop, small_shop.truth["slow_movers"]
    end = pd.Timestamp(truth["as_of"])
    kpis = inventory_kpis(ds.inventory, ds.order_items, ds.orders, ds.products,
                          start=end - pd.Timedelta(days=89), end=end)
    slow = slow_movers(kpis, days_threshold=180)
    assert sorted(slow["key"]) == truth["skus"]
    for sku, days in truth["days_of_inventory"].items():
        got = slow.set_index("key").loc[sku, "days_of_inventory"]
        assert np.isinf(got) if days is None else round(got, 1) == days
    # Past any finite threshold only the SKUs with stock and no sale at all (infinite days) stay.
    never_sold = sorted(s for s, d in truth["days_of_inventory"].items() if d is None)
    assert sorted(slow_movers(kpis, days_threshold=1e9)["key"]) == never_sold


@pytest.mark.slow
def test_story_cross_sell_pair_for_a_bundle(small_shop):
    truth = small_shop.truth["cross_sell"]
    got = bundle_candidates(small_shop.order_items, slow_skus=[truth["sku_a"]], min_orders=5)
    top = got.iloc[0]
    assert (top["slow_sku"], top["hot_sku"]) == (truth["sku_a"], truth["sku_b"])
    assert round(top["support"], 5) == pytest.approx(truth["support"], abs=1e-5)
    assert round(top["confidence"], 4) == pytest.approx(truth["confidence"], abs=1e-4)
    assert round(top["lift"], 4) == pytest.approx(truth["lift"], abs=1e-4)


@pytest.mark.slow
def test_story_best_seller_runs_out_before_the_campaign(small_shop):
    ds, truth = small_shop, small_shop.truth["stockout"]
    if truth is None:
        pytest.skip("this shop has no planted stock-out")
    kpis = inventory_kpis(ds.inventory, ds.order_items, ds.orders, ds.products,
                          start=truth["start"], end=truth["end"])
    assert kpis.set_index("key").loc[truth["sku"], "stockout_days"] == truth["days"]
    # the last units sell on the first day out; nothing sells on the days after it
    after = inventory_kpis(ds.inventory, ds.order_items, ds.orders, ds.products,
                           start=pd.Timestamp(truth["start"]) + pd.Timedelta(days=1),
                           end=truth["end"]).set_index("key").loc[truth["sku"]]
    assert after["units_sold"] == 0 and after["stockout_days"] == truth["days"] - 1
    risk = stockout_risk(ds.inventory, ds.order_items, ds.orders,
                         as_of=pd.Timestamp(truth["start"]) - pd.Timedelta(days=7),
                         until=truth["warmup_start"])
    assert risk.set_index("sku").loc[truth["sku"], "at_risk"]


@pytest.mark.slow
def test_inventory_reconciles_with_shipped_orders(small_shop):
    ds = small_shop
    start, end = pd.Timestamp("2026-03-01"), pd.Timestamp("2026-03-31")
    inv = ds.inventory.sort_values(["sku", "date"])
    inv = inv[(inv["date"] >= start - pd.Timedelta(days=1)) & (inv["date"] <= end)]
    prev = inv.groupby("sku")["on_hand"].shift(1)
    taken = (prev + inv["inbound_qty"] - inv["on_hand"])[inv["date"] >= start]
    taken = taken.groupby(inv["sku"]).sum().astype("int64")
    shipped = inventory_kpis(ds.inventory, ds.order_items, ds.orders, ds.products,
                             start=start, end=end).set_index("key")["units_sold"]
    assert (shipped == taken.reindex(shipped.index)).all()
    paid = inventory_kpis(ds.inventory, ds.order_items, ds.orders, ds.products,
                          start=start, end=end, statuses=["paid"]).set_index("key")["units_sold"]
    assert not (paid == taken.reindex(paid.index)).all()   # refunded orders left the shelf too
    rate = sell_through_rate(ds.inventory, ds.order_items, ds.orders, start=start, end=end)
    assert 0 < rate <= 1
    abc = abc_classes(sold_items(ds.order_items, ds.orders))
    assert math.isclose(abc["share"].sum(), 1.0)


@pytest.mark.slow
def test_story_juicer_summer(two_year_shop):
    ds = two_year_shop
    truth = ds.truth["juicer_surge"]
    trends = category_trends(ds.orders, ds.order_items, ds.products, level="sku",
                             statuses=SHIPPED_STATUSES)
    comp = seasonality(trends, keys=[truth["sku"]])
    by_month = comp.groupby(comp["period"].dt.month)["seasonal"].mean()
    summer = by_month.loc[truth["surge_months"]]
    assert by_month.idxmax() in truth["surge_months"]
    assert summer.mean() > by_month.drop(index=truth["surge_months"]).max()
    strength = seasonal_strength(seasonality(trends)).set_index("key")["seasonal_strength"]
    assert strength[truth["sku"]] > strength.median()

    search = ds.truth["juicer_search_surge"]
    terms = search_trends(ds.search_terms, keywords=search["keywords"])
    monthly = terms.groupby("month")["impressions"].sum()
    surge = monthly.index.month.isin(search["months"])
    ratio = monthly[surge].mean() / monthly[~surge].mean()
    assert round(ratio, 3) == pytest.approx(search["observed_ratio"], abs=1e-3)


def test_reorder_table_cuts_the_window_at_the_first_day_of_data():
    # 3 days of history, 6 units in all: demand is 2 a day, not 6 / 90
    orders = pd.DataFrame({"order_id": ["o1", "o2", "o3"], "status": ["paid"] * 3,
                           "order_ts": pd.to_datetime(["2026-03-01", "2026-03-02", "2026-03-03"])})
    items = pd.DataFrame({"order_id": ["o1", "o2", "o3"], "sku": ["s1"] * 3, "quantity": [1, 2, 3]})
    prods = pd.DataFrame({"sku": ["s1"], "lead_time_days": [10]})
    got = reorder_table(items, orders, prods, as_of="2026-03-03", window_days=90)
    assert got.loc[0, "daily_demand_mean"] == pytest.approx(2.0)
    assert got.loc[0, "daily_demand_std"] == pytest.approx(1.0)
    with pytest.raises(DataValidationError, match="less than two days of demand"):
        reorder_table(items, orders, prods, as_of="2026-03-01", window_days=90)


def test_inventory_kpis_counts_days_of_inventory_from_a_mid_period_launch():
    # s2 is listed on the last 2 of 4 days and sells 4 units: 2 a day, 6 on hand -> 3 days
    inv = pd.DataFrame({"date": pd.to_datetime(["2026-01-01", "2026-01-02", "2026-01-03",
                                                "2026-01-04", "2026-01-03", "2026-01-04"]),
                        "sku": ["s1"] * 4 + ["s2"] * 2, "on_hand": [8, 8, 8, 8, 10, 6],
                        "inbound_qty": [0] * 6})
    orders = pd.DataFrame({"order_id": ["o1", "o2"], "status": ["paid", "paid"],
                           "order_ts": pd.to_datetime(["2026-01-02", "2026-01-04"])})
    items = pd.DataFrame({"order_id": ["o1", "o2"], "sku": ["s1", "s2"], "quantity": [2, 4],
                          "net_amount": [20.0, 40.0]})
    prods = pd.DataFrame({"sku": ["s1", "s2"], "category": ["c", "c"], "unit_cost": [1.0, 1.0]})
    got = inventory_kpis(inv, items, orders, prods, start="2026-01-01", end="2026-01-04")
    assert got.set_index("key")["days_of_inventory"].to_dict() == {"s1": 16.0, "s2": 3.0}


def test_category_trends_sku_rows_start_when_the_sku_was_listed():
    orders = pd.DataFrame({"order_id": ["o1", "o2", "o3", "o4"], "status": ["paid"] * 4,
                           "order_ts": pd.to_datetime(["2026-01-05", "2026-02-05", "2026-03-05",
                                                       "2026-03-06"])})
    items = pd.DataFrame({"order_id": ["o1", "o2", "o3", "o4"], "sku": ["old", "old", "new", "old"],
                          "quantity": [1, 1, 2, 1], "net_amount": [10.0, 10.0, 30.0, 10.0]})
    prods = pd.DataFrame({"sku": ["old", "new"], "category": ["c", "c"],
                          "launch_date": pd.to_datetime(["2025-01-01", "2026-02-20"])})
    got = category_trends(orders, items, prods, level="sku")
    assert list(zip(got["key"], got["period"].dt.strftime("%Y-%m"), got["units"],
                    strict=True)) == [
        ("new", "2026-02", 0), ("new", "2026-03", 2),
        ("old", "2026-01", 1), ("old", "2026-02", 1), ("old", "2026-03", 1)]
    # without launch dates a SKU starts at its first sale
    got = category_trends(orders, items, prods.drop(columns="launch_date"), level="sku")
    assert got.loc[got["key"] == "new", "period"].dt.strftime("%Y-%m").tolist() == ["2026-03"]
