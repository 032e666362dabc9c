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
                             ("一级指标（分值）", "left"), ("三级指标", "right"), ("名称与来源", "left")):
        table.add_column(heading, justify=justify, no_wrap=heading in ("编号", "年度", "层级", "总分", "三级指标"),
                         overflow="fold")
    for fid in shipped_ids():
        fw = load_framework(fid, Path("."))
        shape = "\n".join(f"{lv.name} {plain_f(lv.weight)}" for lv in fw.levels)
        about = fw.title + (f"\n来源：{fw.source}" if fw.source else "")
        table.add_row(fw.id, str(fw.year or "—"), fw.level, plain_f(fw.total), shape, str(len(fw.indicators)), about)
    console = Console(highlight=False)
    console.print(table)
    console.print(f"\n在 facts.yaml 中写 report.framework: 编号。要调整分值或增删指标，可把 {shipped_dir()} 中的文件"
                  "复制到报告目录，修改后写 report.framework: 文件名.yaml。")
    return 0
