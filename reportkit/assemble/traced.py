"""Section text rendered line by line, each character traced to its source line.

`reportkit check` names file:line for a number that a `{{ }}` expression produced or that the
author typed, and the preview places a finding after the block its line became; both need to
know, for every rendered character, which source line it came from and who wrote it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from types import CodeType
from typing import Any

from jinja2 import nodes

from ..codecache import cached_code
from .templating import kept_section_tree, make_environment, prepare, render_bounded

ENV = make_environment()
# Private-use characters that cannot occur in a report: source-line marks and the bounds of
# what a {{ }} expression produced.
_LINE, _END, _OPEN, _CLOSE = "\ue000", "\ue001", "\ue002", "\ue003"


@dataclass
class Line:
    """One rendered line: its text and, per character, the source line and who wrote it."""

    text: str
    sources: list[int]
    typed: list[bool]  # False: produced by a {{ }} expression


@dataclass
class Rendered:
    """A section file rendered line by line, each character traced to its source line."""

    file: str  # content/…md
    lines: list[Line]


def _instrument(ast: nodes.Template) -> None:
    """Mark every source line in the literal text and the bounds of every expression's output."""
    for output in ast.find_all(nodes.Output):
        marked: list[nodes.Node] = []
        for child in output.nodes:
            if isinstance(child, nodes.TemplateData):
                pieces = child.data.split("\n")
                data = "\n".join(f"{_LINE}{child.lineno + i}{_END}{piece}" for i, piece in enumerate(pieces))
                marked.append(nodes.TemplateData(data, lineno=child.lineno))
            else:
                marked += [nodes.TemplateData(f"{_LINE}{child.lineno}{_END}{_OPEN}", lineno=child.lineno), child,
                           nodes.TemplateData(_CLOSE, lineno=child.lineno)]
        output.nodes = marked


_MARKS = re.compile(f"{_LINE}(\\d+){_END}|[{_OPEN}{_CLOSE}\n]")


def render_lines(ast: nodes.Template, context: dict[str, Any], rel: str, source: str | None = None) -> Rendered:
    """The rendered text, line by line, each character tagged with its source line.

    With the `source` the tree was parsed from, the instrumented code is kept in the code
    cache, as build keeps its own.
    """
    def compile_traced() -> CodeType:
        _instrument(ast)
        return ENV.compile(prepare(ast), name=rel, filename=rel)

    code = compile_traced() if source is None else cached_code(source, f"traced\0{rel}", compile_traced)
    out = render_bounded(ENV.template_class.from_code(ENV, code, ENV.make_globals(None)), context)
    lines: list[Line] = []
    text: list[str] = []
    sources: list[int] = []
    typed: list[bool] = []
    current, by_author, pos = 1, True, 0

    def take(end: int) -> None:  # the plain text up to `end`, all from one line and one writer
        if end > pos:
            text.append(out[pos:end])
            sources.extend([current] * (end - pos))
            typed.extend([by_author] * (end - pos))

    for m in _MARKS.finditer(out):
        take(m.start())
        pos = m.end()
        mark = m[0]
        if m[1] is not None:
            current = int(m[1])
        elif mark == "\n":
            lines.append(Line("".join(text), sources, typed))
            text, sources, typed = [], [], []
        else:
            by_author = mark == _CLOSE
    take(len(out))
    if text:
        lines.append(Line("".join(text), sources, typed))
    return Rendered(rel, lines)


def parse(source: str, rel: str) -> nodes.Template:
    """The vetted syntax tree of a section text (a ReportError if it is not one build accepts)."""
    return kept_section_tree(source, rel)
