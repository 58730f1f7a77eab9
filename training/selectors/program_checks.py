"""Is a program's grid whole? Every week 1…duration_weeks has sessions_per_week days numbered 1…n, no day
lies beyond the program, a strength day has exercises and a day's exercises are numbered 1…k.

Used by the official-programs loader (a broken official program is refused before anything is written)
and by the admin (a read-only "structure problems" field). The check itself works on plain rows, so the
loader can run it on a program that is not in the database yet.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.contrib.postgres.aggregates import ArrayAgg
from django.db.models import F

from ..models import Program, ProgramSession


@dataclass(frozen=True)
class DayShape:
    week: int
    day: int
    name: str
    uses_exercises: bool
    exercise_orders: Sequence[int]


def structure_problems(*, duration_weeks: int, sessions_per_week: int, days: Iterable[DayShape]) -> list[str]:
    """Why the grid is not whole, in words (empty when it is). No queries."""
    n = sessions_per_week
    by_week: dict[int, list[int]] = {}
    problems: list[str] = []
    rows = sorted(days, key=lambda d: (d.week, d.day))
    for row in rows:
        by_week.setdefault(row.week, []).append(row.day)
    for week in range(1, duration_weeks + 1):
        numbers = by_week.get(week, [])
        if len(numbers) != n:
            problems.append(f"Week {week} has {len(numbers)} of {n} session{'s' if n != 1 else ''}.")
        elif sorted(numbers) != list(range(1, n + 1)):
            problems.append(f"Week {week}'s days are not numbered 1 to {n}.")
    for week in sorted(w for w in by_week if w < 1 or w > duration_weeks):
        problems.append(f"Week {week} is beyond the program's {duration_weeks} weeks.")
    for row in rows:
        label = f"Week {row.week}, day {row.day}" + (f" ({row.name})" if row.name else "")
        orders = sorted(row.exercise_orders)
        if row.uses_exercises and not orders:
            problems.append(f"{label} has no exercises.")
        elif orders != list(range(1, len(orders) + 1)):
            problems.append(f"{label}: exercises are not numbered 1 to {len(orders)}.")
    return problems


def program_structure_problems(program: Program) -> list[str]:
    """The check on a saved program: one query (each day with its exercises' orders aggregated)."""
    rows = (
        ProgramSession.objects.filter(program=program)
        .annotate(orders=ArrayAgg("exercises__order", default=[]), uses=F("activity_type__uses_exercises"))
        .values_list("week", "day", "name", "uses", "orders")
        .order_by("week", "day")
    )
    days = [
        DayShape(week=week, day=day, name=name, uses_exercises=uses, exercise_orders=[o for o in orders if o])
        for week, day, name, uses, orders in rows
    ]
    return structure_problems(
        duration_weeks=program.duration_weeks, sessions_per_week=program.sessions_per_week, days=days
    )
