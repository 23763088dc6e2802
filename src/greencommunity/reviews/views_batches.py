"""The batch pages of the review chains, for the officials who run them (mounted at
/reviews/batches/): the province's sampling draws (fix the seed, draw, inspect, decide the
batch), public notices (publish, read and resolve objections, close) and naming decisions
(name a batch, download the decision's PDF).

Thin adapters over `selectors_batches`, `policies_batches` and the batch services: a draw,
notice, objection or region outside the user's view is a 404, an action the user may not take a
403; every write is a POST whose refusal is shown at the field the service names, or as a
message on the page it came from.
"""

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied as HttpPermissionDenied
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from greencommunity.core.errors import ApplicationError, NotFound, PermissionDenied
from greencommunity.core.http import HtmxHttpRequest
from greencommunity.documents.pdf import PDF_CONTENT_TYPE

from .forms_batches import (
    BatchDecisionForm,
    DrawForm,
    InspectionForm,
    NamingForm,
    NoticeForm,
    ResolveForm,
)
from .policies_batches import (
    can_close_notice,
    can_create_notice,
    can_manage_sampling_draw,
    can_name,
    can_resolve_objection,
)
from .selectors_batches import (
    access_batch_region,
    access_naming_decision,
    access_notice,
    access_objection,
    access_sampling_draw,
    batch_regions,
    naming_candidates,
    naming_decision_list,
    notice_candidates,
    notice_list,
    objection_list,
    public_candidates,
    sampling_candidates,
    sampling_draw_list,
    sampling_items,
)
from .services import (
    naming_decide,
    notice_close,
    notice_create,
    objection_resolve,
    sampling_decide,
    sampling_draw_create,
    sampling_draw_run,
    sampling_inspect,
)
from .views_applications import application_view

batch_view = application_view  # signed in; NotFound is a 404, PermissionDenied a 403


def act(request: HtmxHttpRequest, call: Callable[[], Any], success: str) -> bool:
    """Run a service call: its refusal as an error message (a NotFound or PermissionDenied
    goes on to the 404 or 403), else `success` as a message. Whether it succeeded."""
    try:
        call()
    except (NotFound, PermissionDenied):
        raise
    except ApplicationError as exc:
        messages.error(request, exc.message)
        return False
    messages.success(request, success)
    return True


def crumbs(*extra: dict[str, str]) -> list[dict[str, str]]:
    return [
        {"label": _("Home"), "url": reverse("core:home")},
        {"label": _("Batches"), "url": reverse("batches:index")},
        *extra,
    ]


def show_refusal(form: forms.Form, exc: ApplicationError) -> None:
    """Put the service's refusal at the fields it names (else on the form as a whole)."""
    errors = exc.extra.get("errors") or {exc.extra.get("field"): exc.message}
    for field, message in errors.items():
        form.add_error(field if field in form.fields else None, message)


@require_GET
@batch_view
def batch_index_view(request: HtmxHttpRequest) -> HttpResponse:
    user = request.user
    context = {
        "regions": [
            (row, DrawForm(auto_id=f"id_draw{row.region.pk}_%s")) for row in batch_regions(user)
        ],
        "draws": list(sampling_draw_list(user)[:20]),
        "notices": list(notice_list(user)[:20]),
        "decisions": list(naming_decision_list(user)[:20]),
        "crumbs": [
            {"label": _("Home"), "url": reverse("core:home")},
            {"label": _("Batches"), "url": ""},
        ],
    }
    return render(request, "reviews/pages/batch_index.html", context)


# ---------------------------------------------------------------------------- sampling


@require_POST
@batch_view
def draw_create_view(request: HtmxHttpRequest, region_id: int) -> HttpResponse:
    province = access_batch_region(request.user, region_id)
    form = DrawForm(request.POST)
    if form.is_valid():
        try:
            draw = sampling_draw_create(actor=request.user, province=province,
                                        share=form.cleaned_data["share"],
                                        seed=form.cleaned_data["seed"] or None)  # fmt: skip
        except (NotFound, PermissionDenied):
            raise
        except ApplicationError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("The seed is fixed: %(seed)s.") % {"seed": draw.seed})
            return redirect("batches:draw_detail", draw_id=draw.pk)
    else:
        messages.error(request, _("Give the share sampled."))
    return redirect("batches:index")


