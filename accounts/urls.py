from __future__ import annotations

from .views import settings

app_name = "accounts"

urlpatterns = [
    *settings.urlpatterns,
]
