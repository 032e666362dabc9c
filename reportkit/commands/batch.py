"""reportkit batch: build many report folders at once, with 汇总.xlsx and 汇总.html."""

from __future__ import annotations

import sys
from pathlib import Path

NAME = "batch"
HELP = "批量生成多个单位的报告，并汇总为 汇总.xlsx 和 汇总.html"
EPILOG = (
    "每个参数可以是报告目录、存放报告目录的文件夹（查找两层），或目录清单文件（每行一个目录，# 开始注释）。"
    "每个单位的 Word、HTML 和 scores.json 写在 输出目录/单位名称/ 下，与单独运行 reportkit build 的结果相同。"
    "某个单位失败不影响其他单位；按 Ctrl-C 停止时，已完成的输出保留，未完成的不留半成品。"
    "退出码：全部成功为 0；有单位失败为 1；参数或目录有误为 2。"
)


def add_arguments(parser) -> None:  # noqa: ANN001
    parser.epilog = EPILOG
    parser.add_argument("paths", nargs="+", metavar="目录", help="报告目录、存放报告目录的文件夹或目录清单文件")
    parser.add_argument("-o", "--out", type=Path, help="输出目录（默认 ./批量输出）")
    parser.add_argument("-j", "--jobs", type=int, help="同时生成的进程数（默认每个 CPU 核一个）")
    parser.add_argument("--pdf", action="store_true", help="同时用 LibreOffice 转换为 PDF")
    parser.add_argument("--timeout", type=float, default=300.0, help="单个单位的最长用时（秒，默认 300）")


class _Progress:
    """A rich progress bar: done / failed / remaining and the units being built."""

    def __init__(self, total: int):
        from rich.console import Console
        from rich.progress import (
            BarColumn,
            MofNCompleteColumn,
            Progress,
            TextColumn,
            TimeElapsedColumn,
        )

        self.console = Console(stderr=True)
        self.bar = Progress(
            TextColumn("批量生成"), BarColumn(), MofNCompleteColumn(),
            TextColumn("成功 {task.fields[ok]} · 失败 {task.fields[failed]} · 剩余 {task.fields[left]}"),
            TimeElapsedColumn(), TextColumn("{task.fields[current]}"),
            console=self.console, transient=False,
        )
        self.total, self.ok, self.failed, self.current = total, 0, 0, []
        self.task = None

    def __enter__(self):  # noqa: ANN204
        self.bar.start()
        return self

    def __exit__(self, *exc) -> None:  # noqa: ANN002
        self.bar.stop()

    def event(self, kind: str, unit, result) -> None:  # noqa: ANN001
        from ..bulk import INTERRUPTED

        if self.task is None:
            self.task = self.bar.add_task("", total=self.total, ok=0, failed=0, left=self.total, current="")
        if kind == "start":
            self.current.append(unit.name)
        else:
            if unit.name in self.current:
                self.current.remove(unit.name)
            if result.ok:
                self.ok += 1
            elif result.status != INTERRUPTED:
                self.failed += 1
                self.bar.console.print(f"[red]{result.status}[/red]：{unit.name}（{unit.root}）")
        done = self.ok + self.failed
        self.bar.update(self.task, completed=done, ok=self.ok, failed=self.failed,
                        left=self.total - done, current="、".join(self.current)[:60])


def run(args) -> int:  # noqa: ANN001
    from ..bulk import INTERRUPTED, batch, find_roots

    total = len(find_roots(args.paths))  # bad paths stop here, before a bar is drawn
    with _Progress(total) as progress:
        result = batch(args.paths, out=args.out, jobs=args.jobs, pdf=args.pdf,
                       timeout=args.timeout, on_event=progress.event)
    for unit in result.units:
        for note in unit.unit.notes:
            print(f"提示：{note}", file=sys.stderr)
    stopped = [r for r in result.failed if r.status == INTERRUPTED]
    for failed in result.failed:
        if failed.status != INTERRUPTED:
            print(f"{failed.status}：{failed.unit.name}（{failed.unit.root}）：{failed.message}", file=sys.stderr)
    ok = len(result.units) - len(result.failed)
    print(f"共 {len(result.units)} 个单位：生成 {ok} 个，未生成 {len(result.failed)} 个"
          + (f"（其中 {len(stopped)} 个因中断未生成）。" if stopped else "。"))
    print(f"已生成：{result.workbook}")
    print(f"已生成：{result.page}")
    if result.interrupted:
        print("已中断：已完成的单位的输出保留，汇总只含这些单位。", file=sys.stderr)
        return 1
    return 1 if result.failed else 0
