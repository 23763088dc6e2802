from django.urls import URLPattern, path

from . import views, views_communities

app_name = "regions"
urlpatterns: list[URLPattern] = [
    path("", views.region_list_view, name="region_list"),
    # The community registry, before "<code>/" so that "communities/" is not read as a code.
    path("communities/", views_communities.community_list_view, name="community_list"),
    path(
        "communities/<str:code>/",
        views_communities.community_detail_view,
        name="community_detail",
    ),
    path(
        "communities/<str:code>/edit/",
        views_communities.community_edit_view,
        name="community_edit",
    ),
    path(
        "communities/<str:code>/compounds/",
        views_communities.community_compounds_view,
        name="community_compounds",
    ),
    path(
        "communities/<str:code>/compounds/<int:pk>/",
        views_communities.community_compound_edit_view,
        name="community_compound_edit",
    ),
    path(
        "communities/<str:code>/compounds/<int:pk>/delete/",
        views_communities.community_compound_delete_view,
        name="community_compound_delete",
    ),
    path(
        "communities/<str:code>/indicators/",
        views_communities.community_indicators_view,
        name="community_indicators",
    ),
    path(
        "communities/<str:code>/indicators/<slug:indicator_code>/",
        views_communities.community_indicator_edit_view,
        name="community_indicator_edit",
    ),
    path("<str:code>/", views.region_detail_view, name="region_detail"),
]

# Division changes (区划变更) of a region.
from . import views_changes  # noqa: E402

urlpatterns += [
    path("<str:code>/changes/", views_changes.region_changes_view, name="region_changes"),
]
