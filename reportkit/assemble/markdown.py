"""One Markdown parser for every output: the Word file, the HTML draft and the checks."""

from __future__ import annotations

import re
import threading
from collections import OrderedDict
from collections.abc import Sequence
from functools import lru_cache
from itertools import accumulate

from markdown_it import MarkdownIt
from markdown_it.rules_block import StateBlock
from markdown_it.rules_core import block as stock_block
from markdown_it.token import Token
from mdit_py_plugins.footnote import footnote_plugin

# Headings that Chinese reports number by literal text, written as a paragraph of their own:
# "1.资金管理情况" (level 3) and "（1）政府采购执行情况" (level 4). Short, one line, and not a
# sentence (no closing 。；：), so a numbered body paragraph stays a paragraph.
LITERAL_HEADINGS = (
    ("h1", re.compile(r"^[0-9０-９]{1,2}[.．、]\s*\S")),
    ("h2", re.compile(r"^[（(][0-9０-９]{1,2}[）)]\s*\S")),
)
MAX_HEADING_CHARS = 40
# "表1-1 …" right before a table is its caption; "单位：万元" (before or after it) its unit line.
CAPTION_RE = re.compile(r"^表\s*[0-9０-９]+(\s*[-－—–.．]\s*[0-9０-９]+)*")
UNIT_RE = re.compile(r"^[（(]?单位\s*[：:][^。；;，,]{1,12}$")


def is_cjk(char: str) -> bool:
    """A Chinese character or full-width mark: a line break between two of them is no space."""
    return bool(char) and ("\u2e80" <= char <= "\u9fff" or "\uf900" <= char <= "\uffef")


def plain_text(tokens: Sequence[Token]) -> str:
    """Inline tokens as plain text (an image's alt text), the same in the Word file and the HTML."""
    parts = []
    for tok in tokens:
        if tok.type == "image":
            parts.append(plain_text(tok.children or []))
        elif tok.type in ("softbreak", "hardbreak"):
            parts.append(" ")
        else:
            parts.append(tok.content)
    return "".join(parts)


@lru_cache(maxsize=1)
def parser() -> MarkdownIt:
    # html=False: raw HTML is shown as text, never dropped and never executed.
    md = MarkdownIt("commonmark", {"html": False, "typographer": False})
    md.enable(["table", "strikethrough"])
    md.use(footnote_plugin)
    # Without the html option these rules return False on every line and at every "<".
    md.disable(["html_block", "html_inline"])
    md.core.ruler.at("normalize", normalize)
    md.core.ruler.at("block", core_block)
    inline = plain_inline(md)
    if inline is not None:
        md.core.ruler.at("inline", inline)
    block = block_by_start(md)
    if block is not None:
        md.block.ruler.before(md.block.ruler.get_active_rules()[0], "by_start", block)
    return md


def normalize(state) -> None:  # noqa: ANN001 - StateCore
    """markdown-it's core "normalize" rule (\\r\\n and \\r become \\n, NUL becomes U+FFFD), without
    its two regex passes copying a text that has neither (as a section's text almost always is)."""
    text = state.src
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    if "\0" in text:
        text = text.replace("\0", "\ufffd")
    state.src = text


def core_block(state) -> None:  # noqa: ANN001 - StateCore
    """markdown-it's core "block" rule, with the block state's line markers found by str
    methods over whole lines (LineState) instead of a Python loop step per line."""
    if state.inlineMode or not state.src:
        stock_block(state)
        return
    lines = LineState(state.src, state.md, state.env, state.tokens)
    state.md.block.tokenize(lines, lines.line, lines.lineMax)


class LineState(StateBlock):
    """markdown-it's StateBlock, the same lists: each line's start and end (bMarks, eMarks),
    its leading spaces and tabs (tShift) and their width, tabs to the next multiple of 4
    (sCount); a last line of nothing but spaces and tabs is no line; one more entry at the end."""

    def __init__(self, src: str, md: MarkdownIt, env: dict, tokens: list[Token]):
        super().__init__("", md, env, tokens)  # every other attribute, as markdown-it sets it
        self.src = src
        lines = src.split("\n")
        if not lines[-1].lstrip(" \t"):
            lines.pop()
        begins = list(accumulate((len(line) + 1 for line in lines), initial=0))
        self.bMarks = begins[:-1]
        self.eMarks = [begin + len(line) for begin, line in zip(begins, lines, strict=False)]
        self.tShift = [len(line) - len(line.lstrip(" \t")) for line in lines]
        if "\t" in src:
            self.sCount = [len(line[:n].expandtabs(4)) for line, n in zip(lines, self.tShift, strict=True)]
        else:
            self.sCount = self.tShift.copy()
        self.bsCount = [0] * (len(lines) + 1)
        for marks, last in ((self.bMarks, len(src)), (self.eMarks, len(src)), (self.tShift, 0), (self.sCount, 0)):
            marks.append(last)
        self.lineMax = len(lines)


# The characters at which each block rule can start a block: the first character of its first
# line after the indentation (a line indented as code is left to every rule). The rule returns
# False at any other line without changing the state. Two rules look at the next line too: a
# table needs it to be a delimiter row (| - :), a setext heading an underline; a paragraph can
# start anywhere.
BLOCK_STARTS = {
    "fence": "`~", "blockquote": ">", "hr": "*-_", "list": "*-+0123456789", "footnote_def": "[",
    "reference": "[", "html_block": "<", "heading": "#",
}
NEXT_LINE_RULES = {"table", "lheading"}
TABLE_ROW_STARTS = frozenset("|-:")


