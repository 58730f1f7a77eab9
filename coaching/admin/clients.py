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

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Model, QuerySet
from django.http import HttpRequest, HttpResponse

from accounts.admin.base import ScopedAdmin
from accounts.request_info import request_user
from fitjourney.errors import DomainError
from fitjourney.hooks import roles
from fitjourney.hooks.scoping import is_trainer, sees_everyone

from ..models import Client, Trainer
from ..selectors.clients import client_grants
from ..services import clients as services
from ..services.clients import TRAINER_PROFILE_FIELDS

roles.register_role_permissions(roles.TRAINER, ["coaching.view_client", "coaching.change_client"])
roles.register_role_permissions(roles.GYM_STAFF, ["coaching.view_client"])


@admin.register(Client)
class ClientAdmin(ScopedAdmin):
    person_field = "member"
    access_area = None  # the link itself: scoped to the trainer's own links below
    list_display = ("member", "trainer", "status", "invited_by", "shared", "accepted_at", "sessions_count")
    list_filter = ("status", "invited_by")
    list_select_related = ("member", "trainer__user")
    search_fields = ("member__email", "member__first_name", "member__last_name")
    actions = ("accept", "decline", "end")

    def get_queryset(self, request: HttpRequest) -> QuerySet[Client]:
        queryset = self.unscoped_queryset(request).select_related("member", "trainer__user")
        if sees_everyone(request.user):
            return queryset
        return queryset.filter(trainer__user=request.user)

    def get_readonly_fields(self, request: HttpRequest, obj: Model | None = None) -> list[str]:
        return [field.name for field in Client._meta.concrete_fields if field.name != "id"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False

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


# ---------------------------------------------------------------------------------------------------
# Trainer profiles

roles.register_role_permissions(
    roles.TRAINER, ["coaching.view_trainer", "coaching.add_trainer", "coaching.change_trainer"]
)
roles.register_role_permissions(
    roles.GYM_STAFF, ["coaching.view_trainer", "coaching.add_trainer", "coaching.change_trainer"]
)


class TrainerProfileForm(forms.ModelForm):
    class Meta:
        model = Trainer
        fields = ("user", *TRAINER_PROFILE_FIELDS)

    def clean_user(self) -> Any:
        user = self.cleaned_data.get("user")
        if user is not None and not is_trainer(user):
            raise ValidationError("Put this person in the Trainer group first.")
        return user


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
        queryset = self.unscoped_queryset(request).select_related("user")
        return queryset if sees_everyone(request.user) else queryset.filter(user=request.user)

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
