"""Load a report folder and assemble the one document model every renderer reads."""

from __future__ import annotations

import os
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
    with_defined,
)
from ..errors import ReportError
from ..load import (
    AUTO,
    Annex,
    Chapter,
    Facts,
    Outline,
    Paths,
    Section,
    Targets,
    cn_number,
    find_root,
    load_facts,
    load_options,
    outline_for,
    placeholders,
    read_text,
    substitute,
)
from .bounds import check_size, traced_line_of
from .markdown import parse
from .pictures import check_pictures
from .previous import add_previous, add_score_changes, load_previous
from .tables import make_tables, number_captions
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
    key: str = ""  # the chapter's or section's key in the outline

    @property
    def heading(self) -> str:
        return f"{self.number}{self.title}"


@dataclass
class AnnexRow:
    """One indicator's row of the scores annex, its level and group repeated, as the tables print it."""

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
class AnnexPart:
    """One annex as the outline places it: the table, its label and title, its options."""

    table: str  # "scores" (the indicator table) or "targets" (the 自评表)
    label: str  # 附件1; "" for none
    title: str
    place: str  # "annex", or the key of the chapter it ends
    label_inline: bool = False  # “附件：标题” on one line
    total_row: str | None = None  # the closing row's label (scores)
    footer: str = ""  # a line under the table (填表人：…)
    notes: list[str] = field(default_factory=list)  # 附注 under the scores table

    @property
    def heading(self) -> str:
        """The title line: “附件：标题” when the label is inline, else the title alone."""
        return f"{self.label}：{self.title}" if self.label_inline and self.label else self.title


@dataclass
class Report:
    """The assembled report: facts, framework, metrics, scores and the blocks every renderer prints."""

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
    outline: Outline | None = None
    cover_lines: list[str] = field(default_factory=list)  # below the title, as the outline lists them
    annexes: list[AnnexPart] = field(default_factory=list)  # in the outline's order, present ones only

    def annexes_in(self, place: str) -> list[AnnexPart]:
        """The annexes placed at the end of the chapter with this key ("annex": after the report)."""
        return [a for a in self.annexes if a.place == place]


def _dec(value) -> Score:
    """A weight (exact fraction in the framework) as a printable score."""
    return Score(Decimal(value.numerator) / Decimal(value.denominator))


def template_context(facts: Facts, framework: Framework, metrics: dict, scores: Scores,
                     outline: Outline | None = None) -> dict[str, Any]:
    """Every name a section may use in {{ }}; with the outline, also its annexes' labels and titles."""
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
    context["level_scores"] = [{"name": lv.name, "weight": _dec(lv.weight), "score": lv.score}
                               for lv in scores.levels]
    context["total"] = scores.total
    context["grade"] = scores.grade
    context["tables"] = make_tables(metrics)
    context["lost"] = [
        {"name": s.indicator.name, "weight": _dec(s.indicator.weight), "score": s.final,
         "lost": Score(_dec(s.indicator.weight) - s.final)}
        for s in scores.indicators
        if s.final is not None and s.final < _dec(s.indicator.weight)
    ]
    if outline is not None:
        parts = _annex_parts(outline, framework, facts, outline_values(facts, framework))
        context["annexes"] = {a.table: {"label": a.label, "title": a.title} for a in parts}
    return context


def outline_values(facts: Facts, framework: Framework) -> dict[str, str]:
    """The values of the outline's {placeholders} (extra.* are looked up when used)."""
    values = {
        "year": str(facts.get("report.year")),
        "主体": facts.get("report.kind"),
        "unit": facts.get("report.unit") or "",
        "self": facts.get("report.self_name") or "",
        "preparer": facts.get("report.preparer") or "",
        "phone": facts.get("report.phone") or "",
        "level": facts.get("report.level") or "",
        "framework": framework.title,
        "caption": framework.caption,
        "date": facts.get("report.date") or "",
    }
    return {k: str(v) for k, v in values.items()}


