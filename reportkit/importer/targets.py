"""The 目标完成情况自评表 of an imported report, back into the `targets:` block.

The table (as seed 002 prints it and as reportkit draws it) has three parts, each under its
own header row: tasks (任务名称, 完成情况, 预算数 / 执行数 in 元, each 全额 and 其中：财政拨款),
the overall goals (预期目标, 目标实际完成情况) and the indicators (一级, 二级, 三级指标, 预期指标值,
实际完成指标值). Columns are found by their header cells, so merged cells (left blank by the
Word reader) and extra columns do not matter. Amounts are turned from 元 into 万元.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from fractions import Fraction

from .docx import Item
from .outline import nfkc

EMPTY = "（原表为空）"  # a required text the table leaves blank


@dataclass
class TargetsReading:
    """The 目标完成情况自评表 read from an imported Word file."""

    tasks: list[dict] = field(default_factory=list)
    goals: list[dict] = field(default_factory=list)
    indicators: list[dict] = field(default_factory=list)
    unit: str = ""  # 部门（单位）名称 as the table gives it
    year: str = ""
    blanks: int = 0  # required cells the table leaves empty

    @property
    def found(self) -> bool:
        return bool(self.tasks or self.goals or self.indicators)


def _squash(text: str) -> str:
    return re.sub(r"\s+", "", nfkc(text))


def _col(row: list[str], *words: str) -> int | None:
    return next((i for i, c in enumerate(row) if _squash(c) in words), None)


def _yuan(text: str) -> Decimal | None:
    """A 元 amount of the table as 万元, exactly (the decimal point moved by four places)."""
    try:
        value = Decimal(_squash(text).replace(",", ""))
    except InvalidOperation:
        return None
    if not value.is_finite():
        return None
    sign, digits, exponent = value.as_tuple()
    return Decimal((sign, digits, exponent - 4)).normalize()


def is_targets_table(cells: list[list[str]]) -> bool:
    flat = {_squash(c) for row in cells for c in row}
    return "任务名称" in flat and ("预期目标" in flat or "预期指标值" in flat)


UNIT_LINE = re.compile(r"^(?:部门[（(]单位[）)]|部门|单位)名称\s*[:：]?\s*(\S.*?)\s+预算年度\s*[:：]?\s*((?:19|20)\d{2})?")


def read_targets(items: list[Item]) -> TargetsReading:
    out = TargetsReading()
    for item in items:
        if item.kind == "table" and is_targets_table(item.cells):
            _read(item.cells, out)
        elif item.kind == "text" and not out.unit:  # the table's first row flattened to a line (PDF text)
            match = UNIT_LINE.match(item.plain.strip())
            if match:
                out.unit, out.year = match.group(1).strip(), match.group(2) or ""
    return out


def _read(cells: list[list[str]], out: TargetsReading) -> None:
    part = ""
    cols: dict[str, int | None] = {}
    carry = {"level": "", "group": ""}
    for r, row in enumerate(cells):
        flat = [_squash(c) for c in row]
        if "预算年度" in flat:
            name = _col(row, "部门（单位）名称", "部门(单位)名称", "单位名称", "部门名称")
            values = [c.strip() for c in row if c.strip() and _squash(c) not in (
                "部门（单位）名称", "部门(单位)名称", "单位名称", "部门名称", "预算年度")]
            if name is not None and values:
                out.unit = out.unit or values[0]
                out.year = values[1] if len(values) > 1 else ""
            continue
        if "任务名称" in flat:
            part = "tasks"
            below = cells[r + 1] if r + 1 < len(cells) else []
            full = [i for i, c in enumerate(below) if _squash(c) == "全额"]
            fiscal = [i for i, c in enumerate(below) if _squash(c).startswith("其中")]
            cols = {"name": _col(row, "任务名称"), "result": _col(row, "完成情况"),
                    "budget": full[0] if full else None, "spent": full[1] if len(full) > 1 else None,
                    "budget_fiscal": fiscal[0] if fiscal else None,
                    "spent_fiscal": fiscal[1] if len(fiscal) > 1 else None}
            continue
        if "预期目标" in flat:
            part = "goals"
            cols = {"expected": _col(row, "预期目标"), "actual": _col(row, "目标实际完成情况", "实际完成情况")}
            continue
        if "预期指标值" in flat:
            part = "indicators"
            cols = {"level": _col(row, "一级指标"), "group": _col(row, "二级指标"), "name": _col(row, "三级指标"),
                    "expected": _col(row, "预期指标值", "年度指标值", "指标值"),
                    "actual": _col(row, "实际完成指标值", "实际完成值", "完成值")}
            continue
        cell = {k: (row[i].strip() if i is not None and i < len(row) else "") for k, i in cols.items()}
        if part == "tasks":
            if any(_squash(c) in ("金额合计", "合计") for c in row) or all(_squash(c) in ("全额", "") or
                                                                           _squash(c).startswith("其中") for c in row):
                continue
            if not cell.get("name"):
                continue
            task = {"name": cell["name"], "result": cell.get("result") or EMPTY}
            out.blanks += not cell.get("result")
            for key in ("budget", "budget_fiscal", "spent", "spent_fiscal"):
                value = _yuan(cell.get(key, ""))
                if value is not None:
                    task[key] = value
            if "budget" not in task or "spent" not in task:
                continue  # not a task row (a note under the table)
            for key, full in (("budget_fiscal", "budget"), ("spent_fiscal", "spent")):
                if task.get(key) == task[full]:
                    del task[key]  # the same as the full amount: the default
            out.tasks.append(task)
        elif part == "goals":
            if cell.get("expected") or cell.get("actual"):
                out.blanks += (not cell.get("expected")) + (not cell.get("actual"))
                out.goals.append({"expected": cell.get("expected") or EMPTY, "actual": cell.get("actual") or EMPTY})
        elif part == "indicators":
            for key in ("level", "group"):  # merged down: the cell above
                if cell.get(key):
                    carry[key] = cell[key]
            if not cell.get("name"):
                continue  # a 二级 heading with no indicator under it (seed 002's empty 效益 rows)
            out.blanks += (not cell.get("expected")) + (not cell.get("actual"))
            out.indicators.append({"level": carry["level"] or EMPTY, "group": carry["group"] or EMPTY,
                                   "name": cell["name"], "expected": cell.get("expected") or EMPTY,
                                   "actual": cell.get("actual") or EMPTY})


def _text(value: str) -> str:
    return json.dumps(value, ensure_ascii=False)


def _amount(value: Decimal, in_yuan: bool) -> str:
    if in_yuan:  # as the table printed it: 98835000.00
        sign, digits, exponent = value.as_tuple()
        return format(Decimal((sign, digits, exponent + 4)), ".2f")
    return format(value, "f")


_AMOUNTS = ("budget", "budget_fiscal", "spent", "spent_fiscal")


def targets_block(reading: TargetsReading) -> list[str]:
    """The reading as the `targets:` block of facts.yaml: in 元 as the table has them (unit: 元),
    unless an amount has more than two decimals of 元, then in 万元."""
    if not (reading.tasks and reading.goals and reading.indicators):
        return []
    amounts = [t[k] for t in reading.tasks for k in _AMOUNTS if k in t]
    in_yuan = all((Fraction(v) * 1_000_000).denominator == 1 for v in amounts)  # whole 分
    how = "金额按原表以元填写" if in_yuan else "金额已由元换算为万元"
    lines = ["", f"# 导入时从原报告的“目标完成情况自评表”读出（{how}）；新年度请改为本年的任务和指标：",
             "targets:", *(["  unit: 元"] if in_yuan else []), "  tasks:"]
    for t in reading.tasks:
        bits = [f"name: {_text(t['name'])}", f"result: {_text(t['result'])}"]
        bits += [f"{k}: {_amount(t[k], in_yuan)}" for k in _AMOUNTS if k in t]
        lines.append("    - {" + ", ".join(bits) + "}")
    lines.append("  goals:")
    lines += [f"    - {{expected: {_text(g['expected'])}, actual: {_text(g['actual'])}}}" for g in reading.goals]
    lines.append("  indicators:")
    for x in reading.indicators:
        lines.append("    - {" + ", ".join(f"{k}: {_text(x[k])}" for k in ("level", "group", "name", "expected", "actual"))
                     + "}")
    return lines
