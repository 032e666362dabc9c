"""The compiled-template cache makes builds faster and never different."""

from __future__ import annotations

from pathlib import Path

import pytest

from reportkit import codecache, templating
from reportkit.errors import ReportError


def render_fresh(source: str, file: str) -> str:
    templating._compile.cache_clear()  # force the disk cache path, as a new process would
    return templating.render_text(source, {"a": {"b": 3}}, file)


def test_second_render_comes_from_disk_and_is_identical(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    source = "第一行\n值 {{ a.b }}\n"
    first = render_fresh(source, "x.md")
    entries = list(tmp_path.rglob("*.code"))
    assert len(entries) == 1
    assert render_fresh(source, "x.md") == first == "第一行\n值 3\n"


def test_errors_keep_their_line_when_the_code_is_cached(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    source = "一\n二\n{{ a.missing }}\n"
    for _ in range(2):
        with pytest.raises(ReportError) as info:
            render_fresh(source, "y.md")
        assert info.value.line == 3 and "missing" in str(info.value)


def test_a_corrupt_entry_is_recompiled(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    render_fresh("{{ a.b }}", "z.md")
    (entry,) = tmp_path.rglob("*.code")
    entry.write_bytes(b"not marshal data")
    assert render_fresh("{{ a.b }}", "z.md") == "3"


def test_cache_can_be_switched_off(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    monkeypatch.setenv("REPORTKIT_NO_CACHE", "1")
    assert codecache.cache_dir() is None
    assert render_fresh("{{ a.b }}", "w.md") == "3"
    assert not list(tmp_path.rglob("*.code"))
