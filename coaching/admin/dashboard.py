"""The trainer dashboard and a client's timeline in the admin (issue 13): pages of their own on the
TrainerDashboard admin, whose list is the dashboard.

- `admin:coaching_trainerdashboard_changelist`: a trainer's own dashboard (today's and this week's
  bookings, the numbers of the summary row, the clients needing attention and why, a "Refresh now"
  button); for gym staff and superusers the trainers they may see (coaching.selectors.gym_scope), with
  their numbers, each linking to
- `admin:coaching_trainerdashboard_trainer` (`<trainer_id>/`): that trainer's dashboard. Another trainer's
  id, or a trainer of a location the staff member does not work at, is a 404.
- `admin:coaching_trainerdashboard_refresh` (`<trainer_id>/refresh/`, POST): queues the debounced refresh
  of coaching.services.dashboard.
- `admin:coaching_trainerdashboard_timeline` (`timeline/<client_id>/?days=90`): an active client's
  timeline for their own trainer (coaching.selectors.timeline: only the kinds the client grants), with
  charts; a superuser sees it as the client's trainer does. Gym staff and other trainers get a 404. Each
  opening is written to the member's audit trail (`client_data_view`).

The numbers come from the summary rows, so each page costs a few queries whatever the history
(coaching/tests/test_admin_dashboard.py and test_admin_timeline.py pin them).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import ROUND_HALF_UP, Decimal
from itertools import groupby
from typing import Any
from uuid import UUID

from django.conf import settings
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import NoReverseMatch, URLPattern, path, reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from accounts.admin.base import CLIENT_DATA_VIEW, ReadOnlyAdmin
from accounts.models import User
from accounts.request_info import audit_context, request_user
from accounts.services.audit import audit_record
from fitjourney import units
from fitjourney.errors import NotFound
from fitjourney.hooks import roles
from fitjourney.hooks.scoping import sees_everyone

from ..models import AttentionReason, Booking, Client, ClientProgress, ClientStatus, Grant, TrainerDashboard
from ..selectors.dashboard import Dashboard, trainer_dashboard
from ..selectors.gym_scope import trainers_in_scope
from ..selectors.timeline import Entry, Timeline, client_timeline
from ..services.dashboard import trainer_dashboard_refresh_later

roles.register_role_permissions(roles.TRAINER, ["coaching.view_trainerdashboard"])
roles.register_role_permissions(roles.GYM_STAFF, ["coaching.view_trainerdashboard"])

TRAINERS_PER_PAGE = 50
TIMELINE_DAYS = (30, 90, 180, 365)
DEFAULT_TIMELINE_DAYS = 90

KIND_LABELS = {
    "card": "Session card",
    "session": "Workout",
    "body": "Body metric",
    "nutrition": "Food",
    "habit": "Habit",
    "checkin": "Check-in",
    "journal": "Journal",
}
# The admin page of an entry's record, where there is one (each is scoped and audited there).
KIND_ADMIN_URLS = {
    "card": "admin:coaching_sessioncard_change",
    "session": "admin:training_session_change",
    "body": "admin:accounts_bodymetric_change",
}


# ---------------------------------------------------------------------------------------------------
# Numbers as people write them


def _count(value: int | None) -> str:
    return "—" if value is None else f"{value:,}"


def _percent(value: Decimal | int | float | None, *, signed: bool = False) -> str:
    """ "82 %" (whole percent, half up); `signed` writes a change: "+4 %", "−12 %"."""
    if value is None:
        return "—"
    whole = int(Decimal(str(value)).quantize(Decimal(1), rounding=ROUND_HALF_UP))
    if signed:
        sign = "+" if whole > 0 else ("−" if whole < 0 else "±")
        return f"{sign}{abs(whole):,} %"
    return f"{whole:,} %"


def _number(value: Decimal) -> str:
    """1,234.5: thousands separated, no trailing zeros."""
    text = f"{value:,f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def _admin_url(name: str, *args: Any) -> str:
    """The URL of an admin page, or "" while that page does not exist (admins are built by others)."""
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return ""


def _person(user: User | None) -> str:
    return user.display_name if user is not None else "(account deleted)"


# ---------------------------------------------------------------------------------------------------
# The dashboard's rows


def _booking_rows(bookings: Iterable[Booking], zone: Any) -> list[dict[str, Any]]:
    return [
        {
            "starts": booking.starts_at.astimezone(zone),
            "ends": booking.ends_at.astimezone(zone),
            "client": _person(booking.member),
            "location": booking.location.name,
            "status": booking.get_status_display(),
            "url": _admin_url("admin:coaching_booking_change", booking.pk),
        }
        for booking in bookings
    ]


def _attention_rows(progress: Iterable[ClientProgress], viewer: User, *, linked: bool) -> list[dict[str, Any]]:
    rows = []
    for row in progress:
        reasons = [AttentionReason(reason).label for reason in row.attention if reason in AttentionReason.values]
        rows.append(
            {
                "client": _person(row.client.member),
                "reasons": reasons,
                "last_session": row.last_session_date,
                "adherence": _percent(row.adherence_pct),
                "e1rm_change": _percent(row.e1rm_change_pct, signed=True),
                "weight_change": units.weight_display(row.weight_change_kg, viewer, signed=True) or "—",
                "url": reverse("admin:coaching_trainerdashboard_timeline", args=[row.client_id]) if linked else "",
            }
        )
    return rows


def _summary_numbers(summary: TrainerDashboard | None) -> dict[str, str] | None:
    if summary is None:
        return None
    return {
        "active_clients": _count(summary.active_clients),
        "sessions_month": _count(summary.sessions_month),
        "completion_rate": _percent(summary.completion_rate),
        "no_show_rate": _percent(summary.no_show_rate),
        "rating_average": (
            _number(summary.rating_average.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))
            if summary.rating_count
            else "—"
        ),
        "rating_count": _count(summary.rating_count),
        "needing_attention": _count(summary.clients_needing_attention),
        "completed_90d": _count(summary.completed_90d),
        "cancelled_90d": _count(summary.cancelled_90d),
        "no_show_90d": _count(summary.no_show_90d),
    }


# ---------------------------------------------------------------------------------------------------
# The timeline's rows and charts


def _entry_row(entry: Entry, zone: Any) -> dict[str, Any]:
    at = entry.at
    url_name = KIND_ADMIN_URLS.get(entry.kind)
    return {
        "time": at.astimezone(zone) if isinstance(at, dt.datetime) else None,
        "kind": entry.kind,
        "kind_label": KIND_LABELS.get(entry.kind, entry.kind.capitalize()),
        "title": entry.title,
        "detail": entry.detail,
        "url": _admin_url(url_name, entry.object_id) if url_name and entry.object_id is not None else "",
    }


def _by_day(entries: list[Entry], zone: Any) -> list[dict[str, Any]]:
    """The entries by day, newest day first (the selector sorted them newest first)."""
    return [
        {"day": day, "entries": [_entry_row(entry, zone) for entry in group]}
        for day, group in groupby(entries, key=lambda entry: entry.day)
    ]


def _day(day: dt.date) -> str:
    return f"{day.day} {day:%b %Y}"


def _monday(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.weekday())


def _weight_chart(timeline: Timeline, reader: User) -> dict[str, Any] | None:
    if not timeline.weight:
        return None
    unit = units.weight_unit(reader)
    shown = [(day, units.weight_shown(kg, reader) or Decimal(0)) for day, kg in timeline.weight]
    first, last = shown[0][1], shown[-1][1]
    return {
        "data": {
            "unit": unit,
            "labels": [day.isoformat() for day, _ in shown],
            "series": [{"name": "Weight", "values": [float(value) for _, value in shown]}],
        },
        "summary": (
            f"{len(shown):,} weigh-in{'s' if len(shown) != 1 else ''}, from {_number(first)} {unit} on "
            f"{_day(shown[0][0])} to {_number(last)} {unit} on {_day(shown[-1][0])} "
            f"({units.weight_display(timeline.weight[-1][1] - timeline.weight[0][1], reader, signed=True)})."
        ),
        "unit": unit,
        "rows": [(day, _number(value)) for day, value in shown],
    }


def _lift_charts(timeline: Timeline, reader: User) -> list[dict[str, Any]]:
    unit = units.weight_unit(reader)
    charts = []
    for index, (name, points) in enumerate(timeline.lifts.items()):
        shown = [(week, units.weight_shown(kg, reader) or Decimal(0)) for week, kg in points]
        best = max(value for _, value in shown)
        charts.append(
            {
                "id": f"lift-{index}-data",
                "name": name,
                "data": {
                    "unit": unit,
                    "labels": [week.isoformat() for week, _ in shown],
                    "series": [{"name": "Best estimated 1RM", "values": [float(value) for _, value in shown]}],
                },
                "summary": (
                    f"The best estimated one-rep max (Epley) of {len(shown):,} week{'s' if len(shown) != 1 else ''}: "
                    f"from {_number(shown[0][1])} {unit} to {_number(shown[-1][1])} {unit}; "
                    f"best {_number(best)} {unit}."
                ),
                "unit": unit,
                "rows": [(week, _number(value)) for week, value in shown],
            }
        )
    return charts


def _adherence_chart(timeline: Timeline) -> dict[str, Any] | None:
    if not timeline.adherence:
        return None
    done = dict(timeline.adherence)
    weeks = []
    week = _monday(timeline.start)
    while week <= timeline.end:
        weeks.append(week)
        week += dt.timedelta(days=7)
    values = [done.get(week, 0) for week in weeks]
    total = sum(values)
    return {
        "data": {
            "unit": "days",
            "labels": [week.isoformat() for week in weeks],
            "series": [{"name": "Program days done", "values": values}],
        },
        "summary": (
            f"{total:,} program day{'s' if total != 1 else ''} done in {len(weeks):,} weeks; "
            f"{sum(1 for value in values if value):,} of the weeks had at least one."
        ),
        "rows": list(zip(weeks, values, strict=True)),
    }


def _timeline_days(value: str | None) -> int:
    try:
        days = int(value or DEFAULT_TIMELINE_DAYS)
    except ValueError:
        return DEFAULT_TIMELINE_DAYS
    return days if days in TIMELINE_DAYS else DEFAULT_TIMELINE_DAYS


# ---------------------------------------------------------------------------------------------------
# The admin


@admin.register(TrainerDashboard)
class TrainerDashboardAdmin(ReadOnlyAdmin):
    """No list of rows and no change form: the list is the dashboard (get_urls)."""

    person_field = "trainer__user"
    access_area = None  # a trainer's own numbers; each client's part rests on their grants (the refresh)

    def get_queryset(self, request: HttpRequest) -> QuerySet[TrainerDashboard]:
        # Not used by the pages (they read through the selectors), but whatever asks sees only these rows.
        return TrainerDashboard.objects.filter(trainer__in=trainers_in_scope(request.user))

    def get_urls(self) -> list[URLPattern]:
        prefix = f"{self.opts.app_label}_{self.opts.model_name}"
        view = self.admin_site.admin_view
        return [
            path("", view(self.dashboard_view), name=f"{prefix}_changelist"),
            path("<uuid:trainer_id>/", view(self.dashboard_view), name=f"{prefix}_trainer"),
            path("<uuid:trainer_id>/refresh/", view(require_POST(self.refresh_view)), name=f"{prefix}_refresh"),
            path("timeline/<uuid:client_id>/", view(self.timeline_view), name=f"{prefix}_timeline"),
        ]

    def _context(self, request: HttpRequest, title: str, **extra: Any) -> dict[str, Any]:
        return {**self.admin_site.each_context(request), "opts": self.opts, "title": title, **extra}

    # The dashboard --------------------------------------------------------------------------------

    def dashboard_view(self, request: HttpRequest, trainer_id: UUID | None = None) -> HttpResponse:
        if not self.has_view_permission(request):
            raise PermissionDenied
        user = request_user(request)
        if trainer_id is None and sees_everyone(user):
            return self._trainers_page(request, user)
        if trainer_id is not None and not trainers_in_scope(user).filter(pk=trainer_id).exists():
            raise Http404("No such trainer.")  # another trainer, or a trainer of another location
        try:
            dashboard = trainer_dashboard(user=user, trainer_id=trainer_id)
        except NotFound:
            # Only reached by someone asking for their own dashboard without a trainer profile.
            context = self._context(
                request, "Trainer dashboard", add_profile_url=_admin_url("admin:coaching_trainer_add")
            )
            return render(request, "admin/coaching/trainerdashboard/no_profile.html", context)
        return self._dashboard_page(request, user, dashboard)

    def _dashboard_page(self, request: HttpRequest, user: User, dashboard: Dashboard) -> HttpResponse:
        trainer = dashboard.trainer
        own = trainer.user_id == user.pk
        zone = trainer.user.zone
        monday = _monday(dashboard.day)
        summary = dashboard.summary
        context = self._context(
            request,
            "Your dashboard" if own else f"Dashboard of {trainer}",
            trainer=trainer,
            own=own,
            zone=zone,
            day=dashboard.day,
            now=timezone.now().astimezone(zone),
            summary=summary,
            numbers=_summary_numbers(summary),
            refreshed_at=summary.refreshed_at.astimezone(zone) if summary else None,
            today=_booking_rows(dashboard.today, zone),
            week=_booking_rows(dashboard.week, zone),
            week_start=monday,
            week_end=monday + dt.timedelta(days=6),
            attention=_attention_rows(dashboard.attention, user, linked=own or user.is_superuser),
            attention_more=max(0, (summary.clients_needing_attention if summary else 0) - len(dashboard.attention)),
            refresh_url=reverse("admin:coaching_trainerdashboard_refresh", args=[trainer.pk]),
            delay=settings.GYM_DASHBOARD_DELAY_SECONDS,
        )
        return render(request, "admin/coaching/trainerdashboard/dashboard.html", context)

    def _trainers_page(self, request: HttpRequest, user: User) -> HttpResponse:
        # One page of trainers with their summary rows (a reverse one-to-one: joined, not a query each).
        trainers = (
            trainers_in_scope(user)
            .select_related("user", "dashboard")
            .order_by("user__first_name", "user__last_name", "user__username", "pk")
        )
        page = Paginator(trainers, TRAINERS_PER_PAGE).get_page(request.GET.get("p"))
        rows = []
        for trainer in page:
            summary = getattr(trainer, "dashboard", None)
            rows.append(
                {
                    "name": str(trainer),
                    "url": reverse("admin:coaching_trainerdashboard_trainer", args=[trainer.pk]),
                    "numbers": _summary_numbers(summary),
                    "refreshed_at": summary.refreshed_at if summary else None,
                }
            )
        context = self._context(request, "Trainer dashboard", page=page, rows=rows)
        return render(request, "admin/coaching/trainerdashboard/trainers.html", context)

    def refresh_view(self, request: HttpRequest, trainer_id: UUID) -> HttpResponse:
        if not self.has_view_permission(request):
            raise PermissionDenied
        user = request_user(request)
        owner = trainers_in_scope(user).filter(pk=trainer_id).values_list("user_id", flat=True).first()
        if owner is None:
            raise Http404("No such trainer.")
        trainer_dashboard_refresh_later(trainer_id=trainer_id)
        delay = settings.GYM_DASHBOARD_DELAY_SECONDS
        self.message_user(
            request,
            f"A refresh is queued: the numbers are recomputed in about {delay} second{'s' if delay != 1 else ''}; "
            "reload the page then.",
            messages.SUCCESS,
        )
        if owner == user.pk and not sees_everyone(user):  # back where the trainer's own dashboard is
            return HttpResponseRedirect(reverse("admin:coaching_trainerdashboard_changelist"))
        return HttpResponseRedirect(reverse("admin:coaching_trainerdashboard_trainer", args=[trainer_id]))

    # A client's timeline --------------------------------------------------------------------------

    def _reader(self, user: User, client_id: UUID) -> User:
        """Whose timeline this is to be: the caller's own client's; for a superuser, the client's trainer's
        (the same page, grants and units the trainer sees)."""
        if not user.is_superuser:
            return user
        link = (
            Client.objects.select_related("trainer__user")
            .filter(pk=client_id, status=ClientStatus.ACTIVE, member__isnull=False)
            .first()
        )
        if link is None:
            raise Http404("No such active client.")
        return link.trainer.user

    def timeline_view(self, request: HttpRequest, client_id: UUID) -> HttpResponse:
        if not self.has_view_permission(request):
            raise PermissionDenied
        user = request_user(request)
        days = _timeline_days(request.GET.get("days"))
        reader = self._reader(user, client_id)
        try:
            timeline = client_timeline(trainer_user=reader, client_id=client_id, days=days)
        except NotFound as error:
            raise Http404("No such active client of yours.") from error
        client = timeline.client
        member = client.member
        assert member is not None  # the selector reads active links of existing members only
        shared = [grant.label for grant in Grant if timeline.granted.get(grant.value)]
        not_shared = [grant.label for grant in Grant if not timeline.granted.get(grant.value)]
        audit_record(
            action=CLIENT_DATA_VIEW,
            actor=user,
            subject=member,
            entity=client,
            new_values={
                "page": "timeline",
                "days": days,
                "areas": [area for area, on in timeline.granted.items() if on],
                "admin": type(self).__name__,
            },
            context=audit_context(request),
        )
        url = reverse("admin:coaching_trainerdashboard_timeline", args=[client.pk])
        context = self._context(
            request,
            f"Timeline of {_person(member)}",
            client=client,
            member_name=_person(member),
            trainer=client.trainer,
            as_trainer=reader.pk != user.pk,
            timeline=timeline,
            days=days,
            day_choices=[(choice, f"{url}?days={choice}") for choice in TIMELINE_DAYS],
            shared=shared,
            not_shared=not_shared,
            granted=timeline.granted,
            zone=member.zone,
            days_list=_by_day(timeline.entries, member.zone),
            entry_count=len(timeline.entries),
            weight=_weight_chart(timeline, reader),
            weight_unit=units.weight_unit(reader),
            lifts=_lift_charts(timeline, reader),
            adherence=_adherence_chart(timeline),
            dashboard_url=reverse("admin:coaching_trainerdashboard_changelist")
            if reader.pk == user.pk
            else reverse("admin:coaching_trainerdashboard_trainer", args=[client.trainer_id]),
        )
        return render(request, "admin/coaching/trainerdashboard/timeline.html", context)
