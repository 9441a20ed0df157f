"""The learner's progress per lesson: the registered lessons joined with the progress log.

Kept apart from ``_progress`` (the log itself) and ``_core`` (the questions and the registry)
so that neither of those has to import the other: this module imports both.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from ._core import registry
from ._progress import progress_path, read_progress

__all__ = ["format_progress", "progress_table"]


def progress_table(path: Path | None = None, lessons: dict | None = None) -> pd.DataFrame:
    """Per lesson: questions answered correctly out of the total, and the last activity.

    Parameters
    ----------
    path : path, optional
        Progress file (default: :func:`progress_path`).
    lessons : dict, optional
        Lesson id -> (title, number of questions); default: every registered exercise set.

    Returns
    -------
    DataFrame
        Indexed by ``lesson``, with columns ``title``; ``correct`` (distinct questions
        answered correctly at least once); ``solved_alone`` (of those, the ones answered
        correctly before their worked answer was shown); ``total``; ``attempts`` (checks of an
        answer, blanks excluded); ``hints`` and ``solutions`` (help asked for); and
        ``last_activity`` (NaT if never opened). Lessons found in the file but no longer
        registered are listed at the end with ``total`` = questions seen.
    """
    if lessons is None:
        lessons = {k: (s.title, len(s.questions)) for k, s in registry().items()}
    log = read_progress(path)
    rows = []
    seen = list(dict.fromkeys(log["notebook"]))
    for lesson in [*lessons, *[x for x in seen if x not in lessons]]:
        mine = log[log["notebook"] == lesson]
        correct = set(mine.loc[mine["outcome"] == "correct", "question"])
        alone = 0
        for q in correct:
            events = mine.loc[mine["question"] == q, "outcome"].tolist()
            first_correct = events.index("correct")
            alone += "solution" not in events[:first_correct]
        title, total = lessons.get(lesson, ("(no longer in the kit)", mine["question"].nunique()))
        checks = mine["outcome"].isin(["correct", "incorrect"])
        rows.append({"lesson": lesson, "title": title, "correct": len(correct),
                     "solved_alone": int(alone), "total": int(total),
                     "attempts": int(checks.sum()),
                     "hints": int((mine["outcome"] == "hint").sum()),
                     "solutions": int((mine["outcome"] == "solution").sum()),
                     "last_activity": mine["time"].max() if len(mine) else pd.NaT})
    out = pd.DataFrame.from_records(
        rows, columns=["lesson", "title", "correct", "solved_alone", "total", "attempts",
                       "hints", "solutions", "last_activity"])
    out["last_activity"] = pd.to_datetime(out["last_activity"])
    return out.set_index("lesson")


def format_progress(table: pd.DataFrame) -> str:
    """The progress table as the text ``playbook progress`` prints."""
    if table.empty:
        return "No lessons with exercises yet."
    lines = []
    width = max(len(str(i)) for i in table.index)
    for lesson, r in table.iterrows():
        bar = "#" * int(r["correct"]) + "." * max(int(r["total"]) - int(r["correct"]), 0)
        when = ("not started" if pd.isna(r["last_activity"])
                else f"last activity {r['last_activity']:%Y-%m-%d %H:%M}")
        helped = int(r["correct"]) - int(r["solved_alone"])
        note = f" ({helped} after the solution)" if helped else ""
        lines.append(f"{lesson:<{width}}  {r['correct']:>2}/{r['total']:<2} {bar:<10}  {when}"
                     f"  {r['title']}{note}")
    done, total = int(table["correct"].sum()), int(table["total"].sum())
    alone = int(table["solved_alone"].sum())
    lines.append(f"\n{done} of {total} questions answered correctly, {alone} of them without "
                 f"the worked answer. Progress file: {progress_path()}")
    return "\n".join(lines)
