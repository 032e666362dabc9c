"""Issue 2: the end-to-end path, seed 000's scores through the API and the CLI, and bad input."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from reportkit.assemble.report import load_report, load_scores
from reportkit.cli import main
from reportkit.errors import ReportError

SEED000 = {
    "预算编制合理性": "4.9", "预算编制规范性": "5", "绩效目标完整性": "3", "绩效指标明确性": "7",
    "政府采购执行情况": "2", "财务合规性": "2.9", "预决算信息公开": "3", "项目实施程序": "2",
    "项目监管": "2", "资产管理安全性": "2", "固定资产利用率": "1", "财政供养人员控制率": "1",
    "编外人员控制率": "0", "管理制度健全性": "3", "公用经费控制率": "6", "预算执行率": "5.41",
    "重点工作完成情况": "8", "项目完成及时性": "5.57",
    "社会效益、经济效益、生态效益及可持续影响等": "25", "群众信访办理情况": "3",
    "公众或服务对象满意度": "2",
}


def test_seed000_scores_through_the_api(seed000: Path) -> None:
    *_, scores = load_scores(seed000)
    assert {s.indicator.name: str(s.final) for s in scores.indicators} == SEED000
    assert [str(lv.score) for lv in scores.levels] == ["19.9", "18.9", "54.98"]
    assert str(scores.total) == "93.78"
    assert scores.grade == "优"


def test_seed000_scores_through_the_cli(seed000: Path, capsys: pytest.CaptureFixture) -> None:
    assert main(["score", str(seed000), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["total"] == "93.78" and data["grade"] == "优" and data["framework"] == "city-2021"
    assert [(lv["name"], lv["weight"], lv["score"]) for lv in data["levels"]] == [
        ("部门决策", "20", "19.9"), ("部门管理", "20", "18.9"), ("部门绩效", "60", "54.98"),
    ]
    assert {i["name"]: i["score"] for i in data["indicators"]} == SEED000
    by_name = {i["name"]: i for i in data["indicators"]}
    assert by_name["预算编制合理性"]["computed"] is None  # a judgement
    assert "调整" in by_name["预算编制合理性"]["reason"]
    assert by_name["预算执行率"]["computed"] == "5.41"
    assert by_name["财务合规性"]["reason"].startswith("调整、调剂比例 11.31%")


def test_sections_render_facts(seed000: Path) -> None:
    report = load_report(seed000)
    section = next(b for b in report.blocks if b.level == 2)
    assert "64,689.48 万元" in section.markdown and "94.29%" in section.markdown
    four = next(b for b in report.blocks if b.number == "四、")
    assert "此次自评评分为 93.78 分" in four.paragraphs[0]
    assert "部门决策满分 20 分，得分 19.9 分" in four.paragraphs[0]


def _facts(root: Path) -> Path:
    return root / "content" / "facts.yaml"


def _replace(root: Path, old: str, new: str) -> None:
    path = _facts(root)
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")


BAD_FACTS = [
    # (old, new, words the message must contain, line)
    ("initial: 57373.02", "initial: [57373.02", "YAML 语法错误", 11),  # the line of the unclosed [
    ("initial: 57373.02", 'initial: "3,303.88万元"', "去掉千分位逗号", 11),
    ("spent: 60994.53", "spent: -5", "不能为负数", 13),
    ("adjusted: 64689.48", "adjusted: 0", "不能为 0", 12),
    ("13757.79, 33261.44", "13757.79, 3261.44", "逐季不能减少", 26),
]


@pytest.mark.parametrize(("old", "new", "words", "line"), BAD_FACTS)
def test_bad_facts_give_one_clear_message(seed000, capsys, old, new, words, line) -> None:
    _replace(seed000, old, new)
    assert main(["score", str(seed000)]) == 2
    err = capsys.readouterr().err
    assert words in err and "facts.yaml" in err and "Traceback" not in err
    if line:
        assert f"facts.yaml:{line}" in err


def test_unknown_name_in_a_section(seed000, capsys) -> None:
    path = seed000 / "content" / "2-2-主要履职情况.md"
    path.write_text("第一段。\n\n执行率 {{ budget.execution_rat | pct }}。\n", encoding="utf-8")
    with pytest.raises(ReportError) as info:
        load_report(seed000)
    assert info.value.line == 3 and info.value.file.endswith("2-2-主要履职情况.md")
    assert "execution_rat" in str(info.value)


@pytest.mark.parametrize(
    "expression",
    ["{{ budget.__class__ }}", "{{ budget.items() }}", "{% import 'os' as os %}", "{{ report.unit.upper() }}"],
)
def test_expressions_cannot_reach_attributes_or_imports(seed000, expression) -> None:
    (seed000 / "content" / "3-3-后续工作计划.md").write_text(f"计划。\n{expression}\n", encoding="utf-8")
    with pytest.raises(ReportError) as info:
        load_report(seed000)
    assert info.value.line == 2


def test_missing_section_names_the_file_to_create(seed000) -> None:
    (seed000 / "content" / "1-3-预算编制情况.md").unlink()
    with pytest.raises(ReportError) as info:
        load_report(seed000)
    assert "1-3-预算编制情况.md" in str(info.value) and "请创建" in str(info.value)


def test_version(capsys: pytest.CaptureFixture) -> None:
    from importlib.metadata import version

    from reportkit import __version__
    from reportkit.cli import main

    with pytest.raises(SystemExit) as info:
        main(["--version"])
    assert info.value.code == 0
    assert capsys.readouterr().out.strip() == f"reportkit {__version__}" == f"reportkit {version('reportkit')}"
