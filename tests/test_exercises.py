"""The exercise machinery: the blank, the answer specs' feedback, check/hint/solution, the
registry and progress. Lesson sets themselves are tested in test_exercise_sets.py."""

from __future__ import annotations

import json
import re
import warnings

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from playbook_lib import _resources, exercises
from playbook_lib.exercises import (
    ExactAnswer,
    ExerciseSet,
    FrameAnswer,
    ItemsAnswer,
    Mistake,
    Question,
    ScalarAnswer,
    SeriesAnswer,
    ____,
)
from playbook_lib.exercises._display import Feedback


@pytest.fixture(autouse=True)
def home(tmp_path, monkeypatch):
    """Progress goes to a temporary PLAYBOOK_HOME, never the real one."""
    h = tmp_path / "home"
    monkeypatch.setenv("PLAYBOOK_HOME", str(h))
    return h


# --- the blank -------------------------------------------------------------------------------


def test_blank_absorbs_everything():
    s = pd.Series([1.0, 2.0])
    df = pd.DataFrame({"a": [1, 2]})
    results = [
        ____["net_amount"].sum() / 2, ____.groupby("x")["y"].mean(), ____(1, k=2),
        s * ____, ____ - s, s == ____, df == ____, np.array([1, 2]) + ____, np.mean(____),
        round(____, 2), abs(-____), ____ ** 2, ____ > 3, ____ & True,
    ]
    assert all(r is ____ for r in results)
    assert not ____ and f"{____:.2f}" == "____" and str(____) == "____"
    assert exercises.is_blank([1, ____]) and exercises.is_blank({"a": ____})
    assert not exercises.is_blank([1, 2]) and not exercises.is_blank(0)


# --- scalar feedback -------------------------------------------------------------------------


@pytest.mark.parametrize(("answer", "code"), [
    (0.25, "correct"), (0.2500000001, "correct"), (np.float64(0.25), "correct"),
    (np.array(0.25), "correct"),
    (25.0, "percent"), (-0.25, "sign"), (0.252, "close"), (0.4, "too_high"), (0.1, "too_low"),
    (float("nan"), "nan"), ("0.25", "wrong_type"), (None, "wrong_type"), (True, "wrong_type"),
    (pd.Series([0.25]), "wrong_type"), (pd.Series([0.1, 0.15]), "wrong_type"),
])
def test_scalar_diagnosis(answer, code):
    assert ScalarAnswer().diagnose(answer, 0.25).code == code


def test_scalar_messages_say_what_to_do():
    spec = ScalarAnswer()
    assert "percentage" in spec.diagnose(25.0, 0.25).message
    assert ".item()" in spec.diagnose(pd.Series([0.25]), 0.25).message
    assert "Aggregate" in spec.diagnose(pd.Series([1.0, 2.0]), 0.25).message
    assert "not formatted text" in spec.diagnose("0.25", 0.25).message
    assert "assign" in spec.diagnose(None, 0.25).message
    assert ScalarAnswer(whole=True).diagnose(12.5, 40).code == "whole"
    assert ScalarAnswer(percent=True).diagnose(0.25, 25.0).code == "fraction"
    assert spec.diagnose(float("nan"), float("nan")).correct
    assert spec.diagnose(1.0, float("nan")).code == "values"


@pytest.mark.parametrize("expected", [1234.5678, 0.0371, 98765.0])
def test_scalar_feedback_never_shows_the_expected_value(expected):
    spec = ScalarAnswer()
    shown = {f"{expected:g}", f"{expected:.2f}", f"{expected:,.2f}", f"{expected:,.0f}",
             repr(expected), f"{expected:.1%}", f"{expected * 100:.1f}"}
    shown = {x for x in shown if x.strip("0.,%")}  # "0" is no leak
    for answer in (expected * 100, -expected, expected * 1.01, expected * 3, expected / 3,
                   "x", None, pd.Series([1.0, 2.0]), float("nan")):
        msg = spec.diagnose(answer, expected).message
        assert not any(s in msg for s in shown), msg


_MAGNITUDES = st.floats(min_value=1e-4, max_value=1e9, allow_nan=False)


