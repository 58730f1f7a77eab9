from __future__ import annotations

from django.conf import settings
from django.contrib import admin
from django.urls import URLPattern, URLResolver, include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from fitjourney.hooks.media import protected_media

from . import health, views

api_v1: list[URLPattern | URLResolver] = [
    path("", include("accounts.api.urls")),
    path("", include("training.api.urls")),
    path("", include("nutrition.api.urls")),
    path("", include("coaching.api.urls")),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="api:schema"), name="docs"),
]

urlpatterns = [
    path("", views.home, name="home"),
    path("", include("coaching.urls")),
    path("train/", include("training.urls")),
    path("eat/", include("nutrition.urls")),
    path("community/", include("social.urls")),
    path("settings/", include("accounts.urls")),
    path("accounts/", include("allauth.urls")),
    path("admin/", admin.site.urls),
    path("api/v1/", include((api_v1, "api"))),
    path("healthz", health.healthz, name="healthz"),
    # Browsers ask for /favicon.ico on pages without an icon link (the admin): the logo.
    path("favicon.ico", views.favicon, name="favicon"),
]

# Uploads are served through an access check (fitjourney/hooks/media.py), in every environment.
urlpatterns += [path(f"{settings.MEDIA_URL.strip('/')}/<path:name>", protected_media, name="media")]

admin.site.site_header = "FitJourney administration"
admin.site.site_title = "FitJourney admin"
admin.site.index_title = "Manage FitJourney"

# Errors answer in the API's JSON format under /api/, and with our pages elsewhere (fitjourney/views.py).
handler400 = "fitjourney.views.bad_request"
handler403 = "fitjourney.views.permission_denied"
handler404 = "fitjourney.views.page_not_found"
handler500 = "fitjourney.views.server_error"
