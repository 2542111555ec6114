"""Geofence queries on a demo site: inside, on the edge, 50 m outside — in metres."""

import pytest
from django.contrib.gis.db.models.functions import Distance
from django.contrib.gis.measure import D
from django.core.management import call_command

from backend.demo import data as demo
from backend.demo import geometry as g
from backend.sites.models import Site

pytestmark = pytest.mark.django_db

RIVERSIDE = demo.ATLANTA.clients[0].sites[0]
# The L's east wing runs due north from (140, -120) to (140, -20): a meridian segment,
# so its planar midpoint lies exactly on the geodesic edge.
INSIDE = g.point(RIVERSIDE.lon, RIVERSIDE.lat, 0, -60)
ON_EDGE = g.point(RIVERSIDE.lon, RIVERSIDE.lat, 140, -70)
CORNER = g.point(RIVERSIDE.lon, RIVERSIDE.lat, -160, -120)
OUTSIDE_50M = g.point(RIVERSIDE.lon, RIVERSIDE.lat, 190, -70)


@pytest.fixture
def riverside() -> Site:
    call_command("seed_demo", verbosity=0)
    return Site.objects.get(name=RIVERSIDE.name)


@pytest.mark.parametrize(
    ("position", "covered"),
    [(INSIDE, True), (ON_EDGE, True), (CORNER, True), (OUTSIDE_50M, False)],
    ids=["inside", "on-edge", "corner", "outside-50m"],
)
def test_fence_covers_inside_and_edge_but_not_outside(riverside, position, covered):
    assert Site.objects.filter(pk=riverside.pk, geofence__covers=position).exists() is covered


def test_point_50m_outside_is_50_metres_away_not_degrees(riverside):
    site = Site.objects.annotate(distance=Distance("geofence", OUTSIDE_50M)).get(pk=riverside.pk)
    assert site.distance.m == pytest.approx(50, abs=0.5)
    assert Site.objects.filter(pk=riverside.pk, geofence__dwithin=(OUTSIDE_50M, D(m=51))).exists()
    assert not Site.objects.filter(pk=riverside.pk, geofence__dwithin=(OUTSIDE_50M, D(m=49))).exists()
