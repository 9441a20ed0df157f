"""Helpers shared by the notebook builder scripts in this folder.

A builder collects the cells of a lesson in a :class:`Notebook` and writes it without outputs.
Builders run as scripts (``.venv/bin/python notebooks/_build/users_ab.py``) and import this
module as a sibling: ``from _nbtools import Notebook``.

Cell ids are derived from the notebook's file name and the cell's position, so re-running a
builder leaves the ids of an unchanged notebook as they are.
"""

from __future__ import annotations

import re
from pathlib import Path

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

KERNELSPEC = {"name": "python3", "display_name": "Python 3", "language": "python"}
LANGUAGE_INFO = {"name": "python"}


def cell_id(notebook: str, index: int) -> str:
    """A stable nbformat cell id (1-64 characters of ``[a-zA-Z0-9-_]``) for cell ``index``."""
    stem = re.sub(r"[^a-zA-Z0-9_-]", "-", notebook)[:58] or "cell"
    return f"{stem}-{index:03d}"


class Notebook:
    """Cells of one notebook, added in order."""

    def __init__(self) -> None:
        self.cells: list = []

    def md(self, text: str) -> None:
        self.cells.append(new_markdown_cell(text.strip("\n")))

    def code(self, text: str, tags: list[str] | None = None) -> None:
        cell = new_code_cell(text.strip("\n"))
        if tags:
            cell.metadata["tags"] = tags
        self.cells.append(cell)

    def exercise(self, n: int, text: str, answer: str, var: str) -> None:
        """Exercise ``n``: its text, the answer cell that checks ``var``, and the help cell."""
        self.md(text)
        self.code(f"{answer.strip()}\nq{n}.check({var})")
        self.code(f"# q{n}.hint()\n# q{n}.solution()")

    def build(self, name: str = "notebook"):
        """The notebook node: cells with ids derived from ``name``, kernel metadata, no outputs."""
        for i, cell in enumerate(self.cells):
            cell["id"] = cell_id(name, i)
        nb = new_notebook(cells=self.cells)
        nb.metadata["kernelspec"] = dict(KERNELSPEC)
        nb.metadata["language_info"] = dict(LANGUAGE_INFO)
        return nb

    def write(self, path: Path) -> Path:
        """Write the notebook to ``path`` (its folder is made if missing) and say so."""
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        nbformat.write(self.build(path.stem), str(path))
        print(f"wrote {path}")
        return path
