"""The community registry's services (profile, compounds, indicator values, renovation
completion) and list selectors: rules, audit events, permissions, filters."""

from datetime import date
from decimal import Decimal

import pytest

from greencommunity.access.roles import Role
from greencommunity.audit.models import Event
from greencommunity.core.errors import ApplicationError, NotFound, PermissionDenied
from greencommunity.regions.indicators import RENOVATION_COMPLETION
from greencommunity.regions.models import (
    Community,
    Compound,
    Indicator,
    IndicatorValue,
    RenovationStatus,
)
from greencommunity.regions.selectors_communities import (
    access_community,
    community_list,
    profile_complete_q,
)
from greencommunity.regions.services.communities import community_update_profile
from greencommunity.regions.services.compounds import (
    community_renovation_recompute,
    compound_create,
    compound_delete,
    compound_update,
)
from greencommunity.regions.services.indicator_values import (
    indicator_value_delete,
    indicator_value_set,
    indicator_values_update,
)
from greencommunity.regions.services.tree import region_create

THIS_YEAR = date.today().year
COMPLETE_PROFILE = {
    "address": "桓台县城区街道西苑路 1 号",
    "leader_name": "王主任",
    "leader_phone": "13812340000",
    "households": 1200,
    "residents": 3400,
    "area_ha": Decimal("12.50"),
}


@pytest.fixture
def registry(tree):
    """The tree plus: 东苑社区 (a sibling in 城区街道), 马桥村 (villagers' committee),
    and 新华社区 in another county's street."""
    t = dict(tree)
    t["sibling"] = region_create(
        actor=None, code="370321001003", name="东苑社区", parent=tree["street"]
    )
    t["village"] = region_create(
        actor=None, code="370321001201", name="马桥村", parent=tree["street"]
    )
    t["other_community"] = region_create(
        actor=None, code="370303001001", name="新华社区", parent=tree["other_street"]
    )
    return t


@pytest.fixture
def community(tree):
    return Community.objects.select_related("region").get(region=tree["community"])


@pytest.fixture
def street_user(tree, make_user):
    return make_user(Role.STREET, tree["street"], username="chengqu")


def indicator(code):
    return Indicator.objects.get(code=code)


def errors_of(exc_info):
    return exc_info.value.extra["errors"]


# ---------------------------------------------------------------------------- profile


def test_profile_update_saves_and_records_the_changed_fields(community, street_user):
    # given a community with an address
    community_update_profile(actor=None, community=community, address="旧地址")
    # when the street office changes households and the phone, and keeps the address
    community_update_profile(
        actor=street_user,
        community=community,
        households=800,
        leader_phone="0533-8123456",
        address="旧地址",
    )
    # then the values are saved
    community.refresh_from_db()
    assert community.households == 800 and community.leader_phone == "0533-8123456"
    # and one event holds only the changed fields, before → after, on the community's region
    event = Event.objects.filter(verb="community.update_profile").order_by("-seq").first()
    assert event.before == {"households": None, "leader_phone": ""}
    assert event.after == {"households": 800, "leader_phone": "0533-8123456"}
    assert event.actor_id == street_user.pk
    assert event.target_type == "regions.region" and event.target_id == str(community.pk)
    assert event.region_code == "370321001002"


def test_profile_update_without_change_records_nothing(community, street_user):
    community_update_profile(actor=street_user, community=community, households=10)
    count = Event.objects.count()
    community_update_profile(actor=street_user, community=community, households=10, notes="")
    assert Event.objects.count() == count


def test_profile_update_cleans_text_and_decimal(community, street_user):
    community_update_profile(
        actor=street_user, community=community, leader_name="  王主任 ", area_ha="3.5"
    )
    community.refresh_from_db()
    assert community.leader_name == "王主任" and community.area_ha == Decimal("3.50")


