from __future__ import annotations

from . import library, programs, records, sessions

urlpatterns = [
    *library.urlpatterns,
    *sessions.urlpatterns,
    *records.urlpatterns,
    *programs.urlpatterns,
]
