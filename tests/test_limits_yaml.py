"""YAML and reportkit.yaml inputs that once crashed, hung or were accepted silently (issue 18):
each is a Chinese error naming the file and line now."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from reportkit.check import check_report
from reportkit.errors import ReportError
from reportkit.load import Paths, load_options
from reportkit.load import yamlio as Y
from reportkit.load.yamlio import load_yaml, read_text

LAUGHS = "l0: &l0 [x, x, x, x, x, x, x, x, x]\n" + "".join(
    f"l{i}: &l{i} [" + ", ".join([f"*l{i - 1}"] * 9) + "]\n" for i in range(1, 9))


def yaml_error(tmp_path: Path, text: str) -> ReportError:
    path = tmp_path / "facts.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ReportError) as caught:
        load_yaml(path)
    message = str(caught.value)
    assert caught.value.file == str(path)
    assert caught.value.line is not None
    assert not any(word in message for word in ("found", "expected", "could not", "while", "Error", "mapping",
                                                "scanning", "constructor", "position", "invalid")), message
    return caught.value


@pytest.mark.parametrize(("text", "line", "words"), [
    ("a: 1\nb: !!int abc\n", 2, "标签“!!int”"),
    ("a: !!int ''\n", 1, "标签"),
    ("a: !!bool ''\n", 1, "标签"),
    ("a: !!bool maybe\n", 1, "标签"),
    ("a: !foo bar\n", 1, "标签“!foo”"),
    ("a: !!python/name:os.system x\n", 1, "标签"),
    ("a: &a [*a]\n", 1, "无限循环"),
    ("b: &b\n  a: *b\n", 1, "无限循环"),
    ("extra:\n" + "".join("  " + line + "\n" for line in LAUGHS.splitlines()), 2, "别名"),
    ("a: 1\nb: \"x\x01\"\n", 2, "U+0001"),
    ("a: 1\x7f\n", 1, "U+007F"),
    ('a: "\\ud800"\n', 1, "转义"),
    ('a: "\\uZZZZ"\n', 1, "转义"),
    ("? [1]\n: 2\n", 1, "键必须是文字"),
    ("a: " + "[" * 3000 + "]" * 3000 + "\n", 1, "嵌套"),
    ("a:\n  b: 1\n  spent： 16619.26\n  c: 2\n", 3, "全角冒号"),
    ("budget:\n  spent： 16619.26\n", 2, "全角冒号"),
    ("a: b: c\n", 1, "冒号"),
    ("x: 1\n%foo\n", 2, "指令"),
])
def test_bad_yaml_is_a_clear_error(tmp_path: Path, text: str, line: int, words: str) -> None:
    exc = yaml_error(tmp_path, text)
    assert exc.line == line
    assert words in str(exc)


def test_yaml_depth_limit_holds_at_its_value(tmp_path: Path) -> None:
    n = Y.MAX_YAML_DEPTH
    path = tmp_path / "deep.yaml"
    path.write_text("a: " + "[" * (n - 1) + "1" + "]" * (n - 1) + "\n", encoding="utf-8")
    assert load_yaml(path)[0]["a"] is not None
    assert "嵌套" in str(yaml_error(tmp_path, "a: " + "[" * n + "1" + "]" * n + "\n"))


def test_yaml_node_limit_holds_at_its_value(tmp_path: Path, monkeypatch) -> None:
    path = tmp_path / "wide.yaml"
    path.write_text("a: &a [1, 2, 3]\nb: [*a, *a]\n", encoding="utf-8")
    monkeypatch.setattr(Y, "MAX_YAML_NODES", 14)  # root, a, its 3 items, b, twice a and its 3 items
    assert load_yaml(path)[0]["b"] == [[1, 2, 3], [1, 2, 3]]
    monkeypatch.setattr(Y, "MAX_YAML_NODES", 13)
    with pytest.raises(ReportError, match="别名"):
        load_yaml(path)


def test_a_long_number_is_kept_as_written(tmp_path: Path) -> None:
    path = tmp_path / "n.yaml"
    digits = "9" * 5000
    path.write_text(f"a: {digits}\nb: {'9' * Y.MAX_DIGITS}\nc: 1.{'5' * 40}\nd: !!str 12\n", encoding="utf-8")
    data = load_yaml(path)[0]
    assert data["a"] == digits and data["b"] == int("9" * Y.MAX_DIGITS)
    assert isinstance(data["c"], str) and data["d"] == "12"


def test_fifo_and_outside_files_are_refused(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.md"
    os.mkfifo(fifo)
    with pytest.raises(ReportError, match="不是普通文件"):
        read_text(fifo)  # never blocks
    (tmp_path / "r").mkdir()
    link = tmp_path / "r" / "x.md"
    link.symlink_to("/etc/passwd")
    with pytest.raises(ReportError, match="报告目录之外"):
        read_text(link, root=tmp_path / "r")


def test_control_character_in_a_section_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "x.md"
    path.write_text("第一段。\n\n第二\x0c段。\n", encoding="utf-8")
    with pytest.raises(ReportError, match="U\\+000C") as caught:
        read_text(path)
    assert caught.value.line == 3


# ---------------------------------------------------------------- reportkit.yaml


@pytest.mark.parametrize(("text", "words"), [
    ("template: [a]\n", "template 需要"),
    ("toc: !!int abc\n", "标签"),
    ("toc:\n", "toc 需要 true 或 false"),
    ("- a\n", "列表"),
    ("template: .\n", "不是文件"),
    ("template: build\n", "找不到"),
    ("template: ../../../../etc/passwd\n", "报告目录之外"),
    ("template: facts.txt\n", "不是 .docx"),
    ("template: fake.docx\n", "不是有效的 Word 文档"),
])
def test_bad_options_are_errors_in_check_and_build(seed000: Path, text: str, words: str) -> None:
    (seed000 / "reportkit.yaml").write_text(text, encoding="utf-8")
    (seed000 / "facts.txt").write_text("x", encoding="utf-8")
    (seed000 / "fake.docx").write_text("not a zip", encoding="utf-8")
    with pytest.raises(ReportError, match=words) as caught:
        load_options(Paths(seed000))
    assert caught.value.file == str(seed000 / "reportkit.yaml") and caught.value.line == 1
    result = check_report(seed000)
    assert result.exit_code() == 2
    assert any(words in f.message and f.file == "reportkit.yaml" for f in result.findings), result.findings


def test_only_comments_means_no_options(seed000: Path) -> None:
    from reportkit.scaffold import config_text

    (seed000 / "reportkit.yaml").write_text(config_text(), encoding="utf-8")
    assert load_options(Paths(seed000)) == {}


def test_each_commented_option_is_valid_once_uncommented(seed000: Path) -> None:
    from reportkit.scaffold import config_text

    for line in config_text().splitlines()[1:]:
        key = line[2:].split(":")[0]
        (seed000 / "reportkit.yaml").write_text(line[2:] + "\n", encoding="utf-8")
        if key == "template":  # valid once the named file is there
            (seed000 / "模板.docx").write_bytes((Path(__file__).parent.parent / "templates" / "report.docx").read_bytes())
        assert key in load_options(Paths(seed000)), line


@pytest.mark.parametrize("kind", ["symlink", "fifo"])
def test_section_leading_out_of_the_folder_or_a_pipe_is_refused(seed000: Path, kind: str) -> None:
    from reportkit.assemble import load_report

    section = next((seed000 / "content").glob("1-1-*.md"))
    section.unlink()
    if kind == "symlink":
        section.symlink_to("/etc/passwd")
    else:
        os.mkfifo(section)
    words = "报告目录之外" if kind == "symlink" else "不是普通文件"
    with pytest.raises(ReportError, match=words):
        load_report(seed000)
    result = check_report(seed000)
    assert any(words in f.message and f.file == f"content/{section.name}" for f in result.findings)


def test_full_width_digits_in_a_number_are_refused(tmp_path) -> None:  # noqa: ANN001
    """Python would read “１２３” as 123; the author is told instead (issue 18)."""
    from reportkit.errors import ReportError
    from reportkit.load.facts import load_facts

    facts = tmp_path / "facts.yaml"
    facts.write_text("report: {unit: 测试, year: 2023}\nbudget:\n  initial: '１２３'\n", encoding="utf-8")
    try:
        load_facts(facts)
    except ReportError as exc:
        assert "全角" in str(exc) and exc.line == 3
    else:
        raise AssertionError("full-width digits were accepted")


@pytest.mark.parametrize(("old", "key", "line"), [
    ("  planned: 36\n", "projects.planned", 92),
    ("  on_time: 325\n", "petitions.on_time", 112),  # was 内部错误 (a 5,000-digit count in a message)
    ("  budget: 598.62\n", "office_expenses.budget", 73),  # was accepted: a 5,000-digit amount
    ("      budget: 4997.24 ", "targets.tasks.0.budget", 183),  # the 自评表, accepted too
])
def test_a_number_longer_than_30_digits_in_a_fact_is_refused(tmp_path: Path, old: str, key: str, line: int) -> None:
    """YAML keeps a number of more than 30 digits as the text written (README); a fact that
    needs a number says that it is too long (bench/fuzz.py found these)."""
    from reportkit.load.facts import load_facts

    example = (Path(__file__).resolve().parent.parent / "content" / "facts.yaml").read_text(encoding="utf-8")
    facts = tmp_path / "facts.yaml"
    assert example.splitlines()[line - 1].startswith(old.rstrip("\n"))
    for digits, refused in ((Y.MAX_DIGITS, False), (Y.MAX_DIGITS + 1, True), (5000, True)):
        value = "1" + "0" * (digits - 1)
        if key == "petitions.on_time" and not refused:
            continue  # 30 digits are more than the petitions replied: that cross-check's error
        new = old.split(":")[0] + ": " + value + ("\n" if old.endswith("\n") else " ")
        facts.write_text(example.replace(old, new, 1), encoding="utf-8")
        try:
            load_facts(facts)
        except ReportError as exc:
            assert refused, str(exc)
            assert (exc.key, exc.line) == (key, line) and f"数字过长（{digits:,} 位，超过 30 位）" in exc.message
        else:
            assert not refused, f"{digits} digits accepted in {key}"
