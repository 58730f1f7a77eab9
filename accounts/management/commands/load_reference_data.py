from __future__ import annotations

from django.core.management.base import BaseCommand
from django.db import transaction

from accounts import services
from accounts.demo import DEMO_PASSWORD, demo_accounts_ensure


class Command(BaseCommand):
    help = "Loads the reference data every FitJourney site needs (idempotent); --demo adds demo accounts."

    def add_arguments(self, parser):
        parser.add_argument("--demo", action="store_true", help="Create or refresh the demo accounts.")

    @transaction.atomic
    def handle(self, *args, demo: bool = False, **options):
        groups = services.role_groups_sync()
        for role, count in groups.items():
            self.stdout.write(f"Role group “{role}”: {count} permissions")
        if demo:
            accounts = demo_accounts_ensure()
            self.stdout.write(self.style.SUCCESS(f"Demo accounts (password for all: {DEMO_PASSWORD}):"))
            for label, user in accounts.items():
                self.stdout.write(f"  {label:<8} {user.email}")
