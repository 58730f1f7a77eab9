from __future__ import annotations

from .views import checkins, habits, intake, journal, progress, today

app_name = "coaching"

urlpatterns = [
    *intake.urlpatterns,
    *today.urlpatterns,
    *habits.urlpatterns,
    *journal.urlpatterns,
    *checkins.urlpatterns,
    *progress.urlpatterns,
]
