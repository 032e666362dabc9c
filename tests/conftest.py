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


@pytest.fixture
def seed000(tmp_path: Path) -> Path:
    """Seed 000's facts with a body in every section."""
    root = tmp_path / "seed000"
    shutil.copytree(DATA / "seed000", root)
    write_sections(root)
    return root
