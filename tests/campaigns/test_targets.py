"""Targets: values by kind, inheritance from the nearest ancestor's plan, deletion."""

from datetime import date
from decimal import Decimal

import pytest

from greencommunity.audit.models import Event
from greencommunity.campaigns.models import Target
from greencommunity.campaigns.selectors_targets import target_for, targets_for
from greencommunity.campaigns.services import plan_save, target_delete, target_set
from greencommunity.core.errors import ApplicationError, PermissionDenied


@pytest.fixture
def plan(world):
    return plan_save(actor=None, region=world["county"], name="桓台县实施方案")


def test_a_region_without_its_own_target_uses_the_nearest_ancestors(world):
    # the county's plan has no 2022 share: the city's applies, inherited
    resolved = target_for(world["county"], 2022, "certified_share")
    assert resolved is not None
    assert (resolved.value, resolved.region_code, resolved.region_name, resolved.inherited) == (
        Decimal("0.600"), "370300000000", "淄博市", True,
    )  # fmt: skip
    # a community two levels further down gets the same
    assert target_for(world["370321001002"], 2022, "certified_share").region_code == (
        "370300000000"
    )
    # 张店区's own 50% is not inherited
    own = target_for(world["other_county"], 2022, "certified_share")
    assert (own.value, own.inherited) == (Decimal("0.500"), False)
    # no target for 2023 anywhere, none of another kind for 2022
    assert target_for(world["county"], 2023, "certified_share") is None
    assert target_for(world["county"], 2022, "demonstration_count") is None


def test_the_nearest_plan_wins(world, plan):
    target_set(actor=None, plan=plan, year=2022, kind="certified_share", value="0.65")
    resolved = target_for(world["street"], 2022, "certified_share")
    assert (resolved.value, resolved.region_code, resolved.inherited) == (
        Decimal("0.650"), "370321000000", True,
    )  # fmt: skip
    county = target_for(world["county"], 2022, "certified_share")
    assert (county.region_code, county.inherited) == ("370321000000", False)


def test_targets_for_many_regions_in_one_query(world, django_assert_num_queries):
    codes = ["370321000000", "370321001000", "370303000000", "370100000000"]
    with django_assert_num_queries(1):
        resolved = targets_for(codes, 2022, "certified_share")
    assert [resolved[c].region_code if resolved[c] else None for c in codes] == [
        "370300000000", "370300000000", "370303000000", None,
    ]  # fmt: skip


@pytest.mark.parametrize(
    ("kind", "value", "stored"),
    [
        ("certified_share", "0.3", Decimal("0.300")),
        ("certified_share", 1, Decimal("1.000")),
        ("pilot_share", Decimal("0.25"), Decimal("0.250")),
        ("certified_count", 600, Decimal(600)),
        ("demonstration_count", "0", Decimal(0)),
        ("pilots_per_street", 2, Decimal(2)),
    ],
)
def test_target_values(plan, kind, value, stored):
    target = target_set(actor=None, plan=plan, year=2021, kind=kind, value=value,
                        due_on=date(2021, 11, 15))  # fmt: skip
    target.refresh_from_db()
    assert (target.value, target.due_on) == (stored, date(2021, 11, 15))


@pytest.mark.parametrize(
    ("kind", "value"),
    [
        ("certified_share", 0),
        ("certified_share", "1.2"),
        ("certified_share", "-0.1"),
        ("certified_share", "0.0001"),
        ("pilot_share", "abc"),
        ("certified_count", "2.5"),
        ("certified_count", -1),
        ("pilots_per_street", "NaN"),
        ("pilots_per_street", 10_000_000),
    ],
)
def test_target_values_refused(plan, kind, value):
    with pytest.raises(ApplicationError) as refused:
        target_set(actor=None, plan=plan, year=2024, kind=kind, value=value)
    assert refused.value.extra["field"] == "value"
    assert not Target.objects.filter(plan=plan, year=2024).exists()


def test_unknown_kind_and_year_refused(plan):
    with pytest.raises(ApplicationError):
        target_set(actor=None, plan=plan, year=2021, kind="happiness", value=1)
    with pytest.raises(ApplicationError):
        target_set(actor=None, plan=plan, year=1999, kind="certified_count", value=1)


def test_setting_again_replaces_and_is_audited(plan, users):
    actor = users["county_housing"]
    target_set(actor=actor, plan=plan, year=2022, kind="certified_share", value="0.5")
    target = target_set(actor=actor, plan=plan, year=2022, kind="certified_share", value="0.6")
    assert Target.objects.filter(plan=plan, year=2022).count() == 1
    assert target.value == Decimal("0.600")
    event = Event.objects.filter(verb="plan.target_set").order_by("-seq").first()
    assert event.region_code == "370321000000" and event.actor_id == actor.pk
    assert event.before == {"value": "0.500", "due_on": None}


def test_delete(plan, users):
    target = target_set(actor=None, plan=plan, year=2022, kind="certified_share", value="0.7")
    with pytest.raises(PermissionDenied):
        target_delete(actor=users["street"], target=target)
    target_delete(actor=users["county_admin"], target=target)
    assert not Target.objects.filter(pk=target.pk).exists()
    assert Event.objects.filter(verb="plan.target_delete").count() == 1
    # the county inherits the city's again
    assert target_for(plan.region, 2022, "certified_share").inherited
