"""The .docx package around the rendered body: footnotes part, settings, document properties,
and a byte-identical zip for identical input (fixed entry order, timestamps and attributes).
"""

from __future__ import annotations

import html
import zipfile
from datetime import datetime
from pathlib import Path

from docx.document import Document
from docx.opc.constants import CONTENT_TYPE as CT
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.packuri import CONTENT_TYPES_URI, PACKAGE_URI, PackURI
from docx.opc.part import Part
from docx.opc.pkgwriter import _ContentTypesItem
from docx.oxml.ns import qn
from lxml import etree

from ...assemble import Report
from ...load import parse_date, source_date_epoch
from .xml import el

_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
# The r namespace is declared on the root, as Word does: readers such as docx2python look
# relationship ids up through the root's namespaces.
_EMPTY_FOOTNOTES = (
    f'<w:footnotes xmlns:w="{_W}" xmlns:r="{_R}">'
    '<w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p></w:footnote>'
    '<w:footnote w:type="continuationSeparator" w:id="0"><w:p><w:r><w:continuationSeparator/>'
    "</w:r></w:p></w:footnote></w:footnotes>"
)
# Children of w:settings that must come after w:updateFields (ECMA-376 schema order).
_AFTER_UPDATE_FIELDS = {
    "hdrShapeDefaults", "footnotePr", "endnotePr", "compat", "docVars", "rsids", "mathPr",
    "attachedSchema", "themeFontLang", "clrSchemeMapping", "doNotIncludeSubdocsInStats",
    "doNotAutoCompressPictures", "forceUpgrade", "captions", "readModeInkLockDown", "smartTagType",
    "schemaLibrary", "shapeDefaults", "doNotEmbedSmartTags", "decimalSymbol", "listSeparator",
}


def _footnotes_part(document: Document) -> Part | None:
    for rel in document.part.rels.values():
        if rel.reltype == RT.FOOTNOTES and not rel.is_external:
            return rel.target_part
    return None


def first_footnote_id(document: Document) -> int:
    """Footnote ids this document's template does not use yet."""
    part = _footnotes_part(document)
    if part is None:
        return 1
    ids = [int(n.get(qn("w:id"))) for n in etree.fromstring(part.blob).iterchildren(qn("w:footnote"))]
    return max([0, *ids]) + 1


def add_footnotes(document: Document, notes: list[etree._Element]) -> None:
    if not notes:
        return
    part = _footnotes_part(document)
    if part is None:
        part = Part(PackURI("/word/footnotes.xml"), CT.WML_FOOTNOTES, _EMPTY_FOOTNOTES.encode(),
                    document.part.package)
        document.part.relate_to(part, RT.FOOTNOTES)
    root = etree.fromstring(part.blob)
    if root.nsmap.get("r") != _R:  # a template's footnotes part without it
        fresh = etree.Element(root.tag, root.attrib, nsmap={**root.nsmap, "r": _R})
        fresh.extend(root)
        root = fresh
    root.extend(notes)
    part._blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def update_fields_on_open(document: Document) -> None:
    """Ask Word to fill the table of contents when the file is opened."""
    settings = document.settings.element
    if settings.find(qn("w:updateFields")) is not None:
        return
    flag = el("w:updateFields", {"w:val": "true"})
    for child in settings:
        if etree.QName(child).localname in _AFTER_UPDATE_FIELDS:
            child.addprevious(flag)
            return
    settings.append(flag)


def document_date(report: Report) -> datetime:
    """report.date from the facts, else SOURCE_DATE_EPOCH, else 1 January of the next year."""
    facts = report.facts
    raw = facts.get("report.date")
    if raw:  # load_facts refused a report.date that is not a date: check says so as well
        return datetime.combine(parse_date(raw), datetime.min.time())
    epoch = source_date_epoch()
    if epoch is not None:
        return epoch
    return datetime(int(facts.get("report.year")) + 1, 1, 1)


def set_properties(document: Document, report: Report, when: datetime) -> None:
    props = document.core_properties
    unit = report.cover.get("unit", "")
    props.title = report.title
    props.subject = report.framework.title
    props.author = unit
    props.last_modified_by = unit
    props.revision = 1
    props.created = when
    props.modified = when


_APP_XML = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties" '
    'xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes">'
    "<Template>{template}</Template><Application>reportkit</Application><DocSecurity>0</DocSecurity>"
    "<ScaleCrop>false</ScaleCrop><LinksUpToDate>false</LinksUpToDate><SharedDoc>false</SharedDoc>"
    "<HyperlinksChanged>false</HyperlinksChanged></Properties>"
)


def set_app_properties(document: Document, template: str = "Normal.dotm") -> None:
    """docProps/app.xml names reportkit as the application and states no page or word counts
    (the template's would be wrong; Word and WPS count again when they save)."""
    blob = _APP_XML.format(template=html.escape(template, quote=False)).encode("utf-8")
    package = document.part.package
    for rel in package.rels.values():
        if rel.reltype == RT.EXTENDED_PROPERTIES and not rel.is_external:
            rel.target_part._blob = blob
            return
    part = Part(PackURI("/docProps/app.xml"), CT.OFC_EXTENDED_PROPERTIES, blob, package)
    package.relate_to(part, RT.EXTENDED_PROPERTIES)


def save_reproducible(document: Document, path: Path, when: datetime) -> None:
    """Save with every zip entry stamped `when`, so equal input gives equal bytes.

    Written in one pass, in python-docx's own order (content types, package rels, then each
    part and its rels), rather than saved by python-docx and zipped again.
    """
    package = document.part.package
    parts = list(package.iter_parts())
    for part in parts:
        part.before_marshal()
    stamp = max(when, datetime(1980, 1, 1)).timetuple()[:6]  # the zip format starts in 1980
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out:
        def write(uri: PackURI, blob: bytes) -> None:
            entry = zipfile.ZipInfo(uri.membername, date_time=stamp)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.create_system = 0
            entry.external_attr = 0o644 << 16
            out.writestr(entry, blob)

        write(CONTENT_TYPES_URI, _ContentTypesItem.from_parts(parts).blob)
        write(PACKAGE_URI.rels_uri, package.rels.xml)
        for part in parts:
            write(part.partname, part.blob)
            if len(part.rels):
                write(part.partname.rels_uri, part.rels.xml)
