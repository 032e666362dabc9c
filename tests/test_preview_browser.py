"""Issue 5: the preview in real headless Chromium (Debian's chromium, driven by
Playwright; no browser is downloaded). A save shows up in the open page without a reload and
where the reader was; broken facts show the message; the next good save brings the report back.

Screenshots go to build/test-artifacts/ in the repository (the path is printed).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import system_tools
from playwright.sync_api import Browser, Page, sync_playwright

from reportkit.assemble.report import load_report
from reportkit.preview.server import PreviewServer
from reportkit.render.html.render import write_html

pytestmark = pytest.mark.needs("chromium")
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"]
ARTIFACTS = Path(__file__).parent.parent / "build" / "test-artifacts"
SECTION = "1-1-主要职能.md"
WAIT_MS = 10_000


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=system_tools.chromium(), args=FLAGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 1500, "height": 900})
    page = context.new_page()
    page.problems = []  # type: ignore[attr-defined]
    page.on("console", lambda m: m.type == "error" and page.problems.append(m.text))  # type: ignore[attr-defined]
    page.on("pageerror", lambda e: page.problems.append(str(e)))  # type: ignore[attr-defined]
    yield page
    context.close()


def screenshot(page: Page, name: str) -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / name
    page.screenshot(path=str(path), full_page=False)
    print(f"截图：{path}")
    return path


def report_text(page: Page) -> str:
    return page.evaluate("document.getElementById('report').textContent")


def wait_for_text(page: Page, words: str) -> None:
    page.wait_for_function("w => document.getElementById('report').textContent.includes(w)", arg=words,
                           timeout=WAIT_MS)


def test_edits_appear_without_reload(seed000: Path, page: Page) -> None:
    section = seed000 / "content" / SECTION
    facts = seed000 / "content" / "facts.yaml"
    good_facts = facts.read_text(encoding="utf-8")
    with PreviewServer(seed000, port=0, log=lambda line: None) as preview:
        page.goto(preview.url)
        page.wait_for_selector(f"section[data-source='content/{SECTION}']", timeout=WAIT_MS)
        page.wait_for_function("() => document.getElementById('status').textContent.includes('已连接')", timeout=WAIT_MS)
        page.evaluate("window.reportkitMarker = 'same page'")
        page.evaluate("window.scrollTo(0, 1600)")
        scrolled = page.evaluate("window.scrollY")
        assert scrolled == 1600

        # a save: the new words appear, same page (no reload), same place
        section.write_text("浏览器测试写入的新段落，第一次。\n", encoding="utf-8")
        wait_for_text(page, "浏览器测试写入的新段落，第一次。")
        assert page.evaluate("window.reportkitMarker") == "same page"
        assert page.evaluate("window.scrollY") == scrolled
        page.wait_for_function("() => document.getElementById('status').textContent.includes('已更新')", timeout=WAIT_MS)
        screenshot(page, "preview-updated.png")

        # broken facts: the message with file and line, instead of the report
        facts.write_text(good_facts.replace("initial: 57373.02", "initial: [57373.02"), encoding="utf-8")
        page.wait_for_selector(".build-error", timeout=WAIT_MS)
        message = page.inner_text(".build-error")
        assert "facts.yaml:11" in message and "YAML" in message
        assert page.query_selector("section.block") is None
        assert "报告有错误" in page.inner_text("#status")
        screenshot(page, "preview-error.png")

        # fixed: the report is back, still the same page, and the reader where they were
        facts.write_text(good_facts, encoding="utf-8")
        page.wait_for_selector("section.block", timeout=WAIT_MS)
        assert page.query_selector(".build-error") is None
        assert "浏览器测试写入的新段落，第一次。" in report_text(page)
        assert page.evaluate("window.reportkitMarker") == "same page"
        assert page.evaluate("window.scrollY") == scrolled

        # a second edit after the recovery
        section.write_text("第二次修改：内容已经变了。\n", encoding="utf-8")
        wait_for_text(page, "第二次修改：内容已经变了。")
        assert "第一次" not in report_text(page)
        assert page.evaluate("window.reportkitMarker") == "same page"
    assert page.problems == []  # type: ignore[attr-defined] # no CSP violation, no script error


def test_the_page_reads_like_the_report(seed000: Path, page: Page) -> None:
    with PreviewServer(seed000, port=0, log=lambda line: None) as preview:
        page.goto(preview.url)
        page.wait_for_selector("table.annex-table", timeout=WAIT_MS)
        body_font = page.evaluate("getComputedStyle(document.querySelector('.block p')).fontFamily")
        assert "仿宋_GB2312" in body_font and "Noto Serif CJK SC" in body_font
        # the annex: 部门决策 is one cell over its four indicators
        spans = page.evaluate("""[...document.querySelectorAll('.annex-table td')]
            .filter(td => td.textContent === '部门决策').map(td => td.rowSpan)""")
        assert spans == [4]
        # the score panel beside the pages, with the total and the deduction's reason
        panel = page.inner_text("aside.scores")
        assert "93.78" in panel and "优" in panel and "扣 0.1 分" in panel
        box_pages = page.locator("main.report").bounding_box()
        box_panel = page.locator("aside.scores").bounding_box()
        assert box_panel["x"] >= box_pages["x"] + box_pages["width"]
        page.click("nav.outline a[href='#annex']")
        page.wait_for_function("() => window.scrollY > 1000", timeout=WAIT_MS)
        screenshot(page, "preview-annex.png")
    assert page.problems == []  # type: ignore[attr-defined]


def test_standalone_file_needs_nothing_else(seed000: Path, page: Page, tmp_path: Path) -> None:
    out = tmp_path / "report.html"
    write_html(load_report(seed000), out)
    requested: list[str] = []
    page.on("request", lambda r: requested.append(r.url))
    page.goto(out.as_uri())
    page.wait_for_selector("table.annex-table", timeout=WAIT_MS)
    assert requested == [out.as_uri()]
    page.emulate_media(media="print")
    hidden = page.evaluate("""['nav.outline', 'aside.scores']
        .map(s => getComputedStyle(document.querySelector(s)).display)""")
    assert hidden == ["none", "none"]
    assert page.pdf(format="A4")[:4] == b"%PDF"
    page.emulate_media(media="screen")
    screenshot(page, "standalone.png")
    assert page.problems == []  # type: ignore[attr-defined]
