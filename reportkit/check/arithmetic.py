"""Arithmetic inside the text, checked without any facts.

What a sentence states about its own numbers must hold:
  - a formula line: “Σ(85.07% + 102.83% + 80.56% + 80.56%) ÷ 4 = 90.69%”, “7.77 ÷ 8 = 97.13%”;
  - a total and its parts: “收入为3294.86万元（年初2833.57万元，追加505.79万元，调出40万元）”,
    “支出 3000 万元，其中：基本支出 2000 万元，项目支出 1000 万元”;
  - a rate with the two amounts it comes from: “预算10万元……实际执行7.77万元……执行率77.7%”;
  - shares of one whole: 基本支出占 5.36%、项目支出占 94.64% add up to 100%;
  - a table's 合计 row: the sum of the rows above it.

Every typed number carries the rounding its decimals allow (57,373.02 is 57,373.015 to
57,373.025; a whole number is exact), and a relation is reported only when no value within
those bounds makes it hold — so a figure rounded as the author wrote it never raises a
warning. Where a sentence could be read in several ways (a partial 其中 list, a rate against
an amount not in the sentence), nothing is reported.
"""

from __future__ import annotations

import itertools
import re
from bisect import bisect_left
from collections.abc import Iterator
from dataclasses import dataclass
from fractions import Fraction
from functools import cached_property

from ..findings import ERROR, NUMBERS, WARNING, Finding
from ..numbers import quantize
from .text import AMOUNT, MONEY_UNITS, NUMBER, Text, decimal, decimals, depth_map, hedged, sentences

# ---------------------------------------------------------------------------- intervals


@dataclass(frozen=True)
class Bounds:
    """The values a typed number may stand for, given the decimals written; `at` is the
    value as written (what a message shows)."""

    lo: Fraction
    hi: Fraction
    at: Fraction

    @staticmethod
    def typed(text: str, scale: Fraction = Fraction(1), whole_exact: bool = False) -> Bounds:
        """A whole number is exact in a formula (÷ 4, × 100%), rounded elsewhere (3000 万元)."""
        value = decimal(text)
        half = Fraction(0) if whole_exact and not decimals(value) else Fraction(1, 2 * 10 ** decimals(value))
        return Bounds((Fraction(value) - half) * scale, (Fraction(value) + half) * scale, Fraction(value) * scale)

    @staticmethod
    def zero() -> Bounds:
        return Bounds(Fraction(0), Fraction(0), Fraction(0))

    def __add__(self, other: Bounds) -> Bounds:
        return Bounds(self.lo + other.lo, self.hi + other.hi, self.at + other.at)

    def __sub__(self, other: Bounds) -> Bounds:
        return Bounds(self.lo - other.hi, self.hi - other.lo, self.at - other.at)

    def __mul__(self, other: Bounds) -> Bounds:
        products = [a * b for a in (self.lo, self.hi) for b in (other.lo, other.hi)]
        return Bounds(min(products), max(products), self.at * other.at)

    def __truediv__(self, other: Bounds) -> Bounds | None:
        if other.lo <= 0 <= other.hi or other.at == 0:
            return None
        inverse = Bounds(1 / other.hi, 1 / other.lo, 1 / other.at)
        return self * inverse

    def meets(self, other: Bounds) -> bool:
        return self.lo <= other.hi and other.lo <= self.hi


def stated(text: str, scale: Fraction = Fraction(1)) -> Bounds:
    """A result as written: rounded or truncated to its decimals (94.29% is 94.285–94.30)."""
    value = decimal(text)
    unit = Fraction(1, 10 ** decimals(value))
    return Bounds((Fraction(value) - unit / 2) * scale, (Fraction(value) + unit) * scale, Fraction(value) * scale)


def shown(value: Fraction, places: int, unit: str = "") -> str:
    return f"{quantize(value, places, 'half_up'):,.{places}f}{unit}" if unit != "%" else \
        f"{quantize(value * 100, places, 'half_up')}%"


# ---------------------------------------------------------------------------- formula lines

_OPERATORS = "+-×÷/*xX"
_EXPR_CHARS = re.compile(r"[\d.,%+\-×÷/*()Σ\s]|万元|亿元|元|分|人|个")
_TOKEN = re.compile(rf"\s*(?:(?P<num>{NUMBER})\s*(?P<pct>%)?\s*(?:万元|亿元|元|分|人|个)?|(?P<op>[+\-×÷/*])|(?P<open>\()|(?P<close>\))|Σ)")
_RESULT = re.compile(rf"\s*({NUMBER})\s*(%)?")


