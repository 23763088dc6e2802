"""Self-assessment through the services: scoring in both modes, numeric rules, sub-condition
ticks, locking, revisions and audit events."""

from decimal import Decimal as D

import pytest

from greencommunity.assessments.models import AnswerSource, AssessmentAnswer, AssessmentStatus
from greencommunity.assessments.selectors import gap_list
from greencommunity.assessments.services import (
    answer_set,
    assessment_reopen,
    assessment_start,
    assessment_submit,
    assessments_rescore_drafts,
)
from greencommunity.audit.models import Event
from greencommunity.core.errors import ApplicationError, NotFound
from greencommunity.regions.services.communities import community_update_profile
from greencommunity.standards.models import StandardStatus

YEAR = 2024


def criterion(standard, number):
    return standard.criteria.get(number=number)


def answer_all(actor, assessment, skip=(), **answer):
    """Answer every criterion the scorer answers (not those decided by an indicator)."""
    for a in assessment.answers.select_related("criterion").order_by("criterion__number"):
        if a.source == AnswerSource.SELF and a.criterion.number not in skip:
            answer_set(actor=actor, assessment=assessment, criterion=a.criterion, **answer)
    assessment.refresh_from_db()
    return assessment


# ---------------------------------------------------------------------------- met mode


def test_national_all_16_met_passes(community, standards, committee, indicator_set):
    # given the national standard, with property management coverage of 45 % entered
    indicator_set(community, "property_management_coverage", "45")
    national = standards["national"]
    # when the committee starts and answers the 15 other criteria met
    assessment = assessment_start(actor=committee, community=community, standard=national,
                                  year=YEAR)  # fmt: skip
    assessment = answer_all(committee, assessment, met=True)
    # then all 16 are met (criterion 12 from the indicator) and the assessment passes
    assert (assessment.total, assessment.maximum, assessment.met_count) == (D(16), D(16), 16)
    assert assessment.answered_count == 16 and assessment.passed is True
    assert gap_list(assessment) == []


def test_national_one_missing_fails_with_it_in_the_gap_list(
    community, standards, committee, indicator_set
):
    indicator_set(community, "property_management_coverage", "45")
    national = standards["national"]
    assessment = assessment_start(actor=None, community=community, standard=national, year=YEAR)
    assessment = answer_all(committee, assessment, skip=[5], met=True)
    answer_set(actor=committee, assessment=assessment, criterion=criterion(national, 5), met=False)
    assessment.refresh_from_db()
    assert assessment.met_count == 15 and assessment.passed is False
    [gap] = gap_list(assessment)
    assert gap.number == 5 and gap.text == criterion(national, 5).text
    assert gap.answered and gap.points is None and gap.missing is None
    assert gap.area == "推进社区基础设施绿色化"


def test_an_unanswered_criterion_is_a_gap_too(community, standards):
    assessment = assessment_start(
        actor=None, community=community, standard=standards["tianjin"], year=YEAR
    )
    gaps = gap_list(assessment)
    assert [g.number for g in gaps] == list(range(1, 17))
    assert not any(g.answered for g in gaps) and assessment.passed is False


def test_met_mode_takes_no_points(community, standards, committee):
    national = standards["national"]
    assessment = assessment_start(actor=None, community=community, standard=national, year=YEAR)
    with pytest.raises(ApplicationError, match="not by points"):
        answer_set(actor=committee, assessment=assessment, criterion=criterion(national, 1),
                   points=1)  # fmt: skip


# ---------------------------------------------------------------------------- points mode


def test_huantai_passes_at_80(community, standards, committee):
    huantai = standards["huantai"]
    assessment = assessment_start(actor=committee, community=community, standard=huantai,
                                  year=YEAR)  # fmt: skip
    # 16 criteria x 5 = 80, criterion 15 (property management, from the indicator) unknown
    for number in range(1, 17):
        if number != 15:
            answer_set(actor=committee, assessment=assessment,
                       criterion=criterion(huantai, number), points="5")  # fmt: skip
    answer_set(actor=committee, assessment=assessment, criterion=criterion(huantai, 17),
               points=D(5), notes="  垃圾分类台账  ")  # fmt: skip
    assessment.refresh_from_db()
    assert (assessment.total, assessment.maximum, assessment.passed) == (D(80), D(100), True)
    assert (
        AssessmentAnswer.objects.get(assessment=assessment, criterion__number=17).notes
        == "垃圾分类台账"
    )
    # when one criterion drops to 4.5, the total is 79.5 and the assessment fails
    answer_set(actor=committee, assessment=assessment, criterion=criterion(huantai, 1),
               points="4.5")  # fmt: skip
    assessment.refresh_from_db()
    assert (assessment.total, assessment.passed) == (D("79.5"), False)
    gap = next(g for g in gap_list(assessment) if g.number == 1)
    assert (gap.points, gap.awarded, gap.missing) == (D(5), D("4.5"), D("0.5"))
    assert gap.departments.startswith("县住房和城乡建设局")


