"""Shared fixtures: small report folders built in a temporary directory."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from reportkit.load.outline import all_sections

DATA = Path(__file__).parent / "data"
REPO = Path(__file__).parent.parent


def write_sections(root: Path) -> None:
    """One short but real body per outline section."""
    content = root / "content"
    content.mkdir(parents=True, exist_ok=True)
    for section in all_sections():
        body = (
            f"{section.guidance}\n\n"
            "全年调整后预算 {{ budget.adjusted | wan }} 万元，执行率 {{ budget.execution_rate | pct }}。\n"
        )
        (content / section.file).write_text(body, encoding="utf-8")


@pytest.fixture(autouse=True, scope="session")
def _private_code_cache(tmp_path_factory) -> None:
    """Tests never read or fill the user's cache of compiled templates."""
    import os

    os.environ["XDG_CACHE_HOME"] = str(tmp_path_factory.mktemp("cache"))


@pytest.fixture(autouse=True, scope="session")
def _every_docx_validated():
    """Each Word file a test renders is checked against the OOXML schema and read back."""
    from ooxml_checks import docx_problems

    import reportkit.render as render_package
    from reportkit.render.docx import render as render_module

    original = render_module.render_docx

    def checked(report, out_path, *args, **kwargs):
        result = original(report, out_path, *args, **kwargs)
        problems = docx_problems(Path(out_path))
        assert not problems, "生成的 Word 文件未通过校验：\n" + "\n".join(problems[:20])
        return result

    render_module.render_docx = checked
    render_package.render_docx = checked
    yield
    render_module.render_docx = original
    render_package.render_docx = original


@pytest.fixture
def seed000(tmp_path: Path) -> Path:
    """Seed 000's facts with a body in every section."""
    root = tmp_path / "seed000"
    shutil.copytree(DATA / "seed000", root)
    write_sections(root)
    return root


# -- tests that need system tools (LibreOffice, poppler, Chromium, CJK fonts) -------------------

import system_tools  # noqa: E402

_not_run: dict[str, int] = {}  # tool → tests not run for want of it
_skipped: set[str] = set()


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "needs(*tools): the test drives these system tools (tests/system_tools.py)")


def _missing_tools(item: pytest.Item) -> list[str]:
    tools = [t for mark in item.iter_markers("needs") for t in mark.args]
    unknown = [t for t in tools if t not in system_tools.TOOLS]
    assert not unknown, f"{item.nodeid}: unknown tool {unknown}"
    return sorted({t for t in tools if system_tools.path(t) is None})


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if system_tools.required():
        return  # pytest_runtest_setup fails them
    for item in items:
        if missing := _missing_tools(item):
            _skipped.add(item.nodeid)
            for tool in missing:
                _not_run[tool] = _not_run.get(tool, 0) + 1
            item.add_marker(pytest.mark.skip(reason=system_tools.missing_message(missing)))


def pytest_runtest_setup(item: pytest.Item) -> None:
    """Before any fixture: with REPORTKIT_REQUIRE_TOOLS=1 a missing tool is a failure."""
    if system_tools.required() and (missing := _missing_tools(item)):
        pytest.fail("REPORTKIT_REQUIRE_TOOLS=1，但" + system_tools.missing_message(missing), pytrace=False)


def pytest_terminal_summary(terminalreporter, exitstatus: int, config: pytest.Config) -> None:  # noqa: ANN001
    if not _skipped:
        return
    write = terminalreporter.write_line
    write("")
    write(f"{len(_skipped)} 项测试未运行，因为缺少系统工具（见 tests/system_tools.py）：")
    for tool, count in sorted(_not_run.items()):
        write(f"  {system_tools.TOOLS[tool].name}：{count} 项需要它")
    write("  " + system_tools.install_hint(sorted(_not_run)))
    write("  装好后重新运行 bash scripts/test.sh；设置 REPORTKIT_REQUIRE_TOOLS=1 时这些测试失败而不是跳过。")
