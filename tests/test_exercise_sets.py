"""Every registered exercise set, every question: every typical mistake fails with the
feedback it declares, no feedback shows the expected value, and a blank is "not answered".

Parametrised over the registry, so a new ``playbook_lib/exercises/<set>.py`` is tested without
touching this file. Mistakes run on the demo shop and on a small generated shop with other
dates and size (fixtures from conftest.py). That each worked answer passes its check is proved
where the answer lives: tests/test_notebooks.py runs every lesson's solved copy.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from playbook_lib import exercises
from playbook_lib.exercises import ____

SETS = exercises.registry()
QUESTIONS = [pytest.param(s.notebook, q.name, id=f"{s.notebook}.{q.name}")
             for s in SETS.values() for q in s.questions]
MISTAKES = [pytest.param(s.notebook, q.name, m.name, id=f"{s.notebook}.{q.name}.{m.name}")
            for s in SETS.values() for q in s.questions for m in q.mistakes]
SHOPS = ["demo", "small_shop"]


@pytest.fixture(autouse=True)
def _private_home(tmp_path, monkeypatch):
    """Checks append to $PLAYBOOK_HOME/progress.jsonl: never the real home."""
    monkeypatch.setenv("PLAYBOOK_HOME", str(tmp_path / "home"))


@pytest.fixture(params=SHOPS)
def shop(request):
    return request.getfixturevalue(request.param)


def _bound(notebook: str, qname: str, ds):
    spec = SETS[notebook]
    params = spec.examples(ds)
    ex = exercises.setup(notebook, ds, **params)
    return spec, spec.question(qname), getattr(ex, qname), spec.bind_params(ds, params)


def test_registry_finds_sets():
    assert "00_start_here" in SETS
    for s in SETS.values():
        assert s.questions, f"{s.notebook} has no questions"
        assert all(len(q.hints) >= 2 for q in s.questions), f"{s.notebook}: give graded hints"


@pytest.mark.parametrize(("notebook", "qname"), QUESTIONS)
def test_blank_is_not_answered(notebook, qname, demo, capsys):
    _, _, ex, _ = _bound(notebook, qname, demo)
    assert ex.evaluate(____).outcome == "blank"
    assert ex.evaluate(____["net_amount"].sum() / 2).outcome == "blank"
    ex.check()  # no argument at all: also "not answered", and never raises
    assert "Not answered yet" in capsys.readouterr().out


@pytest.mark.parametrize(("notebook", "qname", "mistake"), MISTAKES)
def test_mistake_gets_its_feedback(notebook, qname, mistake, shop, request):
    _spec, q, ex, params = _bound(notebook, qname, shop)
    m = next(m for m in q.mistakes if m.name == mistake)
    wrong = m.answer(shop, **params)
    expected = q.expected(shop, **params)
    if q.compare.equal(wrong, expected):
        # On a shop where the mistake gives the right number anyway it cannot be caught;
        # the demo shop must always tell them apart, or the check is useless.
        assert request.node.callspec.params["shop"] != "demo", (
            f"{notebook}.{qname}.{mistake} equals the right answer on the demo shop")
        pytest.skip("this mistake gives the right answer on this shop")
    verdict = ex.evaluate(wrong)
    assert verdict.outcome == "incorrect"
    if m.hint is not None:
        assert (verdict.code, verdict.mistake) == ("mistake", mistake), verdict.message
        assert verdict.message == m.hint
    else:
        assert verdict.code == m.code, f"got {verdict.code}: {verdict.message}"


def _numbers(value) -> list[float]:
    """The numbers inside an expected answer (a scalar, or a Series/DataFrame's values)."""
    if isinstance(value, (pd.Series, pd.DataFrame)):
        arr = pd.DataFrame(value).select_dtypes("number").to_numpy(dtype=float).ravel()
        return [float(x) for x in arr if np.isfinite(x)]
    try:
        return [float(value)]
    except (TypeError, ValueError):
        return []


def _renderings(x: float) -> set[str]:
    shown = {f"{x:g}", f"{x:.2f}", f"{x:,.2f}", f"{x:,.0f}", repr(x), f"{x:.1%}"}
    return {s for s in shown if sum(ch in "123456789" for ch in s) >= 2}  # "1" is no leak


def _scaled(value, factor):
    if isinstance(value, (pd.Series, pd.DataFrame)):
        return value * factor
    try:
        return float(value) * factor
    except (TypeError, ValueError):
        return value


@pytest.mark.parametrize(("notebook", "qname"), QUESTIONS)
def test_feedback_never_shows_the_expected_value(notebook, qname, demo):
    _spec, q, ex, params = _bound(notebook, qname, demo)
    expected = q.expected(demo, **params)
    shown = set().union(*[_renderings(x) for x in _numbers(expected)])
    wrongs = [m.answer(demo, **params) for m in q.mistakes]
    wrongs += [_scaled(expected, 1.3), _scaled(expected, 0.5), "text", None]
    checked = 0
    for wrong in wrongs:
        verdict = ex.evaluate(wrong)
        if verdict.correct:
            continue
        leaked = [s for s in shown if s in verdict.message]
        assert not leaked, f"{verdict.message!r} shows {leaked}"
        checked += 1
    assert checked >= 4
