"""Benchmark playbook_lib.users against the field's fast tools, on the same data in one run.

- ``rfm_table`` against the same query in DuckDB SQL;
- ``cohort_retention`` (monthly) against the same computation in polars (lazy);
- ``fit_bgnbd`` against lifetimes' ``BetaGeoFitter`` on simulated BG/NBD customers.

DuckDB, polars and lifetimes are benchmark-only extras (not dependencies of the kit):

    .venv/bin/python -m pip install duckdb polars lifetimes
    .venv/bin/python benchmarks/bench_users.py                 # 10M orders, 100k customers
    .venv/bin/python benchmarks/bench_users.py --orders 1000000  # smaller machine

Each timing is the best of ``--repeat`` runs. Results are checked against each other before
they are timed, so a fast wrong answer cannot win. A missing extra skips its comparison with a
message; the playbook_lib timings still run.
"""

from __future__ import annotations

import argparse
import os
import platform
import time
import warnings

import numpy as np
import pandas as pd

from playbook_lib import users
from playbook_lib.users.clv import _bgnbd_loglik

AS_OF = pd.Timestamp("2026-01-01")


def optional(name: str):
    """Import a benchmark-only extra, or say how to install it and return None."""
    try:
        return __import__(name)
    except ImportError:
        print(f"  [skipped] {name} is not installed: it is a benchmark-only extra. "
              f"Install it with `.venv/bin/python -m pip install {name}` to compare.")
        return None


def best_of(func, repeat: int) -> tuple[float, object]:
    """Best wall-clock time of ``repeat`` calls, and the last result."""
    best, result = float("inf"), None
    for _ in range(repeat):
        start = time.perf_counter()
        result = func()
        best = min(best, time.perf_counter() - start)
    return best, result


def synthetic_orders(n_orders: int, n_customers: int, seed: int) -> pd.DataFrame:
    """A synthetic orders table: text customer ids, two years of timestamps, 90% paid.

    Each customer gets a first-purchase moment; their orders fall after it, so cohorts and
    recency look like a shop's rather than uniform noise.
    """
    rng = np.random.default_rng(seed)
    start = np.datetime64("2024-01-01T00:00:00", "s").astype(np.int64)
    span = 2 * 365 * 86_400
    first = rng.integers(0, span, n_customers)
    # a skewed share of orders per customer: a few buy often, most buy once or twice
    weights = rng.pareto(1.5, n_customers) + 1.0
    customer = rng.choice(n_customers, size=n_orders, p=weights / weights.sum())
    offset = (rng.random(n_orders) * (span - first[customer])).astype(np.int64)
    ts = ((start + first[customer] + offset) * 10**9).view("datetime64[ns]")
    ids = pd.array(np.char.add("C", np.char.zfill(np.arange(n_customers).astype(str), 8)),
                   dtype="str")
    status = np.array(["paid", "cancelled", "refunded", "unpaid"], dtype=object)[
        rng.choice(4, size=n_orders, p=[0.9, 0.04, 0.03, 0.03])]
    return pd.DataFrame({"customer_id": ids.take(customer), "order_ts": ts,
                         "net_amount": rng.gamma(2.0, 80.0, n_orders).round(2),
                         "status": pd.array(status, dtype="str")})


# ------------------------------------------------------------------------------------------
# rfm_table vs DuckDB
# ------------------------------------------------------------------------------------------

RFM_SQL = """
SELECT customer_id,
       date_diff('day', CAST(max(order_ts) AS DATE), DATE '2026-01-01') AS recency_days,
       count(*) AS frequency,
       sum(net_amount) AS monetary
FROM orders
WHERE status = 'paid' AND order_ts < TIMESTAMP '2026-01-01'
GROUP BY customer_id
ORDER BY customer_id
"""


def bench_rfm(orders: pd.DataFrame, repeat: int) -> None:
    print("\nrfm_table vs DuckDB SQL (result: a pandas DataFrame, one row per customer)")
    t_ours, ours = best_of(lambda: users.rfm_table(orders, AS_OF), repeat)
    print(f"  playbook_lib.users.rfm_table   {t_ours:8.2f} s   ({len(ours):,} customers)")
    duckdb = optional("duckdb")
    if duckdb is None:
        return
    con = duckdb.connect()
    con.register("orders", orders)
    threads = con.execute("SELECT current_setting('threads')").fetchone()[0]
    t_duck, duck = best_of(lambda: con.execute(RFM_SQL).df(), repeat)
    duck = duck.set_index("customer_id")
    assert len(duck) == len(ours) and (duck.index.astype(str) == ours.index).all()
    np.testing.assert_array_equal(duck["recency_days"], ours["recency_days"])
    np.testing.assert_array_equal(duck["frequency"], ours["frequency"])
    np.testing.assert_allclose(duck["monetary"], ours["monetary"], rtol=1e-9)
    print(f"  DuckDB {duckdb.__version__} ({threads} threads)   {t_duck:8.2f} s   "
          f"same result: yes")
    print(f"  ratio playbook_lib / DuckDB    {t_ours / t_duck:8.2f} x")


