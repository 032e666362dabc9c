"""The official Word file: the report model rendered into the template (docxtpl's syntax).

The template (templates/report.docx, or the user's own) holds the cover, the fixed headings
in a `{%p for block in blocks %}` loop, and `{{p … }}` placeholders where generated content
goes: each section body, the annex table and its notes (templates/README.md lists them).
Bodies are built as lxml elements beforehand. Only the small template is filled (fill.py, as
docxtpl fills it), each placeholder becoming an empty slot element; the bodies are then put in
place of their slots (filled with the template, they would be serialised, regex-scanned and
re-parsed with it: time that grows faster than the report).
"""

from __future__ import annotations

import re
from copy import deepcopy
from dataclasses import dataclass, field
from pathlib import Path

from jinja2 import StrictUndefined, TemplateError, TemplateSyntaxError, UndefinedError
from jinja2.sandbox import SandboxedEnvironment
from lxml import etree
from markupsafe import Markup

from ...assemble import AnnexPart, Block, Report
from ...codecache import cached_code
from ...errors import ReportError
from ...load import default_template
from ...ooxml import Package, PackageError, nsmap, open_package, qn
from . import styles as S
from .annex import annex_notes, annex_table, targets_table
from .fill import fill
from .fonts import ensure_font_table
from .markdown import Story, render_paragraphs, render_tokens
from .package import (
    add_footnotes,
    document_date,
    first_footnote_id,
    set_app_properties,
    set_properties,
    update_fields_on_open,
)
from .toc import fill_toc, set_toc_pages
from .xml import (
    EMU_PER_TWIP,
    MM,
    east_asian_hints,
    el,
    field_end,
    field_runs,
    paragraph,
    text_paragraph,
    text_run,
)

_TAG_PARAGRAPH = re.compile(r"^\s*(\{%p\s.*%\}|\{\{p\s.*\}\})\s*$", re.S)
PLACEHOLDERS = "模板占位符见 templates/README.md"


SLOT_NS = "urn:reportkit:slot"
SLOT = f"{{{SLOT_NS}}}slot"
_DOC_PR = qn("wp:docPr")
_P, _T, _TEXT_BOX = qn("w:p"), qn("w:t"), qn("w:txbxContent")


class Fragment:
    """Generated body XML, placed by a `{{p name }}` paragraph of the template.

    In the template it renders as a slot naming it; it counts how often it was placed, so a
    template that forgets a placeholder is caught.
    """

    def __init__(self, name: str, placeholder: str, elements: list[etree._Element], index: int,
                 required: bool = True):
        self.name = name
        self.placeholder = placeholder
        self.elements = elements
        self.index = index
        self.required = required  # False: an alternative placeholder the template need not use
        self.used = 0

    def __bool__(self) -> bool:
        return bool(self.elements)

    def __html__(self) -> Markup:
        self.used += 1
        return Markup(f'<rk:slot xmlns:rk="{SLOT_NS}" n="{self.index}"/>')

    __str__ = __html__


def render_docx(report: Report, out_path: Path, template: Path | None = None) -> None:
    when = document_date(report)
    source = template or default_template()
    package = _open(source)
    template_body = package.body
    _unmerge_section_breaks(template_body)
    _signed_char_space(template_body)
    styles = S.StyleMap.prepare(package, default_template())
    sections = _sections(package.document.element)
    story = Story(package, styles, report.paths.root, _text_width(sections),
                  next_footnote=first_footnote_id(package))
    pages = _page_setups(sections)
    template_xml = etree.tostring(template_body, encoding="unicode")
    # A template written before outlines has fixed annex placeholders instead of the annexes loop.
    context, fragments = _context(report, story, legacy="annexes" not in template_xml, pages=pages)
    drawing_ids = _render(package, template_xml, context, source)
    body = package.body  # the filled body
    _check(body, fragments, source)
    _place(body, fragments, drawing_ids)
    if pages and pages.breaks:
        pages.run_on(body)
    east_asian_hints(body)
    for note in story.footnotes:
        east_asian_hints(note)
    add_footnotes(package, story.footnotes)
    ensure_font_table(package)
    toc = bool(report.options.get("toc")) and fill_toc(body, styles) > 0
    set_properties(package, report, when)
    set_app_properties(package)
    package.save(out_path, when)
    if toc:
        _toc_page_numbers(package, styles, out_path, when)


def _toc_page_numbers(package: Package, styles, out_path: Path, when) -> None:  # noqa: ANN001
    """The TOC's page numbers from LibreOffice's layout of the saved file, so that Word shows
    the contents complete without asking to update fields; without LibreOffice, Word is asked."""
    from .. import toc_pages

    laid_out = toc_pages(out_path)
    if not laid_out or not set_toc_pages(package.body, styles, laid_out):
        update_fields_on_open(package)
    package.save(out_path, when)


