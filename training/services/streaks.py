"""Streaks (owned by the records engineer; this is the agreed interface)."""

from __future__ import annotations


def streaks_refresh(*, user) -> None:
    """Called by session_finish (and after a session is deleted): recomputes the person's streaks."""
    return None
