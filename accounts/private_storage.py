"""Storage for files that only their owner may fetch, through a view that checks who is asking.

Rooted at settings.PRIVATE_MEDIA_ROOT, which is never under MEDIA_ROOT and never served by URL: a data
export holds everything about a person, so a guessable or leaked link must not be enough to read it.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.utils.functional import cached_property


class PrivateStorage(FileSystemStorage):
    def __init__(self) -> None:
        # Readable by the site's own user and group only (the web and worker processes), not by others.
        super().__init__(location=None, base_url=None, file_permissions_mode=0o640, directory_permissions_mode=0o750)

    @cached_property
    def base_location(self) -> str:
        # Read lazily (and again when a test overrides the setting), not frozen at import.
        return str(settings.PRIVATE_MEDIA_ROOT)

    def _clear_cached_properties(self, setting: str, **kwargs: Any) -> None:
        # setting_changed sends every setting here; the stubs allow only the storage's own four.
        super()._clear_cached_properties(setting, **kwargs)  # type: ignore[arg-type]
        if setting == "PRIVATE_MEDIA_ROOT":
            self.__dict__.pop("base_location", None)
            self.__dict__.pop("location", None)

    def url(self, name: str | None) -> str:
        raise ValueError("Private files have no public URL; serve them through a view that checks the owner.")


_private_storage = PrivateStorage()


def private_storage() -> PrivateStorage:
    """The storage of DataExport.file (a callable, so migrations do not record a path)."""
    return _private_storage
