"""Standards pages: the catalogue through the user's scope, a standard's page, exports that
answer 404 outside it, the diff, publish / new version / derive by POST, draft edits with
their errors, adoption refused outside the user's scope, import errors that write nothing,
and the template download."""

import io
import json
from datetime import date
from decimal import Decimal as D

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from greencommunity.access.roles import Role
from greencommunity.audit.models import Event
from greencommunity.documents.xlsx import XLSX_CONTENT_TYPE
from greencommunity.standards.models import Criterion, Standard, StandardAdoption
from greencommunity.standards.services.drafts import area_update, criterion_update
from greencommunity.standards.services.transfer import (
    standard_export_json,
    standard_import_json,
    standard_import_xlsx,
)
from greencommunity.standards.services.versions import standard_adopt, standard_derive

HTMX = {"HX-Request": "true"}
HUANTAI_CODE = "370321000000"


def url(name, *args):
    return reverse(f"standards:{name}", args=args)


def builtin(key):
    return Standard.objects.get(key=key, version=1)


def body(response):
    return response.content.decode()


def nothing_written():
    return (
        Standard.objects.count(),
        Criterion.objects.count(),
        StandardAdoption.objects.count(),
        Event.objects.filter(verb__startswith="standard.").count(),
    )


@pytest.fixture
def housing(tree, make_user):
    """桓台县's housing department, living in 桓台县."""
    return make_user(Role.HOUSING, tree["county"], username="zhujian")


@pytest.fixture
def housing_client(client, housing):
    client.force_login(housing)
    return client


@pytest.fixture
def draft(tree, housing):
    """桓台县's refinement of its built-in standard, a draft."""
    return standard_derive(
        actor=housing,
        parent=builtin("huantai-2021"),
        region=tree["county"],
        key="huantai-2026",
        name="桓台县绿色社区创建标准（2026）",
    )


# ---------------------------------------------------------------------------- access


def test_pages_require_login(client, tree):
    huantai = builtin("huantai-2021")
    for target in [url("list"), url("detail", huantai.pk), url("export_json", huantai.pk)]:
        response = client.get(target)
        assert response.status_code == 302 and "/accounts/login/" in response.url


def test_catalogue_lists_the_standards_on_the_users_path(housing_client, draft):
    response = housing_client.get(url("list"))
    assert response.status_code == 200
    keys = {s.key for s in response.context["standards"]}
    # national, its own county's (published and draft); not Tianjin's nor Sichuan's
    assert keys == {"national-2020", "huantai-2021", "huantai-2026"}
    html = body(response)
    assert url("detail", builtin("huantai-2021").pk) in html
    assert url("detail", builtin("tianjin-2020").pk) not in html


def test_catalogue_hides_a_countys_draft_from_another_county(client, tree, make_user, draft):
    client.force_login(make_user(Role.HOUSING, tree["other_county"]))
    keys = {s.key for s in client.get(url("list")).context["standards"]}
    assert keys == {"national-2020"}


def test_catalogue_filters_by_status_and_answers_htmx_with_the_results(housing_client, draft):
    response = housing_client.get(url("list"), {"status": "draft"}, headers=HTMX)
    assert [s.key for s in response.context["standards"]] == ["huantai-2026"]
    html = body(response)
    assert 'id="standard-results"' in html and "<html" not in html


def test_catalogue_highlights_the_standard_in_force_in_the_home_region(
    housing_client, tree, housing
):
    huantai = builtin("huantai-2021")
    # without an adoption the national standard applies
    response = housing_client.get(url("list"))
    assert response.context["in_force_id"] == builtin("national-2020").pk
    # once 桓台县 adopts its own, that one is highlighted
    standard_adopt(
        actor=housing, region=tree["county"], standard=huantai, effective_from=date(2021, 1, 7)
    )
    html = body(housing_client.get(url("list")))
    assert f'data-standard="{huantai.pk}" data-key="huantai-2021" class="table-success"' in html
    assert html.count('data-in-force="true"') == 1


