"""Every list the phone reads costs the same number of queries for 2 rows as for 40.

Each test measures an endpoint with two rows (with what the list serialises: flags,
comments, photos, sites, posts), adds 38 more of the same, and asserts the count did
not move: a lookup per row (an N+1) fails here whatever the fixed count happens to be.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from backend.flags.models import Flag, FlagStatus
from backend.incidents.models import IncidentPhoto, IncidentReport, IncidentStatus, IncidentType, ReviewComment
from backend.rules.findings import FlagCode, Severity
from backend.sites.models import RestrictedZone
from backend.staffing.models import Shift
from tests import factories, geo
from tests.conftest import ApiClient

pytestmark = pytest.mark.django_db

FEW, MANY = 2, 40


def _queries(api: ApiClient, path: str, **params: Any) -> tuple[int, Any]:
    with CaptureQueriesContext(connection) as captured:
        response = api.get_json(path, **params)
    assert response.status_code == 200, response.content
    return len(captured.captured_queries), response.json()


def _assert_flat(
    api: ApiClient,
    path: str,
    add: Callable[[int], None],
    rows: Callable[[Any], int],
    assert_num_queries: Any,
    **params: Any,
) -> None:
    """Measure `path` with FEW rows, `add` the rest up to MANY, and require the same count."""
    add(FEW)
    api.get_json(path, **params)  # the token's once-a-minute bookkeeping happens here, not below
    few, body = _queries(api, path, **params)
    assert rows(body) == FEW

    add(MANY - FEW)
    with assert_num_queries(few):
        response = api.get_json(path, **params)

    assert rows(response.json()) == MANY


def _photo(report: IncidentReport, n: int) -> IncidentPhoto:
    """The `n`th photo of `report`, as stored rows only (no files: the endpoints list, not serve)."""
    return IncidentPhoto(
        id=uuid.uuid4(),
        report=report,
        original=f"photos/{n}.jpg",
        display=f"photos/{n}-display.jpg",
        sha256=f"{n:064x}",
        content_type="image/jpeg",
        size_bytes=1000,
        width=800,
        height=600,
    )


def _report(shift: Shift, *, reviewer: Any, minutes_ago: int) -> IncidentReport:
    """A returned report with two open flags, two reviewers' comments and two photos."""
    now = timezone.now()
    report = IncidentReport.objects.create(
        id=uuid.uuid4(),
        shift=shift,
        guard=shift.guard,
        type=IncidentType.objects.get(company=shift.post.site.client.company, code="trespass"),
        status=IncidentStatus.RETURNED,
        occurred_at=now - timedelta(minutes=minutes_ago),
        location=geo.INSIDE_CENTER,
        accuracy_m=8.0,
        fence="inside",
        distance_m=0.0,
        narrative="At 02:10 I found a man sleeping in the north stairwell. I asked him to leave; he left.",
        recorded_at=now,
        received_at=now,
    )
    company = shift.post.site.client.company
    Flag.objects.bulk_create(
        Flag(
            company=company,
            incident=report,
            shift=shift,
            code=code,
            severity=Severity.WARNING,
            status=FlagStatus.OPEN,
            message=f"{code} on the report",
            evidence={"n": n},
            raised_at=now,
        )
        for n, code in enumerate((FlagCode.OUTSIDE_SHIFT, FlagCode.INCOMPLETE_REPORT))
    )
    ReviewComment.objects.bulk_create(
        ReviewComment(report=report, author=reviewer, body=f"Which gate? ({n})") for n in range(2)
    )
    IncidentPhoto.objects.bulk_create(_photo(report, n) for n in range(2))
    return report


def test_the_incident_list_is_flat_in_the_number_of_reports(tenant, guard_api, django_assert_num_queries):
    # given reports spread over the guard's shifts at different sites, each with flags, comments and photos
    made: list[IncidentReport] = []

    def add(count: int) -> None:
        for _ in range(count):
            site = factories.SiteFactory(client=tenant.client)
            shift = factories.ShiftFactory(guard=tenant.guard, post=factories.PostFactory(site=site))
            made.append(_report(shift, reviewer=tenant.manager, minutes_ago=len(made)))

    _assert_flat(guard_api, "/incidents", add, lambda page: len(page["items"]), django_assert_num_queries, limit=100)

    # and the rows carry what they serialise
    page = guard_api.get_json("/incidents", limit=100).json()
    assert page["count"] == MANY
    assert all(len(item["flags"]) == 2 and item["type"] == "trespass" for item in page["items"])


