"""A block left out of facts.yaml that the rules read as “nothing to report” (no petitions, no
unfinished key task, no violation) gives full marks: check says so in a notice, naming the
facts file, the block and what is assumed (issue 18). Which facts those are is read from the
framework's parts, not from a list in the code."""

from __future__ import annotations

from pathlib import Path

from reportkit import check_report
from reportkit.cli import main

REPO = Path(__file__).parent.parent
FRAMEWORK = REPO / "reportkit" / "compute" / "frameworks" / "city-2021.yaml"
PETITIONS = "petitions: {received: 62, replied: 62, on_time: 62}\n"


def edit(root: Path, old: str, new: str) -> None:
    path = root / "content" / "facts.yaml"
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def notices(root: Path) -> dict[str, object]:
    return {
        f.key: f
        for f in check_report(root).findings
        if f.severity == "notice" and f.group == "facts"
    }


def test_a_left_out_petitions_block_is_a_notice(seed000: Path, capsys) -> None:
    assert "petitions.received" not in notices(seed000)
    edit(seed000, PETITIONS, "")
    found = notices(seed000)["petitions.received"]
    assert found.file == "content/facts.yaml" and found.line is None
    assert found.message == (
        "事实文件中没有 petitions 块：按“收到信访件数”（petitions.received）为 0 件计算"
        "（年度收到的群众信访件数；不填视为本年度未收到信访件（信访两项回复率按达标计）），"
        "“群众信访办理情况”因此得满分（3 分）"
    )
    assert "写明 received: 0 即不再提示" in found.expected
    capsys.readouterr()
    assert main(["check", str(seed000), "--strict"]) == 0  # a notice, not a warning
    out = capsys.readouterr().out
    assert "提示" in out and "content/facts.yaml" in out and "没有 petitions 块" in out


def test_an_empty_key_in_a_written_block_is_named(seed000: Path) -> None:
    edit(seed000, PETITIONS, "petitions:\n  received:\n")
    found = notices(seed000)["petitions.received"]
    assert found.message.startswith("petitions 块中没有填写 received：") and found.line is not None


def test_written_zero_is_no_notice(seed000: Path) -> None:
    edit(seed000, PETITIONS, "petitions: {received: 0}\n")
    assert "petitions.received" not in notices(seed000)


def test_the_other_blocks_that_default_to_full_marks(seed000: Path) -> None:
    edit(seed000, "key_tasks: {unfinished: 0}\n", "")
    edit(seed000, "compliance: {violations: []}  # no violation stated.", "#")
    found = notices(seed000)
    assert "“重点工作完成情况”因此得满分（8 分）" in found["key_tasks.unfinished"].message
    violations = found["compliance.violations"].message
    assert violations.startswith(
        "事实文件中没有 compliance 块：按没有“违规支出事项”（compliance.violations）计算"
    )
    assert "“财务合规性”因此" in violations
    assert "写明 violations: [] 即不再提示" in found["compliance.violations"].expected


def test_driven_by_the_framework(seed000: Path) -> None:
    """A framework whose petitions indicator reads no default: no notice for the left-out block."""
    text = FRAMEWORK.read_text(encoding="utf-8")
    start = text.index("          - name: 群众信访办理情况")
    end = text.index("          - name: ", start + 10)
    block = text[start:end]
    judged = (
        block[: block.index("            parts:")]
        + "            parts:\n              - {rule: judgement, points: 3}\n"
    )
    (seed000 / "my.yaml").write_text(
        text.replace(block, judged).replace("id: city-2021", "id: my"), encoding="utf-8"
    )
    edit(seed000, "framework: city-2021", "framework: my.yaml")
    edit(seed000, PETITIONS, "")
    found = notices(seed000)
    assert "petitions.received" not in found and "key_tasks.unfinished" not in found


def test_the_zero_rule_spared_with_other_deductions(seed000: Path) -> None:
    edit(seed000, "compliance: {violations: []}  # no violation stated.", "#")
    edit(
        seed000,
        "judgements:\n",
        "judgements:\n  财务合规性:\n    - {part: 1, deduct: 0.5, reason: 个别报销手续不全}\n",
    )
    message = notices(seed000)["compliance.violations"].message
    assert message.endswith("“财务合规性”因此未被判为 0 分")


def test_the_readme_says_so() -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    assert "不写 `petitions:`（信访）" in readme and "写明 `received: 0`、`violations: []` 即不再提示" in readme
