"""A damaged picture referenced by a section stops build and is a check error (issue 18)."""

from __future__ import annotations

from pathlib import Path

import pytest
from test_html_render import tiny_png

from reportkit.assemble import load_report
from reportkit.check import check_report
from reportkit.errors import ReportError


@pytest.mark.parametrize(("name", "data"), [
    ("truncated.png", tiny_png()[:-12]),
    ("broken.jpg", b"\xff\xd8\xff\xe0" + b"\0" * 200),
    ("not-a.png", b"GIF89a" + b"\0" * 20 + b";"),
])
def test_damaged_picture_is_an_error_with_the_line(seed000: Path, name: str, data: bytes) -> None:
    section = next((seed000 / "content").glob("1-1-*.md"))
    (section.parent / name).write_bytes(data)
    section.write_text("第一段。\n\n![图](" + name + ")\n", encoding="utf-8")
    with pytest.raises(ReportError, match=name) as caught:
        load_report(seed000)
    assert caught.value.line == 3
    found = [f for f in check_report(seed000).findings if name in f.message]
    assert found and found[0].file == f"content/{section.name}" and found[0].line == 3


def test_a_whole_picture_is_accepted(seed000: Path) -> None:
    section = next((seed000 / "content").glob("1-1-*.md"))
    (section.parent / "ok.png").write_bytes(tiny_png())
    section.write_text("第一段。\n\n![图](ok.png)\n", encoding="utf-8")
    load_report(seed000)
