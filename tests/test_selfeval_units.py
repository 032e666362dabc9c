"""The 自评表 in 元 (`targets.unit: 元`, exact) and with blank cells (null or ''), issue 18."""

from __future__ import annotations

import re
import shutil
from decimal import Decimal
from pathlib import Path

import pytest
from conftest import DATA, write_sections
from docx import Document

from reportkit import check_report
from reportkit.build import build
from reportkit.errors import ReportError
from reportkit.load import targets_grid
from reportkit.load.facts import parse_facts
from reportkit.load.yamlio import load_yaml

TITLE = "2021年度部门整体绩效评价报告"
GOALS = "  goals: [{expected: 目标, actual: 完成}]\n"
INDICATORS = "  indicators: [{level: 产出指标, group: 数量指标, name: 件数, expected: 10 件, actual: 12 件}]\n"


def _parse(tmp_path: Path, block: str):  # noqa: ANN202
    """Seed 000's facts (32 lines) with `block` from line 33 on."""
    path = tmp_path / "facts.yaml"
    seed = (DATA / "check" / "seed000" / "content" / "facts.yaml").read_text(encoding="utf-8")
    path.write_text(seed + block, encoding="utf-8")
    return parse_facts(*load_yaml(path))


def _texts(grid) -> list[list[str]]:  # noqa: ANN001
    return [[c.text for c in row] for row in grid]


def test_yuan_amounts_give_the_table_the_wan_amounts_give(tmp_path: Path) -> None:
    wan = _parse(
        tmp_path,
        "targets:\n  tasks:\n"
        "    - {name: 人员支出, result: 已完成, budget: 9883.5, spent: 9679.070878}\n"
        "    - {name: 公用支出, result: 已完成, budget: 453, spent: 313.710629}\n"
        + GOALS
        + INDICATORS,
    )
    yuan = _parse(
        tmp_path,
        "targets:\n  unit: 元\n  tasks:\n"
        "    - {name: 人员支出, result: 已完成, budget: 98835000.00, spent: 96790708.78}\n"
        "    - {name: 公用支出, result: 已完成, budget: '4530000', spent: 3137106.29}\n"
        + GOALS
        + INDICATORS,
    )
    assert yuan.targets.tasks[0].spent == Decimal("9679.070878")  # exact: 元 ÷ 10,000, no rounding
    assert _texts(targets_grid(yuan.targets, "某局", 2021)) == _texts(
        targets_grid(wan.targets, "某局", 2021)
    )
    rows = _texts(targets_grid(yuan.targets, "某局", 2021))
    assert rows[3][2:] == ["98835000.00", "98835000.00", "96790708.78", "96790708.78"]
    assert rows[5][1:] == ["103365000.00", "103365000.00", "99927815.07", "99927815.07"]


def test_many_digits_in_yuan_stay_exact(tmp_path: Path) -> None:
    facts = _parse(
        tmp_path,
        "targets:\n  unit: 元\n  tasks:\n"
        "    - {name: 甲, result: 乙, budget: '123456789012345678901234567.89', spent: 0.01}\n"
        + GOALS
        + INDICATORS,
    )
    rows = _texts(targets_grid(facts.targets, "某局", 2021))
    assert rows[3][2:] == [
        "123456789012345678901234567.89",
        "123456789012345678901234567.89",
        "0.01",
        "0.01",
    ]


@pytest.mark.parametrize(
    ("block", "key", "line", "words"),
    [
        (
            "targets:\n  unit: 千元\n  tasks: [{name: 甲, result: 乙, budget: 1, spent: 1}]\n",
            "targets.unit",
            34,
            "金额单位“千元”不是可选值",
        ),
        (
            "targets:\n  unit: 元\n  tasks:\n    - {name: 甲, result: 乙, budget: 1.005, spent: 1}\n",
            "targets.tasks.0.budget",
            36,
            "以元为单位的金额最多两位小数（到分），写的是 1.005",
        ),
        (
            "targets:\n  unit: 元\n  tasks:\n    - {name: 甲, result: 乙, budget: 10, spent: 9, spent_fiscal: 9.5}\n",
            "targets.tasks.0.spent_fiscal",
            36,
            "执行数中的财政拨款 9.5 不能大于执行数全额 9",
        ),
    ],
)
def test_bad_units_and_amounts_are_named(
    tmp_path: Path, block: str, key: str, line: int, words: str
) -> None:
    with pytest.raises(ReportError) as caught:
        _parse(tmp_path, block + GOALS + INDICATORS)
    assert (caught.value.key, caught.value.line) == (key, line)
    assert words in caught.value.message and caught.value.expected


