"""Input checks shared by every module: columns, dates and times, numbers, probabilities, counts.

A public function validates its input once, up front, with these helpers (and
:func:`playbook_lib.errors.require_columns`). Each raises :class:`DataValidationError` for bad
data (a ``ValueError``) or ``ValueError`` for a bad option, with a message that names the
function, the table and column or the argument, a few offending rows or values, and the fix.
"""

from __future__ import annotations

import numbers
from collections.abc import Iterable

import numpy as np
import pandas as pd

from .errors import (
    DataValidationError,
    format_examples,
    require_choice,
    require_columns,
    require_non_empty,
)

__all__ = [
    "require_columns",
    "require_non_empty",
    "require_choice",
    "to_timestamp",
    "to_day",
    "datetimes",
    "datetime_ns",
    "numeric_values",
    "require_numeric",
    "positive_int",
    "count",
    "probability",
    "non_negative",
]


# --- dates -----------------------------------------------------------------------------------

def to_timestamp(value, *, name: str, func: str) -> pd.Timestamp:
    """A date argument such as ``as_of`` as a naive Timestamp, else DataValidationError.

    Examples
    --------
    >>> to_timestamp("2026-01-31", name="as_of", func="demo")
    Timestamp('2026-01-31 00:00:00')
    >>> to_timestamp("soon", name="as_of", func="demo")
    Traceback (most recent call last):
    ...
    playbook_lib.errors.DataValidationError: demo: as_of='soon' is not a date. Pass a date such as '2026-01-31' or a pandas Timestamp.
    """  # noqa: E501 - a doctest's expected message is one line
    try:
        ts = pd.Timestamp(value)
    except (TypeError, ValueError) as exc:
        raise DataValidationError(
            f"{func}: {name}={value!r} is not a date. Pass a date such as '2026-01-31' "
            f"or a pandas Timestamp."
        ) from exc
    if ts is pd.NaT:
        raise DataValidationError(
            f"{func}: {name} is missing (NaT). Pass a date such as '2026-01-31'.")
    if ts.tzinfo is not None:
        ts = ts.tz_localize(None)
    return ts


def to_day(value, *, name: str, func: str) -> pd.Timestamp:
    """A date argument as a midnight Timestamp (the day it falls on).

    Examples
    --------
    >>> to_day("2026-06-30 18:00", name="as_of", func="demo")
    Timestamp('2026-06-30 00:00:00')
    """
    return to_timestamp(value, name=name, func=func).normalize()


def datetimes(df: pd.DataFrame, col: str, *, table: str, func: str) -> pd.Series:
    """``df[col]`` as datetime64, or DataValidationError naming values that are not dates.

    Examples
    --------
    >>> datetimes(pd.DataFrame({"d": ["2026-01-02"]}), "d", table="t", func="demo").dt.day
    0    2
    Name: d, dtype: int32
    """
    s = df[col]
    if pd.api.types.is_datetime64_any_dtype(s):
        return s
    try:
        return pd.to_datetime(s, format="ISO8601")
    except (ValueError, TypeError) as exc:
        raise DataValidationError(
            f"{func}: column '{col}' of table '{table}' must hold dates, got dtype {s.dtype} "
            f"(e.g. {format_examples(s.head(3).tolist())}). Use ISO dates like '2026-06-18'."
        ) from exc


def datetime_ns(df: pd.DataFrame, col: str, *, table: str, func: str,
                allow_missing: bool = False) -> np.ndarray:
    """Column ``col`` as int64 nanoseconds since the epoch (missing values as NaT's int).

    Values that cannot be read as dates, and (unless ``allow_missing``) missing values, are
    a DataValidationError that shows a few of them.
    """
    s = df[col]
    if isinstance(s.dtype, pd.DatetimeTZDtype):
        s = s.dt.tz_localize(None)
    if not pd.api.types.is_datetime64_any_dtype(s.dtype):
        parsed = pd.to_datetime(s, errors="coerce")
        bad = s[parsed.isna() & s.notna()]
        if len(bad):
            raise DataValidationError(
                f"{func}: column '{col}' of table '{table}' should hold dates and times; "
                f"{len(bad)} value(s) cannot be read as dates, e.g. "
                f"{format_examples(bad.unique())}. "
                f"Fix them in the export or convert with pd.to_datetime(..., format=...)."
            )
        s = parsed
        if isinstance(s.dtype, pd.DatetimeTZDtype):
            s = s.dt.tz_localize(None)
    values = s.to_numpy(dtype="datetime64[ns]")
    missing = np.isnat(values)
    if missing.any() and not allow_missing:
        rows = df.index[missing]
        raise DataValidationError(
            f"{func}: column '{col}' of table '{table}' has {int(missing.sum())} missing "
            f"value(s) (rows {format_examples(rows)}). Drop or fill those rows first."
        )
    return values.view("int64")


# --- numbers ---------------------------------------------------------------------------------

