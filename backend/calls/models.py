"""The client call log: disposition codes, calls handled by the SOP's steps, and follow-ups.

A call is one conversation with a client, whatever the channel: a phone call logged by a
manager, an e-mail, or (later) a complaint raised in the portal (`channel = portal`, the
caller the signed-in contact). A dispatched service request (a later app above this one)
points at the call it came from with its own foreign key; a disposition code marked
`chargeable` says such a request is billed.
"""

from __future__ import annotations

from typing import Any, ClassVar

from django.conf import settings
from django.db import models
from django.db.models import Q

from backend.core.models import TenantModel
from backend.core.tenancy import TenantQuerySet


class ReasonGroup(models.TextChoices):
    GUARD_PERFORMANCE = "guard_performance", "Guard performance"
    REPORT = "report", "Report"
    BILLING = "billing", "Billing"
    REQUEST = "request", "Request"
    PRAISE = "praise", "Praise"
    OTHER = "other", "Other"


class DispositionCode(TenantModel):
    """One entry of a company's disposition catalogue: why a call came in and what it needs.

    A code a call has used is never edited or deleted (the calls' meaning would change
    under them): it is retired, and stays readable on the calls that carry it.
    """

    TENANT_PATH: ClassVar[str] = "company"

    company = models.ForeignKey("accounts.Company", on_delete=models.CASCADE, related_name="disposition_codes")
    reason_group = models.CharField(max_length=20, choices=ReasonGroup.choices)
    code = models.SlugField(max_length=40)
    label = models.CharField(max_length=120)
    comment_required = models.BooleanField(default=False, help_text="Closing needs a disposition comment.")
    follow_up_required = models.BooleanField(default=False, help_text="Closing needs a follow-up task.")
    chargeable = models.BooleanField(default=False, help_text="A service request under this code is billed.")
    retired_at = models.DateTimeField(null=True, blank=True)
    retired_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ("reason_group", "label")
        constraints = [
            models.UniqueConstraint(fields=("company", "code"), name="disposition_code_unique_per_company"),
            models.CheckConstraint(
                condition=Q(reason_group__in=[choice.value for choice in ReasonGroup]),
                name="disposition_reason_group_known",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_reason_group_display()}: {self.label}"

    @property
    def is_active(self) -> bool:
        return self.retired_at is None


class ClientGreeting(TenantModel):
    """The line a manager opens a call from this client with (the SOP's "greet")."""

    TENANT_PATH: ClassVar[str] = "client__company"
    CLIENT_PATH: ClassVar[str] = "client"

    client = models.OneToOneField("sites.Client", on_delete=models.CASCADE, related_name="call_greeting")
    script = models.TextField()
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    def __str__(self) -> str:
        return f"Greeting for {self.client}"


class CallChannel(models.TextChoices):
    PHONE = "phone", "Phone"
    PORTAL = "portal", "Portal"
    EMAIL = "email", "E-mail"


class CallStatus(models.TextChoices):
    OPEN = "open", "Open"
    CLOSED = "closed", "Closed"


class Call(TenantModel):
    """One client call, its SOP steps in order, and what it is about (a site, a shift, a report).

    The caller is a client contact of the call's client (verified: they may hear guard
    names and report contents) or an unknown caller's name and number (not verified:
    they may not). A closed call is evidence: it is never edited again; a correction is
    a CallNote.
    """

    TENANT_PATH: ClassVar[str] = "company"
    CLIENT_PATH: ClassVar[str] = "client"
    # A call on no site yet is read through its client (see calls.selectors.calls_visible).
    SITE_PATH: ClassVar[str] = "site"

    # The company is kept on the call (it is also the client's) so the log and its insights
    # read one indexed column.
    company = models.ForeignKey("accounts.Company", on_delete=models.PROTECT, related_name="calls")
    client = models.ForeignKey("sites.Client", on_delete=models.PROTECT, related_name="calls")
    channel = models.CharField(max_length=10, choices=CallChannel.choices, default=CallChannel.PHONE)
    status = models.CharField(max_length=10, choices=CallStatus.choices, default=CallStatus.OPEN)

    caller_contact = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="calls_made"
    )
    caller_name = models.CharField(max_length=200, blank=True)
    caller_number = models.CharField(max_length=32, blank=True)
    caller_verified = models.BooleanField(default=False)
    caller_verified_at = models.DateTimeField(null=True, blank=True)

    greeting = models.TextField(blank=True, help_text="The script line the call was opened with.")
    caller_words = models.TextField(blank=True, help_text="What the caller said, in their words.")
    advice = models.TextField(blank=True)
    reassurance = models.TextField(blank=True)
    disposition = models.ForeignKey(
        DispositionCode, on_delete=models.PROTECT, null=True, blank=True, related_name="calls"
    )
    disposition_comment = models.TextField(blank=True)
    summary = models.TextField(blank=True, help_text="The documentation, read back to the caller at the close.")
    follow_up_promise = models.TextField(blank=True)

    site = models.ForeignKey("sites.Site", on_delete=models.PROTECT, null=True, blank=True, related_name="calls")
    shift = models.ForeignKey("staffing.Shift", on_delete=models.PROTECT, null=True, blank=True, related_name="calls")
    incident = models.ForeignKey(
        "incidents.IncidentReport", on_delete=models.PROTECT, null=True, blank=True, related_name="calls"
    )

    # Set at the close: the flag (not dismissed by then) the rules raised in the 24 hours before
    # the call on its site, or on any site of its client when it names none. A call with one
    # was "preventable": its cause was on the console before the phone rang.
    prior_flag = models.ForeignKey(
        "flags.Flag", on_delete=models.SET_NULL, null=True, blank=True, editable=False, related_name="+"
    )

    opened_at = models.DateTimeField()
    opened_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="calls_opened")
    closed_at = models.DateTimeField(null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="calls_closed"
    )

    class Meta:
        ordering = ("-opened_at", "-pk")
        indexes = [
            # Covers the insights' aggregate: an index-only scan of the window.
            models.Index(
                fields=("company", "opened_at"),
                include=("client", "site", "disposition", "prior_flag"),
                name="call_company_opened_idx",
            ),
            models.Index(fields=("client", "opened_at"), name="call_client_opened_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(channel__in=[choice.value for choice in CallChannel]), name="call_channel_known"
            ),
            # Closed exactly when someone closed it, at a time, with a disposition.
            models.CheckConstraint(
                condition=Q(status=CallStatus.OPEN, closed_at__isnull=True, closed_by__isnull=True)
                | Q(
                    status=CallStatus.CLOSED,
                    closed_at__isnull=False,
                    closed_by__isnull=False,
                    disposition__isnull=False,
                ),
                name="call_closed_has_disposition",
            ),
            # Only a known contact is verified on the phone; the portal's caller signed in.
            models.CheckConstraint(
                condition=Q(caller_verified=False) | Q(caller_contact__isnull=False), name="call_verified_is_a_contact"
            ),
        ]

    def __str__(self) -> str:
        return f"Call from {self.caller_display} ({self.client}) at {self.opened_at:%Y-%m-%d %H:%M}"

    @property
    def caller_display(self) -> str:
        if self.caller_contact_id is not None and self.caller_contact is not None:
            return str(self.caller_contact)
        return self.caller_name or "unknown caller"

    @property
    def is_open(self) -> bool:
        return self.status == CallStatus.OPEN


