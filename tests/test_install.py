"""A plain (not editable) install works on its own: the demo shop, the notebooks, the presets
and the report template travel inside the package, and ``playbook review`` runs from any
folder without the repository."""

from __future__ import annotations

import importlib.metadata
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
# Not copied for the build: version control, environments, caches, earlier build output,
# and (at the top only) the default report folder.
_ANYWHERE = shutil.ignore_patterns(".git", ".venv", "venv", "build", "dist", "*.egg-info",
                                   "__pycache__", ".pytest_cache", ".hypothesis",
                                   ".ipynb_checkpoints")


def _not_sources(folder: str, names: list[str]) -> set[str]:
    ignored = set(_ANYWHERE(folder, names))
    if Path(folder) == ROOT:
        ignored |= {"reports", "benchmarks"} & set(names)
    return ignored


def _setuptools_builds_this() -> bool:
    """True when this environment's setuptools meets pyproject's build requirement (>=77),
    so pip can build here without an isolated build environment (no index needed)."""
    try:
        major = int(importlib.metadata.version("setuptools").split(".")[0])
    except (importlib.metadata.PackageNotFoundError, ValueError):
        return False
    return major >= 77


@pytest.mark.slow
def test_plain_install_runs_the_review_from_another_folder(tmp_path):
    src, target, elsewhere = tmp_path / "src", tmp_path / "site", tmp_path / "elsewhere"
    shutil.copytree(ROOT, src, ignore=_not_sources)  # the build writes build/ and egg-info
    elsewhere.mkdir()
    cmd = [sys.executable, "-m", "pip", "install", "--no-deps", "--no-compile", "--quiet",
           "--disable-pip-version-check", "--target", str(target)]
    if _setuptools_builds_this():
        cmd.append("--no-build-isolation")
    proc = subprocess.run(cmd + [str(src)], cwd=tmp_path, capture_output=True, text=True,
                          timeout=300, check=False)
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]

    shipped = target / "playbook_lib"
    for f in ["_demo/orders.parquet", "_demo/truth.json", "_notebooks/00_start_here.ipynb",
              "_notebooks/reports/monthly_review.ipynb", "data/presets/shopify_orders.yaml",
              "report/templates/playbook/conf.json", "report/templates/playbook/index.html.j2"]:
        assert (shipped / f).is_file(), f"{f} is not in the installed package"
    lessons = sorted(p.relative_to(ROOT / "notebooks") for p in (ROOT / "notebooks").rglob("*")
                     if p.suffix in (".ipynb", ".md") and ".ipynb_checkpoints" not in p.parts)
    assert sorted(p.relative_to(shipped / "_notebooks")
                  for p in (shipped / "_notebooks").rglob("*")
                  if p.suffix in (".ipynb", ".md")) == lessons

    env = {**os.environ, "PYTHONPATH": str(target), "MPLBACKEND": "Agg",
           "PLAYBOOK_HOME": str(tmp_path / "home")}
    where = subprocess.run(
        [sys.executable, "-c", "import playbook_lib, playbook_lib._resources as r; "
         "print(playbook_lib.__file__); print(r.demo_dir()); print(r.notebooks_dir())"],
        cwd=elsewhere, env=env, capture_output=True, text=True, timeout=120, check=True)
    for line in where.stdout.split():
        assert Path(line).is_relative_to(target), where.stdout

    out = elsewhere / "out"
    proc = subprocess.run([sys.executable, "-m", "playbook_lib.cli", "review", "--out", "out"],
                          cwd=elsewhere, env=env, capture_output=True, text=True, timeout=300,
                          check=False)
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    assert "Monthly review" in proc.stdout
    html = sorted(out.glob("monthly_review_*.html"))
    assert len(html) == 1 and html[0].with_suffix(".ipynb").is_file()
    assert (out / "kpis.json").is_file()
    assert 'class="playbook-toc"' in html[0].read_text(encoding="utf-8")
