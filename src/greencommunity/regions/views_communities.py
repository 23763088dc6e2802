"""Community registry pages (社区信息库): the list with its filters, a community's detail with
its compounds and indicators edited in place (htmx), and the profile form.

Thin adapters: reads through `selectors_communities`, writes through `services.communities`,
who may through `policies`. A community outside the actor's scope is a 404; an edit the actor
may not make is a 403. With htmx, an action answers the re-rendered part of the page
(`{% partialdef %}`); without, it redirects back to the page.
"""

from collections.abc import Callable
from datetime import date
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied as HttpPermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django.views.decorators.vary import vary_on_headers

from greencommunity.access.policies import can_view_region
from greencommunity.audit.policies import can_view_audit_for_region
from greencommunity.audit.selectors import event_list
from greencommunity.core.errors import ApplicationError
from greencommunity.core.http import HtmxHttpRequest, signed_in_view

from .forms import (
    CommunityFilterForm,
    CommunityProfileForm,
    CompoundForm,
    IndicatorRowForm,
    add_service_errors,
)
from .models import Community, Compound, Indicator
from .policies import can_edit_community, import_kinds_allowed
from .selectors import region_breadcrumbs
from .selectors_communities import (
    access_community,
    community_compound,
    community_compounds,
    community_indicator_rows,
    community_list,
    community_survey_gaps,
    indicator_by_code,
    region_name,
)
from .services.communities import COMPOUND_FIELDS, PROFILE_FIELDS, community_update_profile
from .services.compounds import compound_create, compound_delete, compound_update
from .services.indicator_values import indicator_values_update

PAGE_SIZE = 25
DETAIL = "regions/pages/community_detail.html"
View = Callable[..., HttpResponse]


registry_view = signed_in_view  # signed in; NotFound → 404, PermissionDenied → 403


def _require_edit(request: HtmxHttpRequest, community: Community) -> None:
    if not can_edit_community(request.user, community):
        raise HttpPermissionDenied(_("You may not change the registry data of this community."))


def _list_crumbs() -> list[dict[str, str]]:
    return [
        {"label": _("Home"), "url": reverse("core:home")},
        {"label": _("Communities"), "url": reverse("regions:community_list")},
    ]


def _crumbs(actor: Any, community: Community, *extra: str) -> list[dict[str, str]]:
    """Home > Communities > street > community (> extra): the street linked when in scope."""
    crumbs = _list_crumbs()
    street = community.region.parent
    if street is not None:
        crumbs.append(
            {
                "label": street.name,
                "url": reverse("regions:region_detail", args=[street.code])
                if can_view_region(actor, street)
                else "",
            }
        )
    detail = reverse("regions:community_detail", args=[community.region.code])
    crumbs.append({"label": community.region.name, "url": detail if extra else ""})
    crumbs += [{"label": label, "url": ""} for label in extra]
    return crumbs


# ---------------------------------------------------------------------------- list


@vary_on_headers("HX-Request")
@require_GET
@registry_view
def community_list_view(request: HtmxHttpRequest) -> HttpResponse:
    """Communities of the actor's regions valid today: search, filters, 25 a page."""
    form = CommunityFilterForm(request.GET or None, actor=request.user)
    filters = form.filters()
    communities = community_list(request.user, **filters)
    page = Paginator(communities, PAGE_SIZE).get_page(request.GET.get("page"))
    region_code = filters.get("region_code", "")
    context = {
        "form": form,
        "page_obj": page,
        "communities": page.object_list,
        "region_code": region_code,
        "region_name": region_name(request.user, region_code) if region_code else "",
        "filtered": any(v not in ("", None) for v in filters.values()),
        "can_import": bool(import_kinds_allowed(request.user)),
        "crumbs": _list_crumbs(),
    }
    template = "regions/pages/community_list.html"
    if request.htmx and not request.htmx.history_restore_request:
        template += "#results"
    return render(request, template, context)


# ---------------------------------------------------------------------------- detail


