"""Side tables of the demo-shop generator: search, service, content, experiments and staff.

The core generator (:mod:`playbook_lib.data.generate`) builds customers, products, orders and
the other transactional tables, then calls the ``make_*`` functions here. Each one takes the
random generator first and keyword-only inputs, and returns ``(table_or_tables, truth_part)``:
the table(s) with the exact columns and dtypes of :data:`playbook_lib.data.schema.TABLES`, and a
JSON-able dict with one key per planted story (it goes straight into ``truth.json``).

:func:`quarterly_scores` is the kit's definition of an operator's quarterly appraisal score; the
staff stories are planted against it and the ``kpi`` module reuses it.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd
from scipy import stats

from .._frames import isin
from .._orders import SHIPPED_STATUSES, paid_orders
from ..errors import DataValidationError, format_examples, require_columns
from .schema import TABLES

__all__ = [
    "BANNED_CLAIMS",
    "SERVICE_TARGETS",
    "KPI_WEIGHTS",
    "RATER_WEIGHTS",
    "KPI_SHARE",
    "SCORE_CAP",
    "make_search_terms",
    "make_service_tickets",
    "make_content_posts",
    "make_experiments",
    "make_staff",
    "quarterly_scores",
]

# --------------------------------------------------------------------------------------------
# Shared constants (documented; other modules may import them)
# --------------------------------------------------------------------------------------------

#: Absolute claims the Advertising Law forbids (广告法极限词), as planted in content posts.
#: English renderings first, then the Chinese originals. Match case-insensitively.
BANNED_CLAIMS: tuple[str, ...] = (
    "lowest price on the whole web",
    "No. 1",
    "the best",
    "100% effective",
    "top-rated in the world",
    "全网最低",
    "第一",
    "最佳",
    "国家级",
)

#: Service targets used by the generator (seed 2.7.2, 2.7.3, 7.1.1): a human agent answers a chat
#: within 60 s; after-sales tickets are resolved within 24 h, complaints within 48 h; orders ship
#: within 24 h. The bot answers in seconds.
SERVICE_TARGETS: dict[str, float] = {
    "first_response_s": 60.0,
    "after_sale_resolution_h": 24.0,
    "complaint_resolution_h": 48.0,
    "ship_within_h": 24.0,
}

#: Weights of the KPI metrics in an operator's KPI score (sum to 1): results first (GMV, ROI,
#: new customers, repurchase, conversion), then one process metric (campaign plans on time).
KPI_WEIGHTS: dict[str, float] = {
    "gmv": 0.30,
    "roi": 0.20,
    "new_customers": 0.15,
    "repurchase_rate": 0.15,
    "conversion_rate": 0.10,
    "plan_on_time_rate": 0.10,
}

#: Weights of the 360-degree review's rater groups (seed 4.3.3).
RATER_WEIGHTS: dict[str, float] = {"manager": 0.6, "cross_dept": 0.2, "peer": 0.2}

#: Share of the KPI score in the total; the 360 review score has the rest.
KPI_SHARE: float = 0.7

#: Achievement (actual / target) that earns full marks on a metric (seed 4.2.1: 20% over target).
SCORE_CAP: float = 1.2

_DAY = pd.Timedelta(days=1)
_MIN_MONTHLY_ORDERS = 50  # floor so tiny shops still get readable search data


# --------------------------------------------------------------------------------------------
# Helpers
# --------------------------------------------------------------------------------------------

def _period(start, end, func: str) -> tuple[pd.Timestamp, pd.Timestamp]:
    """Both ends of the period as midnight timestamps; ``end`` is the last day included."""
    s, e = pd.Timestamp(start).normalize(), pd.Timestamp(end).normalize()
    if e < s:
        raise ValueError(f"{func}: end={e.date()} is before start={s.date()}.")
    return s, e


def _conform(df: pd.DataFrame, table: str) -> pd.DataFrame:
    """Order the columns as the schema lists them and cast each to its kind's dtype."""
    out = {}
    for col in TABLES[table].columns:
        s = df[col.name]
        if col.kind == "str":
            s = s.astype("str")
        elif col.kind == "int":
            s = s.astype("Int64") if col.nullable else s.astype("int64")
        elif col.kind == "float":
            s = s.astype("float64")
        elif col.kind in ("datetime", "date"):
            s = pd.to_datetime(s).astype("datetime64[ns]")
            if col.kind == "date":
                s = s.dt.normalize()
        elif col.kind == "bool":
            s = s.astype("bool")
        out[col.name] = s.reset_index(drop=True)
    return pd.DataFrame(out)


def _gamma_sum(rng: np.random.Generator, n: np.ndarray, mean: np.ndarray, k: float = 4.0):
    """Sum of ``n`` Gamma values with the given mean each (0 where n is 0)."""
    n = np.asarray(n, dtype=float)
    mean = np.broadcast_to(np.asarray(mean, dtype=float), n.shape)
    out = np.zeros_like(n)
    pos = n > 0
    out[pos] = rng.gamma(n[pos] * k, mean[pos] / k)
    return out


def _contains_banned(text: str) -> bool:
    low = str(text).lower()
    return any(p.lower() in low for p in BANNED_CLAIMS)


def _two_prop_p(c_a: int, n_a: int, c_b: int, n_b: int) -> float:
    """Two-sided p-value of the pooled two-proportion z-test (as statsmodels' proportions_ztest)."""
    p = (c_a + c_b) / (n_a + n_b)
    se = np.sqrt(p * (1 - p) * (1 / n_a + 1 / n_b))
    z = (c_b / n_b - c_a / n_a) / se
    return float(2 * stats.norm.sf(abs(z)))


def _hours(x) -> pd.TimedeltaIndex:
    return pd.to_timedelta(np.asarray(x, dtype=float), unit="h")


def _iso(ts) -> str:
    return pd.Timestamp(ts).date().isoformat()


# --------------------------------------------------------------------------------------------
# Search terms
# --------------------------------------------------------------------------------------------

# Keyword banks: (aliases found in a category name, head terms, long-tail terms).
_KEYWORD_BANKS: tuple[tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]], ...] = (
    (("beauty", "cosmetic", "makeup", "skin"),
     ("lipstick", "sunscreen", "face cream", "serum", "foundation"),
     ("sunscreen for beach holiday", "lipstick for daily office wear",
      "moisturizer for sensitive skin in winter", "waterproof mascara for summer",
      "face mask gift set for spring festival", "travel size skincare kit for business trips")),
    (("apparel", "cloth", "fashion", "wear", "dress", "shoe"),
     ("dress", "t-shirt", "jeans", "sneakers", "down jacket"),
     ("linen dress for summer vacation", "down jacket for northern winter",
      "running shoes for marathon training", "office shirt for spring commute",
      "swimsuit for beach holiday", "red sweater for spring festival")),
    (("appliance", "kitchen", "electr", "digital", "gadget"),
     ("air fryer", "blender", "electric kettle", "rice cooker"),
     ("air fryer for small apartment", "mini blender for office breakfast",
      "travel kettle for business trips", "quiet humidifier for bedroom in winter",
      "rice cooker for student dorm")),
    (("food", "snack", "grocer", "tea", "drink", "beverage"),
     ("snacks", "green tea", "coffee beans", "nuts", "instant noodles"),
     ("snack box for football night", "healthy snacks for office afternoon",
      "nut gift box for spring festival", "cold brew coffee for summer mornings",
      "mooncakes for mid-autumn family gift")),
    (("home", "house", "furnit", "living", "bedding", "storage"),
     ("storage box", "bedding set", "towel", "pillow"),
     ("cooling bed sheets for hot summer nights", "storage rack for small dorm room",
      "thick blanket for winter nights", "picnic mat for spring outing")),
    (("baby", "mother", "maternal", "kid", "toy", "infant", "mom"),
     ("diapers", "baby bottle", "stroller", "toys"),
     ("lightweight stroller for travel", "breathable diapers for summer nights",
      "educational toys for 3 year olds", "baby sunscreen for outdoor play")),
    (("sport", "outdoor", "fitness"),
     ("yoga mat", "dumbbells", "tent"),
     ("yoga mat for home workout", "camping tent for weekend trip",
      "sports bottle for summer hiking")),
    (("pet",),
     ("cat food", "dog leash"),
     ("cat litter for small apartment", "cooling mat for dogs in summer")),
)
_GENERIC_LONG_TAIL = ("{c} gift set for spring festival", "{c} for summer holiday",
                      "{c} for students in the new semester")
