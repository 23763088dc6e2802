"""Deciding review steps: the Sichuan chain to the sampling step, returns and resubmission,
rejection, the Tianjin chain's joint opinions, the county chain, the reviewer's score beside the
self-score, seals, the assessment lock, audit events and e-mail after commit."""

from datetime import timedelta
from decimal import Decimal as D

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from greencommunity.audit.models import Event
from greencommunity.core.errors import ApplicationError, PermissionDenied
from greencommunity.regions.services.tree import region_create
from greencommunity.reviews.models import ApplicationStatus, Decision, JointOpinion
from greencommunity.reviews.selectors import (
    assessment_is_locked_by_application,
    assessment_lock_reason,
    side_by_side,
)
from greencommunity.reviews.services import (
    application_decide,
    application_move,
    application_submit,
    application_update,
    application_withdraw,
    joint_opinion_add,
    reviewer_answer_set,
)


def decide(actor, application, verdict="approve", opinion="同意。", **kwargs):
    return application_decide(
        actor=actor, application=application, verdict=verdict, opinion=opinion, **kwargs
    )


def test_sichuan_street_county_city_then_waiting_at_sampling(sc, sc_users, apply):
    # given 东门社区's application, submitted to its street office
    application = apply(sc_users["committee"], sc["c1"])
    # when the street recommends, the county reviews and the city re-checks
    decide(sc_users["street"], application, opinion="同意推荐。")
    assert application.current_step.key == "county"
    decide(sc_users["county"], application, opinion="经初审，符合创建要求。")
    assert application.current_step.key == "city"
    decide(sc_users["city"], application, opinion="经复核，同意上报。")
    # then it waits at the province's sampling step, for the batch services
    application.refresh_from_db()
    assert application.status == ApplicationStatus.IN_REVIEW
    assert application.current_step.key == "province-sampling" and application.version == 5
    assert application.due_on == timezone.localdate() + timedelta(days=30)
    rows = list(application.decisions.values_list("step__key", "verdict", "opinion", "actor"))
    assert rows == [
        ("street", "approve", "同意推荐。", sc_users["street"].pk),
        ("county", "approve", "经初审，符合创建要求。", sc_users["county"].pk),
        ("city", "approve", "经复核，同意上报。", sc_users["city"].pk),
    ]
    assert all(d.decided_on == timezone.localdate() for d in application.decisions.all())
    # and the sampling step is not decided one by one
    with pytest.raises(ApplicationError, match="whole batch"):
        decide(sc_users["province"], application)
    # and every decision is audited with the state before and after
    events = list(Event.objects.filter(verb="application.approve").order_by("seq"))
    assert [e.actor_id for e in events] == [
        sc_users["street"].pk, sc_users["county"].pk, sc_users["city"].pk,
    ]  # fmt: skip
    assert events[0].before["current_step"] == application.chain.steps.get(key="street").pk
    assert events[0].after["version"] == 3 and events[0].region_code == "510104001001"


def test_return_at_county_and_resubmission_re_enters_there(sc, sc_users, apply):
    application = apply(sc_users["committee"], sc["c1"])
    decide(sc_users["street"], application)
    # when the county returns it, a reason is required
    with pytest.raises(ApplicationError, match="reason"):
        decide(sc_users["county"], application, verdict="return", opinion="  ")
    decide(sc_users["county"], application, verdict="return", opinion="请补充垃圾分类材料。")
    application.refresh_from_db()
    assert application.status == ApplicationStatus.RETURNED and application.current_step is None
    assert application.returned_from.key == "county"
    # then the community revises and resubmits; it re-enters at the county, not the street
    committee = sc_users["committee"]
    application_update(actor=committee, application=application, basic_situation="已补充。")
    application = application_submit(actor=committee, application=application)
    assert application.current_step.key == "county" and application.returned_from is None
    decide(sc_users["county"], application)
    assert application.current_step.key == "city"
    assert list(application.decisions.values_list("step__key", "verdict")) == [
        ("street", "approve"), ("county", "return"), ("county", "approve"),
    ]  # fmt: skip


