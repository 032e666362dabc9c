"""reportkit import: last year's Word report → a new report folder to start from."""

from __future__ import annotations

from pathlib import Path

from ..errors import ReportError
from ..importer import default_target, import_report

NAME = "import"
HELP = "把已有的 Word 报告（.docx）导入为新的报告目录：按固定提纲拆分章节，读出封面、自评得分和数字"


def add_arguments(parser) -> None:  # noqa: ANN001
    parser.add_argument("docx", help="要导入的 Word 报告（.docx）")
    parser.add_argument("dir", nargs="?", help="新建的报告目录（须不存在或为空；默认以文件名在当前目录下新建）")
    parser.add_argument("--framework", help="评价指标体系编号（默认按原报告的层级和年度选择；reportkit frameworks 列出全部）")
    parser.add_argument("--year", type=int, help="评价年度（封面标题中没有年度时使用）")
    parser.add_argument("--unit", help="部门（单位）名称（封面中没有时使用）")


def run(args) -> int:  # noqa: ANN001
    source = Path(args.docx)
    target = Path(args.dir) if args.dir else default_target(source)
    if args.year is not None and not 1990 <= args.year <= 2100:
        raise ReportError(f"年度 {args.year} 不合理", key="--year", expected="四位数年份，如 2023")
    result = import_report(source, target, framework=args.framework, year=args.year, unit=args.unit)
    print(result.summary)
    return 0