_JUICER_HEAD = ("juicer", "portable juicer")
_JUICER_LONG_TAIL = ("portable juicer for summer travel",)
_SURGE_MONTHS = (6, 7, 8)
_SURGE_MULTIPLIER = 3.0
_HEAD_CTR, _LONG_CTR = 0.025, 0.07
_HEAD_CVR, _LONG_CVR = 0.035, 0.10
_SEARCH_ORDER_SHARE = 0.3  # share of the shop's paid orders that come from in-shop search
_MAX_KEYWORDS = 80


def _season_factor(keyword: str, month: int) -> float:
    """Mild seasonality of long-tail words that name a season or festival."""
    k = keyword.lower()
    if "spring festival" in k:
        return 2.0 if month in (1, 2) else 1.0
    if "mid-autumn" in k:
        return 2.5 if month in (8, 9) else 0.8
    if "winter" in k:
        return 1.8 if month in (11, 12, 1) else 0.8
    if any(w in k for w in ("summer", "beach", "swimsuit")):
        return 1.8 if month in (6, 7, 8) else 0.8
    if "semester" in k:
        return 1.8 if month in (8, 9) else 1.0
    return 1.0


def _keyword_list(categories: list[str], juicer_category: str | None) -> pd.DataFrame:
    """Keywords with their category and kind (head / long_tail), unique, at most 80."""
    rows: list[tuple[str, str, str]] = []
    used_banks: set[int] = set()
    for cat in categories:
        low = cat.lower()
        bank = next((i for i, (aliases, _, _) in enumerate(_KEYWORD_BANKS)
                     if i not in used_banks and any(a in low for a in aliases)), None)
        if bank is None:
            heads, longs = (low,), tuple(t.format(c=low) for t in _GENERIC_LONG_TAIL)
        else:
            used_banks.add(bank)
            _, heads, longs = _KEYWORD_BANKS[bank]
        rows += [(k, cat, "head") for k in heads] + [(k, cat, "long_tail") for k in longs]
    jcat = juicer_category if juicer_category is not None else categories[0]
    juicer = ([(k, jcat, "head") for k in _JUICER_HEAD]
              + [(k, jcat, "long_tail") for k in _JUICER_LONG_TAIL])
    kw = pd.DataFrame(juicer + rows, columns=["keyword", "category", "kind"])
    kw = kw.drop_duplicates("keyword", keep="first").head(_MAX_KEYWORDS)
    return kw.reset_index(drop=True)


def make_search_terms(rng: np.random.Generator, *, products: pd.DataFrame,
                      order_items: pd.DataFrame, orders: pd.DataFrame, start, end,
                      truth: Mapping | None = None) -> tuple[pd.DataFrame, dict]:
    """Monthly in-shop search keywords, with the long-tail and juicer-surge stories.

    Parameters
    ----------
    rng : numpy.random.Generator
        Source of all randomness.
    products : DataFrame
        Needs ``sku`` and ``category``; ``name`` is used to find the juicer when ``truth``
        does not name it.
    order_items, orders : DataFrame
        ``order_items`` needs ``order_id, sku, net_amount``; ``orders`` needs ``order_id,
        order_ts`` (``status`` is used when present: only paid orders count). They set the
        level of search traffic (about 30% of paid orders come from search) and the order
        value of each keyword's category.
    start, end : str or Timestamp
        First and last day of the shop's period; every month they touch gets rows.
    truth : mapping, optional
        The core generator's truth so far; ``truth["juicer_surge"]["sku"]`` names the juicer.

    Returns
    -------
    search_terms : DataFrame
        One row per month x keyword, columns as ``TABLES["search_terms"]``.
    truth_part : dict
        ``long_tail_keywords`` and ``juicer_search_surge`` (see Notes).

    Notes
    -----
    Head terms ("lipstick", "dress") get many impressions, a click-through rate near 2.5% and
    orders / clicks near 3.5%; long-tail terms with a season or scene ("sunscreen for beach
    holiday") get a few percent of the impressions but about 7% click-through and 10% orders /
    clicks. The juicer's keywords have three times their usual impressions in June-August.
    Monthly volume is level (no trend), so the summer ratio can be read off directly.
    """
    func = "make_search_terms"
    require_columns(products, ["sku", "category"], table="products", func=func)
    require_columns(order_items, ["order_id", "sku", "net_amount"], table="order_items", func=func)
    require_columns(orders, ["order_id", "order_ts"], table="orders", func=func)
    if len(products) == 0:
        raise DataValidationError(f"{func}: table 'products' has no rows; need at least one SKU.")
    start, end = _period(start, end, func)
    months = pd.period_range(start, end, freq="M")

    # Shop size and order values.
    paid = paid_orders(orders)
    ts = pd.to_datetime(paid["order_ts"])
    paid = paid[(ts >= start) & (ts < end + _DAY)]
    monthly_orders = max(len(paid) / len(months), _MIN_MONTHLY_ORDERS)
    lines = order_items[isin(order_items["order_id"], paid["order_id"])]
    lines = lines.merge(products[["sku", "category"]], on="sku", how="inner")
    per_order = lines.groupby(["category", "order_id"], observed=True)["net_amount"].sum()
    cat_aov = per_order.groupby(level="category", observed=True).mean().to_dict()
    overall = float(per_order.groupby(level="order_id").sum().mean()) if len(per_order) else 150.0
    if not np.isfinite(overall) or overall <= 0:
        overall = 150.0

    # The juicer.
    sku = ((truth or {}).get("juicer_surge") or {}).get("sku")
    prod = products.set_index(products["sku"].astype("str"))
    if sku is None and "name" in products.columns:
        hit = products[products["name"].astype("str").str.lower().str.contains("juicer")]
        sku = str(hit["sku"].iloc[0]) if len(hit) else None
    known = sku is not None and str(sku) in prod.index
    jcat = str(prod.loc[str(sku), "category"]) if known else None

    categories = sorted(products["category"].dropna().astype("str").unique().tolist())
    kw = _keyword_list(categories, jcat)
    n_kw = len(kw)
    is_long = (kw["kind"] == "long_tail").to_numpy()
    is_juicer = kw["keyword"].isin(_JUICER_HEAD + _JUICER_LONG_TAIL).to_numpy()

    weight = np.where(is_long, 0.03 * rng.lognormal(0, 0.4, n_kw), rng.lognormal(0, 0.5, n_kw))
    weight[kw["keyword"].eq("juicer").to_numpy()] = 0.5
    weight[kw["keyword"].eq("portable juicer").to_numpy()] = 0.3
    ctr = np.where(is_long, _LONG_CTR, _HEAD_CTR) * rng.lognormal(0, 0.2, n_kw)
    cvr = np.where(is_long, _LONG_CVR, _HEAD_CVR) * rng.lognormal(0, 0.15, n_kw)
    rank = np.where(is_long, rng.uniform(1.0, 3.5, n_kw), rng.uniform(4.0, 18.0, n_kw))
    aov = kw["category"].map(lambda c: cat_aov.get(c, overall)).to_numpy(dtype=float)
    base = _SEARCH_ORDER_SHARE * monthly_orders / float(np.sum(weight * ctr * cvr))

    month_num = np.array([m.month for m in months])
    season = np.array([[_season_factor(k, m) for m in month_num] for k in kw["keyword"]])
    in_surge = np.isin(month_num, _SURGE_MONTHS)
    season[is_juicer] = np.where(in_surge, _SURGE_MULTIPLIER, 1.0)

    n_m = len(months)
    lam = base * weight[:, None] * season * rng.lognormal(0, 0.08, (n_kw, n_m))
    impressions = rng.poisson(lam)
    clicks = rng.binomial(impressions, np.clip(ctr[:, None] * rng.lognormal(0, 0.05, (n_kw, n_m)),
                                               0, 0.5))
    n_orders = rng.binomial(clicks, np.clip(cvr, 0, 0.5)[:, None])
    gmv = np.round(_gamma_sum(rng, n_orders, np.repeat(aov[:, None], n_m, axis=1)), 2)
    avg_rank = np.maximum(np.round(rank[:, None] * rng.lognormal(0, 0.1, (n_kw, n_m)), 1), 1.0)

    out = pd.DataFrame({
        "month": np.tile(months.to_timestamp().to_numpy(), n_kw),
        "keyword": np.repeat(kw["keyword"].to_numpy(), n_m),
        "impressions": impressions.ravel(),
        "clicks": clicks.ravel(),
        "orders": n_orders.ravel(),
        "gmv": gmv.ravel(),
        "avg_rank": avg_rank.ravel(),
    }).sort_values(["month", "keyword"], kind="stable")
    out = _conform(out, "search_terms")

    long_kw = kw.loc[is_long, "keyword"].tolist()
    head_kw = kw.loc[~is_long, "keyword"].tolist()
    grp = out.assign(long=out["keyword"].isin(long_kw)).groupby("long")[["orders", "clicks"]].sum()

    def _rate(flag: bool):
        if flag not in grp.index or grp.loc[flag, "clicks"] == 0:
            return None
        return round(float(grp.loc[flag, "orders"] / grp.loc[flag, "clicks"]), 4)

    jk = kw.loc[is_juicer, "keyword"].tolist()
    per_month = out[out["keyword"].isin(jk)].groupby("month")["impressions"].sum()
    summer = per_month.index.month.isin(_SURGE_MONTHS)
    ratio = (round(float(per_month[summer].mean() / per_month[~summer].mean()), 3)
             if summer.any() and (~summer).any() else None)
    truth_part = {
        "long_tail_keywords": {
            "keywords": long_kw,
            "head_keywords": head_kw,
            "definition": "conversion = orders / clicks, pooled over months and keywords",
            "head_conversion": _HEAD_CVR,
            "long_tail_conversion": _LONG_CVR,
            "head_ctr": _HEAD_CTR,
            "long_tail_ctr": _LONG_CTR,
            "observed_head_conversion": _rate(False),
            "observed_long_tail_conversion": _rate(True),
        },
        "juicer_search_surge": {
            "sku": None if sku is None else str(sku),
            "keywords": jk,
            "months": list(_SURGE_MONTHS),
            "multiplier": _SURGE_MULTIPLIER,
            "observed_ratio": ratio,
            "definition": "mean monthly impressions of the keywords in the surge months / "
                          "in the other months",
        },
    }
    return out, truth_part


