"""Errors raised by playbook_lib, and the one helper that checks a function's input frame.

Every public function validates its input once, up front, through :func:`require_columns`
(and, where needed, :func:`require_non_empty`). Errors are :class:`DataValidationError`, a
``ValueError`` whose message names the function, the table, the problem, a few offending
rows or values, and how to fix it.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import pandas as pd

__all__ = [
    "DataValidationError",
    "require_columns",
    "require_non_empty",
    "require_choice",
    "format_examples",
]


class DataValidationError(ValueError):
    """Input data that a function or the validator cannot use.

    Attributes
    ----------
    problems : list
        For the dataset validator, the list of :class:`playbook_lib.data.io.Problem`
        found (every one, not only the first). Empty for a single-function error.
    """

    def __init__(self, message: str, problems: Sequence | None = None):
        super().__init__(message)
        self.problems = list(problems or [])


def format_examples(values: Iterable, limit: int = 5) -> str:
    """Render up to ``limit`` example values as a short comma-separated list."""
    values = list(values)
    shown = ", ".join(repr(v) for v in values[:limit])
    more = f" (and {len(values) - limit} more)" if len(values) > limit else ""
    return shown + more


def require_columns(
    df: pd.DataFrame,
    columns: Iterable[str],
    *,
    table: str,
    func: str,
) -> None:
    """Raise DataValidationError if ``df`` is not a DataFrame or lacks any of ``columns``.

    Examples
    --------
    >>> import pandas as pd
    >>> require_columns(pd.DataFrame({"a": [1]}), ["a"], table="orders", func="demo")
    >>> require_columns(pd.DataFrame({"a": [1]}), ["a", "b"], table="orders", func="demo")
    Traceback (most recent call last):
    ...
    playbook_lib.errors.DataValidationError: demo: table 'orders' is missing column(s) 'b'. ...
    """
    if not isinstance(df, pd.DataFrame):
        raise DataValidationError(
            f"{func}: expected the '{table}' table as a pandas DataFrame, "
            f"got {type(df).__name__}. Pass e.g. ds.{table} from load_dataset()."
        )
    missing = [c for c in columns if c not in df.columns]
    if missing:
        have = ", ".join(map(str, df.columns[:12])) + (" ..." if len(df.columns) > 12 else "")
        raise DataValidationError(
            f"{func}: table '{table}' is missing column(s) "
            f"{', '.join(repr(c) for c in missing)}. It has: {have}. "
            f"Rename your columns to the schema (see datasets/README.md) or pass the "
            f"column names as arguments."
        )


def require_non_empty(df: pd.DataFrame, *, table: str, func: str, what: str = "rows") -> None:
    """Raise DataValidationError if ``df`` has no rows."""
    if len(df) == 0:
        raise DataValidationError(
            f"{func}: table '{table}' has no {what} to work on. "
            f"Check the period or filters you applied before calling it."
        )


def require_choice(value, choices: Iterable, *, name: str, func: str) -> None:
    """Raise ValueError listing the valid choices if ``value`` is not one of them."""
    choices = list(choices)
    if value not in choices:
        raise ValueError(
            f"{func}: {name}={value!r} is not supported; choose one of "
            f"{', '.join(repr(c) for c in choices)}."
        )
