"""Inputs far larger than a real report come out whole and in order.

These used to take seconds to minutes (time grew with the square of the size); the times are
measured by bench/build_bench.py --large, never here: these tests look at the output only.
"""

from __future__ import annotations

import re
import shutil
import zipfile
from pathlib import Path

import yaml
from lxml import etree

from reportkit import build_report, check_report

REPO = Path(__file__).resolve().parent.parent
LIST_ITEMS = 8000
TABLE_ROWS = 4000
TASKS = 3000
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
ITEM = re.compile(r"•\s*第(\d+)项职能")
TASK = re.compile(r"任务\d+")


def _text(element: etree._Element) -> str:
    return "".join("\t" if t.tag == W + "tab" else t.text or "" for t in element.iter(W + "t", W + "tab"))


def _copy(tmp: Path) -> Path:
    root = tmp / "report"
    shutil.copytree(REPO / "content", root / "content")
    return root


def _append(root: Path, name: str, text: str) -> None:
    path = root / "content" / name
    path.write_text(path.read_text(encoding="utf-8") + "\n\n" + text + "\n", encoding="utf-8")


def test_long_lists_tables_and_self_evaluation_table_are_built_whole(tmp_path: Path) -> None:
    root = _copy(tmp_path)
    _append(root, "1-1-主要职能.md", "\n".join(f"- 第{i}项职能" for i in range(LIST_ITEMS)))
    rows = "\n".join(f"| 项目{i} | {i}.50 |" for i in range(TABLE_ROWS))
    _append(root, "1-3-预算编制情况.md", f"| 项目名称 | 金额 |\n| --- | ---: |\n{rows}")
    facts = root / "content" / "facts.yaml"
    data = yaml.safe_load(facts.read_text(encoding="utf-8"))
    data["targets"]["tasks"] = [{"name": f"任务{i}", "result": "按计划完成", "budget": 2, "spent": 1}
                                for i in range(TASKS)]
    facts.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")

    result = build_report(root)
    docx = next(p for p in result.outputs if p.suffix == ".docx")
    with zipfile.ZipFile(docx) as package:
        assert package.testzip() is None  # every part intact
        body = etree.fromstring(package.read("word/document.xml")).find(W + "body")
    paragraphs = [_text(p) for p in body.iterchildren(W + "p")]
    items = [int(m[1]) for t in paragraphs if (m := ITEM.fullmatch(t))]
    assert items == list(range(LIST_ITEMS))

    tables = {_text(t.find(f"{W}tr/{W}tc")): t for t in body.iterchildren(W + "tbl")}
    rows = [[_text(tc) for tc in tr.iterchildren(W + "tc")] for tr in tables["项目名称"].iterchildren(W + "tr")]
    assert len(rows) == TABLE_ROWS + 1
    assert rows[1] == ["项目0", "0.50"] and rows[-1] == [f"项目{TABLE_ROWS - 1}", f"{TABLE_ROWS - 1}.50"]

    cells = [_text(tc) for tc in tables["部门（单位）名称"].iter(W + "tc")]  # the 自评表
    assert [c for c in cells if TASK.fullmatch(c)] == [f"任务{i}" for i in range(TASKS)]
    assert f"{TASKS * 2 * 10000}.00" in cells  # 金额合计 of the budgets, in 元

    html = docx.with_suffix(".html").read_text(encoding="utf-8")
    assert html.count("项职能</li>") == LIST_ITEMS and f"任务{TASKS - 1}<" in html


def test_a_100_kib_paragraph_is_checked_to_its_end(tmp_path: Path) -> None:
    """Wrapped over lines of ten sentences (one line may have 20,000 characters at most:
    tests/test_limits_markdown.py); the check reads the lines as one paragraph."""
    root = _copy(tmp_path)
    sentence = "本年度各项工作按计划推进，资金使用规范，管理制度健全。"
    count = 100 * 1024 // len(sentence.encode())
    long = "\n".join(sentence * 10 for _ in range(count // 10)) + "\n"
    wrong = "我局全年预算执行率为12.34%。"  # not the example's rate: a warning at the very end
    _append(root, "2-3-履职绩效情况.md", long + wrong)
    lines = (root / "content" / "2-3-履职绩效情况.md").read_text(encoding="utf-8").splitlines()
    found = [f for f in check_report(root).findings if "12.34" in f.message]
    assert len(found) == 1
    assert found[0].file == "content/2-3-履职绩效情况.md" and found[0].line == len(lines)
