"""The outline of the report as data: chapters, sections, cover and annexes, from a YAML file.

An outline file is like a framework file: reportkit ships several (reportkit/load/outlines/,
`reportkit outlines` lists them) and a user copies one into the report folder to edit it.
`outline:` in reportkit.yaml or `report.outline` in facts.yaml picks one by id or by path;
a folder without the setting uses DEFAULT (the outline reportkit always had).

Headings, the cover and the annex titles are text with {name} placeholders (PLACEHOLDERS,
and {extra.名称} for any fact under `extra:`); a generated part's `template` is Jinja text
with the same {{ }} names a section file uses. Each section is bound to its key, and its
file (key + ".md" unless `file:` says otherwise) stays the same when its heading changes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from jinja2 import Environment, TemplateSyntaxError

from ..errors import ReportError
from .yamlio import Located, load_yaml

DEFAULT = "shenzhen-city"
PLACEHOLDERS = {
    "year": "评价年度",
    "主体": "部门或单位（facts.yaml 的 report.kind）",
    "unit": "部门（单位）名称",
    "self": "自称，如 我办",
    "preparer": "填报人",
    "phone": "联系电话",
    "level": "层级：市 或 区",
    "framework": "评价指标体系名称",
    "caption": "评价指标体系的评分表名称（框架的 caption）",
    "date": "报告日期（facts.yaml 的 report.date，不填则为空）",
}
TABLES = {"scores": "指标评分表", "targets": "目标完成情况自评表（facts.yaml 有 targets 时生成）"}
AUTO = "auto"
_PLACEHOLDER = re.compile(r"\{([^{}]*)\}")
_KEY = re.compile(r"^[^\s/\\:*?\"<>|{}]+$")  # a key is also a file name
CN_DIGITS = "一二三四五六七八九十"
_SYNTAX = Environment()  # parses templates for their syntax; never renders

TOP_KEYS = ("id", "title", "match", "cover", "intro", "chapters", "annexes")
MATCH_KEYS = ("frameworks", "kind", "level")
COVER_KEYS = ("title", "lines")
LINE_KEYS = ("label", "value", "empty", "gap")
SECTION_KEYS = ("key", "number", "title", "file", "optional", "guidance", "generated", "template")
CHAPTER_KEYS = ("key", "number", "title", "sections", "generated", "template")
ANNEX_KEYS = ("table", "title", "label", "label_inline", "place", "total_row", "footer", "notes")


@dataclass(frozen=True)
class Section:
    """A section of an outline: number, title, Markdown file and any generated text."""

    key: str
    number: str  # "（一）"
    title: str  # with {placeholders}
    file: str | None  # the Markdown file in content/; None for a generated section
    optional: bool = False
    guidance: str = ""  # what the author writes here; used by `new` and `check`
    template: str = ""  # generated text (Jinja); before the file's text when there is a file
    template_line: int | None = None  # where the template's first line is in the outline file
    template_key: str = ""  # its dotted key there, for messages

    @property
    def generated(self) -> bool:
        return self.file is None


@dataclass(frozen=True)
class Chapter:
    """A chapter of an outline and its sections."""

    key: str
    number: str  # "一、"
    title: str
    sections: tuple[Section, ...] = ()
    template: str = ""  # a generated chapter's text (chapter 四)
    template_line: int | None = None
    template_key: str = ""

    @property
    def generated(self) -> bool:
        return not self.sections


@dataclass(frozen=True)
class CoverLine:
    """A labelled line of the cover page."""

    label: str = ""  # 部门名称（公章）
    value: str = ""  # text with placeholders; "" with empty=True: left blank (seal, signature)


@dataclass(frozen=True)
class Annex:
    """An annex table of an outline: which table, its title, label and place."""

    table: str  # a key of TABLES
    title: str
    label: str = AUTO  # "auto" (附件 / 附件1 …), text with {n} or {cn}, or "" for none
    label_inline: bool = False  # “附件：标题” on one line
    place: str = "annex"  # "annex": after the report; or a chapter key: at the end of that chapter
    total_row: str | None = None  # the closing row's label; None: the framework's
    footer: str = ""  # a line under the table, e.g. 填表人：{preparer}
    notes: bool = True  # the framework's 附注 under the scores table


@dataclass(frozen=True)
class Outline:
    """A report's fixed outline: cover, intro, chapters and annexes."""

    id: str
    title: str
    file: str
    cover_title: str
    cover: tuple[CoverLine, ...]
    intro: Section | None
    chapters: tuple[Chapter, ...]
    annexes: tuple[Annex, ...]
    match: dict[str, Any] = field(default_factory=dict)
    located: Located | None = field(default=None, compare=False, repr=False)

    def sections(self) -> list[Section]:
        """The intro and every section, in order."""
        return ([self.intro] if self.intro else []) + [s for ch in self.chapters for s in ch.sections]

    def files(self) -> list[Section]:
        """The sections that are written in a file, in order."""
        return [s for s in self.sections() if s.file]

    def by_file(self, file: str) -> Section | None:
        return next((s for s in self.sections() if s.file == file), None)

    def chapter_of(self, section: Section) -> Chapter | None:
        return next((ch for ch in self.chapters if section in ch.sections), None)

    def chapter_number(self, section: Section) -> int | None:
        """1 for the first chapter (一、): the N of its tables' 表N-M; None for the intro."""
        for index, chapter in enumerate(self.chapters, start=1):
            if section in chapter.sections:
                return index
        return None

    def line(self, key: str) -> int | None:
        return self.located.line(key) if self.located else None


