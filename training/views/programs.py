"""Pages: programs — browse and search, the program page, and the builder (days, exercises and their
targets, reorder, copy a week, publish, archive, copy, delete).

Pages: `training/programs/list.html` (results as a partial), `detail.html`, `form.html` (create),
`edit.html` (the builder; its weeks are one swappable partial, an exercise's row and edit form two more)
and `confirm.html` (the no-JavaScript confirm step of delete and archive). Every form posts without
JavaScript too (the view then redirects back). Ends with `urlpatterns`.
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_htmx.http import reswap, retarget

from accounts.request_info import PersonRequest

from .. import presenters
from ..forms import ProgramBrowseForm, ProgramDayForm, ProgramExerciseForm, ProgramForm, WeekCopyForm
from ..models import ActivityType, Difficulty, Program, ProgramExercise, ProgramStatus
from ..selectors import enrollments as enrollment_selectors
from ..selectors import programs as selectors
from ..selectors.library import exercises_search
from ..services import programs as services

LIST = "training/programs/list.html"
DETAIL = "training/programs/detail.html"
FORM = "training/programs/form.html"
EDIT = "training/programs/edit.html"
CONFIRM = "training/programs/confirm.html"
PAGE_SIZE = 20
SEARCH_LIMIT = 10


def _apply_errors(form: forms.Form, exc: ValidationError, shown_as: dict[str, str] | None = None) -> None:
    shown_as = shown_as or {}
    if hasattr(exc, "error_dict"):
        for key, errors in exc.message_dict.items():
            key = shown_as.get(key, key)
            form.add_error(key if key in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


def _edit_url(program: Program, anchor: str = "") -> str:
    return reverse("training:program-edit", args=[program.pk]) + (f"#{anchor}" if anchor else "")


# ---------------------------------------------------------------------------------------------------
# Browse


@login_required
@require_GET
def programs_view(request: PersonRequest) -> HttpResponse:
    form = ProgramBrowseForm(request.GET or None)
    filters = form.filters() if request.GET else ProgramBrowseForm({}).filters()
    paginator = Paginator(selectors.programs_browse(user=request.user, **filters), PAGE_SIZE)
    page = paginator.get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context: dict[str, Any] = {
        "page": page,
        "filters": filters,
        "query": query.urlencode(),
        "searching": any(v for k, v in filters.items() if k != "mine"),
    }
    if request.htmx and request.htmx.target == "program-results":
        return render(request, f"{LIST}#program-results", context)
    context.update(
        {
            "activity_types": ActivityType.objects.order_by("display_order", "name").only("id", "name"),
            "difficulties": Difficulty.choices,
            "lengths": [(k, label) for k, (label, _, _) in selectors.LENGTHS.items()],
            "equipment_choices": selectors.program_equipment_choices(),
        }
    )
    return render(request, LIST, context)


# ---------------------------------------------------------------------------------------------------
# Create, read


@login_required
@require_http_methods(["GET", "POST"])
def program_create_view(request: PersonRequest) -> HttpResponse:
    form = ProgramForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            program = services.program_create(user=request.user, **form.service_kwargs())
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, "Program created. Add its days week by week.")
            return redirect(_edit_url(program))
    status = 400 if request.method == "POST" else 200
    return render(request, FORM, {"form": form}, status=status)


@login_required
@require_GET
def program_view(request: PersonRequest, program_id: UUID) -> HttpResponse:
    program = selectors.program_detail(user=request.user, program_id=program_id)
    context = {
        "program": program,
        "weeks": presenters.program_weeks(program, request.user),
        "can_edit": selectors.can_edit(request.user, program),
        "activity_types": list(program.activity_types.all()),
        "current_enrollment": enrollment_selectors.enrollment_current(request.user),
    }
    return render(request, DETAIL, context)


# ---------------------------------------------------------------------------------------------------
# The builder


def _builder_context(request: PersonRequest, program: Program, **extra: Any) -> dict[str, Any]:
    context: dict[str, Any] = {
        "program": program,
        "weeks": presenters.program_weeks(program, request.user),
        "activity_types": ActivityType.objects.order_by("display_order", "name").only("id", "name"),
        "publish_errors": services.program_publish_errors(program) if program.status != ProgramStatus.ACTIVE else [],
        "week_copy_form": WeekCopyForm(),
    }
    context.update(extra)
    return context


def _render_weeks(request: PersonRequest, program_id: UUID, errors: list[str], status: int = 200) -> HttpResponse:
    program = selectors.program_for_edit(user=request.user, program_id=program_id)
    context = _builder_context(request, program, builder_errors=errors)
    return render(request, f"{EDIT}#builder-weeks", context, status=status)


def _done(
    request: PersonRequest, program: Program, anchor: str = "", error: ValidationError | None = None
) -> HttpResponse:
    """After a builder write: htmx gets the weeks again (with the error above them), a plain post a
    redirect (with the error as a message)."""
    if request.htmx:
        errors = error.messages if error is not None else []
        return _render_weeks(request, program.pk, errors, status=400 if error is not None else 200)
    if error is not None:
        messages.error(request, " ".join(error.messages))
    return redirect(_edit_url(program, anchor))


@login_required
@require_http_methods(["GET", "POST"])
def program_edit_view(request: PersonRequest, program_id: UUID) -> HttpResponse:
    program = selectors.program_for_edit(user=request.user, program_id=program_id)
    if request.method == "POST":
        form = ProgramForm(request.POST, request.FILES, program=program)
        if form.is_valid():
            try:
                services.program_update(user=request.user, program=program, **form.service_kwargs())
            except ValidationError as exc:
                _apply_errors(form, exc)
            else:
                messages.success(request, "Program saved.")
                return redirect(_edit_url(program))
        program = selectors.program_for_edit(user=request.user, program_id=program_id)
        return render(request, EDIT, _builder_context(request, program, form=form), status=400)
    return render(request, EDIT, _builder_context(request, program, form=ProgramForm(program=program)))


@login_required
@require_POST
def program_day_add_view(request: PersonRequest, program_id: UUID) -> HttpResponse:
    program = selectors.program_get_for_edit(user=request.user, program_id=program_id)
    form = ProgramDayForm(request.POST, user=request.user)
    error = None
    if form.is_valid():
        try:
            services.program_session_add(user=request.user, program=program, **form.service_kwargs())
        except ValidationError as exc:
            error = exc
    else:
        error = ValidationError(
            [f"{form.fields[k].label or k}: {' '.join(map(str, v))}" for k, v in form.errors.items()]
        )
    return _done(request, program, f"week-{request.POST.get('week', '')}", error)


@login_required
@require_http_methods(["GET", "POST"])
def program_day_edit_view(request: PersonRequest, program_session_id: UUID) -> HttpResponse:
    ps = selectors.program_session_get_for_edit(user=request.user, program_session_id=program_session_id)
    if request.method == "GET":
        form = ProgramDayForm(user=request.user, instance=ps)
        template = f"{EDIT}#day-edit" if request.htmx else EDIT
        context = {"ps": ps, "day_form": form}
        if not request.htmx:
            program = selectors.program_for_edit(user=request.user, program_id=ps.program_id)
            context = _builder_context(
                request, program, form=ProgramForm(program=program), editing_day=ps.pk, **context
            )
        return render(request, template, context)
    form = ProgramDayForm(request.POST, user=request.user)
    if form.is_valid():
        try:
            services.program_session_update(user=request.user, program_session=ps, **form.service_kwargs())
        except ValidationError as exc:
            _apply_errors(form, exc, ProgramDayForm.SHOWN_AS)
        else:
            return _done(request, ps.program, f"day-{ps.pk}")
    ps.refresh_from_db()
    response = render(request, f"{EDIT}#day-edit", {"ps": ps, "day_form": form}, status=400)
    return reswap(retarget(response, f"#day-edit-{ps.pk}"), "innerHTML") if request.htmx else response


@login_required
@require_POST
def program_day_delete_view(request: PersonRequest, program_session_id: UUID) -> HttpResponse:
    ps = selectors.program_session_get_for_edit(user=request.user, program_session_id=program_session_id)
    try:
        services.program_session_delete(user=request.user, program_session=ps)
    except ValidationError as exc:
        return _done(request, ps.program, f"week-{ps.week}", exc)
    return _done(request, ps.program, f"week-{ps.week}")


@login_required
@require_POST
def program_day_move_view(request: PersonRequest, program_session_id: UUID) -> HttpResponse:
    """Up or down within the week (trading places with the neighbour)."""
    ps = selectors.program_session_get_for_edit(user=request.user, program_session_id=program_session_id)
    step = -1 if request.POST.get("direction") == "up" else 1
    try:
        services.program_session_move(user=request.user, program_session=ps, week=ps.week, day=ps.day + step)
    except ValidationError as exc:
        return _done(request, ps.program, f"week-{ps.week}", exc)
    return _done(request, ps.program, f"week-{ps.week}")


@login_required
@require_POST
def program_week_copy_view(request: PersonRequest, program_id: UUID) -> HttpResponse:
    program = selectors.program_get_for_edit(user=request.user, program_id=program_id)
    form = WeekCopyForm(request.POST)
    error = None
    if form.is_valid():
        try:
            services.program_week_copy(user=request.user, program=program, **form.cleaned_data)
        except ValidationError as exc:
            error = exc
    else:
        error = ValidationError("Choose the weeks to copy from and to.")
    return _done(request, program, f"week-{request.POST.get('to_week', '')}", error)


@login_required
@require_GET
def program_day_search_view(request: PersonRequest, program_session_id: UUID) -> HttpResponse:
    """The session page's typo-tolerant exercise search, for one day of the builder."""
    ps = selectors.program_session_get_for_edit(user=request.user, program_session_id=program_session_id)
    q = (request.GET.get("q") or "").strip()
    results = list(exercises_search(user=request.user, q=q, limit=SEARCH_LIMIT)) if q else None
    context = {"ps": ps, "search_results": results, "q": q}
    if request.htmx:
        return render(request, f"{EDIT}#day-search-results", context)
    program = selectors.program_for_edit(user=request.user, program_id=ps.program_id)
    context = _builder_context(request, program, form=ProgramForm(program=program), searching_day=ps.pk, **context)
    return render(request, EDIT, context)


