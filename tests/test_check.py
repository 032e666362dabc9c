"""Issue 6: `reportkit check` catches each error of the seeds at its file:line, and nothing else."""

from __future__ import annotations

import functools
import json
import shutil
from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from reportkit.assemble.report import load_scores
from reportkit.check.figures import check_numbers
from reportkit.check.run import check_report, require_finished
from reportkit.check.sections import Line, Rendered
from reportkit.cli import main
from reportkit.errors import ReportError
from reportkit.findings import ERROR, NOTICE, TODO, WARNING

DATA = Path(__file__).parent / "data" / "check"
REPO = Path(__file__).parent.parent
SATISFACTION = "content/3-2-存在问题及改进措施.md"
EFFICIENCY = "content/2-3-履职绩效情况.md"


def copy(tmp_path: Path, name: str) -> Path:
    return Path(shutil.copytree(DATA / name, tmp_path / name))


def line_of(root: Path, file: str, text: str) -> int:
    lines = (root / file).read_text(encoding="utf-8").splitlines()
    return next(i for i, line in enumerate(lines, start=1) if text in line)


def edit(root: Path, file: str, old: str, new: str) -> None:
    path = root / file
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, old
    path.write_text(text.replace(old, new), encoding="utf-8")


def problems(root: Path) -> list[tuple[str, str, int]]:
    return [(f.severity, f.file, f.line) for f in check_report(root).findings if f.severity in (ERROR, WARNING)]


# ---------------------------------------------------------------- the seeds' errors


def test_seed000_flags_exactly_the_formula_line_and_the_satisfaction() -> None:
    root = DATA / "seed000"
    formula = line_of(root, EFFICIENCY, "全年平均执行率 =")
    satisfaction = line_of(root, SATISFACTION, "满意度为85.34%")
    findings = [f for f in check_report(root).findings if f.severity in (ERROR, WARNING)]
    assert [(f.severity, f.file, f.line) for f in findings] == [
        (ERROR, EFFICIENCY, formula), (WARNING, EFFICIENCY, formula), (WARNING, SATISFACTION, satisfaction),
    ]
    arithmetic, term, stated = findings
    assert "87.26%" in arithmetic.message and "90.69%" in arithmetic.message
    assert "第 4 项 80.56%" in term.message and "94.29%" in term.message
    assert term.suggestion == "{{ quarters[3].rate | pct }}"
    assert "85.34%" in stated.message and "86.34" in stated.message and "content/facts.yaml:26" in stated.message
    assert stated.suggestion == "{{ satisfaction }}"


def test_seed000_through_the_cli(capsys: pytest.CaptureFixture) -> None:
    root = DATA / "seed000"
    assert main(["check", str(root)]) == 2
    out = capsys.readouterr().out
    assert f"{EFFICIENCY}:{line_of(root, EFFICIENCY, '全年平均执行率 =')}：算式有误" in out
    assert f"{SATISFACTION}:{line_of(root, SATISFACTION, '满意度为85.34%')}" in out
    assert "建议改为：{{ satisfaction }}" in out
    assert "合计：错误 1 项，警告 2 项，待办 0 项，提示 1 项。" in out
    assert "存在问题中未提及以下失分指标：“预算编制合理性”（4.9 / 5 分）" in out  # the seed discusses three of six


def test_seed001_overrides_are_listed_with_what_the_rules_give() -> None:
    root = DATA / "seed001"
    result = check_report(root)
    assert problems(root) == []
    notices = {f.key: f for f in result.of(NOTICE)}
    execution, satisfaction = notices["overrides.预算执行率"], notices["overrides.公众或服务对象满意度"]
    facts = "content/facts.yaml"
    assert (execution.file, execution.line) == (facts, line_of(root, facts, "  预算执行率:"))
    assert (satisfaction.file, satisfaction.line) == (facts, line_of(root, facts, "  公众或服务对象满意度:"))
    assert "覆盖为 6 分" in execution.message and "按规则计算：5.97 分" in execution.message
    assert "覆盖为 6 分" in satisfaction.message and "按规则计算：2 分" in satisfaction.message
    assert "88.28" in satisfaction.message  # the reason
    assert result.exit_code(strict=True) == 0


