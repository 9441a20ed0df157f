"""The monthly review.

The month's KPIs, the action list written from them by fixed rules, and
:func:`monthly_review`, which runs ``reports/monthly_review.ipynb`` for a month.

The figures come from :func:`playbook_lib.metrics.monthly_kpis`; this module decides what to
say about them (:func:`action_items`), shows them (:func:`format_kpis`), and writes
``kpis.json`` beside the HTML with the same figures as the notebook, for other tools.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import pandas as pd
import yaml

from ._deprecate import keyword_only_since
from ._resources import notebooks_dir
from .data import load_dataset
from .errors import DataValidationError
from .metrics import KPI_LABELS, latest_full_month, monthly_kpis, parse_month
from .report import run_notebook
from .report._files import atomic_write_text

__all__ = [
    "REVIEW_NOTEBOOK",
    "ReviewResult",
    "action_items",
    "format_kpis",
    "kpis_to_dict",
    "load_targets",
    "monthly_review",
]

#: The monthly review notebook (in the repository's ``notebooks/``, or the installed copy).
REVIEW_NOTEBOOK = notebooks_dir() / "reports" / "monthly_review.ipynb"


@dataclass(frozen=True)
class ReviewResult:
    """The monthly review's outputs and the KPI table behind them."""

    month: str
    ipynb_path: Path
    html_path: Path
    kpis_path: Path
    kpis: pd.DataFrame



def load_targets(path: str | os.PathLike) -> pd.DataFrame:
    """Monthly targets from a YAML, CSV or Excel file, as a frame for ``monthly_kpis``.

    YAML: ``{"2026-08": {"gmv": 1500000, "orders": 8000}, ...}`` or a list of records. CSV or
    Excel: wide (``month`` plus one column per metric) or long (``month, metric, target``).
    """
    p = Path(path)
    if not p.is_file():
        raise FileNotFoundError(f"targets file {str(path)!r} not found")
    if p.suffix.lower() in (".yaml", ".yml"):
        data = yaml.safe_load(p.read_text(encoding="utf-8-sig"))
        if isinstance(data, dict):
            recs = []
            for month, metrics in data.items():
                if not isinstance(metrics, dict):
                    raise DataValidationError(
                        f"load_targets: {p.name}: under {month!r} expected metric: value lines, "
                        f"got {metrics!r}.")
                recs += [{"month": str(month), "metric": str(k), "target": v}
                         for k, v in metrics.items()]
            return pd.DataFrame.from_records(recs, columns=["month", "metric", "target"])
        if isinstance(data, list):
            df = pd.DataFrame.from_records(data)
        else:
            raise DataValidationError(f"load_targets: {p.name}: expected months with metric "
                                      f"targets, got {type(data).__name__}.")
    elif p.suffix.lower() in (".xlsx", ".xls"):
        df = pd.read_excel(p, dtype={"month": str})
    else:
        df = pd.read_csv(p, dtype={"month": str}, encoding="utf-8-sig")
    if "month" not in df.columns:
        raise DataValidationError(f"load_targets: {p.name} needs a 'month' column (YYYY-MM); "
                                  f"it has: {', '.join(map(str, df.columns))}.")
    df["month"] = df["month"].astype(str)
    return df


def _pct(x: float) -> str:
    return f"{abs(x):.0%}"


def _fmt(metric: str, v: float) -> str:
    kind = KPI_LABELS[metric][2]
    if kind == "rate":
        return f"{v:.1%}"
    if kind == "money":
        return f"{v:,.0f} yuan" if metric != "aov" else f"{v:,.1f} yuan"
    return f"{v:,.0f}"


_ADVICE = {
    "gmv": "split it into visitors x conversion x AOV to see which part moved",
    "orders": "compare traffic and conversion by channel to find where orders were lost",
    "buyers": "check whether new or returning buyers fell, then act on that group",
    "aov": "review discount depth and thresholds (满减) and push bundles or add-on items",
    "new_customers": "review acquisition spend and cost per new customer by channel",
    "returning_customers": "plan a win-back touch for customers going dormant",
    "conversion": "check the funnel by device and channel for a step that broke",
    "repurchase_rate": "plan a win-back offer for last quarter's buyers and review member "
                       "benefits",
}


