"""Answer specs: how a learner's answer is compared with the expected one, and what to say.

Each spec has ``equal(answer, expected) -> bool`` (quiet; used to match typical mistakes) and
``diagnose(answer, expected) -> Verdict``. Correctness of Series and DataFrames is decided by
``pandas.testing`` (``check_dtype=False``, relative and absolute tolerance); the diagnosis
around it is ours, because pandas' own assertion messages print the expected values, and a
feedback message must never reveal them. Messages may name columns, index labels (which rows)
and counts of rows, never an expected number.
"""

from __future__ import annotations

import math
import numbers
from dataclasses import dataclass

import numpy as np
import pandas as pd

__all__ = [
    "AnswerSpec",
    "ExactAnswer",
    "FrameAnswer",
    "ItemsAnswer",
    "ScalarAnswer",
    "SeriesAnswer",
    "Verdict",
]

_OUTCOMES = ("correct", "incorrect", "blank", "unavailable")


@dataclass(frozen=True)
class Verdict:
    """The result of checking one answer.

    Attributes
    ----------
    outcome : str
        ``"correct"``, ``"incorrect"``, ``"blank"`` (not answered yet) or ``"unavailable"``
        (the exercise cannot be checked on this dataset).
    code : str
        What was found: ``correct``, ``blank``, ``wrong_type``, ``nan``, ``percent``,
        ``fraction``, ``sign``, ``close``, ``whole``, ``too_high``, ``too_low``,
        ``missing_columns``, ``extra_columns``, ``index``, ``subset``, ``extra_rows``,
        ``duplicates``, ``values``, ``order``, ``name``, ``mistake`` (a declared typical
        mistake), ``unavailable``.
    message : str
        Feedback for the learner (never contains the expected value).
    mistake : str or None
        Name of the matched typical mistake when ``code == "mistake"``.
    """

    outcome: str
    code: str
    message: str
    mistake: str | None = None

    def __post_init__(self):
        if self.outcome not in _OUTCOMES:
            raise ValueError(f"Verdict: outcome={self.outcome!r}; choose one of {_OUTCOMES}")

    @property
    def correct(self) -> bool:
        return self.outcome == "correct"


def _right(message: str = "Correct!") -> Verdict:
    return Verdict("correct", "correct", message)


def _wrong(code: str, message: str) -> Verdict:
    return Verdict("incorrect", code, message)


def _examples(labels, limit: int = 3) -> str:
    labels = list(labels)
    shown = ", ".join(repr(_plain(v)) for v in labels[:limit])
    return shown + (" (and more)" if len(labels) > limit else "")


def _how_many(n_bad: int, n: int, row: str) -> str:
    """How many rows are wrong, in words that never print a count.

    A count can coincide with an expected value, so: 'all rows', 'one row', '25% of the rows'.
    """
    if n_bad >= n:
        return f"all {_pl(row)}" if n > 1 else f"the {row}"
    if n_bad == 1:
        return f"one {row}"
    share = n_bad / n
    return f"{share:.0%} of the {_pl(row)}" if share >= 0.01 else f"a few {_pl(row)}"


def _pl(word: str) -> str:
    """Plural of a row word: entry -> entries, row -> rows."""
    return word[:-1] + "ies" if word.endswith("y") else word + "s"


def _plain(v):
    """Python scalars for numpy ones, so reprs read '3' not 'np.int64(3)'."""
    if isinstance(v, np.generic):
        return v.item()
    if isinstance(v, tuple):
        return tuple(_plain(x) for x in v)
    return v


def _what(x) -> str:
    """A short description of a value's kind, for wrong-type messages."""
    if x is None:
        return "None"
    if isinstance(x, pd.DataFrame):
        return f"a DataFrame with {x.shape[0]} rows and {x.shape[1]} columns"
    if isinstance(x, pd.Series):
        return f"a Series with {len(x)} values"
    if isinstance(x, pd.Index):
        return f"an Index with {len(x)} labels"
    if isinstance(x, np.ndarray):
        return f"a numpy array of shape {x.shape}"
    if isinstance(x, (bool, np.bool_)):
        return f"the boolean {bool(x)}"
    if isinstance(x, str):
        return f"the text {x[:40]!r}"
    if isinstance(x, (list, tuple, set, frozenset, dict)):
        return f"a {type(x).__name__} of {len(x)} items"
    if isinstance(x, numbers.Number):
        return "a single number"
    return f"a {type(x).__name__}"


