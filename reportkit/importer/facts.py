"""What an imported report says about itself: cover fields, declared scores, numbers.

Nothing read here is trusted: the cover fields go into the `report:` block (the author sees
them in the summary), declared scores and recognised numbers are written into facts.yaml as
comments for the author to check, never as facts or overrides.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from .docx import Item
from .outline import nfkc

# ---------------------------------------------------------------- the cover

COVER_FIELDS = {
    "unit": re.compile(r"^(?:部门|单位)(?:名称)?\s*(?:\(\s*(?:公章|盖章)\s*\))?\s*[:：]\s*(.*)$"),
    "preparer": re.compile(r"^填\s*报\s*人\s*[:：]\s*(.*)$"),
    "phone": re.compile(r"^(?:联系)?电\s*话\s*[:：]\s*(.*)$"),
    "date": re.compile(r"^(?:填报|报告)?日\s*期\s*[:：]\s*(.*)$"),
}
TITLE_YEAR = re.compile(r"((?:19|20)\d{2})\s*年度?.*(?:绩效|评价).*报告")
DATE_LINE = re.compile(r"^(?:19|20)\d{2}\s*年\s*\d{1,2}\s*月(?:\s*\d{1,2}\s*日)?$")
ANNEX_LABEL = re.compile(r"^附\s*件\s*[一二三四五六七八九十\d]*$")
SELF_NAME = re.compile(r"我(办|局|委|站|院|中心|队|所|处|馆|会|部|厅|署|室|校|区|部门|单位)")


@dataclass
class Cover:
    unit: str = ""
    preparer: str = ""
    phone: str = ""
    date: str = ""
    title: str = ""
    year: int | None = None
    unit_label: str = ""  # 部门名称 or 单位名称, as written
    used: list[Item] = field(default_factory=list)  # items that were cover, not introduction


def _field_lines(item: Item) -> list[str]:
    if item.kind == "table":  # a cover laid out as a table: label cell, value cell
        return ["：".join(c for c in row if c.strip()) if not re.search(r"[:：]", "".join(row)) else "".join(row)
                for row in item.cells]
    return item.plain.split("\n")


def read_cover(preamble: list[Item]) -> Cover:
    cover = Cover()
    for item in preamble:
        used = False
        for raw in _field_lines(item):
            line = nfkc(raw)
            if not line:
                continue
            if not cover.title and TITLE_YEAR.search(line) and len(line) <= 60:
                cover.title = line
                cover.year = int(TITLE_YEAR.search(line).group(1))
                used = True
                continue
            if DATE_LINE.match(line.replace(" ", "")) or ANNEX_LABEL.match(line.replace(" ", "")):
                used = True
                continue
            for key, pattern in COVER_FIELDS.items():
                match = pattern.match(line)
                if match:
                    if not getattr(cover, key):
                        setattr(cover, key, match.group(1).strip())
                        if key == "unit":
                            cover.unit_label = line.split("名称")[0] if "名称" in line else line[:2]
                    used = True
                    break
        if used:
            cover.used.append(item)
    return cover


def guess_year(cover: Cover, texts: list[str]) -> int | None:
    if cover.year:
        return cover.year
    years = Counter(int(y) for text in texts for y in re.findall(r"((?:19|20)\d{2})\s*年", nfkc(text)))
    return years.most_common(1)[0][0] if years else None


def guess_level(texts: list[str]) -> str:
    joined = "".join(nfkc(t) for t in texts)
    district = joined.count("区委") + joined.count("区政府")
    city = joined.count("市委") + joined.count("市政府")
    return "区" if district > city else "市"


def guess_self_name(texts: list[str]) -> str | None:
    counts = Counter(m.group(0) for text in texts for m in SELF_NAME.finditer(text))
    return counts.most_common(1)[0][0] if counts else None


# ---------------------------------------------------------------- declared scores

NUMBER = re.compile(r"^\d{1,3}(?:\.\d{1,4})?$")
TOTAL_SCORE = re.compile(r"(?:自评)?(?:评分|得分|总分)(?:为|是|：|:)?\s*(\d{1,3}(?:\.\d{1,2})?)\s*分")
GRADE = re.compile(r"(?:评价)?等级(?:为|是|：|:)?\s*[“\"「]?(优|良|中|差)")
SCORE_HEADERS = ("得分", "自评得分", "评分", "实际得分", "自评分")


@dataclass
class Declared:
    """Scores the old report states: chapter 四's prose and the annex table."""

    indicators: dict[str, str] = field(default_factory=dict)  # name → score as written ("" empty)
    total: str = ""  # from the annex's 总分 row, else from chapter 四
    prose_total: str = ""
    levels: list[tuple[str, str, str]] = field(default_factory=list)  # (name, weight, score)
    grade: str = ""
    tables: int = 0  # annex tables read
    annex: object = None  # annex.AnnexReading: every indicator, read or why not

    def indicator_sum(self) -> Decimal | None:
        values = [Decimal(v) for v in self.indicators.values() if v]
        return sum(values, Decimal(0)) if values else None


