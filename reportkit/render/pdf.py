"""PDF through LibreOffice (`soffice --headless`), when it is installed.

The official fonts (仿宋_GB2312, 黑体, 楷体_GB2312, 方正小标宋简体) are not free and are missing
on Linux, where fontconfig would hand every one of them the same fallback (Noto Sans CJK JP):
body, headings and title would look alike. LibreOffice runs with a fontconfig configuration of
our own (FONTCONFIG_FILE) that maps each to a free font of its kind, in its simplified-Chinese
form: Song and FangSong to a serif, Hei to a sans, Kai to a Kai.
"""

from __future__ import annotations

import functools
import hashlib
import html
import json
import math
import os
import shutil
import subprocess
import tempfile
import zipfile
from pathlib import Path

from ..errors import ReportError

TIMEOUT_SECONDS = 180
PDF_MISSING = "未找到 LibreOffice（soffice），无法生成 PDF"
PDF_HINT = (
    "安装 LibreOffice（Debian/Ubuntu：apt-get install libreoffice-writer；"
    "Windows/macOS：从 libreoffice.org 安装）后重试，或去掉 --pdf"
)


# Official font → free fonts to use, best first (Debian: fonts-noto-cjk, fonts-arphic-ukai).
# cwTeX 仿宋 (fonts-cwtex-fs) looks closest to FangSong but lacks a third of the simplified
# characters of a report, so FangSong takes the serif. 小标宋 is a heavy Song: the serif, bold.
SERIF = ("Noto Serif CJK SC", "AR PL UMing CN", "Source Han Serif SC")
SANS = ("Noto Sans CJK SC", "Source Han Sans SC", "WenQuanYi Zen Hei")
KAI = ("AR PL UKai CN", "AR PL KaitiM GB", "Noto Serif CJK SC")
FONT_MAP: dict[str, tuple[tuple[str, ...], bool]] = {
    **{name: (SERIF, False) for name in ("仿宋_GB2312", "仿宋", "FangSong", "FangSong_GB2312",
                                         "宋体", "SimSun", "新宋体", "NSimSun")},
    **{name: (SERIF, True) for name in ("方正小标宋简体", "方正小标宋_GBK", "小标宋")},
    **{name: (SANS, False) for name in ("黑体", "SimHei", "方正黑体_GBK", "微软雅黑", "Microsoft YaHei")},
    **{name: (KAI, False) for name in ("楷体_GB2312", "楷体", "KaiTi", "KaiTi_GB2312")},
}


def fontconfig_xml(base: str | None = None) -> str:
    """A fontconfig configuration: the system's (or `base`), then the official-font mapping."""
    base = base or os.environ.get("FONTCONFIG_FILE") or "/etc/fonts/fonts.conf"
    rules = []
    for name, (families, bold) in FONT_MAP.items():
        prefer = "".join(f"<string>{html.escape(f, quote=False)}</string>" for f in families)
        weight = '<edit name="weight" mode="assign"><const>bold</const></edit>' if bold else ""
        rules.append(
            f'<match target="pattern"><test name="family"><string>{html.escape(name, quote=False)}</string></test>'
            f'<edit name="family" mode="assign" binding="strong">{prefer}</edit>{weight}</match>'
        )
    return (
        '<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "urn:fontconfig:fonts.dtd">\n'
        f'<fontconfig><include ignore_missing="yes">{html.escape(base, quote=False)}</include>'
        + "".join(rules) + "</fontconfig>\n"
    )


_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def grid_as_spacing(docx: Path) -> None:
    """Express a compressed character grid as character spacing, in place, for LibreOffice.

    Word fits 28 characters of 三号 on a 156 mm line by drawing each at the grid pitch
    (w:charSpace < 0). LibreOffice gives a character that is wider than its grid cell two cells,
    so it would set 14 to the line; a line grid plus the same narrowing as letter spacing on the
    styles that snap to the grid lays the page out as Word does.
    """
    from lxml import etree

    with zipfile.ZipFile(docx) as package:
        parts = {i.filename: package.read(i.filename) for i in package.infolist()}
    document = etree.fromstring(parts["word/document.xml"])
    narrowing = 0
    for grid in document.iter(_W + "docGrid"):
        space = int(grid.get(_W + "charSpace") or 0)
        if grid.get(_W + "type") in ("linesAndChars", "snapToChars") and space < 0:
            narrowing = min(narrowing, math.floor(space * 20 / 4096))  # twentieths of a point
            grid.set(_W + "type", "lines")
            del grid.attrib[_W + "charSpace"]
    if not narrowing:
        return
    styles = etree.fromstring(parts["word/styles.xml"])
    by_id = {s.get(_W + "styleId"): s for s in styles.iter(_W + "style")}

    def snaps(style, seen=()) -> bool:
        flag = style.find(f"{_W}pPr/{_W}snapToGrid")
        if flag is not None:
            return flag.get(_W + "val") not in ("0", "false", "off")
        based = style.find(_W + "basedOn")
        parent = by_id.get(based.get(_W + "val")) if based is not None else None
        return True if parent is None or parent in seen else snaps(parent, (*seen, style))

    for style in by_id.values():
        if style.get(_W + "type") != "paragraph" or not snaps(style):
            continue
        rpr = style.find(_W + "rPr")
        if rpr is None:
            rpr = etree.SubElement(style, _W + "rPr")
        if rpr.find(_W + "spacing") is None:
            spacing = etree.Element(_W + "spacing", {_W + "val": str(narrowing)})
            # schema order: the spacing comes before w, kern, position, sz … and after color etc.
            later = [c for c in rpr if etree.QName(c).localname in _AFTER_SPACING]
            (later[0].addprevious(spacing) if later else rpr.append(spacing))
    parts["word/document.xml"] = etree.tostring(document, xml_declaration=True, encoding="UTF-8",
                                                standalone=True)
    parts["word/styles.xml"] = etree.tostring(styles, xml_declaration=True, encoding="UTF-8",
                                              standalone=True)
    with zipfile.ZipFile(docx, "w", zipfile.ZIP_DEFLATED) as package:
        for name, data in parts.items():
            package.writestr(name, data)


