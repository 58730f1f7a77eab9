"""Admin for session cards (issue 13, items 3–4): the trainer writes a card — the session's exercises and
sets inline, in the trainer's units — and reads the cards of their clients; gym staff of the trainer's
location read them (without the workout: that is the client's training data); superusers all.

The write page calls coaching.services.cards.session_card_write, which logs the workout in the client's
training log (recorded by the trainer, needs the client's write grant), completes the booking, moves the
client's program on and updates the stats — all or nothing. A refusal is shown on the form.
"""

from __future__ import annotations

import re
import uuid
from contextvars import ContextVar
from decimal import Decimal
from typing import Any

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Model, QuerySet
from django.forms import formset_factory
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import URLPattern, path, reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join

from accounts.request_info import request_user
from fitjourney import units
from fitjourney.errors import DomainError
from fitjourney.hooks import roles
from training.models import ActivityType
from training.selectors.library import exercises_search, exercises_visible

from ..models import Booking, Client, ClientStatus, SessionCard
from ..models.gym import UPCOMING_BOOKING_STATUSES
from ..selectors import gym_scope
from ..services import cards as services
from .gym import ClientChoice, GymAdmin, _choices, error_text

roles.register_role_permissions(roles.TRAINER, ["coaching.view_sessioncard", "coaching.add_sessioncard"])
roles.register_role_permissions(roles.GYM_STAFF, ["coaching.view_sessioncard"])

MAX_EXERCISES = 12
STRENGTH_SLUG = "weight-training"
_VIEWER: ContextVar[Any] = ContextVar("session_card_admin_viewer")
_ROW_ERROR = re.compile(r"^workout\.exercises\[(\d+)\]")


class BookingChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Booking) -> str:
        member = obj.member
        name = (member.get_full_name() or member.username) if member else "Former member"
        return f"{timezone.localtime(obj.starts_at):%a %-d %b, %H:%M} · {name} · {obj.title}"