@given(expected=_MAGNITUDES, negative=st.booleans(), eps=st.floats(0, 5e-7))
def test_scalar_properties(expected, negative, eps):
    """Within tolerance is correct; 100x is a percentage; -x a flipped sign; and no message
    ever quotes the expected value."""
    e = -expected if negative else expected
    spec = ScalarAnswer()
    assert spec.diagnose(e * (1 + eps), e).correct
    assert spec.diagnose(e * 100, e).code == "percent"
    assert spec.diagnose(-e, e).code == "sign"
    assert spec.diagnose(e * 1.5, e).code == ("too_low" if negative else "too_high")
    shown = {f"{e:g}", f"{e:.2f}", f"{e:,.2f}", repr(e)}
    shown = {x for x in shown if sum(ch in "123456789" for ch in x) >= 2}
    for answer in (e * 100, -e, e * 1.01, e * 1.5, e * 0.2, float("nan"), "x"):
        msg = spec.diagnose(answer, e).message
        assert not any(x in msg for x in shown), msg


# --- Series feedback -------------------------------------------------------------------------


@pytest.fixture
def by_channel():
    return pd.Series([500.0, 300.0, 200.0, 50.0],
                     index=pd.Index(["search", "douyin", "private", "xhs"], name="channel"),
                     name="net_amount")


def test_series_correct_in_any_order_and_dtype(by_channel):
    spec = SeriesAnswer()
    assert spec.diagnose(by_channel.sort_index(), by_channel).correct
    assert spec.diagnose(by_channel.astype("float32").rename("x"), by_channel).correct


@pytest.mark.parametrize(("make", "code", "words"), [
    (lambda s: s.iloc[:2], "subset", ["missing 50% of the entries", "'private'", "'xhs'"]),
    (lambda s: pd.concat([s, pd.Series([1.0], index=["tv"])]), "extra_rows", ["'tv'"]),
    (lambda s: s.reset_index(drop=True), "index", ["default 0, 1, 2", "channel"]),
    (lambda s: pd.concat([s, s.iloc[:1]]), "duplicates", ["'search'"]),
    (lambda s: s * 100, "percent", ["percentages"]),
    (lambda s: -s, "sign", ["sign"]),
    (lambda s: s.where(s.index != "douyin", 301.0), "close", ["'douyin'", "for one entry"]),
    (lambda s: s.where(s.index != "xhs", 9.0), "values", ["one entry", "'xhs'"]),
    (lambda s: s.where(s.index != "xhs", np.nan), "nan", ["'xhs'", "fillna"]),
    (lambda s: s.to_frame(), "wrong_type", ["df['net_amount']"]),
    (lambda s: s.sum(), "wrong_type", ["groupby"]),
    (lambda s: s.to_dict(), "wrong_type", ["pd.Series"]),
])
def test_series_diagnosis(by_channel, make, code, words):
    v = SeriesAnswer().diagnose(make(by_channel), by_channel)
    assert v.code == code, v.message
    for w in words:
        assert w in v.message, v.message
    for number in ("500", "300", "200", "50.0", "1050"):  # never the expected values
        assert number not in v.message.replace("1 of 4", "")


def test_series_order_and_name_when_asked(by_channel):
    spec = SeriesAnswer(check_order=True, check_name=True)
    assert spec.diagnose(by_channel.sort_index(), by_channel).code == "order"
    assert spec.diagnose(by_channel.rename("gmv"), by_channel).code == "name"
    assert spec.diagnose(by_channel, by_channel).correct


def test_series_index_label_types_explained():
    e = pd.Series([1.0, 2.0], index=pd.Index(["2026-01", "2026-02"], name="month"))
    a = pd.Series([1.0, 2.0], index=pd.PeriodIndex(["2026-01", "2026-02"], freq="M"))
    v = SeriesAnswer().diagnose(a, e)
    assert v.code == "index" and "Period values" in v.message and "str values" in v.message


# --- DataFrame feedback ----------------------------------------------------------------------


@pytest.fixture
def table():
    return pd.DataFrame({"gmv": [500.0, 300.0, 200.0], "orders": [5, 3, 2]},
                        index=pd.Index(["search", "douyin", "xhs"], name="channel"))


