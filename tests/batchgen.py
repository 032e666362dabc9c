"""Generated report folders for the batch tests and bench/batch_bench.py: small but real
reports with varied facts and frameworks, and a few broken on purpose."""

from __future__ import annotations

import random
from decimal import Decimal
from pathlib import Path

from reportkit.load import all_sections

FRAMEWORKS = ("city-2021", "city-2019", "city-2020", "district-2021", "district-2023")
# What is wrong with each broken unit, and the words its message must have.
BROKEN = {
    "negative": "不能为负数",
    "section": "缺少章节文件",
    "name": "未知的名称：nothing",
    "framework": "找不到评价指标体系",
}


def _money(rng: random.Random, low: int, high: int) -> Decimal:
    return Decimal(rng.randint(low * 100, high * 100)) / 100


def facts_text(number: int, rng: random.Random, *, broken: str | None = None) -> str:
    """One unit's facts: every value drawn so the cross-checks hold (in use ≤ total, …)."""
    framework = FRAMEWORKS[number % len(FRAMEWORKS)]
    level = "区" if framework.startswith("district") else "市"
    initial = _money(rng, 2000, 90000)
    adjusted = initial + _money(rng, 0, 8000)
    spent = adjusted * Decimal(rng.randint(80, 100)) / 100
    spent = spent.quantize(Decimal("0.01"))
    quarters = [(spent * Decimal(share) / 100).quantize(Decimal("0.01")) for share in
                sorted(rng.sample(range(10, 100), 3))] + [spent]
    plan = _money(rng, 100, 3000)
    total_assets = _money(rng, 1000, 20000)
    authorized = rng.randint(20, 200)
    planned = rng.randint(5, 60)
    received = rng.randint(0, 400)
    replied = rng.randint(received * 9 // 10, received)
    lines = [
        "report:",
        f"  unit: 测试单位{number:03d}",
        f"  year: {2021 + number % 3}",
        f"  preparer: 填报人{number:03d}",
        '  phone: "83000000"',
        f"  level: {level}",
        "  self_name: 我单位",
        f"  framework: {'no-such-framework' if broken == 'framework' else framework}",
        "budget:",
        f"  initial: {'-1' if broken == 'negative' else initial}",
        f"  adjusted: {adjusted}",
        f"  spent: {spent}",
        f"  previous_initial: {_money(rng, 2000, 90000)}",
        "quarterly:",
        f"  cumulative_spent: [{', '.join(map(str, quarters))}]",
        f"procurement: {{plan: {plan}, actual: {(plan * Decimal(rng.randint(70, 100)) / 100).quantize(Decimal('0.01'))}}}",
        f"three_public: {{budget: {_money(rng, 5, 80)}, spent: {_money(rng, 1, 5)}}}",
        f"office_expenses: {{budget: {_money(rng, 100, 900)}, spent: {_money(rng, 50, 99)}}}",
        f"fixed_assets: {{total: {total_assets}, in_use: {(total_assets * Decimal(rng.randint(85, 100)) / 100).quantize(Decimal('0.01'))}}}",
        f"staff: {{authorized: {authorized}, on_payroll: {rng.randint(authorized * 8 // 10, authorized)}, contract: {rng.randint(0, 30)}}}",
        f"projects: {{planned: {planned}, on_time: {rng.randint(planned * 8 // 10, planned)}}}",
        f"key_tasks: {{total: 10, unfinished: {rng.randint(0, 2)}}}",
        f"petitions: {{received: {received}, replied: {replied}, on_time: {rng.randint(replied * 9 // 10, replied)}}}",
        f"satisfaction: {_money(rng, 70, 99)}",
        "disclosure: {budget: 按规定公开, final_accounts: 按规定公开}",
    ]
    if rng.random() < 0.5:
        lines += ["judgements:", "  预算编制合理性:",
                  f"    - {{part: 4, deduct: {rng.choice(['0.1', '0.2', '0.5'])}, reason: 年度中间调剂较多}}"]
    if number % 7 == 3:
        lines += ["overrides:", "  预算执行率: {score: 5, reason: 经财政局复核认定}"]
        if number % 14 == 3:
            lines.append("  项目完成及时性: {score: 4, reason: 两个项目延期经批准}")
    if number % 9 == 4:  # the unit's own 自评表: one score the rules do not give
        lines += ["declared:", "  source: 单位自评表", "  scores: {预算执行率: 0.5, 预算编制规范性: 5}"]
    return "\n".join(lines) + "\n"


def section_text(title: str, broken: str | None) -> str:
    name = "budget.nothing" if broken == "name" else "budget.adjusted"
    return (f"{title}。全年调整后预算 {{{{ {name} | wan }}}} 万元，"
            "执行率 {{ budget.execution_rate | pct }}，总分 {{ total }} 分。\n")


def make_reports(base: Path, count: int, *, broken_every: int = 40, seed: int = 16) -> dict[str, str]:
    """`count` report folders under `base` (unit-000 …); every `broken_every`-th is broken.

    Returns the broken folders' names with the words their messages must contain.
    """
    rng = random.Random(seed)
    kinds = list(BROKEN)
    broken: dict[str, str] = {}
    for number in range(count):
        root = base / f"unit-{number:03d}"
        kind = kinds[(number // broken_every) % len(kinds)] if number % broken_every == broken_every - 1 else None
        content = root / "content"
        content.mkdir(parents=True)
        (content / "facts.yaml").write_text(facts_text(number, rng, broken=kind), encoding="utf-8")
        for section in all_sections():
            if kind == "section" and section.file.startswith("2-2"):
                continue
            (content / section.file).write_text(section_text(section.title, kind), encoding="utf-8")
        if kind:
            broken[root.name] = BROKEN[kind]
    return broken
