"""Reads over the call log, always through the viewer's Scope (managers: the company; supervisors: their sites)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from django.db.models import Count, Q, QuerySet
from django.utils.functional import cached_property

from backend.accounts.models import Company, Role, User
from backend.attendance.resolutions import day_bounds
from backend.calls.errors import CallNotFound, FollowUpNotFound
from backend.calls.models import Call, ClientGreeting, DispositionCode, FollowUp
from backend.core.querysets import filter_given
from backend.flags.models import Flag, FlagStatus
from backend.flags.selectors import flags_visible
from backend.incidents.selectors import incident_reports_visible
from backend.rules.findings import FlagCode
from backend.sites.models import Client, ClientContactSite, Site
from backend.sites.scopes import Scope
from backend.sites.selectors import sites_visible
from backend.staffing.selectors import shifts_visible


def _site_condition(scope: Scope, prefix: str = "") -> Q:
    """A supervisor's calls: those on their sites, and those on no site yet of a client they serve.

    (A call opened before anyone knows which site it is about must not vanish from the
    list of the supervisor who is taking it.)
    """
    if scope.site_ids is None:
        return Q()
    served_clients = Site.objects.filter(pk__in=scope.site_ids).values("client_id")
    return Q(**{f"{prefix}site_id__in": list(scope.site_ids)}) | Q(
        **{f"{prefix}site__isnull": True, f"{prefix}client_id__in": served_clients}
    )


def calls_in_scope(*, scope: Scope) -> QuerySet[Call]:
    """The calls a viewer may read, with nothing joined (services lock from here)."""
    scope.require_operations("the call log")
    calls = Call.objects.all() if scope.company_id is None else Call.objects.for_company(scope.company_id)
    return calls.filter(_site_condition(scope))


def calls_visible(
    *,
    scope: Scope,
    client_id: int | None = None,
    reason_group: str | None = None,
    status: str | None = None,
    opened_from: datetime | None = None,
    opened_before: datetime | None = None,
) -> QuerySet[Call]:
    """The call log as the viewer may read it, newest first, with client, caller, site and code loaded."""
    calls = filter_given(
        calls_in_scope(scope=scope),
        client_id=client_id,
        disposition__reason_group=reason_group,
        status=status,
        opened_at__gte=opened_from,
        opened_at__lt=opened_before,
    )
    return (
        calls.select_related("client", "caller_contact", "site", "disposition", "opened_by")
        .defer("site__geofence")
        .order_by("-opened_at", "-pk")
    )


def call_get_visible(*, scope: Scope, call_id: int) -> Call:
    """One call the viewer may read, with its links loaded; any other is CallNotFound."""
    call: Call | None = (
        calls_visible(scope=scope)
        .select_related("shift__guard", "shift__post", "incident__type", "closed_by", "disposition")
        .filter(pk=call_id)
        .first()
    )
    if call is None:
        raise CallNotFound()
    return call


def call_clients_visible(*, scope: Scope) -> QuerySet[Client]:
    """The clients a viewer may log a call for: the company's, or those with one of a supervisor's sites."""
    clients = Client.objects.all() if scope.company_id is None else Client.objects.for_company(scope.company_id)
    if scope.site_ids is not None:
        clients = clients.filter(pk__in=Site.objects.filter(pk__in=scope.site_ids).values("client_id"))
    return clients.filter(is_active=True).order_by("name", "pk")


def client_contacts_of(*, client: Client) -> QuerySet[User]:
    """The active contacts of a client a caller can be verified as."""
    return User.objects.filter(client=client, role=Role.CLIENT_CONTACT, is_active=True).order_by(
        "last_name", "first_name", "pk"
    )


def greeting_for(*, client: Client) -> str:
    greeting = ClientGreeting.objects.filter(client=client).values_list("script", flat=True).first()
    return greeting or DEFAULT_GREETING.format(client=client.name)


DEFAULT_GREETING = "Thank you for calling about {client}; this is operations. How can I help you today?"


def dispositions_for_company(*, company: Company | int, active_only: bool = False) -> QuerySet[DispositionCode]:
    codes = DispositionCode.objects.for_company(company)
    if active_only:
        codes = codes.filter(retired_at__isnull=True)
    return codes.order_by("reason_group", "label", "pk")


def follow_up_owners(*, company: Company | int) -> QuerySet[User]:
    """Who may own a follow-up: the company's active managers and supervisors."""
    return (
        User.objects.for_company(company)
        .filter(role__in=(Role.MANAGER, Role.SUPERVISOR), is_active=True)
        .order_by("last_name", "first_name", "pk")
    )


