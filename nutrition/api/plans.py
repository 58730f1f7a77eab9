"""API: plans. Ends with `urlpatterns`."""

from __future__ import annotations

urlpatterns: list = []
