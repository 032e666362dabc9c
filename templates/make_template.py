"""Generate templates/report.docx, the default Word template, reproducibly.

    python templates/make_template.py

The look follows GB/T 9704-2012 and ../shared/domain/word-format.md: A4, margins 37/35/28/26 mm,
仿宋_GB2312 三号 body with a 2-character first-line indent and 28 pt exact line spacing, 黑体 /
楷体_GB2312 / 仿宋_GB2312 headings, "— 1 —" page numbers. Everything is a named style (Word's
built-in Heading 1–4, Normal, Caption … restyled, plus a few named in Chinese), so users
restyle the report in Word. The placeholders are documented in templates/README.md.
"""

from __future__ import annotations

import math
from datetime import datetime
from pathlib import Path

from docx import Document
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.oxml import parse_xml
from docx.oxml.ns import qn
from docx.shared import Mm

from reportkit.render.docx.fonts import ensure_font_table
from reportkit.render.docx.package import save_reproducible, set_app_properties
from reportkit.render.docx.xml import MM, el, field_end, field_runs, text_run

OUT = Path(__file__).parent / "report.docx"
STAMP = datetime(2024, 1, 1)

LATIN = "Times New Roman"
FANGSONG = "仿宋_GB2312"
HEITI = "黑体"
KAITI = "楷体_GB2312"
XBS = "方正小标宋简体"
SONGTI = "宋体"
MONO = "Courier New"
TEXT_WIDTH = round(156 * MM)  # twips: A4 minus the left and right margins
CHAR = 320  # twips: one character of 三号 (16 pt)
CHARS, LINES = 28, 22  # per line and per page (GB/T 9704)

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def fonts(east: str | None = None, latin: str | None = None) -> str:
    # w:eastAsia is the font for Chinese; without it Chinese text falls back to a default.
    # Only the fonts given are written: the others come from the style this one is based on.
    attrs = (f' w:ascii="{latin}" w:hAnsi="{latin}" w:cs="{latin}"' if latin else "") + (
        f' w:eastAsia="{east}"' if east else "")
    return f"<w:rFonts{attrs}/>" if attrs else ""


def indent(first: float = 0, left: float = 0, hanging: float = 0) -> str:
    """w:ind in characters of 三号 (what 首行缩进 2 字符 means) and the twips they come to."""
    out = f'<w:ind w:left="{round(left * CHAR)}" w:leftChars="{round(left * 100)}"'
    if hanging:
        out += f' w:hanging="{round(hanging * CHAR)}" w:hangingChars="{round(hanging * 100)}"'
    else:
        out += f' w:firstLine="{round(first * CHAR)}" w:firstLineChars="{round(first * 100)}"'
    return out + "/>"


def pstyle(sid: str, name: str, *, based: str | None = "Normal", east: str | None = None,
           latin: str | None = None, size: float | None = None, bold: bool = False,
           align: str | None = None, ind: str = "", line: float | str | None = None,
           before: float | None = None, after: float | None = None, keep_next: bool | None = None,
           snap: bool | None = None, outline: int | None = None, extra_ppr: str = "",
           widow: bool | None = None, default: bool = False) -> str:
    """A paragraph style that states only what differs from the style it is based on (正文),
    so a user who restyles 正文 in Word restyles lists, quotes, captions and headings too.

    Sizes and spacing in points; `line` is an exact line height, or "single".
    """
    spacing = ""
    if before is not None:
        spacing += f' w:before="{round(before * 20)}"'
    if after is not None:
        spacing += f' w:after="{round(after * 20)}"'
    if line == "single":
        spacing += ' w:line="240" w:lineRule="auto"'
    elif line is not None:
        spacing += f' w:line="{round(line * 20)}" w:lineRule="exact"'
    ppr = (
        ("" if keep_next is None else ("<w:keepNext/>" if keep_next else '<w:keepNext w:val="0"/>'))
        + ("" if widow is None else ("<w:widowControl/>" if widow else '<w:widowControl w:val="0"/>'))
        + extra_ppr
        # Text smaller or larger than 三号 must not snap to the 28 × 22 character grid of the page:
        # a 五号 table would be spread to the 三号 pitch.
        + ("" if snap is None else ("<w:snapToGrid/>" if snap else '<w:snapToGrid w:val="0"/>'))
        + (f"<w:spacing{spacing}/>" if spacing else "")
        + ind
        + (f'<w:jc w:val="{align}"/>' if align else "")
        + (f'<w:outlineLvl w:val="{outline}"/>' if outline is not None else "")
    )
    half = round(size * 2) if size else None
    rpr = fonts(east, latin) + ("<w:b/><w:bCs/>" if bold else "") \
        + (f'<w:sz w:val="{half}"/><w:szCs w:val="{half}"/>' if half else "")
    flag = ' w:default="1"' if default else ""
    return (
        f'<w:style w:type="paragraph"{flag} w:styleId="{sid}">'
        f'<w:name w:val="{name}"/>'
        + (f'<w:basedOn w:val="{based}"/>' if based else "")
        + '<w:next w:val="Normal"/><w:qFormat/>'
        + (f"<w:pPr>{ppr}</w:pPr>" if ppr else "")
        + (f"<w:rPr>{rpr}</w:rPr>" if rpr else "")
        + "</w:style>"
    )


