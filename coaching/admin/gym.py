"""Admin for the gym's places, hours and bookings (issue 13, item 4): the screens of trainers and gym staff.

- Scope (coaching.selectors.gym_scope): a trainer sees their own hours, time off and bookings and the
  locations they work at; gym staff their locations and what happens there; superusers everything.
  Anything else "doesn't exist".
- Writes go through the services (availability, bookings), which hold every rule: a form calls the
  service in `clean()` — inside the admin's transaction — so a refusal is a form error and nothing is
  saved, and the admin's own save only records what the service wrote.
- Bookings are never deleted here: they are confirmed, cancelled or marked no-show (actions), moved on
  their change page, and completed by writing the session card.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.widgets import AdminSplitDateTime
from django.core.exceptions import ValidationError
from django.db.models import Model, QuerySet
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html

from accounts.admin.base import ScopedAdmin
from accounts.request_info import request_user
from fitjourney.errors import DomainError
from fitjourney.hooks import roles

from ..models import Booking, BookingKind, Client, ClientStatus, Location, OpeningHours, TimeOff, Trainer, WorkingHours
from ..models.gym import UPCOMING_BOOKING_STATUSES
from ..selectors import gym_scope
from ..services import availability, bookings

roles.register_role_permissions(roles.TRAINER, ["coaching.view_location"])
roles.register_role_permissions(
    roles.GYM_STAFF,
    [
        "coaching.view_location",
        "coaching.add_location",
        "coaching.change_location",
        "coaching.view_openinghours",
        "coaching.add_openinghours",
        "coaching.change_openinghours",
        "coaching.delete_openinghours",
    ],
)
for _role in (roles.TRAINER, roles.GYM_STAFF):
    roles.register_role_permissions(
        _role,
        [
            "coaching.view_workinghours",
            "coaching.add_workinghours",
            "coaching.change_workinghours",
            "coaching.delete_workinghours",
            "coaching.view_timeoff",
            "coaching.add_timeoff",
            "coaching.delete_timeoff",
            "coaching.view_booking",
            "coaching.add_booking",
            "coaching.change_booking",
        ],
    )


def error_text(error: ValidationError | DomainError) -> str:
    return " ".join(error.messages) if isinstance(error, ValidationError) else str(error)


def add_service_errors(form: forms.BaseForm, error: ValidationError | DomainError, fields: dict[str, str]) -> None:
    """A service's refusal on the form: each field error on the form field it names (`fields` maps the
    service's names to the form's), the rest above the form."""
    if isinstance(error, ValidationError) and hasattr(error, "error_dict"):
        for name, messages_ in error.message_dict.items():
            target = fields.get(name, name)
            form.add_error(target if target in form.fields else None, messages_)
    else:
        form.add_error(None, error_text(error))


def _choices(form: forms.BaseForm, name: str) -> forms.ModelChoiceField:
    field = form.fields[name]
    assert isinstance(field, forms.ModelChoiceField)
    return field


def _limit(form: forms.BaseForm, name: str, queryset: QuerySet[Any]) -> None:
    """The choices of a form field to what this person may pick (a read-only page has no such field)."""
    if name in form.fields:
        _choices(form, name).queryset = queryset


class ServiceForm(forms.ModelForm):
    """A model form whose save is a service call made in `clean()`: `written` is what the service saved.
    The model's own validation is the service's, so `_post_clean` does not repeat it (it would find the
    row just written and call it a clash)."""

    request: HttpRequest
    written: Model | None = None

    def _post_clean(self) -> None:
        pass


class GymAdmin(ScopedAdmin):
    """A gym record: scoped by `gym_scope`, not by a person's grants (the person is not the subject)."""

    person_field = "pk"
    access_area = None

    def scope(self, request: HttpRequest) -> QuerySet[Any]:
        raise NotImplementedError

    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        return self.unscoped_queryset(request) & self.scope(request)

    def get_form(self, request: HttpRequest, obj: Model | None = None, change: bool = False, **kwargs: Any) -> Any:
        form: Any = super().get_form(request, obj, change=change, **kwargs)
        form.request = request  # the service needs the actor (get_form makes a new class per request)
        return form

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        written = getattr(form, "written", None)
        if written is None:  # a plain model form (locations): saved as usual, and audited
            super().save_model(request, obj, form, change)
            return
        obj.pk = written.pk
        obj._state.adding = False
        for field in type(obj)._meta.concrete_fields:
            setattr(obj, field.attname, getattr(written, field.attname))

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        if getattr(form, "written", None) is not None:
            form.save_m2m = lambda: None
        super().save_related(request, form, formsets, change)


