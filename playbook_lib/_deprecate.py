"""Deprecations with a one-release grace period, one helper each.

A deprecated use keeps working for one release and says, in a :class:`FutureWarning` (shown
to notebook users by default, unlike ``DeprecationWarning``), what to write instead.
"""

from __future__ import annotations

import functools
import inspect
import warnings
from collections.abc import Callable
from typing import TypeVar

__all__ = ["keyword_only_since"]

F = TypeVar("F", bound=Callable)


def keyword_only_since(version: str, *names: str) -> Callable[[F], F]:
    """Make options keyword-only, still accepting them by position for one release.

    Decorate a function whose signature already has the options after the ``*``. A call
    that passes them by position, in their old order after the positional parameters, still
    works and warns with a ``FutureWarning`` naming each option and the value passed.

    Parameters
    ----------
    version : str
        The release in which the options became keyword-only (quoted in the warning).
    *names : str
        The options that used to be positional, in their old order. Each must be a
        keyword-only parameter of the decorated function.

    Returns
    -------
    callable
        A decorator. The decorated function keeps its name, docstring and signature (the
        keyword-only one).

    Raises
    ------
    TypeError
        At decoration time, when a name is not a keyword-only parameter of the function.
        At call time, for more positional arguments than the old signature took, or an
        option given both by position and by keyword.

    Examples
    --------
    >>> import warnings
    >>> @keyword_only_since("0.2", "threshold_days")
    ... def share(orders, *, threshold_days=180):
    ...     return threshold_days
    >>> share([], threshold_days=90)
    90
    >>> with warnings.catch_warnings(record=True) as caught:
    ...     warnings.simplefilter("always")
    ...     share([], 90)
    90
    >>> print(caught[0].message)
    share: pass threshold_days as a keyword (threshold_days=90); positional use is deprecated since 0.2 and will stop working in the next release.
    """  # noqa: E501 - a doctest's expected message is one line
    if not names:
        raise TypeError("keyword_only_since: name at least one option that became keyword-only.")

    def decorate(func: F) -> F:
        params = inspect.signature(func).parameters
        kinds = {p.name: p.kind for p in params.values()}
        wrong = [n for n in names if kinds.get(n) is not inspect.Parameter.KEYWORD_ONLY]
        if wrong:
            raise TypeError(f"keyword_only_since: {', '.join(map(repr, wrong))} of "
                            f"{func.__qualname__} must be keyword-only parameters (after '*').")
        if any(p.kind is inspect.Parameter.VAR_POSITIONAL for p in params.values()):
            raise TypeError(f"keyword_only_since: {func.__qualname__} takes *args; positional "
                            f"options cannot be told apart from them.")
        n_positional = sum(p.kind in (inspect.Parameter.POSITIONAL_ONLY,
                                      inspect.Parameter.POSITIONAL_OR_KEYWORD)
                           for p in params.values())
        name = func.__name__

        @functools.wraps(func)
        def wrapper(*args, **kwargs):
            if len(args) <= n_positional:
                return func(*args, **kwargs)
            extra = args[n_positional:]
            if len(extra) > len(names):
                raise TypeError(
                    f"{name}() takes {n_positional} positional argument(s) (and, until the next "
                    f"release, {', '.join(names)} by position) but {len(args)} were given.")
            # strict=False: fewer options than names may come by position (checked above)
            for option, value in zip(names, extra, strict=False):
                if option in kwargs:
                    raise TypeError(f"{name}() got multiple values for argument {option!r}.")
                warnings.warn(
                    f"{name}: pass {option} as a keyword ({option}={value!r}); positional use "
                    f"is deprecated since {version} and will stop working in the next release.",
                    FutureWarning, stacklevel=2)
                kwargs[option] = value
            return func(*args[:n_positional], **kwargs)

        return wrapper  # type: ignore[return-value]

    return decorate
