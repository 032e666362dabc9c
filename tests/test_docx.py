"""The Word output: structure, annex, styles, reproducibility and templates, read back with python-docx."""

from __future__ import annotations

import hashlib
import json
import shutil
import zipfile
from datetime import datetime
from pathlib import Path

import pytest
from conftest import write_sections
from docx import Document
from docx.oxml.ns import qn

from reportkit.build import build
from reportkit.cli import main
from reportkit.errors import ReportError
from reportkit.load.outline import OUTLINE
from reportkit.render.docx.render import default_template

DATA = Path(__file__).parent / "data"
TITLE = "2021年度部门整体绩效评价报告"


def _copy(tmp: Path, name: str = "mini") -> Path:
    root = tmp / name
    shutil.copytree(DATA / name, root)
    return root


def _docx(root: Path) -> Path:
    return root / "build" / f"{TITLE}.docx"


@pytest.fixture(scope="module")
def mini(tmp_path_factory: pytest.TempPathFactory):
    """The mini report built once: (build result, python-docx Document, docx path)."""
    root = _copy(tmp_path_factory.mktemp("docx"))
    result = build(root)
    path = _docx(root)
    return result, Document(str(path)), path


def _styled(document, *styles: str) -> list[tuple[str, str]]:
    return [(p.style.name, p.text) for p in document.paragraphs if p.style.name in styles]


def _xml(path: Path, member: str) -> str:
    with zipfile.ZipFile(path) as package:
        return package.read(member).decode("utf-8")


# -- structure ----------------------------------------------------------------------------

def test_fixed_headings_in_order_with_their_styles(mini) -> None:
    result, document, _ = mini
    headings = _styled(document, "Heading 1", "Heading 2")
    expected = []
    for chapter in OUTLINE:
        expected.append(("Heading 1", chapter.number + chapter.title.replace("{主体}", "部门")))
        for section in chapter.sections:
            title = section.title.replace("{主体}", "部门").replace("{year}", "2021")
            expected.append(("Heading 2", section.number + title))
    assert headings == expected
    assert headings[0] == ("Heading 1", "一、部门基本情况")
    assert headings[1] == ("Heading 2", "（一）部门主要职能")
    assert [h for _, h in headings] == [b.heading for b in result.report.blocks]


def test_headings_inside_sections_are_levels_3_and_4(mini) -> None:
    _, document, _ = mini
    inner = _styled(document, "Heading 3", "Heading 4")
    assert inner[:4] == [("Heading 3", "1. 年度总体工作"), ("Heading 3", "2. 重点工作任务"),
                         ("Heading 3", "1. 资金管理"), ("Heading 4", "（1）预算执行")]


def test_cover_intro_and_chapter_four(mini) -> None:
    _, document, _ = mini
    assert _styled(document, "封面标题") == [("封面标题", TITLE)]
    assert [t for _, t in _styled(document, "封面信息")] == [
        "部门名称（公章）：深圳市人民政府口岸办公室", "填报人：姜海洋", "联系电话：83758561"]
    texts = [p.text for p in document.paragraphs if not p.style.name.startswith("toc")]
    intro = next(i for i, t in enumerate(texts) if t.startswith("根据市财政局"))
    assert intro < texts.index("一、部门基本情况")
    four = texts.index("四、部门整体支出绩效评价指标评分情况")
    assert texts[four + 1].startswith("我办参照《2021年部门整体支出绩效评价共性指标体系框架》进行自评，此次自评评分为 93.78 分")


def test_markdown_elements(mini) -> None:
    _, document, path = mini
    styled = {t: s for s, t in ((p.style.name, p.text) for p in document.paragraphs)}
    assert styled["1.\t贯彻执行国家、省、市有关口岸工作的法律、法规和政策。"] == "List"
    assert styled["◦\t入境人员闭环管理"] == "List 2"
    assert styled["（1）口岸通关效率进一步提升。"] == "List"
    assert styled["季度支出进度按季度末累计支出计算。"] == "Quote"
    assert styled["全年围绕口岸疫情防控和通关便利化开展工作，重点任务均按期完成。"] == "Normal"  # 中文软换行无空格
    assert styled["外部图片"] == "Normal"  # a remote picture: its alt text
    assert "分隔线" in {p.style.name for p in document.paragraphs}
    xml = _xml(path, "word/document.xml")
    assert "<w:b/>" in xml and "<w:i/>" in xml and "<w:strike/>" in xml
    body = document.element.body
    pictures = body.findall(f".//{qn('w:drawing')}")
    assert len(pictures) == 1
    assert pictures[0].getparent().getparent().find(f"{qn('w:pPr')}/{qn('w:pStyle')}").get(qn("w:val")) == "Figure"
    with zipfile.ZipFile(path) as package:
        assert "word/media/image1.png" in package.namelist()


