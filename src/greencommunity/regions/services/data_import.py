"""Import residential compounds and yearly indicator values of communities from a spreadsheet.

Both are all or nothing like the region import: every row is checked first, any problem raises
RowError listing {row, column, value, reason, reason_en}, and nothing is written. Compounds are
upserted by (community, name); indicator values by (community, indicator, year), with the source
"imported". Every community named must exist today and lie where the actor may import data.
"""

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from greencommunity.audit.services import audit_record
from greencommunity.core.errors import RowError
from greencommunity.documents.xlsx import Row, clean_text, is_formula_like, row_error

from ..codes import CodeError, Level, common_ancestor_code, level_of_code, normalise_code
from ..events import indicators_changed
from ..models import (
    Community,
    Compound,
    Indicator,
    IndicatorSource,
    IndicatorValue,
    RenovationStatus,
    valid_on_q,
)
from ..policies import can_import_community_data
from .compounds import community_renovation_recompute
from .fields import FieldError, parse_decimal, parse_renovation_status, parse_year
from .registry_import import REASONS, ImportSummary

Progress = Callable[..., None]

COMPOUND_ALIASES = {
    "community_code": ("社区代码", "社区区划代码", "区划代码", "community code", "code"),
    "name": ("小区名称", "小区", "compound", "compound name"),
    "build_year": ("建成年份", "建成年代", "build year"),
    "renovation_status": ("改造状态", "老旧小区改造状态", "renovation status"),
    "renovation_year": ("改造年份", "改造年度", "renovation year"),
}
COMPOUND_LABELS = {f: names[0] for f, names in COMPOUND_ALIASES.items()}
INDICATOR_BASE_ALIASES = {
    "community_code": ("社区代码", "社区区划代码", "区划代码", "community code", "code"),
    "year": ("年度", "年份", "year"),
}


NO_ROWS = ("文件中没有数据行", "the file has no data rows")
NO_COLUMNS = (
    "文件中没有可识别的指标列（列名应为指标名称或代码）",
    "no indicator column (name a column after an indicator)",
)


def _repeats(row: int, what: str, what_en: str) -> tuple[str, str]:
    return f"与第 {row} 行重复（{what}）", f"repeats row {row} ({what_en})"


class _Errors(list[dict[str, Any]]):
    def add(self, row: int, column: str, value: Any, reason: str, reason_en: str,
            fieldname: str = "") -> None:  # fmt: skip
        self.append(row_error(row, column, value, reason, reason_en, fieldname))


def _communities(actor: Any, raw_codes: dict[int, str], column: str, errors: _Errors
                 ) -> dict[int, Community]:  # fmt: skip
    """Rows → communities: the code must name a community that exists today, in the actor's
    reach. Errors are added for the others."""
    codes: dict[int, str] = {}
    for row, raw in raw_codes.items():
        try:
            code = normalise_code(raw)
        except CodeError as exc:
            errors.add(row, column, raw, exc.reason, exc.reason_en, "community_code")
            continue
        if level_of_code(code) != Level.COMMUNITY:
            errors.add(row, column, raw, "应为社区一级的 12 位区划代码",
                       "must be the 12-digit code of a community", "community_code")  # fmt: skip
            continue
        codes[row] = code
    found: dict[str, Community] = {}
    unique = sorted(set(codes.values()))
    for i in range(0, len(unique), 2000):
        qs = Community.objects.select_related("region").filter(
            valid_on_q(date.today(), "region__"), region__code__in=unique[i : i + 2000]
        )
        found.update({c.region.code: c for c in qs})
    result: dict[int, Community] = {}
    for row, code in codes.items():
        community = found.get(code)
        if community is None:
            errors.add(row, column, raw_codes[row], "找不到该社区（或已撤销）",
                       "no such community today", "community_code")  # fmt: skip
        elif not can_import_community_data(actor, code):
            errors.add(row, column, raw_codes[row], "您无权维护该社区的数据",
                       "you may not maintain this community's data", "community_code")  # fmt: skip
        else:
            result[row] = community
    return result


def _raise(errors: _Errors) -> None:
    if errors:
        raise RowError(
            _("%(count)d problem(s) in the file; nothing was imported.") % {"count": len(errors)},
            sorted(errors, key=lambda e: e["row"]),
        )


def _require(rows: Sequence[Row], required: dict[str, str]) -> None:
    if not rows:
        raise RowError(_("The file has no data rows."), [row_error(0, "", "", *NO_ROWS)])
    present = set().union(*(r[1].keys() for r in rows))
    missing = [f for f in required if f not in present]
    if missing:
        raise RowError(
            _("The file lacks required columns."),
            [row_error(1, required[f], "", f"缺少必需的列“{required[f]}”",
                       f"the required column {f} is missing", f) for f in missing],
        )  # fmt: skip


