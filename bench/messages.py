"""Every command on a large set of bad inputs: is each message Chinese, named and exit 2? (issue 18)

    nice -n 19 python bench/messages.py [-v] [--only REGEX] [--jobs 2] [--timeout 60]
                                        [--repo OTHER_CHECKOUT] [--json results.json]

Cases (about 3,000) are copies of the example report with one thing wrong, each run through
the commands that read it: build, check, score, score --json, names, diff, batch, preview
start-up for the report folder; new, import, framework import/check, schema, frameworks,
outlines for their own arguments and files. What is mutated:

- facts.yaml: every syntax error class libyaml raises (scanner, parser, composer, reader,
  constructor), every key of the facts schema set to values of wrong types, wrong shapes
  of each block (judgements, overrides, declared, targets, projects, adjustments, extra …);
- reportkit.yaml: syntax errors and every option with wrong values;
- a framework and an outline file copied into the folder (as their comments invite) with
  syntax errors and each key set to wrong values;
- a section: every kind of Jinja TemplateSyntaxError, runtime errors in {{ }}, Markdown
  pictures and links;
- files for import / framework import / batch: not a zip, truncated, no document part,
  broken XML, an .xlsx named .docx, an old .doc/.xls, empty, a folder …

Each case runs in a forked child of this process (reportkit is imported once, so a case
costs only its own work) under an address-space limit and an alarm. A case is flagged for:

  exit       an exit code other than 0 or 2 (or the case's documented codes), a crash, a hang
  english    a line of the messages with a run of 3 or more ASCII words (after taking out
             what is ASCII by nature: identifiers, keys, file names, paths, options, {{ }}
             and the author's own text quoted in “…”)
  exception  a Python exception name, “内部错误”, a traceback or a Python repr in a message
  nofile     exit 2 without naming the file the case changed (or the option it got wrong)
  noline     exit 2 without a line number for that file where the case knows the line
  wrongline  exit 2 naming lines of that file, none of them the line the case changed
  accepted   exit 0 where the input must be refused (only cases that say so)

Printed: counts per flag and per group; with -v every flagged case and its message.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import resource
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import zipfile
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
FACTS = "content/facts.yaml"
CONFIG = "reportkit.yaml"
SECTION = "content/1-1-主要职能.md"
FRAMEWORK = "我的框架.yaml"
OUTLINE = "我的提纲.yaml"

Setup = Callable[[Path], None]


@dataclass
class Case:
    group: str
    name: str
    argv: list[str]  # "R" stands for the report folder, "W" for the work folder holding it
    setup: Setup | None = None
    file: str | None = None  # the file (or option) the message must name
    line: int | None = None  # its line, where known
    must_fail: bool = False
    codes: tuple[int, ...] = (0, 2)
    timeout: float | None = None
    running_ok: bool = False  # preview: still serving at the alarm is fine
    built: bool = False  # start from a folder with a previous build in build/


@dataclass
class Result:
    case: Case
    code: int | None  # None: killed by the alarm
    out: str
    err: str
    flags: dict[str, str] = field(default_factory=dict)  # flag -> the line that shows it


# ---------------------------------------------------------------- what a message must not hold

_ASCII_BY_NATURE = [
    r"\{\{.*?\}\}",
    r"\{%.*?%\}",
    r"\{#.*?#\}",  # template syntax a message shows
    r"“[^”]*”",
    r"‘[^’]*’",
    r"「[^」]*」",  # the author's own text, quoted
    r"`[^`]*`",
    r"https?://\S+",
    r"\breportkit(?: [a-z][a-z_]*)*",  # a command line a message proposes
    r"--?[A-Za-z][\w-]*",  # options
    r"[\w.\-~]*/[\w.\-/~]*",  # paths
    r"\b[\w\-]+\.(?:yaml|yml|md|docx|xlsx|xls|doc|png|jpe?g|gif|json|html|pdf|txt|csv)\b",
    r"\b[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z0-9_]+)+\b",  # dotted names: budget.adjusted
    r"\b[A-Za-z][A-Za-z0-9]*_[A-Za-z0-9_]+\b",  # snake_case keys
    r"\b[A-Za-z_]\w*\s*:",  # key: (a YAML example)
    r"\bU\+[0-9A-F]{4,6}\b",
]
_NATURE = re.compile("|".join(f"(?:{p})" for p in _ASCII_BY_NATURE))
_QUOTED = re.compile(r"“[^”]*”")  # the author's own text: an exception name there is theirs
_ENGLISH = re.compile(r"[A-Za-z]+(?:[ \t,;'\"()\[\]!?\-]+[A-Za-z]+){2,}")
_EXCEPTION = re.compile(
    r"\b[A-Z][A-Za-z]*(?:Error|Exception|Warning|Interrupt)\b|Traceback|内部错误|<locals>|object at 0x"
    r"|\bNoneType\b|Decimal\('|\b(?:dict|str|list|int|tuple) object\b|__[a-z]+__|\bErrno\b"
)


def _exception_names() -> set[str]:
    """Every exception class the loaded modules define (BadZipFile, CompDocError, …)."""
    names, todo = set(), [BaseException]
    while todo:
        cls = todo.pop()
        names.add(cls.__name__)
        todo += cls.__subclasses__()
    return {n for n in names if len(n) >= 6 and re.fullmatch(r"[A-Z]\w+", n)}


_EXCEPTION_NAMES: re.Pattern | None = None


def exception_in(line: str) -> str | None:
    global _EXCEPTION_NAMES
    if _EXCEPTION_NAMES is None:
        names = sorted(_exception_names(), key=len, reverse=True)
        _EXCEPTION_NAMES = re.compile(r"\b(?:" + "|".join(map(re.escape, names)) + r")\b")
    found = _EXCEPTION.search(line) or _EXCEPTION_NAMES.search(line)
    return found.group() if found else None


def english(line: str) -> str | None:
    bare = _NATURE.sub(" ", line)
    found = _ENGLISH.search(bare)
    return found.group() if found else None


def message_lines(case: Case, out: str, err: str) -> list[str]:
    """The lines a user reads as messages: stderr; check's findings; the preview's log."""
    lines = err.splitlines()
    command = next((a for a in case.argv if not a.startswith("-")), "")
    if command == "check" and "--json" not in case.argv or command == "preview":
        lines += [ln for ln in out.splitlines() if re.search(r"错误|警告|提示|待办|待填|待写", ln)]
    if command == "check" and "--json" in case.argv:
        try:
            for finding in json.loads(out).get("findings", []):
                where = (
                    f"{finding.get('file') or ''}:{finding.get('line')}"
                    if finding.get("line")
                    else (finding.get("file") or "")
                )
                lines.append(
                    where
                    + " "
                    + " ".join(
                        str(finding.get(k) or "") for k in ("message", "expected", "suggestion")
                    )
                )
        except (ValueError, AttributeError):
            lines.append(out[:300])
    return [ln for ln in lines if ln.strip()]


def judge(result: Result) -> None:
    case, code = result.case, result.code
    lines = message_lines(case, result.out, result.err)
    flags = result.flags
    if code is None:
        if not case.running_ok:
            flags["exit"] = "超时（挂起）"
    elif code not in case.codes:
        flags["exit"] = f"退出码 {code}"
    for line in lines:
        if "english" not in flags and (found := english(line)):
            flags["english"] = f"{found!r} in: {line[:300]}"
        if "exception" not in flags and (found := exception_in(_QUOTED.sub(" ", line))):
            flags["exception"] = f"{found!r} in: {line[:300]}"
    if case.must_fail and code == 0:
        flags["accepted"] = "exit 0"
    if code == 2 and case.file:
        text = "\n".join(lines)
        name = Path(case.file).name if not case.file.startswith("-") else case.file
        if name not in text:
            flags["nofile"] = (lines or ["（没有消息）"])[0][:300]
        elif case.line and not re.search(re.escape(name) + r"[:：]\s*\d+|第 ?\d+ ?行", text):
            flags["noline"] = next((ln for ln in lines if name in ln), "")[:300]
        elif case.line:
            named = {int(n) for n in re.findall(re.escape(name) + r":(\d+)", text)}
            if named and case.line not in named:
                flags["wrongline"] = (
                    f"line {case.line} expected: "
                    + next((ln for ln in lines if f"{name}:" in ln), "")[:300]
                )
    if code == 2 and not lines:
        flags["nofile"] = "（退出码 2，没有任何消息）"


# ---------------------------------------------------------------- text edits of YAML files


_LINES: dict[tuple[Path, str], dict[str, int]] = {}


def _lines_of(path: Path) -> dict[str, int]:
    from reportkit.load import load_yaml

    key = (path, path.read_text(encoding="utf-8"))
    if key not in _LINES:
        _LINES[key] = load_yaml(path)[1].lines
    return _LINES[key]


def set_value(text: str, lines: dict[str, int], path: str, value: str) -> tuple[str, int]:
    """`text` with the value at dotted `path` replaced by `value` (YAML source), and its line.
    A key the file lacks is added to its block (or a new block at the end)."""
    rows = text.split("\n")
    key = path.rpartition(".")[2]
    if path in lines:
        n = lines[path] - 1
        row = rows[n]
        flow = re.search(
            r"([{,]\s*)" + re.escape(key) + r"(\s*:\s*)(\[[^\]]*\]|\{[^}]*\}|\"[^\"]*\"|[^,}\]]*)",
            row,
        )
        block = re.match(r"^(\s*(?:-\s+)?)" + re.escape(key) + r"\s*:", row)
        if block:
            indent = len(block.group(1))  # the key's column: its value's lines lie deeper
            end = n + 1
            while end < len(rows) and (
                not rows[end].strip() or len(rows[end]) - len(rows[end].lstrip()) > indent
            ):
                end += 1
            while end > n + 1 and not rows[end - 1].strip():
                end -= 1
            rows[n:end] = [f"{block.group(1)}{key}: {value}"]
            return "\n".join(rows), n + 1
        if flow:
            start, stop = flow.span(3)
            rows[n] = (
                row[:start] + (" " if not flow.group(2).endswith(" ") else "") + value + row[stop:]
            )
            return "\n".join(rows), n + 1
        raise LookupError(path)
    head, _, _ = path.rpartition(".")
    if not head:
        rows.append(f"{key}: {value}")
        return "\n".join(rows), len(rows)
    if head in lines and "." not in head:
        n = lines[head]
        rows.insert(n, f"  {key}: {value}")
        return "\n".join(rows), n + 1
    if "." not in head:
        rows += [f"{head}:", f"  {key}: {value}"]
        return "\n".join(rows), len(rows)
    raise LookupError(path)


def edit(rel: str, path: str, value: str) -> tuple[Setup, int]:
    """A setup that sets `path` in file `rel` of the folder to `value`, and the line it lands on."""
    source = BASE / rel
    text = source.read_text(encoding="utf-8")
    new, line = set_value(text, _lines_of(source), path, value)

    def setup(root: Path) -> None:
        (root / rel).write_text(new, encoding="utf-8")

    return setup, line


def insert_line(rel: str, after: int, row: str) -> tuple[Setup, int]:
    source = BASE / rel
    rows = source.read_text(encoding="utf-8").split("\n")
    rows.insert(after, row)
    new = "\n".join(rows)

    def setup(root: Path) -> None:
        (root / rel).write_text(new, encoding="utf-8")

    return setup, after + 1


def write(rel: str, data: str | bytes, *extra: tuple[str, str | bytes]) -> Setup:
    def setup(root: Path) -> None:
        for name, content in ((rel, data), *extra):
            target = root / name
            target.parent.mkdir(parents=True, exist_ok=True)
            if isinstance(content, bytes):
                target.write_bytes(content)
            else:
                target.write_text(content, encoding="utf-8")

    return setup


def chain(*setups: Setup | None) -> Setup:
    def setup(root: Path) -> None:
        for s in setups:
            if s:
                s(root)

    return setup


# ---------------------------------------------------------------- the cases

# Values that trip libyaml (or PyYAML's constructors) after "key: ", with a name for each class.
YAML_VALUES = {
    "token-start @": "@foo",
    "token-start `": "`x`",
    "unclosed double quote": '"unclosed',
    "unclosed single quote": "'unclosed",
    "flow seq not closed": "[1, 2",
    "flow map not closed": "{a: 1",
    "flow seq junk": "[1, 2]]",
    "flow map junk": "{a: 1}}",
    "flow seq missing comma": "[a: 1 b: 2]",
    "flow map missing comma": "{a: 1 b: 2}",
    "undefined alias": "*nowhere",
    "anchor without name": "& 1",
    "alias without name": "* x",
    "unknown escape": '"C:\\qqq"',
    "short hex escape": '"\\x4"',
    "invalid unicode escape": '"\\ud800"',
    "too large unicode escape": '"\\U0011ffff"',
    "mapping value in value": "a: b",
    "block seq in value": "- x",
    "complex key in value": "? x",
    "indentation indicator 0": "|0",
    "block scalar header junk": "|x",
    "tag !!int abc": "!!int abc",
    "tag !!int empty": "!!int ''",
    "tag !!bool maybe": "!!bool maybe",
    "tag !!float abc": "!!float abc",
    "tag !!null x": "!!null x",
    "tag !!binary": "!!binary x!x",
    "tag !!timestamp": "!!timestamp x",
    "tag !!set": "!!set [1]",
    "tag !!omap": "!!omap {a: 1}",
    "tag !!map on seq": "!!map [1]",
    "tag !!seq on map": "!!seq {a: 1}",
    "local tag": "!foo bar",
    "verbatim tag": "!<tag:x> y",
    "verbatim tag unclosed": "!<tag:x y",
    "undefined tag handle": "!e!x y",
    "tag bad uri escape": "!!%zz x",
    "tag then no space": "!!str[1]",
    "!!str on a seq": "!!str [1]",
    "unhashable key": "{[1]: 2}",
    "map key in flow seq map": "[{a: 1}: 2]",
    "recursive alias": "&a [*a]",
    "doc end in quote": '"a\n... b"',
    "tab in value indent": "|\n\t x",
    "colon in plain": "a:b: c",
    "duplicate anchor": "[&a 1, &a 2]",
    "comment glued": "1#x",
    "anchor then alias key": "{*a: 1}",
    "huge int": "9" * 5000,
    "deep flow": "[" * 60 + "]" * 60,
    "question in flow": "[? a]",
    "flow in block key": "{a: [}",
}
# Whole lines inserted into a block (as a user's slip of the keyboard would put them).
YAML_LINES = {
    "bare word": "  foo",
    "key without colon space": "  foo:bar",
    "tab indent": "\tfoo: 1",
    "over-indented": "      foo: 1",
    "under-indented in block": " foo: 1",
    "dash in mapping": "  - x",
    "directive midway": "%YAML 1.1",
    "document start midway": "---",
    "document end midway": "...",
    "closing bracket": "  ]",
    "closing brace": "  }",
    "colon line": "  : x",
    "complex key": "  ? x",
    "full-width colon": "  spent： 16619.26",
    "duplicate key": "  initial: 1",
    "nul": "  x: \x00",
    "control char": "  x: a\x01b",
    "del char": "  x: a\x7fb",
    "bom midway": "  x: \ufeffa",
    "nel": "  x: a\x85b",
    "line separator": "  x: a\u2028b",
    "unpaired surrogate escape": '  x: "\\udc00"',
    "nested too deep": "  x: " + "{a: " * 50 + "1" + "}" * 50,
    "anchor redefined": "  x: &budget 1",
    "alias of block": "  x: *budget_anchor",
    "merge key": "  <<: {a: 1}",
    "merge alias": "  <<: *nope",
    "percent in key": "  %x: 1",
    "at key": "  @x: 1",
    "backquote key": "  `x: 1",
    "key with brackets": "  [a]: 1",
    "quote key unclosed": '  "x: 1',
    "pipe then text": "  x: | y",
}
# Whole files.
YAML_FILES: dict[str, str | bytes] = {
    "empty": "",
    "only comments": "# 空\n",
    "null": "null\n",
    "a list": "- a\n- b\n",
    "a scalar": "abc\n",
    "a number": "12\n",
    "two documents": "a: 1\n---\nb: 2\n",
    "%YAML 2.0": "%YAML 2.0\n---\na: 1\n",
    "%YAML twice": "%YAML 1.1\n%YAML 1.1\n---\na: 1\n",
    "%TAG twice": "%TAG ! tag:a,\n%TAG ! tag:b,\n---\na: 1\n",
    "%TAG then tag": "%TAG !e! tag:x,\n---\na: !e!y 1\n",
    "%FOO": "%FOO bar\n---\na: 1\n",
    "%YAML bad version": "%YAML 1.x\n---\na: 1\n",
    "%YAML no version": "%YAML\n---\na: 1\n",
    "directive without ---": "%YAML 1.1\na: 1\n",
    "gbk": "单位: 测试\n".encode("gbk"),
    "utf-16": "a: 1\n".encode("utf-16"),
    "latin-1": "a: caf\xe9\n".encode("latin-1"),
    "binary": b"\x89PNG\r\n\x1a\n\x00\x00",
    "invalid utf-8": b"a: \xff\xfe\n",
    "truncated utf-8": b"a: \xe4\xb8",
    "bom": "\ufeffa: 1\n",
    "only ---": "---\n",
    "only ...": "...\n",
    "tabs everywhere": "a:\n\tb: 1\n",
    "top-level flow unclosed": "{a: 1\n",
    "dup top key": "a: 1\na: 2\n",
    "crlf": "a: 1\r\nb: [1,\r\n",
    "huge line": "a: " + "x" * 3_000_000 + "\n",
    "billion laughs": "a: &a [x,x,x,x,x,x,x,x,x]\n"
    + "".join(
        f"{chr(98 + i)}: &{chr(98 + i)} [" + ",".join([f"*{chr(97 + i)}"] * 9) + "]\n"
        for i in range(8)
    ),
}


def yaml_cases(
    group: str,
    rel: str,
    commands: list[list[str]],
    value_key: str,
    line_after: int,
    whole: Callable[[str | bytes], Setup] | None = None,
) -> list[Case]:
    """Every YAML error class in file `rel`: as the value of `value_key`, as a line inserted
    after `line_after`, and as the whole file."""
    cases = []
    for name, value in YAML_VALUES.items():
        setup, line = edit(rel, value_key, value)
        cases += [
            Case(group, f"{rel} {value_key}: {name}", argv, setup, rel, line) for argv in commands
        ]
    for name, row in YAML_LINES.items():
        setup, line = insert_line(rel, line_after, row)
        cases += [
            Case(group, f"{rel} line {line}: {name}", argv, setup, rel, line) for argv in commands
        ]
    for name, data in YAML_FILES.items():
        setup = (whole or (lambda d: write(rel, d)))(data)
        cases += [Case(group, f"{rel} whole file: {name}", argv, setup, rel) for argv in commands]
    return cases


# Values of a wrong type, or just wrong, for a fact.
FACT_VALUES = [
    "abc",
    "[1, 2]",
    "{a: 1}",
    "true",
    "-5",
    "0",
    "1e999",
    "'１２３'",
    "'3,303.88万元'",
    "2023-13-45",
    "''",
    ".nan",
    "12.5",
    "99999999999999999999999999999999999",
    "'1:30'",
]
FACT_COMMANDS = [["check", "R"]]  # check loads and scores as score does, and renders the sections


def fact_cases() -> list[Case]:
    from reportkit.load.facts_schema import FIELDS

    cases = []
    for spec in FIELDS:
        for value in FACT_VALUES:
            try:
                setup, line = edit(FACTS, spec.path, value)
            except LookupError:
                continue
            argvs = FACT_COMMANDS + (
                [["build", "R"], ["score", "R"]] if value in ("abc", "[1, 2]", "-5", "0") else []
            )
            argvs += [["score", "--json", "R"]] if value in ("{a: 1}", "true") else []
            argvs += [["names", "R"]] if value == "[1, 2]" else []
            cases += [
                Case(
                    "facts-types",
                    f"{spec.path}: {value}",
                    argv,
                    setup,
                    FACTS,
                    line,
                    built=argv[0] == "build",
                )
                for argv in argvs
            ]
    return cases


SHAPES = {  # path: values (YAML source) that give the block a wrong shape or wrong parts
    "report": ["[]", "abc", "{unit: 测试}", "{year: 2023}", "null"],
    "budget": ["[]", "abc", "{initial: 1}", "null", "[{initial: 1}]"],
    "quarterly": [
        "[1, 2, 3, 4]",
        "{cumulative_spent: [1, 2, 3]}",
        "{cumulative_spent: [1, 2, 3, 4, 5]}",
        "{cumulative_spent: [[1], 2, 3, 4]}",
        "{cumulative_spent: [4, 3, 2, 1]}",
        "{cumulative_spent: abc}",
        "{progress: [1, 2, 300, 4]}",
        "{cumulative_spent: [a, b, c, d]}",
    ],
    "quarterly.cumulative_spent": [
        "[5930.57, 13873.21]",
        "{q1: 1}",
        "[5930.57, 13873.21, 21538.44, 99999]",
    ],
    "adjustments": [
        "abc",
        "[1, 2]",
        "[{kind: 奖励, amount: 1}]",
        "[{kind: 追加}]",
        "[{amount: 1}]",
        "[{kind: 追加, amount: abc}]",
        "[{kind: 追加, amount: -1}]",
        "{追加: abc}",
        "{未知: 1}",
        "[{kind: [1], amount: 1}]",
        "[{kind: 追加, amount: 1, extra: 2}]",
        "[[1]]",
        "{追加: [1]}",
    ],
    "projects": [
        "[]",
        "abc",
        "{list: abc}",
        "{list: [abc]}",
        "{list: [{initial: 1}]}",
        "{list: [{name: 甲, initial: abc}]}",
        "{list: [{name: 甲, on_time: maybe}]}",
        "{list: [{name: [1]}]}",
        "{list: [{name: 甲, foo: 1}]}",
        "{planned: 2, on_time: 5}",
        "{list: [{name: 甲, spent: 99999999}]}",
        "{list: {name: 甲}}",
    ],
    "staff": [
        "[]",
        "{contract: {外包: 3}}",
        "{contract: {劳务派遣: abc}}",
        "{authorized: {行政: abc}}",
        "{authorized: {未知: 1}}",
        "{contract: [1]}",
        "{on_payroll: 100, authorized: 10}",
    ],
    "judgements": [
        "abc",
        "[1]",
        "{不存在的指标: [{part: 1, deduct: 1, reason: x}]}",
        "{预算编制规范性: abc}",
        "{预算编制规范性: [{part: 9, deduct: 1, reason: x}]}",
        "{预算编制规范性: [{part: 1, deduct: 99, reason: x}]}",
        "{预算编制规范性: [{part: 1, deduct: abc, reason: x}]}",
        "{预算编制规范性: [{part: 1, deduct: 1}]}",
        "{预算编制规范性: [{part: abc, deduct: 1, reason: x}]}",
        "{预算编制规范性: [{deduct: 1, reason: x}]}",
        "{预算编制规范性: [{part: 1, deduct: -1, reason: x}]}",
        "{预算编制规范性: [{part: 1, deduct: 1, reason: x, foo: 1}]}",
        "{预算编制规范性: [[1]]}",
        "{[1]: x}",
        "{预算编制规范性: {part: 1}}",
    ],
    "overrides": [
        "abc",
        "[1]",
        "{不存在的指标: {score: 1, reason: x}}",
        "{预算编制规范性: {score: 99, reason: x}}",
        "{预算编制规范性: {score: abc, reason: x}}",
        "{预算编制规范性: {score: 1}}",
        "{预算编制规范性: 3}",
        "{预算编制规范性: {score: -1, reason: x}}",
        "{预算编制规范性: {reason: x}}",
        "{预算编制规范性: {score: 1, reason: x, foo: 2}}",
    ],
    "declared": [
        "abc",
        "[1]",
        "{不存在的指标: 1}",
        "{预算编制规范性: 99}",
        "{预算编制规范性: abc}",
        "{预算编制规范性: -1}",
        "{预算编制规范性: [1]}",
        "{scores: abc}",
        "{total: abc}",
    ],
    "targets": [
        "abc",
        "[1]",
        "{tasks: abc}",
        "{tasks: [abc]}",
        "{tasks: [{name: 甲}]}",
        "{tasks: [{name: 甲, budget: abc, spent: 1}]}",
        "{tasks: [{name: 甲, budget: 1, spent: 1, foo: 1}]}",
        "{goals: [{expected: x}]}",
        "{indicators: [{level: 产出指标}]}",
        "{indicators: abc}",
        "{foo: []}",
        "{tasks: [{name: [1], budget: 1, spent: 1}]}",
        "{unit: 元, tasks: [{name: 甲, budget: 1, spent: 1}]}",
        "{unit: 千元}",
    ],
    "extra": [
        "abc",
        "[1, 2]",
        "{a: {b: {c: [1, {d: 2}]}}}",
        "{'': 1}",
        "{a b: 1}",
        "{1: 2}",
        "{a: !!int x}",
    ],
    "previous": [
        "abc",
        "[1]",
        "{git: nope}",
        "{git: [1]}",
        "../不存在",
        "{path: x}",
        "{git: HEAD, path: ../..}",
        "'/etc'",
        "{foo: 1}",
    ],
    "satisfaction": ["abc", "[90]", "{a: 1}", "101", "-1"],
    "petitions": ["abc", "{received: 3, handled: 5}", "{received: abc}", "[1]"],
    "disclosure": [
        "abc",
        "{budget: 未知}",
        "{budget_published: 2023-99-01}",
        "{budget_approved: abc}",
    ],
    "three_public": ["abc", "{cars: abc}", "{travel_spent: 999999, spent: 1}"],
    "fixed_assets": ["abc", "{total: 1, in_use: 5}", "{total: 0}"],
    "unknown_block": ["1", "{a: 1}"],
}


def shape_cases() -> list[Case]:
    cases = []
    for path, values in SHAPES.items():
        for value in values:
            try:
                setup, line = edit(FACTS, path, value)
            except LookupError:
                continue
            for argv in (["score", "R"], ["check", "R"], ["build", "R"], ["check", "--json", "R"]):
                cases.append(
                    Case(
                        "facts-shapes",
                        f"{path}: {value}",
                        argv,
                        setup,
                        FACTS,
                        line,
                        built=argv[0] == "build",
                    )
                )
    for name, text in {
        "top-level list": "- 1\n",
        "top-level text": "abc\n",
        "empty": "",
        "only report": "report: {unit: 测试局, year: 2023}\n",
    }.items():
        for argv in (
            ["score", "R"],
            ["check", "R"],
            ["build", "R"],
            ["names", "R"],
            ["diff", "--textconv", "R/" + FACTS],
        ):
            cases.append(
                Case("facts-shapes", f"whole facts: {name}", argv, write(FACTS, text), FACTS)
            )
    return cases


CONFIG_VALUES = {
    "template": [
        "[a]",
        "{a: 1}",
        "1",
        "''",
        ".",
        "build",
        "content",
        "../../../../etc/passwd",
        "nope.docx",
        "facts.txt",
        "content/facts.yaml",
        "fake.docx",
        "empty.docx",
        "'/tmp'",
        "true",
    ],
    "toc": ["abc", "1", "[true]", "''", "yes", "!!int abc"],
    "outline": [
        "[a]",
        "1",
        "''",
        "nope",
        "nope.yaml",
        "content/facts.yaml",
        "../x.yaml",
        "{a: 1}",
        "true",
    ],
    "previous": [
        "abc",
        "[1]",
        "{git: nope}",
        "../不存在",
        "{foo: 1}",
        "{git: 1}",
        "'/'",
        "content",
    ],
    "check": [
        "abc",
        "[1]",
        "{ignore: abc}",
        "{ignore: [1]}",
        "{ignore: [{file: x}]}",
        "{ignore: [{text: 1}]}",
        "{foo: 1}",
        "{ignore: [{file: nope.md, text: x}]}",
        "{ignore: [[1]]}",
        "{ignore: [{file: [1], text: x}]}",
    ],
    "unknown": ["1"],
    "tocc": ["true"],
    "Template": ["x.docx"],
}


def config_cases() -> list[Case]:
    cases = []
    extra = (("facts.txt", "x"), ("fake.docx", "not a zip"), ("empty.docx", b""))
    for key, values in CONFIG_VALUES.items():
        for number, value in enumerate(values):
            setup = write(CONFIG, f"{key}: {value}\n", *extra)
            for argv in (
                ["check", "R"],
                ["build", "R"],
                ["score", "R"],
                ["preview", "--port", "0", "R"],
            ):
                preview = argv[0] == "preview"
                if preview and number >= 2:  # the preview runs until its alarm: two values a key
                    continue
                cases.append(
                    Case(
                        "config",
                        f"{key}: {value}",
                        argv,
                        setup,
                        CONFIG,
                        1,
                        timeout=8 if preview else None,
                        running_ok=preview,
                        built=argv[0] == "build",
                    )
                )
    cases += [
        Case(
            "config",
            "build --template nope.docx",
            ["build", "--template", "nope.docx", "R"],
            None,
            "nope.docx",
        ),
        Case(
            "config",
            "build --template facts.txt",
            ["build", "--template", "R/facts.txt", "R"],
            write("facts.txt", "x"),
            "facts.txt",
        ),
        Case(
            "config",
            "build --template fake.docx",
            ["build", "--template", "R/fake.docx", "R"],
            write("fake.docx", "x"),
            "fake.docx",
        ),
    ]
    return cases


def config_yaml_cases() -> list[Case]:
    base = "toc: false\ncheck: {ignore: [执行率97.11%]}\n"

    def whole(data: str | bytes) -> Setup:
        return write(CONFIG, data)

    global BASE
    saved = BASE
    folder = Path(tempfile.mkdtemp(prefix="rk-msg-config-"))
    (folder / CONFIG).write_text(base, encoding="utf-8")
    BASE = folder
    try:
        cases = yaml_cases("config-yaml", CONFIG, [["check", "R"]], "toc", 1, whole)
    finally:
        BASE = saved
    for case in cases:  # the edits were made against `base`: write that file first
        inner = case.setup
        case.setup = chain(write(CONFIG, base), inner)
    return cases


# Jinja: every kind of TemplateSyntaxError, then runtime errors and Markdown oddities.
JINJA_SNIPPETS = [
    "{{ }}",
    "{{ 1 + }}",
    "{{ budget.adjusted | }}",
    "{{ budget. }}",
    "{{ budget.adjusted wan }}",
    "{{ (1 }}",
    "{{ [1, }}",
    "{{ {'a': } }}",
    "{{ 'unclosed }}",
    "{{ budget.adjusted",
    "{{ x $ y }}",
    "{{ 1 ? 2 }}",
    "{{ a = 1 }}",
    "{{ budget.adjusted | wan( }}",
    "{{ budget['x' }}",
    "{{ 1 if }}",
    "{{ 1 if 2 }}x",
    "{% %}",
    "{% foo %}",
    "{% if %}",
    "{% if 1 %}",
    "{% if 1 %}a{% endfor %}",
    "{% endif %}",
    "{% else %}",
    "{% for %}",
    "{% for x %}",
    "{% for x in %}",
    "{% for x in quarters %}",
    "{% for 1 in quarters %}{% endfor %}",
    "{% for x in quarters %}{% endif %}",
    "{% set %}",
    "{% set 1 = 2 %}",
    "{% set x %}",
    "{% set x = %}",
    "{% block a %}{% endblock %}",
    "{% macro m() %}{% endmacro %}",
    "{% include 'x' %}",
    "{% import 'x' as y %}",
    "{% extends 'x' %}",
    "{% raw %}",
    "{% call x() %}{% endcall %}",
    "{% filter upper %}a{% endfilter %}",
    "{% with %}",
    "{% autoescape %}",
    "{% break %}",
    "{% continue %}",
    "{% do 1 %}",
    "{# unclosed",
    "{{ 1 }",
    "{% if 1 }",
    "{{ 1 %}",
    "{% elif 1 %}",
    "{% if 1 %}{% elif %}{% endif %}",
    "{{ 1e }}",
    "{{ 0x }}",
    "{{ 1_ }}",
    "{{ 'a' 'b' }}",
    "{{ budget.adjusted | wan(1, }}",
    "{{ budget.adjusted | wan(x=) }}",
    "{{ f(**) }}",
    "{{ *a }}",
    "{{ not }}",
    "{{ 1 in }}",
    "{{ a is }}",
    "{{ a is not }}",
    "{{ -}}",
    "{%- %}",
    "{{ x | upper }}",
    "{% if x is string %}a{% endif %}",
    "{{ intial }}",
    "{{ budget.adjustd }}",
    "{{ budget.adjusted.x }}",
    "{{ budget.adjusted() }}",
    "{{ budget() }}",
    "{{ 'a' + 1 }}",
    "{{ 1 / 0 }}",
    "{{ 1 // 0 }}",
    "{{ 1 % 0 }}",
    "{{ budget.adjusted | wan('x') }}",
    "{{ budget.adjusted | wan(1, 2, 3) }}",
    "{{ budget.adjusted | pct(x=1) }}",
    "{{ quarters[9].rate }}",
    "{{ quarters['a'] }}",
    "{{ scores['不存在'] }}",
    "{{ tables.quarterly(x=1) }}",
    "{{ tables.quarterly(1, 2, 3) }}",
    "{{ tables.nope() }}",
    "{{ tables }}",
    "{{ x.__class__ }}",
    "{{ ''.__class__.__mro__ }}",
    "{{ range(10) }}",
    "{{ loop.index }}",
    "{{ self }}",
    "{{ budget }}",
    "{{ scores }}",
    "{{ [1, 2] }}",
    "{{ none }}",
    "{{ true }}",
    "{{ 1e308 * 10 }}",
    "{{ 'a' * 10**10 }}",
    "{{ '%999999999d' % 1 }}",
    "{{ 3**(10**8) }}",
    "{{ [1,2] | join([',']) }}",
    "{{ budget.adjusted | join }}",
    "{{ 'x' | wan }}",
    "{{ none | pct }}",
    "{{ budget.adjusted | default }}",
    "{{ budget.adjusted | length }}",
    "{{ 'a' < 1 }}",
    "{{ {} < [] }}",
    "{{ budget.adjusted ~ }}",
    "{{ 'abc'[1:] }}",
    "{{ 'abc'.upper() }}",
    "{{ extra.nope }}",
    "{{ extra['a b'] }}",
    "{{ change.nope }}",
    "{{ previous.budget.initial }}",
    '{{ "\\ud800" }}',
    "{{ '\x01' }}",
    "{{ 9" + "9" * 40 + " }}",
    "{% for a in quarters %}" * 14 + "x" + "{% endfor %}" * 14,
    "{{ " + "(" * 100 + "1" + ")" * 100 + " }}",
    "{{ " + "+".join(["1"] * 300) + " }}",
    "{{ tables.projects(caption=1) }}",
    "{{ tables.budget(caption=[1]) }}",
]
MARKDOWN_SNIPPETS = [
    "![图](nope.png)",
    "![图](../../../../etc/passwd)",
    "![图](broken.png)",
    "![图](notimage.txt)",
    "![图](http://example.com/x.png)",
    "![图](data:image/png;base64,xxxx)",
    "![图](images)",
    "![图](<>)",
    "![图](broken.jpg)",
    "![图](fifo.png)",
    "[链接](javascript:alert(1))",
    "<img src=x onerror=alert(1)>",
    "\x0c",
    "\ufffe",
    "字" * 30000,
    "# " + "标题" * 5000,
    "[^1]",
    "| a |\n|---|\n" + "| 1 |\n" * 20,
]


def section_cases() -> list[Case]:
    body = (BASE / SECTION).read_text(encoding="utf-8")
    cases = []
    files = (
        ("broken.png", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00"),
        ("broken.jpg", b"\xff\xd8\xff\xe0" + b"\x00" * 64),
        ("notimage.txt", "x"),
    )
    for number, snippet in enumerate(JINJA_SNIPPETS + MARKDOWN_SNIPPETS):
        text = body.rstrip("\n") + "\n\n" + snippet + "\n"
        line = text.count("\n", 0, text.index(snippet, len(body.rstrip("\n")))) + 1
        where = [(f"content/{name}", data) for name, data in files]
        setup = write(SECTION, text, *where)
        argvs = [["build", "R"], ["check", "R"]]
        if number % 5 == 0:  # the preview runs until its alarm: a sample of the snippets
            argvs.append(["preview", "--port", "0", "R"])
        for argv in argvs:
            preview = argv[0] == "preview"
            cases.append(
                Case(
                    "sections",
                    f"{snippet[:60]!r}",
                    argv,
                    setup,
                    SECTION,
                    line,
                    timeout=8 if preview else None,
                    running_ok=preview,
                    built=argv[0] == "build",
                )
            )
    special: dict[str, Setup] = {
        "section is a folder": lambda r: ((r / SECTION).unlink(), (r / SECTION).mkdir()),
        "section is a fifo": lambda r: ((r / SECTION).unlink(), os.mkfifo(r / SECTION)),
        "section links outside": lambda r: (
            (r / SECTION).unlink(),
            (r / SECTION).symlink_to("/etc/passwd"),
        ),
        "section is gbk": write(SECTION, "第一段。\n".encode("gbk")),
        "section is binary": write(SECTION, b"\x00\x01\x02PK"),
        "section missing": lambda r: (r / SECTION).unlink(),
        "section unreadable": lambda r: (r / SECTION).chmod(0),
        "content is a file": lambda r: (
            shutil.rmtree(r / "content"),
            (r / "content").write_text("x"),
        ),
    }
    for name, setup in special.items():
        for argv in (["build", "R"], ["check", "R"]):
            cases.append(
                Case(
                    "sections",
                    name,
                    argv,
                    setup,
                    SECTION if "content is" not in name else "content",
                    built=argv[0] == "build",
                )
            )
    return cases


def _key_paths(lines: dict[str, int]) -> list[str]:
    """One dotted path per key pattern (list indices past the first left out)."""
    seen, out = set(), []
    for path in lines:
        if not path or path.rpartition(".")[2].isdigit():
            continue
        pattern = re.sub(r"\.\d+", ".N", path)
        if pattern not in seen:
            seen.add(pattern)
            out.append(path)
    return out


WRONG = ["abc", "[1, 2]", "{a: 1}", "-1", "''", "null", "99999"]


def framework_cases() -> list[Case]:
    src = REPO / "reportkit" / "compute" / "frameworks" / "city-2021.yaml"
    shutil.copyfile(src, BASE / FRAMEWORK)
    use = edit(FACTS, "report.framework", FRAMEWORK)[0]
    cases = []
    commands = [["framework", "check", "R/" + FRAMEWORK], ["score", "R"]]
    for path in _key_paths(_lines_of(BASE / FRAMEWORK)):
        for value in WRONG:
            try:
                setup, line = edit(FRAMEWORK, path, value)
            except LookupError:
                continue
            for argv in commands if value in ("abc", "[1, 2]") else commands[:1]:
                cases.append(
                    Case("framework", f"{path}: {value}", argv, chain(use, setup), FRAMEWORK, line)
                )
    for part in (
        "rule: nope",
        "rule: ratio",
        "rule: [1]",
        "points: abc",
        "points: -1",
        "points: 99",
        "what: 1",
    ):
        key, value = part.split(": ")
        path = "levels.0.groups.0.indicators.0.parts.0." + key
        try:
            setup, line = edit(FRAMEWORK, path, value)
        except LookupError:
            setup, line = edit(FRAMEWORK, "levels.0.groups.0.indicators.0.parts.0.rule", value)
        for argv in commands:
            cases.append(
                Case("framework", f"part {part}", argv, chain(use, setup), FRAMEWORK, line)
            )
    cases += [
        c
        for c in yaml_cases(
            "framework-yaml",
            FRAMEWORK,
            [["framework", "check", "R/" + FRAMEWORK], ["score", "R"]],
            "title",
            8,
        )
    ]
    for case in cases:
        if case.group == "framework-yaml":
            case.setup = chain(use, case.setup)
    for name, argv, file in (
        ("framework check nope.yaml", ["framework", "check", "R/nope.yaml"], "nope.yaml"),
        ("framework check a folder", ["framework", "check", "R/content"], "content"),
        ("framework check facts.yaml", ["framework", "check", "R/" + FACTS], "facts.yaml"),
        ("framework check a docx", ["framework", "check", "R/fake.docx"], "fake.docx"),
        ("facts names no framework", ["score", "R"], "facts.yaml"),
    ):
        setup = write("fake.docx", b"PK\x03\x04")
        if name == "facts names no framework":
            setup = edit(FACTS, "report.framework", "nope-2099")[0]
        cases.append(Case("framework", name, argv, setup, file))
    return cases


def outline_cases() -> list[Case]:
    src = REPO / "reportkit" / "load" / "outlines" / "shenzhen-city.yaml"
    shutil.copyfile(src, BASE / OUTLINE)
    use = write(CONFIG, f"outline: {OUTLINE}\n")
    cases = []
    for path in _key_paths(_lines_of(BASE / OUTLINE)):
        for value in WRONG[:6] + ["'{nope}'", "'{extra.nope}'", "'{{ nope }}'"]:
            try:
                setup, line = edit(OUTLINE, path, value)
            except LookupError:
                continue
            for argv in (
                (["check", "R"], ["build", "R"])
                if value in ("abc", "[1, 2]")
                else (["check", "R"],)
            ):
                cases.append(
                    Case("outline", f"{path}: {value}", argv, chain(use, setup), OUTLINE, line)
                )
    for case in yaml_cases("outline-yaml", OUTLINE, [["check", "R"]], "title", 15):
        case.setup = chain(use, case.setup)
        cases.append(case)
    return cases


# ---------------------------------------------------------------- files for import, framework import, batch


def _zip(entries: dict[str, bytes]) -> bytes:
    import io

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def bad_office_files(good_docx: bytes, good_xlsx: bytes) -> dict[str, bytes | None]:
    content_types = b'<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>'
    return {
        "empty": b"",
        "text": "这不是 Word 文件".encode(),
        "not a zip": b"PK\x03\x04garbage" * 10,
        "truncated": good_docx[: len(good_docx) // 2],
        "zip without parts": _zip({"a.txt": b"x"}),
        "zip with only content types": _zip({"[Content_Types].xml": content_types}),
        "document.xml broken": _zip(
            {"[Content_Types].xml": content_types, "word/document.xml": b"<w:document"}
        ),
        "old .doc (OLE)": b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600,
        "pdf": b"%PDF-1.4\n%\xe2\xe3\n",
        "xlsx as docx": good_xlsx,
        "docx as xlsx": good_docx,
        "html": b"<html><body>x</body></html>",
        "png": b"\x89PNG\r\n\x1a\n" + b"\x00" * 100,
        "folder": None,
    }


def good_xlsx(rows: list[list] | None = None) -> bytes:
    """An indicator table as a ministry's notice attaches it (or a workbook with `rows`)."""
    import io

    import openpyxl

    book = openpyxl.Workbook()
    for row in (
        rows
        if rows is not None
        else [
            ["一级指标", "二级指标", "三级指标", "分值", "评分标准"],
            ["决策", "预算编制", "预算编制合理性", 100, "符合职责得 100 分。"],
        ]
    ):
        book.active.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def import_cases(docx: bytes) -> list[Case]:
    xlsx = good_xlsx()
    cases = []
    for name, data in bad_office_files(docx, xlsx).items():
        for target, argv in (
            ("last.docx", ["import", "W/last.docx", "W/out"]),
            ("表.xlsx", ["framework", "import", "W/表.xlsx", "-o", "W/草稿.yaml"]),
            ("表.xls", ["framework", "import", "W/表.xls", "-o", "W/草稿.yaml"]),
            ("表.docx", ["framework", "import", "W/表.docx", "-o", "W/草稿.yaml"]),
        ):

            def setup(root: Path, target: str = target, data: bytes | None = data) -> None:
                path = root.parent / target
                if data is None:
                    path.mkdir()
                else:
                    path.write_bytes(data)

            valid = (name, target[-5:]) in (("xlsx as docx", ".xlsx"), ("docx as xlsx", ".docx"))
            cases.append(
                Case(
                    "import",
                    f"{argv[0]} {argv[1]} {target}: {name}",
                    argv,
                    setup,
                    target,
                    must_fail=not valid,
                )
            )
    good = lambda root: (root.parent / "last.docx").write_bytes(docx)  # noqa: E731
    xlsx_ok = lambda root: (root.parent / "表.xlsx").write_bytes(xlsx)  # noqa: E731
    cases += [
        Case("import", "import nope.docx", ["import", "W/nope.docx", "W/out"], None, "nope.docx"),
        Case(
            "import",
            "import into a non-empty folder",
            ["import", "W/last.docx", "R"],
            good,
            "report",
        ),
        Case(
            "import",
            "import into a file",
            ["import", "W/last.docx", "R/" + FACTS],
            good,
            "facts.yaml",
        ),
        Case(
            "import",
            "import --year abc",
            ["import", "W/last.docx", "W/out", "--year", "abc"],
            good,
            "--year",
        ),
        Case(
            "import",
            "import --year 1800",
            ["import", "W/last.docx", "W/out", "--year", "1800"],
            good,
            "--year",
        ),
        Case(
            "import",
            "import --framework nope",
            ["import", "W/last.docx", "W/out", "--framework", "nope"],
            good,
            "--framework",
        ),
        Case(
            "import",
            "import --unit ''",
            ["import", "W/last.docx", "W/out", "--unit", ""],
            good,
            None,
        ),
        Case("import", "import good docx", ["import", "W/last.docx", "W/out"], good, None),
        Case(
            "import",
            "framework import -o into a folder",
            ["framework", "import", "W/表.xlsx", "-o", "R"],
            xlsx_ok,
            "report",
        ),
        Case(
            "import",
            "framework import --id bad",
            ["framework", "import", "W/表.xlsx", "-o", "W/草稿.yaml", "--id", "a/b"],
            xlsx_ok,
            "--id",
        ),
        Case(
            "import",
            "framework import no table",
            ["framework", "import", "W/表.xlsx", "-o", "W/草稿.yaml"],
            lambda r: (r.parent / "表.xlsx").write_bytes(good_xlsx([["一级指标", "分值"]])),
            "表.xlsx",
        ),
        Case(
            "import",
            "framework import good table",
            ["framework", "import", "W/表.xlsx", "-o", "W/草稿.yaml"],
            xlsx_ok,
            None,
        ),
        Case(
            "import",
            "framework import nope.xlsx",
            ["framework", "import", "W/nope.xlsx"],
            None,
            "nope.xlsx",
        ),
        Case(
            "import",
            "framework import a .txt",
            ["framework", "import", "W/表.txt"],
            lambda r: (r.parent / "表.txt").write_text("x"),
            "表.txt",
        ),
    ]
    return cases


