"""Audit pages: scoped to the reader's regions and their own actions."""

import pytest
from django.urls import reverse

from greencommunity.access.roles import Role
from greencommunity.audit.services import audit_record


@pytest.fixture
def events(tree):
    """region.create events exist for every region of the tree; add two with before/after."""
    audit_record(
        actor=None,
        verb="region.rename",
        target=tree["community"],
        region_code=tree["community"].code,
        summary="改名",
        before={"name": "旧西苑"},
        after={"name": "西苑社区"},
    )
    audit_record(
        actor=None,
        verb="region.rename",
        target=tree["other_street"],
        region_code=tree["other_street"].code,
        summary="他区改名",
        before={"name": "旧车站"},
        after={"name": "车站街道"},
    )
    return tree


def _rows(response):
    return list(response.context["page_obj"].object_list)


def test_audit_requires_login(client, db):
    assert client.get(reverse("audit:event_list")).status_code == 302


def test_county_reviewer_sees_its_county_events_only(client, events, make_user):
    client.force_login(make_user(Role.HOUSING, events["county"]))

    response = client.get(reverse("audit:event_list"))

    codes = {e.region_code for e in _rows(response)}
    assert codes == {"370321000000", "370321001000", "370321001002"}
    body = response.content.decode()
    assert "改名" in body and "他区改名" not in body
    assert "旧西苑" in body  # the before → after disclosure
    assert "<details" in body


def test_region_filter_narrows_to_the_subtree(client, events, make_user):
    client.force_login(make_user(Role.HOUSING, events["county"]))

    response = client.get(reverse("audit:event_list"), {"region": "370321001000"})

    assert response.status_code == 200
    assert {e.region_code for e in _rows(response)} == {"370321001000", "370321001002"}


@pytest.mark.parametrize(
    "code",
    ["370303000000", "370303001000", "370300000000", "370000000000", "379999000000", "garbage"],
)
def test_region_outside_scope_is_404(client, events, make_user, code):
    client.force_login(make_user(Role.HOUSING, events["county"]))
    assert client.get(reverse("audit:event_list"), {"region": code}).status_code == 404


def test_community_user_sees_only_own_actions(client, events, make_user):
    user = make_user(Role.COMMUNITY, events["community"])
    audit_record(actor=user, verb="token.create", target=user, after={"name": "x"})
    client.force_login(user)

    response = client.get(reverse("audit:event_list"))

    assert [e.verb for e in _rows(response)] == ["token.create"]
    # and may not filter by their community's region
    assert (
        client.get(reverse("audit:event_list"), {"region": events["community"].code}).status_code
        == 404
    )


def test_object_history(client, events, make_user):
    client.force_login(make_user(Role.ADMIN, events["province"]))
    community = events["community"]
    url = reverse("audit:object_events", args=["regions.region", str(community.pk)])

    response = client.get(url)

    assert response.status_code == 200
    assert [e.verb for e in _rows(response)] == ["region.rename", "region.create"]


def test_object_history_outside_scope_is_404(client, events, make_user):
    client.force_login(make_user(Role.HOUSING, events["county"]))
    other = events["other_street"]
    url = reverse("audit:object_events", args=["regions.region", str(other.pk)])
    assert client.get(url).status_code == 404


def test_pagination_50_per_page_and_htmx_partial(client, tree, make_user):
    for i in range(60):
        audit_record(
            actor=None, verb="test.bulk", region_code=tree["county"].code, summary=f"第{i}条"
        )
    client.force_login(make_user(Role.HOUSING, tree["county"]))

    first = client.get(reverse("audit:event_list"))
    assert len(_rows(first)) == 50
    second = client.get(reverse("audit:event_list"), {"page": 2}, headers={"HX-Request": "true"})
    body = second.content.decode()
    assert second.status_code == 200
    assert "<html" not in body and 'id="events"' in body
    assert len(_rows(second)) == 60 + 3 - 50  # + county, street, community region.create


def test_event_list_query_count(client, events, make_user, django_assert_max_num_queries):
    client.force_login(make_user(Role.ADMIN, events["province"]))
    client.get(reverse("audit:event_list"))
    with django_assert_max_num_queries(10):
        client.get(reverse("audit:event_list"))


def test_htmx_history_restore_gets_the_whole_page(client, events, make_user):
    client.force_login(make_user(Role.HOUSING, events["county"]))
    response = client.get(
        reverse("audit:event_list"),
        headers={"HX-Request": "true", "HX-History-Restore-Request": "true"},
    )
    assert "<html" in response.content.decode()
