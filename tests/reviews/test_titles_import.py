"""Import of existing titles: xlsx and csv (UTF-8 with or without BOM, GB18030), all rows or
none, each problem named by row and column, scoped to the importer's regions; the CLI (exit
code 2) and the web (upload → preview → confirm, as jobs)."""

import io
from datetime import date, timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connections
from django.urls import reverse
from django.utils import timezone

from greencommunity.audit.models import Event
from greencommunity.cli import main
from greencommunity.core.errors import RowError
from greencommunity.documents.models import Job
from greencommunity.documents.services import job_run
from greencommunity.documents.xlsx import read_table, read_xlsx_values, write_xlsx
from greencommunity.reviews.models import Title
from greencommunity.reviews.services.titles_import import ALIASES, titles_import
from reviews import fixtures_titles
from reviews.fixtures_titles import grant, table

people, sichuan = fixtures_titles.people, fixtures_titles.sichuan  # fixtures

HEAD = "区划代码,称号,年度,命名日期,证书编号,状态,撤销日期\n"
GOOD = "510104001001,绿色社区,2021,2021-12-20,,有效,\n"
TODAY = date.today()
TOMORROW = TODAY + timedelta(days=1)


def state():
    return (
        sorted(Title.objects.values_list("community_id", "kind", "certificate_number", "status")),
        Event.objects.count(),
    )


def test_a_file_of_existing_titles_is_imported(sichuan, people):
    rows = table(HEAD + GOOD
                 + "510104001002,省级示范绿色社区,2022,,SC-SFLSSQ-2022-0007,整改中,\n"
                 + "510104001003,绿色社区,2020,2020-12-31,,已撤销,2023-06-30\n"
                 + "510104001003,绿色社区,2023,,,,\n")  # fmt: skip
    summary = titles_import(actor=people["province"], rows=rows)
    assert summary.as_dict()["created"] == 4 and summary.numbered == 3
    titles = Title.objects.select_related("community__region")
    got = {(t.community.region.code, t.year): t for t in titles}
    dongyu = got[("510104001001", 2021)]
    assert (dongyu.kind, dongyu.certificate_number, dongyu.status, dongyu.source) == (
        "green", "SC-LSSQ-2021-0001", "valid", "imported",
    )  # fmt: skip
    yuefu = got[("510104001002", 2022)]
    assert yuefu.named_on == date(2022, 12, 31) and yuefu.status == "under_rectification"
    revoked = got[("510104001003", 2020)]
    assert revoked.revoked_on == date(2023, 6, 30) == revoked.status_changed_on
    assert got[("510104001003", 2023)].certificate_number == "SC-LSSQ-2023-0001"
    assert len({t.public_id for t in got.values()}) == 4
    event = Event.objects.get(verb="title.import")
    assert event.after["rows"] == 4 and event.region_code == "510104001000"


def _encoded(text: str, how: str) -> tuple[bytes, str]:
    if how == "xlsx":
        lines = [line.split(",") for line in text.strip().split("\n")]
        return write_xlsx(lines[0], lines[1:], text_columns=[0]), "t.xlsx"
    return text.encode({"utf-8": "utf-8", "utf-8-sig": "utf-8-sig", "gb18030": "gb18030"}[how]), (
        "t.csv"
    )


@pytest.mark.parametrize("how", ["xlsx", "utf-8", "utf-8-sig", "gb18030"])
def test_xlsx_and_csv_in_each_encoding(sichuan, people, how):
    text = (
        HEAD
        + "510104001001,绿色社区,2021,2021-12-20,,有效,\n"
        + ("510104001002,省级示范绿色社区,2022,2022年12月1日,成都-007,已撤销,2023-01-02\n")
    )
    data, name = _encoded(text, how)
    titles_import(actor=people["province"], rows=read_table(data, aliases=ALIASES, name=name))
    assert set(Title.objects.values_list("certificate_number", "kind", "status")) == {
        ("SC-LSSQ-2021-0001", "green", "valid"),
        ("成都-007", "demonstration", "revoked"),
    }