def _to_number(x):
    """float(x) for a real number (also numpy scalars and 0-d arrays); None otherwise."""
    if isinstance(x, (bool, np.bool_)):
        return None
    if isinstance(x, np.ndarray) and x.ndim == 0:
        x = x.item()
    if isinstance(x, numbers.Real):
        return float(x)
    return None


def _close(a, e, rel: float, abs_: float) -> bool:
    if math.isnan(a) or math.isnan(e):
        return math.isnan(a) and math.isnan(e)
    return abs(a - e) <= max(rel * abs(e), abs_)


def _isclose(a: np.ndarray, e: np.ndarray, rel: float, abs_: float) -> np.ndarray:
    return np.isclose(a, e, rtol=rel, atol=abs_, equal_nan=True)


class AnswerSpec:
    """Base class of the answer specs; subclasses implement ``diagnose``."""

    #: words used in messages and the question's prompt ("a number", "a Series", ...)
    kind = "an answer"

    def equal(self, answer, expected) -> bool:
        """True if ``answer`` counts as equal to ``expected`` (never raises)."""
        try:
            return self.diagnose(answer, expected).correct
        except Exception:  # noqa: BLE001 - a learner's odd value must not crash the check
            return False

    def diagnose(self, answer, expected) -> Verdict:  # pragma: no cover - abstract
        raise NotImplementedError


# --- scalars ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class ScalarAnswer(AnswerSpec):
    """One number, equal within ``rel`` (relative) or ``abs`` (absolute) tolerance.

    Parameters
    ----------
    rel, abs : float
        Accepted when ``|answer - expected| <= max(rel * |expected|, abs)``.
    whole : bool
        The answer is a count: a non-whole number gets its own message.
    percent : bool
        The expected value is in percent (0-100); a fraction (100x too small) gets its own
        message. By default the expected value is a plain number or a fraction, and an answer
        about 100x too large is diagnosed as "a percentage where a fraction is expected".
    close : float
        Relative distance under which an answer is "close but not within tolerance".

    Examples
    --------
    >>> spec = ScalarAnswer(rel=1e-6)
    >>> spec.diagnose(0.25, 0.25).code, spec.diagnose(25.0, 0.25).code
    ('correct', 'percent')
    >>> spec.diagnose(-0.25, 0.25).code, spec.diagnose(0.251, 0.25).code
    ('sign', 'close')
    """

    rel: float = 1e-6
    abs: float = 1e-9
    whole: bool = False
    percent: bool = False
    close: float = 0.02
    kind = "a single number"

    def diagnose(self, answer, expected) -> Verdict:
        a = _to_number(answer)
        if a is None:
            return _wrong("wrong_type", self._type_message(answer))
        e = _to_number(expected)
        if e is None:  # pragma: no cover - an author error, caught by the set's own tests
            raise TypeError(f"ScalarAnswer: expected value is {_what(expected)}, not a number")
        if math.isnan(e):
            if math.isnan(a):
                return _right()
            return _wrong("values", "On this data the answer is not defined (NaN), because the "
                                    "data the question needs is missing; your answer is a number.")
        if math.isnan(a):
            return _wrong("nan", "Your answer is NaN (not a number). That usually comes from an "
                                 "empty selection (a filter that matched no rows) or a division "
                                 "by zero. Look at the rows your filter keeps.")
        if _close(a, e, self.rel, self.abs):
            return _right()
        if e != 0 and _close(a, 100 * e, self.rel, self.abs * 100):
            return _wrong("percent", "Your answer looks like a percentage (about 100 times too "
                                     "large). Give it as a fraction of one: divide by 100, or "
                                     "do not multiply by 100.")
        if self.percent and e != 0 and _close(a, e / 100, self.rel, self.abs / 100):
            return _wrong("fraction", "Your answer looks like a fraction; this question asks for "
                                      "a percentage: multiply by 100.")
        if e != 0 and _close(a, -e, self.rel, self.abs):
            return _wrong("sign", "The size is right but the sign is flipped. Check the order of "
                                  "the subtraction (new - old, not old - new).")
        if self.whole and not float(a).is_integer():
            return _wrong("whole", "This answer is a count, so it is a whole number; yours has "
                                   "decimals. Count rows (len, .size, .nunique()) instead of "
                                   "summing or averaging a column.")
        if e != 0 and abs(a - e) / abs(e) <= self.close:
            return _wrong("close", "Close, but not within the tolerance. Do not round along the "
                                   "way, and check the edges of your filter (the first and last "
                                   "day of the period, up to 23:59).")
        if a > e:
            return _wrong("too_high", "Your number is too high. Did you keep rows that should "
                                      "be left out (another period, or orders that were not paid)?")
        return _wrong("too_low", "Your number is too low. Did your filter drop rows that "
                                 "belong in (part of the period, some customers or statuses)?")

    def _type_message(self, answer) -> str:
        base = f"The answer is a single number; you gave {_what(answer)}."
        if isinstance(answer, (pd.Series, np.ndarray, list, tuple)) and len(answer) == 1:
            return base + " Take the number out of it, e.g. with .item() or .iloc[0]."
        if isinstance(answer, (pd.Series, pd.DataFrame, np.ndarray, list, tuple)):
            return base + " Aggregate it to one number (.sum(), .mean(), .count(), len(...))."
        if isinstance(answer, str):
            return base + " Use the number itself, not formatted text (no quotes, no f-string)."
        if answer is None:
            return base + (" Did you assign the result of the last step to the variable "
                           "(x = ..., not just display it)?")
        return base


