"""coaching's admin, one module per area (Django imports `coaching.admin`, which imports them all)."""

from __future__ import annotations

from . import cards, clients, dashboard, goals, gym, habits, intake, summaries  # noqa: F401
