"""`reportkit import`: last year's Word report → a new report folder to start from.

The Word file is converted with pandoc (importer/docx.py), split along the fixed outline
(importer/outline.py), and what it says about itself — cover fields, declared scores, numbers
that match known facts — is read (importer/facts.py). The folder is created as `reportkit new`
creates it (scaffold), the sections are filled, and only then is it moved into place: a
failed import leaves nothing behind.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import tempfile
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

import yaml

from ..compute import load_framework, shipped_ids
from ..errors import ReportError
from ..load import BY_PATH, INTRO, all_sections
from ..numbers import plain
from .annex import read_annex
from .docx import Item, block_lines, check_docx, convert, escape_inline, read_items
from .facts import (
    Cover,
    Declared,
    Proposal,
    find_numbers,
    guess_level,
    guess_self_name,
    guess_year,
    read_chapter_four,
    read_cover,
)
from .outline import Part, Split, split
from .targets import TargetsReading, read_targets, targets_block

RECORD = "导入记录.md"
IMAGES = "images"
PROPOSALS_HEAD = "# 导入时识别的数字，请核对后填入："
DECLARED_HEAD = "# 导入时从原报告读出的自评得分（仅供核对，不是覆盖）："


@dataclass
class ImportResult:
    """What import wrote into the new report folder, and what it read to write it."""

    root: Path
    summary: str
    cover: Cover
    declared: Declared
    proposals: list[Proposal]
    split: Split
    sections: dict[str, str]  # section file → the Markdown written into it
    year: int
    unit: str
    level: str
    kind: str
    self_name: str | None
    framework: str = ""
    framework_chosen: bool = False  # chosen by level and year, not given
    targets: TargetsReading | None = None  # the 目标完成情况自评表, when there is one


def default_target(source: Path) -> Path:
    return Path.cwd() / source.stem


def check_target(target: Path) -> None:
    if target.exists() and not target.is_dir():
        raise ReportError("目标已存在且不是目录", file=target, expected="一个不存在的或空的目录")
    if target.is_dir() and any(target.iterdir()):
        raise ReportError(
            "目标目录不是空的，导入不会写入已有内容的目录", file=target,
            expected="一个不存在的或空的目录，如 reportkit import 旧报告.docx 新目录",
        )


def choose_framework(level: str, year: int) -> str:
    """The shipped framework for the report's level in force in its year (city-2021, district-2023 …)."""
    prefix = "district" if level == "区" else "city"
    years = sorted(int(m.group(1)) for ref in shipped_ids() if (m := re.fullmatch(rf"{prefix}-(\d{{4}})", ref)))
    if not years:
        return "city-2021"
    in_force = [y for y in years if y <= year]
    return f"{prefix}-{in_force[-1] if in_force else years[0]}"


def frameworks(chosen: str) -> list:
    """The chosen framework, then every other shipped one that loads (an old report's annex may
    use an older framework's names)."""
    out = []
    for ref in [chosen] + [r for r in shipped_ids() if r != chosen]:
        try:
            out.append(load_framework(ref, Path(".")))
        except ReportError:
            if ref == chosen:
                raise
    return out


def indicator_names(loaded: list) -> tuple[set[str], list[str]]:
    """Indicator and level names of all the frameworks; the chosen (first) framework's 二级 names
    are never another's 三级 (资产管理)."""
    names: set[str] = set()
    levels: list[str] = []
    chosen = loaded[0]
    groups = {g.name for lv in chosen.levels for g in lv.groups} - {i.name for i in chosen.indicators}
    for framework in loaded:
        names |= {i.name for i in framework.indicators} - groups
        levels += [lv.name for lv in framework.levels if lv.name not in levels]
    return names, levels


# ---------------------------------------------------------------- section bodies


ORDERED = re.compile(r"^(\d{1,3})[.．](?!\d)\s*(?=\S)")
BULLET = "• "  # the bullet the Word renderer writes for a Markdown "-" item


def _ordered(item: Item) -> int | None:
    """The number of a numbered paragraph ("1. …" typed, or drawn by Word's numbering)."""
    if item.kind != "text":
        return None
    if item.marker:
        return int(item.marker[:-1]) if re.fullmatch(r"\d+\.", item.marker) else None
    match = ORDERED.match(item.inline)
    if not match or match.end() == len(match.group(1)) + 1:
        return None  # "1.贯彻…" typed without a space stays as typed: a Markdown list prints "1. 贯彻…"
    return int(match.group(1))


