"""reportkit score: every indicator with its working, the subtotals, total and grade."""

from __future__ import annotations

from pathlib import Path

from rich.console import Console
from rich.table import Table

from ..numbers import plain
from ..report import load_scores
from ..scores_json import _num, reason, scores_to_json

NAME = "score"
HELP = "计算并显示各项指标得分"


def add_arguments(parser) -> None:  # noqa: ANN001
    parser.add_argument("dir", nargs="?", default=".", help="报告目录（默认当前目录）")
    parser.add_argument("--json", action="store_true", help="以 JSON 输出")


def run(args) -> int:  # noqa: ANN001
    _, facts, _, _, scores = load_scores(Path(args.dir))
    if args.json:
        print(scores_to_json(scores), end="")
        return 0
    scores.require_complete(facts.file)
    console = Console(highlight=False)
    table = Table(title=f"{facts.get('report.unit')} {facts.get('report.year')} 年度 · {scores.framework.title}")
    for column in ("一级", "二级", "三级指标", "分值", "计算得分", "最终得分", "依据 / 扣分原因"):
        table.add_column(column)
    for s in scores.indicators:
        basis = "；".join(p.working for p in s.parts if p)
        why = reason(s)
        final = plain(s.final)
        if s.override:
            final = f"[bold yellow]{final}（覆盖）[/]"
            basis = f"覆盖原因：{s.override.reason}；规则计算：{_num(s.computed) or '缺少事实'}"
        elif s.final < s.indicator.weight:
            final = f"[red]{final}[/]"
            basis = why or basis
        table.add_row(s.indicator.level, s.indicator.group, s.indicator.name, _num(s.indicator.weight),
                      "—" if s.judgement_only else _num(s.computed), final, basis)
    console.print(table)
    for lv in scores.levels:
        console.print(f"{lv.name}：满分 {_num(lv.weight)} 分，得分 {lv.score} 分")
    console.print(f"[bold]总分 {scores.total} 分，评价等级：{scores.grade}[/]")
    if scores.computed_total is not None and scores.computed_total != scores.total:
        console.print(f"按规则计算（不含覆盖）：{scores.computed_total} 分，{scores.computed_grade}")
    return 0
