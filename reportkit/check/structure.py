"""The shape of the text, for `reportkit check`: what a reader notices before any figure.

  - list numbers at the start of lines that repeat or skip (two “4、”, “(1) (3)”);
  - placeholders and template prompts left in (“XX”, “××”, “（简要说明……）”);
  - the 存在问题 section against the scores: an indicator named there as 扣分/失分 that lost
    no points (a warning), an indicator that lost points and is not mentioned (a notice);
  - the 自评表 (`targets:`) against the budget: its 预算数 and 执行数 totals.
"""

from __future__ import annotations

import re
from fractions import Fraction

from ..findings import NOTICE, SECTIONS, WARNING, Finding
from ..numbers import money
from .text import Text

_CN = "一二三四五六七八九十"
# (style, pattern): the number's style decides its level; each style is counted on its own.
_MARKERS: tuple[tuple[str, re.Pattern], ...] = (
    ("一、", re.compile(rf"^([{_CN}]{{1,3}})\s*、")),
    ("（一）", re.compile(rf"^[(]([{_CN}]{{1,3}})[)]")),
    ("1、", re.compile(r"^(\d{1,2})\s*、")),
    ("1.", re.compile(r"^(\d{1,2})\s*[.．](?!\d)")),
    ("（1）", re.compile(r"^[(](\d{1,2})[)]")),
    ("①", re.compile(r"^([①-⑳])")),
)


def _number(style: str, text: str) -> int | None:
    if style == "①":
        return ord(text) - ord("①") + 1
    if text.isdigit():
        return int(text)
    digits = {c: i + 1 for i, c in enumerate(_CN)}
    if text == "十":
        return 10
    if len(text) == 1:
        return digits.get(text)
    if text[0] == "十":
        return 10 + digits.get(text[1], 0)
    if len(text) == 2 and text[1] == "十":
        return digits.get(text[0], 0) * 10
    if len(text) == 3 and text[1] == "十":
        return digits.get(text[0], 0) * 10 + digits.get(text[2], 0)
    return None


def _shown(style: str, n: int) -> str:
    if style == "①":
        return chr(ord("①") + n - 1)
    if style in ("一、", "（一）"):
        cn = _CN[n - 1] if n <= 10 else ("十" + _CN[n - 11] if n < 20 else str(n))
        return f"{cn}、" if style == "一、" else f"（{cn}）"
    return {"1、": f"{n}、", "1.": f"{n}.", "（1）": f"（{n}）"}[style]


def numbering(file: str, texts: list[Text]) -> list[Finding]:
    """List numbers at the start of lines: a number written twice or one left out."""
    out: list[Finding] = []
    stack: list[list] = []  # [style, last number], outermost first
    for text in texts:
        line = re.sub(r"^\s*(?:#+\s*)?", "", text.text)
        if "|" in line or "\t" in line or re.match(r"(?:附注|注|备注|说明)\s*[:：]", line):
            stack = []  # a table or a note between: what follows may be another list
            continue
        if re.match(r"\d{1,2}[.．]\d", line):  # “2.90%＞…”: an item number glued to a figure
            stack = [entry for entry in stack if entry[0] != "1."]
            continue
        found = next(((style, m) for style, pattern in _MARKERS if (m := pattern.match(line))), None)
        if found is None:
            continue
        style, m = found
        n = _number(style, m[1])
        if n is None:
            continue
        level = next((i for i, (s, _) in enumerate(stack) if s == style), None)
        if level is None:
            stack.append([style, n])
            continue
        del stack[level + 1:]  # a new item of this level ends the lists inside the last one
        last = stack[level][1]
        stack[level][1] = n
        if n == last:
            out.append(Finding(WARNING, SECTIONS, f"编号重复：“{_shown(style, n)}”前一项也是“{_shown(style, last)}”",
                               file, text.line(m.start()), expected=f"“{_shown(style, n + 1)}”"))
        elif n > last + 1:
            missing = "、".join(f"“{_shown(style, k)}”" for k in range(last + 1, n))
            out.append(Finding(WARNING, SECTIONS, f"编号跳号：“{_shown(style, last)}”之后是“{_shown(style, n)}”，缺少{missing}",
                               file, text.line(m.start()), expected=f"“{_shown(style, last + 1)}”"))
    return out


_PLACEHOLDER = re.compile(r"(?<![A-Za-z])(?:XX+|xx+|ＸＸ+|××+|○○+|□□+|＿＿+|__+)(?![A-Za-z])")
_PROMPT = re.compile(
    r"[(\[【](?:简要|请|此处|在此处?|根据实际|按实际)[^()\[\]【】]{0,40}?"
    r"(?:说明|填写|描述|列出|列明|概述|阐述|补充|分析|介绍|填报|完善)[^()\[\]【】]{0,30}[)\]】]"
    r"|待补充|待完善|待填写|此处填写|TODO|TBD"
)


