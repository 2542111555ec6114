"""Inside / near / outside verdicts and distances in metres (pure geometry, no database)."""

from __future__ import annotations

import math

import numpy as np
import pytest
import shapely

from geofence.classify import FENCE_STATES, INSIDE, NEAR, OUTSIDE, FenceSet, PreparedFence, Verdict, decide, verdicts
from tests.geofence import geometry as geo


@pytest.fixture(scope="module")
def square() -> PreparedFence:
    return PreparedFence(geo.SITE_SQUARE, near_buffer_m=25)


@pytest.fixture(scope="module")
def campus() -> PreparedFence:
    return PreparedFence(geo.SITE_CAMPUS, near_buffer_m=25)


def test_centre_is_inside_at_distance_zero(square):
    # given a fix at the centre of the square lot
    # when it is judged
    verdict = square.classify(*geo.INSIDE_CENTER, 10.0)
    # then it is inside
    assert verdict == Verdict("inside", 0.0)


def test_a_point_exactly_on_the_boundary_is_covered(square):
    assert square.classify(*geo.EXACTLY_ON_EDGE, 0.0) == Verdict("inside", 0.0)


@pytest.mark.parametrize(
    ("point", "accuracy_m", "fence", "distance_m"),
    [
        # on the edge with 30 m accuracy: near, never outside
        (geo.ON_EDGE, 30.0, "near", pytest.approx(0.5, abs=0.01)),
        (geo.OUTSIDE_50M, 10.0, "outside", pytest.approx(50.0, abs=1.0)),
        (geo.FAR_3KM, 20.0, "outside", pytest.approx(3000.0, abs=1.0)),
        # 300 km away: within the documented error
        (geo.FAR_300KM, 20.0, "outside", pytest.approx(300_000.0, rel=3e-4)),
    ],
    ids=["on-the-edge-30m-accuracy", "50m-outside", "3km-away", "300km-away"],
)
def test_a_fix_gets_its_fence_state_and_distance_in_metres(square, point, accuracy_m, fence, distance_m):
    verdict = square.classify(*point, accuracy_m)
    assert verdict.fence == fence
    assert verdict.distance_m == distance_m


def test_accuracy_circle_reaching_the_near_band_makes_a_fix_near(square):
    # 50 m out with 30 m accuracy: 50 - 30 = 20 <= 25 m near band
    assert square.classify(*geo.OUTSIDE_50M, 30.0).fence == "near"
    # 50 m out with 24.9 m accuracy: 25.1 m > 25 m, the circle misses the band
    assert square.classify(*geo.OUTSIDE_50M, 24.9).fence == "outside"


def test_distance_to_a_corner_is_euclidean_in_metres(square):
    assert square.classify(*geo.OUTSIDE_CORNER, 0.0).distance_m == pytest.approx(50.0, abs=0.05)


@pytest.mark.parametrize(
    ("point", "expected_m"),
    [(geo.NEAR_20M, 20.0), (geo.OUTSIDE_80M_NORTH, 80.0), (geo.OUTSIDE_300M, 300.0), (geo.FAR_3KM, 3000.0)],
)
def test_distances_are_metres_not_degrees(square, point, expected_m):
    assert square.classify(*point, 0.0).distance_m == pytest.approx(expected_m, abs=0.05)


def test_courtyard_hole_is_outside_measured_to_the_hole_edge(campus):
    verdict = campus.classify(*geo.CAMPUS_IN_COURTYARD, 0.0)
    assert verdict.fence == "outside"
    assert verdict.distance_m == pytest.approx(geo.COURTYARD_INRADIUS_M, abs=0.05)


def test_detached_part_of_a_multipolygon_counts(campus):
    assert campus.classify(*geo.CAMPUS_IN_LOT, 0.0).fence == "inside"
    before_lot = campus.classify(*geo.CAMPUS_BEFORE_LOT, 0.0)
    assert before_lot == Verdict("near", pytest.approx(20.0, abs=0.05))


def test_campus_has_the_vertices_of_a_real_fence(campus):
    assert campus.vertex_count > 120


def test_classify_many_matches_classify_one_by_one(square):
    # given every named point of the square, with mixed accuracies
    points = [
        geo.INSIDE_CENTER,
        geo.ON_EDGE,
        geo.NEAR_20M,
        geo.OUTSIDE_50M,
        geo.OUTSIDE_CORNER,
        geo.OUTSIDE_300M,
        geo.FAR_3KM,
    ]
    accuracies = [5.0, 30.0, 3.0, 10.0, 40.0, 0.0, 20.0]
    lons, lats = zip(*points, strict=True)
    # when judged in one vectorised call
    codes, distances = square.classify_many(np.array(lons), np.array(lats), np.array(accuracies))
    # then each verdict is the scalar one
    one_by_one = [square.classify(lon, lat, acc) for (lon, lat), acc in zip(points, accuracies, strict=True)]
    assert verdicts(codes, distances) == one_by_one
    assert codes.tolist() == [INSIDE, NEAR, NEAR, OUTSIDE, NEAR, OUTSIDE, OUTSIDE]


