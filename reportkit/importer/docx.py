"""Read a Word file for `reportkit import`: check it, convert it with pandoc, flatten its blocks.

The pandoc JSON AST is walked into a flat list of `Item`s: one per paragraph, heading, list
item or table, each with its plain text (to recognise headings, cover fields and numbers)
and its Markdown (to write into a section file). Word's own heading levels are kept as a
hint; most real reports use plain paragraphs numbered 一、（一）1.（1） instead.
"""

from __future__ import annotations

import json
import logging
import re
import zipfile
import zlib
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import ReportError, broken_file_reason

MAX_BYTES = 200 * 1024 * 1024
MAX_PART_BYTES = 100 * 1024 * 1024  # one part (a picture) unpacked
MAX_UNPACKED_BYTES = 400 * 1024 * 1024  # all parts unpacked
OLE_MAGIC = bytes.fromhex("D0CF11E0A1B11AE1")  # Word 97-2003 files and encrypted .docx
ENCRYPTED_MARKS = ("EncryptedPackage".encode("utf-16-le"), "EncryptionInfo".encode("utf-16-le"))
SAVE_AS = "在 Word 或 WPS 中打开后“另存为”Word 文档（*.docx），再导入"
PANDOC_API = [1, 23, 1]


@dataclass
class Item:
    """One paragraph, heading, list item or table of the Word file, in reading order."""

    kind: str  # "text" or "table"
    plain: str  # what a reader sees (tables: cells joined by spaces, rows by newlines)
    inline: str = ""  # text: Markdown of the content, escaped, without block-level escapes
    level: int | None = None  # Word heading level (Heading 1 → 1)
    marker: str = ""  # ordered-list number Word drew itself ("1."), or "-" for bullets
    rows: list[list[str]] = field(default_factory=list)  # table cells as Markdown
    cells: list[list[str]] = field(default_factory=list)  # table cells as plain text
    merged: int = 0  # cells of merged ranges that were flattened (left blank)
    notes: list[str] = field(default_factory=list)  # footnote bodies (Markdown)
    images: list[str] = field(default_factory=list)  # media files referenced (relative to media/)
    toc: bool = False  # a table-of-contents entry (links to a _Toc bookmark)
    extra: str = ""  # further blocks of a list item, as Markdown
    widths: list[int] = field(default_factory=list)  # table: cells each row really had (ragged rows are short)

    def markdown(self) -> str:
        """The item as a Markdown block (paragraph, list item or pipe table)."""
        if self.kind == "table":
            return pipe_table(self.rows)
        if self.marker == "-" or re.fullmatch(r"\d+\.", self.marker):
            body = self.marker + " " + block_lines(self.inline)
            if self.extra:
                pad = " " * (len(self.marker) + 1)
                body += "\n\n" + "\n".join(pad + line if line else "" for line in self.extra.split("\n"))
            return body
        if not self.marker:
            return block_lines(self.inline)
        # a numbering Markdown has no list for, such as "(1)": kept as text
        text = block_lines(escape_inline(self.marker) + " " + self.inline)
        return text + ("\n\n" + self.extra if self.extra else "")


# ---------------------------------------------------------------- checking the file


def check_docx(path: Path) -> None:
    """Refuse anything pandoc would fail on, with a message naming the cause and the remedy."""
    if not path.exists():
        raise ReportError("找不到要导入的文件", file=path, expected="一个已有的 Word 文件（.docx）")
    if not path.is_file():
        raise ReportError("这不是文件", file=path, expected="一个 Word 文件（.docx）")
    size = path.stat().st_size
    if size > MAX_BYTES:
        raise ReportError(f"文件过大（{size // (1024 * 1024)} MB）", file=path, expected="不超过 200 MB 的 .docx")
    with path.open("rb") as handle:
        head = handle.read(1024 * 1024)
    if head.startswith(OLE_MAGIC):
        if any(mark in head for mark in ENCRYPTED_MARKS):
            raise ReportError(
                "文件设置了打开密码（已加密），无法读取", file=path,
                expected="在 Word 中打开，选“文件→信息→保护文档→用密码进行加密”，清空密码并保存后再导入",
            )
        raise ReportError(
            "这是旧版 Word 97-2003 文档（.doc）或已加密的文件，不是 .docx", file=path, expected=SAVE_AS,
        )
    if not head.startswith(b"PK"):
        raise ReportError("不是 Word 文件：内容不是 .docx 的 zip 格式（可能只是改了扩展名）", file=path, expected=SAVE_AS)
    try:
        with zipfile.ZipFile(path) as archive:
            if "word/document.xml" not in archive.namelist():
                raise ReportError("这是 zip 文件，但其中没有 word/document.xml，不是 Word 文档", file=path, expected=SAVE_AS)
            broken = _check_parts(archive, path)
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError, ValueError, NotImplementedError) as exc:
        raise ReportError(f"文件已损坏，无法作为 .docx 打开（{broken_file_reason(exc)}）", file=path,
                          expected=SAVE_AS) from None
    if broken is not None:
        raise ReportError(f"文件已损坏：其中的“{broken}”校验失败", file=path, expected=SAVE_AS)


