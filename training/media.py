"""Who may open a session photo or video: its owner only (see fitjourney/hooks/media.py)."""

from __future__ import annotations

from fitjourney.hooks.media import register_media


def _session_media_visible(request, name: str) -> bool:
    from .models import SessionMedia

    return SessionMedia.objects.filter(file=name, user=request.user).exists()


def register() -> None:
    register_media("training", _session_media_visible)