def part_markdown(part: Part, lines: dict[int, int] | None = None) -> str:
    """The section file: sub-headings as # / ##, numbered and bulleted paragraphs as Markdown
    lists where that renders the same numbers, everything else as paragraphs and tables.
    `lines` gets the line each item starts on (id(item) → line), for the facts' sources."""
    headings = {id(item): level for level, item in part.subheadings}
    blocks: list[str] = []
    owners: list[int] = []
    notes: list[str] = []
    previous: int | None = None  # number of the list item just written
    for item in part.items:
        notes += item.notes
        level = headings.get(id(item))
        number = None if level else _ordered(item)
        if level:
            text = (item.marker + " " + item.inline) if item.marker and item.marker != "-" else item.inline
            blocks.append("#" * (level - 2) + " " + text.replace("\\\n", " "))
        elif number is not None:
            body = item.inline if item.marker else item.inline[ORDERED.match(item.inline).end():]
            if previous is None or number == previous + 1:
                blocks.append(f"{number}. " + block_lines(body) + _indented(item.extra, len(str(number)) + 2))
            else:  # Markdown numbers a list from its first item: keep this number as text
                blocks.append(block_lines(f"{number}. {body}") + ("\n\n" + item.extra if item.extra else ""))
                number = None
        elif item.kind == "text" and not item.marker and item.inline.startswith(BULLET):
            blocks.append("- " + block_lines(item.inline[len(BULLET):]))
        else:
            blocks.append(item.markdown())
        owners += [id(item)] * (len(blocks) - len(owners))
        previous = number
    if lines is not None:
        line = 1
        for owner, block in zip(owners, blocks, strict=True):
            if block.strip():
                lines.setdefault(owner, line)
                line += block.count("\n") + 2
    return "\n\n".join(b for b in blocks + notes if b.strip()) + "\n"


SENTENCE_DONE = re.compile(r"[。；;！!？?：:]\s*$")


def number_texts(parts: Split, lines: dict[int, int]) -> list[tuple[str, str, list[tuple[int, int]]]]:
    """What the numbers are looked for in: each section's paragraphs — a paragraph that stops
    mid-sentence joined with the next (text from a PDF wraps every line) — and its tables read
    as sentences (row label + column heading + figure: “日常公用经费 调整预算数 115.16 万元”).
    Each text comes with (offset, line) pairs: where in the section file its pieces are."""
    out: list[tuple[str, str, list[tuple[int, int]]]] = []
    for file, part in parts.parts.items():
        heads = {id(i) for _, i in part.subheadings}
        pending: tuple[str, list[tuple[int, int]]] | None = None
        for item in part.items:
            if item.kind == "table":
                out += [(file, sentence, [(0, lines.get(id(item), 0))]) for sentence in table_sentences(item.cells)]
                continue
            if id(item) in heads or _ordered(item) is not None:
                if pending:
                    out.append((file, *pending))
                pending = None
                if id(item) in heads:
                    continue
            text, where = item.plain, [(0, lines.get(id(item), 0))]
            if pending is not None:
                where = pending[1] + [(len(pending[0]), where[0][1])]
                text = pending[0] + text
            if SENTENCE_DONE.search(text) or len(text) > 2000:
                out.append((file, text, where))
                pending = None
            else:
                pending = (text, where)
        if pending:
            out.append((file, *pending))
    return out


UNIT_WAN = re.compile(r"万元")
QUARTER_LABEL = re.compile(r"^(?:第?[一二三四1-4]季度|[1-4]季度|[一二三四]季度|(?:3|6|9|12)月(?:末|底)?)")