def _too_big(path: Path, part: str, size: int, limit: int, what: str) -> ReportError:
    return ReportError(
        f"其中的“{part}”解压后{what}超过 {limit // (1024 * 1024)} MB（{size // (1024 * 1024)} MB 以上），不导入",
        file=path, expected="正常大小的 Word 文件；过大的图片请在 Word 中压缩（“图片格式→压缩图片”）后另存",
    )


def _check_parts(archive: zipfile.ZipFile, path: Path) -> str | None:
    """Every part's uncompressed size within the caps, counted while reading it (a zip may
    lie about sizes), before pandoc unpacks anything; the name of a part whose CRC fails."""
    total = 0
    for info in archive.infolist():
        if info.file_size > MAX_PART_BYTES:
            raise _too_big(path, info.filename, info.file_size, MAX_PART_BYTES, "")
        total += info.file_size
        if total > MAX_UNPACKED_BYTES:
            raise _too_big(path, info.filename, total, MAX_UNPACKED_BYTES, "累计")
    total = 0
    for info in archive.infolist():
        size = 0
        try:
            with archive.open(info) as part:
                while chunk := part.read(1 << 20):
                    size += len(chunk)
                    total += len(chunk)
                    if size > MAX_PART_BYTES:
                        raise _too_big(path, info.filename, size, MAX_PART_BYTES, "")
                    if total > MAX_UNPACKED_BYTES:
                        raise _too_big(path, info.filename, total, MAX_UNPACKED_BYTES, "累计")
        except zipfile.BadZipFile:
            return info.filename
    return None


def convert(path: Path, media: Path) -> dict:
    """The Word file as pandoc's JSON AST; images are extracted under `media`."""
    import pypandoc

    log = logging.getLogger("pypandoc")  # pandoc's warnings (unsupported Word features) are noise here
    level = log.level
    log.setLevel(logging.ERROR)
    try:
        out = pypandoc.convert_file(
            str(path), "json", format="docx", extra_args=[f"--extract-media={media}"],
        )
    except (RuntimeError, OSError) as exc:
        raise ReportError(f"pandoc 无法读取该 Word 文件：{_pandoc_problem(str(exc))}", file=path,
                          expected=SAVE_AS) from None
    finally:
        log.setLevel(level)
    return json.loads(out)


def _pandoc_problem(text: str) -> str:
    """pandoc's complaint in Chinese (its own words are English)."""
    died = re.search(r'died with exitcode "?(-?\d+)', text)
    if died:
        code = int(died.group(1))
        if code < 0:
            return f"它被系统终止（信号 {-code}：多半是超出了文件大小、内存或时间限制）"
        return f"它出错退出（退出码 {code}）"
    if "not found" in text.lower() or "no such file" in text.lower():
        return "找不到 pandoc 程序（请重新安装 reportkit，它自带 pandoc）"
    return "文件内容无法转换（可能已损坏或含有不支持的内容）"


# ---------------------------------------------------------------- Markdown escaping

_INLINE_SPECIAL = re.compile(r"([\\`*_\[\]<>|~&])")
# A tag's start or end in plain text ({{ {% {# and }} %} #}): its brace written by a {{ }} tag.
_JINJA_MARK = re.compile(r"\{(?=[{%#])|(?<=[}%#])\}")
_BLOCK_START = re.compile(r"^(\s*)(#|>|[-+*=](?=\s|$)|\d{1,9}(?=[.)]))")


def escape_inline(text: str) -> str:
    """Plain text as Markdown text that renders to exactly itself (and is not a {{ }} tag)."""
    text = _INLINE_SPECIAL.sub(r"\\\1", text)
    return _JINJA_MARK.sub(lambda m: f'{{{{ "{m[0]}" }}}}', text)


