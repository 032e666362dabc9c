"""The report as HTML: the preview page and the standalone build/<title>.html.

Section bodies come from the same markdown-it tokens as the Word file and make the same
choices as reportkit/render/docx/markdown.py, so both say the same words: list labels are written
out ("1. ", "（1）", "•"), a line break between Chinese characters joins them, raw HTML is
shown as text, a picture outside the report folder shows its alt text. Footnotes are
numbered through the whole report, as Word numbers them.

The page layout lives in Jinja templates under reportkit/render/html/web/ (autoescaped: every value is
text; only the bodies rendered here enter as HTML).
"""

from __future__ import annotations

import base64
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import quote, unquote

from jinja2 import Environment, FileSystemLoader, StrictUndefined
from markdown_it.common.utils import escapeHtml
from markdown_it.renderer import RendererHTML
from markdown_it.token import Token
from markupsafe import Markup

from ...assemble import (
    CAPTION_RE,
    UNIT_RE,
    AnnexRow,
    Block,
    Report,
    is_cjk,
    item_number,
    parser,
    plain_text,
)
from ...codecache import bytecode_cache
from ...compute import IndicatorScore, Scores
from ...load import targets_grid
from ...numbers import plain

if TYPE_CHECKING:  # check's findings reach the page in the preview only; a build has none
    from ...findings import Finding
    from .findings import Placed

WEB = Path(__file__).parent / "web"

BULLETS = ("•", "◦", "▪")
MAX_IMAGE_BYTES = 10 * 1024 * 1024
IMAGE_TYPES = {".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".gif": "image/gif",
               ".bmp": "image/bmp"}
_URL_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:|^//")
_PLACEHOLDER = re.compile(r'<img src="#(picture-\d+)"')


def _num(value: Decimal | Fraction | None) -> str:
    if value is None:
        return "—"
    if isinstance(value, Fraction):
        value = Decimal(value.numerator) / Decimal(value.denominator)
    return plain(value)


# -- pictures --------------------------------------------------------------------------------


def picture_path(src: str, base: Path, root: Path) -> Path | None:
    """A local picture inside the report folder, of a known type and not too large; else None."""
    if not src or _URL_SCHEME.match(src):
        return None
    try:
        path = (base / unquote(src.split("#")[0].split("?")[0])).resolve()
        if (not path.is_relative_to(root.resolve()) or path.suffix.lower() not in IMAGE_TYPES
                or not path.is_file() or path.stat().st_size > MAX_IMAGE_BYTES):
            return None
    except (OSError, ValueError):
        return None
    return path


class Pictures:
    """How a picture is linked: the preview serves it, the standalone file embeds it.

    The standalone file carries each distinct picture's bytes once, however often the report
    shows it. While rendering, an embedded picture is linked by a placeholder URL (#picture-N,
    one per file); `embed` then puts the bytes in: a picture shown once as the img's data: URL
    (as it always was), one shown more often once in the page's style sheet, as the `content`
    of a class every reference carries (an image the browser shows and prints in place of the
    img, alt text kept)."""

    def __init__(self, root: Path, embed: bool):
        self.root = root.resolve()
        self.embed = embed
        self.used: set[Path] = set()  # the preview watches these files too
        self._data: dict[Path, tuple[str, str]] = {}  # path → (its placeholder id, its data: URL)
        self._shown: dict[str, int] = {}  # placeholder id → how many times the page shows it

    def url(self, path: Path) -> str | None:
        self.used.add(path)
        try:
            if self.embed:
                if path not in self._data:
                    data = base64.b64encode(path.read_bytes()).decode("ascii")
                    self._data[path] = (f"picture-{len(self._data) + 1}",
                                        f"data:{IMAGE_TYPES[path.suffix.lower()]};base64,{data}")
                ident = self._data[path][0]
                self._shown[ident] = self._shown.get(ident, 0) + 1
                return f"#{ident}"
            version = path.stat().st_mtime_ns  # a new URL when the picture changes
        except OSError:
            return None
        return f"/images/{quote(path.relative_to(self.root).as_posix())}?v={version}"

    def embed_into(self, html: str) -> tuple[str, str]:
        """The rendered body with its placeholders filled in (in one pass), and the CSS that
        carries the pictures shown more than once. Only BodyRenderer.image writes “<img src=”:
        the report's text is escaped, so a placeholder cannot be mistaken for anything else."""
        urls = dict(self._data.values())

        def filled(m: re.Match) -> str:
            ident = m[1]
            return f'<img src="{urls[ident]}"' if self._shown[ident] == 1 else f'<img class="{ident}"'

        css = "".join(f'img.{ident} {{ content: url("{url}"); }}\n'
                      for ident, url in urls.items() if self._shown[ident] > 1)
        return _PLACEHOLDER.sub(filled, html), css


