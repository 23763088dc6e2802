"""Versions, refinement and adoption of standards.

A draft (edited through `drafts`) is published once consistent (`standard_publish`, after the
checks of `selectors_versions.standard_publish_problems`) and never changes again; a change to
a published standard is a new version of the same key (`standard_new_version`). A region
refines the standard of a level above by deriving a draft of its own (`standard_derive`), each
copied criterion linked to the one it refines. A region puts a published standard with a pass
rule in force from a date (`standard_adopt`); regions without an adoption inherit their nearest
ancestor's (`selectors_versions.standard_in_force`).
"""

from datetime import date, timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_slug
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from greencommunity.audit.services import audit_record
from greencommunity.core.errors import ApplicationError, PermissionDenied
from greencommunity.regions.models import Region

from ..models import Area, Criterion, Standard, StandardAdoption, StandardStatus, SubCondition
from ..policies import can_adopt_standard, can_derive_standard
from ..selectors_versions import PASS_RULE_FIELDS, standard_applies_to, standard_publish_problems
from .checks import check_edit, check_view, clean_text, lock_draft, refuse

# ---------------------------------------------------------------------------- versions


@transaction.atomic
def standard_publish(*, actor: Any, standard: Standard) -> Standard:
    """Publish a consistent draft; from now on it never changes."""
    lock_draft(actor, standard)
    standard.refresh_from_db()  # check what is stored, not what the caller holds
    problems = standard_publish_problems(standard)
    if problems:
        message = problems[0].message
        if len(problems) > 1:
            message = _("The standard cannot be published: %(count)d problems.") % {
                "count": len(problems)
            }
        raise ApplicationError(message, {"errors": [p.as_dict() for p in problems]})
    standard.status = StandardStatus.PUBLISHED
    standard.published_at = timezone.now()
    standard.save(update_fields=["status", "published_at", "updated_at"])
    audit_record(
        actor=actor, verb="standard.publish", target=standard,
        region_code=standard.issuing_code,
        after={"key": standard.key, "version": standard.version},
    )  # fmt: skip
    return standard


def _copy(source: Standard, target: Standard, *, link_to_source: bool) -> None:
    """Copy the areas, criteria (with sub-conditions and numeric rules) of `source` into
    `target`. Each copied criterion refines its source criterion (`link_to_source`), or keeps
    the parent criterion the source criterion refines (a new version)."""
    areas = {}
    for a in Area.objects.filter(standard=source).order_by("number"):
        areas[a.pk] = Area.objects.create(
            standard=target, number=a.number, name=a.name, national_area=a.national_area,
            points=a.points,
        )  # fmt: skip
    criteria = list(Criterion.objects.filter(standard=source).prefetch_related("sub_conditions"))
    copies = Criterion.objects.bulk_create(
        [
            Criterion(
                standard=target,
                area=areas[c.area_id],
                number=c.number,
                text=c.text,
                points=c.points,
                evidence=c.evidence,
                departments=c.departments,
                veto=c.veto,
                indicator_id=c.indicator_id,
                operator=c.operator,
                threshold=c.threshold,
                parent_criterion_id=c.pk if link_to_source else c.parent_criterion_id,
            )
            for c in criteria
        ]
    )
    SubCondition.objects.bulk_create(
        SubCondition(criterion=copy, number=s.number, text=s.text)
        for c, copy in zip(criteria, copies, strict=True)
        for s in c.sub_conditions.all()
    )


def _standard_fields(source: Standard) -> dict[str, Any]:
    """What a copy takes over of the standard itself (not its dates: a copy sets its own)."""
    return {
        "description": source.description,
        "scoring_mode": source.scoring_mode,
        **{f: getattr(source, f) for f in PASS_RULE_FIELDS},
    }


def _require_published(standard: Standard, message: str) -> None:
    if standard.status != StandardStatus.PUBLISHED:
        raise ApplicationError(message, {"code": "draft"})


@transaction.atomic
def standard_new_version(*, actor: Any, standard: Standard) -> Standard:
    """A new draft version of a published standard (the same key, version max + 1), copied
    from it, to be edited and published in its turn. One draft per key at a time."""
    check_edit(actor, standard)
    versions = list(
        Standard.objects.select_for_update().filter(key=standard.key).order_by("-version")
    )
    source = next(s for s in versions if s.pk == standard.pk)
    _require_published(source, _("Only a published standard gets new versions: edit the draft."))
    draft = next((s for s in versions if s.status == StandardStatus.DRAFT), None)
    if draft is not None:
        raise ApplicationError(
            _("Version %(version)d of this standard is a draft already: edit it instead.")
            % {"version": draft.version},
            {"code": "draft_exists", "draft": draft.pk},
        )
    new = Standard.objects.create(
        key=source.key, version=versions[0].version + 1, name=source.name,
        issuing_code=source.issuing_code, parent_id=source.parent_id, source=source.source,
        status=StandardStatus.DRAFT, **_standard_fields(source),
    )  # fmt: skip
    _copy(source, new, link_to_source=False)
    audit_record(
        actor=actor, verb="standard.new_version", target=new, region_code=new.issuing_code,
        after={"key": new.key, "version": new.version, "from": source.pk},
    )  # fmt: skip
    return new


