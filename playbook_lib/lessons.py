"""Lessons: the Markdown sources and the notebooks generated from them.

Each lesson has one source, ``notebooks/<area>/NN_topic.md``, in jupytext's MyST Markdown
(Markdown text with ```` ```{code-cell} ipython3 ```` blocks). A teacher edits only that file.
An exercise is a pair of consecutive code cells in it:

- the learner's cell, tagged ``exercise``: blanks (``____``) and the ``qN.check(var)`` line;
- right after it the worked answer, tagged ``solution``: the code, then the same check line.

From the source come

- the **learner copy** ``NN_topic.ipynb`` beside it (committed): ``solution`` cells dropped,
  no outputs, stable cell ids; :func:`build` writes it, :func:`check` says when it drifted;
- the **solved copy** (never committed; the tests run it): ``exercise`` cells dropped;
- the **solutions** ``qN.solution()`` shows, read from the ``solution`` cells.

From the command line::

    python -m playbook_lib.lessons build    # regenerate every learner notebook
    python -m playbook_lib.lessons check    # exit 1 and list the notebooks out of sync

A source is never paired with its notebook by jupytext (no ``formats`` metadata): the learner
copy must not carry the solutions, so it is generated, not synchronised.

jupytext and nbformat are imported by the functions that read or write notebooks, not at the
top: every lesson imports the exercises, which import this module for ``qN.solution()``, and
importing nbformat alone takes seconds (its JSON-schema validator) that most sessions never use.
"""

from __future__ import annotations

import argparse
import os
import re
import sys
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from . import _resources

if TYPE_CHECKING:
    from nbformat import NotebookNode

__all__ = [
    "BUILD_COMMAND",
    "EXERCISE_TAG",
    "SOLUTION_TAG",
    "ExercisePair",
    "build",
    "cell_id",
    "check",
    "exercise_pairs",
    "find_sources",
    "learner_notebook",
    "learner_path",
    "lesson_id",
    "main",
    "read_source",
    "solutions",
    "solved_notebook",
    "source_path",
    "structure_problems",
]

SOURCE_FORMAT = "md:myst"
EXERCISE_TAG = "exercise"
SOLUTION_TAG = "solution"
BUILD_COMMAND = "python -m playbook_lib.lessons build"
KERNELSPEC = {"name": "python3", "display_name": "Python 3", "language": "python"}
LANGUAGE_INFO = {"name": "python"}
BLANK = "____"

# ``q3.check(rfm_by_hand)`` alone on its line: the last line of an exercise and its solution.
_CHECK_LINE = re.compile(r"^(q\d+)\.check\((\w+)\)[ \t]*$", flags=re.MULTILINE)
_OUR_TAGS = (EXERCISE_TAG, SOLUTION_TAG)


# --- where the lessons are ------------------------------------------------------------------


def find_sources(root: str | os.PathLike | None = None) -> list[Path]:
    """Every lesson source (``*.md``) under ``root`` (default: the kit's notebooks folder).

    Checkpoint folders and files whose name starts with ``_`` or ``README`` are left out.

    Examples
    --------
    >>> [p.name for p in find_sources()][:1]
    ['00_start_here.md']
    """
    root = Path(root) if root is not None else _resources.notebooks_dir()
    return sorted(p for p in root.glob("**/*.md")
                  if ".ipynb_checkpoints" not in p.parts
                  and not p.name.startswith(("_", "README")))


def learner_path(md_path: str | os.PathLike) -> Path:
    """The learner notebook generated from a source: the same path ending in ``.ipynb``.

    Examples
    --------
    >>> learner_path("notebooks/01_users/01_segmentation.md").as_posix()
    'notebooks/01_users/01_segmentation.ipynb'
    """
    return Path(md_path).with_suffix(".ipynb")


def lesson_id(md_path: str | os.PathLike) -> str:
    """The lesson id of a source (the id exercise sets and progress use).

    Its path under the notebooks folder without the suffix; the bare file stem for a file
    elsewhere.

    Examples
    --------
    >>> from playbook_lib._resources import notebooks_dir
    >>> lesson_id(notebooks_dir() / "01_users" / "01_segmentation.md")
    '01_users/01_segmentation'
    >>> lesson_id("/tmp/somewhere/99_toy.md")
    '99_toy'
    """
    path = Path(md_path).resolve()
    try:
        rel = path.relative_to(_resources.notebooks_dir().resolve())
    except ValueError:
        return path.stem
    return rel.with_suffix("").as_posix()


