"""Time and memory of the demo-shop generator.

Runs each size in its own Python process (so peak memory is that size's own), writing the
shop to a temporary folder as ``playbook generate`` does, and prints the figures beside the
goals: the 20k-customer demo shop under 20 s; a 1M-customer, 24-month shop under 120 s and
8 GB. Usage::

    python benchmarks/bench_generate.py                 # 20k reference and 1M
    python benchmarks/bench_generate.py --customers 200000
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

GOALS = {20_000: (20.0, None), 1_000_000: (120.0, 8.0)}  # seconds, GB
START, END = "2024-11-01", "2026-10-31"


def run_one(customers: int, write: bool) -> dict:
    """Generate one shop in this process; return seconds, peak memory and row counts."""
    import resource

    from playbook_lib.data.generate import generate

    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "shop" if write else None
        t0 = time.perf_counter()
        ds = generate(customers=customers, start=START, end=END, seed=7, out=out)
        seconds = time.perf_counter() - t0
        size = sum(p.stat().st_size for p in out.iterdir()) / 1e6 if write else None
    peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # kilobytes on Linux
    return {"customers": customers, "seconds": round(seconds, 2),
            "peak_gb": round(peak_kb / 1e6, 2), "parquet_mb": size and round(size, 1),
            "orders": len(ds.orders), "order_items": len(ds.order_items)}


def measure(customers: int, write: bool) -> dict:
    """Run :func:`run_one` in a fresh interpreter and return its figures."""
    cmd = [sys.executable, __file__, "--one", str(customers)] + ([] if write else ["--no-write"])
    res = subprocess.run(cmd, capture_output=True, text=True, check=True,
                         cwd=Path(__file__).resolve().parents[1])
    return json.loads(res.stdout.strip().splitlines()[-1])


def report(r: dict, reference: dict | None) -> str:
    goal_s, goal_gb = GOALS.get(r["customers"], (None, None))
    parts = [f"{r['customers']:>9,} customers: {r['seconds']:7.2f} s, peak {r['peak_gb']:.2f} GB",
             f"{r['orders']:,} orders, {r['order_items']:,} items"]
    if r["parquet_mb"] is not None:
        parts.append(f"{r['parquet_mb']} MB parquet")
    if goal_s:
        parts.append(f"time {r['seconds'] / goal_s:.0%} of the {goal_s:.0f} s goal")
    if goal_gb:
        parts.append(f"memory {r['peak_gb'] / goal_gb:.0%} of the {goal_gb:.0f} GB goal")
    if reference and reference is not r:
        parts.append(f"{r['seconds'] / reference['seconds']:.1f}x the 20k time")
    return "; ".join(parts)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--customers", type=int, default=1_000_000,
                    help="size of the big shop (default 1,000,000)")
    ap.add_argument("--no-write", action="store_true", help="do not write Parquet files")
    ap.add_argument("--one", type=int, help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.one:
        print(json.dumps(run_one(args.one, not args.no_write)))
        return 0
    ref = measure(20_000, not args.no_write)
    print(report(ref, None), flush=True)
    if args.customers != 20_000:
        big = measure(args.customers, not args.no_write)
        print(report(big, ref))
        goal_s, goal_gb = GOALS.get(args.customers, (None, None))
        if goal_s and (big["seconds"] > goal_s or big["peak_gb"] > goal_gb):
            print("goal missed")
            return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
