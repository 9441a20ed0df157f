"""Run any notebook as a report (papermill + nbconvert), and the monthly review.

:func:`run_notebook` checks the parameters against the notebook's ``parameters`` cell, runs it
with papermill on an explicit kernel, and writes the executed ``.ipynb`` and an HTML report
(code hidden, parameter cells removed, a table of contents, images embedded), each written to
a temporary file first and moved into place, so a reader never sees half a report. A failing
cell raises :class:`NotebookRunError` with one readable block and keeps the partly executed
notebook as ``<name>.FAILED.ipynb``.

:func:`monthly_review` runs ``notebooks/reports/monthly_review.ipynb`` for a month and writes
``kpis.json`` beside the HTML with the same figures (computed here by
:func:`playbook_lib.metrics.monthly_kpis`, as the notebook does).
"""

from __future__ import annotations

import ast
import copy
import difflib
import html as html_lib
import json
import math
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from functools import cache
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pandas as pd

from .errors import DataValidationError

__all__ = [
    "NOTEBOOKS_DIR",
    "REVIEW_NOTEBOOK",
    "NotebookRunError",
    "Parameter",
    "ParameterError",
    "ReviewResult",
    "RunResult",
    "action_items",
    "add_commands",
    "cli_lab",
    "cli_review",
    "cli_run",
    "describe_parameters",
    "export_html",
    "find_notebook",
    "find_notebooks",
    "format_kpis",
    "format_parameters",
    "kpis_to_dict",
    "load_targets",
    "monthly_review",
    "resolve_parameters",
    "run_many",
    "run_notebook",
]

#: The kit's notebooks (the repository's ``notebooks/`` folder).
NOTEBOOKS_DIR = Path(__file__).resolve().parents[1] / "notebooks"
#: The monthly review notebook.
REVIEW_NOTEBOOK = NOTEBOOKS_DIR / "reports" / "monthly_review.ipynb"

# Cells dropped from the HTML report: the parameters, the values papermill injected, and any
# cell an author tags "remove-cell".
_HIDDEN_TAGS = {"parameters", "injected-parameters", "remove-cell"}
# Parameters whose string values are file or folder paths: made absolute before the run,
# because the notebook runs in its own folder (as in Jupyter).
_PATH_NAMES = {"DATA", "TARGETS"}
_PATH_SUFFIXES = ("_PATH", "_FILE", "_DIR", "_FOLDER")
_FILE_MODE = 0o644
_ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")
_TRUE = {"true", "yes", "y", "1", "on"}
_FALSE = {"false", "no", "n", "0", "off"}


class ParameterError(ValueError):
    """A notebook parameter that the notebook does not have, or a value of the wrong type."""


class NotebookRunError(RuntimeError):
    """A notebook cell failed. ``str(err)`` is one readable block; attributes hold the parts.

    Attributes
    ----------
    notebook : Path
    failed_path : Path or None
        The partly executed notebook (``<name>.FAILED.ipynb``), if one was written.
    cell_index : int or None
        Index of the failing cell in the source notebook (0-based, all cell types).
    cell_line : str
        First line of the failing cell's source.
    ename, evalue : str
        Error type and message, without terminal colour codes.
    """

    def __init__(self, message: str, *, notebook: Path, failed_path: Path | None = None,
                 cell_index: int | None = None, cell_line: str = "", ename: str = "",
                 evalue: str = ""):
        super().__init__(message)
        self.notebook = notebook
        self.failed_path = failed_path
        self.cell_index = cell_index
        self.cell_line = cell_line
        self.ename = ename
        self.evalue = evalue


@dataclass(frozen=True)
class Parameter:
    """One entry of a notebook's parameters cell.

    ``type`` is the name of the default's type (``str``, ``int``, ``float``, ``bool``,
    ``NoneType``, ``list``, ``dict``) or ``"unknown"`` when the default is an expression.
    """

    name: str
    type: str
    default: Any
    default_source: str
    help: str = ""


@dataclass(frozen=True)
class RunResult:
    """Where :func:`run_notebook` wrote its outputs, and what it ran with."""

    notebook: Path
    ipynb_path: Path
    html_path: Path
    parameters: dict = field(default_factory=dict)
    seconds: float = 0.0


@dataclass(frozen=True)
class ReviewResult:
    """The monthly review's outputs and the KPI table behind them."""

    month: str
    ipynb_path: Path
    html_path: Path
    kpis_path: Path
    kpis: pd.DataFrame


# --- finding notebooks and reading their parameters ------------------------------------------


def find_notebooks(root: str | os.PathLike | None = None) -> list[Path]:
    """Every notebook under ``root`` (default: the kit's ``notebooks/``), checkpoints excluded."""
    root = Path(root) if root is not None else NOTEBOOKS_DIR
    return sorted(p for p in root.glob("**/*.ipynb") if ".ipynb_checkpoints" not in p.parts)


