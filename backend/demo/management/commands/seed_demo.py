"""Load the demo: two security companies with clients, sites, people and two weeks of shifts.

Idempotent: every row is found by its natural key and updated, so running it twice
leaves the same data (shifts already clocked are never rewritten).
"""

from __future__ import annotations

import uuid
import zoneinfo
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth.models import Group, Permission
from django.contrib.gis.geos import Point
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction
from django.utils import timezone

from backend.accounts.models import Company, Role, User
from backend.core.localtime import TIME, local_time
from backend.demo import geometry as g
from backend.demo.calls import calls_demo
from backend.demo.data import COMPANIES, CompanySpec, SiteSpec
from backend.demo.dispatch_demo import dispatch_demo
from backend.demo.documents_demo import documents_demo
from backend.demo.portal_demo import portal_demo
from backend.flags.models import Flag, FlagStatus
from backend.incidents.models import IncidentStatus
from backend.incidents.services import (
    IncidentContent,
    NewIncident,
    incident_approve,
    incident_return_for_correction,
    incident_submit,
    incident_types_seed_defaults,
)
from backend.rules.findings import FlagCode, Severity
from backend.rules.shift_rules import KEY_PREFIX as MONITOR_KEY_PREFIX
from backend.sites.models import Checkpoint, Client, RestrictedZone, Site, Unit
from backend.sites.services import site_assignment_add
from backend.staffing.models import (
    GuardQualification,
    Post,
    PostOrder,
    PostOrderAcknowledgement,
    PostRequirement,
    Shift,
    ShiftStatus,
)
from backend.staffing.services import qualifications_seed_defaults
from backend.tracking.field_services import panic_flags_sync
from backend.tracking.models import FenceState, PanicAlert, Ping
from geofence.fixes import Fix

DAYS_BEFORE = 7
DAYS_AFTER = 7
DAY_SHIFT_START = time(7, 0)
NIGHT_SHIFT_START = time(19, 0)
SHIFT_HOURS = 12
ALWAYS_ON_POSITIONS = 2
"""The first post's day and night slots: always its company's first two guards, who never
miss or skip a shift, so at any hour of the day one named demo guard is on shift."""
MANAGER_GROUP = "Operations managers"
MANAGER_APPS = (
    "sites", "staffing", "accounts", "devices", "tracking", "incidents", "flags", "rules", "calls", "dispatch",
    "documents",
)  # fmt: skip


