"""Issue 13: the outline, cover and annexes as data (reportkit/load/outlines/*.yaml)."""

from __future__ import annotations

import re
import shutil
from fractions import Fraction
from pathlib import Path

import pytest
import yaml

from reportkit.check.run import check_report
from reportkit.cli import main
from reportkit.errors import ReportError
from reportkit.load.outline import (
    DEFAULT,
    choose_outline,
    load_outline,
    shipped_dir,
    shipped_ids,
)

DATA = Path(__file__).parent / "data"

SHIPPED = Path(str(shipped_dir()))


def _copy_default(root: Path, name: str = "我的提纲.yaml") -> Path:
    target = root / name
    shutil.copyfile(SHIPPED / f"{DEFAULT}.yaml", target)
    return target


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _use(root: Path, ref: str) -> None:
    (root / "reportkit.yaml").write_text(f"outline: {ref}\n", encoding="utf-8")


def test_every_shipped_outline_loads_and_binds_sections_to_stable_files() -> None:
    assert DEFAULT in shipped_ids()
    for oid in shipped_ids():
        outline = load_outline(oid, Path("."))
        assert outline.id == oid
        files = [s.file for s in outline.files()]
        assert len(files) == len(set(files))
        # every shipped outline keeps the section files of the default one: a folder can switch
        assert set(files) <= {s.file for s in load_outline(DEFAULT, Path(".")).files()}, oid


def test_choose_outline_follows_the_match_blocks() -> None:
    assert choose_outline("city-2021", "部门", "市") == DEFAULT
    assert choose_outline("no-such", "部门", "市") == DEFAULT


@pytest.mark.parametrize(("old", "new", "key", "words"), [
    ("key: 1-2-年度总体工作和重点工作任务,", "key: 1-1-主要职能,", "chapters.0.sections.1.key", "重复"),
    ('title: "{主体}主要职能"', 'title: "{单位}主要职能"', "chapters.0.sections.0.title", "未知的占位符“{单位}”"),
    ("    generated: true\n    template: >-", "    generated: true\n    templat: >-", "chapters.3.templat", "未知的键"),
    ("  - table: targets\n", "  - table: tagets\n", "annexes.1.table", "未知的表“tagets”"),
    ('{label: 填报人, value: "{preparer}"}', "{label: 审核意见}", "cover.lines.1", "没有“value”"),
    ("    place: annex ", "    place: 第四章 ", "annexes.0.place", "位置“第四章”"),
    ("{label: 联系电话, value: \"{phone}\"}", "{gap: 0}", "cover.lines.2.gap", "空行的行数"),
])
def test_bad_outline_names_file_line_and_key(tmp_path: Path, old: str, new: str, key: str, words: str) -> None:
    path = _copy_default(tmp_path)
    _edit(path, old, new)
    with pytest.raises(ReportError) as caught:
        load_outline(path.name, tmp_path)
    exc = caught.value
    assert exc.file == str(path) and exc.key == key and words in exc.message, str(exc)
    line = path.read_text(encoding="utf-8").splitlines()[exc.line - 1]
    assert key.rsplit(".", 1)[-1] in line or new.strip().split("\n")[-1].strip()[:8] in line, (exc.line, line)


def test_generated_chapter_without_template_is_refused(tmp_path: Path) -> None:
    path = _copy_default(tmp_path)
    text = path.read_text(encoding="utf-8")
    start = text.index("    template: >-")
    end = text.index("\nannexes:")
    path.write_text(text[:start] + text[end:], encoding="utf-8")
    with pytest.raises(ReportError) as caught:
        load_outline(path.name, tmp_path)
    assert "缺少“template”" in caught.value.message and caught.value.key == "chapters.3"
    assert "四、" in path.read_text(encoding="utf-8").splitlines()[caught.value.line] or caught.value.line


def test_unknown_outline_reference_points_at_the_setting(seed000: Path) -> None:
    _use(seed000, "no-such-outline")
    with pytest.raises(ReportError) as caught:
        from reportkit.assemble.report import load_report

        load_report(seed000)
    exc = caught.value
    assert exc.file == str(seed000 / "reportkit.yaml") and exc.line == 1 and exc.key == "outline"
    assert DEFAULT in (exc.expected or "")


