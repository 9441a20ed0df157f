"""The demo-shop generator: a whole shop from a seed, with the lessons' stories planted in it.

:func:`generate` builds every table of :data:`playbook_lib.data.schema.TABLES` for a synthetic
mid-size shop (six categories, eight channels, festival campaigns) and records what it planted
in ``Dataset.truth`` (and ``truth.json`` when it writes the shop to a folder).

How the shop is made, in order:

1. Products: a fixed catalogue of English product names per category, with prices, margins,
   suppliers, lead times and seasonal profiles.
2. Campaigns on real festival dates (Spring Festival from a lunar-calendar lookup, 618,
   Double 11, plus smaller events), each with warm-up, peak and return phases.
3. Customers sign up day by day (growth, weekends, festivals); each has an acquisition
   channel, a favourite category, a preferred device, a member tier and a purchase habit.
4. Every customer's checkouts follow a "buy, then maybe drop out" process (as in BG/NBD)
   run on a warped clock, so purchases bunch on weekends and campaign peaks.
5. Each checkout becomes paid, unpaid or cancelled; paid orders get items, returns (a paid
   order whose every unit came back is ``refunded``), shipping, coupons and discounts.
6. Traffic (daily and, on peak days, hourly), marketing spend and inventory are derived from
   the orders so that the tables reconcile with each other.

Conventions shared by the tables (tests check them):

- An order "paid at the time" has status ``paid`` or ``refunded``. ``traffic.orders`` and
  ``traffic_hourly.orders`` count those orders; ``traffic.checkouts`` counts every order.
- Inventory falls by the units of orders paid at the time, on the order's date; returned
  units are not restocked. The first inventory row of a SKU listed before ``start`` is its
  opening stock; later rows satisfy ``on_hand(d) = on_hand(d-1) + inbound_qty(d) - sold(d)``.
- Spend in ``marketing_spend`` covers every channel but ``referral``, whose cost is the
  rewards in ``referrals.reward_value``.

The truth keys and the exact definitions the story tests use are listed in :func:`generate`.
"""

from __future__ import annotations

import json
import secrets
import shutil
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from .._orders import SHIPPED_STATUSES, paid_mask, paid_orders, status_mask
from . import gen_side
from .dataset import Dataset
from .schema import DEVICES, MEMBER_TIERS, TABLES

__all__ = ["CATEGORIES", "CHANNELS", "LUNAR_NEW_YEAR", "generate", "lunar_new_year"]

DAY = 86_400  # seconds
_NO_TIME = np.iinfo(np.int64).min  # "no timestamp" in the seconds-since-start arrays

CHANNELS = ("search", "recommendation", "live_stream", "xiaohongshu", "douyin",
            "wechat_private", "sms", "referral")
CATEGORIES = ("beauty", "apparel", "appliances", "food", "home", "sports")
_CH = {c: i for i, c in enumerate(CHANNELS)}
_DEV = {d: i for i, d in enumerate(DEVICES)}
_CAT = {c: i for i, c in enumerate(CATEGORIES)}

# First day of the lunar new year (Spring Festival, 春节).
LUNAR_NEW_YEAR = {
    2015: "2015-02-19", 2016: "2016-02-08", 2017: "2017-01-28", 2018: "2018-02-16",
    2019: "2019-02-05", 2020: "2020-01-25", 2021: "2021-02-12", 2022: "2022-02-01",
    2023: "2023-01-22", 2024: "2024-02-10", 2025: "2025-01-29", 2026: "2026-02-17",
    2027: "2027-02-06", 2028: "2028-01-26", 2029: "2029-02-13", 2030: "2030-02-03",
    2031: "2031-01-23", 2032: "2032-02-11", 2033: "2033-01-31", 2034: "2034-02-19",
    2035: "2035-02-08", 2036: "2036-01-28", 2037: "2037-02-15", 2038: "2038-02-04",
    2039: "2039-01-24", 2040: "2040-02-12",
}


def lunar_new_year(year: int) -> pd.Timestamp:
    """Date of the Spring Festival (lunar new year's day) in ``year``, 2015-2040.

    Examples
    --------
    >>> lunar_new_year(2026)
    Timestamp('2026-02-17 00:00:00')
    """
    if year not in LUNAR_NEW_YEAR:
        raise ValueError(f"lunar_new_year: no Spring Festival date for {year}; "
                         f"the lookup covers {min(LUNAR_NEW_YEAR)}-{max(LUNAR_NEW_YEAR)}.")
    return pd.Timestamp(LUNAR_NEW_YEAR[year])


# --- the catalogue ----------------------------------------------------------------------------
# (name, list price in yuan, popularity weight, seasonal profile or None)
_CATALOGUE: dict[str, list[tuple[str, float, float, str | None]]] = {
    "beauty": [
        ("Hyaluronic Acid Serum", 139, 6.0, None), ("Gentle Foam Cleanser", 69, 2.0, None),
        ("Hydrating Toner", 89, 1.8, None), ("Moisturizing Face Cream", 159, 1.6, None),
        ("Sunscreen SPF50+", 99, 1.4, "summer"), ("Vitamin C Brightening Essence", 199, 1.2, None),
        ("Retinol Night Cream", 229, 0.8, None), ("Sheet Mask Set (10 pcs)", 79, 1.5, None),
        ("Micellar Cleansing Water", 59, 1.2, None), ("Lip Balm Trio", 49, 0.8, None),
        ("Matte Lipstick", 129, 1.1, None), ("Eye Cream", 179, 0.7, None),
        ("BB Cushion Foundation", 149, 0.9, None), ("Makeup Remover Pads", 39, 0.7, None),
        ("Body Lotion", 69, 0.8, "winter"), ("Hand Cream Gift Set", 89, 0.6, "winter"),
        ("Eyebrow Pencil", 45, 0.5, None), ("Clay Mask", 99, 0.6, None),
        ("Peptide Firming Serum", 259, 1.0, None),
    ],
    "apparel": [
        ("Cotton Crew T-Shirt", 79, 2.0, "summer"), ("Slim-Fit Jeans", 199, 1.6, None),
        ("Linen Shirt", 169, 1.0, "summer"), ("Down Jacket", 599, 1.2, "winter"),
        ("Wool Sweater", 299, 1.0, "winter"), ("Hooded Sweatshirt", 189, 1.3, None),
        ("Pleated Midi Skirt", 159, 0.9, None), ("Summer Dress", 219, 1.0, "summer"),
        ("Chino Trousers", 179, 1.0, None), ("Thermal Underwear Set", 129, 0.9, "winter"),
        ("Knit Cardigan", 239, 0.8, None), ("Windbreaker Jacket", 329, 0.7, None),
        ("Cotton Socks (5 pairs)", 39, 1.2, None), ("Silk Scarf", 149, 0.5, None),
        ("Pajama Set", 159, 0.8, None), ("Denim Jacket", 279, 0.7, None),
        ("Leggings", 99, 0.9, None), ("Polo Shirt", 129, 0.8, "summer"),
    ],
    "appliances": [
        ("Portable Juicer", 199, 1.2, "juicer"), ("Air Fryer", 399, 1.8, None),
        ("Electric Kettle", 129, 1.5, None), ("Rice Cooker", 349, 1.0, None),
        ("Desk Fan", 159, 0.9, "summer"), ("Space Heater", 229, 0.8, "winter"),
        ("Hair Dryer", 199, 1.3, None), ("Electric Toothbrush", 169, 1.4, None),
        ("Soymilk Maker", 299, 0.7, None), ("Blender", 259, 0.8, None),
        ("Capsule Coffee Machine", 459, 0.6, None), ("Steam Iron", 139, 0.7, None),
        ("Humidifier", 149, 0.8, "winter"), ("Electric Shaver", 239, 0.9, None),
        ("Sandwich Maker", 119, 0.6, None), ("Bluetooth Speaker", 179, 0.8, None),
        ("Smart Scale", 99, 0.7, None), ("Electric Lunch Box", 109, 0.6, None),
        ("Smart Air Purifier", 499, 0.8, None),
    ],
    "food": [
        ("Spring Festival Gift Box", 268, 1.0, "spring_festival"),
        ("Mixed Nuts Gift Pack", 129, 1.6, None), ("Single-Origin Coffee Beans", 89, 2.5, None),
        ("Longjing Green Tea", 158, 1.0, None), ("Oolong Tea Tin", 128, 0.8, None),
        ("Dried Mango Slices", 39, 1.2, None), ("Beef Jerky", 59, 1.1, None),
        ("Instant Noodle Variety Box", 49, 1.0, None), ("Organic Honey", 79, 0.9, None),
        ("Mooncake Gift Box", 198, 0.8, "mid_autumn"), ("Dark Chocolate Bars", 59, 0.9, None),
        ("Red Date & Goji Pack", 69, 0.7, "winter"), ("Rice Crackers Family Pack", 35, 0.8, None),
        ("Drip Coffee Bags (30)", 79, 0.9, None), ("Oat Milk (12 cartons)", 89, 1.0, None),
        ("Protein Bar Box", 99, 0.8, None), ("Sparkling Water (24 cans)", 69, 0.9, "summer"),
        ("Premium Rice (5 kg)", 88, 0.9, None),
    ],
    "home": [
        ("Pour-Over Coffee Set", 149, 1.4, None), ("Memory Foam Pillow", 199, 1.5, None),
        ("Cotton Bed Sheet Set", 259, 1.2, None), ("Aroma Diffuser", 129, 1.0, None),
        ("Storage Box Set", 79, 1.2, None), ("Bath Towel Set", 99, 1.1, None),
        ("Ceramic Dinnerware Set", 239, 0.8, None),
        ("Stainless Steel Cookware Set", 399, 0.7, None),
        ("Scented Candle", 69, 0.9, "winter"), ("Throw Blanket", 159, 0.9, "winter"),
        ("Desk Lamp", 139, 0.9, None), ("Vacuum Flask", 89, 1.0, None),
        ("Non-Stick Frying Pan", 159, 0.9, None), ("Shower Curtain", 59, 0.6, None),
        ("Wall Clock", 89, 0.5, None), ("Knife Block Set", 219, 0.6, None),
        ("Laundry Basket", 49, 0.7, None), ("Bamboo Cutting Board", 59, 0.7, None),
    ],
    "sports": [
        ("Yoga Mat", 129, 1.6, None), ("Running Shoes", 459, 1.4, None),
        ("Resistance Bands Set", 59, 1.0, None), ("Adjustable Dumbbells", 399, 0.8, None),
        ("Sports Water Bottle", 49, 1.2, "summer"), ("Fitness Tracker Band", 199, 1.1, None),
        ("Jump Rope", 39, 0.9, None), ("Swimsuit", 169, 0.8, "summer"),
        ("Cycling Gloves", 69, 0.5, None), ("Foam Roller", 79, 0.8, None),
        ("Sports Socks (3 pairs)", 45, 1.0, None), ("Badminton Racket Set", 189, 0.8, None),
        ("Hiking Backpack", 259, 0.8, None), ("Quick-Dry T-Shirt", 99, 1.0, "summer"),
        ("Yoga Leggings", 149, 1.1, None), ("Basketball", 139, 0.7, None),
        ("Camping Tent", 499, 0.5, None), ("Ski Gloves", 129, 0.5, "winter"),
    ],
}
_PREFIX = {"beauty": "BT", "apparel": "AP", "appliances": "AL", "food": "FD", "home": "HM",
           "sports": "SP"}
_MARGIN = {"beauty": 0.57, "apparel": 0.52, "appliances": 0.31, "food": 0.37, "home": 0.46,
           "sports": 0.44}
_BRANDS = {
    "beauty": ("Lumiere Lab", "Bloom & Dew", "Pure Petal"),
    "apparel": ("Urban Thread", "North Ridge", "Linen Lane"),
    "appliances": ("Zephyr", "KitchenPro", "Brightway"),
    "food": ("Golden Harvest", "Tea Garden", "Orchard Lane"),
    "home": ("Nest & Co", "Calm Living"),
    "sports": ("StrideMax", "FlexFit", "Summit Gear"),
}
_JUICER = "Portable Juicer"
_BEST_SELLER = "Hyaluronic Acid Serum"
_CROSS_A, _CROSS_B = "Pour-Over Coffee Set", "Single-Origin Coffee Beans"
_SLOW_MOVERS = ("Wall Clock", "Silk Scarf", "Cycling Gloves", "Eyebrow Pencil")
_LAUNCHES = {"Peptide Firming Serum": 0.35, "Smart Air Purifier": 0.55}  # share of the range
_JUICER_SURGE = 5.0  # planted weight multiplier for June-August

# --- customers, channels, devices ---------------------------------------------------------------
_P_BUYER = 0.88           # share of sign-ups who ever reach checkout
_BACKLOG_SHARE = 0.3      # customers who signed up before the period starts
_BACKLOG_DAYS = 540       # ... within this many days before it
# Two kinds of buyer: loyal ones replenish regularly and rarely drop out; casual ones buy
# seldom and drop out after a purchase about half of the time. Per kind: mean days between
# checkouts on an ordinary day, Gamma shape of the gap, Beta(a, b) of the dropout chance.
_LOYAL_SHARE = 0.35
_GAP_DAYS = (150.0, 35.0)     # (casual, loyal)
_GAP_SHAPE = (2.0, 4.0)
_DROP_BETA = ((6.0, 5.0), (1.0, 10.0))
_TIER_SHARE = (0.72, 0.20, 0.08)
_TIER_LIFT = (1.0, 1.2, 1.45)  # member-only prices lift the purchase rate of members
_TIER_PRICE = (1.0, 0.97, 0.94)
_CATEGORY_STICK = 0.05  # chance an item comes from the customer's favourite category