@pytest.mark.parametrize(("make", "code", "words"), [
    (lambda t: t[["orders", "gmv"]].iloc[::-1], "correct", []),
    (lambda t: t[["gmv"]], "missing_columns", ["lacks column(s) 'orders'"]),
    (lambda t: t.rename(columns={"gmv": "GMV"}), "missing_columns", ["'gmv'", "'GMV'"]),
    (lambda t: t.assign(aov=1.0), "extra_columns", ["'aov'"]),
    (lambda t: t.reset_index(), "index", [".set_index('channel')"]),
    (lambda t: t.iloc[:2], "subset", ["missing one row", "'xhs'"]),
    (lambda t: t.assign(gmv=t["gmv"] * 100), "percent", ["column 'gmv'", "percentages"]),
    (lambda t: t.assign(orders=[5, 4, 2]), "values", ["column 'orders'", "one row",
                                                      "'douyin'"]),
    (lambda t: t.assign(orders=[6, 4, 2], gmv=[1.0, 2.0, 3.0]), "values",
     ["2 columns", "'gmv'", "'orders'"]),
    (lambda t: t["gmv"], "wrong_type", [".to_frame()"]),
    (lambda t: 5, "wrong_type", ["a single number"]),
])
def test_frame_diagnosis(table, make, code, words):
    v = FrameAnswer().diagnose(make(table), table)
    assert v.code == code, v.message
    for w in words:
        assert w in v.message, v.message


def test_frame_with_key_ignores_where_the_key_lives(table):
    spec = FrameAnswer(key=("channel",))
    flat = table.reset_index()
    assert spec.diagnose(flat, flat).correct
    assert spec.diagnose(table, flat).correct  # key kept as the index
    assert spec.diagnose(flat.iloc[::-1].reset_index(drop=True), flat).correct
    v = spec.diagnose(flat.drop(columns="channel"), flat)
    assert v.code == "missing_columns" and "'channel'" in v.message
    columns_moved = table.reset_index().set_index("gmv")
    assert spec.diagnose(columns_moved, flat).correct


# --- labels and lists ------------------------------------------------------------------------


def test_exact_and_items():
    assert ExactAnswer().diagnose("beauty", "beauty").correct
    assert ExactAnswer().diagnose(pd.Series(["beauty"]), "beauty").code == "wrong_type"
    assert ExactAnswer().diagnose(3, "beauty").code == "wrong_type"
    assert ExactAnswer().diagnose(np.int64(3), 3).correct
    assert ItemsAnswer().diagnose(pd.Index(["b", "a"]), ["a", "b"]).correct
    assert ItemsAnswer().diagnose(["a", "a", "b"], ["a", "b"]).code == "duplicates"
    assert ItemsAnswer().diagnose(["a", "b", "c"], ["a", "b"]).code == "extra_rows"
    assert ItemsAnswer().diagnose("ab", ["a", "b"]).code == "wrong_type"
    assert ItemsAnswer(ordered=True).diagnose(["b", "a"], ["a", "b"]).code == "order"
    assert "'a'" not in ItemsAnswer().diagnose(["b"], ["a", "b"]).message  # missing not named


# --- a small exercise set, built here -------------------------------------------------------


def _toy_set(**overrides) -> ExerciseSet:
    q1 = Question(
        "q1", prompt="Total of `x`.", expected=lambda ds, scale: ds["x"].sum() * scale,
        compare=ScalarAnswer(), hints=["Add it up.", "Use .sum()."], answer_var="total",
        mistakes=[Mistake("first_only", lambda ds, scale: ds["x"].iloc[0] * scale,
                          hint="Only the first row: add up all of them."),
                  Mistake("percent", lambda ds, scale: ds["x"].sum() * scale * 100,
                          code="percent")])
    q2 = Question(
        "q2", prompt="Mean of `x`.", expected=lambda ds, scale: ds["x"].mean() * scale,
        compare=ScalarAnswer(), hints=["Average."], answer_var="avg")
    kw = {"notebook": "99_toy", "title": "Toy", "questions": [q1, q2], "params": ("scale",)}
    kw.update(overrides)
    return ExerciseSet(**kw)


@pytest.fixture
def toy(monkeypatch):
    spec = _toy_set()
    monkeypatch.setattr(exercises._core, "_discover", lambda: (spec,))
    data = pd.DataFrame({"x": [1.0, 2.0, 3.0]})
    return spec, exercises.setup("99_toy", data, scale=2)


