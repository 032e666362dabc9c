"""reportkit schema: the JSON Schema of the facts file, for editors."""

from __future__ import annotations

from pathlib import Path

from ..errors import ReportError, os_reason
from ..load import SCHEMA_FILE, schema_json, write_text_atomic

NAME = "schema"
HELP = "输出事实文件的 JSON Schema（draft 2020-12），供编辑器提示键名、单位并检查类型"
EPILOG = (
    f"reportkit new 会把它写入报告目录的 {SCHEMA_FILE}，事实文件第一行"
    "“# yaml-language-server: $schema=…”指向它；升级 reportkit 后可用 -o 重新生成。"
)


def add_arguments(parser) -> None:  # noqa: ANN001
    parser.epilog = EPILOG
    parser.add_argument("-o", "--output", type=Path, help="写入此文件（默认输出到终端）")
    parser.add_argument("--framework", action="store_true",
                        help="输出评价指标体系文件（frameworks/*.yaml）的 JSON Schema，而不是事实文件的")


def run(args) -> int:  # noqa: ANN001
    if args.framework:
        from ..compute import framework_schema_json

        text = framework_schema_json()
    else:
        text = schema_json()
    if args.output is None:
        print(text, end="")
        return 0
    if args.output.is_dir():
        raise ReportError("这是一个目录，不是文件", file=args.output, expected=f"文件路径，如 {SCHEMA_FILE}")
    try:
        write_text_atomic(args.output, text)
    except OSError as exc:
        raise ReportError(f"无法写入（{os_reason(exc)}）", file=args.output) from None
    print(f"已写入：{args.output}")
    return 0
