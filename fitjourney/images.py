"""Uploaded photos (avatars, session photos, meal photos): only real JPEG, PNG or WebP images.

Each upload is decoded in full with Pillow (a renamed or truncated file fails), then re-encoded: that
drops its metadata (phone photos carry the GPS position where they were taken), applies the EXIF
rotation and bounds what we store.
"""

from __future__ import annotations

import warnings
from io import BytesIO
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile, File
from PIL import Image, ImageOps, UnidentifiedImageError

# Pillow's format name -> the extension we store under.
FORMATS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp"}
ACCEPT = "image/jpeg,image/png,image/webp"
NOT_AN_IMAGE = "Upload a JPEG, PNG or WebP image. This file is not one."


def image_clean(
    upload: File,
    *,
    max_bytes: int,
    stored_max_side: int,
    name: str,
    max_side: int | None = None,
    min_side: int | None = None,
) -> ContentFile:
    """Validates an uploaded image and returns the re-encoded file to store, or raises ValidationError."""
    size = getattr(upload, "size", None)
    if size is None or size > max_bytes:
        raise ValidationError(
            f"The photo is too large: at most {max_bytes // (1024 * 1024)} MB.", code="file_too_large"
        )
    upload.seek(0)
    with warnings.catch_warnings():
        # Pillow warns (and errors at twice the size) on images big enough to exhaust memory.
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            image = Image.open(upload)
            if image.format not in FORMATS:
                raise ValidationError(NOT_AN_IMAGE, code="invalid_image_format")
            width, height = image.size
            if max_side and max(width, height) > max_side:
                raise ValidationError(
                    f"The photo is {width}×{height} pixels: at most {max_side}×{max_side}.", code="image_too_big"
                )
            if min_side and min(width, height) < min_side:
                raise ValidationError(
                    f"The photo is {width}×{height} pixels: at least {min_side}×{min_side}.", code="image_too_small"
                )
            image.load()  # decodes every pixel: truncated or corrupt files fail here
        except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
            raise ValidationError("The photo has too many pixels.", code="image_too_big") from exc
        except (UnidentifiedImageError, OSError, SyntaxError, ValueError, EOFError) as exc:
            raise ValidationError(NOT_AN_IMAGE, code="invalid_image") from exc
    kind = image.format
    stored: Image.Image = ImageOps.exif_transpose(image)
    stored.thumbnail((stored_max_side, stored_max_side))
    options: dict[str, Any] = {}
    if kind == "JPEG":
        if stored.mode not in ("RGB", "L"):
            stored = stored.convert("RGB")
        options = {"quality": 88}
    elif kind == "WEBP":
        options = {"quality": 88}
    out = BytesIO()
    stored.save(out, format=kind, **options)
    return ContentFile(out.getvalue(), name=f"{name}.{FORMATS[kind]}")
