"""Personal records: detected when a session is finished (session_finish calls `records_detect` inside its
transaction)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any
from uuid import UUID

from django.db import connection, transaction
from django.utils import timezone

from accounts.models import NotificationType
from accounts.services.notifications import notify

from ..models import DISTANCE_METRIC, Exercise, PersonalRecord, RecordType, Session, SessionMetric, Set
from ..presenters import record_value_text

CENT = Decimal("0.01")
# Lower is better for these; higher for every other type.
LOWER_IS_BETTER = {RecordType.BEST_PACE}


def epley_one_rm(*, weight_kg: Decimal, reps: int) -> Decimal:
    """Estimated one-rep max: weight × (1 + reps / 30); a single rep is the weight itself."""
    weight_kg = Decimal(weight_kg)
    if reps == 1:
        return weight_kg.quantize(CENT, rounding=ROUND_HALF_UP)
    return (weight_kg * (1 + Decimal(reps) / 30)).quantize(CENT, rounding=ROUND_HALF_UP)


def pace_seconds_per_km(*, distance_m: Decimal, duration_seconds: int) -> Decimal:
    return (Decimal(duration_seconds) * 1000 / Decimal(distance_m)).quantize(CENT, rounding=ROUND_HALF_UP)


def is_better(record_type: str, candidate: Decimal, current: Decimal | None) -> bool:
    """Strictly better: equalling a record does not replace it (the first one to get there keeps it)."""
    if current is None:
        return True
    if record_type in LOWER_IS_BETTER:
        return candidate < current
    return candidate > current


@dataclass
class Candidate:
    value: Decimal
    set_id: UUID | None


@dataclass(frozen=True)
class Performed:
    """One completed working set (or a session's distance metric, which has no set), in performed order."""

    set_id: UUID | None
    exercise_id: UUID
    exercise_name: str
    reps: int | None
    weight_kg: Decimal | None
    distance_m: Decimal | None
    duration_seconds: int | None


def _session_bests(rows: list[Performed]) -> dict[UUID, dict[str, Candidate]]:
    """Per exercise, the session's best value of each record type, and the set that made it (the earliest
    set on a tie, since rows come in performed order)."""
    bests: dict[UUID, dict[str, Candidate]] = {}
    volume: dict[UUID, Decimal] = {}

    def offer(exercise_id: UUID, record_type: str, value: Decimal, set_id: UUID | None) -> None:
        per_exercise = bests.setdefault(exercise_id, {})
        current = per_exercise.get(record_type)
        if is_better(record_type, value, current.value if current else None):
            per_exercise[record_type] = Candidate(value=value, set_id=set_id)

    for row in rows:
        exercise_id, set_id = row.exercise_id, row.set_id
        reps, weight, distance, duration = row.reps, row.weight_kg, row.distance_m, row.duration_seconds
        if weight is not None and weight > 0:
            offer(exercise_id, RecordType.MAX_WEIGHT, Decimal(weight).quantize(CENT), set_id)
            if reps:
                offer(exercise_id, RecordType.ONE_RM, epley_one_rm(weight_kg=weight, reps=reps), set_id)
                volume[exercise_id] = volume.get(exercise_id, Decimal(0)) + Decimal(weight) * reps
        if reps:
            offer(exercise_id, RecordType.MAX_REPS, Decimal(reps), set_id)
        if distance is not None and distance > 0:
            offer(exercise_id, RecordType.LONGEST_DISTANCE, Decimal(distance).quantize(CENT), set_id)
            if duration:
                offer(
                    exercise_id,
                    RecordType.BEST_PACE,
                    pace_seconds_per_km(distance_m=distance, duration_seconds=duration),
                    set_id,
                )
    for exercise_id, total in volume.items():
        # Volume belongs to the whole session's work on the exercise, not to one set.
        offer(exercise_id, RecordType.MAX_VOLUME, total.quantize(CENT, rounding=ROUND_HALF_UP), None)
    return bests


def _distance_metric_rows(session: Session) -> list[Performed]:
    """A run, ride or swim logged with its type's distance metric rather than as sets still makes
    distance and pace records, kept against the system exercise named like the activity ("Running")."""
    distance = (
        SessionMetric.objects.filter(session=session, name=DISTANCE_METRIC, value_numeric__gt=0)
        .values_list("value_numeric", flat=True)
        .first()
    )
    if distance is None:
        return []
    exercise = (
        Exercise.objects.filter(owner__isnull=True, deleted_at__isnull=True, name__iexact=session.activity_type.name)
        .values("id", "name")
        .first()
    )
    if exercise is None:
        return []
    duration = None
    if session.ended_at is not None:
        duration = int((session.ended_at - session.started_at).total_seconds()) or None
    return [
        Performed(
            set_id=None,
            exercise_id=exercise["id"],
            exercise_name=exercise["name"],
            reps=None,
            weight_kg=None,
            distance_m=distance,
            duration_seconds=duration,
        )
    ]


def _records_update(records: list[PersonalRecord]) -> None:
    """One `UPDATE … FROM (VALUES …)` for the beaten records. QuerySet.bulk_update builds a CASE per
    field and row, which cost two thirds of the detection's time for a 30-set session (bench/records_detect.py)."""
    table = PersonalRecord._meta.db_table
    row = "(%s::uuid, %s::numeric, %s::numeric, %s::uuid, %s::uuid, %s::timestamptz, %s::timestamptz)"
    params: list[Any] = []
    for record in records:
        params += [
            record.pk,
            record.value,
            record.previous_value,
            record.session_id,
            record.set_id,
            record.achieved_at,
            record.updated_at,
        ]
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {table} AS r SET value = v.value, previous_value = v.previous_value, "
            "session_id = v.session_id, set_id = v.set_id, achieved_at = v.achieved_at, updated_at = v.updated_at "
            f"FROM (VALUES {', '.join([row] * len(records))}) "
            "AS v(id, value, previous_value, session_id, set_id, achieved_at, updated_at) WHERE r.id = v.id",
            params,
        )


