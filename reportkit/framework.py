"""Scoring frameworks as data: load a YAML file, check it, and give typed indicators."""

from __future__ import annotations

from dataclasses import dataclass, field
from fractions import Fraction
from importlib import resources
from pathlib import Path
from typing import Any

from .errors import ReportError
from .numbers import ROUNDING_MODES, plain
from .rules import RULES, known_names, parse_bands, part_points
from .yamlio import Located, load_yaml

SETTINGS_CHOICES = {
    "rounding": tuple(ROUNDING_MODES),
    "adjustment_denominator": ("adjusted", "initial"),
    "adjustment_deduction": ("per_point", "proportional"),
}
DEFAULT_SETTINGS = {
    "rounding": "truncate",
    "decimals": 2,
    "adjustment_denominator": "adjusted",
    "adjustment_deduction": "per_point",
}
ANNEX_LAYOUTS = ("standard", "self_scoring", "weighted_names")
DEFAULT_GRADES = ((Fraction(90), "优"), (Fraction(80), "良"), (Fraction(60), "中"), (Fraction(0), "差"))


@dataclass(frozen=True)
class Part:
    rule: str
    params: dict[str, Any]
    label: str = ""


@dataclass(frozen=True)
class Indicator:
    level: str
    group: str
    name: str
    weight: Fraction
    description: str
    standard: str
    parts: tuple[Part, ...]
    zero_if: str | None = None
    line: int | None = None


@dataclass(frozen=True)
class Group:
    name: str
    weight: Fraction
    indicators: tuple[Indicator, ...]


@dataclass(frozen=True)
class Level:
    name: str
    weight: Fraction
    groups: tuple[Group, ...]


@dataclass
class Framework:
    id: str
    title: str
    year: int
    level: str
    total: Fraction
    levels: tuple[Level, ...]
    settings: dict[str, Any]
    annex: dict[str, Any]
    grades: tuple[tuple[Fraction, str], ...]
    file: str
    caption: str = ""
    notes: tuple[str, ...] = ()
    wording: dict[str, dict[str, str]] = field(default_factory=dict)
    indicators: tuple[Indicator, ...] = field(default=())

    def grade(self, total: Fraction) -> str:
        return next(name for low, name in self.grades if total >= low)

    def words(self, text: str, level: str) -> str:
        """The official text in the wording of the report's level (市委市政府 → 区委区政府)."""
        for old, new in self.wording.get(level, {}).items():
            text = text.replace(old, new)
        return text

    def find(self, name: str) -> Indicator | None:
        return next((i for i in self.indicators if i.name == name), None)


def _num(value: Any, where: str, located: Located, path: str) -> Fraction:
    if isinstance(value, bool) or not isinstance(value, (int, Fraction)) and not _is_decimal(value):
        raise ReportError(f"{where}：需要数字，写的是“{value}”", file=located.file, line=located.line(path), key=path)
    return Fraction(value) if not _is_decimal(value) else Fraction(str(value))


def _is_decimal(value: Any) -> bool:
    from decimal import Decimal

    return isinstance(value, Decimal)


def _params(rule: str, raw: dict, where: str, located: Located, path: str) -> dict[str, Any]:
    spec = RULES[rule]
    names = known_names()
    allowed = {**spec.required, **spec.optional}
    raw = {k: v for k, v in raw.items() if k not in ("rule", "label")}
    for key in spec.required:
        if key not in raw:
            raise ReportError(
                f"{where}：规则 {rule} 缺少参数“{key}”", file=located.file, line=located.line(path), key=f"{path}.{key}",
                expected="、".join(spec.required),
            )
    params: dict[str, Any] = {}
    for key, value in raw.items():
        kpath = f"{path}.{key}"
        kind = allowed.get(key)
        if kind is None:
            raise ReportError(
                f"{where}：规则 {rule} 没有参数“{key}”", file=located.file, line=located.line(kpath), key=kpath,
                expected="、".join(allowed),
            )
        if kind == "number":
            params[key] = _num(value, where, located, kpath)
        elif kind == "name":
            if value not in names:
                raise ReportError(
                    f"{where}：“{value}”不是已知的事实或指标值", file=located.file, line=located.line(kpath), key=kpath,
                    expected="事实文件中的键或计算指标，如 procurement.plan",
                )
            params[key] = value
        elif kind == "bands":
            try:
                params[key] = parse_bands(value)
            except ValueError as exc:
                raise ReportError(f"{where}：{exc}", file=located.file, line=located.line(kpath), key=kpath) from None
        elif kind == "scores":
            if not isinstance(value, dict) or not value:
                raise ReportError(f"{where}：需要“情形: 分值”的映射", file=located.file, line=located.line(kpath), key=kpath)
            params[key] = {str(k): _num(v, where, located, f"{kpath}.{k}") for k, v in value.items()}
        elif kind == "flag":
            if not isinstance(value, bool):
                raise ReportError(f"{where}：需要 true 或 false", file=located.file, line=located.line(kpath), key=kpath)
            params[key] = value
        else:
            params[key] = str(value)
    return params


