"""Review transitions over incident reports: approve, return for correction, and their log."""

from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from backend.core.errors import ValidationFailed
from backend.flags.models import Flag, FlagStatus
from backend.incidents.errors import (
    OpenCriticalFlags,
    ReportAlreadyApproved,
    ReportAlreadyReturned,
    ReportNotFound,
)
from backend.incidents.models import IncidentReport, IncidentReviewAction, IncidentStatus, ReviewAction, ReviewComment
from backend.incidents.services import incident_approve, incident_return_for_correction
from geofence.fixes import Fix
from tests import factories, geo
from tests.concurrency import race_outcomes
from tests.mobile_api.test_incidents import file_directly
from tests.reviewers import assert_only_the_companys_reviewers_may


@pytest.fixture
def shift(tenant):
    return factories.ShiftFactory(post=tenant.post, guard=tenant.guard)


def mocked_position() -> Fix:
    """A fix the phone says was simulated: the report gets a critical MOCK_LOCATION flag."""
    return Fix(lat=geo.INSIDE_CENTER.y, lon=geo.INSIDE_CENTER.x, accuracy_m=5, recorded_at=timezone.now(), is_mock=True)


# --- Approve ------------------------------------------------------------------------------


def test_a_manager_approves_a_submitted_report_and_the_decision_is_logged(shift, tenant):
    # given a submitted report with no critical flags
    report = file_directly(shift)

    # when the company's manager approves it with a note
    action = incident_approve(report=report, by=tenant.manager, note="Gate chain replaced next morning.")

    # then the report is approved by them, now, and the log says so
    report.refresh_from_db()
    assert report.status == IncidentStatus.APPROVED
    assert report.approved_by == tenant.manager
    assert abs((report.approved_at - timezone.now()).total_seconds()) < 60
    assert (action.action, action.by, action.note) == (
        ReviewAction.APPROVE,
        tenant.manager,
        "Gate chain replaced next morning.",
    )
    assert (action.from_status, action.to_status, action.report_version) == ("submitted", "approved", 1)
    assert action.at == report.approved_at
    assert list(report.review_actions.all()) == [action]


def test_approving_does_not_change_what_the_guard_wrote(shift, tenant):
    report = file_directly(shift)
    before = IncidentReport.objects.values("narrative", "location_detail", "version", "payload_sha256").get(
        pk=report.pk
    )

    incident_approve(report=report, by=tenant.manager)

    assert (
        IncidentReport.objects.values("narrative", "location_detail", "version", "payload_sha256").get(pk=report.pk)
        == before
    )


def test_an_approved_report_cannot_be_approved_or_returned_again_and_the_refusal_names_who_and_when(shift, tenant):
    # given a report a manager approved
    report = file_directly(shift)
    approver = factories.ManagerFactory(company=tenant.company, first_name="Dana", last_name="Reyes")
    incident_approve(report=report, by=approver)
    report.refresh_from_db()
    local = report.approved_at.astimezone(ZoneInfo(tenant.site.timezone))
    expected = f"already approved by Dana Reyes at {local:%H:%M} {local.tzname()}"

    # when another manager tries to approve or return it
    with pytest.raises(ReportAlreadyApproved) as approve_again:
        incident_approve(report=report, by=tenant.manager)
    with pytest.raises(ReportAlreadyApproved) as late_return:
        incident_return_for_correction(report=report, reviewer=tenant.manager, comment="Which gate?")

    # then both are told who approved it and when, on the site's clock, and nothing changed
    for refusal in (approve_again.value, late_return.value):
        assert refusal.code == "report_already_approved"
        assert refusal.status == 409
        assert expected in refusal.message
    assert IncidentReviewAction.objects.filter(report=report).count() == 1
    assert not ReviewComment.objects.filter(report=report).exists()


