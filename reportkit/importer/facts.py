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

from ..load import BY_PATH, FIELDS
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


@dataclass
class Cover:
    """What an imported Word file's cover says: unit, preparer, date, title, year."""

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


def _value(raw: str) -> str:
    """The value after a cover label, in the author's own characters (（） stay full-width)."""
    parts = re.split(r"[:：]", raw.strip(), maxsplit=1)
    return parts[1].strip() if len(parts) == 2 else ""


def _open_brackets(text: str) -> int:
    flat = nfkc(text)
    return flat.count("(") + flat.count("[") - flat.count(")") - flat.count("]")


def _is_field(line: str) -> bool:
    flat = nfkc(line)
    return any(p.match(flat) for p in COVER_FIELDS.values()) or bool(TITLE_YEAR.search(flat))


def _continues(line: str, value: str, after: str | None) -> bool:
    """A cover line that carries on the value above it (the unit's name wrapped)."""
    flat = nfkc(line)
    if not flat or len(flat) > 40 or re.search(r"[:：。；]", flat) or DATE_LINE.match(flat.replace(" ", "")):
        return False
    if _open_brackets(value) > 0:
        return True
    # no bracket to close: only a short line right before the next field (填报人：…)
    return after is not None and _is_field(after) and len(flat) <= 20


def read_cover(preamble: list[Item]) -> Cover:
    cover = Cover()
    lines = [(item, raw) for item in preamble for raw in _field_lines(item) if raw.strip()]
    used: set[int] = set()
    i = 0
    while i < len(lines):
        item, raw = lines[i]
        line = nfkc(raw)
        i += 1
        if not cover.title and TITLE_YEAR.search(line) and len(line) <= 60:
            cover.title = raw.strip()
            cover.year = int(TITLE_YEAR.search(line).group(1))
            used.add(id(item))
            continue
        if DATE_LINE.match(line.replace(" ", "")) or ANNEX_LABEL.match(line.replace(" ", "")):
            used.add(id(item))
            continue
        for key, pattern in COVER_FIELDS.items():
            if not pattern.match(line):
                continue
            used.add(id(item))
            if getattr(cover, key):
                break
            value = _value(raw)
            if key == "unit":
                cover.unit_label = line.split("名称")[0] if "名称" in line else line[:2]
                for _ in range(3):  # a name that wrapped onto the next lines
                    if i >= len(lines) or not _continues(lines[i][1], value,
                                                         lines[i + 1][1] if i + 1 < len(lines) else None):
                        break
                    value += lines[i][1].strip()
                    used.add(id(lines[i][0]))
                    i += 1
            setattr(cover, key, value)
            break
    cover.used = [item for item in preamble if id(item) in used]
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


KINDS = "办局委站院心队所处馆会部厅署室校"  # last character of a unit's short name (区委办, 口岸办, 引航站)
OWN = re.compile(r"(?:我|本)(?:部门|单位|中心|办|局|委|站|院|队|所|处|馆|会|部|厅|署|室|校)")
SENTENCE_START = re.compile(r"(?:^|[。；;！？!?\n])\s*(?:\d{4}\s*年度?[，,]?\s*|同时[，,]?|此外[，,]?)?")


def _subsequence(short: str, name: str) -> bool:
    it = iter(name)
    return all(ch in it for ch in short)


def guess_self_name(texts: list[str], unit: str = "") -> str | None:
    """How the report calls its own unit: 我办, 本单位, or a short form of the unit's name that
    starts its sentences (区委办 for 中共深圳市盐田区委办公室). The most used wins."""
    counts: Counter[str] = Counter(m.group(0) for text in texts for m in OWN.finditer(text))
    name = nfkc(unit)
    if len(name) >= 4:
        for text in texts:
            flat = nfkc(text)
            for start in SENTENCE_START.finditer(flat):
                at = start.end()
                for n in range(5, 1, -1):  # the longest short form at this place
                    short = flat[at:at + n]
                    after = flat[at + n:at + n + 1]
                    if (len(short) == n and short[-1] in KINDS and short != name and _subsequence(short, name)
                            and re.fullmatch(r"[\u4e00-\u9fff]+", short) and after not in "、，,和与及"):
                        counts[short] += 1
                        break
    if not counts:
        return None
    # 本部门 / 本单位 are what any text says; a name of the unit's own (我办, 区委办) wins when used
    own = {k: v for k, v in counts.items() if not k.startswith("本")}
    best = max((own or counts).items(), key=lambda kv: (kv[1], len(kv[0])))
    return best[0]


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
FILL = r"(?:[（(][^（()）]{0,24}[）)])?(?:[为是达共计约合到：:均]|总额|总数|金额|合计|数|分别){0,4}\s*"
WAN = r"\s*万元"
PCT = r"\s*%"
CLAUSE_END = re.compile(r"[，,。；;：:！？\n]")


