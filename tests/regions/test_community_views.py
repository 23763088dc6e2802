"""Community registry pages: scope (404), edit rights (403), the profile form's errors, the
compounds and indicators edited in place with htmx, the masked phone, query counts."""

from datetime import date

import pytest
from django.urls import reverse

from greencommunity.access.roles import Role
from greencommunity.audit.models import Event
from greencommunity.core.templatetags.gc import mask_phone
from greencommunity.regions.models import Community, Compound, Indicator, IndicatorValue
from greencommunity.regions.services.communities import community_update_profile
from greencommunity.regions.services.compounds import compound_create
from greencommunity.regions.services.tree import region_create

HTMX = {"HX-Request": "true"}
THIS_YEAR = date.today().year
CODE = "370321001002"  # 西苑社区


def url(name, *args):
    return reverse(f"regions:{name}", args=args)


@pytest.fixture
def registry(tree):
    t = dict(tree)
    t["sibling"] = region_create(
        actor=None, code="370321001003", name="东苑社区", parent=tree["street"]
    )
    t["other_community"] = region_create(
        actor=None, code="370303001001", name="新华社区", parent=tree["other_street"]
    )
    community = Community.objects.get(region=tree["community"])
    community_update_profile(
        actor=None, community=community, leader_name="王主任", leader_phone="13812340000"
    )
    t["xiyuan"] = community
    return t


@pytest.fixture
def street_client(client, registry, make_user):
    client.force_login(make_user(Role.STREET, registry["street"], username="chengqu"))
    return client


@pytest.fixture
def department_client(client, registry, make_user):
    client.force_login(make_user(Role.DEPARTMENT, registry["county"], username="minzheng"))
    return client


# ---------------------------------------------------------------------------- access


def test_pages_require_login(client, registry):
    for target in [url("community_list"), url("community_detail", CODE)]:
        response = client.get(target)
        assert response.status_code == 302 and "/accounts/login/" in response.url


def test_list_shows_my_communities_only(street_client):
    body = street_client.get(url("community_list")).content.decode()
    assert "西苑社区" in body and "东苑社区" in body
    assert "新华社区" not in body
    assert url("community_detail", CODE) in body


def test_list_search_filters_and_htmx_partial(street_client, registry):
    compound_create(
        actor=None,
        community=registry["xiyuan"],
        name="甲",
        renovation_status="done",
        renovation_year=2020,
    )
    response = street_client.get(url("community_list"), {"q": "东苑"})
    assert [c.region.name for c in response.context["communities"]] == ["东苑社区"]
    response = street_client.get(url("community_list"), {"renovation": "done"})
    assert [c.region.name for c in response.context["communities"]] == ["西苑社区"]
    part = street_client.get(url("community_list"), {"q": "西苑"}, headers=HTMX)
    body = part.content.decode()
    assert "<html" not in body and 'id="community-results"' in body and "西苑社区" in body
    assert "东苑社区" not in body


def test_list_street_filter_offers_streets_in_scope(client, registry, make_user):
    client.force_login(make_user(Role.HOUSING, registry["city"]))
    response = client.get(url("community_list"))
    choices = dict(response.context["form"].fields["street"].choices)
    # two counties: the streets are grouped by county
    assert set(choices) == {"", "桓台县", "张店区"}
    listed = client.get(url("community_list"), {"street": "370303001000"}).context["communities"]
    assert [c.region.name for c in listed] == ["新华社区"]


def test_list_region_filter_and_link_from_the_region_page(street_client):
    body = street_client.get(url("region_detail", "370321001000")).content.decode()
    assert url("community_list") + "?region=370321001000" in body
    response = street_client.get(url("community_list"), {"region": "370321001000"})
    assert response.context["region_name"] == "城区街道"
    assert "城区街道" in response.content.decode()


