"""The section files, for `reportkit check`.

Each file of the fixed outline must be there, readable and written; every name used in
`{{ }}` must exist (all of them are collected, across all files, from the template's syntax
tree, not just the first that fails); and the rendered text is returned line by line with,
for each character, the source line it came from and whether the author typed it or a
`{{ }}` expression produced it, so the number checks can name file:line.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from jinja2 import nodes

from ..assemble import (
    FILTER_HELP,
    FORBIDDEN,
    MAX_SECTION_BYTES,
    Line,
    Rendered,
    check_pictures,
    check_size,
    parse,
    parse_traced,
    render_lines,
    render_text,
    traced_env,
    traced_line_of,
    unshown_pictures,
)
from ..compute import FOR_TEXT, NEEDS, zero_divisor
from ..errors import ReportError
from ..findings import ERROR, NOTICE, SECTIONS, TODO, WARNING, Finding, from_error
from ..load import BY_PATH, Outline, Paths, cn_number, default_outline, fill, read_text

_ENV = traced_env
_COMMENT = re.compile(r"\{#.*?#\}", re.S)
def _show(path: list[Any]) -> str:
    text = str(path[0])
    for key in path[1:]:
        if isinstance(key, int):
            text += f"[{key}]"
        elif key.isascii() and key.isidentifier():
            text += f".{key}"
        else:
            text += f'["{key}"]'
    return text


def _chain(node: nodes.Node) -> tuple[list[Any] | None, list[nodes.Node]]:
    """`a.b["c"][0]` → ["a", "b", "c", 0]; dynamic parts (`a[x]`) end the path and are visited."""
    keys: list[Any] = []
    rest: list[nodes.Node] = []
    while isinstance(node, (nodes.Getattr, nodes.Getitem)):
        if isinstance(node, nodes.Getattr):
            keys.append(node.attr)
        elif isinstance(node.arg, nodes.Const) and isinstance(node.arg.value, (str, int)) \
                and not isinstance(node.arg.value, bool):
            keys.append(node.arg.value)
        else:
            rest.append(node.arg)
            keys = []  # what follows a dynamic part cannot be resolved
        node = node.node
    if isinstance(node, nodes.Name):
        return ([node.name, *reversed(keys)] if node.ctx == "load" else None), rest
    return None, [*rest, *_children(node)]  # a chain on a literal or a call: look inside


def _children(node: nodes.Node) -> list[nodes.Node]:
    """node.iter_child_nodes() as a list, read straight from the fields (Jinja's own walk is a
    chain of generators per node: half of check's time on a large report went to it)."""
    out = []
    for name in node.fields:
        value = getattr(node, name, None)
        if isinstance(value, nodes.Node):
            out.append(value)
        elif isinstance(value, list):
            out += [item for item in value if isinstance(item, nodes.Node)]
    return out


def descendants(ast: nodes.Node) -> list[nodes.Node]:
    """Every node below `ast`, in the order of ast.find_all(nodes.Node)."""
    out: list[nodes.Node] = []
    stack = _children(ast)[::-1]
    while stack:
        node = stack.pop()
        out.append(node)
        stack += _children(node)[::-1]
    return out


def references(ast: nodes.Template, every: list[nodes.Node] | None = None) -> list[tuple[list[Any], int]]:
    """Every name path the template reads from the context, with its line. `every`: the
    template's descendants() when the caller has them."""
    every = descendants(ast) if every is None else every
    local = {n.name for n in every if isinstance(n, nodes.Name) and n.ctx in ("store", "param")} | {"loop"}
    found: list[tuple[list[Any], int]] = []

    def visit(node: nodes.Node) -> None:
        if isinstance(node, (nodes.Name, nodes.Getattr, nodes.Getitem)):
            path, rest = _chain(node)
            if path and path[0] not in local:
                found.append((path, node.lineno))
            for other in rest:
                visit(other)
            return
        for child in _children(node):
            visit(child)

    visit(ast)
    return found


def _resolve(path: list[Any], context: dict[str, Any]) -> tuple[str, int]:
    """("ok" | "unknown" | "empty", how many keys resolved)."""
    value: Any = context
    for depth, key in enumerate(path):
        if isinstance(value, dict):
            if key not in value:
                return "unknown", depth
            value = value[key]
        elif isinstance(value, (list, tuple)) and isinstance(key, int):
            if not value:
                return "empty", depth
            if not -len(value) <= key < len(value):
                return "unknown", depth
            value = value[key]
        elif value is None:
            return "empty", depth
        else:
            return "unknown", depth
    return ("empty" if value is None else "ok"), len(path)


def _names(value: Any, prefix: str = "", depth: int = 0) -> Iterator[str]:
    """The names a section can use, for suggestions."""
    if depth > 3:
        return
    if isinstance(value, dict):
        for key, child in value.items():
            if not prefix:
                name = str(key)
            elif isinstance(key, str) and key.isascii() and key.isidentifier():
                name = f"{prefix}.{key}"
            else:
                name = f'{prefix}["{key}"]'
            yield name
            yield from _names(child, name, depth + 1)
    elif isinstance(value, (list, tuple)) and value and isinstance(value[0], dict):
        yield from _names(value[0], f"{prefix}[0]", depth + 1)


class _Dotted:
    """The nested template context read by dotted metric names (what zero_divisor looks up)."""

    def __init__(self, context: dict[str, Any]):
        self.context = context

    def get(self, name: str) -> Any:
        value: Any = self.context
        for key in name.split("."):
            if not isinstance(value, dict) or key not in value:
                return None
            value = value[key]
        return value


def _empty_reference(shown: str, dotted: str, rel: str, line: int, context: dict[str, Any],
                     divisors: dict[str, str] | None = None) -> Finding:
    zero = zero_divisor(dotted, _Dotted(context), None, divisors)  # type: ignore[arg-type]
    if zero is not None:  # filled in, but the rate divides by 0: filling in will not help
        return Finding(ERROR, SECTIONS, f"正文引用了 {shown}，但{zero.text}", rel, line, key=shown,
                       expected=FOR_TEXT.removeprefix("请"), blocks_build=True)
    spec = BY_PATH.get(dotted)
    if spec is not None:
        message = f"正文引用了“{spec.title}”（{dotted}），但事实文件中尚未填写"
    elif dotted in NEEDS:
        message = f"正文引用了 {shown}，需要先在事实文件中填写 {'、'.join(NEEDS[dotted])} 才能计算"
    else:
        message = f"正文引用了 {shown}，但它还没有值（相关事实尚未填写）"
    return Finding(TODO, SECTIONS, message, rel, line, key=shown)


def _check_names(ast: nodes.Template, context: dict[str, Any], rel: str,
                 divisors: dict[str, str] | None, every: list[nodes.Node]) -> list[Finding]:
    """Unknown names and filters; `every`: the template's descendants()."""
    findings = []
    known: list[str] | None = None
    for path, line in references(ast, every):
        status, depth = _resolve(path, context)
        if status == "ok":
            continue
        shown = _show(path)
        dotted = ".".join(str(k) for k in path)
        if status == "empty" or dotted in BY_PATH or dotted in NEEDS:
            findings.append(_empty_reference(shown, dotted, rel, line, context, divisors))
            continue
        if known is None:
            known = sorted(set(_names(context)) | set(BY_PATH))
        import difflib  # here: only a mistake needs it (start-up time)

        close = difflib.get_close_matches(shown, known, n=1, cutoff=0.6)
        findings.append(Finding(
            ERROR, SECTIONS, f"未知的名称“{shown}”（“{_show(path[:depth + 1])}”不存在）", rel, line, key=shown,
            expected="事实文件中的键或计算指标", suggestion=f"{{{{ {close[0]} }}}}" if close else None,
        ))
    for node in every:
        if isinstance(node, nodes.Filter) and node.name not in _ENV.filters:
            findings.append(Finding(ERROR, SECTIONS, f"未知的过滤器“{node.name}”", rel, node.lineno,
                                    expected="过滤器：" + FILTER_HELP))
    return findings


def _try_render(ast: nodes.Template, context: dict[str, Any], rel: str, source: str) -> Rendered | None:
    try:
        return render_lines(ast, context, rel, source)
    except Exception:  # noqa: BLE001 - reported through render_text, which build uses
        return None


def _read(path: Path, rel: str, root: Path) -> tuple[str | None, Finding | None]:
    try:
        return read_text(path, root=root, limit=MAX_SECTION_BYTES, kind="章节文件"), None
    except ReportError as exc:
        return None, from_error(exc, SECTIONS, root)


def check_sections(
    paths: Paths, context: dict[str, Any] | None, *, numbers: bool, kind: str = "部门", year: int | None = None,
    outline: Outline | None = None, divisors: dict[str, str] | None = None,
) -> tuple[list[Finding], list[Rendered]]:
    """Findings about the section files of the outline, and the rendered text of each file that renders.

    `context` is None when the facts cannot be loaded: then only presence and readability
    are checked. Text is rendered for the number checks only when `numbers` is true.
    `divisors`: the framework's own rates (a reference to one over a zero is named as such).
    """
    outline = outline or default_outline()
    findings: list[Finding] = []
    rendered: list[Rendered] = []
    if context is not None and numbers:  # with facts missing, total and grade are still empty
        findings += _check_templates(outline, context, paths.root)
    pictures: dict[Path, int] = {}  # every distinct picture shown, for their total size (as build)
    for section in outline.files():
        path = paths.content / section.file
        rel = f"content/{section.file}"
        if not os.path.lexists(path):  # a pipe or a link out of the folder: _read says what it is
            if not section.optional:
                findings.append(Finding(ERROR, SECTIONS, f"缺少章节文件（{section.guidance}）", rel,
                                        expected=f"创建文件 {rel}（UTF-8 文本，写这一节的正文）"))
            continue
        source, problem = _read(path, rel, paths.root)
        if problem:
            findings.append(problem)
            continue
        try:  # the bounds build holds the section to, before anything parses it
            check_size(source, rel)
        except ReportError as exc:
            findings.append(from_error(exc, SECTIONS, paths.root))
            continue
        if not _COMMENT.sub("", source).strip():
            if section.optional:
                findings.append(Finding(NOTICE, SECTIONS, f"{section.title}为空：{section.guidance}", rel))
            else:
                title = fill(section.title, kind, year) if year else fill(section.title, kind, 0).replace("0年", "年度")
                findings.append(Finding(TODO, SECTIONS, f"待写：{section.number}{title}——{section.guidance}", rel))
            continue
        if context is None:
            continue
        try:
            ast = parse_traced(source, rel)  # the same vetting as build's, the same messages
        except ReportError as exc:
            findings.append(from_error(exc, SECTIONS, paths.root))
            continue
        every = descendants(ast)
        own = _check_names(ast, context, rel, divisors, every)
        findings += own
        if own:
            continue
        forbidden = any(isinstance(node, FORBIDDEN) for node in every)
        lines = None if forbidden else _try_render(ast, context, rel, source)
        if lines is None:  # the build's own message says what is wrong
            try:
                render_text(source, context, rel)
            except ReportError as exc:
                findings.append(from_error(exc, SECTIONS, paths.root))
            continue
        try:
            check_size("\n".join(line.text for line in lines.lines), rel, line_of=traced_line_of(lines.lines))
        except ReportError as exc:
            findings.append(from_error(exc, SECTIONS, paths.root))
            continue
        tokens = parse("\n".join(line.text for line in lines.lines))
        try:  # a damaged picture stops build: say so here too
            check_pictures(tokens, path.parent, paths.root, rel, source, pictures)
        except ReportError as exc:
            findings.append(from_error(exc, SECTIONS, paths.root))
        for src, line, why in unshown_pictures(tokens, path.parent, paths.root, source):
            findings.append(Finding(WARNING, SECTIONS, f"图片“{src}”{why}，报告中只显示它的说明文字", rel, line,
                                    expected="报告文件夹中的 PNG、JPEG 或 GIF 图片，路径相对于本章节文件"))
        if numbers:
            rendered.append(lines)
    known = {s.file for s in outline.files()}
    for path in sorted(paths.content.glob("*.md")):
        if path.name not in known:
            findings.append(_stray_file(path.name, outline, known, kind, year))
    return findings, rendered


def _check_templates(outline: Outline, context: dict[str, Any], root) -> list[Finding]:  # noqa: ANN001
    """The outline's generated texts (chapter 四's sentence …) render with the report's values."""
    out = []
    parts = [*outline.chapters, *outline.sections()]
    for part in parts:
        if not part.template:
            continue
        try:
            render_text(part.template, context, outline.file)
        except ReportError as exc:
            if exc.file == outline.file and part.template_line:
                exc.line = part.template_line + (exc.line or 1) - 1
                exc.key = exc.key or part.template_key
            out.append(from_error(exc, SECTIONS, root))
    return out


def _stray_file(name: str, outline: Outline, known: set[str], kind: str, year: int | None) -> Finding:
    """A .md file that belongs to no section of the outline: say which part it looks like."""
    stem = name[:-3]
    why = "不属于提纲中任何一节的章节文件，不会写入报告"
    expected = f"提纲 {outline.id} 的章节文件名之一"
    for index, chapter in enumerate(outline.chapters, start=1):
        heading = chapter.number + fill(chapter.title, kind, year or 0)
        if chapter.generated and (stem == chapter.key or stem.startswith(f"{index}-")):
            why = f"第{cn_number(index)}章“{heading}”由 reportkit 根据得分生成，不读取章节文件；本文件不会写入报告"
            expected = f"删除本文件；要改这一章的文字，改提纲 {outline.file} 中该章的 template"
            return Finding(WARNING, SECTIONS, why, f"content/{name}", expected=expected)
        for section in chapter.sections:
            if section.generated and stem == section.key:
                why = f"“{section.number}{fill(section.title, kind, year or 0)}”由 reportkit 生成，不读取章节文件"
                return Finding(WARNING, SECTIONS, why, f"content/{name}",
                               expected=f"删除本文件，或在提纲 {outline.file} 中为该节写 file")
    import difflib  # here: only a mistake needs it (start-up time)

    close = difflib.get_close_matches(name, sorted(known), n=1, cutoff=0.6)
    return Finding(WARNING, SECTIONS, why, f"content/{name}",
                   expected=expected + (f"；是否应为 {close[0]}？" if close else ""))


__all__ = ["Line", "Rendered", "check_sections", "references", "render_lines"]
