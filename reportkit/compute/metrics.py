"""Every derived figure of the report, computed exactly from the facts.

`compute_metrics` returns a flat mapping from metric name to value (None where the facts
needed are missing); `NEEDS` says which facts each metric reads, so a rule that cannot be
computed can name what the author has to add.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from fractions import Fraction
from typing import Any

from ..load import Facts
from .values import Day, Money, Rate, rate

SCHEDULE = (Rate(1, 4), Rate(1, 2), Rate(3, 4), Rate(1))

# Framework settings the metrics follow (framework.py validates them; these are the defaults).
METRIC_SETTINGS: dict[str, Any] = {
    # adjustment kinds counted in 调整、调剂资金累计 (上缴 such as 工会经费 is not the unit's adjustment)
    "adjustment_kinds": ("追加", "调减", "调剂"),
    # 编外人员 kinds counted in 编外人员控制率 (劳务派遣 and 直接聘用 as the rule text says; 其他 not)
    "contract_kinds": ("劳务派遣", "直接聘用", "临聘", "雇员"),
    # days after approval within which budget and final accounts must be published
    "disclosure_days": 20,
}

ADJUSTMENT_METRICS = {"追加": "added", "调减": "cut", "调剂": "transferred", "上缴": "remitted"}
BUDGET_PARTS = {"basic": "基本支出", "personnel": "人员经费", "public": "公用经费", "project": "项目支出"}


@dataclass(frozen=True)
class Metric:
    """A computed metric's title, unit and the facts it reads."""

    title: str
    unit: str  # 万元, %, 人, 个, 天 …; "" for lists and yes/no
    needs: tuple[str, ...]  # the facts it reads (alternatives separated by " 或 ")


def _budget_metrics() -> dict[str, Metric]:
    out = {}
    for part, title in BUDGET_PARTS.items():
        b = f"budget.{part}"
        out |= {
            f"{b}_execution_rate": Metric(f"{title}执行率", "%", (f"{b}_spent", f"{b}_adjusted")),
            f"{b}_share": Metric(f"{title}占年初预算的比重", "%", (b, "budget.initial")),
            f"{b}_adjusted_share": Metric(f"{title}占调整后预算的比重", "%", (f"{b}_adjusted", "budget.adjusted")),
            f"{b}_spent_share": Metric(f"{title}占全年支出的比重", "%", (f"{b}_spent", "budget.spent")),
            f"{b}_adjustment": Metric(f"{title}调整数（调整后 − 年初，负数为调减）", "万元", (b, f"{b}_adjusted")),
        }
    return out


