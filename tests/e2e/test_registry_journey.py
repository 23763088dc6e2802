"""Browser journey through the community registry: a street office finds a community, edits
its profile (with a validation error first), adds a compound in renovation and edits it in
place, enters an indicator, and sees the profile change in the community's history; axe-core
on every page, screenshots to test-artifacts/registry-*.png.

Locators use element ids and addresses rather than the new pages' words, so the journey holds
before and after their Chinese translations land.
"""

import re
from datetime import date

import pytest

from e2e_kit import E2E
from e2e_kit import shot as kit_shot
from e2e_kit import visit as kit_visit
from greencommunity.access.roles import Role

playwright_sync = pytest.importorskip("playwright.sync_api")
expect = playwright_sync.expect

PASSWORD = "Secret-pass-2026"
THIS_YEAR = date.today().year

pytestmark = E2E


def visit(page, name: str) -> None:
    kit_visit(page, f"registry-{name}")


def shot(page, name: str) -> None:
    kit_shot(page, f"registry-{name}")


@pytest.fixture
def registry(tree):
    """城区街道 with 西苑社区 and a few more communities; 西苑社区 has a leader."""
    from greencommunity.regions.models import Community
    from greencommunity.regions.services.communities import community_update_profile
    from greencommunity.regions.services.tree import region_create

    for code, name in [
        ("370321001003", "东苑社区"),
        ("370321001004", "华沟社区"),
        ("370321001201", "马桥村"),
    ]:
        region_create(actor=None, code=code, name=name, parent=tree["street"])
    xiyuan = Community.objects.get(region=tree["community"])
    community_update_profile(
        actor=None,
        community=xiyuan,
        address="城区街道西苑路 1 号",
        leader_name="王主任",
        leader_phone="13812340000",
        households=1200,
        residents=3400,
        area_ha="12.5",
    )
    return tree


