"""Reads about versions, refinement and adoption: what keeps a draft from being published, the
side-by-side diff of a parent standard and its refinement, and the standard in force in a
region on a day (its own adoption, else the nearest ancestor's, else the national standard)."""

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from greencommunity.core.errors import NotFound
from greencommunity.regions.codes import ancestor_codes, code_prefix, level_of_code
from greencommunity.regions.models import Region

from .models import (
    Area,
    Criterion,
    ScoringMode,
    Standard,
    StandardAdoption,
    StandardStatus,
    SubCondition,
)
from .policies import can_view_standard, scope_standards

NATIONAL_KEY = "national-2020"
PASS_RULE_FIELDS = ["pass_all_met", "pass_min_met", "pass_min_total", "pass_no_veto_failed"]


# ---------------------------------------------------------------------------- access


def access_standard(actor: Any, standard_id: int) -> Standard:
    """The standard, or NotFound when it is missing or outside the actor's view."""
    standard = Standard.objects.filter(pk=standard_id).first()
    if standard is None or not can_view_standard(actor, standard):
        raise NotFound(_("Standard not found."))
    return standard


def standard_versions(actor: Any, key: str) -> QuerySet[Standard]:
    """Every version of `key` the actor may see, newest first."""
    return scope_standards(actor, Standard.objects.filter(key=key)).order_by("-version")


def standard_applies_to(standard: Standard, code: str) -> bool:
    """Whether `standard` may serve the region `code`: it is national, or issued by that region
    or one of its ancestors (a region refines and adopts the standards of the levels above)."""
    issuing = standard.issuing_code
    if not issuing:
        return True
    return code.startswith(code_prefix(issuing, level_of_code(issuing)))


# ---------------------------------------------------------------------------- publishing


@dataclass(frozen=True)
class Problem:
    """One reason a draft cannot be published: a stable `code` and a message for the user."""

    code: str
    message: str

    def as_dict(self) -> dict[str, str]:
        return {"code": self.code, "message": self.message}


def _numbers(values: list[int]) -> str:
    return ", ".join(str(v) for v in values)


def standard_publish_problems(standard: Standard) -> list[Problem]:
    """Everything that keeps `standard` from being published (empty: it may be)."""
    problems: list[Problem] = []

    def add(code: str, message: str) -> None:
        problems.append(Problem(code, message))

    if not standard.name.strip():
        add("name", _("The standard has no name."))
    areas = list(Area.objects.filter(standard=standard).order_by("number"))
    criteria = list(
        Criterion.objects.filter(standard=standard)
        .select_related("area")
        .prefetch_related("sub_conditions")
        .order_by("number")
    )
    area_numbers = [a.number for a in areas]
    if not areas:
        add("no_areas", _("The standard has no areas."))
    elif area_numbers != list(range(1, len(areas) + 1)):
        add(
            "area_numbers",
            _("Areas must be numbered 1 to %(count)d without gaps (they are %(numbers)s).")
            % {"count": len(areas), "numbers": _numbers(area_numbers)},
        )
    numbers = [c.number for c in criteria]
    if not criteria:
        add("no_criteria", _("The standard has no criteria."))
    elif numbers != list(range(1, len(criteria) + 1)):
        add(
            "criterion_numbers",
            _("Criteria must be numbered 1 to %(count)d without gaps (they are %(numbers)s).")
            % {"count": len(criteria), "numbers": _numbers(numbers)},
        )
    by_area: dict[int, list[Criterion]] = {a.pk: [] for a in areas}
    for c in criteria:
        by_area.setdefault(c.area_id, []).append(c)
    for a in areas:
        if criteria and not by_area[a.pk]:
            add(
                "empty_area",
                _("Area %(number)d (%(name)s) has no criteria.")
                % {"number": a.number, "name": a.name},
            )
    points_mode = standard.scoring_mode == ScoringMode.POINTS
    if points_mode:
        pointless = [c.number for c in criteria if c.points is None or c.points <= 0]
        if pointless:
            add(
                "criterion_points",
                _("The standard is scored by points: give criteria %(numbers)s points above 0.")
                % {"numbers": _numbers(pointless)},
            )
        for a in areas:
            got = sum((c.points or Decimal(0) for c in by_area[a.pk]), Decimal(0))
            if a.points is not None and by_area[a.pk] and got != a.points:
                add(
                    "area_points",
                    _(
                        "Area %(number)d is worth %(points)s points but its criteria add up "
                        "to %(sum)s."
                    )
                    % {"number": a.number, "points": f"{a.points:g}", "sum": f"{got:g}"},
                )
    for c in criteria:
        subs = list(c.sub_conditions.all())
        if [s.number for s in subs] != list(range(1, len(subs) + 1)) or any(
            not s.text.strip() for s in subs
        ):
            add(
                "sub_conditions",
                _(
                    "The sub-conditions of criterion %(number)d must be numbered 1 to "
                    "%(count)d and none may be blank."
                )
                % {"number": c.number, "count": len(subs)},
            )
        rule_parts = [c.indicator_id is not None, bool(c.operator), c.threshold is not None]
        if any(rule_parts) and not all(rule_parts):
            add(
                "numeric_rule",
                _(
                    "The numeric rule of criterion %(number)d needs an indicator, an operator "
                    "and a threshold."
                )
                % {"number": c.number},
            )
    maximum = (
        sum((c.points or Decimal(0) for c in criteria), Decimal(0))
        if points_mode
        else Decimal(len(criteria))
    )
    if standard.pass_min_met is not None and not 1 <= standard.pass_min_met <= len(criteria):
        add(
            "pass_min_met",
            _("The pass rule asks for %(wanted)d criteria met; choose 1 to %(count)d.")
            % {"wanted": standard.pass_min_met, "count": len(criteria)},
        )
    if standard.pass_min_total is not None and not 0 < standard.pass_min_total <= maximum:
        add(
            "pass_min_total",
            _("The pass mark %(wanted)s must be above 0 and at most the %(maximum)s available.")
            % {"wanted": f"{standard.pass_min_total:g}", "maximum": f"{maximum:g}"},
        )
    if standard.pass_no_veto_failed and not any(c.veto for c in criteria):
        add(
            "pass_no_veto_failed",
            _("The pass rule asks that no veto criterion fails, but no criterion is a veto."),
        )
    if (
        standard.effective_from is not None
        and standard.effective_to is not None
        and standard.effective_to < standard.effective_from
    ):
        add("effective_dates", _("The standard ends before it takes effect."))
    return problems