def table_sentences(cells: list[list[str]]) -> list[str]:
    """A table's figures as sentences the narrative patterns read; the unit 万元 is added where
    the table says it (a heading “（万元）”, or a unit cell)."""
    rows = [[re.sub(r"\s+", "", c) for c in row] for row in cells]
    if len(rows) < 2:
        return []
    head = rows[0]
    wan_table = any(UNIT_WAN.search(c) for row in rows[:2] for c in row)
    quarters_across = sum(1 for c in head if QUARTER_LABEL.match(c)) >= 2
    out = []
    for row in rows[1:]:
        label = next((c for c in row if c and not re.fullmatch(r"[\d.,%％-]+", c)), "")
        bits = []
        for col, cell in enumerate(row):
            value = re.fullmatch(r"([\d,]+(?:\.\d+)?)(%|％)?", cell)
            if not value or col >= len(head):
                continue
            heading = re.sub(r"[（(]\s*(?:万元|元|%|％)\s*[）)]", "", head[col])
            percent = value.group(2) or "%" in head[col] or "率" in heading or "进度" in heading
            unit = "%" if percent else ("万元" if wan_table or "万元" in head[col] else "")
            number = value.group(1)
            bits.append(f"{heading}{label}{number}{unit}" if quarters_across else f"{label}{heading}{number}{unit}")
        if bits:
            out.append("，".join(bits) + "。")
    return out


def _indented(extra: str, width: int) -> str:
    if not extra:
        return ""
    return "\n\n" + "\n".join(" " * width + line if line else "" for line in extra.split("\n"))


def _counts(items: list[Item], part: Part | None = None) -> str:
    heads = {id(i) for _, i in part.subheadings} if part else set()
    paragraphs = sum(1 for i in items if i.kind == "text" and id(i) not in heads)
    bits = [f"{paragraphs} 段"]
    tables = sum(1 for i in items if i.kind == "table")
    if tables:
        bits.append(f"{tables} 个表格")
    images = sum(len(i.images) for i in items)
    if images:
        bits.append(f"{images} 张图片")
    if heads:
        bits.append(f"{len(heads)} 个小标题")
    return "，".join(bits)


# ---------------------------------------------------------------- facts.yaml


def _yaml_value(value: str) -> str:
    return json.dumps(value, ensure_ascii=False)


def set_report_fields(text: str, values: dict[str, str], file: Path) -> str:
    """Write `values` into the report: block of a (commented) facts file, keeping its layout."""
    lines = text.split("\n")
    start = next((i for i, line in enumerate(lines) if re.match(r"^report:\s*(#.*)?$", line)), None)
    if start is None:
        lines[0:0] = ["report:"]
        start = 0
    end = next((i for i in range(start + 1, len(lines)) if lines[i] and not lines[i][0].isspace()
                and not lines[i].startswith("#")), len(lines))
    indent = next((re.match(r"^(\s+)\S", lines[i]).group(1) for i in range(start + 1, end)
                   if re.match(r"^\s+[A-Za-z_]", lines[i])), "  ")
    for key, value in values.items():
        pattern = re.compile(rf"^(\s+)#?\s*{re.escape(key)}\s*:(.*)$")
        at = next((i for i in range(start + 1, end) if pattern.match(lines[i])), None)
        new = f"{indent}{key}: {_yaml_value(value)}"
        if at is None:
            last = max(i for i in range(start, end) if i == start or re.match(r"^\s+\S", lines[i]))
            lines.insert(last + 1, new)
            end += 1
            continue
        rest = pattern.match(lines[at]).group(2)
        tail = re.search(r"\s#\s.*$", rest)
        lines[at] = new + (f"  {tail.group(0).strip()}" if tail else "")
    out = "\n".join(lines)
    data = yaml.safe_load(out) or {}
    report = data.get("report") or {}
    if any(str(report.get(k)) != v for k, v in values.items()):
        raise ReportError("无法把封面信息写入事实文件的 report: 块", file=file, expected="report: 下的键值对")
    return out