def placeholders(text: str) -> list[str]:
    return _PLACEHOLDER.findall(text)


def substitute(text: str, values: dict[str, str]) -> str:
    """Replace every {name} by its value (names were checked when the outline was loaded)."""
    return _PLACEHOLDER.sub(lambda m: values.get(m.group(1), m.group(0)), text)


def cn_number(n: int) -> str:
    """1 … 99 in Chinese numerals: 一, 十, 十一, 二十三."""
    tens, ones = divmod(n, 10)
    head = "" if tens == 0 else ("十" if tens == 1 else CN_DIGITS[tens - 1] + "十")
    return head + (CN_DIGITS[ones - 1] if ones else "")


# ------------------------------------------------------------------------------ reading


class _Reader:
    """Checks on one outline file; every failure names the file, line and key."""

    def __init__(self, located: Located):
        self.located = located
        self.keys_seen: dict[str, str] = {}  # key → its path in the file
        self.files_seen: dict[str, str] = {}
        self.lines: list[str] | None = None  # the file's text, read when a template needs its line

    def fail(self, message: str, path: str, expected: str | None = None) -> ReportError:
        return ReportError(message, file=self.located.file, line=self.located.line(path) or 1,
                           key=path or None, expected=expected)

    def mapping(self, node: Any, allowed: tuple[str, ...], where: str, path: str) -> dict:
        if not isinstance(node, dict):
            raise self.fail(f"{where}应是键值对", path, "、".join(allowed))
        for key in node:
            if key not in allowed:
                raise self.fail(f"{where}中有未知的键“{key}”", f"{path}.{key}" if path else str(key),
                                "、".join(allowed))
        return node

    def text(self, node: dict, key: str, where: str, path: str, *, required: bool = True,
             default: str = "", placeholders_ok: bool = True) -> str:
        kpath = f"{path}.{key}" if path else key
        if key not in node or node[key] is None:
            if required and key in node:  # written but left empty: its own line
                raise self.fail(f"{where}：“{key}”是空的", kpath, "一段文字")
            if required:
                raise self.fail(f"{where}：缺少“{key}”", path or key, "一段文字")
            return default
        value = node[key]
        if isinstance(value, (dict, list, bool)):
            raise self.fail(f"{where}：“{key}”应是一段文字", kpath)
        value = str(value)
        if required and not value.strip():
            raise self.fail(f"{where}：“{key}”不能为空", kpath, "一段文字")
        if placeholders_ok:
            self.check_placeholders(value, kpath)
        elif placeholders(value):
            raise self.fail(f"{where}：“{key}”中不能有 {{…}} 占位符", kpath)
        return value

    def check_placeholders(self, text: str, path: str) -> None:
        for name in placeholders(text):
            extra = name.startswith("extra.") and len(name) > len("extra.")
            if name not in PLACEHOLDERS and not extra:
                raise self.fail(
                    f"未知的占位符“{{{name}}}”", path,
                    "、".join(f"{{{k}}}（{v}）" for k, v in PLACEHOLDERS.items()) + "，或 {extra.名称}（facts.yaml 的 extra 中的值）",
                )

    def flag(self, node: dict, key: str, where: str, path: str, default: bool = False) -> bool:
        value = node.get(key, default)
        if not isinstance(value, bool):
            raise self.fail(f"{where}：“{key}”应为 true 或 false，写的是“{value}”", f"{path}.{key}", "true 或 false")
        return value

    def key(self, node: dict, where: str, path: str) -> str:
        key = self.text(node, "key", where, path, placeholders_ok=False).strip()
        kpath = f"{path}.key"
        if not _KEY.match(key):
            raise self.fail(f"{where}：键名“{key}”不能含空格或 / \\ : * ? \" < > | {{ }}", kpath,
                            "可作文件名的文字，如 1-1-主要职能")
        if key in self.keys_seen:
            first = self.located.line(self.keys_seen[key])
            raise self.fail(f"键名“{key}”重复（第一次在第 {first} 行）", kpath, "每个章、节的 key 各不相同")
        self.keys_seen[key] = kpath
        return key

    def template(self, node: dict, where: str, path: str) -> tuple[str, int | None]:
        if "template" not in node:
            return "", None
        value = node["template"]
        if not isinstance(value, str):
            raise self.fail(f"{where}：“template”应是一段文字（可用 {{{{ }}}} 引用事实和得分）", f"{path}.template")
        line = self.located.line(f"{path}.template")
        if line and re.search(r":\s*[|>][-+0-9]*\s*(#.*)?$", self.source_line(line)):
            line += 1  # a block scalar: the text starts on the next line
        try:  # the syntax only; names and values are checked when the report is built
            _SYNTAX.parse(value)
        except TemplateSyntaxError as exc:
            raise ReportError(f"{where}：template 的 {{{{ }}}} 写法有误：{exc.message}", file=self.located.file,
                              line=(line or 1) + (exc.lineno or 1) - 1, key=f"{path}.template",
                              expected="{{ 名称 }}、{% for … %}…{% endfor %}、{% if … %}…{% endif %}") from None
        return value.rstrip("\n"), line

    def source_line(self, line: int) -> str:
        if self.lines is None:
            try:
                self.lines = Path(self.located.file).read_text(encoding="utf-8-sig").splitlines()
            except OSError:
                self.lines = []
        return self.lines[line - 1] if 0 < line <= len(self.lines) else ""

    # --- parts ------------------------------------------------------------------

    def section(self, raw: Any, where: str, path: str, number_required: bool = True) -> Section:
        raw = self.mapping(raw, SECTION_KEYS, where, path)
        key = self.key(raw, where, path)
        where = f"{where}“{key}”"
        generated = self.flag(raw, "generated", where, path)
        template, line = self.template(raw, where, path)
        if generated:
            if "file" in raw:
                raise self.fail(f"{where}：生成的节（generated: true）不读取文件，不能写“file”", f"{path}.file",
                                "去掉 file，或去掉 generated")
            if not template.strip():
                raise self.fail(f"{where}：生成的节（generated: true）缺少“template”", path,
                                "template: 生成的文字，可用 {{ }} 引用事实和得分")
            file = None
        else:
            file = self.text(raw, "file", where, path, required=False, default=f"{key}.md",
                             placeholders_ok=False).strip()
            if not file.endswith(".md") or "/" in file or "\\" in file or file.startswith("."):
                raise self.fail(f"{where}：章节文件名“{file}”无效", f"{path}.file", "content/ 中的 .md 文件名，如 1-1-主要职能.md")
            if file in self.files_seen:
                raise self.fail(f"{where}：章节文件“{file}”已被“{self.files_seen[file]}”使用", f"{path}.file",
                                "每节一个文件")
            if file == "facts.md":
                raise self.fail(f"{where}：章节文件名“{file}”与保留名称冲突", f"{path}.file")
            self.files_seen[file] = key
        return Section(
            key=key,
            number=self.text(raw, "number", where, path, required=number_required, placeholders_ok=False),
            title=self.text(raw, "title", where, path),
            file=file,
            optional=self.flag(raw, "optional", where, path),
            guidance=self.text(raw, "guidance", where, path, required=False, placeholders_ok=False),
            template=template,
            template_line=line,
            template_key=f"{path}.template" if template else "",
        )

    def chapter(self, raw: Any, index: int) -> Chapter:
        path = f"chapters.{index}"
        where = f"第 {index + 1} 章"
        raw = self.mapping(raw, CHAPTER_KEYS, where, path)
        key = self.key(raw, where, path)
        where = f"章“{key}”"
        generated = self.flag(raw, "generated", where, path)
        template, line = self.template(raw, where, path)
        sections: list[Section] = []
        if generated:
            if raw.get("sections"):
                raise self.fail(f"{where}：生成的章（generated: true）不能再分节", f"{path}.sections",
                                "去掉 sections，或去掉 generated")
            if not template.strip():
                raise self.fail(f"{where}：生成的章（generated: true）缺少“template”",
                                f"{path}.template" if "template" in raw else path,
                                "template: 生成的文字，可用 {{ }} 引用事实和得分，如 {{ total }}")
        else:
            raw_sections = raw.get("sections")
            if not isinstance(raw_sections, list) or not raw_sections:
                raise self.fail(f"{where}：缺少“sections”列表（或写 generated: true 和 template）",
                                f"{path}.sections" if "sections" in raw else path, "sections 下逐节列出")
            if template:
                raise self.fail(f"{where}：只有生成的章（generated: true）才有“template”", f"{path}.template",
                                "把生成的文字写在某一节的 template 中")
            sections = [self.section(s, f"{where}第 {k + 1} 节", f"{path}.sections.{k}")
                        for k, s in enumerate(raw_sections)]
        return Chapter(
            key=key,
            number=self.text(raw, "number", where, path, placeholders_ok=False),
            title=self.text(raw, "title", where, path),
            sections=tuple(sections),
            template=template,
            template_line=line,
            template_key=f"{path}.template" if template else "",
        )

    def cover(self, raw: Any) -> tuple[str, tuple[CoverLine, ...]]:
        raw = self.mapping(raw, COVER_KEYS, "封面 cover", "cover")
        title = self.text(raw, "title", "封面 cover", "cover")
        entries = raw.get("lines") or []
        if not isinstance(entries, list):
            raise self.fail("封面 cover：“lines”应是列表", "cover.lines",
                            "每行写成 {label: 标签, value: \"{unit}\"}、{label: 标签, empty: true} 或 {gap: 行数}")
        lines: list[CoverLine] = []
        for k, entry in enumerate(entries):
            path = f"cover.lines.{k}"
            where = f"封面第 {k + 1} 行"
            entry = self.mapping(entry, LINE_KEYS, where, path)
            if "gap" in entry:
                gap = entry["gap"]
                if len(entry) > 1 or isinstance(gap, bool) or not isinstance(gap, int) or not 1 <= gap <= 20:
                    raise self.fail(f"{where}：“gap”是空行的行数，单独写一项", f"{path}.gap", "1 到 20 的整数，如 {gap: 2}")
                lines += [CoverLine()] * gap
                continue
            label = self.text(entry, "label", where, path, required=False).strip()
            empty = self.flag(entry, "empty", where, path)
            value = self.text(entry, "value", where, path, required=False)
            if not value.strip() and not empty:
                raise self.fail(f"{where}：{('“' + label + '”') if label else ''}没有“value”",
                                path, "value: 填写的内容（如 \"{unit}\"），或 empty: true 留空待手写、盖章")
            if value.strip() and empty:
                raise self.fail(f"{where}：既有“value”又写了 empty: true", f"{path}.empty", "二者选一")
            if not label and empty:
                raise self.fail(f"{where}：留空的行需要“label”（整行空白请写 {{gap: 1}}）", path)
            lines.append(CoverLine(label, value))
        return title, tuple(lines)

    def annex(self, raw: Any, index: int, chapters: tuple[Chapter, ...]) -> Annex:
        path = f"annexes.{index}"
        where = f"第 {index + 1} 个附件"
        raw = self.mapping(raw, ANNEX_KEYS, where, path)
        table = self.text(raw, "table", where, path, placeholders_ok=False).strip()
        if table not in TABLES:
            raise self.fail(f"{where}：未知的表“{table}”", f"{path}.table",
                            "、".join(f"{k}（{v}）" for k, v in TABLES.items()))
        where = f"附件“{table}”"
        place = self.text(raw, "place", where, path, required=False, default="annex", placeholders_ok=False).strip()
        keys = {ch.key for ch in chapters}
        if place != "annex" and place not in keys:
            raise self.fail(f"{where}：位置“{place}”既不是 annex 也不是某一章的 key", f"{path}.place",
                            "annex（报告正文之后，作为附件），或章的 key：" + "、".join(ch.key for ch in chapters))
        label = raw.get("label", AUTO if place == "annex" else "")
        if label is None or isinstance(label, (dict, list, bool)):
            raise self.fail(f"{where}：“label”应是一段文字（不要标识请写 \"\"）", f"{path}.label",
                            "auto、附件{n}、附件{cn} 或 \"\"")
        label = str(label).strip()
        for name in placeholders(label):
            if name not in ("n", "cn"):
                raise self.fail(f"{where}：标识中未知的占位符“{{{name}}}”", f"{path}.label",
                                "auto、不带占位符的文字，或含 {n}（1、2…）、{cn}（一、二…）的文字，如 附件{n}")
        total_row = raw.get("total_row")
        if total_row is not None and (not isinstance(total_row, str) or not total_row.strip()):
            raise self.fail(f"{where}：“total_row”应是合计行的名称", f"{path}.total_row", "如 总分、总计得分、综合评分")
        if table != "scores":
            for key in ("total_row", "notes"):
                if key in raw:
                    raise self.fail(f"{where}：“{key}”只用于指标评分表（table: scores）", f"{path}.{key}")
        return Annex(
            table=table,
            title=self.text(raw, "title", where, path),
            label=label,
            label_inline=self.flag(raw, "label_inline", where, path),
            place=place,
            total_row=total_row.strip() if total_row else None,
            footer=self.text(raw, "footer", where, path, required=False),
            notes=self.flag(raw, "notes", where, path, default=True),
        )


