"""Browser journey through the standards pages: 桓台县's housing department opens the
catalogue and its county's standard, starts a new version, lowers a criterion's points in
place (the publishing check follows), fixes the area's subtotal, publishes, compares the
new version with the old one and adopts it for the county; axe-core on every page,
screenshots to test-artifacts/standards-*.png.

Locators use element ids, data attributes and addresses rather than the pages' words, so
the journey holds before and after their Chinese translations land.
"""

import re

import pytest

from e2e_kit import E2E
from e2e_kit import shot as kit_shot
from e2e_kit import visit as kit_visit
from greencommunity.access.roles import Role

playwright_sync = pytest.importorskip("playwright.sync_api")
expect = playwright_sync.expect

PASSWORD = "Secret-pass-2026"
COUNTY = "370321000000"

pytestmark = E2E


def visit(page, name: str) -> None:
    kit_visit(page, f"standards-{name}")


def shot(page, name: str) -> None:
    kit_shot(page, f"standards-{name}")


@pytest.fixture
def builtins(transactional_db):
    """The built-in standards: the flush ending an earlier transactional test removed the rows
    the data migration loaded."""
    from types import SimpleNamespace

    from greencommunity.regions.models import Indicator
    from greencommunity.standards.builtin import BUILTIN
    from greencommunity.standards.loader import standard_load
    from greencommunity.standards.models import Area, Criterion, Standard, SubCondition

    models = SimpleNamespace(
        Standard=Standard,
        Area=Area,
        Criterion=Criterion,
        SubCondition=SubCondition,
        Indicator=Indicator,
    )
    for data in BUILTIN:
        standard_load(data, models)


def no_sideways_scroll(page) -> bool:
    return not page.evaluate(
        "() => document.documentElement.scrollWidth > document.documentElement.clientWidth"
    )


def test_county_housing_versions_and_adopts_its_standard(
    live_server, transactional_db, builtins, tree, make_user, page
):
    from greencommunity.standards.models import Standard

    make_user(Role.HOUSING, tree["county"], username="zhujian")
    base = live_server.url
    huantai = Standard.objects.get(key="huantai-2021", version=1)
    page.set_default_timeout(30_000)  # a busy machine (parallel suites) serves slowly

    # Sign in
    page.goto(base + "/accounts/login/")
    page.get_by_label("用户名").fill("zhujian")
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录", exact=True).click()
    expect(page).to_have_url(base + "/")

    # The catalogue: the national standard and the county's own, the one in force marked
    page.goto(base + "/standards/")
    table = page.locator("#standard-table")
    expect(table.locator("tbody tr")).to_have_count(2)
    expect(table.locator('tr[data-key="national-2020"]')).to_have_attribute("data-in-force", "true")
    expect(page.locator("#home-in-force")).to_be_visible()
    visit(page, "list")

    # The status filter refreshes the results in place
    page.locator("#id_status").select_option("draft")
    expect(table).to_have_count(0)
    expect(page).to_have_url(re.compile(r"status=draft"))
    page.locator("#id_status").select_option("")
    expect(table.locator("tbody tr")).to_have_count(2)

    # 桓台县's standard: description, pass rule, criteria, actions
    table.locator('tr[data-key="huantai-2021"] a').first.click()
    expect(page).to_have_url(f"{base}/standards/{huantai.pk}/")
    expect(page.locator("h1")).to_have_text(huantai.name)
    expect(page.locator("#criteria-table tr[data-criterion]")).to_have_count(20)
    expect(page.locator("#standard-description")).to_contain_text("80")
    expect(page.locator("#export-json")).to_have_attribute(
        "href", f"/standards/{huantai.pk}/export.json"
    )
    visit(page, "detail")

    # A new version: a draft copy that may be published as it is
    page.locator("#new-version").click()
    expect(page).not_to_have_url(f"{base}/standards/{huantai.pk}/")
    v2 = Standard.objects.get(key="huantai-2021", version=2)
    expect(page).to_have_url(f"{base}/standards/{v2.pk}/")
    expect(page.locator(".gc-page-subtitle [data-status=draft]")).to_be_visible()
    expect(page.locator("#publish-ready")).to_be_visible()

    # Criterion 1 is worth 4 points instead of 5, edited in its row
    page.locator('a[data-edit-criterion="1"]').click()
    editing = page.locator("#criteria tr.table-active")
    points = editing.locator('input[name$="-points"]')
    expect(points).to_have_value("5")
    visit(page, "criterion-editing")
    points.fill("4")
    editing.locator("button[type=submit]").click()
    expect(page.locator("#criteria tr.table-active")).to_have_count(0)
    expect(page.locator("#criterion-1 [data-points]")).to_have_text("4")
    expect(page.locator("#standard-facts")).to_contain_text("99")  # the total follows
    # the publishing check follows: area 1 no longer adds up to its 20 points
    expect(page.locator('#publish-problems li[data-code="area_points"]')).to_be_visible()
    expect(page.locator("#publish-standard")).to_be_disabled()

    # Area 1 is worth 19 now
    page.locator('a[data-edit-area="1"]').click()
    page.locator('#criteria tr.table-active input[name$="-points"]').fill("19")
    page.locator("#criteria tr.table-active button[type=submit]").click()
    expect(page.locator("#publish-ready")).to_be_visible()
    visit(page, "draft")

    # Publish it
    page.locator("#publish-standard").click()
    expect(page.locator(".alert-success")).to_be_visible()
    expect(page.locator(".gc-page-subtitle [data-status=published]")).to_be_visible()

    # Compare with version 1: one criterion changed, its points highlighted
    page.locator("#compare-standard").click()
    expect(page).to_have_url(f"{base}/standards/{v2.pk}/diff/")
    expect(page.locator('#diff-table tr[data-diff="changed"]')).to_have_count(1)
    changed = page.locator('#diff-table tr[data-diff="changed"]')
    expect(changed).to_have_attribute("data-criterion", "1")
    expect(changed.locator('[data-changed="points"]')).to_have_count(2)
    visit(page, "diff")

    # Adopt version 2 for the county, from today
    page.goto(f"{base}/standards/{v2.pk}/")
    page.locator("#region-in-force").click()
    expect(page).to_have_url(f"{base}/standards/regions/{COUNTY}/")
    page.locator("#id_standard").select_option(str(v2.pk))
    page.locator("#adopt-form button[type=submit]").click()
    expect(page.locator(".alert-success")).to_be_visible()
    expect(page.locator("#in-force-standard a")).to_have_attribute("href", f"/standards/{v2.pk}/")
    expect(page.locator("#adoption-history tbody tr")).to_have_count(1)
    visit(page, "adopt")

    # The catalogue now marks version 2 as the one in force
    page.goto(base + "/standards/")
    expect(page.locator(f'#standard-table tr[data-standard="{v2.pk}"]')).to_have_attribute(
        "data-in-force", "true"
    )

    # A phone: the catalogue and the standard's page never scroll sideways
    page.set_viewport_size({"width": 360, "height": 740})
    assert no_sideways_scroll(page), "the catalogue scrolls sideways at 360 px"
    shot(page, "list-mobile")
    page.goto(f"{base}/standards/{v2.pk}/")
    assert no_sideways_scroll(page), "the standard's page scrolls sideways at 360 px"
    shot(page, "detail-mobile")


