"""Registry import on the web: upload → preview (dry run) → confirm → import, as jobs."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from greencommunity.documents.models import Job
from greencommunity.documents.services import job_run
from greencommunity.documents.xlsx import read_table, read_xlsx_values
from greencommunity.regions.models import Compound
from greencommunity.regions.services.data_import import COMPOUND_ALIASES, indicator_aliases
from greencommunity.regions.services.registry_import import ALIASES


def upload(client, kind, text, django_capture_on_commit_callbacks):
    f = SimpleUploadedFile("c.csv", text.encode(), content_type="text/csv")
    with django_capture_on_commit_callbacks(execute=False):
        response = client.post(reverse("registry:import", args=[kind]), {"file": f})
    assert response.status_code == 302
    job = Job.objects.latest("created_at")
    job_run(str(job.pk))
    job.refresh_from_db()
    return job


def test_preview_then_confirm_imports_the_same_file(
    client, tree, make_user, django_capture_on_commit_callbacks
):
    user = make_user("street", tree["street"])
    client.force_login(user)
    preview = upload(client, "compounds", "社区代码,小区名称\n370321001002,西苑小区\n",
                     django_capture_on_commit_callbacks)  # fmt: skip
    assert preview.status == "succeeded" and preview.result["created"] == 1
    assert not Compound.objects.exists()  # a preview writes nothing
    page = client.get(reverse("documents:job_detail", args=[preview.pk])).content.decode()
    assert reverse("documents:job_confirm", args=[preview.pk]) in page
    with django_capture_on_commit_callbacks(execute=False):
        response = client.post(reverse("documents:job_confirm", args=[preview.pk]))
    real = Job.objects.exclude(pk=preview.pk).get()
    assert response.url == reverse("documents:job_detail", args=[real.pk])
    job_run(str(real.pk))
    assert Compound.objects.filter(name="西苑小区").exists()
    # a preview is confirmed once
    client.post(reverse("documents:job_confirm", args=[preview.pk]))
    assert Job.objects.count() == 2


def test_a_failed_preview_lists_the_errors_and_offers_no_confirm(
    client, tree, make_user, django_capture_on_commit_callbacks
):
    client.force_login(make_user("street", tree["street"]))
    job = upload(client, "compounds", "社区代码,小区名称\n370321001099,甲\n",
                 django_capture_on_commit_callbacks)  # fmt: skip
    assert job.status == "failed"
    page = client.get(reverse("documents:job_detail", args=[job.pk])).content.decode()
    assert "370321001099" in page and "找不到该社区" in page
    assert reverse("documents:job_confirm", args=[job.pk]) not in page


def test_who_sees_which_import(client, tree, make_user):
    client.force_login(make_user("community", tree["community"]))
    assert client.get(reverse("registry:import_home")).status_code == 404
    client.force_login(make_user("street", tree["street"]))
    assert client.get(reverse("registry:import", args=["compounds"])).status_code == 200
    assert client.get(reverse("registry:import", args=["regions"])).status_code == 404
    client.force_login(make_user("admin", tree["county"]))
    assert client.get(reverse("registry:import", args=["regions"])).status_code == 200


@pytest.mark.parametrize("kind", ["regions", "compounds", "indicators"])
def test_templates_download_with_the_headers_the_importer_reads(client, tree, make_user, kind):
    client.force_login(make_user("admin", tree["county"]))
    response = client.get(reverse("registry:import_template", args=[kind]))
    assert response.status_code == 200
    rows = read_xlsx_values(io.BytesIO(response.content))
    assert rows[0][0] in {"区划代码", "社区代码"} and rows[1][0] == "370321001002"
    # the importer reads the template's own headers: one data row, keyed by field
    aliases = {"regions": ALIASES, "compounds": COMPOUND_ALIASES}.get(kind) or indicator_aliases()
    parsed = read_table(response.content, aliases=aliases, name="t.xlsx")
    assert len(parsed) == 1 and set(parsed[0][1]) >= {"name" if kind != "indicators" else "year"}


def test_only_xlsx_or_csv_is_accepted(client, tree, make_user):
    client.force_login(make_user("street", tree["street"]))
    f = SimpleUploadedFile("c.pdf", b"%PDF-1.4", content_type="application/pdf")
    response = client.post(reverse("registry:import", args=["compounds"]), {"file": f})
    assert response.status_code == 200 and ".xlsx" in response.content.decode()
    assert not Job.objects.exists()


def test_web_export_is_scoped_and_round_trips(client, tree, make_user):
    client.force_login(make_user("housing", tree["county"]))
    response = client.get(reverse("registry:export"), {"format": "csv"})
    assert response.status_code == 200
    rows = read_table(response.content, aliases=ALIASES, name="e.csv")
    assert {r[1]["code"] for r in rows} == {"370321000000", "370321001000", "370321001002"}
    assert client.get(reverse("registry:export"), {"region": "370303000000"}).status_code == 404
    xlsx = client.get(reverse("registry:export"), {"region": "370321001000"})
    assert xlsx["Content-Type"].startswith("application/vnd.openxmlformats")