def numeric_values(df: pd.DataFrame, col: str, *, table: str, func: str,
                   allow_missing: bool = False) -> np.ndarray:
    """Column ``col`` as float64; text that is not a number, or a missing value, is an error.

    Examples
    --------
    >>> numeric_values(pd.DataFrame({"x": ["1", "2.5"]}), "x", table="t", func="demo")
    array([1. , 2.5])
    """
    s = df[col]
    if not pd.api.types.is_numeric_dtype(s.dtype) or pd.api.types.is_bool_dtype(s.dtype):
        parsed = pd.to_numeric(s, errors="coerce")
        bad = s[parsed.isna() & s.notna()]
        if len(bad):
            raise DataValidationError(
                f"{func}: column '{col}' of table '{table}' should hold numbers; "
                f"{len(bad)} value(s) are not numbers, e.g. {format_examples(bad.unique())}. "
                f"Remove currency signs and thousands separators in the export."
            )
        s = parsed
    values = s.to_numpy(dtype="float64", na_value=np.nan)
    missing = np.isnan(values)
    if missing.any() and not allow_missing:
        rows = df.index[missing]
        raise DataValidationError(
            f"{func}: column '{col}' of table '{table}' has {int(missing.sum())} missing "
            f"value(s) (rows {format_examples(rows)}). Drop or fill those rows first."
        )
    return values


def require_numeric(df: pd.DataFrame, cols: Iterable[str], *, table: str, func: str,
                    min_value: float | None = None) -> None:
    """Raise DataValidationError unless ``cols`` are numeric, non-missing and >= ``min_value``.

    Examples
    --------
    >>> require_numeric(pd.DataFrame({"q": [1, -2]}), ["q"], table="order_items", func="demo",
    ...                 min_value=0)
    Traceback (most recent call last):
    ...
    playbook_lib.errors.DataValidationError: demo: column 'q' of table 'order_items' has 1 values below 0 or missing, e.g. rows 1 with -2. Fix or drop those rows first.
    """  # noqa: E501 - a doctest's expected message is one line
    for col in cols:
        s = df[col]
        if not pd.api.types.is_numeric_dtype(s) or pd.api.types.is_bool_dtype(s):
            raise DataValidationError(
                f"{func}: column '{col}' of table '{table}' must be numeric, got dtype "
                f"{s.dtype} (e.g. {format_examples(s.head(3).tolist())}). Convert it with "
                f"pd.to_numeric or load the table with load_dataset()."
            )
        bad = s[s.isna()] if min_value is None else s[s.isna() | (s < min_value)]
        if len(bad):
            what = ("missing values" if min_value is None
                    else f"values below {min_value:g} or missing")
            raise DataValidationError(
                f"{func}: column '{col}' of table '{table}' has {len(bad)} {what}, e.g. rows "
                f"{format_examples(bad.index.tolist(), 3)} with "
                f"{format_examples(bad.tolist(), 3)}. Fix or drop those rows first."
            )


def _is_bool(value) -> bool:
    return isinstance(value, (bool, np.bool_))


def positive_int(value, *, name: str, func: str, minimum: int = 1, hint: str = "") -> int:
    """A whole-number option ``>= minimum`` (True/False and 2.0 are refused), else ValueError.

    ``hint``, when given, ends the message (e.g. ``"e.g. 30"``).

    Examples
    --------
    >>> positive_int(3, name="bins", func="demo")
    3
    >>> positive_int(0, name="bins", func="demo")
    Traceback (most recent call last):
    ...
    ValueError: demo: bins must be a whole number >= 1, got 0.
    >>> positive_int(1, name="period", func="demo", minimum=2, hint="12 for monthly data")
    Traceback (most recent call last):
    ...
    ValueError: demo: period must be a whole number >= 2, got 1; 12 for monthly data.
    """
    if _is_bool(value) or not isinstance(value, (numbers.Integral, np.integer)) \
            or value < minimum:
        raise ValueError(f"{func}: {name} must be a whole number >= {minimum}, got {value!r}"
                         f"{'; ' + hint if hint else ''}.")
    return int(value)


def count(value, *, name: str, func: str) -> int:
    """A non-negative whole number (int, numpy int or a float such as 12.0), else an error.

    Examples
    --------
    >>> count(12.0, name="visitors_a", func="demo")
    12
    """
    ok = (not _is_bool(value)
          and isinstance(value, (numbers.Integral, float, np.floating))
          and float(value).is_integer() and value >= 0)
    if not ok:
        raise DataValidationError(
            f"{func}: {name}={value!r} must be a whole number >= 0 (a count of visitors or "
            f"conversions)."
        )
    return int(value)


def probability(value, *, name: str, func: str, hint: str) -> float:
    """A number strictly between 0 and 1, else ValueError that ends with ``hint``.

    Examples
    --------
    >>> probability(0.05, name="alpha", func="demo", hint="e.g. 0.05")
    0.05
    """
    ok = (not _is_bool(value) and isinstance(value, (numbers.Real, np.floating))
          and 0 < value < 1)
    if not ok:
        raise ValueError(f"{func}: {name}={value!r} must be strictly between 0 and 1, {hint}.")
    return float(value)


def non_negative(value, *, name: str, func: str) -> np.ndarray:
    """A number or array of numbers, all finite and >= 0, as a float array, else ValueError.

    Examples
    --------
    >>> non_negative([1, 2], name="lead_time_days", func="demo")
    array([1., 2.])
    """
    arr = np.asarray(value, dtype=float) if not isinstance(value, str) else None
    if arr is None or not np.all(np.isfinite(arr)) or np.any(arr < 0):
        raise ValueError(f"{func}: {name}={value!r} must be a finite number >= 0 "
                         f"(or an array of them).")
    return arr
