"""`reportkit build` and `reportkit check` against pandoc, on the example grown 1×, 10× and 50×.

The k× report repeats each section file's text k times; pandoc converts the concatenation of
the same sections after {{ }} substitution (what reportkit renders) to .docx. Every run is a
fresh process (cold: imports, template, fonts loaded anew; the compiled-template cache warm, as
for a user's second build). The commands run in turn, A B C A B C …, so that load from other
work on the machine falls on all of them alike; the figures are medians of wall time and of
CPU time (user + system: steadier on a shared machine), memory the peak RSS.

With --large, the inputs that used to grow faster than linear are built at two sizes each: a
time ratio near 2 for twice the input is linear.

Measure an installed package, not a source checkout:

    python3 -m venv /tmp/rk && /tmp/rk/bin/pip install -q .
    python bench/build_bench.py --reportkit /tmp/rk/bin/reportkit [--runs 7] [--sizes 1,10,50] [--large]
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

import pypandoc
import yaml
from workcopy import copy_report

from reportkit import load_report

REPO = Path(__file__).resolve().parent.parent


# Each command is started by a small launcher, which reports its figures: Linux counts the
# resident memory of the process that forks a child as the child's own peak (the copy made at
# the fork stays in the count through the exec), so a child started by this script, which
# holds a 50× report, showed this script's memory (132 MiB for a build that peaks at 105).
_LAUNCHER = """
import os, sys, time
start = time.perf_counter()
pid = os.fork()
if pid == 0:
    os.execvp(sys.argv[1], sys.argv[1:])
_, status, usage = os.wait4(pid, 0)
elapsed = time.perf_counter() - start
print(os.waitstatus_to_exitcode(status), elapsed, usage.ru_utime + usage.ru_stime, usage.ru_maxrss, file=sys.stderr)
"""


def run_measured(cmd: list[str], cwd: Path, ok: tuple[int, ...] = (0,)) -> tuple[float, float, float]:
    """Wall seconds, CPU seconds (user + system) and peak RSS (MiB) of one child process."""
    proc = subprocess.Popen([sys.executable, "-I", "-S", "-c", _LAUNCHER, *cmd], cwd=cwd,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, err = proc.communicate()
    *output, figures = err.decode(errors="replace").rstrip("\n").split("\n")
    code, elapsed, cpu, peak_kib = figures.split()
    if int(code) not in ok:
        sys.exit(f"命令失败（退出码 {code}）：{' '.join(cmd)}\n" + "\n".join(output))
    return float(elapsed), float(cpu), int(peak_kib) / 1024


def grow(source: Path, target: Path, times: int) -> Path:
    """The report with each section file's text repeated `times` times."""
    work = copy_report(source, str(target))
    for path in (work / "content").glob("*.md"):
        text = path.read_text(encoding="utf-8")
        path.write_text("\n\n".join([text] * times), encoding="utf-8")
    return work


def pandoc_input(work: Path, out: Path) -> Path:
    report = load_report(work)
    blocks = ([report.intro] if report.intro else []) + report.blocks
    out.write_text("\n\n".join(f"# {b.heading}\n\n{b.markdown}" for b in blocks), encoding="utf-8")
    return out


def measure(commands: dict[str, tuple[list[str], Path, tuple[int, ...]]], runs: int) -> dict:
    results: dict[str, list[tuple[float, float, float]]] = {name: [] for name in commands}
    for cmd, cwd, ok in commands.values():  # one warm-up each: the code cache, the page cache
        run_measured(cmd, cwd, ok)
    for _ in range(runs):
        for name, (cmd, cwd, ok) in commands.items():
            results[name].append(run_measured(cmd, cwd, ok))
    return {name: (statistics.median(t for t, _, _ in r), statistics.median(c for _, c, _ in r),
                   max(m for _, _, m in r)) for name, r in results.items()}


