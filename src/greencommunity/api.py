"""The JSON API at /api/v1/ (OpenAPI at /api/v1/openapi.json). Routers live in each app's
api.py; this module only assembles them and defines authentication and the error shape."""

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError
from ninja.security import APIKeyHeader, HttpBearer, django_auth

from greencommunity.access.services.users import token_authenticate
from greencommunity.core.errors import ApplicationError, NotFound, PermissionDenied


def _usable(user: Any) -> Any:
    """The token's user; one who must change their password is refused as the middleware
    refuses a session (403, code password_change_required), not told to authenticate."""
    if user is not None and getattr(user, "must_change_password", False):
        raise PermissionDenied(
            _("You must change your password before using the platform."),
            {"code": "password_change_required"},
        )
    return user


class BearerToken(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> Any:
        user = _usable(token_authenticate(token))
        if user is not None:
            request.user = user
        return user


class HeaderToken(APIKeyHeader):
    param_name = "X-API-Token"

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        user = _usable(token_authenticate(key)) if key else None
        if user is not None:
            request.user = user
        return user


api = NinjaAPI(
    title="GreenCommunity API",
    version="1",
    description="绿色社区创建管理平台 API. Authenticate with a session (browser) or a personal "
    "token: `Authorization: Bearer <token>`.",
    auth=[BearerToken(), HeaderToken(), django_auth],
    urls_namespace="api",
)


def _error(
    request: HttpRequest, message: str, status: int, extra: dict[str, Any] | None = None
) -> HttpResponse:
    return api.create_response(request, {"message": message, "extra": extra or {}}, status=status)


@api.exception_handler(NotFound)
def _not_found(request: HttpRequest, exc: NotFound) -> HttpResponse:
    return _error(request, exc.message, 404, exc.extra)


@api.exception_handler(PermissionDenied)
def _forbidden(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
    return _error(request, exc.message, 403, exc.extra)


@api.exception_handler(ApplicationError)
def _app_error(request: HttpRequest, exc: ApplicationError) -> HttpResponse:
    return _error(request, exc.message, 400, exc.extra)


@api.exception_handler(NinjaValidationError)
def _validation(request: HttpRequest, exc: NinjaValidationError) -> HttpResponse:
    return _error(request, _("The request is invalid."), 422, {"errors": exc.errors})


@api.exception_handler(AuthenticationError)
def _unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    return _error(request, _("Authentication required."), 401)


@api.exception_handler(HttpError)
def _http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    return _error(request, str(exc), exc.status_code)


api.add_router("/regions", "greencommunity.regions.api.router")
api.add_router("/regions", "greencommunity.campaigns.api.router")  # /{code}/progress
api.add_router("/accounts", "greencommunity.access.api.router")
api.add_router("/audit", "greencommunity.audit.api.router")
api.add_router("/jobs", "greencommunity.documents.api.router")