def test_seed002_doubled_unit_and_the_procurement_score() -> None:
    root = DATA / "seed002"
    result = check_report(root)
    budget, execution = "content/1-3-预算编制情况.md", "content/1-4-预算执行情况.md"
    assert problems(root) == [
        (ERROR, budget, line_of(root, budget, "万元万元")),
        (WARNING, execution, line_of(root, execution, "政府采购执行 100%")),
    ]
    doubled, procurement = [f for f in result.findings if f.severity in (ERROR, WARNING)]
    assert "万元万元" in doubled.message and doubled.suggestion == "万元"
    assert "应得 2 分" in procurement.message and "1.97 分" in procurement.message
    override = next(f for f in result.of(NOTICE) if f.key == "overrides.预算执行率")
    assert "3.87" in override.message and "quarterly.cumulative_spent 或 quarterly.progress" in override.message


def test_a_declared_score_typed_in_the_narrative(tmp_path: Path) -> None:
    root = copy(tmp_path, "seed000")
    text = (
        "“政府采购执行情况”指标满分2分，得1.97分。“预算执行率”指标满分6分，得5.41分。"
        "“绩效目标完整性”指标满分8分，得3分。90%>固定资产利用率≥75%的，得0.7分。\n"
    )
    (root / "content/3-3-后续工作计划.md").write_text(text, encoding="utf-8")
    found = [f for f in check_report(root).findings if f.file == "content/3-3-后续工作计划.md"]
    assert [(f.severity, f.line) for f in found] == [(WARNING, 1), (WARNING, 1)]
    messages = " / ".join(f.message for f in found)
    assert "“政府采购执行情况”得 1.97 分，评分结果为 2 分" in messages
    assert "满分 8 分" in messages and "分值为 3 分" in messages
    assert '{{ scores["政府采购执行情况"] }}' in [f.suggestion for f in found]


# ---------------------------------------------------------------- numbers in the narrative

WRONG = [
    # (file, old, new, words of the one finding)
    (EFFICIENCY, "总执行率为 94.29%", "总执行率为 94.39%", "预算执行率为 94.29%"),
    (EFFICIENCY, "第三季度累计支出 39,086.96 万元", "第三季度累计支出 39,086.69 万元", "第三季度累计支出为 39,086.96 万元"),
    (EFFICIENCY, "支出进度为 60.42%", "支出进度为 60.24%", "第三季度支出进度为 60.42%"),
    (EFFICIENCY, "季度预算执行率为 102.83%", "季度预算执行率为 102.38%", "第二季度预算执行率为 102.83%"),
    (EFFICIENCY, "全年支出数为 60,994.53 万元", "全年支出数为 60,949.53 万元", "全年支出为 60,994.53 万元"),
    (EFFICIENCY, "“三公”经费控制率为 85.04%", "“三公”经费控制率为 85.40%", "三公经费控制率为 85.04%"),
    (EFFICIENCY, "日常公用经费决算 187.02 万元", "日常公用经费决算 178.02 万元", "187.02 万元"),
    (EFFICIENCY, "公众满意度得分为 86.34 分", "公众满意度得分为 88.34 分", "满意度为 86.34"),
    ("content/1-4-预算执行情况.md", "政府采购执行率为 100%", "政府采购执行率为 99%", "政府采购执行率为 100%"),
    ("content/1-4-预算执行情况.md", "实际采购金额为 485.43 万元", "实际采购金额为 458.43 万元", "485.43 万元"),
    ("content/1-4-预算执行情况.md", "固定资产利用率为 97.84%", "固定资产利用率为 97.48%", "97.84%"),
    ("content/1-4-预算执行情况.md", "核定编制 52 人", "核定编制 53 人", "核定编制数为 52"),
    ("content/1-4-预算执行情况.md", "编外人员控制率为 23.53%", "编外人员控制率为 25.53%", "23.53%"),
    ("content/1-3-预算编制情况.md", "年初预算总规模为 57,373.02 万元", "年初预算总规模为 57,373.20 万元", "57,373.02 万元"),
    (SATISFACTION, "全年平均预算执行率为90.69%", "全年平均预算执行率为90.96%", "全年平均执行率为 90.69%"),
    (SATISFACTION, "80.56%及94.29%", "80.56%及80.56%", "第 4 项 80.56%"),
]


@pytest.mark.parametrize(("file", "old", "new", "words"), WRONG, ids=[w[2] for w in WRONG])
def test_a_typed_number_that_contradicts_a_fact_or_metric(tmp_path, file, old, new, words) -> None:
    root = copy(tmp_path, "seed000")
    before = set(problems(root))
    edit(root, file, old, new)
    added = [f for f in check_report(root).findings
             if f.severity == WARNING and (f.severity, f.file, f.line) not in before]
    assert len(added) == 1, [f.message for f in added]
    assert (added[0].file, added[0].line) == (file, line_of(root, file, new))
    assert words in added[0].message
    assert added[0].suggestion and added[0].suggestion.startswith("{{")


