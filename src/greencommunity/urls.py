from django.conf import settings
from django.urls import URLPattern, URLResolver, include, path

from .api import api

urlpatterns: list[URLPattern | URLResolver] = [
    path("", include("greencommunity.core.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("accounts/", include("greencommunity.access.urls")),
    path("regions/", include("greencommunity.regions.urls")),
    path("registry/", include("greencommunity.regions.urls_registry")),
    path("standards/", include("greencommunity.standards.urls")),
    path("assessments/", include("greencommunity.assessments.urls")),
    path("reviews/batches/", include("greencommunity.reviews.urls_batches")),
    path("reviews/", include("greencommunity.reviews.urls")),
    path("titles/", include("greencommunity.reviews.urls_titles")),
    path("public/", include("greencommunity.reviews.urls_public")),
    path("audit/", include("greencommunity.audit.urls")),
    path("jobs/", include("greencommunity.documents.urls")),
    path("api/v1/", api.urls),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
