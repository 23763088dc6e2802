"""Browser journey through a self-assessment: the committee of a Huantai community (Huantai's
standard in force: 20 criteria x 5 points, pass >= 80) starts it from the community page,
scores criteria and sees the total and the area subtotal change without a reload, has a
refused value shown at its field, uploads a photo and sees its thumbnail, reads the gap list
with the departments, answers the rest, is refused a submission while criteria are open, then
submits and sees the locked page. A second journey ticks the sub-conditions of a Sichuan
criterion and takes the points they suggest. axe-core on every page; screenshots
test-artifacts/assessment-*.png.

Locators use ids and attributes (data-number, name, ids), not the pages' words, so the journey
holds before and after the Chinese translations land.
"""

import re
from datetime import date
from types import SimpleNamespace

import pytest
from PIL import Image, ImageDraw

from e2e_kit import E2E, visit
from greencommunity.access.roles import Role

playwright_sync = pytest.importorskip("playwright.sync_api")
expect = playwright_sync.expect

PASSWORD = "Secret-pass-2026"
THIS_YEAR = date.today().year

pytestmark = E2E


@pytest.fixture
def builtin_standards(transactional_db):
    """The built-in standards (a transactional test's flush empties what the migration
    loaded, so load them again when missing)."""
    from greencommunity.regions.models import Indicator
    from greencommunity.standards import models
    from greencommunity.standards.builtin import BUILTIN
    from greencommunity.standards.loader import standard_load

    namespace = SimpleNamespace(
        Standard=models.Standard, Area=models.Area, Criterion=models.Criterion,
        SubCondition=models.SubCondition, Indicator=Indicator,
    )  # fmt: skip
    return {data["key"]: standard_load(data, namespace) for data in BUILTIN}


@pytest.fixture
def huantai(tree, builtin_standards, settings, tmp_path):
    """桓台县 adopts its standard; 西苑社区 has entered its property management coverage for
    this year (criterion 15 is answered from it); uploads go to a scratch media folder."""
    from greencommunity.regions.models import Indicator
    from greencommunity.regions.services.indicator_values import indicator_value_set
    from greencommunity.standards.services.versions import standard_adopt

    settings.MEDIA_ROOT = tmp_path / "media"
    standard = builtin_standards["huantai-2021"]
    standard_adopt(actor=None, region=tree["county"], standard=standard,
                   effective_from=date(2021, 1, 7))  # fmt: skip
    indicator_value_set(
        actor=None, community=tree["community"].community,
        indicator=Indicator.objects.get(code="property_management_coverage"),
        year=THIS_YEAR, value="100",
    )  # fmt: skip
    return standard


def login(page, base: str, username: str) -> None:
    page.goto(base + "/accounts/login/", timeout=30_000)  # the first request warms the server
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill(PASSWORD)
    page.locator("main form button[type=submit]").click()
    expect(page).to_have_url(base + "/")


def criterion(page, number: int):
    return page.locator(f"article.gc-criterion[data-number='{number}']")


def score(page, number: int, points: str) -> None:
    """Type points into a criterion and leave the field (htmx saves on change)."""
    row = criterion(page, number)
    row.locator("input[name=points]").fill(points)
    row.locator("input[name=points]").press("Tab")


def photo(tmp_path) -> str:
    path = tmp_path / "garden.png"
    image = Image.new("RGB", (640, 480), (210, 230, 215))
    draw = ImageDraw.Draw(image)
    draw.rectangle((60, 260, 580, 440), fill=(46, 125, 50))
    draw.ellipse((420, 40, 540, 160), fill=(250, 200, 60))
    image.save(path, format="PNG")
    return str(path)


