"""Issue 11: properties of the budget structure over many generated inputs (hypothesis).

Any split of a budget into parts round-trips through load; the computed totals, per-kind
adjustment sums and project totals are exact in Decimal; parts over their total are refused
and parts short of it warned about, whatever the amounts.
"""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reportkit.compute.metrics import compute_metrics
from reportkit.errors import ReportError
from reportkit.load.facts import parse_facts
from reportkit.load.yamlio import Located

NO_DEADLINE = settings(deadline=None, max_examples=150)  # never depend on wall-clock time
cents = st.integers(min_value=0, max_value=10**9).map(lambda n: Decimal(n).scaleb(-2))  # up to 10 million 万元
positive = st.integers(min_value=1, max_value=10**9).map(lambda n: Decimal(n).scaleb(-2))
REPORT = {"unit": "某局", "year": 2023}


def load(budget: dict, **more) -> object:
    return parse_facts({"report": REPORT, "budget": budget, **more}, Located("facts.yaml"))


@NO_DEADLINE
@given(personnel=positive, public=cents, project=cents, adjusted=positive, spent=cents)
def test_a_budget_given_by_its_parts_round_trips(personnel, public, project, adjusted, spent) -> None:
    facts = load({"personnel": personnel, "public": public, "project": project, "adjusted": adjusted, "spent": spent})
    assert facts.get("budget.basic") == personnel + public
    assert facts.get("budget.initial") == personnel + public + project  # exact: no float, no rounding
    assert not facts.warnings
    m = compute_metrics(facts)
    shares = m["budget.personnel_share"] + m["budget.public_share"] + m["budget.project_share"]
    assert shares == 1  # the three shares of the initial budget add up exactly


@NO_DEADLINE
@given(parts=st.lists(cents, min_size=3, max_size=3), extra=st.integers(min_value=0, max_value=10**6))
def test_totals_typed_beside_their_parts(parts, extra) -> None:
    travel, car, reception = parts
    total = travel + car + reception + Decimal(extra).scaleb(-2)
    facts = load({"initial": 1, "adjusted": 1, "spent": 0},
                 three_public={"budget": total, "travel_budget": travel, "car_budget": car, "reception_budget": reception})
    short = total - (travel + car + reception)
    assert bool(facts.warnings) == (short > Decimal("0.03"))  # a cent per part is rounding
    if travel + car + reception >= Decimal("0.04"):  # a total 4 cents below its parts is refused
        with pytest.raises(ReportError) as info:
            load({"initial": 1, "adjusted": 1, "spent": 0},
                 three_public={"budget": travel + car + reception - Decimal("0.04"), "travel_budget": travel, "car_budget": car,
                               "reception_budget": reception})
        assert info.value.key == "three_public.reception_budget" and "超过了" in info.value.message


@NO_DEADLINE
@given(items=st.lists(st.tuples(st.sampled_from(["追加", "调减", "调剂", "上缴", "调增", "收回"]), cents), min_size=1, max_size=12))
def test_adjustments_sum_exactly_by_kind(items) -> None:
    facts = load({"initial": 100, "adjusted": 100, "spent": 0},
                 adjustments=[{"kind": k, "amount": a} for k, a in items])
    m = compute_metrics(facts)
    kinds = {"追加": "追加", "调增": "追加", "调减": "调减", "收回": "调减", "调剂": "调剂", "上缴": "上缴"}
    by_kind = {k: sum((a for kind, a in items if kinds[kind] == k), Decimal(0)) for k in ("追加", "调减", "调剂", "上缴")}
    assert (m["adjustments.added"], m["adjustments.cut"], m["adjustments.transferred"], m["adjustments.remitted"]) == tuple(by_kind.values())
    assert m["adjustments.total"] == sum(by_kind.values())
    assert m["budget.adjustments"] == by_kind["追加"] + by_kind["调减"] + by_kind["调剂"]  # 上缴 not counted by default


@NO_DEADLINE
@given(st.lists(st.tuples(cents, cents, st.sampled_from([True, False, None])), min_size=1, max_size=15))
def test_a_project_list_gives_exact_totals_and_counts(projects) -> None:
    items = [{"name": f"项目{i}", "adjusted": a, "spent": s, **({} if t is None else {"on_time": t, "reason": "延期"})}
             for i, (a, s, t) in enumerate(projects)]
    big = Decimal(10**8)  # the whole budget: more than its projects
    facts = load({"initial": big, "adjusted": big, "spent": big}, projects={"list": items})
    assert facts.get("budget.project_adjusted") == sum((a for a, _, _ in projects), Decimal(0))
    assert facts.get("budget.project_spent") == sum((s for _, s, _ in projects), Decimal(0))
    assert facts.get("projects.planned") == sum(1 for *_, t in projects if t is not None)
    assert facts.get("projects.on_time") == sum(1 for *_, t in projects if t)
