"""The package layout shows the pipeline: a lower stage never imports a higher one.

load < compute < assemble < render < build < commands; check sits beside render (it uses the
stages below it, never the renderers), importer and preview above build. Between two
subpackages an import goes through the other's __init__ and names only what it exports.
"""

from __future__ import annotations

import ast
import importlib
from pathlib import Path

import pytest

PACKAGE = Path(__file__).parent.parent / "reportkit"

# Stage rank of each room: a subpackage, or a top-level module.
RANKS = {
    "reportkit": 0, "exports": 0, "errors": 0, "findings": 0, "numbers": 0, "codecache": 0, "startcache": 0,
    "ooxml": 0,
    "load": 1,
    "compute": 2,
    "assemble": 3,
    "render": 4, "check": 4,
    "build": 5, "scaffold": 5,
    "importer": 6, "preview": 6, "bulk": 6, "diff": 6,
    "commands": 7, "cli": 8, "__main__": 9,
}
FOUNDATION = {room for room, rank in RANKS.items() if rank == 0}
SUBPACKAGES = sorted(p.name for p in PACKAGE.iterdir() if (p / "__init__.py").is_file())


def module_name(path: Path) -> str:
    parts = ["reportkit", *path.relative_to(PACKAGE).with_suffix("").parts]
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def room_of(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else "reportkit"


def imports(path: Path) -> list[tuple[int, str, list[str]]]:
    """(line, absolute module, names) of every import of a reportkit module in `path`."""
    me = module_name(path)
    package = me if path.name == "__init__.py" else me.rpartition(".")[0]
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            names = [a.name for a in node.names]
            if not target.startswith("reportkit"):
                continue
            if node.module is None:  # from . import styles: each name is a module
                found += [(node.lineno, f"{target}.{n}" if n != "__version__" else target, []) for n in names]
            else:
                found.append((node.lineno, target, names))
        elif isinstance(node, ast.Import):
            found += [(node.lineno, a.name, []) for a in node.names if a.name.startswith("reportkit")]
    return found


MODULES = sorted(PACKAGE.rglob("*.py"))


def test_every_room_has_a_rank() -> None:
    rooms = {room_of(module_name(p)) for p in MODULES}
    assert rooms <= set(RANKS), rooms - set(RANKS)


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(PACKAGE)))
def test_imports_follow_the_stages(path: Path) -> None:
    me = module_name(path)
    mine = room_of(me)
    problems = []
    for line, target, names in imports(path):
        theirs = room_of(target)
        where = f"{path.relative_to(PACKAGE)}:{line} imports {target}"
        if theirs == mine or target == "reportkit" and names == ["__version__"]:
            continue
        if RANKS[theirs] > RANKS[mine] or (RANKS[theirs] == RANKS[mine] and mine not in FOUNDATION):
            problems.append(f"{where}: {mine} (stage {RANKS[mine]}) may not use {theirs} (stage {RANKS[theirs]})")
        if theirs in SUBPACKAGES:
            if target != f"reportkit.{theirs}":
                problems.append(f"{where}: reaches into {theirs}'s module; import from reportkit.{theirs}")
            else:
                exported = importlib.import_module(target).__all__
                problems += [f"{where}: {theirs} does not export {n}" for n in names if n not in exported]
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("room", SUBPACKAGES)
def test_every_export_resolves(room: str) -> None:
    package = importlib.import_module(f"reportkit.{room}")
    for name in getattr(package, "__all__", []):
        assert getattr(package, name) is not None


def test_public_api() -> None:
    import reportkit

    for name in reportkit.__all__:
        assert getattr(reportkit, name) is not None
    assert callable(reportkit.build_report) and callable(reportkit.check_report)
