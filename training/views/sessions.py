"""Pages: the live session logger (also the finished session's page) and the templates list.

One page template, `training/sessions/session.html`, with its swappable regions as partials; every
form posts without JavaScript too (the view then redirects back to the page). Ends with `urlpatterns`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from uuid import UUID

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import path, reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_htmx.http import reswap, retarget, trigger_client_event

from accounts.models import User
from accounts.request_info import PersonRequest

from .. import presenters
from ..forms import ExerciseSearchForm, MediaForm, MetricsForm, SessionFieldsForm, SetForm
from ..models import ActivityType, Exercise, Session, SessionExercise, SessionStatus, Set
from ..selectors import sessions as selectors
from ..selectors.sessions import PreviousPerformance
from ..services import sessions as services

PAGE = "training/sessions/session.html"
TEMPLATES_PAGE = "training/sessions/templates.html"
DEFAULT_REST_SECONDS = 90
SEARCH_LIMIT = 12


def _logger_url(session: Session, anchor: str = "") -> str:
    return reverse("training:session", args=[session.pk]) + (f"#{anchor}" if anchor else "")


def _apply_errors(form: forms.Form, exc: ValidationError, field_map: dict[str, str] | None = None) -> None:
    field_map = field_map or {}
    if hasattr(exc, "error_dict"):
        for key, errors in exc.message_dict.items():
            key = field_map.get(key, key)
            form.add_error(key if key in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


# ---------------------------------------------------------------------------------------------------
# Building what the page shows


def _set_form_ids(se: SessionExercise) -> str:
    """One add-set form per exercise card: ids (and so labels) must differ from card to card."""
    return f"id_set_{se.pk}_%s"


def _card(
    se: SessionExercise, user: User, previous: dict[UUID, PreviousPerformance], form: SetForm | None = None
) -> presenters.ExerciseCard:
    card = presenters.exercise_card(se, previous, user)
    card.set_form = form or SetForm.after(card.sets[-1] if card.sets else None, user=user, auto_id=_set_form_ids(se))
    return card


def _exercises_context(request: PersonRequest, session: Session) -> dict[str, Any]:
    exercises = selectors.session_exercises_with_sets(session=session)
    previous = selectors.previous_performance(
        user=request.user, exercise_ids=[se.exercise_id for se in exercises], exclude_session=session
    )
    cards = [_card(se, request.user, previous) for se in exercises]
    return {"cards": cards, "blocks": presenters.blocks(cards)}


def _strength(session: Session) -> bool:
    """Logged as exercises with sets (the strength logger); anything else is logged as a time, a distance
    and the type's metrics, without the strength chrome."""
    return bool(session.activity_type.uses_exercises)


def _metrics_form(session: Session, user: User, rows: list[Any], data: Any = None) -> MetricsForm | None:
    if _strength(session):
        return MetricsForm(data, templates=rows, user=user) if rows else None
    return MetricsForm(data, templates=rows, user=user, duration=session.duration_seconds or None)


def _base_context(request: PersonRequest, session: Session) -> dict[str, Any]:
    return {
        "session": session,
        "finished": session.status == SessionStatus.FINISHED,
        "strength": _strength(session),
        "editing": True,  # the page itself decides for a finished session (session_view)
        "default_rest": DEFAULT_REST_SECONDS,
        "duration_text": presenters.duration_text(session.duration_seconds),
    }


def _effort_context(session: Session, rows: list[Any], user: User) -> dict[str, Any]:
    """A timed activity's headline numbers: its distance and its pace (a run) or speed (a ride)."""
    if _strength(session):
        return {"met_text": presenters.met_text(session=session, distance_m=None, who=user)}
    distance = next((getattr(r, "value_numeric", None) for r in rows if presenters.metric_is_distance(r, user)), None)
    return {
        "met_text": presenters.met_text(session=session, distance_m=distance, who=user),
        "distance_text": presenters.distance_text(distance, user) if distance is not None else "",
        "pace": presenters.pace_or_speed(
            slug=session.activity_type.slug, distance_m=distance, seconds=session.duration_seconds, who=user
        ),
    }