def _escape_block_start(line: str) -> str:
    match = _BLOCK_START.match(line)
    if not match:
        return line.lstrip()
    lead = match.group(2)
    rest = line[match.end():]
    if lead[0].isdigit():  # "1." / "1)" would start a list: escape the dot
        return lead + "\\" + rest
    return "\\" + lead + rest


def block_lines(inline: str) -> str:
    """Inline Markdown as paragraph lines that start no list, heading or quote."""
    return "\n".join(_escape_block_start(line) for line in inline.split("\n"))


def pipe_table(rows: list[list[str]]) -> str:
    width = max((len(r) for r in rows), default=0)
    if not width:
        return ""
    rows = [r + [""] * (width - len(r)) for r in rows]

    def line(cells: list[str]) -> str:
        return "| " + " | ".join(cells) + " |"

    out = [line(rows[0]), "| " + " | ".join("---" for _ in range(width)) + " |"]
    return "\n".join(out + [line(r) for r in rows[1:]])


# ---------------------------------------------------------------- walking the AST


class Flattener:
    """Walks pandoc blocks into Items; collects images, footnotes and maths on the way."""

    def __init__(self, media: Path, parent: Flattener | None = None):
        self.media = media
        self.items: list[Item] = []
        self.top = parent is None
        # shared with nested flatteners (list items, table cells, footnotes): only the top
        # level hands footnotes and images to the Item that contains them
        self.maths: list[str] = parent.maths if parent else []  # TeX, rendered in one pandoc call
        self._notes: list[str] = parent._notes if parent else []
        self._images: list[str] = parent._images if parent else []
        self._counter: list[int] = parent._counter if parent else [0]
        self._toc = False

    def sub(self) -> Flattener:
        return Flattener(self.media, self)

    # inline content: returns (plain, markdown)
    def inlines(self, nodes: list[dict]) -> tuple[str, str]:
        plain: list[str] = []
        md: list[str] = []
        for node in nodes:
            p, m = self.inline(node)
            plain.append(p)
            md.append(m)
        return "".join(plain), "".join(md)

    def inline(self, node: dict) -> tuple[str, str]:
        t, c = node["t"], node.get("c")
        if t == "Str":
            return c, escape_inline(c)
        if t in ("Space", "SoftBreak"):
            return " ", " "
        if t == "LineBreak":
            return "\n", "\\\n"
        if t in ("Emph", "Strong", "Strikeout"):
            p, m = self.inlines(c)
            mark = {"Emph": "*", "Strong": "**", "Strikeout": "~~"}[t]
            return p, _wrap(m, mark)
        if t in ("Underline", "Superscript", "Subscript", "SmallCaps"):
            return self.inlines(c)
        if t == "Span":
            return self.inlines(c[1])
        if t == "Quoted":
            p, m = self.inlines(c[1])
            left, right = ("“", "”") if c[0]["t"] == "DoubleQuote" else ("‘", "’")
            return left + p + right, left + m + right
        if t == "Cite":
            return self.inlines(c[1])
        if t == "Code":
            return c[1], escape_inline(c[1])
        if t == "Math":
            self.maths.append(c[1])
            token = _math_token(len(self.maths) - 1)
            return token, token
        if t == "RawInline":
            return "", ""
        if t == "Link":
            p, m = self.inlines(c[1])
            url = c[2][0]
            if url.startswith("#"):
                if url.startswith("#_Toc"):
                    self._toc = True
                return p, m
            return p, f"[{m}](<{url}>)" if m else escape_inline(url)
        if t == "Image":
            p, m = self.inlines(c[1])
            target = c[2][0]
            rel = self._media_name(target)
            if rel is None:
                return p, m
            self._images.append(rel)
            return p, f"![{m}](images/{rel})"
        if t == "Note":
            self._counter[0] += 1
            label = self._counter[0]
            body = "\n\n    ".join(self.block_markdown(b) for b in c)
            self._notes.append(f"[^{label}]: {body}")
            return "", f"[^{label}]"
        return "", ""

    def _media_name(self, target: str) -> str | None:
        path = Path(target)
        try:
            return path.relative_to(self.media / "media").as_posix()
        except ValueError:
            return None  # a linked (not embedded) picture: nothing to copy

    def block_markdown(self, block: dict) -> str:
        """A nested block (inside a footnote or list item) as Markdown."""
        sub = self.sub()
        sub.blocks([block])
        return "\n\n".join(i.markdown() for i in sub.items)

    def _take(self) -> tuple[list[str], list[str], bool]:
        toc, self._toc = self._toc, False
        if not self.top:
            return [], [], toc
        notes, images = list(self._notes), list(self._images)
        self._notes.clear()
        self._images.clear()
        return notes, images, toc

    def _text(self, inlines: list[dict], **extra) -> Item:
        plain, md = self.inlines(inlines)
        notes, images, toc = self._take()
        return Item("text", plain.strip(), md.strip(), notes=notes, images=images, toc=toc, **extra)

    def blocks(self, blocks: list[dict]) -> None:
        for block in blocks:
            self.block(block)

    def block(self, block: dict) -> None:
        t, c = block["t"], block.get("c")
        if t in ("Para", "Plain"):
            item = self._text(c)
            if item.plain or item.images:
                self.items.append(item)
        elif t == "Header":
            item = self._text(c[2], level=c[0])
            if item.plain:
                self.items.append(item)
        elif t == "LineBlock":
            for line in c:
                item = self._text(line)
                if item.plain:
                    self.items.append(item)
        elif t == "CodeBlock":
            for line in c[1].splitlines():
                if line.strip():
                    self.items.append(Item("text", line.strip(), escape_inline(line.strip())))
        elif t in ("BlockQuote", "Div"):
            self.blocks(c if t == "BlockQuote" else c[1])
        elif t == "Figure":
            self.blocks(c[2])
            self._caption(c[1])
        elif t == "OrderedList":
            start, style, delim = c[0][0], c[0][1]["t"], c[0][2]["t"]
            for n, parts in enumerate(c[1], start):
                self._list_item(_marker(n, style, delim), parts)
        elif t == "BulletList":
            for parts in c:
                self._list_item("-", parts)
        elif t == "DefinitionList":
            for term, definitions in c:
                self.items.append(self._text(term))
                for parts in definitions:
                    self.blocks(parts)
        elif t == "Table":
            self._table(c)
        # HorizontalRule, RawBlock, Null: nothing a reader sees

    def _caption(self, caption: list) -> None:
        blocks = caption[1] if caption else []
        self.blocks(blocks)

    def _list_item(self, marker: str, parts: list[dict]) -> None:
        if not parts:
            return
        first, rest = parts[0], parts[1:]
        if first["t"] in ("Para", "Plain"):
            item = self._text(first["c"], marker=marker)
        else:
            item = Item("text", "", "", marker=marker)
            rest = parts
        if rest:
            sub = self.sub()
            sub.blocks(rest)
            item.extra = "\n\n".join(i.markdown() for i in sub.items)
            item.plain = "\n".join([item.plain] + [i.plain for i in sub.items]).strip()
            notes, images, _ = self._take()
            item.notes += notes
            item.images += images
        if item.plain or item.images:
            self.items.append(item)

    def _table(self, c: list) -> None:
        """A table as a grid of cells; merged ranges keep their text in the top-left cell."""
        caption, columns, head, bodies, foot = c[1], c[2], c[3], c[4], c[5]
        if caption and caption[1]:
            self._caption(caption)
        rows = head[1] + [r for body in bodies for r in body[2] + body[3]] + foot[1]
        grid: list[list[tuple[str, str]]] = []
        covered: dict[int, int] = {}  # column → rows below still covered by a merged cell
        widths: list[int] = []  # columns each row really has (merged from above counts), before padding
        merged = 0
        for row in rows:
            line: list[tuple[str, str]] = []
            filled = 0
            cells = list(row[1])
            while cells or len(line) < len(columns):
                col = len(line)
                if covered.get(col, 0) > 0:  # inside a cell merged from above: left blank
                    covered[col] -= 1
                    line.append(("", ""))
                    merged += 1
                    filled = len(line) if cells else filled
                elif not cells:
                    line.append(("", ""))
                else:
                    _, _, rowspan, colspan, content = cells.pop(0)
                    line.append(self._cell(content))
                    for k in range(colspan):
                        if rowspan > 1:
                            covered[col + k] = rowspan - 1
                    line += [("", "")] * (colspan - 1)  # merged across: left blank
                    merged += colspan - 1
                    filled = len(line)
            grid.append(line)
            widths.append(filled)
        notes, images, _ = self._take()
        cells_plain = [[p for p, _ in r] for r in grid]
        self.items.append(Item(
            "table", "\n".join(" ".join(x for x in r if x) for r in cells_plain),
            rows=[[m for _, m in r] for r in grid], cells=cells_plain, merged=merged, notes=notes, images=images,
            widths=widths,
        ))

    def _cell(self, content: list[dict]) -> tuple[str, str]:
        """A cell's paragraphs on one line: a pipe table has no line breaks."""
        sub = self.sub()
        sub.blocks(content)
        plain = " ".join(i.plain for i in sub.items).replace("\n", " ")
        md = " ".join(i.inline if i.kind == "text" else escape_inline(i.plain) for i in sub.items)
        return plain, md.replace("\\\n", " ").replace("\n", " ")