def test_urban_override_and_code(community, street_user):
    community_update_profile(
        actor=street_user, community=community, urban_rural_code="220", urban_override=None
    )
    community.refresh_from_db()
    assert not community.is_urban
    community_update_profile(actor=street_user, community=community, urban_override=True)
    community.refresh_from_db()
    assert community.is_urban


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("households", -1),
        ("households", "many"),
        ("households", 1.5),
        ("residents", -5),
        ("area_ha", "-0.01"),
        ("area_ha", "1.234"),
        ("area_ha", "ten"),
        ("area_ha", "100000000"),
        ("leader_phone", "call me"),
        ("leader_phone", "138-abc"),
        ("urban_rural_code", "31"),
        ("urban_rural_code", "311"),
        ("urban_rural_code", "1a1"),
        ("kind", "city"),
        ("urban_override", "maybe"),
        ("address", "路" * 201),
        ("leader_name", "王" * 51),
    ],
)
def test_profile_values_are_validated(community, street_user, field, value):
    before = Event.objects.count()
    with pytest.raises(ApplicationError) as exc_info:
        community_update_profile(actor=street_user, community=community, **{field: value})
    assert list(errors_of(exc_info)) == [field]
    assert exc_info.value.extra["field"] == field
    # nothing written, nothing recorded
    assert Event.objects.count() == before
    assert Community.objects.get(pk=community.pk).households is None


def test_profile_errors_are_reported_together(community, street_user):
    with pytest.raises(ApplicationError) as exc_info:
        community_update_profile(
            actor=street_user, community=community, households=-1, leader_phone="x", notes="ok"
        )
    assert set(errors_of(exc_info)) == {"households", "leader_phone"}
    assert "2" in exc_info.value.message


@pytest.mark.parametrize("phone", ["13812340000", "+86 138 1234 0000", "0533-8123456"])
def test_loose_phone_formats_are_accepted(community, street_user, phone):
    community_update_profile(actor=street_user, community=community, leader_phone=phone)


def test_unknown_profile_field_is_a_programming_error(community, street_user):
    with pytest.raises(TypeError):
        community_update_profile(actor=street_user, community=community, name="x")


# Who may change 西苑社区 (370321001002, in 城区街道 of 桓台县).
PERMISSIONS = [
    (Role.COMMUNITY, "community", None),
    (Role.COMMUNITY, "sibling", NotFound),
    (Role.STREET, "street", None),
    (Role.STREET, "other_street", NotFound),
    (Role.HOUSING, "county", None),
    (Role.ADMIN, "city", None),
    (Role.DEPARTMENT, "county", PermissionDenied),
    (Role.EXPERT, "county", PermissionDenied),
    (Role.HOUSING, "other_county", NotFound),
]


@pytest.mark.parametrize(("role", "where", "refused"), PERMISSIONS)
def test_permission_matrix(registry, community, make_user, role, where, refused):
    actor = make_user(role, registry[where])
    calls = [
        lambda: community_update_profile(actor=actor, community=community, households=5),
        lambda: compound_create(actor=actor, community=community, name="一号院"),
        lambda: indicator_value_set(
            actor=actor,
            community=community,
            indicator=indicator("green_ratio"),
            year=THIS_YEAR,
            value=30,
        ),
    ]
    for call in calls:
        if refused is None:
            call()
        else:
            with pytest.raises(refused):
                call()
    if refused is not None:
        assert not Compound.objects.exists() and not IndicatorValue.objects.exists()


@pytest.mark.parametrize(("role", "where", "refused"), PERMISSIONS)
def test_compound_update_and_delete_permissions(
    registry, community, make_user, role, where, refused
):
    compound = compound_create(actor=None, community=community, name="一号院")
    actor = make_user(role, registry[where])
    if refused is None:
        compound_update(actor=actor, compound=compound, build_year=1995)
        compound_delete(actor=actor, compound=compound)
        assert not Compound.objects.exists()
    else:
        with pytest.raises(refused):
            compound_update(actor=actor, compound=compound, build_year=1995)
        with pytest.raises(refused):
            compound_delete(actor=actor, compound=compound)
        assert Compound.objects.get().build_year is None


# ---------------------------------------------------------------------------- compounds


