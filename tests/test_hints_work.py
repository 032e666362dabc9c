"""What a message or a scaffolded comment tells the author to do, done literally, works (issue 18).

- A missing section: build and check name the one file to create; creating exactly that
  file (nothing else) lets the build through.
- reportkit.yaml from `reportkit new`: each commented option, uncommented in place, passes
  check; an option that names a file or folder says so in its comment, and until it is there
  check's message names the line and proposes what to do, which then works.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from reportkit.check.run import check_report
from reportkit.cli import main
from reportkit.findings import ERROR
from reportkit.load import NEEDS

REPO = Path(__file__).parent.parent


@pytest.fixture
def example(tmp_path: Path) -> Path:
    root = tmp_path / "报告"
    shutil.copytree(REPO / "content", root / "content")
    return root


def test_creating_the_one_file_a_missing_section_message_names_lets_the_build_through(
    example: Path, capsys: pytest.CaptureFixture
) -> None:
    section = example / "content" / "2-2-主要履职情况.md"
    body = section.read_text(encoding="utf-8")
    section.unlink()
    assert main(["build", str(example)]) == 2
    err = capsys.readouterr().err
    assert "缺少章节文件" in err and "reportkit new" not in err and "Traceback" not in err
    named = re.search(r"请创建“([^”]+)”", err)
    assert named, err
    assert Path(named.group(1)) == section
    assert main(["check", str(example)]) == 2
    out = capsys.readouterr().out
    assert "content/2-2-主要履职情况.md：缺少章节文件" in out and "reportkit new" not in out
    assert "创建文件 content/2-2-主要履职情况.md" in out
    Path(named.group(1)).write_text(
        body, encoding="utf-8"
    )  # what the message says, and nothing more
    assert main(["check", str(example)]) == 0
    assert main(["build", str(example)]) == 0
    assert (example / "build" / "scores.json").is_file()


@pytest.fixture
def fresh(tmp_path: Path, capsys: pytest.CaptureFixture) -> Path:
    root = tmp_path / "2024年度报告"
    assert main(["new", str(root), "--year", "2024", "--unit", "某某局"]) == 0
    capsys.readouterr()
    return root


def _config_errors(root: Path) -> list:
    return [
        f for f in check_report(root).findings if f.severity == ERROR and f.file == "reportkit.yaml"
    ]


def _commented_options(text: str) -> list[tuple[int, str]]:
    return [
        (n, line[2:].split(":")[0])
        for n, line in enumerate(text.splitlines())
        if re.match(r"# [a-z]+: ", line)
    ]


def test_the_scaffold_comments_every_option(fresh: Path) -> None:
    from reportkit.load import OPTIONS

    text = (fresh / "reportkit.yaml").read_text(encoding="utf-8")
    assert [key for _, key in _commented_options(text)] == list(OPTIONS)
    assert "previous: ../2023年度报告" in text  # last year's folder of a 2024 report
    assert _config_errors(fresh) == []


@pytest.mark.parametrize("key", ["template", "toc", "outline", "previous", "check"])
def test_each_commented_option_uncommented_in_place_passes_check(
    fresh: Path, key: str, capsys: pytest.CaptureFixture
) -> None:
    config = fresh / "reportkit.yaml"
    lines = config.read_text(encoding="utf-8").splitlines()
    number = dict((k, n) for n, k in _commented_options("\n".join(lines)))[key]
    comment = lines[number]
    lines[number] = comment[2:]  # the author removes "# ", comment at the end of the line and all
    config.write_text("\n".join(lines) + "\n", encoding="utf-8")
    if key in NEEDS:  # names a file or folder: the comment says so, and check names what to do
        assert NEEDS[key] in comment
        errors = _config_errors(fresh)
        assert len(errors) == 1 and errors[0].line == number + 1, errors
        value = comment[2:].split(":", 1)[1].split("    #")[0].strip()
        assert value in errors[0].message
        if key == "template":  # the message names the default template and where to copy it
            copy = re.search(r"默认模板 (\S+) 复制为 (\S+) ", errors[0].expected)
            assert copy, errors[0].expected
            assert Path(copy.group(2)) == fresh / value
            shutil.copyfile(copy.group(1), copy.group(2))
        else:  # last year's report folder (the example report stands for it)
            shutil.copytree(REPO / "content", fresh / value / "content")
    assert _config_errors(fresh) == []
    capsys.readouterr()
    assert main(["check", str(fresh)]) == 0
    assert "reportkit.yaml" not in capsys.readouterr().out


def test_all_commented_options_uncommented_together_pass_check(
    fresh: Path, capsys: pytest.CaptureFixture
) -> None:
    from reportkit.load import default_template

    config = fresh / "reportkit.yaml"
    text = config.read_text(encoding="utf-8")
    config.write_text(re.sub(r"(?m)^# ([a-z]+: )", r"\1", text), encoding="utf-8")
    shutil.copyfile(default_template(), fresh / "模板.docx")
    shutil.copytree(REPO / "content", fresh.parent / "2023年度报告" / "content")
    assert _config_errors(fresh) == []
    assert main(["check", str(fresh)]) == 0


def test_a_folder_of_sections_without_facts_is_told_what_works(
    tmp_path: Path, capsys: pytest.CaptureFixture
) -> None:
    """`reportkit new .` refuses a folder that is not empty; the message proposes a new folder to
    copy the facts file from, and doing just that gives a report folder check reads."""
    folder = tmp_path / "报告"
    assert main(["new", str(folder), "--year", "2023", "--unit", "青岚市水务局"]) == 0
    (folder / "content" / "facts.yaml").unlink()  # sections written, the facts file lost
    capsys.readouterr()
    assert main(["build", str(folder)]) == 2
    err = capsys.readouterr().err
    assert "找不到 content/facts.yaml" in err and "reportkit new 新目录" in err, err
    assert (
        main(["new", str(folder), "--year", "2023", "--unit", "青岚市水务局"]) == 2
    )  # what it used to propose
    assert main(["check", str(folder)]) == 2
    assert "reportkit new 新目录" in capsys.readouterr().out
    elsewhere = tmp_path / "新目录"
    assert main(["new", str(elsewhere), "--year", "2023", "--unit", "青岚市水务局"]) == 0
    shutil.copyfile(elsewhere / "content" / "facts.yaml", folder / "content" / "facts.yaml")
    capsys.readouterr()
    assert main(["check", str(folder)]) == 0  # a report folder again: what is left are to-dos
    assert "待填" in capsys.readouterr().out
