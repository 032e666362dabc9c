"""Compute: from facts to metrics and scores.

Takes Facts and a Framework (data files under frameworks/, read and validated here) and gives
the metrics (rates, shares, Decimal values with their rounding) and Scores: each indicator's
computed and final score with its working, the level subtotals, the total and the grade. Score
rules are small pure functions chosen by name in the framework file.
"""

from ..exports import lazy

# Exported name → "module" or "module:attribute"; imported on first use, so that importing this
# package costs nothing until a name is needed (start-up time of every command).
_EXPORTS = {
    "Change": ".change",
    "previous_metrics": ".change",
    "score_changes": ".change",
    "Framework": ".framework",
    "load_framework": ".framework",
    "parse_framework": ".framework",
    "plain_f": ".framework",
    "shipped_dir": ".framework",
    "shipped_ids": ".framework",
    "METRICS": ".metrics",
    "Metric": ".metrics",
    "NEEDS": ".metrics",
    "compute_metrics": ".metrics",
    "nested": ".metrics",
    "IndicatorScore": ".scoring",
    "Problem": ".scoring",
    "Assumed": ".scoring",
    "assumed_full_marks": ".scoring",
    "assessment_problems": ".scoring",
    "set_aside": ".scoring",
    "Scores": ".scoring",
    "is_judgement_part": ".scoring",
    "score_indicator": ".scoring",
    "score_report": ".scoring",
    "shown": ".scoring",
    "Quotient": ".values",
    "Rate": ".values",
    "Score": ".values",
    "DIVISORS": ".divisors",
    "FOR_SCORE": ".divisors",
    "FOR_TABLE": ".divisors",
    "FOR_TEXT": ".divisors",
    "ZeroDivisor": ".divisors",
    "zero_divisor": ".divisors",
    "DefinedMetric": ".defined",
    "with_defined": ".defined",
    "framework_schema": ".framework_schema",
    "framework_schema_json": ".framework_schema",
}

__getattr__, __all__ = lazy(__name__, _EXPORTS)
