"""Baseline survey coverage: counts, per child region, what each community lacks, export."""

import io
from datetime import date

import pytest
from django.urls import reverse

from greencommunity.documents.xlsx import read_xlsx_values
from greencommunity.regions.models import Community, Indicator, IndicatorValue
from greencommunity.regions.selectors_survey import survey_coverage
from greencommunity.regions.services.tree import region_create

YEAR = date.today().year
FULL_PROFILE = {"address": "少海路 1 号", "leader_name": "王芳", "leader_phone": "0533-1",
                "households": 10, "residents": 30, "area_ha": 2}  # fmt: skip


def complete(community, profile=True, indicators=True):
    if profile:
        Community.objects.filter(pk=community.pk).update(**FULL_PROFILE)
    if indicators:
        for ind in Indicator.objects.filter(required_for_survey=True):
            IndicatorValue.objects.create(community=community, indicator=ind, year=YEAR, value=1,
                                          source="entered")  # fmt: skip


@pytest.fixture
def county(tree):
    """桓台县 with 4 communities on two streets: one surveyed, one profile only, one
    indicators only, one nothing (a villagers' committee)."""
    street2 = region_create(actor=None, code="370321100000", name="索镇", parent=tree["county"])
    a = tree["community"].community
    b = region_create(actor=None, code="370321001003", name="兴华社区", parent=tree["street"])
    c = region_create(actor=None, code="370321100001", name="永安社区", parent=street2)
    d = region_create(actor=None, code="370321100201", name="东庄村", parent=street2)
    complete(a)
    complete(b.community, indicators=False)
    complete(c.community, profile=False)
    return {"a": a, "b": b.community, "c": c.community, "d": d.community, "street2": street2}


def test_counts_children_and_gaps(tree, county, make_user):
    user = make_user("housing", tree["county"])
    coverage = survey_coverage(user, tree["county"], YEAR)
    t = coverage.totals
    assert (t.communities, t.urban, t.profile_complete, t.indicators_complete, t.complete) == (
        4, 3, 2, 2, 1,
    )  # fmt: skip
    by_child = {r.name: c.complete for r, c in coverage.children}
    assert by_child == {"城区街道": 1, "索镇": 0}
    gaps = {g.code: g for g in coverage.gaps}
    assert set(gaps) == {"370321001003", "370321100001", "370321100201"}
    assert gaps["370321001003"].missing_fields == []
    assert len(gaps["370321001003"].missing_indicators) == 6
    assert (
        "委员会地址" in "".join(gaps["370321100001"].missing_fields)
        or gaps["370321100001"].missing_fields
    )
    assert gaps["370321100201"].missing_indicators and not gaps["370321100201"].is_urban


def test_last_years_values_do_not_count_for_this_year(tree, county, make_user):
    IndicatorValue.objects.filter(community=county["a"]).update(year=YEAR - 1)
    coverage = survey_coverage(make_user("housing", tree["county"]), tree["county"], YEAR)
    assert coverage.totals.complete == 0
    assert survey_coverage(make_user("housing", tree["county"]), tree["county"], YEAR - 1
                           ).totals.indicators_complete == 1  # fmt: skip


def test_coverage_is_scoped(tree, county, make_user):
    street_user = make_user("street", tree["street"])
    coverage = survey_coverage(street_user, tree["street"], YEAR)
    assert coverage.totals.communities == 2


def test_survey_page_and_export(client, tree, county, make_user, django_assert_max_num_queries):
    client.force_login(make_user("housing", tree["county"]))
    with django_assert_max_num_queries(20):
        response = client.get(reverse("registry:survey"), {"region": "370321000000"})
    page = response.content.decode()
    assert response.status_code == 200 and "兴华社区" in page and "东庄村" in page
    response = client.get(reverse("registry:survey_export"), {"region": "370321000000"})
    rows = read_xlsx_values(io.BytesIO(response.content))
    assert rows[0][:2] == ["区划代码", "社区名称"]
    assert {r[0] for r in rows[1:] if r[0]} == {"370321001003", "370321100001", "370321100201"}
    summary = read_xlsx_values(io.BytesIO(response.content), sheet=1)
    assert ["摸底完成（两者兼备）", 1] in summary


def test_survey_page_404_outside_scope(client, tree, county, make_user):
    client.force_login(make_user("street", tree["street"]))
    assert client.get(reverse("registry:survey"), {"region": "370321100000"}).status_code == 404
    assert client.get(reverse("registry:survey"), {"year": "1999"}).status_code == 404
    assert client.get(reverse("registry:survey")).status_code == 200  # defaults to own region
