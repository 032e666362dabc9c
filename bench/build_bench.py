"""Cold `reportkit build` of the example report against pandoc on the same Markdown.

Each run is a fresh process (cold: imports, template, fonts all loaded anew). Prints the
median wall time of each over N runs, the ratio, and each peak RSS. Usage:

    python bench/build_bench.py [REPORT_DIR] [--runs N]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pypandoc
from workcopy import copy_report

from reportkit.assemble.report import load_report


def run_measured(cmd: list[str], cwd: Path) -> tuple[float, int]:
    """Wall seconds and peak RSS (KiB) of one child process."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        sys.exit(f"命令失败：{' '.join(cmd)}\n{proc.stderr.read().decode()}")
    return elapsed, usage.ru_maxrss


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("dir", nargs="?", default=".", type=Path)
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        work = copy_report(args.dir, tmp)
        # pandoc gets the same Markdown reportkit renders: every section after {{ }} substitution.
        report = load_report(work)
        parts = [f"# {b.heading}\n\n{b.markdown}" for b in ([report.intro] if report.intro else []) + report.blocks]
        md = Path(tmp) / "report.md"
        md.write_text("\n\n".join(parts), encoding="utf-8")

        reportkit_cmd = [sys.executable, "-m", "reportkit", "build", str(work)]
        pandoc_cmd = [pypandoc.get_pandoc_path(), str(md), "-o", str(Path(tmp) / "pandoc.docx")]
        ours, theirs = [], []
        for _ in range(args.runs):
            ours.append(run_measured(reportkit_cmd, work))
            theirs.append(run_measured(pandoc_cmd, work))

    ours_t = statistics.median(t for t, _ in ours)
    theirs_t = statistics.median(t for t, _ in theirs)
    print(f"报告目录：{args.dir.resolve()}（{args.runs} 次冷启动，取中位数）")
    print(f"reportkit build：{ours_t * 1000:.0f} 毫秒，峰值内存 {max(r for _, r in ours) / 1024:.1f} MiB")
    print(f"pandoc → docx：  {theirs_t * 1000:.0f} 毫秒，峰值内存 {max(r for _, r in theirs) / 1024:.1f} MiB")
    print(f"比值（reportkit / pandoc）：{ours_t / theirs_t:.2f}（目标 ≤ 1.0）")


if __name__ == "__main__":
    main()