def test_compound_create_records_an_event(community, street_user):
    compound = compound_create(
        actor=street_user,
        community=community,
        name=" 西苑一区 ",
        build_year=1998,
        renovation_status=RenovationStatus.PLANNED,
        renovation_year=THIS_YEAR + 1,
    )
    assert compound.name == "西苑一区"
    event = Event.objects.get(verb="compound.create")
    assert event.summary == "西苑一区" and event.before is None
    assert event.after == {
        "name": "西苑一区",
        "build_year": 1998,
        "renovation_status": "planned",
        "renovation_year": THIS_YEAR + 1,
    }
    assert event.target_id == str(community.pk) and event.region_code == "370321001002"


def test_compound_update_records_changed_fields_and_delete_records_before(community, street_user):
    compound = compound_create(actor=street_user, community=community, name="西苑一区")
    compound_update(
        actor=street_user,
        compound=compound,
        renovation_status=RenovationStatus.IN_PROGRESS,
        renovation_year=THIS_YEAR,
    )
    event = Event.objects.filter(verb="compound.update").get()
    assert event.before == {"renovation_status": "none", "renovation_year": None}
    assert event.after == {"renovation_status": "in_progress", "renovation_year": THIS_YEAR}

    compound_delete(actor=street_user, compound=compound)
    event = Event.objects.filter(verb="compound.delete").get()
    assert event.before["name"] == "西苑一区" and event.after is None
    assert not Compound.objects.exists()


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"name": ""}, "name"),
        ({"name": "   "}, "name"),
        ({"name": "院" * 101}, "name"),
        ({"name": "一号院", "build_year": 1899}, "build_year"),
        ({"name": "一号院", "build_year": THIS_YEAR + 1}, "build_year"),
        ({"name": "一号院", "build_year": "old"}, "build_year"),
        ({"name": "一号院", "renovation_status": "finished"}, "renovation_status"),
        ({"name": "一号院", "renovation_status": "planned"}, "renovation_year"),
        (
            {"name": "一号院", "renovation_status": "none", "renovation_year": 2020},
            "renovation_year",
        ),
        (
            {"name": "一号院", "renovation_status": "planned", "renovation_year": 1999},
            "renovation_year",
        ),
        (
            {"name": "一号院", "renovation_status": "planned", "renovation_year": THIS_YEAR + 6},
            "renovation_year",
        ),
        (
            {"name": "一号院", "renovation_status": "done", "renovation_year": THIS_YEAR + 1},
            "renovation_year",
        ),
    ],
)
def test_compound_values_are_validated(community, street_user, fields, field):
    with pytest.raises(ApplicationError) as exc_info:
        compound_create(actor=street_user, community=community, **fields)
    assert list(errors_of(exc_info)) == [field]
    assert not Compound.objects.exists() and not Event.objects.filter(verb__startswith="compound")


def test_compound_years_at_the_limits_are_accepted(community, street_user):
    compound_create(
        actor=street_user,
        community=community,
        name="一号院",
        build_year=1900,
        renovation_status="planned",
        renovation_year=THIS_YEAR + 5,
    )
    compound_create(
        actor=street_user,
        community=community,
        name="二号院",
        build_year=THIS_YEAR,
        renovation_status="done",
        renovation_year=2000,
    )


def test_compound_name_is_unique_within_the_community(registry, community, street_user):
    compound_create(actor=street_user, community=community, name="一号院")
    with pytest.raises(ApplicationError) as exc_info:
        compound_create(actor=street_user, community=community, name="一号院")
    assert "一号院" in errors_of(exc_info)["name"]
    # the same name in another community is fine
    sibling = Community.objects.get(region=registry["sibling"])
    compound_create(actor=street_user, community=sibling, name="一号院")
    # renaming onto an existing name is refused, keeping its own name is fine
    second = compound_create(actor=street_user, community=community, name="二号院")
    with pytest.raises(ApplicationError):
        compound_update(actor=street_user, compound=second, name="一号院")
    compound_update(actor=street_user, compound=second, name="二号院", build_year=2001)