# --------------------------------------------------------------------------------------------
# Service tickets
# --------------------------------------------------------------------------------------------

# (topic, probability within its group, bot probability)
_BOT_SHARE = 0.8  # of routine pre-sale questions (seed 7.1.1)
_PRE_SALE = (("shipping time", 0.25, _BOT_SHARE), ("coupon rules", 0.25, _BOT_SHARE),
             ("stock availability", 0.15, _BOT_SHARE), ("size and specs", 0.10, _BOT_SHARE),
             ("product suitability", 0.15, 0.1), ("product comparison", 0.10, 0.1))
_ROUTINE_PRE_SALE = ("shipping time", "coupon rules", "stock availability", "size and specs")
_IN_SALE = (("logistics tracking", 0.5, 0.7), ("change address", 0.25, 0.0),
            ("delivery delay", 0.25, 0.0))
_AFTER_SALE_RETURN = (("return and refund", 0.65, 0.0), ("size exchange", 0.15, 0.0),
                      ("quality issue", 0.10, 0.0), ("complaint", 0.10, 0.0))
_AFTER_SALE_OTHER = (("quality issue", 0.35, 0.0), ("complaint", 0.25, 0.0),
                     ("invoice", 0.20, 0.5), ("how to use", 0.20, 0.4))
_HUMAN_MEDIAN_S = {"normal": 40.0, "peak": 270.0}


def _pick_topics(rng, n: int, table) -> tuple[np.ndarray, np.ndarray]:
    names = np.array([t[0] for t in table], dtype=object)
    p = np.array([t[1] for t in table])
    bot = np.array([t[2] for t in table])
    idx = rng.choice(len(table), size=n, p=p / p.sum())
    return names[idx], rng.random(n) < bot[idx]


def _peak_days(campaigns: pd.DataFrame, start, end) -> pd.DatetimeIndex:
    days = []
    for s, e in zip(pd.to_datetime(campaigns["peak_start"]), pd.to_datetime(campaigns["peak_end"]),
                    strict=True):
        if pd.notna(s) and pd.notna(e):
            days += list(pd.date_range(s.normalize(), e.normalize(), freq="D"))
    idx = pd.DatetimeIndex(sorted(set(days)), dtype="datetime64[ns]")
    return idx[(idx >= start) & (idx <= end)]


