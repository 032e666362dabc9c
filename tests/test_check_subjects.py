"""Issue 12: a typed number is compared with a fact only when the sentence is about that fact's
subject — the department, not 项目支出, one project, a sub-unit, another year or a month."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from reportkit.check import check_report
from reportkit.check.subjects import (
    DEPARTMENT,
    FIXED_ASSETS,
    ITEM,
    OTHER_YEAR,
    PROCUREMENT,
    PROJECT,
    QUARTER,
    compound,
    heading_subject,
    in_sentence,
)
from reportkit.cli import main

DATA = Path(__file__).parent / "data" / "check"
SECTION = "content/3-3-后续工作计划.md"


def check_text(tmp_path: Path, text: str, seed: str = "seed000"):
    root = Path(shutil.copytree(DATA / seed, tmp_path / seed))
    (root / SECTION).write_text(text, encoding="utf-8")
    result = check_report(root)
    return [f for f in result.findings if f.file == SECTION and f.severity in ("error", "warning")], result


# Seed 000's facts: 预算执行率 94.29%, 年初预算 57,373.02, 政府采购执行率 100%, 满意度 86.34.
NOT_ABOUT_THE_DEPARTMENT = [
    "8、零星修缮费。年初预算10万元，调整后预算8万元，实际执行7.77万元，执行率97.11%。",
    "（八）零星修缮费\n\n年初预算10万元，调整后预算8万元，实际执行7.77万元，执行率97.11%。",
    "我办零星修缮费预算执行率为97.11%。",
    "该项目年初预算 3,000 万元，执行率为 81.2%。",
    "全年项目支出执行率为91.2%，项目支出年初预算53,926.02万元。",
    "基本支出执行率为 99.01%。",
    "2020年预算执行率为89.5%，上年满意度为 83.12%。",
    "截至11月底，预算执行率为80.3%。",
    "下属单位预算执行率为 92%，各科室执行率均达到 90%。",
    "培训满意度达到98.6%，服务对象满意度均为95%。",
    "引航电子签证单使用率达到 100%。",
    "我办预算执行率约95%，执行率超过90%，满意度达到 90%以上。",
    "当季执行率为 85.07%，资金到位率为 100%。",
    "第一季度预算执行率为21.27%。",  # the quarter's progress, as district reports call it
    "预算10万元，实际执行7.77万元，执行率77.7%。",  # amounts that are not the department's
    "| 项目名称 | 执行率 |\n|---|---|\n| 零星修缮费 | 97.11% |\n",
]


@pytest.mark.parametrize("text", NOT_ABOUT_THE_DEPARTMENT)
def test_figures_of_another_subject_are_not_compared(tmp_path: Path, text: str) -> None:
    found, result = check_text(tmp_path, text)
    assert found == [], [f.message for f in found]


ABOUT_THE_DEPARTMENT = [
    ("我办2021年预算完成率达86.19%。", "94.29%", "{{ budget.execution_rate | pct }}"),
    ("2021年部门整体预算执行率为 95.29%。", "94.29%", "{{ budget.execution_rate | pct }}"),
    ("我办采购执行率为 98.5%。", "100%", "{{ procurement.rate | pct(1) }}"),
    ("2021年度满意度为85.34%。", "86.34", "{{ satisfaction }}"),
    ("我办固定资产总体使用率达到 97.48%。", "97.84%", "{{ fixed_assets.use_rate | pct }}"),
    ("2021 年年初预算为 57,373.20 万元。", "57,373.02", "{{ budget.initial | wan }}"),
    ("执行率为 93.2%。", "94.29%", None),  # no subject said: checked, but no suggestion
]


@pytest.mark.parametrize(("text", "fact", "suggestion"), ABOUT_THE_DEPARTMENT)
def test_figures_of_the_department_are_compared(tmp_path: Path, text: str, fact: str, suggestion: str | None) -> None:
    found, _ = check_text(tmp_path, text)
    assert len(found) == 1, [f.message for f in found]
    assert fact in found[0].message and found[0].line == 1
    assert found[0].suggestion == suggestion


def test_explain_says_why_a_figure_was_not_compared(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    _, result = check_text(tmp_path, "8、零星修缮费。执行率97.11%。\n\n2020年预算执行率为89.5%。\n")
    why = {f.line: f.message for f in result.skipped if f.file == SECTION}
    assert "执行率97.11%" in why[1] and "项目或支出事项" in why[1]
    assert "2020年" in why[3] and "其他年度" in why[3]
    assert main(["check", str(tmp_path / "seed000"), "--explain"]) == 2
    out = capsys.readouterr().out
    assert "【未比较的数字】" in out and f"{SECTION}:1：未比较“执行率97.11%”" in out


@pytest.mark.parametrize(("text", "term", "subject"), [
    ("部门预算执行率", "预算执行率", DEPARTMENT),
    ("项目支出总执行率", "执行率", PROJECT),
    ("季度预算执行率", "预算执行率", QUARTER),
    ("固定资产总体使用率", "使用率", FIXED_ASSETS),
    ("采购执行率", "执行率", PROCUREMENT),
    ("签证单使用率", "使用率", ITEM),
    ("2020年预算执行率", "预算执行率", OTHER_YEAR),
])
def test_the_subject_written_onto_a_name(text: str, term: str, subject: str) -> None:
    assert compound(text, text.index(term), 2021).name == subject


def test_the_nearest_subject_word_of_the_sentence_and_the_heading() -> None:
    text = "我办零星修缮费预算10万元，执行率"
    assert in_sentence(text, 0, len(text), 2021).name == ITEM
    text = "零星修缮费完成后，我办执行率"
    assert in_sentence(text, 0, len(text), 2021).name == DEPARTMENT
    assert heading_subject("8、零星修缮费", 2021).name == ITEM
    assert heading_subject("（1）预算执行率", 2021).name == DEPARTMENT
    assert heading_subject("全年执行率为95%", 2021) is None


STRUCTURE = """\
  basic_adjusted: 3469.97
  basic_spent: 3116.23
  project_adjusted: 61219.51
  project_spent: 57878.30
