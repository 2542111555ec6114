"""The review queue and the report page, as a manager uses them."""

from __future__ import annotations

import re
import uuid
from datetime import timedelta

import pytest
from django.utils import timezone

from backend.flags.models import Flag, FlagStatus
from backend.incidents.models import IncidentReport, IncidentReviewAction, IncidentRevision, IncidentStatus
from backend.incidents.services import IncidentContent, incident_amend, incident_approve, incident_return_for_correction
from backend.rules.findings import FlagCode, Severity
from backend.tracking.models import Ping
from console.views import reviews
from tests import factories, geo
from tests.conftest import api_client_for
from tests.console.conftest import htmx_fragment, signed_in

pytestmark = pytest.mark.django_db


def report_on(tenant, *, minutes_ago: int = 0, site=None, **fields) -> IncidentReport:
    post = tenant.post if site is None else factories.PostFactory(site=site)
    shift = factories.ShiftFactory(post=post, guard=tenant.guard)
    moment = timezone.now() - timedelta(minutes=minutes_ago)
    defaults = {"occurred_at": moment, "recorded_at": moment, "received_at": moment}
    return factories.incident_report(shift=shift, **{**defaults, **fields})


def flag_on(report: IncidentReport, *, code=FlagCode.LOW_ACCURACY, severity=Severity.WARNING, **fields) -> Flag:
    return factories.open_flag(incident=report, code=code, severity=severity, **fields)


def queue_ids(response) -> list[str]:
    return re.findall(r'href="/console/reports/([0-9a-f-]{36})"', response.content.decode())


# --- The queue ------------------------------------------------------------------------------


def test_the_queue_lists_every_report_newest_first(tenant):
    older = report_on(tenant, minutes_ago=30)
    newer = report_on(tenant, minutes_ago=5)
    approved = report_on(tenant, minutes_ago=10)
    incident_approve(report=approved, by=tenant.manager)

    response = signed_in(tenant.manager).get("/console/reports")

    assert response.status_code == 200
    assert queue_ids(response) == [str(newer.pk), str(approved.pk), str(older.pk)]


def test_filters_narrow_the_queue_and_live_in_the_url(tenant):
    other_site = factories.SiteFactory(client=tenant.client, geofence=geo.SITE_SQUARE, name="Harbour lot")
    flagged = report_on(tenant, minutes_ago=5, narrative="Smoke in the dumpster behind building C.")
    flag_on(flagged, code=FlagCode.OUTSIDE_GEOFENCE, severity=Severity.CRITICAL)
    plain = report_on(tenant, minutes_ago=6, narrative="Loud party in unit 101.")
    elsewhere = report_on(tenant, minutes_ago=7, site=other_site, narrative="Gate left open.")
    dismissed = report_on(tenant, minutes_ago=8)
    flag_on(
        dismissed,
        code=FlagCode.OUTSIDE_GEOFENCE,
        status=FlagStatus.DISMISSED,
        dismissed_at=timezone.now(),
        dismissed_by=tenant.manager,
        dismissal_reason="gps_drift",
    )
    client = signed_in(tenant.manager)

    assert queue_ids(client.get("/console/reports?flags=open")) == [str(flagged.pk)]
    assert queue_ids(client.get("/console/reports?flag_code=OUTSIDE_GEOFENCE")) == [str(flagged.pk)]
    assert queue_ids(client.get("/console/reports?severity=critical")) == [str(flagged.pk)]
    assert str(flagged.pk) not in queue_ids(client.get("/console/reports?flags=none"))
    assert queue_ids(client.get(f"/console/reports?site={other_site.pk}")) == [str(elsewhere.pk)]
    assert queue_ids(client.get("/console/reports?q=dumpster")) == [str(flagged.pk)]
    assert queue_ids(client.get(f"/console/reports?guard={tenant.guard.pk}&q=party")) == [str(plain.pk)]
    assert queue_ids(client.get("/console/reports?status=approved")) == []


