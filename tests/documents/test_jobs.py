"""Import jobs end to end: upload, run, progress, errors, result file; and the job pages."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook

from greencommunity.access.models import RoleAssignment, User
from greencommunity.access.roles import Role
from greencommunity.audit.models import Event
from greencommunity.documents.models import Job, JobStatus
from greencommunity.documents.registry import _KINDS, register_job_kind
from greencommunity.documents.services import job_create, job_run
from greencommunity.documents.xlsx import XLSX_CONTENT_TYPE, read_xlsx_values

HEADERS = ["用户名", "姓名", "所属区划", "角色"]
XLSX = XLSX_CONTENT_TYPE


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def county_admin(tree, make_user):
    return make_user(Role.ADMIN, tree["county"], username="county_admin")


def _upload(*rows, name="accounts.xlsx"):
    wb = Workbook()
    wb.active.append(HEADERS)
    for row in rows:
        wb.active.append(row)
    out = io.BytesIO()
    wb.save(out)
    return SimpleUploadedFile(name, out.getvalue(), content_type=XLSX)


GOOD_ROWS = [
    ["xiyuan", "王芳", "370321001002", "社区居委会"],
    ["chengqu", "李强", "370321001000", "街道办事处"],
]


def _state():
    return (User.objects.count(), RoleAssignment.objects.count(), Event.objects.count())


def test_upload_runs_the_job_through_the_task_and_serves_the_result(
    client, settings, county_admin, django_capture_on_commit_callbacks
):
    # given the task backend runs tasks at once
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
    client.force_login(county_admin)
    # when the administrator uploads a file on the import page
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("access:user_import"), {"file": _upload(*GOOD_ROWS)})
    # then a job was created, enqueued after commit, and has run
    job = Job.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("documents:job_detail", args=[job.pk])
    job.refresh_from_db()
    assert (job.kind, job.status, job.input_name) == (
        "accounts.import",
        JobStatus.SUCCEEDED,
        "accounts.xlsx",
    )
    assert (job.done, job.total, job.percent) == (2, 2, 100)
    assert job.result == {"checked": 2, "created": 2, "dry_run": False}
    # and the job page shows it finished, with a full progress bar and no more polling
    page = client.get(response.url).content.decode()
    assert 'role="progressbar"' in page and 'aria-valuenow="100"' in page
    assert "hx-trigger" not in page
    assert reverse("documents:job_download", args=[job.pk]) in page
    # and the result file lists each account with an initial password that works
    download = client.get(reverse("documents:job_download", args=[job.pk]))
    assert download.status_code == 200
    assert download["Content-Type"] == XLSX
    assert "attachment" in download["Content-Disposition"]
    assert job.result_name in download["Content-Disposition"]
    assert "no-store" in download["Cache-Control"]
    rows = read_xlsx_values(b"".join(download.streaming_content))
    by_username = {r[1]: r for r in rows[1:]}
    assert set(by_username) == {"xiyuan", "chengqu"}
    for username, row in by_username.items():
        user = User.objects.get(username=username)
        assert user.check_password(row[-1]) and user.must_change_password


def test_a_job_with_errors_fails_lists_them_and_writes_nothing(client, county_admin):
    # given an uploaded file with a bad code and a county outside the administrator's
    client.force_login(county_admin)
    upload = _upload(
        GOOD_ROWS[0],
        ["bad", "", "3703210010", "社区居委会"],
        ["outside", "", "370303001000", "街道办事处"],
    )
    before = _state()
    job = job_create(actor=county_admin, kind="accounts.import", upload=upload)
    # when the worker runs it
    job = job_run(str(job.pk))
    # then it failed with one error per problem and nothing was written
    assert job.status == JobStatus.FAILED
    assert [(e["row"], e["column"], e["value"]) for e in job.errors] == [
        (3, "所属区划", "3703210010"),
        (4, "所属区划", "370303001000"),
    ]
    assert all(e["reason"] and e["reason_en"] for e in job.errors)
    assert _state() == before
    assert not job.result_file
    # and the page shows the error table
    page = client.get(reverse("documents:job_detail", args=[job.pk])).content.decode()
    assert "3703210010" in page and "应为 12 位数字" in page
    assert 'role="progressbar"' in page and "bg-danger" in page
    assert client.get(reverse("documents:job_download", args=[job.pk])).status_code == 404


def test_a_dry_run_job_checks_only(county_admin):
    job = job_create(
        actor=county_admin,
        kind="accounts.import",
        params={"dry_run": True},
        upload=_upload(*GOOD_ROWS),
    )
    before = _state()
    job = job_run(str(job.pk))
    assert job.status == JobStatus.SUCCEEDED
    assert job.result == {"checked": 2, "created": 0, "dry_run": True}
    assert not job.result_file
    assert _state() == before


def test_running_a_job_twice_does_nothing_the_second_time(county_admin):
    job = job_create(actor=county_admin, kind="accounts.import", upload=_upload(*GOOD_ROWS))
    job_run(str(job.pk))
    count = User.objects.count()
    assert job_run(str(job.pk)).status == JobStatus.SUCCEEDED
    assert User.objects.count() == count


@pytest.fixture
def slow_kind():
    """A job kind that stops half way, to look at a running job."""

    def handler(job, progress):
        progress(3, 10, "halfway")
        raise AssertionError("not reached")

    register_job_kind("test.slow", handler, label="Slow test job")
    yield "test.slow"
    _KINDS.pop("test.slow", None)


def test_an_unfinished_job_polls_and_htmx_gets_only_the_status_part(
    client, county_admin, slow_kind
):
    job = job_create(actor=county_admin, kind=slow_kind)
    Job.objects.filter(pk=job.pk).update(
        status=JobStatus.RUNNING, done=3, total=10, message="halfway"
    )
    client.force_login(county_admin)
    url = reverse("documents:job_detail", args=[job.pk])
    # the full page polls its own URL
    page = client.get(url).content.decode()
    assert "<html" in page and "Slow test job" in page
    assert f'hx-get="{url}"' in page and 'hx-trigger="every 2s"' in page
    assert 'aria-valuenow="30"' in page
    # and the htmx request gets only the status part
    part = client.get(url, headers={"HX-Request": "true"}).content.decode()
    assert "<html" not in part and 'id="job-status"' in part and 'aria-valuenow="30"' in part
    assert "halfway" in part


def test_an_unexpected_failure_does_not_show_a_traceback(client, county_admin, slow_kind):
    job = job_run(str(job_create(actor=county_admin, kind=slow_kind).pk))
    assert job.status == JobStatus.FAILED
    client.force_login(county_admin)
    page = client.get(reverse("documents:job_detail", args=[job.pk])).content.decode()
    assert "Traceback" not in page


def test_another_user_gets_404_for_the_job_and_its_file(client, tree, county_admin, make_user):
    job = job_create(actor=county_admin, kind="accounts.import", upload=_upload(*GOOD_ROWS))
    job_run(str(job.pk))
    # even an administrator above the job's creator
    province_admin = make_user(Role.ADMIN, tree["province"], username="province_admin")
    client.force_login(province_admin)
    assert client.get(reverse("documents:job_detail", args=[job.pk])).status_code == 404
    assert client.get(reverse("documents:job_download", args=[job.pk])).status_code == 404


def test_job_pages_need_a_signed_in_user(client, county_admin):
    job = job_create(actor=county_admin, kind="accounts.import", upload=_upload(*GOOD_ROWS))
    response = client.get(reverse("documents:job_detail", args=[job.pk]))
    assert response.status_code == 302 and reverse("access:login") in response.url