@dataclass(frozen=True)
class Pattern:
    """How to find one fact's figure in an imported report's sentences."""

    path: str  # a fact of facts_schema, or a metric (kind "rate") to check against
    title: str
    regex: re.Pattern
    kind: str  # money, count, percent (facts) or rate (metric: computed by reportkit)
    exclude: tuple[str, ...] = ()  # words that, in the same clause, mean another figure
    sections: tuple[str, ...] = ()  # only in these section files
    sentence_exclude: tuple[str, ...] = ()  # the same, anywhere earlier in the sentence
    sentence_need: tuple[str, ...] = ()  # one of these must be earlier in the sentence


def _p(path: str, title: str, keys: str, kind: str, exclude: tuple[str, ...] = (),
       sections: tuple[str, ...] = (), sentence_exclude: tuple[str, ...] = (),
       sentence_need: tuple[str, ...] = ()) -> Pattern:
    tail = {"money": WAN, "count": r"\s*(?:人|件|个|项|名)", "percent": r"\s*(?:%|分)", "rate": PCT}[kind]
    stop = r"(?!\s*(?:以上|以下|左右))"
    return Pattern(path, title, re.compile(f"(?:{keys}){FILL}{NUM}{tail}{stop}"), kind, exclude, sections,
                   sentence_exclude, sentence_need)


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
    _p("budget.basic", "基本支出（年初，万元）", r"基本支出", "money", ("调", "增", "减"), ("1-3-预算编制情况.md",)),
    _p("budget.adjustments", "调整、调剂资金累计（万元）",
       r"调整(?:、|和|及)?调剂(?:资金|预算)?(?:累计|总额|合计|共计)", "money"),
    _p("procurement.plan", "政府采购计划金额（万元）", r"采购计划(?:金额)?(?:合计数?|总额)?|采购预算(?:金额)?", "money", ("实际",)),
    _p("procurement.goods", "货物类采购金额（万元）", r"(?:政府)?采购货物(?:类)?(?:支出|金额)?|货物类采购(?:金额)?", "money"),
    _p("procurement.services", "服务类采购金额（万元）", r"(?:政府)?采购服务(?:类)?(?:支出|金额)?|服务类采购(?:金额)?", "money"),
    _p("procurement.works", "工程类采购金额（万元）", r"(?:政府)?采购工程(?:类)?(?:支出|金额)?|工程类采购(?:金额)?", "money"),
    _p("procurement.actual", "实际采购金额（万元）", r"实际(?:政府)?采购(?:支出)?(?:金额)?(?:合计数?|总额)?", "money"),
    _p("three_public.budget", "“三公”经费预算（万元）", r"三公.?经费(?:预算(?:安排)?(?:数)?|年初预算)", "money"),
    _p("three_public.spent", "“三公”经费实际支出（万元）", r"三公.?经费(?:实际支出|决算)(?:数)?", "money"),
    _p("office_expenses.budget", "日常公用经费调整预算（万元）", r"日常公用经费调整预算(?:数)?", "money"),
    _p("office_expenses.spent", "日常公用经费决算（万元）", r"日常公用经费(?:决算|实际支出)(?:数)?", "money"),
    _p("fixed_assets.total", "固定资产总额（万元）", r"固定资产(?:账面)?(?:原值)?(?:总额|合计)", "money"),
    _p("fixed_assets.in_use", "在用固定资产（万元）", r"在用(?:状态)?(?:的)?(?:固定资产|资产)?(?:原值)?(?:总额)?", "money"),
    _p("staff.authorized", "核定编制数（人）", r"核定(?:在职人员)?编制(?:数)?|(?:行政|事业|工勤)?编制(?:总数|数)", "count"),
    _p("staff.on_payroll", "在编人数（人）", r"实际在编人员|实有在编人(?:员|数)|在编人(?:员|数)", "count", ("编外",)),
    # 在职 is 在编 in some reports and 在编 + 编外 in others: decided in _staff
    _p("staff.in_service", "在职人员（人）", r"(?:实有|实际)?在职人员(?:总数|数)?", "count", ("核定", "编制")),
    _p("staff.contract", "编外人员数（人）", r"实际编外人员|编外人员(?:数)?|劳务派遣人员|(?:实有)?临聘人员", "count"),
    _p("staff.contract_quota", "编外人员核定名额（人）", r"(?:临聘|编外)(?:人员|员)?(?:名额|控制数)", "count"),
    _p("petitions.received", "收到信访件数（件）", r"(?:收到|受理|接到)(?:群众)?信访(?:件)?(?:数量|数)?", "count"),
    _p("projects.planned", "计划完成项目数（个）",
       r"(?:安排|实施)的?(?:二级)?(?:履职)?项目(?:共计|共|总数)|计划完成(?:的)?(?:二级)?项目(?:共计|共|总数)?", "count"),
    _p("projects.on_time", "按时完成项目数（个）", r"按(?:计划)?时(?:间)?完成(?:的)?(?:项目)?(?:数)?", "count"),
    _p("key_tasks.total", "重点工作任务数（项）", r"重点工作(?:任务)?", "count", ("未完成", "未按期")),
    _p("key_tasks.unfinished", "未完成重点工作数（项）", r"(?<=[，,])未完成", "count", sentence_need=("重点工作",)),
    _p("satisfaction", "公众或服务对象满意度（%）", r"满意度(?:得分|调查结果|结果)?|满意度[^。；;]{0,30}?(?:综合)?(?:评分|得分)", "percent", ("≥", "<", "≤", ">")),
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
CHANGE = re.compile(r"(?:比|较)\s*(?:上年|上一年度?|去年|(?:19|20)\d{2}\s*年度?)(?:同期)?(?:年初(?:预算)?(?:数)?)?\s*"
                    r"(增加|减少|增长|下降|增|减|多|少)(?:了)?\s*" + NUM + WAN)