def _dec(text: str) -> Decimal | None:
    try:
        return Decimal(text)
    except InvalidOperation:
        return None


def read_chapter_four(items: list[Item], level_names: list[str], declared: Declared) -> None:
    text = "".join(nfkc(i.plain) for i in items if i.kind == "text")
    match = TOTAL_SCORE.search(text)
    if match:
        declared.prose_total = match.group(1)
    for name in level_names:
        found = re.search(
            re.escape(name) + r"(?:满分|分值)?\s*(\d+(?:\.\d+)?)\s*分\s*[,，]?\s*(?:得分|得)(?:为)?\s*(\d+(?:\.\d+)?)\s*分",
            text,
        )
        if found:
            declared.levels.append((name, found.group(1), found.group(2)))
    grade = GRADE.search(text)
    if grade:
        declared.grade = grade.group(1)


def _squash(text: str) -> str:
    return re.sub(r"\s+", "", nfkc(text))


# ---------------------------------------------------------------- numbers in the narrative

NUM = r"(?P<v>\d[\d,，]*(?:\.\d+)?)"
FILL = r"(?:[为是达共计约合到：:]|总额|总数|金额|合计|数){0,4}\s*"
WAN = r"\s*万元"
PCT = r"\s*%"
CLAUSE_END = re.compile(r"[，,。；;：:！？\n]")


@dataclass(frozen=True)
class Pattern:
    path: str  # a fact of facts_schema, or a metric (kind "rate") to check against
    title: str
    regex: re.Pattern
    kind: str  # money, count, percent (facts) or rate (metric: computed by reportkit)
    exclude: tuple[str, ...] = ()  # words that, in the same clause, mean another figure
    sections: tuple[str, ...] = ()  # only in these section files
    sentence_exclude: tuple[str, ...] = ()  # the same, anywhere earlier in the sentence


def _p(path: str, title: str, keys: str, kind: str, exclude: tuple[str, ...] = (),
       sections: tuple[str, ...] = (), sentence_exclude: tuple[str, ...] = ()) -> Pattern:
    tail = {"money": WAN, "count": r"\s*(?:人|件|个|项)", "percent": r"\s*(?:%|分)", "rate": PCT}[kind]
    stop = r"(?!\s*(?:以上|以下|左右))"
    return Pattern(path, title, re.compile(f"(?:{keys}){FILL}{NUM}{tail}{stop}"), kind, exclude, sections,
                   sentence_exclude)