class _Parser:
    """+ − × ÷ over typed numbers, with brackets; % makes a number a hundredth."""

    def __init__(self, tokens: list[tuple[str, str]]):
        self.tokens, self.pos = tokens, 0

    def peek(self) -> tuple[str, str] | None:
        return self.tokens[self.pos] if self.pos < len(self.tokens) else None

    def expression(self) -> Bounds | None:
        value = self.term()
        while value is not None and self.peek() and self.peek()[0] == "op" and self.peek()[1] in "+-":
            op = self.tokens[self.pos][1]
            self.pos += 1
            right = self.term()
            if right is None:
                return None
            value = value + right if op == "+" else value - right
        return value

    def term(self) -> Bounds | None:
        value = self.factor()
        while value is not None and self.peek() and self.peek()[0] == "op" and self.peek()[1] in "×÷/*":
            op = self.tokens[self.pos][1]
            self.pos += 1
            right = self.factor()
            if right is None:
                return None
            value = value * right if op in "×*" else value / right
        return value

    def factor(self) -> Bounds | None:
        token = self.peek()
        if token is None:
            return None
        self.pos += 1
        if token[0] == "num":
            return Bounds.typed(token[1].rstrip("%"), Fraction(1, 100) if token[1].endswith("%") else Fraction(1),
                                whole_exact=True)
        if token[0] == "open":
            value = self.expression()
            if self.peek() != ("close", ")"):
                return None
            self.pos += 1
            return value
        return None


def _tokens(text: str) -> list[tuple[str, str]] | None:
    out, pos = [], 0
    while pos < len(text):
        m = _TOKEN.match(text, pos)
        if not m or m.end() == pos:
            if text[pos:].strip() == "":
                break
            return None
        if m["num"]:
            out.append(("num", m["num"] + ("%" if m["pct"] else "")))
        elif m["op"]:
            out.append(("op", m["op"]))
        elif m["open"]:
            out.append(("open", "("))
        elif m["close"]:
            out.append(("close", ")"))
        pos = m.end()
    return out


def _left_operand(text: str, end: int) -> int:
    """Where the arithmetic written just before `end` starts."""
    start = end
    while start > 0:
        m = None
        for width in (2, 1):
            if start - width >= 0 and _EXPR_CHARS.fullmatch(text[start - width:start]):
                m = width
                break
        if m is None:
            break
        start -= m
    # drop unmatched opening brackets and leading separators (a label's own bracket)
    while start < end:
        piece = text[start:end]
        if piece[0] in " ,)" or piece.count("(") > piece.count(")") and piece[0] == "(":
            start += 1
            continue
        if re.match(r"\d", piece) and start > 0 and text[start - 1] in ".":
            start += 1
            continue
        break
    return start


def formulas(text: Text) -> list[tuple[int, Finding]]:
    """Every “expression = number” whose two sides cannot be equal."""
    s, out = text.text, []
    for eq in re.finditer(r"=", s):
        start = _left_operand(s, eq.start())
        left = s[start:eq.start()]
        result = _RESULT.match(s, eq.end())
        if not result or not left.strip():
            continue
        tokens = _tokens(left)
        if not tokens or not any(t[0] == "op" for t in tokens) or sum(t[0] == "num" for t in tokens) < 2:
            continue
        if not text.by_author(start, result.end()) and not any(text.typed[start:result.end()]):
            continue
        parser = _Parser(tokens)
        value = parser.expression()
        if value is None or parser.pos != len(tokens):
            continue
        pct = result[2] == "%"
        typed = stated(result[1], Fraction(1, 100) if pct else Fraction(1))
        if value.meets(typed):
            continue
        places = decimals(decimal(result[1]))
        computed = shown(value.at, places, "%" if pct else "")
        expression = re.sub(r"\s+", " ", left.strip())
        hint = _divisor_hint(tokens)
        out.append((eq.start(), Finding(
            ERROR, NUMBERS, f"算式有误：{expression} = {computed}，不是 {result[1]}{'%' if pct else ''}{hint}")))
    return out


def _divisor_hint(tokens: list[tuple[str, str]]) -> str:
    """(a + b + c) ÷ 4: say that the count of terms and the divisor differ."""
    kinds = [t[0] for t in tokens]
    if kinds and kinds[0] == "open" and ("close", ")") in tokens:
        close = tokens.index(("close", ")"))
        inner = tokens[1:close]
        rest = tokens[close + 1:]
        if len(rest) == 2 and rest[0] in (("op", "÷"), ("op", "/")) and rest[1][0] == "num" and \
                all(t[0] == "num" or t == ("op", "+") for t in inner):
            terms = sum(t[0] == "num" for t in inner)
            if rest[1][1].isdigit() and int(rest[1][1]) != terms:
                return f"（括号内 {terms} 项，却除以 {rest[1][1]}）"
    return ""


