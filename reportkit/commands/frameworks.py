"""reportkit frameworks: the shipped scoring frameworks, one row each."""

from __future__ import annotations

from pathlib import Path

from rich import box
from rich.console import Console
from rich.table import Table

from ..compute import load_framework, plain_f, shipped_dir, shipped_ids

NAME = "frameworks"
HELP = "列出内置的评价指标体系"


def add_arguments(parser) -> None:  # noqa: ANN001
    pass


def run(args) -> int:  # noqa: ANN001
    table = Table(box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False)
    for heading, justify in (("编号", "left"), ("年度", "right"), ("层级", "left"), ("总分", "right"),
                             ("一级指标分值", "left"), ("三级指标", "right"), ("名称", "left")):
        table.add_column(heading, justify=justify, no_wrap=heading != "名称", overflow="fold")
    for fid in shipped_ids():
        fw = load_framework(fid, Path("."))
        weights = " / ".join(plain_f(lv.weight) for lv in fw.levels)
        table.add_row(fw.id, str(fw.year), fw.level, plain_f(fw.total), weights, str(len(fw.indicators)), fw.title)
    console = Console(highlight=False)
    console.print(table)
    console.print(f"\n在 facts.yaml 中写 report.framework: 编号。要调整分值或增删指标，可把 {shipped_dir()} 中的文件"
                  "复制到报告目录，修改后写 report.framework: 文件名.yaml。")
    return 0
