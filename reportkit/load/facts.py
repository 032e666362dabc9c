"""Load and validate the facts file into typed values (Decimal money, int counts)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from ..errors import ReportError
from ..numbers import money
from .facts_schema import (
    ADJUSTMENT_ALIASES,
    ADJUSTMENT_KINDS,
    ASSESSMENT_BLOCKS,
    BY_PATH,
    FIELDS,
    PROJECT_KEYS,
    SECTIONS,
    SUMS,
    Field,
    expected,
)
from .previous import PreviousRef, parse_previous
from .selfeval import Targets, parse_targets
from .yamlio import MAX_DIGITS, Located, load_yaml


@dataclass(frozen=True)
class Judgement:
    """One deduction an author makes on a criterion the rules cannot see."""

    indicator: str
    part: int
    deduct: Decimal | None  # None: the part's own per-item deduction
    reason: str
    line: int | None


@dataclass(frozen=True)
class Override:
    """A final score the author insists on, with the reason that `check` reports."""

    indicator: str
    score: Decimal
    reason: str
    line: int | None


@dataclass(frozen=True)
class Adjustment:
    """One budget adjustment: 追加, 调减, 调剂 between projects or 上缴."""

    kind: str
    amount: Decimal
    note: str
    line: int | None


@dataclass(frozen=True)
class Project:
    """One project of projects.list; amounts in 万元, None where not given."""

    name: str
    initial: Decimal | None
    adjusted: Decimal | None
    spent: Decimal | None
    on_time: bool | None  # None: not due this year (跨年度), not counted
    reason: str
    procurement_plan: Decimal | None
    procurement_actual: Decimal | None
    note: str
    line: int | None


@dataclass(frozen=True)
class Declared:
    """The scores the unit put in its own table (typed, or imported from an annex)."""

    scores: dict[str, Decimal | None]  # None: the cell was left blank
    total: Decimal | None
    grade: str | None
    source: str
    lines: dict[str, int | None]

    def line(self, name: str) -> int | None:
        return self.lines.get(name)


@dataclass
class Facts:
    """The facts file's values, with their lines, judgements, overrides and tables."""

    file: str
    values: dict[str, Any]
    located: Located
    judgements: dict[str, list[Judgement]] = field(default_factory=dict)
    overrides: dict[str, Override] = field(default_factory=dict)
    extra: dict[str, Any] = field(default_factory=dict)
    targets: Targets | None = None  # the 目标完成情况自评表, when given
    declared: Declared | None = None
    previous: PreviousRef | None = None  # last year's report (previous:), loaded by assemble
    derived: dict[str, str] = field(default_factory=dict)  # fact computed on load -> how
    warnings: list[ReportError] = field(default_factory=list)  # probably wrong, shown by check
    notices: list[ReportError] = field(default_factory=list)  # for the record (a list of main projects only)
    assumed: tuple[str, ...] = ()  # facts left out and taken at their schema default (petitions.received 0)

    def get(self, path: str, default: Any = None) -> Any:
        return self.values.get(path, default)

    def has(self, path: str) -> bool:
        return path in self.values

    def line(self, path: str) -> int | None:
        return self.located.line(path)

    def error(self, path: str, message: str, expected: str | None = None) -> ReportError:
        return ReportError(message, file=self.file, line=self.line(path), key=path, expected=expected)


_NUMBER_TEXT = re.compile(r"^[+-]?\d+(\.\d+)?$")


def _fail(located: Located, path: str, message: str, spec: Field | None = None) -> ReportError:
    return ReportError(
        message,
        file=located.file,
        line=located.line(path),
        key=path,
        expected=expected(spec) if spec else None,
    )