def test_a_date_range_is_read_on_the_company_clock(tenant):
    today = report_on(tenant, minutes_ago=1)
    old = report_on(tenant, minutes_ago=60 * 24 * 3, occurred_at=timezone.now() - timedelta(days=3))
    day = timezone.localdate(timezone.now() - timedelta(days=3), timezone=timezone.get_fixed_timezone(0))
    client = signed_in(tenant.manager)

    response = client.get(f"/console/reports?occurred_from={day}&occurred_to={day}")

    assert queue_ids(response) == [str(old.pk)]
    assert str(today.pk) not in queue_ids(response)


def test_htmx_gets_only_the_table(tenant):
    report_on(tenant)

    page = htmx_fragment(signed_in(tenant.manager), "/console/reports?flags=none")

    assert 'id="queue-table"' in page


def test_the_tabs_count_needs_review_returned_and_approved_today(tenant, other_tenant):
    for _ in range(3):
        report_on(tenant)
    returned = report_on(tenant)
    incident_return_for_correction(report=returned, reviewer=tenant.manager, comment="Name the unit.")
    for _ in range(2):
        incident_approve(report=report_on(tenant), by=tenant.manager)
    report_on(other_tenant)

    page = signed_in(tenant.manager).get("/console/reports").content.decode()

    assert 'data-testid="tab-needs-review">3<' in page
    assert 'data-testid="tab-returned">1<' in page
    assert 'data-testid="tab-approved-today">2<' in page


def _follow_pages(client, url: str) -> tuple[list[str], list[str]]:
    """Every report id from `url` on, following each page's "Older" link; and the URLs read."""
    seen: list[str] = []
    urls: list[str] = []
    while url:
        urls.append(url)
        response = client.get(url)
        seen += queue_ids(response)
        found = re.search(
            r'href="(/console/reports\?[^"]*after=[^"]+)"[^>]*data-testid="next-page"', response.content.decode()
        )
        url = found.group(1).replace("&amp;", "&") if found else ""
    return seen, urls


def test_pages_follow_by_keyset_without_repeating_or_skipping(tenant, monkeypatch):
    monkeypatch.setattr(reviews, "PAGE_SIZE", 2)
    made = [report_on(tenant, minutes_ago=minutes) for minutes in range(5)]
    client = signed_in(tenant.manager)

    seen, urls = _follow_pages(client, "/console/reports")

    assert seen == [str(report.pk) for report in made]
    assert len(urls) == 3
    assert not any("offset" in url or "page=" in url for url in urls)


def test_a_cursor_that_is_not_ours_starts_over(tenant):
    report = report_on(tenant)

    response = signed_in(tenant.manager).get("/console/reports?after=yesterday_nonsense")

    assert response.status_code == 200
    assert queue_ids(response) == [str(report.pk)]


@pytest.mark.parametrize("rows", [3, 30])
def test_the_queue_costs_the_same_queries_for_3_or_30_reports(rows, tenant, django_assert_max_num_queries):
    for index in range(rows):
        flag_on(report_on(tenant, minutes_ago=index))
    client = signed_in(tenant.manager)
    client.get("/console/reports")  # the session and the nav warm up

    with django_assert_max_num_queries(12):
        response = client.get("/console/reports?flags=open")

    assert len(queue_ids(response)) == rows


QUEUE_QUERIES = 8
"""Session, user, company; the page's rows with their open flags; the tab counts; the filter
form's sites (with their clients), guards and types."""


