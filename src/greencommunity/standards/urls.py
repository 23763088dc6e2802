from django.urls import URLPattern, path

from .views import catalogue, diff, drafts, imports, versions

app_name = "standards"
urlpatterns: list[URLPattern] = [
    path("", catalogue.standard_list_view, name="list"),
    path("import/", imports.standard_import_view, name="import"),
    path("template.xlsx", catalogue.standard_template_view, name="template"),
    path("regions/", versions.region_standard_home_view, name="region_home"),
    path("regions/<str:code>/", versions.region_standard_view, name="region"),
    path("<int:pk>/", catalogue.standard_detail_view, name="detail"),
    path("<int:pk>/diff/", diff.standard_diff_view, name="diff"),
    path("<int:pk>/export.json", catalogue.standard_export_json_view, name="export_json"),
    path("<int:pk>/export.xlsx", catalogue.standard_export_xlsx_view, name="export_xlsx"),
    path("<int:pk>/edit/", drafts.standard_edit_view, name="edit"),
    path("<int:pk>/areas/<int:area_id>/", drafts.area_edit_view, name="area_edit"),
    path("<int:pk>/criteria/", drafts.criteria_view, name="criteria"),
    path(
        "<int:pk>/criteria/<int:criterion_id>/",
        drafts.criterion_edit_view,
        name="criterion_edit",
    ),
    path(
        "<int:pk>/criteria/<int:criterion_id>/delete/",
        drafts.criterion_delete_view,
        name="criterion_delete",
    ),
    path("<int:pk>/publish/", versions.standard_publish_view, name="publish"),
    path("<int:pk>/new-version/", versions.standard_new_version_view, name="new_version"),
    path("<int:pk>/derive/", versions.standard_derive_view, name="derive"),
]
