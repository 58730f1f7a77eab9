from __future__ import annotations

from .views import activity_types, enrollments, history, home, library, programs, sessions

app_name = "training"

urlpatterns = [
    *home.urlpatterns,
    *library.urlpatterns,
    *sessions.urlpatterns,
    *history.urlpatterns,
    *programs.urlpatterns,
    *enrollments.urlpatterns,
    *activity_types.urlpatterns,
]
