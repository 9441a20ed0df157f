"""The kit's standard charts.

Every function takes an already computed frame and an optional matplotlib ``ax``, draws on that
Axes only and returns it; none of them computes anything. The kit's look comes from an explicit
``use_theme()`` call (or ``with theme():``) in a notebook, never from importing this module.
"""

from __future__ import annotations

from contextlib import contextmanager

import matplotlib.pyplot as plt
import seaborn as sns

__all__ = ["use_theme", "theme"]

_THEME = dict(style="whitegrid", context="notebook", palette="deep",
              rc={"figure.figsize": (9, 4.5), "axes.titleweight": "bold",
                  "axes.spines.top": False, "axes.spines.right": False})


def use_theme() -> None:
    """Apply the kit's seaborn theme globally (call once at the top of a notebook)."""
    sns.set_theme(**_THEME)


@contextmanager
def theme():
    """Apply the kit's theme inside a ``with`` block only."""
    with plt.rc_context(), sns.axes_style(_THEME["style"], rc=_THEME["rc"]), \
            sns.plotting_context(_THEME["context"]):
        yield


def _get_ax(ax):
    """Return ``ax`` or a new Axes on a new figure."""
    if ax is None:
        _, ax = plt.subplots()
    return ax

# --- users charts (owned by playbook_lib.users' author) -------------------------------------

# --- products and experiments charts --------------------------------------------------------
