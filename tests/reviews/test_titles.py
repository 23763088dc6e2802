"""Titles: certificate numbers, granting (one live title per community and kind), status
changes, and who may see and change titles on the pages."""

import threading
from datetime import date, timedelta

import pytest
from django.db import connection
from django.urls import reverse

from greencommunity.audit.models import Event
from greencommunity.core.errors import ApplicationError, PermissionDenied
from greencommunity.reviews.models import Title, TitleConfig, TitleStatus
from greencommunity.reviews.services.titles import (
    certificate_number_next,
    certificate_numbers_next,
    certificate_series,
    title_grant,
    title_set_status,
)
from greencommunity.reviews.services.titles_import import titles_import
from reviews import fixtures_titles
from reviews.fixtures_titles import grant, table

people, sichuan = fixtures_titles.people, fixtures_titles.sichuan  # fixtures

# ---------------------------------------------------------------- certificate numbers


def test_sichuan_numbers_follow_its_pattern_per_kind_and_year(sichuan):
    # given the migration's Sichuan settings and no titles yet
    dongyu = sichuan["dongyu"].code
    # then the first numbers of each kind and year start at 1
    assert certificate_number_next(region_code=dongyu, kind="green", year=2022) == (
        "SC-LSSQ-2022-0001"
    )
    assert certificate_number_next(region_code=dongyu, kind="demonstration", year=2022) == (
        "SC-SFLSSQ-2022-0001"
    )
    # and granting takes them one after the other, each kind and year on its own
    assert grant(sichuan["dongyu"]).certificate_number == "SC-LSSQ-2022-0001"
    assert grant(sichuan["yuefu"]).certificate_number == "SC-LSSQ-2022-0002"
    assert grant(sichuan["yuquan"], year=2021).certificate_number == "SC-LSSQ-2021-0001"
    assert grant(sichuan["dongyu"], kind="demonstration").certificate_number == (
        "SC-SFLSSQ-2022-0001"
    )
    assert certificate_number_next(region_code=dongyu, kind="green", year=2022) == (
        "SC-LSSQ-2022-0003"
    )


def test_numbers_continue_after_imported_numbers_and_gaps(sichuan, people):
    # given imported titles numbered 0007 and 0012 of 2022 and one of another pattern
    titles_import(actor=people["province"], rows=table(
        "区划代码,称号,年度,证书编号\n"
        "510104001001,绿色社区,2022,SC-LSSQ-2022-0007\n"
        "510104001002,绿色社区,2022,SC-LSSQ-2022-0012\n"
        "510104001003,绿色社区,2022,成都-2022-099\n"
    ))  # fmt: skip
    # then the next number follows the highest one of the pattern, gaps and all
    assert (
        certificate_number_next(region_code=sichuan["kuanxiang"].code, kind="green", year=2022)
        == "SC-LSSQ-2022-0013"
    )
    numbers = certificate_numbers_next(
        [("510105001001", "green", 2022), ("510703001001", "green", 2022),
         ("510105001001", "demonstration", 2022)],
        taken=["SC-LSSQ-2022-0020"],
    )  # fmt: skip
    assert numbers == ["SC-LSSQ-2022-0021", "SC-LSSQ-2022-0022", "SC-SFLSSQ-2022-0001"]


def test_nearest_settings_win_and_the_default_pattern_applies_elsewhere(sichuan, tree):
    # given 成都市 with its own pattern under Sichuan's
    TitleConfig.objects.create(region_code="510100000000", certificate_pattern="CD{year}{seq:03d}")
    assert certificate_number_next(region_code="510104001001", kind="green", year=2023) == (
        "CD2023001"
    )
    assert certificate_number_next(region_code="510703001001", kind="green", year=2023) == (
        "SC-LSSQ-2023-0001"
    )
    # and Shandong, without settings, the default
    assert certificate_number_next(region_code="370321001002", kind="demonstration",
                                   year=2023) == "SFLSSQ-2023-0001"  # fmt: skip


@pytest.mark.parametrize("pattern", ["{kind}-{year}", "{kind}-{nope}-{seq}", "{seq:x.y}", "{"])
def test_unusable_patterns_are_refused(pattern):
    with pytest.raises(ApplicationError):
        certificate_series(pattern, "green", 2022)


def test_series_parses_only_its_own_numbers():
    s = certificate_series("SC-{kind}-{year}-{seq:04d}", "green", 2022)
    assert s.parse("SC-LSSQ-2022-0042") == 42
    assert s.parse("SC-LSSQ-2022-00x2") is None
    assert s.parse("SC-SFLSSQ-2022-0042") is None
    assert s.format(12345) == "SC-LSSQ-2022-12345"


