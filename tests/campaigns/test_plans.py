"""Implementation plans: saving, the document, the status against the due date, phases."""

from datetime import date, timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from greencommunity.audit.models import Event
from greencommunity.campaigns.models import Phase, Plan
from greencommunity.campaigns.selectors_targets import PlanStatus, plan_of, plan_status
from greencommunity.campaigns.services import phase_delete, phase_set, plan_save
from greencommunity.core.errors import ApplicationError

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def test_save_creates_then_updates_the_one_plan(world, users):
    actor = users["county_housing"]
    plan = plan_save(actor=actor, region=world["county"], name=" 桓台县实施方案 ",
                     due_on=date(2021, 3, 1))  # fmt: skip
    # the fixture's plan (for the county's pilot target) is the same row, renamed
    assert Plan.objects.filter(region=world["county"]).count() == 1
    again = plan_save(actor=actor, region=world["county"], name="桓台县实施方案（修订）",
                      due_on=date(2021, 3, 1), submitted_on=date(2021, 2, 20))  # fmt: skip
    assert again.pk == plan.pk and again.name == "桓台县实施方案（修订）"
    assert plan_of(world["county"]).submitted_on == date(2021, 2, 20)
    event = Event.objects.filter(target_type="campaigns.plan").order_by("-seq").first()
    assert event.verb == "plan.update" and event.region_code == "370321000000"
    assert event.before["submitted_on"] is None and event.after["submitted_on"] == "2021-02-20"


def test_save_refusals(world):
    with pytest.raises(ApplicationError):
        plan_save(actor=None, region=world["county"], name="  ")
    with pytest.raises(ApplicationError):
        plan_save(actor=None, region=world["370321001002"], name="社区方案")
    with pytest.raises(ApplicationError):
        plan_save(actor=None, region=world["county"], name="x",
                  submitted_on=timezone.localdate() + timedelta(days=1))  # fmt: skip


def test_document_is_stored_and_replaced(world, media):
    upload = SimpleUploadedFile("实施方案.pdf", PDF, content_type="application/pdf")
    plan = plan_save(actor=None, region=world["city"], name="淄博市实施方案", document=upload)
    assert plan.document_name == "实施方案.pdf" and plan.document.name.endswith(".pdf")
    first = plan.document.name
    assert plan.document.read() == PDF
    # saving without a document keeps it
    plan = plan_save(actor=None, region=world["city"], name="淄博市实施方案")
    assert plan.document.name == first


def test_document_must_be_pdf_or_word(world, media):
    png = SimpleUploadedFile("方案.png", b"\x89PNG\r\n\x1a\n" + b"0" * 100)
    with pytest.raises(ApplicationError) as refused:
        plan_save(actor=None, region=world["city"], name="淄博市实施方案", document=png)
    assert refused.value.extra["field"] in ("document", "file")
    text = SimpleUploadedFile("方案.txt", b"just text")
    with pytest.raises(ApplicationError):
        plan_save(actor=None, region=world["city"], name="淄博市实施方案", document=text)


@pytest.mark.parametrize(
    ("due_on", "submitted_on", "today", "status"),
    [
        (date(2020, 12, 15), date(2020, 12, 15), date(2021, 1, 1), PlanStatus.ON_TIME),
        (date(2020, 12, 15), date(2020, 12, 16), date(2021, 1, 1), PlanStatus.LATE),
        (date(2020, 12, 15), None, date(2020, 12, 16), PlanStatus.MISSING),
        (date(2020, 12, 15), None, date(2020, 12, 15), PlanStatus.PENDING),
        (None, date(2020, 12, 16), date(2021, 1, 1), PlanStatus.ON_TIME),
        (None, None, date(2021, 1, 1), PlanStatus.PENDING),
    ],
)
def test_plan_status(due_on, submitted_on, today, status):
    plan = Plan(name="方案", due_on=due_on, submitted_on=submitted_on)
    assert plan_status(plan, today) == status


def test_no_plan_is_missing():
    assert plan_status(None, date(2021, 1, 1)) == PlanStatus.MISSING


# ------------------------------------------------------------------------------- phases


@pytest.fixture
def plan(world):
    return plan_save(actor=None, region=world["county"], name="桓台县实施方案")


def test_huantai_phases(plan):
    # seed 003: 2020-11 to 2021-06, 2021-07 to 2022-11, then consolidation, open-ended
    phase_set(actor=None, plan=plan, kind="pilot", starts_on=date(2020, 11, 1),
              ends_on=date(2021, 6, 30), name="开展试点示范阶段")  # fmt: skip
    phase_set(actor=None, plan=plan, kind="promotion", starts_on=date(2021, 7, 1),
              ends_on=date(2022, 11, 30))  # fmt: skip
    phase_set(actor=None, plan=plan, kind="consolidation", starts_on=date(2022, 12, 1))
    assert list(plan.phases.values_list("kind", "ends_on")) == [
        ("pilot", date(2021, 6, 30)), ("promotion", date(2022, 11, 30)), ("consolidation", None),
    ]  # fmt: skip
    assert Event.objects.filter(verb="plan.phase_set").count() == 3


def test_phases_do_not_overlap(plan):
    phase_set(actor=None, plan=plan, kind="pilot", starts_on=date(2020, 11, 1),
              ends_on=date(2021, 6, 30))  # fmt: skip
    with pytest.raises(ApplicationError):  # ends are inclusive
        phase_set(actor=None, plan=plan, kind="promotion", starts_on=date(2021, 6, 30))
    with pytest.raises(ApplicationError):  # wholly inside
        phase_set(actor=None, plan=plan, kind="promotion", starts_on=date(2020, 1, 1),
                  ends_on=date(2022, 1, 1))  # fmt: skip
    phase_set(actor=None, plan=plan, kind="promotion", starts_on=date(2021, 7, 1))
    # an open-ended phase runs on: only the last may be open-ended
    with pytest.raises(ApplicationError):
        phase_set(actor=None, plan=plan, kind="consolidation", starts_on=date(2023, 1, 1))
    # a phase may be moved (set again) without clashing with itself
    phase_set(actor=None, plan=plan, kind="promotion", starts_on=date(2021, 7, 1),
              ends_on=date(2022, 11, 30))  # fmt: skip
    phase_set(actor=None, plan=plan, kind="consolidation", starts_on=date(2022, 12, 1))
    assert plan.phases.count() == 3


def test_phase_end_before_start_refused(plan):
    with pytest.raises(ApplicationError) as refused:
        phase_set(actor=None, plan=plan, kind="pilot", starts_on=date(2021, 1, 1),
                  ends_on=date(2020, 12, 31))  # fmt: skip
    assert refused.value.extra["field"] == "ends_on"
    with pytest.raises(ApplicationError):
        phase_set(actor=None, plan=plan, kind="nap", starts_on=date(2021, 1, 1))


def test_phase_delete(plan):
    phase = phase_set(actor=None, plan=plan, kind="pilot", starts_on=date(2020, 11, 1))
    phase_delete(actor=None, phase=phase)
    assert not Phase.objects.filter(pk=phase.pk).exists()
    assert Event.objects.filter(verb="plan.phase_delete").count() == 1
