"""Reads of the region tree, always through the actor's scope."""

from typing import Any

from django.db.models import Count, QuerySet
from django.utils.translation import gettext as _

from greencommunity.access.policies import scope_regions
from greencommunity.core.errors import NotFound

from .codes import ancestor_codes
from .models import Region


def access_region(actor: Any, code: str) -> Region:
    """The region, if the actor may see it; else the same not-found as a missing code."""
    region = scope_regions(actor, Region.objects.select_related("parent")).filter(code=code).first()
    if region is None:
        raise NotFound(_("Region not found."))
    return region


def region_roots(actor: Any) -> QuerySet[Region]:
    """The top regions the actor sees: those in scope whose parent is out of scope."""
    visible = scope_regions(actor, Region.objects.all())
    return (
        visible.exclude(parent__in=visible).annotate(child_count=Count("children")).order_by("code")
    )


def region_children(actor: Any, region: Region) -> QuerySet[Region]:
    return (
        scope_regions(actor, region.children.all())
        .annotate(child_count=Count("children"))
        .order_by("code")
    )


def region_breadcrumbs(region: Region) -> list[Region]:
    """Ancestors top first, then the region itself (names of ancestors are not secret)."""
    ancestors = {r.code: r for r in Region.objects.filter(code__in=ancestor_codes(region.code))}
    return [ancestors[c] for c in ancestor_codes(region.code) if c in ancestors] + [region]
