"""The `reportkit` process exits without the interpreter's teardown: its output and files are
complete all the same, and the exit code is main()'s."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

DATA = Path(__file__).parent / "data"


def _run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "reportkit", *args], capture_output=True, text=True,
                          encoding="utf-8", timeout=120)


def test_build_output_complete_through_a_pipe(tmp_path: Path) -> None:
    root = tmp_path / "mini"
    shutil.copytree(DATA / "mini", root)
    done = _run("build", str(root))
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert [line.rsplit(".", 1)[-1] for line in lines[:3]] == ["docx", "html", "json"]
    assert lines[3].startswith("总分 ")
    for line in lines[:3]:
        path = Path(line.split("：", 1)[1])
        assert path.stat().st_size > 0
    assert (root / "build" / "scores.json").read_text(encoding="utf-8").rstrip().endswith("}")


def test_bad_input_still_exits_2_with_the_message(tmp_path: Path) -> None:
    done = _run("build", str(tmp_path / "没有这个目录"))
    assert done.returncode == 2
    assert done.stderr.startswith("错误：") and done.stdout == ""