def block_by_start(md: MarkdownIt):  # noqa: ANN201 - a markdown-it block rule
    """A block rule trying, in their order, only the block rules that can match at the line's
    first character, instead of each in turn; None when a rule is active that is not known here.

    It stands first in the block chain and is never a terminator: a paragraph is among the
    rules it tries, and a paragraph always matches, so the chain never goes past it."""
    names = md.block.ruler.get_active_rules()
    if names[-1:] != ["paragraph"] or not set(names) <= {*BLOCK_STARTS, *NEXT_LINE_RULES, "code", "paragraph"}:
        return None
    every = md.block.ruler.getRules("")
    rules = dict(zip(names, every, strict=True))
    starts = set("".join(BLOCK_STARTS.values()))

    def chain(char: str | None, row: bool, underline: bool) -> list:
        """The rules that can match at a line starting with `char` (None: none of the start
        characters) when the next line may be a table's delimiter row, a setext underline."""
        return [rules[name] for name in names
                if name == "paragraph" or name == "table" and row or name == "lheading" and underline
                or char is not None and char in BLOCK_STARTS.get(name, "")]

    # (first character, next line: None when empty or missing, else whether it may be a delimiter row)
    chains = {(char, after): chain(char, bool(after), after is not None)
              for char in [*starts, None] for after in (None, False, True)}

    def by_start(state, start: int, end: int, silent: bool) -> bool:  # noqa: ANN001 - StateBlock
        first = state.bMarks[start] + state.tShift[start]
        if state.sCount[start] - state.blkIndent >= 4 or first >= state.eMarks[start]:
            candidates = every
        else:
            char = state.src[first]
            after = None
            if start + 1 < end:
                pos = state.bMarks[start + 1] + state.tShift[start + 1]
                if pos < state.eMarks[start + 1]:
                    after = state.src[pos] in TABLE_ROW_STARTS
            candidates = chains[(char if char in starts else None, after)]
        for rule in candidates:
            if rule(state, start, end, silent):
                return True
        return False

    return by_start


# The characters at which each inline rule can start a token other than plain text: the rule
# returns False at every other position without changing the state. Text in which none of
# the active rules' characters occurs is one text token, as the inline parser would make it.
INLINE_STARTS = {
    "text": "", "linkify": None, "newline": "\n", "escape": "\\", "backticks": "`",
    "strikethrough": "~", "emphasis": "*_", "link": "[", "image": "!", "footnote_inline": "^",
    "footnote_ref": "[", "autolink": "<", "html_inline": "<", "entity": "&",
}
# Rules run after the inline parse; with one text token and no delimiters they change nothing.
INLINE_AFTER = {"balance_pairs", "strikethrough", "emphasis", "fragments_join"}


def plain_inline(md: MarkdownIt):  # noqa: ANN201 - a markdown-it core rule
    """markdown-it's core "inline" rule, with a shortcut for text no inline rule can act on;
    None when a rule is active whose characters are not known here."""
    starts = [INLINE_STARTS.get(name) for name in md.inline.ruler.get_active_rules()]
    if None in starts or not set(md.inline.ruler2.get_active_rules()) <= INLINE_AFTER:
        return None
    special = re.compile("[" + re.escape("".join(starts)) + "]")

    def inline(state) -> None:  # noqa: ANN001 - StateCore
        for token in state.tokens:
            if token.type == "inline":
                if token.children is None:
                    token.children = []
                content = token.content
                if special.search(content):
                    state.md.inline.parse(content, state.md, state.env, token.children)
                elif content:
                    token.children.append(Token("text", "", 0, content=content))

    return inline


def _literal_heading(inline: Token) -> str | None:
    text = inline.content
    if "\n" in text or len(text) > MAX_HEADING_CHARS or text.rstrip()[-1:] in "。；;：:，,":
        return None
    return next((tag for tag, pattern in LITERAL_HEADINGS if pattern.match(text)), None)


def recognise_literal_headings(tokens: list[Token]) -> list[Token]:
    """Top-level paragraphs that are literal-numbered headings become heading tokens."""
    for i in range(len(tokens) - 2):
        opening = tokens[i]
        if opening.type != "paragraph_open" or opening.level != 0:
            continue
        inline, closing = tokens[i + 1], tokens[i + 2]
        if inline.type != "inline":
            continue
        tag = _literal_heading(inline)
        if tag is None:
            continue
        opening.type, opening.tag, opening.markup = "heading_open", tag, "literal"
        closing.type, closing.tag, closing.markup = "heading_close", tag, "literal"
    return tokens


# Parsed sections by text, most recently used last: the preview rebuilds at every save and
# only the saved section's text is new. Tokens are never changed after parsing (renderers and
# checks only read them), so one list serves every build of the same text.
_PARSED: OrderedDict[str, list[Token]] = OrderedDict()
_PARSED_CHARS = 4_000_000  # characters of text kept, over all entries
_parsed_chars = 0
_parsed_lock = threading.Lock()  # the library may be called from several threads


def parse(text: str) -> list[Token]:
    global _parsed_chars
    with _parsed_lock:
        tokens = _PARSED.get(text)
        if tokens is not None:
            _PARSED.move_to_end(text)
            return tokens
    tokens = recognise_literal_headings(parser().parse(text))
    if len(text) <= _PARSED_CHARS:
        with _parsed_lock:
            if text not in _PARSED:
                _PARSED[text] = tokens
                _parsed_chars += len(text)
            while _parsed_chars > _PARSED_CHARS:
                _parsed_chars -= len(_PARSED.popitem(last=False)[0])
    return tokens


def item_number(item: Token, previous: int) -> int:
    """An ordered list item's number as written ("3." → 3), else the next one."""
    return int(item.info) if item.info.isdigit() else previous + 1