def _list(node: Any, key: str, where: str, located: Located, path: str) -> list:
    value = node.get(key) if isinstance(node, dict) else None
    if not isinstance(value, list) or not value:
        raise ReportError(f"{where}：缺少“{key}”列表", file=located.file, line=located.line(path), key=f"{path}.{key}")
    return value


def _text(node: dict, key: str, where: str, located: Located, path: str, required: bool = True) -> str:
    value = node.get(key)
    if value is None or str(value).strip() == "":
        if required:
            raise ReportError(f"{where}：缺少“{key}”", file=located.file, line=located.line(path), key=f"{path}.{key}")
        return ""
    return str(value).strip()


def parse_framework(data: Any, located: Located) -> Framework:
    file = located.file
    if not isinstance(data, dict):
        raise ReportError("框架文件的顶层应是键值对", file=file, line=1)
    fid = _text(data, "id", "框架", located, "")
    settings = {**DEFAULT_SETTINGS, **(data.get("settings") or {})}
    for key, choices in SETTINGS_CHOICES.items():
        if settings[key] not in choices:
            raise ReportError(
                f"设置“{key}”的值“{settings[key]}”无效", file=file, line=located.line(f"settings.{key}"),
                key=f"settings.{key}", expected="、".join(choices),
            )
    annex = {"layout": "standard", **(data.get("annex") or {})}
    if annex["layout"] not in ANNEX_LAYOUTS:
        raise ReportError(
            f"附件版式“{annex['layout']}”无效", file=file, line=located.line("annex.layout"), key="annex.layout",
            expected="、".join(ANNEX_LAYOUTS),
        )
    grades = DEFAULT_GRADES
    if data.get("grades"):
        grades = tuple(sorted(((Fraction(str(v)), str(k)) for k, v in data["grades"].items()), reverse=True))

    levels, indicators = [], []
    for li, lraw in enumerate(_list(data, "levels", "框架", located, "")):
        lpath = f"levels.{li}"
        lname = _text(lraw, "name", f"第{li + 1}个一级指标", located, lpath)
        lweight = _num(lraw.get("weight"), f"一级指标“{lname}”的分值", located, f"{lpath}.weight")
        groups = []
        for gi, graw in enumerate(_list(lraw, "groups", f"一级指标“{lname}”", located, lpath)):
            gpath = f"{lpath}.groups.{gi}"
            gname = _text(graw, "name", f"“{lname}”下第{gi + 1}个二级指标", located, gpath)
            gweight = _num(graw.get("weight"), f"二级指标“{gname}”的分值", located, f"{gpath}.weight")
            items = []
            for ii, iraw in enumerate(_list(graw, "indicators", f"二级指标“{gname}”", located, gpath)):
                ipath = f"{gpath}.indicators.{ii}"
                iname = _text(iraw, "name", f"“{gname}”下第{ii + 1}个三级指标", located, ipath)
                where = f"三级指标“{iname}”"
                iweight = _num(iraw.get("weight"), f"{where}的分值", located, f"{ipath}.weight")
                parts = []
                for pi, praw in enumerate(_list(iraw, "parts", where, located, ipath)):
                    ppath = f"{ipath}.parts.{pi}"
                    rule = praw.get("rule") if isinstance(praw, dict) else None
                    if rule not in RULES:
                        raise ReportError(
                            f"{where}：未知的评分规则“{rule}”", file=file, line=located.line(ppath), key=f"{ppath}.rule",
                            expected="、".join(RULES),
                        )
                    params = _params(rule, praw, where, located, ppath)
                    parts.append(Part(rule, params, str(praw.get("label", ""))))
                total_points = sum((part_points(p.rule, p.params) for p in parts), Fraction(0))
                if total_points != iweight:
                    raise ReportError(
                        f"{where}：各评分项合计 {plain_f(total_points)} 分，与指标分值 {plain_f(iweight)} 分不符",
                        file=file, line=located.line(ipath), key=f"{ipath}.parts",
                    )
                zero_if = iraw.get("zero_if")
                if zero_if is not None and zero_if not in known_names():
                    raise ReportError(f"{where}：zero_if 引用了未知的事实“{zero_if}”", file=file, line=located.line(f"{ipath}.zero_if"), key=f"{ipath}.zero_if")
                indicator = Indicator(
                    lname, gname, iname, iweight,
                    _text(iraw, "description", where, located, ipath, required=False),
                    _text(iraw, "standard", where, located, ipath),
                    tuple(parts), zero_if, located.line(ipath),
                )
                items.append(indicator)
                indicators.append(indicator)
            _check_sum(f"二级指标“{gname}”", gweight, [i.weight for i in items], located, gpath)
            groups.append(Group(gname, gweight, tuple(items)))
        _check_sum(f"一级指标“{lname}”", lweight, [g.weight for g in groups], located, lpath)
        levels.append(Level(lname, lweight, tuple(groups)))
    total = _num(data.get("total", 100), "总分", located, "total")
    _check_sum("框架总分", total, [lv.weight for lv in levels], located, "total")
    names = [i.name for i in indicators]
    dupes = {n for n in names if names.count(n) > 1}
    if dupes:
        raise ReportError(f"三级指标名称重复：{'、'.join(sorted(dupes))}", file=file, line=1)
    return Framework(
        id=fid,
        title=_text(data, "title", "框架", located, ""),
        year=int(data.get("year") or 0),
        level=str(data.get("level") or "市"),
        total=total,
        levels=tuple(levels),
        settings=settings,
        annex=annex,
        grades=grades,
        file=file,
        caption=str(data.get("caption") or data.get("title")),
        notes=tuple(str(n) for n in data.get("notes") or ()),
        wording={str(k): {str(a): str(b) for a, b in (v or {}).items()} for k, v in (data.get("wording") or {}).items()},
        indicators=tuple(indicators),
    )


