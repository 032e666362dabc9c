"""Bounds on a section's lines (reportkit/assemble/bounds.py): build and check refuse the same
files with the same message naming file:line, at the limit + 1 and not at the limit; and the
inputs that used to hang finish under a CPU-time limit (a subprocess under setrlimit; CPU
time, not wall time, so a loaded machine does not make them fail)."""

from __future__ import annotations

import os
import random
import resource
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from reportkit import build_report, check_report
from reportkit.assemble import MAX_LINE_CHARS, MAX_SECTION_LINES
from reportkit.errors import ReportError

REPO = Path(__file__).resolve().parent.parent
SECTION = "3-3-后续工作计划.md"
REL = f"content/{SECTION}"
CPU_SECONDS = 60  # the new code needs a few; the quadratic old one, minutes to hours


def _copy(tmp: Path) -> Path:
    root = tmp / "report"
    shutil.copytree(REPO / "content", root / "content")
    return root


def _lines_of(root: Path) -> int:
    return len((root / "content" / SECTION).read_text(encoding="utf-8").rstrip().split("\n"))


def _append(root: Path, text: str) -> None:
    path = root / "content" / SECTION
    path.write_text(path.read_text(encoding="utf-8").rstrip() + "\n" + text, encoding="utf-8")


def _errors(root: Path) -> list[str]:
    return [
        f"{f.file}:{f.line}：{f.message}"
        for f in check_report(root).findings
        if f.severity == "error"
    ]


def _build_error(root: Path) -> str:
    with pytest.raises(ReportError) as caught:
        build_report(root)
    return f"{caught.value.file}:{caught.value.line}：{caught.value.message}"


def test_a_section_of_exactly_the_line_limit_builds_and_one_more_line_is_refused(
    tmp_path: Path,
) -> None:
    root = _copy(tmp_path)
    _append(root, "- 项\n" * (MAX_SECTION_LINES - _lines_of(root)))
    assert _lines_of(root) == MAX_SECTION_LINES
    assert _errors(root) == []
    build_report(root)
    _append(root, "- 再一项\n")
    message = f"{REL}:{MAX_SECTION_LINES + 1}：章节有 {MAX_SECTION_LINES + 1:,} 行，超过每个章节 {MAX_SECTION_LINES:,} 行的上限"
    assert _build_error(root) == message
    assert _errors(root) == [message]


