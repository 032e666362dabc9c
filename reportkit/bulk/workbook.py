"""汇总.xlsx: the summary a finance officer opens in Excel or WPS, filters and sorts."""

from __future__ import annotations

import unicodedata
from pathlib import Path
from typing import Any

from .table import COUNT, SCORE, Column, Table, exceptions, failures, notes

SCORE_FORMAT = "0.00"
COUNT_FORMAT = "0"
MAX_WIDTH = 40


def _width(value: Any) -> int:
    text = value if isinstance(value, str) else "0.00" if value is not None else ""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in str(text))


def _sheet(book, title: str, columns: list[Column], rows: list[list[Any]], *, header_width: int = MAX_WIDTH):  # noqa: ANN001
    from openpyxl.comments import Comment
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    sheet = book.create_sheet(title)
    sheet.append([c.title for c in columns])
    for row in rows:
        sheet.append(row)
    bold, fill = Font(bold=True), PatternFill("solid", fgColor="DDEBF7")
    wrap = Alignment(wrap_text=True, vertical="center", horizontal="center")
    for number, column in enumerate(columns, start=1):
        head = sheet.cell(row=1, column=number)
        head.font, head.fill, head.alignment = bold, fill, wrap
        if column.note:
            head.comment = Comment(column.note, "reportkit", width=300, height=80)
        formats = {SCORE: SCORE_FORMAT, COUNT: COUNT_FORMAT}
        if column.kind in formats:
            for (cell,) in sheet.iter_rows(min_row=2, min_col=number, max_col=number):
                cell.number_format = formats[column.kind]
        content = max((_width(row[number - 1]) for row in rows), default=0)
        widest = max(content, min(_width(column.title), header_width))
        sheet.column_dimensions[get_column_letter(number)].width = min(max(widest + 2, 6), MAX_WIDTH)
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(columns))}{max(len(rows) + 1, 2)}"
    return sheet


def write_workbook(table: Table, path: Path) -> None:
    from openpyxl import Workbook

    book = Workbook()
    book.remove(book.active)
    main = _sheet(book, "汇总", table.columns, table.rows, header_width=16)
    main.row_dimensions[1].height = 45  # long indicator names wrap in a narrower column
    _sheet(book, "覆盖与差异", [
        Column("单位", "text"), Column("指标", "text"), Column("类型", "text"),
        Column("计算得分", SCORE, "按评分规则计算的得分；缺少事实时为空"),
        Column("得分", SCORE, "覆盖后的最终得分，或单位自评的得分"),
        Column("差值", SCORE, "得分 − 计算得分"), Column("与计算不同", "text"), Column("原因", "text"),
    ], exceptions(table.results))
    _sheet(book, "失败", [
        Column("单位", "text"), Column("目录", "text"), Column("状态", "text"), Column("说明", "text"),
    ], failures(table.results))
    said = notes(table)
    if said:
        _sheet(book, "说明", [Column("说明", "text")], [[line] for line in said])
    book.save(path)
