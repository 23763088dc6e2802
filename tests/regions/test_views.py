"""Region pages show only the actor's subtree; everything else is a 404."""

import pytest
from django.urls import reverse

from greencommunity.access.roles import Role


def _detail(code):
    return reverse("regions:region_detail", args=[code])


def test_region_pages_require_login(client, tree):
    assert client.get(reverse("regions:region_list")).status_code == 302
    assert client.get(_detail("370321000000")).status_code == 302


def test_county_user_sees_its_county_as_the_root(client, tree, make_user):
    client.force_login(make_user(Role.HOUSING, tree["county"]))

    body = client.get(reverse("regions:region_list")).content.decode()

    assert "桓台县" in body
    assert "张店区" not in body and "淄博市" not in body


def test_county_user_sees_its_subtree_with_breadcrumbs_and_children(client, tree, make_user):
    # given a county reviewer
    client.force_login(make_user(Role.HOUSING, tree["county"]))
    # when they open their county
    response = client.get(_detail("370321000000"))
    body = response.content.decode()
    # then they see its children, linked, and the audit link
    assert response.status_code == 200
    assert "城区街道" in body and _detail("370321001000") in body
    assert reverse("audit:event_list") + "?region=370321000000" in body
    # the ancestors are named in the breadcrumbs but not linked (out of scope)
    crumbs = body.split('<ol class="breadcrumb')[1].split("</ol>")[0]
    assert "山东省" in crumbs and "淄博市" in crumbs
    assert _detail("370000000000") not in crumbs
    # and the street and community below open too
    assert client.get(_detail("370321001000")).status_code == 200
    assert client.get(_detail("370321001002")).status_code == 200


@pytest.mark.parametrize("key", ["other_county", "other_street", "city", "province", "other_city"])
def test_county_user_gets_404_outside_its_county(client, tree, make_user, key):
    client.force_login(make_user(Role.HOUSING, tree["county"]))
    assert client.get(_detail(tree[key].code)).status_code == 404


def test_missing_region_is_404(client, tree, make_user):
    client.force_login(make_user(Role.ADMIN, tree["province"]))
    assert client.get(_detail("379999000000")).status_code == 404
    assert client.get(_detail("not-a-code")).status_code == 404


def test_community_user_sees_only_its_community(client, tree, make_user):
    client.force_login(make_user(Role.COMMUNITY, tree["community"]))

    body = client.get(reverse("regions:region_list")).content.decode()
    assert "西苑社区" in body and "城区街道" not in body.split("<main")[1]

    response = client.get(_detail("370321001002"))
    assert response.status_code == 200
    # a community user does not read the region's audit trail
    assert "?region=370321001002" not in response.content.decode()
    for key in ["street", "county", "other_street"]:
        assert client.get(_detail(tree[key].code)).status_code == 404


def test_province_admin_browses_down_with_linked_breadcrumbs(client, tree, make_user):
    client.force_login(make_user(Role.ADMIN, tree["province"]))

    body = client.get(_detail("370321001002")).content.decode()

    crumbs = body.split('<ol class="breadcrumb')[1].split("</ol>")[0]
    for code in ["370000000000", "370300000000", "370321000000", "370321001000"]:
        assert _detail(code) in crumbs
    assert (
        crumbs.index("山东省")
        < crumbs.index("淄博市")
        < crumbs.index("桓台县")
        < crumbs.index("城区街道")
        < crumbs.index("西苑社区")
    )


def test_children_table_counts_grandchildren(client, tree, make_user):
    client.force_login(make_user(Role.ADMIN, tree["province"]))
    response = client.get(_detail("370300000000"))
    children = list(response.context["children"])
    assert {r.name: r.child_count for r in children} == {"桓台县": 1, "张店区": 1}


def test_region_detail_query_count(client, tree, make_user, django_assert_max_num_queries):
    client.force_login(make_user(Role.ADMIN, tree["province"]))
    client.get(_detail("370300000000"))  # warm the session
    with django_assert_max_num_queries(10):
        client.get(_detail("370300000000"))
