"""Tables an author places in a section, built from the facts: {{ tables.quarterly() }}.

Each table is Markdown text, so the Word file and the HTML render it like a table the author
typed: an optional caption paragraph ("表2-1 分季度预算执行情况"), the unit line
("单位：万元") and a pipe table. A caption given as a title only is numbered per chapter:
the number counts the caption paragraphs ("表N-M …") of the chapter up to and including this
one, so a table typed by hand and a generated one share the sequence.
"""

from __future__ import annotations

from collections.abc import Callable
from fractions import Fraction
from typing import Any

from ..compute import FOR_TABLE, zero_divisor
from ..errors import ReportError
from ..numbers import money, percent
from .markdown import CAPTION_RE

# Stands for the chapter number of a caption until the section is numbered (a private-use
# character: it cannot occur in a report).
NUMBER_MARK = "\ue010"
QUARTER_NAMES = ("第一季度", "第二季度", "第三季度", "第四季度")
DASH = "—"


def _cell(text: str) -> str:
    return text.replace("|", "\\|")


def _table(header: list[str], rows: list[list[str]], caption: Any) -> str:
    lines = []
    if caption is not None:
        if not isinstance(caption, str) or not caption.strip():
            raise ReportError("表格标题 caption 需要一段文字", expected='caption="分季度预算执行情况" 或 caption="表2-1 分季度预算执行情况"')
        title = " ".join(caption.split())
        lines += [title if CAPTION_RE.match(title) else f"表{NUMBER_MARK} {title}", ""]
    lines += ["单位：万元", ""]
    lines.append("| " + " | ".join(header) + " |")
    # The label column reads from the left; amounts and rates line up on the right.
    lines.append("| " + " | ".join(["---", *("---:" for _ in header[1:])]) + " |")
    lines += ["| " + " | ".join(_cell(c) for c in row) + " |" for row in rows]
    return "\n".join(lines) + "\n"


def _missing(table: str, needs: str) -> ReportError:
    return ReportError(f"{table}需要先在事实文件中填写 {needs}", key=table,
                       expected="在 content/facts.yaml 中填写这些事实，或不使用这张表")


def _wan(value: Any) -> str:
    return DASH if value is None else money(value)


def _pct(value: Any) -> str:
    return DASH if value is None else percent(value)


def _sum(values: Any) -> Fraction | None:
    values = list(values)
    return None if None in values else sum((Fraction(v) for v in values), Fraction(0))


def _done(on_time: bool | None, reason: str) -> str:
    if on_time is None:  # not due this year (跨年度) or not stated
        return DASH
    return "按时完成" if on_time else f"未按时完成（{reason}）"


