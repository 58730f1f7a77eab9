from __future__ import annotations

from collections.abc import Callable

from django.http.response import HttpResponseBase
from django.test import Client

from .personas import PERSONA_NAMES, Personas


def assert_access(
    client: Client,
    personas: Personas,
    request: Callable[[Client], HttpResponseBase],
    expected: dict[str, int],
) -> None:
    """Makes the same request as each persona and checks every status code at once.

    `expected` must name all five personas, so no role is forgotten. `request` receives the client,
    already logged in as the persona (or logged out for "anonymous"), and returns the response.
    """
    missing = set(PERSONA_NAMES) - set(expected)
    assert not missing, f"expected statuses missing for: {sorted(missing)}"
    failures = []
    for name, user in personas.items():
        client.logout()
        if user is not None:
            client.force_login(user)
        response = request(client)
        if response.status_code != expected[name]:
            failures.append(f"{name}: expected {expected[name]}, got {response.status_code}")
    client.logout()
    assert not failures, "access matrix broken:\n  " + "\n  ".join(failures)
