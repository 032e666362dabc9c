"""The named Word styles the renderers use, looked up by name in the template.

Styles are found by name, not by id: a template saved by a Chinese Word has ids like "1"
or "a" for 标题 1 and 正文. A style the template lacks is copied from the default template,
so a user's own .docx still gets every element styled, and restyling stays in Word.
"""

from __future__ import annotations

import zipfile
from copy import deepcopy
from pathlib import Path

from lxml import etree

from ...ooxml import CT, RT, Package, part_or_default, qn

BODY = "Normal"
HEADINGS = ("heading 1", "heading 2", "heading 3", "heading 4")
CAPTION = "caption"
UNIT = "单位行"
QUOTE = "Quote"
LISTS = ("List", "List 2", "List 3")
CODE = "代码"
FIGURE = "图片"
RULE = "分隔线"
TABLE = "Table Grid"
TABLE_TEXT = "表格文字"
TABLE_HEAD = "表格标题"
ANNEX_TEXT = "附表文字"
ANNEX_HEAD = "附表标题"
ANNEX_NOTE = "附注"
ANNEX_MARK = "附件标识"
ANNEX_TITLE = "附件标题"
NOTE_TEXT = "footnote text"
NOTE_REF = "footnote reference"
INLINE_CODE = "行内代码"
TOC = ("toc 1", "toc 2")
FIGURE_CAPTION = "图题"
LINK = "Hyperlink"

REQUIRED = (
    BODY, *HEADINGS, CAPTION, UNIT, QUOTE, *LISTS, CODE, FIGURE, RULE, TABLE, TABLE_TEXT,
    TABLE_HEAD, ANNEX_TEXT, ANNEX_HEAD, ANNEX_NOTE, ANNEX_MARK, ANNEX_TITLE, NOTE_TEXT, NOTE_REF, INLINE_CODE, *TOC,
    FIGURE_CAPTION, LINK,
)


def _names(styles: etree._Element) -> dict[str, etree._Element]:
    found = {}
    for style in styles.iterchildren(qn("w:style")):
        name = style.find(qn("w:name"))
        if name is not None:
            found.setdefault(name.get(qn("w:val")).lower(), style)
    return found


class StyleMap:
    """Style name → style id of one document."""

    def __init__(self, styles: etree._Element):
        self._ids = {name: s.get(qn("w:styleId")) for name, s in _names(styles).items()}
        self._asked: dict[str, str] = {}  # by the name as asked for: no lower() per paragraph

    def id(self, name: str) -> str:
        found = self._asked.get(name)
        if found is None:
            found = self._asked[name] = self._ids[name.lower()]
        return found

    @classmethod
    def prepare(cls, package: Package, defaults: Path) -> StyleMap:
        """The document's styles, after copying any required style it lacks from `defaults`."""
        document = package.document
        styles = part_or_default(document, RT.STYLES, "/word/styles.xml", CT.WML_STYLES, "styles").element
        have = _names(styles)
        missing = [n for n in REQUIRED if n.lower() not in have]
        if missing:
            with zipfile.ZipFile(defaults) as package:
                source = etree.fromstring(package.read("word/styles.xml"))
            _copy_styles(styles, source, missing)
        _drop_styles_with_effects(document)
        return cls(styles)


def _drop_styles_with_effects(document) -> None:  # noqa: ANN001 - the document's Part
    """Word 2010's stylesWithEffects.xml is a copy of styles.xml that Word rebuilds on saving;
    left in place it would disagree with the styles the report adds (Word then repairs the file)."""
    rels = document.rels
    for rid in [rid for rid, rel in rels.items() if rel.reltype.endswith("/stylesWithEffects")]:
        del rels[rid]


def _copy_styles(target: etree._Element, source: etree._Element, names: list[str]) -> None:
    have = _names(target)
    ids = {s.get(qn("w:styleId")) for s in target.iterchildren(qn("w:style"))}
    offer = _names(source)
    by_id = {s.get(qn("w:styleId")): name for name, s in offer.items()}

    def copy(name: str) -> str:
        key = name.lower()
        if key in have:
            return have[key].get(qn("w:styleId"))
        style = deepcopy(offer[key])
        style.attrib.pop(qn("w:default"), None)  # the user's template keeps its own defaults
        for tag in ("w:next", "w:link"):  # may point at styles the target does not have
            for child in style.findall(qn(tag)):
                style.remove(child)
        based = style.find(qn("w:basedOn"))
        if based is not None:
            based.set(qn("w:val"), copy(by_id[based.get(qn("w:val"))]))
        sid = style.get(qn("w:styleId"))
        while sid in ids:  # the id is taken by a different style of the user's template
            sid += "1"
        style.set(qn("w:styleId"), sid)
        ids.add(sid)
        target.append(style)
        have[key] = style
        return sid

    for name in names:
        copy(name)