# -- section bodies --------------------------------------------------------------------------


@dataclass
class Notes:
    """Footnote numbers, counted through the whole report."""

    next: int = 1


class BodyRenderer(RendererHTML):
    """markdown-it tokens of one section body → HTML. Never changes the tokens."""

    def __init__(self, pictures: Pictures, base: Path, notes: Notes, prefix: str, after: dict[int, str]):
        super().__init__()
        self.after = after  # token index → HTML put right after that token (check findings)
        self.pictures = pictures
        self.base = base
        self.notes = notes
        self.prefix = prefix  # keeps footnote ids apart between sections
        self.numbers: dict[int, int] = {}  # footnote id → its number in the report
        self.lists: list[list] = []  # [ordered, last number] per open list
        self.label: str | None = None  # a list label waiting for the item's first text
        self.depth = 0  # inside a quote, table cell or footnote: no captions there
        self.in_note = False

    def render_section(self, tokens: Sequence[Token]) -> str:
        return self.render(tokens, parser().options, {})

    def render(self, tokens, options, env) -> str:  # noqa: ANN001
        """As RendererHTML.render, with `self.after` inserted."""
        out: list[str] = []
        rules, after = self.rules, self.after
        text = rules["text"]
        for i, token in enumerate(tokens):
            kind = token.type
            if kind == "inline":
                children = token.children
                if not children:
                    pass
                elif len(children) == 1 and children[0].type == "text":  # most paragraphs, headings and cells
                    out.append(text(children, 0, options, env))  # what renderInline does for it
                else:
                    out.append(self.renderInline(children, options, env))
            elif kind in rules:
                out.append(rules[kind](tokens, i, options, env))
            else:
                out.append(self.renderToken(tokens, i, options, env))
            if after and i in after:
                out.append(after[i])
        return "".join(out)

    # -- blocks --

    def paragraph_open(self, tokens, idx, options, env) -> str:  # noqa: ANN001
        tag = "" if tokens[idx].hidden else "<p" + self._paragraph_class(tokens, idx) + ">"
        return tag + self._take_label()

    def paragraph_close(self, tokens, idx, options, env) -> str:  # noqa: ANN001
        return "" if tokens[idx].hidden else "</p>\n"

    def _paragraph_class(self, tokens: Sequence[Token], idx: int) -> str:
        if self.lists or self.depth:
            return ""
        inline = tokens[idx + 1]
        if "![" in inline.content and any(c.type == "image" for c in inline.children or []):
            return ' class="figure"'
        text = inline.content.strip()
        if UNIT_RE.match(text):
            return ' class="unit"'
        if CAPTION_RE.match(text) and self._table_follows(tokens, idx + 3):
            return ' class="caption"'
        return ""

    @staticmethod
    def _table_follows(t: Sequence[Token], j: int) -> bool:
        if j < len(t) and t[j].type == "table_open":
            return True
        return (j + 3 < len(t) and t[j].type == "paragraph_open"
                and bool(UNIT_RE.match(t[j + 1].content.strip())) and t[j + 3].type == "table_open")

    def heading_open(self, tokens, idx, options, env) -> str:  # noqa: ANN001
        # Inside a section: `#` is a "1." heading, `##` and deeper "（1）" (as the Word file).
        return '<h4 class="h3">' if tokens[idx].tag == "h1" else '<h5 class="h4">'

    def heading_close(self, tokens, idx, options, env) -> str:  # noqa: ANN001
        return "</h4>\n" if tokens[idx].tag == "h1" else "</h5>\n"

    def bullet_list_open(self, tokens, idx, options, env) -> str:  # noqa: ANN001
        self.lists.append([False, 0])
        return self._take_label() + '<ul class="list">\n'

    def ordered_list_open(self, tokens, idx, options, env) -> str:  # noqa: ANN001
        self.lists.append([True, int(tokens[idx].attrGet("start") or 1) - 1])
        return self._take_label() + '<ol class="list">\n'

    def bullet_list_close(self, tokens, idx, options, env) -> str:  # noqa: ANN001
        self.lists.pop()
        return "</ul>\n"

    def ordered_list_close(self, tokens, idx, options, env) -> str:  # noqa: ANN001
        self.lists.pop()
        return "</ol>\n"

    def list_item_open(self, tokens, idx, options, env) -> str:  # noqa: ANN001
        state = self.lists[-1]
        if state[0]:
            # The number the author typed: Chinese reports number by literal text, and
            # "2. …" then "1. …" must not print as 2, 3.
            state[1] = item_number(tokens[idx], state[1])
            # "1." as written gives "1."; "1)" gives the Chinese "（1）".
            self.label = f"（{state[1]}）" if tokens[idx].markup == ")" else f"{state[1]}. "
        else:
            self.label = BULLETS[min(len(self.lists), len(BULLETS)) - 1] + " "
        return "<li>"

    def list_item_close(self, tokens, idx, options, env) -> str:  # noqa: ANN001
        return self._take_label() + "</li>\n"

    def _take_label(self) -> str:
        label, self.label = self.label, None
        return f'<span class="label">{escapeHtml(label)}</span>' if label else ""

    def blockquote_open(self, tokens, idx, options, env) -> str:  # noqa: ANN001
        self.depth += 1
        return self._take_label() + "<blockquote>\n"

    def blockquote_close(self, tokens, idx, options, env) -> str:  # noqa: ANN001
        self.depth -= 1
        return "</blockquote>\n"

    def code_block(self, tokens, idx, options, env) -> str:  # noqa: ANN001
        text = tokens[idx].content
        text = text[:-1] if text.endswith("\n") else text
        return f'{self._take_label()}<pre class="code"><code>{escapeHtml(text)}</code></pre>\n'

    fence = code_block
    html_block = code_block  # raw HTML is shown as text, never interpreted

    def html_inline(self, tokens, idx, options, env) -> str:  # noqa: ANN001
        return escapeHtml(tokens[idx].content)

    def hr(self, tokens, idx, options, env) -> str:  # noqa: ANN001
        return self._take_label() + "<hr>\n"

    # -- tables --

    def table_open(self, tokens, idx, options, env) -> str:  # noqa: ANN001
        return self._take_label() + '<table class="body-table">\n'

    def th_open(self, tokens, idx, options, env) -> str:  # noqa: ANN001
        self.depth += 1
        return f"<{tokens[idx].tag}{self._align(tokens[idx])}>"

    td_open = th_open

    def th_close(self, tokens, idx, options, env) -> str:  # noqa: ANN001
        self.depth -= 1
        return f"</{tokens[idx].tag}>\n"

    td_close = th_close

    @staticmethod
    def _align(tok: Token) -> str:
        style = str(tok.attrGet("style") or "")
        for side in ("left", "center", "right"):
            if f"text-align:{side}" in style:
                return f' class="align-{side}"'  # a class: the page allows no inline styles
        return ""

    # -- inline --

    def softbreak(self, tokens, idx, options, env) -> str:  # noqa: ANN001
        before = tokens[idx - 1].content[-1:] if idx else ""
        after = tokens[idx + 1].content[:1] if idx + 1 < len(tokens) else ""
        return "" if is_cjk(before) and is_cjk(after) else " "  # 中文换行不加空格

    def hardbreak(self, tokens, idx, options, env) -> str:  # noqa: ANN001
        return "<br>\n"

    def image(self, tokens, idx, options, env) -> str:  # noqa: ANN001
        tok = tokens[idx]
        alt = plain_text(tok.children or [])
        path = picture_path(str(tok.attrGet("src") or ""), self.base, self.pictures.root)
        url = self.pictures.url(path) if path and not self.in_note else None
        if url is None:  # remote, outside the folder, not a picture: the alt text, as in Word
            return escapeHtml(alt)
        return f'<img src="{escapeHtml(url)}" alt="{escapeHtml(alt)}">'

    # -- footnotes: numbered through the report; the text under the section --

    def footnote_ref(self, tokens, idx, options, env) -> str:  # noqa: ANN001
        ident = tokens[idx].meta["id"]
        if self.in_note:  # Word has no footnotes inside footnotes
            return escapeHtml(f"[{tokens[idx].meta.get('label') or ident + 1}]")
        number = self.notes.next
        self.notes.next += 1
        self.numbers.setdefault(ident, number)
        return (f'<sup class="footnote-ref"><a href="#{self.prefix}-fn{ident}">{number}</a></sup>')

    def footnote_block_open(self, tokens, idx, options, env) -> str:  # noqa: ANN001
        self.in_note = True
        self.depth += 1
        return '<ol class="footnotes">\n'

    def footnote_block_close(self, tokens, idx, options, env) -> str:  # noqa: ANN001
        self.in_note = False
        self.depth -= 1
        return "</ol>\n"

    def footnote_open(self, tokens, idx, options, env) -> str:  # noqa: ANN001
        ident = tokens[idx].meta["id"]
        number = self.numbers.get(ident, ident + 1)
        return f'<li id="{self.prefix}-fn{ident}" value="{number}">'

    def footnote_close(self, tokens, idx, options, env) -> str:  # noqa: ANN001
        return "</li>\n"

    def footnote_anchor(self, tokens, idx, options, env) -> str:  # noqa: ANN001
        return ""  # the back-link: the reader scrolls back


