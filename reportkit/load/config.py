"""The report folder: where its files are, and the optional reportkit.yaml build options."""

from __future__ import annotations

import os
import zipfile
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from ..errors import ReportError
from .previous import PreviousRef, parse_previous
from .template import check_placeholders
from .yamlio import load_yaml, outside

CONFIG_FILE = "reportkit.yaml"
OPTIONS = {
    "template": "自定义 Word 模板（.docx）的路径，相对于报告目录",
    "toc": "是否生成目录（true/false）",
    "outline": "报告提纲：reportkit outlines 列出的编号，或报告目录中提纲文件的路径（.yaml）",
    "previous": "上一年度报告：目录（相对于报告目录），或 {git: 版本}（可加 path: 目录）；也可写在事实文件中",
    "check": "reportkit check 的设置：ignore 列出要忽略的发现，每项是该行原文中的一段文字，或 {file: 文件, text: 文字}",
}
# What the scaffold's commented lines say: each is valid once its # is removed (and, for the
# options in NEEDS, once the file or folder it names is there).
EXAMPLES = {"template": "模板.docx", "toc": "true", "previous": "../2023年度报告", "outline": "shenzhen-city", "check": "{ignore: [执行率97.11%]}"}
NEEDS = {
    "template": "先把这个 Word 文件放进报告目录（可复制默认模板修改，reportkit check 会说明默认模板在哪里）",
    "previous": "先有这个上一年度的报告目录",
}
TEMPLATE_NAME = "report.docx"


def default_template() -> Path:
    """The shipped template: inside the installed package, or templates/ of a source checkout."""
    installed = Path(__file__).parent.parent / "templates" / TEMPLATE_NAME
    if installed.is_file():
        return installed
    return Path(__file__).parent.parent.parent / "templates" / TEMPLATE_NAME


@dataclass(frozen=True)
class Paths:
    """Where a report folder keeps its files."""

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
    data = {} if data is None else data  # only comments: no options (what reportkit new writes)
    if not isinstance(data, dict):
        raise ReportError("配置文件的顶层应是“键: 值”，写的是" + ("列表" if isinstance(data, list) else "一个值"),
                          file=paths.config, line=1, expected="如 toc: true，每行一个选项")
    for key in data:
        if key not in OPTIONS:
            raise ReportError(
                f"未知的配置项“{key}”", file=paths.config, line=located.line(str(key)), key=str(key),
                expected="、".join(f"{k}（{v}）" for k, v in OPTIONS.items()),
            )
    if "toc" in data and not isinstance(data["toc"], bool):
        raise ReportError("toc 需要 true 或 false", file=paths.config, line=located.line("toc"), key="toc",
                          expected="toc: true（生成目录）或 toc: false")
    if "template" in data:
        check_template(paths, data["template"], located.line("template"))
    if "outline" in data and (not isinstance(data["outline"], str) or not data["outline"].strip()):
        raise ReportError("outline 需要提纲的编号或文件路径", file=paths.config, line=located.line("outline"),
                          key="outline", expected="如 outline: shenzhen-unit（reportkit outlines 列出全部）")
    if "check" in data:
        _check_options(data["check"], paths, located)
    if "previous" in data:
        parse_previous(data["previous"], str(paths.config), located.line("previous"))
    return data


def previous_option(paths: Paths) -> PreviousRef | None:
    """`previous:` of reportkit.yaml (the facts file's own previous: comes first)."""
    if not paths.config.is_file():
        return None
    data, located = load_yaml(paths.config)
    if not isinstance(data, dict) or data.get("previous") is None:
        return None
    return parse_previous(data["previous"], str(paths.config), located.line("previous"))