AGREEING = [
    (EFFICIENCY, "总执行率为 94.29%", "总执行率为 94.3%"),  # one decimal: 94.29 → 94.3
    (EFFICIENCY, "总执行率为 94.29%", "总执行率为 94%"),
    (EFFICIENCY, "公众满意度得分为 86.34 分", "公众满意度得分为 86.3 分"),
    (EFFICIENCY, "全年支出数为 60,994.53 万元", "全年支出数为 609,945,300 元"),
    (EFFICIENCY, "公众满意度得分为 86.34 分", "公众满意度得分为{{ satisfaction }}分"),
    (EFFICIENCY, "满意度达到 85%以上", "上年满意度为 83.12%，满意度达到 85%以上"),
    (EFFICIENCY, "全年共支出 57,878.3 万元", "重点项目预算执行率为 94.54%"),
    (SATISFACTION, "满意度为85.34%", "满意度为{{ satisfaction_rate | pct }}"),
]


@pytest.mark.parametrize(("file", "old", "new"), AGREEING, ids=[a[2] for a in AGREEING])
def test_numbers_that_agree_or_are_about_something_else_are_not_flagged(tmp_path, file, old, new) -> None:
    root = copy(tmp_path, "seed000")
    before = problems(root)
    edit(root, file, old, new)
    after = problems(root)
    if old == "满意度为85.34%":  # the seed's own error, fixed by the reference
        before = [p for p in before if p[1] != SATISFACTION]
    assert after == before


# Typed numbers in pipe tables: a name cell and the number beside it, or a quarter's row under
# a column named by a quarterly term. (table rows, the one wrong cell or None)
TABLES = [
    ("| 指标 | 数值 |\n|---|---|\n| 年初预算（万元） | 57,373.02 |\n| 满意度 | 85.34% |\n", "85.34%"),
    ("| 指标 | 2021年 |\n|---|---|\n| 年初预算 | 57373.20万元 |\n", "57373.20万元"),
    ("| 项目 | 金额（万元） |\n| :-- | --: |\n| “三公”经费预算 | 8.98 |\n| 日常公用经费决算 | 187.02 |\n", "8.98"),
    ("| 季度 | 累计支出（万元） | 执行率 |\n|---|---|---|\n| 第一季度 | 13,757.79 | 85.07% |\n"
     "| 第二季度 | 33,261.44 | 108.23% |\n| 全年 | 60,994.53 | 90.69% |\n", "108.23%"),
    ("| 指标 | 2021年 | 2020年 |\n|---|---|---|\n| 年初预算 | 57,373.02 | 43,622.58 |\n", None),
    ("| 指标 | 2020年 |\n|---|---|\n| 年初预算 | 43,622.58 |\n", None),  # last year's column
    ("| 项目 | 执行率 |\n|---|---|\n| 口岸建设项目 | 72.5% |\n", None),  # a project's rate
    ("| 上年满意度 | 83.12% |\n|---|---|\n| 满意度 | 86.3% |\n", None),
    ("满意度 | 85.34%\n", None),  # no delimiter row: not a table
]


@pytest.mark.parametrize(("table", "wrong"), TABLES, ids=[t[1] or f"fine{k}" for k, t in enumerate(TABLES)])
def test_typed_numbers_in_tables(tmp_path: Path, table: str, wrong: str | None) -> None:
    root = copy(tmp_path, "seed000")
    before = set(problems(root))
    path = root / EFFICIENCY
    start = len(path.read_text(encoding="utf-8").splitlines()) + 2
    path.write_text(path.read_text(encoding="utf-8") + "\n" + table, encoding="utf-8")
    added = [f for f in check_report(root).findings if f.severity == WARNING and (f.severity, f.file, f.line) not in before]
    if wrong is None:
        assert added == []
        return
    assert len(added) == 1, [f.message for f in added]
    row = next(k for k, line in enumerate(table.splitlines()) if wrong in line)
    assert (added[0].file, added[0].line) == (EFFICIENCY, start + row)
    assert added[0].suggestion and added[0].suggestion.startswith("{{")


def test_a_formula_of_references_that_repeats_a_quarter_is_caught(tmp_path: Path) -> None:
    root = copy(tmp_path, "seed000")
    terms = " + ".join(f"{{{{ quarters[{i}].rate | pct }}}}" for i in (0, 1, 2, 2))
    edit(root, EFFICIENCY, r"$\Sigma (85.07\% + 102.83\% + 80.56\% + 80.56\%) \div 4 = 90.69\%$",
         f"Σ({terms}) ÷ 4 = {{{{ quarterly.average_rate | pct }}}}")
    found = [f for f in check_report(root).findings if f.file == EFFICIENCY]
    assert [(f.severity, f.line) for f in found] == [(ERROR, 19), (WARNING, 19)]
    assert "第 4 项 80.56%" in found[1].message