def source_path(lesson: str) -> Path:
    """The Markdown source of a lesson id (``"01_users/01_segmentation"``).

    Examples
    --------
    >>> source_path("00_start_here").name
    '00_start_here.md'
    """
    return _resources.notebooks_dir() / f"{lesson}.md"


def cell_id(name: str, index: int) -> str:
    """A stable nbformat cell id (1-64 characters of ``[a-zA-Z0-9-_]``).

    Made of the lesson's file name and the cell's position, so regenerating an unchanged lesson
    keeps its ids.

    Examples
    --------
    >>> cell_id("01_segmentation", 7)
    '01_segmentation-007'
    >>> cell_id("a lesson.v2", 12)
    'a-lesson-v2-012'
    """
    stem = re.sub(r"[^a-zA-Z0-9_-]", "-", name)[:58] or "cell"
    return f"{stem}-{index:03d}"


# --- reading a source -----------------------------------------------------------------------


def read_source(md_path: str | os.PathLike) -> NotebookNode:
    """Read a lesson source (jupytext MyST Markdown) as a notebook, every cell included.

    Parameters
    ----------
    md_path : path
        The ``NN_topic.md`` file.

    Returns
    -------
    NotebookNode
        nbformat 4 notebook; cells keep their tags (``parameters``, ``exercise``,
        ``solution``), no outputs.
    """
    import jupytext  # here, not at the top: see the module docstring

    path = Path(md_path)
    text = path.read_text(encoding="utf-8")
    return jupytext.reads(text, fmt=SOURCE_FORMAT)


def _tags(cell) -> list[str]:
    return list(cell.get("metadata", {}).get("tags", []))


def _check_line(source: str) -> re.Match | None:
    found = list(_CHECK_LINE.finditer(source))
    return found[-1] if found else None


@dataclass(frozen=True)
class ExercisePair:
    """One exercise of a source: the learner's cell and the worked answer after it.

    Attributes
    ----------
    question : str
        ``"q1"``, ... from the check line.
    answer_var : str
        The variable the check line checks.
    exercise : str
        Source of the ``exercise`` cell (blanks and the check line).
    solution : str
        Source of the ``solution`` cell (the worked code and the check line).
    index : int
        Position of the ``exercise`` cell among the source's cells.
    """

    question: str
    answer_var: str
    exercise: str
    solution: str
    index: int

    @property
    def solution_code(self) -> str:
        """The worked code without its check line."""
        m = _check_line(self.solution)
        code = self.solution if m is None else self.solution[:m.start()] + self.solution[m.end():]
        return code.strip("\n")


def _as_notebook(source) -> NotebookNode:
    """A source given as a path is read; a notebook (a dict) is used as it is."""
    return source if isinstance(source, dict) else read_source(source)