# acquisition mix at the start, and its drift per year
_ACQ_MIX = np.array([0.26, 0.14, 0.10, 0.08, 0.14, 0.22, 0.02, 0.0])
_ACQ_DRIFT = np.array([0.0, 0.0, 0.0, 0.07, 0.0, -0.06, 0.0, 0.0])
_ACQ_REFERRAL = 0.07
_REPEAT_MIX = np.array([0.30, 0.14, 0.10, 0.07, 0.11, 0.21, 0.07, 0.0])
_REPEAT_DRIFT = np.array([0.0, 0.0, 0.0, 0.04, 0.0, -0.05, 0.0, 0.0])
_REPEAT_REFERRAL = 0.01
_STICK_CHANNEL = 0.2      # chance a repeat order comes through the acquisition channel

# paid orders per visitor, by channel (planted; recommendation converts poorly)
_CONV = np.array([0.030, 0.009, 0.040, 0.080, 0.050, 0.060, 0.045, 0.070])
_DEVICE_CONV = np.array([1.15, 0.80, 0.90, 1.05])
_CART_RATE = np.array([0.06, 0.03, 0.07, 0.09, 0.07, 0.08, 0.06, 0.08])
# whole-period spend per new customer (CAC), yuan; referral is paid through rewards instead
_CAC = {"search": 45.0, "recommendation": 30.0, "live_stream": 90.0, "xiaohongshu": 50.0,
        "douyin": 80.0, "wechat_private": 20.0, "sms": 25.0}
_CAC_GROWTH = 0.55        # spend per new customer rises by this share of the start per year
_CLICK_SHARE = np.array([0.5, 0.6, 0.5, 0.4, 0.6, 0.8, 0.9, 0.0])
_CTR_START, _CTR_TWO_YEARS = 0.025, 0.012

_DEVICE_BY_CHANNEL = np.array([
    [0.45, 0.20, 0.20, 0.15],  # search
    [0.60, 0.20, 0.05, 0.15],  # recommendation
    [0.70, 0.20, 0.02, 0.08],  # live_stream
    [0.65, 0.30, 0.03, 0.02],  # xiaohongshu
    [0.65, 0.30, 0.02, 0.03],  # douyin
    [0.15, 0.10, 0.05, 0.70],  # wechat_private
    [0.40, 0.45, 0.05, 0.10],  # sms
    [0.30, 0.20, 0.05, 0.45],  # referral
])
_FAV_BY_CHANNEL = np.array([
    # beauty apparel appliances food home sports
    [0.20, 0.22, 0.16, 0.14, 0.15, 0.13],
    [0.22, 0.24, 0.12, 0.14, 0.16, 0.12],
    [0.35, 0.20, 0.10, 0.20, 0.08, 0.07],
    [0.45, 0.22, 0.05, 0.10, 0.10, 0.08],
    [0.22, 0.15, 0.22, 0.22, 0.09, 0.10],
    [0.25, 0.15, 0.10, 0.25, 0.15, 0.10],
    [0.20, 0.20, 0.15, 0.15, 0.15, 0.15],
    [0.28, 0.20, 0.12, 0.18, 0.12, 0.10],
])
_CATEGORY_BASE = np.array([0.16, 0.21, 0.15, 0.19, 0.16, 0.13])

_PAID_BY_DEVICE = np.array([0.84, 0.78, 0.80, 0.82])  # checkout -> paid
_BROKEN_DEVICE, _BROKEN_PAID = "mobile_web", 0.40
_SLOW_HOURS, _SLOW_MS, _NORMAL_MS = (0, 1, 2, 3), 4000.0, 1200.0
_SLOW_PAID_FACTOR, _SLOW_VISIT_FACTOR = 0.55, 0.45

# returns: probability an item of a paid order is returned, and reason mix
_RETURN_REASONS = ("size mismatch", "quality issue", "not as described", "changed mind",
                   "damaged in transit")
_RETURN_RATE = np.array([0.045, 0.215, 0.06, 0.05, 0.05, 0.06])
_REASONS_APPAREL = np.array([0.60, 0.12, 0.12, 0.12, 0.04])
_REASONS_OTHER = np.array([0.0, 0.35, 0.25, 0.22, 0.18])
_SIZE_FIX_CUT = 0.40

_HOURS = np.array([2.2, 1.3, 0.7, 0.4, 0.3, 0.4, 0.8, 1.6, 2.8, 3.8, 4.4, 4.5, 4.0, 4.0, 4.3,
                   4.4, 4.2, 4.0, 4.1, 4.6, 5.2, 5.6, 5.0, 3.6])
_PEAK_HOURS = _HOURS * np.array([9, 6, 3.5, 2.5] + [1] * 16 + [1.3] * 4)
_WEEKLY = np.array([0.94, 0.93, 0.95, 0.97, 1.02, 1.12, 1.07])  # Monday first
_YEARLY = np.array([1.0, 0.88, 1.0, 0.95, 1.0, 1.05, 0.95, 0.95, 1.0, 1.0, 1.1, 1.1])

# referral programme (老带新)
_INVITEE_REWARD, _REFERRER_REWARD = 50.0, 20.0
_SIGNUP_PER_INVITE = 0.35
_ADVOCATE_SHARE = 0.06

# campaign templates: code, name, kind, warm-up start, peak start, peak end, return end
# (as (month, day) or days from the Spring Festival), threshold, discount, peak multiplier
_CAMPAIGNS = (
    ("SF", "Spring Festival Shopping Fair", "festival", -28, -21, -20, -17, 199, 30, 2.2),
    ("W38", "Women's Day Beauty Week", "platform_event", (3, 1), (3, 7), (3, 8), (3, 10),
     199, 20, 1.8),
    ("618", "618 Mid-Year Sale", "festival", (5, 28), (6, 16), (6, 18), (6, 21), 300, 50, 3.0),
    ("FLASH", "Mid-Summer Flash Sale", "flash_sale", (7, 19), (7, 20), (7, 20), (7, 20),
     99, 15, 2.0),
    ("ANNIV", "Store Anniversary Sale", "store_event", (9, 6), (9, 9), (9, 10), (9, 13),
     150, 20, 1.8),
    ("D11", "Double 11", "festival", (10, 24), (11, 11), (11, 11), (11, 14), 300, 50, 5.5),
    ("D12", "Double 12", "platform_event", (12, 8), (12, 12), (12, 12), (12, 14), 200, 25, 2.0),
)


# ------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class _Cal:
    """The day grid of the shop: day ``i`` is ``start + i`` days."""

    start: pd.Timestamp
    end: pd.Timestamp
    n: int
    dates: pd.DatetimeIndex
    dow: np.ndarray
    month: np.ndarray
    year: np.ndarray
    years: np.ndarray  # years since start, per day
    month_index: np.ndarray  # months since the start month, per day

    def day(self, ts) -> int:
        return int((pd.Timestamp(ts) - self.start).days)


def _calendar(start, end) -> _Cal:
    s, e = pd.Timestamp(start).normalize(), pd.Timestamp(end).normalize()
    dates = pd.date_range(s, e, freq="D")
    n = len(dates)
    return _Cal(s, e, n, dates, dates.day_of_week.to_numpy(), dates.month.to_numpy(),
                dates.year.to_numpy(), np.arange(n) / 365.25,
                ((dates.year - s.year) * 12 + dates.month - s.month).to_numpy())


def _ts(start: pd.Timestamp, sec: np.ndarray) -> np.ndarray:
    """Seconds since ``start`` -> datetime64[ns] array (NaT where ``sec`` is ``_NO_TIME``)."""
    sec = np.asarray(sec, dtype=np.int64)
    none = sec == _NO_TIME
    base = np.datetime64(start.to_datetime64(), "ns")
    out = base + (np.where(none, 0, sec) * 1_000_000_000).astype("timedelta64[ns]")
    return np.where(none, np.datetime64("NaT", "ns"), out)


def _draw_hours(rng, n: int, profile: np.ndarray) -> np.ndarray:
    """Seconds into the day for ``n`` events, hours drawn from ``profile``."""
    cdf = np.cumsum(profile) / profile.sum()
    hour = np.minimum(np.searchsorted(cdf, rng.random(n), side="right"), 23)
    return hour * 3600 + rng.integers(0, 3600, n)


def _choice_table(rng, groups: np.ndarray, table) -> np.ndarray:
    """One draw per element of ``groups``: a column of ``table`` with the group's row weights.

    All rows' CDFs are laid end to end (row ``g`` spans ``(g, g + 1]``), so one
    ``searchsorted`` serves every group without an n x k matrix.
    """
    table = np.asarray(table, dtype=float)
    k = table.shape[1]
    cdf = np.cumsum(table, 1)
    cdf /= cdf[:, -1:]
    cdf[:, -1] = 1.0
    flat = (cdf + np.arange(len(table))[:, None]).ravel()
    groups = np.asarray(groups)
    idx = np.searchsorted(flat, groups + rng.random(len(groups)), side="right") - groups * k
    return np.clip(idx, 0, k - 1)


def _channel_mix(cal: _Cal, base, drift, referral, ref_start) -> np.ndarray:
    """Channel weights per day (days x channels): a drifting mix, referral after its start."""
    mix = np.clip(base[None, :] + drift[None, :] * cal.years[:, None], 0.03, None)
    mix[:, _CH["referral"]] = np.where(np.arange(cal.n) > ref_start, referral, 0.0)
    return mix


def _ids(prefix: str, n: int, width: int) -> pd.Series:
    """``prefix`` + zero-padded 1..n as a string Series."""
    nums = pd.Series(np.arange(1, n + 1)).astype("str").str.zfill(width)
    return (prefix + nums) if prefix else nums


# --- products ----------------------------------------------------------------------------------
def _products(rng, cal: _Cal) -> pd.DataFrame:
    """The catalogue as a products frame, plus helper columns (pop, season, launch_day)."""
    rows = []
    for cat in CATEGORIES:
        for j, (name, price, pop, season) in enumerate(_CATALOGUE[cat], start=1):
            rows.append((f"{_PREFIX[cat]}{j:03d}", name, cat, price, pop, season))
    df = pd.DataFrame(rows, columns=["sku", "name", "category", "list_price", "pop", "season"])
    n = len(df)
    cats = df["category"].to_numpy()
    margin = np.array([_MARGIN[c] for c in cats]) + rng.normal(0, 0.03, n)
    df["unit_cost"] = np.round(df["list_price"] * (1 - np.clip(margin, 0.25, 0.7)), 2)
    df["brand"] = [_BRANDS[c][k % len(_BRANDS[c])] for k, c in
                   zip(rng.integers(0, 3, n), cats, strict=True)]
    df.loc[rng.random(n) < 0.05, "brand"] = None  # a few unbranded goods
    suppliers = {c: [f"SUP{3 * i + k + 1:02d}" for k in range(3)] for i, c in enumerate(CATEGORIES)}
    df["supplier_id"] = [suppliers[c][k]
                         for k, c in zip(rng.integers(0, 3, n), cats, strict=True)]
    lead = rng.integers(7, 46, n)
    seasonal = df["season"].notna().to_numpy()
    lead[seasonal] = rng.integers(7, 21, seasonal.sum())  # seasonal goods come from near by
    lead[(df["name"] == _BEST_SELLER).to_numpy()] = 12
    df["lead_time_days"] = lead
    launch = cal.start - pd.to_timedelta(rng.integers(90, 1100, n), unit="D")
    launch = pd.Series(launch)
    for name, share in _LAUNCHES.items():
        launch[(df["name"] == name).to_numpy()] = cal.start + pd.Timedelta(days=int(share * cal.n))
    df["launch_date"] = launch.to_numpy().astype("datetime64[ns]")
    df["is_seasonal"] = seasonal
    df["launch_day"] = np.maximum((df["launch_date"] - cal.start).dt.days.to_numpy(), 0)
    return df


# --- campaigns ----------------------------------------------------------------------------------
def _campaign_calendar(cal: _Cal) -> pd.DataFrame:
    """Campaigns whose peak falls inside the range (warm-up and return clipped to it)."""
    rows = []
    for year in range(cal.start.year - 1, cal.end.year + 2):
        for code, name, kind, w, p0, p1, r, thr, disc, mult in _CAMPAIGNS:
            if code == "SF":
                if year not in LUNAR_NEW_YEAR:
                    continue
                lny = lunar_new_year(year)
                dates = [lny + pd.Timedelta(days=k) for k in (w, p0, p1, r)]
            else:
                dates = [pd.Timestamp(year=year, month=m, day=d) for m, d in (w, p0, p1, r)]
            if dates[1] < cal.start or dates[2] > cal.end:
                continue
            rows.append({"campaign_id": f"{code}-{year}", "code": code, "name": f"{name} {year}",
                         "kind": kind, "warmup_start": max(dates[0], cal.start),
                         "peak_start": dates[1], "peak_end": dates[2],
                         "end_date": min(dates[3], cal.end), "threshold": float(thr),
                         "discount": float(disc), "mult": mult})
    df = pd.DataFrame(rows, columns=["campaign_id", "code", "name", "kind", "warmup_start",
                                     "peak_start", "peak_end", "end_date", "threshold",
                                     "discount", "mult"])
    df = df.sort_values("peak_start", kind="stable").reset_index(drop=True)
    for c in ("warmup_start", "peak_start", "peak_end", "end_date"):
        df[c] = df[c].astype("datetime64[ns]")
        df[c + "_d"] = (df[c] - cal.start).dt.days
    return df