# ---------------------------------------------------------------------------- totals and parts

_CHANGE = re.compile(r"比|较|同比|环比|增长|下降|增幅|降幅")
_MINUS = re.compile(r"调出|调减|减少|上缴|收回|核减|压减|扣除|缴回|退回|剔除|调剂出")
_PLUS = re.compile(r"追加|调增|增加|调入|新增|补充")
# More parts than any sentence lists before its 合计: beyond them, the chain is not a list.
MAX_PARTS = 100
_QIZHONG = re.compile("其中")
_CHANGE_WORDS = ("比", "较", "增长", "下降", "增幅", "降幅")  # where _CHANGE matches (同比, 环比 hold 比)
_SHARE_CLAUSE = re.compile(r"\s*(?:占|$)")  # a clause of a share (占 5.36%) or of blanks only
_ETC = re.compile(r"\s*等")
_THOUSANDS = re.compile(r",\d{3}")
_NOT_BLANK = re.compile(r"\S")
_SUBSET = re.compile(r"^\s*(?:含|包含|包括|主要|如|例如|其中主要|主要有|主要是)")
_TOTAL_WORD = re.compile(r"(?:合计|共计|总计|总额为?|累计)\s*(?:为|:)?\s*$")
_JOIN = re.compile(r"^\s*(?:、|和|及|与|以及|,|;)\s*$")
# Sets of parts that make up their whole: when all are listed, they must add up to it.
PARTITIONS: tuple[tuple[str, ...], ...] = (
    ("基本支出", "项目支出"),
    ("人员", "公用", "项目"),
    ("人员", "公用"),
    ("流动资产", "非流动资产"),
    ("流动负债", "非流动负债"),
    ("货物", "服务", "工程"),
    ("货物", "服务"),
    ("一般公共预算", "政府性基金"),
)


class _Marks:
    """A paragraph's bracket depths and where its separators, words and amounts are, so that
    the start of a clause or the amounts before a position are found by bisection instead of
    by reading the paragraph again from its start for every number (quadratic in a long one)."""

    def __init__(self, s: str):
        self.s = s
        self._by_depth: dict[str, dict[int, list[int]]] = {}
        self._anywhere: dict[str, list[int]] = {}

    @cached_property
    def depth(self) -> list[int]:
        return depth_map(self.s)

    @cached_property
    def _amounts(self) -> dict[int | None, tuple[list[re.Match], list[int]]]:
        """Every amount of the paragraph, and those at each bracket depth, with their starts."""
        found = list(AMOUNT.finditer(self.s))
        by: dict[int | None, list[re.Match]] = {None: found}
        for m in found:
            by.setdefault(self.depth[m.start()], []).append(m)
        return {level: (ms, [m.start() for m in ms]) for level, ms in by.items()}

    def _positions(self, chars: str) -> list[int]:
        if chars not in self._anywhere:
            self._anywhere[chars] = [m.start() for m in re.finditer(f"[{re.escape(chars)}]", self.s)]
        return self._anywhere[chars]

    def last(self, word: str, a: int, b: int) -> int:
        """Where `word` last starts within [a, b) as s.rfind(word, a, b) says, for a word
        that cannot overlap itself (人员, 项目支出); -1 when it is not there."""
        key = "\0" + word
        if key not in self._anywhere:
            self._anywhere[key] = [m.start() for m in re.finditer(re.escape(word), self.s)]
        starts = self._anywhere[key]
        i = bisect_left(starts, b - len(word) + 1)
        return starts[i - 1] if i and starts[i - 1] >= a else -1

    def has(self, words: tuple[str, ...], a: int, b: int) -> bool:
        """Whether one of `words` lies within [a, b)."""
        return any(self.last(word, a, b) >= 0 for word in words)

    def _at_depth(self, chars: str, level: int) -> list[int]:
        if chars not in self._by_depth:
            table: dict[int, list[int]] = {}
            for k in self._positions(chars):
                table.setdefault(self.depth[k], []).append(k)
            self._by_depth[chars] = table
        return self._by_depth[chars].get(level, [])

    def floor(self, chars: str, pos: int, level: int | None = None, lo: int = 0) -> int:
        """Just after the last of `chars` before `pos` (at bracket depth `level`), at least `lo`."""
        positions = self._positions(chars) if level is None else self._at_depth(chars, level)
        i = bisect_left(positions, pos)
        return max(lo, positions[i - 1] + 1) if i else lo

    def separators(self, chars: str, a: int, b: int, level: int) -> Iterator[int]:
        """The positions of `chars` at depth `level` in [a, b), in order."""
        positions = self._at_depth(chars, level)
        for i in range(bisect_left(positions, a), len(positions)):
            if positions[i] >= b:
                return
            yield positions[i]

    def next(self, char: str, a: int, b: int, level: int) -> int | None:
        """The first `char` at depth `level` in [a, b)."""
        return next(self.separators(char, a, b, level), None)

    def amounts_in(self, a: int, b: int, level: int | None = None) -> list[re.Match]:
        """The amounts (at depth `level`) that lie in [a, b): what AMOUNT.finditer(s, a, b)
        finds, as neither end falls inside an amount (the ends of a sentence, a clause or a
        bracket, the start of 其中 or 合计: none of them a digit, a space or a unit)."""
        ms, starts = self._amounts.get(level, ([], []))
        i = bisect_left(starts, a)
        j = bisect_left(starts, b, i)
        return [m for m in ms[i:j] if m.end() <= b]

    def amounts_before(self, b: int, level: int) -> Iterator[re.Match]:
        """The amounts at depth `level` that end by `b`, the nearest first."""
        ms, starts = self._amounts.get(level, ([], []))
        for k in range(bisect_left(starts, b) - 1, -1, -1):
            if ms[k].end() <= b:
                yield ms[k]


