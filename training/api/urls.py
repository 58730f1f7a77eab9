from __future__ import annotations

from . import library, records, sessions

urlpatterns = [
    *library.urlpatterns,
    *sessions.urlpatterns,
    *records.urlpatterns,
]
