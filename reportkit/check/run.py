"""`reportkit check`: everything wrong or unfinished in a report folder, in one pass.

Unlike `build`, which stops at the first problem, check collects them all and never
raises on bad input: a facts file that does not load is one finding, not a crash.

Severities:
  错误 (error)    the report is wrong or cannot be built: bad facts, unknown {{ }} names,
                  missing section files, arithmetic that does not add up
  警告 (warning)  probably wrong: suspicious facts, numbers typed in the narrative that
                  contradict a fact, a metric or a score
  待办 (todo)     not done yet: facts to fill, sections to write, scores that lack facts —
                  what `reportkit new` leaves; `build` stops with this same list
  提示 (notice)   for the record: every override with the score the rules give

Exit codes (CheckResult.exit_code): 2 when there is an error; 1 with --strict when there
is a warning; otherwise 0. To-dos and notices never change the exit code.
"""

from __future__ import annotations

import copy
import re
from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path
from typing import Any

from ..assemble import add_previous, add_score_changes, load_previous, template_context
from ..compute import (
    FOR_SCORE,
    Framework,
    Scores,
    assessment_problems,
    assumed_full_marks,
    compute_metrics,
    load_framework,
    plain_f,
    score_report,
    set_aside,
    shown,
    with_defined,
)
from ..errors import ReportError
from ..findings import (
    CONFIG,
    ERROR,
    FACTS,
    NOTICE,
    SCORES,
    SEVERITIES,
    TODO,
    WARNING,
    Finding,
    from_error,
    relative,
)
from ..load import (
    BY_PATH,
    FIELDS,
    Facts,
    Field,
    Paths,
    load_options,
    load_yaml,
    missing_facts_hint,
    missing_required,
    outline_for,
    parse_facts,
    source_date_epoch,
)
from ..numbers import money, percent
from .figures import check_numbers
from .sections import check_sections
from .structure import check_structure, targets_totals
from .text import normalize

FACTS_FILE = "content/facts.yaml"

# Stand-ins for required facts that are still empty, so the rest of the file can be
# validated and the scores tell which other facts are missing. Never shown or scored.
_PLACEHOLDERS: dict[str, Any] = {
    "text": "待填", "year": 2000, "money": 1, "count": 0, "headcount": 1, "percent": 0,
    "money4": [1, 1, 1, 1], "percent4": [25, 50, 75, 100], "bool": False, "texts": [],
}

# Rates above 150% are suspicious: (metric, numerator fact, denominator fact, title).
_RATES = (
    ("staff.control_rate", "staff.on_payroll", "staff.authorized", "财政供养人员控制率"),
    ("three_public.control_rate", "three_public.spent", "three_public.budget", "“三公”经费控制率"),
    ("office_expenses.control_rate", "office_expenses.spent", "office_expenses.budget", "日常公用经费控制率"),
    ("budget.adjustment_ratio_adjusted", "budget.adjustments", "budget.adjusted", "调整、调剂比例"),
)
_SUSPICIOUS = Fraction(3, 2)


@dataclass
class CheckResult:
    """Everything `check` found about a report folder, with what was skipped or silenced."""

    root: Path
    findings: list[Finding] = field(default_factory=list)
    # typed numbers not compared with a fact, and why (another subject, a bound): --explain
    skipped: list[Finding] = field(default_factory=list)
    # findings the author silenced ({# noqa #} on the line, or check.ignore in reportkit.yaml)
    silenced: list[Finding] = field(default_factory=list)

    def of(self, severity: str) -> list[Finding]:
        return [f for f in self.findings if f.severity == severity]

    def counts(self) -> dict[str, int]:
        return {severity: len(self.of(severity)) for severity in SEVERITIES}

    def exit_code(self, strict: bool = False) -> int:
        if self.of(ERROR):
            return 2
        if strict and self.of(WARNING):
            return 1
        return 0

    def as_data(self) -> dict[str, Any]:
        return {
            "root": str(self.root),
            "counts": self.counts(),
            "findings": [f.as_data() for f in self.findings],
            "silenced": [f.as_data() for f in self.silenced],
        }


