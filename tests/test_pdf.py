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
