"""Scheduled delivery: preferences, what falls due when, each e-mail once, and recovery after a crash."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core import mail

from backend.core.errors import PermissionDenied
from backend.documents.delivery import (
    SENDING_STALE_AFTER,
    deliveries_plan,
    deliveries_sweep,
    delivery_preference_update,
    delivery_send,
)
from backend.documents.errors import DeliveryPreferenceInvalid
from backend.documents.models import (
    DarFrequency,
    DeliveryKind,
    DeliveryPreference,
    DeliveryRecord,
    DeliveryStatus,
    GeneratedDocument,
)
from backend.documents.selectors import delivery_preference_for, delivery_preference_sites
from backend.sites.models import ClientContactSite
from tests import factories
from tests.backend.documents import builders as b
from tests.reports.pdfread import flat, read, text

pytestmark = pytest.mark.django_db
MORNING_AFTER = b.local(b.DAY + timedelta(days=1), 7, 5)  # Thursday 07:05 at the site


def subscribe(contact, **fields) -> DeliveryPreference:
    values = {"daily_reports": DarFrequency.DAILY, "incident_reports": False, "monthly_summary": False,
              "email_enabled": True, **fields}  # fmt: skip
    return delivery_preference_update(contact=contact, **values)


# --- preferences -----------------------------------------------------------------------------


@pytest.fixture
def contact(tenant):
    tenant.client_contact.email = "pat@client.example"
    tenant.client_contact.save()
    return tenant.client_contact


def test_a_contact_without_a_preference_gets_nothing_by_default(tenant):
    preference = delivery_preference_for(contact=tenant.client_contact)
    assert preference.pk is None
    assert (preference.daily_reports, preference.incident_reports, preference.monthly_summary) == ("off", False, False)
    assert delivery_preference_sites(preference=preference) == []


@pytest.mark.parametrize(
    ("fields", "code", "field"),
    [
        ({"daily_reports": "hourly"}, "unknown_frequency", "daily_reports"),
        ({"site_ids": [-1]}, "site_not_visible", "site_ids"),
    ],
)
def test_a_bad_preference_is_refused_and_changes_nothing(contact, fields, code, field):
    subscribe(contact, daily_reports=DarFrequency.WEEKLY)
    with pytest.raises(DeliveryPreferenceInvalid) as refused:
        subscribe(contact, **fields)
    assert (refused.value.code, refused.value.field) == (code, field)
    assert DeliveryPreference.objects.get().daily_reports == DarFrequency.WEEKLY


def test_sites_are_limited_to_those_the_contact_may_see(tenant, contact, other_tenant):
    second = factories.SiteFactory(client=tenant.client)
    ClientContactSite.objects.create(contact=contact, site=tenant.site)
    for site in (second, other_tenant.site):  # a site they are not limited to; another company's
        with pytest.raises(DeliveryPreferenceInvalid) as refused:
            subscribe(contact, site_ids=[site.pk])
        assert refused.value.code == "site_not_visible"
    preference = subscribe(contact, site_ids=[tenant.site.pk])
    assert delivery_preference_sites(preference=preference) == [tenant.site.pk]


def test_only_client_contacts_have_preferences_and_need_an_address(tenant):
    with pytest.raises(PermissionDenied) as refused:
        subscribe(tenant.manager)
    assert refused.value.code == "not_a_client_contact"
    tenant.client_contact.email = ""
    tenant.client_contact.save()
    with pytest.raises(DeliveryPreferenceInvalid) as missing:
        subscribe(tenant.client_contact)
    assert (missing.value.code, missing.value.field) == ("email_missing", "email_enabled")
    subscribe(tenant.client_contact, email_enabled=False)  # nothing to e-mail: fine


# --- daily delivery ------------------------------------------------------------------------


def test_yesterdays_dar_goes_out_at_the_sites_seven_oclock_once(tenant, contact, django_capture_on_commit_callbacks):
    shift = b.worked_shift(tenant, start=b.local(b.DAY, 7))
    b.activity(shift, b.local(b.DAY, 9), "Parking garage patrolled.")
    subscribe(contact)

    # at 06:55 the site's previous day is not due yet
    with django_capture_on_commit_callbacks(execute=True):
        deliveries_plan(now=MORNING_AFTER - timedelta(minutes=10))
    assert not DeliveryRecord.objects.filter(period_start=b.DAY).exists()

    # at 07:05 it is: rendered and e-mailed with the PDF attached and the portal link
    with django_capture_on_commit_callbacks(execute=True):
        deliveries_plan(now=MORNING_AFTER)
    record = DeliveryRecord.objects.get(period_start=b.DAY)
    assert (record.kind, record.status, record.address) == (DeliveryKind.DAR_DAILY, DeliveryStatus.SENT, contact.email)
    sent = [m for m in mail.outbox if "Wed 12 Nov 2025" in m.subject]
    assert len(sent) == 1
    message = sent[0]
    assert message.to == [contact.email]
    assert message.extra_headers["Message-ID"] == record.message_id
    document = record.documents.get()
    assert f"/portal/documents/{document.pk}" in message.body
    ((name, pdf, mimetype),) = message.attachments
    assert (name, mimetype) == (
        f"guardops-dar-{tenant.site.name.lower().replace(' ', '-')}-2025-11-12.pdf",
        "application/pdf",
    )
    assert "Parking garage patrolled." in flat(text(pdf))

    # a second beat run (or a re-delivered task) sends nothing again
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert deliveries_plan(now=MORNING_AFTER + timedelta(minutes=1)) == 0
        delivery_send(record_id=record.pk)
        deliveries_sweep(now=MORNING_AFTER + timedelta(hours=1))
    assert [m for m in mail.outbox if "Wed 12 Nov 2025" in m.subject] == []


def test_two_contacts_of_a_site_share_one_rendered_dar(tenant, contact, django_capture_on_commit_callbacks):
    colleague = factories.ClientContactFactory(client=tenant.client, email="sam@client.example")
    subscribe(contact)
    subscribe(colleague)
    with django_capture_on_commit_callbacks(execute=True):
        deliveries_plan(now=MORNING_AFTER)
    records = DeliveryRecord.objects.filter(period_start=b.DAY)
    assert records.count() == 2
    assert {r.status for r in records} == {DeliveryStatus.SENT}
    assert GeneratedDocument.objects.filter(period_start=b.DAY).count() == 1


def test_a_weekly_bundle_comes_on_monday_with_seven_dars(tenant, contact, django_capture_on_commit_callbacks):
    subscribe(contact, daily_reports=DarFrequency.WEEKLY)
    monday = date(2025, 11, 17)
    with django_capture_on_commit_callbacks(execute=True):
        deliveries_plan(now=b.local(monday, 7, 1))
    record = DeliveryRecord.objects.get(kind=DeliveryKind.DAR_WEEKLY)
    assert (record.period_start, record.period_end) == (date(2025, 11, 10), date(2025, 11, 16))
    assert record.status == DeliveryStatus.SENT
    (message,) = mail.outbox
    assert len(message.attachments) == 7


def test_the_monthly_summary_is_per_site_for_a_limited_contact(tenant, contact, django_capture_on_commit_callbacks):
    factories.SiteFactory(client=tenant.client)
    colleague = factories.ClientContactFactory(client=tenant.client, email="sam@client.example")
    ClientContactSite.objects.create(contact=contact, site=tenant.site)
    for person in (contact, colleague):
        subscribe(person, daily_reports=DarFrequency.OFF, monthly_summary=True)
    with django_capture_on_commit_callbacks(execute=True):
        deliveries_plan(now=b.local(date(2025, 12, 1), 7, 2))
    limited = DeliveryRecord.objects.get(contact=contact)
    everything = DeliveryRecord.objects.get(contact=colleague)
    assert (limited.site_id, everything.site_id) == (tenant.site.pk, None)
    assert limited.documents.get().kind == "monthly_site"
    assert everything.documents.get().kind == "monthly_client"
    assert {m.to[0] for m in mail.outbox} == {contact.email, colleague.email}
    pdf = next(m for m in mail.outbox if m.to == [contact.email]).attachments[0][1]
    assert read(pdf).metadata.title.startswith("Monthly summary — November 2025")


def test_an_approved_report_is_emailed_once(tenant, contact, django_capture_on_commit_callbacks):
    subscribe(contact, daily_reports=DarFrequency.OFF, incident_reports=True)
    shift = b.worked_shift(tenant, start=b.local(b.DAY, 7))
    now = b.local(b.DAY, 15)
    DeliveryPreference.objects.update(created_at=now - timedelta(days=1))
    report = b.report(shift, b.local(b.DAY, 9), "Broken window in the lobby.", approved_by=tenant.manager)
    b.report(shift, b.local(b.DAY, 10), "Still under review.")
    with django_capture_on_commit_callbacks(execute=True):
        deliveries_plan(now=now)
        deliveries_plan(now=now + timedelta(minutes=1))
    record = DeliveryRecord.objects.get()
    assert (record.kind, record.incident_id, record.status) == (DeliveryKind.INCIDENT, report.pk, DeliveryStatus.SENT)
    (message,) = mail.outbox
    assert "Broken window in the lobby." in flat(text(message.attachments[0][1]))


# --- failures and crashes --------------------------------------------------------------------


def test_a_send_left_half_done_by_a_crash_is_sent_by_the_sweep(tenant, contact, django_capture_on_commit_callbacks):
    subscribe(contact)
    with django_capture_on_commit_callbacks(execute=True):
        deliveries_plan(now=MORNING_AFTER)
    record = DeliveryRecord.objects.get(period_start=b.DAY)
    mail.outbox.clear()
    # the worker claimed it and died before the SMTP server answered
    crashed_at = MORNING_AFTER + timedelta(minutes=2)
    DeliveryRecord.objects.filter(pk=record.pk).update(status=DeliveryStatus.SENDING, sending_since=crashed_at,
                                                       sent_at=None, attempts=1)  # fmt: skip
    # while it might still be sending, nothing is resent
    with django_capture_on_commit_callbacks(execute=True):
        deliveries_sweep(now=crashed_at + SENDING_STALE_AFTER - timedelta(minutes=1))
    assert mail.outbox == []
    # once stale, the next beat tick sends it, once, under the same Message-ID
    with django_capture_on_commit_callbacks(execute=True):
        assert deliveries_sweep(now=crashed_at + SENDING_STALE_AFTER + timedelta(minutes=1)) == 1
    record.refresh_from_db()
    assert (record.status, record.attempts) == (DeliveryStatus.SENT, 2)
    (message,) = mail.outbox
    assert message.extra_headers["Message-ID"] == record.message_id


def test_a_failing_mail_server_is_retried_then_given_up(tenant, contact, settings, django_capture_on_commit_callbacks):
    settings.EMAIL_BACKEND = "tests.backend.documents.failing_mail.EmailBackend"
    subscribe(contact)
    with django_capture_on_commit_callbacks(execute=True):
        deliveries_plan(now=MORNING_AFTER)
    record = DeliveryRecord.objects.get(period_start=b.DAY)
    assert (record.status, record.attempts) == (DeliveryStatus.PENDING, 1)
    assert "Connection refused" in record.error
    for _ in range(2):
        delivery_send(record_id=record.pk)
    record.refresh_from_db()
    assert (record.status, record.attempts) == (DeliveryStatus.FAILED, 3)


def test_a_dar_whose_render_failed_is_made_again_and_sent(tenant, contact, monkeypatch,
                                                          django_capture_on_commit_callbacks):  # fmt: skip
    from backend.documents import services

    def broken(*args, **kwargs):
        raise OSError("disk full")

    subscribe(contact)
    with monkeypatch.context() as patched:
        patched.setattr(services, "_render", broken)
        with django_capture_on_commit_callbacks(execute=True):
            deliveries_plan(now=MORNING_AFTER)
    record = DeliveryRecord.objects.get(period_start=b.DAY)
    assert record.status == DeliveryStatus.PENDING
    assert record.documents.get().status == "failed"
    assert mail.outbox == []
    # the next beat ticks ask for the document again, render it and send the e-mail
    with django_capture_on_commit_callbacks(execute=True):
        deliveries_sweep(now=MORNING_AFTER + timedelta(minutes=1))
    record.refresh_from_db()
    assert record.status == DeliveryStatus.SENT
    assert record.documents.get().status == "ready"
    assert len(mail.outbox) == 1
