from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as HttpPermissionDenied
from django.http import Http404, HttpRequest, HttpResponseBase
from django_htmx.middleware import HtmxDetails

from .errors import NotFound, PermissionDenied


class HtmxHttpRequest(HttpRequest):
    """A request through django-htmx's middleware (for the type checker)."""

    htmx: HtmxDetails


def signed_in_view[V: Callable[..., HttpResponseBase]](view: V) -> V:
    """A page of the platform: signed in (else to the login page); a NotFound from a selector
    or service answers 404 (outside the user's scope looks like missing), a PermissionDenied
    403."""

    @login_required
    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        try:
            return view(request, *args, **kwargs)
        except NotFound as exc:
            raise Http404(exc.message) from exc
        except PermissionDenied as exc:
            raise HttpPermissionDenied(exc.message) from exc

    return wrapper  # type: ignore[return-value]
