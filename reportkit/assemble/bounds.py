"""How much text one section may hand to the Markdown parser and to the number checks.

markdown-it-py and the checks take time that grows with the length of a line and the number
of lines in ways that are fine for any real section (a few thousand lines, paragraphs of a few
thousand characters) and not for megabytes of pathological input. Both build and check call
`check_size` on a section's source text and again on its text after `{{ }}` expansion, so
both refuse the same files with the same message, before any parsing.

The limits are far above real reports: the example's longest paragraph has under 1,000
characters and its longest section under 100 lines; a section of 20,000 lines (the worst
lazy-continuation list shapes included) builds in a few seconds.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from ..errors import ReportError

if TYPE_CHECKING:
    from .traced import Line

MAX_SECTION_LINES = 20_000
MAX_LINE_CHARS = 20_000

_LINE_END = re.compile(r"\r\n?|\n")


def _breaks(text: str, end: int | None = None) -> int:
    """The line breaks (\\n, \\r\\n or \\r, as Markdown counts them) in text[:end]."""
    end = len(text) if end is None else end
    breaks = text.count("\n", 0, end)
    if "\r" in text:  # rare: then \r\n and a lone \r are line breaks as well
        breaks += text.count("\r", 0, end) - text.count("\r\n", 0, end)
    return breaks


def _long_line(text: str) -> int | None:
    """Where the first line longer than MAX_LINE_CHARS starts, in one pass over the line ends
    (a pattern of MAX_LINE_CHARS + 1 characters would rescan each line from every position)."""
    plain = text.replace("\r\n", "\n").replace("\r", "\n") if "\r" in text else text  # the same line lengths
    lines = plain.split("\n")
    if max(map(len, lines)) <= MAX_LINE_CHARS:  # the common case, answered by str methods alone
        return None
    start = 0
    for end in _LINE_END.finditer(text):
        if end.start() - start > MAX_LINE_CHARS:
            return start
        start = end.end()
    return start if len(text) - start > MAX_LINE_CHARS else None


def check_size(text: str, file: str, *, line_of: Callable[[int], int] | None = None) -> None:
    """Refuse a section with more than MAX_SECTION_LINES lines or a line longer than
    MAX_LINE_CHARS characters. `line_of` maps a line of `text` to its source line: given for
    the text after {{ }} expansion, whose lines the message then names in the source file."""
    expanded = "（由 {{ }} 或 {% %} 展开而成）" if line_of is not None else ""
    where = line_of or (lambda line: line)
    start = _long_line(text)
    if start is not None:
        line = _breaks(text, start) + 1
        end = _LINE_END.search(text, start)
        length = (end.start() if end else len(text)) - start
        raise ReportError(
            f"这一行有 {length:,} 个字符{expanded}，超过每行 {MAX_LINE_CHARS:,} 个字符的上限",
            file=file,
            line=where(line),
            expected=f"每行不超过 {MAX_LINE_CHARS:,} 个字符（一段正文通常只有几千字；过长的段落请分段）",
        )
    body = text.rstrip()  # blank lines at the end are nothing to parse (and rendering may drop one)
    lines = _breaks(body) + 1 if body else 0
    if lines > MAX_SECTION_LINES:
        raise ReportError(
            f"章节有 {lines:,} 行{expanded}，超过每个章节 {MAX_SECTION_LINES:,} 行的上限",
            file=file,
            line=where(MAX_SECTION_LINES + 1),
            expected=f"每个章节不超过 {MAX_SECTION_LINES:,} 行（过长的内容请分成几节或放入附件）",
        )


def traced_line_of(lines: Sequence[Line]) -> Callable[[int], int]:
    """For the traced rendering of a section: a rendered line → the source line it began on
    (an empty line: the line before it)."""

    def line_of(n: int) -> int:
        for k in range(min(n, len(lines)) - 1, -1, -1):
            if lines[k].sources:
                return lines[k].sources[0]
        return n

    return line_of
