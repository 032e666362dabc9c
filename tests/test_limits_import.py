"""`reportkit import` of a Word file whose parts unpack to more than a real report holds: refused
before pandoc writes anything, with a Chinese message (issue 18)."""

from __future__ import annotations

import zipfile
from pathlib import Path

import docx
import pytest

from reportkit.errors import ReportError
from reportkit.importer import docx as D
from reportkit.importer.docx import _pandoc_problem, check_docx


def word_file(path: Path, picture_bytes: int) -> Path:
    docx.Document().save(str(path))
    with zipfile.ZipFile(path, "a", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("word/media/image1.png", b"\0" * picture_bytes)
    return path


def test_a_part_over_the_cap_is_refused_before_converting(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr(D, "MAX_PART_BYTES", 1024 * 1024)
    check_docx(word_file(tmp_path / "ok.docx", 1024 * 1024))  # at the limit: accepted
    with pytest.raises(ReportError, match="word/media/image1.png") as caught:
        check_docx(word_file(tmp_path / "big.docx", 1024 * 1024 + 1))
    assert "解压后" in str(caught.value) and caught.value.file == str(tmp_path / "big.docx")


def test_all_parts_together_are_capped(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr(D, "MAX_UNPACKED_BYTES", 512 * 1024)
    with pytest.raises(ReportError, match="累计"):
        check_docx(word_file(tmp_path / "big.docx", 512 * 1024))


def test_a_part_that_lies_about_its_size_is_counted_while_read(tmp_path: Path, monkeypatch) -> None:
    path = word_file(tmp_path / "liar.docx", 2 * 1024 * 1024)
    monkeypatch.setattr(D, "MAX_PART_BYTES", 1024 * 1024)
    real = zipfile.ZipFile.infolist

    def lying(self):  # noqa: ANN001, ANN202 - the central directory claims a tiny picture
        infos = real(self)
        for info in infos:
            if info.filename.endswith("image1.png"):
                info.file_size = 10
        return infos

    monkeypatch.setattr(zipfile.ZipFile, "infolist", lying)
    with pytest.raises(ReportError):
        check_docx(path)


def test_pandoc_killed_by_a_limit_is_said_in_chinese() -> None:
    assert "信号 25" in _pandoc_problem('Pandoc died with exitcode "-25" during conversion: b""')
    assert "pandoc" not in _pandoc_problem("Invalid input: something English").lower()
