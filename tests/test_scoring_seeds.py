"""Issue 3: the three seed reports scored exactly, through the library API and the CLI.

Expected figures are read off the seeds (see the facts files' comments): every indicator,
every 二级 and 一级 subtotal, the total and the grade, the computed total beside the
declared one when the author overrides, and the facts missing behind an override.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from reportkit.assemble.report import load_scores
from reportkit.cli import main

DATA = Path(__file__).parent / "data"

# name: (computed by the rules or None when facts are missing / judgement only, final score)
SEED000 = {
    "预算编制合理性": (None, "4.9"), "预算编制规范性": (None, "5"), "绩效目标完整性": (None, "3"),
    "绩效指标明确性": (None, "7"), "政府采购执行情况": ("2", "2"), "财务合规性": ("2.9", "2.9"),
    "预决算信息公开": ("3", "3"), "项目实施程序": (None, "2"), "项目监管": (None, "2"),
    "资产管理安全性": (None, "2"), "固定资产利用率": ("1", "1"), "财政供养人员控制率": ("1", "1"),
    "编外人员控制率": ("0", "0"), "管理制度健全性": (None, "3"), "公用经费控制率": ("6", "6"),
    "预算执行率": ("5.41", "5.41"), "重点工作完成情况": ("8", "8"), "项目完成及时性": ("5.57", "5.57"),
    "社会效益、经济效益、生态效益及可持续影响等": (None, "25"), "群众信访办理情况": ("3", "3"),
    "公众或服务对象满意度": ("2", "2"),
}
SEED000_GROUPS = {"预算编制": "9.9", "目标设置": "10", "资金管理": "7.9", "项目管理": "4", "资产管理": "3",
                  "人员管理": "1", "制度管理": "3", "经济性": "6", "效率性": "18.98", "效果性": "25", "公平性": "5"}

# 附件2's self-scores: 5, 5, 8, 7 | 2, 3, 3, 2, 2, 2, 1, 1, 0, 3 | 5, 6, 8, 6, 20, 3, 6
SEED001 = {
    "预算编制合理性": (None, "5"), "预算编制规范性": (None, "5"), "绩效目标完整性": (None, "8"),
    "绩效指标明确性": (None, "7"), "政府采购执行率": ("2", "2"), "财务合规性": (None, "3"),
    "预决算信息公开": ("3", "3"), "项目实施程序": (None, "2"), "项目监管": (None, "2"),
    "资产管理安全性": (None, "2"), "固定资产利用率": ("1", "1"), "财政供养人员控制率": ("1", "1"),
    "编外人员控制率": ("0", "0"), "管理制度健全性": (None, "3"), "公用经费控制率": ("5", "5"),
    "预算执行率": ("5.97", "6"), "重点工作完成情况": ("8", "8"), "项目完成及时性": ("6", "6"),
    "社会效益、经济效益、生态效益及可持续影响等": (None, "20"), "群众信访办理情况": ("3", "3"),
    "公众或服务对象满意度": ("2", "6"),
}

# The declared cells 4, 5, 3, 7 | 1.97, 2, (3), 2, 1, 2, 1, 1, 0, 2 | (6), 3.87, 8, (6), 25, 3, 6;
# the three empty cells in brackets must be full marks for the declared 92.84.
SEED002 = {
    "预算编制合理性": (None, "4"), "预算编制规范性": (None, "5"), "绩效目标完整性": (None, "3"),
    "绩效指标明确性": (None, "7"), "政府采购执行情况": (None, "1.97"), "财务合规性": ("2.4", "2"),
    "预决算信息公开": (None, "3"), "项目实施程序": (None, "2"), "项目监管": (None, "1"),
    "资产管理安全性": (None, "2"), "固定资产利用率": ("1", "1"), "财政供养人员控制率": ("1", "1"),
    "编外人员控制率": ("0", "0"), "管理制度健全性": (None, "2"), "公用经费控制率": (None, "6"),
    "预算执行率": (None, "3.87"), "重点工作完成情况": ("8", "8"), "项目完成及时性": (None, "6"),
    "社会效益、经济效益、生态效益及可持续影响等": (None, "25"), "群众信访办理情况": ("3", "3"),
    "公众或服务对象满意度": ("6", "6"),
}

CASES = {
    # seed: (expected indicators, levels, total, grade, computed_total, computed_grade)
    "seed000": (SEED000, ["19.9", "18.9", "54.98"], "93.78", "优", "93.78", "优"),
    "seed001": (SEED001, ["25", "19", "54"], "98", "优", "93.97", "优"),
    "seed002": (SEED002, ["19", "15.97", "57.87"], "92.84", "优", None, None),
}


def _json(seed: str, capsys: pytest.CaptureFixture) -> dict:
    assert main(["score", str(DATA / seed), "--json"]) == 0
    return json.loads(capsys.readouterr().out)


@pytest.mark.parametrize("seed", list(CASES))
def test_seed_scores_through_the_api(seed: str) -> None:
    expected, levels, total, grade, computed_total, computed_grade = CASES[seed]
    *_, scores = load_scores(DATA / seed)
    assert [s.indicator.name for s in scores.indicators] == list(expected)
    assert {s.indicator.name: str(s.final) for s in scores.indicators} == {k: v[1] for k, v in expected.items()}
    assert [str(lv.score) for lv in scores.levels] == levels
    assert (str(scores.total), scores.grade) == (total, grade)
    assert (str(scores.computed_total) if scores.computed_total is not None else None) == computed_total
    assert scores.computed_grade == computed_grade


@pytest.mark.parametrize("seed", list(CASES))
def test_seed_scores_through_the_cli(seed: str, capsys: pytest.CaptureFixture) -> None:
    expected, levels, total, grade, computed_total, computed_grade = CASES[seed]
    data = _json(seed, capsys)
    assert {i["name"]: (i["computed"], i["score"]) for i in data["indicators"]} == expected
    assert [lv["score"] for lv in data["levels"]] == levels
    assert (data["total"], data["grade"]) == (total, grade)
    assert (data["computed_total"], data["computed_grade"]) == (computed_total, computed_grade)


def test_seed000_group_subtotals(capsys: pytest.CaptureFixture) -> None:
    data = _json("seed000", capsys)
    assert {g["name"]: g["score"] for g in data["groups"]} == SEED000_GROUPS
    assert {g["level"] for g in data["groups"] if g["name"] in ("经济性", "效率性")} == {"部门绩效"}


def test_subtotals_add_up_in_every_seed(capsys: pytest.CaptureFixture) -> None:
    from decimal import Decimal

    for seed in CASES:
        data = _json(seed, capsys)
        by_group: dict[str, Decimal] = {}
        for i in data["indicators"]:
            by_group[i["group"]] = by_group.get(i["group"], Decimal(0)) + Decimal(i["score"])
        assert {g["name"]: Decimal(g["score"]) for g in data["groups"]} == by_group
        for lv in data["levels"]:
            assert Decimal(lv["score"]) == sum(Decimal(g["score"]) for g in data["groups"] if g["level"] == lv["name"])
        assert Decimal(data["total"]) == sum(Decimal(lv["score"]) for lv in data["levels"])


def test_seed001_overrides_keep_the_computed_value_beside_them(capsys: pytest.CaptureFixture) -> None:
    by_name = {i["name"]: i for i in _json("seed001", capsys)["indicators"]}
    overridden = {name for name, i in by_name.items() if i["overridden"]}
    assert overridden == {"预算执行率", "公众或服务对象满意度"}
    execution = by_name["预算执行率"]["working"]
    assert execution["override"]["score"] == "6" and execution["override"]["computed"] == "5.97"
    assert execution["override"]["reason"] == by_name["预算执行率"]["reason"] != ""
    assert execution["exact"] == "7171/1200"  # 1 + 1 + 368/375 + 1989/2000 + 2, not a rounded decimal
    assert execution["parts"][0]["working"].startswith("1 + 1 + 0.9813 + 0.9945 + 2 × 1 = 5.9758")
    assert [f["key"] for f in execution["facts"]] == ["quarterly.progress"]
    satisfaction = by_name["公众或服务对象满意度"]["working"]
    assert satisfaction["override"]["computed"] == "2" and satisfaction["parts"][0]["value"] == "88.28%"


def test_seed001_sums_headcounts_across_establishment_types(capsys: pytest.CaptureFixture) -> None:
    by_name = {i["name"]: i for i in _json("seed001", capsys)["indicators"]}
    control = by_name["财政供养人员控制率"]["working"]
    assert control["parts"][0]["value"] == "84.34%"  # 70 / 83
    assert {f["key"]: f["value"] for f in control["facts"]} == {
        "staff.authorized": "行政 62 + 事业 21 = 83 人", "staff.on_payroll": "行政 54 + 事业 16 = 70 人",
    }
    assert by_name["编外人员控制率"]["working"]["parts"][0]["value"] == "43.09%"  # 53 / 123


def test_seed002_names_the_missing_quarterly_facts(capsys: pytest.CaptureFixture) -> None:
    by_name = {i["name"]: i for i in _json("seed002", capsys)["indicators"]}
    execution = by_name["预算执行率"]
    assert execution["score"] == "3.87" and execution["computed"] is None and execution["overridden"]
    assert execution["working"]["missing_facts"] == ["quarterly.cumulative_spent 或 quarterly.progress"]
    assert execution["working"]["override"] == {
        "score": "3.87", "reason": "自评表得 3.87 分；正文未列各季度末支出数", "computed": None,
    }
    assert by_name["项目完成及时性"]["working"]["missing_facts"] == ["projects.planned", "projects.on_time"]
    # 财务合规性 can be computed: 2,828.66 / 17,378.86 = 16.28%, 6 whole points over 10% → 0.4
    compliance = by_name["财务合规性"]["working"]
    assert compliance["computed"] == "2.4" and compliance["final"] == "2"
    assert compliance["parts"][1]["value"] == "16.28%" and compliance["parts"][1]["score"] == "0.4"


def test_seed002_without_overrides_says_what_is_missing(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    root = tmp_path / "seed002"
    (root / "content").mkdir(parents=True)
    text = (DATA / "seed002" / "content" / "facts.yaml").read_text(encoding="utf-8")
    (root / "content" / "facts.yaml").write_text(text[: text.index("overrides:")], encoding="utf-8")
    assert main(["score", str(root)]) == 2
    captured = capsys.readouterr()
    assert "“预算执行率”缺少 quarterly.cumulative_spent 或 quarterly.progress" in captured.err
    assert "Traceback" not in captured.err
    assert main(["score", str(root), "--json"]) == 2  # the same exit rule as the table (and build)
    done = capsys.readouterr()
    data = json.loads(done.out)
    assert data["total"] is None and data["grade"] == "—"
    assert done.err == captured.err


def test_python_m_reportkit_score_json() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "reportkit", "score", str(DATA / "seed001"), "--json"],
        capture_output=True, text=True, encoding="utf-8", check=False,
    )
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert (data["total"], data["computed_total"], data["framework"]) == ("98", "93.97", "district-2021")


@pytest.mark.parametrize("seed", list(CASES))
def test_terminal_table_reads_at_100_columns(seed: str, capsys: pytest.CaptureFixture, monkeypatch) -> None:
    from rich.cells import cell_len

    monkeypatch.setenv("COLUMNS", "100")
    assert main(["score", str(DATA / seed)]) == 0
    out = capsys.readouterr().out
    assert max(cell_len(line.rstrip()) for line in out.splitlines()) <= 100
    expected, _, total, grade, computed_total, _ = CASES[seed]
    assert f"总分 {total} 分，评价等级：{grade}" in out
    for name in expected:
        assert name in out
    if computed_total and computed_total != total:
        assert f"按规则计算（不含覆盖）：{computed_total} 分" in out