def batch_cases() -> list[Case]:
    bad_facts = edit(FACTS, "budget.initial", "abc")[0]
    fail = (0, 1, 2)  # 1: a unit failed (documented)
    cases = [
        Case("batch", "batch nope", ["batch", "W/nope", "-o", "W/out"], None, "nope"),
        Case(
            "batch",
            "batch an empty folder",
            ["batch", "W/empty", "-o", "W/out"],
            lambda r: (r.parent / "empty").mkdir(),
            "empty",
        ),
        Case("batch", "batch -j 0", ["batch", "R", "-j", "0", "-o", "W/out"], None, "--jobs"),
        Case("batch", "batch -j -3", ["batch", "R", "-j", "-3", "-o", "W/out"], None, "--jobs"),
        Case("batch", "batch -j abc", ["batch", "R", "-j", "abc", "-o", "W/out"], None, "--jobs"),
        Case(
            "batch",
            "batch --timeout 0",
            ["batch", "R", "--timeout", "0", "-o", "W/out"],
            None,
            "--timeout",
        ),
        Case(
            "batch",
            "batch --timeout -1",
            ["batch", "R", "--timeout", "-1", "-o", "W/out"],
            None,
            "--timeout",
        ),
        Case(
            "batch",
            "batch --timeout abc",
            ["batch", "R", "--timeout", "abc", "-o", "W/out"],
            None,
            "--timeout",
        ),
        Case("batch", "batch -o is a file", ["batch", "R", "-o", "R/" + FACTS], None, "facts.yaml"),
        Case("batch", "batch -o inside the report", ["batch", "R", "-o", "R"], None, None),
        Case(
            "batch",
            "batch list with junk",
            ["batch", "W/清单.txt", "-o", "W/out"],
            lambda r: (r.parent / "清单.txt").write_text("report\n不存在的目录\n\x01\n"),
            "清单.txt",
        ),
        Case(
            "batch",
            "batch list binary",
            ["batch", "W/清单.txt", "-o", "W/out"],
            lambda r: (r.parent / "清单.txt").write_bytes(b"\x00\xff\xfe"),
            "清单.txt",
        ),
        Case(
            "batch",
            "batch list gbk",
            ["batch", "W/清单.txt", "-o", "W/out"],
            lambda r: (r.parent / "清单.txt").write_bytes("报告\n".encode("gbk")),
            "清单.txt",
        ),
        Case(
            "batch",
            "batch list empty",
            ["batch", "W/清单.txt", "-o", "W/out"],
            lambda r: (r.parent / "清单.txt").write_text("# 无\n"),
            "清单.txt",
        ),
        Case(
            "batch",
            "batch a unit with bad facts",
            ["batch", "R", "-o", "W/out", "-j", "1"],
            bad_facts,
            None,
            codes=fail,
        ),
        Case(
            "batch",
            "batch the same unit twice",
            ["batch", "R", "R", "-o", "W/out", "-j", "1"],
            None,
            None,
            codes=fail,
        ),
        Case(
            "batch",
            "batch a xlsx list",
            ["batch", "W/清单.xlsx", "-o", "W/out"],
            lambda r: (r.parent / "清单.xlsx").write_bytes(b"PK\x03\x04"),
            "清单.xlsx",
        ),
    ]
    for case in cases:
        case.timeout = 240
    return cases


