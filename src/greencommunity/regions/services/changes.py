"""Division changes (区划变更) that keep history: rename, merge, split, move, new code, abolish.

A change on day D closes the old regions (`valid_to = D`) and opens the new ones
(`valid_from = D`); a `DivisionChange` row records the kind, date and approving document, and
one `DivisionChangeLink` per old → new pair. A region is valid on D when it began on or before
D and had not closed by D (`models.valid_on_q`), so any count "as of a date" reads the tree as
it was then. Communities, and the compounds and indicator values attached to them, follow the
links:

- rename: the same code, a new name; the old name stays on the change (`old_name`), the region
  is linked to itself and its validity does not change.
- move / recode (迁移 / 新代码): one old code → one new code of the same level; the new region
  sits under its nearest existing ancestor. A community's kind, urban classification and
  profile are copied; its compounds and indicator values move to the new community.
- merge: two or more old codes → one new code. Compounds and indicator values move to the
  target; when the target already holds a value for the same indicator and year, the target's
  value is kept and the other stays on its (closed) old community, reported in the audit event
  and by `selectors_changes.division_change_leftovers`. To merge into a region that existed
  before the date, list it among the old codes too: it continues, the others close.
- split: one old code → two or more new codes. Every compound of the old community is assigned
  to one of them (`compound_assignment`, {compound id: new code}); indicator values describe
  the old territory and stay on it. The old code may be among the new ones: it continues.
- abolish: the old regions close with no successor (each is linked to itself, so the change
  stays in its history).

A new code that already exists (e.g. imported with the new year's registry) must not have begun
before D: it begins on D. A region closed by a change must no longer have subordinate regions
on D: move or recode its communities first. Compounds arriving where one has the same name are
renamed "name（old community）".
"""

import dataclasses
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import get_language

from greencommunity.access.grants import subtree_q
from greencommunity.audit.services import audit_record
from greencommunity.core.errors import ApplicationError, PermissionDenied

from ..codes import (
    CodeError,
    Level,
    ancestor_codes,
    common_ancestor_code,
    community_kind_of_code,
    level_of_code,
    normalise_code,
)
from ..models import (
    ChangeKind,
    Community,
    Compound,
    DivisionChange,
    DivisionChangeLink,
    IndicatorValue,
    Region,
)
from ..policies import can_edit_tree
from ..selectors_changes import is_valid_on
from .changes_messages import LEVEL_ZH, REASONS
from .communities import PROFILE_FIELDS

MAX_NAME = 100


def _refuse(
    key: str,
    *,
    field: str = "",
    value: Any = "",
    error: type[ApplicationError] = ApplicationError,
    **params: Any,
) -> ApplicationError:
    """A refusal in both languages: `message` in the active one, both in `extra` (for files)."""
    zh, en = (text.format(**params) for text in REASONS[key])
    message = en if (get_language() or "").startswith("en") else zh
    return error(
        message, {"field": field, "value": str(value), "reason": zh, "reason_en": en, "key": key}
    )


def _code(text: str, field: str) -> str:
    try:
        return normalise_code(str(text))
    except CodeError as exc:
        raise _refuse(
            "bad_code", field=field, value=text, code=text, reason=exc.reason,
            reason_en=exc.reason_en,
        ) from exc  # fmt: skip


@dataclass
class _Target:
    code: str
    name: str
    region: Region | None = None  # an existing region
    continues: bool = False  # one of the old regions, carrying on
    parent: Region | None = None  # for a region created by the change


@dataclass
class _Report:
    """What moved, for the audit event."""

    compounds_moved: int = 0
    values_moved: int = 0
    compounds_renamed: list[dict[str, str]] = dataclasses.field(default_factory=list)
    indicator_conflicts: list[dict[str, Any]] = dataclasses.field(default_factory=list)


