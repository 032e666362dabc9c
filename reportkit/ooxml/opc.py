"""The .docx package (Open Packaging Conventions): parts, relationships, content types.

A template is read as python-docx reads it, and the report written as python-docx writes it,
byte for byte: the parts reachable from the package's relationships, in depth-first order; the
XML parts python-docx parses (document, styles, settings, numbering, headers, footers, comments,
core properties) parsed without blank text and serialised again on saving, every other part
kept as its bytes. python-docx itself is not imported: its element classes took a fifth of a
small build to set up, and the renderer builds plain lxml elements.
"""

from __future__ import annotations

import hashlib
import importlib.util
import posixpath
import re
import zipfile
from datetime import datetime
from pathlib import Path

from lxml import etree

from .ns import CONTENT_TYPES_NS, CT, DEFAULT_CONTENT_TYPES, RELATIONSHIPS_NS, RT, qn

# python-docx's parser: no blank text between elements, no entities resolved.
PARSER = etree.XMLParser(remove_blank_text=True, resolve_entities=False)
XML_PART_TYPES = frozenset({
    CT.CORE_PROPERTIES, CT.WML_COMMENTS, CT.WML_DOCUMENT_MAIN, CT.WML_FOOTER, CT.WML_HEADER,
    CT.WML_NUMBERING, CT.WML_SETTINGS, CT.WML_STYLES,
})
_PARTNAME_INDEX = re.compile("([a-zA-Z]+)([1-9][0-9]*)?")
# Parts kept as bytes whose XML the Word renderer reads later: a broken one is refused on opening.
_READ_LATER = (RT.FONT_TABLE, RT.FOOTNOTES)
_BODY = qn("w:body")


class PackageError(ValueError):
    """The file is not a Word package (not a zip, a part missing, no document)."""


def serialize(element: etree._Element) -> bytes:
    return etree.tostring(element, encoding="UTF-8", standalone=True)


def _base(partname: str) -> str:
    return posixpath.split(partname)[0]


def _extension(partname: str) -> str:
    ext = posixpath.splitext(partname)[1]
    return ext[1:] if ext.startswith(".") else ext


def partname_index(partname: str) -> int | None:
    """21 for "/word/media/image21.png"; None for a name without a number."""
    stem = posixpath.splitext(posixpath.split(partname)[1])[0]
    match = _PARTNAME_INDEX.match(stem)
    return int(match.group(2)) if match and match.group(2) else None


def rels_name(partname: str) -> str:
    """"/word/_rels/document.xml.rels" for "/word/document.xml"; "/_rels/.rels" for "/"."""
    base, name = posixpath.split(partname)
    return posixpath.join(base, "_rels", f"{name}.rels")


class Rel:
    __slots__ = ("rid", "reltype", "target", "is_external")

    def __init__(self, rid: str, reltype: str, target: Part | str, is_external: bool):
        self.rid, self.reltype, self.target, self.is_external = rid, reltype, target, is_external

    def target_ref(self, base: str) -> str:
        if self.is_external:
            return self.target
        name = self.target.partname
        return name[1:] if base == "/" else posixpath.relpath(name, base)


class Rels(dict):
    """rId → Rel of one part or of the package, in the order read or added."""

    def __init__(self, base: str):
        super().__init__()
        self.base = base

    def add(self, reltype: str, target: Part | str, rid: str, is_external: bool = False) -> Rel:
        rel = self[rid] = Rel(rid, reltype, target, is_external)
        return rel

    def get_or_add(self, reltype: str, target: Part | str, is_external: bool = False) -> str:
        """The rId of the relationship of this type to `target`, added if there is none."""
        for rel in self.values():
            if rel.reltype == reltype and rel.is_external == is_external and rel.target == target:
                return rel.rid
        # the first free rId, gaps used first
        rid = next(f"rId{n}" for n in range(1, len(self) + 2) if f"rId{n}" not in self)
        return self.add(reltype, target, rid, is_external).rid

    def first(self, reltype: str) -> Part | None:
        """The part of the first internal relationship of this type."""
        return next((r.target for r in self.values() if r.reltype == reltype and not r.is_external), None)

    def xml(self) -> bytes:
        root = etree.fromstring(f'<Relationships xmlns="{RELATIONSHIPS_NS}"/>', PARSER)
        for rel in self.values():
            child = etree.fromstring(f'<Relationship xmlns="{RELATIONSHIPS_NS}"/>', PARSER)
            child.set("Id", rel.rid)
            child.set("Type", rel.reltype)
            child.set("Target", rel.target_ref(self.base))
            if rel.is_external:
                child.set("TargetMode", "External")
            root.append(child)
        return serialize(root)


