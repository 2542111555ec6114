"""The facts the report rules read: the company's guard roster goes with the narrative."""

from backend.flags.models import Flag
from tests import factories
from tests.mobile_api.test_incidents import file_directly

RELIEF = "Officer Okafor arrived at 2200 and took the keys and the radio from me."


def test_a_guard_of_the_company_named_officer_raises_no_critical_emergency(tenant):
    # given Okafor is one of the company's guards
    factories.GuardFactory(company=tenant.company, last_name="Okafor")
    shift = factories.ShiftFactory(post=tenant.post, guard=tenant.guard)
    # when a report says "Officer Okafor arrived"
    report = file_directly(shift, narrative=RELIEF)
    # then no critical "service responded" flag: Okafor is ours, not the police
    assert not Flag.objects.filter(incident=report, code="EMERGENCY_NOT_REPORTED", severity="critical").exists()


def test_an_officer_not_on_the_roster_still_reads_as_police(tenant):
    shift = factories.ShiftFactory(post=tenant.post, guard=tenant.guard)
    report = file_directly(shift, narrative=RELIEF)
    assert Flag.objects.filter(incident=report, code="EMERGENCY_NOT_REPORTED", severity="critical").exists()
