"""Issue 6: malformed input gives one clear Chinese message with file:line, never a traceback."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from reportkit.check.run import check_report
from reportkit.cli import main
from reportkit.findings import ERROR, TODO, WARNING

DATA = Path(__file__).parent / "data" / "check"
FACTS = "content/facts.yaml"
SECTION = "content/1-1-主要职能.md"


@pytest.fixture
def clean(tmp_path: Path) -> Path:
    """Seed 000 with its two narrative errors corrected: check finds nothing."""
    root = Path(shutil.copytree(DATA / "seed000", tmp_path / "report"))
    replace(root, "content/2-3-履职绩效情况.md", r"80.56\%) \div", r"94.29\%) \div")
    replace(root, "content/3-2-存在问题及改进措施.md", "满意度为85.34%", "满意度为86.34%")
    with (root / "content/3-2-存在问题及改进措施.md").open("a", encoding="utf-8") as section:
        section.write("\n（4）预算编制合理性、财务合规性和项目完成及时性也有扣分，下一年度将逐项改进。\n")
    return root


def replace(root: Path, file: str, old: str, new: str) -> None:
    path = root / file
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, old
    path.write_text(text.replace(old, new), encoding="utf-8")


def facts(old: str, new: str) -> Callable[[Path], None]:
    def run(root: Path) -> None:
        path = root / FACTS
        text = path.read_text(encoding="utf-8")
        assert old in text, old
        path.write_text(text.replace(old, new), encoding="utf-8")
    return run


def append(file: str, text: str) -> Callable[[Path], None]:
    def run(root: Path) -> None:
        with (root / file).open("a", encoding="utf-8") as handle:
            handle.write(text)
    return run


def write(file: str, data: bytes) -> Callable[[Path], None]:
    return lambda root: (root / file).write_bytes(data)


def remove(file: str) -> Callable[[Path], None]:
    return lambda root: (root / file).unlink()


JUDGED = "judgements:\n  预算编制合理性:\n"
BAD = [
    # (id, change, words in the one error, file, line)
    ("yaml-syntax", facts("initial: 57373.02", "initial: [57373.02"), "YAML 语法错误", FACTS, 11),  # where the [ opened, not where PyYAML noticed
    ("tab-indent", facts("  initial: 57373.02", "\tinitial: 57373.02"), "制表符", FACTS, 11),
    ("not-a-number", facts("spent: 60994.53", "spent: 很多"), "需要数字", FACTS, 13),
    ("thousands-and-unit", facts("initial: 57373.02", 'initial: "3,303.88万元"'), "去掉千分位逗号", FACTS, 11),
    ("negative", facts("spent: 60994.53", "spent: -5"), "不能为负数", FACTS, 13),
    ("zero-budget", facts("adjusted: 64689.48", "adjusted: 0"), "不能为 0", FACTS, 12),
    ("decreasing-quarters", facts("33261.44, 39086.96", "33261.44, 3908.96"), "逐季不能减少", FACTS, 17),
    ("three-quarters", facts("39086.96, 60994.53]", "60994.53]"), "恰好 4 个季度", FACTS, 17),
    ("in-use-above-total", facts("in_use: 4381.90", "in_use: 5381.90"), "在用固定资产不能大于", FACTS, 21),
    ("no-staff", facts("on_payroll: 52, contract: 16", "on_payroll: 0, contract: 0"), "都为 0", FACTS, 22),
    ("half-a-person", facts("on_payroll: 52", "on_payroll: 52.5"), "需要整数", FACTS, 22),
    ("percent-above-100", facts("satisfaction: 86.34", "satisfaction: 186.34"), "不能超过 100", FACTS, 26),
    ("year-in-words", facts("year: 2021", "year: 二〇二一"), "需要数字", FACTS, 4),
    ("bad-choice", facts("level: 市", "level: 省"), "不是可选值", FACTS, 7),
    ("unknown-section", append(FACTS, "budgett:\n  initial: 1\n"), "未知的键“budgett”", FACTS, 33),
    ("unknown-key", facts("previous_initial:", "previous_intial:"), "未知的键“previous_intial”", FACTS, 15),
    ("duplicate-key", facts("  adjustments: 7316.46", "  spent: 1"), "重复出现", FACTS, 14),
    ("top-level-list", write(FACTS, b"- budget\n- spent\n"), "顶层应是键值对", FACTS, 1),
    ("binary-facts", write(FACTS, b"\x00\x01\x02binary"), "二进制文件", FACTS, None),
    ("judgement-unknown-indicator", facts(JUDGED, "judgements:\n  预算编制合理:\n"), "不是评价指标体系", FACTS, 29),
    ("judgement-without-reason", facts("      reason: 年度中间预算调整幅度较大（调整比例 11.31%）\n", ""),
     "必须写明原因", FACTS, 30),
    ("judgement-on-computed-part", append(FACTS, "  政府采购执行情况:\n    - {part: 1, deduct: 0.5, reason: 测试}\n"),
     "不能人工扣分", FACTS, 34),
    ("override-without-reason", append(FACTS, "overrides:\n  项目完成及时性: {score: 6}\n"), "必须写明原因", FACTS, 34),
    ("override-above-weight", append(FACTS, "overrides:\n  项目完成及时性: {score: 9, reason: 坚持}\n"),
     "超过指标分值", FACTS, 34),
    ("unknown-framework", facts("framework: city-2021", "framework: city-2099"), "找不到评价指标体系", FACTS, 9),
    ("gbk-section", write(SECTION, "第一段。\n贯彻执行国家有关口岸工作的方针。\n".encode("gbk")), "不是 UTF-8", SECTION, 1),
    ("binary-section", write(SECTION, b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"), "二进制文件", SECTION, None),
    ("ten-megabytes", write(SECTION, "口岸。\n".encode() * (10 * 1024 * 1024 // 10)), "章节文件过大", SECTION, None),
    ("jinja-syntax", append(SECTION, "\n预算 {{ budget.initial | wan \n"), "表达式语法错误", SECTION, 3),
    ("jinja-import", append(SECTION, "\n{% import 'os' as os %}\n"), "不允许", SECTION, 3),
    ("unknown-filter", append(SECTION, "\n预算 {{ budget.initial | money }} 万元\n"), "未知的过滤器“money”", SECTION, 3),
    ("attribute-access", append(SECTION, "\n{{ budget.__class__ }}\n"), "budget.__class__", SECTION, 3),
    ("missing-section", remove("content/2-2-主要履职情况.md"), "缺少章节文件", "content/2-2-主要履职情况.md", None),
    ("config-unknown-key", write("reportkit.yaml", b"tocc: true\n"), "未知的配置项“tocc”", "reportkit.yaml", 1),
    ("config-bad-toc", write("reportkit.yaml", "toc: 要\n".encode()), "toc 需要 true 或 false", "reportkit.yaml", 1),
    ("not-a-report", remove(FACTS), "找不到事实文件", FACTS, None),
]


@pytest.mark.parametrize(("change", "words", "file", "line"), [b[1:] for b in BAD], ids=[b[0] for b in BAD])
def test_one_clear_message_per_malformed_input(clean, capsys, change, words, file, line) -> None:
    change(clean)
    assert main(["check", str(clean)]) == 2
    captured = capsys.readouterr()
    assert "Traceback" not in captured.out + captured.err and captured.err == ""
    errors = check_report(clean).of(ERROR)
    assert len(errors) == 1, [e.text() for e in errors]
    assert (errors[0].file, errors[0].line) == (file, line)
    assert words in errors[0].text()
    where = f"{clean}/{file}" + (f":{line}" if line else "")
    assert f"错误  {where}：" in captured.out and words in captured.out


def test_the_first_clean_report_has_no_findings(clean) -> None:
    assert check_report(clean).findings == []


def test_several_bad_facts_are_all_reported_at_once(clean) -> None:
    replace(clean, FACTS, "spent: 60994.53", "spent: -5")
    replace(clean, FACTS, "initial: 57373.02", 'initial: "3,303.88万元"')
    replace(clean, FACTS, "previous_initial:", "previous_intial:")
    replace(clean, FACTS, "satisfaction: 86.34", "satisfaction: 186.34")
    errors = check_report(clean).of(ERROR)
    assert [(e.line, e.key) for e in errors] == [
        (11, "budget.initial"), (13, "budget.spent"), (15, "budget.previous_intial"), (26, "satisfaction"),
    ]


ACCEPTED = [
    ("bom-facts", lambda root: (root / FACTS).write_bytes(b"\xef\xbb\xbf" + (root / FACTS).read_bytes())),
    ("bom-section", lambda root: (root / SECTION).write_bytes(b"\xef\xbb\xbf" + (root / SECTION).read_bytes())),
    ("crlf-section", lambda root: (root / SECTION).write_bytes((root / SECTION).read_bytes().replace(b"\n", b"\r\n"))),
]


@pytest.mark.parametrize("change", [a[1] for a in ACCEPTED], ids=[a[0] for a in ACCEPTED])
def test_byte_order_marks_and_windows_line_ends_are_accepted(clean, change) -> None:
    change(clean)
    assert check_report(clean).findings == []


TODOS = [
    ("empty-facts", write(FACTS, b""), FACTS, "待填：部门（单位）名称"),
    ("empty-section", write(SECTION, b""), SECTION, "待写：（一）部门主要职能"),
    ("comment-only-section", write(SECTION, "{# 职责、内设机构 #}\n\n".encode()), SECTION, "待写"),
]


@pytest.mark.parametrize(("change", "file", "words"), [t[1:] for t in TODOS], ids=[t[0] for t in TODOS])
def test_empty_files_are_to_dos_not_errors(clean, capsys, change, file, words) -> None:
    change(clean)
    assert main(["check", str(clean), "--strict"]) == 0
    out = capsys.readouterr().out
    todo = [f for f in check_report(clean).of(TODO) if f.file == file]
    assert any(words in f.message for f in todo)
    assert "【待办】" in out and words in out


SUSPICIOUS = [
    # (id, change, words, line)
    ("procurement-above-plan", facts("actual: 485.43", "actual: 500.43"), "大于采购计划金额", 18),
    ("three-public-above-150", facts("spent: 7.56}", "spent: 17.56}"), "超过 150%", 19),
    ("quarter-above-150", facts("[13757.79,", "[30000,"), "第一季度预算执行率", 17),
    ("fourth-quarter-is-not-the-year", facts("39086.96, 60994.53]", "39086.96, 60000.53]"), "与全年支出", 17),
    ("adjustments-below-the-change", facts("adjustments: 7316.46", "adjustments: 16.46"), "小于调整后预算与年初预算之差", 14),
    ("spent-above-budget", facts("60994.53", "70994.53"), "大于调整后预算", 13),
]


@pytest.mark.parametrize(("change", "words", "line"), [s[1:] for s in SUSPICIOUS], ids=[s[0] for s in SUSPICIOUS])
def test_suspicious_facts_are_warnings(clean, change, words, line) -> None:
    change(clean)
    facts_warnings = [f for f in check_report(clean).of(WARNING) if f.group == "facts"]
    assert [(f.file, f.line) for f in facts_warnings] == [(FACTS, line)]
    assert words in facts_warnings[0].message
    assert main(["check", str(clean)]) == 0 and main(["check", str(clean), "--strict"]) == 1


def test_an_unclosed_bracket_is_reported_where_it_opened(tmp_path: Path) -> None:
    """PyYAML notices an unclosed [ only at the next key, lines later (a comment between)."""
    from reportkit.errors import ReportError
    from reportkit.load.yamlio import load_yaml

    path = tmp_path / "facts.yaml"
    path.write_text("report:\n  unit: 某局\nsatisfaction: [86.34\n\n# 公开情况\ndisclosure:\n  budget: 按规定公开\n",
                    encoding="utf-8")
    with pytest.raises(ReportError) as info:
        load_yaml(path)
    assert info.value.line == 3 and "第 3 行开始的括号" in str(info.value)