def test_every_page_of_the_queue_costs_the_same_queries(tenant, monkeypatch, django_assert_num_queries):
    # Given a queue longer than a page, with flags
    monkeypatch.setattr(reviews, "PAGE_SIZE", 2)
    for minutes in range(5):
        flag_on(report_on(tenant, minutes_ago=minutes), code=FlagCode.OUTSIDE_GEOFENCE)
    client = signed_in(tenant.manager)
    first = client.get("/console/reports").content.decode()
    later = re.search(r'href="(/console/reports\?[^"]*after=[^"]+)"', first).group(1).replace("&amp;", "&")
    guard_type = IncidentReport.objects.filter(guard=tenant.guard).values_list("type_id", flat=True).first()
    filtered = (
        f"/console/reports?site={tenant.site.pk}&client={tenant.site.client_id}&guard={tenant.guard.pk}"
        f"&type={guard_type}&flag_code=OUTSIDE_GEOFENCE"
    )

    # When the manager opens page 1, a later page by its cursor, and a filtered page
    for url in ("/console/reports", later, filtered):
        with django_assert_num_queries(QUEUE_QUERIES):
            response = client.get(url)
        # Then each costs the same, and shows reports
        assert queue_ids(response), url
    # and so does a filter that matches nothing
    with django_assert_num_queries(QUEUE_QUERIES):
        response = client.get(f"/console/reports?site={tenant.site.pk}&flag_code=MOCK_LOCATION")
    assert queue_ids(response) == []


def test_one_site_and_one_flag_code_pages_newest_first_once_per_report(tenant, monkeypatch):
    # Given reports on two sites, some with open flags of the code (one with two), one closed
    monkeypatch.setattr(reviews, "PAGE_SIZE", 2)
    other_site = factories.SiteFactory(client=tenant.client, geofence=geo.SITE_SQUARE, name="Harbour lot")
    wanted = []
    for minutes in range(5):
        report = report_on(tenant, minutes_ago=minutes)
        flag_on(report, code=FlagCode.OUTSIDE_GEOFENCE)
        wanted.append(report)
    flag_on(wanted[1], code=FlagCode.OUTSIDE_GEOFENCE, key="second-finding")
    flag_on(report_on(tenant, minutes_ago=6), code=FlagCode.LOW_ACCURACY)
    flag_on(report_on(tenant, minutes_ago=7, site=other_site), code=FlagCode.OUTSIDE_GEOFENCE)
    flag_on(
        report_on(tenant, minutes_ago=8),
        code=FlagCode.OUTSIDE_GEOFENCE,
        status=FlagStatus.RESOLVED,
        resolved_at=timezone.now(),
    )
    approved = wanted[3]
    incident_approve(report=approved, by=tenant.manager, note="Known drift at the gate.")
    client = signed_in(tenant.manager)
    base = f"/console/reports?site={tenant.site.pk}&flag_code=OUTSIDE_GEOFENCE"

    # Then every page follows by keyset, newest first, each report once
    assert _follow_pages(client, base)[0] == [str(report.pk) for report in wanted]
    # and the other filters still apply
    assert _follow_pages(client, base + "&status=approved")[0] == [str(approved.pk)]
    assert _follow_pages(client, base + "&severity=critical")[0] == []


def test_a_supervisor_filtering_by_site_and_flag_code_sees_only_their_sites_reports(world):
    mine = report_on(world.tenant)
    flag_on(mine, code=FlagCode.OUTSIDE_GEOFENCE)
    elsewhere = report_on(world.tenant, site=world.second_site)
    flag_on(elsewhere, code=FlagCode.OUTSIDE_GEOFENCE)
    client = signed_in(world.supervisor)

    own = client.get(f"/console/reports?site={world.site.pk}&flag_code=OUTSIDE_GEOFENCE")
    other = client.get(f"/console/reports?site={world.second_site.pk}&flag_code=OUTSIDE_GEOFENCE")

    assert queue_ids(own) == [str(mine.pk)]
    assert str(elsewhere.pk) not in queue_ids(other)


# --- The report page --------------------------------------------------------------------------