def test_reject_closes_and_a_new_application_may_follow(sc, sc_users, apply):
    application = apply(sc_users["committee"], sc["c1"])
    decide(sc_users["street"], application, verdict="reject", opinion="不符合条件。")
    application.refresh_from_db()
    assert application.status == ApplicationStatus.REJECTED and application.closed_at
    with pytest.raises(ApplicationError, match="not waiting for a decision"):
        decide(sc_users["street"], application)
    assert Event.objects.filter(verb="application.reject").count() == 1
    again = apply(sc_users["committee"], sc["c1"], assessment=application.assessment)
    assert again.current_step.key == "street"


def test_decision_input_is_checked(sc, sc_users, apply, png, media):
    application = apply(sc_users["committee"], sc["c1"])
    street = sc_users["street"]
    with pytest.raises(ApplicationError, match="Choose approve"):
        decide(street, application, verdict="maybe")
    with pytest.raises(ApplicationError, match="future"):
        decide(street, application, decided_on=timezone.localdate() + timedelta(days=1))
    with pytest.raises(ApplicationError, match="must be a photo"):
        decide(street, application, seal=SimpleUploadedFile("seal.pdf", b"%PDF-1.4 text"))
    assert not Decision.objects.exists()
    # a seal image and an earlier date fill the street row of the 审批表
    day = timezone.localdate() - timedelta(days=2)
    decision = decide(street, application, seal=png(), decided_on=day)
    decision.refresh_from_db()
    assert decision.decided_on == day and decision.seal.name.startswith("seals/")
    assert (media / decision.seal.name).exists()


def test_tianjin_city_acceptance_needs_the_joint_opinions(chains, person, apply):
    # given a Tianjin tree and its officials
    tj = region_create(actor=None, code="120000000000", name="天津市")
    city = region_create(actor=None, code="120100000000", name="市辖区", parent=tj)
    district = region_create(actor=None, code="120101000000", name="和平区", parent=city)
    street = region_create(actor=None, code="120101001000", name="劝业场街道", parent=district)
    community = region_create(actor=None, code="120101001001", name="花园社区", parent=street)
    community.community.leader_name, community.community.leader_phone = "李", "022-1234567"
    community.community.address = "花园路 1 号"
    community.community.save()
    committee = person("community", community, "huayuan")
    street_office = person("street", street, "quanyechang")
    district_housing = person("housing", district, "heping")
    city_housing = person("housing", city, "tj_housing")
    civil = person("department", city, "tj_minzheng", department="民政局")
    ecology = person("department", city, "tj_shengtai", department="市生态环境局")
    water = person("department", city, "tj_shuiwu", department="水务局")
    district_civil = person("department", district, "heping_minzheng", department="民政局")
    # when the application passes the street and the district
    application = apply(committee, community.community)
    assert application.chain.key == "tianjin"
    decide(street_office, application)
    decide(district_housing, application)
    assert application.current_step.key == "city"
    # then the city cannot accept it before both departments have given their opinion
    with pytest.raises(ApplicationError, match="市民政局、市生态环境局"):
        decide(city_housing, application)
    with pytest.raises(PermissionDenied):  # 水务局 is not 民政局
        joint_opinion_add(actor=water, application=application, department="市民政局",
                          agrees=True, opinion="同意")  # fmt: skip
    with pytest.raises(PermissionDenied):  # the district's 民政局 is below the city step
        joint_opinion_add(actor=district_civil, application=application, department="市民政局",
                          agrees=True, opinion="同意")  # fmt: skip
    with pytest.raises(ApplicationError, match="asks no joint opinion"):
        joint_opinion_add(actor=water, application=application, department="市水务局",
                          agrees=True, opinion="同意")  # fmt: skip
    joint_opinion_add(actor=civil, application=application, department="市民政局", agrees=True,
                      opinion="同意")  # fmt: skip
    with pytest.raises(ApplicationError, match="市生态环境局"):
        decide(city_housing, application)
    joint_opinion_add(actor=ecology, application=application, department="市生态环境局",
                      agrees=False, opinion="绿化不足")  # fmt: skip
    joint_opinion_add(actor=ecology, application=application, department="市生态环境局",
                      agrees=True, opinion="已整改，同意")  # fmt: skip
    assert JointOpinion.objects.count() == 2
    assert Event.objects.filter(verb="application.joint_opinion").count() == 3
    decide(city_housing, application, opinion="验收合格。")
    assert application.current_step.key == "notice"


