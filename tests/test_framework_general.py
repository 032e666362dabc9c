"""Issue 17: general rule kinds, metrics a framework defines itself, frameworks of other shapes."""

from __future__ import annotations

import shutil
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

import pytest
import yaml
from conftest import write_sections
from hypothesis import given, settings
from hypothesis import strategies as st

from reportkit.assemble.report import load_scores
from reportkit.build import build
from reportkit.compute.defined import DefinedMetric, evaluate, needs_of, with_defined
from reportkit.compute.framework import load_framework, parse_framework
from reportkit.compute.metrics import NEEDS
from reportkit.compute.rules import (
    Missing,
    RuleContext,
    change,
    completion,
    parse_bands,
    threshold_deduction,
)
from reportkit.compute.values import Money, Rate
from reportkit.errors import ReportError
from reportkit.load.yamlio import load_yaml

REPO = Path(__file__).parent.parent
BOUNDED = settings(max_examples=200, deadline=None)
percent = st.fractions(min_value=0, max_value=300, max_denominator=10_000)
points = st.sampled_from([Fraction(1), Fraction(2), Fraction(3, 2), Fraction(4), Fraction(10)])
per_point = st.sampled_from([Fraction(1, 10), Fraction(1, 5), Fraction(2, 5), Fraction(1, 2), Fraction(1)])


def ctx(**metrics) -> RuleContext:  # noqa: ANN003
    return RuleContext(metrics, (), {})


# --- threshold_deduction --------------------------------------------------------------------


def test_per_point_deduction_as_the_tables_word_it() -> None:
    """“≤100%，计1分；每超过一个百分点扣0.1分，扣完为止”: 103.5% is 3 whole points over."""
    params = {"points": Fraction(1), "metric": "staff.control_rate", "threshold": Fraction(100),
              "per_point": Fraction(1, 10)}
    result = threshold_deduction(params, ctx(**{"staff.control_rate": Rate(Fraction(1035, 1000))}))
    assert result.score == Fraction(7, 10)
    assert "103.50%" in result.working and "3.50 个百分点" in result.working
    proportional = threshold_deduction({**params, "counting": "proportional"},
                                       ctx(**{"staff.control_rate": Rate(Fraction(1035, 1000))}))
    assert proportional.score == Fraction(65, 100)
    assert threshold_deduction(params, ctx(**{"staff.control_rate": Rate(Fraction(1))})).score == 1
    assert threshold_deduction(params, ctx(**{"staff.control_rate": Rate(Fraction(3))})).score == 0


def test_deduction_below_a_threshold_and_a_floor() -> None:
    params = {"points": Fraction(4), "metric": "satisfaction_rate", "threshold": Fraction(90), "direction": "below",
              "per_point": Fraction(1, 2), "floor": Fraction(1)}
    assert threshold_deduction(params, ctx(satisfaction_rate=Rate(Fraction(88)) / 100)).score == 3
    low = threshold_deduction(params, ctx(satisfaction_rate=Rate(Fraction(10)) / 100))
    assert low.score == 1 and "扣至 1 分为止" in low.working


def test_a_zero_denominator_follows_the_framework() -> None:
    params = {"points": Fraction(2), "numerator": "three_public.spent", "denominator": "three_public.budget",
              "threshold": Fraction(100), "per_point": Fraction(1, 5), "empty_reason": "无“三公”经费，得满分"}
    none = threshold_deduction(params, ctx(**{"three_public.spent": Money(0), "three_public.budget": Money(0)}))
    assert none.score == 2 and none.not_applicable
    spent = threshold_deduction(params, ctx(**{"three_public.spent": Money(3), "three_public.budget": Money(0)}))
    assert spent.score == 0
    with pytest.raises(Missing) as missing:
        threshold_deduction(params, ctx())
    assert set(missing.value.facts) == {"three_public.budget", "three_public.spent"}


@BOUNDED
@given(percent, percent, points, per_point, st.sampled_from(["above", "below"]), st.sampled_from(["whole", "proportional"]))
def test_threshold_deduction_is_monotone_and_bounded(a, b, pts, per, direction, counting) -> None:  # noqa: ANN001
    params = {"points": pts, "metric": "m", "threshold": Fraction(100), "per_point": per, "direction": direction,
              "counting": counting}
    low, high = sorted((a, b))
    s_low = threshold_deduction(params, ctx(m=Rate(low / 100))).score
    s_high = threshold_deduction(params, ctx(m=Rate(high / 100))).score
    assert 0 <= s_low <= pts and 0 <= s_high <= pts
    assert (s_low >= s_high) if direction == "above" else (s_low <= s_high)
    assert isinstance(s_low, Fraction)


# --- completion -----------------------------------------------------------------------------


