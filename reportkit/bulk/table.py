"""The summary table both 汇总.xlsx and 汇总.html show: one row per unit, one column per
indicator matched by name across frameworks (empty, and said so, where a framework lacks it)."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from .pool import UnitResult

TEXT, SCORE, COUNT = "text", "score", "count"


@dataclass
class Column:
    """A column of the batch summary table: its title, kind and header note."""

    title: str
    kind: str
    note: str = ""  # shown as the header's comment (xlsx) or tooltip (html)
    absent: list[str] = field(default_factory=list)  # frameworks without this indicator or level


@dataclass
class Table:
    """The batch summary table: columns, one row per report folder, and the results behind them."""

    columns: list[Column]
    rows: list[list[Any]]  # None: empty cell
    results: list[UnitResult]


def _merge(orders: list[list[str]]) -> list[str]:
    """Names in one order: each framework's own order, a name new to the list placed after
    the name that precedes it in its framework."""
    merged: list[str] = []
    for names in orders:
        for i, name in enumerate(names):
            if name in merged:
                continue
            before = next((names[j] for j in range(i - 1, -1, -1) if names[j] in merged), None)
            merged.insert(merged.index(before) + 1 if before else len(merged), name)
    return merged


def _weights(text: str, weights: dict[str, set[Decimal]]) -> str:
    values = sorted(weights.get(text, ()))
    return "分值 " + " / ".join(f"{w.normalize():f}" for w in values) if values else ""


def _absent_note(absent: list[str]) -> str:
    return f"评价指标体系 {'、'.join(absent)} 没有此项，这些单位此列为空" if absent else ""


def summary_table(results: list[UnitResult]) -> Table:
    built = [r for r in results if r.summary]
    frameworks: dict[str, dict[str, Any]] = {}
    for r in built:
        frameworks.setdefault(r.summary["framework"], r.summary)
    levels = _merge([[lv["name"] for lv in s["levels"]] for s in frameworks.values()])
    indicators = _merge([[i["name"] for i in s["indicators"]] for s in frameworks.values()])
    weights: dict[str, set[Decimal]] = {}
    has: dict[str, set[str]] = {}
    for fid, s in frameworks.items():
        for item in s["levels"] + s["indicators"]:
            weights.setdefault(item["name"], set()).add(item["weight"])
            has.setdefault(item["name"], set()).add(fid)

    def scored(name: str) -> Column:
        absent = sorted(f for f in frameworks if f not in has[name])
        note = "；".join(x for x in (_weights(name, weights), _absent_note(absent)) if x)
        return Column(name, SCORE, note, absent)

    columns = [
        Column("单位", TEXT), Column("层级", TEXT), Column("年度", COUNT), Column("评价指标体系", TEXT),
        Column("总分", SCORE), Column("等级", TEXT),
        *[scored(name) for name in levels], *[scored(name) for name in indicators],
        Column("覆盖得分数", COUNT, "overrides 中坚持与规则不同得分的指标数"),
        Column("自评与计算不一致数", COUNT, "declared: 中单位自评的得分与按规则计算的得分不同的指标数"),
        Column("检查错误", COUNT, "reportkit check 的错误数"),
        Column("检查警告", COUNT, "reportkit check 的警告数"),
        Column("状态", TEXT), Column("输出目录", TEXT),
    ]
    rows = []
    for r in results:
        s = r.summary
        if s is None:
            rows.append([r.unit.name, None, int(r.unit.year) if r.unit.year.isdigit() else None, None, None, None,
                         *[None] * (len(levels) + len(indicators)), None, None, None, None,
                         r.status, r.unit.folder])
            continue
        by_level = {lv["name"]: lv["score"] for lv in s["levels"]}
        by_indicator = {i["name"]: i["score"] for i in s["indicators"]}
        rows.append([
            s["unit"], s["level"], s["year"], s["framework"], s["total"], s["grade"],
            *[by_level.get(n) for n in levels], *[by_indicator.get(n) for n in indicators],
            len(s["overrides"]), len(s["differences"]), s["errors"], s["warnings"],
            r.status, r.unit.folder,
        ])
    return Table(columns, rows, results)


def notes(table: Table) -> list[str]:
    """What a reader of the summary should know: columns empty for a framework, shared names."""
    lines = [f"“{c.title}”：{_absent_note(c.absent)}" for c in table.columns if c.absent]
    seen = set()
    for r in table.results:
        for note in r.unit.notes:
            if note not in seen:
                seen.add(note)
                lines.append(note)
    return lines


def exceptions(results: list[UnitResult]) -> list[list[Any]]:
    """Every override and every declared score that differs from the computed one."""
    rows = []
    for r in results:
        if not r.summary:
            continue
        for entry in r.summary["overrides"] + r.summary["differences"]:
            known = entry["computed"] is not None and entry["score"] is not None
            rows.append([r.summary["unit"], entry["indicator"], entry["kind"], entry["computed"],
                         entry["score"], entry["score"] - entry["computed"] if known else None,
                         "是" if entry["differs"] else "否", entry["reason"]])
    return rows


def failures(results: list[UnitResult]) -> list[list[Any]]:
    return [[r.unit.name, str(r.unit.root), r.status, r.message] for r in results if not r.ok]
