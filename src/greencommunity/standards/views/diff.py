"""The side-by-side diff of a standard and the one it refines (or its previous version, or any
standard the user may see, `?against=ID`): the scoring and pass rule, then per area each
criterion beside its counterpart, what changed highlighted, what was added or removed."""

from decimal import Decimal
from typing import Any

from django.http import HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET

from greencommunity.core.errors import NotFound
from greencommunity.core.http import HtmxHttpRequest

from ..models import ScoringMode
from ..selectors_versions import (
    CriterionRow,
    FieldChange,
    StandardDiff,
    access_standard,
    standard_diff,
)
from .common import standard_crumbs, standards_view
from .reads import compared_with

FIELD_LABELS = {
    "text": gettext_lazy("criterion"),
    "points": gettext_lazy("points"),
    "area": gettext_lazy("area"),
    "sub_conditions": gettext_lazy("sub-conditions"),
    "veto": gettext_lazy("veto"),
    "numeric_rule": gettext_lazy("numeric rule"),
    "evidence": gettext_lazy("evidence expected"),
    "departments": gettext_lazy("responsible departments"),
}
RULE_LABELS = {
    "scoring_mode": gettext_lazy("Scoring"),
    "pass_all_met": gettext_lazy("Every criterion met"),
    "pass_min_met": gettext_lazy("At least N criteria met"),
    "pass_min_total": gettext_lazy("Total at least"),
    "pass_no_veto_failed": gettext_lazy("No veto criterion failed"),
}


def _against(request: HtmxHttpRequest) -> int | None:
    value = request.GET.get("against", "")
    if not value:
        return None
    if not value.isdigit():
        raise NotFound(_("Standard not found."))
    return int(value)


def _shown(value: Any) -> str:
    if value is None:
        return "—"
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if isinstance(value, Decimal):
        return f"{value.normalize():f}"
    if value in ScoringMode.values:
        return str(ScoringMode(value).label)
    return str(value)


def _rules(changes: list[FieldChange]) -> list[tuple[str, str, str]]:
    return [
        (str(RULE_LABELS.get(c.field, c.field)), _shown(c.parent), _shown(c.child)) for c in changes
    ]


def _groups(diff: StandardDiff, rows: list[CriterionRow]) -> list[dict[str, Any]]:
    """The criteria rows by area (the newer side's area; the older one's for a removed row),
    areas in order, each with its own area row of the diff."""
    areas = {}
    for area_row in diff.areas:
        area = area_row.child or area_row.parent
        if area is not None:
            areas[area.number] = area_row
    groups: dict[int, dict[str, Any]] = {}
    for row in rows:
        criterion = row.child or row.parent
        assert criterion is not None
        number = criterion.area.number
        group = groups.setdefault(number, {"number": number, "area": areas.get(number), "rows": []})
        labels = [str(FIELD_LABELS.get(f, f)) for f in row.changes]
        group["rows"].append((row, labels))
    return [groups[n] for n in sorted(groups)]


@require_GET
@standards_view
def standard_diff_view(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    standard = access_standard(request.user, pk)
    base = compared_with(request.user, standard, _against(request))
    diff = standard_diff(base, standard) if base is not None else None
    only_changes = request.GET.get("changes") == "1"
    rows = diff.criteria if diff is not None else []
    if only_changes:
        rows = [r for r in rows if r.status != "unchanged"]
    context: dict[str, Any] = {
        "standard": standard,
        "base": base,
        "diff": diff,
        "rules": _rules(diff.rules) if diff is not None else [],
        "groups": _groups(diff, rows) if diff is not None else [],
        "only_changes": only_changes,
        "crumbs": standard_crumbs(standard, _("Comparison")),
    }
    return render(request, "standards/pages/standard_diff.html", context)
