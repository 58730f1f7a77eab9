"""API: trainers, the member's trainer links with their grants, and a trainer's clients. Ends with `urlpatterns`.

Member side
- GET /trainers/ — the directory of trainers taking clients (`?speciality=`, `?language=`, `?location=`).
- GET /trainers/{id}/ — one trainer's public profile.
- GET/POST /trainer-links/ — the caller's trainers (`?status=` open by default, or all / one status); POST
  invites a trainer with the grants the member chooses.
- GET /trainer-links/{id}/ — one link, seen by either of its two people.
- POST /trainer-links/{id}/accept/ | decline/ — the invited side answers (a member accepting sends `grants`).
- POST /trainer-links/{id}/pause/ | resume/ | end/ — either side.
- PUT/PATCH /trainer-links/{id}/grants/ — the member changes what the trainer may see (PUT: all of them).

Trainer side
- GET /clients/ — the caller's clients (`?status=`). Only trainers: anyone else gets 403 (a member is told
  plainly this is not for them rather than shown a list that is always empty).
- GET /clients/{id}/ — one of them; another trainer's client is a 404.
- POST /clients/invite/ — invites a member by e-mail.

Writes go through coaching.services.clients, as the pages do; a link that is not the caller's is a 404.
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django.urls import path
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.request_info import PersonApiRequest
from fitjourney.api.pagination import PageNumberPagination
from fitjourney.api.serializers import StrictSerializer, error_schemas
from fitjourney.errors import NotAllowed, NotFound
from fitjourney.hooks.scoping import is_trainer

from ..models import Client, ClientStatus, Location, Trainer
from ..selectors.clients import (
    DirectoryFilters,
    client_get_for_trainer,
    client_grants,
    clients_for_trainer,
    link_get_for_party,
    links_for_member,
    trainer_get_public,
    trainers_directory,
)
from ..services import clients as services
from ..services.clients import MESSAGE_MAX

# ---------------------------------------------------------------------------------------------------
# Output


class LocationBriefSerializer(serializers.ModelSerializer[Location]):
    class Meta:
        model = Location
        fields = ("id", "name")


class TrainerSerializer(serializers.ModelSerializer[Trainer]):
    name = serializers.CharField(source="__str__", read_only=True)
    locations = LocationBriefSerializer(many=True, read_only=True)

    class Meta:
        model = Trainer
        fields = (
            "id",
            "name",
            "bio",
            "specialities",
            "certifications",
            "years_experience",
            "hourly_rate",
            "currency",
            "languages",
            "locations",
            "accepting_clients",
            "rating_average",
            "rating_count",
        )


class GrantsSerializer(serializers.Serializer):
    """What the member lets the trainer see, and whether the trainer may record on their behalf."""

    training = serializers.BooleanField()
    body = serializers.BooleanField()
    nutrition = serializers.BooleanField()
    habits = serializers.BooleanField()
    checkins = serializers.BooleanField()
    journal = serializers.BooleanField()
    write = serializers.BooleanField(help_text="May record sessions and body metrics for the member.")


class PersonBriefSerializer(serializers.Serializer):
    id = serializers.UUIDField(allow_null=True, help_text="Null: a member who erased their account.")
    name = serializers.CharField()


class TrainerLinkSerializer(serializers.ModelSerializer[Client]):
    """A link as either of its people sees it: the trainer, the status and the member's grants."""

    trainer = serializers.SerializerMethodField()
    grants = serializers.SerializerMethodField()

    class Meta:
        model = Client
        fields = (
            "id",
            "trainer",
            "status",
            "invited_by",
            "invitation_message",
            "grants",
            "accepted_at",
            "ended_at",
            "created_at",
        )

    @extend_schema_field(PersonBriefSerializer)
    def get_trainer(self, link: Client) -> dict[str, Any]:
        return {"id": link.trainer_id, "name": str(link.trainer)}

    @extend_schema_field(GrantsSerializer)
    def get_grants(self, link: Client) -> dict[str, bool]:
        return client_grants(link)