@pytest.mark.parametrize("points", ["5.5", "-1", "2.25", "abc", 2.5, True])
def test_points_out_of_range_or_steps_are_refused(community, standards, committee, points):
    huantai = standards["huantai"]
    assessment = assessment_start(actor=None, community=community, standard=huantai, year=YEAR)
    with pytest.raises(ApplicationError, match=r"in steps of 0\.5"):
        answer_set(actor=committee, assessment=assessment, criterion=criterion(huantai, 1),
                   points=points)  # fmt: skip


def test_met_in_points_mode_means_full_or_no_points(community, standards, committee):
    huantai = standards["huantai"]
    assessment = assessment_start(actor=None, community=community, standard=huantai, year=YEAR)
    c1, c2 = criterion(huantai, 1), criterion(huantai, 2)
    a1 = answer_set(actor=committee, assessment=assessment, criterion=c1, met=True)
    a2 = answer_set(actor=committee, assessment=assessment, criterion=c2, met=False)
    assert (a1.points, a1.met, a2.points, a2.met) == (D(5), True, D(0), False)
    a1 = answer_set(actor=committee, assessment=assessment, criterion=c1, points="3")
    assert a1.met is False


def test_sichuan_ticked_sub_conditions_suggest_points(community, standards, committee):
    sichuan = standards["sichuan"]
    assessment = assessment_start(actor=None, community=community, standard=sichuan, year=YEAR)
    c3 = criterion(sichuan, 3)  # 5 points, 4 sub-conditions
    assert (c3.points, c3.sub_conditions.count()) == (D(5), 4)
    # 3 of 4 ticked: 5 x 3/4 = 3.75, down to 3.5
    answer = answer_set(actor=committee, assessment=assessment, criterion=c3, ticked=[3, 1, 2])
    assert (answer.points, answer.ticked, answer.met) == (D("3.5"), [1, 2, 3], False)
    # all ticked: full points
    answer = answer_set(actor=committee, assessment=assessment, criterion=c3,
                        ticked=[1, 2, 3, 4])  # fmt: skip
    assert (answer.points, answer.met) == (D(5), True)
    # the scorer's points win over the suggestion
    answer = answer_set(actor=committee, assessment=assessment, criterion=c3, ticked=[1],
                        points="4")  # fmt: skip
    assert (answer.points, answer.ticked) == (D(4), [1])
    assessment.refresh_from_db()
    assert assessment.total == D(4) and assessment.passed is None  # Sichuan sets no pass mark
    with pytest.raises(ApplicationError, match="no sub-condition 5"):
        answer_set(actor=committee, assessment=assessment, criterion=c3, ticked=[5])


# ---------------------------------------------------------------------------- numeric rules


def test_national_12_is_filled_from_property_management_coverage(
    community, standards, committee, indicator_set
):
    national = standards["national"]
    c12 = criterion(national, 12)
    assert (c12.indicator.code, c12.operator, c12.threshold) == (
        "property_management_coverage", ">=", D(30),
    )  # fmt: skip
    # given no value for the year: the answer stays empty, and the scorer cannot set it
    assessment = assessment_start(actor=None, community=community, standard=national, year=YEAR)
    answer = assessment.answers.get(criterion=c12)
    assert (answer.met, answer.source, answer.indicator_value) == (None, "indicator", None)
    with pytest.raises(ApplicationError, match="community registry"):
        answer_set(actor=committee, assessment=assessment, criterion=c12, met=True)
    answer = answer_set(actor=committee, assessment=assessment, criterion=c12, notes="物业台账")
    assert answer.notes == "物业台账"
    gap = next(g for g in gap_list(assessment) if g.number == 12)
    assert (gap.indicator, gap.rule, gap.indicator_met) == ("物业管理覆盖率", "≥ 30 %", None)
    # when 30 % (the threshold itself) is entered for the year
    indicator_set(community, "property_management_coverage", "30")
    indicator_set(community, "property_management_coverage", "10", year=YEAR - 1)
    assessments_rescore_drafts(community_ids=[community.pk])
    answer.refresh_from_db()
    assert (answer.met, answer.points, answer.indicator_value) == (True, None, D(30))
    # and when it drops to 29.99
    indicator_set(community, "property_management_coverage", "29.99")
    assessments_rescore_drafts()
    answer.refresh_from_db()
    assert (answer.met, answer.indicator_value) == (False, D("29.99"))


