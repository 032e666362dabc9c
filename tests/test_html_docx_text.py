"""Issue 5: the HTML and the Word file come from the same tokens and say the same words.

`reportkit build` writes both; for every section, the visible text of the HTML section equals
the text python-docx reads back between that section's heading and the next. Footnotes are
compared with Word's footnotes. Whitespace is ignored (Word has no spaces between paragraphs).
"""

from __future__ import annotations

import re
import shutil
import zipfile
from html.parser import HTMLParser
from pathlib import Path

import docx
import pytest
from docx.table import Table
from docx.text.paragraph import Paragraph
from lxml import etree

from reportkit.assemble.report import Report
from reportkit.build import build

DATA = Path(__file__).parent / "data"
REPO = Path(__file__).parent.parent
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"

RICH = """开篇段落，**加粗**与*强调*，~~删除~~，`代码` 和 <b>原样的 HTML</b> & 符号。
中文换行
直接相连，English words
join with a space.

表2-1 重点项目情况

单位：万元

| 项目 | 预算 | 说明 |
|:---|---:|:---:|
| 口岸改造 | 1,200.00 | 含<br>换行 |
| 信息化 | 300.50 | [链接](https://example.com) |

1. 第一项
2. 第二项
   - 子项甲
   - 子项乙

1) 括号编号一
2) 括号编号二

> 引用的一段话。

```
代码块 第一行
第二行
```

---

带脚注的句子[^a]，再一个[^b]。

# 1. 小标题

## （1）更小的标题

硬换行在这里\\
之后继续。

![不在报告目录里的图](../../outside.png)

[^a]: 脚注甲的内容。
[^b]: 脚注乙，**有格式**。
"""


def _norm(text: str) -> str:
    return re.sub(r"\s+", "", text)


class _HtmlSections(HTMLParser):
    """Visible text of each <section data-block> body; footnotes apart, as Word keeps them."""

    SKIP = {"chapter", "section", "finding"}  # the heading itself; a check finding (preview only)

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.sections: dict[str, list[str]] = {}
        self.notes: list[list[str]] = []
        self.stack: list[tuple[str, str]] = []  # (tag, role)
        self.current: str | None = None

    def handle_starttag(self, tag: str, attrs: list) -> None:
        a = dict(attrs)
        classes = set((a.get("class") or "").split())
        role = ""
        if tag == "section" and "data-block" in a:
            self.current = a["data-block"]
            self.sections[self.current] = []
            role = "block"
        elif classes & self.SKIP or "footnote-ref" in classes:
            role = "skip"
        elif tag == "ol" and "footnotes" in classes:
            role = "notes"
        elif tag == "li" and self._inside("notes"):
            self.notes.append([])
            role = "note"
        if tag in ("br", "img", "hr", "meta", "link"):
            return  # void elements
        self.stack.append((tag, role))

    def handle_endtag(self, tag: str) -> None:
        while self.stack:
            open_tag, role = self.stack.pop()
            if role == "block":
                self.current = None
            if open_tag == tag:
                break

    def _inside(self, role: str) -> bool:
        return any(r == role for _, r in self.stack)

    def handle_data(self, data: str) -> None:
        if self.current is None or self._inside("skip"):
            return
        if self._inside("note"):
            self.notes[-1].append(data)
        elif not self._inside("notes"):
            self.sections[self.current].append(data)


def html_texts(path: Path) -> tuple[list[str], list[str]]:
    parser = _HtmlSections()
    parser.feed(path.read_text(encoding="utf-8"))
    return ["".join(v) for v in parser.sections.values()], ["".join(n) for n in parser.notes]


def docx_texts(path: Path, report: Report) -> tuple[list[str], list[str]]:
    """Text between the headings of the built Word file, in the order of the report's blocks."""
    document = docx.Document(str(path))
    headings = [b.heading for b in report.blocks]
    chunks: list[list[str]] = [[]]  # chunk 0: before the first heading (the intro)
    for link in list(document.element.body.iter(W + "hyperlink")):  # the printed address: Word only
        after = link.getnext()
        if after is not None and "".join(after.itertext()).startswith("（"):
            after.getparent().remove(after)
    for element in document.element.body.iterchildren():
        if element.tag == W + "p":
            p = Paragraph(element, document)
            style = p.style.name if p.style is not None else ""
            if style == "附件标识":
                break  # the annex follows the last chapter
            if style == "图题":
                continue  # Word captions a picture with its alt text; the HTML shows it as alt
            if style.startswith(("封面", "toc", "TOC")):
                chunks[0] = []  # the cover and the table of contents are not the intro
                continue
            if len(chunks) <= len(headings) and _norm(p.text) == _norm(headings[len(chunks) - 1]):
                chunks.append([])
                continue
            chunks[-1].append(p.text)
        elif element.tag == W + "tbl":
            table = Table(element, document)
            chunks[-1].extend(c.text for row in table.rows for c in _distinct(row.cells))
    assert len(chunks) == len(headings) + 1, "every heading of the report is in the Word file"
    intro = ["".join(chunks[0])] if report.intro else []
    return intro + ["".join(c) for c in chunks[1:]], _docx_notes(path)