MONEY = re.compile(NUM + WAN)


@dataclass
class Found:
    """A figure for a fact found in an imported report, with the sentence it came from."""

    path: str
    title: str
    kind: str
    value: Decimal
    file: str
    quote: str  # the sentence, shortened
    line: int = 0  # line of the section file the sentence is on (0: unknown)
    note: str = ""  # why this reading (the subject that decided it, a candidate …)
    shown: str = ""  # the value as written into facts.yaml, when not the plain number ({行政: 62, 事业: 21})

    @property
    def where(self) -> str:
        return f"{self.file} 第 {self.line} 行" if self.line else self.file


@dataclass
class Proposal:
    """A fact's value proposed from what an imported report says, with every figure found."""

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


# -- figures whose meaning depends on the sentence's subject ("实际支出" of the 三公 or of the budget)

MEASURE = re.compile(
    r"(?P<adjusted>调整后(?:的)?(?:全年)?(?:部门)?(?:整体支出)?预算(?:数|总额)?|调整预算(?:数)?|预算调整数|"
    r"全年预算(?:数|总额|总规模)?|调整后为)"
    r"|(?P<initial>年初预算(?:数|总额|总规模)?|预算安排(?:数)?|年初批复(?:的)?预算)"
    r"|(?P<spent>实际支出(?:数)?|决算(?:数)?|全年(?:实际)?支出(?:数|总额)?|财政支出|支出(?:总额|数))"
    r"|(?P<any>预算(?:数|金额))"
)
SUBJECT = re.compile(
    r"(?P<three_public>三公)|(?P<office>日常公用经费|日常公用支出)|(?P<public>公用经费|公用支出)"
    r"|(?P<personnel>人员经费|人员支出)|(?P<basic>基本支出)|(?P<project>项目)|(?P<procurement>采购)"
    r"|(?P<assets>资产)|(?P<budget>部门预算|整体支出|部门整体|收支预算)"
)
BY_SUBJECT = {  # (subject, measure) → fact; None: another figure (a project's, last year's …)
    ("budget", "initial"): "budget.initial", ("budget", "adjusted"): "budget.adjusted", ("budget", "spent"): "budget.spent",
    ("three_public", "initial"): "three_public.budget", ("three_public", "adjusted"): "three_public.budget",
    ("three_public", "any"): "three_public.budget", ("three_public", "spent"): "three_public.spent",
    ("office", "adjusted"): "office_expenses.budget", ("office", "any"): "office_expenses.budget",
    ("office", "spent"): "office_expenses.spent",
    **{(part, m): f"budget.{key}{suffix}" for part, key in (("public", "public"), ("personnel", "personnel"),
                                                          ("basic", "basic"), ("project", "project"))
       for m, suffix in (("initial", ""), ("adjusted", "_adjusted"), ("spent", "_spent"))},
}
SUBJECT_WORDS = {"budget": "部门整体", "three_public": "“三公”经费", "office": "日常公用经费", "public": "公用经费",
                 "personnel": "人员经费", "basic": "基本支出", "project": "项目支出"}
