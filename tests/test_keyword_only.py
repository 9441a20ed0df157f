"""Tests of playbook_lib._deprecate.keyword_only_since: options that became keyword-only."""

from __future__ import annotations

import warnings

import pytest

from playbook_lib._deprecate import keyword_only_since


@keyword_only_since("0.2.0", "rate", "floor")
def _grow(x, y=0, *, rate=1.0, floor=None):
    """Add, grow, then floor."""
    out = (x + y) * (1 + rate)
    return out if floor is None else max(out, floor)


def test_keyword_calls_do_not_warn():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert _grow(1, 1, rate=0.5) == 3.0
        assert _grow(1) == 2.0


def test_extra_positional_arguments_map_onto_the_keywords_in_order():
    with pytest.warns(FutureWarning, match=r"^_grow: pass rate as a keyword \(rate=0.5\); "
                                           r"positional use is deprecated and will stop "
                                           r"working in the next release\.$"):
        assert _grow(1, 1, 0.5) == 3.0
    with pytest.warns(FutureWarning, match=r"_grow: pass (rate|floor) as a keyword") as record:
        assert _grow(1, 1, 0.5, 10) == 10
    assert [str(w.message).split(";")[0] for w in record] == [
        "_grow: pass rate as a keyword (rate=0.5)", "_grow: pass floor as a keyword (floor=10)"]


def test_the_wrapper_keeps_the_name_and_docstring():
    assert _grow.__name__ == "_grow" and _grow.__doc__ == "Add, grow, then floor."


def test_too_many_or_doubled_arguments_are_type_errors():
    with pytest.raises(TypeError, match=r"_grow\(\) takes 2 positional argument\(s\) \(plus 2 "
                                        r"deprecated positional option\(s\)\) but 5 were given"):
        _grow(1, 1, 0.5, 10, "extra")
    with pytest.raises(TypeError, match=r"_grow\(\) got multiple values for argument 'rate'"):
        _grow(1, 1, 0.5, rate=0.2)


def test_a_function_with_star_args_is_refused():
    with pytest.raises(TypeError, match=r"keyword_only_since: f takes \*args"):
        @keyword_only_since("0.2.0", "x")
        def f(*args, x=1):
            return args, x
