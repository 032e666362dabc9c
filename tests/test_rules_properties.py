"""Issue 3: properties of the rules over many generated inputs (hypothesis).

Band edges are checked against oracles written from the official texts; the pipeline is run
on generated facts under every shipped framework. No deadline: tests never depend on time.
"""

from __future__ import annotations

import decimal
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal
from fractions import Fraction
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reportkit.compute.framework import load_framework, shipped_ids
from reportkit.compute.metrics import compute_metrics
from reportkit.compute.rules import band_for
from reportkit.compute.scoring import score_report
from reportkit.load.facts import parse_facts
from reportkit.load.yamlio import Located
from reportkit.numbers import percent, quantize

NO_DEADLINE = settings(deadline=None)  # never depend on wall-clock time

ALL_FRAMEWORKS = {fid: load_framework(fid, Path(".")) for fid in shipped_ids()}
# The Shenzhen-shaped ones: the band oracles and judgements below name their indicators.
FRAMEWORKS = {fid: fw for fid, fw in ALL_FRAMEWORKS.items() if fw.find("预算编制规范性") and fw.find("编外人员控制率")}
OTHER_SHAPES = sorted(set(ALL_FRAMEWORKS) - set(FRAMEWORKS))  # 53号, 达州: tests/test_framework_general.py
CITY = FRAMEWORKS["city-2021"]


# --- band edges: the framework data against the official wording --------------------------


def fixed_assets(r: Fraction) -> Fraction:  # ≥90% 1；90%>r≥75% 0.7；75%>r≥60% 0.4；<60% 0
    return Fraction(1) if r >= 90 else Fraction(7, 10) if r >= 75 else Fraction(2, 5) if r >= 60 else Fraction(0)


def staff_control(r: Fraction) -> Fraction:  # ≤100% 1；>100% 0
    return Fraction(1) if r <= 100 else Fraction(0)


def contract_staff(r: Fraction) -> Fraction:  # <5% 1；5%≤r≤10% 0.5；>10% 0
    return Fraction(1) if r < 5 else Fraction(1, 2) if r <= 10 else Fraction(0)


def public_expenses(r: Fraction) -> Fraction:  # <90% 3；90%≤r≤100% 2；>100% 0
    return Fraction(3) if r < 90 else Fraction(2) if r <= 100 else Fraction(0)


def satisfaction(r: Fraction) -> Fraction:  # ≥95% 6；90%≤s<95% 4；80%≤s<90% 2；<80% 1
    return Fraction(6) if r >= 95 else Fraction(4) if r >= 90 else Fraction(2) if r >= 80 else Fraction(1)


ORACLES = {
    ("固定资产利用率", 1): (fixed_assets, (60, 75, 90)),
    ("财政供养人员控制率", 1): (staff_control, (100,)),
    ("编外人员控制率", 1): (contract_staff, (5, 10)),
    ("公用经费控制率", 1): (public_expenses, (90, 100)),
    ("公用经费控制率", 2): (public_expenses, (90, 100)),
    ("公众或服务对象满意度", 1): (satisfaction, (80, 90, 95)),
}
TINY = Fraction(1, 10**6)
percents = st.fractions(min_value=0, max_value=300) | st.sampled_from(
    [Fraction(e) + d for _, edges in ORACLES.values() for e in edges for d in (0, TINY, -TINY)]
)


@pytest.mark.parametrize("fid", sorted(FRAMEWORKS))
@NO_DEADLINE
@given(percent=percents)
def test_bands_follow_the_official_wording(fid: str, percent: Fraction) -> None:
    fw = FRAMEWORKS[fid]
    for (name, number), (oracle, _) in ORACLES.items():
        table = fw.find(name).parts[number - 1].params["bands"]
        assert band_for(table, percent).score == oracle(percent), (name, percent)


def _seed000(**blocks) -> dict:
    data = {
        "report": {"unit": "测试单位", "year": 2021},
        "budget": {"initial": Decimal("100"), "adjusted": Decimal("100"), "spent": Decimal("90")},
    }
    data.update(blocks)
    return data


