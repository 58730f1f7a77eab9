"""Training's library reference data: the activity taxonomy (seed 002), seed 000's system exercises and the
free-exercise-db library (873 exercises, public domain, see training/data/free-exercise-db/SOURCE.md).

Every loader is an idempotent upsert (INSERT … ON CONFLICT DO UPDATE) keyed on a natural key (slug,
(type, name), external_id), so `load_reference_data` can run at every deploy and the test database
gets the same rows once per session. Ids of existing rows never change, so sessions keep pointing at them.

Name collisions: the database allows one system exercise per name regardless of case. Seed 000's rows
are loaded first and win; a free-exercise-db row whose name is already taken by another system
exercise is skipped and named in the import summary (none collide in the pinned data set).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.db.models.functions import Lower

from fitjourney.hooks import reference

from ..models import ActivityCategory, ActivityType, Exercise, InputType, MetricTemplate, Visibility

FREE_EXERCISE_DB = Path(__file__).resolve().parent.parent / "data" / "free-exercise-db" / "exercises.json"
EXERCISE_SEARCH_TERMS = Path(__file__).resolve().parent.parent / "data" / "exercise-search.json"
FREE_EXERCISE_DB_SOURCE = "free-exercise-db"
SEED_000_SOURCE = "seed-000"
BATCH_SIZE = 250

# (slug, name, description, icon)
CATEGORIES = (
    ("physical", "Physical", "Strength, cardio, mobility and sports.", "dumbbell"),
    ("creative", "Creative", "Painting, music, dance and writing.", "palette"),
    ("wellness", "Wellness", "Meditation, breathing and recovery.", "leaf"),
    ("cognitive", "Cognitive", "Games and training for the mind.", "brain"),
    ("social", "Social", "Activities done with others.", "users"),
)


@dataclass(frozen=True)
class TypeSpec:
    slug: str
    name: str
    category: str
    met: str | None
    is_physical: bool = True
    has_duration: bool = True
    has_intensity: bool = False
    uses_exercises: bool = False
    description: str = ""


ACTIVITY_TYPES = (
    TypeSpec("weight-training", "Weight Training", "physical", "5.0", has_intensity=True, uses_exercises=True),
    TypeSpec("running", "Running", "physical", "8.0", has_intensity=True),
    TypeSpec("cycling", "Cycling", "physical", "7.5", has_intensity=True),
    TypeSpec("swimming", "Swimming", "physical", "8.0", has_intensity=True),
    TypeSpec("walking", "Walking", "physical", "3.5"),
    TypeSpec("cardio", "Cardio", "physical", "7.0", has_intensity=True, description="Machines, rowing, skipping."),
    TypeSpec("hiit", "HIIT", "physical", "8.0", has_intensity=True, uses_exercises=True),
    TypeSpec("yoga", "Yoga", "physical", "2.5"),
    TypeSpec("pilates", "Pilates", "physical", "3.0"),
    TypeSpec("stretching", "Stretching", "physical", "2.3", uses_exercises=True),
    TypeSpec("climbing", "Climbing", "physical", "8.0", has_intensity=True),
    TypeSpec("dance", "Dance", "creative", "5.0", has_intensity=True),
    TypeSpec("painting", "Painting", "creative", "1.8", is_physical=False),
    TypeSpec("music", "Music", "creative", "2.0", is_physical=False),
    TypeSpec("writing", "Writing", "creative", "1.3", is_physical=False),
    TypeSpec("meditation", "Meditation", "wellness", "1.3", is_physical=False),
    TypeSpec("breathing", "Breathing", "wellness", "1.3", is_physical=False),
    TypeSpec("chess", "Chess", "cognitive", "1.5", is_physical=False),
    TypeSpec("team-sports", "Team Sports", "social", "7.0", has_intensity=True),
)


@dataclass(frozen=True)
class MetricSpec:
    name: str
    label: str
    unit: str | None = None
    input_type: str = InputType.NUMBER
    required: bool = False
    min_value: str | None = None
    max_value: str | None = None
    regex: str = ""
    help_text: str = ""


_RESULT = MetricSpec(
    "result", "Result", input_type=InputType.TEXT, regex=r"^(win|loss|draw)$", help_text="win, loss or draw"
)
_HEART_RATE = MetricSpec("avg_heart_rate", "Average heart rate", "bpm", min_value="30", max_value="250")
_ELEVATION = MetricSpec("elevation_gain", "Elevation gain", "m", min_value="0", max_value="10000")


def _distance(max_metres: str, required: bool = True) -> MetricSpec:
    # Pace and speed are derived from distance and duration, never stored.
    return MetricSpec("distance", "Distance", "m", required=required, min_value="0", max_value=max_metres)


METRIC_TEMPLATES: dict[str, tuple[MetricSpec, ...]] = {
    "running": (
        _distance("500000"),
        _ELEVATION,
        MetricSpec("cadence", "Cadence", "spm", min_value="0", max_value="300", help_text="Steps per minute"),
        _HEART_RATE,
    ),
    "cycling": (
        _distance("1000000"),
        _ELEVATION,
        MetricSpec("cadence", "Cadence", "rpm", min_value="0", max_value="200", help_text="Pedal turns per minute"),
        _HEART_RATE,
    ),
    "walking": (
        _distance("200000"),
        _ELEVATION,
        MetricSpec("steps", "Steps", "count", min_value="0", max_value="200000"),
        _HEART_RATE,
    ),
    "swimming": (
        _distance("50000"),
        MetricSpec("laps", "Laps", "count", min_value="0", max_value="2000"),
        MetricSpec("pool_length", "Pool length", "m", min_value="10", max_value="100"),
        MetricSpec(
            "cadence", "Stroke rate", "strokes-min", min_value="0", max_value="150", help_text="Strokes per minute"
        ),
    ),
    "cardio": (_distance("200000", required=False), _HEART_RATE),
    "hiit": (MetricSpec("rounds", "Rounds", "count", min_value="1", max_value="100"), _HEART_RATE),
    "yoga": (
        MetricSpec("poses_held", "Poses held", "count", min_value="0", max_value="500"),
        MetricSpec("style", "Style", input_type=InputType.TEXT, help_text="Hatha, vinyasa, yin…"),
    ),
    "pilates": (MetricSpec("style", "Style", input_type=InputType.TEXT, help_text="Mat, reformer…"),),
    "climbing": (
        MetricSpec("routes", "Routes climbed", "count", min_value="0", max_value="500"),
        MetricSpec("hardest_grade", "Hardest grade", input_type=InputType.TEXT),
    ),
    "dance": (MetricSpec("style", "Style", input_type=InputType.TEXT),),
    "painting": (
        MetricSpec("pieces", "Pieces", "count", min_value="0", max_value="100"),
        MetricSpec("medium", "Medium", input_type=InputType.TEXT, help_text="Oil, watercolour, acrylic…"),
    ),
    "music": (
        MetricSpec("pieces_practised", "Pieces practised", "count", min_value="0", max_value="200"),
        MetricSpec("instrument", "Instrument", input_type=InputType.TEXT),
    ),
    "writing": (MetricSpec("words", "Words", "count", min_value="0", max_value="200000"),),
    "meditation": (MetricSpec("technique", "Technique", input_type=InputType.TEXT),),
    "breathing": (
        MetricSpec("technique", "Technique", input_type=InputType.TEXT, help_text="Box, 4-7-8, Wim Hof…"),
        MetricSpec("rounds", "Rounds", "count", min_value="1", max_value="100"),
    ),
    "chess": (
        _RESULT,
        MetricSpec("moves", "Moves", "count", min_value="1", max_value="1000"),
        MetricSpec("opponent_rating", "Opponent rating", min_value="100", max_value="3500"),
    ),
    "team-sports": (MetricSpec("sport", "Sport", input_type=InputType.TEXT, required=True), _RESULT),
}


# Seed 000 exercise_types: (slug, name, category, activity type, MET, sets, reps, weight, duration, distance,
# equipment, level, primary muscles, secondary muscles)
SeedExercise = tuple[str, str, str, str, str, int, int, int, int, int, str, str, list[str], list[str]]
SEED_000_EXERCISES: tuple[SeedExercise, ...] = (
    ("running", "Running", "cardio", "running", "8.0", 0, 0, 0, 1, 1, "", "beginner", [], []),
    ("cycling", "Cycling", "cardio", "cycling", "7.5", 0, 0, 0, 1, 1, "", "beginner", [], []),
    ("swimming", "Swimming", "cardio", "swimming", "8.0", 0, 0, 0, 1, 1, "", "beginner", [], []),
    ("walking", "Walking", "cardio", "walking", "3.5", 0, 0, 0, 1, 1, "", "beginner", [], []),
    (
        "bench-press",
        "Bench Press",
        "strength",
        "weight-training",
        "5.0",
        1,
        1,
        1,
        0,
        0,
        "barbell",
        "beginner",
        ["chest"],
        ["shoulders", "triceps"],
    ),  # fmt: skip
    (
        "squats",
        "Squats",
        "strength",
        "weight-training",
        "5.0",
        1,
        1,
        1,
        0,
        0,
        "barbell",
        "beginner",
        ["quadriceps"],
        ["glutes", "hamstrings"],
    ),  # fmt: skip
    (
        "deadlift",
        "Deadlift",
        "strength",
        "weight-training",
        "6.0",
        1,
        1,
        1,
        0,
        0,
        "barbell",
        "intermediate",
        ["lower back"],
        ["glutes", "hamstrings"],
    ),  # fmt: skip
    (
        "pull-ups",
        "Pull-ups",
        "strength",
        "weight-training",
        "4.0",
        1,
        1,
        0,
        0,
        0,
        "body only",
        "intermediate",
        ["lats"],
        ["biceps", "middle back"],
    ),  # fmt: skip
    (
        "push-ups",
        "Push-ups",
        "strength",
        "weight-training",
        "3.8",
        1,
        1,
        0,
        0,
        0,
        "body only",
        "beginner",
        ["chest"],
        ["shoulders", "triceps"],
    ),  # fmt: skip
    ("yoga", "Yoga", "yoga", "yoga", "2.5", 0, 0, 0, 1, 0, "", "beginner", [], []),
    ("hiit-training", "HIIT Training", "hiit", "hiit", "8.0", 0, 0, 0, 1, 0, "", "intermediate", [], []),
)

# free-exercise-db category -> (activity type, MET)
FREE_EXERCISE_DB_CATEGORIES = {
    "strength": ("weight-training", "5.0"),
    "powerlifting": ("weight-training", "6.0"),
    "olympic weightlifting": ("weight-training", "6.0"),
    "strongman": ("weight-training", "6.0"),
    "stretching": ("stretching", "2.3"),
    "plyometrics": ("hiit", "8.0"),
    "cardio": ("cardio", "7.0"),
}
# Cardio rows named after a type of their own go there (Bicycling -> Cycling, Jogging -> Running…).
CARDIO_BY_NAME = (("bicycl", "cycling"), ("bike", "cycling"), ("running", "running"), ("jogging", "running"),
                  ("walking", "walking"))  # fmt: skip

EXERCISE_UPDATE_FIELDS = [
    "name",
    "activity_type",
    "category",
    "instructions",
    "primary_muscles",
    "secondary_muscles",
    "equipment",
    "level",
    "mechanic",
    "force",
    "images",
    "met",
    "tracks_sets",
    "tracks_reps",
    "tracks_weight",
    "tracks_duration",
    "tracks_distance",
    "source",
    "updated_at",
]


def _tick(progress: reference.Progress | None, done: int, total: int, label: str) -> None:
    if progress:
        progress(done, total, label)


def activity_taxonomy_load(progress: reference.Progress | None = None) -> str:
    """Categories, activity types and their metric templates (needs accounts' units)."""
    with transaction.atomic():
        ActivityCategory.objects.bulk_create(
            [
                ActivityCategory(slug=slug, name=name, description=description, icon=icon, display_order=order)
                for order, (slug, name, description, icon) in enumerate(CATEGORIES, 1)
            ],
            update_conflicts=True,
            unique_fields=["slug"],
            update_fields=["name", "description", "icon", "display_order"],
        )
        categories = dict(ActivityCategory.objects.values_list("slug", "id"))
        ActivityType.objects.bulk_create(
            [
                ActivityType(
                    slug=spec.slug,
                    name=spec.name,
                    category_id=categories[spec.category],
                    description=spec.description,
                    is_physical=spec.is_physical,
                    has_duration=spec.has_duration,
                    has_intensity=spec.has_intensity,
                    uses_exercises=spec.uses_exercises,
                    met=Decimal(spec.met) if spec.met else None,
                    display_order=order,
                )
                for order, spec in enumerate(ACTIVITY_TYPES, 1)
            ],
            update_conflicts=True,
            unique_fields=["slug"],
            update_fields=[
                "name",
                "category",
                "description",
                "is_physical",
                "has_duration",
                "has_intensity",
                "uses_exercises",
                "met",
                "display_order",
            ],
        )
        types = dict(ActivityType.objects.values_list("slug", "id"))
        templates = [
            MetricTemplate(
                activity_type_id=types[slug],
                name=spec.name,
                label=spec.label,
                unit_id=spec.unit,
                input_type=spec.input_type,
                is_required=spec.required,
                display_order=order,
                min_value=Decimal(spec.min_value) if spec.min_value is not None else None,
                max_value=Decimal(spec.max_value) if spec.max_value is not None else None,
                validation_regex=spec.regex,
                help_text=spec.help_text,
            )
            for slug, specs in METRIC_TEMPLATES.items()
            for order, spec in enumerate(specs, 1)
        ]
        MetricTemplate.objects.bulk_create(
            templates,
            update_conflicts=True,
            unique_fields=["activity_type", "name"],
            update_fields=[
                "label",
                "unit",
                "input_type",
                "is_required",
                "display_order",
                "min_value",
                "max_value",
                "validation_regex",
                "help_text",
            ],
        )
    _tick(progress, len(ACTIVITY_TYPES), len(ACTIVITY_TYPES), "Activity types")
    return f"Activity categories: {len(CATEGORIES)}, types: {len(ACTIVITY_TYPES)}, metric templates: {len(templates)}"


def _system_exercise(**fields: Any) -> Exercise:
    return Exercise(owner=None, visibility=Visibility.PUBLIC, is_verified=True, **fields)


def seed_exercises_load(progress: reference.Progress | None = None) -> str:
    """Seed 000's eleven system exercises with their MET values and what they track."""
    types = dict(ActivityType.objects.values_list("slug", "id"))
    rows = [
        _system_exercise(
            external_id=f"{SEED_000_SOURCE}:{slug}",
            source=SEED_000_SOURCE,
            name=name,
            category=category,
            activity_type_id=types[type_slug],
            met=Decimal(met),
            tracks_sets=bool(sets),
            tracks_reps=bool(reps),
            tracks_weight=bool(weight),
            tracks_duration=bool(duration),
            tracks_distance=bool(distance),
            equipment=equipment,
            level=level,
            primary_muscles=primary,
            secondary_muscles=secondary,
        )
        for (
            slug,
            name,
            category,
            type_slug,
            met,
            sets,
            reps,
            weight,
            duration,
            distance,
            equipment,
            level,
            primary,
            secondary,
        ) in SEED_000_EXERCISES  # fmt: skip
    ]
    Exercise.objects.bulk_create(
        rows, update_conflicts=True, unique_fields=["external_id"], update_fields=EXERCISE_UPDATE_FIELDS
    )
    _tick(progress, len(rows), len(rows), "System exercises")
    return f"System exercises (seed 000): {len(rows)}"


@dataclass
class ImportResult:
    created: int = 0
    updated: int = 0
    skipped: list[str] = field(default_factory=list)

    @property
    def total(self) -> int:
        return self.created + self.updated

    def summary(self) -> str:
        text = f"free-exercise-db: {self.total} exercises ({self.created} new, {self.updated} updated)"
        if self.skipped:
            text += f"; skipped {len(self.skipped)} whose name another system exercise has: {', '.join(self.skipped)}"
        return text


def _tracks(category: str, equipment: str, force: str) -> dict[str, bool]:
    if category == "cardio":
        return {"tracks_sets": False, "tracks_reps": False, "tracks_weight": False,
                "tracks_duration": True, "tracks_distance": True}  # fmt: skip
    if category == "stretching":
        return {"tracks_sets": False, "tracks_reps": False, "tracks_weight": False,
                "tracks_duration": True, "tracks_distance": False}  # fmt: skip
    # Strength, powerlifting, olympic lifts, strongman and plyometrics: sets of reps, with a load unless
    # the body is the load; static holds (planks, wall sits) are timed.
    return {
        "tracks_sets": True,
        "tracks_reps": True,
        "tracks_weight": equipment != "body only",
        "tracks_duration": force == "static",
        "tracks_distance": False,
    }


def _activity_type_slug(category: str, name: str) -> str:
    slug, _ = FREE_EXERCISE_DB_CATEGORIES.get(category, ("weight-training", None))
    if slug == "cardio":
        lowered = name.lower()
        for needle, target in CARDIO_BY_NAME:
            if needle in lowered:
                return target
    return slug


def free_exercise_db_import(
    *, path: Path = FREE_EXERCISE_DB, progress: reference.Progress | None = None
) -> ImportResult:
    """Upserts free-exercise-db by `external_id` (its `id`): new rows inserted, existing ones updated in
    place (usage counts, verification and soft deletion made here are kept), in a few bulk statements."""
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    types = dict(ActivityType.objects.values_list("slug", "id"))
    ids = [item["id"] for item in data]
    existing = set(Exercise.objects.filter(external_id__in=ids).values_list("external_id", flat=True))
    # Names other system exercises hold (seed 000, staff additions): the unique constraint forbids a second.
    taken = set(
        Exercise.objects.filter(owner__isnull=True)
        .exclude(external_id__in=ids)
        .annotate(lowered=Lower("name"))
        .values_list("lowered", flat=True)
    )
    result = ImportResult()
    rows = []
    for item in data:
        name = item["name"].strip()[:120]
        if name.lower() in taken:
            result.skipped.append(name)
            continue
        taken.add(name.lower())
        category = item.get("category") or ""
        equipment = item.get("equipment") or ""
        force = item.get("force") or ""
        _, met = FREE_EXERCISE_DB_CATEGORIES.get(category, (None, "5.0"))
        rows.append(
            _system_exercise(
                external_id=item["id"],
                source=FREE_EXERCISE_DB_SOURCE,
                name=name,
                activity_type_id=types[_activity_type_slug(category, name)],
                category=category,
                instructions=item.get("instructions") or [],
                primary_muscles=item.get("primaryMuscles") or [],
                secondary_muscles=item.get("secondaryMuscles") or [],
                equipment=equipment,
                level=item.get("level") or "",
                mechanic=item.get("mechanic") or "",
                force=force,
                images=item.get("images") or [],
                met=Decimal(met),
                **_tracks(category, equipment, force),
            )
        )
        if item["id"] in existing:
            result.updated += 1
        else:
            result.created += 1
    with transaction.atomic():
        for start in range(0, len(rows), BATCH_SIZE):
            Exercise.objects.bulk_create(
                rows[start : start + BATCH_SIZE],
                update_conflicts=True,
                unique_fields=["external_id"],
                update_fields=EXERCISE_UPDATE_FIELDS,
            )
            _tick(progress, min(start + BATCH_SIZE, len(rows)), len(rows), "free-exercise-db")
    return result


def free_exercise_db_load(progress: reference.Progress | None = None) -> str:
    return free_exercise_db_import(progress=progress).summary()


def _search_terms(path: Path) -> dict[str, tuple[list[str], int]]:
    """external_id -> (aliases, popularity) from the file, aliases lowercased with single spaces and
    without repeats; a popularity outside 0-100 or a malformed entry stops the load, naming it."""
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    terms: dict[str, tuple[list[str], int]] = {}
    for external_id, entry in data["exercises"].items():
        popularity = entry.get("popularity", 0)
        aliases = entry.get("aliases", [])
        if not isinstance(popularity, int) or not 0 <= popularity <= 100 or not isinstance(aliases, list):
            raise ValueError(f"{Path(path).name}: {external_id} needs a popularity of 0-100 and a list of aliases.")
        cleaned = [" ".join(str(alias).lower().split())[:80] for alias in aliases]
        terms[external_id] = (list(dict.fromkeys(alias for alias in cleaned if alias)), popularity)
    return terms


def exercise_search_terms_load(
    progress: reference.Progress | None = None, *, path: Path = EXERCISE_SEARCH_TERMS
) -> str:
    """Aliases and popularity of library exercises (training/data/exercise-search.json), after both
    libraries are loaded. Only rows whose values differ are written, so a second run writes nothing; a
    library row the file stops naming goes back to no aliases and popularity 0. An id the library does
    not have (a row skipped for its name) is reported in the summary, not fatal: search works without it."""
    terms = _search_terms(path)
    with transaction.atomic():
        rows = list(Exercise.objects.filter(external_id__in=terms).only("id", "external_id", "aliases", "popularity"))
        changed = []
        for row in rows:
            aliases, popularity = terms[row.external_id or ""]
            if row.aliases != aliases or row.popularity != popularity:
                row.aliases, row.popularity = aliases, popularity
                changed.append(row)
        Exercise.objects.bulk_update(changed, ["aliases", "popularity"], batch_size=BATCH_SIZE)
        cleared = (
            Exercise.objects.filter(owner__isnull=True, source__in=[FREE_EXERCISE_DB_SOURCE, SEED_000_SOURCE])
            .exclude(external_id__in=terms)
            .filter(Q(popularity__gt=0) | ~Q(aliases=[]))
            .update(aliases=[], popularity=0)
        )
    _tick(progress, len(terms), len(terms), "Exercise aliases")
    text = f"Exercise aliases and popularity: {len(rows)} exercises ({len(changed)} changed, {cleared} cleared)"
    missing = sorted(set(terms) - {row.external_id for row in rows})
    if missing:
        text += f"; not in the library: {', '.join(missing)}"
    return text