def test_detail_shows_description_rule_criteria_and_actions(
    housing_client, django_assert_max_num_queries
):
    huantai = builtin("huantai-2021")
    with django_assert_max_num_queries(20):
        response = housing_client.get(url("detail", huantai.pk))
    html = body(response)
    assert "总分 ≥ 80" in html  # the pass rule in words
    assert "合计100分" in html  # the description states the built-in's assumptions
    assert 'id="criterion-20"' in html and "物业管理覆盖率" in html  # criterion 15's rule
    assert "县住房和城乡建设局" in html  # responsible departments
    # the county's own published standard: a new version, a refinement, both exports
    for action in ["new-version", "derive-standard", "export-json", "export-xlsx"]:
        assert f'id="{action}"' in html
    assert 'id="edit-standard"' not in html and 'id="publish-standard"' not in html


def test_a_reader_gets_no_edit_actions(client, tree, make_user):
    client.force_login(make_user(Role.DEPARTMENT, tree["county"]))
    html = body(client.get(url("detail", builtin("huantai-2021").pk)))
    assert 'id="new-version"' not in html and 'id="derive-standard"' not in html
    assert 'id="export-json"' in html


def test_a_standard_out_of_view_is_404_for_the_page_and_both_exports(
    client, tree, make_user, draft
):
    # a housing department of 张店区 does not see 桓台县's draft; nobody without a role sees
    # 桓台县's published standard
    client.force_login(make_user(Role.HOUSING, tree["other_county"]))
    for name in ["detail", "export_json", "export_xlsx", "diff"]:
        assert client.get(url(name, draft.pk)).status_code == 404, name
    # nor may it be named as the other side of a diff
    national = builtin("national-2020")
    assert client.get(url("diff", national.pk), {"against": draft.pk}).status_code == 404
    assert client.get(url("diff", national.pk), {"against": "x"}).status_code == 404
    client.force_login(make_user(None, None, username="nobody"))
    huantai = builtin("huantai-2021")
    for name in ["detail", "export_json", "export_xlsx"]:
        assert client.get(url(name, huantai.pk)).status_code == 404, name
    assert client.get(url("detail", 999999)).status_code == 404


def test_exports_have_their_content_types_and_import_back(housing_client, housing):
    huantai = builtin("huantai-2021")
    response = housing_client.get(url("export_json", huantai.pk))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert "huantai-2021-v1.json" in response["Content-Disposition"]
    payload = json.loads(response.content)
    assert payload == json.loads(json.dumps(standard_export_json(huantai)))
    checked = standard_import_json(actor=housing, payload=payload, dry_run=True)
    assert (checked.key, checked.version, checked.criteria) == ("huantai-2021", 2, 20)

    response = housing_client.get(url("export_xlsx", huantai.pk))
    assert response["Content-Type"] == XLSX_CONTENT_TYPE
    assert "attachment" in response["Content-Disposition"]
    checked = standard_import_xlsx(actor=housing, data=response.content, dry_run=True)
    assert (checked.criteria, checked.total_points) == (20, D(100))


# ---------------------------------------------------------------------------- diff


def test_diff_shows_the_changed_criterion_beside_its_parent(housing_client, housing, draft):
    criterion_update(actor=housing, criterion=draft.criteria.get(number=3), points=D(4))
    response = housing_client.get(url("diff", draft.pk))
    assert response.status_code == 200
    assert response.context["diff"].counts == {
        "unchanged": 19,
        "changed": 1,
        "added": 0,
        "removed": 0,
    }
    html = body(response)
    assert html.count('data-diff="changed"') == 1
    assert 'data-diff="changed" data-criterion="3"' in html
    assert 'data-changed="points"' in html
    # only the differences
    response = housing_client.get(url("diff", draft.pk), {"changes": "1"})
    assert [len(g["rows"]) for g in response.context["groups"]] == [1]


def test_diff_of_a_new_version_compares_with_the_previous_one(housing_client):
    huantai = builtin("huantai-2021")
    new = housing_client.post(url("new_version", huantai.pk))
    v2 = Standard.objects.get(key="huantai-2021", version=2)
    assert new.url == url("detail", v2.pk)
    response = housing_client.get(url("diff", v2.pk))
    assert response.context["base"] == huantai
    assert response.context["diff"].paired_by == "number"
    # the national standard has nothing to compare with
    national = builtin("national-2020")
    assert housing_client.get(url("diff", national.pk)).context["diff"] is None


