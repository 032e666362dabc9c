"""The template's placeholders filled as docxtpl fills them (docxtpl's own steps, in its order:
body, headers, footers, core properties, footnotes), so that the file is the same to the byte;
the rewriting of the template into Jinja and the rare finishing steps are ooxml/tags.py's.
"""

from __future__ import annotations

import re

from lxml import etree

from ...ooxml import (
    CT,
    PARSER,
    Package,
    finish_listing,
    fix_tables,
    headers_and_footers,
    nsmap,
    part_xml,
    patched,
    tables_need_fixing,
)
from .package import core_properties, set_text, text_of

_RECOVER = etree.XMLParser(recover=True)  # docxtpl's parser for the filled body
_PARAGRAPH_START = re.compile(r"<w:p([ >])")
_PARAGRAPH_LINE = re.compile(r"\n<w:p([ >])")
_TAGS = re.compile(r"<[^>]+>")
# The core properties docxtpl fills (as python-docx names their elements).
_PROPERTIES = ("dc:creator", "dc:description", "dc:identifier", "dc:language", "dc:subject", "dc:title")


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
    return finish_listing(filled)


def _body_tree(xml: str) -> etree._Element:
    tree = etree.fromstring(xml, _RECOVER)
    if tree is None:
        raise ValueError("填充后的正文不是 XML")
    if tables_need_fixing(tree):
        return fix_tables(xml)
    return tree


def fill(package: Package, body_xml: str, context: dict, env) -> int:  # noqa: ANN001
    """Fill the template's body (its XML given, as read before), headers, footers, core
    properties and footnotes; returns the last drawing id docxtpl gave (1000 + drawings)."""
    root = package.document.element
    tree = _body_tree(render_part(patched(body_xml), context, env))
    drawing_ids = 1000
    for drawing in tree.xpath("//wp:docPr", namespaces=nsmap):
        drawing_ids += 1
        drawing.attrib["id"] = str(drawing_ids)
    root.replace(package.body, tree)
    for part in headers_and_footers(package):
        filled = render_part(patched(part_xml(part)), context, env).encode("utf-8")
        part.element = etree.fromstring(filled, PARSER)
    _fill_properties(package, context, env)
    sections = len(root.xpath("./w:body/w:p/w:pPr/w:sectPr | ./w:body/w:sectPr", namespaces=nsmap))
    footnotes = [part for part in package.parts() if part.content_type == CT.WML_FOOTNOTES]
    for _ in range(sections):  # docxtpl fills the footnotes once for each section
        for part in footnotes:
            part.blob = render_part(patched(part.blob.decode("utf-8")), context, env).encode("utf-8")
    return drawing_ids


def _fill_properties(package: Package, context: dict, env) -> None:  # noqa: ANN001
    root = core_properties(package)
    for tag in _PROPERTIES:
        set_text(root, tag, env.from_string(text_of(root, tag)).render(context))
