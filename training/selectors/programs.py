"""Reads for programs: browse and search, the program page's tree, the builder's tree.

Who sees what: published public programs (official ones are public) are everyone's; a person also sees
every program they wrote; an archived program stays readable by the people enrolled in it, but leaves
browse and search. Anything else is NotFound (a 404, never a 403).
"""

from __future__ import annotations

import re
import uuid

from django.contrib.postgres.search import SearchQuery, SearchRank, TrigramSimilarity, TrigramWordSimilarity
from django.db.models import Case, Exists, Expression, F, Func, OuterRef, Prefetch, Q, QuerySet, Value, When
from django.db.models.functions import Lower

from accounts.models import User
from fitjourney.errors import NotFound
from fitjourney.hooks import roles

from ..models import ActivityType, Enrollment, Program, ProgramExercise, ProgramSession, ProgramStatus
from ..models.programs import ProgramQuerySet

_WORD = re.compile(r"\w+", re.UNICODE)
# Program lengths people pick from: (label, weeks_min, weeks_max).
LENGTHS = {
    "short": ("Up to 4 weeks", 1, 4),
    "medium": ("5 to 8 weeks", 5, 8),
    "long": ("More than 8 weeks", 9, None),
}
# Columns a result row shows; the description is cut to a line in the template, the search vector stays.
RESULT_FIELDS = (
    "id",
    "name",
    "description",
    "difficulty",
    "duration_weeks",
    "sessions_per_week",
    "equipment",
    "goals",
    "status",
    "visibility",
    "is_official",
    "cover_image",
    "author_id",
    "author__username",
    "author__first_name",
    "author__last_name",
    "updated_at",
)


def can_edit_official(user: User) -> bool:
    """Official programs are FitJourney's: superusers and gym staff write them (trainers are staff
    members too, but write their own programs)."""
    if not user.is_authenticated or not user.is_staff:
        return False
    return user.is_superuser or user.groups.filter(name=roles.GYM_STAFF).exists()


def can_edit(user: User, program: Program) -> bool:
    if program.deleted_at is not None:
        return False
    if program.is_official:
        return can_edit_official(user)
    return program.author_id is not None and program.author_id == user.pk


def _words_query(text: str) -> SearchQuery | None:
    """ "begin full" -> 'begin':* & 'full':* (english): words match while they are still being typed."""
    words = _WORD.findall(text)
    if not words:
        return None
    return SearchQuery(" & ".join(f"{word}:*" for word in words), search_type="raw", config="english")


def programs_browse(
    *,
    user: User,
    q: str = "",
    activity_type: uuid.UUID | None = None,
    difficulty: str = "",
    length: str = "",
    weeks_min: int | None = None,
    weeks_max: int | None = None,
    equipment: str = "",
    mine: bool = False,
) -> QuerySet[Program]:
    """Programs the person may browse (published ones and their own, archived ones left out) or, with
    `mine`, everything they wrote; best match first. Paginate it: a page costs a count, the page (author
    joined, narrow columns) and one prefetch of the page's activity types, whatever the catalogue's size.

    A program matches `q` when full-text search finds every word as a prefix in its name and
    description, when its lowercased name is trigram-similar to the whole of `q` (`%`), or when any typed
    word of 3+ letters is similar to a word of the name (`%>`): "begginer ful body" finds "Beginner
    Full Body" though no word is spelled right. All three use GIN indexes (search_vector, lower(name)
    trigrams). Rank: names starting with `q`, then similarity plus full-text rank.
    """
    programs: ProgramQuerySet = Program.objects.all()
    if mine:
        qs = programs.alive().filter(author=user)
    else:
        # An erased author's programs leave browse at once (training.personal_data.programs_erase).
        qs = (
            programs.visible_to(user)
            .exclude(status=ProgramStatus.ARCHIVED)
            .filter(Q(author__isnull=True) | Q(author__deleted_at__isnull=True))
        )
    qs = qs.select_related("author").only(*RESULT_FIELDS)
    qs = qs.prefetch_related(Prefetch("activity_types", queryset=ActivityType.objects.only("id", "name")))
    if activity_type:
        qs = qs.filter(activity_types=activity_type)
    if difficulty:
        qs = qs.filter(difficulty=difficulty)
    if length in LENGTHS:
        _, low, high = LENGTHS[length]
        weeks_min = max(weeks_min or low, low)
        weeks_max = high if weeks_max is None else (min(weeks_max, high) if high else weeks_max)
    if weeks_min is not None:
        qs = qs.filter(duration_weeks__gte=weeks_min)
    if weeks_max is not None:
        qs = qs.filter(duration_weeks__lte=weeks_max)
    if equipment:
        # Array containment (`@>`) uses the GIN index on equipment.
        qs = qs.filter(equipment__contains=[equipment.strip().lower()])
    text = " ".join(q.split()).lower()[:100]
    if not text:
        return qs.order_by("-is_official", "name", "id")
    qs = qs.alias(lname=Lower("name"))
    matches = Q(lname__trigram_similar=text)
    for word in {w for w in _WORD.findall(text) if len(w) >= 3}:
        matches |= Q(lname__trigram_word_similar=word)
    rank: Expression = Value(0.0)
    tsquery = _words_query(text)
    if tsquery is not None:
        matches |= Q(search_vector=tsquery)
        rank = SearchRank(F("search_vector"), tsquery)
    return (
        qs.filter(matches)
        .annotate(
            score=TrigramSimilarity("lname", text) + TrigramWordSimilarity(text, "lname") + rank,
            starts=Case(When(lname__startswith=text, then=Value(1)), default=Value(0)),
        )
        .order_by("-starts", "-score", "name", "id")
    )