def _number(raw: Any, located: Located, path: str, spec: Field) -> Decimal:
    if isinstance(raw, bool) or raw is None:
        raise _fail(located, path, f"这里需要数字，写的是“{raw}”", spec)
    if isinstance(raw, int):
        value = Decimal(raw)
    elif isinstance(raw, Decimal):
        value = raw
    elif isinstance(raw, str) and any(c.isdigit() and not c.isascii() for c in raw):
        # Python reads “１２３” and “١٢٣” as 123: say so rather than guess silently
        raise _fail(located, path, f"“{raw}”中有全角或其他文字的数字，请改为半角数字（0–9）", spec)
    elif isinstance(raw, str) and _NUMBER_TEXT.match(raw.strip()):
        if sum(c.isdigit() for c in raw) > MAX_DIGITS:  # YAML keeps such a number as its text
            raise _fail(located, path, f"数字过长（{sum(c.isdigit() for c in raw):,} 位，超过 {MAX_DIGITS} 位）", spec)
        value = Decimal(raw.strip())
    else:
        hint = ""
        if isinstance(raw, str) and re.search(r"\d", raw):
            hint = "；请去掉千分位逗号、单位和百分号，只写数字"
        raise _fail(located, path, f"这里需要数字，写的是“{raw}”{hint}", spec)
    if not value.is_finite():
        raise _fail(located, path, f"“{raw}”不是有限的数字", spec)
    if value < 0:
        raise _fail(located, path, f"不能为负数（写的是 {raw}）", spec)
    if spec.positive and value == 0:
        raise _fail(located, path, "不能为 0（后续计算要以它作分母）", spec)
    return value


def _count(raw: Any, located: Located, path: str, spec: Field) -> int:
    value = _number(raw, located, path, spec)
    if value != value.to_integral_value():
        raise _fail(located, path, f"需要整数，写的是 {raw}", spec)
    return int(value)


def _convert(spec: Field, raw: Any, located: Located) -> Any:
    path = spec.path
    kind = spec.kind
    if kind == "text":
        if isinstance(raw, (dict, list)) or raw is None:
            raise _fail(located, path, "这里需要一段文字", spec)
        text = str(raw).strip()
        if spec.form == "date" and parse_date(raw) is None:  # build reads it as a date: check says so first
            raise _fail(located, path, f"“{text}”不是有效的日期", spec)
        return text
    if kind == "year":
        year = _count(raw, located, path, spec)
        if not 1990 <= year <= 2100:
            raise _fail(located, path, f"年份 {year} 不合理", spec)
        return year
    if kind == "enum":
        if str(raw) not in spec.choices:
            raise _fail(located, path, f"“{raw}”不是可选值", spec)
        return str(raw)
    if kind == "bool":
        if raw in (True, False):
            return raw
        if raw in ("是", "否"):
            return raw == "是"
        raise _fail(located, path, f"“{raw}”不是 是/否", spec)
    if kind == "money":
        return _number(raw, located, path, spec)
    if kind == "count":
        return _count(raw, located, path, spec)
    if kind == "percent":
        value = _number(raw, located, path, spec)
        if value > 100:
            raise _fail(located, path, f"百分数不能超过 100（写的是 {raw}）", spec)
        return value
    if kind == "headcount":
        if isinstance(raw, dict):
            if not raw:
                raise _fail(located, path, "分列的编制不能为空", spec)
            parts = {str(k): _count(v, located, f"{path}.{k}", spec) for k, v in raw.items()}
            return parts
        return _count(raw, located, path, spec)
    if kind in ("money4", "percent4"):
        if not isinstance(raw, list) or len(raw) != 4:
            raise _fail(located, path, "需要恰好 4 个季度的数", spec)
        inner = Field(path, "money" if kind == "money4" else "percent", spec.title)
        values = [_number(v, located, f"{path}.{i}", inner) for i, v in enumerate(raw)]
        if kind == "percent4":
            for i, v in enumerate(values):
                if v > 1000:
                    raise _fail(located, f"{path}.{i}", f"进度 {v}% 不合理", spec)
        for i in range(1, 4):
            if values[i] < values[i - 1]:
                raise _fail(
                    located,
                    f"{path}.{i}",
                    f"累计数逐季不能减少：第{i + 1}季度 {values[i]} 小于第{i}季度 {values[i - 1]}",
                    spec,
                )
        return values
    if kind == "texts":
        if raw is None:
            return ()
        if not isinstance(raw, list):
            raise _fail(located, path, "这里需要一个列表", spec)
        return tuple(str(x) for x in raw)
    if kind == "contract":
        if isinstance(raw, dict):
            if not raw:
                raise _fail(located, path, "分列的编外人员不能为空", spec)
            for k in raw:
                if str(k) not in spec.choices:
                    raise _fail(located, f"{path}.{k}", f"未知的编外人员类型“{k}”", spec)
            return {str(k): _count(v, located, f"{path}.{k}", spec) for k, v in raw.items()}
        return _count(raw, located, path, spec)
    if kind == "date":
        return _date(raw, located, path, spec)
    if kind == "adjustments":
        return _adjustments(raw, located, spec)
    if kind == "projects":
        return _projects(raw, located, spec)
    raise AssertionError(kind)


