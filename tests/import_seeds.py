"""What importing each seed must give, and a measure of what it does give.

The expected figures are read off the seed reports (shared/domain/test-vectors.md); the Word
files are made from the seed texts by other tools (seed_words.py). Run as a script to print,
per seed and tool, sections n/m, annex scores n/m and facts right / wrong / missed:

    python tests/import_seeds.py
"""

from __future__ import annotations

import sys
import tempfile
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from seed_words import SEEDS, TOOLS, make  # noqa: E402

# Annex scores in the framework's order, as each seed declares them ("" = the cell is blank).
ANNEX = {
    "seed000": "4.9 5 3 7 | 2 2.9 3 2 2 2 1 1 0 3 | 6 5.41 8 5.57 25 3 2",
    "seed001": "5 5 8 7 | 2 3 3 2 2 2 1 1 0 3 | 5 6 8 6 20 3 6",
    "seed002": "4 5 3 7 | 1.97 2 3 2 1 2 1 1 0 2 | 6 3.87 8 _ 25 3 6",
}
# Scores the seed's text lost in extraction (the PDF table of seed 002 split cells at page breaks):
# a Word file made from the text has no cell for them, so they must be reported missing.
LOST_IN_TEXT = {"seed002": {"预决算信息公开", "公用经费控制率"}}
TOTAL = {"seed000": "93.78", "seed001": "", "seed002": "92.84"}
COVER = {
    "seed000": {"unit": "深圳市人民政府口岸办公室", "preparer": "姜海洋", "phone": "83758561"},
    "seed001": {"unit": "深圳市龙华区人民政府办公室", "preparer": "骆彬", "phone": "23338013"},
    "seed002": {},  # the text starts at chapter 一: no cover
}
UNIT = {"seed000": "深圳市人民政府口岸办公室", "seed001": "深圳市龙华区人民政府办公室", "seed002": "深圳港引航站"}
SELF_NAME = {"seed000": "我办", "seed001": "我办", "seed002": "我站"}


def annex_expected(seed: str, names: list[str]) -> dict[str, str]:
    values = [v for v in ANNEX[seed].split() if v != "|"]
    assert len(values) == len(names), (seed, len(values), len(names))
    return {n: ("" if v == "_" else v) for n, v in zip(names, values, strict=True)}


def missing_expected(seed: str, tool: str, expected: dict[str, str]) -> set[str]:
    blank = {n for n, v in expected.items() if not v}
    return blank | (LOST_IN_TEXT.get(seed, set()) if tool == "soffice-text" else set())


def measure(result, seed: str, tool: str) -> dict:  # noqa: ANN001 - an ImportResult
    annex = result.declared.annex
    names = [s.name for s in annex.scores]
    expected = annex_expected(seed, names)
    read = {s.name: s.value for s in annex.found}
    right = sum(1 for n, v in read.items() if Decimal(v) == Decimal(expected[n] or "-1"))
    sections = sum(1 for p in result.split.parts.values() if p.heading)
    return {
        "seed": seed, "tool": tool, "sections": sections, "sections_of": 10,
        "annex_read": len(read), "annex_right": right, "annex_of": len(names),
        "annex_reported": len(annex.missing),
        "annex_readable": len(names) - len(missing_expected(seed, tool, expected)),
    }


def main() -> None:
    from reportkit.importer.run import import_report

    with tempfile.TemporaryDirectory() as work:
        print("| seed | tool | sections | annex scores read (right) / in the file / all | missing reported |"
              " facts right / wrong / missed (of) | other facts proposed |")
        print("| --- | --- | --- | --- | --- | --- | --- |")
        for seed in SEEDS:
            for tool in TOOLS:
                docx = make(seed, tool, Path(work) / "words")
                result = import_report(docx, Path(work) / f"{seed}-{tool}")
                m = measure(result, seed, tool)
                right, wrong, missed = facts_score(result, seed)
                other = {k: v for k, v in proposed(result).items() if k not in FACTS[seed]}
                print(f"| {seed} | {tool} | {m['sections']}/{m['sections_of']} | {m['annex_read']} ({m['annex_right']})"
                      f" / {m['annex_readable']} / {m['annex_of']} | {m['annex_reported']} |"
                      f" {right} / {len(wrong)} / {len(missed)} ({len(FACTS[seed])}) |"
                      f" {', '.join(f'{k} {v}' for k, v in other.items()) or '—'} |")



