"""Questions, exercise sets, the registry, and the per-question checker objects."""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from .. import lessons
from ..errors import DataValidationError
from . import _progress
from ._blank import ____, is_blank
from ._compare import AnswerSpec, Verdict
from ._display import Feedback, show

__all__ = [
    "Exercise",
    "ExerciseSet",
    "Exercises",
    "Mistake",
    "Question",
    "get_set",
    "registry",
    "setup",
]


@dataclass(frozen=True)
class Mistake:
    """A typical wrong answer, and the feedback it must get.

    Parameters
    ----------
    name : str
        Short id, e.g. ``"all_statuses"``.
    answer : callable
        ``answer(ds, **params)`` returns the wrong answer, computed from the data.
    hint : str, optional
        Feedback shown when the learner's answer equals this one (checked before the generic
        diagnosis). Give ``hint`` or ``code``, not both.
    code : str, optional
        The generic diagnosis this mistake must trigger (``"percent"``, ``"subset"``, ...; see
        :class:`Verdict`), for mistakes the answer spec already explains well.
    """

    name: str
    answer: Callable[..., Any]
    hint: str | None = None
    code: str | None = None

    def __post_init__(self):
        if (self.hint is None) == (self.code is None):
            raise ValueError(f"Mistake {self.name!r}: give exactly one of hint= or code=")


@dataclass(frozen=True)
class Question:
    """One exercise question, declared by a lesson's exercise set.

    Parameters
    ----------
    name : str
        ``"q1"``, ``"q2"``, ... (the variable name the notebook binds it to).
    prompt : str
        The task, in Markdown (shown by ``q1`` in a notebook).
    expected : callable
        ``expected(ds, **params)`` computes the right answer with the library, from the
        notebook's own data and parameters. Never a hard-coded number.
    compare : AnswerSpec
        How answers are compared: :class:`ScalarAnswer`, :class:`SeriesAnswer`,
        :class:`FrameAnswer`, :class:`ExactAnswer` or :class:`ItemsAnswer`.
    hints : sequence of str
        Graded hints: the first nudges, the last nearly gives the method.
    answer_var : str
        The variable the learner fills and passes to ``check`` (``gmv`` in ``q1.check(gmv)``).
    mistakes : sequence of Mistake
        Typical wrong answers with the feedback each must trigger (the tests try every one).
    solution : None
        Leave it out. The worked answer lives in the lesson's Markdown source, in the cell
        tagged ``solution`` right after the exercise; ``qN.solution()`` shows it from there.
        :func:`registry` refuses a set whose questions still carry solution text.
    """

    name: str
    prompt: str
    expected: Callable[..., Any]
    compare: AnswerSpec
    hints: Sequence[str]
    answer_var: str
    mistakes: Sequence[Mistake] = ()
    solution: str | None = None

    def __post_init__(self):
        object.__setattr__(self, "hints", tuple(self.hints))
        object.__setattr__(self, "mistakes", tuple(self.mistakes))
        if not self.hints:
            raise ValueError(f"Question {self.name!r}: give at least one hint")
        if not isinstance(self.compare, AnswerSpec):
            raise TypeError(f"Question {self.name!r}: compare must be an AnswerSpec, "
                            f"got {type(self.compare).__name__}")
        names = [m.name for m in self.mistakes]
        if len(set(names)) != len(names):
            raise ValueError(f"Question {self.name!r}: mistake names repeat: {names}")


def _same_params(ds, **params) -> dict:
    return params


