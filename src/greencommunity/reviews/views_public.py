"""Public pages, no sign-in: the list of certified communities and the verification page a
plaque's QR code opens. They show titles, places and certificate numbers, never people."""

from uuid import UUID

from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from django.views.decorators.vary import vary_on_headers

from greencommunity.core.errors import NotFound
from greencommunity.core.http import HtmxHttpRequest

from .forms_titles import PublicTitleFilterForm
from .selectors_titles import public_title, public_title_list, title_region_path

PAGE_SIZE = 50


@vary_on_headers("HX-Request")
@require_GET
def public_title_list_view(request: HtmxHttpRequest) -> HttpResponse:
    """Communities holding a valid title or one under rectification, 50 a page."""
    form = PublicTitleFilterForm(request.GET or None)
    filters = form.filters()
    page = Paginator(public_title_list(**filters), PAGE_SIZE).get_page(request.GET.get("page"))
    rows = [(t, title_region_path(t)) for t in page.object_list]
    context = {
        "form": form,
        "page_obj": page,
        "rows": rows,
        "filtered": any(filters.values()),
    }
    template = "reviews/pages/public_titles.html"
    if request.htmx and not request.htmx.history_restore_request:
        template += "#results"
    return render(request, template, context)


@never_cache  # the status shown must be the current one
@require_GET
def public_verify_view(request: HtmxHttpRequest, public_id: UUID) -> HttpResponse:
    """What a plaque's QR code opens: the title's current status; unknown ids get a 404 page
    that says the certificate was not found."""
    try:
        title = public_title(public_id)
    except NotFound:
        return render(request, "reviews/pages/public_verify_not_found.html", status=404)
    context = {"title": title, "region_path": title_region_path(title)}
    return render(request, "reviews/pages/public_verify.html", context)