# ---------------------------------------------------------------------------------------------------
# Locations


class OpeningHoursInline(admin.TabularInline):
    model = OpeningHours
    extra = 0
    fields = ("weekday", "opens", "closes")
    ordering = ("weekday", "opens")


@admin.register(Location)
class LocationAdmin(GymAdmin):
    list_display = ("name", "timezone", "capacity", "is_active", "phone")
    list_filter = ("is_active",)
    search_fields = ("name", "address")
    inlines = (OpeningHoursInline,)
    filter_horizontal = ("staff",)
    fields = ("name", "address", "timezone", "capacity", "facilities", "phone", "email", "is_active", "staff")

    def scope(self, request: HttpRequest) -> QuerySet[Location]:
        return gym_scope.locations_in_scope(request.user)

    def get_readonly_fields(self, request: HttpRequest, obj: Model | None = None) -> tuple[str, ...]:
        # Who runs a location is the superuser's decision; staff add a location they then run.
        return () if request.user.is_superuser else ("staff",)

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False  # bookings keep their place: close a location (active off) instead

    def save_model(self, request: HttpRequest, obj: Location, form: Any, change: bool) -> None:
        super().save_model(request, obj, form, change)
        if not change and not request.user.is_superuser:
            obj.staff.add(request_user(request))


# ---------------------------------------------------------------------------------------------------
# Working hours and time off


def _trainer_choices(request: HttpRequest) -> QuerySet[Trainer]:
    return gym_scope.trainers_in_scope(request.user).select_related("user")


class WorkingHoursForm(ServiceForm):
    class Meta:
        model = WorkingHours
        fields = ("trainer", "location", "weekday", "starts", "ends")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _limit(self, "trainer", _trainer_choices(self.request))
        _limit(self, "location", gym_scope.locations_in_scope(self.request.user).filter(is_active=True))
        trainer = gym_scope.trainers_in_scope(self.request.user).filter(user=request_user(self.request)).first()
        if trainer is not None and self.instance._state.adding:
            self.fields["trainer"].initial = trainer.pk

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if self.errors:
            return data
        fields = {name: data[name] for name in ("location", "weekday", "starts", "ends")}
        try:
            if not self.instance._state.adding:
                if data["trainer"] != self.instance.trainer:
                    raise ValidationError({"trainer": ["Working hours stay with their trainer."]})
                hours = WorkingHours.objects.select_related("trainer", "location").get(pk=self.instance.pk)
                self.written = availability.working_hours_update(
                    actor=request_user(self.request), hours=hours, **fields
                )
            else:
                self.written = availability.working_hours_add(
                    actor=request_user(self.request), trainer=data["trainer"], **fields
                )
        except (ValidationError, DomainError) as error:
            add_service_errors(self, error, {})
        return data


@admin.register(WorkingHours)
class WorkingHoursAdmin(GymAdmin):
    form = WorkingHoursForm
    list_display = ("trainer", "location", "weekday", "starts", "ends")
    list_filter = ("weekday", "location")
    list_select_related = ("trainer__user", "location")
    ordering = ("trainer", "weekday", "starts")

    def scope(self, request: HttpRequest) -> QuerySet[WorkingHours]:
        return gym_scope.working_hours_in_scope(request.user)

    def delete_model(self, request: HttpRequest, obj: Any) -> None:
        availability.working_hours_delete(actor=request_user(request), hours=obj)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[WorkingHours]) -> None:
        for hours in queryset.select_related("trainer", "location"):
            availability.working_hours_delete(actor=request_user(request), hours=hours)


class TimeOffForm(ServiceForm):
    starts_at = forms.SplitDateTimeField(label="From", widget=AdminSplitDateTime)
    ends_at = forms.SplitDateTimeField(label="Until", widget=AdminSplitDateTime)

    class Meta:
        model = TimeOff
        fields = ("trainer", "starts_at", "ends_at", "reason")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _limit(self, "trainer", _trainer_choices(self.request))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if self.errors:
            return data
        try:
            self.written = availability.time_off_add(
                actor=request_user(self.request),
                trainer=data["trainer"],
                starts_at=data["starts_at"],
                ends_at=data["ends_at"],
                reason=data.get("reason") or "",
            )
        except (ValidationError, DomainError) as error:
            add_service_errors(self, error, {})
        return data