# ---------------------------------------------------------------------------- versions


def test_publish_by_post_refuses_an_inconsistent_draft_then_publishes(
    housing_client, housing, draft
):
    area_update(actor=housing, area=draft.areas.get(number=1), points=D(30))
    html = body(housing_client.get(url("detail", draft.pk)))
    assert 'data-code="area_points"' in html and 'id="publish-standard" disabled' in html
    response = housing_client.post(url("publish", draft.pk))
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.status == "draft"
    area_update(actor=housing, area=draft.areas.get(number=1), points=D(20))
    housing_client.post(url("publish", draft.pk))
    draft.refresh_from_db()
    assert draft.status == "published" and Event.objects.filter(verb="standard.publish").exists()


def test_publish_and_new_version_are_post_only_and_need_edit_rights(client, tree, make_user, draft):
    client.force_login(make_user(Role.DEPARTMENT, tree["county"]))
    assert client.get(url("publish", draft.pk)).status_code == 405
    assert client.post(url("publish", draft.pk)).status_code == 403
    assert client.post(url("new_version", builtin("huantai-2021").pk)).status_code == 403
    draft.refresh_from_db()
    assert draft.status == "draft"


def test_new_version_by_post_and_a_second_one_opens_the_draft(housing_client):
    huantai = builtin("huantai-2021")
    first = housing_client.post(url("new_version", huantai.pk))
    v2 = Standard.objects.get(key="huantai-2021", version=2)
    assert v2.status == "draft" and first.url == url("detail", v2.pk)
    second = housing_client.post(url("new_version", huantai.pk))
    assert second.url == url("detail", v2.pk)
    assert Standard.objects.filter(key="huantai-2021").count() == 2


def test_derive_by_post_for_a_region_the_user_manages(housing_client, tree):
    national = builtin("national-2020")
    form = housing_client.get(url("derive", national.pk))
    assert [r.code for r in form.context["form"].fields["region"].queryset] == [HUANTAI_CODE]
    response = housing_client.post(
        url("derive", national.pk),
        {"region": HUANTAI_CODE, "key": "huantai-national", "name": "桓台县细化标准"},
    )
    child = Standard.objects.get(key="huantai-national")
    assert response.url == url("detail", child.pk)
    assert child.parent == national and child.issuing_code == HUANTAI_CODE
    assert child.status == "draft"
    # a taken key is refused at its field; a region the user does not manage is not offered
    before = nothing_written()
    taken = housing_client.post(
        url("derive", national.pk),
        {"region": HUANTAI_CODE, "key": "huantai-2021", "name": "重复"},
    )
    assert taken.status_code == 200 and "key" in taken.context["form"].errors
    other = housing_client.post(
        url("derive", national.pk),
        {"region": tree["other_county"].code, "key": "zd", "name": "张店"},
    )
    assert "region" in other.context["form"].errors
    assert nothing_written() == before


def test_derive_is_refused_to_a_user_who_manages_no_region(client, tree, make_user):
    client.force_login(make_user(Role.STREET, tree["street"]))
    assert client.get(url("derive", builtin("national-2020").pk)).status_code == 403


# ---------------------------------------------------------------------------- drafts


def test_criterion_edited_in_place_with_htmx(housing_client, draft):
    criterion = draft.criteria.get(number=2)
    prefix = f"c{criterion.pk}"
    edit_url = url("criterion_edit", draft.pk, criterion.pk)
    form = housing_client.get(edit_url, headers=HTMX)
    html = body(form)
    assert f'id="criterion-form-{criterion.pk}"' in html and "<html" not in html
    data = {
        f"{prefix}-area": criterion.area_id,
        f"{prefix}-text": criterion.text,
        f"{prefix}-points": "4.5",
        f"{prefix}-sub_conditions": "有议事平台\n\n有协商记录\n",
        f"{prefix}-departments": criterion.departments,
    }
    response = housing_client.post(edit_url, data, headers=HTMX)
    html = body(response)
    assert 'id="criteria"' in html and html.count('hx-swap-oob="true"') == 2  # check, facts
    criterion.refresh_from_db()
    assert criterion.points == D("4.5")
    assert list(criterion.sub_conditions.values_list("text", flat=True)) == [
        "有议事平台",
        "有协商记录",
    ]