def _unmerge_section_breaks(body: etree._Element) -> int:
    """Give each section break that sits on a `{%p … %}` or `{{p … }}` paragraph a paragraph of its own.

    Word keeps a section break on an empty paragraph after the last one of a section; LibreOffice
    and WPS, re-saving a template, move it onto that last paragraph, which is often a placeholder
    or a control line that rendering removes or replaces: the break would be lost, and the whole
    report take the last section's layout (landscape, page numbers from 2). Returns how many moved.
    """
    moved = 0
    for p in list(body.iterchildren(_P)):
        ppr = p.find(qn("w:pPr"))
        sect_pr = ppr.find(qn("w:sectPr")) if ppr is not None else None
        if sect_pr is None:
            continue
        text = "".join(t.text or "" for t in p.iter(qn("w:t")))
        if not _TAG_PARAGRAPH.match(text):
            continue
        ppr.remove(sect_pr)
        p.addnext(el("w:p", None, el("w:pPr", None, sect_pr)))
        moved += 1
    return moved


def _signed_char_space(body: etree._Element) -> None:
    """LibreOffice writes a negative w:charSpace as an unsigned 32-bit number (4294966271 for
    −1025), which the schema refuses and Word repairs; read it back as the negative it was."""
    for grid in body.iter(qn("w:docGrid")):
        value = grid.get(qn("w:charSpace"))
        if value and value.isdigit() and int(value) >= 2**31:
            grid.set(qn("w:charSpace"), str(int(value) - 2**32))


def _sections(root: etree._Element) -> list[etree._Element]:
    """The template's section properties (w:sectPr) in document order, as Word counts sections."""
    return root.xpath("./w:body/w:p/w:pPr/w:sectPr | ./w:body/w:sectPr", namespaces=nsmap)


_UNIVERSAL = {"mm": 36000, "cm": 360000, "in": 914400, "pt": 12700, "pc": 152400, "pi": 152400}


def _emu(value: str | None) -> int | None:
    """A twips measure (w:w="11906", or "210mm"), in EMU."""
    if value is None:
        return None
    if "i" in value or "m" in value or "p" in value:
        return int(round(float(value[:-2]) * _UNIVERSAL[value[-2:]]))
    return int(value) * EMU_PER_TWIP


def _text_width(sections: list[etree._Element]) -> int:
    """Twips between the margins of the first page (156 mm on A4 with the official margins)."""
    try:
        size, margins = sections[0].find(qn("w:pgSz")), sections[0].find(qn("w:pgMar"))
        width, left, right = (_emu(e.get(qn(a))) if e is not None else None
                              for e, a in ((size, "w:w"), (margins, "w:left"), (margins, "w:right")))
        return (width - left - right) // EMU_PER_TWIP
    except (IndexError, TypeError, ValueError, KeyError):  # no page size or margins
        return round(156 * MM)


def _open(source: Path) -> Package:
    if not source.is_file():
        raise ReportError("找不到 Word 模板文件", file=source, expected="一个 .docx 文件")
    try:
        return open_package(source)
    except PackageError:
        raise ReportError("模板不是有效的 Word 文档", file=source,
                          expected="用 Word 另存为“Word 文档 (*.docx)”的文件") from None


def _section_base(report: Report, block: Block) -> Path:
    root = report.paths.root
    return (root / block.source).parent if block.source else report.paths.content


@dataclass
class Pages:
    """The template's body and annex page setups, and the section breaks made from them."""

    portrait: etree._Element  # the body's w:sectPr
    landscape: etree._Element  # the annex's
    breaks: list[etree._Element] = field(default_factory=list)  # inserted, in document order

    def section_break(self, sect_pr: etree._Element) -> etree._Element:
        """A paragraph ending a section laid out as `sect_pr`."""
        p = el("w:p", None, el("w:pPr", None, deepcopy(sect_pr)))
        self.breaks.append(p)
        return p

    def run_on(self, body: etree._Element) -> None:
        """Page numbers start once, at the body's first section, and run on through the landscape
        pages between its chapters: every later restart (the template's body section) is dropped."""
        started = False
        for p in body.iterchildren(_P):
            sect_pr = p.find(f"{qn('w:pPr')}/{qn('w:sectPr')}")
            if sect_pr is None:
                continue
            inserted = any(p is b for b in self.breaks)
            if started:
                for restart in sect_pr.findall(qn("w:pgNumType")):
                    sect_pr.remove(restart)
                if not inserted:
                    return
            started = started or inserted


