"""reportkit diff: what changed between two versions of a report — a git revision and the
work tree, last year's report and this year's, or any two report folders — in facts, in
scores (with the reason each score moved) and in the text of the sections."""

from __future__ import annotations

import contextlib
import difflib
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .assemble import scores_of
from .compute import shown
from .errors import ReportError
from .load import BY_PATH, Facts, git_tree, load_facts, previous_folder, read_text, relabel

MAX_SECTION_CHARS = 2 * 1024 * 1024


@dataclass
class Version:
    """One side of the comparison."""

    label: str
    facts: Facts
    scores: Any
    sections: dict[str, str]  # content/*.md by file name


@dataclass
class Diff:
    """What changed between two versions of a report: facts, indicator scores, total, grade."""

    old: str
    new: str
    facts: list[dict[str, Any]] = field(default_factory=list)
    indicators: list[dict[str, Any]] = field(default_factory=list)
    total: dict[str, Any] | None = None
    grade: dict[str, Any] | None = None
    framework: dict[str, Any] | None = None
    added: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    paragraphs: dict[str, int] = field(default_factory=dict)  # section file -> changed paragraphs

    @property
    def empty(self) -> bool:
        return not (self.facts or self.indicators or self.total or self.grade or self.framework
                    or self.added or self.removed or self.paragraphs)

    def as_data(self) -> dict[str, Any]:
        return {
            "old": self.old, "new": self.new, "framework": self.framework, "total": self.total,
            "grade": self.grade, "facts": self.facts, "indicators": self.indicators,
            "sections": {"added": self.added, "removed": self.removed, "changed_paragraphs": self.paragraphs},
        }


def _read(folder: Path, label: str, prefix: str = "") -> Version:
    try:
        facts, _framework, _metrics, scores = scores_of(folder)
    except ReportError as exc:
        raise relabel(exc, folder, prefix) from None
    sections = {}
    content = folder / "content"
    for path in sorted(content.glob("*.md")):
        sections[path.name] = read_text(path, root=folder, limit=MAX_SECTION_CHARS, kind="章节文件")
    return Version(label, facts, scores, sections)


@contextlib.contextmanager
def _revision(root: Path, revision: str) -> Iterator[Version]:
    with git_tree(root, revision) as (folder, prefix):
        try:
            version = _read(folder, f"git 版本 {revision}", prefix)
        except ReportError as exc:
            raise ReportError(f"版本 {revision} 的报告无法读取：{exc}") from None
        yield version


def _values(facts: Facts) -> dict[str, Any]:
    """Every fact as one comparable value: typed facts, extra, judgements and overrides."""
    values: dict[str, Any] = dict(facts.values)
    for key, value in (facts.extra or {}).items():
        values[f"extra.{key}"] = value
    for name, entries in facts.judgements.items():
        values[f"judgements.{name}"] = "；".join(f"第{j.part}条扣 {j.deduct if j.deduct is not None else '按条'} 分：{j.reason}"
                                              for j in entries)
    for name, override in facts.overrides.items():
        values[f"overrides.{name}"] = f"{override.score} 分：{override.reason}"
    return values


def _shown(key: str, value: Any) -> str | None:
    if value is None:
        return None
    spec = BY_PATH.get(key)
    return shown(value, spec.unit if spec else "")


def _paragraphs(text: str) -> list[str]:
    return [re.sub(r"\s+", " ", p).strip() for p in re.split(r"\n\s*\n", text) if p.strip()]


def changed_paragraphs(old: str, new: str) -> int:
    """Paragraphs added, removed or rewritten (a rewritten one counts once)."""
    matcher = difflib.SequenceMatcher(a=_paragraphs(old), b=_paragraphs(new), autojunk=False)
    return sum(max(i2 - i1, j2 - j1) for tag, i1, i2, j1, j2 in matcher.get_opcodes() if tag != "equal")


def _score_text(value: Any) -> str | None:
    return None if value is None else str(value)


