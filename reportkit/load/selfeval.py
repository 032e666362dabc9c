"""The 目标完成情况自评表 (seed 002's last annex), from the optional `targets:` block.

facts.yaml:

    targets:
      tasks:                     # 年度主要任务完成情况; amounts in 万元, printed in 元
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

The table is described once as a grid of cells with row and column spans (`targets_grid`);
the Word annex (render/docx/annex.py) and the HTML (render/html/render.py) both draw that grid.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from ..errors import ReportError
from ..numbers import quantize
from .yamlio import Located

TITLE = "{主体}整体支出绩效目标完成情况自评表"
COLUMNS = 7  # the section label, then six columns
_NUMBER = re.compile(r"^[+-]?\d+(\.\d+)?$")
_KEYS = {
    "targets": ("tasks", "goals", "indicators"),
    "tasks": ("name", "result", "budget", "budget_fiscal", "spent", "spent_fiscal"),
    "goals": ("expected", "actual"),
    "indicators": ("level", "group", "name", "expected", "actual"),
}
_EXAMPLES = {
    "tasks": "{name: 任务名称, result: 完成情况, budget: 预算数（万元）, budget_fiscal: 其中财政拨款, "
             "spent: 执行数（万元）, spent_fiscal: 其中财政拨款}",
    "goals": "{expected: 预期目标, actual: 目标实际完成情况}",
    "indicators": "{level: 一级指标, group: 二级指标, name: 三级指标, expected: 预期指标值, actual: 实际完成指标值}",
}


@dataclass(frozen=True)
class Task:
    name: str
    result: str
    budget: Decimal  # 万元
    budget_fiscal: Decimal
    spent: Decimal
    spent_fiscal: Decimal


@dataclass(frozen=True)
class Goal:
    expected: str
    actual: str


@dataclass(frozen=True)
class Indicator:
    level: str  # 一级指标
    group: str  # 二级指标
    name: str  # 三级指标
    expected: str
    actual: str


@dataclass(frozen=True)
class Targets:
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


def _text(item: dict, key: str, located: Located, path: str, block: str) -> str:
    raw = item.get(key)
    if raw is None or isinstance(raw, (dict, list)) or not str(raw).strip():
        raise _fail(located, f"{path}.{key}" if key in item else path, f"缺少“{key}”（一段文字）", _EXAMPLES[block])
    return str(raw).strip()


def _amount(item: dict, key: str, located: Located, path: str) -> Decimal:
    where = f"{path}.{key}"
    expected = "不小于 0 的数字，单位万元，不带千分位逗号和单位，如 9883.5（表中换算为元）"
    if key not in item or item[key] is None:
        raise _fail(located, path, f"缺少金额“{key}”", expected)
    raw = item[key]
    if isinstance(raw, bool):
        raise _fail(located, where, f"这里需要数字，写的是“{raw}”", expected)
    if isinstance(raw, (int, Decimal)):
        value = Decimal(raw)
    elif isinstance(raw, str) and _NUMBER.match(raw.strip()):
        value = Decimal(raw.strip())
    else:
        raise _fail(located, where, f"这里需要数字，写的是“{raw}”", expected)
    if not value.is_finite() or value < 0:
        raise _fail(located, where, f"金额不能为负数（写的是 {raw}）", expected)
    return value


def _list(data: dict, block: str, located: Located) -> list:
    raw = data.get(block)
    if not isinstance(raw, list) or not raw:
        path = f"targets.{block}" if block in data else "targets"
        raise _fail(located, path, f"targets 下需要非空的列表“{block}”", f"每项写成 {_EXAMPLES[block]}")
    return raw


def _task(raw: Any, located: Located, path: str) -> Task:
    item = _mapping(raw, located, path, "tasks")
    budget = _amount(item, "budget", located, path)
    spent = _amount(item, "spent", located, path)
    budget_fiscal = _amount(item, "budget_fiscal", located, path) if item.get("budget_fiscal") is not None else budget
    spent_fiscal = _amount(item, "spent_fiscal", located, path) if item.get("spent_fiscal") is not None else spent
    if budget_fiscal > budget:
        raise _fail(located, f"{path}.budget_fiscal",
                    f"预算数中的财政拨款 {budget_fiscal} 不能大于预算数全额 {budget}", "财政拨款不超过全额")
    if spent_fiscal > spent:
        raise _fail(located, f"{path}.spent_fiscal", f"执行数中的财政拨款 {spent_fiscal} 不能大于执行数全额 {spent}",
                    "财政拨款不超过全额")
    return Task(_text(item, "name", located, path, "tasks"), _text(item, "result", located, path, "tasks"),
                budget, budget_fiscal, spent, spent_fiscal)


def parse_targets(raw: Any, located: Located) -> Targets | None:
    """The `targets:` block of facts.yaml, validated; None when there is none."""
    if raw is None:
        return None
    data = _mapping(raw, located, "targets", "targets")
    tasks = tuple(_task(t, located, f"targets.tasks.{i}") for i, t in enumerate(_list(data, "tasks", located)))
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
    text: str
    rowspan: int = 1
    colspan: int = 1
    head: bool = False  # a heading cell: bold
    wide: bool = False  # long text, left-aligned
    vertical: bool = False  # the section label, written top to bottom


def yuan(value: Decimal) -> str:
    """万元 → 元 with two decimals and no separators, as seed 002 writes them: 98835000.00."""
    return f"{quantize(value * 10000, 2, 'half_up')}"


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
    sums = [sum((getattr(t, key) for t in tasks), Decimal(0))
            for key in ("budget", "budget_fiscal", "spent", "spent_fiscal")]
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
    text = {"anyOf": [{"type": "string", "minLength": 1}, {"type": "number"}]}
    amount = {"type": "number", "minimum": 0, "description": "万元，表中换算为元"}

    def listing(title: str, keys: tuple[str, ...], required: list[str], kinds: dict[str, dict]) -> dict[str, Any]:
        item = {"type": "object", "properties": {k: kinds.get(k, text) for k in keys}, "required": required,
                "additionalProperties": False}
        return {"title": title, "type": "array", "minItems": 1, "items": item}

    return {
        "title": "目标完成情况自评表",
        "description": "可选：填写后在评分表之后生成“整体支出绩效目标完成情况自评表”附件。",
        "type": ["object", "null"],  # an empty `targets:` is no annex
        "properties": {
            "tasks": listing("年度主要任务完成情况", _KEYS["tasks"], ["name", "result", "budget", "spent"],
                             {k: amount for k in ("budget", "budget_fiscal", "spent", "spent_fiscal")}),
            "goals": listing("年度总体目标完成情况", _KEYS["goals"], list(_KEYS["goals"]), {}),
            "indicators": listing("年度绩效指标完成情况", _KEYS["indicators"], list(_KEYS["indicators"]), {}),
        },
        "required": list(_KEYS["targets"]),
        "additionalProperties": False,
    }
