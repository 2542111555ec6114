"""Reads over posts, post orders and shifts, scoped to a tenant or to one guard."""

import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django.contrib.gis.db.models.functions import AsGeoJSON
from django.db.models import Exists, F, OuterRef, Prefetch, Q, QuerySet
from django.utils import timezone

from backend.accounts.models import Company, Role, User
from backend.core.errors import NotFound, ValidationFailed
from backend.core.localtime import DATE_TIME, local_time
from backend.core.querysets import filter_given, one_visible_or_not_found
from backend.sites.models import Checkpoint, RestrictedZone, Unit
from backend.sites.scopes import Scope
from backend.staffing.models import (
    GuardQualification,
    Post,
    PostOrder,
    PostOrderAcknowledgement,
    PostRequirement,
    PostRequirementChange,
    Qualification,
    Shift,
    ShiftStatus,
)


def posts_for_company(*, company: Company) -> QuerySet[Post]:
    return Post.objects.for_company(company).select_related("site")


def guards_for_company(*, company: Company) -> QuerySet[User]:
    return User.objects.for_company(company).filter(role="guard", is_active=True)


def shifts_for_company(*, company: Company) -> QuerySet[Shift]:
    return Shift.objects.for_company(company).select_related("guard", "post__site")


def shifts_for_guard(
    *, guard: User, starts_before: datetime | None = None, ends_after: datetime | None = None
) -> QuerySet[Shift]:
    """The guard's own shifts overlapping [ends_after, starts_before]; never anyone else's."""
    shifts = Shift.objects.filter(guard=guard).select_related("post__site")
    if guard.company_id is not None:
        shifts = shifts.for_company(guard.company_id)
    shifts = filter_given(shifts, scheduled_start__lt=starts_before, scheduled_end__gt=ends_after)
    return shifts.order_by("scheduled_start")


def shifts_in_progress(*, company: Company, at: datetime | None = None) -> QuerySet[Shift]:
    """Shifts whose scheduled window contains `at`, or that a guard is still clocked into."""
    moment = at or timezone.now()
    in_window = Q(scheduled_start__lte=moment, scheduled_end__gt=moment) & ~Q(status=ShiftStatus.CANCELLED)
    return shifts_for_company(company=company).filter(in_window | Q(status=ShiftStatus.IN_PROGRESS))


def post_order_current(*, post: Post, at: datetime | None = None) -> PostOrder | None:
    """The newest published version of the post's orders, or None when none is published."""
    moment = at or timezone.now()
    return post.post_orders.filter(published_at__lte=moment).order_by("-version").first()


def post_order_is_acknowledged(*, post_order: PostOrder, guard: User) -> bool:
    return PostOrderAcknowledgement.objects.filter(post_order=post_order, guard=guard).exists()


# --- The guard's phone (mobile API) ---------------------------------------------------

# The schedule a phone asks for: by default yesterday to a week ahead; any window is
# bounded so one request cannot pull a guard's whole history.
SHIFT_WINDOW_DEFAULT_BACK = timedelta(days=1)
SHIFT_WINDOW_DEFAULT_AHEAD = timedelta(days=7)
SHIFT_WINDOW_MAX = timedelta(days=62)


def shift_list_for_guard(
    *, guard: User, window_from: datetime | None, window_to: datetime | None, now: datetime | None = None
) -> QuerySet[Shift]:
    """The guard's own shifts overlapping [window_from, window_to], in one query.

    Missing bounds default to yesterday..a week ahead; with one bound given, the other is
    8 days from it. A reversed or longer-than-62-days window is refused (422).
    """
    moment = now or timezone.now()
    default_span = SHIFT_WINDOW_DEFAULT_BACK + SHIFT_WINDOW_DEFAULT_AHEAD
    if window_from is None:
        window_from = moment - SHIFT_WINDOW_DEFAULT_BACK if window_to is None else window_to - default_span
    if window_to is None:
        window_to = window_from + default_span
    if window_from > window_to:
        raise ValidationFailed("`from` must not be after `to`.", field="from", code="invalid_window")
    if window_to - window_from > SHIFT_WINDOW_MAX:
        raise ValidationFailed(
            f"The window may span at most {SHIFT_WINDOW_MAX.days} days.", field="to", code="window_too_long"
        )
    # The fence is not listed; leaving it out keeps a week of shifts a few kilobytes.
    return shifts_for_guard(guard=guard, starts_before=window_to, ends_after=window_from).defer("post__site__geofence")