# --- Series ----------------------------------------------------------------------------------


def _index_diff(a_index: pd.Index, e_index: pd.Index):
    """Labels of e missing from a, and labels of a not in e (order kept)."""
    a_set, e_set = set(a_index), set(e_index)
    missing = [x for x in e_index if x not in a_set]
    extra = [x for x in a_index if x not in e_set]
    return missing, extra


def _row_message(a_index: pd.Index, e_index: pd.Index, what: str, rows: str):
    """Diagnose the row labels; None if they agree (as sets, without duplicates)."""
    dup = a_index[a_index.duplicated()]
    if len(dup):
        return _wrong("duplicates", f"Your {what} has repeated {rows} labels, e.g. "
                                    f"{_examples(dup.unique())}. Aggregate so that each "
                                    f"appears once (groupby(...).sum(), not a merge).")
    missing, extra = _index_diff(a_index, e_index)
    if not missing and not extra:
        return None
    name = e_index.name if e_index.name is not None else (
        ", ".join(map(str, e_index.names)) if any(n is not None for n in e_index.names) else None)
    by = f" by {name}" if name else ""
    if len(missing) == len(e_index) and len(extra) == len(a_index):
        if isinstance(a_index, pd.RangeIndex) and not isinstance(e_index, pd.RangeIndex):
            return _wrong("index", f"Your {what} has the default 0, 1, 2, ... index; the answer "
                                   f"is indexed{by}. Keep the group labels as the index "
                                   f"(groupby(...) does; do not reset_index() or use .values).")
        ta = type(_plain(a_index[0])).__name__ if len(a_index) else "nothing"
        te = type(_plain(e_index[0])).__name__ if len(e_index) else "nothing"
        extra_hint = (f" Your labels are {ta} values; the answer's are {te} values."
                      if ta != te else "")
        return _wrong("index", f"None of your {rows} labels match the answer's (indexed{by})."
                               f"{extra_hint} Check what you grouped by.")
    if missing and not extra:
        return _wrong("subset", f"Your {what} is missing "
                                f"{_how_many(len(missing), len(e_index), rows)} expected, "
                                f"e.g. {_examples(missing)}. "
                                f"Did you filter too much (a status, a date range, a segment)?")
    if extra and not missing:
        return _wrong("extra_rows", f"Your {what} has {_pl(rows)} the answer does not have, e.g. "
                                    f"{_examples(extra)}. Did you forget a filter?")
    return _wrong("index", f"Your {what}'s {_pl(rows)} differ from the answer's: missing e.g. "
                           f"{_examples(missing)}; unexpected e.g. {_examples(extra)}.")


