"""Insights read a tally the database keeps, and must say exactly what counting the calls says.

Each test builds calls across the 12 weeks (and outside them), changes them the ways the
code and the demo do (services, bulk inserts, raw updates, deletions, a flag removed, a
new time zone) and compares every figure with a count made here, call by call, in Python.
"""

import statistics
from collections import Counter
from datetime import datetime, time, timedelta

import pytest
from django.utils import timezone

from backend.calls.insights import UNCLASSIFIED, call_insights, insight_weeks
from backend.calls.models import Call, CallStatus, CallTally, FollowUp
from backend.calls.services import call_close, call_link, followup_complete, followup_create
from backend.core.localtime import zone
from backend.rules.findings import FlagCode
from backend.sites.scopes import scope_for
from backend.sites.services import site_assignment_add
from tests import factories, geo
from tests.call_builders import code, open_call

pytestmark = pytest.mark.django_db


def _served(call: Call, site_ids: set[int] | None) -> bool:
    """A supervisor's call: on one of their sites, or on no site of a client they serve."""
    if site_ids is None:
        return True
    if call.site_id is not None:
        return call.site_id in site_ids
    return call.client.sites.filter(pk__in=site_ids).exists()


def _expected(*, company_id: int, zone_name: str, now: datetime, site_ids: set[int] | None = None):
    """Calls per (client, week index, reason group), preventable ones, and follow-up medians, counted one by one."""
    mondays, start, end = insight_weeks(now=now, zone_name=zone_name)
    index = {monday: i for i, monday in enumerate(mondays)}
    calls: Counter[tuple[int, int, str]] = Counter()
    prevented: Counter[tuple[int, int, str]] = Counter()
    for call in Call.objects.filter(company_id=company_id).select_related("disposition"):
        if not _served(call, site_ids) or not start <= call.opened_at < end:
            continue
        day = call.opened_at.astimezone(zone(zone_name)).date()
        key = (
            call.client_id,
            index[day - timedelta(days=day.weekday())],
            call.disposition.reason_group if call.disposition else UNCLASSIFIED,
        )
        calls[key] += 1
        if call.prior_flag_id is not None:
            prevented[key] += 1
    hours: dict[int | None, list[float]] = {}
    for follow_up in FollowUp.objects.filter(call__company_id=company_id, done_at__gte=start, done_at__lt=end):
        if not _served(follow_up.call, site_ids):
            continue
        day = follow_up.done_at.astimezone(zone(zone_name)).date()
        elapsed = (follow_up.done_at - follow_up.created_at).total_seconds() / 3600
        for week in (index[day - timedelta(days=day.weekday())], None):
            hours.setdefault(week, []).append(elapsed)
    medians = {week: statistics.median(values) for week, values in hours.items()}
    return calls, prevented, medians


def _figures(insights):
    cells = insights.cells()
    calls = Counter({key: n for key, (n, _) in cells.items()})
    prevented = +Counter({key: p for key, (_, p) in cells.items()})
    medians: dict[int | None, float] = {
        week: m for week, m in enumerate(insights.follow_up_median_hours) if m is not None
    }
    if insights.follow_up_median_hours_overall is not None:
        medians[None] = insights.follow_up_median_hours_overall
    return calls, prevented, medians


def _assert_same(user, *, now, zone_name=None, site_ids=None):
    company = user.company
    zone_name = zone_name or company.timezone
    insights = call_insights(scope=scope_for(user), company_id=company.pk, zone_name=zone_name, now=now)
    calls, prevented, medians = _figures(insights)
    want_calls, want_prevented, want_medians = _expected(
        company_id=company.pk, zone_name=zone_name, now=now, site_ids=site_ids
    )
    assert calls == want_calls
    assert prevented == want_prevented
    assert medians.keys() == want_medians.keys()
    for week, median in want_medians.items():
        assert medians[week] == pytest.approx(median)
    assert calls, "the data set has calls in the window"
    return insights


def _local_monday(now, zone_name, weeks_back):
    mondays, _, _ = insight_weeks(now=now, zone_name=zone_name)
    return datetime.combine(mondays[-1 - weeks_back], time.min, tzinfo=zone(zone_name))


