"""Which notebook, and which parameters.

Find a notebook, read its ``parameters`` cell, check and convert the values a caller gives.

The parameters cell is read with papermill's own inspection, so the names here are exactly
the ones papermill can override. Values given as text (the command line, a YAML file) are
converted to the type of each default: ``"3"`` -> 3 for an int default, ``"007"`` stays
``"007"`` for a text default, ``yes``/``no`` for bools.
"""

from __future__ import annotations

import ast
import difflib
import json
import math
import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import nbformat
import yaml

from .._resources import notebooks_dir

__all__ = [
    "Parameter",
    "ParameterError",
    "describe_parameters",
    "find_notebook",
    "find_notebooks",
    "format_parameters",
    "read_notebook",
    "resolve_parameters",
]

# Parameters whose string values are file or folder paths: made absolute before the run,
# because the notebook runs in its own folder (as in Jupyter).
_PATH_NAMES = {"DATA", "TARGETS"}
_PATH_SUFFIXES = ("_PATH", "_FILE", "_DIR", "_FOLDER")
_TRUE = {"true", "yes", "y", "1", "on"}
_FALSE = {"false", "no", "n", "0", "off"}


class ParameterError(ValueError):
    """A notebook parameter that the notebook does not have, or a value of the wrong type."""


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


# --- finding notebooks and reading their parameters ------------------------------------------


def find_notebooks(root: str | os.PathLike | None = None) -> list[Path]:
    """Every notebook under ``root`` (default: the kit's notebooks), checkpoints excluded."""
    root = Path(root) if root is not None else notebooks_dir()
    return sorted(p for p in root.glob("**/*.ipynb") if ".ipynb_checkpoints" not in p.parts)


def find_notebook(notebook: str | os.PathLike) -> Path:
    """A notebook path from a path, or a name among the kit's notebooks.

    Names look like ``"00_start_here"``, ``"reports/monthly_review"`` or ``"monthly_review"``.
    """
    p = Path(notebook)
    kit = notebooks_dir()
    if p.suffix != ".ipynb":
        p = p.with_name(p.name + ".ipynb")
    if p.is_file():
        return p.resolve()
    candidates = [kit / p]
    candidates += [q for q in find_notebooks() if q.name == p.name]
    for c in candidates:
        if c.is_file():
            return c.resolve()
    known = ", ".join(str(q.relative_to(kit).with_suffix(""))
                      for q in find_notebooks()) or "none"
    raise FileNotFoundError(f"notebook {str(notebook)!r} not found (neither a file nor a "
                            f"notebook under {kit}; the kit's notebooks: {known}).")


def read_notebook(notebook: str | os.PathLike):
    """The notebook file as an ``nbformat`` node (version 4)."""
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
    from papermill.translators import PythonTranslator  # heavy: only when a notebook is read

    path = find_notebook(notebook)
    cell = _parameters_cell(read_notebook(path))
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
    """Parameters from a YAML or JSON file.

    YAML scalars are read as text (``007`` stays "007"), then converted to each parameter's
    type like command-line values.
    """
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