_DATE = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$")


def parse_date(raw: Any) -> date | None:
    """A date as facts.yaml may write it (2022-03-31, 2022/3/31, 2022年3月31日, a YAML date), else None."""
    if isinstance(raw, date):
        return raw
    match = _DATE.match(raw.strip()) if isinstance(raw, str) else None
    if match:
        try:
            return date(*(int(g) for g in match.groups()))
        except ValueError:
            pass
    return None


def _date(raw: Any, located: Located, path: str, spec: Field) -> date:
    value = parse_date(raw)
    if value is None:
        raise _fail(located, path, f"“{raw}”不是有效的日期", spec)
    return value


def _adjustments(raw: Any, located: Located, spec: Field) -> tuple[Adjustment, ...]:
    path = spec.path
    if isinstance(raw, dict):  # shorthand: {追加: 1460, 调减: 275.02}
        entries = [(f"{path}.{k}", {"kind": k, "amount": v}, f"{path}.{k}", f"{path}.{k}") for k, v in raw.items()]
    elif isinstance(raw, list):
        entries = [(f"{path}.{i}", item, f"{path}.{i}.kind", f"{path}.{i}.amount") for i, item in enumerate(raw)]
    else:
        raise _fail(located, path, "这里需要调整事项的列表", spec)
    money = Field(path, "money", "调整金额", "万元")
    items = []
    for where, item, kind_path, amount_path in entries:
        if not isinstance(item, dict):
            raise _fail(located, where, "每项调整需写成 {kind: 类型, amount: 金额, note: 说明}", spec)
        unknown = sorted(str(k) for k in item if k not in ("kind", "amount", "note"))
        if unknown:
            raise _fail(located, f"{where}.{unknown[0]}", f"未知的键“{unknown[0]}”；只能是 kind、amount、note", spec)
        shown = str(item.get("kind") or "").strip()
        kind = ADJUSTMENT_ALIASES.get(shown, shown)
        if kind not in ADJUSTMENT_KINDS:
            raise _fail(located, kind_path, f"未知的调整类型“{shown}”" if shown else "缺少调整类型 kind", spec)
        if item.get("amount") is None:
            raise _fail(located, amount_path, f"“{shown}”缺少调整金额 amount", spec)
        amount = _number(item["amount"], located, amount_path, money)
        items.append(Adjustment(kind, amount, str(item.get("note") or "").strip(), located.line(where)))
    return tuple(items)


def _projects(raw: Any, located: Located, spec: Field) -> tuple[Project, ...]:
    path = spec.path
    if not isinstance(raw, list):
        raise _fail(located, path, "这里需要项目的列表，每项以“- name: 项目名称”开头", spec)
    items = []
    for i, item in enumerate(raw):
        where = f"{path}.{i}"
        if not isinstance(item, dict):
            raise _fail(located, where, "每个项目需写成 {name: 项目名称, initial: …, adjusted: …, spent: …, on_time: 是}", spec)
        unknown = [k for k in item if str(k) not in PROJECT_KEYS]
        if unknown:
            raise _fail(located, f"{where}.{unknown[0]}", f"未知的键“{unknown[0]}”；项目可用的键：{'、'.join(PROJECT_KEYS)}", spec)
        values: dict[str, Any] = {}
        for key, kind in PROJECT_KEYS.items():
            if item.get(key) is None:
                values[key] = None
                continue
            inner = Field(f"{where}.{key}", kind, key, "万元" if kind == "money" else "")
            values[key] = _convert(inner, item[key], located)
        if not values["name"]:
            raise _fail(located, where, "项目需要名称 name", spec)
        if values["on_time"] is False and not values["reason"]:
            raise _fail(located, f"{where}.on_time", f"项目“{values['name']}”未按时完成，需写明原因（reason）", spec)
        items.append(Project(
            values["name"], values["initial"], values["adjusted"], values["spent"], values["on_time"],
            values["reason"] or "", values["procurement_plan"], values["procurement_actual"], values["note"] or "",
            located.line(where),
        ))
    names = [p.name for p in items]
    for i, name in enumerate(names):
        if name in names[:i]:
            raise _fail(located, f"{path}.{i}.name", f"项目名称“{name}”重复（第一次在第 {items[names.index(name)].line} 行）", spec)
    return tuple(items)


