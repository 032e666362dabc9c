"""Scoring frameworks as data: load a YAML file, check it, and give typed indicators.

A framework is the official indicator table (一级 → 二级 → 三级, weights, 指标说明,
参考评分标准) plus, for every 三级指标, the rule parts that compute its score. Users copy a
shipped file into their report folder and edit it, so every mistake gets a message naming
the file, the line, the indicator and what was expected.
"""

from __future__ import annotations

import copy
import re
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction
from functools import cached_property
from pathlib import Path
from typing import Any

from ..errors import ReportError
from ..load import ADJUSTMENT_KINDS, BY_PATH, CONTRACT_KINDS, Located, load_yaml, read_yaml_text
from ..numbers import ROUNDING_MODES, plain
from .defined import OPERATIONS, DefinedMetric, needs_of
from .metrics import METRIC_SETTINGS, NEEDS
from .rules import CHOICES, ONE_OF, RULES, names_of_kind, parse_bands, part_points

SETTINGS_CHOICES = {
    "rounding": tuple(ROUNDING_MODES),
    "adjustment_denominator": ("adjusted", "initial"),
    "adjustment_deduction": ("per_point", "proportional"),
}
DEFAULT_SETTINGS = {
    "rounding": "truncate",
    "decimals": 2,
    "adjustment_denominator": "adjusted",
    "adjustment_deduction": "per_point",
    **METRIC_SETTINGS,  # adjustment_kinds, contract_kinds, disclosure_days
}
# List settings: the kinds a setting may name.
SETTINGS_KINDS = {"adjustment_kinds": ADJUSTMENT_KINDS, "contract_kinds": CONTRACT_KINDS}
ANNEX_LAYOUTS = ("standard", "self_scoring", "weighted_names")
# The column headings and closing rows of each annex layout, as the seeds print them:
# standard (seed 000 附件一), self_scoring (seed 001 附件2), weighted_names (seed 002).
ANNEX_DEFAULTS: dict[str, dict[str, Any]] = {
    "standard": {
        "headers": {"weight": "参考分值", "description": "指标说明", "standard": "参考评分标准", "score": "得分"},
        "total_row": "总分", "grade_row": None,
    },
    "self_scoring": {
        "headers": {"weight": "分值", "description": None, "standard": "参考评分标准", "score": "自评得分"},
        "total_row": None, "grade_row": None,
    },
    "weighted_names": {
        "headers": {"weight": "分值", "description": "指标说明", "standard": "评分标准", "score": "分数"},
        "total_row": "综合评分", "grade_row": "评分等级",
    },
}
DEFAULT_GRADES = ((Fraction(90), "优"), (Fraction(80), "良"), (Fraction(60), "中"), (Fraction(0), "差"))
LEVELS = ("市", "区")

TOP_KEYS = ("id", "title", "caption", "year", "level", "total", "source", "settings", "annex", "grades", "wording",
            "notes", "metrics", "levels")
LEVEL_KEYS = ("name", "weight", "groups")
GROUP_KEYS = ("name", "weight", "indicators")
INDICATOR_KEYS = ("name", "weight", "description", "standard", "parts", "zero_if")
ANNEX_KEYS = ("layout", "headers", "total_row", "grade_row")

# "（1.5分）" in a criterion's text: the points that criterion is worth.
_STATED_POINTS = re.compile(r"[（(]\s*(\d+(?:\.\d+)?)\s*分\s*[）)]")


@dataclass(frozen=True)
class Part:
    """One scoring rule of an indicator, with its parameters."""

    rule: str
    params: dict[str, Any]
    label: str = ""


@dataclass(frozen=True)
class Indicator:
    """A 三级指标: its place in the framework, weight, texts and scoring rules."""

    level: str
    group: str
    name: str
    weight: Fraction
    description: str
    standard: str
    parts: tuple[Part, ...]
    zero_if: str | None = None
    line: int | None = None


@dataclass(frozen=True)
class Group:
    """A 二级指标 and its indicators."""

    name: str
    weight: Fraction
    indicators: tuple[Indicator, ...]


