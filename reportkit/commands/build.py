"""reportkit build: the official Word file and scores.json from a report folder."""

from __future__ import annotations

import time
from pathlib import Path

from ..build import build

NAME = "build"
HELP = "生成正式 Word 报告和 scores.json"


def add_arguments(parser) -> None:  # noqa: ANN001
    parser.add_argument("dir", nargs="?", default=".", help="报告目录（默认当前目录）")
    parser.add_argument("--template", type=Path, help="自定义 Word 模板（.docx）")
    parser.add_argument("--pdf", action="store_true", help="同时用 LibreOffice 转换为 PDF")


def run(args) -> int:  # noqa: ANN001
    start = time.perf_counter()
    result = build(Path(args.dir), args.template, pdf=args.pdf)
    for note in result.notes:
        print(f"提示：{note}")
    for path in result.outputs:
        print(f"已生成：{path}")
    scores = result.report.scores
    print(f"总分 {scores.total} 分，评价等级：{scores.grade}（用时 {time.perf_counter() - start:.2f} 秒）")
    for name in result.report.unknown_files:
        print(f"提示：content/{name} 不属于固定章节，未写入报告")
    return 0
