"""Regions API: each actor sees the tree from their own grants; the rest does not exist."""

import pytest

from greencommunity.access.roles import Role
from greencommunity.regions.services.tree import region_create

# What GET /api/v1/regions/ lists for each holder (role @ region key of the `tree` fixture).
ROOTS = {
    ("admin", "province"): ["province"],
    ("housing", "city"): ["city"],
    ("housing", "county"): ["county"],
    ("street", "street"): ["street"],
    ("community", "community"): ["community"],
}
# Which regions each holder may open with GET /api/v1/regions/{code}.
VISIBLE = {
    ("admin", "province"): {"province", "city", "county", "street", "community",
                            "other_county", "other_street", "other_city"},
    ("housing", "city"): {"city", "county", "street", "community", "other_county",
                          "other_street"},
    ("housing", "county"): {"county", "street", "community"},
    ("street", "street"): {"street", "community"},
    ("community", "community"): {"community"},
}  # fmt: skip
ALL_KEYS = ["province", "city", "county", "street", "community", "other_county",
            "other_street", "other_city"]  # fmt: skip


@pytest.fixture
def api_as(client):
    def _as(user):
        client.force_login(user)
        return client

    return _as


@pytest.mark.parametrize(("holder", "roots"), list(ROOTS.items()), ids=str)
def test_roots_are_the_regions_the_roles_are_held_on(tree, make_user, api_as, holder, roots):
    role, key = holder
    response = api_as(make_user(role, tree[key])).get("/api/v1/regions/")
    assert response.status_code == 200
    assert [r["code"] for r in response.json()] == [tree[k].code for k in roots]


@pytest.mark.parametrize(("holder", "visible"), list(VISIBLE.items()), ids=str)
def test_region_detail_matrix(tree, make_user, api_as, holder, visible):
    # given a user holding one role on one region
    role, key = holder
    client = api_as(make_user(role, tree[key]))
    for k in ALL_KEYS:
        # when they open each region of the tree
        response = client.get(f"/api/v1/regions/{tree[k].code}")
        # then those in their subtree exist, and the rest answer 404 in the error shape
        expected = 200 if k in visible else 404
        assert response.status_code == expected, k
        if expected == 404:
            assert set(response.json()) == {"message", "extra"}


def test_county_detail_has_parent_breadcrumbs_and_children(tree, make_user, api_as):
    # given a housing-department user of 桓台县
    client = api_as(make_user(Role.HOUSING, tree["county"]))
    # when they open their county
    response = client.get("/api/v1/regions/370321000000")
    # then they get its place in the tree and its children
    assert response.status_code == 200
    body = response.json()
    assert body["code"] == "370321000000" and body["name"] == "桓台县"
    assert body["level"] == "county" and body["level_label"]
    assert body["parent"] == "370300000000"
    assert [b["name"] for b in body["breadcrumbs"]] == ["山东省", "淄博市", "桓台县"]
    assert body["children"] == [
        {
            "code": "370321001000",
            "name": "城区街道",
            "level": "street",
            "level_label": body["children"][0]["level_label"],
            "child_count": 1,
        }
    ]


def test_county_user_gets_404_on_a_sibling_county(tree, make_user, api_as):
    client = api_as(make_user(Role.ADMIN, tree["county"]))
    sibling = client.get("/api/v1/regions/370303000000")
    missing = client.get("/api/v1/regions/370321999000")
    # out of scope and missing look the same
    assert sibling.status_code == missing.status_code == 404
    assert sibling.json() == missing.json()
    assert client.get("/api/v1/regions/370303000000/children").status_code == 404


def test_community_user_sees_only_its_community(tree, make_user, api_as):
    client = api_as(make_user(Role.COMMUNITY, tree["community"]))
    assert [r["code"] for r in client.get("/api/v1/regions/").json()] == ["370321001002"]
    body = client.get("/api/v1/regions/370321001002").json()
    assert body["parent"] == "370321001000"
    assert body["children"] == []
    assert client.get("/api/v1/regions/370321001000").status_code == 404
    assert client.get("/api/v1/regions/370321001000/children").status_code == 404


def test_children_are_scoped_and_counted(tree, make_user, api_as):
    # given a user of the city
    client = api_as(make_user(Role.HOUSING, tree["city"]))
    # when they list the province's children (the province itself is out of their scope)
    assert client.get("/api/v1/regions/370000000000/children").status_code == 404
    # and the city's
    response = client.get("/api/v1/regions/370300000000/children")
    # then they get both counties in code order, each with its number of children
    assert [(r["name"], r["child_count"]) for r in response.json()] == [
        ("张店区", 1),
        ("桓台县", 1),
    ]


def test_a_user_without_roles_sees_no_region(tree, make_user, api_as):
    client = api_as(make_user())
    assert client.get("/api/v1/regions/").json() == []
    assert client.get("/api/v1/regions/370000000000").status_code == 404


def test_a_platform_superuser_sees_the_top_of_the_tree(tree, make_user, api_as):
    user = make_user()
    user.is_superuser = True
    user.save(update_fields=["is_superuser"])
    roots = api_as(user).get("/api/v1/regions/").json()
    assert [r["code"] for r in roots] == ["370000000000"]
    assert roots[0]["child_count"] == 2


def test_region_detail_takes_the_same_queries_however_many_children(
    tree, make_user, api_as, django_assert_num_queries
):
    # given a province administrator and a county with one street
    client = api_as(make_user(Role.ADMIN, tree["province"]))
    client.get("/api/v1/regions/")  # warm the session
    with django_assert_num_queries(9) as one:
        client.get("/api/v1/regions/370321000000")
    # when the county gets five more streets
    for i in range(2, 7):
        region_create(actor=None, code=f"370321{i:03d}000", name=f"街道{i}", parent=tree["county"])
    # then opening it costs the same number of queries
    with django_assert_num_queries(len(one)):
        response = client.get("/api/v1/regions/370321000000")
    assert len(response.json()["children"]) == 6


def test_regions_require_authentication(client, tree):
    assert client.get("/api/v1/regions/").status_code == 401
    assert client.get("/api/v1/regions/370000000000").status_code == 401
