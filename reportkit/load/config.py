"""The report folder: where its files are, and the optional reportkit.yaml build options."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ..errors import ReportError
from .yamlio import load_yaml

CONFIG_FILE = "reportkit.yaml"
OPTIONS = {
    "template": "自定义 Word 模板（.docx）的路径，相对于报告目录",
    "toc": "是否生成目录（true/false）",
    "outline": "报告提纲：reportkit outlines 列出的编号，或报告目录中提纲文件的路径（.yaml）",
}


@dataclass(frozen=True)
class Paths:
    root: Path

    @property
    def content(self) -> Path:
        return self.root / "content"

    @property
    def facts(self) -> Path:
        return self.content / "facts.yaml"

    @property
    def config(self) -> Path:
        return self.root / CONFIG_FILE

    @property
    def build(self) -> Path:
        return self.root / "build"


def load_options(paths: Paths) -> dict:
    if not paths.config.is_file():
        return {}
    data, located = load_yaml(paths.config)
    data = data or {}
    if not isinstance(data, dict):
        raise ReportError("配置文件的顶层应是键值对", file=paths.config, line=1)
    for key in data:
        if key not in OPTIONS:
            raise ReportError(
                f"未知的配置项“{key}”", file=paths.config, line=located.line(str(key)), key=str(key),
                expected="、".join(f"{k}（{v}）" for k, v in OPTIONS.items()),
            )
    if "toc" in data and not isinstance(data["toc"], bool):
        raise ReportError("toc 需要 true 或 false", file=paths.config, line=located.line("toc"), key="toc")
    if "outline" in data and (not isinstance(data["outline"], str) or not data["outline"].strip()):
        raise ReportError("outline 需要提纲的编号或文件路径", file=paths.config, line=located.line("outline"),
                          key="outline", expected="如 outline: shenzhen-unit（reportkit outlines 列出全部）")
    return data


def find_root(start: Path | str) -> Paths:
    paths = Paths(Path(start))
    if not paths.facts.is_file():
        raise ReportError(
            f"“{start}”不是报告目录：找不到 content/facts.yaml",
            file=paths.facts, expected="用 reportkit new 目录 创建报告目录，或进入已有的报告目录",
        )
    return paths
