"""playbook_lib.lessons on small hand-written sources: reading, the learner and solved copies,
the solutions, the exercise rules, build/check and the command line. The real lessons are
checked in test_notebooks.py."""

from __future__ import annotations

import os

import nbformat
import pytest

from playbook_lib import lessons

SOURCE = """\
---
jupytext:
  text_representation:
    extension: .md
    format_name: myst
    format_version: 0.13
kernelspec:
  display_name: Python 3
  language: python
  name: python3
---

# 99 · A toy lesson

```{code-cell} ipython3
:tags: [parameters]

DATA = "demo"  # the shop
```

Add up `x`.

```{code-cell} ipython3
:tags: [exercise]

total = ____  # the sum of x
q1.check(total)
```

```{code-cell} ipython3
:tags: [solution]

parts = [1, 2]
total = sum(parts)
q1.check(total)
```

```{code-cell} ipython3
# q1.hint()
# q1.solution()
```
"""


@pytest.fixture
def lesson(tmp_path):
    md = tmp_path / "99_toy.md"
    md.write_text(SOURCE, encoding="utf-8")
    return md


def _sources(nb):
    return [(c.cell_type, c.source) for c in nb.cells]


def test_read_source_keeps_every_cell_and_its_tags(lesson):
    nb = lessons.read_source(lesson)
    assert [c.metadata.get("tags", []) for c in nb.cells if c.cell_type == "code"] == [
        ["parameters"], ["exercise"], ["solution"], []]


def test_learner_notebook(lesson):
    nb = lessons.learner_notebook(lesson)
    assert _sources(nb) == [
        ("markdown", "# 99 · A toy lesson"),
        ("code", 'DATA = "demo"  # the shop'),
        ("markdown", "Add up `x`."),
        ("code", "total = ____  # the sum of x\nq1.check(total)"),
        ("code", "# q1.hint()\n# q1.solution()")]
    assert [c.id for c in nb.cells] == [f"99_toy-{i:03d}" for i in range(5)]
    assert nb.metadata == {"kernelspec": lessons.KERNELSPEC,
                           "language_info": lessons.LANGUAGE_INFO}  # no jupytext metadata
    assert nb.cells[1].metadata == {"tags": ["parameters"]}
    assert nb.cells[3].metadata == {}  # the exercise tag is the source's business
    assert all(c.outputs == [] and c.execution_count is None
               for c in nb.cells if c.cell_type == "code")
    nbformat.validate(nb)


def test_solved_notebook(lesson):
    nb = lessons.solved_notebook(lesson)
    code = [s for t, s in _sources(nb) if t == "code"]
    assert code[1] == "parts = [1, 2]\ntotal = sum(parts)\nq1.check(total)"
    assert not any("____" in s for s in code)
    assert [c.id for c in nb.cells] == [f"99_toy-{i:03d}" for i in range(5)]


def test_solutions_leave_out_the_check_line(lesson):
    assert lessons.solutions(lesson) == {"q1": "parts = [1, 2]\ntotal = sum(parts)"}


def test_solutions_are_read_again_when_the_source_changes(lesson):
    assert lessons.solutions(lesson)["q1"].endswith("sum(parts)")
    text = SOURCE.replace("total = sum(parts)", "total = 3")
    lesson.write_text(text, encoding="utf-8")
    st = lesson.stat()
    os.utime(lesson, ns=(st.st_atime_ns, st.st_mtime_ns + 1_000_000_000))
    assert lessons.solutions(lesson)["q1"] == "parts = [1, 2]\ntotal = 3"


@pytest.mark.parametrize(("change", "problem"), [
    (("q1.check(total)\n```\n\n```{code-cell} ipython3\n:tags: [solution]",
      "q1.check(total)\n```\n\nSome text.\n\n```{code-cell} ipython3\n:tags: [solution]"),
     "cell 3 (exercise q1): the next cell must be its solution (tagged solution)"),
    (("total = ____  # the sum of x\n", "total = 0\n"),
     "cell 3 (exercise q1): the learner's cell has no ____ blank"),
    (("total = sum(parts)\nq1.check(total)", "total = sum(parts)\nq1.check(parts)"),
     "cell 3 (exercise q1): its solution must end with the same line `q1.check(total)`"),
    (("parts = [1, 2]\n", "parts = ____\n"),
     "cell 3 (exercise q1): its solution still has a ____ blank"),
    (("total = ____  # the sum of x\nq1.check(total)", "total = ____"),
     "cell 3: an exercise cell needs a line `qN.check(var)`"),
])
def test_structure_problems_are_named(lesson, change, problem):
    lesson.write_text(SOURCE.replace(*change), encoding="utf-8")
    assert problem in lessons.structure_problems(lesson)
    with pytest.raises(ValueError, match="exercise cells are malformed"):
        lessons.exercise_pairs(lesson)


def test_a_lone_solution_cell_is_a_problem(lesson):
    text = SOURCE.replace(":tags: [exercise]\n", "")
    lesson.write_text(text, encoding="utf-8")
    assert lessons.structure_problems(lesson) == [
        "cell 4: a solution cell must come right after its exercise cell"]


def test_exercise_pairs(lesson):
    (pair,) = lessons.exercise_pairs(lesson)
    assert (pair.question, pair.answer_var, pair.index) == ("q1", "total", 3)
    assert pair.solution_code == "parts = [1, 2]\ntotal = sum(parts)"


def test_build_then_check(lesson, tmp_path):
    target = tmp_path / "99_toy.ipynb"
    assert lessons.check([lesson]) == [target]  # missing
    assert lessons.build([lesson]) == [target]
    assert lessons.build([lesson]) == []  # unchanged: not rewritten
    assert lessons.check([target]) == []  # a notebook path names its source too
    assert "sum(parts)" not in target.read_text(encoding="utf-8")  # no worked answer in it
    lesson.write_text(SOURCE.replace("Add up `x`.", "Add up the column `x`."), encoding="utf-8")
    assert lessons.check([lesson]) == [target]  # drifted


def test_command_line(lesson, tmp_path, capsys):
    assert lessons.main(["check", str(lesson)]) == 1
    err = capsys.readouterr().err
    assert "1 learner notebook(s) out of sync with their Markdown source:" in err
    assert "99_toy.ipynb" in err
    assert "Regenerate them with: python -m playbook_lib.lessons build" in err
    assert lessons.main(["build", str(lesson)]) == 0
    assert "wrote" in capsys.readouterr().out
    assert lessons.main(["check", str(lesson)]) == 0
    assert "in sync" in capsys.readouterr().out
    assert lessons.main(["check", str(tmp_path / "nope.md")]) == 2
    assert "no lesson source" in capsys.readouterr().err


def test_the_kits_sources_are_found_by_a_glob():
    found = lessons.find_sources()
    assert found and all(p.suffix == ".md" for p in found)
    assert "00_start_here" in {lessons.lesson_id(p) for p in found}
    assert lessons.lesson_id(lessons.source_path("01_users/01_segmentation")) == (
        "01_users/01_segmentation")