@dataclass
class _Loaded:
    """The facts as check could load them, and whether they are complete enough to score."""

    facts: Facts | None
    placeholders: set[str] = field(default_factory=set)  # required facts stood in for
    errors: bool = False

    @property
    def complete(self) -> bool:
        return self.facts is not None and not self.placeholders and not self.errors


def _lookup(data: dict, path: str) -> Any:
    head, _, leaf = path.partition(".")
    value = data.get(head)
    if not leaf:
        return value
    return value.get(leaf) if isinstance(value, dict) else None


def _place(data: dict, spec: Field) -> None:
    head, _, leaf = spec.path.partition(".")
    value = copy.deepcopy(_PLACEHOLDERS.get(spec.kind, spec.choices[0] if spec.choices else None))
    if not leaf:
        data[head] = value
        return
    if data.get(head) is None:
        data[head] = {}
    if isinstance(data[head], dict):  # a block of the wrong type is reported first, then dropped
        data[head][leaf] = value


def _drop(data: dict, key: str | None) -> bool:
    """Remove what an error points at (a whole fact, one judgement or override, one key)."""
    if not key:
        return False
    field_path = next((p for p in BY_PATH if key == p or key.startswith(p + ".")), None)
    parts = field_path.split(".") if field_path else key.split(".")[:2]
    node: Any = data
    for part in parts[:-1]:
        if not isinstance(node, dict) or part not in node:
            return False
        node = node[part]
    if isinstance(node, dict) and parts[-1] in node:
        del node[parts[-1]]
        return True
    return False


def _todo_fact(spec: Field, line: int | None) -> Finding:
    unit = f"，单位：{spec.unit}" if spec.unit else ""
    return Finding(TODO, FACTS, f"待填：{spec.title}（{spec.path}{unit}）——{spec.help}", FACTS_FILE, line, spec.path)


def _load_facts(paths: Paths, findings: list[Finding]) -> _Loaded:
    """Parse the facts file, reporting every bad value (each is dropped and parsing retried)."""
    try:
        data, located = load_yaml(paths.facts)
    except ReportError as exc:
        findings.append(from_error(exc, FACTS, paths.root))
        return _Loaded(None, errors=True)
    if isinstance(data, dict):
        data = copy.deepcopy(data)
        for spec in missing_required(data):  # a total computed from its parts is not missing
            findings.append(_todo_fact(spec, located.line(spec.path)))
    loaded = _Loaded(None)
    for _ in range(1000):  # every pass either succeeds or removes what failed
        if isinstance(data, dict):
            for spec in missing_required(data):
                _place(data, spec)
                loaded.placeholders.add(spec.path)
        try:
            loaded.facts = parse_facts(data, located)
            return loaded
        except ReportError as exc:
            findings.append(from_error(exc, FACTS, paths.root))
            loaded.errors = True
            if not isinstance(data, dict) or not _drop(data, exc.key):
                return _Loaded(None, errors=True)
    return _Loaded(None, errors=True)


def _framework(facts: Facts, paths: Paths, findings: list[Finding]) -> Framework | None:
    try:
        return load_framework(facts.get("report.framework"), paths.root)
    except ReportError as exc:
        if exc.file is None:  # the reference itself is wrong: point at it in the facts file
            exc.file, exc.line = facts.file, facts.line("report.framework")
        findings.append(from_error(exc, CONFIG, paths.root))
        return None


