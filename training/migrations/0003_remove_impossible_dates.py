"""Before 0004 adds the date and duration checks, remove what no person can have done.

A session that started before 1900 or after 2100 (or ends outside those years) is not real: nobody
trained in year 9999. Such sessions are deleted with what hangs on them (exercises, sets, metrics, media
rows, records). A session longer than 24 hours is a forgotten "finish": it keeps its start, ends 24 hours
later and keeps the calories of those 24 hours. Records and streaks dated outside the range are deleted
(streaks are rebuilt on the person's next finished session); a reminder marker outside it is cleared.
What was removed is printed per table.

The bounds are written out here, as they were when this ran (fitjourney.dates: 1900-01-01 to 2100-12-31,
timestamps with a day of margin for time zones), so the migration does not change if the rule does.
"""

import datetime as dt
from collections import Counter
from decimal import ROUND_HALF_UP, Decimal

from django.db import migrations
from django.db.models import Q

EARLIEST_DATE = dt.date(1900, 1, 1)
LATEST_DATE = dt.date(2100, 12, 31)
EARLIEST_MOMENT = dt.datetime(1899, 12, 31, tzinfo=dt.UTC)
LATEST_MOMENT = dt.datetime(2101, 1, 1, tzinfo=dt.UTC)  # exclusive
MAX_SESSION_DURATION = dt.timedelta(hours=24)
CENT = Decimal("0.01")


def _date_in_range(field: str) -> Q:
    return Q(**{f"{field}__gte": EARLIEST_DATE, f"{field}__lte": LATEST_DATE})


def _moment_in_range(field: str) -> Q:
    return Q(**{f"{field}__gte": EARLIEST_MOMENT, f"{field}__lt": LATEST_MOMENT})


def _nullable(field: str, condition: Q) -> Q:
    return Q(**{f"{field}__isnull": True}) | condition


def remove_impossible_rows(apps, schema_editor) -> None:
    Session = apps.get_model("training", "Session")
    PersonalRecord = apps.get_model("training", "PersonalRecord")
    Streak = apps.get_model("training", "Streak")
    WorkoutSchedule = apps.get_model("training", "WorkoutSchedule")
    removed: Counter = Counter()

    def delete(queryset) -> None:
        _, per_model = queryset.delete()
        removed.update({label: count for label, count in per_model.items() if count})

    # Starts and days outside the range: the sessions and everything on them.
    delete(Session.objects.exclude(_moment_in_range("started_at") & _date_in_range("local_date")))

    # Longer than a day: end 24 hours after the start, with the calories of those 24 hours.
    clamped = 0
    too_long = Session.objects.filter(duration_seconds__gt=MAX_SESSION_DURATION.total_seconds())
    for pk, started_at, ended_at, calories in too_long.values_list(
        "pk", "started_at", "ended_at", "calories_kcal"
    ).iterator():
        ratio = Decimal(MAX_SESSION_DURATION.total_seconds()) / Decimal((ended_at - started_at).total_seconds())
        Session.objects.filter(pk=pk).update(
            ended_at=started_at + MAX_SESSION_DURATION,
            calories_kcal=(calories * ratio).quantize(CENT, rounding=ROUND_HALF_UP) if calories is not None else None,
        )
        clamped += 1

    # An end still outside (a start in the last hours of 2100): not real either.
    delete(Session.objects.exclude(_nullable("ended_at", _moment_in_range("ended_at"))))
    delete(PersonalRecord.objects.exclude(_moment_in_range("achieved_at")))
    delete(
        Streak.objects.exclude(
            _nullable("current_start", _date_in_range("current_start"))
            & _nullable("last_active_date", _date_in_range("last_active_date"))
        )
    )
    cleared = WorkoutSchedule.objects.exclude(_nullable("last_reminded_on", _date_in_range("last_reminded_on"))).update(
        last_reminded_on=None
    )

    lines = [
        f"  training 0003: removed {count} row(s) of {label} (dated outside {EARLIEST_DATE}…{LATEST_DATE}, "
        "or part of a session that was)"
        for label, count in sorted(removed.items())
    ]
    if clamped:
        lines.append(f"  training 0003: shortened {clamped} session(s) longer than 24 hours to 24 hours")
    if cleared:
        lines.append(f"  training 0003: cleared {cleared} workout reminder marker(s) outside the range")
    if lines:
        print("\n" + "\n".join(lines))


class Migration(migrations.Migration):
    dependencies = [
        ("training", "0002_workoutschedule"),
    ]

    operations = [
        # Its own migration (and transaction): PostgreSQL refuses to ALTER a table with pending
        # foreign-key trigger events from these deletes.
        migrations.RunPython(remove_impossible_rows, migrations.RunPython.noop, elidable=True),
    ]
