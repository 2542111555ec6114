"""The client portal's demo: a month of daily activity for `client1`'s sites, their DARs, a monthly summary.

`client1` (Patricia Lowe of Riverbend Residential) opens the portal onto 30 days of history:
shifts with clock-in/out evidence, checkpoint scans and activity entries (bulk-created; ids
derived from the shift, so a second seed adds nothing), the last week's DARs and last month's
summary already rendered, the older DARs queued for the worker, and a delivery preference that
e-mails her each morning's DARs, approved reports and the monthly summary (to var/mail under
`make run`). The seed's own fortnight (today ± 7 days) is left as seed_demo made it; only the
activity and scans it lacks are added to its finished shifts.
"""

from __future__ import annotations

import uuid
import zoneinfo
from collections import Counter
from collections.abc import Collection
from datetime import UTC, date, datetime, time, timedelta

from django.contrib.gis.geos import Point
from django.utils import timezone

from backend.accounts.models import Role, User
from backend.demo import geometry as g
from backend.documents.assemble import client_time_zone, month_bounds
from backend.documents.models import DarFrequency, DeliveryPreference, DocumentKind, DocumentStatus
from backend.documents.services import document_for_scope, document_render, document_request, document_scope_check
from backend.sites.models import Checkpoint, Client, Site
from backend.staffing.models import Post, Shift, ShiftStatus
from backend.tracking.models import ActivityEntry, CheckpointScan, ClockEvent, FenceState

CONTACT = "client1"
HISTORY_DAYS = 30
RENDERED_DAYS = 7
"""DARs rendered by the seed itself; older days are queued for the worker (seed time stays short)."""
SLOTS = (time(7, 0), time(19, 0))
SHIFT_HOURS = 12
ACTIVITY = (
    "Relieved the outgoing guard; keys and radio handed over, log read.",
    "Walked the perimeter: fence intact, gates closed, lights working.",
    "Visitor signed in at the gate and escorted to the leasing office.",
    "Parking lots patrolled; no unregistered vehicles.",
    "Pool and amenity doors checked and locked.",
    "Quiet hour; resident asked about a package, directed to the mail room.",
)


def documents_demo(*, now: datetime, reserved_guards: Collection[int] = ()) -> None:
    """Give client1 a month worth reading in the portal (idempotent; a no-op without client1).

    `reserved_guards` get no history shifts (the review demo files its reports on their oldest
    shifts, which must stay the fortnight's): relief guards work their slots before the fortnight.
    """
    contact = User.objects.filter(username=CONTACT, role=Role.CLIENT_CONTACT).select_related("client").first()
    if contact is None or contact.client is None:
        return
    client = contact.client
    sites = list(Site.objects.filter(client=client).order_by("name"))
    posts = list(Post.objects.filter(site__in=sites).select_related("site").order_by("site__name", "name"))
    _history(posts=posts, now=now, reserved=set(reserved_guards))
    _patrols(sites=sites, now=now)
    DeliveryPreference.objects.get_or_create(
        contact=contact,
        defaults={"daily_reports": DarFrequency.DAILY, "incident_reports": True, "monthly_summary": True},
    )
    _documents(client=client, sites=sites, now=now, contact=contact)


def _regular_guards(posts: list[Post]) -> dict[tuple[int, time], int]:
    """Who usually works each post's day and night slot in the seeded fortnight (the history keeps them)."""
    counts: dict[tuple[int, time], Counter[int]] = {}
    for post_id, start, guard_id, zone_name in Shift.objects.filter(post__in=posts).values_list(
        "post_id", "scheduled_start", "guard_id", "post__site__timezone"
    ):
        slot = start.astimezone(zoneinfo.ZoneInfo(zone_name)).time()
        counts.setdefault((post_id, slot), Counter())[guard_id] += 1
    return {key: counter.most_common(1)[0][0] for key, counter in counts.items()}


def _history(*, posts: list[Post], now: datetime, reserved: set[int]) -> None:
    """Worked shifts for the days before the seeded fortnight, with their clock events; bulk, missing ones only."""
    if not posts:
        return
    company_id = posts[0].site.client.company_id
    busy = set(_regular_guards(list(Post.objects.filter(site__client__company_id=company_id))).values())
    stand_ins = iter(
        User.objects.filter(company_id=company_id, role=Role.GUARD, is_active=True)
        .exclude(pk__in=busy | reserved)
        .order_by("username")
        .values_list("pk", flat=True)
    )
    regulars: dict[tuple[int, time], int | None] = {
        key: next(stand_ins, None) if guard_id in reserved else guard_id
        for key, guard_id in sorted(_regular_guards(posts).items())
    }
    existing = set(Shift.objects.filter(post__in=posts).values_list("post_id", "scheduled_start"))
    new: list[Shift] = []
    for post in posts:
        zone = zoneinfo.ZoneInfo(post.site.timezone)
        today = now.astimezone(zone).date()
        centre: Point = post.site.geofence.point_on_surface
        for back in range(HISTORY_DAYS, 7, -1):
            day = today - timedelta(days=back)
            for index, slot in enumerate(SLOTS):
                guard_id = regulars.get((post.pk, slot))
                start = datetime.combine(day, slot, tzinfo=zone).astimezone(UTC)
                if guard_id is None or (post.pk, start) in existing:
                    continue
                variety = (day.toordinal() * 7 + post.pk * 3 + index) % 11
                late = (
                    timedelta(minutes=13, seconds=41) if variety == 3 else -timedelta(minutes=variety % 6, seconds=17)
                )
                clock_in, clock_out = start + late, start + timedelta(hours=SHIFT_HOURS, minutes=variety % 4, seconds=9)
                new.append(
                    Shift(
                        post=post, guard_id=guard_id, scheduled_start=start,
                        scheduled_end=start + timedelta(hours=SHIFT_HOURS), status=ShiftStatus.COMPLETED,
                        clock_in_at=clock_in, clock_in_verified_at=clock_in, clock_in_location=centre,
                        clock_in_accuracy_m=8.0 + variety, clock_out_at=clock_out, clock_out_verified_at=clock_out,
                        clock_out_location=centre, clock_out_accuracy_m=10.0,
                    )
                )  # fmt: skip
    events = []
    for shift in Shift.objects.bulk_create(new):
        for kind, at, where, accuracy in (
            ("in", shift.clock_in_at, shift.clock_in_location, shift.clock_in_accuracy_m),
            ("out", shift.clock_out_at, shift.clock_out_location, shift.clock_out_accuracy_m),
        ):
            if at is not None:
                events.append(ClockEvent(shift=shift, kind=kind, location=where, accuracy_m=accuracy, recorded_at=at,
                                         received_at=at, fence=FenceState.INSIDE, distance_m=0.0))  # fmt: skip
    ClockEvent.objects.bulk_create(events, ignore_conflicts=True)


