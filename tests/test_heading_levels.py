"""What `#`, `##` and deeper give inside a section, as the README says (issue 18)."""

from __future__ import annotations

import re
import shutil
import zipfile
from pathlib import Path

from reportkit import build_report

REPO = Path(__file__).parent.parent
BODY = "# 甲标题\n\n正文。\n\n## 乙标题\n\n### 丙标题\n\n#### 丁标题\n\n1.戊标题\n\n（1）己标题\n\n1.这是一句正文，不是标题。\n"


def _styles(docx: Path) -> dict[str, str]:
    xml = zipfile.ZipFile(docx).read("word/document.xml").decode("utf-8")
    out = {}
    for p in re.findall(r"<w:p[ >].*?</w:p>", xml):
        text = "".join(re.findall(r"<w:t[^>]*>([^<]*)</w:t>", p))
        style = re.search(r'w:pStyle w:val="([^"]*)"', p)
        out[text] = style.group(1) if style else ""
    return out


def test_heading_levels_in_word_and_html(tmp_path: Path) -> None:
    root = tmp_path / "r"
    shutil.copytree(REPO / "content", root / "content")
    (root / "content" / "3-3-后续工作计划.md").write_text(BODY, encoding="utf-8")
    build_report(root)
    docx = next((root / "build").glob("*.docx"))
    styles = _styles(docx)
    # no number is added: the text is what the author wrote
    assert styles["甲标题"] == "Heading3" and styles["1.戊标题"] == "Heading3"
    assert (
        styles["乙标题"]
        == styles["丙标题"]
        == styles["丁标题"]
        == styles["（1）己标题"]
        == "Heading4"
    )
    assert styles["1.这是一句正文，不是标题。"] not in ("Heading3", "Heading4")
    html = next((root / "build").glob("*.html")).read_text(encoding="utf-8")
    assert '<h4 class="h3">甲标题</h4>' in html and '<h5 class="h4">丁标题</h5>' in html
    assert '<h4 class="h3">1.戊标题</h4>' in html and '<h5 class="h4">（1）己标题</h5>' in html


def test_readme_states_the_levels() -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    assert "`#` 开头的一行是节下的第一级标题（“1.”一级，Word 样式“标题 3”）" in readme
    assert "`##` 开头的是第二级标题（“（1）”一级" in readme
    assert "`###` 及更深的也按“（1）”一级（“标题 4”）排版。编号不会自动生成" in readme