def _distinct(cells: list) -> list:
    seen, out = set(), []
    for c in cells:  # python-docx repeats a horizontally merged cell
        if id(c._tc) not in seen:
            seen.add(id(c._tc))
            out.append(c)
    return out


def _docx_notes(path: Path) -> list[str]:
    with zipfile.ZipFile(path) as z:
        if "word/footnotes.xml" not in z.namelist():
            return []
        root = etree.fromstring(z.read("word/footnotes.xml"))
    notes = []
    for note in root.iter(W + "footnote"):
        if note.get(W + "type") in ("separator", "continuationSeparator", "continuationNotice"):
            continue
        notes.append("".join(t.text or "" for t in note.iter(W + "t")))
    return notes


def _copy(source: Path, target: Path) -> Path:
    shutil.copytree(source / "content", target / "content")
    if (source / "reportkit.yaml").is_file():
        shutil.copy(source / "reportkit.yaml", target / "reportkit.yaml")
    return target


def _rich(seed000: Path, tmp_path: Path) -> Path:
    (seed000 / "content" / "2-2-主要履职情况.md").write_text(RICH, encoding="utf-8")
    (tmp_path / "outside.png").write_bytes(b"not inside the report folder")
    return seed000


CASES = {
    "mini": lambda seed000, tmp_path: _copy(DATA / "mini", tmp_path / "mini"),
    "rich": _rich,
    "example": lambda seed000, tmp_path: _copy(REPO, tmp_path / "example"),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_every_section_says_the_same_in_html_and_word(case: str, seed000: Path, tmp_path: Path) -> None:
    root = CASES[case](seed000, tmp_path)
    result = build(root)
    docx_path = next(p for p in result.outputs if p.suffix == ".docx")
    html_path = next(p for p in result.outputs if p.suffix == ".html")
    assert html_path.name == f"{result.report.title}.html"

    html_sections, html_notes = html_texts(html_path)
    word_sections, word_notes = docx_texts(docx_path, result.report)
    assert len(html_sections) == len(word_sections) == len(result.report.blocks) + bool(result.report.intro)
    blocks = ([result.report.intro] if result.report.intro else []) + result.report.blocks
    for block, html, word in zip(blocks, html_sections, word_sections, strict=True):
        name = block.heading or "引言"
        if block.source or block.paragraphs:  # a chapter heading alone has no body
            assert _norm(html), f"{name}: empty in the HTML"
        assert _norm(html) == _norm(word), name
    assert [_norm(n) for n in html_notes] == [_norm(n) for n in word_notes]


def test_the_rich_section_is_really_compared(seed000: Path, tmp_path: Path) -> None:
    """The cases above carry lists, tables, notes and breaks; a changed word shows."""
    root = _rich(seed000, tmp_path)
    result = build(root)
    html_path = next(p for p in result.outputs if p.suffix == ".html")
    sections, notes = html_texts(html_path)
    rich = next(s for s in sections if "开篇段落" in s)
    for words in ("中文换行直接相连，English words join with a space.", "1. 第一项", "◦ 子项甲",
                  "（2）括号编号二", "<b>原样的 HTML</b>", "不在报告目录里的图", "代码块 第一行"):
        assert words in rich, words
    assert [_norm(n) for n in notes] == ["脚注甲的内容。", "脚注乙，有格式。"]
    docx_path = next(p for p in result.outputs if p.suffix == ".docx")
    word = next(s for s in docx_texts(docx_path, result.report)[0] if "开篇段落" in s)
    assert _norm(word) == _norm(rich)
    assert _norm(word.replace("第一项", "第1项")) != _norm(rich)
