"""Scores as data: the JSON contract of `reportkit score --json` and build/scores.json.

Numbers are strings holding their exact decimals ("5.41") so no reader turns them into floats.
"""

from __future__ import annotations

import json
from decimal import Decimal
from fractions import Fraction
from typing import Any

from ..compute import IndicatorScore, Scores, is_judgement_part
from ..numbers import plain


def json_number(value: Decimal | Fraction | None) -> str | None:
    if value is None:
        return None
    if isinstance(value, Fraction):
        value = Decimal(value.numerator) / Decimal(value.denominator)
    return plain(value)


def _exact(value: Fraction | None) -> str | None:
    """An exact value: a decimal when it has one ("2.9"), else numerator/denominator ("39/7")."""
    if value is None:
        return None
    rest = value.denominator
    for prime in (2, 5):
        while rest % prime == 0:
            rest //= prime
    return json_number(value) if rest == 1 else f"{value.numerator}/{value.denominator}"


def reason(s: IndicatorScore) -> str | None:
    """Why the score is not the full weight: the override, the deductions, the zero rule, or
    the working of each computed part that gave less than its points."""
    if s.override:
        return s.override.reason
    texts = [r for _, r in s.deductions]
    if s.zeroed:
        texts.append(s.zeroed)
    texts += [
        result.working for part, result in zip(s.indicator.parts, s.parts, strict=True)
        if result and not result.deductions and result.score < result.points and not is_judgement_part(part.rule, part.params)
    ]
    return "；".join(texts) or None


def working(s: IndicatorScore) -> dict[str, Any]:
    """Everything a reviewer needs to redo the score by hand.

    The facts the rules read (as the report prints them), each part's computed value, score
    and deductions with reasons, the exact sum, the computed (rounded) score, the final
    score, and an override with its reason beside the computed score it replaces.
    """
    parts = []
    for number, (part, result) in enumerate(zip(s.indicator.parts, s.parts, strict=True), start=1):
        entry: dict[str, Any] = {"part": number, "rule": part.rule, "label": part.label or None,
                                 "points": json_number(result.points) if result else None}
        if result:
            entry.update(score=_exact(result.score), value=result.value, working=result.working,
                         not_applicable=result.not_applicable,
                         deductions=[{"points": json_number(d), "reason": r} for d, r in result.deductions])
        parts.append(entry)
    return {
        "facts": [{"key": f.key, "title": f.title, "value": f.value} for f in s.facts],
        "parts": parts,
        "deductions": [
            {"part": number, "points": json_number(d), "reason": r}
            for number, result in enumerate(s.parts, start=1) if result for d, r in result.deductions
        ],
        "exact": _exact(s.exact),
        "computed": json_number(s.computed),
        "final": json_number(s.final),
        "missing_facts": list(s.missing),
        # only when a rate divides by a fact that is 0 (keeps the usual scores.json as it was)
        **({"zero_denominators": [{"metric": z.metric, "divisor": z.divisor, "reason": z.text}
                                  for z in s.zero_divisors]} if s.zero_divisors else {}),
        "zeroed": s.zeroed,
        "override": {"score": json_number(s.override.score), "reason": s.override.reason,
                     "computed": json_number(s.computed)} if s.override else None,
    }


def _declared(s: IndicatorScore) -> dict[str, Any]:
    """The unit's own score beside the computed one (only for reports with a declared: block)."""
    if not s.declared_given:
        return {}
    return {"declared": {"score": json_number(s.declared), "differs": s.declared_differs,
                         "cause": s.declared_cause, "note": s.declared_note or None}}


def scores_to_data(scores: Scores) -> dict[str, Any]:
    fw = scores.framework
    declared = any(s.declared_given for s in scores.indicators) or scores.declared_total is not None
    head = {"declared": {"total": json_number(scores.declared_total), "grade": scores.declared_grade,
                         "source": scores.declared_source or None}} if declared else {}
    return {
        "framework": fw.id,
        "framework_title": fw.title,
        "total": json_number(scores.total),
        "grade": scores.grade,
        "computed_total": json_number(scores.computed_total),
        "computed_grade": scores.computed_grade,
        "levels": [{"name": lv.name, "weight": json_number(lv.weight), "score": json_number(lv.score)} for lv in scores.levels],
        "groups": [
            {"level": sub.level, "name": sub.name, "weight": json_number(sub.weight), "score": json_number(sub.score)}
            for sub in scores.groups
        ],
        "indicators": [
            {
                "level": s.indicator.level,
                "group": s.indicator.group,
                "name": s.indicator.name,
                "weight": json_number(s.indicator.weight),
                "computed": None if s.judgement_only else json_number(s.computed),
                "score": json_number(s.final),
                "reason": reason(s),
                "overridden": s.override is not None,
                "working": working(s),
                **_declared(s),
            }
            for s in scores.indicators
        ],
        **head,
    }


def scores_to_json(scores: Scores) -> str:
    return json.dumps(scores_to_data(scores), ensure_ascii=False, indent=2) + "\n"
