"""`reportkit new`: a new report folder with every file the author fills in.

Everything is generated from the tables the rest of reportkit reads — the facts file from
load/facts_schema.py FIELDS, the section files from load/outline.py, the options from load/config.py OPTIONS — so
a new fact or section shows up here without a second copy.

After `new`, `reportkit check` lists what is still to do (facts to fill, sections to
write) and `reportkit build` stops with that same list until it is empty.
"""

from __future__ import annotations

import json
from pathlib import Path

from .compute import Framework, is_judgement_part, load_framework, shipped_ids
from .errors import ReportError
from .load import (
    BY_PATH,
    CONFIG_FILE,
    EXAMPLES,
    FIELDS,
    NEEDS,
    OPTIONS,
    SCHEMA_FILE,
    Field,
    Outline,
    Section,
    choose_outline,
    expected,
    fill,
    load_outline,
    outline_ids,
    schema_json,
    write_text_atomic,
)

FACTS_FILE = "content/facts.yaml"
GITIGNORE = "build/\n"


def _check_target(root: Path) -> None:
    if root.exists() and not root.is_dir():
        raise ReportError("目标已存在且不是目录", file=root, expected="一个不存在的或空的目录")
    if root.is_dir() and any(root.iterdir()):
        raise ReportError(
            "目录不是空的；为免覆盖已有文件，reportkit new 只在新目录或空目录中创建报告",
            file=root, expected="一个不存在的或空的目录，如 reportkit new 2023年度报告 --year 2023 --unit 单位名称",
        )


def _check_arguments(year: int, unit: str, framework: str, level: str) -> None:
    year_spec, unit_spec, level_spec = BY_PATH["report.year"], BY_PATH["report.unit"], BY_PATH["report.level"]
    if isinstance(year, bool) or not isinstance(year, int) or not 1990 <= year <= 2100:
        raise ReportError(f"年度“{year}”不合理", key="--year", expected=expected(year_spec))
    if not isinstance(unit, str) or not unit.strip() or "\n" in unit:
        raise ReportError("单位名称不能为空，也不能换行", key="--unit", expected=unit_spec.help)
    if level not in level_spec.choices:
        raise ReportError(f"层级“{level}”不是可选值", key="--level", expected=expected(level_spec))
    if framework not in shipped_ids():
        raise ReportError(
            f"找不到评价指标体系“{framework}”", key="--framework",
            expected="以下编号之一：" + "、".join(shipped_ids()) + "（reportkit frameworks 列出全部）",
        )


def _scalar(value: object) -> str:
    """A YAML scalar that reads back as exactly this value (JSON strings are valid YAML)."""
    return json.dumps(value, ensure_ascii=False) if isinstance(value, str) else str(value)


def _field_comment(spec: Field) -> str:
    unit = f"，单位：{spec.unit}" if spec.unit else ""
    need = "，必填" if spec.required else ""
    text = f"{spec.title}（{spec.path}{unit}{need}）"
    if spec.help:
        text += f"：{spec.help.rstrip('。')}"
    # Money and counts follow the conventions stated once at the top of the file.
    if spec.kind not in ("money", "count", "text"):
        text += f"。填写：{expected(spec)}"
    if not spec.required and spec.default not in (None, ()):
        shown = ("是" if spec.default else "否") if isinstance(spec.default, bool) else spec.default
        text += f"。不填则为 {shown}"
    return text


def facts_text(*, year: int, unit: str, framework: Framework, level: str, kind: str = "部门",
               outline: str | None = None) -> str:
    """The commented facts file: every key of FIELDS, empty where the value is not known yet."""
    given = {"report.unit": unit, "report.year": year, "report.framework": framework.id, "report.level": level,
             "report.kind": kind if kind != BY_PATH["report.kind"].default else None, "report.outline": outline}
    lines = [
        f"# yaml-language-server: $schema=../{SCHEMA_FILE}",
        f"# 事实文件：{unit} {year} 年度部门整体支出绩效评价",
        "# 每个数字只在这里填写一次，正文用 {{ 键名 }} 引用，如 {{ budget.adjusted | wan }} 万元。",
        "# 金额单位一律为万元，只写数字，不带千分位逗号和单位（如 3303.88）；人数、项目数等写整数；",
        "# 百分数只写数值（如 86.34）。不知道的先留空，reportkit check 会列出还需要填写的项目。",
    ]
    section = None
    for spec in FIELDS:
        head, _, leaf = spec.path.partition(".")
        if leaf and head != section:
            lines += ["", f"{head}:"]
            section = head
        elif not leaf:
            lines.append("")
            section = None
        indent = "  " if leaf else ""
        value = given.get(spec.path)
        lines += [f"{indent}# {example}" for example in _EXAMPLES.get(spec.path, ())]
        lines.append(f"{indent}# {_field_comment(spec)}")
        lines.append(f"{indent}{leaf or head}:" + (f" {_scalar(value)}" if value is not None else ""))
    lines += ["", *_assessment_comments(framework)]
    return "\n".join(lines) + "\n"


