"""Issue 12: precision and recall of `reportkit check` over a labelled corpus — the seeds'
narratives as written and mutated copies (tests/data/check/corpus/README.md)."""

from __future__ import annotations

import functools
import shutil
from pathlib import Path

import pytest
import yaml

from reportkit.check import check_report

DATA = Path(__file__).parent / "data" / "check"
CORPUS = DATA / "corpus"
SECTION = "content/2-2-主要履职情况.md"
MUST_FLAG = ("fact", "sum", "share", "rate")


def _cases() -> tuple[dict, list[dict]]:
    spec = yaml.safe_load((CORPUS / "cases.yaml").read_text(encoding="utf-8"))
    return spec["seeds"], spec["cases"]


def _line(text: str, phrase: str) -> int:
    hits = [i for i, line in enumerate(text.split("\n"), start=1) if phrase in line]
    assert len(hits) == 1, phrase
    return hits[0]


def run_case(case: dict, root: Path) -> tuple[set[int], dict[int, int], str]:
    """(labelled lines, findings per line, the text) for one case."""
    seeds, _ = _cases()
    text = (DATA / "texts" / f"{case['seed']}.txt").read_text(encoding="utf-8")
    slips = [s["find"] for s in seeds[case["seed"]]]
    if "replace" in case:
        old, new = case["replace"]
        assert text.count(old) == 1, old
        text = text.replace(old, new)
        if case["kind"] in MUST_FLAG:
            slips.append(new)
    shutil.copytree(DATA / case["seed"], root)
    (root / SECTION).write_text(text, encoding="utf-8")
    found: dict[int, int] = {}
    for f in check_report(root).findings:
        if f.file == SECTION and f.severity in ("error", "warning"):
            found[f.line] = found.get(f.line, 0) + 1
    return {_line(text, s) for s in slips}, found, text


@functools.cache
def scores(tmp: str) -> dict:
    _, cases = _cases()
    total = {"true": 0, "false": 0, "caught": 0, "missed": 0, "seed_false": 0, "mut_caught": 0, "mut_slips": 0}
    rows = []
    for i, case in enumerate(cases):
        labelled, found, text = run_case(case, Path(tmp) / f"case{i}")
        lines = text.split("\n")
        false = {line: n for line, n in found.items() if line not in labelled}
        caught = labelled & set(found)
        total["true"] += sum(n for line, n in found.items() if line in labelled)
        total["false"] += sum(false.values())
        total["caught"] += len(caught)
        total["missed"] += len(labelled - caught)
        if "replace" not in case:
            total["seed_false"] += sum(false.values())
        elif case["kind"] in MUST_FLAG:
            new_line = _line(text, case["replace"][1])
            total["mut_slips"] += 1
            total["mut_caught"] += new_line in found
        name = f"{case['seed']} {case.get('kind', '原文')} {case.get('what', '')}".strip()
        rows.append((name, sorted(caught), sorted(labelled - caught),
                     [(line, lines[line - 1][:40]) for line in sorted(false)]))
    return {**total, "rows": rows}


def test_precision_and_recall_over_the_corpus(tmp_path_factory: pytest.TempPathFactory) -> None:
    s = scores(str(tmp_path_factory.mktemp("corpus")))
    precision = s["true"] / (s["true"] + s["false"]) if s["true"] + s["false"] else 1.0
    recall = s["caught"] / (s["caught"] + s["missed"])
    mutation_recall = s["mut_caught"] / s["mut_slips"]
    print(f"\n检查语料：{len(s['rows'])} 例；查准率 {precision:.3f}（{s['true']} 条属实，{s['false']} 条误报），"
          f"查全率 {recall:.3f}（{s['caught']} / {s['caught'] + s['missed']} 处），"
          f"变异查全率 {mutation_recall:.3f}（{s['mut_caught']} / {s['mut_slips']}）")
    for name, _caught, missed, false in s["rows"]:
        if missed or false:
            print(f"  {name}：漏报行 {missed}，误报 {false}")
    assert s["seed_false"] == 0  # the seeds as written: no warning that is not a labelled slip
    assert precision == 1.0
    assert mutation_recall >= 0.8 and recall >= 0.8


def test_every_known_slip_of_the_seeds_is_caught(tmp_path: Path) -> None:
    seeds, cases = _cases()
    for i, case in enumerate(c for c in cases if "replace" not in c):
        labelled, found, _ = run_case(case, tmp_path / f"seed{i}")
        assert labelled <= set(found), (case["seed"], labelled - set(found))