def sizes_table(reportkit: str, source: Path, sizes: list[int], runs: int, tmp: Path) -> None:
    pandoc = pypandoc.get_pandoc_path()
    print("| 规模 | reportkit build | reportkit check | pandoc → docx | build / pandoc | build 每 1× 用时 |")
    print("| --- | --- | --- | --- | --- | --- |")

    def shown(found: tuple[float, float, float]) -> str:
        return f"{found[0]:.3f} 秒（CPU {found[1]:.3f}），{found[2]:.0f} MiB"

    for k in sizes:
        work = grow(source, tmp / f"{k}x", k)
        md = pandoc_input(work, tmp / f"{k}x.md")
        kib = md.stat().st_size / 1024
        found = measure({
            "build": ([reportkit, "build", str(work)], work, (0,)),
            "check": ([reportkit, "check", str(work)], work, (0, 1)),
            "pandoc": ([pandoc, str(md), "-o", str(tmp / f"{k}x-pandoc.docx")], work, (0,)),
        }, runs)
        b, p = found["build"], found["pandoc"]
        print(f"| {k}×（{kib:,.0f} KiB） | {shown(b)} | {shown(found['check'])} | {shown(p)} | "
              f"{b[0] / p[0]:.2f}（CPU {b[1] / p[1]:.2f}） | {b[0] / k * 1000:.0f} 毫秒 |", flush=True)


# Inputs that used to take seconds: name → (size, function writing it into a report copy).
def _append(work: Path, name: str, text: str) -> None:
    path = work / "content" / name
    path.write_text(path.read_text(encoding="utf-8") + "\n\n" + text + "\n", encoding="utf-8")


def list_items(work: Path, n: int) -> None:
    _append(work, "1-1-主要职能.md", "\n".join(f"- 第{i}项职能：负责有关工作的组织和协调。" for i in range(n)))


def table_rows(work: Path, n: int) -> None:
    rows = "\n".join(f"| 项目{i} | {i}.50 | 已完成 |" for i in range(n))
    _append(work, "1-3-预算编制情况.md", f"| 项目 | 金额 | 情况 |\n| --- | ---: | --- |\n{rows}")


def targets_rows(work: Path, n: int) -> None:
    facts = work / "content" / "facts.yaml"
    data = yaml.safe_load(facts.read_text(encoding="utf-8"))
    data["targets"]["tasks"] = [
        {"name": f"任务{i}", "result": "按计划完成", "budget": 10 + i % 7, "spent": 9 + i % 7} for i in range(n)]
    facts.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


def long_paragraph(work: Path, n: int) -> None:
    """One paragraph of n KiB, wrapped over lines of ten sentences (a line may hold 20,000
    characters at most: the README's input limits)."""
    sentence = "全年调整后预算执行情况良好，资金使用规范，各项工作按计划推进。"
    count = n * 1024 // len(sentence.encode())
    _append(work, "2-3-履职绩效情况.md", "\n".join(sentence * 10 for _ in range(count // 10)))


LARGE = {
    "列表项（build）": (list_items, 4000, "build"),
    "表格行（build）": (table_rows, 2000, "build"),
    "自评表任务行（build）": (targets_rows, 1500, "build"),
    "KiB 的长段落（check）": (long_paragraph, 50, "check"),
}


def large_table(reportkit: str, source: Path, runs: int, tmp: Path) -> None:
    print("\n| 大输入 | n | 2n | 2n / n（≈2 为线性） |")
    print("| --- | --- | --- | --- |")
    for title, (write, n, command) in LARGE.items():
        times = []
        for size in (n, 2 * n):
            work = copy_report(source, str(tmp / f"{write.__name__}-{size}"))
            write(work, size)
            found = measure({command: ([reportkit, command, str(work)], work, (0, 1))}, runs)
            times.append(found[command][:2])
        (t1, c1), (t2, c2) = times
        print(f"| {title} | {n:,}：{t1:.3f} 秒（CPU {c1:.3f}） | {2 * n:,}：{t2:.3f} 秒（CPU {c2:.3f}） | "
              f"{t2 / t1:.2f}（CPU {c2 / c1:.2f}） |", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("dir", nargs="?", default=REPO, type=Path, help="报告目录（默认本仓库的示例）")
    parser.add_argument("--reportkit", default=shutil.which("reportkit") or "reportkit",
                        help="要测量的 reportkit 命令（默认 PATH 中的）")
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--sizes", default="1,10,50")
    parser.add_argument("--large", action="store_true", help="同时测量大输入")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    print(f"报告目录：{args.dir.resolve()}；命令：{args.reportkit}；每项 {args.runs} 次冷启动，"
          "各命令轮流运行，取中位数（机器上有其他工作时数字有波动）\n")
    with tempfile.TemporaryDirectory() as tmp:
        sizes_table(args.reportkit, args.dir, sizes, args.runs, Path(tmp))
        if args.large:
            large_table(args.reportkit, args.dir, args.runs, Path(tmp))


if __name__ == "__main__":
    main()