def _page_context(request: PersonRequest, session: Session, **overrides: Any) -> dict[str, Any]:
    context = _base_context(request, session)
    context.update(_exercises_context(request, session))
    metric_rows = selectors.session_metric_rows(session=session)
    context.update(_effort_context(session, metric_rows, request.user))
    context.update(
        {
            "fields_form": SessionFieldsForm(user=request.user, session=session),
            "metric_values": presenters.metric_values(metric_rows, request.user),
            "metrics_form": _metrics_form(session, request.user, metric_rows),
            "media": selectors.session_media(session=session),
            "media_form": MediaForm(strength=_strength(session)),
            "search_form": ExerciseSearchForm(request.GET or None),
            "search_results": None,
        }
    )
    context.update(overrides)
    return context


def _search(user: User, q: str) -> list[Exercise]:
    q = (q or "").strip()
    if not q:
        return []
    try:
        from ..selectors.library import exercises_search
    except ImportError:
        return list(Exercise.objects.visible_to(user).filter(name__icontains=q).order_by("name")[:SEARCH_LIMIT])
    return list(exercises_search(user=user, q=q, limit=SEARCH_LIMIT))


# ---------------------------------------------------------------------------------------------------
# Pages


@login_required
@require_GET
def session_view(request: PersonRequest, session_id: UUID) -> HttpResponse:
    session = selectors.session_get_for_user(user=request.user, session_id=session_id)
    context = _page_context(request, session)
    # A finished session reads as a record; its controls come back when the person chooses Edit.
    context["editing"] = not context["finished"] or request.GET.get("edit") == "1"
    q = request.GET.get("q", "")
    if q:
        context["search_results"] = _search(request.user, q)
    return render(request, PAGE, context)


