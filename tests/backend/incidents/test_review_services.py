"""The reviewer's own services: typo-level edits kept as revisions, and bulk approval."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from backend.core.errors import ValidationFailed
from backend.flags.models import Flag
from backend.incidents.errors import ReportAlreadyApproved, ReportNotFound
from backend.incidents.models import IncidentReviewAction, IncidentRevision, IncidentStatus
from backend.incidents.selectors import incident_revision_changes
from backend.incidents.services import (
    incident_approve,
    incident_checks_apply,
    incident_reviewer_edit,
    incidents_approve_unflagged,
)
from backend.rules.findings import FlagCode
from tests import factories, geo

pytestmark = pytest.mark.django_db


def report_of(tenant, **fields):
    return factories.incident_report(shift=factories.ShiftFactory(post=tenant.post, guard=tenant.guard), **fields)


def test_an_edit_keeps_the_old_version_names_the_editor_and_leaves_the_narrative(tenant):
    unit = factories.UnitFactory(site=tenant.site, label="Gatehouse", location=geo.INSIDE_CENTER)
    report = report_of(tenant, location_detail="Gatehosue")

    revision = incident_reviewer_edit(
        report=report, by=tenant.manager, note="Typo", location_detail="Gatehouse", unit=unit
    )

    assert revision is not None
    assert (revision.version, revision.changed_by, revision.snapshot["location_detail"]) == (
        1,
        tenant.manager,
        "Gatehosue",
    )
    report.refresh_from_db()
    assert (report.version, report.location_detail, report.unit_id) == (2, "Gatehouse", unit.pk)
    assert report.narrative == "Loud music from unit 101."
    [change] = incident_revision_changes(report=report)
    assert change.changed_by == tenant.manager
    assert {field.label for field in change.changes} == {"Where on site", "Unit"}


def test_an_edit_that_changes_nothing_stores_nothing(tenant):
    report = report_of(tenant, location_detail="Gatehouse")

    assert incident_reviewer_edit(report=report, by=tenant.manager, note="Typo", location_detail="Gatehouse") is None
    assert not IncidentRevision.objects.filter(report=report).exists()


def test_an_approved_report_is_not_edited(tenant):
    report = report_of(tenant)
    incident_approve(report=report, by=tenant.manager)

    with pytest.raises(ReportAlreadyApproved):
        incident_reviewer_edit(report=report, by=tenant.manager, note="Typo", location_detail="Dock")


def test_another_companys_manager_cannot_edit(tenant, other_tenant):
    report = report_of(tenant)

    with pytest.raises(ReportNotFound):
        incident_reviewer_edit(report=report, by=other_tenant.manager, note="Typo", location_detail="Dock")


def test_an_edit_needs_a_reason(tenant):
    with pytest.raises(ValidationFailed) as refused:
        incident_reviewer_edit(report=report_of(tenant), by=tenant.manager, note=" ", location_detail="Dock")

    assert (refused.value.code, refused.value.field) == ("note_required", "note")


def test_an_edit_reruns_the_checks(tenant):
    far = factories.UnitFactory(site=tenant.site, label="Far corner", location=geo.NEAR_SW_CORNER)
    near = factories.UnitFactory(site=tenant.site, label="Pool house", location=geo.NEAR_NE_CORNER)
    moment = timezone.now() - timedelta(minutes=5)
    report = report_of(
        tenant, location=geo.NEAR_NE_CORNER, accuracy_m=5, unit=far, occurred_at=moment, recorded_at=moment
    )

    incident_checks_apply(report=report)
    assert Flag.objects.filter(incident=report, code=FlagCode.UNIT_LOCATION_MISMATCH, status="open").exists()

    incident_reviewer_edit(report=report, by=tenant.manager, note="Guard picked the wrong unit", unit=near)

    assert not Flag.objects.filter(incident=report, code=FlagCode.UNIT_LOCATION_MISMATCH, status="open").exists()


def test_bulk_approval_skips_flagged_and_already_decided_reports(tenant):
    clean, flagged, done = report_of(tenant), report_of(tenant), report_of(tenant)
    factories.open_flag(incident=flagged, code=FlagCode.LOW_ACCURACY, message="GPS accuracy was 180 m.")
    incident_approve(report=done, by=tenant.manager)

    outcome = incidents_approve_unflagged(reports=[clean, flagged, done], by=tenant.manager)

    assert [action.report_id for action in outcome.approved] == [clean.pk]
    assert outcome.skipped == 2
    flagged.refresh_from_db()
    assert flagged.status == IncidentStatus.SUBMITTED
    assert IncidentReviewAction.objects.filter(report=done).count() == 1
