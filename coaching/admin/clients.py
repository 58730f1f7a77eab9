"""Admin for trainers' profiles and their links (Client): a trainer's screen for their own profile, their
clients and the invitations they got.

- A trainer sees the links where they are the trainer (every status: invitations to answer included);
  gym staff and superusers every link. The rest of a client's data is scoped by their grants (ScopedAdmin's
  `access_area` on each admin).
- Everything here is read-only: links are made by invitations, grants are the member's to change (on
  their pages or the API), and answers go through coaching.services.clients as actions (accept, decline,
  end), which refuse whoever is not the invited side or a party to the link.
"""

from __future__ import annotations

from contextvars import ContextVar
from decimal import Decimal
from typing import Any
from uuid import UUID

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Model, QuerySet
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import NoReverseMatch, URLPattern, path, reverse
from django.utils.html import format_html_join

from accounts.admin.base import ScopedAdmin
from accounts.request_info import request_user
from fitjourney import units
from fitjourney.errors import DomainError
from fitjourney.hooks import roles
from fitjourney.hooks.scoping import is_trainer, sees_everyone
from training.models import Program, ProgramStatus
from training.selectors.programs import programs_browse

from ..models import Client, ClientStatus, Trainer
from ..selectors import gym_scope
from ..selectors.clients import client_grants
from ..services import cards as card_services
from ..services import clients as services
from ..services.clients import TRAINER_PROFILE_FIELDS
from .gym import _choices, add_service_errors

_VIEWER: ContextVar[Any] = ContextVar("client_admin_viewer")


def _url(name: str, *args: Any) -> str:
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return ""


roles.register_role_permissions(roles.TRAINER, ["coaching.view_client", "coaching.change_client"])
roles.register_role_permissions(roles.GYM_STAFF, ["coaching.view_client"])