def test_bad_outline_exits_2_and_keeps_the_previous_build(seed000: Path, capsys: pytest.CaptureFixture) -> None:
    assert main(["build", str(seed000)]) == 0
    before = {p.name: p.read_bytes() for p in (seed000 / "build").iterdir()}
    path = _copy_default(seed000)
    _edit(path, 'title: "{主体}主要职能"', 'title: "{部门}主要职能"')
    _use(seed000, path.name)
    capsys.readouterr()
    assert main(["build", str(seed000)]) == 2
    err = capsys.readouterr().err
    assert "我的提纲.yaml:" in err and "未知的占位符“{部门}”" in err and "Traceback" not in err
    assert {p.name: p.read_bytes() for p in (seed000 / "build").iterdir()} == before
    found = check_report(seed000)
    assert any("未知的占位符" in f.message for f in found.findings)


def test_outlines_command_lists_every_shipped_outline(capsys: pytest.CaptureFixture) -> None:
    assert main(["outlines"]) == 0
    out = capsys.readouterr().out
    for oid in shipped_ids():
        assert oid in out


def test_default_outline_file_is_valid_yaml_with_comments_for_users() -> None:
    text = (SHIPPED / f"{DEFAULT}.yaml").read_text(encoding="utf-8")
    assert text.startswith("#") and "{主体}" in text and "template" in text
    assert yaml.safe_load(text)["id"] == DEFAULT
    assert (DATA / "mini").is_dir()


# -- the shipped variants ---------------------------------------------------------------------

REPO = Path(__file__).parent.parent
SEED002_TEXT = DATA / "check" / "texts" / "seed002.txt"
DISTRICT_2023 = DATA / "outline" / "district-2023-annex.md"  # copy of ../shared/domain/district-2023-annex.md


def _folder(tmp_path: Path, source: Path, outline: str | None, name: str = "r") -> Path:
    root = tmp_path / name
    shutil.copytree(source / "content", root / "content")
    if outline:
        _use(root, outline)
    return root


def _docx(root: Path):  # noqa: ANN202
    from docx import Document

    return Document(str(next((root / "build").glob("*.docx"))))


def _html(root: Path) -> str:
    return next((root / "build").glob("*.html")).read_text(encoding="utf-8")


def _styled(document, *styles: str) -> list[str]:  # noqa: ANN001
    return [p.text for p in document.paragraphs if p.style.name in styles]


@pytest.mark.parametrize("oid", shipped_ids())
def test_each_shipped_outline_builds_the_example(tmp_path: Path, oid: str) -> None:
    from reportkit.build import build

    root = _folder(tmp_path, REPO, oid)
    result = build(root)
    outline = load_outline(oid, Path("."))
    document = _docx(root)
    chapters = _styled(document, "Heading 1")
    assert [h[:2] for h in chapters] == [ch.number for ch in outline.chapters]
    assert result.report.outline.id == oid
    html = _html(root)
    for heading in chapters + [a.heading for a in result.report.annexes]:
        assert heading in html
    assert [a.table for a in result.report.annexes] == [a.table for a in outline.annexes]  # the example has targets
    assert not [f for f in check_report(root).findings if f.severity == "error"]


def test_unit_outline_reproduces_seed_002_headings(tmp_path: Path) -> None:
    from reportkit.build import build

    assert choose_outline("city-2020", "单位", "市") == "shenzhen-unit"
    root = _folder(tmp_path, DATA / "check" / "seed002", "shenzhen-unit")
    facts = root / "content" / "facts.yaml"
    facts.write_text(facts.read_text(encoding="utf-8") + "\n" + (DATA / "selfeval" / "targets.yaml").read_text(encoding="utf-8"),
                     encoding="utf-8")
    build(root)
    seed = [line.strip().rstrip("。") for line in SEED002_TEXT.read_text(encoding="utf-8").splitlines()]
    wanted = [line for line in seed if line[:1] in "一二三四" and line[1:2] == "、"
              or line[:1] == "（" and line[1:2] in "一二三四" and line[2:3] == "）"]
    document = _docx(root)
    assert _styled(document, "Heading 1", "Heading 2") == wanted
    # 四 holds the 自评表, then the scoring table titled as the seed titles it, no 附件 labels
    titles = _styled(document, "附件标题")
    assert titles == ["部门（单位）整体支出绩效目标完成情况自评表", "部门整体支出绩效评分表"]
    assert all(t in seed for t in titles) and seed.index(titles[0]) < seed.index(titles[1])
    assert not _styled(document, "附件标识")
    assert "填表人：" in _styled(document, "附注")[0]
    html = _html(root)
    assert 'class="annex-label"' not in html and html.index(titles[0]) < html.index(titles[1])
    assert '<p class="annex-footer">填表人：' in html


