"""Importing a standard from an xlsx workbook (laid out as the template) or a JSON file (the
export format) as a new draft. The file is checked as a whole first: any problem is listed with
its row, column, value and reason, and nothing is written."""

import json
from typing import Any

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from greencommunity.core.errors import ApplicationError, NotFound, PermissionDenied, RowError
from greencommunity.core.http import HtmxHttpRequest
from greencommunity.documents.xlsx import row_error

from ..forms import StandardImportForm
from ..services.transfer import StandardImport, standard_import_json, standard_import_xlsx
from .common import list_crumbs, standards_view
from .reads import may_import


def _import(actor: Any, fmt: str, data: bytes, dry_run: bool) -> StandardImport:
    if fmt == "xlsx":
        return standard_import_xlsx(actor=actor, data=data, dry_run=dry_run)
    try:
        payload = json.loads(data.decode("utf-8-sig"))
    except (UnicodeDecodeError, ValueError) as exc:
        raise RowError(
            _("The file is not valid JSON."),
            [row_error(0, "", "", f"不是有效的 JSON：{exc}", f"not valid JSON: {exc}")],
        ) from exc
    return standard_import_json(actor=actor, payload=payload, dry_run=dry_run)


@require_http_methods(["GET", "POST"])
@standards_view
def standard_import_view(request: HtmxHttpRequest) -> HttpResponse:
    if not may_import(request.user):
        raise PermissionDenied(_("You may not import standards."))
    form = StandardImportForm(request.POST or None, request.FILES or None)
    row_errors: list[dict[str, Any]] = []
    checked: StandardImport | None = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            result = _import(
                request.user, form.file_format(), upload.read(), form.cleaned_data["dry_run"]
            )
        except RowError as exc:
            form.add_error(None, exc.message)
            row_errors = exc.errors
        except (NotFound, PermissionDenied):
            raise
        except ApplicationError as exc:
            form.add_error(None, exc.message)
        else:
            if result.dry_run or result.standard is None:
                checked = result
            else:
                messages.success(
                    request,
                    _("%(name)s is imported as draft version %(version)d.")
                    % {"name": result.name, "version": result.version},
                )
                return redirect("standards:detail", pk=result.standard.pk)
    context = {
        "form": form,
        "row_errors": row_errors,
        "checked": checked,
        "crumbs": [*list_crumbs(), {"label": _("Import a standard"), "url": ""}],
    }
    return render(request, "standards/pages/standard_import.html", context)