@dataclass(frozen=True)
class Level:
    """A 一级指标 and its groups."""

    name: str
    weight: Fraction
    groups: tuple[Group, ...]


@dataclass
class Framework:
    """An evaluation framework: the indicator tree with weights, settings, annex layout and grades."""

    id: str
    title: str
    year: int
    level: str
    total: Fraction
    levels: tuple[Level, ...]
    settings: dict[str, Any]
    annex: dict[str, Any]
    grades: tuple[tuple[Fraction, str], ...]
    file: str
    caption: str = ""
    notes: tuple[str, ...] = ()
    wording: dict[str, dict[str, str]] = field(default_factory=dict)
    indicators: tuple[Indicator, ...] = field(default=())
    source: str = ""  # where the table comes from (notice, 文号, year)
    metrics: tuple[DefinedMetric, ...] = ()  # the framework's own metrics (compute/defined.py)

    @cached_property
    def metric_needs(self) -> dict[str, tuple[str, ...]]:
        return needs_of(self.metrics, NEEDS)

    @cached_property
    def metric_divisors(self) -> dict[str, str]:
        """Each of the framework's own rates → the operand it divides by (compute/divisors.py)."""
        return {m.name: m.operands[1] for m in self.metrics if m.is_rate}

    def grade(self, total: Fraction) -> str:
        return next(name for low, name in self.grades if total >= low)

    def words(self, text: str, level: str) -> str:
        """The official text in the wording of the report's level (市委市政府 → 区委区政府)."""
        for old, new in sorted(self.wording.get(level, {}).items(), key=lambda kv: -len(kv[0])):
            text = text.replace(old, new)
        return text

    def find(self, name: str) -> Indicator | None:
        return next((i for i in self.indicators if i.name == name), None)