def test_the_report_page_shows_fields_flags_evidence_and_the_map(tenant):
    unit = factories.UnitFactory(site=tenant.site, label="Building C, Unit 204", location=geo.INSIDE_CENTER)
    factories.RestrictedZoneFactory(site=tenant.site, name="Server room", area=geo.RESTRICTED_NE)
    report = report_on(
        tenant,
        location=geo.OUTSIDE_50M,
        accuracy_m=35,
        unit=unit,
        location_detail="Behind the dumpster",
        persons=[{"name": "Dale Moss", "role": "witness", "description": "", "phone": ""}],
    )
    flag_on(
        report,
        code=FlagCode.OUTSIDE_GEOFENCE,
        severity=Severity.CRITICAL,
        message="Filed 50 m outside the site's fence.",
        evidence={"distance_m": 50.4, "accuracy_m": 35},
    )
    Ping.objects.create(
        id=uuid.uuid4(),
        shift=report.shift,
        location=geo.INSIDE_CENTER,
        recorded_at=report.occurred_at - timedelta(minutes=10),
        received_at=report.occurred_at,
    )

    page = signed_in(tenant.manager).get(f"/console/reports/{report.pk}").content.decode()

    assert "Behind the dumpster" in page
    assert "Building C, Unit 204" in page
    assert "Dale Moss" in page
    assert "Filed 50 m outside the site&#x27;s fence." in page
    assert "{&quot;distance_m&quot;" not in page
    assert '"distance_m": 50.4' not in page
    assert 'data-controller="map"' in page
    map_data = re.search(r'<script id="report-map-data" type="application/json">(.*?)</script>', page, re.S)
    assert map_data is not None
    kinds = re.findall(r'"kind": "(\w+)"', map_data.group(1))
    assert {"fence", "zone", "unit", "accuracy", "position", "breadcrumb"} <= set(kinds)
    assert "No emergency section." in page


def test_the_map_shows_the_nearest_unit_when_the_guard_chose_another(tenant):
    far = factories.UnitFactory(site=tenant.site, label="Gatehouse", location=geo.NEAR_SW_CORNER)
    factories.UnitFactory(site=tenant.site, label="Pool house", location=geo.NEAR_NE_CORNER)
    report = report_on(tenant, location=geo.NEAR_NE_CORNER, accuracy_m=5, unit=far)

    page = signed_in(tenant.manager).get(f"/console/reports/{report.pk}").content.decode()

    assert "Nearest unit: Pool house" in page
    assert "Chosen unit: Gatehouse" in page


def test_a_guard_written_narrative_is_escaped(tenant):
    report = report_on(tenant, narrative="<script>alert(1)</script> at the gate")

    page = signed_in(tenant.manager).get(f"/console/reports/{report.pk}").content.decode()

    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt; at the gate" in page


# --- Actions ----------------------------------------------------------------------------------


def test_approving_a_report_records_who_and_when(tenant):
    report = report_on(tenant)
    client = signed_in(tenant.manager)

    response = client.post(f"/console/reports/{report.pk}/approve", {"note": "Clear report."})

    assert response.status_code == 302
    report.refresh_from_db()
    assert report.status == IncidentStatus.APPROVED
    action = IncidentReviewAction.objects.get(report=report)
    assert (action.by, action.note) == (tenant.manager, "Clear report.")
    assert "Approved by" in client.get(f"/console/reports/{report.pk}").content.decode()


def test_approving_over_an_open_critical_flag_asks_for_a_confirmation_and_a_reason(tenant):
    report = report_on(tenant)
    flag_on(report, code=FlagCode.OUTSIDE_GEOFENCE, severity=Severity.CRITICAL)
    client = signed_in(tenant.manager)

    first = client.post(f"/console/reports/{report.pk}/approve", {"note": ""})
    without_reason = client.post(f"/console/reports/{report.pk}/approve", {"confirm_open_critical": "on", "note": ""})
    confirmed = client.post(
        f"/console/reports/{report.pk}/approve", {"confirm_open_critical": "on", "note": "Guard was at the gate."}
    )

    assert first.status_code == 409
    assert "open critical flag" in first.content.decode()
    assert 'name="confirm_open_critical"' in first.content.decode()
    assert without_reason.status_code == 422
    assert "Say why you approve" in without_reason.content.decode()
    assert confirmed.status_code == 302
    action = IncidentReviewAction.objects.get(report=report)
    assert action.note == "Guard was at the gate."
    assert action.open_critical_flags


