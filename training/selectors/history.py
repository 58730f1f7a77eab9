"""Reads for the history list and the exercise page, scoped to the person."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from uuid import UUID

from django.contrib.postgres.search import SearchQuery
from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet

from accounts.models import User

from ..models import ActivityType, Exercise, Session, SessionExercise, Set

# The orders a list may be asked for, each with a tiebreak so pages never overlap. The history page
# and the API share them.
SESSION_ORDERINGS: dict[str, tuple[str, ...]] = {
    "-started_at": ("-started_at", "-id"),
    "started_at": ("started_at", "id"),
    "-local_date": ("-local_date", "-started_at", "-id"),
    "local_date": ("local_date", "started_at", "id"),
}
DEFAULT_ORDERING = "-started_at"


@dataclass(frozen=True)
class HistoryFilters:
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    activity_type_id: UUID | None = None
    exercise_id: UUID | None = None
    q: str = ""
    status: str = ""
    ordering: str = DEFAULT_ORDERING


def sessions_filtered(*, user: User, filters: HistoryFilters | None = None) -> QuerySet[Session]:
    """The person's performed sessions with the history's filters and order: what the history page and
    `GET /api/v1/sessions/` both list. Served by the partial index training_session_history (newest
    first) and training_session_user_day (by local date); one query for a page whatever the filters."""
    filters = filters or HistoryFilters()
    sessions = Session.objects.for_user(user).performed().order_by(*SESSION_ORDERINGS[filters.ordering])
    if filters.date_from:
        sessions = sessions.filter(local_date__gte=filters.date_from)
    if filters.date_to:
        sessions = sessions.filter(local_date__lte=filters.date_to)
    if filters.activity_type_id:
        sessions = sessions.filter(activity_type_id=filters.activity_type_id)
    if filters.status:
        sessions = sessions.filter(status=filters.status)
    if filters.exercise_id:
        # EXISTS, not a join: a session with the exercise twice is still one row.
        sessions = sessions.filter(
            Exists(SessionExercise.objects.filter(session=OuterRef("pk"), exercise_id=filters.exercise_id))
        )
    q = filters.q.strip()
    if q:
        # Full text (GIN index training_session_search) with web-search syntax ("a -b", quotes, or);
        # the substring fallback finds names and words the English dictionary stems away or drops.
        query = SearchQuery(q, search_type="websearch", config="english")
        sessions = sessions.filter(
            Q(search_vector=query)
            | Q(name__icontains=q)
            | Q(notes__icontains=q)
            | Q(template_name__icontains=q)
            | Q(location__icontains=q)
        )
    return sessions


def sessions_history(*, user: User, filters: HistoryFilters | None = None) -> QuerySet[Session]:
    """The history page's rows: the filtered sessions with the type joined and the exercise count
    annotated, so a page of rows is one query; the long text columns stay unread."""
    return (
        sessions_filtered(user=user, filters=filters)
        .select_related("activity_type")
        .annotate(exercise_count=Count("exercises"))
        .defer("notes", "injuries", "search_vector")
    )


def history_filter_choices(*, user: User) -> tuple[list[ActivityType], list[tuple[UUID, str]]]:
    """Activity types and the exercises the person has logged, for the filter selects (two queries)."""
    types = list(
        ActivityType.all_types.visible_to(user).only("id", "name").order_by("-is_public", "display_order", "name")
    )
    exercises = list(
        Exercise.objects.filter(
            Exists(
                SessionExercise.objects.filter(
                    exercise=OuterRef("pk"),
                    session__user=user,
                    session__deleted_at__isnull=True,
                    session__is_template=False,
                )
            )
        )
        .order_by("name")
        .values_list("id", "name")
    )
    return types, exercises


def exercise_visible(*, user: User, exercise_id: UUID | str) -> Exercise | None:
    return Exercise.objects.visible_to(user).select_related("activity_type").filter(pk=exercise_id).first()


def exercise_history(*, user: User, exercise: Exercise, limit: int = 50) -> list[SessionExercise]:
    """The person's last `limit` sessions with this exercise, each with its sets (two queries)."""
    return list(
        SessionExercise.objects.filter(
            exercise=exercise, session__user=user, session__deleted_at__isnull=True, session__is_template=False
        )
        .select_related("session")
        .prefetch_related(Prefetch("sets", queryset=Set.objects.order_by("number")))
        .order_by("-session__started_at", "order")[:limit]
    )
