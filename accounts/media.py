"""Who may download accounts' uploaded files: profile photos, to signed-in members (the community shows
who posted what). Registered with the platform's media hook (fitjourney.hooks.media)."""

from __future__ import annotations

from django.http import HttpRequest

from fitjourney.hooks.media import register_media


def _avatar_visible(request: HttpRequest, name: str) -> bool:
    from .models import Profile

    return Profile.objects.filter(avatar=name, user__deleted_at__isnull=True).exists()


def register() -> None:
    register_media("avatars", _avatar_visible)