def _draw_context(request: HtmxHttpRequest, draw: Any, decide_form: Any = None) -> dict[str, Any]:
    items = list(sampling_items(draw))
    return {
        "draw": draw,
        "items": items,
        "can_manage": can_manage_sampling_draw(request.user, draw),
        "candidates": sampling_candidates(draw) if draw.status == "open" else [],
        "inspection_form": InspectionForm(),
        "decide_form": decide_form or BatchDecisionForm(),
        "pending": [i for i in items if i.sampled and i.result == "pending"],
        "crumbs": crumbs({"label": _("Sampling draw %(seed)s") % {"seed": draw.seed}, "url": ""}),
    }


@require_GET
@batch_view
def draw_detail_view(request: HtmxHttpRequest, draw_id: int) -> HttpResponse:
    draw = access_sampling_draw(request.user, draw_id)
    return render(request, "reviews/pages/batch_draw.html", _draw_context(request, draw))


@require_POST
@batch_view
def draw_run_view(request: HtmxHttpRequest, draw_id: int) -> HttpResponse:
    draw = access_sampling_draw(request.user, draw_id)
    act(
        request,
        lambda: sampling_draw_run(actor=request.user, draw=draw),
        _("The sample was drawn."),
    )
    return redirect("batches:draw_detail", draw_id=draw.pk)


@require_POST
@batch_view
def draw_inspect_view(request: HtmxHttpRequest, draw_id: int, item_id: int) -> HttpResponse:
    draw = access_sampling_draw(request.user, draw_id)
    item = sampling_items(draw).filter(pk=item_id).first()
    if item is None:
        raise Http404(_("Sampled application not found."))
    form = InspectionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose passed or failed."))
    else:
        community = item.application.community.region.name
        act(request, lambda: sampling_inspect(actor=request.user, item=item, **form.cleaned_data),
            _("Inspection of %(community)s recorded.") % {"community": community})  # fmt: skip
    return redirect(reverse("batches:draw_detail", args=[draw.pk]) + f"#item-{item.pk}")


@require_POST
@batch_view
def draw_decide_view(request: HtmxHttpRequest, draw_id: int) -> HttpResponse:
    draw = access_sampling_draw(request.user, draw_id)
    if not can_manage_sampling_draw(request.user, draw):
        raise HttpPermissionDenied(_("The sampling inspection of this province is not yours."))
    form = BatchDecisionForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            sampling_decide(actor=request.user, draw=draw, **form.cleaned_data)
        except (NotFound, PermissionDenied):
            raise
        except ApplicationError as exc:
            show_refusal(form, exc)
        else:
            messages.success(request, _("The batch was decided."))
            return redirect("batches:draw_detail", draw_id=draw.pk)
    context = _draw_context(request, draw, decide_form=form)
    return render(request, "reviews/pages/batch_draw.html", context, status=200)


# ---------------------------------------------------------------------------- notices


@require_http_methods(["GET", "POST"])
@batch_view
def notice_new_view(request: HtmxHttpRequest, region_id: int) -> HttpResponse:
    region = access_batch_region(request.user, region_id)
    if not can_create_notice(request.user, region):
        raise HttpPermissionDenied(_("The public notices of this region are not yours."))
    candidates = notice_candidates(region.code, region.level)
    form = NoticeForm(request.POST or None, candidates=candidates)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            notice = notice_create(actor=request.user, region=region, heading=data["heading"],
                                   body=data["body"], application_ids=data["applications"],
                                   starts_on=data["starts_on"], period_days=data["period_days"],
                                   day_basis=data["day_basis"])  # fmt: skip
        except (NotFound, PermissionDenied):
            raise
        except ApplicationError as exc:
            show_refusal(form, exc)
        else:
            messages.success(request, _("The notice is published."))
            return redirect("batches:notice_detail", notice_id=notice.pk)
    context = {
        "region": region,
        "form": form,
        "candidates": candidates,
        "crumbs": crumbs({"label": _("New public notice"), "url": ""}),
    }
    return render(request, "reviews/pages/batch_notice_new.html", context)


