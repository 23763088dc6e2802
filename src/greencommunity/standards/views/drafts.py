"""Editing a draft standard: its own fields on a form page, its areas and criteria in place on
the standard's page (htmx). Writes go through `services.drafts`; a refusal is shown at the
field it names. A standard the user may see but not change is a 403; a published one refuses
every edit (the service says to start a new version)."""

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from greencommunity.core.errors import ApplicationError, NotFound
from greencommunity.core.http import HtmxHttpRequest
from greencommunity.regions.forms import add_service_errors

from ..forms import AreaForm, CriterionForm, StandardForm
from ..models import Area, Criterion, ScoringMode, Standard, StandardStatus
from ..services.drafts import (
    area_update,
    criterion_create,
    criterion_delete,
    criterion_update,
    standard_update_draft,
)
from .common import editable_standard, standard_crumbs, standards_view
from .detail import criteria_section

CRITERION_ERRORS = {name: name for name in [*CriterionForm.FIELDS, "number"]}
AREA_ERRORS = {name: name for name in AreaForm.FIELDS}
STANDARD_ERRORS = {name: name for name in StandardForm.FIELDS}


def _back(standard: Standard, anchor: str = "criteria") -> HttpResponse:
    return redirect(reverse("standards:detail", args=[standard.pk]) + f"#{anchor}")


def _criterion(standard: Standard, criterion_id: int) -> Criterion:
    criterion = (
        Criterion.objects.filter(pk=criterion_id, standard=standard)
        .select_related("area", "indicator")
        .first()
    )
    if criterion is None:
        raise NotFound(_("Criterion not found."))
    return criterion


def _area(standard: Standard, area_id: int) -> Area:
    area = Area.objects.filter(pk=area_id, standard=standard).first()
    if area is None:
        raise NotFound(_("Area not found."))
    return area


@require_http_methods(["GET", "POST"])
@standards_view
def standard_edit_view(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    """The draft's name, texts, scoring mode, effective dates and pass rule."""
    standard = editable_standard(request.user, pk)
    if standard.status != StandardStatus.DRAFT:
        messages.warning(request, _("A published standard never changes: start a new version."))
        return _back(standard, "top")
    form = StandardForm.for_standard(standard, request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            standard_update_draft(actor=request.user, standard=standard, **form.values())
        except ApplicationError as exc:
            add_service_errors(form, exc, STANDARD_ERRORS)
        else:
            messages.success(request, _("The draft is saved."))
            return _back(standard, "top")
    context = {
        "standard": standard,
        "form": form,
        "crumbs": standard_crumbs(standard, _("Edit the draft")),
    }
    return render(request, "standards/pages/standard_edit.html", context)


@require_http_methods(["GET", "POST"])
@standards_view
def area_edit_view(request: HtmxHttpRequest, pk: int, area_id: int) -> HttpResponse:
    """GET: the criteria section with this area's heading as a form. POST: save it."""
    standard = editable_standard(request.user, pk)
    area = _area(standard, area_id)
    if request.method == "GET":
        return criteria_section(request, standard, editing_area=area.pk)
    points_mode = standard.scoring_mode == ScoringMode.POINTS
    form = AreaForm.for_area(area, request.POST, points_mode=points_mode)
    if form.is_valid():
        try:
            area_update(actor=request.user, area=area, **form.values())
        except ApplicationError as exc:
            add_service_errors(form, exc, AREA_ERRORS)
        else:
            if not request.htmx:
                messages.success(request, _("Area %(number)d saved.") % {"number": area.number})
                return _back(standard, f"area-{area.number}")
            return criteria_section(request, standard)
    return criteria_section(request, standard, editing_area=area.pk, area_form=form)


@require_http_methods(["GET", "POST"])
@standards_view
def criteria_view(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    """GET: the criteria section (htmx; cancels an edit). POST: add a criterion."""
    standard = editable_standard(request.user, pk)
    if request.method == "GET":
        if not request.htmx:
            return _back(standard)
        return criteria_section(request, standard)
    form = CriterionForm(request.POST, standard=standard)
    if form.is_valid():
        values = form.values()
        try:
            criterion = criterion_create(actor=request.user, **values)
        except ApplicationError as exc:
            add_service_errors(form, exc, CRITERION_ERRORS)
        else:
            if not request.htmx:
                messages.success(
                    request, _("Criterion %(number)d added.") % {"number": criterion.number}
                )
                return _back(standard, f"criterion-{criterion.number}")
            return criteria_section(request, standard)
    return criteria_section(request, standard, add_form=form)


@require_http_methods(["GET", "POST"])
@standards_view
def criterion_edit_view(request: HtmxHttpRequest, pk: int, criterion_id: int) -> HttpResponse:
    """GET: the criteria section with this criterion's row as a form. POST: save it."""
    standard = editable_standard(request.user, pk)
    criterion = _criterion(standard, criterion_id)
    if request.method == "GET":
        return criteria_section(request, standard, editing_criterion=criterion.pk)
    form = CriterionForm(request.POST, standard=standard, criterion=criterion)
    if form.is_valid():
        try:
            criterion_update(actor=request.user, criterion=criterion, **form.values())
        except ApplicationError as exc:
            add_service_errors(form, exc, CRITERION_ERRORS)
        else:
            if not request.htmx:
                messages.success(
                    request, _("Criterion %(number)d saved.") % {"number": criterion.number}
                )
                return _back(standard, f"criterion-{criterion.number}")
            return criteria_section(request, standard)
    return criteria_section(request, standard, editing_criterion=criterion.pk, criterion_form=form)


@require_POST
@standards_view
def criterion_delete_view(request: HtmxHttpRequest, pk: int, criterion_id: int) -> HttpResponse:
    standard = editable_standard(request.user, pk)
    criterion = _criterion(standard, criterion_id)
    number = criterion.number
    try:
        criterion_delete(actor=request.user, criterion=criterion)
    except ApplicationError as exc:
        messages.error(request, exc.message)
        return _back(standard)
    if not request.htmx:
        messages.success(request, _("Criterion %(number)d removed.") % {"number": number})
        return _back(standard)
    return criteria_section(request, standard)
