"""Small builders for WordprocessingML elements: paragraphs, runs, tables, fields.

The renderers build plain lxml elements, several times cheaper than python-docx's
OxmlElement (a report has tens of thousands of them), and place them in the document later.
"""

from __future__ import annotations

import re

from lxml import etree

from ...ooxml import nsmap, qn

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


# One prototype element per (tag, attribute names): copying it is several times cheaper than
# building an element with its namespace map anew, and serialises to the same bytes.
_PROTOTYPES: dict[tuple[str, tuple[str, ...]], etree._Element] = {}


def el(tag: str, attrs: dict[str, str] | None = None, *children: etree._Element) -> etree._Element:
    """`el("w:jc", {"w:val": "center"})`: an element with namespaced attributes and children."""
    key = (tag, tuple(attrs) if attrs else ())
    prototype = _PROTOTYPES.get(key)
    if prototype is None:
        prefix = tag.partition(":")[0]
        prototype = _PROTOTYPES[key] = etree.Element(
            _clark(tag), {_clark(k): "" for k in key[1]} or None, nsmap={prefix: nsmap[prefix]})
    element = prototype.__copy__()
    if attrs:
        for name, value in attrs.items():
            element.set(_clark(name), value)
    if children:
        element.extend(children)
    return element


def clean(text: str) -> str:
    return _NOT_XML.sub("", text)


_PARAGRAPHS: dict[tuple[str | None, str | None], etree._Element] = {}  # by (style, align)
_MAX_PARAGRAPHS = 1000  # a bound: style ids come from the template and the sections


def paragraph(style_id: str | None, align: str | None = None) -> etree._Element:
    prototype = _PARAGRAPHS.get((style_id, align))
    if prototype is None:
        prototype = el("w:p")
        if style_id or align:
            ppr = el("w:pPr")
            if style_id:
                ppr.append(el("w:pStyle", {"w:val": style_id}))
            if align:
                ppr.append(el("w:jc", {"w:val": align}))
            prototype.append(ppr)
        if len(_PARAGRAPHS) < _MAX_PARAGRAPHS:
            _PARAGRAPHS[(style_id, align)] = prototype
        else:
            return prototype
    return prototype.__copy__()


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


_XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"
_PLAIN_RUN = el("w:r", None, el("w:t", {"xml:space": "preserve"}))  # one piece of text


def text_run(text: str, rpr: etree._Element | None = None) -> etree._Element:
    """A run whose line breaks become w:br and tabs w:tab, as Word expects."""
    text = clean(text)
    if text and "\n" not in text and "\r" not in text and "\t" not in text:
        r = _PLAIN_RUN.__copy__()  # the common case: one piece of text
        r[0].text = text
        if rpr is not None:
            r.insert(0, rpr)
        return r
    r = el("w:r")
    if rpr is not None:
        r.append(rpr)
    for piece in _BREAKS.split(text):
        if piece in ("\r\n", "\r", "\n"):
            r.append(el("w:br"))
        elif piece == "\t":
            r.append(el("w:tab"))
        elif piece:
            t = el("w:t")
            t.text = piece
            t.set(_XML_SPACE, "preserve")
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


_ROWS: dict[bool, etree._Element] = {}  # by `header`


def row(header: bool = False) -> etree._Element:
    """A table row that never breaks across pages (unless taller than a page); a header row
    also repeats at the top of every page the table runs onto."""
    prototype = _ROWS.get(header)
    if prototype is None:
        prototype = _ROWS[header] = el("w:tr")
        tr_pr = el("w:trPr", None, el("w:cantSplit"))
        if header:
            tr_pr.append(el("w:tblHeader"))
        prototype.append(tr_pr)
    return prototype.__copy__()


_CELLS: dict[tuple[int, int, str | None, bool], etree._Element] = {}  # by cell()'s arguments
_MAX_CELLS = 1000  # a bound: a table has few distinct column widths


def cell(width: int, span: int = 1, merge: str | None = None, center: bool = True) -> etree._Element:
    """A table cell; `merge` is "restart" or "continue" for a vertically merged cell."""
    key = (width, span, merge, center)
    prototype = _CELLS.get(key)
    if prototype is None:
        tc_pr = el("w:tcPr", None, el("w:tcW", {"w:w": str(width), "w:type": "dxa"}))
        if span > 1:
            tc_pr.append(el("w:gridSpan", {"w:val": str(span)}))
        if merge == "restart":
            tc_pr.append(el("w:vMerge", {"w:val": "restart"}))
        elif merge == "continue":
            tc_pr.append(el("w:vMerge"))
        if center:
            tc_pr.append(el("w:vAlign", {"w:val": "center"}))
        prototype = el("w:tc", None, tc_pr)
        if len(_CELLS) >= _MAX_CELLS:
            return prototype
        _CELLS[key] = prototype
    return prototype.__copy__()