def _score(framework: Framework, facts: Facts, metrics: dict, paths: Paths, findings: list[Finding]) -> Scores | None:
    """Score, reporting every bad judgement or override (each is set aside and scoring retried).

    A bad judgement entry is left out alone: the other judgements of its indicator still count,
    so the score check reports is the one the author meant, less only that entry.
    """
    for problem in assessment_problems(framework, facts):
        findings.append(from_error(problem.error, FACTS, paths.root))
        set_aside(facts, problem)
    while True:
        try:
            return score_report(framework, facts, metrics)
        except ReportError as exc:
            findings.append(from_error(exc, FACTS, paths.root))
            block, _, rest = (exc.key or "").partition(".")
            name = rest.split(".")[0]
            entries = {"judgements": facts.judgements, "overrides": facts.overrides}.get(block)
            if entries is None or name not in entries:
                return None
            del entries[name]


def _suspicious(facts: Facts, metrics: dict, skip: set[str]) -> list[Finding]:
    """Values each allowed alone but impossible or unlikely together."""
    out: list[Finding] = []
    f = facts.get

    def has(*paths: str) -> bool:
        return all(facts.has(p) and p not in skip for p in paths)

    def add(severity: str, path: str, message: str, expected: str | None = None) -> None:
        out.append(Finding(severity, FACTS, message, FACTS_FILE, facts.line(path), path, expected))

    if has("staff.on_payroll", "staff.contract") and metrics.get("staff.total") == 0:
        add(ERROR, "staff.on_payroll", "在编人数与编外人员数都为 0，无法计算编外人员控制率",
            "在编人数与编外人员数之和大于 0（人员数写在编、编外的实有人数）")
    if has("procurement.plan", "procurement.actual") and f("procurement.actual") > f("procurement.plan"):
        add(WARNING, "procurement.actual",
            f"实际采购金额 {money(f('procurement.actual'))} 万元大于采购计划金额 {money(f('procurement.plan'))} 万元；"
            "按评分标准，政府采购执行率一项得 0 分，请核对")
    if has("budget.spent", "budget.adjusted") and f("budget.spent") > f("budget.adjusted"):
        add(WARNING, "budget.spent",
            f"全年支出 {money(f('budget.spent'))} 万元大于调整后预算 {money(f('budget.adjusted'))} 万元"
            f"（预算执行率 {percent(metrics['budget.execution_rate'])}），请核对")
    for metric, numerator, denominator, title in _RATES:
        if not has(numerator, denominator):
            continue
        value = metrics.get(metric)
        if value is not None and value > _SUSPICIOUS:
            add(WARNING, numerator, f"{title} {percent(value)}，超过 150%，请核对 {numerator} 与 {denominator}")
        elif value is None and metrics.get(denominator) == 0 and metrics.get(numerator):
            add(WARNING, numerator, f"{BY_PATH[denominator].title}为 0，{BY_PATH[numerator].title}却不为 0，请核对")
    source = "quarterly.cumulative_spent" if facts.has("quarterly.cumulative_spent") else "quarterly.progress"
    for i, quarter in enumerate(metrics.get("quarters") or []):
        if quarter["rate"] > _SUSPICIOUS and has(source) and (source == "quarterly.progress" or has("budget.adjusted")):
            out.append(Finding(WARNING, FACTS, f"第{'一二三四'[i]}季度预算执行率 {percent(quarter['rate'])}，超过 150%，请核对",
                               FACTS_FILE, facts.line(f"{source}.{i}"), source))
    if has("quarterly.cumulative_spent", "budget.spent") and f("quarterly.cumulative_spent")[3] != f("budget.spent"):
        add(WARNING, "quarterly.cumulative_spent",
            f"第四季度末累计支出 {money(f('quarterly.cumulative_spent')[3])} 万元与全年支出 {money(f('budget.spent'))} 万元不一致")
    parts = ("budget.personnel", "budget.public", "budget.project")
    if has(*parts, "budget.initial") and sum(f(p) for p in parts) != f("budget.initial"):
        add(WARNING, "budget.personnel",
            f"年初人员、公用、项目支出合计 {money(sum(f(p) for p in parts))} 万元，与年初预算 {money(f('budget.initial'))} 万元不一致")
    if has("budget.adjustments", "budget.initial", "budget.adjusted") and \
            f("budget.adjustments") < abs(f("budget.adjusted") - f("budget.initial")):
        add(WARNING, "budget.adjustments",
            f"调整、调剂资金累计 {money(f('budget.adjustments'))} 万元，小于调整后预算与年初预算之差 "
            f"{money(abs(f('budget.adjusted') - f('budget.initial')))} 万元")
    for spec in FIELDS:
        if spec.path.startswith("report.") and "封面" in spec.help and not facts.has(spec.path):
            add(NOTICE, spec.path, f"封面“{spec.title}”未填写，将留空")
    return out


