"""Every hint and message renders as its author wrote it: rendered through CommonMark (the
Markdown JupyterLab uses, via markdown-it-py), no HTML entity such as ``&amp;`` is left visible,
and nothing in a message can become HTML."""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser

import pytest
from markdown_it import MarkdownIt

from playbook_lib import exercises
from playbook_lib.exercises._display import Feedback, markdown_text

_MD = MarkdownIt("commonmark")
_ENTITY = re.compile(r"&(#\d+|#x[0-9a-fA-F]+|[a-zA-Z]+);")


class _Text(HTMLParser):
    """The text a reader sees in rendered HTML (entities decoded), and the tags used."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.text: list[str] = []
        self.tags: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)

    def handle_data(self, data):
        self.text.append(data)


def visible(markdown: str) -> tuple[str, list[str]]:
    parser = _Text()
    parser.feed(_MD.render(markdown))
    return "".join(parser.text), parser.tags


def _texts():
    for s in exercises.registry().values():
        for q in s.questions:
            for i, h in enumerate(q.hints, 1):
                yield pytest.param(h, id=f"{s.notebook}.{q.name}.hint{i}")
            for m in q.mistakes:
                if m.hint:
                    yield pytest.param(m.hint, id=f"{s.notebook}.{q.name}.{m.name}")
            yield pytest.param(q.prompt, id=f"{s.notebook}.{q.name}.prompt")


def test_the_checker_sees_an_entity():
    """The test's own check fails on the old whole-message escaping."""
    body = "combine them with `&` and `month_orders['status']`"
    shown, _ = visible(html.escape(body))
    assert _ENTITY.search(shown)
    shown, _ = visible(markdown_text(body))
    assert not _ENTITY.search(shown)
    assert "`" not in shown and "&" in shown and "['status']" in shown


def test_html_outside_code_stays_text():
    shown, tags = visible(markdown_text("a <b>bold</b> & <script>x</script> `<i>`"))
    assert "b" not in tags and "script" not in tags and "i" not in tags
    assert "<b>bold</b> & <script>x</script> <i>" in shown


@pytest.mark.parametrize("text", list(_texts()))
def test_every_hint_renders_without_entities(text):
    fb = Feedback("hint", "q1", "Hint 1 of 3:", text)
    shown, tags = visible(fb._repr_markdown_())
    assert not _ENTITY.search(shown), f"visible HTML entity in: {shown!r}"
    assert set(tags) <= {"p", "span", "code", "strong", "em", "br", "ul", "li", "ol",
                         "pre", "a"}, tags
