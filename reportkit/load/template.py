"""The placeholders of a Word template, read when the configuration loads.

A template a user edits in Word can lose a brace or name a placeholder that does not exist.
The Word renderer would say so only while building; read here, `check` says the same first.
The names are the renderer's (render/docx/render.py fills exactly these; a test holds the two
together) and templates/README.md lists them for the user.
"""

from __future__ import annotations

import re
from pathlib import Path

from ..errors import ReportError

# Every top-level name the Word renderer gives a template (templates/README.md).
TEMPLATE_NAMES = frozenset({
    "title", "cover_lines", "unit", "preparer", "phone", "year", "toc", "intro", "blocks", "annexes",
    "framework", "total", "grade",
    # the names of templates written before outlines were data
    "annex_title", "annex_mark", "annex_table", "annex_notes", "targets_title", "targets_table",
})
HELP = "模板占位符见 templates/README.md"
# Placeholders that insert generated paragraphs or tables: written {{p name }}, in a paragraph of their own.
BODIES = ("block.body", "intro", "toc", "annex.head", "annex.table", "annex.after", "annex_table", "annex_notes",
          "targets_table")
_BODY_WITHOUT_P = re.compile(r"\{\{-?\s*(" + "|".join(re.escape(b) for b in BODIES) + r")\s*-?\}\}")
_BLOCK_BODY = re.compile(r"\{\{p\s+block\.body\s*\}\}")


def check_placeholders(path: Path, shown: str) -> None:
    """Refuse a template whose placeholders do not parse or name what the renderer does not give.

    `shown` is the template as the author named it (reportkit.yaml's value).
    """
    from jinja2 import TemplateSyntaxError, meta
    from jinja2.sandbox import SandboxedEnvironment
    from lxml import etree

    from ..ooxml import PackageError, headers_and_footers, open_package, part_xml, patched, qn

    try:  # the body, headers and footers rewritten into Jinja as the renderer fills them
        package = open_package(path)
    except PackageError:
        raise ReportError(f"模板“{shown}”不是有效的 Word 文档", file=path,
                          expected="用 Word 另存为“Word 文档 (*.docx)”的文件") from None
    body = package.body
    xml = patched(etree.tostring(body, encoding="unicode"))
    for part in headers_and_footers(package):
        xml += patched(part_xml(part))
    try:
        names = meta.find_undeclared_variables(SandboxedEnvironment(autoescape=True).parse(xml))
    except TemplateSyntaxError as exc:  # the XML is one long line: its line number tells the author nothing
        raise ReportError(f"模板“{shown}”的占位符有语法错误：{_chinese(exc)}", file=path,
                          expected=HELP + "；{{ 名称 }}、{%p … %} 的括号须成对，每个 for、if 都有 endfor、endif") from None
    texts = ["".join(t.text or "" for t in p.iter(qn("w:t"))) for p in body.iter(qn("w:p"))]
    for text in texts:
        found = _BODY_WITHOUT_P.search(text)
        if found:  # the renderer's own words (render/docx/render.py), with what was written
            raise ReportError(f"模板中插入正文、表格的占位符须单独成段，并写成 {{{{p 名称 }}}}（带 p）：写的是“{found.group(0)}”",
                              file=path, expected=HELP)
    if not any(_BLOCK_BODY.search(text) for text in texts):  # every report has sections
        raise ReportError("模板缺少占位符 {{p block.body }}，各章节的正文没有写入报告", file=path,
                          expected=HELP + "；在 {%p for block in blocks %} 循环中单独一段写 {{p block.body }}")
    unknown = sorted(names - TEMPLATE_NAMES)
    if unknown:
        raise ReportError(f"模板“{shown}”使用了未知的占位符：{'、'.join(unknown)}", file=path,
                          expected=HELP + "；可用的名称：" + "、".join(sorted(TEMPLATE_NAMES)))


def _chinese(exc: Exception) -> str:
    """Jinja's syntax message in words an author can act on (the tag it names kept as written)."""
    text = str(getattr(exc, "message", "") or exc)
    lowered = text.lower()
    if "unexpected end of template" in lowered:
        wanted = re.findall(r"'(end\w+)'", text)
        return f"缺少 {{%p {wanted[0]} %}}" if wanted else "缺少结束的 {%p endfor %} 或 {%p endif %}"
    tag = re.search(r"unknown tag '(\w+)'", text)
    if tag:
        return f"未知的控制语句“{tag.group(1)}”（只能用 for、if、else、endfor、endif 等）"
    if "expected token" in lowered or "unexpected" in lowered:
        return "括号未闭合，或名称、运算符写法有误"
    return "括号或控制语句写法有误"
