from django.urls import URLPattern, path

from . import views_notices_public, views_public

app_name = "public"
urlpatterns: list[URLPattern] = [
    path("titles/", views_public.public_title_list_view, name="title_list"),
    path("verify/<uuid:public_id>/", views_public.public_verify_view, name="verify"),
    path("notices/", views_notices_public.public_notice_list_view, name="notice_list"),
    path(
        "notices/<uuid:public_id>/",
        views_notices_public.public_notice_view,
        name="notice_detail",
    ),
]