@login_required
@require_POST
def session_start_view(request: PersonRequest) -> HttpResponse:
    activity_type = None
    template = repeat = None
    try:
        if request.POST.get("template"):
            template = selectors.session_get_for_user(
                user=request.user, session_id=request.POST["template"], templates=True
            )
        elif request.POST.get("repeat"):
            repeat = selectors.session_get_for_user(user=request.user, session_id=request.POST["repeat"])
        else:
            chosen = request.POST.get("activity_type")
            activity_type = (
                ActivityType.all_types.visible_to(request.user).filter(pk=chosen).first() if chosen else None
            )
            if activity_type is None:
                messages.error(request, "Choose an activity type to start.")
                return redirect("training:index")
        session = services.session_start(
            user=request.user,
            activity_type=activity_type,
            name=request.POST.get("name", "")[:200],
            from_template=template,
            repeat_session=repeat,
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("training:index")
    except (ValueError, TypeError):
        messages.error(request, "Choose an activity type to start.")
        return redirect("training:index")
    return redirect(_logger_url(session))


@login_required
@require_POST
def session_fields_view(request: PersonRequest, session_id: UUID) -> HttpResponse:
    session = selectors.session_get_for_user(user=request.user, session_id=session_id)
    form = SessionFieldsForm(request.POST, user=request.user)
    saved = False
    if form.is_valid():
        data = dict(form.cleaned_data.items())
        if session.status != SessionStatus.FINISHED and data.get("ended_at") is None:
            data.pop("ended_at", None)
        try:
            services.session_update(user=request.user, session=session, **data)
            saved = True
        except ValidationError as exc:
            session = selectors.session_get_for_user(user=request.user, session_id=session_id)
            _apply_errors(form, exc)
    if saved and not request.htmx:
        messages.success(request, "Session details saved.")
        return redirect(_logger_url(session, "details"))
    status = 200 if saved else 400
    context = _base_context(request, session)
    context.update({"fields_form": SessionFieldsForm(user=request.user, session=session) if saved else form})
    context["fields_saved"] = saved
    if request.htmx:
        return render(request, f"{PAGE}#session-fields", context, status=status)
    return render(request, PAGE, _page_context(request, session, fields_form=form), status=status)


@login_required
@require_GET
def exercise_search_view(request: PersonRequest, session_id: UUID) -> HttpResponse:
    session = selectors.session_get_for_user(user=request.user, session_id=session_id)
    if not request.htmx:
        return redirect(_logger_url(session) + "?" + request.GET.urlencode())
    results = _search(request.user, request.GET.get("q", ""))
    return render(
        request,
        f"{PAGE}#search-results",
        {"session": session, "search_results": results, "search_form": ExerciseSearchForm(request.GET)},
    )


def _render_exercise_list(request: PersonRequest, session: Session, status: int = 200) -> HttpResponse:
    context = _base_context(request, session)
    context.update(_exercises_context(request, session))
    return render(request, f"{PAGE}#exercise-list", context, status=status)


@login_required
@require_POST
def exercise_add_view(request: PersonRequest, session_id: UUID) -> HttpResponse:
    session = selectors.session_get_for_user(user=request.user, session_id=session_id)
    try:
        chosen = request.POST.get("exercise")
        exercise = Exercise.objects.visible_to(request.user).filter(pk=chosen).first() if chosen else None
    except ValidationError:
        exercise = None
    if exercise is None:
        messages.error(request, "That exercise was not found.")
        if request.htmx:
            return HttpResponse("That exercise was not found.", status=400)
        return redirect(_logger_url(session))
    se = services.exercise_add(user=request.user, session=session, exercise=exercise)
    if request.htmx:
        return _render_exercise_list(request, session)
    return redirect(_logger_url(session, f"exercise-{se.pk}"))


def _exercise_action(
    request: PersonRequest, session_exercise_id: UUID, action: Callable[[SessionExercise], object]
) -> HttpResponse:
    se = selectors.session_exercise_get_for_user(user=request.user, session_exercise_id=session_exercise_id)
    session = se.session
    try:
        action(se)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    if request.htmx:
        return _render_exercise_list(request, session)
    return redirect(_logger_url(session, "exercises"))


@login_required
@require_POST
def exercise_remove_view(request: PersonRequest, session_exercise_id: UUID) -> HttpResponse:
    return _exercise_action(
        request, session_exercise_id, lambda se: services.exercise_remove(user=request.user, session_exercise=se)
    )


@login_required
@require_POST
def exercise_move_view(request: PersonRequest, session_exercise_id: UUID) -> HttpResponse:
    def move(se: SessionExercise) -> None:
        try:
            position = int(request.POST.get("position", ""))
        except ValueError as exc:
            raise ValidationError("Choose a position.") from exc
        services.exercise_move(user=request.user, session_exercise=se, position=position)

    return _exercise_action(request, session_exercise_id, move)


@login_required
@require_POST
def superset_clear_view(request: PersonRequest, session_exercise_id: UUID) -> HttpResponse:
    return _exercise_action(
        request, session_exercise_id, lambda se: services.superset_clear(user=request.user, session_exercise=se)
    )


@login_required
@require_POST
def superset_set_view(request: PersonRequest, session_id: UUID) -> HttpResponse:
    session = selectors.session_get_for_user(user=request.user, session_id=session_id)
    ids = request.POST.getlist("session_exercises")
    try:
        services.superset_set(user=request.user, session=session, session_exercises=ids)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        if request.htmx:
            return HttpResponse(" ".join(exc.messages), status=400)
    if request.htmx:
        return _render_exercise_list(request, session)
    return redirect(_logger_url(session, "exercises"))


def _set_fragment(request: PersonRequest, se: SessionExercise, s: Set) -> str:
    """The set row plus the exercise's totals, swapped out of band."""
    context = {"s": s, "se": se, "session": se.session, "finished": se.session.status == SessionStatus.FINISHED}
    row = render_to_string(f"{PAGE}#set-row", context, request=request)
    summary = render_to_string(f"{PAGE}#exercise-summary", {**context, "oob": True}, request=request)
    return row + summary


@login_required
@require_POST
def set_add_view(request: PersonRequest, session_exercise_id: UUID) -> HttpResponse:
    se = selectors.session_exercise_get_for_user(user=request.user, session_exercise_id=session_exercise_id)
    form = SetForm(request.POST, user=request.user, auto_id=_set_form_ids(se))
    if form.is_valid():
        try:
            s = services.set_add(user=request.user, session_exercise=se, **form.service_kwargs())
        except ValidationError as exc:
            _apply_errors(form, exc, SetForm.SHOWN_AS)
        else:
            rest = s.rest_seconds or DEFAULT_REST_SECONDS
            if request.htmx:
                response = HttpResponse(_set_fragment(request, se, s), status=201)
                trigger_client_event(response, "announce", {"message": presenters.set_added_text(s, se, request.user)})
                return trigger_client_event(response, "restTimerStart", {"seconds": rest})
            return redirect(_logger_url(se.session, f"exercise-{se.pk}"))
    if request.htmx:
        response = render(request, f"{PAGE}#set-form", {"se": se, "session": se.session, "form": form}, status=400)
        return reswap(retarget(response, f"#set-form-{se.pk}"), "outerHTML")
    session = se.session
    context = _page_context(request, session)
    for card in context["cards"]:
        if card.se.pk == se.pk:
            card.set_form = form
    return render(request, PAGE, context, status=400)


@login_required
@require_http_methods(["GET", "POST"])
def set_edit_view(request: PersonRequest, set_id: UUID) -> HttpResponse:
    s = selectors.set_get_for_user(user=request.user, set_id=set_id)
    se = s.session_exercise
    if request.method == "GET":
        form = SetForm(user=request.user, instance=s, auto_id=f"id_edit_{s.pk}_%s")
        if request.htmx:
            return render(request, f"{PAGE}#set-edit", {"s": s, "se": se, "form": form})
        return render(request, "training/sessions/set_edit.html", {"s": s, "se": se, "form": form})
    form = SetForm(request.POST, user=request.user, auto_id=f"id_edit_{s.pk}_%s")
    if form.is_valid():
        try:
            s = services.set_update(user=request.user, set=s, **form.service_kwargs())
        except ValidationError as exc:
            _apply_errors(form, exc, SetForm.SHOWN_AS)
        else:
            if request.htmx:
                return HttpResponse(_set_fragment(request, se, s))
            return redirect(_logger_url(se.session, f"exercise-{se.pk}"))
    s.refresh_from_db()
    template = f"{PAGE}#set-edit" if request.htmx else "training/sessions/set_edit.html"
    return render(request, template, {"s": s, "se": se, "form": form}, status=400)


def _render_card(request: PersonRequest, se: SessionExercise, **extra: Any) -> HttpResponse:
    session = se.session
    fresh = [x for x in selectors.session_exercises_with_sets(session=session) if x.pk == se.pk][0]
    previous = selectors.previous_performance(
        user=request.user, exercise_ids=[fresh.exercise_id], exclude_session=session
    )
    context = _base_context(request, session)
    context.update({"se": fresh, "card": _card(fresh, request.user, previous), **extra})
    return render(request, f"{PAGE}#exercise-card", context)


@login_required
@require_POST
def set_restore_view(request: PersonRequest, session_exercise_id: UUID) -> HttpResponse:
    """Undo of a set's deletion: its values (as the form showed them) back at its number."""
    se = selectors.session_exercise_get_for_user(user=request.user, session_exercise_id=session_exercise_id)
    form = SetForm(request.POST, user=request.user, auto_id=False)
    try:
        number = int(request.POST.get("number", ""))
    except ValueError:
        number = 0
    if form.is_valid():
        try:
            services.set_restore(user=request.user, session_exercise=se, number=number, **form.service_kwargs())
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
    else:
        messages.error(request, "That set could not be put back.")
    if request.htmx:
        return _render_card(request, se)
    return redirect(_logger_url(se.session, f"exercise-{se.pk}"))


@login_required
@require_POST
def set_delete_view(request: PersonRequest, set_id: UUID) -> HttpResponse:
    s = selectors.set_get_for_user(user=request.user, set_id=set_id)
    se = s.session_exercise
    # What undo puts back: the set's values as the form shows them (in the person's units), and its place.
    undo = SetForm(user=request.user, instance=s, auto_id=False)
    number = s.number
    services.set_delete(user=request.user, set=s)
    if request.htmx:
        # Later sets are renumbered: the whole card is swapped, with an Undo for the set just deleted.
        return _render_card(request, se, undo={"form": undo, "number": number})
    return redirect(_logger_url(se.session, f"exercise-{se.pk}"))


@login_required
@require_POST
def metrics_view(request: PersonRequest, session_id: UUID) -> HttpResponse:
    session = selectors.session_get_for_user(user=request.user, session_id=session_id)
    rows = selectors.session_metric_rows(session=session)
    form = _metrics_form(session, request.user, rows, request.POST)
    if form is None:
        raise Http404("This session has no metrics.")
    saved = False
    if form.is_valid():
        try:
            with transaction.atomic():  # the time and the metrics together, or neither
                seconds = form.cleaned_data.get("duration")
                if seconds:
                    session = services.session_duration_set(user=request.user, session=session, seconds=seconds)
                services.metrics_save(user=request.user, session=session, values=form.service_values())
            saved = True
        except ValidationError as exc:
            _apply_errors(form, exc)
    if saved and not request.htmx:
        messages.success(request, "Saved.")
        return redirect(_logger_url(session, "metrics"))
    if saved:
        session = selectors.session_get_for_user(user=request.user, session_id=session_id)
        rows = selectors.session_metric_rows(session=session)
        form = _metrics_form(session, request.user, rows)
    context = _base_context(request, session)
    context.update(_effort_context(session, rows, request.user))
    context.update(
        {"metrics_form": form, "metric_values": presenters.metric_values(rows, request.user), "metrics_saved": saved}
    )
    status = 200 if saved else 400
    if request.htmx:
        return render(request, f"{PAGE}#metrics", context, status=status)
    return render(request, PAGE, _page_context(request, session, metrics_form=form), status=status)


@login_required
@require_POST
def media_view(request: PersonRequest, session_id: UUID) -> HttpResponse:
    session = selectors.session_get_for_user(user=request.user, session_id=session_id)
    form = MediaForm(request.POST, request.FILES, strength=_strength(session))
    if form.is_valid():
        try:
            services.media_add(
                user=request.user,
                session=session,
                file=form.cleaned_data["file"],
                caption=form.cleaned_data["caption"],
                is_progress_photo=form.cleaned_data.get("is_progress_photo", False),
                is_form_check=form.cleaned_data.get("is_form_check", False),
            )
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, "Uploaded.")
            return redirect(_logger_url(session, "media"))
    return render(request, PAGE, _page_context(request, session, media_form=form), status=400)