def declared_block(declared: Declared) -> list[str]:
    """The scores the old report declares, as the `declared:` block: reportkit computes the
    scores from the facts; `reportkit score` shows these beside them and `check` lists where
    they differ. A score not read is a comment naming why; a blank cell is a blank score."""
    annex = declared.annex
    total = declared.total or declared.prose_total
    if not (total or (annex and annex.found)):
        return []
    source = "原报告附件评分表" if annex is not None and annex.found else "原报告第四章"
    lines = ["", DECLARED_HEAD,
             "# 各指标得分由上面的事实按评分规则计算；这里是原报告自己写的得分，reportkit score 并列显示，",
             "# reportkit check 列出不同之处。确需坚持与规则不同的得分，请在 overrides: 下写明得分和原因。",
             "declared:", f"  source: {_yaml_value(source)}"]
    if total:
        lines.append(f"  total: {total}")
    if declared.grade:
        lines.append(f"  grade: {declared.grade}")
    if annex is not None and annex.scores:
        lines.append("  scores:")
        for s in annex.scores:
            key = s.name if re.fullmatch(r"[\w、（）()，,·“”]+", s.name) else _yaml_value(s.name)
            if s.read:
                lines.append(f"    {key}: {s.value}")
            elif s.status == "empty":
                lines.append(f"    {key}:  # 原表得分栏为空")
            else:
                lines.append(f"    # {key}:  # 未读到：{s.reason()}")
    if declared.levels:
        lines.append("  # 第四章：" + "，".join(f"{n} {s}（满分 {w}）" for n, w, s in declared.levels))
    return lines


def proposals_block(proposals: list[Proposal]) -> list[str]:
    facts = [p for p in proposals if p.kind != "rate"]
    rates = [p for p in proposals if p.kind == "rate"]
    if not proposals:
        return []
    lines = ["", PROPOSALS_HEAD, "# （键名用点号表示层级，如 budget.initial 即 budget: 下的 initial:；不会自动生效）"]
    for p in facts:
        first = p.found[0]
        if p.kind == "money4":
            value = "[" + ", ".join(plain(f.value) for f in p.found) + "]"
            lines.append(f"#   {p.path}: {value}  # {p.title}；{first.where}：“{first.quote}”")
            continue
        values = p.values
        value = first.shown or plain(values[0])
        note = f"（{first.note}）" if first.note else ""
        lines.append(f"#   {p.path}: {value}  # {p.title}{note}；{first.where}：“{first.quote}”")
        if len(values) > 1:  # two readings: both written, the author chooses
            others = "；".join(f"{plain(f.value)}（{f.where}：“{f.quote}”）" for f in p.found if f.value != values[0])
            lines.append(f"#     注意：原文中此数前后不一致，另有 {others}")
    if rates:
        lines.append("# 原文写出的计算结果（reportkit 会由上面的事实计算，填好后用 reportkit build 核对）：")
        for p in rates:
            shown = "、".join(plain(v) + "%" for v in p.values)
            first = p.found[0]
            note = "（前后不一致）" if len(p.values) > 1 else ""
            lines.append(f"#   {p.title} {shown}{note}  # {first.where}：“{first.quote}”")
    return lines


# ---------------------------------------------------------------- the import


def import_report(
    source: Path, target: Path | None = None, *, framework: str | None = None,
    year: int | None = None, unit: str | None = None,
) -> ImportResult:
    """Import `source` into the new folder `target`; framework None: chosen by level and year."""
    source = Path(source)
    target = Path(target) if target is not None else default_target(source)
    check_target(target)
    if framework is not None and framework not in shipped_ids():
        raise ReportError(f"找不到评价指标体系“{framework}”", key="--framework",
                          expected="以下编号之一：" + "、".join(shipped_ids()))
    check_docx(source)
    names, level_names = indicator_names(frameworks(framework or "city-2021"))
    with tempfile.TemporaryDirectory(prefix="reportkit-import-") as work:
        media = Path(work) / "media"
        items = read_items(convert(source, media), media)
        parts = split(items, names)
        if not parts.found:
            raise ReportError(
                "在 Word 文件中找不到报告的固定提纲，无法分节导入", file=source,
                expected="以“一、部门基本情况”“（一）部门主要职能”等编号标题分节的部门整体支出绩效评价报告",
            )
        cover = read_cover(parts.preamble)
        texts = [i.plain for i in items]
        year = year or guess_year(cover, texts)
        if year is None:
            raise ReportError("无法确定评价年度：封面标题中没有“20XX 年度”", file=source,
                              expected="用 --year 指定年度，如 --year 2023")
        unit = unit or cover.unit
        level = guess_level(texts)
        chosen = framework is None
        framework = framework or choose_framework(level, year)
        kind = "单位" if (cover.unit_label.startswith("单位") or any(
            "单位基本情况" in heading for _, heading in parts.chapters)) else "部门"
        narrative = [i.plain for p in parts.parts.values() for i in p.items] + [i.plain for i in parts.preamble]
        self_name = guess_self_name(narrative, unit or cover.unit)  # not the annex: its criteria say 本部门
        used = {id(i) for i in cover.used}
        intro = [i for i in parts.preamble if id(i) not in used]
        if intro:
            parts.parts[INTRO.file] = Part(INTRO, items=intro)
        declared = Declared()
        read_chapter_four(parts.chapter_four, level_names, declared)
        loaded = frameworks(framework)
        declared.annex = read_annex(parts.annex + parts.chapter_four, loaded[0], loaded[1:])
        declared.indicators = declared.annex.by_name()
        declared.total = declared.annex.total
        declared.grade = declared.grade or declared.annex.grade
        declared.tables = declared.annex.tables
        targets = read_targets(parts.annex + parts.chapter_four)
        lines: dict[int, int] = {}
        sections = {f: part_markdown(p, lines) for f, p in parts.parts.items() if p.items}
        proposals = find_numbers(number_texts(parts, lines))
        unit = unit or targets.unit  # no cover (the text starts at chapter 一): the 自评表 names the unit
        result = ImportResult(target, "", cover, declared, proposals, parts, sections,
                              year, unit or "", level, kind, self_name, framework, chosen, targets)
        result.summary = summary(source, result)

        # written beside the target, moved into place only when complete
        target.parent.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=f".{target.name}.", dir=target.parent))
        try:
            _write(staging / target.name, result, media)
            if target.is_dir():
                target.rmdir()  # empty: checked above
            os.rename(staging / target.name, target)
        finally:
            shutil.rmtree(staging, ignore_errors=True)
    return result