class Command(BaseCommand):
    help = "Load (or refresh) the GuardOps demo companies, sites, people and shifts."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--now",
            type=datetime.fromisoformat,
            default=None,
            help="Seed as if it were this ISO 8601 instant (with offset), e.g. for tests and screenshots.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        self.now: datetime = options["now"] or timezone.now()
        self.always_on: list[int] = []
        if timezone.is_naive(self.now):
            raise CommandError("--now needs a UTC offset, e.g. 2026-01-15T00:14:00-05:00.")
        with transaction.atomic():
            managers = self._manager_group()
            self._user("admin", ("GuardOps", "Admin"), role=Role.STAFF, company=None, is_staff=True, is_superuser=True)
            for spec in COMPANIES:
                self._company(spec, managers)
            # The client portal's month of history, DARs and summary for client1 (after the reviews it shows).
            documents_demo(now=self.now, reserved_guards=self.always_on)
        self.stdout.write(self.style.SUCCESS("Demo data loaded."))

    def _manager_group(self) -> Group:
        group, _ = Group.objects.get_or_create(name=MANAGER_GROUP)
        group.permissions.set(Permission.objects.filter(content_type__app_label__in=MANAGER_APPS))
        return group

    def _user(self, username: str, name: tuple[str, str], **fields: Any) -> User:
        user, _ = User.objects.update_or_create(
            username=username,
            defaults={
                "first_name": name[0],
                "last_name": name[1],
                "email": f"{username}@demo.guardops.invalid",
                **fields,
            },
        )
        if not user.check_password(settings.DEMO_PASSWORD):
            user.set_password(settings.DEMO_PASSWORD)
            user.save(update_fields=["password"])
        return user

    def _company(self, spec: CompanySpec, managers: Group) -> None:
        company, _ = Company.objects.update_or_create(
            slug=spec.slug, defaults={"name": spec.name, "timezone": spec.timezone}
        )
        incident_types_seed_defaults(company=company)
        prefix = spec.username_prefix
        manager = self._user(
            f"{prefix}manager", spec.manager_name, role=Role.MANAGER, company=company, is_staff=True, is_on_call=True
        )
        manager.groups.add(managers)
        guards = [
            self._user(
                f"{prefix}guard{index}",
                name,
                role=Role.GUARD,
                company=company,
                employee_number=f"{spec.slug[:2].upper()}-{1000 + index}",
            )
            for index, name in enumerate(spec.guard_names, start=1)
        ]
        posts: list[Post] = []
        for client_index, client_spec in enumerate(spec.clients):
            client, _ = Client.objects.update_or_create(
                company=company,
                name=client_spec.name,
                defaults={"billing_email": client_spec.billing_email, "phone": client_spec.phone},
            )
            if client_index < len(spec.client_contact_names):
                self._user(
                    f"{prefix}client{client_index + 1}",
                    spec.client_contact_names[client_index],
                    role=Role.CLIENT_CONTACT,
                    company=company,
                    client=client,
                )
            for site_spec in client_spec.sites:
                posts.extend(self._site(client, site_spec, manager))
        self._shifts(posts, guards)
        attendance_demo(company=company, posts=posts, guards=guards, now=self.now)
        if not prefix:
            self.always_on = [guard.pk for guard in guards[:ALWAYS_ON_POSITIONS]]
            # The console's second role: a site supervisor who sees two of the company's sites.
            supervisor = self._user("supervisor", ("Renata", "Ellis"), role=Role.SUPERVISOR, company=company)
            for site in list({post.site_id: post.site for post in posts}.values())[:2]:
                site_assignment_add(site=site, supervisor=supervisor, by=manager)
            self._live_board(guards[:ALWAYS_ON_POSITIONS])
            reviews_demo(company=company, guards=guards, manager=manager)
            # The client portal for client1: approved reports, a flag shown to the client, concerns.
            portal_demo(manager=manager, now=self.now)
            dispatch_demo(company=company, guards=guards[:ALWAYS_ON_POSITIONS], manager=manager, now=self.now)
        calls_demo(company=company, manager=manager, now=self.now)

    def _site(self, client: Client, spec: SiteSpec, manager: User) -> list[Post]:
        site, _ = Site.objects.update_or_create(
            client=client,
            name=spec.name,
            defaults={
                "street_address": spec.street_address,
                "city": spec.city,
                "region": spec.region,
                "postal_code": spec.postal_code,
                "timezone": spec.timezone,
                "geofence": g.fence(spec.lon, spec.lat, *spec.outlines),
            },
        )
        for unit in spec.units:
            Unit.objects.update_or_create(
                site=site,
                label=unit.label,
                defaults={
                    "kind": unit.kind,
                    "building": unit.building,
                    "unit_number": unit.unit_number,
                    "location": g.point(spec.lon, spec.lat, unit.east_m, unit.north_m),
                },
            )
        for index, (name, east, north, instructions) in enumerate(spec.checkpoints, start=1):
            Checkpoint.objects.update_or_create(
                site=site,
                name=name,
                defaults={
                    "code": f"CP-{site.pk:04d}-{index:02d}",
                    "location": g.point(spec.lon, spec.lat, east, north),
                    "instructions": instructions,
                },
            )
        for name, outline, reason in spec.restricted_zones:
            RestrictedZone.objects.update_or_create(
                site=site,
                name=name,
                defaults={"area": g.outline_polygon(spec.lon, spec.lat, outline), "reason": reason},
            )
        posts = []
        for name, description, must_be_staffed in spec.posts:
            post, _ = Post.objects.update_or_create(
                site=site, name=name, defaults={"description": description, "must_be_staffed": must_be_staffed}
            )
            self._post_orders(post, manager)
            posts.append(post)
        return posts

    def _post_orders(self, post: Post, manager: User) -> None:
        now = self.now
        versions = [
            (1, "Standing orders", _orders_text(post, revised=False), now - timedelta(days=30)),
        ]
        if post.must_be_staffed:
            versions.append((2, "Standing orders (revised)", _orders_text(post, revised=True), now - timedelta(days=2)))
        for version, title, body, published_at in versions:
            PostOrder.objects.get_or_create(
                post=post,
                version=version,
                defaults={"title": title, "body": body, "published_at": published_at, "published_by": manager},
            )

    def _shifts(self, posts: list[Post], guards: list[User]) -> None:
        """Two 12-hour shifts a day per post; regulars keep their slot, relief covers days off.

        The first ALWAYS_ON_POSITIONS slots take no days off and are always worked.
        """
        positions = [(post, slot) for post in posts for slot in (DAY_SHIFT_START, NIGHT_SHIFT_START)]
        regulars = guards[: len(positions)]
        relief = guards[len(positions) :]
        now = self.now
        today = timezone.localdate(now)
        for day_offset in range(-DAYS_BEFORE, DAYS_AFTER + 1):
            day = today + timedelta(days=day_offset)
            relief_left = list(relief)
            for position_index, (post, slot) in enumerate(positions):
                guard = regulars[position_index] if position_index < len(regulars) else None
                is_day_off = (
                    len(relief) > 0
                    and position_index >= ALWAYS_ON_POSITIONS
                    and (day.toordinal() + position_index) % 8 == 0
                )
                if guard is None or is_day_off:
                    if not relief_left:
                        continue
                    guard = relief_left.pop(0)
                self._shift(post, guard, day, slot, now, position_index)

    def _shift(self, post: Post, guard: User, day: date, slot: time, now: datetime, position_index: int) -> None:
        site_zone = zoneinfo.ZoneInfo(post.site.timezone)
        starts_at = datetime.combine(day, slot, tzinfo=site_zone).astimezone(zoneinfo.ZoneInfo("UTC"))
        ends_at = starts_at + timedelta(hours=SHIFT_HOURS)
        shift, created = Shift.objects.get_or_create(
            post=post, scheduled_start=starts_at, defaults={"guard": guard, "scheduled_end": ends_at}
        )
        if not created and shift.clock_in_at is None and shift.guard_id != guard.pk:
            shift.guard = guard
            shift.save(update_fields=["guard", "updated_at"])
        if shift.clock_in_at is not None or starts_at > now:
            return
        # Deterministic variety: most guards arrive a few minutes early, some late, one in
        # five current shifts not clocked in yet (what the no-show monitor will look at).
        variety = (day.toordinal() * 7 + position_index * 3) % 11
        if position_index < ALWAYS_ON_POSITIONS:
            variety = 4  # on time, 4 minutes early
        if ends_at > now and variety % 5 == 0:
            return
        late_minutes = 14 if variety == 3 else -(variety % 6)
        if starts_at + timedelta(minutes=late_minutes) > now:
            return  # the late arrival has not happened yet
        centre: Point = post.site.geofence.point_on_surface
        shift.clock_in_at = starts_at + timedelta(minutes=late_minutes)
        shift.clock_in_location = centre
        shift.clock_in_accuracy_m = 8.0 + variety
        shift.status = ShiftStatus.IN_PROGRESS
        if ends_at <= now:
            shift.clock_out_at = ends_at + timedelta(minutes=variety % 4)
            shift.clock_out_location = centre
            shift.clock_out_accuracy_m = 10.0
            shift.status = ShiftStatus.COMPLETED
        shift.save()
        order = post.post_orders.order_by("version").first()
        if order is not None:
            PostOrderAcknowledgement.objects.get_or_create(
                post_order=order, guard=guard, defaults={"acknowledged_at": shift.clock_in_at - timedelta(minutes=5)}
            )

    # --- Live board (console /console/live): a guard out of position right now, and a panic ---

    def _live_board(self, always_on: list[User]) -> None:
        """The always-on guard on shift now: breadcrumbs for the last hour, the last 20 minutes
        250 m outside the fence (out of position right now), and a panic alert pressed 4 minutes
        ago that nobody has acknowledged yet. Ids are derived from the shift, so a re-seed adds
        only the minutes since the last one and never a second alert."""
        now = self.now
        shift = (
            Shift.objects.filter(guard__in=always_on, status=ShiftStatus.IN_PROGRESS, scheduled_end__gt=now)
            .select_related("guard", "post__site")
            .order_by("scheduled_start")
            .first()
        )
        if shift is None:
            return
        if not shift.guard.phone:
            shift.guard.phone = "+1 404 555 0199"
            shift.guard.save(update_fields=["phone"])
        centre: Point = shift.post.site.geofence.point_on_surface
        outside = g.point(centre.x, centre.y, 250, 0)
        outside_m = 200.0  # about: the fence is some 50 m from the centre on that side
        minute = now.replace(second=0, microsecond=0)
        pings = []
        for ago in range(60, -1, -1):
            moment = minute - timedelta(minutes=ago)
            if moment < (shift.clock_in_at or shift.scheduled_start):
                continue
            away = ago <= 20
            where = outside if away else g.point(centre.x, centre.y, 30 * ((ago % 5) - 2), 20 * ((ago % 3) - 1))
            pings.append(
                Ping(
                    id=uuid.uuid5(uuid.NAMESPACE_URL, f"guardops-demo-ping:{shift.pk}:{moment.isoformat()}"),
                    shift=shift, location=where, accuracy_m=9.0, recorded_at=moment, received_at=moment,
                    fence=FenceState.OUTSIDE if away else FenceState.INSIDE, distance_m=outside_m if away else 0.0,
                )
            )  # fmt: skip
        Ping.objects.bulk_create(pings, ignore_conflicts=True)
        pressed = now - timedelta(minutes=4)
        alert_id = uuid.uuid5(uuid.NAMESPACE_URL, f"guardops-demo-panic:{shift.pk}")
        _, created = PanicAlert.objects.get_or_create(
            pk=alert_id,
            defaults={
                "guard": shift.guard, "shift": shift, "location": outside, "accuracy_m": 9.0,
                "recorded_at": pressed, "received_at": pressed, "fence": FenceState.OUTSIDE, "distance_m": outside_m,
            },
        )  # fmt: skip
        if created:
            panic_flags_sync(shift=shift)