def _detail_context(
    request: HtmxHttpRequest,
    community: Community,
    *,
    add_form: CompoundForm | None = None,
    compound_form: CompoundForm | None = None,
    editing_compound: int | None = None,
    indicator_form: IndicatorRowForm | None = None,
    editing_indicator: int | None = None,
) -> dict[str, Any]:
    this_year = date.today().year
    years = [this_year - 1, this_year]
    rows = community_indicator_rows(community, years)
    compounds = community_compounds(community)
    can_edit = can_edit_community(request.user, community)
    if can_edit and editing_compound is not None and compound_form is None:
        compound = next((c for c in compounds if c.pk == editing_compound), None)
        if compound is None:
            raise Http404(_("Compound not found."))
        compound_form = CompoundForm.for_compound(compound)
    if can_edit and editing_indicator is not None and indicator_form is None:
        row = next((r for r in rows if r.indicator.pk == editing_indicator), None)
        if row is None or row.indicator.computed:
            raise Http404(_("Indicator not found."))
        indicator_form = IndicatorRowForm(
            indicator=row.indicator,
            years=years,
            initial={y: v.value for y, v in row.values.items() if v is not None},
        )
    missing_fields, missing_indicators = community_survey_gaps(community, rows, this_year)
    code = community.region.code
    return {
        "community": community,
        "region": community.region,
        "can_edit": can_edit,
        # the community's history page answers 404 when the actor may read none of it
        "can_view_audit": can_view_audit_for_region(request.user, code)
        or event_list(
            request.user, target_type="regions.region", target_id=str(community.pk)
        ).exists(),
        "compounds": compounds,
        "add_form": add_form or CompoundForm(prefix="new"),
        "compound_form": compound_form,
        "editing_compound": editing_compound,
        "years": years,
        "this_year": this_year,
        "indicator_rows": rows,
        "indicator_form": indicator_form,
        "editing_indicator": editing_indicator,
        "missing_fields": missing_fields,
        "missing_indicators": missing_indicators,
        "breadcrumb_regions": region_breadcrumbs(community.region)[:-1],
        "crumbs": _crumbs(request.user, community),
    }


def _section(
    request: HtmxHttpRequest, community: Community, section: str, **kw: Any
) -> HttpResponse:
    """With htmx, the re-rendered section and, out of band, the one that follows it (the
    renovation completion follows the compounds, the survey status the indicators); else the
    whole page."""
    context = _detail_context(request, community, **kw)
    if not request.htmx:
        return render(request, DETAIL, context)
    html = render_to_string(f"{DETAIL}#{section}", context, request)
    also = {"compounds": "indicators", "indicators": "survey"}.get(section)
    if also:
        html += render_to_string(f"{DETAIL}#{also}", {**context, "oob": True}, request)
    return HttpResponse(html)


def _back(community: Community, anchor: str) -> HttpResponse:
    url = reverse("regions:community_detail", args=[community.region.code])
    return redirect(f"{url}#{anchor}")


@require_GET
@registry_view
def community_detail_view(request: HtmxHttpRequest, code: str) -> HttpResponse:
    """A community's profile, compounds, indicators and survey status."""
    community = access_community(request.user, code)
    return render(request, DETAIL, _detail_context(request, community))


@require_http_methods(["GET", "POST"])
@registry_view
def community_edit_view(request: HtmxHttpRequest, code: str) -> HttpResponse:
    """The profile form; the service's errors are shown at their fields."""
    community = access_community(request.user, code)
    _require_edit(request, community)
    form = CommunityProfileForm.for_community(community, request.POST or None)
    if request.method == "POST" and form.is_valid():
        fields = {name: form.cleaned_data[name] for name in PROFILE_FIELDS}
        try:
            community_update_profile(actor=request.user, community=community, **fields)
        except ApplicationError as exc:
            add_service_errors(form, exc, {name: name for name in PROFILE_FIELDS})
        else:
            messages.success(
                request, _("The profile of %(name)s is saved.") % {"name": community.region.name}
            )
            return redirect("regions:community_detail", code=community.region.code)
    return render(
        request,
        "regions/pages/community_edit.html",
        {
            "community": community,
            "form": form,
            "crumbs": _crumbs(request.user, community, _("Edit profile")),
        },
    )


# ---------------------------------------------------------------------------- compounds


COMPOUND_ERRORS = {name: name for name in COMPOUND_FIELDS}  # service field → form field


