"""The web shell: the home page and the larger-text preference."""

from typing import TYPE_CHECKING

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

if TYPE_CHECKING:
    from greencommunity.access.models import User


class AuthenticatedHttpRequest(HttpRequest):
    user: "User"


TEXT_SIZE_COOKIE = "gc_text"
TEXT_SIZE_MAX_AGE = 365 * 24 * 3600


@login_required
def home(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Greets the user with their roles and the regions they work on."""
    roles = request.user.roles.select_related("region").order_by("region__code", "role")
    return render(request, "core/pages/home.html", {"roles": roles})


def _safe_next(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.META.get("HTTP_REFERER") or ""
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return reverse("core:home")


@require_POST
def text_size(request: HttpRequest) -> HttpResponse:
    """Switch the larger-text preference (cookie `gc_text=large`) and go back."""
    response = HttpResponseRedirect(_safe_next(request))
    if request.POST.get("size") == "large":
        response.set_cookie(
            TEXT_SIZE_COOKIE,
            "large",
            max_age=TEXT_SIZE_MAX_AGE,
            samesite="Lax",
            secure=settings.SESSION_COOKIE_SECURE,
        )
    else:
        response.delete_cookie(TEXT_SIZE_COOKIE, samesite="Lax")
    return response
