"""The annex: the indicator table in the framework's layout, with merged 一级/二级 cells.

Layouts follow the seeds (../shared/domain/frameworks.md, "Annex layouts"):
- standard (seed 000): 评价指标 (一级/二级/三级, each 名称 + 参考分值) | 指标说明 | 参考评分标准 | 得分, 总分 row;
- self_scoring (seed 001 附件2): no 指标说明, last column 自评得分, 总分 row;
- weighted_names (seed 002): 一级 name carries its weight "部门决策（20分）", 综合评分 and 评分等级 rows.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from lxml import etree

from ...assemble import AnnexRow, Report
from ...load import GridCell, targets_grid
from ...numbers import plain
from ...ooxml import qn
from . import styles as S
from .styles import StyleMap
from .xml import MM, cell, close_cell, el, keep_with_next, row, table, text_paragraph

Head = tuple[str, int, str | None]  # text, columns spanned, vertical merge
_UNDER = ("", 1, "continue")  # the lower part of a header cell merged from the row above


@dataclass(frozen=True)
class Layout:
    """How a scores annex table is laid out: column widths and header rows."""

    widths_mm: tuple[int, ...]  # sum 225: the text width of the landscape page
    header: tuple[tuple[Head, ...], ...]
    description: bool  # has the 指标说明 column
    weighted_names: bool  # 一级 name carries its weight; no weight columns for 一级/二级


def _names_and_weights(weight: str) -> tuple[Head, ...]:
    return (("名称", 1, None), (weight, 1, None)) * 3


LAYOUTS = {
    "standard": Layout(
        (17, 12, 17, 12, 22, 12, 45, 68, 20),
        (
            (("评价指标", 6, None), ("指标说明", 1, "restart"), ("参考评分标准", 1, "restart"),
             ("得分", 1, "restart")),
            (("一级指标", 2, None), ("二级指标", 2, None), ("三级指标", 2, None), _UNDER, _UNDER, _UNDER),
            (*_names_and_weights("参考分值"), _UNDER, _UNDER, _UNDER),
        ),
        description=True, weighted_names=False,
    ),
    "self_scoring": Layout(
        (18, 12, 18, 12, 26, 12, 107, 20),
        (
            (("评价指标", 6, None), ("参考评分标准", 1, "restart"), ("自评得分", 1, "restart")),
            (("一级指标", 2, None), ("二级指标", 2, None), ("三级指标", 2, None), _UNDER, _UNDER),
            (*_names_and_weights("分值"), _UNDER, _UNDER),
        ),
        description=False, weighted_names=False,
    ),
    "weighted_names": Layout(
        (24, 20, 26, 12, 48, 75, 20),
        (
            (("评价指标", 4, None), ("指标说明", 1, "restart"), ("评分标准", 1, "restart"),
             ("分数", 1, "restart")),
            (("一级指标", 1, None), ("二级指标", 1, None), ("三级指标", 1, None), ("分值", 1, None),
             _UNDER, _UNDER, _UNDER),
        ),
        description=True, weighted_names=True,
    ),
}

# A body cell: text (lines become paragraphs), vertical merge, centred.
Cell = tuple[str, str | None, bool]


def _decimal(value: Fraction) -> Decimal:
    return Decimal(value.numerator) / Decimal(value.denominator)


def _row_cells(layout: Layout, r: AnnexRow, level: str | None, group: str | None) -> list[Cell]:
    if layout.weighted_names:
        cells: list[Cell] = [(f"{r.level}（{plain(r.level_weight)}分）", level, True), (r.group, group, True)]
    else:
        cells = [(r.level, level, True), (plain(r.level_weight), level, True),
                 (r.group, group, True), (plain(r.group_weight), group, True)]
    cells += [(r.name, None, True), (plain(r.weight), None, True)]
    if layout.description:
        cells.append((r.description, None, False))
    return [*cells, (r.standard, None, False), (r.score, None, True)]


class _Table:
    def __init__(self, layout: Layout, styles: StyleMap):
        self.widths = [round(mm * MM) for mm in layout.widths_mm]
        self.element = table(styles.id(S.TABLE), self.widths, fixed=True)
        self.text = styles.id(S.ANNEX_TEXT)
        self.head = styles.id(S.ANNEX_HEAD)

    def add(self, cells: list[tuple[str, int, str | None, bool]], header: bool = False) -> None:
        """One row of (text, span, merge, centred) cells."""
        tr = row(header)
        column = 0
        for text, span, merge, centred in cells:
            tc = cell(sum(self.widths[column:column + span]), span, merge)
            if merge != "continue":  # the covered part of a merged cell stays empty
                for line in text.split("\n"):
                    tc.append(text_paragraph(self.head if header else self.text, line,
                                             "center" if centred and not header else None))
            close_cell(tc, self.head if header else self.text)
            tr.append(tc)
            column += span
        self.element.append(tr)


def annex_table(report: Report, styles: StyleMap, total_row: str | None = None) -> etree._Element:
    """`total_row`: the closing row's label as the outline names it (default as the seeds)."""
    layout = LAYOUTS[report.framework.annex["layout"]]
    out = _Table(layout, styles)
    for spec in layout.header:
        out.add([(text, span, merge, True) for text, span, merge in spec], header=True)
    rows = report.annex_rows
    for k, r in enumerate(rows):
        new_level = k == 0 or rows[k - 1].level != r.level
        new_group = new_level or rows[k - 1].group != r.group
        cells = _row_cells(layout, r, "restart" if new_level else "continue",
                           "restart" if new_group else "continue")
        out.add([(text, 1, merge, centred) for text, merge, centred in cells])
    total = plain(_decimal(report.framework.total))
    score = str(report.scores.total)
    columns = len(layout.widths_mm)
    if layout.weighted_names:
        out.add([(total_row or "综合评分", columns - 1, None, True), (score, 1, None, True)])
        out.add([("评分等级", columns - 1, None, True), (report.scores.grade, 1, None, True)])
    else:  # as seed 000: 总分 | 100 | —— | 100 | —— … | total
        dashes = [("——", 1, None, True)] * (columns - 7)
        out.add([(total_row or "总分", 3, None, True), (total, 1, None, True), ("——", 1, None, True),
                 (total, 1, None, True), *dashes, (score, 1, None, True)])
    if report.framework.notes:  # the notes never stand alone on a page: the last rows go with them
        for tr in out.element.findall(qn("w:tr"))[-3:]:
            keep_with_next(tr)
    return out.element