# ---------------------------------------------------------------- grant


def test_grant_records_the_title_and_an_audit_event(sichuan, people):
    title = title_grant(actor=people["jinjiang"], community=sichuan["dongyu"].community,
                        kind="green", year=2022, named_on=date(2022, 12, 20))  # fmt: skip
    assert title.status == TitleStatus.VALID and title.source == "platform"
    event = Event.objects.get(verb="title.grant")
    assert event.target_id == str(title.pk) and event.region_code == "510104001001"
    assert event.after["certificate_number"] == "SC-LSSQ-2022-0001"


def test_a_community_holds_each_title_once_at_a_time(sichuan, people):
    first = grant(sichuan["dongyu"], year=2021)
    # when the same title is granted again
    with pytest.raises(ApplicationError, match=first.certificate_number):
        grant(sichuan["dongyu"], year=2022)
    # the other title is a different matter
    grant(sichuan["dongyu"], kind="demonstration")
    # once revoked, the title may be earned again
    title_set_status(actor=people["province"], title=first, status="revoked",
                     on=date(2022, 6, 1), reason="复查不合格")  # fmt: skip
    again = grant(sichuan["dongyu"], year=2023)
    assert again.certificate_number == "SC-LSSQ-2023-0001"


def test_a_given_certificate_number_must_be_free(sichuan):
    grant(sichuan["dongyu"], certificate_number="X-1")
    with pytest.raises(ApplicationError, match="X-1"):
        grant(sichuan["yuefu"], certificate_number="X-1")


def test_only_housing_and_admins_over_the_community_grant(sichuan, people):
    for who in ("street", "committee", "expert", "mianyang", "nobody"):
        with pytest.raises(PermissionDenied):
            title_grant(actor=people[who], community=sichuan["dongyu"].community,
                        kind="green", year=2022, named_on=date(2022, 12, 1))  # fmt: skip
    assert not Title.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_concurrent_grants_take_different_numbers(sichuan):
    # given two communities named at the same moment
    errors, numbers = [], []

    def name(key):
        try:
            numbers.append(grant(sichuan[key]).certificate_number)
        except Exception as exc:  # reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=name, args=(k,)) for k in ("dongyu", "yuefu", "yuquan")]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    assert sorted(numbers) == ["SC-LSSQ-2022-0001", "SC-LSSQ-2022-0002", "SC-LSSQ-2022-0003"]


# ---------------------------------------------------------------- status


def test_status_goes_to_rectification_and_back_then_revoked_is_final(sichuan, people):
    title = grant(sichuan["dongyu"], year=2021, named_on=date(2021, 12, 1))
    actor = people["jinjiang"]
    title_set_status(actor=actor, title=title, status="under_rectification",
                     on=date(2022, 3, 1), reason="垃圾分类不达标")  # fmt: skip
    title.refresh_from_db()
    assert title.status == "under_rectification" and title.status_changed_on == date(2022, 3, 1)
    title_set_status(actor=actor, title=title, status="valid", on=date(2022, 6, 1), reason="已整改")
    title_set_status(actor=actor, title=title, status="revoked", on=date(2023, 1, 5),
                     reason="复查不合格")  # fmt: skip
    title.refresh_from_db()
    assert title.status == "revoked" and title.revoked_on == date(2023, 1, 5)
    for status in ("valid", "under_rectification"):
        with pytest.raises(ApplicationError, match=r"revoked|撤销"):
            title_set_status(actor=actor, title=title, status=status, on=date(2023, 2, 1),
                             reason="x")  # fmt: skip
    events = Event.objects.filter(verb="title.status").order_by("seq")
    assert [e.after["status"] for e in events] == ["under_rectification", "valid", "revoked"]
    assert events.last().after["reason"] == "复查不合格"


def test_status_changes_need_a_reason_a_sane_date_and_a_new_status(sichuan, people):
    title = grant(sichuan["dongyu"], year=2021, named_on=date(2021, 12, 1))
    actor = people["jinjiang"]
    bad = [
        dict(status="valid", on=date(2022, 1, 1), reason="x"),  # no change
        dict(status="revoked", on=date(2022, 1, 1), reason="  "),  # no reason
        dict(status="revoked", on=date(2021, 11, 30), reason="x"),  # before naming
        dict(status="revoked", on=date.today() + timedelta(days=1), reason="x"),  # future
        dict(status="lost", on=date(2022, 1, 1), reason="x"),
    ]
    for kwargs in bad:
        with pytest.raises(ApplicationError):
            title_set_status(actor=actor, title=title, **kwargs)
    title.refresh_from_db()
    assert title.status == "valid" and not Event.objects.filter(verb="title.status").exists()