def _write(root: Path, r: ImportResult, media: Path) -> None:
    """The folder as `reportkit new` makes it, then the imported sections, pictures and facts."""
    from ..scaffold import scaffold

    scaffold(root, year=r.year, unit=r.unit or "（请填写单位名称）", framework=r.framework, level=r.level,
             kind=r.kind)  # the outline fitting framework, kind and level (单位 reports: shenzhen-unit)
    content = root / "content"
    for file, text in r.sections.items():
        (content / file).write_text(text, encoding="utf-8")
    for image in sorted({img for p in r.split.parts.values() for i in p.items for img in i.images}):
        dest = content / IMAGES / image
        dest.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(media / "media" / image, dest)
    facts = content / "facts.yaml"
    values = {k: v for k, v in (("preparer", r.cover.preparer), ("phone", r.cover.phone),
                                ("kind", r.kind), ("self_name", r.self_name or "")) if v}
    text = set_report_fields(facts.read_text(encoding="utf-8"), values, facts)
    extra = declared_block(r.declared) + (targets_block(r.targets) if r.targets else []) + proposals_block(r.proposals)
    facts.write_text(text.rstrip("\n") + "\n" + ("\n".join(extra) + "\n" if extra else ""), encoding="utf-8")
    (root / RECORD).write_text(record(r), encoding="utf-8")


# ---------------------------------------------------------------- what the user reads