def annex_notes(report: Report, styles: StyleMap, notes: list[str] | None = None) -> list[etree._Element]:
    """The framework's notes (or `notes`, as the outline chose) as 附注 paragraphs below the table."""
    notes = list(report.framework.notes if notes is None else notes)
    if notes:
        notes[0] = "附注：" + notes[0]
    paragraphs = [text_paragraph(styles.id(S.ANNEX_NOTE), note) for note in notes]
    for p in paragraphs[:-1]:
        keep_with_next(p)
    return paragraphs


# The 自评表: section label, 任务名称, 完成情况 and four amounts; sum 225 mm (landscape).
TARGETS_WIDTHS_MM = (14, 32, 55, 31, 31, 31, 31)


def grid_table(grid: list[list[GridCell]], widths_mm: tuple[int, ...], styles: StyleMap) -> etree._Element:
    """A table given as rows of cells with row and column spans (covered cells left out, as in HTML)."""
    widths = [round(mm * MM) for mm in widths_mm]
    element = table(styles.id(S.TABLE), widths, fixed=True)
    text, head = styles.id(S.ANNEX_TEXT), styles.id(S.ANNEX_HEAD)
    covered: dict[int, tuple[int, int]] = {}  # column → (rows still covered from above, columns)
    keep_until = -1  # rows of a block under a vertical label stay on one page, as the label does
    heights: dict[int, int] = {}  # row → least height (twips) that a vertical label needs
    for k, cells in enumerate(grid):
        tr = row(header=k == 0)  # the unit and year head every page of the form
        for c in cells:
            if c.vertical and c.rowspan > 1:
                keep_until = max(keep_until, k + c.rowspan - 2)
                # written top to bottom, one 五号 character (210 twips) under the other
                need = -(-(len(c.text) * 230 + 120) // c.rowspan)
                for j in range(k, k + c.rowspan):
                    heights[j] = max(heights.get(j, 0), need)
        column, pending = 0, iter(cells)
        while column < len(widths):
            if column in covered:  # the lower part of a cell merged from a row above
                rows_left, span = covered[column]
                tc = cell(sum(widths[column:column + span]), span, "continue")
                close_cell(tc, text)
                covered[column] = (rows_left - 1, span)
                if rows_left == 1:
                    del covered[column]
            else:
                c = next(pending)
                span = c.colspan
                tc = cell(sum(widths[column:column + span]), span, "restart" if c.rowspan > 1 else None)
                if c.rowspan > 1:
                    covered[column] = (c.rowspan - 1, span)
                if c.vertical:
                    tc[0].find(qn("w:vAlign")).addprevious(el("w:textDirection", {"w:val": "tbRlV"}))
                for line in c.text.split("\n"):
                    tc.append(text_paragraph(head if c.head else text, line, None if c.wide else "center"))
            tr.append(tc)
            column += span
        element.append(tr)
        if k in heights:
            tr[0].find(qn("w:cantSplit")).addnext(
                el("w:trHeight", {"w:val": str(heights[k]), "w:hRule": "atLeast"}))
        if k <= keep_until:
            keep_with_next(tr)
    return element


def targets_table(report: Report, styles: StyleMap) -> list[etree._Element]:
    """The 目标完成情况自评表, or nothing when the facts have no `targets`."""
    if report.targets is None:
        return []
    grid = targets_grid(report.targets, report.cover["unit"], int(report.cover["year"]))
    return [grid_table(grid, TARGETS_WIDTHS_MM, styles)]