@pytest.fixture
def log(tenant):
    """Calls of two clients over 14 weeks: open and closed, on a site or none, some after a flag,
    two either side of a local Monday midnight, one older than the window; follow-ups done late and early."""
    now = timezone.now()
    by = tenant.manager
    annex = factories.SiteFactory(client=tenant.client, name="Annex", geofence=geo.SITE_SQUARE)
    other_client = factories.ClientFactory(company=tenant.company, name="Second Client")
    other_site = factories.SiteFactory(client=other_client, name="Plaza", geofence=geo.SITE_SQUARE)
    contact = factories.ClientContactFactory(client=other_client)
    codes = ["guard-late", "praise", "billing-rate-question", "report-unreadable", "request-service"]
    monday = _local_monday(now, tenant.company.timezone, 4)
    moments = [now - timedelta(days=d, hours=d % 7) for d in range(0, 95, 3)]
    moments += [monday - timedelta(minutes=1), monday + timedelta(minutes=1)]
    for n, opened_at in enumerate(moments):
        client, site, caller = (
            (tenant.client, [tenant.site, annex, None][n % 3], tenant.client_contact)
            if n % 4
            else (other_client, other_site if n % 8 else None, contact)
        )
        if site is not None and n % 5 == 0:
            # the rules flagged the site an hour before the call: it is preventable once closed
            shift = factories.ShiftFactory(post=factories.PostFactory(site=site))
            factories.open_flag(shift=shift, code=FlagCode.LATE_CLOCK_IN, raised_at=opened_at - timedelta(hours=1))
        call = open_call(by=by, client=client, contact=caller, opened_at=opened_at)
        if site is not None:
            call = call_link(call=call, by=by, site_id=site.pk)
        if n % 6 == 5:
            continue  # still open: unclassified
        chosen = code(tenant.company, codes[n % len(codes)])
        if n % 4 == 1:
            follow_up = followup_create(
                call=call, by=by, due_at=opened_at + timedelta(hours=4), owner_id=by.pk, note="Call back."
            )
            followup_complete(follow_up=follow_up, by=by)
            FollowUp.objects.filter(pk=follow_up.pk).update(
                created_at=opened_at, done_at=opened_at + timedelta(hours=1 + n % 37)
            )
        call_close(call=call, by=by, disposition_id=chosen.pk, summary="Read back.", disposition_comment="Noted.")
    return now


def test_the_tally_says_what_counting_every_call_says(tenant, log):
    insights = _assert_same(tenant.manager, now=log)

    assert insights.preventable_total > 0
    assert sum(insights.by_group[UNCLASSIFIED]) > 0
    assert insights.follow_ups_closed > 0


def test_guardops_staff_and_a_supervisor_read_the_same_figures_as_counting(tenant, log):
    supervisor = factories.SupervisorFactory(company=tenant.company)
    site_assignment_add(site=tenant.site, supervisor=supervisor, by=tenant.manager)

    _assert_same(supervisor, now=log, site_ids={tenant.site.pk})
    staff = factories.StaffFactory()
    insights = call_insights(
        scope=scope_for(staff), company_id=tenant.company.pk, zone_name="America/New_York", now=log
    )
    assert (
        insights.total
        == call_insights(
            scope=scope_for(tenant.manager), company_id=tenant.company.pk, zone_name="America/New_York", now=log
        ).total
    )


def test_the_tally_follows_every_way_a_call_changes(tenant, log):
    # given the log, changed the ways code outside the services does
    calls = list(Call.objects.filter(company=tenant.company).order_by("opened_at"))
    second_client = factories.ClientFactory(company=tenant.company, name="Third Client")
    unsited = next(call for call in calls if call.site_id is None and call.status == CallStatus.CLOSED)
    Call.objects.filter(pk=unsited.pk).update(client=second_client)  # a raw update moves it
    Call.objects.filter(pk=calls[-1].pk).delete()
    Call.objects.bulk_create(
        [
            Call(
                company=tenant.company,
                client=tenant.client,
                opened_at=log - timedelta(days=n),
                opened_by=tenant.manager,
            )
            for n in (1, 8, 15)
        ]
    )
    preventable = Call.objects.filter(company=tenant.company, prior_flag__isnull=False).first()
    preventable.prior_flag.delete()  # the flag gone, the call is no longer preventable (SET_NULL)
    # and a call whose time is ahead of the server's clock (not in the window yet)
    open_call(
        by=tenant.manager, client=tenant.client, contact=tenant.client_contact, opened_at=log + timedelta(minutes=5)
    )

    # then the insights still say what counting says
    _assert_same(tenant.manager, now=log)


def test_a_new_time_zone_recounts_the_weeks_on_the_new_clock(tenant, log):
    company = tenant.company
    company.timezone = "Asia/Tokyo"
    company.save()
    tenant.manager.refresh_from_db()

    assert set(CallTally.objects.filter(company=company).values_list("zone", flat=True)) == {"Asia/Tokyo"}
    _assert_same(tenant.manager, now=log)


def test_another_clock_than_the_companys_counts_the_calls_themselves(tenant, log):
    _assert_same(tenant.manager, now=log, zone_name="Europe/Lisbon")


def test_a_follow_up_carries_its_calls_company(tenant, other_tenant):
    call = open_call(by=tenant.manager, client=tenant.client, contact=tenant.client_contact)
    follow_up = call.follow_ups.create(
        due_at=timezone.now(), owner=tenant.manager, note="-", created_by=tenant.manager, company=other_tenant.company
    )

    follow_up.refresh_from_db()
    assert follow_up.company_id == tenant.company.pk