# Commented examples under the facts whose form is not one number (a list, a split by kind).
_EXAMPLES: dict[str, tuple[str, ...]] = {
    "adjustments": (
        "预算调整明细的写法（也可按类型只写金额，如 adjustments: {追加: 1460, 调减: 275.02}）：",
        "adjustments:",
        "  - {kind: 追加, amount: 1460.00, note: 年中追加防汛抢险资金}",
        "  - {kind: 调减, amount: 275.02, note: 根据绩效监控结果调减}",
        "  - {kind: 调剂, amount: 606.38, note: 项目之间调剂}",
        "  - {kind: 上缴, amount: 12.30, note: 上缴工会经费}",
    ),
    "staff.contract": ("编外人员可写总数 contract: 53，或按类型分列 contract: {劳务派遣: 20, 临聘: 33}",),
    "projects.list": (
        "项目明细的写法（on_time 不填表示本年不要求完成，不计入项目完成及时性）：",
        "list:",
        "  - {name: 城市供水保障项目, initial: 9326.40, adjusted: 9326.40, spent: 8712.58, on_time: 是}",
        "  - {name: 智慧水务建设项目, initial: 1486.70, adjusted: 1486.70, spent: 1204.86, on_time: 否, reason: 设备到货延迟}",
    ),
}


def _declared_comments(framework: Framework) -> list[str]:
    names = [i.name for i in framework.indicators[:2]]
    return [
        "# 可选：单位自己填报的得分（如上年或已提交的自评表；reportkit import 可写入）。不代替计算得分：",
        "# reportkit score 并列显示两者，reportkit check 列出不同之处及原因；坚持填报得分的写入 overrides。例如：",
        "# declared:",
        "#   source: 自评表（附件2）",
        "#   total: 95.5",
        "#   scores:",
        *(f"#     {name}: 5" for name in names),
        "",
    ]


def _assessment_comments(framework: Framework) -> list[str]:
    """How to write judgements, overrides and extra, with examples from the chosen framework."""
    judged = next(
        (i, n) for i in framework.indicators for n, p in enumerate(i.parts, start=1)
        if is_judgement_part(p.rule, p.params)
    )
    computed = next(i for i in framework.indicators if not all(is_judgement_part(p.rule, p.params) for p in i.parts))
    indicator, part = judged
    return [
        f"# 人工评判的扣分：《{framework.title}》中需要人工判断的条款，未列出的按达到标准、得满分计算。",
        "# 按三级指标名称列出，每条写明第几条评分标准（part）、扣分（deduct）和原因（reason），例如：",
        f"#   {indicator.name}:",
        f"#     - {{part: {part}, deduct: 0.5, reason: 写明扣分原因}}",
        "judgements:",
        "",
        "# 坚持与评分规则计算结果不同的得分（必须写明原因；reportkit check 会逐条列出两者），例如：",
        f"#   {computed.name}: {{score: 1, reason: 写明原因}}",
        "overrides:",
        "",
        *_declared_comments(framework),
        "# 不在上表中的其他事实，可在正文中以 {{ extra.名称 }} 引用，例如：",
        "# extra:",
        "#   引航艘次: 23306",
        "",
        *_targets_comments(),
    ]