def test_the_shift_list_is_flat_in_the_number_of_shifts(tenant, guard_api, django_assert_num_queries):
    # given one-hour shifts ahead, each at its own post on its own site
    starts = timezone.now().replace(microsecond=0) + timedelta(hours=1)
    made: list[Shift] = []

    def add(count: int) -> None:
        for _ in range(count):
            site = factories.SiteFactory(client=tenant.client)
            begin = starts + timedelta(hours=len(made))
            made.append(
                factories.ShiftFactory(
                    guard=tenant.guard,
                    post=factories.PostFactory(site=site),
                    scheduled_start=begin,
                    scheduled_end=begin + timedelta(hours=1),
                )
            )

    _assert_flat(guard_api, "/shifts", add, len, django_assert_num_queries)

    listed = guard_api.get_json("/shifts").json()
    assert {item["site"]["name"] for item in listed} == {shift.post.site.name for shift in made}


def test_the_incident_type_catalogue_is_flat_in_the_number_of_types(tenant, guard_api, django_assert_num_queries):
    # given the company's catalogue (seeded with the defaults) and more types added later
    seeded = IncidentType.objects.filter(company=tenant.company, is_active=True).count()
    added: list[IncidentType] = []

    def add(count: int) -> None:
        for _ in range(count):
            added.append(
                IncidentType.objects.create(
                    company=tenant.company,
                    code=f"custom_{len(added)}",
                    name=f"Custom {len(added)}",
                    required_fields=["persons"],
                )
            )

    _assert_flat(guard_api, "/incident-types", add, lambda types: len(types) - seeded, django_assert_num_queries)


def test_a_reports_detail_is_flat_in_its_flags_comments_and_photos(tenant, guard_api, django_assert_num_queries):
    # given one report whose flags, comments and photos grow
    shift = factories.ShiftFactory(guard=tenant.guard, post=tenant.post)
    report = _report(shift, reviewer=tenant.manager, minutes_ago=0)
    Flag.objects.filter(incident=report).delete()
    ReviewComment.objects.filter(report=report).delete()
    IncidentPhoto.objects.filter(report=report).delete()
    added = {"n": 0}

    def add(count: int) -> None:
        for _ in range(count):
            n = added["n"] = added["n"] + 1
            reviewer = factories.ManagerFactory(company=tenant.company)
            factories.open_flag(
                incident=report, shift=shift, code=FlagCode.OUTSIDE_SHIFT, key=str(n), message="Dated outside the shift"
            )
            ReviewComment.objects.create(report=report, author=reviewer, body=f"Correction {n}")
            _photo(report, n).save(force_insert=True)

    def rows(body: Any) -> int:
        assert len(body["flags"]) == len(body["comments"]) == len(body["photos"])
        return len(body["photos"])

    _assert_flat(guard_api, f"/incidents/{report.pk}", add, rows, django_assert_num_queries)


def test_a_shifts_detail_is_flat_in_its_sites_units_checkpoints_and_zones(tenant, guard_api, django_assert_num_queries):
    # given the shift's site with more and more units, checkpoints and restricted zones
    shift = factories.ShiftFactory(guard=tenant.guard, post=tenant.post)
    factories.PostOrderFactory(post=tenant.post)
    added = {"n": 0}

    def add(count: int) -> None:
        for _ in range(count):
            added["n"] += 1
            factories.UnitFactory(site=tenant.site)
            factories.CheckpointFactory(site=tenant.site)
            RestrictedZone.objects.create(site=tenant.site, name=f"Zone {added['n']}", area=geo.RESTRICTED_NE)

    def rows(body: Any) -> int:
        assert len(body["units"]) == len(body["checkpoints"]) == len(body["restricted_zones"])
        return len(body["units"])

    _assert_flat(guard_api, f"/shifts/{shift.pk}", add, rows, django_assert_num_queries)
