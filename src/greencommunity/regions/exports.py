"""Export the registry in the import layout, so that export → import changes nothing.

Cells beginning with = + - @ are quoted with ' (formula injection); the import strips it.
"""

import csv
import io
from datetime import date
from typing import Any

from greencommunity.access.policies import scope_regions
from greencommunity.documents.xlsx import quote_for_export, write_xlsx

from .codes import LEVEL_ORDER, Level, code_prefix, level_of_code
from .models import Community, Region, valid_on_q
from .services.fields import KIND_NAMES, LEVEL_NAMES
from .services.registry_import import COLUMNS, PROFILE_FIELDS

HEADERS = [c.label for c in COLUMNS]


def _cell(field: str, value: Any) -> Any:
    if value is None:
        return ""
    if field == "level":
        return LEVEL_NAMES[Level(value)][0]
    if field == "kind":
        return KIND_NAMES[value][0] if value else ""
    if field == "urban_override":
        return "是" if value else "否"
    if isinstance(value, date):
        return value.isoformat()
    return value if isinstance(value, str) else str(value)


def registry_rows(actor: Any, *, region_code: str = "", day: date | None = None) -> list[list[Any]]:
    """Rows of the regions the actor sees that exist on `day` (today), in the subtree of
    `region_code`, tree order (parents before children)."""
    qs = scope_regions(actor, Region.objects.filter(valid_on_q(day or date.today())))
    if region_code:
        qs = qs.filter(code__startswith=code_prefix(region_code, level_of_code(region_code)))
    profiles = {
        c["region_id"]: c
        for c in Community.objects.filter(region__in=qs).values("region_id", *PROFILE_FIELDS)
    }
    order = {level: i for i, level in enumerate(LEVEL_ORDER)}
    regions = sorted(
        qs.values("id", "code", "name", "level", "valid_from"),
        key=lambda r: (order[Level(r["level"])], r["code"]),
    )
    rows = []
    for r in regions:
        values = {**r, **profiles.get(r["id"], {})}
        rows.append([_cell(c.field, values.get(c.field)) for c in COLUMNS])
    return rows


def registry_export(actor: Any, *, region_code: str = "", fmt: str = "xlsx") -> bytes:
    rows = registry_rows(actor, region_code=region_code)
    if fmt == "csv":
        out = io.StringIO()
        writer = csv.writer(out)
        writer.writerow(HEADERS)
        writer.writerows([quote_for_export(v) for v in row] for row in rows)
        return out.getvalue().encode("utf-8-sig")
    return write_xlsx(HEADERS, rows, title="区划与社区", text_columns=[0, 3, 8])
