"""The API's JSON parser: refuses bodies nested deeper than any request of ours needs.

A body nested thousands of levels deep makes the decoder (or any code walking the data later) raise
RecursionError, a 500. No FitJourney request goes past a handful of levels (a session's exercises' sets
are five), so more than `MAX_DEPTH` is refused with a 400 before anything looks at the data. The size is
limited before parsing: DRF reads a JSON body through `request.body`, which refuses more than
DATA_UPLOAD_MAX_MEMORY_SIZE (answered 413 by fitjourney.api.errors).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from rest_framework import exceptions, parsers

MAX_DEPTH = 32


class TooDeep(exceptions.ParseError):
    default_detail = f"The JSON body is nested too deeply: at most {MAX_DEPTH} levels."
    default_code = "too_deep"


def depth_exceeds(data: Any, limit: int) -> bool:
    """Whether arrays and objects nest more than `limit` levels (walked without recursion)."""
    stack = [(data, 1)]
    while stack:
        value, depth = stack.pop()
        children: Iterable[Any]
        if isinstance(value, dict):
            children = value.values()
        elif isinstance(value, list):
            children = value
        else:
            continue
        if depth > limit:
            return True
        stack.extend((child, depth + 1) for child in children)
    return False


class JSONParser(parsers.JSONParser):
    def parse(self, stream, media_type=None, parser_context=None):
        try:
            data = super().parse(stream, media_type, parser_context)
        except RecursionError as exc:
            raise TooDeep() from exc
        if depth_exceeds(data, MAX_DEPTH):
            raise TooDeep()
        return data
