"""Public notice pages, no sign-in: the open notices, and one notice with its candidates
(community, street, county, city, proposed title — never people) and, while it runs, the
objection form. Thin adapters over `selectors_batches` and `services.objections`.

The client address for the rate limit is REMOTE_ADDR. Behind a reverse proxy every client
would share the proxy's address: a setting naming a trusted header (X-Forwarded-For as set by
our own proxy) can come later; until then deploy the limit with that in mind.
"""

from uuid import UUID

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from greencommunity.core.errors import ApplicationError, NotFound
from greencommunity.core.http import HtmxHttpRequest

from .forms_objection import ObjectionForm
from .selectors_batches import (
    accepts_objections,
    public_candidates,
    public_notice,
    public_notice_list,
)
from .services.objections import objection_submit

DETAIL = "reviews/pages/public_notice.html"
LIMITED = "reviews/pages/public_notice_limited.html"


@require_GET
def public_notice_list_view(request: HtmxHttpRequest) -> HttpResponse:
    """The notices running now (open and started), the latest first."""
    return render(
        request, "reviews/pages/public_notice_list.html", {"notices": list(public_notice_list())}
    )


@never_cache  # the form comes and goes with the period
@require_http_methods(["GET", "POST"])
def public_notice_view(request: HtmxHttpRequest, public_id: UUID) -> HttpResponse:
    """One notice; a POST sends an objection (429 when the client sent too many)."""
    try:
        notice = public_notice(public_id)
    except NotFound as exc:
        raise Http404(exc.message) from exc
    candidates = public_candidates(notice)
    accepting = accepts_objections(notice)
    form = ObjectionForm(request.POST or None, request.FILES or None, candidates=candidates)
    refused = ""
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            objection_submit(
                notice=notice,
                application=data["application"],
                reason=data["reason"],
                contact_name=data["contact_name"],
                contact_phone=data["contact_phone"],
                contact_email=data["contact_email"],
                attachment=data["attachment"],
                client_ip=request.META.get("REMOTE_ADDR", ""),
            )
        except ApplicationError as exc:
            if exc.extra.get("reason") == "rate_limited":
                return render(request, LIMITED, {"notice": notice, "message": exc.message},
                              status=429)  # fmt: skip
            field = exc.extra.get("field")
            for name, message in (exc.extra.get("errors") or {field: exc.message}).items():
                if name in form.fields:
                    form.add_error(name, message)
                else:
                    refused = message
        else:
            messages.success(
                request,
                _("Your objection was received. The reviewers will look into it before naming."),
            )
            return redirect("public:notice_detail", public_id=notice.public_id)
    context = {
        "notice": notice,
        "candidates": candidates,
        "accepting": accepting,
        "form": form,
        "refused": refused,
    }
    return render(request, DETAIL, context)
