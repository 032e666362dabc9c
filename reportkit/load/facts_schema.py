"""The facts file, described once: types, units, Chinese titles and where a figure comes from.

Validation, the JSON Schema, the scaffolded facts file and the error messages all read
this table, so a new fact is added here and nowhere else.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Field:
    """A fact facts.yaml may hold: its key, kind, title, unit and constraints."""

    path: str  # dotted key in facts.yaml
    kind: str  # one of KIND_EXPECTED
    title: str
    unit: str = ""
    help: str = ""  # meaning and where the figure usually comes from
    required: bool = False
    choices: tuple[str, ...] = ()
    default: object = None
    positive: bool = False  # zero is not allowed (a budget of 0 cannot be divided by)
    form: str = ""  # "date": a text that must read as a date (kept and printed as typed)


KIND_EXPECTED = {
    "text": "文字",
    "year": "四位数年份，如 2023",
    "enum": "以下之一：{choices}",
    "money": "不小于 0 的数字，单位万元，不带千分位逗号和单位，如 3303.88",
    "count": "不小于 0 的整数",
    "headcount": "不小于 0 的整数，或按编制类型分列的整数（如 行政: 62, 事业: 21）",
    "contract": "不小于 0 的整数，或按用工类型分列的整数（如 劳务派遣: 20, 临聘: 33）；类型为以下之一：{choices}",
    "percent": "0 到 100 之间的数字（百分数的数值部分，如 86.34）",
    "money4": "4 个数字的列表（一至四季度末累计数，单位万元），逐季不减少",
    "percent4": "4 个百分数数值的列表（一至四季度末累计支出进度，如 [26.1, 50.6, 73.6, 99.45]），逐季不减少",
    "bool": "是 或 否（true / false）",
    "texts": "文字列表",
    "date": "日期，如 2023-01-17 或 2023年1月17日",
    "adjustments": "调整事项的列表，每项写成 {{kind: 类型, amount: 金额, note: 说明}}，类型为以下之一：{choices}；"
                   "或按类型写金额，如 {{追加: 1460, 调减: 275.02}}",
    "projects": "项目的列表，每项写成 {{name: 项目名称, initial: 年初预算, adjusted: 调整后预算, spent: 支出, "
                "on_time: 是/否, reason: 未按时完成的原因}}，金额单位万元",
}

DISCLOSURE = ("按规定公开", "公开但有缺陷", "未公开")
# 编外人员 by kind of employment; the framework setting contract_kinds says which count.
CONTRACT_KINDS = ("劳务派遣", "直接聘用", "临聘", "雇员", "其他")
# Budget adjustments by kind; the framework setting adjustment_kinds says which count.
ADJUSTMENT_KINDS = ("追加", "调减", "调剂", "上缴")
ADJUSTMENT_ALIASES = {"调增": "追加", "收回": "调减", "调出": "调剂"}
# Keys of one item of projects.list, with their kinds.
PROJECT_KEYS = {
    "name": "text", "initial": "money", "adjusted": "money", "spent": "money", "on_time": "bool",
    "reason": "text", "procurement_plan": "money", "procurement_actual": "money", "note": "text",
}

_FINAL = "决算报表《收入支出决算总表》《支出决算表》"


def _stages(part: str, title: str, where: str, final: str = "决算报表《支出决算表》") -> tuple[Field, ...]:
    """年初 / 调整后 / 支出 of one column of the budget (基本支出, 人员经费 …)."""
    return (
        Field(f"budget.{part}", "money", f"{title}（年初预算）", "万元", f"年初预算中的{title}（{where}）"),
        Field(f"budget.{part}_adjusted", "money", f"{title}（调整后预算）", "万元", f"调整后预算中的{title}（{final}）"),
        Field(f"budget.{part}_spent", "money", f"{title}（全年支出）", "万元", f"全年支出中的{title}（{final}）"),
    )


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
    Field("report.date", "text", "报告日期", help="写入文档属性的日期，如 2022-03-31 或 2022年3月31日（按原样印出）；不填则取 SOURCE_DATE_EPOCH 或评价年度次年 1 月 1 日", form="date"),
    # organisation
    Field("organization.divisions", "count", "内设机构数", "个", "机关内设机构（处室、科室）个数（三定方案）"),
    Field("organization.affiliates", "count", "下属单位数", "个", "所属（下属）预算单位个数"),
    # budget: totals, then the columns of the 支出决算表
    Field("budget.initial", "money", "年初预算", "万元", "部门预算批复的年初预算总额（智慧财政系统·预算批复）；"
          "不填则按 基本支出 + 项目支出 计算", required=True, positive=True),
    Field("budget.adjusted", "money", "调整后预算", "万元", f"年末调整后的全年预算总额（{_FINAL}）；"
          "不填则按 基本支出 + 项目支出 计算", required=True, positive=True),
    Field("budget.spent", "money", "全年支出", "万元", f"全年实际支出数（{_FINAL}）；不填则按 基本支出 + 项目支出 计算",
          required=True),
    Field("budget.adjustments", "money", "调整、调剂资金累计", "万元", "年度内预算调整、调剂资金累计额；"
          "不填则按下方 adjustments 分项计算，都不填则按 |调整后预算 − 年初预算| 计算"),
    Field("budget.previous_initial", "money", "上年年初预算", "万元", "上一年度部门预算年初数，用于计算增减"),
    *_stages("basic", "基本支出", "部门预算批复；不填则按 人员经费 + 公用经费 计算"),
    *_stages("personnel", "人员经费", "部门预算批复·基本支出", "决算报表《基本支出决算表》"),
    *_stages("public", "公用经费", "部门预算批复·基本支出", "决算报表《基本支出决算表》"),
    *_stages("project", "项目支出", "部门预算批复；列出 projects.list 时可由各项目合计"),
    Field("budget.carried_in", "money", "年初结转和结余", "万元", "上年结转到本年使用的资金（含在调整后预算中）（决算报表《收入支出决算总表》）"),
    Field("budget.carryover", "money", "年末结转和结余", "万元", "年末结转和结余资金（决算报表《收入支出决算总表》）；没有填 0"),
    Field("budget.previous_carryover", "money", "上年末结转和结余", "万元",
          "上一年度末的结转和结余资金（上年决算报表）；用于结转结余变动率"),
    Field("budget.key_spent", "money", "重点项目支出", "万元",
          "用于履行主要职责、完成重点任务的项目支出（重点支出安排率的分子，分母为项目支出）"),
    # adjustments broken down (top level, a list)
    Field("adjustments", "adjustments", "预算调整、调剂明细", "万元",
          "年中追加、调减、项目间调剂、上缴等每笔（类）调整的金额和说明（智慧财政系统·预算调整）；"
          "评价指标体系的设置 adjustment_kinds 决定哪些类型计入“调整、调剂资金累计”",
          choices=ADJUSTMENT_KINDS),
    # quarterly execution
    Field("quarterly.cumulative_spent", "money4", "季度末累计支出", "万元", "3、6、9、12 月末累计支出（国库支付进度通报）"),
    Field("quarterly.progress", "percent4", "季度末累计支出进度", "%", "只有进度百分数时填写：季度末累计支出 ÷ 全年预算"),
    # procurement and costs
    Field("procurement.plan", "money", "政府采购计划金额", "万元", "年度政府采购预算（采购计划）合计；年中调整过的填调整后的数（政府采购执行率的分母）"),
    Field("procurement.plan_initial", "money", "年初政府采购预算", "万元", "部门预算批复时的政府采购预算（年中调整前）"),
    Field("procurement.actual", "money", "实际采购金额", "万元", "年度实际政府采购金额合计（决算报表《机构运行信息表》）"),
    Field("procurement.goods", "money", "货物类采购金额", "万元", "实际采购金额中的货物类"),
    Field("procurement.services", "money", "服务类采购金额", "万元", "实际采购金额中的服务类"),
    Field("procurement.works", "money", "工程类采购金额", "万元", "实际采购金额中的工程类"),
    Field("procurement.sme", "money", "面向中小企业采购金额", "万元", "授予中小企业的合同金额（决算报表《机构运行信息表》）"),
    Field("three_public.budget", "money", "“三公”经费预算", "万元", "“三公”经费预算安排数；没有“三公”经费预算填 0；不填则按三项合计"),
    Field("three_public.spent", "money", "“三公”经费实际支出", "万元", "“三公”经费决算数（决算报表《财政拨款“三公”经费支出决算表》）；不填则按三项合计"),
    Field("three_public.travel_budget", "money", "因公出国（境）费预算", "万元", "“三公”经费预算中的因公出国（境）费；没有填 0"),
    Field("three_public.travel_spent", "money", "因公出国（境）费支出", "万元", "《财政拨款“三公”经费支出决算表》"),
    Field("three_public.car_budget", "money", "公务用车购置及运行维护费预算", "万元", "“三公”经费预算中的公务用车购置及运行维护费"),
    Field("three_public.car_spent", "money", "公务用车购置及运行维护费支出", "万元", "《财政拨款“三公”经费支出决算表》"),
    Field("three_public.reception_budget", "money", "公务接待费预算", "万元", "“三公”经费预算中的公务接待费"),
    Field("three_public.reception_spent", "money", "公务接待费支出", "万元", "《财政拨款“三公”经费支出决算表》"),
    Field("three_public.previous_spent", "money", "上年“三公”经费实际支出", "万元",
          "上一年度“三公”经费决算数（上年《财政拨款“三公”经费支出决算表》）；用于“三公”经费变动率"),
    Field("three_public.cars", "count", "公务用车保有量", "辆", "年末公务用车实有数（决算报表《机构运行信息表》）"),
    Field("office_expenses.budget", "money", "日常公用经费调整预算", "万元", "日常公用经费调整预算数"),
    Field("office_expenses.spent", "money", "日常公用经费决算", "万元", "日常公用经费决算数"),
    # assets and staff
    Field("fixed_assets.total", "money", "固定资产总额", "万元", "年末固定资产原值总额（资产管理系统；决算报表《资产负债表》）"),
    Field("fixed_assets.in_use", "money", "在用固定资产", "万元", "年末在用状态的固定资产原值（固定资产利用率按原值计算）"),
    Field("fixed_assets.net", "money", "固定资产净值", "万元", "年末固定资产账面净值（原值减累计折旧）"),
    Field("fixed_assets.added", "money", "本年新增固定资产", "万元", "本年新增固定资产原值"),
    Field("fixed_assets.disposed", "money", "本年处置固定资产", "万元", "本年报废、调拨等处置的固定资产原值"),
    Field("fixed_assets.disposal_income", "money", "资产处置收入", "万元", "本年资产处置收入（应及时足额上缴）"),
    Field("balance.assets", "money", "资产合计", "万元", "年末资产总额（《资产负债表》）；不填则按流动资产 + 非流动资产计算"),
    Field("balance.current_assets", "money", "流动资产", "万元", "《资产负债表》"),
    Field("balance.noncurrent_assets", "money", "非流动资产", "万元", "《资产负债表》"),
    Field("balance.liabilities", "money", "负债合计", "万元", "年末负债总额（《资产负债表》）；不填则按流动负债 + 非流动负债计算"),
    Field("balance.current_liabilities", "money", "流动负债", "万元", "《资产负债表》"),
    Field("balance.noncurrent_liabilities", "money", "非流动负债", "万元", "《资产负债表》"),
    Field("balance.net_assets", "money", "净资产合计", "万元", "年末净资产（资产合计 − 负债合计）（《资产负债表》）"),
    Field("staff.authorized", "headcount", "核定编制数", "人", "含工勤人员；行政、事业编制可分列（决算报表《基本数字表》）"),
    Field("staff.on_payroll", "headcount", "在编人数", "人", "年末实有在编人数，含工勤人员；可分列（决算报表《基本数字表》）"),
    Field("staff.contract", "contract", "编外人员数", "人", "劳务派遣及直接聘用的编外人员（含临聘、雇员）；可按用工类型分列，"
          "评价指标体系的设置 contract_kinds 决定哪些类型计入编外人员控制率", choices=CONTRACT_KINDS),
    Field("staff.contract_quota", "count", "编外人员核定名额", "人", "编外人员（临聘、雇员等）控制数或核定名额"),
    Field("staff.workers", "count", "工勤人员数", "人", "在编人数中的工勤人员"),
    Field("staff.retired", "count", "离退休人员数", "人", "年末离退休人员（决算报表《基本数字表》）"),
    # work
    Field("projects.planned", "count", "计划完成项目数", "个", "部门预算安排、计划在本年完成的项目数；列出 projects.list 时可不填"),
    Field("projects.on_time", "count", "按时完成项目数", "个", "按计划时间完成的项目数；列出 projects.list 时可不填"),
    Field("projects.all_on_time", "bool", "所有项目均按计划时间完成", help="只知道“所有项目均按计划时间完成”、没有项目数时填 是"),
    Field("projects.list", "projects", "项目明细", "万元", "本年部门预算安排的项目（智慧财政系统·项目库）；"
          "列出后项目数、按时完成数和项目支出合计由它计算，可用 {{ tables.projects() }} 生成项目表"),
    Field("key_tasks.total", "count", "重点工作任务数", "项", "党委、政府、人大和上级部门下达或交办的重点工作数"),
    Field("key_tasks.unfinished", "count", "未完成重点工作数", "项", "未按期保质保量完成的重点工作数", default=0),
    Field("performance.project_targets", "count", "项目支出绩效目标数", "个", "编报了绩效目标的项目数（智慧财政系统·绩效目标）"),
    Field("performance.ex_ante", "count", "事前绩效评估项目数", "个", "开展事前绩效评估的新增项目数"),
    Field("performance.monitored", "count", "绩效运行监控项目数", "个", "纳入绩效运行监控的项目数"),
    Field("performance.targets_adjusted", "count", "调整绩效目标的项目数", "个", "根据监控结果调整绩效目标或指标的项目数"),
    Field("performance.budget_cut", "count", "调减预算的项目数", "个", "根据监控结果调减预算的项目数"),
    Field("performance.self_evaluated", "count", "绩效自评项目数", "个", "纳入本年绩效自评的项目数"),
    Field("performance.self_evaluated_amount", "money", "绩效自评涉及金额", "万元", "纳入绩效自评的项目资金合计"),
    Field("petitions.received", "count", "收到信访件数", "件", "年度收到的群众信访件数；不填视为本年度未收到信访件（信访两项回复率按达标计）", default=0),
    Field("petitions.handled", "count", "已办理信访件数", "件", "已办理（办结）的信访件数"),
    Field("petitions.replied", "count", "已办理回复件数", "件", "已办理回复的信访件数"),
    Field("petitions.on_time", "count", "按时办理回复件数", "件", "在规定期限内办理回复的信访件数"),
    Field("satisfaction", "percent", "公众或服务对象满意度", "%", "满意度调查结果；以百分制得分给出的（如 88.28 分）按百分数填写"),
    # disclosure and compliance
    Field("disclosure.budget", "enum", "部门预算公开", help="预算信息公开情况；不填而填了批复和公开日期时，按日期判断", choices=DISCLOSURE),
    Field("disclosure.final_accounts", "enum", "部门决算公开", help="决算信息公开情况；不填而填了批复和公开日期时，按日期判断", choices=DISCLOSURE),
    Field("disclosure.classified", "bool", "涉密部门（按规定不公开）", default=False),
    Field("disclosure.budget_approved", "date", "部门预算批复日期", help="财政部门批复部门预算的日期"),
    Field("disclosure.budget_published", "date", "部门预算公开日期", help="在门户网站公开部门预算的日期"),
    Field("disclosure.final_accounts_approved", "date", "部门决算批复日期", help="财政部门批复部门决算的日期"),
    Field("disclosure.final_accounts_published", "date", "部门决算公开日期", help="在门户网站公开部门决算的日期"),
    Field("compliance.violations", "texts", "违规支出事项", help="超范围、超标准支出，虚列支出，截留、挤占、挪用资金等；有任何一项则“财务合规性”得 0 分", default=()),
)

# Totals and their parts: a total left out is computed when every part is given; parts that
# exceed their total are an error, parts that are all given and fall short are a warning.
# In dependency order (基本支出 before the whole budget).
SUMS: tuple[tuple[str, tuple[str, ...]], ...] = (
    *((f"budget.basic{s}", (f"budget.personnel{s}", f"budget.public{s}")) for s in ("", "_adjusted", "_spent")),
    ("budget.initial", ("budget.basic", "budget.project")),
    ("budget.adjusted", ("budget.basic_adjusted", "budget.project_adjusted")),
    ("budget.spent", ("budget.basic_spent", "budget.project_spent")),
    ("three_public.budget", ("three_public.travel_budget", "three_public.car_budget", "three_public.reception_budget")),
    ("three_public.spent", ("three_public.travel_spent", "three_public.car_spent", "three_public.reception_spent")),
    ("procurement.actual", ("procurement.goods", "procurement.services", "procurement.works")),
    ("balance.assets", ("balance.current_assets", "balance.noncurrent_assets")),
    ("balance.liabilities", ("balance.current_liabilities", "balance.noncurrent_liabilities")),
    ("balance.assets", ("balance.liabilities", "balance.net_assets")),
)

BY_PATH = {f.path: f for f in FIELDS}
SECTIONS = sorted({f.path.split(".")[0] for f in FIELDS if "." in f.path})
# Blocks that are not plain facts but the author's assessments, validated by the scorer.
ASSESSMENT_BLOCKS = ("judgements", "overrides", "declared")


def expected(spec: Field) -> str:
    if spec.form == "date":
        return KIND_EXPECTED["date"]
    return KIND_EXPECTED[spec.kind].format(choices="、".join(spec.choices))