class _Reader:
    """Checks on one framework file; every failure names the file, line and key."""

    def __init__(self, located: Located):
        self.located = located
        self.defined: tuple[DefinedMetric, ...] = ()  # the framework's metrics, read before the levels

    def fail(self, message: str, path: str, expected: str | None = None) -> ReportError:
        return ReportError(message, file=self.located.file, line=self.located.line(path) or 1,
                           key=path or None, expected=expected)

    def keys(self, node: Any, allowed: tuple[str, ...], where: str, path: str) -> dict:
        if not isinstance(node, dict):
            raise self.fail(f"{where}应是键值对", path, "、".join(allowed))
        for key in node:
            if key not in allowed:
                kpath = f"{path}.{key}" if path else str(key)
                raise self.fail(f"{where}中有未知的键“{key}”", kpath, "、".join(allowed))
        return node

    def number(self, value: Any, where: str, path: str, positive: bool = False, signed: bool = False) -> Fraction:
        if isinstance(value, bool) or not isinstance(value, (int, Decimal, Fraction)):
            raise self.fail(f"{where}：需要数字，写的是“{value}”", path, "不带单位的数字，如 1.5")
        if isinstance(value, Decimal) and not value.is_finite():
            raise self.fail(f"{where}：“{value}”不是有限的数字", path, "不带单位的数字，如 1.5")
        number = Fraction(value)
        if signed:
            return number
        if number < 0 or (positive and number == 0):
            raise self.fail(f"{where}：不能为{'负数' if number < 0 else ' 0'}（写的是 {value}）", path,
                            "大于 0 的数字" if positive else "不小于 0 的数字")
        return number

    def text(self, node: dict, key: str, where: str, path: str, required: bool = True) -> str:
        value = node.get(key)
        kpath = f"{path}.{key}" if path else key
        if isinstance(value, (dict, list)):
            raise self.fail(f"{where}：“{key}”应是一段文字", kpath)
        if value is None or str(value).strip() == "":
            if required:
                raise self.fail(f"{where}：缺少“{key}”", kpath if key in node else path or key, "一段文字")
            return ""
        return str(value).strip()

    def items(self, node: dict, key: str, where: str, path: str) -> list:
        value = node.get(key)
        if not isinstance(value, list) or not value:
            kpath = f"{path}.{key}" if path else key
            raise self.fail(f"{where}：缺少“{key}”列表（至少一项）", kpath if key in node else path, f"{key} 下逐项列出")
        return value

    def check_sum(self, where: str, weight: Fraction, children: list[Fraction], path: str, child_word: str) -> None:
        got = sum(children, Fraction(0))
        if got != weight:
            raise self.fail(
                f"{where}的分值为 {plain_f(weight)}，但其{child_word}分值合计为 {plain_f(got)}",
                f"{path}.weight" if path else "total", f"{child_word}分值之和等于 {plain_f(weight)}（或改上级分值为 {plain_f(got)}）",
            )

    # --- rule parts ----------------------------------------------------------------

    def part(self, praw: Any, where: str, path: str) -> Part:
        if not isinstance(praw, dict):
            raise self.fail(f"{where}：评分项应写成 {{rule: 规则名, …参数}}，写的是“{praw}”", path)
        rule = praw.get("rule")
        rule_path = f"{path}.rule" if "rule" in praw else path
        if "rule" in praw and not isinstance(rule, str):  # a list or mapping cannot name a rule
            raise self.fail(f"{where}：评分规则名 rule 应是一个名称，写的是{_described(rule)}", rule_path,
                            "以下规则之一：" + "、".join(RULES))
        if rule not in RULES:
            raise self.fail(f"{where}：未知的评分规则“{rule}”", rule_path, "以下规则之一：" + "、".join(RULES))
        spec = RULES[rule]
        allowed = {**spec.required, **spec.optional}
        raw = {k: v for k, v in praw.items() if k not in ("rule", "label")}
        for key in spec.required:
            if key not in raw:
                raise self.fail(f"{where}：规则 {rule} 缺少参数“{key}”", path, "必需参数：" + "、".join(spec.required))
        for alternatives in ONE_OF.get(rule, ()):
            given = [k for k in alternatives if k in raw]
            if given and len(given) != len(alternatives):
                missing = next(k for k in alternatives if k not in raw)
                raise self.fail(f"{where}：规则 {rule} 写了“{given[0]}”但缺少参数“{missing}”", path, "、".join(alternatives) + " 一起给出")
        complete = [alt for alt in ONE_OF.get(rule, ()) if all(k in raw for k in alt)]
        if ONE_OF.get(rule) and len(complete) != 1:
            choices = " 或 ".join("、".join(alt) for alt in ONE_OF[rule])
            problem = "只能选其一" if complete else "需要"
            raise self.fail(f"{where}：规则 {rule} {problem}参数 {choices}", path, choices)
        params: dict[str, Any] = {}
        for key, value in raw.items():
            kpath = f"{path}.{key}"
            kind = allowed.get(key)
            if kind is None:
                raise self.fail(f"{where}：规则 {rule} 没有参数“{key}”", kpath, "可用参数：" + "、".join(allowed))
            params[key] = self.param(kind, value, where, kpath)
        if rule == "tiered":
            self.tiered_choices(params, where, path)
        label = praw.get("label")
        if isinstance(label, (dict, list, bool)):
            raise self.fail(f"{where}：label 应是一段文字，写的是{_described(label)}", f"{path}.label",
                            "评分项的名称，如 label: 部门预算公开")
        return Part(rule, params, str(label or ""))

    def param(self, kind: str, value: Any, where: str, path: str) -> Any:
        if kind == "number":
            return self.number(value, where, path)
        if kind == "signed":  # a threshold in percent; a change against last year may be negative
            return self.number(value, where, path, signed=True)
        if kind in CHOICES or kind in ("text", "rate", "amount", "count", "enum", "bool"):
            if not isinstance(value, str) and not (kind == "text" and isinstance(value, (int, Decimal))
                                                   and not isinstance(value, bool)):
                key = path.rsplit(".", 1)[-1]
                what = "一段文字" if kind == "text" else "一个名称"
                if kind in CHOICES:
                    hint = "以下之一：" + "、".join(CHOICES[kind])
                elif kind == "text":
                    hint = "一段文字"
                else:
                    hint = "一个事实键或 reportkit names 列出的指标名（只写一个，不加方括号）"
                raise self.fail(f"{where}：参数 {key} 应是{what}，写的是{_described(value)}", path, hint)
        if kind in CHOICES:
            if value not in CHOICES[kind]:
                raise self.fail(f"{where}：“{value}”不是可选的值", path,
                                "、".join(f"{k}（{v}）" for k, v in CHOICES[kind].items()))
            return value
        if kind == "signed_bands":
            try:
                return parse_bands(value, signed=True)
            except ValueError as exc:
                raise self.fail(f"{where}：{exc}", path,
                                '覆盖全部变动率的区间到分值的映射，如 {"(-inf, 0]": 3, "(0, 10]": 1, "(10, inf)": 0}') from None
        if kind == "flag":
            if not isinstance(value, bool):
                raise self.fail(f"{where}：需要 true 或 false，写的是“{value}”", path, "true 或 false")
            return value
        if kind == "text":
            return str(value)
        if kind == "bands":
            try:
                return parse_bands(value)
            except ValueError as exc:
                raise self.fail(f"{where}：{exc}", path, '区间到分值的映射，如 {"[0, 90)": 3, "[90, 100]": 2, "(100, inf)": 0}') from None
        if kind == "scores":
            if not isinstance(value, dict) or not value:
                raise self.fail(f"{where}：需要“情形: 分值”的映射", path, "如 {按规定公开: 1.5, 公开但有缺陷: 1, 未公开: 0}")
            return {str(k): self.number(v, where, f"{path}.{k}") for k, v in value.items()}
        names = names_of_kind(kind)
        if kind in ("rate", "amount"):  # the framework's own metrics: rates are amounts too
            names = names | {m.name for m in self.defined if m.is_rate or kind == "amount"}
        if value not in names:
            what = {"rate": "比率指标", "count": "计数事实", "enum": "有固定选项的事实", "bool": "是/否事实"}.get(kind, "事实或计算指标")
            raise self.fail(f"{where}：“{value}”不是可用的{what}", path, "、".join(sorted(names)))
        return value

    def tiered_choices(self, params: dict, where: str, path: str) -> None:
        choices = BY_PATH[params["fact"]].choices
        if set(params["scores"]) != set(choices):
            raise self.fail(f"{where}：scores 的情形应与事实“{params['fact']}”的可选值一一对应", f"{path}.scores",
                            "、".join(choices))

    def stated_points(self, indicator: str, standard: str, weight: Fraction, path: str) -> None:
        """A criterion's text cannot promise more than the indicator is worth (seed 002 left "（8分）" on a 3-point indicator)."""
        for match in _STATED_POINTS.finditer(standard):
            stated = Fraction(match.group(1))
            if stated > weight:
                raise self.fail(
                    f"三级指标“{indicator}”：参考评分标准中写的“{match.group(0)}”超过指标分值 {plain_f(weight)} 分",
                    f"{path}.standard", "评分标准中的分值与指标分值一致（调整分值后请同时修改标准文字）",
                )


