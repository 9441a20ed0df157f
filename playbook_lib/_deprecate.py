"""Making options keyword-only without breaking the calls that pass them by position.

A function whose options become keyword-only (``def f(df, *, window=7)``) is decorated with
:func:`keyword_only_since`; for one release a positional call still works and warns, then the
decorator goes and Python's own ``TypeError`` takes over.
"""

from __future__ import annotations

import functools
import inspect
import warnings

__all__ = ["keyword_only_since"]

_POSITIONAL = (inspect.Parameter.POSITIONAL_ONLY, inspect.Parameter.POSITIONAL_OR_KEYWORD)


def keyword_only_since(version: str, *names: str):
    """Accept the keyword-only options ``names`` by position for one release, with a warning.

    Extra positional arguments (those beyond the function's own positional parameters) are
    mapped onto ``names`` in order; each one warns ``FutureWarning`` with
    ``"NAME: pass X as a keyword (X=value); positional use is deprecated and will stop
    working in the next release."``

    Parameters
    ----------
    version : str
        The release that made the options keyword-only (kept on the wrapper as
        ``__keyword_only_since__``).
    *names : str
        The keyword-only parameters that used to be positional, in their old order.

    Examples
    --------
    >>> import warnings
    >>> @keyword_only_since("0.2.0", "window")
    ... def smooth(values, *, window=7):
    ...     return window
    >>> smooth([1, 2], window=3)
    3
    >>> with warnings.catch_warnings(record=True) as caught:
    ...     warnings.simplefilter("always")
    ...     smooth([1, 2], 3)
    3
    >>> print(caught[0].message)
    smooth: pass window as a keyword (window=value); positional use is deprecated and will stop working in the next release.
    """  # noqa: E501
    if not isinstance(version, str) or not version:
        raise TypeError(f"keyword_only_since: version must be a release string such as "
                        f"'0.2.0', got {version!r}")
    if not names:
        raise TypeError("keyword_only_since: name at least one keyword-only parameter")

    def decorate(func):
        params = inspect.signature(func).parameters
        not_kw_only = [n for n in names
                       if n not in params or params[n].kind is not inspect.Parameter.KEYWORD_ONLY]
        if not_kw_only:
            raise TypeError(f"keyword_only_since: {func.__name__} has no keyword-only "
                            f"parameter(s) {', '.join(not_kw_only)}")
        n_positional = sum(p.kind in _POSITIONAL for p in params.values())

        @functools.wraps(func)
        def wrapper(*args, **kwargs):
            extra = args[n_positional:]
            if extra:
                if len(extra) > len(names):
                    raise TypeError(
                        f"{func.__name__}() takes at most {n_positional + len(names)} "
                        f"positional arguments ({len(args)} given)")
                for name, value in zip(names, extra, strict=False):  # extra <= names
                    if name in kwargs:
                        raise TypeError(f"{func.__name__}() got multiple values for "
                                        f"argument '{name}'")
                    warnings.warn(
                        f"{func.__name__}: pass {name} as a keyword ({name}=value); positional "
                        f"use is deprecated and will stop working in the next release.",
                        FutureWarning, stacklevel=2)
                    kwargs[name] = value
                args = args[:n_positional]
            return func(*args, **kwargs)

        wrapper.__keyword_only_since__ = version
        return wrapper

    return decorate
