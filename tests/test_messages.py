"""Bad inputs whose messages carried library English, an exception name or no file (issue 18),
found by bench/messages.py: each now exits 2 with a Chinese message naming the file and line.

The check that a message holds no run of English words and no exception name is the bench
script's own (bench/messages.py english / exception_in), so the two agree on what is flagged.
"""

from __future__ import annotations

import importlib.util
import io
import re
import shutil
import socket
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from reportkit.cli import main

REPO = Path(__file__).resolve().parent.parent
_spec = importlib.util.spec_from_file_location("rk_messages", REPO / "bench" / "messages.py")
bench = importlib.util.module_from_spec(_spec)
sys.modules["rk_messages"] = bench
_spec.loader.exec_module(bench)

FACTS = "content/facts.yaml"
SECTION = "content/1-1-主要职能.md"


@pytest.fixture
def report(tmp_path: Path) -> Path:
    root = tmp_path / "report"
    shutil.copytree(REPO / "content", root / "content")
    return root


def run(argv: list[str], capsys: pytest.CaptureFixture) -> tuple[int, str]:
    code = main(argv)
    captured = capsys.readouterr()
    return code, captured.err + captured.out


def assert_clear(text: str) -> None:
    """Chinese throughout: no run of English words, no exception name, no traceback."""
    for line in text.splitlines():
        assert bench.english(line) is None, line
        assert bench.exception_in(re.sub(r"“[^”]*”", " ", line)) is None, line


_zip = bench._zip  # the bench script's own: a zip of the given entries


def _xlsx_table() -> bytes:
    import openpyxl

    book = openpyxl.Workbook()
    book.active.append(["一级指标", "二级指标", "三级指标", "分值", "评分标准"])
    book.active.append(["决策", "预算编制", "预算编制合理性", 100, "符合职责得 100 分。"])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


BROKEN_DOCUMENT = _zip({"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<w:document"})


# ---------------------------------------------------------------- files for import and framework import

OFFICE = [  # (file written, bytes, command, words)
    (
        "表.docx",
        BROKEN_DOCUMENT,
        ["framework", "import"],
        "其中的 XML 内容已损坏",
    ),  # was 内部错误 AttributeError
    (
        "表.docx",
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600,
        ["framework", "import"],
        "不是 Word 文档包",
    ),
    (
        "表.xlsx",
        b"PK\x03\x04garbage",
        ["framework", "import"],
        "不是完整的 zip 压缩包",
    ),  # was (BadZipFile)
    (
        "表.xlsx",
        _zip({"a.txt": b"x"}),
        ["framework", "import"],
        "缺少必需的组成部分",
    ),  # was (KeyError)
    (
        "表.xls",
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600,
        ["framework", "import"],
        "不是有效的 Excel 97-2003 文件",
    ),  # was (CompDocError)
    (
        "last.docx",
        b"PK\x03\x04garbage" * 10,
        ["import"],
        "不是完整的 zip 压缩包",
    ),  # was (BadZipFile)
]


@pytest.mark.parametrize(
    ("name", "data", "command", "words"), OFFICE, ids=[f"{c[-1]}-{n}-{w}" for n, _, c, w in OFFICE]
)
def test_a_broken_office_file_says_what_is_wrong(
    tmp_path: Path,
    capsys: pytest.CaptureFixture,
    name: str,
    data: bytes,
    command: list[str],
    words: str,
) -> None:
    path = tmp_path / name
    path.write_bytes(data)
    argv = [*command, str(path)] + (
        ["-o", str(tmp_path / "草稿.yaml")]
        if command[0] == "framework"
        else [str(tmp_path / "out")]
    )
    code, text = run(argv, capsys)
    assert code == 2, text
    assert words in text and name in text, text
    assert_clear(text)


def test_a_framework_draft_written_onto_a_folder_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture
) -> None:
    (tmp_path / "表.xlsx").write_bytes(_xlsx_table())
    (tmp_path / "草稿").mkdir()
    code, text = run(
        ["framework", "import", str(tmp_path / "表.xlsx"), "-o", str(tmp_path / "草稿")], capsys
    )
    assert code == 2 and "这是一个文件夹，不能写成文件" in text and "草稿" in text, (
        text
    )  # was 内部错误 IsADirectoryError
    assert_clear(text)


