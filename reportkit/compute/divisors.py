"""Why a rate has no value although its facts are filled in: the figure it divides by is 0.

A rate over a zero denominator cannot be computed, so the metric is None, exactly as when its
facts are missing. Telling the author to "fill in" a fact they did fill in (with 0) leaves them
guessing; this module is the one place that tells the two apart, for the rules (score, build,
check), the text references and the generated tables alike.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..load import BY_PATH
from .metrics import BUDGET_PARTS, METRICS, NEEDS


def _builtin() -> dict[str, str]:
    """Built-in rate metric → the fact or metric it divides by (as compute_metrics computes it)."""
    out = {
        "budget.execution_rate": "budget.adjusted",
        "budget.change_rate": "budget.previous_initial",
        "budget.adjustment_ratio_adjusted": "budget.adjusted",
        "budget.adjustment_ratio_initial": "budget.initial",
        "budget.carryover_rate": "budget.adjusted",
        "quarterly.rates": "budget.adjusted",
        "quarterly.average_rate": "budget.adjusted",
        "procurement.rate": "procurement.plan",
        "procurement.sme_share": "procurement.actual",
        "three_public.control_rate": "three_public.budget",
        "office_expenses.control_rate": "office_expenses.budget",
        "fixed_assets.use_rate": "fixed_assets.total",
        "fixed_assets.net_ratio": "fixed_assets.total",
        "balance.debt_ratio": "balance.assets",
        "staff.control_rate": "staff.authorized",
        "staff.contract_rate": "staff.total",
        "projects.on_time_rate": "projects.planned",
        "petitions.reply_rate": "petitions.received",
        "petitions.on_time_rate": "petitions.received",
        "petitions.handled_rate": "petitions.received",
    }
    for part in ("travel", "car", "reception"):
        out[f"three_public.{part}_rate"] = f"three_public.{part}_budget"
    for part in BUDGET_PARTS:
        b = f"budget.{part}"
        out |= {
            f"{b}_execution_rate": f"{b}_adjusted",
            f"{b}_share": "budget.initial",
            f"{b}_adjusted_share": "budget.adjusted",
            f"{b}_spent_share": "budget.spent",
        }
    return out


DIVISORS: dict[str, str] = _builtin()

# What the author can do, by where the rate is used.
FOR_SCORE = (
    "请核对该事实；如确为 0，按评价指标体系对这种情况的规定，在 overrides 中给出该指标的得分和原因"
)
FOR_TEXT = "请核对该事实；如确为 0，正文不要引用这个比率，改用文字说明"
FOR_TABLE = "请核对该事实；如确为 0，不要使用这张表，改用文字说明"


@dataclass(frozen=True)
class ZeroDivisor:
    """A rate (metric) that cannot be computed because its denominator (divisor) is 0."""

    metric: str
    divisor: str
    key: str  # the fact to look at in the facts file (the divisor, or the first fact behind it)

    @property
    def text(self) -> str:
        metric = METRICS[self.metric].title if self.metric in METRICS else self.metric
        if self.divisor in BY_PATH:
            what = f"“{BY_PATH[self.divisor].title}”（{self.divisor}）填的是 0"
        else:
            title = METRICS[self.divisor].title if self.divisor in METRICS else self.divisor
            what = f"“{title}”（{self.divisor}，由 {'、'.join(NEEDS.get(self.divisor, (self.key,)))} 计算）为 0"
        return f"{what}，而{metric}（{self.metric}）以它为分母：分母为 0 的比率无法计算"


def _is_zero(value: Any) -> bool:
    if isinstance(value, dict):  # a headcount split by kind (行政 0, 事业 0)
        return all(_is_zero(v) for v in value.values())
    if value is None or isinstance(value, (bool, str, list, tuple)):
        return False
    return value == 0


def zero_divisor(
    name: str,
    metrics: dict[str, Any],
    needs: dict[str, tuple[str, ...]] | None = None,
    divisors: dict[str, str] | None = None,
) -> ZeroDivisor | None:
    """Why `name` has no value when that is a zero denominator (every fact it reads is filled in).

    A rate whose facts are not all filled in is a missing fact, not a zero: the author fills
    those in first. `needs` and `divisors` add the framework's own metrics to the built-in ones.
    """
    if metrics.get(name) is not None:
        return None
    divisor = (divisors or {}).get(name) or DIVISORS.get(name)
    if divisor is None or not _is_zero(metrics.get(divisor)):
        return None
    for need in (needs or {}).get(name) or NEEDS.get(name, ()):
        if all(metrics.get(alt) is None for alt in need.split(" 或 ")):
            return None
    behind = (needs or {}).get(divisor) or NEEDS.get(divisor) or (divisor,)
    return ZeroDivisor(name, divisor, divisor if divisor in BY_PATH else behind[0].split(" 或 ")[0])


__all__ = ["DIVISORS", "FOR_SCORE", "FOR_TABLE", "FOR_TEXT", "ZeroDivisor", "zero_divisor"]
