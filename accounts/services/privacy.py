"""The right of access (a zip of everything held about a person) and the right to erasure (seed 003).

Both walk the personal-data registry (fitjourney/hooks/personal_data.py), so a model an app registers is
exported and erased without this module knowing the app.
"""

from __future__ import annotations

import base64
import csv
import io
import logging
import os
import secrets
import shutil
import tempfile
import time as monotonic_time
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from functools import partial
from typing import IO, Any
from uuid import UUID

from django.conf import settings
from django.contrib.admin.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.core.files import File
from django.core.files.storage import Storage
from django.core.serializers.json import DjangoJSONEncoder
from django.db import IntegrityError, models, transaction
from django.db.models import CharField, Q, QuerySet
from django.db.models.functions import Cast
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.module_loading import import_string

from fitjourney.batch import isolated
from fitjourney.errors import NotFound
from fitjourney.hooks import personal_data
from fitjourney.queue import enqueue_on_commit

from ..erasure_guard import erasure_writes
from ..models import (
    AccountStatus,
    ApiToken,
    AuditAction,
    DataExport,
    DateFormat,
    ExportStatus,
    Language,
    NotificationType,
    UnitSystem,
    User,
)
from ..models.privacy import PendingErasure
from ..security import password_recheck_blocked, password_recheck_failed
from ..selectors.privacy import personal_data_rows
from .audit import AuditContext, audit_origin, audit_record, audit_redact_person
from .tokens import api_token_revoke

logger = logging.getLogger(__name__)

# A ready export can be downloaded for this long (and once).
EXPORT_VALID_DAYS = 7
# An export still waiting or running after this long was lost (worker gone, message dropped): it is
# marked failed at night so the person can ask again (one export in the making at a time).
EXPORT_STALE_AFTER = timedelta(hours=24)
# Seed 003: erased accounts are deleted for good after 90 days.
ERASURE_GRACE_DAYS = 90

IN_PROGRESS = (ExportStatus.PENDING, ExportStatus.RUNNING)
# Share of the progress bar for the rows; the attached files and the saving take the rest.
ROWS_SHARE = 90
FILES_SHARE = 8

# A build writes when it last moved at least this often, even when the percentage stands still, so a
# long step is not taken for a stalled build (DATA_EXPORT_STALL_MINUTES is far longer).
HEARTBEAT_SECONDS = 30

ProgressCallback = Callable[[int, str], None]


class ExportInProgress(ValidationError):
    """The person already has an export waiting or being built."""


class ExportSuperseded(Exception):
    """This build no longer owns its export: the sweep restarted it, or it was failed or deleted."""


class ExportUnavailable(Exception):
    """A download refused: `reason` is "downloaded", "expired" or "not_ready"."""

    def __init__(self, reason: str, message: str) -> None:
        super().__init__(message)
        self.reason = reason
        self.message = message


# ---------------------------------------------------------------------------------------------------
# Right of access: request, build, download, expire.
# ---------------------------------------------------------------------------------------------------


def export_request(
    *, user: User, audit: AuditContext | None = None, background: bool = True, on_behalf: str = ""
) -> DataExport:
    """Asks for a zip of everything held about `user`; the build runs after commit in a worker.

    `on_behalf` names who asked when it is not the person (staff answering a request by mail, through
    the `export_personal_data` command, which builds it in the foreground with `background=False`).
    """
    if user.deleted_at is not None:
        raise ValidationError("This account is deleted; there is nothing left to export.")
    message = "Your data is already being prepared. Wait for it to finish before asking again."
    with transaction.atomic():
        now = timezone.now()
        current = DataExport.objects.select_for_update().filter(user=user, status__in=IN_PROGRESS).first()
        if current is not None:
            if not current.is_stalled(now):
                raise ExportInProgress(message)
            # Stopped moving (its worker died): it never blocks asking again; the new one replaces it.
            _export_fail(current, now=now, error="Replaced by a new request after it stopped moving.")
        try:
            with transaction.atomic():
                export = DataExport.objects.create(user=user, progress_at=now)
        except IntegrityError as exc:  # a second request racing this one (accounts_dataexport_one_in_progress)
            raise ExportInProgress(message) from exc
        audit_record(
            action=AuditAction.EXPORT_REQUEST,
            actor=None if on_behalf else user,
            subject=user,
            entity=export,
            actor_label=on_behalf,
            context=audit_origin(audit),
        )
        if background:
            from ..tasks.privacy import build_data_export

            enqueue_on_commit(build_data_export, str(export.pk))
    return export


