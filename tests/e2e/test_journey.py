"""Browser journey: first login, forced password change, the region tree, the audit trail,
language and text-size switches, and the phone-width layout, with axe-core at every page.

Screenshots go to test-artifacts/ (git-ignored) for a person to look at.
"""

import re

import pytest

from e2e_kit import E2E, shot, visit
from greencommunity.access.roles import Role

playwright_sync = pytest.importorskip("playwright.sync_api")
expect = playwright_sync.expect

PASSWORD = "Secret-pass-2026"
NEW_PASSWORD = "Lvse-Shequ-2027"

pytestmark = E2E


def open_in_table(page, name: str) -> None:
    page.locator("main").get_by_role("link", name=name, exact=True).click()
    expect(page.locator("h1")).to_have_text(name)


def test_first_login_journey(live_server, transactional_db, tree, make_user, page):
    user = make_user(Role.HOUSING, tree["province"], username="shenhe", must_change_password=True)
    user.full_name = "李审核"
    user.save(update_fields=["full_name"])
    base = live_server.url

    # Login page, in Chinese by default
    page.goto(base + "/")
    expect(page).to_have_url(re.compile(r"/accounts/login/"))
    expect(page.locator("html")).to_have_attribute("lang", "zh-hans")
    expect(page.locator("h1")).to_have_text("用户登录")
    visit(page, "01-login")

    page.get_by_label("用户名").fill("shenhe")
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录", exact=True).click()

    # Sent to the forced password change
    expect(page).to_have_url(re.compile(r"/accounts/password/change/"))
    expect(page.locator(".alert-warning")).to_contain_text("请先设置您自己的密码")
    visit(page, "02-password-change")

    page.get_by_label("当前密码").fill(PASSWORD)
    page.locator("#id_new_password1").fill(NEW_PASSWORD)
    page.get_by_label("再次输入新密码").fill(NEW_PASSWORD)
    page.get_by_role("button", name="修改密码").click()

    # Home, with the success message and the user's roles
    expect(page).to_have_url(base + "/")
    expect(page.locator(".alert-success")).to_contain_text("密码已修改")
    expect(page.locator("h1")).to_contain_text("李审核")
    expect(page.locator("main")).to_contain_text("山东省")
    visit(page, "03-home")

    # The region tree, from the province down to a community
    page.get_by_role("navigation", name="主导航").get_by_role("link", name="行政区划").click()
    expect(page.locator("h1")).to_have_text("行政区划")
    visit(page, "04-regions")
    open_in_table(page, "山东省")
    open_in_table(page, "淄博市")
    visit(page, "05-city")
    open_in_table(page, "桓台县")
    open_in_table(page, "城区街道")
    open_in_table(page, "西苑社区")
    breadcrumbs = page.get_by_role("navigation", name="路径导航")
    expect(breadcrumbs).to_contain_text("山东省")
    expect(breadcrumbs).to_contain_text("淄博市")
    expect(breadcrumbs).to_contain_text("桓台县")
    expect(breadcrumbs).to_contain_text("城区街道")
    visit(page, "06-community")

    # Back up by the breadcrumbs, then to the county's audit events
    breadcrumbs.get_by_role("link", name="桓台县").click()
    expect(page.locator("h1")).to_have_text("桓台县")
    page.get_by_role("link", name="本区划审计日志").click()
    expect(page.locator("h1")).to_have_text("审计日志")
    expect(page.locator("main")).to_contain_text("桓台县")
    visit(page, "07-audit-county")

    # The whole audit trail shows the password change
    nav = page.get_by_role("navigation", name="主导航")
    nav.locator("#gc-user-menu").click()
    nav.get_by_role("link", name="审计日志").click()
    row = page.locator("tbody tr", has_text="修改密码").first
    expect(row).to_contain_text("shenhe")
    expect(row).to_contain_text("山东省")
    page.locator("details summary").first.click()
    visit(page, "08-audit")

    # English and back
    page.get_by_role("button", name=re.compile("语言")).click()
    page.get_by_role("button", name="English").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.locator("h1")).to_have_text("Audit trail")
    visit(page, "09-audit-english")
    # English labels are longer: below 1400 px its menu folds behind the menu button
    page.get_by_role("button", name="Show or hide the menu").click()
    page.wait_for_selector("#gc-nav.show")
    page.get_by_role("button", name=re.compile("Language")).click()
    page.get_by_role("button", name="简体中文").click()
    expect(page.locator("html")).to_have_attribute("lang", "zh-hans")
    expect(page.locator("h1")).to_have_text("审计日志")

    # Larger text
    page.goto(base + "/")
    normal = page.evaluate("() => getComputedStyle(document.documentElement).fontSize")
    page.get_by_role("button", name="大字号").click()
    expect(page.locator("html")).to_have_class(re.compile("gc-large-text"))
    large = page.evaluate("() => getComputedStyle(document.documentElement).fontSize")
    assert float(large.rstrip("px")) >= 1.2 * float(normal.rstrip("px"))
    visit(page, "10-home-large-text")
    # larger text needs more room: below 1400 px the menu folds behind its button
    page.get_by_role("button", name="展开或收起菜单").click()
    switch = page.get_by_role("button", name="大字号")
    expect(switch).to_have_attribute("aria-pressed", "true")
    page.wait_for_selector("#gc-nav.show")
    shot(page, "10b-large-text-menu")
    switch.click()
    expect(page.locator("html")).not_to_have_class(re.compile("gc-large-text"))

    # A 360-px phone: the navigation collapses behind the menu button
    page.set_viewport_size({"width": 360, "height": 740})
    page.goto(base + "/regions/370321000000/")
    nav = page.get_by_role("navigation", name="主导航")
    toggler = nav.get_by_role("button", name="展开或收起菜单")
    expect(toggler).to_be_visible()
    expect(nav.get_by_role("link", name="行政区划")).to_be_hidden()
    has_overflow = page.evaluate(
        "() => document.documentElement.scrollWidth > document.documentElement.clientWidth"
    )
    assert not has_overflow, "the page scrolls sideways at 360 px"
    visit(page, "11-mobile")
    toggler.click()
    expect(nav.get_by_role("link", name="行政区划")).to_be_visible()
    visit(page, "12-mobile-menu")

    # Keyboard: the first Tab reaches the skip link
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(base + "/")
    page.keyboard.press("Tab")
    expect(page.locator(":focus")).to_have_text("跳到主要内容")

    # Log out
    page.get_by_role("button", name=re.compile("账号菜单")).click()
    page.get_by_role("button", name="退出登录").click()
    expect(page).to_have_url(re.compile(r"/accounts/login/"))
    expect(page.locator(".alert")).to_contain_text("您已退出登录")