@admin.register(TimeOff)
class TimeOffAdmin(GymAdmin):
    form = TimeOffForm
    list_display = ("trainer", "starts_at", "ends_at", "reason")
    list_select_related = ("trainer__user",)
    ordering = ("-starts_at",)

    def scope(self, request: HttpRequest) -> QuerySet[TimeOff]:
        return gym_scope.time_off_in_scope(request.user)

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False  # delete and add again: the checks are the add's

    def delete_model(self, request: HttpRequest, obj: Any) -> None:
        availability.time_off_delete(actor=request_user(request), time_off=obj)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[TimeOff]) -> None:
        for off in queryset.select_related("trainer"):
            availability.time_off_delete(actor=request_user(request), time_off=off)


# ---------------------------------------------------------------------------------------------------
# Bookings


class ClientChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Client) -> str:
        member = obj.member
        name = (member.get_full_name() or member.username) if member else "Former member"
        return f"{name} (with {obj.trainer})"


class BookingForm(ServiceForm):
    client = ClientChoice(queryset=Client.objects.none(), help_text="An active client of yours.")
    starts_at = forms.SplitDateTimeField(
        label="Starts", widget=AdminSplitDateTime, help_text="In your time zone, within the trainer's hours."
    )
    minutes = forms.IntegerField(label="Minutes", min_value=1, max_value=24 * 60, initial=60)

    class Meta:
        model = Booking
        fields = ("client", "location", "starts_at", "kind", "title", "notes")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        user = self.request.user
        if not self.instance._state.adding:
            # An upcoming booking may be moved; a past one is read-only (its page has no such fields).
            initial = {
                "minutes": self.instance.duration_minutes,
                "starts_at": timezone.localtime(self.instance.starts_at),
            }
            for name, value in initial.items():
                if name in self.fields:
                    self.fields[name].initial = value
            for name in ("client", "kind", "title", "notes"):
                self.fields.pop(name, None)
            if "location" not in self.fields:  # not movable: nothing on this page is the form's
                for name in ("minutes", "starts_at"):
                    self.fields.pop(name, None)
        else:
            _choices(self, "client").queryset = (
                gym_scope.clients_in_scope(user)
                .filter(status=ClientStatus.ACTIVE, member__isnull=False)
                .select_related("member", "trainer__user")
            )
            if "kind" in self.fields:
                self.fields["kind"].initial = BookingKind.TRAINING
        # The places this person books for: a trainer's own, staff's, all for a superuser (the service
        # still refuses a place where the client's trainer does not work).
        _limit(self, "location", gym_scope.locations_in_scope(user).filter(is_active=True))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if self.errors:
            return data
        if not self.instance._state.adding and "starts_at" not in self.fields:
            return data  # a past or closed booking: saving its page changes nothing
        try:
            if not self.instance._state.adding:
                booking = Booking.objects.select_related("client__trainer", "location").get(pk=self.instance.pk)
                self.written = bookings.booking_reschedule(
                    actor=request_user(self.request),
                    booking=booking,
                    starts_at=data["starts_at"],
                    duration_minutes=data["minutes"],
                    location=data["location"],
                )
            else:
                client = Client.objects.select_related("trainer", "member").get(pk=data["client"].pk)
                self.written = bookings.booking_create(
                    actor=request_user(self.request),
                    client=client,
                    location=data["location"],
                    starts_at=data["starts_at"],
                    duration_minutes=data["minutes"],
                    kind=data.get("kind") or BookingKind.TRAINING,
                    title=data.get("title") or "",
                    notes=data.get("notes") or "",
                )
        except (ValidationError, DomainError) as error:
            add_service_errors(self, error, {"ends_at": "minutes", "duration_minutes": "minutes"})
        return data


