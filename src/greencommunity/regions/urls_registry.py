from django.urls import URLPattern, path

from . import views_registry

app_name = "registry"
urlpatterns: list[URLPattern] = [
    path("survey/", views_registry.survey_view, name="survey"),
    path("export/", views_registry.registry_export_view, name="export"),
    path("survey/export.xlsx", views_registry.survey_export_view, name="survey_export"),
    path("import/", views_registry.registry_import_view, name="import_home"),
    path("import/<slug:kind>/", views_registry.registry_import_view, name="import"),
    path(
        "import/<slug:kind>/template.xlsx",
        views_registry.registry_template_view,
        name="import_template",
    ),
]
