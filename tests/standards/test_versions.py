"""Versions, drafts, refinement (derive + diff) and the standard in force."""

from datetime import date
from decimal import Decimal as D

import pytest

from greencommunity.audit.models import Event
from greencommunity.core.errors import ApplicationError, NotFound
from greencommunity.regions.models import Indicator
from greencommunity.regions.services.tree import region_create
from greencommunity.standards.models import Criterion, Standard, StandardAdoption, SubCondition
from greencommunity.standards.selectors_versions import (
    access_standard,
    standard_diff,
    standard_in_force,
    standard_publish_problems,
)
from greencommunity.standards.services.drafts import (
    area_update,
    criterion_create,
    criterion_delete,
    criterion_update,
    standard_update_draft,
)
from greencommunity.standards.services.versions import (
    standard_adopt,
    standard_derive,
    standard_new_version,
    standard_publish,
)

JAN_2025, JAN_2026 = date(2025, 1, 1), date(2026, 1, 1)


def builtin(key: str) -> Standard:
    return Standard.objects.get(key=key, version=1)


def numbers(standard: Standard) -> list[int]:
    return list(standard.criteria.order_by("number").values_list("number", flat=True))


def codes_of(exc: pytest.ExceptionInfo[ApplicationError]) -> set[str]:
    return {e["code"] for e in exc.value.extra["errors"]}


@pytest.fixture
def county_housing(tree, make_user):
    return make_user("housing", tree["county"])


@pytest.fixture
def draft(tree, county_housing):
    """桓台县 refines its built-in standard into a draft of its own."""
    return standard_derive(
        actor=county_housing,
        parent=builtin("huantai-2021"),
        region=tree["county"],
        key="huantai-2025",
        name="桓台县绿色社区创建标准（2025）",
    )


# ---------------------------------------------------------------------------- immutability


def test_every_edit_of_a_published_standard_is_refused(tree, county_housing):
    # given 桓台县's published built-in standard
    huantai = builtin("huantai-2021")
    first = huantai.criteria.get(number=1)
    area = huantai.areas.get(number=1)
    edits = [
        lambda: standard_update_draft(actor=county_housing, standard=huantai, name="改"),
        lambda: standard_update_draft(actor=county_housing, standard=huantai, pass_min_total=60),
        lambda: area_update(actor=county_housing, area=area, name="改"),
        lambda: criterion_create(actor=county_housing, area=area, text="新增", points=D(5)),
        lambda: criterion_update(actor=county_housing, criterion=first, text="改"),
        lambda: criterion_update(actor=county_housing, criterion=first, points=D(1)),
        lambda: criterion_delete(actor=county_housing, criterion=first),
        lambda: standard_publish(actor=county_housing, standard=huantai),
    ]
    # when each edit is tried, then each is refused as published
    for edit in edits:
        with pytest.raises(ApplicationError) as exc:
            edit()
        assert exc.value.extra["code"] == "published"
    # and nothing changed
    huantai.refresh_from_db()
    assert huantai.name.startswith("桓台县") and huantai.pass_min_total == D(80)
    assert numbers(huantai) == list(range(1, 21))
    assert huantai.criteria.get(number=1).text == first.text
    assert not Event.objects.filter(verb__startswith="standard.").exists()


# ---------------------------------------------------------------------------- drafts


def test_draft_edits_keep_numbering_and_write_audit_events(draft, county_housing):
    area2 = draft.areas.get(number=2)
    last_of_area2 = draft.criteria.filter(area=area2).order_by("-number").first()
    assert last_of_area2 is not None
    # when a criterion is added to area 2 (by default at the end of the area)
    new = criterion_create(
        actor=county_housing,
        area=area2,
        text="雨水收集利用",
        points=D(5),
        sub_conditions=["有雨水收集设施", "有使用记录"],
    )
    # then it takes the number after the area's last one and the later ones move down one
    assert new.number == last_of_area2.number + 1
    assert new.parent_criterion is None and new.area.national_area == area2.national_area
    assert list(new.sub_conditions.values_list("number", "text")) == [
        (1, "有雨水收集设施"),
        (2, "有使用记录"),
    ]
    assert numbers(draft) == list(range(1, 22))
    # when a criterion is inserted at 1, moved to the last area and one deleted
    top = criterion_create(
        actor=county_housing, area=draft.areas.get(number=1), text="首条", points=D(5), number=1
    )
    last_area = draft.areas.order_by("-number").first()
    assert last_area is not None
    moved = criterion_update(actor=county_housing, criterion=top, area=last_area, text="移到最后")
    criterion_delete(actor=county_housing, criterion=draft.criteria.get(number=3))
    # then numbering is 1..N again and the moved one is the very last
    assert numbers(draft) == list(range(1, 22))
    moved.refresh_from_db()
    assert moved.number == 21 and moved.area == last_area and moved.text == "移到最后"
    assert draft.criteria.get(number=1).parent_criterion is not None
    # and every edit left an event filed under the county
    events = Event.objects.filter(target_id=str(draft.pk), verb__startswith="standard.")
    assert sorted(events.values_list("verb", flat=True)) == sorted(
        [
            "standard.derive",
            "standard.criterion_create",
            "standard.criterion_create",
            "standard.criterion_update",
            "standard.criterion_delete",
        ]
    )
    assert set(events.values_list("region_code", "actor_id")) == {
        ("370321000000", county_housing.pk)
    }