def _check_shape(kind: ChangeKind, olds: list[str], news: list[tuple[str, str]]) -> None:
    if not olds:
        raise _refuse("no_old", field="old")
    for i, code in enumerate(olds):
        if code in olds[:i]:
            raise _refuse("old_repeated", field="old", value=code, code=code)
    new_codes = [c for c, _n in news]
    for i, code in enumerate(new_codes):
        if code in new_codes[:i]:
            raise _refuse("new_repeated", field="new", value=code, code=code)
    if kind == ChangeKind.RENAME and (len(olds) != 1 or new_codes != olds):
        raise _refuse("rename_shape", field="kind")
    if kind in (ChangeKind.MOVE, ChangeKind.RECODE) and (
        len(olds) != 1 or len(news) != 1 or new_codes == olds
    ):
        raise _refuse("recode_shape", field="kind")
    if kind == ChangeKind.MERGE and (len(olds) < 2 or len(news) != 1):
        raise _refuse("merge_shape", field="kind")
    if kind == ChangeKind.SPLIT and (len(olds) != 1 or len(news) < 2):
        raise _refuse("split_shape", field="kind")
    if kind == ChangeKind.ABOLISH and news:
        raise _refuse("abolish_shape", field="new", value=new_codes[0])
    for code, name in news:
        if len(name) > MAX_NAME:
            raise _refuse("name_too_long", field="name", value=code, max=MAX_NAME)


def _load_olds(codes: list[str], day: date) -> list[Region]:
    found = Region.objects.select_for_update().in_bulk(codes, field_name="code")
    olds = []
    for code in codes:
        region = found.get(code)
        if region is None:
            raise _refuse("unknown_code", field="old", value=code, code=code)
        about: dict[str, Any] = {
            "field": "old", "value": code, "code": code, "name": region.name, "date": day,
        }  # fmt: skip
        if region.valid_to is not None:
            raise _refuse("old_closed", valid_to=region.valid_to, **about)
        if region.valid_from is not None and region.valid_from > day:
            raise _refuse("old_not_yet", valid_from=region.valid_from, **about)
        olds.append(region)
    level = olds[0].level
    for region in olds[1:]:
        if region.level != level:
            raise _refuse(
                "levels_differ",
                field="old",
                value=region.code,
                code=region.code,
                level=LEVEL_ZH[Level(region.level)],
                level_en=region.level,
            )
    return olds


def _nearest_parent(code: str, day: date) -> Region | None:
    """The nearest existing ancestor of a new code; it must be valid on `day`."""
    candidates = ancestor_codes(code)
    if not candidates:
        return None  # a province
    found = Region.objects.in_bulk(candidates, field_name="code")
    for candidate in reversed(candidates):
        parent = found.get(candidate)
        if parent is None:
            continue
        if parent.valid_to is not None or not is_valid_on(parent, day):
            raise _refuse(
                "parent_closed",
                field="new",
                value=code,
                code=code,
                name=parent.name,
                parent=parent.code,
                date=day,
            )
        return parent
    raise _refuse("no_parent", field="new", value=code, code=code)


def _load_targets(
    kind: ChangeKind, news: list[tuple[str, str]], olds: list[Region], day: date
) -> list[_Target]:
    by_code = {r.code: r for r in olds}
    level = Level(olds[0].level)
    existing = Region.objects.select_for_update().in_bulk(
        [c for c, _n in news if c not in by_code], field_name="code"
    )
    targets = []
    for code, name in news:
        about: dict[str, Any] = {"field": "new", "value": code, "code": code}
        if code in by_code:
            old = by_code[code]
            if kind == ChangeKind.RENAME:
                if not name:
                    raise _refuse("name_missing", **about)
                if name == old.name:
                    raise _refuse("same_name", field="name", value=code)
            elif name and name != old.name:
                raise _refuse("existing_name", name=old.name, **about)
            targets.append(_Target(code, name, region=old, continues=True))
            continue
        region = existing.get(code)
        new_level = Level(region.level) if region is not None else level_of_code(code)
        if new_level != level:
            raise _refuse(
                "level_mismatch",
                level=LEVEL_ZH[new_level],
                level_en=new_level.value,
                old_level=LEVEL_ZH[level],
                old_level_en=level.value,
                **about,
            )
        if region is not None:
            if region.valid_to is not None:
                raise _refuse("target_closed", valid_to=region.valid_to, **about)
            if region.valid_from is not None and region.valid_from != day:
                raise _refuse("target_existed", valid_from=region.valid_from, **about)
            if name and name != region.name:
                raise _refuse("existing_name", name=region.name, **about)
            targets.append(_Target(code, region.name, region=region))
            continue
        if not name:
            if kind not in (ChangeKind.MOVE, ChangeKind.RECODE):
                raise _refuse("name_missing", **about)
            name = olds[0].name
        targets.append(_Target(code, name, parent=_nearest_parent(code, day)))
    return targets