# ---------------------------------------------------------------- the operating system's words


def test_an_os_error_is_said_in_chinese(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    (tmp_path / "a.txt").write_text("x", encoding="utf-8")
    target = tmp_path / "a.txt" / "x.json"
    code, text = run(["schema", "-o", str(target)], capsys)
    assert code == 2 and "是文件，不是文件夹" in text and "x.json" in text, (
        text
    )  # was “File exists”
    assert_clear(text)


def test_new_under_a_file_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    (tmp_path / "a.txt").write_text("x", encoding="utf-8")
    code, text = run(
        ["new", str(tmp_path / "a.txt" / "报告"), "--year", "2023", "--unit", "某局"], capsys
    )
    assert code == 2 and "是文件，不是文件夹" in text and "a.txt" in text, (
        text
    )  # was 内部错误 NotADirectoryError
    assert_clear(text)


def test_build_into_a_file_named_build_is_refused(
    report: Path, capsys: pytest.CaptureFixture
) -> None:
    (report / "build").write_text("x", encoding="utf-8")
    code, text = run(["build", str(report)], capsys)
    assert (
        code == 2 and "输出位置是一个文件，不是文件夹" in text and str(report / "build") in text
    ), text
    assert (report / "build").read_text(encoding="utf-8") == "x"  # was 内部错误 FileExistsError
    assert_clear(text)


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["--port", "70000"], "端口“70000”超出范围"),  # was “bind(): port must be 0-65535.”
        (["--port", "-1"], "端口“-1”超出范围"),
        (
            ["--port", "0", "--host", "10.255.255.1"],
            "本机没有这个地址",
        ),  # was “Cannot assign requested address”
    ],
)
def test_preview_start_up_problems(
    report: Path, capsys: pytest.CaptureFixture, args: list[str], words: str
) -> None:
    code, text = run(["preview", *args, str(report)], capsys)
    assert code == 2 and words in text, text
    assert ("--port" if "--port" in words or "端口" in words else "--host") in text
    assert_clear(text)


def test_preview_on_a_taken_port(report: Path, capsys: pytest.CaptureFixture) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        code, text = run(["preview", "--port", str(port), str(report)], capsys)
    assert code == 2 and f"端口 {port} 已被占用" in text and "--port" in text, text
    assert_clear(text)


# ---------------------------------------------------------------- argparse


@pytest.mark.parametrize(
    ("argv", "words"),
    [
        (["batch", "x", "--timeout", "abc"], "需要数字"),  # was “invalid float value”
        (["build", "--pdf=3"], "不接受值"),  # was “ignored explicit argument”
        (["preview", "--port", "abc"], "需要整数"),
    ],
)
def test_argument_errors_in_chinese(
    capsys: pytest.CaptureFixture, argv: list[str], words: str
) -> None:
    with pytest.raises(SystemExit) as stop:
        main(argv)
    text = capsys.readouterr().err
    assert stop.value.code == 2 and words in text, text
    assert_clear(text)  # the usage line too: --timeout 秒数, not --timeout TIMEOUT


def test_usage_lines_name_values_in_chinese(capsys: pytest.CaptureFixture) -> None:
    for command in (
        "build",
        "import",
        "batch",
        "preview",
        "new",
        "schema",
        "score",
        "names",
        "check",
    ):
        with pytest.raises(SystemExit):
            main([command, "--help"])
        usage = capsys.readouterr().out.splitlines()[0]
        assert not re.search(r"\b[A-Z]{3,}\b", usage), usage


# ---------------------------------------------------------------- sections