def followups_visible(*, scope: Scope, open_only: bool = False) -> QuerySet[FollowUp]:
    """Follow-ups of the calls the viewer may read, soonest due first."""
    follow_ups = FollowUp.objects.filter(call__in=calls_in_scope(scope=scope).values("pk"))
    if open_only:
        follow_ups = follow_ups.filter(done_at__isnull=True)
    return follow_ups.select_related("call__client__company", "owner", "done_by").order_by("due_at", "pk")


def followup_get_visible(*, scope: Scope, followup_id: int) -> FollowUp:
    follow_up: FollowUp | None = followups_visible(scope=scope).filter(pk=followup_id).first()
    if follow_up is None:
        raise FollowUpNotFound()
    return follow_up


class OverdueFollowUps:
    """The live board's panel: how many follow-ups are overdue, and the first few.

    Lazy: nothing is read until a template asks, so a board refresh that does not show the
    panel costs nothing; showing it costs two queries whatever the number.
    """

    def __init__(self, rows: QuerySet[FollowUp], limit: int) -> None:
        self._rows, self._limit = rows, limit

    @cached_property
    def count(self) -> int:
        return self._rows.count()

    @cached_property
    def first(self) -> list[FollowUp]:
        return list(self._rows[: self._limit])


def followups_overdue(*, scope: Scope, now: datetime, limit: int = 5) -> OverdueFollowUps:
    """Open follow-ups of the viewer's calls past their due time, most overdue first."""
    return OverdueFollowUps(followups_visible(scope=scope, open_only=True).filter(due_at__lt=now), limit)


# A flag raised this long before a call makes the call "preventable" (see calls/insights.py).
PREVENTABLE_WINDOW = timedelta(hours=24)


def flag_before_call(*, call: Call) -> Flag | None:
    """The latest flag, not dismissed, the rules raised in the PREVENTABLE_WINDOW before the call
    was opened on its site (or on any site of its client when it names none): one query."""
    lookup = ("site_id", call.site_id) if call.site_id is not None else ("site__client_id", call.client_id)
    on_subject = Q()
    for path in Flag.SITE_PATH:
        on_subject |= Q(**{f"{path.removesuffix('site')}{lookup[0]}": lookup[1]})
    flag: Flag | None = (
        Flag.objects.for_company(call.company_id)
        .filter(on_subject, raised_at__gt=call.opened_at - PREVENTABLE_WINDOW, raised_at__lte=call.opened_at)
        .exclude(status=FlagStatus.DISMISSED)
        .order_by("-raised_at", "-pk")
        .first()
    )
    return flag


# --- What the caller is likely calling about ----------------------------------------------


@dataclass(frozen=True)
class FactShift:
    site_name: str
    post_name: str
    starts_at: datetime
    ends_at: datetime
    zone: str
    status: str
    problem: str  # "" (on time), or the attendance flag's label: late, no-show...
    guard_name: str | None  # None: the caller may not be told


@dataclass(frozen=True)
class FactFlag:
    site_name: str
    label: str
    severity: str
    raised_at: datetime
    zone: str
    message: str | None  # None: it names a guard, the caller may not be told


@dataclass(frozen=True)
class FactReport:
    report_id: object
    site_name: str
    type_name: str
    occurred_at: datetime
    zone: str
    status: str
    open_flags: int
    narrative: str | None  # None: the caller may not be told
    guard_name: str | None


@dataclass(frozen=True)
class CallFacts:
    """The facts panel of an open call, for the caller's sites; guard names and report
    contents are left out (None) unless the caller is verified."""

    sites: list[Site]
    verified: bool
    today: date
    shifts: list[FactShift]
    flags: list[FactFlag]
    reports: list[FactReport]
    overdue_follow_ups: list[FollowUp]


FACTS_LIMIT = 10
LATE_CODES = {FlagCode.LATE_CLOCK_IN, FlagCode.NO_SHOW, FlagCode.EARLY_CLOCK_OUT, FlagCode.MISSED_CLOCK_OUT}