@login_required
@require_POST
def program_exercise_add_view(request: PersonRequest, program_session_id: UUID) -> HttpResponse:
    ps = selectors.program_session_get_for_edit(user=request.user, program_session_id=program_session_id)
    try:
        services.program_exercise_add(user=request.user, program_session=ps, exercise=request.POST.get("exercise"))
    except ValidationError as exc:
        return _done(request, ps.program, f"day-{ps.pk}", exc)
    return _done(request, ps.program, f"day-{ps.pk}")


def _exercise_row(request: PersonRequest, pe: ProgramExercise, status: int = 200) -> HttpResponse:
    row = presenters.program_exercise_row(pe, request.user)
    return render(
        request, f"{EDIT}#exercise-row", {"row": row, "ps": pe.session, "program": pe.session.program}, status=status
    )


@login_required
@require_http_methods(["GET", "POST"])
def program_exercise_edit_view(request: PersonRequest, program_exercise_id: UUID) -> HttpResponse:
    pe = selectors.program_exercise_get_for_edit(user=request.user, program_exercise_id=program_exercise_id)
    if request.method == "GET":
        form = ProgramExerciseForm(user=request.user, instance=pe)
        if request.htmx:
            return render(request, f"{EDIT}#exercise-edit", {"pe": pe, "exercise_form": form})
        return render(request, "training/programs/exercise_edit.html", {"pe": pe, "exercise_form": form})
    form = ProgramExerciseForm(request.POST, user=request.user)
    if form.is_valid():
        try:
            pe = services.program_exercise_update(user=request.user, program_exercise=pe, **form.service_kwargs())
        except ValidationError as exc:
            _apply_errors(form, exc, ProgramExerciseForm.SHOWN_AS)
        else:
            if request.htmx:
                return _exercise_row(request, pe)
            return redirect(_edit_url(pe.session.program, f"day-{pe.session_id}"))
    pe.refresh_from_db()
    template = f"{EDIT}#exercise-edit" if request.htmx else "training/programs/exercise_edit.html"
    return render(request, template, {"pe": pe, "exercise_form": form}, status=400)


