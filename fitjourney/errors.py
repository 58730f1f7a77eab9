"""Domain errors: what a service says when the caller may not have what it asked for.

Services know nothing of HTTP. When the object is not there for this person (missing, or another person's:
the same answer, so nobody learns what exists) they raise `NotFound`; when the person may see it but not
do this, `NotAllowed`. Invalid input stays Django's `ValidationError`. The edges map them in one place:
the API's exception handler (fitjourney/api/errors.py) to 404/403 in the error format, and
`fitjourney.middleware.DomainErrorMiddleware` to the 404/403 pages.
"""

from __future__ import annotations


class DomainError(Exception):
    """Base of the errors a service raises about what the caller asked for."""


class NotFound(DomainError):
    """Not there for this person (answered 404, like a missing object)."""


class NotAllowed(DomainError):
    """There, but not this person's to do (answered 403)."""


__all__ = ["DomainError", "NotAllowed", "NotFound"]