def _score(data: dict, fid: str = "city-2021"):  # noqa: ANN202
    facts = parse_facts(data, Located("facts.yaml"))
    return score_report(ALL_FRAMEWORKS[fid], facts, compute_metrics(facts, ALL_FRAMEWORKS[fid].settings))


EDGE_FACTS = [
    # (blocks, indicator, expected final score): exactly on each edge and a cent either side
    ({"fixed_assets": {"total": 100, "in_use": 90}}, "固定资产利用率", "1"),
    ({"fixed_assets": {"total": 100, "in_use": Decimal("89.99")}}, "固定资产利用率", "0.7"),
    ({"fixed_assets": {"total": 100, "in_use": 75}}, "固定资产利用率", "0.7"),
    ({"fixed_assets": {"total": 100, "in_use": Decimal("74.99")}}, "固定资产利用率", "0.4"),
    ({"fixed_assets": {"total": 100, "in_use": 60}}, "固定资产利用率", "0.4"),
    ({"fixed_assets": {"total": 100, "in_use": Decimal("59.99")}}, "固定资产利用率", "0"),
    ({"staff": {"authorized": 83, "on_payroll": 83, "contract": 0}}, "财政供养人员控制率", "1"),
    ({"staff": {"authorized": 83, "on_payroll": 84, "contract": 0}}, "财政供养人员控制率", "0"),
    ({"staff": {"authorized": 100, "on_payroll": 95, "contract": 5}}, "编外人员控制率", "0.5"),  # exactly 5%
    ({"staff": {"authorized": 100, "on_payroll": 96, "contract": 4}}, "编外人员控制率", "1"),
    ({"staff": {"authorized": 100, "on_payroll": 90, "contract": 10}}, "编外人员控制率", "0.5"),  # exactly 10%
    ({"staff": {"authorized": 100, "on_payroll": 89, "contract": 11}}, "编外人员控制率", "0"),
    ({"three_public": {"budget": 100, "spent": 90}, "office_expenses": {"budget": 100, "spent": 100}}, "公用经费控制率", "4"),
    ({"three_public": {"budget": 100, "spent": Decimal("89.99")},
      "office_expenses": {"budget": 100, "spent": Decimal("100.01")}}, "公用经费控制率", "3"),
    ({"satisfaction": 95}, "公众或服务对象满意度", "6"),
    ({"satisfaction": Decimal("94.99")}, "公众或服务对象满意度", "4"),
    ({"satisfaction": 90}, "公众或服务对象满意度", "4"),
    ({"satisfaction": Decimal("89.99")}, "公众或服务对象满意度", "2"),
    ({"satisfaction": 80}, "公众或服务对象满意度", "2"),
    ({"satisfaction": Decimal("79.99")}, "公众或服务对象满意度", "1"),
]


@pytest.mark.parametrize(("blocks", "name", "expected"), EDGE_FACTS)
def test_band_edges_through_the_facts(blocks: dict, name: str, expected: str) -> None:
    assert str(_score(_seed000(**blocks)).by_name(name).final) == expected


# --- truncation ----------------------------------------------------------------------------


@NO_DEADLINE
@given(st.fractions(min_value=0, max_value=10**6))
def test_truncation_never_exceeds_the_exact_value(x: Fraction) -> None:
    q = quantize(x, 2, "truncate")
    assert q == q.quantize(Decimal("0.01"))
    assert Fraction(q) <= x < Fraction(q) + Fraction(1, 100)


@NO_DEADLINE
@given(st.fractions(min_value=0, max_value=10**6))
def test_half_up_is_within_half_a_cent(x: Fraction) -> None:
    assert abs(Fraction(quantize(x, 2, "half_up")) - x) <= Fraction(1, 200)


@NO_DEADLINE
@given(st.decimals(min_value=-10**9, max_value=10**9, places=8, allow_nan=False, allow_infinity=False),
       st.integers(min_value=0, max_value=6))
