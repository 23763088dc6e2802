"""Regions API: the tree as the actor sees it. Thin: every read goes through selectors.

The actor is `request.user`: every authentication method of greencommunity.api sets it.
"""

from django.http import HttpRequest
from ninja import Router

from .schemas import RegionDetailOut, RegionOut
from .selectors import access_region, region_breadcrumbs, region_children, region_roots

router = Router(tags=["regions"])


@router.get("/", response=list[RegionOut], url_name="region_roots")
def region_list_endpoint(request: HttpRequest) -> object:
    """The top regions the actor may see (the regions their roles are held on)."""
    return region_roots(request.user)


@router.get("/{code}", response=RegionDetailOut, url_name="region_detail")
def region_detail_endpoint(request: HttpRequest, code: str) -> object:
    """A region with its parent's code, its breadcrumbs and its children in the actor's scope.
    A code outside the actor's scope answers 404, like a code that does not exist."""
    region = access_region(request.user, code)
    return {
        "code": region.code,
        "name": region.name,
        "level": region.level,
        "level_label": region.get_level_display(),
        "parent": region.parent.code if region.parent else None,
        "breadcrumbs": region_breadcrumbs(region),
        "children": region_children(request.user, region),
    }


@router.get("/{code}/children", response=list[RegionOut], url_name="region_children")
def region_children_endpoint(request: HttpRequest, code: str) -> object:
    """The children of a region, within the actor's scope."""
    return region_children(request.user, access_region(request.user, code))