# ------------------------------------------------------------------------------------------
# cohort_retention vs polars
# ------------------------------------------------------------------------------------------

def polars_cohorts(pl, frame):
    """Monthly cohort shares in polars, shaped like cohort_retention (cohort x period).

    Written the idiomatic way (one group-by to distinct customer-months, a window minimum for
    the cohort, a second group-by); joining a per-customer cohort table back to 9M rows was
    about twice as slow.
    """
    month = (pl.col("order_ts").dt.year().cast(pl.Int32) * 12
             + pl.col("order_ts").dt.month().cast(pl.Int32) - 1)
    last = frame.lazy().select(month.max().alias("last"))
    counts = (frame.lazy().filter(pl.col("status") == "paid")
              .group_by("customer_id", month.alias("month")).agg()
              .with_columns(pl.col("month").min().over("customer_id").alias("cohort"))
              .group_by("cohort", (pl.col("month") - pl.col("cohort")).alias("period"))
              .agg(pl.len().alias("customers")))
    sizes = counts.filter(pl.col("period") == 0).select("cohort", size="customers")
    shares = (counts.join(sizes, on="cohort").join(last, how="cross")
              .filter(pl.col("cohort") + pl.col("period") <= pl.col("last"))
              .with_columns((pl.col("customers") / pl.col("size")).alias("share"))
              .collect())
    wide = shares.pivot(on="period", index="cohort", values="share", sort_columns=True)
    return wide.sort("cohort")


def bench_cohorts(orders: pd.DataFrame, repeat: int) -> None:
    print("\ncohort_retention (monthly) vs polars (lazy query, result: cohort x period table)")
    t_ours, ours = best_of(lambda: users.cohort_retention(orders, "M"), repeat)
    print(f"  playbook_lib.users.cohort_retention  {t_ours:8.2f} s   ({ours.shape[0]} cohorts "
          f"x {ours.shape[1]} periods)")
    pl = optional("polars")
    if pl is None:
        return
    t_conv, frame = best_of(lambda: pl.from_pandas(orders), 1)
    t_pl, wide = best_of(lambda: polars_cohorts(pl, frame), repeat)
    got = wide.to_pandas().set_index("cohort")
    got.columns = got.columns.astype(int)
    got = got.reindex(columns=range(ours.shape[1]))
    # polars leaves a cell empty when nobody bought; ours says 0 for a period that happened
    expected = ours.to_numpy()
    np.testing.assert_allclose(np.where(np.isnan(got.to_numpy()) & ~np.isnan(expected), 0.0,
                                        got.to_numpy()), expected, rtol=1e-12)
    print(f"  polars {pl.__version__} ({pl.thread_pool_size()} threads)"
          f"{'':12}{t_pl:8.2f} s   same result: yes (pandas->polars copy "
          f"{t_conv:.2f} s, not counted)")
    print(f"  ratio playbook_lib / polars          {t_ours / t_pl:8.2f} x")


# ------------------------------------------------------------------------------------------
# fit_bgnbd vs lifetimes
# ------------------------------------------------------------------------------------------

def simulate_bgnbd(n: int, seed: int, r=0.25, alpha=4.0, a=0.8, b=2.5) -> pd.DataFrame:
    """Customers drawn from the BG/NBD model itself; times in whole days, unit weeks."""
    rng = np.random.default_rng(seed)
    lam = rng.gamma(r, 1.0 / alpha, n)
    p = rng.beta(a, b, n)
    T = rng.integers(7, 365, n) / 7.0           # weeks since the first purchase
    t = np.zeros(n)
    x = np.zeros(n, dtype=np.int64)
    tx = np.zeros(n)
    alive = np.ones(n, dtype=bool)
    while alive.any():
        idx = np.flatnonzero(alive)
        t[idx] += rng.exponential(1.0 / np.maximum(lam[idx], 1e-12))
        buys = idx[t[idx] <= T[idx]]
        x[buys] += 1
        tx[buys] = t[buys]
        alive[idx] = False
        alive[buys] = rng.random(len(buys)) >= p[buys]  # drop out after a purchase
    tx = np.floor(tx * 7) / 7.0                     # whole days, as btyd_summary gives
    return pd.DataFrame({"frequency": x, "recency": np.minimum(tx, T), "T": T})


