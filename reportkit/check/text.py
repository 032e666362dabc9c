"""The rendered text as the number checks read it: normalised, with its source lines kept.

Markdown and LaTeX marks are taken out and full-width punctuation made half-width, so the
patterns need only one spelling; every character keeps the source line it came from and
whether the author typed it or a `{{ }}` expression produced it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from ..assemble import Line

NUM = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
# A number that is not the tail of another one (2021年, 1.5, 57,373.02).
NUMBER = rf"(?<![\d.,])(?:{NUM})"
MONEY_UNITS = {"亿元": Fraction(10000), "万元": Fraction(1), "元": Fraction(1, 10000)}
AMOUNT = re.compile(rf"({NUMBER})\s*(亿元|万元|元)")
PERCENT = re.compile(rf"({NUMBER})\s*%")
SENTENCE_END = re.compile(r"[。！？!?]")
CLAUSE_END = re.compile(r"[。；;！？!?:、]|,(?!\d{3})")
# Words after a number that make it a bound or an estimate, not a claim of its value.
HEDGE_AFTER = re.compile(r"\s*(?:以上|以下|以内|左右|多|余|上下|之间|至|到|~|-|—|－|强|弱)")
HEDGE_BEFORE = re.compile(r"(?:约|近|超过|超|逾|不足|不到|不低于|不少于|不超过|不高于|高于|低于|大于|小于|至少|最高|最低|[≥≤<>])\s*$")

# Markdown and LaTeX marks that sit between a name and its number in the source text.
_NORMALIZE: tuple[tuple[str, str], ...] = (
    (r"\\text\s*\{([^{}]*)\}", r"\1"),
    (r"\\%", "%"),
    (r"\\(?:Sigma|sum)\b", "Σ"),
    (r"\\div\b", "÷"),
    (r"\\times\b", "×"),
    (r"\\(?:leq|le)\b", "≤"),
    (r"\\(?:geq|ge)\b", "≥"),
    (r"\\(?:left|right|quad|,|;|!)", ""),
    (r"[$*`~{}“”\"‘’「」]", ""),
    (r"％", "%"), (r"（", "("), (r"）", ")"), (r"＝", "="), (r"＋", "+"), (r"：", ":"), (r"，", ","),
    (r"；", ";"), (r"／", "/"), (r"＞", ">"), (r"＜", "<"), ("[\u3000\u00a0]", " "),
)


@dataclass
class Text:
    """Normalised text for the number checks: per character, its source line and who wrote it."""

    text: str
    sources: list[int]
    typed: list[bool]

    def sub(self, pattern: str | re.Pattern, repl: str) -> Text:
        compiled = pattern if isinstance(pattern, re.Pattern) else re.compile(pattern)
        matches = list(compiled.finditer(self.text))
        if not matches:
            return self  # most patterns match nothing on most lines
        expand = _expander(repl)
        text, sources, typed, pos = [], [], [], 0
        for m in matches:
            text.append(self.text[pos:m.start()])
            sources += self.sources[pos:m.start()]
            typed += self.typed[pos:m.start()]
            new = expand(m)
            text.append(new)
            sources += [self.sources[min(m.start(), len(self.sources) - 1)] if self.sources else 1] * len(new)
            typed += [all(self.typed[m.start():m.end()])] * len(new)
            pos = m.end()
        text.append(self.text[pos:])
        return Text("".join(text), sources + self.sources[pos:], typed + self.typed[pos:])

    def translate(self, table: dict[int, str]) -> Text:
        """Characters replaced one for one: every source and author mark stays where it is."""
        text = self.text.translate(table)
        return self if text == self.text else Text(text, self.sources, self.typed)

    def line(self, start: int) -> int:
        return self.sources[min(max(start, 0), len(self.sources) - 1)] if self.sources else 1

    def by_author(self, start: int, end: int) -> bool:
        return all(self.typed[start:end])

    def any_by_author(self, spans: list[tuple[int, int]]) -> bool:
        return any(self.by_author(a, b) for a, b in spans)


def _expander(repl: str):  # noqa: ANN202
    """What a match is replaced by: the text itself, its first group, or re's own expansion."""
    if "\\" not in repl:
        return lambda m: repl
    if repl == r"\1":
        return lambda m: m.group(1)
    return lambda m: m.expand(repl)