def _demo_id(kind: str, *parts: object) -> uuid.UUID:
    return uuid.uuid5(uuid.NAMESPACE_URL, f"guardops-demo-{kind}:" + ":".join(map(str, parts)))


def _patrols(*, sites: list[Site], now: datetime) -> None:
    """Activity entries and checkpoint rounds on every finished shift of the last 30 days (ids from the shift)."""
    since = now - timedelta(days=HISTORY_DAYS + 1)
    checkpoints: dict[int, list[Checkpoint]] = {}
    for checkpoint in Checkpoint.objects.filter(site__in=sites, is_active=True).order_by("name"):
        checkpoints.setdefault(checkpoint.site_id, []).append(checkpoint)
    shifts = list(
        Shift.objects.filter(post__site__in=sites, status=ShiftStatus.COMPLETED, scheduled_start__gte=since,
                             scheduled_end__lte=now)
        .select_related("post")
    )  # fmt: skip
    entries: list[ActivityEntry] = []
    scans: list[CheckpointScan] = []
    for shift in shifts:
        begin = shift.clock_in_at or shift.scheduled_start
        for n in range(3):
            at = begin + timedelta(hours=1 + 4 * n, minutes=(shift.pk * 7 + n * 11) % 40, seconds=shift.pk % 60)
            text = ACTIVITY[(shift.pk + 2 * n) % len(ACTIVITY)]
            entries.append(ActivityEntry(id=_demo_id("activity", shift.pk, n), shift=shift, text=text, recorded_at=at,
                                         received_at=at, location=None))  # fmt: skip
        for round_ in range(4):
            for k, checkpoint in enumerate(checkpoints.get(shift.post.site_id, [])):
                if (shift.pk + round_ + k) % 17 == 0:
                    continue  # now and then a checkpoint is missed, as in life
                at = begin + timedelta(hours=3 * round_, minutes=25 + 6 * k, seconds=(shift.pk + k) % 60)
                where = g.point(checkpoint.location.x, checkpoint.location.y, 2.0, -1.5)
                scans.append(CheckpointScan(
                    id=_demo_id("scan", shift.pk, round_, checkpoint.pk), checkpoint=checkpoint,
                    guard_id=shift.guard_id, shift=shift, location=where, accuracy_m=6.0, recorded_at=at,
                    received_at=at, fence=FenceState.INSIDE, distance_m=0.0, distance_to_checkpoint_m=2.5,
                ))  # fmt: skip
    ActivityEntry.objects.bulk_create(entries, ignore_conflicts=True, batch_size=1000)
    CheckpointScan.objects.bulk_create(scans, ignore_conflicts=True, batch_size=1000)


def _documents(*, client: Client, sites: list[Site], now: datetime, contact: User) -> None:
    """The last week's DARs and last month's summary rendered now; the month's older DARs queued for the worker."""
    for site in sites:
        today = now.astimezone(zoneinfo.ZoneInfo(site.timezone)).date()
        for back in range(1, HISTORY_DAYS + 1):
            day = today - timedelta(days=back)
            if back <= RENDERED_DAYS:
                _render_now(
                    DocumentKind.DAILY_ACTIVITY, client=client, site=site, first=day, last=day, contact=contact, now=now
                )
            else:
                document_request(kind=DocumentKind.DAILY_ACTIVITY, client=client, site=site, period_start=day,
                                 period_end=day, requested_by=contact, now=now)  # fmt: skip
    local_today = timezone.localtime(now, zoneinfo.ZoneInfo(client_time_zone(client))).date()
    first, last = month_bounds(local_today.replace(day=1) - timedelta(days=1))
    _render_now(DocumentKind.MONTHLY_CLIENT, client=client, site=None, first=first, last=last, contact=contact, now=now)


def _render_now(
    kind: str, *, client: Client, site: Site | None, first: date, last: date, contact: User, now: datetime
) -> None:
    scope = document_scope_check(kind=kind, client=client, site=site, period_start=first, period_end=last, now=now)
    document, data = document_for_scope(scope=scope, requested_by=contact, now=now, enqueue=False)
    if document.status == DocumentStatus.QUEUED:
        document_render(document_id=document.pk, data=data)
