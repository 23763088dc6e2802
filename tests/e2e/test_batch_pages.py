"""Browser check of the batch steps: the province's housing department draws a sample, inspects
and decides the batch, publishes the notice; the public, without signing in, reads the notice
and objects; the province sees the objector, resolves the objection. axe-core on every page,
screenshots to test-artifacts/batch-*.png.

Locators use element ids and addresses, so the check holds once the words are translated.
"""

import pytest

from e2e_kit import E2E
from e2e_kit import visit as kit_visit
from greencommunity.reviews.models import PublicNotice, SamplingDraw, SamplingItem
from reviews import conftest as review_fixtures
from reviews import fixtures_batches

playwright_sync = pytest.importorskip("playwright.sync_api")
expect = playwright_sync.expect

deciders, mianyang = fixtures_batches.deciders, fixtures_batches.mianyang  # fixtures
to_sampling = fixtures_batches.to_sampling
chains, sc, person, sc_users = (review_fixtures.chains, review_fixtures.sc, review_fixtures.person,
                                review_fixtures.sc_users)  # fmt: skip
standard, assess, apply = review_fixtures.standard, review_fixtures.assess, review_fixtures.apply
PASSWORD = "Secret-pass-2026"

pytestmark = E2E


def visit(page, name: str) -> None:
    kit_visit(page, f"batch-{name}")


def test_sampling_notice_and_objection_pages(live_server, transactional_db, sc, mianyang,
                                             to_sampling, page):  # fmt: skip
    for community in (sc["c1"], sc["c2"], sc["c3"], mianyang["m1"]):
        to_sampling(community)
    base = live_server.url
    page.set_default_timeout(30_000)
    page.goto(base + "/reviews/batches/")
    page.get_by_label("用户名").fill("sichuan")
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录", exact=True).click()
    expect(page).to_have_url(base + "/reviews/batches/")
    visit(page, "01-index")

    # fix the seed, draw, inspect the sample, decide the batch
    province = sc["province"].pk
    page.locator(f"#id_draw{province}_seed").fill("2024-第一批")
    page.locator(f"#batch-region-{sc['province'].code} button[type=submit]").click()
    expect(page.locator("#draw-seed")).to_have_text("2024-第一批")
    page.locator("#draw-run").click()
    draw = SamplingDraw.objects.get()
    sampled = list(SamplingItem.objects.filter(draw=draw, sampled=True))
    for item in sampled:
        row = page.locator(f"#item-{item.pk}")
        row.locator("input[value=passed]").check()
        row.get_by_role("button").click()
    visit(page, "02-draw")
    page.locator("#id_opinion").fill("经省级抽验，同意。")
    page.locator("#draw-decide").click()
    expect(page.locator("#draw-status")).to_have_text("已决定")

    # publish the notice of the four
    page.goto(base + f"/reviews/batches/regions/{province}/notices/new/")
    page.locator("#id_heading").fill("2024年四川省绿色社区拟命名名单公示")
    visit(page, "03-notice-new")
    page.get_by_role("button", name="发布").click()
    notice = PublicNotice.objects.get()
    expect(page).to_have_url(base + f"/reviews/batches/notices/{notice.pk}/")

    # the public reads the notice and objects, without signing in
    public = page.context.browser.new_context(locale="zh-CN").new_page()
    public.goto(base + "/public/notices/")
    visit(public, "04-public-list")
    public.locator(f"a[href='/public/notices/{notice.public_id}/']").click()
    visit(public, "05-public-notice")
    public.locator("#id_application").select_option(index=1)
    public.locator("#id_reason").fill("该社区垃圾分类设施长期损坏。")
    public.locator("#id_contact_name").fill("王先生")
    public.locator("#id_contact_phone").fill("13600000000")
    public.locator("#objection-submit").click()
    expect(public.locator(".gc-messages")).to_be_visible()
    visit(public, "06-public-sent")
    public.context.close()

    # the province sees who objected, and dismisses it
    page.reload()
    expect(page.locator(".objection-contact")).to_contain_text("13600000000")
    visit(page, "07-notice")
    page.locator("input[name=decision][value=dismiss]").check()
    page.locator("textarea[name=resolution]").fill("经核查，反映情况不属实。")
    page.locator("form[action*='/resolve/'] button").click()
    expect(page.locator("textarea[name=resolution]")).to_have_count(0)
    visit(page, "08-resolved")
