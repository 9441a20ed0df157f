"""Every notebook under notebooks/ (found by a glob, never a list): committed clean, a
parameters cell first, runs top to bottom under nbval as committed, and runs through papermill
on a small generated shop with other dates and size, which proves nothing in it is hard-coded.
"""

from __future__ import annotations

import ast
import os
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

from playbook_lib import exercises, report, review

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOK_DIR = ROOT / "notebooks"
NOTEBOOKS = report.find_notebooks(NOTEBOOK_DIR)
IDS = [str(p.relative_to(NOTEBOOK_DIR).with_suffix("")) for p in NOTEBOOKS]


def _read(path: Path):
    return nbformat.read(str(path), as_version=4)


def _code_cells(nb):
    return [c for c in nb.cells if c.cell_type == "code"]


@pytest.fixture(autouse=True)
def _private_home(tmp_path, monkeypatch):
    """Exercise checks inside the notebooks write progress: keep it out of the real home.
    Kernels started by papermill inherit this environment."""
    monkeypatch.setenv("PLAYBOOK_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("MPLBACKEND", "Agg")


@pytest.fixture(scope="session")
def other_shop_dir(tmp_path_factory):
    """A small generated shop on disk, with other dates and size than the demo."""
    from playbook_lib.data import generate

    out = tmp_path_factory.mktemp("other_shop") / "shop"
    generate(customers=1500, start="2025-02-01", end="2026-05-31", seed=23, out=out)
    return out


def test_notebooks_are_found():
    assert "00_start_here" in IDS and "reports/monthly_review" in IDS


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_committed_without_outputs(path):
    nb = _read(path)
    dirty = [i for i, c in enumerate(nb.cells) if c.cell_type == "code"
             and (c.get("outputs") or c.get("execution_count") is not None)]
    assert not dirty, (f"{path.name}: cells {dirty} have outputs or execution counts; clear "
                       f"them before committing (jupyter nbconvert --clear-output --inplace)")


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_first_code_cell_is_the_parameters_cell(path):
    nb = _read(path)
    first = _code_cells(nb)[0]
    assert "parameters" in first.metadata.get("tags", []), (
        f"{path.name}: the first code cell must be tagged 'parameters' (papermill)")
    assigned = [t.id for node in ast.parse(first.source).body if isinstance(node, ast.Assign)
                for t in node.targets if isinstance(t, ast.Name)]
    seen = [p.name for p in report.describe_parameters(path)]
    assert seen == assigned, (
        f"{path.name}: papermill reads parameters {seen} but the cell assigns {assigned}; "
        f"papermill skips a line with a second '=' (in a comment, too)")
    assert "DATA" in seen, f"{path.name}: every notebook takes DATA (a shop folder or 'demo')"
    assert report.describe_parameters(path)[seen.index("DATA")].default == "demo"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_lesson_uses_its_own_exercise_set(path):
    lesson = str(path.relative_to(NOTEBOOK_DIR).with_suffix(""))
    source = "\n".join(c.source for c in _code_cells(_read(path)))
    if "exercises.setup(" not in source:
        pytest.skip("no exercises in this notebook")
    assert f'exercises.setup("{lesson}"' in source
    assert lesson in exercises.registry(), f"no exercise set declares notebook={lesson!r}"


def test_every_exercise_set_has_its_notebook():
    for lesson in exercises.registry():
        assert (NOTEBOOK_DIR / f"{lesson}.ipynb").is_file(), f"no notebook for {lesson}"


@pytest.mark.slow
@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_runs_under_nbval(path, tmp_path):
    """The notebook as committed (blanks and all) runs top to bottom without an error."""
    env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1"}
    proc = subprocess.run(
        [sys.executable, "-m", "pytest", "--nbval-lax", "--nbval-current-env", "-q",
         "-p", "no:cacheprovider", "-o", "addopts=", str(path)],
        cwd=tmp_path, env=env, capture_output=True, text=True, timeout=600, check=False)
    assert proc.returncode == 0, f"nbval failed for {path.name}:\n{proc.stdout[-6000:]}"


@pytest.mark.slow
@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_runs_on_another_shop(path, other_shop_dir, tmp_path):
    """papermill on a generated shop with other dates and size: nothing is hard-coded."""
    res = report.run_notebook(path, data=other_shop_dir, out_dir=tmp_path, timeout=300)
    assert res.html_path.is_file() and res.ipynb_path.is_file()
    assert res.parameters["DATA"] == str(other_shop_dir)


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
