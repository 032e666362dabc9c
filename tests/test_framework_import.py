"""Issue 17: `reportkit framework import` reads a bureau's table (.docx, .xlsx, .xls) into a
framework that scores as the table says; `framework check` and `schema --framework`."""

from __future__ import annotations

import json
import re
import shutil
from fractions import Fraction
from pathlib import Path

import jsonschema
import openpyxl
import pytest
import xlwt
import yaml
from conftest import DATA, write_sections

from reportkit.assemble.report import load_scores
from reportkit.build import build
from reportkit.cli import main
from reportkit.compute.framework import Framework, load_framework, shipped_ids
from reportkit.compute.framework_schema import framework_schema
from reportkit.errors import ReportError
from reportkit.importer.framework_draft import import_framework
from reportkit.importer.framework_rules import recognize

REPO = Path(__file__).parent.parent
SEEDS = ("seed000", "seed001", "seed002")


def _scores(root: Path) -> dict[str, object]:
    _, _, _, _, scores = load_scores(root)
    return {"total": scores.total, **{r.indicator.name: (r.computed, r.final) for r in scores.indicators}}


def _use(root: Path, framework_file: str) -> None:
    facts = root / "content" / "facts.yaml"
    text = facts.read_text(encoding="utf-8")
    facts.write_text(re.sub(r"(\n\s*framework:).*", rf"\1 {framework_file}", text, count=1), encoding="utf-8")


# --- the seeds' annexes, as Word tables -----------------------------------------------------


@pytest.mark.parametrize("seed", SEEDS)
def test_a_seed_annex_imported_from_word_scores_the_seed_exactly(seed: str, tmp_path: Path) -> None:
    root = tmp_path / seed
    shutil.copytree(DATA / seed, root)
    write_sections(root)
    docx = next(p for p in build(root).outputs if p.suffix == ".docx")  # the annex as the tests make it
    expected = _scores(root)
    result = import_framework(docx, root / "imported.yaml")
    assert result.loaded, result.error
    assert result.draft.todos == 0 and result.draft.problems == []
    _use(root, "imported.yaml")
    assert _scores(root) == expected


def test_every_rule_of_the_shipped_frameworks_is_read_from_its_text() -> None:
    """Rule, parameters and points (not the labels and not-applicable wording) as in the shipped files."""
    for fid in shipped_ids():
        framework = load_framework(fid, REPO)
        for indicator in framework.indicators:
            got = recognize(indicator.name, indicator.weight, indicator.standard)
            want = [_comparable(p.rule, p.params) for p in indicator.parts]
            assert [_comparable(p["rule"], p) for p in got.parts] == want or _equivalent(want, got.parts), \
                f"{fid} {indicator.name}: {got.parts} {got.todos}"
            assert not got.todos or all(p.rule == "judgement" for p in indicator.parts), (fid, indicator.name, got.todos)
            assert got.zero_if == indicator.zero_if


def _comparable(rule: str, params: dict) -> dict:
    out = {"rule": rule}
    for key, value in params.items():
        if key in ("rule", "label", "empty_reason", "title"):
            continue
        if isinstance(value, list):  # parsed bands
            value = {b.text: b.score for b in value}
        out[key] = value
    return out


def _equivalent(want: list[dict], got: list[dict]) -> bool:
    """A rate read through its numerator and denominator where the file names the metric, and defaults spelt out."""
    metric_pairs = {"staff.control_rate": ("staff.on_payroll_total", "staff.authorized_total"),
                    "budget.adjustment_ratio_initial": ("budget.adjustments", "budget.initial"),
                    "budget.adjustment_ratio_adjusted": ("budget.adjustments", "budget.adjusted"),
                    "budget.carryover_share": ("budget.carryover", "budget.adjusted"),
                    "budget.key_spending_share": ("budget.key_spent", "budget.project_spent")}
    defaults = {"direction": "above", "counting": "whole"}

    def canon(part: dict) -> dict:
        part = _comparable(part["rule"], part)
        if part.get("metric") in metric_pairs:
            part["numerator"], part["denominator"] = metric_pairs[part.pop("metric")]
        return {k: v for k, v in part.items() if defaults.get(k) != v}

    return [canon(p) for p in want] == [canon(p) for p in got]


# --- spreadsheets: merged header rows, merged cells, hidden columns, total rows ---------------


def _rows(framework: Framework) -> list[list[object]]:
    rows = []
    for level in framework.levels:
        for group in level.groups:
            for ind in group.indicators:
                rows.append([level.name, float(level.weight), group.name, float(group.weight), ind.name,
                             float(ind.weight), ind.description, ind.standard, None])
    return rows


