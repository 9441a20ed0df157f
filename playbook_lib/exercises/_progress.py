"""Learner progress: one JSON line per event in ``$PLAYBOOK_HOME/progress.jsonl``.

An event is a check's outcome (``correct``, ``incorrect``, ``blank``) or help asked for
(``hint``, ``solution``), so the progress table can tell a question solved alone from one
solved after reading the worked answer. Report runs (``playbook run``, ``playbook review``)
set ``PLAYBOOK_PROGRESS=off`` for their kernel, and nothing is recorded then: a report is not
somebody studying.

This module only stores and reads the log; it knows nothing of the lessons (the per-lesson
table, which needs the registry, is in ``_summary.py``), so ``_core`` can import it freely.

The home folder is read from the environment at every call (default ``~/.playbook``), so tests
point it at a temporary folder with ``monkeypatch.setenv("PLAYBOOK_HOME", ...)``.
"""

from __future__ import annotations

import json
import os
import warnings
from datetime import datetime
from pathlib import Path

import pandas as pd

__all__ = [
    "EVENTS",
    "OUTCOMES",
    "playbook_home",
    "recording",
    "progress_path",
    "read_progress",
    "record",
]

OUTCOMES = ("correct", "incorrect", "blank")
"""What a check records."""

EVENTS = (*OUTCOMES, "hint", "solution")
"""Everything the log holds: check outcomes and help asked for."""

PROGRESS_ENV = "PLAYBOOK_PROGRESS"
_FIELDS = ("notebook", "question", "outcome", "time")


def playbook_home() -> Path:
    """The learner's kit folder: ``$PLAYBOOK_HOME``, else ``~/.playbook``."""
    env = os.environ.get("PLAYBOOK_HOME")
    return Path(env).expanduser() if env else Path.home() / ".playbook"


def progress_path() -> Path:
    """Where check outcomes are appended: ``playbook_home() / "progress.jsonl"``."""
    return playbook_home() / "progress.jsonl"


def recording() -> bool:
    """False when ``$PLAYBOOK_PROGRESS`` is ``off`` (report runs): then nothing is recorded."""
    return os.environ.get(PROGRESS_ENV, "").strip().lower() not in {"off", "0", "no", "false"}


def record(notebook: str, question: str, outcome: str, *, time: datetime | None = None) -> None:
    """Append one event (a check outcome, or ``hint``/``solution``) to the progress file.

    Never raises on a write problem, and does nothing when :func:`recording` is off.

    One ``write`` of one complete line to a file opened for appending, so concurrent
    notebooks do not interleave partial lines. A read-only home only warns: an exercise
    check must keep working without a writable home.
    """
    if outcome not in EVENTS:
        raise ValueError(f"record: outcome={outcome!r}; choose one of {EVENTS}")
    if not recording():
        return
    line = json.dumps({"notebook": notebook, "question": question, "outcome": outcome,
                       "time": (time or datetime.now()).isoformat(timespec="seconds")},
                      ensure_ascii=False)
    path = progress_path()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with open(path, "a", encoding="utf-8") as f:
            f.write(line + "\n")
    except OSError as exc:
        warnings.warn(f"could not save exercise progress to {path}: {exc}", stacklevel=3)


def read_progress(path: Path | None = None) -> pd.DataFrame:
    """All recorded checks as a DataFrame (notebook, question, outcome, time).

    A line that is not a complete record is reported with a warning naming its line number
    and skipped; the other lines are kept.
    """
    path = Path(path) if path is not None else progress_path()
    recs = []
    if path.exists():
        with open(path, encoding="utf-8", errors="replace") as f:
            for n, line in enumerate(f, start=1):
                if not line.strip():
                    continue
                try:
                    rec = json.loads(line)
                    if not isinstance(rec, dict) or any(k not in rec for k in _FIELDS):
                        raise ValueError(f"needs the fields {', '.join(_FIELDS)}")
                    if rec["outcome"] not in EVENTS:
                        raise ValueError(f"unknown outcome {rec['outcome']!r}")
                    rec_time = pd.Timestamp(rec["time"])
                except (ValueError, TypeError) as exc:
                    warnings.warn(f"{path}, line {n}: unreadable progress record skipped "
                                  f"({exc})", stacklevel=2)
                    continue
                recs.append({"notebook": str(rec["notebook"]), "question": str(rec["question"]),
                             "outcome": rec["outcome"], "time": rec_time.tz_localize(None)})
    df = pd.DataFrame.from_records(recs, columns=list(_FIELDS))
    df["time"] = pd.to_datetime(df["time"])
    return df
