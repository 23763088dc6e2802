"""Registry imports on the web (upload → preview with errors → confirm, as jobs) and the
baseline survey coverage report."""

from datetime import date
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from greencommunity.core.errors import NotFound
from greencommunity.core.http import HtmxHttpRequest
from greencommunity.documents.models import Job
from greencommunity.documents.policies import scope_jobs
from greencommunity.documents.services import job_create
from greencommunity.documents.xlsx import XLSX_CONTENT_TYPE

from .exports import registry_export
from .forms_import import RegistryUploadForm
from .jobs import IMPORTS
from .policies import import_kinds_allowed
from .selectors import access_region, region_roots
from .selectors_survey import survey_coverage
from .templates_xlsx import registry_template, survey_xlsx

JOB_KINDS = {
    "regions": "registry.regions",
    "compounds": "registry.compounds",
    "indicators": "registry.indicators",
}


def _kind(actor: Any, kind: str) -> str:
    if kind not in import_kinds_allowed(actor):
        raise Http404
    return kind


@require_http_methods(["GET", "POST"])
@login_required
def registry_import_view(request: HtmxHttpRequest, kind: str = "") -> HttpResponse:
    allowed = import_kinds_allowed(request.user)
    if not allowed:
        raise Http404
    kind = _kind(request.user, kind or allowed[-1])
    job_kind = JOB_KINDS[kind]
    form = RegistryUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        job = job_create(
            actor=request.user,
            kind=job_kind,
            params={"dry_run": True, "return_url": reverse("registry:import", args=[kind])},
            upload=form.cleaned_data["file"],
        )
        return redirect("documents:job_detail", job_id=job.pk)
    jobs = scope_jobs(request.user, Job.objects.filter(kind=job_kind)).order_by("-created_at")
    context = {
        "form": form,
        "kind": kind,
        "kinds": [(k, IMPORTS[JOB_KINDS[k]][0]) for k in allowed],
        "jobs": jobs[:10],
        "crumbs": [{"label": _("Import registry data"), "url": ""}],
    }
    return render(request, "regions/pages/registry_import.html", context)


@require_GET
@login_required
def registry_template_view(request: HtmxHttpRequest, kind: str) -> HttpResponse:
    kind = _kind(request.user, kind)
    response = HttpResponse(registry_template(kind), content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = content_disposition_header(
        as_attachment=True, filename=f"{TEMPLATE_NAMES[kind]}.xlsx"
    )
    return response


TEMPLATE_NAMES = {"regions": "区划与社区导入模板", "compounds": "小区导入模板",
                  "indicators": "年度指标导入模板"}  # fmt: skip


def _survey_region_and_year(request: HtmxHttpRequest) -> tuple[Any, int]:
    code = request.GET.get("region", "")
    try:
        region = access_region(request.user, code) if code else region_roots(request.user)[0]
    except (NotFound, IndexError) as exc:
        raise Http404 from exc
    try:
        year = int(request.GET.get("year", "") or date.today().year)
    except ValueError as exc:
        raise Http404 from exc
    if not 2000 <= year <= date.today().year:
        raise Http404
    return region, year


@require_GET
@login_required
def survey_view(request: HtmxHttpRequest) -> HttpResponse:
    """Baseline survey coverage of a region: counts, by child region, and what is missing."""
    region, year = _survey_region_and_year(request)
    coverage = survey_coverage(request.user, region, year)
    page = Paginator(coverage.gaps, 50).get_page(request.GET.get("page"))
    context = {
        "coverage": coverage,
        "page_obj": page,
        "gaps": page.object_list,
        "years": list(range(date.today().year, date.today().year - 5, -1)),
        "crumbs": [{"label": _("Baseline survey"), "url": ""}],
    }
    return render(request, "regions/pages/survey.html", context)


@require_GET
@login_required
def survey_export_view(request: HtmxHttpRequest) -> HttpResponse:
    region, year = _survey_region_and_year(request)
    content = survey_xlsx(survey_coverage(request.user, region, year))
    response = HttpResponse(content, content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = content_disposition_header(
        as_attachment=True, filename=f"摸底调查-{region.name}-{year}.xlsx"
    )
    return response


@require_GET
@login_required
def registry_export_view(request: HtmxHttpRequest) -> HttpResponse:
    """The regions and community profiles the user sees (under `?region=CODE`), in the import
    layout, as xlsx (or csv with `?format=csv`)."""
    code = request.GET.get("region", "")
    try:
        region = access_region(request.user, code) if code else None
    except NotFound as exc:
        raise Http404 from exc
    fmt = "csv" if request.GET.get("format") == "csv" else "xlsx"
    content = registry_export(request.user, region_code=region.code if region else "", fmt=fmt)
    response = HttpResponse(
        content, content_type="text/csv; charset=utf-8" if fmt == "csv" else XLSX_CONTENT_TYPE
    )
    name = f"区划与社区-{region.name if region else '全部'}-{date.today():%Y%m%d}.{fmt}"
    response["Content-Disposition"] = content_disposition_header(as_attachment=True, filename=name)
    return response
