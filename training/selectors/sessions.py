"""Reads for sessions. Every function is scoped to the person: another person's row is not found
(fitjourney.errors.NotFound, answered 404)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any
from uuid import UUID

from django.db.models import Count, F, OuterRef, Prefetch, Q, QuerySet, Subquery

from accounts.models import User
from fitjourney.errors import NotFound

from ..models import ActivityType, MetricTemplate, Session, SessionExercise, SessionMedia, SessionMetric, Set
from ..models.sessions import SessionQuerySet


def _sessions(user: User) -> SessionQuerySet:
    return Session.objects.for_user(user)


def session_get_for_user(*, user: User, session_id: UUID | str, templates: bool = False) -> Session:
    """The session (or template) with its type and owner joined: the page needs both."""
    qs = _sessions(user).select_related("activity_type", "user")
    qs = qs.templates() if templates else qs.performed()
    session = qs.filter(pk=session_id).first()
    if session is None:
        raise NotFound("Session not found.")
    return session


def session_exercise_get_for_user(*, user: User, session_exercise_id: UUID | str) -> SessionExercise:
    se = (
        SessionExercise.objects.select_related("session", "exercise")
        .filter(pk=session_exercise_id, session__user=user, session__deleted_at__isnull=True)
        .first()
    )
    if se is None:
        raise NotFound("Exercise not found.")
    return se


def set_get_for_user(*, user: User, set_id: UUID | str) -> Set:
    s = (
        Set.objects.select_related("session_exercise__session", "session_exercise__exercise")
        .filter(
            pk=set_id,
            session_exercise__session__user=user,
            session_exercise__session__deleted_at__isnull=True,
        )
        .first()
    )
    if s is None:
        raise NotFound("Set not found.")
    return s


def session_exercises_with_sets(*, session: Session) -> list[SessionExercise]:
    """Two queries whatever the size: the exercises (with the library row joined) and all their sets."""
    return list(
        SessionExercise.objects.filter(session=session)
        .select_related("exercise")
        .prefetch_related(Prefetch("sets", queryset=Set.objects.order_by("number")))
        .order_by("order")
    )


@dataclass
class PreviousPerformance:
    started_at: Any
    sets: list[tuple[int | None, Decimal | None, int | None, Decimal | None]] = field(default_factory=list)


def previous_performance(
    *, user: User, exercise_ids: Iterable[UUID], exclude_session: Session | None = None
) -> dict[UUID, PreviousPerformance]:
    """For each exercise, the completed working sets of the person's most recent finished session with
    it (before this one). One query: a correlated subquery picks that session per exercise."""
    wanted = list(set(exercise_ids))
    if not wanted:
        return {}
    earlier = SessionExercise.objects.filter(
        exercise=OuterRef("session_exercise__exercise"),
        session__user=user,
        session__status="finished",
        session__is_template=False,
        session__deleted_at__isnull=True,
    )
    if exclude_session is not None:
        earlier = earlier.exclude(session=exclude_session).filter(session__started_at__lt=exclude_session.started_at)
    latest = earlier.order_by("-session__started_at").values("session_id")[:1]
    rows = (
        Set.objects.filter(
            session_exercise__exercise_id__in=wanted,
            session_exercise__session__user=user,
            is_completed=True,
            is_warmup=False,
        )
        .annotate(latest_session=Subquery(latest))
        .filter(session_exercise__session_id=F("latest_session"))
        .order_by("session_exercise__exercise_id", "number")
        .values_list(
            "session_exercise__exercise_id",
            "session_exercise__session__started_at",
            "reps",
            "weight_kg",
            "duration_seconds",
            "distance_m",
        )
    )
    result: dict[UUID, PreviousPerformance] = {}
    for exercise_id, started_at, reps, weight, duration, distance in rows:
        entry = result.setdefault(exercise_id, PreviousPerformance(started_at=started_at))
        entry.sets.append((reps, weight, duration, distance))
    return result


def session_metric_rows(*, session: Session) -> list[MetricTemplate]:
    """The type's metric templates, each annotated with this session's value: one query."""
    values = SessionMetric.objects.filter(session=session, name=OuterRef("name"))
    return list(
        MetricTemplate.objects.filter(activity_type_id=session.activity_type_id)
        .select_related("unit")
        .annotate(
            value_numeric=Subquery(values.values("value_numeric")[:1]),
            value_text=Subquery(values.values("value_text")[:1]),
        )
        .order_by("display_order", "name")
    )


def session_media(*, session: Session) -> list[SessionMedia]:
    return list(SessionMedia.objects.filter(Q(session=session) | Q(session_exercise__session=session)))


def sessions_for_user(*, user: User) -> QuerySet[Session]:
    return _sessions(user).performed().select_related("activity_type").order_by("-started_at")


def session_in_progress(*, user: User) -> Session | None:
    return sessions_for_user(user=user).filter(status="in_progress").first()


def sessions_recent(*, user: User, limit: int = 5) -> list[Session]:
    return list(sessions_for_user(user=user).filter(status="finished")[:limit])


def templates_for_user(*, user: User) -> list[Session]:
    return list(
        _sessions(user)
        .templates()
        .select_related("activity_type")
        .annotate(exercise_count=Count("exercises"))
        .order_by("template_name")
    )


def activity_types(*, user: User | None = None) -> list[ActivityType]:
    """The public types and the person's own (theirs after the public ones)."""
    return list(
        ActivityType.all_types.visible_to(user)
        .select_related("category")
        .order_by("-is_public", "display_order", "name")
    )


def activity_types_of(*, user: User) -> list[ActivityType]:
    """The types a person defined (with their metrics and units): three queries."""
    templates = MetricTemplate.objects.select_related("unit").order_by("display_order")
    return list(
        ActivityType.all_types.filter(owner=user)
        .select_related("category")
        .prefetch_related(Prefetch("metric_templates", queryset=templates))
        .order_by("name")
    )


def previous_summary_groups(prev: PreviousPerformance) -> list[tuple[int, int | None, Decimal | None]]:
    """Runs of identical sets: [(3, 8, 60)] reads "3 × 8 @ 60 kg"."""
    groups: list[list] = []
    for reps, weight, _duration, _distance in prev.sets:
        if groups and groups[-1][1] == reps and groups[-1][2] == weight:
            groups[-1][0] += 1
        else:
            groups.append([1, reps, weight])
    return [tuple(g) for g in groups]


__all__ = [
    "PreviousPerformance",
    "activity_types",
    "previous_performance",
    "previous_summary_groups",
    "session_exercise_get_for_user",
    "session_exercises_with_sets",
    "session_get_for_user",
    "session_in_progress",
    "session_media",
    "session_metric_rows",
    "sessions_for_user",
    "sessions_recent",
    "set_get_for_user",
    "templates_for_user",
]
