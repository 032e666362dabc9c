"""The facts file, described once: types, units, Chinese titles and where a figure comes from.

Validation, the JSON Schema, the scaffolded facts file and the error messages all read
this table, so a new fact is added here and nowhere else.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Field:
    path: str  # dotted key in facts.yaml
    kind: str  # text, year, enum, money, count, headcount, percent, money4, percent4, bool, texts
    title: str
    unit: str = ""
    help: str = ""  # meaning and where the figure usually comes from
    required: bool = False
    choices: tuple[str, ...] = ()
    default: object = None
    positive: bool = False  # zero is not allowed (a budget of 0 cannot be divided by)


KIND_EXPECTED = {
    "text": "文字",
    "year": "四位数年份，如 2023",
    "enum": "以下之一：{choices}",
    "money": "不小于 0 的数字，单位万元，不带千分位逗号和单位，如 3303.88",
    "count": "不小于 0 的整数",
    "headcount": "不小于 0 的整数，或按编制类型分列的整数（如 行政: 62, 事业: 21）",
    "percent": "0 到 100 之间的数字（百分数的数值部分，如 86.34）",
    "money4": "4 个数字的列表（一至四季度末累计数，单位万元），逐季不减少",
    "percent4": "4 个百分数数值的列表（一至四季度末累计支出进度，如 [26.1, 50.6, 73.6, 99.45]），逐季不减少",
    "bool": "是 或 否（true / false）",
    "texts": "文字列表",
}

DISCLOSURE = ("按规定公开", "公开但有缺陷", "未公开")

FIELDS: tuple[Field, ...] = (
    # report metadata
    Field("report.unit", "text", "部门（单位）名称", help="封面“部门名称（公章）”一栏", required=True),
    Field("report.year", "year", "评价年度", help="被评价的预算年度", required=True),
    Field("report.preparer", "text", "填报人", help="封面“填报人”"),
    Field("report.phone", "text", "联系电话", help="封面“联系电话”"),
    Field("report.level", "enum", "层级", help="市本级或区级，决定评分标准中的“市委市政府/区委区政府”等措辞", choices=("市", "区"), default="市"),
    Field("report.kind", "enum", "主体类型", help="部门或单位，决定标题中写“部门”还是“单位”", choices=("部门", "单位"), default="部门"),
    Field("report.self_name", "text", "自称", help="正文中对本部门的称呼，如 我办、我局、我站", default="我部门"),
    Field("report.framework", "text", "评价指标体系", help="`reportkit frameworks` 列出的编号，或报告目录中框架文件的相对路径", default="city-2021"),
    Field("report.outline", "text", "报告提纲", help="`reportkit outlines` 列出的编号，或报告目录中提纲文件的相对路径；不填则按 reportkit.yaml 的 outline，再不填为 shenzhen-city"),
    Field("report.date", "text", "报告日期", help="写入文档属性的日期，如 2022-03-31；不填则取 SOURCE_DATE_EPOCH 或评价年度次年 1 月 1 日"),
    # budget
    Field("budget.initial", "money", "年初预算", "万元", "部门预算批复的年初预算总额（智慧财政系统·预算批复）", required=True, positive=True),
    Field("budget.adjusted", "money", "调整后预算", "万元", "年末调整后的全年预算总额（决算报表）", required=True, positive=True),
    Field("budget.spent", "money", "全年支出", "万元", "全年实际支出数（决算报表）", required=True),
    Field("budget.adjustments", "money", "调整、调剂资金累计", "万元", "年度内预算调整、调剂资金累计额；不填则按 |调整后预算 − 年初预算| 计算"),
    Field("budget.previous_initial", "money", "上年年初预算", "万元", "上一年度部门预算年初数，用于计算增减"),
    Field("budget.personnel", "money", "人员支出（年初）", "万元", "年初预算中的人员支出"),
    Field("budget.public", "money", "公用支出（年初）", "万元", "年初预算中的公用支出"),
    Field("budget.project", "money", "项目支出（年初）", "万元", "年初预算中的项目支出"),
    # quarterly execution
    Field("quarterly.cumulative_spent", "money4", "季度末累计支出", "万元", "3、6、9、12 月末累计支出（国库支付进度通报）"),
    Field("quarterly.progress", "percent4", "季度末累计支出进度", "%", "只有进度百分数时填写：季度末累计支出 ÷ 全年预算"),
    # procurement and costs
    Field("procurement.plan", "money", "政府采购计划金额", "万元", "年度政府采购预算（采购计划）合计"),
    Field("procurement.actual", "money", "实际采购金额", "万元", "年度实际政府采购金额合计"),
    Field("three_public.budget", "money", "“三公”经费预算", "万元", "“三公”经费预算安排数；没有“三公”经费预算填 0"),
    Field("three_public.spent", "money", "“三公”经费实际支出", "万元", "“三公”经费决算数"),
    Field("office_expenses.budget", "money", "日常公用经费调整预算", "万元", "日常公用经费调整预算数"),
    Field("office_expenses.spent", "money", "日常公用经费决算", "万元", "日常公用经费决算数"),
    # assets and staff
    Field("fixed_assets.total", "money", "固定资产总额", "万元", "年末固定资产原值总额（资产管理系统）"),
    Field("fixed_assets.in_use", "money", "在用固定资产", "万元", "年末在用状态的固定资产原值"),
    Field("staff.authorized", "headcount", "核定编制数", "人", "含工勤人员；行政、事业编制可分列"),
    Field("staff.on_payroll", "headcount", "在编人数", "人", "年末实有在编人数，含工勤人员；可分列"),
    Field("staff.contract", "count", "编外人员数", "人", "劳务派遣及直接聘用的编外人员（含临聘）"),
    # work
    Field("projects.planned", "count", "计划完成项目数", "个", "部门预算安排、计划在本年完成的项目数"),
    Field("projects.on_time", "count", "按时完成项目数", "个", "按计划时间完成的项目数"),
    Field("key_tasks.total", "count", "重点工作任务数", "项", "党委、政府、人大和上级部门下达或交办的重点工作数"),
    Field("key_tasks.unfinished", "count", "未完成重点工作数", "项", "未按期保质保量完成的重点工作数", default=0),
    Field("petitions.received", "count", "收到信访件数", "件", "年度收到的群众信访件数；不填视为本年度未收到信访件（信访两项回复率按达标计）", default=0),
    Field("petitions.replied", "count", "已办理回复件数", "件", "已办理回复的信访件数"),
    Field("petitions.on_time", "count", "按时办理回复件数", "件", "在规定期限内办理回复的信访件数"),
    Field("satisfaction", "percent", "公众或服务对象满意度", "%", "满意度调查结果；以百分制得分给出的（如 88.28 分）按百分数填写"),
    # disclosure and compliance
    Field("disclosure.budget", "enum", "部门预算公开", help="预算信息公开情况", choices=DISCLOSURE),
    Field("disclosure.final_accounts", "enum", "部门决算公开", help="决算信息公开情况", choices=DISCLOSURE),
    Field("disclosure.classified", "bool", "涉密部门（按规定不公开）", default=False),
    Field("compliance.violations", "texts", "违规支出事项", help="超范围、超标准支出，虚列支出，截留、挤占、挪用资金等；有任何一项则“财务合规性”得 0 分", default=()),
)

BY_PATH = {f.path: f for f in FIELDS}
SECTIONS = sorted({f.path.split(".")[0] for f in FIELDS if "." in f.path})
# Blocks that are not plain facts but the author's assessments, validated by the scorer.
ASSESSMENT_BLOCKS = ("judgements", "overrides")


def expected(spec: Field) -> str:
    return KIND_EXPECTED[spec.kind].format(choices="、".join(spec.choices))


