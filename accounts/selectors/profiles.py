"""Reads for the profile. Everything here is the signed-in person's own: no function takes another id."""

from __future__ import annotations

from datetime import datetime

from django.db.models import F, Q, QuerySet, Window
from django.db.models.functions import Lag

from ..models import Profile, ProfileVersion, User


def profile_for_user(*, user: User) -> Profile:
    """The person's profile; an unsaved blank one for an account that never got one (e.g. made with
    `createsuperuser`). The first save creates it (services.profiles.profile_update), so a GET never writes."""
    profile = Profile.objects.filter(user=user).first()
    if profile is None:
        profile = Profile(user=user)
    # The caller already holds the person; sharing it saves a query wherever profile.user is read.
    profile.user = user
    return profile


def profile_versions_for_user(*, user: User) -> QuerySet[ProfileVersion]:
    """The person's versions, newest first, each with the snapshot of the version before it.

    One query per page whatever the history's length: LAG() reads the previous snapshot in the same
    scan (window functions run before LIMIT/OFFSET, so the last row of a page still gets its
    predecessor), served by the (user, -version) index. The staff member who made a change comes by
    a join, and only their name is loaded.
    """
    return (
        ProfileVersion.objects.filter(user=user)
        .select_related("changed_by_user")
        .only(
            "id",
            "user_id",
            "version",
            "snapshot",
            "changed_fields",
            "change_reason",
            "changed_by",
            "valid_from",
            "valid_until",
            "created_at",
            "changed_by_user__id",
            "changed_by_user__first_name",
            "changed_by_user__last_name",
            "changed_by_user__username",
        )
        .annotate(previous_snapshot=Window(Lag("snapshot"), order_by=F("version").asc()))
        .order_by("-version")
    )


def profile_as_of(*, user: User, at: datetime) -> ProfileVersion | None:
    """The version that was current at `at` ("my profile 3 weeks ago"), or None before the profile existed.

    valid_from <= at < valid_until (an open valid_until is the current version): one row from the
    (user, valid_from) index.
    """
    return (
        ProfileVersion.objects.filter(user=user, valid_from__lte=at)
        .filter(Q(valid_until__isnull=True) | Q(valid_until__gt=at))
        .order_by("-valid_from")
        .first()
    )
