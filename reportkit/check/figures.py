"""Numbers typed in the narrative that contradict the facts, the metrics or the scores.

The checks read the rendered text line by line (assemble/traced.py Line), so every finding
names the source file and line. Only characters the author typed are checked: a number a
`{{ }}` expression produced agrees with its fact by construction.

A number is tied to a fact or metric only when it follows one of the names below closely —
the name, at most a short connecting word (为、达到、：…), then the number with its unit —
so "满意度为85.34%" is checked and "满意度达到 85%以上" or "80%≤满意度<90%的" are not. A
number agrees when it is the value at the precision it is written with (rounded or
truncated): "执行率为95.6%" agrees with 95.63%.

In pipe tables a number is tied to a name in the cell before it ("| 满意度 | 85.34% |"), or,
in a quarter's row, to a quarterly name heading its column ("| 第一季度 | … | 85.07% |");
columns headed by another year, 上年 or a project are about something else.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass, replace
from decimal import Decimal
from fractions import Fraction
from functools import lru_cache
from typing import Any

from ..assemble import MAX_LINE_CHARS
from ..compute import NEEDS, Framework, Rate, Scores, score_indicator
from ..findings import ERROR, NOTICE, NUMBERS, SCORES, WARNING, Finding
from ..load import BY_PATH, Facts
from ..numbers import money, percent, plain, quantize
from . import subjects as S
from .arithmetic import check_paragraph, check_tables
from .sections import Rendered
from .text import AMOUNT, MONEY_UNITS, hedged, normalize
from .text import Text as _Text

RATE, MONEY, PERCENT, COUNT, SCORE = "rate", "money", "percent", "count", "score"
QUARTER = "quarters."  # a target that depends on the quarter the sentence speaks of
CN_QUARTERS = "一二三四"
# A measure whose subject is read from the text (执行率 of the department, of 项目支出, of a
# project); "@rate" → SUBJECT_FACTS[(subject, "rate")].
GENERIC = "@"

# (names as authors write them, the fact or metric, its kind, its subject). The first name is
# the title. A name with its own subject (政府采购执行率) is compared unless the text puts it in
# another year, month or sub-unit; a generic name only when the text is about that subject.
TERMS: tuple[tuple[tuple[str, ...], str, str, str | None], ...] = (
    (("全年平均执行率", "全年平均预算执行率", "平均预算执行率", "平均执行率", "季度平均执行率"),
     "quarterly.average_rate", RATE, S.DEPARTMENT),
    (("政府采购执行率", "政府采购执行", "采购执行率", "政府采购预算执行率", "政府采购完成率"), "procurement.rate", RATE, S.PROCUREMENT),
    (("固定资产利用率", "固定资产使用率"), "fixed_assets.use_rate", RATE, S.FIXED_ASSETS),
    (("使用率", "利用率"), GENERIC + "use_rate", RATE, None),
    (("财政供养人员控制率",), "staff.control_rate", RATE, S.DEPARTMENT),
    (("编外人员控制率",), "staff.contract_rate", RATE, S.DEPARTMENT),
    (("三公经费控制率",), "three_public.control_rate", RATE, S.THREE_PUBLIC),
    (("日常公用经费控制率",), "office_expenses.control_rate", RATE, S.PUBLIC),
    (("项目完成及时率", "项目按时完成率"), "projects.on_time_rate", RATE, S.DEPARTMENT),
    (("信访办理回复率", "信访回复率"), "petitions.reply_rate", RATE, S.DEPARTMENT),
    (("信访及时办理回复率", "及时办理回复率", "及时回复率"), "petitions.on_time_rate", RATE, S.DEPARTMENT),
    (("调整、调剂比例", "调整调剂比例", "调剂比例", "调整比例"), "budget.adjustment_ratio", RATE, S.DEPARTMENT),
    (("公众满意度", "群众满意度", "服务对象满意度", "公众或服务对象满意度", "社会满意度", "整体满意度", "综合满意度"),
     "satisfaction", PERCENT, S.DEPARTMENT),
    (("满意度",), GENERIC + "satisfaction", PERCENT, None),
    (("预算执行率", "总执行率", "执行率", "预算完成率", "预算支出完成率"),
     GENERIC + "rate", RATE, None),
    (("支出进度", "累计支出进度", "执行进度", "预算执行进度"), GENERIC + "progress", RATE, None),
    # measures that no fact holds: recognised so that 执行率 inside them is not read alone
    (("当季执行率", "当季预算执行率", "季度执行率偏差", "序时进度", "资金到位率", "支付率", "办结率", "完成率"),
     "", RATE, None),
    (("累计支出", "累计支出数"), GENERIC + "cumulative", MONEY, None),
    (("上年年初预算",), "budget.previous_initial", MONEY, S.DEPARTMENT),
    (("年初预算", "年初预算数", "年初预算总额"), GENERIC + "initial", MONEY, None),
    (("调整后预算", "调整后全年预算", "全年预算总额", "调整后预算数"), GENERIC + "adjusted", MONEY, None),
    (("全年支出", "全年实际支出", "全年决算支出", "全年支出数"), GENERIC + "spent", MONEY, None),
    (("政府采购计划金额", "采购计划金额", "政府采购计划"), "procurement.plan", MONEY, S.PROCUREMENT),
    (("实际采购金额", "实际政府采购金额", "实际政府采购支出"), "procurement.actual", MONEY, S.PROCUREMENT),
    (("三公经费预算", "三公经费调整预算"), "three_public.budget", MONEY, S.THREE_PUBLIC),
    (("三公经费实际支出", "三公经费决算", "三公经费支出"), "three_public.spent", MONEY, S.THREE_PUBLIC),
    (("日常公用经费调整预算", "日常公用经费预算"), "office_expenses.budget", MONEY, S.PUBLIC),
    (("日常公用经费决算", "日常公用经费实际支出", "日常公用经费支出"), "office_expenses.spent", MONEY, S.PUBLIC),
    (("固定资产原值总额", "固定资产总额"), "fixed_assets.total", MONEY, S.FIXED_ASSETS),
    (("在用固定资产原值总额", "在用固定资产"), "fixed_assets.in_use", MONEY, S.FIXED_ASSETS),
    (("核定编制数", "核定编制"), "staff.authorized_total", COUNT, S.DEPARTMENT),
    (("在编人数", "实有在编人数"), "staff.on_payroll_total", COUNT, S.DEPARTMENT),
    (("编外人员数", "编外人员"), "staff.contract", COUNT, S.DEPARTMENT),
    (("计划完成项目数", "计划项目数"), "projects.planned", COUNT, S.DEPARTMENT),
    (("按时完成项目数",), "projects.on_time", COUNT, S.DEPARTMENT),
    (("自评评分", "自评总分", "自评得分", "总得分"), "total", SCORE, S.DEPARTMENT),
)
_BY_WORD = {word: (words[0], target, kind, subject) for words, target, kind, subject in TERMS for word in words}
_TERM = re.compile("|".join(re.escape(w) for w in sorted(_BY_WORD, key=len, reverse=True)))

# (subject, generic measure) → the facts or metrics it may be compared with, the first present
# one is used. Keys of the budget structure are used once the facts define them.
SUBJECT_FACTS: dict[tuple[str, str], tuple[str, ...]] = {
    (S.DEPARTMENT, "rate"): ("budget.execution_rate",),
    (S.DEPARTMENT, "initial"): ("budget.initial",),
    (S.DEPARTMENT, "adjusted"): ("budget.adjusted",),
    (S.DEPARTMENT, "spent"): ("budget.spent",),
    (S.DEPARTMENT, "satisfaction"): ("satisfaction",),
    (S.FIXED_ASSETS, "use_rate"): ("fixed_assets.use_rate",),
    (S.PROCUREMENT, "rate"): ("procurement.rate",),
    (S.THREE_PUBLIC, "rate"): ("three_public.control_rate",),
    (S.BASIC, "initial"): ("budget.basic",),
    (S.BASIC, "adjusted"): ("budget.basic_adjusted",),
    (S.BASIC, "spent"): ("budget.basic_spent",),
    (S.BASIC, "rate"): ("budget.basic_execution_rate",),
    (S.PROJECT, "initial"): ("budget.project",),
    (S.PROJECT, "adjusted"): ("budget.project_adjusted",),
    (S.PROJECT, "spent"): ("budget.project_spent",),
    (S.PROJECT, "rate"): ("budget.project_execution_rate",),
    (S.PERSONNEL, "initial"): ("budget.personnel",),
    (S.PERSONNEL, "adjusted"): ("budget.personnel_adjusted",),
    (S.PERSONNEL, "spent"): ("budget.personnel_spent",),
    (S.PERSONNEL, "rate"): ("budget.personnel_execution_rate",),
    (S.PUBLIC, "initial"): ("budget.public",),
    (S.PUBLIC, "adjusted"): ("budget.public_adjusted",),
    (S.PUBLIC, "spent"): ("budget.public_spent",),
    (S.PUBLIC, "rate"): ("budget.public_execution_rate",),
}
# Money facts of the department's budget: a sentence whose amounts are none of these is not
# about the department's budget as a whole.
DEPARTMENT_AMOUNTS = ("budget.initial", "budget.adjusted", "budget.spent")

# The facts a rate divides, as the scoring rules name them (for what a typed rate implies).
RATIO_FACTS = {
    "procurement.rate": ("procurement.actual", "procurement.plan"),
    "fixed_assets.use_rate": ("fixed_assets.in_use", "fixed_assets.total"),
    "three_public.control_rate": ("three_public.spent", "three_public.budget"),
    "office_expenses.control_rate": ("office_expenses.spent", "office_expenses.budget"),
    "projects.on_time_rate": ("projects.on_time", "projects.planned"),
    "petitions.reply_rate": ("petitions.replied", "petitions.received"),
    "petitions.on_time_rate": ("petitions.on_time", "petitions.received"),
}

_NUM = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
_UNITS = r"万元|亿元|元|%|分|人|名|个|项|件"
# Spaces only: a tab or | between a name and a number is a table cell boundary.
_CONNECT = r" *的? *(?:总规模|总额|金额|合计|总数|安排数|预算数|决算数|人数|得分|结果|规模|数|额|值)? *(?:为|是|达到|达|仅为|共计|共|合计|:)? *"
_STATED = re.compile(rf"{_CONNECT}({_NUM}) *({_UNITS})?")
_LIST = re.compile(rf"\s*(?:分别为|分别是|依次为|依次是)\s*((?:{_NUM})\s*%?(?:\s*(?:、|,|和|及|与)\s*(?:{_NUM})\s*%?)+)")
_HEDGE = re.compile(r"\s*(?:以上|以下|以内|左右|多|余|上下|之间|至|到|~|-)")
_CLAUSE_END = re.compile(r"[。；;！？!?]|,(?!\d{3})")
_SENTENCE_END = re.compile(r"[。；;！？!?]")
_QUARTER = re.compile(r"(?<![年全各分每])第?((?:[一二三四1-4][、,和及与至到]?)+)季度")
_FORMULA = re.compile(
    rf"Σ?\s*\(\s*((?:{_NUM})\s*%?(?:\s*\+\s*(?:{_NUM})\s*%?)+)\s*\)\s*[÷/]\s*(\d+)\s*=\s*({_NUM})\s*(%?)"
)
_DOUBLED = re.compile(r"(万元|亿元|%)\s*\1")
_RULE_TEXT = re.compile(r"[≥≤<>=×÷|\t]|如|若|大于|小于|超过|低于|高于|不足|本项|每|的 *,? *$")
_SCORE_STATED = re.compile(rf"(?<!满)得分?\s*(?:为|是)?\s*({_NUM})\s*分")
_FULL_STATED = re.compile(rf"满分\s*(?:为|是)?\s*({_NUM})\s*分")

# Rates as numerator ÷ denominator facts, for saying how the expected value was computed.
_RATIOS = {
    **RATIO_FACTS,
    "budget.execution_rate": ("budget.spent", "budget.adjusted"),
    **{f"budget.{b}_execution_rate": (f"budget.{b}_spent", f"budget.{b}_adjusted")
       for b in ("basic", "project", "personnel", "public")},
}
_QUARTER_TITLES = {"rate": "预算执行率", "progress": "支出进度", "cumulative": "末累计支出"}


def sentence_bounds(text: str, pos: int) -> tuple[int, int]:
    """The sentence (or ;-clause) holding `pos`: where subject words are looked for."""
    ends = _sentence_ends(text)  # found once per line, not once per figure in it
    k = bisect_left(ends, pos)
    return (ends[k - 1] + 1 if k else 0), (ends[k] if k < len(ends) else len(text))


@lru_cache(maxsize=8)
def _sentence_ends(text: str) -> list[int]:
    return [m.start() for m in _SENTENCE_END.finditer(text)]


def _decimal(text: str) -> Decimal:
    return Decimal(text.replace(",", ""))


def agrees(typed: Decimal, value: Fraction) -> bool:
    """The value shown with as many decimals as the author wrote, rounded or truncated."""
    decimals = max(0, -typed.as_tuple().exponent)
    return typed in (quantize(value, decimals, "half_up"), quantize(value, decimals, "truncate"))


def _reference(name: str, kind: str, decimals: int) -> str:
    if kind == RATE:
        return f"{{{{ {name} | pct }}}}" if decimals == 2 else f"{{{{ {name} | pct({decimals}) }}}}"
    if kind == MONEY:
        return f"{{{{ {name} | wan }}}}"
    return f"{{{{ {name} }}}}"


def _shown(value: Fraction, kind: str, decimals: int) -> str:
    if kind == RATE:
        return percent(value, max(2, decimals))
    if kind == MONEY:
        return f"{money(value)} 万元"
    return plain(Decimal(value.numerator) / Decimal(value.denominator)) if value.denominator != 1 else str(value)


@dataclass
class _Context:
    """What the number checks of one section file compare its text against."""

    file: str
    facts_file: str  # content/facts.yaml
    facts: Facts
    framework: Framework
    metrics: dict[str, Any]
    scores: Scores


class _Checker:
    def __init__(self, ctx: _Context):
        self.ctx = ctx
        self.findings: list[Finding] = []
        self.skipped: list[Finding] = []  # comparisons left out, and why (--explain)
        self.paragraph: S.Subject | None = None  # what the current heading or list item is about
        self.heading: S.Subject | None = None
        self.heading_text: str | None = None
        self.item_text: str | None = None  # the title of the list item the line starts with
        scores = ctx.scores
        self.named = {s.indicator.name: (s.final, Fraction(s.indicator.weight), s) for s in scores.indicators}
        self.named.update({lv.name: (lv.score, Fraction(lv.weight), None) for lv in scores.levels})
        self.names = re.compile("|".join(re.escape(n) for n in sorted(self.named, key=len, reverse=True)) or "(?!)")

    # ---- values ------------------------------------------------------------------
    def value(self, name: str) -> list[Fraction]:
        """The candidates a stated number may be (more than one where authors use either)."""
        m = self.ctx.metrics
        if name == "total":
            return [Fraction(self.ctx.scores.total)] if self.ctx.scores.total is not None else []
        if name == "budget.adjustment_ratio":
            names = ["budget.adjustment_ratio_adjusted", "budget.adjustment_ratio_initial"]
            return [Fraction(m[n]) for n in names if m.get(n) is not None]
        item = re.fullmatch(r"projects\.list\[(\d+)\]\.(\w+)", name)
        if item:
            items = m.get("projects.list") or []
            value = items[int(item[1])].get(item[2]) if int(item[1]) < len(items) else None
            return [Fraction(value)] if value is not None else []
        match = re.fullmatch(r"quarters\[(\d)\]\.(\w+)", name)
        if match:
            quarters = m.get("quarters") or []
            value = quarters[int(match[1])][match[2]] if quarters else None
            if value is not None and match[2] == "rate":  # a quarter's 执行率 is its progress to some
                return [Fraction(value), Fraction(quarters[int(match[1])]["progress"])]
        else:
            value = m.get(name)
        if value is None or isinstance(value, dict):
            return []
        split = m.get(name.removesuffix("_total")) if name.endswith("_total") else None
        parts = [Fraction(v) for v in split.values()] if isinstance(split, dict) else []
        return [Fraction(value), *parts]  # 在编 70 人, or 行政编制 54 人 of them

    def where(self, name: str) -> str:
        """Where the value comes from: the fact's line, or how it is computed from the facts."""
        if name in BY_PATH:
            line = self.ctx.facts.line(name)
            return f"（{self.ctx.facts_file}:{line}）" if line else ""
        ratio = _RATIOS.get(name)
        if ratio and all(self.ctx.facts.has(p) for p in ratio):
            a, b = (self.ctx.facts.get(p) for p in ratio)
            unit = " 万元" if BY_PATH[ratio[0]].kind == "money" else ""
            shown = (lambda v: money(v)) if unit else (lambda v: str(v))
            return (f"（{BY_PATH[ratio[0]].title} {shown(a)}{unit} ÷ {BY_PATH[ratio[1]].title} {shown(b)}{unit}，"
                    f"{self.ctx.facts_file}:{self.ctx.facts.line(ratio[0])}）")
        needs = NEEDS.get("quarterly.rates" if name.startswith("quarters[") else name)
        return f"（由 {'、'.join(needs)} 计算）" if needs else ""

    def add(self, severity: str, text: _Text, start: int, message: str, suggestion: str | None = None,
            group: str = NUMBERS) -> None:
        self.findings.append(Finding(severity, group, message, self.ctx.file, text.line(start), suggestion=suggestion))

    # ---- the checks ----------------------------------------------------------------
    def line(self, text: _Text) -> None:
        for m in _DOUBLED.finditer(text.text):
            self.add(ERROR, text, m.start(), f"单位重复：“{m.group(0)}”", m.group(1))
        used = self.formulas(text)
        self.stated(text, used)
        self.declared_scores(text)

    def formulas(self, text: _Text) -> list[tuple[int, int]]:
        spans = []
        for m in _FORMULA.finditer(text.text):
            spans.append(m.span())
            terms = [_decimal(t) for t in re.findall(_NUM, m[1])]
            divisor, result = int(m[2]), _decimal(m[3])
            unit = "%" if m[4] or "%" in m[1] else ""
            decimals = max(0, -result.as_tuple().exponent)
            if divisor != len(terms):
                continue  # the arithmetic checks say so
            sentence = self.sentence(text.text, m.start())
            rates = self.value("quarterly.average_rate")
            if divisor == 4 and unit and rates and ("执行率" in sentence or "季度" in sentence):
                self.quarter_list(text, m.start(), terms, "rate", RATE, "算式中")
                if not agrees(result, rates[0] * 100):
                    self.add(WARNING, text, m.start(),
                             f"算式结果 {result}% 与全年平均执行率 {percent(rates[0])} 不符",
                             _reference("quarterly.average_rate", RATE, decimals))
        return spans

    def quarter_list(self, text: _Text, start: int, stated: list[Decimal], field: str, kind: str, where: str) -> None:
        titles = {"rate": "预算执行率", "progress": "支出进度", "cumulative": "末累计支出"}
        for i, typed in enumerate(stated):
            name = f"quarters[{i}].{field}"
            values = self.value(name)
            if not values:
                return
            scale = 100 if kind == RATE else 1
            if not agrees(typed, values[0] * scale):
                decimals = max(0, -typed.as_tuple().exponent)
                unit = "%" if kind == RATE else " 万元"
                self.add(WARNING, text, start,
                         f"{where}第 {i + 1} 项 {typed}{unit} 与第{CN_QUARTERS[i]}季度{titles[field]} "
                         f"{_shown(values[0], kind, decimals)} 不符", _reference(name, kind, decimals))

    @staticmethod
    def sentence(text: str, pos: int) -> str:
        starts = [m.end() for m in _SENTENCE_END.finditer(text, 0, pos)]
        end = _SENTENCE_END.search(text, pos)
        return text[starts[-1] if starts else 0: end.start() if end else len(text)]

    def quarter(self, sentence: str) -> int | None | str:
        """The one quarter a sentence speaks of (0–3); None if none; "many" if several."""
        found = set()
        for m in _QUARTER.finditer(sentence):
            found |= {"一二三四1234".index(c) % 4 for c in m[1] if c in "一二三四1234"}
        if len(found) == 1:
            return found.pop()
        return "many" if found or "季度" in sentence else None

    def target(self, target: str, sentence: str) -> str | None:
        if not target.startswith(QUARTER):
            return target
        field = target[len(QUARTER):]
        quarter = self.quarter(sentence)
        if isinstance(quarter, int):
            return f"quarters[{quarter}].{field}"
        if quarter is None and field == "rate":
            return "budget.execution_rate"
        return None

    def subject(self, s: str, start: int, floor: int, inherent: str | None) -> S.Subject:
        """What the name at `start` is about (see subjects.py); `floor` starts its sentence."""
        year = self.ctx.facts.get("report.year")
        found = S.compound(s, start, year)
        if inherent:
            if found and found.name in (*S.ELSEWHERE, S.ITEM) and found.certain:
                return found  # 某某项目政府采购执行率, 2020年固定资产利用率
            near = S.in_sentence(s, floor, start, year, kinds=(*S.ELSEWHERE, S.DEPARTMENT))
            if near and near.name in S.ELSEWHERE:
                return near
            return S.Subject(inherent, True, "")
        return (found or S.in_sentence(s, floor, start, year) or self.paragraph
                or S.Subject(S.DEPARTMENT, False, ""))

    def resolve(self, target: str, subject: S.Subject, sentence: str) -> tuple[str | None, str]:
        """The fact or metric a generic measure names for this subject, or None and why not."""
        measure = target[len(GENERIC):]
        if subject.name in (S.DEPARTMENT, S.QUARTER) and measure in ("rate", "progress", "cumulative"):
            quarter = self.quarter(sentence)
            if isinstance(quarter, int):
                return f"quarters[{quarter}].{measure}", ""
            if subject.name == S.QUARTER or quarter == "many":
                return None, "句中说的是哪一个季度不明确"
            if measure != "rate":
                return None, "未说明是哪一季度的进度"
        if subject.name.startswith("projects.list["):
            field = {"rate": "execution_rate"}.get(measure, measure)
            name = f"{subject.name}.{field}"
            return (name, "") if self.value(name) else (None, f"项目明细中“{subject.why}”没有这个数")
        names = SUBJECT_FACTS.get((subject.name, measure), ())
        present = [n for n in names if self.value(n)]
        if not present:
            why = f"说的是{subject.title}（“{subject.why}”）" if subject.why else f"说的是{subject.title}"
            return None, why + "，事实文件中没有对应的数字" if names else why
        return present[0], ""

    def project(self, s: str, floor: int, start: int) -> tuple[int, str] | None:
        """The one project of projects.list the sentence (or its heading) names, if any."""
        items = self.ctx.metrics.get("projects.list") or []
        where = " ".join((s[floor:start], self.heading_text or "", self.item_text or ""))
        named = [(i, p["name"]) for i, p in enumerate(items)
                 if p["name"] and (p["name"] in where or p["name"].removesuffix("项目") in where)]
        return named[0] if len(named) == 1 else None

    def department_amounts(self) -> list[Fraction]:
        m = self.ctx.metrics
        values = [Fraction(m[n]) for n in DEPARTMENT_AMOUNTS if m.get(n) is not None]
        values += [Fraction(q["cumulative"]) for q in m.get("quarters") or [] if q.get("cumulative") is not None]
        return values

    def foreign_amounts(self, text: _Text, a: int, b: int, own: tuple[int, int] | None) -> bool:
        """The sentence states amounts and none is one of the department's budget totals: it is
        about something else (a project's 预算10万元……执行率97.11%)."""
        known = self.department_amounts()
        typed = [Fraction(_decimal(m[1])) * MONEY_UNITS[m[2]] for m in AMOUNT.finditer(text.text, a, b)
                 if not (own and m.start(1) == own[0])]
        if not typed or not known:
            return False
        return not any(abs(v - k) <= Fraction(1, 100) for v in typed for k in known)

    def skip(self, text: _Text, start: int, phrase: str, why: str) -> None:
        self.skipped.append(Finding(NOTICE, NUMBERS, f"未比较“{phrase}”：{why}", self.ctx.file, text.line(start)))

    def stated(self, text: _Text, used: list[tuple[int, int]]) -> None:
        s = text.text
        for m in _TERM.finditer(s):
            if any(a <= m.start() < b for a, b in used):
                continue
            title, target, kind, inherent = _BY_WORD[m[0]]
            if not target:
                continue  # a measure no fact holds (当季执行率, 资金到位率)
            a, b = sentence_bounds(s, m.start())
            sentence = s[a:b]
            listed = _LIST.match(s, m.end())
            stated = None if listed else _STATED.match(s, m.end())
            if listed is None and (stated is None or not text.by_author(stated.start(1), stated.end(1))):
                continue
            phrase = s[m.start():(listed or stated).end()].strip()
            subject = self.subject(s, m.start(), a, inherent)
            if subject.name == S.ITEM and target.startswith(GENERIC):
                project = self.project(s, a, m.start())
                if project is not None:
                    subject = S.Subject(f"projects.list[{project[0]}]", True, project[1])
            if subject.name in (*S.ELSEWHERE, S.ITEM) or (inherent is None and subject.name not in
                                                           (S.DEPARTMENT, S.QUARTER) and not target.startswith(GENERIC)):
                self.skip(text, m.start(), phrase, f"说的是{subject.title}（“{subject.why}”）")
                continue
            if listed:
                if target in (GENERIC + "rate", GENERIC + "progress", GENERIC + "cumulative") and \
                        subject.name in (S.DEPARTMENT, S.QUARTER):
                    values = [_decimal(v) for v in re.findall(_NUM, listed[1])]
                    if len(values) == 4:
                        field = target[len(GENERIC):]
                        self.quarter_list(text, listed.start(1), values, field, kind, f"“{m[0]}”所列")
                continue
            if hedged(s, stated.start(1), stated.end()) or re.match(r"\s*均", s[m.end():]):
                self.skip(text, m.start(), phrase, "写的是约数、范围或多项共同的值，不是确切的数")
                continue
            name, why = (target, "") if not target.startswith(GENERIC) else self.resolve(target, subject, sentence)
            if name is None:
                self.skip(text, m.start(), phrase, why)
                continue
            if inherent is None and subject.name == S.DEPARTMENT and kind in (RATE, PERCENT, MONEY) and self.foreign_amounts(
                    text, a, b, (stated.start(1), stated.end(1)) if kind == MONEY else None):
                self.skip(text, m.start(), phrase, "句中的金额都不是部门整体的预算或支出，说的应是其他事项")
                continue
            self.compare(text, m[0], title, name, kind, _decimal(stated[1]), stated[2], stated.start(1),
                         phrase, certain=subject.certain)

    def compare(self, text: _Text, word: str, title: str, name: str, kind: str, typed: Decimal,
                unit: str | None, start: int, written: str, certain: bool = True) -> None:
        accepted = {RATE: ("%",), PERCENT: ("%", "分"), MONEY: ("万元", "元", "亿元"),
                    COUNT: ("人", "名", "个", "项", "件"), SCORE: ("分",)}[kind]
        if unit not in accepted:
            return
        values = self.value(name)
        if not values:
            if kind == RATE:
                self.implied_scores(text, start, word, name, Fraction(typed) / 100, f"{typed}%")
            return
        # the value (万元 for money, a ratio for rates) in the unit the author wrote
        scale = {"%": Fraction(100), "元": Fraction(10000), "亿元": Fraction(1, 10000)}.get(unit or "", Fraction(1))
        if kind == PERCENT:
            scale = Fraction(1)
        if any(agrees(typed, v * scale) for v in values):
            return
        decimals = max(0, -typed.as_tuple().exponent)
        quarter = re.fullmatch(r"quarters\[(\d)\]\.(\w+)", name)
        label = f"第{CN_QUARTERS[int(quarter[1])]}季度{title}" if quarter else title
        self.add(WARNING, text, start,
                 f"“{written}”与{'评分' if kind == SCORE else '事实'}不符：{label}为 "
                 f"{_shown(values[0], kind, decimals)}{self.where(name)}",
                 _reference(name, kind, decimals) if certain else None, group=SCORES if kind == SCORE else NUMBERS)

    def implied_scores(self, text: _Text, start: int, word: str, name: str, stated: Fraction, written: str) -> None:
        """A rate whose facts are missing: does the score the author gives fit the rate written?"""
        ctx = self.ctx
        for s in ctx.scores.indicators:
            if s.final is None or not any(
                p.params.get("metric") == name
                or (name in RATIO_FACTS and (p.params.get("numerator"), p.params.get("denominator")) == RATIO_FACTS[name])
                for p in s.indicator.parts
            ):
                continue
            patched = dict(ctx.metrics)
            patched[name] = Rate(stated)
            if name in RATIO_FACTS:
                numerator, denominator = RATIO_FACTS[name]
                patched[numerator], patched[denominator] = stated, Fraction(1)
            implied = score_indicator(s.indicator, ctx.framework, ctx.facts, patched).computed
            if implied is None or implied == s.final:
                continue
            why = f"（覆盖得分，原因：{s.override.reason}）" if s.override else ""
            self.add(WARNING, text, start,
                     f"正文写“{word}”{written}，按评分规则“{s.indicator.name}”应得 {implied} 分，"
                     f"而评分为 {s.final} 分{why}；请核对二者，并在事实文件中填写计算所需的事实",
                     group=SCORES)

    def declared_scores(self, text: _Text) -> None:
        named = self.named
        s = text.text
        matches = list(self.names.finditer(s))
        for i, m in enumerate(matches):
            stop = _SENTENCE_END.search(s, m.end())
            end = min(stop.start() if stop else len(s), matches[i + 1].start() if i + 1 < len(matches) else len(s))
            final, weight, indicator = named[m[0]]
            full = _FULL_STATED.search(s, m.end(), end)
            if full and text.by_author(full.start(1), full.end(1)) and Fraction(_decimal(full[1])) != weight:
                self.add(WARNING, text, full.start(1),
                         f"“{m[0]}”写作满分 {full[1]} 分，评价指标体系中分值为 {plain_f(weight)} 分", group=SCORES)
            got = _SCORE_STATED.search(s, m.end(), end)
            if not got or final is None or not text.by_author(got.start(1), got.end(1)):
                continue
            if _RULE_TEXT.search(s[m.end():got.start()]):
                continue  # the rule text ("…≥90%的，得1分", "如…，本项得0分") or another table cell
            typed = _decimal(got[1])
            if typed == final:
                continue
            ref = f'{{{{ scores["{m[0]}"] }}}}' if indicator else f'{{{{ levels["{m[0]}"].score }}}}'
            extra = ""
            if indicator is not None and indicator.override is not None:
                computed = "无法计算（缺少事实）" if indicator.computed is None else f"{indicator.computed} 分"
                extra = f"（覆盖得分；规则计算 {computed}）"
            self.add(WARNING, text, got.start(1),
                     f"正文写“{m[0]}”得 {typed} 分，评分结果为 {final} 分{extra}", ref, group=SCORES)