def test_list_paginates_with_a_bounded_number_of_queries(
    street_client, registry, django_assert_max_num_queries
):
    for i in range(4, 60):
        region_create(
            actor=None, code=f"370321001{i:03d}", name=f"社区{i}", parent=registry["street"]
        )
    street_client.get(url("community_list"))  # warm the session
    with django_assert_max_num_queries(10) as first:  # 6 + the session save
        response = street_client.get(url("community_list"), {"urban": "yes", "survey": "no"})
    assert len(response.context["communities"]) == 25
    with django_assert_max_num_queries(len(first.captured_queries)):
        response = street_client.get(url("community_list"), {"page": 3, "urban": "yes"})
    assert len(response.context["communities"]) == 8
    assert response.context["page_obj"].paginator.count == 58


@pytest.mark.parametrize("code", ["370303001001", "379999999999", "370321001000", "x"])
def test_detail_is_404_outside_scope(street_client, code):
    assert street_client.get(url("community_detail", code)).status_code == 404
    assert street_client.get(url("community_edit", code)).status_code == 404


def test_community_committee_cannot_open_a_sibling(client, registry, make_user):
    client.force_login(make_user(Role.COMMUNITY, registry["community"]))
    assert client.get(url("community_detail", CODE)).status_code == 200
    assert client.get(url("community_detail", "370321001003")).status_code == 404
    response = client.post(url("community_compounds", "370321001003"), {"new-name": "x"})
    assert response.status_code == 404


# ---------------------------------------------------------------------------- detail


def test_detail_for_an_editor_shows_the_phone_and_the_edit_buttons(street_client, registry):
    body = street_client.get(url("community_detail", CODE)).content.decode()
    assert "13812340000" in body
    assert url("community_edit", CODE) in body
    assert 'name="new-name"' in body
    assert url("community_indicator_edit", CODE, "green_ratio") in body
    # the history link shows once there is something in it the street office may read
    history = reverse("audit:object_events", args=["regions.region", registry["community"].pk])
    assert history not in body
    street_client.post(url("community_edit", CODE), _profile(households="10"))
    body = street_client.get(url("community_detail", CODE)).content.decode()
    assert history in body
    assert street_client.get(history).status_code == 200


def test_a_housing_reviewer_always_has_the_history_link(client, registry, make_user):
    client.force_login(make_user(Role.HOUSING, registry["county"]))
    body = client.get(url("community_detail", CODE)).content.decode()
    assert reverse("audit:object_events", args=["regions.region", registry["community"].pk]) in body


def test_detail_for_a_reader_masks_the_phone_and_hides_the_edit_buttons(department_client):
    body = department_client.get(url("community_detail", CODE)).content.decode()
    assert "13812340000" not in body and "138****0000" in body
    assert url("community_edit", CODE) not in body
    assert 'name="new-name"' not in body
    assert url("community_indicator_edit", CODE, "green_ratio") not in body


@pytest.mark.parametrize(
    ("phone", "masked"),
    [
        ("13812340000", "138****0000"),
        ("0533-8123456", "053****3456"),
        ("+86 138 1234 0000", "+86****0000"),
        ("12345", "****45"),
        ("", ""),
        (None, ""),
    ],
)
def test_mask_phone(phone, masked):
    assert mask_phone(phone) == masked


def test_detail_query_count(street_client, registry, django_assert_max_num_queries):
    for name in "甲乙丙丁":
        compound_create(actor=None, community=registry["xiyuan"], name=name)
    street_client.get(url("community_detail", CODE))
    with django_assert_max_num_queries(13):  # 12 + the inbox count in the navigation
        street_client.get(url("community_detail", CODE))


# ---------------------------------------------------------------------------- profile form


def test_reader_gets_403_on_the_edit_form(department_client):
    assert department_client.get(url("community_edit", CODE)).status_code == 403
    response = department_client.post(url("community_edit", CODE), {"kind": "residents"})
    assert response.status_code == 403


def _profile(**changes):
    data = {
        "kind": "residents",
        "urban_rural_code": "111",
        "urban_override": "",
        "address": "西苑路 1 号",
        "leader_name": "王主任",
        "leader_phone": "13812340000",
        "households": "1200",
        "residents": "3400",
        "area_ha": "12.5",
        "notes": "",
    }
    return data | changes


