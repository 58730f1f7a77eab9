from __future__ import annotations

import sys
import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from accounts import services
from accounts.services.demo import DEMO_PASSWORD, demo_accounts_ensure
from fitjourney.hooks import reference


class Command(BaseCommand):
    help = "Loads the reference data every FitJourney site needs (idempotent); --demo adds demo accounts."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--demo", action="store_true", help="Create or refresh the demo accounts.")

    def _progress(self, done: int, total: int, label: str) -> None:
        """A one-line progress bar on a terminal; nothing when output is not a terminal."""
        if not sys.stdout.isatty() or total <= 0:
            return
        width = 30
        filled = int(width * done / total)
        end = "\n" if done >= total else ""
        self.stdout.write(f"\r  {label:<24} [{'#' * filled}{'.' * (width - filled)}] {done}/{total}", ending=end)
        self.stdout.flush()

    def handle(self, *args: Any, demo: bool = False, **options: Any) -> None:
        self.stdout.write(f"Site domain: {services.site_domain_sync()}")
        groups = services.role_groups_sync()
        for role, count in groups.items():
            self.stdout.write(f"Role group “{role}”: {count} permissions")
        for summary in reference.load_all(progress=self._progress):
            self.stdout.write(summary)
        if demo:
            accounts = demo_accounts_ensure()
            self.stdout.write(self.style.SUCCESS(f"Demo accounts (password for all: {DEMO_PASSWORD}):"))
            for label, user in accounts.items():
                self.stdout.write(f"  {label:<8} {user.email}")
            started = time.perf_counter()
            for summary in reference.load_demo(dict(accounts)):
                self.stdout.write(summary)
            self.stdout.write(f"Demo data in {time.perf_counter() - started:.1f} s")
