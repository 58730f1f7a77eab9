"""Pages of habits: the daily check-in list (/habits/), adding from a template or from scratch, a habit's
history with streaks and a chart, editing, deleting, and the check-in itself.

The check-in (POST /habits/<id>/log/, fields log_date, completed or value, notes) is shared: the Today
page may post there too. With htmx it answers the habit's row (`coaching/habits.html#habit-row`), so the
caller swaps it in place; without JavaScript it redirects back (`next`, else the habits page). A
done-or-not habit posted without `completed` is toggled (one tap). State changes are POST only; another
person's habit is a 404. Ends with `urlpatterns`.
"""

from __future__ import annotations

import datetime as dt
from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.request_info import PersonRequest

from .. import presenters
from ..forms import HabitForm, HabitLogForm, LogDeleteForm, errors_to_form, form_error
from ..models import Habit, TrackingType
from ..selectors import habits as selectors
from ..services import habits as services

LIST_PAGE = "coaching/habits.html"
FORM_PAGE = "coaching/habit_form.html"
DETAIL_PAGE = "coaching/habit_detail.html"
ROW = f"{LIST_PAGE}#habit-row"


def _next_url(request: PersonRequest, default: str) -> str:
    target = request.POST.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}, require_https=request.is_secure()):
        return target
    return default


# ---------------------------------------------------------------------------------------------------
# The list


def _list_page(request: PersonRequest, *, status: int = 200, row_errors: dict[UUID, str] | None = None) -> HttpResponse:
    today = timezone.localdate()
    habits = selectors.habits_overview(user=request.user, today=today)
    presenters.habit_rows(habits, errors=row_errors or {}, submitted=request.POST.get("value", ""))
    context = {
        "today": today,
        "due": [h for h in habits if h.due_today],
        "others": [h for h in habits if not h.due_today],
        "has_habits": bool(habits),
    }
    return render(request, LIST_PAGE, context, status=status)


@login_required
@require_GET
def habits_view(request: PersonRequest) -> HttpResponse:
    """Two queries for the person's habits and their logs, whatever their number."""
    return _list_page(request)


# ---------------------------------------------------------------------------------------------------
# Adding and changing


