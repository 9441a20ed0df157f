r"""An executed notebook as an HTML report, through the kit's nbconvert template ``playbook``.

The template (``report/templates/playbook/``, found with
:func:`playbook_lib._resources.templates_dir` and passed to nbconvert as an extra template
base folder) extends nbconvert's ``lab`` template: it hides the code and the prompts, puts a
table of contents of the Markdown headings (h1-h3) at the top, and leaves out the scripts
``lab`` loads from a CDN (require.js, MathJax, Mermaid, the widget manager), so the report
opens offline. Its ``conf.json`` drops the cells tagged ``parameters``,
``injected-parameters`` or ``remove-cell`` (nbconvert's ``TagRemovePreprocessor``) and runs
:class:`playbook_lib.report._preprocessors.TocPreprocessor`, which lists the headings
(:func:`toc_entries`) for the template. Images are embedded as
``data:`` URIs, as nbconvert does by default.

Outside the kit, the same report comes from::

    TEMPLATES=$(python -c "import playbook_lib._resources as r; print(r.templates_dir())")
    jupyter nbconvert --to html --template playbook \
        --TemplateExporter.extra_template_basedirs="$TEMPLATES" executed.ipynb
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path
from xml.etree import ElementTree

from .._resources import templates_dir
from ._files import atomic_write_text

__all__ = ["TEMPLATE", "HIDDEN_TAGS", "TocEntry", "export_html", "toc_entries"]

#: The template's name (a folder under :func:`playbook_lib._resources.templates_dir`).
TEMPLATE = "playbook"
#: Cells left out of the report: the parameters, the values papermill injected, and any cell
#: an author tags "remove-cell" (the template's conf.json lists the same tags).
HIDDEN_TAGS = ("parameters", "injected-parameters", "remove-cell")

_HEADING = re.compile(r"<h([1-3])\b[^>]*>.*?</h\1>", flags=re.DOTALL)


@dataclass(frozen=True)
class TocEntry:
    """One line of the table of contents: heading level (1-3), its anchor id, its text."""

    level: int
    anchor: str
    text: str


def _heading_text(el: ElementTree.Element) -> str:
    """The text of a heading element without nbconvert's ``¶`` anchor link."""
    parts = [el.text or ""]
    for child in el:
        if "anchor-link" not in (child.get("class") or ""):
            parts.append(_heading_text(child))
        parts.append(child.tail or "")
    return "".join(parts)


def _markdown_headings(source: str) -> list[TocEntry]:
    """The h1-h3 of one piece of Markdown, with the ids nbconvert gives them in the report.

    The Markdown is rendered by nbconvert's own ``markdown2html`` filter, whose headings
    carry the id the exported page uses (``add_anchor``), so the links always match.
    """
    from nbconvert.filters.markdown_mistune import markdown2html_mistune

    out = []
    for m in _HEADING.finditer(markdown2html_mistune(source)):
        try:
            el = ElementTree.fromstring(m.group(0))
        except ElementTree.ParseError:  # raw HTML in the heading: nbconvert gives it no id either
            continue
        text = " ".join(_heading_text(el).split())
        if el.get("id") and text:
            out.append(TocEntry(int(m.group(1)), el.get("id"), text))
    return out


def _shown(cell) -> bool:
    """False for a cell the report leaves out (a tag in :data:`HIDDEN_TAGS`)."""
    return not set(HIDDEN_TAGS) & set(cell.get("metadata", {}).get("tags", []))


def toc_entries(nb) -> list[TocEntry]:
    """The table of contents of a notebook: the h1-h3 of its Markdown, in order.

    Markdown cells count, and so do Markdown outputs of code cells (a title a cell writes
    with ``display(Markdown(...))``, as the monthly review does); cells with a hidden tag do
    not.
    """
    entries: list[TocEntry] = []
    for cell in filter(_shown, nb.cells):
        if cell.cell_type == "markdown":
            entries += _markdown_headings(cell.source)
        elif cell.cell_type == "code":
            for out in cell.get("outputs", []):
                data = out.get("data", {})
                if "text/markdown" in data and "text/html" not in data:  # the shown one
                    entries += _markdown_headings(data["text/markdown"])
    return entries


def _title(nb) -> str | None:
    """The first ``# title`` line of the shown Markdown cells, without emphasis marks."""
    for c in filter(_shown, nb.cells):
        if c.cell_type == "markdown":
            m = re.search(r"^#\s+(.+)$", c.source, flags=re.MULTILINE)
            if m:
                return re.sub(r"[*_`]", "", m.group(1)).strip()
    return None


def export_html(nb, html_path: str | os.PathLike, *, title: str | None = None) -> Path:
    """Write an executed notebook as an HTML report.

    Code hidden, the parameters and injected parameters cells removed, a table of contents at
    the top, images embedded.

    The page title is ``title``, else the notebook's first ``# heading`` (or, when a code cell
    writes the title, the first heading of the contents), else the file name. The HTML is
    written to a temporary file in the same folder, then moved into place.
    """
    from nbconvert import HTMLExporter  # heavy: only when a report is written

    toc = toc_entries(nb)
    name = title or _title(nb) or (toc[0].text if toc else None) or Path(html_path).stem
    exporter = HTMLExporter(template_name=TEMPLATE,
                            extra_template_basedirs=[str(templates_dir())],
                            exclude_input=True, exclude_input_prompt=True,
                            exclude_output_prompt=True)
    body, _ = exporter.from_notebook_node(nb, resources={"metadata": {"name": name},
                                                         "playbook_toc": toc})
    path = Path(html_path)
    atomic_write_text(path, body)
    return path
