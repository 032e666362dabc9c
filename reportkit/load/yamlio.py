"""YAML loading that keeps line numbers and never turns numbers into floats.

Also the one way every text file of a report folder is read: only regular files, inside the
folder when it says so, of bounded size, UTF-8 without control characters. Limits no real
file reaches (documented in the README) keep a hostile file from hanging or exhausting the
machine: nesting depth, nodes after alias expansion, digits of a number.
"""

from __future__ import annotations

import importlib.util
import os
import re
import stat
from functools import cache
from pathlib import Path
from typing import Any

from ..codecache import cached_value
from ..errors import ReportError, os_reason


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


MAX_TEXT_BYTES = 8 * 1024 * 1024  # any text file read
MAX_YAML_BYTES = 2 * 1024 * 1024
MAX_YAML_DEPTH = 40  # blocks inside blocks
MAX_YAML_NODES = 100_000  # values, counting each use of an alias (a real facts file has < 3,000)
MAX_DIGITS = 30  # digits of a number; a longer one is kept as the text written


# In any text file: control characters Word's XML cannot hold.
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def read_text(path: Path, *, root: Path | None = None, limit: int = MAX_TEXT_BYTES, kind: str = "文件") -> str:
    """Read a UTF-8 text file; a BOM is accepted, anything else gets a clear message.

    Only a regular file is read (a named pipe would block forever); with `root`, only one
    that lies inside that folder once every symlink is followed (a report folder from someone
    else must not make the build read the builder's own files)."""
    try:
        info = path.stat()
    except FileNotFoundError:
        raise ReportError("文件不存在", file=path) from None
    except OSError as exc:
        raise ReportError(f"无法读取文件（{os_reason(exc)}）", file=path) from None
    if not stat.S_ISREG(info.st_mode):
        raise ReportError("不是普通文件（是目录、命名管道或设备），不会读取", file=path, expected="一个普通的文本文件")
    if root is not None:
        outside(path, root)
    if info.st_size > limit:
        raise ReportError(f"{kind}过大（{info.st_size / 1024 / 1024:.1f} MB）", file=path,
                          expected=f"不超过 {limit // 1024 // 1024} MB")
    try:
        with path.open("rb") as handle:
            data = handle.read(limit + 1)
    except OSError as exc:
        raise ReportError(f"无法读取文件（{os_reason(exc)}）", file=path) from None
    if len(data) > limit:
        raise ReportError(f"{kind}过大", file=path, expected=f"不超过 {limit // 1024 // 1024} MB")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise ReportError("文件是 UTF-16 编码（记事本所说的“Unicode”），请在编辑器中另存为 UTF-8", file=path,
                          expected="UTF-8 编码")
    if b"\x00" in data[:8192]:
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            text = ""
        if not text or len(_CONTROL.findall(text)) * 10 > len(text):  # mostly control bytes: not text
            raise ReportError("这是二进制文件，不是文本文件", file=path, expected="UTF-8 文本") from None
        _refuse_characters(text, path, _CONTROL)  # a text file with a stray NUL: its line and column
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
    _refuse_characters(text, path, _CONTROL)
    return text


def outside(path: Path, root: Path) -> None:
    """Refuse a file that leads out of the report folder (a symlink to /etc/passwd …)."""
    try:
        inside = path.resolve().is_relative_to(root.resolve())
    except (OSError, RuntimeError):  # a symlink loop
        inside = False
    if not inside:
        raise ReportError("文件指向报告目录之外（符号链接？），出于安全不会读取", file=path,
                          expected="报告目录中的普通文件")


def _refuse_characters(text: str, path: Path, pattern: re.Pattern, what: str = "控制字符") -> None:
    bad = pattern.search(text)
    if bad:
        line = text.count("\n", 0, bad.start()) + 1
        column = bad.start() - (text.rfind("\n", 0, bad.start()) + 1) + 1
        raise ReportError(f"第 {column} 列含有不可见的{what} U+{ord(bad.group()):04X}，请删除", file=path,
                          line=line, expected="普通文字（从别处粘贴时可能带入）")


def read_yaml_text(path: Path) -> str:
    """A YAML file's text, read with the checks and the size limit of load_yaml."""
    return read_text(path, limit=MAX_YAML_BYTES)


@cache
def _parser() -> str:
    """What a parse depends on besides the text, the file's name and the limits: the parsing
    module (its checks and constructors; its file changes with each installed version) and
    PyYAML, named by its file (the module is not imported for a parse the cache holds)."""
    spec = importlib.util.find_spec("yaml")
    pyyaml = os.stat(spec.origin) if spec and spec.origin else None
    here = os.stat(Path(__file__).with_name("yamlparse.py"))
    return f"{here.st_mtime_ns}\0{pyyaml and (pyyaml.st_size, pyyaml.st_mtime_ns)}"


def load_yaml(path: Path, text: str | None = None) -> tuple[Any, Located]:
    """Load one YAML document; return the data and the line of every key. `text`: the file's
    text when the caller has read it already (with read_yaml_text).

    A text that loaded without error is kept parsed in the disk cache (codecache): the
    framework file alone took 15 ms of every build to parse."""
    if text is None:
        text = read_yaml_text(path)
    limits = f"{MAX_YAML_DEPTH}\0{MAX_YAML_NODES}\0{MAX_DIGITS}"
    return cached_value(text, f"yaml\0{path}\0{_parser()}\0{limits}", lambda: _parse(path, text))


def _parse(path: Path, text: str) -> tuple[Any, Located]:
    """Parse with PyYAML, imported only here: a build whose files the cache holds never needs it."""
    from .yamlparse import parse

    return parse(path, text)