@dataclass(frozen=True)
class ExerciseSet:
    """The exercises of one lesson notebook.

    A module in ``playbook_lib.exercises`` declares one as ``EXERCISES = ExerciseSet(...)``;
    the registry finds it.

    Parameters
    ----------
    notebook : str
        The lesson id: the lesson's path under ``notebooks/`` without ``.md``/``.ipynb``, e.g.
        ``"00_start_here"`` or ``"01_users/01_segmentation"``. Progress is recorded under it,
        and the worked answers are read from its source ``notebooks/<notebook>.md``.
    title : str
        Lesson title for the progress table.
    questions : sequence of Question
    params : sequence of str
        Names of the keyword parameters ``setup`` takes (``("month",)``), passed on to every
        ``expected``/``answer`` function.
    resolve : callable, optional
        ``resolve(ds, **params) -> dict`` fills defaults (e.g. an empty month -> the latest
        full month). Runs once in ``setup``.
    example_params : callable, optional
        ``example_params(ds) -> dict`` of parameters that make sense for any dataset; the tests
        use it on the demo shop and on generated shops. Default: ``resolve(ds)`` with no params.
    """

    notebook: str
    title: str
    questions: Sequence[Question]
    params: Sequence[str] = ()
    resolve: Callable[..., dict] = _same_params
    example_params: Callable[..., dict] | None = None
    module: str = field(default="", compare=False)

    def __post_init__(self):
        object.__setattr__(self, "questions", tuple(self.questions))
        object.__setattr__(self, "params", tuple(self.params))
        names = [q.name for q in self.questions]
        if len(set(names)) != len(names):
            raise ValueError(f"ExerciseSet {self.notebook!r}: question names repeat: {names}")

    def question(self, name: str) -> Question:
        for q in self.questions:
            if q.name == name:
                return q
        raise KeyError(f"{self.notebook}: no question {name!r}; it has {self.names}")

    @property
    def names(self) -> list[str]:
        return [q.name for q in self.questions]

    def bind_params(self, ds, params: Mapping[str, Any]) -> dict:
        """Check the parameter names, then fill defaults with ``resolve``."""
        unknown = [k for k in params if k not in self.params]
        missing = [k for k in self.params if k not in params]
        if unknown or missing:
            parts = []
            if unknown:
                parts.append(f"unknown parameter(s) {', '.join(map(repr, unknown))}")
            if missing:
                parts.append(f"missing parameter(s) {', '.join(map(repr, missing))}")
            raise TypeError(f"exercises.setup({self.notebook!r}): {' and '.join(parts)}; "
                            f"it takes: {', '.join(self.params) or 'no parameters'}.")
        return dict(self.resolve(ds, **params))

    def examples(self, ds) -> dict:
        """Parameters for the tests on ``ds``: ``example_params(ds)`` or the resolved defaults."""
        if self.example_params is not None:
            return dict(self.example_params(ds))
        return dict(self.resolve(ds, **{k: None for k in self.params}))


# --- the registry ----------------------------------------------------------------------------


@cache
def _discover() -> tuple[ExerciseSet, ...]:
    # The question modules sit beside this file; they are found by name (no import of the
    # package itself here, which imports this module).
    found = []
    for info in sorted(pkgutil.iter_modules([str(Path(__file__).parent)]), key=lambda m: m.name):
        if info.name.startswith("_"):
            continue
        module = importlib.import_module(f"{__package__}.{info.name}")
        ex = getattr(module, "EXERCISES", None)
        if not isinstance(ex, ExerciseSet):
            raise TypeError(f"{module.__name__} must define EXERCISES = ExerciseSet(...)")
        object.__setattr__(ex, "module", module.__name__)
        found.append(ex)
    return tuple(sorted(found, key=lambda s: s.notebook))


def registry() -> dict[str, ExerciseSet]:
    """Every exercise set in ``playbook_lib.exercises``, by lesson id, in course order.

    Examples
    --------
    >>> "00_start_here" in registry()
    True
    """
    sets = _discover()
    out = {}
    for s in sets:
        typed = [q.name for q in s.questions if q.solution is not None]
        if typed:
            raise TypeError(
                f"{s.module or s.notebook}: question(s) {', '.join(typed)} pass solution=...; "
                f"the solution text lives in the lesson source "
                f"(notebooks/{s.notebook}.md, the code cell tagged 'solution' right after the "
                f"exercise). Move it there and drop the solution= argument.")
        if s.notebook in out:
            raise ValueError(f"two exercise sets for lesson {s.notebook!r}: "
                             f"{out[s.notebook].module} and {s.module}")
        out[s.notebook] = s
    return out


