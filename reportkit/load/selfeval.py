"""The 目标完成情况自评表 (seed 002's last annex), from the optional `targets:` block.

facts.yaml:

    targets:
      unit: 万元                 # the unit of the amounts: 万元 (default) or 元, printed in 元
      tasks:                     # 年度主要任务完成情况
        - name: 人员支出
          result: 完成保障单位人员的工资、社保、房补工作
          budget: 9883.5         # 预算数 全额
          budget_fiscal: 9883.5  # 预算数 其中：财政拨款 (default: the full amount)
          spent: 9679.070878     # 执行数 全额
          spent_fiscal: 9679.070878
      goals:                     # 年度总体目标完成情况
        - expected: 完成安全、及时、优质引航 20000 艘次
          actual: 全年完成引航 23306 艘次
      indicators:                # 年度绩效指标完成情况
        - {level: 产出指标, group: 数量指标, name: 引航货轮数量, expected: 20000 艘次, actual: 23306 艘次}

A cell the table leaves blank is written as null or '' (budget: ~, actual: ''): it prints empty
and a total sums the amounts given. A key left out is a mistake (缺少…), except the two
其中：财政拨款 amounts, which are then the full amounts.

The table is described once as a grid of cells with row and column spans (`targets_grid`);
the Word annex (render/docx/annex.py) and the HTML (render/html/render.py) both draw that grid.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from typing import Any

from ..errors import ReportError
from ..numbers import quantize
from .yamlio import MAX_DIGITS, Located

TITLE = "{主体}整体支出绩效目标完成情况自评表"
COLUMNS = 7  # the section label, then six columns
_NUMBER = re.compile(r"^[+-]?\d+(\.\d+)?$")
_KEYS = {
    "targets": ("unit", "tasks", "goals", "indicators"),
    "tasks": ("name", "result", "budget", "budget_fiscal", "spent", "spent_fiscal"),
    "goals": ("expected", "actual"),
    "indicators": ("level", "group", "name", "expected", "actual"),
}
UNITS = ("万元", "元")  # what `targets.unit` may say; amounts are kept in 万元
_EXAMPLES = {
    "tasks": "{name: 任务名称, result: 完成情况, budget: 预算数（万元）, budget_fiscal: 其中财政拨款, "
             "spent: 执行数（万元）, spent_fiscal: 其中财政拨款}",
    "goals": "{expected: 预期目标, actual: 目标实际完成情况}",
    "indicators": "{level: 一级指标, group: 二级指标, name: 三级指标, expected: 预期指标值, actual: 实际完成指标值}",
}


@dataclass(frozen=True)
class Task:
    """A row of the 自评表's tasks: name, result, budget and spending in 万元."""

    name: str
    result: str
    budget: Decimal | None  # 万元, exactly (元 amounts are divided by 10,000 without rounding); None: blank
    budget_fiscal: Decimal | None
    spent: Decimal | None
    spent_fiscal: Decimal | None


@dataclass(frozen=True)
class Goal:
    """The 自评表's expected and actual overall goal."""

    expected: str
    actual: str


@dataclass(frozen=True)
class Indicator:
    """A row of the 自评表's indicators: where it sits, expected and actual value."""

    level: str  # 一级指标
    group: str  # 二级指标
    name: str  # 三级指标
    expected: str
    actual: str


@dataclass(frozen=True)
class Targets:
    """The 目标完成情况自评表: tasks, goals and indicators."""

    tasks: tuple[Task, ...]
    goals: tuple[Goal, ...]
    indicators: tuple[Indicator, ...]


def _fail(located: Located, path: str, message: str, expected: str | None = None) -> ReportError:
    return ReportError(message, file=located.file, line=located.line(path), key=path, expected=expected)