OTHER_YEAR = re.compile(r"上年|上一年|去年|同比|(?<!\d)(?:19|20)\d{2}\s*-\s*(?:19|20)\d{2}")


def _sentence_start(text: str, pos: int) -> int:
    """Where the sentence holding `pos` starts: after 。！？ or a line break, or after a ； that
    is not inside brackets (“（公车费用 40.4 万元；公务接待费 0.8 万元）” is one sentence)."""
    depth = 0
    for i in range(pos - 1, -1, -1):
        ch = text[i]
        if ch in "）)":
            depth += 1
        elif ch in "（(":
            depth = max(depth - 1, 0)
        elif ch in "。！？!?\n" or (ch in "；;" and depth == 0):
            return i + 1
    return 0


def _by_subject(text: str, file: str, at) -> list[Found]:  # noqa: ANN001
    out = []
    for match in MEASURE.finditer(text):
        value = re.compile(FILL + NUM + WAN).match(text, match.end())
        if not value:
            continue
        measure = match.lastgroup
        start = _sentence_start(text, match.start())
        before = text[start:match.start()]
        if OTHER_YEAR.search(_clause(text, match.start())) or "季度" in _clause(text, match.start()):
            continue
        subjects = list(SUBJECT.finditer(before))
        subject = subjects[-1].lastgroup if subjects else "budget"
        path = BY_SUBJECT.get((subject, measure))
        if path is None or path not in BY_PATH:
            continue
        spec = BY_PATH[path]
        unit = f"（{spec.unit}）" if spec.unit else ""
        note = f"按句子的主语“{subjects[-1].group(0)}”" if subjects else ""
        out.append(Found(path, spec.title + unit, "money", _number(value.group("v")), file,
                         _sentence(text, match.start(), value.end()), at(match.start()), note))
    return out


QUARTER_WORD = re.compile(r"第?([一二三四1-4])季度")
PROGRESS = re.compile(r"(?P<m>(?:累计)?支出进度|执行进度|预算执行率|支付进度)(?:为|达到?|是)?\s*" + NUM + PCT)


def _quarter_progress(text: str, file: str, at, progress: dict, rates: dict) -> None:  # noqa: ANN001
    """Each quarter's cumulative progress (%), when the text gives percentages, not amounts."""
    for match in PROGRESS.finditer(text):
        start = _sentence_start(text, match.start())
        quarters = list(QUARTER_WORD.finditer(text, start, match.start()))
        if not quarters:
            continue
        raw = quarters[-1].group(1)
        n = "一二三四".find(raw) + 1 or int(raw)
        found = Found("quarterly.progress", "季度末累计支出进度（%）", "money4", _number(match.group("v")), file,
                      _sentence(text, match.start(), match.end()), at(match.start()))
        if match.group("m") == "预算执行率":  # a quarter's 执行率 is its progress only where no 序时进度 is beside it
            end = min((i for i in (text.find(ch, match.end()) for ch in "。；;\n") if i >= 0), default=len(text))
            if "序时" not in text[start:end]:
                rates.setdefault(n, found)
        else:
            progress.setdefault(n, found)