def shift_get_for_guard(*, guard: User, shift_id: int, lock: bool = False, field: str | None = None) -> Shift:
    """One of the guard's own shifts, with its site and company; anyone else's (or a missing one) is a 404.

    `lock` holds the shift's row until commit, so concurrent retries of one clock-in queue
    there; `field` names the request field at fault in the 404 when the id came in a body.
    """
    shifts = (
        Shift.objects.for_company(guard.company_id or -1)
        .filter(pk=shift_id, guard=guard)
        .select_related("post__site__client__company")
        # The fence is judged in PostGIS by site id; parsing it here would cost more than the query.
        .defer("post__site__geofence")
    )
    if lock:
        shifts = shifts.select_for_update(of=("self",))
    shift: Shift | None = shifts.first()
    if shift is None:
        raise NotFound("No such shift.", code="shift_not_found", field=field)
    return shift


@dataclass(frozen=True)
class RestrictedZoneView:
    id: int
    name: str
    area: dict[str, Any]


@dataclass(frozen=True)
class ShiftDetail:
    """What a guard needs on the phone for one shift: where, the fence, places, orders."""

    shift: Shift
    geofence: dict[str, Any]
    units: list[Unit]
    checkpoints: list[Checkpoint]
    restricted_zones: list[RestrictedZoneView]
    post_orders: PostOrder | None  # annotated with `acknowledged` (by this guard)
    inductions_owed: list[Qualification]


def shift_detail_for_guard(*, guard: User, shift_id: int, now: datetime | None = None) -> ShiftDetail:
    """One own shift with its site's fence, units, checkpoints, zones and current orders.

    Five queries whatever the site holds: the shift (with the fence as GeoJSON from
    PostGIS), then one each for units, active checkpoints, restricted zones, orders.
    """
    moment = now or timezone.now()
    shift = (
        shifts_for_guard(guard=guard)
        .defer("post__site__geofence")
        .annotate(geofence_geojson=AsGeoJSON("post__site__geofence"))
        .filter(pk=shift_id)
        .first()
    )
    if shift is None:
        raise NotFound("No such shift.", code="shift_not_found")
    site_id = shift.post.site_id
    zones = (
        RestrictedZone.objects.filter(site_id=site_id)
        .defer("area")
        .annotate(area_geojson=AsGeoJSON("area"))
        .order_by("name", "pk")
    )
    return ShiftDetail(
        shift=shift,
        geofence=json.loads(shift.geofence_geojson),
        units=list(Unit.objects.filter(site_id=site_id).order_by("label", "pk")),
        checkpoints=list(Checkpoint.objects.filter(site_id=site_id, is_active=True).order_by("name", "pk")),
        restricted_zones=[
            RestrictedZoneView(id=zone.pk, name=zone.name, area=json.loads(zone.area_geojson)) for zone in zones
        ],
        post_orders=post_orders_for_guard(guard=guard, post=shift.post, at=moment),
        inductions_owed=inductions_owed(
            guard=guard, post=shift.post, on=moment.astimezone(ZoneInfo(shift.post.site.timezone)).date()
        ),
    )


def post_orders_for_guard(*, guard: User, post: Post, at: datetime) -> PostOrder | None:
    """The post's current orders, annotated `acknowledged` (by this guard); one query."""
    orders = (
        PostOrder.objects.filter(post_id=post.pk, published_at__lte=at)
        .annotate(acknowledged=Exists(PostOrderAcknowledgement.objects.filter(post_order=OuterRef("pk"), guard=guard)))
        .order_by("-version")
    )
    current: PostOrder | None = orders.first()
    return current


# --- The console and the portal: what a manager, supervisor or client contact sees -------


