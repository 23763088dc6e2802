"""What the standards pages share: the decorator mapping the services' NotFound to 404 and
PermissionDenied to 403, loading a standard the actor may change, breadcrumbs, downloads."""

from typing import Any

from django.http import HttpResponse
from django.urls import reverse
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _

from greencommunity.core.errors import PermissionDenied
from greencommunity.core.http import signed_in_view

from ..models import Standard
from ..policies import can_edit_standard
from ..selectors_versions import access_standard

standards_view = signed_in_view  # signed in; NotFound → 404, PermissionDenied → 403


def editable_standard(actor: Any, standard_id: int) -> Standard:
    """The standard, if the actor may see it (else NotFound) and change it (else
    PermissionDenied). Whether it is still a draft is the services' rule."""
    standard = access_standard(actor, standard_id)
    if not can_edit_standard(actor, standard):
        raise PermissionDenied(_("You may not change this standard."))
    return standard


def list_crumbs() -> list[dict[str, str]]:
    return [
        {"label": _("Home"), "url": reverse("core:home")},
        {"label": _("Creation standards"), "url": reverse("standards:list")},
    ]


def standard_crumbs(standard: Standard, *extra: str) -> list[dict[str, str]]:
    """Home > Creation standards > the standard (> extra)."""
    detail = reverse("standards:detail", args=[standard.pk])
    return [
        *list_crumbs(),
        {"label": f"{standard.name} v{standard.version}", "url": detail if extra else ""},
        *({"label": label, "url": ""} for label in extra),
    ]


def download(content: bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(
        as_attachment=True, filename=filename
    )
    return response
