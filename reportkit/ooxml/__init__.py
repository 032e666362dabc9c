"""Word files as packages of XML parts, read and written as python-docx does (without it), and
docxtpl's placeholder syntax: shared by the loader (which checks a template's placeholders)
and the Word renderer (which fills them). A foundation, like numbers and codecache: it uses
no stage.
"""

from ..exports import lazy

_EXPORTS = {
    "CT": ".ns",
    "RT": ".ns",
    "nsmap": ".ns",
    "qn": ".ns",
    "PARSER": ".opc",
    "Package": ".opc",
    "PackageError": ".opc",
    "Part": ".opc",
    "open_package": ".opc",
    "part_or_default": ".opc",
    "finish_listing": ".tags",
    "fix_tables": ".tags",
    "headers_and_footers": ".tags",
    "part_xml": ".tags",
    "patched": ".tags",
    "tables_need_fixing": ".tags",
}

__getattr__, __all__ = lazy(__name__, _EXPORTS)