def test_completion_against_a_target_both_ways() -> None:
    up = {"points": Fraction(10), "actual": "x", "target_value": Fraction(100)}
    assert completion(up, ctx(x=Decimal(76))).score == Fraction(38, 5)  # 76% × 10 = 7.6
    assert completion(up, ctx(x=Decimal(120))).score == 10
    down = {**up, "direction": "<="}
    assert completion(down, ctx(x=Decimal(80))).score == 10
    assert completion(down, ctx(x=Decimal(125))).score == 8  # 100 / 125 × 10


@BOUNDED
@given(st.fractions(min_value=0, max_value=1000, max_denominator=100), st.fractions(min_value=0, max_value=1000, max_denominator=100),
       st.fractions(min_value=Fraction(1, 10), max_value=500, max_denominator=100), points, st.sampled_from([">=", "<="]))
def test_completion_is_monotone_and_bounded(a, b, target, pts, direction) -> None:  # noqa: ANN001
    params = {"points": pts, "actual": "x", "target_value": target, "direction": direction}
    low, high = sorted((a, b))
    s_low, s_high = (completion(params, ctx(x=v)).score for v in (low, high))
    assert 0 <= s_low <= pts and 0 <= s_high <= pts
    assert (s_low <= s_high) if direction == ">=" else (s_low >= s_high)


# --- change against last year ---------------------------------------------------------------


def test_change_by_deduction_and_by_signed_bands() -> None:
    params = {"current": "now", "previous": "before", "points": Fraction(3), "per_point": Fraction(3, 10)}
    fell = change(params, ctx(now=Money(90), before=Money(100)))
    assert fell.score == 3 and "-10.00%" in fell.working
    rose = change(params, ctx(now=Money(105), before=Money(100)))
    assert rose.score == Fraction(3) - Fraction(15, 10)  # 5 points over 0, 0.3 each
    bands = parse_bands({"(-inf, 0]": 3, "(0, 10]": 1, "(10, inf)": 0}, signed=True)
    by_band = {"current": "now", "previous": "before", "bands": bands}
    assert change(by_band, ctx(now=Money(95), before=Money(100))).score == 3
    assert change(by_band, ctx(now=Money(108), before=Money(100))).score == 1
    assert change(by_band, ctx(now=Money(200), before=Money(100))).score == 0
    with pytest.raises(Missing) as missing:
        change(params, ctx(now=Money(1)))
    assert missing.value.facts == ("before",)


def test_signed_bands_must_cover_every_change() -> None:
    with pytest.raises(ValueError, match="-inf"):
        parse_bands({"[0, 10]": 1, "(10, inf)": 0}, signed=True)
    with pytest.raises(ValueError, match="负数"):
        parse_bands({"[-5, 10]": 1, "(10, inf)": 0})


@BOUNDED
@given(st.fractions(min_value=0, max_value=1000, max_denominator=100), st.fractions(min_value=0, max_value=1000, max_denominator=100),
       st.fractions(min_value=1, max_value=1000, max_denominator=100), points, per_point)
def test_change_is_monotone_and_bounded(a, b, before, pts, per) -> None:  # noqa: ANN001
    params = {"current": "now", "previous": "before", "points": pts, "per_point": per}
    low, high = sorted((a, b))
    s_low = change(params, ctx(now=low, before=before)).score
    s_high = change(params, ctx(now=high, before=before)).score
    assert 0 <= s_high <= s_low <= pts


# --- metrics a framework defines ------------------------------------------------------------


def test_defined_metrics_are_exact_and_chain() -> None:
    defined = (
        DefinedMetric("a.finished", "已完成", "difference", ("key_tasks.total", "key_tasks.unfinished")),
        DefinedMetric("a.rate", "完成率", "ratio", ("a.finished", "key_tasks.total")),
        DefinedMetric("a.sum", "合计", "sum", ("budget.personnel", "budget.public", "budget.project")),
        DefinedMetric("a.change", "变动率", "change", ("budget.initial", "budget.previous_initial")),
    )
    metrics = {"key_tasks.total": 8, "key_tasks.unfinished": 1, "budget.personnel": Money("1.10"),
               "budget.public": Money("2.20"), "budget.project": Money("3.30"), "budget.initial": Money(110),
               "budget.previous_initial": Money(100)}
    out = with_defined(defined, metrics)
    assert out["a.finished"] == 7 and isinstance(out["a.finished"], int)
    assert out["a.rate"] == Fraction(7, 8) and str(out["a.rate"]) == "87.50%"
    assert out["a.sum"] == Decimal("6.60") and isinstance(out["a.sum"], Money)
    assert out["a.change"] == Fraction(1, 10)
    assert evaluate(defined[1], {"key_tasks.total": 0, "a.finished": 0}) is None  # no division by 0
    assert needs_of(defined, NEEDS)["a.rate"] == ("key_tasks.total", "key_tasks.unfinished")


