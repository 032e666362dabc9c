"""Load and validate the facts file into typed values (Decimal money, int counts)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from ..errors import ReportError
from .facts_schema import ASSESSMENT_BLOCKS, BY_PATH, FIELDS, SECTIONS, Field, expected
from .selfeval import Targets, parse_targets
from .yamlio import Located, load_yaml


@dataclass(frozen=True)
class Judgement:
    """One deduction an author makes on a criterion the rules cannot see."""

    indicator: str
    part: int
    deduct: Decimal | None  # None: the part's own per-item deduction
    reason: str
    line: int | None


@dataclass(frozen=True)
class Override:
    """A final score the author insists on, with the reason that `check` reports."""

    indicator: str
    score: Decimal
    reason: str
    line: int | None


@dataclass
class Facts:
    file: str
    values: dict[str, Any]
    located: Located
    judgements: dict[str, list[Judgement]] = field(default_factory=dict)
    overrides: dict[str, Override] = field(default_factory=dict)
    extra: dict[str, Any] = field(default_factory=dict)
    targets: Targets | None = None  # the 目标完成情况自评表, when given

    def get(self, path: str, default: Any = None) -> Any:
        return self.values.get(path, default)

    def has(self, path: str) -> bool:
        return path in self.values

    def line(self, path: str) -> int | None:
        return self.located.line(path)

    def error(self, path: str, message: str, expected: str | None = None) -> ReportError:
        return ReportError(message, file=self.file, line=self.line(path), key=path, expected=expected)


_NUMBER_TEXT = re.compile(r"^[+-]?\d+(\.\d+)?$")


def _fail(located: Located, path: str, message: str, spec: Field | None = None) -> ReportError:
    return ReportError(
        message,
        file=located.file,
        line=located.line(path),
        key=path,
        expected=expected(spec) if spec else None,
    )


def _number(raw: Any, located: Located, path: str, spec: Field) -> Decimal:
    if isinstance(raw, bool) or raw is None:
        raise _fail(located, path, f"这里需要数字，写的是“{raw}”", spec)
    if isinstance(raw, int):
        value = Decimal(raw)
    elif isinstance(raw, Decimal):
        value = raw
    elif isinstance(raw, str) and _NUMBER_TEXT.match(raw.strip()):
        value = Decimal(raw.strip())
    else:
        hint = ""
        if isinstance(raw, str) and re.search(r"\d", raw):
            hint = "；请去掉千分位逗号、单位和百分号，只写数字"
        raise _fail(located, path, f"这里需要数字，写的是“{raw}”{hint}", spec)
    if not value.is_finite():
        raise _fail(located, path, f"“{raw}”不是有限的数字", spec)
    if value < 0:
        raise _fail(located, path, f"不能为负数（写的是 {raw}）", spec)
    if spec.positive and value == 0:
        raise _fail(located, path, "不能为 0（后续计算要以它作分母）", spec)
    return value


def _count(raw: Any, located: Located, path: str, spec: Field) -> int:
    value = _number(raw, located, path, spec)
    if value != value.to_integral_value():
        raise _fail(located, path, f"需要整数，写的是 {raw}", spec)
    return int(value)


def _convert(spec: Field, raw: Any, located: Located) -> Any:
    path = spec.path
    kind = spec.kind
    if kind == "text":
        if isinstance(raw, (dict, list)) or raw is None:
            raise _fail(located, path, "这里需要一段文字", spec)
        return str(raw).strip()
    if kind == "year":
        year = _count(raw, located, path, spec)
        if not 1990 <= year <= 2100:
            raise _fail(located, path, f"年份 {year} 不合理", spec)
        return year
    if kind == "enum":
        if str(raw) not in spec.choices:
            raise _fail(located, path, f"“{raw}”不是可选值", spec)
        return str(raw)
    if kind == "bool":
        if raw in (True, False):
            return raw
        if raw in ("是", "否"):
            return raw == "是"
        raise _fail(located, path, f"“{raw}”不是 是/否", spec)
    if kind == "money":
        return _number(raw, located, path, spec)
    if kind == "count":
        return _count(raw, located, path, spec)
    if kind == "percent":
        value = _number(raw, located, path, spec)
        if value > 100:
            raise _fail(located, path, f"百分数不能超过 100（写的是 {raw}）", spec)
        return value
    if kind == "headcount":
        if isinstance(raw, dict):
            if not raw:
                raise _fail(located, path, "分列的编制不能为空", spec)
            parts = {str(k): _count(v, located, f"{path}.{k}", spec) for k, v in raw.items()}
            return parts
        return _count(raw, located, path, spec)
    if kind in ("money4", "percent4"):
        if not isinstance(raw, list) or len(raw) != 4:
            raise _fail(located, path, "需要恰好 4 个季度的数", spec)
        inner = Field(path, "money" if kind == "money4" else "percent", spec.title)
        values = [_number(v, located, f"{path}.{i}", inner) for i, v in enumerate(raw)]
        if kind == "percent4":
            for i, v in enumerate(values):
                if v > 1000:
                    raise _fail(located, f"{path}.{i}", f"进度 {v}% 不合理", spec)
        for i in range(1, 4):
            if values[i] < values[i - 1]:
                raise _fail(
                    located,
                    f"{path}.{i}",
                    f"累计数逐季不能减少：第{i + 1}季度 {values[i]} 小于第{i}季度 {values[i - 1]}",
                    spec,
                )
        return values
    if kind == "texts":
        if raw is None:
            return ()
        if not isinstance(raw, list):
            raise _fail(located, path, "这里需要一个列表", spec)
        return tuple(str(x) for x in raw)
    raise AssertionError(kind)


def _judgements(raw: Any, located: Located) -> dict[str, list[Judgement]]:
    if raw is None:
        return {}
    if not isinstance(raw, dict):
        raise _fail(located, "judgements", "需要按指标名称列出扣分，如 预算编制合理性: [{part: 4, deduct: 0.1, reason: …}]")
    result: dict[str, list[Judgement]] = {}
    for name, items in raw.items():
        base = f"judgements.{name}"
        if isinstance(items, dict):
            items = [items]
        if not isinstance(items, list):
            raise _fail(located, base, "需要扣分条目的列表，每条含 part（第几条标准）、deduct（扣分）、reason（原因）")
        entries = []
        for i, item in enumerate(items):
            path = f"{base}.{i}"
            if not isinstance(item, dict):
                raise _fail(located, path, "每条扣分需写成 {part: 1, deduct: 0.5, reason: 原因}")
            unknown = set(item) - {"part", "deduct", "reason"}
            if unknown:
                raise _fail(located, f"{path}.{sorted(unknown)[0]}", "未知的键；只能是 part、deduct、reason")
            reason = str(item.get("reason") or "").strip()
            if not reason:
                raise _fail(located, path, "扣分必须写明原因（reason）")
            part_spec = Field(f"{path}.part", "count", "第几条标准")
            part = _count(item.get("part", 1), located, f"{path}.part", part_spec)
            if part < 1:
                raise _fail(located, f"{path}.part", "标准序号从 1 开始")
            deduct = None
            if "deduct" in item:
                deduct = _number(item["deduct"], located, f"{path}.deduct", Field(f"{path}.deduct", "money", "扣分"))
            entries.append(Judgement(str(name), part, deduct, reason, located.line(path)))
        result[str(name)] = entries
    return result


def _overrides(raw: Any, located: Located) -> dict[str, Override]:
    if raw is None:
        return {}
    if not isinstance(raw, dict):
        raise _fail(located, "overrides", "需要按指标名称写出 {score: 分数, reason: 原因}")
    result = {}
    for name, item in raw.items():
        path = f"overrides.{name}"
        if not isinstance(item, dict) or "score" not in item:
            raise _fail(located, path, "需要写成 {score: 分数, reason: 原因}")
        reason = str(item.get("reason") or "").strip()
        if not reason:
            raise _fail(located, path, "覆盖计算得分必须写明原因（reason）")
        score = _number(item["score"], located, f"{path}.score", Field(path, "money", "得分"))
        result[str(name)] = Override(str(name), score, reason, located.line(path))
    return result


def _cross_checks(values: dict[str, Any], located: Located) -> None:
    """Values that cannot all be true at once."""
    pairs = [
        ("fixed_assets.in_use", "fixed_assets.total", "在用固定资产不能大于固定资产总额"),
        ("projects.on_time", "projects.planned", "按时完成项目数不能大于计划项目数"),
        ("petitions.replied", "petitions.received", "已办理回复件数不能大于收到的信访件数"),
        ("petitions.on_time", "petitions.replied", "按时办理回复件数不能大于已办理回复件数"),
        ("key_tasks.unfinished", "key_tasks.total", "未完成重点工作数不能大于重点工作总数"),
    ]
    for small, big, message in pairs:
        if small in values and big in values and values[small] > values[big]:
            raise _fail(located, small, f"{message}（{values[small]} > {values[big]}）")


def parse_facts(data: Any, located: Located) -> Facts:
    if not isinstance(data, dict):
        raise ReportError("事实文件的顶层应是键值对（如 budget: …）", file=located.file, line=1)
    values: dict[str, Any] = {}
    extra: dict[str, Any] = {}
    for key, raw in data.items():
        key = str(key)
        if key in ASSESSMENT_BLOCKS or key == "targets":
            continue
        if key == "extra":
            if not isinstance(raw, dict):
                raise _fail(located, key, "extra 需要键值对：自定义的事实，可在正文中以 {{ extra.名称 }} 引用")
            extra = raw
            continue
        if key in BY_PATH:  # top-level facts such as satisfaction
            if raw is not None:
                values[key] = _convert(BY_PATH[key], raw, located)
            continue
        if key not in SECTIONS:
            known = "、".join(SECTIONS + [f.path for f in FIELDS if "." not in f.path] + ["extra", "targets", *ASSESSMENT_BLOCKS])
            raise _fail(located, key, f"未知的键“{key}”；可用的顶层键：{known}")
        if raw is None:
            continue
        if not isinstance(raw, dict):
            raise _fail(located, key, f"“{key}”下面需要键值对")
        for sub, sub_raw in raw.items():
            path = f"{key}.{sub}"
            spec = BY_PATH.get(path)
            if spec is None:
                names = "、".join(f.path.split(".", 1)[1] for f in FIELDS if f.path.startswith(key + "."))
                raise _fail(located, path, f"未知的键“{sub}”；“{key}”下可用的键：{names}")
            if sub_raw is None:
                continue
            values[path] = _convert(spec, sub_raw, located)
    for spec in FIELDS:
        if spec.path not in values:
            if spec.required:
                raise ReportError(
                    f"缺少必填的“{spec.title}”", file=located.file, line=located.line(spec.path.split(".")[0]) or 1,
                    key=spec.path, expected=expected(spec),
                )
            if spec.default is not None:
                values[spec.path] = spec.default
    _cross_checks(values, located)
    return Facts(
        file=located.file,
        values=values,
        located=located,
        judgements=_judgements(data.get("judgements"), located),
        overrides=_overrides(data.get("overrides"), located),
        extra=extra,
        targets=parse_targets(data.get("targets"), located),
    )


def load_facts(path: Path) -> Facts:
    data, located = load_yaml(path)
    return parse_facts(data, located)


__all__ = ["Facts", "Judgement", "Override", "load_facts", "parse_facts"]
