"""The ``playbook`` command.

Bad input (a broken export, a wrong option) prints a readable message and exits with code 2,
never a traceback; ``--debug`` shows the traceback for bug reports.
"""

from __future__ import annotations

import argparse
import sys

from .errors import DataValidationError

EXIT_OK, EXIT_FAILED, EXIT_BAD_INPUT = 0, 1, 2


class UserError(Exception):
    """A problem the user can fix; printed without a traceback."""


def _cmd_generate(args) -> int:
    from .data import generate

    ds = generate(customers=args.customers, start=args.start, end=args.end, seed=args.seed,
                  out=args.out, overwrite=args.overwrite)
    print(f"Wrote a shop of {args.customers:,} customers ({args.start} .. {args.end}, "
          f"seed {args.seed}) to {args.out}")
    print(ds.summary().to_string())
    return EXIT_OK


def _cmd_validate(args) -> int:
    from .data import validate

    report = validate(args.path, mapping=args.mapping, raise_on_error=False)
    print(report.format())
    return EXIT_BAD_INPUT if report.problems else EXIT_OK


def _cmd_summary(args) -> int:
    """Validate a shop and print its tables, period and headline figures."""
    from .data import load_dataset

    ds = load_dataset(args.data, mapping=args.mapping)
    print(f"Shop: {ds.source}")
    period = ds.period
    if period:
        print(f"Period: {period[0]:%Y-%m-%d} .. {period[1]:%Y-%m-%d}")
    print(ds.summary().to_string())
    if "orders" in ds:
        from .users import paid_orders

        paid = paid_orders(ds.orders)
        gmv = paid["net_amount"].sum()
        print(f"\nPaid orders: {len(paid):,}  GMV: {gmv:,.0f} yuan  "
              f"AOV: {gmv / max(len(paid), 1):,.1f} yuan  "
              f"paying customers: {paid['customer_id'].nunique():,}")
    for w in ds.warnings:
        print(f"warning: {w}")
    return EXIT_OK


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="playbook",
        description="Ops Playbook: lessons and reports for e-commerce operations (电商运营).")
    p.add_argument("--debug", action="store_true", help="show tracebacks on errors")
    sub = p.add_subparsers(dest="command", metavar="COMMAND")

    g = sub.add_parser("generate", help="write a generated shop (Parquet + truth.json)")
    g.add_argument("--customers", type=int, default=20000, help="number of customers (20000)")
    g.add_argument("--start", default="2024-11-01", help="first day, YYYY-MM-DD (2024-11-01)")
    g.add_argument("--end", default="2026-10-31", help="last day, YYYY-MM-DD (2026-10-31)")
    g.add_argument("--seed", type=int, default=7, help="random seed (7): same seed, same shop")
    g.add_argument("--out", required=True, help="folder to write (must be new or empty)")
    g.add_argument("--overwrite", action="store_true", help="replace an existing shop folder")
    g.set_defaults(func=_cmd_generate)

    v = sub.add_parser("validate", help="check a folder of exports; exit code 2 on problems")
    v.add_argument("path", help="folder with one file per table, or 'demo'")
    v.add_argument("--mapping", help="mapping YAML or preset name (default: mapping.yaml "
                                     "in the folder, if any)")
    v.set_defaults(func=_cmd_validate)

    s = sub.add_parser("summary", help="validate a shop and print its tables and headline figures")
    s.add_argument("--data", default="demo", help="shop folder (default: the demo shop)")
    s.add_argument("--mapping", help="mapping YAML or preset name")
    s.set_defaults(func=_cmd_summary)

    # run, review, progress and lab live beside the runner they drive
    from .report import add_commands

    add_commands(sub)
    return p


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help()
        return EXIT_BAD_INPUT
    try:
        return int(args.func(args) or 0)
    except (DataValidationError, UserError, FileNotFoundError, FileExistsError,
            ValueError) as exc:
        if args.debug:
            raise
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except KeyboardInterrupt:  # pragma: no cover
        print("interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
