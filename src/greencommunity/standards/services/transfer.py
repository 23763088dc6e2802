"""Export a standard as JSON (the built-in data format, so it loads back through
`standards.loader`) or as xlsx (one row per criterion plus a sheet 标准信息), and import either.

Imports are all or nothing: the whole file is checked first, every problem becomes one
{row, column, value, reason, reason_en} of a RowError, and nothing is written. A good file
becomes a new draft: the next version of its key when the key exists (max + 1), otherwise the
file's version (default 1). A key has one draft at a time (as `versions.standard_new_version`
keeps it): while a draft exists, its key takes no import. Who may import is who may edit a
standard of the issuing region (`policies.can_edit_standard`): its admin or housing department,
or one of a region above it; a national standard (no issuing code) only a platform superuser.

In a spreadsheet, blank area cells (内容编号, 考核内容, 国家考核内容) repeat the row above, so a
table whose area cells are merged, as the seeds print them, reads as intended.

Spreadsheet files are checked for text that would run as a formula (= + - @ unquoted); JSON
is not a spreadsheet, and an xlsx export quotes such text again, so JSON skips that check.
"""

import io
import re
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from types import SimpleNamespace
from typing import Any

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from openpyxl import load_workbook

from greencommunity.audit.services import audit_record
from greencommunity.core.errors import RowError
from greencommunity.documents.xlsx import (
    QuotedText,
    is_formula_like,
    normalise_header,
    read_table,
    row_error,
    unquote_import,
    write_xlsx,
)
from greencommunity.regions.codes import CodeError, normalise_code
from greencommunity.regions.models import Indicator
from greencommunity.regions.services.fields import FieldError

from ..loader import standard_load
from ..models import (
    NATIONAL_AREAS,
    Area,
    Criterion,
    ScoringMode,
    Standard,
    StandardStatus,
    SubCondition,
)
from ..policies import can_edit_standard

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


# ---------------------------------------------------------------------------------- export


def _num(value: Decimal | None) -> int | float | None:
    if value is None:
        return None
    return int(value) if value == value.to_integral_value() else float(value)


def _criteria(standard: Standard) -> list[Criterion]:
    return list(
        Criterion.objects.filter(standard=standard)
        .select_related("area", "indicator")
        .prefetch_related("sub_conditions")
        .order_by("number")
    )


def _pass_rule(standard: Standard) -> dict[str, Any] | None:
    rule: dict[str, Any] = {}
    if standard.pass_all_met:
        rule["all_met"] = True
    if standard.pass_min_met is not None:
        rule["min_met"] = standard.pass_min_met
    if standard.pass_min_total is not None:
        rule["min_total"] = _num(standard.pass_min_total)
    if standard.pass_no_veto_failed:
        rule["no_veto_failed"] = True
    return rule or None


def standard_export_json(standard: Standard) -> dict[str, Any]:
    """The standard in the built-in data format (`standards/builtin/`), loadable as is."""
    criteria = _criteria(standard)
    areas = []
    for area in Area.objects.filter(standard=standard).order_by("number"):
        areas.append(
            {
                "number": area.number,
                "name": area.name,
                "national_area": area.national_area,
                "points": _num(area.points),
                "criteria": [
                    {
                        "number": c.number,
                        "text": c.text,
                        "points": _num(c.points),
                        "sub_conditions": [s.text for s in c.sub_conditions.all()],
                        "evidence": c.evidence,
                        "departments": c.departments,
                        "numeric_rule": {
                            "indicator": c.indicator.code,
                            "operator": c.operator,
                            "threshold": _num(c.threshold),
                        }
                        if c.indicator is not None
                        else None,
                        "veto": c.veto,
                    }
                    for c in criteria
                    if c.area_id == area.pk
                ],
            }
        )
    return {
        "key": standard.key,
        "name": standard.name,
        "issuing_region": standard.issuing_code,
        "version": standard.version,
        "source": standard.source,
        "scoring_mode": standard.scoring_mode,
        "pass_rule": _pass_rule(standard),
        "description": standard.description,
        "areas": areas,
    }


