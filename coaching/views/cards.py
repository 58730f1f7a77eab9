"""The client's session cards: the list (/coach/cards/), a card with its logged workout and the rating of
the trainer (POST). Another person's card is a 404. Ends with `urlpatterns`."""

from __future__ import annotations

from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import path
from django.views.decorators.http import require_GET, require_http_methods

from accounts.request_info import PersonRequest

from ..forms.base import errors_to_form
from ..forms.cards import CardRatingForm
from ..selectors.cards import card_detail_for_member, cards_for_member
from ..services import cards as services

PAGE_SIZE = 20


@login_required
@require_GET
def cards_view(request: PersonRequest) -> HttpResponse:
    page = Paginator(cards_for_member(user=request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "coaching/cards/list.html", {"page": page})


@login_required
@require_http_methods(["GET", "POST"])
def card_view(request: PersonRequest, card_id: UUID) -> HttpResponseBase:
    card = card_detail_for_member(user=request.user, card_id=card_id)
    initial = {"rating": card.client_rating, "comment": card.client_comment} if card.client_rating else None
    form = CardRatingForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.session_card_rate(
                user=request.user, card=card, rating=form.cleaned_data["rating"], comment=form.cleaned_data["comment"]
            )
        except ValidationError as error:
            errors_to_form(form, error)
        else:
            messages.success(request, "Thank you — your trainer sees your rating.")
            return redirect("coaching:card", card_id=card.pk)
    status = 400 if request.method == "POST" else 200
    return render(request, "coaching/cards/detail.html", {"card": card, "form": form}, status=status)


urlpatterns = [
    path("coach/cards/", cards_view, name="cards"),
    path("coach/cards/<uuid:card_id>/", card_view, name="card"),
]