def test_a_line_of_exactly_the_char_limit_builds_and_one_more_char_is_refused(
    tmp_path: Path,
) -> None:
    root = _copy(tmp_path)
    sentence = "本年度各项工作按计划推进，资金使用规范。"
    line = (sentence * (MAX_LINE_CHARS // len(sentence) + 1))[:MAX_LINE_CHARS]
    _append(root, "\n" + line + "\n")
    at = _lines_of(root)
    assert _errors(root) == []
    build_report(root)
    path = root / "content" / SECTION
    path.write_text(
        path.read_text(encoding="utf-8").replace(line, line + "字") + "\n\n末段。\n",
        encoding="utf-8",
    )
    message = f"{REL}:{at}：这一行有 {MAX_LINE_CHARS + 1:,} 个字符，超过每行 {MAX_LINE_CHARS:,} 个字符的上限"
    assert _build_error(root) == message
    assert _errors(root) == [message]


def test_a_line_made_too_long_by_an_expression_is_refused_on_its_source_line(
    tmp_path: Path,
) -> None:
    root = _copy(tmp_path)
    _append(root, '\n{{ "字" * ' + str(MAX_LINE_CHARS) + " }}\n\n末段。\n")
    at = _lines_of(root) - 2
    assert _errors(root) == []
    build_report(root)
    path = root / "content" / SECTION
    path.write_text(
        path.read_text(encoding="utf-8").replace(str(MAX_LINE_CHARS), str(MAX_LINE_CHARS + 1)),
        encoding="utf-8",
    )
    message = (
        f"{REL}:{at}：这一行有 {MAX_LINE_CHARS + 1:,} 个字符（由 {{{{ }}}} 或 {{% %}} 展开而成），"
        f"超过每行 {MAX_LINE_CHARS:,} 个字符的上限"
    )
    assert _build_error(root) == message
    assert _errors(root) == [message]


def test_lines_made_by_a_loop_count_and_the_message_names_a_line_of_the_loop(
    tmp_path: Path,
) -> None:
    root = _copy(tmp_path)
    loops = "".join("{% for " + v + " in quarters %}" for v in "abcde")  # 4 ** 5 = 1,024 rounds
    _append(root, "\n" + loops + "\n" + "- 项\n" * 20 + "{% endfor %}" * 5 + "\n")
    body = range(
        _lines_of(root) - 20, _lines_of(root)
    )  # the loop's 20 lines: 20,480 rendered lines
    message = _build_error(root)
    line = int(message.split("：")[0].rsplit(":", 1)[1])
    assert line in body and message.endswith(
        f"行（由 {{{{ }}}} 或 {{% %}} 展开而成），超过每个章节 {MAX_SECTION_LINES:,} 行的上限"
    )
    assert _errors(root) == [message]


def _limited(args: list[str], cwd: Path) -> subprocess.CompletedProcess:
    def limits() -> None:
        resource.setrlimit(resource.RLIMIT_CPU, (CPU_SECONDS, CPU_SECONDS))

    env = {**os.environ, "REPORTKIT_NO_CACHE": "1", "PYTHONPATH": str(REPO)}
    return subprocess.run(
        [sys.executable, "-m", "reportkit", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        preexec_fn=limits,
        env=env,
        timeout=20 * CPU_SECONDS,
    )


# Lazy continuation and nesting that markdown-it-py and the checks read in linear time now
# (the check's joining of a paragraph's lines was quadratic): just under the line limit each.
SHAPES = ["- > - b\n  c\n", "> > > - a\nlazy\n", "- a\n  - b\n    - c\n      - d\nlazy\n"]


@pytest.mark.parametrize("shape", SHAPES)
def test_pathological_lazy_lists_at_the_line_limit_build_and_check_within_a_cpu_limit(
    tmp_path: Path, shape: str
) -> None:
    root = _copy(tmp_path)
    _append(root, "\n" + shape * ((MAX_SECTION_LINES - _lines_of(root) - 1) // shape.count("\n")))
    for command in (["check", "."], ["build", "."]):
        done = _limited(command, root)
        assert done.returncode == 0, (command, done.returncode, done.stderr[-500:])


def test_the_same_shape_past_the_line_limit_is_refused_quickly(tmp_path: Path) -> None:
    root = _copy(tmp_path)
    _append(root, "> - a\n" + "- > - b\n  c\n" * 10000)  # issue 18's hang
    for command in (["check", "."], ["build", "."]):
        done = _limited(command, root)
        assert (
            done.returncode == 2 and f"{REL}:{MAX_SECTION_LINES + 1}" in done.stdout + done.stderr
        ), done.stderr[-500:]


def _sentence(rng: random.Random) -> str:
    amount = f"{rng.randint(1, 99999):,}.{rng.randint(0, 99):02d}"
    rate = f"{rng.randint(1, 100)}.{rng.randint(0, 99):02d}"
    return rng.choice(
        [
            f"本年度支出 {amount} 万元，执行率 {rate}%",
            f"其中基本支出 {amount} 万元，项目支出 {amount} 万元",
            f"较上年增加 {amount} 万元，增长 {rate}%",
            f"政府采购金额 {amount} 万元，占比 {rate}%",
            "部门围绕年度目标扎实推进各项工作",
        ]
    ) + rng.choice("。，；")


def test_a_1_6_mib_paragraph_of_figures_is_checked_within_a_cpu_limit(tmp_path: Path) -> None:
    """Wrapped over lines with no blank line between them: one paragraph to the checks."""
    root = _copy(tmp_path)
    rng = random.Random(18)
    lines, size = [], 0
    while size < 1.6 * 1024 * 1024:
        lines.append("".join(_sentence(rng) for _ in range(3)))
        size += len(lines[-1].encode()) + 1
    _append(root, "\n" + "\n".join(lines) + "\n")
    done = _limited(["check", "."], root)
    assert done.returncode == 0 and "警告" in done.stdout, done.stderr[-500:]


def test_a_1_6_mib_line_is_refused_by_check_and_build(tmp_path: Path) -> None:
    root = _copy(tmp_path)
    rng = random.Random(18)
    line = "".join(_sentence(rng) for _ in range(40_000))[: 1_600_000 // 3]
    _append(root, "\n" + line + "\n")
    at = _lines_of(root)
    for command in (["check", "."], ["build", "."]):
        done = _limited(command, root)
        assert done.returncode == 2 and f"{REL}:{at}：这一行有" in done.stdout + done.stderr, (
            done.stderr[-500:]
        )


def test_line_breaks_and_long_lines_are_found_alike_with_and_without_a_carriage_return() -> None:
    """bounds looks for \\r\\n and a lone \\r only in a text that has a \\r: the same counts and the
    same long line as counting all three kinds of break in every text (as it did)."""
    import re

    from reportkit.assemble import bounds

    def breaks(text: str, end: int) -> int:
        return text.count("\n", 0, end) + text.count("\r", 0, end) - text.count("\r\n", 0, end)

    def long_line(text: str) -> int | None:
        start = 0
        for end in re.finditer(r"\r\n?|\n", text):
            if end.start() - start > MAX_LINE_CHARS:
                return start
            start = end.end()
        return start if len(text) - start > MAX_LINE_CHARS else None

    rng = random.Random(15)
    pieces = ["\n", "\r", "\r\n", "\n\r", "文字", "a", "x" * (MAX_LINE_CHARS // 2), "y" * MAX_LINE_CHARS]
    for _ in range(400):
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 12)))
        end = rng.randint(0, len(text))
        assert bounds._breaks(text, end) == breaks(text, end), repr(text[:40])
        assert bounds._breaks(text) == breaks(text, len(text))
        assert bounds._long_line(text) == long_line(text), repr(text[:40])
