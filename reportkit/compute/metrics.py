"""Every derived figure of the report, computed exactly from the facts.

`compute_metrics` returns a flat mapping from metric name to value (None where the facts
needed are missing); `NEEDS` says which facts each metric reads, so a rule that cannot be
computed can name what the author has to add.
"""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction
from typing import Any

from ..load import Facts
from .values import Money, Rate, rate

SCHEDULE = (Rate(1, 4), Rate(1, 2), Rate(3, 4), Rate(1))

# metric name -> the facts it needs (alternatives separated by " 或 ")
NEEDS: dict[str, tuple[str, ...]] = {
    "budget.execution_rate": ("budget.spent", "budget.adjusted"),
    "budget.change": ("budget.initial", "budget.previous_initial"),
    "budget.change_rate": ("budget.initial", "budget.previous_initial"),
    "budget.adjustment": ("budget.initial", "budget.adjusted"),
    "budget.adjustment_ratio_adjusted": ("budget.adjustments", "budget.adjusted"),
    "budget.adjustment_ratio_initial": ("budget.adjustments", "budget.initial"),
    "quarterly.rates": ("quarterly.cumulative_spent 或 quarterly.progress",),
    "quarterly.average_rate": ("quarterly.cumulative_spent 或 quarterly.progress",),
    "procurement.rate": ("procurement.plan", "procurement.actual"),
    "fixed_assets.use_rate": ("fixed_assets.total", "fixed_assets.in_use"),
    "staff.authorized_total": ("staff.authorized",),
    "staff.on_payroll_total": ("staff.on_payroll",),
    "staff.total": ("staff.on_payroll", "staff.contract"),
    "staff.control_rate": ("staff.authorized", "staff.on_payroll"),
    "staff.contract_rate": ("staff.on_payroll", "staff.contract"),
    "three_public.control_rate": ("three_public.budget", "three_public.spent"),
    "office_expenses.control_rate": ("office_expenses.budget", "office_expenses.spent"),
    "projects.on_time_rate": ("projects.planned", "projects.on_time"),
    "petitions.reply_rate": ("petitions.received", "petitions.replied"),
    "petitions.on_time_rate": ("petitions.received", "petitions.on_time"),
    "satisfaction_rate": ("satisfaction",),
}


def headcount(value: Any) -> int | None:
    """A headcount given as one number or split by 编制 type (行政 62, 事业 21)."""
    if value is None:
        return None
    return sum(value.values()) if isinstance(value, dict) else value


def _ratio(num: Any, den: Any) -> Rate | None:
    if num is None or den is None or den == 0:
        return None
    return rate(num, den)


def compute_metrics(facts: Facts) -> dict[str, Any]:
    f = facts.get
    m: dict[str, Any] = {}
    for path, value in facts.values.items():
        m[path] = Money(value) if isinstance(value, Decimal) and _is_money(path) else value

    initial, adjusted, spent = f("budget.initial"), f("budget.adjusted"), f("budget.spent")
    previous = f("budget.previous_initial")
    adjustments = f("budget.adjustments")
    if adjustments is None and initial is not None and adjusted is not None:
        adjustments = abs(adjusted - initial)
    m["budget.adjustments"] = Money(adjustments) if adjustments is not None else None
    m["budget.execution_rate"] = _ratio(spent, adjusted)
    m["budget.change"] = Money(initial - previous) if previous is not None else None
    m["budget.change_rate"] = _ratio(initial - previous, previous) if previous else None
    m["budget.adjustment"] = Money(adjusted - initial)
    m["budget.adjustment_ratio_adjusted"] = _ratio(adjustments, adjusted)
    m["budget.adjustment_ratio_initial"] = _ratio(adjustments, initial)
    for part in ("personnel", "public", "project"):
        m[f"budget.{part}_share"] = _ratio(f(f"budget.{part}"), initial)

    quarters = _quarters(facts)
    m["quarters"] = quarters
    m["quarterly.rates"] = [q["rate"] for q in quarters] if quarters else None
    m["quarterly.average_rate"] = (
        Rate(sum((q["rate"] for q in quarters), Fraction(0)) / 4) if quarters else None
    )

    m["procurement.rate"] = _ratio(f("procurement.actual"), f("procurement.plan"))
    m["fixed_assets.use_rate"] = _ratio(f("fixed_assets.in_use"), f("fixed_assets.total"))

    authorized = headcount(f("staff.authorized"))
    on_payroll = headcount(f("staff.on_payroll"))
    contract = f("staff.contract")
    m["staff.authorized_total"] = authorized
    m["staff.on_payroll_total"] = on_payroll
    m["staff.total"] = on_payroll + contract if None not in (on_payroll, contract) else None
    m["staff.control_rate"] = _ratio(on_payroll, authorized)
    m["staff.contract_rate"] = _ratio(contract, m["staff.total"])

    m["three_public.control_rate"] = _ratio(f("three_public.spent"), f("three_public.budget"))
    m["office_expenses.control_rate"] = _ratio(f("office_expenses.spent"), f("office_expenses.budget"))
    m["projects.on_time_rate"] = _ratio(f("projects.on_time"), f("projects.planned"))
    m["petitions.reply_rate"] = _ratio(f("petitions.replied"), f("petitions.received"))
    m["petitions.on_time_rate"] = _ratio(f("petitions.on_time"), f("petitions.received"))
    sat = f("satisfaction")
    m["satisfaction_rate"] = Rate(Fraction(sat) / 100) if sat is not None else None
    return m


def _is_money(path: str) -> bool:
    from ..load import BY_PATH

    spec = BY_PATH.get(path)
    return spec is not None and spec.kind == "money"


def _quarters(facts: Facts) -> list[dict[str, Any]]:
    """Quarter-end cumulative progress against 序时进度 25/50/75/100%."""
    cumulative = facts.get("quarterly.cumulative_spent")
    progress = facts.get("quarterly.progress")
    budget = facts.get("budget.adjusted")
    if cumulative is not None and budget:
        progresses = [rate(c, budget) for c in cumulative]
    elif progress is not None:
        progresses = [Rate(Fraction(p) / 100) for p in progress]
        cumulative = [None] * 4
    else:
        return []
    return [
        {
            "number": i + 1,
            "cumulative": Money(cumulative[i]) if cumulative[i] is not None else None,
            "progress": progresses[i],
            "schedule": SCHEDULE[i],
            "rate": Rate(progresses[i] / SCHEDULE[i]),
        }
        for i in range(4)
    ]


def nested(flat: dict[str, Any]) -> dict[str, Any]:
    """The flat metric names as nested mappings, for `{{ budget.execution_rate }}` in text."""
    tree: dict[str, Any] = {}
    for name, value in flat.items():
        node = tree
        *parents, leaf = name.split(".")
        for parent in parents:
            node = node.setdefault(parent, {})
        node[leaf] = value
    return tree
