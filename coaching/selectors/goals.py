"""Reads of goals."""

from __future__ import annotations

from django.db.models import QuerySet

from accounts.models import User

from ..models import Goal, GoalStatus


def goals_active_for(*, user: User) -> QuerySet[Goal]:
    """The person's active goals, primary first."""
    return Goal.objects.filter(user=user, status=GoalStatus.ACTIVE).order_by("priority", "role")


__all__ = ["goals_active_for"]
