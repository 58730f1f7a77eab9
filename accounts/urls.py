from __future__ import annotations

from .views import body, notifications, privacy, profile, settings

app_name = "accounts"

urlpatterns = [
    *settings.urlpatterns,
    *notifications.urlpatterns,
    *profile.urlpatterns,
    *privacy.urlpatterns,
    *body.urlpatterns,
]
