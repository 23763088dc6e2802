from django.urls import URLPattern, path

from . import views_titles

app_name = "titles"
urlpatterns: list[URLPattern] = [
    path("", views_titles.title_list_view, name="title_list"),
    path("<int:title_id>/", views_titles.title_detail_view, name="title_detail"),
    path("<int:title_id>/status/", views_titles.title_status_view, name="title_status"),
    path("<int:title_id>/plaque.pdf", views_titles.title_plaque_view, name="title_plaque"),
    path("import/", views_titles.title_import_view, name="title_import"),
    path("template.xlsx", views_titles.title_template_view, name="title_template"),
]
