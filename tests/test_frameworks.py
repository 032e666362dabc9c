"""Issue 3: the shipped frameworks as data, and frameworks that users copy and edit."""

from __future__ import annotations

import re
import shutil
from fractions import Fraction
from pathlib import Path

import pytest

from reportkit.assemble.report import load_scores
from reportkit.cli import main
from reportkit.compute.framework import Framework, load_framework, shipped_dir, shipped_ids

DATA = Path(__file__).parent / "data"
SHIPPED = ["city-2019", "city-2020", "city-2021", "district-2021", "district-2023"]


def framework(fid: str) -> Framework:
    return load_framework(fid, Path("."))


def weights(fw: Framework) -> dict[str, str]:
    """Every level, group and indicator weight by name, as plain strings."""
    out = {}
    for level in fw.levels:
        out[level.name] = str(level.weight)
        for group in level.groups:
            out[group.name] = str(group.weight)
            for ind in group.indicators:
                out[ind.name] = str(ind.weight)
    return out

OTHER_SHAPES = ["dazhou-city", "mof-2013"]  # tests/test_framework_general.py


def test_the_shipped_frameworks() -> None:
    assert shipped_ids() == sorted([*SHIPPED, *OTHER_SHAPES])  # Shenzhen's, and the shapes of issue 17
    for fid in SHIPPED:
        fw = framework(fid)
        assert fw.id == fid and fw.year == int(fid[-4:]) and fw.total == 100
        assert fw.level == ("区" if fid.startswith("district") else "市")
        assert len(fw.indicators) == 21


@pytest.mark.parametrize("fid", SHIPPED)
def test_every_shipped_framework_scores_seed000(fid: str, tmp_path: Path) -> None:
    root = tmp_path / "seed000"
    shutil.copytree(DATA / "seed000", root)
    facts = root / "content" / "facts.yaml"
    facts.write_text(facts.read_text(encoding="utf-8").replace("framework: city-2021", f"framework: {fid}"), encoding="utf-8")
    *_, scores = load_scores(root)
    assert scores.framework.id == fid and scores.total is not None and scores.grade in "优良中差"
    for s in scores.indicators:
        assert 0 <= s.final <= s.indicator.weight
    for level, sub in zip(scores.framework.levels, scores.levels, strict=True):
        assert sub.score == sum(s.final for s in scores.indicators if s.indicator.level == level.name)
    assert scores.total == sum(lv.score for lv in scores.levels)


def test_weights_of_the_variants() -> None:
    city = weights(framework("city-2021"))
    assert [city[n] for n in ("部门决策", "目标设置", "绩效目标完整性", "绩效指标明确性", "部门绩效", "效果性")] == \
        ["20", "10", "3", "7", "60", "25"]
    for fid in ("city-2019", "district-2021"):
        w = weights(framework(fid))
        assert [w[n] for n in ("部门决策", "目标设置", "绩效目标完整性", "绩效指标明确性", "部门绩效", "效果性")] == \
            ["25", "15", "8", "7", "55", "20"]
    assert weights(framework("city-2020")) == city
    y2023 = weights(framework("district-2023"))
    assert {n: y2023[n] for n in ("部门决策", "目标设置", "绩效目标完整性", "绩效指标明确性", "部门绩效")} == {
        "部门决策": "20", "目标设置": "10", "绩效目标完整性": "5", "绩效指标明确性": "5", "部门绩效": "60",
    }
    # the 2023 district table prints the 三级 indicator 项目监管 as 项目管理, the name of its 二级
    skip = ("绩效目标完整性", "绩效指标明确性", "项目管理", "项目监管")
    assert {n: v for n, v in y2023.items() if n not in skip} == {n: v for n, v in city.items() if n not in skip}
    fw = framework("district-2023")
    assert [(g.name, [i.name for i in g.indicators]) for g in fw.levels[1].groups][1] == ("项目管理", ["项目实施程序", "项目管理"])


def _parts(fw: Framework, name: str) -> list[tuple[str, Fraction]]:
    ind = fw.find(name)
    assert ind is not None, name
    return [(p.rule, p.params.get("points")) for p in ind.parts]


