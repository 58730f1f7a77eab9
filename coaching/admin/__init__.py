"""coaching's admin, one module per area (Django imports `coaching.admin`, which imports them all)."""

from __future__ import annotations

from . import clients, dashboard, goals, habits, intake, summaries  # noqa: F401
