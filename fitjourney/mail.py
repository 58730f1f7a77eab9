"""Development mail: printed to the terminal as a person reads it, so links can be clicked.

Django's console backend prints the encoded message, where quoted-printable breaks long links.
"""

from __future__ import annotations

from django.core.mail.backends.console import EmailBackend


class ReadableConsoleBackend(EmailBackend):
    def write_message(self, message):
        self.stream.write(
            f"From: {message.from_email}\nTo: {', '.join(message.to)}\nSubject: {message.subject}\n\n"
            f"{message.body.rstrip()}\n{'-' * 79}\n"
        )
