"""Section bodies: markdown-it tokens → Word paragraphs and tables, each with a named style.

One small method per token type (`on_<type>`), as markdown-it's own renderer does. Inline emphasis
is run formatting (it belongs to the words); everything else is a paragraph style, so a user
who restyles 正文 or 表格文字 in the template restyles every section.
"""

from __future__ import annotations

import re
import struct
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote

from docx.image.exceptions import InvalidImageStreamError, UnrecognizedImageError
from docx.oxml.ns import qn
from docx.oxml.shape import CT_Inline
from docx.parts.document import DocumentPart
from lxml import etree
from markdown_it.token import Token

from ...assemble import CAPTION_RE, UNIT_RE, is_cjk, item_number, plain_text
from . import styles as S
from .styles import StyleMap
from .xml import (
    EMU_PER_TWIP,
    break_run,
    cell,
    close_cell,
    el,
    paragraph,
    row,
    run_props,
    table,
    text_paragraph,
    text_run,
)

MAX_IMAGE_BYTES = 10 * 1024 * 1024
MAX_PICTURE_HEIGHT = 200 * 36000  # EMU: 200 mm, inside the 225 mm text height of A4
BULLETS = ("•", "◦", "▪")
_URL_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:|^//")
_BAD_IMAGE = (UnrecognizedImageError, InvalidImageStreamError, OSError, ValueError, struct.error,
              IndexError, ZeroDivisionError)
_MARKS = ("strong", "em", "s")


@dataclass
class Story:
    """What all section bodies of one document share: styles, pictures, footnotes."""

    part: DocumentPart
    styles: StyleMap
    root: Path  # the report folder: pictures must lie inside it
    text_width: int  # twips
    next_footnote: int = 1
    footnotes: list[etree._Element] = field(default_factory=list)
    next_shape: int = 1

    def __post_init__(self) -> None:
        self.root = self.root.resolve()


def render_tokens(tokens: list[Token], story: Story, base: Path) -> list[etree._Element]:
    """The body elements of one section; `base` is the folder relative links start from."""
    writer = _Writer(story, base, _footnote_bodies(tokens))
    writer.walk(tokens)
    return writer.out


def render_paragraphs(texts: list[str], story: Story) -> list[etree._Element]:
    """Generated prose (chapter 四) as body paragraphs."""
    return [text_paragraph(story.styles.id(S.BODY), text) for text in texts]


def _footnote_bodies(tokens: list[Token]) -> dict[int, list[Token]]:
    bodies: dict[int, list[Token]] = {}
    current: list[Token] | None = None
    for tok in tokens:
        if tok.type == "footnote_open":
            current = bodies.setdefault(tok.meta["id"], [])
        elif tok.type == "footnote_close":
            current = None
        elif current is not None and tok.type != "footnote_anchor":
            current.append(tok)
    return bodies


def _align(tok: Token) -> str | None:
    style = str(tok.attrGet("style") or "")
    for css, word in (("left", "left"), ("center", "center"), ("right", "right")):
        if f"text-align:{css}" in style:
            return word
    return None