def _judgements(raw: Any, located: Located) -> dict[str, list[Judgement]]:
    if raw is None:
        return {}
    if not isinstance(raw, dict):
        raise _fail(located, "judgements", "需要按指标名称列出扣分，如 预算编制合理性: [{part: 4, deduct: 0.1, reason: …}]")
    result: dict[str, list[Judgement]] = {}
    for name, items in raw.items():
        base = f"judgements.{name}"
        if isinstance(items, dict):
            items = [items]
        if not isinstance(items, list):
            raise _fail(located, base, "需要扣分条目的列表，每条含 part（第几条标准）、deduct（扣分）、reason（原因）")
        entries = []
        for i, item in enumerate(items):
            path = f"{base}.{i}"
            if not isinstance(item, dict):
                raise _fail(located, path, "每条扣分需写成 {part: 1, deduct: 0.5, reason: 原因}")
            unknown = set(item) - {"part", "deduct", "reason"}
            if unknown:
                raise _fail(located, f"{path}.{sorted(unknown)[0]}", "未知的键；只能是 part、deduct、reason")
            reason = str(item.get("reason") or "").strip()
            if not reason:
                raise _fail(located, path, "扣分必须写明原因（reason）")
            part_spec = Field(f"{path}.part", "count", "第几条标准")
            part = _count(item.get("part", 1), located, f"{path}.part", part_spec)
            if part < 1:
                raise _fail(located, f"{path}.part", "标准序号从 1 开始")
            deduct = None
            if "deduct" in item:
                deduct = _number(item["deduct"], located, f"{path}.deduct", Field(f"{path}.deduct", "money", "扣分"))
            entries.append(Judgement(str(name), part, deduct, reason, located.line(path)))
        result[str(name)] = entries
    return result


def _overrides(raw: Any, located: Located) -> dict[str, Override]:
    if raw is None:
        return {}
    if not isinstance(raw, dict):
        raise _fail(located, "overrides", "需要按指标名称写出 {score: 分数, reason: 原因}")
    result = {}
    for name, item in raw.items():
        path = f"overrides.{name}"
        if not isinstance(item, dict) or "score" not in item:
            raise _fail(located, path, "需要写成 {score: 分数, reason: 原因}")
        reason = str(item.get("reason") or "").strip()
        if not reason:
            raise _fail(located, path, "覆盖计算得分必须写明原因（reason）")
        score = _number(item["score"], located, f"{path}.score", Field(path, "money", "得分"))
        result[str(name)] = Override(str(name), score, reason, located.line(path))
    return result


