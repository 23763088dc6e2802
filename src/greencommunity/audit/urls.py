from django.urls import path

from . import views

app_name = "audit"
urlpatterns = [
    path("", views.event_list_view, name="event_list"),
    path(
        "object/<str:target_type>/<str:target_id>/", views.object_events_view, name="object_events"
    ),
]