def caller_sites(*, scope: Scope, call: Call) -> list[Site]:
    """The sites the call is about: its site once linked; else the verified contact's sites
    (all their client's, or those they are limited to); else every site of the client."""
    sites = sites_visible(scope=scope, active_only=True).filter(client_id=call.client_id).defer("geofence")
    if call.site_id is not None:
        return list(sites.filter(pk=call.site_id))
    if call.caller_contact_id is not None:
        limited = ClientContactSite.objects.filter(contact_id=call.caller_contact_id).values("site_id")
        if limited.exists():
            sites = sites.filter(pk__in=limited)
    return list(sites)


def _flag_site(flag: Flag) -> Site:
    shift = flag.shift if flag.shift is not None else flag.incident.shift if flag.incident is not None else None
    if shift is None:  # the database refuses a flag on nothing
        raise ValueError(f"Flag {flag.pk} is on neither a shift nor a report.")
    return shift.post.site


def call_facts(*, scope: Scope, call: Call, now: datetime) -> CallFacts:
    """Today's attendance (late, no-shows), open flags, the last reports and the client's overdue
    follow-ups on the caller's sites, read through the existing selectors; a fixed number of queries."""
    sites = caller_sites(scope=scope, call=call)
    site_ids = [site.pk for site in sites]
    verified = call.caller_verified
    zone = sites[0].timezone if sites else "UTC"
    today = now.astimezone(ZoneInfo(zone)).date()
    starts, ends = day_bounds(day=today, zone_name=zone)

    shifts = list(shifts_visible(scope=scope, starts_before=ends, ends_after=starts).filter(post__site_id__in=site_ids))
    problems: dict[int, str] = {}
    attendance_flags = (
        flags_visible(scope=scope)
        .filter(shift_id__in=[shift.pk for shift in shifts], code__in=LATE_CODES)
        .exclude(status=FlagStatus.DISMISSED)
    )
    for flag in attendance_flags:
        if flag.shift_id is not None:
            problems.setdefault(flag.shift_id, flag.get_code_display())
    fact_shifts = [
        FactShift(
            site_name=shift.post.site.name,
            post_name=shift.post.name,
            starts_at=shift.scheduled_start,
            ends_at=shift.scheduled_end,
            zone=shift.post.site.timezone,
            status=shift.get_status_display(),
            problem=problems.get(shift.pk, ""),
            guard_name=(shift.guard.get_full_name() or shift.guard.username) if verified else None,
        )
        for shift in shifts
    ]
    on_sites = Q()
    for path in Flag.SITE_PATH:
        on_sites |= Q(**{f"{path}__in": site_ids})
    open_flags = list(flags_visible(scope=scope, status=FlagStatus.OPEN).filter(on_sites)[:FACTS_LIMIT])
    fact_flags = [
        FactFlag(
            site_name=_flag_site(flag).name,
            label=flag.get_code_display(),
            severity=flag.severity,
            raised_at=flag.raised_at,
            zone=_flag_site(flag).timezone,
            message=flag.message if verified else None,
        )
        for flag in open_flags
    ]
    reports = list(
        incident_reports_visible(scope=scope)
        .filter(shift__post__site_id__in=site_ids)
        .annotate(open_flag_count=Count("flags", filter=Q(flags__status=FlagStatus.OPEN)))[:FACTS_LIMIT]
    )
    fact_reports = [
        FactReport(
            report_id=report.pk,
            site_name=report.shift.post.site.name,
            type_name=report.type.name,
            occurred_at=report.occurred_at,
            zone=report.shift.post.site.timezone,
            status=report.get_status_display(),
            open_flags=report.open_flag_count,
            narrative=report.narrative if verified else None,
            guard_name=(report.guard.get_full_name() or report.guard.username) if verified else None,
        )
        for report in reports
    ]
    overdue = list(
        followups_visible(scope=scope, open_only=True).filter(call__client_id=call.client_id, due_at__lt=now)[
            :FACTS_LIMIT
        ]
    )
    return CallFacts(
        sites=sites,
        verified=verified,
        today=today,
        shifts=fact_shifts,
        flags=fact_flags,
        reports=fact_reports,
        overdue_follow_ups=overdue,
    )
