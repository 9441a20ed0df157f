"""Time the inventory and assortment functions of playbook_lib.products on a generated shop.

Times :func:`inventory_kpis` (last 90 days per SKU, and the whole period per category),
:func:`abc_classes` (on the paid lines from :func:`sold_items`, timed separately) and
:func:`bundle_candidates` (every slow mover against every class-A SKU) on a shop made by
``playbook_lib.data.generate.generate``. Each function runs ``--repeat`` times; the best time
is reported, as ``timeit`` does.

Usage::

    .venv/bin/python benchmarks/bench_products.py                      # 1M customers
    .venv/bin/python benchmarks/bench_products.py --customers 50000    # a quick run
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import pandas as pd  # noqa: E402

from playbook_lib import products  # noqa: E402


def _best(fn, repeat: int):
    """Run ``fn`` ``repeat`` times; return (best seconds, last result)."""
    best, result = float("inf"), None
    for _ in range(repeat):
        t0 = time.perf_counter()
        result = fn()
        best = min(best, time.perf_counter() - t0)
    return best, result


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--customers", type=int, default=1_000_000)
    parser.add_argument("--start", default="2024-11-01")
    parser.add_argument("--end", default="2026-10-31")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)

    from playbook_lib.data.generate import generate

    t0 = time.perf_counter()
    ds = generate(customers=args.customers, start=args.start, end=args.end, seed=args.seed)
    print(f"generated {ds!r} in {time.perf_counter() - t0:.1f} s")

    end = ds.inventory["date"].max()
    start = end - pd.Timedelta(days=89)
    first = ds.inventory["date"].min()
    inv, items, orders, prods = ds.inventory, ds.order_items, ds.orders, ds.products

    rows = []

    def record(name, seconds, out):
        rows.append((name, seconds, len(out) if hasattr(out, "__len__") else 1))

    t, kpis = _best(lambda: products.inventory_kpis(inv, items, orders, prods, start=start,
                                                     end=end), args.repeat)
    record("inventory_kpis (90 days, by sku)", t, kpis)
    t, out = _best(lambda: products.inventory_kpis(inv, items, orders, prods, start=first,
                                                    end=end, by="category"), args.repeat)
    record("inventory_kpis (whole period, by category)", t, out)
    t, paid = _best(lambda: products.sold_items(items, orders), args.repeat)
    record("sold_items (paid lines)", t, paid)
    t, abc = _best(lambda: products.abc_classes(paid), args.repeat)
    record("abc_classes (on the paid lines)", t, abc)
    slow = products.slow_movers(kpis)["key"].tolist()
    hot = abc.loc[abc["abc_class"] == "A", "key"].tolist()
    t, pairs = _best(lambda: products.bundle_candidates(paid, slow_skus=slow, hot_skus=hot,
                                                        min_orders=3), args.repeat)
    record(f"bundle_candidates ({len(slow)} slow x {len(hot)} hot)", t, pairs)

    print(f"\norder_items: {len(items):,} lines, orders: {len(orders):,}, "
          f"inventory: {len(inv):,} rows; best of {args.repeat}")
    width = max(len(r[0]) for r in rows)
    print(f"{'function':<{width}}  {'seconds':>8}  {'rows out':>9}")
    for name, seconds, n in rows:
        print(f"{name:<{width}}  {seconds:8.3f}  {n:9,d}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