@dataclass
class _Amount:
    """An amount typed in a sentence: where it is, its value in 万元 and the words naming it."""

    start: int  # of the number
    end: int  # after the unit
    value: Bounds  # 万元
    label: str  # the words of its clause before it
    typed: bool


def _amounts(text: Text, a: int, b: int, marks: _Marks, level: int) -> list[_Amount]:
    s, out = text.text, []
    for m in marks.amounts_in(a, b, level):
        floor = marks.floor(",;:、(", m.start(), level, lo=a)
        label = s[floor:m.start()]
        if hedged(s, m.start(1), m.end()):
            return []  # 约、超过: the sentence is not exact arithmetic
        out.append(_Amount(m.start(1), m.end(), Bounds.typed(m[1], MONEY_UNITS[m[2]]), label,
                           text.by_author(m.start(1), m.end(1))))
    return out


def _complete(labels: list[str]) -> bool:
    """The parts are one of the known partitions of a whole, each listed once."""
    for partition in PARTITIONS:
        members = [next((word for word in partition if word in label), None) for label in labels]
        if None not in members and len(set(members)) == len(members) == len(partition):
            return True
    return False


def _sum_finding(total: _Amount, parts: list[_Amount], signs: list[int], complete: bool) -> str | None:
    value = Bounds.zero()
    for part, sign in zip(parts, signs, strict=True):
        value = value + part.value if sign > 0 else value - part.value
    if value.meets(total.value) or (not complete and value.hi < total.value.lo):
        return None
    places = 2
    terms = "".join(("" if i == 0 and sign > 0 else (" + " if sign > 0 else " − ")) + shown(p.value.at, places)
                    for i, (p, sign) in enumerate(zip(parts, signs, strict=True)))
    what = "各部分之和" if all(sign > 0 for sign in signs) else "按增减计算"
    over = "超过了总数" if value.lo > total.value.hi and all(sign > 0 for sign in signs) else "与总数不符"
    return (f"总数与其组成不符：写作 {shown(total.value.at, places)} 万元，{what}为 {terms} = "
            f"{shown(value.at, places)} 万元，{over}")


def totals(text: Text) -> list[tuple[int, Finding]]:
    """A total followed by its parts, in brackets or after 其中."""
    s, out = text.text, []
    marks = _Marks(s)
    depth = marks.depth
    for a, b in sentences(s):
        amounts_here = [m for m in AMOUNT.finditer(s, a, b)]
        if len(amounts_here) < 2:
            continue
        # bracket form: 3294.86万元(年初2833.57万元,追加505.79万元,…)
        for m in amounts_here:
            if m.end() >= b or s[m.end():m.end() + 1] != "(":
                continue
            level = depth[m.end()] + 1
            close = marks.next(")", m.end() + 1, b, level - 1)
            if close is None:
                continue
            inner = s[m.end() + 1:close]
            parts = _amounts(text, m.end() + 1, close, marks, level)
            total = _amount_at(text, m, marks)
            if total is None or len(parts) < 2 or _CHANGE.search(inner):
                continue
            problem = _check_parts(total, parts, subset=bool(_SUBSET.match(inner) or inner.rstrip().endswith("等")),
                                   bracket=True)
            if problem and (total.typed or any(p.typed for p in parts)):
                out.append((total.start, Finding(WARNING, NUMBERS, problem)))
        # 其中 form: 支出3000万元,其中:基本支出2000万元,项目支出1000万元
        for q in _QIZHONG.finditer(s, a, b):
            problem = _qizhong(text, q, a, b, marks)
            if problem:
                out.append(problem)
        # 人员经费100万元、公用经费50万元,合计150万元
        for t in re.finditer(r"(?:合计|共计|总计)\s*(?:为|:)?\s*", s[a:b]):
            problem = _sum_before(text, a + t.start(), a + t.end(), a, b, marks)
            if problem:
                out.append(problem)
    return out


