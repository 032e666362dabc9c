"""reportkit names: every name a section may use in {{ }}, with its meaning, value and unit."""

from __future__ import annotations

import json
from pathlib import Path

from rich import box
from rich.console import Console
from rich.table import Table

from ..assemble import names_of_report

NAME = "names"
HELP = "列出正文 {{ }} 中可用的全部名称，及其含义、当前值和单位"
EPILOG = "例如 {{ budget.project_execution_rate | pct }}；值为空的名称，“说明”一栏写出还需填写的事实。"


def add_arguments(parser) -> None:  # noqa: ANN001
    parser.epilog = EPILOG
    parser.add_argument("dir", nargs="?", default=".", help="报告目录（默认当前目录）")
    parser.add_argument("--json", action="store_true", help="以 JSON 输出")
    parser.add_argument("--grep", metavar="词", help="只列出名称或含义中含有此词的（如 --grep 项目）")


def run(args) -> int:  # noqa: ANN001
    rows = names_of_report(Path(args.dir))
    if args.grep:
        rows = [r for r in rows if args.grep in r.name or args.grep in r.title]
    if args.json:
        data = [{"name": r.name, "title": r.title, "value": r.value or None, "unit": r.unit or None,
                 "note": r.note or None} for r in rows]
        print(json.dumps(data, ensure_ascii=False, indent=2))
        return 0
    grid = Table(box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False)
    grid.add_column("名称", no_wrap=True)  # copied into {{ }}: never broken
    for heading in ("含义", "当前值", "单位", "说明"):
        grid.add_column(heading, overflow="fold")
    for r in rows:
        grid.add_row(r.name, r.title, r.value, r.unit, r.note)
    console = Console(highlight=False)
    console.print(grid)
    console.print(f"共 {len(rows)} 个名称。用法：{{{{ 名称 }}}}，金额加 | wan，比率加 | pct。")
    return 0