@admin.register(Booking)
class BookingAdmin(GymAdmin):
    form = BookingForm
    list_display = ("when", "person", "trainer", "location", "state", "card_link")
    list_filter = ("status", "kind", "location")
    list_select_related = ("member", "trainer__user", "location", "card")
    search_fields = ("member__email", "member__first_name", "member__last_name", "title")
    ordering = ("-starts_at",)
    actions = ("confirm", "cancel", "no_show")
    readonly_fields = (
        "person",
        "trainer",
        "kind",
        "title",
        "notes",
        "status",
        "program_session",
        "created_by",
        "cancelled_by",
        "cancelled_at",
        "cancellation_reason",
        "late_cancellation",
        "confirmed_at",
        "card_link",
    )

    def scope(self, request: HttpRequest) -> QuerySet[Booking]:
        return gym_scope.bookings_in_scope(request.user)

    def get_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        if obj is None:
            return ["client", "location", "starts_at", "minutes", "kind", "title", "notes"]
        movable = obj.status in UPCOMING_BOOKING_STATUSES and obj.starts_at > timezone.now()
        editable = ["location", "starts_at", "minutes"] if movable else []
        return [*editable, *self.readonly_fields]

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> tuple[str, ...]:
        if obj is None:
            return ()
        movable = obj.status in UPCOMING_BOOKING_STATUSES and obj.starts_at > timezone.now()
        return self.readonly_fields if movable else (*self.readonly_fields, "location", "starts_at")

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False  # cancel instead: the history stays

    @admin.display(description="when", ordering="starts_at")
    def when(self, obj: Booking) -> str:
        start = timezone.localtime(obj.starts_at)
        return f"{start:%a %-d %b %Y, %H:%M} · {obj.duration_minutes} min"

    @admin.display(description="client", ordering="member__first_name")
    def person(self, obj: Booking) -> str:
        member = obj.member
        return (member.get_full_name() or member.username) if member else "Former member"

    def get_list_display(self, request: HttpRequest) -> Any:
        # A trainer's list is all theirs: no trainer column (staff and superusers see whose booking it is).
        if request.user.is_superuser or Location.objects.filter(staff=request_user(request)).exists():
            return self.list_display
        return tuple(name for name in self.list_display if name != "trainer")

    @admin.display(description="status", ordering="status")
    def state(self, obj: Booking) -> str:
        label = f"{obj.get_kind_display()}: {obj.get_status_display().lower()}"
        return f"{label} (late)" if obj.late_cancellation else label

    @admin.display(description="card")
    def card_link(self, obj: Booking) -> str:
        card = getattr(obj, "card", None)
        if card is not None:
            return format_html('<a href="{}">Card</a>', reverse("admin:coaching_sessioncard_change", args=[card.pk]))
        if obj.status in UPCOMING_BOOKING_STATUSES and obj.starts_at <= timezone.now():
            url = reverse("admin:coaching_sessioncard_write") + f"?booking={obj.pk}"
            return format_html('<a href="{}">Write the card</a>', url)
        return "—"

    def _each(self, request: HttpRequest, queryset: QuerySet[Booking], service: Any, done: str) -> None:
        count = 0
        for booking in queryset.select_related("client__trainer", "location"):
            try:
                service(actor=request_user(request), booking=booking)
            except (ValidationError, DomainError) as error:
                self.message_user(request, f"{self.when(booking)}: {error_text(error)}", messages.ERROR)
            else:
                count += 1
        if count:
            self.message_user(request, f"{done} {count} booking{'s' if count != 1 else ''}.", messages.SUCCESS)

    @admin.action(description="Confirm the selected bookings", permissions=["change"])
    def confirm(self, request: HttpRequest, queryset: QuerySet[Booking]) -> None:
        self._each(request, queryset, bookings.booking_confirm, "Confirmed")

    @admin.action(description="Cancel the selected bookings", permissions=["change"])
    def cancel(self, request: HttpRequest, queryset: QuerySet[Booking]) -> None:
        def _cancel(*, actor: Any, booking: Booking) -> Booking:
            return bookings.booking_cancel(actor=actor, booking=booking, reason="Cancelled by the gym.")

        self._each(request, queryset, _cancel, "Cancelled")

    @admin.action(description="Mark the selected bookings as no-shows", permissions=["change"])
    def no_show(self, request: HttpRequest, queryset: QuerySet[Booking]) -> None:
        self._each(request, queryset, bookings.booking_mark_no_show, "Marked")


__all__ = [
    "BookingAdmin",
    "LocationAdmin",
    "TimeOffAdmin",
    "WorkingHoursAdmin",
    "add_service_errors",
]
