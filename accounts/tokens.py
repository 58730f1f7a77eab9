"""Personal access tokens: how they look and how they are hashed.

Tokens carry 256 bits of randomness, so a plain SHA-256 is enough to keep them safe at rest
(a slow hash protects low-entropy passwords, not random keys) and lets us look them up by index.
"""

from __future__ import annotations

import hashlib
import secrets

TOKEN_PREFIX = "fj_"


def generate_token() -> str:
    return TOKEN_PREFIX + secrets.token_urlsafe(32)


def hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def display_prefix(raw: str) -> str:
    return raw[: len(TOKEN_PREFIX) + 6]
