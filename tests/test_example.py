"""The repository's own example report in content/: complete, consistent, and no typed facts."""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

import pytest

from reportkit.assemble.report import Report, load_report
from reportkit.load.facts_schema import BY_PATH
from reportkit.load.outline import all_sections
from reportkit.numbers import money, percent

REPO = Path(__file__).parent.parent
CONTENT = REPO / "content"
HANZI = re.compile(r"[\u4e00-\u9fff]")

# Computed rates the narrative reports; each must come from {{ }}, never be typed.
RATES = (
    "budget.execution_rate", "budget.change_rate", "budget.adjustment_ratio_adjusted",
    "budget.personnel_share", "budget.public_share", "budget.project_share",
    "quarterly.average_rate", "procurement.rate", "fixed_assets.use_rate",
    "staff.control_rate", "staff.contract_rate", "three_public.control_rate",
    "office_expenses.control_rate", "projects.on_time_rate", "petitions.on_time_rate",
    "budget.basic_adjusted_share", "budget.project_adjusted_share", "budget.project_execution_rate",
    "procurement.sme_share",
)


@pytest.fixture(scope="module")
def report() -> Report:
    return load_report(REPO)


def _sources() -> dict[str, str]:
    return {p.name: p.read_text(encoding="utf-8") for p in sorted(CONTENT.glob("*.md"))}


def _rendered(report: Report) -> str:
    blocks = ([report.intro] if report.intro else []) + report.blocks
    return "\n".join(b.markdown + "\n".join(b.paragraphs) for b in blocks)


@pytest.mark.parametrize("section", all_sections(), ids=lambda s: s.file)
def test_every_section_file_exists_with_real_substance(section) -> None:
    path = CONTENT / section.file
    assert path.is_file(), f"missing {path}"
    assert len(HANZI.findall(path.read_text(encoding="utf-8"))) >= 250, f"{section.file} is too short"


def test_the_example_is_of_comparable_length_to_a_real_report(report: Report) -> None:
    assert 8000 <= len(HANZI.findall(_rendered(report))) <= 15000


def test_no_template_syntax_survives_rendering(report: Report) -> None:
    text = _rendered(report)
    for token in ("{{", "}}", "{%", "%}", "None"):
        assert token not in text
    assert report.unknown_files == []


def test_numbered_items_are_headings_or_paragraphs_never_markdown_lists(report: Report) -> None:
    for block in report.blocks:
        types = {t.type for t in block.tokens}
        assert "ordered_list_open" not in types and "bullet_list_open" not in types, block.heading
    assert any(t.type == "table_open" for b in report.blocks for t in b.tokens)  # 表1-1


def test_scores_are_complete_and_add_up(report: Report) -> None:
    scores = report.scores
    finals = [s.final for s in scores.indicators]
    assert finals and all(f is not None for f in finals)
    assert not report.facts.overrides, "the example uses the rules and judgements only"
    assert scores.total == sum(finals, Decimal(0))
    for level in scores.levels:
        members = [s.final for s in scores.indicators if s.indicator.level == level.name]
        assert level.score == sum(members, Decimal(0))
    assert scores.total == sum((lv.score for lv in scores.levels), Decimal(0))
    # a plausible self-evaluation: some points lost, grade 优
    assert 88 <= scores.total <= 96
    assert scores.grade == ("优" if scores.total >= 90 else "良")
    lost = [s for s in scores.indicators if s.final < s.indicator.weight]
    assert len(lost) >= 5
    # chapter 四 states the same total
    assert f"{scores.total} 分" in _rendered(report)


def test_every_lost_indicator_is_discussed_in_the_problems_section(report: Report) -> None:
    source = (CONTENT / "3-2-存在问题及改进措施.md").read_text(encoding="utf-8")
    for s in report.scores.indicators:
        if s.final < s.indicator.weight:
            assert f'indicators["{s.indicator.name}"].score' in source, s.indicator.name


def _typed_forms(report: Report) -> list[tuple[str, str]]:
    """(printed form, name) of facts and computed figures that must only come from {{ }}."""
    forms: list[tuple[str, str]] = []
    for path, value in report.facts.values.items():
        spec = BY_PATH.get(path)
        if spec is not None and spec.kind == "money" and value >= 100:
            forms += [(money(value), path), (f"{value:.2f}", path)]  # 31,208.93 and 31208.93
    for i, quarter in enumerate(report.metrics["quarters"]):
        forms += [
            (money(quarter["cumulative"]), f"quarters[{i}].cumulative"),
            (percent(quarter["progress"]), f"quarters[{i}].progress"),
            (percent(quarter["rate"]), f"quarters[{i}].rate"),
        ]
    forms += [(percent(report.metrics[name]), name) for name in RATES]
    forms += [(money(report.metrics[name]), name) for name in ("budget.change", "budget.adjustment")]
    forms.append((str(report.scores.total), "total"))
    return forms


def test_facts_are_referenced_never_typed(report: Report) -> None:
    sources = _sources()
    rendered = _rendered(report)
    forms = _typed_forms(report)
    assert (money(report.facts.get("budget.adjusted")), "budget.adjusted") in forms
    for text, name in forms:
        for file, source in sources.items():
            assert text not in source, f"{file} types {text} ({name}); write it with {{{{ }}}}"
    # and the key figures do reach the rendered report
    for name in ("budget.adjusted", "budget.initial", "budget.spent", "budget.execution_rate",
                 "quarters[0].rate", "quarterly.average_rate", "procurement.rate"):
        assert any(n == name and t in rendered for t, n in forms), name


def test_no_figure_stays_in_extra_that_has_a_place_in_the_facts(report: Report) -> None:
    """Issue 11: extra: holds only the unit's own performance figures (管网公里数, 巡河人次 …)."""
    amounts = {v for k, v in report.metrics.items() if isinstance(v, Decimal) and k in BY_PATH}
    doubled = {k: v for k, v in report.facts.extra.items() if isinstance(v, Decimal) and v in amounts}
    assert doubled == {}
    sources = "".join(_sources().values())
    for name in ("budget.project_adjusted", "budget.project_spent", "budget.personnel_adjustment", "adjustments.cut",
                 "adjustments.transferred", "procurement.goods", "procurement.works", "procurement.sme",
                 "three_public.car_spent", "three_public.reception_budget", "three_public.cars", "fixed_assets.added",
                 "performance.ex_ante", "performance.monitored", "organization.divisions"):
        assert name in sources, name
    assert not report.facts.warnings and not report.facts.notices