def test_a_correct_formula_with_rounded_terms_passes(tmp_path: Path) -> None:
    root = copy(tmp_path, "seed000")
    edit(root, EFFICIENCY, r"80.56\%) \div", r"94.29\%) \div")
    assert [p for p in problems(root) if p[1] == EFFICIENCY] == []


# ---------------------------------------------------------------- sections


def test_every_unknown_name_in_every_file_is_reported(tmp_path: Path) -> None:
    root = copy(tmp_path, "seed000")
    (root / "content/1-1-主要职能.md").write_text(
        "职能。\n\n执行率 {{ budget.execution_rat | pct }}，{{ budgets.adjusted | wan }}。\n", encoding="utf-8")
    (root / "content/3-3-后续工作计划.md").write_text(
        "计划。\n{% for q in quarters %}{{ q.rate | pct }}{% endfor %}\n\n{{ scores[\"预算执行\"] }}\n", encoding="utf-8")
    found = [f for f in check_report(root).findings if f.group == "sections" and f.severity == ERROR]
    assert [(f.file, f.line, f.key) for f in found] == [
        ("content/1-1-主要职能.md", 3, "budget.execution_rat"),
        ("content/1-1-主要职能.md", 3, "budgets.adjusted"),
        ("content/3-3-后续工作计划.md", 4, 'scores["预算执行"]'),
    ]
    assert found[0].suggestion == "{{ budget.execution_rate }}"
    assert found[2].suggestion == '{{ scores["预算执行率"] }}'


def test_a_reference_to_an_empty_fact_is_a_todo(tmp_path: Path) -> None:
    root = copy(tmp_path, "seed000")
    edit(root, "content/facts.yaml", "  previous_initial: 43622.58\n", "")
    edit(root, "content/1-3-预算编制情况.md", "增加 13,750.44 万元", "增加 {{ budget.change | wan }} 万元")
    todo = [f for f in check_report(root).of(TODO) if f.group == "sections"]
    assert [(f.file, f.line) for f in todo] == [("content/1-3-预算编制情况.md", 3)]
    assert "budget.previous_initial" in todo[0].message


def test_missing_empty_and_unknown_section_files(tmp_path: Path) -> None:
    root = copy(tmp_path, "seed000")
    (root / "content/2-1-主要履职目标.md").unlink()
    (root / "content/2-2-主要履职情况.md").write_text("{# 还没写 #}\n\n", encoding="utf-8")
    (root / "content/1-1-主要职责.md").write_text("职责。\n", encoding="utf-8")
    result = check_report(root)
    by_file = {f.file: f for f in result.findings if f.group == "sections"}
    assert by_file["content/2-1-主要履职目标.md"].severity == ERROR
    assert by_file["content/2-2-主要履职情况.md"].severity == TODO
    unknown = by_file["content/1-1-主要职责.md"]
    assert unknown.severity == WARNING and "1-1-主要职能.md" in unknown.expected


# ---------------------------------------------------------------- exit codes, JSON, build


