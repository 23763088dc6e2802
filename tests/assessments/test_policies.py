"""Who may see and change self-assessments: a role x region matrix, and the services and
selectors applying it."""

import pytest

from greencommunity.assessments.models import Assessment
from greencommunity.assessments.policies import (
    can_edit_assessment,
    can_view_assessment,
    scope_assessments,
)
from greencommunity.assessments.selectors import access_assessment, assessment_list
from greencommunity.assessments.services import (
    answer_set,
    assessment_reopen,
    assessment_start,
    assessment_submit,
)
from greencommunity.core.errors import NotFound, PermissionDenied

YEAR = 2024


@pytest.fixture
def national(standards):
    return standards["national"]


@pytest.fixture
def mine(community, national):
    return assessment_start(actor=None, community=community, standard=national, year=YEAR)


@pytest.fixture
def theirs(sibling, national):
    return assessment_start(actor=None, community=sibling, standard=national, year=YEAR)


# role, region key in the tree fixture, may view 西苑社区's assessment, may edit it
MATRIX = [
    ("community", "community", True, True),
    ("street", "street", True, False),
    ("department", "county", True, False),
    ("department", "street", True, False),
    ("expert", "county", True, False),
    ("housing", "county", True, True),
    ("housing", "city", True, True),
    ("admin", "province", True, True),
    ("housing", "other_county", False, False),
    ("street", "other_street", False, False),
    ("admin", "other_city", False, False),
]


@pytest.mark.parametrize(("role", "where", "view", "edit"), MATRIX)
def test_matrix(tree, make_user, mine, role, where, view, edit):
    actor = make_user(role, tree[where])
    assert (can_view_assessment(actor, mine), can_edit_assessment(actor, mine)) == (view, edit)
    assert scope_assessments(actor, Assessment.objects.all()).filter(pk=mine.pk).exists() == view


def test_nobody_without_a_role_sees_anything(make_user, mine):
    assert not scope_assessments(make_user(), Assessment.objects.all()).exists()


def test_the_committee_edits_its_own_community_not_a_sibling(
    committee, mine, theirs, national, sibling
):
    # given the committee of 西苑社区
    c1 = national.criteria.get(number=1)
    # it answers its own assessment
    answer_set(actor=committee, assessment=mine, criterion=c1, met=True)
    # but 东苑社区's does not exist for it
    with pytest.raises(NotFound):
        answer_set(actor=committee, assessment=theirs, criterion=c1, met=True)
    with pytest.raises(NotFound):
        assessment_submit(actor=committee, assessment=theirs)
    with pytest.raises(NotFound):
        access_assessment(committee, theirs.pk)
    with pytest.raises(NotFound):
        assessment_start(actor=committee, community=sibling, standard=national, year=YEAR)
    assert list(assessment_list(actor=committee)) == [mine]


def test_a_department_user_views_but_does_not_edit(tree, make_user, mine, national, community):
    department = make_user("department", tree["county"])
    assert access_assessment(department, mine.pk) == mine
    assert set(assessment_list(actor=department)) == {mine}
    c1 = national.criteria.get(number=1)
    with pytest.raises(PermissionDenied):
        answer_set(actor=department, assessment=mine, criterion=c1, met=True)
    with pytest.raises(PermissionDenied):
        assessment_submit(actor=department, assessment=mine)
    with pytest.raises(PermissionDenied):
        assessment_reopen(actor=department, assessment=mine)
    with pytest.raises(PermissionDenied):
        assessment_start(actor=department, community=community, standard=national, year=YEAR)


def test_the_county_housing_department_edits(tree, make_user, mine, national):
    housing = make_user("housing", tree["county"])
    answer = answer_set(actor=housing, assessment=mine, criterion=national.criteria.get(number=1),
                        met=True)  # fmt: skip
    assert answer.met is True


def test_access_by_a_bad_id_is_not_found(committee, mine):
    for bad in (10**9, "x"):
        with pytest.raises(NotFound):
            access_assessment(committee, bad)