def cstyle(sid: str, name: str, rpr: str) -> str:
    return (f'<w:style w:type="character" w:styleId="{sid}"><w:name w:val="{name}"/>'
            f'<w:basedOn w:val="DefaultParagraphFont"/><w:rPr>{rpr}</w:rPr></w:style>')


BORDER = 'w:val="single" w:sz="4" w:space="0" w:color="000000"'
TOC_TAB = f'<w:tabs><w:tab w:val="right" w:leader="dot" w:pos="{TEXT_WIDTH}"/></w:tabs>'
RULE_BORDER = '<w:pBdr><w:bottom w:val="single" w:sz="6" w:space="1" w:color="000000"/></w:pBdr>'
CODE_SHADE = '<w:shd w:val="clear" w:color="auto" w:fill="F2F2F2"/>'


def list_style(sid: str, name: str, level: int) -> str:
    """A list level: the label where a body line starts (2 characters in, 2 more per level),
    the text and its wrapped lines 2 characters further (a hanging indent, label then tab)."""
    left = 2 * level + 2
    tab = f'<w:tabs><w:tab w:val="left" w:pos="{round(left * CHAR)}"/></w:tabs>'
    return pstyle(sid, name, ind=indent(left=left, hanging=2), extra_ppr=tab)


# A table, note or caption line: its own size, single spacing, off the page's character grid.
SMALL = {"ind": indent(), "line": "single", "snap": False}

STYLES = [
    # 正文 states everything; the other styles inherit from it and say only how they differ.
    pstyle("Normal", "Normal", based=None, east=FANGSONG, latin=LATIN, size=16, align="both",
           ind=indent(first=2), line=28, before=0, after=0, widow=True, default=True),
    pstyle("Heading1", "heading 1", east=HEITI, keep_next=True, outline=0),
    pstyle("Heading2", "heading 2", east=KAITI, keep_next=True, outline=1),
    pstyle("Heading3", "heading 3", bold=True, keep_next=True, outline=2),
    pstyle("Heading4", "heading 4", keep_next=True, outline=3),
    pstyle("Quote", "Quote", east=KAITI, ind=indent(first=2, left=2)),
    list_style("List", "List", 1),
    list_style("List2", "List 2", 2),
    list_style("List3", "List 3", 3),
    pstyle("Caption", "caption", east=HEITI, size=14, align="center", before=6, keep_next=True,
           **SMALL),
    pstyle("FigureCaption", "图题", based="Caption", before=0, after=6, keep_next=False),
    pstyle("TableUnit", "单位行", size=12, align="right", keep_next=True, **SMALL),
    pstyle("TableText", "表格文字", size=12, align="left", **SMALL),
    pstyle("TableHead", "表格标题", based="TableText", bold=True, align="center"),
    pstyle("AnnexText", "附表文字", based="TableText", size=10.5),
    pstyle("AnnexHead", "附表标题", based="AnnexText", bold=True, align="center"),
    pstyle("AnnexNote", "附注", size=12, before=6, **SMALL),
    pstyle("Code", "代码", latin=MONO, size=10.5, align="left", before=6, after=6,
           extra_ppr=CODE_SHADE, **SMALL),
    pstyle("Figure", "图片", align="center", before=6, after=6, keep_next=True, **SMALL),
    pstyle("Rule", "分隔线", size=8, after=12, extra_ppr=RULE_BORDER, **SMALL),
    pstyle("FootnoteText", "footnote text", size=10.5, align="left", **SMALL),
    pstyle("Footer", "footer", east=SONGTI, latin=SONGTI, size=14, align="center", **SMALL),
    pstyle("TOCHeading", "TOC Heading", east=HEITI, align="center", ind=indent(), after=14),
    pstyle("TOC1", "toc 1", ind=indent(), extra_ppr=TOC_TAB),
    pstyle("TOC2", "toc 2", ind=indent(left=2), extra_ppr=TOC_TAB),
    pstyle("CoverTitle", "封面标题", east=XBS, size=22, align="center", before=150, after=90,
           **SMALL),
    pstyle("CoverLine", "封面信息", align="left", ind=indent(left=4), after=12),
    pstyle("AnnexMark", "附件标识", east=HEITI, align="left", ind=indent()),
    pstyle("AnnexTitle", "附件标题", east=XBS, size=18, align="center", before=6, after=12, **SMALL),
    '<w:style w:type="character" w:default="1" w:styleId="DefaultParagraphFont">'
    '<w:name w:val="Default Paragraph Font"/><w:uiPriority w:val="1"/><w:semiHidden/></w:style>',
    cstyle("InlineCode", "行内代码", fonts(latin=MONO)),
    cstyle("FootnoteReference", "footnote reference", '<w:vertAlign w:val="superscript"/>'),
    cstyle("Hyperlink", "Hyperlink", '<w:color w:val="0000FF"/><w:u w:val="single"/>'),
    '<w:style w:type="table" w:default="1" w:styleId="TableNormal"><w:name w:val="Normal Table"/>'
    '<w:semiHidden/><w:tblPr><w:tblInd w:w="0" w:type="dxa"/><w:tblCellMar>'
    '<w:top w:w="0" w:type="dxa"/><w:left w:w="108" w:type="dxa"/><w:bottom w:w="0" w:type="dxa"/>'
    '<w:right w:w="108" w:type="dxa"/></w:tblCellMar></w:tblPr></w:style>',
    '<w:style w:type="table" w:styleId="TableGrid"><w:name w:val="Table Grid"/>'
    '<w:basedOn w:val="TableNormal"/><w:tblPr><w:tblBorders>'
    + "".join(f"<w:{side} {BORDER}/>" for side in ("top", "left", "bottom", "right", "insideH", "insideV"))
    + "</w:tblBorders></w:tblPr></w:style>",
]