# Facts each seed states plainly (test-vectors.md, and the parts of its budget, procurement and
# 编外 quota its text gives), as importing must propose them.
FACTS = {
    "seed000": {
        "budget.initial": "57373.02", "budget.adjusted": "64689.48", "budget.spent": "60994.53",
        "budget.previous_initial": "43622.58", "budget.personnel": "3207.70", "budget.public": "239.3",
        "budget.project": "53926.02",
        "quarterly.cumulative_spent": "13757.79 33261.44 39086.96 60994.53",
        "procurement.plan": "485.43", "procurement.actual": "485.43",
        "three_public.budget": "8.89", "three_public.spent": "7.56",
        "office_expenses.budget": "231.52", "office_expenses.spent": "187.02",
        "fixed_assets.total": "4478.54", "fixed_assets.in_use": "4381.90",
        "staff.authorized": "52", "staff.on_payroll": "52", "staff.contract": "16",
        "petitions.received": "62", "satisfaction": "86.34",
    },
    "seed001": {
        "quarterly.progress": "26.1 50.6 73.6 99.45",
        "procurement.plan": "659.98", "procurement.actual": "659.98",
        "three_public.budget": "12.4", "three_public.spent": "8.7",
        "office_expenses.budget": "168.51", "office_expenses.spent": "166.35",
        "fixed_assets.total": "807.05", "fixed_assets.in_use": "807.05",
        "staff.authorized": "{行政: 62, 事业: 21}", "staff.on_payroll": "{行政: 54, 事业: 16}", "staff.contract": "53",
        "projects.planned": "25", "projects.on_time": "25", "satisfaction": "88.28",
        "procurement.goods": "232.64", "procurement.services": "427.34", "staff.contract_quota": "61",
    },
    "seed002": {
        "budget.initial": "20207.52", "budget.adjusted": "17378.86", "budget.spent": "16619.26",
        "budget.adjustments": "2828.66", "budget.basic": "11194.50", "budget.project": "5387.29",
        "three_public.budget": "96", "three_public.spent": "41.2",
        "fixed_assets.total": "6281.48", "fixed_assets.in_use": "6281.48",
        "staff.authorized": "90", "staff.on_payroll": "89", "staff.contract": "132", "satisfaction": "100",
    },
}


def proposed(result) -> dict[str, str]:  # noqa: ANN001
    """The first value proposed for each fact, written as in facts.yaml."""
    out = {}
    for p in result.proposals:
        if p.kind == "rate":
            continue
        first = p.found[0]
        if p.kind == "money4":
            out[p.path] = " ".join(str(Decimal(f.value).normalize()) for f in p.found)
        else:
            out[p.path] = first.shown or str(Decimal(p.values[0]).normalize())
    return out


def facts_score(result, seed: str) -> tuple[int, list[str], list[str]]:  # noqa: ANN001
    """(right, wrong, missed) against FACTS[seed], by the first value proposed."""
    got = proposed(result)
    want = FACTS[seed]
    right, wrong, missed = 0, [], []
    for path, value in want.items():
        if path not in got:
            missed.append(path)
        elif _same(got[path], value):  # the first reading (a seed's own inconsistency is pointed out too)
            right += 1
        else:
            wrong.append(f"{path}={got[path]}")
    return right, wrong, missed


def _same(a: str, b: str) -> bool:
    try:
        return [Decimal(x) for x in a.split()] == [Decimal(x) for x in b.split()]
    except Exception:  # noqa: BLE001 - a mapping such as {行政: 62, 事业: 21}
        return a == b


if __name__ == "__main__":
    main()