def test_the_second_manager_is_told_who_approved_it_first(tenant):
    tenant.manager.first_name, tenant.manager.last_name = "Dana", "Reyes"
    tenant.manager.save()
    second = factories.ManagerFactory(company=tenant.company)
    report = report_on(tenant)
    signed_in(tenant.manager).post(f"/console/reports/{report.pk}/approve", {"note": ""})

    response = signed_in(second).post(f"/console/reports/{report.pk}/approve", {"note": ""})

    assert response.status_code == 409
    page = response.content.decode()
    assert re.search(r"already approved by Dana Reyes at \d\d:\d\d [A-Z]{2,5}", page), page[:2000]
    assert IncidentReviewAction.objects.filter(report=report).count() == 1


def test_returning_needs_a_comment_the_guard_then_sees_and_the_amendment_comes_back(tenant):
    report = report_on(tenant, narrative="Gate open.")
    client = signed_in(tenant.manager)

    empty = client.post(f"/console/reports/{report.pk}/return", {"comment": "  "})
    returned = client.post(f"/console/reports/{report.pk}/return", {"comment": "Which gate? Add the time."})

    assert empty.status_code == 422
    assert returned.status_code == 302
    detail = api_client_for(tenant.guard).get_json(f"/incidents/{report.pk}").json()
    assert detail["status"] == "returned"
    assert "Which gate? Add the time." in str(detail["comments"])

    incident_amend(
        guard=tenant.guard,
        report_id=report.pk,
        content=IncidentContent(
            type_code=report.type.code,
            occurred_at=report.occurred_at,
            narrative="Gate B was open at 01:40.",
            location_detail="Gate B",
        ),
    )
    assert str(report.pk) in queue_ids(client.get("/console/reports?status=submitted"))
    page = client.get(f"/console/reports/{report.pk}").content.decode()
    assert "amended by the guard" in page
    assert "− Gate open." in page
    assert "+ Gate B was open at 01:40." in page


def test_dismissing_a_flag_keeps_the_reason_and_shows_it(tenant):
    report = report_on(tenant)
    flag = flag_on(report)
    client = signed_in(tenant.manager)

    refused = client.post(f"/console/reports/{report.pk}/flags/{flag.pk}/dismiss", {f"flag{flag.pk}-reason": "other"})
    response = client.post(
        f"/console/reports/{report.pk}/flags/{flag.pk}/dismiss", {f"flag{flag.pk}-reason": "gps_drift"}
    )

    assert refused.status_code == 422
    assert "Say why this flag is a false positive." in refused.content.decode()
    assert response.status_code == 302
    flag.refresh_from_db()
    assert (flag.status, flag.dismissal_reason, flag.dismissed_by) == ("dismissed", "gps_drift", tenant.manager)
    assert "GPS drift" in client.get(f"/console/reports/{report.pk}").content.decode()


def test_a_flag_of_another_report_cannot_be_dismissed_through_this_one(tenant):
    report, other = report_on(tenant), report_on(tenant)
    flag = flag_on(other)

    response = signed_in(tenant.manager).post(
        f"/console/reports/{report.pk}/flags/{flag.pk}/dismiss", {f"flag{flag.pk}-reason": "gps_drift"}
    )

    assert response.status_code == 422
    flag.refresh_from_db()
    assert flag.status == FlagStatus.OPEN