def test_setup_returns_one_object_per_question(toy):
    _spec, ex = toy
    q1, q2 = ex
    assert (q1.name, q2.name) == ("q1", "q2") and ex.q2 is q2 and ex["q1"] is q1
    assert len(ex) == 2 and "Total of `x`" in q1._repr_markdown_()
    with pytest.raises(AttributeError, match="no question 'q9'"):
        _ = ex.q9


def test_setup_checks_parameter_names(toy):
    data = pd.DataFrame({"x": [1.0]})
    with pytest.raises(TypeError, match=r"unknown parameter\(s\) 'month'.*it takes: scale"):
        exercises.setup("99_toy", data, month="2026-01")
    with pytest.raises(TypeError, match=r"missing parameter\(s\) 'scale'"):
        exercises.setup("99_toy", data)
    with pytest.raises(KeyError, match="no exercise set 'nope'; known lessons: 99_toy"):
        exercises.setup("nope", data)


def test_answer_and_mistakes(toy):
    _spec, ex = toy
    assert ex.q1.evaluate(12.0).correct
    v = ex.q1.evaluate(2.0)
    assert (v.code, v.mistake, v.message) == ("mistake", "first_only",
                                              "Only the first row: add up all of them.")
    assert ex.q1.evaluate(1200.0).code == "percent"
    assert ex.q1.evaluate(11.0).code == "close" or ex.q1.evaluate(11.0).code == "too_low"


def test_check_prints_and_records(toy, capsys, home):
    _spec, ex = toy
    ex.q1.check(12.0)
    ex.q1.check(____)
    ex.q1.check(2.0)
    ex.q2.check()
    out = capsys.readouterr().out.splitlines()
    assert out[0] == "q1 - Correct! Well done."
    assert out[1].startswith("q1 - Not answered yet.")
    assert out[2].startswith("q1 - Incorrect. Only the first row") and "q1.hint()" in out[2]
    lines = [json.loads(x) for x in (home / "progress.jsonl").read_text().splitlines()]
    assert [(r["notebook"], r["question"], r["outcome"]) for r in lines] == [
        ("99_toy", "q1", "correct"), ("99_toy", "q1", "blank"), ("99_toy", "q1", "incorrect"),
        ("99_toy", "q2", "blank")]
    assert all(len(r["time"]) == 19 for r in lines)  # ISO, seconds


def test_hints_are_graded(toy, capsys):
    _, ex = toy
    ex.q1.hint()
    ex.q1.hint(2)
    ex.q1.hint(3)
    out = capsys.readouterr().out.splitlines()
    assert out[0] == "q1 - Hint 1 of 2: Add it up. (q1.hint(2) says more.)"
    assert out[1].startswith("q1 - Hint 2 of 2: Use .sum().") and "last hint" in out[1]
    assert "only 2 hint(s)" in out[2] and "q1.solution()" in out[2]
    with pytest.raises(ValueError, match="n is 1, 2"):
        ex.q1.hint(0)


TOY_SOURCE = """\
# Toy lesson

```{code-cell} ipython3
:tags: [exercise]

total = ____
q1.check(total)
```

```{code-cell} ipython3
:tags: [solution]

total = frame['x'].sum() * scale
q1.check(total)
```
"""


def test_solution_shows_the_lessons_solution_cell(toy, capsys, tmp_path, monkeypatch):
    """The worked answer is read from the lesson's Markdown source, without the check line."""
    from playbook_lib import _resources

    monkeypatch.setattr(_resources, "notebooks_dir", lambda: tmp_path)
    (tmp_path / "99_toy.md").write_text(TOY_SOURCE, encoding="utf-8")
    _, ex = toy
    ex.q1.solution()
    out = capsys.readouterr().out
    assert out == "q1 - Solution:\n\ntotal = frame['x'].sum() * scale\n\n"
    ex.q2.solution()  # the source has no pair for q2
    assert capsys.readouterr().out == ("q2 - No worked answer here. 99_toy.md has no solution "
                                       "cell for q2.\n")
    (tmp_path / "99_toy.md").unlink()
    ex.q1.solution()
    out = capsys.readouterr().out
    assert out.startswith("q1 - No worked answer here. The lesson source ") and "99_toy.md" in out


