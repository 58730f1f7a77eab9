"""Dietary preferences (owned by the plans engineer; this is the agreed interface)."""

from __future__ import annotations


def food_conflicts(*, user, food) -> list[str]:
    """Plain-language warnings when `food` conflicts with the person's allergies, intolerances,
    religious restrictions or diet type (e.g. "Contains peanuts — you listed a peanut allergy.").
    The diary shows them before an item is saved. Empty when there is no conflict."""
    return []