def render_body(tokens: Sequence[Token], pictures: Pictures, base: Path, notes: Notes | None = None,
                prefix: str = "b", after: dict[int, str] | None = None) -> str:
    """One section body as HTML; `after`: HTML to put right after the token with that index."""
    return BodyRenderer(pictures, base, notes or Notes(), prefix, after or {}).render_section(tokens)


# -- the annex table -------------------------------------------------------------------------


@dataclass
class Cell:
    """A cell of an HTML annex table."""

    text: str
    rowspan: int = 1
    colspan: int = 1
    head: bool = False
    wide: bool = False  # long text, left-aligned


def annex_header(report: Report) -> list[list[Cell]]:
    """Two or three header rows, as the seeds print them (frameworks.md, "Annex layouts")."""
    annex = report.framework.annex
    h = annex["headers"]
    weighted = annex["layout"] == "weighted_names"
    tail = [x for x in (h["description"], h["standard"], h["score"]) if x]
    depth = 2 if weighted else 3
    first = [Cell("评价指标", colspan=4 if weighted else 6, head=True)]
    first += [Cell(x, rowspan=depth, head=True) for x in tail]
    if weighted:
        return [first, [Cell(x, head=True) for x in ("一级指标", "二级指标", "三级指标", h["weight"])]]
    second = [Cell(x, colspan=2, head=True) for x in ("一级指标", "二级指标", "三级指标")]
    third = [Cell(x, head=True) for x in ("名称", h["weight"]) * 3]
    return [first, second, third]


