"""Division changes keep history: counts as of a date, and communities follow the links."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from greencommunity.access.roles import Role
from greencommunity.audit.models import Event
from greencommunity.core.errors import ApplicationError, PermissionDenied
from greencommunity.regions.models import (
    Community,
    Compound,
    DivisionChange,
    DivisionChangeLink,
    Indicator,
    IndicatorValue,
    Region,
)
from greencommunity.regions.selectors_changes import (
    communities_as_of,
    count_communities_as_of,
    division_change_leftovers,
    region_history,
    region_successors,
)
from greencommunity.regions.services.changes import division_change_record
from greencommunity.regions.services.tree import region_create

DAY = date(2024, 1, 1)
EVE = date(2023, 12, 31)
STREET = "370321002000"
A, B, C = "370321002001", "370321002002", "370321002003"
D = "370321002010"


def _community(parent, code, name, **fields):
    region = region_create(actor=None, code=code, name=name, parent=parent)
    if fields:
        Community.objects.filter(pk=region.pk).update(**fields)
    return region


def _value(region, indicator, year, value):
    return IndicatorValue.objects.create(
        community_id=region.pk,
        indicator=Indicator.objects.get(code=indicator),
        year=year,
        value=Decimal(value),
        source="entered",
    )


@pytest.fixture
def street(tree):
    """新区街道 with three residents' committees A, B, C; A and B with compounds and values."""
    s = region_create(actor=None, code=STREET, name="新区街道", parent=tree["county"])
    t = {"street": s}
    t["a"] = _community(s, A, "甲社区", households=100, residents=300, address="甲路 1 号")
    t["b"] = _community(s, B, "乙社区", households=50, residents=120)
    t["c"] = _community(s, C, "丙社区")
    Compound.objects.create(community_id=t["a"].pk, name="阳光小区", build_year=1995)
    Compound.objects.create(community_id=t["a"].pk, name="幸福里")
    Compound.objects.create(community_id=t["b"].pk, name="和平小区")
    _value(t["a"], "green_ratio", 2023, "31.5")
    _value(t["a"], "property_management_coverage", 2023, "40")
    _value(t["b"], "green_ratio", 2022, "20")
    return t


@pytest.fixture
def admin(tree, make_user):
    return make_user(Role.ADMIN, tree["county"])


def _record(admin, kind, old, new=(), **kwargs):
    kwargs.setdefault("effective_on", DAY)
    return division_change_record(
        actor=admin, kind=kind, old_codes=list(old), new_regions=list(new), **kwargs
    )


def _state():
    return (
        Region.objects.count(),
        Community.objects.count(),
        DivisionChange.objects.count(),
        DivisionChangeLink.objects.count(),
        sorted(Compound.objects.values_list("community_id", "name")),
        sorted(IndicatorValue.objects.values_list("community_id", "indicator_id", "year")),
        sorted(Region.objects.values_list("code", "name", "valid_from", "valid_to")),
    )


# Merge


def test_merge_counts_once_before_and_after(street, admin):
    # given a street with A, B and C
    assert count_communities_as_of(STREET, EVE) == 3
    # when A and B merge into a new D on 2024-01-01
    change = _record(admin, "merge", [A, B], [(D, "丁社区")], document="桓政字〔2023〕9号")
    # then the street had 3 communities the day before and 2 from that day
    assert count_communities_as_of(STREET, EVE) == 3
    assert count_communities_as_of(STREET, DAY) == 2
    assert count_communities_as_of(STREET, date(2025, 6, 1)) == 2
    assert [c.region.code for c in communities_as_of(None, STREET, DAY)] == [C, D]
    # the old regions close that day and the new one opens
    a, d = Region.objects.get(code=A), Region.objects.get(code=D)
    assert a.valid_to == DAY and d.valid_from == DAY and d.valid_to is None
    assert d.parent == street["street"] and d.level == "community"
    # compounds and indicator values are now on D
    assert sorted(Compound.objects.filter(community_id=d.pk).values_list("name", flat=True)) == [
        "和平小区",
        "幸福里",
        "阳光小区",
    ]
    assert not Compound.objects.filter(community_id__in=[a.pk, street["b"].pk]).exists()
    assert IndicatorValue.objects.filter(community_id=d.pk).count() == 3
    assert Community.objects.get(pk=d.pk).households == 150  # the merged territory holds both
    # links old → new, and the successor of A today is D
    assert sorted(change.links.values_list("old_region__code", "new_region__code")) == [
        (A, D),
        (B, D),
    ]
    assert region_successors(a) == [d]
    assert region_successors(a, EVE) == [a]
    assert list(region_history(a)) == [change] == list(region_history(d))
    assert change.document == "桓政字〔2023〕9号"


