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

from lxml import etree
from markdown_it.token import Token

from ...assemble import CAPTION_RE, UNIT_RE, is_cjk, item_number, plain_text
from ...ooxml import RT, Package, qn
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
_MARKS = ("strong", "em", "s")
_LINK_SCHEME = re.compile(r"^(https?|ftp|mailto):", re.I)
_FIGURE_RE = re.compile(r"^图\s*[0-9０-９]+")


@dataclass
class Story:
    """What all section bodies of one document share: styles, pictures, footnotes."""

    package: Package
    styles: StyleMap
    root: Path  # the report folder: pictures must lie inside it
    text_width: int  # twips
    next_footnote: int = 1
    footnotes: list[etree._Element] = field(default_factory=list)
    next_shape: int = 1
    next_figure: int = 1

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


CELL_MARGIN = 108  # twips left and right in each cell (the template's table style)
_TABLE_EM = 240  # twips: one character of 小四, the size of table text
_SHORT = 8 * _TABLE_EM
_NUMBER = re.compile(r"^[-+−]?[0-9０-９][0-9０-９,，.．]*\s*(%|％|‰|万元|元|个|人|项|次|天|户|台|km|m)?$|^[—–-]{1,2}$")
_WORD = re.compile(r"[A-Za-z0-9０-９.,:/_%+\-()（）@#&=?]+|.", re.S)


def text_width(text: str) -> tuple[int, int]:
    """(widest unbreakable piece, whole text on one line) in ems: a CJK character is one em and
    a line may break after any; Latin words, numbers and addresses are half an em a character
    and break only at spaces."""
    widest = whole = 0.0
    for line in text.split("\n"):
        total = 0.0
        for piece in _WORD.findall(line):
            if len(piece) == 1 and piece >= "\u2e80":  # CJK, full width and everything above
                size = 1.0
            elif piece.isspace():
                size = 0.25
            else:
                size = 0.55 * len(piece)
            if size > widest:
                widest = size
            total += size
        whole = max(whole, total)
    return round(widest * _TABLE_EM), round(whole * _TABLE_EM)


