"""Pages: following a program — enrol (from the program page), the current program (/train/program/:
today's workout with its targets, start, skip, pause/resume, restart the week, leave, adherence and e1RM
charts, the weeks with their marks) and a past enrolment (/train/program/<id>/).

One page template, `training/enrollments/enrollment.html`; its swappable region is the `enrollment-main`
partial (htmx actions re-render it); `confirm.html` is the confirm step of leaving. Every action is a
POST (a GET is 405) and works without JavaScript (the view then redirects back). Another person's
enrolment is a 404. Ends with `urlpatterns`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.views.decorators.http import require_GET, require_POST
from django_htmx.http import HttpResponseClientRedirect

from accounts.models import User
from accounts.request_info import PersonRequest

from .. import presenters
from ..forms import EnrolForm
from ..models import CURRENT_ENROLLMENT_STATUSES, Enrollment, Program
from ..selectors import enrollments as selectors
from ..services import enrollments as services

PAGE = "training/enrollments/enrollment.html"
CONFIRM = "training/enrollments/confirm.html"
PAST_SHOWN = 10


def enrollment_context(user: User, enrollment: Enrollment | None) -> dict[str, Any]:
    """What the page shows: with an enrolment, today's workout (current ones only) and the progress; a
    constant number of queries (three for the workout, four for the progress)."""
    context: dict[str, Any] = {"enrollment": enrollment}
    if enrollment is None:
        return context
    is_current = enrollment.status in CURRENT_ENROLLMENT_STATUSES
    workout = selectors.todays_workout(user, enrollment) if is_current else None
    progress = selectors.enrollment_progress(enrollment)
    context.update(
        {
            "is_current": is_current,
            "workout": workout,
            "targets": presenters.target_rows(workout.targets, user) if workout else [],
            "progress": progress,
            "adherence_chart": presenters.adherence_chart(progress.weeks),
            "e1rm_chart": presenters.e1rm_chart(progress.lifts, user),
            "lift_rows": [
                (lift.name, [(week, presenters.weight_text(kg, user)) for week, kg in lift.points])
                for lift in progress.lifts
            ],
        }
    )
    return context


def _page_url(enrollment: Enrollment) -> str:
    if enrollment.status in CURRENT_ENROLLMENT_STATUSES:
        return reverse("training:enrollment-current")
    return reverse("training:enrollment", args=[enrollment.pk])


@login_required
@require_GET
def enrollment_current_view(request: PersonRequest) -> HttpResponse:
    enrollment = selectors.enrollment_current(request.user)
    context = enrollment_context(request.user, enrollment)
    if enrollment is None:
        context["past"] = list(selectors.enrollments_of(request.user)[:PAST_SHOWN])
    return render(request, PAGE, context)


@login_required
@require_GET
def enrollment_view(request: PersonRequest, enrollment_id: UUID) -> HttpResponse:
    enrollment = selectors.enrollment_get(user=request.user, enrollment_id=enrollment_id)
    return render(request, PAGE, enrollment_context(request.user, enrollment))


@login_required
@require_POST
def program_enrol_view(request: PersonRequest, program_id: UUID) -> HttpResponse:
    program = Program.objects.filter(pk=program_id).first()
    if program is None:
        raise Http404("Program not found.")
    form = EnrolForm(request.POST)
    back = reverse("training:program", args=[program_id]) + "#enrol"
    if not form.is_valid():
        messages.error(request, "Enter a valid start date.")
        return redirect(back)
    try:
        # The service checks the program is one the person may follow (else NotFound: a 404).
        services.enrollment_create(
            user=request.user,
            program=program,
            start_date=form.cleaned_data["start_date"],
            replace=form.cleaned_data["replace"],
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect(back)
    messages.success(request, f"You are following {program.name}. Here is your first workout.")
    return redirect("training:enrollment-current")


@login_required
@require_POST
def enrollment_start_view(request: PersonRequest, enrollment_id: UUID) -> HttpResponse:
    enrollment = selectors.enrollment_get(user=request.user, enrollment_id=enrollment_id)
    try:
        session, _ = services.enrollment_start_workout(user=request.user, enrollment=enrollment)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect(_page_url(enrollment))
    url = reverse("training:session", args=[session.pk])
    return HttpResponseClientRedirect(url) if request.htmx else redirect(url)


def _act(request: PersonRequest, enrollment_id: UUID, action: Callable[..., Enrollment], done: str) -> HttpResponse:
    enrollment = selectors.enrollment_get(user=request.user, enrollment_id=enrollment_id)
    error = ""
    try:
        enrollment = action(user=request.user, enrollment=enrollment)
    except ValidationError as exc:
        error = " ".join(exc.messages)
    if request.htmx:
        enrollment = selectors.enrollment_get(user=request.user, enrollment_id=enrollment_id)
        context = enrollment_context(request.user, enrollment)
        context["action_message"] = error or done
        return render(request, f"{PAGE}#enrollment-main", context, status=400 if error else 200)
    if error:
        messages.error(request, error)
    else:
        messages.success(request, done)
    return redirect(_page_url(enrollment))


@login_required
@require_POST
def enrollment_skip_view(request: PersonRequest, enrollment_id: UUID) -> HttpResponse:
    return _act(request, enrollment_id, services.enrollment_skip_day, "Day skipped.")


@login_required
@require_POST
def enrollment_pause_view(request: PersonRequest, enrollment_id: UUID) -> HttpResponse:
    return _act(request, enrollment_id, services.enrollment_pause, "Program paused.")


@login_required
@require_POST
def enrollment_resume_view(request: PersonRequest, enrollment_id: UUID) -> HttpResponse:
    return _act(request, enrollment_id, services.enrollment_resume, "Welcome back: the program goes on.")


@login_required
@require_POST
def enrollment_restart_week_view(request: PersonRequest, enrollment_id: UUID) -> HttpResponse:
    return _act(request, enrollment_id, services.enrollment_restart_week, "The week starts again.")


@login_required
@require_POST
def enrollment_leave_view(request: PersonRequest, enrollment_id: UUID) -> HttpResponse:
    """Leaving asks first: a post without `confirm` shows the confirm step."""
    enrollment = selectors.enrollment_get(user=request.user, enrollment_id=enrollment_id)
    if request.POST.get("confirm") != "yes":
        return render(request, CONFIRM, {"enrollment": enrollment})
    try:
        services.enrollment_leave(user=request.user, enrollment=enrollment)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect(_page_url(enrollment))
    messages.success(request, f"You left {enrollment.program.name}.")
    url = reverse("training:enrollment", args=[enrollment.pk])
    return HttpResponseClientRedirect(url) if request.htmx else redirect(url)


urlpatterns = [
    path("program/", enrollment_current_view, name="enrollment-current"),
    path("program/<uuid:enrollment_id>/", enrollment_view, name="enrollment"),
    path("program/<uuid:enrollment_id>/start/", enrollment_start_view, name="enrollment-start"),
    path("program/<uuid:enrollment_id>/skip/", enrollment_skip_view, name="enrollment-skip"),
    path("program/<uuid:enrollment_id>/pause/", enrollment_pause_view, name="enrollment-pause"),
    path("program/<uuid:enrollment_id>/resume/", enrollment_resume_view, name="enrollment-resume"),
    path("program/<uuid:enrollment_id>/restart-week/", enrollment_restart_week_view, name="enrollment-restart-week"),
    path("program/<uuid:enrollment_id>/leave/", enrollment_leave_view, name="enrollment-leave"),
    path("programs/<uuid:program_id>/enrol/", program_enrol_view, name="program-enrol"),
]
