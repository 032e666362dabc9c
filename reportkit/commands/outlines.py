"""reportkit outlines: the shipped report outlines, one row each."""

from __future__ import annotations

from pathlib import Path

from rich import box
from rich.console import Console
from rich.table import Table

from ..load import DEFAULT_OUTLINE, load_outline, outline_ids, outlines_dir

NAME = "outlines"
HELP = "列出内置的报告提纲（章节、封面和附件的格式）"


def _match(match: dict) -> str:
    parts = []
    if match.get("frameworks"):
        parts.append("、".join(match["frameworks"]))
    parts += [match[k] for k in ("level", "kind") if k in match]
    return " / ".join(parts) or "—"


def add_arguments(parser) -> None:  # noqa: ANN001
    pass


def run(args) -> int:  # noqa: ANN001
    table = Table(box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False)
    for heading in ("编号", "章", "附件", "new 默认用于", "名称"):
        table.add_column(heading, no_wrap=heading != "名称", overflow="fold")
    for oid in outline_ids():
        outline = load_outline(oid, Path("."))
        annexes = "、".join(a.table for a in outline.annexes) or "—"
        name = outline.title + ("（默认）" if oid == DEFAULT_OUTLINE and "默认" not in outline.title else "")
        table.add_row(oid, str(len(outline.chapters)), annexes, _match(outline.match), name)
    console = Console(highlight=False)
    console.print(table)
    console.print(f"\n在 reportkit.yaml 中写 outline: 编号（或在 facts.yaml 的 report: 下写 outline: 编号）。要改标题、"
                  f"封面或附件，可把 {outlines_dir()} 中的文件复制到报告目录，修改后写 outline: 文件名.yaml。"
                  f"不写时使用 {DEFAULT_OUTLINE}。")
    return 0