def test_section_tables_caption_unit_and_repeated_bold_header(mini) -> None:
    _, document, _ = mini
    assert _styled(document, "Caption") == [
        ("Caption", "表1-1 深圳市人民政府口岸办公室内设机构及主要职能"), ("Caption", "表1-2 2021 年预算调整情况")]
    assert _styled(document, "单位行") == [("单位行", "单位：万元")]
    table = document.tables[0]
    assert [c.text for c in table.rows[0].cells] == ["内设机构", "机构职能"]
    assert table.rows[0]._tr.find(f"{qn('w:trPr')}/{qn('w:tblHeader')}") is not None
    assert {p.style.name for c in table.rows[0].cells for p in c.paragraphs} == {"表格标题"}
    assert {p.style.name for c in table.rows[1].cells for p in c.paragraphs} == {"表格文字"}
    assert document.styles["表格标题"].font.bold is True
    money = document.tables[1].rows[1].cells[1].paragraphs[0]
    assert (money.text, money.alignment) == ("57,373.02", 2)  # right-aligned column


def test_footnote(mini) -> None:
    _, document, path = mini
    refs = document.element.body.findall(f".//{qn('w:footnoteReference')}")
    assert len(refs) == 1
    notes = _xml(path, "word/footnotes.xml")
    assert f'w:id="{refs[0].get(qn("w:id"))}"' in notes
    assert "执行率＝全年支出÷调整后预算。" in notes


def test_table_of_contents(mini) -> None:
    _, document, path = mini
    assert 'TOC \\o "1-2" \\h \\z \\u' in _xml(path, "word/document.xml")
    assert _styled(document, "toc 1")[0][1].startswith("一、部门基本情况\t")


# -- annex --------------------------------------------------------------------------------

def test_annex_table_scores_and_total(mini) -> None:
    result, document, path = mini
    annex = document.tables[-1]
    assert [c.text for c in annex.rows[0].cells][-3:] == ["指标说明", "参考评分标准", "得分"]
    assert [c.text for c in annex.rows[2].cells][:6] == ["名称", "参考分值"] * 3
    body = annex.rows[3:-1]
    scores = {s.indicator.name: str(s.final) for s in result.report.scores.indicators}
    assert {r.cells[4].text: r.cells[8].text for r in body} == scores
    saved = json.loads((path.parent / "scores.json").read_text(encoding="utf-8"))
    assert {i["name"]: i["score"] for i in saved["indicators"]} == scores
    assert [c.text for c in annex.rows[-1].cells] == ["总分"] * 3 + ["100", "——", "100", "——", "——", "93.78"]
    first = body[0].cells
    assert [first[k].text for k in (0, 1, 2, 3, 5)] == ["部门决策", "20", "预算编制", "10", "5"]
    assert first[7].paragraphs[0].text.startswith("1. 部门预算编制")
    assert len(first[7].paragraphs) == 5  # one paragraph per line of the standard
    notes = [t for _, t in _styled(document, "附注")]
    assert notes[0] == "附注：1.《部门整体支出绩效评价共性指标体系框架》的适用对象是部门和单位。"


def test_annex_cells_merged_vertically(mini) -> None:
    _, document, _ = mini
    rows = document.tables[-1]._tbl.findall(qn("w:tr"))[3:-1]

    def merges(column: int) -> list[str]:
        tc = [r.findall(qn("w:tc"))[column] for r in rows]
        return [c.find(f"{qn('w:tcPr')}/{qn('w:vMerge')}").get(qn("w:val"), "continue") for c in tc]

    assert merges(0).count("restart") == 3 and merges(1).count("restart") == 3  # 一级
    assert merges(2).count("restart") == 11 and merges(3).count("restart") == 11  # 二级
    assert merges(0)[:3] == ["restart", "continue", "continue"]
    assert all(r.findall(qn("w:tc"))[4].find(f"{qn('w:tcPr')}/{qn('w:vMerge')}") is None for r in rows)
    head = document.tables[-1]._tbl.findall(qn("w:tr"))[:3]
    assert all(r.find(f"{qn('w:trPr')}/{qn('w:tblHeader')}") is not None for r in head)


