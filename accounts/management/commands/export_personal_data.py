"""Builds a person's data export here and now, for staff answering a request that came by mail.

    python manage.py export_personal_data ann@example.com --output /tmp/ann.zip

The export is the same zip the "Your data" page gives, it is recorded in the audit trail as asked for
and handed over by the command, and the stored copy is deleted once written to the output.
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from accounts.models import User
from accounts.services.privacy import export_build, export_download, export_filename, export_request

ACTOR = "manage.py export_personal_data"
BAR_WIDTH = 30


class Command(BaseCommand):
    help = "Build the data export (right of access) of the person with this e-mail address and save the zip."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("email", help="The person's e-mail address (any case).")
        parser.add_argument(
            "--output", help="Where to write the zip (a file, or a folder). Default: fitjourney-export-<date>.zip here."
        )

    def handle(self, *args: Any, email: str, output: str | None, **options: Any) -> None:
        user = User.objects.filter(email__iexact=email.strip()).first()
        if user is None:
            raise CommandError(f"No account with the e-mail address {email!r}.")
        try:
            requested = export_request(user=user, background=False, on_behalf=ACTOR)
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from exc

        self.stdout.write(f"Exporting the data of {user.email} ({user.pk})")
        export = export_build(export_id=requested.pk, progress=self._bar)
        self.stdout.write("")
        if export is None or export.status != "ready":
            raise CommandError(f"The export did not finish: {getattr(export, 'status', 'gone')}.")

        target = Path(output or ".").expanduser()
        if target.is_dir():
            target = target / export_filename(export)
        export, handle = export_download(user=user, export_id=export.pk, actor_label=ACTOR)
        with handle, target.open("wb") as out:
            shutil.copyfileobj(handle, out, 1 << 20)
        self.stdout.write(self.style.SUCCESS(f"Wrote {target} ({export.size_bytes} bytes)."))

    def _bar(self, percent: int, message: str) -> None:
        done = BAR_WIDTH * percent // 100
        line = f"\r[{'#' * done}{'.' * (BAR_WIDTH - done)}] {percent:3d}% {message[:40]:<40}"
        self.stdout.write(line, ending="")
        if hasattr(sys.stdout, "flush"):
            self.stdout.flush()
