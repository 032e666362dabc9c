"""What `reportkit check` reports: one finding per problem, with where and what to do."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from .errors import ReportError

# Severity ids (data) and the words a user reads.
ERROR, WARNING, TODO, NOTICE = "error", "warning", "todo", "notice"
SEVERITIES = {ERROR: "错误", WARNING: "警告", TODO: "待办", NOTICE: "提示"}

# Groups, in the order they are printed.
FACTS, CONFIG, SECTIONS, NUMBERS, SCORES = "facts", "config", "sections", "numbers", "scores"
GROUPS = {FACTS: "事实", CONFIG: "配置", SECTIONS: "章节", NUMBERS: "正文数字", SCORES: "得分"}


@dataclass(frozen=True)
class Finding:
    """One thing check reports: its severity, group, message and where it is."""

    severity: str  # ERROR, WARNING, TODO or NOTICE
    group: str  # FACTS, CONFIG, SECTIONS, NUMBERS or SCORES
    message: str
    file: str | None = None  # relative to the report folder, with / separators
    line: int | None = None
    key: str | None = None
    expected: str | None = None
    suggestion: str | None = None  # what to write instead, e.g. a {{ }} reference
    # an error build cannot get past either: build stops on it with this same message (as on a to-do)
    blocks_build: bool = False

    def location(self, base: str = "") -> str:
        if not self.file:
            return ""
        path = f"{base.rstrip('/')}/{self.file}" if base not in ("", ".") and not self.file.startswith("/") else self.file
        return f"{path}:{self.line}" if self.line else path

    def text(self) -> str:
        """The message with its key and expectation, as ReportError prints them."""
        text = f"键“{self.key}”：{self.message}" if self.key else self.message
        if self.expected:
            text += f"（应为：{self.expected}）"
        return text

    def sort_key(self) -> tuple:
        return (list(GROUPS).index(self.group), list(SEVERITIES).index(self.severity),
                self.file or "", self.line or 0, self.message)

    def as_data(self) -> dict[str, Any]:
        data = asdict(self)
        if not self.blocks_build:  # the usual findings print as they always did
            del data["blocks_build"]
        return data


def relative(path: str | Path | None, root: Path) -> str | None:
    """A file inside the report folder as a stable relative path; others as given."""
    if path is None:
        return None
    path = Path(path)
    try:  # the link's own place first: a symlink out of the folder is named where it is
        return path.absolute().relative_to(root.absolute()).as_posix()
    except ValueError:
        pass
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return str(path)


def from_error(exc: ReportError, group: str, root: Path, severity: str = ERROR) -> Finding:
    return Finding(severity, group, exc.message, relative(exc.file, root), exc.line, exc.key, exc.expected)