# --- compounds ---------------------------------------------------------------------------


@dataclass
class CompoundRow:
    row: int
    community: Community
    name: str
    build_year: int | None
    renovation_status: str
    renovation_year: int | None


def compounds_check(*, actor: Any, rows: Sequence[Row]) -> list[CompoundRow]:
    _require(rows, {"community_code": "社区代码", "name": "小区名称"})
    errors = _Errors()
    label = COMPOUND_LABELS
    communities = _communities(actor, {n: c.get("community_code", "") for n, c in rows},
                               label["community_code"], errors)  # fmt: skip
    seen: dict[tuple[int, str], int] = {}
    parsed: list[CompoundRow] = []
    this_year = date.today().year
    for number, cells in rows:
        ok = number in communities
        name = clean_text(cells.get("name", ""))
        if not name:
            errors.add(
                number, label["name"], name, "小区名称不能为空", "the name is required", "name"
            )
            ok = False
        elif is_formula_like(name):
            errors.add(number, label["name"], name, *REASONS["formula"], "name")
            ok = False
        elif len(name) > 100:
            errors.add(number, label["name"], name, "小区名称不能超过 100 个字",
                       "the name is longer than 100 characters", "name")  # fmt: skip
            ok = False
        key = (communities[number].pk if number in communities else -number, name)
        if name and key in seen:
            errors.add(number, label["name"], name, *_repeats(seen[key], "同一社区、同名小区",
                       "same community and name"), "name")  # fmt: skip
            ok = False
        seen.setdefault(key, number)
        values: dict[str, Any] = {}
        for fieldname, parse in (
            ("build_year", lambda t: parse_year(t, low=1900, high=this_year)),
            ("renovation_status", lambda t: parse_renovation_status(t) if t.strip() else "none"),
            ("renovation_year", lambda t: parse_year(t, low=2000, high=this_year + 5)),
        ):
            text = cells.get(fieldname, "")
            try:
                values[fieldname] = parse(text)
            except FieldError as exc:
                errors.add(number, label[fieldname], text, exc.reason, exc.reason_en, fieldname)
                ok = False
        status = values.get("renovation_status", RenovationStatus.NONE)
        if ok and status != RenovationStatus.NONE and values.get("renovation_year") is None:
            errors.add(number, label["renovation_year"], "", "纳入改造的小区须填写改造年份",
                       "a compound in a renovation programme needs its year",
                       "renovation_year")  # fmt: skip
            ok = False
        if ok:
            parsed.append(CompoundRow(number, communities[number], name, values["build_year"],
                                      status, values["renovation_year"]))  # fmt: skip
    _raise(errors)
    return parsed


def compounds_import(*, actor: Any, rows: Sequence[Row], dry_run: bool = False,
                     progress: Progress | None = None) -> ImportSummary:  # fmt: skip
    parsed = compounds_check(actor=actor, rows=rows)
    summary = ImportSummary(rows=len(parsed), dry_run=dry_run)
    existing = {
        (c.community_id, c.name): c
        for c in Compound.objects.filter(community__in={r.community.pk for r in parsed})
    }
    now = timezone.now()
    new, changed = [], []
    for r in parsed:
        values = {"build_year": r.build_year, "renovation_status": r.renovation_status,
                  "renovation_year": r.renovation_year}  # fmt: skip
        old = existing.get((r.community.pk, r.name))
        if old is None:
            new.append(Compound(community=r.community, name=r.name, created_at=now,
                                updated_at=now, **values))  # fmt: skip
        elif any(getattr(old, k) != v for k, v in values.items()):
            for k, v in values.items():
                setattr(old, k, v)
            old.updated_at = now
            changed.append(old)
    summary.created, summary.updated = len(new), len(changed)
    summary.unchanged = summary.rows - summary.created - summary.updated
    if dry_run:
        return summary
    with transaction.atomic():
        Compound.objects.bulk_create(new, batch_size=2000)
        Compound.objects.bulk_update(
            changed, ["build_year", "renovation_status", "renovation_year", "updated_at"], 500
        )
        # Only communities whose compounds changed need their renovation rate recomputed.
        touched = {c.community.pk: c.community for c in [*new, *changed]}
        for i, community in enumerate(touched.values(), start=1):
            community_renovation_recompute(community=community)
            if progress is not None and i % 200 == 0:
                progress(i, len(touched), _("Computing renovation completion"))
        audit_record(
            actor=actor,
            verb="registry.import_compounds",
            region_code=common_ancestor_code([r.community.region.code for r in parsed]),
            summary=_("Imported %(rows)d compounds: %(created)d new, %(updated)d updated.")
            % {"rows": summary.rows, "created": summary.created, "updated": summary.updated},
            after=summary.as_dict(),
        )
    return summary


