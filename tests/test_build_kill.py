"""A build killed at any moment leaves build/ with a complete earlier or a complete new set of
outputs, once the next build (recover) has looked at it; no stray temporary files (issue 18).

The builds run in forked children of the test process (the report modules are imported once),
killed with SIGKILL: no finally clause, no cleanup, as when a user's machine kills a build.
"""

from __future__ import annotations

import hashlib
import json
import os
import random
import signal
import time
from pathlib import Path

import pytest

from reportkit import build as B
from reportkit.build import JOURNAL, MANIFEST, build, recover

KILLS = 50
A, B_ = "本节正文甲。\n", "本节正文乙，另一个版本。\n"


def _digests(out: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in out.iterdir() if not p.name.startswith(".")}


def _set_section(root: Path, text: str) -> None:
    section = next((root / "content").glob("1-1-*.md"))
    tmp = root.parent / "section.tmp"
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, section)  # atomic: a kill never leaves half a section


def _in_child(work) -> int:  # noqa: ANN001
    """Run `work` in a forked child; return its pid (the child never returns into pytest)."""
    pid = os.fork()
    if pid == 0:
        try:
            work()
        finally:
            os._exit(0)
    return pid


def _assert_complete(out: Path, sets: list[dict[str, str]]) -> dict[str, str]:
    """Before recovery: without a journal the outputs are a complete set; after: always."""
    if not (out / JOURNAL).exists():
        assert _digests(out) in sets
    notes = recover(out)
    now = _digests(out)
    assert now in sets, notes
    assert not list(out.glob(".*.tmp")) and not (out / JOURNAL).exists()
    manifest = json.loads((out / MANIFEST).read_text(encoding="utf-8"))["outputs"]
    assert manifest == now
    return now


@pytest.fixture
def two_builds(seed000: Path) -> tuple[Path, list[dict[str, str]], float]:
    """The report folder, the output digests of its two versions, and one build's duration."""
    sets = []
    start = time.perf_counter()
    for text in (B_, A):
        _set_section(seed000, text)
        build(seed000)
        sets.append(_digests(seed000 / "build"))
    assert sets[0] != sets[1] and len(sets[0]) == 3
    return seed000, sets, (time.perf_counter() - start) / 2


def test_a_kill_at_each_step_of_the_move_is_repaired(two_builds, monkeypatch) -> None:
    root, sets, _ = two_builds
    out = root / "build"
    real_replace = os.replace
    for step in range(1, 7):  # journal, three outputs, manifest, and after the last
        calls = []

        def replace(src, dst, step=step, calls=calls):  # noqa: ANN001
            calls.append(dst)
            if len(calls) == step:
                os.kill(os.getpid(), signal.SIGKILL)
            real_replace(src, dst)

        text = B_ if step % 2 else A

        def work(text=text, replace=replace) -> None:
            _set_section(root, text)
            monkeypatch.setattr(B.os, "replace", replace)
            build(root)

        pid = _in_child(work)
        _, status = os.waitpid(pid, 0)
        assert os.WIFSIGNALED(status) or step == 6
        _assert_complete(out, sets)
    build(root)  # the next build succeeds
    assert not list(out.glob(".*.tmp"))


def test_random_kills_leave_a_complete_set(two_builds) -> None:
    root, sets, duration = two_builds
    out = root / "build"
    rng = random.Random(18)

    for kill in range(KILLS):
        started, tell = os.pipe()

        def work(kill=kill, tell=tell) -> None:
            for i in range(1000):
                _set_section(root, A if (kill + i) % 2 else B_)
                os.write(tell, b".")  # a build starts: the kill is timed from here, not from fork
                build(root)

        pid = _in_child(work)
        os.close(tell)
        os.read(started, 1)
        time.sleep(rng.uniform(0, 1.2 * duration))
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
        os.close(started)
        _assert_complete(out, sets)
    _set_section(root, A)
    build(root)
    assert _digests(out) == sets[1]
    assert not list(out.glob(".*.tmp")) and not (out / JOURNAL).exists()
