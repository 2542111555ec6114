"""The read side for people who are not guards: who sees which sites, shifts, reports,
flags and panic alerts, and that everything else is a 404.

The world: company A has client C (sites S and S2) and client C2 (site S3); company B
has one site. Every site has a shift, an approved and a submitted report, a flag on
the shift and one on a report, and a panic alert pressed on the shift.
"""

import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

import pytest
from django.utils import timezone

from backend.accounts.models import Role, User
from backend.core.errors import NotFound, PermissionDenied
from backend.flags.models import Flag
from backend.flags.selectors import flag_get_visible, flags_visible
from backend.incidents.models import IncidentReport, IncidentStatus, IncidentType
from backend.incidents.selectors import incident_report_get_visible, incident_reports_visible
from backend.sites.models import ClientContactSite, SiteAssignment
from backend.sites.scopes import scope_for
from backend.sites.selectors import site_get_visible, sites_visible
from backend.staffing.models import Shift
from backend.staffing.selectors import shift_get_visible, shifts_visible
from backend.tracking.models import PanicAlert
from backend.tracking.selectors import panic_alert_get_visible, panic_alerts_visible
from tests import factories

pytestmark = pytest.mark.django_db

ALL_SITES = {"S", "S2", "S3", "B"}


@dataclass
class World:
    # Any: factory_boy's calls are typed as the factory, not the model they return.
    sites: dict[str, Any]
    viewers: dict[str, Any]
    shifts: dict[str, Any] = field(default_factory=dict)
    approved: dict[str, IncidentReport] = field(default_factory=dict)
    submitted: dict[str, IncidentReport] = field(default_factory=dict)
    flags: list[tuple[str, Flag]] = field(default_factory=list)
    alerts: dict[str, PanicAlert] = field(default_factory=dict)
    alert_off_shift: PanicAlert | None = None


def _report(shift: Shift, incident_type: IncidentType, status: str) -> IncidentReport:
    now = timezone.now()
    # An approved report names who approved it (the database insists).
    approver = User.objects.filter(company=shift.guard.company_id, role=Role.MANAGER).first()
    approval = {"approved_at": now, "approved_by": approver} if status == IncidentStatus.APPROVED else {}
    return IncidentReport.objects.create(
        **approval,
        id=uuid.uuid4(),
        shift=shift,
        guard=shift.guard,
        type=incident_type,
        occurred_at=now,
        narrative="Gate found open at 02:10.",
        payload_sha256="0" * 64,
        status=status,
        recorded_at=now,
        received_at=now,
    )


@pytest.fixture
def world(tenant, other_tenant) -> World:
    company = tenant.company
    second_client = factories.ClientFactory(company=company)
    sites = {
        "S": tenant.site,
        "S2": factories.SiteFactory(client=tenant.client, name="Second site"),
        "S3": factories.SiteFactory(client=second_client, name="Other client's site"),
        "B": other_tenant.site,
    }
    supervisor = factories.SupervisorFactory(company=company)
    SiteAssignment.objects.create(site=sites["S"], supervisor=supervisor, assigned_at=timezone.now())
    limited_contact = factories.ClientContactFactory(client=tenant.client)
    ClientContactSite.objects.create(contact=limited_contact, site=sites["S2"])
    world = World(
        sites=sites,
        viewers={
            "manager A": tenant.manager,
            "supervisor of S": supervisor,
            "unassigned supervisor": factories.SupervisorFactory(company=company),
            "contact of C": tenant.client_contact,
            "contact of C limited to S2": limited_contact,
            "contact of C2": factories.ClientContactFactory(client=second_client),
            "manager B": other_tenant.manager,
            "staff": factories.StaffFactory(),
        },
    )
    now = timezone.now()
    for label, site in sites.items():
        site_company = site.client.company
        incident_type, _ = IncidentType.objects.get_or_create(company=site_company, code="gate", name="Gate")
        shift = factories.ShiftFactory(post=factories.PostFactory(site=site))
        world.shifts[label] = shift
        world.approved[label] = _report(shift, incident_type, IncidentStatus.APPROVED)
        world.submitted[label] = _report(shift, incident_type, IncidentStatus.SUBMITTED)
        for subject in ({"shift": shift}, {"incident": world.submitted[label]}):
            flag = Flag.objects.create(
                company=site_company, code="NO_SHOW", severity="critical", message="-", raised_at=now, **subject
            )
            world.flags.append((label, flag))
        world.alerts[label] = PanicAlert.objects.create(
            id=uuid.uuid4(), guard=shift.guard, shift=shift, recorded_at=now, received_at=now
        )
    world.alert_off_shift = PanicAlert.objects.create(
        id=uuid.uuid4(), guard=tenant.guard, recorded_at=now, received_at=now
    )
    return world


