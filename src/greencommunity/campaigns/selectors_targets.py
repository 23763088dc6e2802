"""Reads of plans, targets, phases and creation lists (entries, export, warnings).

A region without its own target of a kind for a year uses the nearest ancestor's: the plans of
the region and of every ancestor code (`regions.codes.ancestor_codes`) are read in one query
and the deepest one holding that target wins. `ResolvedTarget.inherited` says whether it came
from above, so pages can say so.

Plan status (`plan_status`), against the due date to the level above:
- on_time: submitted on or before the due date (or submitted with no due date);
- late: submitted after the due date;
- missing: no plan, or not submitted and the due date has passed;
- pending: not submitted yet and not due yet (or no due date set).
"""

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from django.db import models
from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from greencommunity.access.grants import subtree_q
from greencommunity.core.errors import NotFound
from greencommunity.documents.xlsx import write_xlsx
from greencommunity.regions.codes import Level, ancestor_codes
from greencommunity.regions.models import Compound, Region, RenovationStatus, valid_on_q

from .models import CreationList, CreationListEntry, Phase, Plan, Target, TargetKind
from .policies import scope_creation_lists, scope_plans


@dataclass(frozen=True)
class ResolvedTarget:
    """A target as it applies to a region: its value, where it comes from and whether that is
    an ancestor's plan (`inherited`)."""

    value: Decimal
    region_code: str
    region_name: str
    inherited: bool
    due_on: date | None = None


class PlanStatus(models.TextChoices):
    ON_TIME = "on_time", gettext_lazy("On time")
    LATE = "late", gettext_lazy("Late")
    MISSING = "missing", gettext_lazy("Missing")
    PENDING = "pending", gettext_lazy("Not due yet")


def _chain(code: str) -> list[str]:
    """Ancestor-or-self codes, the region itself first (the nearest wins)."""
    return [code, *reversed(ancestor_codes(code))]


def targets_for(codes: Iterable[str], year: int, kind: str) -> dict[str, ResolvedTarget | None]:
    """{code: the target of `kind` for `year` applying to the region with that code}, for many
    regions in one query."""
    chains = {code: _chain(code) for code in codes}
    wanted = {c for chain in chains.values() for c in chain}
    found: dict[str, tuple[Decimal, str, date | None]] = {
        row["plan__region__code"]: (row["value"], row["plan__region__name"], row["due_on"])
        for row in Target.objects.filter(
            plan__region__code__in=sorted(wanted), year=year, kind=kind
        ).values("value", "due_on", "plan__region__code", "plan__region__name")
    }
    result: dict[str, ResolvedTarget | None] = {}
    for code, chain in chains.items():
        result[code] = None
        for source in chain:
            if source in found:
                value, name, due_on = found[source]
                result[code] = ResolvedTarget(
                    value=value, region_code=source, region_name=name,
                    inherited=source != code, due_on=due_on,
                )  # fmt: skip
                break
    return result


def target_for(region: Region, year: int, kind: str) -> ResolvedTarget | None:
    """The target of `kind` for `year` from the nearest ancestor-or-self plan that has one."""
    return targets_for([region.code], year, kind)[region.code]


def plan_of(region: Region) -> Plan | None:
    """The region's own plan (not an ancestor's)."""
    return Plan.objects.filter(region=region).select_related("region").first()


def plan_status(plan: Plan | None, today: date) -> PlanStatus:
    if plan is None:
        return PlanStatus.MISSING
    if plan.submitted_on is not None:
        if plan.due_on is None or plan.submitted_on <= plan.due_on:
            return PlanStatus.ON_TIME
        return PlanStatus.LATE
    if plan.due_on is not None and today > plan.due_on:
        return PlanStatus.MISSING
    return PlanStatus.PENDING


def access_plan(actor: Any, plan_id: int) -> Plan:
    """The plan, if the actor may see it; else the same not-found as a missing one."""
    plan = scope_plans(actor, Plan.objects.select_related("region")).filter(pk=plan_id).first()
    if plan is None:
        raise NotFound(_("Plan not found."))
    return plan


def plan_targets(plan: Plan) -> list[Target]:
    return list(plan.targets.order_by("year", "kind"))


def plan_phases(plan: Plan) -> list[Phase]:
    return list(plan.phases.order_by("starts_on"))


def access_creation_list(actor: Any, region: Region, year: int) -> CreationList:
    creation_list = (
        scope_creation_lists(actor, CreationList.objects.select_related("region"))
        .filter(region=region, year=year)
        .first()
    )
    if creation_list is None:
        raise NotFound(_("Creation list not found."))
    return creation_list