STAFF_KIND = re.compile(r"行政|事业|工勤")
BREAKDOWN = re.compile(r"\s*[（(，,]?\s*(?:其中|含)\s*[：:，,]?\s*((?:(?:行政|事业|工勤)[^\d，,。；;、]{0,6}\d+\s*[人名][、，,和及]?\s*){2,})")
KIND_COUNT = re.compile(r"(行政|事业|工勤)[^\d，,。；;、]{0,6}?(\d+)\s*[人名]")
KEY_TASKS_DONE = re.compile(r"重点工作[^。；;]{0,40}?(?:均|全部|都)(?:已)?按(?:期|时|计划)(?:保质保量|保质)?(?:完成|办结)")
PETITIONS_ALL = re.compile(r"(?:全部|所有)(?:的)?信访(?:件|事项)?(?:均|都)?(?:已)?(?:办理)?(?:回复|办结|答复)")
PETITIONS_LATE = re.compile(r"(?P<v>\d+)\s*件(?:信访件)?(?:超期|逾期)(?:回复|办理|办结)")
ALL_ON_TIME = re.compile(r"(?:所有|全部)(?:的)?项目(?:均|都|全部)?(?:已)?按(?:计划)?(?:时间|时|期)(?:完成|实施完毕)")


def _plain_facts(text: str, file: str, at) -> list[Found]:  # noqa: ANN001
    """Facts that need a look around the figure: 编制 and 在编 by kind, all projects on time."""
    out = []
    for pattern in PATTERNS:
        if pattern.path not in ("staff.authorized", "staff.on_payroll"):
            continue
        for match in pattern.regex.finditer(text):
            start = _sentence_start(text, match.start())
            kinds = list(STAFF_KIND.finditer(text, start, match.start() + len(match.group(0))))
            if not kinds:
                continue
            out.append(Found(pattern.path + ":" + kinds[-1].group(0), pattern.title, "count",
                             _number(match.group("v")), file, _sentence(text, match.start(), match.end()),
                             at(match.start())))
    for pattern in PATTERNS:  # "在编人员85人，其中行政编制64人、事业编制21人": the kinds of that figure
        if pattern.path not in ("staff.authorized", "staff.on_payroll"):
            continue
        for match in pattern.regex.finditer(text):
            rest = BREAKDOWN.match(text, match.end())
            if not rest:
                continue
            for kind in KIND_COUNT.finditer(rest.group(1)):
                out.append(Found(pattern.path + ":" + kind.group(1), pattern.title, "count", _number(kind.group(2)),
                                 file, _sentence(text, match.start(), rest.end()), at(match.start())))
    received = next(iter(PETITIONS_ALL.finditer(text)), None)
    if received:
        for match in next(p for p in PATTERNS if p.path == "petitions.received").regex.finditer(text):
            out.append(Found("petitions.replied", "已办理回复件数（件）", "count", _number(match.group("v")), file,
                             _sentence(text, match.start(), received.end()), at(match.start()),
                             "原文：全部信访件均已办理回复"))
    late = PETITIONS_LATE.search(text)
    if late:
        out.append(Found("petitions.late", "超期回复件数（件）", "count", _number(late.group("v")), file,
                         _sentence(text, late.start(), late.end()), at(late.start())))
    done = KEY_TASKS_DONE.search(text)
    if done:
        out.append(Found("key_tasks.unfinished", "未完成重点工作数（项）", "count", Decimal(0), file,
                         _sentence(text, done.start(), done.end()), at(done.start()), "原文：重点工作均按期完成"))
    if ALL_ON_TIME.search(text):
        for match in next(p for p in PATTERNS if p.path == "projects.planned").regex.finditer(text):
            out.append(Found("projects.on_time", "按时完成项目数（个）", "count", _number(match.group("v")), file,
                             _sentence(text, match.start(), ALL_ON_TIME.search(text).end()), at(match.start()),
                             "原文：所有项目均按计划时间完成"))
    return out