def test_merge_keeps_the_targets_value_on_a_conflict_and_reports_it(street, admin):
    # given A and B both hold a green ratio for 2023
    _value(street["b"], "green_ratio", 2023, "18")
    # when B merges into A (A continues)
    change = _record(admin, "merge", [A, B], [(A, "")])
    # then A keeps its value, B's stays on the closed B and is reported
    a = Region.objects.get(code=A)
    assert a.valid_to is None and a.valid_from is None
    green = IndicatorValue.objects.get(community_id=a.pk, indicator__code="green_ratio", year=2023)
    assert green.value == Decimal("31.5")
    assert [(v.community_id, v.value) for v in division_change_leftovers(change)] == [
        (street["b"].pk, Decimal("18.00"))
    ]
    event = Event.objects.get(verb="division.merge")
    assert event.after["indicator_conflicts"] == [
        {
            "community": B,
            "indicator": "green_ratio",
            "year": 2023,
            "kept": "31.50",
            "not_moved": "18.00",
        }
    ]
    # the 2022 value moved, and counts: 3 before, 2 after
    assert IndicatorValue.objects.filter(community_id=a.pk, year=2022).count() == 1
    assert count_communities_as_of(STREET, EVE) == 3
    assert count_communities_as_of(STREET, DAY) == 2
    assert region_successors(Region.objects.get(code=B)) == [a]


def test_merge_renames_a_compound_whose_name_is_taken(street, admin):
    Compound.objects.create(community_id=street["b"].pk, name="阳光小区")
    _record(admin, "merge", [A, B], [(A, "")])
    names = sorted(
        Compound.objects.filter(community_id=street["a"].pk).values_list("name", flat=True)
    )
    assert names == ["和平小区", "幸福里", "阳光小区", "阳光小区（乙社区）"]
    assert Event.objects.get(verb="division.merge").after["compounds_renamed"] == [
        {"community": B, "from": "阳光小区", "to": "阳光小区（乙社区）"}
    ]


def test_merge_writes_one_audit_event(street, admin):
    before = Event.objects.count()
    change = _record(admin, "merge", [A, B], [(D, "丁社区")])
    assert Event.objects.count() == before + 1
    event = Event.objects.get(verb="division.merge")
    assert event.target_id == str(change.pk) and event.actor_id == admin.pk
    assert event.region_code == STREET
    assert event.after["old_codes"] == [A, B] and event.after["new_codes"] == [D]
    assert [r["code"] for r in event.before["regions"]] == [A, B]
    assert event.after["compounds_moved"] == 3
    assert A in event.summary and D in event.summary


# Split


@pytest.fixture
def lone(tree):
    """A street with one community and three compounds."""
    s = region_create(actor=None, code="370321003000", name="东城街道", parent=tree["county"])
    old = _community(s, "370321003001", "东城社区", households=90, urban_rural_code="111")
    for name in ("一号院", "二号院", "三号院"):
        Compound.objects.create(community_id=old.pk, name=name)
    _value(old, "green_ratio", 2023, "26")
    return {"street": s, "old": old}


def _ids(names):
    return {c.pk: c.name for c in Compound.objects.filter(name__in=names)}


