"""Who may act as a reviewer: managers on their company, supervisors on their assigned sites only."""

import pytest

from backend.core.errors import PermissionDenied
from backend.incidents.errors import ReportNotFound
from backend.incidents.models import IncidentStatus
from backend.incidents.services import incident_approve
from backend.sites.services import site_assignment_add
from tests import factories
from tests.mobile_api.test_incidents import file_directly


@pytest.fixture
def report(tenant):
    return file_directly(factories.ShiftFactory(post=tenant.post, guard=tenant.guard))


def test_a_supervisor_approves_a_report_on_a_site_assigned_to_them(report, tenant):
    # given a supervisor of the company assigned to the report's site
    supervisor = factories.SupervisorFactory(company=tenant.company)
    site_assignment_add(site=tenant.site, supervisor=supervisor, by=tenant.manager)

    # when they approve it
    incident_approve(report=report, by=supervisor)

    # then it is approved by them
    report.refresh_from_db()
    assert (report.status, report.approved_by) == (IncidentStatus.APPROVED, supervisor)


def test_a_supervisor_cannot_tell_a_report_on_a_site_not_assigned_to_them_exists(report, tenant):
    # given a supervisor of the same company, assigned to another of its sites only
    supervisor = factories.SupervisorFactory(company=tenant.company)
    annex = factories.SiteFactory(client=tenant.client, name="Annex")
    site_assignment_add(site=annex, supervisor=supervisor, by=tenant.manager)

    # when they try to approve the report, then it is not there for them, and it stays submitted
    with pytest.raises(ReportNotFound):
        incident_approve(report=report, by=supervisor)
    report.refresh_from_db()
    assert report.status == IncidentStatus.SUBMITTED


def test_a_client_contact_is_no_reviewer(report, tenant):
    with pytest.raises(PermissionDenied) as refused:
        incident_approve(report=report, by=factories.ClientContactFactory(client=tenant.client))
    assert refused.value.code == "not_a_reviewer"
