"""Profile photos: only real JPEG, PNG or WebP images, checked by decoding them with Pillow.

An accepted upload is re-encoded: that drops its metadata (phone photos carry the GPS position where
they were taken), applies the EXIF rotation, and bounds what we store to STORED_MAX_SIDE pixels.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile, File

from fitjourney.images import ACCEPT, FORMATS, NOT_AN_IMAGE, image_clean

MAX_BYTES = 2 * 1024 * 1024
MIN_SIDE = 32
MAX_SIDE = 4096
STORED_MAX_SIDE = 1024
__all__ = ["ACCEPT", "FORMATS", "MAX_BYTES", "NOT_AN_IMAGE", "avatar_clean"]


def avatar_clean(upload: File) -> ContentFile:
    """Validates an uploaded file and returns the image to store, or raises ValidationError."""
    try:
        return image_clean(
            upload,
            max_bytes=MAX_BYTES,
            stored_max_side=STORED_MAX_SIDE,
            name="avatar",
            max_side=MAX_SIDE,
            min_side=MIN_SIDE,
        )
    except ValidationError as exc:
        if exc.code == "image_too_big" and "pixels:" not in exc.message:
            raise ValidationError(f"The photo is too big: at most {MAX_SIDE}×{MAX_SIDE} pixels.") from exc
        raise