def structure_problems(source) -> list[str]:
    r"""What is wrong with a source's exercise cells, in words (empty when all is well).

    The rules: every ``exercise`` cell has a ``____`` and a ``qN.check(var)`` line; the next
    cell is tagged ``solution``, has the same check line and no ``____``; a ``solution`` cell
    always follows an ``exercise`` cell; a cell is not both; a question appears once.

    Parameters
    ----------
    source : path or NotebookNode
        A lesson source, or the notebook :func:`read_source` made of it.

    Examples
    --------
    >>> from nbformat.v4 import new_code_cell, new_notebook
    >>> ex = new_code_cell("n = ____\nq1.check(n)", metadata={"tags": ["exercise"]})
    >>> sol = new_code_cell("n = 3\nq1.check(n)", metadata={"tags": ["solution"]})
    >>> structure_problems(new_notebook(cells=[ex, sol]))
    []
    >>> structure_problems(new_notebook(cells=[ex]))
    ['cell 0 (exercise q1): the next cell must be its solution (tagged solution)']
    """
    nb = _as_notebook(source)
    problems = []
    cells = nb.cells
    seen: set[str] = set()
    for i, cell in enumerate(cells):
        tags = _tags(cell)
        if EXERCISE_TAG in tags and SOLUTION_TAG in tags:
            problems.append(f"cell {i}: tagged both exercise and solution")
            continue
        if SOLUTION_TAG in tags:
            prev = cells[i - 1] if i else None
            if prev is None or EXERCISE_TAG not in _tags(prev):
                problems.append(f"cell {i}: a solution cell must come right after its "
                                f"exercise cell")
            continue
        if EXERCISE_TAG not in tags:
            continue
        if cell.cell_type != "code":
            problems.append(f"cell {i}: an exercise must be a code cell")
            continue
        m = _check_line(cell.source)
        if m is None:
            problems.append(f"cell {i}: an exercise cell needs a line `qN.check(var)`")
            continue
        what = f"cell {i} (exercise {m.group(1)})"
        if m.group(1) in seen:
            problems.append(f"{what}: {m.group(1)} is exercised twice")
        seen.add(m.group(1))
        if BLANK not in cell.source:
            problems.append(f"{what}: the learner's cell has no {BLANK} blank")
        nxt = cells[i + 1] if i + 1 < len(cells) else None
        if nxt is None or SOLUTION_TAG not in _tags(nxt) or nxt.cell_type != "code":
            problems.append(f"{what}: the next cell must be its solution (tagged solution)")
            continue
        sm = _check_line(nxt.source)
        if sm is None or sm.group(0).strip() != m.group(0).strip():
            problems.append(f"{what}: its solution must end with the same line "
                            f"`{m.group(0).strip()}`")
        if BLANK in nxt.source:
            problems.append(f"{what}: its solution still has a {BLANK} blank")
    return problems


def exercise_pairs(source) -> list[ExercisePair]:
    """The exercises of a source, in order.

    Parameters
    ----------
    source : path or NotebookNode
        A lesson source, or the notebook :func:`read_source` made of it.

    Raises
    ------
    ValueError
        The source breaks the exercise rules (see :func:`structure_problems`).
    """
    nb = _as_notebook(source)
    problems = structure_problems(nb)
    if problems:
        where = "the lesson" if isinstance(source, dict) else source
        raise ValueError(f"{where}: exercise cells are malformed:\n  " + "\n  ".join(problems))
    pairs = []
    for i, cell in enumerate(nb.cells):
        if EXERCISE_TAG in _tags(cell):
            m = _check_line(cell.source)
            pairs.append(ExercisePair(m.group(1), m.group(2), cell.source,
                                      nb.cells[i + 1].source, i))
    return pairs


@lru_cache(maxsize=64)
def _solutions_cached(path: str, mtime_ns: int) -> dict[str, str]:
    return {p.question: p.solution_code for p in exercise_pairs(Path(path))}


def solutions(md_path: str | os.PathLike) -> dict[str, str]:
    """The worked answer of every question of a lesson: ``{"q1": code, ...}``.

    The code is the ``solution`` cell without its ``qN.check(...)`` line. Read once per
    version of the file (a changed source is read again).

    Examples
    --------
    >>> code = solutions(source_path("00_start_here"))["q2"]
    >>> "n_orders =" in code and "check" not in code
    True
    """
    path = Path(md_path).resolve()
    return dict(_solutions_cached(str(path), path.stat().st_mtime_ns))


# --- the two generated notebooks ------------------------------------------------------------


def _generated(nb: NotebookNode, name: str, drop: str) -> NotebookNode:
    import nbformat
    from nbformat.v4 import new_notebook

    cells = []
    for cell in nb.cells:
        tags = _tags(cell)
        if drop in tags:
            continue
        cell = nbformat.from_dict(dict(cell))
        cell.metadata = {k: v for k, v in cell.get("metadata", {}).items()}
        kept = [t for t in tags if t not in _OUR_TAGS]
        if kept:
            cell.metadata["tags"] = kept
        else:
            cell.metadata.pop("tags", None)
        if cell.cell_type == "code":
            cell.outputs = []
            cell.execution_count = None
        if not cell.get("attachments"):
            cell.pop("attachments", None)
        cells.append(cell)
    out = new_notebook(cells=cells)
    for i, cell in enumerate(out.cells):
        cell["id"] = cell_id(name, i)
    out.metadata = {"kernelspec": dict(KERNELSPEC), "language_info": dict(LANGUAGE_INFO)}
    return out