_ADJ = ("adjustments 或 budget.adjustments 或 budget.initial",)
METRICS: dict[str, Metric] = {
    "budget.execution_rate": Metric("预算执行率（全年支出 ÷ 调整后预算）", "%", ("budget.spent", "budget.adjusted")),
    "budget.change": Metric("年初预算比上年增减", "万元", ("budget.initial", "budget.previous_initial")),
    "budget.change_rate": Metric("年初预算比上年增减率", "%", ("budget.initial", "budget.previous_initial")),
    "budget.adjustment": Metric("调整后预算比年初预算增减", "万元", ("budget.initial", "budget.adjusted")),
    "budget.adjustment_ratio_adjusted": Metric("调整、调剂资金占调整后预算的比例", "%", ("budget.adjustments", "budget.adjusted")),
    "budget.adjustment_ratio_initial": Metric("调整、调剂资金占年初预算的比例", "%", ("budget.adjustments", "budget.initial")),
    **_budget_metrics(),
    "budget.unspent": Metric("预算未支出数（调整后预算 − 全年支出）", "万元", ("budget.adjusted", "budget.spent")),
    "budget.carryover_rate": Metric("结转结余率（年末结转和结余 ÷ 调整后预算）", "%", ("budget.carryover", "budget.adjusted")),
    **{f"adjustments.{name}": Metric(f"{kind}金额合计", "万元", ("adjustments",)) for kind, name in ADJUSTMENT_METRICS.items()},
    "adjustments.total": Metric("各类调整金额合计", "万元", ("adjustments",)),
    "adjustments.counted": Metric("计入调整、调剂资金累计的金额（按评价指标体系的 adjustment_kinds）", "万元", ("adjustments",)),
    "adjustments.items": Metric("调整明细（kind、amount、note、counted）", "", ("adjustments",)),
    "quarterly.rates": Metric("各季度预算执行率（支出进度 ÷ 序时进度）", "%", ("quarterly.cumulative_spent 或 quarterly.progress",)),
    "quarterly.average_rate": Metric("全年平均执行率", "%", ("quarterly.cumulative_spent 或 quarterly.progress",)),
    "procurement.rate": Metric("政府采购执行率", "%", ("procurement.plan", "procurement.actual")),
    "procurement.plan_change": Metric("政府采购预算年中调整数（调整后 − 年初）", "万元", ("procurement.plan_initial", "procurement.plan")),
    "procurement.sme_share": Metric("面向中小企业采购金额占比", "%", ("procurement.sme", "procurement.actual")),
    "three_public.control_rate": Metric("“三公”经费控制率", "%", ("three_public.budget", "three_public.spent")),
    "three_public.travel_rate": Metric("因公出国（境）费控制率", "%", ("three_public.travel_budget", "three_public.travel_spent")),
    "three_public.car_rate": Metric("公务用车购置及运行维护费控制率", "%", ("three_public.car_budget", "three_public.car_spent")),
    "three_public.reception_rate": Metric("公务接待费控制率", "%", ("three_public.reception_budget", "three_public.reception_spent")),
    "office_expenses.control_rate": Metric("日常公用经费控制率", "%", ("office_expenses.budget", "office_expenses.spent")),
    "fixed_assets.use_rate": Metric("固定资产利用率（按原值）", "%", ("fixed_assets.total", "fixed_assets.in_use")),
    "fixed_assets.idle": Metric("未在用固定资产（原值）", "万元", ("fixed_assets.total", "fixed_assets.in_use")),
    "fixed_assets.net_ratio": Metric("固定资产净值率（净值 ÷ 原值）", "%", ("fixed_assets.net", "fixed_assets.total")),
    "balance.debt_ratio": Metric("资产负债率", "%", ("balance.liabilities", "balance.assets")),
    "staff.authorized_total": Metric("核定编制数合计", "人", ("staff.authorized",)),
    "staff.on_payroll_total": Metric("在编人数合计", "人", ("staff.on_payroll",)),
    "staff.contract_total": Metric("编外人员合计（各类型）", "人", ("staff.contract",)),
    "staff.contract_kinds": Metric("编外人员按类型", "人", ("staff.contract",)),
    "staff.total": Metric("在职人员总数（在编 + 计入控制率的编外）", "人", ("staff.on_payroll", "staff.contract")),
    "staff.control_rate": Metric("财政供养人员控制率", "%", ("staff.authorized", "staff.on_payroll")),
    "staff.contract_rate": Metric("编外人员控制率", "%", ("staff.on_payroll", "staff.contract")),
    "projects.on_time_rate": Metric("项目按时完成率", "%", ("projects.planned", "projects.on_time")),
    "projects.count": Metric("项目明细中的项目数", "个", ("projects.list",)),
    "projects.late": Metric("未按时完成的项目数", "个", ("projects.planned", "projects.on_time")),
    "petitions.reply_rate": Metric("信访办理回复率", "%", ("petitions.received", "petitions.replied")),
    "petitions.on_time_rate": Metric("信访及时办理回复率", "%", ("petitions.received", "petitions.on_time")),
    "petitions.handled_rate": Metric("信访办结率", "%", ("petitions.received", "petitions.handled")),
    "satisfaction_rate": Metric("满意度", "%", ("satisfaction",)),
    "disclosure.budget_days": Metric("部门预算批复后公开用时", "天", ("disclosure.budget_approved", "disclosure.budget_published")),
    "disclosure.final_accounts_days": Metric("部门决算批复后公开用时", "天", ("disclosure.final_accounts_approved", "disclosure.final_accounts_published")),
    "disclosure.budget_on_time": Metric("部门预算按时公开", "", ("disclosure.budget_approved", "disclosure.budget_published")),
    "disclosure.final_accounts_on_time": Metric("部门决算按时公开", "", ("disclosure.final_accounts_approved", "disclosure.final_accounts_published")),
}
# metric name -> the facts it needs (what a rule that cannot be computed asks for)
NEEDS: dict[str, tuple[str, ...]] = {name: metric.needs for name, metric in METRICS.items()}