def _check_closing(closing: list[Region], day: date) -> None:
    for region in closing:
        about: dict[str, Any] = {
            "field": "old", "value": region.code, "code": region.code, "name": region.name,
        }  # fmt: skip
        if region.valid_from is not None and region.valid_from >= day:
            raise _refuse("old_same_day", valid_from=region.valid_from, date=day, **about)
        if region.level == Level.COMMUNITY:
            continue
        count = region.children.filter(Q(valid_to__isnull=True) | Q(valid_to__gt=day)).count()
        if count:
            raise _refuse("has_children", count=count, date=day, **about)


def _check_assignment(
    kind: ChangeKind,
    olds: list[Region],
    targets: list[_Target],
    assignment: dict[int, str] | None,
) -> dict[int, str]:
    """The split's {compound id: new code}, every compound of the old community assigned."""
    assignment = dict(assignment or {})
    old = olds[0]
    if kind != ChangeKind.SPLIT or old.level != Level.COMMUNITY:
        if assignment:
            raise _refuse("not_split", field="compounds")
        return {}
    new_codes = {t.code for t in targets}
    compounds = {c.pk: c for c in Compound.objects.filter(community_id=old.pk).order_by("name")}
    clean: dict[int, str] = {}
    for compound_id, target in assignment.items():
        compound = compounds.get(int(compound_id))
        if compound is None:
            raise _refuse(
                "compound_unknown", field="compounds", value=compound_id, compound=compound_id,
                code=old.code,
            )  # fmt: skip
        code = _code(target, "compounds")
        if code not in new_codes:
            raise _refuse(
                "compound_target", field="compounds", value=target, compound=compound, target=code
            )
        clean[compound.pk] = code
    missing = [c.name for pk, c in compounds.items() if pk not in clean]
    if missing:
        raise _refuse("compounds_unassigned", field="compounds", names="、".join(missing))
    return clean


def _community_of(region: Region) -> Community | None:
    return Community.objects.filter(pk=region.pk).first()


def _new_community(region: Region, kind: ChangeKind, sources: list[Community]) -> Community:
    """The registry row of a community created by the change."""
    values: dict[str, Any] = {"kind": community_kind_of_code(region.code)}
    if sources and kind in (ChangeKind.MOVE, ChangeKind.RECODE):
        values = {f: getattr(sources[0], f) for f in PROFILE_FIELDS}
    elif sources:
        first = sources[0]
        values = {
            "kind": first.kind,
            "urban_rural_code": first.urban_rural_code,
            "urban_override": first.urban_override,
        }
        if kind == ChangeKind.MERGE:  # the merged territory holds them all
            for name in ("households", "residents", "area_ha"):
                figures = [getattr(s, name) for s in sources]
                if all(f is not None for f in figures):
                    values[name] = sum(figures, Decimal(0) if name == "area_ha" else 0)
    return Community.objects.create(region=region, **values)


def _fill_profile(target: Community, source: Community) -> None:
    """A moved community's profile fills what its (already existing) new record leaves empty."""
    blank = [f for f in PROFILE_FIELDS[3:] if getattr(target, f) in (None, "")]
    for name in blank:
        setattr(target, name, getattr(source, name))
    if blank:
        target.save(update_fields=[*blank, "updated_at"])


