"""Every name a section may use in {{ }}, with its meaning, current value and unit.

`reportkit names` prints this list, so an author looks a name up in their own report instead
of reading the example. The names are the template context's, flattened to dotted paths.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..compute import METRICS, Framework, Scores, zero_divisor
from ..load import BY_PATH, FIELDS, Facts, load_options, outline_for
from .report import load_scores, template_context

# Names of the context that are not facts or metrics: title and unit.
_OTHERS: dict[str, tuple[str, str]] = {
    "quarters": ("各季度：number、cumulative（累计支出）、progress（支出进度）、schedule（序时进度）、rate（执行率）", ""),
    "extra": ("自定义事实（extra:）", ""),
    "framework.id": ("评价指标体系编号", ""),
    "framework.title": ("评价指标体系名称", ""),
    "scores": ("各三级指标最终得分，如 scores[\"预算执行率\"]", "分"),
    "indicators": ("各三级指标：weight（分值）、score（得分）、computed（计算得分）、lost（失分）", "分"),
    "levels": ("各一级指标：weight、score", "分"),
    "level_scores": ("一级指标列表：name、weight、score", "分"),
    "total": ("总分", "分"),
    "grade": ("评价等级", ""),
    "tables": ("生成的表格，如 {{ tables.quarterly() }}", ""),
    "lost": ("失分指标列表：name、weight、score、lost", "分"),
    "annexes": ("附件的编号和标题：label、title", ""),
}
_TABLES = {
    "quarterly": "分季度预算执行情况表",
    "procurement": "政府采购执行情况表",
    "fixed_assets": "固定资产利用情况表",
    "budget": "预算安排及执行情况表",
    "projects": "项目支出及完成情况表",
}


@dataclass(frozen=True)
class Name:
    """A name a section may write in {{ }}, with its title and the value the report prints."""

    name: str  # as written in {{ }}
    title: str
    value: str  # as the report prints it; "" when not known
    unit: str
    note: str = ""  # why there is no value, or how a fact was computed


def _shown(value: Any) -> str:
    if value is None or callable(value):
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, (list, tuple)):
        return f"列表，{len(value)} 项"
    if isinstance(value, dict):
        return "、".join(f"{k} {_shown(v)}" for k, v in value.items())
    return str(value)  # Money, Rate, Score, Day and text print as the report does


def _order() -> dict[str, int]:
    names = [f.path for f in FIELDS] + list(METRICS) + list(_OTHERS)
    order: dict[str, int] = {}
    for name in names:
        order.setdefault(name.split(".")[0], len(order))
    return order


def _flatten(context: dict[str, Any]) -> list[tuple[str, Any]]:
    """Dotted names of the context; a fact or metric holding a mapping is listed, then its keys."""
    out: list[tuple[str, Any]] = []

    def walk(prefix: str, node: Any) -> None:
        spec = BY_PATH.get(prefix)
        valued = prefix in METRICS or (spec is not None and spec.kind in ("headcount", "contract"))
        if prefix and (not isinstance(node, dict) or valued):
            out.append((prefix, node))
        if isinstance(node, dict):
            for key, value in node.items():
                walk(f"{prefix}.{key}" if prefix else str(key), value)

    walk("", context)
    return out


def written(name: str) -> str:
    """The name as a section writes it: scores["社会效益、经济效益…"] where a part is not an identifier."""
    head, *rest = name.split(".")
    return head + "".join(f".{p}" if p.isidentifier() else f'["{p}"]' for p in rest)


def list_names(facts: Facts, framework: Framework, metrics: dict[str, Any], scores: Scores,
               context: dict[str, Any]) -> list[Name]:
    rows: list[tuple[str, Name]] = []
    flat = _flatten(context)
    present = {name for name, _ in flat}
    # facts not filled in are not in the context yet: listed so the author knows the name
    flat += [(f.path, None) for f in FIELDS if f.path not in present and f.path != "adjustments"]
    for name, value in flat:
        head = name.split(".")[0]
        if head == "tables":
            rows.append((name, Name(f"{name}(caption=\"标题\")", _TABLES.get(name.split(".", 1)[1], "生成的表格"), "", "")))
            continue
        spec, metric = BY_PATH.get(name), METRICS.get(name)
        note = ""
        if spec is not None:
            title, unit = spec.title, spec.unit
            if name in facts.derived:
                note = f"由 {facts.derived[name]} 计算"
            elif value is None:
                note = "未填写（填写后可用）" if name not in present else "未填写"
        elif metric is not None:
            title, unit = metric.title, metric.unit
            zero = zero_divisor(name, metrics, framework.metric_needs, framework.metric_divisors) if value is None else None
            if zero is not None:
                note = f"无法计算：{zero.text}"
            elif value is None:
                note = "需要 " + "、".join(metric.needs)
        elif head == "extra":
            title, unit = "自定义事实（extra）", ""
        elif name in _OTHERS or head in _OTHERS:
            title, unit = _OTHERS.get(name) or _OTHERS[head]
            if head in ("scores", "indicators", "levels") and name != head:
                title = name.split(".", 1)[1].replace(".", " · ")
        else:
            title, unit = "", ""
        rows.append((name, Name(written(name), title, _shown(value), unit, note)))
    order = _order()
    position = {f.path: i for i, f in enumerate(FIELDS)} | {m: len(FIELDS) + i for i, m in enumerate(METRICS)}
    rows.sort(key=lambda r: (order.get(r[0].split(".")[0], len(order)), position.get(r[0], len(position))))
    return [row for _, row in rows]


def names_of_report(root: Path) -> list[Name]:
    """The names of the report folder at `root` with their current values."""
    paths, facts, framework, metrics, scores = load_scores(root)
    outline = outline_for(paths, facts, load_options(paths))
    context = template_context(facts, framework, metrics, scores, outline)
    return list_names(facts, framework, metrics, scores, context)
