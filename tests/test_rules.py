"""Issue 3: each rule against frameworks.md, and the edge cases the real reports show."""

from __future__ import annotations

import copy
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

import pytest

from reportkit.compute.framework import load_framework, parse_framework
from reportkit.compute.metrics import compute_metrics
from reportkit.compute.scoring import Scores, score_report
from reportkit.errors import ReportError
from reportkit.load.facts import parse_facts
from reportkit.load.yamlio import Located, load_yaml
from reportkit.numbers import quantize

SEED000 = Path(__file__).parent / "data" / "seed000" / "content" / "facts.yaml"
BASE, _ = load_yaml(SEED000)


def facts_like_seed000(**changes) -> dict:
    """Seed 000's facts with some blocks replaced (None removes a block)."""
    data = copy.deepcopy(BASE)
    for key, value in changes.items():
        if value is None:
            data.pop(key, None)
        else:
            data[key] = value
    return data


def score(data: dict, framework: str = "city-2021", **settings) -> Scores:
    facts = parse_facts(data, Located("facts.yaml"))
    fw = load_framework(framework, Path("."))
    fw.settings = {**fw.settings, **settings}
    return score_report(fw, facts, compute_metrics(facts))


def final(scores: Scores, name: str) -> str:
    return str(scores.by_name(name).final)


def part(scores: Scores, name: str, number: int):  # noqa: ANN201
    return scores.by_name(name).parts[number - 1]


# --- 预算执行率 ----------------------------------------------------------------------------


def test_quarterly_seed000() -> None:
    s = score(facts_like_seed000())
    result = part(s, "预算执行率", 1)
    assert result.working.startswith("0.8507 + 1 + 0.8056 + 0.9429 + 2 × 0.9069 = 5.413")
    assert final(s, "预算执行率") == "5.41"


def test_quarterly_from_progress_percentages_district_2023() -> None:
    # 2023 district report: 执行率 106.18%, 106.26%, 99.23%, 99.43% → 5.9866 → 5.98 (rounding would give 5.99)
    progress = [Decimal("26.545"), Decimal("53.13"), Decimal("74.4225"), Decimal("99.43")]
    data = facts_like_seed000(quarterly={"progress": progress})
    s = score(data, "district-2023")
    assert s.by_name("预算执行率").exact == Fraction(59866, 10000)
    assert final(s, "预算执行率") == "5.98"
    assert final(score(data, "district-2023", rounding="half_up"), "预算执行率") == "5.99"


def test_quarterly_seed001_progress() -> None:
    data = facts_like_seed000(quarterly={"progress": [Decimal("26.1"), Decimal("50.6"), Decimal("73.6"), Decimal("99.45")]})
    assert final(score(data), "预算执行率") == "5.97"


def test_quarterly_average_is_capped_but_its_terms_are_not() -> None:
    # 125%, 62.5%, 100%, 100% of 序时进度: quarters 1 + 0.625 + 1 + 1; the average keeps the
    # uncapped 125%: (1.25 + 0.625 + 1 + 1) / 4 = 96.875% → 2 × 0.96875
    data = facts_like_seed000(quarterly={"progress": [Decimal("31.25"), Decimal("31.25"), Decimal("75"), Decimal("100")]})
    assert score(data).by_name("预算执行率").exact == Fraction(3) + Fraction(5, 8) + Fraction(31, 16)


# --- 调整、调剂规范性: both denominators, both deductions ----------------------------------

DISTRICT_2023_BUDGET = {"initial": Decimal("2991.16"), "adjusted": Decimal("3303.88"), "spent": Decimal("3200"),
                        "adjustments": Decimal("312.72")}


@pytest.mark.parametrize(
    ("budget", "denominator", "deduction", "part_score", "indicator"),
    [
        (None, "adjusted", "per_point", Fraction(9, 10), "2.9"),  # seed 000: 11.31% → one whole point → 0.1
        (None, "adjusted", "proportional", None, "2.86"),  # 1.3101 points over → 0.131 off
        (DISTRICT_2023_BUDGET, "initial", "proportional", None, "2.95"),  # 10.45% → 0.0455 off → 0.95
        (DISTRICT_2023_BUDGET, "initial", "per_point", Fraction(1), "3"),  # no whole point over 10%
    ],
)
def test_adjustment_readings(budget, denominator, deduction, part_score, indicator) -> None:
    data = facts_like_seed000(budget=budget) if budget else facts_like_seed000()
    s = score(data, adjustment_denominator=denominator, adjustment_deduction=deduction)
    result = part(s, "财务合规性", 2)
    if part_score is not None:
        assert result.score == part_score
    assert final(s, "财务合规性") == indicator
    label = "调整后预算" if denominator == "adjusted" else "年初预算"
    assert f"以{label}为分母" in result.working


