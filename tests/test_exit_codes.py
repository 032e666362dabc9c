"""One exit-code rule across commands: score and score --json agree with each other and with build."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from reportkit.cli import main

DATA = Path(__file__).parent / "data"


def edit(root: Path, old: str, new: str) -> None:
    facts = root / "content" / "facts.yaml"
    text = facts.read_text(encoding="utf-8")
    assert old in text, old
    facts.write_text(text.replace(old, new, 1), encoding="utf-8")


@pytest.fixture
def mini(tmp_path: Path) -> Path:
    root = tmp_path / "mini"
    shutil.copytree(DATA / "mini", root)
    return root


def test_score_and_score_json_exit_0_when_every_indicator_scores(mini: Path, capsys) -> None:
    assert main(["score", str(mini)]) == 0
    capsys.readouterr()
    assert main(["score", "--json", str(mini)]) == 0
    assert json.loads(capsys.readouterr().out)["total"] is not None


def test_missing_facts_exit_2_in_score_score_json_and_build(mini: Path, capsys) -> None:
    edit(mini, "projects: {planned: 28, on_time: 26}", "projects: {planned: 28}")  # 项目完成及时性 cannot score
    capsys.readouterr()
    assert main(["score", str(mini)]) == 2
    text = capsys.readouterr()
    assert "缺少 projects.on_time" in text.err

    assert main(["score", "--json", str(mini)]) == 2
    done = capsys.readouterr()
    data = json.loads(done.out)  # the JSON is still complete, with what is missing
    assert data["total"] is None
    missing = [i["working"] for i in data["indicators"] if i["working"]["missing_facts"]]
    assert missing and all("projects.on_time" in i["missing_facts"] for i in missing)
    assert done.err == text.err  # the same message on stderr as the table gives

    assert main(["build", str(mini)]) == 2
