"""Admin map widgets work on a closed network: no page loads anything from another host."""

import pytest
from django.contrib import admin
from django.contrib.gis.db.models import GeometryField
from django.contrib.gis.geos import MultiPolygon
from django.test import Client
from django.urls import reverse

from tests import factories
from tests.admin_clients import EXTERNAL_ASSET, manager_admin, staff_admin

pytestmark = pytest.mark.django_db


def _geometry_admin_pages(tenant) -> list[str]:
    rows = {
        "site": tenant.site,
        "unit": factories.UnitFactory(site=tenant.site),
        "checkpoint": factories.CheckpointFactory(site=tenant.site),
        "restrictedzone": factories.RestrictedZoneFactory(site=tenant.site, area=tenant.site.geofence[0]),
    }
    pages = []
    for model in admin.site._registry:
        if not any(isinstance(field, GeometryField) for field in model._meta.fields):
            continue
        name = f"admin:{model._meta.app_label}_{model._meta.model_name}"
        pages.append(reverse(f"{name}_changelist"))
        pages.append(reverse(f"{name}_add"))
        if model._meta.model_name in rows:
            pages.append(reverse(f"{name}_change", args=[rows[model._meta.model_name].pk]))
    return pages


@pytest.mark.parametrize("who", ["manager", "staff"])
def test_no_admin_page_with_a_map_references_another_host(tenant, who):
    browser = manager_admin(tenant.manager) if who == "manager" else staff_admin(factories.StaffFactory())

    pages = _geometry_admin_pages(tenant)

    assert "/admin/sites/site/add/" in pages
    for page in pages:
        response = browser.get(page)
        assert response.status_code in (200, 403), page
        html = response.content.decode()
        assert not EXTERNAL_ASSET.search(html), f"{page} loads from another host"
        assert "openlayers" not in html.lower()


def test_the_site_page_edits_the_fence_on_the_bundled_leaflet_map(tenant):
    browser = manager_admin(tenant.manager)

    html = browser.get(f"/admin/sites/site/{tenant.site.pk}/change/").content.decode()

    assert 'id="id_geofence-map"' in html
    assert '<script src="/static/leaflet/leaflet.js">' in html
    assert '"layers": []' in html  # no MAP_TILES_URL: no base layer, nothing fetched
    script = Client().get("/static/leaflet/leaflet.js")
    script.close()  # a streamed file: closed here, not whenever the collector runs
    assert script.status_code == 200


def test_a_fence_drawn_on_the_leaflet_map_is_saved_as_geography(tenant):
    # given the GeoJSON the Leaflet widget posts for a redrawn fence
    site = tenant.site
    redrawn = MultiPolygon(site.geofence.buffer(0.0001), srid=4326)
    browser = manager_admin(tenant.manager)

    response = browser.post(
        f"/admin/sites/site/{site.pk}/change/",
        {
            "client": tenant.client.pk, "name": "Gatehouse Plaza", "street_address": site.street_address,
            "city": site.city, "region": site.region, "postal_code": "", "country": "US",
            "timezone": site.timezone, "geofence": redrawn.geojson, "near_buffer_m": 25, "is_active": "on",
        },
    )  # fmt: skip

    assert response.status_code == 302, response.context["adminform"].form.errors
    site.refresh_from_db()
    assert site.name == "Gatehouse Plaza"
    assert site.geofence.srid == 4326
    assert site.geofence.equals_exact(redrawn, tolerance=1e-7)
