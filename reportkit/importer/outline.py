"""Split an imported document along the fixed outline.

Headings are recognised by their Chinese numbering (一、 （一） 1. （1）, also half-width
brackets, spaces and full-width digits) whether or not Word heading styles were used, and
mapped to the outline by number and by a fuzzy match of the title (部门/单位 and years vary).
Text before 一、 is the cover and the introduction; chapter 四 and the annexes are generated
by reportkit and are kept apart, never copied as narrative.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from difflib import SequenceMatcher

from ..load import INTRO, OUTLINE, Chapter, Section, fill
from .docx import Item

CN = "一二三四五六七八九"
_CN_NUM = "[一二三四五六七八九十]{1,3}"
NUMBERED = (  # (level, pattern) on NFKC text: full-width brackets, digits and dots become ASCII
    (1, re.compile(rf"^({_CN_NUM})\s*[、,，.]\s*(.*)$", re.S)),
    (2, re.compile(rf"^\(\s*({_CN_NUM})\s*\)\s*[、.]?\s*(.*)$", re.S)),
    (3, re.compile(r"^(\d{1,2})\s*(?:[、,，]|\.(?!\d))\s*(.*)$", re.S)),
    (4, re.compile(r"^\(\s*(\d{1,2})\s*\)\s*[、.]?\s*(.*)$", re.S)),
)
SENTENCE_END = re.compile(r"[。；;！!？?]")
MAX_HEADING = 30  # characters of a heading's title; longer numbered lines are paragraphs
ANNEX_START = re.compile(r"^附\s*件\s*[一二三四五六七八九十\d]*\s*[:：]?")
TOC_TITLE = re.compile(r"^目\s*录$")
TOC_ENTRY = re.compile(r"(\.{3,}|…{2,}|·{3,}|-{3,}|\s)\s*\d{1,3}$")


def cn_int(text: str) -> int:
    """一 … 九十九 as an int."""
    if text == "十":
        return 10
    if "十" in text:
        tens, _, ones = text.partition("十")
        return (CN.index(tens) + 1 if tens else 1) * 10 + (CN.index(ones) + 1 if ones else 0)
    return CN.index(text) + 1


def nfkc(text: str) -> str:
    return unicodedata.normalize("NFKC", text).strip()


@dataclass(frozen=True)
class Numbered:
    """A heading's outline number (一、 （一） 1. （1）) and title."""

    level: int  # 1 一、  2 （一）  3 1.  4 （1）
    number: int
    title: str


def numbered(text: str) -> Numbered | None:
    flat = nfkc(text)
    for level, pattern in NUMBERED:
        match = pattern.match(flat)
        if match:
            raw = match.group(1)
            number = int(raw) if raw.isdigit() else cn_int(raw)
            return Numbered(level, number, match.group(2).strip())
    return None


def heading_like(title: str) -> bool:
    """Short, and no sentence in it: a title, not a numbered paragraph."""
    core = title.strip().rstrip("：:")
    return 0 < len(core) <= MAX_HEADING and not SENTENCE_END.search(core) and "\n" not in core


def norm_title(text: str) -> str:
    text = nfkc(text)
    text = re.sub(r"\s+", "", text)
    text = re.sub(r"\d{4}年度?", "", text)
    text = text.replace("单位", "部门")
    return text.rstrip("：:。.;；,，")


def similarity(a: str, b: str) -> float:
    a, b = norm_title(a), norm_title(b)
    if not a or not b:
        return 0.0
    ratio = SequenceMatcher(None, a, b).ratio()
    if a in b or b in a:
        ratio = max(ratio, 0.8 * min(len(a), len(b)) / max(len(a), len(b)) + 0.2)
    return min(ratio, 1.0)


def outline_title(title: str) -> str:
    return fill(title, "部门", 2000)


@dataclass
class Part:
    """What went into one section file."""

    section: Section
    heading: str = ""  # the heading as the Word file wrote it
    items: list[Item] = field(default_factory=list)
    subheadings: list[tuple[int, Item]] = field(default_factory=list)  # (level 3/4, item)
    moved: list[str] = field(default_factory=list)  # headings whose text was added here


