"""The template's placeholders filled as docxtpl fills them, without loading docxtpl.

A template is written in docxtpl's syntax (`{{p … }}`, `{%p … %}`, `{%tr … %}`, tags split
across runs by Word, …). docxtpl turns each part's XML into a Jinja template by rewriting it
(`patch_xml`): that rewriting depends on the template's XML only, so its result is kept in the
disk cache and docxtpl (with python-docx under it: a fifth of a small build to import) is loaded
only the first time a template is seen. The steps after Jinja (tabs and line breaks in filled
text, tables whose cells a loop multiplied) are docxtpl's too, taken from it in the rare case
where they change something; everything else follows docxtpl's `render` step by step, so that
the file is the same to the byte.
"""

from __future__ import annotations

import importlib.util
import os
import re

from lxml import etree

from ...codecache import cached_value
from .ns import CT, RT, nsmap, qn
from .opc import PARSER, Package
from .package import core_properties, set_text, text_of

_RECOVER = etree.XMLParser(recover=True)  # docxtpl's parser for the filled body
_PARAGRAPH_START = re.compile(r"<w:p([ >])")
_PARAGRAPH_LINE = re.compile(r"\n<w:p([ >])")
_LISTING_CHARACTERS = ("\t", "\a", "\n", "\f")  # what docxtpl's resolve_listing rewrites
_TAGS = re.compile(r"<[^>]+>")
_W_TBL, _W_TBLGRID, _W_GRIDCOL, _W_TR, _W_TC = (qn(f"w:{t}") for t in ("tbl", "tblGrid", "gridCol", "tr", "tc"))
_W_TCPR, _W_GRIDSPAN, _W_VAL = qn("w:tcPr"), qn("w:gridSpan"), qn("w:val")
# The core properties docxtpl fills (as python-docx names their elements).
_PROPERTIES = ("dc:creator", "dc:description", "dc:identifier", "dc:language", "dc:subject", "dc:title")


def _docxtpl():  # noqa: ANN202 - a docxtpl.DocxTemplate, made only to call its text methods
    from docxtpl import DocxTemplate

    return DocxTemplate.__new__(DocxTemplate)


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


def render_part(xml: str, context: dict, env) -> str:  # noqa: ANN001 - a Jinja environment
    """One patched part filled by Jinja, then finished as docxtpl's render_xml_part does."""
    source = _PARAGRAPH_START.sub(r"\n<w:p\1", xml)
    try:
        filled = env.from_string(source).render(context)
    except Exception as exc:
        lineno = getattr(exc, "lineno", None)
        if lineno is not None:  # the text around the error, for the message
            start = max(lineno - 4, 0)
            exc.docx_context = [_TAGS.sub("", line) for line in source.splitlines()[start:start + 7]]
        raise
    filled = _PARAGRAPH_LINE.sub(r"<w:p\1", filled)
    filled = filled.replace("{_{", "{{").replace("}_}", "}}").replace("{_%", "{%").replace("%_}", "%}")
    if any(c in filled for c in _LISTING_CHARACTERS):  # else docxtpl's resolve_listing changes nothing
        filled = _docxtpl().resolve_listing(filled)
    return filled


def _tables_need_fixing(tree: etree._Element) -> bool:
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


def _body_tree(xml: str) -> etree._Element:
    tree = etree.fromstring(xml, _RECOVER)
    if tree is None:
        raise ValueError("填充后的正文不是 XML")
    if _tables_need_fixing(tree):
        return _docxtpl().fix_tables(xml)
    return tree


def fill(package: Package, body_xml: str, context: dict, env) -> int:  # noqa: ANN001
    """Fill the template's body (its XML given, as read before), headers, footers, core
    properties and footnotes; returns the last drawing id docxtpl gave (1000 + drawings)."""
    document = package.document
    root = document.element
    body = root.find(qn("w:body"))
    tree = _body_tree(render_part(patched(body_xml), context, env))
    drawing_ids = 1000
    for drawing in tree.xpath("//wp:docPr", namespaces=nsmap):
        drawing_ids += 1
        drawing.attrib["id"] = str(drawing_ids)
    root.replace(body, tree)
    for reltype in (RT.HEADER, RT.FOOTER):
        for rel in list(document.rels.values()):
            if rel.reltype != reltype or rel.is_external or not rel.target.blob:
                continue
            part = rel.target
            xml = etree.tostring(etree.fromstring(part.blob, PARSER), encoding="unicode")
            filled = render_part(patched(xml), context, env).encode("utf-8")
            part.element = etree.fromstring(filled, PARSER)
    _fill_properties(package, context, env)
    sections = len(root.xpath("./w:body/w:p/w:pPr/w:sectPr | ./w:body/w:sectPr", namespaces=nsmap))
    for _ in range(sections):  # docxtpl fills the footnotes once for each section
        for part in package.parts():
            if part.content_type == CT.WML_FOOTNOTES:
                part.blob = render_part(patched(part.blob.decode("utf-8")), context, env).encode("utf-8")
    return drawing_ids


def _fill_properties(package: Package, context: dict, env) -> None:  # noqa: ANN001
    root = core_properties(package)
    for tag in _PROPERTIES:
        set_text(root, tag, env.from_string(text_of(root, tag)).render(context))
