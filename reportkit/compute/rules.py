"""Score rules: small pure functions chosen by name in the framework data.

Each rule gets its parameters and a read-only context (metrics, the author's judgements on
this part, the framework settings) and returns a PartResult with the exact score and the
working a reviewer needs to check it.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction
from functools import cache
from typing import Any

from ..load import BY_PATH, Judgement
from ..numbers import money, plain, quantize
from .divisors import ZeroDivisor, zero_divisor
from .metrics import NEEDS
from .values import Rate


class Missing(Exception):
    """The facts a rule needs are not in the facts file, or a rate it reads divides by 0."""

    def __init__(self, facts: tuple[str, ...], zeros: tuple[ZeroDivisor, ...] = ()):
        super().__init__(", ".join(facts) or "；".join(z.text for z in zeros))
        self.facts = facts
        self.zeros = zeros


@dataclass
class PartResult:
    """What one scoring rule gave: score out of its points, working, deductions."""

    score: Fraction
    points: Fraction
    working: str
    value: str | None = None  # the computed figure the score rests on (rate, band)
    deductions: list[tuple[Fraction, str]] = field(default_factory=list)
    not_applicable: str | None = None  # why the part gets full marks without data


@dataclass(frozen=True)
class RuleContext:
    """What a scoring rule may read (metrics, judgements, settings), recording what it read."""

    metrics: dict[str, Any]
    judgements: tuple[Judgement, ...]
    settings: dict[str, Any]
    used: list[str] = field(default_factory=list)  # every fact or metric the rule read, in order
    needs: dict[str, tuple[str, ...]] = field(default_factory=dict)  # of the framework's own metrics
    divisors: dict[str, str] = field(default_factory=dict)  # of the framework's own rates

    def value(self, name: str) -> Any:
        value = self.optional(name)
        if value is None:
            raise self.unavailable([name])
        return value

    def unavailable(self, names: list[str]) -> Missing:
        """Why these names have no value: the facts still to fill in, or rates over a zero."""
        facts: list[str] = []
        zeros: list[ZeroDivisor] = []
        for name in names:
            zero = zero_divisor(name, self.metrics, self.needs, self.divisors)
            if zero is not None:
                zeros.append(zero)
            else:
                facts.extend(f for f in self.facts_behind(name) if f not in facts)
        return Missing(tuple(facts), tuple(zeros))

    def facts_behind(self, name: str) -> tuple[str, ...]:
        return self.needs.get(name) or NEEDS.get(name, (name,))

    def optional(self, name: str) -> Any:
        if name not in self.used:
            self.used.append(name)
        return self.metrics.get(name)


def pts(value: Fraction) -> str:
    return plain(quantize(value, 4, "half_up"))


def pct(value: Fraction) -> str:
    return f"{quantize(Fraction(value) * 100, 2, 'half_up')}%"


# --- bands -----------------------------------------------------------------------------

_BAND = re.compile(r"^\s*([\[(])\s*(-?\d+(?:\.\d+)?|-inf)\s*,\s*(-?\d+(?:\.\d+)?|inf)\s*([\])])\s*$")


@dataclass(frozen=True)
class Band:
    """One band of a banded rule: an interval of the value and the score it gives."""

    low: Fraction | None  # None: no lower bound (signed bands only)
    low_inclusive: bool
    high: Fraction | None  # None: no upper bound
    high_inclusive: bool
    score: Fraction
    text: str

    def contains(self, x: Fraction) -> bool:
        above = self.low is None or (x >= self.low if self.low_inclusive else x > self.low)
        if self.high is None:
            return above
        below = x <= self.high if self.high_inclusive else x < self.high
        return above and below


def parse_bands(raw: Any, signed: bool = False) -> list[Band]:
    """Bands in interval notation over percentages: "[0, 90)": 3, "[90, 100]": 2, "(100, inf)": 0.

    They must cover every value from 0 up without gap or overlap, so exactly one applies;
    signed bands (a change against last year may fall) cover every value from -inf instead.
    """
    if not isinstance(raw, dict) or not raw:
        raise ValueError('需要区间到分值的映射，如 "[0, 90)": 3')
    bands = []
    for text, score in raw.items():
        match = _BAND.match(str(text))
        if not match:
            raise ValueError(f"区间“{text}”格式不对，应写成 [90, 100] 或 [0, 90) 或 (100, inf)")
        lo_b, lo, hi, hi_b = match.groups()
        if (lo.startswith("-") or hi.startswith("-")) and not signed:
            raise ValueError(f"区间“{text}”不能有负数：这个比率不会小于 0")
        if hi == "-inf" or lo == "inf":
            raise ValueError(f"区间“{text}”的上下限写反了")
        high = None if hi == "inf" else Fraction(hi)
        low = None if lo == "-inf" else Fraction(lo)
        if high is not None and low is not None and high <= low:
            raise ValueError(f"区间“{text}”的上限应大于下限")
        if isinstance(score, bool) or not isinstance(score, (int, Decimal)) or score < 0:
            raise ValueError(f"区间“{text}”的分值应为不小于 0 的数字，写的是“{score}”")
        bands.append(Band(low, lo_b == "[", high, hi_b == "]", Fraction(score), str(text)))
    bands.sort(key=lambda b: (b.low is not None, b.low or 0, not b.low_inclusive))
    if signed and bands[0].low is not None:
        raise ValueError("区间必须从 (-inf 开始")
    if not signed and (bands[0].low != 0 or not bands[0].low_inclusive):
        raise ValueError("区间必须从 [0 开始")
    for prev, nxt in zip(bands, bands[1:], strict=False):
        if prev.high is None or prev.high != nxt.low or prev.high_inclusive == nxt.low_inclusive:
            raise ValueError(f"区间“{prev.text}”与“{nxt.text}”之间有空缺或重叠")
    if bands[-1].high is not None:
        raise ValueError("最后一个区间必须到 inf")
    return bands


def band_for(bands: list[Band], percent: Fraction) -> Band:
    return next(b for b in bands if b.contains(percent))


# --- the rules -------------------------------------------------------------------------


def _deducted(points: Fraction, judgements: tuple[Judgement, ...], default: Fraction) -> tuple[Fraction, list]:
    deductions = [(Fraction(j.deduct) if j.deduct is not None else default, j.reason) for j in judgements]
    score = max(Fraction(0), points - sum((d for d, _ in deductions), Fraction(0)))
    return score, deductions


def judgement(params: dict, ctx: RuleContext) -> PartResult:
    """A criterion the author assesses: full points unless a judgement deducts (with reason)."""
    points = params["points"]
    score, deductions = _deducted(points, ctx.judgements, points)
    working = "达到标准" if not deductions else "；".join(f"扣{pts(d)}分：{r}" for d, r in deductions)
    return PartResult(score, points, working, deductions=deductions)


def deduct_per_item(params: dict, ctx: RuleContext) -> PartResult:
    """Points minus `per` for each item (a counted fact, or each judgement entry), floor 0."""
    points, per = params["points"], params["per"]
    count_name = params.get("count")
    count = ctx.value(count_name) if count_name else 0
    counted = per * count
    score, deductions = _deducted(points - counted, ctx.judgements, per)
    score = max(Fraction(0), score)
    if counted:
        title = BY_PATH[count_name].title if count_name in BY_PATH else count_name
        deductions.insert(0, (counted, f"{title} {count} 项，每项扣{pts(per)}分"))
    working = "无扣分" if not deductions else "；".join(f"扣{pts(d)}分：{r}" for d, r in deductions)
    return PartResult(score, points, working, value=str(count) if count_name else None, deductions=deductions)


@dataclass(frozen=True)
class Quotient:
    """numerator / denominator as the rules read it.

    `rate` is None in two cases the frameworks treat specially: nothing to measure
    (zero over zero: not applicable, full marks) and spending against a zero budget
    (`over_zero`: more than 100% by any measure).
    """

    rate: Fraction | None
    not_applicable: str | None = None
    over_zero: bool = False

    def shown(self) -> str:
        return pct(self.rate) if self.rate is not None else "分母为 0 而分子不为 0（视为超过 100%）"


def _quotient(params: dict, ctx: RuleContext) -> Quotient:
    if ctx.optional(params["denominator"]) is None:  # name every fact still needed, not only the first
        missing = [params["denominator"]] + [params["numerator"]] * (ctx.optional(params["numerator"]) is None)
        raise ctx.unavailable(missing)
    den = Fraction(ctx.value(params["denominator"]))
    if den == 0:
        num = ctx.optional(params["numerator"])
        if not num:
            return Quotient(None, params.get("empty_reason", "无相关数据，视为不适用，得满分"))
        return Quotient(None, over_zero=True)
    return Quotient(Fraction(ctx.value(params["numerator"])) / den)


def ratio(params: dict, ctx: RuleContext) -> PartResult:
    """min(rate, cap) × points; 0 when over 100% if zero_if_over."""
    points = params["points"]
    full_if = params.get("full_if")
    if full_if and ctx.optional(full_if):
        why = f"{BY_PATH[full_if].title}，得满分" if full_if in BY_PATH else "得满分"
        return PartResult(points, points, why, not_applicable=why)
    q = _quotient(params, ctx)
    if q.not_applicable:
        return PartResult(points, points, q.not_applicable, not_applicable=q.not_applicable)
    shown = q.shown()
    if params.get("zero_if_over", False) and (q.over_zero or q.rate > 1):
        return PartResult(Fraction(0), points, f"{shown} 超过 100%，得 0 分", value=shown)
    cap = params.get("cap", Fraction(1))
    score = cap * points if q.over_zero else min(q.rate, cap) * points
    return PartResult(score, points, f"{shown} × {pts(points)} = {pts(score)}", value=shown)


def bands(params: dict, ctx: RuleContext) -> PartResult:
    """The score of the band the percentage falls in (edges exactly as the framework states)."""
    table = params["bands"]
    top = max(b.score for b in table)
    if "metric" in params:
        q = Quotient(Fraction(ctx.value(params["metric"])))
    else:
        q = _quotient(params, ctx)
    if q.not_applicable:
        return PartResult(top, top, q.not_applicable, not_applicable=q.not_applicable)
    band = table[-1] if q.over_zero else band_for(table, q.rate * 100)
    shown = q.shown()
    return PartResult(band.score, top, f"{shown} 落在区间 {band.text}，得 {pts(band.score)} 分", value=shown)


def quarterly_execution(params: dict, ctx: RuleContext) -> PartResult:
    """Each quarter min(执行率, 100%) × per_quarter; the yearly average min(平均, 100%) × average.

    A quarter's 执行率 is its cumulative progress over 序时进度 25/50/75/100%; the average
    is the mean of the four uncapped rates.
    """
    per_quarter, average_points = params["per_quarter"], params["average"]
    rates = [Fraction(r) for r in ctx.value("quarterly.rates")]
    average = Fraction(ctx.value("quarterly.average_rate"))
    terms = [min(r, 1) * per_quarter for r in rates]
    avg_term = min(average, 1) * average_points
    score = sum(terms, Fraction(0)) + avg_term
    working = (
        " + ".join(pts(t) for t in terms)
        + f" + {pts(average_points)} × {pts(min(average, 1))} = {pts(score)}"
        + f"（各季度执行率 {'、'.join(pct(r) for r in rates)}，全年平均执行率 {pct(average)}）"
    )
    return PartResult(score, per_quarter * 4 + average_points, working, value=pct(average))


def tiered(params: dict, ctx: RuleContext) -> PartResult:
    """A score per stated status (e.g. 按规定公开 1.5 / 公开但有缺陷 1 / 未公开 0)."""
    scores = params["scores"]
    top = max(scores.values())
    full_if = params.get("full_if")
    if full_if and ctx.optional(full_if):
        why = f"{BY_PATH[full_if].title}，直接得分" if full_if in BY_PATH else "直接得分"
        return PartResult(top, top, why, not_applicable=why)
    status = ctx.value(params["fact"])
    score = scores[status]
    return PartResult(score, top, f"{status}，得 {pts(score)} 分", value=status)


def adjustment(params: dict, ctx: RuleContext) -> PartResult:
    """调整、调剂规范性: full within the threshold, minus per_point for each point over it.

    Settings choose the denominator (adjusted or initial budget) and whether the deduction
    counts whole points over the threshold (per_point) or is proportional to the excess.
    """
    points, threshold, per_point = params["points"], params["threshold"], params["per_point"]
    denominator = ctx.settings.get("adjustment_denominator", "adjusted")
    mode = ctx.settings.get("adjustment_deduction", "per_point")
    r = Fraction(ctx.value(f"budget.adjustment_ratio_{denominator}")) * 100
    over = r - threshold
    label = "调整后预算" if denominator == "adjusted" else "年初预算"
    shown = f"{quantize(r, 2, 'half_up')}%"
    head = f"调整、调剂比例 {shown}（以{label}为分母{_counted_kinds(ctx)}）"
    if over <= 0:
        return PartResult(points, points, f"{head}，未超过 {pts(threshold)}%，得 {pts(points)} 分", value=shown)
    excess = f"超出 {pts(threshold)}% 的部分为 {quantize(over, 2, 'half_up')} 个百分点"
    if mode == "per_point":
        steps = Fraction(over.numerator // over.denominator)
        how = f"{excess}，每超出一个（整）百分点扣 {pts(per_point)} 分"
    else:
        steps = over
        how = f"{excess}，按超出比例每个百分点扣 {pts(per_point)} 分"
    deduct = min(points, steps * per_point)
    reason = f"{head}，{how}，扣 {pts(deduct)} 分"
    return PartResult(points - deduct, points, reason, value=shown, deductions=[(deduct, reason)])


def _counted_kinds(ctx: RuleContext) -> str:
    """Which adjustment kinds the ratio counted, when the facts list them by kind."""
    items = ctx.metrics.get("adjustments.items")
    if not items:
        return ""
    sums: dict[tuple[bool, str], Fraction] = {}
    for a in items:
        key = (a["counted"], a["kind"])
        sums[key] = sums.get(key, Fraction(0)) + Fraction(a["amount"])

    def listed(counted: bool) -> str:
        return "、".join(f"{kind} {money(v)} 万元" for (c, kind), v in sums.items() if c == counted)

    text = "；计入" + (listed(True) or "无")
    return text + (f"；未计入{listed(False)}" if listed(False) else "")


def _steps(over: Fraction, counting: str) -> Fraction:
    """How many points a deduction counts: whole points begun past the threshold, or exactly."""
    if counting == "proportional":
        return over
    return Fraction(over.numerator // over.denominator)


def _rate_of(params: dict, ctx: RuleContext) -> Quotient:
    if "metric" in params:
        return Quotient(Fraction(ctx.value(params["metric"])))
    return _quotient(params, ctx)


def _deduction(points: Fraction, r: Fraction, params: dict, head: str) -> PartResult:
    """Full points on the right side of the threshold; per_point off each point past it, to the floor."""
    threshold, per_point = params["threshold"], params["per_point"]
    direction = params.get("direction", "above")
    floor = params.get("floor", Fraction(0))
    over = r - threshold if direction == "above" else threshold - r
    shown = f"{quantize(r, 2, 'half_up')}%"
    side = "超过" if direction == "above" else "低于"
    if over <= 0:
        return PartResult(points, points, f"{head} {shown}，未{side} {pts(threshold)}%，得 {pts(points)} 分", value=shown)
    counting = params.get("counting", "whole")
    steps = _steps(over, counting)
    deduct = min(points - floor, steps * per_point)
    how = "每（整）个百分点" if counting == "whole" else "按比例每个百分点"
    reason = (f"{head} {shown}，{side} {pts(threshold)}% {quantize(over, 2, 'half_up')} 个百分点，"
              f"{how}扣 {pts(per_point)} 分，扣 {pts(deduct)} 分")
    if deduct == points - floor and floor:
        reason += f"（扣至 {pts(floor)} 分为止）"
    return PartResult(points - deduct, points, reason, value=shown, deductions=[(deduct, reason)])


def threshold_deduction(params: dict, ctx: RuleContext) -> PartResult:
    """A rate against a threshold: “≤100%，计1分；每超过一个百分点扣0.1分，扣完为止”.

    direction above: points are lost for each point above the threshold; below: for each point
    under it. counting whole: each whole point begun is one step (as the tables word it);
    proportional: the exact excess. Never below `floor` (default 0).
    """
    points = params["points"]
    q = _rate_of(params, ctx)
    if q.not_applicable:
        return PartResult(points, points, q.not_applicable, not_applicable=q.not_applicable)
    if q.over_zero:
        if params.get("direction", "above") == "above":
            floor = params.get("floor", Fraction(0))
            why = "分母为 0 而分子不为 0，视为超过，扣完为止"
            return PartResult(floor, points, why, value=q.shown(), deductions=[(points - floor, why)])
        return PartResult(points, points, "分母为 0 而分子不为 0，视为超过 100%，得满分", value=q.shown())
    return _deduction(points, q.rate * 100, params, params.get("title", "比率"))


def completion(params: dict, ctx: RuleContext) -> PartResult:
    """Completion against a target: min(完成值 ÷ 指标值, 1) × 分值; for a “≤” target the reverse.

    target names a fact or metric, target_value states the figure (as a 自评表 does).
    """
    points = params["points"]
    actual = Fraction(ctx.value(params["actual"]))
    target = Fraction(ctx.value(params["target"])) if "target" in params else params["target_value"]
    at_most = params.get("direction", ">=") == "<="
    if at_most:
        done = Fraction(1) if actual <= target else (target / actual if actual else Fraction(1))
        formula = f"指标值 {pts(target)} ÷ 完成值 {pts(actual)}"
    else:
        done = Fraction(1) if target <= 0 or actual >= target else actual / target
        formula = f"完成值 {pts(actual)} ÷ 指标值 {pts(target)}"
    capped = min(max(done, Fraction(0)), Fraction(1))
    score = capped * points
    working = f"{formula} = {pct(done)}，取 {pct(capped)} × {pts(points)} = {pts(score)}"
    return PartResult(score, points, working, value=pct(done))


def change(params: dict, ctx: RuleContext) -> PartResult:
    """Change against last year: 变动率 = (本年 − 上年) ÷ 上年, scored by signed bands or by deduction.

    With bands: the band the change (in %) falls in. With threshold and per_point: full points
    while the change stays on the right side of the threshold (default ≤ 0%).
    """
    current, previous = ctx.optional(params["current"]), ctx.optional(params["previous"])
    if current is None or previous is None:
        missing = [n for n, v in ((params["current"], current), (params["previous"], previous)) if v is None]
        raise ctx.unavailable(missing)
    now, before = Fraction(current), Fraction(previous)
    head = f"变动率（{pts(now)} − {pts(before)}）÷ {pts(before)}"
    if "bands" in params:
        table = params["bands"]
        top = max(b.score for b in table)
        if before == 0:
            band = table[-1] if now > 0 else band_for(table, Fraction(0))
            why = "上年为 0" + ("，本年增加，视为最高变动" if now > 0 else "，本年也为 0，变动率按 0 计")
            return PartResult(band.score, top, f"{why}，落在区间 {band.text}，得 {pts(band.score)} 分", value=why)
        r = (now - before) / before * 100
        band = band_for(table, r)
        shown = f"{quantize(r, 2, 'half_up')}%"
        return PartResult(band.score, top, f"{head} = {shown}，落在区间 {band.text}，得 {pts(band.score)} 分",
                          value=shown)
    points = params["points"]
    settings = {"threshold": Fraction(0), **params}
    if before == 0 and now != 0:  # any increase from nothing is past every threshold
        if params.get("direction", "above") == "below":
            return PartResult(points, points, "上年为 0 而本年增加，得满分", value="—")
        floor = params.get("floor", Fraction(0))
        why = "上年为 0 而本年不为 0，视为超过，扣完为止"
        return PartResult(floor, points, why, value="—", deductions=[(points - floor, why)])
    r = (now - before) / before * 100 if before else Fraction(0)
    return _deduction(points, r, settings, head)


@dataclass(frozen=True)
class RuleSpec:
    """A scoring rule's function and the kinds of its required and optional parameters."""

    func: Callable[[dict, RuleContext], PartResult]
    required: dict[str, str]
    optional: dict[str, str] = field(default_factory=dict)