def test_draft_edit_errors_are_shown_at_their_fields_and_nothing_changes(housing_client, draft):
    criterion = draft.criteria.get(number=1)
    prefix = f"c{criterion.pk}"
    before = nothing_written()
    edit_url = url("criterion_edit", draft.pk, criterion.pk)
    data = {f"{prefix}-area": criterion.area_id, f"{prefix}-text": "改", f"{prefix}-points": "0.3"}
    # the service refuses the points (steps of 0.5), shown at the field in the row
    response = housing_client.post(edit_url, data, headers=HTMX)
    assert f'id="id_{prefix}-points_errors"' in body(response)
    assert set(response.context["criterion_form"].errors) == {"points"}
    # a blank text never reaches the service
    response = housing_client.post(edit_url, {**data, f"{prefix}-text": " "}, headers=HTMX)
    assert f'id="id_{prefix}-text_errors"' in body(response)
    # a standard's own fields: it cannot end before it takes effect
    response = housing_client.post(
        url("edit", draft.pk),
        {
            "name": draft.name,
            "scoring_mode": "points",
            "effective_from": "2026-01-01",
            "effective_to": "2025-01-01",
            "pass_min_total": "80",
        },
    )
    assert response.status_code == 200
    assert 'id="id_effective_to_errors"' in body(response)
    assert nothing_written() == before
    criterion.refresh_from_db()
    assert criterion.points == D(5)


def test_draft_edits_add_move_and_remove_criteria(housing_client, draft):
    area2 = draft.areas.get(number=2)
    housing_client.post(
        url("criteria", draft.pk),
        {"new-area": area2.pk, "new-text": "雨水收集利用", "new-points": "5"},
        headers=HTMX,
    )
    added = draft.criteria.get(text="雨水收集利用")
    assert added.area == area2 and added.number == 10 and draft.criteria.count() == 21
    housing_client.post(url("criterion_delete", draft.pk, added.pk), headers=HTMX)
    assert draft.criteria.count() == 20
    response = housing_client.post(
        url("edit", draft.pk),
        {"name": "改名", "scoring_mode": "points", "pass_min_total": "85", "pass_all_met": "on"},
    )
    assert response.status_code == 302
    draft.refresh_from_db()
    assert (draft.name, draft.pass_min_total, draft.pass_all_met) == ("改名", D(85), True)


def test_editing_is_403_for_a_reader_and_refused_once_published(client, tree, make_user, draft):
    criterion = draft.criteria.get(number=1)
    client.force_login(make_user(Role.DEPARTMENT, tree["county"]))
    assert client.get(url("edit", draft.pk)).status_code == 403
    assert client.post(url("criterion_delete", draft.pk, criterion.pk)).status_code == 403
    client.force_login(make_user(Role.HOUSING, tree["county"]))
    huantai = builtin("huantai-2021")
    response = client.get(url("edit", huantai.pk))
    assert response.status_code == 302 and response.url.startswith(url("detail", huantai.pk))
    published = huantai.criteria.get(number=1)
    client.post(url("criterion_delete", huantai.pk, published.pk))
    assert huantai.criteria.count() == 20


# ---------------------------------------------------------------------------- adoption


def test_adopt_a_standard_for_the_users_region(housing_client, tree):
    huantai = builtin("huantai-2021")
    page = housing_client.get(url("region", HUANTAI_CODE))
    assert page.context["in_force"].standard == builtin("national-2020")
    assert huantai in page.context["form"].fields["standard"].queryset
    response = housing_client.post(
        url("region", HUANTAI_CODE), {"standard": huantai.pk, "effective_from": "2021-02-01"}
    )
    assert response.status_code == 302
    adoption = StandardAdoption.objects.get()
    assert (adoption.region, adoption.standard) == (tree["county"], huantai)
    # the street below inherits it, and says so
    street = housing_client.get(url("region", tree["street"].code))
    assert street.context["in_force"].inherited and street.context["in_force"].standard == huantai
    assert 'id="in-force-source"' in body(street)


