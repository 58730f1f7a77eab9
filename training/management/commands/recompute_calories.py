from __future__ import annotations

import argparse
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from accounts.models import User
from training.services.sessions import sessions_calories_recompute


class Command(BaseCommand):
    help = (
        "Recounts the calories of finished sessions with the nearest weight and the 2024 Compendium's METs "
        "(training.compendium), person by person: one person's failure is logged and the others go on. "
        "The days whose totals changed are refreshed by the summaries' usual refresh. Idempotent."
    )

    def add_arguments(self, parser: argparse.ArgumentParser) -> None:
        parser.add_argument("--user", metavar="EMAIL", help="Only this person (by e-mail address).")
        parser.add_argument(
            "--missing-only", action="store_true", help="Only sessions without calories (a weight arrived since)."
        )

    def handle(self, *args: Any, user: str | None = None, missing_only: bool = False, **options: Any) -> None:
        user_ids = None
        if user:
            person = User.all_objects.filter(email__iexact=user.strip()).first()
            if person is None:
                raise CommandError(f"No account with the e-mail address {user!r}.")
            user_ids = [person.pk]
        done, changed, failed = sessions_calories_recompute(user_ids=user_ids, recount=not missing_only)
        message = f"calories: {changed} sessions changed for {done} people"
        if failed:
            self.stdout.write(self.style.WARNING(f"{message}; {failed} people failed (see the log)"))
        else:
            self.stdout.write(self.style.SUCCESS(message))
