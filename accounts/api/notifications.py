"""The caller's notifications and notification preferences: serializers, views and `urlpatterns`."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.routers import SimpleRouter
from rest_framework.utils.serializer_helpers import ReturnDict

from fitjourney.api.serializers import StrictSerializer, error_schemas

from ..models import Notification, NotificationType
from ..request_info import request_user
from ..selectors import notifications as selectors
from ..selectors.notifications import PreferenceRow
from ..services import notifications as services

# Serializers


class RelatedObjectSerializer(serializers.Serializer):
    type = serializers.CharField(help_text='The kind of object, as "app.model", e.g. "training.session".')
    id = serializers.CharField()


class NotificationSerializer(serializers.ModelSerializer):
    related = serializers.SerializerMethodField(help_text="The object the notification is about, if any.")
    is_read = serializers.BooleanField(read_only=True)

    class Meta:
        model = Notification
        fields = [
            "id",
            "type",
            "title",
            "message",
            "data",
            "related",
            "action_url",
            "priority",
            "channels",
            "is_read",
            "read_at",
            "emailed_at",
            "created_at",
        ]
        read_only_fields = fields

    @extend_schema_field(RelatedObjectSerializer(allow_null=True))
    def get_related(self, obj: Notification) -> dict[str, Any] | None:
        related = obj.related_type
        if related is None:
            return None
        return RelatedObjectSerializer({"type": f"{related.app_label}.{related.model}", "id": obj.related_id}).data


class NotificationFilterSerializer(serializers.Serializer):
    """Query parameters of the list (not strict: `page` and `page_size` travel with them)."""

    unread = serializers.BooleanField(required=False, default=False, help_text="Only unread notifications.")
    type = serializers.ChoiceField(choices=NotificationType.choices, required=False, help_text="Only this type.")


class NoBodySerializer(StrictSerializer):
    """An action that takes no fields: anything sent is refused rather than silently ignored."""


class ReadAllSerializer(StrictSerializer):
    type = serializers.ChoiceField(
        choices=NotificationType.choices, required=False, help_text="Only notifications of this type."
    )


class ReadAllResultSerializer(serializers.Serializer):
    marked_read = serializers.IntegerField(help_text="How many notifications were unread and are now read.")


class UnreadCountSerializer(serializers.Serializer):
    unread = serializers.IntegerField()


class PreferenceSerializer(StrictSerializer):
    type = serializers.ChoiceField(choices=NotificationType.choices)
    in_app = serializers.BooleanField(help_text="Show it in the app (inbox and unread count).")
    email = serializers.BooleanField(help_text="Send it by e-mail.")


class PreferencesSerializer(StrictSerializer):
    """The whole table, one entry per type: what GET returns is what PUT takes."""

    preferences = PreferenceSerializer(many=True)

    def validate_preferences(self, value: list[dict]) -> list[dict]:
        kinds = [row["type"] for row in value]
        repeated = sorted({kind for kind in kinds if kinds.count(kind) > 1})
        if repeated:
            raise serializers.ValidationError(f"Each type once; repeated: {', '.join(repeated)}.")
        missing = [kind for kind in NotificationType.values if kind not in kinds]
        if missing:
            raise serializers.ValidationError(f"PUT replaces the whole table; missing: {', '.join(missing)}.")
        return value


def _preferences(table: list[PreferenceRow]) -> ReturnDict:
    """The table in the shape PUT takes (each PreferenceRow read by PreferenceSerializer)."""
    return PreferencesSerializer({"preferences": table}).data


# Views


class NotificationViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.DestroyModelMixin, viewsets.GenericViewSet
):
    """The caller's in-app notifications, newest first. Another person's notification is a 404."""

    serializer_class = NotificationSerializer
    lookup_value_converter = "uuid"

    def get_queryset(self) -> QuerySet[Any]:
        if getattr(self, "swagger_fake_view", False):  # schema generation has no person
            return Notification.objects.none()
        if self.action == "list":
            filters = NotificationFilterSerializer(data=self.request.query_params)
            filters.is_valid(raise_exception=True)
            return selectors.notifications_inbox(
                user=request_user(self.request),
                unread_only=filters.validated_data["unread"],
                type=filters.validated_data.get("type"),
            )
        return selectors.notifications_inbox(user=request_user(self.request))

    @extend_schema(parameters=[NotificationFilterSerializer])
    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().list(request, *args, **kwargs)

    @extend_schema(responses={204: None, **error_schemas(404)})
    def destroy(self, request: Request, pk: str | None = None) -> Response:
        services.notification_delete(notification=self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(request=None, responses={200: NotificationSerializer, **error_schemas(400, 404)})
    @action(detail=True, methods=["post"])
    def read(self, request: Request, pk: str | None = None) -> Response:
        """Mark one notification read (reading it again keeps the first time)."""
        NoBodySerializer(data=request.data).is_valid(raise_exception=True)
        notification = services.notification_mark_read(notification=self.get_object())
        return Response(NotificationSerializer(notification).data)

    @extend_schema(request=ReadAllSerializer, responses={200: ReadAllResultSerializer, **error_schemas(400)})
    @action(detail=False, methods=["post"], url_path="read-all")
    def read_all(self, request: Request) -> Response:
        """Mark every unread notification read, or only those of one `type`."""
        serializer = ReadAllSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        count = services.notifications_mark_all_read(
            user=request_user(request), type=serializer.validated_data.get("type")
        )
        return Response(ReadAllResultSerializer({"marked_read": count}).data)

    @extend_schema(responses=UnreadCountSerializer)
    @action(detail=False, methods=["get"], url_path="unread-count", pagination_class=None)
    def unread_count(self, request: Request) -> Response:
        count = selectors.notifications_unread_count(user=request_user(request))
        return Response(UnreadCountSerializer({"unread": count}).data)

    @extend_schema(responses=PreferencesSerializer)
    @action(detail=False, methods=["get"], pagination_class=None)
    def preferences(self, request: Request) -> Response:
        """Per type: whether it shows in the app and whether it is e-mailed. Defaults apply until changed."""
        return Response(_preferences(selectors.notification_preferences_table(user=request_user(request))))

    @extend_schema(request=PreferencesSerializer, responses={200: PreferencesSerializer, **error_schemas(400)})
    @preferences.mapping.put
    def preferences_update(self, request: Request) -> Response:
        """Replace the whole table (every type exactly once)."""
        serializer = PreferencesSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        table = services.notification_preferences_update(
            user=request_user(request),
            preferences={
                row["type"]: {"in_app": row["in_app"], "email": row["email"]}
                for row in serializer.validated_data["preferences"]
            },
        )
        return Response(_preferences(table))


router = SimpleRouter(use_regex_path=False)
router.register("notifications", NotificationViewSet, basename="notification")

urlpatterns = router.urls