def test_distances_equal_geos_from_the_courtyard_to_10km(campus):
    # given rings of fixes from the courtyard out to 10 km: the grid near the fence,
    # the convex hull beyond it, GEOS where the hull cannot tell
    radii = [0.0, 50.0, 150.0, 250.0, 300.0, 330.0, 360.0, 420.0, 600.0, 900.0, 2000.0, 5000.0, 10_000.0]
    angles = np.linspace(0.0, 2 * np.pi, 90, endpoint=False)
    lonlat = [geo.offset(geo.CAMPUS_CENTRE, r * math.cos(a), r * math.sin(a)) for r in radii for a in angles]
    lons, lats = (np.array(v) for v in zip(*lonlat, strict=True))
    # when measured by the engine
    inside, distances = campus.distances_m(lons, lats)
    # then the distances are GEOS's to the same metric boundary, to a millimetre
    x, y = campus.frame.project(lons, lats)
    reference = shapely.distance(shapely.boundary(campus.area_m), shapely.points(x, y))
    assert np.all(distances[inside] == 0.0)
    np.testing.assert_allclose(distances[~inside], reference[~inside], atol=1e-3)
    assert inside.sum() > 100
    assert (~inside).sum() > 700


def test_fence_set_judges_fixes_of_many_sites_in_one_call(square, campus):
    # given fixes of two sites interleaved
    fences = FenceSet([square, campus])
    points = [geo.OUTSIDE_50M, geo.CAMPUS_IN_COURTYARD, geo.INSIDE_CENTER, geo.CAMPUS_IN_LOT, geo.FAR_3KM]
    index = np.array([0, 1, 0, 1, 0])
    lons, lats = (np.array(v) for v in zip(*points, strict=True))
    accuracies = np.full(5, 10.0)
    # when judged together
    codes, distances = fences.classify(index, lons, lats, accuracies)
    # then each matches its own fence's verdict
    expected = [(square, campus)[i].classify(lon, lat, 10.0) for i, lon, lat in zip(index, lons, lats, strict=True)]
    assert verdicts(codes, distances) == expected


def test_fence_set_needs_an_index_for_many_fences(square, campus):
    with pytest.raises(ValueError, match="fence_index"):
        FenceSet([square, campus]).classify(None, [0.0], [0.0], [0.0])
    with pytest.raises(IndexError):
        FenceSet([square, campus]).classify([2], [0.0], [0.0], [0.0])


def test_non_finite_position_is_outside_with_nan_distance(square):
    codes, distances = square.classify_many(np.array([math.nan]), np.array([37.8]), np.array([5.0]))
    assert codes.tolist() == [OUTSIDE]
    assert math.isnan(distances[0])


def test_unknown_accuracy_gives_no_benefit_of_the_doubt(square):
    assert square.classify(*geo.OUTSIDE_50M, math.nan).fence == "outside"
    assert square.classify(*geo.OUTSIDE_50M, -1.0).fence == "outside"


def test_mismatched_arrays_are_refused(square):
    with pytest.raises(ValueError, match="accuracies"):
        square.classify_many(np.array([0.0, 1.0]), np.array([0.0, 1.0]), np.array([1.0]))


def test_only_polygonal_fences_are_accepted():
    with pytest.raises(TypeError):
        PreparedFence(shapely.Point(0, 0))
    with pytest.raises(ValueError, match="empty"):
        PreparedFence(shapely.MultiPolygon())


def test_from_wkb_round_trips(square):
    fence = PreparedFence.from_wkb(shapely.to_wkb(geo.SITE_SQUARE), near_buffer_m=40)
    assert fence.near_buffer_m == 40
    assert fence.classify(*geo.OUTSIDE_50M, 11.0) == Verdict("near", pytest.approx(50.0, abs=0.01))


def test_decide_is_the_same_rule_for_both_paths():
    assert decide(inside=True, distance_m=0.0, accuracy_m=5.0, near_buffer_m=25) == Verdict("inside", 0.0)
    assert decide(inside=False, distance_m=40.0, accuracy_m=15.0, near_buffer_m=25).fence == "near"
    assert decide(inside=False, distance_m=40.1, accuracy_m=15.0, near_buffer_m=25).fence == "outside"
    assert FENCE_STATES == ("inside", "near", "outside", "unknown")


