"""The table of contents: entries and page numbers written into the TOC field's result.

Word shows a TOC field's last result as it is; reportkit writes that result itself, as Word
would after an update: one paragraph per 一、/（一） heading and per annex title, each a link to a
bookmark on its heading with a PAGEREF page number after a dotted tab. The page numbers are the
layout LibreOffice computes (`render.pdf.toc_pages`); where LibreOffice is missing the numbers
are left out and Word is asked to update the fields on opening.
"""

from __future__ import annotations

from lxml import etree

from ...ooxml import qn
from . import styles as S
from .styles import StyleMap
from .xml import el, field_end, field_runs, paragraph, text_run

INSTRUCTION = 'TOC \\o "1-2" \\h \\z \\u \\t "附件标题,1"'


def headings(body: etree._Element, styles: StyleMap) -> list[tuple[etree._Element, int, str]]:
    """(paragraph, level, entry text) of what the TOC lists, in document order."""
    level_of = {styles.id(S.HEADINGS[0]): 1, styles.id(S.HEADINGS[1]): 2, styles.id(S.ANNEX_TITLE): 1}
    mark_id = styles.id(S.ANNEX_MARK)
    out, label = [], ""
    for p in body.iterchildren(qn("w:p")):
        style = p.find(f"{qn('w:pPr')}/{qn('w:pStyle')}")
        sid = style.get(qn("w:val")) if style is not None else None
        text = "".join(t.text or "" for t in p.iter(qn("w:t"))).strip()
        if sid == mark_id:
            label = text
        elif sid in level_of and text:
            if sid == styles.id(S.ANNEX_TITLE):
                text, label = (f"{label}　{text}" if label else text), ""
            out.append((p, level_of[sid], text))
    return out


def fill_toc(body: etree._Element, styles: StyleMap, pages: list[str] | None = None) -> int:
    """Replace the TOC placeholder paragraphs by the entries; returns how many were written."""
    toc_ids = {styles.id(name) for name in S.TOC}
    old = [p for p in body.iterchildren(qn("w:p"))
           if (s := p.find(f"{qn('w:pPr')}/{qn('w:pStyle')}")) is not None and s.get(qn("w:val")) in toc_ids]
    if not old:
        return 0
    entries = headings(body, styles)
    used = [int(b.get(qn("w:id"))) for b in body.iter(qn("w:bookmarkStart")) if b.get(qn("w:id"), "").isdigit()]
    next_id = max([0, *used]) + 1
    anchor = old[0]
    for k, (heading, level, text) in enumerate(entries):
        name = f"_Toc{100000000 + k}"
        heading_ppr = heading.find(qn("w:pPr"))
        heading_ppr.addnext(el("w:bookmarkStart", {"w:id": str(next_id + k), "w:name": name}))
        heading.append(el("w:bookmarkEnd", {"w:id": str(next_id + k)}))
        p = paragraph(styles.id(S.TOC[level - 1]))
        if k == 0:
            p.extend(field_runs(INSTRUCTION))
        link = el("w:hyperlink", {"w:anchor": name, "w:history": "1"})
        link.append(text_run(text))
        link.append(el("w:r", None, el("w:tab")))
        link.extend(field_runs(f"PAGEREF {name} \\h"))
        page = pages[k] if pages and k < len(pages) else ""
        if page:
            link.append(text_run(page))
        link.append(field_end())
        p.append(link)
        if k == len(entries) - 1:
            p.append(field_end())
        anchor.addprevious(p)
    for p in old:
        body.remove(p)
    return len(entries)


def _norm(text: str) -> str:
    return "".join(text.split())


def set_toc_pages(body: etree._Element, styles: StyleMap, laid_out: list[tuple[str, str]]) -> int:
    """Write LibreOffice's page numbers into the entries' PAGEREF results; returns how many.

    LibreOffice's entries are matched in order by their text (an annex's entry there lacks the
    附件 label, so containment counts)."""
    toc_ids = {styles.id(name) for name in S.TOC}
    written, k = 0, 0
    for p in body.iterchildren(qn("w:p")):
        style = p.find(f"{qn('w:pPr')}/{qn('w:pStyle')}")
        if style is None or style.get(qn("w:val")) not in toc_ids:
            continue
        link = p.find(qn("w:hyperlink"))
        if link is None:
            continue
        text = _norm("".join(t.text or "" for t in link.iter(qn("w:t"))))
        for j in range(k, len(laid_out)):
            theirs = _norm(laid_out[j][0])
            if theirs and (theirs == text or theirs in text):
                k = j + 1
                separate = [r for r in link.iterchildren(qn("w:r"))
                            if (f := r.find(qn("w:fldChar"))) is not None and f.get(qn("w:fldCharType")) == "separate"]
                if separate and laid_out[j][1]:
                    separate[-1].addnext(text_run(laid_out[j][1]))
                    written += 1
                break
    return written