def make_service_tickets(rng: np.random.Generator, *, customers: pd.DataFrame,
                         orders: pd.DataFrame, campaigns: pd.DataFrame, start,
                         end) -> tuple[pd.DataFrame, dict]:
    """Customer-service contacts before, during and after the sale.

    Parameters
    ----------
    rng : numpy.random.Generator
        Source of all randomness.
    customers : DataFrame
        Needs ``customer_id``; ``signup_ts`` (when present) keeps each contact after sign-up.
    orders : DataFrame
        Needs ``order_id, customer_id, order_ts``; ``status`` (refunded orders raise
        after-sales tickets) and ``delivered_ts`` are used when present.
    campaigns : DataFrame
        Needs ``peak_start, peak_end``: the peak days of big campaigns.
    start, end : str or Timestamp
        First and last day of the period; contacts fall inside it.

    Returns
    -------
    service_tickets : DataFrame
        Columns as ``TABLES["service_tickets"]``, sorted by ``created_ts``.
    truth_part : dict
        ``service_peak_breach`` and ``service_bot_share``.

    Notes
    -----
    About 15% of orders have a pre-sale chat shortly before them, non-buyers chat too (a quarter
    as many contacts as orders), 6% of paid orders get an in-sale question and after-sales
    tickets come from 85% of refunded and 5% of other paid orders. The bot takes ~80% of routine
    pre-sale questions and answers in seconds. Humans answer in ~40 s (median) on normal days
    but ~4.5 min on campaign peak days, against the 60 s target of :data:`SERVICE_TARGETS`.
    Tickets still open at the end of the period have no ``resolved_ts``; about half the
    contacts are rated (1-5), lower when the answer or the resolution was late.
    """
    func = "make_service_tickets"
    require_columns(customers, ["customer_id"], table="customers", func=func)
    require_columns(orders, ["order_id", "customer_id", "order_ts"], table="orders", func=func)
    require_columns(campaigns, ["peak_start", "peak_end"], table="campaigns", func=func)
    start, end = _period(start, end, func)
    stop = end + _DAY

    o = orders.assign(order_ts=pd.to_datetime(orders["order_ts"]).astype("datetime64[ns]"))
    o = o[(o["order_ts"] >= start) & (o["order_ts"] < stop)].reset_index(drop=True)
    status = (o["status"].astype("str") if "status" in o.columns
              else pd.Series("paid", index=o.index))
    parts = []

    cust = customers[["customer_id"]].astype("str")
    if "signup_ts" in customers.columns:
        cust["signup_ts"] = pd.to_datetime(customers["signup_ts"]).astype("datetime64[ns]")
    else:
        cust["signup_ts"] = pd.Timestamp("1900-01-01")
    cust = cust.sort_values("signup_ts", kind="stable").reset_index(drop=True)

    # Pre-sale chats of buyers, shortly before the order (never before they signed up).
    m = rng.random(len(o)) < 0.15
    b = o[m]
    topic, bot = _pick_topics(rng, len(b), _PRE_SALE)
    before = b["order_ts"] - pd.to_timedelta(rng.uniform(2, 120, len(b)), unit="min")
    signup = b["customer_id"].astype("str").map(
        cust.drop_duplicates("customer_id").set_index("customer_id")["signup_ts"])
    before = before.where(~((before < signup) & (signup <= b["order_ts"])), signup)
    parts.append(pd.DataFrame({
        "customer_id": b["customer_id"].astype("str").to_numpy(), "order_id": None,
        "stage": "pre_sale", "topic": topic, "bot": bot, "created_ts": before.to_numpy()}))

    # Pre-sale chats of people who did not buy then: days weighted like orders.
    days = pd.date_range(start, end, freq="D")
    per_day = o["order_ts"].dt.normalize().value_counts().reindex(days, fill_value=0).to_numpy()
    w = per_day + max(per_day.mean(), 1.0) * 0.2
    n_browse = int(round(0.25 * len(o)))
    day = days.to_numpy()[rng.choice(len(days), size=n_browse, p=w / w.sum())]
    created = pd.DatetimeIndex(pd.to_datetime(day)) + pd.to_timedelta(
        rng.uniform(8 * 3600, 24 * 3600, n_browse), unit="s")
    eligible = np.searchsorted(cust["signup_ts"].to_numpy(), created.to_numpy(), side="right")
    ok = eligible > 0
    pick = np.floor(rng.random(n_browse) * eligible).astype(int)[ok]
    topic, bot = _pick_topics(rng, int(ok.sum()), _PRE_SALE)
    parts.append(pd.DataFrame({
        "customer_id": cust["customer_id"].astype("str").to_numpy()[pick], "order_id": None,
        "stage": "pre_sale", "topic": topic, "bot": bot, "created_ts": created.to_numpy()[ok]}))

    # In-sale questions on paid orders, within two days of the order.
    sold = o[status.isin(["paid", "refunded"]).to_numpy()]
    b = sold[rng.random(len(sold)) < 0.06]
    topic, bot = _pick_topics(rng, len(b), _IN_SALE)
    parts.append(pd.DataFrame({
        "customer_id": b["customer_id"].astype("str").to_numpy(),
        "order_id": b["order_id"].astype("str").to_numpy(), "stage": "in_sale", "topic": topic,
        "bot": bot,
        "created_ts": (b["order_ts"] + _hours(rng.uniform(1, 48, len(b)))).to_numpy()}))

    # After-sales tickets: most refunded orders, a few others, after delivery.
    refunded = (status == "refunded").to_numpy()[status.isin(SHIPPED_STATUSES).to_numpy()]
    m = rng.random(len(sold)) < np.where(refunded, 0.85, 0.05)
    b, ref = sold[m], refunded[m]
    base = b["order_ts"] + pd.Timedelta(days=4)
    if "delivered_ts" in b.columns:
        delivered = pd.to_datetime(b["delivered_ts"]).astype("datetime64[ns]")
        base = delivered.where(delivered.notna(), base)
    t_ret, bot_ret = _pick_topics(rng, len(b), _AFTER_SALE_RETURN)
    t_oth, bot_oth = _pick_topics(rng, len(b), _AFTER_SALE_OTHER)
    parts.append(pd.DataFrame({
        "customer_id": b["customer_id"].astype("str").to_numpy(),
        "order_id": b["order_id"].astype("str").to_numpy(), "stage": "after_sale",
        "topic": np.where(ref, t_ret, t_oth), "bot": np.where(ref, bot_ret, bot_oth),
        "created_ts": (base + _hours(rng.uniform(12, 7 * 24, len(b)))).to_numpy()}))

    t = pd.concat(parts, ignore_index=True)
    t["created_ts"] = pd.to_datetime(t["created_ts"]).astype("datetime64[ns]").dt.round("s")
    t = t[(t["created_ts"] >= start) & (t["created_ts"] < stop)]
    t = t.sort_values(["created_ts", "customer_id"], kind="stable").reset_index(drop=True)
    n = len(t)

    peaks = _peak_days(campaigns, start, end)
    on_peak = t["created_ts"].dt.normalize().isin(peaks).to_numpy()
    bot = t["bot"].to_numpy(dtype=bool)
    human_med = np.where(on_peak, _HUMAN_MEDIAN_S["peak"], _HUMAN_MEDIAN_S["normal"])
    first = np.where(bot, rng.lognormal(np.log(2.5), 0.4, n),
                     human_med * rng.lognormal(0, np.where(on_peak, 0.5, 0.55), n))
    first = np.round(first, 1)

    stage = t["stage"].to_numpy()
    complaint = (t["topic"] == "complaint").to_numpy()
    # Hours from the first answer to resolution (after-sales slower on peak days).
    res_h = np.select(
        [bot, stage == "pre_sale", stage == "in_sale", complaint],
        [rng.uniform(20, 240, n) / 3600, 6 / 60 * rng.lognormal(0, 0.6, n),
         2.0 * rng.lognormal(0, 0.8, n),
         18.0 * np.where(on_peak, 1.4, 1.0) * rng.lognormal(0, 0.6, n)],
        default=8.0 * np.where(on_peak, 1.6, 1.0) * rng.lognormal(0, 0.8, n))
    resolved = (t["created_ts"] + pd.to_timedelta(first + res_h * 3600, unit="s")).dt.round("s")
    resolved = resolved.where(resolved < stop)  # still open at the end of the period
    total_h = (resolved - t["created_ts"]).dt.total_seconds().to_numpy() / 3600

    late_first = ~bot & (first > SERVICE_TARGETS["first_response_s"])
    late_res = ((stage == "after_sale") & ~complaint
                & (total_h > SERVICE_TARGETS["after_sale_resolution_h"])) | (
        complaint & (total_h > SERVICE_TARGETS["complaint_resolution_h"]))
    score = (4.6 - 1.2 * late_first - 1.0 * late_res - 0.6 * complaint
             + rng.normal(0, 0.6, n))
    score = np.clip(np.round(score), 1, 5)
    rated = (rng.random(n) < np.where(bot, 0.35, 0.5)) & ~np.isnan(total_h)
    satisfaction = pd.array(np.where(rated, score, np.nan), dtype="Float64").astype("Int64")

    out = pd.DataFrame({
        "ticket_id": [f"T{i:07d}" for i in range(1, n + 1)],
        "customer_id": t["customer_id"], "order_id": t["order_id"], "stage": t["stage"],
        "topic": t["topic"], "handled_by": np.where(bot, "bot", "human"),
        "created_ts": t["created_ts"], "first_response_s": first, "resolved_ts": resolved,
        "satisfaction": satisfaction,
    })
    out = _conform(out, "service_tickets")

    human = out["handled_by"] == "human"
    target = SERVICE_TARGETS["first_response_s"]

    def _med(mask):
        x = out.loc[mask, "first_response_s"]
        return round(float(x.median()), 1) if len(x) else None

    def _breach(mask):
        x = out.loc[mask, "first_response_s"]
        return round(float((x > target).mean()), 4) if len(x) else None

    sat = out["satisfaction"].astype("Float64")
    peak_s, late_s = pd.Series(on_peak), pd.Series(late_first)
    routine = (out["stage"] == "pre_sale") & out["topic"].isin(_ROUTINE_PRE_SALE)
    truth_part = {
        "service_peak_breach": {
            "first_response_target_s": target,
            "after_sale_resolution_target_h": SERVICE_TARGETS["after_sale_resolution_h"],
            "complaint_resolution_target_h": SERVICE_TARGETS["complaint_resolution_h"],
            "peak_dates": [_iso(d) for d in peaks],
            "design_median_human_first_response_s": dict(_HUMAN_MEDIAN_S),
            "median_human_first_response_s": {"normal": _med(human & ~peak_s),
                                              "peak": _med(human & peak_s)},
            "breach_share": {"normal": _breach(human & ~peak_s), "peak": _breach(human & peak_s)},
            "mean_satisfaction": {
                "first_response_within_target": _mean_or_none(sat[human & ~late_s]),
                "first_response_breached": _mean_or_none(sat[late_s]),
            },
        },
        "service_bot_share": {
            "routine_topics": list(_ROUTINE_PRE_SALE),
            "design_share": _BOT_SHARE,
            "observed_share": (round(float((out.loc[routine, "handled_by"] == "bot").mean()), 4)
                               if routine.any() else None),
        },
    }
    return out, truth_part


