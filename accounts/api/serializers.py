from __future__ import annotations

from typing import Any

from django.conf import settings
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from fitjourney.api.serializers import StrictModelSerializer, StrictSerializer
from fitjourney.hooks.me import MeSection, me_sections

from ..models import ApiToken, TokenScope, User, validate_timezone
from ..services.tokens import IssuedToken

SCOPES_HELP = (
    "What the token may do. `read`: GET (and HEAD, OPTIONS) everywhere in the API. `write`: every other "
    "method; includes `read`. `tokens`: list, create and revoke tokens with this token (a token created "
    "by a token gets none of the scopes its creator lacks and never outlives it; revoking a token "
    "revokes the tokens it created). Browser sessions are not limited by scopes."
)


def _scope_list(**kwargs: Any) -> serializers.ListField:
    kwargs.setdefault("help_text", SCOPES_HELP)
    return serializers.ListField(child=serializers.ChoiceField(choices=TokenScope.choices), **kwargs)


def _section_field(section: MeSection) -> serializers.Field[Any, Any, Any, Any]:
    """A read-only field showing `section` (its provider's dict, shaped and documented by its serializer)."""

    class SectionField(serializers.Field[Any, Any, Any, User]):
        def __init__(self, **kwargs: Any) -> None:
            super().__init__(source="*", read_only=True, **kwargs)

        def to_representation(self, user: User) -> Any:
            return section.serializer_class(section.provider(user)).data

    SectionField.__name__ = f"{section.name.title()}SectionField"
    return extend_schema_field(section.serializer_class)(SectionField)()


class MeSerializer(StrictModelSerializer):
    timezone = serializers.CharField(max_length=64, validators=[validate_timezone], required=False)

    def get_fields(self) -> dict[str, serializers.Field[Any, Any, Any, Any]]:
        fields = super().get_fields()
        # Sections other apps registered (fitjourney.hooks.me), e.g. coaching's "intake".
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
        extra_kwargs: dict[str, dict[str, Any]] = {"username": {"validators": []}}


class ApiTokenSerializer(serializers.ModelSerializer):
    status = serializers.CharField(read_only=True)
    scopes = _scope_list(read_only=True)
    created_by_token: serializers.PrimaryKeyRelatedField[ApiToken] = serializers.PrimaryKeyRelatedField(
        read_only=True, help_text="The token that created this one over the API; empty otherwise."
    )

    class Meta:
        model = ApiToken
        fields = [
            "id",
            "name",
            "prefix",
            "status",
            "scopes",
            "created_by_token",
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
        min_value=1,
        max_value=settings.API_TOKEN_MAX_DAYS,
        required=False,
        help_text=(
            f"Days until the token expires (default {settings.API_TOKEN_DEFAULT_DAYS}). A token created with a "
            "token cannot outlive it: without this field it gets at most its creator's expiry."
        ),
    )
    scopes = _scope_list(
        required=False,
        allow_empty=False,
        max_length=len(TokenScope.values),
        help_text=SCOPES_HELP + " Default: `read` and `write` (of a token's own, when a token creates it).",
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
    """A token just created (an `IssuedToken`): the token's fields and, this once, the token itself."""

    token = serializers.CharField(read_only=True, help_text="Shown once; store it now.")

    class Meta(ApiTokenSerializer.Meta):
        fields = [*ApiTokenSerializer.Meta.fields, "token"]
        read_only_fields = fields

    def to_representation(self, instance: IssuedToken) -> dict[str, Any]:
        # The row's fields as any token's; the raw token exists only here, never in the database.
        return {**ApiTokenSerializer(instance.token, context=self.context).data, "token": instance.raw}


class TokenObtainSerializer(ApiTokenCreateSerializer):
    email = serializers.EmailField()
    password = serializers.CharField(style={"input_type": "password"}, trim_whitespace=False)
