"""Account administration pages: who may see them, and what they do."""

import pytest
from django.urls import reverse

from greencommunity.access.models import RoleAssignment, User
from greencommunity.access.roles import Role
from greencommunity.audit.models import Event
from greencommunity.documents.xlsx import XLSX_CONTENT_TYPE, read_xlsx_values

HTMX = {"HX-Request": "true"}


@pytest.fixture
def county_admin(tree, make_user):
    return make_user(Role.ADMIN, tree["county"], username="county_admin")


@pytest.fixture
def city_admin(tree, make_user):
    return make_user(Role.ADMIN, tree["city"], username="city_admin")


@pytest.fixture
def resident(tree, make_user):
    """A community committee account in 桓台县."""
    return make_user(Role.COMMUNITY, tree["community"], username="xiyuan")


def _admin_urls(user):
    return [
        ("get", reverse("access:user_list")),
        ("get", reverse("access:user_create")),
        ("get", reverse("access:user_import")),
        ("get", reverse("access:user_import_template")),
        ("get", reverse("access:user_detail", args=[user.pk])),
        ("post", reverse("access:user_reset_password", args=[user.pk])),
        ("post", reverse("access:user_set_active", args=[user.pk])),
        ("post", reverse("access:role_grant", args=[user.pk])),
    ]


def test_a_non_administrator_gets_404_everywhere(client, tree, make_user, resident):
    reviewer = make_user(Role.HOUSING, tree["province"], username="reviewer")
    client.force_login(reviewer)
    for method, url in _admin_urls(resident):
        assert getattr(client, method)(url).status_code == 404, url


def test_an_anonymous_visitor_is_sent_to_sign_in(client, resident):
    response = client.get(reverse("access:user_list"))
    assert response.status_code == 302 and reverse("access:login") in response.url


def test_list_shows_accounts_of_my_regions_only(client, tree, make_user, county_admin, resident):
    # given accounts in the county, in another county and at the province
    make_user(Role.STREET, tree["other_street"], username="zhangdian")
    make_user(Role.HOUSING, tree["province"], username="province_reviewer")
    client.force_login(county_admin)
    # when the county administrator lists accounts
    body = client.get(reverse("access:user_list")).content.decode()
    # then only the county's accounts are there
    assert "xiyuan" in body and "county_admin" in body
    assert "zhangdian" not in body and "province_reviewer" not in body


def test_list_search_and_region_filter_and_htmx_partial(
    client, tree, make_user, county_admin, resident
):
    chengqu = make_user(Role.STREET, tree["street"], username="chengqu")
    chengqu.full_name = "李强"
    chengqu.save()
    client.force_login(county_admin)
    url = reverse("access:user_list")
    body = client.get(url, {"q": "李强"}).content.decode()
    assert "chengqu" in body and "xiyuan" not in body
    listed = client.get(url, {"region": "370321001000"}).context["users"]
    assert {u.username for u in listed} == {"chengqu", "xiyuan"}
    part = client.get(url, {"q": "xiyuan"}, headers=HTMX).content.decode()
    assert "<html" not in part and 'id="account-results"' in part and "xiyuan" in part


def test_list_queries_do_not_grow_with_accounts(
    client, tree, make_user, county_admin, django_assert_max_num_queries
):
    for i in range(20):
        make_user(Role.COMMUNITY, tree["community"], username=f"c{i}")
    client.force_login(county_admin)
    with django_assert_max_num_queries(12):
        assert client.get(reverse("access:user_list")).status_code == 200


def test_create_account_shows_the_initial_password_once(client, tree, county_admin):
    client.force_login(county_admin)
    response = client.post(
        reverse("access:user_create"),
        {
            "username": "new_street",
            "full_name": "新用户",
            "phone": "138",
            "organisation": "城区",
            "home_region": "370321001000",
            "role": Role.STREET,
            "role_region": "",
            "department": "",
        },
    )
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    user = User.objects.get(username="new_street")
    password = response.context["password"]
    assert password in response.content.decode()
    assert user.check_password(password) and user.must_change_password
    assert list(user.roles.values_list("role", "region__code")) == [(Role.STREET, "370321001000")]


def test_create_account_refuses_what_the_administrator_may_not_grant(client, tree, county_admin):
    client.force_login(county_admin)
    before = (User.objects.count(), RoleAssignment.objects.count(), Event.objects.count())
    # an administrator role on the administrator's own county
    response = client.post(
        reverse("access:user_create"),
        {"username": "would_be_admin", "home_region": "370321000000", "role": Role.ADMIN},
    )
    assert response.status_code == 200 and response.context["form"].errors
    # a home region in another county is not even a choice
    response = client.post(
        reverse("access:user_create"), {"username": "outsider", "home_region": "370303001000"}
    )
    assert "home_region" in response.context["form"].errors
    assert (User.objects.count(), RoleAssignment.objects.count(), Event.objects.count()) == before


def test_create_form_offers_only_my_regions(client, tree, county_admin):
    client.force_login(county_admin)
    form = client.get(reverse("access:user_create")).context["form"]
    codes = {r.code for r in form.fields["home_region"].queryset}
    assert codes == {"370321000000", "370321001000", "370321001002"}


def test_county_admin_cannot_open_a_province_account(client, tree, make_user, county_admin):
    province_user = make_user(Role.HOUSING, tree["province"], username="province_reviewer")
    client.force_login(county_admin)
    assert client.get(reverse("access:user_detail", args=[province_user.pk])).status_code == 404


