from typing import Any

from django.conf import settings
from django.http import HttpRequest


def shell(request: HttpRequest) -> dict[str, Any]:
    """What every page's layout needs: the text-size preference and the site name."""
    return {
        "large_text": request.COOKIES.get("gc_text") == "large",
        "PUBLIC_BASE_URL": settings.PUBLIC_BASE_URL,
    }
