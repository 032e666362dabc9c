"""Issue 14: the Word XML a careful hand-made report has, checked in the XML itself
(LibreOffice's substitutes would hide a font that did not apply).

The example report and a robustness report (long table, nested lists, long address, picture,
footnote, code, quote) are built once; every built docx also passes openxml-audit (strict),
ooxml-integrity, python-docx and docx2python through conftest.py.
"""

from __future__ import annotations

import math
import re
import shutil
import zipfile
from pathlib import Path

import pytest
from docx2python import docx2python
from lxml import etree
from ooxml_checks import docx_problems

from reportkit.build import build

REPO = Path(__file__).parent.parent
DATA = Path(__file__).parent / "data"
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
AMBIGUOUS = "“”‘’—…·"
CJK = re.compile("[\u4e00-\u9fff]")

ROBUST = """全年共开展“三公”经费检查 12 次——覆盖全部处室…详见[市财政局绩效管理专栏](https://czj.example.gov.cn/zwgk/jxgl/2023/index.html?from=report&section=budget-performance-evaluation)[^1]。

[^1]: 依据《青岚市市级部门整体支出绩效评价管理办法》（青财绩〔2021〕5号）。

1. 加强预算编制
   - 细化项目支出
     - 逐项核对单价
   - 压缩一般性支出
2. 强化执行监控

> 引用的一段“评价意见”。

```
预算执行率 = 支出 / 调整后预算
```

![预算执行趋势图](images/chart.png)

表3-1 项目支出明细

单位：万元

| 序号 | 项目名称 | 预算数 | 支出数 | 执行率 |
|---|---|---|---|---|
""" + "".join(f"| {k} | 第{k}个水利工程建设与运行维护项目 | {1000 + k}.50 | {900 + k}.25 | {80 + k % 20}.5% |\n"
              for k in range(1, 61))


def _sections(path: Path) -> list[etree._Element]:
    return list(etree.fromstring(_part(path, "word/document.xml")).iter(W + "sectPr"))


def _part(path: Path, name: str) -> bytes:
    with zipfile.ZipFile(path) as package:
        return package.read(name)


def _docx(root: Path) -> Path:
    return next((root / "build").glob("*.docx"))


