"""Scoring texts as printed in a bureau's indicator table → the parts of a framework indicator.

A criterion's text is split into its numbered items (1. 2. … or 1、 2、 …, with their (1) (2)
sub-items), and each item, or the whole text, is matched against the ways scoring tables state
a rule:
- “得分=…率×N分” or “…/…×N分”: ratio (with “大于…本项得0分”: zero if over 100%);
- conditions on a rate with points (“≥90%的，得1分”, “90%>X≥75%的，得0.7分”, “达100%（1分）”): bands;
- “每超过一个百分点扣0.1分” with a threshold (“≤100%，计1分”): threshold_deduction;
- “超出10%的，超出一个百分点扣0.1分” on 调整、调剂: adjustment;
- “一项扣1分”, “发现一项…扣1分”, “一项重点工作没有完成扣4分”: deduct_per_item;
- one item per quarter with “序时进度” and a yearly average: quarterly_execution;
- “按规定…公开的，得1.5分 … 没有进行公开的，得0分” on 预算/决算: tiered;
- a criterion with its points in brackets (“（1分）”) and nothing computable: judgement.
What reads no way, or two ways, becomes one judgement with a TODO quoting the text.
Which rate a sentence speaks of is found from the terms of RATE_TERMS (the item, then the
indicator's name).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

# A rate the tables name → how reportkit computes it: (numerator, denominator) of facts and
# metrics, and why a zero denominator gives full marks. Longer terms first where one contains another.
RATE_TERMS: tuple[tuple[str, tuple[str, str], str], ...] = (
    ("政府采购执行率", ("procurement.actual", "procurement.plan"), "无政府采购计划且无采购，视为不适用，得满分"),
    ("采购执行率", ("procurement.actual", "procurement.plan"), "无政府采购计划且无采购，视为不适用，得满分"),
    ("固定资产利用率", ("fixed_assets.in_use", "fixed_assets.total"), "无固定资产，视为不适用，得满分"),
    ("固定资产使用率", ("fixed_assets.in_use", "fixed_assets.total"), "无固定资产，视为不适用，得满分"),
    ("编外人员控制率", ("staff.contract", "staff.total"), "无在编和编外人员，视为不适用，得满分"),
    ("财政供养人员控制率", ("staff.on_payroll_total", "staff.authorized_total"), "无核定编制且无在编人员，视为不适用，得满分"),
    ("在职人员控制率", ("staff.on_payroll_total", "staff.authorized_total"), "无核定编制且无在编人员，视为不适用，得满分"),
    ("人员控制率", ("staff.on_payroll_total", "staff.authorized_total"), "无核定编制且无在编人员，视为不适用，得满分"),
    ("“三公”经费控制率", ("three_public.spent", "three_public.budget"), "无“三公”经费预算且无支出，视为不适用，得满分"),
    ("三公经费控制率", ("three_public.spent", "three_public.budget"), "无“三公”经费预算且无支出，视为不适用，得满分"),
    ("日常公用经费控制率", ("office_expenses.spent", "office_expenses.budget"), "无日常公用经费预算且无支出，视为不适用，得满分"),
    ("公用经费控制率", ("office_expenses.spent", "office_expenses.budget"), "无日常公用经费预算且无支出，视为不适用，得满分"),
    ("及时办理回复率", ("petitions.on_time", "petitions.received"), "本年度未收到信访件，视为达标，得满分"),
    ("按时办理回复率", ("petitions.on_time", "petitions.received"), "本年度未收到信访件，视为达标，得满分"),
    ("办理回复率", ("petitions.replied", "petitions.received"), "本年度未收到信访件，视为达标，得满分"),
    ("项目完成及时", ("projects.on_time", "projects.planned"), "本年度无计划完成的项目，视为不适用，得满分"),
    ("完成及时率", ("projects.on_time", "projects.planned"), "本年度无计划完成的项目，视为不适用，得满分"),
    ("已完成项目数", ("projects.on_time", "projects.planned"), "本年度无计划完成的项目，视为不适用，得满分"),
    ("预算执行率", ("budget.spent", "budget.adjusted"), ""),
    ("预算完成率", ("budget.spent", "budget.adjusted"), ""),
    ("预算调整率", ("budget.adjustments", "budget.initial"), ""),
    ("结转结余率", ("budget.carryover", "budget.adjusted"), ""),
    ("重点支出安排率", ("budget.key_spent", "budget.project_spent"), ""),
    ("重点工作办结率", ("key_tasks.finished", "key_tasks.total"), "本年度无交办或下达的重点工作，视为不适用，得满分"),
    ("重点工作完成率", ("key_tasks.finished", "key_tasks.total"), "本年度无交办或下达的重点工作，视为不适用，得满分"),
)
# Changes against last year (变动率 = (本年 − 上年) ÷ 上年): term → (this year, last year).
CHANGE_TERMS: tuple[tuple[str, tuple[str, str]], ...] = (
    ("三公经费变动率", ("three_public.spent", "three_public.previous_spent")),
    ("结转结余变动率", ("budget.carryover", "budget.previous_carryover")),
    ("预算变动率", ("budget.initial", "budget.previous_initial")),
)
# Names the terms use that are not built in: the draft defines them in its `metrics:` block.
DERIVED: dict[str, tuple[str, str, tuple[str, ...]]] = {
    "key_tasks.finished": ("已完成重点工作数", "difference", ("key_tasks.total", "key_tasks.unfinished")),
}
# Rates read as one metric (no numerator and denominator of their own).
METRIC_TERMS: tuple[tuple[str, str], ...] = (
    ("支付进度率", "quarterly.average_rate"),
    ("支出进度执行率", "quarterly.average_rate"),
    # the public's or the served's satisfaction; another party's (协作部门, 管理对象) is no fact
    (r"(?<!协作部门)(?<!管理对象)(?<!内部职工)满意度", "satisfaction_rate"),
)
# Amounts a formula in the text may name (“（调整、调剂资金/调整后预算）”): the text's own
# formula wins over a term's usual one.
AMOUNT_TERMS: tuple[tuple[str, str], ...] = (
    ("调整、调剂资金", "budget.adjustments"),
    ("调整调剂资金", "budget.adjustments"),
    ("预算调整数", "budget.adjustments"),
    ("调整后预算", "budget.adjusted"),
    ("年初预算", "budget.initial"),
    ("预算完成数", "budget.spent"),
    ("实际支出", "budget.spent"),
    ("结转结余", "budget.carryover"),
)
_FORMULA = re.compile(r"([^/÷()（）=≤≥<>，,；;]{2,20}?)\s*[/÷]\s*([^/÷()（）×=≤≥<>，,；;]{2,20})")
# Counted facts a per-item deduction may count (“一项重点工作没有完成扣4分”).
COUNT_TERMS: tuple[tuple[re.Pattern, str], ...] = (
    (re.compile(r"重点工作[^。；]*?(?:没有|未)(?:按期)?完成"), "key_tasks.unfinished"),
)

_NUMBER = r"(\d+(?:\.\d+)?)"
_POINTS = re.compile(r"[（(]\s*" + _NUMBER + r"\s*分\s*[）)]")
_TOP_ITEM = re.compile(r"^\s*(\d{1,2})\s*[.、．]\s*(?!\d)")
_FORMULA_TIMES = re.compile(r"[×xX*]\s*" + _NUMBER + r"\s*分")
_PER_ITEM = re.compile(r"(?:一|每)(?:项|个(?!百分点)|处|次)(?:(?!百分点)[^，。；,;]){0,20}?扣\s*" + _NUMBER + r"\s*分")
_PER_POINT = re.compile(r"每?(超过|超出|高于|低于|少于|下降|超|高|低|少)\s*(?:一|1)\s*个?百分点[^，。；]{0,6}?扣(?:减)?\s*" + _NUMBER + r"\s*分")
_ZERO_IF_OVER = re.compile(r"(?:大于|超过|高于)[^，。；]{0,20}?(?:本项|该项|本指标)?得\s*0\s*分")
_VIOLATIONS = re.compile(r"(?:截留|挤占|挪用|虚列支出|超范围|超标准|违规支出|违规使用)[^。]*得\s*0\s*分")
_SCORE = re.compile(r"(?:得|计|记)\s*" + _NUMBER + r"\s*分")
_CMP = r"(≥|>|≤|<|=)"
_BELOW = ("低于", "少于", "下降", "低", "少")
_PCT = _NUMBER + r"\s*%"


@dataclass
class Recognized:
    """The parts read from an indicator's text, and what a person must still look at."""

    parts: list[dict[str, Any]]
    todos: list[str] = field(default_factory=list)
    zero_if: str | None = None

    def derived(self) -> list[str]:
        """The names of DERIVED the parts read (the draft defines them)."""
        read = {v for p in self.parts for v in p.values() if isinstance(v, str)}
        return [n for n in DERIVED if n in read]


