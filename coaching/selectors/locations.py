"""The gym's locations as a member choosing where to book sees them."""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet

from ..models import Location, OpeningHours


def locations_active() -> QuerySet[Location]:
    """Active locations by name with their opening hours: two queries (the locations, then every window of
    them in one prefetch), however many locations there are."""
    return (
        Location.objects.filter(is_active=True)
        .prefetch_related(Prefetch("opening_hours", queryset=OpeningHours.objects.order_by("weekday", "opens")))
        .order_by("name")
    )


__all__ = ["locations_active"]