NO_PART = ("项目", "公用", "人员", "基本支出", "三公", "季度", "采购")
PART_SENTENCE = ("项目支出", "基本支出", "项目预算", "人员经费", "公用经费")
PATTERNS: tuple[Pattern, ...] = (
    _p("budget.initial", "年初预算（万元）", r"年初预算(?:总规模|总额|数|收入|支出)?", "money", ("上年", "同比") + NO_PART),
    _p("budget.adjusted", "调整后预算（万元）",
       r"调整后(?:的)?(?:全年)?(?:部门)?(?:整体支出)?预算(?:总规模|总额|数)?|预算总规模调整为|全年预算总额", "money", NO_PART,
       sentence_exclude=PART_SENTENCE),
    _p("budget.spent", "全年支出（万元）", r"全年(?:实际)?支出(?:数|总额)?|全年累计支出", "money", NO_PART,
       sentence_exclude=PART_SENTENCE),
    _p("budget.personnel", "人员支出（年初，万元）", r"人员支出", "money", ("调", "增", "减"), ("1-3-预算编制情况.md",)),
    _p("budget.public", "公用支出（年初，万元）", r"公用支出", "money", ("调", "增", "减"), ("1-3-预算编制情况.md",)),
    _p("budget.project", "项目支出（年初，万元）", r"项目支出", "money", ("调", "增", "减"), ("1-3-预算编制情况.md",)),
    _p("procurement.plan", "政府采购计划金额（万元）", r"采购计划(?:金额)?(?:合计数?|总额)?|采购预算(?:金额)?", "money", ("实际",)),
    _p("procurement.actual", "实际采购金额（万元）", r"实际(?:政府)?采购(?:金额)?(?:合计数?|总额)?", "money"),
    _p("three_public.budget", "“三公”经费预算（万元）", r"三公.?经费(?:预算(?:安排)?(?:数)?|年初预算)", "money"),
    _p("three_public.spent", "“三公”经费实际支出（万元）", r"三公.?经费(?:实际支出|决算)(?:数)?", "money"),
    _p("office_expenses.budget", "日常公用经费调整预算（万元）", r"日常公用经费调整预算(?:数)?", "money"),
    _p("office_expenses.spent", "日常公用经费决算（万元）", r"日常公用经费(?:决算|实际支出)(?:数)?", "money"),
    _p("fixed_assets.total", "固定资产总额（万元）", r"固定资产(?:原值)?总额", "money"),
    _p("fixed_assets.in_use", "在用固定资产（万元）", r"在用(?:状态)?(?:的)?(?:固定资产)?(?:原值)?", "money"),
    _p("staff.authorized", "核定编制数（人）", r"核定(?:在职人员)?编制(?:数)?", "count"),
    _p("staff.on_payroll", "在编人数（人）", r"实际在编人员|实有在编人(?:员|数)|在编人(?:员|数)|实有在职人员", "count", ("编外",)),
    _p("staff.contract", "编外人员数（人）", r"实际编外人员|编外人员(?:数)?|劳务派遣人员", "count"),
    _p("petitions.received", "收到信访件数（件）", r"(?:收到|受理)(?:群众)?信访(?:件)?(?:数量|数)?", "count"),
    _p("satisfaction", "公众或服务对象满意度（%）", r"满意度(?:得分|调查结果|结果)?", "percent", ("≥", "<", "≤", ">")),
    _p("budget.execution_rate", "预算执行率", r"总执行率|全年(?:预算)?执行率|预算执行率", "rate", ("季度", "平均", "项目")),
    _p("quarterly.average_rate", "全年平均执行率", r"全年平均(?:预算)?执行率", "rate"),
    _p("procurement.rate", "政府采购执行率", r"政府采购执行率", "rate"),
    _p("fixed_assets.use_rate", "固定资产利用率", r"固定资产(?:总体)?(?:使用|利用)率", "rate"),
    _p("staff.control_rate", "财政供养人员控制率", r"财政供养人员控制率", "rate"),
    _p("staff.contract_rate", "编外人员控制率", r"编外人员控制率", "rate"),
    _p("three_public.control_rate", "“三公”经费控制率", r"三公.?经费控制率", "rate"),
    _p("office_expenses.control_rate", "日常公用经费控制率", r"日常公用经费控制率", "rate"),
)
QUARTER = re.compile(r"第?([一二三四1-4])季度(?:末)?累计支出(?:数|金额)?" + FILL + NUM + WAN)
CHANGE = re.compile(r"比\s*(?:上年|上一年度?|(?:19|20)\d{2}\s*年度?)(?:年初(?:预算)?)?\s*(增加|减少|增长|下降)\s*" + NUM + WAN)
MONEY = re.compile(NUM + WAN)


@dataclass
class Found:
    path: str
    title: str
    kind: str
    value: Decimal
    file: str
    quote: str  # the sentence, shortened