# ---------------------------------------------------------------------------- diff


@dataclass(frozen=True)
class CriterionRow:
    """One line of the side-by-side diff. `status`: unchanged, changed, added (the child
    only), removed (the parent only); `changes` names what differs."""

    status: str
    parent: Criterion | None
    child: Criterion | None
    changes: tuple[str, ...] = ()


@dataclass(frozen=True)
class AreaRow:
    status: str
    parent: Area | None
    child: Area | None
    changes: tuple[str, ...] = ()


@dataclass(frozen=True)
class FieldChange:
    field: str
    parent: Any
    child: Any


@dataclass
class StandardDiff:
    parent: Standard
    child: Standard
    paired_by: str  # "parent_criterion" (a refinement) or "number" (e.g. two versions)
    criteria: list[CriterionRow] = field(default_factory=list)
    areas: list[AreaRow] = field(default_factory=list)
    rules: list[FieldChange] = field(default_factory=list)  # scoring mode and pass rule

    @property
    def counts(self) -> dict[str, int]:
        result = dict.fromkeys(("unchanged", "changed", "added", "removed"), 0)
        for row in self.criteria:
            result[row.status] += 1
        return result

    @property
    def has_changes(self) -> bool:
        return bool(
            self.rules
            or any(r.status != "unchanged" for r in self.criteria)
            or any(r.status != "unchanged" for r in self.areas)
        )


def _criteria(standard: Standard) -> list[Criterion]:
    return list(
        Criterion.objects.filter(standard=standard)
        .select_related("area", "indicator")
        .prefetch_related(
            Prefetch("sub_conditions", queryset=SubCondition.objects.order_by("number"))
        )
        .order_by("number")
    )


def _criterion_changes(p: Criterion, c: Criterion) -> tuple[str, ...]:
    changes = []
    if p.text.strip() != c.text.strip():
        changes.append("text")
    if p.points != c.points:
        changes.append("points")
    if (p.area.number, p.area.national_area) != (c.area.number, c.area.national_area):
        changes.append("area")
    if [s.text.strip() for s in p.sub_conditions.all()] != [
        s.text.strip() for s in c.sub_conditions.all()
    ]:
        changes.append("sub_conditions")
    if p.veto != c.veto:
        changes.append("veto")
    if (p.indicator_id, p.operator, p.threshold) != (c.indicator_id, c.operator, c.threshold):
        changes.append("numeric_rule")
    if p.evidence.strip() != c.evidence.strip():
        changes.append("evidence")
    if p.departments.strip() != c.departments.strip():
        changes.append("departments")
    return tuple(changes)


