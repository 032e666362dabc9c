"""Local pictures a section shows: a damaged file is an error naming the section and line,
found once here for every output (the renderers would only drop it to its alt text)."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import unquote

from markdown_it.token import Token

from ..errors import ReportError, os_reason

# A picture larger than this is shown as its alt text (render/html, render/docx); the distinct
# pictures a report shows, together, may not pass MAX_PICTURES_BYTES: both the Word file and
# the standalone HTML embed every one (the HTML as base64, a third larger).
MAX_PICTURE_BYTES = 10 * 1024 * 1024
MAX_PICTURES_BYTES = 100 * 1024 * 1024
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
        if tok.children and (tok.type != "inline" or "![" in tok.content):  # no picture without "!["
            yield from _images(tok.children)


def _line(source: str, src: str) -> int | None:
    """The line of the section that names the picture (only for a message)."""
    at = source.find(src)
    return source.count("\n", 0, at) + 1 if at >= 0 else None


def _local_path(src: str, base: Path) -> Path | None:
    """The file a local picture reference names (its #fragment or ?query left out), or None."""
    try:
        return (base / unquote(src.split("#")[0].split("?")[0])).resolve()
    except (OSError, ValueError):
        return None


def check_pictures(tokens: list[Token], base: Path, root: Path, file: str, source: str,
                   shown: dict[Path, int] | None = None) -> None:
    """Refuse a damaged local picture inside the report folder (others keep their alt text).

    `shown` (one per report, across its sections): the size of every distinct picture shown
    so far; the report's pictures together may not pass MAX_PICTURES_BYTES, as both outputs
    embed each of them (once)."""
    for tok in _images(tokens):
        src = str(tok.attrGet("src") or "")
        if not src or _URL_SCHEME.match(src):
            continue
        path = _local_path(src, base)
        try:
            if path is None or not path.is_relative_to(root.resolve()) or not path.is_file():
                continue
            size = path.stat().st_size
        except OSError:
            continue
        problem = picture_problem(path)
        if problem:
            raise ReportError(f"图片“{src}”{problem}", file=file, line=_line(source, src),
                              expected="完整的 PNG、JPEG 或 GIF 图片（在看图软件中能打开）")
        if shown is None or path in shown or size > MAX_PICTURE_BYTES:
            continue
        shown[path] = size
        total = sum(shown.values())
        if total > MAX_PICTURES_BYTES:
            raise ReportError(
                f"报告中的图片合计 {total / 1024 / 1024:.1f} MB（{len(shown)} 张，到图片“{src}”为止），"
                f"超过 {MAX_PICTURES_BYTES // 1024 // 1024} MB 的上限", file=file, line=_line(source, src),
                expected=f"全部图片合计不超过 {MAX_PICTURES_BYTES // 1024 // 1024} MB（请压缩图片或减少图片；"
                         "同一张图片多次引用只算一次）")


def unshown_pictures(tokens: list[Token], base: Path, root: Path, source: str) -> list[tuple[str, int | None, str]]:
    """The pictures the outputs will show as their alt text, each with its line and why: a
    missing file, one outside the report folder, one over MAX_PICTURE_BYTES, one on the web
    (neither the Word file nor the standalone page fetches it)."""
    out = []
    for tok in _images(tokens):
        src = str(tok.attrGet("src") or "")
        if not src:
            continue
        if _URL_SCHEME.match(src):
            if src.lower().startswith(("http:", "https:", "//")):
                out.append((src, _line(source, src), "是网络地址：报告不会下载网络图片"))
            continue
        path = _local_path(src, base)
        if path is None:
            continue
        if not path.is_relative_to(root.resolve()):
            why = "在报告文件夹之外：报告只使用文件夹内的图片"
        elif not path.is_file():
            why = "不存在"
        else:
            try:
                size = path.stat().st_size
            except OSError:
                continue
            if size <= MAX_PICTURE_BYTES:
                continue
            why = f"有 {size / 1024 / 1024:.1f} MB，超过每张 {MAX_PICTURE_BYTES // 1024 // 1024} MB 的上限"
        out.append((src, _line(source, src), why))
    return out