def _assumed(scores: Scores, facts: Facts, skip: set[str]) -> list[Finding]:
    """A left-out fact that gives an indicator its points (no petitions: full marks): said, not silent."""
    out = []
    for a in assumed_full_marks(scores, facts):
        if a.fact in skip:  # a placeholder left in: reported as such
            continue
        spec = BY_PATH[a.fact]
        block, _, leaf = a.fact.partition(".")
        head = f"事实文件中没有 {block} 块" if facts.line(block) is None else f"{block} 块中没有填写 {leaf}"
        s = a.score
        weight = Fraction(s.indicator.weight)
        if Fraction(s.computed) == weight:
            effect = f"得满分（{plain_f(weight)} 分）"
        else:
            effect = "未被判为 0 分" if a.how == "zero_if" else "这一条不扣分"
        value = shown(spec.default, spec.unit)
        taken = f"按没有“{spec.title}”（{a.fact}）" if value == "无" else f"按“{spec.title}”（{a.fact}）为 {value}"
        message = f"{head}：{taken}计算（{spec.help}），“{s.indicator.name}”因此{effect}"
        default = spec.default
        written = ("true" if default else "false") if isinstance(default, bool) else "[]" if default == () else default
        out.append(Finding(NOTICE, FACTS, message, FACTS_FILE, facts.line(block), a.fact,
                           f"确认无误（在 {block} 块中写明 {leaf}: {written} 即不再提示）；"
                           f"如不是，请在 {FACTS_FILE} 的 {block} 块中填写 {leaf}"))
    return out


def _fact_line(facts: Facts, need: str) -> int | None:
    return facts.line(need.split(" 或 ")[0])


def _score_findings(scores: Scores, facts: Facts, complete: bool) -> list[Finding]:
    out = []
    for s in scores.indicators:
        name = s.indicator.name
        if s.override:
            o = s.override
            if not complete:
                computed = "待事实填写完整后给出"
            elif s.computed is None:
                computed = f"无法计算，{s.why_not_computed}"
            else:
                computed = f"{s.computed} 分"
            if complete and s.computed is not None and s.computed == o.score:
                message = f"“{name}”覆盖得分 {o.score} 分与规则计算结果相同，可删除这条覆盖"
            else:
                message = f"“{name}”得分覆盖为 {o.score} 分（按规则计算：{computed}），原因：{o.reason}"
            out.append(Finding(NOTICE, SCORES, message, FACTS_FILE, o.line, f"overrides.{name}"))
        elif s.zero_divisors:  # filled in, but a rate divides by 0: not a to-do, build stops on it
            out.append(Finding(
                ERROR, SCORES, f"“{name}”无法计算得分：{s.why_not_computed}", FACTS_FILE,
                _fact_line(facts, s.todo_key), s.todo_key, expected=FOR_SCORE.removeprefix("请"),
                blocks_build=True,
            ))
        elif s.missing:
            out.append(Finding(
                TODO, SCORES, f"“{name}”无法计算得分：缺少 {'、'.join(s.missing)}", FACTS_FILE,
                _fact_line(facts, s.missing[0]), s.missing[0].split(" 或 ")[0],
                expected="在事实文件中填写这些事实，或在 overrides 中给出得分和原因",
            ))
    return out


