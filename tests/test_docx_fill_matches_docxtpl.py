"""The renderer reads, fills and writes a template exactly as docxtpl and python-docx did.

render/docx/opc.py and fill.py replace python-docx's package and docxtpl's render (which took a
fifth of a small build to import). docxtpl itself is the oracle here: each template variant is
filled by both, and every part of the two files must be the same bytes, on a first build (the
rewritten template computed by docxtpl) and on the next (read from the cache).
"""

from __future__ import annotations

import io
import zipfile
from datetime import datetime
from pathlib import Path

import pytest
from docxtpl import DocxTemplate
from jinja2 import StrictUndefined
from jinja2.sandbox import SandboxedEnvironment
from lxml import etree
from markupsafe import Markup

from reportkit.load import default_template
from reportkit.ooxml import open_package, qn
from reportkit.render.docx.fill import fill

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
WP = "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"


def _p(text: str) -> Markup:
    """A generated body: one paragraph (the renderer's bodies are slots; any XML goes)."""
    return Markup(f'<w:p><w:r><w:t>{text}</w:t></w:r></w:p>')


CONTEXT = {
    "title": "2023年度 A & <B> 报告", "cover_lines": ["部门名称：某局", "填报人：张三"], "unit": "某局",
    "preparer": "张三", "phone": "1", "year": "2023", "toc": False, "intro": _p("引言"),
    "blocks": [{"level": 1, "number": "一、", "title": "基本情况", "heading": "一、基本情况", "body": _p("正文")},
               {"level": 2, "number": "（一）", "title": "职能", "heading": "（一）职能", "body": _p("职能")}],
    "annexes": [{"table_name": "scores", "label": "附件1", "title": "评分表", "head": _p("附件1"),
                 "table": _p("表"), "after": _p("附注")}],
    "framework": "深圳", "total": "92.71", "grade": "优",
    "annex_title": "", "annex_mark": "", "annex_table": "", "annex_notes": "", "targets_title": "",
    "targets_table": "",
    "rows": [["一", "1"], ["二", "2"]],
}


