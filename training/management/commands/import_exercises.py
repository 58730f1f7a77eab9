from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from training.reference import FREE_EXERCISE_DB, activity_taxonomy_load, free_exercise_db_import


class Command(BaseCommand):
    help = (
        "Imports free-exercise-db (training/data/free-exercise-db) into the exercise library. Idempotent: "
        "rows are matched by external_id, existing ones updated, new ones inserted in bulk."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--path", type=Path, default=FREE_EXERCISE_DB, help="An exercises.json to import.")

    def _progress(self, done: int, total: int, label: str) -> None:
        """A one-line text bar, redrawn in place; plain lines when the output is not a terminal."""
        if total <= 0:
            return
        width = 30
        filled = int(width * done / total)
        bar = f"  {label:<18} [{'#' * filled}{'.' * (width - filled)}] {done}/{total}"
        if self.stdout.isatty():
            self.stdout.write(f"\r{bar}", ending="\n" if done >= total else "")
            self.stdout.flush()
        elif done >= total:
            self.stdout.write(bar)

    def handle(self, *args: Any, path: Path, **options: Any) -> None:
        if not path.is_file():
            raise CommandError(f"No such file: {path}")
        activity_taxonomy_load()  # the activity types the exercises belong to
        result = free_exercise_db_import(path=path, progress=self._progress)
        self.stdout.write(self.style.SUCCESS(result.summary()))