def _info_rows(values: dict[str, Any]) -> list[list[Any]]:
    return [[label, values.get(f, ""), note] for f, label, _en, note in INFO_FIELDS]


def standard_export_xlsx(standard: Standard) -> bytes:
    """One row per criterion (sheet 创建标准), the standard itself on the sheet 标准信息."""
    rows = [
        [
            c.area.number, c.area.name, c.area.national_area, c.number, c.text,
            _num(c.points), "\n".join(s.text for s in c.sub_conditions.all()), c.evidence,
            c.departments, c.indicator.code if c.indicator else "", c.operator,
            _num(c.threshold), YES if c.veto else NO,
        ]
        for c in _criteria(standard)
    ]  # fmt: skip
    info = {
        "key": standard.key,
        "name": standard.name,
        "issuing_region": standard.issuing_code,
        "version": standard.version,
        "scoring_mode": MODE_LABELS.get(ScoringMode(standard.scoring_mode), ""),
        "pass_all_met": YES if standard.pass_all_met else NO,
        "pass_min_met": standard.pass_min_met,
        "pass_min_total": _num(standard.pass_min_total),
        "pass_no_veto_failed": YES if standard.pass_no_veto_failed else NO,
        "description": standard.description,
        "source": standard.source,
    }
    return _workbook(rows, info)


def standard_template_xlsx() -> bytes:
    """The import template: the headers, one example row, the 标准信息 sheet and notes."""
    return _workbook([EXAMPLE_ROW], EXAMPLE_INFO)


def _workbook(rows: list[list[Any]], info: dict[str, Any]) -> bytes:
    return write_xlsx(
        [c.label for c in COLUMNS],
        rows,
        title=CRITERIA_SHEET,
        more_sheets=[
            (INFO_SHEET, ["项目", "内容", "填写说明"], _info_rows(info)),
            (NOTES_SHEET, ["说明 / Notes"], [*NOTES, *_indicator_notes()]),
        ],
    )


def _indicator_notes() -> list[list[str]]:
    return [["可用的指标代码 / indicator codes:"]] + [
        [f"{i.code}  {i.name}" + (f"（{i.unit}）" if i.unit else "")]
        for i in Indicator.objects.all()
    ]


# ---------------------------------------------------------------------------------- import


def standard_import_xlsx(
    *,
    actor: Any,
    data: bytes,
    key: str | None = None,
    name: str | None = None,
    issuing_code: str | None = None,
    version: int | None = None,
    dry_run: bool = False,
) -> StandardImport:
    """Import a workbook laid out as `standard_export_xlsx` writes it. `key`, `name`,
    `issuing_code` and `version` replace the values of the 标准信息 sheet when given."""
    if data[:4] != b"PK\x03\x04":
        raise RowError(
            _("The file is not a readable xlsx workbook."),
            [row_error(0, "", "", "文件不是可读取的 xlsx 工作簿", "not a readable xlsx workbook")],
        )
    rows = read_table(data, aliases=ALIASES, name="standard.xlsx", max_rows=MAX_CRITERIA)
    checker = _Checker(spreadsheet=True)
    info, info_where = _read_info_sheet(data, checker)
    above: dict[str, str] = {}
    for _row, cells in rows:  # blank (merged) area cells repeat the row above
        for field in AREA_COLUMNS:
            if field in cells and not cells[field] and field in above:
                cells[field] = above[field]
            above[field] = cells.get(field, "")
    entries = [Entry(cells, _sheet_where(row)) for row, cells in rows]
    if rows:
        present = set(rows[0][1])
        for field in REQUIRED_COLUMNS:
            if field not in present:
                checker.error((1, LABEL[field]), "", "缺少这一列", "this column is missing")
        if "points" not in present and _mode_word(info.get("scoring_mode")) == "points":
            checker.error((1, LABEL["points"]), "", *REASONS["points_required"])
    return _import(
        checker, actor=actor, info=info, info_where=info_where, entries=entries,
        overrides={"key": key, "name": name, "issuing_region": issuing_code, "version": version},
        dry_run=dry_run, fmt="xlsx",
    )  # fmt: skip


