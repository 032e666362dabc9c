"""The annex scoring table of an imported report, read completely.

Every indicator of the framework ends up either with the score the annex gives it or with the
reason none was read (no row, an empty score cell, a cell that is not a score). Rows are matched
to indicators by name (as written, with spaces and full-width forms squashed), by the names the
other shipped frameworks give the same indicator, by a near name whose weight agrees, by the 二级
name printed again as 三级 (项目管理 for 项目监管), and by weight and position between matched rows.

The table comes in two shapes:
- a Word table: one row per indicator, score in the 得分 column; rows whose merged cells were
  left out (ragged rows) are aligned from the right, where the score column is;
- text: the table flattened to paragraphs — one per row (cells become spaces) or one per cell
  (a table extracted from a PDF). Read as one stream of words: an indicator name (possibly split
  over words), its weight, then the last number that ends a paragraph before the next indicator.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from difflib import SequenceMatcher
from fractions import Fraction

from .docx import Item
from .outline import nfkc

SCORE_HEADERS = ("得分", "自评得分", "评分", "实际得分", "自评分", "分数", "评价得分", "得分情况", "最终得分")
HEADER_WORDS = ("评价指标", "一级指标", "二级指标", "三级指标", "指标名称")
HEADER_ONLY = {"名称", "分值", "参考分值", "权重", "指标", "序号", *SCORE_HEADERS, *HEADER_WORDS}  # with the words around them: a header line
COLUMN_WORDS = ("指标说明", "评分标准", "参考评分标准", "指标解释", "评分细则")  # columns beside the scores
TOTAL_WORDS = ("总分", "合计", "综合评分", "总计得分", "得分合计", "总得分", "合计得分", "总计", "自评总分")
GRADE = re.compile(r"^(?:评分|评价|绩效)?等级[:：]?$")
NUMBER = re.compile(r"^\d{1,3}(?:\.\d{1,4})?$")
NUMBERISH = re.compile(r"^[-+]?\d[\d.,，]*\s*(?:%|％|分)?$")
IN_SENTENCE = tuple("得扣为达至约计共是减增=＝≥≤＜＞×÷+-")  # a number after these is text
NEAR = 0.75  # SequenceMatcher ratio for a near name (confirmed by the weight)


def squash(text: str) -> str:
    return re.sub(r"\s+", "", nfkc(text))


@dataclass
class AnnexScore:
    """One indicator of the framework and what the annex says about it."""

    name: str
    level: str
    group: str
    weight: Fraction
    # read; empty (score cell blank); none (text: no number after the row); text (not a number);
    # over (above the weight); absent (no row)
    status: str = "absent"
    value: str = ""  # the score as written, when read
    written: str = ""  # the cell as written, when it is not a number
    row_name: str = ""  # the name as the annex writes it
    row_weight: str = ""  # the weight as the annex writes it
    how: str = ""  # name, alias, near, group, position

    @property
    def read(self) -> bool:
        return self.status == "read"

    def reason(self) -> str:
        if self.status == "absent":
            return "附件评分表中没有这一行" if not self.row_name else "这一行所在的表格没有得分栏"
        if self.status == "empty":
            return "得分栏为空"
        if self.status == "none":
            return "这一行之后没有得分"
        if self.status == "over":
            return f"得分 {self.value} 超过分值 {_plain(self.weight)}"
        return f"单元格写的是“{self.written}”，不是得分"


@dataclass
class AnnexReading:
    """The scores read from an imported Word file's annex tables."""

    scores: list[AnnexScore] = field(default_factory=list)  # framework order
    total: str = ""  # 总分 / 综合评分 / 总计得分 row
    grade: str = ""
    tables: int = 0  # tables with a score column that were read
    conflicts: list[tuple[str, str, str]] = field(default_factory=list)  # (name, first, later)

    @property
    def found(self) -> list[AnnexScore]:
        return [s for s in self.scores if s.read]

    @property
    def missing(self) -> list[AnnexScore]:
        return [s for s in self.scores if not s.read]

    def total_of_scores(self) -> Decimal | None:
        values = [Decimal(s.value) for s in self.found]
        return sum(values, Decimal(0)) if values else None

    def by_name(self) -> dict[str, str]:
        return {s.name: s.value for s in self.found}


def _plain(value: Fraction | Decimal) -> str:
    d = Decimal(value.numerator) / Decimal(value.denominator) if isinstance(value, Fraction) else value
    text = format(d.normalize(), "f")
    return text