def _declared_findings(scores: Scores, facts: Facts) -> list[Finding]:
    """Each score the unit declared (declared:) that the report does not use, with why."""
    out = []
    for s in scores.declared_differences:
        name = s.indicator.name
        if s.override is not None and s.declared is not None and s.override.score == s.declared:
            continue  # kept as an override: listed with its reason above
        declared = "空白" if s.declared is None else f"{s.declared} 分"
        used = f"报告采用 {s.final} 分" if s.final is not None else "报告中尚无得分"
        line = facts.declared.line(name) if facts.declared else None
        out.append(Finding(NOTICE, SCORES, f"“{name}”单位自评{declared}，{s.declared_note}；{used}", FACTS_FILE, line,
                           f"declared.scores.{name}",
                           expected="采用计算得分；或在 overrides 中保留自评得分并写明原因"))
    return out


def check_report(root: Path) -> CheckResult:
    """Every finding about the report folder at `root`; never raises on bad input."""
    root = Path(root)
    paths = Paths(root)
    result = CheckResult(root)
    findings = result.findings
    if not paths.facts.is_file():
        findings.append(Finding(ERROR, FACTS, "不是报告目录：找不到事实文件", FACTS_FILE,
                                expected=missing_facts_hint(paths)))
        return result
    loaded = _load_facts(paths, findings)
    options, outline = {}, None
    try:
        options = load_options(paths)
    except ReportError as exc:
        findings.append(from_error(exc, CONFIG, root))
    if loaded.facts is not None and not loaded.facts.get("report.date"):
        try:  # build dates the Word file by it when report.date is not given
            source_date_epoch()
        except ReportError as exc:
            findings.append(from_error(exc, CONFIG, root))
    try:
        outline = outline_for(paths, loaded.facts, options)
    except ReportError as exc:
        findings.append(from_error(exc, CONFIG, root))
    facts, framework, metrics, scores, context = loaded.facts, None, None, None, None
    if facts is not None:
        framework = _framework(facts, paths, findings)
        last = None
        try:
            last = load_previous(facts, root)
        except ReportError as exc:  # previous: names a report that does not load
            findings.append(from_error(exc, FACTS, root))
        metrics = compute_metrics(facts, framework.settings if framework else None)
        add_previous(metrics, last)
        if framework is not None:
            metrics = with_defined(framework.metrics, metrics)
        scores = _score(framework, facts, metrics, paths, findings) if framework else None
        if scores is not None:
            add_score_changes(metrics, scores, last)
            try:
                context = template_context(facts, framework, metrics, scores, outline)
            except ReportError as exc:  # an {extra.…} of the outline that the facts lack
                findings.append(from_error(exc, FACTS, root))
                context = template_context(facts, framework, metrics, scores)
        findings += _suspicious(facts, metrics, loaded.placeholders)
        findings += [from_error(w, FACTS, root, WARNING) for w in facts.warnings]
        findings += [from_error(n, FACTS, root, NOTICE) for n in facts.notices]  # a list of the main projects only
        if loaded.complete:
            findings += targets_totals(facts, FACTS_FILE)
    if outline is not None:  # a broken outline is reported above; its sections cannot be checked
        more, rendered = check_sections(
            paths, context, numbers=loaded.complete and scores is not None, outline=outline,
            divisors=framework.metric_divisors if framework is not None else None,
            kind=facts.get("report.kind") if facts else "部门", year=facts.get("report.year") if facts else None,
        )
        findings += more
    else:
        rendered = []
    normalized = [[normalize(line) for line in file.lines] for file in rendered]  # for both checks below
    if scores is not None:
        findings += _assumed(scores, facts, loaded.placeholders)
        findings += _score_findings(scores, facts, loaded.complete)
        findings += check_numbers(rendered, facts, framework, metrics, scores, FACTS_FILE, result.skipped,
                                  normalized)
        findings += _declared_findings(scores, facts)
    findings += check_structure(rendered, scores, outline, normalized)
    errored = {f.key for f in findings if f.severity == ERROR and f.key}
    unique = {}
    for finding in findings:
        if finding.severity == TODO and finding.key in errored:
            continue  # an empty fact already reported as wrong
        unique.setdefault((finding.severity, finding.file, finding.line, finding.message), finding)
    result.findings = sorted(unique.values(), key=Finding.sort_key)
    _silence(result, options if isinstance(options, dict) else {})
    return result


