"""Issue 4: the example report through LibreOffice to PDF, and its pages through pdftoppm.

scripts/test.sh installs LibreOffice, the Noto CJK fonts and poppler-utils; where they are
missing these tests are skipped and the summary says what to install (in CI they fail).
"""

from __future__ import annotations

import re
import shutil
import struct
import subprocess
from pathlib import Path

import pytest

from reportkit.build import build

REPO = Path(__file__).parent.parent
pytestmark = pytest.mark.needs("soffice", "poppler", "cjk-fonts")


@pytest.fixture(scope="module")
def example_build(tmp_path_factory):
    root = tmp_path_factory.mktemp("example")
    shutil.copytree(REPO / "content", root / "content")
    result = build(root, pdf=True)
    pdf = next(p for p in result.outputs if p.suffix == ".pdf")
    assert pdf.is_file()
    return result


@pytest.fixture(scope="module")
def example_pdf(example_build) -> Path:
    return next(p for p in example_build.outputs if p.suffix == ".pdf")


def page_sizes(pdf: Path) -> list[tuple[float, float]]:
    out = subprocess.run(["pdfinfo", "-f", "1", "-l", "9999", str(pdf)], capture_output=True, text=True, check=True).stdout
    return [(float(w), float(h)) for w, h in re.findall(r"Page\s+\d+ size:\s+([\d.]+) x ([\d.]+) pts", out)]


def png_size(path: Path) -> tuple[int, int]:
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    return struct.unpack(">II", data[16:24])


def test_pages_are_a4_and_their_count_is_plausible(example_pdf: Path) -> None:
    sizes = page_sizes(example_pdf)
    assert 20 <= len(sizes) <= 60, len(sizes)
    for width, height in sizes:
        assert sorted((round(width), round(height))) == [595, 842]  # A4 in points, either way up


def test_body_is_portrait_and_annex_landscape(example_pdf: Path, tmp_path: Path) -> None:
    sizes = page_sizes(example_pdf)
    assert sizes[0][0] < sizes[0][1]  # cover
    assert sizes[-1][0] > sizes[-1][1]  # the annex table
    last = len(sizes)
    subprocess.run(["pdftoppm", "-r", "30", "-png", "-f", "1", "-l", "1", str(example_pdf), str(tmp_path / "first")], check=True)
    subprocess.run(["pdftoppm", "-r", "30", "-png", "-f", str(last), "-l", str(last), str(example_pdf), str(tmp_path / "last")], check=True)
    (first,) = tmp_path.glob("first*.png")
    (final,) = tmp_path.glob("last*.png")
    w1, h1 = png_size(first)
    w2, h2 = png_size(final)
    assert w1 < h1 and w2 > h2


def test_pdf_text_has_the_outline_and_the_total(example_build, example_pdf: Path) -> None:
    text = subprocess.run(["pdftotext", "-layout", str(example_pdf), "-"], capture_output=True, text=True, check=True).stdout
    compact = re.sub(r"\s+", "", text)
    for heading in ("一、部门基本情况", "二、部门主要履职绩效分析", "三、总体评价和整改措施", "四、部门整体支出绩效评价指标评分情况"):
        assert heading in compact
    assert "总分" in compact and str(example_build.report.scores.total) in compact


# -- issue 14: fonts per style, the 28 × 22 grid, annex pages ----------------------------------

def _xml_pages(pdf: Path) -> list[tuple[dict[str, tuple[int, str]], list[tuple[int, int, int, str, str]]]]:
    """Per page: font id → (size, family), and text pieces (top, left, width, font id, text)."""
    xml = subprocess.run(["pdftohtml", "-xml", "-i", "-stdout", str(pdf)], capture_output=True,
                         text=True, check=True).stdout
    pages = []
    fonts: dict[str, tuple[int, str]] = {}
    for content in re.findall(r"<page [^>]*>(.*?)</page>", xml, re.S):
        fonts.update({i: (int(s), f) for i, s, f in re.findall(r'<fontspec id="(\d+)" size="(\d+)" family="([^"]+)"', content)})
        pieces = [(int(t), int(le), int(w), f, re.sub("<[^>]+>", "", x)) for t, le, w, f, x in re.findall(
            r'<text top="(\d+)" left="(\d+)" width="(\d+)" height="\d+" font="(\d+)">(.*?)</text>', content)]
        pages.append((dict(fonts), pieces))
    return pages