def test_huantai_15_full_coverage_gives_full_points(community, standards, indicator_set):
    huantai = standards["huantai"]
    indicator_set(community, "property_management_coverage", "100")
    assessment = assessment_start(actor=None, community=community, standard=huantai, year=YEAR)
    answer = assessment.answers.get(criterion__number=15)
    assert (answer.met, answer.points, answer.source) == (True, D(5), "indicator")
    assert assessment.total == D(5) and assessment.answered_count == 1
    indicator_set(community, "property_management_coverage", "95")
    assessments_rescore_drafts()
    answer.refresh_from_db()
    assert (answer.met, answer.points) == (False, D(0))


def test_a_threshold_that_is_one_sub_condition_does_not_decide_the_criterion(
    community, standards, committee, indicator_set
):
    # Sichuan 23 (物业服务水平提升, 3 points): coverage >= 30 % is its first of three items
    sichuan = standards["sichuan"]
    indicator_set(community, "property_management_coverage", "20")
    assessment = assessment_start(actor=None, community=community, standard=sichuan, year=YEAR)
    c23 = criterion(sichuan, 23)
    answer = assessment.answers.get(criterion=c23)
    assert (answer.met, answer.points, answer.source) == (None, None, "self")
    assert answer.indicator_value == D(20)
    answer = answer_set(actor=committee, assessment=assessment, criterion=c23, ticked=[2, 3])
    assert answer.points == D(2) and answer.indicator_value == D(20)
    gap = next(g for g in gap_list(assessment) if g.number == 23)
    assert (gap.indicator_met, gap.missing) == (False, D(1))
    # Sichuan 6 (satisfaction > 80 %) is its whole criterion
    indicator_set(community, "satisfaction_management", "80.5")
    assessments_rescore_drafts()
    six = assessment.answers.get(criterion__number=6)
    assert (six.met, six.points, six.source) == (True, D(3), "indicator")


# ---------------------------------------------------------------------------- lifecycle


def test_start_again_returns_the_open_draft(community, standards, committee):
    huantai = standards["huantai"]
    first = assessment_start(actor=committee, community=community, standard=huantai, year=YEAR)
    again = assessment_start(actor=committee, community=community, standard=huantai, year=YEAR)
    assert again.pk == first.pk and again.revision == 1
    assert first.answers.count() == 20
    assert Event.objects.filter(verb="assessment.start").count() == 1


def test_start_refuses_drafts_of_standards_years_and_rural_communities(
    tree, community, standards, committee
):
    huantai = standards["huantai"]
    huantai.status = StandardStatus.DRAFT
    huantai.save()
    with pytest.raises(ApplicationError, match="published standard"):
        assessment_start(actor=committee, community=community, standard=huantai, year=YEAR)
    national = standards["national"]
    for year in (2019, 2999):
        with pytest.raises(ApplicationError) as refused:
            assessment_start(actor=committee, community=community, standard=national, year=year)
        assert refused.value.extra == {"field": "year"}
    community_update_profile(actor=None, community=community, urban_override=False)
    with pytest.raises(ApplicationError, match="urban communities"):
        assessment_start(actor=committee, community=community, standard=national, year=YEAR)


def test_submit_needs_every_criterion_and_locks(community, standards, committee):
    national = standards["national"]
    assessment = assessment_start(actor=committee, community=community, standard=national,
                                  year=YEAR)  # fmt: skip
    answer_all(committee, assessment, skip=[3], met=True)
    # criterion 3 unanswered, 12 without an indicator value
    with pytest.raises(ApplicationError, match="3, 12 still open") as refused:
        assessment_submit(actor=committee, assessment=assessment)
    assert refused.value.extra["criteria"] == [3, 12]
    answer_set(actor=committee, assessment=assessment, criterion=criterion(national, 3),
               met=False)  # fmt: skip
    community_indicator = criterion(national, 12).indicator
    from greencommunity.regions.models import IndicatorValue

    IndicatorValue.objects.create(community=community, indicator=community_indicator, year=YEAR,
                                  value=D(50), source="entered")  # fmt: skip
    # submitting re-scores first: criterion 12 is met from the value entered meanwhile
    submitted = assessment_submit(actor=committee, assessment=assessment)
    assert submitted.status == AssessmentStatus.SUBMITTED
    assert submitted.submitted_by == committee and submitted.submitted_at is not None
    assert (submitted.met_count, submitted.passed) == (15, False)
    with pytest.raises(ApplicationError, match="Submitted assessments are locked"):
        answer_set(actor=committee, assessment=assessment, criterion=criterion(national, 3),
                   met=True)  # fmt: skip
    with pytest.raises(ApplicationError, match="locked"):
        assessment_submit(actor=committee, assessment=assessment)
    with pytest.raises(ApplicationError, match="reopen"):
        assessment_start(actor=committee, community=community, standard=national, year=YEAR)