def measure_table(tokens: list[Token], start: int, available: int) -> tuple[list[int], list[bool]]:
    """Column widths (twips, summing to `available`) fitted to the content, and which columns
    hold only numbers.

    As a browser lays out an automatic table: each column gets at least its widest unbreakable
    piece (capped at half the width) and the rest of the width in proportion to how much more
    its longest cell needs.
    """
    cells: list[list[tuple[str, bool]]] = []  # per row: (text, header)
    depth, header = 0, False
    for k in range(start, len(tokens)):
        t = tokens[k]
        if t.type == "table_open":
            depth += 1
        elif t.type == "table_close":
            depth -= 1
            if depth == 0:
                break
        elif depth == 1:
            if t.type == "thead_open":
                header = True
            elif t.type == "thead_close":
                header = False
            elif t.type == "tr_open":
                cells.append([])
            elif t.type in ("th_open", "td_open") and cells:
                text = tokens[k + 1].content if tokens[k + 1].type == "inline" else ""
                cells[-1].append((text.strip(), header))
    columns = max((len(r) for r in cells), default=1) or 1
    low, high = [0] * columns, [0] * columns
    numeric = [True] * columns
    for r in cells:
        for c, (text, is_head) in enumerate(r):
            narrow, wide = text_width(text)
            if wide <= _SHORT:  # a short label or heading is not broken, as a person sets it
                narrow = wide
            low[c], high[c] = max(low[c], narrow), max(high[c], wide)
            if not is_head and text and not _NUMBER.match(text):
                numeric[c] = False
    for c in range(columns):
        if not any(r[c][0] for r in cells if c < len(r) and not r[c][1]):
            numeric[c] = False  # an empty column is not a number column
    margin = 2 * CELL_MARGIN
    cap = available // 2
    low = [min(w, cap) + margin for w in low]
    high = [max(min(w, available), 0) + margin for w in high]
    high = [max(h, lo) for h, lo in zip(high, low, strict=True)]
    if sum(low) >= available:  # even the words do not fit: in proportion to them
        widths = [available * w // sum(low) for w in low]
    elif sum(high) <= available:  # everything fits on one line: widen in proportion
        widths = [available * w // sum(high) for w in high]
    else:
        spare, wants = available - sum(low), [h - lo for h, lo in zip(high, low, strict=True)]
        widths = [lo + spare * want // max(sum(wants), 1) for lo, want in zip(low, wants, strict=True)]
    widths[-1] += available - sum(widths)
    return widths, numeric


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
        # (table, column widths, numeric columns) of each open table; the current column
        self.tables: list[tuple[etree._Element, list[int], list[bool]]] = []
        self.column = 0
        self.p: etree._Element | None = None
        self.label: str | None = None  # list label waiting for the item's first paragraph
        self.tokens: list[Token] = []
        self.pictures: dict[int, etree._Element | None] = {}  # by id() of the image token
        self.captions: list[str] = []  # alt texts of the pictures in the current paragraph
        self.link: etree._Element | None = None  # the open w:hyperlink
        self.link_text = ""
        self.href = ""

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
                handler = _HANDLERS.get(tok.type)
                if handler is not None:
                    handler(self, i, tok)
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

    def on_paragraph_close(self, i: int, tok: Token) -> None:
        """A picture's alt text becomes its caption “图N …” below the picture's paragraph."""
        self.p = None
        for alt in self.captions:
            number = self.story.next_figure
            self.story.next_figure += 1
            text = alt if _FIGURE_RE.match(alt) else f"图{number} {alt}"
            self.sinks[-1].append(text_paragraph(self.styles.id(S.FIGURE_CAPTION), text))
        self.captions = []

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
            # "1." as written gives "1." and a tab to the hanging indent of the List style;
            # "1)" gives the Chinese "（1）", which needs no space after it.
            self.label = f"（{state[1]}）" if tok.markup == ")" else f"{state[1]}.\t"
        else:
            self.label = BULLETS[min(len(self.lists), len(BULLETS)) - 1] + "\t"

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
        available = self.tables[-1][1][self.column] if self.tables else self.story.text_width
        widths, numeric = measure_table(self.tokens, i, available)
        tbl = table(self.styles.id(S.TABLE), widths, fixed=True)
        sink.append(tbl)
        self.tables.append((tbl, widths, numeric))
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
        self.column = -1

    def on_th_open(self, i: int, tok: Token) -> None:
        tbl, widths, numeric = self.tables[-1]
        self.column = min(self.column + 1, len(widths) - 1)
        tc = cell(widths[self.column])
        tbl[-1].append(tc)
        self.sinks.append(tc)
        align = _align(tok)
        if self.header:
            align = None if align == "right" else align  # headings stay centred over numbers
        elif align is None and numeric[self.column]:
            align = "right"  # amounts, rates and counts line up on the right
        self.cell = (self.header, align)
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
            if kind == "text":  # the most common child, first
                self._text(c.content, marks)
            elif kind == "softbreak":
                before = children[k - 1].content[-1:] if k else ""
                after = children[k + 1].content[:1] if k + 1 < len(children) else ""
                self._text("" if is_cjk(before) and is_cjk(after) else " ", marks)  # 中文换行不加空格
            elif kind == "hardbreak":
                self._put(break_run())
            elif kind == "code_inline":
                self._text(c.content, marks, S.INLINE_CODE)
            elif kind.endswith("_open") and kind[:-5] in marks:
                marks[kind[:-5]] += 1
            elif kind.endswith("_close") and kind[:-6] in marks:
                marks[kind[:-6]] -= 1
            elif kind == "image":
                self._image(c, marks)
            elif kind == "link_open":
                self._link_open(c)
            elif kind == "link_close":
                self._link_close()
            elif kind == "footnote_ref":
                self._footnote_ref(c)
            elif c.content:  # text, raw HTML shown as text, and any unknown inline token
                self._text(c.content, marks)

    def _text(self, text: str, marks: dict[str, int], style: str | None = None) -> None:
        if text:
            if self.link is not None and style is None:
                style = S.LINK
            if style is None and not (marks["strong"] or marks["em"] or marks["s"]):
                rpr = None  # most text: a plain run
            else:
                rpr = run_props(self.styles.id(style) if style else None, marks["strong"] > 0,
                                marks["em"] > 0, marks["s"] > 0)
            self._put(text_run(text, rpr))
            if self.href:  # inside a link: its words decide whether the address follows
                self.link_text += text

    def _put(self, run: etree._Element) -> None:
        """A run into the current paragraph, inside the open hyperlink if there is one."""
        (self.p if self.link is None else self.link).append(run)

    def _link_open(self, tok: Token) -> None:
        """An absolute address becomes a real hyperlink; in a footnote (whose relationships
        are another part's) and for relative links, the words stay plain text."""
        href = str(tok.attrGet("href") or "")
        # An autolink <https://…> shows its address already.
        self.href = "" if tok.markup == "autolink" else href
        self.link_text = ""
        if not self.in_note and _LINK_SCHEME.match(href):
            rid = self.story.package.document.relate_to(href, RT.HYPERLINK, is_external=True)
            self.link = el("w:hyperlink", {"r:id": rid, "w:history": "1"})
            self.p.append(self.link)

    def _link_close(self) -> None:
        """A printed report cannot be clicked: the address follows the words, in brackets,
        unless the words are the address."""
        self.link = None
        href = self.href
        shown = unquote(href.removeprefix("mailto:"))
        if _LINK_SCHEME.match(href) and shown not in self.link_text and self.link_text.strip():
            self.p.append(text_run(f"（{shown}）"))
        self.href = ""

    def _footnote_ref(self, tok: Token) -> None:
        body = self.notes.get(tok.meta["id"])
        if self.in_note or body is None:  # Word has no footnotes inside footnotes
            self._put(text_run(f"[{tok.meta.get('label') or tok.meta['id'] + 1}]"))
            return
        number = self.story.next_footnote
        self.story.next_footnote += 1
        self._put(el("w:r", None, run_props(self.styles.id(S.NOTE_REF)),
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
        if "![" not in inline.content:  # no image can be written without it
            return False
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
            self._put(el("w:r", None, el("w:drawing", None, inline)))
            alt = plain_text(tok.children or []).strip()
            if alt and not self.cell and not self.in_note:
                self.captions.append(alt)

    def _picture(self, tok: Token) -> etree._Element | None:
        """The picture as a w:inline, made once per image token; None when it cannot be shown."""
        if id(tok) not in self.pictures:
            self.pictures[id(tok)] = self._embed(tok)
        return self.pictures[id(tok)]

    def _embed(self, tok: Token) -> etree._Element | None:
        path = self._picture_path(tok)
        if path is None:
            return None
        # python-docx reads pictures (and writes their XML): loaded for a picture only
        from docx.image.exceptions import InvalidImageStreamError, UnrecognizedImageError
        from docx.oxml.shape import CT_Inline

        try:
            rid, image = self.story.package.add_image(self.story.package.document, str(path))
            width = self.tables[-1][1][self.column] - 2 * CELL_MARGIN if self.cell else self.story.text_width
            limit = width * EMU_PER_TWIP
            cx, cy = image.scaled_dimensions(min(image.width, limit), None)
            if cy > MAX_PICTURE_HEIGHT:  # a tall picture keeps to the page too
                cx, cy = image.scaled_dimensions(None, MAX_PICTURE_HEIGHT)
        except (UnrecognizedImageError, InvalidImageStreamError, OSError, ValueError, struct.error,
                IndexError, ZeroDivisionError):
            return None
        inline = CT_Inline.new_pic_inline(self.story.next_shape, rid, image.filename, cx, cy)
        alt = plain_text(tok.children or []).strip()
        if alt:
            inline.docPr.set("descr", alt)  # what a screen reader says
        self.story.next_shape += 1
        return inline


# Token type → its method (on_paragraph_open …), looked up once rather than by name per token.
_HANDLERS = {name[3:]: method for name, method in vars(_Writer).items() if name.startswith("on_")}