def _mapping(raw: Any, located: Located, path: str, block: str) -> dict:
    example = _EXAMPLES.get(block, "tasks、goals、indicators 三个列表")
    if not isinstance(raw, dict):
        raise _fail(located, path, "这里需要键值对", example)
    for key in raw:
        if key not in _KEYS[block]:
            raise _fail(located, f"{path}.{key}", f"未知的键“{key}”；可用的键：{'、'.join(_KEYS[block])}", example)
    return raw


def _blank(raw: Any) -> bool:
    """A cell left blank on purpose: null or an empty text."""
    return raw is None or isinstance(raw, str) and not raw.strip()


def _text(item: dict, key: str, located: Located, path: str, block: str) -> str:
    if key not in item:
        raise _fail(located, path, f"缺少“{key}”（一段文字；表中空白的一格写 {key}: ''）", _EXAMPLES[block])
    raw = item[key]
    if _blank(raw):
        return ""
    if isinstance(raw, (dict, list)):
        raise _fail(located, f"{path}.{key}", f"“{key}”需要一段文字", _EXAMPLES[block])
    return str(raw).strip()


def _shift(value: Decimal, places: int) -> Decimal:
    """value × 10^places, exactly (no context rounding, whatever the number of digits)."""
    sign, digits, exponent = value.as_tuple()
    return Decimal((sign, digits, exponent + places))


def _amount(item: dict, key: str, located: Located, path: str, unit: str = "万元") -> Decimal | None:
    where = f"{path}.{key}"
    if unit == "元":
        expected = "不小于 0 的数字，单位元（targets.unit: 元），最多两位小数，不带千分位逗号和单位，如 98835000.00"
    else:
        expected = "不小于 0 的数字，单位万元，不带千分位逗号和单位，如 9883.5（表中换算为元）"
    if key not in item:
        raise _fail(located, path, f"缺少金额“{key}”（表中空白的一格写 {key}: ''）", expected)
    raw = item[key]
    if _blank(raw):
        return None
    if isinstance(raw, bool):
        raise _fail(located, where, f"这里需要数字，写的是“{raw}”", expected)
    if isinstance(raw, (int, Decimal)):
        value = Decimal(raw)
    elif isinstance(raw, str) and _NUMBER.match(raw.strip()):
        if (digits := sum(c.isdigit() for c in raw)) > MAX_DIGITS:  # YAML kept it as text: too long
            raise _fail(located, where, f"数字过长（{digits:,} 位，超过 {MAX_DIGITS} 位）", expected)
        value = Decimal(raw.strip())
    else:
        raise _fail(located, where, f"这里需要数字，写的是“{raw}”", expected)
    if not value.is_finite() or value < 0:
        raise _fail(located, where, f"金额不能为负数（写的是 {raw}）", expected)
    if unit == "元":
        if (Fraction(value) * 100).denominator != 1:
            raise _fail(located, where, f"以元为单位的金额最多两位小数（到分），写的是 {raw}", expected)
        return _shift(value, -4)
    return value


def _list(data: dict, block: str, located: Located) -> list:
    raw = data.get(block)
    if not isinstance(raw, list) or not raw:
        path = f"targets.{block}" if block in data else "targets"
        raise _fail(located, path, f"targets 下需要非空的列表“{block}”", f"每项写成 {_EXAMPLES[block]}")
    return raw


def _task(raw: Any, located: Located, path: str, unit: str) -> Task:
    item = _mapping(raw, located, path, "tasks")
    budget = _amount(item, "budget", located, path, unit)
    spent = _amount(item, "spent", located, path, unit)
    budget_fiscal = _amount(item, "budget_fiscal", located, path, unit) if "budget_fiscal" in item else budget
    spent_fiscal = _amount(item, "spent_fiscal", located, path, unit) if "spent_fiscal" in item else spent
    if None not in (budget, budget_fiscal) and budget_fiscal > budget:
        raise _fail(located, f"{path}.budget_fiscal",
                    f"预算数中的财政拨款 {_shown(budget_fiscal, unit)} 不能大于预算数全额 {_shown(budget, unit)}",
                    "财政拨款不超过全额")
    if None not in (spent, spent_fiscal) and spent_fiscal > spent:
        raise _fail(located, f"{path}.spent_fiscal",
                    f"执行数中的财政拨款 {_shown(spent_fiscal, unit)} 不能大于执行数全额 {_shown(spent, unit)}",
                    "财政拨款不超过全额")
    return Task(_text(item, "name", located, path, "tasks"), _text(item, "result", located, path, "tasks"),
                budget, budget_fiscal, spent, spent_fiscal)


