"""The right of access and the right to erasure over the API: the same services as the "Your data" page."""

from __future__ import annotations

from django.urls import path, reverse
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_field
from rest_framework import mixins, serializers, status, throttling, viewsets
from rest_framework.response import Response
from rest_framework.routers import SimpleRouter
from rest_framework.settings import api_settings
from rest_framework.views import APIView

from fitjourney.api.errors import error_response
from fitjourney.api.serializers import StrictSerializer

from ..models import DataExport
from ..selectors.privacy import data_exports_for_user
from ..services.privacy import ExportInProgress, account_erase, export_request


class DataExportSerializer(serializers.ModelSerializer):
    download_url = serializers.SerializerMethodField(
        help_text=(
            "Set while the export is ready: POST to it (browser session or `Authorization: Bearer`) to "
            "receive the zip. It works once, and only until `expires_at`."
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
        url = reverse("accounts:export-download", args=[export.pk])
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

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation has no person
            return DataExport.objects.none()
        return data_exports_for_user(user=self.request.user)

    @extend_schema(
        request=ExportRequestSerializer,
        responses={
            202: DataExportSerializer,
            409: OpenApiResponse(description="An export is already waiting or being built."),
        },
    )
    def create(self, request):
        """Asks for a copy of all your data; poll the export until it is ready, then download it."""
        ExportRequestSerializer(data=request.data).is_valid(raise_exception=True)
        try:
            export = export_request(user=request.user, request=request._request)
        except ExportInProgress as exc:
            return error_response(409, "export_in_progress", exc.messages[0])
        return Response(self.get_serializer(export).data, status=status.HTTP_202_ACCEPTED)


class PasswordCheckThrottle(throttling.UserRateThrottle):
    """A valid token must not let anyone guess the password here faster than at the token endpoint."""

    scope = "token_obtain"


class AccountEraseView(APIView):
    """Deletes the caller's account (right to erasure), as the "Delete my account" page does.

    Personal details are removed at once and the tokens revoked; what is left is deleted for good
    after 90 days. A wrong password is a 400 on `password` and changes nothing.
    """

    throttle_classes = [*api_settings.DEFAULT_THROTTLE_CLASSES, PasswordCheckThrottle]

    @extend_schema(request=AccountEraseSerializer, responses={204: None})
    def post(self, request):
        serializer = AccountEraseSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        account_erase(user=request.user, password=serializer.validated_data["password"], request=request._request)
        return Response(status=status.HTTP_204_NO_CONTENT)


router = SimpleRouter(use_regex_path=False)
router.register("exports", DataExportViewSet, basename="export")

urlpatterns = [
    path("account/erase/", AccountEraseView.as_view(), name="account-erase"),
    *router.urls,
]