def test_detail_shows_roles_and_actions(client, county_admin, resident):
    client.force_login(county_admin)
    response = client.get(reverse("access:user_detail", args=[resident.pk]))
    body = response.content.decode()
    assert response.status_code == 200
    assert "xiyuan" in body and "370321001002" in body
    assert reverse("access:user_reset_password", args=[resident.pk]) in body


def test_an_administrator_above_resets_a_password(client, county_admin, resident):
    client.force_login(county_admin)
    response = client.post(reverse("access:user_reset_password", args=[resident.pk]))
    assert response.status_code == 200 and "no-store" in response["Cache-Control"]
    password = response.context["password"]
    resident.refresh_from_db()
    assert resident.check_password(password) and resident.must_change_password
    assert not resident.check_password("Secret-pass-2026")
    assert Event.objects.filter(verb="user.password_reset", target_id=str(resident.pk)).exists()


def test_password_reset_over_htmx_answers_the_password_part(client, county_admin, resident):
    client.force_login(county_admin)
    response = client.post(reverse("access:user_reset_password", args=[resident.pk]), headers=HTMX)
    body = response.content.decode()
    assert "<html" not in body and response.context["password"] in body


def test_a_peer_or_lower_administrator_cannot_reset(
    client, tree, make_user, county_admin, city_admin
):
    peer = make_user(Role.ADMIN, tree["county"], username="peer_admin")
    client.force_login(county_admin)
    # a peer administrator of the same county, and the city administrator above
    for other in (peer, city_admin):
        before = other.password
        response = client.post(reverse("access:user_reset_password", args=[other.pk]))
        assert response.status_code == 404
        other.refresh_from_db()
        assert other.password == before
    # nor one's own password through this page
    own = client.post(reverse("access:user_reset_password", args=[county_admin.pk]))
    assert own.status_code == 404


def test_the_city_administrator_resets_the_county_administrator(client, city_admin, county_admin):
    client.force_login(city_admin)
    response = client.post(reverse("access:user_reset_password", args=[county_admin.pk]))
    assert response.status_code == 200
    county_admin.refresh_from_db()
    assert county_admin.check_password(response.context["password"])


def test_deactivate_and_activate(client, county_admin, resident):
    client.force_login(county_admin)
    url = reverse("access:user_set_active", args=[resident.pk])
    assert client.post(url, {"active": "0"}).status_code == 302
    resident.refresh_from_db()
    assert resident.is_active is False
    client.post(url, {"active": "1"})
    resident.refresh_from_db()
    assert resident.is_active is True


def test_grant_a_role_over_htmx_answers_the_roles_card(client, tree, county_admin, resident):
    client.force_login(county_admin)
    response = client.post(
        reverse("access:role_grant", args=[resident.pk]),
        {"role": Role.DEPARTMENT, "region": "370321001000", "department": "民政局"},
        headers=HTMX,
    )
    body = response.content.decode()
    assert response.status_code == 200 and "<html" not in body and 'id="account-roles"' in body
    assert resident.roles.filter(
        role=Role.DEPARTMENT, region=tree["street"], department="民政局"
    ).exists()


def test_grant_admin_on_own_county_is_refused(client, tree, county_admin, resident):
    client.force_login(county_admin)
    response = client.post(
        reverse("access:role_grant", args=[resident.pk]),
        {"role": Role.ADMIN, "region": "370321000000"},
    )
    assert response.status_code == 200 and response.context["grant_form"].errors
    assert not resident.roles.filter(role=Role.ADMIN).exists()


def test_revoke_a_role(client, county_admin, resident):
    client.force_login(county_admin)
    assignment = resident.roles.get()
    response = client.post(reverse("access:role_revoke", args=[resident.pk, assignment.pk]))
    assert response.status_code == 302
    assert not resident.roles.exists()
    assert Event.objects.filter(verb="role.revoke").exists()


def test_revoke_through_another_accounts_url_is_404(
    client, tree, make_user, county_admin, resident
):
    other = make_user(Role.STREET, tree["street"], username="chengqu")
    client.force_login(county_admin)
    url = reverse("access:role_revoke", args=[other.pk, resident.roles.get().pk])
    assert client.post(url).status_code == 404
    assert resident.roles.exists()


def test_import_page_and_template(client, county_admin):
    client.force_login(county_admin)
    page = client.get(reverse("access:user_import")).content.decode()
    assert (
        reverse("access:user_import_template") in page and 'enctype="multipart/form-data"' in page
    )
    response = client.get(reverse("access:user_import_template"))
    assert response["Content-Type"] == XLSX_CONTENT_TYPE
    assert "attachment" in response["Content-Disposition"]
    values = read_xlsx_values(response.content)
    assert values[0] == ["用户名", "姓名", "手机", "单位", "所属区划", "角色", "角色区划", "部门"]
    assert values[1][4] == "370321001002"  # the example row lies in the administrator's county
    help_sheet = read_xlsx_values(response.content, sheet=1)
    assert any(row[0] == "平台管理员" for row in help_sheet if row)


def test_import_refuses_other_file_types(client, county_admin):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(county_admin)
    response = client.post(
        reverse("access:user_import"), {"file": SimpleUploadedFile("x.txt", b"hello")}
    )
    assert response.status_code == 200 and response.context["form"].errors
