"""汇总.html: one standalone page (no external files) with the sortable summary table, the
distribution of totals and of every indicator's score as inline SVG, and the units with the
most overrides first."""

from __future__ import annotations

from decimal import Decimal
from html import escape
from pathlib import Path
from typing import Any

from .table import COUNT, SCORE, Table, exceptions, failures, notes

STYLE = """
body{font-family:"Noto Sans CJK SC","Microsoft YaHei","PingFang SC",sans-serif;margin:24px;color:#222}
h1{font-size:22px}h2{font-size:18px;margin-top:32px;border-bottom:1px solid #ccc;padding-bottom:4px}
.summary{color:#555}
table{border-collapse:collapse;font-size:13px}
th,td{border:1px solid #ccc;padding:3px 6px}
th{background:#ddebf7;position:sticky;top:0;cursor:pointer;min-width:3em;max-width:9em;font-weight:600}
th[aria-sort=ascending]::after{content:" ▲"}th[aria-sort=descending]::after{content:" ▼"}
td.n{text-align:right;font-variant-numeric:tabular-nums}
td.absent{background:#f4f4f4;color:#999;text-align:center}
tr.failed td{background:#fde8e8}
.wide{overflow:auto;max-height:80vh}
.charts{display:flex;flex-wrap:wrap;gap:12px}
figure{margin:0;border:1px solid #ddd;padding:6px}figcaption{font-size:12px;max-width:260px}
figure.wide-chart{display:inline-block}figure.wide-chart figcaption{max-width:none}
svg text{font-size:10px;fill:#444}
"""

SCRIPT = """
document.querySelectorAll('table.sortable').forEach(function (table) {
  var heads = table.tHead.rows[0].cells;
  Array.prototype.forEach.call(heads, function (th, col) {
    th.addEventListener('click', function () {
      var down = th.getAttribute('aria-sort') === 'ascending';
      Array.prototype.forEach.call(heads, function (h) { h.removeAttribute('aria-sort'); });
      th.setAttribute('aria-sort', down ? 'descending' : 'ascending');
      var body = table.tBodies[0];
      var rows = Array.prototype.slice.call(body.rows);
      rows.sort(function (a, b) {
        var x = a.cells[col].getAttribute('data-v'), y = b.cells[col].getAttribute('data-v');
        if (x === '' || y === '') { return (x === '') - (y === ''); }  // empty cells last
        var p = Number(x), q = Number(y);
        var order = (isNaN(p) || isNaN(q)) ? x.localeCompare(y, 'zh') : p - q;
        return down ? -order : order;
      });
      rows.forEach(function (r) { body.appendChild(r); });
    });
  });
});
"""


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return f"{value.normalize():f}" if value == value.to_integral_value() else f"{value:.2f}"
    return str(value)


def _bins(values: list[Decimal], low: Decimal, high: Decimal, count: int) -> list[int]:
    width = (high - low) / count if high > low else Decimal(1)
    bins = [0] * count
    for v in values:
        i = int((v - low) / width) if high > low else 0
        bins[min(max(i, 0), count - 1)] += 1
    return bins


