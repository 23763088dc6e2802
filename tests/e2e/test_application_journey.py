"""Browser journey of an application through the Sichuan chain on a small Sichuan tree: the
committee of 东门社区 applies with its passing self-assessment, fills the 审批表 (a live count of
the basic situation), attaches a photo and submits; the street office recommends it with a
seal; the county housing department returns it with a reason; the committee revises and
resubmits; the county scores it side by side (totals follow each score) and approves; the city
approves; the application then waits at the province's sampling step. axe-core on every page;
screenshots test-artifacts/application-form.png, application-decide.png, application-score.png,
inbox.png (and application-*.png for the other pages).

Locators use ids and data attributes, not the pages' words, so the journey holds before and
after the Chinese translations land.
"""

import re
from datetime import timedelta
from decimal import Decimal as D

import pytest
from PIL import Image, ImageDraw

from e2e_kit import E2E, visit
from greencommunity.access.roles import Role

playwright_sync = pytest.importorskip("playwright.sync_api")
expect = playwright_sync.expect

PASSWORD = "Secret-pass-2026"
SITUATION = "东门社区位于锦江区督院街街道，辖 3 个小区、2100 户。"

pytestmark = E2E


@pytest.fixture
def sichuan(transactional_db, make_user, settings, tmp_path):
    """四川省 > 成都市 > 锦江区 > 督院街街道 > 东门社区 (+ 南门社区), a standard with a pass mark,
    东门社区's submitted, passing self-assessment, 南门社区's application overdue at the county,
    and the officials of every level."""
    from django.utils import timezone

    from greencommunity.assessments.models import Assessment, AssessmentAnswer
    from greencommunity.regions.services.tree import region_create
    from greencommunity.reviews.models import Application
    from greencommunity.reviews.services import (
        application_create,
        application_decide,
        application_submit,
        application_update,
    )
    from greencommunity.standards.models import Area, Criterion, Standard

    settings.MEDIA_ROOT = tmp_path / "media"
    tree = {}
    parent = None
    for key, code, name in [
        ("province", "510000000000", "四川省"),
        ("city", "510100000000", "成都市"),
        ("county", "510104000000", "锦江区"),
        ("street", "510104001000", "督院街街道"),
    ]:
        parent = tree[key] = region_create(actor=None, code=code, name=name, parent=parent)
    for key, code, name in [("dongmen", "510104001001", "东门社区"),
                            ("nanmen", "510104001002", "南门社区")]:  # fmt: skip
        region = region_create(actor=None, code=code, name=name, parent=tree["street"])
        community = region.community
        community.leader_name, community.leader_phone = "王芳", "13800000001"
        community.address = f"成都市锦江区{name}居委会"
        community.save()
        tree[key] = community
    people = {
        "committee": make_user(Role.COMMUNITY, tree["dongmen"].region, username="dongmen"),
        "nanmen": make_user(Role.COMMUNITY, tree["nanmen"].region, username="nanmen"),
        "street": make_user(Role.STREET, tree["street"], username="duyuanjie"),
        "county": make_user(Role.HOUSING, tree["county"], username="jinjiang"),
        "city": make_user(Role.HOUSING, tree["city"], username="chengdu"),
        "province": make_user(Role.HOUSING, tree["province"], username="sichuan"),
    }
    standard = Standard.objects.create(
        key="sc-journey", name="督院街绿色社区创建标准", scoring_mode="points",
        status="published", pass_min_total=D(16),
    )  # fmt: skip
    area = Area.objects.create(standard=standard, number=1, name="创建机制", national_area=1)
    texts = ["建立绿色社区创建工作机制", "开展垃圾分类", "推进节水节能", "营造社区绿色文化"]
    criteria = [
        Criterion.objects.create(standard=standard, area=area, number=n, text=text, points=D(5))
        for n, text in enumerate(texts, start=1)
    ]

    def assessment(community, points):
        made = Assessment.objects.create(
            community=community, standard=standard, year=timezone.localdate().year,
            revision=1, status="submitted", total=D(sum(points)), maximum=D(20),
            met_count=sum(1 for p in points if p == 5), answered_count=4, passed=True,
            submitted_at=timezone.now(),
        )  # fmt: skip
        AssessmentAnswer.objects.bulk_create(
            AssessmentAnswer(
                assessment=made,
                criterion=c,
                points=D(p),
                met=p == 5,
                notes="台账齐全" if p == 5 else "",
            )
            for c, p in zip(criteria, points, strict=True)
        )
        return made

    tree["assessment"] = assessment(tree["dongmen"], (5, 5, 4, 4))
    # 南门社区 waits at the county, overdue
    other = application_create(actor=people["nanmen"],
                               assessment=assessment(tree["nanmen"], (5, 5, 5, 5)),
                               title_kind="green")  # fmt: skip
    application_update(actor=people["nanmen"], application=other, basic_situation="南门社区。")
    other = application_submit(actor=people["nanmen"], application=other)
    application_decide(actor=people["street"], application=other, verdict="approve",
                       opinion="同意推荐。")  # fmt: skip
    Application.objects.filter(pk=other.pk).update(due_on=timezone.localdate() - timedelta(days=3))
    return tree