def _filled(text: str, values: dict[str, str], facts: Facts, outline: Outline, key: str) -> str:
    """An outline text with its placeholders filled; an {extra.名称} that facts.yaml lacks is an error."""
    for name in _extra_names(text):
        if name not in values:
            value = facts.extra.get(name[len("extra."):])
            if value is None or isinstance(value, (dict, list)):
                raise ReportError(
                    f"提纲的“{key}”引用了 {{{name}}}，但 facts.yaml 的 extra 中没有“{name[6:]}”", file=facts.file,
                    key=name, expected=f"在 facts.yaml 的 extra: 下写 {name[6:]}: 值（提纲 {outline.file}）",
                )
            values[name] = str(value)
    return substitute(text, values)


def _extra_names(text: str) -> list[str]:
    return [n for n in placeholders(text) if n.startswith("extra.")]


def _generated(part: Section | Chapter, outline: Outline, context: dict) -> str:
    """A generated part's text; an error in it names the outline file, line and key."""
    try:
        return render_text(part.template, context, outline.file)
    except ReportError as exc:
        _locate(exc, part, outline)
        raise


def _locate(exc: ReportError, part: Section | Chapter, outline: Outline) -> None:
    """An error inside an outline template, at its line in the outline file."""
    if exc.file == outline.file and part.template_line:
        exc.line = part.template_line + (exc.line or 1) - 1
        exc.key = exc.key or part.template_key


def _annex_parts(outline: Outline, framework: Framework, facts: Facts, values: dict[str, str]) -> list[AnnexPart]:
    present: list[Annex] = [a for a in outline.annexes if a.table != "targets" or facts.targets is not None]
    # auto: 附件 numbering for the annexes after the report; none for one inside a chapter
    labelled = [a for a in present if a.label and (a.label != AUTO or a.place == "annex")]
    parts = []
    for k, annex in enumerate(outline.annexes):
        if annex not in present:
            continue
        key = f"annexes.{k}"
        if annex not in labelled:
            label = ""
        elif annex.label == AUTO:
            label = "附件" if len(labelled) == 1 else f"附件{labelled.index(annex) + 1}"
        else:
            n = labelled.index(annex) + 1
            label = annex.label.replace("{n}", str(n)).replace("{cn}", cn_number(n))
        scores_table = annex.table == "scores"
        parts.append(AnnexPart(
            table=annex.table, label=label, title=_filled(annex.title, values, facts, outline, f"{key}.title"),
            place=annex.place, label_inline=annex.label_inline,
            total_row=(annex.total_row or framework.annex.get("total_row")) if scores_table else None,
            footer=_filled(annex.footer, values, facts, outline, f"{key}.footer"),
            notes=list(framework.notes) if scores_table and annex.notes else [],
        ))
    return parts


def _read_section(paths: Paths, outline: Outline, section: Section, context: dict,
                  captions: int = 0, pictures: dict[Path, int] | None = None) -> tuple[Block | None, int]:
    """The section's block and the chapter's table captions up to its end.

    `captions`: the captions earlier in the chapter, from which generated tables are numbered 表N-M.
    A generated section has no file; a section with a template and a file has the template's text first.
    """
    generated = _generated(section, outline, context) if section.template else ""
    rel = None
    text = ""
    if section.file:
        path = paths.content / section.file
        if not os.path.lexists(path):  # a pipe, a directory or a link out of the folder: read_text says so
            if section.optional:
                return None, captions
            raise ReportError(
                f"缺少章节文件，请创建“{path}”（{section.guidance}）", file=path,
                expected=f"提纲（{outline.file}）的每一节一个 Markdown 文件",
            )
        rel = str(path.relative_to(paths.root)) if path.is_relative_to(paths.root) else str(path)
        source = read_text(path, root=paths.root, limit=MAX_SECTION_BYTES, kind="章节文件")
        check_size(source, rel)
        text = render_text(source, context, rel)
        check_size(text, rel, line_of=lambda line: _source_line(source, context, rel, line))
    if generated:
        text = f"{generated}\n\n{text}" if text else generated
    markdown, captions = number_captions(text, outline.chapter_number(section), captions)
    tokens = parse(markdown)
    if rel:
        check_pictures(tokens, (paths.root / rel).parent, paths.root, rel, source, pictures)  # lines of the file
    return Block(2, section.number, section.title, rel, markdown, tokens, key=section.key), captions


