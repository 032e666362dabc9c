"""Facts and metrics inside Markdown: a sandboxed, strict Jinja environment.

A section can read values ({{ budget.execution_rate }}) and format them with filters; it
cannot reach attributes or methods of Python objects, import, include or run code. Every
failure becomes a ReportError naming the section file and line.

Limits no real report reaches keep a hostile or mistyped text from hanging the build or
eating the machine: the size of one {{ }} or {% %} tag, bracket and block nesting, loop
steps and output size per section, and the size of what an operator may make.
"""

from __future__ import annotations

import inspect
import math
import re
import threading
from collections.abc import Iterable, Iterator
from decimal import Decimal
from fractions import Fraction
from functools import lru_cache
from types import CodeType
from typing import Any

from jinja2 import StrictUndefined, Template, TemplateSyntaxError, Undefined, UndefinedError, nodes
from jinja2.exceptions import SecurityError, TemplateError
from jinja2.runtime import LoopContext
from jinja2.sandbox import SandboxedEnvironment

from ..codecache import cached_code, cached_value
from ..compute import Quotient
from ..errors import ReportError
from ..numbers import money, percent, plain, quantize

FILTER_HELP = (
    "wan（万元金额）、yuan（万元换算为元）、pct（百分数）、score（分数）、num（数字）、"
    "length（个数）、join（连接）"
)
# Limits (documented in the README): far above any real section, far below any harm.
MAX_TAG_TOKENS = 150  # tokens in one {{ }} or {% %}
MAX_NESTING = 20  # brackets inside one tag; blocks ({% if %}, {% for %}) inside each other
MAX_NUMBER_DIGITS = 30  # digits of a number written in a tag
MAX_LOOP_STEPS = 20_000  # loop iterations in one section
MAX_OUTPUT_CHARS = 4_000_000  # characters one section renders to
MAX_DECIMALS = 10  # decimals a filter may print
MAX_INT_BITS = 4_000  # size of a number an operator may make (about 1,200 digits)
_OPENERS = {"for", "if", "filter", "with", "macro", "call", "block", "autoescape", "raw"}
_LOOP_ATTRIBUTES = {"index", "index0", "first", "last", "length", "revindex", "revindex0"}


def _as_number(value: Any, name: str) -> int | Decimal | Fraction:
    """The value itself when it is an exact number. The number formats (reportkit.numbers)
    read its numerator and denominator as they are, so a filter need not build a Fraction
    first (that was half the cost of {{ x | wan }}); an infinite or NaN Decimal fails here, as
    the Fraction did."""
    if isinstance(value, bool) or not isinstance(value, (int, Decimal, Fraction)):
        raise SecurityError(f"过滤器 {name} 需要数字，得到的是“{value}”")
    if isinstance(value, Decimal) and not value.is_finite():
        value.as_integer_ratio()  # raises what Fraction(value) raises
    return value


def _as_exact(value: Any, name: str) -> Fraction:
    return Fraction(_as_number(value, name))