def test_county_chain_for_huantai(tree, chains, person, apply):
    community = tree["community"].community
    community.leader_name, community.leader_phone, community.address = "王", "0533-1", "西苑路"
    community.save()
    committee = person("community", tree["community"], "xiyuan")
    application = apply(committee, community)
    assert application.chain.key == "county"
    decide(person("street", tree["street"], "chengqu"), application)
    decide(person("housing", tree["county"], "huantai"), application)
    assert application.current_step.key == "notice"
    assert application.status == ApplicationStatus.IN_REVIEW


def test_reviewer_scores_side_by_side(sc, sc_users, apply, standard):
    application = apply(sc_users["committee"], sc["c1"])  # self-score 5 + 3 + 2
    county = sc_users["county"]
    criteria = list(standard.criteria.order_by("number"))
    # the street step does not score
    with pytest.raises(ApplicationError, match="no step that scores"):
        reviewer_answer_set(actor=sc_users["street"], application=application,
                            criterion_id=criteria[0].pk, points="4")  # fmt: skip
    decide(sc_users["street"], application)
    with pytest.raises(PermissionDenied):
        reviewer_answer_set(actor=sc_users["city"], application=application,
                            criterion_id=criteria[0].pk, points="4")  # fmt: skip
    with pytest.raises(ApplicationError, match=r"steps of 0\.5"):
        reviewer_answer_set(actor=county, application=application,
                            criterion_id=criteria[0].pk, points="4.3")  # fmt: skip
    with pytest.raises(ApplicationError, match="0 to 3 points"):
        reviewer_answer_set(actor=county, application=application,
                            criterion_id=criteria[1].pk, points="3.5")  # fmt: skip
    reviewer_answer_set(actor=county, application=application, criterion_id=criteria[0].pk,
                        points="4", notes="台账不全")  # fmt: skip
    reviewer_answer_set(actor=county, application=application, criterion_id=criteria[1].pk,
                        met=True)  # fmt: skip
    view = side_by_side(application, application.current_step)
    assert [(r.number, r.self_points, r.reviewer_points, r.differs) for r in view.rows] == [
        (1, D(5), D(4), True), (2, D(3), D(3), False), (3, D(2), None, False),
    ]  # fmt: skip
    assert view.rows[0].reviewer_notes == "台账不全" and view.rows[0].text == "条目1"
    assert (view.self_score.total, view.self_score.passed) == (D(10), True)
    assert (view.reviewer_score.total, view.reviewer_score.passed) == (D(7), False)
    assert view.reviewed == 2
    assert Event.objects.filter(verb="application.score").count() == 2


def test_approval_locks_the_assessment_until_closed(sc, sc_users, apply):
    application = apply(sc_users["committee"], sc["c1"])
    assert not assessment_is_locked_by_application(application.assessment)
    decide(sc_users["street"], application)
    assert assessment_is_locked_by_application(application.assessment)
    assert "cannot be reopened" in assessment_lock_reason(application.assessment)
    decide(sc_users["county"], application, verdict="return", opinion="补充")
    # back with the community: it may revise its self-assessment
    assert not assessment_is_locked_by_application(application.assessment)
    application_submit(actor=sc_users["committee"], application=application)
    assert assessment_is_locked_by_application(application.assessment)  # in review again
    application_withdraw(actor=sc_users["committee"], application=application)
    assert not assessment_is_locked_by_application(application.assessment)
    assert assessment_lock_reason(application.assessment) is None


