"""reportkit check: every error, warning, to-do and override of a report folder, with file:line."""

from __future__ import annotations

import json
from pathlib import Path

from ..check import CheckResult, check_report
from ..findings import ERROR, GROUPS, NOTICE, SEVERITIES, TODO, WARNING, Finding

NAME = "check"
HELP = "检查报告：事实是否有效、章节是否齐全、正文数字与事实和得分是否一致、哪些得分被覆盖"
EPILOG = (
    "错误：报告有误或无法生成；警告：很可能有误（可疑的事实、与事实或得分不符的正文数字）；"
    "待办：尚未完成的部分（待填的事实、待写的章节、缺少事实的指标），不是错误；提示：覆盖得分等需要知道的情况。"
    "退出码：有错误为 2；使用 --strict 时有警告为 1；否则为 0（待办和提示不影响退出码）。"
)


def add_arguments(parser) -> None:  # noqa: ANN001
    parser.epilog = EPILOG
    parser.add_argument("dir", nargs="?", default=".", help="报告目录（默认当前目录）")
    parser.add_argument("--strict", action="store_true", help="有警告时也以退出码 1 结束（用于 CI 和 pre-commit）")
    parser.add_argument("--json", action="store_true", help="以 JSON 输出全部发现")
    parser.add_argument("--explain", action="store_true",
                        help="同时列出正文中未与事实比较的数字及原因（说的是项目、其他年度、约数等）")


def _entry(finding: Finding, base: str) -> list[str]:
    where = finding.location(base)
    head = f"  {SEVERITIES[finding.severity]}  {where + '：' if where else ''}{finding.text()}"
    return [head] + ([f"        建议改为：{finding.suggestion}"] if finding.suggestion else [])


def render(result: CheckResult, base: str, explain: bool = False) -> str:
    lines = [f"检查报告目录：{base}"]
    shown = [f for f in result.findings if f.severity != TODO]
    for group, title in GROUPS.items():
        members = [f for f in shown if f.group == group]
        if not members:
            continue
        counts = "，".join(f"{SEVERITIES[s]} {n}" for s in (ERROR, WARNING, NOTICE)
                          if (n := sum(1 for f in members if f.severity == s)))
        lines += ["", f"【{title}】{counts}"]
        for finding in members:
            lines += _entry(finding, base)
    todos = result.of(TODO)
    if todos:
        lines += ["", f"【待办】还有 {len(todos)} 项尚未完成（不是错误；完成后才能生成报告）"]
        for group, title in GROUPS.items():
            members = [f for f in todos if f.group == group]
            if members:
                lines.append(f"  {title}（{len(members)}）")
                lines += [f"    {f.location(base)}  {f.message}" for f in members]
    if explain and result.skipped:
        lines += ["", f"【未比较的数字】{len(result.skipped)} 处（不是问题：说明这些数字为何没有与事实比较）"]
        lines += [f"  {f.location(base)}：{f.message}" for f in result.skipped]
    if result.silenced:
        lines += ["", f"已忽略 {len(result.silenced)} 项发现（正文行中的 {{# noqa #}}，或 reportkit.yaml 的 check.ignore）"]
    counts = result.counts()
    if not any(counts.values()):
        lines += ["", "没有发现问题。"]
    else:
        lines += ["", "合计：" + "，".join(f"{SEVERITIES[s]} {counts[s]} 项" for s in SEVERITIES) + "。"]
    return "\n".join(lines)


def run(args) -> int:  # noqa: ANN001
    result = check_report(Path(args.dir))
    if args.json:
        data = {**result.as_data(), "exit_code": result.exit_code(args.strict)}
        if args.explain:
            data["skipped"] = [f.as_data() for f in result.skipped]
        print(json.dumps(data, ensure_ascii=False, indent=2))
    else:
        print(render(result, args.dir, args.explain))
    return result.exit_code(args.strict)