def find_notebook(notebook: str | os.PathLike) -> Path:
    """A notebook path from a path, or a name under ``notebooks/`` (``"00_start_here"``,
    ``"reports/monthly_review"``, ``"monthly_review"``)."""
    p = Path(notebook)
    if p.suffix != ".ipynb":
        p = p.with_name(p.name + ".ipynb")
    if p.is_file():
        return p.resolve()
    candidates = [NOTEBOOKS_DIR / p]
    candidates += [q for q in find_notebooks() if q.name == p.name]
    for c in candidates:
        if c.is_file():
            return c.resolve()
    known = ", ".join(str(q.relative_to(NOTEBOOKS_DIR).with_suffix(""))
                      for q in find_notebooks()) or "none"
    raise FileNotFoundError(f"notebook {str(notebook)!r} not found (neither a file nor a "
                            f"notebook under {NOTEBOOKS_DIR}; the kit's notebooks: {known}).")


def _read(notebook: Path):
    import nbformat

    return nbformat.read(str(notebook), as_version=4)


def _parameters_cell(nb):
    """The first code cell tagged ``parameters`` (papermill's rule), or None."""
    for c in nb.cells:
        if c.cell_type == "code" and "parameters" in c.get("metadata", {}).get("tags", []):
            return c
    return None


def describe_parameters(notebook: str | os.PathLike) -> list[Parameter]:
    """The parameters of a notebook's ``parameters`` cell: name, type, default, comment.

    Read with papermill's own parameter inspection (the Python translator), so the names are
    exactly the ones papermill can override.
    """
    from papermill.translators import PythonTranslator

    path = find_notebook(notebook)
    cell = _parameters_cell(_read(path))
    if cell is None:
        return []
    out = []
    for p in PythonTranslator.inspect(cell):
        try:
            default = ast.literal_eval(p.default)
            kind = type(default).__name__
        except (ValueError, SyntaxError, TypeError):
            default, kind = p.default, "unknown"
        out.append(Parameter(p.name, kind, default, p.default, p.help or ""))
    return out


def format_parameters(notebook: str | os.PathLike) -> str:
    """The parameters as text, for ``playbook run NOTEBOOK --help``."""
    params = describe_parameters(notebook)
    path = find_notebook(notebook)
    if not params:
        return f"{path.name} has no parameters cell (a code cell tagged 'parameters')."
    width = max(len(p.name) for p in params)
    lines = [f"Parameters of {path.name} (set with -p NAME VALUE):"]
    for p in params:
        lines.append(f"  {p.name:<{width}}  {p.type:<8} default {p.default_source:<14} {p.help}"
                     .rstrip())
    return "\n".join(lines)


# --- parameter values ------------------------------------------------------------------------


def _coerce(p: Parameter, value: Any) -> Any:
    """``value`` converted to the type of the parameter's default."""
    def bad(expected: str) -> ParameterError:
        return ParameterError(f"parameter {p.name} expects {expected} (its default is "
                              f"{p.default_source}); got {value!r}.")

    if p.type in ("NoneType", "unknown"):
        return str(value) if isinstance(value, os.PathLike) else value
    if p.type == "str":
        if isinstance(value, (dict, list, tuple, set)):
            raise bad("text")
        return os.fspath(value) if isinstance(value, os.PathLike) else str(value)
    if p.type == "bool":
        if isinstance(value, bool):
            return value
        text = str(value).strip().lower()
        if text in _TRUE:
            return True
        if text in _FALSE:
            return False
        raise bad("true/false (also yes/no, 1/0)")
    if p.type == "int":
        if isinstance(value, bool):
            raise bad("a whole number")
        if isinstance(value, int):
            return value
        if isinstance(value, float) and value.is_integer():
            return int(value)
        try:
            return int(str(value).strip())
        except ValueError:
            raise bad("a whole number") from None
    if p.type == "float":
        if isinstance(value, bool):
            raise bad("a number")
        try:
            out = float(str(value).strip()) if isinstance(value, str) else float(value)
        except (TypeError, ValueError):
            raise bad("a number") from None
        if math.isnan(out):
            raise bad("a number")
        return out
    if p.type in ("list", "dict", "tuple"):
        want = {"list": list, "dict": dict, "tuple": tuple}[p.type]
        if isinstance(value, str):
            for parse in (json.loads, ast.literal_eval):
                try:
                    value = parse(value)
                    break
                except (ValueError, SyntaxError):
                    continue
        if p.type == "tuple" and isinstance(value, list):
            value = tuple(value)
        if not isinstance(value, want):
            example = '{"a": 1}' if want is dict else "[1, 2]"
            raise bad(f"a {p.type} (e.g. {example})")
        return value
    return value


def _load_params_file(path: str | os.PathLike) -> dict:
    """Parameters from a YAML or JSON file. YAML scalars are read as text (``007`` stays
    "007"), then converted to each parameter's type like command-line values."""
    import yaml

    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(f"parameters file {str(path)!r} not found")
    text = path.read_text(encoding="utf-8-sig")
    if path.suffix.lower() == ".json":
        data = json.loads(text)
    else:
        data = yaml.load(text, Loader=yaml.BaseLoader)
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise ParameterError(f"parameters file {path}: expected NAME: value lines, got "
                             f"{type(data).__name__}")
    return {str(k): v for k, v in data.items()}


