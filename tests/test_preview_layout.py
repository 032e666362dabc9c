"""Issue 14: the report's pages are never covered by the outline or the score panel, nor cut
off, at any common screen width (boxes measured in Chromium, not judged by eye).

At 1366 and 1440 px the panel used to cover the right of the page; below 1300 px the outline and
the panel were stacked above the report, which began a screen further down.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import system_tools
from playwright.sync_api import sync_playwright

from reportkit.assemble.report import load_report
from reportkit.render.html.render import write_html

pytestmark = pytest.mark.needs("chromium")
WIDTHS = (1024, 1280, 1366, 1440, 1536, 1920, 2560)
BOXES = """() => {
  const box = e => { const b = e.getBoundingClientRect();
                     return [b.left, b.top + scrollY, b.right, b.bottom + scrollY]; };
  const pages = [...document.querySelectorAll('.page')].map(box);
  const panels = [...document.querySelectorAll('nav.outline, aside.scores')].map(box);
  let overlap = 0;
  for (const p of pages) for (const q of panels) {
    const w = Math.min(p[2], q[2]) - Math.max(p[0], q[0]);
    const h = Math.min(p[3], q[3]) - Math.max(p[1], q[1]);
    if (w > 0 && h > 0) overlap = Math.max(overlap, w);
  }
  const column = box(document.querySelector('main.report'));
  const right = Math.min(column[2], document.documentElement.clientWidth);
  return {pages: pages.length, overlap, cut: Math.max(0, ...pages.map(p => p[2] - right)),
          top: pages[0][1], screen: innerHeight};
}"""


def test_pages_are_never_covered_nor_cut(seed000: Path, tmp_path: Path) -> None:
    out = tmp_path / "report.html"
    write_html(load_report(seed000), out)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=system_tools.chromium(),
                                             args=["--headless", "--no-sandbox", "--disable-gpu"])
        try:
            for width in WIDTHS:
                page = browser.new_page(viewport={"width": width, "height": 900})
                page.goto(out.as_uri())
                page.wait_for_selector("table.annex-table")
                boxes = page.evaluate(BOXES)
                page.close()
                assert boxes["pages"] >= 2, width  # the portrait pages and the landscape annex
                assert boxes["overlap"] <= 0, (width, boxes)  # no panel over any page
                assert boxes["cut"] <= 1, (width, boxes)  # no page wider than its column or the window
                assert boxes["top"] < boxes["screen"] / 4, (width, boxes)  # the report starts on screen one
        finally:
            browser.close()