def test_edit_form_saves_and_redirects(street_client, registry):
    response = street_client.post(url("community_edit", CODE), _profile(households="1300"))
    assert response.status_code == 302 and response.url == url("community_detail", CODE)
    community = Community.objects.get(pk=registry["xiyuan"].pk)
    assert community.households == 1300 and community.urban_rural_code == "111"
    event = Event.objects.filter(verb="community.update_profile").order_by("-seq").first()
    assert event.after["households"] == 1300


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("households", "-3"),
        ("households", "lots"),
        ("area_ha", "1.234"),
        ("leader_phone", "ring me"),
        ("urban_rural_code", "999"),
    ],
)
def test_edit_form_shows_errors_at_the_fields(street_client, registry, field, value):
    response = street_client.post(url("community_edit", CODE), _profile(**{field: value}))
    assert response.status_code == 200
    form = response.context["form"]
    assert list(form.errors) == [field]
    body = response.content.decode()
    assert f'id="id_{field}_errors"' in body and 'aria-invalid="true"' in body
    # nothing saved
    assert Community.objects.get(pk=registry["xiyuan"].pk).households is None


def test_edit_form_shows_the_current_values(street_client):
    body = street_client.get(url("community_edit", CODE)).content.decode()
    assert 'value="王主任"' in body and 'value="13812340000"' in body


# ---------------------------------------------------------------------------- compounds


def test_add_compound_with_htmx_returns_the_section_and_the_indicators(street_client, registry):
    response = street_client.post(
        url("community_compounds", CODE),
        {
            "new-name": "西苑一区",
            "new-build_year": "1998",
            "new-renovation_status": "done",
            "new-renovation_year": str(THIS_YEAR),
        },
        headers=HTMX,
    )
    body = response.content.decode()
    assert response.status_code == 200 and "<html" not in body
    assert 'id="compounds"' in body and "西苑一区" in body
    # the renovation completion follows, out of band
    assert 'id="indicators" aria-labelledby="indicators-title" hx-swap-oob="true"' in body
    assert "100" in body.split('id="indicators"')[1]
    compound = Compound.objects.get()
    assert compound.renovation_status == "done"
    assert Event.objects.filter(verb="compound.create").count() == 1