class ClientSerializer(serializers.ModelSerializer[Client]):
    """A link as the trainer sees it: who, since when, what they share, and the cached stats."""

    member = serializers.SerializerMethodField()
    grants = serializers.SerializerMethodField()
    # A plain string in the schema: the same three levels already have an enum under another name.
    level = serializers.CharField(read_only=True, help_text="beginner, intermediate or advanced; empty: not set.")

    class Meta:
        model = Client
        fields = (
            "id",
            "member",
            "status",
            "invited_by",
            "invitation_message",
            "grants",
            "level",
            "sessions_count",
            "last_session_date",
            "attendance_pct",
            "current_streak",
            "accepted_at",
            "ended_at",
            "created_at",
        )

    @extend_schema_field(PersonBriefSerializer)
    def get_member(self, link: Client) -> dict[str, Any]:
        member = link.member
        if member is None:  # erased: the link's history stays with the trainer, anonymised
            return {"id": None, "name": "Former member"}
        return {"id": member.pk, "name": member.get_full_name() or member.username}

    @extend_schema_field(GrantsSerializer)
    def get_grants(self, link: Client) -> dict[str, bool]:
        return client_grants(link)


# ---------------------------------------------------------------------------------------------------
# Input


class GrantsInputSerializer(StrictSerializer):
    training = serializers.BooleanField()
    body = serializers.BooleanField()
    nutrition = serializers.BooleanField()
    habits = serializers.BooleanField()
    checkins = serializers.BooleanField()
    journal = serializers.BooleanField()
    write = serializers.BooleanField()


class GrantsChoiceSerializer(StrictSerializer):
    """The grants of a new link: those left out are off."""

    training = serializers.BooleanField(required=False, default=False)
    body = serializers.BooleanField(required=False, default=False)
    nutrition = serializers.BooleanField(required=False, default=False)
    habits = serializers.BooleanField(required=False, default=False)
    checkins = serializers.BooleanField(required=False, default=False)
    journal = serializers.BooleanField(required=False, default=False)
    write = serializers.BooleanField(required=False, default=False)


class TrainerInviteSerializer(StrictSerializer):
    trainer = serializers.UUIDField()
    grants = GrantsChoiceSerializer(required=False, help_text="Left out: training and body metrics.")
    message = serializers.CharField(required=False, allow_blank=True, max_length=MESSAGE_MAX)


class AcceptSerializer(StrictSerializer):
    grants = GrantsChoiceSerializer(
        required=False, help_text="A member accepting chooses the grants (none when left out)."
    )


class MemberInviteSerializer(StrictSerializer):
    email = serializers.EmailField()
    message = serializers.CharField(required=False, allow_blank=True, max_length=MESSAGE_MAX)


# ---------------------------------------------------------------------------------------------------
# Views


def _paginated(request: Request, view: APIView, rows: Any, serializer: type[serializers.Serializer]) -> Response:
    paginator = PageNumberPagination()
    page: list[Any] = paginator.paginate_queryset(rows, request, view=view) or []
    return paginator.get_paginated_response(serializer(page, many=True).data)


def _grants_in(data: Any, *, partial: bool) -> dict[str, bool]:
    serializer = GrantsInputSerializer(data=data, partial=partial)
    serializer.is_valid(raise_exception=True)
    return dict(serializer.validated_data)


DIRECTORY_PARAMETERS = [
    OpenApiParameter("speciality", OpenApiTypes.STR, description="Part of a speciality, any case."),
    OpenApiParameter("language", OpenApiTypes.STR, description="Part of a language, any case."),
    OpenApiParameter("location", OpenApiTypes.UUID, description="Trains at this location."),
]


class TrainerListView(APIView):
    @extend_schema(
        parameters=DIRECTORY_PARAMETERS,
        responses={200: TrainerSerializer(many=True), **error_schemas(400, 401, 403)},
        operation_id="trainers_list",
    )
    def get(self, request: PersonApiRequest) -> Response:
        raw_location = request.query_params.get("location") or None
        location = None
        if raw_location is not None:
            try:
                location = UUID(raw_location)
            except ValueError as error:
                raise serializers.ValidationError({"location": ["Give a location id."]}) from error
        filters = DirectoryFilters(
            speciality=request.query_params.get("speciality", "")[:60],
            language=request.query_params.get("language", "")[:40],
            location=location,
        )
        return _paginated(request, self, trainers_directory(filters=filters), TrainerSerializer)


