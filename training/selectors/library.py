"""Reads for the exercise library: what a person may see, search as you type, and the filter facets."""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass

from django.contrib.postgres.search import SearchQuery, SearchRank, TrigramSimilarity, TrigramWordSimilarity
from django.db.models import Case, Expression, F, Func, Prefetch, Q, QuerySet, Value, When
from django.db.models.functions import Lower

from accounts.models import Unit, User
from fitjourney.errors import NotFound

from ..models import ActivityType, Exercise, Level, MetricTemplate
from ..models.library import ExerciseQuerySet

# Columns a result row shows; instructions and the search vector are wide and stay in the database.
RESULT_FIELDS = (
    "id",
    "name",
    "category",
    "equipment",
    "level",
    "primary_muscles",
    "owner_id",
    "visibility",
    "is_verified",
    "source",
    "activity_type__id",
    "activity_type__name",
)
_WORD = re.compile(r"\w+", re.UNICODE)


def exercises_visible(*, user: User) -> ExerciseQuerySet:
    """The model's rule (system, public, own; never soft-deleted) minus public exercises whose owner
    deleted their account: those are on their way out with the account and must not be offered."""
    return Exercise.objects.visible_to(user).filter(Q(owner__isnull=True) | Q(owner__deleted_at__isnull=True))


def exercise_get_visible(*, user: User, exercise_id: uuid.UUID | str) -> Exercise:
    """One exercise the person may see, with its type; anything else is NotFound (a 404, never a 403)."""
    try:
        return exercises_visible(user=user).select_related("activity_type").get(pk=exercise_id)
    except (Exercise.DoesNotExist, ValueError, TypeError) as error:
        raise NotFound("No such exercise.") from error


def _prefix_tsquery(q: str) -> SearchQuery | None:
    """ "benc pre" -> 'benc':* & 'pre':* (english), so a word matches while it is still being typed."""
    words = _WORD.findall(q.lower())
    if not words:
        return None
    return SearchQuery(" & ".join(f"{word}:*" for word in words), search_type="raw", config="english")


def exercises_search(
    *,
    user: User,
    q: str = "",
    muscle: str | None = None,
    equipment: str | None = None,
    category: str | None = None,
    level: str | None = None,
    activity_type: uuid.UUID | None = None,
    limit: int | None = 20,
) -> QuerySet[Exercise]:
    """Exercises the person may see matching `q` and the filters, best match first (one query).

    A row matches when full-text search finds every typed word as a prefix ("benc pre"), or its
    lowercased name is trigram-similar to `q` (`%`, typos: "benchpres", "dedlift") or contains a word
    similar to it (`%>`, "squatt" in "Box Squat"). Both trigram operators use the GIN index on
    lower(name), full text the one on search_vector. Rank: the exact name, then names starting with
    `q`, then by similarity plus full-text rank. Without `q`, alphabetical. `limit=None` to paginate.
    """
    queryset = exercises_visible(user=user).select_related("activity_type").only(*RESULT_FIELDS)
    if muscle:
        # Array containment (`@>`) uses the GIN index on primary_muscles.
        queryset = queryset.filter(primary_muscles__contains=[muscle])
    if equipment:
        queryset = queryset.filter(equipment=equipment)
    if category:
        queryset = queryset.filter(category=category)
    if level:
        queryset = queryset.filter(level=level)
    if activity_type:
        queryset = queryset.filter(activity_type_id=activity_type)

    text = " ".join(q.split()).lower()[:100]
    if text:
        tsquery = _prefix_tsquery(text)
        queryset = queryset.alias(lname=Lower("name"))
        matches = Q(lname__trigram_similar=text) | Q(lname__trigram_word_similar=text)
        rank: Expression = Value(0.0)
        if tsquery is not None:
            matches |= Q(search_vector=tsquery)
            rank = SearchRank(F("search_vector"), tsquery)
        queryset = (
            queryset.filter(matches)
            .annotate(
                # Whole-name similarity separates "Squats" from "Barbell Full Squat", whose best word
                # matches "squatt" just as well; the text rank breaks what remains.
                score=TrigramSimilarity("lname", text) + TrigramWordSimilarity(text, "lname") + rank,
                starts=Case(
                    When(lname=text, then=Value(2)), When(lname__startswith=text, then=Value(1)), default=Value(0)
                ),
            )
            .order_by("-starts", "-score", "name", "id")
        )
    else:
        queryset = queryset.order_by("name", "id")
    return queryset[:limit] if limit is not None else queryset


@dataclass(frozen=True)
class Facets:
    muscles: list[str]
    equipment: list[str]
    categories: list[str]
    levels: list[tuple[str, str]]
    activity_types: list[ActivityType]


def exercise_facets(*, user: User) -> Facets:
    """Choices for the filter selects, from what the person can see: three queries whatever the size."""
    visible = exercises_visible(user=user)
    muscles = (
        visible.annotate(muscle=Func(F("primary_muscles"), function="unnest"))
        .values_list("muscle", flat=True)
        .order_by("muscle")
        .distinct()
    )
    pairs = visible.values_list("equipment", "category").order_by().distinct()
    equipment, categories = set(), set()
    for kit, category in pairs:
        equipment.add(kit)
        categories.add(category)
    types = ActivityType.objects.filter(exercises__in=visible.values("pk")).distinct().only("id", "name")
    return Facets(
        muscles=[m for m in muscles if m],
        equipment=sorted(e for e in equipment if e),
        categories=sorted(c for c in categories if c),
        levels=list(Level.choices),
        activity_types=list(types.order_by("display_order", "name")),
    )


def activity_types_with_templates() -> QuerySet[ActivityType]:
    """Every activity type with its category and metric templates (and their units): three queries."""
    templates = MetricTemplate.objects.select_related("unit").order_by("display_order")
    return ActivityType.objects.select_related("category").prefetch_related(
        Prefetch("metric_templates", queryset=templates)
    )


def units_list() -> QuerySet[Unit]:
    return Unit.objects.all()