def test_a_report_returned_for_correction_cannot_be_approved_until_the_guard_amends_it(shift, tenant):
    report = file_directly(shift)
    incident_return_for_correction(report=report, reviewer=tenant.manager, comment="Which gate?")

    with pytest.raises(ReportAlreadyReturned) as refusal:
        incident_approve(report=report, by=tenant.manager)

    assert refusal.value.code == "report_already_returned"
    assert f"by {tenant.manager}" in refusal.value.message
    report.refresh_from_db()
    assert report.status == IncidentStatus.RETURNED


def test_approving_over_an_open_critical_flag_needs_a_confirmation_and_a_reason(shift, tenant):
    # given a report filed from a mocked position (critical MOCK_LOCATION flag)
    report = file_directly(shift, position=mocked_position())
    flag = Flag.objects.get(incident=report, code="MOCK_LOCATION", status=FlagStatus.OPEN)

    # when the manager approves it without confirming, then confirming without a reason
    with pytest.raises(OpenCriticalFlags) as unconfirmed:
        incident_approve(report=report, by=tenant.manager)
    with pytest.raises(ValidationFailed) as no_reason:
        incident_approve(report=report, by=tenant.manager, confirm_open_critical=True, note="  ")

    # then both are refused, saying which flags, and the report is still waiting
    assert unconfirmed.value.code == "open_critical_flags"
    assert unconfirmed.value.extra["flags"] == [{"id": flag.pk, "code": "MOCK_LOCATION"}]
    assert "MOCK_LOCATION" in unconfirmed.value.message
    assert (no_reason.value.code, no_reason.value.field) == ("reason_required", "note")
    report.refresh_from_db()
    assert report.status == IncidentStatus.SUBMITTED

    # when they confirm with a reason
    action = incident_approve(
        report=report, by=tenant.manager, confirm_open_critical=True, note="Guard's phone is the test device."
    )

    # then it is approved, the overridden flag is on record with the reason, and the flag stays open
    assert action.open_critical_flags == [{"id": flag.pk, "code": "MOCK_LOCATION"}]
    assert action.note == "Guard's phone is the test device."
    flag.refresh_from_db()
    assert flag.status == FlagStatus.OPEN


def test_another_companys_manager_gets_not_found_and_a_guard_or_client_contact_permission_denied(
    shift, tenant, other_tenant
):
    report = file_directly(shift)

    foreign = assert_only_the_companys_reviewers_may(
        lambda by: incident_approve(report=report, by=by), tenant=tenant, other_tenant=other_tenant,
        not_found=ReportNotFound,
    )  # fmt: skip
    with pytest.raises(ReportNotFound):
        incident_return_for_correction(report=report, reviewer=other_tenant.manager, comment="x")

    assert (foreign.code, foreign.status) == ("report_not_found", 404)
    report.refresh_from_db()
    assert report.status == IncidentStatus.SUBMITTED
    assert not IncidentReviewAction.objects.exists()


def test_guardops_staff_may_approve_any_companys_report(shift):
    staff = factories.UserFactory(role="staff", company=None, is_staff=True, is_superuser=True)

    incident_approve(report=file_directly(shift), by=staff)

    assert IncidentReport.objects.get().approved_by == staff


# --- Return for correction -----------------------------------------------------------------


def test_returning_a_report_keeps_the_comment_for_the_guard_and_logs_the_decision(shift, tenant):
    report = file_directly(shift)

    comment = incident_return_for_correction(report=report, reviewer=tenant.manager, comment=" Which gate? ")

    report.refresh_from_db()
    assert report.status == IncidentStatus.RETURNED
    assert (report.approved_at, report.approved_by) == (None, None)
    assert comment.body == "Which gate?"
    action = IncidentReviewAction.objects.get(report=report)
    assert (action.action, action.by, action.note) == (ReviewAction.RETURN, tenant.manager, "Which gate?")
    assert (action.from_status, action.to_status) == ("submitted", "returned")