def test_annex_is_a_landscape_section(mini) -> None:
    _, document, _ = mini
    annex = document.sections[-1]
    assert annex.page_width > annex.page_height
    body = document.element.body
    last_table = body.findall(qn("w:tbl"))[-1]
    breaks = [p for p in body.findall(qn("w:p")) if p.find(f"{qn('w:pPr')}/{qn('w:sectPr')}") is not None]
    assert body.index(breaks[-1]) < body.index(last_table)  # the table lies in the last section


LAYOUTS = [
    ("seed001", "self_scoring", ["评价指标"] * 6 + ["参考评分标准", "自评得分"], ["名称", "分值"] * 3),
    ("seed002", "weighted_names", ["评价指标"] * 4 + ["指标说明", "评分标准", "分数"],
     ["一级指标", "二级指标", "三级指标", "分值"]),
]


@pytest.mark.parametrize(("seed", "layout", "first", "last"), LAYOUTS)
def test_other_annex_layouts(tmp_path: Path, seed: str, layout: str, first: list, last: list) -> None:
    root = _copy(tmp_path, seed)
    write_sections(root)
    result = build(root)
    assert result.report.framework.annex["layout"] == layout
    annex = Document(str(result.outputs[0])).tables[-1]
    header = len(annex.rows) - len(result.report.annex_rows) - (2 if layout == "weighted_names" else 1)
    assert [c.text for c in annex.rows[0].cells] == first
    assert [c.text for c in annex.rows[header - 1].cells][:len(last)] == last
    scores = result.report.scores
    rows = annex.rows[header:]
    if layout == "weighted_names":
        level = result.report.framework.levels[0]
        assert rows[0].cells[0].text == f"{level.name}（{level.weight}分）"
        assert [c.text for c in rows[-2].cells][-2:] == ["综合评分", str(scores.total)]
        assert [c.text for c in rows[-1].cells][-2:] == ["评分等级", scores.grade]
    else:
        assert [c.text for c in rows[-1].cells][-1] == str(scores.total)
    finals = [str(s.final) for s in scores.indicators]
    assert [r.cells[-1].text for r in rows[:len(finals)]] == finals


# -- format -------------------------------------------------------------------------------

def _style(styles, name: str):
    return next(s for s in styles.iterchildren(qn("w:style"))
                if s.find(qn("w:name")).get(qn("w:val")) == name)


FORMATS = [
    # style, eastAsia font, half-points, bold
    ("Normal", "仿宋_GB2312", "32", False),
    ("heading 1", "黑体", "32", False),
    ("heading 2", "楷体_GB2312", "32", False),
    ("heading 3", "仿宋_GB2312", "32", True),
    ("heading 4", "仿宋_GB2312", "32", False),
    ("封面标题", "方正小标宋简体", "44", False),
    ("封面信息", "仿宋_GB2312", "32", False),
    ("表格文字", "仿宋_GB2312", "24", False),
    ("附表文字", "仿宋_GB2312", "21", False),
    ("footer", "宋体", "28", False),
]


def _effective(styles, name: str, path: str, attr: str) -> str | None:
    """A style's value for `path`/@attr, as Word resolves it: the style, then what it is based on,
    then the document defaults."""
    by_id = {s.get(qn("w:styleId")): s for s in styles.iterchildren(qn("w:style"))}
    style = _style(styles, name)
    while style is not None:
        found = style.find(path)
        if found is not None and found.get(qn(attr)) is not None:
            return found.get(qn(attr))
        if found is not None and attr == "w:val" and found.get(qn(attr)) is None:
            return "1"  # <w:b/>: on
        based = style.find(qn("w:basedOn"))
        style = by_id.get(based.get(qn("w:val"))) if based is not None else None
    found = styles.find(f"{qn('w:docDefaults')}/{qn('w:rPrDefault')}/{path}")
    return None if found is None else found.get(qn(attr))


@pytest.mark.parametrize(("name", "east", "size", "bold"), FORMATS)
def test_styles_fonts_and_sizes(mini, name: str, east: str, size: str, bold: bool) -> None:
    styles = mini[1].styles.element
    fonts = f"{qn('w:rPr')}/{qn('w:rFonts')}"
    assert _effective(styles, name, fonts, "w:eastAsia") == east
    assert _effective(styles, name, fonts, "w:ascii") == ("宋体" if name == "footer" else "Times New Roman")
    assert _effective(styles, name, f"{qn('w:rPr')}/{qn('w:sz')}", "w:val") == size
    assert (_effective(styles, name, f"{qn('w:rPr')}/{qn('w:b')}", "w:val") == "1") == bold