class _Progress:
    """Writes the progress to the DataExport row (the page polls it) and tells the caller.

    Written only when the whole percent or the message changes (or HEARTBEAT_SECONDS passed), so a year
    of rows makes about a hundred small UPDATEs, each committed at once so the polling page sees it.
    Each write is also this run's claim check: when the export is no longer running as this attempt
    (restarted by the sweep, failed, deleted), ExportSuperseded stops the run.
    """

    def __init__(self, export_id: UUID, attempt: int, callback: ProgressCallback | None) -> None:
        self.export_id = export_id
        self.attempt = attempt
        self.callback = callback
        self.percent = -1
        self.message = ""
        self.written_at = monotonic_time.monotonic()

    def __call__(self, percent: float, message: str | None = None) -> None:
        percent = max(0, min(99, int(percent)))  # 100 only once the file is saved
        message = self.message if message is None else message[:200]
        changed = percent != self.percent or message != self.message
        if not changed and monotonic_time.monotonic() - self.written_at < HEARTBEAT_SECONDS:
            return
        self.percent, self.message, self.written_at = percent, message, monotonic_time.monotonic()
        written = DataExport.objects.filter(
            pk=self.export_id, status=ExportStatus.RUNNING, attempts=self.attempt
        ).update(progress=percent, progress_message=message, progress_at=timezone.now())
        if not written:
            raise ExportSuperseded
        if changed and self.callback is not None:
            self.callback(percent, message)


def _export_claim(export_id: UUID | str) -> tuple[DataExport | None, bool]:
    """(export, claimed): takes a waiting export (or a running one that stopped moving) for this run.

    A running export that is still moving is left alone, so a duplicate delivery of the task never
    builds it twice; each start takes the next attempt number, and past DATA_EXPORT_MAX_ATTEMPTS the
    export is failed instead (a build that kills its worker must not loop forever).
    """
    with transaction.atomic():
        export = DataExport.objects.select_for_update().filter(pk=export_id).first()
        if export is None:
            return None, False
        now = timezone.now()
        if export.status == ExportStatus.RUNNING and not export.is_stalled(now):
            return export, False
        if export.status not in IN_PROGRESS:
            return export, False
        if export.attempts >= settings.DATA_EXPORT_MAX_ATTEMPTS:
            _export_fail(export, now=now, error=f"Gave up after {export.attempts} interrupted builds.")
            return export, False
        export.status = ExportStatus.RUNNING
        export.attempts += 1
        export.started_at = now
        export.progress = 0
        export.progress_message = "Starting"
        export.progress_at = now
        export.error = ""
        export.save(
            update_fields=["status", "attempts", "started_at", "progress", "progress_message", "progress_at", "error"]
        )
    return export, True


def _export_fail(export: DataExport, *, now: datetime, error: str) -> None:
    """Marks a locked export failed, so the person can ask again (the page says so)."""
    export.status = ExportStatus.FAILED
    export.error = error[:2000]
    export.progress_message = "This export could not be finished. Please ask again."
    export.finished_at = now
    export.save(update_fields=["status", "error", "progress_message", "finished_at"])


