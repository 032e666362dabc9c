"""`check` finds every error `build` would (issue 18): over a set of bad inputs, whenever build
refuses the report (exit 2), check fails too (exit 2) — or, for an unfinished report, build's
refusal is the to-do list and check lists the same to-dos (to-dos are not errors: check exits
0 on a draft, by design, so a pre-commit hook lets a half-written report be committed).

The cases: the reproducers named in the issue, the malformed inputs of test_check_malformed
(on the example report) and bench/fuzz.py's values and snippets (the fuzz test runs them
through build alone)."""

from __future__ import annotations

import importlib.util
import re
import shutil
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from reportkit import check_report
from reportkit.cli import main

REPO = Path(__file__).resolve().parent.parent
_spec = importlib.util.spec_from_file_location("rk_fuzz_values", REPO / "bench" / "fuzz.py")
fuzz = importlib.util.module_from_spec(_spec)
sys.modules["rk_fuzz_values"] = fuzz
_spec.loader.exec_module(fuzz)

FACTS = "content/facts.yaml"
SECTION = "content/2-3-履职绩效情况.md"


def facts_line(key: str, value: str) -> Callable[[Path], None]:
    """Set the value of the first line `  key: …` of the facts file."""

    def run(root: Path) -> None:
        path = root / FACTS
        text = path.read_text(encoding="utf-8")
        pattern = re.compile(rf"^(\s+{re.escape(key)}):[^\n]*$", re.M)
        assert pattern.search(text), key
        path.write_text(
            pattern.sub(lambda m: f"{m.group(1)}: {value}", text, count=1), encoding="utf-8"
        )

    return run


def replace(file: str, old: str, new: str) -> Callable[[Path], None]:
    def run(root: Path) -> None:
        path = root / file
        text = path.read_text(encoding="utf-8")
        assert old in text, old
        path.write_text(text.replace(old, new, 1), encoding="utf-8")

    return run


def write(file: str, text: str) -> Callable[[Path], None]:
    return lambda root: (root / file).write_text(text, encoding="utf-8")


def append(file: str, text: str) -> Callable[[Path], None]:
    def run(root: Path) -> None:
        with (root / file).open("a", encoding="utf-8") as handle:
            handle.write("\n\n" + text + "\n")

    return run


def template(old: str, new: str) -> Callable[[Path], None]:
    """The default Word template with one placeholder edited, named in reportkit.yaml."""

    def run(root: Path) -> None:
        import zipfile

        source = zipfile.ZipFile(REPO / "templates" / "report.docx")
        with zipfile.ZipFile(root / "模板.docx", "w", zipfile.ZIP_DEFLATED) as out:
            for item in source.infolist():
                data = source.read(item.filename)
                if item.filename == "word/document.xml":
                    assert old.encode() in data, old
                    data = data.replace(old.encode(), new.encode(), 1)
                out.writestr(item, data)
        (root / "reportkit.yaml").write_text("template: 模板.docx\n", encoding="utf-8")

    return run


CASES: list[tuple[str, Callable[[Path], None]]] = [
    # named in the issue
    ("date-minus-one", facts_line("date", "-1")),
    ("date-no-day", facts_line("date", '"2024年3月"')),
    ("date-13th-month", facts_line("date", '"2024-13-01"')),
    ("template-dot", write("reportkit.yaml", "template: .\n")),
    ("template-build", write("reportkit.yaml", "template: build\n")),
    ("template-outside", write("reportkit.yaml", "template: ../../../../etc/passwd\n")),
    (
        "template-not-docx",
        lambda root: (
            (root / "模板.docx").write_bytes(b"PK not a zip")
            or write("reportkit.yaml", "template: 模板.docx\n")(root)
        ),
    ),
    ("template-unknown-placeholder", template("{{ title }}", "{{ titel }}")),
    ("template-without-endfor", template("{%p endfor %}", "")),
    ("template-unknown-tag", template("{%p if toc %}", "{%p iff toc %}")),
    ("template-body-without-p", template("{{p block.body }}", "{{ block.body }}")),
    ("template-without-body", template("{{p block.body }}", "")),
    ("authorized-zero", facts_line("authorized", "0")),
    ("plan-zero", facts_line("plan", "0")),
    ("deduct-above-points", replace(FACTS, "      deduct: 0.5\n", "      deduct: 9\n")),
    # test_check_malformed's kinds, on the example
    ("yaml-syntax", facts_line("initial", "[1")),
    ("tab-indent", replace(FACTS, "  initial:", "\tinitial:")),
    ("fullwidth-colon", replace(FACTS, "  spent: 29874.36", "  spent： 29874.36")),
    ("negative", facts_line("spent", "-5")),
    ("zero-budget", facts_line("adjusted", "0")),
    ("duplicate-key", replace(FACTS, "  spent: 29874.36", "  spent: 29874.36\n  spent: 1")),
    ("config-unknown-key", write("reportkit.yaml", "tocc: true\n")),
    ("config-bad-toc", write("reportkit.yaml", "toc: 要\n")),
    ("config-empty-list", write("reportkit.yaml", "- a\n")),
    ("missing-section", lambda root: (root / SECTION).unlink()),
    ("unknown-name", append(SECTION, "{{ budget.intial }}")),
    # bench/fuzz.py's values on a money, a count and a text fact
    *((f"spent={v[:12]!r}", facts_line("spent", v)) for v, _ in fuzz.VALUES[:24]),
    *(
        (f"received={v[:12]!r}", facts_line("received", v))
        for v in ("abc", "1.5", "-1", "１２３", "!!int ''")
    ),
    *((f"unit={v[:12]!r}", facts_line("unit", v)) for v in ("''", "[1, 2]", '"\\ud800"', "null")),
    # and its snippets (the cheap ones; the fuzz test times the rest)
    *((f"snippet {s[:16]!r}", append(SECTION, s)) for s in fuzz.SNIPPETS if len(s) < 200),
]