def _compound_data(form: CompoundForm) -> dict[str, Any]:
    return {name: form.cleaned_data.get(name) for name in COMPOUND_FIELDS}


@require_http_methods(["GET", "POST"])
@registry_view
def community_compounds_view(request: HtmxHttpRequest, code: str) -> HttpResponse:
    """GET: the compounds section (htmx; cancels an edit). POST: add a compound."""
    community = access_community(request.user, code)
    if request.method == "GET":
        if not request.htmx:
            return _back(community, "compounds")
        return _section(request, community, "compounds")
    _require_edit(request, community)
    form = CompoundForm(request.POST, prefix="new")
    if form.is_valid():
        try:
            compound = compound_create(
                actor=request.user, community=community, **_compound_data(form)
            )
        except ApplicationError as exc:
            add_service_errors(form, exc, COMPOUND_ERRORS)
        else:
            if not request.htmx:
                messages.success(request, _("Compound %(name)s added.") % {"name": compound.name})
                return _back(community, "compounds")
            return _section(request, community, "compounds")
    return _section(request, community, "compounds", add_form=form)


@require_http_methods(["GET", "POST"])
@registry_view
def community_compound_edit_view(request: HtmxHttpRequest, code: str, pk: int) -> HttpResponse:
    """GET: the compounds section with this compound's row as a form. POST: save it."""
    community = access_community(request.user, code)
    compound = community_compound(community, pk)
    _require_edit(request, community)
    if request.method == "GET":
        return _section(request, community, "compounds", editing_compound=compound.pk)
    form = CompoundForm.for_compound(compound, request.POST)
    if form.is_valid():
        try:
            compound_update(actor=request.user, compound=compound, **_compound_data(form))
        except ApplicationError as exc:
            add_service_errors(form, exc, COMPOUND_ERRORS)
        else:
            if not request.htmx:
                messages.success(request, _("Compound %(name)s saved.") % {"name": compound.name})
                return _back(community, "compounds")
            return _section(request, community, "compounds")
    return _section(
        request, community, "compounds", compound_form=form, editing_compound=compound.pk
    )


@require_POST
@registry_view
def community_compound_delete_view(request: HtmxHttpRequest, code: str, pk: int) -> HttpResponse:
    community = access_community(request.user, code)
    compound: Compound = community_compound(community, pk)
    compound_delete(actor=request.user, compound=compound)
    if not request.htmx:
        messages.success(request, _("Compound %(name)s deleted.") % {"name": compound.name})
        return _back(community, "compounds")
    return _section(request, community, "compounds")


# ---------------------------------------------------------------------------- indicators


@require_GET
@registry_view
def community_indicators_view(request: HtmxHttpRequest, code: str) -> HttpResponse:
    """The indicators section (htmx; cancels an edit)."""
    community = access_community(request.user, code)
    if not request.htmx:
        return _back(community, "indicators")
    return _section(request, community, "indicators")


@require_http_methods(["GET", "POST"])
@registry_view
def community_indicator_edit_view(
    request: HtmxHttpRequest, code: str, indicator_code: str
) -> HttpResponse:
    """GET: the indicators section with this indicator's row as a form. POST: save the row
    (an emptied value is removed)."""
    community = access_community(request.user, code)
    indicator: Indicator = indicator_by_code(indicator_code)
    _require_edit(request, community)
    if indicator.computed:
        raise Http404(_("Indicator not found."))
    if request.method == "GET":
        return _section(request, community, "indicators", editing_indicator=indicator.pk)
    this_year = date.today().year
    form = IndicatorRowForm(request.POST, indicator=indicator, years=[this_year - 1, this_year])
    if form.is_valid():
        try:
            indicator_values_update(
                actor=request.user, community=community, indicator=indicator, values=form.values()
            )
        except ApplicationError as exc:
            add_service_errors(form, exc, form.field_names())
        else:
            if not request.htmx:
                messages.success(request, _("%(indicator)s saved.") % {"indicator": indicator.name})
                return _back(community, "indicators")
            return _section(request, community, "indicators")
    return _section(
        request, community, "indicators", indicator_form=form, editing_indicator=indicator.pk
    )
