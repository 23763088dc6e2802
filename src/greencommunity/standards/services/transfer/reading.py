"""Reading an xlsx workbook or a JSON payload into entries (one per criterion, each knowing
where its values sit in the file) and the standard's info, then handing them to `_import`."""

import io
from typing import Any

from django.utils.translation import gettext as _
from openpyxl import load_workbook

from greencommunity.core.errors import RowError
from greencommunity.documents.xlsx import (
    QuotedText,
    normalise_header,
    read_table,
    row_error,
    unquote_import,
)

from .checks import _Checker
from .importing import _import
from .layout import (
    ALIASES,
    AREA_COLUMNS,
    INFO_ALIASES,
    INFO_LABEL,
    INFO_SHEET,
    LABEL,
    MAX_CRITERIA,
    REASONS,
    REQUIRED_COLUMNS,
    RULE_FIELDS,
    Entry,
    StandardImport,
    Where,
    _mode_word,
)


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
