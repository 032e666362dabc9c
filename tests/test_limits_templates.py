"""Section text that once crashed, hung or blew up the build: each is a clear ReportError now,
and the limits that stop it hold exactly at their value (issue 18)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from reportkit.assemble import templating as T
from reportkit.assemble.templating import render_text
from reportkit.compute.values import Money, Rate
from reportkit.errors import ReportError

CONTEXT = {
    "budget": {"adjusted": Money("57373.02"), "execution_rate": Rate(33, 35)},
    "quarters": [{"rate": Rate(1, 4)}, {"rate": Rate(1, 2)}, {"rate": Rate(3, 4)}, {"rate": Rate(1)}],
    "extra": {"names": ["甲", "乙"]},
}
FILE = "content/1-1-主要职能.md"


def error(text: str) -> ReportError:
    with pytest.raises(ReportError) as caught:
        render_text(text, CONTEXT, FILE)
    exc = caught.value
    assert exc.file == FILE
    assert exc.line in (text.count("\n", 0, max(text.find("{"), 0)) + 1, None if "for" in text else 0)
    message = str(exc)
    assert not any(word in message for word in ("Error", "expected token", "undefined", "Traceback")), message
    return exc


@pytest.mark.parametrize(("text", "words"), [
    ("{{ budget.adjusted | upper }}", "未知的过滤器“upper”"),
    ("{% if 1 is string %}是{% endif %}", "未知的判断"),
    ('{{ "\\ud800" }}', "代理项"),
    ("{{ " + "[" * 3000 + "]" * 3000 + " }}", "嵌套过深"),
    ("{{ " + "(" * 2000 + "1" + ")" * 2000 + " }}", "嵌套过深"),
    ("{{ budget" + "[0]" * 2000 + " }}", "过长"),
    ("{{ " + "+".join(["1"] * 30000) + " }}", "过长"),
    ("{{ " + "-" * 5000 + "1 }}", "过长"),
    ('{{ extra.names | join([","]) }}', "分隔符"),
    ("{{ 1e308 * 10 ** 1400 }}", "过大"),
    ("{{ " + "9" * 5000 + " }}", "数字过长"),
    ("{{ 'a' * 10**10 }}", "过长"),
    ("{{ '%999999999d' % 1 }}", "% 格式化"),
    ("{{ [1] * 10**9 }}", "过长"),
    ("{{ 3**(10**8) }}", "乘方的结果过大"),
    ("{{ budget.adjusted | wan(10**100) }}", "小数位数"),
    ("{{ budget.adjusted | wan(10**6) }}", "小数位数"),
    ("{{ budget }}", "一组值"),
    ("{{ self }}", "不能直接写入正文"),
    ("{{ extra.names }}", "列表"),
    ("{{ true }}", "是/否值"),
    ("{{ 1e308 ** 5 }}", "过大"),
    ("{{ (10 ** -400) ** 4 }}", "过大"),
    ("{% for a in quarters %}" * 14 + "x" + "{% endfor %}" * 14, "循环次数"),
    ("{% for a in quarters %}" * 12 + "{% endfor %}" * 12, "循环次数"),
    ("{{ budget.adjustd }}", "budget.adjusted"),
    ("{{ tables.quarterly(x=1) }}", "不接受参数“x”"),
    ("{{ 1 + }}", "表达式语法错误"),
    ("{{ a b }}", "没有正确结束"),
    ("{ budget.adjusted | wan }}", "多余的“}}”：前面没有与之对应的“{{”"),  # a lone }} was printed (fuzz)
    ("{执行率 100%}", "多余的“%}”"),
    ("{注释 #}", "多余的“#}”"),
])
def test_bad_expression_is_a_clear_error(text: str, words: str) -> None:
    context_tables = {"quarterly": _table}
    CONTEXT["tables"] = context_tables
    assert words in str(error("第一段。\n\n" + text))


def _table(caption=None) -> str:  # noqa: ANN001 - stands in for tables.quarterly
    return "表"


_table.reportkit_callable = True  # type: ignore[attr-defined]


def test_large_exact_numbers_print_exactly() -> None:
    assert render_text("{{ 1e308 * 1e308 }}", CONTEXT, FILE) == "1E+616"


def test_numbers_with_a_point_are_exact() -> None:
    assert render_text("{{ 0.1 + 0.2 }} {{ 0.5 * budget.adjusted }} {{ 1.5 * budget.execution_rate }}",
                       CONTEXT, FILE) == "0.3 28686.510 1.41"


def test_tag_length_limit_holds_at_its_value() -> None:
    longest = "{{ " + " ~ ".join(["'a'"] * ((T.MAX_TAG_TOKENS + 1) // 2)) + " }}"
    assert render_text(longest, CONTEXT, FILE) == "a" * ((T.MAX_TAG_TOKENS + 1) // 2)
    assert "过长" in str(error(longest.replace(" }}", " ~ 'a' }}")))


def test_nesting_limit_holds_at_its_value() -> None:
    n = T.MAX_NESTING
    assert render_text("{{ " + "(" * n + "1" + ")" * n + " }}", CONTEXT, FILE) == "1"
    assert "嵌套过深" in str(error("{{ " + "(" * (n + 1) + "1" + ")" * (n + 1) + " }}"))
    blocks = "{% if 1 %}" * n + "是" + "{% endif %}" * n
    assert render_text(blocks, CONTEXT, FILE) == "是"
    assert "嵌套过深" in str(error("{% if 1 %}" + blocks + "{% endif %}"))


def test_loop_step_limit_holds_at_its_value(monkeypatch) -> None:
    monkeypatch.setattr(T, "MAX_LOOP_STEPS", 4 + 16)  # the outer loop's 4 steps and the inner 16
    text = "{% for a in quarters %}{% for b in quarters %}.{% endfor %}{% endfor %}"
    assert render_text(text, CONTEXT, FILE) == "." * 16
    monkeypatch.setattr(T, "MAX_LOOP_STEPS", 4 + 15)
    assert "循环次数" in str(error(text))


def test_output_limit_holds_at_its_value(monkeypatch) -> None:
    monkeypatch.setattr(T, "MAX_OUTPUT_CHARS", 8)
    assert render_text("{% for a in quarters %}ab{% endfor %}", CONTEXT, FILE) == "ab" * 4
    assert "过长" in str(error("{% for a in quarters %}abc{% endfor %}"))


def test_number_digits_limit_holds_at_its_value() -> None:
    digits = "9" * T.MAX_NUMBER_DIGITS
    assert render_text("{{ " + digits + " }}", CONTEXT, FILE) == digits
    assert "数字过长" in str(error("{{ " + digits + "9 }}"))


def test_power_within_the_limit_is_computed() -> None:
    assert render_text("{{ 2 ** 1000 }}", CONTEXT, FILE) == str(2 ** 1000)
    assert Decimal(render_text("{{ 10 ** -2 }}", CONTEXT, FILE)) == Decimal("0.01")


def test_decimals_limit_holds_at_its_value() -> None:
    assert render_text(f"{{{{ budget.adjusted | wan({T.MAX_DECIMALS}) }}}}", CONTEXT, FILE) == "57,373.0200000000"
    assert "小数位数" in str(error(f"{{{{ budget.adjusted | wan({T.MAX_DECIMALS + 1}) }}}}"))


def test_a_tag_end_inside_raw_or_a_string_is_text() -> None:
    assert render_text("{% raw %}}}{% endraw %} {{ '}}' }}", CONTEXT, FILE) == "}} }}"


def test_imported_text_with_tag_marks_renders_to_itself() -> None:
    from reportkit.importer.docx import escape_inline

    for text in ("a {{x}} b", "}}", "100%}", "{# c #}", "{%}%}", "a}}}b", "{{{", "plain { } text"):
        assert render_text(escape_inline(text), CONTEXT, FILE) == text
