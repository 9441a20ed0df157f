"""Every lesson, found by a glob of its Markdown source (``notebooks/**/*.md``), never a list:

- its learner notebook is committed, in sync with the source, clean, parameters cell first;
- its exercise cells come in pairs (``exercise`` then ``solution``), one per question of its
  exercise set, in order;
- the learner copy as committed runs under nbval on the demo shop (blanks: "not answered");
- the solved copy runs with papermill on the demo shop and on a small generated shop with other
  dates and size, and every ``qN.check`` in it reports correct. The generated-shop run also
  proves that nothing in the lesson is hard-coded.
"""

from __future__ import annotations

import ast
import os
import re
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
from lesson_runs import last_outcomes, not_correct, run_solved

from playbook_lib import exercises, lessons, report, review

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOK_DIR = ROOT / "notebooks"
SOURCES = lessons.find_sources(NOTEBOOK_DIR)
IDS = [p.relative_to(NOTEBOOK_DIR).with_suffix("").as_posix() for p in SOURCES]
FIX = lessons.BUILD_COMMAND


def _learner(md: Path):
    return nbformat.read(str(lessons.learner_path(md)), as_version=4)


def _code_cells(nb):
    return [c for c in nb.cells if c.cell_type == "code"]


def _lesson(md: Path) -> str:
    return md.relative_to(NOTEBOOK_DIR).with_suffix("").as_posix()


def _questions(md: Path) -> list[str]:
    try:
        return exercises.get_set(_lesson(md)).names
    except KeyError:
        return []