def test_split_counts_one_before_two_after_and_loses_nothing(lone, admin):
    ids = {name: pk for pk, name in _ids(["一号院", "二号院", "三号院"]).items()}
    compounds_before = Compound.objects.count()
    # when the community splits in two, each compound assigned
    change = _record(
        admin,
        "split",
        ["370321003001"],
        [("370321003002", "东城北社区"), ("370321003003", "东城南社区")],
        compound_assignment={
            ids["一号院"]: "370321003002",
            ids["二号院"]: "370321003002",
            ids["三号院"]: "370321003003",
        },
    )
    # then 1 before and 2 after, no compound lost, each where it was assigned
    assert count_communities_as_of("370321003000", EVE) == 1
    assert count_communities_as_of("370321003000", DAY) == 2
    assert Compound.objects.count() == compounds_before
    north = Region.objects.get(code="370321003002")
    assert sorted(
        Compound.objects.filter(community_id=north.pk).values_list("name", flat=True)
    ) == ["一号院", "二号院"]
    assert (
        Compound.objects.get(name="三号院").community_id
        == Region.objects.get(code="370321003003").pk
    )
    # the new communities inherit kind and urban class; values stay with the old territory
    assert Community.objects.get(pk=north.pk).urban_rural_code == "111"
    assert IndicatorValue.objects.filter(community_id=lone["old"].pk).count() == 1
    assert [r.code for r in region_successors(lone["old"])] == ["370321003002", "370321003003"]
    assert change.links.count() == 2


def test_split_requires_every_compound_assigned(lone, admin):
    ids = {name: pk for pk, name in _ids(["一号院"]).items()}
    state = _state()
    with pytest.raises(ApplicationError) as exc:
        _record(
            admin,
            "split",
            ["370321003001"],
            [("370321003002", "东城北社区"), ("370321003003", "东城南社区")],
            compound_assignment={ids["一号院"]: "370321003002"},
        )
    assert "二号院" in exc.value.message and "三号院" in exc.value.message
    assert exc.value.extra["field"] == "compounds"
    assert "not assigned" in exc.value.extra["reason_en"]
    assert _state() == state


def test_split_may_keep_the_old_code(lone, admin):
    ids = {name: pk for pk, name in _ids(["一号院", "二号院", "三号院"]).items()}
    _record(
        admin,
        "split",
        ["370321003001"],
        [("370321003001", ""), ("370321003003", "东城南社区")],
        compound_assignment={
            ids["一号院"]: "370321003001",
            ids["二号院"]: "370321003001",
            ids["三号院"]: "370321003003",
        },
    )
    old = Region.objects.get(code="370321003001")
    assert old.valid_to is None
    assert Compound.objects.filter(community_id=old.pk).count() == 2
    assert count_communities_as_of("370321003000", DAY) == 2
    assert region_successors(old) == [old]


# Rename, recode, move, abolish


def test_rename_keeps_the_code_and_history(street, admin):
    change = _record(admin, "rename", [A], [(A, "甲新社区")])
    a = Region.objects.get(code=A)
    assert a.name == "甲新社区" and a.valid_from is None and a.valid_to is None
    assert change.old_name == "甲社区"
    assert list(change.links.values_list("old_region_id", "new_region_id")) == [(a.pk, a.pk)]
    assert list(region_history(a)) == [change]
    assert count_communities_as_of(STREET, EVE) == count_communities_as_of(STREET, DAY) == 3
    assert Compound.objects.filter(community_id=a.pk).count() == 2
    assert region_successors(a) == [a]


def test_recode_moves_everything(street, admin):
    change = _record(admin, "recode", [A], [("370321002011", "")])
    old, new = Region.objects.get(code=A), Region.objects.get(code="370321002011")
    assert old.valid_to == DAY and new.valid_from == DAY and new.name == "甲社区"
    community = Community.objects.get(pk=new.pk)
    assert (community.households, community.residents, community.address) == (100, 300, "甲路 1 号")
    assert Compound.objects.filter(community=community).count() == 2
    assert IndicatorValue.objects.filter(community=community).count() == 2
    assert not IndicatorValue.objects.filter(community_id=old.pk).exists()
    assert region_successors(old) == [new] and list(region_history(old)) == [change]
    assert count_communities_as_of(STREET, EVE) == count_communities_as_of(STREET, DAY) == 3