def test_district_2021_self_scoring_table() -> None:
    fw = framework("district-2021")
    assert fw.annex["layout"] == "self_scoring" and fw.annex["headers"]["score"] == "自评得分"
    assert fw.annex["headers"]["description"] is None
    assert all(i.description == "" for i in fw.indicators)
    assert fw.find("政府采购执行情况") is None
    assert _parts(fw, "政府采购执行率") == [("ratio", 2)]
    assert fw.find("政府采购执行率").parts[0].params["zero_if_over"] is True
    assert _parts(fw, "财务合规性") == [("judgement", Fraction(3, 2)), ("judgement", Fraction(3, 2))]
    assert fw.find("财务合规性").zero_if == "compliance.violations"
    assert _parts(fw, "管理制度健全性") == [("judgement", 1)] * 3
    texts = "".join(i.standard for i in fw.indicators)
    assert "市委市政府" not in texts and "市统计部门" not in texts and "市直民主评议" not in texts
    assert fw.find("重点工作完成情况").standard.startswith("重点工作是指中央和省、市相关部门、区委、区政府、区人大交办或下达的工作任务。")
    assert fw.find("政府采购执行率").standard.splitlines()[0] == "1.本指标得分=政府采购执行率×2分"


def test_district_2023() -> None:
    fw = framework("district-2023")
    assert fw.settings["adjustment_denominator"] == "initial"
    assert fw.settings["adjustment_deduction"] == "proportional"
    assert _parts(fw, "绩效目标完整性") == [("deduct_per_item", 5)]
    assert _parts(fw, "绩效指标明确性") == [("judgement", 1)] * 5
    assert "实现绩效目标全覆盖（5分）" in fw.find("绩效目标完整性").standard
    texts = "".join(i.standard + i.description for i in fw.indicators)
    assert "市委市政府" not in texts and "区委区政府" in texts and "区统计部门" in texts


def test_city_2020_weighted_names_and_its_corrected_text() -> None:
    fw = framework("city-2020")
    assert fw.annex == {
        "layout": "weighted_names",
        "headers": {"weight": "分值", "description": "指标说明", "standard": "评分标准", "score": "分数"},
        "total_row": "综合评分", "grade_row": "评分等级",
    }
    # the seed's table still says （8分） here: a leftover of the 2019 weights that the toolkit refuses
    assert "（3分）" in fw.find("绩效目标完整性").standard and "（8分）" not in fw.find("绩效目标完整性").standard
    assert "根据事业发展计划和行政任务编制" in fw.find("政府采购执行情况").standard


def test_official_texts_verbatim() -> None:
    """Spot checks against the seeds' annex tables (copied here: tests never read ../shared)."""
    c2021 = framework("city-2021")
    assert c2021.find("社会效益、经济效益、生态效益及可持续影响等").standard.splitlines()[1] == (
        "根据部门（部门）履职内容和性质，从社会效益、经济效益、生态效益、可持续影响等方面，至少选择三个方面对工作实效和效益进行评价。"
    )
    assert c2021.find("群众信访办理情况").description == "部门（单位）对群众信访意见的完成情况及时性，反映部门（单位）对服务群众的重视程度。"
    c2019 = framework("city-2019")
    assert c2019.find("财务合规性").standard.splitlines()[1] == (
        "2.资金调整、调剂规范性（1分）。调整、调剂资金累计在本单位部门预算总规模10%以内的，得1分；"
        "超出10%的，超出一个百分点扣0.1分，直至1分扣完为止。"
    )
    assert c2019.find("公众或服务对象满意度").standard.startswith("社会公众或服务对象是指部门（单位）履行职责而影响到的部门、群体或个人，一般采取社会调查的方式。")
    assert c2019.notes[0] == "1.《部门整体支出绩效评价共性指标体系框架》的适用对象是部门和单位；"


def test_stated_points_never_exceed_the_weight() -> None:
    for fid in SHIPPED:
        for ind in framework(fid).indicators:
            for points in re.findall(r"（(\d+(?:\.\d+)?)分）", ind.standard):
                assert Fraction(points) <= ind.weight, (fid, ind.name, points)


def test_city_wording_in_a_district_report() -> None:
    fw = framework("city-2021")
    district = framework("district-2021")
    for name in ("重点工作完成情况", "公众或服务对象满意度"):
        assert fw.words(fw.find(name).standard, "区").replace(" ", "") .endswith(
            district.find(name).standard.splitlines()[-1].replace(" ", "")[-20:]
        )
    assert fw.words(fw.find("重点工作完成情况").standard, "区").startswith(
        "重点工作是指中央和省、市相关部门、区委、区政府、区人大交办或下达的工作任务。"
    )
    assert fw.words(fw.find("预算编制合理性").standard, "市") == fw.find("预算编制合理性").standard