class CardForm(forms.Form):
    booking = BookingChoice(
        queryset=Booking.objects.none(),
        required=False,
        help_text="The booked session this card records (it is completed). Leave empty for a session without one.",
    )
    client = ClientChoice(queryset=Client.objects.none(), required=False, help_text="Taken from the booking if empty.")
    activity_type = forms.ModelChoiceField(queryset=ActivityType.objects.none(), label="Activity")
    title = forms.CharField(max_length=120)
    duration_minutes = forms.IntegerField(label="Minutes", min_value=1, max_value=600, initial=60)
    feedback = forms.CharField(widget=forms.Textarea(attrs={"rows": 4}), required=False, max_length=5000)
    next_session_goals = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}), required=False, help_text="One per line.", max_length=2000
    )
    effort_rating = forms.TypedChoiceField(
        choices=[("", "—"), *[(n, str(n)) for n in range(1, 6)]],
        coerce=int,
        empty_value=None,
        required=False,
        label="Client's effort (1–5)",
    )

    def __init__(self, *args: Any, trainer_user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _choices(self, "client").queryset = Client.objects.filter(
            trainer__user=trainer_user, status=ClientStatus.ACTIVE, member__isnull=False
        ).select_related("member", "trainer__user")
        _choices(self, "booking").queryset = (
            Booking.objects.filter(
                trainer__user=trainer_user,
                status__in=UPCOMING_BOOKING_STATUSES,
                starts_at__lte=timezone.now(),
                card__isnull=True,
            )
            .select_related("member")
            .order_by("-starts_at")
        )
        _choices(self, "activity_type").queryset = ActivityType.objects.filter(uses_exercises=True)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        booking, client = data.get("booking"), data.get("client")
        if booking is not None:
            if client is not None and client.pk != booking.client_id:
                self.add_error("client", "This booking is with another client.")
            data["client"] = booking.client
        elif client is None and not self.has_error("client"):
            self.add_error("client", "Choose the client (or the booking).")
        return data


class ExerciseRowForm(forms.Form):
    exercise = forms.CharField(
        max_length=200, required=False, widget=forms.TextInput(attrs={"list": "exercise-names", "size": 32})
    )
    sets = forms.IntegerField(min_value=1, max_value=20, required=False)
    reps = forms.IntegerField(min_value=1, max_value=200, required=False)
    weight = forms.DecimalField(min_value=Decimal(0), max_value=Decimal(2000), decimal_places=2, required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("exercise"):
            for name in ("sets", "reps"):
                if data.get(name) is None and not self.has_error(name):
                    self.add_error(name, "Enter how many.")
        elif any(data.get(name) is not None for name in ("sets", "reps", "weight")):
            self.add_error("exercise", "Name the exercise.")
        return data


ExerciseFormSet = formset_factory(ExerciseRowForm, extra=6, max_num=MAX_EXERCISES, validate_max=True)


def _resolve_exercise(member: Any, name: str) -> Any:
    found = exercises_visible(user=member).filter(name__iexact=name.strip()).first()
    if found is not None:
        return found
    near = [e.name for e in exercises_search(user=member, q=name, limit=3)]
    hint = f" Did you mean {', '.join(near[:-1])}{' or ' if len(near) > 1 else ''}{near[-1]}?" if near else ""
    raise ValidationError(f"No exercise called “{name}”.{hint}")


@admin.register(SessionCard)
class SessionCardAdmin(GymAdmin):
    list_display = ("date", "person", "trainer", "title", "total_sets", "effort_rating", "client_rating")
    list_filter = ("effort_rating", "client_rating")
    list_select_related = ("client__member", "trainer__user")
    search_fields = ("title", "client__member__first_name", "client__member__last_name", "client__member__email")
    ordering = ("-date", "-created_at")
    fields = (
        "person",
        "trainer",
        "date",
        "title",
        "duration_minutes",
        "booking",
        "workout",
        "feedback",
        "goals",
        "effort_rating",
        "client_rating",
        "client_comment",
        "rated_at",
        "total_exercises",
        "total_sets",
        "volume",
    )
    readonly_fields = fields

    def scope(self, request: HttpRequest) -> QuerySet[SessionCard]:
        return gym_scope.cards_in_scope(request.user)

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False  # a card is the record of what happened; the client rates it on their pages

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False

    def get_urls(self) -> list[URLPattern]:
        return [
            path("write/", self.admin_site.admin_view(self.write_view), name="coaching_sessioncard_write"),
            *super().get_urls(),
        ]

    def add_view(self, request: HttpRequest, form_url: str = "", extra_context: Any = None) -> HttpResponse:
        return HttpResponseRedirect(reverse("admin:coaching_sessioncard_write"))

    # Columns -----------------------------------------------------------------------------------

    @admin.display(description="client")
    def person(self, obj: SessionCard) -> str:
        member = obj.client.member
        return (member.get_full_name() or member.username) if member else "Former member"

    @admin.display(description="next session")
    def goals(self, obj: SessionCard) -> str:
        return format_html_join("", "<div>{}</div>", ((goal,) for goal in obj.next_session_goals)) or "—"

    @admin.display(description="volume")
    def volume(self, obj: SessionCard) -> str:
        return units.weight_display(obj.total_volume_kg, self._viewer)

    @admin.display(description="exercises and sets")
    def workout(self, obj: SessionCard) -> str:
        viewer = self._viewer
        if obj.session is None:
            return "—"
        if not (viewer.is_superuser or obj.trainer.user_id == viewer.pk):
            return "Shown to the trainer who wrote the card."
        exercises = obj.session.exercises.select_related("exercise").prefetch_related("sets").order_by("order")
        rows = []
        for item in exercises:
            sets = ", ".join(
                f"{s.reps or '–'} × {units.weight_display(s.weight_kg, viewer) if s.weight_kg is not None else 'body'}"
                for s in item.sets.all()
            )
            rows.append((item.exercise.name, sets))
        return format_html(
            "<table><thead><tr><th scope='col'>Exercise</th><th scope='col'>Sets (reps × weight)</th></tr></thead>"
            "<tbody>{}</tbody></table>",
            format_html_join("", "<tr><td>{}</td><td>{}</td></tr>", rows),
        )

    @property
    def _viewer(self) -> Any:
        return _VIEWER.get()

    def _as(self, request: HttpRequest, view: Any, *args: Any, **kwargs: Any) -> Any:
        """The columns show numbers in the viewer's units: the viewer is known while the page renders
        (a context variable, as the admin instance is shared by every request)."""
        token = _VIEWER.set(request.user)
        try:
            response = view(request, *args, **kwargs)
            if hasattr(response, "render"):
                response.render()
            return response
        finally:
            _VIEWER.reset(token)

    def change_view(self, request: HttpRequest, object_id: str, form_url: str = "", extra_context: Any = None) -> Any:
        return self._as(request, super().change_view, object_id, form_url, extra_context)

    def changelist_view(self, request: HttpRequest, extra_context: Any = None) -> Any:
        return self._as(request, super().changelist_view, extra_context)

    # The write page ----------------------------------------------------------------------------

    def write_view(self, request: HttpRequest) -> HttpResponse:
        if not self.has_add_permission(request):
            raise PermissionDenied
        user = request_user(request)
        if not hasattr(user, "trainer_profile") or not gym_scope.trainers_in_scope(user).filter(user=user).exists():
            raise Http404("Only a trainer writes session cards.")
        initial: dict[str, Any] = {}
        strength = ActivityType.objects.filter(slug=STRENGTH_SLUG).first()
        if strength is not None:
            initial["activity_type"] = strength.pk
        booking_id = request.GET.get("booking")
        if booking_id:
            booking = Booking.objects.filter(pk=booking_id, trainer__user=user).first() if _uuid(booking_id) else None
            if booking is None:
                raise Http404("No such booking of yours.")
            initial.update(booking=booking.pk, client=booking.client_id, title=booking.title)
            initial["duration_minutes"] = booking.duration_minutes
        client_id = request.GET.get("client")
        if client_id and _uuid(client_id):
            initial["client"] = client_id
        if request.method == "POST":
            form = CardForm(request.POST, trainer_user=user)
            rows = ExerciseFormSet(request.POST, prefix="exercises")
            if form.is_valid() and rows.is_valid():
                card = self._write(request, form, rows)
                if card is not None:
                    self.message_user(request, f"Card written for {self.person(card)}.", messages.SUCCESS)
                    return HttpResponseRedirect(reverse("admin:coaching_sessioncard_change", args=[card.pk]))
        else:
            form = CardForm(initial=initial, trainer_user=user)
            rows = ExerciseFormSet(prefix="exercises")
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": "Write a session card",
            "form": form,
            "rows": rows,
            "weight_unit": units.weight_unit(user),
            "exercise_names": exercises_visible(user=user).order_by("name").values_list("name", flat=True),
        }
        return render(request, "admin/coaching/sessioncard/write.html", context)

    def _write(self, request: HttpRequest, form: CardForm, rows: Any) -> SessionCard | None:
        data = form.cleaned_data
        client: Client = data["client"]
        member = client.member
        trainer_user = request_user(request)
        exercises: list[dict[str, Any]] = []
        for index, row in enumerate(rows.forms):
            values = row.cleaned_data
            if not values.get("exercise"):
                continue
            try:
                exercise = _resolve_exercise(member, values["exercise"])
            except ValidationError as error:
                row.add_error("exercise", error)
                continue
            weight = units.weight_parse(values.get("weight"), trainer_user)
            one_set: dict[str, Any] = {"reps": values["reps"]}
            if weight is not None:
                one_set["weight_kg"] = weight
            exercises.append({"exercise": exercise, "order": index, "sets": [dict(one_set)] * values["sets"]})
        if any(row.errors for row in rows.forms):
            return None
        goals = [line.strip() for line in data["next_session_goals"].splitlines() if line.strip()]
        workout = {"activity_type": data["activity_type"], "exercises": exercises} if exercises else None
        try:
            return services.session_card_write(
                user=trainer_user,
                client=client,
                booking=data.get("booking"),
                workout=workout,
                title=data["title"],
                duration_minutes=data["duration_minutes"],
                feedback=data["feedback"],
                next_session_goals=goals,
                effort_rating=data.get("effort_rating"),
            )
        except (ValidationError, DomainError) as error:
            self._errors_on_forms(error, form, rows)
            return None

    @staticmethod
    def _errors_on_forms(error: ValidationError | DomainError, form: CardForm, rows: Any) -> None:
        if not (isinstance(error, ValidationError) and hasattr(error, "error_dict")):
            form.add_error(None, error_text(error))
            return
        filled = [i for i, row in enumerate(rows.forms) if row.cleaned_data.get("exercise")]
        for name, messages_ in error.message_dict.items():
            match = _ROW_ERROR.match(name)
            if match and int(match.group(1)) < len(filled):
                rows.forms[filled[int(match.group(1))]].add_error(None, messages_)
            elif name in form.fields:
                form.add_error(name, messages_)
            else:
                form.add_error(None, messages_)


def _uuid(value: str) -> bool:
    try:
        uuid.UUID(value)
    except ValueError:
        return False
    return True


__all__ = ["SessionCardAdmin"]
