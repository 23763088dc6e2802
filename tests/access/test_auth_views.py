"""Signing in and out, the lockout, the forced password change and API tokens."""

import pytest
from django.urls import reverse

from greencommunity.access.models import ApiToken
from greencommunity.access.roles import Role
from greencommunity.audit.models import Event

PASSWORD = "Secret-pass-2026"
NEW_PASSWORD = "Fresh-Green-2027"


def _login(client, username, password):
    return client.post(reverse("access:login"), {"username": username, "password": password})


def test_login_page_renders_a_labelled_form(client, db):
    response = client.get(reverse("access:login"))
    body = response.content.decode()
    assert response.status_code == 200
    assert 'for="id_username"' in body and 'for="id_password"' in body
    assert 'autocomplete="current-password"' in body


def test_login_succeeds_and_goes_home(client, tree, make_user):
    make_user(Role.HOUSING, tree["county"], username="reviewer")
    response = _login(client, "reviewer", PASSWORD)
    assert response.status_code == 302 and response.url == reverse("core:home")
    assert client.get(reverse("core:home")).status_code == 200


def test_wrong_password_shows_an_error(client, tree, make_user):
    make_user(Role.HOUSING, tree["county"], username="reviewer")
    response = _login(client, "reviewer", "not-the-password")
    assert response.status_code == 200
    assert 'class="alert alert-danger"' in response.content.decode()


def test_five_failures_lock_the_login(client, tree, make_user):
    # given an account
    make_user(Role.HOUSING, tree["county"], username="reviewer")
    # when the password is wrong five times
    statuses = [_login(client, "reviewer", f"wrong-{i}").status_code for i in range(5)]
    # then the fifth answer is the lockout page, and even the right password is refused
    assert statuses[:4] == [200] * 4
    assert statuses[4] == 429
    response = _login(client, "reviewer", PASSWORD)
    assert response.status_code == 429
    body = response.content.decode()
    assert "登录失败次数过多" in body
    assert "30" in body  # minutes
    assert "_auth_user_id" not in client.session


def test_must_change_password_is_sent_to_the_change_page(client, tree, make_user):
    user = make_user(Role.COMMUNITY, tree["community"], must_change_password=True)
    client.force_login(user)
    for url in [reverse("core:home"), reverse("regions:region_list"), reverse("audit:event_list")]:
        response = client.get(url)
        assert response.status_code == 302 and response.url == reverse("access:password_change")
    response = client.get(reverse("access:password_change"))
    body = response.content.decode()
    assert response.status_code == 200
    assert "请先修改密码" in body or "修改" in body
    assert "10" in body  # the minimum length rule is listed


def test_password_change_keeps_the_session_and_clears_the_flag(client, tree, make_user):
    user = make_user(Role.COMMUNITY, tree["community"], must_change_password=True)
    client.force_login(user)

    response = client.post(
        reverse("access:password_change"),
        {
            "old_password": PASSWORD,
            "new_password1": NEW_PASSWORD,
            "new_password2": NEW_PASSWORD,
        },
    )

    assert response.status_code == 302 and response.url == reverse("core:home")
    user.refresh_from_db()
    assert not user.must_change_password and user.check_password(NEW_PASSWORD)
    home = client.get(reverse("core:home"))
    assert home.status_code == 200  # still logged in
    assert "密码已修改" in home.content.decode()
    assert Event.objects.filter(verb="user.password_change", actor_id=user.pk).exists()


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        (
            {"old_password": "wrong", "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
            "id_old_password_errors",
            "当前密码不正确",
        ),
        (
            {
                "old_password": PASSWORD,
                "new_password1": NEW_PASSWORD,
                "new_password2": NEW_PASSWORD + "x",
            },
            "id_new_password2_errors",
            "两次输入的新密码不一致",
        ),
        (
            {"old_password": PASSWORD, "new_password1": "short", "new_password2": "short"},
            "id_new_password1_errors",
            "密码",
        ),
        (
            {"old_password": PASSWORD, "new_password1": PASSWORD, "new_password2": PASSWORD},
            "id_new_password1_errors",
            "新密码不能与当前密码相同",
        ),
    ],
)
def test_password_change_errors_are_shown_at_their_field(
    client, tree, make_user, data, field, message
):
    user = make_user(Role.COMMUNITY, tree["community"], must_change_password=True)
    client.force_login(user)

    response = client.post(reverse("access:password_change"), data)

    body = response.content.decode()
    assert response.status_code == 200
    assert f'id="{field}"' in body
    assert message in body
    user.refresh_from_db()
    assert user.must_change_password


def test_logout_is_post_only_and_ends_the_session(client, tree, make_user):
    client.force_login(make_user(Role.STREET, tree["street"]))
    assert client.get(reverse("access:logout")).status_code == 405

    response = client.post(reverse("access:logout"))

    assert response.status_code == 302 and response.url == reverse("access:login")
    assert client.get(reverse("core:home")).status_code == 302
    assert "您已退出登录" in client.get(reverse("access:login")).content.decode()


def test_token_create_shows_the_key_once_and_revoke_ends_it(client, tree, make_user):
    user = make_user(Role.HOUSING, tree["county"])
    client.force_login(user)
    url = reverse("access:token_list")

    # create: the key is on the page once, only its hash is stored
    response = client.post(url, {"action": "create", "name": "统计系统"})
    body = response.content.decode()
    token = ApiToken.objects.get(user=user)
    assert response.status_code == 200
    key = body.split('id="new-token-key">')[1].split("<")[0]
    assert key.startswith("gc_") and ApiToken.hash_key(key) == token.key_hash
    assert key not in client.get(url).content.decode()
    assert "统计系统" in client.get(url).content.decode()

    # revoke
    response = client.post(url, {"action": "revoke", "token": token.pk})
    assert response.status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert "已撤销" in client.get(url).content.decode()


def test_a_user_cannot_revoke_someone_elses_token(client, tree, make_user):
    owner = make_user(Role.HOUSING, tree["county"])
    other = make_user(Role.HOUSING, tree["county"])
    client.force_login(owner)
    client.post(reverse("access:token_list"), {"action": "create", "name": "mine"})
    token = ApiToken.objects.get(user=owner)

    client.force_login(other)
    client.post(reverse("access:token_list"), {"action": "revoke", "token": token.pk})

    token.refresh_from_db()
    assert token.revoked_at is None
    assert "mine" not in client.get(reverse("access:token_list")).content.decode()


def test_token_name_is_required(client, tree, make_user):
    client.force_login(make_user(Role.HOUSING, tree["county"]))
    response = client.post(reverse("access:token_list"), {"action": "create", "name": ""})
    assert response.status_code == 200
    assert 'aria-invalid="true"' in response.content.decode()
    assert not ApiToken.objects.exists()
