"""The facts file as a JSON Schema (draft 2020-12), generated from load/facts_schema.py FIELDS.

Editors that speak the YAML language server (VS Code's YAML extension and others) read it
to show each key's Chinese title and unit, offer completion and mark wrong types while the
author types. `reportkit new` writes it into the report folder; `reportkit schema` prints it.
"""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path
from typing import Any

from ..errors import ReportError, os_reason
from .facts_schema import (
    ADJUSTMENT_ALIASES,
    ASSESSMENT_BLOCKS,
    FIELDS,
    PROJECT_KEYS,
    SUMS,
    Field,
    expected,
)
from .selfeval import targets_schema

DIALECT = "https://json-schema.org/draft/2020-12/schema"
# Where `reportkit new` puts the schema, relative to the report folder.
SCHEMA_FILE = ".reportkit/facts.schema.json"

_NUMBER = {"type": "number", "minimum": 0}
_COUNT = {"type": "integer", "minimum": 0}


def _kind_schema(spec: Field) -> dict[str, Any]:
    """The JSON Schema of one value, without title and description."""
    kind = spec.kind
    if kind == "text" and spec.form == "date":
        return {"type": "string", "pattern": _DATE_PATTERN}
    if kind == "text":
        return {"type": ["string", "number"]}  # 电话 83758561 is read as a number and kept as text
    if kind == "year":
        return {"type": "integer", "minimum": 1990, "maximum": 2100}
    if kind == "enum":
        return {"enum": list(spec.choices)}
    if kind == "money":
        return {"type": "number", "exclusiveMinimum": 0} if spec.positive else dict(_NUMBER)
    if kind == "count":
        return dict(_COUNT)
    if kind == "headcount":
        return {"anyOf": [dict(_COUNT), {"type": "object", "minProperties": 1, "additionalProperties": dict(_COUNT)}]}
    if kind == "percent":
        return {"type": "number", "minimum": 0, "maximum": 100}
    if kind == "money4":
        return {"type": "array", "items": dict(_NUMBER), "minItems": 4, "maxItems": 4}
    if kind == "percent4":
        return {"type": "array", "items": {"type": "number", "minimum": 0, "maximum": 1000}, "minItems": 4, "maxItems": 4}
    if kind == "bool":
        return {"anyOf": [{"type": "boolean"}, {"enum": ["是", "否"]}]}
    if kind == "texts":
        return {"type": "array", "items": {"type": "string"}}
    if kind == "contract":
        by_kind = {"type": "object", "minProperties": 1, "additionalProperties": False,
                   "properties": {k: dict(_COUNT) for k in spec.choices}}
        return {"anyOf": [dict(_COUNT), by_kind]}
    if kind == "date":
        return {"type": "string", "pattern": _DATE_PATTERN}
    if kind == "adjustments":
        kinds = [*spec.choices, *ADJUSTMENT_ALIASES]
        item = {
            "type": "object",
            "properties": {
                "kind": {"title": "调整类型", "enum": kinds},
                "amount": {"title": "金额", "x-unit": "万元", **_NUMBER},
                "note": {"title": "说明", "type": "string"},
            },
            "required": ["kind", "amount"],
            "additionalProperties": False,
        }
        by_kind = {"type": "object", "propertyNames": {"enum": kinds}, "additionalProperties": dict(_NUMBER)}
        return {"anyOf": [{"type": "array", "items": item}, by_kind]}
    if kind == "projects":
        titles = {"name": "项目名称", "initial": "年初预算", "adjusted": "调整后预算", "spent": "支出",
                  "on_time": "是否按计划时间完成（不填：本年不要求完成）", "reason": "未按时完成的原因",
                  "procurement_plan": "政府采购计划金额", "procurement_actual": "实际采购金额", "note": "说明"}
        props = {}
        for key, item_kind in PROJECT_KEYS.items():
            inner = _kind_schema(Field(key, item_kind, titles[key]))
            props[key] = {"title": titles[key], **({"x-unit": "万元"} if item_kind == "money" else {}), **inner}
        return {"type": "array", "items": {"type": "object", "properties": props, "required": ["name"],
                                           "additionalProperties": False}}
    raise AssertionError(kind)


# 2023-01-17, 2023/1/17, 2023.1.17 or 2023年1月17日 (load/facts.py reads the same forms)
_DATE_PATTERN = r"^\d{4}\s*[-/.年]\s*\d{1,2}\s*[-/.月]\s*\d{1,2}\s*日?$"


def _nullable(schema: dict[str, Any]) -> dict[str, Any]:
    """An optional fact may be left empty (`key:` with no value)."""
    if "enum" in schema:
        return {**schema, "enum": [*schema["enum"], None]}
    if "anyOf" in schema:
        return {**schema, "anyOf": [*schema["anyOf"], {"type": "null"}]}
    types = schema["type"] if isinstance(schema["type"], list) else [schema["type"]]
    return {**schema, "type": [*types, "null"]}


def describe(spec: Field) -> str:
    """Meaning, unit and expected form of a fact, as the editor shows it on hover."""
    parts = [spec.help] if spec.help else []
    if spec.unit:
        parts.append(f"单位：{spec.unit}")
    parts.append(f"填写：{expected(spec)}")
    if spec.required:
        parts.append("必填")
    elif spec.default not in (None, ()):
        parts.append(f"不填则为 {spec.default}")
    return "。".join(p.rstrip("。") for p in parts) + "。"


def field_schema(spec: Field) -> dict[str, Any]:
    schema = _kind_schema(spec)
    if not spec.required:
        schema = _nullable(schema)
    result: dict[str, Any] = {"title": spec.title, "description": describe(spec), **schema}
    if spec.unit:
        result["x-unit"] = spec.unit
    if spec.default is not None:
        result["default"] = list(spec.default) if isinstance(spec.default, tuple) else spec.default
    return result


