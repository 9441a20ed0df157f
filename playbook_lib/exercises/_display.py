"""Show feedback: rich Markdown in a Jupyter kernel, plain text anywhere else."""

from __future__ import annotations

import html

__all__ = ["Feedback", "in_notebook", "show"]

_COLORS = {"correct": "#2e7d32", "incorrect": "#c62828", "blank": "#6d6d6d",
           "unavailable": "#6d6d6d", "hint": "#1565c0", "solution": "#6a1b9a"}


def in_notebook() -> bool:
    """True inside a Jupyter kernel (JupyterLab, classic, papermill, nbval)."""
    try:
        from IPython import get_ipython
    except ImportError:  # pragma: no cover - IPython ships with ipykernel
        return False
    shell = get_ipython()
    return shell is not None and getattr(shell, "kernel", None) is not None


class Feedback:
    """A message with a coloured label: Markdown for Jupyter, text for ``print``.

    Examples
    --------
    >>> print(Feedback("correct", "q1", "Correct!", "Well done."))
    q1 - Correct! Well done.
    """

    def __init__(self, kind: str, label: str, title: str, body: str = "", code: str = ""):
        self.kind, self.label, self.title, self.body, self.code = kind, label, title, body, code

    def __str__(self) -> str:
        head = f"{self.label} - {self.title}" if self.label else self.title
        text = f"{head} {self.body}".rstrip()
        if self.code:
            text += "\n\n" + self.code.rstrip() + "\n"
        return text

    __repr__ = __str__

    def _repr_markdown_(self) -> str:
        color = _COLORS.get(self.kind, "#333333")
        head = (f'<span style="color:{color}; font-weight:bold">'
                f"{html.escape(self.label + ' - ' if self.label else '')}"
                f"{html.escape(self.title)}</span>")
        text = f"{head} {html.escape(self.body)}".rstrip()
        if self.code:
            text += "\n\n```python\n" + self.code.rstrip() + "\n```\n"
        return text


def show(feedback: Feedback) -> None:
    """Display ``feedback`` in a notebook, or print it."""
    if in_notebook():
        from IPython.display import display

        display(feedback)
    else:
        print(feedback)
