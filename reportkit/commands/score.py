"""reportkit score: every indicator with its working, the subtotals, total and grade.

The terminal layout is one row per indicator (分值, 计算得分, 最终得分) under its 一级 and 二级
rows with their subtotals; the working follows on indented lines, so it reads at 100 columns.
"""

from __future__ import annotations

import re
from pathlib import Path

from rich import box
from rich.cells import cell_len
from rich.console import Console, ConsoleOptions
from rich.measure import Measurement
from rich.padding import Padding
from rich.table import Table
from rich.text import Text

from ..assemble import load_scores
from ..compute import IndicatorScore, Scores, is_judgement_part
from ..render import json_number, scores_to_json

NAME = "score"
HELP = "计算并显示各项指标得分"
EPILOG = (
    "退出码（与 build 相同）：全部指标都能计算得分时为 0；有指标缺少事实、总分无法合计时为 2，"
    "此时仍输出已能计算的部分（JSON 中各指标缺少的事实列在 working.missing_facts），并在标准错误输出中列出缺少的事实；"
    "事实或指标体系有误时为 2。"
)


def add_arguments(parser) -> None:  # noqa: ANN001
    parser.epilog = EPILOG
    parser.add_argument("dir", nargs="?", default=".", help="报告目录（默认当前目录）")
    parser.add_argument("--json", action="store_true", help="以 JSON 输出（含每项指标的计算过程）")


def run(args) -> int:  # noqa: ANN001
    _, facts, _, _, scores = load_scores(Path(args.dir))
    if args.json:  # the same exit rule as the table: the JSON first, then the missing facts
        print(scores_to_json(scores), end="")
        scores.require_complete(facts.file)
        return 0
    console = Console(highlight=False)
    title = f"{facts.get('report.unit')} {facts.get('report.year')} 年度 · {scores.framework.title}（{scores.framework.id}）"
    console.print(table(scores, title))
    for line in summary(scores):
        console.print(Folded(line, "bold" if line.startswith("总分") else ""))
    scores.require_complete(facts.file)
    return 0


def working_lines(s: IndicatorScore) -> list[str]:
    """The lines under an indicator: how each part scored, the facts read, override, missing facts."""
    lines = []
    for number, (part, result) in enumerate(zip(s.indicator.parts, s.parts, strict=True), start=1):
        name = part.label or f"第{number}条"
        if result is None:
            continue
        if is_judgement_part(part.rule, part.params):
            lines += [f"{name} 扣 {json_number(d)} 分：{r}" for d, r in result.deductions]
        else:
            lines.append(f"{name}：{result.working}" if part.label or len(s.parts) > 1 else result.working)
    if s.zeroed:
        lines.append(s.zeroed)
    if s.facts:
        lines.append("事实：" + "；".join(f"{f.title} {f.value}" for f in s.facts))
    if s.missing:
        lines.append("缺少事实：" + "、".join(s.missing))
    lines += [f"无法计算：{z.text}" for z in s.zero_divisors]
    if s.override:
        computed = f"按规则计算 {s.computed} 分" if s.computed is not None else (
            "缺少事实，按规则无法计算" if not s.zero_divisors else "分母为 0，按规则无法计算")
        lines.append(f"覆盖为 {s.final} 分（{computed}），原因：{s.override.reason}")
    if s.declared_differs:
        shown = "空白" if s.declared is None else f"{s.declared} 分"
        lines.append(f"单位填报 {shown}，与计算不同：{s.declared_note}")
    return lines


def table(scores: Scores, title: str) -> Table:
    grid = Table(title=title, box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False, expand=False)
    grid.add_column("指标", ratio=1, overflow="fold")
    declared = any(s.declared_given for s in scores.indicators)
    for heading in ("分值", "计算", "得分", *(("填报",) if declared else ())):
        grid.add_column(heading, justify="right", no_wrap=True)
    blank = ("",) * declared
    subtotals = {sub.name: sub for sub in scores.groups}
    for level in scores.framework.levels:
        sub = next(lv for lv in scores.levels if lv.name == level.name)
        grid.add_row(Text(level.name, style="bold"), json_number(level.weight), "", _shown(sub.score), *blank, style="bold")
        for group in level.groups:
            grid.add_row(Padding(group.name, (0, 0, 0, 2)), json_number(group.weight), "", _shown(subtotals[group.name].score),
                         *blank)
            for s in (r for r in scores.indicators if r.indicator.level == level.name and r.indicator.group == group.name):
                grid.add_row(Padding(s.indicator.name, (0, 0, 0, 4)), json_number(s.indicator.weight),
                             "—" if s.judgement_only and s.computed is not None else _shown(s.computed), _final(s),
                             *((_declared(s),) if declared else ()))
                for line in working_lines(s):
                    grid.add_row(Padding(Folded(line, "dim"), (0, 0, 0, 6)), "", "", "", *blank)
    return grid