def _mean_or_none(s: pd.Series):
    s = s.dropna()
    return round(float(s.mean()), 3) if len(s) else None


# --------------------------------------------------------------------------------------------
# Content posts
# --------------------------------------------------------------------------------------------

_PLATFORMS = {  # platform: (share of posts, ((format, share), ...), views multiplier, cvr)
    "xiaohongshu": (0.30, (("article", 0.5), ("short_video", 0.3), ("ugc", 0.2)), 1.0, 0.08),
    "douyin": (0.25, (("short_video", 0.75), ("live", 0.25)), 1.5, 0.05),
    "wechat": (0.20, (("article", 0.85), ("short_video", 0.15)), 0.6, 0.06),
    "weibo": (0.10, (("article", 0.4), ("short_video", 0.3), ("ugc", 0.3)), 0.8, 0.04),
    "taobao_live": (0.15, (("live", 1.0),), 1.0, 0.10),
}
_FORMAT_VIEWS = {"article": 12_000, "short_video": 40_000, "live": 20_000, "ugc": 6_000}
_FORMAT_CLICK = {"article": 0.015, "short_video": 0.010, "live": 0.04, "ugc": 0.012}
_FORMAT_COST = {"article": (300, 2500), "short_video": (1500, 9000), "live": (3000, 20000),
                "ugc": (0, 300)}
_FORMAT_TOPICS = {
    "article": ("product review", "seasonal picks", "factory tour"),
    "short_video": ("how-to", "unboxing", "seasonal picks", "factory tour"),
    "live": ("live flash sale",),
    "ugc": ("buyer show",),
}
_TITLES = {
    "product review": "Honest review: {p}",
    "seasonal picks": "{s} must-haves: the {p}",
    "factory tour": "Inside the factory: how the {p} is made",
    "how-to": "3-minute guide to the {p}",
    "unboxing": "Unboxing the {p}",
    "live flash sale": "Live tonight: flash deals on the {p}",
    "buyer show": "Buyer show: the {p} at home",
    "festival": "{f} gift guide: the {p}",
}
_BODIES = {
    "product review": "We used the {p} for two weeks. Here is what we liked and what could be "
                      "better.",
    "seasonal picks": "{s} is here. Three reasons the {p} earns a spot on your list.",
    "factory tour": "A look at each production step behind the {p}, from materials to packing.",
    "how-to": "How to get more out of the {p} in three minutes, step by step.",
    "unboxing": "What comes in the box with the {p}, and our first impressions.",
    "live flash sale": "Join the store live stream at 8 pm for flash deals on the {p}.",
    "buyer show": "Real buyers share photos of the {p} in daily use.",
    "festival": "{f} is coming. Our gift ideas for family and friends start with the {p}.",
}
_DETAILS = ("It is light enough to carry every day.", "Buyers mention the finish and the feel.",
            "It fits small homes and busy mornings.", "Care tips are included at the end.",
            "We compare it with the previous version.")
_CTAS = ("Tap the link below for 20 yuan off today.",
         "Limited-time special price: claim the coupon at checkout.",
         "Shop now through the link in our profile.",
         "Add it to your cart before the offer ends.")
_BANNED_SENTENCES = {
    "lowest price on the whole web": "You get the lowest price on the whole web this week.",
    "No. 1": "Ranked No. 1 by buyers this season.",
    "the best": "Simply the best {p} money can buy.",
    "100% effective": "100% effective from the very first use.",
    "top-rated in the world": "Our formula is top-rated in the world.",
    "全网最低": "Price check: 全网最低 this week.",
    "第一": "Sales rank: 销量第一 on the platform.",
    "最佳": "The 最佳 choice for gifts.",
    "国家级": "Made to 国家级 quality standards.",
}


def _season_name(month: int) -> str:
    return {12: "Winter", 1: "Winter", 2: "Spring", 3: "Spring", 4: "Spring", 5: "Spring",
            6: "Summer", 7: "Summer", 8: "Summer"}.get(month, "Autumn")