def standard_import_json(
    *,
    actor: Any,
    payload: Any,
    key: str | None = None,
    name: str | None = None,
    issuing_code: str | None = None,
    version: int | None = None,
    dry_run: bool = False,
) -> StandardImport:
    """Import a standard in the built-in data format (as `standard_export_json` gives it).
    Errors name row 0 and the JSON path of the value, e.g. `areas[0].criteria[2].points`."""
    checker = _Checker(spreadsheet=False)
    if not isinstance(payload, dict):
        checker.error((0, "$"), "", "应为一个 JSON 对象", "must be a JSON object")
        raise checker.failure()
    info = {f: payload.get(f) for f in INFO_LABEL if f in payload}
    rule = payload.get("pass_rule")
    if isinstance(rule, dict):
        info.update({RULE_FIELDS[k]: v for k, v in rule.items() if k in RULE_FIELDS})
    elif rule is not None:
        checker.error((0, "pass_rule"), rule, "应为对象或 null", "must be an object or null")
    rule_path = {v: f"pass_rule.{k}" for k, v in RULE_FIELDS.items()}

    def info_where(field: str) -> tuple[int, str]:
        return 0, rule_path.get(field, field)

    entries: list[Entry] = []
    areas = payload.get("areas")
    if not isinstance(areas, list):
        checker.error((0, "areas"), "", "应为考核内容的列表", "must be a list of areas")
        areas = []
    for i, area in enumerate(areas):
        if not isinstance(area, dict):
            checker.error((0, f"areas[{i}]"), "", "应为对象", "must be an object")
            continue
        criteria = area.get("criteria")
        if not isinstance(criteria, list) or not criteria:
            checker.error(
                (0, f"areas[{i}].criteria"), "", "应为非空的创建标准列表",
                "must be a non-empty list of criteria",
            )  # fmt: skip
            continue
        for j, c in enumerate(criteria):
            if not isinstance(c, dict):
                checker.error((0, f"areas[{i}].criteria[{j}]"), "", "应为对象", "must be an object")
                continue
            entries.append(_json_entry(i, j, area, c, checker))
    return _import(
        checker, actor=actor, info=info, info_where=info_where, entries=entries,
        overrides={"key": key, "name": name, "issuing_region": issuing_code, "version": version},
        dry_run=dry_run, fmt="json",
    )  # fmt: skip


def _sheet_where(row: int) -> Where:
    def where(field: str) -> tuple[int, str]:
        return row, LABEL[field]

    return where


def _json_entry(i: int, j: int, area: dict[str, Any], c: dict[str, Any], checker: Any) -> Entry:
    area_keys = {"area_number": "number", "area_name": "name", "national_area": "national_area",
                 "area_points": "points"}  # fmt: skip
    cells: dict[str, Any] = {f: area.get(k) for f, k in area_keys.items()}
    cells.update({f: c.get(f) for f in LABEL if f not in area_keys and f in c})
    rule = c.get("numeric_rule")
    rule_keys = ("indicator", "operator", "threshold")
    if isinstance(rule, dict):
        cells.update({k: rule.get(k) for k in rule_keys})
    elif rule is not None:
        checker.error(
            (0, f"areas[{i}].criteria[{j}].numeric_rule"), rule, "应为对象或 null",
            "must be an object or null",
        )  # fmt: skip

    def where(field: str) -> tuple[int, str]:
        if field in area_keys:
            return 0, f"areas[{i}].{area_keys[field]}"
        if field in rule_keys:
            return 0, f"areas[{i}].criteria[{j}].numeric_rule.{field}"
        return 0, f"areas[{i}].criteria[{j}].{field}"

    return Entry(cells, where)


