"""`reportkit batch` throughput: N generated reports (tests/batchgen.py) with 1 and 2 jobs,
against N runs of pandoc on the same Markdown in a shell loop; peak memory of the parent and
of a worker. Usage:

    python bench/batch_bench.py [--count 200]
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pypandoc

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
from batchgen import make_reports  # noqa: E402

import reportkit  # noqa: E402
from reportkit.assemble.report import load_report  # noqa: E402


def _markdown(roots: list[Path], into: Path) -> list[Path]:
    """Each report's Markdown after {{ }} substitution, one file per report (what pandoc gets)."""
    files = []
    for root in roots:
        report = load_report(root)
        text = "\n\n".join(f"{'#' * b.level} {b.heading}\n\n{b.markdown or ''.join(b.paragraphs)}"
                           for b in report.blocks)
        path = into / f"{root.name}.md"
        path.write_text(text, encoding="utf-8")
        files.append(path)
    return files


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--count", type=int, default=200)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        base = Path(tmp) / "reports"
        make_reports(base, args.count, broken_every=args.count + 1)  # all good
        print(f"{args.count} 份生成的报告（{os.cpu_count()} 个 CPU 核）")
        for jobs in (1, 2):
            start = time.perf_counter()
            result = reportkit.batch([base], out=Path(tmp) / f"out{jobs}", jobs=jobs)
            seconds = time.perf_counter() - start
            assert not result.failed, result.failed[0].message
            worker = max(r.peak_kb for r in result.units) / 1024
            print(f"batch --jobs {jobs}：{seconds:.1f} 秒，{args.count / seconds:.2f} 份/秒；"
                  f"工作进程峰值内存 {worker:.1f} MiB")
        parent = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(f"父进程峰值内存 {parent:.1f} MiB（含本脚本为 pandoc 准备 Markdown 之前的全部）")
        markdown = _markdown(sorted(base.iterdir()), Path(tmp))
        loop = "; ".join(f'"{pypandoc.get_pandoc_path()}" "{m}" -o "{m.with_suffix(".docx")}"' for m in markdown)
        start = time.perf_counter()
        subprocess.run(["sh", "-c", loop], check=True)
        seconds = time.perf_counter() - start
        print(f"pandoc × {args.count}（shell 循环，一次一个）：{seconds:.1f} 秒，{args.count / seconds:.2f} 份/秒")


if __name__ == "__main__":
    main()