class TrainerDetailView(APIView):
    @extend_schema(responses={200: TrainerSerializer, **error_schemas(401, 403, 404)}, operation_id="trainers_retrieve")
    def get(self, request: PersonApiRequest, trainer_id: UUID) -> Response:
        return Response(TrainerSerializer(trainer_get_public(trainer_id=trainer_id)).data)


LINK_STATUS_PARAMETER = OpenApiParameter(
    "status", OpenApiTypes.STR, enum=["open", "all", *ClientStatus.values], description="Default: open."
)


class TrainerLinkListView(APIView):
    @extend_schema(
        parameters=[LINK_STATUS_PARAMETER],
        responses={200: TrainerLinkSerializer(many=True), **error_schemas(401, 403)},
        operation_id="trainer_links_list",
    )
    def get(self, request: PersonApiRequest) -> Response:
        wanted = request.query_params.get("status") or "open"
        links = links_for_member(member=request.user, include_ended=wanted != "open")
        if wanted in ClientStatus.values:
            links = links.filter(status=wanted)
        elif wanted not in ("open", "all"):
            links = links.none()
        return _paginated(request, self, links, TrainerLinkSerializer)

    @extend_schema(
        request=TrainerInviteSerializer,
        responses={201: TrainerLinkSerializer, **error_schemas(400, 401, 403)},
        operation_id="trainer_links_create",
    )
    def post(self, request: PersonApiRequest) -> Response:
        serializer = TrainerInviteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        try:
            trainer = trainer_get_public(trainer_id=data["trainer"])
        except NotFound as error:  # an unknown trainer is a field error of this request
            raise serializers.ValidationError({"trainer": ["No such trainer."]}) from error
        grants = data.get("grants")
        link = services.client_invite_trainer(
            member=request.user,
            trainer=trainer,
            grants=services.DEFAULT_GRANTS if grants is None else grants,
            message=data.get("message", ""),
        )
        link = link_get_for_party(user=request.user, link_id=link.pk)
        return Response(TrainerLinkSerializer(link).data, status=status.HTTP_201_CREATED)


class TrainerLinkDetailView(APIView):
    @extend_schema(
        responses={200: TrainerLinkSerializer, **error_schemas(401, 403, 404)}, operation_id="trainer_links_retrieve"
    )
    def get(self, request: PersonApiRequest, link_id: UUID) -> Response:
        return Response(TrainerLinkSerializer(link_get_for_party(user=request.user, link_id=link_id)).data)


class TrainerLinkAcceptView(APIView):
    @extend_schema(
        request=AcceptSerializer,
        responses={200: TrainerLinkSerializer, **error_schemas(400, 401, 403, 404)},
        operation_id="trainer_links_accept",
    )
    def post(self, request: PersonApiRequest, link_id: UUID) -> Response:
        link = link_get_for_party(user=request.user, link_id=link_id)
        serializer = AcceptSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.client_accept(client=link, by=request.user, grants=serializer.validated_data.get("grants"))
        return Response(TrainerLinkSerializer(link_get_for_party(user=request.user, link_id=link_id)).data)


def _transition(name: str, service: Any, description: str) -> type[APIView]:
    class TransitionView(APIView):
        @extend_schema(
            request=None,
            responses={200: TrainerLinkSerializer, **error_schemas(400, 401, 403, 404)},
            operation_id=f"trainer_links_{name}",
            description=description,
        )
        def post(self, request: PersonApiRequest, link_id: UUID) -> Response:
            link = link_get_for_party(user=request.user, link_id=link_id)
            service(client=link, by=request.user)
            return Response(TrainerLinkSerializer(link_get_for_party(user=request.user, link_id=link_id)).data)

    TransitionView.__name__ = f"TrainerLink{name.title()}View"
    return TransitionView


TrainerLinkDeclineView = _transition("decline", services.client_decline, "The invited side declines.")
TrainerLinkPauseView = _transition("pause", services.client_pause, "Either side pauses an active link.")
TrainerLinkResumeView = _transition("resume", services.client_resume, "Either side resumes a paused link.")
TrainerLinkEndView = _transition("end", services.client_end, "Either side ends the link: access ends at once.")