def _decimals(value: Any, name: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= MAX_DECIMALS:
        raise SecurityError(f"过滤器 {name} 的小数位数应是 0 到 {MAX_DECIMALS} 之间的整数，写的是“{value}”")
    return value


def f_wan(value: Any, decimals: int = 2) -> str:
    return money(_as_number(value, "wan"), _decimals(decimals, "wan"))


def f_yuan(value: Any) -> str:
    return f"{quantize(_as_exact(value, 'yuan') * 10000, 2, 'half_up')}"


def f_pct(value: Any, decimals: int = 2) -> str:
    return percent(_as_number(value, "pct"), _decimals(decimals, "pct"))


def f_score(value: Any) -> str:
    return plain(quantize(_as_number(value, "score"), 2, "half_up"))


def f_num(value: Any, decimals: int = 0) -> str:
    return f"{quantize(_as_number(value, 'num'), _decimals(decimals, 'num'), 'half_up'):,}"


class _Budget(threading.local):
    """Loop steps left for the section being rendered (one per thread: the preview)."""

    steps = MAX_LOOP_STEPS


_BUDGET = _Budget()


def _counted(values: Iterable[Any]) -> Iterator[Any]:
    """A loop's items, each paid for from the section's step budget (wrapped around every
    {% for %} when the text is compiled)."""
    for value in values:
        _BUDGET.steps -= 1
        if _BUDGET.steps < 0:
            raise SecurityError(f"循环次数超过 {MAX_LOOP_STEPS:,} 次（循环嵌套过多？）")
        yield value


def _too_big(value: Any) -> bool:
    if isinstance(value, int) and not isinstance(value, bool):
        return value.bit_length() > MAX_INT_BITS
    if isinstance(value, Fraction):
        return max(value.numerator.bit_length(), value.denominator.bit_length()) > MAX_INT_BITS
    if isinstance(value, Decimal):
        return value.is_finite() and abs(value.adjusted()) > MAX_INT_BITS // 3
    return False


def _size(value: Any) -> int | None:
    return len(value) if isinstance(value, (str, list, tuple)) else None


def _power_bits(left: Any, right: Any) -> float:
    """About how many bits left ** right needs (refused before it is computed)."""
    if not isinstance(right, (int, Decimal, Fraction)) or isinstance(right, bool):
        return 0
    try:
        base = abs(Fraction(left)) if isinstance(left, (int, Decimal, Fraction)) else None
    except (ValueError, OverflowError):
        return math.inf
    if base is None or base in (0, 1):
        return 0
    size = max(base.numerator.bit_length(), base.denominator.bit_length())
    return size * abs(float(right))


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _mixed(left: Any, right: Any) -> bool:
    kinds = {type(v) for v in (left, right)}
    return any(issubclass(k, Decimal) for k in kinds) and any(issubclass(k, Fraction) for k in kinds)


class ReportSandbox(SandboxedEnvironment):
    """Only mapping keys and list items are readable; no attributes, no methods.

    Division is exact (Fraction), so `{{ a / b }}` never produces a float. Every arithmetic
    operator goes through call_binop (and so is not folded when the text is compiled), which
    refuses a result too large before computing it.
    """

    intercepted_binops = frozenset(["/", "//", "*", "**", "%", "+", "-"])

    def call_binop(self, context, operator, left, right):  # noqa: ANN001
        if operator == "/":
            return Quotient(_as_exact(left, "/") / _as_exact(right, "/"))
        if operator == "%" and isinstance(left, str):
            raise SecurityError("正文中不支持用 % 格式化文字；数字请用过滤器 num、wan、pct")
        if operator == "*":
            for items, times in ((left, right), (right, left)):
                if _size(items) is not None and isinstance(times, int) and _size(items) * times > MAX_OUTPUT_CHARS:
                    raise SecurityError(f"重复的结果过长（超过 {MAX_OUTPUT_CHARS:,} 个字符或项）")
        if operator == "**" and _power_bits(left, right) > MAX_INT_BITS:
            raise SecurityError(f"乘方的结果过大（超过约 {MAX_INT_BITS * 3 // 10:,} 位数字）")
        if operator == "**" and _is_int(left) and _is_int(right) and right < 0:  # exact, not a float
            return Quotient(Fraction(left) ** right)
        if operator in "+-*" and _mixed(left, right):  # Decimal with Fraction: exact, as "/"
            left, right = Fraction(left), Fraction(right)
            return Quotient(super().call_binop(context, operator, left, right))
        result = super().call_binop(context, operator, left, right)
        if _too_big(result):
            raise SecurityError(f"计算结果过大（超过约 {MAX_INT_BITS * 3 // 10:,} 位数字）")
        if (_size(result) or 0) > MAX_OUTPUT_CHARS:
            raise SecurityError(f"结果过长（超过 {MAX_OUTPUT_CHARS:,} 个字符或项）")
        return result

    def getattr(self, obj: Any, attribute: str) -> Any:
        if type(obj) is dict and attribute in obj and attribute[:1] != "_":  # a value of the report: most calls
            return obj[attribute]
        if attribute.startswith("_"):
            raise SecurityError(f"正文中不允许访问属性“{attribute}”")
        if isinstance(obj, Undefined):  # a mistyped name: say which, not "attribute"
            obj._fail_with_undefined_error()
        if isinstance(obj, LoopContext) and attribute in _LOOP_ATTRIBUTES:
            return getattr(obj, attribute)
        if isinstance(obj, dict) and attribute in obj:
            return obj[attribute]
        if isinstance(obj, dict):
            return self.undefined(obj=obj, name=attribute)
        raise SecurityError(f"正文中不允许访问属性“{attribute}”")

    def getitem(self, obj: Any, argument: Any) -> Any:
        if isinstance(obj, Undefined):
            obj._fail_with_undefined_error()
        if isinstance(obj, dict):
            if argument in obj:
                return obj[argument]
            return self.undefined(obj=obj, name=argument)
        if isinstance(obj, (list, tuple)) and isinstance(argument, int):
            try:
                return obj[argument]
            except IndexError:
                return self.undefined(obj=obj, name=argument)
        shown = f"“{argument}”" if isinstance(argument, str) else str(argument)
        what = f"一个数 {obj}" if _is_number(obj) else "一段文字" if isinstance(obj, str) else _kind(obj)
        raise SecurityError(f"这个值是{what}，不能以 [{shown}] 取其中一项"
                            + ("（事实文件中它写的是一个总数，而不是按类型分列？）" if _is_number(obj) else ""))

    def call(self, context, obj, *args, **kwargs):  # noqa: ANN001
        if getattr(obj, "reportkit_callable", False):
            _check_arguments(obj, args, kwargs)
            return obj(*args, **kwargs)
        raise SecurityError("正文中不允许调用函数或方法")


def _check_arguments(function: Any, args: tuple, kwargs: dict) -> None:
    """Arguments a generated table does not take, said in Chinese before calling it."""
    signature = inspect.signature(function)
    try:
        signature.bind(*args, **kwargs)
    except TypeError:
        accepted = "、".join(signature.parameters) or "无"
        unknown = [k for k in kwargs if k not in signature.parameters]
        what = f"不接受参数“{'”“'.join(unknown)}”" if unknown else f"最多接受 {len(signature.parameters)} 个参数"
        raise SecurityError(f"tables.{function.__name__}(…) {what}（可用参数：{accepted}）") from None


def _has_surrogate(text: str) -> bool:
    """Whether the text has a lone surrogate (U+D800 to U+DFFF): what UTF-8 cannot encode."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


def _finalize(value: Any) -> Any:
    """What a {{ }} prints: a number, a text or a generated table; never Python's repr."""
    if isinstance(value, Undefined):
        value._fail_with_undefined_error()
    if isinstance(value, str):
        if not value.isascii() and _has_surrogate(value):
            raise SecurityError("结果含有无效的 Unicode 字符（单独的代理项，如 \\ud800）")
        return value
    if isinstance(getattr(value, "reportkit_text", None), str):  # a value that prints a phrase (a Change)
        return value.reportkit_text
    if isinstance(value, bool) or value is None or not isinstance(value, (int, Decimal, Fraction, float)):
        raise SecurityError(
            f"{{{{ }}}} 的结果是{_kind(value)}，不能直接写入正文"
            "（应写到具体的一项，如 {{ budget.adjusted | wan }}；列表用 join）"
        )
    if isinstance(value, Decimal) and not value.is_finite() or isinstance(value, float) and not math.isfinite(value):
        raise SecurityError("计算结果不是有限的数（溢出或 0 除以 0）")
    return value


def _kind(value: Any) -> str:
    if value is None:
        return "空值"
    if isinstance(value, bool):
        return "一个是/否值"
    if isinstance(value, dict):
        return "一组值（" + "、".join(str(k) for k in list(value)[:5]) + ("……" if len(value) > 5 else "") + "）"
    if isinstance(value, (list, tuple)):
        return f"一个列表（{len(value)} 项）"
    return "不能打印的对象"


def _decimal(text: str) -> Decimal:
    return Decimal(text)


def make_environment() -> ReportSandbox:
    env = ReportSandbox(
        undefined=StrictUndefined,
        autoescape=False,
        keep_trailing_newline=True,
        finalize=_finalize,
    )
    env.filters.clear()
    env.filters.update({"wan": f_wan, "yuan": f_yuan, "pct": f_pct, "score": f_score, "num": f_num,
                        "default": _default, "length": _length, "join": _join})
    env.filters.update({_STEPS: _counted, _DECIMAL: _decimal})  # added by _prepare, not by authors
    env.tests.clear()
    env.tests.update({"defined": lambda v: not isinstance(v, StrictUndefined)})
    env.globals.clear()
    return env


_STEPS, _DECIMAL = "_rk_steps", "_rk_decimal"
USER_FILTERS = ("wan", "yuan", "pct", "score", "num", "default", "length", "join")
USER_TESTS = ("defined",)


def _join(values: Any, separator: str = "、") -> str:
    if not isinstance(separator, str):
        raise SecurityError(f"join 的分隔符应是文字，如 join(\"、\")，写的是“{separator}”")
    if isinstance(values, (str, dict)) or not isinstance(values, (list, tuple, Iterator)):
        raise SecurityError(f"join 需要一个列表，得到的是{_kind(values) if not isinstance(values, str) else '一段文字'}")
    text = separator.join(str(_finalize(v)) for v in values)
    if len(text) > MAX_OUTPUT_CHARS:
        raise SecurityError(f"结果过长（超过 {MAX_OUTPUT_CHARS:,} 个字符）")
    return text


def _length(value: Any) -> int:
    if not isinstance(value, (str, list, tuple, dict)):
        raise SecurityError(f"length 需要列表或文字，得到的是“{value}”")
    return len(value)


def _default(value: Any, fallback: Any = "") -> Any:
    return fallback if isinstance(value, StrictUndefined) else value


FORBIDDEN = (nodes.Import, nodes.FromImport, nodes.Include, nodes.Extends, nodes.Macro, nodes.CallBlock)
_ENV = make_environment()


def _line_of(exc: BaseException, name: str) -> int | None:
    tb = exc.__traceback__
    line = None
    while tb is not None:
        if tb.tb_frame.f_code.co_filename == name:
            line = tb.tb_lineno
        tb = tb.tb_next
    return line


# Bump when _prepare changes: compiled code in the disk cache is keyed by it.
_CODE_VERSION = "limits-1"


@lru_cache(maxsize=256)
def _compile(source: str, file: str) -> Template:
    """Compile once per (text, file): the preview re-renders on every save, and the disk
    cache holds only code that passed _vetted_code, so a cached text is not parsed again."""
    code = cached_code(source, f"{file}\0{_CODE_VERSION}", lambda: _vetted_code(source, file))
    return _ENV.template_class.from_code(_ENV, code, _ENV.make_globals(None))


def kept_section_tree(source: str, file: str) -> nodes.Template:
    """parse_section's tree, kept in the disk cache once it passed (pickled without its
    environment): `check` parses every section each time, and parsing was four tenths of its
    time on a large report (143 ms for a 45 KB section; reading the tree back takes 13 ms).
    Each call returns a tree of its own: the caller may change it (traced marks its lines)."""
    vetting = f"{_CODE_VERSION}\0{MAX_TAG_TOKENS}\0{MAX_NESTING}\0{MAX_NUMBER_DIGITS}\0{USER_FILTERS}\0{USER_TESTS}"
    ast = cached_value(source, f"tree\0{vetting}", lambda: parse_section(source, file).set_environment(None))
    return ast.set_environment(_ENV)


def _syntax_error(exc: TemplateSyntaxError, file: str) -> ReportError:
    return ReportError(f"{{{{ }}}} 表达式语法错误：{syntax_message(exc.message or '')}", file=file,
                       line=exc.lineno, expected="{{ 名称 }} 或 {{ 名称 | 过滤器 }}，如 {{ budget.adjusted | wan }}")


# Jinja's words → what an author reads (the rest of its message is dropped, never shown in English).
_SYNTAX = (
    ("unexpected end of template", "文件在 {% … %} 块结束之前结束（缺少 endif 或 endfor？）"),
    ("unexpected char", "含有不能出现在 {{ }} 中的字符"),
    ("unexpected '}'", "多了一个“}”"),
    ("unexpected ')'", "多了一个“)”"),
    ("unexpected ']'", "多了一个“]”"),
    ("expected token 'end of print statement'", "{{ }} 没有正确结束：多余的内容，或缺少运算符"),
    ("expected token 'end of statement block'", "{% %} 没有正确结束：多余的内容"),
    ("expected token ','", "缺少逗号“,”或右括号"),
    ("expected token ':'", "缺少冒号“:”"),
    ("expected token 'in'", "for 循环应写成 {% for 项 in 列表 %}"),
    ("expected name or number", "“.”后应是名称或数字"),
    ("unexpected 'end of print statement'", "{{ }} 是空的，或在运算符之后就结束了"),
    ("unexpected 'end of statement block'", "{% %} 在运算符之后就结束了"),
    ("unexpected end of", "表达式不完整"),
    ("unclosed string", "引号没有闭合"),
    ("unclosed comment", "注释 {# … #} 没有闭合"),
    ("missing end of raw directive", "raw 块没有 endraw"),
    ("Encountered unknown tag", "未知的 {% %} 指令"),
    ("tag name expected", "{% %} 中缺少指令名"),
    ("can't assign to", "不能给这个表达式赋值"),
    ("Unexpected end of", "表达式不完整"),
    ("unexpected", "此处出现了意外的内容"),
    ("expected", "表达式不完整或写法不对"),
)


_ENDS = {"endif": "{% if %}", "endfor": "{% for %}", "else": "{% if %} 或 {% for %}", "elif": "{% if %}",
         "endset": "{% set %}", "endraw": "{% raw %}"}


def _tags(message: str) -> list[str]:
    """The tags Jinja says it was looking for: "… the following tags: 'endfor' or 'else'."."""
    found = re.search(r"looking for the following tags: (.*?)\. The innermost", message)
    return re.findall(r"'(\w+)'", found.group(1)) if found else []


def _named(message: str) -> str | None:
    """What Jinja's message is about, from its own words (None: the table above says it)."""
    tag = re.match(r"Encountered unknown tag '(\w+)'", message)
    wanted = _tags(message)
    innermost = re.search(r"innermost block that needs to be closed is '(\w+)'", message)
    if tag and wanted and innermost:
        return (f"{{% {innermost.group(1)} %}} 块中此处应是 " + " 或 ".join(f"{{% {t} %}}" for t in wanted)
                + f"，写的却是 {{% {tag.group(1)} %}}")
    if tag and tag.group(1) in _ENDS:
        return f"{{% {tag.group(1)} %}} 之前没有与它对应的 {_ENDS[tag.group(1)]}"
    if message.lower().startswith("unexpected end of template") and innermost:
        end = next((t for t in wanted if t.startswith("end")), f"end{innermost.group(1)}")
        return f"{{% {innermost.group(1)} %}} 块没有结束：缺少 {{% {end} %}}"
    if message.startswith("unexpected end of template, expected 'end of print statement'"):
        return "{{ 没有闭合：缺少 }}"
    if message.startswith("unexpected end of template, expected 'end of statement block'"):
        return "{% 没有闭合：缺少 %}"
    if message.startswith("Missing end of comment tag"):
        return "注释 {# 没有闭合：缺少 #}"
    char = re.match(r"""unexpected char (['"])(.+?)\1 at \d+""", message)
    if char:
        quote = "（引号没有闭合？）" if char.group(2) in "'\"" else ""
        return f"{{{{ }}}} 或 {{% %}} 中不能出现字符“{char.group(2)}”{quote}"
    if message.startswith("Expected an expression"):
        return "此处缺少表达式（如名称或数字）"
    other = re.fullmatch(r"unexpected '(.)'", message)
    if other and other.group(1) not in "})]":
        return f"此处不能出现“{other.group(1)}”"
    return None


def syntax_message(message: str) -> str:
    """A Jinja syntax message in Chinese (the tag it names is kept)."""
    named = _named(message)
    if named:
        return named
    lowered = message.lower()
    for english, chinese in _SYNTAX:
        if english.lower() in lowered:
            if english == "Encountered unknown tag" and "'" in message:
                return f"未知的 {{% %}} 指令“{message.split(chr(39))[1]}”（可用：if、for、set）"
            return chinese
    return "无法解析"


# The end of a tag in plain text: the start before it is missing or mistyped ({ x }}, {{ x }}}).
_STRAY_END = re.compile(r"\}\}|%\}|#\}")
_STRAY_END_OF = {"}}": ("{{", "{{ budget.adjusted | wan }}"), "%}": ("{%", "{% if … %}…{% endif %}"),
                 "#}": ("{#", "{# 注释 #}")}


def _check_tokens(source: str, file: str) -> None:
    """Refuse a tag too long or too deeply nested before the parser recurses into it."""
    tokens = depth = blocks = 0
    inside = first = raw = False
    for line, kind, value in _ENV.lex(source, name=file, filename=file):
        raw = kind == "raw_begin" or raw and kind != "raw_end"
        if kind == "data" and not raw and (stray := _STRAY_END.search(value)):  # Jinja prints it as text
            begin, example = _STRAY_END_OF[stray[0]]
            raise ReportError(f"多余的“{stray[0]}”：前面没有与之对应的“{begin}”", file=file,
                              line=line + value.count("\n", 0, stray.start()),
                              expected=f"成对地写，如 {example}；不是模板标记就删去“{stray[0]}”")
        if kind in ("variable_begin", "block_begin"):
            inside, first, tokens, depth = True, kind == "block_begin", 0, 0
            continue
        if kind in ("variable_end", "block_end"):
            inside = False
            continue
        if not inside or kind == "whitespace":
            continue
        tokens += 1
        if first:
            first = False
            if value in _OPENERS:
                blocks += 1
            elif value.startswith("end"):
                blocks -= 1
        if kind == "operator" and value in "([{":
            depth += 1
        elif kind == "operator" and value in ")]}":
            depth -= 1
        if tokens > MAX_TAG_TOKENS:
            raise ReportError(f"一个 {{{{ }}}} 或 {{% %}} 中的内容过长（超过 {MAX_TAG_TOKENS} 个词）", file=file,
                              line=line, expected="简短的引用，如 {{ budget.adjusted | wan }}；长的计算请分几处写")
        if depth > MAX_NESTING or blocks > MAX_NESTING:
            raise ReportError(f"括号或 {{% %}} 块嵌套过深（超过 {MAX_NESTING} 层）", file=file, line=line,
                              expected=f"不超过 {MAX_NESTING} 层")
        if kind in ("integer", "float") and sum(c.isdigit() for c in value) > MAX_NUMBER_DIGITS:
            raise ReportError(f"数字过长（超过 {MAX_NUMBER_DIGITS} 位）", file=file, line=line,
                              expected="报告中的数字，或引用事实文件中的值")


def parse_section(source: str, file: str) -> nodes.Template:
    """A section text's syntax tree, vetted: size and nesting within limits, no forbidden
    directive, only known filters and tests. Every problem is a ReportError."""
    try:
        _check_tokens(source, file)
        ast = _ENV.parse(source, name=file, filename=file)
    except TemplateSyntaxError as exc:
        raise _syntax_error(exc, file) from None
    except RecursionError:
        raise ReportError(f"括号或 {{% %}} 块嵌套过深（超过 {MAX_NESTING} 层）", file=file) from None
    for node in ast.find_all(FORBIDDEN):
        raise ReportError(
            "正文中不允许使用 import、include、extends、macro 等模板指令",
            file=file, line=node.lineno, expected="只读取事实和指标，如 {{ budget.adjusted | wan }}",
        )
    for node in ast.find_all((nodes.Filter, nodes.Test)):
        known = USER_FILTERS if isinstance(node, nodes.Filter) else USER_TESTS
        if node.name not in known:
            what = "过滤器" if isinstance(node, nodes.Filter) else "判断（is 之后）"
            import difflib  # here: only a mistake needs it (start-up time)

            close = difflib.get_close_matches(node.name, known, n=1, cutoff=0.5)
            hint = f"；是否应为“{close[0]}”？" if close else ""
            raise ReportError(f"未知的{what}“{node.name}”{hint}", file=file, line=node.lineno,
                              expected=("过滤器：" + FILTER_HELP) if isinstance(node, nodes.Filter)
                              else "判断：defined（是否有值），如 {% if extra.x is defined %}")
    return ast


def prepare(ast: nodes.Template) -> nodes.Template:
    """Every loop pays for its steps; every number written with a point is a Decimal."""
    for loop in list(ast.find_all(nodes.For)):
        loop.iter = nodes.Filter(loop.iter, _STEPS, [], [], None, None, lineno=loop.lineno)
    for parent in [ast, *ast.find_all(nodes.Node)]:
        for name in parent.fields:
            child = getattr(parent, name, None)
            if _is_float(child):
                setattr(parent, name, _as_decimal(child))
            elif isinstance(child, list):
                setattr(parent, name, [_as_decimal(c) if _is_float(c) else c for c in child])
    return ast


def _is_float(node: Any) -> bool:
    return isinstance(node, nodes.Const) and isinstance(node.value, float)


def _as_decimal(node: nodes.Const) -> nodes.Filter:
    return nodes.Filter(nodes.Const(repr(node.value)), _DECIMAL, [], [], None, None, lineno=node.lineno)


def _vetted_code(source: str, file: str) -> CodeType:
    """Parse, vet, prepare and compile."""
    ast = prepare(parse_section(source, file))
    try:
        return _ENV.compile(ast, name=file, filename=file)
    except TemplateSyntaxError as exc:
        raise _syntax_error(exc, file) from None
    except RecursionError:
        raise ReportError(f"括号或 {{% %}} 块嵌套过深（超过 {MAX_NESTING} 层）", file=file) from None


def render_bounded(template: Template, context: dict[str, Any]) -> str:
    """Render within the section's limits of loop steps and output size."""
    _BUDGET.steps = MAX_LOOP_STEPS
    pieces: list[str] = []
    size = 0
    for piece in template.generate(context):
        size += len(piece)
        if size > MAX_OUTPUT_CHARS:
            raise SecurityError(f"章节展开后过长（超过 {MAX_OUTPUT_CHARS:,} 个字符；循环嵌套过多？）")
        pieces.append(piece)
    return "".join(pieces)


def render_text(source: str, context: dict[str, Any], file: str) -> str:
    """Render one section's Markdown with the report's values."""
    template = _compile(source, file)
    try:
        return render_bounded(template, context)
    except ReportError as exc:  # from a callable such as tables.quarterly(): add where it was called
        if exc.file is None:
            exc.file, exc.line = file, _line_of(exc, file)
        raise
    except UndefinedError as exc:
        name = _undefined_name(exc)
        element = re.fullmatch(r"'?(\w+) object'? has no element (.+)", str(exc.message or ""))
        if element:  # quarters[9]: a list (or a text) shorter than the index written
            raise ReportError(
                f"下标 [{element.group(2)}] 超出了范围：{_KINDS.get(element.group(1), '这个值')}没有这一项",
                file=file, line=_line_of(exc, file),
                expected="从 0 开始的下标，如 quarters[0] 到 quarters[3]（四个季度）",
            ) from None
        close = suggest(name, known_names(context))
        hint = f"；是否应为 {{{{ {close} }}}}？" if close else ""
        raise ReportError(
            f"未知的名称：{name}{hint}", file=file, line=_line_of(exc, file),
            expected="事实文件中的键或计算指标（reportkit check 列出可用名称），过滤器：" + FILTER_HELP,
        ) from None
    except SecurityError as exc:
        raise ReportError(str(exc), file=file, line=_line_of(exc, file)) from None
    except RecursionError as exc:
        raise ReportError("表达式嵌套过深", file=file, line=_line_of(exc, file)) from None
    except MemoryError:
        raise ReportError("表达式的结果过大，内存不足", file=file) from None
    except TemplateError as exc:
        raise ReportError(f"模板错误：{syntax_message(str(exc))}", file=file, line=_line_of(exc, file)) from None
    except (TypeError, ValueError, ArithmeticError, AttributeError, KeyError, IndexError) as exc:
        raise ReportError(f"表达式无法计算：{_python_problem(exc)}", file=file, line=_line_of(exc, file),
                          expected="数字与数字运算，文字与文字连接（~）") from None


def _python_problem(exc: BaseException) -> str:
    """Python's complaint in words an author reads."""
    text = str(exc)
    if isinstance(exc, ZeroDivisionError) or "division" in text:
        return "除数为 0"
    if "unsupported operand" in text or "can only concatenate" in text or "must be str" in text:
        return "运算的两边类型不同（如数字与文字相加）"
    if "not iterable" in text:
        return "循环或 join 需要列表"
    if isinstance(exc, ArithmeticError):
        return "数值运算无效（溢出或无意义的运算）"
    return "值的类型不适合这个运算或过滤器"


def suggest(name: str, known: list[str]) -> str | None:
    """The known dotted name closest to a mistyped one (a whole name or its last part)."""
    import difflib  # here: only a mistake needs it (start-up time)

    best, score = None, 0.6
    for candidate in known:
        for part in {candidate, candidate.rsplit(".", 1)[-1]}:
            ratio = difflib.SequenceMatcher(None, name, part).ratio()
            if ratio > score:
                best, score = candidate, ratio
    return best


def known_names(context: dict[str, Any], prefix: str = "") -> list[str]:
    """Every dotted name a section may use, for suggestions."""
    names = []
    for key, value in context.items():
        name = f"{prefix}{key}"
        names.append(name)
        if isinstance(value, dict) and len(names) < 5000:
            names += known_names(value, name + ".")
    return names


_KINDS = {"list": "这个列表", "tuple": "这个列表", "str": "这段文字"}


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, Decimal, Fraction, float)) and not isinstance(value, bool)


def _undefined_name(exc: UndefinedError) -> str:
    message = str(exc.message or exc)
    # Jinja: "'foo' is undefined" or "'dict object' has no attribute 'bar'"
    if "has no attribute" in message:
        return message.split("has no attribute", 1)[1].strip().strip("'")
    return message.replace(" is undefined", "").strip("'")
