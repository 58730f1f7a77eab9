from __future__ import annotations

import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from nutrition.reference import FOODS_CSV, PORTIONS_CSV, usda_sr28_import


class Command(BaseCommand):
    help = (
        "Imports USDA SR28 (nutrition/data/usda-sr28) into the food database. Idempotent: foods are matched "
        "by NDB number and portions by (food, seq); only new or changed rows are written, in bulk."
    )

    def add_arguments(self, parser):
        parser.add_argument("--foods", type=Path, default=FOODS_CSV, help="A sr28_foods_per100g.csv to import.")
        parser.add_argument("--portions", type=Path, default=PORTIONS_CSV, help="A sr28_portions.csv to import.")

    def _progress(self, done: int, total: int, label: str) -> None:
        """A one-line text bar, redrawn in place; plain lines when the output is not a terminal."""
        if total <= 0:
            return
        width = 30
        filled = int(width * done / total)
        bar = f"  {label:<20} [{'#' * filled}{'.' * (width - filled)}] {done}/{total}"
        if self.stdout.isatty():
            self.stdout.write(f"\r{bar}", ending="\n" if done >= total else "")
            self.stdout.flush()
        elif done >= total:
            self.stdout.write(bar)

    def handle(self, *args, foods: Path, portions: Path, **options):
        for path in (foods, portions):
            if not path.is_file():
                raise CommandError(f"No such file: {path}")
        started = time.perf_counter()
        result = usda_sr28_import(foods_path=foods, portions_path=portions, progress=self._progress)
        elapsed = time.perf_counter() - started
        self.stdout.write(self.style.SUCCESS(f"{result.summary()} in {elapsed:.2f} s"))