def close_cell(tc: etree._Element, style_id: str | None) -> None:
    """Every cell must end with a paragraph, even an empty one."""
    if len(tc) == 0 or tc[-1].tag != qn("w:p"):
        tc.append(paragraph(style_id))


# Characters Word draws in the Latin font unless the run says they belong to East Asian text
# (w:hint="eastAsia", MS-OI29500 §2.1.87): quotes, dashes, ellipsis, middle dot, ×, ÷, °, §, №,
# ℃, ‰, arrows, circled numbers, shapes. Digits and ASCII letters always take the Latin font.
_AMBIGUOUS = re.compile(
    "[\u00a7\u00a8\u00b0\u00b1\u00b7\u00d7\u00f7\u2010-\u2027\u2030-\u203b\u2103\u2116\u2160-\u217f"
    "\u2190-\u21ff\u2460-\u24ff\u2500-\u27bf]"
)
_CJK = re.compile("[\u2e80-\u9fff\uf900-\ufaff\ufe30-\ufe4f\uff00-\uffef]")
_T, _R, _RPR, _RFONTS, _RSTYLE = qn("w:t"), qn("w:r"), qn("w:rPr"), qn("w:rFonts"), qn("w:rStyle")
_HINT, _LINK, _P = qn("w:hint"), qn("w:hyperlink"), qn("w:p")


_HINTED_RPR = el("w:rPr", None, el("w:rFonts", {"w:hint": "eastAsia"}))  # a run's properties: the hint alone


def _ambiguous_runs(root: etree._Element) -> dict[etree._Element, tuple[dict, list[bool]]]:
    """Paragraph → (its runs with a shared character, whether their text has Chinese), for the
    runs of a paragraph's own (a child run or a child hyperlink's): most paragraphs have none,
    and one pass over the texts finds those that do."""
    found: dict[etree._Element, tuple[dict, list[bool]]] = {}
    for t in root.iter(_T):
        text = t.text  # each read decodes the text anew
        if not text or not _AMBIGUOUS.search(text):
            continue
        r = t.getparent()
        if r.tag != _R:
            continue
        parent = r.getparent()
        if parent is not None and parent.tag == _LINK:
            parent = parent.getparent()
        if parent is None or parent.tag != _P:
            continue
        runs, chinese = found.setdefault(parent, ({}, [False]))
        runs[r] = None
        if not chinese[0] and _CJK.search(text):
            chinese[0] = True
    return found


def _has_chinese(p: etree._Element) -> bool:
    """Any of the paragraph's own runs (child runs, a child hyperlink's) has Chinese text."""
    members = [*p.iterchildren(_R), *(r for link in p.iterchildren(_LINK) for r in link.iterchildren(_R))]
    return any(_CJK.search(t.text or "") for r in members for t in r.iterchildren(_T))


def east_asian_hints(root: etree._Element) -> int:
    """Mark the runs of Chinese paragraphs whose punctuation is shared with Latin text.

    “三公” must come out in 仿宋 full width, not in Times New Roman half width; the hint changes
    only those shared characters, so digits and Latin letters in the same run keep Times New Roman.
    Returns the number of runs marked.
    """
    marked = 0
    for p, (runs, chinese) in _ambiguous_runs(root).items():
        if not chinese[0] and not _has_chinese(p):
            continue
        for r in runs:
            marked += 1
            rpr = r.find(_RPR)
            if rpr is None:  # most runs: one copy makes the whole w:rPr
                r.insert(0, _HINTED_RPR.__copy__())
                continue
            fonts = rpr.find(_RFONTS)
            if fonts is None:
                fonts = el("w:rFonts")
                style = rpr.find(_RSTYLE)
                rpr.insert(0 if style is None else rpr.index(style) + 1, fonts)
            fonts.set(_HINT, "eastAsia")
    return marked


def keep_with_next(element: etree._Element) -> None:
    """Keep every paragraph of `element` (a paragraph or a table row) on the page of what follows."""
    paragraphs = [element] if element.tag == qn("w:p") else list(element.iter(qn("w:p")))
    for p in paragraphs:
        ppr = p.find(qn("w:pPr"))
        if ppr is None:
            ppr = el("w:pPr")
            p.insert(0, ppr)
        if ppr.find(qn("w:keepNext")) is None:
            style = ppr.find(qn("w:pStyle"))
            ppr.insert(0 if style is None else 1, el("w:keepNext"))
