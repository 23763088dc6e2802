"""Evidence files of an assessment's answers: upload (several at once), delete, and serve the
file or its thumbnail to readers of the assessment only.

Files are streamed from storage with the content type sniffed at upload, `nosniff`, and a
sandboxing Content-Security-Policy; photos are shown inline, PDF and Word documents download.
"""

from django.contrib import messages
from django.http import FileResponse, Http404, HttpResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from greencommunity.core.errors import ApplicationError, NotFound, PermissionDenied
from greencommunity.core.http import HtmxHttpRequest

from ..models import Evidence, EvidenceKind
from ..policies import can_edit_assessment
from ..selectors import access_assessment, access_evidence
from ..selectors_page import assessment_criterion
from ..services.evidence import evidence_add, evidence_delete
from .common import assessment_view, evidence_response

ACCEPT = "image/*,.pdf,.doc,.docx"


@require_POST
@assessment_view
def evidence_upload_view(request: HtmxHttpRequest, pk: int, criterion_id: int) -> HttpResponse:
    """Attach the posted files (`files`, one or more) to a criterion's answer; each file is
    checked on its own, so a refused one names itself and the others are kept."""
    assessment = access_assessment(request.user, pk)
    criterion = assessment_criterion(assessment, criterion_id)
    if not can_edit_assessment(request.user, assessment):
        raise PermissionDenied(_("You may not change the self-assessment of this community."))
    uploads = request.FILES.getlist("files")
    errors: list[str] = []
    added = 0
    if not uploads:
        errors.append(_("Choose one or more files to upload."))
    for upload in uploads:
        try:
            evidence_add(
                actor=request.user, assessment=assessment, criterion_id=criterion.pk,
                upload=upload,
            )  # fmt: skip
        except (NotFound, PermissionDenied):
            raise
        except ApplicationError as exc:
            errors.append(exc.message)
        else:
            added += 1
    if not request.htmx and added and not errors:
        messages.success(
            request,
            _("%(count)d file(s) added to criterion %(number)d.")
            % {"count": added, "number": criterion.number},
        )
    return evidence_response(request, assessment, criterion.pk, errors=errors)


@require_POST
@assessment_view
def evidence_delete_view(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    evidence = access_evidence(request.user, pk)
    assessment = evidence.answer.assessment
    try:
        evidence_delete(actor=request.user, evidence=evidence)
    except (NotFound, PermissionDenied):
        raise
    except ApplicationError as exc:
        return evidence_response(
            request, assessment, evidence.answer.criterion_id, errors=[exc.message]
        )
    if not request.htmx:
        messages.success(request, _("%(name)s deleted.") % {"name": evidence.original_name})
    return evidence_response(request, assessment, evidence.answer.criterion_id)


def _serve(evidence: Evidence, *, thumbnail: bool) -> FileResponse:
    stored = evidence.thumbnail if thumbnail else evidence.file
    if not stored:
        raise Http404(_("Evidence file not found."))
    try:
        handle = stored.open("rb")
    except (FileNotFoundError, OSError):
        raise Http404(_("Evidence file not found.")) from None
    inline = thumbnail or evidence.kind == EvidenceKind.IMAGE
    name = evidence.original_name
    if thumbnail:
        name = f"{name.rsplit('.', 1)[0]}.thumb.jpg"
    response = FileResponse(
        handle,
        content_type="image/jpeg" if thumbnail else evidence.content_type,
        as_attachment=not inline,
        filename=name,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "private, max-age=3600"
    return response


@require_GET
@assessment_view
def evidence_file_view(request: HtmxHttpRequest, pk: int) -> FileResponse:
    return _serve(access_evidence(request.user, pk), thumbnail=False)


@require_GET
@assessment_view
def evidence_thumbnail_view(request: HtmxHttpRequest, pk: int) -> FileResponse:
    return _serve(access_evidence(request.user, pk), thumbnail=True)
