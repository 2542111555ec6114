"""Which of a report's flags its client sees: a reviewer's choice, recorded, and never an internal kind."""

import pytest

from backend.core.errors import PermissionDenied
from backend.documents.assemble import incident_report_document
from backend.flags.errors import FlagNotForClients, FlagNotFound
from backend.flags.models import FlagStatus, FlagVisibilityChange
from backend.flags.services import flag_client_visibility_set, flags_client_visibility_set
from backend.rules.findings import FlagCode
from tests import factories
from tests.portal.conftest import approved_report, worked_shift

pytestmark = pytest.mark.django_db


@pytest.fixture
def report(tenant):
    return approved_report(worked_shift(tenant))


def test_a_manager_shows_a_flag_to_the_client_and_it_is_recorded(tenant, report):
    flag = factories.open_flag(incident=report, code=FlagCode.UNIT_LOCATION_MISMATCH, message="Unit 204 is 300 m away.")

    shown = flag_client_visibility_set(flag=flag, by=tenant.manager, shown=True)

    assert shown.shown_to_client
    (change,) = FlagVisibilityChange.objects.filter(flag=flag)
    assert (change.shown, change.by) == (True, tenant.manager)
    # and the client's copy of the report (the PDF's data) carries it
    assert [f.message for f in incident_report_document(report=report).flags] == ["Unit 204 is 300 m away."]


def test_setting_what_is_already_set_records_nothing_and_taking_it_off_is_recorded(tenant, report):
    flag = factories.open_flag(incident=report, code=FlagCode.UNIT_LOCATION_MISMATCH)
    flag_client_visibility_set(flag=flag, by=tenant.manager, shown=True)
    flag_client_visibility_set(flag=flag, by=tenant.manager, shown=True)

    flag_client_visibility_set(flag=flag, by=tenant.manager, shown=False)

    assert list(FlagVisibilityChange.objects.filter(flag=flag).values_list("shown", flat=True)) == [True, False]
    assert incident_report_document(report=report).flags == ()


def test_a_shift_flag_a_panic_flag_and_a_false_positive_are_never_shown(tenant, report):
    shift_flag = factories.open_flag(shift=report.shift, code=FlagCode.LATE_CLOCK_IN)
    panic = factories.open_flag(incident=report, code=FlagCode.PANIC)
    dismissed = factories.open_flag(incident=report, code=FlagCode.LOW_ACCURACY)
    type(dismissed).objects.filter(pk=dismissed.pk).update(
        status=FlagStatus.DISMISSED, dismissed_at=report.received_at, dismissed_by=tenant.manager,
        dismissal_reason="gps_drift",
    )  # fmt: skip

    for flag in (shift_flag, panic, dismissed):
        with pytest.raises(FlagNotForClients):
            flag_client_visibility_set(flag=flag, by=tenant.manager, shown=True)

    assert not FlagVisibilityChange.objects.exists()


def test_only_a_reviewer_of_the_reports_site_decides(tenant, other_tenant, report):
    flag = factories.open_flag(incident=report, code=FlagCode.UNIT_LOCATION_MISMATCH)

    with pytest.raises(FlagNotFound):
        flag_client_visibility_set(flag=flag, by=other_tenant.manager, shown=True)
    for person in (tenant.guard, tenant.client_contact):
        with pytest.raises(PermissionDenied):
            flag_client_visibility_set(flag=flag, by=person, shown=True)
    flag.refresh_from_db()
    assert not flag.shown_to_client


def test_setting_a_reports_flags_at_once_shows_the_ticked_and_hides_the_rest(tenant, report):
    first = factories.open_flag(incident=report, code=FlagCode.UNIT_LOCATION_MISMATCH)
    second = factories.open_flag(incident=report, code=FlagCode.LOW_ACCURACY)
    flag_client_visibility_set(flag=second, by=tenant.manager, shown=True)

    flags_client_visibility_set(flags=[first, second], by=tenant.manager, shown_ids={first.pk})

    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.shown_to_client, second.shown_to_client) == (True, False)