def _cells(text: str) -> list[tuple[int, str]]:
    """A pipe-table row split into (offset, stripped text) per cell; escaped \\| stays in."""
    bounds = [m.start() for m in re.finditer(r"(?<!\\)\|", text)]
    if not bounds:
        return []
    if text[: bounds[0]].strip():
        bounds.insert(0, -1)  # a row written without the leading |
    if text[bounds[-1] + 1:].strip():
        bounds.append(len(text))
    cells = []
    for a, b in zip(bounds, bounds[1:], strict=False):
        raw = text[a + 1:b]
        cells.append((a + 1 + len(raw) - len(raw.lstrip()), raw.strip()))
    return cells


_DELIMITER = re.compile(r"^\s*\|?\s*:?-+:?\s*(\|\s*:?-+:?\s*)*\|?\s*$")
# A table cell that is just a name, with its unit in brackets: "满意度", "年初预算(万元)".
_LABEL = re.compile(rf"^(?P<name>[^()]+?)\s*(?:\((?P<unit>{_UNITS})\))?$")
_CELL_NUMBER = re.compile(rf"^({_NUM})\s*({_UNITS})?$")


class _Table:
    """The pipe table being read: its header cells, once the delimiter row has been seen."""

    def __init__(self) -> None:
        self.header: list[str] | None = None
        self.pending: list[str] | None = None  # the row before a possible delimiter row

    def feed(self, text: str) -> bool:
        """True when `text` is a body row of a table (its header then in self.header)."""
        if "|" not in text:
            self.header = self.pending = None
            return False
        if self.pending is not None and _DELIMITER.match(text):
            self.header, self.pending = self.pending, None
            return False
        if self.header is None:
            self.pending = [c for _, c in _cells(text)]
            return False
        return True


