"""Word files made from the seed texts by tools other than reportkit, for the import tests.

Each seed text (text extracted from a real report) becomes a .docx in three ways:

- ``soffice-text``: LibreOffice opens the plain text and saves it as Word: one paragraph per
  line, tables as tab-separated lines (tabs become spaces, empty cells vanish);
- ``pandoc-html``: an HTML page with real tables (tab-separated lines become rows; an empty
  first cell below a filled one becomes a vertical merge, as Word draws the annex), by pandoc;
- ``soffice-html``: the same page with ragged rows (the cells a vertical merge would cover are
  left out, not emptied, as pages saved by other programs have them), by LibreOffice.

A seed whose tables did not survive extraction as tab-separated lines (seed 002, from a PDF)
has its tables in ``<seed>-tables/*.tsv``, each replacing the lines from its first to its last line.
"""

from __future__ import annotations

import html
import shutil
import subprocess
import tempfile
from pathlib import Path

DATA = Path(__file__).parent / "data" / "import"
SEEDS = ("seed000", "seed001", "seed002")
TOOLS = ("soffice-text", "pandoc-html", "soffice-html")


def seed_text(seed: str) -> str:
    return (DATA / f"{seed}.txt").read_text(encoding="utf-8")


def _tables(seed: str) -> list[tuple[str, str, list[list[str]]]]:
    """(first line, last line, rows) of each table given separately for the seed."""
    out = []
    for tsv in sorted((DATA / f"{seed}-tables").glob("*.tsv")) if (DATA / f"{seed}-tables").is_dir() else []:
        lines = tsv.read_text(encoding="utf-8").split("\n")
        first, last = lines[0].removeprefix("# from: "), lines[1].removeprefix("# to: ")
        rows = [line.split("\t") for line in lines[2:] if line.strip()]
        out.append((first.strip(), last.strip(), rows))
    return out


def blocks(seed: str) -> list[tuple[str, object]]:
    """The seed as ("p", text) and ("table", rows) blocks, in reading order."""
    lines = seed_text(seed).split("\n")
    out: list[tuple[str, object]] = []
    replaced = _tables(seed)
    i = 0
    while i < len(lines):
        line = lines[i].rstrip()
        hit = next((t for t in replaced if line.strip() == t[0]), None)
        if hit is not None:
            j = next(k for k in range(i, len(lines)) if lines[k].strip() == hit[1])
            out.append(("table", hit[2]))
            i = j + 1
            continue
        if "\t" in line:
            rows = []
            while i < len(lines) and "\t" in lines[i]:
                rows.append(lines[i].rstrip("\n").split("\t"))
                i += 1
            out.append(("table", rows))
            continue
        if line.strip():
            out.append(("p", line.strip()))
        i += 1
    return out


def _cell(text: str, **attrs: int) -> str:
    extra = "".join(f' {k}="{v}"' for k, v in attrs.items() if v > 1)
    return f"<td{extra}>{html.escape(text.strip())}</td>"


def table_html(rows: list[list[str]], ragged: bool) -> str:
    width = max(len(r) for r in rows)
    grid = [r + [""] * (width - len(r)) for r in rows]
    out = ["<table border=\"1\">"]
    # a column's empty cells under a filled one (in the first columns) are covered by a merge
    covered = [[False] * width for _ in grid]
    spans = [[1] * width for _ in grid]
    for col in range(min(width, 4)):
        top = None
        for r, row in enumerate(grid):
            if row[col].strip():
                top = r
            elif top is not None and any(c.strip() for c in row[col + 1:]) and col < _first_filled(row):
                covered[r][col] = True
                spans[top][col] += 1
            else:
                top = None
    for r, row in enumerate(grid):
        cells = []
        for col, text in enumerate(row):
            if covered[r][col]:
                continue  # left out: a rowspan above covers it, or (ragged) nothing does
            cells.append(_cell(text) if ragged else _cell(text, rowspan=spans[r][col]))
        out.append("<tr>" + "".join(cells) + "</tr>")
    out.append("</table>")
    return "\n".join(out)


def _first_filled(row: list[str]) -> int:
    return next((i for i, c in enumerate(row) if c.strip()), len(row))


def page(seed: str, ragged: bool) -> str:
    body = []
    for kind, value in blocks(seed):
        body.append(f"<p>{html.escape(value)}</p>" if kind == "p" else table_html(value, ragged))
    return ("<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title></title></head><body>\n"
            + "\n".join(body) + "\n</body></html>\n")


def soffice(source: Path, out: Path, infilter: str | None = None) -> Path:
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        raise RuntimeError("LibreOffice (soffice) is needed to make the seed Word files: apt-get install libreoffice-writer")
    with tempfile.TemporaryDirectory(prefix="seed-words-") as work:
        args = [soffice, f"-env:UserInstallation={(Path(work) / 'profile').as_uri()}", "--headless"]
        if infilter:
            args.append(f"--infilter={infilter}")
        args += ["--convert-to", "docx:MS Word 2007 XML", "--outdir", work, str(source)]
        subprocess.run(args, check=True, capture_output=True, timeout=180)
        made = Path(work) / (source.stem + ".docx")
        shutil.move(made, out)
    return out


def make(seed: str, tool: str, out_dir: Path) -> Path:
    """The seed as a Word file made by `tool`, in out_dir."""
    out_dir.mkdir(parents=True, exist_ok=True)
    out = out_dir / f"{seed}-{tool}.docx"
    if tool == "soffice-text":
        source = out_dir / f"{seed}.txt"
        source.write_text(seed_text(seed), encoding="utf-8")
        return soffice(source, out, "Text (encoded):UTF8,,,")
    if tool == "pandoc-html":
        import pypandoc

        pypandoc.convert_text(page(seed, ragged=False), "docx", format="html", outputfile=str(out))
        return out
    if tool == "soffice-html":
        source = out_dir / f"{seed}.html"
        source.write_text(page(seed, ragged=True), encoding="utf-8")
        return soffice(source, out, "HTML (StarWriter)")
    raise ValueError(tool)