def shifts_visible(
    *,
    scope: Scope,
    starts_before: datetime | None = None,
    ends_after: datetime | None = None,
    status: str | None = None,
    site_id: int | None = None,
) -> QuerySet[Shift]:
    """Shifts on the sites the viewer may see overlapping [ends_after, starts_before], by start.

    Client contacts see them too: verified attendance is what their portal shows. The
    guard, post and site come in the same query; the site's fence does not.
    """
    shifts = filter_given(
        Shift.objects.for_scope(scope),
        scheduled_start__lt=starts_before,
        scheduled_end__gt=ends_after,
        status=status,
        post__site_id=site_id,
    )
    return (
        shifts.select_related("guard", "post__site__client")
        .defer("post__site__geofence")
        .order_by("scheduled_start", "pk")
    )


def shift_get_visible(*, scope: Scope, shift_id: int) -> Shift:
    """One shift the viewer may see; another tenant's, client's or site's is NotFound."""
    shift: Shift | None = shifts_visible(scope=scope).filter(pk=shift_id).first()
    if shift is None:
        raise NotFound("No such shift.", code="shift_not_found")
    return shift


# --- Post requirements ------------------------------------------------------------------

# A required qualification that lapses within this many days of a scheduled shift is a warning.
QUALIFICATION_WARNING_DAYS = 30


@dataclass(frozen=True)
class MissingQualification:
    """A qualification the post requires that the guard does not hold for the whole shift."""

    qualification: Qualification
    since: date | None
    """The day it lapsed (the day after the last one held expired); None: never held for these dates."""
    held_from: date | None = None
    """Set when the guard holds it only from a later date (issued after the shift starts)."""

    def sentence(self) -> str:
        if self.since is not None:
            return f"{self.qualification.name} lapsed on {self.since.isoformat()}"
        if self.held_from is not None:
            return f"{self.qualification.name} is held only from {self.held_from.isoformat()}"
        return f"{self.qualification.name} is not held"

    def as_dict(self) -> dict[str, Any]:
        return {
            "qualification": self.qualification.code,
            "name": self.qualification.name,
            "since": self.since.isoformat() if self.since else None,
            "held_from": self.held_from.isoformat() if self.held_from else None,
        }


def shift_dates(*, site_timezone: str, starts_at: datetime, ends_at: datetime) -> tuple[date, date]:
    """The first and last calendar day of a shift on the site's clock (a qualification is held by the day)."""
    zone = ZoneInfo(site_timezone)
    # The end instant is exclusive: a shift ending at midnight does not need the next day.
    return starts_at.astimezone(zone).date(), (ends_at - timedelta(microseconds=1)).astimezone(zone).date()


def _missing(
    *, required: Iterable[Qualification], held: Iterable[GuardQualification], first_day: date, last_day: date
) -> list[MissingQualification]:
    held_by_qualification: dict[int, list[GuardQualification]] = {}
    for record in held:
        held_by_qualification.setdefault(record.qualification_id, []).append(record)
    missing = []
    for qualification in required:
        records = held_by_qualification.get(qualification.pk, [])
        covering = [
            r for r in records if r.issued_on <= first_day and (r.expires_on is None or r.expires_on >= last_day)
        ]
        if covering:
            continue
        lapsed = [r.expires_on for r in records if r.expires_on is not None and r.expires_on < last_day]
        later = [r.issued_on for r in records if r.issued_on > first_day]
        missing.append(
            MissingQualification(
                qualification=qualification,
                since=max(lapsed) + timedelta(days=1) if lapsed else None,
                held_from=None if lapsed else (min(later) if later else None),
            )
        )
    return missing


def qualifications_missing(
    *, guard: User, post: Post, starts_at: datetime, ends_at: datetime
) -> list[MissingQualification]:
    """The post's required qualifications the guard lacks on any day of [starts_at, ends_at); two queries."""
    required = [r.qualification for r in post.requirements.select_related("qualification").order_by("pk")]
    if not required:
        return []
    first_day, last_day = shift_dates(site_timezone=post.site.timezone, starts_at=starts_at, ends_at=ends_at)
    held = GuardQualification.objects.filter(guard=guard, qualification__in=required, superseded_by__isnull=True)
    return _missing(required=required, held=held, first_day=first_day, last_day=last_day)


