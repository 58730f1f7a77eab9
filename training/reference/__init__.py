"""Training's reference data, registered with the platform hook (fitjourney.hooks.reference): the
activity taxonomy and the exercise library (library.py), then the official programs (programs.py),
which name both."""

from __future__ import annotations

from fitjourney.hooks import reference

from .library import (
    ACTIVITY_TYPES,
    CATEGORIES,
    EXERCISE_SEARCH_TERMS,
    FREE_EXERCISE_DB,
    FREE_EXERCISE_DB_CATEGORIES,
    FREE_EXERCISE_DB_SOURCE,
    METRIC_TEMPLATES,
    SEED_000_EXERCISES,
    SEED_000_SOURCE,
    ImportResult,
    activity_taxonomy_load,
    exercise_search_terms_load,
    free_exercise_db_import,
    free_exercise_db_load,
    seed_exercises_load,
)
from .programs import OFFICIAL_PROGRAMS_DIR, official_programs_load


def register() -> None:
    # After accounts' units (order 10-11): metric templates point at them.
    reference.register_loader("training.activity_taxonomy", activity_taxonomy_load, order=20)
    reference.register_loader("training.seed_exercises", seed_exercises_load, order=21)
    reference.register_loader("training.free_exercise_db", free_exercise_db_load, order=22)
    # Aliases and popularity name exercises of both libraries above.
    reference.register_loader("training.exercise_search_terms", exercise_search_terms_load, order=23)
    # Programs name activity types and library exercises, so they come after both.
    reference.register_loader("training.official_programs", official_programs_load, order=24)


__all__ = [
    "ACTIVITY_TYPES",
    "CATEGORIES",
    "EXERCISE_SEARCH_TERMS",
    "FREE_EXERCISE_DB",
    "FREE_EXERCISE_DB_CATEGORIES",
    "FREE_EXERCISE_DB_SOURCE",
    "METRIC_TEMPLATES",
    "OFFICIAL_PROGRAMS_DIR",
    "SEED_000_EXERCISES",
    "SEED_000_SOURCE",
    "ImportResult",
    "activity_taxonomy_load",
    "exercise_search_terms_load",
    "free_exercise_db_import",
    "free_exercise_db_load",
    "official_programs_load",
    "register",
    "seed_exercises_load",
]
