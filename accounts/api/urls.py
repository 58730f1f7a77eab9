from __future__ import annotations

from django.urls import path
from rest_framework.routers import SimpleRouter

from . import body, notifications, privacy, profile, views

router = SimpleRouter(use_regex_path=False)
router.register("tokens", views.ApiTokenViewSet, basename="token")

urlpatterns = [
    path("me/", views.MeView.as_view(), name="me"),
    path("auth/token/", views.TokenObtainView.as_view(), name="token-obtain"),
    *router.urls,
    *notifications.urlpatterns,
    *profile.urlpatterns,
    *privacy.urlpatterns,
    *body.urlpatterns,
]
