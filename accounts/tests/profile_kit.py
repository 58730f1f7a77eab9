"""Helpers for the profile tests: real images made with Pillow, and a clock the tests move."""

from __future__ import annotations

import os
from datetime import datetime
from io import BytesIO

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

EXTENSIONS = {"PNG": "png", "JPEG": "jpg", "WEBP": "webp", "GIF": "gif", "BMP": "bmp"}


def image_bytes(kind: str = "PNG", size: tuple[int, int] = (64, 64), exif: bytes | None = None) -> bytes:
    image = Image.new("RGB", size, (11, 110, 79))
    out = BytesIO()
    options = {"exif": exif} if exif else {}
    image.save(out, format=kind, **options)
    return out.getvalue()


def image_upload(kind: str = "PNG", size: tuple[int, int] = (64, 64), name: str | None = None, **kwargs):
    content_type = f"image/{EXTENSIONS[kind].replace('jpg', 'jpeg')}"
    return SimpleUploadedFile(name or f"me.{EXTENSIONS[kind]}", image_bytes(kind, size, **kwargs), content_type)


def noise_png_upload(side: int = 900) -> SimpleUploadedFile:
    """A real PNG bigger than 2 MB: random pixels do not compress."""
    image = Image.frombytes("RGB", (side, side), os.urandom(side * side * 3))
    out = BytesIO()
    image.save(out, format="PNG", compress_level=0)
    return SimpleUploadedFile("big.png", out.getvalue(), "image/png")


def gps_exif() -> bytes:
    """EXIF with a GPS position, as a phone camera writes it."""
    exif = Image.Exif()
    exif[0x8825] = {1: "N", 2: (38.0, 43.0, 0.0), 3: "W", 4: (9.0, 8.0, 0.0)}  # GPSInfo
    exif[0x010F] = "PhoneMaker"  # Make
    return exif.tobytes()


class Clock:
    """Sets what django.utils.timezone.now() returns (auto_now fields and the services read it)."""

    def __init__(self, monkeypatch, start: datetime):
        self.now = start
        monkeypatch.setattr("django.utils.timezone.now", lambda: self.now)

    def set(self, when: datetime) -> datetime:
        self.now = when
        return when
