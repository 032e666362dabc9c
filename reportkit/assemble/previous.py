"""Last year's report (`previous:`) loaded beside this year's: its facts and scores become
`previous.…` and the changes `change.…` among the metrics (compute/change.py)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..compute import (
    Framework,
    Scores,
    compute_metrics,
    load_framework,
    previous_metrics,
    score_changes,
    score_report,
    with_defined,
)
from ..errors import ReportError
from ..load import Facts, Paths, find_root, load_facts, previous_folder, previous_option, relabel


@dataclass
class Previous:
    """Last year's report as loaded beside this year's: its facts, framework, metrics and scores."""

    label: str  # how the user named it: a folder, or "git 版本 v2023"
    facts: Facts
    framework: Framework
    metrics: dict[str, Any]
    scores: Scores


def scores_of(folder: Path) -> tuple[Facts, Framework, dict[str, Any], Scores]:
    """A report folder's facts → metrics → scores (its own previous: is not followed)."""
    facts = load_facts(find_root(folder).facts)
    try:
        framework = load_framework(facts.get("report.framework"), folder)
    except ReportError as exc:
        if exc.file is None:
            exc.file, exc.line = facts.file, facts.line("report.framework")
        raise
    metrics = with_defined(framework.metrics, compute_metrics(facts, framework.settings))
    return facts, framework, metrics, score_report(framework, facts, metrics)


# This year's facts about last year, and last year's fact they are (the change rules read them).
LAST_YEAR_FACTS = {
    "budget.previous_initial": "budget.initial",
    "budget.previous_carryover": "budget.carryover",
    "three_public.previous_spent": "three_public.spent",
}


def load_previous(facts: Facts, root: Path) -> Previous | None:
    """Last year's report named by this year's `previous:`, or None without one. A hand-typed
    figure about last year (budget.previous_initial …) wins; otherwise it is last year's own."""
    ref = facts.previous or previous_option(Paths(Path(root)))
    if ref is None:
        return None
    try:
        with previous_folder(ref, Path(root)) as (folder, prefix):
            try:
                found = Previous(ref.label, *scores_of(folder))
            except ReportError as exc:
                raise relabel(exc, folder, prefix) from None
    except ReportError as exc:
        if exc.key == "previous":
            raise
        raise ReportError(f"上一年度报告（{ref.label}）无法读取：{exc}", file=ref.file, line=ref.line,
                          key="previous") from None
    for this_year, last_year in LAST_YEAR_FACTS.items():
        value = found.facts.get(last_year)
        if value is not None and not facts.has(this_year):
            facts.values[this_year] = value
    return found


def add_previous(metrics: dict[str, Any], last: Previous | None) -> None:
    """previous.… and change.… for the figures (before scoring: rules may read them)."""
    if last is not None:
        metrics.update(previous_metrics(metrics, last.metrics, last.scores, last.facts.get("report.year")))


def add_score_changes(metrics: dict[str, Any], scores: Scores, last: Previous | None) -> None:
    """change.total and change.scores (after scoring)."""
    if last is not None:
        metrics.update(score_changes(scores, last.scores))