def _entries(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as z:
        return {name: z.read(name) for name in z.namelist()}


def _write(entries: dict[str, bytes], path: Path) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, blob in entries.items():
            z.writestr(name, blob)
    return path


def _add_to_body(entries: dict[str, bytes], xml: str) -> None:
    """Paragraphs or tables inserted at the start of the template's body."""
    document = entries["word/document.xml"].decode()
    entries["word/document.xml"] = document.replace("<w:body>", "<w:body>" + xml, 1).encode()


def _add_part(entries: dict[str, bytes], name: str, content_type: str, reltype: str, xml: str) -> None:
    entries[name] = xml.encode()
    types = entries["[Content_Types].xml"].decode()
    entries["[Content_Types].xml"] = types.replace(
        "</Types>", f'<Override PartName="/{name}" ContentType="{content_type}"/></Types>').encode()
    rels = entries["word/_rels/document.xml.rels"].decode()
    entries["word/_rels/document.xml.rels"] = rels.replace(
        "</Relationships>",
        f'<Relationship Id="rId90{len(entries)}" Type="{REL}/{reltype}" Target="{name.removeprefix("word/")}"/>'
        "</Relationships>").encode()


def _split_tags(entries):
    # Word splits a placeholder over runs; quotes typed in Word become curly ones.
    _add_to_body(entries, f'<w:p xmlns:w="{W}"><w:r><w:t>{{{{ ti</w:t></w:r><w:r><w:rPr><w:b/></w:rPr>'
                          '<w:t>tle }}</w:t></w:r><w:r><w:t xml:space="preserve"> 与 {{ “单位” ~ unit }}</w:t></w:r></w:p>'
                          f'<w:p xmlns:w="{W}"><w:r><w:t>{{%- if unit -%}}</w:t></w:r><w:r><w:t>有{{# 注释 #}}</w:t></w:r>'
                          '<w:r><w:t>{% endif %}</w:t></w:r></w:p>')


def _header_and_footnotes(entries):
    _add_part(entries, "word/header1.xml", "application/vnd.openxmlformats-officedocument.wordprocessingml.header+xml",
              "header", f'<?xml version="1.0" encoding="UTF-8"?>\n<w:hdr xmlns:w="{W}">\n  <w:p><w:r><w:t>{{{{ un'
              '</w:t></w:r><w:r><w:t>it }}（{{ year }}）</w:t></w:r></w:p>\n</w:hdr>')
    _add_part(entries, "word/footnotes.xml",
              "application/vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml", "footnotes",
              f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:footnotes xmlns:w="{W}">'
              '<w:footnote w:id="1"><w:p><w:r><w:t>{{ unit }}编</w:t></w:r></w:p></w:footnote></w:footnotes>')


def _table_rows(entries):
    # A row loop, and a table whose grid has more columns than its cells (docxtpl fixes the grid).
    row = '<w:tr><w:tc><w:p><w:r><w:t>{{ r[0] }}</w:t></w:r></w:p></w:tc><w:tc><w:p><w:r><w:t>{{ r[1] }}</w:t></w:r></w:p></w:tc></w:tr>'
    _add_to_body(entries, f'<w:tbl xmlns:w="{W}"><w:tblGrid><w:gridCol w:w="3000"/><w:gridCol w:w="3000"/></w:tblGrid>'
                          '<w:tr><w:tc><w:p><w:r><w:t>{%tr for r in rows %}</w:t></w:r></w:p></w:tc></w:tr>'
                          f'{row}<w:tr><w:tc><w:p><w:r><w:t>{{%tr endfor %}}</w:t></w:r></w:p></w:tc></w:tr></w:tbl>'
                          f'<w:tbl xmlns:w="{W}"><w:tblGrid><w:gridCol w:w="2000"/><w:gridCol w:w="2000"/>'
                          '<w:gridCol w:w="2000"/></w:tblGrid><w:tr><w:tc><w:p><w:r><w:t>{{ year }}</w:t></w:r></w:p></w:tc>'
                          '</w:tr></w:tbl>')


def _drawings_and_properties(entries):
    _add_to_body(entries, f'<w:p xmlns:w="{W}" xmlns:wp="{WP}"><w:r><w:drawing><wp:inline><wp:docPr id="7" name="甲"/>'
                          '</wp:inline></w:drawing></w:r></w:p>')
    core = entries["docProps/core.xml"].decode()
    entries["docProps/core.xml"] = core.replace("<dc:description></dc:description>",
                                                "<dc:description>{{ unit }}的报告</dc:description>").encode()


def _no_core_properties(entries):
    del entries["docProps/core.xml"]
    rels = entries["_rels/.rels"].decode()
    start = rels.rfind("<Relationship ", 0, rels.index("core-properties"))
    entries["_rels/.rels"] = (rels[:start] + rels[rels.index("/>", start) + 2:]).encode()


VARIANTS = {
    "shipped": None,
    "split-tags": _split_tags,
    "header-and-footnotes": _header_and_footnotes,
    "table-rows": _table_rows,
    "drawings-and-properties": _drawings_and_properties,
    "no-core-properties": _no_core_properties,
}


def _env() -> SandboxedEnvironment:
    return SandboxedEnvironment(autoescape=True, undefined=StrictUndefined)


def _docxtpl(path: Path, context: dict, out: Path) -> dict[str, bytes]:
    tpl = DocxTemplate(str(path))
    tpl.render(context, _env())
    tpl.docx.core_properties.modified = datetime(2024, 5, 6)  # python-docx stamps a missing one now
    tpl.save(str(out))
    return _entries(out)


def _reportkit(path: Path, context: dict, out: Path) -> dict[str, bytes]:
    from reportkit.render.docx.package import core_properties, set_datetime

    package = open_package(path)
    body = package.document.element.find(qn("w:body"))
    fill(package, etree.tostring(body, encoding="unicode"), context, _env())
    set_datetime(core_properties(package), "dcterms:modified", datetime(2024, 5, 6))
    package.save(out, datetime(2024, 1, 1))
    return _entries(out)


@pytest.mark.parametrize("variant", VARIANTS)
@pytest.mark.parametrize("listing", [False, True], ids=["plain", "tabs-and-breaks"])
def test_filled_like_docxtpl(variant: str, listing: bool, tmp_path: Path) -> None:
    entries = _entries(default_template())
    if VARIANTS[variant]:
        VARIANTS[variant](entries)
    template = _write(entries, tmp_path / "template.docx")
    context = dict(CONTEXT)
    if listing:  # text with a tab and a line break: docxtpl's listing step rewrites the runs
        context["cover_lines"] = ["部门名称：\t某局", "填报人：张三\n联系电话：1"]
    expected = _docxtpl(template, context, tmp_path / "docxtpl.docx")
    for run in ("first", "cached"):
        got = _reportkit(template, context, tmp_path / f"{run}.docx")
        assert list(got) == list(expected), run
        for name in expected:
            assert got[name] == expected[name], f"{run}: {name}"


def test_not_a_word_file(tmp_path: Path) -> None:
    from reportkit.ooxml import PackageError

    (tmp_path / "a.docx").write_bytes(b"PK\x03\x04 not really")
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as z:
        z.writestr("[Content_Types].xml", "<Types xmlns='http://schemas.openxmlformats.org/package/2006/content-types'/>")
    (tmp_path / "b.docx").write_bytes(buffer.getvalue())
    entries = _entries(default_template())
    document = entries["word/document.xml"].decode()
    entries["word/document.xml"] = (document[:document.index("<w:body>")] + "</w:document>").encode()
    _write(entries, tmp_path / "c.docx")
    for name in ("a.docx", "b.docx", "c.docx"):
        with pytest.raises(PackageError):
            open_package(tmp_path / name)