def normal(text: str) -> str:
    """For matching only: full-width to half-width, but keep the Chinese punctuation that matters."""
    text = unicodedata.normalize("NFKC", text)
    return text.replace("＞", ">").replace("＜", "<").replace(">=", "≥").replace("<=", "≤")


def _starts_item(line: str, expected: int) -> bool:
    """“2.” opens item 2; “2.90%>…” does too when item 2 is due (else it is the number 2.90)."""
    match = re.match(r"^\s*(\d{1,2})\s*[.、．]", line)
    if not match:
        return False
    if int(match.group(1)) == expected:
        return True
    return bool(_TOP_ITEM.match(line)) and int(match.group(1)) == 1 and expected == 1


def split_items(standard: str) -> tuple[list[str], list[str]]:
    """(lines before the first number, the numbered items without their numbers)."""
    items: list[list[str]] = []
    preamble: list[str] = []
    for line in (ln.strip() for ln in standard.splitlines()):
        if not line:
            continue
        if _starts_item(normal(line), len(items) + 1):
            items.append([re.sub(r"^\s*\d{1,2}\s*[.、．]\s*", "", line, count=1)])
        elif items:
            items[-1].append(line)
        else:
            preamble.append(line)
    return preamble, ["\n".join(i) for i in items]


def _fraction(text: str) -> Fraction:
    return Fraction(text)