def compare(old: Version, new: Version) -> Diff:
    result = Diff(old.label, new.label)
    before, after = _values(old.facts), _values(new.facts)
    changed_keys = set()
    for key in list(before) + [k for k in after if k not in before]:
        a, b = before.get(key), after.get(key)
        if a != b:
            changed_keys.add(key)
            spec = BY_PATH.get(key)
            result.facts.append({"key": key, "title": spec.title if spec else key,
                                 "old": _shown(key, a), "new": _shown(key, b)})
    fw_old, fw_new = old.scores.framework, new.scores.framework
    if fw_old.id != fw_new.id:
        result.framework = {"old": fw_old.id, "new": fw_new.id}
    olds = {s.indicator.name: s for s in old.scores.indicators}
    news = {s.indicator.name: s for s in new.scores.indicators}
    for name in list(olds) + [n for n in news if n not in olds]:
        a, b = olds.get(name), news.get(name)
        old_score, new_score = (a.final if a else None), (b.final if b else None)
        if a and b and old_score == new_score:
            continue
        reasons = []
        if result.framework:
            reasons.append(f"评价指标体系变化（{fw_old.id} → {fw_new.id}）")
        if f"judgements.{name}" in changed_keys:
            reasons.append("人工评判变化")
        if f"overrides.{name}" in changed_keys:
            reasons.append("覆盖得分变化")
        read = [f.key for s in (a, b) if s for f in s.facts]
        moved = [k for k in dict.fromkeys(read) if k in changed_keys]
        if moved:
            reasons.append("事实变化：" + "、".join(moved))
        if not reasons:
            reasons.append("规则计算结果变化")
        result.indicators.append({"name": name, "old": _score_text(old_score), "new": _score_text(new_score),
                                  "reason": "；".join(reasons)})
    if old.scores.total != new.scores.total:
        result.total = {"old": _score_text(old.scores.total), "new": _score_text(new.scores.total)}
    if old.scores.grade != new.scores.grade:
        result.grade = {"old": old.scores.grade, "new": new.scores.grade}
    result.added = [f for f in new.sections if f not in old.sections]
    result.removed = [f for f in old.sections if f not in new.sections]
    for name, text in new.sections.items():
        if name in old.sections:
            count = changed_paragraphs(old.sections[name], text)
            if count:
                result.paragraphs[name] = count
    return result


def diff_report(root: Path, against: str | Path | None = None, *, previous: bool = False) -> Diff:
    """`root` (the work tree) against `against`: a git revision (default HEAD), another report
    folder, or with `previous` the report its `previous:` names."""
    root = Path(root)
    new = _read(root, f"工作区（{root}）")
    if previous:
        ref = new.facts.previous
        if ref is None:
            raise ReportError("事实文件中没有 previous:", file=new.facts.file, key="previous",
                              expected="previous: 去年的报告目录，或 previous: {git: v2023}")
        with previous_folder(ref, root) as (folder, prefix):
            try:
                old = _read(folder, f"上一年度报告（{ref.label}）", prefix)
            except ReportError as exc:
                raise ReportError(f"上一年度报告（{ref.label}）无法读取：{exc}", file=ref.file, line=ref.line,
                                  key="previous") from None
        return compare(old, new)
    if against is not None and (Path(against) / "content" / "facts.yaml").is_file():
        folder = Path(against)
        try:
            old = _read(folder, f"目录 {folder}")
        except ReportError as exc:
            raise ReportError(f"目录 {folder} 的报告无法读取：{exc}") from None
        return compare(old, new)
    with _revision(root, str(against or "HEAD")) as old:
        return compare(old, new)


def diff_text(diff: Diff) -> str:
    lines = [f"比较：{diff.old} → {diff.new}"]
    if diff.empty:
        return "\n".join(lines + ["没有变化。"])
    if diff.framework:
        lines.append(f"评价指标体系：{diff.framework['old']} → {diff.framework['new']}")
    if diff.facts:
        lines.append(f"事实（{len(diff.facts)} 项变化）：")
        lines += [f"  {f['key']}（{f['title']}）：{f['old'] or '未填'} → {f['new'] or '未填'}" for f in diff.facts]
    if diff.indicators or diff.total or diff.grade:
        lines.append(f"得分（{len(diff.indicators)} 项指标变化）：")
        lines += [f"  {i['name']}：{i['old'] or '—'} → {i['new'] or '—'}（{i['reason']}）" for i in diff.indicators]
        if diff.total:
            lines.append(f"  总分：{diff.total['old'] or '—'} → {diff.total['new'] or '—'}")
        if diff.grade:
            lines.append(f"  等级：{diff.grade['old']} → {diff.grade['new']}")
    if diff.added or diff.removed or diff.paragraphs:
        lines.append("章节：")
        lines += [f"  新增 content/{name}" for name in diff.added]
        lines += [f"  删除 content/{name}" for name in diff.removed]
        lines += [f"  content/{name}：{count} 段有改动" for name, count in diff.paragraphs.items()]
    return "\n".join(lines)


def textconv(path: Path) -> str:
    """A facts file as lines git can diff (`diff.reportkit.textconv`): every fact, then every
    score the framework gives. A file that does not load is shown as it is, with the error."""
    text = Path(path).read_text(encoding="utf-8", errors="replace")
    try:
        facts = load_facts(Path(path))
    except ReportError as exc:
        return f"# reportkit：{exc}\n{text}"
    lines = [f"{key}: {_shown(key, value)}" for key, value in sorted(_values(facts).items())]
    try:
        from .compute import compute_metrics, load_framework, score_report, with_defined

        framework = load_framework(facts.get("report.framework"), Path(path).parent.parent)
        metrics = with_defined(framework.metrics, compute_metrics(facts, framework.settings))
        scores = score_report(framework, facts, metrics)
    except ReportError as exc:
        return "\n".join(lines + [f"# 得分无法计算：{exc}"]) + "\n"
    lines += [f"得分 {s.indicator.name}: {_score_text(s.final) or '—'}" for s in scores.indicators]
    lines += [f"总分: {_score_text(scores.total) or '—'}", f"等级: {scores.grade}"]
    return "\n".join(lines) + "\n"