def _marker(n: int, style: str, delim: str) -> str:
    if style in ("Decimal", "DefaultStyle", "Example") and delim in ("Period", "DefaultDelim"):
        return f"{n}."
    if style == "LowerAlpha":
        number = chr(ord("a") + (n - 1) % 26)
    elif style == "UpperAlpha":
        number = chr(ord("A") + (n - 1) % 26)
    elif style in ("LowerRoman", "UpperRoman"):
        number = _roman(n) if style == "UpperRoman" else _roman(n).lower()
    else:
        number = str(n)
    return {"OneParen": f"{number})", "TwoParens": f"({number})"}.get(delim, f"{number}.")


def _roman(n: int) -> str:
    out = ""
    for value, letters in ((1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"),
                           (50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")):
        while n >= value:
            out += letters
            n -= value
    return out


def _wrap(md: str, mark: str) -> str:
    """Emphasis that CommonMark will honour next to CJK text, or none at all."""
    core = md.strip()
    if not core:
        return md
    lead = md[: len(md) - len(md.lstrip())]
    tail = md[len(md.rstrip()):]
    edges = core[0] + core[-1]
    if any(_is_punct(ch) for ch in edges) or core.endswith("\\"):
        return md
    return f"{lead}{mark}{core}{mark}{tail}"


def _is_punct(ch: str) -> bool:
    import unicodedata

    return unicodedata.category(ch).startswith(("P", "S"))


def _math_token(n: int) -> str:
    return f"\ue000{n}\ue001"


_MATH_TOKEN = re.compile("\ue000(\\d+)\ue001")


def render_maths(items: list[Item], maths: list[str]) -> None:
    """Replace every math placeholder by pandoc's plain-text rendering of the formula."""
    if not maths:
        return
    import pypandoc

    doc = {
        "pandoc-api-version": PANDOC_API, "meta": {},
        "blocks": [{"t": "Para", "c": [{"t": "Math", "c": [{"t": "InlineMath"}, tex]}]} for tex in maths],
    }
    marker = "\ue002"
    for block in list(doc["blocks"]):
        doc["blocks"].insert(doc["blocks"].index(block) + 1, {"t": "Para", "c": [{"t": "Str", "c": marker}]})
    try:
        out = pypandoc.convert_text(json.dumps(doc), "plain", format="json", extra_args=["--wrap=none"])
    except (RuntimeError, OSError):
        texts = maths
    else:
        texts = [part.strip() for part in out.split(marker)][: len(maths)]
        if len(texts) != len(maths):
            texts = maths

    def plain(match: re.Match) -> str:
        return texts[int(match.group(1))]

    def md(match: re.Match) -> str:
        return escape_inline(texts[int(match.group(1))])

    for item in items:
        item.plain = _MATH_TOKEN.sub(plain, item.plain)
        item.inline = _MATH_TOKEN.sub(md, item.inline)
        item.extra = _MATH_TOKEN.sub(md, item.extra)
        item.cells = [[_MATH_TOKEN.sub(plain, x) for x in r] for r in item.cells]
        item.rows = [[_MATH_TOKEN.sub(md, x) for x in r] for r in item.rows]
        item.notes = [_MATH_TOKEN.sub(md, x) for x in item.notes]


def read_items(doc: dict, media: Path) -> list[Item]:
    """The document's metadata (title page) and blocks as a flat list of Items."""
    flat = Flattener(media)
    meta = doc.get("meta", {})
    for key in ("title", "subtitle", "author", "date"):
        value = meta.get(key)
        for inlines in _meta_inlines(value):
            item = flat._text(inlines)
            if item.plain:
                flat.items.append(item)
    flat.blocks(doc.get("blocks", []))
    render_maths(flat.items, flat.maths)
    return flat.items


def _meta_inlines(value: dict | None) -> list[list[dict]]:
    if not value:
        return []
    if value["t"] == "MetaInlines":
        return [value["c"]]
    if value["t"] == "MetaList":
        return [x for v in value["c"] for x in _meta_inlines(v)]
    if value["t"] == "MetaBlocks":
        return [b["c"] for b in value["c"] if b["t"] in ("Para", "Plain")]
    if value["t"] == "MetaString":
        return [[{"t": "Str", "c": value["c"]}]]
    return []