def export_build(*, export_id: UUID | str, progress: ProgressCallback | None = None) -> DataExport | None:
    """Builds the zip of a requested export into private storage. Safe to run twice, also at once.

    Only a waiting export, or one whose build stopped moving, is built; a running one that moves, and a
    ready, downloaded, failed or expired one, is returned untouched, and an export deleted meanwhile
    (the person erased their account) returns None. A build that finds its export taken over (the sweep
    restarted it) stops and leaves no file: exactly one run finishes an export, once. Rows are streamed
    with `.iterator()` and written to the zip as they come, so a year of data never sits in memory. On
    error the export is marked failed and the error raised.
    """
    claimed_export, claimed = _export_claim(export_id)
    if claimed_export is None or not claimed:
        return claimed_export
    attempt = claimed_export.attempts
    export = DataExport.objects.select_related("user").get(pk=export_id)
    reporter = _Progress(export.pk, attempt, progress)
    if progress is not None:
        progress(0, "Starting")
    try:
        with tempfile.TemporaryFile(suffix=".zip") as scratch:
            contents = _write_archive(scratch, user=export.user, export=export, progress=reporter)
            size = scratch.seek(0, os.SEEK_END)
            reporter(ROWS_SHARE + FILES_SHARE, "Saving")
            finished = _export_save(export, scratch, size=size, attempt=attempt)
    except ExportSuperseded:
        logger.info("Data export %s: build %s stopped, the export was taken over or removed", export_id, attempt)
        return DataExport.objects.filter(pk=export_id).first()
    except Exception as exc:
        logger.exception("Data export %s failed", export_id)
        DataExport.objects.filter(pk=export_id, status=ExportStatus.RUNNING, attempts=attempt).update(
            status=ExportStatus.FAILED,
            error=f"{type(exc).__name__}: {exc}"[:2000],
            progress_message="Something went wrong while preparing your data. Please ask again.",
            finished_at=timezone.now(),
        )
        raise
    if finished is None:
        return DataExport.objects.filter(pk=export_id).first()
    logger.info("Data export %s ready: %s rows, %s bytes", export_id, contents.rows, size)
    if progress is not None:
        progress(100, finished.progress_message)
    return finished


def _export_save(export: DataExport, scratch: IO[bytes], *, size: int, attempt: int) -> DataExport | None:
    storage = DataExport._meta.get_field("file").storage
    # A name of its own per run: a duplicate delivery of the task running alongside must never
    # overwrite or delete the file the other run made ready.
    name = f"exports/{export.user_id}/{export.pk}-{secrets.token_hex(4)}.zip"
    saved = storage.save(name, File(scratch, name=os.path.basename(name)))
    with transaction.atomic():
        current = (
            DataExport.objects.select_for_update()
            .filter(pk=export.pk, status=ExportStatus.RUNNING, attempts=attempt)
            .first()
        )
        if current is None:
            # Erased, failed or taken over by another run while building: nobody may have this file,
            # and only the run that owns the export says it is ready.
            transaction.on_commit(lambda: storage.delete(saved))
            return None
        now = timezone.now()
        current.file.name = saved
        current.size_bytes = size
        current.status = ExportStatus.READY
        current.progress = 100
        current.progress_message = "Ready to download"
        current.finished_at = now
        current.expires_at = now + timedelta(days=EXPORT_VALID_DAYS)
        current.progress_at = now
        current.save(
            update_fields=[
                "file",
                "size_bytes",
                "status",
                "progress",
                "progress_message",
                "progress_at",
                "finished_at",
                "expires_at",
            ]
        )
    _notify_ready(current, user=export.user)
    return current


def _notify_ready(export: DataExport, *, user: User) -> None:
    """Tells the person, who may have left the page; a failure here must not fail the export."""
    from .notifications import notify

    expires = timezone.localtime(export.expires_at, user.zone)
    try:
        notify(
            user=user,
            type=NotificationType.SECURITY,
            title="Your data export is ready",
            message=(
                f"Download it from “Your data” before {expires:%Y-%m-%d %H:%M} ({user.timezone}). It can be "
                "downloaded once. If you did not ask for it, change your password."
            ),
            related=export,
            action_url=reverse("accounts:privacy"),
        )
    except Exception:
        logger.exception("Could not notify the owner of data export %s", export.pk)


@dataclass
class ArchiveContents:
    rows: int = 0
    # (file name in the zip, what it holds, number of rows)
    files: list[tuple[str, str, int]] = field(default_factory=list)
    media: int = 0
    missing_media: list[str] = field(default_factory=list)


class _ExportEncoder(DjangoJSONEncoder):
    """ISO dates, decimals and UUIDs as strings (DjangoJSONEncoder), plus bytes as base64."""

    def default(self, o: Any) -> Any:
        if isinstance(o, bytes | memoryview):
            return base64.b64encode(bytes(o)).decode("ascii")
        if isinstance(o, set | frozenset):
            return sorted(o, key=str)
        try:
            return super().default(o)
        except TypeError:
            return str(o)