def _is_path_param(name: str) -> bool:
    return name in _PATH_NAMES or name.endswith(_PATH_SUFFIXES)


def resolve_parameters(notebook: str | os.PathLike, params: Mapping[str, Any] | None = None, *,
                       params_file: str | os.PathLike | None = None,
                       data: str | os.PathLike | None = None) -> dict:
    """Check parameter names against the notebook and convert values to the defaults' types.

    Values come from ``params_file`` (YAML/JSON), then ``params`` (which win), then ``data``
    (the ``DATA`` parameter). Path parameters (``DATA``, ``TARGETS``, names ending in
    ``_PATH``, ``_FILE``, ``_DIR``) that name an existing file or folder are made absolute.

    Raises
    ------
    ParameterError
        For a name the notebook does not have (the message lists the ones it has) or a value
        that does not fit the default's type.
    """
    path = find_notebook(notebook)
    known = {p.name: p for p in describe_parameters(path)}
    given: dict[str, Any] = {}
    if params_file is not None:
        given.update(_load_params_file(params_file))
    given.update(dict(params or {}))
    if data is not None:
        if "DATA" in given and str(given["DATA"]) != str(data):
            raise ParameterError("DATA is given twice (as --data and as a parameter); keep one.")
        given["DATA"] = data
    unknown = [k for k in given if k not in known]
    if unknown:
        hints = []
        for k in unknown:
            close = difflib.get_close_matches(k, known, n=1) or \
                [n for n in known if n.lower() == str(k).lower()]
            hints.append(f"{k!r}" + (f" (did you mean {close[0]}?)" if close else ""))
        listing = ", ".join(known) if known else "none (it has no parameters cell)"
        raise ParameterError(f"{path.name} has no parameter {', '.join(hints)}. "
                             f"Its parameters: {listing}.")
    out = {}
    for k, v in given.items():
        value = _coerce(known[k], v)
        if _is_path_param(k) and isinstance(value, str) and value and value != "demo":
            candidate = Path(value).expanduser()
            if candidate.exists():
                value = str(candidate.resolve())
        out[k] = value
    return out


# --- running ---------------------------------------------------------------------------------


def _normalise_kernel(kernel_name: str | None) -> str:
    """``None``, ``""``, ``"python"`` -> ``"python3"`` (the current interpreter's kernel)."""
    if not kernel_name or kernel_name in ("python", "python3", "py3"):
        return "python3"
    return kernel_name


@cache
def _this_python_kernel_manager():
    """A kernel manager whose "python3" kernel is always the interpreter running the kit.

    A ``python3`` kernelspec in the user's Jupyter folder (e.g. left by another Python) would
    otherwise win over the environment's; the kernel spec here comes from ipykernel itself
    (``sys.executable -m ipykernel_launcher``).
    """
    from ipykernel.kernelspec import get_kernel_dict
    from jupyter_client.kernelspec import KernelSpec
    from jupyter_client.manager import AsyncKernelManager

    class ThisPythonKernelManager(AsyncKernelManager):
        @property
        def kernel_spec(self):
            if self._kernel_spec is None:
                self._kernel_spec = KernelSpec(resource_dir="", **get_kernel_dict())
            return self._kernel_spec

    return ThisPythonKernelManager


