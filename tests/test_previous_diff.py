"""Issue 16: `previous:` (a folder or a git revision, read without checkout) gives
{{ previous.… }} and {{ change.… }}; `reportkit diff` on a temporary git repository with two
commits and on two folders."""

from __future__ import annotations

import json
import shutil
import subprocess
from decimal import Decimal
from pathlib import Path

import pytest

from reportkit.assemble.report import load_report, load_scores
from reportkit.check import check_report
from reportkit.cli import main
from reportkit.compute.change import Change
from reportkit.compute.values import Money, Rate, Score
from reportkit.diff import changed_paragraphs, diff_report
from reportkit.errors import ReportError

DATA = Path(__file__).parent / "data"
INTRO = ("年初预算比上年{{ change.budget.initial }}；执行率{{ change.budget.execution_rate }}，上年 "
         "{{ previous.budget.execution_rate | pct }}；总分{{ change.total }}（上年 {{ previous.total }}，"
         "{{ previous.year }} 年）；增减 {{ budget.change | wan }} 万元，{{ change.budget.initial.rate | pct }}；"
         "满意度{{ change.scores[\"公众或服务对象满意度\"] }}。\n")


def _git(repo: Path, *args: str) -> str:
    return subprocess.run(["git", "-c", "user.name=测试", "-c", "user.email=t@example.com", *args],
                          cwd=repo, check=True, capture_output=True, text=True).stdout


def _this_year(root: Path, previous: str) -> None:
    """Last year's mini report turned into this year's: other budget, satisfaction, intro."""
    facts = root / "content" / "facts.yaml"
    text = facts.read_text(encoding="utf-8")
    text = text.replace("year: 2021", "year: 2022").replace("initial: 57373.02", "initial: 60000.5")
    text = text.replace("  previous_initial: 43622.58\n", "").replace("satisfaction: 86.34", "satisfaction: 95")
    facts.write_text(text + f"previous: {previous}\n", encoding="utf-8")
    (root / "content" / "0-引言.md").write_text(INTRO, encoding="utf-8")


def _expected_intro(report) -> None:  # noqa: ANN001
    text = report.intro.markdown
    assert "年初预算比上年增加 2,627.48 万元，增长 4.58%" in text
    assert "执行率持平，上年 94.29%" in text
    assert "增减 2,627.48 万元，4.58%" in text  # budget.previous_initial from last year's report
    assert "（上年 93.78，2021 年）" in text
    assert "满意度提高 " in text and " 分" in text


def test_previous_folder(tmp_path: Path) -> None:
    shutil.copytree(DATA / "mini", tmp_path / "2021")
    shutil.copytree(DATA / "mini", tmp_path / "2022")
    _this_year(tmp_path / "2022", "../2021")
    report = load_report(tmp_path / "2022")
    _expected_intro(report)
    assert report.metrics["previous.budget.initial"] == Decimal("57373.02")
    assert not [f for f in check_report(tmp_path / "2022").findings if f.severity == "error"]


def test_previous_in_reportkit_yaml(tmp_path: Path) -> None:
    shutil.copytree(DATA / "mini", tmp_path / "2021")
    shutil.copytree(DATA / "mini", tmp_path / "2022")
    _this_year(tmp_path / "2022", "null")
    config = tmp_path / "2022" / "reportkit.yaml"
    config.write_text(config.read_text(encoding="utf-8") + "previous: ../2021\n", encoding="utf-8")
    _expected_intro(load_report(tmp_path / "2022"))
    config.write_text("previous: {git: 1, svn: 2}\n", encoding="utf-8")
    with pytest.raises(ReportError, match="未知的键“svn”") as caught:
        load_scores(tmp_path / "2022")
    assert caught.value.file.endswith("reportkit.yaml") and caught.value.line == 1