class Folded:
    """Text wrapped for Chinese: a line may break between any two Chinese characters, but
    never inside a number or a Latin word ("5.4130", "[90, inf)" stay whole when they fit)."""

    _TOKENS = re.compile(r"[A-Za-z0-9.,%+\-_]+|\s+|.")

    def __init__(self, text: str, style: str = ""):
        self.text, self.style = text, style

    def __rich_measure__(self, console: Console, options: ConsoleOptions) -> Measurement:
        return Measurement(min(8, options.max_width), min(cell_len(self.text), options.max_width))

    def __rich_console__(self, console: Console, options: ConsoleOptions):  # noqa: ANN204
        width, line = options.max_width, ""
        for token in self._TOKENS.findall(self.text):
            if line and cell_len(line + token.rstrip()) > width:
                yield Text(line.rstrip(), style=self.style)
                line = token.lstrip()
            else:
                line += token
        yield Text(line.rstrip(), style=self.style)


def _shown(value) -> str:  # noqa: ANN001
    return "缺" if value is None else str(value)


def _final(s: IndicatorScore) -> Text:
    if s.final is None:
        return Text("缺", style="bold red")
    if s.differs:
        return Text(f"{s.final}*", style="bold yellow")
    return Text(str(s.final), style="red" if s.final < s.indicator.weight else "")


def _declared(s: IndicatorScore) -> Text:
    if not s.declared_given:
        return Text("")
    text = "空" if s.declared is None else str(s.declared)
    return Text(text + ("≠" if s.declared_differs else ""), style="magenta" if s.declared_differs else "")


def summary(scores: Scores) -> list[str]:
    """The total and grade; the overrides and the total the rules give when they differ."""
    lines = []
    if scores.total is None:
        lines.append("总分：尚有指标缺少事实，无法合计" if any(s.missing for s in scores.missing)
                     else "总分：尚有指标无法计算得分（分母为 0），无法合计")
        return lines
    lines.append(f"总分 {scores.total} 分，评价等级：{scores.grade}")
    lines += _declared_summary(scores)
    overridden = [s for s in scores.indicators if s.differs]
    if overridden:
        items = "、".join(
            f"{s.indicator.name} {s.final}（{'按规则 ' + str(s.computed) if s.computed is not None else '缺少事实，无法计算'}）"
            for s in overridden
        )
        lines.append(f"* 覆盖得分 {len(overridden)} 项：{items}")
        if scores.computed_total is not None:
            lines.append(f"按规则计算（不含覆盖）：{scores.computed_total} 分，评价等级：{scores.computed_grade}")
        else:
            lines.append("按规则计算的总分：有指标缺少事实，无法合计")
    return lines


def _declared_summary(scores: Scores) -> list[str]:
    """The unit's own total and the indicators where it differs from the rules."""
    if scores.declared_total is None and not any(s.declared_given for s in scores.indicators):
        return []
    source = f"（{scores.declared_source}）" if scores.declared_source else ""
    head = f"单位填报{source}"
    if scores.declared_total is not None:
        head += f"：综合评分 {scores.declared_total} 分" + (f"，评分等级：{scores.declared_grade}" if scores.declared_grade else "")
    differing = scores.declared_differences
    if not differing:
        return [head + "；各项填报得分与计算得分一致"]
    kept = [s for s in differing if s.override is not None and s.override.score == s.declared]
    names = "、".join(s.indicator.name + ("（已覆盖为填报得分）" if s in kept else "") for s in differing)
    lines = [head, f"≠ 填报得分与计算得分不同 {len(differing)} 项：{names}。"]
    if len(kept) < len(differing):
        lines[-1] += "采用计算得分无需操作；坚持填报得分的，请在 overrides 中写明得分和原因"
    return lines
