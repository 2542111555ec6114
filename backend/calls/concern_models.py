"""Concerns a client contact raises in the portal ("ask about this entry"), and their threads.

A concern is a call of the call log (`Call.channel = portal`, the contact the caller, the
shift, report or site it is about linked on the call) with what it asks about and a
thread of messages between the contact and operations. Kept in their own module (loaded
by models.py) so the call log's own models stay as they were.
"""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.db.models import Q

from backend.core.models import NotificationRecord, TenantModel


class ConcernSubject(models.TextChoices):
    SHIFT = "shift", "A shift"
    REPORT = "report", "An incident report"
    DAR_LINE = "dar_line", "A line of a daily activity report"


class Concern(TenantModel):
    """What a client contact asked about in the portal: one entry, on the call that carries it."""

    TENANT_PATH: ClassVar[str] = "call__company"
    CLIENT_PATH: ClassVar[str] = "call__client"
    SITE_PATH: ClassVar[str] = "call__site"

    call = models.OneToOneField("calls.Call", on_delete=models.PROTECT, related_name="concern")
    raised_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="concerns_raised")
    subject_kind = models.CharField(max_length=10, choices=ConcernSubject.choices)
    subject_text = models.CharField(max_length=500, help_text="The entry asked about, as the portal showed it.")
    day = models.DateField(null=True, blank=True, help_text="The daily activity report's day (a DAR line).")

    class Meta:
        ordering = ("-created_at", "-pk")
        constraints = [
            models.CheckConstraint(
                condition=Q(subject_kind__in=[choice.value for choice in ConcernSubject]), name="concern_subject_known"
            ),
            models.CheckConstraint(
                condition=~Q(subject_kind=ConcernSubject.DAR_LINE) | Q(day__isnull=False), name="concern_dar_has_day"
            ),
        ]

    def __str__(self) -> str:
        return f"Concern about {self.subject_text}"


class ConcernMessage(TenantModel):
    """One message of a concern's thread: the contact's question or reply, or operations' answer. Append-only."""

    TENANT_PATH: ClassVar[str] = "concern__call__company"
    CLIENT_PATH: ClassVar[str] = "concern__call__client"
    SITE_PATH: ClassVar[str] = "concern__call__site"

    concern = models.ForeignKey(Concern, on_delete=models.CASCADE, related_name="messages")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    from_client = models.BooleanField(help_text="Written by the client's contact (else by operations).")
    text = models.TextField()

    class Meta:
        ordering = ("created_at", "pk")
        constraints = [models.CheckConstraint(condition=~Q(text=""), name="concern_message_has_text")]

    def __str__(self) -> str:
        return f"{'Client' if self.from_client else 'Operations'}: {self.text[:60]}"


class ConcernEmail(NotificationRecord):
    """That a message of a concern was e-mailed to one person (the contact, or a manager on call)."""

    TENANT_PATH: ClassVar[str] = "message__concern__call__company"
    CLIENT_PATH: ClassVar[str] = "message__concern__call__client"
    SITE_PATH: ClassVar[str] = "message__concern__call__site"

    message = models.ForeignKey(ConcernMessage, on_delete=models.CASCADE, related_name="emails")

    class Meta(NotificationRecord.Meta):
        constraints = [
            models.UniqueConstraint(fields=("message", "recipient", "channel"), name="concern_email_once_per_recipient")
        ]

    def __str__(self) -> str:
        return f"Concern message {self.message_id} to {self.address}"
