"""Accounts API: who the caller is. The actor is `request.user` (set by every
authentication method of greencommunity.api; the API never runs for anonymous callers)."""

from typing import cast

from django.http import HttpRequest
from ninja import Router

from .models import User
from .schemas import MeOut
from .selectors import user_roles

router = Router(tags=["accounts"])


@router.get("/me", response=MeOut, url_name="account_me")
def me_endpoint(request: HttpRequest) -> object:
    """The caller's username, full name and roles (each role covers its region's subtree)."""
    user = cast(User, request.user)
    return {
        "username": user.username,
        "full_name": user.full_name,
        "roles": user_roles(user),
    }
