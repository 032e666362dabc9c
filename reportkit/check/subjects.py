"""What a sentence is about, before a number in it is compared with a fact.

A report states the same measures for many things: 执行率 of the department, of 项目支出,
of one project (“8、零星修缮费……执行率97.11%”); 年初预算 of the department or of a
project; a figure of last year. A typed number is compared with a department fact only when
the text says it is about the department — or says nothing about its subject while its
paragraph is not about something else. Anything else is left alone: a false warning costs
more than a missed one.

The subject is read, in order, from
  1. the words written onto the name itself: 部门预算执行率, 项目支出执行率, 采购执行率;
  2. the nearest subject word before it in the sentence: 我办……执行率, 该项目……执行率;
  3. the paragraph's own heading or list item (“8、零星修缮费”), and the heading above it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

DEPARTMENT = "department"
BASIC = "basic"  # 基本支出
PROJECT = "project"  # 项目支出 as a whole
PERSONNEL = "personnel"  # 人员经费
PUBLIC = "public"  # 公用经费
PROCUREMENT = "procurement"
THREE_PUBLIC = "three_public"
FIXED_ASSETS = "fixed_assets"
QUARTER = "quarter"  # a quarter of this year: the quarter logic of the caller decides
ITEM = "item"  # a named project or item of spending (零星修缮费, 某某项目, 专项)
OTHER_YEAR = "other_year"  # 上年, 2020 年, 同比
SUBUNIT = "subunit"  # 下属单位, 各科室
MONTH = "month"  # 11月, 上半年
# Subjects that make any figure about something else, whatever name it is written with.
ELSEWHERE = (OTHER_YEAR, SUBUNIT, MONTH)

TITLES = {
    DEPARTMENT: "部门整体", BASIC: "基本支出", PROJECT: "项目支出", PERSONNEL: "人员经费", PUBLIC: "公用经费",
    PROCUREMENT: "政府采购", THREE_PUBLIC: "“三公”经费", FIXED_ASSETS: "固定资产", QUARTER: "某一季度",
    ITEM: "某个项目或支出事项", OTHER_YEAR: "其他年度", SUBUNIT: "下属单位或科室", MONTH: "某月或半年",
}

_CJK = "\u4e00-\u9fff"
# Words that make what follows about the department as a whole.
_DEPARTMENT = (
    r"我[办局委站院会处队所厅部署校馆台社团]|本(?:部门|单位|站|局|办|委|院|中心|机关)|部门整体|单位整体|整体支出|"
    r"部门预算|单位预算|全年|全部|总体|整体|本年度?|当年|年度|部门|单位|总"
)
# Subject words, checked nearest first; the first group that matches names the subject.
_CUES: tuple[tuple[str, str], ...] = (
    (OTHER_YEAR, r"上年|去年|上一年|前一年|上年度|同比|环比|历年|往年|以前年度|前年|同期"),
    (SUBUNIT, r"(?:下属|所属|直属)(?:事业单位|单位|机构|部门)?|二级单位|基层单位|各单位|分支机构|各科室|各部门"),
    (MONTH, r"(?<![\d年])(?:1[01]|[1-9])月(?:份|底|末|中)?|上半年|下半年|月度"),
    (QUARTER, r"季度|当季|分季|季末"),
    (BASIC, r"基本支出|基本经费"),
    (PERSONNEL, r"人员(?:经费|支出)|工资福利"),
    (PUBLIC, r"(?<!日常)公用(?:经费|支出)"),
    (THREE_PUBLIC, r"三公"),
    (PROCUREMENT, r"采购"),
    (FIXED_ASSETS, r"固定资产|资产"),
    (PROJECT, r"项目支出"),
    (ITEM, r"项目|专项|工程|课题|活动"),
    # a named item of spending: 零星修缮费, 安检保障经费, 设备购置资金; not 预算资金, 财政资金, 费用
    (ITEM, rf"(?<=[{_CJK}])(?:(?<!预算|财政|部门|整体|拨款|公用|人员|三公|日常|项目|基本)(?:经费|资金)|(?<!经)费(?!用)|补助|补贴|基金)"),
    (DEPARTMENT, _DEPARTMENT),
)
_CUE = re.compile("|".join(f"(?P<c{i}>{pattern})" for i, (_, pattern) in enumerate(_CUES)))
_YEAR = re.compile(r"(?<!\d)((?:19|20)\d\d)\s*年(?!\d)")
# Words between a subject and a name that say nothing about the subject.
_NEUTRAL_TAIL = re.compile(
    r"(?:的|之|其|与|和|及|为|是|了|使|将|让|把|对|在|由|按|从|以|并|且|但|而|其中|"
    r"提高|提升|确保|保证|实现|推进|加快|加强|完成|达成|保持|控制|考核|计算|统计|测算|反映|衡量|评价|"
    r"预计|截至|截止|年末|年底|累计|最终|实际|平均|综合|公众|群众|服务对象|社会|市民|居民|企业|办事群众)$"
)
_MARKER = re.compile(r"^\s*(?:#+\s*)?(?:[(（]?[一二三四五六七八九十\d]{1,3}[)）]|[一二三四五六七八九十\d]{1,3}[、.．]|[①-⑳])\s*")


@dataclass(frozen=True)
class Subject:
    """What a typed number is about, as read from the words around it."""

    name: str  # one of the constants above
    certain: bool  # said in so many words (a suggestion may be offered)
    why: str  # the words it was read from, for --explain

    @property
    def title(self) -> str:
        return TITLES[self.name]


def _cue(match: re.Match) -> str:
    return next(_CUES[i][0] for i in range(len(_CUES)) if match.group(f"c{i}") is not None)


def _year(text: str, year: int | None) -> Subject | None:
    """Another year written right here (2020 年, 2020年度)."""
    found = list(_YEAR.finditer(text))
    if found and year and int(found[-1][1]) != year:
        return Subject(OTHER_YEAR, True, found[-1][0])
    return None


def compound(text: str, start: int, year: int | None) -> Subject | None:
    """The subject written onto the name itself (部门预算执行率, 项目支出总执行率, 采购执行率);
    None when nothing is attached to it."""
    run = re.search(rf"[{_CJK}]{{0,14}}$", text[max(0, start - 14):start])[0]  # not all of text[:start]: linear
    department: str | None = None
    while run:
        ends = [m for m in _CUE.finditer(run) if m.end() == len(run)]
        if not ends:
            break
        m = min(ends, key=lambda m: m.start())
        name = _cue(m)
        if name != DEPARTMENT:
            return Subject(name, True, m[0])
        department = department or m[0]
        run = run[:m.start()]  # 项目支出总执行率: look past 总 for what it is the total of
    other = _year(text[max(0, start - 16):start], year)
    if other and text[:start].rstrip().endswith(("年", "年度")):
        return other
    if department:
        return Subject(DEPARTMENT, True, department)
    if not run or _NEUTRAL_TAIL.search(run) or run.endswith("年"):
        return None
    # an unknown word right before the name (签证单使用率, 办结率): about something else
    return Subject(ITEM, False, run[-4:])


def in_sentence(text: str, floor: int, start: int, year: int | None, kinds: tuple[str, ...] | None = None) -> Subject | None:
    """The nearest subject word before `start` in the text from `floor` (a year counts too);
    with `kinds`, only subject words of those kinds."""
    best: tuple[int, Subject] | None = None
    for m in _CUE.finditer(text, floor, start):
        name = _cue(m)
        if kinds is None or name in kinds:
            best = (m.end(), Subject(name, True, m[0]))
    years = list(_YEAR.finditer(text, floor, start))
    if years and (best is None or years[-1].end() > best[0]):
        found = years[-1]
        other = year and int(found[1]) != year
        return Subject(OTHER_YEAR if other else DEPARTMENT, True, found[0])
    return best[1] if best else None


def heading_subject(line: str, year: int | None) -> Subject | None:
    """What a list item or heading says its text is about (“8、零星修缮费”); None if not one."""
    marker = _MARKER.match(line)
    if not marker and not line.lstrip().startswith("#"):
        return None
    rest = line[marker.end():] if marker else line.lstrip("# ")
    title = re.split(r"[。:;,]", rest, maxsplit=1)[0][:40]
    found = in_sentence(title, 0, len(title), year)
    return found if found is not None else Subject(DEPARTMENT, False, title[:12])


def is_heading(line: str) -> bool:
    """A heading or list-item title on a line of its own: it sets the subject of what follows."""
    marker = _MARKER.match(line)
    if not marker and not line.lstrip().startswith("#"):
        return False
    rest = line[marker.end():] if marker else line.lstrip("# ")
    return len(rest.strip()) <= 40 and not re.search(r"[。;,]|\d", rest.strip().rstrip("。"))