def write_xlsx(framework: Framework, path: Path, hidden_column: bool = True) -> None:
    """The table as a finance system exports it: two merged header rows, merged 一级/二级 cells."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "评分表"
    sheet.append(["部门整体支出绩效评价指标评分表"])
    sheet.merge_cells("A1:J1")
    sheet.append(["一级指标", None, "二级指标", None, "三级指标", None, "指标解释", "评分标准", "自评得分", "内部编号"])
    sheet.append(["名称", "分值", "名称", "分值", "名称", "分值", None, None, None, None])
    for a, b in (("A2", "B2"), ("C2", "D2"), ("E2", "F2")):
        sheet.merge_cells(f"{a}:{b}")
    for col in "GHIJ":
        sheet.merge_cells(f"{col}2:{col}3")
    first = 4
    rows = _rows(framework)
    for i, row in enumerate(rows):
        sheet.append([*row, f"X{i}"])
    # 一级 and 二级 cells merged over their rows, value only in the first
    for col in (0, 1, 2, 3):
        start = 0
        for i in range(1, len(rows) + 1):
            if i == len(rows) or rows[i][col if col in (0, 2) else col - 1] != rows[start][col if col in (0, 2) else col - 1]:
                if i - start > 1:
                    letter = "ABCD"[col]
                    sheet.merge_cells(f"{letter}{first + start}:{letter}{first + i - 1}")
                start = i
    sheet.append(["总分", float(framework.total)])
    if hidden_column:
        sheet.column_dimensions["J"].hidden = True
    book.save(path)


def write_xls(framework: Framework, path: Path) -> None:
    book = xlwt.Workbook(encoding="utf-8")
    sheet = book.add_sheet("评分表")
    for col, text in enumerate(["一级指标", "一级分值", "二级指标", "二级分值", "三级指标", "分值", "指标说明", "评分标准", "得分"]):
        sheet.write(0, col, text)
    for r, row in enumerate(_rows(framework), start=1):
        for c, value in enumerate(row):
            if value is not None:
                sheet.write(r, c, value)
    book.save(str(path))


@pytest.mark.parametrize("fid, seed", [("city-2021", "seed000"), ("district-2021", "seed001"), ("city-2020", "seed002")])
@pytest.mark.parametrize("kind", ["xlsx", "xls"])
def test_a_spreadsheet_table_scores_the_seed_as_the_shipped_framework(fid, seed, kind, tmp_path) -> None:  # noqa: ANN001
    root = tmp_path / seed
    shutil.copytree(DATA / seed, root)
    framework = load_framework(fid, REPO)
    table = root / f"table.{kind}"
    (write_xlsx if kind == "xlsx" else write_xls)(framework, table)
    expected = _scores(root)
    result = import_framework(table, root / "imported.yaml")
    assert result.loaded, result.error
    assert result.draft.problems == [] and result.draft.todos == 0
    if kind == "xlsx":
        assert any("隐藏的第 J 列" in n for n in result.draft.notes)
        assert any("合计/总分行" in n for n in result.draft.notes)
    imported = yaml.safe_load((root / "imported.yaml").read_text(encoding="utf-8"))
    names = [i["name"] for lv in imported["levels"] for g in lv["groups"] for i in g["indicators"]]
    assert names == [i.name for i in framework.indicators]  # exactly as printed, in order
    texts = {i["name"]: i["standard"] for lv in imported["levels"] for g in lv["groups"] for i in g["indicators"]}
    assert all(texts[i.name] == i.standard for i in framework.indicators)
    _use(root, "imported.yaml")
    assert _scores(root) == expected


@pytest.mark.parametrize("fid", ["mof-2013", "dazhou-city"])
def test_tables_of_other_shapes_come_back_as_the_shipped_file(fid: str, tmp_path: Path) -> None:
    framework = load_framework(fid, REPO)
    table = tmp_path / "table.xlsx"
    write_xlsx(framework, table, hidden_column=False)
    result = import_framework(table, tmp_path / "imported.yaml")
    assert result.loaded, result.error
    imported = load_framework("imported.yaml", tmp_path)
    assert [(lv.name, lv.weight) for lv in imported.levels] == [(lv.name, lv.weight) for lv in framework.levels]
    for mine, theirs in zip(imported.indicators, framework.indicators, strict=True):
        assert (mine.name, mine.weight) == (theirs.name, theirs.weight)
    # what reportkit cannot read (协作部门满意度 is no fact) is a judgement with its TODO
    text = (tmp_path / "imported.yaml").read_text(encoding="utf-8")
    if fid == "dazhou-city":
        assert "# TODO" in text and "协作部门满意度≥90%" in text


# --- what a draft says when the table is not right ------------------------------------------


def test_weights_that_do_not_add_up_are_reported_with_both_sums(tmp_path: Path) -> None:
    framework = load_framework("city-2021", REPO)
    table = tmp_path / "table.xlsx"
    write_xlsx(framework, table)
    book = openpyxl.load_workbook(table)
    sheet = book.active
    row = next(r for r in range(4, sheet.max_row + 1) if sheet.cell(r, 5).value == "预算编制合理性")
    sheet.cell(row, 6).value = 4  # 5 in the framework: 预算编制 then adds up to 9, not 10
    book.save(table)
    result = import_framework(table, tmp_path / "draft.yaml")
    assert "二级指标“预算编制”：表中分值 10，其下三级指标分值合计 9" in result.draft.problems
    assert not result.loaded and (tmp_path / "draft.yaml").is_file()  # written anyway, as a draft
    assert "# TODO 二级指标“预算编制”" in (tmp_path / "draft.yaml").read_text(encoding="utf-8")
    assert main(["framework", "check", str(tmp_path / "draft.yaml")]) == 2


def test_a_text_that_reads_two_ways_is_a_todo_quoting_it() -> None:
    text = "1.得分=政府采购执行率×2分；\n2.政府采购执行率≥90%的，得2分；低于90%的，得0分。"
    got = recognize("政府采购执行情况", Fraction(2), text.replace("\n2.", "；"))
    assert got.parts == [{"rule": "judgement", "points": 2}]
    assert any("也可读作按区间分档计分" in t and "政府采购执行率×2分" in t for t in got.todos)


def test_an_unreadable_text_is_a_judgement_with_a_todo() -> None:
    got = recognize("某项指标", Fraction(3), "根据工作开展情况评分")
    assert got.parts == [{"rule": "judgement", "points": 3}] and got.todos
    whole = recognize("社会效益", Fraction(5), "未实现绩效目标的酌情扣分。")
    assert whole.parts == [{"rule": "judgement", "points": 5}] and whole.todos == []


@pytest.mark.parametrize("name, content, message", [
    ("broken.docx", b"PK\x03\x04 not really", "无法读取 Word 文件"),
    ("locked.xlsx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600, "无法读取 Excel 文件"),
    ("broken.xls", b"garbage" * 20, "无法读取 Excel 文件"),
    ("table.pdf", b"%PDF-1.4", "只支持 .docx、.xlsx 和 .xls"),
])
def test_unreadable_tables_are_clear_errors_and_write_nothing(tmp_path, capsys, name, content, message) -> None:  # noqa: ANN001
    table = tmp_path / name
    table.write_bytes(content)
    assert main(["framework", "import", str(table), "-o", str(tmp_path / "out.yaml")]) == 2
    assert message in capsys.readouterr().err
    assert not (tmp_path / "out.yaml").exists()


def test_a_table_without_an_indicator_table(tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    book.active.append(["姓名", "电话"])
    book.save(tmp_path / "other.xlsx")
    with pytest.raises(ReportError, match="没有指标表|没有找到指标表"):
        import_framework(tmp_path / "other.xlsx", tmp_path / "out.yaml")


# --- the commands -----------------------------------------------------------------------


def test_framework_import_and_check_on_the_command_line(tmp_path: Path, capsys) -> None:  # noqa: ANN001
    table = tmp_path / "通知附件.xlsx"
    write_xlsx(load_framework("district-2023", REPO), table)
    assert main(["framework", "import", str(table)]) == 0
    out = capsys.readouterr().out
    assert "已写出草稿" in out and "21 个三级指标" in out
    assert main(["framework", "check", str(tmp_path / "通知附件.yaml")]) == 0
    out = capsys.readouterr().out
    assert "检查通过" in out and "quarterly_execution" in out and "评分用到的事实" in out


def test_framework_check_names_the_line_of_a_mistake(tmp_path: Path, capsys) -> None:  # noqa: ANN001
    text = (REPO / "reportkit/compute/frameworks/dazhou-city.yaml").read_text(encoding="utf-8")
    broken = tmp_path / "broken.yaml"
    broken.write_text(text.replace("threshold: 90, direction: below", "threshold: 90, direction: downward"),
                      encoding="utf-8")
    assert main(["framework", "check", str(broken)]) == 2
    err = capsys.readouterr().err
    line = next(i for i, ln in enumerate(broken.read_text(encoding="utf-8").splitlines(), 1) if "downward" in ln)
    assert f"broken.yaml:{line}" in err and "“downward”不是可选的值" in err


def test_the_framework_schema_accepts_every_shipped_file_and_rejects_a_typo(capsys) -> None:  # noqa: ANN001
    assert main(["schema", "--framework"]) == 0
    schema = json.loads(capsys.readouterr().out)
    assert schema == json.loads(json.dumps(framework_schema(), ensure_ascii=False))
    validator = jsonschema.Draft202012Validator(schema)
    for path in sorted((REPO / "reportkit/compute/frameworks").glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        assert not list(validator.iter_errors(data)), path.name
    data = yaml.safe_load((REPO / "reportkit/compute/frameworks/city-2021.yaml").read_text(encoding="utf-8"))
    data["levels"][0]["groups"][0]["indicators"][0]["parts"][0]["pointz"] = 1
    assert list(validator.iter_errors(data))


def test_frameworks_of_other_shapes_show_where_they_come_from() -> None:
    framework = load_framework("mof-2013", REPO)
    assert "财预〔2013〕53号" in framework.source and "示例" in framework.source
