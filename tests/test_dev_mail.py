from __future__ import annotations

import io

from django.core.mail import EmailMessage

from fitjourney.mail import ReadableConsoleBackend


def test_development_mail_prints_long_links_unbroken():
    link = "http://127.0.0.1:8000/accounts/confirm-email/" + "x" * 120 + "/"
    stream = io.StringIO()
    ReadableConsoleBackend(stream=stream).send_messages(
        [EmailMessage("Confirm", f"Go to {link} now.", "from@example.com", ["to@example.com"])]
    )
    printed = stream.getvalue()
    assert link in printed
    assert "To: to@example.com" in printed and "Subject: Confirm" in printed