def _amount_at(text: Text, m: re.Match, marks: _Marks) -> _Amount | None:
    s = text.text
    floor = marks.floor(",;:、(。", m.start(), marks.depth[m.start()])
    if hedged(s, m.start(1), m.end()):
        return None
    return _Amount(m.start(1), m.end(), Bounds.typed(m[1], MONEY_UNITS[m[2]]), s[floor:m.start()],
                   text.by_author(m.start(1), m.end(1)))


def _check_parts(total: _Amount, parts: list[_Amount], subset: bool, bracket: bool) -> str | None:
    signs = [-1 if _MINUS.search(p.label) else 1 for p in parts]
    derived = any(sign < 0 or _PLUS.search(p.label) for sign, p in zip(signs, parts, strict=True))
    if derived and all(sign < 0 or _PLUS.search(p.label) for sign, p in zip(signs, parts, strict=True)):
        return None  # only the changes (追加 A、调减 B): their net is not the total
    if derived:
        return _sum_finding(total, parts, signs, complete=True)
    complete = (bracket and not subset) or _complete([p.label for p in parts])
    return _sum_finding(total, parts, signs, complete=complete)


def _qizhong(text: Text, q: re.Match, a: int, b: int, marks: _Marks) -> tuple[int, Finding] | None:
    s, depth = text.text, marks.depth
    level = depth[q.start()]
    # the total: the last amount before 其中 at this depth, in this sentence or ending the one before
    total = None
    for m in marks.amounts_before(q.start(), level):  # amounts of a change in between (比上年增加 X 万元) are not it
        found = _amount_at(text, m, marks)
        if found is None:
            return None
        if not _CHANGE.search(found.label):
            total = found
            break
    if total is None:
        return None
    if q.start() - total.end > 60:
        return None
    between = s[total.end:q.start()]
    if len(re.findall(r"[。!?]", between)) > 1:
        return None
    if re.search(r"[。!?]", between) and not re.search(r"[。!?]\s*(?:按[^,。]{0,8},)?\s*$", between):
        return None
    end = re.compile(r"[。!?]").search(s, q.end())
    stop = end.start() if end else len(s)
    region_start = q.end()
    nested = _QIZHONG.search(s, region_start, stop)
    if nested and depth[nested.start()] == level:
        return None  # a second 其中 at the same level: which total is which is not clear
    parts: list[_Amount] = []
    for c0, c1 in _clauses(s, region_start, stop, marks, level):
        found = _amounts(text, c0, c1, marks, level)
        if not found:
            if _SHARE_CLAUSE.match(s, c0, c1):
                continue
            break  # a clause that is not a part ends the list (“三公经费控制率为85.04%”)
        if len(found) > 1 or marks.has(_CHANGE_WORDS, c0, c1):
            return None  # a clause with two amounts or a change: not a plain list of parts
        parts.append(found[0])
    if len(parts) < 2 and not (parts and parts[0].value.lo > total.value.hi):
        return None
    if not (total.typed or any(p.typed for p in parts)):
        return None
    subset = bool(parts and _ETC.match(s, parts[-1].end, stop))
    problem = _check_parts(total, parts, subset=subset, bracket=False)
    return (total.start, Finding(WARNING, NUMBERS, problem)) if problem else None


def _clauses(s: str, a: int, b: int, marks: _Marks, level: int) -> Iterator[tuple[int, int]]:
    """The clauses of [a, b) at depth `level` that are not blank, read as far as asked."""
    start = a
    for k in marks.separators(";、:,", a, b, level):
        if s[k] == "," and _THOUSANDS.match(s, k, k + 4):
            continue
        if _NOT_BLANK.search(s, start, k):
            yield start, k
        start = k + 1
    if _NOT_BLANK.search(s, start, b):
        yield start, b


