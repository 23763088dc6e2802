import pytest

from greencommunity.audit.models import Event
from greencommunity.core.errors import ApplicationError, PermissionDenied
from greencommunity.regions.codes import ancestor_codes, level_of_code
from greencommunity.regions.services.tree import region_create


@pytest.mark.parametrize(
    ("code", "level"),
    [
        ("370000000000", "province"),
        ("370300000000", "city"),
        ("370321000000", "county"),
        ("370321001000", "street"),
        ("370321100000", "street"),
        ("370321001002", "community"),
        ("441900003000", "street"),  # 东莞市: towns directly under the city
    ],
)
def test_level_of_code(code, level):
    assert level_of_code(code) == level


def test_ancestor_codes_top_first():
    assert ancestor_codes("370321001002") == [
        "370000000000",
        "370300000000",
        "370321000000",
        "370321001000",
    ]


def test_create_records_an_audit_event(tree):
    event = Event.objects.filter(verb="region.create", target_id=str(tree["county"].pk)).get()
    assert event.after["parent"] == "370300000000" and event.region_code == "370321000000"


@pytest.mark.parametrize("code", ["37032100100", "3703210010021", "37032100100A"])
def test_bad_codes_are_refused(tree, code):
    with pytest.raises(ApplicationError, match=code):
        region_create(actor=None, code=code, name="x", parent=tree["street"])


def test_a_region_outside_its_parent_is_refused(tree):
    with pytest.raises(ApplicationError):
        region_create(actor=None, code="370303001001", name="x", parent=tree["street"])


def test_only_an_administrator_above_may_add(tree, make_user):
    reviewer = make_user("housing", tree["county"])
    with pytest.raises(PermissionDenied):
        region_create(actor=reviewer, code="370321001003", name="新社区", parent=tree["street"])
    admin = make_user("admin", tree["county"])
    region = region_create(actor=admin, code="370321001003", name="新社区", parent=tree["street"])
    assert region.prefix == "370321001003"


@pytest.mark.parametrize(
    ("codes", "expected"),
    [
        (["370321001002", "370321001003"], "370321001000"),
        (["370321001002", "370321100001"], "370321000000"),
        (["370321001002", "370303001001"], "370300000000"),
        (["370321001002", "440100000000"], ""),
        (["370321001002"], "370321001002"),
        ([], ""),
    ],
)
def test_common_ancestor_code(codes, expected):
    from greencommunity.regions.codes import common_ancestor_code

    assert common_ancestor_code(codes) == expected
