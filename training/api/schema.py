"""The error responses training's operations document (the shape: fitjourney.api.errors)."""

from __future__ import annotations

from fitjourney.api.serializers import error_schema

# Any operation: not signed in, or a personal access token without the scope it needs.
SIGNED_IN = {
    401: error_schema("No or a bad token or session."),
    403: error_schema("The token does not have the scope this needs (`insufficient_scope`)."),
}
NOT_FOUND = {404: error_schema("No such session, exercise, set or template of yours.")}
INVALID = {400: error_schema("A field is not valid (`fields` names it); nothing was stored.")}
