"""Facts and metrics inside Markdown: a sandboxed, strict Jinja environment.

A section can read values ({{ budget.execution_rate }}) and format them with filters; it
cannot reach attributes or methods of Python objects, import, include or run code. Every
failure becomes a ReportError naming the section file and line.
"""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction
from functools import lru_cache
from types import CodeType
from typing import Any

from jinja2 import StrictUndefined, Template, TemplateSyntaxError, UndefinedError, nodes
from jinja2.exceptions import SecurityError, TemplateError
from jinja2.runtime import LoopContext
from jinja2.sandbox import SandboxedEnvironment

from ..codecache import cached_code
from ..compute import Quotient
from ..errors import ReportError
from ..numbers import money, percent, plain, quantize

FILTER_HELP = (
    "wan（万元金额）、yuan（万元换算为元）、pct（百分数）、score（分数）、num（数字）、"
    "length（个数）、join（连接）"
)
_LOOP_ATTRIBUTES = {"index", "index0", "first", "last", "length", "revindex", "revindex0"}


def _as_exact(value: Any, name: str) -> Fraction:
    if isinstance(value, bool) or not isinstance(value, (int, Decimal, Fraction)):
        raise SecurityError(f"过滤器 {name} 需要数字，得到的是“{value}”")
    return Fraction(value)


def f_wan(value: Any, decimals: int = 2) -> str:
    return money(_as_exact(value, "wan"), decimals)


def f_yuan(value: Any) -> str:
    return f"{quantize(_as_exact(value, 'yuan') * 10000, 2, 'half_up')}"


def f_pct(value: Any, decimals: int = 2) -> str:
    return percent(_as_exact(value, "pct"), decimals)


def f_score(value: Any) -> str:
    return plain(quantize(_as_exact(value, "score"), 2, "half_up"))


def f_num(value: Any, decimals: int = 0) -> str:
    return f"{quantize(_as_exact(value, 'num'), decimals, 'half_up'):,}"


class ReportSandbox(SandboxedEnvironment):
    """Only mapping keys and list items are readable; no attributes, no methods.

    Division is exact (Fraction), so `{{ a / b }}` never produces a float.
    """

    intercepted_binops = frozenset(["/"])

    def call_binop(self, context, operator, left, right):  # noqa: ANN001
        if operator == "/":
            return Quotient(_as_exact(left, "/") / _as_exact(right, "/"))
        return super().call_binop(context, operator, left, right)

    def getattr(self, obj: Any, attribute: str) -> Any:
        if attribute.startswith("_"):
            raise SecurityError(f"正文中不允许访问属性“{attribute}”")
        if isinstance(obj, LoopContext) and attribute in _LOOP_ATTRIBUTES:
            return getattr(obj, attribute)
        if isinstance(obj, dict) and attribute in obj:
            return obj[attribute]
        if isinstance(obj, dict):
            return self.undefined(obj=obj, name=attribute)
        raise SecurityError(f"正文中不允许访问属性“{attribute}”")

    def getitem(self, obj: Any, argument: Any) -> Any:
        if isinstance(obj, dict):
            if argument in obj:
                return obj[argument]
            return self.undefined(obj=obj, name=argument)
        if isinstance(obj, (list, tuple)) and isinstance(argument, int):
            try:
                return obj[argument]
            except IndexError:
                return self.undefined(obj=obj, name=argument)
        raise SecurityError(f"正文中不允许以 [{argument!r}] 访问该值")

    def call(self, context, obj, *args, **kwargs):  # noqa: ANN001
        if getattr(obj, "reportkit_callable", False):
            return obj(*args, **kwargs)
        raise SecurityError("正文中不允许调用函数或方法")


def make_environment() -> ReportSandbox:
    env = ReportSandbox(
        undefined=StrictUndefined,
        autoescape=False,
        keep_trailing_newline=True,
    )
    env.filters.clear()
    env.filters.update({"wan": f_wan, "yuan": f_yuan, "pct": f_pct, "score": f_score, "num": f_num,
                        "default": _default, "length": len, "join": _join})
    env.tests.clear()
    env.tests.update({"defined": lambda v: not isinstance(v, StrictUndefined)})
    env.globals.clear()
    return env


def _join(values: Any, separator: str = "、") -> str:
    return separator.join(str(v) for v in values)


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


@lru_cache(maxsize=256)
def _compile(source: str, file: str) -> Template:
    """Compile once per (text, file): the preview re-renders on every save, and the disk
    cache holds only code that passed _vetted_code, so a cached text is not parsed again."""
    code = cached_code(source, file, lambda: _vetted_code(source, file))
    return _ENV.template_class.from_code(_ENV, code, _ENV.make_globals(None))


def _vetted_code(source: str, file: str) -> CodeType:
    """Parse, refuse the directives a section may not use, and compile."""
    try:
        ast = _ENV.parse(source, name=file, filename=file)
    except TemplateSyntaxError as exc:
        raise ReportError(f"{{{{ }}}} 表达式语法错误：{exc.message}", file=file, line=exc.lineno) from None
    for node in ast.find_all(FORBIDDEN):
        raise ReportError(
            "正文中不允许使用 import、include、extends、macro 等模板指令",
            file=file, line=node.lineno, expected="只读取事实和指标，如 {{ budget.adjusted | wan }}",
        )
    return _ENV.compile(ast, name=file, filename=file)


def render_text(source: str, context: dict[str, Any], file: str) -> str:
    """Render one section's Markdown with the report's values."""
    template = _compile(source, file)
    try:
        return template.render(context)
    except ReportError as exc:  # from a callable such as tables.quarterly(): add where it was called
        if exc.file is None:
            exc.file, exc.line = file, _line_of(exc, file)
        raise
    except UndefinedError as exc:
        raise ReportError(
            f"未知的名称：{_undefined_name(exc)}", file=file, line=_line_of(exc, file),
            expected="事实文件中的键或计算指标（reportkit check 列出可用名称），过滤器：" + FILTER_HELP,
        ) from None
    except SecurityError as exc:
        raise ReportError(str(exc), file=file, line=_line_of(exc, file)) from None
    except TemplateError as exc:
        raise ReportError(f"模板错误：{exc}", file=file, line=_line_of(exc, file)) from None
    except (TypeError, ValueError, ArithmeticError) as exc:
        raise ReportError(f"表达式无法计算：{exc}", file=file, line=_line_of(exc, file)) from None


def _undefined_name(exc: UndefinedError) -> str:
    message = str(exc.message or exc)
    # Jinja: "'foo' is undefined" or "'dict object' has no attribute 'bar'"
    if "has no attribute" in message:
        return message.split("has no attribute", 1)[1].strip().strip("'")
    return message.replace(" is undefined", "").strip("'")
