"""The 目标完成情况自评表 annex from the `targets:` block (seed 002's last table)."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from conftest import DATA, write_sections
from docx import Document
from docx.enum.section import WD_ORIENT
from docx.oxml.ns import qn

from reportkit.build import build
from reportkit.errors import ReportError
from reportkit.load.facts import parse_facts
from reportkit.load.yamlio import load_yaml

TITLE = "2021年度部门整体绩效评价报告"
TARGETS = (DATA / "selfeval" / "targets.yaml").read_text(encoding="utf-8")


def _root(tmp_path: Path, targets: str = TARGETS) -> Path:
    root = tmp_path / "r"
    shutil.copytree(DATA / "seed000", root)
    write_sections(root)
    facts = root / "content" / "facts.yaml"
    facts.write_text(facts.read_text(encoding="utf-8") + targets, encoding="utf-8")
    return root


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = _root(tmp_path_factory.mktemp("selfeval"))
    build(root)
    return root


def _targets_table(document):  # noqa: ANN001, ANN202
    return next(t for t in document.tables if t.rows[0].cells[0].text == "部门（单位）名称")


def test_the_annex_follows_the_scoring_annex_on_a_landscape_page(built: Path) -> None:
    document = Document(str(built / "build" / f"{TITLE}.docx"))
    texts = [p.text for p in document.paragraphs]
    scoring = texts.index("部门整体支出绩效评价指标评分情况表")
    assert texts[scoring - 1] == "附件1"
    second = texts.index("附件2")
    assert second > scoring and texts[second + 1] == "部门整体支出绩效目标完成情况自评表"
    assert document.paragraphs[second].paragraph_format.page_break_before
    body = document.element.body
    tables = body.findall(qn("w:tbl"))
    assert tables.index(_targets_table(document)._tbl) == len(tables) - 1
    assert document.sections[-1].orientation == WD_ORIENT.LANDSCAPE


def test_the_annex_values_in_yuan_with_the_totals_of_seed_002(built: Path) -> None:
    table = _targets_table(Document(str(built / "build" / f"{TITLE}.docx")))
    rows = [[c.text for c in r.cells] for r in table.rows]
    assert rows[0][2] == "深圳市人民政府口岸办公室" and rows[0][-1] == "2021"
    assert rows[3][1:] == ["人员支出", "完成保障单位人员的工资、社保、房补工作", "98835000.00", "98835000.00",
                           "96790708.78", "96790708.78"]
    assert rows[12][1:] == ["金额合计", "金额合计", "173788625.00", "173788625.00", "166192585.12", "166192585.12"]
    goal = rows[14]
    assert goal[1] == "2020 年完成安全、及时、优质引航 20000 艘次的目标" and goal[-1] == "全年完成引航 23306 艘次"
    assert rows[15][1:] == ["一级指标", "二级指标", "三级指标", "三级指标", "预期指标值", "实际完成指标值"]
    # grouped by 一级 in order of first appearance: 时效指标 and 成本指标 join 产出指标
    assert [r[2] for r in rows[16:]] == ["数量指标", "质量指标", "时效指标", "成本指标", "社会效益指标", "满意度指标"]
    assert rows[19][3:] == ["年度支出预算", "年度支出预算", "≤17378.86万元", "16619.26 万元"]


def test_the_annex_merges_cells_as_seed_002(built: Path) -> None:
    table = _targets_table(Document(str(built / "build" / f"{TITLE}.docx")))
    trs = table._tbl.findall(qn("w:tr"))

    def merge(tr, k: int) -> str | None:  # noqa: ANN001
        v = tr.findall(qn("w:tc"))[k].find(qn("w:tcPr")).find(qn("w:vMerge"))
        return None if v is None else (v.get(qn("w:val")) or "continue")

    labels = [merge(tr, 0) for tr in trs]
    # 年度主要任务完成情况 over rows 1-12, 年度总体目标 over 13-14, 年度绩效指标 over 15-21
    assert labels == [None, "restart", *["continue"] * 11, "restart", "continue", "restart", *["continue"] * 6]
    label = trs[1].findall(qn("w:tc"))[0]
    assert label.find(qn("w:tcPr")).find(qn("w:textDirection")).get(qn("w:val")) == "tbRlV"
    levels = [merge(tr, 1) for tr in trs[16:]]
    assert levels == ["restart", "continue", "continue", "continue", "restart", "continue"]
    spans = [tc.find(qn("w:tcPr")).find(qn("w:gridSpan")) for tc in trs[1].findall(qn("w:tc"))]
    assert [s.get(qn("w:val")) if s is not None else "1" for s in spans] == ["1", "1", "1", "2", "2"]


def test_the_annex_in_the_html(built: Path) -> None:
    html = (built / "build" / f"{TITLE}.html").read_text(encoding="utf-8")
    part = html[html.index('id="targets"'):]
    assert "附件2" in part and "部门整体支出绩效目标完成情况自评表" in part
    assert re.search(r'<td rowspan="12" class="strong vertical">年度主要任务完成情况</td>', part)
    assert re.search(r'<td rowspan="4">产出指标</td><td>数量指标</td><td colspan="2">引航货轮数量</td>', part)
    assert "<td>173788625.00</td><td>173788625.00</td><td>166192585.12</td><td>166192585.12</td>" in part
    assert '<a href="#targets">附件2</a>' in html


def test_without_targets_there_is_one_annex(tmp_path: Path) -> None:
    root = _root(tmp_path, "")
    build(root)
    document = Document(str(root / "build" / f"{TITLE}.docx"))
    texts = [p.text for p in document.paragraphs]
    assert "附件" in texts and "附件1" not in texts and "附件2" not in texts
    assert "目标完成情况自评表" not in "".join(texts)
    assert 'id="targets"' not in (root / "build" / f"{TITLE}.html").read_text(encoding="utf-8")


def _parse(tmp_path: Path, block: str):  # noqa: ANN202
    """Seed 000's facts (32 lines) with `block` from line 33 on."""
    path = tmp_path / "facts.yaml"
    path.write_text((DATA / "check" / "seed000" / "content" / "facts.yaml").read_text(encoding="utf-8") + block,
                    encoding="utf-8")
    return parse_facts(*load_yaml(path))


