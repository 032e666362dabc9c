"""A fact filled in with 0 that a rate divides by: build, check and score say so (issue 18).

The message names the fact and its value 0, says that a rate over a zero cannot be computed,
and what to do; it never asks to "fill in" a fact that is filled in. The same words reach the
author from build, check and score, for a reference in the text, a rule that reads the rate
(built-in or defined by the framework) and a generated table.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from reportkit import check_report
from reportkit.cli import main
from reportkit.compute import DIVISORS, METRICS, NEEDS, zero_divisor

DATA = Path(__file__).parent / "data"
REPO = Path(__file__).parent.parent
FRAMEWORK = REPO / "reportkit" / "compute" / "frameworks" / "city-2021.yaml"


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


@pytest.fixture
def mini(tmp_path: Path) -> Path:
    root = tmp_path / "mini"
    shutil.copytree(DATA / "mini", root)
    return root


@pytest.fixture
def example(tmp_path: Path) -> Path:
    root = tmp_path / "example"
    shutil.copytree(REPO / "content", root / "content")
    return root


def _framework_reading(root: Path, metric_lines: str, part: str) -> None:
    """The report's own copy of city-2021 where 财政供养人员控制率 reads a rate by `metric:`."""
    text = FRAMEWORK.read_text(encoding="utf-8")
    old = (
        "              - rule: bands\n                numerator: staff.on_payroll_total\n"
        "                denominator: staff.authorized_total\n"
        "                empty_reason: 无核定编制且无在编人员，视为不适用，得满分\n"
    )
    assert old in text
    text = text.replace(old, f"              - rule: bands\n                metric: {part}\n")
    text = text.replace("id: city-2021\n", "id: my-2021\n" + metric_lines, 1)
    (root / "my.yaml").write_text(text, encoding="utf-8")
    edit(root / "content" / "facts.yaml", "framework: city-2021", "framework: my.yaml")


def test_every_builtin_rate_names_its_divisor() -> None:
    rates = {n for n, m in METRICS.items() if m.unit == "%" and n != "satisfaction_rate"}
    assert rates <= set(DIVISORS), sorted(rates - set(DIVISORS))
    for name, divisor in DIVISORS.items():  # the divisor is something the metric reads
        assert divisor in NEEDS[name] or divisor in METRICS or name.startswith("quarterly."), name


def test_zero_divisor_only_when_the_facts_are_filled_in() -> None:
    metrics = {"staff.authorized": 0, "staff.on_payroll": 3, "staff.control_rate": None}
    zero = zero_divisor("staff.control_rate", metrics)
    assert zero is not None and zero.key == "staff.authorized"
    assert "填的是 0" in zero.text and "分母为 0 的比率无法计算" in zero.text
    assert (
        zero_divisor("staff.control_rate", {**metrics, "staff.on_payroll": None}) is None
    )  # fill in first
    assert (
        zero_divisor("staff.control_rate", {**metrics, "staff.authorized": {"行政": 0, "事业": 0}})
        is not None
    )
    assert zero_divisor("staff.control_rate", {**metrics, "staff.authorized": 2}) is None


@pytest.mark.parametrize(
    ("old", "new", "key"),
    [
        ("  authorized: {行政: 68, 事业: 24}", "  authorized: 0", "staff.authorized"),
        ("  plan: 2836.50", "  plan: 0", "procurement.plan"),
    ],
)
def test_text_reference_over_zero_same_message_in_check_and_build(
    example: Path, capsys, old, new, key
) -> None:
    edit(example / "content" / "facts.yaml", old, new)
    if key == "staff.authorized":  # the example's text also reads the split by kind
        for md in (example / "content").glob("*.md"):
            text = md.read_text(encoding="utf-8")
            md.write_text(
                text.replace('staff.authorized["行政"]', "1").replace(
                    'staff.authorized["事业"]', "1"
                ),
                encoding="utf-8",
            )
    result = check_report(example)
    zero = [f for f in result.findings if "分母为 0" in f.message]
    assert zero and all(f.severity == "error" and f"（{key}）填的是 0" in f.message for f in zero)
    assert not any("需要先在事实文件中填写" in f.message for f in result.findings)
    capsys.readouterr()
    assert main(["check", str(example)]) == 2
    assert main(["build", str(example)]) == 2
    err = capsys.readouterr().err
    assert "需要先在事实文件中填写" not in err
    for f in zero:
        assert f.message in err and f.expected in err
    assert not (example / "build").exists() or not list((example / "build").glob("*.docx"))