def test_fence_set_on_interleaved_pings_matches_each_fence(square, campus):
    # given 20,000 pings (more than one block) alternating between two sites, on spirals
    # from 150 to 950 m out: inside, within the grid's reach, and beyond it
    k = np.arange(20_000)
    index = k % 2
    radius = 150.0 + 2.0 * (k % 400)
    east, north = radius * np.cos(0.1 * k), radius * np.sin(0.1 * k)
    lons, lats = np.empty(len(k)), np.empty(len(k))
    for i, centre in enumerate((geo.SQUARE_CENTRE, geo.CAMPUS_CENTRE)):
        mine = index == i
        lons[mine], lats[mine] = geo.offset_many(centre, east[mine], north[mine])
    accuracies = np.full(len(k), 12.0)
    # when judged as one batch in arrival order
    codes, distances = FenceSet([square, campus]).classify(index, lons, lats, accuracies)
    # then each site's pings get what their own fence says
    for i, fence in enumerate((square, campus)):
        mine = index == i
        own_codes, own_distances = fence.classify_many(lons[mine], lats[mine], accuracies[mine])
        np.testing.assert_array_equal(codes[mine], own_codes)
        np.testing.assert_allclose(distances[mine], own_distances, atol=1e-6)
    assert set(np.unique(codes).tolist()) == {INSIDE, NEAR, OUTSIDE}


def test_fixes_facing_a_courtyard_opening_are_measured_to_the_nearest_wing():
    # given a U-shaped building (300 m square, a 100 m notch open to the north)
    u_shape = [(0, 0), (300, 0), (300, 300), (200, 300), (200, 100), (100, 100), (100, 300), (0, 300)]
    fence = PreparedFence(shapely.Polygon([geo.offset(geo.SQUARE_CENTRE, e, n) for e, n in u_shape]))
    # when 41 fixes 1 km north of the opening are measured together (beyond the grid, and
    # their nearest hull points lie on the hull edge bridging the notch)
    east = np.linspace(100.0, 200.0, 41)
    lons, lats = (np.array(v) for v in zip(*(geo.offset(geo.SQUARE_CENTRE, e, 1300.0) for e in east), strict=True))
    _, distances = fence.distances_m(lons, lats)
    # then each distance is to the nearer wing's corner, not to the hull
    expected = np.hypot(np.minimum(east - 100.0, 200.0 - east), 1000.0)
    np.testing.assert_allclose(distances, expected, atol=0.05)


@pytest.mark.parametrize("fence_name", ["SITE_SQUARE", "SITE_CAMPUS"])
def test_containment_shortcut_agrees_with_geos_everywhere(fence_name):
    # given a dense lattice over the fence's box and beyond, plus every vertex (on the boundary)
    fence = getattr(geo, fence_name)
    x0, y0, x1, y1 = fence.bounds
    lons, lats = np.meshgrid(np.linspace(x0 - 1e-3, x1 + 1e-3, 150), np.linspace(y0 - 1e-3, y1 + 1e-3, 150))
    vertices = shapely.get_coordinates(fence)
    lons = np.concatenate((lons.ravel(), vertices[:, 0]))
    lats = np.concatenate((lats.ravel(), vertices[:, 1]))
    # when judged by the engine (raster cells, GEOS only where the boundary may cross)
    inside, _ = PreparedFence(fence).distances_m(lons, lats)
    # then containment is exactly GEOS's "covers"
    np.testing.assert_array_equal(inside, shapely.intersects_xy(fence, lons, lats))
    assert inside[-len(vertices) :].all()


def test_a_fix_coarser_than_the_limit_is_unknown_whatever_its_centre_says():
    # a 99 km circle reaches every fence on the continent: with a limit it decides nothing
    assert decide(inside=False, distance_m=49_700.0, accuracy_m=99_000.0, near_buffer_m=25).fence == "near"
    coarse = decide(inside=False, distance_m=49_700.0, accuracy_m=99_000.0, near_buffer_m=25, max_accuracy_m=100)
    assert coarse == Verdict("unknown", 49_700.0)
    assert decide(inside=True, distance_m=0.0, accuracy_m=150.0, near_buffer_m=25, max_accuracy_m=100).fence == (
        "unknown"
    )
    assert decide(inside=True, distance_m=0.0, accuracy_m=100.0, near_buffer_m=25, max_accuracy_m=100).fence == (
        "inside"
    )


def test_classify_many_marks_fixes_beyond_the_limit_unknown_and_keeps_their_distances(square):
    lons, lats = zip(geo.INSIDE_CENTER, geo.OUTSIDE_50M, geo.FAR_3KM, strict=True)

    codes, distances = square.classify_many(lons, lats, [8.0, 200.0, 5.0], max_accuracy_m=100.0)

    assert [FENCE_STATES[c] for c in codes.tolist()] == ["inside", "unknown", "outside"]
    assert distances[1] == pytest.approx(50, abs=0.01)
    assert square.classify(*geo.OUTSIDE_50M, 200.0).fence == "near"  # no limit: as before
