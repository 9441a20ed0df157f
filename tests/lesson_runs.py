"""Run a lesson's solved copy for the tests, and read what each ``qN.check`` recorded.

Every ``check`` appends ``{"notebook", "question", "outcome", ...}`` to
``$PLAYBOOK_HOME/progress.jsonl``; a test points ``PLAYBOOK_HOME`` at a fresh folder, runs the
notebook (the kernel inherits the environment), then asks :func:`not_correct` which questions'
last outcome is not "correct", with the feedback the check printed.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import nbformat

from playbook_lib import lessons
from playbook_lib.report.run import _this_python_kernel_manager

CELL_TIMEOUT = 300  # seconds a cell may run; the slowest lesson cell takes a few

_CHECK = re.compile(r"^(q\d+)\.check\(", flags=re.MULTILINE)
_ANSI = re.compile(r"\x1b\[[0-9;]*m")


def run_solved(md: Path, out_dir: Path, *, data: str | Path = "demo",
               params: Mapping[str, Any] | None = None, nb=None) -> Path:
    """papermill (kernel ``python3``, this interpreter) on the solved copy of a lesson source.

    ``nb`` replaces the solved copy (a doctored one, in the test that proves a wrong answer is
    caught). Returns the path of the executed notebook (also written when a cell fails, and
    papermill's error then names the cell).
    """
    import papermill as pm

    src = out_dir / "solved" / f"{md.stem}.ipynb"
    src.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb if nb is not None else lessons.solved_notebook(md), str(src))
    executed = out_dir / f"{md.stem}.executed.ipynb"
    pm.execute_notebook(
        str(src), str(executed), parameters={"DATA": str(data), **(params or {})},
        kernel_name="python3", language="python", execution_timeout=CELL_TIMEOUT,
        progress_bar=False, log_output=False, cwd=str(src.parent),
        kernel_manager_class=_this_python_kernel_manager(), extra_arguments=["--log-level=ERROR"])
    return executed


def last_outcomes(progress_file: Path, lesson: str) -> dict[str, str]:
    """The last recorded outcome of each question of ``lesson`` in a progress file."""
    out: dict[str, str] = {}
    if not Path(progress_file).is_file():
        return out
    for line in Path(progress_file).read_text(encoding="utf-8").splitlines():
        if line.strip():
            rec = json.loads(line)
            if rec["notebook"] == lesson:
                out[rec["question"]] = rec["outcome"]
    return out


def check_feedback(executed: Path) -> dict[str, str]:
    """What each check cell of an executed notebook printed: ``{"q1": "q1 - Incorrect. ..."}``."""
    nb = nbformat.read(str(executed), as_version=4)
    out = {}
    for cell in nb.cells:
        m = _CHECK.search(cell.source) if cell.cell_type == "code" else None
        if not m:
            continue
        texts = []
        for o in cell.get("outputs", []):
            if o.get("output_type") == "stream":
                texts.append(o.get("text", ""))
            elif o.get("output_type") in ("display_data", "execute_result"):
                texts.append(o.get("data", {}).get("text/plain", ""))
            elif o.get("output_type") == "error":
                texts.append(f"{o.get('ename')}: {o.get('evalue')}")
        out[m.group(1)] = _ANSI.sub("", " ".join(t.strip() for t in texts if t)).strip()
    return out


def not_correct(lesson: str, questions: Iterable[str], progress_file: Path,
                executed: Path) -> list[str]:
    """One line per question whose last check was not "correct": its outcome (or "never
    checked") and the feedback its check cell printed. Empty when every question is correct."""
    outcomes = last_outcomes(progress_file, lesson)
    feedback = None
    bad = []
    for q in questions:
        got = outcomes.get(q)
        if got == "correct":
            continue
        if feedback is None:
            feedback = check_feedback(executed)
        bad.append(f"{q}: {got or 'never checked'}: {feedback.get(q) or '(no output)'}")
    return bad
