"""Pages: Today (/today/) and any past day (/today/<YYYY-MM-DD>/), the day at a glance from its stored
summary, with one-tap actions.

One page template, `coaching/today.html`; its swappable regions are partials: `day-summary` (sessions,
energy, macros and water: polled every 2 s while the day's summary is being refreshed), `weight-card`
and `habit-response` (a habit row plus the habits count, out of band). The one-tap actions post here
(water, weight, habit check-ins) and call the owning app's service; without JavaScript they redirect
back to the day. Habit check-ins post to this page's own URLs (/today/<date>/habits/<id>/toggle/ and
…/log/) so the response is the Today row. What the cards show (in the person's units) is
coaching.presenters'. Ends with `urlpatterns`.
"""

from __future__ import annotations

import datetime as dt
from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from accounts.models import User
from accounts.request_info import PersonRequest
from accounts.services.body import body_metric_record
from nutrition.services.diary import water_log_add

from .. import presenters
from ..forms import HabitValueForm, WaterForm, WeightForm, form_error
from ..goal_display import goal_card_rows
from ..models import Habit, TrackingType
from ..selectors import habits as habit_selectors
from ..selectors import today as selectors
from ..services.habits import habit_log_set, habit_log_toggle

PAGE = "coaching/today.html"


def parse_day(day: str) -> dt.date:
    """A past or present local date of the person; anything else (malformed, future) is a 404."""
    date = presenters.day_from_path(day, today=timezone.localdate())
    if date is None:
        raise Http404("No such day.")
    return date


def _service_error(exc: ValidationError) -> str:
    return " ".join(exc.messages)


# ---------------------------------------------------------------------------------------------------
# Pages


def _day_page(request: PersonRequest, day: dt.date) -> HttpResponse:
    user = request.user
    if request.htmx and request.htmx.target == "day-summary":
        region = selectors.day_summary_region(user=user, day=day)
        context = presenters.today_region(
            user, day=day, summary=region.summary, is_pending=region.is_pending, context=region.context
        )
        return render(request, f"{PAGE}#day-summary", context)
    page = selectors.today_page(user=user, day=day)
    today = timezone.localdate()
    context = presenters.today_page(user, page, today=today)
    if day == today:  # the program's next day replaces the start guess; past days need no query
        workout = selectors.program_workout_today(user=user)
        context["program_workout"] = presenters.program_workout_card(user, workout)
    context["weight_form"] = WeightForm(who=user)
    context["goal_card"] = goal_card_rows(user)
    return render(request, PAGE, context)


@login_required
@require_GET
def today_view(request: PersonRequest) -> HttpResponse:
    # The person's time zone is active (accounts middleware), so this is their calendar date.
    return _day_page(request, timezone.localdate())


@login_required
@require_GET
def day_view(request: PersonRequest, day: str) -> HttpResponse:
    return _day_page(request, parse_day(day))


# ---------------------------------------------------------------------------------------------------
# One-tap actions: POST only; htmx gets the re-rendered region, a plain form a redirect back.


@login_required
@require_POST
def water_add_view(request: PersonRequest, day: str) -> HttpResponse:
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
        return redirect(presenters.day_url(date, "water"))
    region = selectors.day_summary_region(user=request.user, day=date)
    context = presenters.today_region(
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


def _measured_at(date: dt.date, user: User) -> dt.datetime | None:
    """Today's weight is recorded now; a past day's at noon of that day, local time."""
    if date == timezone.localdate():
        return None
    return dt.datetime.combine(date, dt.time(12), tzinfo=user.zone)


@login_required
@require_POST
def weight_record_view(request: PersonRequest, day: str) -> HttpResponse:
    date = parse_day(day)
    user = request.user
    form = WeightForm(request.POST, who=user)
    error = ""
    if form.is_valid():
        try:
            # In the person's unit: the body metrics service converts it to kg.
            body_metric_record(
                user=user,
                metric_type="weight",
                value=form.cleaned_data["value"],
                unit=form.unit,
                measured_at=_measured_at(date, user),
            )
        except ValidationError as exc:
            error = _service_error(exc)
    else:
        error = form_error(form)
    if not request.htmx:
        if error:
            messages.error(request, error)
        else:
            messages.success(request, "Weight saved.")
        return redirect(presenters.day_url(date, "weight"))
    context = {
        "date": date,
        "is_today": date == timezone.localdate(),
        # From the BodyMetric rows, so the entry shows before the summary catches up.
        "weight": presenters.weight_card(user, context=selectors.day_context(user=user, day=date)),
        "weight_form": form if error else WeightForm(who=user),
        "weight_error": error,
    }
    return render(request, f"{PAGE}#weight-card", context, status=400 if error else 200)


def _habit_response(
    request: PersonRequest, date: dt.date, habit: Habit, error: str = "", status: int = 200
) -> HttpResponse:
    if not request.htmx:
        if error:
            messages.error(request, f"{habit.name}: {error}")
        return redirect(presenters.day_url(date, f"habit-{habit.pk}"))
    habits = selectors.habits_due(user=request.user, day=date)
    # The row shows what is stored now (a refused value changes nothing).
    habit = next((h for h in habits if h.pk == habit.pk), habit)
    if not hasattr(habit, "log"):
        habit.log = None
    context = {"date": date, "habit": habit, "habit_error": error, "oob": True, **presenters.habits_progress(habits)}
    return render(request, f"{PAGE}#habit-response", context, status=status)


@login_required
@require_POST
def habit_toggle_view(request: PersonRequest, day: str, habit_id: UUID) -> HttpResponse:
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
def habit_log_view(request: PersonRequest, day: str, habit_id: UUID) -> HttpResponse:
    date = parse_day(day)
    habit = habit_selectors.habit_get_for_user(user=request.user, habit_id=habit_id)
    if habit.tracking_type == TrackingType.BOOLEAN:
        return _habit_response(request, date, habit, "Tap the habit to tick it.", status=400)
    form = HabitValueForm(request.POST)
    if not form.is_valid():
        return _habit_response(request, date, habit, form_error(form), status=400)
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