def _tree() -> list[Prefetch]:
    """The weeks' days (with their type) and each day's exercises (with the library row): two queries."""
    exercises = ProgramExercise.objects.select_related("exercise").only(
        *(f.name for f in ProgramExercise._meta.concrete_fields), "exercise__id", "exercise__name"
    )
    days = (
        ProgramSession.objects.select_related("activity_type")
        .prefetch_related(Prefetch("exercises", queryset=exercises.order_by("order")))
        .order_by("week", "day")
    )
    return [Prefetch("sessions", queryset=days), Prefetch("activity_types", queryset=ActivityType.objects.all())]


def program_detail(*, user: User, program_id: uuid.UUID | str) -> Program:
    """A program the person may read, with its whole tree: four queries for any size (the program with
    its author, its activity types, its days, their exercises)."""
    visible = Q(pk__in=Program.objects.visible_to(user).values("pk"))
    # Archived (or since made private) programs stay readable by the people enrolled in them.
    visible |= Q(Exists(Enrollment.objects.filter(program=OuterRef("pk"), user=user)))
    if user.is_staff:
        visible |= Q(is_official=True)
    program = (
        Program.objects.alive()
        .filter(visible)
        .select_related("author")
        .prefetch_related(*_tree())
        .filter(pk=program_id)
        .first()
    )
    if program is None:
        raise NotFound("Program not found.")
    if program.is_official and program.status == ProgramStatus.DRAFT and not can_edit_official(user):
        raise NotFound("Program not found.")
    return program


def program_for_edit(*, user: User, program_id: uuid.UUID | str) -> Program:
    """The author's (or, official, staff's) program with its tree, for the builder."""
    program = Program.objects.alive().select_related("author").prefetch_related(*_tree()).filter(pk=program_id).first()
    if program is None or not can_edit(user, program):
        raise NotFound("Program not found.")
    return program


def program_get_for_edit(*, user: User, program_id: uuid.UUID | str) -> Program:
    """Just the row (no tree), for a write that needs only the program."""
    program = Program.objects.alive().filter(pk=program_id).first()
    if program is None or not can_edit(user, program):
        raise NotFound("Program not found.")
    return program


def program_session_get_for_edit(*, user: User, program_session_id: uuid.UUID | str) -> ProgramSession:
    ps = (
        ProgramSession.objects.select_related("program", "activity_type")
        .filter(pk=program_session_id, program__deleted_at__isnull=True)
        .first()
    )
    if ps is None or not can_edit(user, ps.program):
        raise NotFound("Day not found.")
    return ps


def program_exercise_get_for_edit(*, user: User, program_exercise_id: uuid.UUID | str) -> ProgramExercise:
    pe = (
        ProgramExercise.objects.select_related("session__program", "session__activity_type", "exercise")
        .filter(pk=program_exercise_id, session__program__deleted_at__isnull=True)
        .first()
    )
    if pe is None or not can_edit(user, pe.session.program):
        raise NotFound("Exercise not found.")
    return pe


def program_equipment_choices() -> list[str]:
    """The equipment published programs need, for the filter: one query, distinct values only."""
    rows = (
        Program.objects.published()
        .annotate(kit=Func(F("equipment"), function="unnest"))
        .values_list("kit", flat=True)
        .order_by("kit")
        .distinct()
    )
    return [kit for kit in rows if kit]


__all__ = [
    "LENGTHS",
    "can_edit",
    "can_edit_official",
    "program_detail",
    "program_equipment_choices",
    "program_exercise_get_for_edit",
    "program_for_edit",
    "program_get_for_edit",
    "program_session_get_for_edit",
    "programs_browse",
]
