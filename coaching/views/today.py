"""Pages: Today (/today/) and any past day (/today/<YYYY-MM-DD>/), the day at a glance from its stored
summary, with one-tap actions.

One page template, `coaching/today.html`; its swappable regions are partials: `day-summary` (sessions,
energy, macros and water: polled every 2 s while the day's summary is being refreshed), `weight-card`
and `habit-response` (a habit row plus the habits count, out of band). The one-tap actions post here
(water, weight, habit check-ins) and call the owning app's service; without JavaScript they redirect
back to the day. Habit check-ins post to this page's own URLs (/today/<date>/habits/<id>/toggle/ and
…/log/) so the response is the Today row. Ends with `urlpatterns`.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import ROUND_HALF_UP, Decimal

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from accounts.services.body import body_metric_record
from fitjourney.units import KG_PER_LB, ML_PER_FL_OZ
from nutrition.services.diary import water_log_add

from ..models import JournalMood, TrackingType
from ..selectors import habits as habit_selectors
from ..selectors import today as selectors
from ..services.habits import habit_log_set, habit_log_toggle

PAGE = "coaching/today.html"
# Days before this are no one's diary, and their week arithmetic stays far from date.min.
EARLIEST = dt.date(1900, 1, 1)
DAY_PATTERN = re.compile(r"\d{4}-\d{2}-\d{2}")
WATER_BUTTONS = {"metric": ((250, "+250 ml"), (500, "+500 ml")), "imperial": ((237, "+8 fl oz"), (473, "+16 fl oz"))}


# ---------------------------------------------------------------------------------------------------
# Units and days at the edge


def _imperial(user) -> bool:
    return user.unit_system == "imperial"


def weight_unit(user) -> str:
    return "lb" if _imperial(user) else "kg"


def weight_shown(kg: Decimal | None, user) -> str:
    if kg is None:
        return ""
    value = Decimal(kg) / KG_PER_LB if _imperial(user) else Decimal(kg)
    return f"{value.quantize(Decimal('0.1'), rounding=ROUND_HALF_UP)} {weight_unit(user)}"


def water_shown(ml: int, user) -> str:
    if _imperial(user):
        return f"{(Decimal(ml) / ML_PER_FL_OZ).quantize(Decimal(1), rounding=ROUND_HALF_UP)} fl oz"
    return f"{ml} ml"


def parse_day(day: str) -> dt.date:
    """A past or present local date of the person; anything else (malformed, future) is a 404."""
    if not DAY_PATTERN.fullmatch(day):
        raise Http404("Not a date.")
    try:
        date = dt.date.fromisoformat(day)
    except ValueError as exc:
        raise Http404("Not a date.") from exc
    if date > timezone.localdate() or date < EARLIEST:
        raise Http404("No such day.")
    return date


def day_url(date: dt.date, anchor: str = "") -> str:
    url = (
        reverse("coaching:today") if date == timezone.localdate() else reverse("coaching:day", args=[date.isoformat()])
    )
    return url + (f"#{anchor}" if anchor else "")


def _percent(value, target) -> int | None:
    if not target:
        return None
    return int(min(Decimal(100), Decimal(value) * 100 / Decimal(target)))


# ---------------------------------------------------------------------------------------------------
# Building what the page shows


def _sessions(summary) -> dict | None:
    if summary is None or not summary.workouts:
        return None
    return {
        "workouts": summary.workouts,
        "active_minutes": summary.active_minutes,
        "calories_burned": summary.calories_burned,
    }


def _energy(summary, plan) -> dict:
    eaten = summary.calories_eaten if summary else 0
    burned = summary.calories_burned if summary else 0
    energy = {
        "logged": bool(summary and (summary.meals or summary.calories_eaten)),
        "eaten": eaten,
        "burned": burned,
        "net": eaten - burned,
        "plan": plan,
    }
    if plan is not None:
        # The meter's scale leaves room above the range, so "over" is visible as well as "under".
        energy["scale"] = max(int(plan.energy_max_kcal * 1.2), eaten)
        if eaten < plan.energy_min_kcal:
            energy["status"] = "below"
        elif eaten > plan.energy_max_kcal:
            energy["status"] = "above"
        else:
            energy["status"] = "within"
        energy["left"] = plan.energy_target_kcal - eaten
    return energy


def _macros(summary, plan) -> list[dict]:
    rows = []
    for name, label in (("protein_g", "Protein"), ("carbohydrate_g", "Carbs"), ("fat_g", "Fat")):
        value = getattr(summary, name) if summary else Decimal(0)
        target = getattr(plan, name) if plan else None
        rows.append(
            {
                "name": name,
                "label": label,
                "value": value,
                "target": target,
                "percent": _percent(value, target),
                "over": bool(target) and value > target,
            }
        )
    return rows


def _water(user, ml: int, target_ml: int) -> dict:
    return {
        "ml": ml,
        "shown": water_shown(ml, user),
        "target_shown": water_shown(target_ml, user),
        "percent": _percent(ml, target_ml) or 0,
        "buttons": WATER_BUTTONS["imperial" if _imperial(user) else "metric"],
    }


def region_context(
    user, *, day: dt.date, summary, is_pending: bool, context: selectors.DayContext, water_ml: int | None = None
) -> dict:
    """The summary region. Water comes from the summary unless it is being refreshed (or there is none,
    or a tap just added some): then the WaterLog sum, so a tap is counted at once."""
    if water_ml is None:
        water_ml = summary.water_ml if summary is not None and not is_pending else context.water_logged_ml
    return {
        "date": day,
        "is_today": day == timezone.localdate(),
        "summary": summary,
        "is_pending": is_pending,
        "sessions": _sessions(summary),
        "energy": _energy(summary, context.plan),
        "macros": _macros(summary, context.plan),
        "has_plan": context.plan is not None,
        "water": _water(user, water_ml, context.water_target_ml),
    }


def _workout(day: dt.date, today: dt.date, summary, context: selectors.DayContext) -> dict:
    schedule = context.schedule
    workout = {
        "schedule": schedule,
        "is_today": day == today,
        "done": summary.workouts if summary else 0,
        "in_progress_id": context.session_in_progress_id,
        "start_activity_type_id": context.start_activity_type_id,
    }
    if schedule is not None:
        workout["is_workout_day"] = schedule.is_workout_day(day)
        workout["time"] = schedule.preferred_time
        workout["minutes"] = schedule.preferred_duration_minutes
    return workout


def _weight(user, day: dt.date, summary, is_pending: bool, context: selectors.DayContext) -> dict:
    day_kg = context.day_weight_kg
    if summary is not None and summary.weight_kg is not None and not is_pending:
        day_kg = summary.weight_kg
    return {
        "day_shown": weight_shown(day_kg, user),
        "latest_shown": weight_shown(context.latest_weight_kg, user),
        "latest_date": context.latest_weight_date,
    }


def _week_strip(page: selectors.TodayPage, today: dt.date) -> list[dict]:
    days = []
    for date in page.week:
        summary = page.summaries.get(date)
        marks = []
        if summary is not None:
            if summary.workouts:
                marks.append("trained")
            if summary.habits_total and summary.habits_completed == summary.habits_total:
                marks.append("all habits done")
            if not marks and (summary.meals or summary.water_ml or summary.has_journal_entry or summary.weight_kg):
                marks.append("logged")
        days.append(
            {
                "date": date,
                "url": day_url(date) if date <= today else None,
                "current": date == page.day,
                "is_today": date == today,
                "indicator": "trained" if "trained" in marks else ("logged" if marks else ""),
                "marks": ", ".join(marks),
            }
        )
    return days


def _habits_context(habits: list) -> dict:
    return {
        "habits": habits,
        "habits_done": sum(1 for habit in habits if habit.log is not None and habit.log.completed),
        "habits_total": len(habits),
    }


def page_context(request, day: dt.date) -> dict:
    user = request.user
    today = timezone.localdate()
    page = selectors.today_page(user=user, day=day)
    context = page.context
    monday = page.week[0]
    next_monday = monday + dt.timedelta(weeks=1)
    mood = context.journal_mood
    return {
        "date": day,
        "today": today,
        "is_today": day == today,
        "week": _week_strip(page, today),
        "previous_week": day_url(day - dt.timedelta(weeks=1)),
        "next_week": day_url(min(day + dt.timedelta(weeks=1), today)) if next_monday <= today else None,
        "workout": _workout(day, today, page.summary, context),
        "weight": _weight(user, day, page.summary, page.is_pending, context),
        "weight_form": WeightForm(unit=weight_unit(user)),
        "journal": {
            "written": context.journal_written,
            "mood": JournalMood(mood).label if mood in JournalMood.values else "",
        },
        "unread": page.unread,
        **_habits_context(page.habits),
        **region_context(user, day=day, summary=page.summary, is_pending=page.is_pending, context=context),
    }


# ---------------------------------------------------------------------------------------------------
# Forms (validation only; the services decide)


class WaterForm(forms.Form):
    amount_ml = forms.IntegerField(min_value=1, max_value=5000)


class WeightForm(forms.Form):
    value = forms.DecimalField(max_digits=7, decimal_places=2, min_value=Decimal("0.01"))

    def __init__(self, *args, unit: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["value"].label = f"Weight ({unit})"
        self.fields["value"].widget.attrs.update({"step": "0.1", "inputmode": "decimal"})


class HabitValueForm(forms.Form):
    value = forms.DecimalField(max_digits=8, decimal_places=2, min_value=0, max_value=999999)


def _form_error(form) -> str:
    return " ".join(error for errors in form.errors.values() for error in errors)


def _service_error(exc: ValidationError) -> str:
    return " ".join(exc.messages)


# ---------------------------------------------------------------------------------------------------
# Pages


def _day_page(request, day: dt.date):
    if request.htmx and request.htmx.target == "day-summary":
        region = selectors.day_summary_region(user=request.user, day=day)
        context = region_context(
            request.user, day=day, summary=region.summary, is_pending=region.is_pending, context=region.context
        )
        return render(request, f"{PAGE}#day-summary", context)
    return render(request, PAGE, page_context(request, day))


@login_required
@require_GET
def today_view(request):
    # The person's time zone is active (accounts middleware), so this is their calendar date.
    return _day_page(request, timezone.localdate())


@login_required
@require_GET
def day_view(request, day: str):
    return _day_page(request, parse_day(day))


# ---------------------------------------------------------------------------------------------------
# One-tap actions: POST only; htmx gets the re-rendered region, a plain form a redirect back.


@login_required
@require_POST
def water_add_view(request, day: str):
    date = parse_day(day)
    form = WaterForm(request.POST)
    error = ""
    if form.is_valid():
        try:
            water_log_add(user=request.user, amount_ml=form.cleaned_data["amount_ml"], date=date)
        except ValidationError as exc:
            error = _service_error(exc)
    else:
        error = "Enter 1 to 5000 ml."
    if not request.htmx:
        if error:
            messages.error(request, error)
        else:
            messages.success(request, "Water added.")
        return redirect(day_url(date, "water"))
    region = selectors.day_summary_region(user=request.user, day=date)
    context = region_context(
        request.user,
        day=date,
        summary=region.summary,
        is_pending=region.is_pending,
        context=region.context,
        # Read from the WaterLog rows, so the tap is counted before the summary catches up.
        water_ml=region.context.water_logged_ml,
    )
    context["water_error"] = error
    return render(request, f"{PAGE}#day-summary", context, status=400 if error else 200)


def _measured_at(date: dt.date, user) -> dt.datetime | None:
    """Today's weight is recorded now; a past day's at noon of that day, local time."""
    if date == timezone.localdate():
        return None
    return dt.datetime.combine(date, dt.time(12), tzinfo=user.zone)


@login_required
@require_POST
def weight_record_view(request, day: str):
    date = parse_day(day)
    user = request.user
    unit = weight_unit(user)
    form = WeightForm(request.POST, unit=unit)
    error = ""
    if form.is_valid():
        try:
            body_metric_record(
                user=user,
                metric_type="weight",
                value=form.cleaned_data["value"],
                unit=unit,
                measured_at=_measured_at(date, user),
            )
        except ValidationError as exc:
            error = _service_error(exc)
    else:
        error = _form_error(form)
    if not request.htmx:
        if error:
            messages.error(request, error)
        else:
            messages.success(request, "Weight saved.")
        return redirect(day_url(date, "weight"))
    context = selectors.day_context(user=user, day=date)
    data = {
        "date": date,
        "is_today": date == timezone.localdate(),
        # From the BodyMetric rows, so the entry shows before the summary catches up.
        "weight": _weight(user, date, None, False, context),
        "weight_form": form if error else WeightForm(unit=unit),
        "weight_error": error,
    }
    return render(request, f"{PAGE}#weight-card", data, status=400 if error else 200)


def _habit_response(request, date: dt.date, habit, error: str = "", status: int = 200):
    if not request.htmx:
        if error:
            messages.error(request, f"{habit.name}: {error}")
        return redirect(day_url(date, f"habit-{habit.pk}"))
    habits = selectors.habits_due(user=request.user, day=date)
    # The row shows what is stored now (a refused value changes nothing).
    habit = next((h for h in habits if h.pk == habit.pk), habit)
    if not hasattr(habit, "log"):
        habit.log = None
    context = {"date": date, "habit": habit, "habit_error": error, "oob": True, **_habits_context(habits)}
    return render(request, f"{PAGE}#habit-response", context, status=status)


@login_required
@require_POST
def habit_toggle_view(request, day: str, habit_id):
    date = parse_day(day)
    habit = habit_selectors.habit_get_for_user(user=request.user, habit_id=habit_id)
    if habit.tracking_type != TrackingType.BOOLEAN:
        return _habit_response(request, date, habit, "Enter a value for this habit.", status=400)
    try:
        habit_log_toggle(user=request.user, habit=habit, log_date=date)
    except ValidationError as exc:
        return _habit_response(request, date, habit, _service_error(exc), status=400)
    return _habit_response(request, date, habit)


@login_required
@require_POST
def habit_log_view(request, day: str, habit_id):
    date = parse_day(day)
    habit = habit_selectors.habit_get_for_user(user=request.user, habit_id=habit_id)
    if habit.tracking_type == TrackingType.BOOLEAN:
        return _habit_response(request, date, habit, "Tap the habit to tick it.", status=400)
    form = HabitValueForm(request.POST)
    if not form.is_valid():
        return _habit_response(request, date, habit, _form_error(form), status=400)
    try:
        habit_log_set(user=request.user, habit=habit, log_date=date, value=form.cleaned_data["value"])
    except ValidationError as exc:
        return _habit_response(request, date, habit, _service_error(exc), status=400)
    return _habit_response(request, date, habit)


urlpatterns = [
    path("today/", today_view, name="today"),
    path("today/<str:day>/", day_view, name="day"),
    path("today/<str:day>/water/", water_add_view, name="today-water"),
    path("today/<str:day>/weight/", weight_record_view, name="today-weight"),
    path("today/<str:day>/habits/<uuid:habit_id>/toggle/", habit_toggle_view, name="today-habit-toggle"),
    path("today/<str:day>/habits/<uuid:habit_id>/log/", habit_log_view, name="today-habit-log"),
]