class Part:
    """One part: its bytes, or (an XML part) its parsed root element, and its relationships."""

    def __init__(self, partname: str, content_type: str, blob: bytes = b"",
                 element: etree._Element | None = None):
        self.partname = partname
        self.content_type = content_type
        self._blob = blob
        self.element = element
        self.rels = Rels(_base(partname))
        self._image = None

    @property
    def blob(self) -> bytes:
        return serialize(self.element) if self.element is not None else self._blob

    @blob.setter
    def blob(self, value: bytes) -> None:
        self._blob, self.element = value, None

    def relate_to(self, target: Part | str, reltype: str, is_external: bool = False) -> str:
        return self.rels.get_or_add(reltype, target, is_external)


class Package:
    def __init__(self) -> None:
        self.rels = Rels("/")
        self.images: list[Part] = []  # image parts, for reusing one added twice

    def parts(self) -> list[Part]:
        """Every part reachable from the package's relationships, depth first."""
        found: list[Part] = []
        seen: set[int] = set()

        def walk(rels: Rels) -> None:
            for rel in rels.values():
                if rel.is_external or id(rel.target) in seen:
                    continue
                seen.add(id(rel.target))
                found.append(rel.target)
                walk(rel.target.rels)

        walk(self.rels)
        return found

    @property
    def document(self) -> Part:
        return self.rels.first(RT.OFFICE_DOCUMENT)

    @property
    def body(self) -> etree._Element:
        """The document's w:body (a new element once the template is filled)."""
        return self.document.element.find(_BODY)

    # -- pictures ------------------------------------------------------------------------

    def add_image(self, source: Part, path: str):  # noqa: ANN201 - a python-docx Image
        """The rId relating `source` to the picture at `path` and the picture's header.

        A picture already in the package (same bytes) is reused. Reading a picture's size and
        resolution takes python-docx's image readers, imported here only (a report without
        pictures does not load them).
        """
        from docx.image.image import Image

        image = Image.from_file(path)
        part = next((p for p in self.images if hashlib.sha1(p.blob).hexdigest() == image.sha1), None)
        if part is None:
            used = [partname_index(p.partname) for p in self.images]
            n = next((k for k in range(1, len(self.images) + 1) if k not in used), len(self.images) + 1)
            part = Part(f"/word/media/image{n}.{image.ext}", image.content_type, image.blob)
            part._image = image
            self.images.append(part)
        elif part._image is None:
            part._image = Image.from_blob(part.blob)
        return source.relate_to(part, RT.IMAGE), part._image

    # -- writing -------------------------------------------------------------------------

    def content_types(self, parts: list[Part]) -> bytes:
        defaults = {"rels": CT.RELATIONSHIPS, "xml": CT.XML}
        overrides = {}
        for part in parts:
            ext = _extension(part.partname)
            if (ext.lower(), part.content_type) in DEFAULT_CONTENT_TYPES:
                defaults[ext.lower()] = part.content_type
            else:
                overrides[part.partname] = part.content_type
        root = etree.fromstring(f'<Types xmlns="{CONTENT_TYPES_NS}"/>', PARSER)
        for ext in sorted(defaults):
            child = etree.fromstring(f'<Default xmlns="{CONTENT_TYPES_NS}"/>', PARSER)
            child.set("Extension", ext)
            child.set("ContentType", defaults[ext])
            root.append(child)
        for name in sorted(overrides):
            child = etree.fromstring(f'<Override xmlns="{CONTENT_TYPES_NS}"/>', PARSER)
            child.set("PartName", name)
            child.set("ContentType", overrides[name])
            root.append(child)
        return serialize(root)

    def save(self, path: Path, when: datetime) -> None:
        """Write the package with every zip entry stamped `when`: equal input, equal bytes."""
        parts = self.parts()
        stamp = max(when, datetime(1980, 1, 1)).timetuple()[:6]  # the zip format starts in 1980
        with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out:
            def write(name: str, blob: bytes) -> None:
                entry = zipfile.ZipInfo(name[1:], date_time=stamp)
                entry.compress_type = zipfile.ZIP_DEFLATED
                entry.create_system = 0
                entry.external_attr = 0o644 << 16
                out.writestr(entry, blob)

            write("/[Content_Types].xml", self.content_types(parts))
            write(rels_name("/"), self.rels.xml())
            for part in parts:
                write(part.partname, part.blob)
                if part.rels:
                    write(rels_name(part.partname), part.rels.xml())


