"""Audit API: events in the actor's audit scope, newest first; chain verification."""

import pytest

from greencommunity.access.roles import Role
from greencommunity.audit.services import audit_record

EVENTS = "/api/v1/audit/events"


@pytest.fixture
def api_as(client):
    def _as(user):
        client.force_login(user)
        return client

    return _as


@pytest.fixture
def events(tree):
    """One event per region of the tree (on top of the tree's own region.create events)."""
    return {
        key: audit_record(
            actor=None, verb="test.touch", target=tree[key], region_code=tree[key].code
        )
        for key in ("county", "community", "other_county")
    }


def seqs(response):
    assert response.status_code == 200, response.content
    return [e["seq"] for e in response.json()["items"]]


def test_county_reviewer_reads_only_events_of_their_county(tree, make_user, api_as, events):
    # given a housing-department reviewer of 桓台县
    client = api_as(make_user(Role.HOUSING, tree["county"]))
    # when they list the test events
    body = client.get(EVENTS, {"verb": "test."}).json()
    # then they see those of their county and its community, newest first
    assert [e["seq"] for e in body["items"]] == [events["community"].seq, events["county"].seq]
    assert body["count"] == 2
    assert {e["region_code"] for e in body["items"]} == {"370321000000", "370321001002"}


def test_a_region_outside_the_audit_scope_answers_404(tree, make_user, api_as, events):
    client = api_as(make_user(Role.HOUSING, tree["county"]))
    response = client.get(EVENTS, {"region": "370303000000"})
    assert response.status_code == 404
    assert set(response.json()) == {"message", "extra"}
    # the city above is out of scope too, though it contains the county
    assert client.get(EVENTS, {"region": "370300000000"}).status_code == 404


def test_the_region_filter_narrows_to_a_subtree(tree, make_user, api_as, events):
    client = api_as(make_user(Role.ADMIN, tree["province"]))
    response = client.get(EVENTS, {"region": "370321001000", "verb": "test."})
    assert seqs(response) == [events["community"].seq]


@pytest.mark.parametrize("role", [Role.STREET, Role.COMMUNITY, Role.DEPARTMENT])
def test_non_readers_see_only_their_own_events(tree, make_user, api_as, events, role):
    # given a user whose role does not read the audit trail, with one event of their own
    key = {"street": "street", "community": "community", "department": "county"}[role]
    user = make_user(role, tree[key])
    own = audit_record(actor=user, verb="test.own", target=user, region_code=tree[key].code)
    client = api_as(user)
    # when they list events
    # then they get only their own
    assert seqs(client.get(EVENTS)) == [own.seq]
    # and may not ask for their region's trail
    assert client.get(EVENTS, {"region": tree[key].code}).status_code == 404


def test_filter_by_object_and_verb(tree, make_user, api_as, events):
    client = api_as(make_user(Role.ADMIN, tree["province"]))
    county = tree["county"]
    response = client.get(EVENTS, {"target_type": "regions.region", "target_id": county.pk})
    items = response.json()["items"]
    assert [e["verb"] for e in items] == ["test.touch", "region.create"]
    assert all(e["target_label"] == str(county) for e in items)
    assert seqs(client.get(EVENTS, {"verb": "region.create"})) == list(range(8, 0, -1))


def test_pages_are_cut_by_limit_and_offset(tree, make_user, api_as, events):
    client = api_as(make_user(Role.ADMIN, tree["province"]))
    first = client.get(EVENTS, {"limit": 4}).json()
    second = client.get(EVENTS, {"limit": 4, "offset": 4}).json()
    assert first["count"] == second["count"] == 11
    assert [e["seq"] for e in first["items"]] == [11, 10, 9, 8]
    assert [e["seq"] for e in second["items"]] == [7, 6, 5, 4]
    assert (second["limit"], second["offset"]) == (4, 4)


def test_an_event_carries_its_content_and_hashes(tree, make_user, api_as):
    admin = make_user(Role.ADMIN, tree["province"], username="sd_admin")
    event = audit_record(actor=admin, verb="region.rename", target=tree["county"],
                         region_code="370321000000", before={"name": "桓台"},
                         after={"name": "桓台县"})  # fmt: skip
    item = api_as(admin).get(EVENTS, {"limit": 1}).json()["items"][0]
    assert item["seq"] == event.seq and item["actor_label"] == "sd_admin"
    assert (item["before"], item["after"]) == ({"name": "桓台"}, {"name": "桓台县"})
    assert (item["hash"], item["prev_hash"]) == (event.hash, event.prev_hash)


@pytest.mark.parametrize(
    "params",
    [{"region": "3703"}, {"region": "37030300000x"}, {"limit": 0}, {"limit": 501},
     {"offset": -1}],
    ids=["short-code", "letter", "limit-0", "limit-501", "negative-offset"],
)  # fmt: skip
def test_invalid_filters_get_422_in_the_error_shape(tree, make_user, api_as, params):
    response = api_as(make_user(Role.ADMIN, tree["province"])).get(EVENTS, params)
    assert response.status_code == 422
    assert set(response.json()) == {"message", "extra"}
    assert response.json()["extra"]["errors"]


def test_target_type_needs_target_id(tree, make_user, api_as):
    response = api_as(make_user(Role.ADMIN, tree["province"])).get(
        EVENTS, {"target_type": "regions.region"}
    )
    assert response.status_code == 400
    assert response.json()["extra"] == {"field": "target_id"}


def test_events_require_authentication(client, db):
    assert client.get(EVENTS).status_code == 401


def test_an_administrator_verifies_the_chain(tree, make_user, api_as, events):
    response = api_as(make_user(Role.ADMIN, tree["county"])).get("/api/v1/audit/verify")
    assert response.status_code == 200
    assert response.json() == {"ok": True, "checked": 11, "first_bad_seq": None, "reason": ""}


@pytest.mark.parametrize("role", [Role.HOUSING, Role.STREET, Role.COMMUNITY])
def test_only_administrators_verify_the_chain(tree, make_user, api_as, role):
    key = {"housing": "province", "street": "street", "community": "community"}[role]
    response = api_as(make_user(role, tree[key])).get("/api/v1/audit/verify")
    assert response.status_code == 403
    assert set(response.json()) == {"message", "extra"}
