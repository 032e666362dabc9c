"""Parsed sections are shared by every build of the same text (assemble/markdown.parse keeps
them): that is right only while nothing changes a token after parsing."""

from __future__ import annotations

import shutil
from pathlib import Path

from reportkit import build_report, check_report, load_report
from reportkit.assemble import markdown

REPO = Path(__file__).parent.parent


def snapshot(report) -> list:  # noqa: ANN001
    return [[t.as_dict() for t in block.tokens] for block in report.blocks if block.tokens]


def test_building_and_checking_leave_the_parsed_tokens_as_they_were(tmp_path: Path) -> None:
    root = tmp_path / "report"
    shutil.copytree(REPO / "content", root / "content")
    report = load_report(root)
    before = snapshot(report)
    assert before, "the example has sections with text"
    build_report(root)
    check_report(root)
    assert snapshot(report) == before
    again = load_report(root)
    assert [b.tokens for b in again.blocks if b.tokens][0] is [b.tokens for b in report.blocks if b.tokens][0]


def test_a_second_build_in_the_same_process_writes_the_same_bytes(tmp_path: Path) -> None:
    root = tmp_path / "report"
    shutil.copytree(REPO / "content", root / "content")
    build_report(root)
    first = {p.name: p.read_bytes() for p in (root / "build").iterdir() if not p.name.startswith(".")}
    build_report(root)
    second = {p.name: p.read_bytes() for p in (root / "build").iterdir() if not p.name.startswith(".")}
    assert first == second


def test_the_cache_is_bounded_by_the_text_it_keeps(monkeypatch) -> None:  # noqa: ANN001
    monkeypatch.setattr(markdown, "_PARSED", type(markdown._PARSED)())
    monkeypatch.setattr(markdown, "_parsed_chars", 0)
    monkeypatch.setattr(markdown, "_PARSED_CHARS", 1000)
    for i in range(200):
        markdown.parse(f"第 {i} 段：" + "文字" * 20)
    assert sum(map(len, markdown._PARSED)) == markdown._parsed_chars <= 1000
    assert markdown.parse("第 199 段：" + "文字" * 20) is markdown._PARSED["第 199 段：" + "文字" * 20]