def _atomic_write_text(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` through a temporary file in the same folder + os.replace."""
    path = Path(path)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(text)
            f.flush()
            os.fsync(f.fileno())
        os.chmod(tmp, _FILE_MODE)  # mkstemp makes 0600; reports are for sharing
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _first_line(source: str) -> str:
    for line in source.splitlines():
        if line.strip():
            return line.strip()
    return ""


def _failure_block(path: Path, nb_source, exc, failed_path: Path | None) -> NotebookRunError:
    """One readable block from a PapermillExecutionError."""
    source = exc.source or ""
    index = next((i for i, c in enumerate(nb_source.cells)
                  if c.cell_type == "code" and c.source == source), exc.cell_index)
    ename = _ANSI.sub("", exc.ename or "Error")
    evalue = _ANSI.sub("", str(exc.evalue or "")).strip()
    tb = _ANSI.sub("", "\n".join(exc.traceback or []))
    where = ""
    m = list(re.finditer(r"Cell In\[\d+\], line (\d+)", tb))
    if m:
        n = int(m[0].group(1))
        lines = source.splitlines()
        if 1 <= n <= len(lines):
            where = f"\n  at line {n}: {lines[n - 1].strip()}"
    first = _first_line(source)
    lines = [f"Notebook {path.name} failed in cell {index}: {first}{where}",
             f"  {ename}: {evalue}" if evalue else f"  {ename}"]
    if failed_path is not None:
        lines.append(f"The partly executed notebook is kept at {failed_path}")
    return NotebookRunError("\n".join(lines), notebook=path, failed_path=failed_path,
                            cell_index=index, cell_line=first, ename=ename, evalue=evalue)


def run_notebook(notebook: str | os.PathLike, *, params: Mapping[str, Any] | None = None,
                 params_file: str | os.PathLike | None = None,
                 data: str | os.PathLike | None = None, out_dir: str | os.PathLike = "reports",
                 kernel_name: str = "python3", timeout: float | None = 600,
                 progress: bool = False, output_name: str | None = None) -> RunResult:
    """Run a notebook with parameters and write ``<out_dir>/<name>.ipynb`` and ``.html``.

    Parameters
    ----------
    notebook : path or name
        A notebook file, or a name under ``notebooks/`` (``"00_start_here"``).
    params : mapping, optional
        Parameter values (text is converted to the type of each default: ``"3"`` -> 3 for an
        int default, ``"007"`` stays ``"007"`` for a text default, ``yes``/``no`` for bools).
    params_file : path, optional
        YAML or JSON file of parameters; ``params`` win over it.
    data : path, optional
        Shortcut for the ``DATA`` parameter (a shop folder, or ``"demo"``).
    out_dir : path
        Output folder (created if needed).
    kernel_name : str
        Jupyter kernel; ``"python3"`` is the interpreter running this function.
    timeout : float or None
        Seconds each cell may run (None: no limit).
    progress : bool
        Show papermill's progress bar.
    output_name : str, optional
        Output file stem (default: the notebook's name).

    Returns
    -------
    RunResult
        ``ipynb_path`` and ``html_path`` of the outputs.

    Raises
    ------
    ParameterError
        Unknown parameter or bad value (before anything runs).
    NotebookRunError
        A cell failed or timed out; ``<name>.FAILED.ipynb`` is kept in ``out_dir``, no HTML is
        written.
    """
    import papermill as pm
    from papermill.exceptions import PapermillExecutionError

    path = find_notebook(notebook)
    values = resolve_parameters(path, params, params_file=params_file, data=data)
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    stem = output_name or path.stem
    ipynb_path, html_path = out / f"{stem}.ipynb", out / f"{stem}.html"
    failed_path = out / f"{stem}.FAILED.ipynb"
    fd, tmp_name = tempfile.mkstemp(dir=out, prefix=f".{stem}.", suffix=".part.ipynb")
    os.close(fd)
    tmp = Path(tmp_name)
    started = time.perf_counter()
    try:
        kernel = _normalise_kernel(kernel_name)
        # ipykernel warns on stderr that its local TCP sockets are not encrypted; that is
        # noise for a report run, so our own Python kernel logs errors only.
        engine = {}
        if kernel == "python3":
            engine = {"kernel_manager_class": _this_python_kernel_manager(),
                      "extra_arguments": ["--log-level=ERROR"]}
        try:
            executed = pm.execute_notebook(
                str(path), str(tmp), parameters=values, kernel_name=kernel, language="python",
                execution_timeout=timeout, progress_bar=progress, log_output=False,
                cwd=str(path.parent), **engine)
        except PapermillExecutionError as exc:
            os.chmod(tmp, _FILE_MODE)
            os.replace(tmp, failed_path)
            raise _failure_block(path, _read(path), exc, failed_path) from None
        except Exception as exc:  # noqa: BLE001 - a timeout or a dead kernel, not a cell error
            kept = None
            if tmp.exists() and tmp.stat().st_size > 0:
                os.chmod(tmp, _FILE_MODE)
                os.replace(tmp, failed_path)
                kept = failed_path
            name = type(exc).__name__
            msg = _ANSI.sub("", str(exc)).strip().splitlines()
            text = (f"Notebook {path.name} did not finish: {name}: {msg[0] if msg else ''}"
                    + (f" (cell time limit {timeout:g} s)" if "Timeout" in name and timeout
                       else ""))
            if kept:
                text += f"\nThe partly executed notebook is kept at {kept}"
            raise NotebookRunError(text, notebook=path, failed_path=kept, ename=name,
                                   evalue=msg[0] if msg else "") from None
        os.chmod(tmp, _FILE_MODE)
        os.replace(tmp, ipynb_path)
    finally:
        tmp.unlink(missing_ok=True)
    failed_path.unlink(missing_ok=True)
    export_html(executed, html_path)
    return RunResult(path, ipynb_path, html_path, values, time.perf_counter() - started)


# --- HTML ------------------------------------------------------------------------------------


class _Headings(HTMLParser):
    """Collect h1-h3 with an id (nbconvert gives every Markdown heading one)."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.found: list[tuple[int, str, str]] = []
        self._cur: list | None = None
        self._skip = 0

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag in ("h1", "h2", "h3") and a.get("id"):
            self._cur = [int(tag[1]), a["id"], ""]
        elif self._cur is not None and tag == "a" and "anchor-link" in (a.get("class") or ""):
            self._skip += 1

    def handle_endtag(self, tag):
        if self._cur is not None and tag == "a" and self._skip:
            self._skip -= 1
        elif self._cur is not None and tag == f"h{self._cur[0]}":
            level, ident, text = self._cur
            self.found.append((level, ident, " ".join(text.split())))
            self._cur = None

    def handle_data(self, data):
        if self._cur is not None and not self._skip:
            self._cur[2] += data


def _headings(body: str) -> list[tuple[int, str, str]]:
    """(level, id, text) of the h1-h3 headings of an nbconvert HTML page."""
    parser = _Headings()
    parser.feed(body)
    return [(lvl, ident, text) for lvl, ident, text in parser.found if text]


def _toc(items: list[tuple[int, str, str]]) -> str:
    """A nav block of links to the report's headings."""
    if not items:
        return ""
    top = min(lvl for lvl, _, _ in items)
    lis = "\n".join(
        f'<li style="margin-left:{(lvl - top) * 1.2:.1f}em">'
        f'<a href="#{html_lib.escape(ident, quote=True)}">{html_lib.escape(text)}</a></li>'
        for lvl, ident, text in items)
    return ('<nav class="playbook-toc" aria-label="Contents" style="margin:1em 2em; padding:0.6em '
            '1em; border:1px solid #ddd; border-radius:4px; background:#fafafa">'
            '<strong>Contents</strong>\n<ul style="list-style:none; padding-left:0; margin:0.4em 0">'
            f"\n{lis}\n</ul></nav>\n")


def _title(nb) -> str | None:
    for c in nb.cells:
        if c.cell_type == "markdown":
            m = re.search(r"^#\s+(.+)$", c.source, flags=re.MULTILINE)
            if m:
                return re.sub(r"[*_`]", "", m.group(1)).strip()
    return None


