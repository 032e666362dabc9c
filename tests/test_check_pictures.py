"""check warns of every picture the report will show as its alt text, with its line."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from reportkit import check_report
from reportkit.assemble import pictures

REPO = Path(__file__).parent.parent
SECTION = "1-1-主要职能.md"
PNG = REPO / "tests" / "data" / "mini" / "content" / "images" / "chart.png"
UNSHOWN = [("一", "images/missing.png", "“images/missing.png”不存在"),
           ("二", "https://example.com/a.png", "是网络地址"),
           ("三", "../../outside.png", "在报告文件夹之外"),
           ("四", "images/big.png", "超过每张")]


def _report(tmp_path: Path, lines: list[str]) -> Path:
    root = tmp_path / "report"
    shutil.copytree(REPO / "content", root / "content")
    (root / "content" / "images").mkdir(exist_ok=True)
    path = root / "content" / SECTION
    path.write_text(path.read_text(encoding="utf-8").rstrip() + "\n\n" + "\n\n".join(lines) + "\n", encoding="utf-8")
    return root


def _warnings(root: Path) -> list[tuple[int | None, str]]:
    return [(f.line, f.message) for f in check_report(root).findings
            if f.file == f"content/{SECTION}" and "图片" in f.message]


def test_pictures_shown_as_alt_text_are_named_with_their_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = _report(tmp_path, [f"![图{n}]({src})" for n, src, _ in UNSHOWN])
    shutil.copy(PNG, tmp_path / "outside.png")
    shutil.copy(PNG, root / "content" / "images" / "big.png")
    monkeypatch.setattr(pictures, "MAX_PICTURE_BYTES", PNG.stat().st_size - 1)
    found = _warnings(root)
    lines = (root / "content" / SECTION).read_text(encoding="utf-8").splitlines()
    assert [line for line, _ in found] == [lines.index(f"![图{n}]({src})") + 1 for n, src, _ in UNSHOWN]
    for (_, message), (_, _, why) in zip(found, UNSHOWN, strict=True):
        assert why in message and message.endswith("报告中只显示它的说明文字")


def test_a_picture_that_is_there_is_not_mentioned(tmp_path: Path) -> None:
    root = _report(tmp_path, ["![图](images/ok.png)"])
    shutil.copy(PNG, root / "content" / "images" / "ok.png")
    assert _warnings(root) == []