def test_english_headers_and_values(sichuan, people):
    rows = table("code,title,year,named_on,certificate_number,status,revoked_on\n"
                 "510104001001,green,2021,2021-12-20,,valid,\n"
                 "510104001002,Demonstration,2022,,,under_rectification,\n"
                 "510104001003,green,2020,,,revoked,2021-03-01\n")  # fmt: skip
    titles_import(actor=people["province"], rows=rows)
    assert Title.objects.count() == 3


BAD = [
    # (row 3 of the file, column, value, part of the reason)
    ("51010400100,绿色社区,2021,,,,", "区划代码", "51010400100", "12 位"),
    ("5101040010ab,绿色社区,2021,,,,", "区划代码", "5101040010ab", "只能包含数字"),
    ("510104001000,绿色社区,2021,,,,", "区划代码", "510104001000", "社区一级"),
    ("510104001099,绿色社区,2021,,,,", "区划代码", "510104001099", "找不到该社区"),
    ("510104001201,绿色社区,2021,,,,", "区划代码", "510104001201", "不是城市社区"),
    ("510104001002,,2021,,,,", "称号", "", "称号不能为空"),
    ("510104001002,文明社区,2021,,,,", "称号", "文明社区", "称号应为"),
    ("510104001002,绿色社区,,,,,", "年度", "", "年度不能为空"),
    ("510104001002,绿色社区,1999,,,,", "年度", "1999", "年份应在"),
    ("510104001002,绿色社区,2021,2021-13-01,,,", "命名日期", "2021-13-01", "YYYY-MM-DD"),
    ("510104001002,绿色社区,2021,2019-05-01,,,", "命名日期", "2019-05-01", "2021 年或 2022 年"),
    (f"510104001002,绿色社区,{TODAY.year},{TOMORROW},,,", "命名日期", str(TOMORROW), "晚于今天"),
    ("510104001002,绿色社区,2021,,=1+2,,", "证书编号", "=1+2", "公式"),
    ("510104001002,绿色社区,2021,," + "X" * 61 + ",,", "证书编号", "X" * 61, "60"),
    ("510104001002,绿色社区,2021,,,作废,", "状态", "作废", "状态应为"),
    ("510104001002,绿色社区,2021,,,已撤销,", "撤销日期", "", "须填写撤销日期"),
    ("510104001002,绿色社区,2021,2021-12-01,,已撤销,2021-11-30", "撤销日期", "2021-11-30",
     "不能早于命名日期"),
    ("510104001002,绿色社区,2021,,,有效,2022-01-01", "撤销日期", "2022-01-01", "已撤销"),
    ("510104001002,绿色社区,2021,,,已撤销,2022/02/30", "撤销日期", "2022/02/30", "YYYY-MM-DD"),
    ("510104001002,绿色社区,2021,,SC-LSSQ-2021-0099,,", "证书编号", "SC-LSSQ-2021-0099",
     "已被使用"),
    ("510104001003,绿色社区,2021,,,,", "称号", "绿色社区", "已持有此称号"),
    ("510104001001,绿色社区,2020,,,,", "称号", "绿色社区", "与第 2 行重复"),
    ("510104001002,绿色社区,2021,,SC-X-1,,", "证书编号", "SC-X-1", "与第 2 行重复"),
]  # fmt: skip


@pytest.mark.parametrize(("line", "column", "value", "reason"), BAD,
                         ids=[f"{b[1]}:{b[3]}" for b in BAD])  # fmt: skip
def test_each_bad_row_is_named_and_nothing_is_written(sichuan, people, line, column, value,
                                                      reason):  # fmt: skip
    # given titles in the database: a live one of 玉泉社区 numbered SC-LSSQ-2021-0099
    grant(sichuan["yuquan"], year=2021, certificate_number="SC-LSSQ-2021-0099")
    before = state()
    rows = table(HEAD + "510104001001,绿色社区,2021,2021-12-20,SC-X-1,有效,\n" + line + "\n")
    with pytest.raises(RowError) as exc:
        titles_import(actor=people["province"], rows=rows)
    errors = exc.value.errors
    assert [(e["row"], e["column"], e["value"]) for e in errors] == [(3, column, value)], errors
    assert reason in errors[0]["reason"] and errors[0]["reason_en"]
    assert state() == before


