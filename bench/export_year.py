"""How long the data export (right of access) takes for a person with a year of data, and how big it is.

    DJANGO_SETTINGS_MODULE=fitjourney.settings.local python bench/export_year.py [--days 365] [--others 20]

Everything happens inside one transaction that is rolled back at the end, and the files go to a
temporary folder, so any database can be used (the dev one, a test one); nothing is left behind.
See bench/README.md.
"""

from __future__ import annotations

import argparse
import os
import secrets
import sys
import tempfile
import time
import tracemalloc
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "fitjourney.settings.local")

import django

django.setup()

from allauth.account.models import EmailAddress  # noqa: E402
from allauth.socialaccount.models import SocialAccount, SocialToken  # noqa: E402
from django.core.files.base import ContentFile  # noqa: E402
from django.core.files.storage import default_storage  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test.utils import CaptureQueriesContext, override_settings  # noqa: E402
from django.urls import reverse  # noqa: E402
from django.utils import timezone  # noqa: E402

from accounts.models import (  # noqa: E402
    ApiToken,
    AuditAction,
    AuditLog,
    ChangedBy,
    DataExport,
    ExportStatus,
    Notification,
    NotificationPreference,
    NotificationType,
    Profile,
    ProfileVersion,
    User,
)
from accounts.selectors.privacy import personal_data_rows  # noqa: E402
from accounts.services.privacy import export_build, export_request  # noqa: E402
from accounts.services.profiles import profile_create, profile_snapshot  # noqa: E402
from accounts.tokens import hash_token  # noqa: E402
from fitjourney.hooks import personal_data  # noqa: E402


class Rollback(Exception):
    pass


