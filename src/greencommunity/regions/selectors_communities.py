"""Reads of the community registry (社区信息库), always through the actor's scope.

`profile_complete_q()` and `survey_complete_annotations()` are the baseline survey's rule of a
complete community; the coverage report uses the same ones.
"""

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db.models import (
    BooleanField,
    Count,
    Exists,
    ExpressionWrapper,
    Field,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
)
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _

from greencommunity.access.grants import subtree_q
from greencommunity.access.policies import scope_regions
from greencommunity.core.errors import NotFound

from .codes import Level, code_prefix, is_valid_code, level_of_code
from .models import (
    Community,
    Compound,
    Indicator,
    IndicatorValue,
    Region,
    urban_q,
    valid_on_q,
)
from .policies import scope_communities

PROFILE_TEXT_FIELDS = ("address", "leader_name", "leader_phone")
PROFILE_NUMBER_FIELDS = ("households", "residents", "area_ha")
PROFILE_REQUIRED_FIELDS = PROFILE_TEXT_FIELDS + PROFILE_NUMBER_FIELDS


def profile_complete_q(prefix: str = "") -> Q:
    """Communities whose profile the baseline survey counts as complete: committee address,
    leader's name and phone filled in, households, residents and area known (0 counts).
    `prefix` reaches the community through a relation, e.g. "community__"."""
    q = Q()
    for name in PROFILE_TEXT_FIELDS:
        q &= ~Q(**{f"{prefix}{name}": ""})
    for name in PROFILE_NUMBER_FIELDS:
        q &= Q(**{f"{prefix}{name}__isnull": False})
    return q


def indicators_missing_exists(year: int, community_ref: str = "pk") -> Exists:
    """Whether a survey-required indicator has no value for `year` (one correlated subquery,
    whatever the size of the catalogue). `community_ref`: the community's pk in the outer
    query."""
    has_value = IndicatorValue.objects.filter(
        community=OuterRef(OuterRef(community_ref)), indicator=OuterRef("pk"), year=year
    )
    return Exists(Indicator.objects.filter(required_for_survey=True).filter(~Exists(has_value)))


def survey_complete_annotations(year: int | None = None) -> dict[str, Any]:
    """Annotations for a Community queryset: profile_complete, indicators_complete and
    survey_complete (both) for `year` (this year by default)."""
    year = year or date.today().year
    return {
        "profile_complete": ExpressionWrapper(profile_complete_q(), output_field=BooleanField()),
        "indicators_complete": ~indicators_missing_exists(year),
        "survey_complete": ExpressionWrapper(
            profile_complete_q() & ~indicators_missing_exists(year), output_field=BooleanField()
        ),
    }


def access_community(actor: Any, code: str) -> Community:
    """The community with the division `code`, if the actor may see it; else the same
    not-found as a missing code. Communities no longer valid are found too (their history)."""
    community = (
        scope_communities(actor, Community.objects.select_related("region", "region__parent"))
        .filter(region__code=code)
        .first()
    )
    if community is None:
        raise NotFound(_("Community not found."))
    return community


