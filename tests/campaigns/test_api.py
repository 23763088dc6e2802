"""GET /api/v1/regions/{code}/progress: authentication, scope, the year, the document."""

import json

import pytest

from greencommunity.access.services.users import token_create
from greencommunity.campaigns.selectors_progress import region_progress

URL = "/api/v1/regions/{code}/progress"


def as_json(progress):
    return json.loads(json.dumps(progress, default=lambda d: d.isoformat()))


@pytest.fixture
def api_as(client):
    def _as(user):
        client.force_login(user)
        return client

    return _as


def test_anonymous_gets_401(world, client):
    response = client.get(URL.format(code="370321000000"), {"year": 2022})
    assert response.status_code == 401
    assert set(response.json()) == {"message", "extra"}


def test_the_same_document_as_the_selector(world, users, api_as):
    response = api_as(users["county_housing"]).get(URL.format(code="370321000000"), {"year": 2022})
    assert response.status_code == 200
    assert response.json() == as_json(region_progress(world["county"], 2022))


def test_token(world, users, client):
    _token, key = token_create(actor=users["city_housing"], name="dashboard")
    response = client.get(URL.format(code="370300000000"), {"year": 2021},
                          headers={"Authorization": f"Bearer {key}"})  # fmt: skip
    assert response.status_code == 200
    assert response.json()["region"]["name"] == "淄博市"
    assert [c["region"]["code"] for c in response.json()["children"]] == [
        "370303000000", "370321000000",
    ]  # fmt: skip


# Who opens whose progress: everyone with a role over the region; the rest is 404.
MATRIX = {
    "city_housing": {"city", "county", "street", "other_county"},
    "county_housing": {"county", "street"},
    "county_admin": {"county", "street"},
    "county_department": {"county", "street"},
    "county_expert": {"county", "street"},
    "street": {"street"},
    "committee": set(),
    "other_county_housing": {"other_county"},
    "other_city_admin": {"other_city"},
    "nobody": set(),
}
KEYS = ["province", "city", "county", "street", "other_county", "other_city"]


@pytest.mark.parametrize(("user", "visible"), list(MATRIX.items()))
def test_scope(world, users, api_as, user, visible):
    client = api_as(users[user])
    for key in KEYS:
        response = client.get(URL.format(code=world[key].code), {"year": 2022})
        assert response.status_code == (200 if key in visible else 404), key
        if response.status_code == 404:
            assert set(response.json()) == {"message", "extra"}


def test_committee_sees_its_own_community(world, users, api_as):
    response = api_as(users["committee"]).get(URL.format(code="370321001002"), {"year": 2022})
    assert response.status_code == 200
    assert response.json()["demonstration"] == 1


def test_year(world, users, api_as):
    client = api_as(users["county_housing"])
    assert client.get(URL.format(code="370321000000"), {"year": 1900}).status_code == 400
    assert client.get(URL.format(code="370321000000"), {"year": "next"}).status_code == 422
    # without a year: this year, as of today
    response = client.get(URL.format(code="370321000000"))
    assert response.status_code == 200 and response.json()["as_of_basis"] == "today"


def test_unknown_code_is_404(world, users, api_as):
    client = api_as(users["city_housing"])
    assert client.get(URL.format(code="370321999000"), {"year": 2022}).status_code == 404
    assert client.get(URL.format(code="abc"), {"year": 2022}).status_code == 404


def test_listed_in_openapi(db, client):
    schema = client.get("/api/v1/openapi.json").json()
    operation = schema["paths"]["/api/v1/regions/{code}/progress"]["get"]
    assert operation["security"]
