"""Reads over clients and sites, always scoped to a tenant or to what a user may see."""

from django.db.models import QuerySet

from backend.accounts.models import Company, Role, User
from backend.rules.selectors import thresholds_for_site
from backend.sites.fence_sql import classify_points_sql
from backend.sites.models import Checkpoint, Client, Site, Unit
from geofence.classify import Verdict


def clients_for_company(*, company: Company) -> QuerySet[Client]:
    return Client.objects.for_company(company)


def sites_for_company(*, company: Company | int) -> QuerySet[Site]:
    return Site.objects.for_company(company).select_related("client")


def sites_visible_to(*, user: User) -> QuerySet[Site]:
    """Managers see their company's sites, client contacts their client's, guards none here.

    (Guards reach sites through their own shifts; see staffing selectors.)
    """
    if user.company_id is None:
        return Site.objects.none()
    sites = sites_for_company(company=user.company_id)
    if user.role == Role.MANAGER:
        return sites
    if user.role == Role.CLIENT_CONTACT and user.client_id is not None:
        return sites.filter(client_id=user.client_id)
    return Site.objects.none()


def site_get(*, company: Company, site_id: int) -> Site:
    """One site of the company; another tenant's id raises Site.DoesNotExist (a 404)."""
    return sites_for_company(company=company).get(pk=site_id)


def units_for_site(*, site: Site) -> QuerySet[Unit]:
    return Unit.objects.filter(site=site)


def checkpoints_for_site(*, site: Site) -> QuerySet[Checkpoint]:
    return Checkpoint.objects.filter(site=site, is_active=True)


def site_verdict(
    *, site: Site, lon: float, lat: float, accuracy_m: float, max_accuracy_m: float | None = None
) -> Verdict:
    """Where a reported position stands against the site's fence: one PostGIS query.

    A fix coarser than max_accuracy_m (by default the owning company's `low_accuracy_m`,
    one more query) is "unknown": a phone claiming a 99 km circle is "near" every site.
    """
    if max_accuracy_m is None:
        max_accuracy_m = thresholds_for_site(site_id=site.pk).low_accuracy_m
    return classify_points_sql(items=[("position", site.pk, lon, lat, accuracy_m)], max_accuracy_m=max_accuracy_m)[
        "position"
    ]