@require_GET
@batch_view
def notice_detail_view(request: HtmxHttpRequest, notice_id: int) -> HttpResponse:
    notice = access_notice(request.user, notice_id)
    objections = objection_list(request.user, notice=notice)
    context = {
        "notice": notice,
        "candidates": public_candidates(notice),
        "objections": objections,
        "open_objections": [v for v in objections if v.objection.status == "open"],
        "can_close": can_close_notice(request.user, notice) and notice.status == "open",
        "period_over": timezone.localdate() > notice.ends_on,
        "resolve_form": ResolveForm(),
        "crumbs": crumbs({"label": notice.heading, "url": ""}),
    }
    return render(request, "reviews/pages/batch_notice.html", context)


@require_POST
@batch_view
def notice_close_view(request: HtmxHttpRequest, notice_id: int) -> HttpResponse:
    notice = access_notice(request.user, notice_id)
    act(request, lambda: notice_close(actor=request.user, notice=notice),
        _("The notice is closed; its candidates wait for naming."))  # fmt: skip
    return redirect("batches:notice_detail", notice_id=notice.pk)


@require_POST
@batch_view
def objection_resolve_view(request: HtmxHttpRequest, objection_id: int) -> HttpResponse:
    objection = access_objection(request.user, objection_id)
    form = ResolveForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose the decision and give the reason."))
    else:
        decision = form.cleaned_data["decision"]
        act(request, lambda: objection_resolve(
            actor=request.user, objection=objection, upheld=decision != "dismiss",
            resolution=form.cleaned_data["resolution"],
            outcome=None if decision == "dismiss" else decision,
        ), _("The objection is resolved."))  # fmt: skip
    url = reverse("batches:notice_detail", args=[objection.notice_id])
    return redirect(f"{url}#objection-{objection.pk}")


@require_GET
@batch_view
def objection_attachment_view(request: HtmxHttpRequest, objection_id: int) -> FileResponse:
    """The objector's file: for the deciders only (a 404 for everyone else)."""
    objection = access_objection(request.user, objection_id)
    if not can_resolve_objection(request.user, objection) or not objection.attachment:
        raise Http404(_("Attachment not found."))
    try:
        handle = objection.attachment.open("rb")
    except (FileNotFoundError, OSError):
        raise Http404(_("Attachment not found.")) from None
    response = FileResponse(handle, as_attachment=True,
                            filename=objection.attachment_name or "attachment")  # fmt: skip
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "private, no-store"
    return response


# ---------------------------------------------------------------------------- naming


@require_http_methods(["GET", "POST"])
@batch_view
def naming_new_view(request: HtmxHttpRequest, region_id: int) -> HttpResponse:
    region = access_batch_region(request.user, region_id)
    if not can_name(request.user, region):
        raise HttpPermissionDenied(_("The naming decisions of this region are not yours."))
    candidates = naming_candidates(region.code, region.level)
    form = NamingForm(request.POST or None, candidates=candidates)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            decision = naming_decide(actor=request.user, region=region,
                                     application_ids=data.pop("applications"), **data)  # fmt: skip
        except (NotFound, PermissionDenied):
            raise
        except ApplicationError as exc:
            show_refusal(form, exc)
        else:
            messages.success(request, _("%(number)s is issued: %(count)d communities named.")
                             % {"number": decision.document_number,
                                "count": decision.titles.count()})  # fmt: skip
            return redirect("batches:index")
    context = {
        "region": region,
        "form": form,
        "candidates": candidates,
        "crumbs": crumbs({"label": _("New naming decision"), "url": ""}),
    }
    return render(request, "reviews/pages/batch_naming_new.html", context)


@require_GET
@batch_view
def naming_document_view(request: HtmxHttpRequest, decision_id: int) -> FileResponse:
    decision = access_naming_decision(request.user, decision_id)
    if not decision.document:
        raise Http404(_("Document not found."))
    try:
        handle = decision.document.open("rb")
    except (FileNotFoundError, OSError):
        raise Http404(_("Document not found.")) from None
    return FileResponse(handle, content_type=PDF_CONTENT_TYPE, as_attachment=True,
                        filename=f"命名决定-{decision.document_number}.pdf")  # fmt: skip