def _targets_comments() -> list[str]:
    """The optional 目标完成情况自评表 block, commented out (selfeval.py reads it)."""
    return [
        "# 可选：整体支出绩效目标完成情况自评表（填写后在评分表之后生成附件 2）。金额单位万元，表中换算为元；",
        "# 按元填写时在 targets: 下加一行 unit: 元。budget_fiscal、spent_fiscal 为其中财政拨款，不写则等于全额；",
        "# 表中空白的一格写 ''。去掉行首的 # 即可启用，例如：",
        "# targets:",
        "#   tasks:        # 年度主要任务：名称、完成情况、预算数、执行数",
        "#     - {name: 基本支出, result: 保障人员工资福利和日常运转, budget: 4997.24, spent: 4956.51}",
        "#     - {name: 某某项目, result: 完成情况, budget: 9326.40, budget_fiscal: 8926.40, spent: 8712.58}",
        "#   goals:        # 年度总体目标：预期目标、实际完成情况",
        "#     - {expected: 年初设定的总体目标, actual: 实际完成情况}",
        "#   indicators:   # 绩效指标：一级、二级、三级指标、预期指标值、实际完成指标值",
        "#     - {level: 产出指标, group: 数量指标, name: 指标名称, expected: ≥60公里, actual: 52.6公里}",
    ]


def section_text(section: Section, year: int, outline: Outline, kind: str = "部门") -> str:
    """A section file holding only its guidance, as a Jinja comment the report never shows."""
    chapter = outline.chapter_of(section)
    where = f"{chapter.number}{fill(chapter.title, kind, year)} / " if chapter else ""
    heading = f"{where}{section.number}{fill(section.title, kind, year)}"
    lines = [
        "{#",
        f"  {heading}",
        f"  {section.guidance}",
        "  数字请用 {{ }} 引用事实和计算结果，如 {{ budget.execution_rate | pct }}；reportkit check 会核对手写的数字。",
    ]
    if section.optional:
        lines.append("  本节可选：不需要时删除本文件。")
    lines += ["  本注释不会出现在报告中，写完后可删除。", "#}", ""]
    return "\n".join(lines)


def config_text(year: int | None = None) -> str:
    """reportkit.yaml with every option commented; `year` names last year's folder in `previous`."""
    examples = dict(EXAMPLES)
    if year is not None:
        examples["previous"] = f"../{year - 1}年度报告"
    lines = ["# reportkit 构建选项，均为可选；去掉行首的 # 即可启用。"]
    lines += [f"# {key}: {examples.get(key, '')}    # {help}" + (f"；{NEEDS[key]}" if key in NEEDS else "")
              for key, help in OPTIONS.items()]
    return "\n".join(lines) + "\n"


def _check_outline(kind: str, outline: str | None) -> None:
    if kind not in BY_PATH["report.kind"].choices:
        raise ReportError(f"主体类型“{kind}”不是可选值", key="--kind", expected=expected(BY_PATH["report.kind"]))
    if outline is not None and outline not in outline_ids():
        raise ReportError(
            f"找不到提纲“{outline}”", key="--outline",
            expected="以下编号之一：" + "、".join(outline_ids()) + "（reportkit outlines 列出全部）",
        )


def scaffold(root: Path, *, year: int, unit: str, framework: str = "city-2021", level: str = "市",
             kind: str = "部门", outline: str | None = None) -> list[Path]:
    """Create a report folder at `root` (new or empty) and return the files written.

    `outline`: a shipped outline's id; by default the one whose `match` fits framework, kind and level.
    """
    root = Path(root)
    _check_target(root)
    _check_arguments(year, unit, framework, level)
    _check_outline(kind, outline)
    chosen = load_framework(framework, root)
    layout = load_outline(outline or choose_outline(framework, kind, level), root)
    unit = unit.strip()
    files: dict[Path, str] = {
        root / SCHEMA_FILE: schema_json(),
        root / FACTS_FILE: facts_text(year=year, unit=unit, framework=chosen, level=level, kind=kind,
                                      outline=layout.id),
    }
    for section in layout.files():
        files[root / "content" / section.file] = section_text(section, year, layout, kind)
    files[root / CONFIG_FILE] = config_text(year)
    files[root / ".gitignore"] = GITIGNORE
    for path, text in files.items():
        write_text_atomic(path, text)
    return list(files)


# Facts that say who the unit is: carried over as they are (the rest become comments).
_IDENTITY = ("report.unit", "report.level", "report.kind", "report.framework", "report.outline", "report.self_name")


def _last_value(value: object) -> str:
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k}: {_last_value(v)}" for k, v in value.items()) + "}"
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(_last_value(v) for v in value) + "]"
    if isinstance(value, bool):
        return "true" if value else "false"
    return _scalar(value) if isinstance(value, str) else str(value)