def test_move_to_another_street_hangs_under_it(street, tree, admin):
    _record(admin, "move", [A], [("370321001005", "甲社区")])
    new = Region.objects.get(code="370321001005")
    assert new.parent == tree["street"]
    assert count_communities_as_of(STREET, DAY) == 2
    assert count_communities_as_of("370321001000", DAY) == 2  # 西苑社区 and the newcomer
    assert count_communities_as_of("370321001000", EVE) == 1


def test_a_chain_of_changes_resolves_to_the_latest(street, admin):
    _record(admin, "recode", [A], [("370321002011", "")], effective_on=date(2022, 1, 1))
    _record(admin, "merge", ["370321002011", B], [(D, "丁社区")])
    d = Region.objects.get(code=D)
    assert region_successors(Region.objects.get(code=A)) == [d]
    assert region_successors(Region.objects.get(code=A), date(2022, 6, 1)) == [
        Region.objects.get(code="370321002011")
    ]
    assert Compound.objects.filter(community_id=d.pk).count() == 3


def test_abolish_closes_with_no_successor(street, admin):
    change = _record(admin, "abolish", [C], note="并入城区")
    c = Region.objects.get(code=C)
    assert c.valid_to == DAY
    assert count_communities_as_of(STREET, EVE) == 3 and count_communities_as_of(STREET, DAY) == 2
    assert region_successors(c) == []
    assert list(region_history(c)) == [change]


# Streets: children first


def test_a_street_with_communities_cannot_merge(street, tree, admin):
    with pytest.raises(ApplicationError) as exc:
        _record(admin, "merge", [STREET, "370321001000"], [("370321009000", "合并街道")])
    assert "move or recode its communities first" in exc.value.extra["reason_en"]
    assert "请先迁移或变更其下属社区" in exc.value.message


def test_streets_merge_after_their_communities_move(street, tree, admin):
    # given the communities of both streets recoded into the new street's codes
    olds = [A, B, C, "370321001002"]
    for i, code in enumerate(olds, start=1):
        _record(admin, "recode", [code], [(f"37032100900{i}", "")])
    # when the two streets merge into the new street
    _record(admin, "merge", [STREET, "370321001000"], [("370321009000", "合并街道")])
    # then the new street holds the recoded communities, and counts agree on both sides
    new = Region.objects.get(code="370321009000")
    assert new.children.count() == 4
    assert count_communities_as_of("370321000000", EVE) == 4
    assert count_communities_as_of("370321000000", DAY) == 4
    assert count_communities_as_of("370321009000", DAY) == 4
    assert count_communities_as_of(STREET, DAY) == 0


# Refusals


def test_a_future_date_is_refused(street, admin):
    with pytest.raises(ApplicationError, match="晚于今天"):
        _record(admin, "abolish", [C], effective_on=timezone.localdate() + timedelta(days=1))


def test_unknown_codes_are_refused(street, admin):
    state = _state()
    with pytest.raises(ApplicationError) as exc:
        _record(admin, "merge", [A, "370321002099"], [(D, "丁社区")])
    assert exc.value.extra == {
        "field": "old",
        "value": "370321002099",
        "reason": "区划代码 370321002099 不存在",
        "reason_en": "there is no region with code 370321002099",
        "key": "unknown_code",
    }
    assert _state() == state


def test_a_closed_region_cannot_change_again(street, admin):
    _record(admin, "abolish", [C])
    with pytest.raises(ApplicationError, match="已于 2024-01-01 撤销或变更"):
        _record(admin, "rename", [C], [(C, "新丙社区")], effective_on=date(2024, 2, 1))