def _read_info_sheet(data: bytes, checker: "_Checker") -> tuple[dict[str, Any], Where]:
    """The values of the sheet 标准信息 ({field: text}) and where each one sits."""
    table = {normalise_header(n): f for f, names in INFO_ALIASES.items() for n in (f, *names)}
    wanted = {normalise_header(INFO_SHEET), normalise_header("Standard info")}
    info: dict[str, Any] = {}
    rows: dict[str, int] = {}
    wb = load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    try:
        sheet = next((ws for ws in wb.worksheets if normalise_header(ws.title) in wanted), None)
        if sheet is None:
            checker.error(
                (0, INFO_SHEET), "", f"缺少“{INFO_SHEET}”工作表",
                f"the sheet {INFO_SHEET} (standard info) is missing",
            )  # fmt: skip
        else:
            for number, cells in enumerate(sheet.iter_rows(max_col=2), start=1):
                if number == 1 or len(cells) < 2:
                    continue
                field = table.get(normalise_header(_sheet_text(cells[0])))
                if field and field not in info:
                    info[field], rows[field] = _sheet_text(cells[1]), number
    finally:
        wb.close()

    def where(field: str) -> tuple[int, str]:
        if sheet is None:  # one error says the sheet is missing, not one per item
            return 0, INFO_SHEET
        return rows.get(field, 0), f"{INFO_SHEET}:{INFO_LABEL[field]}"

    return info, where


def _sheet_text(cell: Any) -> str:
    """A cell as the importers read it: whole numbers without `.0`, a protecting quote
    (typed `'=…`, or written by the export as a leading ') marks the text as data."""
    value = cell.value
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    text = str(value).strip()
    if text and getattr(getattr(cell, "style_array", None), "quotePrefix", False):
        return QuotedText(text)  # typed as '=… in the spreadsheet
    return unquote_import(text)


def _mode_word(value: Any) -> str | None:
    return MODE_WORDS.get(value.strip().casefold()) if isinstance(value, str) else None


class _Checker:
    """Parses and checks every value, collecting errors rather than stopping at the first."""

    def __init__(self, *, spreadsheet: bool) -> None:
        self.spreadsheet = spreadsheet
        self.errors: list[dict[str, Any]] = []
        self._seen: set[tuple[Any, ...]] = set()
        codes = dict(Indicator.objects.values_list("code", "name"))
        self.indicators = {**{name: code for code, name in codes.items()}, **{c: c for c in codes}}

    def error(self, at: tuple[int, str], value: Any, reason: str, reason_en: str) -> None:
        key = (at, reason)
        if key not in self._seen:  # an area's value is shared by its criteria: report it once
            self._seen.add(key)
            self.errors.append(row_error(at[0], at[1], value, reason, reason_en))

    def failure(self) -> RowError:
        return RowError(
            ngettext(
                "The standard was not imported: %(count)d problem to fix.",
                "The standard was not imported: %(count)d problems to fix.",
                len(self.errors),
            )
            % {"count": len(self.errors)},
            sorted(self.errors, key=lambda e: (e["row"], e["column"])),
        )

    # Each parser returns the value, or raises FieldError; `field` checks report the error.
    def field(self, where: Where, name: str, raw: Any, parse: Callable[[Any], Any]) -> Any:
        try:
            if self.spreadsheet and is_formula_like(raw):
                raise FieldError(*REASONS["formula"])
            return parse(raw)
        except FieldError as exc:
            self.error(where(name), raw, exc.reason, exc.reason_en)
            raise

    def get(self, where: Where, name: str, raw: Any, parse: Callable[[Any], Any]) -> Any:
        """The parsed value, or None after reporting an error."""
        try:
            return self.field(where, name, raw, parse)
        except FieldError:
            return None


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _text(*, required: bool = False, max_length: int | None = None) -> Callable[[Any], str]:
    def parse(value: Any) -> str:
        if value is None:
            value = ""
        if not isinstance(value, str):
            raise FieldError(*REASONS["text"])
        text = value.strip()
        if required and not text:
            raise FieldError(*REASONS["required"])
        if max_length is not None and len(text) > max_length:
            raise FieldError(f"不能超过 {max_length} 个字", f"{max_length} characters at most")
        return text

    return parse