BUSY_PORT = 18731
_held = []


def _occupy(root: Path) -> None:
    """Listen on BUSY_PORT in the case's own process, so that the preview finds it taken."""
    import socket

    sock = socket.socket()
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", BUSY_PORT))
    sock.listen()
    _held.append(sock)


def other_command_cases() -> list[Case]:
    bad = edit(FACTS, "budget.initial", "abc")
    cases = [
        Case("diff", "diff nope-rev", ["diff", "nope-rev", "R"], None, "nope-rev"),
        Case(
            "diff",
            "diff not a report",
            ["diff", "W/empty", "R"],
            lambda r: (r.parent / "empty").mkdir(),
            "empty",
        ),
        Case("diff", "diff --previous without previous", ["diff", "--previous", "R"], None, None),
        Case(
            "diff", "diff --textconv nope", ["diff", "--textconv", "W/nope.yaml"], None, "nope.yaml"
        ),
        Case(
            "diff", "diff --textconv a section", ["diff", "--textconv", "R/" + SECTION], None, None
        ),
        Case(
            "diff",
            "diff with bad facts",
            ["diff", "W/old", "R"],
            chain(lambda r: shutil.copytree(r, r.parent / "old"), bad[0]),
            FACTS,
            bad[1],
        ),
        Case(
            "diff",
            "diff old side bad",
            ["diff", "W/old", "R"],
            lambda r: (
                shutil.copytree(r, r.parent / "old"),
                (r.parent / "old" / FACTS).write_text(
                    (r / FACTS).read_text().replace("initial: 28645.26", "initial: abc")
                ),
            ),
            "facts.yaml",
        ),
        Case(
            "diff",
            "diff --textconv bad facts",
            ["diff", "--textconv", "R/" + FACTS],
            bad[0],
            FACTS,
            bad[1],
        ),
        Case("names", "names bad facts", ["names", "R"], bad[0], FACTS, bad[1]),
        Case("names", "names --grep regex", ["names", "--grep", "[(", "R"], None, None),
        Case(
            "names",
            "names not a report",
            ["names", "W/empty"],
            lambda r: (r.parent / "empty").mkdir(),
            "facts.yaml",
        ),
        Case("schema", "schema -o a folder", ["schema", "-o", "R"], None, "report"),
        Case(
            "schema",
            "schema -o missing folder",
            ["schema", "-o", "W/no/such/x.json"],
            None,
            "x.json",
        ),
        Case("schema", "schema -o /proc", ["schema", "-o", "/proc/x.json"], None, "x.json"),
        Case(
            "schema",
            "schema --framework -o a folder",
            ["schema", "--framework", "-o", "R"],
            None,
            "report",
        ),
        Case("schema", "schema", ["schema"], None, None),
        Case("list", "frameworks", ["frameworks"], None, None),
        Case("list", "outlines", ["outlines"], None, None),
        Case("list", "framework no action", ["framework"], None, None),
        Case(
            "score",
            "score not a report",
            ["score", "W/empty"],
            lambda r: (r.parent / "empty").mkdir(),
            "facts.yaml",
        ),
        Case("score", "score a file", ["score", "R/" + FACTS], None, "facts.yaml"),
        Case(
            "build",
            "build not a report",
            ["build", "W/empty"],
            lambda r: (r.parent / "empty").mkdir(),
            "facts.yaml",
        ),
        Case(
            "build",
            "build output is a file",
            ["build", "R"],
            lambda r: (r / "build").write_text("x"),
            "build",
        ),
        Case(
            "build",
            "build output read-only",
            ["build", "R"],
            lambda r: ((r / "build").mkdir(), (r / "build").chmod(0o500)),
            "build",
        ),
        Case("check", "check a nonexistent folder", ["check", "W/nope"], None, "nope"),
        Case(
            "preview",
            "preview not a report",
            ["preview", "--port", "0", "W/empty"],
            lambda r: (r.parent / "empty").mkdir(),
            "facts.yaml",
            timeout=8,
        ),
        Case(
            "preview",
            "preview port 70000",
            ["preview", "--port", "70000", "R"],
            None,
            "--port",
            timeout=8,
        ),
        Case(
            "preview",
            "preview port -1",
            ["preview", "--port", "-1", "R"],
            None,
            "--port",
            timeout=8,
        ),
        Case(
            "preview",
            "preview port abc",
            ["preview", "--port", "abc", "R"],
            None,
            "--port",
            timeout=8,
        ),
        Case(
            "preview",
            "preview host unknown",
            ["preview", "--port", "0", "--host", "nohost.invalid", "R"],
            None,
            "nohost.invalid",
            timeout=8,
        ),
        Case(
            "preview",
            "preview host not mine",
            ["preview", "--port", "0", "--host", "10.255.255.1", "R"],
            None,
            "10.255.255.1",
            timeout=8,
        ),
        Case(
            "preview",
            "preview port in use",
            ["preview", "--port", str(BUSY_PORT), "R"],
            _occupy,
            str(BUSY_PORT),
            timeout=8,
        ),
        Case(
            "preview",
            "preview bad facts",
            ["preview", "--port", "0", "R"],
            bad[0],
            FACTS,
            bad[1],
            timeout=8,
            running_ok=True,
        ),
    ]
    for args, option in (
        (["--year", "abc", "--unit", "某局"], "--year"),
        (["--year", "1800", "--unit", "某局"], "--year"),
        (["--year", "2023", "--unit", ""], "--unit"),
        (["--year", "2023"], "--unit"),
        (["--year", "2023", "--unit", "某局", "--framework", "nope"], "--framework"),
        (["--year", "2023", "--unit", "某局", "--level", "省"], "--level"),
        (["--year", "2023", "--unit", "某局", "--kind", "公司"], "--kind"),
        (["--year", "2023", "--unit", "某局", "--outline", "nope"], "--outline"),
        (["--year", "2023", "--unit", "某局\x01"], "--unit"),
        (["--year", "2023", "--unit", "某" * 500], "--unit"),
        (["--from", "W/nope"], "nope"),
        (["--from", "R", "--year", "2023"], "--year"),
    ):
        cases.append(
            Case("new", f"new {' '.join(args)[:60]}", ["new", "W/new", *args], None, option)
        )
    cases += [
        Case(
            "new",
            "new into a file",
            ["new", "R/" + FACTS, "--year", "2023", "--unit", "某局"],
            None,
            "facts.yaml",
        ),
        Case(
            "new",
            "new into a non-empty folder",
            ["new", "R", "--year", "2023", "--unit", "某局"],
            None,
            "report",
        ),
        Case("new", "new --from bad facts", ["new", "W/new", "--from", "R"], bad[0], "facts.yaml"),
        Case(
            "new",
            "new under a file",
            ["new", "R/" + FACTS + "/x", "--year", "2023", "--unit", "某局"],
            None,
            "facts.yaml",
        ),
    ]
    for case in cases:
        if case.argv[0] == "preview":
            case.running_ok = case.running_ok or case.name == "preview bad facts"
    return cases


