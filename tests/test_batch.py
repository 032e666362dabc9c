"""Issue 16: reportkit batch — 200 generated report folders built with 2 jobs, each equal to
its own `reportkit build` byte for byte, the broken ones listed with their messages, the
workbook read back with openpyxl, 汇总.html rendered by Chromium; Ctrl-C and timeouts."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from decimal import Decimal
from pathlib import Path

import pytest
from batchgen import FRAMEWORKS, make_reports
from openpyxl import load_workbook

import reportkit
from reportkit.assemble.report import load_scores
from reportkit.build import build
from reportkit.bulk import FAILED, OK, TIMEOUT, batch
from reportkit.cli import main
from reportkit.errors import ReportError
from reportkit.render.json import scores_to_json

COUNT = 200
CHROMIUM = "/usr/bin/chromium"
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking"]


def _outputs(folder: Path) -> dict[str, bytes]:
    # .reportkit-build.json: the build's own record of its set (issue 18), not an output
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir()) if p.is_file() and not p.name.startswith(".")}


def _single(root: str) -> dict[str, bytes]:
    build(Path(root))
    return _outputs(Path(root) / "build")


@pytest.fixture(scope="module")
def batched(tmp_path_factory: pytest.TempPathFactory):
    base = tmp_path_factory.mktemp("reports")
    broken = make_reports(base, COUNT)
    out = tmp_path_factory.mktemp("out")
    events = []
    result = reportkit.batch([base], out=out, jobs=2, on_event=lambda kind, unit, r: events.append(kind))
    return base, broken, out, result, events


def test_every_unit_has_a_result_in_order(batched) -> None:
    base, broken, out, result, events = batched
    assert [r.unit.root.name for r in result.units] == [f"unit-{n:03d}" for n in range(COUNT)]
    assert events.count("start") == events.count("done") == COUNT
    assert not result.interrupted
    assert {r.unit.root.name for r in result.failed} == set(broken)


def test_broken_units_are_listed_with_their_message(batched) -> None:
    _, broken, _, result, _ = batched
    for r in result.failed:
        assert r.status == FAILED
        assert broken[r.unit.root.name] in r.message, r.message
        assert "Traceback" not in r.message and "内部错误" not in r.message


def test_good_units_equal_their_single_build(batched) -> None:
    """Every good unit's scores.json equals the one its own facts give; the Word, HTML and
    JSON files of every fourth unit (all five frameworks) equal its `reportkit build` byte for
    byte. (All 195 single builds would double this test's time on a loaded 2-core machine.)"""
    _, _, out, result, _ = batched
    good = [r for r in result.units if r.ok]
    assert len(good) == COUNT - 5
    for r in good:
        *_, scores = load_scores(r.unit.root)
        assert (out / r.unit.folder / "scores.json").read_text(encoding="utf-8") == scores_to_json(scores)
        assert r.unit.folder == r.summary["unit"]  # named by the unit
    sample = good[::4]
    assert {r.summary["framework"] for r in sample} == set(FRAMEWORKS)
    with ProcessPoolExecutor(2) as pool:
        singles = list(pool.map(_single, [str(r.unit.root) for r in sample]))
    docx = set()
    for r, single in zip(sample, singles, strict=True):
        assert set(single) == {"scores.json", f"{r.summary['year']}年度部门整体绩效评价报告.docx",
                               f"{r.summary['year']}年度部门整体绩效评价报告.html"}
        assert _outputs(out / r.unit.folder) == single, r.unit.root
        docx.add(next(v for k, v in single.items() if k.endswith(".docx")))
    assert len(docx) == len(sample)  # every unit's Word file is its own


def _number(cell) -> Decimal | None:  # noqa: ANN001
    assert cell.value is None or isinstance(cell.value, (int, float)), (cell.coordinate, cell.value)
    return None if cell.value is None else Decimal(str(cell.value))


def test_workbook_has_a_row_per_unit_with_numbers(batched) -> None:
    _, broken, out, result, _ = batched
    book = load_workbook(out / "汇总.xlsx")
    assert book.sheetnames[:3] == ["汇总", "覆盖与差异", "失败"]
    sheet = book["汇总"]
    head = [c.value for c in sheet[1]]
    assert head[:6] == ["单位", "层级", "年度", "评价指标体系", "总分", "等级"]
    assert sheet.freeze_panes == "A2" and sheet.auto_filter.ref.startswith("A1:")
    assert sheet.max_row == COUNT + 1
    col = {name: i for i, name in enumerate(head)}
    assert {"政府采购执行情况", "政府采购执行率", "部门决策", "覆盖得分数", "检查错误"} <= set(col)
    assert "district-2021" in sheet.cell(row=1, column=col["政府采购执行情况"] + 1).comment.text
    overrides = declared = 0
    for row, r in zip(sheet.iter_rows(min_row=2), result.units, strict=True):
        if not r.ok:
            assert row[col["状态"]].value == FAILED and row[col["总分"]].value is None
            continue
        scores = json.loads((out / r.unit.folder / "scores.json").read_text(encoding="utf-8"))
        assert row[col["单位"]].value == r.summary["unit"]
        assert row[col["评价指标体系"]].value == scores["framework"]
        assert row[col["总分"]].number_format == "0.00"
        assert _number(row[col["总分"]]) == Decimal(scores["total"])
        for level in scores["levels"]:
            assert _number(row[col[level["name"]]]) == Decimal(level["score"])
        for indicator in scores["indicators"]:
            assert _number(row[col[indicator["name"]]]) == Decimal(indicator["score"])
        absent = "政府采购执行情况" if scores["framework"] == "district-2021" else "政府采购执行率"
        assert row[col[absent]].value is None
        count = sum(1 for i in scores["indicators"] if i["overridden"])
        assert row[col["覆盖得分数"]].value == count
        differ = sum(1 for i in scores["indicators"] if i.get("declared", {}).get("differs"))
        assert row[col["自评与计算不一致数"]].value == differ
        overrides += count
        declared += differ
    exceptions = list(book["覆盖与差异"].iter_rows(min_row=2, values_only=True))
    assert len(exceptions) == overrides + declared and overrides > 0 and declared > 0
    assert {row[2] for row in exceptions} == {"覆盖得分", "自评与计算不一致"}
    assert all(isinstance(row[4], (int, float)) and row[7] for row in exceptions)
    failures = list(book["失败"].iter_rows(min_row=2, values_only=True))
    assert len(failures) == len(broken)
    for _unit, folder, status, message in failures:
        assert status == FAILED and broken[Path(folder).name] in message


def test_summary_page_in_chromium(batched) -> None:
    from playwright.sync_api import sync_playwright

    _, _, out, result, _ = batched
    page_file = out / "汇总.html"
    text = page_file.read_text(encoding="utf-8")
    assert "http://" not in text.replace('xmlns="http://www.w3.org/2000/svg"', "") and "https://" not in text
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        page = browser.new_page()
        errors = []
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.on("requestfailed", lambda r: errors.append(r.url))
        page.goto(page_file.as_uri())
        assert page.locator("#summary tbody tr").count() == COUNT
        assert page.locator("svg").count() > 20  # totals and every level and indicator
        assert page.locator("svg rect").first.bounding_box()["height"] > 0
        head = page.locator("#summary th", has_text="总分").first
        head.click()
        totals = page.eval_on_selector_all(
            "#summary tbody tr", "rows => rows.map(r => r.cells[4].getAttribute('data-v'))")
        numbers = [Decimal(t) for t in totals if t]
        assert numbers == sorted(numbers) and totals[-5:] == [""] * 5  # failed units last
        head.click()
        totals = page.eval_on_selector_all(
            "#summary tbody tr", "rows => rows.map(r => r.cells[4].getAttribute('data-v'))")
        numbers = [Decimal(t) for t in totals if t]
        assert numbers == sorted(numbers, reverse=True)
        assert head.get_attribute("aria-sort") == "descending"
        first = page.locator("#overrides > li").first.inner_text()
        assert "2 项" in first
        browser.close()
    assert not errors, errors


def test_timeout_stops_the_unit_and_leaves_nothing_half_written(tmp_path: Path) -> None:
    make_reports(tmp_path / "in", 3, broken_every=100)
    result = batch([tmp_path / "in"], out=tmp_path / "out", jobs=2, timeout=0.01)
    assert [r.status for r in result.units] == [TIMEOUT] * 3
    assert "超过 0.01 秒" in result.units[0].message
    leftovers = [p for p in (tmp_path / "out").rglob("*") if p.name.endswith(".tmp")]
    assert not leftovers
    assert [c.value for c in load_workbook(result.workbook)["失败"]["C"]][1:] == [TIMEOUT] * 3


def test_cli_exit_codes_and_messages(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    broken = make_reports(tmp_path / "in", 4, broken_every=4)
    assert main(["batch", str(tmp_path / "in"), "-o", str(tmp_path / "out"), "-j", "1"]) == 1
    captured = capsys.readouterr()
    assert "共 4 个单位：生成 3 个，未生成 1 个" in captured.out
    assert broken["unit-003"] in captured.err
    good = tmp_path / "good"
    make_reports(good, 2, broken_every=100)
    assert main(["batch", str(good), "-o", str(tmp_path / "out2")]) == 0
    empty = tmp_path / "empty"
    empty.mkdir()
    assert main(["batch", str(empty)]) == 2
    assert "文件夹中没有报告目录" in capsys.readouterr().err
    assert main(["batch", str(good), "-j", "0"]) == 2
    with pytest.raises(ReportError, match="不是报告目录"):
        listing = tmp_path / "list.txt"
        listing.write_text("good/unit-000\n# a comment\nnowhere\n", encoding="utf-8")
        batch([listing])


def test_list_file_and_same_unit_name(tmp_path: Path) -> None:
    make_reports(tmp_path / "a", 2, broken_every=100)
    make_reports(tmp_path / "b", 1, broken_every=100)  # the same unit name as a/unit-000
    listing = tmp_path / "清单.txt"
    listing.write_text("a/unit-000\na/unit-001  # 第二个\nb/unit-000\na/unit-000\n", encoding="utf-8")
    result = batch([listing], out=tmp_path / "out", jobs=2)
    assert [r.status for r in result.units] == [OK] * 3  # a/unit-000 given twice is built once
    folders = [r.unit.folder for r in result.units]
    assert folders[0] == "测试单位000" and folders[2] != folders[0] and folders[2].startswith("测试单位000-")
    assert "出现 2 次" in result.units[0].unit.notes[0]
    said = [c.value for c in load_workbook(result.workbook)["说明"]["A"]]
    assert any("测试单位000" in (line or "") for line in said)


def test_ctrl_c_keeps_finished_units_and_leaves_no_partial_file(tmp_path: Path) -> None:
    make_reports(tmp_path / "in", 60, broken_every=100)
    out = tmp_path / "out"
    process = subprocess.Popen(
        [sys.executable, "-m", "reportkit", "batch", str(tmp_path / "in"), "-o", str(out), "-j", "2"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    deadline = time.monotonic() + 120
    while not (out.is_dir() and sum(1 for _ in out.glob("*/scores.json")) >= 3):
        assert process.poll() is None and time.monotonic() < deadline
        time.sleep(0.05)
    os.killpg(process.pid, signal.SIGINT)  # what Ctrl-C in a terminal does: the whole group
    stdout, stderr = process.communicate(timeout=60)
    assert process.returncode == 1, stderr.decode()
    assert "已中断" in stderr.decode() and "Traceback" not in stderr.decode()
    assert not [p for p in out.rglob("*") if p.name.endswith(".tmp")]
    done = [d for d in out.iterdir() if d.is_dir()]
    assert 3 <= len(done) < 60
    for folder in done:  # every unit folder is whole
        assert sorted(p.suffix for p in folder.iterdir() if not p.name.startswith(".")) == [".docx", ".html", ".json"]
    rows = list(load_workbook(out / "汇总.xlsx")["汇总"].iter_rows(values_only=True))
    statuses = [row[rows[0].index("状态")] for row in rows[1:]]
    # A unit whose outputs were in place just as Ctrl-C came (one per worker at most) may
    # have no result yet: its folder is whole all the same.
    assert len(done) - 2 <= statuses.count(OK) <= len(done) and "已中断" in statuses
