"""公示 and 异议: publishing a notice (working days with holidays and make-up days, calendar
days), objections from the public (period, contact, attachment, rate limit), resolving them
(upheld: back to the community or rejected; dismissed with a reason), contact details only for
the deciders, closing the notice, and who may do each."""

import hashlib
import hmac
from datetime import date, timedelta

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from greencommunity.audit.models import Event
from greencommunity.core.errors import ApplicationError, NotFound, PermissionDenied
from greencommunity.reviews.models import Holiday, Objection, PublicNotice
from greencommunity.reviews.selectors_batches import access_objection, objection_list
from greencommunity.reviews.services import (
    application_submit,
    notice_close,
    notice_create,
    objection_resolve,
)
from greencommunity.reviews.services.objections import client_hash
from reviews import fixtures_batches
from reviews.fixtures_batches import object_to, period_over, publish

deciders, mianyang = fixtures_batches.deciders, fixtures_batches.mianyang  # fixtures
to_sampling, to_notice = fixtures_batches.to_sampling, fixtures_batches.to_notice


def next_monday() -> date:
    today = timezone.localdate()
    return today + timedelta(days=7 - today.weekday())


@pytest.fixture
def listed(sc, sc_users, to_notice):
    """东门 and 南门 on a notice of 四川省 running from today."""
    applications = to_notice(sc["c1"], sc["c2"])
    return publish(sc_users["province"], sc["province"], applications), applications


def resolve(actor, objection, upheld, resolution="经核查。", outcome=None):
    return objection_resolve(actor=actor, objection=objection, upheld=upheld,
                             resolution=resolution, outcome=outcome)  # fmt: skip


# ---------------------------------------------------------------- publishing


def test_seven_working_days_skip_weekends_and_holidays(sc, sc_users, to_notice):
    applications = to_notice(sc["c1"])
    monday = next_monday()
    province = sc_users["province"]
    # Monday + 7 working days: Monday to Friday, then Monday and Tuesday
    notice = publish(province, sc["province"], applications, starts_on=monday)
    assert (notice.ends_on, notice.day_basis, notice.period_days) == (
        monday + timedelta(days=8), "working", 7,
    )  # fmt: skip
    notice_event = Event.objects.get(verb="notice.create")
    assert notice_event.after["ends_on"] == notice.ends_on.isoformat()
    PublicNotice.objects.all().delete()
    # a holiday on the Wednesday adds a day; a make-up working Saturday takes one back
    Holiday.objects.create(day=monday + timedelta(days=2), name="节日")
    notice = publish(province, sc["province"], applications, starts_on=monday)
    assert notice.ends_on == monday + timedelta(days=9)
    PublicNotice.objects.all().delete()
    Holiday.objects.create(day=monday + timedelta(days=5), name="调休", is_workday=True)
    notice = publish(province, sc["province"], applications, starts_on=monday)
    assert notice.ends_on == monday + timedelta(days=8)
    PublicNotice.objects.all().delete()
    # calendar days count every day
    notice = publish(province, sc["province"], applications, starts_on=monday, period_days=5,
                     day_basis="calendar")  # fmt: skip
    assert notice.ends_on == monday + timedelta(days=4)


def test_what_a_notice_may_list(sc, sc_users, to_sampling, to_notice):
    province = sc_users["province"]
    waiting = to_notice(sc["c1"])
    sampling = to_sampling(sc["c2"])
    with pytest.raises(ApplicationError, match="南门社区 do not wait for a public notice"):
        publish(province, sc["province"], [*waiting, sampling])
    with pytest.raises(ApplicationError, match="in the past"):
        publish(province, sc["province"], waiting,
                starts_on=timezone.localdate() - timedelta(days=1))  # fmt: skip
    with pytest.raises(ApplicationError, match="heading"):
        publish(province, sc["province"], waiting, heading=" ")
    with pytest.raises(ApplicationError, match="1 to 60 days"):
        publish(province, sc["province"], waiting, period_days=0)
    with pytest.raises(ApplicationError, match="working days or calendar"):
        publish(province, sc["province"], waiting, day_basis="lunar")
    with pytest.raises(ApplicationError, match="Choose the applications"):
        publish(province, sc["province"], [])
    publish(province, sc["province"], waiting)
    with pytest.raises(ApplicationError, match="already on an open public notice"):
        publish(province, sc["province"], waiting)


def test_who_publishes(sc, sc_users, person, to_notice):
    waiting = to_notice(sc["c1"])
    for who in ("city", "county", "committee"):
        with pytest.raises(NotFound):
            publish(sc_users[who], sc["province"], waiting)
    with pytest.raises(PermissionDenied):
        publish(person("expert", sc["province"], "sc_expert"), sc["province"], waiting)
    with pytest.raises(ApplicationError, match="do not wait for a public notice of 成都市"):
        publish(sc_users["city"], sc["city"], waiting)  # the city publishes none of Sichuan's
    assert publish(person("admin", sc["province"], "sc_admin"), sc["province"], waiting)


# ---------------------------------------------------------------- objections