def _orders_text(post: Post, *, revised: bool) -> str:
    lines = [
        f"Post: {post.name} at {post.site.name}, {post.site.street_address}.",
        "1. Clock in with the GuardOps app inside the property; your position is recorded.",
        "2. Wear the issued uniform and badge at all times.",
        f"3. Duties: {post.description}",
        "4. Any fire, police or EMS presence on site is reported in an incident report,"
        " with the emergency section filled in.",
        "5. Name the building and unit in every report; never guess an address.",
        "6. Client complaints go to the operations manager on call, not to the client's tenants.",
    ]
    if revised:
        lines.append("7. (Revised) Visitors must show photo ID; log the plate of every vehicle admitted after 22:00.")
    return "\n".join(lines)


# --- Attendance area: qualifications and a no-show today (the console's attendance pages) ---


def attendance_demo(*, company: Company, posts: list[Post], guards: list[User], now: datetime) -> None:
    """Every guard licensed; the first guard's CPR expiring in 20 days at a post that needs it;
    the second post needing fire watch that its guards lack; today's first unclocked shift a no-show."""
    qualifications = {q.code: q for q in qualifications_seed_defaults(company=company)}
    today = timezone.localdate(now)
    for guard in guards:
        GuardQualification.objects.get_or_create(
            guard=guard,
            qualification=qualifications["state-guard-licence"],
            defaults={"issued_on": today - timedelta(days=700), "expires_on": today + timedelta(days=400)},
        )
    if guards:
        GuardQualification.objects.get_or_create(
            guard=guards[0],
            qualification=qualifications["cpr-first-aid"],
            defaults={"issued_on": today - timedelta(days=710), "expires_on": today + timedelta(days=20)},
        )
    for post, codes in zip(posts, (("state-guard-licence", "cpr-first-aid"), ("fire-watch",)), strict=False):
        for code in codes:
            PostRequirement.objects.get_or_create(post=post, qualification=qualifications[code])
    no_show = (
        Shift.objects.filter(
            post__in=posts,
            status=ShiftStatus.SCHEDULED,
            clock_in_at__isnull=True,
            scheduled_start__lte=now,
            scheduled_end__gt=now,
        )
        .select_related("guard", "post__site")
        .order_by("scheduled_start", "pk")
        .first()
    )
    if no_show is not None:
        Flag.objects.get_or_create(
            shift=no_show,
            code=FlagCode.NO_SHOW,
            key=f"{MONITOR_KEY_PREFIX}no-show",
            status=FlagStatus.OPEN,
            defaults={
                "company": company,
                "severity": Severity.CRITICAL,
                "message": f"{no_show.guard} has not clocked in at {no_show.post.site.name} "
                f"({no_show.post.name}); the shift began at "
                f"{local_time(no_show.scheduled_start, no_show.post.site.timezone, TIME)}.",
                "raised_at": no_show.scheduled_start + timedelta(minutes=15),
            },
        )


