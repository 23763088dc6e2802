"""Reading the audit trail: events of a region subtree, or of one object."""

from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _

from greencommunity.core.errors import NotFound
from greencommunity.core.http import HtmxHttpRequest
from greencommunity.regions.models import Region
from greencommunity.regions.selectors import access_region

from .labels import verb_label
from .policies import can_view_audit_for_region
from .selectors import event_list

PAGE_SIZE = 50


def _page(request: HttpRequest, events: Any) -> Any:
    page = Paginator(events, PAGE_SIZE).get_page(request.GET.get("page"))
    names = dict(
        Region.objects.filter(code__in={e.region_code for e in page if e.region_code}).values_list(
            "code", "name"
        )
    )
    for event in page:
        event.verb_label = verb_label(event.verb)
        event.region_name = names.get(event.region_code, "")
    return page


def _render(request: HtmxHttpRequest, context: dict[str, Any]) -> HttpResponse:
    """The page, or with htmx only its `events` partial (pagination)."""
    template = "audit/pages/event_list.html"
    if request.htmx and not request.htmx.history_restore_request:
        template += "#events"
    return render(request, template, context)


@login_required
def event_list_view(request: HtmxHttpRequest) -> HttpResponse:
    """Events the user may read, optionally narrowed to a region's subtree (`?region=CODE`)."""
    code = request.GET.get("region", "").strip()
    region = None
    crumbs = [{"label": _("Home"), "url": reverse("core:home")}]
    if code:
        try:
            region = access_region(request.user, code)
        except NotFound as exc:
            raise Http404(exc.message) from exc
        if not can_view_audit_for_region(request.user, region.code):
            raise Http404(_("Region not found."))
        crumbs.append({"label": _("Audit trail"), "url": reverse("audit:event_list")})
        crumbs.append({"label": region.name, "url": ""})
    else:
        crumbs.append({"label": _("Audit trail"), "url": ""})
    page = _page(request, event_list(request.user, region_code=code))
    return _render(request, {"page_obj": page, "region": region, "crumbs": crumbs})


@login_required
def object_events_view(request: HtmxHttpRequest, target_type: str, target_id: str) -> HttpResponse:
    """The history of one object; 404 when the user may read none of it."""
    events = event_list(request.user, target_type=target_type, target_id=target_id)
    page = _page(request, events)
    if not page.object_list:
        raise Http404(_("No audit events found."))
    label = page.object_list[0].target_label or f"{target_type} #{target_id}"
    crumbs = [
        {"label": _("Home"), "url": reverse("core:home")},
        {"label": _("Audit trail"), "url": reverse("audit:event_list")},
        {"label": label, "url": ""},
    ]
    return _render(
        request, {"page_obj": page, "object_label": label, "crumbs": crumbs, "by_object": True}
    )