_encoder = _ExportEncoder(ensure_ascii=False)
# Spreadsheets run a cell starting with one of these as a formula; text that someone else wrote (a
# notification quoting a comment) must not become one (OWASP "CSV injection").
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _csv_cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return "'" + value if value.startswith(_FORMULA_START) else value
    if isinstance(value, datetime | date | time | Decimal | UUID | bytes | memoryview):
        return str(_encoder.default(value))
    if isinstance(value, dict | list | tuple):
        return _encoder.encode(value)
    return str(value)


def _label(entry: personal_data.PersonalData) -> str:
    """What the rows are, for the progress message and the README ("notifications", "profile")."""
    if entry.model is User:
        return "account details"
    try:
        one = entry.model._meta.get_field(entry.owner.split("__")[0]).one_to_one
    except FieldDoesNotExist:
        one = False
    return str(entry.model._meta.verbose_name if one else entry.model._meta.verbose_name_plural)


def _member(archive: zipfile.ZipFile, name: str) -> IO[bytes]:
    """A file in the zip, written as a stream (zip64, so no size limit), dated now rather than 1980."""
    info = zipfile.ZipInfo(name, date_time=timezone.now().timetuple()[:6])
    info.compress_type = zipfile.ZIP_DEFLATED
    return archive.open(info, "w", force_zip64=True)


def _write_archive(target: IO[bytes], *, user: User, export: DataExport, progress: _Progress) -> ArchiveContents:
    entries = sorted(personal_data.registered(), key=lambda entry: entry.kind)
    counts = {entry.kind: personal_data_rows(entry=entry, user_id=user.pk).count() for entry in entries}
    total = max(sum(counts.values()), 1)
    contents = ArchiveContents()
    media: list[tuple[Storage, str]] = []
    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for entry in entries:
            label = _label(entry)
            base = contents.rows

            def row_done(n: int, base: int = base, label: str = label) -> None:
                progress((base + n) * ROWS_SHARE / total, f"Exporting your {label}")

            progress(base * ROWS_SHARE / total, f"Exporting your {label}")
            written = _write_entry(archive, entry, user_id=user.pk, media=media, on_row=row_done)
            contents.rows += written
            contents.files.append((f"{entry.kind}.json", label, written))
            if entry.csv:
                contents.files.append((f"{entry.kind}.csv", f"{label} (for spreadsheets)", written))
        _write_media(archive, media, contents, progress)
        archive.writestr(
            "README.txt",
            render_to_string(
                "accounts/privacy/export_readme.txt",
                {"user": user, "export": export, "contents": contents, "created": timezone.now()},
            ),
        )
    return contents


NAME_FIELDS = ("name", "title")


def _name_columns(entry: personal_data.PersonalData, fields: list[str]) -> dict[str, str]:
    """For each exported foreign key to a thing with a name (a food, an exercise, an activity type, a
    habit…), the column written beside its id and the lookup that reads the name in the same query:
    {"food_name": "food__name"}. A person reads "Bananas, raw", not a UUID. Keys to people are left
    alone (their names are not the owner's data)."""
    columns: dict[str, str] = {}
    taken = {f.name for f in entry.model._meta.get_fields()} | {f.attname for f in entry.model._meta.concrete_fields}
    for name in fields:
        try:
            field = entry.model._meta.get_field(name.removesuffix("_id"))
        except FieldDoesNotExist:
            continue
        if not isinstance(field, models.ForeignKey) or field.attname != name or field.related_model is User:
            continue
        related = field.related_model
        for candidate in NAME_FIELDS:
            try:
                related._meta.get_field(candidate)
            except FieldDoesNotExist:
                continue
            if f"{field.name}_{candidate}" not in taken:  # a copy kept on the row already says it
                columns[f"{field.name}_{candidate}"] = f"{field.name}__{candidate}"
            break
    return columns


def export_kinds() -> list[str]:
    """What an export holds, in words, from the registry (the privacy page lists it): one label per kind
    of data, sorted."""
    return sorted({_label(entry) for entry in personal_data.registered()}, key=str.lower)