def _unquoted(text: str) -> str:
    """“三公”经费控制率 and “三公经费”控制率 are one term."""
    return re.sub(r"[“”\"'‘’]", "", normal(text))


def change_term(*texts: str) -> tuple[str, tuple[str, str] | None]:
    for text in texts:
        t = _unquoted(text)
        for term, pair in CHANGE_TERMS:
            if term in t:
                return term, pair
    return "", None


def _amount(text: str) -> str | None:
    return next((name for term, name in AMOUNT_TERMS if term in text), None)


def stated_formula(text: str) -> tuple[str, str] | None:
    """An “A/B” the text states, when both sides are amounts reportkit knows."""
    for match in _FORMULA.finditer(normal(text)):
        numerator, denominator = _amount(match.group(1)), _amount(match.group(2))
        if numerator and denominator and numerator != denominator:
            return numerator, denominator
    return None


def rate_term(*texts: str) -> tuple[str, tuple[str, str] | None, str | None, str]:
    """The first rate named in the texts: (term, (numerator, denominator) or None, metric or None, empty reason)."""
    for text in texts:
        t = _unquoted(text)
        for term, pair, empty in RATE_TERMS:
            if _unquoted(term) in t:
                return term, stated_formula(text) or pair, None, empty
        for term, metric in METRIC_TERMS:
            match = re.search(term, t)
            if match:
                return match.group(0), None, metric, ""
    return "", None, None, ""


def _all_done(pair: tuple[str, str] | None, text: str) -> dict[str, str]:
    """“所有项目均按计划时间完成（6分）”: a plain yes, without counts, gives full marks."""
    if pair == ("projects.on_time", "projects.planned") and re.search(r"(?:所有|全部)[^。；]*?(?:均|都)?按(?:计划|期)", text):
        return {"full_if": "projects.all_on_time"}
    return {}


def _rate_params(pair: tuple[str, str] | None, metric: str | None, empty: str) -> dict[str, Any]:
    if metric:
        return {"metric": metric}
    params: dict[str, Any] = {"numerator": pair[0], "denominator": pair[1]}
    if empty:
        params["empty_reason"] = empty
    return params


# --- bands ----------------------------------------------------------------------------