def summary(source: Path, r: ImportResult) -> str:
    c = r.cover
    out = [f"已把 {source.name} 导入到 {r.root}/"]
    cover = [f"单位“{r.unit}”" if r.unit else "单位：未找到（请在 content/facts.yaml 的 report.unit 填写）",
             f"年度 {r.year}" + ("" if c.year else "（封面标题中没有年度，按正文推断）"),
             f"填报人“{c.preparer}”" if c.preparer else "填报人：未找到",
             f"电话 {c.phone}" if c.phone else "电话：未找到",
             f"{r.level}级", f"主体“{r.kind}”"]
    if r.self_name:
        cover.append(f"自称“{r.self_name}”")
    out.append("封面 → content/facts.yaml 的 report: 块：" + "，".join(cover))
    how = "按层级和年度选择，可用 --framework 指定" if r.framework_chosen else "按 --framework 指定"
    out.append(f"评价指标体系：{r.framework}（{how}；reportkit frameworks 列出全部）")
    out.append("章节：")
    for section in all_sections():
        part = r.split.parts.get(section.file)
        if part is None or not part.items:
            note = "（可选，原报告没有）" if section.optional else "未找到，保留了 new 生成的说明，请补写"
            out.append(f"  content/{section.file} ← {note}")
            continue
        source = f"“{part.heading}”" if part.heading else "封面之后、第一章之前的文字"
        line = f"  content/{section.file} ← {source}：{_counts(part.items, part)}"
        if part.moved:
            line += "；另含 " + "、".join(part.moved)
        out.append(line)
    skipped = []
    if r.split.chapter_four or r.split.chapter_four_heading:
        skipped.append(f"  第四章“{r.split.chapter_four_heading}”（由 reportkit 根据得分生成）：{_counts(r.split.chapter_four)}")
    if r.split.annex:
        skipped.append(f"  附件（评分表由 reportkit 生成）：{_counts(r.split.annex)}")
    if r.split.toc:
        skipped.append(f"  目录：{len(r.split.toc)} 行（reportkit 可生成目录）")
    if c.used:
        skipped.append(f"  封面：{len(c.used)} 段（已读入 report: 块）")
    if skipped:
        out.append("未作为正文导入（原文保存在导入记录中）：")
        out += skipped
    out += _declared_lines(r.declared)
    t = r.targets
    if t is not None and t.found:
        if targets_block(t):
            line = (f"目标完成情况自评表 → content/facts.yaml 的 targets: 块：{len(t.tasks)} 项任务、"
                    f"{len(t.goals)} 项总体目标、{len(t.indicators)} 项绩效指标")
            if t.blanks:
                line += f"；原表有 {t.blanks} 格为空，写作“（原表为空）”，请补写"
        else:
            line = "目标完成情况自评表：读到的部分不完整（需要任务、总体目标和绩效指标三部分），未写入 targets:，原表见导入记录"
        out.append(line)
    tables = [(f, i) for f, p in r.split.parts.items() for i in p.items if i.kind == "table" and i.merged]
    if tables:
        out.append("表格：")
        for file, item in tables:
            first = item.cells[0][0] if item.cells and item.cells[0] else ""
            out.append(f"  content/{file} 中以“{first[:12]}”开头的表格有合并单元格，已拆开为 Markdown 表格："
                       f"合并内容只写在左上格，其余 {item.merged} 格留空，请核对")
    images = sum(len(i.images) for p in r.split.parts.values() for i in p.items)
    if images:
        out.append(f"图片：{images} 张，已保存到 content/{IMAGES}/，正文中以相对路径引用")
    if r.split.unrecognised or r.split.renumbered:
        out.append("未能对应到固定提纲的标题（已作为正文保留，请核对）：")
        out += [f"  “{text}”（在 {where}）" for text, where in r.split.unrecognised]
        out += [f"  “{text}”编号与提纲不符，按标题归入“{to}”" for text, to in r.split.renumbered]
    facts = [p for p in r.proposals if p.kind != "rate"]
    if r.proposals:
        conflicts = [p.title for p in r.proposals if p.kind != "money4" and len(p.values) > 1]
        line = f"识别到的数字：{len(facts)} 项事实、{len(r.proposals) - len(facts)} 项计算结果，已作为注释写在 content/facts.yaml 末尾"
        if conflicts:
            line += "；原文前后不一致：" + "、".join(conflicts)
        out.append(line)
    for p in facts:
        value = p.found[0].shown or ("[" + ", ".join(plain(f.value) for f in p.found) + "]" if p.kind == "money4"
                                     else plain(p.values[0]))
        out.append(f"  {p.title} {value}（{p.found[0].where}）")
    proposed = {p.path for p in r.proposals}
    unread = [path for path in SCORED if not any(x in proposed for x in path.split("|"))]
    if unread:
        titles = "、".join(BY_PATH[path.split("|")[0]].title for path in unread)
        out.append(f"评分需要而正文中未识别到的事实（请按决算报表填写）：{titles}")
    out.append(import_score(r))
    out.append("下一步：")
    out.append("  1. 打开 content/facts.yaml：核对 report: 块，按末尾注释中识别的数字填写预算、支出等事实（请对照决算报表核对）")
    out.append("  2. 把正文中的数字改为引用，如 {{ budget.adjusted | wan }}，数字只在事实文件中填一次")
    out.append("  3. 补写“未找到”的章节；reportkit check 列出还缺的事实和与事实不符的数字，"
               "reportkit score 查看得分，reportkit build 生成 Word 报告")
    out.append(f"导入记录（含本摘要和未导入的原文）：{r.root}/{RECORD}")
    return "\n".join(out)