def test_committee_scores_evidences_and_submits(
    live_server, transactional_db, tree, huantai, make_user, page, tmp_path
):
    make_user(Role.COMMUNITY, tree["community"], username="xiyuan")
    base = live_server.url
    login(page, base, "xiyuan")

    # The community page loads its self-assessments card, with the standard in force chosen
    page.goto(base + "/regions/communities/370321001002/")
    start = page.locator("#assessment-start-form")
    expect(start).to_be_visible()
    expect(start.locator("select[name=standard]")).to_have_value(str(huantai.pk))
    expect(start.locator("select[name=year]")).to_have_value(str(THIS_YEAR))
    visit(page, "assessment-community-card")
    page.locator("#assessment-start").click()
    expect(page).to_have_url(re.compile(r"/assessments/\d+/$"))
    expect(page.locator("article.gc-criterion")).to_have_count(20)
    expect(page.locator("#score-total")).to_have_text("5")  # criterion 15, from the indicator
    expect(page.locator("#score-maximum")).to_have_text("100")
    expect(page.locator("#pass-state [data-passed]")).to_have_attribute("data-passed", "no")
    visit(page, "assessment-page")

    # Scoring updates the total, the area subtotal and the row without a reload
    page.evaluate("window.__not_reloaded = true")
    area_1 = page.locator("#area-1 [id^=area-subtotal-]")
    expect(area_1).to_contain_text("0 / 20")
    score(page, 1, "4")
    expect(criterion(page, 1).locator("[id$=-state]")).to_have_text("4 / 5")
    expect(page.locator("#score-total")).to_have_text("9")
    expect(page.locator("#compact-total")).to_have_text("9")
    expect(area_1).to_contain_text("4 / 20")
    expect(page.locator("#area-subtotals td[data-area='1']")).to_have_text("4 / 20")

    # A value off the 0.5 steps is refused at its field, then corrected
    score(page, 2, "3.3")
    error = criterion(page, 2).locator("[id^=points-][id$=-error]")
    expect(error).to_be_visible()
    expect(criterion(page, 2).locator("input[name=points]")).to_have_attribute(
        "aria-invalid", "true"
    )
    expect(page.locator("#score-total")).to_have_text("9")
    score(page, 2, "3.5")
    expect(criterion(page, 2).locator("[id^=points-][id$=-error]")).to_have_count(0)
    expect(page.locator("#score-total")).to_have_text("12.5")
    expect(area_1).to_contain_text("7.5 / 20")
    # A note is kept with the answer
    notes = criterion(page, 3).locator("textarea[name=notes]")
    notes.fill("居委会会议纪要已归档")
    score(page, 3, "5")
    expect(criterion(page, 3).locator("[id$=-state]")).to_have_text("5 / 5")
    expect(criterion(page, 3).locator("textarea[name=notes]")).to_have_value("居委会会议纪要已归档")
    assert page.evaluate("window.__not_reloaded === true"), "the page was reloaded"

    # A photo as evidence: its thumbnail appears, linking to the file
    first = criterion(page, 1)
    first.locator("input[type=file]").set_input_files(photo(tmp_path))
    first.locator("button[id^=upload-]").click()
    thumb = criterion(page, 1).locator("img.gc-thumb")
    expect(thumb).to_be_visible()
    expect(thumb).to_have_attribute("alt", "garden.png")
    page.wait_for_function(
        "() => { const i = document.querySelector('img.gc-thumb'); "
        "return i && i.complete && i.naturalWidth > 0; }"
    )
    href = criterion(page, 1).locator("li[data-evidence] a").first.get_attribute("href")
    assert href and re.fullmatch(r"/assessments/evidence/\d+/file", href)
    assert page.evaluate("window.__not_reloaded === true")

    # The gap list names the failing criteria and the departments responsible
    gaps = page.locator("#gap-list")
    expect(gaps.locator("li[data-criterion]")).to_have_count(18)  # all but 3 and 15
    expect(gaps.locator("li[data-criterion='1']")).to_contain_text("县住房和城乡建设局")
    expect(gaps.locator("li[data-criterion='3']")).to_have_count(0)
    page.locator("#gap-list").scroll_into_view_if_needed()
    visit(page, "assessment-gaps")

    # Submitting with open criteria is refused, listing them
    page.locator("#submit-button").click()
    expect(page.locator("#submit-error")).to_be_visible()
    expect(page.locator("#submit-error li")).to_have_count(16)

    # The rest at full points: passes
    for number in range(4, 21):
        if number == 15:
            continue
        score(page, number, "5")
        expect(criterion(page, number).locator("[id$=-state]")).to_have_text("5 / 5")
    expect(page.locator("#score-total")).to_have_text("97.5")
    expect(page.locator("#pass-state [data-passed]")).to_have_attribute("data-passed", "yes")
    expect(page.locator("#gap-list li[data-criterion]")).to_have_count(2)

    # Submit: the page is locked, with the score sheet downloads and a reopen button
    page.locator("#submit-button").click()
    expect(page.locator("#locked-notice")).to_be_visible()
    expect(page.locator("input[name=points]")).to_have_count(0)
    expect(page.locator("input[type=file]")).to_have_count(0)
    expect(page.locator("#reopen-button")).to_be_visible()
    expect(page.locator("#score-total")).to_have_text("97.5")
    expect(criterion(page, 1).locator("img.gc-thumb")).to_be_visible()
    with page.expect_download() as download:
        page.locator("#download-xlsx").click()
    assert download.value.suggested_filename.endswith(".xlsx")
    visit(page, "assessment-submitted")

    # The list shows it submitted and passed
    page.goto(base + "/assessments/")
    rows = page.locator("#assessment-results tbody tr")
    expect(rows).to_have_count(1)
    expect(rows.first.locator("[data-passed]")).to_have_attribute("data-passed", "yes")
    expect(rows.first).to_contain_text("97.5 / 100")
    visit(page, "assessment-list")