def open_package(path: Path) -> Package:
    """The package at `path`, read as python-docx reads it; PackageError if it is not one."""
    try:
        with zipfile.ZipFile(path) as archive:
            return _read(archive)
    except (zipfile.BadZipFile, KeyError, OSError, etree.XMLSyntaxError, EOFError) as exc:
        raise PackageError(str(exc)) from None


def _read(archive: zipfile.ZipFile) -> Package:
    types = etree.fromstring(archive.read("[Content_Types].xml"), PARSER)
    overrides = {o.get("PartName").lower(): o.get("ContentType")
                 for o in types.iterchildren(f"{{{CONTENT_TYPES_NS}}}Override")}
    defaults = {d.get("Extension").lower(): d.get("ContentType")
                for d in types.iterchildren(f"{{{CONTENT_TYPES_NS}}}Default")}

    def content_type(partname: str) -> str:
        found = overrides.get(partname.lower()) or defaults.get(_extension(partname).lower())
        if found is None:
            raise KeyError(f"no content type for partname '{partname}' in [Content_Types].xml")
        return found

    def relationships(partname: str) -> list[tuple[str, str, str, bool]]:
        try:
            xml = archive.read(rels_name(partname)[1:])
        except KeyError:
            return []
        base = _base(partname)
        found = []
        for rel in etree.fromstring(xml, PARSER).iterchildren(f"{{{RELATIONSHIPS_NS}}}Relationship"):
            external = rel.get("TargetMode", "Internal") == "External"
            target = rel.get("Target")
            if not external:
                target = posixpath.abspath(posixpath.join(base, target))
            found.append((rel.get("Id"), rel.get("Type"), target, external))
        return found

    package = Package()
    parts: dict[str, Part] = {}
    # Parts are read in python-docx's order (depth first); the relationships of each source
    # (the package, then each part) are resolved once every part is known.
    sources: list[tuple[Rels, list]] = [(package.rels, relationships("/"))]

    def visit(rels_of: list) -> None:
        for _, reltype, target, external in rels_of:
            if external or target in parts:
                continue
            ctype = content_type(target)
            blob = archive.read(target[1:])
            if reltype == RT.IMAGE:
                part = Part(target, ctype, blob)
            elif ctype in XML_PART_TYPES:
                part = Part(target, ctype, element=etree.fromstring(blob, PARSER))
            else:
                part = Part(target, ctype, blob)
            parts[target] = part
            own = relationships(target)
            sources.append((part.rels, own))
            visit(own)

    visit(sources[0][1])
    for rels, rels_of in sources:
        for rid, reltype, target, external in rels_of:
            rels.add(reltype, target if external else parts[target], rid, external)
    for part in package.parts():  # python-docx gathers them in relationship order
        for rel in part.rels.values():
            if rel.reltype == RT.IMAGE and not rel.is_external and rel.target not in package.images:
                package.images.append(rel.target)
    document = package.document
    if document is None:
        raise PackageError("no relationship of type officeDocument")
    if document.content_type != CT.WML_DOCUMENT_MAIN:
        raise PackageError(f"not a Word file, content type is '{document.content_type}'")
    if package.body is None:
        raise PackageError("the document has no w:body")
    for reltype in _READ_LATER:
        part = document.rels.first(reltype)
        if part is not None:
            etree.fromstring(part.blob)
    return package


def default_part_xml(name: str) -> bytes:
    """python-docx's default settings or styles XML (templates/default-NAME.xml in its
    package), for a template that has none, read without importing python-docx."""
    spec = importlib.util.find_spec("docx")
    folder = Path(next(iter(spec.submodule_search_locations)))
    return (folder / "templates" / f"default-{name}.xml").read_bytes()


def part_or_default(document: Part, reltype: str, partname: str, content_type: str, name: str) -> Part:
    """The document's part of this type, or python-docx's default one added to it."""
    part = document.rels.first(reltype)
    if part is None:
        part = Part(partname, content_type, element=etree.fromstring(default_part_xml(name), PARSER))
        document.relate_to(part, reltype)
    return part

