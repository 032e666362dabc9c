"""WordprocessingML namespaces, relationship types and content types (ISO/IEC 29500).

The prefixes are python-docx's, so that elements the renderer builds carry the same prefixes
as those of a template read and written by it.
"""

from __future__ import annotations

nsmap = {
    "a": "http://schemas.openxmlformats.org/drawingml/2006/main",
    "c": "http://schemas.openxmlformats.org/drawingml/2006/chart",
    "cp": "http://schemas.openxmlformats.org/package/2006/metadata/core-properties",
    "dc": "http://purl.org/dc/elements/1.1/",
    "dcmitype": "http://purl.org/dc/dcmitype/",
    "dcterms": "http://purl.org/dc/terms/",
    "dgm": "http://schemas.openxmlformats.org/drawingml/2006/diagram",
    "m": "http://schemas.openxmlformats.org/officeDocument/2006/math",
    "pic": "http://schemas.openxmlformats.org/drawingml/2006/picture",
    "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
    "sl": "http://schemas.openxmlformats.org/schemaLibrary/2006/main",
    "w": "http://schemas.openxmlformats.org/wordprocessingml/2006/main",
    "w14": "http://schemas.microsoft.com/office/word/2010/wordml",
    "wp": "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing",
    "xml": "http://www.w3.org/XML/1998/namespace",
    "xsi": "http://www.w3.org/2001/XMLSchema-instance",
}
CONTENT_TYPES_NS = "http://schemas.openxmlformats.org/package/2006/content-types"
RELATIONSHIPS_NS = "http://schemas.openxmlformats.org/package/2006/relationships"


def qn(tag: str) -> str:
    """`qn("w:p")` → "{http://…/wordprocessingml/2006/main}p" (lxml's Clark notation)."""
    prefix, local = tag.split(":")
    return f"{{{nsmap[prefix]}}}{local}"


_OFFICE = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"


class RT:
    """Relationship types."""

    CORE_PROPERTIES = "http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties"
    EXTENDED_PROPERTIES = _OFFICE + "extended-properties"
    FONT_TABLE = _OFFICE + "fontTable"
    FOOTER = _OFFICE + "footer"
    FOOTNOTES = _OFFICE + "footnotes"
    HEADER = _OFFICE + "header"
    HYPERLINK = _OFFICE + "hyperlink"
    IMAGE = _OFFICE + "image"
    OFFICE_DOCUMENT = _OFFICE + "officeDocument"
    SETTINGS = _OFFICE + "settings"
    STYLES = _OFFICE + "styles"


_WML = "application/vnd.openxmlformats-officedocument.wordprocessingml."


class CT:
    """Content types."""

    CORE_PROPERTIES = "application/vnd.openxmlformats-package.core-properties+xml"
    EXTENDED_PROPERTIES = "application/vnd.openxmlformats-officedocument.extended-properties+xml"
    RELATIONSHIPS = "application/vnd.openxmlformats-package.relationships+xml"
    XML = "application/xml"
    WML_COMMENTS = _WML + "comments+xml"
    WML_DOCUMENT_MAIN = _WML + "document.main+xml"
    WML_FONT_TABLE = _WML + "fontTable+xml"
    WML_FOOTER = _WML + "footer+xml"
    WML_FOOTNOTES = _WML + "footnotes+xml"
    WML_HEADER = _WML + "header+xml"
    WML_NUMBERING = _WML + "numbering+xml"
    WML_SETTINGS = _WML + "settings+xml"
    WML_STYLES = _WML + "styles+xml"


# Extensions written as a Default of [Content_Types].xml when their part has this content type
# (the rest are Overrides), as python-docx writes them.
DEFAULT_CONTENT_TYPES = frozenset({
    ("bin", "application/vnd.openxmlformats-officedocument.presentationml.printerSettings"),
    ("bin", "application/vnd.openxmlformats-officedocument.spreadsheetml.printerSettings"),
    ("bin", "application/vnd.openxmlformats-officedocument.wordprocessingml.printerSettings"),
    ("bmp", "image/bmp"),
    ("emf", "image/x-emf"),
    ("fntdata", "application/x-fontdata"),
    ("gif", "image/gif"),
    ("jpe", "image/jpeg"),
    ("jpeg", "image/jpeg"),
    ("jpg", "image/jpeg"),
    ("png", "image/png"),
    ("rels", CT.RELATIONSHIPS),
    ("tif", "image/tiff"),
    ("tiff", "image/tiff"),
    ("wdp", "image/vnd.ms-photo"),
    ("wmf", "image/x-wmf"),
    ("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    ("xml", CT.XML),
})
