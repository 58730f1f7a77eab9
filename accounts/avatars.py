"""Profile photos: only real JPEG, PNG or WebP images, checked by decoding them with Pillow.

An accepted upload is re-encoded: that drops its metadata (phone photos carry the GPS position where
they were taken), applies the EXIF rotation, and bounds what we store to STORED_MAX_SIDE pixels.
"""

from __future__ import annotations

import warnings
from io import BytesIO

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from PIL import Image, ImageOps, UnidentifiedImageError

MAX_BYTES = 2 * 1024 * 1024
MIN_SIDE = 32
MAX_SIDE = 4096
STORED_MAX_SIDE = 1024
# Pillow's format name -> the extension we store under.
FORMATS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp"}
ACCEPT = "image/jpeg,image/png,image/webp"

NOT_AN_IMAGE = "Upload a JPEG, PNG or WebP image. This file is not one."


def avatar_clean(upload) -> ContentFile:
    """Validates an uploaded file and returns the image to store, or raises ValidationError."""
    size = getattr(upload, "size", None)
    if size is None or size > MAX_BYTES:
        raise ValidationError("The photo is too large: at most 2 MB.", code="file_too_large")
    upload.seek(0)
    with warnings.catch_warnings():
        # Pillow warns (and errors at twice the size) on images big enough to exhaust memory.
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            image = Image.open(upload)
            if image.format not in FORMATS:
                raise ValidationError(NOT_AN_IMAGE, code="invalid_image_format")
            width, height = image.size
            if max(width, height) > MAX_SIDE:
                raise ValidationError(
                    f"The photo is {width}×{height} pixels: at most {MAX_SIDE}×{MAX_SIDE}.", code="image_too_big"
                )
            if min(width, height) < MIN_SIDE:
                raise ValidationError(
                    f"The photo is {width}×{height} pixels: at least {MIN_SIDE}×{MIN_SIDE}.", code="image_too_small"
                )
            image.load()  # decodes every pixel: truncated or corrupt files fail here
        except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
            raise ValidationError(f"The photo is too big: at most {MAX_SIDE}×{MAX_SIDE} pixels.") from exc
        except (UnidentifiedImageError, OSError, SyntaxError, ValueError, EOFError) as exc:
            raise ValidationError(NOT_AN_IMAGE, code="invalid_image") from exc
    return _reencode(image)


def _reencode(image: Image.Image) -> ContentFile:
    kind = image.format
    image = ImageOps.exif_transpose(image)
    image.thumbnail((STORED_MAX_SIDE, STORED_MAX_SIDE))
    options: dict = {}
    if kind == "JPEG":
        if image.mode not in ("RGB", "L"):
            image = image.convert("RGB")
        options = {"quality": 88}
    elif kind == "WEBP":
        options = {"quality": 88}
    out = BytesIO()
    image.save(out, format=kind, **options)
    return ContentFile(out.getvalue(), name=f"avatar.{FORMATS[kind]}")
