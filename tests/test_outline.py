"""Issue 13: the outline, cover and annexes as data (reportkit/load/outlines/*.yaml)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml

from reportkit.check.run import check_report
from reportkit.cli import main
from reportkit.errors import ReportError
from reportkit.load.outline import (
    DEFAULT,
    choose_outline,
    load_outline,
    shipped_dir,
    shipped_ids,
)

DATA = Path(__file__).parent / "data"

SHIPPED = Path(str(shipped_dir()))


def _copy_default(root: Path, name: str = "我的提纲.yaml") -> Path:
    target = root / name
    shutil.copyfile(SHIPPED / f"{DEFAULT}.yaml", target)
    return target


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _use(root: Path, ref: str) -> None:
    (root / "reportkit.yaml").write_text(f"outline: {ref}\n", encoding="utf-8")


def test_every_shipped_outline_loads_and_binds_sections_to_stable_files() -> None:
    assert DEFAULT in shipped_ids()
    for oid in shipped_ids():
        outline = load_outline(oid, Path("."))
        assert outline.id == oid
        files = [s.file for s in outline.files()]
        assert len(files) == len(set(files))
        # every shipped outline keeps the section files of the default one: a folder can switch
        assert set(files) <= {s.file for s in load_outline(DEFAULT, Path(".")).files()}, oid


def test_choose_outline_follows_the_match_blocks() -> None:
    assert choose_outline("city-2021", "部门", "市") == DEFAULT
    assert choose_outline("no-such", "部门", "市") == DEFAULT


@pytest.mark.parametrize(("old", "new", "key", "words"), [
    ("key: 1-2-年度总体工作和重点工作任务,", "key: 1-1-主要职能,", "chapters.0.sections.1.key", "重复"),
    ('title: "{主体}主要职能"', 'title: "{单位}主要职能"', "chapters.0.sections.0.title", "未知的占位符“{单位}”"),
    ("    generated: true\n    template: >-", "    generated: true\n    templat: >-", "chapters.3.templat", "未知的键"),
    ("  - table: targets\n", "  - table: tagets\n", "annexes.1.table", "未知的表“tagets”"),
    ('{label: 填报人, value: "{preparer}"}', "{label: 审核意见}", "cover.lines.1", "没有“value”"),
    ("    place: annex ", "    place: 第四章 ", "annexes.0.place", "位置“第四章”"),
    ("{label: 联系电话, value: \"{phone}\"}", "{gap: 0}", "cover.lines.2.gap", "空行的行数"),
])
def test_bad_outline_names_file_line_and_key(tmp_path: Path, old: str, new: str, key: str, words: str) -> None:
    path = _copy_default(tmp_path)
    _edit(path, old, new)
    with pytest.raises(ReportError) as caught:
        load_outline(path.name, tmp_path)
    exc = caught.value
    assert exc.file == str(path) and exc.key == key and words in exc.message, str(exc)
    line = path.read_text(encoding="utf-8").splitlines()[exc.line - 1]
    assert key.rsplit(".", 1)[-1] in line or new.strip().split("\n")[-1].strip()[:8] in line, (exc.line, line)


def test_generated_chapter_without_template_is_refused(tmp_path: Path) -> None:
    path = _copy_default(tmp_path)
    text = path.read_text(encoding="utf-8")
    start = text.index("    template: >-")
    end = text.index("\nannexes:")
    path.write_text(text[:start] + text[end:], encoding="utf-8")
    with pytest.raises(ReportError) as caught:
        load_outline(path.name, tmp_path)
    assert "缺少“template”" in caught.value.message and caught.value.key == "chapters.3"
    assert "四、" in path.read_text(encoding="utf-8").splitlines()[caught.value.line] or caught.value.line


def test_unknown_outline_reference_points_at_the_setting(seed000: Path) -> None:
    _use(seed000, "no-such-outline")
    with pytest.raises(ReportError) as caught:
        from reportkit.assemble.report import load_report

        load_report(seed000)
    exc = caught.value
    assert exc.file == str(seed000 / "reportkit.yaml") and exc.line == 1 and exc.key == "outline"
    assert DEFAULT in (exc.expected or "")


def test_bad_outline_exits_2_and_keeps_the_previous_build(seed000: Path, capsys: pytest.CaptureFixture) -> None:
    assert main(["build", str(seed000)]) == 0
    before = {p.name: p.read_bytes() for p in (seed000 / "build").iterdir()}
    path = _copy_default(seed000)
    _edit(path, 'title: "{主体}主要职能"', 'title: "{部门}主要职能"')
    _use(seed000, path.name)
    capsys.readouterr()
    assert main(["build", str(seed000)]) == 2
    err = capsys.readouterr().err
    assert "我的提纲.yaml:" in err and "未知的占位符“{部门}”" in err and "Traceback" not in err
    assert {p.name: p.read_bytes() for p in (seed000 / "build").iterdir()} == before
    found = check_report(seed000)
    assert any("未知的占位符" in f.message for f in found.findings)


def test_outlines_command_lists_every_shipped_outline(capsys: pytest.CaptureFixture) -> None:
    assert main(["outlines"]) == 0
    out = capsys.readouterr().out
    for oid in shipped_ids():
        assert oid in out


def test_default_outline_file_is_valid_yaml_with_comments_for_users() -> None:
    text = (SHIPPED / f"{DEFAULT}.yaml").read_text(encoding="utf-8")
    assert text.startswith("#") and "{主体}" in text and "template" in text
    assert yaml.safe_load(text)["id"] == DEFAULT
    assert (DATA / "mini").is_dir()