def make_content_posts(rng: np.random.Generator, *, products: pd.DataFrame,
                       campaigns: pd.DataFrame, start, end) -> tuple[pd.DataFrame, dict]:
    """Content posts on social and live platforms, with the viral and banned-claims stories.

    Parameters
    ----------
    rng : numpy.random.Generator
        Source of all randomness.
    products : DataFrame
        Needs ``sku``; ``name`` (else ``category``) names the featured product and
        ``list_price`` sets the value of attributed orders.
    campaigns : DataFrame
        Needs ``name, warmup_start, peak_end``: posts in a campaign's run-up ride on it.
    start, end : str or Timestamp
        First and last day of the period.

    Returns
    -------
    content_posts : DataFrame
        Columns as ``TABLES["content_posts"]``, one row per post, sorted by date.
    truth_part : dict
        ``viral_post_no_orders`` and ``banned_claims``.

    Notes
    -----
    About ten posts a month (150-300 in all) on xiaohongshu, douyin, wechat, weibo and
    taobao_live. Funnel: views >= likes, comments, shares; views >= link_clicks >= orders. Most
    posts end with a call to action. One product review goes viral (several times the views of
    any other post) but has no call to action and almost no orders. A few posts contain banned
    absolute claims from :data:`BANNED_CLAIMS` (each phrase is used at least once); no other
    title or text contains any of them.
    """
    func = "make_content_posts"
    require_columns(products, ["sku"], table="products", func=func)
    require_columns(campaigns, ["name", "warmup_start", "peak_end"], table="campaigns", func=func)
    if len(products) == 0:
        raise DataValidationError(f"{func}: table 'products' has no rows; need at least one SKU.")
    start, end = _period(start, end, func)
    n_days = (end - start).days + 1
    n = int(np.clip(round(10 * n_days / 30.4), 150, 300))

    # Dates: a third ride on campaigns (from 10 days before warm-up to the end of the peak).
    dates = start + pd.to_timedelta(rng.integers(0, n_days, n), unit="D")
    camp = campaigns.assign(w=pd.to_datetime(campaigns["warmup_start"]) - 10 * _DAY,
                            p=pd.to_datetime(campaigns["peak_end"]))
    camp = camp[(camp["p"] >= start) & (camp["w"] <= end)].reset_index(drop=True)
    names = [c if not _contains_banned(c) else "The festival" for c in camp["name"].astype("str")]
    festival = np.full(n, None, dtype=object)
    if len(camp):
        near = rng.random(n) < 0.33
        ci = rng.integers(0, len(camp), n)
        lo = np.maximum(camp["w"].to_numpy()[ci], np.datetime64(start))
        hi = np.minimum(camp["p"].to_numpy()[ci], np.datetime64(end))
        span = ((hi - lo) / np.timedelta64(1, "D")).astype(int) + 1
        cdates = pd.DatetimeIndex(lo + (rng.random(n) * span).astype(int) * np.timedelta64(1, "D"))
        dates = pd.DatetimeIndex(np.where(near, cdates, dates))
        festival[near] = np.array(names, dtype=object)[ci[near]]

    # Platform, format, topic, product.
    plats = list(_PLATFORMS)
    share = np.array([_PLATFORMS[p][0] for p in plats])
    platform = np.array(plats, dtype=object)[rng.choice(len(plats), size=n, p=share)]
    fmt = np.empty(n, dtype=object)
    for p in plats:
        m = platform == p
        fs = _PLATFORMS[p][1]
        fp = np.array([f[1] for f in fs])
        fmt[m] = np.array([f[0] for f in fs], dtype=object)[rng.choice(len(fs), m.sum(), p=fp)]
    topic = np.array([_FORMAT_TOPICS[f][rng.integers(len(_FORMAT_TOPICS[f]))] for f in fmt],
                     dtype=object)
    pidx = rng.integers(0, len(products), n)
    label = (products["name"] if "name" in products.columns else products["category"]
             if "category" in products.columns else products["sku"]).astype("str").tolist()
    fallback = (products["category"].astype("str").tolist() if "category" in products.columns
                else ["product"] * len(products))
    label = [lab if not _contains_banned(lab) else (fb if not _contains_banned(fb) else "product")
             for lab, fb in zip(label, fallback, strict=True)]
    price = (pd.to_numeric(products["list_price"], errors="coerce").fillna(150.0).to_numpy()
             if "list_price" in products.columns else np.full(len(products), 150.0))

    # The viral post and the posts with banned claims.
    order = np.argsort(dates.to_numpy(), kind="stable")
    viral = int(rng.integers(n))
    rest = np.setdiff1d(np.arange(n), [viral])
    n_banned = max(len(BANNED_CLAIMS), int(round(0.05 * n)))
    banned_idx = rng.choice(rest, size=n_banned, replace=False)
    phrases: dict[int, list[str]] = {}
    cycle = list(rng.permutation(len(BANNED_CLAIMS)))
    for j, i in enumerate(banned_idx):
        k = cycle[j] if j < len(cycle) else rng.integers(len(BANNED_CLAIMS))
        first = BANNED_CLAIMS[k]
        picked = [first]
        if rng.random() < 0.3:
            second = BANNED_CLAIMS[rng.integers(len(BANNED_CLAIMS))]
            if second != first:
                picked.append(second)
        phrases[int(i)] = picked
    platform[viral], fmt[viral], topic[viral], festival[viral] = (
        "xiaohongshu", "article", "product review", None)
    has_cta = rng.random(n) < 0.85
    has_cta[viral] = False

    titles, texts, topics = [], [], []
    for i in range(n):
        p = label[pidx[i]]
        s = _season_name(dates[i].month)
        key = "festival" if festival[i] is not None else topic[i]
        f = festival[i] or ""
        titles.append(_TITLES[key].format(p=p, s=s, f=f))
        parts = [_BODIES[key].format(p=p, s=s, f=f), _DETAILS[rng.integers(len(_DETAILS))]]
        parts += [_BANNED_SENTENCES[ph].format(p=p) for ph in phrases.get(i, [])]
        if has_cta[i]:
            parts.append(_CTAS[rng.integers(len(_CTAS))])
        texts.append(" ".join(parts))
        topics.append(f if festival[i] is not None else topic[i])

    # Funnel.
    vmult = np.array([_PLATFORMS[p][2] for p in platform])
    views = np.maximum(np.array([_FORMAT_VIEWS[f] for f in fmt]) * vmult
                       * rng.lognormal(0, 0.6, n), 2000).round().astype(np.int64)
    others = np.delete(views, viral)
    views[viral] = int(max(others.max() * rng.uniform(4, 6), rng.uniform(1.2e6, 1.8e6)))
    like_rate = rng.uniform(0.02, 0.08, n)
    likes = rng.binomial(views, like_rate)
    comments = rng.binomial(likes, rng.uniform(0.05, 0.2, n))
    shares = rng.binomial(likes, rng.uniform(0.05, 0.3, n))
    click = np.array([_FORMAT_CLICK[f] for f in fmt]) * np.where(has_cta, 1.0, 0.5)
    click = click * rng.lognormal(0, 0.3, n)
    click[viral] = 0.0001
    link_clicks = rng.binomial(views, np.clip(click, 0, 0.5))
    cvr = np.array([_PLATFORMS[p][3] for p in platform]) * rng.lognormal(0, 0.2, n)
    cvr[viral] = 0.02
    n_orders = rng.binomial(link_clicks, np.clip(cvr, 0, 0.5))
    gmv = np.round(_gamma_sum(rng, n_orders, price[pidx] * 1.1), 2)
    lo_c = np.array([_FORMAT_COST[f][0] for f in fmt])
    hi_c = np.array([_FORMAT_COST[f][1] for f in fmt])
    cost = np.round(rng.uniform(lo_c, hi_c), 2)

    out = pd.DataFrame({
        "platform": platform, "format": fmt, "topic": topics, "title": titles, "text": texts,
        "publish_date": dates, "views": views, "likes": likes, "comments": comments,
        "shares": shares, "link_clicks": link_clicks, "orders": n_orders, "gmv": gmv,
        "cost": cost,
    }).iloc[order].reset_index(drop=True)
    new_id = {int(old): f"P{k + 1:04d}" for k, old in enumerate(order)}
    out.insert(0, "post_id", [new_id[int(i)] for i in order])
    out = _conform(out, "content_posts")

    v = out.loc[out["post_id"] == new_id[viral]].iloc[0]
    other = out[out["post_id"] != new_id[viral]]
    per10k = other["orders"] / other["views"] * 1e4
    planted = {new_id[i]: ph for i, ph in sorted(phrases.items(), key=lambda kv: new_id[kv[0]])}
    truth_part = {
        "viral_post_no_orders": {
            "post_id": new_id[viral],
            "views": int(v["views"]),
            "link_clicks": int(v["link_clicks"]),
            "orders": int(v["orders"]),
            "has_call_to_action": False,
            "orders_per_10k_views": round(float(v["orders"] / v["views"] * 1e4), 4),
            "median_orders_per_10k_views_other_posts": round(float(per10k.median()), 4),
        },
        "banned_claims": {
            "phrases": list(BANNED_CLAIMS),
            "post_ids": list(planted),
            "planted": planted,
            "match": "case-insensitive substring of the text column",
        },
    }
    return out, truth_part


# --------------------------------------------------------------------------------------------
# Experiments
# --------------------------------------------------------------------------------------------

_EXPERIMENTS = (
    # key, id, name, (offset of first day before end, days), variants, true rates, aov,
    # visitors per variant per day, acceptance test on (uplift, p)
    ("page_test_uplift", "EXP01",
     "Detail page: lead with selling points and buyer photos (B) vs spec list (A)",
     119, 28, ("A", "B"), (0.040, 0.046), (160.0, 160.0), 1500,
     lambda up, p: p < 0.01 and 0.12 <= up <= 0.18),
    ("page_test_null", "EXP02", "Detail page: new colour of the buy button (B) vs current (A)",
     84, 21, ("A", "B"), (0.038, 0.038), (155.0, 155.0), 1500,
     lambda up, p: p > 0.2 and abs(up) < 0.05),
    ("coupon_form_test", "EXP03",
     "Coupon form: spend 199 save 30 (threshold) vs 15% off (percent_off)",
     55, 21, ("threshold", "percent_off"), (0.048, 0.056), (236.0, 178.0), 2000,
     lambda up, p: p < 0.01 and 0.12 <= up <= 0.22),
)