@admin.register(Client)
class ClientAdmin(ScopedAdmin):
    person_field = "member"
    access_area = None  # the link itself: scoped to the trainer's own links below
    list_display = ("person", "trainer", "status", "shared", "activity", "tools")
    list_display_links = ("person",)
    list_filter = ("status", "invited_by")
    list_select_related = ("member", "trainer__user")
    search_fields = ("member__email", "member__first_name", "member__last_name")
    actions = ("accept", "decline", "end")

    def get_queryset(self, request: HttpRequest) -> QuerySet[Client]:
        # Gym staff see the links of the trainers at their locations (gym_scope), not everyone's.
        return (self.unscoped_queryset(request) & gym_scope.clients_in_scope(request.user)).select_related(
            "member", "trainer__user"
        )

    def get_readonly_fields(self, request: HttpRequest, obj: Model | None = None) -> list[str]:
        return [field.name for field in Client._meta.concrete_fields if field.name != "id"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False

    def get_list_display(self, request: HttpRequest) -> Any:
        # A trainer's list is all theirs: no trainer column (staff and superusers see whose link it is).
        if sees_everyone(request.user):
            return self.list_display
        return tuple(name for name in self.list_display if name != "trainer")

    @admin.display(description="client", ordering="member__first_name")
    def person(self, obj: Client) -> str:
        member = obj.member
        if member is None:
            return "Former member"
        name = member.get_full_name()
        return f"{name} ({member.email})" if name else member.email

    @admin.display(description="sessions", ordering="last_session_date")
    def activity(self, obj: Client) -> str:
        last = f"{obj.last_session_date:%-d %b %Y}" if obj.last_session_date else "none yet"
        return f"{obj.sessions_count:,} · last {last}"

    @admin.display(description="")
    def tools(self, obj: Client) -> str:
        """The trainer's next steps with an active client (their own links only: staff only read)."""
        if obj.status != ClientStatus.ACTIVE or obj.member_id is None or obj.trainer.user_id != self._viewer_id:
            return ""
        links = [
            ("Timeline", _url("admin:coaching_trainerdashboard_timeline", obj.pk)),
            ("Book", reverse("admin:coaching_booking_add") + f"?client={obj.pk}"),
            ("Write a card", reverse("admin:coaching_sessioncard_write") + f"?client={obj.pk}"),
            ("Assign a program", reverse("admin:coaching_client_assign", args=[obj.pk])),
            ("Record a weight", reverse("admin:coaching_client_body", args=[obj.pk])),
        ]
        return format_html_join(
            "",
            '<a href="{}" style="display:block;white-space:nowrap">{}</a>',
            ((url, label) for label, url in links if url),
        )

    @property
    def _viewer_id(self) -> Any:
        return _VIEWER.get(None)

    def changelist_view(self, request: HttpRequest, extra_context: Any = None) -> Any:
        token = _VIEWER.set(request.user.pk)
        try:
            response = super().changelist_view(request, extra_context)
            if hasattr(response, "render"):
                response.render()
            return response
        finally:
            _VIEWER.reset(token)

    def get_urls(self) -> list[URLPattern]:
        return [
            path(
                "<uuid:client_id>/assign-program/",
                self.admin_site.admin_view(self.assign_view),
                name="coaching_client_assign",
            ),
            path("<uuid:client_id>/body/", self.admin_site.admin_view(self.body_view), name="coaching_client_body"),
            *super().get_urls(),
        ]

    def _own_client(self, request: HttpRequest, client_id: UUID) -> Client:
        """The trainer's own active link; anybody else's (and staff, who do not train) "doesn't exist"."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        link = (
            Client.objects.select_related("member", "trainer__user")
            .filter(pk=client_id, trainer__user=request_user(request), status=ClientStatus.ACTIVE, member__isnull=False)
            .first()
        )
        if link is None:
            raise Http404("No such active client of yours.")
        return link

    def _page(self, request: HttpRequest, link: Client, title: str, form: forms.Form, intro: str) -> HttpResponse:
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": title,
            "form": form,
            "link": link,
            "intro": intro,
        }
        return render(request, "admin/coaching/client/tool_form.html", context)

    def assign_view(self, request: HttpRequest, client_id: UUID) -> HttpResponse:
        link = self._own_client(request, client_id)
        trainer_user = request_user(request)
        form = AssignProgramForm(request.POST or None, user=trainer_user)
        if request.method == "POST" and form.is_valid():
            try:
                enrollment = card_services.program_assign(
                    user=trainer_user,
                    client=link,
                    program=form.cleaned_data["program"],
                    start_date=form.cleaned_data.get("start_date"),
                    replace=form.cleaned_data["replace"],
                )
            except (ValidationError, DomainError) as error:
                add_service_errors(form, error, {"start_date": "start_date", "program": "program"})
            else:
                self.message_user(request, f"{link.member} now follows {enrollment.program.name}.", messages.SUCCESS)
                return HttpResponseRedirect(reverse("admin:coaching_client_changelist"))
        intro = "The client's current program (if any) is left, and they are told. Today shows each day's workout."
        return self._page(request, link, f"Assign a program to {link.member}", form, intro)

    def body_view(self, request: HttpRequest, client_id: UUID) -> HttpResponse:
        link = self._own_client(request, client_id)
        trainer_user = request_user(request)
        form = BodyMetricForm(request.POST or None, user=trainer_user)
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            try:
                recorded = [
                    card_services.client_body_metric_record(
                        user=trainer_user,
                        client=link,
                        metric_type="weight",
                        value=data["weight"],
                        unit=units.weight_unit(trainer_user),
                        notes=data.get("notes") or "",
                    )
                ]
                if data.get("body_fat") is not None:
                    recorded.append(
                        card_services.client_body_metric_record(
                            user=trainer_user,
                            client=link,
                            metric_type="body_fat",
                            value=data["body_fat"],
                            unit="percent",
                        )
                    )
            except (ValidationError, DomainError) as error:
                add_service_errors(form, error, {"value": "weight"})
            else:
                self.message_user(request, f"Recorded for {link.member}.", messages.SUCCESS)
                return HttpResponseRedirect(reverse("admin:coaching_client_changelist"))
        intro = "Saved in the client's log as measured by you now (a second weight today replaces the first)."
        return self._page(request, link, f"Record a weight for {link.member}", form, intro)

    @admin.display(description="shares")
    def shared(self, obj: Client) -> str:
        return ", ".join(name for name, on in client_grants(obj).items() if on) or "—"

    def _answer(self, request: HttpRequest, queryset: QuerySet[Client], service: Any, done: str) -> None:
        count = 0
        for link in queryset:
            try:
                service(client=link, by=request.user)
            except (ValidationError, DomainError) as error:
                reason = " ".join(error.messages) if isinstance(error, ValidationError) else str(error)
                self.message_user(request, f"{link}: {reason}", messages.ERROR)
            else:
                count += 1
        if count:
            self.message_user(request, f"{done} {count} link{'s' if count != 1 else ''}.", messages.SUCCESS)

    @admin.action(description="Accept the selected invitations", permissions=["change"])
    def accept(self, request: HttpRequest, queryset: QuerySet[Client]) -> None:
        self._answer(request, queryset, services.client_accept, "Accepted")

    @admin.action(description="Decline the selected invitations", permissions=["change"])
    def decline(self, request: HttpRequest, queryset: QuerySet[Client]) -> None:
        self._answer(request, queryset, services.client_decline, "Declined")

    @admin.action(description="End the selected links", permissions=["change"])
    def end(self, request: HttpRequest, queryset: QuerySet[Client]) -> None:
        self._answer(request, queryset, services.client_end, "Ended")


class AssignProgramForm(forms.Form):
    program = forms.ModelChoiceField(queryset=Program.objects.none(), help_text="Published programs and your own.")
    start_date = forms.DateField(
        required=False, help_text="Empty: today.", widget=forms.DateInput(attrs={"type": "date"})
    )
    replace = forms.BooleanField(required=False, initial=True, label="Leave the client's current program")

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        programs = programs_browse(user=user).filter(status=ProgramStatus.ACTIVE).order_by("-is_official", "name")
        _choices(self, "program").queryset = programs


class BodyMetricForm(forms.Form):
    weight = forms.DecimalField(min_value=Decimal("0.1"), max_value=Decimal(1500), decimal_places=2)
    body_fat = forms.DecimalField(
        label="Body fat (%)", required=False, min_value=Decimal(1), max_value=Decimal(75), decimal_places=1
    )
    notes = forms.CharField(required=False, max_length=500)

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["weight"].label = f"Weight ({units.weight_unit(user)})"


# ---------------------------------------------------------------------------------------------------
# Trainer profiles

roles.register_role_permissions(
    roles.TRAINER, ["coaching.view_trainer", "coaching.add_trainer", "coaching.change_trainer"]
)
roles.register_role_permissions(
    roles.GYM_STAFF, ["coaching.view_trainer", "coaching.add_trainer", "coaching.change_trainer"]
)


class TrainerProfileForm(forms.ModelForm):
    request: HttpRequest

    class Meta:
        model = Trainer
        fields = ("user", *TRAINER_PROFILE_FIELDS)

    def clean_user(self) -> Any:
        user = self.cleaned_data.get("user")
        if user is not None and not is_trainer(user):
            raise ValidationError("Put this person in the Trainer group first.")
        return user

    def clean_locations(self) -> Any:
        """Gym staff give a trainer places among their own locations — at least one, or the profile would
        leave their sight; a trainer picks where they work; a superuser anything."""
        chosen = self.cleaned_data.get("locations")
        viewer = self.request.user
        if viewer.is_superuser or not sees_everyone(viewer):
            return chosen
        own = set(gym_scope.locations_in_scope(viewer).values_list("pk", flat=True))
        picked = {location.pk for location in chosen or []}
        if not picked:
            raise ValidationError("Choose at least one of your locations.")
        if not picked <= own:
            raise ValidationError("Choose among your own locations.")
        return chosen


@admin.register(Trainer)
class TrainerAdmin(ScopedAdmin):
    """A trainer's public profile: trainers write their own (one each), gym staff everyone's. Saved by
    coaching.services.clients.trainer_profile_upsert; the rating and client count are kept by services."""

    person_field = "user"
    access_area = None  # a professional profile, public in the directory
    form = TrainerProfileForm
    list_display = ("__str__", "accepting_clients", "active_clients", "max_active_clients", "rating_average")
    list_filter = ("accepting_clients", "locations")
    list_select_related = ("user",)
    search_fields = ("user__email", "user__first_name", "user__last_name")
    raw_id_fields = ("user",)
    filter_horizontal = ("locations",)
    readonly_fields = ("rating_average", "rating_count", "active_clients")

    def get_queryset(self, request: HttpRequest) -> QuerySet[Trainer]:
        # Gym staff: the trainers of their locations; a trainer: themself; a superuser: everyone.
        return (self.unscoped_queryset(request) & gym_scope.trainers_in_scope(request.user)).select_related("user")

    def get_form(self, request: HttpRequest, obj: Model | None = None, change: bool = False, **kwargs: Any) -> Any:
        form: Any = super().get_form(request, obj, change=change, **kwargs)
        form.request = request
        return form

    def get_readonly_fields(self, request: HttpRequest, obj: Model | None = None) -> tuple[str, ...]:
        if sees_everyone(request.user):
            return self.readonly_fields
        return (*self.readonly_fields, "user")  # a trainer's profile is their own

    def add_view(self, request: HttpRequest, form_url: str = "", extra_context: Any = None) -> HttpResponse:
        # Checked here rather than in has_add_permission, which every admin page's sidebar asks: one
        # profile per trainer costs a query only on this page.
        if not sees_everyone(request.user) and Trainer.objects.filter(user=request_user(request)).exists():
            raise PermissionDenied("You have a profile already: change it instead.")
        return super().add_view(request, form_url, extra_context)

    def save_model(self, request: HttpRequest, obj: Trainer, form: Any, change: bool) -> None:
        user = obj.user if sees_everyone(request.user) and obj.user_id else request_user(request)
        fields = {name: form.cleaned_data[name] for name in TRAINER_PROFILE_FIELDS if name in form.cleaned_data}
        saved = services.trainer_profile_upsert(user=user, **fields)
        obj.pk, obj.user = saved.pk, saved.user
        obj._state.adding = False

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        # The locations were set by the service; the audit entry is still written by ScopedAdmin.
        form.save_m2m = lambda: None
        super().save_related(request, form, formsets, change)
