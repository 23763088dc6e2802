"""The web shell: home page, layout, larger text."""

import pytest
from django.urls import reverse

from greencommunity.access.roles import Role


def test_home_requires_login(client, db):
    # given an anonymous visitor / when they open the home page / then they are sent to login
    response = client.get(reverse("core:home"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("access:login"))


def test_home_greets_the_user_with_roles_and_region_links(client, tree, make_user):
    user = make_user(Role.HOUSING, tree["county"], username="county_reviewer")
    user.full_name = "王审核"
    user.save()
    client.force_login(user)

    response = client.get(reverse("core:home"))

    body = response.content.decode()
    assert response.status_code == 200
    assert "王审核" in body
    assert "桓台县" in body
    assert reverse("regions:region_detail", args=["370321000000"]) in body


def test_layout_is_labelled_and_sends_csrf_with_htmx(client, tree, make_user):
    client.force_login(make_user(Role.COMMUNITY, tree["community"]))

    body = client.get(reverse("core:home")).content.decode()

    assert '<html lang="zh-hans"' in body
    assert 'href="#main"' in body and 'id="main"' in body
    assert 'hx-headers=\'{"X-CSRFToken": "' in body
    assert "vendor/htmx/htmx.min.js" in body
    assert "vendor/bootstrap/css/bootstrap.min.css" in body
    assert reverse("access:logout") in body


@pytest.mark.parametrize(
    ("role", "region", "shown"),
    [
        (Role.ADMIN, "county", True),
        (Role.HOUSING, "county", False),
        (Role.COMMUNITY, "community", False),
    ],
)
def test_account_management_link_only_for_administrators(
    client, tree, make_user, role, region, shown
):
    client.force_login(make_user(role, tree[region]))

    body = client.get(reverse("core:home")).content.decode()

    assert (reverse("access:user_list") in body) is shown


def test_larger_text_cookie_switches_on_and_off(client, tree, make_user):
    client.force_login(make_user(Role.STREET, tree["street"]))
    home = reverse("core:home")

    response = client.post(reverse("core:text_size"), {"size": "large", "next": home})
    assert response.status_code == 302 and response.url == home
    assert response.cookies["gc_text"].value == "large"
    assert 'class="gc-large-text"' in client.get(home).content.decode()

    response = client.post(reverse("core:text_size"), {"size": "normal", "next": home})
    assert response.cookies["gc_text"].value == ""  # deleted
    assert "gc-large-text" not in client.get(home).content.decode().split("<head>")[0]


def test_larger_text_refuses_an_offsite_redirect(client, db):
    response = client.post(
        reverse("core:text_size"), {"size": "large", "next": "https://evil.example/"}
    )
    assert response.url == reverse("core:home")


def test_larger_text_is_post_only(client, db):
    assert client.get(reverse("core:text_size")).status_code == 405


def test_unknown_page_is_a_friendly_404(client, tree, make_user):
    client.force_login(make_user(Role.HOUSING, tree["county"]))
    response = client.get("/regions/370303000000/")
    assert response.status_code == 404
    body = response.content.decode()
    assert "页面不存在" in body and reverse("core:home") in body