def _interval(condition: str) -> tuple[Fraction, bool, Fraction | None, bool] | None:
    """A condition on a percentage as (low, low inclusive, high or None, high inclusive)."""
    c = normal(condition).replace("（含）", "含").replace("(含)", "含")
    two = re.search(_PCT + r"\s*" + _CMP + r"[^%\d≥>≤<]*?" + _CMP + r"\s*" + _PCT, c)
    if two:
        a, op1, op2, b = Fraction(two.group(1)), two.group(2), two.group(3), Fraction(two.group(4))
        if op1 in "≤<" and op2 in "≤<":  # 90% ≤ X < 95%
            return a, op1 == "≤", b, op2 == "≤"
        if op1 in "≥>" and op2 in "≥>":  # 90% > X ≥ 75%
            return b, op2 == "≥", a, op1 == "≥"
        return None
    ranged = re.search(_PCT + r"\s*(含)?\s*[-—－~～至到]+\s*" + _PCT + r"\s*(含)?", c)
    if ranged:  # 80%（含）—90%: the lower edge included unless said otherwise
        low, high = Fraction(ranged.group(1)), Fraction(ranged.group(3))
        return low, True, high, bool(ranged.group(4))
    one = re.search(_CMP + r"\s*" + _PCT, c)
    if one:
        op, a = one.group(1), Fraction(one.group(2))
        return {"≥": (a, True, None, False), ">": (a, False, None, False),
                "≤": (Fraction(0), True, a, True), "<": (Fraction(0), True, a, False),
                "=": (a, True, a, True)}[op]
    under = re.search(r"(?:低于|少于|小于|不足|未达到|不到)\s*" + _PCT, c)
    if under:
        return Fraction(0), True, Fraction(under.group(1)), False
    over = re.search(r"(?:高于|超过|大于|超出)\s*" + _PCT, c)
    if over:
        return Fraction(over.group(1)), False, None, False
    reached = re.search(r"(?:达|达到)\s*" + _PCT + r"(?:以上|及以上)?", c)
    if reached:
        return Fraction(reached.group(1)), True, None, False
    below = re.search(_PCT + r"\s*(以下|以内|以上)", c)
    if below:
        a = Fraction(below.group(1))
        return (a, True, None, False) if below.group(2) == "以上" else (Fraction(0), True, a, True)
    return None


def _band_text(low: Fraction, li: bool, high: Fraction | None, hi: bool) -> str:
    def num(x: Fraction) -> str:
        return str(x.numerator) if x.denominator == 1 else str(float(x))
    return f"{'[' if li else '('}{num(low)}, {'inf' if high is None else num(high)}{']' if hi and high is not None else ')'}"


def bands_from(clauses: list[str]) -> dict[str, Fraction] | None:
    """Interval → points from clauses like “90%≤满意度<95%的，得4分”; None unless they cover 0…inf."""
    found = []
    for clause in clauses:
        score = _SCORE.search(normal(clause)) or _POINTS.search(normal(clause))
        interval = _interval(clause.split("得")[0] if "得" in clause else clause)
        if score is None or interval is None:
            continue
        found.append((interval, Fraction(score.group(1))))
    if not found:
        return None
    if len(found) == 1:  # “达100%（1分）”: below the edge gives nothing
        (low, li, high, hi), points = found[0]
        if high is None and low > 0:
            found.append(((Fraction(0), True, low, not li), Fraction(0)))
        elif low == 0 and high is not None:
            found.append(((high, not hi, None, False), Fraction(0)))
    found.sort(key=lambda f: (f[0][0], not f[0][1]))
    if found[0][0][0] != 0 or not found[0][0][1] or found[-1][0][2] is not None:
        return None
    for (a, _), (b, _) in zip(found, found[1:], strict=False):
        if a[2] is None or a[2] != b[0] or a[3] == b[1]:
            return None
    return {_band_text(*interval): points for interval, points in found}


# --- one item -------------------------------------------------------------------------


def _clauses(text: str) -> list[str]:
    parts = re.split(r"[；;。\n]|(?<=分)[，,]", text)
    return [p for p in (s.strip() for s in parts) if p]


def _stated_points(text: str) -> Fraction | None:
    match = _POINTS.search(normal(text))
    return Fraction(match.group(1)) if match else None


def _quote(text: str) -> str:
    return " ".join(text.split())