# ---------------------------------------------------------------- running


BASE = Path()


def prepare(work: Path) -> tuple[Path, Path, bytes]:
    """The example report (and a built copy of it), and its Word file for import."""
    global BASE
    base = work / "base" / "report"
    shutil.copytree(REPO / "content", base / "content")
    if (REPO / CONFIG).is_file():
        shutil.copyfile(REPO / CONFIG, base / CONFIG)
    BASE = base
    built = work / "built" / "report"
    shutil.copytree(base, built)
    code, out, err = run_in_child(["build", str(built)], built.parent, 300)
    if code != 0:
        raise SystemExit(f"the example does not build: {code} {err}")
    docx = next((built / "build").glob("*.docx")).read_bytes()
    return base, built, docx


def _child(argv: list[str], cwd: Path, out: Path, err: Path, timeout: float) -> None:
    try:
        os.setpgid(0, 0)
        size = 3 * 1024**3
        resource.setrlimit(resource.RLIMIT_AS, (size, size))
        resource.setrlimit(resource.RLIMIT_FSIZE, (1 << 30, 1 << 30))
        signal.signal(signal.SIGALRM, signal.SIG_DFL)
        signal.alarm(int(timeout))
        os.chdir(cwd)
        for fd, path in ((1, out), (2, err)):
            handle = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
            os.dup2(handle, fd)
            os.close(handle)
        from reportkit import cli

        code = cli.main(argv)
        sys.stdout.flush()
        sys.stderr.flush()
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else 2
    except BaseException:  # noqa: BLE001 - what cli.main let through: a crash of the command
        import traceback

        traceback.print_exc()
        code = 99
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    finally:
        os._exit(code)