def _write_entry(
    archive: zipfile.ZipFile,
    entry: personal_data.PersonalData,
    *,
    user_id: UUID,
    media: list[tuple[Storage, str]],
    on_row: Callable[[int], None],
) -> int:
    names = _name_columns(entry, entry.export_fields())
    # Each name right after its id.
    fields: list[str] = []
    for name in entry.export_fields():
        fields.append(name)
        fields.extend(column for column, lookup in names.items() if lookup.split("__")[0] + "_id" == name)
    file_fields_by_name = {f.name: f for f in entry.model._meta.concrete_fields if isinstance(f, models.FileField)}
    file_fields = [file_fields_by_name[name] for name in entry.files]
    columns = list(dict.fromkeys([*fields, *(f.attname for f in file_fields)]))
    rows = personal_data_rows(entry=entry, user_id=user_id)
    if not rows.ordered:
        rows = rows.order_by("pk")
    if names:
        rows = rows.annotate(**{column: models.F(lookup) for column, lookup in names.items()})
    count = 0
    with tempfile.SpooledTemporaryFile(max_size=1 << 20, mode="w+", encoding="utf-8", newline="") as csv_buffer:
        writer = csv.writer(csv_buffer)
        writer.writerow(fields)
        with (
            _member(archive, f"{entry.kind}.json") as raw,
            io.TextIOWrapper(raw, encoding="utf-8", newline="\n") as out,
        ):
            out.write("[")
            for values in rows.values_list(*columns).iterator(chunk_size=2000):
                row = dict(zip(columns, values, strict=True))
                record = {name: row[name] for name in fields}
                out.write(("\n  " if count == 0 else ",\n  ") + _encoder.encode(record))
                if entry.csv:
                    writer.writerow([_csv_cell(record[name]) for name in fields])
                media.extend((f.storage, row[f.attname]) for f in file_fields if row[f.attname])
                count += 1
                on_row(count)
            out.write("\n]\n" if count else "]\n")
        if entry.csv:
            csv_buffer.seek(0)
            # utf-8-sig: spreadsheets open the file as UTF-8 only with the byte-order mark.
            with (
                _member(archive, f"{entry.kind}.csv") as raw,
                io.TextIOWrapper(raw, encoding="utf-8-sig", newline="") as out,
            ):
                shutil.copyfileobj(csv_buffer, out)
    return count


def _write_media(
    archive: zipfile.ZipFile, media: list[tuple[Storage, str]], contents: ArchiveContents, progress: _Progress
) -> None:
    unique = list(dict.fromkeys(media))
    for index, (storage, name) in enumerate(unique):
        progress(ROWS_SHARE + FILES_SHARE * index / len(unique), "Adding your files")
        try:
            source = storage.open(name, "rb")
        except OSError:  # listed in a row but gone from storage: say so in the README
            contents.missing_media.append(name)
            continue
        # Errors while writing (a full disk) fail the build rather than leave a file out silently.
        with source, _member(archive, f"media/{name}") as dest:
            shutil.copyfileobj(source, dest, 1 << 20)
        contents.media += 1


def export_download(
    *, user: User, export_id: UUID | str, audit: AuditContext | None = None, actor_label: str = ""
) -> tuple[DataExport, IO[bytes]]:
    """Hands the zip of `user`'s export over once: returns (export, open file).

    The row is locked, so two simultaneous downloads cannot both get the file. Raises NotFound for
    another person's (or no) export, ExportUnavailable when it was already
    downloaded, has expired or is not ready. Once the transaction commits the stored file is deleted:
    the open handle still streams it, and nothing else may read it again.
    """
    with transaction.atomic():
        export = DataExport.objects.select_for_update().filter(user=user, pk=export_id).first()
        if export is None:
            raise NotFound("No such export.")
        now = timezone.now()
        if export.status == ExportStatus.DOWNLOADED:
            raise ExportUnavailable(
                "downloaded",
                "This export was already downloaded. For your safety it works only once: ask for a new one.",
            )
        if export.status == ExportStatus.EXPIRED or (
            export.status == ExportStatus.READY and export.expires_at is not None and export.expires_at <= now
        ):
            raise ExportUnavailable("expired", "This export has expired (they last 7 days). Ask for a new one.")
        if export.status != ExportStatus.READY or not export.file:
            raise ExportUnavailable("not_ready", "This export is not ready to download.")
        storage, name = export.file.storage, str(export.file.name)
        try:
            handle = storage.open(name, "rb")
        except FileNotFoundError as exc:
            raise ExportUnavailable("expired", "This export is no longer available. Ask for a new one.") from exc
        try:
            export.status = ExportStatus.DOWNLOADED
            export.downloaded_at = now
            export.save(update_fields=["status", "downloaded_at"])
            audit_record(
                action=AuditAction.EXPORT_DOWNLOAD,
                actor=None if actor_label else user,
                subject=user,
                entity=export,
                actor_label=actor_label,
                context=audit_origin(audit),
            )
        except BaseException:
            handle.close()
            raise
        transaction.on_commit(lambda: _delete_quietly(storage, name))
    return export, handle