def test_an_objection_while_the_notice_runs(listed, media):
    notice, (dongmen, _nanmen) = listed
    pdf = SimpleUploadedFile("证据.pdf", b"%PDF-1.4\n1 0 obj\n<<>>\nendobj\n%%EOF")
    objection = object_to(notice, dongmen, contact_email="wang@example.org", attachment=pdf)
    assert (objection.status, objection.contact_phone) == ("open", "13600000000")
    assert objection.attachment_name == "证据.pdf" and (media / objection.attachment.name).exists()
    expected = hmac.new(settings.SECRET_KEY.encode(), b"203.0.113.7", hashlib.sha256).hexdigest()
    assert objection.client_hash == expected == client_hash("203.0.113.7")
    event = Event.objects.get(verb="objection.submit")
    assert event.actor_id is None and "13600000000" not in str(event.after)
    assert "王先生" not in event.summary


def test_objection_input_is_checked(listed, media):
    notice, (dongmen, _nanmen) = listed
    with pytest.raises(ApplicationError) as refused:
        object_to(notice, dongmen, reason=" ", contact_name="", contact_phone="")
    assert set(refused.value.extra["errors"]) == {"reason", "contact_name"}
    with pytest.raises(ApplicationError, match="phone number or an e-mail"):
        object_to(notice, dongmen, contact_phone="", contact_email="")
    with pytest.raises(ApplicationError, match="valid e-mail"):
        object_to(notice, dongmen, contact_phone="", contact_email="not-an-address")
    with pytest.raises(ApplicationError) as refused:
        object_to(notice, dongmen, attachment=SimpleUploadedFile("a.txt", b"plain text here"))
    assert refused.value.extra["field"] == "attachment"
    assert not Objection.objects.exists() and not list((media / "objections").glob("*"))


def test_objections_only_in_the_period(sc, sc_users, listed, to_notice):
    notice, (dongmen, _nanmen) = listed
    later = publish(sc_users["province"], sc["province"], to_notice(sc["c3"]),
                    starts_on=timezone.localdate() + timedelta(days=3))  # fmt: skip
    with pytest.raises(ApplicationError, match="accepted from"):
        object_to(later, later.entries.get().application)
    period_over(notice)
    with pytest.raises(ApplicationError, match="accepted from"):
        object_to(notice, dongmen)
    assert not Objection.objects.exists()


def test_objections_only_to_candidates_still_on_notice(sc, sc_users, listed, to_notice):
    notice, (dongmen, _nanmen) = listed
    elsewhere = to_notice(sc["c3"])[0]
    with pytest.raises(NotFound):
        object_to(notice, elsewhere)
    from greencommunity.reviews.services import application_withdraw

    application_withdraw(actor=sc_users["committee"], application=dongmen)
    with pytest.raises(ApplicationError, match="no longer on this notice"):
        object_to(notice, dongmen)


def test_the_rate_limit_counts_per_client_and_hour(listed, settings):
    settings.OBJECTION_RATE_LIMIT = 2
    notice, (dongmen, nanmen) = listed
    object_to(notice, dongmen)
    object_to(notice, nanmen)
    with pytest.raises(ApplicationError, match="At most 2 objections an hour") as refused:
        object_to(notice, dongmen)
    assert refused.value.extra["reason"] == "rate_limited"
    object_to(notice, dongmen, ip="198.51.100.1")  # another client
    # an hour later the client may object again
    Objection.objects.update(submitted_at=timezone.now() - timedelta(minutes=61))
    object_to(notice, dongmen)
    assert Objection.objects.count() == 4


# ---------------------------------------------------------------- resolving


def test_upheld_objection_returns_the_application_to_re_enter_at_the_city(sc, sc_users, listed):
    notice, (dongmen, _nanmen) = listed
    first, second = object_to(notice, dongmen), object_to(notice, dongmen, reason="另一异议")
    province = sc_users["province"]
    with pytest.raises(ApplicationError, match="back to the community or is rejected"):
        resolve(province, first, upheld=True)
    with pytest.raises(ApplicationError, match="reason"):
        resolve(province, first, upheld=True, outcome="return", resolution="")
    resolved = resolve(province, first, upheld=True, resolution="情况属实，退回整改。",
                       outcome="return")  # fmt: skip
    assert (resolved.status, resolved.outcome, resolved.resolved_by) == ("upheld", "return",
                                                                        province)  # fmt: skip
    dongmen.refresh_from_db()
    assert (dongmen.status, dongmen.returned_from.key) == ("returned", "city")
    decision = dongmen.decisions.get(step__key="notice")
    assert (decision.verdict, decision.opinion) == ("return", "情况属实，退回整改。")
    # the application's other objection of the notice is settled alike
    second.refresh_from_db()
    assert (second.status, second.outcome) == ("upheld", "return")
    assert f"objection {first.pk}" in second.resolution
    with pytest.raises(ApplicationError, match="resolved already"):
        resolve(province, second, upheld=False)
    # resubmitted, it re-enters at the city re-check, not at the notice
    application = application_submit(actor=sc_users["committee"], application=dongmen)
    assert application.current_step.key == "city"
    event = Event.objects.get(verb="objection.resolve")
    assert event.after["application"]["status"] == "returned"
    assert event.after["settled"] == [second.pk]


