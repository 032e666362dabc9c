"""reportkit.batch: many report folders built at once, and the summary of them all."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from ..errors import ReportError
from .page import write_page
from .pool import UnitResult, run_pool
from .table import summary_table
from .units import Unit, plan_units
from .workbook import write_workbook

DEFAULT_OUT = Path("批量输出")
DEFAULT_TIMEOUT = 300.0
WORKBOOK, PAGE = "汇总.xlsx", "汇总.html"


@dataclass
class BatchResult:
    """A batch run: every folder's result and the summary files written."""

    units: list[UnitResult]  # in the order the folders were given
    out: Path
    workbook: Path
    page: Path
    interrupted: bool = False

    @property
    def failed(self) -> list[UnitResult]:
        return [r for r in self.units if not r.ok]


def _atomic(path: Path, write: Callable[[Path], None]) -> None:
    """Write through a temporary file beside `path`, so a stopped run never leaves half a file."""
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    os.close(fd)
    try:
        write(Path(tmp))
        mask = os.umask(0)
        os.umask(mask)
        os.chmod(tmp, 0o666 & ~mask)
        os.replace(tmp, path)
    finally:
        Path(tmp).unlink(missing_ok=True)


def batch(
    paths: list[Path | str], *, out: Path | str | None = None, jobs: int | None = None,
    pdf: bool = False, timeout: float = DEFAULT_TIMEOUT,
    on_event: Callable[[str, Unit, UnitResult | None], None] | None = None,
) -> BatchResult:
    """Build every report folder `paths` names (report folders, folders of them, list files)
    in `jobs` worker processes (default: one per core) into OUT/<unit>/, then write
    OUT/汇总.xlsx and OUT/汇总.html. One failing unit never stops the others; its message is
    in its result. `on_event("start"|"done", unit, result)` follows the progress."""
    if jobs is not None and (isinstance(jobs, bool) or not isinstance(jobs, int) or jobs < 1):
        raise ReportError(f"并行数“{jobs}”不合理", key="--jobs", expected="不小于 1 的整数")
    if not timeout or timeout <= 0:
        raise ReportError(f"超时“{timeout}”不合理", key="--timeout", expected="大于 0 的秒数")
    if pdf:
        from ..render import PDF_HINT, PDF_MISSING, find_soffice

        if find_soffice() is None:
            raise ReportError(PDF_MISSING, expected=PDF_HINT)
    units = plan_units([Path(p) for p in paths])
    out = Path(out) if out is not None else DEFAULT_OUT
    if out.exists() and not out.is_dir():
        raise ReportError("输出位置已存在且不是文件夹", file=out, expected="一个文件夹（不存在时自动创建）")
    out.mkdir(parents=True, exist_ok=True)
    results, interrupted = run_pool(units, out, jobs=jobs or os.cpu_count() or 1, pdf=pdf,
                                    timeout=timeout, on_event=on_event)
    table = summary_table(results)
    _atomic(out / WORKBOOK, lambda p: write_workbook(table, p))
    _atomic(out / PAGE, lambda p: write_page(table, p))
    return BatchResult(results, out, out / WORKBOOK, out / PAGE, interrupted)
