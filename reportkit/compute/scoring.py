"""Apply a framework to the facts: every indicator, the subtotals, the total and the grade."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction
from typing import Any

from ..errors import ReportError
from ..load import BY_PATH, Facts, Judgement, Override
from ..numbers import plain, quantize
from .defined import with_defined
from .divisors import FOR_SCORE, ZeroDivisor
from .framework import Framework, Indicator
from .metrics import NEEDS
from .rules import RULES, Missing, PartResult, RuleContext, part_points
from .values import Money, Score

JUDGEMENT_RULES = {"judgement"}


def is_judgement_part(rule: str, params: dict) -> bool:
    return rule in JUDGEMENT_RULES or (rule == "deduct_per_item" and "count" not in params)


@dataclass(frozen=True)
class FactUsed:
    """A fact or metric a rule read, as the report prints it."""

    key: str
    title: str
    value: str  # as the report prints it, with its unit


@dataclass
class IndicatorScore:
    """An indicator's computed and final score, with how it was reached."""

    indicator: Indicator
    parts: list[PartResult | None]
    exact: Fraction | None  # exact computed value, before rounding
    computed: Score | None  # rounded computed score; None when facts are missing
    final: Score | None
    override: Override | None = None
    missing: tuple[str, ...] = ()
    zeroed: str | None = None  # why the zero-rule set the whole indicator to 0
    facts: list[FactUsed] = field(default_factory=list)  # the facts the rules read, as shown
    declared: Decimal | None = None  # the score the unit put in its own table (declared:)
    declared_given: bool = False  # False: not in declared:; True with None: a blank cell
    zero_divisors: tuple[ZeroDivisor, ...] = ()  # rates the rules read that divide by a fact that is 0

    @property
    def why_not_computed(self) -> str:
        """Why the rules cannot compute this indicator, for build, check and score alike."""
        reasons = []
        if self.missing:
            reasons.append(f"缺少 {'、'.join(self.missing)}")
        reasons += [z.text for z in self.zero_divisors]
        return "；".join(reasons)

    @property
    def todo_key(self) -> str | None:
        """The facts-file key to look at first (a missing fact, or the fact that is 0)."""
        if self.missing:
            return self.missing[0].split(" 或 ")[0]
        return self.zero_divisors[0].key if self.zero_divisors else None

    @property
    def judgement_only(self) -> bool:
        return all(is_judgement_part(p.rule, p.params) for p in self.indicator.parts)

    @property
    def deductions(self) -> list[tuple[Fraction, str]]:
        return [d for part in self.parts if part for d in part.deductions]

    @property
    def declared_differs(self) -> bool:
        """The unit's own score is not what the rules give (or a cell is blank, or facts are missing)."""
        return self.declared_given and (self.declared is None or self.computed is None or self.declared != self.computed)

    @property
    def declared_cause(self) -> str | None:
        """Why the declared score differs: missing (facts), blank (cell), judgement or rule."""
        if not self.declared_differs:
            return None
        if self.computed is None:
            return "missing"
        if self.declared is None:
            return "blank"
        return "judgement" if self.judgement_only else "rule"

    @property
    def declared_note(self) -> str:
        """The cause in words, for score and check."""
        cause = self.declared_cause
        if cause == "missing":
            return f"{self.why_not_computed}，规则无法计算"
        if cause == "blank":
            return f"单位填报的表中此项空白；规则计算为 {self.computed} 分"
        if cause == "judgement":
            taken = "；".join(r for _, r in self.deductions) or "事实文件中没有扣分"
            return f"此项由人工评判，按事实文件中的评判为 {self.computed} 分（{taken}）"
        if cause == "rule":
            workings = "；".join(p.working for p in self.parts if p)
            return f"按评分规则计算为 {self.computed} 分（{workings}）"
        return ""

    @property
    def differs(self) -> bool:
        """An override that gives another score than the rules (or stands in for missing facts)."""
        return self.override is not None and self.computed != self.final


@dataclass
class Subtotal:
    """The weight and score of a 一级 or 二级指标."""

    name: str
    weight: Fraction
    score: Score | None  # None while a member has no score
    level: str = ""  # for a 二级指标: its 一级指标


