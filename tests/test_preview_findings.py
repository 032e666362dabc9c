"""The findings of `reportkit check` in the preview, next to the paragraph they concern: placed
through `{{ }}` expansions, checked only once the files are still, never stale, never in the
standalone file or the text compared with Word; and in real Chromium."""

from __future__ import annotations

import re
import shutil
import time
from pathlib import Path

import pytest
import test_preview_browser as pb
from test_html_docx_text import _HtmlSections, _norm

from reportkit.assemble.markdown import parse
from reportkit.assemble.report import Block, load_report, template_context
from reportkit.check.run import check_report
from reportkit.findings import Finding
from reportkit.preview import server as preview
from reportkit.preview.server import Draft, PreviewServer
from reportkit.render.html.findings import place_in, rendered_lines, summary
from reportkit.render.html.render import Pictures, render_report, render_standalone

REPO = Path(__file__).parent.parent
SECTION = "1-4-预算执行情况.md"
REL = f"content/{SECTION}"
# The quarterly table above expands into many lines: source line 3 is far down the rendered text.
CONTRADICTS = '{{ tables.quarterly(caption="分季度预算执行情况") }}\n\n公众满意度为85.34%，较上年有所提高。\n\n其他内容。\n'
PARAGRAPH = "<p>公众满意度为85.34%，较上年有所提高。</p>\n"

browser, page = pb.browser, pb.page  # the Chromium fixtures


@pytest.fixture
def example(tmp_path: Path) -> Path:
    """A copy of the repository's example report."""
    root = tmp_path / "example"
    shutil.copytree(REPO / "content", root / "content")
    return root


def _warning(root: Path) -> Finding:
    findings = check_report(root).findings
    assert [(f.severity, f.file, f.line) for f in findings] == [("warning", REL, 3)]
    assert "满意度" in findings[0].message
    return findings[0]


def test_a_contradicting_number_is_shown_right_after_its_paragraph(example: Path) -> None:
    (example / "content" / SECTION).write_text(CONTRADICTS, encoding="utf-8")
    finding = _warning(example)
    report = load_report(example)
    context = template_context(report.facts, report.framework, report.metrics, report.scores)
    assert rendered_lines(CONTRADICTS, context, REL)[3] > 10  # the table is above it

    html = render_report(report, Pictures(example, embed=False), [finding])
    aside = ('<aside class="finding warning"><span class="finding-severity">警告</span> '
             f'<span class="finding-location">{REL}:3</span> '
             f'<span class="finding-text">{finding.text()}</span> '
             '<span class="finding-suggestion">建议改为：<code>{{ satisfaction }}</code></span></aside>\n')
    assert PARAGRAPH + aside + "<p>其他内容。</p>" in html
    assert html.count('class="finding ') == 1
    assert "<h3>检查结果：1 个警告</h3>" in html and "其中 1 条标在正文相关段落之后" in html
    assert "finding" not in re.sub(r"<style>.*?</style>", "", render_standalone(report), flags=re.S)


def test_findings_do_not_change_the_section_text(example: Path) -> None:
    """The HTML/Word comparison skips findings: with them, each section says the same."""
    (example / "content" / SECTION).write_text(CONTRADICTS, encoding="utf-8")
    report = load_report(example)
    findings = [*check_report(example).findings, Finding("todo", "sections", "待写", "content/3-1-经验做法.md")]

    def sections(html: str) -> dict[str, str]:
        parser = _HtmlSections()
        parser.feed(html)
        return {block: _norm("".join(text)) for block, text in parser.sections.items()}

    plain = render_report(report, Pictures(example, embed=False))
    marked = render_report(report, Pictures(example, embed=False), findings)
    assert marked.count('<aside class="finding ') == 2
    assert sections(marked) == sections(plain)


def test_placement_in_lists_code_and_footnotes() -> None:
    markdown = "段落一\n续行。\n\n- 甲\n- 乙\n\n[^a]: 脚注。\n\n```\n代码\n```\n\n# 标题\n\n末段[^a]。\n"
    tokens = parse(markdown)
    block = Block(2, "（一）", "测试", REL, markdown, tokens)
    lines = {n: n - 1 for n in range(1, markdown.count("\n") + 1)}  # no {{ }}: the same lines

    def at(line: int | None) -> Finding:
        return Finding("notice", "numbers", f"第 {line} 行", REL, line)

    placed = place_in(block, [at(2), at(5), at(7), at(10), at(13), at(None), at(3)], lines)
    after = {tokens[i].type: [f.line for f in found] for i, found in placed.after.items()}
    assert after == {"paragraph_close": [2], "bullet_list_close": [5], "fence": [10], "heading_close": [13]}
    assert [f.line for f in placed.end] == [7, None, 3]  # a footnote, no line, a blank line


def test_summary_counts_by_severity() -> None:
    found = [Finding(s, "facts", "x") for s in ("notice", "warning", "notice", "error", "todo", "notice")]
    assert summary(found) == "1 个错误，1 个警告，1 项待办，3 条提示"
    assert summary([]) == ""