def test_previous_git_revision_without_checkout(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    shutil.copytree(DATA / "mini", repo / "报告")
    _git(repo, "init", "-q")
    _git(repo, "add", ".")
    _git(repo, "commit", "-qm", "2021")
    _git(repo, "tag", "v2021")
    _this_year(repo / "报告", "{git: v2021}")
    status = _git(repo, "status", "--porcelain")
    _expected_intro(load_report(repo / "报告"))
    assert _git(repo, "status", "--porcelain") == status  # the work tree is never touched
    assert "2022" in (repo / "报告" / "content" / "facts.yaml").read_text(encoding="utf-8")


@pytest.mark.parametrize(("previous", "words"), [
    ("{git: v1999}", "git 仓库中没有版本“v1999”"),
    ("{git: --output=x}", "不是有效的 git 版本名"),
    ("../nowhere", "不是报告目录"),
    ("{git: v2021, path: 别处}", "中没有目录"),
    ("{svn: 1}", "未知的键“svn”"),
])
def test_previous_bad_input(tmp_path: Path, previous: str, words: str, capsys: pytest.CaptureFixture) -> None:
    repo = tmp_path / "repo"
    shutil.copytree(DATA / "mini", repo)
    _git(repo, "init", "-q")
    _git(repo, "add", ".")
    _git(repo, "commit", "-qm", "2021")
    _git(repo, "tag", "v2021")
    _this_year(repo, previous)
    with pytest.raises(ReportError, match=words) as caught:
        load_scores(repo)
    assert caught.value.key == "previous" and caught.value.line
    assert main(["build", str(repo)]) == 2
    err = capsys.readouterr().err
    assert words in err and "facts.yaml" in err and "待办" not in err
    assert any(words in f.message for f in check_report(repo).findings)


def test_previous_that_does_not_load_is_named(tmp_path: Path) -> None:
    shutil.copytree(DATA / "mini", tmp_path / "2021")
    shutil.copytree(DATA / "mini", tmp_path / "2022")
    facts = tmp_path / "2021" / "content" / "facts.yaml"
    facts.write_text(facts.read_text(encoding="utf-8").replace("spent: 60994.53", "spent: 很多"), encoding="utf-8")
    _this_year(tmp_path / "2022", "../2021")
    with pytest.raises(ReportError, match=r"上一年度报告（../2021）无法读取：.*2021/content/facts.yaml:\d+.*budget.spent"):
        load_scores(tmp_path / "2022")


def test_change_phrases() -> None:
    assert str(Change(Money("120"), Money("100"))) == "增加 20.00 万元，增长 20%"
    assert str(Change(Money("90.5"), Money("100"))) == "减少 9.50 万元，下降 9.50%"
    assert str(Change(Money("5"), Money("0"))) == "增加 5.00 万元"
    assert str(Change(Rate(9, 10), Rate(95, 100))) == "降低 5.00 个百分点"
    assert str(Change(Score("93.5"), Score("92"))) == "提高 1.5 分"
    assert str(Change(12, 12)) == "持平"
    change = Change(Money("80"), Money("100"))
    assert change["amount"] == Money("-20") and change["size"] == Money("20") and change["word"] == "减少"
    assert change["rate"] == Rate(-1, 5) and change["trend"] == "下降"


def _commit_two(repo: Path) -> None:
    shutil.copytree(DATA / "mini", repo)
    _git(repo, "init", "-q")
    _git(repo, "add", ".")
    _git(repo, "commit", "-qm", "一")
    facts = repo / "content" / "facts.yaml"
    text = facts.read_text(encoding="utf-8").replace("satisfaction: 86.34", "satisfaction: 70")
    text = text.replace("deduct: 0.1", "deduct: 0.3")
    facts.write_text(text, encoding="utf-8")
    section = repo / "content" / "1-1-主要职能.md"
    section.write_text(section.read_text(encoding="utf-8") + "\n新增的一段。\n", encoding="utf-8")
    (repo / "content" / "3-3-后续工作计划.md").unlink()
    shutil.copy(DATA / "mini" / "content" / "3-3-后续工作计划.md", repo / "content" / "3-3-后续工作计划.md")
    _git(repo, "commit", "-qam", "二")


def test_diff_git_two_commits(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    repo = tmp_path / "repo"
    _commit_two(repo)
    assert main(["diff", "HEAD~1", str(repo), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    facts = {f["key"]: f for f in data["facts"]}
    assert facts["satisfaction"]["old"] == "86.34%" and facts["satisfaction"]["new"] == "70%"
    assert "judgements.预算编制合理性" in facts
    indicators = {i["name"]: i for i in data["indicators"]}
    assert indicators["预算编制合理性"]["old"] == "4.9" and indicators["预算编制合理性"]["new"] == "4.7"
    assert "人工评判变化" in indicators["预算编制合理性"]["reason"]
    assert "事实变化：satisfaction" in indicators["公众或服务对象满意度"]["reason"]
    assert data["total"]["old"] == "93.78" and data["total"]["new"] != "93.78"
    assert data["sections"]["changed_paragraphs"] == {"1-1-主要职能.md": 1}
    assert main(["diff", "HEAD", str(repo)]) == 0
    assert "没有变化" in capsys.readouterr().out
    assert main(["diff", "nonexistent-tag", str(repo)]) == 2
    assert "git 仓库中没有版本“nonexistent-tag”" in capsys.readouterr().err


def test_diff_two_folders_text(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    shutil.copytree(DATA / "mini", tmp_path / "旧")
    shutil.copytree(DATA / "mini", tmp_path / "新")
    _this_year(tmp_path / "新", "../旧")
    (tmp_path / "新" / "content" / "3-1-经验做法.md").unlink()
    (tmp_path / "新" / "content" / "9-附注.md").write_text("附注。\n", encoding="utf-8")
    diff = diff_report(tmp_path / "新", tmp_path / "旧")
    assert {f["key"] for f in diff.facts} >= {"report.year", "budget.initial", "satisfaction"}
    assert diff.added == ["9-附注.md"] and diff.removed == ["3-1-经验做法.md"]
    assert diff.paragraphs["0-引言.md"] >= 1
    assert main(["diff", "--previous", str(tmp_path / "新")]) == 0
    out = capsys.readouterr().out
    assert "比较：上一年度报告（../旧）" in out and "budget.initial（年初预算）：57,373.02 万元 → 60,000.50 万元" in out
    assert "删除 content/3-1-经验做法.md" in out and "新增 content/9-附注.md" in out


def test_textconv_lists_facts_and_scores(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    assert main(["diff", "--textconv", str(DATA / "mini" / "content" / "facts.yaml")]) == 0
    out = capsys.readouterr().out
    assert "budget.initial: 57,373.02 万元" in out and "总分: 93.78" in out and "得分 预算执行率: 5.41" in out
    broken = tmp_path / "facts.yaml"
    broken.write_text("budget: [\n", encoding="utf-8")
    assert main(["diff", "--textconv", str(broken)]) == 0
    assert capsys.readouterr().out.startswith("# reportkit：")


def test_changed_paragraphs() -> None:
    assert changed_paragraphs("一。\n\n二。\n\n三。", "一。\n\n二改。\n\n三。\n\n四。") == 2
    assert changed_paragraphs("一。\n二。", "一。 二。") == 0  # line breaks inside a paragraph


def test_new_from_last_year(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    last = tmp_path / "2021年度报告"
    shutil.copytree(DATA / "mini", last)
    new = tmp_path / "2022年度报告"
    assert main(["new", str(new), "--from", str(last)]) == 0
    text = (new / "content" / "facts.yaml").read_text(encoding="utf-8")
    assert '  unit: "深圳市人民政府口岸办公室"' in text and "  year: 2022" in text
    assert '  framework: "city-2021"' in text and '  self_name: "我办"' in text
    assert "  # 去年：57373.02\n  initial:\n" in text  # emptied, last year's value above it
    assert "  # 去年：86.34" not in text and "# 去年：86.34\nsatisfaction:\n" in text
    assert 'previous: "../2021年度报告"' in text
    assert "#   预算编制合理性: 第4条扣 0.1 分" in text
    for section in (last / "content").glob("*.md"):
        assert (new / "content" / section.name).read_bytes() == section.read_bytes()
    assert (new / "reportkit.yaml").read_bytes() == (last / "reportkit.yaml").read_bytes()
    assert (new / "content" / "images" / "chart.png").is_file()
    # This year's facts are to-dos, never errors of the file itself; previous: loads.
    result = check_report(new)
    assert result.of("todo") and not [f for f in result.findings if f.key == "previous"]
    assert main(["new", str(new), "--from", str(last)]) == 2  # not an empty folder
    assert main(["new", str(tmp_path / "x"), "--from", str(tmp_path / "nowhere")]) == 2
    assert "不是报告目录" in capsys.readouterr().err


def test_previous_fills_every_fact_about_last_year(tmp_path: Path) -> None:
    """The change rules of other frameworks (“三公”经费变动率, 结转结余变动率) read last year's own figures."""
    shutil.copytree(DATA / "mini", tmp_path / "2021")
    shutil.copytree(DATA / "mini", tmp_path / "2022")
    last = tmp_path / "2021" / "content" / "facts.yaml"
    last.write_text(last.read_text(encoding="utf-8").replace("budget:\n", "budget:\n  carryover: 812.4\n", 1),
                    encoding="utf-8")
    _this_year(tmp_path / "2022", "../2021")
    facts = load_report(tmp_path / "2022").facts
    assert facts.get("budget.previous_carryover") == Decimal("812.4")
    last_three_public = load_report(tmp_path / "2021").facts.get("three_public.spent")
    assert last_three_public is not None and facts.get("three_public.previous_spent") == last_three_public