def test_rounding_agrees_with_decimals_own_quantize(x: Decimal, decimals: int) -> None:
    # quantize() rounds in integers; Decimal's quantize with a wide context is the oracle.
    step = Decimal(1).scaleb(-decimals)
    wide = decimal.Context(prec=60)
    assert quantize(x, decimals, "truncate") == x.quantize(step, ROUND_DOWN, wide)
    assert quantize(x, decimals, "half_up") == x.quantize(step, ROUND_HALF_UP, wide)
    assert Decimal(percent(x, decimals).removesuffix("%")) == (x * 100).quantize(step, ROUND_HALF_UP, wide)


@NO_DEADLINE
@given(st.integers(min_value=-10**32, max_value=10**32), st.integers(min_value=0, max_value=6))
def test_rounding_is_exact_for_amounts_longer_than_the_decimal_context(n: int, places: int) -> None:
    # 28 significant digits is Decimal's default precision; an amount may be longer.
    x = Decimal(n).scaleb(-places - 1, decimal.Context(prec=60))
    step = Decimal(1).scaleb(-places)
    wide = decimal.Context(prec=80)
    assert quantize(x, places, "half_up") == x.quantize(step, ROUND_HALF_UP, wide)
    assert quantize(x, places, "truncate") == x.quantize(step, ROUND_DOWN, wide)


# --- 预算执行率 -----------------------------------------------------------------------------

cents = st.integers(min_value=0, max_value=10**7).map(lambda n: Decimal(n) / 100)


@st.composite
def quarters(draw) -> tuple[Decimal, list[Decimal]]:  # noqa: ANN001
    budget = draw(cents.filter(lambda d: d > 0))
    spending = sorted(draw(st.lists(cents, min_size=4, max_size=4)))
    return budget, spending


def _execution(budget: Decimal, spending: list[Decimal]) -> Fraction:
    data = _seed000(quarterly={"cumulative_spent": spending})
    data["budget"] = {"initial": budget, "adjusted": budget, "spent": spending[-1]}
    return _score(data).by_name("预算执行率").exact


@NO_DEADLINE
@given(quarters(), st.integers(min_value=0, max_value=3), cents)
def test_execution_never_exceeds_6_and_never_falls_when_spending_rises(case, quarter: int, more: Decimal) -> None:
    budget, spending = case
    before = _execution(budget, spending)
    assert 0 <= before <= 6
    raised = list(spending)
    raised[quarter] += more
    raised = [max(v, raised[quarter]) if i > quarter else v for i, v in enumerate(raised)]  # stays cumulative
    after = _execution(budget, raised)
    assert before <= after <= 6


# --- every shipped framework over generated facts ----------------------------------------