def _staff(found: dict[str, list[Found]]) -> None:
    """在编 / 编制 by kind into one headcount; 在职 as 在编 only when 在编 is not stated."""
    for path in ("staff.authorized", "staff.on_payroll"):
        kinds = {k: v for k, v in found.items() if k.startswith(path + ":")}
        for k in kinds:
            del found[k]
        by_kind: dict[str, Found] = {}
        for k, fs in kinds.items():
            by_kind.setdefault(k.split(":")[1], fs[0])
        if len(by_kind) >= 2:
            total = sum((f.value for f in by_kind.values()), Decimal(0))
            first = next(iter(by_kind.values()))
            mapping = ", ".join(f"{k}: {plain_int(f.value)}" for k, f in by_kind.items())
            merged = Found(path, first.title, "count", total, first.file, first.quote, first.line,
                           "按编制类型分列", f"{{{mapping}}}")
            # the same headcounts stated one by one, or their total, are this figure
            rest = [f for f in found.get(path, []) if f.value not in {x.value for x in by_kind.values()} | {total}]
            found[path] = [merged] + rest
    late = found.pop("petitions.late", [])
    if late and "petitions.replied" in found and "petitions.on_time" not in found:
        f = late[0]
        found["petitions.on_time"] = [Found("petitions.on_time", "按时办理回复件数（件）", "count",
                                            found["petitions.replied"][0].value - f.value, f.file, f.quote, f.line,
                                            f"已办理回复件数减去超期回复的 {plain_int(f.value)} 件")]
    service = found.pop("staff.in_service", [])
    if service and "staff.on_payroll" not in found:
        found["staff.on_payroll"] = [
            Found("staff.on_payroll", f.title.replace("在职人员", "在编人数"), "count", f.value, f.file, f.quote,
                  f.line, "原文写的是“在职人员”，没有单独写在编人数；如在职人员含编外人员，请改填在编人数")
            for f in service]


def plain_int(value: Decimal) -> str:
    return str(int(value)) if value == value.to_integral_value() else str(value)


ADJUST = re.compile(r"(?:年中|年度执行中|执行中|年度中)?(?P<k>调增|追加|调减|收回|调剂|调出)(?:了)?(?:资金|预算|经费)?"
                    + FILL + NUM + WAN)


def _plain_zero(entries: list[tuple[str, str, int]]) -> list[Found]:
    """Zeros said in words: 未收到信访件, 无信访件."""
    out = []
    zero = re.compile(r"(?:未|没有|无)(?:收到|接到|发生|受理)?(?:群众)?信访(?:件|事项|案件)?|信访(?:件|事项)?(?:数量|数)?为?\s*0\s*件|零信访")
    for file, text, line in entries:
        match = zero.search(text)
        if match:
            out.append(Found("petitions.received", "收到信访件数（件）", "count", Decimal(0), file,
                             _sentence(text, match.start(), match.end()),
                             next((n for o, n in reversed(line) if o <= match.start()), 0), "原文说没有信访件"))
    return out


def _where(line: int | list[tuple[int, int]]) -> list[tuple[int, int]]:
    return line if isinstance(line, list) else [(0, line)]