def test_add_compound_errors_are_shown_at_the_fields(street_client):
    response = street_client.post(
        url("community_compounds", CODE),
        {"new-name": "", "new-renovation_status": "planned", "new-renovation_year": ""},
        headers=HTMX,
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert set(response.context["add_form"].errors) == {"name", "renovation_year"}
    assert 'id="id_new-name_errors"' in body and 'id="id_new-renovation_year_errors"' in body
    assert not Compound.objects.exists()


def test_add_compound_without_htmx_redirects(street_client):
    response = street_client.post(
        url("community_compounds", CODE), {"new-name": "甲", "new-renovation_status": "none"}
    )
    assert response.status_code == 302
    assert response.url == url("community_detail", CODE) + "#compounds"


def test_edit_compound_inline(street_client, registry):
    compound = compound_create(actor=None, community=registry["xiyuan"], name="甲")
    edit = url("community_compound_edit", CODE, compound.pk)
    # the row becomes a form
    body = street_client.get(edit, headers=HTMX).content.decode()
    assert f'id="compound-form-{compound.pk}"' in body
    assert f'form="compound-form-{compound.pk}"' in body and 'value="甲"' in body
    # a bad year is shown in the row
    response = street_client.post(
        edit,
        {
            f"c{compound.pk}-name": "甲",
            f"c{compound.pk}-build_year": "1850",
            f"c{compound.pk}-renovation_status": "none",
        },
        headers=HTMX,
    )
    body = response.content.decode()
    assert f'id="id_c{compound.pk}-build_year_error"' in body and "is-invalid" in body
    # a good one is saved and the row is back to text
    response = street_client.post(
        edit,
        {
            f"c{compound.pk}-name": "甲区",
            f"c{compound.pk}-build_year": "1990",
            f"c{compound.pk}-renovation_status": "in_progress",
            f"c{compound.pk}-renovation_year": str(THIS_YEAR),
        },
        headers=HTMX,
    )
    body = response.content.decode()
    assert "甲区" in body and f'id="compound-form-{compound.pk}"' not in body
    compound.refresh_from_db()
    assert (compound.name, compound.build_year, compound.renovation_status) == (
        "甲区",
        1990,
        "in_progress",
    )


def test_delete_compound(street_client, registry):
    compound = compound_create(actor=None, community=registry["xiyuan"], name="甲")
    response = street_client.post(url("community_compound_delete", CODE, compound.pk), headers=HTMX)
    assert response.status_code == 200 and "甲" not in response.content.decode().split("<h3")[0]
    assert not Compound.objects.exists()


def test_compound_of_another_community_is_404(street_client, registry):
    sibling = Community.objects.get(region=registry["sibling"])
    compound = compound_create(actor=None, community=sibling, name="甲")
    assert street_client.get(url("community_compound_edit", CODE, compound.pk)).status_code == 404
    response = street_client.post(url("community_compound_delete", CODE, compound.pk))
    assert response.status_code == 404
    assert Compound.objects.exists()


def test_reader_cannot_change_compounds(department_client, registry):
    compound = compound_create(actor=None, community=registry["xiyuan"], name="甲")
    assert (
        department_client.post(
            url("community_compounds", CODE), {"new-name": "乙", "new-renovation_status": "none"}
        ).status_code
        == 403
    )
    edit = url("community_compound_edit", CODE, compound.pk)
    assert department_client.get(edit).status_code == 403
    assert (
        department_client.post(url("community_compound_delete", CODE, compound.pk)).status_code
        == 403
    )
    assert Compound.objects.count() == 1


# ---------------------------------------------------------------------------- indicators


def test_edit_indicator_row_inline(street_client, registry):
    edit = url("community_indicator_edit", CODE, "green_ratio")
    body = street_client.get(edit, headers=HTMX).content.decode()
    assert 'id="indicator-form-' in body and f"y{THIS_YEAR}" in body
    prefix = f"i{Indicator.objects.get(code='green_ratio').pk}"
    # more than 100 % is refused at the field
    response = street_client.post(
        edit, {f"{prefix}-y{THIS_YEAR - 1}": "20", f"{prefix}-y{THIS_YEAR}": "120"}, headers=HTMX
    )
    body = response.content.decode()
    assert f'id="id_{prefix}-y{THIS_YEAR}_error"' in body
    assert not IndicatorValue.objects.exists()
    # valid values are saved; the survey status follows out of band
    response = street_client.post(
        edit, {f"{prefix}-y{THIS_YEAR - 1}": "20", f"{prefix}-y{THIS_YEAR}": "32.5"}, headers=HTMX
    )
    body = response.content.decode()
    assert "32.5" in body and 'id="survey"' in body and 'hx-swap-oob="true"' in body
    assert sorted(v.year for v in IndicatorValue.objects.all()) == [THIS_YEAR - 1, THIS_YEAR]
    assert Event.objects.filter(verb="indicator_value.set").count() == 2


def test_computed_indicator_has_no_edit_form(street_client):
    response = street_client.get(url("community_indicator_edit", CODE, "renovation_completion"))
    assert response.status_code == 404
    assert street_client.get(url("community_indicator_edit", CODE, "nope")).status_code == 404


def test_reader_cannot_edit_indicators(department_client):
    response = department_client.get(url("community_indicator_edit", CODE, "green_ratio"))
    assert response.status_code == 403


def test_sections_without_htmx_go_back_to_the_page(street_client):
    response = street_client.get(url("community_indicators", CODE))
    assert response.status_code == 302 and response.url.endswith("#indicators")
    response = street_client.get(url("community_compounds", CODE))
    assert response.status_code == 302 and response.url.endswith("#compounds")
