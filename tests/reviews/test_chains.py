"""The built-in review chains as data, and which chain a community's application follows."""

import pytest

from greencommunity.core.errors import ApplicationError
from greencommunity.reviews.builtin_chains import builtin_chains_ensure
from greencommunity.reviews.models import ChainAssignment, ReviewChain, ReviewStep
from greencommunity.reviews.services import chain_for, first_step, next_step


def _steps(chain):
    return [
        (s.key, s.kind, s.level, s.role, s.scoring, s.joint_departments.splitlines())
        for s in chain.steps.order_by("position")
    ]


def test_the_sichuan_chain_follows_seed_001(chains):
    sichuan = chains["sichuan"]
    assert sichuan.builtin
    assert _steps(sichuan) == [
        ("street", "review", "street", "street", False, []),
        ("county", "review", "county", "housing", True, []),
        ("city", "review", "city", "housing", False, []),
        ("province-sampling", "sampling", "province", "housing", False, []),
        ("notice", "notice", "province", "housing", False, []),
        ("naming", "naming", "province", "housing", False, []),
    ]
    assert all(s.due_days > 0 for s in sichuan.steps.all())
    assert "Assumed" in sichuan.description and "Seed 001" in sichuan.description


def test_the_assumed_tianjin_and_county_chains(chains):
    assert _steps(chains["tianjin"]) == [
        ("street", "review", "street", "street", False, []),
        ("district", "review", "county", "housing", False, []),
        ("city", "review", "city", "housing", True, ["市民政局", "市生态环境局"]),
        ("notice", "notice", "city", "housing", False, []),
        ("naming", "naming", "city", "housing", False, []),
    ]
    assert _steps(chains["county"]) == [
        ("street", "review", "street", "street", False, []),
        ("county", "review", "county", "housing", True, []),
        ("notice", "notice", "county", "housing", False, []),
        ("naming", "naming", "county", "housing", False, []),
    ]
    assert chains["tianjin"].description.startswith("Assumed")
    assert chains["county"].description.startswith("Assumed")


def test_builtin_assignments(chains):
    rows = ChainAssignment.objects.values_list("region_code", "title_kind", "chain__key")
    assert sorted(rows) == [
        ("120000000000", "green", "tianjin"),
        ("370321000000", "green", "county"),
        ("510000000000", "demonstration", "sichuan"),
        ("510000000000", "green", "sichuan"),
    ]


def test_ensure_is_idempotent_and_keeps_local_changes(chains):
    step = chains["sichuan"].steps.get(key="county")
    step.due_days = 40
    step.save()
    builtin_chains_ensure(ReviewChain, ReviewStep, ChainAssignment)
    assert ReviewChain.objects.count() == 3 and ReviewStep.objects.count() == 15
    step.refresh_from_db()
    assert step.due_days == 40


def test_first_and_next_step(chains):
    street = first_step(chains["county"])
    county = next_step(street)
    assert (street.key, county.key, next_step(county).key) == ("street", "county", "notice")
    assert next_step(chains["county"].steps.get(key="naming")) is None


def test_chain_by_the_nearest_assignment(sc, tree, chains):
    # given communities in Sichuan, in 桓台县 and in 张店区 (no assignment of its own)
    from greencommunity.regions.services.tree import region_create

    zhangdian = region_create(
        actor=None, code="370303001001", name="车站社区", parent=tree["other_street"]
    ).community
    # then Sichuan's is the province's chain, 桓台县's the county one, 张店区 the default
    assert chain_for(sc["c1"], "green").key == "sichuan"
    assert chain_for(sc["c1"], "demonstration").key == "sichuan"
    assert chain_for(tree["community"].community, "green").key == "county"
    assert chain_for(zhangdian, "green").key == "county"
    # when 成都市 assigns its own chain, it wins over the province's for its communities only
    ChainAssignment.objects.create(
        region_code="510100000000", title_kind="green", chain=chains["tianjin"]
    )
    assert chain_for(sc["c1"], "green").key == "tianjin"
    assert chain_for(sc["c1"], "demonstration").key == "sichuan"
    # and a community's own assignment wins over its city's
    ChainAssignment.objects.create(
        region_code=sc["c1"].region.code, title_kind="green", chain=chains["county"]
    )
    assert chain_for(sc["c1"], "green").key == "county"
    assert chain_for(sc["c2"], "green").key == "tianjin"


def test_demonstration_title_only_where_a_chain_is_assigned(tree, chains):
    with pytest.raises(ApplicationError, match="not awarded in this jurisdiction"):
        chain_for(tree["community"].community, "demonstration")
