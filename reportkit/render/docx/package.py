"""The .docx package around the rendered body: footnotes part, settings, document properties
(the zip itself is written by opc.Package.save).
"""

from __future__ import annotations

import html
from datetime import UTC, datetime

from lxml import etree

from ...assemble import Report
from ...load import parse_date, source_date_epoch
from ...ooxml import CT, PARSER, RT, Package, Part, nsmap, part_or_default, qn
from .xml import el

_W, _R = nsmap["w"], nsmap["r"]
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


def _footnotes_part(package: Package) -> Part | None:
    return package.document.rels.first(RT.FOOTNOTES)


def first_footnote_id(package: Package) -> int:
    """Footnote ids this document's template does not use yet."""
    part = _footnotes_part(package)
    if part is None:
        return 1
    ids = [int(n.get(qn("w:id"))) for n in etree.fromstring(part.blob).iterchildren(qn("w:footnote"))]
    return max([0, *ids]) + 1


def add_footnotes(package: Package, notes: list[etree._Element]) -> None:
    if not notes:
        return
    part = _footnotes_part(package)
    if part is None:
        part = Part("/word/footnotes.xml", CT.WML_FOOTNOTES, _EMPTY_FOOTNOTES.encode())
        package.document.relate_to(part, RT.FOOTNOTES)
    root = etree.fromstring(part.blob)
    if root.nsmap.get("r") != _R:  # a template's footnotes part without it
        fresh = etree.Element(root.tag, root.attrib, nsmap={**root.nsmap, "r": _R})
        fresh.extend(root)
        root = fresh
    root.extend(notes)
    part.blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def update_fields_on_open(package: Package) -> None:
    """Ask Word to fill the table of contents when the file is opened."""
    settings = part_or_default(package.document, RT.SETTINGS, "/word/settings.xml", CT.WML_SETTINGS,
                               "settings").element
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


def set_properties(package: Package, report: Report, when: datetime) -> None:
    props = core_properties(package)
    unit = report.cover.get("unit", "")
    set_text(props, "dc:title", report.title)
    set_text(props, "dc:subject", report.framework.title)
    set_text(props, "dc:creator", unit)
    set_text(props, "cp:lastModifiedBy", unit)
    set_text(props, "cp:revision", "1")
    set_datetime(props, "dcterms:created", when)
    set_datetime(props, "dcterms:modified", when)


# -- core properties (docProps/core.xml), written as python-docx writes them ------------------

def core_properties(package: Package) -> etree._Element:
    """The package's cp:coreProperties; python-docx's default one added if it has none."""
    part = package.rels.first(RT.CORE_PROPERTIES)
    if part is None:
        element = etree.fromstring(
            f'<cp:coreProperties xmlns:cp="{nsmap["cp"]}" xmlns:dc="{nsmap["dc"]}" '
            f'xmlns:dcterms="{nsmap["dcterms"]}"/>\n', PARSER)
        part = Part("/docProps/core.xml", CT.CORE_PROPERTIES, element=element)
        set_text(element, "dc:title", "Word Document")
        set_text(element, "cp:lastModifiedBy", "python-docx")
        set_text(element, "cp:revision", "1")
        set_datetime(element, "dcterms:modified", datetime.now(UTC))
        package.rels.get_or_add(RT.CORE_PROPERTIES, part)
    return part.element


def _property(root: etree._Element, tag: str) -> etree._Element:
    child = root.find(qn(tag))
    if child is None:
        prefix = tag.partition(":")[0]
        child = PARSER.makeelement(qn(tag), nsmap={prefix: nsmap[prefix]})
        root.append(child)
    return child


def text_of(root: etree._Element, tag: str) -> str:
    child = root.find(qn(tag))
    return "" if child is None or child.text is None else child.text


def set_text(root: etree._Element, tag: str, value: str) -> None:
    if len(value) > 255:  # python-docx's limit
        raise ValueError(f"exceeded 255 char limit for property, got:\n\n'{value}'")
    _property(root, tag).text = value


def set_datetime(root: etree._Element, tag: str, when: datetime) -> None:
    child = _property(root, tag)
    child.text = when.strftime("%Y-%m-%dT%H:%M:%SZ")
    if tag in ("dcterms:created", "dcterms:modified"):
        # The xsi namespace declared on the root (python-docx's way), not on each element.
        root.set(qn("xsi:foo"), "bar")
        child.set(qn("xsi:type"), "dcterms:W3CDTF")
        del root.attrib[qn("xsi:foo")]


_APP_XML = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties" '
    'xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes">'
    "<Template>{template}</Template><Application>reportkit</Application><DocSecurity>0</DocSecurity>"
    "<ScaleCrop>false</ScaleCrop><LinksUpToDate>false</LinksUpToDate><SharedDoc>false</SharedDoc>"
    "<HyperlinksChanged>false</HyperlinksChanged></Properties>"
)


def set_app_properties(package: Package, template: str = "Normal.dotm") -> None:
    """docProps/app.xml names reportkit as the application and states no page or word counts
    (the template's would be wrong; Word and WPS count again when they save)."""
    blob = _APP_XML.format(template=html.escape(template, quote=False)).encode("utf-8")
    part = package.rels.first(RT.EXTENDED_PROPERTIES)
    if part is not None:
        part.blob = blob
        return
    package.rels.get_or_add(RT.EXTENDED_PROPERTIES, Part("/docProps/app.xml", CT.EXTENDED_PROPERTIES, blob))