def test_fiscal_amounts_default_to_the_full_amounts(tmp_path: Path) -> None:
    task = _parse(tmp_path, TARGETS).targets.tasks[1]
    assert (task.budget, task.budget_fiscal, task.spent, task.spent_fiscal) == (453, 453, task.spent, task.spent)
    assert str(task.spent) == "313.710629"


GOOD_GOALS = "  goals: [{expected: 目标, actual: 完成}]\n"
GOOD_INDICATORS = "  indicators: [{level: 产出指标, group: 数量指标, name: 件数, expected: 10 件, actual: 12 件}]\n"
GOOD_TASK = "  tasks: [{name: 人员支出, result: 已完成, budget: 10, spent: 9}]\n"


@pytest.mark.parametrize(("block", "key", "line", "message"), [
    ("targets: 自评\n", "targets", 33, "需要键值对"),
    ("targets:\n  task: []\n", "targets.task", 34, "未知的键“task”"),
    ("targets:\n" + GOOD_GOALS + GOOD_INDICATORS, "targets", 33, "非空的列表“tasks”"),
    ("targets:\n  tasks: []\n" + GOOD_GOALS + GOOD_INDICATORS, "targets.tasks", 34, "非空的列表“tasks”"),
    ("targets:\n  tasks:\n    - {name: 人员支出, result: 已完成, budget: -1, spent: 9}\n" + GOOD_GOALS + GOOD_INDICATORS,
     "targets.tasks.0.budget", 35, "不能为负数"),
    ("targets:\n  tasks:\n    - {name: 人员支出, result: 已完成, budget: '9,883.5', spent: 9}\n" + GOOD_GOALS
     + GOOD_INDICATORS, "targets.tasks.0.budget", 35, "需要数字"),
    ("targets:\n  tasks:\n    - {name: 人员支出, result: 已完成, budget: 10, spent: 9, spent_fiscal: 9.5}\n"
     + GOOD_GOALS + GOOD_INDICATORS, "targets.tasks.0.spent_fiscal", 35, "不能大于执行数全额"),
    ("targets:\n  tasks:\n    - {result: 已完成, budget: 10, spent: 9}\n" + GOOD_GOALS + GOOD_INDICATORS,
     "targets.tasks.0", 35, "缺少“name”"),
    ("targets:\n  tasks:\n    - {name: 人员支出, result: 已完成, budget: 10}\n" + GOOD_GOALS + GOOD_INDICATORS,
     "targets.tasks.0", 35, "缺少金额“spent”"),
    ("targets:\n" + GOOD_TASK + GOOD_GOALS + "  indicators:\n    - {level: 产出指标, group: 数量指标, name: 件数, expected: 10}\n",
     "targets.indicators.0", 37, "缺少“actual”"),
    ("targets:\n" + GOOD_TASK + "  goals: [目标]\n" + GOOD_INDICATORS, "targets.goals.0", 35, "需要键值对"),
])
def test_bad_targets_are_named_with_file_line_and_key(tmp_path: Path, block: str, key: str, line: int,
                                                      message: str) -> None:
    with pytest.raises(ReportError) as caught:
        _parse(tmp_path, block)
    error = caught.value
    assert message in error.message
    assert (error.key, error.line) == (key, line)
    assert error.file.endswith("facts.yaml") and error.expected