def creation_list_entries(creation_list: CreationList) -> list[CreationListEntry]:
    """The entries in code order (so grouped by street), with community, region and parent."""
    return list(
        creation_list.entries.select_related("community__region__parent").order_by(
            "community__region__code"
        )
    )


LIST_HEADERS = ["序号", "街道（乡镇）", "名称"]


def creation_list_xlsx(creation_list: CreationList) -> bytes:
    """The list in the layout of Huantai's (seed 003 附件2): 序号 / 街道（乡镇）/ 名称, in code
    order; a second sheet lists the pilots in the same layout."""
    entries = creation_list_entries(creation_list)

    def rows(chosen: list[CreationListEntry]) -> list[list[Any]]:
        return [
            [n, _street_name(e), e.community.region.name] for n, e in enumerate(chosen, start=1)
        ]

    return write_xlsx(
        LIST_HEADERS,
        rows(entries),
        title=f"{creation_list.year}年创建名单",
        more_sheets=[("试点社区", LIST_HEADERS, rows([e for e in entries if e.pilot]))],
    )


def _street_name(entry: CreationListEntry) -> str:
    parent = entry.community.region.parent
    return parent.name if parent is not None else ""


# ------------------------------------------------------------------------------- warnings


@dataclass(frozen=True)
class StreetBelowMinimum:
    code: str
    name: str
    communities: int  # urban communities on D
    pilots: int
    minimum: int  # the target, or the street's communities when fewer
    target: ResolvedTarget


@dataclass(frozen=True)
class RenovationNotListed:
    code: str
    name: str
    compounds: list[str]


@dataclass(frozen=True)
class CreationListWarnings:
    as_of: date
    streets_below_minimum: list[StreetBelowMinimum] = field(default_factory=list)
    renovation_not_listed: list[RenovationNotListed] = field(default_factory=list)


def creation_list_warnings(
    region: Region, year: int, *, today: date | None = None
) -> CreationListWarnings:
    """As of D (as for progress), under `region`:

    - streets below the pilot minimum: each street valid on D whose minimum pilots per street
      for `year` (the target resolved by inheritance) exceeds its pilots (urban communities
      flagged pilot on a list of any year <= `year`); a street with fewer urban communities
      than the minimum needs them all, one without any is left out;
    - urban communities with a compound in `year`'s renovation programme (renovation year
      `year`, status other than "not in a programme") that are on no creation list of `year`.
    """
    from .selectors_progress import (  # here: selectors_progress imports this module
        figure_counts,
        predecessors,
        progress_day,
        urban_communities,
    )

    day, _basis = progress_day(year, today or timezone.localdate())
    streets = list(
        Region.objects.filter(
            subtree_q("code", region.prefix), valid_on_q(day), level=Level.STREET
        ).order_by("code")
    )
    warnings = CreationListWarnings(as_of=day)
    if streets:
        groups, _links = figure_counts(region.prefix, 9, day, year)
        targets = targets_for([s.code for s in streets], year, TargetKind.PILOTS_PER_STREET)
        for street in streets:
            target, counts = targets[street.code], groups.get(street.prefix)
            if target is None or counts is None or not counts["communities"]:
                continue
            minimum = min(int(target.value), counts["communities"])
            if counts["pilots"] < minimum:
                warnings.streets_below_minimum.append(
                    StreetBelowMinimum(
                        code=street.code,
                        name=street.name,
                        communities=counts["communities"],
                        pilots=counts["pilots"],
                        minimum=minimum,
                        target=target,
                    )
                )
    listed = CreationListEntry.objects.filter(community_id=OuterRef("pk"), creation_list__year=year)
    programme = Compound.objects.filter(community_id=OuterRef("pk"), renovation_year=year).exclude(
        renovation_status=RenovationStatus.NONE
    )
    candidates = (
        urban_communities(region.prefix, day)
        .filter(Exists(programme))
        .exclude(Exists(listed))
        .select_related("region")
        .order_by("region__code")
    )
    found = list(candidates)
    if found:
        links = predecessors(region.prefix, day)
        via = {p for c in found for p in links.get(c.pk, ())}
        listed_before = set(
            CreationListEntry.objects.filter(
                community_id__in=via, creation_list__year=year
            ).values_list("community_id", flat=True)
        )
        names: dict[int, list[str]] = {}
        for pk, name in (
            Compound.objects.filter(community__in=found, renovation_year=year)
            .exclude(renovation_status=RenovationStatus.NONE)
            .order_by("name")
            .values_list("community_id", "name")
        ):
            names.setdefault(pk, []).append(name)
        warnings.renovation_not_listed.extend(
            RenovationNotListed(code=c.region.code, name=c.region.name, compounds=names[c.pk])
            for c in found
            if not links.get(c.pk, set()) & listed_before
        )
    return warnings