def test_district_2023_adjustment_example() -> None:
    s = score(facts_like_seed000(budget=DISTRICT_2023_BUDGET), "district-2023")
    result = part(s, "财务合规性", 2)
    ratio = Fraction(31272, 299116) * 100
    assert result.score == 1 - (ratio - 10) / 10
    assert str(quantize(result.score)) == "0.95"
    assert result.value == "10.45%" and result.deductions and "按超出比例" in result.deductions[0][1]


def test_adjustment_within_threshold_and_far_over() -> None:
    within = facts_like_seed000(budget={**BASE["budget"], "adjustments": Decimal("6468.948")})  # exactly 10%
    assert part(score(within), "财务合规性", 2).score == 1
    far = facts_like_seed000(budget={**BASE["budget"], "adjustments": Decimal("30000")})  # 46% → all of 1 point
    assert part(score(far), "财务合规性", 2).score == 0


# --- edge cases of frameworks.md ----------------------------------------------------------


def test_no_three_public_budget_and_no_spending_is_not_applicable() -> None:
    s = score(facts_like_seed000(three_public={"budget": 0, "spent": 0}))
    result = part(s, "公用经费控制率", 1)
    assert result.score == 3 and result.not_applicable and "不适用" in result.working
    assert final(s, "公用经费控制率") == "6"


def test_spending_against_a_zero_budget_scores_zero_for_that_half() -> None:
    s = score(facts_like_seed000(three_public={"budget": 0, "spent": Decimal("1.5")}))
    assert part(s, "公用经费控制率", 1).score == 0
    assert "超过 100%" in part(s, "公用经费控制率", 1).working
    assert final(s, "公用经费控制率") == "3"


@pytest.mark.parametrize("petitions", [None, {"received": 0}])
def test_no_petitions_give_full_marks(petitions) -> None:
    s = score(facts_like_seed000(petitions=petitions))
    assert final(s, "群众信访办理情况") == "3"
    assert all("未收到信访件" in part(s, "群众信访办理情况", n).working for n in (2, 3))


def test_a_late_petition_reply_loses_its_point() -> None:
    s = score(facts_like_seed000(petitions={"received": 62, "replied": 62, "on_time": 61}))
    assert final(s, "群众信访办理情况") == "2"


def test_no_projects_planned_gives_full_marks() -> None:
    s = score(facts_like_seed000(projects={"planned": 0, "on_time": 0}))
    assert final(s, "项目完成及时性") == "6"
    assert "无计划完成的项目" in part(s, "项目完成及时性", 1).working


@pytest.mark.parametrize(
    ("satisfaction", "points"),
    [(Decimal("88.28"), "2"), (Decimal("95"), "6"), (Decimal("94.99"), "4"), (Decimal("90"), "4"),
     (Decimal("80"), "2"), (Decimal("79.99"), "1"), (Decimal("100"), "6"), (Decimal("0"), "1")],
)
def test_satisfaction_as_a_score_out_of_100(satisfaction, points) -> None:
    s = score(facts_like_seed000(satisfaction=satisfaction))
    assert final(s, "公众或服务对象满意度") == points
    assert part(s, "公众或服务对象满意度", 1).value == f"{satisfaction:.2f}%"


def test_headcounts_split_by_establishment_add_up() -> None:
    staff = {"authorized": {"行政": 62, "事业": 21}, "on_payroll": {"行政": 54, "事业": 16}, "contract": 53}
    s = score(facts_like_seed000(staff=staff))
    assert part(s, "财政供养人员控制率", 1).value == "84.34%"
    assert part(s, "编外人员控制率", 1).value == "43.09%"
    over = score(facts_like_seed000(staff={**staff, "on_payroll": {"行政": 63, "事业": 21}}))
    assert final(over, "财政供养人员控制率") == "0"  # 84 of 83