def get_set(name: str) -> ExerciseSet:
    """The exercise set for a lesson.

    The lesson is named by its id (``"00_start_here"``), its module name (``"start_here"``) or
    the notebook's path (``"notebooks/00_start_here.ipynb"``).
    """
    sets = registry()
    key = str(name).replace("\\", "/").removesuffix(".ipynb")
    if "notebooks/" in key:
        key = key.split("notebooks/", 1)[1]
    if key in sets:
        return sets[key]
    for s in sets.values():
        if s.module.rsplit(".", 1)[-1] == key or s.notebook.rsplit("/", 1)[-1] == key:
            return s
    raise KeyError(f"no exercise set {name!r}; known lessons: {', '.join(sets)}")


# --- the learner's objects -------------------------------------------------------------------


class Exercise:
    """One question bound to a notebook's data: ``check``, ``hint``, ``solution``.

    Created by :func:`setup`; a notebook never builds one directly.
    """

    def __init__(self, question: Question, lesson: str, ds, params: dict):
        self._q = question
        self._lesson = lesson
        self._ds = ds
        self._params = params
        self._expected_cache: list = []
        self._mistake_cache: dict[str, Any] = {}

    @property
    def name(self) -> str:
        return self._q.name

    @property
    def prompt(self) -> str:
        return self._q.prompt

    def __repr__(self) -> str:
        return f"{self.name}: {self.prompt}\nCheck your answer with {self.name}.check(answer)."

    def _repr_markdown_(self) -> str:
        return (f"**{self.name}** {self.prompt}\n\nCheck your answer with "
                f"`{self.name}.check({self._q.answer_var})`; `{self.name}.hint()` helps.")

    # -- checking --------------------------------------------------------------------------------
    def _expected(self):
        if not self._expected_cache:
            self._expected_cache.append(self._q.expected(self._ds, **self._params))
        return self._expected_cache[0]

    def _mistake_value(self, m: Mistake):
        if m.name not in self._mistake_cache:
            try:
                self._mistake_cache[m.name] = m.answer(self._ds, **self._params)
            except Exception:  # noqa: BLE001 - a mistake that cannot occur on this data
                self._mistake_cache[m.name] = ____
        return self._mistake_cache[m.name]

    def evaluate(self, answer=____) -> Verdict:
        """Compare ``answer`` with the expected one; no display, nothing recorded."""
        if is_blank(answer):
            return Verdict("blank", "blank", "Not answered yet: replace ____ with your code, "
                                             "run the cell, then check again.")
        try:
            expected = self._expected()
        except (DataValidationError, AttributeError, KeyError) as exc:
            return Verdict("unavailable", "unavailable",
                           f"This question cannot be checked on this dataset: {exc}")
        spec = self._q.compare
        if spec.equal(answer, expected):
            return Verdict("correct", "correct", "Correct!")
        for m in self._q.mistakes:
            if m.hint is None:
                continue
            wrong = self._mistake_value(m)
            if not is_blank(wrong) and spec.equal(answer, wrong):
                return Verdict("incorrect", "mistake", m.hint, mistake=m.name)
        return spec.diagnose(answer, expected)

    def check(self, answer=____) -> None:
        """Check your answer, show the feedback, and save the outcome to your progress."""
        v = self.evaluate(answer)
        if v.outcome != "unavailable":
            _progress.record(self._lesson, self.name, v.outcome)
        if v.outcome == "correct":
            fb = Feedback("correct", self.name, "Correct!", "Well done.")
        elif v.outcome == "blank":
            fb = Feedback("blank", self.name, "Not answered yet.",
                          "Replace ____ with your code, run the cell, then check again.")
        elif v.outcome == "unavailable":
            fb = Feedback("unavailable", self.name, "Cannot be checked here.", v.message)
        else:
            fb = Feedback("incorrect", self.name, "Incorrect.",
                          f"{v.message} Need a nudge? Run {self.name}.hint().")
        show(fb)

    def hint(self, n: int = 1) -> None:
        """Show hint ``n`` (1 = a nudge; higher numbers say more)."""
        hints = self._q.hints
        if not isinstance(n, int) or n < 1:
            raise ValueError(f"{self.name}.hint(n): n is 1, 2, ... up to {len(hints)}")
        if n > len(hints):
            show(Feedback("hint", self.name, f"No hint {n}.",
                          f"There are only {len(hints)} hint(s) for this question. "
                          f"See the worked answer with {self.name}.solution()."))
            return
        _progress.record(self._lesson, self.name, "hint")
        more = (f" ({self.name}.hint({n + 1}) says more.)" if n < len(hints)
                else f" (That was the last hint; {self.name}.solution() shows the answer.)")
        show(Feedback("hint", self.name, f"Hint {n} of {len(hints)}:", hints[n - 1] + more))

    def solution(self) -> None:
        """Show the worked answer.

        The code of this question's ``solution`` cell in the lesson's Markdown source (read
        once, see :func:`playbook_lib.lessons.solutions`).
        """
        source = lessons.source_path(self._lesson)
        try:
            code = lessons.solutions(source)[self.name]
        except FileNotFoundError:
            show(Feedback("solution", self.name, "No worked answer here.",
                          f"The lesson source {source} is missing, and the worked answers "
                          f"are kept in it."))
            return
        except KeyError:
            show(Feedback("solution", self.name, "No worked answer here.",
                          f"{source.name} has no solution cell for {self.name}."))
            return
        _progress.record(self._lesson, self.name, "solution")
        show(Feedback("solution", self.name, "Solution:", "", code=code))


