"""A standard's page: what it says (description, pass rule, dates, areas and criteria), its
versions and refinements, and the actions the user may take on it. Drafts are edited in place:
with htmx an edit answers the re-rendered criteria section and, out of band, the publishing
check; without htmx the whole page."""

from typing import Any

from django.http import HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from greencommunity.core.errors import NotFound
from greencommunity.core.http import HtmxHttpRequest

from ..forms import AreaForm, CriterionForm
from ..models import ScoringMode, Standard, StandardStatus
from ..policies import can_edit_standard, can_view_standard, scope_standards
from ..selectors import pass_rule_text
from ..selectors_versions import standard_publish_problems, standard_versions
from .common import standard_crumbs
from .reads import (
    compared_with,
    derive_regions,
    region_names,
    standard_areas,
    visible_parent_ids,
)

DETAIL = "standards/pages/standard_detail.html"


def detail_context(
    request: HtmxHttpRequest,
    standard: Standard,
    *,
    editing_criterion: int | None = None,
    criterion_form: CriterionForm | None = None,
    add_form: CriterionForm | None = None,
    editing_area: int | None = None,
    area_form: AreaForm | None = None,
) -> dict[str, Any]:
    actor = request.user
    blocks = standard_areas(standard)
    is_draft = standard.status == StandardStatus.DRAFT
    can_edit = can_edit_standard(actor, standard)
    editable = is_draft and can_edit
    points_mode = standard.scoring_mode == ScoringMode.POINTS
    criteria = {c.pk: c for b in blocks for c in b.criteria}
    if editable and editing_criterion is not None and criterion_form is None:
        if editing_criterion not in criteria:
            raise NotFound(_("Criterion not found."))
        criterion_form = CriterionForm(standard=standard, criterion=criteria[editing_criterion])
    areas = {b.area.pk: b.area for b in blocks}
    if editable and editing_area is not None and area_form is None:
        if editing_area not in areas:
            raise NotFound(_("Area not found."))
        area_form = AreaForm.for_area(areas[editing_area], points_mode=points_mode)
    parent = standard.parent
    refinements = scope_standards(actor, standard.refinements.all()).order_by("key", "version")
    published = standard.status == StandardStatus.PUBLISHED
    return {
        "standard": standard,
        "blocks": blocks,
        "criteria_count": len(criteria),
        "total_points": sum(b.subtotal for b in blocks) if points_mode else None,
        "points_mode": points_mode,
        "rule_text": pass_rule_text(standard),
        "issuing_name": region_names([standard.issuing_code]).get(standard.issuing_code, ""),
        "parent": parent,
        "parent_visible": parent is not None and can_view_standard(actor, parent),
        "linked_parents": visible_parent_ids(actor, blocks),
        "versions": standard_versions(actor, standard.key),
        "refinements": refinements,
        "is_draft": is_draft,
        "can_edit": can_edit,
        "editable": editable,
        "problems": standard_publish_problems(standard) if editable else [],
        "can_new_version": can_edit and published,
        "can_derive": published and derive_regions(actor, standard).exists(),
        "compared": compared_with(actor, standard),
        "home_code": getattr(getattr(actor, "home_region", None), "code", ""),
        "editing_criterion": editing_criterion,
        "criterion_form": criterion_form,
        "add_form": add_form or (CriterionForm(standard=standard) if editable and blocks else None),
        "editing_area": editing_area,
        "area_form": area_form,
        "crumbs": standard_crumbs(standard),
    }


def criteria_section(request: HtmxHttpRequest, standard: Standard, **kw: Any) -> HttpResponse:
    """With htmx the criteria section and, out of band, the publishing check and the facts
    (criteria count, total points); else the whole page."""
    context = detail_context(request, standard, **kw)
    if not request.htmx:
        return render(request, DETAIL, context)
    html = render_to_string(f"{DETAIL}#criteria", context, request)
    for part in ("publish_check", "about"):  # they follow the criteria: problems, totals
        html += render_to_string(f"{DETAIL}#{part}", {**context, "oob": True}, request)
    return HttpResponse(html)
