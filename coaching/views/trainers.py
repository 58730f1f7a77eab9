"""The trainee's trainer pages: the directory of trainers taking clients (/coach/trainers/), a trainer's page
with an invitation form, and the member's own links (/coach/my-trainers/): invitations to answer, grants to
change, a link to end (POST, with a confirm step). Another person's link is a 404 (link_get_for_member
raises NotFound). Ends with `urlpatterns`."""

from __future__ import annotations

from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import path
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.request_info import PersonRequest

from ..forms.base import errors_to_form
from ..forms.trainers import DirectoryFilterForm, GrantsForm, InviteTrainerForm
from ..models import Client, ClientStatus, InvitedBy
from ..selectors.clients import (
    DirectoryFilters,
    client_grants,
    directory_choices,
    link_get_for_member,
    links_for_member,
    trainer_get_public,
    trainers_directory,
)
from ..services import clients as services

PAGE_SIZE = 20
MY_LINKS_SHOWN = 50  # standing links first; a member with more than this has ended ones below


def _to_answer(link: Client) -> bool:
    """An invitation from the trainer, waiting for the member."""
    return link.status == ClientStatus.INVITED and link.invited_by == InvitedBy.TRAINER


@login_required
@require_GET
def trainers_view(request: PersonRequest) -> HttpResponse:
    """The directory: one query for the page of trainers, one for their locations, one to count, and the
    filter menus — the same however many trainers there are."""
    form = DirectoryFilterForm(request.GET or None)
    filters = DirectoryFilters()
    if form.is_valid():
        location = form.cleaned_data["location"]
        filters = DirectoryFilters(
            speciality=form.cleaned_data["speciality"],
            language=form.cleaned_data["language"],
            location=location.pk if location else None,
        )
    page = Paginator(trainers_directory(filters=filters), PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {"form": form, "page": page, "choices": directory_choices(), "query": query.urlencode()}
    template = "coaching/trainers/directory.html"
    if request.htmx:
        template += "#results"
    return render(request, template, context)


@login_required
@require_GET
def trainer_view(request: PersonRequest, trainer_id: UUID) -> HttpResponse:
    trainer = trainer_get_public(trainer_id=trainer_id)
    link = links_for_member(member=request.user).filter(trainer=trainer).first()
    form = InviteTrainerForm() if link is None and trainer.accepting_clients else None
    return render(request, "coaching/trainers/trainer.html", {"trainer": trainer, "link": link, "form": form})


@login_required
@require_POST
def trainer_invite(request: PersonRequest, trainer_id: UUID) -> HttpResponseBase:
    trainer = trainer_get_public(trainer_id=trainer_id)
    form = InviteTrainerForm(request.POST)
    if form.is_valid():
        try:
            link = services.client_invite_trainer(
                member=request.user,
                trainer=trainer,
                grants=form.grant_values(),
                message=form.cleaned_data["message"],
            )
        except ValidationError as error:
            errors_to_form(form, error)
        else:
            messages.success(request, f"Invitation sent to {trainer}.")
            return redirect("coaching:my-trainer", link_id=link.pk)
    context = {"trainer": trainer, "link": None, "form": form}
    return render(request, "coaching/trainers/trainer.html", context, status=400)


@login_required
@require_GET
def my_trainers_view(request: PersonRequest) -> HttpResponse:
    """The member's links, both people joined in one query, plus an accept form per invitation."""
    links = list(links_for_member(member=request.user, include_ended=True)[:MY_LINKS_SHOWN])
    rows = [{"link": link, "form": GrantsForm(prefix=str(link.pk)) if _to_answer(link) else None} for link in links]
    return render(request, "coaching/trainers/my_trainers.html", {"rows": rows})


@login_required
@require_http_methods(["GET", "POST"])
def my_trainer_view(request: PersonRequest, link_id: UUID) -> HttpResponseBase:
    """One link: its grants (POST changes them at once)."""
    link = link_get_for_member(member=request.user, link_id=link_id)
    form = GrantsForm(request.POST or None, current=client_grants(link))
    if request.method == "POST" and form.is_valid():
        try:
            services.client_grants_update(client=link, by=request.user, grants=form.grant_values())
        except ValidationError as error:
            errors_to_form(form, error)
        else:
            messages.success(request, "Saved: your trainer sees exactly what is ticked, from now on.")
            return redirect("coaching:my-trainer", link_id=link.pk)
    status = 400 if request.method == "POST" else 200
    return render(request, "coaching/trainers/link.html", {"link": link, "form": form}, status=status)


@login_required
@require_POST
def my_trainer_accept(request: PersonRequest, link_id: UUID) -> HttpResponseBase:
    link = link_get_for_member(member=request.user, link_id=link_id)
    form = GrantsForm(request.POST, prefix=str(link.pk))
    if form.is_valid():
        try:
            services.client_accept(client=link, by=request.user, grants=form.grant_values())
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, f"{link.trainer} is now your trainer.")
    return redirect("coaching:my-trainers")


@login_required
@require_POST
def my_trainer_decline(request: PersonRequest, link_id: UUID) -> HttpResponseBase:
    link = link_get_for_member(member=request.user, link_id=link_id)
    try:
        services.client_decline(client=link, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, "Invitation declined.")
    return redirect("coaching:my-trainers")


@login_required
@require_http_methods(["GET", "POST"])
def my_trainer_end(request: PersonRequest, link_id: UUID) -> HttpResponseBase:
    """GET asks to confirm; POST with confirm=yes ends the link (the trainer's access ends at once)."""
    link = link_get_for_member(member=request.user, link_id=link_id)
    if request.method == "POST" and request.POST.get("confirm") == "yes":
        try:
            services.client_end(client=link, by=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, f"Ended: {link.trainer} no longer sees your data.")
        return redirect("coaching:my-trainers")
    return render(request, "coaching/trainers/end.html", {"link": link})


urlpatterns = [
    path("coach/trainers/", trainers_view, name="trainers"),
    path("coach/trainers/<uuid:trainer_id>/", trainer_view, name="trainer"),
    path("coach/trainers/<uuid:trainer_id>/invite/", trainer_invite, name="trainer-invite"),
    path("coach/my-trainers/", my_trainers_view, name="my-trainers"),
    path("coach/my-trainers/<uuid:link_id>/", my_trainer_view, name="my-trainer"),
    path("coach/my-trainers/<uuid:link_id>/accept/", my_trainer_accept, name="my-trainer-accept"),
    path("coach/my-trainers/<uuid:link_id>/decline/", my_trainer_decline, name="my-trainer-decline"),
    path("coach/my-trainers/<uuid:link_id>/end/", my_trainer_end, name="my-trainer-end"),
]
