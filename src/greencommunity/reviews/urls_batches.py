"""The batch pages (sampling draws, public notices, naming), included at /reviews/batches/."""

from django.urls import URLPattern, path

from . import views_batches as views

app_name = "batches"
urlpatterns: list[URLPattern] = [
    path("", views.batch_index_view, name="index"),
    path("regions/<int:region_id>/draws/new/", views.draw_create_view, name="draw_create"),
    path("draws/<int:draw_id>/", views.draw_detail_view, name="draw_detail"),
    path("draws/<int:draw_id>/run/", views.draw_run_view, name="draw_run"),
    path(
        "draws/<int:draw_id>/items/<int:item_id>/inspect/",
        views.draw_inspect_view,
        name="draw_inspect",
    ),
    path("draws/<int:draw_id>/decide/", views.draw_decide_view, name="draw_decide"),
    path("regions/<int:region_id>/notices/new/", views.notice_new_view, name="notice_new"),
    path("notices/<int:notice_id>/", views.notice_detail_view, name="notice_detail"),
    path("notices/<int:notice_id>/close/", views.notice_close_view, name="notice_close"),
    path(
        "objections/<int:objection_id>/resolve/",
        views.objection_resolve_view,
        name="objection_resolve",
    ),
    path(
        "objections/<int:objection_id>/attachment/",
        views.objection_attachment_view,
        name="objection_attachment",
    ),
    path("regions/<int:region_id>/naming/new/", views.naming_new_view, name="naming_new"),
    path(
        "naming/<int:decision_id>/document/",
        views.naming_document_view,
        name="naming_document",
    ),
]
