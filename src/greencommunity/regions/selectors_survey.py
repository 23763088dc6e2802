"""Baseline survey coverage (摸底调查): for a region and a year, how many communities have a
complete profile and that year's required indicators, and what each of the others lacks."""

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db.models import Count, Q

from .codes import Level, code_prefix
from .models import Community, Indicator, IndicatorValue, Region, urban_q
from .selectors_communities import PROFILE_REQUIRED_FIELDS, community_list


@dataclass
class CoverageCounts:
    communities: int = 0
    urban: int = 0
    profile_complete: int = 0
    indicators_complete: int = 0
    complete: int = 0

    @property
    def rate(self) -> float:
        return self.complete / self.communities if self.communities else 0.0


@dataclass
class CommunityGap:
    code: str
    name: str
    street: str
    is_urban: bool
    missing_fields: list[str]
    missing_indicators: list[str]


@dataclass
class Coverage:
    region: Region
    year: int
    totals: CoverageCounts
    children: list[tuple[Region, CoverageCounts]] = field(default_factory=list)
    gaps: list[CommunityGap] = field(default_factory=list)


def _counts(qs: Any) -> CoverageCounts:
    # Aliases differ from the queryset's annotations (the same name would shadow them).
    agg = qs.aggregate(
        n_communities=Count("pk"),
        n_urban=Count("pk", filter=urban_q()),
        n_profile_complete=Count("pk", filter=Q(profile_complete=True)),
        n_indicators_complete=Count("pk", filter=Q(indicators_complete=True)),
        n_complete=Count("pk", filter=Q(survey_complete=True)),
    )
    return CoverageCounts(**{k.removeprefix("n_"): v for k, v in agg.items()})


def survey_coverage(actor: Any, region: Region, year: int | None = None, *,
                    with_gaps: bool = True) -> Coverage:  # fmt: skip
    """Coverage of the communities valid today under `region` (which the caller loaded through
    `access_region`), by child region, with the gaps of every incomplete community."""
    year = year or date.today().year
    communities = community_list(actor, region_code=region.code, year=year)
    coverage = Coverage(region=region, year=year, totals=_counts(communities))
    if region.level not in (Level.STREET, Level.COMMUNITY):  # a street's children: the list
        for child in region.children.order_by("code"):
            prefix = code_prefix(child.code, child.level)
            counts = _counts(communities.filter(region__code__startswith=prefix))
            if counts.communities:
                coverage.children.append((child, counts))
    if with_gaps:
        incomplete = community_list(actor, region_code=region.code, year=year,
                                    survey_complete=False)  # fmt: skip
        coverage.gaps = survey_gaps(incomplete, year)
    return coverage


def survey_gaps(communities: Any, year: int) -> list[CommunityGap]:
    """What each community lacks: empty profile fields and required indicators without a
    value for `year` (two queries whatever the number of communities)."""
    required = list(Indicator.objects.filter(required_for_survey=True).order_by("position"))
    labels = {
        name: str(Community._meta.get_field(name).verbose_name)  # type: ignore[union-attr]
        for name in PROFILE_REQUIRED_FIELDS
    }
    rows = list(communities)
    present: dict[int, set[int]] = {}
    pairs = IndicatorValue.objects.filter(
        year=year, indicator__in=required, community__in=[c.pk for c in rows]
    ).values_list("community_id", "indicator_id")
    for community_id, indicator_id in pairs:
        present.setdefault(community_id, set()).add(indicator_id)
    return [
        CommunityGap(
            code=c.region.code,
            name=c.region.name,
            street=c.region.parent.name if c.region.parent else "",
            is_urban=c.is_urban,
            missing_fields=[
                labels[n] for n in PROFILE_REQUIRED_FIELDS if getattr(c, n) in ("", None)
            ],
            missing_indicators=[i.name for i in required if i.pk not in present.get(c.pk, set())],
        )
        for c in rows
    ]
