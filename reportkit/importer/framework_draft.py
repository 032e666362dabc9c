"""`reportkit framework import`: a bureau's indicator table → a draft framework file.

Names, weights and texts are kept exactly as printed; each indicator's rule is read from its
scoring text (framework_rules.py); what cannot be read becomes a judgement with a `# TODO`
quoting the text. Weights that do not add up are reported with both sums and the draft is
written anyway: `reportkit framework check` then says what is still to fix.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction
from pathlib import Path
from typing import Any

from ..errors import ReportError
from .framework_rules import DERIVED, Recognized, recognize
from .framework_table import TOTAL_ROW, Table, number, read_table, roles, split_weight


@dataclass
class DraftIndicator:
    """An indicator read from a scoring table, before it is checked as a framework."""

    level: str
    group: str
    name: str
    weight: Decimal | None
    description: str
    standard: str
    row: int
    recognized: Recognized | None = None


@dataclass
class DraftGroup:
    """A 二级指标 read from a scoring table."""

    name: str
    weight: Decimal | None
    indicators: list[DraftIndicator] = field(default_factory=list)


@dataclass
class DraftLevel:
    """A 一级指标 read from a scoring table."""

    name: str
    weight: Decimal | None
    groups: list[DraftGroup] = field(default_factory=list)


@dataclass
class Draft:
    """A framework read from a scoring table, with the problems the author must look at."""

    source: str
    levels: list[DraftLevel]
    problems: list[str]  # weights that do not add up, unreadable cells: the author must look
    notes: list[str]  # what was left out (hidden columns, total rows)

    @property
    def indicators(self) -> list[DraftIndicator]:
        return [i for lv in self.levels for g in lv.groups for i in g.indicators]

    @property
    def todos(self) -> int:
        return sum(len(i.recognized.todos) for i in self.indicators if i.recognized)


def _sum(values: list[Decimal | None]) -> Decimal:
    return sum((v for v in values if v is not None), Decimal(0))


def read_draft(table: Table) -> Draft:
    """The table's rows as levels, groups and indicators, with every weight problem named."""
    col = roles(table.header)
    if "name3" not in col and "name2" not in col:
        raise ReportError(f"“{table.source}”的表头中没有找到指标名称列（读到的表头：{'；'.join(h for h in table.header if h)}）",
                          file=table.source, expected="表头含“一级指标”“二级指标”“三级指标”（或“指标名称”）")
    problems: list[str] = []
    notes = list(table.notes)
    levels: list[DraftLevel] = []
    last = {"1": "", "2": ""}

    def cell(row: list[str], key: str) -> str:
        return row[col[key]].strip() if key in col and col[key] < len(row) else ""

    for offset, row in enumerate(table.rows):
        line = table.first_row + offset
        if any(TOTAL_ROW.match(c) for c in row if c):
            notes.append(f"第 {line} 行是合计/总分行，未作为指标读取")
            continue
        name1, w1 = split_weight(cell(row, "name1") or last["1"])
        name2, w2 = split_weight(cell(row, "name2") or last["2"])
        name3, w3 = split_weight(cell(row, "name3") or name2)
        if not name3:
            continue
        last["1"], last["2"] = cell(row, "name1") or last["1"], cell(row, "name2") or last["2"]
        w1 = number(cell(row, "weight1")) if "weight1" in col else w1
        w2 = number(cell(row, "weight2")) if "weight2" in col else w2
        stated = cell(row, "weight3")
        weight = number(stated) if "weight3" in col else w3
        if weight is None:
            weight = w3
        if weight is None:
            problems.append(f"第 {line} 行 三级指标“{name3}”：分值“{stated}”不是数字")
        if not levels or levels[-1].name != name1:
            levels.append(DraftLevel(name1 or "（未命名一级指标）", w1))
        level = levels[-1]
        if not level.groups or level.groups[-1].name != name2:
            level.groups.append(DraftGroup(name2 or name3, w2))
        standard = cell(row, "standard")
        description = cell(row, "description")
        level.groups[-1].indicators.append(
            DraftIndicator(name1, name2, name3, weight, description if standard else "", standard or description, line))
    if not levels:
        raise ReportError(f"“{table.source}”的指标表中没有读到指标行", file=table.source,
                          expected="表头下每行一个三级指标，含名称和分值")
    for level in levels:
        for group in level.groups:
            total = _sum([i.weight for i in group.indicators])
            if group.weight is None:
                group.weight = total
            elif total != group.weight:
                problems.append(f"二级指标“{group.name}”：表中分值 {group.weight}，其下三级指标分值合计 {total}")
        total = _sum([g.weight for g in level.groups])
        if level.weight is None:
            level.weight = total
        elif total != level.weight:
            problems.append(f"一级指标“{level.name}”：表中分值 {level.weight}，其下二级指标分值合计 {total}")
    names = [i.name for i in (i for lv in levels for g in lv.groups for i in g.indicators)]
    for name in sorted({n for n in names if names.count(n) > 1}):
        problems.append(f"三级指标名称“{name}”出现了 {names.count(name)} 次：得分按名称对应，请改成不同的名称")
    draft = Draft(table.source, levels, problems, notes)
    for indicator in draft.indicators:
        if indicator.weight:
            indicator.recognized = recognize(indicator.name, Fraction(indicator.weight), indicator.standard)
    return draft


# --- the YAML text ----------------------------------------------------------------------


def _q(text: str) -> str:
    """A YAML scalar that reads back as exactly this text (JSON strings are YAML)."""
    return json.dumps(text, ensure_ascii=False)


