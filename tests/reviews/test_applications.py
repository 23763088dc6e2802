"""Making, filling in, submitting, withdrawing an application, and its attachments."""

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from greencommunity.audit.models import Event
from greencommunity.core.errors import ApplicationError, NotFound, PermissionDenied
from greencommunity.reviews.models import (
    Application,
    ApplicationAttachment,
    ApplicationStatus,
    Title,
)
from greencommunity.reviews.services import (
    application_create,
    application_submit,
    application_update,
    application_withdraw,
    attachment_add,
    attachment_delete,
)


def _title(community, kind="green", status="valid", n=1):
    return Title.objects.create(
        community=community, kind=kind, year=2023, named_on=timezone.localdate(),
        certificate_number=f"T-{community.pk}-{kind}-{n}", status=status,
        revoked_on=timezone.localdate() if status == "revoked" else None,
    )  # fmt: skip


def test_create_prefills_the_form_from_the_registry(sc, sc_users, assess):
    # given a submitted, passing self-assessment of 东门社区
    assessment = assess(sc["c1"])
    # when its committee applies for the green community title
    application = application_create(
        actor=sc_users["committee"], assessment=assessment, title_kind="green"
    )
    # then a draft on the Sichuan chain carries the 审批表 fields from the registry
    assert application.status == ApplicationStatus.DRAFT
    assert application.chain.key == "sichuan" and application.current_step is None
    assert application.division == "成都市 锦江区 督院街街道"
    assert (application.leader_name, application.leader_phone) == ("负责人1", "13800000001")
    assert application.committee_address == "东门社区居委会"
    assert application.year == timezone.localdate().year
    event = Event.objects.get(verb="application.create")
    assert event.region_code == "510104001001" and event.after["chain"] == "sichuan"


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"status": "draft"}, "Submit the self-assessment"),
        ({"points": (5, 1, 0)}, "did not pass"),
    ],
)
def test_create_needs_a_submitted_passing_assessment(sc, sc_users, assess, kwargs, message):
    assessment = assess(sc["c1"], **kwargs)
    with pytest.raises(ApplicationError, match=message):
        application_create(actor=sc_users["committee"], assessment=assessment, title_kind="green")
    assert not Application.objects.exists()


def test_a_standard_without_pass_mark_cannot_be_used(sc, sc_users, assess, standard):
    # given Sichuan's standard sets no pass mark (here: the test standard without one)
    standard.pass_min_total = None
    standard.save()
    assessment = assess(sc["c1"])
    assert assessment.passed is None
    with pytest.raises(ApplicationError, match="sets no pass mark"):
        application_create(actor=sc_users["committee"], assessment=assessment, title_kind="green")


def test_only_the_latest_revision(sc, sc_users, assess):
    first = assess(sc["c1"])
    assess(sc["c1"], revision=2, status="draft")
    with pytest.raises(ApplicationError, match="newer revision"):
        application_create(actor=sc_users["committee"], assessment=first, title_kind="green")


def test_rural_communities_do_not_apply(sc, sc_users, assess):
    community = sc["c1"]
    community.urban_override = False
    community.save()
    with pytest.raises(ApplicationError, match="Only urban communities"):
        application_create(
            actor=sc_users["committee"], assessment=assess(community), title_kind="green"
        )


def test_one_open_application_per_title(sc, sc_users, apply, assess):
    apply(sc_users["committee"], sc["c1"], submit=False)
    with pytest.raises(ApplicationError, match="open application for this title already"):
        application_create(
            actor=sc_users["committee"], assessment=assess(sc["c1"], revision=2),
            title_kind="green",
        )  # fmt: skip
    assert Application.objects.count() == 1


def test_the_partial_unique_constraint_backs_it(sc, sc_users, assess, monkeypatch):
    # given a check that misses the open application (a concurrent create)
    first = application_create(
        actor=sc_users["committee"], assessment=assess(sc["c1"]), title_kind="green"
    )
    from greencommunity.reviews.services import applications as module

    monkeypatch.setattr(module, "OPEN", [])
    # then the database refuses the second, with the same message
    with pytest.raises(ApplicationError, match="open application for this title already"):
        application_create(
            actor=sc_users["committee"], assessment=assess(sc["c1"], revision=2),
            title_kind="green",
        )  # fmt: skip
    assert list(Application.objects.values_list("pk", flat=True)) == [first.pk]


