"""Making, filling in, submitting and withdrawing an application (申报).

An application is made by the community committee from its submitted, passing self-assessment
(the latest revision), for one title, with the 审批表 fields pre-filled from the registry. It is
changed while a draft or returned; submitting sends it to the first step of its chain or, after
a return, to the step that returned it. Every service checks the policy, runs in one
transaction, writes one audit event "application.<verb>" and e-mails after commit.
"""

from datetime import timedelta
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Field
from django.utils import timezone
from django.utils.translation import gettext as _

from greencommunity.assessments.models import Assessment, AssessmentStatus
from greencommunity.core.errors import ApplicationError, NotFound, PermissionDenied
from greencommunity.regions.codes import Level, ancestor_codes
from greencommunity.regions.models import Community, Region
from greencommunity.regions.services.fields import FieldError, parse_phone

from ..models import Application, ApplicationStatus, Title, TitleKind, TitleStatus
from ..models.applications import BASIC_SITUATION_MAX
from ..policies import (
    can_create_application,
    can_view_applications_of,
    can_withdraw_application,
)
from ..selectors_quota import city_of, quota_check
from .chains import chain_for, first_step
from .common import (
    changed_meanwhile,
    check_edit,
    check_view,
    load_application,
    notify_after_commit,
    record,
    refuse,
    state,
    user_or_none,
)

FORM_FIELDS = ("division", "leader_name", "leader_phone", "committee_address", "basic_situation")
OPEN = [ApplicationStatus.DRAFT, ApplicationStatus.IN_REVIEW, ApplicationStatus.RETURNED]


def division_of(community: Community) -> str:
    """所在行政区划: the full names of the community's city, county and street, as the registry
    has them."""
    codes = ancestor_codes(community.region.code)
    names = (
        Region.objects.filter(code__in=codes)
        .exclude(level=Level.PROVINCE)
        .order_by("code")
        .values_list("name", flat=True)
    )
    return " ".join(names)


def check_assessment(assessment: Assessment) -> None:
    """The self-assessment an application rests on: submitted, passing, the latest revision."""
    if assessment.status != AssessmentStatus.SUBMITTED:
        raise ApplicationError(
            _("Submit the self-assessment before applying."), {"field": "assessment"}
        )
    if assessment.passed is None:
        raise ApplicationError(
            _(
                "The standard “%(standard)s” sets no pass mark, so this self-assessment cannot "
                "show that the community meets it: apply with a self-assessment against a "
                "standard that has one."
            )
            % {"standard": assessment.standard},
            {"field": "assessment"},
        )
    if not assessment.passed:
        raise ApplicationError(
            _("The self-assessment did not pass (%(total)s of %(maximum)s): it cannot be used.")
            % {"total": assessment.total, "maximum": assessment.maximum},
            {"field": "assessment"},
        )
    newer = Assessment.objects.filter(
        community_id=assessment.community_id, standard_id=assessment.standard_id,
        year=assessment.year, revision__gt=assessment.revision,
    ).exists()  # fmt: skip
    if newer:
        raise ApplicationError(
            _("The self-assessment was reopened: a newer revision exists."),
            {"field": "assessment"},
        )


def _check_title(community: Community, title_kind: str, exclude: int | None = None) -> None:
    """No live title of the kind yet; the demonstration title needs a valid green title and
    room in the city's quota."""
    if (
        Title.objects.filter(community=community, kind=title_kind)
        .exclude(status=TitleStatus.REVOKED)
        .exists()
    ):
        raise ApplicationError(
            _("%(community)s already holds the title “%(title)s”.")
            % {"community": community.region.name, "title": TitleKind(title_kind).label},
            {"field": "title_kind"},
        )
    if title_kind != TitleKind.DEMONSTRATION:
        return
    if not Title.objects.filter(
        community=community, kind=TitleKind.GREEN, status=TitleStatus.VALID
    ).exists():
        raise ApplicationError(
            _("Only a community holding a valid green community title may apply for the "
              "demonstration title."),
            {"field": "title_kind"},
        )  # fmt: skip
    quota_check(city_of(community), adding=1, exclude=[exclude] if exclude else [])


@transaction.atomic
def application_create(*, actor: Any, assessment: Assessment, title_kind: str) -> Application:
    """A draft application of the assessment's community for `title_kind`, made from the
    assessment, on the chain of its jurisdiction, with the 审批表 pre-filled."""
    try:
        assessment = Assessment.objects.select_related("community__region", "standard").get(
            pk=assessment.pk
        )
    except Assessment.DoesNotExist:
        raise NotFound(_("Self-assessment not found.")) from None
    community = assessment.community
    if actor is not None and not can_create_application(actor, community):
        if not can_view_applications_of(actor, community):
            raise NotFound(_("Self-assessment not found."))
        raise PermissionDenied(_("Only the community committee applies for its community."))
    if title_kind not in TitleKind.values:
        raise ApplicationError(_("Choose a title."), {"field": "title_kind"})
    check_assessment(assessment)
    if not community.is_urban:
        raise ApplicationError(
            _("Only urban communities (residents' committees) take part in the campaign.")
        )
    chain = chain_for(community, title_kind)
    _check_title(community, title_kind)
    duplicate = _("%(community)s has an open application for this title already.") % {
        "community": community.region.name
    }
    if Application.objects.filter(
        community=community, title_kind=title_kind, status__in=OPEN
    ).exists():
        raise ApplicationError(duplicate, {"field": "title_kind"})
    try:
        with transaction.atomic():  # a concurrent create won the partial unique constraint
            application = Application.objects.create(
                community=community, assessment=assessment, title_kind=title_kind,
                year=timezone.localdate().year, chain=chain, created_by=user_or_none(actor),
                division=division_of(community), leader_name=community.leader_name,
                leader_phone=community.leader_phone, committee_address=community.address,
            )  # fmt: skip
    except IntegrityError:
        raise ApplicationError(duplicate, {"field": "title_kind"}) from None
    record(
        actor, "create", application, summary=str(TitleKind(title_kind).label),
        after={"title_kind": title_kind, "assessment": assessment.pk, "chain": chain.key,
               "year": application.year},
    )  # fmt: skip
    return application


