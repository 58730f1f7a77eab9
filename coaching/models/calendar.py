"""The secret address of a person's calendar feed (their bookings as iCal).

Only a SHA-256 of the token is stored: the address is shown once when it is made, and a leaked database
gives nobody the feeds. Rotating replaces the hash (the old address stops at once); revoking deletes the row.
"""

from __future__ import annotations

import uuid

from django.db import models

from accounts.models import User


class CalendarFeed(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="calendar_feed")
    # hex SHA-256 of the token; the feed view looks it up here (the unique index serves that query).
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"Calendar feed of {self.user}"