def parse_outline(data: Any, located: Located) -> Outline:
    reader = _Reader(located)
    data = reader.mapping(data, TOP_KEYS, "提纲文件", "")
    oid = reader.text(data, "id", "提纲", "", placeholders_ok=False).strip()
    match = reader.mapping(data.get("match") or {}, MATCH_KEYS, "适用范围 match", "match")
    if "frameworks" in match and (not isinstance(match["frameworks"], list)
                                  or not all(isinstance(f, str) for f in match["frameworks"])):
        raise reader.fail("match.frameworks 应是框架编号的列表", "match.frameworks", "如 [city-2021, city-2020]")
    for key, choices in (("kind", ("部门", "单位")), ("level", ("市", "区"))):
        if key in match and match[key] not in choices:
            raise reader.fail(f"match.{key} 的值“{match[key]}”无效", f"match.{key}", " 或 ".join(choices))
    if "cover" not in data:
        raise reader.fail("提纲缺少封面“cover”", "", "cover: {title: …, lines: […]}")
    cover_title, cover = reader.cover(data["cover"])
    intro = None
    if data.get("intro") is not None:
        intro = reader.section(data["intro"], "引言 intro", "intro", number_required=False)
    chapters_raw = data.get("chapters")
    if not isinstance(chapters_raw, list) or not chapters_raw:
        raise reader.fail("提纲缺少“chapters”列表（至少一章）", "chapters" if "chapters" in data else "",
                          "chapters 下逐章列出")
    chapters = tuple(reader.chapter(c, k) for k, c in enumerate(chapters_raw))
    annexes_raw = data.get("annexes") or []
    if not isinstance(annexes_raw, list):
        raise reader.fail("“annexes”应是列表", "annexes", "每个附件一项，如 {table: scores, title: …}")
    annexes = tuple(reader.annex(a, k, chapters) for k, a in enumerate(annexes_raw))
    seen: dict[str, int] = {}
    for k, annex in enumerate(annexes):
        if annex.table in seen:
            raise reader.fail(f"附件“{annex.table}”重复（第 {seen[annex.table] + 1} 个附件已是此表）",
                              f"annexes.{k}.table", "每张表最多出现一次")
        seen[annex.table] = k
    return Outline(
        id=oid, title=reader.text(data, "title", "提纲", "", placeholders_ok=False).strip(),
        file=located.file, cover_title=cover_title, cover=cover, intro=intro, chapters=chapters,
        annexes=annexes, match=dict(match), located=located,
    )