def test_frameworks_command_lists_them(capsys: pytest.CaptureFixture, monkeypatch) -> None:
    monkeypatch.setenv("COLUMNS", "100")
    assert main(["frameworks"]) == 0
    out = capsys.readouterr().out
    shipped = [*SHIPPED, *OTHER_SHAPES]
    rows = {line.split()[0]: line.split() for line in out.splitlines() if line.split() and line.split()[0] in shipped}
    assert set(rows) == set(shipped)
    assert rows["district-2021"][1:6] == ["2021", "区", "100", "部门决策", "25"]  # the shape: 一级指标 and weights
    assert rows["city-2021"][1:6] == ["2021", "市", "100", "部门决策", "20"]
    assert rows["mof-2013"][1:6] == ["—", "区", "100", "投入", "20"]
    assert "部门整体支出绩效自评表（2021年）" in out
    assert "来源：" in out and "财预〔2013〕53号" in out.replace("\n", "")


# --- frameworks users copy and edit ------------------------------------------------------


@pytest.fixture
def own(tmp_path: Path) -> Path:
    """Seed 000 with a copy of city-2021.yaml in the report folder, pointed at by a relative path."""
    root = tmp_path / "seed000"
    shutil.copytree(DATA / "seed000", root)
    shutil.copy(shipped_dir() / "city-2021.yaml", root / "我的框架.yaml")
    facts = root / "content" / "facts.yaml"
    facts.write_text(facts.read_text(encoding="utf-8").replace("framework: city-2021", "framework: 我的框架.yaml"),
                     encoding="utf-8")
    return root


def edit(root: Path, old: str, new: str, name: str = "我的框架.yaml") -> None:
    path = root / name
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, old
    path.write_text(text.replace(old, new), encoding="utf-8")


def line_of(root: Path, snippet: str | tuple[str, str]) -> int:
    """The line holding a snippet; (anchor, snippet): the first one after the anchor's line."""
    anchor, snippet = snippet if isinstance(snippet, tuple) else ("", snippet)
    lines = (root / "我的框架.yaml").read_text(encoding="utf-8").splitlines()
    start = next(n for n, line in enumerate(lines) if anchor in line)
    return next(n for n, line in enumerate(lines[start:], start=start + 1) if snippet in line)


def test_a_copied_framework_scores_like_the_shipped_one(own: Path) -> None:
    *_, scores = load_scores(own)
    assert str(scores.total) == "93.78" and scores.framework.file.endswith("我的框架.yaml")


def test_an_edited_framework_reweights_adds_and_drops_indicators(own: Path) -> None:
    # 效果性 keeps 25: the common indicator 20 + an individual indicator (个性指标) 5
    edit(own, "          - name: 社会效益、经济效益、生态效益及可持续影响等\n            weight: 25",
         "          - name: 社会效益、经济效益、生态效益及可持续影响等\n            weight: 20")
    edit(own, "              - {rule: judgement, points: 25}\n", (
        "              - {rule: judgement, points: 20}\n"
        "          - name: 口岸通关时效\n"
        "            weight: 5\n"
        "            standard: 进出口整体通关时间较上年压缩（5分），未达目标的酌情扣分。\n"
        "            parts:\n"
        "              - {rule: judgement, points: 5}\n"
    ))
    # 项目监管 does not apply: dropped, and 项目管理 re-weighted to 2
    text = (own / "我的框架.yaml").read_text(encoding="utf-8")
    start = text.index("          - name: 项目监管")
    end = text.index("      - name: 资产管理")
    (own / "我的框架.yaml").write_text(text[:start] + text[end:], encoding="utf-8")
    edit(own, "      - name: 项目管理\n        weight: 4", "      - name: 项目管理\n        weight: 2")
    edit(own, "  - name: 部门管理\n    weight: 20", "  - name: 部门管理\n    weight: 18")
    edit(own, "  - name: 部门绩效\n    weight: 60", "  - name: 部门绩效\n    weight: 62")
    edit(own, "      - name: 公平性\n        weight: 9", "      - name: 公平性\n        weight: 11")
    edit(own, "          - name: 公众或服务对象满意度\n            weight: 6", "          - name: 公众或服务对象满意度\n            weight: 8")
    edit(own, '"[0, 80)": 1, "[80, 90)": 2, "[90, 95)": 4, "[95, inf)": 6', '"[0, 80)": 2, "[80, 90)": 4, "[90, 95)": 6, "[95, inf)": 8')
    facts = own / "content" / "facts.yaml"
    facts.write_text(facts.read_text(encoding="utf-8") + (
        "  口岸通关时效:\n    - part: 1\n      deduct: 0.5\n      reason: 进口通关时间压缩未达目标\n"
    ), encoding="utf-8")
    *_, scores = load_scores(own)
    assert scores.framework.find("项目监管") is None
    assert str(scores.by_name("口岸通关时效").final) == "4.5"
    assert str(scores.by_name("公众或服务对象满意度").final) == "4"  # 86.34% in the re-weighted bands
    # 93.78 − 2 (项目监管 gone) − 0.5 (个性指标 deduction) + 2 (满意度 band re-weighted)
    assert [str(lv.score) for lv in scores.levels] == ["19.9", "16.9", "56.48"]
    assert str(scores.total) == "93.28"