def _label(cell: str) -> tuple[str, str | None] | None:
    """The name and the unit of a label cell that is exactly one of the TERMS."""
    m = _LABEL.match(cell)
    if not m or m["name"] not in _BY_WORD:
        return None
    return m["name"], m["unit"]


_ELSEWHERE_COLUMN = (*S.ELSEWHERE, S.ITEM, S.PROJECT, S.BASIC, S.PERSONNEL, S.PUBLIC)


def check_table_row(checker: _Checker, text: _Text, header: list[str]) -> None:
    """Typed numbers in a table: a name cell and the number in the next cell ("满意度 | 85.34%"),
    or a quarter's row under a column named by a quarterly term ("第一季度 | … | 85.07%")."""
    cells = _cells(text.text)
    row = " ".join(c for _, c in cells)
    year = checker.ctx.facts.get("report.year")
    quarter = checker.quarter(cells[0][1]) if cells else None
    for j, (start, cell) in enumerate(cells):
        number = _CELL_NUMBER.match(cell)
        if not number or not text.by_author(start, start + len(number[1])):
            continue
        head = header[j] if j < len(header) else ""
        about_column = S.in_sentence(head, 0, len(head), year, kinds=_ELSEWHERE_COLUMN)
        if about_column is not None and about_column.name != S.DEPARTMENT:
            continue  # a column of last year's or a project's figures
        named = _label(cells[j - 1][1]) if j else None
        column = _label(head) if j and isinstance(quarter, int) else None
        if named:
            (word, unit_in_label), sentence = named, row
            owner = cells[0][1] if j - 1 > 0 else ""  # the row's own name, when the label is not it
        elif column and _BY_WORD[column[0]][1] in (GENERIC + "rate", GENERIC + "progress", GENERIC + "cumulative"):
            (word, unit_in_label), sentence, owner = column, cells[0][1], ""
        else:
            continue
        title, target, kind, inherent = _BY_WORD[word]
        if not target:
            continue
        about = S.in_sentence(owner, 0, len(owner), year) if owner else None
        if about and about.name not in (S.DEPARTMENT, S.QUARTER, inherent):
            continue  # a row of a project or another item
        if target.startswith(GENERIC):
            subject = S.Subject(S.QUARTER if column else S.DEPARTMENT, bool(column), "")
            name, _ = checker.resolve(target, subject, sentence)
        else:
            name = target
        if name is None:
            continue
        head_unit = re.search(rf"\(({_UNITS})\)", head)
        unit = number[2] or unit_in_label or (head_unit[1] if head_unit else None)
        checker.compare(text, word, title, name, kind, _decimal(number[1]), unit, start, cell)