_AFTER_SPACING = {"w", "kern", "position", "sz", "szCs", "highlight", "u", "effect", "bdr", "shd",
                  "fitText", "vertAlign", "rtl", "cs", "em", "lang", "eastAsianLayout", "specVanish",
                  "oMath"}


def find_soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


UNO_SCRIPT = Path(__file__).parent / "office" / "uno_export.py"


@functools.cache
def uno_python(soffice: str) -> str | None:
    """A Python that has LibreOffice's `uno` module: LibreOffice's own (Windows, macOS) or the
    system's with python3-uno (Debian); None when there is none."""
    program = Path(soffice).resolve().parent
    candidates = [program / "python", program / "python.exe", Path("/usr/bin/python3"),
                  Path(shutil.which("python3") or "/nonexistent")]
    for python in candidates:
        if not python.is_file():
            continue
        try:
            done = subprocess.run([str(python), "-c", "import uno"], capture_output=True, timeout=30)
        except (OSError, subprocess.TimeoutExpired):
            continue
        if done.returncode == 0:
            return str(python)
    return None


def _toc_complete(docx: Path) -> bool:
    """Whether the document's TOC entries all carry a page number (reportkit wrote them)."""
    from lxml import etree

    with zipfile.ZipFile(docx) as package:
        root = etree.fromstring(package.read("word/document.xml"))
    refs = [p for p in root.iter(_W + "p")
            if any("PAGEREF" in (i.text or "") for i in p.iter(_W + "instrText"))]
    return bool(refs) and all("".join(t.text or "" for t in p.iter(_W + "t")).strip()[-1:].isdigit()
                              for p in refs)


def _libreoffice(docx: Path, pdf: Path | None) -> list[tuple[str, str]] | None:
    """Lay `docx` out in LibreOffice: the PDF if asked, and the table of contents' entries with
    their page numbers (None when LibreOffice's Python bridge is missing: a plain conversion)."""
    soffice = find_soffice()
    if soffice is None:
        raise ReportError(PDF_MISSING, expected=PDF_HINT)
    python = uno_python(soffice)
    if python is None and pdf is None:
        return None
    # A private profile, so a running LibreOffice does not interfere.
    with tempfile.TemporaryDirectory(prefix="reportkit-pdf-") as tmp:
        work = Path(tmp)
        source = work / "report.docx"
        shutil.copyfile(docx, source)
        grid_as_spacing(source)
        profile = (work / "profile").as_uri()
        produced = work / "report.pdf"
        if python is not None:
            # The entries reportkit wrote (with the 附件 labels) are kept; others are updated.
            update = "keep" if pdf is not None and _toc_complete(source) else "update"
            command = [python, str(UNO_SCRIPT), soffice, profile, str(source),
                       str(produced) if pdf is not None else "-", update]
        else:
            command = [soffice, f"-env:UserInstallation={profile}", "--headless",
                       "--convert-to", "pdf", "--outdir", str(work), str(source)]
        fonts_conf = work / "fonts.conf"
        fonts_conf.write_text(fontconfig_xml(), encoding="utf-8")
        env = {**os.environ, "FONTCONFIG_FILE": str(fonts_conf)}
        try:
            done = subprocess.run(command, capture_output=True, timeout=TIMEOUT_SECONDS, check=False,
                                  env=env)
        except subprocess.TimeoutExpired:
            raise ReportError(f"LibreOffice 转换 PDF 超过 {TIMEOUT_SECONDS} 秒仍未完成") from None
        if done.returncode != 0 or (pdf is not None and not produced.is_file()):
            detail = (done.stderr or done.stdout).decode("utf-8", "replace").strip()[-500:]
            raise ReportError(f"LibreOffice 未能生成 PDF：{detail or '无输出'}")
        if pdf is not None:
            shutil.copyfile(produced, pdf)
        if python is None:
            return None
        try:
            return [(str(t), str(n)) for t, n in json.loads(done.stdout.decode("utf-8").strip().splitlines()[-1])]
        except (ValueError, IndexError, TypeError):
            return None


def docx_to_pdf(docx: Path, pdf: Path) -> None:
    """The PDF, its table of contents updated (page numbers and leaders) where the Python bridge is."""
    _libreoffice(docx, pdf)


def toc_pages(docx: Path) -> list[tuple[str, str]] | None:
    """The table of contents as LibreOffice lays the document out: (entry, page number) in
    order; None when LibreOffice or its Python bridge is missing.

    Kept in the user's cache by the file's digest (the docx is reproducible): an unchanged
    report does not start LibreOffice again."""
    soffice = find_soffice()
    if soffice is None:
        return None
    from ..codecache import cache_dir

    key = hashlib.sha256(docx.read_bytes() + soffice.encode() + fontconfig_xml().encode()).hexdigest()
    folder = cache_dir()
    entry = folder / "toc" / f"{key}.json" if folder else None
    if entry is not None and entry.is_file():
        try:
            return [(str(t), str(n)) for t, n in json.loads(entry.read_text(encoding="utf-8"))]
        except (OSError, ValueError, TypeError):
            pass
    pages = _libreoffice(docx, None)
    if entry is not None and pages is not None:
        try:
            entry.parent.mkdir(parents=True, exist_ok=True)
            entry.write_text(json.dumps(pages, ensure_ascii=False), encoding="utf-8")
        except OSError:
            pass  # a read-only cache only costs time
    return pages