def _values_message(a: pd.Series, e: pd.Series, rel: float, abs_: float, close: float,
                    where: str, rows: str):
    """Compare two aligned Series; None if equal, else a Verdict describing the difference."""
    num = (pd.api.types.is_numeric_dtype(a) and not pd.api.types.is_bool_dtype(a)
           and pd.api.types.is_numeric_dtype(e) and not pd.api.types.is_bool_dtype(e))
    if num:
        av = a.to_numpy(dtype=float, na_value=np.nan)
        ev = e.to_numpy(dtype=float, na_value=np.nan)
        ok = _isclose(av, ev, rel, abs_)
        if ok.all():
            return None
        nz = ev != 0
        if nz.any() and _isclose(av[nz], 100 * ev[nz], rel, abs_ * 100).all() \
                and np.array_equal(np.isnan(av[~nz]), np.isnan(ev[~nz])):
            return _wrong("percent", f"{where} look like percentages (about 100 times too "
                                     f"large). Give fractions of one: do not multiply by 100.")
        if nz.any() and _isclose(av[nz], -ev[nz], rel, abs_).all():
            return _wrong("sign", f"{where} have the right size but the sign is flipped. Check "
                                  f"the order of the subtraction.")
        bad = e.index[~ok]
        with np.errstate(divide="ignore", invalid="ignore"):
            relerr = np.abs(av - ev) / np.abs(ev)
        if np.isfinite(relerr[~ok]).all() and (relerr[~ok] <= close).all():
            return _wrong("close", f"{where} are close but not within the tolerance for "
                                   f"{_how_many(len(bad), len(e), rows)}, e.g. {_examples(bad)}. "
                                   f"Do not round along the way.")
        if np.isnan(av[~ok]).all():
            return _wrong("nan", f"{where} are missing (NaN) for "
                                 f"{_how_many(len(bad), len(e), rows)}, e.g. "
                                 f"{_examples(bad)}. Fill gaps (e.g. .fillna(0) after a "
                                 f"reindex or unstack) where a missing value means zero.")
        return _wrong("values", f"{where} differ for {_how_many(len(bad), len(e), rows)}, e.g. "
                                f"{_examples(bad)}.")
    neq = ~((a.astype(object) == e.astype(object)) | (a.isna() & e.isna()))
    neq = neq.fillna(True).astype(bool)
    if not neq.any():
        return None
    bad = e.index[neq.to_numpy()]
    return _wrong("values", f"{where} differ for {_how_many(len(bad), len(e), rows)}, e.g. "
                            f"{_examples(bad)}.")


@dataclass(frozen=True)
class SeriesAnswer(AnswerSpec):
    """A pandas Series: same index labels (any order), values equal within tolerance.

    Parameters
    ----------
    rel, abs : float
        Tolerances passed to ``pandas.testing.assert_series_equal`` (``rtol``, ``atol``).
    check_order : bool
        Whether the order of the entries matters (e.g. "sorted by GMV, largest first").
    check_name : bool
        Whether the Series' name must match.
    close : float
        Relative distance under which values are "close but not within tolerance".

    Examples
    --------
    >>> import pandas as pd
    >>> e = pd.Series([0.5, 0.25], index=pd.Index(["a", "b"], name="channel"))
    >>> SeriesAnswer().diagnose(e.iloc[::-1], e).code
    'correct'
    >>> print(SeriesAnswer().diagnose(e.iloc[:1], e).message)  # doctest: +NORMALIZE_WHITESPACE
    Your Series is missing one entry expected, e.g. 'b'. Did you filter too much
    (a status, a date range, a segment)?
    """

    rel: float = 1e-6
    abs: float = 1e-9
    check_order: bool = False
    check_name: bool = False
    close: float = 0.02
    kind = "a pandas Series"

    def diagnose(self, answer, expected: pd.Series) -> Verdict:
        if not isinstance(answer, pd.Series):
            return _wrong("wrong_type", self._type_message(answer, expected))
        e = expected
        a = answer
        rows = "entry"
        msg = _row_message(a.index, e.index, "Series", rows)
        if msg is not None:
            return msg
        if self.check_order and not a.index.equals(e.index):
            a_al = a.reindex(e.index)
            if _values_message(a_al, e, self.rel, self.abs, self.close, "", rows) is None:
                return _wrong("order", "The right values, but in a different order. Sort as the "
                                       "question asks (e.g. sort_values(ascending=False)).")
        a_al = a.reindex(e.index)
        msg = _values_message(a_al, e, self.rel, self.abs, self.close, "Your values", rows)
        if msg is not None:
            return msg
        if self.check_name and a.name != e.name:
            return _wrong("name", f"The right values; now name the Series {e.name!r} "
                                  f"(s.rename({e.name!r})).")
        try:
            pd.testing.assert_series_equal(
                a_al, e, check_dtype=False, check_index_type=False, check_names=self.check_name,
                check_exact=False, rtol=self.rel, atol=self.abs, check_freq=False,
                check_categorical=False, check_flags=False)
        except AssertionError:
            return _wrong("values", "Your Series differs from the answer in a detail (value "
                                    "types or missing values). Compare its dtype and NaNs.")
        return _right()

    @staticmethod
    def _type_message(answer, expected: pd.Series) -> str:
        name = expected.index.name
        per = f"one value per {name}" if name else "one value per entry"
        base = f"The answer is a pandas Series ({per}); you gave {_what(answer)}."
        if isinstance(answer, pd.DataFrame):
            if answer.shape[1] == 1:
                return base + (f" Select its column to get a Series: "
                               f"df[{answer.columns[0]!r}].")
            return base + " Select the one column the question asks for: df['column']."
        if _to_number(answer) is not None:
            return base + " Group before you aggregate: df.groupby('...')['...'].sum()."
        if isinstance(answer, dict):
            return base + " Wrap it: pd.Series(your_dict)."
        return base


