"""Issue 19: what import reads off a report's cover and narrative, in the phrasings the class of
reports uses (not a seed's sentences): a 2023 district report of a 区委办-like unit, made with
python-docx, with the figures in prose and in tables."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
import yaml

from reportkit.importer.facts import find_numbers, guess_self_name, read_cover
from reportkit.importer.run import import_report


def district_docx(path: Path) -> Path:
    import docx

    d = docx.Document()
    for line in ("2023年度部门整体绩效评价报告", "部门名称（公章）：中共深圳市某某区委办公室（深圳", "市某某区人民政府办公室）",
                 "填报人：王五", "联系电话：0755-2522"):
        d.add_paragraph(line)
    d.add_paragraph("一、部门基本情况")
    d.add_paragraph("（一）部门主要职能")
    d.add_paragraph("1.贯彻落实区委决策部署，协调推进全区重点工作。")
    d.add_paragraph("2.负责区委日常运转保障。")
    d.add_paragraph("（二）年度总体工作和重点工作任务")
    d.add_paragraph("区委办紧紧围绕区委中心工作，统筹推进办文办会、督查督办等工作。")
    d.add_paragraph("（三）2023年部门预算编制情况")
    d.add_paragraph("2023年区委办年初预算为2,991.16万元。比2022年减少120.50万元，主要是压减一般性支出。")
    d.add_paragraph("（四）2023年部门预算执行情况")
    d.add_paragraph("区委办2023年全年预算数为3,303.88万元，实际支出3,284.95万元。年中调增资金312.72万元，主要用于保障重大活动。")
    d.add_paragraph("截至2023年底，区委办核定编制37人，实有在编人员37人，另有编外人员16人，在职人员合计53人。")
    d.add_paragraph("表2-1 2023年各季度预算执行情况")
    d.add_paragraph("单位：万元")
    table = d.add_table(rows=5, cols=3)
    for r, row in enumerate([("季度", "累计支出（万元）", "支出进度"), ("第一季度", "701.22", "21.22%"),
                             ("第二季度", "1,569.10", "47.49%"), ("第三季度", "2,380.54", "72.05%"),
                             ("第四季度", "3,284.95", "99.43%")]):
        for c, text in enumerate(row):
            table.cell(r, c).text = text
    d.add_paragraph("二、部门主要履职绩效分析")
    d.add_paragraph("（一）主要履职目标")
    d.add_paragraph("围绕区委中心工作提供服务保障。")
    d.add_paragraph("（二）主要履职情况")
    d.add_paragraph("全年未收到群众信访件。")
    d.add_paragraph("（三）部门履职绩效情况")
    d.add_paragraph("“三公”经费及日常公用经费情况如下表：")
    table = d.add_table(rows=3, cols=4)
    for r, row in enumerate([("项目", "预算数（万元）", "实际支出（万元）", "控制率"),
                             ("“三公”经费", "24.8", "23.65", "95.36%"), ("日常公用经费", "115.16", "109.02", "94.67%")]):
        for c, text in enumerate(row):
            table.cell(r, c).text = text
    d.add_paragraph("区委办日常公用经费预算调整数为115.16万元。区委办开展的服务对象满意度调查中，各项满意度均为100%。")
    d.add_paragraph("三、总体评价和整改措施")
    for title in ("（一）预算绩效管理工作主要经验、做法", "（二）部门整体支出绩效存在问题及改进措施", "（三）后续工作计划、相关建议"):
        d.add_paragraph(title)
        d.add_paragraph(f"{title[3:]}：区委办将持续改进。")
    d.add_paragraph("四、部门整体支出绩效评价指标评分情况")
    d.add_paragraph("区委办参照智慧财政系统中《部门整体支出绩效评价指标评分情况表》进行自评，此次绩效自评得分为94.91分，具体得分情况见附件。")
    d.save(str(path))
    return path


@pytest.fixture(scope="module")
def district(tmp_path_factory: pytest.TempPathFactory):
    work = tmp_path_factory.mktemp("district")
    result = import_report(district_docx(work / "区委办2023.docx"), work / "report")
    return result


def test_the_cover_keeps_the_author_s_characters_and_joins_a_wrapped_name(district) -> None:
    assert district.cover.unit == "中共深圳市某某区委办公室（深圳市某某区人民政府办公室）"
    report = yaml.safe_load((district.root / "content" / "facts.yaml").read_text(encoding="utf-8"))["report"]
    assert report["unit"] == "中共深圳市某某区委办公室（深圳市某某区人民政府办公室）"
    assert (report["preparer"], report["phone"], report["level"]) == ("王五", "0755-2522", "区")


def test_the_self_name_is_read_from_the_text(district) -> None:
    assert district.self_name == "区委办"
    assert guess_self_name(["我站全年完成引航任务。我站严格执行制度。"], "深圳港引航站") == "我站"
    assert guess_self_name(["区委、区政府高度重视。"], "中共深圳市某某区委办公室") is None


def test_a_list_typed_without_a_space_keeps_its_style(district) -> None:
    text = (district.root / "content" / "1-1-主要职能.md").read_text(encoding="utf-8")
    assert "1\\.贯彻落实区委决策部署" in text and "1. 贯彻" not in text


def _proposed(result) -> dict[str, object]:  # noqa: ANN001
    out = {}
    for p in result.proposals:
        if p.kind == "money4":
            out[p.path] = [f.value for f in p.found]
        elif p.kind != "rate":
            out[p.path] = p.values
    return out


def test_the_figures_in_prose_and_tables_are_proposed(district) -> None:
    got = _proposed(district)
    want = {
        "budget.initial": [Decimal("2991.16")],
        "budget.previous_initial": [Decimal("3111.66")],  # "比2022年减少…" against the sentence before
        "budget.adjusted": [Decimal("3303.88")],
        "budget.spent": [Decimal("3284.95")],
        "budget.adjustments": [Decimal("312.72")],
        "staff.authorized": [Decimal("37")],
        "staff.on_payroll": [Decimal("37")],  # not the 53 在职 (在编 + 编外)
        "staff.contract": [Decimal("16")],
        "quarterly.cumulative_spent": [Decimal("701.22"), Decimal("1569.10"), Decimal("2380.54"), Decimal("3284.95")],
        "three_public.budget": [Decimal("24.8")],
        "three_public.spent": [Decimal("23.65")],
        "office_expenses.budget": [Decimal("115.16")],
        "office_expenses.spent": [Decimal("109.02")],
        "petitions.received": [Decimal("0")],
        "satisfaction": [Decimal("100")],
    }
    assert {k: got.get(k) for k in want} == want
    assert set(got) - set(want) <= {"budget.project"}  # nothing else proposed
    facts = (district.root / "content" / "facts.yaml").read_text(encoding="utf-8")
    assert "#   budget.adjusted: 3303.88  # 调整后预算（万元）；1-4-预算执行情况.md 第 1 行：“区委办2023年全年预算数为3,303.88万元" in facts
    assert "识别事实 15 项" in district.summary and "导入结果：章节 10/10" in district.summary


@pytest.mark.parametrize(("text", "path", "value"), [
    ("“三公”经费调整预算数 12.4 万元，实际支出 8.7 万元。", "three_public.spent", "8.7"),
    ("日常公用经费调整预算数 168.51 万元，实际支出 166.35 万元。", "office_expenses.spent", "166.35"),
    ("部门整体支出全年预算总额 500 万元，实际支出 480 万元。", "budget.spent", "480"),
    ("项目支出调整后预算 300 万元，全年支出 280 万元。", "budget.project_spent", "280"),
    ("我站的“三公”经费实际支出数 41.2 万元（公车费用 40.4 万元；公务接待费 0.8 万元），预算数 96 万元。",
     "three_public.budget", "96"),
    ("年度执行中调减 2,828.66 万元，调整后为 17,378.86 万元。", "budget.adjusted", "17378.86"),
])
def test_the_sentence_s_subject_decides_what_a_figure_is(text: str, path: str, value: str) -> None:
    found = {p.path: p.values for p in find_numbers([("x.md", text)])}
    assert found.get(path) == [Decimal(value)]
    if path != "budget.spent":
        assert "budget.spent" not in found or path.startswith("budget.project")


def test_no_figure_of_another_subject_is_taken_for_the_budget() -> None:
    found = {p.path for p in find_numbers([("x.md", "“三公”经费调整预算数 12.4 万元，实际支出 8.7 万元。"),
                                            ("x.md", "项目支出预算 61,219.51 万元，项目实际支出 57,878.3 万元。")])}
    assert not found & {"budget.spent", "budget.adjusted", "budget.initial"}


def test_cover_fields_from_a_cover_table() -> None:
    from reportkit.importer.docx import Item

    table = Item("table", "", cells=[["单位名称（公章）", "深圳港某某站"], ["填报人", "李四"]])
    cover = read_cover([table])
    assert (cover.unit, cover.preparer) == ("深圳港某某站", "李四")