def test_a_change_before_the_region_began_is_refused(street, admin):
    _record(admin, "recode", [A], [("370321002011", "")])
    with pytest.raises(ApplicationError) as exc:
        _record(admin, "abolish", ["370321002011"], effective_on=EVE)
    assert exc.value.extra["key"] == "old_not_yet"
    with pytest.raises(ApplicationError) as exc:
        _record(admin, "abolish", ["370321002011"], effective_on=DAY)  # the very day it began
    assert exc.value.extra["key"] == "old_same_day"


def test_levels_must_match(street, tree, admin):
    with pytest.raises(ApplicationError) as exc:
        _record(admin, "recode", [A], [("370321009000", "某街道")])
    assert exc.value.extra["key"] == "level_mismatch"
    with pytest.raises(ApplicationError) as exc:
        _record(admin, "merge", [A, STREET], [(D, "丁社区")])
    assert exc.value.extra["key"] == "levels_differ"


def test_a_target_that_existed_before_must_be_listed_among_the_old(street, admin):
    Region.objects.filter(code=C).update(valid_from=date(2020, 1, 1))
    with pytest.raises(ApplicationError) as exc:
        _record(admin, "merge", [A, B], [(C, "")])
    assert exc.value.extra["key"] == "target_existed"


@pytest.mark.parametrize(
    ("kind", "old", "new", "key"),
    [
        ("merge", [A], [(D, "丁社区")], "merge_shape"),
        ("split", [A, B], [(D, "丁社区")], "split_shape"),
        ("rename", [A], [(B, "乙")], "rename_shape"),
        ("recode", [A], [(A, "")], "recode_shape"),
        ("abolish", [A], [(D, "丁社区")], "abolish_shape"),
        ("merge", [A, B], [(D, "")], "name_missing"),
        ("merge", [A, A], [(D, "丁社区")], "old_repeated"),
        ("shuffle", [A], [], "unknown_kind"),
        ("rename", [A], [(A, "甲社区")], "same_name"),
        ("merge", [A, "3703210020"], [(D, "丁")], "bad_code"),
    ],
)
def test_malformed_changes_are_refused(street, admin, kind, old, new, key):
    state = _state()
    with pytest.raises(ApplicationError) as exc:
        _record(admin, kind, old, new)
    assert exc.value.extra["key"] == key
    assert _state() == state


@pytest.mark.parametrize(
    ("role", "where"), [(Role.HOUSING, "county"), (Role.ADMIN, "other_county"), (None, None)]
)
def test_only_an_administrator_over_every_code_may_record(street, tree, make_user, role, where):
    actor = make_user(role, tree[where] if where else None)
    state = _state()
    with pytest.raises(PermissionDenied):
        _record(actor, "merge", [A, B], [(D, "丁社区")])
    assert _state() == state


def test_the_new_code_must_lie_in_the_actors_regions(street, tree, make_user):
    street_admin = make_user(Role.ADMIN, tree["county"])
    with pytest.raises(PermissionDenied) as exc:
        _record(street_admin, "move", [A], [("370303001001", "甲社区")])  # into 张店区
    assert exc.value.extra["value"] == "370303001001"


# Urban counting


def test_counts_take_only_urban_communities_by_default(street, admin):
    # given a villagers' committee, a rural residents' committee and an overridden one
    s = street["street"]
    _community(s, "370321002201", "某村")
    _community(s, "370321002005", "城郊社区", urban_rural_code="220")
    _community(s, "370321002202", "新村", urban_override=True)
    # then urban counts take A, B, C and the overridden village
    assert count_communities_as_of(STREET, DAY) == 4
    assert count_communities_as_of(STREET, DAY, urban_only=False) == 6
    # and a merge of the village into the rural community changes only the full count
    _record(admin, "merge", ["370321002201", "370321002005"], [("370321002005", "")])
    assert count_communities_as_of(STREET, DAY) == 4
    assert count_communities_as_of(STREET, DAY, urban_only=False) == 5