def _item_part(item: str, name: str, weight: Fraction | None) -> tuple[dict | None, str | None]:
    """One item's rule, or (None, why) when it states none that can be computed."""
    t = normal(item)
    points = _stated_points(item)
    term, pair, metric, empty = rate_term(item, name)
    label = item_label(item)

    if "调整" in t and "调剂" in t and _PER_POINT.search(t) and re.search(_PCT + r"\s*以内", t) and (points or weight):
        threshold = Fraction(re.search(_PCT + r"\s*以内", t).group(1))
        per = Fraction(_PER_POINT.search(t).group(2))
        part = {"rule": "adjustment", "points": points or weight, "threshold": threshold, "per_point": per}
        return _labelled(part, label), None

    per_point = _PER_POINT.search(t)
    change_name, change_pair = change_term(item, name)
    if per_point and change_pair:
        direction = "below" if per_point.group(1) in _BELOW else "above"
        edge = re.search(r"(≤|<|≥|>)\s*(-?\d+(?:\.\d+)?)\s*%?", t)
        total = _first_score(t) or points or weight
        if total is None:
            return None, f"“{_quote(item)}”：没有读出分值"
        part = {"rule": "change", "current": change_pair[0], "previous": change_pair[1], "points": total,
                "threshold": Fraction(edge.group(2)) if edge else Fraction(0),
                "per_point": Fraction(per_point.group(2)), "direction": direction}
        return _labelled(part, label), None
    if per_point and (pair or metric):
        direction = "below" if per_point.group(1) in _BELOW else "above"
        edge = re.search(r"(≤|<|≥|>)\s*" + _PCT, t)
        total = _first_score(t) or points or weight
        if edge and total is not None:
            part = {"rule": "threshold_deduction", "title": term, "points": total,
                    "threshold": Fraction(edge.group(2)), "per_point": Fraction(per_point.group(2)),
                    "direction": direction, **_rate_params(pair, metric, empty)}
            return _labelled(part, label), None

    times = _FORMULA_TIMES.search(t)
    if times and (pair or metric) and "=" in t and not (metric is None and "序时进度" in t):
        if metric:  # 得分=满意度×N分: the rate itself is the completion
            part = {"rule": "completion", "points": Fraction(times.group(1)), "actual": metric, "target_value": Fraction(1)}
            return _labelled(part, label), None
        part = {"rule": "ratio", "points": Fraction(times.group(1)), **_rate_params(pair, metric, empty),
                **_all_done(pair, t)}
        banded = [c for c in _clauses(item) if not _ZERO_IF_OVER.search(normal(c))]  # “超过100%的，得0分” is zero_if_over
        if bands_from(banded):  # “×N分” and bands of the same rate: which one the bureau means is not ours to guess
            return None, (f"“{_quote(item)}”：可读作按比例计分（{term}×{_show(part['points'])}分），"
                          "也可读作按区间分档计分；请选定一种")
        if _ZERO_IF_OVER.search(t):
            part["zero_if_over"] = True
        return _labelled(part, label), None

    if pair or metric:
        bands = bands_from(_clauses(item))
        if bands:
            part = {"rule": "bands", **_rate_params(pair, metric, empty), "bands": bands}
            return _labelled(part, label), None

    per_item = _PER_ITEM.search(t)
    total = points or _first_score(t) or weight
    if per_item and total:
        part = {"rule": "deduct_per_item", "points": total, "per": Fraction(per_item.group(1))}
        if count := _counted(t):
            part["count"] = count
        return _labelled(part, label), None

    stated = [Fraction(x) for x in _POINTS.findall(t)]
    if len(stated) > 1 and not _SCORE.search(t):  # “人才队伍建设（4分）、制度建设（4分）…”: one part each
        return {"rule": "judgements", "points": stated}, None
    if points is not None:
        return _labelled({"rule": "judgement", "points": points}, label), None
    if _PER_POINT.search(t) or _interval(t) is not None:
        return None, f"“{_quote(item)}”：读出了计分方法，但其中的比率不是事实文件中的事实或 reportkit 计算的指标"
    return None, f"“{_quote(item)}”：没有读出分值或计算方法"


def _counted(text: str) -> str | None:
    """The counted fact of a per-item deduction, when the text counts one reportkit knows."""
    for pattern, count in COUNT_TERMS:
        if pattern.search(text):
            return count
    return None


def _first_score(text: str) -> Fraction | None:
    match = _SCORE.search(text)
    return Fraction(match.group(1)) if match else None


