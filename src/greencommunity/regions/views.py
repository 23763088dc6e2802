"""The region tree: the actor's top regions, and one region with its children."""

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _

from greencommunity.access.policies import can_view_region
from greencommunity.audit.policies import can_view_audit_for_region
from greencommunity.core.errors import NotFound

from .models import Region
from .selectors import access_region, region_breadcrumbs, region_children, region_roots


def _crumbs(actor: Any, region: Region | None = None) -> list[dict[str, str]]:
    """Home > Regions > province > city > county > street > community; ancestors outside the
    actor's scope are named but not linked."""
    crumbs = [
        {"label": _("Home"), "url": reverse("core:home")},
        {"label": _("Regions"), "url": reverse("regions:region_list")},
    ]
    if region is not None:
        crumbs += [
            {
                "label": r.name,
                "url": reverse("regions:region_detail", args=[r.code])
                if can_view_region(actor, r)
                else "",
            }
            for r in region_breadcrumbs(region)
        ]
    return crumbs


@login_required
def region_list_view(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "regions/pages/region_list.html",
        {"regions": region_roots(request.user), "crumbs": _crumbs(request.user)},
    )


@login_required
def region_detail_view(request: HttpRequest, code: str) -> HttpResponse:
    try:
        region = access_region(request.user, code)
    except NotFound as exc:
        raise Http404(exc.message) from exc
    return render(
        request,
        "regions/pages/region_detail.html",
        {
            "region": region,
            "children": region_children(request.user, region),
            "crumbs": _crumbs(request.user, region),
            "can_view_audit": can_view_audit_for_region(request.user, region.code),
        },
    )
