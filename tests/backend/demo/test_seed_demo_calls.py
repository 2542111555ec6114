"""The demo's call log: 12 weeks per client, more from the flaggiest, follow-ups some overdue, the catalogue."""

from datetime import UTC, datetime

import pytest
from django.core.management import call_command
from django.db.models import Count

from backend.accounts.models import Company
from backend.calls.insights import call_insights
from backend.calls.models import Call, DispositionCode, FollowUp
from backend.sites.scopes import scope_for

pytestmark = pytest.mark.django_db

SEEDED_AT = datetime(2026, 3, 18, 15, 30, tzinfo=UTC)


def test_the_demo_has_twelve_weeks_of_calls_per_client_and_overdue_follow_ups():
    call_command("seed_demo", now=SEEDED_AT, verbosity=0)
    calls = Call.objects.count()
    call_command("seed_demo", now=SEEDED_AT, verbosity=0)  # twice: nothing new

    assert Call.objects.count() == calls
    company = Company.objects.order_by("pk").first()
    per_client = dict(Call.objects.filter(company=company).values_list("client__name").annotate(n=Count("id")))
    assert len(per_client) >= 2
    assert max(per_client.values()) >= 1.5 * min(per_client.values())  # the client whose guards are flagged most
    assert FollowUp.objects.filter(call__company=company, done_at__isnull=True, due_at__lt=SEEDED_AT).exists()
    assert FollowUp.objects.filter(call__company=company, done_at__isnull=False).exists()
    assert DispositionCode.objects.filter(company=company).count() >= 16

    manager = company.users.get(role="manager")
    insights = call_insights(scope=scope_for(manager), company_id=company.pk, zone_name=company.timezone, now=SEEDED_AT)
    assert all(total > 0 for total in insights.week_totals)
    assert insights.follow_up_median_hours_overall is not None