def item_label(item: str) -> str:
    """“资金调整、调剂规范性（1分）。…” → 资金调整、调剂规范性; "" when the item has no heading."""
    first = item.splitlines()[0]
    match = re.match(r"^([^（(，。；:：]{2,20})[（(]\s*\d+(?:\.\d+)?\s*分\s*[）)]\s*[。，,：:]", first)
    return match.group(1).strip() if match else ""


def _labelled(part: dict, label: str) -> dict:
    if label and part.get("rule") != "judgement":
        return {"rule": part["rule"], "label": label, **{k: v for k, v in part.items() if k != "rule"}}
    if label:
        return {"rule": "judgement", "label": label, **{k: v for k, v in part.items() if k != "rule"}}
    return part


# --- whole indicators -----------------------------------------------------------------


def _quarterly(items: list[str]) -> dict | None:
    quarters = [i for i in items if re.search(r"[一二三四1-4]\s*季度", i) and "序时进度" in i]
    average = [i for i in items if "全年平均" in i and _FORMULA_TIMES.search(normal(i))]
    if len(quarters) != 4 or not average:
        return None
    per = {Fraction(_FORMULA_TIMES.search(normal(q)).group(1)) for q in quarters if _FORMULA_TIMES.search(normal(q))}
    if len(per) != 1:
        return None
    return {"rule": "quarterly_execution", "per_quarter": per.pop(),
            "average": Fraction(_FORMULA_TIMES.search(normal(average[0])).group(1))}


def _disclosure(item: str, name: str = "") -> dict | None:
    """“部门预算公开（1.5分），按以下标准分档计分：（1）…得1.5分（2）…得1分（3）没有…得0分”."""
    t = normal(item)
    budget, final = (re.compile(rf"{w}公开|公开(?:部门)?{w}") for w in ("预算", "决算"))
    if budget.search(t) and not final.search(t):
        fact = "disclosure.budget"
    elif final.search(t) and not budget.search(t):
        fact = "disclosure.final_accounts"
    elif not budget.search(t) and not final.search(t) and "公开" in t:
        fact = "disclosure.budget" if budget.search(name) else "disclosure.final_accounts" if final.search(name) else None
    else:
        fact = None
    if fact is None:
        return None
    scores = [Fraction(s) for s in re.findall(r"得\s*" + _NUMBER + r"\s*分", t)]
    stated = _stated_points(item)
    if stated is not None and len(scores) == 2 and stated > scores[0]:  # “公开部门预算（1分），有缺陷的得0.5分…”
        scores.insert(0, stated)
    if len(scores) != 3 or scores != sorted(scores, reverse=True):
        return None
    part = {"rule": "tiered", "fact": fact, "full_if": "disclosure.classified",
            "scores": {"按规定公开": scores[0], "公开但有缺陷": scores[1], "未公开": scores[2]}}
    label = "部门预算公开" if fact == "disclosure.budget" else "部门决算公开"
    return {"rule": "tiered", "label": label, **{k: v for k, v in part.items() if k != "rule"}}


def recognize(name: str, weight: Fraction, standard: str) -> Recognized:
    """The parts of one indicator from its scoring text; their points add up to `weight` or a TODO says why not."""
    preamble, numbered = split_items(standard)
    items = (["\n".join(preamble)] if preamble else []) + numbered
    quarterly = _quarterly(items)
    if quarterly:
        return _checked(name, weight, Recognized([quarterly]), standard)
    result = Recognized([])
    if _VIOLATIONS.search(normal(standard)):
        result.zero_if = "compliance.violations"
    candidates = numbered or items
    # One formula or deduction governing the whole indicator (“本指标得分=…×6分”, “一项扣1分，扣完为止”)
    whole = _whole_indicator(name, weight, standard, candidates)
    if whole is not None:
        result.parts = [whole]
        return _checked(name, weight, result, standard)
    for item in _band_groups(name, candidates, result):
        t = normal(item)
        if result.zero_if and _VIOLATIONS.search(t) and not _stated_points(item):
            continue  # the zero rule, not a part
        if "涉密" in t and ("直接得分" in t or "得满分" in t) and not re.search(r"得\s*\d", t):
            continue  # the full_if of the disclosure parts
        disclosure = _disclosure(item, name if len(candidates) == 1 else "")
        if disclosure:
            result.parts.append(disclosure)
            continue
        part, why = _item_part(item, name, weight if len(candidates) == 1 else None)
        if part is not None and part["rule"] == "judgements":
            result.parts += [{"rule": "judgement", "points": x} for x in part["points"]]
        elif part is not None:
            result.parts.append(part)
        elif why and (_stated_points(item) or _SCORE.search(t)):
            result.todos.append(why)
    if not result.parts and not numbered:  # one plain criterion for the whole weight
        part, why = _item_part(standard, name, weight)
        if part is not None and part.get("rule") != "judgement":
            result.parts = [part]
    return _checked(name, weight, result, standard)


