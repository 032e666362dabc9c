"""Issue 6: `reportkit schema` — the facts file as a JSON Schema (draft 2020-12), from facts_schema."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from reportkit.cli import main
from reportkit.load.facts_schema import ASSESSMENT_BLOCKS, FIELDS, SUMS
from reportkit.load.schema import DIALECT, facts_schema, schema_json

DATA = Path(__file__).parent / "data" / "check"


def _property(schema: dict, path: str) -> dict:
    head, _, leaf = path.partition(".")
    block = schema["properties"][head]
    return block["properties"][leaf] if leaf else block


def test_every_fact_with_its_title_unit_help_and_requirement() -> None:
    schema = facts_schema()
    assert schema["$schema"] == DIALECT == "https://json-schema.org/draft/2020-12/schema"
    for spec in FIELDS:
        prop = _property(schema, spec.path)
        assert prop["title"] == spec.title
        assert spec.help.split("；")[0].rstrip("。") in prop["description"]
        assert prop.get("x-unit", "") == spec.unit
        head, _, leaf = spec.path.partition(".")
        if leaf:
            # a total computed from its parts when left out is not required by the schema
            required = spec.required and spec.path not in {total for total, _ in SUMS}
            assert (leaf in schema["properties"][head].get("required", [])) == required
            assert schema["properties"][head]["additionalProperties"] is False
        if spec.kind == "enum":
            assert prop["enum"][: len(spec.choices)] == list(spec.choices)
    assert schema["required"] == ["report", "budget"]
    assert set(ASSESSMENT_BLOCKS) <= set(schema["properties"]) and "extra" in schema["properties"]
    assert schema["additionalProperties"] is False


def test_types_follow_the_kinds() -> None:
    schema = facts_schema()
    assert _property(schema, "budget.initial")["exclusiveMinimum"] == 0  # required and positive: no null
    assert _property(schema, "budget.spent")["type"] == "number"
    assert _property(schema, "budget.previous_initial")["type"] == ["number", "null"]
    assert _property(schema, "satisfaction")["maximum"] == 100
    assert _property(schema, "quarterly.cumulative_spent")["minItems"] == 4
    assert _property(schema, "report.level")["enum"] == ["市", "区", None]
    assert _property(schema, "key_tasks.unfinished")["default"] == 0
    assert _property(schema, "compliance.violations")["default"] == []
    headcount = _property(schema, "staff.authorized")["anyOf"]
    assert {"type": "integer", "minimum": 0} in headcount and {"type": "null"} in headcount


@pytest.mark.parametrize("seed", ["seed000", "seed001", "seed002"])
def test_the_schema_names_every_key_the_seeds_use(seed: str) -> None:
    schema = facts_schema()
    data = yaml.safe_load((DATA / seed / "content" / "facts.yaml").read_text(encoding="utf-8"))
    for key, value in data.items():
        assert key in schema["properties"], key
        block = schema["properties"][key]
        if isinstance(value, dict) and "properties" in block:
            assert set(value) <= set(block["properties"]), key


def test_the_cli_prints_and_writes_the_same_schema(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    assert main(["schema"]) == 0
    printed = capsys.readouterr().out
    assert printed == schema_json() and json.loads(printed) == facts_schema()
    target = tmp_path / "nested" / "facts.schema.json"
    assert main(["schema", "-o", str(target)]) == 0
    assert target.read_text(encoding="utf-8") == printed
    assert str(target) in capsys.readouterr().out


def test_the_cli_refuses_a_directory(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    assert main(["schema", "-o", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert "不是文件" in err and "Traceback" not in err


# -- the schema as editors use it: a real JSON Schema validator (jsonschema) -------------------

EXAMPLE = Path(__file__).parents[1] / "content" / "facts.yaml"


def _validator():
    import jsonschema  # a test dependency (pyproject: the "test" extra)

    schema = facts_schema()
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema)


def _errors(data: dict) -> list[str]:
    return sorted(".".join(map(str, e.absolute_path)) for e in _validator().iter_errors(data))


@pytest.mark.parametrize("path", [EXAMPLE, *(DATA / s / "content" / "facts.yaml" for s in ("seed000", "seed001", "seed002"))],
                         ids=["example", "seed000", "seed001", "seed002"])
def test_the_facts_files_reportkit_accepts_are_valid_against_the_schema(path: Path) -> None:
    assert _errors(yaml.safe_load(path.read_text(encoding="utf-8"))) == []


def test_the_schema_rejects_what_the_loader_rejects() -> None:
    data = yaml.safe_load(EXAMPLE.read_text(encoding="utf-8"))
    data["budget"]["adjusted"] = "3,303.88万元"
    data["budget"]["spent"] = -1
    data["satisfaction"] = 186
    data["staff"]["unknown"] = 1
    data["targets"]["tasks"][0].pop("spent")
    data["targets"]["indicators"][0]["actual"] = ["一", "二"]  # (null or '' is a blank cell: accepted)
    data["targets"]["unit"] = "千元"
    data["report"]["date"] = "-1"
    assert _errors(data) == ["budget.adjusted", "budget.spent", "report.date", "satisfaction", "staff",
                             "targets.indicators.0.actual", "targets.tasks.0", "targets.unit"]


def test_the_targets_block_is_described_in_full() -> None:
    targets = facts_schema()["properties"]["targets"]
    assert targets["required"] == ["tasks", "goals", "indicators"]
    task = targets["properties"]["tasks"]["items"]
    assert set(task["properties"]) == {"name", "result", "budget", "budget_fiscal", "spent", "spent_fiscal"}
    assert task["properties"]["budget"]["anyOf"][0]["minimum"] == 0 and task["additionalProperties"] is False
    assert targets["properties"]["unit"]["enum"] == ["万元", "元"]
    assert targets["properties"]["indicators"]["items"]["required"] == ["level", "group", "name", "expected", "actual"]
    assert _errors({"report": {"unit": "x", "year": 2023}, "budget": {"initial": 1, "adjusted": 1, "spent": 1},
                    "targets": None}) == []