def _judgements_schema() -> dict[str, Any]:
    entry = {
        "type": "object",
        "properties": {
            "part": {"title": "第几条评分标准", "type": "integer", "minimum": 1, "default": 1},
            "deduct": {"title": "扣分", "type": "number", "minimum": 0,
                       "description": "不填则按该条标准的每项扣分计算"},
            "reason": {"title": "扣分原因", "type": "string", "minLength": 1},
        },
        "required": ["reason"],
        "additionalProperties": False,
    }
    return {
        "title": "人工评判的扣分",
        "description": "按三级指标名称列出需要人工判断的条款的扣分，每条写明第几条标准、扣分和原因；未列出的条款得满分。",
        "type": ["object", "null"],
        "additionalProperties": {"anyOf": [entry, {"type": "array", "items": entry}]},
    }


def _overrides_schema() -> dict[str, Any]:
    return {
        "title": "坚持与规则不同的得分",
        "description": "按三级指标名称写出得分和原因；reportkit check 会逐条列出覆盖得分和规则计算的得分。",
        "type": ["object", "null"],
        "additionalProperties": {
            "type": "object",
            "properties": {
                "score": {"title": "得分", "type": "number", "minimum": 0},
                "reason": {"title": "原因", "type": "string", "minLength": 1},
            },
            "required": ["score", "reason"],
        },
    }


def _declared_schema() -> dict[str, Any]:
    score = {"type": ["number", "null"], "minimum": 0}
    return {
        "title": "单位自己填报的得分",
        "description": "自评表中单位填报的得分（可由 reportkit import 从上年报告或已提交的附件写入）。"
                       "不代替计算得分：reportkit score 并列显示两者，reportkit check 逐条列出不同之处及原因；"
                       "坚持填报得分的，在 overrides 中写明得分和原因。",
        "type": ["object", "null"],
        "properties": {
            "source": {"title": "来源", "type": "string", "description": "如 2022年度自评表（附件2）"},
            "total": {"title": "综合评分（总分）", **score},
            "grade": {"title": "评分等级", "type": ["string", "null"]},
            "scores": {"title": "各三级指标得分", "type": ["object", "null"],
                       "description": "三级指标名称: 得分；表中空白的格留空",
                       "additionalProperties": score},
        },
        "additionalProperties": False,
    }


def facts_schema() -> dict[str, Any]:
    """The whole facts file: one property per section of FIELDS, in the table's order."""
    properties: dict[str, Any] = {}
    required: list[str] = []
    computable = {total for total, _ in SUMS}  # may be left out when the parts are given
    for spec in FIELDS:
        section, _, leaf = spec.path.partition(".")
        if not leaf:  # a top-level fact such as satisfaction
            properties[section] = field_schema(spec)
            if spec.required:
                required.append(section)
            continue
        block = properties.setdefault(
            section, {"type": "object", "properties": {}, "required": [], "additionalProperties": False}
        )
        block["properties"][leaf] = field_schema(spec)
        if spec.required:
            if spec.path not in computable:
                block["required"].append(leaf)
            if section not in required:
                required.append(section)
    for block in properties.values():
        if block.get("required") == []:
            del block["required"]
    blocks = {"judgements": _judgements_schema(), "overrides": _overrides_schema(), "declared": _declared_schema()}
    assert set(blocks) == set(ASSESSMENT_BLOCKS)
    properties.update(blocks)
    properties["targets"] = targets_schema()
    properties["previous"] = {
        "title": "上一年度报告",
        "description": "去年的报告目录（相对于本报告目录），或同一 git 仓库的版本 {git: v2023}（可加 path: 目录）；"
                       "正文可用 {{ previous.… }} 和 {{ change.… }}。",
        "anyOf": [{"type": "string"}, {"type": "object", "properties": {"git": {"type": "string"}, "path": {"type": "string"}},
                                       "additionalProperties": False}],
    }
    properties["extra"] = {
        "title": "自定义事实",
        "description": "不在固定事实表中的数字或文字，可在正文中以 {{ extra.名称 }} 引用。",
        "type": "object",
    }
    return {
        "$schema": DIALECT,
        "title": "reportkit 事实文件（content/facts.yaml）",
        "description": "部门整体支出绩效评价报告的全部事实：每个数字只填写一次，正文用 {{ }} 引用。金额单位为万元。",
        "type": "object",
        "properties": properties,
        "required": required,
        "additionalProperties": False,
    }


def schema_json() -> str:
    return json.dumps(facts_schema(), ensure_ascii=False, indent=2) + "\n"


def write_text_atomic(path: Path, text: str) -> None:
    """Write through a temporary file beside the target, so a failure leaves no half file.
    A target that cannot be written (a folder, no permission, a full disk) is a ReportError."""
    if path.is_dir():
        raise ReportError("这是一个文件夹，不能写成文件", file=path, expected="一个文件的路径，如 草稿.yaml")
    for parent in path.parents:
        if parent.exists() and not parent.is_dir():
            raise ReportError(f"无法写入文件（路径中的“{parent}”是文件，不是文件夹）", file=path,
                              expected="一个文件夹中的文件")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    except OSError as exc:
        raise ReportError(f"无法写入文件（{os_reason(exc)}）", file=path, expected="一个可以写入的位置") from None
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
        mask = os.umask(0)
        os.umask(mask)
        os.chmod(tmp, 0o666 & ~mask)  # mkstemp's 0600 would hide the file from colleagues on a shared drive
        os.replace(tmp, path)
    except OSError as exc:
        raise ReportError(f"无法写入文件（{os_reason(exc)}）", file=path, expected="一个可以写入的位置") from None
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