def _labels(world: World, rows: Iterable[Any], site_of: Callable[[Any], int]) -> set[str]:
    by_site_pk = {site.pk: label for label, site in world.sites.items()}
    return {by_site_pk[site_of(row)] for row in rows}


# Which sites each viewer sees.
SEES = {
    "manager A": {"S", "S2", "S3"},
    "supervisor of S": {"S"},
    "unassigned supervisor": set(),
    "contact of C": {"S", "S2"},
    "contact of C limited to S2": {"S2"},
    "contact of C2": {"S3"},
    "manager B": {"B"},
    "staff": ALL_SITES,
}
CONTACTS = {viewer for viewer in SEES if viewer.startswith("contact")}


@pytest.mark.parametrize("viewer", SEES)
def test_sites_shifts_and_reports_each_viewer_sees(world, viewer):
    # given the viewer's scope
    scope = scope_for(world.viewers[viewer])

    # when they list sites, shifts and reports, then they get those of their sites only
    assert _labels(world, sites_visible(scope=scope), lambda site: site.pk) == SEES[viewer]
    assert _labels(world, shifts_visible(scope=scope), lambda shift: shift.post.site_id) == SEES[viewer]
    reports = list(incident_reports_visible(scope=scope))
    assert _labels(world, reports, lambda report: report.shift.post.site_id) == SEES[viewer]
    # and a client contact reads approved reports only, the company's people all of them
    expected = {world.approved[label].pk for label in SEES[viewer]}
    if viewer not in CONTACTS:
        expected |= {world.submitted[label].pk for label in SEES[viewer]}
    assert {report.pk for report in reports} == expected


def _found_or_404(get: Callable[[Any], Any], rows: Iterable[tuple[str, Any]], visible: set[str]) -> None:
    """`get` returns each row on a visible site and answers NotFound (404) for every other."""
    for label, row in rows:
        if label in visible:
            assert get(row.pk) == row
        else:
            with pytest.raises(NotFound) as error:
                get(row.pk)
            assert error.value.status == 404


@pytest.mark.parametrize("viewer", SEES)
def test_each_get_visible_finds_the_viewers_objects_and_is_404_for_everything_else(world, viewer):
    scope = scope_for(world.viewers[viewer])
    visible = SEES[viewer]

    _found_or_404(lambda pk: site_get_visible(scope=scope, site_id=pk), world.sites.items(), visible)
    _found_or_404(lambda pk: shift_get_visible(scope=scope, shift_id=pk), world.shifts.items(), visible)

    def get_report(pk: Any) -> Any:
        return incident_report_get_visible(scope=scope, report_id=pk)

    _found_or_404(get_report, world.approved.items(), visible)
    # a report not approved yet is not there for a client contact
    _found_or_404(get_report, world.submitted.items(), set() if viewer in CONTACTS else visible)


OPERATIONS = {viewer: sites for viewer, sites in SEES.items() if viewer not in CONTACTS}


