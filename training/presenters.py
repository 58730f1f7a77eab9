"""What training's pages show, shaped for people: weights, distances and records in the person's units,
the exercise cards and superset blocks of the session logger, the metrics' values.

Views and templates share it (templates through the filters of training/templatetags/training.py); every
conversion goes through fitjourney.units. Training shows what was logged to its stored precision: a weight
to 0.01 kg (a 1.25 kg plate, an Epley estimate of 116.67 kg) or 0.1 lb, a distance to the metre as km or
mi, numbers written plainly ("61.25 kg"; volumes whole with separators, "1,400 kg").
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from fitjourney import units
from fitjourney.units import UnitSystem

from . import compendium
from .models import DISTANCE_METRIC, MetricTemplate, RecordType, SessionExercise, Set
from .selectors.sessions import PreviousPerformance, previous_summary_groups

Number = Decimal | int | float | str | None


# ---------------------------------------------------------------------------------------------------
# Weights and distances


def weight_step(who: UnitSystem) -> Decimal:
    """Kilograms to the hundredth (what is stored), pounds to the tenth."""
    return units.TENTH if units.is_imperial(who) else units.CENT


def weight_number(kg: Number, who: UnitSystem) -> Decimal | None:
    """The number a weight input shows (kg or lb)."""
    return units.weight_shown(kg, who, step=weight_step(who))


def weight_text(kg: Number, who: UnitSystem) -> str:
    """ "61.25 kg" / "135 lb"; "" when there is no weight."""
    value = weight_number(kg, who)
    return "" if value is None else f"{units.plain_number(value)} {units.weight_unit(who)}"


def volume_text(kg: Number, who: UnitSystem) -> str:
    """A session's or a week's lifted total as people write it: whole units with thousands separators,
    "5,288 kg" / "11,658 lb" (a set's weight keeps its decimals: weight_text)."""
    value = weight_number(kg, who)
    if value is None:
        return ""
    return f"{value.quantize(Decimal(1), rounding=ROUND_HALF_UP):,} {units.weight_unit(who)}"


def distance_number(metres: Number, who: UnitSystem) -> Decimal | None:
    """The number a distance input shows: km or mi to 0.001 (a metre is 0.001 km)."""
    return units.distance_shown(metres, who)


def distance_text(metres: Number, who: UnitSystem) -> str:
    """ "5 km" / "3.11 mi" / "12.35 km": to 10 metres (0.01 of the unit), as a watch or Strava writes it;
    "" when there is no distance (the input keeps metres: distance_number)."""
    value = distance_number(metres, who)
    if value is None:
        return ""
    return f"{units.plain_number(value.quantize(Decimal('0.01'), rounding=ROUND_HALF_UP))} {units.distance_unit(who)}"


def pace_text(seconds_per_km: Number, who: UnitSystem) -> str:
    """ "5:00 /km" / "8:03 /mi"."""
    if seconds_per_km in (None, ""):
        return ""
    seconds = Decimal(str(seconds_per_km))
    if units.is_imperial(who):
        seconds = seconds * units.METRE_PER_MILE / 1000
    whole = int(seconds.to_integral_value(rounding=ROUND_HALF_UP))
    return f"{whole // 60}:{whole % 60:02d} /{units.distance_unit(who)}"


def set_added_text(s: Set, se: SessionExercise, who: UnitSystem) -> str:
    """What the logger announces after a set is added, in the words its row shows:
    "Added set 2 of Back Squat: 5 reps @ 100 kg"."""
    parts = []
    if s.reps:
        parts.append(f"{s.reps} reps")
    if s.weight_kg is not None:
        parts.append(f"@ {weight_text(s.weight_kg, who)}")
    if s.duration_seconds:
        parts.append(f"{s.duration_seconds} s")
    if s.distance_m is not None:
        parts.append(distance_text(s.distance_m, who))
    text = f"Added set {s.number} of {se.exercise.name}"
    return f"{text}: {' '.join(parts)}" if parts else text


def duration_text(seconds: int | None) -> str:
    """A session's length the same on every page: "45 s" under a minute, else to the nearest minute
    ("28 min", "1 h 5 min", "1 h" for a whole hour)."""
    if seconds is None:
        return ""
    seconds = int(seconds)
    if seconds < 60:
        return f"{seconds} s"
    hours, minutes = divmod((seconds + 30) // 60, 60)
    if not hours:
        return f"{minutes} min"
    return f"{hours} h {minutes} min" if minutes else f"{hours} h"


# ---------------------------------------------------------------------------------------------------
# Records


def record_value_text(record_type: str, value: Number, who: UnitSystem) -> str:
    """A record's value as the person reads it: "116.67 kg", "12 reps", "5 km", "5:00 /km"."""
    if value in (None, ""):
        return ""
    if record_type == RecordType.BEST_PACE:
        return pace_text(value, who)
    if record_type == RecordType.MAX_REPS:
        return f"{units.plain_number(Decimal(str(value)))} reps"
    if record_type == RecordType.LONGEST_DISTANCE:
        return distance_text(value, who)
    return weight_text(value, who)  # 1RM, heaviest weight, most volume


# ---------------------------------------------------------------------------------------------------
# The session logger


@dataclass
class ExerciseCard:
    """One exercise of the session as its card shows it; the view adds the add-set form."""

    se: SessionExercise
    sets: list[Set]
    previous_text: str = ""
    set_form: Any = None


@dataclass
class Block:
    """Cards shown together: one exercise, or the members of a superset under a letter label."""

    group: int | None
    label: str = ""
    cards: list[ExerciseCard] = field(default_factory=list)


def previous_text(prev: PreviousPerformance | None, who: UnitSystem) -> str:
    """Last time's working sets: "3 × 8 @ 60 kg", or for timed and distance work "2 × 300 s 1 km"."""
    if prev is None or not prev.sets:
        return ""
    parts = []
    for count, reps, weight in previous_summary_groups(prev):
        text = f"{count} × {reps}" if reps else f"{count} set{'s' if count > 1 else ''}"
        if weight is not None:
            text += f" @ {weight_text(weight, who)}"
        parts.append(text)
    if not any(reps for reps, *_ in prev.sets):
        # Timed or distance work: show the first set's measures instead.
        _, _, duration, distance = prev.sets[0]
        extra = [x for x in (f"{duration} s" if duration else "", distance_text(distance, who)) if x]
        if extra:
            parts = [f"{len(prev.sets)} × {' '.join(extra)}"]
    return ", ".join(parts)


def exercise_card(se: SessionExercise, previous: dict[Any, PreviousPerformance], who: UnitSystem) -> ExerciseCard:
    """`se` with its sets prefetched (selectors.sessions.session_exercises_with_sets)."""
    return ExerciseCard(se=se, sets=list(se.sets.all()), previous_text=previous_text(previous.get(se.exercise_id), who))


def blocks(cards: list[ExerciseCard]) -> list[Block]:
    """Cards in order, with superset members gathered into one block under a letter label."""
    result: list[Block] = []
    by_group: dict[int, Block] = {}
    for card in cards:
        group = card.se.superset_group
        if group is None:
            result.append(Block(group=None, cards=[card]))
            continue
        if group not in by_group:
            by_group[group] = Block(group=group)
            result.append(by_group[group])
        by_group[group].cards.append(card)
    letters = iter("ABCDEFGHIJKLMNOPQRSTUVWXYZ")
    for block in result:
        if block.group is not None:
            if len(block.cards) > 1:
                block.label = f"Superset {next(letters, block.group)}"
            else:
                block.group = None
    return result


# ---------------------------------------------------------------------------------------------------
# Metrics of the session's type


def metric_is_distance(template: MetricTemplate, who: UnitSystem) -> bool:
    """The session's distance (a metric kept in metres) is entered and shown in km, or in miles by an
    imperial person — never in metres ("5 km", not "5000.000")."""
    return template.name == DISTANCE_METRIC and template.unit_id == "m"


def metric_in_feet(template: MetricTemplate, who: UnitSystem) -> bool:
    """Other lengths kept in metres (an elevation gain, a pool's length) are feet to an imperial person."""
    return template.name != DISTANCE_METRIC and template.unit_id == "m" and units.is_imperial(who)


def metric_unit_symbol(template: MetricTemplate, who: UnitSystem) -> str:
    if metric_is_distance(template, who):
        return units.distance_unit(who)
    if metric_in_feet(template, who):
        return units.metres_unit(who)
    return template.unit.symbol if template.unit is not None else ""


@dataclass(frozen=True)
class MetricValue:
    label: str
    text: str


def metric_values(templates: list[MetricTemplate], who: UnitSystem) -> list[MetricValue]:
    """The recorded metrics as "label: value unit"; `templates` carry the session's value
    (selectors.sessions.session_metric_rows annotates `value_numeric` and `value_text`)."""
    values = []
    for template in templates:
        numeric = getattr(template, "value_numeric", None)
        if numeric is None:
            text = getattr(template, "value_text", None) or ""
        elif metric_is_distance(template, who):
            text = distance_text(numeric, who)
        elif metric_in_feet(template, who):
            shown = units.metres_shown(numeric, who)
            text = f"{units.plain_number(shown) if shown is not None else ''} {units.metres_unit(who)}"
        else:
            symbol = metric_unit_symbol(template, who)
            text = f"{units.plain_number(Decimal(numeric))}{' ' + symbol if symbol else ''}"
        if text:
            values.append(MetricValue(label=template.label, text=text))
    return values


# Activities measured by the time per distance (pace) rather than the distance per hour (speed).
PACE_ACTIVITIES = frozenset({"running", "walking", "hiking", "swimming", "trail-running"})


def pace_or_speed(*, slug: str, distance_m: Number, seconds: int | None, who: UnitSystem) -> MetricValue | None:
    """ "Pace 5:36 /km" for a run or a walk, "Speed 24.5 km/h" for a ride; None without both numbers."""
    if distance_m in (None, "") or not seconds:
        return None
    metres = Decimal(str(distance_m))
    if metres <= 0:
        return None
    if slug in PACE_ACTIVITIES:
        return MetricValue(label="Pace", text=pace_text(Decimal(seconds) * 1000 / metres, who))
    per_hour = metres * 3600 / Decimal(seconds)
    shown = units.distance_shown(per_hour, who, step=units.TENTH)
    unit = "mph" if units.is_imperial(who) else "km/h"
    return MetricValue(label="Speed", text=f"{units.plain_number(shown) if shown is not None else ''} {unit}")


def met_text(*, session: Any, distance_m: Number, who: UnitSystem) -> str:
    """The MET a session's calories were counted with, citing its 2024 Compendium code: "MET 10.5
    (Compendium 12060, running 10.8 km/h)", "MET 8 (Compendium 18290, swimming, crawl moderate (about
    45 m/min))", or "MET 5" for a type's own value; "" when it has none."""
    if session.met is None:
        return ""
    text = f"MET {_plain(session.met)}"
    found = compendium.row(session.met_code) if session.met_code else None
    if found is None:
        return text
    what = found.activity
    kmh = compendium.speed_kmh(metres=_decimal_or_none(distance_m), seconds=session.duration_seconds)
    if found.speed_min_kmh is not None and kmh is not None:
        shown = units.distance_shown(kmh * 1000, who, step=units.TENTH)
        unit = "mph" if units.is_imperial(who) else "km/h"
        what += f" {units.plain_number(shown) if shown is not None else ''} {unit}"
    elif found.note:
        what += f", {found.note}"
    return f"{text} (Compendium {found.code}, {what})"


def _decimal_or_none(value: Number) -> Decimal | None:
    return None if value in (None, "") else Decimal(str(value))


# ---------------------------------------------------------------------------------------------------
# Programs: targets as people read them, in their units


def _plain(value: Number) -> str:
    return units.plain_number(Decimal(str(value)))


def clock_text(seconds: int | None) -> str:
    """ "2:00", "1:30:00"; "" when there is none."""
    if seconds is None:
        return ""
    hours, rest = divmod(int(seconds), 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


def _time_text(seconds: int) -> str:
    """A target time: "25 min" when whole minutes, "45 s" under a minute, else "1:30"."""
    if seconds % 60 == 0:
        return duration_text(seconds)
    return f"{seconds} s" if seconds < 60 else clock_text(seconds)


def rep_range_text(reps_min: int | None, reps_max: int | None) -> str:
    if reps_min and reps_max and reps_min != reps_max:
        return f"{reps_min}–{reps_max}"
    return str(reps_min or reps_max or "")


@dataclass
class ProgramExerciseRow:
    """ "3 × 8–10 @ 75 % 1RM" and its extras ("RPE 8", "Rest 2:00")."""

    pe: Any
    main: str
    extras: list[str]


def program_exercise_row(pe: Any, who: UnitSystem) -> ProgramExerciseRow:
    work = rep_range_text(pe.reps_min, pe.reps_max)
    if not work and pe.target_duration_seconds:
        work = _time_text(pe.target_duration_seconds)
    if not work and pe.target_distance_m is not None:
        work = distance_text(pe.target_distance_m, who)
    main = f"{pe.sets} × {work}" if work else f"{pe.sets} set{'s' if pe.sets != 1 else ''}"
    if pe.percent_1rm is not None:
        main += f" @ {_plain(pe.percent_1rm)} % 1RM"
    elif pe.target_weight_kg is not None:
        main += f" @ {weight_text(pe.target_weight_kg, who)}"
    extras = []
    if work and pe.target_duration_seconds and pe.reps_min:
        extras.append(_time_text(pe.target_duration_seconds))
    if pe.percent_1rm is not None and pe.target_weight_kg is not None:
        extras.append(f"or {weight_text(pe.target_weight_kg, who)}")
    if pe.target_rpe is not None:
        extras.append(f"RPE {_plain(pe.target_rpe)}")
    if pe.rest_seconds is not None:
        extras.append(f"Rest {clock_text(pe.rest_seconds)}")
    return ProgramExerciseRow(pe=pe, main=main, extras=extras)


def program_day_targets(ps: Any, who: UnitSystem) -> str:
    """A day's own targets: "25 min · 3 km · run 60 s / walk 90 s × 8" (and any metric targets)."""
    parts = []
    if ps.target_duration_seconds:
        parts.append(_time_text(ps.target_duration_seconds))
    elif ps.estimated_duration_minutes:
        parts.append(f"about {ps.estimated_duration_minutes} min")
    if ps.target_distance_m is not None:
        parts.append(distance_text(ps.target_distance_m, who))
    if ps.target_intensity:
        parts.append(ps.target_intensity)
    for name, value in (ps.target_metrics or {}).items():
        if name == DISTANCE_METRIC:
            parts.append(distance_text(value, who))
        else:
            parts.append(f"{name.replace('_', ' ').capitalize()} {value}")
    return " · ".join(parts)


@dataclass
class ProgramDay:
    ps: Any
    targets: str
    exercises: list[ProgramExerciseRow]


@dataclass
class ProgramWeek:
    number: int
    days: list[ProgramDay]
    complete: bool


def program_weeks(program: Any, who: UnitSystem) -> list[ProgramWeek]:
    """Weeks 1…n (and any stray week beyond) with their days, from the prefetched tree
    (selectors.programs.program_detail): no queries."""
    by_week: dict[int, list[ProgramDay]] = {}
    for ps in program.sessions.all():
        rows = [program_exercise_row(pe, who) for pe in ps.exercises.all()]
        by_week.setdefault(ps.week, []).append(ProgramDay(ps=ps, targets=program_day_targets(ps, who), exercises=rows))
    numbers = sorted(set(range(1, program.duration_weeks + 1)) | set(by_week))
    return [
        ProgramWeek(
            number=n,
            days=by_week.get(n, []),
            complete=[d.ps.day for d in by_week.get(n, [])] == list(range(1, program.sessions_per_week + 1)),
        )
        for n in numbers
    ]


# ---------------------------------------------------------------------------------------------------
# Enrolments: today's workout and a program's progress


@dataclass
class TargetRow:
    name: str
    superset_group: int | None
    sets: int
    work: str  # "3 × 5 @ 165 lb"
    basis: str  # "75 % of your e1RM 100 kg", "no e1RM yet: the program's weight", ""
    weight_kg: Any
    weight_shown: Any
    weight_unit: str


def target_rows(targets: Any, who: UnitSystem) -> list[TargetRow]:
    """Today's workout's exercises with the computed targets in the person's units (no queries)."""
    rows = []
    for t in targets:
        pe = t.program_exercise
        work = rep_range_text(t.reps, t.reps) if t.reps else ""
        if not work and pe.target_duration_seconds:
            work = _time_text(pe.target_duration_seconds)
        if not work and pe.target_distance_m is not None:
            work = distance_text(pe.target_distance_m, who)
        main = f"{t.sets} × {work}" if work else f"{t.sets} set{'s' if t.sets != 1 else ''}"
        if t.weight_kg is not None:
            main += f" @ {units.weight_display(t.weight_kg, who)}"
        basis = ""
        if t.from_e1rm:
            basis = f"{_plain(pe.percent_1rm)} % of your e1RM {units.weight_display(t.e1rm_kg, who)}"
        elif pe.percent_1rm is not None:
            basis = f"{_plain(pe.percent_1rm)} % 1RM: no e1RM yet" + (
                ", the program's weight" if t.weight_kg is not None else ", pick a weight"
            )
        rows.append(
            TargetRow(
                name=pe.exercise.name,
                superset_group=pe.superset_group,
                sets=t.sets,
                work=main,
                basis=basis,
                weight_kg=t.weight_kg,
                weight_shown=units.weight_shown(t.weight_kg, who),
                weight_unit=units.weight_unit(who),
            )
        )
    return rows


def adherence_chart(weeks: Any) -> dict[str, Any]:
    """Done and skipped days per week for charts.js (a bar chart; the table beside it has the numbers)."""
    return {
        "unit": "days",
        "labels": [f"W{w.week}" for w in weeks],
        "ticks": [f"W{w.week}" for w in weeks],
        "max": max((w.planned for w in weeks), default=1),
        "series": [
            {"name": "Done", "values": [w.done for w in weeks]},
            {"name": "Skipped", "values": [w.skipped for w in weeks]},
        ],
    }


def e1rm_chart(lifts: Any, who: UnitSystem) -> dict[str, Any]:
    """The main lifts' best e1RM per week in the person's units, for a line chart; a week without a set
    of a lift repeats its last value (its first known value before it)."""
    weeks = sorted({week for lift in lifts for week, _ in lift.points})
    series = []
    for lift in lifts:
        if not lift.points:
            continue
        by_week = dict(lift.points)
        last = lift.points[0][1]
        values = []
        for week in weeks:
            last = by_week.get(week, last)
            values.append(float(units.weight_shown(last, who) or 0))
        series.append({"name": lift.name, "values": values})
    return {"unit": units.weight_unit(who), "labels": [f"W{w}" for w in weeks], "series": series}