def login(page, base: str, username: str) -> None:
    # Leave the page first: a request still in flight would set the session cookie again.
    page.goto("about:blank")
    page.context.clear_cookies()
    page.goto(base + "/accounts/login/", timeout=30_000)
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill(PASSWORD)
    page.locator("main form button[type=submit]").click()
    expect(page).to_have_url(base + "/")


def image(tmp_path, name: str, colour) -> str:
    path = tmp_path / name
    picture = Image.new("RGB", (320, 320), "white")
    draw = ImageDraw.Draw(picture)
    draw.ellipse((20, 20, 300, 300), outline=colour, width=14)
    draw.regular_polygon((160, 160, 60), 5, fill=colour)
    picture.save(path, format="PNG")
    return str(path)


def open_from_inbox(page, base: str, application_id: int) -> None:
    page.goto(base + "/reviews/inbox/")
    page.locator(f"#inbox-decide tr[data-application='{application_id}'] a").click()
    expect(page.locator("#decide-form")).to_be_visible()


def decide(page, verdict: str, opinion: str, seal: str | None = None) -> None:
    form = page.locator("#decide-form")
    form.locator(f"input[name=verdict][value={verdict}]").check()
    form.locator("textarea[name=opinion]").fill(opinion)
    if seal:
        form.locator("input[name=seal]").set_input_files(seal)


