"""Reads shaped for the standards pages, built on the app's selectors and policies: a standard's
areas with their criteria, the regions a user may issue or adopt standards for, and what a
standard is compared with. Everything goes through the actor's scope."""

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Prefetch, QuerySet

from greencommunity.access.grants import is_platform_superuser, scope_q
from greencommunity.regions.codes import Level
from greencommunity.regions.models import Region

from ..models import NATIONAL_AREAS, Area, Criterion, Standard, StandardStatus, SubCondition
from ..policies import EDITOR_ROLES, can_view_standard, scope_standards
from ..selectors import standard_catalogue
from ..selectors_versions import access_standard, standard_applies_to, standard_versions

ISSUING_LEVELS = [Level.PROVINCE, Level.CITY, Level.COUNTY]


@dataclass
class AreaBlock:
    """An area of a standard with its criteria and the sum of their points."""

    area: Area
    criteria: list[Criterion] = field(default_factory=list)

    @property
    def national_name(self) -> str:
        return NATIONAL_AREAS.get(self.area.national_area, "")

    @property
    def subtotal(self) -> Decimal:
        return sum((c.points or Decimal(0) for c in self.criteria), Decimal(0))

    @property
    def points_differ(self) -> bool:
        return (
            bool(self.criteria)
            and self.area.points is not None
            and (self.area.points != self.subtotal)
        )


def standard_areas(standard: Standard) -> list[AreaBlock]:
    """The standard's areas in order, each with its criteria (sub-conditions, indicator and
    the parent criterion they refine loaded): three queries."""
    blocks = {a.pk: AreaBlock(a) for a in Area.objects.filter(standard=standard).order_by("number")}
    criteria = (
        Criterion.objects.filter(standard=standard)
        .select_related("indicator", "parent_criterion__standard")
        .prefetch_related(
            Prefetch("sub_conditions", queryset=SubCondition.objects.order_by("number"))
        )
        .order_by("number")
    )
    for c in criteria:
        blocks[c.area_id].criteria.append(c)
    return list(blocks.values())


def visible_parent_ids(actor: Any, blocks: list[AreaBlock]) -> set[int]:
    """The standards refined by these criteria that the actor may open."""
    parents = {
        c.parent_criterion.standard
        for b in blocks
        for c in b.criteria
        if c.parent_criterion is not None
    }
    return {s.pk for s in parents if can_view_standard(actor, s)}


def region_names(codes: list[str]) -> dict[str, str]:
    """Names of the regions with these codes (names of issuing regions are not secret)."""
    wanted = sorted({c for c in codes if c})
    return dict(Region.objects.filter(code__in=wanted).values_list("code", "name"))


def catalogue(actor: Any, status: str = "") -> QuerySet[Standard]:
    """The standards the actor may see, with criteria count and total points."""
    standards = scope_standards(actor, standard_catalogue())
    if status:
        standards = standards.filter(status=status)
    return standards.order_by("issuing_code", "key", "-version")


def editor_regions(actor: Any) -> QuerySet[Region]:
    """The province, city and county regions the actor issues and adopts standards for."""
    return Region.objects.filter(
        scope_q(actor, "code", roles=EDITOR_ROLES), level__in=ISSUING_LEVELS
    ).order_by("code")


def may_import(actor: Any) -> bool:
    """Whether the actor may import a standard for some region (or, a platform superuser,
    a national one): the issuing region of each file is checked by the import itself."""
    return is_platform_superuser(actor) or editor_regions(actor).exists()


def derive_regions(actor: Any, parent: Standard) -> QuerySet[Region]:
    """The regions the actor may refine `parent` for: their own, and `parent` applies there."""
    codes = [c for c in editor_regions(actor).values_list("code", flat=True)]
    return Region.objects.filter(
        code__in=[c for c in codes if standard_applies_to(parent, c)]
    ).order_by("code")


def adoptable_standards(actor: Any, region: Region) -> QuerySet[Standard]:
    """The published standards the actor sees that may serve `region`."""
    published = scope_standards(actor, Standard.objects.filter(status=StandardStatus.PUBLISHED))
    ids = [s.pk for s in published if standard_applies_to(s, region.code)]
    return Standard.objects.filter(pk__in=ids).order_by("issuing_code", "key", "-version")


def compared_with(actor: Any, standard: Standard, against: int | None = None) -> Standard | None:
    """What `standard` is compared with: the standard asked for, else the parent it refines,
    else its previous version; None when there is nothing to compare."""
    if against is not None:
        return access_standard(actor, against)
    parent = standard.parent
    if parent is not None and can_view_standard(actor, parent):
        return parent
    return standard_versions(actor, standard.key).filter(version__lt=standard.version).first()