@login_required
@require_POST
def session_finish_view(request: PersonRequest, session_id: UUID) -> HttpResponse:
    session = selectors.session_get_for_user(user=request.user, session_id=session_id)
    try:
        services.session_finish(user=request.user, session=session)
    except ValidationError as exc:
        text = " ".join(exc.messages)
        if services.SESSION_TOO_LONG in exc.messages:
            # Finishing now would make it too long: the end is set by hand under Details first.
            text += " Set when it ended under Details, then finish."
        messages.error(request, text)
    else:
        messages.success(request, "Session finished. Well done!")
    return redirect(_logger_url(session))


@login_required
@require_http_methods(["GET", "POST"])
def session_delete_view(request: PersonRequest, session_id: UUID) -> HttpResponse:
    """GET asks (a page of its own, away from Finish); POST deletes."""
    session = selectors.session_get_for_user(user=request.user, session_id=session_id)
    if request.method == "GET":
        return render(request, "training/sessions/delete.html", _base_context(request, session))
    services.session_delete(user=request.user, session=session)
    messages.success(request, "Session deleted.")
    return redirect("training:index")


@login_required
@require_POST
def session_save_template_view(request: PersonRequest, session_id: UUID) -> HttpResponse:
    session = selectors.session_get_for_user(user=request.user, session_id=session_id)
    try:
        services.template_save_from_session(user=request.user, session=session, name=request.POST.get("name", ""))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect(_logger_url(session))
    messages.success(request, "Saved as a template.")
    return redirect("training:templates")


