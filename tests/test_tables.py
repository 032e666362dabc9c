"""Generated tables in the text: {{ tables.quarterly() }} and friends, numbered per chapter."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from conftest import DATA, write_sections
from docx import Document

from reportkit.assemble.report import Report, assemble, load_report, load_scores
from reportkit.build import build
from reportkit.check.run import check_report
from reportkit.errors import ReportError

TITLE = "2021年度部门整体绩效评价报告"


def _report_dir(tmp_path: Path, sections: dict[str, str], facts_edit=None) -> Path:  # noqa: ANN001
    """Seed 000's facts, a short body in every section, plus the given text per section file."""
    root = tmp_path / "r"
    shutil.copytree(DATA / "seed000", root)
    write_sections(root)
    if facts_edit:
        facts = root / "content" / "facts.yaml"
        facts.write_text(facts_edit(facts.read_text(encoding="utf-8")), encoding="utf-8")
    for name, text in sections.items():
        path = root / "content" / name
        path.write_text(path.read_text(encoding="utf-8") + "\n" + text, encoding="utf-8")
    return root


def _loaded(root: Path) -> tuple:
    """What assemble needs, also when facts a score needs are missing (load_report stops there)."""
    paths, facts, framework, metrics, scores = load_scores(root)
    return facts, framework, metrics, scores, paths, {}


def _markdown(report: Report, file: str) -> str:
    return next(b.markdown for b in report.blocks if b.source and b.source.endswith(file))


def _table_lines(markdown: str) -> list[list[str]]:
    return [[c.strip() for c in line.strip("|").split("|")] for line in markdown.splitlines()
            if line.startswith("|") and not set(line) <= set("|-: ")]


SEED_QUARTERLY = [
    ["季度", "累计支出（万元）", "全年预算（万元）", "支出进度", "序时进度", "执行率"],
    ["第一季度", "13,757.79", "64,689.48", "21.27%", "25%", "85.07%"],
    ["第二季度", "33,261.44", "64,689.48", "51.42%", "50%", "102.83%"],
    ["第三季度", "39,086.96", "64,689.48", "60.42%", "75%", "80.56%"],
    ["第四季度", "60,994.53", "64,689.48", "94.29%", "100%", "94.29%"],
    ["全年平均执行率", "", "", "", "", "90.69%"],
]


def test_quarterly_table_computed_from_seed_000(tmp_path: Path) -> None:
    root = _report_dir(tmp_path, {"2-3-履职绩效情况.md": "{{ tables.quarterly() }}\n"})
    markdown = _markdown(load_report(root), "2-3-履职绩效情况.md")
    assert _table_lines(markdown) == SEED_QUARTERLY
    assert "单位：万元" in markdown
    assert not re.search("^表", markdown, re.M)  # no caption asked for


def test_quarterly_table_with_progress_only_shows_dashes(tmp_path: Path) -> None:
    def progress_only(text: str) -> str:
        return text.replace("cumulative_spent: [13757.79, 33261.44, 39086.96, 60994.53]",
                            "progress: [26.1, 50.6, 73.6, 99.45]")

    root = _report_dir(tmp_path, {"2-3-履职绩效情况.md": "{{ tables.quarterly() }}\n"}, progress_only)
    rows = _table_lines(_markdown(load_report(root), "2-3-履职绩效情况.md"))
    assert rows[1] == ["第一季度", "—", "—", "26.10%", "25%", "104.40%"]
    assert rows[4] == ["第四季度", "—", "—", "99.45%", "100%", "99.45%"]
    # seed 001: (104.4 + 101.2 + 98.133… + 99.45) / 4
    assert rows[5] == ["全年平均执行率", "", "", "", "", "100.80%"]


def test_procurement_and_fixed_assets_tables(tmp_path: Path) -> None:
    root = _report_dir(tmp_path, {"1-4-预算执行情况.md": "{{ tables.procurement() }}\n\n{{ tables.fixed_assets() }}\n"})
    rows = _table_lines(_markdown(load_report(root), "1-4-预算执行情况.md"))
    assert rows == [
        ["采购计划金额", "实际采购金额", "政府采购执行率"], ["485.43", "485.43", "100%"],
        ["固定资产总额", "在用固定资产", "固定资产利用率"], ["4,478.54", "4,381.90", "97.84%"],
    ]