def test_no_second_live_title_of_a_kind(sc, sc_users, assess):
    _title(sc["c1"])
    with pytest.raises(ApplicationError, match="already holds the title"):
        application_create(
            actor=sc_users["committee"], assessment=assess(sc["c1"]), title_kind="green"
        )
    # a revoked title does not stand in the way
    Title.objects.update(status="revoked", revoked_on=timezone.localdate())
    application_create(
        actor=sc_users["committee"], assessment=assess(sc["c1"], revision=2), title_kind="green"
    )


def test_demonstration_needs_a_valid_green_title(sc, sc_users, assess):
    with pytest.raises(ApplicationError, match="valid green community title"):
        application_create(
            actor=sc_users["committee"], assessment=assess(sc["c1"]), title_kind="demonstration"
        )


def test_create_permissions(sc, sc_users, assess):
    assessment = assess(sc["c1"])
    for who in ("street", "county", "county_admin"):
        with pytest.raises(PermissionDenied):
            application_create(actor=sc_users[who], assessment=assessment, title_kind="green")
    for who in ("other_county", "committee2"):
        with pytest.raises(NotFound):
            application_create(actor=sc_users[who], assessment=assessment, title_kind="green")


# ---------------------------------------------------------------------------- update


def test_update_checks_each_field(sc, sc_users, apply):
    application = apply(sc_users["committee"], sc["c1"], submit=False)
    with pytest.raises(ApplicationError) as refused:
        application_update(
            actor=sc_users["committee"], application=application,
            basic_situation="情" * 1001, leader_phone="call me",
        )  # fmt: skip
    errors = refused.value.extra["errors"]
    assert set(errors) == {"basic_situation", "leader_phone"}
    assert "1000" in errors["basic_situation"] and "1001" in errors["basic_situation"]
    # 1000 characters are fine, and only the changed fields are recorded
    application_update(
        actor=sc_users["committee"], application=application, basic_situation="情" * 1000,
        leader_phone="028-8888 6666",
    )  # fmt: skip
    application.refresh_from_db()
    assert len(application.basic_situation) == 1000 and application.leader_phone == "028-8888 6666"
    event = Event.objects.filter(verb="application.update").order_by("seq").last()
    assert set(event.after) == {"basic_situation", "leader_phone"}
    count = Event.objects.count()
    application_update(actor=sc_users["committee"], application=application, leader_name="负责人1")
    assert Event.objects.count() == count  # nothing changed, nothing recorded


def test_update_only_by_the_committee_and_only_while_with_it(sc, sc_users, apply):
    application = apply(sc_users["committee"], sc["c1"], submit=False)
    with pytest.raises(PermissionDenied):
        application_update(actor=sc_users["street"], application=application, leader_name="x")
    with pytest.raises(NotFound):
        application_update(actor=sc_users["committee2"], application=application, leader_name="x")
    application_submit(actor=sc_users["committee"], application=application)
    with pytest.raises(ApplicationError, match="only as a draft or when returned"):
        application_update(actor=sc_users["committee"], application=application, leader_name="x")


# ---------------------------------------------------------------------------- submit, withdraw


def test_submit_needs_the_form_complete(sc, sc_users, assess):
    application = application_create(
        actor=sc_users["committee"], assessment=assess(sc["c1"]), title_kind="green"
    )
    with pytest.raises(ApplicationError) as refused:
        application_submit(actor=sc_users["committee"], application=application)
    assert refused.value.extra["errors"] == {"basic_situation": "This field is required."}


def test_submit_enters_the_first_step(sc, sc_users, apply):
    application = apply(sc_users["committee"], sc["c1"])
    application.refresh_from_db()
    assert application.status == ApplicationStatus.IN_REVIEW
    assert application.current_step.key == "street" and application.version == 2
    assert application.due_on == timezone.localdate() + timedelta(days=15)
    assert application.submitted_at is not None and application.step_entered_at is not None
    event = Event.objects.get(verb="application.submit")
    assert event.before["status"] == "draft" and event.after["status"] == "in_review"


