"""The signed-in person's profile over the API: read, change (with a reason when locked), history, as-of.

Heights are SI (`height_m`, metres) here, echoed in the person's units (`height_display`: "178 cm" or
"5 ft 10 in", their `unit_system`). Writes go through accounts.services.profiles, like the profile page's;
the field lists come from there (PROFILE_FIELDS).
"""

from __future__ import annotations

from datetime import tzinfo
from typing import Any

from django.db.models import QuerySet
from django.urls import path
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, serializers
from rest_framework.parsers import MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from fitjourney.api.errors import error_response
from fitjourney.api.parsers import JSONParser
from fitjourney.api.serializers import StrictSerializer, error_schema, error_schemas
from fitjourney.units import height_display

from ..avatars import MAX_BYTES
from ..models import (
    PRIMARY_GOALS,
    ActivityLevel,
    ChangedBy,
    FitnessLevel,
    Gender,
    Goal,
    Level,
    Profile,
    ProfileVersion,
    SleepQuality,
)
from ..presenters import age_on
from ..request_info import audit_context, request_user
from ..selectors import profiles as selectors
from ..services import profiles as services
from ..services.profiles import PROFILE_FIELDS


def _level_choices(what: str) -> list[tuple[str, str]]:
    """Level's values labelled for one field ("Low energy"): energy and stress then document apart."""
    return [(value, f"{label} {what}") for value, label in Level.choices]


ENERGY_CHOICES = _level_choices("energy")
STRESS_CHOICES = _level_choices("stress")