SNIPPETS = [  # (appended to a section, words); Jinja's English said in Chinese, at the snippet's line
    ("{{ budget.adjusted", "{{ 没有闭合：缺少 }}"),
    (
        "{% for x in quarters %}{% endif %}",
        "{% for %} 块中此处应是 {% endfor %} 或 {% else %}，写的却是 {% endif %}",
    ),
    (
        "{% if 1 %}a{% endfor %}",
        "{% if %} 块中此处应是 {% elif %} 或 {% else %} 或 {% endif %}，写的却是 {% endfor %}",
    ),
    ("{% endif %}", "{% endif %} 之前没有与它对应的 {% if %}"),
    ("{% else %}", "{% else %} 之前没有与它对应的 {% if %} 或 {% for %}"),
    ("{% if 1 %}", "{% if %} 块没有结束：缺少 {% endif %}"),
    ("{% for x in quarters %}", "{% for %} 块没有结束：缺少 {% endfor %}"),
    ("{# unclosed", "注释 {# 没有闭合：缺少 #}"),
    ("{{ 'unclosed }}", "不能出现字符“'”（引号没有闭合？）"),
    ("{{ x $ y }}", "不能出现字符“$”"),
    ("{% if 1 %}{% elif %}{% endif %}", "此处缺少表达式"),
    ("{{ *a }}", "此处不能出现“*”"),
    ("{% if 1 ", "{% 没有闭合：缺少 %}"),
    (
        "{{ quarters[9].rate }}",
        "下标 [9] 超出了范围：这个列表没有这一项",
    ),  # was “list object has no element 9”
]


@pytest.mark.parametrize(("snippet", "words"), SNIPPETS, ids=[s for s, _ in SNIPPETS])
def test_section_template_errors(
    report: Path, capsys: pytest.CaptureFixture, snippet: str, words: str
) -> None:
    section = report / SECTION
    body = section.read_text(encoding="utf-8").rstrip("\n") + "\n\n"
    line = body.count("\n") + 1
    section.write_text(body + snippet + "\n", encoding="utf-8")
    code, text = run(["build", str(report)], capsys)
    assert code == 2, text
    assert f"{SECTION}:{line}：" in text and words in text, text
    assert_clear(text)
    if (
        "quarters[9]" not in snippet
    ):  # check reads the same syntax error (the index: “不存在” with a suggestion)
        code, text = run(["check", str(report)], capsys)
        assert code == 2 and f"{SECTION}:{line}：" in text and words in text, text
        assert_clear(text)


# ---------------------------------------------------------------- YAML files


def _facts(edit: Callable[[str], str]) -> Callable[[Path], None]:
    def setup(root: Path) -> None:
        path = root / FACTS
        path.write_text(edit(path.read_text(encoding="utf-8")), encoding="utf-8")

    return setup


def _line_of(root: Path, rel: str, text: str) -> int:
    rows = (root / rel).read_text(encoding="utf-8").splitlines()
    return next(i for i, row in enumerate(rows, start=1) if text in row)


YAML = [  # (what, setup, file, text on the line named, words)
    (
        "a stray NUL",
        _facts(lambda t: t.replace("initial: 28645.26", "initial: 28645.26\x00")),
        FACTS,
        "initial: 28645.26",
        "U+0000",
    ),  # was “这是二进制文件” without a line
    (
        "a quote left open",
        _facts(lambda t: t.replace("unit: 青岚市水务局", 'unit: "青岚市水务局')),
        FACTS,
        'unit: "青岚市水务局',
        "引号",
    ),  # was reported lines later, where the next quote closed it
    (
        "... midway",
        _facts(lambda t: t.replace("budget:\n", "...\nbudget:\n", 1)),
        FACTS,
        "...",
        "文档结束符",
    ),  # was the line after it
    (
        "staff as a list",
        _facts(lambda t: re.sub(r"(?ms)^staff:.*?(?=^\S)", "staff: []\n", t)),
        FACTS,
        "staff: []",
        "“staff”下面需要键值对",
    ),  # build showed only the to-do list this leaves
    (
        "a key without its colon",
        _facts(lambda t: t.replace("budget:\n", "budget:\n  initial 28645.26\n", 1)),
        FACTS,
        "initial 28645.26",
        "这一行缺少冒号和空格",
    ),  # was the next line
    (
        "a key glued to its value",
        _facts(lambda t: t.replace("budget:\n", "budget:\n  initial:28645.26\n", 1)),
        FACTS,
        "initial:28645.26",
        "这一行缺少冒号和空格",
    ),
    (
        "a NEL line break",
        _facts(lambda t: t.replace("unit: 青岚市水务局", "unit: 青岚市\x85水务局")),
        FACTS,
        "unit: 青岚市",
        "U+0085",
    ),  # YAML's own line break: every later line was off by one
    (
        "a 5,000-digit amount",
        _facts(lambda t: t.replace("initial: 28645.26", "initial: " + "9" * 5000)),
        FACTS,
        "initial: 9999",
        "数字过长（5,000 位，超过 30 位）",
    ),  # was 内部错误 ValueError (Python's 4,300-digit limit) once amounts were rounded in integers
    (
        "a merge key",
        _facts(lambda t: t.replace("budget:\n", "budget:\n  <<: {initial: 1}\n", 1)),
        FACTS,
        "<<: {initial: 1}",
        "合并键",
    ),  # was merged silently, then named on the block's line
]