def export_html(nb, html_path: str | os.PathLike, *, title: str | None = None) -> Path:
    """Write an executed notebook as an HTML report: code hidden, the parameters and injected
    parameters cells removed, a table of contents at the top, images embedded.

    The HTML is written to a temporary file in the same folder, then moved into place.
    """
    from nbconvert import HTMLExporter

    nb = copy.deepcopy(nb)
    nb.cells = [c for c in nb.cells
                if not _HIDDEN_TAGS & set(c.get("metadata", {}).get("tags", []))]
    exporter = HTMLExporter(template_name="lab", exclude_input=True, exclude_input_prompt=True,
                            exclude_output_prompt=True)
    resources = {"metadata": {"name": title or _title(nb) or Path(html_path).stem}}
    body, _ = exporter.from_notebook_node(nb, resources=resources)
    heads = _headings(body)
    if title is None and not _title(nb) and heads:  # a title written by a code cell
        name = html_lib.escape(heads[0][2])
        body = re.sub(r"<title>.*?</title>", lambda m: f"<title>{name}</title>", body, count=1,
                      flags=re.DOTALL)
    toc = _toc(heads)
    if toc:
        if "<main>" in body:
            body = body.replace("<main>", "<main>\n" + toc, 1)
        else:  # pragma: no cover - other templates
            body = re.sub(r"(<body[^>]*>)", lambda m: m.group(1) + "\n" + toc, body, count=1)
    path = Path(html_path)
    _atomic_write_text(path, body)
    return path


# --- batches ---------------------------------------------------------------------------------


def run_many(notebooks: Iterable[str | os.PathLike], *, out_dir: str | os.PathLike = "reports",
             stream=None, **kwargs) -> list[RunResult]:
    """Run several notebooks, one progress line each; raise at the end if any failed.

    Every notebook runs even when an earlier one fails; the :class:`NotebookRunError` raised
    at the end lists each failure.
    """
    stream = stream if stream is not None else sys.stdout
    notebooks = list(notebooks)
    results, failures = [], []
    for i, nb in enumerate(notebooks, start=1):
        name = Path(nb).stem
        print(f"[{i}/{len(notebooks)}] {name} ...", end=" ", file=stream, flush=True)
        t0 = time.perf_counter()
        try:
            r = run_notebook(nb, out_dir=out_dir, **kwargs)
        except NotebookRunError as exc:
            print(f"FAILED after {time.perf_counter() - t0:.1f} s: "
                  f"{exc.ename}: {exc.evalue}"[:200], file=stream, flush=True)
            failures.append(exc)
            continue
        print(f"ok ({r.seconds:.1f} s) -> {r.html_path}", file=stream, flush=True)
        results.append(r)
    if failures:
        raise NotebookRunError(
            f"{len(failures)} of {len(notebooks)} notebooks failed:\n\n"
            + "\n\n".join(str(f) for f in failures),
            notebook=failures[0].notebook, failed_path=failures[0].failed_path,
            cell_index=failures[0].cell_index, cell_line=failures[0].cell_line,
            ename=failures[0].ename, evalue=failures[0].evalue)
    return results


# --- the monthly review ----------------------------------------------------------------------