class Exercises:
    """The exercises of one notebook, as returned by :func:`setup`.

    Unpack it (``q1, q2 = exercises.setup(...)``) or use attributes (``ex.q1``).
    """

    def __init__(self, spec: ExerciseSet, items: list[Exercise], params: dict):
        self._spec = spec
        self._items = items
        self.params = params

    def __iter__(self) -> Iterator[Exercise]:
        return iter(self._items)

    def __len__(self) -> int:
        return len(self._items)

    def __getitem__(self, i) -> Exercise:
        if isinstance(i, str):
            return getattr(self, i)
        return self._items[i]

    def __getattr__(self, name: str) -> Exercise:
        for e in self.__dict__.get("_items", []):
            if e.name == name:
                return e
        spec = self.__dict__.get("_spec")
        raise AttributeError(f"{spec.notebook if spec else 'these exercises'} have no question "
                             f"{name!r}")

    def __repr__(self) -> str:
        return (f"Exercises for {self._spec.notebook} ({self._spec.title}): "
                f"{', '.join(e.name for e in self._items)}")


def setup(lesson: str, ds, **params) -> Exercises:
    """Bind a lesson's exercises to the notebook's dataset and parameters.

    Parameters
    ----------
    lesson : str
        Lesson id (``"00_start_here"``), exercise module name, or notebook path.
    ds : Dataset
        The notebook's dataset (``ds = load_dataset(DATA)``).
    **params
        The set's parameters, e.g. ``month=MONTH``.

    Returns
    -------
    Exercises
        Iterable of :class:`Exercise`, one per question, in order.

    Examples
    --------
    ``q1, q2, q3, q4 = exercises.setup("00_start_here", ds, month=MONTH)``
    """
    spec = get_set(lesson)
    bound = spec.bind_params(ds, params)
    return Exercises(spec, [Exercise(q, spec.notebook, ds, bound) for q in spec.questions], bound)

