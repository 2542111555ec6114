"""Portal fixtures: client A's contacts around two of its sites, another client's and company's, and helpers."""

from __future__ import annotations

from datetime import timedelta
from typing import cast

import pytest
from django.utils import timezone

from backend.incidents.models import IncidentReport, IncidentStatus
from backend.sites.models import Site
from backend.sites.services import client_contact_sites_set, site_assignment_add
from backend.staffing.models import Shift
from tests import factories, geo
from tests.portal.isolation import World
from tests.web_auth import PORTAL
from tests.web_auth import signed_in as signed_in  # the portal's tests import it from here


@pytest.fixture
def world(tenant, other_tenant) -> World:
    # A name no other site's contains, so a page that shows it is a page about this site.
    tenant.site.name = "Quaywater Lofts"
    tenant.site.save(update_fields=["name"])
    tenant.post.name = "Lobby desk"
    tenant.post.save(update_fields=["name"])
    second_site = cast(Site, factories.SiteFactory(client=tenant.client, geofence=geo.SITE_SQUARE, name="Second site"))
    limited = factories.ClientContactFactory(client=tenant.client, username="contact-limited")
    elsewhere = factories.ClientContactFactory(client=tenant.client, username="contact-elsewhere")
    client_contact_sites_set(contact=limited, sites=[tenant.site], by=tenant.manager)
    client_contact_sites_set(contact=elsewhere, sites=[second_site], by=tenant.manager)
    other_client = factories.ClientFactory(company=tenant.company, name="Other client of the same company")
    factories.SiteFactory(client=other_client, geofence=geo.OTHER_SITE_SQUARE, name="Their site")
    other_client_contact = factories.ClientContactFactory(client=other_client, username="contact-other-client")
    supervisor = factories.SupervisorFactory(company=tenant.company, username="sup-assigned")
    site_assignment_add(site=tenant.site, supervisor=supervisor, by=tenant.manager)
    return World(
        tenant=tenant,
        other_tenant=other_tenant,
        site=tenant.site,
        second_site=second_site,
        contact=tenant.client_contact,
        limited_contact=limited,
        elsewhere_contact=elsewhere,
        other_client_contact=other_client_contact,
        supervisor=supervisor,
    )


portal_login = PORTAL.login


def worked_shift(tenant, *, post=None, hours_ago: float = 10, length: float = 8, late_minutes: float = 0) -> Shift:
    """A completed shift at `post` (the tenant's first by default), clocked in `late_minutes` late, out on time."""
    start = timezone.now().replace(microsecond=0) - timedelta(hours=hours_ago)
    shift = cast(
        Shift,
        factories.ShiftFactory(
            post=post or tenant.post,
            guard=tenant.guard,
            scheduled_start=start,
            scheduled_end=start + timedelta(hours=length),
        ),
    )
    shift.clock_in_at = shift.clock_in_verified_at = start + timedelta(minutes=late_minutes)
    shift.clock_out_at = shift.clock_out_verified_at = start + timedelta(hours=length)
    shift.status = "completed"
    shift.save()
    return shift


def approved_report(shift: Shift, **fields) -> IncidentReport:
    """A report on `shift`, approved by the shift's company manager."""
    report = factories.incident_report(shift=shift, **fields)
    manager = factories.ManagerFactory(company=shift.post.site.client.company)
    IncidentReport.objects.filter(pk=report.pk).update(
        status=IncidentStatus.APPROVED, approved_at=timezone.now(), approved_by=manager
    )
    report.refresh_from_db()
    return report