# --- indicators --------------------------------------------------------------------------


def indicator_aliases() -> dict[str, tuple[str, ...]]:
    """Headers of an indicator file: the code and year columns, then one column per indicator
    named by its code, its name, or its name with the unit ("绿地率（%）")."""
    aliases = dict(INDICATOR_BASE_ALIASES)
    for ind in Indicator.objects.all():
        names = [ind.code, ind.name]
        if ind.unit:
            names += [f"{ind.name}（{ind.unit}）", f"{ind.name}({ind.unit})"]
        aliases[f"indicator:{ind.code}"] = tuple(names)
    return aliases


@dataclass
class IndicatorCell:
    row: int
    community: Community
    indicator: Indicator
    year: int
    value: Decimal


def indicators_check(*, actor: Any, rows: Sequence[Row]) -> list[IndicatorCell]:
    _require(rows, {"community_code": "社区代码", "year": "年度"})
    catalogue = {f"indicator:{i.code}": i for i in Indicator.objects.all()}
    present = set().union(*(r[1].keys() for r in rows))
    columns = [f for f in present if f in catalogue]
    errors = _Errors()
    if not columns:
        raise RowError(_("The file has no indicator columns."), [row_error(1, "", "", *NO_COLUMNS)])
    for f in columns:
        if catalogue[f].computed:
            errors.add(1, catalogue[f].name, "", "该指标由平台根据小区改造情况自动计算，不能导入",
                       "this indicator is computed by the platform and cannot be imported",
                       f)  # fmt: skip
    communities = _communities(actor, {n: c.get("community_code", "") for n, c in rows},
                               "社区代码", errors)  # fmt: skip
    this_year = date.today().year
    seen: dict[tuple[int, int], int] = {}
    cells: list[IndicatorCell] = []
    for number, row in rows:
        text = row.get("year", "")
        try:
            year = parse_year(text, low=2000, high=this_year)
        except FieldError as exc:
            errors.add(number, "年度", text, exc.reason, exc.reason_en, "year")
            continue
        if year is None:
            errors.add(number, "年度", "", "年度不能为空", "the year is required", "year")
            continue
        ckey = communities[number].pk if number in communities else -number
        key = (ckey, year)
        if key in seen:
            errors.add(number, "年度", text, *_repeats(seen[key], "同一社区、同一年度",
                       "same community and year"), "year")  # fmt: skip
            continue
        seen[key] = number
        for f in columns:
            indicator, raw = catalogue[f], row.get(f, "")
            if not raw.strip() or indicator.computed:
                continue
            try:
                value = parse_decimal(raw, maximum=Decimal(100) if indicator.unit == "%" else None)
            except FieldError as exc:
                errors.add(number, indicator.name, raw, exc.reason, exc.reason_en, f)
                continue
            if number in communities and value is not None:
                cells.append(IndicatorCell(number, communities[number], indicator, year, value))
    _raise(errors)
    return cells


def indicators_import(*, actor: Any, rows: Sequence[Row], dry_run: bool = False,
                      progress: Progress | None = None) -> ImportSummary:  # fmt: skip
    cells = indicators_check(actor=actor, rows=rows)
    summary = ImportSummary(rows=len(cells), dry_run=dry_run)
    existing = {
        (v.community_id, v.indicator_id, v.year): v
        for v in IndicatorValue.objects.filter(
            community__in={c.community.pk for c in cells}, year__in={c.year for c in cells}
        )
    }
    now = timezone.now()
    new, changed = [], []
    for c in cells:
        old = existing.get((c.community.pk, c.indicator.pk, c.year))
        if old is None:
            new.append(IndicatorValue(community=c.community, indicator=c.indicator, year=c.year,
                                      value=c.value, source=IndicatorSource.IMPORTED,
                                      created_at=now, updated_at=now))  # fmt: skip
        elif old.value != c.value or old.source != IndicatorSource.IMPORTED:
            old.value, old.source, old.updated_at = c.value, IndicatorSource.IMPORTED, now
            changed.append(old)
    summary.created, summary.updated = len(new), len(changed)
    summary.unchanged = summary.rows - summary.created - summary.updated
    if dry_run:
        return summary
    with transaction.atomic():
        IndicatorValue.objects.bulk_create(new, batch_size=2000)
        IndicatorValue.objects.bulk_update(changed, ["value", "source", "updated_at"], 500)
        indicators_changed(v.community_id for v in [*new, *changed])
        audit_record(
            actor=actor,
            verb="registry.import_indicators",
            region_code=common_ancestor_code(sorted({c.community.region.code for c in cells})),
            summary=_("Imported %(rows)d indicator values: %(created)d new, %(updated)d updated.")
            % {"rows": summary.rows, "created": summary.created, "updated": summary.updated},
            after=summary.as_dict(),
        )
    return summary