# --- DataFrames ------------------------------------------------------------------------------


@dataclass(frozen=True)
class FrameAnswer(AnswerSpec):
    """A pandas DataFrame: same columns, same row labels, values within tolerance.

    Row and column order do not matter unless ``check_order``. With ``key`` (column names),
    rows are matched on those columns whether the learner kept them as columns or as the index
    (the row index is then ignored).

    Examples
    --------
    >>> import pandas as pd
    >>> e = pd.DataFrame({"gmv": [10.0, 20.0], "orders": [1, 2]},
    ...                  index=pd.Index(["a", "b"], name="channel"))
    >>> FrameAnswer().diagnose(e[["orders", "gmv"]], e).code
    'correct'
    >>> FrameAnswer().diagnose(e[["gmv"]], e).message
    "Your table lacks column(s) 'orders'."
    >>> FrameAnswer().diagnose(e.assign(gmv=[10.0, 21.0]), e).message
    "Values in column 'gmv' differ for one row, e.g. 'b'."
    """

    rel: float = 1e-6
    abs: float = 1e-9
    key: tuple[str, ...] | None = None
    check_order: bool = False
    close: float = 0.02
    kind = "a pandas DataFrame"

    def _keyed(self, df: pd.DataFrame) -> pd.DataFrame | None:
        """``df`` indexed by the key columns, wherever they were; None if some are absent."""
        if any(n is not None for n in df.index.names):
            df = df.reset_index()
        if not set(self.key) <= set(df.columns):
            return None
        return df.set_index(list(self.key))

    def diagnose(self, answer, expected: pd.DataFrame) -> Verdict:
        if not isinstance(answer, pd.DataFrame):
            base = f"The answer is a table (a pandas DataFrame); you gave {_what(answer)}."
            if isinstance(answer, pd.Series):
                base += (" Turn it into a table with .to_frame() or .reset_index(), or "
                         "aggregate several columns at once with .agg(...).")
            return _wrong("wrong_type", base)
        a, e = answer, expected
        if self.key:
            e = self._keyed(e)
            ka = self._keyed(a)
            if ka is None:
                return _wrong("missing_columns",
                              f"Your table lacks the column(s) {_examples(self.key, 10)} "
                              f"that identify each row.")
            a = ka
        # columns
        missing = [c for c in e.columns if c not in a.columns]
        extra = [c for c in a.columns if c not in e.columns]
        in_index = [c for c in missing if c in [n for n in a.index.names if n is not None]]
        if in_index:
            return _wrong("missing_columns", f"Column(s) {_examples(in_index, 10)} are in your "
                                             f"index; bring them back with .reset_index().")
        e_idx_names = [n for n in e.index.names if n is not None]
        as_cols = [n for n in e_idx_names if n in extra]
        if as_cols and not missing:
            return _wrong("index", f"Your table has {_examples(as_cols, 10)} as column(s); the "
                                   f"answer uses it as the index: .set_index({as_cols[0]!r}).")
        if missing:
            msg = f"Your table lacks column(s) {_examples(missing, 10)}."
            if extra:
                msg += (f" It has column(s) the answer does not: {_examples(extra, 10)} "
                        f"(check the names: rename(columns={{...}})).")
            return _wrong("missing_columns", msg)
        if extra:
            return _wrong("extra_columns", f"Your table has extra column(s) "
                                           f"{_examples(extra, 10)}; keep only the columns the "
                                           f"question asks for.")
        msg = _row_message(a.index, e.index, "table", "row")
        if msg is not None:
            return msg
        a_al = a.reindex(index=e.index)[list(e.columns)]
        if self.check_order and (not a.index.equals(e.index) or list(a.columns) != list(e.columns)):
            same = all(_values_message(a_al[c], e[c], self.rel, self.abs, self.close, "", "row")
                       is None for c in e.columns)
            if same:
                return _wrong("order", "The right values, but rows or columns are in a "
                                       "different order. Sort as the question asks.")
        problems = []
        for c in e.columns:
            m = _values_message(a_al[c], e[c], self.rel, self.abs, self.close,
                                f"Values in column {c!r}", "row")
            if m is not None:
                problems.append((c, m))
        if len(problems) == 1:
            return problems[0][1]
        if problems:
            cols = [c for c, _ in problems]
            codes = {m.code for _, m in problems}
            code = codes.pop() if len(codes) == 1 else "values"
            return _wrong(code, f"Values differ in {len(cols)} columns: {_examples(cols, 5)}. "
                                f"First: {problems[0][1].message}")
        try:
            pd.testing.assert_frame_equal(
                a_al, e, check_dtype=False, check_index_type=False, check_column_type=False,
                check_names=False, check_exact=False, rtol=self.rel, atol=self.abs,
                check_freq=False, check_categorical=False, check_flags=False)
        except AssertionError:
            return _wrong("values", "Your table differs from the answer in a detail (value "
                                    "types or missing values). Compare dtypes and NaNs.")
        return _right()


