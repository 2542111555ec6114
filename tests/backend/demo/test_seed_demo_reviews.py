"""The demo gives the review queue something to review: reports in every state, with real flags."""

import pytest
from django.core.management import call_command

from backend.accounts.models import Company
from backend.flags.models import Flag, FlagStatus
from backend.incidents.models import IncidentReport, IncidentStatus, ReviewComment
from backend.rules.findings import FlagCode

pytestmark = pytest.mark.django_db


def _company_reports() -> "list[IncidentReport]":
    company = Company.objects.get(slug="peachtree-shield")
    return list(IncidentReport.objects.filter(shift__post__site__client__company=company))


def test_seed_demo_files_submitted_returned_and_approved_reports_with_their_flags():
    # Given / when: the demo is loaded
    call_command("seed_demo", verbosity=0)

    # Then: the main company has a report in every review state
    reports = _company_reports()
    statuses = {report.status for report in reports}
    assert {IncidentStatus.SUBMITTED, IncidentStatus.RETURNED, IncidentStatus.APPROVED} <= statuses
    approved = next(r for r in reports if r.status == IncidentStatus.APPROVED)
    assert approved.approved_by is not None
    assert approved.approved_by.username == "manager"
    returned = next(r for r in reports if r.status == IncidentStatus.RETURNED)
    assert ReviewComment.objects.filter(report=returned).exclude(body="").exists()
    # and the submitted ones carry the flags a reviewer must weigh
    open_codes = set(
        Flag.objects.filter(
            incident__in=reports, incident__status=IncidentStatus.SUBMITTED, status=FlagStatus.OPEN
        ).values_list("code", flat=True)
    )
    assert {FlagCode.OUTSIDE_GEOFENCE, FlagCode.EMERGENCY_NOT_REPORTED} <= open_codes


def test_seeding_the_reviews_twice_files_nothing_new():
    call_command("seed_demo", verbosity=0)
    first = sorted((str(r.pk), r.status) for r in _company_reports())
    flags = Flag.objects.count()

    call_command("seed_demo", verbosity=0)

    assert sorted((str(r.pk), r.status) for r in _company_reports()) == first
    assert Flag.objects.count() == flags