def annex_body(report: Report, total_row: str | None = None) -> list[list[Cell]]:
    """One row per indicator; 一级 and 二级 cells span their indicators; total and grade rows.

    `total_row`: the closing row's label as the outline names it (default: the framework's).
    """
    annex = dict(report.framework.annex)
    if total_row:
        annex["total_row"] = total_row
    weighted = annex["layout"] == "weighted_names"
    rows: list[AnnexRow] = report.annex_rows
    out: list[list[Cell]] = []
    for k, r in enumerate(rows):
        cells: list[Cell] = []
        if k == 0 or rows[k - 1].level != r.level:
            span = _run(rows, k, lambda x: x.level)
            if weighted:
                cells.append(Cell(f"{r.level}（{_num(r.level_weight)}分）", rowspan=span))
            else:
                cells += [Cell(r.level, rowspan=span), Cell(_num(r.level_weight), rowspan=span)]
        if k == 0 or rows[k - 1].level != r.level or rows[k - 1].group != r.group:
            span = _run(rows, k, lambda x: (x.level, x.group))
            cells.append(Cell(r.group, rowspan=span))
            if not weighted:
                cells.append(Cell(_num(r.group_weight), rowspan=span))
        cells += [Cell(r.name), Cell(_num(r.weight))]
        if annex["headers"]["description"]:
            cells.append(Cell(r.description, wide=True))
        cells += [Cell(r.standard, wide=True), Cell(r.score)]
        out.append(cells)
    columns = sum(c.colspan for c in annex_header(report)[0])
    total, score = _num(report.framework.total), _num(report.scores.total)
    if annex["total_row"] and weighted:
        out.append([Cell(annex["total_row"], colspan=columns - 1, head=True), Cell(score, head=True)])
    elif annex["total_row"]:  # as seed 000: 总分 | 100 | —— | 100 | —— … | 93.78
        out.append([Cell(annex["total_row"], colspan=3, head=True), Cell(total), Cell("——"), Cell(total),
                    *[Cell("——") for _ in range(columns - 7)], Cell(score, head=True)])
    if annex["grade_row"]:
        out.append([Cell(annex["grade_row"], colspan=columns - 1, head=True),
                    Cell(report.scores.grade, head=True)])
    return out