def _described(value: Any) -> str:
    """A YAML value as a message shows it: a list or mapping by its kind, not Python's repr."""
    if isinstance(value, list):
        return f"一个列表（{len(value)} 项）" if value else "一个空列表 []"
    if isinstance(value, dict):
        return "一组键值对" if value else "一个空映射 {}"
    if value is None:
        return "空值"
    if isinstance(value, bool):
        return f"是/否值“{'true' if value else 'false'}”"
    return f"“{value}”"


def _defined(reader: _Reader, raw: Any) -> tuple[DefinedMetric, ...]:
    """The framework's `metrics:` block, each operand a known fact or metric (or one above it)."""
    if raw is None:
        return ()
    if not isinstance(raw, dict):
        raise reader.fail("metrics 应是“指标名: {title: 名称, ratio: [分子, 分母]}”的映射", "metrics",
                          "如 budget.completion_rate: {title: 预算完成率, ratio: [budget.spent, budget.initial]}")
    known = names_of_kind("amount") | names_of_kind("count")
    found: list[DefinedMetric] = []
    for name, spec in raw.items():
        path = f"metrics.{name}"
        where = f"自定义指标“{name}”"
        name = str(name)
        if name in known or any(m.name == name for m in found):
            raise reader.fail(f"{where}与已有的事实或指标重名", path, "另取一个名称，如 budget.completion_rate")
        if not isinstance(spec, dict):
            raise reader.fail(f"{where}应写成 {{title: 名称, 运算: [项, 项]}}", path, "运算：" + "、".join(OPERATIONS))
        operations = [k for k in spec if k in OPERATIONS]
        extra = [k for k in spec if k not in OPERATIONS and k != "title"]
        if extra:
            raise reader.fail(f"{where}：未知的键“{extra[0]}”", f"{path}.{extra[0]}",
                              "title 和以下运算之一：" + "、".join(f"{k}（{v[1]}）" for k, v in OPERATIONS.items()))
        if len(operations) != 1:
            raise reader.fail(f"{where}需要且只能有一种运算", path,
                              "以下之一：" + "、".join(f"{k}（{v[1]}）" for k, v in OPERATIONS.items()))
        operation = operations[0]
        operands = spec[operation]
        count, meaning = OPERATIONS[operation]
        if not isinstance(operands, list) or (len(operands) != count if count else len(operands) < 2):
            raise reader.fail(f"{where}：{operation} 的运算项个数不对", f"{path}.{operation}",
                              f"{meaning}；写成列表，如 [budget.spent, budget.initial]")
        usable = known | {m.name for m in found}
        for operand in operands:
            if not isinstance(operand, str) or operand not in usable:
                raise reader.fail(f"{where}：“{operand}”不是已知的事实或指标", f"{path}.{operation}",
                                  "事实文件中的键、reportkit names 列出的指标名，或本文件中在它之前定义的指标")
        found.append(DefinedMetric(name, str(spec.get("title") or name), operation, tuple(operands),
                                   reader.located.line(path)))
    return tuple(found)


