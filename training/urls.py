from __future__ import annotations

from .views import history, home, library, sessions

app_name = "training"

urlpatterns = [
    *home.urlpatterns,
    *library.urlpatterns,
    *sessions.urlpatterns,
    *history.urlpatterns,
]
