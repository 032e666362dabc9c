"""The fixed outline of the report: chapters, sections and the file each section lives in."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Section:
    number: str  # "（一）"
    title: str  # may hold {主体} (部门/单位) and {年度}
    file: str  # the Markdown file in content/
    optional: bool = False
    guidance: str = ""  # what the author writes here; used by `new`


@dataclass(frozen=True)
class Chapter:
    number: str  # "一、"
    title: str
    sections: tuple[Section, ...] = ()
    generated: bool = False  # written by reportkit from the scores


INTRO = Section("", "引言", "0-引言.md", optional=True, guidance="可选：为何、依据哪些文件开展本次自评价。")

OUTLINE: tuple[Chapter, ...] = (
    Chapter("一、", "{主体}基本情况", (
        Section("（一）", "{主体}主要职能", "1-1-主要职能.md", guidance="职责、内设机构（可附表1-1 内设机构及主要职能）。"),
        Section("（二）", "年度总体工作和重点工作任务", "1-2-年度总体工作和重点工作任务.md", guidance="1. 年度总体工作 2. 重点工作任务。"),
        Section("（三）", "{年度}年{主体}预算编制情况", "1-3-预算编制情况.md", guidance="年初预算、与上年比较、预算调整、绩效目标编报情况。"),
        Section("（四）", "{年度}年{主体}预算执行情况", "1-4-预算执行情况.md", guidance="1.资金管理 2.项目管理 3.资产管理 4.人员管理 5.制度管理。"),
    )),
    Chapter("二、", "{主体}主要履职绩效分析", (
        Section("（一）", "主要履职目标", "2-1-主要履职目标.md", guidance="年度主要履职目标逐条列出。"),
        Section("（二）", "主要履职情况", "2-2-主要履职情况.md", guidance="对应各项目标写完成情况，用数据说话。"),
        Section("（三）", "{主体}履职绩效情况", "2-3-履职绩效情况.md", guidance="1.经济性 2.效率性 3.效果性 4.公平性。"),
    )),
    Chapter("三、", "总体评价和整改措施", (
        Section("（一）", "预算绩效管理工作主要经验、做法", "3-1-经验做法.md", guidance="事前评估、目标编报、绩效监控、评价结果应用等做法。"),
        Section("（二）", "{主体}整体支出绩效存在问题及改进措施", "3-2-存在问题及改进措施.md", guidance="1. 存在问题（对应失分指标） 2. 改进措施。"),
        Section("（三）", "后续工作计划、相关建议等", "3-3-后续工作计划.md", guidance="下一年度的工作计划与建议。"),
    )),
    Chapter("四、", "{主体}整体支出绩效评价指标评分情况", generated=True),
)


def all_sections() -> list[Section]:
    return [INTRO] + [s for ch in OUTLINE for s in ch.sections]


def fill(title: str, kind: str, year: int) -> str:
    return title.replace("{主体}", kind).replace("{年度}", str(year))