def test_application_through_the_sichuan_chain(live_server, sichuan, page, tmp_path):
    from greencommunity.reviews.models import Application

    base = live_server.url
    page.set_default_timeout(30_000)  # a busy machine (parallel suites) serves slowly

    # The committee applies from the list, with its passing self-assessment
    login(page, base, "dongmen")
    page.goto(base + "/reviews/applications/")
    offer = page.locator(f"#apply-card form[data-assessment='{sichuan['assessment'].pk}']")
    offer.locator("select[name=title_kind]").select_option("green")
    offer.locator("button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/reviews/applications/\d+/$"))
    application = Application.objects.get(community=sichuan["dongmen"])
    detail = f"{base}/reviews/applications/{application.pk}/"
    expect(page.locator("#application-state [data-status]")).to_have_attribute(
        "data-status", "draft"
    )
    expect(page.locator("#id_leader_name")).to_have_value("王芳")
    expect(page.locator("#id_division")).to_have_value("成都市 锦江区 督院街街道")

    # The basic situation, with its live count; a photo attached; saved in place
    page.locator("#id_basic_situation").fill(SITUATION)
    expect(page.locator("#situation-count [data-gc-count-value]")).to_have_text(str(len(SITUATION)))
    page.locator("#attachment-files").set_input_files(image(tmp_path, "小区.png", "green"))
    page.locator("#attachments form button[type=submit]").click()
    expect(page.locator("#attachment-list li[data-attachment]")).to_have_count(1)
    page.locator("#save-fields").click()
    expect(page.locator("#fields-saved")).to_be_visible()
    expect(page.locator("#situation-count [data-gc-count-value]")).to_have_text(str(len(SITUATION)))
    visit(page, "application-form")

    # Submitted: it waits for the street office
    page.locator("#submit-application").click()
    expect(page).to_have_url(detail)
    expect(page.locator("#timeline li[data-step='street']")).to_have_attribute(
        "data-state", "current"
    )
    expect(page.locator("#id_basic_situation")).to_have_count(0)

    # The street office recommends it, with its seal
    login(page, base, "duyuanjie")
    open_from_inbox(page, base, application.pk)
    decide(page, "approve", "情况属实，同意推荐。", seal=image(tmp_path, "seal.png", "red"))
    visit(page, "application-decide")
    page.locator("#decide-submit").click()
    expect(page.locator("#timeline li[data-step='county']")).to_have_attribute(
        "data-state", "current"
    )
    expect(page.locator("#decision-list li[data-step='street'] img.gc-seal")).to_be_visible()

    # The county: two waiting, 南门社区's overdue; it returns 东门社区's with a reason
    login(page, base, "jinjiang")
    page.goto(base + "/reviews/inbox/")
    expect(page.locator("#inbox-decide tbody tr")).to_have_count(2)
    expect(page.locator("#inbox-decide tr[data-overdue]")).to_have_count(1)
    visit(page, "inbox")
    open_from_inbox(page, base, application.pk)
    decide(page, "return", "")
    page.locator("#decide-submit").click()
    expect(page.locator("#id_opinion_errors")).to_be_visible()  # a reason is required
    decide(page, "return", "请补充垃圾分类设施照片。")
    page.locator("#decide-submit").click()
    expect(page.locator("#application-state [data-status]")).to_have_attribute(
        "data-status", "returned"
    )

    # The committee sees it in its inbox, revises and resubmits: back at the county
    login(page, base, "dongmen")
    page.goto(base + "/reviews/inbox/")
    page.locator(f"#inbox-revise li[data-application='{application.pk}'] a").click()
    expect(page.locator("#timeline li[data-step='county']")).to_have_attribute(
        "data-state", "returned"
    )
    page.locator("#id_basic_situation").fill(SITUATION + "已补充垃圾分类设施照片。")
    page.locator("#submit-application").click()
    expect(page.locator("#timeline li[data-step='county']")).to_have_attribute(
        "data-state", "current"
    )
    visit(page, "application-resubmitted")

    # The county scores side by side: each score saved in place, the totals follow
    login(page, base, "jinjiang")
    page.goto(detail)
    page.locator("#score-link").click()
    expect(page).to_have_url(detail + "score/")
    page.evaluate("window.__not_reloaded = true")
    expect(page.locator("#self-total")).to_have_text("18")
    for number, points in ((1, "5"), (2, "4"), (3, "4"), (4, "3")):
        field = page.locator(f"tr[data-number='{number}'] input[name=points]")
        field.fill(points)
        field.press("Tab")
        expect(page.locator(f"tr[data-number='{number}'] [data-reviewer-value]")).to_be_visible()
    page.locator("tr[data-number='2'] textarea[name=notes]").fill("分类桶数量不足")
    page.locator("tr[data-number='2'] textarea[name=notes]").press("Tab")
    expect(page.locator("#reviewer-total")).to_have_text("16")
    expect(page.locator("#reviewer-passed [data-passed]")).to_have_attribute("data-passed", "yes")
    expect(page.locator("tr[data-number='2'] [data-differs]")).to_be_visible()
    assert page.evaluate("window.__not_reloaded === true"), "the page was reloaded"
    page.wait_for_load_state("networkidle")  # the notes saved too
    notes = application.reviewer_answers.values_list("criterion__number", "notes")
    assert dict(notes)[2] == "分类桶数量不足"
    visit(page, "application-score")

    # ... and approves
    page.goto(detail)
    decide(page, "approve", "经初审，符合创建要求。")
    page.locator("#decide-submit").click()
    expect(page.locator("#timeline li[data-step='city']")).to_have_attribute(
        "data-state", "current"
    )

    # The city approves: the application waits at the province's sampling step
    login(page, base, "chengdu")
    open_from_inbox(page, base, application.pk)
    decide(page, "approve", "经复核，同意上报。")
    page.locator("#decide-submit").click()
    expect(page.locator("#timeline li[data-step='province-sampling']")).to_have_attribute(
        "data-state", "current"
    )
    application.refresh_from_db()
    assert application.current_step.key == "province-sampling"
    assert list(application.decisions.values_list("step__key", "verdict")) == [
        ("street", "approve"), ("county", "return"), ("county", "approve"), ("city", "approve"),
    ]  # fmt: skip

    # The province sees it with every level's opinion; sampling is decided as a batch
    login(page, base, "sichuan")
    page.goto(detail)
    expect(page.locator("#decision-list li[data-decision]")).to_have_count(4)
    expect(page.locator("#decide-form")).to_have_count(0)
    expect(page.locator("#batch-step")).to_be_visible()
    visit(page, "application-province")
    with page.expect_download(timeout=120_000) as download:  # the first PDF loads the fonts
        page.locator("#download-pdf").click()
    assert download.value.suggested_filename.endswith(".pdf")
    page.goto(base + "/reviews/applications/")
    row = page.locator(f"#application-results tr[data-application='{application.pk}']")
    expect(row).to_be_visible()
    visit(page, "application-list")

    # A phone: the list, the application and the score never scroll sideways
    page.set_viewport_size({"width": 360, "height": 740})
    for path, name in (("/reviews/applications/", "list"), (detail, "detail"),
                       (detail + "score/", "score")):  # fmt: skip
        page.goto(path if path.startswith("http") else base + path)
        assert not page.evaluate(
            "() => document.documentElement.scrollWidth > document.documentElement.clientWidth"
        ), f"the {name} page scrolls sideways at 360 px"
        visit(page, f"application-{name}-mobile")