def _page_setups(sections: list[etree._Element]) -> Pages | None:
    """The body's and the annex's section properties (portrait, landscape) of the template."""
    if len(sections) < 2:
        return None
    return Pages(sections[-2], sections[-1])


def _context(report: Report, story: Story, legacy: bool = False,
             pages: Pages | None = None) -> tuple[dict, list[Fragment]]:
    fragments: list[Fragment] = []

    def body(name: str, placeholder: str, elements: list, required: bool = True) -> Fragment:
        fragment = Fragment(name, placeholder, elements, len(fragments), required)
        fragments.append(fragment)
        return fragment

    def block_body(block: Block) -> list:
        if block.paragraphs:
            return render_paragraphs(block.paragraphs, story)
        return render_tokens(block.tokens, story, _section_base(report, block))

    intro = report.intro
    blocks = [
        {"level": b.level, "number": b.number, "title": b.title, "heading": b.heading,
         "body": body(b.heading, "{{p block.body }}", block_body(b) + _in_chapter(report, story, b, legacy, pages))}
        for b in report.blocks
    ]
    context = {
        "title": report.title,
        "cover_lines": report.cover_lines,
        **{key: report.cover.get(key, "") for key in ("unit", "preparer", "phone", "year")},
        "toc": body("目录", "{{p toc }}", _toc(report, story)) if report.options.get("toc") else False,
        "intro": body("引言", "{{p intro }}", block_body(intro) if intro else []),
        "blocks": blocks,
        **_annexes(report, story, body, legacy),
        "framework": report.framework.title,
        "total": str(report.scores.total),
        "grade": report.scores.grade,
    }
    return context, fragments


def _annex_parts(report: Report, story: Story, part: AnnexPart, first: bool) -> tuple[list, list, list]:
    """An annex's head (label, title), table, and what follows it (填表人 line, 附注)."""
    styles = story.styles
    head = []
    if part.label and not part.label_inline:
        mark = paragraph(styles.id(S.ANNEX_MARK))
        run = text_run(part.label)
        if not first:  # written as the template's own static 附件2 paragraph was: same bytes
            mark[0].append(el("w:pageBreakBefore"))
            run[0].attrib.clear()
        mark.append(run)
        head.append(mark)
    title = text_paragraph(styles.id(S.ANNEX_TITLE), part.heading)
    if not first and not head:
        title[0].append(el("w:pageBreakBefore"))
    head.append(title)
    if part.table == "scores":
        table = [annex_table(report, styles, part.total_row)]
    else:
        table = targets_table(report, styles)
    after = [text_paragraph(styles.id(S.ANNEX_NOTE), part.footer)] if part.footer else []
    return head, table, after + annex_notes(report, styles, part.notes)


def _annexes(report: Report, story: Story, body, legacy: bool) -> dict:  # noqa: ANN001 - body()
    """The annexes placed after the report (`annexes` loop), and the names older templates use."""
    # Annexes at the end of the last chapter are the first pages of the annex section.
    last = report.blocks[-1].key if report.blocks and not legacy else None
    placed = report.annexes if legacy else [a for a in report.annexes if a.place == last] + report.annexes_in("annex")
    annexes, tables = [], {}
    for k, part in enumerate(placed):
        head, table, after = _annex_parts(report, story, part, k == 0)
        tables[part.table] = body(part.title, "{{p annex.table }}", table)
        annexes.append({
            "table_name": part.table, "label": part.label, "title": part.title,
            "head": body(part.title, "{{p annex.head }}", head, required=not legacy),
            "table": tables[part.table],
            "after": body(part.title, "{{p annex.after }}", after, required=not legacy),
        })
    scores = next((a for a in report.annexes if a.table == "scores"), None)
    empty = body("", "", [], required=False)
    return {
        "annexes": annexes,
        # the placeholders of templates written before outlines were data
        "annex_title": report.annex_title,
        "annex_mark": scores.label if scores else "",
        "annex_table": tables.get("scores", empty),
        "annex_notes": body("附注", "{{p annex_notes }}", annex_notes(report, story.styles, scores.notes if scores else []),
                            required=legacy),
        "targets_title": report.targets_title,
        "targets_table": tables.get("targets", empty),
    }


def _in_chapter(report: Report, story: Story, block: Block, legacy: bool, pages: Pages | None) -> list:
    """Annexes the outline places at the end of a chapter before the last one, on landscape pages
    of their own (a template before outlines: none; the last chapter's go to the annex section)."""
    last = next((b for b in reversed(report.blocks) if b.level == 1), None)
    parts = report.annexes_in(block.key) if block.key and block is not last and not legacy else []
    if not parts:
        return []
    out = [pages.section_break(pages.portrait)] if pages else []
    for k, part in enumerate(parts):
        head, table, after = _annex_parts(report, story, part, k == 0)
        out += head + table + after
    return out + ([pages.section_break(pages.landscape)] if pages else [])