def test_the_rule_health_page_counts_dismissals_per_rule(tenant):
    for index in range(4):
        flag = flag_on(report_on(tenant), code=FlagCode.LOW_ACCURACY)
        if index < 3:
            signed_in(tenant.manager).post(
                f"/console/reports/{flag.incident_id}/flags/{flag.pk}/dismiss", {f"flag{flag.pk}-reason": "gps_drift"}
            )

    page = signed_in(tenant.manager).get("/console/reports/rule-health").content.decode()

    row = re.search(r'data-testid="rule-LOW_ACCURACY">(.*?)</tr>', page, re.S)
    assert row is not None
    cells = re.findall(r"<td>(.*?)</td>", row.group(1), re.S)
    assert cells[1:5] == ["4", "1", "3", "75 %"]
    assert "GPS drift: 3" in row.group(1)


def test_a_reviewer_edit_is_a_revision_with_the_editors_name(tenant):
    tenant.manager.first_name, tenant.manager.last_name = "Dana", "Reyes"
    tenant.manager.save()
    unit = factories.UnitFactory(site=tenant.site, label="Building C, Unit 204", location=geo.INSIDE_CENTER)
    report = report_on(tenant, location_detail="Behnid the dumpster")
    client = signed_in(tenant.manager)

    response = client.post(
        f"/console/reports/{report.pk}/edit",
        {"location_detail": "Behind the dumpster", "unit": unit.pk, "note": "Typo"},
    )

    assert response.status_code == 302
    report.refresh_from_db()
    assert (report.location_detail, report.unit_id, report.version) == ("Behind the dumpster", unit.pk, 2)
    assert report.narrative == "Loud music from unit 101."
    revision = IncidentRevision.objects.get(report=report)
    assert (revision.version, revision.changed_by, revision.note) == (1, tenant.manager, "Typo")
    page = client.get(f"/console/reports/{report.pk}").content.decode()
    assert "edited by Dana Reyes" in page
    assert "− Behnid the dumpster" in page
    assert "+ Building C, Unit 204" in page


def test_a_reviewer_edit_needs_a_note_and_a_unit_of_the_site(tenant):
    other_site = factories.SiteFactory(client=tenant.client, geofence=geo.SITE_SQUARE, name="Harbour lot")
    elsewhere = factories.UnitFactory(site=other_site, label="Pier 4", location=geo.INSIDE_CENTER)
    report = report_on(tenant)
    client = signed_in(tenant.manager)

    no_note = client.post(f"/console/reports/{report.pk}/edit", {"location_detail": "Dock", "note": ""})
    foreign_unit = client.post(f"/console/reports/{report.pk}/edit", {"unit": elsewhere.pk, "note": "Typo"})

    assert no_note.status_code == 422
    assert foreign_unit.status_code == 422
    report.refresh_from_db()
    assert (report.version, report.location_detail) == (1, "")


def test_bulk_approve_approves_only_the_reports_without_open_flags(tenant, other_tenant):
    clean = [report_on(tenant) for _ in range(2)]
    flagged = report_on(tenant)
    flag_on(flagged)
    foreign = report_on(other_tenant)

    response = signed_in(tenant.manager).post(
        "/console/reports/approve-unflagged",
        {"report": [str(r.pk) for r in (*clean, flagged, foreign)], "return_to": "/console/reports?flags=none"},
    )

    assert response.status_code == 302
    assert response["Location"] == "/console/reports?flags=none"
    statuses = dict(IncidentReport.objects.values_list("pk", "status"))
    assert [statuses[r.pk] for r in clean] == ["approved", "approved"]
    assert statuses[flagged.pk] == "submitted"
    assert statuses[foreign.pk] == "submitted"


def test_the_queue_offers_bulk_approval_of_its_unflagged_reports(tenant):
    clean = report_on(tenant)
    flag_on(report_on(tenant))

    page = signed_in(tenant.manager).get("/console/reports").content.decode()

    assert re.findall(r'name="report" value="([0-9a-f-]+)"', page) == [str(clean.pk)]


def test_the_console_opens_on_the_review_queue(tenant):
    response = signed_in(tenant.manager).get("/console/")

    assert response.status_code == 302
    assert response["Location"] == "/console/reports"