def test_the_draft_checks_once_the_files_are_still(example: Path) -> None:
    section = example / "content" / SECTION
    original = section.read_text(encoding="utf-8")
    lines: list[str] = []
    draft = Draft(example, lines.append)
    assert not draft.poll() and draft.build.version == 1  # just built: not checked yet
    time.sleep(preview.CHECK_AFTER_SECONDS + 0.05)
    assert not draft.poll() and draft.build.version == 1 and draft.unchecked is None  # checked now
    assert len(lines) == 1 and "已生成（" in lines[0]  # nothing found: nothing logged, nothing published

    draft = Draft(example, lines.append, check_after=0)
    section.write_text(CONTRADICTS, encoding="utf-8")
    assert draft.poll() and draft.build.version == 2 and draft.build.findings == ()
    assert PARAGRAPH in draft.build.fragment and 'class="finding' not in draft.build.fragment
    assert not draft.poll()
    assert draft.build.version == 3 and [(f.file, f.line) for f in draft.build.findings] == [(REL, 3)]
    assert PARAGRAPH + '<aside class="finding warning">' in draft.build.fragment
    assert re.fullmatch(r"\d\d:\d\d:\d\d 检查：1 个警告（\d+ 毫秒）", lines[-1])
    assert "已重新生成" not in lines[-1]
    assert not draft.poll() and draft.build.version == 3  # checked once

    section.write_text(original, encoding="utf-8")
    assert draft.poll() and draft.build.version == 4 and draft.build.findings == ()
    assert not draft.poll() and draft.build.version == 4
    assert re.fullmatch(r"\d\d:\d\d:\d\d 检查：没有发现问题（\d+ 毫秒）", lines[-1])


def test_a_save_during_the_check_publishes_no_stale_findings(example: Path, monkeypatch) -> None:
    section = example / "content" / SECTION
    section.write_text(CONTRADICTS, encoding="utf-8")
    saves = ["公众满意度为91.26%。\n"]

    def check_then_save(root: Path):  # noqa: ANN202
        result = check_report(root)
        if saves:
            section.write_text(saves.pop(), encoding="utf-8")  # the author fixed it meanwhile
        return result

    monkeypatch.setattr(preview, "check_report", check_then_save)
    draft = Draft(example, lambda line: None, check_after=0)
    assert not draft.poll()  # checked, found the warning, but the file changed: not shown
    assert draft.build.version == 1 and draft.build.findings == ()
    assert draft.poll() and draft.build.version == 2 and "91.26%" in draft.build.fragment
    assert not draft.poll() and draft.build.version == 2 and draft.build.findings == ()
    assert 'class="finding' not in draft.build.fragment


def test_a_failing_check_does_not_stop_the_preview(example: Path, monkeypatch) -> None:
    def broken(root: Path):  # noqa: ANN202
        raise RuntimeError("boom")

    monkeypatch.setattr(preview, "check_report", broken)
    lines: list[str] = []
    draft = Draft(example, lines.append, check_after=0)
    assert not draft.poll() and draft.build.version == 1 and draft.build.ok
    assert "检查时出现内部错误：RuntimeError: boom" in lines[-1]
    (example / "content" / SECTION).write_text("新的一段。\n", encoding="utf-8")
    assert draft.poll() and draft.build.version == 2 and "新的一段。" in draft.build.fragment


@pytest.mark.needs("chromium")
def test_the_finding_appears_beside_the_paragraph_and_goes(seed000: Path, page) -> None:  # noqa: ANN001
    section = seed000 / "content" / "1-1-主要职能.md"
    selector = "section[data-source='content/1-1-主要职能.md'] aside.finding.warning"
    with PreviewServer(seed000, port=0, log=lambda line: None) as server:
        page.goto(server.url)
        page.wait_for_function("() => document.getElementById('status').textContent.includes('已连接')",
                               timeout=pb.WAIT_MS)
        section.write_text("第一段。\n\n公众满意度为85.34%，较上年提高。\n\n第三段。\n", encoding="utf-8")
        page.wait_for_selector(selector, timeout=pb.WAIT_MS)
        before = page.evaluate(f"document.querySelector(\"{selector}\").previousElementSibling.textContent")
        assert before == "公众满意度为85.34%，较上年提高。"
        text = page.inner_text(selector)
        assert "警告" in text and "content/1-1-主要职能.md:3" in text and "86.34" in text
        assert "检查结果：1 个警告" in page.inner_text("aside.scores")
        colour = page.evaluate(f"getComputedStyle(document.querySelector(\"{selector}\")).borderLeftColor")
        assert colour == "rgb(199, 119, 0)"  # styled by its severity
        page.locator(selector).scroll_into_view_if_needed()
        pb.screenshot(page, "preview-finding.png")

        section.write_text("第一段。\n\n公众满意度为86.34%，较上年提高。\n\n第三段。\n", encoding="utf-8")
        pb.wait_for_text(page, "公众满意度为86.34%")
        assert page.query_selector("aside.finding") is None
        page.wait_for_timeout((preview.CHECK_AFTER_SECONDS + 0.5) * 1000)  # checked again: still nothing
        assert page.query_selector("aside.finding") is None
        assert "检查结果" not in page.inner_text("aside.scores")
    assert page.problems == []  # no CSP violation (no inline style), no script error