def load_targets(path: str | os.PathLike) -> pd.DataFrame:
    """Monthly targets from a YAML, CSV or Excel file, as a frame for ``monthly_kpis``.

    YAML: ``{"2026-08": {"gmv": 1500000, "orders": 8000}, ...}`` or a list of records. CSV or
    Excel: wide (``month`` plus one column per metric) or long (``month, metric, target``).
    """
    import yaml

    p = Path(path)
    if not p.is_file():
        raise FileNotFoundError(f"targets file {str(path)!r} not found")
    if p.suffix.lower() in (".yaml", ".yml"):
        data = yaml.safe_load(p.read_text(encoding="utf-8-sig"))
        if isinstance(data, dict):
            recs = []
            for month, metrics in data.items():
                if not isinstance(metrics, dict):
                    raise DataValidationError(
                        f"load_targets: {p.name}: under {month!r} expected metric: value lines, "
                        f"got {metrics!r}.")
                recs += [{"month": str(month), "metric": str(k), "target": v}
                         for k, v in metrics.items()]
            return pd.DataFrame.from_records(recs, columns=["month", "metric", "target"])
        if isinstance(data, list):
            df = pd.DataFrame.from_records(data)
        else:
            raise DataValidationError(f"load_targets: {p.name}: expected months with metric "
                                      f"targets, got {type(data).__name__}.")
    elif p.suffix.lower() in (".xlsx", ".xls"):
        df = pd.read_excel(p, dtype={"month": str})
    else:
        df = pd.read_csv(p, dtype={"month": str}, encoding="utf-8-sig")
    if "month" not in df.columns:
        raise DataValidationError(f"load_targets: {p.name} needs a 'month' column (YYYY-MM); "
                                  f"it has: {', '.join(map(str, df.columns))}.")
    df["month"] = df["month"].astype(str)
    return df


def _pct(x: float) -> str:
    return f"{abs(x):.0%}"


def _fmt(metric: str, v: float) -> str:
    from .metrics import KPI_LABELS

    kind = KPI_LABELS[metric][2]
    if kind == "rate":
        return f"{v:.1%}"
    if kind == "money":
        return f"{v:,.0f} yuan" if metric != "aov" else f"{v:,.1f} yuan"
    return f"{v:,.0f}"


_ADVICE = {
    "gmv": "split it into visitors x conversion x AOV to see which part moved",
    "orders": "compare traffic and conversion by channel to find where orders were lost",
    "buyers": "check whether new or returning buyers fell, then act on that group",
    "aov": "review discount depth and thresholds (满减) and push bundles or add-on items",
    "new_customers": "review acquisition spend and cost per new customer by channel",
    "returning_customers": "plan a win-back touch for customers going dormant",
    "conversion": "check the funnel by device and channel for a step that broke",
    "repurchase_rate": "plan a win-back offer for last quarter's buyers and review member "
                       "benefits",
}


def action_items(kpis: pd.DataFrame, *, drop: float = 0.10, rise: float = 0.10,
                 target_miss: float = 0.95) -> list[str]:
    """A short action list from the month's KPI table, by fixed rules.

    Rules, in order: a metric below ``target_miss`` of its target; GMV, orders, AOV, new and
    returning customers, conversion or repurchase down by ``drop`` or more against last month
    or the same month last year; GMV up by ``rise`` or more (find out why and repeat it).
    Without any of these: one line saying nothing crossed a threshold.

    Parameters
    ----------
    kpis : DataFrame
        :func:`playbook_lib.metrics.monthly_kpis` output.

    Examples
    --------
    >>> import pandas as pd
    >>> k = pd.DataFrame({"value": [80.0], "prev_month": [100.0], "same_month_last_year": [81.0],
    ...     "mom_change": [-0.2], "yoy_change": [-0.012], "target": [float("nan")],
    ...     "attainment": [float("nan")]}, index=pd.Index(["gmv"], name="metric"))
    >>> for line in action_items(k):
    ...     print(line)  # doctest: +NORMALIZE_WHITESPACE
    GMV fell 20% against last month (80 yuan): split it into visitors x conversion x AOV to
    see which part moved.
    """
    from .metrics import KPI_LABELS

    items: list[str] = []
    rows = {m: r for m, r in kpis.iterrows() if m in KPI_LABELS}
    for m, r in rows.items():
        att = r.get("attainment", float("nan"))
        if pd.notna(att) and att < target_miss:
            items.append(f"{KPI_LABELS[m][0]} reached {att:.0%} of target "
                         f"({_fmt(m, r['value'])} against {_fmt(m, r['target'])}): "
                         f"{_ADVICE[m]}.")
    for m in ("gmv", "orders", "aov", "new_customers", "returning_customers", "conversion",
              "repurchase_rate"):
        if m not in rows:
            continue
        r = rows[m]
        mom, yoy = r.get("mom_change", float("nan")), r.get("yoy_change", float("nan"))
        label = KPI_LABELS[m][0]
        if pd.notna(mom) and mom <= -drop:
            items.append(f"{label} fell {_pct(mom)} against last month "
                         f"({_fmt(m, r['value'])}): {_ADVICE[m]}.")
        elif pd.notna(yoy) and yoy <= -drop:
            items.append(f"{label} fell {_pct(yoy)} against the same month last year "
                         f"({_fmt(m, r['value'])}): {_ADVICE[m]}.")
    g = rows.get("gmv")
    if g is not None and pd.notna(g.get("mom_change")) and g["mom_change"] >= rise:
        items.append(f"GMV grew {_pct(g['mom_change'])} against last month: find the channel "
                     f"and category behind it, and whether it will repeat next month.")
    if not items:
        items.append(f"No KPI crossed an alert threshold (a fall of {drop:.0%} against last month "
                     f"or last year, or {target_miss:.0%} of target): keep the plan and watch "
                     f"the funnel weekly.")
    return items