@login_required
@require_http_methods(["GET", "POST"])
def habit_new(request: PersonRequest) -> HttpResponseBase:
    templates = list(selectors.habit_templates_for_user(user=request.user))
    by_id = {str(t.pk): t for t in templates}
    chosen = by_id.get(request.POST.get("template") or request.GET.get("template") or "")
    today = timezone.localdate()
    status = 200
    if request.method == "POST":
        form = HabitForm(request.POST)
        if request.POST.get("template") and chosen is None:
            form.add_error(None, "Choose one of the templates offered.")
        if form.is_valid():
            try:
                habit = services.habit_create(user=request.user, template=chosen, **form.service_data())
            except ValidationError as error:
                errors_to_form(form, error)
            else:
                messages.success(request, f"“{habit.name}” is on your list.")
                return redirect("coaching:habits")
        status = 400
    else:
        initial = {"start_date": today, **(HabitForm.initial_from_template(chosen) if chosen else {})}
        form = HabitForm(initial=initial)
    context = {"form": form, "templates": templates, "template": chosen, "habit": None}
    return render(request, FORM_PAGE, context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def habit_edit(request: PersonRequest, habit_id: UUID) -> HttpResponseBase:
    habit = selectors.habit_get_for_user(user=request.user, habit_id=habit_id)
    status = 200
    if request.method == "POST":
        form = HabitForm(request.POST, editing=True)
        if form.is_valid():
            try:
                services.habit_update(user=request.user, habit=habit, **form.service_data())
            except ValidationError as error:
                errors_to_form(form, error)
            else:
                messages.success(request, f"“{habit.name}” is saved.")
                return redirect("coaching:habit", habit_id=habit.pk)
        status = 400
        habit.refresh_from_db()
    else:
        form = HabitForm(editing=True, initial=HabitForm.initial_from_habit(habit))
    return render(request, FORM_PAGE, {"form": form, "habit": habit, "templates": []}, status=status)


@login_required
@require_POST
def habit_delete(request: PersonRequest, habit_id: UUID) -> HttpResponseBase:
    habit = selectors.habit_get_for_user(user=request.user, habit_id=habit_id)
    services.habit_delete(user=request.user, habit=habit)
    messages.success(request, f"“{habit.name}” is deleted.")
    return redirect("coaching:habits")


# ---------------------------------------------------------------------------------------------------
# One habit


def _detail_page(
    request: PersonRequest, habit: Habit, *, status: int = 200, log_form: HabitLogForm | None = None
) -> HttpResponse:
    today = timezone.localdate()
    history = selectors.habit_history(habit=habit, today=today)
    chart = presenters.habit_chart(habit=habit, history=history, today=today)
    recent = [{"day": day.day, "state": day.state, "log": history.logs.get(day.day)} for day in reversed(history.strip)]
    context = {
        "habit": habit,
        "today": today,
        "stats": history.stats,
        "strip": history.strip[-30:],
        "recent": recent,
        "chart": chart,
        "chart_rows": presenters.chart_rows(chart),
        "log_form": log_form or HabitLogForm(initial={"log_date": today - dt.timedelta(days=1)}),
        "yesterday": today - dt.timedelta(days=1),
    }
    return render(request, DETAIL_PAGE, context, status=status)


@login_required
@require_GET
def habit_detail(request: PersonRequest, habit_id: UUID) -> HttpResponse:
    """Two queries: the habit, and its logs (every completed one for the streaks, the recent window)."""
    habit = selectors.habit_get_for_user(user=request.user, habit_id=habit_id)
    return _detail_page(request, habit)


def _row_response(request: PersonRequest, habit: Habit, *, status: int = 200, error: str = "") -> HttpResponse:
    today = timezone.localdate()
    [habit] = selectors.habits_overview(user=request.user, today=today, habit_ids=[habit.pk])
    presenters.habit_rows([habit], errors={habit.pk: error} if error else {}, submitted=request.POST.get("value", ""))
    return render(request, ROW, {"habit": habit, "today": today}, status=status)


@login_required
@require_POST
def habit_log(request: PersonRequest, habit_id: UUID) -> HttpResponseBase:
    habit = selectors.habit_get_for_user(user=request.user, habit_id=habit_id)
    form = HabitLogForm(request.POST)
    today = timezone.localdate()
    if form.is_valid():
        data = form.cleaned_data
        log_date = data["log_date"] or today
        try:
            if habit.tracking_type == TrackingType.BOOLEAN and data["completed"] is None:
                services.habit_log_toggle(user=request.user, habit=habit, log_date=log_date)
            else:
                services.habit_log_set(
                    user=request.user,
                    habit=habit,
                    log_date=log_date,
                    completed=data["completed"],
                    value=data["value"],
                    notes=data["notes"] or None,
                )
        except ValidationError as error:
            errors_to_form(form, error)
    if form.errors:
        message = form_error(form)
        if request.htmx:
            return _row_response(request, habit, status=400, error=message)
        if request.POST.get("from") == "detail":
            return _detail_page(request, habit, status=400, log_form=form)
        return _list_page(request, status=400, row_errors={habit.pk: message})
    if request.htmx:
        return _row_response(request, habit)
    if form.cleaned_data["log_date"] and form.cleaned_data["log_date"] != today:
        messages.success(request, f"{habit.name}: {form.cleaned_data['log_date']:%A %-d %B} is saved.")
    return redirect(_next_url(request, reverse("coaching:habits")))


@login_required
@require_POST
def habit_log_delete(request: PersonRequest, habit_id: UUID) -> HttpResponseBase:
    habit = selectors.habit_get_for_user(user=request.user, habit_id=habit_id)
    form = LogDeleteForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choose the day to clear.")
        return redirect("coaching:habit", habit_id=habit.pk)
    if services.habit_log_delete(user=request.user, habit=habit, log_date=form.cleaned_data["log_date"]):
        messages.success(request, f"{habit.name}: {form.cleaned_data['log_date']:%A %-d %B} is cleared.")
    if request.htmx:
        return _row_response(request, habit)
    return redirect(_next_url(request, reverse("coaching:habit", args=[habit.pk])))


urlpatterns = [
    path("habits/", habits_view, name="habits"),
    path("habits/new/", habit_new, name="habit-new"),
    path("habits/<uuid:habit_id>/", habit_detail, name="habit"),
    path("habits/<uuid:habit_id>/edit/", habit_edit, name="habit-edit"),
    path("habits/<uuid:habit_id>/delete/", habit_delete, name="habit-delete"),
    path("habits/<uuid:habit_id>/log/", habit_log, name="habit-log"),
    path("habits/<uuid:habit_id>/log/delete/", habit_log_delete, name="habit-log-delete"),
]