def bench_bgnbd(n_customers: int, repeat: int, seed: int) -> None:
    print(f"\nfit_bgnbd vs lifetimes.BetaGeoFitter ({n_customers:,} simulated customers; "
          f"true r=0.25, alpha=4, a=0.8, b=2.5)")
    summary = simulate_bgnbd(n_customers, seed)
    t_ours, model = best_of(lambda: users.fit_bgnbd(summary), repeat)
    p = model.params_
    print(f"  playbook_lib.users.fit_bgnbd   {t_ours:8.2f} s   r={p['r']:.4f} "
          f"alpha={p['alpha']:.4f} a={p['a']:.4f} b={p['b']:.4f} LL={model.log_likelihood_:.2f}")
    t_pred, _ = best_of(lambda: model.predict(summary, 52), repeat)
    print(f"    .predict(summary, 52)        {t_pred:8.2f} s")
    lifetimes = optional("lifetimes")
    if lifetimes is None:
        return
    from lifetimes import BetaGeoFitter

    def fit_lifetimes():
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return BetaGeoFitter().fit(summary["frequency"], summary["recency"], summary["T"])

    try:
        t_lt, lt = best_of(fit_lifetimes, repeat)
    except Exception as exc:  # lifetimes is unmaintained; report, do not crash the benchmark
        print(f"  [failed] lifetimes {lifetimes.__version__} could not fit: "
              f"{type(exc).__name__}: {exc}")
        return
    q = lt.params_
    # lifetimes rescales time internally, so its own log-likelihood is on another scale:
    # evaluate ours at its estimates instead
    lt_ll = float(_bgnbd_loglik(q[["r", "alpha", "a", "b"]].to_numpy(),
                                summary["frequency"].to_numpy(float),
                                summary["recency"].to_numpy(float),
                                summary["T"].to_numpy(float), grad=False).sum())
    print(f"  lifetimes {lifetimes.__version__} BetaGeoFitter  {t_lt:8.2f} s   r={q['r']:.4f} "
          f"alpha={q['alpha']:.4f} a={q['a']:.4f} b={q['b']:.4f} LL={lt_ll:.2f}")
    rel = max(abs(p[k] / q[k] - 1) for k in ("r", "alpha", "a", "b"))
    print(f"    largest relative parameter difference: {rel:.1e}")
    t_lt_pred, _ = best_of(lambda: lt.conditional_expected_number_of_purchases_up_to_time(
        52, summary["frequency"], summary["recency"], summary["T"]), repeat)
    print(f"    lifetimes prediction (52)    {t_lt_pred:8.2f} s")
    print(f"  ratio playbook_lib / lifetimes {t_ours / t_lt:8.2f} x (fit), "
          f"{t_pred / t_lt_pred:.2f} x (predict)")


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--orders", type=int, default=10_000_000, help="orders (default 10M)")
    parser.add_argument("--customers", type=int, default=None,
                        help="customers in the orders table (default orders / 10)")
    parser.add_argument("--btyd-customers", type=int, default=100_000,
                        help="simulated customers for the BG/NBD fit (default 100k)")
    parser.add_argument("--repeat", type=int, default=3, help="runs per timing (best is kept)")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    customers = args.customers or max(args.orders // 10, 1)
    print(f"machine: {platform.processor() or platform.machine()}, {os.cpu_count()} cpus, "
          f"python {platform.python_version()}, pandas {pd.__version__}, numpy {np.__version__}")
    start = time.perf_counter()
    orders = synthetic_orders(args.orders, customers, args.seed)
    print(f"generated {len(orders):,} orders of {customers:,} customers in "
          f"{time.perf_counter() - start:.1f} s "
          f"({orders.memory_usage(deep=True).sum() / 1e9:.2f} GB in memory)")
    bench_rfm(orders, args.repeat)
    bench_cohorts(orders, args.repeat)
    del orders
    bench_bgnbd(args.btyd_customers, args.repeat, args.seed)


if __name__ == "__main__":
    main()
