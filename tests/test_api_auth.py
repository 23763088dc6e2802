"""API authentication: tokens (Bearer or X-API-Token), sessions with CSRF, the error shape."""

import pytest
from django.conf import settings
from django.test import RequestFactory
from ninja.errors import HttpError

from greencommunity.access.roles import Role
from greencommunity.access.services.users import token_create, token_revoke
from greencommunity.api import api

ME = "/api/v1/accounts/me"


def bearer(key):
    return {"Authorization": f"Bearer {key}"}


@pytest.fixture
def county_admin(tree, make_user):
    return make_user(Role.ADMIN, tree["county"], username="huantai_admin")


@pytest.fixture
def token_key(county_admin):
    _token, key = token_create(actor=county_admin, name="script")
    return key


def test_unauthenticated_request_gets_401_in_the_error_shape(client, db):
    response = client.get(ME)
    assert response.status_code == 401
    body = response.json()
    assert set(body) == {"message", "extra"}
    assert body["message"] and body["extra"] == {}


@pytest.mark.parametrize(
    "headers",
    [
        {"Authorization": "Bearer gc_not-a-real-token"},
        {"Authorization": "Bearer "},
        {"Authorization": "Basic dXNlcjpwYXNz"},
        {"X-API-Token": "gc_not-a-real-token"},
    ],
    ids=["bad-bearer", "empty-bearer", "basic", "bad-header"],
)
def test_a_wrong_token_gets_401(client, token_key, headers):
    response = client.get(ME, headers=headers)
    assert response.status_code == 401
    assert set(response.json()) == {"message", "extra"}


def test_a_bearer_token_authenticates(client, county_admin, token_key, tree):
    # given a personal token
    # when it is sent as a Bearer token
    response = client.get(ME, headers=bearer(token_key))
    # then the API answers as its owner
    assert response.status_code == 200
    assert response.json() == {
        "username": "huantai_admin",
        "full_name": "",
        "roles": [
            {
                "role": "admin",
                "role_label": str(Role.ADMIN.label),
                "region_code": "370321000000",
                "region_name": "桓台县",
                "department": "",
            }
        ],
    }
    county_admin.api_tokens.get().refresh_from_db()
    assert county_admin.api_tokens.get().last_used_at is not None


def test_the_x_api_token_header_authenticates(client, token_key):
    response = client.get(ME, headers={"X-API-Token": token_key})
    assert response.status_code == 200
    assert response.json()["username"] == "huantai_admin"


def test_a_revoked_token_gets_401(client, county_admin, token_key):
    # given a token its owner revoked
    token_revoke(actor=county_admin, token=county_admin.api_tokens.get())
    # when it is used, either way
    # then it is refused
    assert client.get(ME, headers=bearer(token_key)).status_code == 401
    assert client.get(ME, headers={"X-API-Token": token_key}).status_code == 401


def test_the_token_of_a_deactivated_account_gets_401(client, county_admin, token_key):
    county_admin.is_active = False
    county_admin.save(update_fields=["is_active"])
    assert client.get(ME, headers=bearer(token_key)).status_code == 401


def test_a_token_authenticates_only_its_owner(client, tree, make_user, token_key):
    # given two users, one of whom holds the token
    other = make_user(Role.COMMUNITY, tree["community"], username="xiyuan")
    client.force_login(other)
    # when the other user's session and the token arrive together, the token wins
    response = client.get(ME, headers=bearer(token_key))
    assert response.json()["username"] == "huantai_admin"


def test_a_session_authenticates(client, county_admin):
    client.force_login(county_admin)
    response = client.get(ME)
    assert response.status_code == 200
    assert response.json()["username"] == "huantai_admin"


def test_session_auth_checks_csrf_on_unsafe_methods(rf: RequestFactory, county_admin):
    # given the API's session authentication and a signed-in browser
    session_auth = next(a for a in api.auth if getattr(a, "csrf", None) is not None)
    assert session_auth.csrf
    request = rf.post(ME)
    request.user = county_admin
    request.COOKIES[settings.SESSION_COOKIE_NAME] = "x"
    # when an unsafe request carries no CSRF token, it is refused
    with pytest.raises(HttpError, match="CSRF"):
        session_auth(request)
    # while a safe one passes
    request = rf.get(ME)
    request.user = county_admin
    assert session_auth(request) == county_admin


def test_a_session_that_must_change_its_password_gets_403(client, tree, make_user):
    user = make_user(Role.ADMIN, tree["county"], must_change_password=True)
    client.force_login(user)
    response = client.get(ME)
    assert response.status_code == 403
    assert response.json()["extra"] == {"code": "password_change_required"}


def test_a_token_whose_owner_must_change_the_password_gets_403(client, county_admin, token_key):
    county_admin.must_change_password = True
    county_admin.save(update_fields=["must_change_password"])
    for headers in (bearer(token_key), {"X-API-Token": token_key}):
        response = client.get(ME, headers=headers)
        assert response.status_code == 403
        assert response.json()["extra"] == {"code": "password_change_required"}
