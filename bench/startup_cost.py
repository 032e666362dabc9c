"""Where a 1× `reportkit build` spends its instructions: interpreter, libraries, reportkit's own
modules, the work. Counted by valgrind's callgrind (instructions, not seconds), so the figures
repeat whatever else the machine is doing; each line is one fresh process.

    python3 -m venv /tmp/rk && /tmp/rk/bin/pip install -q .
    python bench/startup_cost.py --python /tmp/rk/bin/python [REPORT_DIR]

Each step imports everything of the step before it, so the differences are what each adds;
every step after the first with the start-up cache installed first, as the command does.
Instructions are not seconds (pandoc, compiled Haskell, runs more of them per second), so
compare reportkit with pandoc in bench/build_bench.py; this tells where reportkit's own go.
"""

from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from workcopy import copy_report

REPO = Path(__file__).resolve().parent.parent
# PyYAML is imported only to parse a file the cache does not hold (load/yamlparse.py)
LIBRARIES = ["lxml.etree", "jinja2", "jinja2.sandbox", "markdown_it", "mdit_py_plugins.footnote"]
STEPS = [
    ("Python 解释器", []),
    ("+ lxml、Jinja2、markdown-it", LIBRARIES),
    # docxtpl and python-docx are no longer imported by a build (render/docx/opc.py, fill.py)
    ("+ reportkit 生成报告所用的模块", [*LIBRARIES, "reportkit.cli", "reportkit.commands.build",
                               "reportkit.build", "reportkit.render.docx.render", "reportkit.render.html.render",
                               "reportkit.render.json"]),
]


def instructions(cmd: list[str], cwd: Path) -> int:
    out = subprocess.run(["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null", *cmd],
                         cwd=cwd, capture_output=True, text=True, check=False)
    found = re.search(r"Collected : (\d+)", out.stderr)
    if not found:
        sys.exit(f"valgrind 没有给出指令数：{' '.join(cmd)}\n{out.stderr[-2000:]}")
    return int(found.group(1))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("dir", nargs="?", type=Path, default=REPO, help="报告目录（默认：示例报告）")
    parser.add_argument("--python", default=sys.executable, help="装有 reportkit 的 Python（勿用可编辑安装）")
    args = parser.parse_args()
    if shutil.which("valgrind") is None:
        sys.exit("需要 valgrind（Debian：apt-get install valgrind）")
    with tempfile.TemporaryDirectory() as tmp:
        work = copy_report(args.dir.resolve(), tmp)
        reportkit = [args.python, "-m", "reportkit", "build"]
        subprocess.run(reportkit, cwd=work, capture_output=True, check=True)  # warm the code cache
        rows, before = [], 0
        for label, modules in STEPS:
            # as the command does: imports with the start-up cache (reportkit/startcache.py)
            code = f"import reportkit.startcache as c; c.install(); import {', '.join(modules)}" if modules else "pass"
            count = instructions([args.python, "-c", code], work)
            rows.append((label, count, count - before))
            before = count
        build = instructions(reportkit, work)
        rows.append(("+ 生成报告（docx、html、scores.json）", build, build - before))
        print(f"{'步骤':<36}{'累计（百万条指令）':>14}{'本步':>10}")
        for label, total, step in rows:
            print(f"{label:<36}{total / 1e6:>14.0f}{step / 1e6:>10.0f}")


if __name__ == "__main__":
    main()
