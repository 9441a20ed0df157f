"""Where the kit's shipped files are: the demo shop, the notebooks, presets and templates.

In a source checkout (and an editable install) they sit in the repository, ``datasets/demo``
and ``notebooks/``. An installed wheel carries copies inside the package (see
``pyproject.toml``), found with :mod:`importlib.resources`. Every module asks here, never
relative to its own file.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path

__all__ = ["demo_dir", "notebooks_dir", "presets_dir", "templates_dir"]

_REPO = Path(__file__).resolve().parents[1]


def _shipped(package_name: str, repo_path: Path) -> Path:
    """The packaged copy ``playbook_lib/<package_name>`` if installed, else the repo folder."""
    packaged = Path(str(resources.files("playbook_lib").joinpath(package_name)))
    if packaged.is_dir():
        return packaged
    return repo_path


def demo_dir() -> Path:
    """The folder of the shipped demo shop (Parquet tables and ``truth.json``)."""
    return _shipped("_demo", _REPO / "datasets" / "demo")


def notebooks_dir() -> Path:
    """The folder of the lessons (``NN_topic.md`` sources and ``.ipynb`` learner copies)."""
    return _shipped("_notebooks", _REPO / "notebooks")


def presets_dir() -> Path:
    """The folder of the shipped column-mapping presets (``<name>.yaml``)."""
    return Path(str(resources.files("playbook_lib").joinpath("data", "presets")))


def templates_dir() -> Path:
    """The folder of the kit's nbconvert templates."""
    return Path(str(resources.files("playbook_lib").joinpath("report", "templates")))