# The facts the scoring rules read ("a|b": either will do).
SCORED = ("budget.initial", "budget.adjusted", "budget.spent", "quarterly.cumulative_spent|quarterly.progress",
          "procurement.plan", "procurement.actual", "three_public.budget", "three_public.spent",
          "office_expenses.budget", "office_expenses.spent", "fixed_assets.total", "fixed_assets.in_use",
          "staff.authorized", "staff.on_payroll", "staff.contract", "projects.planned", "projects.on_time",
          "petitions.received", "satisfaction")


def import_score(r: ImportResult) -> str:
    """The import in one line: sections found, annex scores read, facts proposed."""
    required = [s for s in all_sections() if not s.optional]
    found = sum(1 for s in required if (p := r.split.parts.get(s.file)) is not None and p.heading)
    annex = r.declared.annex
    scores = f"{len(annex.found)}/{len(annex.scores)}" if annex is not None else "0/0"
    facts = sum(1 for p in r.proposals if p.kind != "rate")
    return f"导入结果：章节 {found}/{len(required)}，附件得分 {scores}，识别事实 {facts} 项"


def _declared_lines(d: Declared) -> list[str]:
    annex = d.annex
    if not (d.total or d.prose_total or (annex and annex.found)):
        return []
    out = ["原报告声明的自评得分（已作为注释写入 content/facts.yaml 的 declared: 块，不作为覆盖）："]
    total = d.total or d.prose_total
    if total:
        line = f"  总分 {total} 分"
        if d.levels:
            line += "（" + "，".join(f"{n} {s}/{w}" for n, w, s in d.levels) + "）"
        if d.grade:
            line += f"，等级“{d.grade}”"
        out.append(line)
    if annex is not None and annex.scores:
        out.append(f"  附件评分表：读到 {len(annex.found)}/{len(annex.scores)} 项三级指标得分")
        for s in annex.missing:
            out.append(f"  未读到：{s.name}（{s.reason()}）")
        for s in annex.scores:
            if s.row_name and s.how in ("alias", "near", "group", "position") and s.read:
                how = {"alias": "其他年度指标体系中的名称", "near": "名称相近、分值相同", "group": "与二级指标同名、分值相同",
                       "position": "按分值和位置"}[s.how]
                out.append(f"  原表“{s.row_name}”按{how}对应为“{s.name}”")
        for name, first, later in annex.conflicts:
            out.append(f"  注意：{name} 在附件中有两个得分：{first} 和 {later}（取前者）")
        added = annex.total_of_scores()
        if total and added is not None and added != _decimal(total):
            gap = _decimal(total) - added
            missing = "、".join(s.name for s in annex.missing)
            line = f"  注意：各指标得分相加为 {plain(added)} 分，与原报告总分 {total} 分相差 {plain(gap)} 分"
            if missing:
                line += f"（未读到的：{missing}）"
            out.append(line)
    if d.total and d.prose_total and _decimal(d.total) != _decimal(d.prose_total):
        out.append(f"  注意：附件总分 {d.total} 分与第四章所写 {d.prose_total} 分不一致")
    return out


def _decimal(text: str) -> Decimal:
    return Decimal(text)


def record(r: ImportResult) -> str:
    """The summary and every piece of the original that did not become narrative, verbatim."""
    out = ["# 导入记录", "", "```text", r.summary, "```", ""]
    groups = [
        ("封面", r.cover.used),
        ("目录", r.split.toc),
        (f"第四章 {r.split.chapter_four_heading}".strip(), r.split.chapter_four),
        ("附件", r.split.annex),
    ]
    headings = [p.heading for p in r.split.parts.values() if p.heading] + [h for _, h in r.split.chapters]
    if headings:
        out += ["## 原报告的提纲标题", ""] + [f"- {escape_inline(h)}" for h in dict.fromkeys(headings)] + [""]
    for title, items in groups:
        if not items:
            continue
        out += [f"## {title}（未作为正文导入）", ""]
        out += [item.markdown() + "\n" for item in items]
    return "\n".join(out).rstrip("\n") + "\n"