@pytest.fixture(autouse=True)
def _private_home(tmp_path, monkeypatch):
    """A fresh progress folder per test: the checks inside the notebooks write to it (kernels
    started by nbval and papermill inherit this environment)."""
    monkeypatch.setenv("PLAYBOOK_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("MPLBACKEND", "Agg")


@pytest.fixture(scope="session")
def other_shop_dir(request, tmp_path_factory):
    """A small generated shop on disk, with other dates and size than the demo.

    Under pytest-xdist the workers share one copy: a worker generates into its own temporary
    folder and renames it into the session's shared folder; a worker that finds the shared
    folder already there uses it (same seed, same shop), so no two workers write one folder.
    """
    from playbook_lib.data import generate

    def make(out: Path) -> Path:
        generate(customers=1500, start="2025-02-01", end="2026-05-31", seed=23, out=out)
        return out

    if not hasattr(request.config, "workerinput"):
        return make(tmp_path_factory.mktemp("other_shop") / "shop")
    shared = tmp_path_factory.getbasetemp().parent / "other_shop"
    if not shared.is_dir():
        mine = make(tmp_path_factory.mktemp("other_shop") / "shop")
        try:
            os.rename(mine, shared)
        except OSError:  # the other worker was first
            pass
    return shared


# --- sources and learner copies ----------------------------------------------------------------

def test_sources_are_found():
    assert "00_start_here" in IDS and "reports/monthly_review" in IDS
    orphans = [p for p in report.find_notebooks(NOTEBOOK_DIR) if not p.with_suffix(".md").is_file()]
    assert not orphans, (f"notebooks without a Markdown source: {orphans}; a lesson is written "
                         f"as NN_topic.md and its .ipynb generated with `{FIX}`")


@pytest.mark.parametrize("md", SOURCES, ids=IDS)
def test_learner_copy_is_in_sync(md):
    ipynb = lessons.learner_path(md)
    assert ipynb.is_file(), f"{ipynb.name} is missing: generate it with `{FIX}`"
    assert lessons.check([md]) == [], (
        f"{ipynb.name} differs from what {md.name} generates (edit the .md, never the "
        f".ipynb); regenerate it with `{FIX}`")


@pytest.mark.parametrize("md", SOURCES, ids=IDS)
def test_source_is_not_paired_by_jupytext(md):
    """Pairing would write the solutions into the learner copy."""
    meta = lessons.read_source(md).metadata.get("jupytext", {})
    assert "formats" not in meta, f"{md.name}: remove `formats:` from its jupytext header"


_LINK = re.compile(r"`((?:[\w.-]+/)*[\w.-]+\.ipynb)`")
_SEED = re.compile(r"\bseed\b", re.IGNORECASE)


def _prose(md) -> str:
    return "\n".join(c.source for c in lessons.read_source(md).cells if c.cell_type == "markdown")


def lesson_links(text: str) -> list[str]:
    """The notebook paths a lesson's text names in backticks (``01_users/02_growth.ipynb``)."""
    return _LINK.findall(text)


def test_the_link_scan_sees_a_broken_link():
    text = "**Next:** `03_campaigns/01_planning.ipynb` and `01_users/02_growth.ipynb`."
    links = lesson_links(text)
    assert links == ["03_campaigns/01_planning.ipynb", "01_users/02_growth.ipynb"]
    assert [p for p in links if not (NOTEBOOK_DIR / p).is_file()] == [
        "03_campaigns/01_planning.ipynb"]


@pytest.mark.parametrize("md", SOURCES, ids=IDS)
def test_links_between_lessons_resolve(md):
    """Every lesson named in the text exists (paths are relative to notebooks/)."""
    broken = [p for p in lesson_links(_prose(md))
              if not (NOTEBOOK_DIR / p).is_file() and not (md.parent / p).is_file()]
    assert not broken, f"{md.name} links to lessons that do not exist: {broken}"


@pytest.mark.parametrize("md", SOURCES, ids=IDS)
def test_lesson_text_never_says_seed(md):
    """Learners never see the source document's name: cite the idea, not the document."""
    lines = [line for line in _prose(md).splitlines() if _SEED.search(line)]
    assert not lines, f"{md.name}: {lines}"


@pytest.mark.parametrize("md", SOURCES, ids=IDS)
def test_committed_without_outputs(md):
    nb = _learner(md)
    dirty = [i for i, c in enumerate(nb.cells) if c.cell_type == "code"
             and (c.get("outputs") or c.get("execution_count") is not None)]
    assert not dirty, (f"{md.stem}.ipynb: cells {dirty} have outputs or execution counts; "
                       f"regenerate it with `{FIX}`")


@pytest.mark.parametrize("md", SOURCES, ids=IDS)
def test_first_code_cell_is_the_parameters_cell(md):
    path = lessons.learner_path(md)
    first = _code_cells(_learner(md))[0]
    assert "parameters" in first.metadata.get("tags", []), (
        f"{md.name}: the first code cell must be tagged 'parameters' (papermill)")
    assigned = [t.id for node in ast.parse(first.source).body if isinstance(node, ast.Assign)
                for t in node.targets if isinstance(t, ast.Name)]
    seen = [p.name for p in report.describe_parameters(path)]
    assert seen == assigned, (
        f"{md.name}: papermill reads parameters {seen} but the cell assigns {assigned}; "
        f"papermill skips a line with a second '=' (in a comment, too)")
    assert "DATA" in seen, f"{md.name}: every notebook takes DATA (a shop folder or 'demo')"
    assert report.describe_parameters(path)[seen.index("DATA")].default == "demo"


# --- exercises: one pair per question ------------------------------------------------------------

@pytest.mark.parametrize("md", SOURCES, ids=IDS)
def test_exercise_cells_come_in_pairs(md):
    problems = lessons.structure_problems(md)
    assert not problems, f"{md.name}:\n  " + "\n  ".join(problems)
    pairs = [(p.question, p.answer_var) for p in lessons.exercise_pairs(md)]
    try:
        spec = exercises.get_set(_lesson(md))
    except KeyError:
        assert not pairs, f"{md.name} has exercises but no exercise set declares it"
        return
    want = [(q.name, q.answer_var) for q in spec.questions]
    assert pairs == want, (f"{md.name}: its exercise/solution pairs check {pairs}; "
                           f"{spec.module} declares {want} (one pair per question, in order)")


@pytest.mark.parametrize("md", SOURCES, ids=IDS)
def test_lesson_uses_its_own_exercise_set(md):
    lesson = _lesson(md)
    source = "\n".join(c.source for c in _code_cells(_learner(md)))
    if "exercises.setup(" not in source:
        pytest.skip("no exercises in this notebook")
    assert f'exercises.setup("{lesson}"' in source
    assert lesson in exercises.registry(), f"no exercise set declares notebook={lesson!r}"


def test_every_exercise_set_has_its_lesson():
    for lesson in exercises.registry():
        assert (NOTEBOOK_DIR / f"{lesson}.md").is_file(), f"no source notebooks/{lesson}.md"
        assert (NOTEBOOK_DIR / f"{lesson}.ipynb").is_file(), f"no notebook for {lesson}"


# --- running them ------------------------------------------------------------------------------

@pytest.mark.slow
@pytest.mark.parametrize("md", SOURCES, ids=IDS)
def test_learner_copy_runs_under_nbval(md, tmp_path):
    """The notebook as committed (blanks and all) runs top to bottom without an error, and
    every check in it says "not answered"."""
    env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1"}
    proc = subprocess.run(
        [sys.executable, "-m", "pytest", "--nbval-lax", "--nbval-current-env", "-q",
         "-p", "no:cacheprovider", "-o", "addopts=", str(lessons.learner_path(md))],
        cwd=tmp_path, env=env, capture_output=True, text=True, timeout=600, check=False)
    assert proc.returncode == 0, f"nbval failed for {md.stem}.ipynb:\n{proc.stdout[-6000:]}"
    outcomes = last_outcomes(Path(os.environ["PLAYBOOK_HOME"]) / "progress.jsonl", _lesson(md))
    assert outcomes == {q: "blank" for q in _questions(md)}


@pytest.mark.slow
@pytest.mark.parametrize("shop", ["demo", "other_shop"])
@pytest.mark.parametrize("md", SOURCES, ids=IDS)
def test_solved_copy_is_all_correct(md, shop, request, tmp_path):
    """papermill on the solved copy: every question's last check is "correct"."""
    if shop == "demo" and not _questions(md):
        pytest.skip("no exercises: the solved copy is the learner copy, which nbval runs on "
                    "the demo shop")
    data = "demo" if shop == "demo" else request.getfixturevalue("other_shop_dir")
    executed = run_solved(md, tmp_path, data=data)
    bad = not_correct(_lesson(md), _questions(md),
                      Path(os.environ["PLAYBOOK_HOME"]) / "progress.jsonl", executed)
    assert not bad, f"{md.stem} solved, on {shop}:\n  " + "\n  ".join(bad)


@pytest.mark.slow
def test_a_wrong_solution_is_caught(tmp_path):
    """The check above can fail: a solved copy of 00_start_here whose q2 counts every order
    (a typical mistake) reports q2 with the mistake's feedback, and only q2."""
    md = NOTEBOOK_DIR / "00_start_here.md"
    nb = lessons.solved_notebook(md)
    cell = next(c for c in nb.cells if c.source.endswith("q2.check(n_orders)"))
    cell.source = "n_orders = len(month_orders)\nq2.check(n_orders)"
    executed = run_solved(md, tmp_path, nb=nb)
    bad = not_correct("00_start_here", _questions(md),
                      Path(os.environ["PLAYBOOK_HOME"]) / "progress.jsonl", executed)
    assert len(bad) == 1 and bad[0].startswith("q2: incorrect: q2 - Incorrect. You counted "
                                               "every order of the month"), bad


# --- the monthly review, end to end --------------------------------------------------------------

@pytest.mark.slow
def test_monthly_review_end_to_end(other_shop_dir, tmp_path):
    """review.monthly_review: notebook, HTML and kpis.json, all with the same figures."""
    import json

    from playbook_lib import metrics
    from playbook_lib.data import load_dataset

    ds = load_dataset(other_shop_dir)
    month = metrics.latest_full_month(ds)
    targets = tmp_path / "targets.yaml"
    targets.write_text(f"{month}:\n  gmv: 1000000\n  orders: 10\n", encoding="utf-8")
    res = review.monthly_review(data=other_shop_dir, out_dir=tmp_path / "out", targets=targets,
                                shop_name="Test shop 007")
    assert res.month == month
    assert res.html_path.name == f"monthly_review_{month}.html"
    assert res.ipynb_path.name == f"monthly_review_{month}.ipynb"
    assert res.kpis_path == tmp_path / "out" / "kpis.json"
    saved = json.loads(res.kpis_path.read_text(encoding="utf-8"))
    expected = metrics.monthly_kpis(ds, month, targets=review.load_targets(targets))
    assert saved["month"] == month and saved["shop_name"] == "Test shop 007"
    assert saved["kpis"] == review.kpis_to_dict(expected)
    assert saved["actions"] == review.action_items(expected)
    assert saved["kpis"]["gmv"]["attainment"] == pytest.approx(
        expected.loc["gmv", "value"] / 1_000_000)
    html = res.html_path.read_text(encoding="utf-8")
    shown = review.format_kpis(expected)
    for cell in shown.loc["GMV (成交总额)"].tolist() + shown.loc["Paid orders (订单数)"].tolist():
        assert cell in html
    assert f"Test shop 007: monthly review, {month}" in html
    assert "monthly_kpis(ds" not in html  # code hidden
    assert "Executive summary" in html and 'class="playbook-toc"' in html


@pytest.mark.slow
def test_review_cli(other_shop_dir, tmp_path, capsys):
    from playbook_lib.cli import main

    assert main(["review", "--data", str(other_shop_dir), "--out", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    assert "Monthly review" in out and (tmp_path / "kpis.json").exists()
    assert "replaced" not in out
    # a second run of the same month replaces its own report, and says so
    assert main(["review", "--data", str(other_shop_dir), "--out", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    assert "(replaced the earlier monthly_review_" in out and "kpis.json)" in out
    assert main(["review", "--data", str(other_shop_dir), "--month", "2031-01",
                 "--out", str(tmp_path / "x")]) == 2
    assert "month 2031-01 is outside the data" in capsys.readouterr().err
    assert not (tmp_path / "x").exists()
