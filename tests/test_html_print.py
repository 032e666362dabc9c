"""Issue 5: the standalone HTML prints like the Word file — A4, the annex on landscape pages
with its header row on every one of them (Chrome repeats a header only while it is small).

Printed by real headless Chromium (Debian's /usr/bin/chromium through Playwright) and read
back with poppler's pdfinfo / pdftotext, as tests/test_pdf.py does for the Word file.
"""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest
import system_tools
from playwright.sync_api import sync_playwright

from reportkit.assemble.report import load_report
from reportkit.render.html.render import write_html

pytestmark = pytest.mark.needs("chromium", "poppler")
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking"]
EXAMPLE = Path(__file__).parents[1]
A4 = (595, 842)  # points, portrait


@pytest.fixture(scope="module")
def printed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("print")
    html = out / "report.html"
    write_html(load_report(EXAMPLE), html)
    pdf = out / "report.pdf"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=system_tools.chromium(), args=FLAGS)
        page = browser.new_page()
        page.goto(html.as_uri())
        page.pdf(path=str(pdf), prefer_css_page_size=True)
        browser.close()
    return pdf


def _pages(pdf: Path) -> list[tuple[tuple[int, int], str]]:
    """(width, height) in points and the text of every page."""
    info = subprocess.run(["pdfinfo", "-f", "1", "-l", "9999", str(pdf)], capture_output=True, text=True,
                          check=True).stdout
    sizes = [(round(float(w)), round(float(h)))
             for w, h in re.findall(r"Page\s+\d+ size:\s+([\d.]+) x ([\d.]+)", info)]
    texts = [subprocess.run(["pdftotext", "-layout", "-f", str(n), "-l", str(n), str(pdf), "-"],
                            capture_output=True, text=True, check=True).stdout for n in range(1, len(sizes) + 1)]
    return list(zip(sizes, texts, strict=True))


def test_the_annex_header_is_printed_on_every_landscape_page(printed: Path) -> None:
    pages = _pages(printed)
    assert all(size in (A4, A4[::-1]) for size, _ in pages)
    start = next(k for k, (_, text) in enumerate(pages) if "部门整体支出绩效评价指标评分情况表" in text)
    end = next(k for k, (_, text) in enumerate(pages) if "目标完成情况自评表" in text and k > start)
    annex = pages[start:end]
    assert len(annex) >= 3, "the example's annex runs over several pages"
    assert all(size == A4[::-1] for size, _ in annex), "the annex is on landscape pages"
    for k, (_, text) in enumerate(annex, start=start + 1):
        assert "参考评分标准" in text and "三级指标" in text, f"page {k}: the header row is not repeated"
    assert all(size == A4 for size, _ in pages[:start]), "the report before the annex is portrait"