def export_filename(export: DataExport) -> str:
    """fitjourney-export-<date>.zip, the date it was prepared in the active (the person's) time zone."""
    day = timezone.localdate(export.finished_at or export.requested_at or timezone.now())
    return f"fitjourney-export-{day.isoformat()}.zip"


def data_exports_expire(*, now: datetime | None = None) -> int:
    """The nightly clean-up: ready exports past 7 days expire; no export file outlives its use.

    Also deletes the files of downloaded and failed exports (normally gone already) and marks failed
    an export stuck waiting or running for a day, so the person can ask again. Returns how many
    exports it changed. Safe to run twice, and alongside a download (rows are locked, busy ones skipped).
    """
    now = now or timezone.now()
    changed = 0
    due = DataExport.objects.filter(
        Q(status=ExportStatus.READY, expires_at__lte=now)
        | (Q(status__in=[ExportStatus.DOWNLOADED, ExportStatus.FAILED, ExportStatus.EXPIRED]) & ~Q(file=""))
        | Q(status__in=IN_PROGRESS, requested_at__lte=now - EXPORT_STALE_AFTER)
    ).values_list("pk", "user_id")
    for export_id, user_id in list(due):
        with isolated("data export expiry", person=user_id, row=f"data export {export_id}"):
            export = DataExport.objects.select_for_update(skip_locked=True).filter(pk=export_id).first()
            if export is None:
                continue
            update: list[str] = []
            if export.status == ExportStatus.READY and export.expires_at and export.expires_at <= now:
                export.status = ExportStatus.EXPIRED
                export.progress_message = "Expired"
                update += ["status", "progress_message"]
            elif export.status in IN_PROGRESS and export.requested_at <= now - EXPORT_STALE_AFTER:
                export.status = ExportStatus.FAILED
                export.error = export.error or "Not finished within a day: the build was lost."
                export.progress_message = "This export could not be finished. Please ask again."
                export.finished_at = now
                update += ["status", "error", "progress_message", "finished_at"]
            if export.file and export.status not in (ExportStatus.READY, *IN_PROGRESS):
                transaction.on_commit(partial(_delete_quietly, export.file.storage, str(export.file.name)))
                export.file.name = ""
                update.append("file")
            if update:
                export.save(update_fields=update)
                changed += 1
    return changed


def data_exports_requeue_stalled(*, now: datetime | None = None) -> int:
    """The frequent sweep (beat, every two minutes): restarts exports that stopped moving.

    An export waiting or running whose last movement is older than DATA_EXPORT_STALL_MINUTES lost its
    build (a worker died, a message was dropped): it goes back to waiting and its build is queued again.
    After DATA_EXPORT_MAX_ATTEMPTS builds it is failed instead, so the person can ask again. A build
    that was only slow finds its export taken over at its next progress write and stops without a file.
    Each export is handled on its own (one failure is logged and the others go on); rows being written
    are skipped until the next sweep. Returns how many exports it restarted or failed.
    """
    from ..tasks.privacy import build_data_export

    now = now or timezone.now()
    cutoff = now - timedelta(minutes=settings.DATA_EXPORT_STALL_MINUTES)
    stalled = DataExport.objects.filter(status__in=IN_PROGRESS, progress_at__lte=cutoff)  # accounts_export_in_progress
    changed = 0
    for export_id, user_id in list(stalled.values_list("pk", "user_id")):
        with isolated("stalled data exports", person=user_id, row=f"data export {export_id}") as outcome:
            export = stalled.select_for_update(skip_locked=True).filter(pk=export_id).first()
            if export is None:
                continue
            if export.attempts >= settings.DATA_EXPORT_MAX_ATTEMPTS:
                logger.error(
                    "Data export %s stalled after %s builds (last moved %s); marked failed",
                    export.pk,
                    export.attempts,
                    export.progress_at.isoformat(),
                )
                _export_fail(export, now=now, error=f"Gave up after {export.attempts} interrupted builds.")
            else:
                logger.warning(
                    "Data export %s stalled (%s, %s builds, last moved %s); queued again",
                    export.pk,
                    export.status,
                    export.attempts,
                    export.progress_at.isoformat(),
                )
                export.status = ExportStatus.PENDING
                export.progress = 0
                export.progress_message = "Interrupted; starting again"
                export.progress_at = now
                export.save(update_fields=["status", "progress", "progress_message", "progress_at"])
                enqueue_on_commit(build_data_export, str(export_id))
        if outcome.failed:  # logged as a BATCH FAILURE; the next sweep tries again
            continue
        changed += 1
    return changed