def test_missing_columns_and_empty_files(sichuan, people):
    with pytest.raises(RowError) as exc:
        titles_import(actor=people["province"], rows=table("区划代码,年度\n510104001001,2021\n"))
    assert [(e["row"], e["column"]) for e in exc.value.errors] == [(1, "称号")]
    with pytest.raises(RowError, match="no data rows"):
        titles_import(actor=people["province"], rows=table(HEAD))


def test_every_problem_is_listed_at_once(sichuan, people):
    rows = table(HEAD + "510104001099,绿色社区,2021,,,,\n" + "510104001002,文明社区,1999,,,,\n")
    with pytest.raises(RowError) as exc:
        titles_import(actor=people["province"], rows=rows)
    assert [(e["row"], e["column"]) for e in exc.value.errors] == [
        (2, "区划代码"), (3, "称号"), (3, "年度"),
    ]  # fmt: skip


def test_a_county_user_cannot_import_another_countys_community(sichuan, people):
    # 锦江区's housing department and 宽巷子社区 of 青羊区
    rows = table(HEAD + GOOD + "510105001001,绿色社区,2021,,,,\n")
    with pytest.raises(RowError) as exc:
        titles_import(actor=people["jinjiang"], rows=rows)
    assert [(e["row"], e["column"], e["reason_en"]) for e in exc.value.errors] == [
        (3, "区划代码", "you may not import titles of this community")
    ]
    # nor may a street office import even its own communities
    with pytest.raises(RowError):
        titles_import(actor=people["street"], rows=table(HEAD + GOOD))
    assert not Title.objects.exists()


def test_a_dry_run_checks_and_counts_but_writes_nothing(sichuan, people):
    before = state()
    summary = titles_import(actor=people["province"], rows=table(HEAD + GOOD), dry_run=True)
    assert (summary.rows, summary.numbered, summary.dry_run) == (1, 1, True)
    assert state() == before


def test_a_large_file_goes_in_quickly(sichuan, people, monkeypatch):
    # 588 titles of 196 communities, found by one scan of their subtree (as above 5,000 codes);
    # the 70,000-row benchmark is in docs/operations.md
    monkeypatch.setattr("greencommunity.reviews.selectors_titles.SCAN_ABOVE", 10)
    from greencommunity.core.bulk import insert_rows
    from greencommunity.regions.models import Community, Region

    street, now = sichuan["duyuan"], timezone.now()
    same = {"created_at": now, "updated_at": now}
    codes = [f"510104001{n:03d}" for n in range(4, 200)]
    regions = [(c, f"社区{c[-3:]}", "community", street.pk, c) for c in codes]
    insert_rows(Region, ["code", "name", "level", "parent", "prefix"], regions, same=same)
    ids = dict(Region.objects.filter(code__in=codes).values_list("code", "pk"))
    fields = ["region", "kind", "urban_rural_code", "address", "leader_name", "leader_phone",
              "notes"]  # fmt: skip
    rows = [(ids[c], "residents", "111", "", "", "", "") for c in codes]
    insert_rows(Community, fields, rows, same=same)
    lines = [f"{c},绿色社区,{year},,,{'已撤销' if year < 2022 else '有效'},"
             f"{f'{year + 1}-01-01' if year < 2022 else ''}"
             for c in codes for year in (2020, 2021, 2022)]  # fmt: skip
    summary = titles_import(actor=people["province"], rows=table(HEAD + "\n".join(lines)))
    assert summary.rows == Title.objects.count() == len(codes) * 3
    assert Title.objects.filter(certificate_number="SC-LSSQ-2022-0196").exists()


# ---------------------------------------------------------------- CLI