def _sum_before(text: Text, t0: int, t1: int, a: int, b: int, marks: _Marks) -> tuple[int, Finding] | None:
    """“A 100万元、B 50万元,合计150万元”: the parts joined by 、和及 right before the total."""
    s, depth = text.text, marks.depth
    m = AMOUNT.match(s, t1)
    if not m:
        return None
    total = _amount_at(text, m, marks)
    level = depth[t0]
    items = itertools.takewhile(lambda x: x.start() >= a, marks.amounts_before(t0, level))  # nearest first
    last = next(items, None)
    if last is None or total is None:
        return None
    if not re.fullmatch(r"\s*[,:]?\s*", s[last.end():t0]):
        return None
    chain = [last]
    for x in items:
        gap = s[x.end():chain[0].start()]
        label = re.match(r"^(.*?)([\u4e00-\u9fff]+)\s*(?:为|是|:)?\s*$", gap)
        joiner = gap[:label.start(2)] if label else gap
        if not _JOIN.match(joiner) or not label:
            break
        chain.insert(0, x)
        if len(chain) > MAX_PARTS:
            return None  # no list of parts is this long: a run of totals (…合计 A,…合计 B) read as one
    if len(chain) < 2:
        return None
    parts = [_amount_at(text, x, marks) for x in chain]
    if None in parts or any(_CHANGE.search(p.label) for p in parts):
        return None
    if not (total.typed or any(p.typed for p in parts)):
        return None
    problem = _sum_finding(total, parts, [1] * len(parts), complete=True)
    return (total.start, Finding(WARNING, NUMBERS, problem)) if problem else None


# ---------------------------------------------------------------------------- a rate and its amounts

_RATE_NAME = re.compile(r"(执行率|完成率|使用率|利用率|控制率|支付率|到位率|支出进度|执行进度|预算进度|兑付率)")
_RATE_STATED = re.compile(rf"\s*(?:为|是|达到|达|仅为|约为|:)?\s*({NUMBER})\s*%")
_OTHER_TIME = re.compile(r"上年|去年|上一年|同比|环比|以前年度|历年|往年|(?:19|20)\d\d\s*年|[1-9]\d?月|季度")
_BASE = re.compile(r"预算|计划|安排|下达|批复|核定|调整后|总额")
_ACTUAL = re.compile(r"实际|决算|支出|执行|使用|完成|采购|支付|拨付|到位|在用")


def _role(label: str) -> str | None:
    if re.search(r"实际|决算|在用", label):
        return "actual"
    if _BASE.search(label):
        return "base"
    if _ACTUAL.search(label):
        return "actual"
    return None


def rates(text: Text) -> list[tuple[int, Finding]]:
    """A rate stated in the sentence that also states the amounts it divides."""
    s, out = text.text, []
    marks = _Marks(s)
    for a, b in sentences(s):
        amounts: list[_Amount] | None = None  # the sentence's, read once for all its rates
        for m in _RATE_NAME.finditer(s, a, b):
            value = _RATE_STATED.match(s, m.end())
            if not value or value.end() > b or hedged(s, value.start(1), value.end()):
                continue
            if not text.by_author(value.start(1), value.end(1)):
                continue
            clause = s[marks.floor(",;:", m.start(), lo=a):m.start()]
            if _OTHER_TIME.search(clause):
                continue  # 上年执行率, 2020 年执行率: not the ratio of this sentence's amounts
            if amounts is None:
                amounts = _exact_amounts(text, a, b, marks)
            if amounts:
                problem = _rate_problem(s[a:b], s[m.start():value.end()], value[1], amounts)
                if problem:
                    out.append((value.start(1), Finding(WARNING, NUMBERS, problem)))
    return out


def _exact_amounts(text: Text, a: int, b: int, marks: _Marks) -> list[_Amount]:
    """The amounts of the sentence [a, b); none when one of them is hedged (约、超过)."""
    amounts = []
    for x in AMOUNT.finditer(text.text, a, b):
        found = _amount_at(text, x, marks)
        if found is None:
            return []
        amounts.append(found)
    return amounts


def _rate_problem(sentence: str, phrase: str, typed: str, amounts: list[_Amount]) -> str | None:
    if len(amounts) > 6:
        return None
    bases = [x for x in amounts if _role(x.label) == "base"]
    actuals = [x for x in amounts if _role(x.label) == "actual"]
    if not bases or not actuals:
        return None
    if re.search(r"序时|季度|当季|月", sentence) and "执行率" in phrase:
        return None  # a quarter's 执行率 is its progress over the schedule, not a plain ratio
    if re.search(r"年初", " ".join(b.label for b in bases)) and not re.search(r"调整|预算数|总预算", sentence) \
            and re.search(r"调整|追加|调减", sentence):
        return None
    rate = stated(typed, Fraction(1, 100))
    for x in amounts:
        for y in amounts:
            if x is not y:
                ratio = x.value / y.value
                if ratio is not None and ratio.meets(rate):
                    return None
    actual, base = actuals[-1], bases[-1]
    ratio = actual.value / base.value
    if ratio is None:
        return None
    places = max(2, decimals(decimal(typed)))
    return (f"“{phrase.strip()}”与同句的金额不符：{actual.label.strip() or '实际'} {shown(actual.value.at, 2)} 万元 ÷ "
            f"{base.label.strip() or '预算'} {shown(base.value.at, 2)} 万元 = {shown(ratio.at, places, '%')}")