def test_update_draft_validates_all_fields_at_once(draft, county_housing):
    with pytest.raises(ApplicationError) as exc:
        standard_update_draft(
            actor=county_housing,
            standard=draft,
            name=" ",
            pass_min_met=0,
            effective_from=JAN_2026,
            effective_to=JAN_2025,
        )
    assert set(exc.value.extra["errors"]) == {"name", "pass_min_met", "effective_to"}
    updated = standard_update_draft(
        actor=county_housing, standard=draft, pass_min_total=D(85), effective_from=JAN_2025
    )
    assert updated.pass_min_total == D(85) and updated.effective_from == JAN_2025
    event = Event.objects.get(verb="standard.update_draft", target_id=str(draft.pk))
    assert event.before == {"pass_min_total": "80.0", "effective_from": None}
    assert event.after == {"pass_min_total": "85", "effective_from": "2025-01-01"}


# ---------------------------------------------------------------------------- publishing


def test_publish_reports_every_inconsistency(tree, draft, county_housing):
    # given a draft with a pass mark above its 100 points, a pointless criterion, a numbering
    # gap, an empty area and an area whose points do not add up
    standard_update_draft(
        actor=county_housing, standard=draft, pass_min_total=D(120), pass_min_met=25
    )
    area1 = draft.areas.get(number=1)
    area_update(actor=county_housing, area=area1, points=D(30))
    Criterion.objects.filter(standard=draft, number=2).update(points=None)
    Criterion.objects.filter(standard=draft, number=10).update(number=30)
    last_area = draft.areas.order_by("-number").first()
    for c in draft.criteria.filter(area=last_area):
        Criterion.objects.filter(pk=c.pk).delete()
    # when it is published, then it is refused with every problem, and stays a draft
    with pytest.raises(ApplicationError) as exc:
        standard_publish(actor=county_housing, standard=draft)
    assert codes_of(exc) == {
        "pass_min_total",
        "pass_min_met",
        "criterion_points",
        "criterion_numbers",
        "empty_area",
        "area_points",
    }
    draft.refresh_from_db()
    assert draft.status == "draft" and draft.published_at is None
    assert not Event.objects.filter(verb="standard.publish").exists()


def test_publish_checks_sub_condition_numbering_and_points_mode(tree, county_housing):
    # a met / not-met draft switched to points needs points on every criterion
    national_copy = standard_derive(
        actor=county_housing,
        parent=builtin("national-2020"),
        region=tree["county"],
        key="ht-points",
        name="积分制",
    )
    standard_update_draft(actor=county_housing, standard=national_copy, scoring_mode="points")
    problems = {p.code for p in standard_publish_problems(national_copy)}
    assert problems == {"criterion_points"}
    # sub-conditions numbered with a gap
    criterion = national_copy.criteria.get(number=1)
    SubCondition.objects.create(criterion=criterion, number=1, text="一")
    SubCondition.objects.create(criterion=criterion, number=3, text="三")
    assert "sub_conditions" in {p.code for p in standard_publish_problems(national_copy)}


def test_a_draft_without_criteria_cannot_be_published(tree, county_housing, draft):
    for c in list(draft.criteria.all()):
        Criterion.objects.filter(pk=c.pk).delete()
    with pytest.raises(ApplicationError) as exc:
        standard_publish(actor=county_housing, standard=draft)
    assert "no_criteria" in codes_of(exc)