def _delete_all_quietly(files: list[tuple[Storage, str]]) -> None:
    for storage, name in files:
        _delete_quietly(storage, name)


def _delete_quietly(storage: Storage, name: str) -> None:
    try:
        storage.delete(name)
    except OSError:
        logger.warning("Could not delete %s; the nightly clean-up will try again", name, exc_info=True)


# ---------------------------------------------------------------------------------------------------
# Right to erasure: erase now, purge after 90 days.
# ---------------------------------------------------------------------------------------------------


def account_erase(*, user: User, password: str, audit: AuditContext | None = None) -> User:
    """Erases a person's account now (seed 003: anonymise, then hard delete after 90 days).

    A wrong password changes nothing. Otherwise, in one transaction: the erasure is audited first (and
    then redacted with the rest of the trail), API tokens are revoked, every registry eraser runs,
    allauth, django-axes and admin-log rows naming the person are deleted, the account is anonymised
    (which also ends every session: Django checks the password hash on each request; the page then signs
    the current browser out, and an erased account records no logout). What stays (rows registered
    DELETE) is hidden from others because every page and API excludes deleted owners, and goes with the
    account at the purge.
    """
    with transaction.atomic():
        locked = User.all_objects.select_for_update().get(pk=user.pk)
        if locked.deleted_at is not None:
            raise ValidationError("This account is already deleted.")
        if password_recheck_blocked(locked):
            raise ValidationError({"password": "Too many wrong passwords. Try again in 15 minutes."})
        if not password or not locked.check_password(password):
            password_recheck_failed(locked)
            raise ValidationError({"password": "That is not your password. Nothing was changed."})
        old_email = locked.email

        by_owner = replace(audit or AuditContext(), actor=user)
        audit_record(action=AuditAction.ACCOUNT_ERASE, actor=user, subject=user, entity=user, context=by_owner)
        for token in ApiToken.objects.filter(user=user, revoked_at__isnull=True):
            api_token_revoke(token=token, audit=by_owner)
        _admin_log_erase(user)
        files: list[tuple[Storage, str]] = []
        for entry in personal_data.registered():
            _run_eraser(entry, user, files)
        _library_rows_erase(user, email=old_email)
        _anonymise(user)
        # A last sweep: redacts what was written since the first one.
        audit_redact_person(user_id=user.pk)
        transaction.on_commit(partial(_delete_all_quietly, files))
    return user


def _run_eraser(entry: personal_data.PersonalData, user: User, files: list[tuple[Storage, str]]) -> None:
    if entry.model is User or entry.erase in (personal_data.DELETE, personal_data.KEEP):
        return  # the account itself is anonymised below; DELETE rows go with it at the purge
    if entry.erase == personal_data.DELETE_NOW:
        rows = personal_data_rows(entry=entry, user_id=user.pk)
        files.extend(_stored_files(entry.model, rows))
        with erasure_writes():
            rows.delete()
        return
    import_string(entry.erase)(user)


