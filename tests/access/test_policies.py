"""Role x region permission matrix for the access policies and the grant machinery."""

import pytest

from greencommunity.access.grants import covers, scope_q
from greencommunity.access.policies import (
    can_administer_region,
    can_grant_role,
    can_manage_user,
    can_view_region,
    scope_regions,
    scope_users,
)
from greencommunity.access.roles import Role
from greencommunity.regions.models import Region

# Which regions of the `tree` fixture each holder (role @ region key) may view.
VIEW_MATRIX = {
    ("admin", "province"): {
        "province",
        "city",
        "county",
        "street",
        "community",
        "other_county",
        "other_street",
        "other_city",
    },
    ("housing", "city"): {"city", "county", "street", "community", "other_county", "other_street"},
    ("housing", "county"): {"county", "street", "community"},
    ("department", "county"): {"county", "street", "community"},
    ("street", "street"): {"street", "community"},
    ("community", "community"): {"community"},
    ("expert", "city"): {"city", "county", "street", "community", "other_county", "other_street"},
}
ALL_KEYS = [
    "province",
    "city",
    "county",
    "street",
    "community",
    "other_county",
    "other_street",
    "other_city",
]


@pytest.mark.parametrize(("holder", "visible"), list(VIEW_MATRIX.items()), ids=str)
def test_view_matrix(tree, make_user, holder, visible):
    # given a user holding one role on one region
    role, key = holder
    user = make_user(role, tree[key])
    # when we ask, region by region, and through the scoped queryset
    allowed = {k for k in ALL_KEYS if can_view_region(user, tree[k])}
    scoped = set(scope_regions(user, Region.objects.all()).values_list("code", flat=True))
    # then both agree with the matrix
    assert allowed == visible
    assert scoped == {tree[k].code for k in visible}


def test_user_without_roles_sees_nothing(tree, make_user):
    user = make_user(None, tree["county"])
    assert not scope_regions(user, Region.objects.all()).exists()
    assert not any(can_view_region(user, tree[k]) for k in ALL_KEYS)


def test_anonymous_and_inactive_see_nothing(tree, make_user):
    from django.contrib.auth.models import AnonymousUser

    inactive = make_user("admin", tree["province"])
    inactive.is_active = False
    assert not covers(AnonymousUser(), tree["county"].code)
    assert not covers(inactive, tree["county"].code)
    assert not scope_regions(AnonymousUser(), Region.objects.all()).exists()


def test_role_filter_limits_grants(tree, make_user):
    # a street office user is not an administrator of its street
    user = make_user("street", tree["street"])
    assert covers(user, tree["community"].code)
    assert not covers(user, tree["community"].code, roles=[Role.ADMIN])
    assert not can_administer_region(user, tree["street"])


def test_town_code_prefix_is_nine_digits(tree, make_user):
    # a town (镇, 100-199) must not be mistaken for a prefix of 7 digits
    from greencommunity.regions.services.tree import region_create

    town = region_create(actor=None, code="370321100000", name="索镇", parent=tree["county"])
    other_town = region_create(
        actor=None, code="370321101000", name="起凤镇", parent=tree["county"]
    )
    user = make_user("street", town)
    assert can_view_region(user, town)
    assert not can_view_region(user, other_town)


def test_scope_q_drops_nested_prefixes(tree, make_user):
    from greencommunity.access.models import RoleAssignment

    city_only = make_user("housing", tree["city"])
    user = make_user("housing", tree["city"])
    RoleAssignment.objects.create(user=user, role="housing", region=tree["county"])
    assert scope_q(user, "code") == scope_q(city_only, "code")


@pytest.mark.parametrize(
    ("actor_key", "target_role", "target_key", "expected"),
    [
        ("province", "housing", "county", True),  # admin above manages a county reviewer
        ("county", "community", "community", True),  # county admin manages its community
        ("county", "housing", "other_county", False),  # not another county's user
        ("county", "housing", "city", False),  # nor a user above it
        ("province", "admin", "county", True),  # a province admin manages a county admin
        ("county", "admin", "county", False),  # a peer admin on the same county: no
    ],
)
def test_manage_user_matrix(tree, make_user, actor_key, target_role, target_key, expected):
    actor = make_user("admin", tree[actor_key])
    target = make_user(target_role, tree[target_key])
    assert can_manage_user(actor, target) is expected
    assert (target in scope_users(actor, type(target).objects.all())) is (
        tree[target_key].code.startswith(tree[actor_key].prefix)
    )


def test_nobody_manages_themselves(tree, make_user):
    admin = make_user("admin", tree["province"])
    assert not can_manage_user(admin, admin)


@pytest.mark.parametrize(
    ("actor_key", "role", "region_key", "expected"),
    [
        ("county", "community", "community", True),
        ("county", "street", "street", True),
        ("county", "street", "county", False),  # street role only on a street
        ("county", "admin", "county", False),  # only strictly below
        ("county", "admin", "other_county", False),
        ("city", "admin", "county", True),
        ("county", "housing", "other_county", False),
    ],
)
def test_grant_role_matrix(tree, make_user, actor_key, role, region_key, expected):
    actor = make_user("admin", tree[actor_key])
    assert can_grant_role(actor, role, tree[region_key]) is expected


def test_role_grant_service_refuses_an_account_the_actor_does_not_manage(tree, make_user):
    # given a county administrator and a reviewer of the city above
    from greencommunity.access.services.users import role_grant
    from greencommunity.core.errors import NotFound

    county_admin = make_user("admin", tree["county"])
    city_reviewer = make_user("housing", tree["city"])
    # when the county administrator grants that account a role in the county
    # then the account does not exist for them, and nothing is granted
    with pytest.raises(NotFound):
        role_grant(
            actor=county_admin, user=city_reviewer, role="community", region=tree["community"]
        )
    assert city_reviewer.roles.count() == 1


def test_granting_a_held_role_again_writes_no_event(tree, make_user):
    from greencommunity.access.services.users import role_grant
    from greencommunity.audit.models import Event

    admin = make_user("admin", tree["county"])
    user = make_user("community", tree["community"])
    before = Event.objects.filter(verb="role.grant").count()
    role_grant(actor=admin, user=user, role="community", region=tree["community"])
    assert Event.objects.filter(verb="role.grant").count() == before