def test_new_versions_of_the_builtin_standards_publish_cleanly(tree):
    for key in ("national-2020", "tianjin-2020", "huantai-2021", "sichuan-2020"):
        new = standard_new_version(actor=None, standard=builtin(key))
        assert standard_publish_problems(new) == [], key
        published = standard_publish(actor=None, standard=new)
        assert published.status == "published" and published.published_at is not None


# ---------------------------------------------------------------------------- versions


def test_new_version_numbering_and_independence(tree, county_housing):
    # given 桓台县's published v1
    v1 = builtin("huantai-2021")
    before = list(v1.criteria.values_list("number", "text", "points"))
    # when it starts a new version
    v2 = standard_new_version(actor=county_housing, standard=v1)
    # then v2 is a draft copy of the same key, one up
    assert (v2.key, v2.version, v2.status) == ("huantai-2021", 2, "draft")
    assert list(v2.criteria.values_list("number", "text", "points")) == before
    assert v2.pass_min_total == D(80) and v2.issuing_code == v1.issuing_code
    # and a second draft of the key is refused
    with pytest.raises(ApplicationError) as exc:
        standard_new_version(actor=county_housing, standard=v1)
    assert exc.value.extra["code"] == "draft_exists"
    # when v2 is edited, then v1 is intact
    criterion_update(
        actor=county_housing, criterion=v2.criteria.get(number=1), text="新文本", points=D(4)
    )
    criterion_delete(actor=county_housing, criterion=v2.criteria.get(number=2))
    criterion_create(actor=county_housing, area=v2.areas.get(number=2), text="新条目", points=D(1))
    standard_update_draft(actor=county_housing, standard=v2, pass_min_total=D(78))
    # (the area subtotals follow, or publishing refuses: area 1 lost 6 points, area 2 won 1)
    with pytest.raises(ApplicationError) as exc:
        standard_publish(actor=county_housing, standard=v2)
    assert codes_of(exc) == {"area_points"}
    area_update(actor=county_housing, area=v2.areas.get(number=1), points=D(14))
    area_update(actor=county_housing, area=v2.areas.get(number=2), points=D(26))
    v1.refresh_from_db()
    assert list(v1.criteria.values_list("number", "text", "points")) == before
    assert v1.pass_min_total == D(80) and v1.status == "published"
    # when v2 is published, the next new version is 3
    standard_publish(actor=county_housing, standard=v2)
    v3 = standard_new_version(actor=county_housing, standard=v1)
    assert v3.version == 3 and v3.criteria.get(number=1).text == v1.criteria.get(number=1).text
    # a version diff pairs by number
    diff = standard_diff(v1, v2)
    assert diff.paired_by == "number"
    assert diff.criteria[0].status == "changed" and diff.criteria[0].changes == ("text", "points")
    assert [r.field for r in diff.rules] == ["pass_min_total"]
    # and the events name the versions
    event = Event.objects.get(verb="standard.new_version", target_id=str(v2.pk))
    assert event.after == {"key": "huantai-2021", "version": 2, "from": v1.pk}
    assert event.region_code == "370321000000"


def test_new_version_copies_sub_conditions_and_numeric_rules(tree):
    sichuan = builtin("sichuan-2020")
    new = standard_new_version(actor=None, standard=sichuan)
    old_subs = list(
        SubCondition.objects.filter(criterion__standard=sichuan)
        .order_by("criterion__number", "number")
        .values_list("criterion__number", "number", "text")
    )
    new_subs = list(
        SubCondition.objects.filter(criterion__standard=new)
        .order_by("criterion__number", "number")
        .values_list("criterion__number", "number", "text")
    )
    assert old_subs and new_subs == old_subs
    rules = ("number", "indicator", "operator", "threshold")
    assert list(new.criteria.values_list(*rules)) == list(sichuan.criteria.values_list(*rules))
    assert not new.has_pass_rule


def test_new_version_of_a_draft_is_refused_and_a_refinement_keeps_its_links(
    tree, county_housing, draft
):
    with pytest.raises(ApplicationError) as exc:
        standard_new_version(actor=county_housing, standard=draft)
    assert exc.value.extra["code"] == "draft"
    standard_publish(actor=county_housing, standard=draft)
    v2 = standard_new_version(actor=county_housing, standard=draft)
    assert v2.parent == draft.parent
    assert list(v2.criteria.values_list("parent_criterion_id", flat=True)) == list(
        draft.criteria.values_list("parent_criterion_id", flat=True)
    )
    assert standard_diff(draft.parent, v2).paired_by == "parent_criterion"


# ---------------------------------------------------------------------------- refinement