def make_tables(metrics: dict[str, Any]) -> dict[str, Callable[..., str]]:
    """The `tables` name of the template context: one callable per table."""

    def quarterly(caption: Any = None) -> str:
        quarters = metrics.get("quarters")
        zero = zero_divisor("quarterly.rates", metrics) if not quarters else None
        if zero is not None:
            raise ReportError(f"tables.quarterly（分季度预算执行情况表）无法生成：{zero.text}", key="tables.quarterly",
                              expected=FOR_TABLE.removeprefix("请"))
        if not quarters:
            raise _missing("tables.quarterly（分季度预算执行情况表）",
                           "quarterly.cumulative_spent（及 budget.adjusted）或 quarterly.progress")
        budget = _wan(metrics.get("budget.adjusted")) if quarters[0]["cumulative"] is not None else DASH
        rows = [
            [QUARTER_NAMES[k], _wan(q["cumulative"]), budget, percent(q["progress"]), percent(q["schedule"]),
             percent(q["rate"])]
            for k, q in enumerate(quarters)
        ]
        rows.append(["全年平均执行率", "", "", "", "", percent(metrics["quarterly.average_rate"])])
        header = ["季度", "累计支出（万元）", "全年预算（万元）", "支出进度", "序时进度", "执行率"]
        return _table(header, rows, caption)

    def ratio_table(name: str, title: str, whole: str, part: str, rate: str, header: list[str],
                    caption: Any) -> str:
        """One row: two amounts and the rate between them (— when it cannot be computed)."""
        if metrics.get(whole) is None or metrics.get(part) is None:
            raise _missing(f"tables.{name}（{title}）", f"{whole}、{part}")
        value = metrics.get(rate)
        row = [money(metrics[whole]), money(metrics[part]), percent(value) if value is not None else DASH]
        return _table(header, [row], caption)

    def procurement(caption: Any = None) -> str:
        return ratio_table("procurement", "政府采购执行情况表", "procurement.plan", "procurement.actual",
                           "procurement.rate", ["采购计划金额", "实际采购金额", "政府采购执行率"], caption)

    def fixed_assets(caption: Any = None) -> str:
        return ratio_table("fixed_assets", "固定资产利用情况表", "fixed_assets.total", "fixed_assets.in_use",
                           "fixed_assets.use_rate", ["固定资产总额", "在用固定资产", "固定资产利用率"], caption)

    def projects(caption: Any = None) -> str:
        """One row per project of projects.list, with its execution rate and whether it was on time."""
        items = metrics.get("projects.list")
        if not items:
            raise _missing("tables.projects（项目支出及完成情况表）", "projects.list（项目明细）")
        rows = [
            [p["name"], _wan(p["initial"]), _wan(p["adjusted"]), _wan(p["spent"]), _pct(p["execution_rate"]),
             _done(p["on_time"], p["reason"])]
            for p in items
        ]
        totals = [_sum(p[k] for p in items) for k in ("initial", "adjusted", "spent")]
        rate = totals[2] / totals[1] if None not in totals[1:] and totals[1] else None
        rows.append(["合计", *(_wan(t) for t in totals), _pct(rate), ""])
        header = ["项目名称", "年初预算", "调整后预算", "全年支出", "执行率", "完成情况"]
        return _table(header, rows, caption)

    def budget(caption: Any = None) -> str:
        """年初 / 调整后 / 支出 and the execution rate of 基本支出 (人员、公用), 项目支出 and the total."""
        lines = [("基本支出", "budget.basic"), ("其中：人员经费", "budget.personnel"),
                 ("公用经费", "budget.public"), ("项目支出", "budget.project")]
        rows = [
            [title, _wan(metrics.get(key)), _wan(metrics.get(f"{key}_adjusted")), _wan(metrics.get(f"{key}_spent")),
             _pct(metrics.get(f"{key}_execution_rate"))]
            for title, key in lines
            if any(metrics.get(k) is not None for k in (key, f"{key}_adjusted", f"{key}_spent"))
        ]
        if not rows:
            raise _missing("tables.budget（预算安排及执行情况表）",
                           "budget.basic、budget.project 等分项（年初、调整后、支出）")
        rows.append(["合计", _wan(metrics.get("budget.initial")), _wan(metrics.get("budget.adjusted")),
                     _wan(metrics.get("budget.spent")), _pct(metrics.get("budget.execution_rate"))])
        return _table(["项目", "年初预算", "调整后预算", "全年支出", "执行率"], rows, caption)

    tables = {"quarterly": quarterly, "procurement": procurement, "fixed_assets": fixed_assets,
              "projects": projects, "budget": budget}
    for function in tables.values():
        function.reportkit_callable = True  # type: ignore[attr-defined]
    return tables


def number_captions(markdown: str, chapter: int | None, before: int) -> tuple[str, int]:
    """Number the generated captions of one section; `before`: captions earlier in the chapter.

    Returns the text and the chapter's caption count after this section. A caption paragraph
    of a table typed by hand counts as well. The intro has no chapter: its tables are 表1, 表2 ….
    """
    if "表" not in markdown:  # neither a generated caption nor one typed by hand
        return markdown, before
    count = before
    out = []
    mark = f"表{NUMBER_MARK}"
    for line in markdown.split("\n"):
        if "表" not in line:  # neither a generated caption nor one typed by hand
            pass
        elif line.startswith(mark):
            count += 1
            number = f"{chapter}-{count}" if chapter is not None else str(count)
            line = line.replace(NUMBER_MARK, number, 1)
        elif CAPTION_RE.match(line.strip()):
            count += 1
        out.append(line)
    return "\n".join(out), count

