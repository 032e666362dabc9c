"""The findings of `reportkit check` on the preview page, next to the paragraph they concern.

A finding about a line of a section file is shown right after the top-level Markdown block
(paragraph, list, table, heading …) that the line became. A `{{ }}` expression can expand
into many lines, so the source line is traced through the rendered text with
assemble/traced.py's render_lines, then into the token maps of markdown-it. Findings of a section
without a line, or with a line that is in no top-level block, go at the end of the section;
findings of other files (facts, configuration, scores) go to the score panel.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from markdown_it.token import Token

from ...assemble import Block, Report, template_context
from ...findings import ERROR, NOTICE, SEVERITIES, TODO, WARNING, Finding
from ...load import read_text

MEASURES = {ERROR: "个", WARNING: "个", TODO: "项", NOTICE: "条"}  # 2 个警告，3 条提示


@dataclass(frozen=True)
class FindingView:
    """A finding as the HTML page shows it."""

    severity: str  # error, warning, todo, notice: also the CSS class
    word: str  # 错误, 警告, 待办, 提示
    location: str  # file:line, or ""
    text: str
    suggestion: str | None


def finding_view(finding: Finding) -> FindingView:
    return FindingView(finding.severity, SEVERITIES[finding.severity], finding.location(), finding.text(),
                       finding.suggestion)


def summary(findings: Sequence[Finding]) -> str:
    """"1 个警告，3 条提示"; "" when there are none."""
    counts = Counter(f.severity for f in findings)
    return "，".join(f"{counts[s]} {MEASURES[s]}{word}" for s, word in SEVERITIES.items() if counts[s])


@dataclass
class Placed:
    """The findings of one section file."""

    after: dict[int, list[Finding]] = field(default_factory=dict)  # token index → findings after it
    end: list[Finding] = field(default_factory=list)


def top_blocks(tokens: Sequence[Token]) -> list[tuple[range, int]]:
    """Each top-level block: its lines in the rendered Markdown and the index of its last token."""
    blocks = []
    opened: list[int] | None = None  # the lines of the block open at level 0
    for i, tok in enumerate(tokens):
        if tok.level != 0:
            continue
        if tok.nesting == 1:
            opened = tok.map  # None for the footnotes: nothing is placed among them
        elif tok.nesting == 0 and tok.map:  # fence, code block, rule
            blocks.append((range(*tok.map), i))
        elif tok.nesting == -1 and opened:
            blocks.append((range(*opened), i))
            opened = None
    return blocks


def rendered_lines(source: str, context: dict[str, Any], rel: str) -> dict[int, int]:
    """Source line → index of the last rendered line holding text from it."""
    # Imported here: `reportkit build` renders HTML through this module and never needs it.
    from ...assemble import parse_traced, render_lines

    rendered = render_lines(parse_traced(source, rel), context, rel, source)
    return {line: k for k, text in enumerate(rendered.lines) for line in text.sources}


def place_in(block: Block, findings: list[Finding], lines: dict[int, int]) -> Placed:
    blocks = top_blocks(block.tokens)
    placed = Placed()
    for finding in findings:
        k = lines.get(finding.line) if finding.line else None
        last = next((i for span, i in blocks if k in span), None) if k is not None else None
        if last is None:
            placed.end.append(finding)
        else:
            placed.after.setdefault(last, []).append(finding)
    return placed


def place(report: Report, findings: Sequence[Finding]) -> tuple[dict[str, Placed], list[Finding]]:
    """The findings of each section file (by Block.source), and the others, for the panel."""
    if not findings:
        return {}, []
    blocks = [report.intro, *report.blocks] if report.intro else report.blocks
    sections = {Path(b.source).as_posix(): b for b in blocks if b.source}
    by_file: dict[str, list[Finding]] = {}
    others = []
    for finding in findings:
        if finding.file in sections:
            by_file.setdefault(finding.file, []).append(finding)
        else:
            others.append(finding)
    context = None
    placed = {}
    for file, found in by_file.items():
        block = sections[file]
        lines: dict[int, int] = {}
        if any(f.line for f in found):
            if context is None:
                context = template_context(report.facts, report.framework, report.metrics, report.scores)
            lines = rendered_lines(read_text(report.paths.root / block.source), context, block.source)
        placed[block.source] = place_in(block, found, lines)
    return placed, others
