"""The benchmarks work on a copy of the report folder, so the original is never touched."""

from __future__ import annotations

import shutil
from pathlib import Path


def copy_report(source: Path, tmp: str) -> Path:
    """`source`'s content/ and reportkit.yaml (when there is one), copied under `tmp`."""
    work = Path(tmp) / "report"
    shutil.copytree(source / "content", work / "content")
    if (source / "reportkit.yaml").is_file():
        shutil.copy(source / "reportkit.yaml", work / "reportkit.yaml")
    return work