@dataclass
class Scores:
    """A report's scores: every indicator, the subtotals, the total and the grade."""

    framework: Framework
    indicators: list[IndicatorScore]
    levels: list[Subtotal]
    groups: list[Subtotal]
    total: Score | None  # None while an indicator has no score
    grade: str
    computed_total: Score | None  # the total the rules give, without overrides; None if facts are missing
    computed_grade: str | None
    notes: list[str] = field(default_factory=list)
    declared_total: Decimal | None = None  # the unit's own total and grade (declared:)
    declared_grade: str | None = None
    declared_source: str = ""

    @property
    def declared_differences(self) -> list[IndicatorScore]:
        """Every indicator whose declared score is not the computed one, in framework order."""
        return [s for s in self.indicators if s.declared_differs]

    def by_name(self, name: str) -> IndicatorScore:
        return next(s for s in self.indicators if s.indicator.name == name)

    @property
    def missing(self) -> list[IndicatorScore]:
        return [s for s in self.indicators if s.final is None]

    def require_complete(self, facts_file: str) -> None:
        """Stop with one message naming every fact still needed for a score."""
        if not self.missing:
            return
        lines = [f"“{s.indicator.name}”{s.why_not_computed}" for s in self.missing]
        advice = "请在事实文件中补充，或在 overrides 中给出得分和原因"
        if not any(s.missing for s in self.missing):
            advice = FOR_SCORE
        elif any(s.zero_divisors for s in self.missing):
            advice = "缺少的事实" + advice + "；分母为 0 的，" + FOR_SCORE.removeprefix("请")
        raise ReportError("以下指标无法计算得分：" + "；".join(lines) + "。" + advice, file=facts_file)


@dataclass(frozen=True)
class Problem:
    """One bad judgement or override: the error, and what to set aside to score the rest."""

    error: ReportError
    block: str  # "judgements" or "overrides"
    indicator: str
    entry: Judgement | None = None  # one judgement entry; None: every entry under the name


def assessment_problems(framework: Framework, facts: Facts) -> list[Problem]:
    """Every judgement and override the framework refuses, each on its own line."""
    problems: list[Problem] = []
    for name, entries in facts.judgements.items():
        indicator = framework.find(name)
        path = f"judgements.{name}"
        if indicator is None:
            problems.append(Problem(ReportError(
                f"“{name}”不是评价指标体系“{framework.title}”中的三级指标", file=facts.file,
                line=facts.line(path), key=path, expected="、".join(i.name for i in framework.indicators),
            ), "judgements", name))
            continue
        for i, j in enumerate(entries):
            error = _judgement_error(indicator, framework, facts, j, f"{path}.{i}")
            if error is not None:
                problems.append(Problem(error, "judgements", name, j))
    for name, override in facts.overrides.items():
        indicator = framework.find(name)
        path = f"overrides.{name}"
        if indicator is None:
            problems.append(Problem(ReportError(
                f"“{name}”不是评价指标体系“{framework.title}”中的三级指标", file=facts.file,
                line=override.line, key=path, expected="、".join(i.name for i in framework.indicators),
            ), "overrides", name))
        elif override.score > Decimal(indicator.weight.numerator) / indicator.weight.denominator:
            problems.append(Problem(ReportError(
                f"覆盖得分 {override.score} 超过指标分值", file=facts.file, line=override.line,
                key=f"{path}.score", expected=f"0 到 {Score(indicator.weight.numerator) / indicator.weight.denominator} 之间",
            ), "overrides", name))
    return problems


def _judgement_error(indicator: Indicator, framework: Framework, facts: Facts, j: Judgement,
                     path: str) -> ReportError | None:
    name = indicator.name
    if j.part > len(indicator.parts):
        return ReportError(
            f"“{name}”只有 {len(indicator.parts)} 条评分标准，没有第 {j.part} 条", file=facts.file,
            line=j.line, key=f"{path}.part", expected=f"1 到 {len(indicator.parts)} 之间",
        )
    part = indicator.parts[j.part - 1]
    criterion = f"第 {j.part} 条" + (f"（{part.label}）" if part.label else "")
    if not is_judgement_part(part.rule, part.params):
        return ReportError(
            f"“{name}”{criterion}由事实计算得分，不能人工扣分；如坚持不同得分，请在 overrides 中写明得分和原因",
            file=facts.file, line=j.line, key=path,
        )
    points = part_points(part.rule, part.params)
    if j.deduct is not None and Fraction(j.deduct) > points:
        return ReportError(
            f"“{name}”{criterion}满分 {_plain(points)} 分，扣分 {j.deduct} 超过了该条分值",
            file=facts.file, line=j.line, key=f"{path}.deduct", expected=f"0 到 {_plain(points)} 之间",
        )
    return None