def _area_rows(parent: Standard, child: Standard) -> list[AreaRow]:
    parents = {a.number: a for a in Area.objects.filter(standard=parent)}
    children = {a.number: a for a in Area.objects.filter(standard=child)}
    rows = []
    for number in sorted(parents.keys() | children.keys()):
        p, c = parents.get(number), children.get(number)
        if p is None:
            rows.append(AreaRow("added", None, c))
        elif c is None:
            rows.append(AreaRow("removed", p, None))
        else:
            changes = tuple(
                f for f in ("name", "national_area", "points") if getattr(p, f) != getattr(c, f)
            )
            rows.append(AreaRow("changed" if changes else "unchanged", p, c, changes))
    return rows


def standard_diff(parent: Standard, child: Standard) -> StandardDiff:
    """Parent and child side by side. A refinement (`child.parent` is `parent`) pairs each
    child criterion with the parent criterion it refines; any other two standards (e.g. two
    versions of one key) are paired by criterion number."""
    by_link = child.parent_id == parent.pk
    diff = StandardDiff(parent, child, "parent_criterion" if by_link else "number")
    parent_criteria = _criteria(parent)
    by_id = {p.pk: p for p in parent_criteria}
    by_number = {p.number: p for p in parent_criteria}
    paired: set[int] = set()
    rows: list[CriterionRow] = []
    for c in _criteria(child):
        if not by_link:
            p = by_number.get(c.number)
        elif c.parent_criterion_id is not None:
            p = by_id.get(c.parent_criterion_id)
        else:
            p = None
        if p is None:
            rows.append(CriterionRow("added", None, c))
            continue
        paired.add(p.pk)
        changes = _criterion_changes(p, c)
        rows.append(CriterionRow("changed" if changes else "unchanged", p, c, changes))
    for p in parent_criteria:
        if p.pk in paired:
            continue
        # Place a removed criterion after the rows of the parent criteria before it.
        at = 0
        for i, row in enumerate(rows):
            if row.parent is not None and row.parent.number < p.number:
                at = i + 1
        rows.insert(at, CriterionRow("removed", p, None))
    diff.criteria = rows
    diff.areas = _area_rows(parent, child)
    diff.rules = [
        FieldChange(f, getattr(parent, f), getattr(child, f))
        for f in ["scoring_mode", *PASS_RULE_FIELDS]
        if getattr(parent, f) != getattr(child, f)
    ]
    return diff


# ---------------------------------------------------------------------------- in force


@dataclass(frozen=True)
class StandardInForce:
    """The standard a region works to on a day, and where that comes from: the region's own
    adoption (`inherited` false), an ancestor's, or the national standard
    (`from_region_code` blank, `adoption` None)."""

    standard: Standard
    from_region_code: str
    inherited: bool
    adoption: StandardAdoption | None = None


def adoptions_valid_on_q(day: date) -> Q:
    return Q(effective_from__lte=day) & (Q(effective_to__isnull=True) | Q(effective_to__gte=day))


def national_standard() -> Standard | None:
    """The latest published version of the national standard."""
    return (
        Standard.objects.filter(key=NATIONAL_KEY, issuing_code="", status=StandardStatus.PUBLISHED)
        .order_by("-version")
        .first()
    )


def standard_in_force(region: Region, day: date | None = None) -> StandardInForce | None:
    """The region's own adoption valid on `day` (today when None), else the nearest
    ancestor's, else the national standard; None when not even that exists."""
    day = day or timezone.localdate()
    codes = list(dict.fromkeys([region.code, *reversed(ancestor_codes(region.code))]))
    adoptions = (
        StandardAdoption.objects.filter(adoptions_valid_on_q(day), region__code__in=codes)
        .select_related("standard", "region")
        .order_by("-effective_from")
    )
    nearest: dict[str, StandardAdoption] = {}
    for a in adoptions:
        nearest.setdefault(a.region.code, a)
    for code in codes:
        if code in nearest:
            a = nearest[code]
            return StandardInForce(a.standard, code, code != region.code, a)
    national = national_standard()
    if national is None:
        return None
    return StandardInForce(national, "", True, None)


def adoption_history(region: Region) -> QuerySet[StandardAdoption]:
    """The region's own adoptions, newest first."""
    return (
        StandardAdoption.objects.filter(region=region)
        .select_related("standard")
        .order_by("-effective_from")
    )