def test_ticks_suggest_points(live_server, transactional_db, builtin_standards, make_user, page):
    """A Sichuan community ticks sub-conditions and takes the points they suggest."""
    from greencommunity.regions.services.tree import region_create

    parent = None
    for code, name in [
        ("510000000000", "四川省"),
        ("510100000000", "成都市"),
        ("510104000000", "锦江区"),
        ("510104001000", "督院街街道"),
        ("510104001001", "东城根社区"),
    ]:
        parent = region_create(actor=None, code=code, name=name, parent=parent)
    make_user(Role.COMMUNITY, parent, username="dongchenggen")
    base = live_server.url
    login(page, base, "dongchenggen")
    page.goto(base + "/regions/communities/510104001001/")
    start = page.locator("#assessment-start-form")
    sichuan = builtin_standards["sichuan-2020"]
    start.locator("select[name=standard]").select_option(str(sichuan.pk))
    page.locator("#assessment-start").click()
    expect(page.locator("article.gc-criterion")).to_have_count(28)

    # Criterion 3: 5 points, 4 sub-conditions; one ticked with no points typed gives 1
    row = criterion(page, 3)
    expect(row.locator("input[name=ticked]")).to_have_count(4)
    row.locator("input[name=ticked]").nth(0).check()
    points = row.locator("input[name=points]")
    expect(points).to_have_value("1")
    expect(page.locator("#score-total")).to_have_text("1")
    # typed points win, and the suggestion is offered beside them
    score(page, 3, "0")
    expect(row.locator("[id$=-state]")).to_have_text("0 / 5")
    expect(row.locator("[id^=take-suggestion-]")).to_be_visible()
    row.locator("input[name=ticked]").nth(1).check()
    expect(row.locator("[id^=suggestion-]")).to_contain_text("2.5")
    expect(points).to_have_value("0")
    # one click takes the suggestion
    row.locator("[id^=take-suggestion-]").click()
    expect(points).to_have_value("2.5")
    expect(row.locator("[id^=take-suggestion-]")).to_have_count(0)
    expect(page.locator("#score-total")).to_have_text("2.5")
    expect(page.locator("#area-subtotals td[data-area='1']")).to_contain_text("2.5 / ")
    # Sichuan sets no pass mark
    expect(page.locator("#pass-state [data-passed]")).to_have_attribute("data-passed", "none")
    visit(page, "assessment-ticks")

    # A phone: the page stacks and never scrolls sideways
    page.set_viewport_size({"width": 360, "height": 740})
    page.reload()
    expect(page.locator("article.gc-criterion")).to_have_count(28)
    has_overflow = page.evaluate(
        "() => document.documentElement.scrollWidth > document.documentElement.clientWidth"
    )
    assert not has_overflow, "the assessment page scrolls sideways at 360 px"
    visit(page, "assessment-mobile")
