"""The indicator table a bureau attaches to its notice (.docx, .xlsx or .xls) as rows of text.

Merged cells are filled with their value (python-docx does this for Word; for spreadsheets
the merged ranges are filled here), hidden spreadsheet columns are left out and named, and
the header rows — however many, e.g. 一级指标 over 名称 | 分值 — are joined into one label per
column. Which column is what is read from those labels.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path

from ..errors import ReportError, broken_file_reason

MAX_TABLE_BYTES = 50 * 1024 * 1024  # a bureau's table is a few hundred KiB
MAX_ROWS = 2000

# Column roles and the words of their headings. Order matters: a heading is given the first role
# that matches (指标说明及评分标准 is the standard; 分数 is a score, not a weight).
_ROLE_WORDS = (
    ("score", re.compile(r"得分|自评|分数|评分结果|扣分")),
    ("standard", re.compile(r"评分标准|评分办法|评分细则|评分方法|计分方法|评分依据|评价标准|评分规则|评分要点")),
    ("description", re.compile(r"指标说明|指标解释|指标内涵|指标释义|指标定义|解释|说明|内涵")),
    ("weight", re.compile(r"分值|权重|标准分|满分|参考分")),
)
_LEVELS = (("1", re.compile(r"一级")), ("2", re.compile(r"二级")), ("3", re.compile(r"三级")))
_NUMBER = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*分?\s*$")
_NAME_WITH_WEIGHT = re.compile(r"^(.*?)[（(]\s*(\d+(?:\.\d+)?)\s*分\s*[）)]\s*$")
TOTAL_ROW = re.compile(r"^\s*(总分|合计|总计|总计得分|综合评分|评分等级|总\s*分|得分合计)\s*$")


@dataclass
class Table:
    """A scoring table read from Word or Excel: joined header labels and data rows."""

    source: str
    header: list[str]  # the joined label of each column
    rows: list[list[str]]  # data rows, each as long as the header
    first_row: int  # 1-based number of the first data row in the source table, for messages
    notes: list[str] = field(default_factory=list)  # what the reader left out, in Chinese


def number(text: str) -> Decimal | None:
    match = _NUMBER.match(text or "")
    if not match:
        return None
    try:
        return Decimal(match.group(1))
    except InvalidOperation:
        return None


def split_weight(name: str) -> tuple[str, Decimal | None]:
    """“部门决策（20分）” → (部门决策, 20)."""
    match = _NAME_WITH_WEIGHT.match(name.strip())
    return (match.group(1).strip(), Decimal(match.group(2))) if match else (name.strip(), None)


def roles(header: list[str]) -> dict[str, int]:
    """Column index of each role: name1/weight1 … name3/weight3, description, standard, score."""
    found: dict[str, int] = {}
    for i, label in enumerate(header):
        compact = re.sub(r"\s+", "", label)
        level = next((n for n, pattern in _LEVELS if pattern.search(compact)), None)
        role = next((r for r, pattern in _ROLE_WORDS if pattern.search(compact)), None)
        if role == "weight":
            key = f"weight{level}" if level else "weight"
        elif role:
            key = role
        elif level:
            key = f"name{level}"
        elif "名称" in compact:
            key = "name3"
        else:
            continue
        found.setdefault(key, i)
    if "weight" in found and "weight3" not in found:
        found["weight3"] = found.pop("weight")
    return found


def _is_header(row: list[str]) -> bool:
    return not any(number(c) is not None for c in row) and any(c.strip() for c in row)


def _assemble(grid: list[list[str]], source: str, notes: list[str]) -> Table:
    """Find the header rows (every row above the first with a number in it) and the columns."""
    width = max((len(r) for r in grid), default=0)
    grid = [r + [""] * (width - len(r)) for r in grid]  # ragged rows
    start = next((i for i, r in enumerate(grid) if any(_LEVELS[2][1].search(c) or "指标" in c for c in r)), None)
    if start is None:
        raise ReportError(f"“{source}”中没有找到指标表：需要有“一级指标”“二级指标”“三级指标”“分值”等表头的表格",
                          file=source, expected="财政部门评价通知所附的评分表（.docx、.xlsx 或 .xls）")
    end = start
    while end < len(grid) and _is_header(grid[end]):
        end += 1
    header = []
    for col in range(width):
        words: list[str] = []
        for row in grid[start:end]:
            text = " ".join(row[col].split())
            if text and text not in words:
                words.append(text)
        header.append("/".join(words))
    rows = [r for r in grid[end:] if any(c.strip() for c in r)][:MAX_ROWS]
    return Table(source, header, rows, end + 1, notes)


def _check_size(path: Path) -> None:
    if not path.is_file():
        raise ReportError(f"找不到文件“{path}”", file=path, expected="指标表文件（.docx、.xlsx 或 .xls）")
    if path.stat().st_size > MAX_TABLE_BYTES:
        raise ReportError(f"“{path.name}”太大（超过 {MAX_TABLE_BYTES // 1024 // 1024} MiB），不像一张指标表", file=path)


def _docx(path: Path) -> Table:
    import docx

    try:
        document = docx.Document(str(path))
    except Exception as exc:  # noqa: BLE001 - python-docx on a broken file raises almost anything
        raise ReportError(f"无法读取 Word 文件“{path.name}”：文件已损坏、加密或不是 .docx（{broken_file_reason(exc)}）",
                          file=path, expected="用 Word 或 WPS 另存为 .docx 后再导入") from None
    best = None
    for table in document.tables:
        grid = [[cell.text.strip() for cell in row.cells] for row in table.rows]
        if _looks_like_indicators(grid):
            if best is None or len(grid) > len(best):
                best = grid
    if best is None:
        raise ReportError(f"“{path.name}”中没有指标表", file=path,
                          expected="表头含“一级指标”“二级指标”“三级指标”“分值”“评分标准”的表格")
    return _assemble(best, path.name, [])


def _xlsx(path: Path):  # noqa: ANN202 - yields (sheet name, grid, hidden columns)
    import openpyxl
    from openpyxl.utils import get_column_letter

    try:
        book = openpyxl.load_workbook(str(path), data_only=True, read_only=False)
    except Exception as exc:  # noqa: BLE001 - openpyxl on a broken file raises almost anything
        raise ReportError(f"无法读取 Excel 文件“{path.name}”：文件已损坏、设了打开密码或不是 .xlsx（{broken_file_reason(exc)}）",
                          file=path, expected="去掉打开密码，用 Excel 或 WPS 另存为 .xlsx 后再导入") from None
    for sheet in book.worksheets:
        merged = {}
        for cells in sheet.merged_cells.ranges:
            value = sheet.cell(cells.min_row, cells.min_col).value
            for r in range(cells.min_row, cells.max_row + 1):
                for c in range(cells.min_col, cells.max_col + 1):
                    merged[(r, c)] = value
        hidden = [c for c in range(1, sheet.max_column + 1)
                  if sheet.column_dimensions[get_column_letter(c)].hidden]
        grid = []
        for r in range(1, min(sheet.max_row, MAX_ROWS + 20) + 1):
            row = []
            for c in range(1, sheet.max_column + 1):
                if c in hidden:
                    continue
                value = merged.get((r, c), sheet.cell(r, c).value)
                row.append(_cell_text(value))
            grid.append(row)
        yield sheet.title, grid, [get_column_letter(c) for c in hidden]


def _xls(path: Path):  # noqa: ANN202 - yields (sheet name, grid, hidden columns)
    import xlrd

    try:
        book = xlrd.open_workbook(str(path), formatting_info=True)
    except Exception as exc:  # noqa: BLE001 - xlrd raises many kinds for a broken or encrypted file
        raise ReportError(f"无法读取 Excel 文件“{path.name}”：文件已损坏、设了打开密码或不是 .xls（{broken_file_reason(exc)}）",
                          file=path, expected="去掉打开密码，用 Excel 或 WPS 另存为 .xlsx 后再导入") from None
    for sheet in book.sheets():
        merged = {}
        for r0, r1, c0, c1 in sheet.merged_cells:
            for r in range(r0, r1):
                for c in range(c0, c1):
                    merged[(r, c)] = sheet.cell_value(r0, c0)
        hidden = [c for c, info in sheet.colinfo_map.items() if info.hidden]
        grid = [[_cell_text(merged.get((r, c), sheet.cell_value(r, c))) for c in range(sheet.ncols) if c not in hidden]
                for r in range(min(sheet.nrows, MAX_ROWS + 20))]
        yield sheet.name, grid, [str(c + 1) for c in hidden]


def _looks_like_indicators(grid: list[list[str]]) -> bool:
    text = "".join("".join(r) for r in grid)
    return "三级" in text or ("指标" in text and ("分值" in text or "权重" in text))


def _first_indicator_sheet(path: Path, sheets) -> Table:  # noqa: ANN001
    """The first worksheet holding an indicator table, its hidden columns named in the notes."""
    for name, grid, hidden in sheets:
        if _looks_like_indicators(grid):
            notes = [f"工作表“{name}”中隐藏的第 {'、'.join(hidden)} 列未读取"] if hidden else []
            return _assemble(grid, path.name, notes)
    raise ReportError(f"“{path.name}”的各工作表中没有指标表", file=path,
                      expected="表头含“一级指标”“二级指标”“三级指标”“分值”“评分标准”的工作表")


def _cell_text(value) -> str:  # noqa: ANN001
    if value is None:
        return ""
    if isinstance(value, float):
        return format(Decimal(repr(value)).normalize(), "f")
    return str(value).strip()


def read_table(path: Path) -> Table:
    """The indicator table in a .docx, .xlsx or .xls file."""
    path = Path(path)
    _check_size(path)
    suffix = path.suffix.lower()
    if suffix == ".docx":
        return _docx(path)
    if suffix in (".xlsx", ".xlsm"):
        return _first_indicator_sheet(path, _xlsx(path))
    if suffix == ".xls":
        return _first_indicator_sheet(path, _xls(path))
    raise ReportError(f"不能导入“{path.name}”：只支持 .docx、.xlsx 和 .xls", file=path,
                      expected="评分表的 Word（.docx）或 Excel（.xlsx、.xls）文件；.doc 请先另存为 .docx")