def run_in_child(argv: list[str], cwd: Path, timeout: float) -> tuple[int | None, str, str]:
    out, err = cwd / ".out", cwd / ".err"
    pid = os.fork()
    if pid == 0:
        _child(argv, cwd, out, err, timeout)
    _, status = os.waitpid(pid, 0)
    return _decode(status), out.read_text(errors="replace"), err.read_text(errors="replace")


def _decode(status: int) -> int | None:
    if os.WIFSIGNALED(status):
        return None if os.WTERMSIG(status) == signal.SIGALRM else -os.WTERMSIG(status)
    return os.WEXITSTATUS(status)


def _argv(case: Case, root: Path) -> list[str]:
    out = []
    for arg in case.argv:
        if arg == "R" or arg.startswith("R/"):
            arg = "report" + arg[1:]
        elif arg == "W" or arg.startswith("W/"):
            arg = "." + arg[1:]
        out.append(arg)
    return out


def start(case: Case, index: int, work: Path, built: Path, timeout: float) -> tuple[int, Path]:
    folder = work / f"c{index:05d}"
    pid = os.fork()
    if pid == 0:
        try:
            root = folder / "report"
            shutil.copytree(built if case.built else BASE, root, symlinks=True)
            if case.setup:
                case.setup(root)
        except BaseException as exc:  # noqa: BLE001
            (folder / ".err").write_text(f"SETUP FAILED: {type(exc).__name__}: {exc}")
            os._exit(98)
        _child(_argv(case, root), folder, folder / ".out", folder / ".err", case.timeout or timeout)
    return pid, folder


