"""Who sees and who decides: the role x region matrix of each step, the inbox, and the rule for
codes that skip a level."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from greencommunity.core.errors import NotFound, PermissionDenied
from greencommunity.regions.services.tree import region_create
from greencommunity.reviews.models import Application, ReviewStep
from greencommunity.reviews.policies import (
    can_decide_application,
    can_decide_step,
    can_edit_application,
    can_view_application,
    decider_region,
)
from greencommunity.reviews.selectors import access_application, application_list, inbox
from greencommunity.reviews.services import application_decide

# who decides which Sichuan step for 东门社区 (510104001001)
MATRIX = {
    #               street  county city   sampling
    "street": (True, False, False, False),
    "county": (False, True, False, False),
    "county_admin": (False, True, False, False),
    "county_dept": (False, False, False, False),
    "city": (False, False, True, False),
    "province": (False, False, False, True),
    "other_county": (False, False, False, False),
    "committee": (False, False, False, False),
    "committee2": (False, False, False, False),
    "expert": (False, False, False, False),
}
STEPS = ("street", "county", "city", "province-sampling")


@pytest.mark.parametrize("who", sorted(MATRIX))
def test_who_decides_each_step(sc, sc_users, chains, who):
    steps = {s.key: s for s in chains["sichuan"].steps.all()}
    code = sc["c1"].region.code
    assert tuple(can_decide_step(sc_users[who], steps[k], code) for k in STEPS) == MATRIX[who]


# who sees 东门社区's application
VIEW = {
    "street": True, "county": True, "county_admin": True, "county_dept": True, "city": True,
    "province": True, "expert": True, "committee": True, "other_county": False,
    "committee2": False,
}  # fmt: skip


@pytest.mark.parametrize("who", sorted(VIEW))
def test_who_sees_the_application(sc, sc_users, apply, who):
    application = apply(sc_users["committee"], sc["c1"])
    actor = sc_users[who]
    assert can_view_application(actor, application) is VIEW[who]
    assert (application in application_list(actor=actor)) is VIEW[who]
    if VIEW[who]:
        assert access_application(actor, application.pk) == application
    else:
        with pytest.raises(NotFound):
            access_application(actor, application.pk)


def test_decide_answers_not_found_outside_scope_and_refused_inside(sc, sc_users, apply):
    application = apply(sc_users["committee"], sc["c1"])
    for who in ("other_county", "committee2"):
        with pytest.raises(NotFound):
            application_decide(actor=sc_users[who], application=application, verdict="approve",
                               opinion="")  # fmt: skip
    for who in ("committee", "county", "city", "province", "county_dept", "expert"):
        with pytest.raises(PermissionDenied, match="not yours to decide"):
            application_decide(actor=sc_users[who], application=application, verdict="approve",
                               opinion="")  # fmt: skip
    assert not application.decisions.exists()


def test_only_the_committee_edits_and_only_while_with_it(sc, sc_users, apply):
    application = apply(sc_users["committee"], sc["c1"], submit=False)
    allowed = {who for who in sc_users if can_edit_application(sc_users[who], application)}
    assert allowed == {"committee"}
    application.status = "in_review"
    assert not can_edit_application(sc_users["committee"], application)


def test_province_housing_cannot_take_the_street_step(sc, sc_users, apply):
    application = apply(sc_users["committee"], sc["c1"])
    assert not can_decide_application(sc_users["province"], application)
    assert can_decide_application(sc_users["street"], application)


def test_a_code_without_county_is_decided_a_level_up(chains, make_user, assess):
    # given 东莞市, whose towns sit straight under the city
    gd = region_create(actor=None, code="440000000000", name="广东省")
    dg = region_create(actor=None, code="441900000000", name="东莞市", parent=gd)
    town = region_create(actor=None, code="441900003000", name="东城街道", parent=dg)
    community = region_create(actor=None, code="441900003001", name="东城社区", parent=town)
    code = community.code
    county_step = chains["county"].steps.get(key="county")
    # then its county step falls to the city, its street step stays with the town
    assert decider_region("county", code) == ("441900000000", "city")
    assert decider_region("street", code) == ("441900003000", "street")
    city_housing, town_office = make_user("housing", dg), make_user("street", town)
    assert can_decide_step(city_housing, county_step, code)
    assert not can_decide_step(town_office, county_step, code)
    # and the inbox says the same
    application = Application.objects.create(
        community=community.community, assessment=assess(community.community),
        title_kind="green", year=2024, chain=chains["county"], status="in_review",
        current_step=county_step,
    )  # fmt: skip
    assert [i.application for i in inbox(city_housing)] == [application]
    assert inbox(town_office) == []


def _at(application, key, due_in):
    step = ReviewStep.objects.get(chain=application.chain, key=key)
    Application.objects.filter(pk=application.pk).update(
        current_step=step, due_on=timezone.localdate() + timedelta(days=due_in)
    )


def test_inbox(sc, sc_users, apply, person):
    # given applications waiting at the street (one overdue), county and city steps
    a1 = apply(sc_users["committee"], sc["c1"])
    a2 = apply(sc_users["committee2"], sc["c2"])
    a3 = apply(person("community", sc["c3"].region, "ximen"), sc["c3"])
    _at(a1, "street", -2)
    _at(a2, "street", 5)
    _at(a3, "county", 3)
    # then the street office sees its two, the overdue one first
    items = inbox(sc_users["street"])
    assert [(i.application.pk, i.action, i.overdue) for i in items] == [
        (a1.pk, "decide", True), (a2.pk, "decide", False),
    ]  # fmt: skip
    assert items[0].step.key == "street" and items[0].due_on < timezone.localdate()
    # and the county's housing department and administrator see the county one
    for who in ("county", "county_admin"):
        assert [i.application.pk for i in inbox(sc_users[who])] == [a3.pk]
    # and no one else decides any of them
    for who in ("city", "province", "other_county", "county_dept", "expert", "committee"):
        assert [i for i in inbox(sc_users[who]) if i.action == "decide"] == []


def test_inbox_shows_the_committee_its_returned_application(sc, sc_users, apply):
    application = apply(sc_users["committee"], sc["c1"])
    application_decide(actor=sc_users["street"], application=application, verdict="return",
                       opinion="请补充")  # fmt: skip
    items = inbox(sc_users["committee"])
    assert [(i.application.pk, i.action, i.step.key) for i in items] == [
        (application.pk, "revise", "street")
    ]
    assert inbox(sc_users["committee2"]) == [] and inbox(sc_users["street"]) == []


def test_inbox_queries_are_bounded(sc, sc_users, assess, chains):
    street_step = chains["sichuan"].steps.get(key="street")
    for community in (sc["c1"], sc["c2"], sc["c3"]):
        Application.objects.create(
            community=community, assessment=assess(community), title_kind="green", year=2024,
            chain=chains["sichuan"], status="in_review", current_step=street_step,
        )  # fmt: skip
    street = sc_users["street"]
    inbox(street)  # the grants are loaded once per actor
    with CaptureQueriesContext(connection) as queries:
        items = inbox(street)
        names = [(i.application.community.region.name, i.step.name) for i in items]
    assert len(names) == 3 and len(queries) <= 2
