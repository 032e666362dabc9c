"""Issue 12: the arithmetic a text states about its own numbers, checked without any facts —
formula lines, totals and their parts, a rate and its two amounts, shares of a whole, 合计 rows.
Figures rounded as written never raise a warning."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reportkit.assemble import Line
from reportkit.check.figures import check_arithmetic
from reportkit.check.text import normalize


def findings(text: str) -> list:
    lines = text.split("\n")
    texts = [normalize(Line(t, [i + 1] * len(t), [True] * len(t))) for i, t in enumerate(lines)]
    return check_arithmetic("content/x.md", texts)


CORRECT = [
    # derivations and totals, within the rounding of the figures typed
    "收入为3294.86万元（年初2833.57万元，追加505.79万元，调出40万元，上缴4.49万元）。",
    "2021 年部门预算支出 57,373.02 万元，比 2020 年增加 13,750.44 万元，增加 31.52%。"
    "其中：人员支出 3,207.70 万元、公用支出 239.3 万元、项目支出 53,926.02 万元。",
    "我办资产合计为 121,988.78 万元，其中：流动资产 781.08 万元，非流动资产 121,207.7 万元。",
    "“三公”经费实际支出 7.56 万元，其中，公务用车运行维护费支出为 6.82 万元，公务接待费支出为 0.74 万元，"
    "“三公”经费控制率为 85.04%。",
    "项目支出 5000 万元，其中口岸建设项目 2000 万元，信息化项目 1000 万元。",  # a partial list
    "年初预算 20,207.52 万元，调减 2,828.66 万元，调整后为 17,378.86 万元，预算执行率为 95.6%。",
    "调整后预算 1200 万元，其中追加 300 万元，调减 100 万元。",  # only the changes are listed
    "人员经费100万元、公用经费50万元，合计150万元。",
    # rates with their amounts
    "零星修缮费预算10万元，实际执行7.77万元，执行率77.7%。",
    "我办全年预算总额 64,689.48 万元，全年支出数为 60,994.53 万元，总执行率为 94.29%。",
    "第一季度累计支出 13,757.79 万元，总预算 64,689.48 万元，支出进度为 21.27%，季度序时进度 25%，季度预算执行率为 85.07%。",
    "年初预算 57,373.02 万元，调整后预算 64,689.48 万元，全年支出 60,994.53 万元，执行率为 94.29%。",
    "固定资产总额 4,478.54 万元，在用固定资产 4,381.90 万元，固定资产利用率为 97.84%。",
    "执行率达到95%以上，预算10万元，支出7.77万元。",  # a bound, not a claim
    # formulas
    "全年平均执行率 = Σ(85.07% + 102.83% + 80.56% + 94.29%) ÷ 4 = 90.69%。",
    "项目完成及时率 = 26 ÷ 28 × 100% = 92.86%，得分 = 26 / 28 × 6 = 5.57 分。",
    "政府采购执行率得分=政府采购执行率×2分，一季度得分=(一季度支出进度/序时进度 25%) × 1 分。",
    "$\\text{固定资产利用率} = (4381.90 / 4478.54) \\times 100\\% = 97.84\\%$",
    # shares
    "基本支出预算调整为 3,469.97 万元（占比 5.36%）。项目支出预算调整为 61,219.51 万元（占比 94.64%）。",
    "人员经费占比5%，公用经费占比0.4%，项目支出占比94.6%。",
    "人员经费占基本支出的80%，基本支出占总支出的60%。",
    # tables
    "| 项目 | 年初预算（万元） | 执行率 |\n|---|---|---|\n| 基本支出 | 3,447.00 | 98.65% |\n"
    "| 项目支出 | 53,926.02 | 106.8% |\n| 合计 | 57,373.02 | 106.31% |",
    "| 项目 | 金额 |\n|---|---|\n| 合计 | 300 |\n| 基本支出 | 200 |\n| 人员经费 | 150 |\n| 公用经费 | 50 |\n| 项目支出 | 100 |",
    "科目\t预算数\t决算数\n工资福利支出\t100.5\t99\n商品和服务支出\t50\t40.2\n合计\t150.5\t139.2",
]


@pytest.mark.parametrize("text", CORRECT)
def test_arithmetic_that_holds_is_not_flagged(text: str) -> None:
    assert findings(text) == [], [f.message for f in findings(text)]


WRONG = [
    ("收入为3394.86万元（年初2833.57万元，追加505.79万元，调出40万元，上缴4.49万元）。", 1, "3,294.87"),
    ("2021 年部门预算支出 57,373.02 万元，比 2020 年增加 13,750.44 万元。"
     "其中：人员支出 3,207.70 万元、公用支出 239.3 万元、项目支出 52,926.02 万元。", 1, "56,373.02"),
    ("全年支出 3000 万元，其中基本支出 2000 万元，项目支出 1100 万元。", 1, "超过了总数"),
    ("全年支出 3000 万元，其中基本支出 2000 万元，项目支出 900 万元。", 1, "2,900.00"),
    ("年初预算 20,207.52 万元，调减 2,828.66 万元，调整后为 17,478.86 万元。", 1, "17,378.86"),
    ("人员经费100万元、公用经费50万元，合计160万元。", 1, "150.00"),
    ("零星修缮费预算10万元，实际执行7.77万元，执行率97.11%。", 1, "77.70%"),
    ("我办2021年预算10,000万元，实际支出8,348万元，预算完成率达86.19%。", 1, "83.48%"),
    ("全年平均执行率 = Σ(85.07% + 102.83% + 80.56% + 80.56%) ÷ 4 = 90.69%。", 1, "87.26%"),
    ("平均 = (85.07% + 102.83% + 80.56%) ÷ 4 = 89.49%。", 1, "括号内 3 项，却除以 4"),
    ("项目完成及时率 = 26 ÷ 28 × 100% = 93.86%。", 1, "92.86%"),
    ("基本支出 3,469.97 万元（占比 5.36%）。项目支出 61,219.51 万元（占比 95.64%）。", 1, "101.00%"),
    ("说明：\n\n| 项目 | 年初预算（万元） | 支出（万元） |\n|---|---|---|\n| 基本支出 | 3,447.00 | 3,400.50 |\n"
     "| 项目支出 | 53,926.02 | 57,594.03 |\n| 合计 | 57,373.02 | 61,994.53 |", 7, "60,994.53"),
]


@pytest.mark.parametrize(("text", "line", "words"), WRONG)
def test_arithmetic_that_does_not_hold_is_flagged_at_its_line(text: str, line: int, words: str) -> None:
    found = findings(text)
    assert len(found) == 1, [f.message for f in found]
    assert found[0].line == line and found[0].file == "content/x.md"
    assert words in found[0].message, found[0].message


def test_a_sentence_wrapped_over_two_lines_is_read_whole() -> None:
    found = findings("全年支出 3000 万元，其中基本支出 2000 万元，\n项目支出 1100 万元。")
    assert [(f.line, "超过了总数" in f.message) for f in found] == [(1, True)]


amounts = st.decimals(min_value=1, max_value=99999, places=2, allow_nan=False, allow_infinity=False)


@settings(max_examples=100, deadline=None)
@given(st.lists(amounts, min_size=2, max_size=4), st.sampled_from([0, 1, 2]))
def test_any_total_rounded_from_its_parts_passes(parts: list, places: int) -> None:
    """Parts and a total each rounded to the decimals written never disagree."""
    total = round(sum(parts), places)
    shown = "，".join(f"第{i + 1}项 {p:.2f} 万元" for i, p in enumerate(parts))
    text = f"合计 {total:.{places}f} 万元（{shown}）。"
    assert findings(text) == [], text
