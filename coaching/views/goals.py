"""Pages of goals: the list with progress bars, milestones, projection and a chart per goal (/coach/goals/),
a new goal, a goal's page, changing, abandoning and deleting one (POST, with a confirm step). Another
person's goal is a 404 (goal_get_for_user raises NotFound). Ends with `urlpatterns`."""

from __future__ import annotations

from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import path
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.request_info import PersonRequest

from ..forms.base import errors_to_form
from ..forms.goals import GoalEditForm, GoalForm
from ..goal_display import decorate, target_shown
from ..selectors.goals import goal_exercise_suggestions, goal_get_for_user, goals_for_user, goals_progress
from ..services import goals as services


@login_required
@require_GET
def goals_view(request: PersonRequest) -> HttpResponse:
    """The goals with subjects (1 query), milestones (1) and progress of all (1), whatever their number."""
    goals = list(goals_for_user(user=request.user))
    progress = goals_progress(user=request.user, goals=goals)
    rows = [
        {"goal": goal, "progress": decorate(progress[goal.pk], request.user) if goal.pk in progress else None}
        for goal in goals
    ]
    return render(request, "coaching/goals/list.html", {"rows": rows})


@login_required
@require_http_methods(["GET", "POST"])
def goal_new(request: PersonRequest) -> HttpResponseBase:
    form = GoalForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            goal = services.goal_create(user=request.user, **form.service_fields())
        except ValidationError as error:
            errors_to_form(form, error)
        else:
            messages.success(request, "Goal set.")
            return redirect("coaching:goal", goal_id=goal.pk)
    status = 400 if request.method == "POST" else 200
    context = {"form": form, "new": True, "lifts": goal_exercise_suggestions(user=request.user)}
    return render(request, "coaching/goals/form.html", context, status=status)


@login_required
@require_GET
def goal_detail(request: PersonRequest, goal_id: UUID) -> HttpResponse:
    goal = goal_get_for_user(user=request.user, goal_id=goal_id)
    progress = goals_progress(user=request.user, goals=[goal]).get(goal.pk)
    if progress is not None:
        decorate(progress, request.user)
    return render(request, "coaching/goals/detail.html", {"goal": goal, "progress": progress})


@login_required
@require_http_methods(["GET", "POST"])
def goal_edit(request: PersonRequest, goal_id: UUID) -> HttpResponseBase:
    goal = goal_get_for_user(user=request.user, goal_id=goal_id)
    initial = {
        "title": goal.title,
        "target_value": target_shown(goal.target_value, goal.unit, request.user),
        "target_date": goal.target_date,
        "priority": goal.priority,
        "explanation": goal.explanation,
    }
    form = GoalEditForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        from ..goal_display import target_parse

        changes = dict(form.cleaned_data)
        changes["target_value"] = target_parse(changes["target_value"], goal.unit, request.user)
        try:
            services.goal_update(goal=goal, changes=changes)
        except ValidationError as error:
            errors_to_form(form, error)
        else:
            messages.success(request, "Goal changed.")
            return redirect("coaching:goal", goal_id=goal.pk)
    status = 400 if request.method == "POST" else 200
    return render(request, "coaching/goals/form.html", {"form": form, "goal": goal}, status=status)


@login_required
@require_POST
def goal_abandon(request: PersonRequest, goal_id: UUID) -> HttpResponseBase:
    goal = goal_get_for_user(user=request.user, goal_id=goal_id)
    try:
        services.goal_abandon(goal=goal)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, "Goal set aside.")
    return redirect("coaching:goals")


@login_required
@require_http_methods(["GET", "POST"])
def goal_delete(request: PersonRequest, goal_id: UUID) -> HttpResponseBase:
    """GET shows the confirm step; only the POST with `confirm` deletes."""
    goal = goal_get_for_user(user=request.user, goal_id=goal_id)
    if request.method == "POST" and request.POST.get("confirm") == "yes":
        services.goal_delete(goal=goal)
        messages.success(request, "Goal deleted.")
        return redirect("coaching:goals")
    return render(request, "coaching/goals/delete.html", {"goal": goal})


urlpatterns = [
    path("coach/goals/", goals_view, name="goals"),
    path("coach/goals/new/", goal_new, name="goal-new"),
    path("coach/goals/<uuid:goal_id>/", goal_detail, name="goal"),
    path("coach/goals/<uuid:goal_id>/edit/", goal_edit, name="goal-edit"),
    path("coach/goals/<uuid:goal_id>/abandon/", goal_abandon, name="goal-abandon"),
    path("coach/goals/<uuid:goal_id>/delete/", goal_delete, name="goal-delete"),
]
