"""Trainee booking pages: upcoming and past bookings (/coach/bookings/), cancelling with the late-cancel
rule shown before the person confirms, booking a free slot with one of their trainers
(/coach/bookings/new/?link=<client id>, slots in the person's time zone), the calendar-feed settings, and
the feed itself (/calendar/<token>.ics, no login: the secret address is the key). Another person's booking
or link is a 404. Ends with `urlpatterns`."""

from __future__ import annotations

import datetime as dt
from typing import Any
from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_safe

from accounts.request_info import PersonRequest
from fitjourney.errors import NotFound

from ..forms.base import errors_to_form
from ..forms.bookings import DAYS_SHOWN, BookSlotForm, CancelForm, SlotSearchForm
from ..models import Booking, CalendarFeed, Client, ClientStatus
from ..selectors.bookings import (
    booking_get_for_user,
    calendar_ics,
    member_bookings,
    slots_for,
    trainer_location_get,
)
from ..services import bookings as services


def _member_booking(request: PersonRequest, booking_id: UUID) -> Booking:
    """The person's own booking as the member (the trainer's side lives in the admin and the API)."""
    booking = booking_get_for_user(user=request.user, booking_id=booking_id)
    if booking.member_id != request.user.pk:
        raise NotFound("No such booking.")
    return booking


def _own_link(request: PersonRequest, link_id: str | None) -> Client:
    try:
        link_uuid = UUID(str(link_id))
    except ValueError:
        raise Http404("No such trainer link.") from None
    link = (
        Client.objects.select_related("trainer__user", "member")
        .filter(pk=link_uuid, member=request.user, status=ClientStatus.ACTIVE)
        .first()
    )
    if link is None:
        raise Http404("No such trainer link.")
    return link


@login_required
@require_GET
def bookings_view(request: PersonRequest) -> HttpResponse:
    """Five queries whatever the history: session, person, upcoming, past (both capped), links to book with."""
    upcoming, past = member_bookings(user=request.user)
    now = timezone.now()
    window = services.late_cancel_window()
    rows = [
        {"booking": b, "late": services.is_late_cancellation(b, now=now), "free_until": b.starts_at - window}
        for b in upcoming
    ]
    links = Client.objects.filter(member=request.user, status=ClientStatus.ACTIVE).select_related("trainer__user")
    context = {
        "rows": rows,
        "past": past,
        "links": list(links),
        "late_hours": window.total_seconds() // 3600,
    }
    return render(request, "coaching/bookings/list.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def booking_cancel(request: PersonRequest, booking_id: UUID) -> HttpResponseBase:
    """GET shows the confirm step, saying whether cancelling now is late; POST with `confirm` cancels."""
    booking = _member_booking(request, booking_id)
    form = CancelForm(request.POST or None)
    if request.method == "POST" and request.POST.get("confirm") == "yes" and form.is_valid():
        try:
            services.booking_cancel(actor=request.user, booking=booking, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            errors_to_form(form, error)
        else:
            messages.success(request, "Booking cancelled.")
            return redirect("coaching:bookings")
    context = {
        "booking": booking,
        "form": form,
        "late": services.is_late_cancellation(booking),
        "late_hours": services.late_cancel_window().total_seconds() // 3600,
        "free_until": booking.starts_at - services.late_cancel_window(),
    }
    return render(request, "coaching/bookings/cancel.html", context, status=400 if form.errors else 200)


@login_required
@require_http_methods(["GET", "POST"])
def booking_new(request: PersonRequest) -> HttpResponseBase:
    """Choose location, first day and length; the free slots of the next days show in the person's time
    zone (the list is a partial htmx swaps when the choice changes); a slot is booked with a POST."""
    link = _own_link(request, request.GET.get("link") or request.POST.get("link"))
    trainer = link.trainer
    locations = list(trainer.locations.filter(is_active=True))
    zone = request.user.zone
    today = timezone.localdate(timezone.now(), zone)
    book_form = BookSlotForm(request.POST or None)
    if request.method == "POST" and book_form.is_valid():
        data = book_form.cleaned_data
        try:
            location = trainer_location_get(trainer=trainer, location_id=data["location"])
            services.booking_create(
                actor=request.user,
                client=link,
                location=location,
                starts_at=data["starts_at"],
                duration_minutes=data["duration_minutes"],
                title=data["title"],
            )
        except ValidationError as error:
            errors_to_form(book_form, error)
        else:
            messages.success(request, "Booked. Your trainer has been told.")
            return redirect("coaching:bookings")
    initial: dict[str, Any] = {
        "location": locations[0] if locations else None,
        "date": today + dt.timedelta(days=1),
        "duration": 60,
    }
    search = SlotSearchForm(
        request.GET if "date" in request.GET else None,
        initial={**initial, "location": str(locations[0].pk) if locations else None},
        locations=locations,
        today=today,
    )
    days: list[dict[str, object]] = []
    valid = search.is_valid() if search.is_bound else True
    chosen = search.cleaned_data if search.is_bound and valid else initial
    if valid and chosen["location"] is not None:
        start = chosen["date"]
        slots = slots_for(
            trainer=trainer,
            location=chosen["location"],
            start=start,
            end=start + dt.timedelta(days=DAYS_SHOWN - 1),
            zone=zone,
            duration=chosen["duration"],
            member=request.user,
        )
        by_day: dict[dt.date, list[object]] = {}
        for slot in slots:
            by_day.setdefault(timezone.localdate(slot.starts_at, zone), []).append(slot)
        days = [{"day": day, "slots": day_slots} for day, day_slots in by_day.items()]
    context = {
        "link": link,
        "search": search,
        "book_form": book_form,
        "days": days,
        "chosen": chosen,
        "zone": zone,
    }
    template = "coaching/bookings/new.html"
    if request.htmx and request.method == "GET":
        template += "#slots"
    return render(request, template, context, status=400 if book_form.errors else 200)


@login_required
@require_http_methods(["GET", "POST"])
def calendar_settings(request: PersonRequest) -> HttpResponse:
    """The calendar-feed section: POST `action=rotate` makes a new secret address (shown once), `revoke`
    turns the feed off. Also a page of its own without JavaScript."""
    address = ""
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "rotate":
            token = services.calendar_feed_rotate(user=request.user)
            address = request.build_absolute_uri(reverse("coaching:calendar-feed", args=[token]))
        elif action == "revoke":
            services.calendar_feed_revoke(user=request.user)
        else:
            return HttpResponse("Choose rotate or revoke.", status=400)
    context = {"feed_on": CalendarFeed.objects.filter(user=request.user).exists(), "address": address}
    template = "coaching/bookings/calendar.html"
    if request.htmx:
        template += "#feed"
    return render(request, template, context)


@require_safe
def calendar_feed(request: PersonRequest, token: str) -> HttpResponse:
    """No login (a calendar app fetches it): the token is the key; unknown or revoked is a 404."""
    owner = services.calendar_feed_owner(token=token)
    if owner is None:
        raise Http404("No such calendar.")
    response = HttpResponse(calendar_ics(user=owner), content_type="text/calendar; charset=utf-8")
    response["Cache-Control"] = "private, max-age=300"
    return response


urlpatterns = [
    path("coach/bookings/", bookings_view, name="bookings"),
    path("coach/bookings/new/", booking_new, name="booking-new"),
    path("coach/bookings/calendar/", calendar_settings, name="booking-calendar"),
    path("coach/bookings/<uuid:booking_id>/cancel/", booking_cancel, name="booking-cancel"),
    path("calendar/<str:token>.ics", calendar_feed, name="calendar-feed"),
]
