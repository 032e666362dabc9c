"""What a worker sends back about one built unit: plain data, small enough to pickle quickly."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction
from pathlib import Path
from typing import Any

from ..build import build
from ..check import check_report
from ..findings import ERROR, WARNING


def _dec(value: Decimal | Fraction | None) -> Decimal | None:
    if value is None:
        return None
    if isinstance(value, Fraction):
        return Decimal(value.numerator) / Decimal(value.denominator)
    return Decimal(value)


def summarize(report: Any, counts: dict[str, int]) -> dict[str, Any]:
    """The row of 汇总.xlsx and 汇总.html for one unit, its overrides and the indicators whose
    declared score (the unit's own 自评表, `declared:`) differs from the computed one."""
    facts, scores = report.facts, report.scores
    overrides, differences = [], []
    for s in scores.indicators:
        if s.override is not None:
            overrides.append({
                "indicator": s.indicator.name, "kind": "覆盖得分", "computed": _dec(s.computed),
                "score": _dec(s.final), "reason": s.override.reason, "differs": s.differs,
            })
        if s.declared_differs:  # the unit's own table (declared:) against the rules
            differences.append({
                "indicator": s.indicator.name, "kind": "自评与计算不一致", "computed": _dec(s.computed),
                "score": _dec(s.declared), "reason": s.declared_note, "differs": True,
            })
    return {
        "unit": facts.get("report.unit"),
        "level": facts.get("report.level") or "",
        "year": facts.get("report.year"),
        "framework": scores.framework.id,
        "framework_title": scores.framework.title,
        "total": _dec(scores.total),
        "grade": scores.grade,
        "computed_total": _dec(scores.computed_total),
        "levels": [{"name": lv.name, "weight": _dec(lv.weight), "score": _dec(lv.score)} for lv in scores.levels],
        "indicators": [
            {"name": s.indicator.name, "level": s.indicator.level, "weight": _dec(s.indicator.weight),
             "score": _dec(s.final), "computed": _dec(s.computed)}
            for s in scores.indicators
        ],
        "overrides": overrides,
        "differences": differences,
        "errors": counts.get(ERROR, 0),
        "warnings": counts.get(WARNING, 0),
    }


def build_and_summarize(root: Path, out: Path, pdf: bool) -> tuple[dict[str, Any], list[str]]:
    """Check the unit, then build it into `out` (exactly what `reportkit build` writes): the
    outputs appear last, so a stop in between leaves no outputs without a result."""
    counts = check_report(root).counts()
    result = build(root, pdf=pdf, out=out)
    return summarize(result.report, counts), [str(p) for p in result.outputs]