def test_derive_links_each_criterion_to_its_parent(tree, draft):
    parent = builtin("huantai-2021")
    assert (draft.parent, draft.status, draft.version) == (parent, "draft", 1)
    assert draft.issuing_code == tree["county"].code
    assert draft.pass_min_total == D(80) and draft.scoring_mode == "points"
    pairs = draft.criteria.values_list(
        "number", "parent_criterion__number", "parent_criterion__standard"
    )
    assert list(pairs) == [(n, n, parent.pk) for n in range(1, 21)]
    assert [a.national_area for a in draft.areas.all()] == [
        a.national_area for a in parent.areas.all()
    ]


def test_derive_refusals(tree, make_user, county_housing, draft):
    # a draft cannot be refined
    with pytest.raises(ApplicationError, match="published"):
        standard_derive(
            actor=county_housing, parent=draft, region=tree["county"], key="a", name="a"
        )
    # a key is taken, or not a slug
    with pytest.raises(ApplicationError) as exc:
        standard_derive(
            actor=county_housing,
            parent=builtin("national-2020"),
            region=tree["county"],
            key="huantai-2025",
            name="",
        )
    assert set(exc.value.extra["errors"]) == {"key", "name"}
    with pytest.raises(ApplicationError) as exc:
        standard_derive(
            actor=county_housing,
            parent=builtin("national-2020"),
            region=tree["county"],
            key="两个字",
            name="x",
        )
    assert set(exc.value.extra["errors"]) == {"key"}
    # a county's standard cannot be refined by a sibling county
    city = make_user("housing", tree["city"])
    with pytest.raises(ApplicationError, match="refine only"):
        standard_derive(
            actor=city,
            parent=builtin("huantai-2021"),
            region=tree["other_county"],
            key="zd",
            name="张店",
        )
    # and a standard off the actor's path is not there for them
    with pytest.raises(NotFound):
        standard_derive(
            actor=county_housing,
            parent=builtin("sichuan-2020"),
            region=tree["county"],
            key="sc",
            name="四川",
        )


def test_diff_of_parent_and_refinement(tree, county_housing, draft):
    # given a refinement that rewrites criterion 1, lowers criterion 2, drops criterion 3,
    # adds one to area 2, renames area 1 and raises the pass mark
    parent = builtin("huantai-2021")
    criterion_update(
        actor=county_housing, criterion=draft.criteria.get(number=1), text="细化后的第一条"
    )
    criterion_update(actor=county_housing, criterion=draft.criteria.get(number=2), points=D("4.5"))
    criterion_delete(actor=county_housing, criterion=draft.criteria.get(number=3))
    area2 = draft.areas.get(number=2)
    added = criterion_create(actor=county_housing, area=area2, text="本地新增", points=D("0.5"))
    area_update(actor=county_housing, area=draft.areas.get(number=1), name="机制建设")
    standard_update_draft(actor=county_housing, standard=draft, pass_min_total=D(85))
    # when parent and child are compared
    diff = standard_diff(parent, draft)
    # then rows pair by parent criterion, in order, with what changed
    assert diff.paired_by == "parent_criterion"
    assert diff.counts == {"unchanged": 17, "changed": 2, "added": 1, "removed": 1}
    rows = diff.criteria
    assert (rows[0].status, rows[0].changes) == ("changed", ("text",))
    assert (rows[1].status, rows[1].changes) == ("changed", ("points",))
    assert rows[1].parent is not None and rows[1].child is not None
    assert (rows[1].parent.points, rows[1].child.points) == (D(5), D("4.5"))
    assert (rows[2].status, rows[2].child) == ("removed", None)
    assert rows[2].parent is not None and rows[2].parent.number == 3
    added_row = next(r for r in rows if r.status == "added")
    assert added_row.child == added and added_row.parent is None
    assert [r.status for r in diff.areas].count("changed") == 1
    assert diff.areas[0].changes == ("name",)
    assert [(r.field, r.parent, r.child) for r in diff.rules] == [("pass_min_total", D(80), D(85))]
    assert diff.has_changes
    # a fresh refinement is all unchanged
    same = standard_derive(
        actor=county_housing, parent=parent, region=tree["county"], key="same", name="同"
    )
    fresh = standard_diff(parent, same)
    assert fresh.counts["unchanged"] == 20 and not fresh.has_changes


# ---------------------------------------------------------------------------- in force


