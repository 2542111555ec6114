"""Reads over clients and sites, always scoped to a tenant or to what a user may see."""

from django.db.models import QuerySet

from backend.accounts.models import Company, User
from backend.core.errors import PermissionDenied
from backend.core.querysets import one_visible_or_not_found
from backend.rules.selectors import thresholds_for_site
from backend.sites.fence_sql import classify_points_sql
from backend.sites.models import Checkpoint, Client, Site, Unit
from backend.sites.scopes import Scope, scope_for
from geofence.classify import Verdict


def clients_for_company(*, company: Company) -> QuerySet[Client]:
    return Client.objects.for_company(company)


def sites_for_company(*, company: Company | int) -> QuerySet[Site]:
    return Site.objects.for_company(company).select_related("client")


def sites_visible_to(*, user: User) -> QuerySet[Site]:
    """The sites `user`'s scope shows (see sites/scopes.py); none for a guard here.

    (Guards reach sites through their own shifts; see staffing selectors.)
    """
    try:
        scope = scope_for(user)
    except PermissionDenied:
        return Site.objects.none()
    return sites_visible(scope=scope)


def sites_visible(*, scope: Scope, active_only: bool = False) -> QuerySet[Site]:
    """The sites a viewer may see (company, client, assigned or allowed sites), by client and name."""
    sites = Site.objects.for_scope(scope).select_related("client")
    if active_only:
        sites = sites.filter(is_active=True)
    return sites.order_by("client__name", "name", "pk")


def site_get_visible(*, scope: Scope, site_id: int) -> Site:
    """One site the viewer may see; any other (another tenant's, client's, unassigned) is NotFound."""
    return one_visible_or_not_found(
        sites_visible(scope=scope), pk=site_id, message="No such site.", code="site_not_found"
    )


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
