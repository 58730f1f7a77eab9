from __future__ import annotations

import argparse
import datetime as dt
import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from accounts.models import User
from coaching.services.summaries import summaries_rebuild


def _date(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise CommandError(f"Not a date: {value!r} (use YYYY-MM-DD).") from None


class Command(BaseCommand):
    help = (
        "Recomputes the daily and weekly summaries of everybody (or of one person) from their sources: "
        "sessions, meals, water, weight, habit logs and journal. Idempotent; a batch of people per transaction."
    )

    def add_arguments(self, parser: argparse.ArgumentParser) -> None:
        parser.add_argument("--since", type=_date, help="Only days from this date on (YYYY-MM-DD); all by default.")
        parser.add_argument("--user", metavar="EMAIL", help="Only this person (by e-mail address).")

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

    def handle(self, *args: Any, since: dt.date | None = None, user: str | None = None, **options: Any) -> None:
        user_ids = None
        if user:
            person = User.all_objects.filter(email__iexact=user.strip()).first()
            if person is None:
                raise CommandError(f"No account with the e-mail address {user!r}.")
            user_ids = [person.pk]
        started = time.perf_counter()
        rows = summaries_rebuild(user_ids=user_ids, since=since, progress=self._progress)
        seconds = time.perf_counter() - started
        rate = rows / seconds if seconds > 0 else 0.0
        scope = f" from {since.isoformat()}" if since else ""
        self.stdout.write(
            self.style.SUCCESS(
                f"summaries{scope}: {rows} rows (daily and weekly) in {seconds:.1f} s, {rate:,.0f} rows/s"
            )
        )
