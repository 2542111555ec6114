"""Service requests (an escort, a lockout, an alarm response...), their security callbacks and timeline.

A request comes in from a client (by phone to the console today, the portal later),
is gated by security callbacks before a guard is sent (a callback must reach a person:
voicemail does not count), is dispatched to a guard on shift, and is accepted, arrived
at and completed by that guard through the mobile API. Callback attempts and timeline
events are append-only evidence.

A request taken during a client call points at that call (`call`), so the call log shows
what the caller asked for and the request shows who asked and how.
"""

from __future__ import annotations

import uuid
from typing import ClassVar

from django.conf import settings
from django.contrib.gis.db import models as gis_models
from django.db import models
from django.db.models import Q

from backend.core.models import TenantModel, paths_through_site
from backend.incidents.models import StoredPhoto
from backend.sites.models import WGS84


class RequestKind(models.TextChoices):
    ESCORT = "escort", "Escort"
    LOCKOUT = "lockout", "Lockout"
    ALARM_RESPONSE = "alarm_response", "Alarm response"
    PATROL_CHECK = "patrol_check", "Patrol check"
    OTHER = "other", "Other"


class Priority(models.TextChoices):
    P1 = "P1", "P1 · urgent"
    P2 = "P2", "P2 · soon"
    P3 = "P3", "P3 · routine"


class Source(models.TextChoices):
    PHONE = "phone", "Phone call"
    PORTAL = "portal", "Client portal"
    CONSOLE = "console", "Entered in the console"


# new -> callback_pending (the gate is closed) -> ready -> dispatched -> accepted -> arrived -> completed;
# any open status -> cancelled. (A comment, not a docstring: the OpenAPI document would carry it.)
class RequestStatus(models.TextChoices):
    NEW = "new", "New"
    CALLBACK_PENDING = "callback_pending", "Callback pending"
    READY = "ready", "Ready to dispatch"
    DISPATCHED = "dispatched", "Dispatched"
    ACCEPTED = "accepted", "Accepted"
    ARRIVED = "arrived", "Guard on scene"
    COMPLETED = "completed", "Completed"
    CANCELLED = "cancelled", "Cancelled"


OPEN_STATUSES = (
    RequestStatus.NEW,
    RequestStatus.CALLBACK_PENDING,
    RequestStatus.READY,
    RequestStatus.DISPATCHED,
    RequestStatus.ACCEPTED,
    RequestStatus.ARRIVED,
)
UNDISPATCHED_STATUSES = (RequestStatus.NEW, RequestStatus.CALLBACK_PENDING, RequestStatus.READY)
WITH_GUARD_STATUSES = (
    RequestStatus.DISPATCHED,
    RequestStatus.ACCEPTED,
    RequestStatus.ARRIVED,
    RequestStatus.COMPLETED,
)


class CallbackOutcome(models.TextChoices):
    REACHED = "reached", "Reached a person"
    VOICEMAIL = "voicemail", "Voicemail"
    NO_ANSWER = "no_answer", "No answer"
    WRONG_NUMBER = "wrong_number", "Wrong number"
    REFUSED = "refused", "Refused"


class CallbackPhase(models.TextChoices):
    BEFORE_DISPATCH = "before_dispatch", "Before dispatch"
    ON_ARRIVAL = "on_arrival", "On arrival"


class DispatchPolicy(TenantModel):
    """A company's callback policy for one kind of request (defaults in dispatch/policy.py when there is no row)."""

    TENANT_PATH: ClassVar[str] = "company"

    company = models.ForeignKey("accounts.Company", on_delete=models.CASCADE, related_name="dispatch_policies")
    kind = models.CharField(max_length=20, choices=RequestKind.choices)
    callback_before_dispatch = models.BooleanField(
        help_text="Every request of this kind needs a callback that reaches a person before a guard is sent."
    )
    callback_on_arrival = models.BooleanField(
        help_text="Double callback: the guard calls again on arrival, before leaving the car."
    )

    class Meta:
        ordering = ("company", "kind")
        constraints = [models.UniqueConstraint(fields=("company", "kind"), name="dispatch_policy_once_per_kind")]

    def __str__(self) -> str:
        return f"{self.company}: {self.get_kind_display()}"


# A step's target is a whole number of minutes up to a day.
TIMER_TARGET_MAX_MIN = 24 * 60