def _annex_rows() -> list[tuple[str, str, str]]:
    rows = []
    for line in DISTRICT_2023.read_text(encoding="utf-8").splitlines():
        if not line.startswith("| ") or line.startswith(("| 三级", "| ---")):
            continue
        name, description, standard = (c.strip() for c in line.strip().strip("|").split(" | "))
        rows.append((re.sub(r"\s*\(= .*?\)|\s+\d+$", "", name), description, standard))
    return rows


# What district-2023-annex.md marks [sic], and the official wording the framework keeps instead.
SIC = (("超标准制 [sic] 支出", "超标准支出"), ("[有]偿", "有偿"), ("及及 [sic] 时性", "及时性"),
       ("分档积分 [sic]", "分档计分"))


def _squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def test_district_2023_framework_has_the_2023_table_word_for_word() -> None:
    from reportkit.compute.framework import load_framework

    fw = load_framework("district-2023", Path("."))
    rows = _annex_rows()
    assert [name for name, _, _ in rows] == [i.name for i in fw.indicators]
    compared = 0
    for name, description, standard in rows:
        indicator = fw.find(name)
        for wanted, got in ((description, indicator.description), (standard, indicator.standard)):
            for old, new in SIC:
                wanted = wanted.replace(old, new)
            if "as the city table" in wanted or "1.–4." in wanted:
                continue  # the note gives no text to compare
            # “…” and “同上” stand for words the note leaves out: every piece it does give must be there
            pieces = re.split(r"…|\(first half lost in extraction\)|同上", wanted)
            position = 0
            for piece in (_squash(p) for p in pieces):
                found = _squash(got).find(piece, position)
                assert found >= 0, (name, piece)
                position = found + len(piece)
            if len(pieces) == 1:
                assert _squash(got) == _squash(wanted), name
            compared += 1
    assert compared >= 40
    # the clause punctuation: every clause but the last ends with “；”
    assert fw.find("预算编制合理性").standard.splitlines()[0].endswith("（1分）；")
    assert fw.find("项目管理").group == "项目管理"


def test_district_2023_outline_matches_the_2023_report(tmp_path: Path) -> None:
    from reportkit.build import build

    assert choose_outline("district-2023", "部门", "区") == "district-2023"
    root = _folder(tmp_path, REPO, "district-2023")
    result = build(root)
    document = _docx(root)
    note = DISTRICT_2023.read_text(encoding="utf-8")
    sections = _styled(document, "Heading 2")
    assert "（三）后续工作计划、相关建议" in sections and "后续工作计划、相关建议" in note
    four = next(b for b in result.report.blocks if b.number == "四、")
    me = result.report.facts.get("report.self_name")
    assert four.paragraphs == [
        f"{me}参照智慧财政系统中《部门整体支出绩效评价指标评分情况表》进行自评，"
        f"此次绩效自评得分为 {result.report.scores.total} 分，具体得分情况见附件。"
    ]
    assert "参照智慧财政系统中《部门整体支出绩效评价指标评分情况表》进行自评" in note
    titles = _styled(document, "附件标题")
    assert titles[0] == "附件1：部门整体支出绩效评价指标评分情况表"
    scores = document.tables[-2] if len(titles) == 2 else document.tables[-1]
    assert scores.rows[-1].cells[0].text == "总计得分" and "总计得分" in note
    assert not [t for t in _styled(document, "附注") if t.startswith("附注")]
    html = _html(root)
    assert ">总计得分<" in html and 'class="annex-note"' not in html
    # 三（二） opens with every indicator that lost points, as the 2023 reports list them
    problems = next(b for b in result.report.blocks if b.key == "3-2-存在问题及改进措施")
    lost = [s for s in result.report.scores.indicators if s.final < Fraction(s.indicator.weight)]
    assert lost and problems.markdown.startswith(f"\n“{lost[0].indicator.name}”指标满分")
    # without targets there is one annex: “附件：…”
    facts = root / "content" / "facts.yaml"
    text = facts.read_text(encoding="utf-8")
    facts.write_text(text[:text.index("\ntargets:")] + "\n", encoding="utf-8")
    build(root)
    assert _styled(_docx(root), "附件标题") == ["附件：部门整体支出绩效评价指标评分情况表"]