def _read(path: Path) -> str:
    return path.read_text(errors="replace") if path.exists() else ""


def run_all(
    cases: list[Case], work: Path, built: Path, jobs: int, timeout: float, progress: bool
) -> list[Result]:
    results: list[Result | None] = [None] * len(cases)
    running: dict[int, tuple[int, Path]] = {}
    pending = list(enumerate(cases))
    pending.reverse()
    done = 0
    while pending or running:
        while pending and len(running) < jobs:
            index, case = pending.pop()
            pid, folder = start(case, index, work, built, timeout)
            running[pid] = (index, folder)
        pid, status = os.wait()
        if pid not in running:
            continue
        index, folder = running.pop(pid)
        case = cases[index]
        code = _decode(status)
        if code is None:
            try:
                os.killpg(pid, signal.SIGKILL)  # a preview's threads, a pandoc child
            except OSError:
                pass
        result = Result(case, code, _read(folder / ".out"), _read(folder / ".err"))
        if code == 98:
            result.flags["setup"] = result.err[:300]
        else:
            judge(result)
        results[index] = result
        subprocess.run(["chmod", "-R", "u+rwx", str(folder)], capture_output=True)
        shutil.rmtree(folder, ignore_errors=True)
        done += 1
        if progress and done % 100 == 0:
            print(f"  {done}/{len(cases)}", file=sys.stderr, flush=True)
    return [r for r in results if r is not None]


