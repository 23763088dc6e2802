"""The layout of a standard file: the criteria columns, the 标准信息 sheet, the notes of the
template, the reasons an import gives, and what an import returns."""

import re
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from ...models import NATIONAL_AREAS, ScoringMode, Standard

MAX_CRITERIA = 500
HALF = Decimal("0.5")
KEY_RE = re.compile(r"[-a-zA-Z0-9_]+")
INFO_SHEET = "标准信息"
NOTES_SHEET = "填写说明"
CRITERIA_SHEET = "创建标准"
YES, NO = "是", "否"
MODE_LABELS = {ScoringMode.MET: "达标制", ScoringMode.POINTS: "评分制"}
MODE_WORDS = {
    "达标制": ScoringMode.MET, "达标": ScoringMode.MET, "met": ScoringMode.MET,
    "评分制": ScoringMode.POINTS, "评分": ScoringMode.POINTS, "points": ScoringMode.POINTS,
}  # fmt: skip
OPERATOR_WORDS = {">=": ">=", "≥": ">=", ">": ">", "＞": ">", "<=": "<=", "≤": "<=", "<": "<",
                  "＜": "<"}  # fmt: skip


@dataclass(frozen=True)
class Column:
    field: str
    label: str
    label_en: str
    aliases: tuple[str, ...] = ()


COLUMNS = [
    Column("area_number", "内容编号", "Area number", ("考核内容编号", "创建内容编号")),
    Column("area_name", "考核内容", "Area", ("创建内容", "area name")),
    Column("national_area", "国家考核内容", "National area", ("国家创建内容",)),
    Column("number", "序号", "Number", ("criterion number", "条目序号")),
    Column("text", "创建标准", "Criterion", ("text", "标准内容")),
    Column("points", "标准分", "Points", ("分值",)),
    Column("sub_conditions", "评分细则", "Sub-conditions", ("评分标准", "子条件")),
    Column("evidence", "佐证材料", "Evidence"),
    Column("departments", "责任部门", "Departments"),
    Column("indicator", "指标", "Indicator", ("指标代码",)),
    Column("operator", "比较", "Operator", ("比较符",)),
    Column("threshold", "阈值", "Threshold", ("门槛",)),
    Column("veto", "否决项", "Veto", ("一票否决",)),
]
ALIASES = {c.field: (c.label, c.label_en, *c.aliases) for c in COLUMNS}
LABEL = {c.field: c.label for c in COLUMNS}
AREA_COLUMNS = ("area_number", "area_name", "national_area")
REQUIRED_COLUMNS = ("area_number", "area_name", "national_area", "number", "text")

# field, label, English label, note for whoever fills the sheet in
INFO_FIELDS = [
    ("key", "标识", "Key", "英文字母、数字和连字符，如 huantai-2021；同一标准的各版本共用一个标识"),
    ("name", "名称", "Name", "标准的全称"),
    ("issuing_region", "发布区划代码", "Issuing region code",
     "发布标准的区划的 12 位统计用区划代码；全国标准留空"),
    ("version", "版本", "Version",
     "导入总是新建草稿：标识已存在时版本为现有最高版本 + 1，否则沿用此处的版本（留空为 1）"),
    ("scoring_mode", "评分方式", "Scoring mode",
     "达标制（逐条判定达到 / 未达到，不填标准分）或 评分制（逐条给分，须填标准分）"),
    ("pass_all_met", "通过条件：全部达标", "Pass: every criterion met", "是 / 否"),
    ("pass_min_met", "通过条件：至少达标条数", "Pass: at least N criteria met",
     "整数，不超过条目数；留空为不设"),
    ("pass_min_total", "通过条件：总分不低于", "Pass: total at least",
     "仅评分制，不超过标准总分；留空为不设"),
    ("pass_no_veto_failed", "通过条件：否决项全部达标", "Pass: no veto criterion failed",
     "是 / 否"),
    ("description", "说明", "Description", "适用范围、假设和对原文的更正等"),
    ("source", "依据文件", "Source document", "印发标准的文件名称和文号"),
]  # fmt: skip
INFO_LABEL = {f: label for f, label, _en, _note in INFO_FIELDS}
INFO_ALIASES = {f: (label, en) for f, label, en, _note in INFO_FIELDS}
RULE_FIELDS = {
    "all_met": "pass_all_met", "min_met": "pass_min_met", "min_total": "pass_min_total",
    "no_veto_failed": "pass_no_veto_failed",
}  # fmt: skip