def _free_name(name: str, source: str, taken: set[str]) -> str:
    base = f"{name}（{source}）"
    candidate, n = base[:MAX_NAME], 2
    while candidate in taken:
        suffix = f"{n}"
        candidate = base[: MAX_NAME - len(suffix)] + suffix
        n += 1
    return candidate


def _move_compounds(
    compounds: list[Compound], source: Region, target: Community, report: _Report
) -> None:
    taken = set(Compound.objects.filter(community=target).values_list("name", flat=True))
    for compound in compounds:
        old_name = compound.name
        if old_name in taken:
            compound.name = _free_name(old_name, source.name, taken)
            report.compounds_renamed.append(
                {"community": source.code, "from": old_name, "to": compound.name}
            )
        compound.community = target
        compound.save(update_fields=["community", "name", "updated_at"])
        taken.add(compound.name)
        report.compounds_moved += 1


def _move_community(source: Region, target: Community, report: _Report) -> None:
    """Compounds and indicator values of `source` to `target`; on the same indicator and year
    the target's value is kept and the source's stays where it was."""
    _move_compounds(list(Compound.objects.filter(community_id=source.pk)), source, target, report)
    held = {
        (iv.indicator_id, iv.year): iv
        for iv in IndicatorValue.objects.filter(community=target).select_related("indicator")
    }
    moving = []
    for value in IndicatorValue.objects.filter(community_id=source.pk).select_related("indicator"):
        kept = held.get((value.indicator_id, value.year))
        if kept is None:
            moving.append(value.pk)
            continue
        report.indicator_conflicts.append(
            {
                "community": source.code,
                "indicator": value.indicator.code,
                "year": value.year,
                "kept": str(kept.value),
                "not_moved": str(value.value),
            }
        )
    if moving:
        IndicatorValue.objects.filter(pk__in=moving).update(
            community=target, updated_at=timezone.now()
        )
        report.values_moved += len(moving)


def _adopt(region: Region) -> None:
    """Open regions under the new region's code that hang from an ancestor above it (created
    earlier under their nearest existing ancestor) now hang from it."""
    Region.objects.filter(
        subtree_q("code", region.prefix),
        valid_to__isnull=True,
        parent__code__in=ancestor_codes(region.code),
    ).exclude(pk=region.pk).update(parent=region, updated_at=timezone.now())


def _snapshot(region: Region) -> dict[str, Any]:
    return {
        "code": region.code,
        "name": region.name,
        "level": region.level,
        "parent": region.parent.code if region.parent_id and region.parent else None,
        "valid_from": region.valid_from,
        "valid_to": region.valid_to,
    }


