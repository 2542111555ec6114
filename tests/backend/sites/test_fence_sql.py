"""The PostGIS path agrees with the in-process engine, and answers in one query."""

from __future__ import annotations

import pytest
import shapely
from django.contrib.gis.geos import GEOSGeometry, MultiPolygon

from backend.accounts.models import Company
from backend.sites.fence_sql import classify_points_sql, distance_to_site_m, load_prepared_fences
from backend.sites.models import Client, Site
from geofence.classify import PreparedFence
from tests.geofence import geometry as geo

pytestmark = pytest.mark.django_db

SQUARE_POINTS = {
    "centre": geo.INSIDE_CENTER,
    "on_edge": geo.ON_EDGE,
    "near_20m": geo.NEAR_20M,
    "outside_50m": geo.OUTSIDE_50M,
    "outside_80m_north": geo.OUTSIDE_80M_NORTH,
    "outside_corner": geo.OUTSIDE_CORNER,
    "outside_300m": geo.OUTSIDE_300M,
    "far_3km": geo.FAR_3KM,
}
CAMPUS_POINTS = {
    "campus_inside": geo.CAMPUS_INSIDE,
    "courtyard": geo.CAMPUS_IN_COURTYARD,
    "lot": geo.CAMPUS_IN_LOT,
    "before_lot": geo.CAMPUS_BEFORE_LOT,
    "north_500m": geo.CAMPUS_NORTH_500M,
}


def to_geos(fence: shapely.MultiPolygon) -> MultiPolygon:
    """A shapely fence as the GEOS MultiPolygon the model field takes (through WKB, no precision loss)."""
    geometry = GEOSGeometry(shapely.to_wkb(fence, hex=True), srid=4326)
    assert isinstance(geometry, MultiPolygon)
    return geometry


def make_site(name: str, fence: shapely.MultiPolygon, near_buffer_m: int = 25) -> Site:
    """A site with the given fence, under its own company and client (kept local on purpose)."""
    company = Company.objects.create(name=f"{name} Security", slug=f"{name}-security")
    client = Client.objects.create(company=company, name=f"{name} Properties")
    return Site.objects.create(
        client=client,
        name=name,
        street_address="1 Broadway",
        city="Oakland",
        region="CA",
        timezone="America/Los_Angeles",
        geofence=to_geos(fence),
        near_buffer_m=near_buffer_m,
    )


def test_postgis_agrees_with_the_engine_within_a_metre(django_assert_num_queries):
    # given the square lot and the campus, and named fixes around both
    square, campus = make_site("square", geo.SITE_SQUARE), make_site("campus", geo.SITE_CAMPUS, near_buffer_m=40)
    items = [(name, square.pk, lon, lat, 20.0) for name, (lon, lat) in SQUARE_POINTS.items()]
    items += [(name, campus.pk, lon, lat, 20.0) for name, (lon, lat) in CAMPUS_POINTS.items()]
    # when PostGIS judges them all, in one query
    with django_assert_num_queries(1):
        from_sql = classify_points_sql(items=items)
    # then every verdict matches the engine's, distances within 1 m
    engines = {
        square.pk: PreparedFence(geo.SITE_SQUARE, near_buffer_m=25),
        campus.pk: PreparedFence(geo.SITE_CAMPUS, near_buffer_m=40),
    }
    for key, site_id, lon, lat, accuracy in items:
        engine = engines[site_id].classify(lon, lat, accuracy)
        assert from_sql[key].fence == engine.fence, key
        assert from_sql[key].distance_m == pytest.approx(engine.distance_m, abs=1.0), key


def test_postgis_and_engine_agree_300km_away_within_the_documented_error():
    square = make_site("square", geo.SITE_SQUARE)
    verdict = classify_points_sql(items=[("far", square.pk, *geo.FAR_300KM, 10.0)])["far"]
    engine = PreparedFence(geo.SITE_SQUARE).classify(*geo.FAR_300KM, 10.0)
    assert verdict.fence == engine.fence == "outside"
    assert engine.distance_m == pytest.approx(verdict.distance_m, rel=3e-4)


def test_items_of_unknown_sites_are_left_out():
    square = make_site("square", geo.SITE_SQUARE)
    verdicts = classify_points_sql(
        items=[(1, square.pk, *geo.INSIDE_CENTER, 5.0), (2, square.pk + 999, *geo.INSIDE_CENTER, 5.0)]
    )
    assert set(verdicts) == {1}
    assert classify_points_sql(items=[]) == {}


def test_non_finite_positions_are_refused():
    with pytest.raises(ValueError, match="non-finite"):
        classify_points_sql(items=[(1, 1, float("nan"), 37.8, 5.0)])


def test_distance_to_site_is_metres_and_zero_inside(django_assert_num_queries):
    square = make_site("square", geo.SITE_SQUARE)
    with django_assert_num_queries(1):
        distance = distance_to_site_m(square.pk, *geo.OUTSIDE_50M)
    assert distance == pytest.approx(50.0, abs=0.05)
    assert distance_to_site_m(square.pk, *geo.INSIDE_CENTER) == 0.0
    assert distance_to_site_m(square.pk + 999, *geo.INSIDE_CENTER) is None


def test_load_prepared_fences_reads_fence_and_near_buffer():
    square, campus = make_site("square", geo.SITE_SQUARE, near_buffer_m=10), make_site("campus", geo.SITE_CAMPUS)
    fences = load_prepared_fences([square.pk, campus.pk, campus.pk + 999])
    assert set(fences) == {square.pk, campus.pk}
    assert fences[square.pk].near_buffer_m == 10
    assert fences[campus.pk].classify(*geo.CAMPUS_IN_COURTYARD, 0.0).fence == "outside"
