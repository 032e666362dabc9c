"""reportkit framework import|check: a bureau's indicator table as a framework file, and its check."""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path

from rich import box
from rich.console import Console
from rich.table import Table

from ..compute import NEEDS, Framework, parse_framework, plain_f
from ..load import BY_PATH, load_yaml

NAME = "framework"
HELP = "从评分表导入评价指标体系（import），或检查指标体系文件（check）"


def add_arguments(parser) -> None:  # noqa: ANN001
    actions = parser.add_subparsers(dest="action", metavar="操作", parser_class=type(parser), required=True)
    imp = actions.add_parser("import", help="把评价通知所附的评分表（.docx、.xlsx、.xls）读成指标体系草稿",
                             description="把评价通知所附的评分表（.docx、.xlsx、.xls）读成指标体系草稿（YAML）")
    imp.add_argument("table", type=Path, metavar="评分表", help="评分表文件")
    imp.add_argument("-o", "--output", type=Path, metavar="文件", help="草稿写到哪里（默认：与评分表同名的 .yaml）")
    imp.add_argument("--id", metavar="编号", help="指标体系编号（默认：文件名）")
    imp.add_argument("--title", metavar="名称", help="指标体系名称（默认：文件名）")
    chk = actions.add_parser("check", help="检查指标体系文件并列出读到的结构和评分规则",
                             description="检查指标体系文件：分值是否相加一致、规则参数是否完整、用到的事实是否已知")
    chk.add_argument("file", type=Path, metavar="文件", help="指标体系文件（.yaml）")


def run(args) -> int:  # noqa: ANN001
    return _import(args) if args.action == "import" else _check(args.file)


def _import(args) -> int:  # noqa: ANN001
    from ..importer import import_framework

    result = import_framework(args.table, args.output, args.id, args.title)
    draft = result.draft
    console = Console(highlight=False)
    console.print(f"已写出草稿：{result.path}")
    console.print(f"读到 {len(draft.levels)} 个一级指标、{sum(len(lv.groups) for lv in draft.levels)} 个二级指标、"
                  f"{len(draft.indicators)} 个三级指标；{draft.todos} 处待核对（文件中标 TODO）。")
    for note in draft.notes:
        console.print(f"说明：{note}")
    for problem in draft.problems:
        console.print(f"[bold]待核对：[/bold]{problem}")
    if result.error is not None:
        console.print(f"草稿还不能直接使用：{result.error}")
        console.print(f"修改后运行 reportkit framework check {result.path}")
        return 2 if draft.problems else 0
    console.print(f"草稿可以直接使用；核对 TODO 后运行 reportkit framework check {result.path}")
    return 0


def facts_needed(framework: Framework) -> list[str]:
    """Every fact the rules read, through the built-in and the framework's own metrics."""
    needs = {**NEEDS, **framework.metric_needs}
    found: list[str] = []
    for indicator in framework.indicators:
        for part in indicator.parts:
            for value in part.params.values():
                if isinstance(value, str) and (value in needs or value in BY_PATH):
                    for fact in needs.get(value, (value,)):
                        if fact not in found:
                            found.append(fact)
        if indicator.zero_if and indicator.zero_if not in found:
            found.append(indicator.zero_if)
    return found


def _rule_text(part) -> str:  # noqa: ANN001
    shown = []
    for key, value in part.params.items():
        if isinstance(value, list):  # bands
            value = "，".join(f"{b.text}→{plain_f(b.score)}" for b in value)
        elif isinstance(value, Fraction):
            value = plain_f(value)
        elif isinstance(value, dict):
            value = "，".join(f"{k}→{plain_f(v)}" for k, v in value.items())
        shown.append(f"{key}={value}")
    return f"{part.rule}（{'；'.join(shown)}）"


def _check(path: Path) -> int:
    data, located = load_yaml(path)
    framework = parse_framework(data, located)  # a ReportError names file, line and key: exit 2
    console = Console(highlight=False)
    table = Table(box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False)
    for heading in ("一级指标", "二级指标", "三级指标", "分值", "评分规则"):
        table.add_column(heading, overflow="fold", justify="right" if heading == "分值" else "left")
    for indicator in framework.indicators:
        rules = "\n".join(_rule_text(p) for p in indicator.parts)
        if indicator.zero_if:
            rules += f"\nzero_if={indicator.zero_if}"
        table.add_row(indicator.level, indicator.group, indicator.name, plain_f(indicator.weight), rules)
    console.print(table)
    shape = " / ".join(f"{lv.name} {plain_f(lv.weight)}" for lv in framework.levels)
    console.print(f"“{framework.title}”：{shape}，共 {len(framework.indicators)} 个三级指标，总分 {plain_f(framework.total)}。")
    if framework.metrics:
        console.print("自定义指标：" + "；".join(f"{m.name}（{m.title}）" for m in framework.metrics))
    console.print("评分用到的事实：" + "、".join(facts_needed(framework)))
    console.print("检查通过：分值逐级相加一致，规则参数完整，引用的事实和指标均已知。")
    return 0