def test_compound_update_checks_the_resulting_state(community, street_user):
    compound = compound_create(
        actor=street_user,
        community=community,
        name="一号院",
        renovation_status="planned",
        renovation_year=THIS_YEAR,
    )
    # leaving the programme while keeping the year is refused
    with pytest.raises(ApplicationError) as exc_info:
        compound_update(actor=street_user, compound=compound, renovation_status="none")
    assert list(errors_of(exc_info)) == ["renovation_year"]
    compound_update(
        actor=street_user, compound=compound, renovation_status="none", renovation_year=None
    )


# ---------------------------------------------------------------------------- renovation


def completion(community):
    return {
        v.year: v.value
        for v in IndicatorValue.objects.filter(
            community=community, indicator__code=RENOVATION_COMPLETION
        )
    }


def test_renovation_completion_follows_the_compounds(community, street_user):
    # given compounds done in 2021, in progress from 2022, planned for 2023 and one outside
    done = compound_create(
        actor=street_user,
        community=community,
        name="甲",
        renovation_status="done",
        renovation_year=2021,
    )
    compound_create(
        actor=street_user,
        community=community,
        name="乙",
        renovation_status="in_progress",
        renovation_year=2022,
    )
    compound_create(
        actor=street_user,
        community=community,
        name="丙",
        renovation_status="planned",
        renovation_year=2023,
    )
    compound_create(actor=street_user, community=community, name="丁")
    # then each year counts the compounds in a programme by then
    values = completion(community)
    assert values[2021] == Decimal("100.00")
    assert values[2022] == Decimal("50.00")
    assert values[2023] == Decimal("33.33")
    assert values[THIS_YEAR] == Decimal("33.33")
    assert set(values) == set(range(2021, THIS_YEAR + 1))
    assert {
        v.source for v in IndicatorValue.objects.filter(indicator__code=RENOVATION_COMPLETION)
    } == {"computed"}

    # when the done compound is removed, 2021 has no compound in a programme any more
    compound_delete(actor=street_user, compound=done)
    values = completion(community)
    assert 2021 not in values
    assert values[2022] == Decimal("0.00") and values[THIS_YEAR] == Decimal("0.00")

    # and when the in-progress one is finished, the share rises from 2022
    second = Compound.objects.get(name="乙")
    compound_update(actor=street_user, compound=second, renovation_status="done")
    values = completion(community)
    assert values[2022] == Decimal("100.00") and values[2023] == Decimal("50.00")


def test_renovation_completion_for_one_year_and_none_without_programme(community):
    assert community_renovation_recompute(community=community) == {}
    Compound.objects.create(
        community=community, name="甲", renovation_status="done", renovation_year=2020
    )
    Compound.objects.create(
        community=community, name="乙", renovation_status="planned", renovation_year=2021
    )
    assert community_renovation_recompute(community=community, year=2020) == {
        2020: Decimal("100.00")
    }
    assert community_renovation_recompute(community=community, year=2019) == {2019: None}
    assert set(completion(community)) == {2020}
    community_renovation_recompute(community=community)
    assert completion(community)[2021] == Decimal("50.00")


def test_computed_indicator_cannot_be_entered(community, street_user):
    with pytest.raises(ApplicationError):
        indicator_value_set(
            actor=street_user,
            community=community,
            indicator=indicator(RENOVATION_COMPLETION),
            year=THIS_YEAR,
            value=50,
        )
    with pytest.raises(ApplicationError):
        indicator_value_delete(
            actor=street_user,
            community=community,
            indicator=indicator(RENOVATION_COMPLETION),
            year=THIS_YEAR,
        )


# ---------------------------------------------------------------------------- indicators