def _settings(reader: _Reader, raw: Any) -> dict[str, Any]:
    raw = reader.keys(raw or {}, tuple(DEFAULT_SETTINGS), "设置 settings", "settings")
    settings = {**DEFAULT_SETTINGS, **raw}
    for key, choices in SETTINGS_CHOICES.items():
        if settings[key] not in choices:
            raise reader.fail(f"设置“{key}”的值“{settings[key]}”无效", f"settings.{key}", "、".join(choices))
    decimals = settings["decimals"]
    if isinstance(decimals, bool) or not isinstance(decimals, int) or not 0 <= decimals <= 4:
        raise reader.fail(f"设置“decimals”的值“{decimals}”无效", "settings.decimals", "0 到 4 之间的整数")
    for key, kinds in SETTINGS_KINDS.items():
        value = settings[key]
        if not isinstance(value, (list, tuple)) or any(str(k) not in kinds for k in value):
            raise reader.fail(f"设置“{key}”的值“{value}”无效", f"settings.{key}", "以下类型组成的列表：" + "、".join(kinds))
        settings[key] = tuple(str(k) for k in value)
    days = settings["disclosure_days"]
    if isinstance(days, bool) or not isinstance(days, int) or not 0 < days <= 366:
        raise reader.fail(f"设置“disclosure_days”的值“{days}”无效", "settings.disclosure_days", "1 到 366 之间的整数（天）")
    return settings


def _annex(reader: _Reader, raw: Any) -> dict[str, Any]:
    raw = reader.keys(raw or {}, ANNEX_KEYS, "附件 annex", "annex")
    layout = raw.get("layout", "standard")
    if layout not in ANNEX_LAYOUTS:
        raise reader.fail(f"附件版式“{layout}”无效", "annex.layout", "、".join(ANNEX_LAYOUTS))
    defaults = ANNEX_DEFAULTS[layout]
    headers = dict(defaults["headers"])
    given = reader.keys(raw.get("headers") or {}, tuple(headers), "附件表头 annex.headers", "annex.headers")
    headers.update({k: (str(v) if v is not None else None) for k, v in given.items()})
    rows = {k: (str(raw[k]) if raw.get(k) is not None else None) if k in raw else defaults[k]
            for k in ("total_row", "grade_row")}
    return {"layout": layout, "headers": headers, **rows}