@transaction.atomic
def records_detect(*, session: Session) -> list[PersonalRecord]:
    """Called by session_finish inside its transaction: detects and stores the session's records,
    flags the sets and the session, notifies the person once. Returns the records made.

    Four reads and writes whatever the number of sets: the session's sets (one join), the person's
    stored records for those exercises (locked, so two sessions finished at once cannot both think
    they beat the same record), then bulk writes.
    """
    performed = (
        Set.objects.filter(session_exercise__session=session, is_completed=True, is_warmup=False)
        .order_by("session_exercise__order", "number")
        .values_list(
            "id",
            "session_exercise__exercise_id",
            "session_exercise__exercise__name",
            "reps",
            "weight_kg",
            "distance_m",
            "duration_seconds",
        )
    )
    rows = [Performed(*values) for values in performed]
    if not rows:  # no sets: perhaps a run logged with its distance metric
        rows = _distance_metric_rows(session)
    if not rows:
        return []
    names = {row.exercise_id: row.exercise_name for row in rows}
    bests = _session_bests(rows)

    stored = {
        (record.exercise_id, record.record_type): record
        for record in PersonalRecord.objects.select_for_update().filter(
            user_id=session.user_id, exercise_id__in=list(bests)
        )
    }
    achieved_at = session.ended_at or timezone.now()
    created: list[PersonalRecord] = []
    updated: list[PersonalRecord] = []
    for exercise_id, per_type in bests.items():
        for record_type, candidate in per_type.items():
            record = stored.get((exercise_id, record_type))
            if record is None:
                created.append(
                    PersonalRecord(
                        user_id=session.user_id,
                        exercise_id=exercise_id,
                        record_type=record_type,
                        value=candidate.value,
                        previous_value=None,
                        session=session,
                        set_id=candidate.set_id,
                        achieved_at=achieved_at,
                    )
                )
            elif record.session_id != session.id and is_better(record_type, candidate.value, record.value):
                record.previous_value = record.value
                record.value = candidate.value
                record.session = session
                record.set_id = candidate.set_id
                record.achieved_at = achieved_at
                record.updated_at = timezone.now()
                updated.append(record)

    made = created + updated
    if not made:
        return []
    if created:
        PersonalRecord.objects.bulk_create(created)
    if updated:
        _records_update(updated)
    set_ids = {record.set_id for record in made if record.set_id is not None}
    if set_ids:
        Set.objects.filter(id__in=set_ids).update(is_personal_record=True)
    Session.objects.filter(pk=session.pk).update(is_personal_record=True)
    session.is_personal_record = True

    lines = [
        f"{names[record.exercise_id]}: {RecordType(record.record_type).label} "
        f"{record_value_text(record.record_type, record.value, session.user)}"
        for record in sorted(made, key=lambda r: (names[r.exercise_id], r.record_type))
    ]
    notify(
        user=session.user,
        type=NotificationType.ACHIEVEMENT,
        title="New personal record" if len(made) == 1 else f"{len(made)} new personal records",
        message="\n".join(lines),
        action_url=f"/train/sessions/{session.pk}/",
        related=session,
    )
    return made