def _font_of(pages, text: str) -> str:
    for fonts, pieces in pages:
        for *_, font, piece in pieces:
            if piece.startswith(text):
                return fonts[font][1]
    raise AssertionError(f"{text} not in the PDF")


@pytest.mark.needs("kai-font")
def test_each_style_gets_a_font_of_its_kind(example_pdf: Path) -> None:
    """仿宋/宋体 → a serif, 黑体 → a sans, 楷体 → a Kai; never one fallback for all."""
    listed = subprocess.run(["pdffonts", str(example_pdf)], capture_output=True, text=True, check=True).stdout
    assert "NotoSerifCJK" in listed and "NotoSansCJK" in listed and "UKai" in listed
    pages = _xml_pages(example_pdf)
    assert "Sans" in _font_of(pages, "一、部门基本情况")
    assert "Kai" in _font_of(pages, "（一）部门主要职能")
    assert "Serif" in _font_of(pages, "我局是市政府工作部门")
    assert "Serif" in _font_of(pages, "年度部门整体绩效评价报告")  # the cover title, 小标宋 → serif


def test_a_full_body_line_holds_28_characters_and_a_page_22_lines(example_pdf: Path) -> None:
    pages = _xml_pages(example_pdf)
    left = min(le for fonts, pieces in pages[2:20] for _, le, _, font, _ in pieces if fonts[font][0] == 24)
    full = [len(x) for fonts, pieces in pages for _, le, width, font, x in pieces
            if fonts[font][0] == 24 and le == left and width > 640
            and re.fullmatch("[\u3000-\u9fff\uff00-\uffef“”]+", x)]
    assert full and set(full) == {28}, full
    body_lines = [len({top for top, _, _, font, _ in pieces if fonts[font][0] == 24}) for fonts, pieces in pages[2:20]]
    assert max(body_lines) == 22, body_lines


def _page_texts(pdf: Path) -> list[str]:
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    return [re.sub(r"\s+", "", page) for page in text.split("\f")[:-1]]


def test_annex_pages_repeat_the_header_and_notes_never_stand_alone(example_pdf: Path) -> None:
    sizes = page_sizes(example_pdf)
    texts = _page_texts(example_pdf)
    landscape = [t for (w, h), t in zip(sizes, texts, strict=True) if w > h]
    assert len(landscape) >= 3
    for text in landscape:
        assert ("评价指标" in text and "参考评分标准" in text) or "部门（单位）名称" in text, text[:80]
    notes = [t for t in landscape if "附注" in t]
    assert notes and all("总分" in t for t in notes)  # the notes share a page with the table's end


def test_toc_in_the_pdf_has_leaders_and_page_numbers(tmp_path: Path) -> None:
    root = tmp_path / "mini"
    shutil.copytree(REPO / "tests" / "data" / "mini", root)  # toc: true
    result = build(root, pdf=True)
    pdf = next(p for p in result.outputs if p.suffix == ".pdf")
    text = subprocess.run(["pdftotext", "-f", "2", "-l", "2", "-layout", str(pdf), "-"],
                          capture_output=True, text=True, check=True).stdout
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    entries = [line for line in lines if re.search(r"\.{5,}\s*\d+$", line)]
    assert entries and entries[0].startswith("一、部门基本情况"), lines
    assert any(line.startswith("附件") for line in entries)  # the annex is listed, as real reports do
    assert len(entries) >= 15
