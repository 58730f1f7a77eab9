"""The right of access and the right to erasure over the API: the same services as the "Your data" page."""

from __future__ import annotations

from collections.abc import Iterable
from typing import IO, Any
from uuid import UUID

from django.db.models import QuerySet
from django.http import FileResponse
from django.http.response import HttpResponseBase
from django.urls import path, reverse
from django.utils.cache import add_never_cache_headers
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_field
from rest_framework import mixins, negotiation, serializers, status, throttling, viewsets
from rest_framework.renderers import BaseRenderer
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.routers import SimpleRouter
from rest_framework.views import APIView

from fitjourney.api.errors import error_response
from fitjourney.api.serializers import StrictSerializer, error_schema, error_schemas

from ..models import DataExport, TokenScope
from ..request_info import audit_context, request_user
from ..selectors.privacy import data_exports_for_user
from ..services.privacy import (
    ExportInProgress,
    ExportUnavailable,
    account_erase,
    export_download,
    export_filename,
    export_request,
)

# Why a download is refused -> the status it answers with (the page uses the same).
UNAVAILABLE_STATUS = {"downloaded": 410, "expired": 410, "not_ready": 409}


def export_file_response(export: DataExport, handle: IO[bytes]) -> FileResponse:
    """The zip as an attachment, never cached or sniffed (the page and the API send the same)."""
    response = FileResponse(
        handle, as_attachment=True, filename=export_filename(export), content_type="application/zip"
    )
    response["X-Content-Type-Options"] = "nosniff"
    add_never_cache_headers(response)
    return response


class DataExportSerializer(serializers.ModelSerializer):
    download_url = serializers.SerializerMethodField(
        help_text=(
            "Set while the export is ready: GET it (`Authorization: Bearer` with the `read` scope, or the "
            "browser session) to receive the zip. It works once, and only until `expires_at`."
        )
    )

    class Meta:
        model = DataExport
        fields = [
            "id",
            "status",
            "progress",
            "progress_message",
            "size_bytes",
            "requested_at",
            "started_at",
            "finished_at",
            "expires_at",
            "downloaded_at",
            "download_url",
        ]
        read_only_fields = fields

    @extend_schema_field(serializers.URLField(allow_null=True))
    def get_download_url(self, export: DataExport) -> str | None:
        if not export.is_downloadable:
            return None
        url = reverse("api:export-download", args=[export.pk])
        request = self.context.get("request")
        return request.build_absolute_uri(url) if request is not None else url


class ExportRequestSerializer(StrictSerializer):
    """No fields: the export is always of the caller's own data."""


class AccountEraseSerializer(StrictSerializer):
    password = serializers.CharField(
        write_only=True, trim_whitespace=False, style={"input_type": "password"}, help_text="Your current password."
    )


class DataExportViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Copies of the caller's data (right of access). Another person's export is a 404."""

    serializer_class = DataExportSerializer
    lookup_value_converter = "uuid"

    def get_queryset(self) -> QuerySet[Any]:
        if getattr(self, "swagger_fake_view", False):  # schema generation has no person
            return DataExport.objects.none()
        return data_exports_for_user(user=request_user(self.request))

    @extend_schema(
        request=ExportRequestSerializer,
        responses={
            202: DataExportSerializer,
            409: error_schema("An export is already waiting or being built (`export_in_progress`)."),
        },
    )
    def create(self, request: Request) -> Response:
        """Asks for a copy of all your data; poll the export until it is ready, then download it."""
        ExportRequestSerializer(data=request.data).is_valid(raise_exception=True)
        try:
            export = export_request(user=request_user(request), audit=audit_context(request))
        except ExportInProgress as exc:
            return error_response(409, "export_in_progress", exc.messages[0])
        return Response(self.get_serializer(export).data, status=status.HTTP_202_ACCEPTED)


class _FirstRenderer(negotiation.DefaultContentNegotiation):
    """The zip whatever `Accept` says (`application/zip`, `*/*`…); errors are JSON, the API's only renderer."""

    def select_renderer(
        self, request: Request, renderers: Iterable[BaseRenderer], format_suffix: str | None = None
    ) -> tuple[BaseRenderer, str]:
        first = next(iter(renderers))
        return first, first.media_type


class DataExportDownloadView(APIView):
    """Downloads a ready export: the zip, once, by its owner, within 7 days of it being ready.

    With a token this needs the `read` scope (the download is a read of your data, even though it uses up
    the one download). A second download is a 410, as is an expired export; one still being built is a
    409; another person's export is a 404, like a missing one.
    """

    token_scope = TokenScope.READ  # accounts.api.permissions: the page URL also accepts POST with a token
    content_negotiation_class = _FirstRenderer

    @extend_schema(
        operation_id="exports_download",
        responses={
            (200, "application/zip"): OpenApiResponse(OpenApiTypes.BINARY, description="The zip of your data."),
            401: error_schema("No or a bad token or session."),
            403: error_schema("The token does not have the `read` scope (`insufficient_scope`)."),
            404: error_schema("No such export of yours."),
            409: error_schema("The export is not ready yet (`export_not_ready`)."),
            410: error_schema("Already downloaded (`export_downloaded`) or expired (`export_expired`): ask again."),
        },
    )
    def get(self, request: Request, pk: UUID) -> HttpResponseBase:
        try:
            export, handle = export_download(user=request_user(request), export_id=pk, audit=audit_context(request))
        except ExportUnavailable as exc:
            return error_response(UNAVAILABLE_STATUS[exc.reason], f"export_{exc.reason}", exc.message)
        return export_file_response(export, handle)


class PasswordCheckThrottle(throttling.UserRateThrottle):
    """A valid token must not let anyone guess the password here faster than at the token endpoint."""

    scope = "token_obtain"


class AccountEraseView(APIView):
    """Deletes the caller's account (right to erasure), as the "Delete my account" page does.

    Personal details are removed at once and the tokens revoked; what is left is deleted for good
    after 90 days. A wrong password is a 400 on `password` and changes nothing.
    """

    throttle_classes = [*APIView.throttle_classes, PasswordCheckThrottle]

    @extend_schema(request=AccountEraseSerializer, responses={204: None, **error_schemas(400, 429)})
    def post(self, request: Request) -> Response:
        serializer = AccountEraseSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        account_erase(
            user=request_user(request), password=serializer.validated_data["password"], audit=audit_context(request)
        )
        return Response(status=status.HTTP_204_NO_CONTENT)


router = SimpleRouter(use_regex_path=False)
router.register("exports", DataExportViewSet, basename="export")

urlpatterns = [
    path("account/erase/", AccountEraseView.as_view(), name="account-erase"),
    path("exports/<uuid:pk>/download/", DataExportDownloadView.as_view(), name="export-download"),
    *router.urls,
]