# ------------------------------------------------------------------------------ finding one


def shipped_dir() -> Path:
    return Path(__file__).parent / "outlines"


def shipped_ids() -> list[str]:
    return sorted(p.name[:-5] for p in shipped_dir().iterdir() if p.name.endswith(".yaml"))


_CACHE: dict[tuple[str, int, int], Outline] = {}


def load_outline(ref: str | None, base: Path, *, key: str = "outline") -> Outline:
    """A shipped outline by id, or an outline file relative to the report folder (None: DEFAULT).

    `key`: the setting that named it, for the message when it names nothing.
    """
    ref = DEFAULT if ref is None else str(ref).strip()
    candidate = base / ref
    if ref.endswith((".yaml", ".yml")) or candidate.is_file():
        path = candidate
        if not path.is_file():
            raise ReportError(f"找不到提纲文件“{ref}”", key=key, file=path,
                              expected="报告目录中的提纲文件路径，或 reportkit outlines 列出的编号之一：" + "、".join(shipped_ids()))
    else:
        path = shipped_dir() / f"{ref}.yaml"
        if not ref or "/" in ref or not path.is_file():
            raise ReportError(
                f"找不到提纲“{ref}”", key=key,
                expected="以下编号之一：" + "、".join(shipped_ids()) + "（reportkit outlines 列出全部），或报告目录中的提纲文件路径（以 .yaml 结尾）",
            )
    try:
        stat = path.stat()
        stamp = (str(path.resolve()), stat.st_mtime_ns, stat.st_size)
    except OSError:
        stamp = None
    if stamp and stamp in _CACHE:
        return _CACHE[stamp]
    data, located = load_yaml(path)
    outline = parse_outline(data, located)
    if stamp:
        if len(_CACHE) >= 32:  # a preview session edits its outline many times
            _CACHE.pop(next(iter(_CACHE)))
        _CACHE[stamp] = outline
    return outline