def _run(rows: list[AnnexRow], k: int, key) -> int:  # noqa: ANN001
    """How many rows from k on share rows[k]'s key."""
    n = 1
    while k + n < len(rows) and key(rows[k + n]) == key(rows[k]):
        n += 1
    return n


# -- the score panel -------------------------------------------------------------------------


@dataclass
class IndicatorView:
    """An indicator's row of the HTML scores table."""

    name: str
    weight: str
    computed: str
    final: str
    state: str  # full, lost, override
    notes: list[str] = field(default_factory=list)


@dataclass
class GroupView:
    """A 二级指标 of the HTML scores table with its indicators."""

    name: str
    weight: str
    score: str
    indicators: list[IndicatorView]


@dataclass
class LevelView:
    """A 一级指标 of the HTML scores table with its groups."""

    name: str
    weight: str
    score: str
    groups: list[GroupView]


def indicator_view(s: IndicatorScore) -> IndicatorView:
    weight = s.indicator.weight
    notes = [f"扣 {_num(points)} 分：{why}" for points, why in s.deductions]
    if s.zeroed:
        notes.append(s.zeroed)
    if s.missing:
        notes.append("缺少事实：" + "、".join(s.missing))
    notes += [f"无法计算：{z.text}" for z in s.zero_divisors]
    if s.override:
        notes.append(f"人工覆盖为 {_num(s.override.score)} 分，原因：{s.override.reason}"
                     f"（按规则计算 {_num(s.computed) if s.computed is not None else '—'} 分）")
        state = "override"
    elif s.final is None or s.final < Decimal(weight.numerator) / weight.denominator:
        state = "lost"
    else:
        state = "full"
    computed = "—" if s.judgement_only else _num(s.computed)
    return IndicatorView(s.indicator.name, _num(weight), computed, _num(s.final), state, notes)


def score_view(scores: Scores) -> list[LevelView]:
    by_name = {s.indicator.name: s for s in scores.indicators}
    groups = iter(scores.groups)
    levels = []
    for level, subtotal in zip(scores.framework.levels, scores.levels, strict=True):
        views = []
        for group in level.groups:
            g = next(groups)
            views.append(GroupView(group.name, _num(group.weight), _num(g.score),
                                   [indicator_view(by_name[i.name]) for i in group.indicators]))
        levels.append(LevelView(level.name, _num(level.weight), _num(subtotal.score), views))
    return levels


# -- whole pages -----------------------------------------------------------------------------


@dataclass
class BlockView:
    """A chapter, section or the intro as the HTML page shows it."""

    id: str
    level: int  # 0: the intro, 1: chapter, 2: section
    heading: str
    source: str | None
    html: Markup
    key: str = ""  # the outline key: annexes placed in this chapter follow it