@pytest.mark.parametrize("name", ["List", "List 2", "List 3", "Quote", "heading 3", "heading 4",
                                  "caption", "封面信息", "表格文字", "代码", "附注"])
def test_styles_inherit_from_the_body_style(mini, name: str) -> None:
    """A user who changes 正文 in Word changes these too: they restate no font that 正文 sets."""
    style = _style(mini[1].styles.element, name)
    assert style.find(qn("w:basedOn")) is not None
    fonts = style.find(f"{qn('w:rPr')}/{qn('w:rFonts')}")
    if name not in ("代码",):
        assert fonts is None or fonts.get(qn("w:ascii")) is None
    if name in ("List", "List 2", "List 3", "Quote", "heading 3", "heading 4", "封面信息"):
        assert style.find(f"{qn('w:rPr')}/{qn('w:sz')}") is None  # 三号 from 正文
        assert style.find(f"{qn('w:pPr')}/{qn('w:spacing')}") is None or name == "封面信息"


def test_every_style_has_an_east_asian_face(mini) -> None:
    styles = mini[1].styles.element
    fonts = f"{qn('w:rPr')}/{qn('w:rFonts')}"
    for style in styles.iterchildren(qn("w:style")):
        if style.get(qn("w:type")) == "paragraph":
            name = style.find(qn("w:name")).get(qn("w:val"))
            assert _effective(styles, name, fonts, "w:eastAsia"), name


def test_body_paragraph_format(mini) -> None:
    normal = mini[1].styles["Normal"].paragraph_format
    assert normal.first_line_indent.pt == 32  # 2 characters of 16 pt
    assert (normal.line_spacing.pt, normal.line_spacing_rule) == (28, 4)  # EXACTLY
    assert normal.alignment == 3  # JUSTIFY
    ind = _style(mini[1].styles.element, "Normal").find(f"{qn('w:pPr')}/{qn('w:ind')}")
    assert ind.get(qn("w:firstLineChars")) == "200"
    assert mini[1].styles["Caption"].paragraph_format.alignment == 1  # centred
    assert mini[1].styles["单位行"].paragraph_format.alignment == 2  # right


def test_page_setup_and_page_numbers(mini) -> None:
    _, document, path = mini
    for section in document.sections:
        short, long_ = sorted((section.page_width.mm, section.page_height.mm))
        assert (round(short), round(long_)) == (210, 297)
    cover, toc, body, annex = document.sections
    assert [round(m.mm) for m in (body.top_margin, body.bottom_margin, body.left_margin, body.right_margin)] == [37, 35, 28, 26]
    footer = body.footer.paragraphs[0]
    assert footer.style.name == "Footer" and footer.text.replace("1", "") == "—  —"
    assert " PAGE " in footer._p.xml
    assert cover.footer.is_linked_to_previous and toc.footer.is_linked_to_previous  # no number
    assert annex.footer.is_linked_to_previous  # numbering goes on
    assert body._sectPr.find(qn("w:pgNumType")).get(qn("w:start")) == "1"


# -- reproducibility ----------------------------------------------------------------------

def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_two_builds_are_byte_identical(tmp_path: Path) -> None:
    root = _copy(tmp_path)
    build(root)
    first = _sha(_docx(root))
    build(root)
    assert _sha(_docx(root)) == first
    with zipfile.ZipFile(_docx(root)) as package:
        assert {i.date_time for i in package.infolist()} == {(2022, 3, 31, 0, 0, 0)}
    props = Document(str(_docx(root))).core_properties
    assert props.created.replace(tzinfo=None) == datetime(2022, 3, 31) == props.modified.replace(tzinfo=None)
    assert props.title == TITLE and props.author == "深圳市人民政府口岸办公室"


def _drop_date(root: Path) -> None:
    facts = root / "content" / "facts.yaml"
    facts.write_text(facts.read_text(encoding="utf-8").replace('  date: "2022-03-31"\n', ""), encoding="utf-8")