def plain_f(value: Fraction) -> str:
    return plain(Decimal(value.numerator) / Decimal(value.denominator))


def _paragraphs(texts: list[_Text]) -> list[_Text]:
    """Lines joined into the paragraphs they belong to (a table row, heading or list item
    stands alone), so that a sentence wrapped over two lines is read whole.

    The lines of a paragraph are gathered first and joined once: joining each onto the text
    so far would copy the paragraph again for every line (quadratic in a long paragraph).
    A paragraph is joined up to MAX_LINE_CHARS characters, the longest line a section may have
    (real paragraphs have a few thousand); the lines after that start a new one, so the checks'
    work per paragraph stays bounded however many lines run on without a blank line."""
    groups: list[list[_Text]] = []
    joinable = False
    size = 0
    for text in texts:
        if not text.text.strip():
            joinable = False
            continue
        alone = "|" in text.text or "\t" in text.text or bool(S.heading_subject(text.text, None))
        if joinable and not alone and size + len(text.text) <= MAX_LINE_CHARS:
            groups[-1].append(text)
            size += len(text.text)
        else:
            groups.append([text])
            size = len(text.text)
        joinable = not alone
    return [group[0] if len(group) == 1 else _joined(group) for group in groups]


def _joined(group: list[_Text]) -> _Text:
    """The first line as it is, each later one stripped, every character with its own line."""
    first = group[0]
    parts, sources, typed = [first.text], list(first.sources), list(first.typed)
    for text in group[1:]:
        stripped = text.text.strip()
        lead = len(text.text) - len(text.text.lstrip())
        parts.append(stripped)
        sources += text.sources[lead:lead + len(stripped)]
        typed += text.typed[lead:lead + len(stripped)]
    return _Text("".join(parts), sources, typed)


