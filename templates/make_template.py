"""Generate templates/report.docx, the default Word template, reproducibly.

    python templates/make_template.py

The look follows GB/T 9704-2012 and ../shared/domain/word-format.md: A4, margins 37/35/28/26 mm,
仿宋_GB2312 三号 body with a 2-character first-line indent and 28 pt exact line spacing, 黑体 /
楷体_GB2312 / 仿宋_GB2312 headings, "— 1 —" page numbers. Everything is a named style (Word's
built-in Heading 1–4, Normal, Caption … restyled, plus a few named in Chinese), so users
restyle the report in Word. The placeholders are documented in templates/README.md.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from docx import Document
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.oxml import parse_xml
from docx.oxml.ns import qn
from docx.shared import Mm

from reportkit.render.docx.package import save_reproducible
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

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def fonts(east: str, latin: str = LATIN) -> str:
    # w:eastAsia is the font for Chinese; without it Chinese text falls back to a default.
    return f'<w:rFonts w:ascii="{latin}" w:hAnsi="{latin}" w:eastAsia="{east}" w:cs="{latin}"/>'


def pstyle(sid: str, name: str, *, based: str | None = "Normal", east: str = FANGSONG,
           latin: str = LATIN, size: float = 16, bold: bool = False, align: str = "both",
           first: int = 2, left: int = 0, exact: float | None = 28, before: float = 0,
           after: float = 0, keep_next: bool = False, outline: int | None = None,
           extra_ppr: str = "", default: bool = False) -> str:
    """A paragraph style; `first`/`left` in characters, sizes and spacing in points."""
    line = (f'w:line="{round(exact * 20)}" w:lineRule="exact"' if exact
            else 'w:line="240" w:lineRule="auto"')
    ppr = (
        ("<w:keepNext/>" if keep_next else "")
        + extra_ppr
        + f'<w:spacing w:before="{round(before * 20)}" w:after="{round(after * 20)}" {line}/>'
        # Word writes both: characters (what 首行缩进 2 字符 means) and the twips they come to.
        + f'<w:ind w:left="{left * 320}" w:leftChars="{left * 100}" '
        f'w:firstLine="{first * 320}" w:firstLineChars="{first * 100}"/>'
        + f'<w:jc w:val="{align}"/>'
        + (f'<w:outlineLvl w:val="{outline}"/>' if outline is not None else "")
    )
    half = round(size * 2)
    rpr = fonts(east, latin) + ("<w:b/><w:bCs/>" if bold else "") \
        + f'<w:sz w:val="{half}"/><w:szCs w:val="{half}"/>'
    flag = ' w:default="1"' if default else ""
    return (
        f'<w:style w:type="paragraph"{flag} w:styleId="{sid}">'
        f'<w:name w:val="{name}"/>'
        + (f'<w:basedOn w:val="{based}"/>' if based else "")
        + '<w:next w:val="Normal"/><w:qFormat/>'
        f"<w:pPr>{ppr}</w:pPr><w:rPr>{rpr}</w:rPr></w:style>"
    )


def cstyle(sid: str, name: str, rpr: str) -> str:
    return (f'<w:style w:type="character" w:styleId="{sid}"><w:name w:val="{name}"/>'
            f'<w:basedOn w:val="DefaultParagraphFont"/><w:rPr>{rpr}</w:rPr></w:style>')


BORDER = 'w:val="single" w:sz="4" w:space="0" w:color="000000"'
TOC_TAB = f'<w:tabs><w:tab w:val="right" w:leader="dot" w:pos="{TEXT_WIDTH}"/></w:tabs>'
RULE_BORDER = '<w:pBdr><w:bottom w:val="single" w:sz="6" w:space="1" w:color="000000"/></w:pBdr>'

STYLES = [
    pstyle("Normal", "Normal", based=None, default=True),  # 正文
    pstyle("Heading1", "heading 1", east=HEITI, keep_next=True, outline=0),
    pstyle("Heading2", "heading 2", east=KAITI, keep_next=True, outline=1),
    pstyle("Heading3", "heading 3", bold=True, keep_next=True, outline=2),
    pstyle("Heading4", "heading 4", keep_next=True, outline=3),
    pstyle("Quote", "Quote", east=KAITI, left=2),
    pstyle("List", "List"),
    pstyle("List2", "List 2", left=2),
    pstyle("List3", "List 3", left=4),
    pstyle("Caption", "caption", east=HEITI, size=14, align="center", first=0, before=6,
           keep_next=True),
    pstyle("TableUnit", "单位行", size=12, align="right", first=0, exact=None, keep_next=True),
    pstyle("TableText", "表格文字", size=12, align="left", first=0, exact=None),
    pstyle("TableHead", "表格标题", based="TableText", size=12, bold=True, align="center", first=0,
           exact=None),
    pstyle("AnnexText", "附表文字", based="TableText", size=10.5, align="left", first=0, exact=None),
    pstyle("AnnexHead", "附表标题", based="AnnexText", size=10.5, bold=True, align="center", first=0,
           exact=None),
    pstyle("AnnexNote", "附注", size=12, first=0, exact=None, before=6),
    pstyle("Code", "代码", latin=MONO, size=10.5, align="left", first=0, exact=None),
    pstyle("Figure", "图片", align="center", first=0, exact=None, before=6, after=6),
    pstyle("Rule", "分隔线", size=8, first=0, exact=None, after=12, extra_ppr=RULE_BORDER),
    pstyle("FootnoteText", "footnote text", size=10.5, first=0, exact=None),
    pstyle("Footer", "footer", east=SONGTI, latin=SONGTI, size=14, align="center", first=0,
           exact=None),
    pstyle("TOCHeading", "TOC Heading", east=HEITI, align="center", first=0, after=14),
    pstyle("TOC1", "toc 1", first=0, extra_ppr=TOC_TAB),
    pstyle("TOC2", "toc 2", first=0, left=2, extra_ppr=TOC_TAB),
    pstyle("CoverTitle", "封面标题", east=XBS, size=22, align="center", first=0, exact=None,
           before=150, after=90),
    pstyle("CoverLine", "封面信息", align="left", first=0, left=4, after=12),
    pstyle("AnnexMark", "附件标识", east=HEITI, align="left", first=0),
    pstyle("AnnexTitle", "附件标题", east=XBS, size=18, align="center", first=0, exact=None,
           before=6, after=12),
    '<w:style w:type="character" w:default="1" w:styleId="DefaultParagraphFont">'
    '<w:name w:val="Default Paragraph Font"/><w:uiPriority w:val="1"/><w:semiHidden/></w:style>',
    cstyle("InlineCode", "行内代码", fonts(FANGSONG, MONO)),
    cstyle("FootnoteReference", "footnote reference", fonts(FANGSONG) + '<w:vertAlign w:val="superscript"/>'),
    '<w:style w:type="table" w:default="1" w:styleId="TableNormal"><w:name w:val="Normal Table"/>'
    '<w:semiHidden/><w:tblPr><w:tblInd w:w="0" w:type="dxa"/><w:tblCellMar>'
    '<w:top w:w="0" w:type="dxa"/><w:left w:w="108" w:type="dxa"/><w:bottom w:w="0" w:type="dxa"/>'
    '<w:right w:w="108" w:type="dxa"/></w:tblCellMar></w:tblPr></w:style>',
    '<w:style w:type="table" w:styleId="TableGrid"><w:name w:val="Table Grid"/>'
    f'<w:basedOn w:val="TableNormal"/><w:rPr>{fonts(FANGSONG)}</w:rPr><w:tblPr><w:tblBorders>'
    + "".join(f"<w:{side} {BORDER}/>" for side in ("top", "left", "bottom", "right", "insideH", "insideV"))
    + "</w:tblBorders></w:tblPr></w:style>",
]

STYLES_XML = (
    f'<w:styles xmlns:w="{W_NS}"><w:docDefaults><w:rPrDefault><w:rPr>{fonts(FANGSONG)}'
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
    section.header_distance, section.footer_distance = Mm(15), Mm(20)


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
    save_reproducible(doc, OUT, STAMP)
    print(f"wrote {OUT}")


if __name__ == "__main__":
    main()
