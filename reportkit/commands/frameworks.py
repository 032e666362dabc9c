"""reportkit frameworks: the shipped scoring frameworks."""

from __future__ import annotations

from pathlib import Path

from ..framework import load_framework, plain_f, shipped_ids

NAME = "frameworks"
HELP = "列出内置的评价指标体系"


def add_arguments(parser) -> None:  # noqa: ANN001
    pass


def run(args) -> int:  # noqa: ANN001
    print("编号\t年度\t层级\t总分\t名称")
    for fid in shipped_ids():
        fw = load_framework(fid, Path("."))
        print(f"{fw.id}\t{fw.year}\t{fw.level}\t{plain_f(fw.total)}\t{fw.title}")
    return 0