def test_only_housing_and_admins_over_it_change_the_status(sichuan, people):
    title = grant(sichuan["dongyu"])
    for who in ("street", "committee", "expert", "mianyang", "qingyang_admin"):
        with pytest.raises(PermissionDenied):
            title_set_status(actor=people[who], title=title, status="revoked",
                             on=date.today(), reason="x")  # fmt: skip


# ---------------------------------------------------------------- pages: permission matrix

# who → (list shows it, detail/plaque status code, status change status code)
MATRIX = {
    "province": (True, 200, 302),
    "jinjiang": (True, 200, 302),
    "street": (True, 200, 403),
    "committee": (True, 200, 403),
    "expert": (True, 200, 403),
    "qingyang_admin": (False, 404, 404),
    "mianyang": (False, 404, 404),
    "nobody": (False, 404, 404),
}


@pytest.mark.parametrize("who", list(MATRIX))
def test_permission_matrix_of_the_title_pages(client, sichuan, people, who):
    title = grant(sichuan["dongyu"], named_on=date(2022, 12, 1))
    listed, detail, change = MATRIX[who]
    client.force_login(people[who])
    page = client.get(reverse("titles:title_list")).content.decode()
    assert (title.certificate_number in page) is listed
    assert client.get(reverse("titles:title_detail", args=[title.pk])).status_code == detail
    plaque = client.get(reverse("titles:title_plaque", args=[title.pk]))
    assert plaque.status_code == detail
    if detail == 200:
        assert plaque["Content-Type"] == "application/pdf" and plaque.content[:4] == b"%PDF"
    response = client.post(
        reverse("titles:title_status", args=[title.pk]),
        {"status": "under_rectification", "on": "2023-01-10", "reason": "整改"},
    )
    assert response.status_code == change
    title.refresh_from_db()
    assert (title.status == "under_rectification") is (change == 302)


def test_anonymous_users_are_sent_to_login(client, sichuan):
    title = grant(sichuan["dongyu"])
    for url in (reverse("titles:title_list"), reverse("titles:title_detail", args=[title.pk]),
                reverse("titles:title_plaque", args=[title.pk])):  # fmt: skip
        assert client.get(url).status_code == 302


def test_list_filters_and_detail_form_errors(client, sichuan, people):
    grant(sichuan["dongyu"], year=2021)
    grant(sichuan["kuanxiang"], kind="demonstration", year=2022)
    client.force_login(people["province"])
    url = reverse("titles:title_list")

    def numbers(**params):
        page = client.get(url, params).content.decode()
        return {n for n in ("SC-LSSQ-2021-0001", "SC-SFLSSQ-2022-0001") if n in page}

    assert numbers() == {"SC-LSSQ-2021-0001", "SC-SFLSSQ-2022-0001"}
    assert numbers(kind="demonstration") == {"SC-SFLSSQ-2022-0001"}
    assert numbers(year="2021") == {"SC-LSSQ-2021-0001"}
    assert numbers(region="510105") == {"SC-SFLSSQ-2022-0001"}
    assert numbers(status="revoked") == set()
    assert numbers(q="东御街") == {"SC-LSSQ-2021-0001"}
    partial = client.get(url, {"kind": "green"}, headers={"HX-Request": "true"})
    partial = partial.content.decode()
    assert "<html" not in partial and "SC-LSSQ-2021-0001" in partial
    # a status change without a reason shows the error at the form
    title = Title.objects.get(certificate_number="SC-LSSQ-2021-0001")
    response = client.post(reverse("titles:title_status", args=[title.pk]),
                           {"status": "revoked", "on": "2019-01-01", "reason": "原因"})  # fmt: skip
    assert response.status_code == 200 and "2021-12-20" in response.content.decode()
    title.refresh_from_db()
    assert title.status == "valid"


def test_list_pages_take_a_fixed_number_of_queries(client, sichuan, people,
                                                   django_assert_max_num_queries):  # fmt: skip
    for key in ("dongyu", "yuefu", "yuquan", "kuanxiang", "dongjie"):
        grant(sichuan[key])
    client.force_login(people["province"])
    with django_assert_max_num_queries(12):
        assert client.get(reverse("titles:title_list")).status_code == 200
    client.logout()
    with django_assert_max_num_queries(6):
        assert client.get(reverse("public:title_list")).status_code == 200