def _day_profiles(cal: _Cal, camps: pd.DataFrame):
    """Daily multipliers for orders and sign-ups, the campaign of each day and its phase."""
    n = cal.n
    base = _WEEKLY[cal.dow] * _YEARLY[cal.month - 1]
    order_m = base.copy()
    signup_m = base * (1 + 0.5 * cal.years)
    camp_of_day = np.full(n, -1)
    phase = np.zeros(n, dtype=np.int8)  # 1 warm-up, 2 peak, 3 return
    for i, c in camps.iterrows():
        w, p0, p1, e = c.warmup_start_d, c.peak_start_d, c.peak_end_d, c.end_date_d
        camp_of_day[w:e + 1] = i
        phase[w:p0] = 1
        phase[p0:p1 + 1] = 2
        phase[p1 + 1:e + 1] = 3
        warm = 1.15 if c.code == "D11" else 1.25
        order_m[w:p0] *= warm
        order_m[p0:p1 + 1] *= c.mult
        order_m[p1 + 1:e + 1] *= 1.35
        signup_m[w:p0] *= 1.3
        signup_m[p0:p1 + 1] *= 1 + 0.6 * (c.mult - 1)
        signup_m[p1 + 1:e + 1] *= 1.3
    for year in range(cal.start.year, cal.end.year + 1):
        if year in LUNAR_NEW_YEAR:  # couriers rest around the Spring Festival
            d = cal.day(lunar_new_year(year))
            lo, hi = max(d - 6, 0), min(d + 7, n)
            if lo < hi:
                order_m[lo:hi] *= 0.55
                signup_m[lo:hi] *= 0.7
    return order_m, signup_m, camp_of_day, phase


def _sku_weights(cal: _Cal, prods: pd.DataFrame, camps: pd.DataFrame) -> np.ndarray:
    """Relative demand of every SKU on every day (days x SKUs)."""
    n = cal.n
    w = np.tile(prods["pop"].to_numpy(float), (n, 1))
    month = cal.month
    prof = {
        "summer": np.array([0.5, 0.5, 0.6, 0.8, 1.4, 2.5, 2.8, 2.3, 1.2, 0.6, 0.5, 0.5]),
        "winter": np.array([2.5, 1.8, 1.0, 0.5, 0.4, 0.4, 0.4, 0.4, 0.5, 1.3, 2.0, 2.5]),
        "juicer": np.array([1, 1, 1, 1, 1, _JUICER_SURGE, _JUICER_SURGE, _JUICER_SURGE,
                            1, 1, 1, 1], dtype=float),
    }
    sf = np.full(n, 0.3)
    for year in range(cal.start.year, cal.end.year + 2):
        if year in LUNAR_NEW_YEAR:
            d = cal.day(lunar_new_year(year))
            sf[max(d - 35, 0):max(min(d, n), 0)] = 8.0
    doy = cal.dates.day_of_year.to_numpy()
    mid_autumn = np.where((doy >= 237) & (doy <= 268), 6.0, 0.3)
    for j, season in enumerate(prods["season"]):
        if season in prof:
            w[:, j] *= prof[season][month - 1]
        elif season == "spring_festival":
            w[:, j] *= sf
        elif season == "mid_autumn":
            w[:, j] *= mid_autumn
    beauty = (prods["category"] == "beauty").to_numpy()
    for _, c in camps[camps["code"] == "W38"].iterrows():
        w[c.warmup_start_d:c.end_date_d + 1, beauty] *= 1.8
    slow = prods["name"].isin(_SLOW_MOVERS).to_numpy()
    decline = np.interp(np.arange(n), [n - 150, n - 120], [1.0, 0.15])
    w[:, slow] *= decline[:, None]
    launch = prods["launch_day"].to_numpy()
    w[np.arange(n)[:, None] < launch[None, :]] = 0.0
    return w


# --- customers and their checkouts ---------------------------------------------------------
def _customers_base(rng, cal: _Cal, n: int, signup_m: np.ndarray, ref_start: int):
    """Sign-up times and per-customer traits, sorted by sign-up time.

    A share of the customers signed up before ``start`` (the shop already has a customer
    base); their sign-up second is negative and their earlier orders are not in the data.
    """
    n_back = round(n * _BACKLOG_SHARE)
    p = signup_m / signup_m.sum()
    day = np.repeat(np.arange(cal.n), rng.multinomial(n - n_back, p))
    sec = np.concatenate([day * DAY + _draw_hours(rng, n - n_back, _HOURS),
                          rng.integers(-_BACKLOG_DAYS * DAY, 0, n_back)])
    sec = np.sort(sec)
    day = sec // DAY
    channel = _choice_table(rng, np.maximum(day, 0),
                            _channel_mix(cal, _ACQ_MIX, _ACQ_DRIFT, _ACQ_REFERRAL, ref_start))
    fav = _choice_table(rng, channel, _FAV_BY_CHANNEL)
    device = _choice_table(rng, channel, _DEVICE_BY_CHANNEL)
    loyal = (rng.random(n) < _LOYAL_SHARE).astype(np.int64)
    rate = np.exp(rng.normal(0, 0.35, n)) / np.array(_GAP_DAYS)[loyal]
    a, b = np.array(_DROP_BETA).T
    drop = rng.beta(a[loyal], b[loyal])
    score = 1.2 * loyal + rng.normal(0, 1.0, n)
    rank = np.argsort(np.argsort(-score)) / n
    tier = np.where(rank < _TIER_SHARE[2], 2,
                    np.where(rank < _TIER_SHARE[2] + _TIER_SHARE[1], 1, 0))
    rate = rate * np.array(_TIER_LIFT)[tier]
    city = rng.choice(5, n, p=[0.2, 0.3, 0.25, 0.15, 0.1])
    city[rng.random(n) < 0.03] = -1
    age = rng.choice(5, n, p=[0.22, 0.30, 0.28, 0.13, 0.07])
    age[rng.random(n) < 0.05] = -1
    return {"sec": sec, "day": day, "channel": channel, "fav": fav, "device": device,
            "rate": rate, "drop": drop, "tier": tier, "city": city, "age": age,
            "gap_shape": np.array(_GAP_SHAPE)[loyal]}


def _checkouts(rng, cal: _Cal, cust: dict, order_m: np.ndarray, peak_day: np.ndarray):
    """Every customer's checkouts: (customer index, seconds since start, is first)."""
    n = len(cust["sec"])
    end_sec = cal.n * DAY
    buyer = rng.random(n) < _P_BUYER
    kind = rng.random(n)
    delay = np.where(kind < 0.5, rng.uniform(180, 5400, n),
                     np.where(kind < 0.8, rng.exponential(2 * DAY, n),
                              rng.exponential(20 * DAY, n))).astype(np.int64)
    first = cust["sec"] + delay
    who = np.nonzero(buyer & (first < end_sec))[0]
    rec = first[who] >= 0  # a first order before the period is not in the data
    out_c, out_s, out_f = [who[rec]], [first[who][rec]], [np.ones(rec.sum(), bool)]
    # the clock runs faster on busy days: operational time u against days t (u = t before 0)
    edges = np.arange(cal.n + 1, dtype=float)
    warp = np.concatenate([[0.0], np.cumsum(order_m)])
    t0 = first[who] / DAY
    u = np.where(t0 < 0, t0, np.interp(t0, edges, warp))
    alive = rng.random(len(who)) >= cust["drop"][who]
    while True:
        who, u = who[alive], u[alive]
        if len(who) == 0:
            break
        k = cust["gap_shape"][who]
        u = u + rng.gamma(k, 1 / k) / cust["rate"][who]
        inside = u < warp[-1]
        who, u = who[inside], u[inside]
        rec = u >= 0
        t = np.interp(u[rec], warp, edges)
        day = np.minimum(t.astype(np.int64), cal.n - 1)
        pk = peak_day[day]
        sec = day * DAY
        sec[~pk] += _draw_hours(rng, int((~pk).sum()), _HOURS)
        sec[pk] += _draw_hours(rng, int(pk.sum()), _PEAK_HOURS)
        out_c.append(who[rec])
        out_s.append(sec)
        out_f.append(np.zeros(len(sec), bool))
        alive = rng.random(len(who)) >= cust["drop"][who]
    c = np.concatenate(out_c)
    s = np.concatenate(out_s)
    f = np.concatenate(out_f)
    s = np.clip(np.maximum(s, cust["sec"][c] + 60), 0, end_sec - 1)
    order = np.lexsort((c, s))
    return c[order], s[order], f[order]


def _order_channels(rng, cal: _Cal, cust: dict, oc: np.ndarray, osec: np.ndarray,
                    first: np.ndarray, ref_start: int):
    """Channel and device of each order (first orders mostly via the acquisition channel)."""
    n = len(oc)
    ch = _choice_table(rng, osec // DAY, _channel_mix(cal, _REPEAT_MIX, _REPEAT_DRIFT,
                                                      _REPEAT_REFERRAL, ref_start))
    acq = cust["channel"][oc]
    u = rng.random(n)
    stick = np.where(first, u < 0.85, (u < _STICK_CHANNEL) & (acq != _CH["referral"]))
    ch = np.where(stick, acq, ch)
    ch = np.where(first & (acq == _CH["referral"]), acq, ch)
    dev = _choice_table(rng, ch, _DEVICE_BY_CHANNEL)
    dev = np.where(rng.random(n) < 0.75, cust["device"][oc], dev)
    return ch, dev


# --- order items ------------------------------------------------------------------------------
def _items(rng, cal, prods, weights, cust, oc, oday, stock):
    """Order lines: (order index, sku index, quantity), cross-sell and stock-out applied."""
    n_orders = len(oc)
    n_lines = 1 + rng.choice(4, n_orders, p=[0.72, 0.20, 0.06, 0.02])
    io = np.repeat(np.arange(n_orders), n_lines)
    iday = oday[io]
    n_sku = len(prods)
    cat_of_sku = prods["category"].map(_CAT).to_numpy()
    # category share per day follows the seasonal demand of its SKUs
    cat_w = np.zeros((cal.n, len(CATEGORIES)))
    for k in range(len(CATEGORIES)):
        sel = cat_of_sku == k
        cat_w[:, k] = weights[:, sel].sum(1) / prods["pop"].to_numpy()[sel].sum()
    cat_w *= _CATEGORY_BASE[None, :]
    cat = _choice_table(rng, iday, cat_w)
    fav = cust["fav"][oc[io]]
    cat = np.where(rng.random(len(io)) < _CATEGORY_STICK, fav, cat)
    # SKU within the category: one monotone CDF over (day, category, sku)
    cdf = np.zeros_like(weights)
    for k in range(len(CATEGORIES)):
        sel = np.nonzero(cat_of_sku == k)[0]
        blk = np.cumsum(weights[:, sel], 1)
        blk /= blk[:, -1:]
        blk[:, -1] = 1.0
        cdf[:, sel] = k + blk
    flat = (cdf + len(CATEGORIES) * np.arange(cal.n)[:, None]).ravel()
    x = len(CATEGORIES) * iday + cat + rng.random(len(io)) * (1 - 1e-9)
    sku = np.searchsorted(flat, x, side="right") - iday * n_sku
    sku = np.clip(sku, 0, n_sku - 1)
    # cross-sell: buyers of A often add B to the same order
    a, b = stock["cross_a"], stock["cross_b"]
    add = np.nonzero((sku == a) & (rng.random(len(io)) < 0.45))[0]
    io = np.concatenate([io, io[add]])
    sku = np.concatenate([sku, np.full(len(add), b)])
    seq = np.concatenate([np.arange(len(io) - len(add)), len(io) + np.arange(len(add))])
    # stock-out: the best-seller cannot be bought while it is out of stock
    if stock["out_sku"] is not None:
        lo, hi = stock["out_days"]
        d = oday[io]
        hit = (sku == stock["out_sku"]) & (d >= lo) & (d <= hi)
        sku[hit] = stock["substitute"]
    order = np.lexsort((seq, io))
    io, sku = io[order], sku[order]
    dup = pd.DataFrame({"o": io, "s": sku}).duplicated().to_numpy()
    io, sku = io[~dup], sku[~dup]
    cat = cat_of_sku[sku]
    qty = 1 + _choice_table(rng, (cat == _CAT["food"]).astype(np.int64),
                            [[0.84, 0.12, 0.04], [0.62, 0.26, 0.12]])
    first_line = np.r_[0, np.nonzero(np.diff(io))[0] + 1]
    line_no = np.arange(len(io)) - np.repeat(first_line, np.diff(np.r_[first_line, len(io)])) + 1
    return io, sku, qty, line_no


