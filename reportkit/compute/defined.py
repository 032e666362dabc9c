"""Metrics a framework defines itself, so that a new indicator needs no code.

A framework file may say, for instance,

    metrics:
      budget.completion_rate: {title: 预算完成率, ratio: [budget.spent, budget.initial]}
      three_public.change_rate: {title: “三公”经费变动率, change: [three_public.spent, three_public.previous_spent]}

and then score `budget.completion_rate` with any rule that reads a rate. The operations are
exact (Fraction / Decimal): ratio a ÷ b, difference a − b, sum a + b + …, change (a − b) ÷ b.
A metric may use the facts, the built-in metrics and the metrics defined above it.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from typing import Any

from .values import Money, Rate

# operation → (how many operands: exact number or None for two or more, what it means)
OPERATIONS: dict[str, tuple[int | None, str]] = {
    "ratio": (2, "比率：第一项 ÷ 第二项"),
    "difference": (2, "差额：第一项 − 第二项"),
    "sum": (None, "合计：各项相加"),
    "change": (2, "变动率：（本年 − 上年）÷ 上年，第一项为本年，第二项为上年"),
}
# The operations whose result is a rate (a parameter of kind "rate" may name them).
RATE_OPERATIONS = ("ratio", "change")


@dataclass(frozen=True)
class DefinedMetric:
    """A metric a framework defines itself from facts and other metrics (a sum, a ratio …)."""

    name: str
    title: str
    operation: str
    operands: tuple[str, ...]
    line: int | None = None

    @property
    def is_rate(self) -> bool:
        return self.operation in RATE_OPERATIONS

    def formula(self, titles: dict[str, str]) -> str:
        shown = [titles.get(o, o) for o in self.operands]
        if self.operation == "ratio":
            return f"{shown[0]} ÷ {shown[1]}"
        if self.operation == "difference":
            return f"{shown[0]} − {shown[1]}"
        if self.operation == "sum":
            return " + ".join(shown)
        return f"（{shown[0]} − {shown[1]}）÷ {shown[1]}"


def _number(value: Any) -> Fraction | None:
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, (int, Fraction)):
        return Fraction(value)
    if isinstance(value, Decimal):
        return Fraction(value)
    return None


def _amount(value: Fraction, like: list[Any]) -> Any:
    """A difference or sum keeps its operands' type: 万元 stay Money, counts stay int."""
    if value.denominator == 1 and all(isinstance(v, int) and not isinstance(v, bool) for v in like):
        return int(value)
    if all(isinstance(v, Rate) for v in like):
        return Rate(value)
    decimal = Decimal(value.numerator) / Decimal(value.denominator)
    return Money(decimal) if any(isinstance(v, Money) for v in like) else decimal


def evaluate(metric: DefinedMetric, metrics: dict[str, Any]) -> Any:
    """The metric's value, or None while an operand is missing or a ratio's divisor is 0."""
    raw = [metrics.get(o) for o in metric.operands]
    values = [_number(v) for v in raw]
    if any(v is None for v in values):
        return None
    if metric.operation == "ratio":
        return Rate(values[0] / values[1]) if values[1] else None
    if metric.operation == "change":
        return Rate((values[0] - values[1]) / values[1]) if values[1] else None
    if metric.operation == "difference":
        return _amount(values[0] - values[1], raw)
    return _amount(sum(values, Fraction(0)), raw)


def with_defined(defined: tuple[DefinedMetric, ...], metrics: dict[str, Any]) -> dict[str, Any]:
    """The metrics with the framework's own added, in the order the framework defines them."""
    if not defined:
        return metrics
    out = dict(metrics)
    for metric in defined:
        out[metric.name] = evaluate(metric, out)
    return out


def needs_of(defined: tuple[DefinedMetric, ...], builtin: dict[str, tuple[str, ...]]) -> dict[str, tuple[str, ...]]:
    """For each defined metric, the facts it reads in the end (for the to-do list)."""
    needs: dict[str, tuple[str, ...]] = {}
    for metric in defined:
        found: list[str] = []
        for operand in metric.operands:
            for fact in needs.get(operand) or builtin.get(operand) or (operand,):
                if fact not in found:
                    found.append(fact)
        needs[metric.name] = tuple(found)
    return needs