def test_solution_text_in_an_exercise_module_is_refused(monkeypatch):
    q = Question("q1", prompt="p", expected=lambda ds: 1, compare=ScalarAnswer(),
                 hints=["h"], answer_var="x", solution="x = 1")
    spec = ExerciseSet(notebook="99_toy", title="Toy", questions=[q])
    monkeypatch.setattr(exercises._core, "_discover", lambda: (spec,))
    with pytest.raises(TypeError, match=r"q1 pass solution=\.\.\.; the solution text lives in "
                                        r"the lesson source \(notebooks/99_toy\.md"):
        exercises.registry()


def test_unavailable_on_a_dataset_without_the_data(toy, capsys, home):
    data = pd.DataFrame({"y": [1.0]})
    ex = exercises.setup("99_toy", data, scale=1)
    assert ex.q1.evaluate(1.0).outcome == "unavailable"
    ex.q1.check(1.0)
    assert "Cannot be checked here" in capsys.readouterr().out
    assert not (home / "progress.jsonl").exists()


def test_feedback_in_a_notebook_is_markdown(monkeypatch):
    fb = Feedback("correct", "q1", "Correct!", "Well done.")
    md = fb._repr_markdown_()
    assert md.startswith('<span style="color:#2e7d32; font-weight:bold">q1 - Correct!</span>')
    sol = Feedback("solution", "q1", "Solution:", code="x = 1")._repr_markdown_()
    assert "```python\nx = 1\n```" in sol
    shown = []
    monkeypatch.setattr(exercises._display, "in_notebook", lambda: True)
    monkeypatch.setattr("IPython.display.display", lambda obj: shown.append(obj))
    exercises._display.show(fb)
    assert shown == [fb]


def test_declarations_are_validated():
    with pytest.raises(ValueError, match="exactly one of hint= or code="):
        Mistake("m", lambda ds: 1)
    with pytest.raises(ValueError, match="at least one hint"):
        Question("q1", "p", lambda ds: 1, ScalarAnswer(), [], "a")
    with pytest.raises(TypeError, match="compare must be an AnswerSpec"):
        Question("q1", "p", lambda ds: 1, "scalar", ["h"], "a")
    q = Question("q1", "p", lambda ds: 1, ScalarAnswer(), ["h"], "a")
    with pytest.raises(ValueError, match="question names repeat"):
        ExerciseSet("x", "X", [q, q])


# --- the registry ----------------------------------------------------------------------------


def test_registry_and_lookup():
    sets = exercises.registry()
    assert "00_start_here" in sets
    s = sets["00_start_here"]
    assert exercises.get_set("start_here") is s
    assert exercises.get_set("notebooks/00_start_here.ipynb") is s
    assert s.module == "playbook_lib.exercises.start_here"
    assert all(q.solution is None for s in sets.values() for q in s.questions)


def test_exercises_and_progress_modules_import_each_other_nowhere():
    """_core imports _progress at the top; _progress imports nothing of the package, and
    neither hides an import inside a function."""
    import ast
    import inspect

    from playbook_lib.exercises import _core, _progress

    for module in (_core, _progress):
        tree = ast.parse(inspect.getsource(module))
        inner = [n for f in ast.walk(tree) if isinstance(f, (ast.FunctionDef, ast.AsyncFunctionDef))
                 for n in ast.walk(f) if isinstance(n, (ast.Import, ast.ImportFrom))]
        assert not inner, f"{module.__name__}: import inside a function at line {inner[0].lineno}"
    tree = ast.parse(inspect.getsource(_progress))
    relative = [n.module for n in ast.walk(tree) if isinstance(n, ast.ImportFrom) and n.level]
    assert relative == [], f"_progress imports {relative} from the package"


# --- progress --------------------------------------------------------------------------------


def test_progress_table_counts_distinct_correct_questions(home):
    exercises.record("00_start_here", "q1", "incorrect")
    exercises.record("00_start_here", "q1", "correct")
    exercises.record("00_start_here", "q1", "correct")
    exercises.record("00_start_here", "q2", "blank")
    t = exercises.progress_table()
    row = t.loc["00_start_here"]
    total = len(exercises.registry()["00_start_here"].questions)
    assert (row["correct"], row["total"], row["attempts"]) == (1, total, 3)
    assert pd.notna(row["last_activity"])
    others = t.drop(index="00_start_here")
    assert (others["correct"] == 0).all() and others["last_activity"].isna().all()
    text = exercises.format_progress(t)
    assert re.search(rf"00_start_here\s+1/{total}\b", text)
    assert "not started" not in text.splitlines()[0]


