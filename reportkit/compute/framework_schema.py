"""A framework file as a JSON Schema (draft 2020-12), generated from the rule table.

Editors (VS Code's YAML extension and the like) then complete the rule names and their
parameters and flag a misspelt key in a hand-edited framework; `reportkit framework check`
remains the full check (weights adding up, names of facts, bands covering every value).
"""

from __future__ import annotations

import json
from typing import Any

from .defined import OPERATIONS
from .framework import (
    ANNEX_KEYS,
    ANNEX_LAYOUTS,
    DEFAULT_SETTINGS,
    GROUP_KEYS,
    INDICATOR_KEYS,
    LEVEL_KEYS,
    LEVELS,
    SETTINGS_CHOICES,
    TOP_KEYS,
)
from .rules import CHOICES, RULES, names_of_kind

DIALECT = "https://json-schema.org/draft/2020-12/schema"
_NUMBER = {"type": "number", "minimum": 0}
_KIND_TITLES = {
    "number": "不小于 0 的数字", "signed": "数字（可为负）", "flag": "true 或 false", "text": "文字",
    "bands": "区间（百分数）到分值的映射", "signed_bands": "变动率区间（可为负）到分值的映射",
    "scores": "情形到分值的映射",
}


def _param(kind: str) -> dict[str, Any]:
    if kind == "number":
        return {**_NUMBER, "description": _KIND_TITLES[kind]}
    if kind == "signed":
        return {"type": "number", "description": _KIND_TITLES[kind]}
    if kind == "flag":
        return {"type": "boolean"}
    if kind == "text":
        return {"type": "string"}
    if kind in ("bands", "signed_bands"):
        return {"type": "object", "additionalProperties": _NUMBER, "description": _KIND_TITLES[kind]}
    if kind == "scores":
        return {"type": "object", "additionalProperties": _NUMBER, "description": _KIND_TITLES[kind]}
    if kind in CHOICES:
        return {"enum": list(CHOICES[kind]), "description": "；".join(f"{k}：{v}" for k, v in CHOICES[kind].items())}
    # a fact or metric name; the framework's own metrics are allowed too, so no enum
    return {"type": "string", "examples": sorted(names_of_kind(kind))[:40]}


def _part_schema() -> dict[str, Any]:
    variants = []
    for name, spec in RULES.items():
        properties = {"rule": {"const": name}, "label": {"type": "string", "description": "评分项名称（可选）"}}
        properties |= {k: _param(kind) for k, kind in {**spec.required, **spec.optional}.items()}
        variants.append({
            "type": "object", "required": ["rule", *spec.required], "properties": properties,
            "additionalProperties": False, "description": (spec.func.__doc__ or name).strip().splitlines()[0],
        })
    return {"oneOf": variants}


def _closed(keys: tuple[str, ...], properties: dict[str, Any], required: tuple[str, ...]) -> dict[str, Any]:
    return {"type": "object", "properties": {k: properties.get(k, {}) for k in keys},
            "required": list(required), "additionalProperties": False}


def framework_schema() -> dict[str, Any]:
    indicator = _closed(INDICATOR_KEYS, {
        "name": {"type": "string"}, "weight": {**_NUMBER, "exclusiveMinimum": 0},
        "description": {"type": "string"}, "standard": {"type": "string"},
        "parts": {"type": "array", "minItems": 1, "items": _part_schema()},
        "zero_if": {"type": "string", "enum": sorted(names_of_kind("texts"))},
    }, ("name", "weight", "standard", "parts"))
    group = _closed(GROUP_KEYS, {"name": {"type": "string"}, "weight": _NUMBER,
                                 "indicators": {"type": "array", "minItems": 1, "items": indicator}},
                    ("name", "weight", "indicators"))
    level = _closed(LEVEL_KEYS, {"name": {"type": "string"}, "weight": _NUMBER,
                                 "groups": {"type": "array", "minItems": 1, "items": group}},
                    ("name", "weight", "groups"))
    settings = {"type": "object", "additionalProperties": False, "properties": {
        key: ({"enum": list(SETTINGS_CHOICES[key])} if key in SETTINGS_CHOICES
              else {"type": "integer", "minimum": 0, "maximum": 4} if key == "decimals" else {})
        for key in DEFAULT_SETTINGS}}
    metric = {"type": "object", "additionalProperties": False, "minProperties": 2, "maxProperties": 2,
              "properties": {"title": {"type": "string"},
                             **{op: {"type": "array", "items": {"type": "string"}, "minItems": 2,
                                     "description": meaning} for op, (_, meaning) in OPERATIONS.items()}}}
    top = {
        "id": {"type": "string"}, "title": {"type": "string"}, "caption": {"type": "string"},
        "year": {"type": "integer"}, "level": {"enum": list(LEVELS)}, "total": _NUMBER,
        "source": {"type": "string", "description": "指标表的来源（通知、文号、年度）"},
        "settings": settings,
        "annex": {"type": "object", "properties": {"layout": {"enum": list(ANNEX_LAYOUTS)}},
                  "propertyNames": {"enum": list(ANNEX_KEYS)}},
        "grades": {"type": "object", "additionalProperties": _NUMBER},
        "wording": {"type": "object"},
        "notes": {"type": "array", "items": {"type": "string"}},
        "metrics": {"type": "object", "additionalProperties": metric,
                    "description": "本指标体系自定义的指标：比率、差额、合计或变动率"},
        "levels": {"type": "array", "minItems": 1, "items": level},
    }
    schema = _closed(TOP_KEYS, top, ("id", "title", "levels"))
    return {"$schema": DIALECT, "title": "reportkit 评价指标体系文件", **schema}


def framework_schema_json() -> str:
    return json.dumps(framework_schema(), ensure_ascii=False, indent=2) + "\n"