def all_cases(docx: bytes) -> list[Case]:
    facts_rows = (BASE / FACTS).read_text(encoding="utf-8").split("\n")
    after_budget = next(i for i, row in enumerate(facts_rows) if row.startswith("budget:")) + 1
    cases = yaml_cases(
        "facts-yaml",
        FACTS,
        [["score", "R"], ["check", "R"], ["build", "R"]],
        "budget.initial",
        after_budget,
    )
    for case in cases:
        case.built = case.argv[0] == "build"
    cases += fact_cases() + shape_cases() + config_cases() + config_yaml_cases() + section_cases()
    cases += (
        framework_cases()
        + outline_cases()
        + import_cases(docx)
        + batch_cases()
        + other_command_cases()
    )
    return cases


FLAGS = ("exit", "english", "exception", "nofile", "noline", "wrongline", "accepted", "setup")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("-v", "--verbose", action="store_true", help="list every flagged case")
    parser.add_argument("--only", help="only cases whose group or name matches this regex")
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--timeout", type=float, default=60, help="seconds per case")
    parser.add_argument(
        "--repo", type=Path, help="run another checkout's reportkit (its package on sys.path)"
    )
    parser.add_argument("--json", type=Path, help="write every result here")
    parser.add_argument("--list", action="store_true", help="list the cases, run nothing")
    parser.add_argument(
        "--cap",
        type=int,
        default=0,
        help="at most about this many runs per group, spread evenly over it (a quicker, still varied run)",
    )
    args = parser.parse_args()
    if args.repo:
        sys.path.insert(0, str(args.repo.resolve()))
    os.environ.setdefault("REPORTKIT_NO_CACHE", "1")
    os.environ["LC_ALL"] = "C.UTF-8"
    work = Path(tempfile.mkdtemp(prefix="rk-msg-"))
    os.environ["XDG_CACHE_HOME"] = str(work / "cache")
    import reportkit
    import reportkit.cli as cli

    parser_, modules = cli.make_parser()  # import every command module before forking
    del parser_, modules
    for name in (
        "docx",
        "openpyxl",
        "xlrd",
        "pypandoc",
        "docxtpl",
        "markdown_it",
        "lxml.etree",
        "PIL.Image",
    ):
        try:
            __import__(name)
        except ImportError:
            pass
    exception_in("")  # the names of every exception class now loaded
    print(f"reportkit from {Path(reportkit.__file__).parent}", file=sys.stderr)
    try:
        base, built, docx = prepare(work)
        cases = all_cases(docx)
        if args.only:
            pattern = re.compile(args.only)
            cases = [c for c in cases if pattern.search(f"{c.group} {c.name} {' '.join(c.argv)}")]
        if args.cap:
            sizes = Counter(c.group for c in cases)
            seen: Counter = Counter()
            kept = []
            for case in cases:
                step = -(-sizes[case.group] // args.cap)  # every step-th run of the group
                if seen[case.group] % step == 0:
                    kept.append(case)
                seen[case.group] += 1
            cases = kept
        if args.list:
            for case in cases:
                print(case.group, case.name, " ".join(case.argv), sep="\t")
            return 0
        started = time.monotonic()
        results = run_all(cases, work, built, args.jobs, args.timeout, progress=True)
        seconds = time.monotonic() - started
    finally:
        subprocess.run(["chmod", "-R", "u+rwx", str(work)], capture_output=True)
        shutil.rmtree(work, ignore_errors=True)
    flagged = [r for r in results if r.flags]
    counts = Counter(flag for r in results for flag in r.flags)
    by_group = Counter(r.case.group for r in flagged)
    runs_by_group = Counter(r.case.group for r in results)
    exit2 = sum(r.code == 2 for r in results)
    print(
        f"cases: {len(results)} runs ({exit2} exit 2) in {seconds:.0f} s; flagged: {len(flagged)}"
    )
    print("flags: " + ", ".join(f"{flag} {counts.get(flag, 0)}" for flag in FLAGS))
    print(
        "exit-2 messages with English or an exception name: "
        f"{sum(1 for r in results if r.code == 2 and ({'english', 'exception'} & r.flags.keys()))}"
    )
    print(
        "by group (flagged/runs): "
        + ", ".join(f"{g} {by_group.get(g, 0)}/{n}" for g, n in runs_by_group.items())
    )
    if args.verbose:
        for r in flagged:
            print(
                f"\n[{r.case.group}] {r.case.name} :: reportkit {' '.join(r.case.argv)} -> {r.code}"
            )
            for flag, line in r.flags.items():
                print(f"   {flag}: {line}")
    if args.json:
        args.json.write_text(
            json.dumps(
                [
                    {
                        "group": r.case.group,
                        "name": r.case.name,
                        "argv": r.case.argv,
                        "code": r.code,
                        "flags": r.flags,
                        "err": r.err[-2000:],
                    }
                    for r in results
                ],
                ensure_ascii=False,
                indent=1,
            ),
            encoding="utf-8",
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