def test_captions_are_numbered_per_chapter_after_tables_typed_by_hand(tmp_path: Path) -> None:
    manual = "表1-1 内设机构及主要职能\n\n| 机构 | 职能 |\n| --- | --- |\n| 办公室 | 综合协调 |\n"
    root = _report_dir(tmp_path, {
        "0-引言.md": '{{ tables.fixed_assets(caption="固定资产") }}\n',
        "1-1-主要职能.md": manual,
        "1-4-预算执行情况.md": '{{ tables.procurement(caption="政府采购执行情况") }}\n\n'
                               '{{ tables.fixed_assets(caption="固定资产利用情况") }}\n',
        "2-3-履职绩效情况.md": '{{ tables.quarterly(caption="分季度预算执行情况") }}\n\n'
                               '{{ tables.procurement(caption="表2-9 手工编号的表") }}\n',
    })
    report = load_report(root)
    captions = [line for b in [report.intro, *report.blocks] for line in b.markdown.splitlines()
                if re.match(r"^表\d", line)]
    assert captions == ["表1 固定资产", "表1-1 内设机构及主要职能", "表1-2 政府采购执行情况",
                        "表1-3 固定资产利用情况", "表2-1 分季度预算执行情况", "表2-9 手工编号的表"]


def test_tables_in_the_word_file_and_the_html(tmp_path: Path) -> None:
    root = _report_dir(tmp_path, {"2-3-履职绩效情况.md": '{{ tables.quarterly(caption="分季度预算执行情况") }}\n'})
    build(root)
    document = Document(str(root / "build" / f"{TITLE}.docx"))
    table = next(t for t in document.tables if t.rows[0].cells[0].text == "季度")
    assert [[c.text for c in r.cells] for r in table.rows] == SEED_QUARTERLY
    paragraphs = document.paragraphs
    caption = next(k for k, p in enumerate(paragraphs) if p.text == "表2-1 分季度预算执行情况")
    assert paragraphs[caption].style.name == "Caption"
    assert paragraphs[caption + 1].text == "单位：万元"
    assert paragraphs[caption + 1].style.name == "单位行"
    html = (root / "build" / f"{TITLE}.html").read_text(encoding="utf-8")
    assert '<p class="caption">表2-1 分季度预算执行情况</p>' in html
    assert '<p class="unit">单位：万元</p>' in html
    assert re.search(r"<td[^>]*>第二季度</td>\s*<td[^>]*>33,261.44</td>", html)
    assert re.search(r"<td[^>]*>全年平均执行率</td>(\s*<td[^>]*></td>){4}\s*<td[^>]*>90.69%</td>", html)


def test_missing_facts_name_the_section_line_and_the_facts(tmp_path: Path) -> None:
    def no_quarters(text: str) -> str:
        return text.replace("quarterly:\n  cumulative_spent: [13757.79, 33261.44, 39086.96, 60994.53]\n", "")

    root = _report_dir(tmp_path, {"2-3-履职绩效情况.md": "文字\n\n{{ tables.quarterly() }}\n"}, no_quarters)
    lines = (root / "content" / "2-3-履职绩效情况.md").read_text(encoding="utf-8").splitlines()
    line = lines.index("{{ tables.quarterly() }}") + 1
    with pytest.raises(ReportError) as caught:
        assemble(*_loaded(root))
    error = caught.value
    assert (error.file, error.line) == ("content/2-3-履职绩效情况.md", line)
    assert "quarterly.cumulative_spent" in error.message and "quarterly.progress" in error.message
    assert f"content/2-3-履职绩效情况.md:{line}" in str(error)
    findings = [f for f in check_report(root).findings if f.file == "content/2-3-履职绩效情况.md"]
    assert any(f.line == line and "quarterly.cumulative_spent" in f.message for f in findings)


def test_procurement_table_needs_both_amounts(tmp_path: Path) -> None:
    root = _report_dir(tmp_path, {"1-4-预算执行情况.md": "{{ tables.procurement() }}\n"},
                       lambda t: t.replace("procurement: {plan: 485.43, actual: 485.43}\n", ""))
    with pytest.raises(ReportError, match="procurement.plan、procurement.actual"):
        assemble(*_loaded(root))


def test_a_caption_must_be_text(tmp_path: Path) -> None:
    root = _report_dir(tmp_path, {"1-4-预算执行情况.md": "{{ tables.fixed_assets(caption=3) }}\n"})
    with pytest.raises(ReportError, match="caption") as caught:
        load_report(root)
    assert caught.value.file == "content/1-4-预算执行情况.md"


def test_check_accepts_tables(tmp_path: Path) -> None:
    root = _report_dir(tmp_path, {"2-3-履职绩效情况.md": '{{ tables.quarterly(caption="分季度") }}\n'})
    assert not [f for f in check_report(root).findings if f.severity == "error"]
