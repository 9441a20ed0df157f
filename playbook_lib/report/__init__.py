"""Run any notebook as a report: parameters, papermill, and an HTML export.

Modules, each importing only the ones before it: ``params`` (find a notebook, read and check
its parameters), ``html`` (the HTML export through the kit's nbconvert template ``playbook``,
with its table of contents), ``run`` (:func:`run_notebook`, :func:`run_many`, failures).
The monthly review built on it is :mod:`playbook_lib.review`; the ``playbook`` command is
:mod:`playbook_lib.cli`.
"""

from .html import export_html
from .params import (
    Parameter,
    ParameterError,
    describe_parameters,
    find_notebook,
    find_notebooks,
    format_parameters,
    resolve_parameters,
)
from .run import NotebookRunError, RunResult, run_many, run_notebook

__all__ = [
    "NotebookRunError",
    "Parameter",
    "ParameterError",
    "RunResult",
    "describe_parameters",
    "export_html",
    "find_notebook",
    "find_notebooks",
    "format_parameters",
    "resolve_parameters",
    "run_many",
    "run_notebook",
]
