"""The command line under conditions a user meets: output cut off by `head` (issue 18)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from reportkit.cli import BROKEN_PIPE


def test_output_into_a_closed_pipe_ends_quietly(seed000: Path) -> None:
    read, write = os.pipe()
    os.close(read)  # the reader (head) has already gone
    try:
        done = subprocess.run([sys.executable, "-m", "reportkit", "check", str(seed000)], stdout=write,
                              stderr=subprocess.PIPE, text=True, timeout=120)
    finally:
        os.close(write)
    assert done.returncode == BROKEN_PIPE
    assert done.stderr == ""


def test_new_creates_files_by_the_umask(tmp_path: Path) -> None:
    from reportkit.scaffold import scaffold

    old = os.umask(0o022)
    try:
        scaffold(tmp_path / "r", year=2024, unit="测试单位")
    finally:
        os.umask(old)
    files = [p for p in (tmp_path / "r").rglob("*") if p.is_file()]
    assert files and all(p.stat().st_mode & 0o777 == 0o644 for p in files), [
        (p.name, oct(p.stat().st_mode)) for p in files]
