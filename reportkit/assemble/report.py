"""Load a report folder and assemble the one document model every renderer reads."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from markdown_it.token import Token

from ..compute import (
    Framework,
    Score,
    Scores,
    compute_metrics,
    load_framework,
    nested,
    score_report,
)
from ..errors import ReportError
from ..load import (
    INTRO,
    OUTLINE,
    Facts,
    Paths,
    Section,
    Targets,
    fill,
    find_root,
    load_facts,
    load_options,
    read_text,
)
from ..load import TITLE as TARGETS_TITLE
from ..numbers import plain
from .markdown import parse
from .tables import chapter_of, make_tables, number_captions
from .templating import render_text

MAX_SECTION_BYTES = 2 * 1024 * 1024


@dataclass
class Block:
    """A heading of the fixed outline with the body written under it."""

    level: int  # 1: chapter 一、  2: section （一）
    number: str
    title: str
    source: str | None = None  # the section file
    markdown: str = ""  # after {{ }} substitution
    tokens: list[Token] = field(default_factory=list)
    paragraphs: list[str] = field(default_factory=list)  # generated text (chapter 四)

    @property
    def heading(self) -> str:
        return f"{self.number}{self.title}"


@dataclass
class AnnexRow:
    level: str
    level_weight: Decimal
    group: str
    group_weight: Decimal
    name: str
    weight: Decimal
    description: str
    standard: str
    score: str


@dataclass
class Report:
    paths: Paths
    facts: Facts
    framework: Framework
    metrics: dict[str, Any]
    scores: Scores
    options: dict[str, Any]
    title: str
    cover: dict[str, str]
    intro: Block | None
    blocks: list[Block]
    annex_title: str
    annex_rows: list[AnnexRow]
    unknown_files: list[str]
    targets_title: str = ""
    targets: Targets | None = None  # the 目标完成情况自评表 annex, when the facts give it


def _dec(value) -> Score:
    """A weight (exact fraction in the framework) as a printable score."""
    return Score(Decimal(value.numerator) / Decimal(value.denominator))


def template_context(facts: Facts, framework: Framework, metrics: dict, scores: Scores) -> dict[str, Any]:
    """Every name a section may use in {{ }}."""
    context = nested({k: v for k, v in metrics.items() if k != "quarters"})
    context["quarters"] = metrics["quarters"]
    context["extra"] = facts.extra
    context["framework"] = {"id": framework.id, "title": framework.title}
    context["scores"] = {s.indicator.name: s.final for s in scores.indicators}
    context["indicators"] = {
        s.indicator.name: {
            "weight": _dec(s.indicator.weight), "score": s.final, "computed": s.computed,
            "lost": Score(_dec(s.indicator.weight) - s.final) if s.final is not None else None,
        }
        for s in scores.indicators
    }
    context["levels"] = {lv.name: {"weight": _dec(lv.weight), "score": lv.score} for lv in scores.levels}
    context["total"] = scores.total
    context["grade"] = scores.grade
    context["tables"] = make_tables(metrics)
    context["lost"] = [
        {"name": s.indicator.name, "weight": _dec(s.indicator.weight), "score": s.final,
         "lost": Score(_dec(s.indicator.weight) - s.final)}
        for s in scores.indicators
        if s.final is not None and s.final < _dec(s.indicator.weight)
    ]
    return context


def chapter_four(facts: Facts, framework: Framework, scores: Scores) -> list[str]:
    """The generated text of chapter 四 (as seed 000 writes it)."""
    me = facts.get("report.self_name")
    levels = "；".join(f"{lv.name}满分 {plain(_dec(lv.weight))} 分，得分 {lv.score} 分" for lv in scores.levels)
    return [
        f"{me}参照《{framework.title}》进行自评，此次自评评分为 {scores.total} 分，其中{levels}。"
        f"评价等级为“{scores.grade}”。具体评分情况见附件。"
    ]


def _read_section(paths: Paths, section: Section, context: dict, captions: int = 0) -> tuple[Block | None, int]:
    """The section's block and the chapter's table captions up to its end.

    `captions`: the captions earlier in the chapter, from which generated tables are numbered 表N-M.
    """
    path = paths.content / section.file
    if not path.is_file():
        if section.optional:
            return None, captions
        raise ReportError(
            f"缺少章节文件，请创建“{path}”（{section.guidance}）", file=path,
            expected="每个章节一个 Markdown 文件",
        )
    if path.stat().st_size > MAX_SECTION_BYTES:
        raise ReportError("章节文件过大（超过 2 MB）", file=path, expected="不超过 2 MB 的 Markdown 文本")
    text = read_text(path)
    rel = str(path.relative_to(paths.root)) if path.is_relative_to(paths.root) else str(path)
    markdown, captions = number_captions(render_text(text, context, rel), chapter_of(section.file), captions)
    return Block(2, section.number, section.title, rel, markdown, parse(markdown)), captions


def assemble(facts: Facts, framework: Framework, metrics: dict, scores: Scores, paths: Paths, options: dict) -> Report:
    kind = facts.get("report.kind")
    year = facts.get("report.year")
    level = facts.get("report.level")
    context = template_context(facts, framework, metrics, scores)
    intro, _ = _read_section(paths, INTRO, context)
    blocks: list[Block] = []
    for chapter in OUTLINE:
        head = Block(1, chapter.number, fill(chapter.title, kind, year))
        blocks.append(head)
        if chapter.generated:
            head.paragraphs = chapter_four(facts, framework, scores)
            continue
        captions = 0
        for section in chapter.sections:
            block, captions = _read_section(paths, section, context, captions)
            block.title = fill(section.title, kind, year)
            blocks.append(block)
    known = {s.file for ch in OUTLINE for s in ch.sections} | {INTRO.file}
    unknown = sorted(p.name for p in paths.content.glob("*.md") if p.name not in known)
    rows = []
    for s in scores.indicators:
        ind = s.indicator
        lv = next(x for x in framework.levels if x.name == ind.level)
        gr = next(x for x in lv.groups if x.name == ind.group)
        rows.append(AnnexRow(
            ind.level, _dec(lv.weight), ind.group, _dec(gr.weight), ind.name, _dec(ind.weight),
            framework.words(ind.description, level), framework.words(ind.standard, level),
            str(s.final) if s.final is not None else "",
        ))
    cover = {
        "unit": facts.get("report.unit"),
        "preparer": facts.get("report.preparer") or "",
        "phone": facts.get("report.phone") or "",
        "year": str(year),
    }
    return Report(
        paths=paths, facts=facts, framework=framework, metrics=metrics, scores=scores, options=options,
        title=f"{year}年度{kind}整体绩效评价报告", cover=cover, intro=intro, blocks=blocks,
        annex_title=f"{kind}整体支出绩效评价指标评分情况表", annex_rows=rows, unknown_files=unknown,
        targets_title=TARGETS_TITLE.replace("{主体}", kind), targets=facts.targets,
    )


def load_scores(root: Path) -> tuple[Paths, Facts, Framework, dict, Scores]:
    """Facts → metrics → scores, without reading the sections."""
    paths = find_root(root)
    facts = load_facts(paths.facts)
    try:
        framework = load_framework(facts.get("report.framework"), paths.root)
    except ReportError as exc:
        if exc.file is None:  # the reference itself is wrong: point at it in the facts file
            exc.file, exc.line = facts.file, facts.line("report.framework")
        raise
    metrics = compute_metrics(facts)
    scores = score_report(framework, facts, metrics)
    return paths, facts, framework, metrics, scores


def load_report(root: Path) -> Report:
    paths, facts, framework, metrics, scores = load_scores(root)
    scores.require_complete(facts.file)
    options = load_options(paths)
    return assemble(facts, framework, metrics, scores, paths, options)