def headcount(value: Any) -> int | None:
    """A headcount given as one number or split by 编制 type (行政 62, 事业 21)."""
    if value is None:
        return None
    return sum(value.values()) if isinstance(value, dict) else value


def _ratio(num: Any, den: Any) -> Rate | None:
    if num is None or den is None or den == 0:
        return None
    return rate(num, den)


def _money(value: Any) -> Money | None:
    return None if value is None else Money(value)


def _difference(a: Any, b: Any) -> Money | None:
    return None if a is None or b is None else Money(a - b)


def compute_metrics(facts: Facts, settings: dict[str, Any] | None = None) -> dict[str, Any]:
    """Every metric; `settings` are the framework's (counted kinds, disclosure deadline)."""
    settings = {**METRIC_SETTINGS, **(settings or {})}
    f = facts.get
    m: dict[str, Any] = {}
    for path, value in facts.values.items():
        if isinstance(value, date):
            value = Day(value.year, value.month, value.day)
        m[path] = Money(value) if isinstance(value, Decimal) and _is_money(path) else value
    m.pop("adjustments", None)  # the list is adjustments.items (a name cannot be a value and a group)

    initial, adjusted, spent = f("budget.initial"), f("budget.adjusted"), f("budget.spent")
    previous = f("budget.previous_initial")
    _adjustments(m, facts, settings)
    adjustments = m["budget.adjustments"]
    m["budget.execution_rate"] = _ratio(spent, adjusted)
    m["budget.change"] = Money(initial - previous) if previous is not None else None
    m["budget.change_rate"] = _ratio(initial - previous, previous) if previous else None
    m["budget.adjustment"] = Money(adjusted - initial)
    m["budget.adjustment_ratio_adjusted"] = _ratio(adjustments, adjusted)
    m["budget.adjustment_ratio_initial"] = _ratio(adjustments, initial)
    for part in BUDGET_PARTS:
        b = f"budget.{part}"
        m[f"{b}_execution_rate"] = _ratio(f(f"{b}_spent"), f(f"{b}_adjusted"))
        m[f"{b}_share"] = _ratio(f(b), initial)
        m[f"{b}_adjusted_share"] = _ratio(f(f"{b}_adjusted"), adjusted)
        m[f"{b}_spent_share"] = _ratio(f(f"{b}_spent"), spent)
        m[f"{b}_adjustment"] = _difference(f(f"{b}_adjusted"), f(b))
    m["budget.unspent"] = _difference(adjusted, spent)
    m["budget.carryover_rate"] = _ratio(f("budget.carryover"), adjusted)

    quarters = _quarters(facts)
    m["quarters"] = quarters
    m["quarterly.rates"] = [q["rate"] for q in quarters] if quarters else None
    m["quarterly.average_rate"] = (
        Rate(sum((q["rate"] for q in quarters), Fraction(0)) / 4) if quarters else None
    )

    m["procurement.rate"] = _ratio(f("procurement.actual"), f("procurement.plan"))
    m["procurement.plan_change"] = _difference(f("procurement.plan"), f("procurement.plan_initial"))
    m["procurement.sme_share"] = _ratio(f("procurement.sme"), f("procurement.actual"))
    m["fixed_assets.use_rate"] = _ratio(f("fixed_assets.in_use"), f("fixed_assets.total"))
    m["fixed_assets.idle"] = _difference(f("fixed_assets.total"), f("fixed_assets.in_use"))
    m["fixed_assets.net_ratio"] = _ratio(f("fixed_assets.net"), f("fixed_assets.total"))
    m["balance.debt_ratio"] = _ratio(f("balance.liabilities"), f("balance.assets"))

    _staff(m, facts, settings)

    m["three_public.control_rate"] = _ratio(f("three_public.spent"), f("three_public.budget"))
    for part in ("travel", "car", "reception"):
        m[f"three_public.{part}_rate"] = _ratio(f(f"three_public.{part}_spent"), f(f"three_public.{part}_budget"))
    m["office_expenses.control_rate"] = _ratio(f("office_expenses.spent"), f("office_expenses.budget"))
    _projects(m, facts)
    m["petitions.reply_rate"] = _ratio(f("petitions.replied"), f("petitions.received"))
    m["petitions.on_time_rate"] = _ratio(f("petitions.on_time"), f("petitions.received"))
    m["petitions.handled_rate"] = _ratio(f("petitions.handled"), f("petitions.received"))
    sat = f("satisfaction")
    m["satisfaction_rate"] = Rate(Fraction(sat) / 100) if sat is not None else None
    _disclosure(m, facts, settings)
    return m