def learner_notebook(md_path: str | os.PathLike) -> NotebookNode:
    """The learner copy of a lesson.

    ``solution`` cells dropped, outputs and jupytext metadata stripped, kernel ``python3``,
    cell ids from the file name and position.

    Examples
    --------
    >>> nb = learner_notebook(source_path("00_start_here"))
    >>> any("____" in c.source for c in nb.cells), nb.metadata["kernelspec"]["name"]
    (True, 'python3')
    """
    path = Path(md_path)
    return _generated(read_source(path), path.stem, drop=SOLUTION_TAG)


def solved_notebook(md_path: str | os.PathLike) -> NotebookNode:
    """The solved copy of a lesson.

    The ``exercise`` cells dropped, so each exercise is its worked answer followed by its
    check. Not committed; the tests run it.

    Examples
    --------
    >>> nb = solved_notebook(source_path("00_start_here"))
    >>> any("____" in c.source for c in nb.cells if c.cell_type == "code" and ".check(" in c.source)
    False
    """
    path = Path(md_path)
    return _generated(read_source(path), path.stem, drop=EXERCISE_TAG)


def _text(nb: NotebookNode) -> str:
    import nbformat

    text = nbformat.writes(nb)
    return text if text.endswith("\n") else text + "\n"


def _sources(paths: Iterable[str | os.PathLike] | None) -> list[Path]:
    if paths is None:
        return find_sources()
    out = []
    for p in paths:
        p = Path(p)
        md = p.with_suffix(".md") if p.suffix == ".ipynb" else p
        if not md.is_file():
            raise FileNotFoundError(f"no lesson source {md} (a lesson is edited in its .md "
                                    f"file; the .ipynb is generated from it)")
        out.append(md)
    return out


def build(paths: Iterable[str | os.PathLike] | None = None) -> list[Path]:
    """Write the learner notebook of every source (or of the given sources).

    Parameters
    ----------
    paths : iterable of path, optional
        Sources (``.md``) or their notebooks (``.ipynb``); default: :func:`find_sources`.

    Returns
    -------
    list of Path
        The notebooks written because they were missing or differed.
    """
    written = []
    for md in _sources(paths):
        target = learner_path(md)
        text = _text(learner_notebook(md))
        if target.is_file() and target.read_text(encoding="utf-8") == text:
            continue
        target.write_text(text, encoding="utf-8")
        written.append(target)
    return written


def check(paths: Iterable[str | os.PathLike] | None = None) -> list[Path]:
    """The learner notebooks missing or out of sync with their source (empty: all in sync).

    Parameters
    ----------
    paths : iterable of path, optional
        Sources (``.md``) or their notebooks (``.ipynb``); default: :func:`find_sources`.

    Examples
    --------
    >>> check()
    []
    """
    drifted = []
    for md in _sources(paths):
        target = learner_path(md)
        if not (target.is_file()
                and target.read_text(encoding="utf-8") == _text(learner_notebook(md))):
            drifted.append(target)
    return drifted


# --- command line ---------------------------------------------------------------------------


def _shown(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


def main(argv: list[str] | None = None) -> int:
    """``python -m playbook_lib.lessons build|check [PATH ...]``; returns the exit code."""
    parser = argparse.ArgumentParser(
        prog="python -m playbook_lib.lessons",
        description="Generate the learner notebooks from the lessons' Markdown sources.")
    parser.add_argument("command", choices=["build", "check"],
                        help="build: write the learner notebooks; check: list the ones out "
                             "of sync (exit 1 if any)")
    parser.add_argument("paths", nargs="*", help="sources (.md) or notebooks (.ipynb); "
                                                 "default: every lesson")
    args = parser.parse_args(argv)
    paths = args.paths or None
    try:
        if args.command == "build":
            written = build(paths)
            for p in written:
                print(f"wrote {_shown(p)}")
            n = len(_sources(paths))
            print(f"{n} learner notebook(s) checked, {len(written)} written.")
            return 0
        drifted = check(paths)
    except (FileNotFoundError, ValueError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    if not drifted:
        print("Every learner notebook is in sync with its Markdown source.")
        return 0
    print(f"{len(drifted)} learner notebook(s) out of sync with their Markdown source:",
          file=sys.stderr)
    for p in drifted:
        print(f"  {_shown(p)}", file=sys.stderr)
    print(f"Regenerate them with: {BUILD_COMMAND}", file=sys.stderr)
    return 1


if __name__ == "__main__":
    raise SystemExit(main())