def histogram(values: list[Decimal], low: Decimal, high: Decimal, count: int, *,
              width: int = 560, height: int = 180, label: str = "", ticks: int = 10) -> str:
    """Bars of how many values fall in each of `count` equal bins between low and high."""
    bins = _bins(values, low, high, count)
    top = max(bins, default=0) or 1
    pad, axis = 24, 18
    step = (width - 2 * pad) / count
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
             f'viewBox="0 0 {width} {height}" role="img" aria-label="{escape(label)}">']
    plot = height - axis - 14
    for i, n in enumerate(bins):
        h = plot * n / top
        x, y = pad + i * step, 14 + plot - h
        edge = low + (high - low) * i / count
        parts.append(f'<rect x="{x + 1:.1f}" y="{y:.1f}" width="{max(step - 2, 1):.1f}" height="{h:.1f}" '
                     f'fill="#4a7ebb"><title>{_text(edge)}～{_text(low + (high - low) * (i + 1) / count)}：{n} 个</title></rect>')
        if n:
            parts.append(f'<text x="{x + step / 2:.1f}" y="{y - 2:.1f}" text-anchor="middle">{n}</text>')
    base = 14 + plot
    parts.append(f'<line x1="{pad}" y1="{base}" x2="{width - pad}" y2="{base}" stroke="#888"/>')
    every = -(-count // ticks)  # a label on every `every`-th bin edge, at most `ticks` of them
    for i in sorted({*range(0, count + 1, every), count}):
        value = low + (high - low) * i / count
        x = pad + step * i
        parts.append(f'<text x="{x:.1f}" y="{height - 4}" text-anchor="middle">{_text(value.quantize(Decimal("0.01")).normalize())}</text>')
    parts.append("</svg>")
    return "".join(parts)


def _total_chart(totals: list[Decimal]) -> str:
    if not totals:
        return "<p>没有生成成功的单位。</p>"
    low, high = min(totals), max(totals)
    step = next(s for s in (Decimal(1), Decimal(2), Decimal(5), Decimal(10)) if (high - low) / s <= 20)
    low = (low / step).to_integral_value(rounding="ROUND_FLOOR") * step
    high = max((high / step).to_integral_value(rounding="ROUND_CEILING") * step, low + step)
    count = int((high - low) / step)
    mean = sum(totals) / len(totals)
    return (f"<figure class=wide-chart>{histogram(totals, low, high, count, label='总分分布')}"
            f"<figcaption>{len(totals)} 个单位；最低 {_text(min(totals))}，最高 {_text(max(totals))}，"
            f"平均 {mean:.2f}；每格 {_text(step)} 分</figcaption></figure>")


def _indicator_charts(table: Table) -> str:
    """One small histogram per level and indicator column, from 0 to its full marks (the
    largest, when frameworks weigh it differently)."""
    figures = []
    for column in table.columns:
        if column.kind != SCORE or column.title == "总分":
            continue
        pairs = [(item["score"], item["weight"]) for r in table.results if r.summary
                 for item in r.summary["levels"] + r.summary["indicators"]
                 if item["name"] == column.title and item["score"] is not None]
        if not pairs:
            continue
        values = [v for v, _ in pairs]
        weights = sorted({w for _, w in pairs})
        mean = sum(values) / len(values)
        full = sum(1 for v, w in pairs if v >= w)
        caption = (f"{escape(column.title)}（满分 {' / '.join(_text(w) for w in weights)}）：{len(values)} 个单位，"
                   f"平均 {mean:.2f}，满分 {full} 个" + (f"；{escape('、'.join(column.absent))} 无此项" if column.absent else ""))
        chart = histogram(values, Decimal(0), weights[-1], 10, width=260, height=110, label=column.title, ticks=2)
        figures.append(f"<figure>{chart}<figcaption>{caption}</figcaption></figure>")
    return f'<div class="charts">{"".join(figures)}</div>'


def _cell(value: Any, kind: str, absent: bool) -> str:
    if absent:
        return '<td class="absent" data-v="" title="本单位的评价指标体系没有此项">—</td>'
    number = ' class="n"' if kind in (SCORE, COUNT) else ""
    shown = f"{value:.2f}" if kind == SCORE and value is not None else _text(value)
    return f'<td{number} data-v="{escape(_text(value))}">{escape(shown)}</td>'


def _summary_table(table: Table) -> str:
    head = "".join(f'<th title="{escape(c.note)}">{escape(c.title)}</th>' for c in table.columns)
    framework = next(i for i, c in enumerate(table.columns) if c.title == "评价指标体系")
    body = []
    for row, result in zip(table.rows, table.results, strict=True):
        cells = "".join(
            _cell(value, c.kind, row[framework] is not None and row[framework] in c.absent)
            for value, c in zip(row, table.columns, strict=True)
        )
        body.append(f'<tr{"" if result.ok else " class=failed"}>{cells}</tr>')
    return (f'<div class="wide"><table class="sortable" id="summary"><thead><tr>{head}</tr></thead>'
            f'<tbody>{"".join(body)}</tbody></table></div>')


def _most_overrides(table: Table, shown: int = 20) -> str:
    units = sorted((r for r in table.results if r.summary and r.summary["overrides"]),
                   key=lambda r: (-len(r.summary["overrides"]), r.unit.index))
    if not units:
        return "<p>没有单位覆盖计算得分。</p>"
    items = []
    for r in units[:shown]:
        entries = "".join(
            f"<li>{escape(e['indicator'])}：计算 {escape(_text(e['computed']) or '—')} → "
            f"{escape(_text(e['score']))}（{escape(e['reason'])}）</li>"
            for e in r.summary["overrides"]
        )
        items.append(f"<li><b>{escape(r.summary['unit'])}</b>：{len(r.summary['overrides'])} 项<ul>{entries}</ul></li>")
    more = f"<p>另有 {len(units) - shown} 个单位覆盖了得分，见下方“覆盖与差异”表。</p>" if len(units) > shown else ""
    return f"<ol id=overrides>{''.join(items)}</ol>{more}"


def _rows_table(heads: list[str], rows: list[list[Any]], ident: str) -> str:
    if not rows:
        return "<p>无。</p>"
    head = "".join(f"<th>{escape(h)}</th>" for h in heads)
    body = "".join(
        "<tr>" + "".join(f'<td data-v="{escape(_text(v))}">{escape(_text(v))}</td>' for v in row) + "</tr>"
        for row in rows
    )
    return f'<table class="sortable" id="{ident}"><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>'


def summary_html(table: Table, title: str = "绩效评价报告汇总") -> str:
    results = table.results
    ok = sum(1 for r in results if r.ok)
    totals = [r.summary["total"] for r in results if r.summary and r.summary["total"] is not None]
    said = "".join(f"<li>{escape(line)}</li>" for line in notes(table))
    return "\n".join([
        "<!DOCTYPE html>", '<html lang="zh-CN"><head><meta charset="utf-8">',
        f"<title>{escape(title)}</title><style>{STYLE}</style></head><body>",
        f"<h1>{escape(title)}</h1>",
        f'<p class="summary">共 {len(results)} 个单位：生成 {ok} 个，未生成 {len(results) - ok} 个。点击表头排序。</p>',
        f"<ul>{said}</ul>" if said else "",
        "<h2>总分分布</h2>", _total_chart(totals),
        "<h2>各指标得分分布</h2>", _indicator_charts(table),
        "<h2>覆盖计算得分最多的单位</h2>", _most_overrides(table),
        "<h2>汇总表</h2>", _summary_table(table),
        "<h2>覆盖与差异</h2>",
        _rows_table(["单位", "指标", "类型", "计算得分", "得分", "差值", "与计算不同", "原因"],
                    exceptions(results), "exceptions"),
        "<h2>未生成的单位</h2>", _rows_table(["单位", "目录", "状态", "说明"], failures(results), "failures"),
        f"<script>{SCRIPT}</script>", "</body></html>", "",
    ])


def write_page(table: Table, path: Path) -> None:
    path.write_text(summary_html(table), encoding="utf-8")