# --- inventory -----------------------------------------------------------------------------------
def _stock_policy(rng, sold, lead, on_hand0, extra, active_from, policy_until):
    """Simulate a periodic-review, order-up-to stock policy for a block of SKUs.

    ``sold`` is days x SKUs. On its weekly review day a SKU orders enough to cover the next
    ``lead + 14`` days of demand (10% margin) plus a week of safety stock; the order arrives
    ``lead`` days later. ``extra`` (days x SKUs) holds deliveries planned outside the policy.
    If a day's sales would exceed the stock, an express delivery covers them plus three days
    more, so stock is never negative. Returns ``(on_hand, inbound)``, both days x SKUs.
    """
    n, m = sold.shape
    lead = np.asarray(lead)
    horizon = lead + 14
    csum = np.vstack([np.zeros((1, m)), np.cumsum(sold, 0)])
    trailing = np.maximum(sold[max(n - 28, 0):].mean(0), 0.05)
    on_hand = np.zeros((n, m), dtype=np.int64)
    inbound = np.zeros((n, m), dtype=np.int64)
    arrivals = np.zeros((n + int(lead.max()) + 1, m), dtype=np.int64)
    arrivals[:n] += extra
    pipe = arrivals.sum(0)  # units on their way (policy orders and planned deliveries)
    level = np.asarray(on_hand0, dtype=np.int64).copy()
    review = rng.integers(0, 7, m)
    cols = np.arange(m)
    for d in range(n):
        got = arrivals[d]
        pipe -= got
        s = sold[d]
        short = np.maximum(s - level - got, 0)
        nxt = np.ceil(csum[min(d + 4, n)] - csum[d + 1]).astype(np.int64)
        express = np.where(short > 0, short + nxt, 0)
        inbound[d] = got + express
        level = level + got + express - s.astype(np.int64)
        on_hand[d] = level
        rev = (((d + review) % 7) == 0) & (d >= active_from) & (d < policy_until)
        if rev.any():
            hi = np.minimum(d + 1 + horizon, n)
            demand = csum[hi, cols] - csum[d + 1, cols] + (d + 1 + horizon - hi) * trailing
            lo = max(d - 27, 0)
            recent = (csum[d + 1] - csum[lo]) / (d + 1 - lo)
            target = np.ceil(1.1 * demand + 7 * recent)
            q = np.where(rev, np.maximum(target - level - pipe, 0), 0).astype(np.int64)
            q_idx = np.nonzero(q)[0]
            arrivals[d + lead[q_idx], q_idx] += q[q_idx]
            pipe += q
    return on_hand, inbound


def _inventory(rng, cal, prods, sold, story):
    """Daily stock per SKU, with the planted stock-out and slow movers.

    Returns ``(on_hand, inbound, stockout)``; ``stockout`` is ``(lo, hi)`` day indices or None.
    """
    n, m = sold.shape
    lead = prods["lead_time_days"].to_numpy()
    launch = prods["launch_day"].to_numpy()
    listed_before = (prods["launch_date"] < cal.start).to_numpy()
    cs = np.vstack([np.zeros((1, m)), np.cumsum(sold, 0)])
    first_need = cs[np.minimum(launch + lead + 14, n), np.arange(m)] - cs[launch, np.arange(m)]
    lot0 = np.ceil(first_need * 1.1 + 2).astype(np.int64)
    opening = np.where(listed_before, lot0, 0)
    extra = np.zeros((n, m), dtype=np.int64)
    new = np.nonzero(~listed_before)[0]
    extra[launch[new], new] = lot0[new]  # the launch lot arrives on the launch day
    # slow movers: an over-sized lot, ordered against the old demand, arrives late in the range
    policy_until = np.full(m, n + 1)
    slow = np.nonzero(prods["name"].isin(_SLOW_MOVERS).to_numpy())[0]
    lot_day = max(n - 120, 1)
    policy_until[slow] = np.maximum(lot_day - lead[slow] - 1, 0)
    old = sold[max(lot_day - 200, 0):max(lot_day - 40, 1), slow].mean(0)
    extra[lot_day, slow] += np.ceil(np.maximum(old, 0.3) * 150).astype(np.int64)
    on_hand, inbound = _stock_policy(rng, sold, lead, opening, extra, launch, policy_until)
    # the best-seller runs dry before a big campaign
    if story["out_sku"] is None:
        return on_hand, inbound, None
    j = story["out_sku"]
    lo, hi = story["out_days"]
    csum = np.concatenate([[0], np.cumsum(sold[:, j])]).astype(np.int64)
    e = next((c for c in range(lo - 10, 0, -1) if on_hand[c, j] <= csum[lo] - csum[c + 1]),
             None)
    if e is None:
        return on_hand, inbound, None
    q = csum[lo] - csum[e + 1] - on_hand[e, j]  # the last delivery before the gap
    inbound[e + 1:, j] = 0
    inbound[e + 1, j] = q
    on_hand[e + 1:lo, j] = on_hand[e, j] + q - (csum[e + 2:lo + 1] - csum[e + 1])
    on_hand[lo:hi + 1, j] = 0
    r = hi + 1
    if r < n:
        sub = sold[r:, [j]]
        need = int(np.ceil(sub[: lead[j] + 14].sum() * 1.3)) + 1
        ex = np.zeros_like(sub, dtype=np.int64)
        ex[0, 0] = need
        oh, ib = _stock_policy(rng, sub, lead[[j]], np.zeros(1, np.int64), ex,
                               np.zeros(1, np.int64), np.full(1, n + 1))
        on_hand[r:, j] = oh[:, 0]
        inbound[r:, j] = ib[:, 0]
    if (on_hand < 0).any():
        raise RuntimeError("generate: internal error, negative stock")
    first = lo - 1  # the last units sell on the first day that closes at zero
    while first > 0 and on_hand[first - 1, j] == 0:
        first -= 1
    return on_hand, inbound, (first, hi)


# --- traffic -------------------------------------------------------------------------------------
def _nb(rng, n, p):
    return rng.negative_binomial(n, np.clip(p, 1e-6, 1 - 1e-9))


def _traffic(rng, cal, ch, dev, day, hour, paid_at_time, peak_days, slow, active):
    """Daily traffic (days x channels x devices) and hourly traffic on peak days.

    Visitors are drawn from the checkouts of each cell, calibrated so that every channel's
    paid-order conversion lands on its planted rate.
    """
    n, nc, nd = cal.n, len(CHANNELS), len(DEVICES)
    k = (day * nc + ch) * nd + dev
    chk = np.bincount(k, minlength=n * nc * nd).reshape(n, nc, nd)
    paid = np.bincount(k, weights=paid_at_time, minlength=n * nc * nd).reshape(n, nc, nd)
    peak_pos = {d: i for i, d in enumerate(peak_days)}
    np_ = len(peak_days)
    is_peak = np.zeros(n, bool)
    is_peak[list(peak_days)] = True
    pk = is_peak[day]
    kh = ((np.array([peak_pos.get(d, 0) for d in range(n)])[day[pk]] * 24 + hour[pk]) * nc
          + ch[pk]) * nd + dev[pk]
    chk_h = np.bincount(kh, minlength=np_ * 24 * nc * nd).reshape(np_, 24, nc, nd)
    paid_h = np.bincount(kh, weights=paid_at_time[pk],
                         minlength=np_ * 24 * nc * nd).reshape(np_, 24, nc, nd)
    a_day, a_hour = 0.5, 0.5 / 24
    act_d = active[:, :, None].repeat(nd, 2) & ~is_peak[:, None, None]
    act_h = active[peak_days][:, None, :, None].repeat(24, 1).repeat(nd, 3)
    mult_h = np.ones((np_, 24, nc, nd))
    if slow is not None:
        i = peak_pos[slow[0]]
        mult_h[i, list(slow[1])] = _SLOW_VISIT_FACTOR
    # calibrate the checkout-per-visitor probability of each channel x device
    conv = _CONV[:, None] * _DEVICE_CONV[None, :]
    p_paid = (paid * ~is_peak[:, None, None]).sum(0) + paid_h.sum((0, 1))
    scale = (p_paid / _DEVICE_CONV[None, :]).sum(1) / np.maximum(p_paid.sum(1), 1)
    conv = conv * np.maximum(scale, 1e-9)[:, None]
    target_v = p_paid / conv
    num = ((chk + a_day) * act_d).sum(0) + ((chk_h + a_hour) * act_h / mult_h).sum((0, 1))
    n_cells = (act_d.sum(0) * a_day + act_h.sum((0, 1)) * a_hour)
    p = np.clip(num / np.maximum(target_v + n_cells, 1e-9), 1e-4, 0.95)
    vis = chk + _nb(rng, chk + a_day, np.broadcast_to(p, chk.shape))
    vis = np.where(act_d, vis, 0)
    vis_h = chk_h + _nb(rng, chk_h + a_hour, p[None, None] * mult_h)
    vis_h = np.where(act_h, vis_h, 0)
    cart = _CART_RATE[None, :, None]
    atc = chk + rng.binomial(np.maximum(vis - chk, 0), np.broadcast_to(cart, vis.shape))
    atc_h = chk_h + rng.binomial(np.maximum(vis_h - chk_h, 0),
                               np.broadcast_to(cart[None], vis_h.shape))
    pv = atc + rng.poisson(1.6 * vis)
    pv_h = atc_h + rng.poisson(1.6 * vis_h)
    # peak days: the daily row is the sum of its hours
    vis[peak_days] = vis_h.sum(1)
    atc[peak_days] = atc_h.sum(1)
    pv[peak_days] = pv_h.sum(1)
    return {"chk": chk, "paid": paid, "vis": vis, "atc": atc, "pv": pv, "chk_h": chk_h,
            "paid_h": paid_h, "vis_h": vis_h, "atc_h": atc_h, "pv_h": pv_h}


# --- helpers for amounts ------------------------------------------------------------------------
def _first_per_group(keys: np.ndarray) -> np.ndarray:
    """Positions of the first occurrence of each key in ``keys`` (any order)."""
    _, pos = np.unique(keys, return_index=True)
    return pos


def _next_order_after(sorted_keys, cust_of, sec_of, who, when, max_gap):
    """For customers ``who`` and times ``when``: index of their first order after ``when``.

    ``sorted_keys`` is ``customer * 2**32 + sec`` of candidate orders, sorted. Returns the
    candidate position, or -1 if none within ``max_gap`` seconds.
    """
    q = who.astype(np.int64) * (1 << 32) + when
    pos = np.searchsorted(sorted_keys, q, side="right")
    ok = pos < len(sorted_keys)
    pos_c = np.minimum(pos, len(sorted_keys) - 1)
    ok &= (cust_of[pos_c] == who) & (sec_of[pos_c] - when <= max_gap)
    return np.where(ok, pos_c, -1)


# --- the stories' dates and products --------------------------------------------------------
def _plan_stories(cal: _Cal, camps: pd.DataFrame, prods: pd.DataFrame) -> dict:
    """Choose when and where each story happens (deterministic given the range)."""
    months = int(cal.month_index[-1]) + 1
    month_start = {int(mi): int(np.argmax(cal.month_index == mi)) for mi in range(months)}
    ref_month = months // 2
    # the broken checkout: a month without a big festival in the middle-late part
    pref = (4, 8, 7, 9, 5, 10, 12, 1, 2, 3, 6, 11)
    window = range(max(int(months * 0.5), 1), max(int(months * 0.85), 2))
    moy = {mi: int(cal.month[month_start[mi]]) for mi in window if mi in month_start}
    broken = min(moy, key=lambda mi: (pref.index(moy[mi]), mi)) if moy else months - 1
    fix_month = min(max(round(months * 0.55), 3), max(months - 3, 1))

    def latest(codes, ok=lambda c: True):
        """Index of the latest campaign of the first code in ``codes`` that has one."""
        for code in codes:
            sel = [i for i, c in camps.iterrows() if c.code == code and ok(c)]
            if sel:
                return sel[-1]
        return None

    # slow page: the latest Double 11 (else 618, else Spring Festival)
    slow_i = latest(("D11", "618", "SF"))
    slow = None if slow_i is None else (int(camps.loc[slow_i, "peak_start_d"]), _SLOW_HOURS)
    # missed target: the latest 618 (else another campaign), never the slow-page one
    miss_i = latest(("618", "SF", "D11", "W38", "ANNIV", "D12", "FLASH"),
                    lambda c: c.name != slow_i)
    # stock-out: before the latest big campaign whose warm-up is 75+ days into the range
    out_i = latest(("D11", "618", "SF"), lambda c: c.warmup_start_d - 8 >= 75)
    name_to_idx = {nm: i for i, nm in enumerate(prods["name"])}
    out_sku = out_days = None
    if out_i is not None:
        w = int(camps.loc[out_i, "warmup_start_d"])
        out_sku, out_days = name_to_idx[_BEST_SELLER], (w - 8, w - 3)
    return {"ref_start": month_start[ref_month], "broken_month": broken,
            "fix_month": fix_month, "slow": slow, "slow_i": slow_i, "miss_i": miss_i,
            "out_i": out_i, "out_sku": out_sku, "out_days": out_days,
            "substitute": name_to_idx["Gentle Foam Cleanser"], "cross_a": name_to_idx[_CROSS_A],
            "cross_b": name_to_idx[_CROSS_B], "month_start": month_start}


# --- returns, shipping ---------------------------------------------------------------------------
def _returns(rng, io, icat, iqty, oday, status, cal, story):
    """Returned units and reason per item; only items of paid orders come back."""
    n = len(io)
    sold = status[io] == 0
    p = _RETURN_RATE[icat]
    apparel = icat == _CAT["apparel"]
    after = cal.month_index[oday[io]] >= story["fix_month"]
    p_size = np.where(apparel, p * _REASONS_APPAREL[0] * np.where(after, 1 - _SIZE_FIX_CUT, 1),
                      0.0)
    p_other = np.where(apparel, p * (1 - _REASONS_APPAREL[0]), p)
    u = rng.random(n)
    size = sold & (u < p_size)
    other = sold & ~size & (u < p_size + p_other)
    reason = np.where(size, 0, 1 + _choice_table(rng, apparel.astype(np.int64),
                                                 [_REASONS_OTHER[1:], _REASONS_APPAREL[1:]]))
    returned = size | other
    qty = np.where(iqty > 1, rng.integers(1, iqty + 1), 1)
    ret_qty = np.where(returned, qty, 0)
    names = np.array(_RETURN_REASONS, dtype=object)
    ret_reason = np.where(returned, names[reason], None)
    return ret_qty, ret_reason