def format_kpis(kpis: pd.DataFrame) -> pd.DataFrame:
    """The KPI table as the review shows it: labels with the Chinese term, formatted values.

    Returns
    -------
    DataFrame indexed by ``metric`` (English label and Chinese term) with text columns
    ``this month``, ``last month``, ``vs last month``, ``same month last year``,
    ``vs last year``, ``target``, ``attainment`` ("-" where a figure is unknown).

    Examples
    --------
    >>> import pandas as pd
    >>> k = pd.DataFrame({"value": [1500.0], "prev_month": [1000.0],
    ...     "same_month_last_year": [float("nan")], "mom_change": [0.5],
    ...     "yoy_change": [float("nan")], "target": [2000.0], "attainment": [0.75]},
    ...     index=pd.Index(["gmv"], name="metric"))
    >>> format_kpis(k).iloc[0].tolist()
    ['1,500 yuan', '1,000 yuan', '+50.0%', '-', '-', '2,000 yuan', '75%']
    """
    from .metrics import KPI_LABELS

    def num(metric, v):
        return "-" if pd.isna(v) else _fmt(metric, v)

    def chg(v):
        return "-" if pd.isna(v) else f"{v:+.1%}"

    recs = []
    for metric, r in kpis.iterrows():
        en, zh, _ = KPI_LABELS.get(metric, (str(metric), "", "count"))
        recs.append({"metric": f"{en} ({zh})" if zh else en,
                     "this month": num(metric, r["value"]),
                     "last month": num(metric, r["prev_month"]),
                     "vs last month": chg(r["mom_change"]),
                     "same month last year": num(metric, r["same_month_last_year"]),
                     "vs last year": chg(r["yoy_change"]),
                     "target": num(metric, r["target"]),
                     "attainment": "-" if pd.isna(r["attainment"]) else f"{r['attainment']:.0%}"})
    return pd.DataFrame.from_records(recs).set_index("metric")


def kpis_to_dict(kpis: pd.DataFrame) -> dict:
    """The KPI table as plain JSON-ready dicts (NaN -> None)."""
    out = {}
    for metric, row in kpis.iterrows():
        out[str(metric)] = {k: (None if pd.isna(v) else float(v)) for k, v in row.items()}
    return out


def monthly_review(month: str | None = None, data: str | os.PathLike = "demo",
                   out_dir: str | os.PathLike = "reports",
                   targets: str | os.PathLike | None = None, shop_name: str | None = None, *,
                   kernel_name: str = "python3", timeout: float | None = 600,
                   progress: bool = False) -> ReviewResult:
    """Run the monthly review for a month and write its notebook, HTML and ``kpis.json``.

    Parameters
    ----------
    month : str, optional
        ``"YYYY-MM"``; default: the latest full month in the data.
    data : path or "demo"
        The shop folder.
    out_dir : path
        Writes ``monthly_review_YYYY-MM.ipynb``, ``monthly_review_YYYY-MM.html`` and
        ``kpis.json`` there.
    targets : path, optional
        Monthly targets (YAML, CSV or Excel; see :func:`load_targets`).
    shop_name : str, optional
        Shown in the report's title (default: "Demo shop" or the folder's name).

    Raises
    ------
    DataValidationError
        A month outside the data or without paid orders, or unreadable targets: before
        anything runs.
    NotebookRunError
        If the notebook fails.
    """
    from .data import load_dataset
    from .metrics import latest_full_month, monthly_kpis, parse_month

    try:  # only the tables the KPIs need: a quick check before the notebook loads them all
        ds = load_dataset(data, tables=["orders", "traffic"])
    except DataValidationError:
        ds = load_dataset(data, tables=["orders"])  # a shop without traffic: no conversion
    m = str(parse_month(month, func="monthly_review")) if month else latest_full_month(ds)
    target_frame = load_targets(targets) if targets else None
    kpis = monthly_kpis(ds, m, targets=target_frame)
    if shop_name is None:
        shop_name = "Demo shop" if str(data) == "demo" else Path(data).resolve().name
    params = {"DATA": os.fspath(data), "MONTH": m, "SHOP_NAME": shop_name,
              "TARGETS": os.fspath(targets) if targets else ""}
    res = run_notebook(REVIEW_NOTEBOOK, params=params, out_dir=out_dir,
                       kernel_name=kernel_name, timeout=timeout, progress=progress,
                       output_name=f"monthly_review_{m}")
    payload = {"month": m, "shop_name": shop_name, "data": str(data),
               "generated_at": datetime.now().isoformat(timespec="seconds"),
               "html": res.html_path.name, "kpis": kpis_to_dict(kpis),
               "actions": action_items(kpis)}
    kpis_path = Path(out_dir) / "kpis.json"
    _atomic_write_text(kpis_path, json.dumps(payload, ensure_ascii=False, indent=2,
                                             allow_nan=False) + "\n")
    return ReviewResult(m, res.ipynb_path, res.html_path, kpis_path, kpis)


# --- command line ----------------------------------------------------------------------------


def _existing_files(out_dir) -> set[str]:
    """Names of the files already in ``out_dir`` (to say which ones a run replaces)."""
    folder = Path(out_dir)
    return {p.name for p in folder.iterdir() if p.is_file()} if folder.is_dir() else set()


