"""How many figures a real report's narrative states have a place in the facts model.

For each seed text in tests/data/check/texts (the report as published), every figure of the
narrative — a number with a unit (万元, %, 人, 个, 项, 件, 分 …), not a year, date, list number
or document number — is looked up among the values a section can reference (facts, metrics,
scores) of the seed's facts file (tests/data/seedNNN), at the precision the text writes it (rounded or truncated).
Printed for the facts file as it is now and as it was at an earlier commit (default: before
issue 11), so the figure shows what the new facts added. Usage:

    python bench/facts_coverage.py [--before REV] [--show]
"""

from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

from reportkit.assemble import load_scores, template_context
from reportkit.numbers import quantize

REPO = Path(__file__).resolve().parent.parent
TEXTS = REPO / "tests" / "data" / "check" / "texts"
SEEDS = REPO / "tests" / "data"  # seed000 … seed002: the seeds' facts (the check copies keep their line numbers)
BEFORE = "c167696"  # main just before issue 11 (the package layout of issue 20)

_NUM = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
_UNIT = r"万元|亿元|元|%|％|人次|艘次|人|名|个|项|件|分|辆|家|次|天|宗|篇|处|座|公里"
FIGURE = re.compile(rf"(?<![\d.,])({_NUM})\s*({_UNIT})")
# Not figures: years, dates, document numbers (〔2016〕13 号), list numbers, 第N季度.
_SKIP_BEFORE = re.compile(r"(〔\d{4}〕|第|[（(])\s*$")
_END = re.compile(r"^\s*(附件|附表)|自评表\s*$|^\s*评价指标")


@dataclass
class Figure:
    line: int
    text: str
    value: Decimal
    unit: str


def narrative(text: str) -> list[str]:
    """The report's text up to its annexes (the first 附件 heading after the cover, or a table head)."""
    lines = text.splitlines()
    for i, line in enumerate(lines):
        if i > 10 and _END.search(line):
            return lines[:i]
    return lines


def figures(lines: list[str]) -> list[Figure]:
    out = []
    for number, line in enumerate(lines, start=1):
        for m in FIGURE.finditer(line):
            before = line[: m.start()]
            if _SKIP_BEFORE.search(before):
                continue
            raw, unit = m.group(1), m.group(2).replace("％", "%")
            value = Decimal(raw.replace(",", ""))
            if unit in ("个", "项", "件") and re.match(r"\s*(月|日)", line[m.end():]):
                continue
            out.append(Figure(number, m.group(0), value, unit))
    return out


def _flatten(node: object, prefix: str = "") -> dict[str, object]:
    out: dict[str, object] = {}
    if isinstance(node, dict):
        for key, value in node.items():
            out |= _flatten(value, f"{prefix}.{key}" if prefix else str(key))
    elif isinstance(node, (list, tuple)):
        for i, value in enumerate(node):
            out |= _flatten(value, f"{prefix}[{i}]")
    elif not callable(node):
        out[prefix] = node
    return out


def values(root: Path) -> dict[str, tuple[str, Fraction]]:
    """Every number a section can reference, with the kind of unit it is stated in."""
    _, facts, framework, metrics, scores = load_scores(root)
    context = template_context(facts, framework, metrics, scores)
    out: dict[str, tuple[str, Fraction]] = {}
    for name, value in _flatten(context).items():
        if isinstance(value, bool) or not isinstance(value, (int, Decimal, Fraction)):
            continue
        kind = type(value).__name__
        if kind == "Rate":
            out[name] = ("%", Fraction(value) * 100)
        elif kind == "Money":
            out[name] = ("万元", Fraction(value))
        elif kind == "Score":
            out[name] = ("分", Fraction(value))
        elif name == "satisfaction" or kind == "Decimal":
            out[name] = ("number", Fraction(value))
        else:
            out[name] = ("count", Fraction(value))
    return out


def _agrees(typed: Decimal, value: Fraction) -> bool:
    decimals = max(0, -typed.as_tuple().exponent)
    return typed in (quantize(value, decimals, "half_up"), quantize(value, decimals, "truncate"))


_KINDS = {"万元": ("万元",), "亿元": ("万元",), "元": ("万元",), "%": ("%", "number"), "分": ("分", "number")}


def matches(figure: Figure, known: dict[str, tuple[str, Fraction]]) -> list[str]:
    value = figure.value
    scale = {"亿元": Fraction(10000), "元": Fraction(1, 10000)}.get(figure.unit, Fraction(1))
    kinds = _KINDS.get(figure.unit, ("count",))
    found = []
    for name, (kind, v) in known.items():
        if kind in kinds and _agrees(value, abs(v) / scale):  # 调减 7.78 万元 states −7.78 unsigned
            found.append(name)
    return found


def _old_copy(seed: str, rev: str, work: Path) -> Path | None:
    """The seed folder with its facts file as it was at `rev` (None if it did not exist)."""
    rel = f"tests/data/{seed}/content/facts.yaml"
    shown = subprocess.run(["git", "-C", str(REPO), "show", f"{rev}:{rel}"], capture_output=True, text=True)
    if shown.returncode:
        return None
    root = work / seed
    shutil.copytree(SEEDS / seed, root)
    (root / "content" / "facts.yaml").write_text(shown.stdout, encoding="utf-8")
    return root


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--before", default=BEFORE, help="the commit to compare with")
    parser.add_argument("--show", action="store_true", help="list the figures still without a place")
    args = parser.parse_args()
    print(f"{'seed':8} {'figures':>8} {'before':>8} {'now':>8}")
    with tempfile.TemporaryDirectory() as tmp:
        for text in sorted(TEXTS.glob("seed*.txt")):
            seed = text.stem
            found = figures(narrative(text.read_text(encoding="utf-8")))
            now = values(SEEDS / seed)
            old_root = _old_copy(seed, args.before, Path(tmp))
            old = values(old_root) if old_root else {}
            n_now = sum(1 for f in found if matches(f, now))
            n_old = sum(1 for f in found if matches(f, old))
            print(f"{seed:8} {len(found):8} {n_old:8} {n_now:8}")
            if args.show:
                for f in found:
                    if not matches(f, now):
                        print(f"    {f.line:4}: {f.text}")


if __name__ == "__main__":
    main()
