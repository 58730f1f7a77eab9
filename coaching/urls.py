from __future__ import annotations

from .views import intake, progress, today

app_name = "coaching"

urlpatterns = [
    *intake.urlpatterns,
    *today.urlpatterns,
    *progress.urlpatterns,
]