def _shown(value: Decimal, unit: str) -> str:
    """An amount as the author typed it (in the table's unit)."""
    return f"{_shift(value, 4).normalize():f}" if unit == "元" else f"{value}"


def _unit(data: dict, located: Located) -> str:
    raw = data.get("unit")
    if raw is None:
        return "万元"
    if raw not in UNITS:
        raise _fail(located, "targets.unit", f"金额单位“{raw}”不是可选值",
                    "万元（默认）或 元：表中各项金额的单位，表中一律以元列出")
    return raw


def parse_targets(raw: Any, located: Located) -> Targets | None:
    """The `targets:` block of facts.yaml, validated; None when there is none."""
    if raw is None:
        return None
    data = _mapping(raw, located, "targets", "targets")
    unit = _unit(data, located)
    tasks = tuple(_task(t, located, f"targets.tasks.{i}", unit) for i, t in enumerate(_list(data, "tasks", located)))
    goals = []
    for i, g in enumerate(_list(data, "goals", located)):
        path = f"targets.goals.{i}"
        item = _mapping(g, located, path, "goals")
        goals.append(Goal(_text(item, "expected", located, path, "goals"), _text(item, "actual", located, path, "goals")))
    indicators = []
    for i, x in enumerate(_list(data, "indicators", located)):
        path = f"targets.indicators.{i}"
        item = _mapping(x, located, path, "indicators")
        indicators.append(Indicator(*(_text(item, key, located, path, "indicators") for key in _KEYS["indicators"])))
    return Targets(tasks, tuple(goals), tuple(_grouped(indicators)))


def _grouped(indicators: list[Indicator]) -> list[Indicator]:
    """Indicators of one 一级 and 二级 together (in order of first appearance), so their cells merge."""
    levels: dict[str, dict[str, list[Indicator]]] = {}
    for x in indicators:
        levels.setdefault(x.level, {}).setdefault(x.group, []).append(x)
    return [x for groups in levels.values() for items in groups.values() for x in items]


# -- the grid ----------------------------------------------------------------------------------


@dataclass
class GridCell:
    """A cell of the 自评表 as the renderers lay it out."""

    text: str
    rowspan: int = 1
    colspan: int = 1
    head: bool = False  # a heading cell: bold
    wide: bool = False  # long text, left-aligned
    vertical: bool = False  # the section label, written top to bottom


def yuan(value: Decimal | None) -> str:
    """万元 → 元 with two decimals and no separators, as seed 002 writes them: 98835000.00; blank: ""."""
    return "" if value is None else f"{quantize(_shift(value, 4), 2, 'half_up')}"


def column_total(values: list[Decimal | None]) -> Decimal | None:
    """The 金额合计 of a column: the amounts given (a blank cell adds nothing); None when all are blank."""
    given = [v for v in values if v is not None]
    return sum(given, Decimal(0)) if given else None


