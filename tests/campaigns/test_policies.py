"""Who may keep plans and creation lists, and see progress: role x region."""

import pytest

from greencommunity.campaigns.models import CreationList, Plan
from greencommunity.campaigns.policies import (
    can_edit_creation_list,
    can_edit_plan,
    can_view_creation_list,
    can_view_plan,
    can_view_progress,
    scope_creation_lists,
    scope_plans,
)
from greencommunity.campaigns.services import plan_save, target_set
from greencommunity.core.errors import PermissionDenied

KEYS = ["province", "city", "county", "street", "other_county", "other_city"]
# Regions whose plan and creation lists each user keeps.
KEEPS = {
    "city_housing": {"city", "county", "street", "other_county"},
    "county_housing": {"county", "street"},
    "county_admin": {"county", "street"},
    "county_department": set(),
    "county_expert": set(),
    "street": set(),
    "committee": set(),
    "other_county_housing": {"other_county"},
    "other_city_admin": {"other_city"},
    "nobody": set(),
}
# Regions whose plan, lists and progress each user sees.
SEES = {
    "city_housing": {"city", "county", "street", "other_county"},
    "county_housing": {"county", "street"},
    "county_admin": {"county", "street"},
    "county_department": {"county", "street"},
    "county_expert": {"county", "street"},
    "street": {"street"},
    "committee": set(),
    "other_county_housing": {"other_county"},
    "other_city_admin": {"other_city"},
    "nobody": set(),
}


@pytest.mark.parametrize("user", list(KEEPS))
def test_matrix(world, users, user):
    actor = users[user]
    for key in KEYS:
        region = world[key]
        assert can_edit_plan(actor, region) == (key in KEEPS[user]), key
        assert can_edit_creation_list(actor, region) == (key in KEEPS[user]), key
        assert can_view_progress(actor, region) == (key in SEES[user]), key
        plan = Plan(region=region, name="x")
        assert can_view_plan(actor, plan) == (key in SEES[user]), key
        assert can_view_creation_list(actor, CreationList(region=region, year=2022)) == (
            key in SEES[user]
        ), key


@pytest.mark.parametrize("user", list(KEEPS))
def test_services_follow_the_policy(world, users, user):
    actor = users[user]
    for key in ("county", "other_county"):
        if key in KEEPS[user]:
            plan = plan_save(actor=actor, region=world[key], name="方案")
            target_set(actor=actor, plan=plan, year=2023, kind="certified_share", value="0.6")
        else:
            with pytest.raises(PermissionDenied):
                plan_save(actor=actor, region=world[key], name="方案")


def test_scopes(world, users):
    # plans: the fixture's plans of 淄博市, 桓台县 and 张店区
    assert sorted(scope_plans(users["county_housing"], Plan.objects.all()).values_list(
        "region__code", flat=True)) == ["370321000000"]  # fmt: skip
    assert scope_plans(users["nobody"], Plan.objects.all()).count() == 0
    assert sorted(scope_creation_lists(users["street"], CreationList.objects.all())
                  .values_list("region__code", "year")) == [("370321001000", 2022)]  # fmt: skip