BAD_EDITS = [
    # (old, new, words the message must contain, a snippet of the line it must point at)
    ("      - name: 资金管理\n        weight: 8", "      - name: 资金管理\n        weight: 9",
     "二级指标“资金管理”的分值为 9，但其三级指标分值合计为 8", "weight: 9"),
    ("          - name: 固定资产利用率\n            weight: 1", "          - name: 固定资产利用率\n            weight: 2",
     "三级指标“固定资产利用率”：各评分项合计 1 分，与指标分值 2 分不符", ("name: 固定资产利用率", "parts:")),
    ("  - name: 部门绩效\n    weight: 60", "  - name: 部门绩效\n    weight: 65",
     "一级指标“部门绩效”的分值为 65，但其二级指标分值合计为 60", "weight: 65"),
    ("- {rule: deduct_per_item, points: 8, per: 4, count: key_tasks.unfinished}",
     "- {rule: deduct_each, points: 8, per: 4, count: key_tasks.unfinished}",
     "三级指标“重点工作完成情况”：未知的评分规则“deduct_each”", "deduct_each"),
    # a rule name or a named parameter that is a list, a mapping or a number (was TypeError: unhashable)
    ("- {rule: deduct_per_item, points: 8, per: 4, count: key_tasks.unfinished}",
     "- {rule: [], points: 8, per: 4, count: key_tasks.unfinished}",
     "三级指标“重点工作完成情况”：评分规则名 rule 应是一个名称，写的是一个空列表 []", "rule: []"),
    ("- {rule: deduct_per_item, points: 8, per: 4, count: key_tasks.unfinished}",
     "- {rule: {a: 1}, points: 8, per: 4, count: key_tasks.unfinished}",
     "以下规则之一：judgement、deduct_per_item、ratio", "rule: {a: 1}"),
    ("- {rule: deduct_per_item, points: 8, per: 4, count: key_tasks.unfinished}",
     "- {rule: 3, points: 8, per: 4, count: key_tasks.unfinished}",
     "评分规则名 rule 应是一个名称，写的是“3”", "rule: 3,"),
    ("- {rule: deduct_per_item, points: 8, per: 4, count: key_tasks.unfinished}",
     "- {rule: deduct_per_item, points: 8, per: 4, count: [key_tasks.unfinished]}",
     "三级指标“重点工作完成情况”：参数 count 应是一个名称，写的是一个列表（1 项）", "count: [key_tasks"),
    ("numerator: procurement.actual,", "numerator: {procurement.actual: 1},",
     "三级指标“政府采购执行情况”：参数 numerator 应是一个名称，写的是一组键值对", "numerator: {procurement"),
    ("- {rule: deduct_per_item, points: 8, per: 4, count: key_tasks.unfinished}",
     "- {rule: deduct_per_item, label: [a], points: 8, per: 4, count: key_tasks.unfinished}",
     "三级指标“重点工作完成情况”：label 应是一段文字", "label: [a]"),
    ("- {rule: quarterly_execution, per_quarter: 1, average: 2}", "- {rule: quarterly_execution, per_quarter: 1}",
     "三级指标“预算执行率”：规则 quarterly_execution 缺少参数“average”", "quarterly_execution"),
    ("- {rule: quarterly_execution, per_quarter: 1, average: 2}", "- {rule: quarterly_execution, per_quarter: 1, average: 二}",
     "三级指标“预算执行率”：需要数字，写的是“二”", "quarterly_execution"),
    ("numerator: procurement.actual,", "numerator: procurement.actuals,",
     "三级指标“政府采购执行情况”：“procurement.actuals”不是可用的事实或计算指标", "procurement.actuals"),
    ("numerator: staff.on_payroll_total", "numerator: staff.on_payroll",
     "三级指标“财政供养人员控制率”：“staff.on_payroll”不是可用的事实或计算指标", "numerator: staff.on_payroll"),
    ("                metric: satisfaction_rate\n", "",
     "三级指标“公众或服务对象满意度”：规则 bands 需要参数 metric 或 numerator、denominator",
     ("name: 公众或服务对象满意度", "- rule: bands")),
    ("metric: satisfaction_rate", "metric: satisfaction",
     "三级指标“公众或服务对象满意度”：“satisfaction”不是可用的比率指标", "metric: satisfaction"),
    ("scores: {按规定公开: 1.5, 公开但有缺陷: 1, 未公开: 0}}\n              - {rule: tiered, label: 部门决算公开",
     "scores: {按规定公开: 1.5, 有缺陷: 1, 未公开: 0}}\n              - {rule: tiered, label: 部门决算公开",
     "三级指标“预决算信息公开”：scores 的情形应与事实“disclosure.budget”的可选值一一对应", "有缺陷"),
    ("                bands: {\"[0, 60)\": 0, \"[60, 75)\": 0.4", "                bands: {\"[0, 60)\": 0, \"(60, 75)\": 0.4",
     "三级指标“固定资产利用率”：区间“[0, 60)”与“(60, 75)”之间有空缺或重叠", "(60, 75)"),
    ("            weight: 3\n            description: 部门（单位）是否按要求编报项目绩效目标",
     "            weight: 3\n            wieght: 3\n            description: 部门（单位）是否按要求编报项目绩效目标",
     "“目标设置”下第1个三级指标中有未知的键“wieght”", "wieght"),
    ("实现绩效目标全覆盖（3分）", "实现绩效目标全覆盖（8分）",
     "三级指标“绩效目标完整性”：参考评分标准中写的“（8分）”超过指标分值 3 分", ("name: 绩效目标完整性", "standard: |-")),
    ("  rounding: truncate ", "  rounding: floor ", "设置“rounding”的值“floor”无效", "rounding: floor"),
    ("          - name: 项目监管", "          - name: 项目实施程序", "三级指标名称重复：项目实施程序",
     ("name: 项目实施程序", "name: 项目实施程序")),
]