def _num(value: Fraction | Decimal | int) -> str:
    if isinstance(value, Fraction):
        value = Decimal(value.numerator) / Decimal(value.denominator)
    text = format(Decimal(value).normalize(), "f")
    return text


def _block(key: str, text: str, indent: str) -> str:
    lines = [ln.rstrip() for ln in text.strip().splitlines()]
    if len(lines) <= 1:
        return f"{indent}{key}: {_q(text.strip())}\n"
    body = "".join(f"{indent}  {ln}\n" if ln else "\n" for ln in lines)
    if any(ln[:1].isspace() for ln in lines):  # a block scalar cannot start with spaces
        return f"{indent}{key}: {_q(chr(10).join(lines))}\n"
    return f"{indent}{key}: |-\n{body}"


def _value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (Fraction, Decimal, int)):
        return _num(value)
    if isinstance(value, dict):
        return "{" + ", ".join(f"{_q(str(k))}: {_value(v)}" for k, v in value.items()) + "}"
    text = str(value)
    return text if re.fullmatch(r"[a-z_][a-z0-9_.]*", text) else _q(text)


def _part(part: dict) -> str:
    return "{" + ", ".join(f"{k}: {_value(v)}" for k, v in part.items()) + "}"


def draft_yaml(draft: Draft, fid: str, title: str) -> str:
    total = _sum([lv.weight for lv in draft.levels])
    out = [
        f"# 由 reportkit framework import 从“{draft.source}”生成的评价指标体系草稿。\n",
        "# 指标名称、分值、指标说明和评分标准照录原表；每个三级指标的 parts 是从评分标准读出的评分规则。\n",
        "# 请逐项核对：标有 TODO 的地方没有读出规则（暂按人工评判记分），或原表分值对不上。\n",
        "# 核对后运行 reportkit framework check 本文件，再在 facts.yaml 的 report.framework 中写它的相对路径。\n",
    ]
    out += [f"# TODO {p}\n" for p in draft.problems]
    out += [f"# 说明：{n}\n" for n in draft.notes]
    out += [
        f"id: {_q(fid)}\n", f"title: {_q(title)}\n", f"caption: {_q(title)}\n",
        f"source: {_q('导入自 ' + draft.source)}\n", "year: 0\n", "level: 市\n",
        f"total: {_num(total)}\n",
        "settings:\n  rounding: truncate            # truncate（截尾）或 half_up（四舍五入）：按评价通知的要求\n  decimals: 2\n",
        "annex:\n  layout: standard\n",
    ]
    derived = sorted({n for i in draft.indicators if i.recognized for n in i.recognized.derived()})
    if derived:
        out.append("metrics:                        # 评分规则用到的自定义指标\n")
        for name in derived:
            title_, operation, operands = DERIVED[name]
            out.append(f"  {name}: {{title: {_q(title_)}, {operation}: [{', '.join(operands)}]}}\n")
    out.append("levels:\n")
    for level in draft.levels:
        out += [f"  - name: {_q(level.name)}\n", f"    weight: {_num(level.weight or 0)}\n", "    groups:\n"]
        for group in level.groups:
            out += [f"      - name: {_q(group.name)}\n", f"        weight: {_num(group.weight or 0)}\n",
                    "        indicators:\n"]
            for ind in group.indicators:
                pad = "            "
                out.append(f"          - name: {_q(ind.name)}\n")
                if ind.weight is None:
                    out.append(f"{pad}weight: 0  # TODO 原表第 {ind.row} 行的分值不是数字\n")
                else:
                    out.append(f"{pad}weight: {_num(ind.weight)}\n")
                if ind.description:
                    out.append(_block("description", ind.description, pad))
                out.append(_block("standard", ind.standard or ind.name, pad))
                recognized = ind.recognized
                if recognized and recognized.zero_if:
                    out.append(f"{pad}zero_if: {recognized.zero_if}\n")
                out.append(f"{pad}parts:\n")
                for todo in (recognized.todos if recognized else ["分值不是数字，没有读评分规则"]):
                    out.append(f"{pad}  # TODO {' '.join(todo.split())}\n")
                for part in (recognized.parts if recognized else [{"rule": "judgement", "points": 0}]):
                    out.append(f"{pad}  - {_part(part)}\n")
    return "".join(out)


@dataclass
class FrameworkImport:
    """A framework draft written to a file, and whether it loads as it is."""

    draft: Draft
    path: Path
    loaded: bool  # the draft loads as a framework as it is
    error: ReportError | None


def import_framework(source: Path, output: Path | None = None, fid: str | None = None,
                     title: str | None = None) -> FrameworkImport:
    """Read the table, write the draft (atomically) and try loading it."""
    from ..compute import parse_framework
    from ..load import load_yaml, write_text_atomic

    source = Path(source)
    table = read_table(source)
    draft = read_draft(table)
    fid = fid or re.sub(r"[^\w.-]+", "-", source.stem).strip("-") or "imported"
    output = Path(output) if output else source.with_suffix(".yaml")
    if output.resolve() == source.resolve():
        raise ReportError("输出文件不能是导入的表格本身", file=output, expected="用 -o 指定另一个 .yaml 文件")
    write_text_atomic(output, draft_yaml(draft, fid, title or source.stem))
    try:
        data, located = load_yaml(output)
        parse_framework(data, located)
    except ReportError as exc:
        return FrameworkImport(draft, output, False, exc)
    return FrameworkImport(draft, output, True, None)
