"""Export a standard as JSON (the built-in data format, loadable by `standards.loader`) or as
xlsx (one row per criterion plus the sheet 标准信息), and the empty import template."""

from typing import Any

from greencommunity.documents.xlsx import write_xlsx
from greencommunity.regions.models import Indicator

from ...models import Area, Criterion, ScoringMode, Standard
from .layout import (
    COLUMNS,
    CRITERIA_SHEET,
    EXAMPLE_INFO,
    EXAMPLE_ROW,
    INFO_FIELDS,
    INFO_SHEET,
    MODE_LABELS,
    NO,
    NOTES,
    NOTES_SHEET,
    YES,
    _num,
)


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
