"""Time the monthly review end to end on the demo shop, and (optionally) the test suite.

    python benchmarks/bench_review.py            # `playbook review` on the demo shop, 3 runs
    python benchmarks/bench_review.py --tests    # ... and `python -m pytest -q -x`
    python benchmarks/bench_review.py --strict   # exit 1 when the review misses its goal

The review runs as a user runs it (a fresh `playbook review` process, kernel start included),
into a temporary folder. The phases inside it are timed separately in this process: loading the
demo shop, the KPI table, and the notebook run (papermill + HTML export).
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
GOAL_REVIEW_S = 20.0


def _timed(fn):
    t0 = time.perf_counter()
    out = fn()
    return out, time.perf_counter() - t0


def bench_phases(month: str | None) -> dict[str, float]:
    from playbook_lib import metrics, report, review
    from playbook_lib.data import load_dataset

    ds, t_load = _timed(lambda: load_dataset("demo"))
    m = month or metrics.latest_full_month(ds)
    _, t_kpis = _timed(lambda: metrics.monthly_kpis(ds, m))
    with tempfile.TemporaryDirectory() as tmp:
        _, t_run = _timed(lambda: report.run_notebook(
            review.REVIEW_NOTEBOOK, params={"MONTH": m}, out_dir=tmp,
            output_name=f"monthly_review_{m}"))
    return {"load demo shop": t_load, "monthly_kpis": t_kpis,
            "notebook run + HTML (in process)": t_run}


def bench_cli(month: str | None, repeat: int) -> list[float]:
    times = []
    for _ in range(repeat):
        with tempfile.TemporaryDirectory() as tmp:
            cmd = [sys.executable, "-m", "playbook_lib.cli", "review", "--out", tmp]
            if month:
                cmd += ["--month", month]
            t0 = time.perf_counter()
            proc = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, check=False)
            times.append(time.perf_counter() - t0)
            if proc.returncode != 0:
                sys.exit(f"playbook review failed:\n{proc.stdout}\n{proc.stderr}")
            if not list(Path(tmp).glob("monthly_review_*.html")) or \
                    not (Path(tmp) / "kpis.json").exists():
                sys.exit(f"playbook review wrote no report into {tmp}")
    return times


def bench_tests() -> tuple[float, str]:
    t0 = time.perf_counter()
    proc = subprocess.run([sys.executable, "-m", "pytest", "-q", "-x", "-p", "no:cacheprovider"],
                          cwd=ROOT, capture_output=True, text=True, check=False)
    took = time.perf_counter() - t0
    last = (proc.stdout.strip().splitlines() or ["(no output)"])[-1]
    return took, last


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--month", help="YYYY-MM (default: the latest full month)")
    p.add_argument("--repeat", type=int, default=3, help="end-to-end runs (3)")
    p.add_argument("--tests", action="store_true", help="also time the full test suite")
    p.add_argument("--strict", action="store_true", help="exit 1 if the review misses the goal")
    args = p.parse_args(argv)

    print(f"Python {sys.version.split()[0]} at {sys.executable}")
    for name, secs in bench_phases(args.month).items():
        print(f"  {name:<36} {secs:6.2f} s")
    times = bench_cli(args.month, args.repeat)
    best, med = min(times), statistics.median(times)
    ok = med < GOAL_REVIEW_S
    print(f"playbook review (end to end, {len(times)} runs): median {med:.1f} s, best {best:.1f} s "
          f"[goal < {GOAL_REVIEW_S:.0f} s: {'met' if ok else 'MISSED'}]")
    if args.tests:
        took, last = bench_tests()
        print(f"test suite (python -m pytest -q -x): {took:.1f} s  [{last}]")
    return 1 if args.strict and not ok else 0


if __name__ == "__main__":
    sys.exit(main())