@pytest.mark.parametrize("viewer", OPERATIONS)
def test_flags_and_panic_alerts_each_of_the_companys_people_sees(world, viewer):
    scope = scope_for(world.viewers[viewer])

    flags = list(flags_visible(scope=scope))
    assert {flag.pk for flag in flags} == {flag.pk for label, flag in world.flags if label in SEES[viewer]}
    alerts = {alert.pk for alert in panic_alerts_visible(scope=scope)}
    expected_alerts = {world.alerts[label].pk for label in SEES[viewer]}
    if viewer in {"manager A", "staff"}:  # pressed off shift: on no site, the company's only
        expected_alerts.add(world.alert_off_shift.pk)
    assert alerts == expected_alerts

    _found_or_404(lambda pk: flag_get_visible(scope=scope, flag_id=pk), world.flags, SEES[viewer])
    _found_or_404(lambda pk: panic_alert_get_visible(scope=scope, alert_id=pk), world.alerts.items(), SEES[viewer])


@pytest.mark.parametrize("viewer", sorted(CONTACTS))
def test_a_client_contact_is_refused_the_companys_flags_and_panic_alerts(world, viewer):
    scope = scope_for(world.viewers[viewer])

    with pytest.raises(PermissionDenied) as error:
        flags_visible(scope=scope)
    assert error.value.code == "not_for_client_contacts"
    with pytest.raises(PermissionDenied):
        panic_alerts_visible(scope=scope)
    with pytest.raises(PermissionDenied):
        flag_get_visible(scope=scope, flag_id=world.flags[0][1].pk)


def test_a_client_contact_does_not_read_the_reviewers_comments_or_flags_on_a_report(world, tenant):
    report = world.approved["S"]
    report.comments.create(author=tenant.manager, body="Guard forgot the unit again.")

    for_contact = incident_report_get_visible(scope=scope_for(tenant.client_contact), report_id=report.pk)
    for_manager = incident_report_get_visible(scope=scope_for(tenant.manager), report_id=report.pk)

    assert [comment.body for comment in for_manager.comments.all()] == ["Guard forgot the unit again."]
    assert not hasattr(for_contact, "open_flags")
    assert "comments" not in getattr(for_contact, "_prefetched_objects_cache", {})


def test_archived_reports_leave_the_lists_and_stay_reachable_for_the_company_only(world, tenant):
    report = world.approved["S"]
    IncidentReport.objects.filter(pk=report.pk).update(archived_at=timezone.now())
    manager, contact = scope_for(tenant.manager), scope_for(tenant.client_contact)

    assert report not in incident_reports_visible(scope=manager)
    assert report in incident_reports_visible(scope=manager, include_archived=True)
    assert incident_report_get_visible(scope=manager, report_id=report.pk) == report
    with pytest.raises(NotFound):
        incident_report_get_visible(scope=contact, report_id=report.pk)


def test_a_guard_is_not_a_viewer_of_these_lists(world, tenant):
    with pytest.raises(PermissionDenied) as error:
        scope_for(tenant.guard)

    assert error.value.code == "not_a_viewer"
    assert error.value.status == 403


def test_an_inactive_manager_sees_nothing(world, tenant):
    tenant.manager.is_active = False

    with pytest.raises(PermissionDenied):
        scope_for(tenant.manager)


def test_the_lists_load_their_related_rows_in_the_same_query(world, django_assert_num_queries):
    scope = scope_for(world.viewers["manager A"])

    with django_assert_num_queries(1):
        shown = [
            (shift.guard.username, shift.post.site.name, shift.post.site.client.name)
            for shift in shifts_visible(scope=scope)
        ]
    assert len(shown) == 3
    with django_assert_num_queries(1):
        shown = [
            (r.type.name, r.guard.username, r.shift.post.site.timezone) for r in incident_reports_visible(scope=scope)
        ]
    assert len(shown) == 6
    with django_assert_num_queries(1):
        shown = [(flag.code, (flag.shift or flag.incident).pk) for flag in flags_visible(scope=scope)]
    assert len(shown) == 6
    with django_assert_num_queries(1):
        shown = [
            (alert.guard.username, alert.shift and alert.shift.post.site.name)
            for alert in panic_alerts_visible(scope=scope)
        ]
    assert len(shown) == 4