@dataclass
class Proposal:
    path: str
    title: str
    kind: str
    found: list[Found]

    @property
    def values(self) -> list[Decimal]:
        """The distinct values found, first first (the four quarters of money4, in order)."""
        if self.kind == "money4":
            return [f.value for f in self.found]
        seen: list[Decimal] = []
        for f in self.found:
            if f.value not in seen:
                seen.append(f.value)
        return seen


# Full-width digits, %, ., <, = and > as ASCII; Chinese punctuation (，：；) kept, so quotes
# read as the author wrote them. One character for one: positions do not move.
_SOFT = {0xFF10 + i: ord("0") + i for i in range(10)} | {
    0xFF05: ord("%"), 0xFF0E: ord("."), 0xFF1C: ord("<"), 0xFF1D: ord("="), 0xFF1E: ord(">"), 0x3000: ord(" "),
}


def soften(text: str) -> str:
    return text.translate(_SOFT)


def _number(text: str) -> Decimal:
    return Decimal(text.replace(",", "").replace("，", ""))


def _sentence(text: str, start: int, end: int) -> str:
    left = max(text.rfind(ch, 0, start) for ch in "。；;\n") + 1
    rights = [i for i in (text.find(ch, end) for ch in "。；;\n") if i >= 0]
    right = min(rights) if rights else len(text)
    quote = text[left:right].strip()
    if len(quote) > 70:
        a = max(start - 30, left)
        quote = ("…" if a > left else "") + text[a:min(end + 20, right)].strip() + "…"
    return quote


def _clause(text: str, start: int) -> str:
    matches = list(CLAUSE_END.finditer(text, 0, start))
    return text[matches[-1].end() if matches else 0:start]


def find_numbers(texts: list[tuple[str, str]]) -> list[Proposal]:
    """Figures in the narrative ((file, text) pairs) that match known facts and metrics."""
    found: dict[str, list[Found]] = {}

    def add(f: Found) -> None:
        found.setdefault(f.path, []).append(f)

    initials: list[Decimal] = []
    quarters: dict[int, Found] = {}
    for file, raw in texts:
        text = soften(raw)
        for pattern in PATTERNS:
            if pattern.sections and file not in pattern.sections:
                continue
            for match in pattern.regex.finditer(text):
                words = _clause(text, match.start()) + match.group(0)[: match.start("v") - match.start()]
                if any(word in words for word in pattern.exclude):
                    continue
                earlier = text[max(text.rfind(ch, 0, match.start()) for ch in "。；;\n") + 1:match.start()]
                if any(word in earlier for word in pattern.sentence_exclude):
                    continue
                try:
                    value = _number(match.group("v"))
                except InvalidOperation:
                    continue
                quote = _sentence(text, match.start(), match.end())
                add(Found(pattern.path, pattern.title, pattern.kind, value, file, quote))
                if pattern.path == "budget.initial":
                    initials.append(value)
        for match in QUARTER.finditer(text):
            n = "一二三四".find(match.group(1)) + 1 or int(match.group(1))
            quarters.setdefault(n, Found("quarterly.cumulative_spent", "季度末累计支出（万元）", "money4",
                                         _number(match.group("v")), file,
                                         _sentence(text, match.start(), match.end())))
        for match in CHANGE.finditer(text):
            before = [m for m in MONEY.finditer(text, 0, match.start())
                      if text.rfind("。", 0, match.start()) < m.start()]
            if not before:
                continue
            base = _number(before[-1].group("v"))
            if base not in initials and not any(base == f.value for f in found.get("budget.initial", [])):
                continue
            change = _number(match.group("v"))
            previous = base - change if match.group(1) in ("增加", "增长") else base + change
            add(Found("budget.previous_initial", "上年年初预算（万元，由“比上年增减”推算）", "money", previous, file,
                      _sentence(text, match.start(), match.end())))
    proposals = [Proposal(p, fs[0].title, fs[0].kind, fs) for p, fs in found.items()]
    if len(quarters) == 4:
        parts = [quarters[n] for n in (1, 2, 3, 4)]
        proposals.append(Proposal("quarterly.cumulative_spent", "季度末累计支出（万元）", "money4", parts))
    order = [p.path for p in PATTERNS] + ["budget.previous_initial", "quarterly.cumulative_spent"]
    proposals.sort(key=lambda p: order.index(p.path))
    return proposals
