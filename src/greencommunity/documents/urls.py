from django.urls import path

from . import views

app_name = "documents"
urlpatterns = [
    path("<uuid:job_id>/", views.job_detail_view, name="job_detail"),
    path("<uuid:job_id>/download/", views.job_download_view, name="job_download"),
    path("<uuid:job_id>/confirm/", views.job_confirm_view, name="job_confirm"),
]
