"""Creation lists: setting, adding, removing, the warnings and the export in Huantai's layout."""

from datetime import date

import pytest

from campaigns.conftest import A, C
from greencommunity.audit.models import Event
from greencommunity.campaigns.models import CreationList, CreationListEntry
from greencommunity.campaigns.selectors_targets import (
    access_creation_list,
    creation_list_entries,
    creation_list_warnings,
    creation_list_xlsx,
)
from greencommunity.campaigns.services import (
    creation_list_add,
    creation_list_remove,
    creation_list_set,
    plan_save,
    target_set,
)
from greencommunity.core.errors import ApplicationError, NotFound, PermissionDenied
from greencommunity.documents.xlsx import read_xlsx_values
from greencommunity.regions.models import Community, Compound

TODAY = date(2026, 11, 23)


def community(world, code):
    return Community.objects.get(pk=world[code].pk)


def entries_of(region, year):
    return sorted(
        CreationListEntry.objects.filter(
            creation_list__region=region, creation_list__year=year
        ).values_list("community__region__code", "pilot")
    )


def test_set_replaces_every_entry(world, users):
    county = world["county"]
    creation_list_set(
        actor=users["county_housing"], region=county, year=2022, notes="第一批",
        entries=[(community(world, "370321001005"), True), (community(world, C), False)],
    )  # fmt: skip
    assert entries_of(county, 2022) == [("370321001005", True), (C, False)]
    assert CreationList.objects.get(region=county, year=2022).notes == "第一批"
    event = Event.objects.filter(verb="creation_list.set").order_by("-seq").first()
    assert event.after == {"370321001005": True, C: False}
    assert len(event.before) == 6  # the fixture's list


@pytest.mark.parametrize(
    ("code", "year", "why"),
    [
        ("370321001201", 2022, "is not an urban community"),  # a village
        ("370321001008", 2022, "is not an urban community"),  # classed rural
        ("370303001001", 2022, "does not lie in"),  # another county
        (A, 2023, "did not exist in 2023"),  # merged away in 2022
        (C, 2021, "did not exist in 2021"),  # made by the merge in 2022
    ],
)
def test_set_refuses_and_writes_nothing(world, code, year, why):
    before = entries_of(world["county"], year)
    with pytest.raises(ApplicationError) as refused:
        creation_list_set(
            actor=None, region=world["county"], year=year,
            entries=[(community(world, "370321001001"), False), (community(world, code), True)],
        )  # fmt: skip
    assert why in refused.value.message
    assert refused.value.extra["errors"][0]["code"] == code
    assert entries_of(world["county"], year) == before


def test_set_refuses_a_community_twice(world):
    baolong = community(world, "370321001001")
    with pytest.raises(ApplicationError) as refused:
        creation_list_set(actor=None, region=world["county"], year=2023,
                          entries=[(baolong, False), (baolong, True)])  # fmt: skip
    assert "twice" in refused.value.message
    assert not CreationList.objects.filter(year=2023).exists()


def test_add_and_remove(world, users):
    actor, street = users["county_housing"], world["street"]
    creation_list_add(actor=actor, region=street, year=2022,
                      community=community(world, "370321001006"))  # fmt: skip
    creation_list_add(actor=actor, region=street, year=2022,
                      community=community(world, "370321001006"), pilot=True)  # fmt: skip
    assert ("370321001006", True) in entries_of(street, 2022)
    with pytest.raises(ApplicationError):
        creation_list_add(actor=actor, region=street, year=2022, community=community(world, C))
    creation_list_remove(actor=actor, region=street, year=2022,
                         community=community(world, "370321001006"))  # fmt: skip
    assert "370321001006" not in dict(entries_of(street, 2022))
    with pytest.raises(ApplicationError):
        creation_list_remove(actor=actor, region=street, year=2022,
                             community=community(world, "370321001006"))  # fmt: skip
    verbs = list(
        Event.objects.filter(verb__startswith="creation_list.").values_list("verb", flat=True)
    )
    assert verbs.count("creation_list.add") == 2 and verbs.count("creation_list.remove") == 1


def test_keepers_only(world, users):
    xiyuan = community(world, "370321001002")
    for name in ("street", "committee", "county_department", "county_expert",
                 "other_county_housing", "nobody"):  # fmt: skip
        with pytest.raises(PermissionDenied):
            creation_list_add(actor=users[name], region=world["county"], year=2023,
                              community=xiyuan)  # fmt: skip
    creation_list_add(actor=users["city_housing"], region=world["county"], year=2023,
                      community=xiyuan)  # fmt: skip
    creation_list_add(actor=users["county_admin"], region=world["street"], year=2023,
                      community=xiyuan)  # fmt: skip