def _decimal(value: Any) -> Decimal | None:
    if _blank(value):
        return None
    if isinstance(value, bool) or not isinstance(value, str | int | float | Decimal):
        raise FieldError(*REASONS["number"])
    try:
        number = Decimal(str(value).strip())
    except InvalidOperation as exc:
        raise FieldError(*REASONS["number"]) from exc
    if not number.is_finite():
        raise FieldError(*REASONS["number"])
    return number


def _whole(*, required: bool = True, maximum: int = 32767) -> Callable[[Any], int | None]:
    def parse(value: Any) -> int | None:
        number = _decimal(value)
        if number is None:
            if required:
                raise FieldError(*REASONS["required"])
            return None
        if number != number.to_integral_value() or not 1 <= number <= maximum:
            raise FieldError(*REASONS["whole"])
        return int(number)

    return parse


def _national_area(value: Any) -> int:
    number = _whole()(value)
    if number not in NATIONAL_AREAS:
        raise FieldError(*REASONS["national_area"])
    return number


def _yes_no(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    if _blank(value):
        return False
    if isinstance(value, str) and value.strip() in (YES, NO):
        return value.strip() == YES
    raise FieldError(*REASONS["yes_no"])


def _points(value: Any) -> Decimal:
    number = _decimal(value)
    if number is None:
        raise FieldError(*REASONS["points_required"])
    if not HALF <= number <= 100 or (number / HALF) != (number / HALF).to_integral_value():
        raise FieldError(*REASONS["points"])
    return number


def _sub_conditions(value: Any) -> list[str]:
    if _blank(value):
        return []
    if isinstance(value, str):
        return [line.strip() for line in value.splitlines() if line.strip()]
    if isinstance(value, list) and all(isinstance(s, str) and s.strip() for s in value):
        return [s.strip() for s in value]
    raise FieldError("应为非空文字的列表", "must be a list of non-empty texts")


def _operator(value: Any) -> str:
    if _blank(value):
        raise FieldError(*REASONS["operator_required"])
    word = OPERATOR_WORDS.get(value.strip()) if isinstance(value, str) else None
    if word is None:
        raise FieldError(*REASONS["operator"])
    return word


def _threshold(value: Any) -> Decimal:
    number = _decimal(value)
    if number is None:
        raise FieldError(*REASONS["threshold_required"])
    if number != number.quantize(Decimal("0.01")) or abs(number) >= 10**10:
        raise FieldError(*REASONS["threshold"])
    return number


def _mode(value: Any) -> str:
    if _blank(value):
        raise FieldError(*REASONS["required"])
    mode = _mode_word(value)
    if mode is None:
        raise FieldError(*REASONS["mode"])
    return mode


def _key(value: Any) -> str:
    key = _text(required=True)(value)
    if len(key) > 60 or not KEY_RE.fullmatch(key):
        raise FieldError(*REASONS["key"])
    return key


def _code(value: Any) -> str:
    if isinstance(value, int) and not isinstance(value, bool):
        value = str(value)
    text = _text()(value)
    if not text:
        return ""
    try:
        return normalise_code(text)
    except CodeError as exc:
        raise FieldError(exc.reason, exc.reason_en) from exc


def _check_criteria(
    checker: _Checker, entries: list[Entry], mode: str | None
) -> list[dict[str, Any]]:
    """The areas (with their criteria) in the built-in data format."""
    areas: dict[int, dict[str, Any]] = {}
    area_first: dict[int, tuple[Entry, str, int | None]] = {}
    numbers: dict[int, Entry] = {}
    criteria: list[tuple[int, dict[str, Any]]] = []
    for entry in entries:
        w, cells = entry.where, entry.cells

        def get(name: str, parse: Callable[[Any], Any], w: Where = w, c: dict = cells) -> Any:
            return checker.get(w, name, c.get(name), parse)

        area_number = get("area_number", _whole())
        area_name = get("area_name", _text(required=True, max_length=200))
        national = get("national_area", _national_area)
        number = get("number", _whole())
        c: dict[str, Any] = {
            "number": number,
            "text": get("text", _text(required=True)),
            "points": None,
            "sub_conditions": get("sub_conditions", _sub_conditions) or [],
            "evidence": get("evidence", _text()) or "",
            "departments": get("departments", _text()) or "",
            "numeric_rule": None,
            "veto": bool(get("veto", _yes_no)),
        }
        if mode == ScoringMode.POINTS:
            c["points"] = get("points", _points)
        elif mode == ScoringMode.MET and not _blank(cells.get("points")):
            checker.error(w("points"), cells.get("points"), *REASONS["points_in_met"])
        indicator = get("indicator", _text())
        if indicator:
            if indicator not in checker.indicators:
                checker.error(w("indicator"), indicator, *REASONS["indicator"])
            c["numeric_rule"] = {
                "indicator": checker.indicators.get(indicator, indicator),
                "operator": get("operator", _operator),
                "threshold": get("threshold", _threshold),
            }
        elif indicator == "":
            for name in ("operator", "threshold"):
                if not _blank(cells.get(name)):
                    checker.error(w(name), cells.get(name), *REASONS["rule_without_indicator"])
        if area_number is not None:
            first = area_first.get(area_number)
            if first is None:
                area_first[area_number] = (entry, area_name, national)
                areas[area_number] = {
                    "number": area_number, "name": area_name, "national_area": national,
                    "points": None, "criteria": [],
                }  # fmt: skip
            else:
                first_row = first[0].where("area_number")[0]
                for name, value, seen in (("area_name", area_name, first[1]),
                                          ("national_area", national, first[2])):  # fmt: skip
                    if value is not None and seen is not None and value != seen:
                        checker.error(
                            w(name), cells.get(name),
                            f"与第 {first_row} 行不一致：内容编号相同的行应填写相同的{LABEL[name]}",
                            f"differs from row {first_row}: rows of one area must agree",
                        )  # fmt: skip
        if number is not None:
            if number in numbers:
                row = numbers[number].where("number")[0]
                checker.error(
                    w("number"), cells.get("number"), f"序号与第 {row} 行重复",
                    f"the number repeats row {row}",
                )  # fmt: skip
            else:
                numbers[number] = entry
        if area_number is not None:
            criteria.append((area_number, c))
    expected = 1
    for number in sorted(numbers):
        if number != expected:
            checker.error(
                numbers[number].where("number"), number,
                f"序号应从 1 起连续编号：缺少第 {expected} 条",
                f"numbers must run 1, 2, 3 ... without gaps: {expected} is missing",
            )  # fmt: skip
            break
        expected += 1
    for area_number, c in sorted(criteria, key=lambda ac: ac[1]["number"] or 0):
        areas[area_number]["criteria"].append(c)
    for area_number, area in areas.items():
        entry = area_first[area_number][0]
        total = sum((c["points"] or Decimal(0) for c in area["criteria"]), Decimal(0))
        area["points"] = total if mode == ScoringMode.POINTS else None
        declared = entry.cells.get("area_points")
        if not _blank(declared):
            given = checker.get(entry.where, "area_points", declared, _decimal)
            if mode == ScoringMode.MET or (given is not None and given != total):
                checker.error(
                    entry.where("area_points"), declared,
                    f"考核内容的分值应为所含条目标准分之和（{_num(area['points'])}）",
                    f"an area's points are the sum of its criteria ({_num(area['points'])})",
                )  # fmt: skip
    return [areas[n] for n in sorted(areas)]


def _check_pass_rule(
    checker: _Checker, info: dict[str, Any], where: Where, mode: str | None,
    count: int, total: Decimal,
) -> dict[str, Any] | None:  # fmt: skip
    def get(name: str, parse: Callable[[Any], Any]) -> Any:
        return checker.get(where, name, info.get(name), parse)

    rule: dict[str, Any] = {}
    if get("pass_all_met", _yes_no):
        rule["all_met"] = True
    min_met = get("pass_min_met", _whole(required=False))
    if min_met is not None:
        if count and min_met > count:
            checker.error(
                where("pass_min_met"), info.get("pass_min_met"),
                f"至少达标条数不能超过条目数 {count}",
                f"cannot exceed the number of criteria ({count})",
            )  # fmt: skip
        rule["min_met"] = min_met
    min_total = get("pass_min_total", _decimal)
    if min_total is not None:
        if mode == ScoringMode.MET:
            checker.error(where("pass_min_total"), min_total, *REASONS["min_total_in_met"])
        elif min_total <= 0 or min_total != min_total.quantize(Decimal("0.1")):
            checker.error(
                where("pass_min_total"), info.get("pass_min_total"),
                "总分线应为大于 0 的数字，最多一位小数", "must be above 0, 1 decimal at most",
            )  # fmt: skip
        elif mode == ScoringMode.POINTS and total and min_total > total:
            checker.error(
                where("pass_min_total"), info.get("pass_min_total"),
                f"总分线不能超过标准总分 {_num(total)}",
                f"cannot exceed the standard's total points ({_num(total)})",
            )  # fmt: skip
        rule["min_total"] = min_total
    if get("pass_no_veto_failed", _yes_no):
        rule["no_veto_failed"] = True
    return rule or None


def _may_import(actor: Any, code: str) -> bool:
    return can_edit_standard(actor, Standard(issuing_code=code))


def _import(
    checker: _Checker, *, actor: Any, info: dict[str, Any], info_where: Where,
    entries: list[Entry], overrides: dict[str, Any], dry_run: bool, fmt: str,
) -> StandardImport:  # fmt: skip
    def where(field: str) -> tuple[int, str]:
        # A value given as an argument (command-line option) replaces the file's.
        return (0, INFO_LABEL[field]) if overrides.get(field) is not None else info_where(field)

    given = {f: v for f, v in overrides.items() if v is not None}
    values = {**info, **given}
    for field in ("key", "name", "scoring_mode"):
        if field not in values and info_where(field)[1] != INFO_SHEET:
            checker.error(where(field), "", "缺少这一项", "this item is missing")

    def get(name: str, parse: Callable[[Any], Any]) -> Any:
        return checker.get(where, name, values.get(name), parse) if name in values else None

    key = get("key", _key)
    name = get("name", _text(required=True, max_length=200))
    errors_before = len(checker.errors)
    code = get("issuing_region", _code) or ""
    code_ok = len(checker.errors) == errors_before
    file_version = get("version", _whole(required=False))
    mode = get("scoring_mode", _mode)
    description = get("description", _text()) or ""
    source = get("source", _text(max_length=300)) or ""
    if not entries and not checker.errors:
        checker.error((2, LABEL["number"]) if checker.spreadsheet else (0, "areas"), "",
                      *REASONS["no_criteria"])  # fmt: skip
    areas = _check_criteria(checker, entries, mode)
    count = sum(len(a["criteria"]) for a in areas)
    total = sum((a["points"] or Decimal(0) for a in areas), Decimal(0))
    rule = _check_pass_rule(checker, values, where, mode, count, total)
    if code_ok and not _may_import(actor, code):
        reason = REASONS["not_allowed" if code else "national_not_allowed"]
        checker.error(where("issuing_region"), code, *reason)
    version = _version(checker, key, code, file_version, overrides.get("version"), where)
    if checker.errors:
        raise checker.failure()
    assert key is not None and name is not None and mode is not None and version is not None
    data = {
        "key": key, "name": name, "issuing_region": code, "version": version, "source": source,
        "scoring_mode": mode, "pass_rule": rule, "description": description, "areas": areas,
    }  # fmt: skip
    standard = None if dry_run else _create(actor, data, fmt)
    return StandardImport(
        standard=standard, key=key, version=version, name=name, areas=len(areas),
        criteria=count, total_points=total if mode == ScoringMode.POINTS else None,
        dry_run=dry_run,
    )  # fmt: skip


def _version(
    checker: _Checker, key: str | None, code: str, file_version: int | None,
    wanted: int | None, where: Where,
) -> int | None:  # fmt: skip
    """The version the draft gets: `wanted` when asked for, else the next one of an existing
    key, else the file's. A key keeps its issuing region across versions."""
    if key is None:
        return None
    versions = Standard.objects.filter(key=key)
    latest = versions.order_by("-version").values("version", "issuing_code").first()
    if latest is not None and latest["issuing_code"] != code:
        checker.error(
            where("key"), key,
            f"标识 {key} 已被另一区划（{latest['issuing_code'] or '全国'}）的标准使用",
            f"the key {key} belongs to a standard of another region",
        )  # fmt: skip
    draft = versions.filter(status=StandardStatus.DRAFT).order_by("version").first()
    if draft is not None:  # one draft per key at a time, as `standard_new_version` keeps it
        checker.error(
            where("key"), key,
            f"标准 {key} 的第 {draft.version} 版仍是草稿：请先修改并发布它，或以新的标识导入",
            f"version {draft.version} of {key} is still a draft: publish it, or use another key",
        )  # fmt: skip
    if wanted is not None:
        if versions.filter(version=wanted).exists():
            checker.error(
                where("version"), wanted, f"标准 {key} 的第 {wanted} 版已存在",
                f"version {wanted} of {key} already exists",
            )  # fmt: skip
        return wanted
    if latest is not None:
        return int(latest["version"]) + 1
    return file_version or 1


def _create(actor: Any, data: dict[str, Any], fmt: str) -> Standard:
    models = SimpleNamespace(
        Standard=Standard, Area=Area, Criterion=Criterion, SubCondition=SubCondition,
        Indicator=Indicator,
    )  # fmt: skip
    try:
        with transaction.atomic():
            versions = Standard.objects.select_for_update().filter(key=data["key"])
            for version, status in versions.values_list("version", "status"):
                if version == data["version"] or status == StandardStatus.DRAFT:
                    raise IntegrityError  # imported or drafted by someone else since the check
            standard: Standard = standard_load(data, models, status=StandardStatus.DRAFT)
            count = sum(len(a["criteria"]) for a in data["areas"])
            audit_record(
                actor=actor, verb="standard.import", target=standard,
                region_code=standard.issuing_code,
                summary=f"导入创建标准 {standard.name} v{standard.version}（{count} 条，草稿）",
                after={"key": standard.key, "version": standard.version, "criteria": count,
                       "format": fmt},
            )  # fmt: skip
    except IntegrityError as exc:
        raise RowError(
            _("The standard was not imported: this version or a draft exists already."),
            [row_error(0, INFO_LABEL["version"], data["version"],
                       f"标准 {data['key']} 刚刚有了第 {data['version']} 版或新的草稿，请重新导入",
                       f"{data['key']} got version {data['version']} or a draft meanwhile: "
                       "import again")],
        ) from exc  # fmt: skip
    return standard


def standard_by_reference(reference: str) -> Standard | None:
    """A standard by id, or by key (its latest version): what `export-standard` is given."""
    if reference.isdigit():
        return Standard.objects.filter(pk=int(reference)).first()
    return Standard.objects.filter(key=reference).order_by("-version").first()
