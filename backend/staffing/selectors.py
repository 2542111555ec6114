"""Reads over posts, post orders and shifts, scoped to a tenant or to one guard."""

import json
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.contrib.gis.db.models.functions import AsGeoJSON
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from backend.accounts.models import Company, User
from backend.core.errors import NotFound, ValidationFailed
from backend.core.querysets import filter_given
from backend.sites.models import Checkpoint, RestrictedZone, Unit
from backend.sites.scopes import Scope
from backend.staffing.models import Post, PostOrder, PostOrderAcknowledgement, Shift, ShiftStatus


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
    orders = (
        PostOrder.objects.filter(post_id=shift.post_id, published_at__lte=moment)
        .annotate(acknowledged=Exists(PostOrderAcknowledgement.objects.filter(post_order=OuterRef("pk"), guard=guard)))
        .order_by("-version")
    )
    return ShiftDetail(
        shift=shift,
        geofence=json.loads(shift.geofence_geojson),
        units=list(Unit.objects.filter(site_id=site_id).order_by("label", "pk")),
        checkpoints=list(Checkpoint.objects.filter(site_id=site_id, is_active=True).order_by("name", "pk")),
        restricted_zones=[
            RestrictedZoneView(id=zone.pk, name=zone.name, area=json.loads(zone.area_geojson)) for zone in zones
        ],
        post_orders=orders.first(),
    )


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
