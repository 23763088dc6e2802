"""A region's division changes (区划变更): the list of changes that touched it or a region
below it, and for administrators a form to record one.

Anyone who may see the region sees its changes; only an administrator over it may record
one (a 403 otherwise). Thin adapter: reads through `selectors_changes`, the write through
`services.changes`.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as HttpPermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods
from django.views.decorators.vary import vary_on_headers

from greencommunity.core.errors import ApplicationError, NotFound
from greencommunity.core.http import HtmxHttpRequest

from .forms_changes import SERVICE_FIELDS, DivisionChangeForm
from .policies import can_edit_tree
from .selectors import access_region
from .selectors_changes import division_change_leftovers, division_changes_under, is_valid_on
from .services.changes import division_change_record
from .views import _crumbs

PAGE_SIZE = 25


@vary_on_headers("HX-Request")
@login_required
@require_http_methods(["GET", "POST"])
def region_changes_view(request: HtmxHttpRequest, code: str) -> HttpResponse:
    try:
        region = access_region(request.user, code)
    except NotFound as exc:
        raise Http404(exc.message) from exc
    may_record = can_edit_tree(request.user, region)
    if request.method == "POST" and not may_record:
        raise HttpPermissionDenied
    form = None
    if may_record:
        form = DivisionChangeForm(
            request.POST or None,
            initial={"old_codes": region.code, "effective_on": timezone.localdate()},
        )
    if request.method == "POST" and form is not None and form.is_valid():
        try:
            change = division_change_record(actor=request.user, **form.service_arguments())
        except ApplicationError as exc:
            form.add_error(SERVICE_FIELDS.get(str(exc.extra.get("field", ""))), exc.message)
        else:
            messages.success(
                request,
                _("Recorded: %(change)s, %(codes)s.")
                % {"change": change, "codes": ", ".join(form.cleaned_data["old_codes"])},
            )
            kept = division_change_leftovers(change).count()
            if kept:
                messages.warning(
                    request,
                    ngettext(
                        "%(count)d indicator value stayed on the old community: the new one "
                        "already had a value for that indicator and year.",
                        "%(count)d indicator values stayed on the old communities: the new one "
                        "already had a value for that indicator and year.",
                        kept,
                    )
                    % {"count": kept},
                )
            return redirect("regions:region_changes", code=region.code)
    page = Paginator(division_changes_under(region), PAGE_SIZE).get_page(request.GET.get("page"))
    template = "regions/pages/changes_list.html"
    if request.htmx and not request.htmx.history_restore_request:
        template += "#changes"
    return render(
        request,
        template,
        {
            "region": region,
            "valid_today": is_valid_on(region, timezone.localdate()),
            "page_obj": page,
            "form": form,
            "crumbs": [*_crumbs(request.user, region), {"label": _("Division changes"), "url": ""}],
        },
    )