def _toc(report: Report, story: Story) -> list:
    """A TOC field listing the chapter and section headings; Word adds page numbers on update."""
    entries = [b for b in report.blocks if b.level in (1, 2)]
    paragraphs = []
    for k, block in enumerate(entries):
        p = paragraph(story.styles.id(S.TOC[block.level - 1]))
        if k == 0:
            p.extend(field_runs('TOC \\o "1-2" \\h \\z \\u'))
        p.append(text_run(block.heading))
        if k == len(entries) - 1:
            p.append(field_end())
        paragraphs.append(p)
    return paragraphs


class _TemplateSandbox(SandboxedEnvironment):
    """The Word template's environment, its compiled parts kept in the disk cache of compiled
    code: every part of the template (body, headers, footers) is compiled at each build."""

    def compile(self, source, name=None, filename=None, raw=False, defer_init=False):  # noqa: ANN001, ANN201
        if raw or defer_init or not isinstance(source, str):
            return super().compile(source, name, filename, raw, defer_init)
        return cached_code(source, f"docx-template\0{name}\0{filename}",
                           lambda: SandboxedEnvironment.compile(self, source, name, filename))


def _render(package: Package, template_xml: str, context: dict, source: Path) -> int:
    """Fill the template; returns the last drawing id given to its own pictures."""
    env = _TemplateSandbox(autoescape=True, undefined=StrictUndefined)
    try:
        return fill(package, template_xml, context, env)
    except TemplateSyntaxError as exc:
        near = "".join(getattr(exc, "docx_context", [])).strip()
        raise ReportError(f"模板语法错误：{exc.message}" + (f"（附近文字：{near[:80]}）" if near else ""),
                          file=source, expected=PLACEHOLDERS) from None
    except UndefinedError as exc:
        raise ReportError(f"模板使用了未知的占位符：{exc.message}", file=source,
                          expected=PLACEHOLDERS) from None
    except (TemplateError, etree.XMLSyntaxError, ValueError) as exc:
        raise ReportError(f"模板无法填充：{exc}", file=source, expected=PLACEHOLDERS) from None


def _check(body: etree._Element, fragments: list[Fragment], source: Path) -> None:
    """Every generated body placed once, each as a paragraph of its own."""
    missing = [f for f in fragments if f and f.required and not f.used]
    if missing:
        names = "、".join(f"“{f.name}”" for f in missing[:3]) + ("等" if len(missing) > 3 else "")
        raise ReportError(f"模板缺少占位符 {missing[0].placeholder}，{names}没有写入报告", file=source,
                          expected=PLACEHOLDERS)
    nested = body.xpath(".//w:t[*] | .//w:p[ancestor::w:p][not(ancestor::w:txbxContent)]", namespaces=nsmap)
    if nested or any(_inside_paragraph(slot) for slot in body.iter(SLOT)
                     if fragments[int(slot.get("n"))]):
        raise ReportError("模板中插入正文、表格的占位符须单独成段，并写成 {{p 名称 }}（带 p）", file=source,
                          expected=PLACEHOLDERS)


def _inside_paragraph(slot: etree._Element) -> bool:
    """The slot sits in a paragraph (not behind a text box), where a body cannot go."""
    for parent in slot.iterancestors():
        if parent.tag in (_P, _T):
            return True
        if parent.tag == _TEXT_BOX:
            return False
    return False


def _place(body: etree._Element, fragments: list[Fragment], ids_after: int) -> None:
    """Each slot replaced by its fragment's elements (copies where a fragment is placed again).

    Filling numbered the template's drawings up to `ids_after`; all drawings are numbered
    again in document order from the same start, as if the bodies had been in the template.
    """
    first = ids_after - sum(1 for _ in body.iter(_DOC_PR)) + 1
    placed: set[int] = set()
    for slot in list(body.iter(SLOT)):
        n = int(slot.get("n"))
        elements = fragments[n].elements
        if n in placed:
            elements = [deepcopy(e) for e in elements]
        placed.add(n)
        for element in elements:
            slot.addprevious(element)
        _drop(slot)
    for number, drawing in enumerate(body.iter(_DOC_PR), start=first):
        drawing.set("id", str(number))


def _drop(element: etree._Element) -> None:
    """Remove `element`, keeping the text that follows it."""
    if element.tail:
        previous = element.getprevious()
        if previous is not None:
            previous.tail = (previous.tail or "") + element.tail
        else:
            parent = element.getparent()
            parent.text = (parent.text or "") + element.tail
    element.getparent().remove(element)
