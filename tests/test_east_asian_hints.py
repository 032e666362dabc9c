"""Which runs east_asian_hints marks: a run of a Chinese paragraph (its own, or its hyperlink's)
whose text has a character shared with Latin text; nothing else, wherever else such a
character stands (a text box, a tracked insertion, a paragraph without Chinese)."""

from __future__ import annotations

from docx.oxml.ns import nsdecls
from lxml import etree

from reportkit.render.docx.xml import east_asian_hints

NS = nsdecls("w", "wp", "a")


def hinted(body: str) -> tuple[int, str]:
    root = etree.fromstring(f"<w:body {NS}>{body}</w:body>")
    marked = east_asian_hints(root)
    return marked, etree.tostring(root, encoding="unicode").split(">", 1)[1].rsplit("<", 1)[0]


HINT = '<w:rFonts w:hint="eastAsia"/>'


def test_a_chinese_paragraphs_runs_with_shared_characters_are_marked() -> None:
    marked, xml = hinted('<w:p><w:r><w:t>“三公”</w:t></w:r><w:r><w:t>经费</w:t></w:r>'
                         '<w:r><w:t>2023 — 2024</w:t></w:r></w:p>')
    assert marked == 2
    assert xml == (f'<w:p><w:r><w:rPr>{HINT}</w:rPr><w:t>“三公”</w:t></w:r><w:r><w:t>经费</w:t></w:r>'
                   f'<w:r><w:rPr>{HINT}</w:rPr><w:t>2023 — 2024</w:t></w:r></w:p>')


def test_existing_properties_keep_their_order() -> None:
    marked, xml = hinted('<w:p><w:r><w:rPr><w:rStyle w:val="a1"/><w:b/></w:rPr><w:t>“中”</w:t></w:r>'
                         '<w:r><w:rPr><w:rFonts w:ascii="Arial"/></w:rPr><w:t>文·</w:t></w:r></w:p>')
    assert marked == 2
    assert xml == (f'<w:p><w:r><w:rPr><w:rStyle w:val="a1"/>{HINT}<w:b/></w:rPr><w:t>“中”</w:t></w:r>'
                   '<w:r><w:rPr><w:rFonts w:ascii="Arial" w:hint="eastAsia"/></w:rPr><w:t>文·</w:t></w:r></w:p>')


def test_hyperlink_runs_count_as_the_paragraphs_own() -> None:
    marked, xml = hinted('<w:p><w:r><w:t>见</w:t></w:r><w:hyperlink><w:r><w:t>“网站”</w:t></w:r></w:hyperlink></w:p>')
    assert marked == 1
    assert f'<w:hyperlink><w:r><w:rPr>{HINT}</w:rPr>' in xml


def test_other_places_of_a_shared_character_mark_nothing() -> None:
    body = ('<w:p><w:r><w:t>no Chinese — here</w:t></w:r></w:p>'  # no Chinese in the paragraph
            '<w:p><w:r><w:t>中文</w:t></w:r><w:ins><w:r><w:t>“插入”</w:t></w:r></w:ins></w:p>'  # not its own run
            '<w:p><w:r><w:t>外框</w:t></w:r><w:r><w:pict><w:txbxContent><w:p><w:r><w:t>box — text</w:t></w:r>'
            '</w:p></w:txbxContent></w:pict></w:r></w:p>')  # the text box's paragraph has no Chinese
    assert hinted(body) == (0, body)


def test_a_text_box_paragraph_is_a_paragraph_of_its_own() -> None:
    marked, xml = hinted('<w:p><w:r><w:t>外框 1</w:t></w:r><w:r><w:pict><w:txbxContent><w:p><w:r><w:t>“框内”</w:t>'
                         '</w:r></w:p></w:txbxContent></w:pict></w:r></w:p>')
    assert marked == 1
    assert f'<w:p><w:r><w:rPr>{HINT}</w:rPr><w:t>“框内”</w:t>' in xml
    assert xml.startswith("<w:p><w:r><w:t>外框 1</w:t>")
