"""On the console's report page a manager ticks which flags the client sees; the portal shows just those."""

import pytest

from backend.flags.models import Flag, FlagVisibilityChange
from backend.rules.findings import FlagCode
from tests import factories
from tests.console.conftest import signed_in
from tests.portal.conftest import signed_in as portal_signed_in

pytestmark = pytest.mark.django_db


def _report_with_flags(tenant):
    shift = factories.ShiftFactory(post=tenant.post, guard=tenant.guard)
    report = factories.incident_report(shift=shift, narrative="A van idled by the loading dock for an hour.")
    to_show = factories.open_flag(incident=report, code=FlagCode.UNIT_LOCATION_MISMATCH, message="Unit is 300 m off.")
    internal = factories.open_flag(incident=report, code=FlagCode.CLOCK_SKEW, message="Phone clock 9 min fast.")
    return report, to_show, internal


def test_approving_with_a_flag_ticked_shows_it_on_the_clients_copy_and_no_other(tenant):
    report, to_show, internal = _report_with_flags(tenant)
    manager = signed_in(tenant.manager)

    page = manager.get(f"/console/reports/{report.pk}").content.decode()
    assert "The client's copy (portal and PDFs) shows these flags" in page

    response = manager.post(f"/console/reports/{report.pk}/approve", {"note": "", "client-shown": [str(to_show.pk)]})

    assert response.status_code == 302
    assert Flag.objects.get(pk=to_show.pk).shown_to_client
    assert not Flag.objects.get(pk=internal.pk).shown_to_client
    portal_page = portal_signed_in(tenant.client_contact).get(f"/portal/reports/{report.pk}").content.decode()
    assert "Unit is 300 m off." in portal_page
    assert "Phone clock 9 min fast." not in portal_page


def test_after_approval_the_clients_copy_is_changed_and_each_change_is_recorded(tenant):
    report, to_show, internal = _report_with_flags(tenant)
    manager = signed_in(tenant.manager)
    manager.post(f"/console/reports/{report.pk}/approve", {"note": ""})

    manager.post(f"/console/reports/{report.pk}/client-flags", {"client-shown": [str(internal.pk)]})
    response = manager.post(f"/console/reports/{report.pk}/client-flags", {"client-shown": [str(to_show.pk)]})

    assert response.status_code == 302
    changes = list(FlagVisibilityChange.objects.order_by("pk").values_list("flag_id", "shown", "by"))
    assert changes[0] == (internal.pk, True, tenant.manager.pk)
    assert set(changes[1:]) == {(internal.pk, False, tenant.manager.pk), (to_show.pk, True, tenant.manager.pk)}


def test_a_flag_of_another_report_is_not_a_choice(tenant):
    report, _, _ = _report_with_flags(tenant)
    _, elsewhere, _ = _report_with_flags(tenant)

    response = signed_in(tenant.manager).post(
        f"/console/reports/{report.pk}/client-flags", {"client-shown": [str(elsewhere.pk)]}
    )

    assert response.status_code == 422
    assert not Flag.objects.get(pk=elsewhere.pk).shown_to_client