@transaction.atomic
def standard_derive(
    *, actor: Any, parent: Standard, region: Region, key: str, name: str
) -> Standard:
    """Refine a published standard of `region` or a level above into a draft issued by
    `region`; each criterion is linked to the parent criterion it was copied from."""
    check_view(actor, parent)
    if actor is not None and not can_derive_standard(actor, parent, region):
        raise PermissionDenied(
            _("You may not issue standards for %(region)s.") % {"region": region}
        )
    _require_published(parent, _("Only a published standard can be refined."))
    if not standard_applies_to(parent, region.code):
        raise ApplicationError(
            _("%(region)s can refine only a national standard or one issued by itself or above.")
            % {"region": region},
            {"field": "parent"},
        )
    errors: dict[str, str] = {}
    key = key.strip()
    try:
        validate_slug(key)
    except ValidationError:
        errors["key"] = _("Use letters, digits, hyphens and underscores only.")
    if len(key) > 60:
        errors["key"] = _("At most %(max)d characters (this has %(length)d).") % {
            "max": 60,
            "length": len(key),
        }
    elif Standard.objects.filter(key=key).exists():
        errors["key"] = _("The key %(key)s is taken.") % {"key": key}
    name = clean_text(name, 200, "name", errors, required=True)
    if errors:
        refuse(errors)
    child = Standard.objects.create(
        key=key, version=1, name=name, issuing_code=region.code, parent=parent,
        status=StandardStatus.DRAFT, **_standard_fields(parent),
    )  # fmt: skip
    _copy(parent, child, link_to_source=True)
    audit_record(
        actor=actor, verb="standard.derive", target=child, region_code=child.issuing_code,
        after={"key": key, "parent": parent.pk, "parent_key": parent.key,
               "parent_version": parent.version},
    )  # fmt: skip
    return child


# ---------------------------------------------------------------------------- adoption


@transaction.atomic
def standard_adopt(
    *, actor: Any, region: Region, standard: Standard, effective_from: date
) -> StandardAdoption:
    """Put a published standard with a pass rule in force in `region` from `effective_from`
    (until the standard's own end, if it has one); the region's previous adoption ends the day
    before."""
    check_view(actor, standard)
    if actor is not None and not can_adopt_standard(actor, region, standard):
        raise PermissionDenied(
            _("You may not adopt standards for %(region)s.") % {"region": region}
        )
    _require_published(standard, _("Only a published standard can be adopted."))
    if not standard.has_pass_rule:
        raise ApplicationError(
            _(
                "%(standard)s has no pass rule: derive a version of your own, set its pass "
                "rule and publish it, then adopt that."
            )
            % {"standard": standard},
            {"code": "no_pass_rule"},
        )
    if not standard_applies_to(standard, region.code):
        raise ApplicationError(
            _("%(region)s can adopt only a national standard or one issued by itself or above.")
            % {"region": region},
            {"field": "standard"},
        )
    if standard.effective_from is not None and effective_from < standard.effective_from:
        raise ApplicationError(
            _("%(standard)s takes effect on %(day)s: adopt it from then or later.")
            % {"standard": standard, "day": standard.effective_from.isoformat()},
            {"field": "effective_from"},
        )
    if standard.effective_to is not None and effective_from > standard.effective_to:
        raise ApplicationError(
            _("%(standard)s ended on %(day)s.")
            % {"standard": standard, "day": standard.effective_to.isoformat()},
            {"field": "effective_from"},
        )
    Region.objects.select_for_update().filter(pk=region.pk).first()  # one adoption at a time
    adoptions = StandardAdoption.objects.filter(region=region).order_by("-effective_from")
    later = adoptions.filter(effective_from__gte=effective_from).first()
    if later is not None:
        raise ApplicationError(
            _("%(region)s has an adoption from %(day)s: adopt from a later day.")
            % {"region": region, "day": later.effective_from.isoformat()},
            {"field": "effective_from"},
        )
    closed = None
    previous = adoptions.first()
    if previous is not None and (
        previous.effective_to is None or previous.effective_to >= effective_from
    ):
        previous.effective_to = effective_from - timedelta(days=1)
        previous.save(update_fields=["effective_to", "updated_at"])
        closed = {"standard": previous.standard_id, "effective_to": previous.effective_to}
    adoption = StandardAdoption.objects.create(
        region=region, standard=standard, effective_from=effective_from,
        effective_to=standard.effective_to,
    )  # fmt: skip
    audit_record(
        actor=actor, verb="standard.adopt", target=standard, region_code=region.code,
        summary=str(region),
        after={"region": region.code, "effective_from": effective_from,
               "effective_to": adoption.effective_to, "closed_previous": closed},
    )  # fmt: skip
    return adoption
