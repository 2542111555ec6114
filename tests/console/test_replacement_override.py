"""Assigning an unqualified replacement from the console: refused naming what is missing, then a manager's override."""

from __future__ import annotations

import pytest

from backend.flags.models import Flag
from backend.rules.findings import FlagCode, Severity
from backend.sites.services import site_assignment_add
from backend.staffing.models import PostRequirement, Qualification, QualificationOverride, Shift
from tests import factories
from tests.conftest import Tenant
from tests.console.conftest import signed_in

pytestmark = pytest.mark.django_db


def _no_show_at_a_fire_watch_post(tenant: Tenant) -> Flag:
    fire = Qualification.objects.get(company=tenant.company, code="fire-watch")
    PostRequirement.objects.create(post=tenant.post, qualification=fire)
    shift = factories.ShiftFactory(post=tenant.post, guard=factories.GuardFactory(company=tenant.company))
    return factories.open_flag(
        shift=shift, code=FlagCode.NO_SHOW, severity=Severity.CRITICAL, message="Nobody at the gate"
    )


def _replace(client, flag: Flag, stand_in, *, override_reason: str | None = None, **more: str):
    """The console's replace form for `flag`'s shift: `stand_in`, with an override and its reason when given."""
    data: dict[str, object] = {"replace-guard": stand_in.pk, **more}
    if override_reason is not None:
        data |= {"replace-override": "True", "replace-override_reason": override_reason}
    return client.post(f"/console/attendance/{flag.pk}/replace", data)


def test_the_refusal_names_the_missing_qualification_and_asks_for_an_override_reason(tenant):
    flag = _no_show_at_a_fire_watch_post(tenant)
    stand_in = factories.GuardFactory(company=tenant.company)

    response = _replace(signed_in(tenant.manager), flag, stand_in)

    page = response.content.decode()
    assert response.status_code == 409
    assert "Fire watch is not held" in page
    assert "<strong>Missing:</strong> Fire watch." in page
    assert 'name="replace-override_reason"' in page
    assert 'type="hidden" name="replace-override"' in page
    assert not Shift.objects.filter(guard=stand_in).exists()


def test_re_submitting_with_a_reason_assigns_the_guard_and_records_the_override(tenant):
    flag = _no_show_at_a_fire_watch_post(tenant)
    stand_in = factories.GuardFactory(company=tenant.company)

    response = _replace(
        signed_in(tenant.manager), flag, stand_in, override_reason="Only guard free; panel monitored remotely."
    )

    assert response.status_code == 302
    replacement = Shift.objects.get(guard=stand_in)
    override = QualificationOverride.objects.get(shift=replacement)
    assert override.qualification.code == "fire-watch"
    assert (override.overridden_by, override.reason) == (tenant.manager, "Only guard free; panel monitored remotely.")


def test_an_override_without_a_reason_is_refused_on_its_field(tenant):
    flag = _no_show_at_a_fire_watch_post(tenant)
    stand_in = factories.GuardFactory(company=tenant.company)

    response = _replace(
        signed_in(tenant.manager), flag, stand_in, override_reason="  ", **{"replace-missing": "Fire watch"}
    )

    page = response.content.decode()
    assert response.status_code == 422
    assert "Say why this guard may work the post without the qualification." in page
    assert "<strong>Missing:</strong> Fire watch." in page
    assert not Shift.objects.filter(guard=stand_in).exists()


def test_a_supervisor_sees_the_refusal_but_only_a_manager_may_override(tenant):
    supervisor = factories.SupervisorFactory(company=tenant.company)
    site_assignment_add(site=tenant.site, supervisor=supervisor, by=tenant.manager)
    flag = _no_show_at_a_fire_watch_post(tenant)
    stand_in = factories.GuardFactory(company=tenant.company)
    client = signed_in(supervisor)

    refused = _replace(client, flag, stand_in)
    forced = _replace(client, flag, stand_in, override_reason="I say so")

    assert refused.status_code == 409
    assert "A manager can override this" in refused.content.decode()
    assert 'name="replace-override_reason"' not in refused.content.decode()
    assert forced.status_code == 403
    assert not Shift.objects.filter(guard=stand_in).exists()