def test_the_command_imports_and_exits_2_on_bad_rows(sichuan, people, tmp_path, capsys,
                                                     monkeypatch):  # fmt: skip
    # the console script as typed (`import-titles`); the test database stays open after it
    monkeypatch.setattr(connections, "close_all", lambda: None)
    good = tmp_path / "good.csv"
    good.write_text(HEAD + GOOD, encoding="utf-8")
    main(["greencommunity", "import-titles", str(good), "--actor", "sc_housing", "--dry-run"])
    assert "nothing written" in capsys.readouterr().out and not Title.objects.exists()
    main(["greencommunity", "import-titles", str(good), "--actor", "sc_housing"])
    assert Title.objects.count() == 1
    bad = tmp_path / "bad.csv"
    bad.write_bytes((HEAD + "510104001099,绿色社区,2021,,,,\n").encode("gb18030"))
    with pytest.raises(SystemExit) as exc:
        main(["greencommunity", "import-titles", str(bad), "--actor", "sc_housing"])
    assert exc.value.code == 2
    err = capsys.readouterr().err
    assert "2, 区划代码, 510104001099, 找不到该社区（或已撤销） / no such community today" in err
    assert Title.objects.count() == 1


# ---------------------------------------------------------------- web


def _upload(client, content: bytes, name: str, capture):
    f = SimpleUploadedFile(name, content)
    with capture(execute=False):
        response = client.post(reverse("titles:title_import"), {"file": f})
    assert response.status_code == 302
    job = Job.objects.latest("created_at")
    job_run(str(job.pk))
    job.refresh_from_db()
    return job


def test_web_import_previews_then_confirms(client, sichuan, people,
                                           django_capture_on_commit_callbacks):  # fmt: skip
    client.force_login(people["jinjiang"])
    preview = _upload(client, (HEAD + GOOD).encode("gb18030"), "旧称号.csv",
                      django_capture_on_commit_callbacks)  # fmt: skip
    assert preview.status == "succeeded" and preview.result["created"] == 1
    assert not Title.objects.exists()
    page = client.get(reverse("documents:job_detail", args=[preview.pk])).content.decode()
    assert reverse("documents:job_confirm", args=[preview.pk]) in page
    with django_capture_on_commit_callbacks(execute=False):
        client.post(reverse("documents:job_confirm", args=[preview.pk]))
    real = Job.objects.exclude(pk=preview.pk).get()
    job_run(str(real.pk))
    assert Title.objects.get().certificate_number == "SC-LSSQ-2021-0001"
    # a bad file lists its errors and offers no confirmation
    failed = _upload(client, (HEAD + "510105001001,绿色社区,2021,,,,\n").encode(), "b.csv",
                     django_capture_on_commit_callbacks)  # fmt: skip
    page = client.get(reverse("documents:job_detail", args=[failed.pk])).content.decode()
    assert failed.status == "failed" and "510105001001" in page and "您无权导入" in page
    assert reverse("documents:job_confirm", args=[failed.pk]) not in page


def test_who_sees_the_import_page_and_the_template(client, sichuan, people):
    for who, code in [("street", 404), ("committee", 404), ("nobody", 404), ("jinjiang", 200),
                      ("qingyang_admin", 200)]:  # fmt: skip
        client.force_login(people[who])
        assert client.get(reverse("titles:title_import")).status_code == code
        assert client.get(reverse("titles:title_template")).status_code == code


def test_the_template_holds_the_headers_the_importer_reads(client, sichuan, people):
    client.force_login(people["province"])
    response = client.get(reverse("titles:title_template"))
    rows = read_xlsx_values(io.BytesIO(response.content))
    assert rows[0] == ["区划代码", "称号", "年度", "命名日期", "证书编号", "状态", "撤销日期"]
    parsed = read_table(response.content, aliases=ALIASES, name="t.xlsx")
    assert len(parsed) == 3 and set(parsed[0][1]) == set(ALIASES)
    # its examples are valid rows of the Sichuan test tree
    titles_import(actor=people["province"], rows=parsed)
    assert Title.objects.count() == 3
