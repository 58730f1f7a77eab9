"""`Idempotency-Key` for create operations, as POST /api/v1/sessions/ has it (training.api.sessions): a
retry with the same key and body is answered with the first answer (header `Idempotent-Replayed: true`)
and stores nothing; the same key with another body is a 422. The creation and its record are one
transaction, so a failed create leaves no key behind."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from typing import Any

from django.db import IntegrityError, transaction
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter
from rest_framework.response import Response

from accounts.request_info import PersonApiRequest
from fitjourney.api.errors import error_response
from fitjourney.api.serializers import error_schema
from fitjourney.db import retry_on_conflict

from ..models import IdempotencyKey

IDEMPOTENCY_PARAMETER = OpenApiParameter(
    "Idempotency-Key",
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    description="Up to 100 characters: a retry with the same key and body is answered with the first answer "
    "(header `Idempotent-Replayed: true`) and stores nothing.",
)
IDEMPOTENCY_REUSED = {422: error_schema("The Idempotency-Key was used with another body (`idempotency_key_reused`).")}


def request_hash(data: Any) -> str:
    return hashlib.sha256(json.dumps(data, sort_keys=True, default=str).encode()).hexdigest()


def _replay(stored: IdempotencyKey, digest: str) -> Response:
    if stored.request_hash != digest:
        return error_response(
            422, "idempotency_key_reused", "This Idempotency-Key was used with a different request body. Use a new key."
        )
    response = Response(stored.response_body, status=stored.response_status)
    response["Idempotent-Replayed"] = "true"
    return response


def idempotent_create(
    request: PersonApiRequest, *, endpoint: str, create: Callable[[], dict[str, Any]], status: int = 201
) -> Response:
    """Runs `create` (which validates, writes and returns the answer's body) once per key."""
    key = request.headers.get("Idempotency-Key", "").strip()
    if len(key) > 100:
        return error_response(400, "invalid", "The Idempotency-Key is at most 100 characters.")
    digest = request_hash(request.data)
    user = request.user

    def stored() -> IdempotencyKey | None:
        return IdempotencyKey.objects.filter(user=user, endpoint=endpoint, key=key).first()

    if key:
        found = stored()
        if found is not None:
            return _replay(found, digest)

    @retry_on_conflict
    def run() -> dict[str, Any]:
        with transaction.atomic():
            body = create()
            if key:
                IdempotencyKey.objects.create(
                    user=user,
                    endpoint=endpoint,
                    key=key,
                    request_hash=digest,
                    response_status=status,
                    response_body=body,
                )
        return body

    try:
        body = run()
    except IntegrityError:
        # The same key raced in from another request, which won: answer as a retry.
        found = stored() if key else None
        if found is None:
            raise
        return _replay(found, digest)
    return Response(body, status=status)