def _shipping(rng, osec, sold, on_peak, cust, oc):
    """Ship and delivery times (seconds) of orders paid at the time; none for the others."""
    n = len(osec)
    hours = np.clip(np.exp(rng.normal(np.log(np.where(on_peak, 20.0, 8.0)), 0.6, n)), 0.5, 120)
    ship = osec + (hours * 3600).astype(np.int64) + 1
    tier = np.maximum(cust["city"][oc], 2)
    days = np.exp(rng.normal(np.log(1.0 + 0.4 * tier), 0.35, n))
    deliv = ship + (days * DAY).astype(np.int64) + 1
    return np.where(sold, ship, _NO_TIME), np.where(sold, deliv, _NO_TIME)


# --- referrals -----------------------------------------------------------------------------------
def _first_paid(oc, osec, paid, n_customers):
    """Per customer: index and time of the first paid order (-1 if none)."""
    idx = np.nonzero(paid)[0]  # orders are sorted by time
    pos = _first_per_group(oc[idx])
    first_idx = np.full(n_customers, -1)
    first_idx[oc[idx[pos]]] = idx[pos]
    first_sec = np.where(first_idx >= 0, osec[np.maximum(first_idx, 0)], -1)
    return first_idx, first_sec


def _referrals(rng, cal, cust, oc, osec, paid, ref_start):
    """Invitations of the refer-a-friend programme and the invitees' referrers."""
    n = len(cust["sec"])
    first_idx, first_sec = _first_paid(oc, osec, paid, n)
    invitee = np.nonzero(cust["channel"] == _CH["referral"])[0]
    sign = cust["sec"][invitee]
    t0 = ref_start * DAY
    gap = np.minimum(rng.exponential(1.5 * DAY, len(invitee)), sign - t0 - 60)
    invited = sign - np.maximum(gap, 60).astype(np.int64)
    n_lost = round(len(invitee) * (1 / _SIGNUP_PER_INVITE - 1))
    if len(invitee):
        lost = invited[rng.integers(0, len(invitee), n_lost)] + rng.integers(-3 * DAY, 3 * DAY,
                                                                              n_lost)
    else:
        lost = rng.integers(t0, cal.n * DAY, n_lost)
    lost = np.clip(lost, t0 + 60, cal.n * DAY - 1)
    t = np.concatenate([invited, lost])
    who = np.concatenate([invitee, np.full(n_lost, -1)])
    # referrers: a few enthusiastic customers, each eligible after their first paid order
    is_invitee = np.zeros(n, bool)
    is_invitee[invitee] = True
    pool = np.nonzero((first_idx >= 0) & ~is_invitee & (rng.random(n) < _ADVOCATE_SHARE))[0]
    if len(pool) == 0:
        pool = np.nonzero(first_idx >= 0)[0][:1] if (first_idx >= 0).any() else np.array([0])
    pool = pool[np.argsort(first_sec[pool], kind="stable")]
    n_elig = np.searchsorted(first_sec[pool], t, side="left")
    pick = np.where(n_elig > 0, (rng.random(len(t)) * np.maximum(n_elig, 1)).astype(np.int64), 0)
    referrer = pool[pick]
    order = np.argsort(t, kind="stable")
    t, who, referrer = t[order], who[order], referrer[order]
    signed = who >= 0
    first_order = np.where(signed, first_idx[np.maximum(who, 0)], -1)
    reward = np.where(first_order >= 0, _INVITEE_REWARD + _REFERRER_REWARD,
                      np.where(signed, _INVITEE_REWARD, 0.0))
    referred_by = np.full(n, -1)
    referred_by[who[signed]] = referrer[signed]
    refs = {"referrer": referrer, "invitee": who, "invited": t,
            "signed": np.where(signed, cust["sec"][np.maximum(who, 0)], _NO_TIME),
            "first_order": first_order, "reward": reward}
    return refs, referred_by


# --- coupons and discounts ----------------------------------------------------------------------
def _coupons(rng, cal, cust, camps, oc, osec, gross, camp_disc, sold, refs):
    """Issue coupons and redeem some on later orders paid at the time.

    Batches: a welcome coupon at sign-up in the period (the referral coupon for invitees),
    campaign coupons at each warm-up, the referrer's reward after the invitee's first order,
    win-back percent-off coupons for customers idle 90-180 days, and quarterly member-day
    coupons for gold members. An order carries at most one coupon.
    """
    n_orders = len(oc)
    n_cust = len(cust["sec"])
    cand = np.nonzero(sold)[0]
    cand = cand[np.lexsort((osec[cand], oc[cand]))]
    keys = oc[cand].astype(np.int64) * (1 << 32) + osec[cand]
    c_of, s_of = oc[cand], osec[cand]
    taken = np.full(n_orders, -1)
    batches = []

    def redeem(who, issued, expires, thr, p):
        pos = _next_order_after(keys, c_of, s_of, who, issued, expires - issued)
        order = np.where(pos >= 0, cand[np.maximum(pos, 0)], -1)
        ok = (order >= 0) & (rng.random(len(who)) < p)
        ok &= gross[np.maximum(order, 0)] >= thr * 100
        ok &= taken[np.maximum(order, 0)] < 0
        # two coupons of one batch cannot land on the same order
        sel = np.nonzero(ok)[0]
        keep = sel[_first_per_group(order[sel])]
        res = np.full(len(who), -1)
        res[keep] = order[keep]
        return res

    def add(who, kind, face, thr, issued, expires, camp, p):
        red = redeem(who, issued, expires, thr, p)
        batches.append({"cust": who, "kind": np.full(len(who), kind, dtype=object),
                        "face": np.broadcast_to(face, len(who)).astype(float),
                        "thr": np.broadcast_to(thr, len(who)).astype(float), "issued": issued,
                        "expires": expires, "camp": np.broadcast_to(camp, len(who)),
                        "order": red})
        hit = red >= 0
        taken[red[hit]] = sum(len(b["cust"]) for b in batches[:-1]) + np.nonzero(hit)[0]

    # 1. welcome coupons (for sign-ups in the period)
    inv = cust["channel"] == _CH["referral"]
    issued = cust["sec"].copy()
    new = (cust["sec"] >= 0) & ~inv
    everyone = np.arange(n_cust)
    add(everyone[new], "new_customer", 20.0, 99.0, issued[new], issued[new] + 30 * DAY, -1,
        0.75)
    add(everyone[inv], "referral", _INVITEE_REWARD, 99.0, issued[inv], issued[inv] + 30 * DAY,
        -1, 0.9)
    # 2. campaign coupons, handed out at the start of each warm-up
    for i, c in camps.iterrows():
        w = int(c.warmup_start_d) * DAY
        eligible = np.nonzero(cust["sec"] < w)[0]
        who = eligible[rng.random(len(eligible)) < 0.2]
        big = c.code in ("618", "D11")
        iss = w + rng.integers(0, 6 * 3600, len(who))
        exp = (int(c.end_date_d) + 1) * DAY - 1
        add(who, "threshold", 30.0 if big else 20.0, 299.0 if big else 199.0, iss,
            np.full(len(who), exp), i, 0.55)
    # 3. the referrer's reward once the invitee has paid
    fo = refs["first_order"]
    got = fo >= 0
    who = refs["referrer"][got]
    iss = osec[fo[got]] + 1
    add(who, "referral", _REFERRER_REWARD, 0.0, iss, iss + 60 * DAY, -1, 0.7)
    # 4. win-back: 10% off for customers idle for 90-180 days, on the 1st of each month
    nxt = np.full(len(cand), np.iinfo(np.int64).max)
    same = c_of[1:] == c_of[:-1]
    nxt[:-1][same] = s_of[1:][same]
    for mi in range(4, int(cal.month_index[-1]) + 1):
        T = int(np.argmax(cal.month_index == mi)) * DAY
        idle = (s_of >= T - 180 * DAY) & (s_of <= T - 90 * DAY) & (nxt > T)
        who = c_of[idle]
        who = who[rng.random(len(who)) < 0.5]
        iss = T + rng.integers(0, 8 * 3600, len(who))
        add(who, "percent_off", 0.1, 0.0, iss, iss + 14 * DAY, -1, 0.5)
    # 5. member day: a fixed coupon for gold members each quarter
    gold = np.nonzero(cust["tier"] == 2)[0]
    for mi in range(int(cal.month_index[-1]) + 1):
        d = int(np.argmax(cal.month_index == mi))
        if cal.month[d] not in (1, 4, 7, 10):
            continue
        T = d * DAY
        who = gold[cust["sec"][gold] < T]
        iss = T + rng.integers(9 * 3600, 11 * 3600, len(who))
        add(who, "fixed", 15.0, 150.0, iss, iss + 30 * DAY, -1, 0.6)

    cat = {k: np.concatenate([b[k] for b in batches]) for k in batches[0]}
    order = np.lexsort((cat["cust"], cat["issued"]))
    cat = {k: v[order] for k, v in cat.items()}
    rank = np.empty(len(order), dtype=np.int64)
    rank[order] = np.arange(len(order))
    ocoupon = np.where(taken >= 0, rank[np.maximum(taken, 0)], -1)
    has = ocoupon >= 0
    face = cat["face"][np.maximum(ocoupon, 0)]
    pct = cat["kind"][np.maximum(ocoupon, 0)] == "percent_off"
    cdisc = np.where(pct, np.round(face * (gross - camp_disc)), face * 100)
    cdisc = np.where(has, cdisc, 0).astype(np.int64)
    return cat, ocoupon, cdisc


def _allocate(io, line_gross, total):
    """Split each order's discount over its lines in proportion to their value (cents)."""
    og = np.bincount(io, weights=line_gross).astype(np.int64)
    alloc = (total[io] * line_gross) // np.maximum(og[io], 1)
    resid = total - np.bincount(io, weights=alloc, minlength=len(total)).astype(np.int64)
    order = np.lexsort((-line_gross, io))
    first = order[np.r_[0, np.nonzero(np.diff(io[order]))[0] + 1]]
    alloc[first] += resid[io[first]]
    return alloc


def _points(rng, n, oc, net, paid, cust):
    """Points earned (a point per yuan paid plus sign-in points) and points redeemed."""
    spend = np.bincount(oc[paid], weights=net[paid] / 100, minlength=n)
    buyer = np.bincount(oc[paid], minlength=n) > 0
    earned = np.floor(spend).astype(np.int64) + np.where(buyer, rng.poisson(60, n), 0)
    redeem = (earned >= 500) & (rng.random(n) < 0.15)
    red = (np.floor(earned * rng.uniform(0.2, 0.6, n) / 100) * 100).astype(np.int64)
    return earned, np.where(redeem, np.minimum(red, earned), 0)


# --- marketing spend ----------------------------------------------------------------------------
def _spend(rng, cal, cust, tr):
    """Daily spend, impressions and clicks per paid channel.

    Spend follows the channel's new customers (a two-week moving average) times a cost per
    customer that rises over time, scaled so the whole-period CAC is the planted one.
    """
    n = cal.n
    newc = np.zeros((n, len(CHANNELS)))
    inside = cust["day"] >= 0  # customers who signed up in the period
    np.add.at(newc, (cust["day"][inside], cust["channel"][inside]), 1)
    rows = []
    kernel = np.ones(14) / 14
    ctr = _CTR_START * (_CTR_TWO_YEARS / _CTR_START) ** (cal.years / 2)
    for c, cac in _CAC.items():
        k = _CH[c]
        total = cac * newc[:, k].sum()
        smooth = np.convolve(newc[:, k], kernel, mode="same") + 0.05 * newc[:, k].mean() + 1e-9
        raw = smooth * (1 + _CAC_GROWTH * cal.years) * np.exp(rng.normal(0, 0.12, n))
        spend = np.round(raw / raw.sum() * total * 100) / 100
        vis = tr["vis"][:, k, :].sum(1)
        clicks = np.minimum(np.round(vis * _CLICK_SHARE[k] * np.exp(rng.normal(0, 0.08, n))),
                            vis).astype(np.int64)
        imp = np.round(clicks / (ctr * np.exp(rng.normal(0, 0.05, n)))).astype(np.int64)
        rows.append(pd.DataFrame({"date": cal.dates, "channel": c, "spend": spend,
                                  "impressions": imp, "clicks": clicks}))
    df = pd.concat(rows, ignore_index=True)
    return df.sort_values(["date", "channel"], kind="stable").reset_index(drop=True)


# --- the tables ---------------------------------------------------------------------------------
def _take(ids: pd.Series, idx: np.ndarray) -> pd.Series:
    """``ids[idx]`` as a string Series, missing where ``idx`` is -1."""
    return pd.Series(ids.array.take(np.asarray(idx, dtype=np.int64), allow_fill=True))