def set_aside(facts: Facts, problem: Problem) -> None:
    """Leave out what a problem names (one judgement entry, or all under a name) and keep the rest."""
    entries = facts.judgements if problem.block == "judgements" else facts.overrides
    if problem.entry is None:
        entries.pop(problem.indicator, None)
        return
    kept = [j for j in entries.get(problem.indicator, []) if j is not problem.entry]
    if kept:
        entries[problem.indicator] = kept
    else:
        entries.pop(problem.indicator, None)


def _validate_assessments(framework: Framework, facts: Facts) -> None:
    problems = assessment_problems(framework, facts)
    if problems:
        raise problems[0].error


def _validate_declared(framework: Framework, facts: Facts) -> None:
    declared = facts.declared
    if declared is None:
        return
    for name, score in declared.scores.items():
        indicator = framework.find(name)
        path = f"declared.scores.{name}"
        if indicator is None:
            raise ReportError(
                f"“{name}”不是评价指标体系“{framework.title}”中的三级指标", file=facts.file,
                line=declared.line(name), key=path, expected="、".join(i.name for i in framework.indicators),
            )
        weight = Decimal(indicator.weight.numerator) / indicator.weight.denominator
        if score is not None and score > weight:
            raise ReportError(
                f"填报得分 {score} 超过指标“{name}”的分值 {_plain(indicator.weight)} 分", file=facts.file,
                line=declared.line(name), key=path, expected=f"0 到 {_plain(indicator.weight)} 之间",
            )
    total = Decimal(framework.total.numerator) / framework.total.denominator
    if declared.total is not None and declared.total > total:
        raise ReportError(
            f"填报的综合评分 {declared.total} 超过总分 {_plain(framework.total)} 分", file=facts.file,
            line=declared.line("total"), key="declared.total", expected=f"0 到 {_plain(framework.total)} 之间",
        )


def _plain(value: Fraction) -> str:
    return plain(Decimal(value.numerator) / Decimal(value.denominator))


def shown(value: Any, unit: str = "") -> str:
    """A fact as the report prints it: 57,373.02 万元, 86.34%, 行政 62 + 事业 21 = 83 人."""
    suffix = "" if not unit else unit if unit == "%" else f" {unit}"
    if isinstance(value, dict):
        parts = " + ".join(f"{k} {v}" for k, v in value.items())
        return f"{parts} = {sum(value.values())}{suffix}"
    if isinstance(value, (list, tuple)):
        return "、".join(shown(v, unit) for v in value) if value else "无"
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, Decimal) and not isinstance(value, Money):
        value = Money(value) if unit == "万元" else plain(value)
    return f"{value}{suffix}"


# A metric whose facts are not all listed in NEEDS (the quarterly rates divide by the budget).
_ALSO_READS = {"quarterly.cumulative_spent": ("budget.adjusted",)}


def facts_used(names: list[str], facts: Facts, metrics: dict,
               needs: dict[str, tuple[str, ...]] | None = None) -> list[FactUsed]:
    """The facts behind the names a rule read, in reading order, each once."""
    keys: list[str] = []
    for name in names:
        behind = (needs or {}).get(name) or NEEDS.get(name, ())
        sources = [name] if name in BY_PATH else [
            alt for need in behind for alt in need.split(" 或 ") if metrics.get(alt) is not None
        ]
        for key in sources + [k for s in [name, *sources] for k in _ALSO_READS.get(s, ())]:
            if key not in keys and metrics.get(key) is not None:
                keys.append(key)
    used = []
    for key in keys:
        spec = BY_PATH.get(key)
        text = shown(metrics[key], spec.unit if spec else "")
        if key == "budget.adjustments" and facts.has("adjustments"):
            text += "（由 adjustments 中计入的各项合计）"
        elif key == "budget.adjustments" and not facts.has(key):
            text += "（未填写，按调整后预算与年初预算之差）"
        used.append(FactUsed(key, spec.title if spec else key, text))
    return used


def _rounded(value: Fraction, framework: Framework) -> Score:
    s = framework.settings
    return Score(quantize(value, s["decimals"], s["rounding"]))


