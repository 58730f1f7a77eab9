"""accounts' forms, one module per area: validation only, then the views call a service."""

from __future__ import annotations

from .auth import PasswordChangeForm, PasswordResetFromKeyForm
from .body import BodyEntryForm
from .privacy import AccountEraseForm
from .profile import AsOfForm, ProfileForm, ReasonForm
from .settings import SettingsForm
from .tokens import ApiTokenForm

__all__ = [
    "AccountEraseForm",
    "ApiTokenForm",
    "AsOfForm",
    "BodyEntryForm",
    "PasswordChangeForm",
    "PasswordResetFromKeyForm",
    "ProfileForm",
    "ReasonForm",
    "SettingsForm",
]