def plain_f(value: Fraction) -> str:
    from decimal import Decimal

    return plain(Decimal(value.numerator) / Decimal(value.denominator))


def _check_sum(where: str, weight: Fraction, children: list[Fraction], located: Located, path: str) -> None:
    got = sum(children, Fraction(0))
    if got != weight:
        raise ReportError(
            f"{where}的分值为 {plain_f(weight)}，但下级指标分值合计为 {plain_f(got)}",
            file=located.file, line=located.line(path), key=f"{path}.weight",
            expected="下级指标分值之和等于上级分值",
        )


def shipped_dir():
    return resources.files("reportkit") / "frameworks"


def shipped_ids() -> list[str]:
    return sorted(p.name[:-5] for p in shipped_dir().iterdir() if p.name.endswith(".yaml"))


def load_framework(ref: str, base: Path) -> Framework:
    """A shipped framework by id, or a framework file relative to the report folder."""
    candidate = base / ref
    if ref.endswith((".yaml", ".yml")) or candidate.is_file():
        path = candidate
    else:
        path = Path(str(shipped_dir() / f"{ref}.yaml"))
        if not path.is_file():
            raise ReportError(
                f"找不到评价指标体系“{ref}”", key="report.framework",
                expected="以下编号之一：" + "、".join(shipped_ids()) + "，或报告目录中的框架文件路径",
            )
    data, located = load_yaml(path)
    return parse_framework(data, located)