def community_list(
    actor: Any,
    *,
    region_code: str = "",
    q: str = "",
    street: str = "",
    kind: str = "",
    urban: bool | None = None,
    survey_complete: bool | None = None,
    renovation: str = "",
    year: int | None = None,
) -> QuerySet[Community]:
    """Communities valid today in the actor's scope, by code, each annotated with
    `profile_complete`, `indicators_complete`, `survey_complete` and `compound_count`.

    Filters: the subtree of `region_code`, a name or code search `q`, the `street` (its code),
    `kind`, `urban`, `survey_complete` (for `year`, this year by default) and `renovation`
    (has a compound with that renovation status). A fixed number of queries for any page.
    """
    today = date.today()
    compound_count = (
        Compound.objects.filter(community=OuterRef("pk"))
        .order_by()
        .values("community")
        .annotate(n=Count("pk"))
        .values("n")
    )
    qs = (
        scope_communities(actor, Community.objects.all())
        .filter(valid_on_q(today, "region__"))
        .select_related("region", "region__parent")
        .annotate(
            **survey_complete_annotations(year),
            compound_count=Coalesce(Subquery(compound_count), 0, output_field=IntegerField()),
        )
    )
    if region_code and is_valid_code(region_code):
        qs = qs.filter(
            subtree_q("region__code", code_prefix(region_code, level_of_code(region_code)))
        )
    q = q.strip()
    if q:
        by_text = Q(region__name__icontains=q)
        if q.isdigit():
            by_text |= Q(region__code__startswith=q)
        qs = qs.filter(by_text)
    if street:
        qs = qs.filter(region__parent__code=street)
    if kind:
        qs = qs.filter(kind=kind)
    if urban is not None:
        qs = qs.filter(urban_q() if urban else ~urban_q())
    if survey_complete is not None:
        complete = profile_complete_q() & Q(~indicators_missing_exists(year or today.year))
        qs = qs.filter(complete if survey_complete else ~complete)
    if renovation:
        qs = qs.filter(
            Exists(Compound.objects.filter(community=OuterRef("pk"), renovation_status=renovation))
        )
    return qs.order_by("region__code")


def community_streets(actor: Any, *, limit: int) -> list[tuple[str, str, str]]:
    """(code, name, parent's name) of the streets and towns valid today in the actor's scope,
    by code (at most `limit` + 1, so that the caller knows when there are too many to list)."""
    streets = scope_regions(
        actor, Region.objects.filter(level=Level.STREET).filter(valid_on_q(date.today()))
    )
    rows = streets.order_by("code").values_list("code", "name", "parent__name")
    return [(code, name, parent or "") for code, name, parent in rows[: limit + 1]]


def region_name(actor: Any, code: str) -> str:
    """The name of a region in the actor's scope, or "" (for the filter's label)."""
    if not is_valid_code(code):
        return ""
    region = scope_regions(actor, Region.objects.filter(code=code)).values("name").first()
    return region["name"] if region else ""


def community_compounds(community: Community) -> list[Compound]:
    return list(community.compounds.order_by("name", "pk"))


@dataclass
class IndicatorRow:
    indicator: Indicator
    values: dict[int, IndicatorValue | None] = field(default_factory=dict)

    def cells(self, years: list[int]) -> list[tuple[int, IndicatorValue | None]]:
        return [(year, self.values.get(year)) for year in years]


def community_indicator_rows(community: Community, years: list[int]) -> list[IndicatorRow]:
    """Every catalogue indicator with the community's value for each of `years` (2 queries)."""
    rows = {i.pk: IndicatorRow(i, dict.fromkeys(years)) for i in Indicator.objects.all()}
    for value in IndicatorValue.objects.filter(community=community, year__in=years):
        if value.indicator_id in rows:
            rows[value.indicator_id].values[value.year] = value
    return list(rows.values())


def _field_label(name: str) -> str:
    field = Community._meta.get_field(name)
    assert isinstance(field, Field)
    return str(field.verbose_name)


def community_survey_gaps(
    community: Community, rows: list[IndicatorRow], year: int
) -> tuple[list[str], list[Indicator]]:
    """What the community still lacks for the baseline survey of `year`: the labels of the
    empty profile fields, and the required indicators without a value."""
    missing_fields = [
        _field_label(name)
        for name in PROFILE_REQUIRED_FIELDS
        if getattr(community, name) in ("", None)
    ]
    missing_indicators = [
        row.indicator
        for row in rows
        if row.indicator.required_for_survey and row.values.get(year) is None
    ]
    return missing_fields, missing_indicators


def community_compound(community: Community, pk: int) -> Compound:
    """A compound of the community (already accessed), or NotFound."""
    compound = community.compounds.filter(pk=pk).first()
    if compound is None:
        raise NotFound(_("Compound not found."))
    return compound


def indicator_by_code(code: str) -> Indicator:
    indicator = Indicator.objects.filter(code=code).first()
    if indicator is None:
        raise NotFound(_("Indicator not found."))
    return indicator