def _source_line(source: str, context: dict, file: str, line: int) -> int:
    """The source line that a line of the rendered section came from (only for a message)."""
    from .traced import parse as parse_traced
    from .traced import render_lines

    return traced_line_of(render_lines(parse_traced(source, file), context, file, source).lines)(line)


def assemble(facts: Facts, framework: Framework, metrics: dict, scores: Scores, paths: Paths, options: dict,
             outline: Outline | None = None) -> Report:
    outline = outline or outline_for(paths, facts, options)
    kind = facts.get("report.kind")
    year = facts.get("report.year")
    level = facts.get("report.level")
    values = outline_values(facts, framework)

    def text(value: str, key: str) -> str:
        return _filled(value, values, facts, outline, key)

    annexes = _annex_parts(outline, framework, facts, values)
    context = template_context(facts, framework, metrics, scores, outline)
    pictures: dict[Path, int] = {}  # every distinct picture shown, for their total size
    intro = None
    if outline.intro:
        intro, _ = _read_section(paths, outline, outline.intro, context, pictures=pictures)
        if intro:
            intro.title = text(outline.intro.title, "intro.title")
    blocks: list[Block] = []
    for ci, chapter in enumerate(outline.chapters):
        head = Block(1, chapter.number, text(chapter.title, f"chapters.{ci}.title"), key=chapter.key)
        blocks.append(head)
        if chapter.generated:
            body = _generated(chapter, outline, context)
            head.paragraphs = [p.strip() for p in body.split("\n\n") if p.strip()]
            continue
        captions = 0
        for si, section in enumerate(chapter.sections):
            block, captions = _read_section(paths, outline, section, context, captions, pictures)
            if block is None:
                continue
            block.title = text(section.title, f"chapters.{ci}.sections.{si}.title")
            blocks.append(block)
    known = {s.file for s in outline.files()}
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
    cover_lines = []
    for k, line in enumerate(outline.cover):
        value = text(line.value, f"cover.lines.{k}.value")
        cover_lines.append(f"{line.label}：{value}" if line.label else value)
    by_table = {a.table: a for a in annexes}
    targets_title = by_table["targets"].title if "targets" in by_table else f"{kind}整体支出绩效目标完成情况自评表"
    return Report(
        paths=paths, facts=facts, framework=framework, metrics=metrics, scores=scores, options=options,
        title=text(outline.cover_title, "cover.title"), cover=cover, intro=intro, blocks=blocks,
        annex_title=by_table["scores"].title if "scores" in by_table else "", annex_rows=rows,
        unknown_files=unknown, targets_title=targets_title, targets=facts.targets, outline=outline,
        cover_lines=cover_lines, annexes=annexes,
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
    last = load_previous(facts, paths.root)
    metrics = compute_metrics(facts, framework.settings)
    add_previous(metrics, last)
    metrics = with_defined(framework.metrics, metrics)  # the framework's own metrics too
    scores = score_report(framework, facts, metrics)
    add_score_changes(metrics, scores, last)
    return paths, facts, framework, metrics, scores


def load_report(root: Path) -> Report:
    paths, facts, framework, metrics, scores = load_scores(root)
    scores.require_complete(facts.file)
    options = load_options(paths)
    return assemble(facts, framework, metrics, scores, paths, options, outline_for(paths, facts, options))
