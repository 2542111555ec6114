"""The demo's client portal: client1 opens a month of DARs, a monthly summary and their delivery preference."""

from datetime import UTC, date, datetime, timedelta

import pytest
from django.core.management import call_command

from backend.accounts.models import User
from backend.documents.models import DarFrequency, DocumentKind, DocumentStatus
from backend.documents.selectors import delivery_preference_for, documents_for_contact
from backend.staffing.models import Shift, ShiftStatus
from backend.tracking.models import ActivityEntry, CheckpointScan
from tests.reports.pdfread import flat, text

pytestmark = pytest.mark.django_db

SEEDED_AT = datetime(2026, 3, 18, 15, 30, tzinfo=UTC)


def test_client1_opens_a_month_of_dars_and_last_months_summary():
    call_command("seed_demo", now=SEEDED_AT, verbosity=0)
    client1 = User.objects.get(username="client1")
    sites = client1.client.sites.all()
    shifts = Shift.objects.filter(post__site__in=sites, status=ShiftStatus.COMPLETED)
    counts = (shifts.count(), ActivityEntry.objects.count(), CheckpointScan.objects.count())

    # a month of worked days on client1's sites, each with its patrol rounds and log
    first = min(shifts.values_list("scheduled_start", flat=True))
    assert first <= SEEDED_AT - timedelta(days=29)
    assert CheckpointScan.objects.filter(checkpoint__site__in=sites, recorded_at__lt=SEEDED_AT - timedelta(days=20))
    assert ActivityEntry.objects.filter(shift__post__site__in=sites, recorded_at__lt=SEEDED_AT - timedelta(days=20))

    # the last week's DARs and February's summary are ready for client1 in the portal
    ready = documents_for_contact(contact=client1)
    dars = ready.filter(kind=DocumentKind.DAILY_ACTIVITY)
    assert dars.count() == 7 * sites.count()
    assert max(dars.values_list("period_start", flat=True)) == date(2026, 3, 17)
    summary = ready.get(kind=DocumentKind.MONTHLY_CLIENT)
    assert (summary.period_start, summary.period_end) == (date(2026, 2, 1), date(2026, 2, 28))
    with summary.file.open("rb") as handle:
        words = flat(text(handle.read()))
    assert "Monthly summary — February 2026" in words
    assert "Riverside Commons Apartments" in words
    # the older days of the month are queued for the worker
    queued = documents_for_contact(contact=client1, ready_only=False).filter(status=DocumentStatus.QUEUED)
    assert queued.count() == (30 - 7) * sites.count()
    # and she gets each morning's DARs, approved reports and the summary by e-mail
    preference = delivery_preference_for(contact=client1)
    assert (preference.daily_reports, preference.incident_reports, preference.monthly_summary) == (
        DarFrequency.DAILY, True, True,
    )  # fmt: skip

    # a second seed adds no history
    call_command("seed_demo", now=SEEDED_AT, verbosity=0)
    assert (shifts.count(), ActivityEntry.objects.count(), CheckpointScan.objects.count()) == counts
