"""reportkit new: a new report folder with every file the author fills in."""

from __future__ import annotations

import re
from pathlib import Path

from ..errors import ReportError
from ..load import BY_PATH, expected
from ..scaffold import scaffold

NAME = "new"
HELP = "新建报告目录：带注释的事实文件、固定提纲的全部章节文件、reportkit.yaml 和 .gitignore"
EPILOG = (
    "新建之后：运行 reportkit check 查看待办清单（待填的事实、待写的章节、缺少事实的指标），"
    "这是待办而不是错误；待办全部完成之前，reportkit build 会停止（退出码 2）并列出同样的清单，"
    "不会生成带空白或占位内容的报告。"
)


def add_arguments(parser) -> None:  # noqa: ANN001
    parser.epilog = EPILOG
    parser.add_argument("dir", help="新建的报告目录（须不存在或为空）")
    parser.add_argument("--year", help="评价年度，如 2023（必填）")
    parser.add_argument("--unit", help="部门（单位）名称，写在封面上（必填）")
    parser.add_argument("--framework", default="city-2021", help="评价指标体系编号（默认 city-2021；reportkit frameworks 列出全部）")
    parser.add_argument("--level", default="市", help="层级：市 或 区（默认 市）")
    parser.add_argument("--kind", default="部门", help="主体类型：部门 或 单位（默认 部门）")
    parser.add_argument("--from", dest="last", type=Path, metavar="去年的目录",
                        help="从上一年度的报告目录开始：同一单位、提纲和评价指标体系，复制章节，事实清空并以注释列出去年的值，设置 previous:")
    parser.add_argument("--outline", help="报告提纲编号（reportkit outlines 列出全部；默认按框架、层级和主体类型选择）")


def run(args) -> int:  # noqa: ANN001
    if args.last is not None:
        return _from_last(args)
    for option, value, spec in (("--year", args.year, "report.year"), ("--unit", args.unit, "report.unit")):
        if value is None:
            raise ReportError(f"缺少 {option}", key=option, expected=f"{BY_PATH[spec].title}，如 "
                              "reportkit new 2023年度报告 --year 2023 --unit 深圳市某某局")
    if not re.fullmatch(r"\d{4}", args.year.strip()):
        raise ReportError(f"年度“{args.year}”不合理", key="--year", expected=expected(BY_PATH["report.year"]))
    root = Path(args.dir)
    files = scaffold(root, year=int(args.year), unit=args.unit, framework=args.framework, level=args.level,
                     kind=args.kind, outline=args.outline)
    print(f"已新建报告目录 {root}（{len(files)} 个文件）：")
    for path in files:
        print(f"  {path.relative_to(root).as_posix()}")
    print(f"下一步：填写 {root / 'content' / 'facts.yaml'} 并写各章节，随时运行 reportkit check {root} 查看待办。")
    return 0


def _from_last(args) -> int:  # noqa: ANN001
    from ..scaffold import scaffold_from

    year = None
    if args.year is not None:
        if not re.fullmatch(r"\d{4}", args.year.strip()):
            raise ReportError(f"年度“{args.year}”不合理", key="--year", expected=expected(BY_PATH["report.year"]))
        year = int(args.year)
    root = Path(args.dir)
    files = scaffold_from(root, args.last, year)
    print(f"已从 {args.last} 新建报告目录 {root}（{len(files)} 个文件），章节已复制，事实文件中以注释列出去年的值。")
    print(f"下一步：填写 {root / 'content' / 'facts.yaml'}，修改各章节，随时运行 reportkit check {root} 查看待办。")
    return 0
