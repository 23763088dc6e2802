"""Re-scoring every draft after the community indicators changed (an indicator import)."""

from decimal import Decimal as D

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from greencommunity.assessments.models import Assessment
from greencommunity.assessments.services import (
    answer_set,
    assessment_rescore,
    assessment_start,
    assessment_submit,
    assessments_rescore_drafts,
)
from greencommunity.regions.services.tree import region_create

YEAR = 2024


@pytest.fixture
def communities(tree):
    """Ten more communities of 城区街道."""
    return [
        region_create(actor=None, code=f"3703210010{n:02d}", name=f"社区{n}",
                      parent=tree["street"]).community
        for n in range(10, 20)
    ]  # fmt: skip


def c12_of(assessment):
    return assessment.answers.get(criterion__number=12)


def test_drafts_follow_the_indicators_submitted_ones_do_not(
    community, sibling, standards, committee, make_user, tree, indicator_set
):
    national = standards["national"]
    # given a draft of 西苑社区 and a submitted assessment of 东苑社区, both meeting criterion 12
    for c in (community, sibling):
        indicator_set(c, "property_management_coverage", "40")
    draft = assessment_start(actor=None, community=community, standard=national, year=YEAR)
    done = assessment_start(actor=None, community=sibling, standard=national, year=YEAR)
    for c in national.criteria.exclude(number=12):
        answer_set(actor=None, assessment=done, criterion=c, met=True)
    done = assessment_submit(actor=None, assessment=done)
    assert done.passed is True and c12_of(draft).met is True
    # when an import lowers both coverages below 30 %
    for c in (community, sibling):
        indicator_set(c, "property_management_coverage", "25")
    count = assessments_rescore_drafts(community_ids=[community.pk, sibling.pk])
    # then only the draft is re-scored
    assert count == 1
    draft.refresh_from_db()
    assert (c12_of(draft).met, c12_of(draft).indicator_value, draft.met_count) == (False, D(25), 0)
    before = (done.total, done.met_count, done.passed, done.scored_at)
    done.refresh_from_db()
    assert (done.total, done.met_count, done.passed, done.scored_at) == before
    assert (c12_of(done).met, c12_of(done).indicator_value) == (True, D(40))
    # and re-scoring a submitted one directly leaves it too
    assessment_rescore(assessment=done)
    done.refresh_from_db()
    assert done.scored_at == before[3]


def test_only_the_communities_named(communities, standards, indicator_set):
    huantai = standards["huantai"]
    drafts = [
        assessment_start(actor=None, community=c, standard=huantai, year=YEAR) for c in communities
    ]
    for c in communities:
        indicator_set(c, "property_management_coverage", "100")
    assert assessments_rescore_drafts(community_ids=[communities[0].pk]) == 1
    totals = [Assessment.objects.get(pk=d.pk).total for d in drafts]
    assert totals == [D(5)] + [D(0)] * 9
    assert assessments_rescore_drafts() == 10
    assert {a.total for a in Assessment.objects.all()} == {D(5)}
    assert assessments_rescore_drafts(community_ids=[]) == 0


def test_the_other_year_and_standard_versions_are_scored_on_their_own(
    community, standards, indicator_set
):
    # the indicator of the assessment's year counts, not another year's
    indicator_set(community, "property_management_coverage", "100", year=YEAR - 1)
    huantai = assessment_start(actor=None, community=community, standard=standards["huantai"],
                               year=YEAR)  # fmt: skip
    national = assessment_start(actor=None, community=community,
                                standard=standards["national"], year=YEAR - 1)  # fmt: skip
    assessments_rescore_drafts()
    huantai.refresh_from_db()
    national.refresh_from_db()
    assert (huantai.total, huantai.maximum) == (D(0), D(100))
    assert (national.total, national.maximum, national.met_count) == (D(1), D(16), 1)


def test_queries_do_not_grow_with_the_number_of_drafts(communities, standards, indicator_set):
    huantai, national = standards["huantai"], standards["national"]

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assessments_rescore_drafts()
        return len(captured)

    for c in communities[:2]:
        assessment_start(actor=None, community=c, standard=huantai, year=YEAR)
        assessment_start(actor=None, community=c, standard=national, year=YEAR)
        indicator_set(c, "property_management_coverage", "35")
    few = queries()
    for c in communities[2:]:
        assessment_start(actor=None, community=c, standard=huantai, year=YEAR)
        assessment_start(actor=None, community=c, standard=national, year=YEAR)
        indicator_set(c, "property_management_coverage", "35")
    assert queries() == few


def test_scores_are_those_of_the_engine(community, standards, committee):
    # a re-score of an unchanged draft gives the same figures as the answers did
    sichuan = standards["sichuan"]
    assessment = assessment_start(actor=None, community=community, standard=sichuan, year=YEAR)
    for number, points in [(1, "2"), (2, "2.5"), (7, "4")]:
        answer_set(actor=committee, assessment=assessment,
                   criterion=sichuan.criteria.get(number=number), points=points)  # fmt: skip
    assessment.refresh_from_db()
    figures = (
        assessment.total,
        assessment.maximum,
        assessment.met_count,
        assessment.answered_count,
    )
    assert figures == (D("8.5"), D(100), 2, 3)  # 1 and 7 in full
    assessments_rescore_drafts()
    assessment.refresh_from_db()
    assert (
        assessment.total, assessment.maximum, assessment.met_count, assessment.answered_count
    ) == figures  # fmt: skip


def test_the_task_rescores_the_drafts_of_the_communities(community, standards, indicator_set):
    from greencommunity.assessments.tasks import rescore_drafts

    draft = assessment_start(actor=None, community=community, standard=standards["huantai"],
                             year=YEAR)  # fmt: skip
    indicator_set(community, "property_management_coverage", "100")
    assert rescore_drafts.call(community_ids=[community.pk]) == 1
    draft.refresh_from_db()
    assert draft.total == D(5)