def _grades(reader: _Reader, raw: Any) -> tuple[tuple[Fraction, str], ...]:
    if not raw:
        return DEFAULT_GRADES
    if not isinstance(raw, dict):
        raise reader.fail("等级 grades 应是“等级: 最低分”的映射", "grades", "如 {优: 90, 良: 80, 中: 60, 差: 0}")
    grades = tuple(sorted(((reader.number(v, f"等级“{k}”的最低分", f"grades.{k}"), str(k)) for k, v in raw.items()),
                          reverse=True))
    if grades[-1][0] != 0:
        raise reader.fail("等级 grades 中最低一档的最低分应为 0，否则低分无等级", "grades", "如 差: 0")
    return grades


def _wording(reader: _Reader, raw: Any) -> dict[str, dict[str, str]]:
    raw = reader.keys(raw or {}, LEVELS, "措辞 wording", "wording")
    out = {}
    for level, mapping in raw.items():
        if not isinstance(mapping, dict):
            raise reader.fail(f"措辞 wording.{level} 应是“原文: 替换为”的映射", f"wording.{level}", "如 市委市政府: 区委区政府")
        out[str(level)] = {str(a): str(b) for a, b in mapping.items()}
    return out


def parse_framework(data: Any, located: Located) -> Framework:
    reader = _Reader(located)
    data = reader.keys(data, TOP_KEYS, "框架文件的顶层", "")
    fid = reader.text(data, "id", "框架", "")
    year = data.get("year", 0)
    if isinstance(year, bool) or not isinstance(year, int) or not (year == 0 or 1990 <= year <= 2100):
        raise reader.fail(f"年度“{year}”无效", "year", "四位数年份，如 2021")
    level = str(data.get("level") or "市")
    if level not in LEVELS:
        raise reader.fail(f"层级“{level}”无效", "level", "、".join(LEVELS))
    notes = data.get("notes") or ()
    if not isinstance(notes, (list, tuple)):
        raise reader.fail("附注 notes 应是文字列表", "notes", "每条附注一行，以“- ”开头")

    reader.defined = _defined(reader, data.get("metrics"))
    levels, indicators = [], []
    for li, lraw in enumerate(reader.items(data, "levels", "框架", "")):
        lpath = f"levels.{li}"
        reader.keys(lraw, LEVEL_KEYS, f"第{li + 1}个一级指标", lpath)
        lname = reader.text(lraw, "name", f"第{li + 1}个一级指标", lpath)
        lweight = reader.number(lraw.get("weight"), f"一级指标“{lname}”的分值", f"{lpath}.weight", positive=True)
        groups = []
        for gi, graw in enumerate(reader.items(lraw, "groups", f"一级指标“{lname}”", lpath)):
            gpath = f"{lpath}.groups.{gi}"
            reader.keys(graw, GROUP_KEYS, f"“{lname}”下第{gi + 1}个二级指标", gpath)
            gname = reader.text(graw, "name", f"“{lname}”下第{gi + 1}个二级指标", gpath)
            gweight = reader.number(graw.get("weight"), f"二级指标“{gname}”的分值", f"{gpath}.weight", positive=True)
            items = []
            for ii, iraw in enumerate(reader.items(graw, "indicators", f"二级指标“{gname}”", gpath)):
                ipath = f"{gpath}.indicators.{ii}"
                reader.keys(iraw, INDICATOR_KEYS, f"“{gname}”下第{ii + 1}个三级指标", ipath)
                iname = reader.text(iraw, "name", f"“{gname}”下第{ii + 1}个三级指标", ipath)
                where = f"三级指标“{iname}”"
                iweight = reader.number(iraw.get("weight"), f"{where}的分值", f"{ipath}.weight", positive=True)
                parts = tuple(
                    reader.part(praw, where, f"{ipath}.parts.{pi}")
                    for pi, praw in enumerate(reader.items(iraw, "parts", where, ipath))
                )
                total_points = sum((part_points(p.rule, p.params) for p in parts), Fraction(0))
                if total_points != iweight:
                    raise reader.fail(
                        f"{where}：各评分项合计 {plain_f(total_points)} 分，与指标分值 {plain_f(iweight)} 分不符",
                        f"{ipath}.parts", f"各评分项分值之和等于 {plain_f(iweight)}",
                    )
                zero_if = iraw.get("zero_if")
                if zero_if is not None and (not isinstance(zero_if, str) or zero_if not in names_of_kind("texts")):
                    problem = (f"zero_if 引用了未知的事实“{zero_if}”" if isinstance(zero_if, str)
                               else "zero_if 应是一个事实的名称（一段文字），写的是列表或键值对")
                    raise reader.fail(f"{where}：{problem}", f"{ipath}.zero_if",
                                      "文字列表类事实：" + "、".join(sorted(names_of_kind("texts"))))
                standard = reader.text(iraw, "standard", where, ipath)
                reader.stated_points(iname, standard, iweight, ipath)
                indicator = Indicator(
                    lname, gname, iname, iweight,
                    reader.text(iraw, "description", where, ipath, required=False),
                    standard, parts, zero_if, located.line(ipath),
                )
                items.append(indicator)
                indicators.append(indicator)
            reader.check_sum(f"二级指标“{gname}”", gweight, [i.weight for i in items], gpath, "三级指标")
            groups.append(Group(gname, gweight, tuple(items)))
        reader.check_sum(f"一级指标“{lname}”", lweight, [g.weight for g in groups], lpath, "二级指标")
        levels.append(Level(lname, lweight, tuple(groups)))
    total = reader.number(data.get("total", 100), "总分", "total", positive=True)
    reader.check_sum("框架总分", total, [lv.weight for lv in levels], "", "一级指标")
    names = [i.name for i in indicators]
    dupes = sorted({n for n in names if names.count(n) > 1})
    if dupes:
        first = next(i for i in indicators if i.name == dupes[0] and names.count(i.name) > 1)
        raise ReportError(f"三级指标名称重复：{'、'.join(dupes)}", file=located.file, line=first.line,
                          expected="每个三级指标名称只出现一次（得分、扣分按名称对应）")
    return Framework(
        id=fid,
        title=reader.text(data, "title", "框架", ""),
        year=year,
        level=level,
        total=total,
        levels=tuple(levels),
        settings=_settings(reader, data.get("settings")),
        annex=_annex(reader, data.get("annex")),
        grades=_grades(reader, data.get("grades")),
        file=located.file,
        caption=str(data.get("caption") or data.get("title")),
        notes=tuple(str(n) for n in notes),
        wording=_wording(reader, data.get("wording")),
        indicators=tuple(indicators),
        source=str(data.get("source") or ""),
        metrics=reader.defined,
    )


