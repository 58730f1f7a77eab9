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


class ErrorBodySerializer(serializers.Serializer):
    status = serializers.IntegerField()
    code = serializers.CharField()
    message = serializers.CharField()
    fields = serializers.DictField(child=serializers.ListField(child=serializers.CharField()))


class ErrorResponseSerializer(serializers.Serializer):
    """The API's one error shape (fitjourney.api.errors), for the schema: `{"error": {...}}`."""

    error = ErrorBodySerializer()


def error_schema(description: str) -> OpenApiResponse:
    """An error response in `extend_schema(responses={404: error_schema("No such session of yours.")})`."""
    return OpenApiResponse(ErrorResponseSerializer, description=description)