def _number(text: str) -> Decimal | None:
    try:
        return Decimal(text)
    except InvalidOperation:
        return None


class _Names:
    """The chosen framework's indicators and every way an annex may name them."""

    def __init__(self, framework, others: list) -> None:  # noqa: ANN001 - compute.Framework
        self.indicators = list(framework.indicators)
        self.exact: dict[str, int] = {}
        for k, ind in enumerate(self.indicators):
            self.exact.setdefault(squash(ind.name), k)
        # another framework's indicator in the same group at the same place is the same indicator
        places = {(squash(i.level), squash(i.group), n): k for k, i in enumerate(self.indicators)
                  for n in [self._place(framework, i)]}
        # the chosen framework's 二级 names are never another's 三级 (资产管理, 预算编制)
        own_groups = {squash(g.name) for lv in framework.levels for g in lv.groups} - set(self.exact)
        for other in others:
            for ind in other.indicators:
                k = places.get((squash(ind.level), squash(ind.group), self._place(other, ind)))
                if k is not None and squash(ind.name) not in own_groups:
                    self.exact.setdefault(squash(ind.name), k)
        self.groups: dict[str, list[int]] = {}
        self.group_weights: dict[str, set[Fraction]] = {}
        for fw in [framework, *others]:
            for level in fw.levels:
                self.group_weights.setdefault(squash(level.name), set()).add(level.weight)
                for group in level.groups:
                    self.group_weights.setdefault(squash(group.name), set()).add(group.weight)
        for k, ind in enumerate(self.indicators):
            self.groups.setdefault(squash(ind.group), []).append(k)
        self.own_weights = {squash(g.name): Decimal(g.weight.numerator) / g.weight.denominator
                            for lv in framework.levels for g in lv.groups}
        self.longest = max((len(n) for n in self.exact), default=0)

    @staticmethod
    def _place(framework, ind) -> int:  # noqa: ANN001
        same = [i for i in framework.indicators if i.group == ind.group and i.level == ind.level]
        return same.index(ind)

    def near(self, text: str, weight: Decimal | None) -> int | None:
        """A near name whose weight agrees (项目 监管情况, 政府采购执行率 …)."""
        if weight is None or len(text) < 4 or len(text) > self.longest + 6 or text[0].isdigit():
            return None
        best, at = 0.0, None
        for k, ind in enumerate(self.indicators):
            if Decimal(ind.weight.numerator) / ind.weight.denominator != weight:
                continue
            if abs(len(text) - len(squash(ind.name))) > max(2, len(ind.name) // 4):
                continue
            ratio = SequenceMatcher(None, text, squash(ind.name)).ratio()
            if ratio > best:
                best, at = ratio, k
        return at if best >= NEAR else None

    def is_group(self, text: str) -> bool:
        return text in self.group_weights


class _Reader:
    def __init__(self, names: _Names) -> None:
        self.names = names
        ind = names.indicators
        self.out = AnnexReading([AnnexScore(i.name, i.level, i.group, i.weight) for i in ind])
        self.last = -1  # index of the indicator matched last (for matching by position)

    # -- recording

    def match(self, k: int, row_name: str, row_weight: str, how: str) -> AnnexScore:
        score = self.out.scores[k]
        if not score.row_name:
            score.row_name, score.row_weight, score.how = row_name, row_weight, how
        self.last = max(self.last, k)
        return score

    def give(self, score: AnnexScore, cell: str) -> None:
        """The score cell of a matched row; the first table with a score wins."""
        cell = squash(cell)
        if score.status == "read":
            if cell and cell != score.value and NUMBER.match(cell):
                self.out.conflicts.append((score.name, score.value, cell))
            return
        if not cell:
            score.status = "empty" if score.status in ("absent", "empty") else score.status
            return
        if NUMBER.match(cell):
            score.value = cell
            over = Decimal(cell) > Decimal(score.weight.numerator) / score.weight.denominator
            score.status = "over" if over else "read"
            return
        if score.status != "over":
            score.status, score.written = "text", cell

    def identify(self, text: str, weight: str) -> tuple[int | None, str]:
        """The indicator a name (and the weight after it) stands for, and how it was known."""
        number = _number(weight) if NUMBER.match(weight) else None
        k = self.names.exact.get(text)
        if k is not None:
            return k, "name" if text == squash(self.names.indicators[k].name) else "alias"
        if self.names.is_group(text):
            # the 二级 name printed again as 三级: the group's unmatched indicator of that weight
            for k in self.names.groups.get(text, []):
                ind = self.names.indicators[k]
                if (number is not None and Decimal(ind.weight.numerator) / ind.weight.denominator == number
                        and number != self.names.own_weights.get(text)  # not the 二级's own weight
                        and not self.out.scores[k].row_name):  # not a row already matched
                    return k, "group"
            return None, ""
        k = self.names.near(text, number)
        if k is not None and not self.out.scores[k].read:
            return k, "near"
        return None, ""

    def by_position(self, text: str, weight: str) -> int | None:
        """An unknown name with a weight, right after the last matched row: the next indicator,
        when its weight agrees."""
        number = _number(weight) if NUMBER.match(weight) else None
        k = self.last + 1
        if number is None or k >= len(self.out.scores) or self.out.scores[k].read:
            return None
        if self.names.is_group(text) or not (2 <= len(text) <= 40) or NUMBERISH.match(text):
            return None
        ind = self.names.indicators[k]
        return k if Decimal(ind.weight.numerator) / ind.weight.denominator == number else None

    # -- Word tables

    def table(self, cells: list[list[str]], state: dict, widths: list[int] | None = None) -> None:
        rows = [[squash(c) for c in row] for row in cells]
        if widths and len(widths) == len(rows):  # ragged rows: the cells each row really had
            rows = [row[:w] for row, w in zip(rows, widths, strict=True)]
        header = [row for row in rows[:6] if any(c in HEADER_WORDS for c in row)]
        if header:
            scored = [(len(row), col) for row in rows[:6] for col, c in enumerate(row) if c in SCORE_HEADERS]
            named = [col for row in header for col, c in enumerate(row) if c in ("三级指标", "指标名称")]
            # a framework table without a score column (附件1 of seed 001) gives no scores
            state["score"] = scored[-1] if scored else None
            state["name"] = named[-1] if named else None
        if header and state["score"] is None:
            return
        read_any = False
        for row in rows:
            if self._total_row(row):
                read_any = True
                continue
            found = self._row_name(row)
            if found is None:
                continue
            k, at, how = found
            score = self.match(k, row[at], row[at + 1] if at + 1 < len(row) else "", how)
            self.give(score, self._score_cell(row, at, state))
            read_any = True
        if read_any:
            self.out.tables += 1

    @staticmethod
    def _score_cell(row: list[str], at: int, state: dict) -> str:
        """The score cell of a row whose name is in column `at`. Columns are counted from the
        name: a row whose merged cells were left out (ragged) is shifted left as a whole."""
        if state.get("score") is None:  # no header seen: the last cell
            col = len(row) - 1
        elif state.get("name") is not None:
            col = state["score"][1] + at - state["name"]
        else:  # counted from the right
            width, score = state["score"]
            col = len(row) - (width - score)
        start = at + (2 if at + 1 < len(row) and NUMBER.match(row[at + 1]) else 1)
        return row[col] if start <= col < len(row) else ""

    def _row_name(self, row: list[str]) -> tuple[int, int, str] | None:
        pairs = [(i, c, row[i + 1] if i + 1 < len(row) else "") for i, c in enumerate(row) if c]
        # exact names of indicators first, then the other ways, rightmost first (三级 after 一级, 二级)
        for i, c, after in reversed(pairs):
            if c in self.names.exact:
                k, how = self.identify(c, after)
                return k, i, how
        for i, c, after in reversed(pairs):
            if NUMBER.match(after) and not NUMBER.match(c):
                k, how = self.identify(c, after)
                if k is not None:
                    return k, i, how
        for i, c, after in pairs:
            if NUMBER.match(after) and not NUMBER.match(c) and not self.names.is_group(c):
                k = self.by_position(c, after)
                return (k, i, "position") if k is not None else None  # the first name-and-weight is the 三级
        return None

    def _total_row(self, row: list[str]) -> bool:
        first = next((c for c in row if c), "")
        if first in TOTAL_WORDS:
            value = next((c for c in reversed(row) if c and c != first), "")
            if NUMBER.match(value) and not self.out.total:
                self.out.total = value
            return True
        if GRADE.match(first):
            value = next((c for c in reversed(row) if c and c != first), "")
            if value in ("优", "良", "中", "差") and not self.out.grade:
                self.out.grade = value
            return True
        return False

    # -- text

    def text(self, paragraphs: list[str]) -> None:
        words: list[tuple[str, bool, int]] = []  # (word, ends its paragraph, paragraph)
        for p, para in enumerate(paragraphs):
            parts = [squash(w) for w in nfkc(para).split()]
            parts = [w for w in parts if w]
            words += [(w, n == len(parts) - 1, p) for n, w in enumerate(parts)]
        scoring = True  # until a header without a score column says otherwise
        current: AnnexScore | None = None
        candidate = ""  # the last number ending a paragraph since the current indicator's weight
        last_para = -1
        i = 0
        while i < len(words):
            word, ends, p = words[i]
            if p != last_para:
                last_para = p
                line = [w for w, _, q in words[i:i + 60] if q == p]
                if all(w in HEADER_ONLY for w in line) or any(w in HEADER_WORDS or w in COLUMN_WORDS for w in line):
                    if any(w in COLUMN_WORDS for w in line):  # the top header line says if scores follow
                        scoring = any(w in SCORE_HEADERS for w in line)
                    i += len(line)
                    continue
                if line and (line[0] in TOTAL_WORDS or GRADE.match(line[0])):
                    self._close(current, candidate)
                    current, candidate = None, ""
                    rest = [w for w, _, q in words[i + len(line):i + len(line) + 2]]
                    self._total_row(line if len(line) > 1 else line + rest[:1])
                    i += len(line)
                    continue
            if self._group_and_weight(word, words[i + 1][0] if i + 1 < len(words) else ""):
                i += 2  # a 一级 or 二级 name and its weight
                continue
            hit = self._words_name(words, i)
            if hit is not None:
                k, n, how, weight = hit
                self._close(current, candidate)
                name = "".join(w for w, _, _ in words[i:i + n])
                current = self.match(k, name, weight, how) if scoring else None
                candidate = ""
                i += n + (1 if weight else 0)
                continue
            if current is not None and ends and (NUMBER.match(word) or NUMBERISH.match(word)):
                before = words[i - 1][0] if i and words[i - 1][2] == p else ""
                if not before or not before.endswith(IN_SENTENCE):
                    candidate = word  # not "…得 1.5" (a number inside the criteria's sentence)
            i += 1
        self._close(current, candidate)

    def _group_and_weight(self, word: str, after: str) -> bool:
        if not (self.names.is_group(word) and NUMBER.match(after)):
            return False
        k = self.names.exact.get(word)  # a 三级 of the same name (项目管理) has its own weight
        weights = {Decimal(w.numerator) / w.denominator for w in self.names.group_weights[word]}
        if k is None:  # perhaps the 二级 name printed as 三级, with its indicator's weight (identify)
            own = self.names.own_weights.get(word)
            k, _ = self.identify(word, after)
            return k is None or (own is not None and Decimal(after) == own)
        if self.out.scores[k].read:
            return True
        ind = self.names.indicators[k]
        return Decimal(after) in weights and Decimal(after) != Decimal(ind.weight.numerator) / ind.weight.denominator

    def _close(self, current: AnnexScore | None, candidate: str) -> None:
        if current is None:
            return
        if candidate:
            self.give(current, candidate)
        elif current.status == "absent":
            current.status = "none"  # text: no number after the row's name and weight

    def _words_name(self, words: list, i: int) -> tuple[int, int, str, str] | None:
        """An indicator name starting at word i (a name may be split over words)."""
        starts = i == 0 or words[i - 1][2] != words[i][2]
        group = self.names.is_group(words[i][0])  # then only exact names: a near name would swallow it
        joined = ""
        best = None
        for n in range(1, 7):
            if i + n > len(words):
                break
            joined += words[i + n - 1][0]
            if len(joined) > self.names.longest + 6:
                break
            after = words[i + n][0] if i + n < len(words) else ""
            weight = after if NUMBER.match(after) else ""
            if joined in self.names.exact or (weight and not NUMBER.match(joined) and (not group or n == 1)):
                k, how = self.identify(joined, weight)
                if k is not None:
                    best = (k, n, how, weight)
                    if how in ("name", "alias"):
                        break
        if best is None:
            return None
        if not best[3] and (best[2] not in ("name", "alias") or not starts):
            return None  # a name inside a sentence is not a row: a row's name has its weight or its own paragraph
        return best


def read_annex(items: list[Item], framework, others: list) -> AnnexReading:  # noqa: ANN001
    """What the annex items say about each indicator of `framework` (others: older frameworks)."""
    reader = _Reader(_Names(framework, others))
    state: dict = {}
    texts: list[str] = []
    for item in items:
        if item.kind == "table":
            if texts:
                reader.text(texts)
                texts = []
            reader.table(item.cells, state, item.widths)
        else:
            texts += [line for line in item.plain.split("\n") if line.strip()]
    if texts:
        reader.text(texts)
    return reader.out
