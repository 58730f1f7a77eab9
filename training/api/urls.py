from __future__ import annotations

from . import enrollments, library, programs, records, sessions

urlpatterns = [
    *library.urlpatterns,
    *sessions.urlpatterns,
    *records.urlpatterns,
    *programs.urlpatterns,
    *enrollments.urlpatterns,
]
