from __future__ import annotations

from .views import notifications, privacy, profile, settings

app_name = "accounts"

urlpatterns = [
    *settings.urlpatterns,
    *notifications.urlpatterns,
    *profile.urlpatterns,
    *privacy.urlpatterns,
]