def test_submit_checks_the_assessment_again(sc, sc_users, apply, assess):
    application = apply(sc_users["committee"], sc["c1"], submit=False)
    assess(sc["c1"], revision=2, status="draft")  # reopened meanwhile
    with pytest.raises(ApplicationError, match="newer revision"):
        application_submit(actor=sc_users["committee"], application=application)


def test_withdraw(sc, sc_users, apply):
    application = apply(sc_users["committee"], sc["c1"])
    with pytest.raises(PermissionDenied):
        application_withdraw(actor=sc_users["street"], application=application)
    application = application_withdraw(actor=sc_users["committee"], application=application)
    application.refresh_from_db()
    assert application.status == ApplicationStatus.WITHDRAWN and application.closed_at
    assert application.current_step is None
    with pytest.raises(ApplicationError, match="cannot be withdrawn"):
        application_withdraw(actor=sc_users["committee"], application=application)
    # the community may apply again, from the same self-assessment
    apply(sc_users["committee"], sc["c1"], submit=False, assessment=application.assessment)


# ---------------------------------------------------------------------------- attachments


def test_attachments_are_sniffed_by_content(sc, sc_users, apply, png, media):
    application = apply(sc_users["committee"], sc["c1"], submit=False)
    committee = sc_users["committee"]
    # a PNG named .pdf is stored as the image it is
    attachment = attachment_add(actor=committee, application=application, upload=png("photo.pdf"))
    assert (attachment.kind, attachment.content_type) == ("image", "image/png")
    assert attachment.original_name == "photo.pdf" and attachment.file.name.endswith(".png")
    assert (media / attachment.file.name).exists()
    # a text file named .pdf is refused
    fake = SimpleUploadedFile("report.pdf", b"just text, not a PDF at all")
    with pytest.raises(ApplicationError, match="not an accepted file"):
        attachment_add(actor=committee, application=application, upload=fake)
    # a real PDF is accepted
    pdf = SimpleUploadedFile("report.pdf", b"%PDF-1.4\n%\xe2\xe3\n1 0 obj<<>>endobj\ntrailer<<>>")
    assert attachment_add(actor=committee, application=application, upload=pdf).kind == "pdf"
    assert ApplicationAttachment.objects.filter(application=application).count() == 2
    verbs = list(Event.objects.filter(verb__startswith="application.attachment").values_list(
        "verb", flat=True))  # fmt: skip
    assert verbs == ["application.attachment_add", "application.attachment_add"]


def test_attachment_limits_and_delete(
    sc, sc_users, apply, png, media, settings, django_capture_on_commit_callbacks
):
    application = apply(sc_users["committee"], sc["c1"], submit=False)
    committee = sc_users["committee"]
    settings.EVIDENCE_MAX_BYTES = 50
    with pytest.raises(ApplicationError, match="larger than"):
        attachment_add(actor=committee, application=application, upload=png())
    with pytest.raises(ApplicationError, match="is empty"):
        attachment_add(
            actor=committee, application=application, upload=SimpleUploadedFile("a.png", b"")
        )
    settings.EVIDENCE_MAX_BYTES = 1024 * 1024
    attachment = attachment_add(actor=committee, application=application, upload=png())
    path = media / attachment.file.name
    with pytest.raises(PermissionDenied):
        attachment_delete(actor=sc_users["street"], attachment=attachment)
    with django_capture_on_commit_callbacks(execute=True):
        attachment_delete(actor=committee, attachment=attachment)
    assert not ApplicationAttachment.objects.exists() and not path.exists()
    assert Event.objects.filter(verb="application.attachment_delete").count() == 1


def test_no_attachments_while_in_review(sc, sc_users, apply, png, media):
    application = apply(sc_users["committee"], sc["c1"])
    with pytest.raises(ApplicationError, match="only as a draft or when returned"):
        attachment_add(actor=sc_users["committee"], application=application, upload=png())