def _band_clause(item: str) -> str | None:
    """The rate term (or "" when unnamed) of an item that is one band (“≥90%的，得1分”), else None."""
    t = normal(item)
    if _stated_points(item) is not None or "\n" in item.strip():
        return None
    head = t.split("得")[0] if "得" in t else t
    if _interval(head) is None or not (_SCORE.search(t)):
        return None
    return rate_term(item)[0]


def _band_groups(name: str, items: list[str], result: Recognized) -> list[str]:
    """Consecutive items that are each one band of the same rate become one bands part (in place).

    Returns the items left for reading one by one, with a group's place kept in order.
    """
    left: list[str] = []
    i = 0
    while i < len(items):
        term = _band_clause(items[i])
        if term is None:
            left.append(items[i])
            i += 1
            continue
        j = i + 1
        while j < len(items) and _band_clause(items[j]) in (term, ""):
            j += 1
        group = items[i:j]
        _, pair, metric, empty = rate_term(*group, name)
        bands = bands_from(group) if (pair or metric) and len(group) > 1 else None
        if bands:
            result.parts.append({"rule": "bands", **_rate_params(pair, metric, empty), "bands": bands})
        else:
            left.extend(group)
        i = j
    return left


def _whole_indicator(name: str, weight: Fraction, standard: str, items: list[str]) -> dict | None:
    t = normal(standard)
    governing = re.search(r"本指标得分\s*=", t) or re.search(r"本项得分\s*=", t)
    term, pair, metric, empty = rate_term(standard, name)
    if governing and pair:
        times = _FORMULA_TIMES.search(t[governing.start():])
        if times and Fraction(times.group(1)) == weight:
            part = {"rule": "ratio", "points": weight, **_rate_params(pair, metric, empty), **_all_done(pair, t)}
            if _ZERO_IF_OVER.search(t):
                part["zero_if_over"] = True
            return part
    per_item = _PER_ITEM.search(t)
    stated = [p for p in (_stated_points(i) for i in items) if p is not None]
    scored = [Fraction(x) for x in _SCORE.findall(t)]
    computes = _FORMULA_TIMES.search(t) or _PER_POINT.search(t) or any(_band_clause(i) is not None for i in items)
    if (per_item and "扣完为止" in t and (not stated or stated == [weight]) and not computes
            and all(x == weight for x in scored)):
        part = {"rule": "deduct_per_item", "points": weight, "per": Fraction(per_item.group(1))}
        if count := _counted(t):
            part["count"] = count
        return part
    return None


def _points_of(part: dict) -> Fraction:
    if part["rule"] == "bands":
        return max(part["bands"].values())
    if part["rule"] == "tiered":
        return max(part["scores"].values())
    if part["rule"] == "quarterly_execution":
        return part["per_quarter"] * 4 + part["average"]
    return part["points"]


def _checked(name: str, weight: Fraction, result: Recognized, standard: str) -> Recognized:
    """Parts that add up to the weight stand; otherwise one judgement for the weight and a TODO."""
    total = sum((_points_of(p) for p in result.parts), Fraction(0))
    if result.parts and total == weight:
        return result
    if result.parts:
        why = f"读出的评分项合计 {_show(total)} 分，与指标分值 {_show(weight)} 分不符"
    elif re.search(r"酌情|视情|综合评|评价组|评价小组|专家", standard) and not result.todos:
        result.parts = [{"rule": "judgement", "points": weight}]  # assessed as a whole, as the text says
        return result
    else:
        why = "评分标准中没有读出可计算的规则"
    result.todos.insert(0, f"{why}：暂按一项人工评判（judgement）记 {_show(weight)} 分，请对照评分标准改写")
    result.parts = [{"rule": "judgement", "points": weight}]
    return result


def _show(x: Fraction) -> str:
    return str(x.numerator) if x.denominator == 1 else str(float(x))