def action_items(kpis: pd.DataFrame, *, drop: float = 0.10, rise: float = 0.10,
                 target_miss: float = 0.95) -> list[str]:
    """A short action list from the month's KPI table, by fixed rules.

    Rules, in order: a metric below ``target_miss`` of its target; GMV, orders, AOV, new and
    returning customers, conversion or repurchase down by ``drop`` or more against last month
    or the same month last year; GMV up by ``rise`` or more (find out why and repeat it).
    Without any of these: one line saying nothing crossed a threshold.

    Parameters
    ----------
    kpis : DataFrame
        :func:`playbook_lib.metrics.monthly_kpis` output.

    Examples
    --------
    >>> import pandas as pd
    >>> k = pd.DataFrame({"value": [80.0], "prev_month": [100.0], "same_month_last_year": [81.0],
    ...     "mom_change": [-0.2], "yoy_change": [-0.012], "target": [float("nan")],
    ...     "attainment": [float("nan")]}, index=pd.Index(["gmv"], name="metric"))
    >>> for line in action_items(k):
    ...     print(line)  # doctest: +NORMALIZE_WHITESPACE
    GMV fell 20% against last month (80 yuan): split it into visitors x conversion x AOV to
    see which part moved.
    """
    items: list[str] = []
    rows = {m: r for m, r in kpis.iterrows() if m in KPI_LABELS}
    for m, r in rows.items():
        att = r.get("attainment", float("nan"))
        if pd.notna(att) and att < target_miss:
            items.append(f"{KPI_LABELS[m][0]} reached {att:.0%} of target "
                         f"({_fmt(m, r['value'])} against {_fmt(m, r['target'])}): "
                         f"{_ADVICE[m]}.")
    for m in ("gmv", "orders", "aov", "new_customers", "returning_customers", "conversion",
              "repurchase_rate"):
        if m not in rows:
            continue
        r = rows[m]
        mom, yoy = r.get("mom_change", float("nan")), r.get("yoy_change", float("nan"))
        label = KPI_LABELS[m][0]
        if pd.notna(mom) and mom <= -drop:
            items.append(f"{label} fell {_pct(mom)} against last month "
                         f"({_fmt(m, r['value'])}): {_ADVICE[m]}.")
        elif pd.notna(yoy) and yoy <= -drop:
            items.append(f"{label} fell {_pct(yoy)} against the same month last year "
                         f"({_fmt(m, r['value'])}): {_ADVICE[m]}.")
    g = rows.get("gmv")
    if g is not None and pd.notna(g.get("mom_change")) and g["mom_change"] >= rise:
        items.append(f"GMV grew {_pct(g['mom_change'])} against last month: find the channel "
                     f"and category behind it, and whether it will repeat next month.")
    if not items:
        items.append(f"No KPI crossed an alert threshold (a fall of {drop:.0%} against last month "
                     f"or last year, or {target_miss:.0%} of target): keep the plan and watch "
                     f"the funnel weekly.")
    return items


def format_kpis(kpis: pd.DataFrame) -> pd.DataFrame:
    """The KPI table as the review shows it: labels with the Chinese term, formatted values.

    Returns
    -------
    DataFrame indexed by ``metric`` (English label and Chinese term) with text columns
    ``this month``, ``last month``, ``vs last month``, ``same month last year``,
    ``vs last year``, ``target``, ``attainment`` ("-" where a figure is unknown).

    Examples
    --------
    >>> import pandas as pd
    >>> k = pd.DataFrame({"value": [1500.0], "prev_month": [1000.0],
    ...     "same_month_last_year": [float("nan")], "mom_change": [0.5],
    ...     "yoy_change": [float("nan")], "target": [2000.0], "attainment": [0.75]},
    ...     index=pd.Index(["gmv"], name="metric"))
    >>> format_kpis(k).iloc[0].tolist()
    ['1,500 yuan', '1,000 yuan', '+50.0%', '-', '-', '2,000 yuan', '75%']
    """
    def num(metric, v):
        return "-" if pd.isna(v) else _fmt(metric, v)

    def chg(v):
        return "-" if pd.isna(v) else f"{v:+.1%}"

    recs = []
    for metric, r in kpis.iterrows():
        en, zh, _ = KPI_LABELS.get(metric, (str(metric), "", "count"))
        recs.append({"metric": f"{en} ({zh})" if zh else en,
                     "this month": num(metric, r["value"]),
                     "last month": num(metric, r["prev_month"]),
                     "vs last month": chg(r["mom_change"]),
                     "same month last year": num(metric, r["same_month_last_year"]),
                     "vs last year": chg(r["yoy_change"]),
                     "target": num(metric, r["target"]),
                     "attainment": "-" if pd.isna(r["attainment"]) else f"{r['attainment']:.0%}"})
    return pd.DataFrame.from_records(recs).set_index("metric")