@login_required
@require_POST
def program_exercise_delete_view(request: PersonRequest, program_exercise_id: UUID) -> HttpResponse:
    pe = selectors.program_exercise_get_for_edit(user=request.user, program_exercise_id=program_exercise_id)
    try:
        services.program_exercise_delete(user=request.user, program_exercise=pe)
    except ValidationError as exc:
        return _done(request, pe.session.program, f"day-{pe.session_id}", exc)
    return _done(request, pe.session.program, f"day-{pe.session_id}")


@login_required
@require_POST
def program_exercise_move_view(request: PersonRequest, program_exercise_id: UUID) -> HttpResponse:
    pe = selectors.program_exercise_get_for_edit(user=request.user, program_exercise_id=program_exercise_id)
    step = -1 if request.POST.get("direction") == "up" else 1
    services.program_exercise_move(user=request.user, program_exercise=pe, position=pe.order + step)
    return _done(request, pe.session.program, f"day-{pe.session_id}")


# ---------------------------------------------------------------------------------------------------
# Publish, archive, copy, delete


@login_required
@require_POST
def program_publish_view(request: PersonRequest, program_id: UUID) -> HttpResponse:
    program = selectors.program_get_for_edit(user=request.user, program_id=program_id)
    try:
        services.program_publish(user=request.user, program=program)
    except ValidationError as exc:
        messages.error(request, "Not published yet: " + " ".join(exc.messages))
        return redirect(_edit_url(program))
    messages.success(request, "Published.")
    return redirect("training:program", program.pk)


