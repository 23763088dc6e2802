"""Demo applications through Huantai's review chain (the built-in county chain: street →
county review → public notice → naming), made with the real services: one community at each
stage (`data.APPLICATIONS`), a returned one, an open public notice with an open objection, and
a naming decision with certificates. Plaques are made on demand from the titles."""

from datetime import date, timedelta
from decimal import Decimal

from django.utils import timezone

from greencommunity.access.models import User
from greencommunity.assessments.models import Assessment, AssessmentAnswer, AssessmentStatus
from greencommunity.assessments.services import answer_set, assessment_start, assessment_submit
from greencommunity.regions.models import Community, Region
from greencommunity.reviews import calendar
from greencommunity.reviews.models import Application, PublicNotice, TitleKind, Verdict
from greencommunity.reviews.models.notices import DEFAULT_NOTICE_DAYS
from greencommunity.reviews.services import (
    application_create,
    application_decide,
    application_submit,
    application_update,
    naming_decide,
    notice_close,
    notice_create,
    objection_resolve,
    objection_submit,
)
from greencommunity.standards.models import Standard

from . import data
from .evidence import attach_samples

CLIENT_IP = "127.0.0.1"  # the demo's objections come "from" here (only its keyed hash is kept)


def _passing_assessment(community: Community, year: int) -> Assessment:
    """The community's submitted, passing self-assessment of the Huantai standard for `year`
    (full points on every criterion its indicators do not decide), with sample evidence."""
    huantai = Standard.objects.get(key="huantai-2021", version=1)
    existing = Assessment.objects.filter(
        community=community,
        standard=huantai,
        year=year,
        status=AssessmentStatus.SUBMITTED,
        passed=True,
    ).first()
    if existing is not None:  # 西苑社区's, made by `_assessments`
        return existing
    assessment = assessment_start(actor=None, community=community, standard=huantai, year=year)
    filled = set(
        AssessmentAnswer.objects.filter(assessment=assessment, source="indicator").values_list(
            "criterion_id", flat=True
        )
    )
    answered = []
    for criterion in huantai.criteria.order_by("number"):
        if criterion.pk in filled:
            continue
        answer_set(actor=None, assessment=assessment, criterion=criterion,
                   points=criterion.points or Decimal(5))  # fmt: skip
        answered.append(criterion.pk)
    attach_samples(assessment, answered[:3])
    assessment = assessment_submit(actor=None, assessment=assessment)
    if not assessment.passed:
        raise RuntimeError(f"demo self-assessment of {community} does not pass")
    return assessment


def _apply(actor: User | None, code: str, year: int) -> Application:
    """A complete draft application of the community `code` for the green community title."""
    community = Community.objects.select_related("region").get(region__code=code)
    assessment = _passing_assessment(community, year)
    application = application_create(actor=actor, assessment=assessment, title_kind=TitleKind.GREEN)
    return application_update(
        actor=actor,
        application=application,
        leader_name=application.leader_name or data.LEADERS[0],
        leader_phone=application.leader_phone or "0533-8200000",
        committee_address=application.committee_address or f"桓台县{community.region.name}",
        basic_situation=data.BASIC_SITUATION.format(
            name=community.region.name,
            division=application.division,
            households=community.households or 1000,
        ),
    )


def _account_region(username: str) -> str:
    return next(code for name, _full, _role, code, _dept in data.ACCOUNTS if name == username)


def demo_applications() -> None:
    """See the module's text; runs after the demo accounts exist."""
    today = timezone.localdate()
    users = {u.username: u for u in User.objects.filter(username__in=["community", "street",
                                                                       "county"])}  # fmt: skip
    street_code, community_code = _account_region("street"), _account_region("community")
    county = Region.objects.get(code=data.COUNTY[0])

    def decide(application: Application, verdict: str, opinion: str) -> None:
        """The step's decider: the demo account that covers it, else the operator."""
        step = application.current_step
        assert step is not None
        if step.key == "street":
            in_street = application.community.region.code[:9] == street_code[:9]
            actor = users["street"] if in_street else None
        else:
            actor = users["county"]
        application_decide(actor=actor, application=application, verdict=verdict,
                           opinion=opinion)  # fmt: skip

    stages: dict[str, list[Application]] = {}
    for code, stage in data.APPLICATIONS:
        actor = users["community"] if code == community_code else None
        application = _apply(actor, code, date.today().year)  # as assessment_start
        stages.setdefault(stage, []).append(application)
        if stage == "draft":
            continue
        application = application_submit(actor=actor, application=application)
        if stage == "street":
            continue
        decide(application, Verdict.APPROVE, data.STREET_OPINION)
        if stage == "county":
            continue
        if stage == "returned":
            decide(application, Verdict.RETURN, data.RETURN_REASON)
            continue
        decide(application, Verdict.APPROVE, data.COUNTY_OPINION)

    # The named batch went through a notice with one objection, dismissed.
    named = stages["named"]
    notice = notice_create(
        actor=users["county"], region=county,
        heading=f"{today.year}年度桓台县绿色社区（第一批）拟命名名单公示",
        body=data.NOTICE_BODY, application_ids=[a.pk for a in named], starts_on=today,
    )  # fmt: skip
    reason, name, phone, resolution = data.DISMISSED_OBJECTION
    objection = objection_submit(notice=notice, application=named[1], reason=reason,
                                 contact_name=name, contact_phone=phone,
                                 client_ip=CLIENT_IP)  # fmt: skip
    objection_resolve(actor=users["county"], objection=objection, upheld=False,
                      resolution=resolution)  # fmt: skip
    # Demo data only: a notice cannot start in the past and is closed only after its period,
    # so this finished one is moved back in time with a direct update before closing it.
    starts_on = today - timedelta(days=21)
    ends_on = calendar.period_end(starts_on, DEFAULT_NOTICE_DAYS, working=True)
    PublicNotice.objects.filter(pk=notice.pk).update(starts_on=starts_on, ends_on=ends_on)
    notice_close(actor=users["county"], notice=notice)
    naming_decide(
        actor=users["county"], region=county, title_kind=TitleKind.GREEN, year=today.year,
        document_number=data.NAMING_NUMBER.format(year=today.year),
        heading=data.NAMING_HEADING.format(year=today.year), body=data.NAMING_BODY,
        decided_on=today, application_ids=[a.pk for a in named],
    )  # fmt: skip

    # The running notice, public now, with an objection waiting for the county.
    candidate = stages["notice"][0]
    notice = notice_create(
        actor=users["county"], region=county,
        heading=f"{today.year}年度桓台县绿色社区（第二批）拟命名名单公示",
        body=data.NOTICE_BODY, application_ids=[candidate.pk], starts_on=today,
    )  # fmt: skip
    reason, name, phone = data.OBJECTION
    objection_submit(notice=notice, application=candidate, reason=reason, contact_name=name,
                     contact_phone=phone, client_ip=CLIENT_IP)  # fmt: skip
