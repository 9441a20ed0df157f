"""Show feedback: rich Markdown in a Jupyter kernel, plain text anywhere else."""

from __future__ import annotations

import html
import re

__all__ = ["Feedback", "in_notebook", "markdown_text", "show"]

# A CommonMark code span: a run of backticks, anything, the same run of backticks.
_CODE_SPAN = re.compile(r"(`+)(.+?)(?<!`)\1(?!`)", re.S)

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
        text = f"{head} {markdown_text(self.body)}".rstrip()
        if self.code:
            text += "\n\n```python\n" + self.code.rstrip() + "\n```\n"
        return text


def markdown_text(text: str) -> str:
    """``text`` safe to put into Markdown as it was written: HTML is escaped outside code spans.

    Inside a code span (`` `a & b` ``) Markdown shows characters literally, so escaping there
    would show ``&amp;`` to the learner; outside, ``<``, ``>`` and ``&`` are escaped so that
    nothing in a message can become HTML.

    Examples
    --------
    >>> markdown_text("combine them with `&` when a < b")
    'combine them with `&` when a &lt; b'
    """
    out, pos = [], 0
    for m in _CODE_SPAN.finditer(text):
        out.append(html.escape(text[pos:m.start()], quote=False))
        out.append(m.group(0))
        pos = m.end()
    out.append(html.escape(text[pos:], quote=False))
    return "".join(out)


def show(feedback: Feedback) -> None:
    """Display ``feedback`` in a notebook, or print it."""
    if in_notebook():
        from IPython.display import display

        display(feedback)
    else:
        print(feedback)