def _assemble(rng, cal, prods, camps, cust, o, it, tr, peak_days, story, spend, cp, on_hand,
              inbound, refs, referred_by, pts):
    """Turn the index arrays into the schema's tables (ids as text, money in yuan).

    Campaign targets are set here, against what happened: every campaign reaches 103-120% of
    its GMV target except the planted miss at 85%.
    """
    start = cal.start
    n_cust = len(cust["sec"])
    # customers
    cid = _ids("", n_cust, max(8, len(str(n_cust))))
    tiers = pd.Series(["tier1", "tier2", "tier3", "tier4", "tier5"], dtype="str")
    ages = pd.Series(["18-24", "25-30", "31-40", "41-50", "51+"], dtype="str")
    customers = pd.DataFrame({
        "customer_id": cid, "signup_ts": _ts(start, cust["sec"]),
        "acquisition_channel": np.array(CHANNELS, dtype=object)[cust["channel"]],
        "city_tier": _take(tiers, cust["city"]), "age_band": _take(ages, cust["age"]),
        "member_tier": np.array(MEMBER_TIERS, dtype=object)[cust["tier"]],
        "points_earned": pts[0], "points_redeemed": pts[1],
        "referred_by": _take(cid, referred_by)})
    # products
    products = prods.copy()
    sku_ids = products["sku"].astype("str")
    # campaigns (targets come later, from the orders)
    camp_ids = camps["campaign_id"].astype("str")
    # orders: ids are the order date (yymmdd) and a running number within the day
    oday = o["sec"] // DAY
    first_of_day = np.searchsorted(oday, oday, side="left")
    seq = np.arange(len(oday)) - first_of_day + 1
    width = max(5, len(str(int(seq.max()) if len(seq) else 1)))
    prefix = pd.Series(cal.dates.strftime("%y%m%d"), dtype="str")
    oid = (_take(prefix, oday) + pd.Series(seq).astype("str").str.zfill(width))
    n_cp = len(cp["cust"])
    coupon_ids = _ids("CP", n_cp, max(8, len(str(n_cp))))
    status_names = np.array(["paid", "unpaid", "cancelled", "refunded"], dtype=object)
    orders = pd.DataFrame({
        "order_id": oid, "customer_id": _take(cid, o["cust"]),
        "order_ts": _ts(start, o["sec"]),
        "channel": np.array(CHANNELS, dtype=object)[o["ch"]],
        "device": np.array(DEVICES, dtype=object)[o["dev"]],
        "campaign_id": _take(camp_ids, o["camp"]), "coupon_id": _take(coupon_ids, o["coupon"]),
        "gross_amount": o["gross"] / 100, "discount_amount": o["disc"] / 100,
        "shipping_fee": o["ship_fee"] / 100, "net_amount": o["net"] / 100,
        "status": status_names[o["status"]], "shipped_ts": _ts(start, o["ship"]),
        "delivered_ts": _ts(start, o["deliv"])})
    items = pd.DataFrame({
        "order_id": _take(oid, it["order"]), "line_no": it["line"],
        "sku": _take(sku_ids, it["sku"]), "quantity": it["qty"],
        "unit_price": it["unit"] / 100, "discount_amount": it["disc"] / 100,
        "net_amount": (it["unit"] * it["qty"] - it["disc"]) / 100,
        "returned_qty": it["ret_qty"], "return_reason": it["ret_reason"]})
    # traffic
    nc, nd = len(CHANNELS), len(DEVICES)
    traffic = pd.DataFrame({
        "date": np.repeat(cal.dates.to_numpy(), nc * nd),
        "channel": np.tile(np.repeat(np.array(CHANNELS, dtype=object), nd), cal.n),
        "device": np.tile(np.array(DEVICES, dtype=object), cal.n * nc),
        "visitors": tr["vis"].ravel(), "product_views": tr["pv"].ravel(),
        "add_to_cart": tr["atc"].ravel(), "checkouts": tr["chk"].ravel(),
        "orders": tr["paid"].ravel().astype(np.int64)})
    n_pk = len(peak_days)
    hours = (cal.dates.to_numpy()[peak_days][:, None]
             + (np.arange(24) * 3600 * 10**9).astype("timedelta64[ns]")[None, :])
    load = tr["vis_h"].sum((2, 3)).astype(float)
    load = load / np.maximum(load.max(1, keepdims=True), 1)
    ms = _NORMAL_MS * (0.88 + 0.25 * load)[:, :, None, None] * np.array(
        [1.0, 1.15, 0.85, 1.05])[None, None, None, :]
    if story["slow"] is not None:
        i = int(np.searchsorted(peak_days, story["slow"][0]))
        ms[i, list(story["slow"][1])] = _SLOW_MS * np.array([1.0, 1.1, 0.9, 1.0])[None, None, :]
    ms = ms * np.exp(rng.normal(0, 0.06, (n_pk, 24, nc, nd)))
    hourly = pd.DataFrame({
        "ts_hour": np.repeat(hours.ravel(), nc * nd),
        "channel": np.tile(np.repeat(np.array(CHANNELS, dtype=object), nd), n_pk * 24),
        "device": np.tile(np.array(DEVICES, dtype=object), n_pk * 24 * nc),
        "visitors": tr["vis_h"].ravel(), "product_views": tr["pv_h"].ravel(),
        "add_to_cart": tr["atc_h"].ravel(), "orders": tr["paid_h"].ravel().astype(np.int64),
        "page_load_ms": np.round(ms.ravel(), 1)})
    # coupons
    kinds = cp["kind"]
    coupons = pd.DataFrame({
        "coupon_id": coupon_ids, "campaign_id": _take(camp_ids, cp["camp"]),
        "customer_id": _take(cid, cp["cust"]), "kind": kinds, "face_value": cp["face"],
        "threshold": cp["thr"], "issued_ts": _ts(start, cp["issued"]),
        "expires_ts": _ts(start, cp["expires"]),
        "redeemed_order_id": _take(oid, cp["order"])})
    # inventory: from the launch day on (the first row of an older SKU is its opening stock)
    launch = prods["launch_day"].to_numpy()
    dd, ss = np.nonzero(np.arange(cal.n)[:, None] >= launch[None, :])
    inventory = pd.DataFrame({"date": cal.dates.to_numpy()[dd], "sku": _take(sku_ids, ss),
                              "on_hand": on_hand[dd, ss], "inbound_qty": inbound[dd, ss]})
    # referrals
    n_ref = len(refs["invited"])
    referrals = pd.DataFrame({
        "referral_id": _ids("R", n_ref, max(7, len(str(n_ref)))),
        "referrer_id": _take(cid, refs["referrer"]), "invitee_id": _take(cid, refs["invitee"]),
        "invited_ts": _ts(start, refs["invited"]), "signed_up_ts": _ts(start, refs["signed"]),
        "first_order_id": _take(oid, refs["first_order"]), "reward_value": refs["reward"]})
    # campaigns: targets and budgets set against what happened (one campaign misses)
    paid = o["status"] == 0
    gmv = np.bincount(np.maximum(o["camp"], 0), weights=np.where(paid & (o["camp"] >= 0),
                      o["net"], 0) / 100, minlength=len(camps))
    first_idx, _ = _first_paid(o["cust"], o["sec"], paid, n_cust)
    fi = first_idx[(first_idx >= 0) & (cust["sec"] >= 0)]  # customers new in the period
    newc = np.bincount(np.maximum(o["camp"][fi], 0), weights=o["camp"][fi] >= 0,
                       minlength=len(camps))
    att = rng.uniform(1.03, 1.2, len(camps))
    if story["miss_i"] is not None:
        att[story["miss_i"]] = 0.85
    sp = spend.groupby("date")["spend"].sum().to_numpy()
    budget = np.array([sp[c.warmup_start_d:c.end_date_d + 1].sum() for c in camps.itertuples()])
    campaigns = camps.assign(
        budget=np.round(budget * rng.uniform(0.95, 1.1, len(camps)), -2),
        target_gmv=np.maximum(np.round(gmv / att, -2), 100.0),
        target_new_customers=np.ceil(newc / rng.uniform(0.9, 1.15, len(camps))).astype(np.int64))
    return {"customers": customers, "products": products, "orders": orders,
            "order_items": items, "traffic": traffic, "traffic_hourly": hourly,
            "marketing_spend": spend, "campaigns": campaigns, "coupons": coupons,
            "inventory": inventory, "referrals": referrals}


# --- truth: what was planted, measured on the finished tables ------------------------------
def _r(x, k=4):
    return None if x is None or not np.isfinite(x) else round(float(x), k)


def _div(a, b) -> float:
    """The ratio a / b, NaN when b is 0 (a story that a very small shop cannot show)."""
    return float(a) / float(b) if b else np.nan