def _stored_files(model: type[models.Model], rows: QuerySet[models.Model]) -> list[tuple[Storage, str]]:
    found: list[tuple[Storage, str]] = []
    for file_field in (f for f in model._meta.concrete_fields if isinstance(f, models.FileField)):
        names = rows.exclude(**{file_field.attname: ""}).values_list(file_field.attname, flat=True)
        found.extend((file_field.storage, name) for name in names if name)
    return found


def _admin_log_erase(user: User) -> None:
    """Deletes the admin's history of changes to the person and to their rows (it quotes them)."""
    models_ = [entry.model for entry in personal_data.registered() if entry.model is not User]
    types = ContentType.objects.get_for_models(User, PendingErasure, *models_, for_concrete_models=False)
    about = Q(content_type__in=[types[User], types[PendingErasure]], object_id=str(user.pk))
    for entry in personal_data.registered():
        if entry.model is User:
            continue
        model = entry.model
        rows = personal_data_rows(entry=entry, user_id=user.pk)
        ids = rows.annotate(text_id=Cast("pk", CharField())).values("text_id")
        about |= Q(content_type=types[model], object_id__in=ids)
    LogEntry.objects.filter(about).delete()


def _library_rows_erase(user: User, *, email: str) -> None:
    from allauth.account.models import EmailAddress
    from allauth.socialaccount.models import SocialAccount
    from axes.models import AccessAttempt, AccessFailureLog, AccessLog

    EmailAddress.objects.filter(user=user).delete()
    SocialAccount.objects.filter(user=user).delete()
    # django-axes keys failed logins by the e-mail typed (see accounts.security.axes_username).
    for model in (AccessAttempt, AccessFailureLog, AccessLog):
        model.objects.filter(username__iexact=email).delete()


ANONYMISED_FIELDS = (
    "email",
    "username",
    "first_name",
    "last_name",
    "timezone",
    "language",
    "unit_system",
    "date_format",
    "password",
    "is_active",
    "is_staff",
    "is_superuser",
    "last_login",
    "account_status",
    "deleted_at",
)


def _anonymise(user: User) -> None:
    username = f"deleted_{user.pk.hex[:12]}"
    if User.all_objects.filter(username__iexact=username).exclude(pk=user.pk).exists():
        username = f"deleted_{user.pk.hex}"  # someone chose the short form as their name
    user.email = f"deleted_{user.pk}@anonymized.local"
    user.username = username
    user.first_name = ""
    user.last_name = ""
    user.timezone = "UTC"
    user.language = Language.ENGLISH
    user.unit_system = UnitSystem.METRIC
    user.date_format = DateFormat.ISO
    user.set_unusable_password()
    user.is_active = False
    user.is_staff = False
    user.is_superuser = False
    user.last_login = None
    user.account_status = AccountStatus.DELETED
    user.deleted_at = timezone.now()
    user.save(update_fields=[*ANONYMISED_FIELDS, "updated_at"])
    user.groups.clear()
    user.user_permissions.clear()


def accounts_purge_erased(*, now: datetime | None = None, grace_days: int = ERASURE_GRACE_DAYS) -> int:
    """Deletes for good the accounts erased more than `grace_days` ago, with everything left of them.

    Each account goes in its own transaction inside `erasure_writes()` (profile versions are protected
    by a trigger otherwise); the database cascades take every row still pointing at it. The audit trail
    keeps one ACCOUNT_PURGE event with nothing but the id. Safe to run twice.
    """
    cutoff = (now or timezone.now()) - timedelta(days=grace_days)
    purged = 0
    for user_id in list(User.all_objects.filter(deleted_at__lt=cutoff).values_list("pk", flat=True)):
        with isolated("erased account purge", person=user_id) as outcome, erasure_writes():
            user = (
                User.all_objects.select_for_update(skip_locked=True).filter(pk=user_id, deleted_at__lt=cutoff).first()
            )
            if user is None:
                continue
            files = [
                found
                for entry in personal_data.registered()
                if entry.model is not User
                for found in _stored_files(entry.model, personal_data_rows(entry=entry, user_id=user_id))
            ]
            audit_record(action=AuditAction.ACCOUNT_PURGE, subject=user, entity=user)
            user.delete()
            transaction.on_commit(partial(_delete_all_quietly, files))
        if outcome.failed:  # logged as a BATCH FAILURE; tomorrow's run tries again
            continue
        purged += 1
    return purged