def _confirm(
    request: PersonRequest, program: Program, *, action: str, title: str, text: str, button: str
) -> HttpResponse:
    return render(
        request,
        CONFIRM,
        {
            "program": program,
            "action": reverse(action, args=[program.pk]),
            "title": title,
            "text": text,
            "button": button,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def program_archive_view(request: PersonRequest, program_id: UUID) -> HttpResponse:
    program = selectors.program_get_for_edit(user=request.user, program_id=program_id)
    if request.method == "GET" or request.POST.get("confirm") != "yes":
        return _confirm(
            request,
            program,
            action="training:program-archive",
            title=f"Archive “{program.name}”?",
            text="It leaves browse and search. People following it can still read and finish it.",
            button="Archive",
        )
    try:
        services.program_archive(user=request.user, program=program)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, "Archived.")
    return redirect("training:program", program.pk)


@login_required
@require_http_methods(["GET", "POST"])
def program_delete_view(request: PersonRequest, program_id: UUID) -> HttpResponse:
    program = selectors.program_get_for_edit(user=request.user, program_id=program_id)
    if request.method == "GET" or request.POST.get("confirm") != "yes":
        return _confirm(
            request,
            program,
            action="training:program-delete",
            title=f"Delete “{program.name}”?",
            text="It disappears with all its weeks. This cannot be undone here.",
            button="Delete",
        )
    try:
        services.program_delete(user=request.user, program=program)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("training:program", program.pk)
    messages.success(request, "Program deleted.")
    return redirect(reverse("training:programs") + "?tab=mine")


@login_required
@require_POST
def program_copy_view(request: PersonRequest, program_id: UUID) -> HttpResponse:
    program = selectors.program_detail(user=request.user, program_id=program_id)
    copy = services.program_copy(user=request.user, program=program)
    messages.success(request, "Copied: this is your own draft now.")
    return redirect(_edit_url(copy))


urlpatterns = [
    path("programs/", programs_view, name="programs"),
    path("programs/new/", program_create_view, name="program-create"),
    path("programs/<uuid:program_id>/", program_view, name="program"),
    path("programs/<uuid:program_id>/edit/", program_edit_view, name="program-edit"),
    path("programs/<uuid:program_id>/days/", program_day_add_view, name="program-day-add"),
    path("programs/<uuid:program_id>/copy-week/", program_week_copy_view, name="program-week-copy"),
    path("programs/<uuid:program_id>/publish/", program_publish_view, name="program-publish"),
    path("programs/<uuid:program_id>/archive/", program_archive_view, name="program-archive"),
    path("programs/<uuid:program_id>/copy/", program_copy_view, name="program-copy"),
    path("programs/<uuid:program_id>/delete/", program_delete_view, name="program-delete"),
    path("program-days/<uuid:program_session_id>/", program_day_edit_view, name="program-day-edit"),
    path("program-days/<uuid:program_session_id>/delete/", program_day_delete_view, name="program-day-delete"),
    path("program-days/<uuid:program_session_id>/move/", program_day_move_view, name="program-day-move"),
    path("program-days/<uuid:program_session_id>/search/", program_day_search_view, name="program-day-search"),
    path("program-days/<uuid:program_session_id>/exercises/", program_exercise_add_view, name="program-exercise-add"),
    path("program-exercises/<uuid:program_exercise_id>/", program_exercise_edit_view, name="program-exercise-edit"),
    path(
        "program-exercises/<uuid:program_exercise_id>/delete/",
        program_exercise_delete_view,
        name="program-exercise-delete",
    ),
    path(
        "program-exercises/<uuid:program_exercise_id>/move/", program_exercise_move_view, name="program-exercise-move"
    ),
]