def test_returning_a_returned_report_again_says_who_returned_it(shift, tenant):
    report = file_directly(shift)
    incident_return_for_correction(report=report, reviewer=tenant.manager, comment="Which gate?")

    with pytest.raises(ReportAlreadyReturned) as refusal:
        incident_return_for_correction(report=report, reviewer=tenant.manager, comment="And the time?")

    assert f"already returned to its guard for correction by {tenant.manager} at " in refusal.value.message
    assert ReviewComment.objects.filter(report=report).count() == 1


# --- The database backs the states -----------------------------------------------------------


def test_the_database_refuses_an_approved_report_without_who_and_when(shift, tenant):
    report = file_directly(shift)

    with pytest.raises(IntegrityError), transaction.atomic():
        IncidentReport.objects.filter(pk=report.pk).update(status=IncidentStatus.APPROVED)
    with pytest.raises(IntegrityError), transaction.atomic():
        IncidentReport.objects.filter(pk=report.pk).update(approved_at=timezone.now(), approved_by=tenant.manager)
    with pytest.raises(IntegrityError), transaction.atomic():
        IncidentReport.objects.filter(pk=report.pk).update(status="lost")


def test_the_database_refuses_a_return_without_a_note_and_an_override_without_a_reason(shift, tenant):
    report = file_directly(shift)
    base = {
        "report": report, "by": tenant.manager, "at": timezone.now(), "from_status": "submitted", "report_version": 1,
    }  # fmt: skip

    with pytest.raises(IntegrityError), transaction.atomic():
        IncidentReviewAction.objects.create(**base, action=ReviewAction.RETURN, to_status="returned", note="")
    with pytest.raises(IntegrityError), transaction.atomic():
        IncidentReviewAction.objects.create(
            **base, action=ReviewAction.APPROVE, to_status="approved", open_critical_flags=[{"id": 1}]
        )
    with pytest.raises(IntegrityError), transaction.atomic():
        IncidentReviewAction.objects.create(**base, action=ReviewAction.APPROVE, to_status="returned")


# --- Two reviewers at once -------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_two_managers_approving_at_once_one_wins_and_the_other_is_told_who_and_when(tenant):
    # given a submitted report and two managers opening it at the same moment
    shift = factories.ShiftFactory(post=tenant.post, guard=tenant.guard)
    report = file_directly(shift)
    managers = [
        tenant.manager,
        factories.ManagerFactory(company=tenant.company, first_name="Dana", last_name="Reyes"),
    ]

    def approve_as(manager):
        return lambda: incident_approve(report=IncidentReport.objects.get(pk=report.pk), by=manager)

    # when both approve
    outcomes = race_outcomes(*map(approve_as, managers))

    # then exactly one approval is stored, and the other manager is told whose it is and when
    approved = [who for who, outcome in zip(managers, outcomes, strict=True) if not isinstance(outcome, Exception)]
    refused = [outcome for outcome in outcomes if isinstance(outcome, ReportAlreadyApproved)]
    assert len(approved) == 1, outcomes
    assert len(refused) == 1, outcomes
    report.refresh_from_db()
    assert report.approved_by == approved[0]
    assert IncidentReviewAction.objects.filter(report=report).count() == 1
    local = report.approved_at.astimezone(ZoneInfo(tenant.site.timezone))
    assert f"already approved by {approved[0]} at {local:%H:%M} {local.tzname()}." in refused[0].message
    assert local.tzname() in {"EST", "EDT"}


def test_an_approval_on_another_day_names_the_date(shift, tenant):
    report = file_directly(shift)
    incident_approve(report=report, by=tenant.manager)
    two_days_ago = timezone.now() - timedelta(days=2)
    IncidentReport.objects.filter(pk=report.pk).update(approved_at=two_days_ago)

    with pytest.raises(ReportAlreadyApproved) as refusal:
        incident_approve(report=report, by=tenant.manager)

    local = two_days_ago.astimezone(ZoneInfo(tenant.site.timezone))
    assert f"at {local:%Y-%m-%d %H:%M} {local.tzname()}." in refusal.value.message