@dataclass
class Split:
    """An imported report's paragraphs split into cover, contents, sections and annex."""

    preamble: list[Item] = field(default_factory=list)  # cover and anything before 一、
    toc: list[Item] = field(default_factory=list)
    parts: dict[str, Part] = field(default_factory=dict)  # section file → part
    chapters: list[tuple[Chapter, str]] = field(default_factory=list)  # recognised, as written
    chapter_four: list[Item] = field(default_factory=list)
    chapter_four_heading: str = ""
    annex: list[Item] = field(default_factory=list)
    unrecognised: list[tuple[str, str]] = field(default_factory=list)  # (text, where it went)
    renumbered: list[tuple[str, str]] = field(default_factory=list)  # (heading as written, section)

    @property
    def found(self) -> bool:
        return bool(self.chapters) or any(p.heading for p in self.parts.values())


def _best(candidates: list[tuple[int, str]], title: str) -> tuple[int, float]:
    scored = [(similarity(title, t), i) for i, t in candidates]
    if not scored:
        return -1, 0.0
    score, index = max(scored)
    return index, score


class Splitter:
    def __init__(self, indicator_names: set[str]):
        self.names = indicator_names
        self.out = Split()
        self.chapter = -1  # index in OUTLINE
        self.section = -1  # index in the chapter's sections
        self.zone = "preamble"  # preamble, toc, body, four, annex
        self.part: Part | None = None
        self.pending: list[Item] = []  # text under a chapter heading, before its first section

    def run(self, items: list[Item]) -> Split:
        # Word heading styles below （一）: then only they are sub-headings, numbered lines are text
        self.styled = any(i.level and i.level >= 3 for i in items)
        for item in items:
            self.feed(item)
        self._flush_pending()
        return self.out

    # -- zones

    def feed(self, item: Item) -> None:
        if self.zone == "annex":
            self.out.annex.append(item)
            return
        if item.toc or (self.zone == "toc" and _toc_entry(item)):
            self.out.toc.append(item)
            return
        if self.zone == "toc":
            self.zone = "preamble"
        if self.zone == "preamble" and item.kind == "text" and TOC_TITLE.match(nfkc(item.plain)):
            self.zone = "toc"
            self.out.toc.append(item)
            return
        if self._annex_starts(item):
            self.zone = "annex"
            self._flush_pending()
            self.out.annex.append(item)
            return
        if item.kind == "text" and self._heading(item):
            return
        if self.zone == "four":
            self.out.chapter_four.append(item)
        elif self.zone == "preamble":
            self.out.preamble.append(item)
        elif self.part is None:
            self.pending.append(item)
        else:
            self._body(item)

    def _annex_starts(self, item: Item) -> bool:
        if self.chapter < 2 and self.zone != "four":  # annexes follow chapter 三 or 四
            return False
        if item.kind == "table":
            return self._indicator_table(item.cells)
        text = nfkc(item.plain)
        if ANNEX_START.match(text) and len(text) <= 60:
            return True
        # chapter 四's prose is followed by the annex's own title, often without "附件"
        return self.zone == "four" and heading_like(text) and (text.endswith("表") or "指标体系" in text)

    def _indicator_table(self, cells: list[list[str]]) -> bool:
        found = {re.sub(r"\s+", "", c) for row in cells for c in row} & self.names
        header = any("三级指标" in re.sub(r"\s+", "", c) for row in cells[:4] for c in row)
        return header or len(found) >= 3

    # -- headings

    def _heading(self, item: Item) -> bool:
        text = (item.marker + " " + item.plain) if item.marker and item.marker != "-" else item.plain
        num = numbered(text)
        if num and num.level == 1:
            return self._chapter(item, num)
        if num and num.level == 2:
            return self._section(item, num)
        if num is None and (item.level in (1, 2) or heading_like(item.plain)) and self._unnumbered(item):
            return True
        if self.zone != "body" or self.part is None:
            return False
        level = num.level if num else (min(item.level, 4) if item.level and item.level >= 3 else None)
        # an item of a list Word numbered itself stays a list item (Markdown keeps the list)
        listed = (item.marker or self.styled) and not item.level
        if level in (3, 4) and not listed and (heading_like(num.title if num else item.plain) or item.level):
            self.part.subheadings.append((level, item))
            self.part.items.append(item)
            return True
        return False

    def _chapter(self, item: Item, num: Numbered) -> bool:
        titles = [(i, outline_title(ch.title)) for i, ch in enumerate(OUTLINE)]
        index = num.number - 1
        score = similarity(num.title, titles[index][1]) if 0 <= index < len(OUTLINE) else 0.0
        accept = 0 <= index < len(OUTLINE) and score >= 0.5
        if not accept:
            best, best_score = _best(titles, num.title)
            if best_score < 0.8 or not heading_like(num.title):
                self._unknown(item, heading_like(num.title))
                return False
            index = best
            self.out.renumbered.append((item.plain, OUTLINE[index].number + fill(OUTLINE[index].title, "部门", 2000)))
        self._enter_chapter(index, item)
        return True

    def _enter_chapter(self, index: int, item: Item) -> None:
        self._flush_pending()
        self.chapter, self.section = index, -1
        chapter = OUTLINE[index]
        self.out.chapters.append((chapter, item.plain))
        self.part = None
        if chapter.generated:
            self.zone = "four"
            self.out.chapter_four_heading = item.plain
        else:
            self.zone = "body"

    def _section(self, item: Item, num: Numbered) -> bool:
        if self.zone == "four":
            return False
        if self.chapter < 0:  # no chapter heading yet: find the section anywhere
            every = [(ci * 100 + si, outline_title(s.title))
                     for ci, ch in enumerate(OUTLINE) for si, s in enumerate(ch.sections)]
            best, score = _best(every, num.title)
            if score < 0.6 or not heading_like(num.title):
                self._unknown(item, heading_like(num.title))
                return False
            self._enter_chapter(best // 100, item)
            self.out.chapters.pop()
            self._enter_section(best % 100, item)
            return True
        sections = OUTLINE[self.chapter].sections
        titles = [(i, outline_title(s.title)) for i, s in enumerate(sections)]
        index = num.number - 1
        score = similarity(num.title, titles[index][1]) if 0 <= index < len(sections) else 0.0
        ok = 0 <= index < len(sections) and (
            score >= 0.5 or (score >= 0.4 and heading_like(num.title) and index > self.section)
        )
        if ok and index <= self.section and score < 0.8:
            ok = False  # （一） again inside a section: a sub-list of the text, not the outline
        if not ok:
            best, best_score = _best(titles, num.title)
            if best_score < 0.8 or best <= self.section or not heading_like(num.title):
                self._unknown(item, heading_like(num.title))
                return False
            index = best
            self.out.renumbered.append((item.plain, sections[index].number + fill(sections[index].title, "部门", 2000)))
        self._enter_section(index, item)
        return True

    def _unnumbered(self, item: Item) -> bool:
        """A heading whose number Word drew itself (or that has none): match by title only."""
        if not heading_like(item.plain) or self.zone == "annex":
            return False
        chapters = [(i, outline_title(ch.title)) for i, ch in enumerate(OUTLINE) if i > self.chapter]
        best, score = _best(chapters, item.plain)
        if score >= 0.85:
            self._enter_chapter(best, item)
            return True
        if self.chapter < 0 or self.zone == "four":
            return False
        sections = [(i, outline_title(s.title))
                    for i, s in enumerate(OUTLINE[self.chapter].sections) if i > self.section]
        best, score = _best(sections, item.plain)
        if score >= 0.85:
            self._enter_section(best, item)
            return True
        return False

    def _enter_section(self, index: int, item: Item) -> None:
        section = OUTLINE[self.chapter].sections[index]
        self.section = index
        self.part = self.out.parts.setdefault(section.file, Part(section))
        if self.part.heading:  # the same section twice: keep both, say so
            self.part.moved.append(item.plain)
        else:
            self.part.heading = item.plain
        if self.pending:
            self.part.items[:0] = self.pending
            self.part.moved.append(f"{OUTLINE[self.chapter].number}下、{section.number}之前的 {len(self.pending)} 段")
            self.pending = []

    def _flush_pending(self) -> None:
        if not self.pending:
            return
        if self.part is not None:
            self.part.items += self.pending
        else:
            first = OUTLINE[self.chapter].sections[0] if self.chapter >= 0 and OUTLINE[self.chapter].sections else INTRO
            part = self.out.parts.setdefault(first.file, Part(first))
            part.items += self.pending
        self.pending = []

    def _body(self, item: Item) -> None:
        self.part.items.append(item)

    def _unknown(self, item: Item, looks_like_heading: bool) -> None:
        if not looks_like_heading:
            return
        where = self.part.section.file if self.part else ("第四章" if self.zone == "four" else "封面或引言")
        self.out.unrecognised.append((item.plain, where))


def _toc_entry(item: Item) -> bool:
    return item.kind == "text" and bool(TOC_ENTRY.search(nfkc(item.plain)))


def split(items: list[Item], indicator_names: set[str]) -> Split:
    return Splitter(indicator_names).run(items)