def test_another_provinces_cover(tmp_path: Path) -> None:
    from reportkit.build import build

    root = _folder(tmp_path, REPO, "hebei-chengde")
    build(root)
    document = _docx(root)
    lines = _styled(document, "封面信息")
    assert lines[:3] == ["评价类型：部门整体支出绩效自评价", "部门（单位）全称（公章）：青岚市水务局", "主管部门审核意见："]
    assert lines[3:5] == ["", ""] and lines[-1] == "承德市财政局制"
    assert any(line.startswith("填报日期：") for line in lines)
    assert "财政部门审核意见：" in _html(root)


def test_a_user_edited_outline_shows_in_word_html_and_check(tmp_path: Path) -> None:
    from reportkit.build import build

    root = _folder(tmp_path, REPO, None)
    path = _copy_default(root)
    _use(root, path.name)
    # a renamed heading (its file stays), a dropped optional section, an extra cover field, annexes reordered
    _edit(path, "title: 主要履职目标,", "title: 年度主要履职目标,")
    _edit(path, "intro: {key: 0-引言, title: 引言, optional: true, guidance: 可选：为何、依据哪些文件开展本次自评价。}\n", "")
    _edit(path, '    - {label: 联系电话, value: "{phone}"}\n',
          '    - {label: 联系电话, value: "{phone}"}\n    - {label: 预算编码, value: "{extra.预算编码}"}\n')
    text = path.read_text(encoding="utf-8")
    scores = text[text.index("  - table: scores"):text.index("  - table: targets")]
    path.write_text(text.replace(scores, "") + scores.replace("label: auto", 'label: "附件{cn}"'), encoding="utf-8")
    facts = root / "content" / "facts.yaml"
    with pytest.raises(ReportError) as caught:  # the extra cover field needs its fact
        build(root)
    assert "extra.预算编码" in caught.value.message and caught.value.file == str(facts)
    text = facts.read_text(encoding="utf-8")
    facts.write_text(text.replace("\nextra:\n", "\nextra:\n  预算编码: \"301001\"\n") if "\nextra:\n" in text
                     else text + "\nextra:\n  预算编码: \"301001\"\n", encoding="utf-8")
    result = build(root)
    document = _docx(root)
    assert "（一）年度主要履职目标" in _styled(document, "Heading 2")
    assert result.report.intro is None and "0-引言.md" not in {s.file for s in result.report.outline.files()}
    assert "预算编码：301001" in _styled(document, "封面信息")
    assert _styled(document, "附件标识") == ["附件1", "附件二"]  # auto numbers too, as 附件{n}
    assert _styled(document, "附件标题")[0].endswith("目标完成情况自评表")
    html = _html(root)
    assert "（一）年度主要履职目标" in html and "预算编码：301001" in html
    assert html.index('id="targets"') < html.index('id="annex"')
    found = check_report(root)
    stray = [f for f in found.findings if f.file == "content/0-引言.md"]
    assert stray and "不属于提纲" in stray[0].message
    (root / "content" / "4-评分情况.md").write_text("第四章\n", encoding="utf-8")
    four = [f for f in check_report(root).findings if f.file == "content/4-评分情况.md"]
    assert four and "由 reportkit 根据得分生成" in four[0].message