def make_experiments(rng: np.random.Generator, *, start, end) -> tuple[pd.DataFrame, dict]:
    """Daily results of three A/B tests in the last four months of the period.

    Parameters
    ----------
    rng : numpy.random.Generator
        Source of all randomness.
    start, end : str or Timestamp
        First and last day of the period; it must span at least 120 days.

    Returns
    -------
    experiments : DataFrame
        One row per experiment x day x variant, columns as ``TABLES["experiments"]``.
    truth_part : dict
        ``page_test_uplift``, ``page_test_null`` and ``coupon_form_test``, each with the
        experiment id, dates, variants (control first), true conversion rates, the true relative
        uplift of the second variant over the first, order values, and what was observed.

    Notes
    -----
    Visitors are split 50/50 each day (weekends busier); conversions are binomial and revenue
    is the sum of each converter's order value. EXP01 (28 days, ~42k visitors per variant) has a
    real 15% uplift (4.0% -> 4.6%); EXP02 (21 days) has none; EXP03 compares a 满减 threshold
    coupon (4.8% conversion, AOV 236) with 15% off (5.6%, AOV 178), so percent-off converts
    more but threshold earns more per visitor. Draws are repeated (from the same ``rng``) until
    the observed result tells the planted story: p < 0.01 with the uplift within 12-18% for
    EXP01, p > 0.2 and |uplift| < 5% for EXP02, p < 0.01 and 12-22% for EXP03.
    """
    func = "make_experiments"
    start, end = _period(start, end, func)
    if (end - start).days + 1 < 120:
        raise ValueError(f"{func}: the period {start.date()}..{end.date()} is shorter than the "
                         "120 days the three experiments need; pass a longer period.")
    frames, truth_part = [], {}
    for key, exp_id, name, offset, days, variants, rates, aovs, per_day, accept in _EXPERIMENTS:
        first = end - offset * _DAY
        dates = pd.date_range(first, first + (days - 1) * _DAY, freq="D")
        dow = np.where(dates.day_of_week >= 5, 1.15, 1.0)
        for _ in range(100):
            total = rng.poisson(2 * per_day * dow)
            vis_a = rng.binomial(total, 0.5)
            vis = np.stack([vis_a, total - vis_a])
            conv = rng.binomial(vis, np.array(rates)[:, None])
            ca, cb = conv.sum(axis=1)
            na, nb = vis.sum(axis=1)
            up = (cb / nb) / (ca / na) - 1
            p = _two_prop_p(ca, na, cb, nb)
            if accept(up, p):
                break
        revenue = np.round(_gamma_sum(rng, conv, np.array(aovs)[:, None], k=3.0), 2)
        for j, var in enumerate(variants):
            frames.append(pd.DataFrame({
                "experiment_id": exp_id, "name": name, "date": dates, "variant": var,
                "visitors": vis[j], "conversions": conv[j], "revenue": revenue[j]}))
        truth_part[key] = {
            "experiment_id": exp_id,
            "name": name,
            "start": _iso(dates[0]),
            "end": _iso(dates[-1]),
            "variants": list(variants),
            "control": variants[0],
            "metric": "conversions / visitors",
            "true_rates": dict(zip(variants, rates, strict=True)),
            "true_relative_uplift": round(rates[1] / rates[0] - 1, 4),
            "aov": dict(zip(variants, aovs, strict=True)),
            "observed_rates": {variants[0]: round(float(ca / na), 5),
                               variants[1]: round(float(cb / nb), 5)},
            "observed_relative_uplift": round(float(up), 4),
            "p_value": float(f"{p:.4g}"),
        }
    out = pd.concat(frames, ignore_index=True)
    out = out.sort_values(["experiment_id", "date", "variant"], kind="stable")
    return _conform(out, "experiments"), truth_part


# --------------------------------------------------------------------------------------------
# Staff, KPIs, 360 reviews
# --------------------------------------------------------------------------------------------

_STAFF_NAMES = ("Zhang Wei", "Wang Fang", "Li Na", "Liu Yang", "Chen Jing", "Yang Lei",
                "Zhao Min", "Huang Xin", "Zhou Tao", "Wu Hui", "Xu Lin", "Sun Qiang")
_TEAMS = ("user_ops", "product_ops", "campaign_ops", "channel_content")
_LEVEL_TARGETS = {  # quarterly gmv and new-customer targets by level
    "junior": (600_000.0, 1500.0), "mid": (1_200_000.0, 3000.0), "senior": (2_000_000.0, 4500.0)}


def quarterly_scores(staff_kpis: pd.DataFrame, staff_reviews: pd.DataFrame, *,
                     weights: Mapping[str, float] | None = None,
                     rater_weights: Mapping[str, float] | None = None,
                     kpi_share: float = KPI_SHARE, cap: float = SCORE_CAP) -> pd.DataFrame:
    """Quarterly appraisal score (0-100) of each operator from KPIs and 360 reviews.

    Parameters
    ----------
    staff_kpis : DataFrame
        ``employee_id, quarter, metric, target, actual`` (one row per metric).
    staff_reviews : DataFrame
        ``employee_id, quarter, rater_group, score`` (score 1-5).
    weights : mapping, optional
        Metric -> weight; defaults to :data:`KPI_WEIGHTS`. Every metric in ``staff_kpis``
        must have one.
    rater_weights : mapping, optional
        Rater group -> weight; defaults to :data:`RATER_WEIGHTS` (manager 60%, cross-department
        20%, peers 20%).
    kpi_share : float
        Weight of the KPI score in the total (default 0.7); the review score has the rest.
    cap : float
        Achievement that earns full marks on a metric (default 1.2, i.e. 20% over target).

    Returns
    -------
    DataFrame
        One row per employee and quarter, sorted by both, with columns ``employee_id``,
        ``quarter``, ``kpi_score`` (0-100), ``review_score`` (0-100) and ``total_score``
        (0-100), rounded to 2 decimals. A score is missing when its input rows are.

    Notes
    -----
    metric score = 100 * min(actual / target, cap) / cap (at target: 83.3; 20% over: 100);
    kpi_score = weighted mean of the metric scores (weights renormalised over the metrics
    present); review_score = weighted mean over rater groups of score / 5 * 100;
    total_score = kpi_share * kpi_score + (1 - kpi_share) * review_score. Bonus bands of seed
    4.4.1: >= 90 gets 150%, 70-89 100%, below 70 none; three quarters running >= 90 qualifies
    for promotion, below 70 for an improvement plan (seed 4.4.2). All metrics are
    higher-is-better.

    Examples
    --------
    >>> kpis = pd.DataFrame({"employee_id": ["E1", "E1"], "quarter": ["2026Q1", "2026Q1"],
    ...     "metric": ["gmv", "roi"], "target": [100.0, 5.0], "actual": [120.0, 4.0]})
    >>> reviews = pd.DataFrame({"employee_id": ["E1"] * 3, "quarter": ["2026Q1"] * 3,
    ...     "rater_group": ["manager", "cross_dept", "peer"], "score": [4.0, 3.0, 5.0]})
    >>> quarterly_scores(kpis, reviews)
      employee_id quarter  kpi_score  review_score  total_score
    0          E1  2026Q1      86.67          80.0        84.67
    """
    func = "quarterly_scores"
    require_columns(staff_kpis, ["employee_id", "quarter", "metric", "target", "actual"],
                    table="staff_kpis", func=func)
    require_columns(staff_reviews, ["employee_id", "quarter", "rater_group", "score"],
                    table="staff_reviews", func=func)
    weights = dict(KPI_WEIGHTS if weights is None else weights)
    rater_weights = dict(RATER_WEIGHTS if rater_weights is None else rater_weights)
    if not 0.0 <= kpi_share <= 1.0:
        raise ValueError(f"{func}: kpi_share={kpi_share!r} must be between 0 and 1.")
    if not cap > 0:
        raise ValueError(f"{func}: cap={cap!r} must be positive.")

    k = staff_kpis[["employee_id", "quarter", "metric", "target", "actual"]].copy()
    unknown = sorted(set(k["metric"].astype("str")) - set(weights))
    if unknown:
        raise DataValidationError(
            f"{func}: table 'staff_kpis' has metric(s) without a weight: "
            f"{format_examples(unknown)}. Pass weights={{metric: weight, ...}} covering them "
            f"(the default covers {', '.join(weights)}).")
    target = pd.to_numeric(k["target"], errors="coerce")
    bad = k[~(target > 0)]
    if len(bad):
        raise DataValidationError(
            f"{func}: table 'staff_kpis' column 'target' must be positive; offending rows: "
            f"{format_examples(bad.index.tolist())}. Fix or drop those targets.")
    unknown_g = sorted(set(staff_reviews["rater_group"].astype("str")) - set(rater_weights))
    if unknown_g:
        raise DataValidationError(
            f"{func}: table 'staff_reviews' has rater_group(s) without a weight: "
            f"{format_examples(unknown_g)}. Use {', '.join(rater_weights)} or pass rater_weights.")

    ratio = (pd.to_numeric(k["actual"], errors="coerce") / target).clip(lower=0.0, upper=cap)
    k["w"] = k["metric"].astype("str").map(weights).astype("float64")
    k["ws"] = k["w"] * ratio / cap * 100.0
    kg = k.groupby(["employee_id", "quarter"])[["ws", "w"]].sum()
    kpi = (kg["ws"] / kg["w"]).rename("kpi_score")

    r = staff_reviews[["employee_id", "quarter", "rater_group", "score"]].copy()
    r["w"] = r["rater_group"].astype("str").map(rater_weights).astype("float64")
    r["ws"] = r["w"] * pd.to_numeric(r["score"], errors="coerce") / 5.0 * 100.0
    rg = r.groupby(["employee_id", "quarter"])[["ws", "w"]].sum()
    review = (rg["ws"] / rg["w"]).rename("review_score")

    out = pd.concat([kpi, review], axis=1).sort_index()
    out["total_score"] = kpi_share * out["kpi_score"] + (1 - kpi_share) * out["review_score"]
    out = out.round(2).reset_index()
    out["employee_id"] = out["employee_id"].astype("str")
    out["quarter"] = out["quarter"].astype("str")
    return out[["employee_id", "quarter", "kpi_score", "review_score", "total_score"]]