def _carried_facts(text: str, last: object, previous: str) -> str:
    """The new facts file with each of last year's values as a comment above its key, the
    unit's identity kept, and `previous:` pointing at last year's folder."""
    lines, head, out = text.splitlines(), "", []
    for line in lines:
        stripped = line.strip()
        if line and not line.startswith((" ", "#")) and stripped.endswith(":"):
            head = stripped[:-1]
        key = stripped.split(":", 1)[0] if stripped and not stripped.startswith("#") else ""
        path = (f"{head}.{key}" if line.startswith("  ") else key) if key else ""
        value = last.values.get(path) if path else None  # type: ignore[attr-defined]
        indent = line[: len(line) - len(line.lstrip())]
        if value is not None and path in _IDENTITY:
            line = f"{indent}{key}: {_last_value(value)}"
        elif path == "budget.previous_initial" and last.get("budget.initial") is not None:  # type: ignore[attr-defined]
            out.append(f"{indent}# 不填则取 previous: 中去年的年初预算 {_last_value(last.get('budget.initial'))}")  # type: ignore[attr-defined]
        elif value is not None and stripped.endswith(":"):
            out.append(f"{indent}# 去年：{_last_value(value)}")
        out.append(line)
    out += ["", "# 上一年度报告：正文可用 {{ previous.… }} 和 {{ change.… }}（如 {{ change.budget.initial }}）",
            f"previous: {_scalar(previous)}"]
    if last.judgements:  # type: ignore[attr-defined]
        out += ["", "# 去年的人工评判（供参考，今年按实际情况填写在 judgements: 下）："]
        out += [f"#   {name}: 第{j.part}条扣 {j.deduct if j.deduct is not None else '按条'} 分，{j.reason}"
                for name, entries in last.judgements.items() for j in entries]  # type: ignore[attr-defined]
    if last.extra:  # type: ignore[attr-defined]
        out += ["", "# 去年的其他事实（正文中的 {{ extra.… }}；今年的数填好后去掉行首的 #）：", "# extra:"]
        out += [f"#   {key}: {_last_value(value)}" for key, value in last.extra.items()]  # type: ignore[attr-defined]
    return "\n".join(out) + "\n"


def scaffold_from(root: Path, last_root: Path, year: int | None = None) -> list[Path]:
    """This year's folder started from last year's: the same unit, outline and framework, the
    sections and other files copied, the facts emptied with last year's values as comments
    and `previous:` set. Returns the files written."""
    import os
    import shutil

    from .load import load_facts

    root, last_root = Path(root), Path(last_root)
    _check_target(root)
    if not (last_root / FACTS_FILE).is_file():
        raise ReportError("不是报告目录：找不到 content/facts.yaml", file=last_root,
                          key="--from", expected="上一年度的报告目录")
    try:
        last = load_facts(last_root / FACTS_FILE)
    except ReportError as exc:
        raise ReportError(f"上一年度报告无法读取：{exc}", key="--from") from None
    year = year or last.get("report.year") + 1
    if not 1990 <= year <= 2100:
        raise ReportError(f"年度“{year}”不合理", key="--year", expected=expected(BY_PATH["report.year"]))
    framework = load_framework(last.get("report.framework"), last_root)

    # The sections (and pictures), and the folder's own files beside them: reportkit.yaml, a
    # copied framework or outline, a Word template. Not build/, not other folders.
    shutil.copytree(last_root / "content", root / "content", symlinks=False,
                    ignore=lambda folder, names: {"facts.yaml"} if Path(folder) == last_root / "content" else set())
    for path in sorted(last_root.iterdir()):
        if path.is_file() and not path.is_symlink() and (path.name == ".gitignore" or not path.name.startswith(".")
                                                         and path.suffix in (".yaml", ".yml", ".docx")):
            shutil.copy2(path, root / path.name)
    text = facts_text(year=year, unit=last.get("report.unit"), framework=framework, level=last.get("report.level"),
                      kind=last.get("report.kind") or BY_PATH["report.kind"].default, outline=last.get("report.outline"))
    previous = os.path.relpath(last_root.resolve(), root.resolve())
    write_text_atomic(root / FACTS_FILE, _carried_facts(text, last, Path(previous).as_posix()))
    write_text_atomic(root / SCHEMA_FILE, schema_json())
    return sorted(p for p in root.rglob("*") if p.is_file())
