from collections.abc import Callable

from django.http import HttpRequest, HttpResponse


class InterfaceLanguageMiddleware:
    """Simplified Chinese unless the user chose another language (the language switch sets a
    cookie). The browser's Accept-Language is ignored: a civil servant's browser set to English
    should still get the Chinese interface the office works in. Runs before LocaleMiddleware."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request.META.pop("HTTP_ACCEPT_LANGUAGE", None)
        return self.get_response(request)