# ---------------------------------------------------------------------------------------------------
# Templates


@login_required
@require_GET
def templates_view(request: PersonRequest) -> HttpResponse:
    return render(request, TEMPLATES_PAGE, {"templates": selectors.templates_for_user(user=request.user)})


@login_required
@require_POST
def template_rename_view(request: PersonRequest, template_id: UUID) -> HttpResponse:
    template = selectors.session_get_for_user(user=request.user, session_id=template_id, templates=True)
    try:
        services.template_rename(user=request.user, template=template, name=request.POST.get("name", ""))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        status = 400
    else:
        messages.success(request, "Template renamed.")
        status = 200
    if request.htmx:
        return render(
            request,
            f"{TEMPLATES_PAGE}#template-list",
            {"templates": selectors.templates_for_user(user=request.user)},
            status=status,
        )
    return redirect("training:templates")


@login_required
@require_POST
def template_delete_view(request: PersonRequest, template_id: UUID) -> HttpResponse:
    template = selectors.session_get_for_user(user=request.user, session_id=template_id, templates=True)
    services.template_delete(user=request.user, template=template)
    if request.htmx:
        return render(
            request, f"{TEMPLATES_PAGE}#template-list", {"templates": selectors.templates_for_user(user=request.user)}
        )
    messages.success(request, "Template deleted.")
    return redirect("training:templates")