def _truth(cal, t, story, stockout, params, item_order) -> dict:
    """Measure every planted story on the finished tables.

    ``item_order`` is the row of each order item's order in ``orders`` (the join of the two
    tables on order_id, known from the generator; it saves a merge on text keys).
    """
    o, it, tr, prods = t["orders"], t["order_items"], t["traffic"], t["products"]
    name_of = dict(zip(prods["sku"], prods["name"], strict=True))
    cat_of = dict(zip(prods["sku"], prods["category"], strict=True))
    paid = paid_orders(o)
    is_sold = status_mask(o, SHIPPED_STATUSES)[item_order]
    is_paid = paid_mask(o)[item_order]
    sold = it[is_sold].assign(
        order_ts=o["order_ts"].to_numpy()[item_order[is_sold]],
        customer_id=o["customer_id"].array.take(item_order[is_sold]),
        paid=is_paid[is_sold], order_pos=item_order[is_sold],
        category=it["sku"][is_sold].map(cat_of))
    truth: dict = {"params": params}

    # 1. the juicer's summer
    juicer = prods.loc[prods["name"] == _JUICER, "sku"].iloc[0]
    months = pd.period_range(cal.start, cal.end, freq="M")
    full = [m for m in months if m.start_time >= cal.start and m.end_time.normalize() <= cal.end]
    js = sold[sold["sku"] == juicer]
    units = js.groupby(js["order_ts"].dt.to_period("M"))["quantity"].sum().reindex(full,
                                                                                   fill_value=0)
    surge = units[[m.month in (6, 7, 8) for m in units.index]]
    rest = units[[m.month not in (6, 7, 8) for m in units.index]]
    truth["juicer_surge"] = {
        "sku": juicer, "name": _JUICER, "category": "appliances", "surge_months": [6, 7, 8],
        "planted_weight": _JUICER_SURGE,
        "multiplier": _r(surge.mean() / rest.mean()) if len(surge) and rest.mean() > 0 else None}

    # 2. the broken checkout
    bm = pd.Timestamp(cal.dates[story["month_start"][story["broken_month"]]])
    dev = tr[tr["device"] == _BROKEN_DEVICE]
    inside = dev["date"].dt.to_period("M").dt.start_time == bm
    truth["checkout_drop"] = {
        "device": _BROKEN_DEVICE, "month": bm, "step": "checkout -> paid",
        "normal_rate": _r(dev.loc[~inside, "orders"].sum() / dev.loc[~inside, "checkouts"].sum()),
        "broken_rate": _r(dev.loc[inside, "orders"].sum() / dev.loc[inside, "checkouts"].sum())}

    # 3. the channel with much traffic and poor conversion
    by = tr.groupby("channel")[["visitors", "orders"]].sum()
    c = "recommendation"
    others = by.drop(index=c).sum()
    truth["poor_channel"] = {
        "channel": c, "visitor_share": _r(by.loc[c, "visitors"] / by["visitors"].sum()),
        "conversion": _r(by.loc[c, "orders"] / by.loc[c, "visitors"]),
        "other_conversion": _r(others["orders"] / others["visitors"])}

    # 4. CAC and conversion per channel
    ms = t["marketing_spend"]
    spend = ms.groupby("channel")["spend"].sum()
    cu = t["customers"]
    newc = cu.loc[cu["signup_ts"] >= cal.start, "acquisition_channel"].value_counts()
    cac = {}
    for ch in CHANNELS:
        cac[ch] = {"spend": _r(spend.get(ch, 0.0), 2), "new_customers": int(newc.get(ch, 0)),
                   "cac": _r(spend.get(ch, np.nan) / newc.get(ch, np.nan), 2)
                   if ch in spend.index and newc.get(ch, 0) else None,
                   "conversion": _r(by.loc[ch, "orders"] / by.loc[ch, "visitors"])
                   if by.loc[ch, "visitors"] else None}
    truth["channel_cac"] = {
        "definition": "cac = marketing_spend.spend / customers acquired by the channel, whole "
                      "period; conversion = traffic.orders / traffic.visitors of the channel",
        "planted": {"xiaohongshu": {"cac": 50.0, "conversion": 0.08},
                    "douyin": {"cac": 80.0, "conversion": 0.05}},
        "by_channel": cac}

    # 5. the slow page on a peak day
    if story["slow"] is not None:
        h = t["traffic_hourly"]
        day = pd.Timestamp(cal.dates[story["slow"][0]])
        h = h[h["ts_hour"].dt.normalize() == day]
        slow_h = h["ts_hour"].dt.hour.isin(story["slow"][1])
        truth["slow_page"] = {
            "campaign_id": t["campaigns"].loc[story["slow_i"], "campaign_id"], "date": day,
            "hours": list(story["slow"][1]),
            "page_load_ms": _r(h.loc[slow_h, "page_load_ms"].mean(), 1),
            "normal_ms": _r(h.loc[~slow_h, "page_load_ms"].mean(), 1),
            "conversion_slow": _r(h.loc[slow_h, "orders"].sum() / h.loc[slow_h, "visitors"].sum()),
            "conversion_rest": _r(h.loc[~slow_h, "orders"].sum()
                                  / h.loc[~slow_h, "visitors"].sum())}
    else:
        truth["slow_page"] = None

    # 6. the campaign that missed its GMV target
    camps = t["campaigns"]
    gmv = paid.groupby("campaign_id")["net_amount"].sum()
    att = {cid: _r(gmv.get(cid, 0.0) / tg)
           for cid, tg in zip(camps["campaign_id"], camps["target_gmv"], strict=True)}
    if story["miss_i"] is not None:
        cid = camps.loc[story["miss_i"], "campaign_id"]
        truth["campaign_miss"] = {
            "campaign_id": cid, "gmv": _r(gmv.get(cid, 0.0), 2),
            "target_gmv": _r(camps.loc[story["miss_i"], "target_gmv"], 2),
            "attainment": att[cid], "attainment_by_campaign": att,
            "definition": "GMV = net_amount of orders with status paid and this campaign_id"}
    else:
        truth["campaign_miss"] = None

    # 7. cross-sell
    a = prods["sku"].iloc[story["cross_a"]]
    b = prods["sku"].iloc[story["cross_b"]]
    n_b = len(np.unique(item_order))  # baskets: the distinct order_ids of order_items
    with_a = set(it.loc[it["sku"] == a, "order_id"])
    with_b = set(it.loc[it["sku"] == b, "order_id"])
    both = len(with_a & with_b)
    conf = both / len(with_a) if with_a else np.nan
    truth["cross_sell"] = {"sku_a": a, "name_a": name_of[a], "sku_b": b, "name_b": name_of[b],
                           "support": _r(both / n_b, 5), "confidence": _r(conf),
                           "lift": _r(conf / (len(with_b) / n_b)) if with_b else None}

    # 8. slow movers and the stock-out
    inv = t["inventory"]
    last = inv[inv["date"] == cal.end].set_index("sku")["on_hand"]
    recent = sold[sold["order_ts"] >= cal.end - pd.Timedelta(days=89)]
    rate = recent.groupby("sku")["quantity"].sum().reindex(last.index, fill_value=0) / 90
    doi = (last / rate.replace(0, np.nan)).fillna(np.inf).where(last > 0, 0.0)
    slow = sorted(doi.index[doi > 180])
    truth["slow_movers"] = {
        "skus": slow, "names": [name_of[s] for s in slow], "as_of": cal.end,
        "days_of_inventory": {s: (_r(doi[s], 1) if np.isfinite(doi[s]) else None) for s in slow},
        "definition": "on_hand on the last day / (units sold in the last 90 days / 90)"}
    if stockout is not None:
        sku = prods["sku"].iloc[story["out_sku"]]
        rank = sold.groupby("sku")["quantity"].sum().rank(ascending=False, method="min")
        truth["stockout"] = {
            "sku": sku, "name": name_of[sku], "start": cal.dates[stockout[0]],
            "end": cal.dates[stockout[1]], "days": stockout[1] - stockout[0] + 1,
            "definition": "days whose closing on_hand is 0: the last units sell on the first "
                          "of them, nothing sells on the others",
            "campaign_id": camps.loc[story["out_i"], "campaign_id"],
            "warmup_start": camps.loc[story["out_i"], "warmup_start"],
            "rank": int(rank.get(sku, 0))}
    else:
        truth["stockout"] = None

    # 9. returns
    fix = pd.Timestamp(cal.dates[story["month_start"][story["fix_month"]]])
    ret = sold.assign(size=np.where(sold["return_reason"] == "size mismatch",
                                    sold["returned_qty"], 0))
    app = ret[ret["category"] == "apparel"]
    after = app["order_ts"] >= fix
    before_rate = _div(app.loc[~after, "size"].sum(), app.loc[~after, "quantity"].sum())
    after_rate = _div(app.loc[after, "size"].sum(), app.loc[after, "quantity"].sum())
    by_cat = ret.groupby("category")[["returned_qty", "quantity"]].sum()
    truth["apparel_returns"] = {
        "return_rate": _r(_div(app["returned_qty"].sum(), app["quantity"].sum())),
        "size_mismatch_share": _r(_div(app["size"].sum(), app["returned_qty"].sum())),
        "fix_month": fix, "planted_cut": _SIZE_FIX_CUT,
        "cut": _r(1 - _div(after_rate, before_rate)),
        "size_rate_before": _r(before_rate), "size_rate_after": _r(after_rate),
        "return_rate_by_category": {k: _r(v.returned_qty / v.quantity)
                                    for k, v in by_cat.iterrows()},
        "definition": "returned_qty / quantity over items of orders with status paid or "
                      "refunded; before/after by order month against fix_month"}

    # 10-11. repurchase
    pdays = paid.assign(day=paid["order_ts"].dt.normalize())
    signup = cu.set_index("customer_id")["signup_ts"]
    new_paid = pdays[(pdays["customer_id"].map(signup) >= cal.start).to_numpy()]
    ndays = pdays.groupby("customer_id")["day"].nunique()
    tier = t["customers"].set_index("customer_id")["member_tier"]
    rep = (ndays >= 2).groupby(tier.reindex(ndays.index)).mean()
    truth["tier_repurchase"] = {k: _r(rep.get(k, np.nan)) for k in MEMBER_TIERS}
    truth["tier_repurchase"]["definition"] = ("share of the tier's customers with a paid order "
                                              "who have paid orders on 2+ distinct days")
    truth["new_customers"] = _repeat_stats(new_paid, cal.end)
    beauty = sold[(sold["category"] == "beauty") & sold["paid"]]
    quarters = pd.period_range(cal.start, cal.end, freq="Q")
    full_q = [q for q in quarters if q.start_time >= cal.start
              and q.end_time.normalize() <= cal.end]
    bq = beauty.assign(q=beauty["order_ts"].dt.to_period("Q"),
                       day=beauty["order_ts"].dt.normalize())
    bq = bq[bq["q"].isin(full_q)].groupby(["q", "customer_id"])["day"].nunique()
    truth["new_customers"]["beauty_repurchase"] = _r((bq >= 2).mean()) if len(bq) else None
    truth["new_customers"]["definition"] = (
        "customers whose first paid order is 90+ (30+) days before the end; repeat = another "
        "paid order on a later day within 90 (30) days of the first. beauty_repurchase: over "
        "full calendar quarters, the share of (quarter, customer) pairs with beauty items in "
        "paid orders on 2+ distinct days of the quarter, among pairs with beauty in a paid "
        "order that quarter")

    # 12. points
    cu = t["customers"]
    truth["points"] = {"redemption_rate": _r(cu["points_redeemed"].sum()
                                             / cu["points_earned"].sum())}

    # 13. referrals
    rf = t["referrals"]
    firsts = rf["first_order_id"].notna().sum()
    referrers = rf["referrer_id"].nunique()
    truth["referrals"] = {
        "start": pd.Timestamp(cal.dates[story["ref_start"]]),
        "invitations": len(rf), "signed_up": int(rf["invitee_id"].notna().sum()),
        "first_orders": int(firsts), "referrers": int(referrers),
        "k_factor": _r(firsts / referrers) if referrers else None,
        "invitee_reward": _INVITEE_REWARD, "referrer_reward": _REFERRER_REWARD,
        "definition": "k_factor = invitations whose invitee placed a first paid order / "
                      "distinct referrer_id in referrals"}

    # shop-wide magnitudes
    sp = sold[sold["paid"]]
    one_cat = sp.groupby("order_pos")["category"]
    ncat = one_cat.nunique()
    cat1 = one_cat.first()[ncat == 1]
    aov_cat = pd.Series(o["net_amount"].to_numpy()[cat1.index]).groupby(cat1.to_numpy()).mean()
    clicks_first = ms[ms["date"] < cal.start + pd.Timedelta(days=90)]
    clicks_last = ms[ms["date"] > cal.end - pd.Timedelta(days=90)]
    cust = t["customers"]
    q1 = cust["signup_ts"].between(cal.start, cal.start + pd.Timedelta(days=91),
                                   inclusive="left")
    q4 = cust["signup_ts"] >= cal.end - pd.Timedelta(days=90)
    s1 = ms.loc[ms["date"] < cal.start + pd.Timedelta(days=91), "spend"].sum()
    s4 = ms.loc[ms["date"] >= cal.end - pd.Timedelta(days=90), "spend"].sum()
    h1 = cust["signup_ts"].between(cal.start, cal.start + pd.Timedelta(days=182),
                                   inclusive="left")
    h2 = cust["signup_ts"] >= cal.end - pd.Timedelta(days=181)
    acq = cust["acquisition_channel"]
    truth["magnitudes"] = {
        "conversion": _r(tr["orders"].sum() / tr["visitors"].sum()),
        "aov": _r(paid["net_amount"].mean(), 2),
        "aov_by_category": {k: _r(v, 2) for k, v in aov_cat.items()},
        "orders": len(o), "paid_orders": len(paid),
        "ctr_first_90d": _r(clicks_first["clicks"].sum() / clicks_first["impressions"].sum()),
        "ctr_last_90d": _r(clicks_last["clicks"].sum() / clicks_last["impressions"].sum()),
        "cac_first_quarter": _r(s1 / max(q1.sum(), 1), 2),
        "cac_last_quarter": _r(s4 / max(q4.sum(), 1), 2),
        "wechat_private_share_first_half_year": _r((acq[h1] == "wechat_private").mean()),
        "wechat_private_share_last_half_year": _r((acq[h2] == "wechat_private").mean()),
        "xiaohongshu_share_first_half_year": _r((acq[h1] == "xiaohongshu").mean()),
        "xiaohongshu_share_last_half_year": _r((acq[h2] == "xiaohongshu").mean())}
    return truth


def _repeat_stats(pdays: pd.DataFrame, end: pd.Timestamp) -> dict:
    """Repeat shares after the first purchase (``pdays``: customer_id, order_ts, day)."""
    d = pdays[["customer_id", "order_ts", "day"]]
    first = d.groupby("customer_id")["order_ts"].transform("min")
    later = (d["day"] > first.dt.normalize())
    gap = d["order_ts"] - first
    per = pd.DataFrame({"first": first, "g90": later & (gap <= pd.Timedelta(days=90)),
                        "g30": later & (gap <= pd.Timedelta(days=30))}).groupby(
        d["customer_id"]).agg({"first": "first", "g90": "any", "g30": "any"})
    res = {}
    for days in (90, 30):
        back = per[per["first"] <= end - pd.Timedelta(days=days)]
        res[f"repeat_{days}d"] = _r(back[f"g{days}"].mean()) if len(back) else None
        res[f"customers_{days}d"] = len(back)
    res["no_repeat_90d"] = _r(1 - res["repeat_90d"]) if res["repeat_90d"] is not None else None
    return res