def test_progress_corrupt_line_is_reported_and_skipped(home):
    exercises.record("00_start_here", "q1", "correct")
    with open(home / "progress.jsonl", "a", encoding="utf-8") as f:
        f.write('{"notebook": "00_start_here", "quest\n')   # cut short by a crash
        f.write('{"notebook": "x", "question": "q1", "outcome": "maybe", "time": "2026"}\n')
        f.write("\n")
    exercises.record("00_start_here", "q2", "correct")
    with pytest.warns(UserWarning,
                      match=r"progress\.jsonl, line \d+: unreadable progress record skipped",
                      ) as caught:
        t = exercises.progress_table()
    messages = [str(w.message) for w in caught]
    assert any("line 2: unreadable progress record skipped" in m for m in messages)
    assert any("line 3" in m and "unknown outcome 'maybe'" in m for m in messages)
    assert t.loc["00_start_here", "correct"] == 2


def test_progress_default_home(monkeypatch, tmp_path):
    monkeypatch.delenv("PLAYBOOK_HOME")
    monkeypatch.setenv("HOME", str(tmp_path))
    assert exercises.progress_path() == tmp_path / ".playbook" / "progress.jsonl"


def test_progress_unwritable_home_only_warns(monkeypatch, tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    monkeypatch.setenv("PLAYBOOK_HOME", str(blocker))
    with pytest.warns(UserWarning, match="could not save exercise progress"):
        exercises.record("00_start_here", "q1", "correct")


def test_cli_progress_prints_the_table(capsys):
    exercises.record("00_start_here", "q3", "correct")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert exercises.cli_progress() == 0
    out = capsys.readouterr().out
    assert "00_start_here" in out and "questions answered correctly" in out


def test_row_counts_are_never_printed_in_value_feedback():
    # "differ for 12413 of 12413 rows" can coincide with an expected value: say it in words
    from playbook_lib.exercises._compare import _how_many
    assert [_how_many(b, n, "row") for b, n in [(5, 5), (1, 1), (1, 9), (3, 12), (1, 900),
                                                (2, 900)]] == [
        "all rows", "the row", "one row", "25% of the rows", "one row", "a few rows"]
    e = pd.Series([1.0, 2.0, 3.0, 4.0], index=list("abcd"))
    v = SeriesAnswer().diagnose(e * 7, e)
    assert "all entries" in v.message and "4" not in v.message


def test_hints_and_solutions_are_recorded_and_solving_alone_is_told_apart(
        toy, home, capsys, tmp_path, monkeypatch):
    _spec, ex = toy
    monkeypatch.setattr(_resources, "notebooks_dir", lambda: tmp_path)
    (tmp_path / "99_toy.md").write_text(TOY_SOURCE, encoding="utf-8")
    ex.q2.hint()
    ex.q2.check(____)
    ex.q1.solution()
    ex.q1.check(12.0)  # correct, but after the worked answer was shown
    lines = [json.loads(x) for x in (home / "progress.jsonl").read_text().splitlines()]
    assert [(r["question"], r["outcome"]) for r in lines] == [
        ("q2", "hint"), ("q2", "blank"), ("q1", "solution"), ("q1", "correct")]
    exercises.record("99_toy", "q2", "correct")  # after a hint only: solved alone
    t = exercises.progress_table(lessons={"99_toy": ("Toy", 2)})
    row = t.loc["99_toy"]
    assert (row["correct"], row["solved_alone"], row["hints"], row["solutions"],
            row["attempts"]) == (2, 1, 1, 1, 2)
    text = exercises.format_progress(t)
    assert "(1 after the solution)" in text
    assert "2 of 2 questions answered correctly, 1 of them without the worked answer" in text


def test_nothing_is_recorded_when_progress_is_off(toy, home, monkeypatch, capsys):
    _spec, ex = toy
    monkeypatch.setenv("PLAYBOOK_PROGRESS", "off")
    ex.q1.check(12.0)
    ex.q1.hint()
    assert not (home / "progress.jsonl").exists()
    monkeypatch.setenv("PLAYBOOK_PROGRESS", "on")
    ex.q1.check(12.0)
    assert (home / "progress.jsonl").exists()