def check_arithmetic(file: str, texts: list[_Text]) -> list[Finding]:
    """The arithmetic each paragraph states about its own numbers (arithmetic.py)."""
    findings = []
    for text in _paragraphs(texts):
        for pos, finding in check_paragraph(text):
            findings.append(replace(finding, file=file, line=text.line(pos)))
    findings += check_tables(file, texts)
    return findings


def check_numbers(rendered: list[Rendered], facts: Facts, framework: Framework, metrics: dict[str, Any],
                  scores: Scores, facts_file: str = "content/facts.yaml",
                  skipped: list[Finding] | None = None,
                  normalized: list[list[_Text]] | None = None) -> list[Finding]:
    """Findings about typed numbers; the comparisons left out, with why, go to `skipped`.
    `normalized`: each file's lines normalized, when the caller has them (check_structure's too)."""
    findings: list[Finding] = []
    for k, file in enumerate(rendered):
        checker = _Checker(_Context(file.file, facts_file, facts, framework, metrics, scores))
        table = _Table()
        texts = normalized[k] if normalized is not None else [normalize(line) for line in file.lines]
        for line, text in zip(file.lines, texts, strict=True):
            if not line.text.strip():
                table.feed("")
                continue
            if S.is_heading(text.text):
                checker.heading = checker.paragraph = S.heading_subject(text.text, facts.get("report.year"))
                checker.heading_text = text.text
            else:
                item = S.heading_subject(text.text, facts.get("report.year"))
                checker.paragraph = item if item is not None and item.certain else checker.heading
                checker.item_text = re.split(r"[。:;,]", text.text, maxsplit=1)[0][:40] if item else None
            checker.line(text)
            if table.feed(text.text):
                check_table_row(checker, text, table.header or [])
        # a line whose figure contradicts a fact needs no second finding for the sums it upsets
        flagged = {f.line for f in checker.findings if f.group == NUMBERS}
        findings += checker.findings + [
            f for f in check_arithmetic(file.file, texts) if f.severity == ERROR or f.line not in flagged]
        if skipped is not None:
            skipped += checker.skipped
    return findings