def test_procurement_over_plan_scores_zero_and_no_plan_is_not_applicable() -> None:
    over = score(facts_like_seed000(procurement={"plan": 100, "actual": Decimal("100.01")}))
    assert part(over, "政府采购执行情况", 1).score == 0
    nothing = score(facts_like_seed000(procurement={"plan": 0, "actual": 0}))
    assert part(nothing, "政府采购执行情况", 1).score == 1
    unplanned = score(facts_like_seed000(procurement={"plan": 0, "actual": 5}))
    assert part(unplanned, "政府采购执行情况", 1).score == 0
    district = score(facts_like_seed000(procurement={"plan": 200, "actual": 150}), "district-2021")
    assert final(district, "政府采购执行率") == "1.5"  # 75% × 2


def test_any_violation_zeroes_financial_compliance() -> None:
    s = score(facts_like_seed000(compliance={"violations": ["挪用项目资金 3 万元"]}))
    result = s.by_name("财务合规性")
    assert str(result.final) == "0" and "挪用项目资金 3 万元" in result.zeroed


def test_classified_unit_gets_full_disclosure_marks() -> None:
    s = score(facts_like_seed000(disclosure={"classified": True}))
    assert final(s, "预决算信息公开") == "3"
    partly = score(facts_like_seed000(disclosure={"budget": "公开但有缺陷", "final_accounts": "未公开"}))
    assert final(partly, "预决算信息公开") == "1"


def test_unfinished_key_tasks_deduct_four_each_floor_zero() -> None:
    assert final(score(facts_like_seed000(key_tasks={"unfinished": 1})), "重点工作完成情况") == "4"
    assert final(score(facts_like_seed000(key_tasks={"total": 5, "unfinished": 3})), "重点工作完成情况") == "0"


# --- judgements and overrides ----------------------------------------------------------


def test_judgements_deduct_with_reasons_and_per_item_default() -> None:
    judgements = {
        "预算编制规范性": [{"part": 1, "reason": "项目库未按时入库"}, {"part": 1, "reason": "新增项目缺事前评估"}],
        "绩效指标明确性": [{"part": 1, "deduct": Decimal("0.5"), "reason": "部分指标未细化"}],
    }
    s = score(facts_like_seed000(judgements=judgements))
    assert final(s, "预算编制规范性") == "3"  # 5 − 1 − 1
    assert final(s, "绩效指标明确性") == "6.5"
    assert [r for _, r in s.by_name("预算编制规范性").deductions] == ["项目库未按时入库", "新增项目缺事前评估"]


@pytest.mark.parametrize(
    ("judgements", "words"),
    [
        ({"预算执行率": [{"part": 1, "deduct": 1, "reason": "x"}]}, "由事实计算得分"),
        ({"绩效指标明确性": [{"part": 3, "deduct": 2, "reason": "x"}]}, "超过了该条分值"),
        ({"绩效指标明确性": [{"part": 6, "deduct": 1, "reason": "x"}]}, "没有第 6 条"),
        ({"不存在的指标": [{"part": 1, "deduct": 1, "reason": "x"}]}, "不是评价指标体系"),
    ],
)
def test_bad_judgements_are_reported(judgements, words) -> None:
    with pytest.raises(ReportError) as info:
        score(facts_like_seed000(judgements=judgements))
    assert words in str(info.value)


def test_override_above_the_weight_is_refused() -> None:
    with pytest.raises(ReportError) as info:
        score(facts_like_seed000(overrides={"固定资产利用率": {"score": 2, "reason": "x"}}))
    assert "超过指标分值" in str(info.value) and info.value.key == "overrides.固定资产利用率.score"


# --- bands ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "bands",
    [
        {"[0, 90)": 3, "(90, 100]": 2, "(100, inf)": 0},  # gap at 90
        {"[0, 90]": 3, "[90, 100]": 2, "(100, inf)": 0},  # overlap at 90
        {"[5, 90)": 3, "[90, inf)": 2},  # does not start at 0
        {"[0, 90)": 3, "[90, 100]": 2},  # does not reach inf
        {"[0, 9.0.1)": 3, "[9.0.1, inf)": 2},  # not a number
        {"[0, 90)": "三", "[90, inf)": 2},  # score not a number
    ],
)
def test_malformed_bands_are_refused(bands) -> None:
    data, located = load_yaml(Path("reportkit/compute/frameworks/city-2021.yaml"))
    indicator = data["levels"][1]["groups"][2]["indicators"][1]
    assert indicator["name"] == "固定资产利用率"
    indicator["parts"][0]["bands"] = bands
    with pytest.raises(ReportError) as info:
        parse_framework(data, located)
    assert "固定资产利用率" in str(info.value) and info.value.file.endswith("city-2021.yaml")
