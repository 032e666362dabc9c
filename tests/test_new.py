"""Issue 6: `reportkit new` scaffolds a report folder; check lists its to-dos; build refuses it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from reportkit.check.run import check_report, require_finished
from reportkit.cli import main
from reportkit.errors import ReportError
from reportkit.findings import ERROR, TODO, WARNING
from reportkit.importer.run import set_report_fields
from reportkit.load import BY_PATH
from reportkit.load.facts_schema import FIELDS
from reportkit.load.outline import all_sections
from reportkit.load.schema import SCHEMA_FILE, schema_json
from reportkit.load.selfeval import parse_targets
from reportkit.load.yamlio import load_yaml
from reportkit.scaffold import scaffold

SEED000 = Path(__file__).parent / "data" / "check" / "seed000" / "content" / "facts.yaml"


@pytest.fixture
def fresh(tmp_path: Path, capsys: pytest.CaptureFixture) -> Path:
    root = tmp_path / "2021年度报告"
    assert main(["new", str(root), "--year", "2021", "--unit", "深圳市人民政府口岸办公室"]) == 0
    return root


def test_new_writes_every_file(fresh: Path, capsys: pytest.CaptureFixture) -> None:
    out = capsys.readouterr().out
    expected = {SCHEMA_FILE, "content/facts.yaml", "reportkit.yaml", ".gitignore"}
    expected |= {f"content/{s.file}" for s in all_sections()}
    written = {p.relative_to(fresh).as_posix() for p in fresh.rglob("*") if p.is_file()}
    assert written == expected
    assert all(name in out for name in expected)
    assert (fresh / ".gitignore").read_text(encoding="utf-8") == "build/\n"
    assert (fresh / SCHEMA_FILE).read_text(encoding="utf-8") == schema_json()


def test_the_facts_file_has_every_key_commented(fresh: Path) -> None:
    path = fresh / "content" / "facts.yaml"
    lines = path.read_text(encoding="utf-8").splitlines()
    header = lines[0]
    assert header.startswith("# yaml-language-server: $schema=")
    assert (path.parent / header.split("$schema=")[1]).resolve() == (fresh / SCHEMA_FILE).resolve()
    data, located = load_yaml(path)
    for spec in FIELDS:
        line = located.line(spec.path)
        assert line and located.lines.get(spec.path) == line, spec.path
        comment = lines[line - 2]
        assert comment.lstrip().startswith("#") and spec.title in comment and spec.path in comment, spec.path
        if spec.unit:
            assert spec.unit in comment
        if spec.help:
            assert spec.help.split("；")[0].rstrip("。") in comment
    assert data["report"] == {
        "unit": "深圳市人民政府口岸办公室", "year": 2021, "preparer": None, "phone": None, "level": "市",
        "kind": None, "self_name": None, "framework": "city-2021", "outline": "shenzhen-city", "date": None,
    }
    assert data["budget"]["initial"] is None and data["judgements"] is None and data["overrides"] is None


def test_the_section_files_hold_only_their_guidance(fresh: Path) -> None:
    for section in all_sections():
        text = (fresh / "content" / section.file).read_text(encoding="utf-8")
        assert text.startswith("{#") and text.rstrip().endswith("#}")
        assert section.guidance in text


def test_framework_and_level(tmp_path: Path) -> None:
    root = tmp_path / "district"
    files = scaffold(root, year=2023, unit="深圳市龙华区人民政府办公室", framework="district-2021", level="区")
    assert all(p.is_file() for p in files)
    data, _ = load_yaml(root / "content" / "facts.yaml")
    assert (data["report"]["level"], data["report"]["framework"], data["report"]["year"]) == ("区", "district-2021", 2023)


def test_new_then_check_then_build(fresh: Path, capsys: pytest.CaptureFixture) -> None:
    capsys.readouterr()
    assert main(["check", str(fresh), "--strict"]) == 0
    out = capsys.readouterr().out
    result = check_report(fresh)
    assert not result.of(ERROR) and not result.of(WARNING)
    assert "【待办】" in out and "错误  " not in out
    todos = [f.message for f in result.of(TODO)]
    assert [m for m in todos if m.startswith("待填：")] == [
        f"待填：{BY_PATH[k].title}（{k}，单位：万元）——{BY_PATH[k].help}"
        for k in ("budget.initial", "budget.adjusted", "budget.spent")
    ]
    assert sum(m.startswith("待写：") for m in todos) == len(all_sections()) - 1  # 引言 is optional
    assert "待写：（三）2021年部门预算编制情况" in out
    assert any("“政府采购执行情况”无法计算得分：缺少 procurement.plan、procurement.actual" in m for m in todos)
    with pytest.raises(ReportError) as info:
        require_finished(fresh)
    assert all(m in str(info.value) for m in todos)
    assert main(["build", str(fresh)]) == 2
    captured = capsys.readouterr()
    assert "年初预算" in captured.err and "Traceback" not in captured.err
    assert not (fresh / "build").exists() or not any((fresh / "build").iterdir())


def _fill(text: str, values: dict[str, object]) -> str:
    """Put values after the empty keys of the scaffolded facts file."""
    out, section = [], None
    for line in text.splitlines():
        if line and not line[0].isspace() and not line.startswith("#"):
            section = line.split(":")[0]
            key = section
        else:
            key = f"{section}.{line.strip().split(':')[0]}"
        value = values.get(key)
        if value is not None and line.rstrip().endswith(":"):
            line += " " + json.dumps(value, ensure_ascii=False)
        out.append(line)
    return "\n".join(out) + "\n"


def test_a_filled_scaffold_checks_clean_and_builds(fresh: Path, capsys: pytest.CaptureFixture) -> None:
    seed = yaml.safe_load(SEED000.read_text(encoding="utf-8"))
    values = {f"{top}.{k}": v for top, block in seed.items() if isinstance(block, dict) for k, v in block.items()}
    values["satisfaction"] = seed["satisfaction"]
    path = fresh / "content" / "facts.yaml"
    path.write_text(_fill(path.read_text(encoding="utf-8"), values), encoding="utf-8")
    for section in all_sections():
        (fresh / "content" / section.file).write_text(
            f"{section.guidance}\n\n调整后预算 {{{{ budget.adjusted | wan }}}} 万元，执行率 {{{{ budget.execution_rate | pct }}}}。\n",
            encoding="utf-8")
    capsys.readouterr()
    assert main(["check", str(fresh), "--strict"]) == 0
    assert check_report(fresh).findings == []
    assert main(["build", str(fresh)]) == 0
    assert (fresh / "build" / "scores.json").is_file()


def test_the_importer_can_fill_the_cover_of_a_scaffolded_facts_file(fresh: Path) -> None:
    path = fresh / "content" / "facts.yaml"
    values = {"preparer": "姜海洋", "phone": "83758561", "kind": "单位", "self_name": "我站"}
    text = set_report_fields(path.read_text(encoding="utf-8"), values, path)
    assert {k: str(v) for k, v in yaml.safe_load(text)["report"].items() if k in values} == values


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["--unit", "某局"], "缺少 --year"),
        (["--year", "二〇二一", "--unit", "某局"], "年度“二〇二一”不合理"),
        (["--year", "1890", "--unit", "某局"], "年度“1890”不合理"),
        (["--year", "2021", "--unit", "  "], "单位名称不能为空"),
        (["--year", "2021", "--unit", "某局", "--framework", "city-2099"], "找不到评价指标体系“city-2099”"),
        (["--year", "2021", "--unit", "某局", "--level", "省"], "层级“省”不是可选值"),
    ],
)
def test_bad_arguments(tmp_path: Path, capsys: pytest.CaptureFixture, args: list[str], words: str) -> None:
    assert main(["new", str(tmp_path / "r"), *args]) == 2
    err = capsys.readouterr().err
    assert words in err and "Traceback" not in err
    assert not (tmp_path / "r").exists()


def test_new_refuses_a_folder_that_is_not_empty(fresh: Path, capsys: pytest.CaptureFixture) -> None:
    facts = fresh / "content" / "facts.yaml"
    facts.write_text("# 已填写的事实\n", encoding="utf-8")
    assert main(["new", str(fresh), "--year", "2022", "--unit", "某局"]) == 2
    err = capsys.readouterr().err
    assert "目录不是空的" in err and str(fresh) in err
    assert facts.read_text(encoding="utf-8") == "# 已填写的事实\n"
    target = fresh / ".gitignore"
    assert main(["new", str(target), "--year", "2022", "--unit", "某局"]) == 2
    assert "不是目录" in capsys.readouterr().err


def test_new_accepts_an_empty_folder(tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    assert main(["new", str(tmp_path / "empty"), "--year", "2022", "--unit", "某局"]) == 0
    assert (tmp_path / "empty" / "content" / "facts.yaml").is_file()


def test_the_commented_targets_example_works_once_uncommented(fresh: Path) -> None:
    """The scaffold shows the optional 目标完成情况自评表 block; uncommented, it loads as written."""
    path = fresh / "content" / "facts.yaml"
    text = path.read_text(encoding="utf-8")
    start = text.index("# targets:")
    block = "\n".join(line[2:] for line in text[start:].splitlines() if line.startswith("# "))
    data, _ = load_yaml(path)
    assert "targets" not in data  # commented out: no annex unless the author wants one
    path.write_text(text + "\n" + block + "\n", encoding="utf-8")
    data, located = load_yaml(path)
    targets = parse_targets(data["targets"], located)
    assert [t.name for t in targets.tasks] == ["基本支出", "某某项目"]
    assert targets.tasks[1].budget_fiscal < targets.tasks[1].budget
    assert len(targets.goals) == 1 and targets.indicators[0].name == "指标名称"
