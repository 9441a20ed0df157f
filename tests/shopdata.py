"""A tiny, valid, hand-built shop for loader and validator tests (every rule satisfied)."""

from __future__ import annotations

import pandas as pd


def tiny_shop() -> dict[str, pd.DataFrame]:
    ts = pd.to_datetime
    customers = pd.DataFrame({
        "customer_id": ["007", "008", "010"],
        "signup_ts": ts(["2026-01-02 09:00", "2026-01-03 10:00", "2026-02-01 08:30"]),
        "acquisition_channel": ["search", "douyin", "referral"],
        "member_tier": ["gold", "regular", "silver"],
        "points_earned": [120, 30, 0],
        "points_redeemed": [10, 0, 0],
        "referred_by": [None, None, "007"],
    })
    products = pd.DataFrame({
        "sku": ["A01", "B02"], "name": ["Portable Juicer", "Silk Scarf"],
        "category": ["appliances", "apparel"], "list_price": [199.0, 89.0],
        "unit_cost": [120.0, 30.0], "lead_time_days": [14, 21], "is_seasonal": [True, False],
    })
    campaigns = pd.DataFrame({
        "campaign_id": ["C618"], "name": ["618"], "kind": ["festival"],
        "warmup_start": ts(["2026-06-01"]), "peak_start": ts(["2026-06-16"]),
        "peak_end": ts(["2026-06-18"]), "end_date": ts(["2026-06-20"]),
        "budget": [5000.0], "target_gmv": [100000.0], "target_new_customers": [100],
        "threshold": [300.0], "discount": [50.0],
    })
    orders = pd.DataFrame({
        "order_id": ["O1", "O2", "O3"], "customer_id": ["007", "008", "007"],
        "order_ts": ts(["2026-01-05 10:00", "2026-01-06 11:00", "2026-06-17 20:00"]),
        "channel": ["search", "douyin", "search"], "device": ["app", "pc", "app"],
        "campaign_id": [None, None, "C618"], "coupon_id": [None, None, "K1"],
        "gross_amount": [199.0, 178.0, 398.0], "discount_amount": [0.0, 0.0, 50.0],
        "shipping_fee": [0.0, 10.0, 0.0], "net_amount": [199.0, 188.0, 348.0],
        "status": ["paid", "paid", "paid"],
        "shipped_ts": ts(["2026-01-05 18:00", "2026-01-07 09:00", "2026-06-18 09:00"]),
        "delivered_ts": ts(["2026-01-07 12:00", "2026-01-09 15:00", "2026-06-20 10:00"]),
    })
    order_items = pd.DataFrame({
        "order_id": ["O1", "O2", "O3"], "line_no": [1, 1, 1], "sku": ["A01", "B02", "A01"],
        "quantity": [1, 2, 2], "unit_price": [199.0, 89.0, 199.0],
        "discount_amount": [0.0, 0.0, 50.0], "net_amount": [199.0, 178.0, 348.0],
        "returned_qty": [0, 1, 0], "return_reason": [None, "size mismatch", None],
    })
    coupons = pd.DataFrame({
        "coupon_id": ["K1", "K2"], "campaign_id": ["C618", None], "customer_id": ["007", "008"],
        "kind": ["threshold", "percent_off"], "face_value": [50.0, 0.15],
        "threshold": [300.0, 0.0], "issued_ts": ts(["2026-06-01", "2026-01-01"]),
        "expires_ts": ts(["2026-06-30", "2026-03-01"]), "redeemed_order_id": ["O3", None],
    })
    experiments = pd.DataFrame({
        "experiment_id": ["E1", "E1"], "name": ["page", "page"],
        "date": ts(["2026-03-01", "2026-03-01"]), "variant": ["A", "B"],
        "visitors": [1000, 1000], "conversions": [30, 36], "revenue": [3000.0, 3600.0],
    })
    return {"customers": customers, "products": products, "campaigns": campaigns,
            "orders": orders, "order_items": order_items, "coupons": coupons,
            "experiments": experiments}


def write_csvs(frames: dict[str, pd.DataFrame], folder, encoding: str = "utf-8") -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for name, df in frames.items():
        df.to_csv(folder / f"{name}.csv", index=False, encoding=encoding)
