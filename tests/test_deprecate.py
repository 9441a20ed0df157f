"""Tests of playbook_lib._deprecate: options made keyword-only, positional for one release."""

from __future__ import annotations

import inspect
import warnings

import pytest

from playbook_lib._deprecate import keyword_only_since


@keyword_only_since("0.2", "window", "floor")
def _demo(frame, as_of=None, *, window=90, floor=0, label="x"):
    return (frame, as_of, window, floor, label)


def test_keyword_calls_do_not_warn():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert _demo("f", "d", window=30, floor=1) == ("f", "d", 30, 1, "x")
        assert _demo("f") == ("f", None, 90, 0, "x")


def test_positional_options_still_work_and_warn_once_each():
    with pytest.warns(FutureWarning, match=r"^_demo: pass window as a keyword \(window=30\); "
                                           r"positional use is deprecated since 0\.2 and will "
                                           r"stop working in the next release\.$"):
        assert _demo("f", "d", 30) == ("f", "d", 30, 0, "x")
    with pytest.warns(FutureWarning, match=r"^_demo: pass (window|floor) as a keyword") as caught:
        assert _demo("f", "d", 30, 5, label="y") == ("f", "d", 30, 5, "y")
    assert [str(w.message).split(" as a keyword")[0] for w in caught] == [
        "_demo: pass window", "_demo: pass floor"]


def test_the_warning_points_at_the_caller():
    with pytest.warns(FutureWarning, match=r"^_demo: pass window as a keyword") as caught:
        _demo("f", "d", 30)
    assert caught[0].filename == __file__


def test_positional_misuse_is_still_a_type_error():
    with pytest.raises(TypeError, match=r"_demo\(\) takes 2 positional argument\(s\) \(and, until "
                                        r"the next release, window, floor by position\) but 5 "
                                        r"were given"):
        _demo("f", "d", 30, 5, 6)
    with pytest.raises(TypeError, match="_demo\\(\\) got multiple values for argument 'window'"):
        _demo("f", "d", 30, window=40)


def test_signature_and_docs_are_the_keyword_only_ones():
    params = inspect.signature(_demo).parameters
    assert params["window"].kind is inspect.Parameter.KEYWORD_ONLY
    assert _demo.__name__ == "_demo"


def test_decorating_a_positional_option_is_refused():
    with pytest.raises(TypeError, match=r"'days' of .*f must be keyword-only parameters"):
        @keyword_only_since("0.2", "days")
        def f(orders, days=90):
            return days
    with pytest.raises(TypeError, match="name at least one option"):
        keyword_only_since("0.2")
    with pytest.raises(TypeError, match="takes \\*args"):
        @keyword_only_since("0.2", "days")
        def g(*orders, days=90):
            return days