def test_date_from_source_date_epoch_or_next_year(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = _copy(tmp_path)
    _drop_date(root)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1650000000")
    build(root)
    assert Document(str(_docx(root))).core_properties.created.replace(tzinfo=None) == datetime(2022, 4, 15, 5, 20)
    monkeypatch.delenv("SOURCE_DATE_EPOCH")
    build(root)
    assert Document(str(_docx(root))).core_properties.created.replace(tzinfo=None) == datetime(2022, 1, 1)


def test_bad_report_date_names_the_facts_key(tmp_path: Path) -> None:
    root = _copy(tmp_path)
    facts = root / "content" / "facts.yaml"
    facts.write_text(facts.read_text(encoding="utf-8").replace("2022-03-31", "2022年3月"), encoding="utf-8")
    with pytest.raises(ReportError) as caught:
        build(root)
    assert caught.value.key == "report.date" and caught.value.line == 10
    assert not _docx(root).exists()


# -- templates ----------------------------------------------------------------------------

def _template(tmp: Path, old: str, new: str) -> Path:
    """The default template with one piece of its document.xml replaced."""
    source = default_template()
    target = tmp / "我的模板.docx"
    with zipfile.ZipFile(source) as src, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as out:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename == "word/document.xml":
                text = data.decode("utf-8")
                assert old in text
                data = text.replace(old, new).encode("utf-8")
            out.writestr(item, data)
    return target


BAD_TEMPLATES = [
    ("{%p endfor %}", "{%p endfor", "模板语法错误"),
    ("{{ title }}", "{{ titel }}", "未知的占位符"),
    ("{{p annex.table }}", "附件表", "{{p annex.table }}"),
    ("{{p block.body }}", "{{ block.body }}", "单独成段"),
    ("{{p block.body }}", "{{r block.body }}", "单独成段"),  # inside a paragraph, outside any text
    ("{{p toc }}", "目录", "{{p toc }}"),  # the mini report asks for a table of contents
]


@pytest.mark.parametrize(("old", "new", "words"), BAD_TEMPLATES)
def test_bad_template_is_a_clear_error(tmp_path: Path, old: str, new: str, words: str) -> None:
    root = _copy(tmp_path)
    template = _template(tmp_path, old, new)
    with pytest.raises(ReportError) as caught:
        build(root, template)
    assert words in caught.value.message
    assert caught.value.file == str(template)
    assert not (root / "build").exists() or not _docx(root).exists()


def test_not_a_word_file(tmp_path: Path) -> None:
    root = _copy(tmp_path)
    fake = tmp_path / "模板.docx"
    fake.write_text("不是 Word 文件", encoding="utf-8")
    with pytest.raises(ReportError, match="不是有效的 Word 文档") as caught:
        build(root, fake)
    assert caught.value.file == str(fake)
    with pytest.raises(ReportError, match="找不到"):
        build(root, tmp_path / "没有.docx")


def test_cli_reports_a_bad_template_without_traceback(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    root = _copy(tmp_path)
    template = _template(tmp_path, "{%p endfor %}", "{%p endfor")
    assert main(["build", str(root), "--template", str(template)]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"错误：{template}") and "Traceback" not in err


def test_user_template_without_the_styles_gets_them(tmp_path: Path) -> None:
    """A plain document with only the placeholders still renders every element styled."""
    plain = Document()
    for text in ("{{ title }}", "{%p if toc %}", "{{p toc }}", "{%p endif %}", "{%p for block in blocks %}", "{{ block.heading }}", "{{p block.body }}",
                 "{%p endfor %}", "{{p intro }}", "{{p annex_table }}", "{{p annex_notes }}"):
        plain.add_paragraph(text)
    template = tmp_path / "plain.docx"
    plain.save(str(template))
    root = _copy(tmp_path)
    build(root, template)
    document = Document(str(_docx(root)))
    names = {s.name for s in document.styles}
    assert {"单位行", "表格文字", "附表文字", "Caption", "List 2"} <= names
    assert _styled(document, "单位行") == [("单位行", "单位：万元")]
    assert document.tables[-1].rows[-1].cells[-1].text == "93.78"


def test_text_that_looks_like_template_syntax_stays_text(tmp_path: Path) -> None:
    root = _copy(tmp_path)
    section = root / "content" / "3-3-后续工作计划.md"
    section.write_text("示例：`{_{ x }_}` 和 `{_% y %_}` 原样显示。\n\n"
                       "{% raw %}{{ title }} 与 {%p endfor %}{% endraw %} 也原样显示。\n", encoding="utf-8")
    build(root)
    texts = [p.text for p in Document(str(_docx(root))).paragraphs]
    assert "示例：{_{ x }_} 和 {_% y %_} 原样显示。" in texts
    assert "{{ title }} 与 {%p endfor %} 也原样显示。" in texts