def score_indicator(indicator: Indicator, framework: Framework, facts: Facts, metrics: dict) -> IndicatorScore:
    """Every part by its rule, summed exactly; the zero rule, the clamp to [0, weight], the rounding."""
    parts: list[PartResult | None] = []
    missing: list[str] = []
    zeros: list[ZeroDivisor] = []
    read: list[str] = []
    for number, part in enumerate(indicator.parts, start=1):
        ctx = RuleContext(
            metrics,
            tuple(j for j in facts.judgements.get(indicator.name, ()) if j.part == number),
            framework.settings,
            needs=framework.metric_needs,
            divisors=framework.metric_divisors,
        )
        try:
            parts.append(RULES[part.rule].func(part.params, ctx))
        except Missing as exc:
            parts.append(None)
            missing.extend(f for f in exc.facts if f not in missing)
            zeros.extend(z for z in exc.zeros if z not in zeros)
        read.extend(n for n in ctx.used if n not in read)
    if indicator.zero_if:
        read.append(indicator.zero_if)
    used = facts_used(read, facts, metrics, framework.metric_needs)
    override = facts.overrides.get(indicator.name)
    if missing or zeros:
        final = Score(override.score) if override else None
        return IndicatorScore(indicator, parts, None, None, final, override, tuple(missing), facts=used,
                              zero_divisors=tuple(zeros))
    exact = sum((p.score for p in parts if p), Fraction(0))
    zeroed = None
    found = metrics.get(indicator.zero_if) if indicator.zero_if else None
    if found:
        zeroed = "存在" + "、".join(found) + "，本项指标得 0 分"
        exact = Fraction(0)
    exact = min(max(exact, Fraction(0)), indicator.weight)
    computed = _rounded(exact, framework)
    final = Score(override.score) if override else computed
    return IndicatorScore(indicator, parts, exact, computed, final, override, (), zeroed, used)


def _sum(values) -> Score | None:
    values = list(values)
    return None if any(v is None for v in values) else Score(sum(values, Decimal(0)))


def score_report(framework: Framework, facts: Facts, metrics: dict) -> Scores:
    """Indicator scores, the 二级 and 一级 subtotals (exact sums of the final scores), total, grade.

    Subtotals and the total are None while an indicator has neither facts nor an override.
    """
    _validate_assessments(framework, facts)
    _validate_declared(framework, facts)
    metrics = with_defined(framework.metrics, metrics)
    results = [score_indicator(i, framework, facts, metrics) for i in framework.indicators]
    if facts.declared is not None:
        for r in results:
            r.declared_given = r.indicator.name in facts.declared.scores
            r.declared = facts.declared.scores.get(r.indicator.name)
    levels, groups = [], []
    for level in framework.levels:
        members = [r for r in results if r.indicator.level == level.name]
        levels.append(Subtotal(level.name, level.weight, _sum(r.final for r in members)))
        for group in level.groups:
            gm = [r for r in members if r.indicator.group == group.name]
            groups.append(Subtotal(group.name, group.weight, _sum(r.final for r in gm), level.name))
    total = _sum(lv.score for lv in levels)
    computed_total = _sum(r.computed for r in results)
    return Scores(
        framework, results, levels, groups, total,
        framework.grade(Fraction(total)) if total is not None else "—",
        computed_total, framework.grade(Fraction(computed_total)) if computed_total is not None else None,
        declared_total=facts.declared.total if facts.declared else None,
        declared_grade=facts.declared.grade if facts.declared else None,
        declared_source=facts.declared.source if facts.declared else "",
    )


# Parameters of a rule that name a fact or metric the part reads (framework.py checks their kinds).
_READS = ("numerator", "denominator", "metric", "count", "fact", "actual", "target", "current", "previous")


@dataclass(frozen=True)
class Assumed:
    """An indicator that loses no points only because a fact left out was taken at its default."""

    fact: str
    score: IndicatorScore
    how: str  # "not_applicable": a rate over nothing; "count": no item counted; "zero_if": nothing found


def assumed_full_marks(scores: Scores, facts: Facts) -> list[Assumed]:
    """Where a left-out fact (its schema default: 0 petitions, 0 unfinished tasks, no violations)
    is what spares the indicator its deduction, read from the framework's parts: a rate whose
    part is not applicable, the count of a per-item deduction, the indicator's zero rule."""
    needs = scores.framework.metric_needs
    out: list[Assumed] = []
    for s in scores.indicators:
        if s.exact is None:
            continue
        for fact in facts.assumed:
            how = None
            if fact == s.indicator.zero_if and not s.zeroed:
                how = "zero_if"
            for part, result in zip(s.indicator.parts, s.parts, strict=True):
                if how or result is None:
                    continue
                if part.rule == "deduct_per_item" and part.params.get("count") == fact:
                    how = "count"
                elif result.not_applicable and fact in _part_facts(part.params, needs):
                    how = "not_applicable"
            if how:
                out.append(Assumed(fact, s, how))
    return out


def _part_facts(params: dict, needs: dict[str, tuple[str, ...]]) -> set[str]:
    names = {params[k] for k in _READS if isinstance(params.get(k), str)}
    found = set(names)
    for name in names:
        for need in needs.get(name) or NEEDS.get(name, ()):
            found.update(need.split(" 或 "))
    return found