def find_numbers(texts: list[tuple]) -> list[Proposal]:
    """Figures in the narrative that match known facts and metrics. `texts`: (file, text) or
    (file, text, line) — the line of the section file the text starts on."""
    found: dict[str, list[Found]] = {}

    def add(f: Found) -> None:
        same = found.setdefault(f.path, [])
        if not any(x.value == f.value and x.quote == f.quote for x in same):
            same.append(f)

    entries = [(t[0], soften(t[1]), _where(t[2] if len(t) > 2 else 0)) for t in texts]
    initials: list[Decimal] = []
    quarters: dict[int, Found] = {}
    progress: dict[int, Found] = {}
    progress_rates: dict[int, Found] = {}
    previous_text = ""
    for file, text, line in entries:
        def at(pos: int, _text: str = text, _where: list = line) -> int:
            offset, first = next(((o, n) for o, n in reversed(_where) if o <= pos), (0, 0))
            return first + _text.count("\n", offset, pos) if first else 0

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
                if pattern.sentence_need and not any(word in earlier for word in pattern.sentence_need):
                    continue
                try:
                    value = _number(match.group("v"))
                except InvalidOperation:
                    continue
                quote = _sentence(text, match.start(), match.end())
                add(Found(pattern.path, pattern.title, pattern.kind, value, file, quote, at(match.start())))
                if pattern.path == "budget.initial":
                    initials.append(value)
        for f in _by_subject(text, file, at):
            add(f)
            if f.path == "budget.initial":
                initials.append(f.value)
        for match in QUARTER.finditer(text):
            n = "一二三四".find(match.group(1)) + 1 or int(match.group(1))
            quarters.setdefault(n, Found("quarterly.cumulative_spent", "季度末累计支出（万元）", "money4",
                                         _number(match.group("v")), file,
                                         _sentence(text, match.start(), match.end()), at(match.start())))
        _quarter_progress(text, file, at, progress, progress_rates)
        for f in _plain_facts(text, file, at):
            add(f)
        for match in ADJUST.finditer(text):
            clause = _clause(text, match.start())
            if OTHER_YEAR.search(clause) or any(m.lastgroup != "budget" for m in SUBJECT.finditer(clause)):
                continue  # last year's, or a project's or a part's adjustment
            add(Found("budget.adjustments:item", "调整、调剂资金累计（万元）", "money", _number(match.group("v")), file,
                      _sentence(text, match.start(), match.end()), at(match.start()), match.group("k")))
        for match in CHANGE.finditer(text):
            sentence_start = max(text.rfind(ch, 0, match.start()) for ch in "。；;\n") + 1
            before = list(MONEY.finditer(text, sentence_start, match.start()))
            if not before:  # "比2022年减少…" as a sentence of its own: against the figure just before
                earlier = text[:sentence_start] or previous_text
                before = list(MONEY.finditer(earlier))
                before = before[-1:] if before else []
            if not before:
                continue
            base = _number(before[-1].group("v"))
            if base not in initials and not any(base == f.value for f in found.get("budget.initial", [])):
                continue
            change = _number(match.group("v"))
            previous = base - change if match.group(1) in ("增加", "增长", "增", "多") else base + change
            add(Found("budget.previous_initial", "上年年初预算（万元，由“比上年增减”推算）", "money", previous, file,
                      _sentence(text, match.start(), match.end()), at(match.start())))
        previous_text = text
    _staff(found)
    items = found.pop("budget.adjustments:item", [])
    if items and "budget.adjustments" not in found:  # no total stated: the adjustments stated, added up
        found["budget.adjustments"] = items[:1]
    if len(items) > 1 and found["budget.adjustments"] == items[:1]:
        distinct = list({f.value: f for f in items}.values())
        total = sum((f.value for f in distinct), Decimal(0))
        note = "、".join(f"{f.note} {plain_int(f.value)}" for f in distinct)
        found["budget.adjustments"] = [Found("budget.adjustments", items[0].title, "money", total, items[0].file,
                                             items[0].quote, items[0].line, f"各项相加：{note}")]
    for f in _plain_zero(entries):
        add(f)
    proposals = [Proposal(p, fs[0].title, fs[0].kind, fs) for p, fs in found.items()]
    if len(quarters) == 4:
        parts = [quarters[n] for n in (1, 2, 3, 4)]
        proposals.append(Proposal("quarterly.cumulative_spent", "季度末累计支出（万元）", "money4", parts))
    else:  # only the progress percentages: 支出进度, or 预算执行率 where no 序时进度 is beside it
        shares = {n: progress.get(n) or progress_rates.get(n) for n in (1, 2, 3, 4)}
        if all(shares.values()):
            proposals.append(Proposal("quarterly.progress", "季度末累计支出进度（%）", "money4",
                                      [shares[n] for n in (1, 2, 3, 4)]))
    proposals = [p for p in proposals if p.path in BY_PATH or p.kind == "rate"]  # keys the facts file has
    order = [f.path for f in FIELDS] + [p.path for p in PATTERNS]
    proposals.sort(key=lambda p: order.index(p.path) if p.path in order else len(order))
    return proposals
