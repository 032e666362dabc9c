"""PyYAML's part of loading a YAML file (yamlio.load_yaml): the parse with line numbers and
limits, decimals for numbers, and PyYAML's errors in words a user can act on.

Imported only when a file is parsed: the disk cache holds the parse of a file that did not
change, and importing PyYAML took a twentieth of a small build.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

import yaml

from ..errors import ReportError
from . import yamlio  # its limits, read when used (tests lower them)
from .yamlio import Located, _refuse_characters


# libyaml's parser when available (several times faster); same safe constructors.
class _Loader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):
    pass



def _float_as_decimal(loader: _Loader, node: yaml.ScalarNode) -> Decimal | str:
    written = loader.construct_scalar(node)
    try:
        value = Decimal(written.replace("_", ""))
    except InvalidOperation:  # .inf, .nan
        return Decimal("NaN")
    if len(value.as_tuple().digits) > yamlio.MAX_DIGITS or value.is_finite() and abs(value.adjusted()) > yamlio.MAX_DIGITS:
        return written
    return value


def _int(loader: _Loader, node: yaml.ScalarNode) -> int | str:
    written = loader.construct_scalar(node)
    if sum(c.isdigit() for c in written) > yamlio.MAX_DIGITS:
        return written
    return yaml.SafeLoader.construct_yaml_int(loader, node)


_Loader.add_constructor("tag:yaml.org,2002:float", _float_as_decimal)
_Loader.add_constructor("tag:yaml.org,2002:int", _int)
# Keep dates such as 2022-03-31 as plain text; the facts schema decides what a value is.
_Loader.add_constructor(
    "tag:yaml.org,2002:timestamp", lambda loader, node: loader.construct_scalar(node)
)



# PyYAML's problems in English -> what a user reads.
_PROBLEMS = (
    ("that cannot start any token", "含有不能出现在此处的字符（如 @、`）"),
    ("did not find expected node content", "缺少值（括号或引号没有闭合？）"),
    ("mapping values are not allowed", "此处不能出现“键: 值”（多半是缩进不对，或值中的冒号未加引号）"),
    ("exceeded maximum nesting depth", f"嵌套过深（超过 {yamlio.MAX_YAML_DEPTH} 层）"),
    ("found unknown directive name", "以 % 开头的行是 YAML 指令，不能出现在这里（请加引号或删除）"),
    ("could not find expected ':'", "缺少冒号“:”"),
    ("expected ',' or ']'", "列表缺少“,”或“]”"),
    ("expected ',' or '}'", "映射缺少“,”或“}”"),
    ("found unexpected end of stream", "文件在引号或括号闭合之前结束"),
    ("found undefined alias", "引用了未定义的别名"),
    ("expected <block end>, but found", "缩进不一致"),
    ("did not find expected key", "缩进不一致或缺少键"),
    ("found unknown escape character", "引号内含有无效的转义字符（Windows 路径请用单引号）"),
    ("found invalid Unicode character escape code", "引号内的 \\u 转义不是有效的字符（Windows 路径请用单引号）"),
    ("did not find expected hexdecimal number", "引号内的 \\x 或 \\u 转义后缺少十六进制数字（Windows 路径请用单引号）"),
    ("found character that cannot start any token", "含有不能出现在此处的字符"),
    ("found unexpected ':'", "此处不能出现冒号“:”（含冒号的文字请加引号）"),
    ("did not find expected alphabetic or numeric character", "锚点或别名（& 或 * 之后）缺少名称"),
    ("did not find expected '-' indicator", "列表项缩进不一致"),
    ("did not find expected comment or line break", "值之后有多余的内容（含冒号或 # 的文字请加引号）"),
    ("found a tab character", "含有制表符（Tab），请改用空格缩进"),
    ("found unexpected end of stream", "文件在引号或括号闭合之前结束"),
    ("found duplicate anchor", "锚点名称重复"),
    ("expected a single document", "文件中只能有一个文档（删去多余的 --- 行）"),
    ("block sequence entries are not allowed", "此处不能开始列表（“- ”之前的缩进不对）"),
    ("expected alphabetic or numeric character", "锚点或别名缺少名称"),
    ("found undefined tag handle", "未知的标签（事实文件中不需要 ! 标签）"),
    ("while scanning a directive", "以 % 开头的行是 YAML 指令，不能出现在这里"),
    ("found incompatible YAML document", "不支持的 YAML 版本指令"),
    ("could not determine a constructor", "不支持的标签（事实文件中不需要 ! 标签）"),
    ("found unhashable key", "键必须是文字或数字，不能是列表或映射"),
    ("mapping keys are not allowed", "此处不能出现以“? ”开头的键"),
    ("found unexpected document indicator", "文件中间出现了文档分隔符 --- 或 ...（请删除或加引号）"),
    ("did not find expected <document start>", "顶层的缩进或写法不对（每个顶层键写在行首，如 budget:）"),
    ("did not find expected whitespace or line break", "标签或锚点之后缺少空格"),
    ("found extra characters after directive", "YAML 指令行有多余内容"),
    ("did not find expected tag URI", "标签写法有误（事实文件中不需要 ! 标签）"),
    ("did not find URI escaped octet", "标签写法有误（事实文件中不需要 ! 标签）"),
    ("found an incorrect leading UTF-8 octet", "文件不是 UTF-8 编码"),
    ("control characters are not allowed", "含有不可见的控制字符，请删除"),
)
# Outside YAML's printable set (tab, line breaks and every ordinary character are in it).
_NOT_PRINTABLE = re.compile("[^\t\n\r\x20-\x7e\x85\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
# Line breaks to YAML but not to an editor (NEL, LINE and PARAGRAPH SEPARATOR).
_YAML_BREAKS = re.compile("[\x85\u2028\u2029]")

# A key typed with the full-width colon of a Chinese keyboard: "spent： 1"
_FULL_WIDTH_KEY = re.compile(r"^\s*(?:-\s+)?[A-Za-z_][A-Za-z0-9_]*\s*：")


def _problem(text: str, line_text: str) -> str:
    if "\t" in line_text[: len(line_text) - len(line_text.lstrip())]:
        return "含有制表符（Tab），请改用空格缩进"
    for english, chinese in _PROBLEMS:
        if english in text:
            return chinese
    return "此处无法解析（缩进、冒号或引号有误？）"


class _Walk:
    """State of one walk of the node tree: nodes visited and the chain of open blocks."""

    def __init__(self, text: str, located: Located):
        self.text = text
        self.located = located
        self.count = 0
        self.open: set[int] = set()  # id() of the blocks the walk is inside (a loop of aliases)


def _refuse(message: str, node: yaml.Node, located: Located, expected: str | None = None) -> ReportError:
    return ReportError(message, file=located.file, line=node.start_mark.line + 1, expected=expected)


def _vet(node: yaml.Node, walk: _Walk, depth: int) -> None:
    """Refuse an explicit tag, a loop of aliases, and a tree too deep or too large."""
    located = walk.located
    walk.count += 1
    if walk.count > yamlio.MAX_YAML_NODES:
        raise _refuse(f"值的个数超过 {yamlio.MAX_YAML_NODES:,} 个（别名 * 展开过多？）", node, located,
                      "事实文件不需要用别名反复引用大块内容")
    if depth > yamlio.MAX_YAML_DEPTH:
        raise _refuse(f"嵌套超过 {yamlio.MAX_YAML_DEPTH} 层", node, located, f"不超过 {yamlio.MAX_YAML_DEPTH} 层的缩进或括号")
    index = getattr(node.start_mark, "index", None)
    if index is not None and walk.text.startswith("!", index):
        tag = walk.text[index:].split(None, 1)[0][:40]
        if tag != "!!str" or not isinstance(node, yaml.ScalarNode):
            raise _refuse(f"不支持 YAML 标签“{tag}”", node, located,
                          "直接写值，如 12、12.5 或 \"文字\"；需要文字时可写 !!str 或加引号")
    if id(node) in walk.open:
        raise _refuse("别名 * 引用了包含它自身的内容（无限循环）", node, located, "别名只引用别处完整的值")


def _walk(node: yaml.Node, path: str, located: Located, walk: _Walk, depth: int = 0) -> None:
    _vet(node, walk, depth)
    located.lines.setdefault(path, node.start_mark.line + 1)
    if not isinstance(node, (yaml.MappingNode, yaml.SequenceNode)):
        return
    walk.open.add(id(node))
    if isinstance(node, yaml.MappingNode):
        seen: dict[str, int] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                raise _refuse("键必须是文字或数字，不能是列表或映射", key_node, located)
            if key_node.tag == "tag:yaml.org,2002:merge":
                raise _refuse("不支持 YAML 的合并键“<<”", key_node, located, "把要写的键逐一写出")
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
            _walk(value_node, child, located, walk, depth + 1)
    else:
        for index, item in enumerate(node.value):
            child = f"{path}.{index}" if path else str(index)
            located.lines[child] = item.start_mark.line + 1
            _walk(item, child, located, walk, depth + 1)
    walk.open.discard(id(node))


def _check_depth(text: str, file: str) -> None:
    """Nesting too deep for the node tree, found from parser events (flat, never recursive:
    composing a tree 100,000 brackets deep crashes libyaml)."""
    loader = _Loader(text)
    depth = 0
    try:
        while (event := loader.get_event()) is not None:
            if isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
                depth += 1
                if depth > yamlio.MAX_YAML_DEPTH:
                    raise ReportError(f"嵌套超过 {yamlio.MAX_YAML_DEPTH} 层", file=file, line=event.start_mark.line + 1,
                                      expected=f"不超过 {yamlio.MAX_YAML_DEPTH} 层的缩进或括号")
            elif isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
                depth -= 1
    finally:
        loader.dispose()



def _line_text(text: str, line: int | None) -> str:
    lines = text.splitlines()
    return lines[line - 1] if line and 0 < line <= len(lines) else ""



def _full_width_colon(text: str, until: int | None) -> int | None:
    """The last line up to `until` whose key ends in a full-width colon ("spent： 1")."""
    lines = text.splitlines()[: until or None]
    found = [i + 1 for i, line in enumerate(lines) if _FULL_WIDTH_KEY.match(line)]
    return found[-1] if found else None


def _colon_error(path: Path, line: int) -> ReportError:
    return ReportError("键后面用了全角冒号“：”，应为半角冒号“:”（其后加一个空格）", file=path, line=line,
                       expected="键: 值，如 spent: 16619.26")


def _long_quote(text: str, until: int | None) -> tuple[int, int] | None:
    """A quoted value that runs over several lines and ends at or before line `until`: in a
    facts, framework or outline file almost always a quote left open (first and last line)."""
    if not until:
        return None
    found = None
    loader = _Loader(text)
    try:
        while True:
            token = loader.get_token()
            if token is None:
                break
            if isinstance(token, yaml.ScalarToken) and token.style in ('"', "'"):
                first, last = token.start_mark.line + 1, token.end_mark.line + 1
                if first < last <= until:
                    found = (first, last)
    except yaml.YAMLError:
        pass
    finally:
        loader.dispose()
    return found


def _line_without_colon(text: str, line: int | None) -> int | None:
    """The line above `line` (blank and comment lines skipped) when it holds a bare word, a
    key without ": " after it; None when it looks like a key, a list item or a block."""
    rows = text.splitlines()
    number = (line or 0) - 1
    while number >= 1 and (not rows[number - 1].strip() or rows[number - 1].lstrip().startswith("#")):
        number -= 1
    if number < 1 or number > len(rows):
        return None
    row = rows[number - 1].split(" #", 1)[0].strip()
    if not row or row.startswith(("-", "[", "{", '"', "'", "|", ">")) or row.endswith(":") or ": " in row:
        return None
    return number


def _stray_marker(text: str, line: int | None) -> int | None:
    """The line of a "..." or "%…" above `line` that ended the document early."""
    rows = text.splitlines()[: line or 0]
    for number in range(len(rows), 0, -1):
        if rows[number - 1].startswith(("...", "%")):
            return number
    return None



def parse(path: Path, text: str) -> tuple[Any, Located]:
    _refuse_characters(text, path, _NOT_PRINTABLE)
    _refuse_characters(text, path, _YAML_BREAKS, "换行符")  # else every later line number is off by one
    colon = _full_width_colon(text, None)  # valid YAML too: the line would be read as text
    if colon is not None:
        raise _colon_error(path, colon)
    located = Located(str(path))
    try:
        _check_depth(text, str(path))
        # Compose the node tree (for lines), then construct values from it.
        loader = _Loader(text)
        try:
            node = loader.get_single_node()
            if node is None:
                return {}, located
            _walk(node, "", located, _Walk(text, located))
            data = loader.construct_document(node)
        finally:
            loader.dispose()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        problem = _problem(f"{exc.problem} {exc.context}", _line_text(text, line))
        if "mapping values are not allowed" in (exc.problem or "") and (bare := _line_without_colon(text, line)):
            # "  foo" (or "foo:bar") above "  key: 1": YAML reads both lines as one text and stops
            # at the second line's colon; the line missing its ": " is the one above.
            problem, line = "这一行缺少冒号和空格（应写成“键: 值”，冒号后加一个空格）", bare
        opened = exc.context_mark.line + 1 if exc.context_mark else None
        if (exc.context or "").startswith("while parsing a flow") and opened and line and opened < line:
            # An unclosed [ or {: PyYAML notices on a later line; the mistake is where it opened.
            problem += f"（第 {opened} 行开始的括号到第 {line} 行仍未闭合）"
            line = opened
        elif (exc.context or "").startswith("while scanning a quoted scalar") and opened and line and opened < line:
            problem += f"（第 {opened} 行开始的引号到第 {line} 行仍未闭合）"  # the same for a quote
            line = opened
        elif (quoted := _long_quote(text, line)) is not None:
            # A quote left open closed only at a later quote: the error shows up there.
            problem = (f"第 {quoted[0]} 行开始的引号直到第 {quoted[1]} 行才闭合，多半是少写了一个引号"
                       f"（第 {line} 行因此无法解析：{problem}）")
            line = quoted[0]
        elif "expected <document start>" in (exc.problem or "") and (stray := _stray_marker(text, line)):
            problem = "文件中间出现了文档结束符 ... 或以 % 开头的指令行（请删除，或给文字加引号）"
            line = stray
        raise ReportError(f"YAML 语法错误：{problem}", file=path, line=line, expected="合法的 YAML") from None
    except yaml.YAMLError:
        raise ReportError("YAML 无法解析（文件已损坏？）", file=path, expected="合法的 YAML") from None
    except (ValueError, TypeError, KeyError, IndexError, AttributeError):  # a constructor on a value it cannot take
        raise ReportError("YAML 中有无法识别的值", file=path, expected="合法的 YAML") from None
    return data, located