def _declared(raw: Any, located: Located) -> Declared | None:
    """The unit's own scores: {source, total, grade, scores: {指标: 分数}}."""
    if raw is None:
        return None
    keys = ("source", "total", "grade", "scores")
    expected_form = "declared: {source: 来源, total: 综合评分, grade: 等级, scores: {三级指标名称: 分数, …}}"
    if not isinstance(raw, dict):
        raise ReportError("declared 需要键值对", file=located.file, line=located.line("declared"),
                          key="declared", expected=expected_form)
    for key in raw:
        if key not in keys:
            raise ReportError(f"declared 下有未知的键“{key}”", file=located.file, line=located.line(f"declared.{key}"),
                              key=f"declared.{key}", expected="、".join(keys) + "（各指标得分写在 scores 下）")
    scores_raw = raw.get("scores") or {}
    if not isinstance(scores_raw, dict):
        raise ReportError("declared.scores 需要“三级指标名称: 分数”的映射", file=located.file,
                          line=located.line("declared.scores"), key="declared.scores", expected=expected_form)
    spec = Field("declared", "money", "自评得分")
    scores: dict[str, Decimal | None] = {}
    lines: dict[str, int | None] = {}
    for name, value in scores_raw.items():
        path = f"declared.scores.{name}"
        scores[str(name)] = None if value is None else _number(value, located, path, spec)
        lines[str(name)] = located.line(path)
    total = raw.get("total")
    grade = raw.get("grade")
    lines["total"], lines["grade"] = located.line("declared.total"), located.line("declared.grade")
    return Declared(
        scores,
        None if total is None else _number(total, located, "declared.total", Field("declared.total", "money", "综合评分")),
        None if grade is None else str(grade).strip(),
        str(raw.get("source") or "").strip(),
        lines,
    )


def _total(value: Any) -> Any:
    return sum(value.values()) if isinstance(value, dict) else value


def _cross_checks(values: dict[str, Any], located: Located) -> None:
    """Values that cannot all be true at once."""
    pairs = [
        ("fixed_assets.in_use", "fixed_assets.total", "在用固定资产不能大于固定资产总额"),
        ("fixed_assets.net", "fixed_assets.total", "固定资产净值不能大于固定资产原值总额"),
        ("projects.on_time", "projects.planned", "按时完成项目数不能大于计划项目数"),
        ("petitions.handled", "petitions.received", "已办理信访件数不能大于收到的信访件数"),
        ("petitions.replied", "petitions.received", "已办理回复件数不能大于收到的信访件数"),
        ("petitions.on_time", "petitions.replied", "按时办理回复件数不能大于已办理回复件数"),
        ("key_tasks.unfinished", "key_tasks.total", "未完成重点工作数不能大于重点工作总数"),
        ("procurement.sme", "procurement.actual", "面向中小企业采购金额不能大于实际采购金额"),
        ("staff.workers", "staff.on_payroll", "工勤人员数不能大于在编人数（在编人数含工勤人员）"),
    ]
    for small, big, message in pairs:
        if small in values and big in values and _total(values[small]) > _total(values[big]):
            raise _fail(located, small, f"{message}（{_total(values[small])} > {_total(values[big])}）")
    if values.get("projects.all_on_time") and values.get("projects.on_time", 0) < values.get("projects.planned", 0):
        raise _fail(located, "projects.all_on_time",
                    f"写了所有项目均按时完成，但按时完成项目数 {values['projects.on_time']} 小于计划项目数 {values['projects.planned']}")


def _where(located: Located, path: str) -> str:
    line = located.line(path)
    return f"（{path}，第 {line} 行）" if line else f"（{path}）"


_STAGES = {"initial": "年初预算", "adjusted": "调整后预算", "spent": "支出"}


def _title(path: str) -> str:
    return BY_PATH[path].title