class _Writer:
    def __init__(self, story: Story, base: Path, notes: dict[int, list[Token]],
                 sink: etree._Element | None = None):
        self.story = story
        self.styles = story.styles
        self.base = base
        self.notes = notes
        self.out: list[etree._Element] = []
        self.sinks: list = [self.out if sink is None else sink]  # where block elements go
        self.in_note = sink is not None
        self.note_mark = self.in_note  # a footnote's first paragraph starts with its number
        self.lists: list[list] = []  # [ordered, last number] per open list
        self.quotes = 0
        self.cell: tuple[bool, str | None] | None = None  # (header row, alignment)
        self.header = False
        self.tables: list[tuple[etree._Element, int]] = []  # (table, column width)
        self.p: etree._Element | None = None
        self.label: str | None = None  # list label waiting for the item's first paragraph
        self.tokens: list[Token] = []
        self.pictures: dict[int, etree._Element | None] = {}  # by id() of the image token

    # -- driving -------------------------------------------------------------------------

    def walk(self, tokens: list[Token]) -> None:
        self.tokens = tokens
        in_footnotes = 0  # footnote definitions are rendered where they are referenced
        for i, tok in enumerate(tokens):
            if tok.type == "footnote_block_open":
                in_footnotes += 1
            elif tok.type == "footnote_block_close":
                in_footnotes -= 1
            elif not in_footnotes:
                handler = getattr(self, "on_" + tok.type, None)
                if handler is not None:
                    handler(i, tok)
                elif tok.children:
                    self.on_inline(i, tok)
                elif tok.content:  # a block type this renderer does not know: keep its text
                    self.on_code_block(i, tok)
        self._flush_label()

    def _style(self) -> str:
        if self.cell:
            return S.TABLE_HEAD if self.cell[0] else S.TABLE_TEXT
        if self.in_note:
            return S.NOTE_TEXT
        if self.lists:
            return S.LISTS[min(len(self.lists), len(S.LISTS)) - 1]
        if self.quotes:
            return S.QUOTE
        return S.BODY

    def _new_p(self, style: str, align: str | None = None) -> etree._Element:
        p = paragraph(self.styles.id(style), align)
        self.sinks[-1].append(p)
        if self.note_mark:
            p.append(el("w:r", None, run_props(self.styles.id(S.NOTE_REF)), el("w:footnoteRef")))
            p.append(text_run(" "))
            self.note_mark = False
        if self.label:
            p.append(text_run(self.label))
            self.label = None
        self.p = p
        return p

    def _end_p(self, i: int = 0, tok: Token | None = None) -> None:
        self.p = None

    def _flush_label(self) -> None:
        if self.label:  # a list item that starts with no paragraph of its own
            self._new_p(self._style())
            self.p = None

    # -- blocks --------------------------------------------------------------------------

    def on_paragraph_open(self, i: int, tok: Token) -> None:
        style = self._style()
        inline = self.tokens[i + 1]
        if style == S.BODY:
            text = inline.content.strip()
            if UNIT_RE.match(text):
                style = S.UNIT
            elif CAPTION_RE.match(text) and self._table_follows(i + 3):
                style = S.CAPTION
        if not self.cell and self._has_picture(inline):
            style = S.FIGURE  # exact line spacing would clip the picture
        self._new_p(style)

    on_paragraph_close = _end_p
    on_heading_close = _end_p

    def _table_follows(self, j: int) -> bool:
        t = self.tokens
        if j < len(t) and t[j].type == "table_open":
            return True
        return (j + 3 < len(t) and t[j].type == "paragraph_open"
                and bool(UNIT_RE.match(t[j + 1].content.strip())) and t[j + 3].type == "table_open")

    def on_heading_open(self, i: int, tok: Token) -> None:
        # Inside a section: author `#` is a "1." heading, `##` and deeper "（1）".
        self._new_p(S.HEADINGS[2] if tok.tag == "h1" else S.HEADINGS[3])

    def on_bullet_list_open(self, i: int, tok: Token) -> None:
        self._flush_label()
        self.lists.append([False, 0])

    def on_ordered_list_open(self, i: int, tok: Token) -> None:
        self._flush_label()
        self.lists.append([True, int(tok.attrGet("start") or 1) - 1])

    def _list_close(self, i: int, tok: Token) -> None:
        self._flush_label()
        self.lists.pop()
        self.p = None

    on_bullet_list_close = _list_close
    on_ordered_list_close = _list_close

    def on_list_item_open(self, i: int, tok: Token) -> None:
        self._flush_label()
        state = self.lists[-1]
        if state[0]:
            # The number the author typed: Chinese reports number by literal text, and
            # "2. …" then "1. …" must not print as 2, 3.
            state[1] = item_number(tok, state[1])
            # "1." as written gives "1."; "1)" gives the Chinese "（1）".
            self.label = f"（{state[1]}）" if tok.markup == ")" else f"{state[1]}. "
        else:
            self.label = BULLETS[min(len(self.lists), len(BULLETS)) - 1] + " "

    def on_list_item_close(self, i: int, tok: Token) -> None:
        self._flush_label()
        self.p = None

    def on_blockquote_open(self, i: int, tok: Token) -> None:
        self.quotes += 1

    def on_blockquote_close(self, i: int, tok: Token) -> None:
        self.quotes -= 1

    def on_code_block(self, i: int, tok: Token) -> None:
        p = self._new_p(S.CODE)
        text = tok.content[:-1] if tok.content.endswith("\n") else tok.content
        if text:
            p.append(text_run(text))
        self.p = None

    on_fence = on_code_block
    on_html_block = on_code_block  # raw HTML is shown as text, never interpreted

    def on_hr(self, i: int, tok: Token) -> None:
        self._new_p(S.RULE)
        self.p = None

    def on_footnote_anchor(self, i: int, tok: Token) -> None:
        pass  # the back-link of an HTML footnote; Word links footnotes itself

    # -- tables --------------------------------------------------------------------------

    def on_table_open(self, i: int, tok: Token) -> None:
        self._flush_label()
        sink = self.sinks[-1]
        if len(sink) and sink[-1].tag == qn("w:tbl"):
            sink.append(paragraph(self.styles.id(self._style())))  # or Word joins the tables
        columns = 0
        for t in self.tokens[i:]:
            if t.type == "tr_close":
                break
            columns += t.type in ("th_open", "td_open")
        width = self.story.text_width // max(columns, 1)
        tbl = table(self.styles.id(S.TABLE), [width] * max(columns, 1))
        sink.append(tbl)
        self.tables.append((tbl, width))
        self.p = None

    def on_table_close(self, i: int, tok: Token) -> None:
        self.tables.pop()
        self.p = None

    def on_thead_open(self, i: int, tok: Token) -> None:
        self.header = True

    def on_thead_close(self, i: int, tok: Token) -> None:
        self.header = False

    def on_tr_open(self, i: int, tok: Token) -> None:
        self.tables[-1][0].append(row(self.header))

    def on_th_open(self, i: int, tok: Token) -> None:
        tbl, width = self.tables[-1]
        tc = cell(width)
        tbl[-1].append(tc)
        self.sinks.append(tc)
        self.cell = (self.header, _align(tok))
        self._new_p(self._style(), self.cell[1])

    on_td_open = on_th_open

    def on_th_close(self, i: int, tok: Token) -> None:
        close_cell(self.sinks.pop(), self.styles.id(self._style()))
        self.cell = None
        self.p = None

    on_td_close = on_th_close

    # -- inline --------------------------------------------------------------------------

    def on_inline(self, i: int, tok: Token) -> None:
        if self.p is None:
            self._new_p(self._style(), self.cell[1] if self.cell else None)
        children = tok.children or []
        marks = dict.fromkeys(_MARKS, 0)
        for k, c in enumerate(children):
            kind = c.type
            if kind == "softbreak":
                before = children[k - 1].content[-1:] if k else ""
                after = children[k + 1].content[:1] if k + 1 < len(children) else ""
                self._text("" if is_cjk(before) and is_cjk(after) else " ", marks)  # 中文换行不加空格
            elif kind == "hardbreak":
                self.p.append(break_run())
            elif kind == "code_inline":
                self._text(c.content, marks, S.INLINE_CODE)
            elif kind.endswith("_open") and kind[:-5] in marks:
                marks[kind[:-5]] += 1
            elif kind.endswith("_close") and kind[:-6] in marks:
                marks[kind[:-6]] -= 1
            elif kind == "image":
                self._image(c, marks)
            elif kind == "footnote_ref":
                self._footnote_ref(c)
            elif c.content:  # text, raw HTML shown as text, and any unknown inline token
                self._text(c.content, marks)

    def _text(self, text: str, marks: dict[str, int], style: str | None = None) -> None:
        if text:
            rpr = run_props(self.styles.id(style) if style else None, marks["strong"] > 0,
                            marks["em"] > 0, marks["s"] > 0)
            self.p.append(text_run(text, rpr))

    def _footnote_ref(self, tok: Token) -> None:
        body = self.notes.get(tok.meta["id"])
        if self.in_note or body is None:  # Word has no footnotes inside footnotes
            self.p.append(text_run(f"[{tok.meta.get('label') or tok.meta['id'] + 1}]"))
            return
        number = self.story.next_footnote
        self.story.next_footnote += 1
        self.p.append(el("w:r", None, run_props(self.styles.id(S.NOTE_REF)),
                         el("w:footnoteReference", {"w:id": str(number)})))
        note = el("w:footnote", {"w:id": str(number)})
        writer = _Writer(self.story, self.base, self.notes, sink=note)
        writer.walk(body)
        if writer.note_mark:
            writer._new_p(S.NOTE_TEXT)
        if note[-1].tag != qn("w:p"):
            note.append(paragraph(self.styles.id(S.NOTE_TEXT)))
        self.story.footnotes.append(note)

    # -- pictures ------------------------------------------------------------------------

    def _has_picture(self, inline: Token) -> bool:
        return any(c.type == "image" and self._picture(c) is not None for c in inline.children or [])

    def _picture_path(self, tok: Token) -> Path | None:
        """A local picture inside the report folder and not too large; else None."""
        src = str(tok.attrGet("src") or "")
        if self.in_note or not src or _URL_SCHEME.match(src):
            return None
        try:
            path = (self.base / unquote(src.split("#")[0].split("?")[0])).resolve()
            if (not path.is_relative_to(self.story.root) or not path.is_file()
                    or path.stat().st_size > MAX_IMAGE_BYTES):
                return None
        except (OSError, ValueError):
            return None
        return path

    def _image(self, tok: Token, marks: dict[str, int]) -> None:
        inline = self._picture(tok)
        if inline is None:  # remote, outside the folder, too large or unreadable: the alt text
            self._text(plain_text(tok.children or []), marks)
        else:
            self.p.append(el("w:r", None, el("w:drawing", None, inline)))

    def _picture(self, tok: Token) -> etree._Element | None:
        """The picture as a w:inline, made once per image token; None when it cannot be shown."""
        if id(tok) not in self.pictures:
            self.pictures[id(tok)] = self._embed(tok)
        return self.pictures[id(tok)]

    def _embed(self, tok: Token) -> etree._Element | None:
        path = self._picture_path(tok)
        if path is None:
            return None
        try:
            rid, image = self.story.part.get_or_add_image(str(path))
            limit = (self.tables[-1][1] if self.cell else self.story.text_width) * EMU_PER_TWIP
            cx, cy = image.scaled_dimensions(min(image.width, limit), None)
            if cy > MAX_PICTURE_HEIGHT:  # a tall picture keeps to the page too
                cx, cy = image.scaled_dimensions(None, MAX_PICTURE_HEIGHT)
        except _BAD_IMAGE:
            return None
        inline = CT_Inline.new_pic_inline(self.story.next_shape, rid, image.filename, cx, cy)
        self.story.next_shape += 1
        return inline