"""
PROJECTS = """\
projects:
  list:
    - {name: 零星修缮费, initial: 10, adjusted: 8, spent: 7.77, on_time: true}
    - {name: 口岸安检保障经费, initial: 3000, adjusted: 2538.37, spent: 2401.2, on_time: true}
"""


def with_structure(tmp_path: Path, projects: bool) -> Path:
    """Seed 000 with the budget structure, or with a project list (the list must add up to
    the structure when both are given)."""
    root = Path(shutil.copytree(DATA / "seed000", tmp_path / "seed000"))
    facts = root / "content/facts.yaml"
    text = facts.read_text(encoding="utf-8")
    if projects:
        text = text.replace("projects: {planned: 28, on_time: 26}\n", PROJECTS)
    else:
        text = text.replace("  spent: 60994.53\n", "  spent: 60994.53\n" + STRUCTURE)
    facts.write_text(text, encoding="utf-8")
    return root


@pytest.mark.parametrize(("text", "wrong"), [
    ("项目支出预算完成率 94.54%，基本支出执行率为 89.81%。", None),
    ("项目支出预算完成率 95.54%。", "94.54%"),
    ("基本支出执行率为 98.81%。", "89.81%"),
    ("8、零星修缮费。调整后预算8万元，执行率97.13%。", None),
    ("8、零星修缮费。调整后预算8万元，执行率99.13%。", "97.13%"),
    ("“口岸安检保障经费”项目执行率为 94.6%。", None),
    ("“口岸安检保障经费”项目执行率为 96.6%。", "94.60%"),
    ("某某维修费执行率为 50%。", None),  # not in the project list: left alone
])
def test_the_budget_structure_and_project_list_are_used_when_present(tmp_path: Path, text: str, wrong) -> None:
    root = with_structure(tmp_path, projects="项目执行率" in text or "零星" in text or "维修费" in text)
    (root / SECTION).write_text(text, encoding="utf-8")
    found = [f for f in check_report(root).findings if f.file == SECTION and f.severity in ("error", "warning")]
    assert [wrong in f.message for f in found] == ([True] if wrong else []), [f.message for f in found]
