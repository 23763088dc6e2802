"""Creation lists (创建名单): per region and year, the communities in the campaign, pilots
flagged.

A community on a region's list lies under the region, is urban (`Community.is_urban`) and
existed during the list's year (valid on at least one day of it: a list of a past year may
name a community merged away since). Each write checks `policies.can_edit_creation_list` on the
list's region (`actor=None`: the platform itself), runs in one transaction and records one
audit event. `creation_list_set` replaces every entry at once: one refused community refuses
the whole list and nothing changes.
"""

from collections.abc import Sequence
from datetime import date
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from greencommunity.audit.services import audit_record
from greencommunity.core.errors import ApplicationError, PermissionDenied
from greencommunity.regions.codes import Level
from greencommunity.regions.models import Community, Region

from ..models import CreationList, CreationListEntry
from ..policies import can_edit_creation_list
from .plans import clean_year


def _check_keeper(actor: Any, region: Region) -> None:
    if actor is not None and not can_edit_creation_list(actor, region):
        raise PermissionDenied(
            _(
                "Only the housing department or an administrator of %(region)s may change its "
                "creation lists."
            )
            % {"region": region.name}
        )


def _check_region(region: Region) -> None:
    if region.level == Level.COMMUNITY:
        raise ApplicationError(
            _("A creation list belongs to a street, county, city or province, not a community."),
            {"field": "region", "value": region.code},
        )


def _problem(community: Community, region: Region, year: int) -> str:
    """Why the community cannot be on the region's list of `year` ("" when it can)."""
    code = community.region.code
    if not region.contains(code) or code == region.code:
        return _("%(name)s (%(code)s) does not lie in %(region)s.") % {
            "name": community.region.name, "code": code, "region": region.name,
        }  # fmt: skip
    if not community.is_urban:
        return _("%(name)s (%(code)s) is not an urban community.") % {
            "name": community.region.name, "code": code,
        }  # fmt: skip
    first, last = date(year, 1, 1), date(year, 12, 31)
    valid_from, valid_to = community.region.valid_from, community.region.valid_to
    if (valid_from is not None and valid_from > last) or (
        valid_to is not None and valid_to <= first
    ):
        return _("%(name)s (%(code)s) did not exist in %(year)d.") % {
            "name": community.region.name, "code": code, "year": year,
        }  # fmt: skip
    return ""


def _loaded(communities: Sequence[Community]) -> dict[int, Community]:
    ids = [c.pk for c in communities]
    return Community.objects.select_related("region").in_bulk(ids)


def _list_for(actor: Any, region: Region, year: int) -> CreationList:
    creation_list, _created = CreationList.objects.select_for_update().get_or_create(
        region=region,
        year=year,
        defaults={"created_by": actor if getattr(actor, "pk", None) else None},
    )
    return creation_list


def _entries_state(creation_list: CreationList) -> dict[str, bool]:
    return dict(
        creation_list.entries.order_by("community__region__code").values_list(
            "community__region__code", "pilot"
        )
    )


@transaction.atomic
def creation_list_set(
    *,
    actor: Any,
    region: Region,
    year: int,
    entries: Sequence[tuple[Community, bool]],
    notes: str | None = None,
) -> CreationList:
    """Replace the entries of the region's list of `year` with `entries` ((community, pilot)
    pairs); `notes` None keeps the notes. Every refused community is named in
    `extra["errors"]` ({code, reason}) and nothing is written."""
    _check_keeper(actor, region)
    _check_region(region)
    year = clean_year(year)
    loaded = _loaded([c for c, _pilot in entries])
    errors: list[dict[str, str]] = []
    seen: set[int] = set()
    rows: list[tuple[Community, bool]] = []
    for community, pilot in entries:
        current = loaded.get(community.pk)
        if current is None:
            errors.append({"code": "", "reason": _("A community does not exist.")})
            continue
        if current.pk in seen:
            errors.append(
                {"code": current.region.code, "reason": _("%(name)s is listed twice.")
                 % {"name": current.region.name}}
            )  # fmt: skip
            continue
        seen.add(current.pk)
        reason = _problem(current, region, year)
        if reason:
            errors.append({"code": current.region.code, "reason": reason})
        rows.append((current, bool(pilot)))
    if errors:
        raise ApplicationError(
            _("The creation list was not saved: %(first)s") % {"first": errors[0]["reason"]},
            {"errors": errors},
        )
    creation_list = _list_for(actor, region, year)
    before = _entries_state(creation_list)
    creation_list.entries.all().delete()
    CreationListEntry.objects.bulk_create(
        [CreationListEntry(creation_list=creation_list, community=c, pilot=p) for c, p in rows]
    )
    if notes is not None:
        creation_list.notes = notes.strip()
    creation_list.save()
    after = _entries_state(creation_list)
    audit_record(
        actor=actor, verb="creation_list.set", target=creation_list, region_code=region.code,
        summary=_("%(count)d communities, %(pilots)d pilots")
        % {"count": len(after), "pilots": sum(after.values())},
        before=before, after=after,
    )  # fmt: skip
    return creation_list


@transaction.atomic
def creation_list_add(
    *, actor: Any, region: Region, year: int, community: Community, pilot: bool = False
) -> CreationListEntry:
    """Put the community on the region's list of `year` (made when missing), or change its
    pilot flag when it is there already."""
    _check_keeper(actor, region)
    _check_region(region)
    year = clean_year(year)
    current = _loaded([community]).get(community.pk)
    if current is None:
        raise ApplicationError(_("A community does not exist."), {"field": "community"})
    reason = _problem(current, region, year)
    if reason:
        raise ApplicationError(reason, {"field": "community", "value": current.region.code})
    creation_list = _list_for(actor, region, year)
    entry = creation_list.entries.filter(community=current).first()
    before = None if entry is None else {"pilot": entry.pilot}
    if entry is None:
        entry = CreationListEntry.objects.create(
            creation_list=creation_list, community=current, pilot=bool(pilot)
        )
    elif entry.pilot != bool(pilot):
        entry.pilot = bool(pilot)
        entry.save(update_fields=["pilot"])
    else:
        return entry
    creation_list.save(update_fields=["updated_at"])
    audit_record(
        actor=actor, verb="creation_list.add", target=creation_list, region_code=region.code,
        summary=current.region.code, before=before,
        after={"community": current.region.code, "pilot": entry.pilot},
    )  # fmt: skip
    return entry


@transaction.atomic
def creation_list_remove(*, actor: Any, region: Region, year: int, community: Community) -> None:
    """Take the community off the region's list of `year`."""
    _check_keeper(actor, region)
    entry = (
        CreationListEntry.objects.select_related("creation_list", "community__region")
        .filter(creation_list__region=region, creation_list__year=year, community=community)
        .first()
    )
    if entry is None:
        raise ApplicationError(
            _("The community is not on the creation list of %(year)d.") % {"year": year},
            {"field": "community"},
        )
    creation_list = entry.creation_list
    before = {"community": entry.community.region.code, "pilot": entry.pilot}
    entry.delete()
    creation_list.save(update_fields=["updated_at"])
    audit_record(
        actor=actor, verb="creation_list.remove", target=creation_list,
        region_code=region.code, summary=str(before["community"]), before=before,
    )  # fmt: skip