# Parameter kinds: number (not negative), amount (a fact or metric holding one number),
# rate (a metric that is a ratio), count (a counted fact), enum (a fact with fixed choices),
# bool (a yes/no fact), bands, scores (status -> number), flag (true/false), text.
RULES: dict[str, RuleSpec] = {
    "judgement": RuleSpec(judgement, {"points": "number"}),
    "deduct_per_item": RuleSpec(deduct_per_item, {"points": "number", "per": "number"}, {"count": "count"}),
    "ratio": RuleSpec(
        ratio,
        {"points": "number", "numerator": "amount", "denominator": "amount"},
        {"cap": "number", "zero_if_over": "flag", "empty_reason": "text", "full_if": "bool"},
    ),
    "bands": RuleSpec(
        bands, {"bands": "bands"},
        {"metric": "rate", "numerator": "amount", "denominator": "amount", "empty_reason": "text"},
    ),
    "quarterly_execution": RuleSpec(quarterly_execution, {"per_quarter": "number", "average": "number"}),
    "tiered": RuleSpec(tiered, {"fact": "enum", "scores": "scores"}, {"full_if": "bool"}),
    "adjustment": RuleSpec(adjustment, {"points": "number", "threshold": "number", "per_point": "number"}),
    "threshold_deduction": RuleSpec(
        threshold_deduction, {"points": "number", "threshold": "signed", "per_point": "number"},
        {"metric": "rate", "numerator": "amount", "denominator": "amount", "direction": "direction",
         "counting": "counting", "floor": "number", "title": "text", "empty_reason": "text"},
    ),
    "completion": RuleSpec(
        completion, {"points": "number", "actual": "amount"},
        {"target": "amount", "target_value": "number", "direction": "inequality"},
    ),
    "change": RuleSpec(
        change, {"current": "amount", "previous": "amount"},
        {"bands": "signed_bands", "points": "number", "threshold": "signed", "per_point": "number",
         "direction": "direction", "counting": "counting", "floor": "number"},
    ),
}
# Parameters that go together: one of the alternatives must be given, completely.
ONE_OF: dict[str, tuple[tuple[str, ...], ...]] = {
    "bands": (("metric",), ("numerator", "denominator")),
    "threshold_deduction": (("metric",), ("numerator", "denominator")),
    "completion": (("target",), ("target_value",)),
    "change": (("bands",), ("points", "per_point")),
}
# Parameters with fixed choices: kind → (choices, what they mean).
CHOICES: dict[str, dict[str, str]] = {
    "direction": {"above": "超过阈值扣分（如 ≤100% 得满分）", "below": "低于阈值扣分（如 ≥95% 得满分）"},
    "counting": {"whole": "每（整）个百分点扣一次", "proportional": "按超出的百分点按比例扣"},
    "inequality": {">=": "完成值越大越好（≥ 指标值）", "<=": "完成值越小越好（≤ 指标值）"},
}