@transaction.atomic
def division_change_record(
    *,
    actor: Any,
    kind: str,
    effective_on: date,
    old_codes: list[str],
    new_regions: list[tuple[str, str]],
    document: str = "",
    note: str = "",
    compound_assignment: dict[int, str] | None = None,
) -> DivisionChange:
    """Record one division change on `effective_on` (see the module's docstring), as an
    administrator over every old and new code. Refusals are ApplicationError (PermissionDenied
    outside the actor's regions) whose `extra` names the field, the value and the reason in
    Chinese and English."""
    try:
        change_kind = ChangeKind(kind)
    except ValueError:
        raise _refuse("unknown_kind", field="kind", value=kind) from None
    if effective_on is None:
        raise _refuse("no_date", field="date")
    if effective_on > timezone.localdate():
        raise _refuse("future", field="date", value=effective_on, date=effective_on)
    olds = [_code(c, "old") for c in old_codes]
    news = [(_code(c, "new"), (n or "").strip()) for c, n in new_regions]
    _check_shape(change_kind, olds, news)
    for code in [*olds, *(c for c, _n in news)]:
        if not can_edit_tree(actor, None, code):
            raise _refuse(
                "outside", field="new" if code not in olds else "old", value=code, code=code,
                error=PermissionDenied,
            )  # fmt: skip
    day = effective_on
    old_regions = _load_olds(olds, day)
    targets = _load_targets(change_kind, news, old_regions, day)
    continuing = {t.code for t in targets if t.continues}
    closing = [r for r in old_regions if r.code not in continuing]
    _check_closing(closing, day)
    assignment = _check_assignment(change_kind, old_regions, targets, compound_assignment)
    before = [_snapshot(r) for r in old_regions] + [
        _snapshot(t.region) for t in targets if t.region is not None and not t.continues
    ]

    change = DivisionChange.objects.create(
        kind=change_kind,
        effective_on=day,
        document=document.strip(),
        note=note.strip(),
        old_name=old_regions[0].name if change_kind == ChangeKind.RENAME else "",
    )
    report = _Report()
    if change_kind == ChangeKind.RENAME:
        region = old_regions[0]
        region.name = targets[0].name
        region.save(update_fields=["name", "prefix", "updated_at"])

    # Open the new regions.
    is_community = old_regions[0].level == Level.COMMUNITY
    sources = [c for c in (_community_of(r) for r in old_regions) if c is not None]
    for t in targets:
        if t.region is None:
            t.region = Region.objects.create(
                code=t.code,
                name=t.name,
                level=old_regions[0].level,
                parent=t.parent,
                valid_from=day,
            )
            if is_community:
                _new_community(t.region, change_kind, sources)
            else:
                _adopt(t.region)
        elif not t.continues:
            t.region.valid_from = day
            t.region.save(update_fields=["valid_from", "prefix", "updated_at"])
            if is_community and _community_of(t.region) is None:
                _new_community(t.region, change_kind, sources)

    # Close the old ones.
    for region in closing:
        region.valid_to = day
        region.save(update_fields=["valid_to", "prefix", "updated_at"])

    # Link them.
    if change_kind == ChangeKind.ABOLISH:
        pairs = [(r, r) for r in old_regions]
    else:
        pairs = [(r, t.region) for r in old_regions for t in targets if t.region is not None]
    DivisionChangeLink.objects.bulk_create(
        [DivisionChangeLink(change=change, old_region=o, new_region=n) for o, n in pairs]
    )

    # Communities follow the links.
    if is_community and change_kind in (ChangeKind.MOVE, ChangeKind.RECODE, ChangeKind.MERGE):
        target_region = targets[0].region
        assert target_region is not None
        target = Community.objects.get(pk=target_region.pk)
        if change_kind != ChangeKind.MERGE and not targets[0].continues and sources:
            _fill_profile(target, sources[0])
        for region in closing:
            _move_community(region, target, report)
    elif is_community and change_kind == ChangeKind.SPLIT:
        old = old_regions[0]
        by_code = {t.code: t.region for t in targets}
        for code in {c for c in assignment.values() if c != old.code}:
            target_region = by_code[code]
            assert target_region is not None
            target = Community.objects.get(pk=target_region.pk)
            compounds = list(
                Compound.objects.filter(
                    pk__in=[pk for pk, c in assignment.items() if c == code]
                ).order_by("name")
            )
            _move_compounds(compounds, old, target, report)

    new_codes = [t.code for t in targets]
    summary = f"{change_kind.value} {day}: {', '.join(olds)} → {', '.join(new_codes) or '—'}"
    if change.document:
        summary += f" ({change.document})"
    audit_record(
        actor=actor,
        verb=f"division.{change_kind.value}",
        target=change,
        region_code=common_ancestor_code([*olds, *new_codes]),
        summary=summary,
        before={"regions": before},
        after={
            "effective_on": day,
            "document": change.document,
            "old_codes": olds,
            "new_codes": new_codes,
            "regions": [_snapshot(t.region) for t in targets if t.region is not None]
            + [_snapshot(r) for r in closing],
            "compounds_moved": report.compounds_moved,
            "indicator_values_moved": report.values_moved,
            "compounds_renamed": report.compounds_renamed,
            "indicator_conflicts": report.indicator_conflicts,
        },
    )
    return change
