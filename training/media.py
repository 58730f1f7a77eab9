"""Who may open a session photo or video (its owner only) or a program's cover (whoever may read the
program); see fitjourney/hooks/media.py."""

from __future__ import annotations

from django.http import HttpRequest

from fitjourney.hooks.media import register_media


def _session_media_visible(request: HttpRequest, name: str) -> bool:
    from .models import SessionMedia

    user = request.user  # signed in: fitjourney.hooks.media asks only then
    return user.is_authenticated and SessionMedia.objects.filter(file=name, user_id=user.pk).exists()


def _program_cover_visible(request: HttpRequest, name: str) -> bool:
    """A program's cover: whoever may read a program that shows it (copies share their source's file)."""
    from .models import Enrollment, Program

    user = request.user  # signed in: fitjourney.hooks.media asks only then
    if not user.is_authenticated:
        return False
    readable = Program.objects.visible_to(user).filter(cover_image=name)
    enrolled = Enrollment.objects.filter(program__cover_image=name, user=user)
    return readable.exists() or enrolled.exists()


def register() -> None:
    register_media("training", _session_media_visible)
    register_media("programs", _program_cover_visible)