def test_a_wrong_name_in_the_chapter_four_template_names_the_outline_line(seed000: Path) -> None:
    from reportkit.assemble.report import load_report

    path = _copy_default(seed000)
    _edit(path, "此次自评评分为 {{ total }} 分", "此次自评评分为 {{ totl }} 分")
    _use(seed000, path.name)
    with pytest.raises(ReportError) as caught:
        load_report(seed000)
    exc = caught.value
    assert exc.file == str(path) and exc.key == "chapters.3.template" and "totl" in exc.message
    assert "{{ totl }}" in path.read_text(encoding="utf-8").splitlines()[exc.line - 1]
    found = [f for f in check_report(seed000).findings if "totl" in f.message]
    assert found and found[0].line == exc.line


def test_an_annex_in_an_earlier_chapter_gets_landscape_pages_of_its_own(tmp_path: Path) -> None:
    from reportkit.build import build

    root = _folder(tmp_path, REPO, None)
    path = _copy_default(root)
    _use(root, path.name)
    _edit(path, "    place: annex ", "    place: 2-履职绩效分析 ")
    build(root)
    document = _docx(root)
    orientation = [s.orientation for s in document.sections]
    assert len(orientation) == 5 and orientation[2] == orientation[4] != orientation[1] == orientation[3]
    body = document.element.body
    breaks = body.xpath(".//w:pPr/w:sectPr")
    # numbering starts at the body (the first break) and runs on through the landscape pages
    assert len(breaks) == 4 and breaks[1].xpath("w:pgNumType") and not breaks[2].xpath("w:pgNumType")
    assert not breaks[3].xpath("w:pgNumType")
    text = [p.text for p in document.paragraphs]
    assert text.index("部门整体支出绩效评价指标评分情况表") < text.index("三、总体评价和整改措施")
    assert _styled(document, "附件标识") == ["附件"]  # the other annex (自评表) is the only 附件 left
    assert "部门整体支出绩效评价指标评分情况表" in _html(root)


def test_a_template_syntax_error_is_found_when_the_outline_loads(tmp_path: Path) -> None:
    path = _copy_default(tmp_path)
    _edit(path, "{% endfor %}。评价等级", "{% endfo %}。评价等级")
    with pytest.raises(ReportError) as caught:
        load_outline(path.name, tmp_path)
    exc = caught.value
    lines = path.read_text(encoding="utf-8").splitlines()
    assert exc.key == "chapters.3.template" and "endfo" in exc.message
    # a folded (>-) template is one line to Jinja: the message points at its first line
    assert lines[exc.line - 2].strip() == "template: >-" and "{% endfo %}" in lines[exc.line]


def test_a_generated_section_needs_no_file_and_numbers_its_tables_in_its_chapter(tmp_path: Path) -> None:
    from reportkit.build import build

    root = _folder(tmp_path, REPO, None)
    path = _copy_default(root)
    _use(root, path.name)
    _edit(path, "      - {key: 2-1-主要履职目标, number: （一）, title: 主要履职目标, guidance: 年度主要履职目标逐条列出。}\n",
          "      - key: 2-1-年度目标\n        number: （一）\n        title: 主要履职目标\n        generated: true\n"
          "        template: |-\n          全年调整后预算 {{ budget.adjusted | wan }} 万元。\n\n"
          "          {{ tables.procurement(caption=\"政府采购执行情况\") }}\n")
    result = build(root)
    block = next(b for b in result.report.blocks if b.key == "2-1-年度目标")
    assert block.source is None and "表2-1 政府采购执行情况" in block.markdown
    assert "（一）主要履职目标" in _styled(_docx(root), "Heading 2")
    stray = [f for f in check_report(root).findings if f.file == "content/2-1-主要履职目标.md"]
    assert stray and "不属于提纲" in stray[0].message  # the old file is no longer read


def test_the_preview_watches_the_outline_file(seed000: Path) -> None:
    from reportkit.preview.server import Draft

    path = _copy_default(seed000)
    _use(seed000, path.name)
    draft = Draft(seed000, lambda line: None)
    assert draft.build.ok and path in draft.watched()
    _edit(path, 'title: "{主体}主要职能"', 'title: "{主体}职能配置"')
    assert draft.poll() and draft.build.ok and "（一）部门职能配置" in draft.build.fragment
