"""Issue 12: structure checks — list numbers, placeholders and template prompts, the 存在问题
section against the indicators that lost points, the 自评表 totals against the budget."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from reportkit.assemble import Line
from reportkit.check import check_report
from reportkit.check.structure import numbering, placeholders
from reportkit.check.text import normalize

DATA = Path(__file__).parent / "data" / "check"


def texts(text: str) -> list:
    return [normalize(Line(t, [i + 1] * len(t), [True] * len(t))) for i, t in enumerate(text.split("\n"))]


@pytest.mark.parametrize(("text", "found"), [
    ("1. 资金管理\n\n（1）政府采购\n\n（2）财务合规\n\n2. 项目管理\n\n（1）项目实施\n\n3. 资产管理", []),
    ("一、基本情况\n\n（一）职能\n\n（二）工作\n\n二、绩效分析\n\n（一）目标", []),
    ("1、经济性\n\n2、效率性\n\n4、公平性", [(5, "缺少“3、”")]),
    ("1、经济性\n\n2、效率性\n\n2、效果性", [(5, "编号重复")]),
    ("（1）预算执行率\n\n（3）项目完成及时情况", [(3, "缺少“（2）”")]),
    ("### 1. 经济性\n\n### 3. 效果性", [(3, "缺少“2.”")]),
    # criteria text: an item number glued to a figure (“2.90%＞…”), a table or a note in between
    ("1.固定资产利用率≥90%的，得 1分；\n2.90%＞固定资产利用率≥75%的，得 0.7分；\n3.75%＞固定资产利用率\n4.固定资产利用率＜60%的", []),
    ("1. 甲\n\n2. 乙\n\n| 指标 | 分值 |\n|---|---|\n| 甲 | 1 |\n\n2. 丙", []),
    ("1. 甲\n\n2. 乙\n\n附注：1.本表列示的指标\n\n2.各项指标的分值", []),
    ("1.8 万件文件已办结。\n\n2. 下一项", []),
])
def test_list_numbers(text: str, found: list) -> None:
    result = numbering("content/x.md", texts(text))
    assert [(f.line, any(w in f.message for w in [words])) for f, (_, words) in zip(result, found, strict=False)] \
        == [(line, True) for line, _ in found], [f.message for f in result]
    assert len(result) == len(found)


@pytest.mark.parametrize(("text", "count"), [
    ("20XX年部门预算执行情况", 1),
    ("××单位年初预算 ×× 万元", 2),
    ("部门主要职能（简要说明部门职责和内设机构）", 1),
    ("（请根据实际情况填写）", 1),
    ("经费情况待补充。", 1),
    ("得分 = 26 / 28 × 6 = 5.57 分；（说明：本表金额单位为万元）", 0),
    ("XXL 码服装；DeepX 平台", 0),
])
def test_placeholders_and_template_prompts(text: str, count: int) -> None:
    assert len(placeholders("content/x.md", texts(text))) == count


def seed000(tmp_path: Path) -> Path:
    return Path(shutil.copytree(DATA / "seed000", tmp_path / "seed000"))


def test_the_problem_section_against_the_lost_points(tmp_path: Path) -> None:
    root = seed000(tmp_path)
    section = root / "content/3-2-存在问题及改进措施.md"
    text = section.read_text(encoding="utf-8") + "\n（4）固定资产利用率不高\n\n该问题主要涉及扣分指标为“固定资产利用率”。\n"
    section.write_text(text, encoding="utf-8")
    found = [f for f in check_report(root).findings if f.file == "content/3-2-存在问题及改进措施.md"]
    wrong = [f for f in found if f.severity == "warning" and "固定资产利用率" in f.message]
    assert len(wrong) == 1 and "得满分（1 / 1 分）" in wrong[0].message
    assert wrong[0].line == text.split("\n").index("该问题主要涉及扣分指标为“固定资产利用率”。") + 1
    notice = next(f for f in found if f.severity == "notice")
    assert "“预算编制合理性”（4.9 / 5 分）" in notice.message and "“预算执行率”" not in notice.message


def test_the_self_evaluation_table_totals_against_the_budget(tmp_path: Path) -> None:
    root = seed000(tmp_path)
    facts = root / "content/facts.yaml"
    facts.write_text(facts.read_text(encoding="utf-8") + (
        "targets:\n  tasks:\n"
        "    - {name: 基本支出, result: 保障运转, budget: 3469.97, spent: 3116.23}\n"
        "    - {name: 项目支出, result: 完成项目, budget: 61219.51, spent: 56878.30}\n"
        "  goals:\n    - {expected: 口岸通关, actual: 完成}\n"
        "  indicators:\n    - {level: 产出指标, group: 数量指标, name: 口岸, expected: 6 个, actual: 6 个}\n"
    ), encoding="utf-8")
    found = [f for f in check_report(root).findings if f.key == "targets.tasks"]
    assert [f.severity for f in found] == ["warning"]
    assert "执行数合计 59,994.53 万元" in found[0].message and "60,994.53" in found[0].message


def test_a_finding_is_silenced_on_its_line_or_in_reportkit_yaml(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    from reportkit.cli import main

    root = seed000(tmp_path)
    section = root / "content/3-3-后续工作计划.md"
    section.write_text(
        "执行率为 93.2%。{# noqa #}\n\n执行率为 93.3%。{# noqa: 算式 #}\n\n执行率为 93.4%。\n\n执行率为 93.5%。\n",
        encoding="utf-8")
    (root / "reportkit.yaml").write_text("check:\n  ignore:\n    - 执行率为 93.4%\n"
                                         "    - {file: content/1-1-主要职能.md, text: 执行率为 93.5%}\n", encoding="utf-8")
    result = check_report(root)
    left = [f.line for f in result.findings if f.file == "content/3-3-后续工作计划.md" and f.severity == "warning"]
    assert left == [3, 7]  # noqa for another kind of finding; the ignore entry names another file
    assert [f.line for f in result.silenced if f.file == "content/3-3-后续工作计划.md"] == [1, 5]
    main(["check", str(root)])
    assert "已忽略 2 项发现" in capsys.readouterr().out


def test_a_bad_check_setting_is_one_clear_error(tmp_path: Path) -> None:
    root = seed000(tmp_path)
    (root / "reportkit.yaml").write_text("check:\n  ignore: 执行率\n", encoding="utf-8")
    errors = [f for f in check_report(root).findings if f.severity == "error" and f.file == "reportkit.yaml"]
    assert len(errors) == 1 and errors[0].key == "check.ignore" and errors[0].line == 2
