"""Browser check of the title pages: the province's housing department lists its titles,
filters them in place, opens one and puts it under rectification; then, without signing in,
the public list and the verification page a plaque's QR code opens (valid, then revoked, then
an unknown certificate). axe-core on every page, screenshots to test-artifacts/titles-*.png.

Locators use element ids and addresses, so the check holds once the words are translated.
"""

import re
from datetime import date

import pytest

from e2e_kit import E2E
from e2e_kit import visit as kit_visit
from reviews import fixtures_titles
from reviews.fixtures_titles import grant

playwright_sync = pytest.importorskip("playwright.sync_api")
expect = playwright_sync.expect

people, sichuan = fixtures_titles.people, fixtures_titles.sichuan  # fixtures
PASSWORD = "Secret-pass-2026"

pytestmark = E2E


def visit(page, name: str) -> None:
    kit_visit(page, f"titles-{name}")


@pytest.fixture
def titles(sichuan):
    return {
        "dongyu": grant(sichuan["dongyu"], year=2021, named_on=date(2021, 12, 1)),
        "yuefu": grant(sichuan["yuefu"], year=2022),
        "kuanxiang": grant(sichuan["kuanxiang"], kind="demonstration"),
        "dongjie": grant(sichuan["dongjie"], year=2021, named_on=date(2021, 12, 1)),
    }


def test_title_pages_and_public_verification(live_server, transactional_db, people, titles,
                                             page):  # fmt: skip
    base = live_server.url
    page.set_default_timeout(30_000)  # the first request loads every app; CI machines are busy
    page.goto(base + "/titles/")
    page.get_by_label("用户名").fill("jj_housing")
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录", exact=True).click()
    expect(page).to_have_url(base + "/titles/")

    # 锦江区 sees its two titles, and filters them in place
    results = page.locator("#title-results")
    expect(results.locator("tbody tr")).to_have_count(2)
    visit(page, "01-list")
    page.locator("#id_year").select_option("2021")
    expect(results.locator("tbody tr")).to_have_count(1)
    expect(page).to_have_url(re.compile(r"year=2021"))

    # the title: put it under rectification
    dongyu = titles["dongyu"]
    results.locator(f'a[href="/titles/{dongyu.pk}/"]').click()
    expect(page.locator(".gc-page-subtitle")).to_contain_text(dongyu.certificate_number)
    page.locator("#id_status").select_option("under_rectification")
    page.locator("#id_on").fill("2023-03-01")
    page.locator("#id_reason").fill("垃圾分类设施不足，限期三个月整改")
    page.locator(f'form[action="/titles/{dongyu.pk}/status/"] button[type=submit]').click()
    expect(page.locator(".alert-success")).to_be_visible()
    expect(page.locator("main")).to_contain_text("2023-03-01")
    visit(page, "02-detail")
    with page.expect_download() as download:
        page.locator(f'a[href="/titles/{dongyu.pk}/plaque.pdf"]').click()
    assert download.value.suggested_filename.endswith(".pdf")

    # Signed out: the public list and the verification pages
    # Leave the page first: a request still in flight would set the session cookie again.
    page.goto("about:blank")
    page.context.clear_cookies()
    page.goto(base + "/public/titles/")
    expect(page.locator("#public-results tbody tr")).to_have_count(4)
    visit(page, "03-public-list")
    page.locator("#id_q").fill("青羊")
    expect(page.locator("#public-results tbody tr")).to_have_count(1)

    page.goto(f"{base}/public/verify/{titles['kuanxiang'].public_id}/")
    expect(page.locator("#verify-status.alert-success")).to_be_visible()
    expect(page.locator("#verify-number")).to_have_text(titles["kuanxiang"].certificate_number)
    visit(page, "04-verify-valid")
    page.goto(f"{base}/public/verify/{dongyu.public_id}/")
    expect(page.locator("#verify-status.alert-warning")).to_be_visible()
    visit(page, "05-verify-rectification")

    from greencommunity.reviews.services.titles import title_set_status

    title_set_status(actor=people["province"], title=dongyu, status="revoked",
                     on=date(2024, 1, 2), reason="整改不到位")  # fmt: skip
    page.reload()
    expect(page.locator("#verify-status.alert-danger")).to_contain_text("2024-01-02")
    visit(page, "06-verify-revoked")

    response = page.goto(f"{base}/public/verify/00000000-0000-4000-8000-000000000000/")
    assert response.status == 404
    visit(page, "07-verify-unknown")