class _Completer:
    """Facts computed on load from the ones given (totals from parts, counts from the list), and
    the sums that must hold between them."""

    def __init__(self, values: dict[str, Any], located: Located):
        self.values = values
        self.located = located
        self.derived: dict[str, str] = {}
        self.warnings: list[ReportError] = []
        self.notices: list[ReportError] = []

    def run(self) -> None:
        if "adjustments" in self.values and "budget.adjustments" in self.values:
            raise _fail(self.located, "budget.adjustments",
                        f"已在 adjustments{_where(self.located, 'adjustments')}中分项列出调整，"
                        "“调整、调剂资金累计”由分项计算，请删去 budget.adjustments",
                        BY_PATH["budget.adjustments"])
        self.projects()
        for total, parts in SUMS:
            self.sum(total, parts)

    def projects(self) -> None:
        """Counts and project totals from projects.list; a list of the main projects only is allowed
        when the counts and totals are given (it may not exceed them)."""
        items = self.values.get("projects.list")
        if not items:
            return
        due = [p for p in items if p.on_time is not None]
        done = sum(1 for p in due if p.on_time)
        late = [p.name for p in due if not p.on_time]
        where = _where(self.located, "projects.list")
        self.count("projects.planned", len(due), f"项目明细{where}中需在本年完成（on_time 填了 是 或 否）的项目")
        self.count("projects.on_time", done, f"项目明细{where}中按时完成（on_time: 是）的项目")
        planned, on_time = self.values["projects.planned"], self.values["projects.on_time"]
        if len(late) > planned - on_time:
            raise _fail(self.located, "projects.on_time",
                        f"项目明细{where}中未按时完成的项目有 {len(late)} 个（{'、'.join(late)}），"
                        f"多于计划完成项目数 {planned} 减按时完成项目数 {on_time}", BY_PATH["projects.on_time"])
        if self.values.get("projects.all_on_time") and late:
            raise _fail(self.located, "projects.all_on_time",
                        f"写了所有项目均按时完成，但项目明细中“{'、'.join(late)}”未按时完成")
        for stage, key in (("initial", "budget.project"), ("adjusted", "budget.project_adjusted"),
                           ("spent", "budget.project_spent")):
            amounts = [getattr(p, stage) for p in items]
            if None in amounts:
                continue
            total = sum(amounts, Decimal(0))
            if key not in self.values:
                self.values[key] = total
                self.derived[key] = "项目明细 projects.list 各项目合计"
                continue
            given, slack = self.values[key], Decimal("0.01") * len(items)
            said = f"项目明细{where}各项目{_STAGES[stage]}合计 {money(total)} 万元"
            if total - given > slack:
                raise _fail(self.located, key, f"{said}，超过了{_title(key)} {money(given)} 万元", BY_PATH[key])
            if given - total > slack:
                self.notices.append(ReportError(
                    f"{said}，比{_title(key)} {money(given)} 万元少 {money(given - total)} 万元",
                    file=self.located.file, line=self.located.line(key), key=key,
                    expected="项目明细只列出了主要项目时可忽略；列全时合计应等于项目支出",
                ))

    def count(self, key: str, counted: int, what: str) -> None:
        if key not in self.values:
            self.values[key] = counted
            self.derived[key] = what
        elif self.values[key] < counted:
            raise _fail(self.located, key, f"{_title(key)}写的是 {self.values[key]}，但{what}有 {counted} 个",
                        Field(key, "count", _title(key)))

    def sum(self, total: str, parts: tuple[str, ...]) -> None:
        given = [p for p in parts if p in self.values]
        if not given:
            return
        got = sum((self.values[p] for p in given), Decimal(0))
        names = " + ".join(_title(p) for p in given)
        if total not in self.values:
            if len(given) == len(parts):
                self.values[total] = got
                self.derived[total] = " + ".join(parts)
            return
        value = self.values[total]
        slack = Decimal("0.01") * len(given)  # each part may be rounded to the cent
        where = _where(self.located, total)
        if got - value > slack:
            at = next((p for p in reversed(given) if self.located.line(p)), given[-1])
            raise _fail(self.located, at,
                        f"{names} 合计 {money(got)} 万元，超过了{_title(total)} {money(value)} 万元{where}",
                        Field(at, "money", _title(at), "万元"))
        if len(given) == len(parts) and value - got > slack:
            at = next((p for p in reversed(given) if self.located.line(p)), given[-1])
            self.warnings.append(ReportError(
                f"{names} 合计 {money(got)} 万元，比{_title(total)} {money(value)} 万元{where}少 {money(value - got)} 万元",
                file=self.located.file, line=self.located.line(at), key=at,
                expected=f"各分项之和等于{_title(total)}；如还有未列出的分项，请核对",
            ))


