"""The ``playbook`` command: every subcommand's options, printing and exit codes.

``generate``, ``validate``, ``summary`` (the data), ``run`` (any notebook as a report),
``review`` (the monthly review), ``progress`` (exercise progress), ``lab`` (JupyterLab on the
lessons). The work itself is done by the library (:mod:`playbook_lib.data`,
:mod:`playbook_lib.report`, :mod:`playbook_lib.review`, :mod:`playbook_lib.exercises`).

Exit codes: 0 done, 1 a notebook failed, 2 bad input. Bad input (a broken export, a wrong
option) prints a readable message, never a traceback; ``--debug`` shows the traceback for
bug reports. ``python -m playbook_lib.cli`` is the same command.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
from pathlib import Path

from . import exercises
from ._orders import paid_orders
from ._resources import notebooks_dir
from .data import generate, load_dataset, validate
from .errors import DataValidationError
from .report import NotebookRunError, format_parameters, run_notebook
from .review import monthly_review

EXIT_OK, EXIT_FAILED, EXIT_BAD_INPUT = 0, 1, 2


class UserError(Exception):
    """A problem the user can fix; printed without a traceback."""


def cli_generate(args) -> int:
    """``playbook generate --out DIR [--customers N --start --end --seed]``: write a shop."""
    ds = generate(customers=args.customers, start=args.start, end=args.end, seed=args.seed,
                  out=args.out, overwrite=args.overwrite)
    print(f"Wrote a shop of {args.customers:,} customers ({args.start} .. {args.end}, "
          f"seed {args.seed}) to {args.out}")
    print(ds.summary().to_string())
    return EXIT_OK


def cli_validate(args) -> int:
    """``playbook validate PATH [--mapping M]``: every problem in words; exit 2 if any."""
    report = validate(args.path, mapping=args.mapping, raise_on_error=False)
    print(report.format())
    return EXIT_BAD_INPUT if report.problems else EXIT_OK


def cli_summary(args) -> int:
    """``playbook summary [--data PATH]``: validate a shop and summarise it.

    Prints its tables and headline figures.
    """
    ds = load_dataset(args.data, mapping=args.mapping)
    print(f"Shop: {ds.source}")
    period = ds.period
    if period:
        print(f"Period: {period[0]:%Y-%m-%d} .. {period[1]:%Y-%m-%d}")
    print(ds.summary().to_string())
    if "orders" in ds:
        paid = paid_orders(ds.orders)
        gmv = paid["net_amount"].sum()
        print(f"\nPaid orders: {len(paid):,}  GMV: {gmv:,.0f} yuan  "
              f"AOV: {gmv / max(len(paid), 1):,.1f} yuan  "
              f"paying customers: {paid['customer_id'].nunique():,}")
    for w in ds.warnings:
        print(f"warning: {w}")
    return EXIT_OK


def _existing_files(out_dir) -> set[str]:
    """Names of the files already in ``out_dir`` (to say which ones a run replaces)."""
    folder = Path(out_dir)
    return {p.name for p in folder.iterdir() if p.is_file()} if folder.is_dir() else set()


def _say_replaced(before: set[str], *paths) -> None:
    replaced = [Path(p).name for p in paths if p is not None and Path(p).name in before]
    if replaced:
        print(f"  (replaced the earlier {', '.join(replaced)})")


def cli_run(args) -> int:
    """``playbook run NOTEBOOK [-p NAME VALUE ...] [--data PATH] [--out DIR] ...``."""
    if getattr(args, "help", False) or not args.notebook:
        args._parser.print_help()
        if args.notebook:
            print()
            print(format_parameters(args.notebook))
        return EXIT_OK if getattr(args, "help", False) else EXIT_BAD_INPUT
    params = {}
    for name, value in args.param or []:
        params[name] = value
    before = _existing_files(args.out)
    try:
        res = run_notebook(args.notebook, params=params, params_file=args.params_file,
                           data=args.data, out_dir=args.out, kernel_name=args.kernel,
                           timeout=args.timeout, progress=args.progress)
    except NotebookRunError as exc:
        print(str(exc), file=sys.stderr)
        return EXIT_FAILED
    print(f"Wrote {res.html_path} and {res.ipynb_path} ({res.seconds:.1f} s)")
    _say_replaced(before, res.html_path, res.ipynb_path)
    return EXIT_OK


def cli_review(args) -> int:
    """``playbook review [--month YYYY-MM] [--data PATH] [--out DIR] [--targets FILE]``."""
    before = _existing_files(args.out)
    try:
        res = monthly_review(month=args.month, data=args.data, out_dir=args.out,
                             targets=args.targets, shop_name=args.shop_name,
                             timeout=args.timeout, progress=args.progress)
    except NotebookRunError as exc:
        print(str(exc), file=sys.stderr)
        return EXIT_FAILED
    print(f"Monthly review {res.month}: {res.html_path}")
    print(f"  notebook {res.ipynb_path}, figures {res.kpis_path}")
    _say_replaced(before, res.html_path, res.ipynb_path, res.kpis_path)
    return EXIT_OK


def cli_lab(args) -> int:
    """``playbook lab``: open JupyterLab on the lessons."""
    exe = shutil.which("jupyter-lab") or shutil.which("jupyter")
    try:
        import jupyterlab  # noqa: F401 - imported only to see that it is installed
    except ImportError:
        exe = None
    if exe is None:
        print("JupyterLab is not installed in this environment. Install it with "
              "`python -m pip install -e '.[lab]'` (or run `make lab`).", file=sys.stderr)
        return EXIT_BAD_INPUT
    cmd = [exe] + ([] if exe.endswith("jupyter-lab") else ["lab"]) + [str(args.notebook_dir)]
    return subprocess.call(cmd)


def cli_progress(args) -> int:
    """``playbook progress``: the learner's exercise progress per lesson."""
    print(exercises.format_progress(exercises.progress_table()))
    return EXIT_OK


