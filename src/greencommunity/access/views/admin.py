"""Account administration: accounts one by one and from a spreadsheet, password resets by an
administrator above the account, and role grants.

Administrators only; anyone else gets a 404, and so does an account the actor does not manage
(`access_user`). Thin adapters: the rules live in `access.services` and `access.policies`.
"""

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django.views.decorators.vary import vary_on_headers

from greencommunity.core.errors import ApplicationError, NotFound
from greencommunity.core.http import HtmxHttpRequest
from greencommunity.documents.services import job_create
from greencommunity.documents.xlsx import XLSX_CONTENT_TYPE
from greencommunity.regions.codes import Level

from ..forms_admin import AccountCreateForm, AccountImportForm, AccountSearchForm, RoleGrantForm
from ..models import User
from ..policies import is_administrator
from ..selectors import (
    access_role_assignment,
    access_user,
    administered_regions,
    recent_import_jobs,
    user_list,
    user_roles,
)
from ..services.bulk import JOB_KIND, ROLE_LABELS_ZH
from ..services.bulk_files import accounts_template_xlsx
from ..services.users import (
    role_grant,
    role_revoke,
    user_create,
    user_reset_password,
    user_set_active,
)

PAGE_SIZE = 25
View = Callable[..., HttpResponse]


def administrators_only(view: View) -> View:
    """Signed in and an administrator somewhere, else 404; a NotFound from a service is a 404."""

    @login_required
    @wraps(view)
    def wrapper(request: HtmxHttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not is_administrator(request.user):
            raise Http404
        try:
            return view(request, *args, **kwargs)
        except NotFound as exc:
            raise Http404(exc.message) from exc

    return wrapper


def _crumbs(*items: tuple[str, str]) -> list[dict[str, str]]:
    return [{"label": _("Accounts"), "url": reverse("access:user_list")}] + [
        {"label": label, "url": url} for label, url in items
    ]


@vary_on_headers("HX-Request")
@require_GET
@administrators_only
def user_list_view(request: HtmxHttpRequest) -> HttpResponse:
    """Accounts in the actor's regions: search by username or name, filter by region."""
    form = AccountSearchForm(request.GET or None, actor=request.user)
    users = user_list(request.user, **form.filters())
    page = Paginator(users, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "form": form,
        "page_obj": page,
        "users": page.object_list,
        "crumbs": _crumbs()[:1],
    }
    template = "access/pages/accounts_list.html"
    if request.htmx and not request.htmx.history_restore_request:
        template += "#results"
    return render(request, template, context)


def _show_password(
    request: HtmxHttpRequest, account: User, password: str, *, created: bool
) -> HttpResponse:
    """The one time a password is shown: never cached, never shown again."""
    context = {"account": account, "password": password, "created": created}
    if request.htmx:
        return render(request, "access/partials/password_once.html", context)
    context["crumbs"] = _crumbs(
        (str(account), reverse("access:user_detail", args=[account.pk])), (_("Password"), "")
    )
    return render(request, "access/pages/accounts_password.html", context)


@never_cache
@require_http_methods(["GET", "POST"])
@administrators_only
def user_create_view(request: HtmxHttpRequest) -> HttpResponse:
    """One account, optionally with a role; its initial password is shown once."""
    form = AccountCreateForm(request.POST or None, actor=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            account, password = user_create(
                actor=request.user,
                username=data["username"],
                full_name=data["full_name"],
                phone=data["phone"],
                organisation=data["organisation"],
                home_region=data["home_region"],
                roles=form.roles(),
            )
        except ApplicationError as exc:
            form.add_error(form.ERROR_FIELDS.get(exc.extra.get("field", "")), exc.message)
        else:
            return _show_password(request, account, password, created=True)
    return render(
        request,
        "access/pages/accounts_create.html",
        {"form": form, "crumbs": _crumbs((_("New account"), ""))},
    )


@require_http_methods(["GET", "POST"])
@administrators_only
def user_import_view(request: HtmxHttpRequest) -> HttpResponse:
    """Upload a spreadsheet of accounts; a job imports it and the job page shows progress."""
    form = AccountImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        job = job_create(
            actor=request.user,
            kind=JOB_KIND,
            params={
                "dry_run": form.cleaned_data["dry_run"],
                "return_url": reverse("access:user_import"),
            },
            upload=form.cleaned_data["file"],
        )
        return redirect("documents:job_detail", job_id=job.pk)
    return render(
        request,
        "access/pages/accounts_import.html",
        {
            "form": form,
            "jobs": recent_import_jobs(request.user),
            "role_labels": [(ROLE_LABELS_ZH[r], r.label) for r in ROLE_LABELS_ZH],
            "crumbs": _crumbs((_("Import accounts"), "")),
        },
    )


@require_GET
@administrators_only
def user_import_template_view(request: HtmxHttpRequest) -> HttpResponse:
    """The import template: Chinese headers, an example row, a sheet explaining the columns."""
    regions = administered_regions(request.user)
    example = regions.filter(level=Level.COMMUNITY).first() or regions.first()
    response = HttpResponse(
        accounts_template_xlsx(example_region=example), content_type=XLSX_CONTENT_TYPE
    )
    response["Content-Disposition"] = content_disposition_header(
        as_attachment=True, filename="账号导入模板.xlsx"
    )
    return response


def _detail_context(
    request: HtmxHttpRequest, account: User, grant_form: RoleGrantForm | None = None
) -> dict[str, Any]:
    return {
        "account": account,
        "roles": user_roles(account),
        "grant_form": grant_form or RoleGrantForm(actor=request.user),
        "crumbs": _crumbs((str(account), "")),
    }


@require_GET
@administrators_only
def user_detail_view(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    """An account the actor manages: its roles, and what an administrator may do to it."""
    account = access_user(request.user, pk)
    return render(request, "access/pages/accounts_detail.html", _detail_context(request, account))


@never_cache
@require_POST
@administrators_only
def user_reset_password_view(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    """An administrator above the account sets a new one-time password, shown once."""
    account = access_user(request.user, pk)
    password = user_reset_password(actor=request.user, user=account)
    return _show_password(request, account, password, created=False)


@require_POST
@administrators_only
def user_set_active_view(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    account = access_user(request.user, pk)
    active = request.POST.get("active") == "1"
    user_set_active(actor=request.user, user=account, active=active)
    if active:
        messages.success(
            request, _("Account %(username)s activated.") % {"username": account.username}
        )
    else:
        messages.success(
            request,
            _("Account %(username)s deactivated: it can no longer sign in.")
            % {"username": account.username},
        )
    return redirect("access:user_detail", pk=account.pk)


def _roles_response(
    request: HtmxHttpRequest, account: User, form: RoleGrantForm | None = None
) -> HttpResponse:
    """After a grant or revoke: the roles card for htmx, else back to the account page."""
    if request.htmx:
        return render(
            request,
            "access/pages/accounts_detail.html#roles",
            _detail_context(request, account, form),
        )
    if form is not None and form.errors:
        return render(
            request, "access/pages/accounts_detail.html", _detail_context(request, account, form)
        )
    return redirect("access:user_detail", pk=account.pk)


@require_POST
@administrators_only
def role_grant_view(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    account = access_user(request.user, pk)
    form = RoleGrantForm(request.POST, actor=request.user)
    if form.is_valid():
        data = form.cleaned_data
        try:
            role_grant(
                actor=request.user,
                user=account,
                role=data["role"],
                region=data["region"],
                department=data["department"],
            )
        except ApplicationError as exc:
            form.add_error(None, exc.message)
        else:
            if not request.htmx:
                messages.success(request, _("Role granted."))
            return _roles_response(request, account)
    return _roles_response(request, account, form)


@require_POST
@administrators_only
def role_revoke_view(request: HtmxHttpRequest, pk: int, assignment_pk: int) -> HttpResponse:
    account = access_user(request.user, pk)
    assignment = access_role_assignment(account, assignment_pk)
    role_revoke(actor=request.user, assignment=assignment)
    if not request.htmx:
        messages.success(request, _("Role revoked."))
    return _roles_response(request, account)