def parse_facts(data: Any, located: Located) -> Facts:
    if not isinstance(data, dict):
        raise ReportError("事实文件的顶层应是键值对（如 budget: …）", file=located.file, line=1)
    values: dict[str, Any] = {}
    extra: dict[str, Any] = {}
    for key, raw in data.items():
        key = str(key)
        if key in ASSESSMENT_BLOCKS or key in ("targets", "previous"):
            continue
        if key == "extra":
            if not isinstance(raw, dict):
                raise _fail(located, key, "extra 需要键值对：自定义的事实，可在正文中以 {{ extra.名称 }} 引用")
            extra = raw
            continue
        if key in BY_PATH:  # top-level facts such as satisfaction
            if raw is not None:
                values[key] = _convert(BY_PATH[key], raw, located)
            continue
        if key not in SECTIONS:
            known = "、".join(SECTIONS + [f.path for f in FIELDS if "." not in f.path] + ["extra", "targets", "previous", *ASSESSMENT_BLOCKS])
            raise _fail(located, key, f"未知的键“{key}”；可用的顶层键：{known}")
        if raw is None:
            continue
        if not isinstance(raw, dict):
            raise _fail(located, key, f"“{key}”下面需要键值对")
        for sub, sub_raw in raw.items():
            path = f"{key}.{sub}"
            spec = BY_PATH.get(path)
            if spec is None:
                names = "、".join(f.path.split(".", 1)[1] for f in FIELDS if f.path.startswith(key + "."))
                raise _fail(located, path, f"未知的键“{sub}”；“{key}”下可用的键：{names}")
            if sub_raw is None:
                continue
            values[path] = _convert(spec, sub_raw, located)
    completer = _Completer(values, located)
    completer.run()
    assumed: list[str] = []
    for spec in FIELDS:
        if spec.path not in values:
            if spec.required:
                parts = next((p for t, p in SUMS if t == spec.path), None)
                how = f"；或填写 {'、'.join(parts)}，由它们合计" if parts else ""
                raise ReportError(
                    f"缺少必填的“{spec.title}”", file=located.file, line=located.line(spec.path.split(".")[0]) or 1,
                    key=spec.path, expected=expected(spec) + how,
                )
            if spec.default is not None:
                values[spec.path] = spec.default
                assumed.append(spec.path)
        elif spec.positive and spec.path in completer.derived and values[spec.path] == 0:
            raise _fail(located, spec.path, f"由 {completer.derived[spec.path]} 合计得 0（后续计算要以它作分母）", spec)
    _cross_checks(values, located)
    return Facts(
        file=located.file,
        values=values,
        located=located,
        judgements=_judgements(data.get("judgements"), located),
        overrides=_overrides(data.get("overrides"), located),
        extra=extra,
        targets=parse_targets(data.get("targets"), located),
        declared=_declared(data.get("declared"), located),
        previous=parse_previous(data.get("previous"), located.file, located.line("previous")),
        derived=completer.derived,
        warnings=completer.warnings,
        notices=completer.notices,
        assumed=tuple(assumed),
    )


def _raw(data: dict, path: str) -> Any:
    head, _, leaf = path.partition(".")
    node = data.get(head)
    if not leaf:
        return node
    return node.get(leaf) if isinstance(node, dict) else None


def missing_required(data: Any) -> list[Field]:
    """Required facts not given in the raw file and not computable from the parts it gives."""
    if not isinstance(data, dict):
        return [f for f in FIELDS if f.required]
    given = {f.path for f in FIELDS if _raw(data, f.path) is not None}
    for total, parts in SUMS:  # in dependency order, so a computed part counts for its total
        if all(p in given for p in parts):
            given.add(total)
    items = _raw(data, "projects.list")
    if isinstance(items, list) and items and all(isinstance(i, dict) for i in items):
        for stage, key in (("initial", "budget.project"), ("adjusted", "budget.project_adjusted"), ("spent", "budget.project_spent")):
            if all(i.get(stage) is not None for i in items):
                given.add(key)
        for total, parts in SUMS:
            if all(p in given for p in parts):
                given.add(total)
    return [f for f in FIELDS if f.required and f.path not in given]


def load_facts(path: Path) -> Facts:
    data, located = load_yaml(path)
    return parse_facts(data, located)


__all__ = ["Adjustment", "Declared", "Facts", "Judgement", "Override", "Project", "load_facts", "missing_required",
           "parse_facts"]