def default_outline() -> Outline:
    return load_outline(None, Path("."))


def choose_outline(framework: str, kind: str, level: str) -> str:
    """The id of the shipped outline whose `match` fits best (for `new` and `import`)."""
    best, best_fit = DEFAULT, 0
    for oid in shipped_ids():
        match = load_outline(oid, Path(".")).match
        if not match:
            continue
        checks = [framework in match["frameworks"]] if "frameworks" in match else []
        checks += [match[k] == v for k, v in (("kind", kind), ("level", level)) if k in match]
        if all(checks) and len(checks) > best_fit:
            best, best_fit = oid, len(checks)
    return best


# ------------------------------------------------------------------------------ the old names
# The shipped default outline, as the module-level names the code used before outlines were
# data. Kept so that callers not yet reading the chosen outline keep working.


def __getattr__(name: str) -> Any:
    if name == "OUTLINE":
        return default_outline().chapters
    if name == "INTRO":
        return default_outline().intro
    raise AttributeError(name)


def all_sections() -> list[Section]:
    return default_outline().sections()


def fill(title: str, kind: str, year: int) -> str:
    """A heading with only the 部门/单位 word and the year filled in."""
    return substitute(title, {"主体": kind, "year": str(year)})


def outline_for(paths, facts, options: dict) -> Outline:  # noqa: ANN001 - Paths, Facts
    """The report's outline: `report.outline` in facts.yaml, else `outline:` in reportkit.yaml,
    else DEFAULT. A path is relative to the report folder."""
    ref = facts.get("report.outline") if facts is not None else None
    if ref:
        where, line, key = facts.file, facts.line("report.outline"), "report.outline"
    elif options.get("outline"):
        ref, where, key = options["outline"], paths.config, "outline"
        line = load_yaml(paths.config)[1].line("outline")
    else:
        return load_outline(None, paths.root)
    try:
        return load_outline(str(ref), paths.root, key=key)
    except ReportError as exc:
        if exc.file is None or exc.key == key:  # the reference itself is wrong: point at it
            exc.file, exc.line = str(where), line
        else:  # a mistake inside the file: say too where it was chosen (facts.yaml as an outline …)
            exc.message += f"（{where}:{line} 的 {key} 选用了这个提纲文件）"
        raise