@pytest.mark.parametrize(("what", "setup", "rel", "text", "words"), YAML, ids=[y[0] for y in YAML])
def test_yaml_mistakes_are_named_on_their_line(
    report: Path,
    capsys: pytest.CaptureFixture,
    what: str,
    setup: Callable[[Path], None],
    rel: str,
    text: str,
    words: str,
) -> None:
    setup(report)
    line = _line_of(report, rel, text)
    for command in ("build", "check", "score"):
        code, out = run([command, str(report)], capsys)
        assert code == 2, out
        assert f"{rel}:{line}" in out and words in out, (command, out)
        assert_clear(out)


def test_utf16_facts_are_named(report: Path, capsys: pytest.CaptureFixture) -> None:
    path = report / FACTS
    path.write_bytes(path.read_text(encoding="utf-8").encode("utf-16"))
    code, text = run(["build", str(report)], capsys)
    assert code == 2 and "UTF-16" in text and "facts.yaml" in text, text  # was “这是二进制文件”
    assert_clear(text)


def test_a_quote_left_open_in_a_copied_framework(
    report: Path, capsys: pytest.CaptureFixture
) -> None:
    source = REPO / "reportkit" / "compute" / "frameworks" / "city-2021.yaml"
    text = source.read_text(encoding="utf-8").replace("title: 2021年", 'title: "2021年', 1)
    (report / "我的框架.yaml").write_text(text, encoding="utf-8")
    line = _line_of(report, "我的框架.yaml", 'title: "2021年')
    code, out = run(["framework", "check", str(report / "我的框架.yaml")], capsys)
    assert code == 2 and f"我的框架.yaml:{line}：" in out and "少写了一个引号" in out, out
    assert_clear(out)


def test_framework_zero_if_as_a_list(report: Path, capsys: pytest.CaptureFixture) -> None:
    source = REPO / "reportkit" / "compute" / "frameworks" / "city-2021.yaml"
    text = source.read_text(encoding="utf-8")
    assert "zero_if: " in text
    text = re.sub(r"zero_if: \S+", "zero_if: [1, 2]", text, count=1)
    (report / "我的框架.yaml").write_text(text, encoding="utf-8")
    line = _line_of(report, "我的框架.yaml", "zero_if: [1, 2]")
    code, out = run(["framework", "check", str(report / "我的框架.yaml")], capsys)
    assert code == 2 and f"我的框架.yaml:{line}" in out and "zero_if 应是一个事实的名称" in out, (
        out
    )  # was TypeError
    assert_clear(out)


def test_an_outline_mistake_says_where_the_outline_was_chosen(
    report: Path, capsys: pytest.CaptureFixture
) -> None:
    source = REPO / "reportkit" / "load" / "outlines" / "shenzhen-city.yaml"
    text = source.read_text(encoding="utf-8").replace(
        '  title: "{year}年度{主体}整体绩效评价报告"', "  title:", 1
    )
    (report / "我的提纲.yaml").write_text(text, encoding="utf-8")
    (report / "reportkit.yaml").write_text("outline: 我的提纲.yaml\n", encoding="utf-8")
    line = next(i for i, row in enumerate(text.splitlines(), start=1) if row == "  title:")
    for command in ("build", "check"):
        code, out = run([command, str(report)], capsys)
        assert code == 2 and f"我的提纲.yaml:{line}" in out and "“title”是空的" in out, (
            out
        )  # was the block's line
        assert "reportkit.yaml:1 的 outline 选用了这个提纲文件" in out, out
        assert_clear(out)


def test_a_batch_list_in_gbk(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    (tmp_path / "清单.txt").write_bytes("报告\n".encode("gbk"))
    code, text = run(["batch", str(tmp_path / "清单.txt"), "-o", str(tmp_path / "out")], capsys)
    assert code == 2 and "清单.txt:1" in text and "UTF-8" in text, (
        text
    )  # was （UnicodeDecodeError）
    assert_clear(text)