def _check_options(value: object, paths: Paths, located) -> None:  # noqa: ANN001
    """check: {ignore: [文字, {file: content/x.md, text: 文字}, …]}"""
    expected = "check: {ignore: [该行原文中的一段文字, {file: content/2-3-履职绩效情况.md, text: 一段文字}]}"

    def fail(message: str, key: str) -> ReportError:
        return ReportError(message, file=paths.config, line=located.line(key) or located.line("check"), key=key,
                           expected=expected)

    if not isinstance(value, dict) or set(value) - {"ignore"}:
        raise fail("check 只能有 ignore 一项（要忽略的发现的列表）", "check")
    entries = value.get("ignore") or []
    if not isinstance(entries, list):
        raise fail("check.ignore 需要一个列表", "check.ignore")
    for i, entry in enumerate(entries):
        key = f"check.ignore.{i}"
        if isinstance(entry, str) and entry.strip():
            continue
        if isinstance(entry, dict) and set(entry) <= {"file", "text"} and isinstance(entry.get("text"), str) \
                and entry["text"].strip() and isinstance(entry.get("file", ""), str):
            continue
        raise fail(f"check.ignore 第 {i + 1} 项应是一段文字，或 {{file, text}}，写的是“{entry}”", key)


def check_template(paths: Paths, value: object, line: int | None) -> Path:
    """The Word template reportkit.yaml names: a .docx file inside the report folder. The same
    test for check and build, so check finds what build would stop at."""
    def fail(message: str) -> ReportError:
        return ReportError(message, file=paths.config, line=line, key="template",
                           expected="报告目录中一个 Word 文件的相对路径，如 template: 模板.docx")

    if not isinstance(value, str) or not value.strip():
        raise fail("template 需要 Word 模板文件的路径")
    path = paths.root / value
    try:
        outside(path, paths.root)
    except ReportError:
        raise fail(f"模板“{value}”在报告目录之外，出于安全不会读取") from None
    if not path.exists():
        raise ReportError(f"找不到模板文件“{value}”", file=paths.config, line=line, key="template",
                          expected=f"报告目录中一个 Word 文件的相对路径；可先把默认模板 {default_template()} "
                                   f"复制为 {path} 再用 Word 或 WPS 修改")
    if not path.is_file():
        raise fail(f"模板“{value}”不是文件")
    if path.suffix.lower() != ".docx":
        raise fail(f"模板“{value}”不是 .docx 文件")
    try:
        with zipfile.ZipFile(path) as archive:
            archive.getinfo("word/document.xml")
    except (OSError, zipfile.BadZipFile, KeyError):
        raise fail(f"模板“{value}”不是有效的 Word 文档（请用 Word 另存为“Word 文档 (*.docx)”）") from None
    check_placeholders(path, value)  # what the Word renderer would stop at, found when check loads it
    return path


def missing_facts_hint(paths: Paths) -> str:
    """What to do when content/facts.yaml is missing. `reportkit new` refuses a folder that is
    not empty, so for a folder that already holds sections it names a new folder to copy from."""
    try:
        started = paths.content.is_dir() and any(paths.content.iterdir())
    except OSError:
        started = False
    if started:
        return ("这个目录已有章节文件：先在别处运行 reportkit new 新目录 --year 年度 --unit 单位名称，"
                "把其中的 content/facts.yaml 复制到本目录的 content/ 下再填写")
    return "用 reportkit new 目录 创建报告目录，或进入已有的报告目录"


def find_root(start: Path | str) -> Paths:
    paths = Paths(Path(start))
    if not paths.facts.is_file():
        raise ReportError(
            f"“{start}”不是报告目录：找不到 content/facts.yaml",
            file=paths.facts, expected=missing_facts_hint(paths),
        )
    return paths


def source_date_epoch() -> datetime | None:
    """SOURCE_DATE_EPOCH (reproducible builds) as a naive UTC time, None when it is not set.

    build writes it into the Word file when facts.yaml has no report.date; check reads it too,
    so that a value build refuses is refused by check first.
    """
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if not epoch:
        return None
    try:
        return datetime.fromtimestamp(int(epoch), UTC).replace(tzinfo=None)
    except (ValueError, OverflowError, OSError):
        raise ReportError(f"环境变量 SOURCE_DATE_EPOCH 的值“{epoch}”无效", key="SOURCE_DATE_EPOCH",
                          expected="自 1970-01-01 起的秒数，如 1640995200") from None
