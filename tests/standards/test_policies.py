"""Role x region permission matrix for standards: who sees, edits, derives and adopts."""

from datetime import date

import pytest

from greencommunity.access.models import User
from greencommunity.core.errors import NotFound, PermissionDenied
from greencommunity.standards.models import Standard
from greencommunity.standards.policies import (
    can_adopt_standard,
    can_derive_standard,
    can_edit_standard,
    can_view_standard,
    scope_standards,
)
from greencommunity.standards.services.drafts import standard_update_draft
from greencommunity.standards.services.versions import (
    standard_adopt,
    standard_derive,
    standard_publish,
)

HOLDERS = [
    ("admin", "province"),
    ("housing", "city"),
    ("housing", "county"),
    ("department", "county"),
    ("street", "street"),
    ("community", "community"),
    ("housing", "other_county"),
    ("expert", "city"),
]
EVERYONE = set(HOLDERS)
# Which holders see each standard of the `standards` fixture.
VIEW = {
    "national": EVERYONE,
    "city": EVERYONE,  # 淄博市 is on every holder's path (an ancestor or their own subtree)
    "county": EVERYONE - {("housing", "other_county")},  # 桓台县's published standard
    "county_draft": {  # officials over 桓台县 only
        ("admin", "province"),
        ("housing", "city"),
        ("housing", "county"),
        ("department", "county"),
    },
    "other_county": {
        ("admin", "province"),
        ("housing", "city"),
        ("housing", "other_county"),
        ("expert", "city"),
    },
}
EDIT = {
    "national": set(),
    "city": {("admin", "province"), ("housing", "city")},
    "county": {("admin", "province"), ("housing", "city"), ("housing", "county")},
    "county_draft": {("admin", "province"), ("housing", "city"), ("housing", "county")},
    "other_county": {("admin", "province"), ("housing", "city"), ("housing", "other_county")},
}


def _national() -> Standard:
    return Standard.objects.get(key="national-2020", version=1)


@pytest.fixture
def standards(tree):
    """National; 淄博市's and 张店区's published refinements; 桓台县's built-in (published) and a
    draft refinement of it."""
    national = _national()
    city = standard_derive(
        actor=None, parent=national, region=tree["city"], key="zibo", name="淄博市标准"
    )
    standard_publish(actor=None, standard=city)
    other = standard_derive(
        actor=None, parent=city, region=tree["other_county"], key="zhangdian", name="张店区标准"
    )
    standard_publish(actor=None, standard=other)
    county = Standard.objects.get(key="huantai-2021")
    draft = standard_derive(
        actor=None, parent=county, region=tree["county"], key="huantai-2025", name="桓台县 2025"
    )
    return {
        "national": national,
        "city": city,
        "county": county,
        "county_draft": draft,
        "other_county": other,
    }


@pytest.mark.parametrize("holder", HOLDERS, ids=str)
def test_view_and_edit_matrix(tree, make_user, standards, holder):
    # given a user holding one role on one region
    role, key = holder
    user = make_user(role, tree[key])
    # when we ask standard by standard, and through the scoped queryset
    visible = {name for name, s in standards.items() if can_view_standard(user, s)}
    editable = {name for name, s in standards.items() if can_edit_standard(user, s)}
    scoped = set(scope_standards(user, Standard.objects.all()))
    # then they agree with the matrix, and the queryset with the single checks
    assert visible == {name for name, who in VIEW.items() if holder in who}
    assert editable == {name for name, who in EDIT.items() if holder in who}
    assert scoped == {s for s in Standard.objects.all() if can_view_standard(user, s)}


def test_other_provinces_standards_are_not_on_a_shandong_path(tree, make_user, standards):
    user = make_user("housing", tree["county"])
    keys = set(scope_standards(user, Standard.objects.all()).values_list("key", flat=True))
    assert "tianjin-2020" not in keys and "sichuan-2020" not in keys
    assert {"national-2020", "huantai-2021", "zibo", "huantai-2025"} <= keys


def test_no_role_sees_nothing_and_superuser_sees_everything(tree, make_user, standards):
    nobody = make_user()
    root = User.objects.create_superuser(username="root", password="Secret-pass-2026")
    assert not scope_standards(nobody, Standard.objects.all()).exists()
    assert not can_view_standard(nobody, standards["national"])
    assert scope_standards(root, Standard.objects.all()).count() == Standard.objects.count()
    assert can_edit_standard(root, standards["national"])


def test_county_housing_derives_for_its_county_not_for_the_city(tree, make_user):
    # given the housing department of 桓台县
    user = make_user("housing", tree["county"])
    assert can_derive_standard(user, _national(), tree["county"])
    assert not can_derive_standard(user, _national(), tree["city"])
    # when it derives the national standard for itself, then for the city
    mine = standard_derive(
        actor=user, parent=_national(), region=tree["county"], key="ht", name="桓台县细则"
    )
    with pytest.raises(PermissionDenied):
        standard_derive(actor=user, parent=_national(), region=tree["city"], key="zb", name="x")
    # then only the first exists, issued by the county
    assert mine.issuing_code == tree["county"].code
    assert not Standard.objects.filter(key="zb").exists()


def test_community_user_views_but_does_not_edit(tree, make_user, standards):
    user = make_user("community", tree["community"])
    huantai = standards["county"]
    assert can_view_standard(user, huantai) and not can_edit_standard(user, huantai)
    with pytest.raises(PermissionDenied):
        standard_derive(actor=user, parent=huantai, region=tree["community"], key="x", name="x")
    with pytest.raises(PermissionDenied):
        standard_adopt(
            actor=user, region=tree["community"], standard=huantai, effective_from=date(2025, 1, 1)
        )
    # the county's draft is not even there for them
    with pytest.raises(NotFound):
        standard_update_draft(actor=user, standard=standards["county_draft"], name="改名")


def test_other_county_cannot_see_the_countys_draft(tree, make_user, standards):
    user = make_user("housing", tree["other_county"])
    draft = standards["county_draft"]
    assert not can_view_standard(user, draft)
    assert draft not in scope_standards(user, Standard.objects.all())
    with pytest.raises(NotFound):
        standard_publish(actor=user, standard=draft)
    draft.refresh_from_db()
    assert draft.status == "draft"


def test_adoption_needs_editor_role_over_the_adopting_region(tree, make_user, standards):
    county = make_user("housing", tree["county"])
    city = make_user("housing", tree["city"])
    national = standards["national"]
    assert can_adopt_standard(county, tree["county"], national)
    assert can_adopt_standard(county, tree["street"], national)
    assert not can_adopt_standard(county, tree["city"], national)
    assert can_adopt_standard(city, tree["county"], national)
    with pytest.raises(PermissionDenied):
        standard_adopt(
            actor=county, region=tree["city"], standard=national, effective_from=date(2025, 1, 1)
        )
