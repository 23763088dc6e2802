"""Template helpers of the review pages: how many items wait in the user's inbox, as a number
(`{% inbox_count as n %}`) or as the navigation entry with its badge (`{% inbox_nav_item %}`,
an `<li class="nav-item">` for the main navigation)."""

from typing import Any

from django import template

from ..selectors_pages import inbox_count as count_inbox

register = template.Library()


@register.simple_tag(takes_context=True)
def inbox_count(context: template.Context) -> int:
    """The signed-in user's inbox items (counted once per request)."""
    request = context.get("request")
    user = getattr(request, "user", None)
    if request is None or user is None or not user.is_authenticated:
        return 0
    cached = getattr(request, "_gc_inbox_count", None)
    if cached is None:
        cached = count_inbox(user)
        request._gc_inbox_count = cached
    return int(cached)


@register.inclusion_tag("reviews/partials/application_inbox_nav.html", takes_context=True)
def inbox_nav_item(context: template.Context) -> dict[str, Any]:
    request = context.get("request")
    match = getattr(request, "resolver_match", None)
    return {
        "count": inbox_count(context),
        "active": match is not None and match.view_name == "reviews:inbox",
    }
