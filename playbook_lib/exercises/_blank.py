"""The ``____`` blank that learners replace with their own code.

Written by hand because no library offers it: a value that absorbs any operation, so a
notebook whose exercise cells are still untouched runs from top to bottom, and ``check()``
can tell "not answered yet" from a wrong answer.
"""

from __future__ import annotations

__all__ = ["Blank", "____", "is_blank"]


class Blank:
    """A placeholder that absorbs arithmetic, attribute access, calls and indexing.

    Every operation on a blank returns the blank itself, so ``____["net_amount"].sum() / 2``
    is still the blank. It is falsy, has length 0 and prints as ``____``.

    Examples
    --------
    >>> from playbook_lib.exercises import ____
    >>> gmv = ____["net_amount"].sum() / 1000
    >>> gmv
    ____
    >>> gmv is ____
    True
    >>> bool(____), f"{____:,.0f}"
    (False, '____')
    """

    # Make pandas return NotImplemented (and so hand over to us) in ``series == ____``.
    __pandas_priority__ = 100_000
    # Make numpy ufuncs defer to our reflected operators instead of building object arrays.
    __array_ufunc__ = None

    def __repr__(self) -> str:
        return "____"

    __str__ = __repr__

    def __format__(self, spec: str) -> str:
        return "____"

    def __bool__(self) -> bool:
        return False

    def __len__(self) -> int:
        return 0

    def __iter__(self):
        return iter(())

    def __hash__(self) -> int:
        return id(self)

    def __getattr__(self, name: str):
        if name.startswith("__") and name.endswith("__"):
            raise AttributeError(name)  # keep Python's protocol probes (__array__, ...) honest
        if name.startswith(("_repr_", "_ipython_")):
            raise AttributeError(name)  # and IPython's display probes
        return self

    def __call__(self, *args, **kwargs):
        return self

    def __getitem__(self, key):
        return self

    def _absorb(self, *args, **kwargs):
        return self

    __add__ = __radd__ = __sub__ = __rsub__ = __mul__ = __rmul__ = _absorb
    __truediv__ = __rtruediv__ = __floordiv__ = __rfloordiv__ = _absorb
    __mod__ = __rmod__ = __pow__ = __rpow__ = __matmul__ = __rmatmul__ = _absorb
    __and__ = __rand__ = __or__ = __ror__ = __xor__ = __rxor__ = _absorb
    __lshift__ = __rlshift__ = __rshift__ = __rrshift__ = _absorb
    __neg__ = __pos__ = __abs__ = __invert__ = __round__ = _absorb
    __lt__ = __le__ = __gt__ = __ge__ = __eq__ = __ne__ = _absorb


____ = Blank()


def is_blank(value) -> bool:
    """True if ``value`` is the blank, or a list/tuple/dict/set holding one.

    Examples
    --------
    >>> is_blank(____), is_blank((1, ____)), is_blank(0)
    (True, True, False)
    """
    if isinstance(value, Blank):
        return True
    if isinstance(value, (list, tuple, set, frozenset)):
        return any(isinstance(v, Blank) for v in value)
    if isinstance(value, dict):
        return any(isinstance(v, Blank) for v in value.values())
    return False
