"""Which report folders a batch builds, and the output folder each one gets."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import ReportError

FACTS = Path("content") / "facts.yaml"
MAX_LIST_LINES = 100_000
# Characters Windows (and WPS on it) cannot have in a folder name.
_UNSAFE = re.compile(r'[\\/:*?"<>|\x00-\x1f]')


@dataclass
class Unit:
    """One report folder of the batch."""

    index: int  # position in the batch: results and summaries keep this order
    root: Path
    name: str  # report.unit, or the folder's name while the facts cannot be read
    year: str = ""
    folder: str = ""  # its output folder under OUT
    notes: list[str] = field(default_factory=list)  # e.g. a name shared with another unit


def is_report(path: Path) -> bool:
    return (path / FACTS).is_file()


def _from_list(path: Path) -> list[Path]:
    """A list file: one report folder per line, relative to the list file; # starts a comment."""
    from ..load import read_text

    text = read_text(path, kind="目录清单")  # a GBK file, a binary file, a pipe: said with the line
    lines = text.splitlines()
    if len(lines) > MAX_LIST_LINES:
        raise ReportError(f"目录清单超过 {MAX_LIST_LINES} 行", file=path)
    roots = []
    for number, line in enumerate(lines, start=1):
        entry = line.split("#", 1)[0].strip()
        if not entry:
            continue
        root = (path.parent / entry)
        if not is_report(root):
            raise ReportError(f"“{entry}”不是报告目录：找不到 content/facts.yaml", file=path, line=number,
                              expected="每行一个报告目录（含 content/facts.yaml），相对于清单文件")
        roots.append(root)
    return roots


def _children(folder: Path) -> list[Path]:
    """Report folders under `folder`: its children, and their children (a bureau's folder of
    departments, each with its 二级单位), never inside a report folder or a hidden one."""
    found = []
    for child in sorted(p for p in folder.iterdir() if p.is_dir() and not p.name.startswith(".")):
        if is_report(child):
            found.append(child)
        else:
            found += sorted(p for p in child.iterdir() if p.is_dir() and is_report(p))
    return found


def find_roots(paths: list[Path]) -> list[Path]:
    """Every report folder the arguments name: a report folder, a folder of them, or a list
    file. The same folder named twice is built once."""
    if not paths:
        raise ReportError("没有给出报告目录", expected="一个或多个报告目录、存放报告目录的文件夹，或目录清单文件")
    roots: list[Path] = []
    for path in map(Path, paths):
        if path.is_file():
            roots += _from_list(path)
        elif is_report(path):
            roots.append(path)
        elif path.is_dir():
            found = _children(path)
            if not found:
                raise ReportError(
                    "文件夹中没有报告目录", file=path,
                    expected="报告目录（含 content/facts.yaml），或其子文件夹中是报告目录",
                )
            roots += found
        else:
            raise ReportError("找不到该目录或文件", file=path,
                              expected="报告目录、存放报告目录的文件夹，或目录清单文件")
    unique: dict[Path, Path] = {}
    for root in roots:
        unique.setdefault(root.resolve(), root)
    return list(unique.values())


def _identity(root: Path) -> tuple[str, str]:
    """The unit's name and year from its facts, without validating the rest (the worker does)."""
    from ..load import load_yaml

    try:
        data, _ = load_yaml(root / FACTS)
        report = data.get("report") if isinstance(data, dict) else None
        unit = report.get("unit") if isinstance(report, dict) else None
        year = report.get("year") if isinstance(report, dict) else None
    except ReportError:
        unit = year = None
    name = str(unit).strip() if isinstance(unit, (str, int)) and str(unit).strip() else root.resolve().name
    return name, str(year) if isinstance(year, (str, int)) and not isinstance(year, bool) else ""


def safe_name(text: str) -> str:
    name = _UNSAFE.sub("_", text).strip(" .")[:80]
    return name or "单位"


def plan_units(paths: list[Path]) -> list[Unit]:
    """The units to build, each with its own output folder named by the unit.

    Two units with the same name (the same unit sent twice, or two years of it) both build:
    the second folder gets the year, then a number, and both units carry a note saying so.
    """
    units = []
    for index, root in enumerate(find_roots(paths)):
        name, year = _identity(root)
        units.append(Unit(index, root, name, year))
    by_name: dict[str, list[Unit]] = {}
    for unit in units:
        by_name.setdefault(unit.name, []).append(unit)
    taken: set[str] = set()
    for unit in units:
        base = safe_name(unit.name)
        folder = base
        if folder.casefold() in taken and unit.year:
            folder = f"{base}-{unit.year}"
        number = 2
        while folder.casefold() in taken or folder in ("汇总.xlsx", "汇总.html"):
            folder = f"{base}-{number}"
            number += 1
        taken.add(folder.casefold())
        unit.folder = folder
    for name, same in by_name.items():
        if len(same) > 1:
            places = "、".join(str(u.root) for u in same)
            for unit in same:
                unit.notes.append(f"单位名称“{name}”在本批中出现 {len(same)} 次（{places}），"
                                  f"本单位的输出在“{unit.folder}”")
    return units
