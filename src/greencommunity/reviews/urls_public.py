from django.urls import URLPattern, path

from . import views_public

app_name = "public"
urlpatterns: list[URLPattern] = [
    path("titles/", views_public.public_title_list_view, name="title_list"),
    path("verify/<uuid:public_id>/", views_public.public_verify_view, name="verify"),
]
