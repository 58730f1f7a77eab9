"""Who may open a session photo or video: its owner only (see fitjourney/hooks/media.py)."""

from __future__ import annotations

from django.http import HttpRequest

from fitjourney.hooks.media import register_media


def _session_media_visible(request: HttpRequest, name: str) -> bool:
    from .models import SessionMedia

    user = request.user  # signed in: fitjourney.hooks.media asks only then
    return user.is_authenticated and SessionMedia.objects.filter(file=name, user_id=user.pk).exists()


def register() -> None:
    register_media("training", _session_media_visible)