# ---------------------------------------------------------------------------- shares of one whole

_SHARE = re.compile(rf"占(?P<whole>[^,;:。%\d]{{0,12}}?的)?\s*(?:比重|比例|比)?\s*(?:为|达到?|约)?\s*(?P<num>{NUMBER})\s*%")


def shares(text: Text) -> list[tuple[int, Finding]]:
    """Shares of the members of a known partition, stated in one paragraph, add up to 100%."""
    s = text.text
    marks = _Marks(s)
    found: dict[tuple[tuple[str, ...], str], list[tuple[str, re.Match]]] = {}
    for m in _SHARE.finditer(s):
        if hedged(s, m.start("num"), m.end()) or not text.by_author(m.start("num"), m.end("num")):
            continue
        floor = marks.floor("。;", m.start())
        whole = (m["whole"] or "").strip("的 ")
        for partition in PARTITIONS:
            # the member the share belongs to: the last word of this partition before it
            at = {word: marks.last(word, floor, m.start()) for word in partition}
            member = max(at, key=at.get)
            if at[member] >= 0:
                found.setdefault((partition, whole), []).append((member, m))
    full = {key for key, members in found.items()
            if {member for member, _ in members} == set(key[0]) and len(members) == len(key[0])}
    out = []
    for partition, whole in full:
        if any(set(partition) < set(other) and w == whole for other, w in full):
            continue  # 人员、公用 within 人员、公用、项目: the larger whole is meant
        named = dict(found[(partition, whole)])
        total = Bounds.zero()
        for m in named.values():
            total = total + stated(m["num"], Fraction(1, 100))
        if total.meets(Bounds(Fraction(1), Fraction(1), Fraction(1))):
            continue
        first = min(m.start() for m in named.values())
        listed = " + ".join(f"{w} {named[w]['num']}%" for w in partition)
        written = sum(decimal(m["num"]) for m in named.values())
        out.append((first, Finding(WARNING, NUMBERS, f"各部分所占比例之和应为 100%：{listed} = {written}%")))
    return out


# ---------------------------------------------------------------------------- a derived amount

_AFTER = re.compile(r"调整后|调整为|调整至|变更为|最终|调整后为")
_START = re.compile(r"年初|原|下达|批复|预算")


def derived(text: Text) -> list[tuple[int, Finding]]:
    """“年初预算A万元，追加B万元，调减C万元，调整后为D万元”: D = A + B − C."""
    s, out = text.text, []
    marks = _Marks(s)
    for a, b in sentences(s):
        amounts = [_amount_at(text, m, marks) for m in AMOUNT.finditer(s, a, b)]
        if None in amounts or len(amounts) < 3:
            continue
        for i, start in enumerate(amounts):
            if not _START.search(start.label) or _PLUS.search(start.label) or _MINUS.search(start.label) \
                    or _AFTER.search(start.label) or _CHANGE.search(start.label):
                continue
            changes = []
            for item in amounts[i + 1:]:
                if _AFTER.search(item.label) and not (_PLUS.search(item.label) or _MINUS.search(item.label)):
                    if changes and not any(_CHANGE.search(c.label) for c in changes) and \
                            (start.typed or item.typed or any(c.typed for c in changes)):
                        signs = [-1 if _MINUS.search(c.label) else 1 for c in changes]
                        problem = _sum_finding(item, [start, *changes], [1, *signs], complete=True)
                        if problem:
                            out.append((item.start, Finding(WARNING, NUMBERS, problem.replace("总数与其组成不符", "调整后的数与调整前后的增减不符"))))
                    break
                if not (_PLUS.search(item.label) or _MINUS.search(item.label)) or s[start.end:item.start].count("其中"):
                    break
                changes.append(item)
            break
    return out


# ---------------------------------------------------------------------------- the text of a file


def check_paragraph(text: Text) -> list[tuple[int, Finding]]:
    return [*formulas(text), *totals(text), *rates(text), *shares(text), *derived(text)]


_TOTAL_ROW = re.compile(r"^(?:合\s*计|总\s*计|共\s*计|总\s*额|全部合计)$")
_SUBTOTAL_ROW = re.compile(r"^小\s*计$")
_PART_ROW = re.compile(r"^(?:其中|含|包括|注|备注|说明)")
_NOT_ADDITIVE = re.compile(r"率|%|比|占|进度|均|单价|标准|序号|编号|年份|日期|时间|增减|增长|下降|排名|得分率|系数|权重|人均")
_CELL = re.compile(rf"^\s*({NUMBER})\s*(万元|亿元|元)?\s*$")
_EMPTY_CELL = re.compile(r"^\s*(?:-|—|－|/|0)?\s*$")


