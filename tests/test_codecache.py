"""The compiled-template cache makes builds faster and never different."""

from __future__ import annotations

from pathlib import Path

import pytest

from reportkit import codecache
from reportkit.assemble import templating
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


def test_a_cached_text_is_not_parsed_again_and_a_refused_one_never_cached(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    parsed = []
    parse = templating._ENV.parse
    monkeypatch.setattr(templating._ENV, "parse", lambda *a, **k: parsed.append(1) or parse(*a, **k))
    render_fresh("值 {{ a.b }}", "v.md")
    render_fresh("值 {{ a.b }}", "v.md")
    assert len(parsed) == 1  # the second build reads the vetted code from disk
    for _ in range(2):  # refused every time: nothing refused is ever written to the cache
        with pytest.raises(ReportError) as info:
            render_fresh("一\n{% import 'os' as os %}\n", "u.md")
        assert info.value.line == 2 and "import" in str(info.value)
    assert len(list(tmp_path.rglob("*.code"))) == 1


def test_traced_rendering_from_the_cache_is_identical(tmp_path: Path, monkeypatch) -> None:
    from reportkit.assemble import parse_traced, render_lines

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    source = "第一行 {{ a.b }} 元\n{% for x in [1, 2] %}第{{ x }}项\n{% endfor %}末行 1.5"
    plain = render_lines(parse_traced(source, "x.md"), {"a": {"b": 3}}, "x.md")
    fresh = render_lines(parse_traced(source, "x.md"), {"a": {"b": 3}}, "x.md", source)
    cached = render_lines(parse_traced(source, "x.md"), {"a": {"b": 3}}, "x.md", source)
    assert len(list(tmp_path.rglob("*.code"))) == 1
    assert plain == fresh == cached
    assert [line.text for line in plain.lines] == ["第一行 3 元", "第1项", "第2项", "末行 1.5"]
    assert plain.lines[0].typed == [True] * 4 + [False] + [True] * 2
    assert plain.lines[3].sources == [3] * 6


def test_the_cache_is_bounded_and_keeps_what_was_used_last(tmp_path: Path, monkeypatch) -> None:
    import os
    import time

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    monkeypatch.setattr(codecache, "MAX_ENTRIES", 3)

    def save(k: int) -> Path:  # one new text per save, as the preview makes them
        assert render_fresh(f"第{k}次保存 {{{{ a.b }}}}\n", "x.md") == f"第{k}次保存 3\n"
        newest = max(tmp_path.rglob("*.code"), key=lambda p: p.stat().st_mtime_ns)
        os.utime(newest, ns=(k * 10**9, k * 10**9))  # distinct times, whatever the clock's tick
        return newest

    entries = [save(k) for k in range(1, 4)]
    assert len(list(tmp_path.rglob("*.code"))) == 3
    time.sleep(0.01)
    render_fresh("第1次保存 {{ a.b }}\n", "x.md")  # the oldest is used again: now the newest
    save(4)
    left = set(tmp_path.rglob("*.code"))
    assert len(left) == 3
    assert entries[0] in left and entries[1] not in left  # the least recently used went
    assert render_fresh("第2次保存 {{ a.b }}\n", "x.md") == "第2次保存 3\n"  # compiled again
    assert len(list(tmp_path.rglob("*.code"))) == 3


def test_a_yaml_file_is_parsed_once_and_read_back_the_same(tmp_path: Path, monkeypatch) -> None:
    from decimal import Decimal

    from reportkit.load import yamlio

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    parses = []
    parse = yamlio._parse
    monkeypatch.setattr(yamlio, "_parse", lambda *a: parses.append(1) or parse(*a))
    facts = tmp_path / "facts.yaml"
    facts.write_text("budget:\n  adjusted: 1234.50\n  parts: &p [1, 2]\nagain: *p\nname: 单位\n", encoding="utf-8")
    first, first_lines = yamlio.load_yaml(facts)
    second, second_lines = yamlio.load_yaml(facts)
    assert len(parses) == 1 and list(tmp_path.rglob("*.data"))
    assert first == second == {"budget": {"adjusted": Decimal("1234.50"), "parts": [1, 2]}, "again": [1, 2],
                               "name": "单位"}
    assert isinstance(second["budget"]["adjusted"], Decimal)
    assert second["again"] is second["budget"]["parts"]  # an alias is still one value
    assert second_lines.lines == first_lines.lines and second_lines.line("budget.parts.1") == 3
    assert second_lines.file == str(facts)
    other = tmp_path / "copy.yaml"  # the same text elsewhere: its own file name in its lines
    other.write_text(facts.read_text(encoding="utf-8"), encoding="utf-8")
    assert yamlio.load_yaml(other)[1].file == str(other) and len(parses) == 2
    facts.write_text("budget:\n  adjusted: 99\n", encoding="utf-8")  # an edit: parsed anew
    assert yamlio.load_yaml(facts)[0] == {"budget": {"adjusted": 99}} and len(parses) == 3


def test_a_yaml_file_with_an_error_is_refused_every_time(tmp_path: Path, monkeypatch) -> None:
    from reportkit.load import yamlio

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    bad = tmp_path / "facts.yaml"
    bad.write_text("a: 1\na: 2\n", encoding="utf-8")
    for _ in range(2):
        with pytest.raises(ReportError, match="重复") as info:
            yamlio.load_yaml(bad)
        assert info.value.line == 2
    assert not list(tmp_path.rglob("*.data"))


def test_a_corrupt_yaml_entry_is_parsed_again(tmp_path: Path, monkeypatch) -> None:
    from reportkit.load import yamlio

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    facts = tmp_path / "facts.yaml"
    facts.write_text("a: 1\n", encoding="utf-8")
    yamlio.load_yaml(facts)
    (entry,) = tmp_path.rglob("*.data")
    for junk in (b"", b"not a pickle", b"\x80\x05\x95garbage"):
        entry.write_bytes(junk)
        assert yamlio.load_yaml(facts)[0] == {"a": 1}


def test_a_section_tree_is_parsed_once_and_each_call_gets_its_own(tmp_path: Path, monkeypatch) -> None:
    from jinja2 import nodes

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    parses = []
    parse = templating.parse_section
    monkeypatch.setattr(templating, "parse_section", lambda *a: parses.append(1) or parse(*a))
    source = "预算 {{ budget.adjusted | wan }} 万元\n{% if a %}有{% endif %}\n"
    first = templating.kept_section_tree(source, "content/1.md")
    second = templating.kept_section_tree(source, "content/2.md")  # the same text in another file
    assert len(parses) == 1 and first == second == parse(source, "x.md")
    assert first is not second
    assert all(n.environment is templating._ENV for n in second.find_all(nodes.Node))
    second.body.clear()  # a caller's change stays its own
    assert templating.kept_section_tree(source, "content/1.md") == first and len(parses) == 1
    monkeypatch.setattr(templating, "MAX_NESTING", 1)  # other limits: vetted again
    with pytest.raises(ReportError):
        templating.kept_section_tree("{{ ((a)) }}", "content/3.md")
    templating.kept_section_tree(source, "content/1.md")
    assert len(parses) == 3


def test_a_refused_section_text_is_refused_every_time(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    for _ in range(2):
        with pytest.raises(ReportError, match="不允许") as info:
            templating.kept_section_tree("一\n{% include 'x' %}\n", "content/4.md")
        assert info.value.line == 2 and info.value.file == "content/4.md"
    assert not list(tmp_path.rglob("*.data"))
