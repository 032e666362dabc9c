"""Local pictures a section shows: a damaged file is an error naming the section and line,
found once here for every output (the renderers would only drop it to its alt text)."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import unquote

from markdown_it.token import Token

from ..errors import ReportError, os_reason

_URL_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:|^//")
_ENDS = {  # format: (what the file starts with, what a complete file ends with)
    ".png": ((b"\x89PNG\r\n\x1a\n",), b"IEND\xaeB`\x82"),
    ".jpg": ((b"\xff\xd8\xff",), b"\xff\xd9"),
    ".jpeg": ((b"\xff\xd8\xff",), b"\xff\xd9"),
    ".gif": ((b"GIF87a", b"GIF89a"), b";"),
}


def picture_problem(path: Path) -> str | None:
    """Why a picture file cannot be shown, or None (unknown kinds are the renderers' to judge)."""
    kind = _ENDS.get(path.suffix.lower())
    if kind is None:
        return None
    starts, end = kind
    try:
        with path.open("rb") as handle:
            head = handle.read(16)
            handle.seek(max(path.stat().st_size - 64, 0))
            tail = handle.read()
    except OSError as exc:
        return f"无法读取（{os_reason(exc)}）"
    if not head.startswith(starts):
        return f"不是 {path.suffix.lower()[1:].upper()} 图片（文件内容与扩展名不符）"
    if end not in tail[-len(end) - 32:]:  # JPEG and GIF may carry a few bytes after their end mark
        return "图片文件不完整（已损坏或被截断）"
    return None


def _images(tokens: list[Token]):  # noqa: ANN202
    for tok in tokens:
        if tok.type == "image":
            yield tok
        if tok.children:
            yield from _images(tok.children)


def check_pictures(tokens: list[Token], base: Path, root: Path, file: str, source: str) -> None:
    """Refuse a damaged local picture inside the report folder (others keep their alt text)."""
    for tok in _images(tokens):
        src = str(tok.attrGet("src") or "")
        if not src or _URL_SCHEME.match(src):
            continue
        try:
            path = (base / unquote(src.split("#")[0].split("?")[0])).resolve()
            if not path.is_relative_to(root.resolve()) or not path.is_file():
                continue
        except (OSError, ValueError):
            continue
        problem = picture_problem(path)
        if problem:
            at = source.find(src)
            line = source.count("\n", 0, at) + 1 if at >= 0 else None
            raise ReportError(f"图片“{src}”{problem}", file=file, line=line,
                              expected="完整的 PNG、JPEG 或 GIF 图片（在看图软件中能打开）")