STYLES_XML = (
    f'<w:styles xmlns:w="{W_NS}"><w:docDefaults><w:rPrDefault><w:rPr>{fonts(FANGSONG, LATIN)}'
    '<w:kern w:val="2"/><w:sz w:val="32"/><w:szCs w:val="32"/>'
    '<w:lang w:val="en-US" w:eastAsia="zh-CN" w:bidi="ar-SA"/></w:rPr></w:rPrDefault>'
    '<w:pPrDefault><w:pPr><w:spacing w:after="0"/></w:pPr></w:pPrDefault></w:docDefaults>'
    + "".join(STYLES) + "</w:styles>"
)

SETTINGS_XML = (
    f'<w:settings xmlns:w="{W_NS}"><w:zoom w:percent="100"/><w:defaultTabStop w:val="420"/>'
    '<w:characterSpacingControl w:val="compressPunctuation"/>'
    '<w:compat><w:useFELayout/><w:compatSetting w:name="compatibilityMode" '
    'w:uri="http://schemas.microsoft.com/office/word" w:val="15"/></w:compat></w:settings>'
)

# The body: cover, optional table of contents, the fixed headings with their bodies, annex.
# The cover lines come from the report's outline (reportkit/load/outlines/*.yaml).
COVER = [("封面标题", "{{ title }}"), ("Normal", "{%p for line in cover_lines %}"), ("封面信息", "{{ line }}"),
         ("Normal", "{%p endfor %}")]
TOC = [("Normal", "{%p if toc %}"), ("TOC Heading", "目　录"), ("Normal", "{{p toc }}")]
BODY = [
    ("Normal", "{%p endif %}"),
    ("Normal", "{{p intro }}"),
    ("Normal", "{%p for block in blocks %}"),
    ("Normal", "{%p if block.level == 1 %}"),
    ("Heading 1", "{{ block.heading }}"),
    ("Normal", "{%p else %}"),
    ("Heading 2", "{{ block.heading }}"),
    ("Normal", "{%p endif %}"),
    ("Normal", "{{p block.body }}"),
    ("Normal", "{%p endfor %}"),
]
# The annexes in the outline's order; each head is its label and title, each from a new page.
ANNEX = [("Normal", "{%p for annex in annexes %}"), ("Normal", "{{p annex.head }}"), ("Normal", "{{p annex.table }}"),
         ("Normal", "{{p annex.after }}"), ("Normal", "{%p endfor %}")]