def test_street_office_keeps_a_community_profile(
    live_server, transactional_db, registry, make_user, page
):
    make_user(Role.STREET, registry["street"], username="chengqu")
    base = live_server.url

    # Sign in
    page.goto(base + "/")
    page.get_by_label("用户名").fill("chengqu")
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录", exact=True).click()
    expect(page).to_have_url(base + "/")

    # The community list, from the main navigation
    nav = page.get_by_role("navigation", name="主导航")
    nav.locator('a[href="/regions/communities/"]').click()
    expect(page).to_have_url(re.compile(r"/regions/communities/$"))
    results = page.locator("#community-results")
    expect(results.locator("tbody tr")).to_have_count(4)
    visit(page, "01-list")

    # Search: the results refresh in place (htmx) and the address follows
    page.locator("#id_q").fill("西苑")
    expect(results.locator("tbody tr")).to_have_count(1)
    expect(results).to_contain_text("西苑社区")
    expect(page).to_have_url(re.compile(r"q=%E8%A5%BF%E8%8B%91|q=西苑"))
    shot(page, "02-list-search")

    results.get_by_role("link", name="西苑社区").click()
    expect(page.locator("h1")).to_have_text("西苑社区")
    expect(page.locator("#leader-phone")).to_have_text("13812340000")  # an editor sees it
    visit(page, "03-detail")

    # Edit the profile: a negative number is refused at its field, then fixed
    page.locator('a[href="/regions/communities/370321001002/edit/"]').click()
    page.locator("#id_households").fill("-5")
    page.locator("#id_leader_phone").fill("0533-8123456")
    page.locator("main form button[type=submit]").click()
    expect(page.locator("#id_households_errors")).to_be_visible()
    expect(page.locator("#id_households")).to_have_attribute("aria-invalid", "true")
    visit(page, "04-edit-errors")
    page.locator("#id_households").fill("1250")
    page.locator("main form button[type=submit]").click()
    expect(page.locator("h1")).to_have_text("西苑社区")
    expect(page.locator(".alert-success")).to_be_visible()
    expect(page.locator("#leader-phone")).to_have_text("0533-8123456")
    expect(page.locator("main")).to_contain_text("1250")

    # Add a compound in renovation, in place
    compounds = page.locator("#compounds")
    page.locator("#id_new-name").fill("西苑一区")
    page.locator("#id_new-build_year").fill("1996")
    page.locator("#id_new-renovation_status").select_option("in_progress")
    page.locator("#id_new-renovation_year").fill(str(THIS_YEAR))
    compounds.locator("form[hx-post$='/compounds/'] button[type=submit]").click()
    row = compounds.locator("tbody tr", has_text="西苑一区")
    expect(row).to_be_visible()
    expect(row).to_contain_text("1996")
    expect(page.locator("#id_new-name")).to_have_value("")
    # the renovation completion follows: one compound in a programme, none done yet
    completion = page.locator("#indicators tbody tr").last
    expect(completion.locator("td").nth(1)).to_contain_text("0")

    # Edit the compound in its row: the renovation is done
    row.locator("a[hx-get]").click()
    form_row = compounds.locator("tr.table-active")
    expect(form_row.locator("input").first).to_have_value("西苑一区")
    visit(page, "05-compound-editing")
    form_row.locator("select").select_option("done")
    form_row.locator("button[type=submit]").click()
    expect(compounds.locator("tr.table-active")).to_have_count(0)
    expect(completion.locator("td").nth(1)).to_contain_text("100")

    # Enter this year's green ratio in its row
    green = page.locator("#indicators tbody tr").nth(1)
    green.locator("a[hx-get]").click()
    editing = page.locator("#indicators tr.table-active")
    editing.locator("input[inputmode=decimal]").last.fill("31.5")  # this year
    editing.locator("button[type=submit]").click()
    expect(page.locator("#indicators tr.table-active")).to_have_count(0)
    expect(page.locator("#indicators tbody tr").nth(1)).to_contain_text("31.5")
    visit(page, "06-detail-edited")

    # The community's history shows the profile change, before → after
    page.locator('a[href^="/audit/object/regions.region/"]').click()
    expect(page.locator("h1")).to_have_text("审计日志")
    event = page.locator("tbody tr", has_text="community.update_profile").first
    expect(event).to_contain_text("chengqu")
    event.locator("details summary").click()
    changes = event.locator(".gc-change-table")
    expect(changes).to_contain_text("households")
    expect(changes).to_contain_text("1200")
    expect(changes).to_contain_text("1250")
    expect(changes).to_contain_text("0533-8123456")
    expect(page.locator("main")).to_contain_text("compound.create")
    visit(page, "07-history")

    # A phone: the detail page stacks its tables and never scrolls sideways
    page.set_viewport_size({"width": 360, "height": 740})
    page.goto(base + "/regions/communities/370321001002/")
    has_overflow = page.evaluate(
        "() => document.documentElement.scrollWidth > document.documentElement.clientWidth"
    )
    assert not has_overflow, "the detail page scrolls sideways at 360 px"
    visit(page, "08-detail-mobile")
    page.goto(base + "/regions/communities/?q=苑")
    expect(page.locator("#community-results tbody tr")).to_have_count(2)
    has_overflow = page.evaluate(
        "() => document.documentElement.scrollWidth > document.documentElement.clientWidth"
    )
    assert not has_overflow, "the list scrolls sideways at 360 px"
    visit(page, "08-list-mobile")


def test_a_reader_sees_the_phone_masked(live_server, transactional_db, registry, make_user, page):
    make_user(Role.DEPARTMENT, registry["county"], username="minzheng")
    base = live_server.url
    page.goto(base + "/accounts/login/")
    page.get_by_label("用户名").fill("minzheng")
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录", exact=True).click()
    page.goto(base + "/regions/communities/370321001002/")
    expect(page.locator("#leader-phone")).to_have_text("138****0000")
    expect(page.locator("#indicators tbody tr")).to_have_count(7)
    expect(page.locator("#indicators a[hx-get]")).to_have_count(0)
    expect(page.locator('a[href$="/edit/"]')).to_have_count(0)
    expect(page.locator("#id_new-name")).to_have_count(0)
    visit(page, "10-detail-reader")
