"""Exercises: check, hint and solution for every lesson's questions, and learner progress.

In a notebook (the learner's side)::

    from playbook_lib import exercises
    from playbook_lib.exercises import ____

    q1, q2, q3, q4 = exercises.setup("00_start_here", ds, month=MONTH)

    gmv = ____          # your code here
    q1.check(gmv)       # "Not answered yet" while the blank is there; then Correct/Incorrect
    # q1.hint()  q1.hint(2)  q1.solution()

Each lesson's questions live in a module of this package (``start_here.py``, ...) that
declares ``EXERCISES = ExerciseSet(...)``; :func:`registry` finds them all. Expected answers are
computed by the library from the notebook's own data and parameters, so exercises work on any
shop. The worked answers are not here: each sits in the lesson's Markdown source
(``notebooks/<lesson>.md``), in the code cell tagged ``solution`` right after the exercise
cell, and ``q1.solution()`` shows it from there (see :mod:`playbook_lib.lessons`). The tests
run every lesson solved, in its real notebook, and every typical mistake through its check.

An author declares a lesson's questions in ``playbook_lib/exercises/<set>.py`` (see
``start_here.py`` for a full example)::

    EXERCISES = ExerciseSet(
        notebook="01_users/01_segmentation",        # path under notebooks/, no suffix
        title="Segmentation",
        params=("as_of",),                           # keywords of exercises.setup(...)
        resolve=lambda ds, as_of=None: {"as_of": as_of or default_as_of(ds)},
        questions=[Question(
            "q1", prompt="How many customers are dormant?",
            expected=lambda ds, as_of: ...,           # computed by the library, never typed in
            compare=ScalarAnswer(rel=0, abs=0.5, whole=True),
            hints=["nudge", "more", "almost the code"],
            answer_var="n_dormant",                   # the variable q1.check(...) checks
            mistakes=[Mistake("all_customers", lambda ds, as_of: ..., hint="You counted ..."),
                      Mistake("percent", lambda ds, as_of: ..., code="percent")])],
    )

Every ``check`` appends a line to ``$PLAYBOOK_HOME/progress.jsonl`` (default
``~/.playbook``); :func:`progress_table` summarises it and ``playbook progress`` prints it.
"""

from __future__ import annotations

from ._blank import Blank, ____, is_blank
from ._compare import (
    AnswerSpec,
    ExactAnswer,
    FrameAnswer,
    ItemsAnswer,
    ScalarAnswer,
    SeriesAnswer,
    Verdict,
)
from ._core import Exercise, Exercises, ExerciseSet, Mistake, Question, get_set, registry, setup
from ._progress import playbook_home, progress_path, record
from ._summary import format_progress, progress_table

__all__ = [
    "AnswerSpec",
    "Blank",
    "ExactAnswer",
    "Exercise",
    "ExerciseSet",
    "Exercises",
    "FrameAnswer",
    "ItemsAnswer",
    "Mistake",
    "Question",
    "ScalarAnswer",
    "SeriesAnswer",
    "Verdict",
    "____",
    "cli_progress",
    "format_progress",
    "get_set",
    "is_blank",
    "playbook_home",
    "progress_path",
    "progress_table",
    "record",
    "registry",
    "setup",
]


def cli_progress(args=None) -> int:
    """``playbook progress``: print the learner's progress per lesson."""
    print(format_progress(progress_table()))
    return 0
