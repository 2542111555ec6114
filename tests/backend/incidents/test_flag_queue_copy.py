"""A report's flags carry its site and received_at (the review queue's site + flag code index).

The copy is written by the services that file and amend a report; the queue filtered by
one site and one flag code reads only it, so a stale copy would hide or misplace a report.
"""

from __future__ import annotations

import uuid
from datetime import timedelta

import pytest
from django.utils import timezone

from backend.flags.models import Flag
from backend.incidents.selectors import ReviewQueueFilters, incident_review_queue
from backend.incidents.services import IncidentContent, incident_amend, incident_return_for_correction
from backend.sites.scopes import scope_for
from tests import factories
from tests.backend.incidents.test_transitions import mocked_position
from tests.mobile_api.test_incidents import file_directly

pytestmark = pytest.mark.django_db


def _queue(tenant, **filters) -> list[uuid.UUID]:
    page = incident_review_queue(scope=scope_for(tenant.manager), filters=ReviewQueueFilters(**filters))
    return [report.pk for report in page.reports]


def test_filing_copies_the_reports_site_and_received_at_onto_its_flags(tenant):
    shift = factories.ShiftFactory(post=tenant.post, guard=tenant.guard)

    report = file_directly(shift, position=mocked_position())

    flags = list(Flag.objects.filter(incident=report))
    assert flags
    assert {(flag.incident_site_id, flag.incident_received_at) for flag in flags} == {
        (tenant.site.pk, report.received_at)
    }
    assert _queue(tenant, site_id=tenant.site.pk, flag_code="MOCK_LOCATION") == [report.pk]


def test_an_amendment_moves_its_flags_to_the_reports_new_place_in_the_queue(tenant):
    shift = factories.ShiftFactory(post=tenant.post, guard=tenant.guard)
    first = file_directly(shift, position=mocked_position())
    second = file_directly(shift, position=mocked_position())
    assert _queue(tenant, site_id=tenant.site.pk, flag_code="MOCK_LOCATION") == [second.pk, first.pk]
    incident_return_for_correction(report=first, reviewer=tenant.manager, comment="Which gate?")

    amended = incident_amend(
        guard=tenant.guard,
        report_id=first.pk,
        content=IncidentContent(
            type_code="trespass",
            occurred_at=timezone.now() - timedelta(minutes=5),
            narrative="Gate B, the north one, stood open with its chain cut; I locked it.",
            location_detail="Gate B (north)",
            position=mocked_position(),
        ),
    ).report

    flag = Flag.objects.get(incident=first, code="MOCK_LOCATION", status="open")
    assert flag.incident_received_at == amended.received_at > second.received_at
    # The amended report comes back at the top, in the same order as the unfiltered queue.
    assert _queue(tenant, site_id=tenant.site.pk, flag_code="MOCK_LOCATION") == [first.pk, second.pk]
    assert _queue(tenant)[:2] == [first.pk, second.pk]