def test_reopen_is_refused_in_review_and_a_revision_is_taken_on_resubmission(sc, sc_users, apply):
    from greencommunity.assessments.services import assessment_reopen, assessment_submit

    # given an application the street approved
    application = apply(sc_users["committee"], sc["c1"])
    first = application.assessment
    first_submitted_at = application.submitted_at
    decide(sc_users["street"], application)
    # then its self-assessment cannot be reopened while it is in review
    with pytest.raises(ApplicationError, match="cannot be reopened"):
        assessment_reopen(actor=sc_users["committee"], assessment=first)
    # when the county returns it, the community reopens, revises and resubmits the assessment
    decide(sc_users["county"], application, verdict="return", opinion="请补充材料。")
    draft = assessment_reopen(actor=sc_users["committee"], assessment=first)
    # a reopened but unsubmitted revision blocks the resubmission
    with pytest.raises(ApplicationError):
        application_submit(actor=sc_users["committee"], application=application)
    revised = assessment_submit(actor=sc_users["committee"], assessment=draft)
    application = application_submit(actor=sc_users["committee"], application=application)
    # then the application rests on the revision, re-enters at the county, keeps its first date
    application.refresh_from_db()
    assert application.assessment_id == revised.pk and revised.revision == 2
    assert application.current_step.key == "county"
    assert application.submitted_at == first_submitted_at


def test_mail_to_the_next_deciders_after_commit(
    sc, sc_users, apply, settings, django_capture_on_commit_callbacks
):
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
    # when the application is submitted, the street office (and no one else) is told
    with django_capture_on_commit_callbacks(execute=True):
        application = apply(sc_users["committee"], sc["c1"])
    assert [m.to for m in mail.outbox] == [["duyuanjie@example.org"]]
    assert "东门社区" in mail.outbox[0].subject and "街道推荐" in mail.outbox[0].body
    # when the street approves, the county's housing department and administrator are told
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        decide(sc_users["street"], application)
        assert mail.outbox == []  # nothing before the commit
    assert len(callbacks) == 1
    assert sorted(m.to[0] for m in mail.outbox) == [
        "jinjiang@example.org", "jinjiang_admin@example.org",
    ]  # fmt: skip
    # when the county returns it, the committee is told
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        decide(sc_users["county"], application, verdict="return", opinion="补充")
    assert [m.to for m in mail.outbox] == [["dongmen@example.org"]]


def test_a_notice_task_run_late_sends_nothing(sc, sc_users, apply):
    from greencommunity.reviews.notifications import notify_step_deciders

    application = apply(sc_users["committee"], sc["c1"])
    street_step = application.current_step
    assert notify_step_deciders(application_id=application.pk, step_id=street_step.pk,
                                version=application.version) == 1  # fmt: skip
    decide(sc_users["street"], application)
    mail.outbox.clear()
    assert notify_step_deciders(application_id=application.pk, step_id=street_step.pk,
                                version=application.version - 1) == 0  # fmt: skip
    assert mail.outbox == []


def test_move_contract_for_the_batch_services(sc, sc_users, apply):
    application = apply(sc_users["committee"], sc["c1"])
    for who in ("street", "county", "city"):
        decide(sc_users[who], application)
    steps = {s.key: s for s in application.chain.steps.all()}
    # a failed sample goes back to the city re-check
    application_move(application=application, from_step=steps["province-sampling"],
                     expected_version=application.version, to_step=steps["city"])  # fmt: skip
    application.refresh_from_db()
    assert (application.current_step.key, application.version) == ("city", 6)
    # a stale version or a wrong step moves nothing
    with pytest.raises(ApplicationError, match="reload the page"):
        application_move(application=application, from_step=steps["city"],
                         expected_version=5, to_step=steps["province-sampling"])  # fmt: skip
    with pytest.raises(ApplicationError, match="reload the page"):
        application_move(application=application, from_step=steps["notice"],
                         expected_version=6, to_step=steps["naming"])  # fmt: skip
    # naming closes it
    application_move(application=application, from_step=steps["city"], expected_version=6,
                     status=ApplicationStatus.NAMED)  # fmt: skip
    application.refresh_from_db()
    assert application.status == ApplicationStatus.NAMED and application.closed_at
    assert application.current_step is None and application.version == 7