@pytest.mark.parametrize(("old", "new", "words", "snippet"), BAD_EDITS)
def test_a_bad_edit_gives_one_clear_message(own: Path, capsys: pytest.CaptureFixture, old, new, words, snippet) -> None:
    edit(own, old, new)
    assert main(["score", str(own)]) == 2
    err = capsys.readouterr().err
    assert "Traceback" not in err and "内部错误" not in err
    assert words in err, err
    line = line_of(own, snippet)
    assert f"我的框架.yaml:{line}" in err or f"我的框架.yaml:{line - 1}" in err, (err, line)


def test_a_missing_framework_file_points_at_the_facts(own: Path, capsys: pytest.CaptureFixture) -> None:
    (own / "我的框架.yaml").unlink()
    assert main(["score", str(own)]) == 2
    err = capsys.readouterr().err
    assert "我的框架.yaml" in err and "文件不存在" in err


def test_an_unknown_framework_id_lists_the_shipped_ones(own: Path, capsys: pytest.CaptureFixture) -> None:
    edit(own, "framework: 我的框架.yaml", "framework: city-2022", name="content/facts.yaml")
    assert main(["score", str(own)]) == 2
    err = capsys.readouterr().err
    assert "找不到评价指标体系“city-2022”" in err and "facts.yaml:" in err
    assert all(fid in err for fid in SHIPPED)