# --- labels and collections ------------------------------------------------------------------


@dataclass(frozen=True)
class ExactAnswer(AnswerSpec):
    """One label (a category name, a SKU, True/False): equal, optionally ignoring case.

    Examples
    --------
    >>> ExactAnswer(ignore_case=True).diagnose(" Beauty", "beauty").code
    'correct'
    >>> ExactAnswer().diagnose("apparel", "beauty").code
    'values'
    """

    ignore_case: bool = False
    kind = "a single value"

    def _norm(self, v):
        v = _plain(v)
        if isinstance(v, str):
            v = v.strip()
            return v.casefold() if self.ignore_case else v
        return v

    def diagnose(self, answer, expected) -> Verdict:
        if isinstance(answer, (pd.Series, pd.DataFrame, pd.Index, np.ndarray, list, tuple, set)):
            return _wrong("wrong_type", f"The answer is one value; you gave {_what(answer)}. "
                                        f"Pick one label out of it (e.g. .idxmax(), .index[0]).")
        ea, ee = self._norm(answer), self._norm(expected)
        if type(ea) is not type(ee) and not (isinstance(ea, numbers.Number)
                                             and isinstance(ee, numbers.Number)):
            return _wrong("wrong_type", f"The answer is {_what(expected).split(' ', 2)[0]} "
                                        f"{type(ee).__name__} value; you gave {_what(answer)}.")
        if ea == ee:
            return _right()
        return _wrong("values", "Not this one. Look again at how you ranked or filtered.")


@dataclass(frozen=True)
class ItemsAnswer(AnswerSpec):
    """A collection of labels (list, set, Index, Series values): the same items.

    Examples
    --------
    >>> ItemsAnswer().diagnose(["b", "a"], ["a", "b"]).code
    'correct'
    >>> ItemsAnswer().diagnose(["a"], ["a", "b"]).message
    'Your answer has 1 of the 2 items; 1 missing. Did you filter too much?'
    """

    ordered: bool = False
    kind = "a list of values"

    def diagnose(self, answer, expected) -> Verdict:
        if isinstance(answer, (pd.DataFrame, str, bytes)) \
                or not hasattr(answer, "__iter__"):
            return _wrong("wrong_type", f"The answer is a list of values; you gave "
                                        f"{_what(answer)}. Use list(...) or .tolist().")
        a = [_plain(x) for x in (answer.index if isinstance(answer, dict) else answer)]
        e = [_plain(x) for x in expected]
        if len(set(a)) < len(a):
            dup = pd.Index(a)[pd.Index(a).duplicated()].unique()
            return _wrong("duplicates", f"Your list repeats {_examples(dup)}; each item should "
                                        f"appear once (.unique(), set(...)).")
        missing = [x for x in e if x not in set(a)]
        extra = [x for x in a if x not in set(e)]
        if missing and not extra:
            return _wrong("subset", f"Your answer has {len(a)} of the {len(e)} items; "
                                    f"{len(missing)} missing. Did you filter too much?")
        if extra and not missing:
            return _wrong("extra_rows", f"Your answer has {len(extra)} item(s) too many, e.g. "
                                        f"{_examples(extra)}.")
        if missing or extra:
            return _wrong("values", f"Your items differ: {len(missing)} missing, "
                                    f"unexpected e.g. {_examples(extra)}.")
        if self.ordered and a != e:
            return _wrong("order", "The right items, in a different order. Sort as the question "
                                   "asks.")
        return _right()