def kpis_to_dict(kpis: pd.DataFrame) -> dict:
    """The KPI table as plain JSON-ready dicts (NaN -> None)."""
    out = {}
    for metric, row in kpis.iterrows():
        out[str(metric)] = {k: (None if pd.isna(v) else float(v)) for k, v in row.items()}
    return out


@keyword_only_since("0.2", "month", "data", "out_dir", "targets", "shop_name")
def monthly_review(*, month: str | None = None, data: str | os.PathLike = "demo",
                   out_dir: str | os.PathLike = "reports",
                   targets: str | os.PathLike | None = None, shop_name: str | None = None,
                   kernel_name: str = "python3", timeout: float | None = 600,
                   progress: bool = False) -> ReviewResult:
    """Run the monthly review for a month and write its notebook, HTML and ``kpis.json``.

    Parameters
    ----------
    month : str, optional
        ``"YYYY-MM"``; default: the latest full month in the data.
    data : path or "demo"
        The shop folder.
    out_dir : path
        Writes ``monthly_review_YYYY-MM.ipynb``, ``monthly_review_YYYY-MM.html`` and
        ``kpis.json`` there.
    targets : path, optional
        Monthly targets (YAML, CSV or Excel; see :func:`load_targets`).
    shop_name : str, optional
        Shown in the report's title (default: "Demo shop" or the folder's name).
    kernel_name, timeout, progress
        Passed to :func:`playbook_lib.report.run_notebook`.

    Every option is keyword-only; until the next release a positional call
    (``monthly_review("2026-08", "demo")``) still works and warns ``FutureWarning``.

    Returns
    -------
    ReviewResult
        The month and the paths of the notebook, the HTML and ``kpis.json``, and the KPIs.

    Raises
    ------
    DataValidationError
        A month outside the data or without paid orders, or unreadable targets: before
        anything runs.
    NotebookRunError
        If the notebook fails.
    """
    try:  # only the tables the KPIs need: a quick check before the notebook loads them all
        ds = load_dataset(data, tables=["orders", "traffic"])
    except DataValidationError:
        ds = load_dataset(data, tables=["orders"])  # a shop without traffic: no conversion
    m = str(parse_month(month, func="monthly_review")) if month else latest_full_month(ds)
    target_frame = load_targets(targets) if targets else None
    kpis = monthly_kpis(ds, m, targets=target_frame)
    if shop_name is None:
        shop_name = "Demo shop" if str(data) == "demo" else Path(data).resolve().name
    params = {"DATA": os.fspath(data), "MONTH": m, "SHOP_NAME": shop_name,
              "TARGETS": os.fspath(targets) if targets else ""}
    res = run_notebook(REVIEW_NOTEBOOK, params=params, out_dir=out_dir,
                       kernel_name=kernel_name, timeout=timeout, progress=progress,
                       output_name=f"monthly_review_{m}")
    payload = {"month": m, "shop_name": shop_name, "data": str(data),
               "generated_at": datetime.now().isoformat(timespec="seconds"),
               "html": res.html_path.name, "kpis": kpis_to_dict(kpis),
               "actions": action_items(kpis)}
    kpis_path = Path(out_dir) / "kpis.json"
    atomic_write_text(kpis_path, json.dumps(payload, ensure_ascii=False, indent=2,
                                             allow_nan=False) + "\n")
    return ReviewResult(m, res.ipynb_path, res.html_path, kpis_path, kpis)
