"""One Markdown parser for every output: the Word file, the HTML draft and the checks."""

from __future__ import annotations

from functools import lru_cache

from markdown_it import MarkdownIt
from markdown_it.token import Token
from mdit_py_plugins.footnote import footnote_plugin


@lru_cache(maxsize=1)
def parser() -> MarkdownIt:
    # html=False: raw HTML is shown as text, never dropped and never executed.
    md = MarkdownIt("commonmark", {"html": False, "typographer": False})
    md.enable(["table", "strikethrough"])
    md.use(footnote_plugin)
    return md


def parse(text: str) -> list[Token]:
    return parser().parse(text)