@pytest.fixture(scope="module")
def example(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("example")
    shutil.copytree(REPO / "content", root / "content")
    build(root)
    return _docx(root)


@pytest.fixture(scope="module")
def robust(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("robust") / "mini"
    shutil.copytree(DATA / "mini", root)
    (root / "content" / "3-1-经验做法.md").write_text(ROBUST, encoding="utf-8")
    build(root)
    return _docx(root)


@pytest.fixture(scope="module")
def body(example: Path) -> etree._Element:
    return etree.fromstring(_part(example, "word/document.xml"))


# -- the independent readers ----------------------------------------------------------------

@pytest.mark.parametrize("which", ["example", "robust"])
def test_schema_valid_and_read_back(which: str, request) -> None:
    path = request.getfixturevalue(which)
    assert docx_problems(path) == []
    with docx2python(str(path)) as read:
        text = read.text
    assert "一、部门基本情况" in text


def test_footnotes_declare_r_and_read_back(robust: Path) -> None:
    notes = etree.fromstring(_part(robust, "word/footnotes.xml"))
    assert notes.nsmap.get("r") == R
    with docx2python(str(robust)) as read:
        assert "青财绩〔2021〕5号" in read.text


# -- 1. CJK punctuation -----------------------------------------------------------------------

def test_cjk_punctuation_runs_carry_the_east_asian_hint(body: etree._Element) -> None:
    marked = unmarked = 0
    for p in body.iter(W + "p"):
        runs = list(p.iter(W + "r"))
        texts = ["".join(t.text or "" for t in r.iter(W + "t")) for r in runs]
        if not any(CJK.search(t) for t in texts):
            continue
        for r, text in zip(runs, texts, strict=True):
            if any(c in AMBIGUOUS for c in text):
                fonts = r.find(f"{W}rPr/{W}rFonts")
                if fonts is not None and fonts.get(W + "hint") == "eastAsia":
                    marked += text.count("“") + text.count("”")
                else:
                    unmarked += 1
    assert unmarked == 0
    assert marked >= 132  # the 66 pairs of quotes of the example


def test_hint_keeps_latin_fonts_and_schema_order(robust: Path) -> None:
    root = etree.fromstring(_part(robust, "word/document.xml"))
    for fonts in root.iter(W + "rFonts"):
        if fonts.get(W + "hint"):
            assert fonts.get(W + "ascii") is None  # digits and letters keep Times New Roman
            rpr = fonts.getparent()
            assert rpr[0].tag in (W + "rFonts", W + "rStyle")


# -- 2. font table --------------------------------------------------------------------------

def test_font_table_names_the_alternates(example: Path) -> None:
    fonts = {f.get(W + "name"): f for f in etree.fromstring(_part(example, "word/fontTable.xml"))}
    for name, alt in (("仿宋_GB2312", "仿宋"), ("楷体_GB2312", "楷体"), ("方正小标宋简体", "宋体"),
                      ("黑体", "SimHei"), ("宋体", "SimSun")):
        font = fonts[name]
        assert font.find(W + "altName").get(W + "val") == alt
        assert font.find(W + "charset").get(W + "val") == "86"  # GB2312
        assert re.fullmatch("[0-9A-F]{20}", font.find(W + "panose1").get(W + "val"))
    assert fonts["Times New Roman"].find(W + "charset").get(W + "val") == "00"
    rels = _part(example, "word/_rels/document.xml.rels").decode()
    assert "relationships/fontTable" in rels


# -- 3. the 28 × 22 grid --------------------------------------------------------------------

def test_portrait_pages_have_28_characters_by_22_lines(example: Path) -> None:
    portrait = [s for s in _sections(example) if s.find(W + "pgSz").get(W + "orient") != "landscape"]
    assert portrait
    for sect in portrait:
        size, margins, grid = sect.find(W + "pgSz"), sect.find(W + "pgMar"), sect.find(W + "docGrid")
        width = int(size.get(W + "w")) - int(margins.get(W + "left")) - int(margins.get(W + "right"))
        height = int(size.get(W + "h")) - int(margins.get(W + "top")) - int(margins.get(W + "bottom"))
        assert grid.get(W + "type") == "linesAndChars"
        pitch = 16 + int(grid.get(W + "charSpace")) / 4096  # points: 三号 plus the grid's change
        assert math.floor(width / 20 / pitch) == 28
        assert height // int(grid.get(W + "linePitch")) == 22


def test_text_off_the_grid_keeps_its_own_size(example: Path) -> None:
    styles = etree.fromstring(_part(example, "word/styles.xml"))
    names = {s.find(W + "name").get(W + "val"): s for s in styles.iter(W + "style")}
    for name in ("表格文字", "附表文字", "caption", "附注", "代码", "footnote text", "封面标题"):
        style = names[name]
        while style.find(f"{W}pPr/{W}snapToGrid") is None:  # inherited
            based = style.find(W + "basedOn").get(W + "val")
            style = next(s for s in styles.iter(W + "style") if s.get(W + "styleId") == based)
        assert style.find(f"{W}pPr/{W}snapToGrid").get(W + "val") == "0", name


# -- 4. tables ------------------------------------------------------------------------------

def _tables(root: etree._Element) -> list[etree._Element]:
    return list(root.iter(W + "tbl"))


def _cell_texts(tr: etree._Element) -> list[str]:
    return ["".join(t.text or "" for t in tc.iter(W + "t")) for tc in tr.iter(W + "tc")]


def test_every_row_stays_whole_and_headers_repeat(body: etree._Element) -> None:
    tables = _tables(body)
    assert len(tables) >= 4
    for tbl in tables:
        rows = tbl.findall(W + "tr")
        assert all(tr.find(f"{W}trPr/{W}cantSplit") is not None for tr in rows)
        assert rows[0].find(f"{W}trPr/{W}tblHeader") is not None, _cell_texts(rows[0])
    annex = next(t for t in tables if "评价指标" in _cell_texts(t.find(W + "tr")))
    assert [tr.find(f"{W}trPr/{W}tblHeader") is not None for tr in annex.findall(W + "tr")[:4]] == [
        True, True, True, False]
    targets = next(t for t in tables if "部门（单位）名称" in _cell_texts(t.find(W + "tr")))
    assert targets.findall(W + "tr")[0].find(f"{W}trPr/{W}tblHeader") is not None


def _widths(tbl: etree._Element) -> list[int]:
    return [int(c.get(W + "w")) for c in tbl.iter(W + "gridCol")]


def test_column_widths_follow_the_content(body: etree._Element, robust: Path) -> None:
    units = next(t for t in _tables(body) if _cell_texts(t.find(W + "tr"))[:2] == ["内设机构", "主要职能"])
    first, second = _widths(units)
    assert first < second  # the long duties get the room, not half of it
    assert first + second == 8845
    root = etree.fromstring(_part(robust, "word/document.xml"))
    items = next(t for t in _tables(root) if _cell_texts(t.find(W + "tr"))[0] == "序号")
    widths = _widths(items)
    assert widths[0] < 8845 // 5 and widths[1] == max(widths)  # 序号 narrow, 项目名称 wide
    assert sum(widths) == 8845


def test_numbers_are_right_aligned(body: etree._Element) -> None:
    quarterly = next(t for t in _tables(body) if _cell_texts(t.find(W + "tr"))[0] == "季度")
    rows = quarterly.findall(W + "tr")
    for tr in rows[1:5]:
        paragraphs = [tc.find(W + "p") for tc in tr.iter(W + "tc")]
        aligns = [p.find(f"{W}pPr/{W}jc") for p in paragraphs]
        values = [a.get(W + "val") if a is not None else None for a in aligns]
        assert values[0] in (None, "left") and set(values[1:]) == {"right"}, values
    head = [tc.find(W + "p").find(f"{W}pPr/{W}jc") for tc in rows[0].iter(W + "tc")]
    assert all(j is None or j.get(W + "val") != "right" for j in head)  # headings stay centred


def test_annex_notes_are_kept_with_the_last_rows(body: etree._Element) -> None:
    annex = next(t for t in _tables(body) if "评价指标" in _cell_texts(t.find(W + "tr")))
    last = annex.findall(W + "tr")[-1]
    assert all(p.find(f"{W}pPr/{W}keepNext") is not None for p in last.iter(W + "p"))
    for tc in annex.iter(W + "tc"):
        merge = tc.find(f"{W}tcPr/{W}vMerge")
        if merge is not None:  # merged 一级/二级 cells centred like the others
            assert tc.find(f"{W}tcPr/{W}vAlign").get(W + "val") == "center"


def test_vertical_labels_have_room(body: etree._Element) -> None:
    targets = next(t for t in _tables(body) if "部门（单位）名称" in _cell_texts(t.find(W + "tr")))
    rows = targets.findall(W + "tr")
    for k, tr in enumerate(rows):
        for tc in tr.iter(W + "tc"):
            if tc.find(f"{W}tcPr/{W}textDirection") is None:
                continue
            label = "".join(t.text for t in tc.iter(W + "t"))
            span = 1
            while k + span < len(rows):
                first = rows[k + span].find(W + "tc")
                if first.find(f"{W}tcPr/{W}vMerge") is None or first.find(f"{W}tcPr/{W}vMerge").get(W + "val"):
                    break
                span += 1
            least = sum(int(rows[j].find(f"{W}trPr/{W}trHeight").get(W + "val")) for j in range(k, k + span))
            assert least >= len(label) * 210, label


# -- 7. lists, links, pictures, code ---------------------------------------------------------

def test_robust_report_elements(robust: Path) -> None:
    root = etree.fromstring(_part(robust, "word/document.xml"))
    rels = _part(robust, "word/_rels/document.xml.rels").decode()
    assert "https://czj.example.gov.cn/zwgk/jxgl/2023/index.html" in rels and 'TargetMode="External"' in rels
    texts = ["".join(t.text or "" for t in p.iter(W + "t")) for p in root.iter(W + "p")]
    assert any(t.startswith("图") and t.endswith("预算执行趋势图") for t in texts)
    assert any("（https://czj.example.gov.cn/zwgk/jxgl/2023/index.html?from=report" in t for t in texts)
    styles = {p.find(f"{W}pPr/{W}pStyle").get(W + "val") for p in root.iter(W + "p")
              if p.find(f"{W}pPr/{W}pStyle") is not None}
    assert {"List", "List2", "List3", "Quote", "Code", "Figure", "FigureCaption"} <= styles


# -- 9. package -----------------------------------------------------------------------------

def test_app_properties_name_reportkit(example: Path) -> None:
    app = _part(example, "docProps/app.xml").decode()
    assert "<Application>reportkit</Application>" in app
    assert "Macintosh" not in app and "<Pages>" not in app


def test_widow_control_is_explicit(example: Path) -> None:
    styles = etree.fromstring(_part(example, "word/styles.xml"))
    normal = next(s for s in styles.iter(W + "style") if s.get(W + "styleId") == "Normal")
    assert normal.find(f"{W}pPr/{W}widowControl") is not None


# -- 6. table of contents ------------------------------------------------------------------

@pytest.fixture(scope="module")
def with_toc(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("toc") / "mini"
    shutil.copytree(DATA / "mini", root)  # reportkit.yaml: toc: true
    build(root)
    return _docx(root)


@pytest.mark.needs("soffice")
def test_toc_has_entries_and_page_numbers_without_the_update_prompt(with_toc: Path) -> None:
    root = etree.fromstring(_part(with_toc, "word/document.xml"))
    styles = {s.get(W + "styleId"): s.find(W + "name").get(W + "val")
              for s in etree.fromstring(_part(with_toc, "word/styles.xml")).iter(W + "style")}
    entries = [p for p in root.iter(W + "p") if p.find(f"{W}pPr/{W}pStyle") is not None
               and styles[p.find(f"{W}pPr/{W}pStyle").get(W + "val")] in ("toc 1", "toc 2")]
    texts = ["".join(t.text or "" for t in p.iter(W + "t")) for p in entries]
    assert texts[0].startswith("一、部门基本情况") and any(t.startswith("附件") for t in texts)
    assert all(re.search(r"\d+$", t) for t in texts), texts  # every entry has its page
    pages = [int(re.search(r"\d+$", t).group()) for t in texts]
    assert pages == sorted(pages) and pages[0] >= 1
    for p in entries:  # a link to a bookmark on the heading, with a PAGEREF Word can refresh
        link = p.find(W + "hyperlink")
        name = link.get(W + "anchor")
        assert root.find(f".//{W}bookmarkStart[@{W}name='{name}']") is not None
        assert f"PAGEREF {name}" in "".join(i.text for i in link.iter(W + "instrText"))
    assert "TOC " in "".join(i.text for i in entries[0].iter(W + "instrText"))
    assert "updateFields" not in _part(with_toc, "word/settings.xml").decode()


def test_without_libreoffice_word_is_asked_to_fill_the_toc(tmp_path: Path, monkeypatch) -> None:
    import reportkit.render as render

    monkeypatch.setattr(render, "toc_pages", lambda docx: None)
    root = tmp_path / "mini"
    shutil.copytree(DATA / "mini", root)
    build(root)
    assert '<w:updateFields w:val="true"/>' in _part(_docx(root), "word/settings.xml").decode()


# -- 8. a template re-saved by LibreOffice -----------------------------------------------------

@pytest.mark.needs("soffice")
def test_a_template_resaved_by_libreoffice_keeps_its_sections(tmp_path: Path) -> None:
    """LibreOffice moves each section break onto the section's last paragraph, a {%p …%} or
    {{p …}} line that rendering removes: the report kept only the landscape section."""
    import subprocess

    from reportkit.render.docx.render import default_template

    root = tmp_path / "mini"
    shutil.copytree(DATA / "mini", root)
    subprocess.run(["soffice", f"-env:UserInstallation={(tmp_path / 'profile').as_uri()}", "--headless",
                    "--convert-to", "docx:MS Word 2007 XML", "--outdir", str(tmp_path / "lo"),
                    str(default_template())], check=True, capture_output=True, timeout=180)
    shutil.copyfile(tmp_path / "lo" / "report.docx", root / "lo.docx")
    (root / "reportkit.yaml").write_text("toc: true\ntemplate: lo.docx\n", encoding="utf-8")
    build(root)
    sections = _sections(_docx(root))
    assert len(sections) >= 4  # cover, contents, body, annex
    orient = [s.find(W + "pgSz").get(W + "orient") for s in sections]
    assert orient[:-1] == [None] * (len(sections) - 1) and orient[-1] == "landscape"
    body = next(s for s in sections if s.find(W + "footerReference") is not None)
    assert body.find(W + "pgNumType").get(W + "start") == "1"  # the body counts from — 1 —
