"""Every CommonMark spec example, as a section body, renders into Word and keeps its text.

All 655 examples go into one document (each after a marker paragraph), which is saved,
read back with python-docx and split at the markers: one build instead of 655.

The check: the words a reader sees in the reference HTML (tags stripped, entities
unescaped, whitespace normalised by splitting into words) appear in the Word text in the
same order. Word may show more than the HTML (list labels "1." and "•", an image's alt
text), never less. Principled normalisations:
- The reference is the spec's HTML, except where reportkit's parser settings
  (reportkit/assemble/markdown.py) deliberately change the parse: raw HTML shown as text, GFM
  tables and strikethrough, footnotes. For those examples (74 of 655) the reference is
  markdown-it's own HTML rendering with reportkit's settings, so the test checks the Word
  renderer, not the choice of settings.
- Footnote text is read from the footnotes part and counted after the example's body, where
  the HTML puts it; the HTML's reference marks and back-links ("[1]", "↩︎") are not text
  Word writes (Word numbers footnotes itself).
"""

from __future__ import annotations

import json
import re
from datetime import datetime
from html.parser import HTMLParser
from pathlib import Path

import pytest
from docx import Document
from docx.oxml.ns import qn
from lxml import etree
from markdown_it import MarkdownIt
from ooxml_checks import docx_problems

from reportkit.assemble.markdown import parse, parser
from reportkit.ooxml import open_package
from reportkit.render.docx.markdown import Story, render_tokens
from reportkit.render.docx.package import add_footnotes
from reportkit.render.docx.render import default_template
from reportkit.render.docx.styles import StyleMap
from reportkit.render.docx.xml import east_asian_hints, text_paragraph

DATA = Path(__file__).parent / "data" / "commonmark" / "commonmark-spec-0.31.2.json"
EXAMPLES = json.loads(DATA.read_text(encoding="utf-8"))
MARK = "§§example-{}§§"
_MARK_RE = re.compile(r"§§example-(\d+)§§")
_COMMONMARK = MarkdownIt("commonmark")


class _Text(HTMLParser):
    """The text content of HTML, as a browser shows it (less footnote marks)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skip = 0

    def handle_starttag(self, tag: str, attrs: list) -> None:
        classes = dict(attrs).get("class") or ""
        if self.skip or "footnote-ref" in classes or "footnote-backref" in classes:
            self.skip += 1
        self.parts.append(" " if tag in ("br", "p", "li", "td", "th", "pre", "hr") else "")

    def handle_endtag(self, tag: str) -> None:
        if self.skip:
            self.skip -= 1

    def handle_data(self, data: str) -> None:
        if not self.skip:
            self.parts.append(data)


def reference_words(example: dict) -> list[str]:
    ours = parser().render(example["markdown"])
    html = ours if ours != _COMMONMARK.render(example["markdown"]) else example["html"]
    reader = _Text()
    reader.feed(html)
    reader.close()
    return "".join(reader.parts).split()


def _text(element: etree._Element) -> str:
    parts = []
    for node in element.iter(qn("w:t"), qn("w:tab"), qn("w:br"), qn("w:p")):
        if node.tag == qn("w:t"):
            parts.append(node.text or "")
        else:
            parts.append(" ")
    return "".join(parts)


@pytest.fixture(scope="module")
def corpus_docx(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """All examples in one Word file, in the default template."""
    root = tmp_path_factory.mktemp("commonmark")
    package = open_package(default_template())
    body = package.document.element.find(qn("w:body"))
    end = body.find(qn("w:sectPr"))
    for child in list(body):
        if child is not end:
            body.remove(child)
    story = Story(package, StyleMap.prepare(package, default_template()), root, 8845)
    for example in EXAMPLES:
        end.addprevious(text_paragraph(None, MARK.format(example["example"])))
        for element in render_tokens(parse(example["markdown"]), story, root / "content"):
            end.addprevious(element)
    add_footnotes(package, story.footnotes)
    east_asian_hints(body)
    path = root / "commonmark.docx"
    package.save(path, datetime(2024, 1, 1))
    return path


@pytest.fixture(scope="module")
def word_texts(corpus_docx: Path) -> dict[int, str]:
    """Example number → the text of its Word rendering, footnotes last."""
    path = corpus_docx
    reread = Document(str(path))
    notes = {}
    for rel in reread.part.rels.values():
        if rel.reltype.endswith("/footnotes"):
            for note in etree.fromstring(rel.target_part.blob).iterchildren(qn("w:footnote")):
                notes[note.get(qn("w:id"))] = _text(note)
    texts: dict[int, str] = {}
    current = None
    for block in reread.element.body:
        match = _MARK_RE.fullmatch(_text(block).strip())
        if match:
            current = int(match.group(1))
            texts[current] = ""
        elif current is not None:
            refs = block.iter(qn("w:footnoteReference"))
            texts[current] += " " + _text(block) + "".join(" " + notes[r.get(qn("w:id"))] for r in refs)
    return texts


def test_the_corpus_document_passes_the_schema_and_reads_back(corpus_docx: Path) -> None:
    assert docx_problems(corpus_docx) == []


def test_every_example_is_in_the_document(word_texts: dict[int, str]) -> None:
    assert sorted(word_texts) == [e["example"] for e in EXAMPLES]
    assert len(word_texts) == 655


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda e: f"example-{e['example']:03d}")
def test_reader_text_survives_in_order(example: dict, word_texts: dict[int, str]) -> None:
    text = word_texts[example["example"]]
    position = 0
    for word in reference_words(example):
        found = text.find(word, position)
        assert found >= 0, (
            f"“{word}” missing (or out of order) in example {example['example']} "
            f"({example['section']})\nmarkdown: {example['markdown']!r}\nword text: {text!r}"
        )
        position = found + len(word)
