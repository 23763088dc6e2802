"""Jobs API: a job's progress and result belong to the user who started it."""

import uuid

import pytest

from greencommunity.access.roles import Role
from greencommunity.documents.models import Job, JobStatus
from greencommunity.documents.services import job_attach_result


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def owner(tree, make_user):
    return make_user(Role.ADMIN, tree["county"], username="owner")


@pytest.fixture
def running_job(owner):
    return Job.objects.create(kind="test.export", created_by=owner, status=JobStatus.RUNNING,
                              done=30, total=120, message="第 30 行")  # fmt: skip


def test_the_owner_polls_progress(client, owner, running_job):
    # given a running job
    client.force_login(owner)
    # when its owner polls it
    response = client.get(f"/api/v1/jobs/{running_job.pk}")
    # then they see how far it got, and no result yet
    assert response.status_code == 200
    body = response.json()
    assert body["id"] == str(running_job.pk)
    assert (body["status"], body["percent"], body["done"], body["total"]) == (
        "running",
        25,
        30,
        120,
    )
    assert body["message"] == "第 30 行"
    assert body["errors"] == [] and body["result_url"] is None


def test_a_finished_job_links_to_its_result_file(client, owner, running_job):
    # given a job that succeeded with a file
    job_attach_result(running_job, "名单.xlsx", b"PK\x03\x04 spreadsheet")
    running_job.status = JobStatus.SUCCEEDED
    running_job.result = {"rows": 120}
    running_job.save()
    client.force_login(owner)
    # when its owner polls it
    body = client.get(f"/api/v1/jobs/{running_job.pk}").json()
    # then it is complete and names a download URL
    assert (body["status"], body["percent"], body["result"]) == ("succeeded", 100, {"rows": 120})
    assert body["result_url"] == f"http://testserver/api/v1/jobs/{running_job.pk}/result"
    # which serves the file
    download = client.get(body["result_url"])
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == b"PK\x03\x04 spreadsheet"
    assert "attachment" in download["Content-Disposition"]


def test_a_failed_job_reports_row_errors(client, owner):
    errors = [{"row": 12, "column": "区划代码", "value": "37032100100", "reason": "应为 12 位数字"}]
    job = Job.objects.create(kind="test.import", created_by=owner, status=JobStatus.FAILED,
                             message="导入失败", errors=errors)  # fmt: skip
    client.force_login(owner)
    body = client.get(f"/api/v1/jobs/{job.pk}").json()
    assert body["status"] == "failed" and body["errors"] == errors
    assert client.get(f"/api/v1/jobs/{job.pk}/result").status_code == 404


def test_another_user_gets_404(client, tree, make_user, running_job):
    # given the province administrator, who is not the job's owner
    client.force_login(make_user(Role.ADMIN, tree["province"]))
    # when they poll the job or download its result
    # then it does not exist for them, as a job that does not exist
    other = client.get(f"/api/v1/jobs/{running_job.pk}")
    missing = client.get(f"/api/v1/jobs/{uuid.uuid4()}")
    assert other.status_code == missing.status_code == 404
    assert other.json() == missing.json()
    assert client.get(f"/api/v1/jobs/{running_job.pk}/result").status_code == 404


def test_a_malformed_id_gets_422(client, owner):
    client.force_login(owner)
    response = client.get("/api/v1/jobs/not-a-uuid")
    assert response.status_code == 422
    assert set(response.json()) == {"message", "extra"}
