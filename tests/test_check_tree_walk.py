"""check walks a section's Jinja tree with its own list-based walk: the same nodes, in the same
order, as Jinja's find_all, and the same name references as a walk through Jinja's own."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from jinja2 import nodes

from reportkit.assemble.templating import parse_section
from reportkit.check.sections import _chain, descendants, references

REPO = Path(__file__).parent.parent
SECTIONS = sorted([*(REPO / "content").glob("*.md"), *(REPO / "tests" / "data").rglob("content/*.md")])
WRITTEN = [
    "{% set x = budget.adjusted %}{{ x | wan }} {{ loop }}{% for a, b in items %}{{ a.b[0] }}{{ b['c'] }}{% endfor %}",
    "{% if budget.adjusted is defined and (budget.initial or 0) > 1 %}{{ (budget.spent / 2) | pct }}{% else %}无{% endif %}",
    "{{ tables.indicators(level=1) }} {{ [1, 2, budget.x][2] }} {{ {'a': facts.y}['a'] }} {{ m[n.k] }} {{ 'x' ~ y }}",
    "{% for i in range(3) if i %}{{ i }}{{ loop.index }}{% else %}{{ none.z }}{% endfor %}{# 注释 #}",
]


def jinja_references(ast: nodes.Template) -> list[tuple[list[Any], int]]:
    """references() as it was written on Jinja's find_all and iter_child_nodes."""
    local = {n.name for n in ast.find_all(nodes.Name) if n.ctx in ("store", "param")} | {"loop"}
    found: list[tuple[list[Any], int]] = []

    def visit(node: nodes.Node) -> None:
        if isinstance(node, (nodes.Name, nodes.Getattr, nodes.Getitem)):
            path, rest = _chain(node)
            if path and path[0] not in local:
                found.append((path, node.lineno))
            for other in rest:
                visit(other)
            return
        for child in node.iter_child_nodes():
            visit(child)

    visit(ast)
    return found


@pytest.mark.parametrize("source", [*(p.read_text(encoding="utf-8") for p in SECTIONS), *WRITTEN],
                         ids=[*(p.name for p in SECTIONS), *(f"written{k}" for k in range(len(WRITTEN)))])
def test_the_walk_sees_what_jinja_sees(source: str) -> None:
    ast = parse_section(source, "content/x.md")
    every = descendants(ast)
    assert [id(n) for n in every] == [id(n) for n in ast.find_all(nodes.Node)]
    assert references(ast) == references(ast, every) == jinja_references(ast)


def test_there_are_sections_to_walk() -> None:
    assert len(SECTIONS) > 10