class TimerTarget(TenantModel):
    """How long each step of a request of one priority may take at a company, in minutes: a step
    past its target is late on the live board. Every company starts with the defaults of
    dispatch/policy.py (one row per priority); its managers change them in the console."""

    TENANT_PATH: ClassVar[str] = "company"

    company = models.ForeignKey("accounts.Company", on_delete=models.CASCADE, related_name="dispatch_timer_targets")
    priority = models.CharField(max_length=2, choices=Priority.choices)
    dispatch_min = models.PositiveSmallIntegerField(help_text="From the request coming in to a guard sent.")
    accept_min = models.PositiveSmallIntegerField(help_text="From the guard sent to the guard's accept.")
    arrive_min = models.PositiveSmallIntegerField(help_text="From the guard sent to the guard on scene.")
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ("company", "priority")
        constraints = [
            models.UniqueConstraint(fields=("company", "priority"), name="timer_target_once_per_priority"),
            models.CheckConstraint(
                condition=Q(priority__in=[choice.value for choice in Priority]), name="timer_target_priority_known"
            ),
            models.CheckConstraint(
                condition=Q(dispatch_min__range=(1, TIMER_TARGET_MAX_MIN))
                & Q(accept_min__range=(1, TIMER_TARGET_MAX_MIN))
                & Q(arrive_min__range=(1, TIMER_TARGET_MAX_MIN)),
                name="timer_target_minutes_in_range",
            ),
            # Both are counted from the dispatch: arriving cannot be due before accepting.
            models.CheckConstraint(
                condition=Q(arrive_min__gte=models.F("accept_min")), name="timer_target_arrive_after_accept"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.company}: {self.priority} targets"


class SiteDispatchPolicy(TenantModel):
    """A site where every dispatched request needs the double callback on arrival, whatever its kind."""

    TENANT_PATH, CLIENT_PATH, SITE_PATH = paths_through_site("site")

    site = models.OneToOneField("sites.Site", on_delete=models.CASCADE, related_name="dispatch_policy")
    callback_on_arrival = models.BooleanField(default=True)

    def __str__(self) -> str:
        return f"{self.site}: double callback {'on' if self.callback_on_arrival else 'off'}"


class ServiceRequest(TenantModel):
    """A client's request for a guard to do something at a site, from intake to completion.

    The company and the client are the site's (paths_through_site), so the three can
    never disagree. Each step's time is kept; `second_callback_required` is decided
    when the request is dispatched, so the guard's phone and the dispatcher read one answer.
    """

    TENANT_PATH, CLIENT_PATH, SITE_PATH = paths_through_site("site")

    site = models.ForeignKey("sites.Site", on_delete=models.PROTECT, related_name="service_requests")
    kind = models.CharField(max_length=20, choices=RequestKind.choices)
    source = models.CharField(max_length=10, choices=Source.choices, default=Source.PHONE)
    call = models.ForeignKey(
        "calls.Call", on_delete=models.PROTECT, null=True, blank=True, related_name="service_requests"
    )
    priority = models.CharField(max_length=2, choices=Priority.choices, default=Priority.P2)
    status = models.CharField(max_length=20, choices=RequestStatus.choices, default=RequestStatus.NEW)
    # Where on the site: a unit of the address registry, or words when it has none.
    unit = models.ForeignKey("sites.Unit", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    location_text = models.CharField(max_length=200, blank=True)
    # Who asked: one of the client's contacts, or a name; and where to call them back.
    requester_contact = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    requester_name = models.CharField(max_length=120, blank=True)
    callback_number = models.CharField(max_length=32)
    callback_digits = models.CharField(max_length=32, editable=False, help_text="The number's digits, to compare.")
    notes = models.TextField(blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    suspicious = models.BooleanField(default=False)
    suspicious_reason = models.TextField(blank=True)
    marked_suspicious_at = models.DateTimeField(null=True, blank=True)
    marked_suspicious_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    guard = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="dispatches"
    )
    shift = models.ForeignKey(
        "staffing.Shift", on_delete=models.PROTECT, null=True, blank=True, related_name="dispatches"
    )
    dispatch_reason = models.TextField(blank=True, help_text="Why a guard of another site was sent.")
    second_callback_required = models.BooleanField(default=False)
    dispatched_at = models.DateTimeField(null=True, blank=True)
    dispatched_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    accepted_at = models.DateTimeField(null=True, blank=True)
    arrived_at = models.DateTimeField(null=True, blank=True)
    arrival_location = gis_models.PointField(geography=True, srid=WGS84, null=True, blank=True)
    arrival_accuracy_m = models.FloatField(null=True, blank=True)
    arrival_distance_m = models.FloatField(
        null=True, blank=True, help_text="Metres from the unit's point, or outside the site's fence (0 inside)."
    )
    completed_at = models.DateTimeField(null=True, blank=True)
    completion_note = models.TextField(blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    cancelled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    cancel_reason = models.TextField(blank=True)

    class Meta:
        ordering = ("-created_at", "-pk")
        indexes = [
            models.Index(fields=("site", "status"), name="service_request_site_status"),
            models.Index(fields=("guard", "status"), name="service_request_guard_status"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=[choice.value for choice in RequestStatus]), name="service_request_status_known"
            ),
            models.CheckConstraint(
                condition=Q(kind__in=[choice.value for choice in RequestKind]), name="service_request_kind_known"
            ),
            models.CheckConstraint(
                condition=Q(requester_contact__isnull=False) | ~Q(requester_name=""),
                name="service_request_has_requester",
            ),
            # Sent to a guard means a guard, a shift and a time; never sent means none of them.
            models.CheckConstraint(
                condition=Q(
                    status__in=[s.value for s in WITH_GUARD_STATUSES],
                    guard__isnull=False,
                    shift__isnull=False,
                    dispatched_at__isnull=False,
                )
                | ~Q(status__in=[s.value for s in WITH_GUARD_STATUSES]),
                name="service_request_dispatched_has_guard",
            ),
            models.CheckConstraint(
                condition=~Q(status__in=["accepted", "arrived", "completed"]) | Q(accepted_at__isnull=False),
                name="service_request_accepted_has_time",
            ),
            models.CheckConstraint(
                condition=~Q(status__in=["arrived", "completed"]) | Q(arrived_at__isnull=False),
                name="service_request_arrived_has_time",
            ),
            models.CheckConstraint(
                condition=~Q(status="completed") | Q(completed_at__isnull=False),
                name="service_request_completed_has_time",
            ),
            models.CheckConstraint(
                condition=~Q(status="cancelled") | Q(cancelled_at__isnull=False),
                name="service_request_cancelled_has_time",
            ),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.get_kind_display()} at {self.site}"

    @property
    def requester(self) -> str:
        if self.requester_contact is not None:
            return str(self.requester_contact)
        return self.requester_name

    @property
    def where(self) -> str:
        return self.unit.label if self.unit is not None else self.location_text


class CallbackAttempt(TenantModel):
    """One security callback: who dialled which number when, and what came of it (append-only).

    `id` is the phone's UUID for a guard's callback on arrival (the idempotency key).
    """

    TENANT_PATH, CLIENT_PATH, SITE_PATH = paths_through_site("request__site")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4)
    request = models.ForeignKey(ServiceRequest, on_delete=models.PROTECT, related_name="callbacks")
    at = models.DateTimeField()
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    number_dialled = models.CharField(max_length=32)
    outcome = models.CharField(max_length=20, choices=CallbackOutcome.choices)
    phase = models.CharField(max_length=20, choices=CallbackPhase.choices)
    note = models.TextField(blank=True)

    class Meta:
        ordering = ("at", "created_at")
        constraints = [
            models.CheckConstraint(
                condition=Q(outcome__in=[choice.value for choice in CallbackOutcome]), name="callback_outcome_known"
            ),
            models.CheckConstraint(
                condition=Q(phase__in=[choice.value for choice in CallbackPhase]), name="callback_phase_known"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number_dialled}: {self.get_outcome_display()}"


class EventKind(models.TextChoices):
    CREATED = "created", "Request taken"
    CALLBACK = "callback", "Callback"
    MARKED_SUSPICIOUS = "marked_suspicious", "Marked suspicious"
    DISPATCHED = "dispatched", "Dispatched"
    ACCEPTED = "accepted", "Accepted by the guard"
    ARRIVED = "arrived", "Guard arrived"
    SECOND_CALLBACK = "second_callback", "Callback on arrival"
    COMPLETED = "completed", "Completed"
    CANCELLED = "cancelled", "Cancelled"


class RequestEvent(TenantModel):
    """One line of a request's timeline, written by the service that made the step (append-only)."""

    TENANT_PATH, CLIENT_PATH, SITE_PATH = paths_through_site("request__site")

    request = models.ForeignKey(ServiceRequest, on_delete=models.PROTECT, related_name="events")
    at = models.DateTimeField()
    kind = models.CharField(max_length=20, choices=EventKind.choices)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    text = models.TextField()

    class Meta:
        ordering = ("at", "pk")
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=[choice.value for choice in EventKind]), name="request_event_kind_known"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.text[:60]}"


class DispatchPhoto(StoredPhoto):
    """A photo the guard took on scene and sent with the completion: kept like a report's photo
    (see StoredPhoto: the original with its SHA-256 as evidence, a clean copy for screens).
    `id` is the phone's UUID (the idempotency key). Append-only."""

    TENANT_PATH, CLIENT_PATH, SITE_PATH = paths_through_site("request__site")

    id = models.UUIDField(primary_key=True)
    request = models.ForeignKey(ServiceRequest, on_delete=models.PROTECT, related_name="photos")
    taken_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ("created_at", "pk")
        constraints = [models.UniqueConstraint(fields=("request", "sha256"), name="dispatch_photo_once_per_request")]

    def __str__(self) -> str:
        return f"Photo {self.sha256[:12]} of request {self.request_id}"

    def storage_folder(self) -> str:
        return f"dispatch/{self.request_id}/{self.pk}"