# --- Review queue (console /console/reports): reports in every state, with realistic flags ---


@dataclass(frozen=True)
class DemoReport:
    key: str
    type_code: str
    hours_into_shift: int
    narrative: str
    location_detail: str
    east_m: float = 0.0
    """Where the phone said it was, metres east of the site's centre."""
    unit_label: str = ""


DEMO_REPORTS = (
    DemoReport(
        "outside-fence",
        "trespass",
        3,
        "At 22:10 I saw two men climb the fence behind Building C and walk toward the pool. I told them "
        "the property is private and they left through the main gate. I walked the fence line and found no damage.",
        "Fence behind Building C",
        east_m=2600.0,  # filed 2.4 km beyond the fence: the guard wrote it up after leaving the site
    ),
    DemoReport(
        "smoke-dumpster",
        "fire_alarm",
        5,
        "Smoke in the dumpster by the resident lot at 23:40. I called 911 and kept residents back. "
        "The fire department came and put it out with a hose, then left at 00:15.",
        "Dumpster enclosure by the resident lot",
    ),
    DemoReport(
        "returned-theft",
        "theft",
        2,
        "A resident told me a bicycle was taken from the rack at Building A between 18:00 and 20:00. "
        "I checked the rack and the lock had been cut.",
        "Bicycle rack, Building A",
    ),
    DemoReport(
        "approved-noise",
        "noise",
        4,
        "At 23:05 a resident complained about loud music from Building B, Unit 203. I knocked and asked the "
        "tenant to turn it down; the music stopped and the tenant apologised.",
        "Building B, second floor",
        unit_label="Building B, Unit 203",
    ),
)
RETURN_COMMENT = (
    "Please add who reported the theft (name and unit) and a description of the bicycle, "
    "so the client can pass it to the police."
)


