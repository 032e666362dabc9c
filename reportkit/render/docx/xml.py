"""Small builders for WordprocessingML elements: paragraphs, runs, tables, fields.

The renderers build plain lxml elements, several times cheaper than python-docx's
OxmlElement (a report has tens of thousands of them), and place them in the document later.
"""

from __future__ import annotations

import re

from docx.oxml.ns import nsmap, qn
from lxml import etree

# Characters XML 1.0 cannot carry; a stray control character in a section must not
# produce a file Word refuses to open.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_BREAKS = re.compile(r"(\r\n|\r|\n|\t)")

MM = 1440 / 25.4  # twips per millimetre
EMU_PER_TWIP = 635


_CLARK: dict[str, str] = {}  # "w:jc" → "{…/main}jc", computed once per name


def _clark(name: str) -> str:
    clark = _CLARK.get(name)
    if clark is None:
        clark = _CLARK[name] = qn(name)
    return clark


def el(tag: str, attrs: dict[str, str] | None = None, *children: etree._Element) -> etree._Element:
    """`el("w:jc", {"w:val": "center"})`: an element with namespaced attributes and children."""
    prefix = tag.partition(":")[0]
    element = etree.Element(_clark(tag), {_clark(k): v for k, v in attrs.items()} if attrs else None,
                            nsmap={prefix: nsmap[prefix]})
    if children:
        element.extend(children)
    return element


def clean(text: str) -> str:
    return _NOT_XML.sub("", text)


def paragraph(style_id: str | None, align: str | None = None) -> etree._Element:
    p = el("w:p")
    if style_id or align:
        ppr = el("w:pPr")
        if style_id:
            ppr.append(el("w:pStyle", {"w:val": style_id}))
        if align:
            ppr.append(el("w:jc", {"w:val": align}))
        p.append(ppr)
    return p


def run_props(style_id: str | None = None, bold: bool = False, italic: bool = False,
              strike: bool = False) -> etree._Element | None:
    """A w:rPr in schema order (rStyle, b, i, strike), or None when there is nothing to say."""
    children = []
    if style_id:
        children.append(el("w:rStyle", {"w:val": style_id}))
    if bold:
        children.append(el("w:b"))
    if italic:
        children.append(el("w:i"))
    if strike:
        children.append(el("w:strike"))
    return el("w:rPr", None, *children) if children else None


def text_run(text: str, rpr: etree._Element | None = None) -> etree._Element:
    """A run whose line breaks become w:br and tabs w:tab, as Word expects."""
    r = el("w:r")
    if rpr is not None:
        r.append(rpr)
    for piece in _BREAKS.split(clean(text)):
        if piece in ("\r\n", "\r", "\n"):
            r.append(el("w:br"))
        elif piece == "\t":
            r.append(el("w:tab"))
        elif piece:
            t = el("w:t")
            t.text = piece
            t.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
            r.append(t)
    return r


def break_run() -> etree._Element:
    return el("w:r", None, el("w:br"))


def text_paragraph(style_id: str | None, text: str, align: str | None = None) -> etree._Element:
    p = paragraph(style_id, align)
    if text:
        p.append(text_run(text))
    return p


def field_runs(instruction: str) -> tuple[etree._Element, etree._Element, etree._Element]:
    """The begin, instruction and separate runs of a complex field; close it with field_end()."""
    instr = el("w:instrText")
    instr.text = f" {instruction} "
    instr.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
    return (
        el("w:r", None, el("w:fldChar", {"w:fldCharType": "begin"})),
        el("w:r", None, instr),
        el("w:r", None, el("w:fldChar", {"w:fldCharType": "separate"})),
    )


def field_end() -> etree._Element:
    return el("w:r", None, el("w:fldChar", {"w:fldCharType": "end"}))


def table(style_id: str | None, widths: list[int], fixed: bool = False) -> etree._Element:
    """A centred table with the given column widths (twips) and no rows yet.

    `fixed` keeps the widths exactly; otherwise the table spans the text width and Word
    fits the columns to their content.
    """
    tbl_pr = el("w:tblPr")
    if style_id:
        tbl_pr.append(el("w:tblStyle", {"w:val": style_id}))
    if fixed:
        tbl_pr.append(el("w:tblW", {"w:w": str(sum(widths)), "w:type": "dxa"}))
    else:
        tbl_pr.append(el("w:tblW", {"w:w": "5000", "w:type": "pct"}))
    tbl_pr.append(el("w:jc", {"w:val": "center"}))
    if fixed:
        tbl_pr.append(el("w:tblLayout", {"w:type": "fixed"}))
    tbl_pr.append(el("w:tblLook", {"w:val": "04A0", "w:firstRow": "1", "w:lastRow": "0",
                                   "w:firstColumn": "0", "w:lastColumn": "0", "w:noHBand": "0",
                                   "w:noVBand": "1"}))
    grid = el("w:tblGrid", None, *(el("w:gridCol", {"w:w": str(w)}) for w in widths))
    return el("w:tbl", None, tbl_pr, grid)


def row(header: bool = False) -> etree._Element:
    """A table row; a header row repeats at the top of every page and is never split."""
    tr = el("w:tr")
    if header:
        tr.append(el("w:trPr", None, el("w:cantSplit"), el("w:tblHeader")))
    return tr


def cell(width: int, span: int = 1, merge: str | None = None, center: bool = True) -> etree._Element:
    """A table cell; `merge` is "restart" or "continue" for a vertically merged cell."""
    tc_pr = el("w:tcPr", None, el("w:tcW", {"w:w": str(width), "w:type": "dxa"}))
    if span > 1:
        tc_pr.append(el("w:gridSpan", {"w:val": str(span)}))
    if merge == "restart":
        tc_pr.append(el("w:vMerge", {"w:val": "restart"}))
    elif merge == "continue":
        tc_pr.append(el("w:vMerge"))
    if center:
        tc_pr.append(el("w:vAlign", {"w:val": "center"}))
    return el("w:tc", None, tc_pr)


def close_cell(tc: etree._Element, style_id: str | None) -> None:
    """Every cell must end with a paragraph, even an empty one."""
    if len(tc) == 0 or tc[-1].tag != qn("w:p"):
        tc.append(paragraph(style_id))