def _row_cells(text: Text) -> list[tuple[int, str]] | None:
    """A table row (pipe or tab separated) as (offset, stripped cell)."""
    s = text.text
    if "|" in s:
        bounds = [m.start() for m in re.finditer(r"(?<!\\)\|", s)]
        if s[:bounds[0]].strip():
            bounds.insert(0, -1)
        if s[bounds[-1] + 1:].strip():
            bounds.append(len(s))
    elif "\t" in s:
        bounds = [-1, *[m.start() for m in re.finditer(r"\t", s)], len(s)]
    else:
        return None
    cells = []
    for x, y in zip(bounds, bounds[1:], strict=False):
        raw = s[x + 1:y]
        cells.append((x + 1 + len(raw) - len(raw.lstrip()), raw.strip()))
    return cells if len(cells) >= 2 else None


def _blocks(texts: list[Text]) -> list[list[tuple[Text, list[tuple[int, str]]]]]:
    blocks, current = [], []
    for text in texts:
        cells = _row_cells(text) if text.text.strip() else None
        if cells is None:
            if current:
                blocks.append(current)
            current = []
            continue
        if all(re.fullmatch(r":?-+:?", c) for _, c in cells if c):
            continue  # the delimiter row of a pipe table
        current.append((text, cells))
    if current:
        blocks.append(current)
    return blocks


def _label_of(cells: list[tuple[int, str]]) -> str:
    return next((re.sub(r"\s+", "", c) for _, c in cells if c and not _CELL.match(c)), "")


def _column_sums(values: list[Bounds]) -> list[Bounds]:
    """The ways the rows above a total may add up: all of them; or without rows that are the
    sum of the rows right after them (a parent row and its children)."""
    zero = Bounds.zero()
    plain = zero
    for v in values:
        plain = plain + v
    sums = [plain]
    parents, children = set(), set()
    for i, v in enumerate(values):
        if i in children:
            continue
        run = zero
        for k in range(i + 1, len(values)):
            run = run + values[k]
            if k - i >= 2 and run.meets(v):
                parents.add(i)
                children.update(range(i + 1, k + 1))
                break
    if parents:
        for skip in (parents, children):
            total = zero
            for i, v in enumerate(values):
                if i not in skip:
                    total = total + v
            sums.append(total)
    return sums


def check_tables(file: str, texts: list[Text]) -> list[Finding]:
    """A table's 合计 row: each additive column adds up to it."""
    out = []
    for block in _blocks(texts):
        header = [c for _, c in block[0][1]]
        body = block[1:]
        totals = [i for i, (_, cells) in enumerate(body) if _TOTAL_ROW.match(_label_of(cells))]
        for t in totals:
            above = [i for i in range(t) if i > max([-1] + [x for x in totals if x < t])]
            rows = above if above else [i for i in range(t + 1, len(body)) if i not in totals]
            if len(rows) < 2:
                continue
            text, cells = body[t]
            for j, (offset, cell) in enumerate(cells):
                total_cell = _CELL.match(cell)
                head = header[j] if j < len(header) else ""
                if not total_cell or _NOT_ADDITIVE.search(head) or j == 0:
                    continue
                values, typed, usable = [], text.by_author(offset, offset + len(cell)), True
                subtotals = []
                for i in rows:
                    row_text, row_cells = body[i]
                    label = _label_of(row_cells)
                    if _PART_ROW.match(label):
                        continue
                    if j >= len(row_cells) or len(row_cells) != len(cells):
                        usable = False
                        break
                    row_offset, value = row_cells[j]
                    number = _CELL.match(value)
                    if number:
                        bounds = Bounds.typed(number[1], MONEY_UNITS.get(number[2] or "", Fraction(1)) /
                                              MONEY_UNITS.get(total_cell[2] or "", Fraction(1)))
                        typed = typed or row_text.by_author(row_offset, row_offset + len(value))
                    elif _EMPTY_CELL.match(value):
                        bounds = Bounds.zero()
                    else:
                        usable = False
                        break
                    (subtotals if _SUBTOTAL_ROW.match(label) else values).append(bounds)
                if not usable or not typed or len(values) + len(subtotals) < 2:
                    continue
                total = Bounds.typed(total_cell[1])
                ways = _column_sums(values) + ([sum(subtotals[1:], subtotals[0])] if subtotals else [])
                if any(way.meets(total) for way in ways):
                    continue
                places = decimals(decimal(total_cell[1]))
                out.append(Finding(WARNING, NUMBERS,
                                   f"表中“{_label_of(cells)}”行“{head or f'第 {j + 1} 列'}”为 {total_cell[1]}，"
                                   f"而上面各行之和为 {shown(ways[0].at, places)}", file, text.line(offset)))
    return out