def test_strict_turns_warnings_into_exit_1(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    root = copy(tmp_path, "seed000")
    edit(root, EFFICIENCY, r"80.56\%) \div", r"94.29\%) \div")  # only the satisfaction warning is left
    assert main(["check", str(root)]) == 0
    assert main(["check", str(root), "--strict"]) == 1
    assert "警告" in capsys.readouterr().out


def test_json_output(capsys: pytest.CaptureFixture) -> None:
    assert main(["check", str(DATA / "seed000"), "--json", "--strict"]) == 2
    data = json.loads(capsys.readouterr().out)
    assert data["counts"] == {"error": 1, "warning": 2, "todo": 0, "notice": 1}
    assert data["exit_code"] == 2
    first = next(f for f in data["findings"] if f["severity"] == "error")
    assert set(first) == {"severity", "group", "message", "file", "line", "key", "expected", "suggestion"}
    assert (first["severity"], first["group"], first["file"]) == ("error", "numbers", EFFICIENCY)


def test_require_finished_passes_a_finished_report_and_stops_an_unfinished_one(tmp_path: Path) -> None:
    require_finished(DATA / "seed001")
    root = copy(tmp_path, "seed001")
    (root / "content/3-3-后续工作计划.md").write_text("{# 待写 #}\n", encoding="utf-8")
    with pytest.raises(ReportError) as info:
        require_finished(root)
    assert "还有 1 项待办" in str(info.value) and "3-3-后续工作计划.md" in str(info.value)


def test_the_repository_example_passes_strict(capsys: pytest.CaptureFixture) -> None:
    assert main(["check", str(REPO), "--strict"]) == 0, capsys.readouterr().out


def test_the_pre_commit_hook_runs_check_strict(capsys: pytest.CaptureFixture) -> None:
    hooks = yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    hook = next(h for h in hooks if h["id"] == "reportkit-check")
    assert (hook["language"], hook["pass_filenames"], hook["entry"]) == ("python", False, "reportkit check --strict")
    program, *args = hook["entry"].split()
    assert program == "reportkit"
    assert main([*args, str(REPO)]) == 0
    assert main([*args, str(DATA / "seed000")]) == 2


# The seeds' whole text (tables as the Word-to-text extraction left them) as one section:
# exactly the errors report.md lists, nothing else.
WHOLE_TEXT = [
    ("seed000", [(ERROR, "Sigma (85.07", "算式有误"), (WARNING, "Sigma (85.07", "第 4 项 80.56%"), (WARNING, "满意度为85.34%", "86.34")]),
    ("seed001", []),
    ("seed002", [(ERROR, "万元万元", "万元万元"), (WARNING, "政府采购执行 100%", "1.97 分")]),
]


@pytest.mark.parametrize(("seed", "expected"), WHOLE_TEXT, ids=[w[0] for w in WHOLE_TEXT])
def test_the_whole_text_of_a_seed(tmp_path: Path, seed: str, expected: list) -> None:
    root = copy(tmp_path, seed)
    section = "content/2-2-主要履职情况.md"
    shutil.copyfile(DATA / "texts" / f"{seed}.txt", root / section)
    found = [f for f in check_report(root).findings if f.file == section and f.severity in (ERROR, WARNING)]
    assert [(f.severity, f.line) for f in found] == [(s, line_of(root, section, text)) for s, text, _ in expected]
    assert all(words in f.message for f, (_, _, words) in zip(found, expected, strict=True))


@functools.cache
def _seed000() -> tuple:
    return load_scores(DATA / "seed000")


PIECES = ["执行率", "预算执行率", "第一季度", "第三季度", "四季度", "满意度", "累计支出", "分别为", "政府采购执行率",
          "“政府采购执行情况”", "部门决策", "得", "满分", "分", "%", "万元", "元", "为", "，", "。", "、", "及",
          "Σ(", " + ", ") ÷ ", " = ", "以上", "≥", "\t", "|", " ", "$\\Sigma", "\\%", "85.07", "100", "1,234.56", "4"]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.lists(st.sampled_from(PIECES), max_size=30), min_size=1, max_size=5))
def test_any_text_is_checked_without_crashing_and_findings_point_at_its_lines(paragraphs) -> None:
    _, facts, framework, metrics, scores = _seed000()
    lines = ["".join(p) for p in paragraphs]
    rendered = Rendered("content/x.md", [Line(t, [i + 1] * len(t), [True] * len(t)) for i, t in enumerate(lines)])
    for finding in check_numbers([rendered], facts, framework, metrics, scores):
        assert finding.file == "content/x.md" and 1 <= finding.line <= len(lines)
        assert finding.message


def test_facts_left_out_that_default_to_full_marks_are_said(tmp_path: Path) -> None:
    """No petitions block, no key-task count: scored as none, and said so."""
    root = copy(tmp_path, "seed000")
    before = problems(root)
    edit(root, "content/facts.yaml", "petitions: {received: 62, replied: 62, on_time: 62}\n", "")
    edit(root, "content/facts.yaml", "key_tasks: {unfinished: 0}\n", "")
    notices = {f.key: f for f in check_report(root).findings if f.severity == NOTICE and f.key}
    assert {"petitions.received", "key_tasks.unfinished"} <= set(notices)
    petitions = notices["petitions.received"]
    assert petitions.message.startswith("事实文件中没有 petitions 块：按“收到信访件数”（petitions.received）为 0 件计算")
    assert petitions.message.endswith("“群众信访办理情况”因此得满分（3 分）") and petitions.file == "content/facts.yaml"
    assert "“重点工作完成情况”因此得满分（8 分）" in notices["key_tasks.unfinished"].message
    assert problems(root) == before  # an assumption, not a mistake
