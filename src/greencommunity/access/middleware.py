from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

EXEMPT_PREFIXES = ("/static/", "/i18n/", "/accounts/logout/", "/accounts/password/", "/public/")


class PasswordChangeRequiredMiddleware:
    """A user whose password was set by someone else must choose their own before anything else."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and getattr(user, "must_change_password", False)
            and not request.path.startswith(EXEMPT_PREFIXES)
        ):
            if request.path.startswith("/api/"):
                return JsonResponse(
                    {
                        "message": _("You must change your password before using the platform."),
                        "extra": {"code": "password_change_required"},
                    },
                    status=403,
                )
            return redirect(reverse("access:password_change"))
        return self.get_response(request)
