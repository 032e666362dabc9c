"""Issue 4: headings numbered by literal text are recognised; list numbers are the typed ones."""

from __future__ import annotations

import glob
from pathlib import Path

import docx
import pytest

from reportkit.assemble.markdown import parse
from reportkit.build import build

BODY = """1.资金管理情况

（1）政府采购执行情况

采购执行率 {{ procurement.rate | pct }}。

1. 贯彻执行国家、省、市有关法律法规，起草相关地方性法规。

2. 项目管理情况

1. 第一条
2. 第二条
"""


def headings(text: str) -> list[tuple[str, str]]:
    tokens = parse(text)
    return [(t.tag, tokens[i + 1].content) for i, t in enumerate(tokens) if t.type == "heading_open"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1.资金管理情况", [("h1", "1.资金管理情况")]),
        ("2、项目管理情况", [("h1", "2、项目管理情况")]),
        ("（1）政府采购执行情况", [("h2", "（1）政府采购执行情况")]),
        ("(2)财务合规性", [("h2", "(2)财务合规性")]),
        ("1.我局严格执行预算，全年支出进度符合要求。", []),  # a sentence, not a heading
        ("1.资金管理情况\n其后紧接正文", []),  # two lines: a paragraph
        ("- 1.资金管理情况", []),  # inside a list it stays a list item
    ],
)
def test_literal_headings(text: str, expected: list) -> None:
    assert headings(text) == expected


def test_word_file_uses_heading_styles_and_typed_numbers(seed000: Path) -> None:
    (seed000 / "content" / "1-4-预算执行情况.md").write_text(BODY, encoding="utf-8")
    build(seed000)
    document = docx.Document(glob.glob(str(seed000 / "build" / "*.docx"))[0])
    paragraphs = [(p.style.name, p.text.strip()) for p in document.paragraphs]
    start = next(i for i, (style, text) in enumerate(paragraphs) if style == "Heading 2" and text.startswith("（四）"))
    body = paragraphs[start + 1 : start + 8]
    assert body[0] == ("Heading 3", "1.资金管理情况")
    assert body[1] == ("Heading 4", "（1）政府采购执行情况")
    texts = [text for _, text in body]
    # The number as typed, a tab to the List style's hanging indent, no added space.
    assert "2.\t项目管理情况" in texts and "1.\t第一条" in texts and "2.\t第二条" in texts
    assert not any(t.startswith("3.") for t in texts)