def reviews_demo(*, company: Company, guards: list[User], manager: User) -> None:
    """File DEMO_REPORTS on the first post's oldest completed shifts through incident_submit (so the
    rules raise their real flags), then return one to its guard and have the manager approve one.
    Report ids derive from the shift, so a re-seed replays them instead of filing new ones."""
    shifts = list(
        Shift.objects.filter(guard__in=guards[:ALWAYS_ON_POSITIONS], status=ShiftStatus.COMPLETED)
        .select_related("post__site")
        .order_by("scheduled_start", "pk")[: len(DEMO_REPORTS)]
    )
    for spec, shift in zip(DEMO_REPORTS, shifts, strict=False):
        assert shift.clock_in_at is not None  # noqa: S101 - completed shifts were clocked in
        site = shift.post.site
        centre: Point = site.geofence.point_on_surface
        where = g.point(centre.x, centre.y, spec.east_m, 0)
        occurred_at = shift.clock_in_at + timedelta(hours=spec.hours_into_shift)
        unit = Unit.objects.filter(site=site, label=spec.unit_label).first() if spec.unit_label else None
        content = IncidentContent(
            type_code=spec.type_code,
            occurred_at=occurred_at,
            narrative=spec.narrative,
            location_detail=spec.location_detail,
            position=Fix(recorded_at=occurred_at, lon=where.x, lat=where.y, accuracy_m=9.0),
            unit_id=unit.pk if unit is not None else None,
        )
        report_id = uuid.uuid5(uuid.NAMESPACE_URL, f"guardops-demo-report:{shift.pk}:{spec.key}")
        outcome = incident_submit(guard=shift.guard, data=NewIncident(id=report_id, shift_id=shift.pk, content=content))
        if not outcome.created or outcome.report.status != IncidentStatus.SUBMITTED:
            continue
        if spec.key == "returned-theft":
            incident_return_for_correction(report=outcome.report, reviewer=manager, comment=RETURN_COMMENT)
        elif spec.key == "approved-noise":
            incident_approve(
                report=outcome.report,
                by=manager,
                note="Resolved on the spot; no follow-up needed.",
                confirm_open_critical=True,
            )
