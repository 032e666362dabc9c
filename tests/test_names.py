"""Issue 11: `reportkit names` lists every name a section may use; tables.projects and tables.budget."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from conftest import DATA, REPO, write_sections

from reportkit.assemble.names import names_of_report
from reportkit.assemble.report import load_report
from reportkit.cli import main
from reportkit.compute.metrics import METRICS
from reportkit.load.facts_schema import FIELDS

PROJECTS = """
  basic: 3447.00
  basic_adjusted: 3469.97
  basic_spent: 3116.23
projects:
  list:
    - {name: 口岸管理业务经费, initial: 52248, adjusted: 54233.36, spent: 51700.12, on_time: 是}
    - {name: 综合管理, initial: 745, adjusted: 1210, spent: 1180.5, on_time: 否, reason: 疫情影响}
    - {name: 财政专项资金, initial: 933.02, adjusted: 5776.15, spent: 4997.68}
"""


def _seed000(tmp_path: Path, extra_facts: str = "", section: str = "") -> Path:
    root = tmp_path / "r"
    shutil.copytree(DATA / "check" / "seed000", root)  # the seed as it was: no budget columns yet
    write_sections(root)
    facts = root / "content" / "facts.yaml"
    text = facts.read_text(encoding="utf-8")
    if extra_facts:
        text = text.replace("  previous_initial: 43622.58\n", "  previous_initial: 43622.58" + extra_facts.split("projects:")[0]) \
            .replace("projects: {planned: 28, on_time: 26}\n", "projects:" + extra_facts.split("projects:")[1])
    facts.write_text(text, encoding="utf-8")
    if section:
        path = root / "content" / "2-3-履职绩效情况.md"
        path.write_text(path.read_text(encoding="utf-8") + "\n" + section, encoding="utf-8")
    return root


def test_every_fact_and_metric_is_listed_with_value_and_unit() -> None:
    rows = {r.name: r for r in names_of_report(REPO)}
    assert {f.path for f in FIELDS} - {"adjustments"} <= set(rows)
    assert set(METRICS) - {"quarterly.rates"} <= set(rows) | {"quarterly.rates"}
    assert (rows["budget.initial"].value, rows["budget.initial"].unit) == ("28,645.26", "万元")
    assert rows["budget.execution_rate"].value == "95.72%" and rows["budget.execution_rate"].unit == "%"
    assert rows["total"].unit == "分" and rows["grade"].value in ("优", "良", "中", "差")
    assert 'scores["社会效益、经济效益、生态效益及可持续影响等"]' in rows
    assert "tables.projects(caption=\"标题\")" in rows


def test_a_name_without_value_says_what_it_needs(tmp_path: Path) -> None:
    rows = {r.name: r for r in names_of_report(_seed000(tmp_path))}
    assert rows["budget.project_execution_rate"].note == "需要 budget.project_spent、budget.project_adjusted"
    assert rows["budget.carryover"].note == "未填写（填写后可用）"
    assert rows["staff.contract"].value == "16"


def test_the_command(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    root = _seed000(tmp_path, PROJECTS)
    assert main(["names", str(root), "--json", "--grep", "项目"]) == 0
    data = {d["name"]: d for d in json.loads(capsys.readouterr().out)}
    assert data["budget.project"]["value"] == "53,926.02" and "projects.list 各项目合计" in data["budget.project"]["note"]
    assert data["projects.planned"]["value"] == "2"
    assert all("项目" in d["name"] or "项目" in d["title"] for d in data.values())
    assert main(["names", str(root)]) == 0
    assert "budget.project_execution_rate" in capsys.readouterr().out
    assert main(["names", str(tmp_path / "none")]) == 2
    assert "不是报告目录" in capsys.readouterr().err


def test_projects_and_budget_tables(tmp_path: Path) -> None:
    root = _seed000(tmp_path, PROJECTS, "{{ tables.projects(caption=\"项目支出及完成情况\") }}\n\n{{ tables.budget() }}\n")
    markdown = next(b.markdown for b in load_report(root).blocks if b.source and b.source.endswith("2-3-履职绩效情况.md"))
    rows = [[c.strip() for c in line.strip("|").split("|")] for line in markdown.splitlines()
            if line.startswith("|") and not set(line) <= set("|-: ")]
    assert rows[:5] == [
        ["项目名称", "年初预算", "调整后预算", "全年支出", "执行率", "完成情况"],
        ["口岸管理业务经费", "52,248.00", "54,233.36", "51,700.12", "95.33%", "按时完成"],
        ["综合管理", "745.00", "1,210.00", "1,180.50", "97.56%", "未按时完成（疫情影响）"],
        ["财政专项资金", "933.02", "5,776.15", "4,997.68", "86.52%", "—"],
        ["合计", "53,926.02", "61,219.51", "57,878.30", "94.54%", ""],
    ]
    assert rows[5:] == [
        ["项目", "年初预算", "调整后预算", "全年支出", "执行率"],
        ["基本支出", "3,447.00", "3,469.97", "3,116.23", "89.81%"],
        ["项目支出", "53,926.02", "61,219.51", "57,878.30", "94.54%"],
        ["合计", "57,373.02", "64,689.48", "60,994.53", "94.29%"],
    ]
    assert "表2-1 项目支出及完成情况" in markdown


def test_tables_without_their_facts(tmp_path: Path) -> None:
    root = _seed000(tmp_path, section="{{ tables.projects() }}\n")
    with pytest.raises(Exception) as info:
        load_report(root)
    assert "projects.list" in str(info.value)