def _framework_text(extra_metrics: str, rule: str) -> str:
    return f"""id: t
title: 测试
metrics:
{extra_metrics}
levels:
  - name: 一
    weight: 100
    groups:
      - name: 二
        weight: 100
        indicators:
          - name: 三
            weight: 100
            standard: 标准
            parts:
              - {rule}
"""


@pytest.mark.parametrize("metrics, rule, message, line", [
    ("  x.rate: {ratio: [budget.spent, nowhere]}", "{rule: judgement, points: 100}", "“nowhere”不是已知的事实或指标", 4),
    ("  budget.spent: {ratio: [budget.spent, budget.adjusted]}", "{rule: judgement, points: 100}", "重名", 4),
    ("  x.rate: {ratio: [budget.spent]}", "{rule: judgement, points: 100}", "运算项个数不对", 4),
    ("  x.rate: {ratio: [budget.spent, budget.adjusted], sum: [budget.spent, budget.adjusted]}",
     "{rule: judgement, points: 100}", "只能有一种运算", 4),
    ("  x.rate: {ratio: [budget.spent, budget.adjusted]}",
     "{rule: threshold_deduction, points: 100, metric: x.rate, threshold: 100, per_point: 1, direction: up}",
     "“up”不是可选的值", 16),
])
def test_bad_framework_metrics_and_parameters_name_file_line_and_key(tmp_path, metrics, rule, message, line) -> None:  # noqa: ANN001
    path = tmp_path / "f.yaml"
    path.write_text(_framework_text(metrics, rule), encoding="utf-8")
    with pytest.raises(ReportError) as err:
        data, located = load_yaml(path)
        parse_framework(data, located)
    assert message in str(err.value) and err.value.line == line and Path(err.value.file) == path


def test_a_defined_rate_scores_like_a_built_in_one(tmp_path) -> None:  # noqa: ANN001
    path = tmp_path / "f.yaml"
    rule = "{rule: bands, metric: x.rate, bands: {\"[0, 90)\": 50, \"[90, inf)\": 100}}"
    path.write_text(_framework_text("  x.rate: {title: 预算完成率, ratio: [budget.spent, budget.adjusted]}", rule),
                    encoding="utf-8")
    framework = load_framework(str(path), tmp_path)
    assert [m.name for m in framework.metrics] == ["x.rate"]
    assert framework.metric_needs["x.rate"] == ("budget.spent", "budget.adjusted")


# --- frameworks of other shapes build the example -------------------------------------------


def example_with(tmp_path: Path, framework: str) -> Path:
    """The example report scored against another framework (its judgements belong to the Shenzhen one)."""
    root = tmp_path / framework
    shutil.copytree(REPO / "content", root / "content")
    facts_path = root / "content" / "facts.yaml"
    facts = yaml.safe_load(facts_path.read_text(encoding="utf-8"))
    for block in ("judgements", "overrides", "declared"):
        facts.pop(block, None)
    facts["report"]["framework"] = framework
    facts_path.write_text(yaml.safe_dump(facts, allow_unicode=True, sort_keys=False), encoding="utf-8")
    for section in (root / "content").glob("*.md"):  # the example's text cites Shenzhen indicators by name
        section.unlink()
    write_sections(root)
    return root


@pytest.mark.parametrize("framework", ["dazhou-city", "mof-2013"])
def test_other_shapes_build_the_example(tmp_path, framework) -> None:  # noqa: ANN001
    root = example_with(tmp_path, framework)
    _, _, fw, _, scores = load_scores(root)
    assert scores.total is not None and 0 < scores.total <= fw.total
    assert sum((lv.score for lv in scores.levels), Decimal(0)) == scores.total
    result = build(root)
    assert {p.suffix for p in result.outputs} >= {".docx", ".html", ".json"}


def test_dazhou_shape_is_25_30_45() -> None:
    fw = load_framework("dazhou-city", REPO)
    assert [(lv.name, lv.weight) for lv in fw.levels] == [("部门决策", 25), ("综合管理", 30), ("部门绩效情况", 45)]
    info = next(g for lv in fw.levels for g in lv.groups if g.name == "信息公开")
    assert [i.weight for i in info.indicators] == [2, 2, 2]


def test_mof_2013_has_the_53_indicator_list() -> None:
    fw = load_framework("mof-2013", REPO)
    assert [lv.name for lv in fw.levels] == ["投入", "过程", "产出", "效果"]
    names = {i.name for i in fw.indicators}
    for name in ("在职人员控制率", "“三公经费”变动率", "重点支出安排率", "预算完成率", "预算调整率", "支付进度率",
                 "结转结余率", "结转结余变动率", "公用经费控制率", "“三公经费”控制率", "政府采购执行率",
                 "固定资产利用率", "实际完成率", "完成及时率", "质量达标率", "重点工作办结率",
                 "社会公众或服务对象满意度"):
        assert name in names