class CallNote(TenantModel):
    """A note added to a call, the only change a closed call takes (a correction, a later fact)."""

    TENANT_PATH: ClassVar[str] = "call__company"
    CLIENT_PATH: ClassVar[str] = "call__client"
    SITE_PATH: ClassVar[str] = "call__site"

    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="notes")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    text = models.TextField()

    class Meta:
        ordering = ("created_at", "pk")

    def __str__(self) -> str:
        return f"Note on call {self.call_id} by {self.author}"


class FollowUp(TenantModel):
    """A task a call promised: who does it, by when, and when it was done."""

    TENANT_PATH: ClassVar[str] = "call__company"
    CLIENT_PATH: ClassVar[str] = "call__client"
    SITE_PATH: ClassVar[str] = "call__site"

    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="follow_ups")
    # The call's company, copied on save so the insights' median-to-close reads one index
    # of the follow-ups alone (see calls/insights.py); scoping still goes through the call.
    company = models.ForeignKey("accounts.Company", on_delete=models.PROTECT, related_name="+", editable=False)
    due_at = models.DateTimeField()
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="follow_ups")
    note = models.TextField()
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    done_at = models.DateTimeField(null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    done_note = models.TextField(blank=True)

    class Meta:
        ordering = ("due_at", "pk")
        indexes = [
            models.Index(fields=("due_at",), condition=Q(done_at__isnull=True), name="followup_open_due_idx"),
            # The insights' median time to close: an index-only scan of the window's done follow-ups.
            models.Index(
                fields=("company", "done_at"),
                include=("created_at",),
                condition=Q(done_at__isnull=False),
                name="followup_company_done_idx",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(done_at__isnull=True, done_by__isnull=True)
                | Q(done_at__isnull=False, done_by__isnull=False),
                name="followup_done_by_someone",
            ),
        ]

    def __str__(self) -> str:
        return f"Follow-up of call {self.call_id} due {self.due_at:%Y-%m-%d %H:%M}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        # Always the call's company: the copy can never name another tenant.
        self.company_id = self.call.company_id
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "company" not in update_fields:
            kwargs["update_fields"] = [*update_fields, "company"]
        super().save(*args, **kwargs)

    @property
    def is_done(self) -> bool:
        return self.done_at is not None


class CallTally(models.Model):
    """Calls per company, client, week and disposition code, and how many were preventable: what
    the insights read instead of every call (calls/insights.py).

    Kept by statement-level triggers on calls_call (created by the migration that adds this
    table), in the same transaction as the change, whatever writes the call: the services, the
    demo's bulk insert, a portal concern, a raw INSERT. A change nets out per key, so an edit of
    a call's text writes nothing here; a new call or a close updates its key's row, which stays
    locked until that transaction commits (calls of one client and week wait milliseconds on
    each other). `week` is the Monday of the call's week on the company's clock, `zone` that
    clock: when a company's time zone changes its tally is recounted (calls/signals.py).
    """

    TENANT_PATH: ClassVar[str] = "company"

    company = models.ForeignKey("accounts.Company", on_delete=models.CASCADE, related_name="+")
    zone = models.CharField(max_length=64)
    week = models.DateField()
    client = models.ForeignKey("sites.Client", on_delete=models.CASCADE, related_name="+")
    # Null: calls still open (no code yet).
    disposition = models.ForeignKey(DispositionCode, on_delete=models.CASCADE, null=True, related_name="+")
    calls = models.IntegerField()
    preventable = models.IntegerField()

    objects = TenantQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=("company", "zone", "week", "client", "disposition"),
                nulls_distinct=False,
                name="call_tally_once_per_key",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.calls} calls of client {self.client_id} in the week of {self.week}"


# The portal's concerns (a call with channel `portal` and its thread) live in their own module.
from backend.calls.concern_models import Concern, ConcernEmail, ConcernMessage, ConcernSubject  # noqa: E402, F401