class TrainerLinkGrantsView(APIView):
    @extend_schema(
        request=GrantsInputSerializer,
        responses={200: TrainerLinkSerializer, **error_schemas(400, 401, 403, 404)},
        operation_id="trainer_links_grants_update",
        description="All grants. Only the member; takes effect at once.",
    )
    def put(self, request: PersonApiRequest, link_id: UUID) -> Response:
        return self._update(request, link_id, partial=False)

    @extend_schema(
        request=GrantsInputSerializer,
        responses={200: TrainerLinkSerializer, **error_schemas(400, 401, 403, 404)},
        operation_id="trainer_links_grants_partial_update",
        description="Some grants; the others stay. Only the member; takes effect at once.",
    )
    def patch(self, request: PersonApiRequest, link_id: UUID) -> Response:
        return self._update(request, link_id, partial=True)

    def _update(self, request: PersonApiRequest, link_id: UUID, *, partial: bool) -> Response:
        link = link_get_for_party(user=request.user, link_id=link_id)
        grants = _grants_in(request.data, partial=partial)
        services.client_grants_update(client=link, by=request.user, grants=grants)
        return Response(TrainerLinkSerializer(link_get_for_party(user=request.user, link_id=link_id)).data)


def _trainer_only(request: PersonApiRequest) -> None:
    if not is_trainer(request.user):
        raise NotAllowed("Only trainers have clients.")


class ClientListView(APIView):
    @extend_schema(
        parameters=[
            OpenApiParameter("status", OpenApiTypes.STR, enum=ClientStatus.values, description="Default: all.")
        ],
        responses={200: ClientSerializer(many=True), **error_schemas(401, 403)},
        operation_id="clients_list",
    )
    def get(self, request: PersonApiRequest) -> Response:
        _trainer_only(request)
        wanted = request.query_params.get("status") or None
        clients = clients_for_trainer(trainer_user=request.user, status=wanted)
        if wanted is not None and wanted not in ClientStatus.values:
            clients = clients.none()
        return _paginated(request, self, clients, ClientSerializer)


class ClientDetailView(APIView):
    @extend_schema(responses={200: ClientSerializer, **error_schemas(401, 403, 404)}, operation_id="clients_retrieve")
    def get(self, request: PersonApiRequest, client_id: UUID) -> Response:
        _trainer_only(request)
        return Response(ClientSerializer(client_get_for_trainer(trainer_user=request.user, client_id=client_id)).data)


class ClientInviteView(APIView):
    @extend_schema(
        request=MemberInviteSerializer,
        responses={201: ClientSerializer, **error_schemas(400, 401, 403)},
        operation_id="clients_invite",
    )
    def post(self, request: PersonApiRequest) -> Response:
        _trainer_only(request)
        serializer = MemberInviteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        link = services.client_invite_member(
            trainer_user=request.user,
            email=serializer.validated_data["email"],
            message=serializer.validated_data.get("message", ""),
        )
        link = client_get_for_trainer(trainer_user=request.user, client_id=link.pk)
        return Response(ClientSerializer(link).data, status=status.HTTP_201_CREATED)


urlpatterns = [
    path("trainers/", TrainerListView.as_view(), name="trainers"),
    path("trainers/<uuid:trainer_id>/", TrainerDetailView.as_view(), name="trainer"),
    path("trainer-links/", TrainerLinkListView.as_view(), name="trainer-links"),
    path("trainer-links/<uuid:link_id>/", TrainerLinkDetailView.as_view(), name="trainer-link"),
    path("trainer-links/<uuid:link_id>/accept/", TrainerLinkAcceptView.as_view(), name="trainer-link-accept"),
    path("trainer-links/<uuid:link_id>/decline/", TrainerLinkDeclineView.as_view(), name="trainer-link-decline"),
    path("trainer-links/<uuid:link_id>/pause/", TrainerLinkPauseView.as_view(), name="trainer-link-pause"),
    path("trainer-links/<uuid:link_id>/resume/", TrainerLinkResumeView.as_view(), name="trainer-link-resume"),
    path("trainer-links/<uuid:link_id>/end/", TrainerLinkEndView.as_view(), name="trainer-link-end"),
    path("trainer-links/<uuid:link_id>/grants/", TrainerLinkGrantsView.as_view(), name="trainer-link-grants"),
    path("clients/", ClientListView.as_view(), name="clients"),
    path("clients/invite/", ClientInviteView.as_view(), name="clients-invite"),
    path("clients/<uuid:client_id>/", ClientDetailView.as_view(), name="client"),
]