def _one_for_one(pattern: str, repl: str) -> dict[int, str] | None:
    """A pattern that is one character, or a class of single characters, replaced by one
    character: done by str.translate, which keeps every position."""
    if len(repl) != 1:
        return None
    if len(pattern) == 1 and pattern not in ".^$*+?{}[]\\|()":
        return {ord(pattern): repl}
    inner = pattern[1:-1] if pattern.startswith("[") and pattern.endswith("]") else None
    if inner and not any(c in inner for c in "\\-^[]"):
        return dict.fromkeys(map(ord, inner), repl)
    return None


def _needs(pattern: str) -> str | None:
    """Characters one of which a text must hold for `pattern` to match it (None: not known)."""
    if pattern.startswith("\\\\"):  # a LaTeX command: a backslash
        return "\\"
    inner = pattern[1:-1] if pattern.startswith("[") and pattern.endswith("]") else None
    chars = re.sub(r"\\(\W)", r"\1", inner) if inner else None  # \" is a quote
    if chars and not any(c in chars for c in "\\-^[]"):
        return chars
    return None


def _steps(rules: tuple[tuple[str, str], ...]) -> tuple:
    """The rules in order; a run of one-for-one replacements becomes one translate table.
    A pattern step carries the characters a text needs for it to match: most lines hold no
    backslash, and all but one of the patterns are LaTeX commands."""
    steps: list = []
    for pattern, repl in rules:
        table = _one_for_one(pattern, repl)
        if table is None:
            steps.append((re.compile(pattern), repl, _needs(pattern)))
        elif steps and isinstance(steps[-1], dict) and not {ord(c) for c in steps[-1].values()} & table.keys():
            steps[-1] = {**steps[-1], **table}  # the same as one after the other
        else:
            steps.append(table)
    return tuple(steps)


_STEPS = _steps(_NORMALIZE)
# Characters some pattern above may change: a line without any is already normal.
_TOUCHED = re.compile(r"[\\$*`~{}“”\"‘’「」％（）＝＋：，；／＞＜\u3000\u00a0]")


def normalize(line: Line) -> Text:
    text = Text(line.text, line.sources, line.typed)
    if not _TOUCHED.search(line.text):
        return text
    for step in _STEPS:
        if isinstance(step, dict):
            text = text.translate(step)
            continue
        pattern, repl, needs = step
        if needs is None or any(c in text.text for c in needs):
            text = text.sub(pattern, repl)
    return text


def decimal(text: str) -> Decimal:
    return Decimal(text.replace(",", ""))


def decimals(typed: Decimal) -> int:
    return max(0, -typed.as_tuple().exponent)


def half_unit(typed: Decimal) -> Fraction:
    """Half a unit of the last decimal written: the rounding error the figure may carry."""
    return Fraction(1, 2 * 10 ** decimals(typed))


def sentences(text: str) -> list[tuple[int, int]]:
    """The spans of the sentences of a line (a line end closes a sentence too)."""
    spans, start = [], 0
    for m in SENTENCE_END.finditer(text):
        spans.append((start, m.start()))
        start = m.end()
    if start < len(text):
        spans.append((start, len(text)))
    return spans


def sentence_at(text: str, pos: int) -> tuple[int, int]:
    for a, b in sentences(text):
        if a <= pos <= b:
            return a, b
    return 0, len(text)


def clause_start(text: str, pos: int, floor: int = 0) -> int:
    """Where the clause holding `pos` starts (after the last , ; : 、 or sentence end)."""
    ends = [m.end() for m in CLAUSE_END.finditer(text, floor, pos)]
    return ends[-1] if ends else floor


def hedged(text: str, start: int, end: int) -> bool:
    """A number written as a bound or an estimate (约 90%、95%以上、超过 100 万元)."""
    return bool(HEDGE_AFTER.match(text, end) or HEDGE_BEFORE.search(text[max(0, start - 6):start]))


_BRACKET = re.compile(r"[()\[\]【】]")


def depth_map(text: str) -> list[int]:
    """The bracket depth at each character ( ( ) and [ ] ): a closing bracket is at the depth
    it closes to, an opening one at the depth it opens from. Built a stretch between brackets
    at a time, not a Python step per character."""
    depth, out, pos = 0, [], 0
    for m in _BRACKET.finditer(text):
        out += [depth] * (m.start() - pos)
        if m[0] in ")]】":
            depth = max(0, depth - 1)
        out.append(depth)
        if m[0] in "([【":
            depth += 1
        pos = m.end()
    out += [depth] * (len(text) - pos)
    return out
