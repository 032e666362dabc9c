"""User-facing errors: every message is Chinese and names file, line, key and expectation."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


class ReportError(Exception):
    """Bad input from the user. The CLI prints it and exits with code 2."""

    def __init__(
        self,
        message: str,
        *,
        file: str | Path | None = None,
        line: int | None = None,
        key: str | None = None,
        expected: str | None = None,
    ):
        super().__init__(message)
        self.message = message
        self.file = str(file) if file is not None else None
        self.line = line
        self.key = key
        self.expected = expected

    def location(self) -> str:
        if self.file and self.line:
            return f"{self.file}:{self.line}"
        return self.file or ""

    def __str__(self) -> str:
        parts = []
        loc = self.location()
        if loc:
            parts.append(loc)
        if self.key:
            parts.append(f"键“{self.key}”")
        head = "，".join(parts)
        text = f"{head}：{self.message}" if head else self.message
        if self.expected:
            text += f"（应为：{self.expected}）"
        return text


@dataclass(frozen=True)
class Where:
    """A place in a source file, carried along with values for later messages."""

    file: str
    line: int | None = None


def broken_file_reason(exc: BaseException) -> str:
    """What a library's exception on opening a user's Word or Excel file says about the file,
    in Chinese (never the exception's name: the author cannot act on “BadZipFile”)."""
    name = type(exc).__name__
    text = str(exc).lower()
    if name == "KeyError" or "no item named" in text or "there is no item" in text:
        return "缺少必需的组成部分"
    if name == "BadZipFile" or "zip" in text:
        return "不是完整的 zip 压缩包；.docx、.xlsx 实为 zip，文件可能被截断，或只是改了扩展名"
    if name in ("error",) or "compress" in text or "decompress" in text:
        return "其中的压缩数据已损坏"
    if name == "EOFError" or "truncat" in text or "end of file" in text:
        return "文件不完整，可能下载或复制时被截断"
    if "xml" in name.lower() or "xml" in text:
        return "其中的 XML 内容已损坏"
    if name in ("CompDocError", "XLRDError") or "ole2" in text or "compound" in text:
        return "不是有效的 Excel 97-2003 文件"
    if "encrypt" in text or "password" in text:
        return "设了打开密码"
    if name == "PackageNotFoundError":
        return "不是 Word 文档包"
    if name == "MemoryError":
        return "内容过大，无法读取"
    return "内容不符合该格式"


# errno → what it means for the author (Python's strerror is the C library's English).
_OS_REASONS = {
    "ENOENT": "文件或文件夹不存在", "EACCES": "没有权限", "EPERM": "没有权限", "EISDIR": "这是文件夹，不是文件",
    "ENOTDIR": "路径中有一段是文件，不是文件夹", "EEXIST": "已经存在", "ENOSPC": "磁盘已满", "EDQUOT": "磁盘配额已满",
    "EROFS": "磁盘是只读的", "EFBIG": "文件过大", "ENAMETOOLONG": "文件名过长", "EMFILE": "同时打开的文件过多",
    "ENFILE": "同时打开的文件过多", "ELOOP": "符号链接形成了循环", "EBUSY": "文件正被占用", "ETXTBSY": "文件正被占用",
    "ENOTEMPTY": "文件夹不是空的", "EXDEV": "不能跨磁盘移动", "EIO": "读写磁盘出错", "EINVAL": "参数无效",
    "EADDRINUSE": "端口已被占用", "EADDRNOTAVAIL": "本机没有这个地址", "EAFNOSUPPORT": "不支持这种地址",
    "ENOMEM": "内存不足", "ENODEV": "设备不存在", "ENXIO": "设备不存在", "ESPIPE": "不是普通文件",
}
_GAI_REASONS = {  # socket.gaierror: looking up a host name
    "EAI_NONAME": "找不到这个主机名", "EAI_AGAIN": "暂时无法解析主机名", "EAI_FAIL": "无法解析主机名",
    "EAI_SERVICE": "端口无效", "EAI_FAMILY": "不支持这种地址", "EAI_NODATA": "这个主机名没有地址",
}


def os_reason(exc: BaseException) -> str:
    """An OSError (or socket.gaierror) in Chinese, from its errno."""
    import errno
    import socket

    number = getattr(exc, "errno", None)
    if isinstance(exc, socket.gaierror):
        names = {getattr(socket, n, None): n for n in _GAI_REASONS}
        return _GAI_REASONS.get(names.get(number, ""), "无法解析主机名")
    if isinstance(number, int):
        name = errno.errorcode.get(number, "")
        if name in _OS_REASONS:
            return _OS_REASONS[name]
        return f"系统错误（错误码 {number}）"
    if isinstance(exc, FileNotFoundError):
        return _OS_REASONS["ENOENT"]
    if isinstance(exc, PermissionError):
        return _OS_REASONS["EACCES"]
    return "系统错误"
