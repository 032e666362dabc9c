"""The start-up cache makes a start faster and never different: patterns and dataclasses built
from it behave exactly as freshly compiled ones, and a bad cache file is only a slower start."""

from __future__ import annotations

import dataclasses
import hashlib
import json
import marshal
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from reportkit import startcache

REPO = Path(__file__).parent.parent

PATTERNS = [
    (r"(?P<year>\d{4})\s*年\s*(?P<month>\d{1,2})\s*月", 0),
    (r"[⺀-鿿豈-\ufaff︰-﹏\uff00-\uffef]", 0),  # a big character class: the slow kind to compile
    (r"[^\t\n\r -~\x85\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]", 0),
    (r"^\s*(?:第[一二三四五六七八九十]+[章节])?(.*?)$", re.M | re.S),
    (r"hello (?i:world) | a b c  # a comment", re.X),
    (rb"\x00[\x01-\x08]+", 0),
    (r"(a)(?:b)(?P<c>c)?(?(1)d|e)", re.I),
]


@pytest.fixture()
def installed(tmp_path: Path, monkeypatch):
    """The cache installed in this process with an empty cache directory; undone afterwards."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    monkeypatch.delenv("REPORTKIT_NO_CACHE", raising=False)
    monkeypatch.setattr(startcache, "_patterns", {})
    monkeypatch.setattr(startcache, "_functions", {})
    monkeypatch.setattr(startcache, "_used", set())
    monkeypatch.setattr(startcache, "_state", {"path": None, "compiling": 0.0})
    monkeypatch.setattr(startcache, "SAVE_AFTER_SECONDS", 0.0)  # every new entry is worth a save here
    monkeypatch.setattr(re._compiler, "compile", re._compiler.compile)
    monkeypatch.setattr(dataclasses, "exec", exec, raising=False)
    assert startcache.install()
    yield tmp_path
    re.purge()


def fresh(pattern, flags):
    return startcache._original_compile(pattern, flags)


def cached_files(root: Path) -> list[Path]:
    return list(root.rglob("startup-*.marshal"))


def test_patterns_from_the_cache_are_the_compiled_patterns(installed: Path) -> None:
    re.purge()
    for pattern, flags in PATTERNS:
        compiled = re.compile(pattern, flags)
        # Pattern equality compares the flags, the pattern and the compiled code itself
        assert compiled == fresh(pattern, flags)
        assert compiled.groupindex == fresh(pattern, flags).groupindex
        assert compiled.groups == fresh(pattern, flags).groups
    startcache.save()
    (file,) = cached_files(installed)
    # a new process reads them back
    startcache._patterns.clear()
    startcache._read(str(file))
    re.purge()
    for pattern, flags in PATTERNS:
        assert (pattern, flags) in startcache._patterns
        assert re.compile(pattern, flags) == fresh(pattern, flags)
    assert re.compile(PATTERNS[0][0]).match("2024 年 3 月").group("month") == "3"


def test_a_bad_pattern_is_refused_as_before_and_not_kept(installed: Path) -> None:
    re.purge()
    with pytest.raises(re.error, match="global flags not at the start"):
        re.compile(r"a(?x)b")
    assert (r"a(?x)b", 0) not in startcache._patterns


def test_a_dataclass_made_through_the_cache_is_the_same_class(installed: Path) -> None:
    def make():
        @dataclasses.dataclass(frozen=True)
        class Money:
            unit: str
            amount: int = 0
            tags: tuple = dataclasses.field(default_factory=tuple)

        return Money

    first = make()
    startcache.save()
    startcache._functions.clear()
    startcache._read(str(cached_files(installed)[0]))
    assert startcache._functions
    second = make()
    for cls in (first, second):
        value = cls("万元", 3)
        assert value == cls("万元", 3) and value != cls("元", 3) and hash(value) == hash(cls("万元", 3))
        assert repr(value) == "test_a_dataclass_made_through_the_cache_is_the_same_class.<locals>.make.<locals>." \
            "Money(unit='万元', amount=3, tags=())"
        with pytest.raises(dataclasses.FrozenInstanceError):
            value.unit = "元"
        # compiled as dataclasses compile it, without startcache's `from __future__ import
        # annotations`, which would keep the generated names ("_type_unit") as text
        assert cls.__init__.__annotations__ == {"unit": "str", "amount": "int", "tags": "tuple", "return": None}


def test_nothing_new_nothing_written(installed: Path) -> None:
    re.compile("abc")
    startcache.save()
    (file,) = cached_files(installed)
    before = file.stat().st_mtime_ns
    os.utime(file, ns=(before - 10**9, before - 10**9))
    re.purge()
    re.compile("abc")
    startcache.save()
    assert file.stat().st_mtime_ns == before - 10**9


def test_what_is_quick_to_compile_is_not_worth_rewriting_the_file(installed: Path, monkeypatch) -> None:
    monkeypatch.setattr(startcache, "SAVE_AFTER_SECONDS", 0.005)
    clock = iter(range(10**6))
    monkeypatch.setattr(startcache, "perf_counter", lambda: next(clock) * 0.001)  # 1 ms a call
    re.purge()
    re.compile("quick")  # 1 ms
    startcache.save()
    assert not cached_files(installed)
    for k in range(5):  # 5 ms more
        re.compile(f"slow{k}")
    startcache.save()
    startcache._patterns.clear()
    startcache._read(startcache._state["path"])
    assert {("quick", 0), ("slow4", 0)} <= set(startcache._patterns)


def test_a_corrupt_or_foreign_file_is_ignored(installed: Path) -> None:
    path = Path(startcache._state["path"])
    path.parent.mkdir(parents=True, exist_ok=True)
    for content in (b"not marshal data", marshal.dumps(("cpython-299", {("x", 0): (0, [1], 0, {}, ())}, {})),
                    marshal.dumps(["a list"]), b""):
        path.write_bytes(content)
        startcache._patterns.clear()
        startcache._read(str(path))
        assert ("x", 0) not in startcache._patterns
    re.purge()
    assert re.compile(r"\d+年") == fresh(r"\d+年", 0)
    startcache.save()
    startcache._patterns.clear()
    startcache._read(str(path))
    assert (r"\d+年", 0) in startcache._patterns


def test_a_full_cache_keeps_only_what_this_run_used(installed: Path, monkeypatch) -> None:
    monkeypatch.setattr(startcache, "MAX_ENTRIES", 5)
    for k in range(10):
        startcache._patterns[(f"old{k}", 0)] = startcache._sre_arguments(f"old{k}", 0)
    re.purge()
    re.compile("new")
    startcache.save()
    startcache._patterns.clear()
    startcache._read(startcache._state["path"])
    assert list(startcache._patterns) == [("new", 0)]


def test_switched_off(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    monkeypatch.setenv("REPORTKIT_NO_CACHE", "1")
    monkeypatch.setattr(startcache, "_state", {"path": None, "compiling": 0.0})
    assert not startcache.install()
    assert re._compiler.compile is startcache._original_compile


def _digests(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted((folder / "build").iterdir())
            if p.is_file() and not p.name.startswith(".")}


def test_the_command_builds_the_same_bytes_with_and_without_the_cache(tmp_path: Path) -> None:
    report = tmp_path / "报告"
    shutil.copytree(REPO / "content", report / "content")
    cache = tmp_path / "cache"
    runs = []
    for off in (True, False, False):  # no cache; filling it; from it
        env = {k: v for k, v in os.environ.items() if k != "REPORTKIT_NO_CACHE"}
        env.update({"XDG_CACHE_HOME": str(cache)}, **({"REPORTKIT_NO_CACHE": "1"} if off else {}))
        built = subprocess.run([sys.executable, "-m", "reportkit", "build"], cwd=report, env=env,
                               capture_output=True, text=True)
        checked = subprocess.run([sys.executable, "-m", "reportkit", "check", "--json"], cwd=report, env=env,
                                 capture_output=True, text=True)
        assert built.returncode == 0 and checked.returncode == 0, built.stderr + checked.stderr
        runs.append((_digests(report), json.loads(checked.stdout)))
        assert bool(cached_files(cache)) is not off  # switched off: nothing written
    assert runs[0] == runs[1] == runs[2]
    (file,) = cached_files(cache)
    tag, patterns, functions = marshal.loads(file.read_bytes())
    assert len(patterns) > 100 and len(functions) > 100  # the libraries' and ours


def test_a_cache_directory_that_cannot_be_made_is_only_a_slower_start(tmp_path: Path) -> None:
    report = tmp_path / "报告"
    shutil.copytree(REPO / "content", report / "content")
    blocked = tmp_path / "not-a-directory"
    blocked.write_text("", encoding="utf-8")  # the cache directory would have to be inside a file
    env = {k: v for k, v in os.environ.items() if k != "REPORTKIT_NO_CACHE"}
    env["XDG_CACHE_HOME"] = str(blocked)
    done = subprocess.run([sys.executable, "-m", "reportkit", "build"], cwd=report, env=env,
                          capture_output=True, text=True)
    assert done.returncode == 0 and not done.stderr, done.stderr
    assert (report / "build" / "scores.json").is_file()
