from __future__ import annotations

from drf_spectacular.utils import OpenApiResponse
from rest_framework import serializers

from fitjourney.dates import query_date_error


class StrictSerializer(serializers.Serializer):
    """Refuses fields it does not know, so a typo never silently does nothing."""

    def to_internal_value(self, data):
        if isinstance(data, dict):
            errors = {}
            for key in data:
                field = self.fields.get(key)
                if field is None:
                    errors[str(key)] = ["Unknown field."]
                elif field.read_only:
                    errors[str(key)] = ["This field is read-only."]
            if errors:
                raise serializers.ValidationError(errors)
        return super().to_internal_value(data)


class StrictModelSerializer(StrictSerializer, serializers.ModelSerializer):
    pass


class QueryDateField(serializers.DateField):
    """A date in a query (`?from=`, `?to=`): YYYY-MM-DD inside the range any stored date has
    (fitjourney.dates), so no filter can ask for a week of year 9999."""

    def to_internal_value(self, value):
        day = super().to_internal_value(value)
        message = query_date_error(day)
        if message:
            raise serializers.ValidationError(message)
        return day


# The one error shape (fitjourney.api.errors), for the schema ------------------------------------------


class ErrorBodySerializer(serializers.Serializer):
    status = serializers.IntegerField(help_text="The HTTP status, repeated.")
    code = serializers.CharField(help_text='A stable word for the error: "invalid", "not_found", "throttled", …')
    message = serializers.CharField(help_text="What went wrong, in words for a person.")
    # DRF's metaclass collects the declared field; only the stubs see it as Serializer.fields.
    fields = serializers.DictField(  # type: ignore[assignment]
        child=serializers.ListField(child=serializers.CharField()),
        help_text='The messages of each field that is not valid (nested ones as "meals[1].name"); else empty.',
    )


class ErrorResponseSerializer(serializers.Serializer):
    """Every error under /api/ (the `ErrorResponse` component): {"error": {status, code, message, fields}}."""

    error = ErrorBodySerializer()


ERROR_DESCRIPTIONS = {
    400: "The request is not valid: `fields` says which field and why.",
    401: "Not signed in: no or a bad token or session.",
    403: "Not allowed: the token lacks the scope, or this is not yours to change.",
    404: "Not found (someone else's is not found either).",
    409: "In conflict with the current state.",
    429: "Too many requests: try again later.",
}


def error_schema(description: str) -> OpenApiResponse:
    """One documented error answer, in the one error shape."""
    return OpenApiResponse(ErrorResponseSerializer, description=description)


def error_schemas(*statuses: int) -> dict[int, OpenApiResponse]:
    """The documented error answers of an operation: `responses={200: Out, **error_schemas(400, 404)}`."""
    return {status: error_schema(ERROR_DESCRIPTIONS[status]) for status in statuses}
