"""reportkit diff: what changed in facts, scores and sections since a git revision, last
year's report or another report folder."""

from __future__ import annotations

import json
from pathlib import Path

NAME = "diff"
HELP = "比较报告的两个版本：变化的事实、得分（及原因）和章节"
EPILOG = (
    "旧版本：git 版本（提交、标签或分支，默认 HEAD，即工作区与最近一次提交比较）、另一个报告目录，"
    "或加 --previous 与事实文件中 previous: 指向的上一年度报告比较。"
    "用作 git 的 facts.yaml 比较工具：在 .gitattributes 中写 “content/facts.yaml diff=reportkit”，"
    "再运行 git config diff.reportkit.textconv \"reportkit diff --textconv\"，git diff 便同时显示得分的变化。"
)


def add_arguments(parser) -> None:  # noqa: ANN001
    parser.epilog = EPILOG
    parser.add_argument("old", nargs="?", metavar="旧版本", help="git 版本或报告目录（默认 HEAD）")
    parser.add_argument("dir", nargs="?", default=".", metavar="目录", help="报告目录（默认当前目录）")
    parser.add_argument("--previous", action="store_true", help="与 previous: 指向的上一年度报告比较")
    parser.add_argument("--json", action="store_true", help="以 JSON 输出")
    parser.add_argument("--textconv", metavar="事实文件", type=Path,
                        help="把事实文件转换为便于 git 比较的文本（供 diff.reportkit.textconv 使用）")


def run(args) -> int:  # noqa: ANN001
    from ..diff import diff_report, diff_text, textconv
    from ..errors import ReportError

    if args.textconv:
        if not args.textconv.is_file():
            raise ReportError("找不到事实文件", file=args.textconv)
        print(textconv(args.textconv), end="")
        return 0
    if args.previous and args.old and args.dir == ".":  # `diff --previous DIR`
        args.old, args.dir = None, args.old
    diff = diff_report(Path(args.dir), args.old, previous=args.previous)
    if args.json:
        print(json.dumps(diff.as_data(), ensure_ascii=False, indent=2))
    else:
        print(diff_text(diff))
    return 0