def plain_f(value: Fraction) -> str:
    return plain(Decimal(value.numerator) / Decimal(value.denominator))


def shipped_dir() -> Path:
    return Path(__file__).parent / "frameworks"


def shipped_ids() -> list[str]:
    return sorted(p.name[:-5] for p in shipped_dir().iterdir() if p.name.endswith(".yaml"))


def load_framework(ref: str, base: Path) -> Framework:
    """A shipped framework by id, or a framework file relative to the report folder."""
    candidate = base / ref
    if ref.endswith((".yaml", ".yml")) or candidate.is_file():
        path = candidate
    else:
        path = shipped_dir() / f"{ref}.yaml"
        if not path.is_file():
            raise ReportError(
                f"找不到评价指标体系“{ref}”", key="report.framework",
                expected="以下编号之一：" + "、".join(shipped_ids()) + "，或报告目录中的框架文件路径（以 .yaml 结尾）",
            )
    text = read_yaml_text(path)
    key = (str(path), text)
    framework = _LOADED.get(key)
    if framework is None:
        framework = parse_framework(*load_yaml(path, text))
        if len(_LOADED) >= _MAX_LOADED:
            _LOADED.pop(next(iter(_LOADED)))  # the oldest
        _LOADED[key] = framework
    return copy.copy(framework)  # a caller may set an attribute on its own copy


# Frameworks parsed in this process, by file and text: the preview rebuilds at every save and
# batch loads the same shipped framework for every unit.
_LOADED: dict[tuple[str, str], Framework] = {}
_MAX_LOADED = 16
