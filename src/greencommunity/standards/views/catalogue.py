"""The catalogue of standards, a standard's page, and the downloads
(export as JSON or xlsx, the import template). Every read goes through the actor's scope:
a standard the actor may not see is a 404, for its page and for both exports."""

import json
from typing import Any

from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET
from django.views.decorators.vary import vary_on_headers

from greencommunity.core.http import HtmxHttpRequest
from greencommunity.documents.xlsx import XLSX_CONTENT_TYPE

from ..forms import StandardFilterForm
from ..selectors import pass_rule_text
from ..selectors_versions import access_standard, standard_in_force
from ..services.transfer import (
    standard_export_json,
    standard_export_xlsx,
    standard_template_xlsx,
)
from .common import download, list_crumbs, standards_view
from .detail import DETAIL, detail_context
from .reads import catalogue, editor_regions, region_names

PAGE_SIZE = 25


@vary_on_headers("HX-Request")
@require_GET
@standards_view
def standard_list_view(request: HtmxHttpRequest) -> HttpResponse:
    """The standards the user may see; the one in force in their home region highlighted."""
    form = StandardFilterForm(request.GET or None)
    status = form.status_value()
    page = Paginator(catalogue(request.user, status), PAGE_SIZE).get_page(request.GET.get("page"))
    home = getattr(request.user, "home_region", None)
    in_force = standard_in_force(home) if home is not None else None
    standards = list(page.object_list)
    names = region_names([s.issuing_code for s in standards])
    for s in standards:
        s.rule_text = pass_rule_text(s)  # type: ignore[attr-defined]
        s.issuing_name = names.get(s.issuing_code, "")  # type: ignore[attr-defined]
    context = {
        "form": form,
        "page_obj": page,
        "standards": standards,
        "home": home,
        "in_force": in_force,
        "in_force_id": in_force.standard.pk if in_force else None,
        "can_import": editor_regions(request.user).exists(),
        "filtered": bool(status),
        "crumbs": list_crumbs(),
    }
    template = "standards/pages/standard_list.html"
    if request.htmx and not request.htmx.history_restore_request:
        template += "#results"
    return render(request, template, context)


@require_GET
@standards_view
def standard_detail_view(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    standard = access_standard(request.user, pk)
    return render(request, DETAIL, detail_context(request, standard))


def _filename(standard: Any, ext: str) -> str:
    return f"{standard.key}-v{standard.version}.{ext}"


@require_GET
@standards_view
def standard_export_json_view(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    standard = access_standard(request.user, pk)
    content = json.dumps(standard_export_json(standard), ensure_ascii=False, indent=2)
    return download(
        content.encode(), "application/json; charset=utf-8", _filename(standard, "json")
    )


@require_GET
@standards_view
def standard_export_xlsx_view(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    standard = access_standard(request.user, pk)
    return download(standard_export_xlsx(standard), XLSX_CONTENT_TYPE, _filename(standard, "xlsx"))


@require_GET
@standards_view
def standard_template_view(request: HtmxHttpRequest) -> HttpResponse:
    return download(standard_template_xlsx(), XLSX_CONTENT_TYPE, "创建标准导入模板.xlsx")