def test_access_through_scope(world, users):
    assert access_creation_list(users["street"], world["street"], 2022).year == 2022
    with pytest.raises(NotFound):
        access_creation_list(users["other_county_housing"], world["county"], 2022)
    with pytest.raises(NotFound):
        access_creation_list(users["county_housing"], world["county"], 2030)


# ------------------------------------------------------------------------------- warnings


def test_streets_below_the_pilot_minimum(world):
    # the county's plan: at least 2 pilots per street in 2021
    warnings = creation_list_warnings(world["county"], 2021, today=TODAY)
    below = {(w.code, w.communities, w.pilots, w.minimum) for w in warnings.streets_below_minimum}
    # 城区街道: 7 urban communities, one pilot (西苑); 索镇: 永安 and 永和, enough;
    # 果里镇: one urban community, so one pilot is the most it can have
    assert below == {("370321001000", 7, 1, 2), ("370321103000", 1, 0, 1)}
    assert {w.target.region_code for w in warnings.streets_below_minimum} == {"370321000000"}


def test_pilot_minimum_is_inherited_and_pilots_follow_a_merge(world):
    plan = plan_save(actor=None, region=world["city"], name="淄博市实施方案")
    target_set(actor=None, plan=plan, year=2022, kind="pilots_per_street", value=2)
    warnings = creation_list_warnings(world["county"], 2022, today=TODAY)
    below = {w.code: (w.pilots, w.minimum, w.target.inherited)
             for w in warnings.streets_below_minimum}  # fmt: skip
    # 索镇 in 2022: 西镇 (C) is a pilot through 永安, and 永和 → no warning
    assert below == {"370321001000": (1, 2, True), "370321103000": (0, 1, True)}
    # no target for 2023: no street warning
    assert creation_list_warnings(world["county"], 2023, today=TODAY).streets_below_minimum == []


def test_renovation_programme_communities_missing_from_the_list(world):
    def compound(code, name, status, year):
        Compound.objects.create(community_id=world[code].pk, name=name,
                                renovation_status=status, renovation_year=year)  # fmt: skip

    compound("370321001001", "宝龙小区", "planned", 2022)  # listed in 2022
    compound("370321001006", "兰香园小区", "in_progress", 2022)  # not listed → warned
    compound("370321001006", "兰香园二期", "done", 2022)
    compound("370321001007", "东城小区", "done", 2021)  # another year
    compound("370321001005", "少海小区", "none", None)
    compound("370321001008", "城郊小区", "planned", 2022)  # not urban
    compound("370321102004", "永和小区", "planned", 2022)  # not listed → warned
    compound(C, "西镇小区", "planned", 2022)  # listed
    warnings = creation_list_warnings(world["county"], 2022, today=TODAY)
    assert [(w.code, w.compounds) for w in warnings.renovation_not_listed] == [
        ("370321001006", ["兰香园二期", "兰香园小区"]), ("370321102004", ["永和小区"]),
    ]  # fmt: skip
    # 西镇 taken off the county's list, but 永安 (merged into it) on 索镇's list of 2022
    creation_list_remove(actor=None, region=world["county"], year=2022,
                         community=community(world, C))  # fmt: skip
    creation_list_add(actor=None, region=world["suo"], year=2022, community=community(world, A))
    codes = [
        w.code
        for w in creation_list_warnings(world["county"], 2022, today=TODAY).renovation_not_listed
    ]
    assert C not in codes


# --------------------------------------------------------------------------------- export


def test_export_in_huantais_layout(world):
    creation_list_add(actor=None, region=world["county"], year=2022,
                      community=community(world, "370321001002"), pilot=True)  # fmt: skip
    county_list = CreationList.objects.get(region=world["county"], year=2022)
    assert [e.community.region.code for e in creation_list_entries(county_list)][:2] == [
        "370321001001", "370321001002",
    ]  # fmt: skip
    data = creation_list_xlsx(county_list)
    assert read_xlsx_values(data) == [
        ["序号", "街道（乡镇）", "名称"],
        [1, "城区街道", "宝龙社区"],
        [2, "城区街道", "西苑社区"],
        [3, "城区街道", "兴华社区"],
        [4, "城区街道", "恒星社区"],
        [5, "索镇", "西镇社区"],
        [6, "果里镇", "鸿嘉社区"],
    ]
    assert read_xlsx_values(data, sheet=1) == [["序号", "街道（乡镇）", "名称"],
                                               [1, "城区街道", "西苑社区"]]  # fmt: skip
