"""The parser's shortcuts (assemble/markdown.parser: rules that cannot fire switched off, plain
inline text made one text token without the inline parser, a block line tried only against the
block rules that can start at its first character) give exactly the tokens the stock
markdown-it configuration gives: on every CommonMark spec example, the example report, the
sections under tests/data (the seeds among them), random text made of the characters the inline
rules react to and random lines made of what starts or continues a block."""

from __future__ import annotations

import json
import random
from pathlib import Path

from markdown_it import MarkdownIt
from markdown_it.rules_block import StateBlock
from mdit_py_plugins.footnote import footnote_plugin

from reportkit.assemble.markdown import LineState, block_by_start, parser, plain_inline

TESTS = Path(__file__).parent
SPEC = json.loads((TESTS / "data" / "commonmark" / "commonmark-spec-0.31.2.json").read_text(encoding="utf-8"))


def stock() -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": False, "typographer": False})
    md.enable(["table", "strikethrough"])
    md.use(footnote_plugin)
    return md


def tokens(md: MarkdownIt, text: str) -> list[dict]:
    return [t.as_dict() for t in md.parse(text)]


def texts() -> list[str]:
    found = [e["markdown"] for e in SPEC]
    found += [p.read_text(encoding="utf-8") for p in sorted((TESTS.parent / "content").glob("*.md"))]
    found += [p.read_text(encoding="utf-8") for p in sorted((TESTS / "data").rglob("*.md"))]
    pieces = list("\n\\`~*_[]!^<>&#;()|-:%. \t\r\0") + ["\r\n", "中文", "abc", "1.", "[^1]", "![图](a.png)", "&amp;", "<a>",
                                                    "~~", "**", "| a | b |\n| - | - |\n", "    ", "> ", "```"]
    rng = random.Random(15)
    found += ["".join(rng.choice(pieces) for _ in range(rng.randint(1, 40))) for _ in range(3000)]
    # Lines: a start (indentation, block markers, digits) and an end, so that every rule's
    # start character meets every kind of next line (delimiter rows, underlines, empty lines).
    starts = ["", " ", "  ", "   ", "    ", "\t", " \t", "  \t ", "\t\t", "> ", ">", "- ", "-", "* ", "+ ", "1. ", "1) ", "12.", "2", "#",
              "## ", "####### ", "```", "~~~", "***", "---", "___", "===", "[a]: /u", "[^1]: ", "[^1]", "[", "|",
              ":", "<div>", "文字", "（1）", "1.资金", "表1-1 "]
    ends = ["", "正文", " a | b |", "|", " - | - ", "-", ":", "---|---", "=", " ", "**强调**", "[^1]"]
    for _ in range(3000):
        lines = [rng.choice(starts) + rng.choice(ends) for _ in range(rng.randint(1, 8))]
        found.append(rng.choice(["\n", "\r\n", "\r"]).join(lines) + rng.choice(["", "\n", "\n\n", "\r"]))
    return found


def test_the_parser_gives_the_stock_tokens() -> None:
    ours, theirs = parser(), stock()
    assert ours.core.ruler.getRules("")[0] is not theirs.core.ruler.getRules("")[0], "the normalize shortcut is in use"
    assert ours.core.ruler.getRules("")[2] is not theirs.core.ruler.getRules("")[2], "the shortcut is in use"
    assert ours.core.ruler.getRules("")[1] is not theirs.core.ruler.getRules("")[1], "the line markers' shortcut is in use"
    assert ours.block.ruler.get_active_rules()[0] == "by_start", "the block shortcut is in use"
    assert "by_start" not in [r.__name__ for r in ours.block.ruler.getRules("paragraph")], "never a terminator"
    for text in texts():
        assert tokens(ours, text) == tokens(theirs, text), text


def test_an_unknown_inline_rule_turns_the_shortcut_off() -> None:
    md = stock()
    md.inline.ruler.push("custom", lambda state, silent: False)
    assert plain_inline(md) is None


def test_an_unknown_block_rule_turns_the_block_shortcut_off() -> None:
    md = stock()
    md.block.ruler.before("paragraph", "custom", lambda state, start, end, silent: False)
    assert block_by_start(md) is None


def test_the_line_markers_are_markdown_its() -> None:
    """Every attribute of the block state, the line markers among them, as markdown-it sets it."""
    md = parser()
    for text in texts() + ["a", "a\n", "a\n  ", "a\n\t", "  \na", "\n", "\n\n", " ", "\t\ta\n \t b\n"]:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
        assert vars(LineState(text, md, {}, [])) == vars(StateBlock(text, md, {}, [])), text