@dataclass(frozen=True)
class QualificationWarning:
    """A required qualification of a scheduled shift that lapses within 30 days of it (or before it)."""

    shift: Shift
    qualification: Qualification
    expires_on: date | None
    """None: the guard does not hold it for the shift at all (scheduled by an override)."""

    def sentence(self) -> str:
        site = self.shift.post.site
        when = local_time(self.shift.scheduled_start, site.timezone, DATE_TIME)
        if self.expires_on is None:
            return f"{self.shift.guard} lacks {self.qualification.name} for the shift at {site.name} from {when}."
        return (
            f"{self.shift.guard}'s {self.qualification.name} expires on {self.expires_on.isoformat()}, "
            f"near the shift at {site.name} from {when}."
        )


def qualification_warnings(*, shifts: Iterable[Shift]) -> list[QualificationWarning]:
    """For shifts loaded with guard and post__site: the required qualifications that lapse near them.

    Two queries whatever the number of shifts (requirements of their posts, their guards'
    qualifications). A warning when the best record covering the shift's first day expires
    before the shift's last day plus 30 days, or when none covers it.
    """
    shift_list = list(shifts)
    requirements: dict[int, list[Qualification]] = {}
    for requirement in PostRequirement.objects.filter(post_id__in={s.post_id for s in shift_list}).select_related(
        "qualification"
    ):
        requirements.setdefault(requirement.post_id, []).append(requirement.qualification)
    wanted = [s for s in shift_list if s.post_id in requirements]
    held: dict[tuple[int, int], list[GuardQualification]] = {}
    for record in GuardQualification.objects.filter(
        guard_id__in={s.guard_id for s in wanted}, superseded_by__isnull=True
    ):
        held.setdefault((record.guard_id, record.qualification_id), []).append(record)
    warnings = []
    for shift in wanted:
        first_day, last_day = shift_dates(
            site_timezone=shift.post.site.timezone, starts_at=shift.scheduled_start, ends_at=shift.scheduled_end
        )
        horizon = last_day + timedelta(days=QUALIFICATION_WARNING_DAYS)
        for qualification in requirements[shift.post_id]:
            records = [r for r in held.get((shift.guard_id, qualification.pk), []) if r.issued_on <= first_day]
            if any(r.expires_on is None or r.expires_on >= horizon for r in records):
                continue
            covering = [r.expires_on for r in records if r.expires_on is not None and r.expires_on >= last_day]
            warnings.append(
                QualificationWarning(
                    shift=shift, qualification=qualification, expires_on=max(covering) if covering else None
                )
            )
    return warnings


def qualification_warnings_for_guard(*, guard: User, now: datetime | None = None) -> list[QualificationWarning]:
    """The guard page's warnings: the guard's shifts not yet over."""
    moment = now or timezone.now()
    shifts = (
        shifts_for_guard(guard=guard, ends_after=moment)
        .filter(status__in=[ShiftStatus.SCHEDULED, ShiftStatus.IN_PROGRESS])
        .select_related("guard")
        .defer("post__site__geofence")
    )
    return qualification_warnings(shifts=shifts)


def qualification_warnings_visible(
    *, scope: Scope, now: datetime | None = None, ahead: timedelta = timedelta(days=QUALIFICATION_WARNING_DAYS)
) -> list[QualificationWarning]:
    """For the live board: warnings on the viewer's shifts from now to `ahead` (three queries)."""
    moment = now or timezone.now()
    shifts = shifts_visible(scope=scope, ends_after=moment, starts_before=moment + ahead).filter(
        status__in=[ShiftStatus.SCHEDULED, ShiftStatus.IN_PROGRESS]
    )
    return qualification_warnings(shifts=shifts)


def qualifications_of_guard(*, guard: User, superseded: bool = False) -> QuerySet[GuardQualification]:
    """The guard's current records (what the checks read), or with `superseded` the corrected ones."""
    return (
        GuardQualification.objects.filter(guard=guard, superseded_by__isnull=not superseded)
        .select_related("qualification", "recorded_by", "supersedes")
        .order_by("qualification__name", "-issued_on", "-pk")
    )