def test_upheld_objection_may_reject_and_dismissing_needs_a_reason(sc_users, listed):
    notice, (dongmen, nanmen) = listed
    province = sc_users["province"]
    rejecting, dismissed = object_to(notice, dongmen), object_to(notice, nanmen)
    resolve(province, rejecting, upheld=True, resolution="弄虚作假。", outcome="reject")
    dongmen.refresh_from_db()
    assert dongmen.status == "rejected" and dongmen.closed_at is not None
    with pytest.raises(ApplicationError, match="reason for dismissing"):
        resolve(province, dismissed, upheld=False, resolution=" ")
    with pytest.raises(ApplicationError, match="changes nothing"):
        resolve(province, dismissed, upheld=False, outcome="return")
    resolve(province, dismissed, upheld=False, resolution="经核查，异议不成立。")
    nanmen.refresh_from_db()
    assert nanmen.current_step.key == "notice"  # still on notice


def test_who_resolves_and_who_sees_the_contact(sc, sc_users, person, listed):
    notice, (dongmen, _nanmen) = listed
    objection = object_to(notice, dongmen, contact_email="wang@example.org")
    # the county and the city see the application, not the objector
    for who in ("county", "city", "street", "committee"):
        (view,) = objection_list(sc_users[who], notice=notice)
        assert view.objection == objection and view.objection.reason == "该社区垃圾分类未落实。"
        assert not view.with_contact and not view.has_attachment
        assert (view.contact_name, view.contact_phone, view.contact_email) == ("", "", "")
        with pytest.raises(PermissionDenied):
            resolve(sc_users[who], objection, upheld=False)
    # the province's housing department decides it and sees who made it
    (view,) = objection_list(sc_users["province"], application=dongmen)
    assert view.with_contact
    assert (view.contact_name, view.contact_phone, view.contact_email) == (
        "王先生", "13600000000", "wang@example.org",
    )  # fmt: skip
    # outside the application's scope the objection does not exist
    assert objection_list(sc_users["other_county"], notice=notice) == []
    with pytest.raises(NotFound):
        access_objection(sc_users["other_county"], objection.pk)
    with pytest.raises(NotFound):
        resolve(sc_users["other_county"], objection, upheld=False)
    with pytest.raises(PermissionDenied):
        resolve(person("expert", sc["province"], "sc_expert"), objection, upheld=False)
    resolve(person("admin", sc["province"], "sc_admin"), objection, upheld=False)


# ---------------------------------------------------------------- closing


def test_closing_moves_the_candidates_on_to_naming(sc_users, listed):
    notice, (dongmen, nanmen) = listed
    province = sc_users["province"]
    with pytest.raises(ApplicationError, match="it can be closed from the day after"):
        notice_close(actor=province, notice=notice)
    objection = object_to(notice, nanmen)
    period_over(notice)
    with pytest.raises(ApplicationError, match=f"open objections first: 南门社区 #{objection.pk}"):
        notice_close(actor=province, notice=notice)
    resolve(province, objection, upheld=False, resolution="不成立。")
    closed = notice_close(actor=province, notice=notice)
    assert closed.status == "closed" and notice.status == "closed"
    for application, opinion in ((dongmen, "公示期满，无异议。"),
                                 (nanmen, "公示期满，收到异议1件，经核查不成立。")):  # fmt: skip
        application.refresh_from_db()
        assert application.current_step.key == "naming"
        decision = application.decisions.get(step__key="notice")
        assert (decision.verdict, decision.opinion) == ("approve", opinion)
    with pytest.raises(ApplicationError, match="closed already"):
        notice_close(actor=province, notice=notice)
    assert Event.objects.get(verb="notice.close").after["approved"] == [dongmen.pk, nanmen.pk]


def test_closing_skips_candidates_that_left_the_notice(sc_users, listed):
    notice, (dongmen, nanmen) = listed
    province = sc_users["province"]
    resolve(province, object_to(notice, dongmen), upheld=True, resolution="属实。",
            outcome="return")  # fmt: skip
    period_over(notice)
    notice_close(actor=province, notice=notice)
    dongmen.refresh_from_db()
    nanmen.refresh_from_db()
    assert dongmen.status == "returned" and nanmen.current_step.key == "naming"


def test_who_closes(sc, sc_users, person, listed):
    notice, _applications = listed
    period_over(notice)
    with pytest.raises(NotFound):
        notice_close(actor=sc_users["city"], notice=notice)
    with pytest.raises(PermissionDenied):
        notice_close(actor=person("expert", sc["province"], "sc_expert"), notice=notice)
    notice.refresh_from_db()
    assert notice.status == "open"


def test_notice_create_is_keyword_only(sc, sc_users):
    with pytest.raises(TypeError):
        notice_create(sc_users["province"], sc["province"])  # type: ignore[misc]
