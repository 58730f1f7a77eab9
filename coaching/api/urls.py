"""coaching's API under /api/v1/: each module ends with its `urlpatterns`."""

from __future__ import annotations

urlpatterns: list = []