def test_indicator_value_set_and_delete_are_audited(community, street_user):
    green = indicator("green_ratio")
    value = indicator_value_set(
        actor=street_user, community=community, indicator=green, year=THIS_YEAR, value="31.5"
    )
    assert value.value == Decimal("31.50") and value.source == "entered"
    indicator_value_set(
        actor=street_user, community=community, indicator=green, year=THIS_YEAR, value=35
    )
    # the same value again records nothing
    indicator_value_set(
        actor=street_user, community=community, indicator=green, year=THIS_YEAR, value="35.00"
    )
    events = list(Event.objects.filter(verb="indicator_value.set").order_by("seq"))
    assert len(events) == 2
    assert events[0].before is None
    assert events[1].before["value"] == "31.50" and events[1].after["value"] == "35.00"
    assert events[1].summary == f"绿地率 · {THIS_YEAR}"

    assert indicator_value_delete(
        actor=street_user, community=community, indicator=green, year=THIS_YEAR
    )
    assert not indicator_value_delete(
        actor=street_user, community=community, indicator=green, year=THIS_YEAR
    )
    assert Event.objects.filter(verb="indicator_value.delete").count() == 1
    assert not IndicatorValue.objects.exists()


@pytest.mark.parametrize(
    ("code", "year", "value", "field"),
    [
        ("green_ratio", THIS_YEAR, "-1", "value"),
        ("green_ratio", THIS_YEAR, "100.01", "value"),
        ("green_ratio", THIS_YEAR, "abc", "value"),
        ("green_ratio", THIS_YEAR, "1.005", "value"),
        ("green_ratio", THIS_YEAR, None, "value"),
        ("green_ratio", THIS_YEAR + 1, "10", "year"),
        ("green_ratio", 1989, "10", "year"),
        ("public_green_per_person", THIS_YEAR, "-0.5", "value"),
    ],
)
def test_indicator_values_are_validated(community, street_user, code, year, value, field):
    with pytest.raises(ApplicationError) as exc_info:
        indicator_value_set(
            actor=street_user,
            community=community,
            indicator=indicator(code),
            year=year,
            value=value,
        )
    assert field in errors_of(exc_info)
    assert not IndicatorValue.objects.exists()


def test_non_percent_indicator_may_exceed_100(community, street_user):
    indicator_value_set(
        actor=street_user,
        community=community,
        indicator=indicator("public_green_per_person"),
        year=THIS_YEAR,
        value="150",
    )
    indicator_value_set(
        actor=street_user,
        community=community,
        indicator=indicator("green_ratio"),
        year=THIS_YEAR,
        value="100",
    )


def test_indicator_row_update_is_all_or_nothing(community, street_user):
    green = indicator("green_ratio")
    indicator_value_set(
        actor=street_user, community=community, indicator=green, year=THIS_YEAR - 1, value=20
    )
    # an invalid current year leaves the previous year untouched
    with pytest.raises(ApplicationError) as exc_info:
        indicator_values_update(
            actor=street_user,
            community=community,
            indicator=green,
            values={THIS_YEAR - 1: None, THIS_YEAR: "120"},
        )
    assert list(errors_of(exc_info)) == [str(THIS_YEAR)]
    assert IndicatorValue.objects.get().year == THIS_YEAR - 1
    # a valid row removes the emptied value and enters the new one
    indicator_values_update(
        actor=street_user,
        community=community,
        indicator=green,
        values={THIS_YEAR - 1: None, THIS_YEAR: Decimal("28")},
    )
    assert [(v.year, v.value) for v in IndicatorValue.objects.all()] == [
        (THIS_YEAR, Decimal("28.00"))
    ]


# ---------------------------------------------------------------------------- selectors


def fill_survey(community, year=THIS_YEAR):
    community_update_profile(actor=None, community=community, **COMPLETE_PROFILE)
    for ind in Indicator.objects.filter(required_for_survey=True):
        indicator_value_set(actor=None, community=community, indicator=ind, year=year, value=50)


def names(qs):
    return [c.region.name for c in qs]


def test_access_community_in_and_out_of_scope(registry, make_user):
    committee = make_user(Role.COMMUNITY, registry["community"])
    assert access_community(committee, "370321001002").region.name == "西苑社区"
    for code in ["370321001003", "370303001001", "379999999999", "370321001000"]:
        with pytest.raises(NotFound):
            access_community(committee, code)