def test_communities_as_of_applies_the_actors_scope(street, tree, make_user):
    outsider = make_user(Role.HOUSING, tree["other_county"])
    assert communities_as_of(outsider, STREET, DAY).count() == 0
    insider = make_user(Role.STREET, street["street"])
    assert communities_as_of(insider, STREET, DAY).count() == 3


# The page


def _page(code):
    return reverse("regions:region_changes", args=[code])


def test_the_changes_page_lists_changes_below_the_region(client, street, tree, admin, make_user):
    _record(admin, "merge", [A, B], [(D, "丁社区")], document="桓政字〔2023〕9号")
    # a reviewer of the county sees the merge on the street's and the county's page, no form
    client.force_login(make_user(Role.HOUSING, tree["county"]))
    for code in (STREET, "370321000000", A):
        body = client.get(_page(code)).content.decode()
        assert "甲社区" in body and "丁社区" in body and "桓政字〔2023〕9号" in body
        assert 'name="old_codes"' not in body
    # another street's page does not list it
    assert "丁社区" not in client.get(_page("370321001000")).content.decode()


def test_the_changes_page_is_404_outside_the_scope(client, street, tree, make_user):
    client.force_login(make_user(Role.HOUSING, tree["other_county"]))
    assert client.get(_page(STREET)).status_code == 404


def test_only_an_administrator_may_post(client, street, tree, make_user):
    client.force_login(make_user(Role.HOUSING, tree["county"]))
    response = client.post(_page(STREET), {"kind": "abolish", "effective_on": "2024-01-01"})
    assert response.status_code == 403
    assert not DivisionChange.objects.exists()


def test_an_administrator_records_a_merge_on_the_page(client, street, admin):
    client.force_login(admin)
    assert 'name="old_codes"' in client.get(_page(STREET)).content.decode()
    response = client.post(
        _page(STREET),
        {
            "kind": "merge",
            "effective_on": "2024-01-01",
            "old_codes": f"{A}\n{B}",
            "new_regions": f"{D} 丁社区",
            "document": "桓政字〔2023〕9号",
        },
        follow=True,
    )
    assert response.redirect_chain[-1][0] == _page(STREET)
    assert Region.objects.get(code=D).valid_from == DAY
    assert count_communities_as_of(STREET, DAY) == 2
    assert "丁社区" in response.content.decode()


def test_a_refused_change_is_shown_at_its_field(client, street, admin):
    client.force_login(admin)
    state = _state()
    response = client.post(
        _page(STREET),
        {
            "kind": "merge",
            "effective_on": "2024-01-01",
            "old_codes": f"{A}, 370321002099",
            "new_regions": f"{D} 丁社区",
        },
    )
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert errors["old_codes"] == ["区划代码 370321002099 不存在"]
    assert _state() == state


def test_a_split_and_a_rename_on_the_page(client, lone, admin):
    client.force_login(admin)
    response = client.post(
        _page("370321003001"),
        {
            "kind": "split",
            "effective_on": "2024-01-01",
            "old_codes": "370321003001",
            "new_regions": "370321003002 东城北社区\n370321003003 东城南社区",
            "compounds": "370321003002 一号院\n370321003002 二号院\n370321003003 三号院",
        },
    )
    assert response.status_code == 302
    assert Compound.objects.get(name="三号院").community.region.code == "370321003003"
    response = client.post(
        _page("370321003002"),
        {
            "kind": "rename",
            "effective_on": "2024-02-01",
            "old_codes": "370321003002",
            "new_regions": "东城北新社区",
        },
    )
    assert response.status_code == 302
    assert Region.objects.get(code="370321003002").name == "东城北新社区"


def test_an_unknown_compound_on_the_page(client, lone, admin):
    client.force_login(admin)
    response = client.post(
        _page("370321003001"),
        {
            "kind": "split",
            "effective_on": "2024-01-01",
            "old_codes": "370321003001",
            "new_regions": "370321003002 东城北社区\n370321003003 东城南社区",
            "compounds": "370321003002 四号院",
        },
    )
    assert "四号院" in response.context["form"].errors["compounds"][0]
    assert not DivisionChange.objects.exists()