def targets_grid(targets: Targets, unit: str, year: int) -> list[list[GridCell]]:
    """The rows of the 自评表; covered cells of a span are left out, as in HTML."""
    H = _head
    rows: list[list[GridCell]] = [
        [H("部门（单位）名称", colspan=2), GridCell(unit, colspan=2), H("预算年度"), GridCell(str(year), colspan=2)],
    ]
    tasks = targets.tasks
    rows.append([H("年度主要任务完成情况", rowspan=len(tasks) + 3, vertical=True), H("任务名称", rowspan=2),
                 H("完成情况", rowspan=2), H("预算数（元）", colspan=2), H("执行数（元）", colspan=2)])
    rows.append([H("全额"), H("其中：财政拨款"), H("全额"), H("其中：财政拨款")])
    for t in tasks:
        rows.append([GridCell(t.name), GridCell(t.result, wide=True),
                     *(GridCell(yuan(v)) for v in (t.budget, t.budget_fiscal, t.spent, t.spent_fiscal))])
    sums = [column_total([getattr(t, key) for t in tasks]) for key in ("budget", "budget_fiscal", "spent", "spent_fiscal")]
    rows.append([H("金额合计", colspan=2), *(GridCell(yuan(v)) for v in sums)])
    goals = targets.goals
    rows.append([H("年度总体目标完成情况", rowspan=len(goals) + 1, vertical=True), H("预期目标", colspan=3),
                 H("目标实际完成情况", colspan=3)])
    rows += [[GridCell(g.expected, colspan=3, wide=True), GridCell(g.actual, colspan=3, wide=True)] for g in goals]
    items = targets.indicators
    rows.append([H("年度绩效指标完成情况", rowspan=len(items) + 1, vertical=True), H("一级指标"), H("二级指标"),
                 H("三级指标", colspan=2), H("预期指标值"), H("实际完成指标值")])
    for k, x in enumerate(items):
        cells = []
        if k == 0 or items[k - 1].level != x.level:
            cells.append(GridCell(x.level, rowspan=_run(items, k, lambda i: i.level)))
        if k == 0 or (items[k - 1].level, items[k - 1].group) != (x.level, x.group):
            cells.append(GridCell(x.group, rowspan=_run(items, k, lambda i: (i.level, i.group))))
        cells += [GridCell(x.name, colspan=2), GridCell(x.expected), GridCell(x.actual)]
        rows.append(cells)
    return rows


def _head(text: str, **spans: Any) -> GridCell:
    return GridCell(text, head=True, **spans)


def _run(items: tuple[Indicator, ...], k: int, key) -> int:  # noqa: ANN001
    n = 1
    while k + n < len(items) and key(items[k + n]) == key(items[k]):
        n += 1
    return n


def targets_schema() -> dict[str, Any]:
    """The `targets` block in the JSON Schema of facts.yaml (reportkit/load/schema.py)."""
    # Read as text: a bare number (actual: 17) is accepted as the words "17".
    text = {"anyOf": [{"type": "string"}, {"type": "number"}, {"type": "null"}]}  # '' or null: a blank cell
    amount = {"anyOf": [{"type": "number", "minimum": 0}, {"type": "null"}, {"const": ""}],
              "description": "单位见 unit（默认万元），表中换算为元；空白的一格写 null 或 ''"}

    def listing(title: str, keys: tuple[str, ...], required: list[str], kinds: dict[str, dict]) -> dict[str, Any]:
        item = {"type": "object", "properties": {k: kinds.get(k, text) for k in keys}, "required": required,
                "additionalProperties": False}
        return {"title": title, "type": "array", "minItems": 1, "items": item}

    return {
        "title": "目标完成情况自评表",
        "description": "可选：填写后在评分表之后生成“整体支出绩效目标完成情况自评表”附件。",
        "type": ["object", "null"],  # an empty `targets:` is no annex
        "properties": {
            "unit": {"title": "金额单位", "enum": list(UNITS), "description": "tasks 中金额的单位，默认万元；表中一律以元列出"},
            "tasks": listing("年度主要任务完成情况", _KEYS["tasks"], ["name", "result", "budget", "spent"],
                             {k: amount for k in ("budget", "budget_fiscal", "spent", "spent_fiscal")}),
            "goals": listing("年度总体目标完成情况", _KEYS["goals"], list(_KEYS["goals"]), {}),
            "indicators": listing("年度绩效指标完成情况", _KEYS["indicators"], list(_KEYS["indicators"]), {}),
        },
        "required": ["tasks", "goals", "indicators"],
        "additionalProperties": False,
    }
