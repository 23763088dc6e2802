"""Reads of the tree as it was on a day, and of the division changes that shaped it.

Any count "as of a date" goes through `communities_as_of`: it uses the regions valid on that
day, so a merge never counts its communities twice and a split never loses one.
"""

from datetime import date
from typing import Any

from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone

from greencommunity.access.grants import subtree_q

from .codes import code_prefix, level_of_code, normalise_code
from .models import (
    ChangeKind,
    Community,
    Compound,
    DivisionChange,
    DivisionChangeLink,
    IndicatorValue,
    Region,
    urban_q,
    valid_on_q,
)
from .policies import scope_communities


def is_valid_on(region: Region, day: date) -> bool:
    """The same rule as `models.valid_on_q`, for a region already loaded."""
    return (region.valid_from is None or region.valid_from <= day) and (
        region.valid_to is None or region.valid_to > day
    )


def _subtree_prefix(region_code: str) -> str:
    code = normalise_code(region_code)
    stored = Region.objects.filter(code=code).values_list("prefix", flat=True).first()
    return stored or code_prefix(code, level_of_code(code))


def communities_as_of(
    actor: Any, region_code: str, day: date, urban_only: bool = True
) -> QuerySet[Community]:
    """Communities under the region's code that were valid on `day` (urban ones only by
    default), in the actor's scope; `actor=None` is the platform itself (no scope). A 2/4/6/9
    digit code is padded; a code that is no code raises `codes.CodeError`."""
    queryset = Community.objects.filter(
        subtree_q("region__code", _subtree_prefix(region_code)), valid_on_q(day, "region__")
    )
    if urban_only:
        queryset = queryset.filter(urban_q())
    if actor is not None:
        queryset = scope_communities(actor, queryset)
    return queryset.select_related("region").order_by("region__code")


def count_communities_as_of(region_code: str, day: date, urban_only: bool = True) -> int:
    return communities_as_of(None, region_code, day, urban_only=urban_only).count()


def region_successors(region: Region, day: date | None = None) -> list[Region]:
    """What `region` is on `day` (today by default): itself when valid then, otherwise the
    regions its change links lead to, followed forward until valid ones are reached. An
    application attached to an old community resolves to these. Empty when it was abolished."""
    day = day or timezone.localdate()
    found: dict[int, Region] = {}
    seen = {region.pk}
    frontier = [Region.objects.get(pk=region.pk)]  # its dates as stored, not as once loaded
    while frontier:
        follow = []
        for r in frontier:
            if is_valid_on(r, day):
                found[r.pk] = r
            else:
                follow.append(r.pk)
        frontier = []
        if follow:
            links = DivisionChangeLink.objects.filter(old_region_id__in=follow).select_related(
                "new_region"
            )
            for link in links:
                if link.new_region_id not in seen:
                    seen.add(link.new_region_id)
                    frontier.append(link.new_region)
    return sorted(found.values(), key=lambda r: r.code)


def _with_links(queryset: QuerySet[DivisionChange]) -> QuerySet[DivisionChange]:
    links = DivisionChangeLink.objects.select_related("old_region", "new_region").order_by(
        "old_region__code", "new_region__code"
    )
    return queryset.prefetch_related(Prefetch("links", queryset=links))


def region_history(region: Region) -> QuerySet[DivisionChange]:
    """The changes that touched the region (as an old or a new region), newest first."""
    touching = DivisionChangeLink.objects.filter(
        Q(old_region=region) | Q(new_region=region)
    ).values("change_id")
    return _with_links(DivisionChange.objects.filter(pk__in=touching))


def division_changes_under(region: Region) -> QuerySet[DivisionChange]:
    """The changes that touched the region or any region below it, newest first (for the
    region's page: the caller has checked the actor may see the region)."""
    touching = DivisionChangeLink.objects.filter(
        subtree_q("old_region__code", region.prefix) | subtree_q("new_region__code", region.prefix)
    ).values("change_id")
    return _with_links(DivisionChange.objects.filter(pk__in=touching))


def division_change_leftovers(change: DivisionChange) -> QuerySet[IndicatorValue]:
    """Indicator values that stayed on a closed old community of a merge, move or recode
    because the successor already held a value for that indicator and year."""
    if change.kind not in (ChangeKind.MERGE, ChangeKind.MOVE, ChangeKind.RECODE):
        return IndicatorValue.objects.none()
    closed = change.links.filter(old_region__valid_to=change.effective_on).values("old_region_id")
    return (
        IndicatorValue.objects.filter(community_id__in=closed)
        .select_related("community__region", "indicator")
        .order_by("community_id", "year", "indicator__position")
    )


def compound_ids_by_name(region_code: str) -> dict[str, int]:
    """{compound name: id} of a community (for adapters that let users name compounds)."""
    return dict(
        Compound.objects.filter(community__region__code=region_code).values_list("name", "id")
    )