def test_list_is_scoped_and_ordered_by_code(registry, make_user):
    street = make_user(Role.STREET, registry["street"])
    assert names(community_list(street)) == ["西苑社区", "东苑社区", "马桥村"]
    committee = make_user(Role.COMMUNITY, registry["community"])
    assert names(community_list(committee)) == ["西苑社区"]
    province = make_user(Role.HOUSING, registry["province"])
    assert names(community_list(province)) == ["新华社区", "西苑社区", "东苑社区", "马桥村"]
    assert names(community_list(make_user())) == []


def test_list_leaves_out_communities_no_longer_valid(registry, make_user):
    region = registry["sibling"]
    region.valid_to = date(2020, 1, 1)
    region.save()
    street = make_user(Role.STREET, registry["street"])
    assert names(community_list(street)) == ["西苑社区", "马桥村"]


def test_list_filters(registry, make_user):
    province = make_user(Role.HOUSING, registry["province"])
    xiyuan = Community.objects.get(region=registry["community"])
    dongyuan = Community.objects.get(region=registry["sibling"])
    fill_survey(xiyuan)
    community_update_profile(actor=None, community=dongyuan, urban_rural_code="220")
    compound_create(
        actor=None,
        community=dongyuan,
        name="甲",
        renovation_status="in_progress",
        renovation_year=THIS_YEAR,
    )

    def listed(**filters):
        return names(community_list(province, **filters))

    assert listed(q="苑") == ["西苑社区", "东苑社区"]
    assert listed(q="370321001") == ["西苑社区", "东苑社区", "马桥村"]
    assert listed(street="370303001000") == ["新华社区"]
    assert listed(region_code="370321000000") == ["西苑社区", "东苑社区", "马桥村"]
    assert listed(region_code="370303000000") == ["新华社区"]
    assert listed(kind="villagers") == ["马桥村"]
    assert listed(urban=True) == ["新华社区", "西苑社区"]
    assert listed(urban=False) == ["东苑社区", "马桥村"]
    assert listed(survey_complete=True) == ["西苑社区"]
    assert listed(survey_complete=False) == ["新华社区", "东苑社区", "马桥村"]
    assert listed(renovation="in_progress") == ["东苑社区"]
    assert listed(renovation="done") == []
    assert listed(q="苑", urban=True) == ["西苑社区"]


def test_list_annotations(registry, make_user):
    province = make_user(Role.HOUSING, registry["province"])
    xiyuan = Community.objects.get(region=registry["community"])
    fill_survey(xiyuan, year=THIS_YEAR - 1)  # last year's indicators do not count
    compound_create(actor=None, community=xiyuan, name="甲")
    compound_create(actor=None, community=xiyuan, name="乙")
    row = community_list(province).get(region__code="370321001002")
    assert row.profile_complete and not row.indicators_complete and not row.survey_complete
    assert row.compound_count == 2
    assert community_list(province, year=THIS_YEAR - 1).get(pk=xiyuan.pk).survey_complete
    other = community_list(province).get(region__code="370321001003")
    assert not other.profile_complete and other.compound_count == 0


def test_profile_complete_rule(community):
    def complete():
        return Community.objects.filter(profile_complete_q(), pk=community.pk).exists()

    assert not complete()
    community_update_profile(actor=None, community=community, **COMPLETE_PROFILE)
    assert complete()
    community_update_profile(actor=None, community=community, households=0)
    assert complete()  # 0 is a known figure
    community_update_profile(actor=None, community=community, leader_phone="")
    assert not complete()
    # through a relation
    assert not Compound.objects.filter(profile_complete_q("community__")).exists()


def test_list_query_count_does_not_grow_with_rows(
    registry, make_user, django_assert_max_num_queries
):
    province = make_user(Role.HOUSING, registry["province"])
    for i in range(4, 40):
        region_create(
            actor=None, code=f"370321001{i:03d}", name=f"社区{i}", parent=registry["street"]
        )
    with django_assert_max_num_queries(2):
        rows = list(community_list(province, urban=True)[:25])
        seen = [(c.region.parent.name, c.survey_complete, c.compound_count) for c in rows]
    assert len(seen) == 25 and seen[0] == ("车站街道", False, 0)  # 新华社区 comes first