def test_county_housing_refines_the_national_standard_and_imports_a_file(
    live_server, transactional_db, builtins, tree, make_user, page, tmp_path
):
    from greencommunity.standards.models import Standard

    make_user(Role.HOUSING, tree["county"], username="zhujian")
    base = live_server.url
    national = Standard.objects.get(key="national-2020", version=1)
    page.set_default_timeout(30_000)
    page.goto(base + "/accounts/login/")
    page.get_by_label("用户名").fill("zhujian")
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录", exact=True).click()
    expect(page).to_have_url(base + "/")

    # Refine the national standard for the county
    page.goto(f"{base}/standards/{national.pk}/")
    page.locator("#derive-standard").click()
    expect(page.locator("#id_region")).to_have_value(COUNTY)
    page.locator("#id_key").fill("huantai 2026")  # a space: refused at the field
    page.locator("#id_name").fill("桓台县绿色社区创建标准（2026）")
    page.locator("#derive-form button[type=submit]").click()
    expect(page.locator("#id_key_errors")).to_be_visible()
    visit(page, "derive-errors")
    page.locator("#id_key").fill("huantai-2026")
    page.locator("#derive-form button[type=submit]").click()
    expect(page).not_to_have_url(re.compile(r"/derive/$"))
    child = Standard.objects.get(key="huantai-2026")
    expect(page).to_have_url(f"{base}/standards/{child.pk}/")
    expect(page.locator("#parent-standard a")).to_have_attribute(
        "href", f"/standards/{national.pk}/"
    )
    expect(page.locator("[data-parent-criterion]")).to_have_count(16)

    # Its own pass rule and dates: an end before the start is refused at its field
    page.locator("#edit-standard").click()
    page.locator("#id_effective_from").fill("2026-01-01")
    page.locator("#id_effective_to").fill("2025-12-31")
    page.locator("#standard-form button[type=submit]").click()
    expect(page.locator("#id_effective_to_errors")).to_be_visible()
    visit(page, "edit-errors")
    page.locator("#id_effective_to").fill("")
    page.locator("#standard-form button[type=submit]").click()
    expect(page).to_have_url(re.compile(rf"/standards/{child.pk}/#top$"))
    expect(page.locator("#standard-facts")).to_contain_text("2026-01-01")

    # Import: a file with a mistake lists the row errors and imports nothing
    bad = tmp_path / "bad.json"
    bad.write_text('{"key": "x y", "areas": []}', encoding="utf-8")
    page.goto(base + "/standards/")
    page.locator("#standards-import").click()
    expect(page.locator("#standard-template")).to_have_attribute("href", "/standards/template.xlsx")
    page.locator("#id_file").set_input_files(str(bad))
    page.locator("#import-form button[type=submit]").click()
    expect(page.locator("#import-errors tbody tr").first).to_be_visible()
    visit(page, "import-errors")
    assert not Standard.objects.filter(key="x y").exists()