def test_adoption_and_inheritance(tree, make_user, county_housing):
    # given nothing adopted anywhere: the national standard, inherited
    national = builtin("national-2020")
    for key in ("province", "county", "community", "other_city"):
        found = standard_in_force(tree[key], JAN_2025)
        assert found is not None
        assert (found.standard, found.from_region_code, found.inherited) == (national, "", True)
    # when 淄博市 adopts a refinement of its own from 2025
    city_housing = make_user("housing", tree["city"])
    zibo = standard_derive(
        actor=city_housing, parent=national, region=tree["city"], key="zibo", name="淄博市标准"
    )
    standard_publish(actor=city_housing, standard=zibo)
    own = standard_adopt(
        actor=city_housing, region=tree["city"], standard=zibo, effective_from=JAN_2025
    )
    # then the city has it, and the county without an adoption inherits it
    city = standard_in_force(tree["city"], date(2025, 6, 1))
    assert city is not None and (city.standard, city.inherited, city.adoption) == (zibo, False, own)
    county = standard_in_force(tree["county"], date(2025, 6, 1))
    assert county is not None
    assert (county.standard, county.from_region_code, county.inherited) == (
        zibo,
        "370300000000",
        True,
    )
    # but not before it takes effect, nor in 济南市
    before = standard_in_force(tree["county"], date(2024, 12, 31))
    assert before is not None and before.standard == national
    jinan = standard_in_force(tree["other_city"], date(2025, 6, 1))
    assert jinan is not None and jinan.standard == national
    # when 桓台县 adopts its own standard, its street and community inherit the county's
    huantai = builtin("huantai-2021")
    standard_adopt(
        actor=county_housing,
        region=tree["county"],
        standard=huantai,
        effective_from=date(2025, 3, 1),
    )
    for key in ("street", "community"):
        found = standard_in_force(tree[key], date(2025, 6, 1))
        assert found is not None
        assert (found.standard, found.from_region_code, found.inherited) == (
            huantai,
            "370321000000",
            True,
        )
    sibling = standard_in_force(tree["other_street"], date(2025, 6, 1))
    assert sibling is not None and sibling.standard == zibo
    # and the event is filed under the adopting region
    event = Event.objects.get(verb="standard.adopt", target_id=str(huantai.pk))
    assert event.region_code == "370321000000" and event.actor_id == county_housing.pk


def test_a_new_adoption_closes_the_previous_one(tree, county_housing):
    v1 = builtin("huantai-2021")
    first = standard_adopt(
        actor=county_housing, region=tree["county"], standard=v1, effective_from=JAN_2025
    )
    v2 = standard_new_version(actor=county_housing, standard=v1)
    standard_update_draft(actor=county_housing, standard=v2, pass_min_total=D(85))
    standard_publish(actor=county_housing, standard=v2)
    standard_adopt(
        actor=county_housing, region=tree["county"], standard=v2, effective_from=JAN_2026
    )
    first.refresh_from_db()
    assert first.effective_to == date(2025, 12, 31)
    assert StandardAdoption.objects.filter(region=tree["county"]).count() == 2
    for day, expected in [(date(2025, 12, 31), v1), (JAN_2026, v2), (date(2030, 1, 1), v2)]:
        found = standard_in_force(tree["street"], day)
        assert found is not None and found.standard == expected, day
    # an adoption cannot start on or before the latest one
    with pytest.raises(ApplicationError, match="later day"):
        standard_adopt(
            actor=county_housing,
            region=tree["county"],
            standard=v1,
            effective_from=date(2025, 6, 1),
        )


def test_adoption_refuses_drafts_and_standards_of_other_regions(tree, county_housing, draft):
    with pytest.raises(ApplicationError) as exc:
        standard_adopt(
            actor=county_housing, region=tree["county"], standard=draft, effective_from=JAN_2025
        )
    assert exc.value.extra["code"] == "draft"
    # a standard must be in force from its own start
    standard_update_draft(actor=county_housing, standard=draft, effective_from=JAN_2026)
    standard_publish(actor=county_housing, standard=draft)
    with pytest.raises(ApplicationError, match="takes effect"):
        standard_adopt(
            actor=county_housing, region=tree["county"], standard=draft, effective_from=JAN_2025
        )
    # the county's standard does not serve the city above it
    root = type(county_housing).objects.create_superuser(username="root", password="Pass-2026-x")
    with pytest.raises(ApplicationError, match="adopt only"):
        standard_adopt(
            actor=root,
            region=tree["city"],
            standard=builtin("huantai-2021"),
            effective_from=JAN_2025,
        )
    assert not StandardAdoption.objects.exists()


