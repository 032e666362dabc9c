"""Apply a framework to the facts: every indicator, the subtotals, the total and the grade."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction

from .errors import ReportError
from .facts import Facts, Override
from .framework import Framework, Indicator
from .numbers import quantize
from .rules import RULES, Missing, PartResult, RuleContext
from .values import Score

JUDGEMENT_RULES = {"judgement"}


def is_judgement_part(rule: str, params: dict) -> bool:
    return rule in JUDGEMENT_RULES or (rule == "deduct_per_item" and "count" not in params)


@dataclass
class IndicatorScore:
    indicator: Indicator
    parts: list[PartResult | None]
    exact: Fraction | None  # exact computed value, before rounding
    computed: Score | None  # rounded computed score; None when facts are missing
    final: Score | None
    override: Override | None = None
    missing: tuple[str, ...] = ()
    zeroed: str | None = None  # why the zero-rule set the whole indicator to 0

    @property
    def judgement_only(self) -> bool:
        return all(is_judgement_part(p.rule, p.params) for p in self.indicator.parts)

    @property
    def deductions(self) -> list[tuple[Fraction, str]]:
        return [d for part in self.parts if part for d in part.deductions]


@dataclass
class Subtotal:
    name: str
    weight: Fraction
    score: Score


@dataclass
class Scores:
    framework: Framework
    indicators: list[IndicatorScore]
    levels: list[Subtotal]
    groups: list[Subtotal]
    total: Score
    grade: str
    computed_total: Score | None  # the total the rules give, without overrides
    computed_grade: str | None
    notes: list[str] = field(default_factory=list)

    def by_name(self, name: str) -> IndicatorScore:
        return next(s for s in self.indicators if s.indicator.name == name)

    @property
    def missing(self) -> list[IndicatorScore]:
        return [s for s in self.indicators if s.final is None]

    def require_complete(self, facts_file: str) -> None:
        """Stop with one message naming every fact still needed for a score."""
        if not self.missing:
            return
        lines = [f"“{s.indicator.name}”缺少 {'、'.join(s.missing)}" for s in self.missing]
        raise ReportError(
            "以下指标无法计算得分：" + "；".join(lines) + "。请在事实文件中补充，或在 overrides 中给出得分和原因",
            file=facts_file,
        )


def _validate_assessments(framework: Framework, facts: Facts) -> None:
    for name, entries in facts.judgements.items():
        indicator = framework.find(name)
        path = f"judgements.{name}"
        if indicator is None:
            raise ReportError(
                f"“{name}”不是评价指标体系“{framework.title}”中的三级指标", file=facts.file,
                line=facts.line(path), key=path, expected="、".join(i.name for i in framework.indicators),
            )
        for j in entries:
            if j.part > len(indicator.parts):
                raise ReportError(
                    f"“{name}”只有 {len(indicator.parts)} 条评分标准，没有第 {j.part} 条", file=facts.file,
                    line=j.line, key=f"{path}.part",
                )
            part = indicator.parts[j.part - 1]
            if not is_judgement_part(part.rule, part.params):
                raise ReportError(
                    f"“{name}”第 {j.part} 条由事实计算得分，不能人工扣分；如坚持不同得分，请在 overrides 中写明得分和原因",
                    file=facts.file, line=j.line, key=path,
                )
    for name, override in facts.overrides.items():
        indicator = framework.find(name)
        path = f"overrides.{name}"
        if indicator is None:
            raise ReportError(
                f"“{name}”不是评价指标体系“{framework.title}”中的三级指标", file=facts.file,
                line=override.line, key=path, expected="、".join(i.name for i in framework.indicators),
            )
        if override.score > Decimal(indicator.weight.numerator) / indicator.weight.denominator:
            raise ReportError(
                f"覆盖得分 {override.score} 超过指标分值", file=facts.file, line=override.line,
                key=f"{path}.score", expected=f"0 到 {Score(indicator.weight.numerator) / indicator.weight.denominator} 之间",
            )


def _rounded(value: Fraction, framework: Framework) -> Score:
    s = framework.settings
    return Score(quantize(value, s["decimals"], s["rounding"]))


def score_indicator(indicator: Indicator, framework: Framework, facts: Facts, metrics: dict) -> IndicatorScore:
    parts: list[PartResult | None] = []
    missing: list[str] = []
    for number, part in enumerate(indicator.parts, start=1):
        ctx = RuleContext(
            metrics,
            tuple(j for j in facts.judgements.get(indicator.name, ()) if j.part == number),
            framework.settings,
        )
        try:
            parts.append(RULES[part.rule].func(part.params, ctx))
        except Missing as exc:
            parts.append(None)
            missing.extend(f for f in exc.facts if f not in missing)
    override = facts.overrides.get(indicator.name)
    if missing:
        final = Score(override.score) if override else None
        return IndicatorScore(indicator, parts, None, None, final, override, tuple(missing))
    exact = sum((p.score for p in parts if p), Fraction(0))
    zeroed = None
    if indicator.zero_if and metrics.get(indicator.zero_if):
        found = metrics[indicator.zero_if]
        zeroed = "存在" + ("、".join(found) if isinstance(found, (list, tuple)) else "违规情形") + "，本项指标得 0 分"
        exact = Fraction(0)
    exact = min(max(exact, Fraction(0)), indicator.weight)
    computed = _rounded(exact, framework)
    final = Score(override.score) if override else computed
    return IndicatorScore(indicator, parts, exact, computed, final, override, (), zeroed)


def _sum(values) -> Score:
    return Score(sum(values, Decimal(0)))


def score_report(framework: Framework, facts: Facts, metrics: dict) -> Scores:
    _validate_assessments(framework, facts)
    results = [score_indicator(i, framework, facts, metrics) for i in framework.indicators]
    complete = all(r.final is not None for r in results)

    def subtotal(members: list[IndicatorScore], attr: str) -> Score | None:
        values = [getattr(r, attr) for r in members]
        return None if any(v is None for v in values) else _sum(values)

    levels, groups = [], []
    for level in framework.levels:
        members = [r for r in results if r.indicator.level == level.name]
        levels.append(Subtotal(level.name, level.weight, subtotal(members, "final") or Score(0)))
        for group in level.groups:
            gm = [r for r in members if r.indicator.group == group.name]
            groups.append(Subtotal(group.name, group.weight, subtotal(gm, "final") or Score(0)))
    total = _sum(lv.score for lv in levels)
    computed_total = subtotal(results, "computed")
    grade = framework.grade(Fraction(total)) if complete else "—"
    return Scores(
        framework, results, levels, groups, total, grade,
        computed_total, framework.grade(Fraction(computed_total)) if computed_total is not None else None,
    )