def findings_html(findings: Sequence[Finding]) -> str:
    if not findings:
        return ""
    from .findings import finding_view

    template = environment().get_template("finding.html")
    return "".join(template.render(f=finding_view(f)) for f in findings)


def block_views(report: Report, pictures: Pictures, placed: dict[str, Placed] | None = None) -> list[BlockView]:
    """The intro and every block as HTML; `placed`: check findings by section file."""
    notes = Notes()
    root = report.paths.root
    views = []
    blocks: list[tuple[int, Block]] = [(0, report.intro)] if report.intro else []
    blocks += [(b.level, b) for b in report.blocks]
    for k, (level, block) in enumerate(blocks):
        bid = "intro" if level == 0 else f"b{k}"
        if block.source:
            base = (root / block.source).parent
            spot = (placed or {}).get(block.source)
            after = {i: findings_html(found) for i, found in spot.after.items()} if spot else {}
            html = render_body(block.tokens, pictures, base, notes, bid, after)
            html += findings_html(spot.end) if spot else ""
        else:
            html = "".join(f"<p>{escapeHtml(text)}</p>\n" for text in block.paragraphs)
        views.append(BlockView(bid, level, "" if level == 0 else block.heading, block.source, Markup(html),
                               block.key))
    return views


def _lines(text: str) -> Markup:
    return Markup("<br>").join(text.split("\n"))


@lru_cache(maxsize=1)
def environment() -> Environment:
    env = Environment(loader=FileSystemLoader(WEB), autoescape=True, undefined=StrictUndefined,
                      trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True,
                      bytecode_cache=bytecode_cache())
    env.filters["lines"] = _lines
    return env


@lru_cache(maxsize=4)
def asset(name: str) -> str:
    return (WEB / name).read_text(encoding="utf-8")


def render_report(report: Report, pictures: Pictures, findings: Sequence[Finding] = ()) -> str:
    """The report's part of the page: outline, the report itself and the score panel.

    `findings` (from `reportkit check`, the preview only): each one about a section line right
    after its paragraph, the others above the scores.
    """
    scores = report.scores
    placed, others, views, found = {}, [], [], ""
    if findings:
        from .findings import finding_view, place, summary

        placed, others = place(report, findings)
        views, found = [finding_view(f) for f in others], summary(findings)
    return environment().get_template("report.html").render(
        report=report, blocks=block_views(report, pictures, placed),
        annexes=annex_views(report), levels=score_view(scores),
        total=_num(scores.total), computed_total=_num(scores.computed_total)
        if scores.computed_total is not None and scores.computed_total != scores.total else None,
        notes=list(report.framework.notes), findings=views,
        findings_summary=found, placed=len(findings) - len(others),
    )


def annex_views(report: Report) -> list[dict]:
    """Each annex of the outline with its table: the scores table's rows, or the 自评表 grid."""
    views = []
    for part in report.annexes:
        view = {"part": part, "id": "annex" if part.table == "scores" else part.table}
        if part.table == "scores":
            view.update(header=annex_header(report), body=annex_body(report, part.total_row))
        else:
            view["grid"] = targets_grid(report.targets, report.cover["unit"], int(report.cover["year"]))
        views.append(view)
    return views


def render_error(message: str) -> str:
    """In place of the report when it cannot be built: the message, with file and line."""
    return environment().get_template("error.html").render(message=message)


def render_page(title: str, body: str, *, standalone: bool, version: int = 0, ok: bool = True,
                pictures_css: str = "") -> str:
    """The whole page around render_report (or render_error: ok=False)."""
    return environment().get_template("page.html").render(
        title=title, body=Markup(body), standalone=standalone, version=version, ok=ok,
        css=Markup(asset("report.css") + pictures_css) if standalone else "",
    )


def render_standalone(report: Report) -> str:
    """One file, nothing external: inline CSS, pictures embedded (each file's bytes once), no script."""
    pictures = Pictures(report.paths.root, embed=True)
    body, css = pictures.embed_into(render_report(report, pictures))
    return render_page(report.title, body, standalone=True, pictures_css=css)


def write_html(report: Report, path: Path) -> None:
    path.write_text(render_standalone(report), encoding="utf-8")
