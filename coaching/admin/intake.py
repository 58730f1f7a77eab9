"""Admin for the intake (goals: coaching/admin/goals.py).

- Intakes (OnboardingState) are read here, scoped to the people the staff member may see, with the funnel
  (a page of its own, linked from the list) and a reset: staff with the change permission send a person
  through the intake again (coaching.services.intake.intake_reset; the current profile is kept as a
  version). The answers themselves are the person's: nobody edits them here.
"""

from __future__ import annotations

from uuid import UUID

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import URLPattern, path, reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from accounts.admin.base import ScopedAdmin
from accounts.request_info import PersonRequest, audit_context

from ..models import OnboardingState, Step
from ..selectors.intake import intake_funnel
from ..services.intake import intake_reset


class CompleteFilter(admin.SimpleListFilter):
    title = "intake"
    parameter_name = "complete"

    def lookups(self, request: HttpRequest, model_admin: admin.ModelAdmin[OnboardingState]) -> list[tuple[str, str]]:
        return [("yes", "Complete"), ("no", "Not complete")]

    def queryset(self, request: HttpRequest, queryset: QuerySet[OnboardingState]) -> QuerySet[OnboardingState]:
        if self.value() == "yes":
            return queryset.filter(completed_at__isnull=False)
        if self.value() == "no":
            return queryset.filter(completed_at__isnull=True)
        return queryset


@admin.register(OnboardingState)
class OnboardingStateAdmin(ScopedAdmin):
    access_area = "body"  # the intake holds body, goals and diet answers; body is the closest grant
    list_display = ("user", "step", "complete", "started_at", "last_activity_at", "device_type", "reset_count")
    list_filter = (CompleteFilter, "current_step", "device_type")
    list_select_related = ("user",)
    search_fields = ("user__email",)
    ordering = ("-last_activity_at",)
    date_hierarchy = "started_at"
    actions = ["reset_intake"]
    change_list_template = "admin/coaching/onboardingstate/change_list.html"
    change_form_template = "admin/coaching/onboardingstate/change_form.html"
    fields = (
        "user",
        "current_step",
        "completed_steps",
        "completed_at",
        "started_at",
        "last_activity_at",
        "step_seconds",
        "flow_version",
        "device_type",
        "user_agent",
        "session_id",
        "reset_count",
        "step_data",
    )
    readonly_fields = fields

    @admin.display(description="Step", ordering="current_step")
    def step(self, obj: OnboardingState) -> str:
        return f"{obj.current_step + 1}. {Step(obj.current_step).label}"

    @admin.display(description="Complete", boolean=True, ordering="completed_at")
    def complete(self, obj: OnboardingState) -> bool:
        return obj.completed_at is not None

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # an intake begins when its person saves the first step

    def has_delete_permission(self, request: HttpRequest, obj: OnboardingState | None = None) -> bool:
        return False  # reset instead: it keeps the answers and the profile's history

    @admin.action(description="Reset the intake of the selected people", permissions=["change"])
    def reset_intake(self, request: PersonRequest, queryset: QuerySet[OnboardingState]) -> None:
        count = 0
        for state in queryset.select_related("user"):
            intake_reset(user=state.user, by=request.user, audit=audit_context(request))
            count += 1
        self.message_user(request, f"Reset the intake of {count} {'person' if count == 1 else 'people'}.")

    def get_urls(self) -> list[URLPattern]:
        prefix = f"{self.opts.app_label}_{self.opts.model_name}"
        return [
            path("funnel/", self.admin_site.admin_view(self.funnel_view), name=f"{prefix}_funnel"),
            path(
                "<uuid:object_id>/reset/",
                self.admin_site.admin_view(require_POST(self.reset_view)),
                name=f"{prefix}_reset",
            ),
            *super().get_urls(),
        ]

    def funnel_view(self, request: HttpRequest) -> HttpResponse:
        if not self.has_view_permission(request):
            raise PermissionDenied
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": "Intake funnel",
            "funnel": intake_funnel(states=self.get_queryset(request)),
            "generated_at": timezone.now(),
        }
        return render(request, "admin/coaching/onboardingstate/funnel.html", context)

    def reset_view(self, request: PersonRequest, object_id: UUID) -> HttpResponse:
        if not self.has_change_permission(request):
            raise PermissionDenied
        state = self.get_queryset(request).select_related("user").filter(pk=object_id).first()
        if state is None:
            raise Http404  # someone this staff member may not see does not exist for them
        try:
            intake_reset(user=state.user, by=request.user, audit=audit_context(request))
        except ValidationError as error:
            self.message_user(request, " ".join(error.messages), level=messages.ERROR)
        else:
            self.message_user(request, f"The intake of {state.user} was reset; their profile is unlocked.")
        return HttpResponseRedirect(reverse("admin:coaching_onboardingstate_change", args=[state.pk]))