def add_commands(subparsers) -> None:
    """Register every subcommand on the ``playbook`` parser's ``subparsers``."""
    g = subparsers.add_parser("generate", help="write a generated shop (Parquet + truth.json)")
    g.add_argument("--customers", type=int, default=20000, help="number of customers (20000)")
    g.add_argument("--start", default="2024-11-01", help="first day, YYYY-MM-DD (2024-11-01)")
    g.add_argument("--end", default="2026-10-31", help="last day, YYYY-MM-DD (2026-10-31)")
    g.add_argument("--seed", type=int, default=7, help="random seed (7): same seed, same shop")
    g.add_argument("--out", required=True, help="folder to write (must be new or empty)")
    g.add_argument("--overwrite", action="store_true", help="replace an existing shop folder")
    g.set_defaults(func=cli_generate)

    v = subparsers.add_parser("validate",
                              help="check a folder of exports; exit code 2 on problems")
    v.add_argument("path", help="folder with one file per table, or 'demo'")
    v.add_argument("--mapping", help="mapping YAML or preset name (default: mapping.yaml "
                                     "in the folder, if any)")
    v.set_defaults(func=cli_validate)

    s = subparsers.add_parser("summary",
                              help="validate a shop and print its tables and headline figures")
    s.add_argument("--data", default="demo", help="shop folder (default: the demo shop)")
    s.add_argument("--mapping", help="mapping YAML or preset name")
    s.set_defaults(func=cli_summary)

    r = subparsers.add_parser(
        "run", add_help=False, help="run any notebook as a report (HTML + executed .ipynb)",
        description="Run a notebook with parameters and write an HTML report (code hidden) "
                    "and the executed notebook. `playbook run NOTEBOOK --help` lists the "
                    "notebook's parameters.")
    r.add_argument("notebook", nargs="?", help="notebook file, or the name of a kit notebook "
                                                "(e.g. 00_start_here, reports/monthly_review)")
    r.add_argument("-h", "--help", action="store_true", help="show this help and the notebook's "
                                                              "parameters")
    r.add_argument("-p", "--param", nargs=2, action="append", metavar=("NAME", "VALUE"),
                   help="set a parameter; the value is converted to the default's type")
    r.add_argument("--params-file", help="YAML or JSON file of parameters")
    r.add_argument("--data", help="shop folder for the DATA parameter (default: the notebook's)")
    r.add_argument("--out", default="reports", help="output folder (reports)")
    r.add_argument("--kernel", default="python3", help="Jupyter kernel (python3: this Python)")
    r.add_argument("--timeout", type=float, default=600, help="seconds per cell (600)")
    r.add_argument("--progress", action="store_true", help="show a progress bar")
    r.set_defaults(func=cli_run, _parser=r)

    rv = subparsers.add_parser("review", help="run the monthly review -> "
                                              "DIR/monthly_review_YYYY-MM.html")
    rv.add_argument("--month", help="YYYY-MM (default: the latest full month in the data)")
    rv.add_argument("--data", default="demo", help="shop folder (default: the demo shop)")
    rv.add_argument("--out", default="reports", help="output folder (reports)")
    rv.add_argument("--targets", help="monthly targets, YAML or CSV (optional)")
    rv.add_argument("--shop-name", help="name shown in the report's title")
    rv.add_argument("--timeout", type=float, default=600, help="seconds per cell (600)")
    rv.add_argument("--progress", action="store_true", help="show a progress bar")
    rv.set_defaults(func=cli_review)

    pg = subparsers.add_parser("progress", help="your exercise progress per lesson")
    pg.set_defaults(func=cli_progress)

    lab = subparsers.add_parser("lab", help="open JupyterLab on the lessons")
    lab.add_argument("--notebook-dir", default=str(notebooks_dir()), help="folder to open")
    lab.set_defaults(func=cli_lab)


def build_parser() -> argparse.ArgumentParser:
    """The ``playbook`` parser with every subcommand."""
    p = argparse.ArgumentParser(
        prog="playbook",
        description="Ops Playbook: lessons and reports for e-commerce operations (电商运营).")
    p.add_argument("--debug", action="store_true", help="show tracebacks on errors")
    add_commands(p.add_subparsers(dest="command", metavar="COMMAND"))
    return p


def main(argv: list[str] | None = None) -> int:
    """Run the ``playbook`` command on ``argv`` (default: the process's arguments)."""
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
