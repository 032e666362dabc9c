"""A broken Word template is refused by check and by build with the same clear words.

A template is a user's file (edited in Word, WPS or LibreOffice, sent by e-mail): a part cut
short, bytes flipped, a part or a relationship missing. Every such case names the template
and says it is not a valid Word file; none is an internal error (before the renderer read
templates itself, 58 of 240 fuzzed builds and checks of such templates were).
"""

from __future__ import annotations

import shutil
import zipfile
from pathlib import Path

import pytest

from reportkit.cli import main
from reportkit.load import default_template

REPO = Path(__file__).resolve().parent.parent
NOT_WORD = "不是有效的 Word 文档"


def _entries() -> dict[str, bytes]:
    with zipfile.ZipFile(default_template()) as z:
        return {name: z.read(name) for name in z.namelist()}


def _cut(name: str):
    def change(entries: dict[str, bytes]) -> None:
        entries[name] = entries[name][: len(entries[name]) // 2]
    return change


def _garbage(name: str):
    def change(entries: dict[str, bytes]) -> None:
        entries[name] = b"\x89PNG not xml"
    return change


def _drop(name: str):
    def change(entries: dict[str, bytes]) -> None:
        del entries[name]
    return change


def _replace(name: str, old: str, new: str):
    def change(entries: dict[str, bytes]) -> None:
        text = entries[name].decode()
        assert old in text
        entries[name] = text.replace(old, new).encode()
    return change


XML_PARTS = ["word/document.xml", "word/styles.xml", "word/settings.xml", "word/footer1.xml",
             "word/fontTable.xml", "docProps/core.xml", "[Content_Types].xml",
             "word/_rels/document.xml.rels", "_rels/.rels"]
CASES = {
    **{f"cut-{name}": _cut(name) for name in XML_PARTS},
    **{f"garbage-{name}": _garbage(name) for name in XML_PARTS},
    "no-document": _drop("word/document.xml"),
    "no-styles-part": _drop("word/styles.xml"),
    "no-content-types": _drop("[Content_Types].xml"),
    "a-dotx": _replace("[Content_Types].xml", "document.main+xml", "template.main+xml"),
    "no-body": _replace("word/document.xml", "<w:body>", "<w:bodx>"),
}


@pytest.mark.parametrize("change", CASES.values(), ids=CASES.keys())
def test_refused_by_check_and_build(change, tmp_path: Path, capsys) -> None:
    root = tmp_path / "report"
    shutil.copytree(REPO / "content", root / "content")
    entries = _entries()
    change(entries)
    with zipfile.ZipFile(root / "模板.docx", "w") as z:
        for name, blob in entries.items():
            z.writestr(name, blob)
    (root / "reportkit.yaml").write_text("template: 模板.docx\n", encoding="utf-8")
    for command in ("check", "build"):
        capsys.readouterr()
        code = main([command, str(root)])
        said = "".join(capsys.readouterr())
        assert code == 2 and NOT_WORD in said and "模板.docx" in said, (command, said)
        assert "内部错误" not in said
    assert not (root / "build").exists() or not any((root / "build").glob("*.docx"))
