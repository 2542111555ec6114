"""A delivery through a real SMTP server (aiosmtpd, on loopback), read back as the recipient gets it."""

from __future__ import annotations

import email
import socket
from email import policy
from email.message import Message

import pytest
from aiosmtpd.controller import Controller

from backend.documents.delivery import deliveries_plan, delivery_preference_update
from backend.documents.models import DarFrequency, DeliveryRecord, DeliveryStatus
from tests.backend.documents import builders as b
from tests.reports.pdfread import FOOTER_HASH, flat, read, text

pytestmark = pytest.mark.django_db


class Inbox:
    """aiosmtpd handler keeping what it received: the envelope and the raw message."""

    def __init__(self) -> None:
        self.received: list[tuple[str, list[str], bytes]] = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd's hook name)
        self.received.append((envelope.mail_from, list(envelope.rcpt_tos), envelope.original_content))
        return "250 Message accepted for delivery"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def smtp_server(settings):
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=_free_port())
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", controller.port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    try:
        yield inbox
    finally:
        controller.stop()


def test_a_dar_arrives_through_smtp_with_its_pdf(tenant, smtp_server, django_capture_on_commit_callbacks):
    # given a worked day and a contact who wants yesterday's DAR every morning
    shift = b.worked_shift(tenant, start=b.local(b.DAY, 7))
    b.activity(shift, b.local(b.DAY, 13), "Delivery van admitted at the loading dock.")
    contact = tenant.client_contact
    contact.email = "pat@client.example"
    contact.save()
    delivery_preference_update(contact=contact, daily_reports=DarFrequency.DAILY, incident_reports=False,
                               monthly_summary=False, email_enabled=True)  # fmt: skip

    # when the 07:00 beat tick runs
    with django_capture_on_commit_callbacks(execute=True):
        deliveries_plan(now=b.local(b.DAY.replace(day=13), 7, 3))

    # then the SMTP server received one message for the contact, with the DAR attached
    record = DeliveryRecord.objects.get(period_start=b.DAY)
    assert record.status == DeliveryStatus.SENT
    ((mail_from, recipients, raw),) = smtp_server.received
    assert recipients == ["pat@client.example"]
    assert "guardops" in mail_from.lower()
    message: Message = email.message_from_bytes(raw, policy=policy.default)
    assert message["Message-ID"] == record.message_id
    assert message["Subject"].strip() == f"Daily activity report — {tenant.site.name} — Wed 12 Nov 2025"
    parts = [part for part in message.walk() if part.get_content_type() == "application/pdf"]
    assert len(parts) == 1
    assert parts[0].get_filename().startswith("guardops-dar-")
    pdf = parts[0].get_payload(decode=True)
    assert "Delivery van admitted at the loading dock." in flat(text(pdf))
    document = record.documents.get()
    assert FOOTER_HASH.search(text(pdf)).group(1) == document.content_hash
    assert len(read(pdf).pages) == document.page_count
    body = next(part for part in message.walk() if part.get_content_type() == "text/plain").get_payload(decode=True)
    assert f"/portal/documents/{document.pk}" in body.decode()


@pytest.mark.parametrize(
    ("environment", "expected"),
    [
        ({"EMAIL_URL": "smtp+tls://mailer:s3cret@mail.example.com:587"},
         ["django.core.mail.backends.smtp.EmailBackend", "mail.example.com", 587, "mailer", True]),
        ({"EMAIL_HOST": "relay.example.com", "EMAIL_PORT": "2525", "EMAIL_USE_TLS": "true"},
         ["django.core.mail.backends.smtp.EmailBackend", "relay.example.com", 2525, "", True]),
        ({"DJANGO_EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend"},
         ["django.core.mail.backends.filebased.EmailBackend", "localhost", 25, "", False]),
    ],
)  # fmt: skip
def test_the_mail_server_comes_from_the_environment(environment, expected):
    import json
    import os
    import subprocess
    import sys

    code = (
        "import json; from backend.config import settings as s; print(json.dumps([s.EMAIL_BACKEND, "
        "getattr(s, 'EMAIL_HOST', 'localhost'), getattr(s, 'EMAIL_PORT', 25), getattr(s, 'EMAIL_HOST_USER', ''), "
        "getattr(s, 'EMAIL_USE_TLS', False)]))"
    )
    keep = {k: v for k, v in os.environ.items() if not k.startswith(("EMAIL_", "DJANGO_EMAIL"))}
    env = {**keep, "DJANGO_SECRET_KEY": "x" * 50, "GUARDOPS_ENV_FILE": "/nonexistent", **environment}
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)  # noqa: S603
    assert json.loads(out.stdout.strip().splitlines()[-1]) == expected
