"""YAML loading that keeps line numbers and never turns numbers into floats."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

import yaml

from ..errors import ReportError


class Located:
    """Line numbers of every key, by dotted path ("budget.initial", "quarterly.cumulative_spent.2")."""

    def __init__(self, file: str):
        self.file = file
        self.lines: dict[str, int] = {}

    def line(self, path: str) -> int | None:
        # Fall back to the closest parent that has a line.
        while path:
            if path in self.lines:
                return self.lines[path]
            path = path.rpartition(".")[0]
        return None


# libyaml's parser when available (several times faster); same safe constructors.
class _Loader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):
    pass


def _float_as_decimal(loader: _Loader, node: yaml.ScalarNode) -> Decimal:
    text = loader.construct_scalar(node).replace("_", "")
    try:
        return Decimal(text)
    except ArithmeticError:  # .inf, .nan
        return Decimal("NaN")


_Loader.add_constructor("tag:yaml.org,2002:float", _float_as_decimal)
# Keep dates such as 2022-03-31 as plain text; the facts schema decides what a value is.
_Loader.add_constructor(
    "tag:yaml.org,2002:timestamp", lambda loader, node: loader.construct_scalar(node)
)


# PyYAML's problems in English -> what a user reads.
_PROBLEMS = (
    ("that cannot start any token", "含有不能出现在此处的字符（如 @、`）"),
    ("did not find expected node content", "缺少值（括号或引号没有闭合？）"),
    ("mapping values are not allowed here", "此处不能出现“键: 值”（多半是缩进不对，或冒号后少了空格）"),
    ("could not find expected ':'", "缺少冒号“:”"),
    ("expected ',' or ']'", "列表缺少“,”或“]”"),
    ("expected ',' or '}'", "映射缺少“,”或“}”"),
    ("found unexpected end of stream", "文件在引号或括号闭合之前结束"),
    ("found undefined alias", "引用了未定义的别名"),
    ("expected <block end>, but found", "缩进不一致"),
    ("did not find expected key", "缩进不一致或缺少键"),
    ("found unknown escape character", "引号内含有无效的转义字符（Windows 路径请用单引号）"),
)


def _problem(text: str, line_text: str) -> str:
    if "\t" in line_text[: len(line_text) - len(line_text.lstrip())]:
        return "含有制表符（Tab），请改用空格缩进"
    for english, chinese in _PROBLEMS:
        if english in text:
            return chinese
    return f"无法解析（{text}）"


def _walk(node: yaml.Node, path: str, located: Located) -> None:
    located.lines.setdefault(path, node.start_mark.line + 1)
    if isinstance(node, yaml.MappingNode):
        seen: dict[str, int] = {}
        for key_node, value_node in node.value:
            key = str(key_node.value)
            child = f"{path}.{key}" if path else key
            line = key_node.start_mark.line + 1
            if key in seen:
                raise ReportError(
                    f"键“{key}”重复出现（第一次在第 {seen[key]} 行），后一个会悄悄覆盖前一个",
                    file=located.file, line=line, key=child, expected="每个键只写一次",
                )
            seen[key] = line
            located.lines[child] = key_node.start_mark.line + 1
            _walk(value_node, child, located)
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            child = f"{path}.{index}" if path else str(index)
            located.lines[child] = item.start_mark.line + 1
            _walk(item, child, located)


def read_text(path: Path) -> str:
    """Read a UTF-8 text file; a BOM is accepted, anything else gets a clear message."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise ReportError("文件不存在", file=path) from None
    except OSError as exc:
        raise ReportError(f"无法读取文件（{exc.strerror}）", file=path) from None
    if b"\x00" in data[:8192]:
        raise ReportError("这是二进制文件，不是文本文件", file=path, expected="UTF-8 文本") from None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise ReportError(
            "文件不是 UTF-8 编码（可能是 GBK），请在编辑器中另存为 UTF-8",
            file=path,
            line=line,
            expected="UTF-8 编码",
        ) from None
    return text


def _line_text(text: str, line: int | None) -> str:
    lines = text.splitlines()
    return lines[line - 1] if line and 0 < line <= len(lines) else ""


def load_yaml(path: Path) -> tuple[Any, Located]:
    """Load one YAML document; return the data and the line of every key."""
    text = read_text(path)
    located = Located(str(path))
    try:
        # One parse: compose the node tree (for lines), then construct values from it.
        loader = _Loader(text)
        try:
            node = loader.get_single_node()
            if node is None:
                return {}, located
            _walk(node, "", located)
            data = loader.construct_document(node)
        finally:
            loader.dispose()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        problem = _problem(exc.problem or str(exc), _line_text(text, line))
        opened = exc.context_mark.line + 1 if exc.context_mark else None
        if (exc.context or "").startswith("while parsing a flow") and opened and line and opened < line:
            # An unclosed [ or {: PyYAML notices on a later line; the mistake is where it opened.
            problem += f"（第 {opened} 行开始的括号到第 {line} 行仍未闭合）"
            line = opened
        raise ReportError(f"YAML 语法错误：{problem}", file=path, line=line, expected="合法的 YAML") from None
    except yaml.YAMLError as exc:
        raise ReportError(f"YAML 无法解析：{exc}", file=path) from None
    return data, located
