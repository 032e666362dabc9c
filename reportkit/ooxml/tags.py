"""docxtpl's placeholder syntax, without loading docxtpl: its rewriting of a part's XML into a
Jinja template, and the finishing steps it applies to the filled XML.

A template is written in docxtpl's syntax (`{{p … }}`, `{%p … %}`, `{%tr … %}`, tags split
across runs by Word, …). docxtpl turns each part's XML into a Jinja template by rewriting it
(`patch_xml`). The rewriting depends on the XML only, so its result is kept in the disk cache,
and docxtpl (with python-docx under it: a fifth of a small build to import) is loaded only the
first time a template is seen. Its finishing steps (tabs and line breaks in filled text,
tables whose cells a loop multiplied) are taken from it in the rare case where they change
something.
"""

from __future__ import annotations

import importlib.util
import os
from functools import cache

from lxml import etree

from ..codecache import cached_value
from .ns import RT, qn
from .opc import PARSER, Package

_LISTING_CHARACTERS = ("\t", "\a", "\n", "\f")  # what docxtpl's resolve_listing rewrites
_W_TBL, _W_TBLGRID, _W_GRIDCOL, _W_TR, _W_TC = (qn(f"w:{t}") for t in ("tbl", "tblGrid", "gridCol", "tr", "tc"))
_W_TCPR, _W_GRIDSPAN, _W_VAL = qn("w:tcPr"), qn("w:gridSpan"), qn("w:val")


def _docxtpl():  # noqa: ANN202 - a DocxTemplate, made only to call its methods on text
    from docxtpl import DocxTemplate

    return DocxTemplate.__new__(DocxTemplate)  # those methods use no state of a loaded file


@cache
def _docxtpl_version() -> str:
    """Names the installed docxtpl (its size and time) without importing it."""
    spec = importlib.util.find_spec("docxtpl")
    folder = next(iter(spec.submodule_search_locations)) if spec else ""
    try:
        stat = os.stat(os.path.join(folder, "template.py"))
    except OSError:
        return "unknown"
    return f"{stat.st_size}-{stat.st_mtime_ns}"


def patched(xml: str) -> str:
    """docxtpl's rewriting of one part's XML into a Jinja template (kept in the disk cache)."""
    return cached_value(xml, f"docxtpl-patch\0{_docxtpl_version()}", lambda: _docxtpl().patch_xml(xml))


def part_xml(part) -> str:  # noqa: ANN001 - an opc.Part
    """A header's or footer's XML as docxtpl reads it (its bytes parsed again)."""
    return etree.tostring(etree.fromstring(part.blob, PARSER), encoding="unicode")


def headers_and_footers(package: Package) -> list:
    """The document's header and footer parts that have content, headers first (docxtpl's order)."""
    rels = package.document.rels.values()
    return [rel.target for reltype in (RT.HEADER, RT.FOOTER) for rel in rels
            if rel.reltype == reltype and not rel.is_external and rel.target.blob]


def finish_listing(filled: str) -> str:
    """docxtpl's resolve_listing: tabs, line and page breaks in filled text as Word runs."""
    if any(c in filled for c in _LISTING_CHARACTERS):  # else it changes nothing
        return _docxtpl().resolve_listing(filled)
    return filled


def tables_need_fixing(tree: etree._Element) -> bool:
    """Whether docxtpl's fix_tables would change a table: more cells in a row than grid
    columns, fewer cells (with their spans) than columns in every row, or no grid at all."""
    for table in tree.iter(_W_TBL):
        grid = table.find(_W_TBLGRID)
        if grid is None:
            return True
        columns = len(grid.findall(_W_GRIDCOL))
        widest = 0
        for row in table.iter(_W_TR):
            cells = row.findall(_W_TC)
            if len(cells) > columns:
                return True
            width = 0
            for cell in cells:
                props = cell.find(_W_TCPR)
                span = None if props is None else props.find(_W_GRIDSPAN)
                width += 1 if span is None else int(span.get(_W_VAL))
            widest = max(widest, width)
        if columns > widest:
            return True
    return False


def fix_tables(xml: str) -> etree._Element:
    """docxtpl's fix_tables: the filled body parsed, table grids fitted to the cells."""
    return _docxtpl().fix_tables(xml)