def test_sichuan_needs_a_pass_rule_before_adoption(make_user):
    # given 四川省 and 成都市 and the provincial housing department
    sichuan_region = region_create(actor=None, code="510000000000", name="四川省")
    chengdu = region_create(actor=None, code="510100000000", name="成都市", parent=sichuan_region)
    housing = make_user("housing", sichuan_region)
    builtin_sichuan = access_standard(housing, builtin("sichuan-2020").pk)
    # when it adopts the built-in standard, which ships without a pass mark
    with pytest.raises(ApplicationError) as exc:
        standard_adopt(
            actor=housing, region=sichuan_region, standard=builtin_sichuan, effective_from=JAN_2025
        )
    # then it is refused until a derived version with a pass rule is published
    assert exc.value.extra["code"] == "no_pass_rule"
    derived = standard_derive(
        actor=housing,
        parent=builtin_sichuan,
        region=sichuan_region,
        key="sichuan-2020-sc",
        name="四川省绿色社区创建评分细则",
    )
    assert not derived.has_pass_rule
    with pytest.raises(ApplicationError):
        standard_adopt(
            actor=housing, region=sichuan_region, standard=derived, effective_from=JAN_2025
        )
    standard_update_draft(actor=housing, standard=derived, pass_min_total=D(80))
    standard_publish(actor=housing, standard=derived)
    adoption = standard_adopt(
        actor=housing, region=sichuan_region, standard=derived, effective_from=JAN_2025
    )
    # and 成都市 inherits it from the province
    found = standard_in_force(chengdu, date(2025, 2, 1))
    assert found is not None
    assert (found.standard, found.from_region_code, found.inherited, found.adoption) == (
        derived,
        "510000000000",
        True,
        adoption,
    )
    verbs = list(
        Event.objects.filter(region_code="510000000000", verb__startswith="standard.")
        .order_by("seq")
        .values_list("verb", flat=True)
    )
    assert verbs == [
        "standard.derive",
        "standard.update_draft",
        "standard.publish",
        "standard.adopt",
    ]


def test_access_standard_hides_what_the_actor_cannot_see(tree, make_user, draft):
    other = make_user("housing", tree["other_county"])
    with pytest.raises(NotFound):
        access_standard(other, draft.pk)
    with pytest.raises(NotFound):
        access_standard(other, 10**9)
    assert access_standard(other, builtin("national-2020").pk).key == "national-2020"


def test_edits_through_stale_instances_keep_the_numbering(draft, county_housing):
    # given instances loaded before another edit renumbered them
    fifth, tenth = draft.criteria.get(number=5), draft.criteria.get(number=10)
    area1 = draft.areas.get(number=1)
    criterion_create(actor=county_housing, area=area1, text="插入", points=D(5), number=1)
    # when they are edited and deleted
    criterion_update(actor=county_housing, criterion=fifth, text="改")
    criterion_delete(actor=county_housing, criterion=tenth)
    # then the numbering holds
    fifth.refresh_from_db()
    assert (fifth.number, fifth.text) == (6, "改")
    assert numbers(draft) == list(range(1, 21))
    assert not draft.criteria.filter(pk=tenth.pk).exists()


def test_criterion_fields_are_checked(draft, county_housing):
    indicator = Indicator.objects.first()
    criterion = draft.criteria.get(number=1)
    with pytest.raises(ApplicationError) as exc:
        criterion_update(
            actor=county_housing,
            criterion=criterion,
            indicator=indicator,
            points=D("0.3"),
            sub_conditions=["甲", " "],
        )
    assert set(exc.value.extra["errors"]) == {"indicator", "points", "sub_conditions"}
    other_area = builtin("huantai-2021").areas.get(number=1)
    with pytest.raises(ApplicationError) as exc:
        criterion_update(actor=county_housing, criterion=criterion, area=other_area)
    assert set(exc.value.extra["errors"]) == {"area"}
    updated = criterion_update(
        actor=county_housing,
        criterion=criterion,
        indicator=indicator,
        operator=">=",
        threshold=D(30),
        sub_conditions=["甲", "乙"],
    )
    assert (updated.indicator, updated.operator, updated.threshold) == (indicator, ">=", D(30))
    assert list(updated.sub_conditions.values_list("text", flat=True)) == ["甲", "乙"]
    event = Event.objects.filter(verb="standard.criterion_update").latest("seq")
    assert event.after["indicator"] == indicator.code
    assert standard_publish_problems(draft) == []
