"""Section bodies rendered straight from Markdown: pictures, lists, code, odd input."""

from __future__ import annotations

import shutil
import struct
import zlib
from pathlib import Path

import pytest
from docx.oxml.ns import qn

from reportkit.assemble.markdown import parse
from reportkit.ooxml import open_package
from reportkit.render.docx import markdown as docx_markdown
from reportkit.render.docx.markdown import Story, render_tokens
from reportkit.render.docx.render import default_template
from reportkit.render.docx.styles import StyleMap

PNG = Path(__file__).parent / "data" / "mini" / "content" / "images" / "chart.png"


@pytest.fixture
def story(tmp_path: Path) -> Story:
    package = open_package(default_template())
    (tmp_path / "report" / "content" / "images").mkdir(parents=True)
    shutil.copy(PNG, tmp_path / "report" / "content" / "images" / "chart.png")
    return Story(package, StyleMap.prepare(package, default_template()), tmp_path / "report", 8845)


def render(story: Story, markdown: str) -> list:
    return render_tokens(parse(markdown), story, story.root / "content")


def texts(elements: list) -> list[tuple[str, str]]:
    """(style id, text) of each top-level paragraph."""
    out = []
    for e in elements:
        if e.tag == qn("w:p"):
            style = e.find(f"{qn('w:pPr')}/{qn('w:pStyle')}")
            text = "".join(t.text for t in e.iter(qn("w:t")))
            out.append((style.get(qn("w:val")) if style is not None else "", text))
    return out


def pictures(elements: list) -> int:
    return sum(len(e.findall(f".//{qn('w:drawing')}")) for e in elements)


def test_local_picture_is_embedded_and_scaled_to_the_page(story: Story) -> None:
    elements = render(story, "![示意图](images/chart.png)")
    assert pictures(elements) == 1
    assert texts(elements) == [("Figure", ""), ("FigureCaption", "图1 示意图")]  # alt text as caption
    assert elements[0].find(f".//{qn('wp:docPr')}").get("descr") == "示意图"
    extent = elements[0].find(f".//{qn('wp:extent')}")
    assert 0 < int(extent.get("cx")) <= 8845 * 635


def _png(width: int, height: int) -> bytes:
    """A grey RGB PNG of the given size."""
    rows = b"".join(b"\x00" + b"\x80" * (3 * width) for _ in range(height))

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b"")


def test_tall_picture_fits_the_page(story: Story) -> None:
    (story.root / "content" / "images" / "tall.png").write_bytes(_png(20, 4000))
    extent = render(story, "![长图](images/tall.png)")[0].find(f".//{qn('wp:extent')}")
    assert int(extent.get("cy")) == docx_markdown.MAX_PICTURE_HEIGHT
    assert 0 < int(extent.get("cx")) < int(extent.get("cy")) / 100


@pytest.mark.parametrize("src", [
    "https://example.com/chart.png",  # remote
    "../../outside.png",  # outside the report folder
    "images/missing.png",  # no such file
    "images/broken.png",  # not a picture
    "images/big.png",  # over the size limit
])
def test_other_pictures_show_their_alt_text(story: Story, src: str, monkeypatch: pytest.MonkeyPatch) -> None:
    images = story.root / "content" / "images"
    (images / "broken.png").write_bytes(b"not a png")
    shutil.copy(PNG, images / "big.png")
    shutil.copy(PNG, story.root.parent / "outside.png")
    monkeypatch.setattr(docx_markdown, "MAX_IMAGE_BYTES", PNG.stat().st_size - 1 if "big" in src else 10**7)
    elements = render(story, f"见 ![*说明*文字]({src}) 。")
    assert pictures(elements) == 0
    assert texts(elements) == [("Normal", "见 说明文字 。")]


def test_lists_take_labels_and_depth_styles(story: Story) -> None:
    elements = render(story, "3. 甲\n4. 乙\n   - 丙\n     1) 丁\n\n-\n  ```\n  代码\n  ```\n")
    assert texts(elements) == [
        ("List", "3.甲"), ("List", "4.乙"), ("List2", "◦丙"), ("List3", "（1）丁"),
        ("Code", "•代码"),  # the label goes into the item's first block
    ]
    # A tab, not a space, after "3." and "•": the text lines up at the hanging indent.
    tabs = [len(e.findall(f"{qn('w:r')}/{qn('w:tab')}")) for e in elements]
    assert tabs == [1, 1, 1, 0, 1]


def test_links_keep_their_address(story: Story) -> None:
    elements = render(story, "见[财政局网站](https://czj.example.gov.cn/a?b=1)和 <https://x.example.cn>。\n")
    p = elements[0]
    links = p.findall(qn("w:hyperlink"))
    assert len(links) == 2
    rels = story.package.document.rels
    assert [rels[link.get(qn("r:id"))].target for link in links] == [
        "https://czj.example.gov.cn/a?b=1", "https://x.example.cn"]
    assert links[0].find(f"{qn('w:r')}/{qn('w:rPr')}/{qn('w:rStyle')}").get(qn("w:val")) == "Hyperlink"
    text = "".join(t.text for t in p.iter(qn("w:t")))
    # Printed, the address follows the words; an autolink is its own address.
    assert text == "见财政局网站（https://czj.example.gov.cn/a?b=1）和 https://x.example.cn。"


def test_code_block_keeps_lines_and_spaces(story: Story) -> None:
    elements = render(story, "```\na  b\n\tc\n```\n")
    run = elements[0].find(qn("w:r"))
    assert [child.tag.split("}")[1] for child in run] == ["t", "br", "tab", "t"]
    assert run[0].text == "a  b"


def test_raw_html_and_control_characters_are_text(story: Story) -> None:
    elements = render(story, "<div>*x*</div>\n\n甲\x0b乙<b>丙</b>\n")
    assert texts(elements) == [("Normal", "<div>x</div>"), ("Normal", "甲乙<b>丙</b>")]


def test_adjacent_tables_stay_apart_and_rows_repeat(story: Story) -> None:
    table = "| a | b |\n| - | - |\n| 1 | 2 |\n"
    elements = render(story, table + "\n" + table)
    assert [e.tag.split("}")[1] for e in elements] == ["tbl", "p", "tbl"]
    header = elements[0].find(qn("w:tr"))
    assert header.find(f"{qn('w:trPr')}/{qn('w:tblHeader')}") is not None


def test_caption_only_right_before_a_table(story: Story) -> None:
    elements = render(story, "表2-1 不在表格前\n\n正文。\n\n表2-2 在表格前\n\n| a |\n| - |\n| 1 |\n")
    assert texts(elements)[:3] == [("Normal", "表2-1 不在表格前"), ("Normal", "正文。"),
                                   ("Caption", "表2-2 在表格前")]


def test_footnotes_are_numbered_across_sections(story: Story) -> None:
    render(story, "甲[^a]\n\n[^a]: 注一\n")
    elements = render(story, "乙[^a]和丙[^b]\n\n[^a]: 注二\n[^b]: 注三\n")
    ids = [r.get(qn("w:id")) for r in elements[0].iter(qn("w:footnoteReference"))]
    assert ids == ["2", "3"]
    assert ["".join(t.text for t in n.iter(qn("w:t"))).strip() for n in story.footnotes] == ["注一", "注二", "注三"]