@st.composite
def report_facts(draw) -> dict:  # noqa: ANN001
    def pair(small_max_of_big: bool = True) -> tuple[Decimal, Decimal]:
        big, small = draw(cents), draw(cents)
        return (big, min(small, big)) if small_max_of_big else (big, small)

    def count(high: int = 300) -> int:
        return draw(st.integers(min_value=0, max_value=high))

    initial, adjusted = draw(cents.filter(lambda d: d > 0)), draw(cents.filter(lambda d: d > 0))
    total_assets, in_use = pair()
    planned = count(50)
    received = count()
    replied = draw(st.integers(min_value=0, max_value=received))
    headcount = st.integers(min_value=0, max_value=300) | st.fixed_dictionaries(
        {"行政": st.integers(min_value=0, max_value=200), "事业": st.integers(min_value=0, max_value=200)})
    data = _seed000(
        quarterly=draw(st.sampled_from(["cumulative", "progress"])),
        procurement=dict(zip(("plan", "actual"), pair(False), strict=True)),
        three_public=dict(zip(("budget", "spent"), pair(False), strict=True)),
        office_expenses=dict(zip(("budget", "spent"), pair(False), strict=True)),
        fixed_assets={"total": total_assets, "in_use": in_use},
        staff={"authorized": draw(headcount), "on_payroll": draw(headcount), "contract": count()},
        projects={"planned": planned, "on_time": draw(st.integers(min_value=0, max_value=planned))},
        key_tasks={"unfinished": count(5)},
        petitions={"received": received, "replied": replied,
                   "on_time": draw(st.integers(min_value=0, max_value=replied))},
        satisfaction=Decimal(count(10000)) / 100,
        disclosure={"budget": draw(st.sampled_from(["按规定公开", "公开但有缺陷", "未公开"])),
                    "final_accounts": draw(st.sampled_from(["按规定公开", "公开但有缺陷", "未公开"])),
                    "classified": draw(st.booleans())},
        compliance={"violations": draw(st.lists(st.just("挪用项目资金"), max_size=1))},
        judgements={
            "预算编制合理性": [{"part": p, "deduct": Decimal(draw(st.integers(0, 10))) / 10, "reason": "测试扣分"}
                         for p in draw(st.lists(st.integers(1, 5), max_size=5))],
            "预算编制规范性": [{"part": 1, "reason": "测试扣分"}] * count(7),
        },
    )
    spending = sorted(draw(st.lists(cents, min_size=4, max_size=4)))
    if data["quarterly"] == "cumulative":
        data["quarterly"] = {"cumulative_spent": spending}
    else:
        data["quarterly"] = {"progress": sorted(Decimal(count(12000)) / 100 for _ in range(4))}
    data["budget"] = {"initial": initial, "adjusted": adjusted, "spent": spending[-1],
                      "adjustments": draw(cents)}
    if not data["judgements"]["预算编制合理性"]:
        del data["judgements"]["预算编制合理性"]
    if not data["judgements"]["预算编制规范性"]:
        del data["judgements"]["预算编制规范性"]
    return data


@pytest.mark.parametrize("fid", sorted(FRAMEWORKS))
@settings(deadline=None, max_examples=60)
@given(data=report_facts())
def test_scores_stay_within_weights_and_subtotals_add_up(fid: str, data: dict) -> None:
    scores = _score(data, fid)
    fw = scores.framework
    for s in scores.indicators:
        assert 0 <= s.exact <= s.indicator.weight
        assert s.computed == quantize(s.exact, 2, "truncate") and s.final == s.computed
        assert 0 <= s.final <= s.indicator.weight
    groups = {(g.level, g.name): g.score for g in scores.groups}
    for level, sub in zip(fw.levels, scores.levels, strict=True):
        for group in level.groups:
            members = [s.final for s in scores.indicators if s.indicator.group == group.name]
            assert groups[(level.name, group.name)] == sum(members)
        assert sub.score == sum(groups[(level.name, g.name)] for g in level.groups)
        assert sub.score <= level.weight
    assert scores.total == sum(lv.score for lv in scores.levels) == scores.computed_total
    assert scores.grade == next(name for low, name in fw.grades if scores.total >= low)


@pytest.mark.parametrize("fid", OTHER_SHAPES)
@settings(deadline=None, max_examples=40)
@given(data=report_facts(), carryover=cents, previous=cents, key=cents, three_public_before=cents)
def test_other_shapes_stay_within_weights_and_add_up(fid: str, data: dict, carryover, previous, key,  # noqa: ANN001
                                                     three_public_before) -> None:
    data.pop("judgements")
    data["budget"] |= {"carryover": carryover, "previous_carryover": previous,
                       "project_spent": data["budget"]["spent"], "key_spent": min(key, data["budget"]["spent"])}
    data["three_public"]["previous_spent"] = three_public_before
    data["key_tasks"]["total"] = data["key_tasks"]["unfinished"] + 3
    fw = ALL_FRAMEWORKS[fid]
    scores = _score(data, fid)
    for s in scores.indicators:
        assert s.exact is not None and 0 <= s.exact <= s.indicator.weight, s.indicator.name
        assert s.final == quantize(s.exact, fw.settings["decimals"], fw.settings["rounding"])
    for level, sub in zip(fw.levels, scores.levels, strict=True):
        assert sub.score == sum(s.final for s in scores.indicators if s.indicator.level == level.name) <= level.weight
    assert scores.total == sum(lv.score for lv in scores.levels)