NOTES = [
    ["整个文件一次导入：任一处有错误时不导入任何内容，并逐行列出错误。"],
    ["The file is imported as a whole: if anything is wrong, nothing is imported."],
    ["“创建标准”表每行一条创建标准；“标准信息”表填写标准的标识、名称、发布区划、评分方式和通过条件。"],
    ["导入的标准是草稿（新版本），发布后才可用于自评和申报。"],
    ["内容编号相同的行属于同一项考核内容，其考核内容名称和国家考核内容须一致；"
     "这三列留空（或合并单元格）时沿用上一行。"],
    ["国家考核内容填 1-5：" + "；".join(f"{n} {name}" for n, name in NATIONAL_AREAS.items())],
    ["序号从 1 起连续编号，全标准统一编号（不按考核内容分别编号）。"],
    ["标准分：评分制必填，0.5 至 100，以 0.5 为单位；达标制不填。"],
    ["评分细则：每行一条子条件（单元格内换行：Alt+Enter）。"],
    ["指标 / 比较 / 阈值：按社区年度指标自动判定，三项同时填写或同时留空；比较为 >=、>、<=、<。"],
    ["否决项：是 / 否（留空为否）。"],
    ["以 = + - @ 开头的文字请在前面加英文单引号 '。"],
    ["Columns: area number, area, national area (1-5), number (1, 2, 3 ...), criterion, points "
     "(points mode, 0.5-100 in steps of 0.5), sub-conditions (one per line), evidence, "
     "departments, indicator code, operator (>=, >, <=, <), threshold, veto (是/否). "
     "Quote text starting with = + - @ with '."],
]  # fmt: skip
EXAMPLE_ROW = [
    1, "建立健全社区人居环境建设和整治机制", 1, 1, "物业管理覆盖面不低于30%", 5,
    "成立业主委员会或物业管理委员会\n物业服务企业履约良好", "物业服务合同、覆盖情况统计表",
    "县住房和城乡建设局、街道办事处", "property_management_coverage", ">=", 30, NO,
]  # fmt: skip
EXAMPLE_INFO = {"version": 1, "scoring_mode": MODE_LABELS[ScoringMode.POINTS],
                "pass_all_met": NO, "pass_no_veto_failed": NO}  # fmt: skip

REASONS = {
    "formula": (
        "以 = + - @ 开头的内容会被当作公式执行；如确需如此，请在前面加英文单引号 '",
        "text starting with = + - @ would run as a formula; quote it with '",
    ),
    "required": ("不能为空", "required"),
    "text": ("应为文字", "must be text"),
    "whole": ("应为正整数", "must be a whole number of 1 or more"),
    "number": ("应为数字", "must be a number"),
    "yes_no": ("应填“是”或“否”", 'must be "是" (yes) or "否" (no)'),
    "national_area": ("国家考核内容应为 1 至 5", "the national area must be 1 to 5"),
    "points": (
        "标准分应为 0.5 至 100 之间、以 0.5 为单位的数字",
        "points must be 0.5 to 100 in steps of 0.5",
    ),
    "points_required": ("评分制标准的每条都须填写标准分", "points mode needs points on every row"),
    "points_in_met": ("达标制标准不填标准分", "a met / not met standard has no points"),
    "operator": ("比较应为 >=、>、<= 或 <", "the operator must be >=, >, <= or <"),
    "operator_required": ("填写了指标，须同时填写比较", "an indicator needs an operator"),
    "threshold_required": ("填写了指标，须同时填写阈值", "an indicator needs a threshold"),
    "threshold": ("阈值应为数字，最多两位小数", "the threshold: a number, 2 decimals at most"),
    "rule_without_indicator": (
        "填写了比较或阈值，却没有填写指标",
        "an operator or threshold needs an indicator",
    ),
    "indicator": ("没有这个指标代码（见平台的指标目录）", "no indicator with this code"),
    "mode": ("评分方式应为“达标制”或“评分制”", 'the scoring mode must be "达标制" or "评分制"'),
    "key": (
        "标识只能包含英文字母、数字、连字符和下划线，不超过 60 个字符",
        "the key has letters, digits, - and _ only, 60 at most",
    ),
    "min_total_in_met": ("达标制标准不能设总分线，请用“至少达标条数”",
                         "a met / not met standard has no total: use at least N met"),
    "not_allowed": (
        "您无权以该区划名义导入标准（须为该区划或其上级的平台管理员或住建部门）",
        "you are not an administrator or housing department of this region",
    ),
    "national_not_allowed": (
        "只有平台超级管理员可以导入全国标准（发布区划代码留空）",
        "only a platform superuser may import a national standard (no issuing code)",
    ),
    "no_criteria": ("没有任何创建标准", "there are no criteria"),
}  # fmt: skip

Where = Callable[[str], tuple[int, str]]


@dataclass
class Entry:
    """One criterion as read from the file: raw values, and where each one sits."""

    cells: dict[str, Any]
    where: Where


@dataclass(frozen=True)
class StandardImport:
    """The outcome of an import: the new draft (None on a dry run) and what it holds."""

    standard: Standard | None
    key: str
    version: int
    name: str
    areas: int
    criteria: int
    total_points: Decimal | None
    dry_run: bool


def _num(value: Decimal | None) -> int | float | None:
    if value is None:
        return None
    return int(value) if value == value.to_integral_value() else float(value)


def _mode_word(value: Any) -> str | None:
    return MODE_WORDS.get(value.strip().casefold()) if isinstance(value, str) else None