def test_rule_reading_a_builtin_rate_over_zero(mini: Path, capsys) -> None:
    _framework_reading(mini, "", "staff.control_rate")
    edit(mini / "content" / "facts.yaml", "staff: {authorized: 52,", "staff: {authorized: 0,")
    capsys.readouterr()
    assert main(["score", str(mini)]) == 2
    out = capsys.readouterr()
    why = "“核定编制数”（staff.authorized）填的是 0，而财政供养人员控制率（staff.control_rate）以它为分母：分母为 0 的比率无法计算"
    assert f"“财政供养人员控制率”{why}" in out.err
    assert "overrides" in out.err and "缺少 staff.authorized" not in out.err
    assert "".join(why.split()) in "".join(
        out.out.split()
    )  # under the indicator in the table as well (folded)

    assert main(["score", "--json", str(mini)]) == 2
    data = json.loads(capsys.readouterr().out)
    entry = next(i for i in data["indicators"] if i["name"] == "财政供养人员控制率")
    assert entry["working"]["missing_facts"] == []
    assert entry["working"]["zero_denominators"][0]["divisor"] == "staff.authorized"

    result = check_report(mini)
    found = [f for f in result.findings if f.key == "staff.authorized" and f.group == "scores"]
    assert len(found) == 1 and found[0].severity == "error" and why in found[0].message
    assert found[0].line == 23  # the staff: line of the facts file
    assert main(["build", str(mini)]) == 2
    assert why in capsys.readouterr().err


def test_rule_reading_a_framework_rate_over_zero(mini: Path, capsys) -> None:
    lines = "metrics:\n  staff.cover: {title: 编制使用率, ratio: [staff.on_payroll_total, staff.authorized_total]}\n"
    _framework_reading(mini, lines, "staff.cover")
    edit(mini / "content" / "facts.yaml", "staff: {authorized: 52,", "staff: {authorized: 0,")
    capsys.readouterr()
    assert main(["score", str(mini)]) == 2
    err = capsys.readouterr().err
    assert "“核定编制数合计”（staff.authorized_total，由 staff.authorized 计算）为 0" in err
    assert "（staff.cover）以它为分母" in err


def test_quarterly_table_over_a_zero_budget(example: Path) -> None:
    from reportkit.assemble.tables import make_tables

    metrics = {
        "quarters": [],
        "budget.adjusted": 0,
        "quarterly.cumulative_spent": [1, 2, 3, 4],
        "quarterly.rates": None,
    }
    with pytest.raises(Exception) as info:
        make_tables(metrics)["quarterly"]()
    assert "“调整后预算”（budget.adjusted）填的是 0" in info.value.message
    assert "不要使用这张表" in info.value.expected


def test_zero_over_zero_keeps_the_frameworks_rule(mini: Path) -> None:
    """The framework's own rule for a zero denominator (numerator/denominator) still applies."""
    edit(
        mini / "content" / "facts.yaml",
        "staff: {authorized: 52, on_payroll: 52,",
        "staff: {authorized: 0, on_payroll: 0,",
    )
    result = check_report(mini)
    assert not [f for f in result.findings if "分母为 0" in f.message and f.group == "scores"]
    import reportkit

    scores = reportkit.load_scores(mini)[4]
    s = scores.by_name("财政供养人员控制率")
    assert s.zero_divisors == () and s.final == 1 and s.parts[0].not_applicable


def test_names_say_why_a_rate_has_no_value(example: Path) -> None:
    from reportkit.assemble import names_of_report

    edit(example / "content" / "facts.yaml", "  plan: 2836.50", "  plan: 0")
    row = next(n for n in names_of_report(example) if n.name == "procurement.rate")
    assert row.note.startswith("无法计算：“政府采购计划金额”（procurement.plan）填的是 0")