def _say_replaced(before: set[str], *paths) -> None:
    replaced = [Path(p).name for p in paths if p is not None and Path(p).name in before]
    if replaced:
        print(f"  (replaced the earlier {', '.join(replaced)})")


def cli_run(args) -> int:
    """``playbook run NOTEBOOK [-p NAME VALUE ...] [--data PATH] [--out DIR] ...``"""
    if getattr(args, "help", False) or not args.notebook:
        args._parser.print_help()
        if args.notebook:
            print()
            print(format_parameters(args.notebook))
        return 0 if getattr(args, "help", False) else 2
    params = {}
    for name, value in args.param or []:
        params[name] = value
    before = _existing_files(args.out)
    try:
        res = run_notebook(args.notebook, params=params, params_file=args.params_file,
                           data=args.data, out_dir=args.out, kernel_name=args.kernel,
                           timeout=args.timeout, progress=args.progress)
    except NotebookRunError as exc:
        print(str(exc), file=sys.stderr)
        return 1
    print(f"Wrote {res.html_path} and {res.ipynb_path} ({res.seconds:.1f} s)")
    _say_replaced(before, res.html_path, res.ipynb_path)
    return 0


def cli_review(args) -> int:
    """``playbook review [--month YYYY-MM] [--data PATH] [--out DIR] [--targets FILE]``"""
    before = _existing_files(args.out)
    try:
        res = monthly_review(month=args.month, data=args.data, out_dir=args.out,
                             targets=args.targets, shop_name=args.shop_name,
                             timeout=args.timeout, progress=args.progress)
    except NotebookRunError as exc:
        print(str(exc), file=sys.stderr)
        return 1
    print(f"Monthly review {res.month}: {res.html_path}")
    print(f"  notebook {res.ipynb_path}, figures {res.kpis_path}")
    _say_replaced(before, res.html_path, res.ipynb_path, res.kpis_path)
    return 0


def cli_lab(args) -> int:
    """``playbook lab``: open JupyterLab on the lessons."""
    exe = shutil.which("jupyter-lab") or shutil.which("jupyter")
    try:
        import jupyterlab  # noqa: F401
    except ImportError:
        exe = None
    if exe is None:
        print("JupyterLab is not installed in this environment. Install it with "
              "`python -m pip install -e '.[lab]'` (or run `make lab`).", file=sys.stderr)
        return 2
    cmd = [exe] + ([] if exe.endswith("jupyter-lab") else ["lab"]) + [str(args.notebook_dir)]
    return subprocess.call(cmd)


def _progress_command(args) -> int:
    from .exercises import cli_progress

    return cli_progress(args)


def add_commands(subparsers) -> None:
    """Register ``run``, ``review``, ``progress`` and ``lab`` on the ``playbook`` CLI."""
    r = subparsers.add_parser(
        "run", add_help=False, help="run any notebook as a report (HTML + executed .ipynb)",
        description="Run a notebook with parameters and write an HTML report (code hidden) "
                    "and the executed notebook. `playbook run NOTEBOOK --help` lists the "
                    "notebook's parameters.")
    r.add_argument("notebook", nargs="?", help="notebook file, or a name under notebooks/ "
                                                "(e.g. 00_start_here, reports/monthly_review)")
    r.add_argument("-h", "--help", action="store_true", help="show this help and the notebook's "
                                                              "parameters")
    r.add_argument("-p", "--param", nargs=2, action="append", metavar=("NAME", "VALUE"),
                   help="set a parameter; the value is converted to the default's type")
    r.add_argument("--params-file", help="YAML or JSON file of parameters")
    r.add_argument("--data", help="shop folder for the DATA parameter (default: the notebook's)")
    r.add_argument("--out", default="reports", help="output folder (reports)")
    r.add_argument("--kernel", default="python3", help="Jupyter kernel (python3: this Python)")
    r.add_argument("--timeout", type=float, default=600, help="seconds per cell (600)")
    r.add_argument("--progress", action="store_true", help="show a progress bar")
    r.set_defaults(func=cli_run, _parser=r)

    v = subparsers.add_parser("review", help="run the monthly review -> "
                                             "DIR/monthly_review_YYYY-MM.html")
    v.add_argument("--month", help="YYYY-MM (default: the latest full month in the data)")
    v.add_argument("--data", default="demo", help="shop folder (default: the demo shop)")
    v.add_argument("--out", default="reports", help="output folder (reports)")
    v.add_argument("--targets", help="monthly targets, YAML or CSV (optional)")
    v.add_argument("--shop-name", help="name shown in the report's title")
    v.add_argument("--timeout", type=float, default=600, help="seconds per cell (600)")
    v.add_argument("--progress", action="store_true", help="show a progress bar")
    v.set_defaults(func=cli_review)

    g = subparsers.add_parser("progress", help="your exercise progress per lesson")
    g.set_defaults(func=_progress_command)

    lab = subparsers.add_parser("lab", help="open JupyterLab on the lessons")
    lab.add_argument("--notebook-dir", default=str(NOTEBOOKS_DIR), help="folder to open")
    lab.set_defaults(func=cli_lab)