def make_person(n: int, *, days: int) -> User:
    """A person with `days` of data in every model the registry knows today, written with bulk_create."""
    now = timezone.now()
    start = now - timedelta(days=days)
    user = User.objects.create_user(
        email=f"bench{n}-{secrets.token_hex(4)}@example.com",
        username=f"bench{n}_{secrets.token_hex(4)}",
        password="bench-password-123",
        first_name="Bench",
        last_name=f"Person {n}",
    )
    EmailAddress.objects.bulk_create(
        [
            EmailAddress(user=user, email=user.email, verified=True, primary=True),
            EmailAddress(user=user, email=f"old-{user.email}", verified=True, primary=False),
        ]
    )
    social = SocialAccount.objects.create(user=user, provider="google", uid=secrets.token_hex(8), extra_data={"n": n})
    SocialToken.objects.create(account=social, token=secrets.token_hex(32))

    profile = profile_create(user=user, changed_by=ChangedBy.SYSTEM)
    avatar = default_storage.save(f"avatars/{user.pk}/bench.jpg", ContentFile(os.urandom(200_000)))
    Profile.objects.filter(pk=profile.pk).update(avatar=avatar, bio="Runs, lifts and paints. " * 20, location="Lyon")
    # Weekly profile changes: version 1 exists and is current; close it and add one per week.
    snapshot = profile_snapshot(Profile.objects.get(pk=profile.pk))
    weeks = days // 7
    first = ProfileVersion.objects.get(user=user)
    versions = []
    # Version 1 is valid from now (the trigger forbids moving it), so the weekly versions follow it a
    # second apart: their dates are not realistic, their number and size are.
    for week in range(1, weeks + 1):
        valid_from = first.valid_from + timedelta(seconds=week)
        versions.append(
            ProfileVersion(
                user=user,
                version=week + 1,
                snapshot={**snapshot, "bio": f"Week {week}: " + "training notes " * 10},
                changed_fields=["bio"],
                change_reason=f"Weekly check-in {week}",
                changed_by=ChangedBy.USER,
                changed_by_user=user,
                valid_from=valid_from,
                valid_until=None if week == weeks else valid_from + timedelta(seconds=1),
            )
        )
    # The one ordinary update the trigger allows: closing the current version.
    ProfileVersion.objects.filter(pk=first.pk).update(valid_until=first.valid_from + timedelta(seconds=1))
    ProfileVersion.objects.bulk_create(versions)

    types = NotificationType.values
    Notification.objects.bulk_create(
        [
            Notification(
                user=user,
                type=types[(day + k) % len(types)],
                title=f"Day {day}: reminder {k}",
                message="Time for your evening stretch. " * 4,
                data={"day": day, "k": k},
                action_url="/",
                channels=["in_app"],
                read_at=now if day < days - 7 else None,
            )
            for day in range(days)
            for k in range(3)
        ],
        batch_size=2000,
    )
    NotificationPreference.objects.bulk_create(
        [NotificationPreference(user=user, type=t, in_app=True, email=t == "security") for t in types]
    )
    ApiToken.objects.bulk_create(
        [
            ApiToken(
                user=user,
                name=f"Device {week}",
                token_hash=hash_token(f"fj_{secrets.token_urlsafe(32)}"),
                prefix="fj_bench",
                device_info={"os": "bench"},
                ip_address="203.0.113.9",
                user_agent="BenchAgent/1.0",
                created_at=start + timedelta(weeks=week),
                expires_at=start + timedelta(weeks=week, days=90),
                revoked_at=start + timedelta(weeks=week, days=1) if week % 2 else None,
            )
            for week in range(weeks)
        ]
    )
    AuditLog.objects.bulk_create(
        [
            AuditLog(
                actor_id=user.pk,
                actor_label=user.email,
                subject_id=user.pk,
                action=action,
                entity_type="accounts.user",
                entity_id=str(user.pk),
                new_values={"day": day} if action == AuditAction.SETTINGS_UPDATE else None,
                ip_address="203.0.113.9",
                user_agent="Mozilla/5.0 (X11; Linux x86_64) BenchBrowser/1.0",
            )
            for day in range(days)
            for action in (AuditAction.LOGIN, AuditAction.LOGOUT, AuditAction.SETTINGS_UPDATE, AuditAction.LOGIN)
        ],
        batch_size=2000,
    )
    DataExport.objects.bulk_create(
        [DataExport(user=user, status=ExportStatus.EXPIRED, progress=100, size_bytes=1000) for _ in range(12)]
    )
    return user


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--days", type=int, default=365, help="days of data (default 365)")
    parser.add_argument("--others", type=int, default=5, help="other people with the same data (default 5)")
    options = parser.parse_args()

    with (
        tempfile.TemporaryDirectory() as folder,
        override_settings(MEDIA_ROOT=str(Path(folder) / "media"), PRIVATE_MEDIA_ROOT=str(Path(folder) / "private")),
    ):
        try:
            with transaction.atomic():
                run(options, Path(folder))
                raise Rollback
        except Rollback:
            print("\nRolled back: nothing was kept.")


def run(options, folder: Path) -> None:
    started = time.perf_counter()
    person = make_person(0, days=options.days)
    for n in range(1, options.others + 1):
        make_person(n, days=options.days)
    took = time.perf_counter() - started
    print(f"Created {1 + options.others} people with {options.days} days of data in {took:.1f} s")

    reverse("accounts:privacy")  # load the URLconf now, as a running worker already has, not in the timing
    export = export_request(user=person, background=False)
    counts = {
        entry.kind: personal_data_rows(entry=entry, user_id=person.pk).count() for entry in personal_data.registered()
    }
    for kind, count in sorted(counts.items()):
        print(f"  {kind:<32} {count:>7} rows")
    with CaptureQueriesContext(connection) as queries:
        started = time.perf_counter()
        export = export_build(export_id=export.pk)
        elapsed = time.perf_counter() - started
    assert export is not None and export.status == ExportStatus.READY, export

    # A second export of the same data, with Python's allocations traced: the peak shows rows are streamed.
    again = export_request(user=person, background=False)
    tracemalloc.start()
    export_build(export_id=again.pk)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()

    print()
    print(f"export_build:  {elapsed:.2f} s")
    print(f"rows:          {sum(counts.values())} (+ {1} avatar file)")
    print(f"zip size:      {export.size_bytes / 1024:.0f} KiB ({export.size_bytes} bytes)")
    print(f"queries:       {len(queries)} (row counts, one streamed SELECT per model, progress updates, save)")
    print(f"peak Python memory while building (second run, traced): {peak / 1024 / 1024:.1f} MiB")


if __name__ == "__main__":
    main()