@login_required
@require_POST
def template_start_view(request: PersonRequest, template_id: UUID) -> HttpResponse:
    template = selectors.session_get_for_user(user=request.user, session_id=template_id, templates=True)
    session = services.session_start(user=request.user, from_template=template)
    return redirect(_logger_url(session))


urlpatterns = [
    path("sessions/start/", session_start_view, name="session-start"),
    path("sessions/<uuid:session_id>/", session_view, name="session"),
    path("sessions/<uuid:session_id>/details/", session_fields_view, name="session-fields"),
    path("sessions/<uuid:session_id>/search/", exercise_search_view, name="session-search"),
    path("sessions/<uuid:session_id>/exercises/", exercise_add_view, name="session-exercise-add"),
    path("sessions/<uuid:session_id>/superset/", superset_set_view, name="session-superset"),
    path("sessions/<uuid:session_id>/metrics/", metrics_view, name="session-metrics"),
    path("sessions/<uuid:session_id>/media/", media_view, name="session-media"),
    path("sessions/<uuid:session_id>/finish/", session_finish_view, name="session-finish"),
    path("sessions/<uuid:session_id>/delete/", session_delete_view, name="session-delete"),
    path("sessions/<uuid:session_id>/save-template/", session_save_template_view, name="session-save-template"),
    path("session-exercises/<uuid:session_exercise_id>/remove/", exercise_remove_view, name="exercise-remove"),
    path("session-exercises/<uuid:session_exercise_id>/move/", exercise_move_view, name="exercise-move"),
    path("session-exercises/<uuid:session_exercise_id>/ungroup/", superset_clear_view, name="exercise-ungroup"),
    path("session-exercises/<uuid:session_exercise_id>/sets/", set_add_view, name="set-add"),
    path("sets/<uuid:set_id>/edit/", set_edit_view, name="set-edit"),
    path("sets/<uuid:set_id>/delete/", set_delete_view, name="set-delete"),
    path("session-exercises/<uuid:session_exercise_id>/sets/restore/", set_restore_view, name="set-restore"),
    path("templates/", templates_view, name="templates"),
    path("templates/<uuid:template_id>/rename/", template_rename_view, name="template-rename"),
    path("templates/<uuid:template_id>/delete/", template_delete_view, name="template-delete"),
    path("templates/<uuid:template_id>/start/", template_start_view, name="template-start"),
]