def clean_package(doc) -> None:
    """Drop the parts python-docx's own template carries that a report has no use for."""
    unused = ("/thumbnail", "/stylesWithEffects", "/customXml", "/webSettings", "/numbering",
              "/fontTable")
    for rels in (doc.part.package.rels, doc.part.rels):
        for rid in [rid for rid, rel in rels.items() if rel.reltype.endswith(unused)]:
            del rels[rid]
    doc.part._styles_part._element = parse_xml(STYLES_XML)
    doc.part._settings_part._element = parse_xml(SETTINGS_XML)


def page(section, landscape: bool = False) -> None:
    section.page_width, section.page_height = (Mm(297), Mm(210)) if landscape else (Mm(210), Mm(297))
    section.orientation = WD_ORIENT.LANDSCAPE if landscape else WD_ORIENT.PORTRAIT
    # Landscape keeps the 156 × 225 mm text block of the portrait pages, turned.
    top, bottom, left, right = (28, 26, 37, 35) if landscape else (37, 35, 28, 26)
    section.top_margin, section.bottom_margin = Mm(top), Mm(bottom)
    section.left_margin, section.right_margin = Mm(left), Mm(right)
    # The page number sits 7 mm or more below the text block: 20 mm up on portrait pages, whose
    # bottom margin is 35 mm; 12 mm up on landscape ones, whose bottom margin is 26 mm.
    section.header_distance, section.footer_distance = Mm(15), Mm(12 if landscape else 20)
    grid(section, landscape)


def grid(section, landscape: bool) -> None:
    """The GB/T 9704 grid: 22 lines of 28 characters of 三号 on the 156 × 225 mm text block.

    w:charSpace is how much narrower than 16 pt a character cell is, in 1/4096 pt; the pitches
    are rounded down so that 28 cells and 22 lines fit. Landscape annex pages keep the line grid
    only (their tables are off the grid).
    """
    sect_pr = section._sectPr
    doc_grid = sect_pr.find(qn("w:docGrid"))
    if doc_grid is None:
        doc_grid = el("w:docGrid")
        sect_pr.append(doc_grid)
    width = (section.page_width - section.left_margin - section.right_margin) // 635
    height = (section.page_height - section.top_margin - section.bottom_margin) // 635
    doc_grid.attrib.clear()
    if landscape:
        doc_grid.set(qn("w:type"), "lines")  # the portrait pitch: this width is that height
        doc_grid.set(qn("w:linePitch"), str(width // LINES))
        return
    pitch_pt = width / CHARS / 20
    doc_grid.set(qn("w:type"), "linesAndChars")
    doc_grid.set(qn("w:linePitch"), str(height // LINES))
    doc_grid.set(qn("w:charSpace"), str(math.floor((pitch_pt - 16) * 4096)))


def page_numbers(section) -> None:
    """"— 1 —" at the bottom, counting from 1 at the first page of this section."""
    section.footer.is_linked_to_previous = False
    p = section.footer.paragraphs[0]._p
    p.append(text_run("— "))
    p.extend(field_runs("PAGE"))
    p.append(text_run("1"))
    p.append(field_end())
    p.append(text_run(" —"))
    sect_pr = section._sectPr
    sect_pr.find(qn("w:pgMar")).addnext(el("w:pgNumType", {"w:start": "1"}))


def add(doc, lines) -> None:
    for style, text in lines:
        doc.add_paragraph(text, style=style)


def main() -> None:
    doc = Document()
    clean_package(doc)
    props = doc.core_properties
    props.title, props.subject, props.author = "部门整体支出绩效评价报告模板", "", "reportkit"
    props.comments, props.last_modified_by, props.revision = "", "reportkit", 1
    props.created = props.modified = STAMP
    page(doc.sections[0])
    add(doc, COVER)
    doc.add_section(WD_SECTION.NEW_PAGE)
    add(doc, TOC)
    doc.add_section(WD_SECTION.NEW_PAGE)  # ends the table of contents (inside the if)
    add(doc, BODY)
    doc.add_section(WD_SECTION.NEW_PAGE)
    add(doc, ANNEX)
    cover, toc, body, annex = doc.sections
    page_numbers(body)
    page(annex, landscape=True)
    ensure_font_table(doc)
    set_app_properties(doc)
    save_reproducible(doc, OUT, STAMP)
    print(f"wrote {OUT}")


if __name__ == "__main__":
    main()