def known_names() -> set[str]:
    """Every fact and metric a rule may read."""
    from .metrics import NEEDS as metric_needs

    return set(BY_PATH) | set(metric_needs) | {
        "staff.total", "staff.authorized_total", "staff.on_payroll_total", "budget.adjustments",
    }


@cache  # the framework reader asks once per rule parameter; the tables never change
def names_of_kind(kind: str) -> frozenset[str]:
    """The facts and metrics a parameter of this kind may name."""
    from .metrics import METRICS

    # Metrics holding one number (not lists, mappings or yes/no).
    numbers = {n for n, m in METRICS.items() if m.unit and n not in ("quarterly.rates", "staff.contract_kinds")}
    if kind == "rate":
        return frozenset(n for n in numbers if n.endswith("rate") or ".adjustment_ratio_" in n)
    if kind == "amount":
        single = {f.path for f in BY_PATH.values() if f.kind in ("money", "count", "percent", "contract")}
        return frozenset(single | numbers)
    if kind in ("count", "enum", "bool", "texts"):
        return frozenset(f.path for f in BY_PATH.values() if f.kind == kind)
    return frozenset(known_names())


def part_points(rule: str, params: dict) -> Fraction:
    """The most a part can give, for checking that parts add up to the indicator's weight."""
    if rule == "bands":
        return max(b.score for b in params["bands"])
    if rule == "tiered":
        return max(params["scores"].values())
    if rule == "quarterly_execution":
        return params["per_quarter"] * 4 + params["average"]
    if rule == "change" and "bands" in params:
        return max(b.score for b in params["bands"])
    return params["points"]


__all__ = ["RULES", "Missing", "PartResult", "RuleContext", "Rate", "parse_bands", "part_points"]
