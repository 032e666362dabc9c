"""The font table (word/fontTable.xml) of the official fonts, with the alternates Word falls back to.

仿宋_GB2312, 楷体_GB2312 and 方正小标宋简体 are missing on many Windows machines. Without a font
table entry Word picks an arbitrary substitute; with `w:altName`, the GB2312 charset, the PANOSE
class and the Unicode ranges it takes 仿宋, 楷体 or 宋体, as a hand-made report would show.
"""

from __future__ import annotations

from lxml import etree

from ...ooxml import CT, RT, Package, Part, nsmap, qn

# Unicode-range and code-page bits (w:sig) of a GB2312 font: CJK ideographs and punctuation,
# code page 936.
_SIG_GB = ("00000001", "080E0000", "00000010", "00000000", "00040000", "00000000")
_SIG_LATIN = ("E0002EFF", "C000785B", "00000009", "00000000", "000001FF", "00000000")

# name, alternate, PANOSE, charset, family, pitch, signature
FONTS: tuple[tuple[str, str | None, str, str, str, str, tuple[str, ...]], ...] = (
    ("Times New Roman", None, "02020603050405020304", "00", "roman", "variable", _SIG_LATIN),
    ("仿宋_GB2312", "仿宋", "02010609030101010101", "86", "modern", "fixed", _SIG_GB),
    ("仿宋", "FangSong", "02010609060101010101", "86", "modern", "fixed", _SIG_GB),
    ("楷体_GB2312", "楷体", "02010609030101010101", "86", "modern", "fixed", _SIG_GB),
    ("楷体", "KaiTi", "02010609060101010101", "86", "modern", "fixed", _SIG_GB),
    ("黑体", "SimHei", "02010609060101010101", "86", "modern", "fixed", _SIG_GB),
    ("宋体", "SimSun", "02010600030101010101", "86", "auto", "variable", _SIG_GB),
    ("方正小标宋简体", "宋体", "02000000000000000000", "86", "auto", "variable", _SIG_GB),
    ("Courier New", None, "02070309020205020404", "00", "modern", "fixed", _SIG_LATIN),
)


def font_element(name, alt, panose, charset, family, pitch, sig) -> etree._Element:
    """One w:font, children in schema order (altName, panose1, charset, family, pitch, sig)."""
    font = etree.Element(qn("w:font"), {qn("w:name"): name})
    if alt:
        etree.SubElement(font, qn("w:altName"), {qn("w:val"): alt})
    etree.SubElement(font, qn("w:panose1"), {qn("w:val"): panose})
    etree.SubElement(font, qn("w:charset"), {qn("w:val"): charset})
    etree.SubElement(font, qn("w:family"), {qn("w:val"): family})
    etree.SubElement(font, qn("w:pitch"), {qn("w:val"): pitch})
    keys = ("usb0", "usb1", "usb2", "usb3", "csb0", "csb1")
    etree.SubElement(font, qn("w:sig"), {qn(f"w:{k}"): v for k, v in zip(keys, sig, strict=True)})
    return font


def font_table_xml() -> bytes:
    root = etree.Element(qn("w:fonts"), nsmap={"w": nsmap["w"], "r": nsmap["r"]})
    root.extend(font_element(*spec) for spec in FONTS)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def ensure_font_table(package: Package) -> None:
    """Give the document a font table, and the official fonts an entry in it where missing.

    A template saved by Word has a font table of its own; its entries are kept as they are.
    """
    document = package.document
    part = document.rels.first(RT.FONT_TABLE)
    if part is None:
        document.relate_to(Part("/word/fontTable.xml", CT.WML_FONT_TABLE, font_table_xml()), RT.FONT_TABLE)
        return
    root = etree.fromstring(part.blob)
    have = {f.get(qn("w:name")) for f in root.iterchildren(qn("w:font"))}
    missing = [spec for spec in FONTS if spec[0] not in have]
    if missing:
        root.extend(font_element(*spec) for spec in missing)
        part.blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