def _submitted_huantai(committee, community, standards):
    huantai = standards["huantai"]
    assessment = assessment_start(actor=committee, community=community, standard=huantai,
                                  year=YEAR)  # fmt: skip
    answer_all(committee, assessment, points="4.5", notes="自评")
    answer_set(actor=committee, assessment=assessment, criterion=criterion(huantai, 2),
               points="5", notes="议事平台")  # fmt: skip
    return assessment_submit(actor=committee, assessment=assessment)


def test_property_management_unknown_blocks_submit_in_points_mode(community, standards, committee):
    with pytest.raises(ApplicationError, match="15 still open"):
        _submitted_huantai(committee, community, standards)


def test_reopen_makes_revision_2_and_keeps_revision_1(
    community, standards, committee, indicator_set
):
    huantai = standards["huantai"]
    indicator_set(community, "property_management_coverage", "100")
    first = _submitted_huantai(committee, community, standards)
    assert (first.total, first.passed) == (D(91), True)  # 18 x 4.5 + 5 (no. 2) + 5 (no. 15)
    answers_before = list(
        first.answers.order_by("criterion__number").values_list("points", "notes", "source")
    )
    # when the committee reopens it
    second = assessment_reopen(actor=committee, assessment=first)
    # then revision 2 is a draft with the same answers and score
    assert (second.revision, second.status, second.pk != first.pk) == (2, "draft", True)
    assert (
        list(second.answers.order_by("criterion__number").values_list("points", "notes", "source"))
        == answers_before
    )
    assert (second.total, second.passed) == (D(91), True)
    # and changing it leaves revision 1 as it was
    answer_set(actor=committee, assessment=second, criterion=criterion(huantai, 2), points="0")
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.total, first.status, second.total) == (D(91), "submitted", D(86))
    assert first.answers.get(criterion__number=2).points == D(5)
    # start finds revision 2; revision 1 cannot be reopened again, nor a draft
    again = assessment_start(actor=committee, community=community, standard=huantai, year=YEAR)
    assert again.pk == second.pk
    with pytest.raises(ApplicationError, match="Only a submitted"):
        assessment_reopen(actor=committee, assessment=second)
    with pytest.raises(ApplicationError, match="Revision 2 exists"):
        assessment_reopen(actor=committee, assessment=first)


def test_audit_events(community, standards, committee, indicator_set):
    indicator_set(community, "property_management_coverage", "100")
    first = _submitted_huantai(committee, community, standards)
    second = assessment_reopen(actor=committee, assessment=first)
    events = Event.objects.filter(verb__startswith="assessment.").order_by("seq")
    verbs = [e.verb for e in events]
    assert verbs[0] == "assessment.start" and verbs[-2:] == ["assessment.submit",
                                                            "assessment.reopen"]  # fmt: skip
    assert verbs.count("assessment.answer") == 20  # 19 self-scored + criterion 2 again
    assert {e.region_code for e in events} == {"370321001002"}
    assert {e.actor_id for e in events} == {committee.pk}
    answer = events.filter(verb="assessment.answer").last()
    assert answer.target_id == str(first.pk)
    assert answer.before["criterion"] == 2 and answer.before["points"] == "4.5"
    assert answer.after["points"] == "5.0" and answer.after["notes"] == "议事平台"
    submit = events.get(verb="assessment.submit")
    assert submit.after["total"] == "91.0" and submit.after["passed"] is True
    reopen = events.get(verb="assessment.reopen")
    assert reopen.target_id == str(second.pk) and reopen.before["revision"] == 1


def test_an_unchanged_answer_records_nothing(community, standards, committee):
    huantai = standards["huantai"]
    assessment = assessment_start(actor=None, community=community, standard=huantai, year=YEAR)
    for _ in range(2):
        answer_set(actor=committee, assessment=assessment, criterion=criterion(huantai, 1),
                   points="5")  # fmt: skip
    assert Event.objects.filter(verb="assessment.answer").count() == 1


def test_a_criterion_of_another_standard_is_not_found(community, standards, committee):
    assessment = assessment_start(
        actor=None, community=community, standard=standards["huantai"], year=YEAR
    )
    with pytest.raises(NotFound):
        answer_set(actor=committee, assessment=assessment,
                   criterion=criterion(standards["national"], 1), met=True)  # fmt: skip
