"""Ops Playbook: the helper library behind the e-commerce operations lessons and reports.

Modules mirror the lessons: ``data`` (schema, loading, validation, the demo shop), ``users``,
``products``, ``experiments``, ``metrics``, ``plots``, ``exercises``, ``report`` (run a notebook
as a report), ``review`` (the monthly review) and ``cli`` (the ``playbook`` command).
"""

from .data import Dataset, generate, load_dataset, validate
from .errors import DataValidationError

__version__ = "0.1.0"
__all__ = ["DataValidationError", "Dataset", "load_dataset", "validate", "generate"]