# ------------------------------------------------------------------------------------------------
def generate(customers: int = 20000, start="2024-11-01", end="2026-10-31", seed: int = 7,
             out=None, *, overwrite: bool = False) -> Dataset:
    """Generate a synthetic shop with planted stories; optionally write it to a folder.

    Parameters
    ----------
    customers : int
        Customers in the shop. About 30% are the existing base, signed up in the 18 months
        before ``start`` (their earlier orders are not in the data); the rest sign up during
        the period. Two years give about three orders per customer.
    start, end : str or Timestamp
        First and last day (inclusive), between 2015-01-01 and 2040-12-31, at least 120 days.
    seed : int
        Seed of the one random generator everything is drawn from; same arguments, same shop.
    out : str or Path, optional
        Folder to write ``<table>.parquet`` for every table plus ``truth.json``. Written to a
        temporary sibling folder first and renamed into place.
    overwrite : bool
        Replace ``out`` if it exists and is not empty. Without it such a folder is refused.

    Returns
    -------
    Dataset
        Every table of the schema, ``source="generated"``, ``truth`` = the planted stories.

    Notes
    -----
    Truth keys (all computed from the finished tables with the definitions below; "paid" means
    status ``paid``; "sold" means orders paid at the time, status ``paid`` or ``refunded``):

    - ``params``: the arguments.
    - ``juicer_surge``: ``sku``, ``name``, ``surge_months`` [6, 7, 8], ``planted_weight``,
      ``multiplier`` = mean monthly units sold in surge months / mean in other months (full
      calendar months only).
    - ``checkout_drop``: ``device``, ``month`` (first day), ``normal_rate``, ``broken_rate``:
      ``traffic.orders / traffic.checkouts`` of the device outside / inside that month.
    - ``poor_channel``: ``channel``, ``visitor_share`` (of all visitors), ``conversion``
      (its orders / visitors), ``other_conversion`` (same for all other channels).
    - ``channel_cac``: per channel ``cac`` = spend in ``marketing_spend`` / customers with that
      ``acquisition_channel`` who signed up in the period, whole period; ``conversion`` =
      traffic orders / traffic visitors of the channel; ``planted``: xiaohongshu 50 yuan and
      8%, douyin 80 yuan and 5%.
    - ``slow_page``: ``campaign_id``, ``date``, ``hours``, ``page_load_ms`` and ``normal_ms``
      (mean over that day's cells), ``conversion_slow`` and ``conversion_rest`` (orders /
      visitors in ``traffic_hourly`` in the slow hours and in the other hours of the day).
    - ``campaign_miss``: ``campaign_id``, ``attainment`` = GMV / target_gmv, ``gmv``,
      ``target_gmv``; ``attainment_by_campaign`` for all. GMV = net_amount of paid orders
      carrying the campaign_id.
    - ``cross_sell``: ``sku_a``, ``sku_b``, ``support``, ``confidence`` = share of orders with A
      that also have B, ``lift`` = confidence / share of orders with B (baskets: every order_id
      in order_items).
    - ``slow_movers``: ``skus``, ``days_of_inventory`` per SKU = on_hand on the last day /
      (units sold in the last 90 days / 90); exactly these SKUs exceed 180 days.
    - ``stockout``: ``sku``, ``name``, ``start``, ``end`` (closing on_hand 0; the last units sell
      on ``start``, nothing sells after it until ``end``),
      ``days``, ``campaign_id`` (whose warm-up follows), ``rank`` (by units sold).
    - ``apparel_returns``: ``return_rate`` (returned / sold units, apparel),
      ``size_mismatch_share`` (of apparel returned units), ``fix_month``, ``planted_cut``,
      ``cut`` = 1 - (size-mismatch units / apparel units sold, from fix_month) / (same before),
      ``return_rate_by_category``.
    - ``tier_repurchase``: per tier, the share of its buyers (customers with a paid order)
      with paid orders on two or more distinct days.
    - ``new_customers``: over customers who signed up in the period (the others are the
      existing base) whose first paid order is 90+ (30+) days before the end:
      ``no_repeat_90d`` = share with no other paid order on a later day within 90 days of the
      first, ``repeat_90d``, ``repeat_30d``; ``beauty_repurchase`` = over full calendar
      quarters, the share of (quarter, customer) pairs with beauty items in paid orders on 2+
      distinct days of the quarter, among the pairs with any (all customers).
    - ``points``: ``redemption_rate`` = sum points_redeemed / sum points_earned.
    - ``referrals``: ``start``, ``k_factor`` = invitations with a first order / distinct
      referrers, ``invitations``, ``signed_up``, ``first_orders``, ``referrers``,
      ``invitee_reward``, ``referrer_reward`` (reward_value is 0 without sign-up, the invitee's
      coupon after sign-up, both rewards after the first order).
    - ``magnitudes``: overall conversion, AOV, AOV by category (single-category paid orders),
      CTR of the first and last 90 days, CAC of the first and last quarter,
      wechat_private and xiaohongshu share of new customers in the first and last half year.
    - the side tables' keys (search, service, content, experiments, staff).

    Examples
    --------
    >>> ds = generate(customers=300, start="2025-01-01", end="2025-06-30", seed=1)
    >>> sorted(ds.tables) == sorted(TABLES)
    True
    """
    cal, n_customers, seed = _check_args(customers, start, end, seed)
    out_path = _check_out(out, overwrite)
    root = np.random.default_rng(seed)
    (r_prod, r_cust, r_chk, r_chan, r_stat, r_item, r_ret, r_ship, r_ref, r_coup, r_pts,
     r_traf, r_spend, r_inv, r_camp, r_side) = root.spawn(16)
    side_rngs = r_side.spawn(5)

    prods = _products(r_prod, cal)
    camps = _campaign_calendar(cal)
    order_m, signup_m, camp_of_day, phase = _day_profiles(cal, camps)
    weights = _sku_weights(cal, prods, camps)
    peak_day = phase == 2
    story = _plan_stories(cal, camps, prods)

    # customers and their checkouts
    cust = _customers_base(r_cust, cal, n_customers, signup_m, story["ref_start"])
    oc, osec, ofirst = _checkouts(r_chk, cal, cust, order_m, peak_day)
    oday = osec // DAY
    ohour = (osec % DAY) // 3600
    och, odev = _order_channels(r_chan, cal, cust, oc, osec, ofirst, story["ref_start"])
    n_orders = len(oc)

    # checkout -> paid, with the broken device-month and the slow first hours of a peak day
    p_paid = _PAID_BY_DEVICE[odev].copy()
    broken = (odev == _DEV[_BROKEN_DEVICE]) & (cal.month_index[oday] == story["broken_month"])
    p_paid[broken] = _BROKEN_PAID
    if story["slow"] is not None:
        p_paid[(oday == story["slow"][0]) & np.isin(ohour, story["slow"][1])] *= _SLOW_PAID_FACTOR
    u = r_stat.random(n_orders)
    status = np.where(u < p_paid, 0, np.where(u < p_paid + (1 - p_paid) * 0.65, 1, 2))
    # 0 paid, 1 unpaid, 2 cancelled; 3 refunded is set once the returns are known

    io, isku, iqty, iline = _items(r_item, cal, prods, weights, cust, oc, oday, story)
    icat = prods["category"].map(_CAT).to_numpy()[isku]
    ret_qty, ret_reason = _returns(r_ret, io, icat, iqty, oday, status, cal, story)
    full = np.bincount(io, weights=(ret_qty == iqty), minlength=n_orders)
    status[(status == 0) & (full == np.bincount(io, minlength=n_orders))] = 3
    sold_mask = (status == 0) | (status == 3)  # paid at the time
    paid_mask = status == 0
    ship, deliv = _shipping(r_ship, osec, sold_mask, peak_day[oday], cust, oc)
    refs, referred_by = _referrals(r_ref, cal, cust, oc, osec, paid_mask, story["ref_start"])

    # prices (members pay member prices), campaign threshold discounts, coupons
    unit = np.round(prods["list_price"].to_numpy()[isku] * 100
                    * np.array(_TIER_PRICE)[cust["tier"][oc[io]]]).astype(np.int64)
    line_gross = unit * iqty
    gross = np.bincount(io, weights=line_gross, minlength=n_orders).astype(np.int64)
    ocamp = camp_of_day[oday]
    thr = np.append(camps["threshold"].to_numpy() * 100, np.inf)[ocamp]
    disc = np.append(camps["discount"].to_numpy() * 100, 0)[ocamp]
    camp_disc = np.where(gross >= thr, disc, 0).astype(np.int64)
    coupons, ocoupon, coupon_disc = _coupons(r_coup, cal, cust, camps, oc, osec, gross,
                                             camp_disc, sold_mask, refs)
    total_disc = np.minimum(camp_disc + coupon_disc, gross)
    line_disc = _allocate(io, line_gross, total_disc)
    ship_fee = np.where(gross - total_disc < 9900, 800, 0).astype(np.int64)
    net = gross - total_disc + ship_fee
    pts = _points(r_pts, n_customers, oc, net, paid_mask, cust)

    # traffic, spend, inventory
    active = np.ones((cal.n, len(CHANNELS)), bool)
    active[: story["ref_start"] + 1, _CH["referral"]] = False
    peak_days = np.nonzero(peak_day)[0]
    tr = _traffic(r_traf, cal, och, odev, oday, ohour, sold_mask.astype(float), peak_days,
                  story["slow"], active)
    spend = _spend(r_spend, cal, cust, tr)
    sold_units = np.zeros((cal.n, len(prods)))
    sm = sold_mask[io]
    np.add.at(sold_units, (oday[io][sm], isku[sm]), iqty[sm])
    on_hand, inbound, stockout = _inventory(r_inv, cal, prods, sold_units, story)

    o = {"cust": oc, "sec": osec, "ch": och, "dev": odev, "camp": ocamp, "coupon": ocoupon,
         "gross": gross, "disc": total_disc, "ship_fee": ship_fee, "net": net, "status": status,
         "ship": ship, "deliv": deliv}
    it = {"order": io, "sku": isku, "qty": iqty, "line": iline, "unit": unit, "disc": line_disc,
          "ret_qty": ret_qty, "ret_reason": ret_reason}
    tables = _assemble(r_camp, cal, prods, camps, cust, o, it, tr, peak_days, story, spend,
                       coupons, on_hand, inbound, refs, referred_by, pts)
    tables = {name: _conform(name, df) for name, df in tables.items()}
    params = {"customers": n_customers, "start": cal.start, "end": cal.end, "seed": seed}
    truth = _truth(cal, tables, story, stockout, params, io)

    # --- side tables -------------------------------------------------------------------------
    def merge(part: dict) -> None:
        clash = set(part) & set(truth)
        if clash:
            raise RuntimeError(f"generate: internal error, truth keys {sorted(clash)} twice")
        truth.update(part)

    st, part = gen_side.make_search_terms(side_rngs[0], products=tables["products"],
                                          order_items=tables["order_items"],
                                          orders=tables["orders"], start=cal.start,
                                          end=cal.end, truth=truth)
    tables["search_terms"] = st
    merge(part)
    tk, part = gen_side.make_service_tickets(side_rngs[1], customers=tables["customers"],
                                             orders=tables["orders"],
                                             campaigns=tables["campaigns"], start=cal.start,
                                             end=cal.end)
    tables["service_tickets"] = tk
    merge(part)
    cp, part = gen_side.make_content_posts(side_rngs[2], products=tables["products"],
                                           campaigns=tables["campaigns"], start=cal.start,
                                           end=cal.end)
    tables["content_posts"] = cp
    merge(part)
    ex, part = gen_side.make_experiments(side_rngs[3], start=cal.start, end=cal.end)
    tables["experiments"] = ex
    merge(part)
    (sf, sk, sr), part = gen_side.make_staff(side_rngs[4], start=cal.start, end=cal.end)
    tables["staff"], tables["staff_kpis"], tables["staff_reviews"] = sf, sk, sr
    merge(part)

    tables = {name: _conform(name, tables[name]) for name in TABLES}  # side tables too
    truth = _jsonable(truth)
    ds = Dataset(tables, source="generated", truth=truth)
    if out_path is not None:
        _write(ds, out_path, overwrite)
    return ds


# --- argument checks and output -----------------------------------------------------------------
def _check_args(customers, start, end, seed):
    if isinstance(customers, bool) or not isinstance(customers, (int, np.integer)):
        raise TypeError(f"generate: customers must be a whole number, got {customers!r}.")
    if customers < 200:
        raise ValueError(f"generate: customers={customers} is too few to plant the stories; "
                         f"use at least 200.")
    try:
        s, e = pd.Timestamp(start), pd.Timestamp(end)
    except (ValueError, TypeError) as exc:
        raise ValueError(f"generate: start={start!r} / end={end!r} are not dates "
                         f"(use 'YYYY-MM-DD').") from exc
    if s.tzinfo is not None or e.tzinfo is not None:
        raise ValueError("generate: start and end must be plain dates without a time zone.")
    lo, hi = pd.Timestamp("2015-01-01"), pd.Timestamp("2040-12-31")
    if s < lo or e > hi:
        raise ValueError(f"generate: dates must lie between {lo.date()} and {hi.date()} "
                         f"(the festival calendar's range); got {s.date()} to {e.date()}.")
    if (e.normalize() - s.normalize()).days + 1 < 120:
        raise ValueError(f"generate: the period {s.date()} to {e.date()} is shorter than "
                         f"120 days; campaigns, retention and experiments need longer.")
    if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)) or seed < 0:
        raise TypeError(f"generate: seed must be a non-negative whole number, got {seed!r}.")
    return _calendar(s, e), int(customers), int(seed)


def _check_out(out, overwrite):
    if out is None:
        return None
    path = Path(out)
    if path.exists():
        if not path.is_dir():
            raise FileExistsError(f"generate: out={str(path)!r} exists and is a file, "
                                  f"not a folder; choose another path.")
        if any(path.iterdir()) and not overwrite:
            raise FileExistsError(
                f"generate: the folder {str(path)!r} exists and is not empty; refusing to "
                f"replace its files. Pass overwrite=True to replace it, or choose an empty "
                f"or new folder.")
    return path


def _write(ds: Dataset, path: Path, overwrite: bool) -> None:
    """Write the tables and truth.json into ``path`` via a temporary sibling folder."""
    path = path.absolute()
    path.parent.mkdir(parents=True, exist_ok=True)
    while True:  # a fresh sibling; mkdir (unlike mkdtemp) honours the umask
        tmp = path.parent / f".{path.name}.tmp-{secrets.token_hex(4)}"
        try:
            tmp.mkdir()
            break
        except FileExistsError:
            continue
    try:
        for name, df in ds.items():
            df.to_parquet(tmp / f"{name}.parquet", engine="pyarrow", compression="zstd",
                          index=False)
        (tmp / "truth.json").write_text(json.dumps(ds.truth, indent=2, ensure_ascii=False)
                                        + "\n", encoding="utf-8")
        if path.exists():
            if any(path.iterdir()) and not overwrite:
                raise FileExistsError(f"generate: the folder {str(path)!r} was filled while "
                                      f"generating; refusing to replace it.")
            old = path.parent / f".{path.name}.old-{secrets.token_hex(4)}"
            path.rename(old)
            try:
                tmp.rename(path)
            except BaseException:
                old.rename(path)  # put the previous folder back
                raise
            shutil.rmtree(old, ignore_errors=True)
        else:
            tmp.rename(path)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise


def _conform(name: str, df: pd.DataFrame) -> pd.DataFrame:
    """Exactly the schema's columns, in its order, with the kit's dtypes."""
    table = TABLES[name]
    missing = [c for c in table.column_names if c not in df.columns]
    if missing:
        raise RuntimeError(f"generate: internal error, table {name!r} lacks {missing}.")
    out = {}
    for col in table.columns:
        s = df[col.name]
        if col.kind == "str":
            s = s.astype("str")
        elif col.kind == "int":  # as the loader reads it: Int64 only when values are missing
            s = s.astype("int64") if s.notna().all() else s.astype("Int64")
        elif col.kind == "float":
            s = s.astype("float64")
        elif col.kind in ("datetime", "date"):
            s = s.astype("datetime64[ns]")
            if col.kind == "date":
                s = s.dt.normalize()
        elif col.kind == "bool":
            s = s.astype(bool)
        out[col.name] = s.reset_index(drop=True)
    return pd.DataFrame(out)


def _jsonable(x):
    if isinstance(x, dict):
        return {str(k): _jsonable(v) for k, v in x.items()}
    if isinstance(x, (list, tuple, np.ndarray)):
        return [_jsonable(v) for v in x]
    if isinstance(x, (pd.Timestamp, np.datetime64)):
        ts = pd.Timestamp(x)
        return ts.date().isoformat() if ts == ts.normalize() else ts.isoformat()
    if isinstance(x, np.integer):
        return int(x)
    if isinstance(x, np.floating):
        return None if np.isnan(x) else float(x)
    if isinstance(x, float) and np.isnan(x):
        return None
    if isinstance(x, np.bool_):
        return bool(x)
    return x
