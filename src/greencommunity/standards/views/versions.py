"""Versions, refinement and adoption on the web: publish a draft, start a new version of a
published standard, derive a region's refinement, and a region's page with the standard in
force there, its adoption history and the adopt form. Writes go through `services.versions`."""

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from greencommunity.access.policies import can_view_region
from greencommunity.core.errors import ApplicationError, NotFound, PermissionDenied
from greencommunity.core.http import HtmxHttpRequest
from greencommunity.regions.forms import add_service_errors
from greencommunity.regions.selectors import access_region, region_breadcrumbs, region_roots

from ..forms import AdoptForm, DeriveForm
from ..models import Standard
from ..policies import can_adopt_standard, can_view_standard
from ..selectors_versions import access_standard, adoption_history, standard_in_force
from ..services.versions import (
    standard_adopt,
    standard_derive,
    standard_new_version,
    standard_publish,
)
from .common import editable_standard, list_crumbs, standard_crumbs, standards_view
from .reads import adoptable_standards, derive_regions


def _detail(standard_id: int) -> HttpResponse:
    return redirect("standards:detail", pk=standard_id)


@require_POST
@standards_view
def standard_publish_view(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    """Publish a consistent draft; the problems that keep it a draft are listed on its page."""
    standard = editable_standard(request.user, pk)
    try:
        standard_publish(actor=request.user, standard=standard)
    except (NotFound, PermissionDenied):
        raise
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("%(standard)s is published.") % {"standard": standard})
    return _detail(standard.pk)


@require_POST
@standards_view
def standard_new_version_view(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    """A new draft version of a published standard; an existing draft is opened instead."""
    standard = editable_standard(request.user, pk)
    try:
        new = standard_new_version(actor=request.user, standard=standard)
    except (NotFound, PermissionDenied):
        raise
    except ApplicationError as exc:
        messages.error(request, exc.message)
        draft = exc.extra.get("draft")
        return _detail(draft if isinstance(draft, int) else standard.pk)
    messages.success(
        request,
        _("Version %(version)d is a draft: edit it, then publish it.") % {"version": new.version},
    )
    return _detail(new.pk)


@require_http_methods(["GET", "POST"])
@standards_view
def standard_derive_view(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    """Refine a published standard into a draft of a region the user manages."""
    parent = access_standard(request.user, pk)
    regions = derive_regions(request.user, parent)
    if not regions.exists():
        raise PermissionDenied(_("You manage no region this standard may serve."))
    form = DeriveForm(request.POST or None, regions=regions)
    if request.method == "POST" and form.is_valid():
        try:
            child = standard_derive(
                actor=request.user,
                parent=parent,
                region=form.cleaned_data["region"],
                key=form.cleaned_data["key"],
                name=form.cleaned_data["name"],
            )
        except (NotFound, PermissionDenied):
            raise
        except ApplicationError as exc:
            add_service_errors(form, exc, {"key": "key", "name": "name", "region": "region"})
        else:
            messages.success(
                request,
                _("%(name)s is a draft refining %(parent)s: adapt it, then publish it.")
                % {"name": child.name, "parent": parent},
            )
            return _detail(child.pk)
    context = {
        "standard": parent,
        "form": form,
        "crumbs": standard_crumbs(parent, _("Refine for a region")),
    }
    return render(request, "standards/pages/standard_derive.html", context)


@require_GET
@standards_view
def region_standard_home_view(request: HtmxHttpRequest) -> HttpResponse:
    """The standard in force: for the user's home region, else their first region."""
    home = getattr(request.user, "home_region", None)
    if home is not None:
        try:
            region = access_region(request.user, home.code)
        except NotFound:
            region = None
        if region is not None:
            return redirect("standards:region", code=region.code)
    root = region_roots(request.user).first()
    if root is None:
        raise NotFound(_("Region not found."))
    return redirect("standards:region", code=root.code)


@require_http_methods(["GET", "POST"])
@standards_view
def region_standard_view(request: HtmxHttpRequest, code: str) -> HttpResponse:
    """The standard in force in a region (its own adoption or inherited), the region's
    adoptions, and the adopt form for those who may adopt there."""
    region = access_region(request.user, code)
    adoptable = [
        s
        for s in adoptable_standards(request.user, region)
        if can_adopt_standard(request.user, region, s)
    ]
    choices = Standard.objects.filter(pk__in=[s.pk for s in adoptable]).order_by(
        "issuing_code", "key", "-version"
    )
    form = AdoptForm(request.POST or None, standards=choices) if adoptable else None
    if request.method == "POST":
        if form is None:
            raise PermissionDenied(
                _("You may not adopt standards for %(region)s.") % {"region": region}
            )
        if form.is_valid():
            standard, day = form.values()
            try:
                standard_adopt(
                    actor=request.user, region=region, standard=standard, effective_from=day
                )
            except (NotFound, PermissionDenied):
                raise
            except ApplicationError as exc:
                add_service_errors(
                    form, exc, {"standard": "standard", "effective_from": "effective_from"}
                )
            else:
                messages.success(
                    request,
                    _("%(standard)s is in force in %(region)s from %(day)s.")
                    % {"standard": standard, "region": region.name, "day": day.isoformat()},
                )
                return redirect(reverse("standards:region", args=[region.code]))
    in_force = standard_in_force(region)
    history = list(adoption_history(region))
    context = {
        "region": region,
        "in_force": in_force,
        "in_force_visible": in_force is not None
        and can_view_standard(request.user, in_force.standard),
        "history": history,
        "visible_ids": {
            a.standard_id for a in history if can_view_standard(request.user, a.standard)
        },
        "form": form,
        "path": [(r, can_view_region(request.user, r)) for r in region_breadcrumbs(region)],
        "crumbs": [*list_crumbs(), {"label": region.name, "url": ""}],
    }
    return render(request, "standards/pages/region_standard.html", context)