BLANKS = (
    "targets:\n  tasks:\n"
    "    - {name: 人员支出, result: '', budget: 9883.5, budget_fiscal: '', spent: 9679.070878, spent_fiscal: ~}\n"
    "    - {name: 公用支出, result: 已完成, budget: 453, spent: ''}\n"
    "  goals: [{expected: 目标, actual: ''}]\n"
    "  indicators:\n"
    "    - {level: 效益指标, group: 社会效益指标, name: 引航安全事故, expected: 0 起, actual: ~}\n"
)


def test_blank_cells_print_empty_and_totals_sum_what_is_given(tmp_path: Path) -> None:
    facts = _parse(tmp_path, BLANKS)
    task = facts.targets.tasks[0]
    assert (task.result, task.budget_fiscal, task.spent_fiscal) == ("", None, None)
    rows = _texts(targets_grid(facts.targets, "某局", 2021))
    assert rows[3] == ["人员支出", "", "98835000.00", "", "96790708.78", ""]
    assert rows[4] == ["公用支出", "已完成", "4530000.00", "4530000.00", "", ""]
    assert rows[5] == [
        "金额合计",
        "103365000.00",
        "4530000.00",
        "96790708.78",
        "",
    ]  # an all-blank column: blank
    assert rows[7] == ["目标", ""] and rows[-1][-1] == ""


def test_blank_cells_in_word_html_and_check(tmp_path: Path) -> None:
    root = tmp_path / "r"
    shutil.copytree(DATA / "seed000", root)
    write_sections(root)
    facts = root / "content" / "facts.yaml"
    facts.write_text(facts.read_text(encoding="utf-8") + BLANKS, encoding="utf-8")
    result = check_report(root)
    assert not result.of("error")
    assert not [
        f for f in result.findings if f.key == "targets.tasks" and "执行数合计" in f.message
    ]  # partial: not compared
    build(root)
    table = next(
        t
        for t in Document(str(root / "build" / f"{TITLE}.docx")).tables
        if t.rows[0].cells[0].text == "部门（单位）名称"
    )
    rows = [[c.text for c in r.cells] for r in table.rows]
    assert rows[3][1:] == ["人员支出", "", "98835000.00", "", "96790708.78", ""]
    assert rows[5][1:] == ["金额合计", "金额合计", "103365000.00", "4530000.00", "96790708.78", ""]
    html = (root / "build" / f"{TITLE}.html").read_text(encoding="utf-8")
    part = html[html.index('id="targets"') :]
    assert re.search(
        r"<td>人员支出</td><td[^>]*></td><td>98835000\.00</td><td></td><td>96790708\.78</td><td></td>",
        part,
    )


def test_a_left_out_key_is_still_a_mistake(tmp_path: Path) -> None:
    with pytest.raises(ReportError) as caught:
        _parse(
            tmp_path, "targets:\n  tasks: [{name: 甲, budget: 1, spent: 1}]\n" + GOALS + INDICATORS
        )
    assert "缺少“result”" in caught.value.message and "result: ''" in caught.value.message


def test_the_readme_example_in_yuan_loads(tmp_path: Path) -> None:
    readme = (Path(__file__).parent.parent / "README.md").read_text(encoding="utf-8")
    block = re.search(r"```yaml\n(targets:\n  unit: 元.*?)```", readme, re.S).group(1)
    assert "unit: 元" in readme and "''" in readme  # the unit key and the blank cell are documented
    task = _parse(tmp_path, block).targets.tasks[0]
    assert task.spent == Decimal("9679.070878")


def test_the_importer_writes_yuan_as_the_table_has_them(tmp_path: Path) -> None:
    from reportkit.importer.targets import TargetsReading, _yuan, targets_block

    def reading(amount: str) -> TargetsReading:
        r = TargetsReading()
        r.tasks = [
            {
                "name": "人员支出",
                "result": "已完成",
                "budget": _yuan("98,835,000.00"),
                "spent": _yuan(amount),
            }
        ]
        r.goals = [{"expected": "目标", "actual": "完成"}]
        r.indicators = [
            {
                "level": "产出指标",
                "group": "数量指标",
                "name": "件数",
                "expected": "1",
                "actual": "1",
            }
        ]
        return r

    block = "\n".join(targets_block(reading("96790708.78")))
    assert (
        "  unit: 元\n" in block and "budget: 98835000.00" in block and "spent: 96790708.78" in block
    )
    assert _parse(tmp_path, block.strip() + "\n").targets.tasks[0].spent == Decimal("9679.070878")
    # a table with fractions of a 分 keeps 万元 (a 元 amount may have two decimals only)
    block = "\n".join(targets_block(reading("96790708.785")))
    assert "unit:" not in block and "spent: 9679.0708785" in block
    assert _parse(tmp_path, block.strip() + "\n").targets.tasks[0].spent == Decimal("9679.0708785")
