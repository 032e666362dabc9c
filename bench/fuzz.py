"""Fuzz `reportkit build` with mutated report folders and count what goes wrong (issue 18).

    python bench/fuzz.py [--cases 200] [--seed 18] [--cpu 20] [--wall 300] [--memory-mb 1536]

Each case copies the example report, applies one mutation (a facts value or line, or a
snippet appended to a section: Jinja probes, CommonMark oddities, control characters, links
out of the folder …) and runs `python -m reportkit build` in a subprocess under a CPU-time
limit and an address-space limit (resource.setrlimit). A hang is a build that uses up its CPU
seconds (RLIMIT_CPU: the kernel stops it with SIGXCPU), so the counts do not depend on how
busy the machine is; a generous wall-clock limit stops builds that wait without computing
(a named pipe read forever) and counts them as hangs too. A build of the unmutated folder runs first;
after a failed build its outputs must be byte-identical. Printed: cases, wrong exits (not 0
or 2, or an internal error), hangs, blow-ups (memory), accepted bad inputs (exit 0 on a
mutation that must be refused), messages without a file, outputs changed by a failed build.
tests/test_fuzz.py runs a few of the same cases with hypothesis.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import random
import re
import resource
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent

# Values for a number or text fact; the flag says whether build must refuse it in a money field.
VALUES = [
    ("abc", True), ("", False), ("-1", False), ("１２３", True), ("١٢٣", True), ("9" * 5000, True),
    ("1e999", True), ("[1, 2]", True), ("{a: 1}", True), ("!!int abc", True), ("!!int ''", True),
    ("!!bool maybe", True), ("!!bool ''", True), ('"\\ud800"', True), ("\"x\x01\"", True), (".inf", True),
    (".nan", True), ("0", False), ("null", False), ("true", True), ("!foo bar", True), ("&a [*a]", True),
    ("1:30", False), ("0x10", False), ("'", True), ("\"unclosed", True), ("[", True), ("1.000000000000000000001", False),
    ("99999999999999999999999999999999999", True), ("{{ budget }}", False), ("\t1", False),  # a tab before a value is YAML's space
]
LINE_MUTATIONS = ["delete", "duplicate", "indent", "dedent", "fullwidth", "tab", "nul"]
BRACKETS = 3000
SNIPPETS = [
    "{{ x | upper }}", "{% if 1 is string %}a{% endif %}", '{{ "\\ud800" }}',
    "{{ " + "[" * BRACKETS + "]" * BRACKETS + " }}", "{{ " + "(" * 2000 + "1" + ")" * 2000 + " }}",
    "{{ budget" + "[0]" * 2000 + " }}", "{{ " + "+".join(["1"] * 30000) + " }}", "{{ " + "-" * 5000 + "1 }}",
    '{{ [1,2] | join([","]) }}', "{{ 1e308 * 10 }}", "{{ " + "9" * 5000 + " }}", "{{ 'a' * 10**10 }}",
    "{{ '%999999999d' % 1 }}", "{{ [1] * 10**9 }}", "{{ 3**(10**8) }}", "{{ budget.adjusted | wan(10**100) }}",
    "{{ budget.adjusted | wan(10**6) }}", "{{ budget }}", "{{ scores }}", "{{ self }}", "{{ intial }}",
    "{% for a in quarters %}" * 14 + "x" + "{% endfor %}" * 14, "{% for a in quarters %}" * 12 + "{% endfor %}" * 12,
    "{{ tables.quarterly(x=1) }}", "{{ 1 + }}", "{% foo %}", "{{", "{%", "{#", "}}",
    "> - a\n" + "- > - b\n  c\n" * 10000, "字" * 1_600_000, "- " * 3000 + "x", "> " * 3000 + "x",
    "[a](" * 2000 + ")" * 2000, "*" * 20000 + "a" + "*" * 20000, "|" * 5000 + "\n" + "|---" * 2000,
    "![图](../../../../etc/passwd)", "![图](images/missing.png)", "![图](broken.png)", "<script>alert(1)</script>",
    "\x01\x02", "\x0c", "\ufffe", "# " + "标题" * 5000, "1. " * 500 + "x", "[^1]\n\n[^1]: " + "注" * 100,
    "| a | b |\n|---|---|\n" + "| 1 | 2 |\n" * 20000,
]
BAD_SNIPPETS = set(SNIPPETS) - {"{{ intial }}"}  # every probe above must be refused, except …
BAD_SNIPPETS -= {"> - a\n" + "- > - b\n  c\n" * 10000, "- " * 3000 + "x", "> " * 3000 + "x",
                 "[a](" * 2000 + ")" * 2000, "*" * 20000 + "a" + "*" * 20000, "|" * 5000 + "\n" + "|---" * 2000,
                 "![图](images/missing.png)", "<script>alert(1)</script>", "# " + "标题" * 5000,
                 "1. " * 500 + "x", "[^1]\n\n[^1]: " + "注" * 100, "| a | b |\n|---|---|\n" + "| 1 | 2 |\n" * 20000,
                 "![图](../../../../etc/passwd)", "![图](broken.png)"}  # Markdown that is odd but not wrong
# (broken.png exists only in the "file" mutations; as a snippet it is a missing picture, like
# images/missing.png: its alt text is shown.) Past the section bounds (20,000 lines, 20,000
# characters a line: reportkit/assemble/bounds.py), odd Markdown is refused:
BAD_SNIPPETS |= {"> - a\n" + "- > - b\n  c\n" * 10000, "*" * 20000 + "a" + "*" * 20000,
                 "| a | b |\n|---|---|\n" + "| 1 | 2 |\n" * 20000}
BAD_SNIPPETS.add("{{ intial }}")
BAD_SNIPPETS.discard("{{ 1e308 * 10 }}")  # an exact 1E+309 now, as written


@dataclass
class Case:
    name: str
    bad: bool  # build must refuse it


@dataclass
class Outcome:
    case: Case
    code: int | None  # None: hung (out of CPU time, or past the wall-clock backstop)
    stderr: str
    outputs_changed: bool
    cpu: float = 0.0  # seconds of CPU the build used (user + system)

    @property
    def wrong_exit(self) -> bool:
        return self.code is not None and (self.code not in (0, 2) or "内部错误" in self.stderr or "Traceback" in self.stderr)

    @property
    def blew_up(self) -> bool:
        return self.code is not None and ("MemoryError" in self.stderr or self.code < 0 and self.code != -9)

    @property
    def accepted_bad(self) -> bool:
        return self.code == 0 and self.case.bad

    @property
    def unnamed(self) -> bool:
        return self.code == 2 and not re.search(r"(content/|\.yaml|\.md|\.docx|\.png)", self.stderr)


def mutate(root: Path, rng: random.Random) -> Case:
    """One mutation of the report folder at `root`."""
    facts = root / "content" / "facts.yaml"
    sections = sorted((root / "content").glob("[0-9]*.md"))
    kind = rng.choice(["value", "value", "line", "snippet", "snippet", "snippet", "file"])
    if kind in ("value", "line"):
        lines = facts.read_text(encoding="utf-8").split("\n")
        keyed = [i for i, line in enumerate(lines) if re.match(r"^\s+[a-z_]+:\s*\S", line) and "#" not in line.split(":")[0]]
        i = rng.choice(keyed)
        if kind == "value":
            value, bad = rng.choice(VALUES)
            key = lines[i].split(":", 1)[0]
            numeric = bool(re.match(r"^\s*-?[\d.]+\s*(#.*)?$", lines[i].split(":", 1)[1]))
            lines[i] = f"{key}: {value}"
            facts.write_text("\n".join(lines), encoding="utf-8")
            return Case(f"facts {key.strip()}={value[:20]!r}", bad and numeric or value in ("!!int abc", "&a [*a]"))
        how = rng.choice(LINE_MUTATIONS)
        if how == "delete":
            del lines[i]
        elif how == "duplicate":
            lines.insert(i, lines[i])
        elif how == "indent":
            lines[i] = "   " + lines[i]
        elif how == "dedent":
            lines[i] = lines[i].lstrip()
        elif how == "fullwidth":
            lines[i] = lines[i].replace(":", "：", 1)
        elif how == "tab":
            lines[i] = "\t" + lines[i].lstrip()
        else:
            lines[i] += "\x00"
        facts.write_text("\n".join(lines), encoding="utf-8")
        return Case(f"facts line {i + 1} {how}", how in ("duplicate", "fullwidth", "tab", "nul", "indent"))
    section = rng.choice(sections)
    if kind == "file":
        how = rng.choice(["symlink", "fifo", "broken-png", "huge-png-refs", "gbk"])
        if how == "symlink":
            section.unlink()
            section.symlink_to("/etc/passwd")
        elif how == "fifo":
            section.unlink()
            os.mkfifo(section)
        elif how == "broken-png":
            (section.parent / "broken.png").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00")
            section.write_text(section.read_text(encoding="utf-8") + "\n\n![图](broken.png)\n", encoding="utf-8")
        elif how == "huge-png-refs":
            (section.parent / "broken.png").write_bytes(b"\xff\xd8\xff\xe0" + b"\x00" * 1000)
            section.write_text(section.read_text(encoding="utf-8") + "\n\n![图](broken.png)\n", encoding="utf-8")
        else:
            section.write_bytes("第一段。".encode("gbk"))
        return Case(f"{section.name} {how}", True)
    snippet = rng.choice(SNIPPETS)
    section.write_text(section.read_text(encoding="utf-8") + "\n\n" + snippet + "\n", encoding="utf-8")
    return Case(f"{section.name} + {snippet[:30]!r}", snippet in BAD_SNIPPETS)


def _digests(out: Path) -> dict[str, str]:
    if not out.is_dir():
        return {}
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in out.iterdir() if not p.name.startswith(".")}


def wall_limit(cpu: float) -> float:
    """The wall-clock backstop for a CPU limit: generous, so that only a build waiting on
    something (not computing) meets it, even on a machine busy with other work."""
    return max(120.0, 15 * cpu)


def build(root: Path, cpu: float, memory_mb: int, python: str = sys.executable,
          wall: float | None = None) -> tuple[int | None, str, float]:
    """Exit code (None: hung), stderr and CPU seconds of one `reportkit build`."""
    seconds = max(1, round(cpu))

    def limits() -> None:
        size = memory_mb * 1024 * 1024
        resource.setrlimit(resource.RLIMIT_AS, (size, size))
        resource.setrlimit(resource.RLIMIT_FSIZE, (512 * 1024 * 1024, 512 * 1024 * 1024))
        resource.setrlimit(resource.RLIMIT_CPU, (seconds, seconds + 5))  # SIGXCPU, then SIGKILL

    env = {**os.environ, "REPORTKIT_NO_CACHE": "1", "LC_ALL": "C.UTF-8"}
    with tempfile.TemporaryFile() as err:
        proc = subprocess.Popen([python, "-m", "reportkit", "build", str(root)], stdout=subprocess.DEVNULL,
                                stderr=err, preexec_fn=limits, env=env, cwd=root.parent)
        deadline = time.monotonic() + (wall or wall_limit(cpu))
        while True:  # wait4 gives the child's own CPU time; poll so the wall backstop can act
            pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
            if pid:
                break
            if time.monotonic() > deadline:
                proc.kill()
                _, status, usage = os.wait4(proc.pid, 0)
                proc.returncode = -1
                return None, "", usage.ru_utime + usage.ru_stime
            time.sleep(0.05)
        proc.returncode = code = os.waitstatus_to_exitcode(status)
        used = usage.ru_utime + usage.ru_stime
        err.seek(0)
        stderr = err.read().decode("utf-8", "replace")
    if code == -signal.SIGXCPU or code == -signal.SIGKILL and used >= seconds:
        return None, stderr, used  # used up its CPU time (only RLIMIT_CPU sends SIGXCPU): a hang
    return code, stderr, used


def run_case(example: Path, built: Path, rng: random.Random, cpu: float, memory_mb: int,
             python: str = sys.executable, wall: float | None = None) -> Outcome:
    """Mutate a copy of the built example and build it; compare the outputs on failure."""
    work = Path(tempfile.mkdtemp(prefix="rk-fuzz-"))
    try:
        root = work / "report"
        shutil.copytree(built, root, symlinks=True)
        before = _digests(root / "build")
        case = mutate(root, rng)
        code, stderr, used = build(root, cpu, memory_mb, python, wall)
        changed = code not in (0, None) and _digests(root / "build") != before
        return Outcome(case, code, stderr, changed, used)
    finally:
        shutil.rmtree(work, ignore_errors=True)


def prepare(example: Path, python: str = sys.executable) -> Path:
    """The example report folder with its outputs built once (the 'previous build')."""
    work = Path(tempfile.mkdtemp(prefix="rk-fuzz-base-"))
    root = work / "report"
    shutil.copytree(example / "content", root / "content")
    code, stderr, _ = build(root, 300, 4096, python)
    if code != 0:
        raise SystemExit(f"the unmutated example does not build: {stderr}")
    return root


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--cases", type=int, default=200)
    parser.add_argument("--seed", type=int, default=18)
    parser.add_argument("--cpu", type=float, default=20, help="CPU seconds per build; more is a hang")
    parser.add_argument("--wall", type=float, default=None,
                        help="wall-clock backstop per build (default: the larger of 120 s and 15 × --cpu)")
    parser.add_argument("--memory-mb", type=int, default=1536)
    parser.add_argument("--repo", type=Path, default=REPO, help="the tree to fuzz (its content/ and reportkit/)")
    parser.add_argument("--python", default=sys.executable)
    parser.add_argument("-v", "--verbose", action="store_true")
    args = parser.parse_args()
    os.environ["PYTHONPATH"] = str(args.repo)
    built = prepare(args.repo, args.python)
    rng = random.Random(args.seed)
    counts = dict.fromkeys(["cases", "wrong exits", "hangs", "blow-ups", "accepted bad inputs",
                            "messages without a file", "outputs changed by a failed build"], 0)
    start = time.perf_counter()
    for _ in range(args.cases):
        o = run_case(args.repo, built, rng, args.cpu, args.memory_mb, args.python, args.wall)
        counts["cases"] += 1
        flags = {"wrong exits": o.wrong_exit, "hangs": o.code is None, "blow-ups": o.blew_up,
                 "accepted bad inputs": o.accepted_bad, "messages without a file": o.unnamed,
                 "outputs changed by a failed build": o.outputs_changed}
        for key, flag in flags.items():
            counts[key] += flag
        if args.verbose and any(flags.values()):
            last = (o.stderr.strip().splitlines() or [""])[-1][:160]
            print(f"  {o.case.name}: exit {o.code} ({o.cpu:.1f} s CPU) {[k for k, v in flags.items() if v]} {last}",
                  flush=True)
    shutil.rmtree(built.parent, ignore_errors=True)
    for key, value in counts.items():
        print(f"{key}: {value}")
    wall = args.wall or wall_limit(args.cpu)
    print(f"({time.perf_counter() - start:.0f} s, seed {args.seed}, {args.cpu:g} s CPU, wall backstop {wall:g} s, "
          f"{args.memory_mb} MB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