def _text_field(field: str) -> int:
    model_field = Application._meta.get_field(field)
    assert isinstance(model_field, Field)
    return model_field.max_length or BASIC_SITUATION_MAX


def _clean(fields: dict[str, Any]) -> dict[str, str]:
    unknown = set(fields) - set(FORM_FIELDS)
    if unknown:
        raise TypeError(f"unknown application fields: {', '.join(sorted(unknown))}")
    errors: dict[str, str] = {}
    cleaned: dict[str, str] = {}
    for field, value in fields.items():
        text = "" if value is None else str(value).replace("\r\n", "\n").strip()
        limit = _text_field(field)
        if len(text) > limit:
            errors[field] = _("At most %(max)d characters (this has %(length)d).") % {
                "max": limit,
                "length": len(text),
            }
        elif field == "leader_phone":
            try:
                text = parse_phone(text)
            except FieldError as exc:
                errors[field] = exc.message
        cleaned[field] = text
    if errors:
        refuse(errors)
    return cleaned


@transaction.atomic
def application_update(*, actor: Any, application: Application, **fields: Any) -> Application:
    """Change some of the 审批表 fields (`FORM_FIELDS`) of a draft or returned application;
    the basic situation has at most 1000 characters. Nothing changed, nothing recorded."""
    cleaned = _clean(fields)
    current = load_application(application, lock=True)
    check_edit(actor, current)
    before = {f: getattr(current, f) for f, v in cleaned.items() if getattr(current, f) != v}
    if not before:
        return current
    for field in before:
        setattr(current, field, cleaned[field])
    current.save(update_fields=[*before, "updated_at"])
    record(actor, "update", current, before=before, after={f: cleaned[f] for f in before})
    return current


def _transition(application: Application, **changes: Any) -> None:
    """Apply `changes` and bump the version if the stored application still has the version
    and status `application` shows (a conditional UPDATE), else refuse and write nothing."""
    changes["version"] = application.version + 1
    updated = Application.objects.filter(
        pk=application.pk, version=application.version, status=application.status
    ).update(**changes, updated_at=timezone.now())
    if not updated:
        raise changed_meanwhile()
    for field, value in changes.items():
        setattr(application, field, value)


def _latest_revision(assessment: Assessment) -> Assessment:
    latest = (
        Assessment.objects.select_related("standard", "community__region")
        .filter(community_id=assessment.community_id, standard_id=assessment.standard_id,
                year=assessment.year)
        .order_by("-revision")
        .first()
    )  # fmt: skip
    return latest or assessment


@transaction.atomic
def application_submit(*, actor: Any, application: Application) -> Application:
    """Send a draft to the chain's first step, or a returned application back to the step that
    returned it, once the 审批表 is complete and the self-assessment still passes."""
    current = load_application(application, lock=True)
    check_edit(actor, current)
    errors = {f: _("This field is required.") for f in FORM_FIELDS if not getattr(current, f)}
    if errors:
        refuse(errors)
    _clean({f: getattr(current, f) for f in FORM_FIELDS})
    latest = _latest_revision(current.assessment)
    if latest.pk != current.assessment_id and latest.status == AssessmentStatus.SUBMITTED:
        current.assessment = latest  # revised while the application was back with it
    check_assessment(current.assessment)
    if current.title_kind == TitleKind.DEMONSTRATION:
        _check_title(current.community, current.title_kind, exclude=current.pk)
    resumed = current.status == ApplicationStatus.RETURNED and current.returned_from is not None
    step = current.returned_from if resumed and current.returned_from else first_step(current.chain)
    before, now = state(current), timezone.now()
    _transition(
        current, status=ApplicationStatus.IN_REVIEW, current_step=step, returned_from=None,
        step_entered_at=now, due_on=timezone.localdate() + timedelta(days=step.due_days),
        submitted_at=current.submitted_at or now, assessment=current.assessment,
    )  # fmt: skip
    record(actor, "submit", current, summary=step.name, before=before, after=state(current))
    notify_after_commit(current)
    return current


@transaction.atomic
def application_withdraw(*, actor: Any, application: Application) -> Application:
    """The community takes its application back, at any time before it is named."""
    current = load_application(application, lock=True)
    check_view(actor, current)
    if current.status not in OPEN:
        raise ApplicationError(
            _("The application is %(status)s: it cannot be withdrawn.")
            % {"status": current.get_status_display()}
        )
    if actor is not None and not can_withdraw_application(actor, current):
        raise PermissionDenied(_("Only the community committee withdraws its application."))
    before = state(current)
    _transition(
        current, status=ApplicationStatus.WITHDRAWN, current_step=None, due_on=None,
        closed_at=timezone.now(),
    )  # fmt: skip
    record(actor, "withdraw", current, before=before, after=state(current))
    return current