def test_adoption_is_refused_outside_the_users_scope(client, housing_client, tree, make_user):
    huantai = builtin("huantai-2021")
    national = builtin("national-2020")
    before = nothing_written()
    # another county: outside the user's regions altogether
    response = housing_client.post(
        url("region", tree["other_county"].code),
        {"standard": national.pk, "effective_from": "2026-01-01"},
    )
    assert response.status_code == 404
    # the city above: seen by nobody here, so not found either
    assert housing_client.get(url("region", tree["city"].code)).status_code == 404
    # a department of the county sees the page but may not adopt
    client.force_login(make_user(Role.DEPARTMENT, tree["county"]))
    assert client.get(url("region", HUANTAI_CODE)).context["form"] is None
    response = client.post(
        url("region", HUANTAI_CODE), {"standard": huantai.pk, "effective_from": "2026-01-01"}
    )
    assert response.status_code == 403
    assert nothing_written() == before


def test_adoption_errors_are_shown_at_the_form(housing_client, housing, tree):
    huantai = builtin("huantai-2021")
    standard_adopt(
        actor=housing, region=tree["county"], standard=huantai, effective_from=date(2025, 1, 1)
    )
    response = housing_client.post(
        url("region", HUANTAI_CODE), {"standard": huantai.pk, "effective_from": "2024-01-01"}
    )
    assert response.status_code == 200
    assert "effective_from" in response.context["form"].errors
    assert StandardAdoption.objects.count() == 1


# ---------------------------------------------------------------------------- import


def _upload(name, content):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, content)


def test_import_of_a_bad_file_lists_row_errors_and_writes_nothing(housing_client):
    payload = standard_export_json(builtin("huantai-2021"))
    payload["key"] = "huantai-copy"
    payload["areas"][0]["criteria"][1]["points"] = 0.3
    before = nothing_written()
    response = housing_client.post(
        url("import"),
        {"file": _upload("bad.json", json.dumps(payload, ensure_ascii=False).encode())},
    )
    assert response.status_code == 200
    html = body(response)
    assert 'id="import-errors"' in html
    errors = response.context["row_errors"]
    assert any(e["column"] == "areas[0].criteria[1].points" for e in errors)
    assert nothing_written() == before
    # not a workbook, not JSON
    response = housing_client.post(url("import"), {"file": _upload("bad.xlsx", b"nonsense")})
    assert response.context["row_errors"] and nothing_written() == before
    response = housing_client.post(url("import"), {"file": _upload("bad.json", b"{oops")})
    assert response.context["row_errors"] and nothing_written() == before


def test_import_of_a_good_file_opens_the_new_draft(housing_client):
    data = housing_client.get(url("export_xlsx", builtin("huantai-2021").pk)).content
    checked = housing_client.post(
        url("import"), {"file": _upload("ht.xlsx", data), "dry_run": "on"}
    )
    assert checked.context["checked"].version == 2
    assert not Standard.objects.filter(key="huantai-2021", version=2).exists()
    response = housing_client.post(url("import"), {"file": _upload("ht.xlsx", data)})
    v2 = Standard.objects.get(key="huantai-2021", version=2)
    assert response.url == url("detail", v2.pk) and v2.status == "draft"


def test_import_page_is_for_those_who_issue_standards(client, tree, make_user):
    client.force_login(make_user(Role.COMMUNITY, tree["community"]))
    assert client.get(url("import")).status_code == 403


def test_template_download(housing_client):
    response = housing_client.get(url("template"))
    assert response.status_code == 200
    assert response["Content-Type"] == XLSX_CONTENT_TYPE
    assert "attachment" in response["Content-Disposition"]
    wb = load_workbook(io.BytesIO(response.content))
    assert wb.sheetnames[:2] == ["创建标准", "标准信息"]
