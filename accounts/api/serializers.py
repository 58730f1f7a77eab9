from __future__ import annotations

from django.conf import settings
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from fitjourney.api.serializers import StrictModelSerializer, StrictSerializer

from ..me import MeSection, me_sections
from ..models import ApiToken, User, validate_timezone


def _section_field(section: MeSection) -> serializers.Field:
    """A read-only field showing `section` (its provider's dict, shaped and documented by its serializer)."""

    class SectionField(serializers.Field):
        def __init__(self, **kwargs):
            super().__init__(source="*", read_only=True, **kwargs)

        def to_representation(self, user):
            return section.serializer_class(section.provider(user)).data

    SectionField.__name__ = f"{section.name.title()}SectionField"
    return extend_schema_field(section.serializer_class)(SectionField)()


class MeSerializer(StrictModelSerializer):
    timezone = serializers.CharField(max_length=64, validators=[validate_timezone], required=False)

    def get_fields(self):
        fields = super().get_fields()
        # Sections other apps registered (accounts.me), e.g. coaching's "intake".
        for section in me_sections():
            fields[section.name] = _section_field(section)
        return fields

    class Meta:
        model = User
        fields = [
            "id",
            "email",
            "username",
            "first_name",
            "last_name",
            "timezone",
            "language",
            "unit_system",
            "date_format",
            "account_status",
            "created_at",
        ]
        read_only_fields = ["id", "email", "account_status", "created_at"]
        # Uniqueness and length are checked by the service's full_clean (one source of truth).
        extra_kwargs = {"username": {"validators": []}}


class ApiTokenSerializer(serializers.ModelSerializer):
    status = serializers.CharField(read_only=True)

    class Meta:
        model = ApiToken
        fields = [
            "id",
            "name",
            "prefix",
            "status",
            "device_info",
            "ip_address",
            "user_agent",
            "created_at",
            "expires_at",
            "last_used_at",
            "revoked_at",
        ]
        read_only_fields = fields


class ApiTokenCreateSerializer(StrictSerializer):
    name = serializers.CharField(max_length=100, help_text="A name for the device or script that uses the token.")
    expires_in_days = serializers.IntegerField(
        min_value=1, max_value=settings.API_TOKEN_MAX_DAYS, required=False, default=settings.API_TOKEN_DEFAULT_DAYS
    )
    device_info = serializers.DictField(
        child=serializers.CharField(max_length=200),
        required=False,
        default=dict,
        help_text='Short facts about the device, e.g. {"os": "iOS 17", "app_version": "1.0.0"}.',
    )

    def validate_device_info(self, value: dict) -> dict:
        if len(value) > 10:
            raise serializers.ValidationError("At most 10 entries.")
        if any(len(key) > 50 or "\x00" in key for key in value):
            raise serializers.ValidationError("Keys must be at most 50 characters, with no NUL bytes.")
        return value


class IssuedTokenSerializer(ApiTokenSerializer):
    token = serializers.CharField(read_only=True, help_text="Shown once; store it now.")

    class Meta(ApiTokenSerializer.Meta):
        fields = [*ApiTokenSerializer.Meta.fields, "token"]
        read_only_fields = fields


class TokenObtainSerializer(ApiTokenCreateSerializer):
    email = serializers.EmailField()
    password = serializers.CharField(style={"input_type": "password"}, trim_whitespace=False)