class ProfileSerializer(serializers.ModelSerializer):
    avatar = serializers.SerializerMethodField(help_text="The photo's URL, or null.")
    energy_level = serializers.ChoiceField(choices=ENERGY_CHOICES, read_only=True)
    stress_level = serializers.ChoiceField(choices=STRESS_CHOICES, read_only=True)
    # Named like a version's fields: the profile's last change is its current version's.
    changed_by = serializers.ChoiceField(choices=ChangedBy.choices, source="last_modified_by", read_only=True)
    change_reason = serializers.CharField(source="modification_reason", read_only=True)
    age = serializers.SerializerMethodField(help_text="Whole years today, from birth_date.")
    height_display = serializers.SerializerMethodField(
        help_text='The height in the person\'s units (their `unit_system`): "178 cm" or "5 ft 10 in"; empty if unknown.'
    )

    class Meta:
        model = Profile
        fields = [
            *PROFILE_FIELDS,
            "age",
            "height_display",
            "version",
            "is_locked",
            "locked_at",
            "changed_by",
            "change_reason",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields

    def get_avatar(self, profile: Profile) -> str | None:
        return profile.avatar.url if profile.avatar else None

    def get_age(self, profile: Profile) -> int | None:
        return age_on(profile.birth_date, profile.user.local_today())

    def get_height_display(self, profile: Profile) -> str:
        return height_display(profile.height_m, profile.user.unit_system)


class ProfileUpdateSerializer(StrictSerializer):
    """Every field is optional; only the ones sent change. A locked profile needs `reason`.

    One field per name in services.profiles.PROFILE_FIELDS (a test holds them equal), plus `reason`."""

    birth_date = serializers.DateField(required=False, allow_null=True)
    gender = serializers.ChoiceField(choices=Gender.choices, required=False, allow_blank=True)
    height_m = serializers.DecimalField(
        max_digits=4, decimal_places=3, required=False, allow_null=True, help_text="Height in metres (0.5–2.75)."
    )
    bio = serializers.CharField(max_length=1000, required=False, allow_blank=True)
    location = serializers.CharField(max_length=255, required=False, allow_blank=True)
    avatar = serializers.FileField(
        required=False,
        allow_null=True,
        allow_empty_file=False,
        help_text=(
            f"multipart/form-data: a JPEG, PNG or WebP image of at most {MAX_BYTES // (1024 * 1024)} MB. "
            "null (JSON) removes the photo."
        ),
    )
    activity_level = serializers.ChoiceField(choices=ActivityLevel.choices, required=False, allow_blank=True)
    fitness_level = serializers.ChoiceField(choices=FitnessLevel.choices, required=False, allow_blank=True)
    primary_goal = serializers.ChoiceField(
        choices=[(goal.value, goal.label) for goal in PRIMARY_GOALS], required=False, allow_blank=True
    )
    secondary_goal = serializers.ChoiceField(
        choices=Goal.choices,
        required=False,
        allow_blank=True,
        help_text="Must differ from the primary goal; fat_loss and muscle_gain cannot be paired.",
    )
    energy_level = serializers.ChoiceField(choices=ENERGY_CHOICES, required=False, allow_blank=True)
    stress_level = serializers.ChoiceField(choices=STRESS_CHOICES, required=False, allow_blank=True)
    sleep_quality = serializers.ChoiceField(choices=SleepQuality.choices, required=False, allow_blank=True)
    preferences = serializers.JSONField(required=False, help_text="A JSON object; replaces the stored one.")
    reason = serializers.CharField(
        max_length=1000,
        required=False,
        allow_blank=True,
        help_text="Why the profile changes. Required while the profile is locked.",
    )

    def validate_preferences(self, value: Any) -> dict[str, Any]:
        if not isinstance(value, dict):
            raise serializers.ValidationError("Expected a JSON object.")
        return value


class ProfileVersionSerializer(serializers.ModelSerializer):
    class Meta:
        model = ProfileVersion
        fields = [
            "version",
            "snapshot",
            "changed_fields",
            "change_reason",
            "changed_by",
            "valid_from",
            "valid_until",
            "created_at",
        ]
        read_only_fields = fields


AT_HELP = "ISO 8601; without an offset it is read in the person's time zone."


class AsOfQuerySerializer(StrictSerializer):
    at = serializers.DateTimeField(help_text=AT_HELP)

    def __init__(self, *args: Any, zone: tzinfo, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["at"] = serializers.DateTimeField(default_timezone=zone, help_text=AT_HELP)


class ProfileView(APIView):
    """The signed-in person's profile. PATCH changes it and makes a new version (none if nothing changed)."""

    parser_classes = [JSONParser, MultiPartParser]

    @extend_schema(responses=ProfileSerializer)
    def get(self, request: Request) -> Response:
        return Response(ProfileSerializer(selectors.profile_for_user(user=request_user(request))).data)

    @extend_schema(
        request={"application/json": ProfileUpdateSerializer, "multipart/form-data": ProfileUpdateSerializer},
        responses={200: ProfileSerializer, **error_schemas(400)},
    )
    def patch(self, request: Request) -> Response:
        serializer = ProfileUpdateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        changes = dict(serializer.validated_data)
        reason = changes.pop("reason", "")
        user = request_user(request)
        profile = services.profile_update(
            profile=selectors.profile_for_user(user=user),
            changes=changes,
            reason=reason,
            changed_by=ChangedBy.USER,
            changed_by_user=user,
            audit=audit_context(request),
        )
        return Response(ProfileSerializer(profile).data)


class ProfileHistoryView(generics.ListAPIView):
    """The signed-in person's profile versions, newest first."""

    serializer_class = ProfileVersionSerializer

    def get_queryset(self) -> QuerySet[Any]:
        if getattr(self, "swagger_fake_view", False):  # schema generation has no person
            return ProfileVersion.objects.none()
        return selectors.profile_versions_for_user(user=request_user(self.request))


class ProfileAsOfView(APIView):
    """The profile version that was current at `at` ("my profile three weeks ago")."""

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "at",
                str,
                required=True,
                description="ISO 8601 date-time; without an offset it is read in the person's time zone.",
            )
        ],
        responses={
            200: ProfileVersionSerializer,
            **error_schemas(400),
            404: error_schema("The profile did not exist yet at that time (`not_found`)."),
        },
    )
    def get(self, request: Request) -> Response:
        user = request_user(request)
        # The person's own zone: a token request has no session to have activated it.
        query = AsOfQuerySerializer(data=request.query_params, zone=user.zone)
        query.is_valid(raise_exception=True)
        version = selectors.profile_as_of(user=user, at=query.validated_data["at"])
        if version is None:
            return error_response(404, "not_found", "The profile did not exist yet at that time.")
        return Response(ProfileVersionSerializer(version).data)


urlpatterns = [
    path("profile/", ProfileView.as_view(), name="profile"),
    path("profile/history/", ProfileHistoryView.as_view(), name="profile-history"),
    path("profile/as-of/", ProfileAsOfView.as_view(), name="profile-as-of"),
]
