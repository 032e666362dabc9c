"""One bad judgement entry is reported alone; the other judgements of its indicator still count (issue 18)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

import reportkit
from reportkit import check_report
from reportkit.cli import main
from reportkit.compute import assessment_problems, score_report, set_aside

REPO = Path(__file__).parent.parent
GOOD = "      reason: 排水设施养护等 3 个项目的部分目标值测算依据不足，年中调整了绩效指标\n"


@pytest.fixture
def example(tmp_path: Path) -> Path:
    root = tmp_path / "example"
    shutil.copytree(REPO / "content", root / "content")
    return root


def _add(root: Path, entry: str) -> None:
    facts = root / "content" / "facts.yaml"
    text = facts.read_text(encoding="utf-8")
    assert GOOD in text
    facts.write_text(text.replace(GOOD, GOOD + entry, 1), encoding="utf-8")


@pytest.mark.parametrize(
    ("entry", "key", "words"),
    [
        (
            "    - {part: 2, deduct: 9, reason: 误填}\n",
            "judgements.绩效指标明确性.1.deduct",
            "“绩效指标明确性”第 2 条满分 2 分，扣分 9 超过了该条分值",
        ),
        (
            "    - {part: 9, deduct: 1, reason: 误填}\n",
            "judgements.绩效指标明确性.1.part",
            "“绩效指标明确性”只有 5 条评分标准，没有第 9 条",
        ),
    ],
)
def test_one_bad_entry_is_reported_and_the_others_kept(
    example: Path, capsys, entry, key, words
) -> None:
    _add(example, entry)
    result = check_report(example)
    bad = [f for f in result.findings if f.severity == "error"]
    assert len(bad) == 1
    assert bad[0].file == "content/facts.yaml" and bad[0].line == 135 and bad[0].key == key
    assert words in bad[0].message
    # the kept deduction (0.5 on part 5) still explains the score the text gives: no warning
    assert not [f for f in result.findings if "绩效指标明确性" in f.message and f is not bad[0]]
    capsys.readouterr()
    assert main(["build", str(example)]) == 2  # build stops on the same entry
    assert words in capsys.readouterr().err


def test_setting_aside_one_entry_keeps_the_indicators_other_judgements(example: Path) -> None:
    _add(
        example,
        "    - {part: 2, deduct: 9, reason: 误填}\n    - {part: 3, deduct: 0.25, reason: 第三条}\n",
    )
    paths, facts, framework, metrics, _ = _loaded(example)
    problems = assessment_problems(framework, facts)
    assert [(p.indicator, p.entry.part if p.entry else None) for p in problems] == [
        ("绩效指标明确性", 2)
    ]
    for p in problems:
        set_aside(facts, p)
    scores = score_report(framework, facts, metrics)
    s = scores.by_name("绩效指标明确性")
    assert str(s.computed) == "6.25"  # 7 − 0.5 − 0.25: the bad entry alone left out
    reasons = [r for _, r in s.deductions]  # in the order of the parts
    assert reasons == ["第三条", GOOD.split("reason: ")[1].strip()]


def test_an_unknown_indicator_sets_aside_only_its_own_entries(example: Path) -> None:
    facts_file = example / "content" / "facts.yaml"
    text = facts_file.read_text(encoding="utf-8")
    facts_file.write_text(
        text.replace(
            "judgements:\n",
            "judgements:\n  不存在的指标:\n    - {part: 1, deduct: 1, reason: x}\n",
            1,
        ),
        encoding="utf-8",
    )
    paths, facts, framework, metrics, _ = _loaded(example)
    problems = assessment_problems(framework, facts)
    assert len(problems) == 1 and problems[0].entry is None
    set_aside(facts, problems[0])
    assert "不存在的指标" not in facts.judgements and len(facts.judgements["绩效指标明确性"]) == 1


def _loaded(root: Path):
    """The facts before scoring refuses them: load_scores would stop on the first bad entry."""
    from reportkit.compute import compute_metrics, load_framework, with_defined
    from reportkit.load import Paths, load_facts

    paths = Paths(root)
    facts = load_facts(paths.facts)
    framework = load_framework(facts.get("report.framework"), root)
    metrics = with_defined(framework.metrics, compute_metrics(facts, framework.settings))
    return paths, facts, framework, metrics, None


def test_load_scores_still_stops_on_a_bad_entry(example: Path) -> None:
    _add(example, "    - {part: 2, deduct: 9, reason: 误填}\n")
    with pytest.raises(reportkit.ReportError) as info:
        reportkit.load_scores(example)
    assert info.value.line == 135
