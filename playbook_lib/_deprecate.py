"""One-release deprecations: options that become keyword-only.

A function whose options were positional gets ``*`` in its signature and
:func:`keyword_only_since`; for one release a positional call still works and warns with a
``FutureWarning`` that names the function and the keyword to use.
"""

from __future__ import annotations

import functools
import inspect
import warnings

__all__ = ["keyword_only_since"]


def keyword_only_since(version: str, *names: str):
    """Decorator: extra positional arguments map onto the keyword-only ``names``, with a warning.

    Parameters
    ----------
    version : str
        The release in which the options became keyword-only (for the reader; not shown).
    *names : str
        The keyword-only parameters that used to be positional, in their old order.

    Returns
    -------
    callable
        A decorator. The wrapped function, called with more positional arguments than it has
        positional parameters, passes the extra ones as ``names[0]``, ``names[1]``, ... and
        warns ``FutureWarning("<func>: pass <name> as a keyword (<name>=<value>); positional
        use is deprecated and will stop working in the next release.")`` once per argument.

    Examples
    --------
    >>> import warnings
    >>> @keyword_only_since("0.2", "rate")
    ... def grow(x, *, rate=1.0):
    ...     return x * (1 + rate)
    >>> with warnings.catch_warnings(record=True) as caught:
    ...     warnings.simplefilter("always")
    ...     grow(10, 0.5)
    15.0
    >>> print(caught[0].message)
    grow: pass rate as a keyword (rate=0.5); positional use is deprecated and will stop working in the next release.
    """  # noqa: E501
    def decorate(func):
        params = inspect.signature(func).parameters.values()
        if any(p.kind is inspect.Parameter.VAR_POSITIONAL for p in params):
            raise TypeError(f"keyword_only_since: {func.__name__} takes *args; nothing to map.")
        n_positional = sum(p.kind in (inspect.Parameter.POSITIONAL_ONLY,
                                      inspect.Parameter.POSITIONAL_OR_KEYWORD) for p in params)

        @functools.wraps(func)
        def wrapper(*args, **kwargs):
            extra = args[n_positional:]
            if extra:
                if len(extra) > len(names):
                    raise TypeError(
                        f"{func.__name__}() takes {n_positional} positional argument(s) "
                        f"(plus {len(names)} deprecated positional option(s)) but "
                        f"{len(args)} were given")
                for name, value in zip(names, extra, strict=False):
                    if name in kwargs:
                        raise TypeError(f"{func.__name__}() got multiple values for argument "
                                        f"'{name}'")
                    warnings.warn(
                        f"{func.__name__}: pass {name} as a keyword ({name}={value!r}); "
                        f"positional use is deprecated and will stop working in the next "
                        f"release.", FutureWarning, stacklevel=2)
                    kwargs[name] = value
                args = args[:n_positional]
            return func(*args, **kwargs)

        return wrapper

    return decorate
