"""This year against last year: `{{ previous.… }}` and `{{ change.… }}` in the text.

With `previous:` every metric of last year's report is also `previous.<name>`, and every
figure both years have is `change.<name>`, a Change that prints the 同比 phrase:

    {{ change.budget.initial }}          增加 2,326.52 万元，增长 8.84%
    {{ change.budget.execution_rate }}   提高 1.20 个百分点
    {{ change.total }}                   提高 1.5 分
    {{ change.budget.initial.amount | wan }}   2,326.52（也有 .size .rate .points .word .trend .rise）

Rules read the same names (a framework's rule on the change of “三公”经费 reads
`change.three_public.spent.rate`).
"""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction
from typing import Any

from ..numbers import money, percent, plain, quantize
from .values import Money, Rate, Score


class Change(dict):
    """A figure this year against last year. In a section it prints the 同比 phrase; its keys
    are amount (signed), size (without sign), rate (relative, None when last year was 0),
    points (a rate's change in percentage points), word 增加/减少, trend 增长/下降, rise
    提高/降低 (each 持平 when equal), previous and current. A dict, because sections may
    only read keys (the template sandbox)."""

    def __init__(self, current: Any, previous: Any, unit: str = ""):
        diff = Fraction(current) - Fraction(previous)
        if isinstance(current, Money):
            amount: Any = Money(Decimal(current) - Decimal(previous))
        elif isinstance(current, Rate):
            amount = Rate(diff)
        elif isinstance(current, Score):
            amount = Score(Decimal(current) - Decimal(previous))
        else:
            amount = current - previous
        sign = (diff > 0) - (diff < 0)
        super().__init__(
            current=current, previous=previous, amount=amount, size=-amount if sign < 0 else amount,
            rate=Rate(diff / Fraction(previous)) if previous else None,
            points=f"{quantize(abs(diff) * 100, 2, 'half_up'):.2f}",
            word=("减少", "持平", "增加")[sign + 1], trend=("下降", "持平", "增长")[sign + 1],
            rise=("降低", "持平", "提高")[sign + 1],
        )
        self.reportkit_text = self._phrase(unit, sign)

    def _phrase(self, unit: str, sign: int) -> str:
        current, size = self["current"], self["size"]
        if sign == 0:
            return "持平"
        if isinstance(current, Rate):
            return f"{self['rise']} {self['points']} 个百分点"
        if isinstance(current, Score):
            return f"{self['rise']} {plain(Decimal(size))} 分"
        shown = money(size) if isinstance(current, Money) else str(size)
        unit = f" {unit}" if unit else (" 万元" if isinstance(current, Money) else "")
        text = f"{self['word']} {shown}{unit}"
        rate = self["rate"]
        return f"{text}，{self['trend']} {percent(abs(rate))}" if rate is not None else text

    def __str__(self) -> str:
        return self.reportkit_text

    def __format__(self, spec: str) -> str:
        return str(self)


def _comparable(value: Any) -> bool:
    return isinstance(value, (int, Decimal, Fraction)) and not isinstance(value, bool)


def previous_metrics(metrics: dict[str, Any], last: dict[str, Any], last_scores: Any = None,
                     last_year: Any = None) -> dict[str, Any]:
    """`previous.<name>` for every metric of last year's report and `change.<name>` for every
    number both years have; last year's total, grade and indicator scores."""
    found: dict[str, Any] = {}
    for name, value in last.items():
        if name.startswith(("previous.", "change.")) or name == "quarters":
            continue
        found[f"previous.{name}"] = value
        now = metrics.get(name)
        if _comparable(value) and _comparable(now) and type(now) is type(value):
            found[f"change.{name}"] = Change(now, value)
    if last_year is not None:
        found["previous.year"] = last_year
    if last_scores is not None:
        found["previous.total"] = last_scores.total
        found["previous.grade"] = last_scores.grade
        found["previous.scores"] = {s.indicator.name: s.final for s in last_scores.indicators}
    return found


def score_changes(scores: Any, last_scores: Any) -> dict[str, Any]:
    """`change.total` and `change.scores[指标]` once this year's scores are known."""
    found: dict[str, Any] = {}
    if scores.total is not None and last_scores.total is not None:
        found["change.total"] = Change(scores.total, last_scores.total)
    before = {s.indicator.name: s.final for s in last_scores.indicators}
    found["change.scores"] = {
        s.indicator.name: Change(s.final, before[s.indicator.name])
        for s in scores.indicators if s.final is not None and before.get(s.indicator.name) is not None
    }
    return found