def guard_qualification_get(*, guard: User, held_id: int) -> GuardQualification:
    """One of the guard's records, current or superseded (the guard was read through the viewer's scope)."""
    held: GuardQualification | None = (
        GuardQualification.objects.filter(guard=guard, pk=held_id).select_related("qualification", "guard").first()
    )
    if held is None:
        raise NotFound("No such qualification record.", code="qualification_not_found")
    return held


def qualifications_visible(*, scope: Scope, include_retired: bool = True) -> QuerySet[Qualification]:
    """The company's catalogue, as a manager or supervisor reads it; retired ones last."""
    scope.require_operations("the qualification catalogue")
    rows = Qualification.objects.filter(company_id=scope.company_id or -1)
    if not include_retired:
        rows = rows.filter(retired_at__isnull=True)
    return rows.select_related("retired_by").order_by(F("retired_at").asc(nulls_first=True), "name", "pk")


def qualification_get_visible(*, scope: Scope, qualification_id: int) -> Qualification:
    qualification: Qualification | None = qualifications_visible(scope=scope).filter(pk=qualification_id).first()
    if qualification is None:
        raise NotFound("No such qualification.", code="qualification_not_found")
    return qualification


def posts_visible(*, scope: Scope) -> QuerySet[Post]:
    """The posts on the viewer's sites, by site and name, with their required qualifications."""
    scope.require_operations("posts")
    return (
        Post.objects.for_scope(scope)
        .select_related("site")
        .defer("site__geofence")
        .prefetch_related(
            Prefetch(
                "requirements",
                queryset=PostRequirement.objects.select_related("qualification").order_by("qualification__name"),
            )
        )
        .order_by("site__name", "name", "pk")
    )


def post_get_visible(*, scope: Scope, post_id: int) -> Post:
    post: Post | None = posts_visible(scope=scope).filter(pk=post_id).first()
    if post is None:
        raise NotFound("No such post.", code="post_not_found")
    return post


def post_requirement_changes(*, post: Post) -> QuerySet[PostRequirementChange]:
    """Who added and removed the post's requirements, newest first."""
    return PostRequirementChange.objects.filter(post=post).select_related("qualification", "by")


def inductions_owed(*, guard: User, post: Post, on: date) -> list[Qualification]:
    """The post's required inductions the guard does not hold on `on`: told at clock-in."""
    held = GuardQualification.objects.filter(
        guard=guard, qualification=OuterRef("qualification"), issued_on__lte=on, superseded_by__isnull=True
    ).filter(Q(expires_on__isnull=True) | Q(expires_on__gte=on))
    return [
        requirement.qualification
        for requirement in post.requirements.select_related("qualification")
        .filter(qualification__is_induction=True)
        .exclude(Exists(held))
        .order_by("qualification__name")
    ]


# --- Guards, as the console sees them -----------------------------------------------------


def guards_visible(*, scope: Scope) -> QuerySet[User]:
    """The company's guards; a supervisor sees those who ever had a shift on their sites."""
    scope.require_operations("guards")
    guards = User.objects.filter(company_id=scope.company_id or -1, role=Role.GUARD)
    if scope.site_ids is not None:
        guards = guards.filter(Exists(Shift.objects.filter(guard_id=OuterRef("pk"), post__site_id__in=scope.site_ids)))
    return guards.order_by("last_name", "first_name", "pk")


def guard_get_visible(*, scope: Scope, guard_id: int) -> User:
    return one_visible_or_not_found(
        guards_visible(scope=scope), pk=guard_id, message="No such guard.", code="guard_not_found"
    )


def guards_schedulable(*, scope: Scope) -> QuerySet[User]:
    """Who a reviewer may put on a shift: the company's active guards (a supervisor's too)."""
    scope.require_operations("guards")
    return User.objects.filter(company_id=scope.company_id or -1, role=Role.GUARD, is_active=True).order_by(
        "last_name", "first_name", "pk"
    )


def post_order_acknowledgements_visible(*, scope: Scope, guard: User) -> QuerySet[PostOrderAcknowledgement]:
    return (
        PostOrderAcknowledgement.objects.for_scope(scope)
        .filter(guard=guard)
        .select_related("post_order__post__site")
        .defer("post_order__post__site__geofence")
        .order_by("-acknowledged_at")
    )
