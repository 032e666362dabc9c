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