def _adjustments(m: dict[str, Any], facts: Facts, settings: dict[str, Any]) -> None:
    """Per-kind sums of the adjustments list; budget.adjustments counts the framework's kinds."""
    items = facts.get("adjustments")
    counted_kinds = tuple(settings["adjustment_kinds"])
    if items is None:
        for name in (*ADJUSTMENT_METRICS.values(), "total", "counted", "items"):
            m[f"adjustments.{name}"] = None
        given = facts.get("budget.adjustments")
        initial, adjusted = facts.get("budget.initial"), facts.get("budget.adjusted")
        if given is None and initial is not None and adjusted is not None:
            given = abs(adjusted - initial)
        m["budget.adjustments"] = _money(given)
        return
    for kind, name in ADJUSTMENT_METRICS.items():
        m[f"adjustments.{name}"] = Money(sum((a.amount for a in items if a.kind == kind), Decimal(0)))
    m["adjustments.total"] = Money(sum((a.amount for a in items), Decimal(0)))
    counted = Money(sum((a.amount for a in items if a.kind in counted_kinds), Decimal(0)))
    m["adjustments.counted"] = counted
    m["adjustments.items"] = [
        {"kind": a.kind, "amount": Money(a.amount), "note": a.note, "counted": a.kind in counted_kinds} for a in items
    ]
    m["budget.adjustments"] = counted


def _staff(m: dict[str, Any], facts: Facts, settings: dict[str, Any]) -> None:
    authorized = headcount(facts.get("staff.authorized"))
    on_payroll = headcount(facts.get("staff.on_payroll"))
    contract = facts.get("staff.contract")
    kinds = None
    if isinstance(contract, dict):  # split by kind: only the kinds the framework counts
        kinds = dict(contract)
        m["staff.contract_total"] = sum(contract.values())
        contract = sum(n for k, n in contract.items() if k in settings["contract_kinds"])
    else:
        m["staff.contract_total"] = contract
    m["staff.contract"] = contract
    m["staff.contract_kinds"] = kinds
    m["staff.authorized_total"] = authorized
    m["staff.on_payroll_total"] = on_payroll
    m["staff.total"] = on_payroll + contract if None not in (on_payroll, contract) else None
    m["staff.control_rate"] = _ratio(on_payroll, authorized)
    m["staff.contract_rate"] = _ratio(contract, m["staff.total"])


def _projects(m: dict[str, Any], facts: Facts) -> None:
    planned, on_time = facts.get("projects.planned"), facts.get("projects.on_time")
    rate_ = _ratio(on_time, planned)
    if rate_ is None and planned is None and facts.get("projects.all_on_time"):
        rate_ = Rate(1)
    m["projects.on_time_rate"] = rate_
    m["projects.late"] = planned - on_time if None not in (planned, on_time) else None
    items = facts.get("projects.list")
    m["projects.count"] = len(items) if items is not None else None
    m["projects.list"] = [
        {
            "name": p.name, "initial": _money(p.initial), "adjusted": _money(p.adjusted), "spent": _money(p.spent),
            "execution_rate": _ratio(p.spent, p.adjusted), "on_time": p.on_time, "reason": p.reason,
            "procurement_plan": _money(p.procurement_plan), "procurement_actual": _money(p.procurement_actual),
            "procurement_rate": _ratio(p.procurement_actual, p.procurement_plan), "note": p.note,
        }
        for p in items
    ] if items is not None else None


def _disclosure(m: dict[str, Any], facts: Facts, settings: dict[str, Any]) -> None:
    """Days from approval to publication; a status left out is judged by the deadline."""
    for what in ("budget", "final_accounts"):
        approved = facts.get(f"disclosure.{what}_approved")
        published = facts.get(f"disclosure.{what}_published")
        days = (published - approved).days if approved and published else None
        on_time = None if days is None else 0 <= days <= settings["disclosure_days"]
        m[f"disclosure.{what}_days"] = days
        m[f"disclosure.{what}_on_time"] = on_time
        if facts.get(f"disclosure.{what}") is None and on_time is not None:
            m[f"disclosure.{what}"] = "按规定公开" if on_time else "公开但有缺陷"


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