def placeholders(file: str, texts: list[Text]) -> list[Finding]:
    out = []
    for text in texts:
        for m in _PLACEHOLDER.finditer(text.text):
            if text.by_author(m.start(), m.end()):
                out.append(Finding(WARNING, SECTIONS, f"正文中留有占位符“{m[0]}”", file, text.line(m.start()),
                                   expected="实际的名称、年份或数字"))
        for m in _PROMPT.finditer(text.text):
            if text.by_author(m.start(), m.end()):
                out.append(Finding(WARNING, SECTIONS, f"正文中留有模板提示“{m[0]}”", file, text.line(m.start()),
                                   expected="按提示写好内容后删去提示"))
    return out


_LOST_WORDS = re.compile(r"扣分|失分|未得满分|扣除|丢分|减分")


def _keys(name: str, names: list[str]) -> list[str]:
    """Words that name this indicator in prose: its name, or a part of it no other indicator has."""
    core = re.sub(r"情况$|^公众或服务对象|^部门", "", name)
    keys = [name, core] if core != name else [name]
    for width in (4, 3):
        for k in range(len(core) - width + 1):
            piece = core[k:k + width]
            if not any(piece in other for other in names if other != name):
                keys.append(piece)
    return keys


def problems(file: str, texts: list[Text], scores) -> list[Finding]:  # noqa: ANN001
    """The 存在问题 section against the indicators' scores: one named there as 扣分 that lost no
    points (a warning); when the section goes indicator by indicator (“涉及扣分指标为……”),
    the indicators that lost points and are not named (one notice)."""
    names = [s.indicator.name for s in scores.indicators]
    whole = "".join(t.text for t in texts)
    sentences = re.findall(r"[^。;]+", whole)
    # the section goes indicator by indicator: some sentence names an indicator as 扣分
    by_indicator = any(_LOST_WORDS.search(x) and any(k in x for name in names for k in _keys(name, names)[:2])
                       for x in sentences)
    out, unnamed = [], []
    for s in scores.indicators:
        if s.final is None:
            continue
        keys = _keys(s.indicator.name, names)
        lost = Fraction(s.final) < Fraction(s.indicator.weight)
        if lost and not any(k in whole for k in keys):
            unnamed.append(f"“{s.indicator.name}”（{s.final} / {s.indicator.weight} 分）")
        if lost:
            continue
        for text in texts:
            for m in re.finditer(r"[^。;]+", text.text):
                if any(k in m[0] for k in keys[:2]) and _LOST_WORDS.search(m[0]):
                    out.append(Finding(WARNING, SECTIONS,
                                       f"存在问题中称“{s.indicator.name}”失分，但该指标得满分"
                                       f"（{s.final} / {s.indicator.weight} 分）", file, text.line(m.start()),
                                       expected="删去或改为实际失分的指标"))
                    break
            else:
                continue
            break
    if unnamed and by_indicator:
        out.append(Finding(NOTICE, SECTIONS, "存在问题中未提及以下失分指标：" + "、".join(unnamed), file,
                           expected="逐项说明失分原因和改进措施（如不需要说明，可忽略本提示）"))
    return out


def targets_totals(facts, facts_file: str) -> list[Finding]:  # noqa: ANN001
    """The 自评表's 预算数 and 执行数 totals against the budget facts."""
    targets = getattr(facts, "targets", None)
    if not targets or not targets.tasks:
        return []
    out = []
    line = facts.line("targets") if hasattr(facts, "line") else None
    # A blank cell (null or '') leaves its column's total partial: that total is not compared.
    budgets, spents = [t.budget for t in targets.tasks], [t.spent for t in targets.tasks]
    budget = None if None in budgets else sum((Fraction(v) for v in budgets), Fraction(0))
    spent = None if None in spents else sum((Fraction(v) for v in spents), Fraction(0))
    slack = Fraction(1, 100) * len(targets.tasks)
    candidates = [(k, facts.get(k)) for k in ("budget.adjusted", "budget.initial") if facts.get(k) is not None]
    if budget is not None and candidates and not any(abs(budget - Fraction(v)) <= slack for _, v in candidates):
        shown = "、".join(f"{'调整后预算' if k == 'budget.adjusted' else '年初预算'} {money(v)} 万元" for k, v in candidates)
        out.append(Finding(WARNING, "facts", f"自评表各项预算数合计 {money(budget)} 万元，与{shown}都不一致",
                           facts_file, line, "targets.tasks", "各项任务的预算数之和等于部门预算（尾差不超过每项 0.01 万元）"))
    total = facts.get("budget.spent")
    if total is not None and spent is not None and abs(spent - Fraction(total)) > slack:
        out.append(Finding(WARNING, "facts", f"自评表各项执行数合计 {money(spent)} 万元，与全年支出 {money(total)} 万元不一致",
                           facts_file, line, "targets.tasks", "各项任务的执行数之和等于全年支出"))
    return out


def check_structure(rendered: list, scores, outline, normalized: list) -> list[Finding]:  # noqa: ANN001
    """Numbering and placeholders in every file; the 存在问题 section against the scores.
    `normalized`: each file's lines normalized (check_numbers reads the same)."""
    out: list[Finding] = []
    problem_files = {s.file for s in outline.files() if s.file and "存在问题" in s.title} if outline else set()
    for file, texts in zip(rendered, normalized, strict=True):
        out += numbering(file.file, texts)
        out += placeholders(file.file, texts)
        if scores is not None and file.file.removeprefix("content/") in problem_files:
            out += problems(file.file, texts, scores)
    return out