@pytest.fixture(scope="module")
def pristine(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("example") / "report"
    shutil.copytree(REPO / "content", root / "content")
    return root


@pytest.mark.parametrize("change", [c[1] for c in CASES], ids=[c[0] for c in CASES])
def test_check_fails_whenever_build_does(pristine: Path, tmp_path: Path, capsys, change) -> None:
    root = tmp_path / "report"
    shutil.copytree(pristine, root, symlinks=True)
    change(root)
    capsys.readouterr()
    checked = main(["check", str(root)])
    out = capsys.readouterr().out
    assert checked in (0, 1, 2)
    if checked == 2:
        return  # check refuses it: whatever build does, check found it
    built = main(["build", str(root)])
    err = capsys.readouterr().err
    if built == 2 and err.startswith("错误：报告尚未完成"):
        todos = check_report(root).of("todo")
        assert todos and all(t.message in err for t in todos), (out, err)  # the same list in both
        return
    assert built != 2, f"build refused what check passed:\n{err}\ncheck said:\n{out}"


def test_the_named_reproducers_are_check_errors(pristine: Path, tmp_path: Path) -> None:
    """The issue's own examples fail check itself, not only build."""
    named = {
        "date-minus-one",
        "date-no-day",
        "template-dot",
        "template-build",
        "template-outside",
        "authorized-zero",
        "plan-zero",
        "deduct-above-points",
    }
    for name, change in CASES:
        if name not in named:
            continue
        root = tmp_path / name
        shutil.copytree(pristine, root)
        change(root)
        assert check_report(root).of("error"), name


def test_a_bad_source_date_epoch_is_found_by_check(
    pristine: Path, tmp_path: Path, monkeypatch, capsys
) -> None:
    """Without report.date build dates the Word file by SOURCE_DATE_EPOCH: check reads it as well."""
    root = tmp_path / "report"
    shutil.copytree(pristine, root)
    replace(FACTS, '  date: "2024-03-29"\n', "")(root)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "soon")
    capsys.readouterr()
    assert main(["build", str(root)]) == 2
    assert "SOURCE_DATE_EPOCH" in capsys.readouterr().err
    errors = check_report(root).of("error")
    assert [(e.group, e.key) for e in errors] == [("config", "SOURCE_DATE_EPOCH")]
    assert "“soon”无效" in errors[0].message
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1650000000")
    assert not check_report(root).of("error")


def test_a_date_written_in_chinese_builds(pristine: Path, tmp_path: Path) -> None:
    """report.date is checked at load like the other dates, so build reads the same forms
    (it read only 2024-03-29 before, and refused 2024年3月29日 that check let through)."""
    import zipfile

    from reportkit import build_report

    root = tmp_path / "report"
    shutil.copytree(pristine, root)
    replace(FACTS, '  date: "2024-03-29"', "  date: 2024年3月29日")(root)
    assert not check_report(root).of("error")
    build_report(root)
    docx = next((root / "build").glob("*.docx"))
    core = zipfile.ZipFile(docx).read("docProps/core.xml").decode("utf-8")
    assert "2024-03-29T00:00:00Z" in core


def test_the_template_names_are_the_renderers(pristine: Path, tmp_path: Path, monkeypatch) -> None:
    """load/template.py's TEMPLATE_NAMES are exactly the names render/docx fills."""
    from reportkit import build_report
    from reportkit.load.template import TEMPLATE_NAMES
    from reportkit.render.docx import render as docx_render

    seen: list[set[str]] = []
    original = docx_render._render
    monkeypatch.setattr(
        docx_render,
        "_render",
        lambda package, xml, context, source: (seen.append(set(context)), original(package, xml, context, source))[1],
    )
    root = tmp_path / "report"
    shutil.copytree(pristine, root)
    build_report(root)
    assert seen == [set(TEMPLATE_NAMES)]


def test_template_messages(pristine: Path, tmp_path: Path) -> None:
    for name, words in (
        ("template-unknown-placeholder", "使用了未知的占位符：titel"),
        ("template-without-endfor", "占位符有语法错误：缺少 {%p endfor %}"),
        ("template-unknown-tag", "未知的控制语句“iff”"),
        ("template-body-without-p", "写成 {{p 名称 }}（带 p）：写的是“{{ block.body }}”"),
        ("template-without-body", "模板缺少占位符 {{p block.body }}"),
    ):
        root = tmp_path / name
        shutil.copytree(pristine, root)
        dict(CASES)[name](root)
        errors = check_report(root).of("error")
        assert len(errors) == 1 and words in errors[0].message and errors[0].file == "模板.docx", (
            name,
            errors,
        )
