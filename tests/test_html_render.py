"""Issue 5: markdown-it tokens → HTML (escaping, tables, lists, notes, pictures), the page, the
annex and score panel, and the standalone build/<title>.html."""

from __future__ import annotations

import re
import struct
import zlib
from html.parser import HTMLParser
from pathlib import Path

from reportkit.assemble.markdown import parse
from reportkit.assemble.report import load_report
from reportkit.findings import Finding
from reportkit.render.html.render import (
    Notes,
    Pictures,
    render_body,
    render_error,
    render_report,
    render_standalone,
    write_html,
)


def tiny_png() -> bytes:
    """A valid 1×1 PNG."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    ihdr = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(b"\0\0\0\0")) + chunk(b"IEND", b"")


def body(markdown: str, root: Path, embed: bool = False) -> str:
    return render_body(parse(markdown), Pictures(root, embed), root / "content")


def text_of(html: str) -> str:
    class Text(HTMLParser):
        def __init__(self) -> None:
            super().__init__()
            self.parts: list[str] = []

        def handle_data(self, data: str) -> None:
            self.parts.append(data)

    parser = Text()
    parser.feed(html)
    return "".join(parser.parts)


def test_raw_html_is_shown_as_text(tmp_path: Path) -> None:
    md = "执行率<b>94%</b>。\n\n<script>alert('x')</script>\n\n<div onclick=\"x()\">块</div>\n"
    html = body(md, tmp_path)
    assert "<script" not in html and "<b>" not in html and "<div" not in html
    assert "&lt;b&gt;94%&lt;/b&gt;" in html
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in html or "&lt;script&gt;alert('x')&lt;/script&gt;" in html
    assert "<b>94%</b>" in text_of(html)  # the reader sees what the author typed


def test_link_with_script_url_is_not_a_link(tmp_path: Path) -> None:
    html = body("[点我](javascript:alert(1))\n", tmp_path)
    assert "href" not in html and "javascript:" in text_of(html)


def test_table_with_alignment_and_caption(tmp_path: Path) -> None:
    md = ("表1-1 内设机构及主要职能\n\n单位：万元\n\n"
          "| 处室 | 人数 | 预算 |\n|:---|:---:|---:|\n| 办公室 | 12 | 1,234.50 |\n| 财务&审计处 | 8 | 99.00 |\n")
    html = body(md, tmp_path)
    assert '<p class="caption">表1-1 内设机构及主要职能</p>' in html
    assert '<p class="unit">单位：万元</p>' in html
    assert '<table class="body-table">' in html
    assert '<th class="align-left">处室</th>' in html
    assert '<td class="align-center">12</td>' in html
    assert '<td class="align-right">1,234.50</td>' in html
    assert "财务&amp;审计处" in html
    assert "style=" not in html  # the preview page allows no inline styles


def test_a_caption_needs_a_table_after_it(tmp_path: Path) -> None:
    html = body("表1-1 不是表题，后面没有表格。\n\n正文。\n", tmp_path)
    assert 'class="caption"' not in html


def test_lists_carry_their_labels_as_text(tmp_path: Path) -> None:
    md = "1. 资金管理\n2. 项目管理\n   - 招标\n   - 验收\n\n正文。\n\n1) 第一\n2) 第二\n"
    html = body(md, tmp_path)
    text = text_of(html)
    assert "1. 资金管理" in text and "2. 项目管理" in text
    assert "◦ 招标" in text and "◦ 验收" in text  # nested bullets
    assert "（1）第一" in text and "（2）第二" in text  # "1)" is the Chinese "（1）"
    assert html.count('<ol class="list">') == 2 and html.count('<ul class="list">') == 1


def test_loose_list_label_inside_the_paragraph(tmp_path: Path) -> None:
    html = body("3. 甲\n\n4. 乙\n", tmp_path)
    assert '<li><p><span class="label">3. </span>甲</p>' in html
    assert '<span class="label">4. </span>乙' in html


def test_line_breaks_join_chinese_and_space_latin(tmp_path: Path) -> None:
    html = body("全年预算\n执行良好\nbudget\nexecution\n", tmp_path)
    assert "全年预算执行良好 budget execution" in text_of(html)


def test_headings_inside_a_section(tmp_path: Path) -> None:
    html = body("# 1. 资金管理\n\n## （1）预算执行\n\n正文。\n", tmp_path)
    assert '<h4 class="h3">1. 资金管理</h4>' in html and '<h5 class="h4">（1）预算执行</h5>' in html


def test_footnotes_are_numbered_through_the_report(tmp_path: Path) -> None:
    notes = Notes()
    pictures = Pictures(tmp_path, embed=False)
    first = render_body(parse("甲[^a]。\n\n[^a]: 注一\n"), pictures, tmp_path, notes, "b1")
    second = render_body(parse("乙[^a]。\n\n[^a]: 注二\n"), pictures, tmp_path, notes, "b2")
    assert '<a href="#b1-fn0">1</a>' in first and '<li id="b1-fn0" value="1">' in first
    assert '<a href="#b2-fn0">2</a>' in second and '<li id="b2-fn0" value="2">' in second
    assert "↩" not in first + second


def test_pictures_inside_the_folder_only(tmp_path: Path) -> None:
    root = tmp_path / "report"
    (root / "content" / "images").mkdir(parents=True)
    (root / "content" / "images" / "org.png").write_bytes(tiny_png())
    (tmp_path / "secret.png").write_bytes(tiny_png())
    (root / "content" / "images" / "link.png").symlink_to(tmp_path / "secret.png")
    (root / "content" / "notes.txt").write_text("x", encoding="utf-8")

    html = body("![机构图](images/org.png)\n", root)
    assert re.search(r'<img src="/images/content/images/org.png\?v=\d+" alt="机构图">', html)
    assert 'class="figure"' in html
    for src in ("../../secret.png", "images/link.png", "/etc/passwd", "notes.txt",
                "https://example.com/a.png", "images/missing.png"):
        html = body(f"![替代文字]({src})\n", root)
        assert "<img" not in html and "替代文字" in html, src

    pictures = Pictures(root, embed=True)  # the standalone file: placeholders, then each picture's bytes once
    embedded, css = pictures.embed_into(render_body(parse("![机构图](images/org.png)\n"), pictures, root / "content"))
    assert '<img src="data:image/png;base64,' in embedded and css == ""


def test_error_page_shows_the_message_as_text() -> None:
    html = render_error("content/facts.yaml:12：YAML 语法错误 <script>")
    assert "content/facts.yaml:12：YAML 语法错误 &lt;script&gt;" in html
    assert "<script>" not in html


def _with_override(root: Path) -> None:
    facts = root / "content" / "facts.yaml"
    facts.write_text(facts.read_text(encoding="utf-8") + (
        "overrides:\n  编外人员控制率:\n    score: 0.5\n    reason: 编外人员中 6 人为上级借调，经财政局同意按 0.5 分计\n"
    ), encoding="utf-8")


def test_standalone_page(seed000: Path) -> None:
    _with_override(seed000)
    report = load_report(seed000)
    html = render_standalone(report)

    # one file: inline CSS, printable, no script, nothing fetched from elsewhere
    assert "<style>" in html and "@media print" in html and "size: A4" in html
    assert "<script" not in html and "<link" not in html
    assert not re.search(r'(src|href)="(?!#|data:)', html)
    assert "default-src 'none'" in html
    assert "仿宋_GB2312" in html and '"Noto Serif CJK SC"' in html

    # cover and outline
    assert "<h1 class=\"title\">2021年度部门整体绩效评价报告</h1>" in html
    assert "部门名称（公章）：深圳市人民政府口岸办公室" in html and "联系电话：83758561" in html
    for block in report.blocks:
        assert f">{block.heading}</a>" in html
    assert "此次自评评分为 94.28 分" in html  # chapter 四, generated, with the override

    # annex: 部门决策 spans its four indicators, 预算编制 its two; the total row
    assert '<td rowspan="4">部门决策</td><td rowspan="4">20</td><td rowspan="2">预算编制</td>' in html
    assert '<th colspan="6">评价指标</th><th rowspan="3">指标说明</th>' in html
    assert re.search(r'<td colspan="3" class="strong">总分</td><td>100</td>.*?<td class="strong">94.28</td>', html)

    # score panel: the override and the deduction with their reasons
    assert '<tr class="indicator override"><td>编外人员控制率</td><td>1</td><td>0</td><td class="final">0.5</td>' in html
    assert "人工覆盖为 0.5 分，原因：编外人员中 6 人为上级借调，经财政局同意按 0.5 分计（按规则计算 0 分）" in html
    assert '<tr class="indicator lost"><td>预算编制合理性</td><td>5</td><td>—</td><td class="final">4.9</td>' in html
    assert "扣 0.1 分：年度中间预算调整幅度较大（调整比例 11.31%）" in html
    assert "按规则计算（不含覆盖）：93.78 分" in html
    assert "总分 <strong>94.28</strong> 分" in html


def test_standalone_is_byte_identical_for_the_same_input(seed000: Path, tmp_path: Path) -> None:
    report = load_report(seed000)
    write_html(report, tmp_path / "a.html")
    write_html(load_report(seed000), tmp_path / "b.html")
    assert (tmp_path / "a.html").read_bytes() == (tmp_path / "b.html").read_bytes()


def test_section_values_are_escaped(seed000: Path) -> None:
    (seed000 / "content" / "1-1-主要职能.md").write_text("单位 <{{ report.unit }}> & 预算。\n", encoding="utf-8")
    html = render_standalone(load_report(seed000))
    assert "单位 &lt;深圳市人民政府口岸办公室&gt; &amp; 预算。" in html


def test_check_findings_hook(seed000: Path) -> None:
    report = load_report(seed000)
    pictures = Pictures(seed000, embed=False)
    assert "检查结果" not in render_report(report, pictures)
    finding = Finding("warning", "facts", "执行率写作 <99%>，可疑", "content/facts.yaml", 5, "budget.spent")
    html = render_report(report, pictures, [finding])
    assert "<h3>检查结果：1 个警告</h3>" in html
    assert ('<aside class="finding warning"><span class="finding-severity">警告</span> '
            '<span class="finding-location">content/facts.yaml:5</span> '
            '<span class="finding-text">键“budget.spent”：执行率写作 &lt;99%&gt;，可疑</span></aside>') in html


def test_plain_inline_text_renders_as_the_inline_renderer_renders_it(tmp_path: Path) -> None:
    """BodyRenderer.render hands an inline token with one text child straight to the text rule:
    the same HTML as through renderInline, on every text the parser's shortcut tests use."""
    from test_parser_shortcuts import texts

    from reportkit.render.html.render import BodyRenderer

    class Slow(BodyRenderer):
        def render(self, tokens, options, env) -> str:  # noqa: ANN001
            out = []
            for i, token in enumerate(tokens):
                if token.type == "inline":
                    out.append(self.renderInline(token.children, options, env) if token.children else "")
                elif token.type in self.rules:
                    out.append(self.rules[token.type](tokens, i, options, env))
                else:
                    out.append(self.renderToken(tokens, i, options, env))
                out.append(self.after.get(i, ""))
            return "".join(out)

    for text in texts()[::3]:
        tokens = parse(text)
        after = {i: f"<!-- {i} -->" for i in range(0, len(tokens), 4)}
        fast = BodyRenderer(Pictures(tmp_path, False), tmp_path, Notes(), "b", after).render_section(tokens)
        slow = Slow(Pictures(tmp_path, False), tmp_path, Notes(), "b", after).render_section(tokens)
        assert fast == slow, text
