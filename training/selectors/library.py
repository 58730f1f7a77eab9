"""Reads for the exercise library: what a person may see, search as you type, and the filter facets."""

from __future__ import annotations

import math
import re
import uuid
from dataclasses import dataclass

from django.contrib.postgres.expressions import ArraySubquery
from django.contrib.postgres.search import SearchQuery, SearchRank, TrigramSimilarity, TrigramWordSimilarity
from django.db.models import (
    Case,
    Expression,
    ExpressionWrapper,
    F,
    FloatField,
    Func,
    IntegerField,
    Prefetch,
    Q,
    QuerySet,
    Value,
    When,
)
from django.db.models.functions import Least, Ln, Lower

from accounts.models import Unit, User
from fitjourney.errors import NotFound

from ..models import ActivityType, Exercise, Level, MetricTemplate, Session, SessionExercise
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


# Equipment abbreviations people type, expanded in the query ("db bench" -> "dumbbell bench"). Names of
# particular exercises ("ohp", "rdl", "skull crusher") are aliases in the reference data instead.
ABBREVIATIONS = {
    "db": "dumbbell",
    "dbs": "dumbbell",
    "bb": "barbell",
    "kb": "kettlebell",
    "kbs": "kettlebell",
    "bw": "bodyweight",
    "cg": "close grip",
}
# The person's own history counts in the rank through their latest sessions only: an index range of the
# training_session_history index and their exercises, never a scan of everything they ever logged.
RECENT_SESSIONS = 50
# Rank: text relevance (whole-name and word similarity, full-text rank plus FULL_TEXT when every typed
# word is there, a name starting with `q`: about 0-3.5), where an exact name or alias counts as EXACT
# whatever its spelling, so that among exact matches popularity and the person's history decide (a
# documented "Barbell Deadlift" before seed 000's bare "Deadlift"). Relevance is then multiplied by
# 1 + boosts: POPULARITY at the reference data's 100, USAGE at 1,000 logged uses by anyone (log-scaled),
# HISTORY when used in HISTORY_FULL of the person's recent sessions, OWN for their own exercise.
# Multiplying keeps a weak match weak however popular the lift.
EXACT = 4.0
FULL_TEXT = 0.5
STARTS = 0.25
POPULARITY = 0.5
USAGE = 0.2
HISTORY = 1.0
HISTORY_FULL = 4
OWN = 0.6


def _expand(text: str) -> str:
    return " ".join(ABBREVIATIONS.get(word, word) for word in text.split())


def _prefix_tsquery(text: str) -> SearchQuery | None:
    """ "benc pre" -> 'benc':* & 'pre':* (english), so a word matches while it is still being typed; an
    abbreviation matches itself or what it stands for: "db" -> ('db':* | 'dumbbell':*)."""
    terms = []
    for word in _WORD.findall(text):
        expansion = _WORD.findall(ABBREVIATIONS.get(word, ""))
        prefix = f"{word}:*"
        terms.append(f"({prefix} | {' & '.join(f'{part}:*' for part in expansion)})" if expansion else prefix)
    if not terms:
        return None
    return SearchQuery(" & ".join(terms), search_type="raw", config="english")


def _history_count(user: User) -> Expression:
    """How many of the person's last RECENT_SESSIONS sessions include the row's exercise. The ids are one
    uncorrelated ARRAY(...) subquery (an InitPlan: run once per search, not per row), counted per row."""
    if not user.pk:
        return Value(0)
    recent = Session.objects.for_user(user).performed().order_by("-started_at").values("id")[:RECENT_SESSIONS]
    used = ArraySubquery(SessionExercise.objects.filter(session__in=recent).order_by().values("exercise_id"))
    return Func(Func(used, F("id"), function="array_positions"), function="cardinality", output_field=IntegerField())


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

    Equipment abbreviations are expanded first ("db" -> "dumbbell"). A row matches when full-text search
    finds every typed word as a prefix of its name, aliases, equipment or category ("benc pre", "ohp"),
    or its lowercased name is trigram-similar to `q` (`%`, typos: "benchpres", "dedlift"), or its name
    and aliases contain a word similar to it (`%>`, "squatt" in "Box Squat", "skul crusher"). The
    operators use the GIN indexes on search_vector, lower(name) and search_text.

    Rank (see the weights above): an exact name or alias ("squat" is the back squat's) first; then text
    relevance (whole-name similarity, word similarity, full-text rank, a name starting with `q`); plus
    the exercise's popularity (reference data and everyone's logs) and the person's own history. Without
    `q`, alphabetical. `limit=None` to paginate.
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
    if not text:
        queryset = queryset.order_by("name", "id")
        return queryset[:limit] if limit is not None else queryset

    expanded = _expand(text)
    tsquery = _prefix_tsquery(text)
    queryset = queryset.alias(lname=Lower("name"))
    # Full text first: the cheapest test, and a row it matches skips the trigram ones.
    matches = Q(search_vector=tsquery) if tsquery is not None else Q(pk__in=[])
    matches |= Q(lname__trigram_similar=expanded) | Q(search_text__trigram_word_similar=expanded)
    rank: Expression = Value(0.0)
    if tsquery is not None:
        # ts_rank scores rows that miss a word too: only rows that have every typed word get it.
        rank = Case(
            When(search_vector=tsquery, then=SearchRank(F("search_vector"), tsquery) + Value(FULL_TEXT)),
            default=Value(0.0),
        )
    spellings = list(dict.fromkeys([text, expanded]))
    exact = Q(lname__in=spellings) | Q(aliases__overlap=spellings)
    relevance = Case(
        When(exact, then=Value(EXACT)),
        default=TrigramSimilarity("lname", expanded)
        + TrigramWordSimilarity(expanded, "search_text")
        + rank
        + Case(When(lname__startswith=expanded, then=Value(STARTS)), default=Value(0.0)),
        output_field=FloatField(),
    )
    boost = (
        Value(1.0)
        + F("popularity") * Value(POPULARITY / 100)
        + Least(Ln(F("usage_count") + Value(1.0)) * Value(USAGE / math.log(1001)), Value(USAGE))
        + Least(_history_count(user), Value(HISTORY_FULL)) * Value(HISTORY / HISTORY_FULL)
        + (Case(When(owner_id=user.pk, then=Value(OWN)), default=Value(0.0)) if user.pk else Value(0.0))
    )
    queryset = (
        queryset.filter(matches)
        .alias(score=ExpressionWrapper(relevance * boost, output_field=FloatField()))
        .order_by("-score", "name", "id")
    )
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