# {# noqa #}, {# noqa: 算式 #}, {# 忽略 #}: a Jinja comment, so the report never shows it
_NOQA = re.compile(r"\{#-?\s*(?:noqa|忽略|不检查)\s*(?:[:：]\s*(?P<words>[^#]*?))?\s*-?#\}")


def _silence(result: CheckResult, options: dict) -> None:
    """Move the findings the author silenced to result.silenced. Facts, configuration and
    to-dos cannot be silenced: only what check reads in the text."""
    ignore = ((options.get("check") or {}).get("ignore") or []) if isinstance(options.get("check"), dict) else []
    sources: dict[str, list[str]] = {}

    def line_of(finding: Finding) -> str:
        if not finding.file or not finding.file.endswith(".md") or not finding.line:
            return ""
        if finding.file not in sources:
            try:
                sources[finding.file] = (result.root / finding.file).read_text(encoding="utf-8-sig").splitlines()
            except (OSError, UnicodeDecodeError):
                sources[finding.file] = []
        lines = sources[finding.file]
        return lines[finding.line - 1] if finding.line <= len(lines) else ""

    # A line's marks and what it contains are read once, not once for each of its findings
    # (a long line with many figures would be read again for every one of them).
    marks: dict[tuple[str | None, int | None], list[list[str]]] = {}
    contains: dict[tuple[str, str | None, int | None], bool] = {}

    def silenced(finding: Finding) -> bool:
        if finding.severity == TODO or finding.blocks_build or finding.group in (FACTS, CONFIG):
            return False
        where = (finding.file, finding.line)
        if where not in marks:
            marks[where] = [[w for w in re.split(r"[,，、\s]+", m["words"] or "") if w]
                            for m in _NOQA.finditer(line_of(finding))]
        for words in marks[where]:
            if not words or any(w in finding.message for w in words):
                return True
        for entry in ignore:
            text, file = (entry, None) if isinstance(entry, str) else (entry.get("text"), entry.get("file"))
            if file and file != finding.file:
                continue
            if text and (text, *where) not in contains:
                contains[(text, *where)] = text in line_of(finding)
            if text and (contains[(text, *where)] or text in finding.message):
                return True
        return False

    kept = []
    for finding in result.findings:
        (result.silenced if silenced(finding) else kept).append(finding)
    result.findings = kept


def todo_list(result: CheckResult, base: str = "") -> str:
    return "\n".join(f"  {f.location(base)}  {f.message}" for f in result.of(TODO))


def require_finished(root: Path, *, failed: bool = False) -> None:
    """Stop with the to-do list while the report is unfinished (what `build` calls first).

    `failed`: the caller's own loading failed. When check finds errors as well, the caller's
    error is the one to show (a `staff: []` leaves to-dos behind it, but it is the mistake),
    so this returns and the caller raises it."""
    result = check_report(root)
    if failed and any(f.severity == ERROR and not f.blocks_build for f in result.findings):
        return
    blocking = [f for f in result.of(ERROR) if f.blocks_build]
    if blocking:  # a rate over a zero the text or a rule reads: no build can get past it
        listed = "\n".join(f"  {f.location(str(root))}  {f.message}（应为：{f.expected}）" for f in blocking)
        raise ReportError(f"报告中有 {len(blocking)} 项无法生成的内容（reportkit check 列出同样的错误）：\n{listed}")
    todos = result.of(TODO)
    if todos:
        raise ReportError(
            f"报告尚未完成，还有 {len(todos)} 项待办（reportkit check 列出同样的清单）：\n"
            + todo_list(result, str(root)),
            expected="填写事实、写完各章节后再生成报告",
        )


__all__ = ["CheckResult", "Finding", "check_report", "relative", "require_finished", "todo_list"]