def make_staff(rng: np.random.Generator, *, start, end
               ) -> tuple[tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame], dict]:
    """Twelve operators with eight quarters of KPIs and 360-degree reviews.

    Parameters
    ----------
    rng : numpy.random.Generator
        Source of all randomness.
    start, end : str or Timestamp
        The shop's period; the eight quarters end with the quarter containing ``end``
        (``start`` is only checked to be before ``end``).

    Returns
    -------
    (staff, staff_kpis, staff_reviews) : tuple of DataFrame
        Columns as the schema's tables of the same names.
    truth_part : dict
        ``staff_roi_collaboration``, ``staff_promotion`` and ``staff_pip``.

    Notes
    -----
    Four seniors, five mids and three juniors in four teams; juniors joined inside the window
    and are appraised from their first full quarter. Metrics and weights are those of
    :data:`KPI_WEIGHTS`; ROI has a target of 5 (the industry average of seed 3.6.1). Scored by
    :func:`quarterly_scores`, everyone lands between 70 and 90 except: one mid scores >= 90 in
    each of the last three quarters (promotion), one junior scores below 70 in the last quarter
    (improvement plan), and one senior reaches ROI 8 in the last quarter while the
    cross-department raters give 3 of 5 (strong results, weak collaboration; seed 3.6.1).
    """
    func = "make_staff"
    start, end = _period(start, end, func)
    quarters = pd.period_range(end=pd.Period(end, freq="Q"), periods=8, freq="Q")
    qlabels = [str(q) for q in quarters]
    n_q = len(quarters)
    window_start = quarters[0].start_time

    levels = np.array(["senior"] * 4 + ["mid"] * 5 + ["junior"] * 3, dtype=object)
    n = len(levels)
    ids = [f"E{i:03d}" for i in range(1, n + 1)]
    names = np.array(_STAFF_NAMES, dtype=object)[rng.permutation(n)]
    teams = np.array(_TEAMS, dtype=object)[np.arange(n) % len(_TEAMS)][rng.permutation(n)]
    # Years before the first quarter: seniors end the window with 3.5-6 years, mids with 2-3.
    years = np.where(levels == "senior", rng.uniform(1.5, 4, n),
                     np.where(levels == "mid", rng.uniform(0.1, 1.0, n), 0.0))
    hire = [window_start - pd.Timedelta(days=int(y * 365)) - pd.Timedelta(days=int(d))
            for y, d in zip(years, rng.integers(1, 60, n), strict=True)]
    first_q = np.zeros(n, dtype=int)
    for i in np.flatnonzero(levels == "junior"):  # joined 2-5 quarters before the last one
        hq = int(rng.integers(n_q - 6, n_q - 2))
        hire[i] = quarters[hq].start_time + pd.Timedelta(days=int(rng.integers(0, 80)))
        first_q[i] = hq + 1
    promo = int(rng.choice(np.flatnonzero(levels == "mid")))
    roi_op = int(rng.choice(np.flatnonzero(levels == "senior")))
    pip = int(rng.choice(np.flatnonzero(levels == "junior")))
    first_q[pip] = min(first_q[pip], n_q - 3)
    hire[pip] = min(hire[pip], quarters[first_q[pip] - 1].start_time + pd.Timedelta(days=10))

    staff = _conform(pd.DataFrame({"employee_id": ids, "name": names, "level": levels,
                                   "team": teams, "hire_date": hire}), "staff")

    rep_target = rng.choice([0.15, 0.18, 0.20, 0.25], n)  # category baselines (beauty 15%)
    conv_target = rng.choice([0.03, 0.035, 0.04], n)
    perf = rng.uniform(0.93, 1.03, n)  # each operator's usual achievement
    mood = rng.uniform(3.6, 4.2, n)  # and usual 360 rating
    metrics = list(KPI_WEIGHTS)
    krows, rrows = [], []
    last = n_q - 1
    for i in range(n):
        gmv_base, new_base = _LEVEL_TARGETS[levels[i]]
        for q in range(first_q[i], n_q):
            growth = 1.04 ** q
            target = {"gmv": round(gmv_base * growth * rng.uniform(0.95, 1.05), -3),
                      "roi": 5.0,
                      "new_customers": round(new_base * growth * rng.uniform(0.95, 1.05), -1),
                      "repurchase_rate": float(rep_target[i]),
                      "conversion_rate": float(conv_target[i]),
                      "plan_on_time_rate": 0.8}
            if i == promo and q >= n_q - 3:
                ratio = np.clip(rng.normal(1.16, 0.03, len(metrics)), 1.12, 1.20)
            elif i == pip and q == last:
                ratio = np.clip(rng.normal(0.68, 0.04, len(metrics)), 0.60, 0.75)
            else:
                ratio = np.clip(rng.normal(perf[i], 0.05, len(metrics)), 0.88, 1.07)
            ratio = dict(zip(metrics, ratio, strict=True))
            if i == roi_op:
                ratio["roi"] = 1.6 if q == last else float(np.clip(rng.normal(1.6, 0.05), 1.5, 1.7))
            for m in metrics:
                actual = target[m] * ratio[m]
                actual = (round(actual, 2) if m in ("gmv", "roi") else
                          float(round(actual)) if m == "new_customers" else
                          round(min(actual, 1.0), 4))
                krows.append((ids[i], qlabels[q], m, float(target[m]), float(actual)))
            if i == promo and q >= n_q - 3:
                sc = np.clip(rng.normal(4.7, 0.12, 3), 4.5, 4.9)
            elif i == pip and q == last:
                sc = np.clip(rng.normal(3.2, 0.1, 3), 3.0, 3.4)
            elif i == roi_op:
                sc = np.array([np.clip(rng.normal(4.2, 0.1), 4.0, 4.4),
                               3.0 if q == last else np.clip(rng.normal(3.0, 0.15), 2.7, 3.3),
                               np.clip(rng.normal(3.6, 0.1), 3.4, 3.8)])
            else:
                sc = np.clip(rng.normal(mood[i], 0.25, 3), 3.4, 4.5)
            for g, s in zip(("manager", "cross_dept", "peer"), sc, strict=True):
                rrows.append((ids[i], qlabels[q], g, round(float(s), 1)))

    kpis = _conform(pd.DataFrame(krows, columns=["employee_id", "quarter", "metric", "target",
                                                 "actual"]), "staff_kpis")
    reviews = _conform(pd.DataFrame(rrows, columns=["employee_id", "quarter", "rater_group",
                                                    "score"]), "staff_reviews")
    scores = quarterly_scores(kpis, reviews).set_index(["employee_id", "quarter"])["total_score"]
    rule = ("playbook_lib.data.gen_side.quarterly_scores: 0.7 x KPI score + 0.3 x 360 score, "
            "metric score = 100 x min(actual/target, 1.2) / 1.2")
    truth_part = {
        "staff_roi_collaboration": {
            "employee_id": ids[roi_op],
            "quarter": qlabels[last],
            "roi_actual": 8.0,
            "roi_target": 5.0,
            "rater_group": "cross_dept",
            "collaboration_score": 3.0,
            "total_score": float(scores[(ids[roi_op], qlabels[last])]),
        },
        "staff_promotion": {
            "employee_id": ids[promo],
            "quarters": qlabels[-3:],
            "total_scores": [float(scores[(ids[promo], q)]) for q in qlabels[-3:]],
            "rule": "total_score >= 90 in three consecutive quarters",
            "score": rule,
        },
        "staff_pip": {
            "employee_id": ids[pip],
            "quarter": qlabels[last],
            "total_score": float(scores[(ids[pip], qlabels[last])]),
            "rule": "total_score < 70 in the last quarter",
            "score": rule,
        },
    }
    return (staff, kpis, reviews), truth_part
