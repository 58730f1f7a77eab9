"""Brute-force protection hooks for django-axes, shared by the login page and the API."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.base_user import AbstractBaseUser
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render


def axes_username(request: HttpRequest, credentials: dict[str, Any] | None) -> str:
    """The login being attempted, whichever form or endpoint sent it."""
    credentials = credentials or {}
    for key in ("email", "username", "login"):
        if credentials.get(key):
            return str(credentials[key]).strip().lower()
    return str(request.POST.get("login", "")).strip().lower()


def lockout_response(
    request: HttpRequest, response: HttpResponse | None = None, credentials: dict[str, Any] | None = None
) -> HttpResponse:
    message = "Too many failed login attempts. Try again in 15 minutes or reset your password."
    if request.path.startswith("/api/"):
        return JsonResponse(
            {"error": {"status": 429, "code": "locked_out", "message": message, "fields": {}}},
            status=429,
        )
    return render(request, "account/lockout.html", {"message": message}, status=429)


# Re-entering the password to confirm a grave action (deleting the account) is limited like a login:
# a stolen session must not be able to guess the password behind it.
PASSWORD_RECHECK_LIMIT = 5
PASSWORD_RECHECK_WINDOW_SECONDS = 15 * 60


def _recheck_key(user: AbstractBaseUser) -> str:
    return f"password-recheck:{user.pk}"


def password_recheck_blocked(user: AbstractBaseUser) -> bool:
    from django.core.cache import cache

    return cache.get(_recheck_key(user), 0) >= PASSWORD_RECHECK_LIMIT


def password_recheck_failed(user: AbstractBaseUser) -> None:
    from django.core.cache import cache

    key = _recheck_key(user)
    cache.add(key, 0, PASSWORD_RECHECK_WINDOW_SECONDS)
    try:
        cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, PASSWORD_RECHECK_WINDOW_SECONDS)
