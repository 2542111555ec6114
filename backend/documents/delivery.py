"""Scheduled delivery of client documents by e-mail: who wants what, what is owed, sending it once.

The flow, each step idempotent so a beat tick that runs twice, a task delivered twice or a
worker killed half-way sends nothing twice:

1. `deliveries_plan` (beat, every minute) writes one `DeliveryRecord` per contact, kind, scope and
   period that is due — DARs at the site's local 07:00 for the previous day (or on Monday for the
   previous week), the monthly summary at 07:00 on the 1st in the client's time zone, an incident
   report once approved — and skips every one already recorded (a unique constraint).
2. One `delivery_prepare_task` per scope and period (a site's day, a month, a report) asks for its
   documents (`document_request`: one render task per site-day, shared by every contact).
3. When a render finishes, `deliveries_document_ready` enqueues one `delivery_send_task` per record
   whose documents are now all ready.
4. `delivery_send` claims the record (pending -> sending under a row lock), e-mails the PDFs with
   their portal links, and records the Message-ID and the time (sent).
5. `deliveries_sweep` (beat) picks up what a crash left: a record `sending` too long, documents
   asked for long ago and never linked, ready documents whose send was never enqueued.
"""

from __future__ import annotations

import logging
import uuid
from collections import defaultdict
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone

from backend.accounts.models import Role, User
from backend.core.errors import ApplicationError, PermissionDenied
from backend.core.localtime import to_local
from backend.documents.assemble import client_time_zone, report_reference
from backend.documents.errors import DeliveryPreferenceInvalid
from backend.documents.http import document_filename
from backend.documents.models import (
    DarFrequency,
    DeliveryKind,
    DeliveryPreference,
    DeliveryRecord,
    DeliveryStatus,
    DocumentKind,
    DocumentStatus,
    GeneratedDocument,
)
from backend.documents.services import document_for_scope, document_render, document_scope_check
from backend.incidents.models import IncidentReport, IncidentStatus
from backend.sites.models import Client, ClientContactSite, Site
from backend.sites.scopes import scope_for
from backend.sites.selectors import sites_visible

logger = logging.getLogger(__name__)

DELIVERY_TIME = time(7, 0)
"""Local time (the site's for DARs, the client's for the monthly summary) a delivery is due."""
INCIDENT_LOOKBACK = timedelta(days=3)
"""Reports approved this long ago or less are e-mailed; older ones stay in the portal."""
SENDING_STALE_AFTER = timedelta(minutes=10)
PREPARE_STALE_AFTER = timedelta(minutes=15)
SEND_NUDGE_AFTER = timedelta(minutes=2)
MAX_SEND_ATTEMPTS = 3


# --- preferences ---------------------------------------------------------------------------


def _require_contact(contact: User) -> None:
    if not contact.is_active or contact.role != Role.CLIENT_CONTACT or contact.client_id is None:
        raise PermissionDenied("Only client contacts have delivery preferences.", code="not_a_client_contact")


@transaction.atomic
def delivery_preference_update(
    *,
    contact: User,
    daily_reports: str,
    incident_reports: bool,
    monthly_summary: bool,
    email_enabled: bool,
    site_ids: Collection[int] = (),
) -> DeliveryPreference:
    """Replace the contact's delivery preference (what a preferences form posts, all fields at once).

    `daily_reports` is a DarFrequency value (daily / weekly / off); `site_ids` a subset of the sites the
    contact may see (empty: all of them, and new ones as they come). Codes: `not_a_client_contact` (403),
    `unknown_frequency` (daily_reports), `site_not_visible` (site_ids), `email_missing` (email_enabled:
    something is to be e-mailed and the contact has no address). Nothing changes on error.
    """
    _require_contact(contact)
    if daily_reports not in DarFrequency.values:
        raise DeliveryPreferenceInvalid("Choose daily, weekly or off.", code="unknown_frequency", field="daily_reports")
    wanted = set(site_ids)
    visible = set(sites_visible(scope=scope_for(contact)).filter(pk__in=wanted).values_list("pk", flat=True))
    if wanted - visible:
        raise DeliveryPreferenceInvalid(
            "Choose among the sites you can see.", code="site_not_visible", field="site_ids"
        )
    subscribed = daily_reports != DarFrequency.OFF or incident_reports or monthly_summary
    if email_enabled and subscribed and not contact.email:
        raise DeliveryPreferenceInvalid(
            "Your account has no e-mail address to send to.", code="email_missing", field="email_enabled"
        )
    preference, _ = DeliveryPreference.objects.update_or_create(
        contact=contact,
        defaults={
            "daily_reports": daily_reports,
            "incident_reports": incident_reports,
            "monthly_summary": monthly_summary,
            "email_enabled": email_enabled,
        },
    )
    preference.sites.set(sorted(visible))
    return preference


# --- 1. planning ---------------------------------------------------------------------------


@dataclass(frozen=True)
class _Subscriber:
    preference: DeliveryPreference
    contact: User
    sites: list[Site]
    all_client_sites: bool


def _subscribers(contact_ids: Collection[int] | None = None) -> list[_Subscriber]:
    """Every contact with something to e-mail, with the sites it applies to: four queries in all."""
    chosen_contacts = DeliveryPreference.objects.all()
    if contact_ids is not None:
        chosen_contacts = chosen_contacts.filter(contact_id__in=list(contact_ids))
    preferences = list(
        chosen_contacts.filter(
            Q(email_enabled=True),
            ~Q(daily_reports=DarFrequency.OFF) | Q(incident_reports=True) | Q(monthly_summary=True),
            contact__is_active=True,
            contact__role=Role.CLIENT_CONTACT,
            contact__client__isnull=False,
        )
        .exclude(contact__email="")
        .select_related("contact")
    )
    if not preferences:
        return []
    contact_ids = [p.contact_id for p in preferences]
    chosen: dict[int, set[int]] = defaultdict(set)
    for preference_id, site_id in DeliveryPreference.sites.through.objects.filter(
        deliverypreference__in=preferences
    ).values_list("deliverypreference_id", "site_id"):
        chosen[preference_id].add(site_id)
    limited: dict[int, set[int]] = defaultdict(set)
    for contact_id, site_id in ClientContactSite.objects.filter(contact_id__in=contact_ids).values_list(
        "contact_id", "site_id"
    ):
        limited[contact_id].add(site_id)
    by_client: dict[int, list[Site]] = defaultdict(list)
    for site in (
        Site.objects.filter(client_id__in={p.contact.client_id for p in preferences}, is_active=True)
        .select_related("client")
        .defer("geofence")
        .order_by("name", "pk")
    ):
        by_client[site.client_id].append(site)
    subscribers = []
    for preference in preferences:
        client_sites = by_client.get(int(preference.contact.client_id or 0), [])
        allowed = [
            s for s in client_sites if not limited[preference.contact_id] or s.pk in limited[preference.contact_id]
        ]
        picked = [s for s in allowed if not chosen[preference.pk] or s.pk in chosen[preference.pk]]
        if picked:
            subscribers.append(
                _Subscriber(preference, preference.contact, picked, all_client_sites=len(picked) == len(client_sites))
            )
    return subscribers


def due_day(*, zone_name: str, now: datetime) -> tuple[date, date, datetime]:
    """The latest day whose DAR is due (07:00 the next morning has passed), twice (first and last day of
    the period), and when it fell due."""
    local = to_local(now, zone_name)
    day = local.date() - timedelta(days=1 if local.time() >= DELIVERY_TIME else 2)
    return day, day, local_instant(day + timedelta(days=1), zone_name)


def due_week(*, zone_name: str, now: datetime) -> tuple[date, date, datetime]:
    """The latest Monday-to-Sunday week whose bundle is due (Monday 07:00 after it has passed)."""
    local = to_local(now, zone_name)
    monday = local.date() - timedelta(days=local.weekday())
    if local.date() == monday and local.time() < DELIVERY_TIME:
        monday -= timedelta(days=7)
    return monday - timedelta(days=7), monday - timedelta(days=1), local_instant(monday, zone_name)


def due_month(*, zone_name: str, now: datetime) -> tuple[date, date, datetime]:
    """The latest calendar month whose summary is due (07:00 on the 1st after it has passed)."""
    local = to_local(now, zone_name)
    first = local.date().replace(day=1)
    if local.date() == first and local.time() < DELIVERY_TIME:
        first = (first - timedelta(days=1)).replace(day=1)
    last = first - timedelta(days=1)
    return last.replace(day=1), last, local_instant(first, zone_name)


def local_instant(day: date, zone_name: str) -> datetime:
    """07:00 on `day` on the zone's clock, as an aware instant."""
    from backend.core.localtime import zone

    return datetime.combine(day, DELIVERY_TIME, tzinfo=zone(zone_name))


def deliveries_plan(*, now: datetime | None = None, contact_ids: Collection[int] | None = None) -> int:
    """Record every delivery now due that is not recorded yet, and ask for the new ones' documents.

    `contact_ids` narrows the run to some contacts (the bench; beat plans for everyone).

    Returns how many records were created. Run every minute by beat; a second run in the same
    minute (or a re-delivered task) creates nothing: DeliveryRecord is unique per contact, kind,
    scope and period, and the insert skips what exists.
    """
    moment = now or timezone.now()
    wanted: list[DeliveryRecord] = []
    zones: dict[int, str] = {}

    def owe(
        contact: User,
        kind: str,
        site_id: int | None,
        due: tuple[date, date, datetime],
        incident_id: uuid.UUID | None = None,
    ) -> None:
        first, last, due_at = due
        wanted.append(DeliveryRecord(contact=contact, kind=kind, site_id=site_id, incident_id=incident_id,
                                     period_start=first, period_end=last, due_at=due_at))  # fmt: skip

    for subscriber in _subscribers(contact_ids):
        preference, contact = subscriber.preference, subscriber.contact
        for site in subscriber.sites:
            if preference.daily_reports == DarFrequency.DAILY:
                owe(contact, DeliveryKind.DAR_DAILY, site.pk, due_day(zone_name=site.timezone, now=moment))
            elif preference.daily_reports == DarFrequency.WEEKLY:
                owe(contact, DeliveryKind.DAR_WEEKLY, site.pk, due_week(zone_name=site.timezone, now=moment))
        if preference.monthly_summary:
            client: Client = subscriber.sites[0].client
            if client.pk not in zones:
                zones[client.pk] = client_time_zone(client)
            month = due_month(zone_name=zones[client.pk], now=moment)
            # A contact who gets every site gets the client's summary; one limited (or who chose
            # some sites) gets one per site, never figures of sites they may not see.
            site_ids: list[int | None] = [None] if subscriber.all_client_sites else [s.pk for s in subscriber.sites]
            for site_id in site_ids:
                owe(contact, DeliveryKind.MONTHLY, site_id, month)
        if preference.incident_reports:
            since = max(preference.created_at, moment - INCIDENT_LOOKBACK)
            approved = IncidentReport.objects.filter(
                shift__post__site__in=subscriber.sites, status=IncidentStatus.APPROVED, archived_at__isnull=True,
                approved_at__gte=since, approved_at__lte=moment,
            )  # fmt: skip
            for report_id, site_id, occurred_at, approved_at, zone_name in approved.values_list(
                "pk", "shift__post__site_id", "occurred_at", "approved_at", "shift__post__site__timezone"
            ):
                day = to_local(occurred_at, zone_name).date()
                owe(contact, DeliveryKind.INCIDENT, site_id, (day, day, approved_at), incident_id=report_id)
    wanted = [record for record in wanted if record.due_at <= moment]
    started = timezone.now()
    DeliveryRecord.objects.bulk_create(wanted, ignore_conflicts=True, batch_size=500)
    created = DeliveryRecord.objects.filter(created_at__gte=started).count()
    deliveries_prepare_enqueue(now=moment)
    return created


# --- 2. documents for what is owed -----------------------------------------------------------


def _needs(record: DeliveryRecord) -> list[tuple[str, date, date]]:
    """(document kind, first day, last day) of each PDF the record's e-mail attaches."""
    if record.kind == DeliveryKind.DAR_DAILY:
        return [(DocumentKind.DAILY_ACTIVITY, record.period_start, record.period_start)]
    if record.kind == DeliveryKind.DAR_WEEKLY:
        days = (record.period_end - record.period_start).days + 1
        return [
            (
                DocumentKind.DAILY_ACTIVITY,
                record.period_start + timedelta(days=n),
                record.period_start + timedelta(days=n),
            )
            for n in range(days)
        ]
    if record.kind == DeliveryKind.INCIDENT:
        return [(DocumentKind.INCIDENT, record.period_start, record.period_end)]
    kind = DocumentKind.MONTHLY_CLIENT if record.site_id is None else DocumentKind.MONTHLY_SITE
    return [(kind, record.period_start, record.period_end)]


def _group_key(record: DeliveryRecord) -> tuple[object, ...]:
    client_id = record.site.client_id if record.site is not None else record.contact.client_id
    return (record.kind, client_id, record.site_id, record.incident_id, record.period_start, record.period_end)


def deliveries_prepare_enqueue(*, now: datetime | None = None) -> int:
    """Enqueue one prepare task per scope and period for pending records whose documents were never (or
    long ago, and not yet) asked for: one site's day is prepared once for all its contacts."""
    from backend.documents.tasks import delivery_prepare_task

    moment = now or timezone.now()
    pending = list(
        DeliveryRecord.objects.filter(status=DeliveryStatus.PENDING)
        .filter(Q(prepare_queued_at__isnull=True) | Q(prepare_queued_at__lt=moment - PREPARE_STALE_AFTER))
        .annotate(linked=Count("documents"))
        .filter(linked=0)
        .select_related("site", "contact")
        .order_by("due_at", "pk")
    )
    groups: dict[tuple[object, ...], list[int]] = defaultdict(list)
    for record in pending:
        groups[_group_key(record)].append(record.pk)
    DeliveryRecord.objects.filter(pk__in=[record.pk for record in pending]).update(prepare_queued_at=moment)
    for record_ids in groups.values():
        try:
            delivery_prepare_task.delay(record_ids)
        except Exception:  # the broker is down: the sweep asks again after PREPARE_STALE_AFTER
            logger.exception("Could not enqueue the preparation of deliveries %s.", record_ids)
    return len(groups)


def delivery_prepare(*, record_ids: list[int]) -> list[GeneratedDocument]:
    """Ask for the documents of these records (one scope and period) and link them to each; records whose
    documents are already ready are sent at once. A record no longer pending is left alone."""
    records = list(
        DeliveryRecord.objects.filter(pk__in=record_ids, status=DeliveryStatus.PENDING).select_related(
            "site__client", "incident", "contact__client"
        )
    )
    if not records:
        return []
    first = records[0]
    client = first.site.client if first.site is not None else first.contact.client
    assert client is not None  # noqa: S101 (a planned record's contact has a client)
    try:
        requested = [
            document_for_scope(
                scope=document_scope_check(
                    kind=kind, client=client, site=first.site if kind != DocumentKind.INCIDENT else None,
                    incident=first.incident, period_start=None if kind == DocumentKind.INCIDENT else start,
                    period_end=None if kind == DocumentKind.INCIDENT else end,
                ),
                enqueue=False,
            )
            for kind, start, end in _needs(first)
        ]  # fmt: skip
    except ApplicationError as error:
        # The report was archived, the site moved to another client...: nothing to send, and why.
        DeliveryRecord.objects.filter(pk__in=[r.pk for r in records], status=DeliveryStatus.PENDING).update(
            status=DeliveryStatus.FAILED, error=f"{error.code}: {error.message}", updated_at=timezone.now()
        )
        return []
    documents = [document for document, _ in requested]
    links = DeliveryRecord.documents.through
    with transaction.atomic():
        links.objects.filter(deliveryrecord__in=records).delete()
        links.objects.bulk_create(
            [links(deliveryrecord_id=record.pk, generateddocument_id=document.pk)
             for record in records for document in documents]
        )  # fmt: skip
    if all(document.is_ready for document in documents):
        _enqueue_sends([record.pk for record in records])
        return documents
    # This task is the site-day's render: the data is assembled already, so it is rendered here, not
    # queued again (a document another worker is rendering is left to it). The last render to finish
    # enqueues the sends (deliveries_document_ready).
    for document, data in requested:
        if document.status == DocumentStatus.QUEUED:
            document_render(document_id=document.pk, data=data)
    return documents


def _enqueue_sends(record_ids: Iterable[int]) -> None:
    from backend.documents.tasks import delivery_send_task

    for record_id in record_ids:
        try:
            delivery_send_task.delay(record_id)
        except Exception:  # the sweep nudges pending records whose documents are ready
            logger.exception("Could not enqueue the sending of delivery %s.", record_id)


def deliveries_document_ready(*, document_id: int) -> int:
    """A document is ready: send every pending record that was waiting on it and now has all its PDFs."""
    waiting = DeliveryRecord.objects.filter(status=DeliveryStatus.PENDING, documents=document_id)
    not_ready = DeliveryRecord.objects.filter(
        pk__in=waiting.values("pk"),
        documents__status__in=[DocumentStatus.QUEUED, DocumentStatus.RENDERING, DocumentStatus.FAILED],
    )
    ids = list(waiting.exclude(pk__in=not_ready.values("pk")).values_list("pk", flat=True).distinct())
    _enqueue_sends(ids)
    return len(ids)


# --- 4. sending ----------------------------------------------------------------------------


def _claim_for_sending(record_id: int, now: datetime) -> DeliveryRecord | None:
    with transaction.atomic():
        record: DeliveryRecord | None = (
            DeliveryRecord.objects.select_for_update(of=("self",))
            .select_related("contact__client__company", "site", "incident")
            .filter(pk=record_id)
            .first()
        )
        if record is None or record.status in (DeliveryStatus.SENT, DeliveryStatus.FAILED):
            return None
        since = record.sending_since
        if record.status == DeliveryStatus.SENDING and since is not None and since > now - SENDING_STALE_AFTER:
            return None  # another worker is sending it now
        documents = list(record.documents.order_by("period_start", "pk"))
        if not documents or not all(document.is_ready for document in documents):
            return None
        if record.attempts >= MAX_SEND_ATTEMPTS:
            record.status, record.error = DeliveryStatus.FAILED, record.error or "Gave up after repeated attempts."
            record.save(update_fields=["status", "error", "updated_at"])
            return None
        record.status, record.sending_since = DeliveryStatus.SENDING, now
        record.attempts += 1
        record.address = record.contact.email
        # One Message-ID per record, whatever the attempt: a resend after a crash is recognisably the same mail.
        record.message_id = f"<guardops-delivery-{record.pk}@{_mail_domain()}>"
        record.save(update_fields=["status", "sending_since", "attempts", "address", "message_id", "updated_at"])
        record.attached = documents  # type: ignore[attr-defined]
        return record


def _mail_domain() -> str:
    address = str(settings.DEFAULT_FROM_EMAIL).rsplit("@", 1)[-1].strip("> ")
    return address or "guardops.invalid"


def portal_link(document: GeneratedDocument) -> str:
    """Where the document is in the portal (the e-mail links there; the PDF is attached too)."""
    return f"{settings.GUARDOPS_BASE_URL}/portal/documents/{document.pk}"


def delivery_email(record: DeliveryRecord, documents: list[GeneratedDocument]) -> tuple[str, str]:
    """Subject and plain-text body of a delivery."""
    client = record.contact.client
    who = record.site.name if record.site is not None else (client.name if client is not None else "")
    if record.kind == DeliveryKind.DAR_DAILY:
        subject = f"Daily activity report — {who} — {record.period_start:%a %d %b %Y}"
    elif record.kind == DeliveryKind.DAR_WEEKLY:
        subject = f"Daily activity reports — {who} — week of {record.period_start:%d %b %Y}"
    elif record.kind == DeliveryKind.INCIDENT:
        subject = f"Incident report {report_reference(record.incident_id)} — {who}"
    else:
        subject = f"Monthly summary — {who} — {record.period_start:%B %Y}"
    lines = [
        f"Hello {record.contact.first_name or record.contact.username},",
        "",
        f"{subject} is attached as a PDF." if len(documents) == 1 else f"{subject}: {len(documents)} PDFs attached.",
        "",
        *[f"{document_filename(d)}: {portal_link(d)}" for d in documents],
        "",
        "Each PDF's footer carries a SHA-256 and a link that shows whether GuardOps issued it.",
        f"You choose what is e-mailed to you in the portal: {settings.GUARDOPS_BASE_URL}/portal/",
    ]
    return subject, "\n".join(lines)


def delivery_send(*, record_id: int, now: datetime | None = None) -> DeliveryRecord | None:
    """E-mail one record's PDFs once: claimed under a row lock, then sent, then marked sent with the time.

    A record already sent, failed, or being sent by another live worker is left alone. A send that
    fails goes back to pending (the sweep retries it) until MAX_SEND_ATTEMPTS, then fails.
    """
    moment = now or timezone.now()
    record = _claim_for_sending(record_id, moment)
    if record is None:
        return None
    documents: list[GeneratedDocument] = record.attached  # type: ignore[attr-defined]
    subject, body = delivery_email(record, documents)
    message = EmailMessage(
        subject=subject,
        body=body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[record.address],
        headers={"Message-ID": record.message_id},
    )
    mine = DeliveryRecord.objects.filter(pk=record.pk, status=DeliveryStatus.SENDING, sending_since=moment)
    try:
        for document in documents:
            with document.file.open("rb") as handle:
                message.attach(document_filename(document), handle.read(), "application/pdf")
        message.connection = get_connection(fail_silently=False)
        message.send()
    except Exception as error:
        logger.exception("Delivery %s to %s failed", record.pk, record.address)
        failed = record.attempts >= MAX_SEND_ATTEMPTS
        mine.update(
            status=DeliveryStatus.FAILED if failed else DeliveryStatus.PENDING,
            sending_since=None,
            error=f"{type(error).__name__}: {error}"[:2000],
            updated_at=timezone.now(),
        )
        return DeliveryRecord.objects.get(pk=record.pk)
    mine.update(status=DeliveryStatus.SENT, sent_at=timezone.now(), error="", updated_at=timezone.now())
    return DeliveryRecord.objects.get(pk=record.pk)


# --- 5. crash recovery ---------------------------------------------------------------------


def deliveries_sweep(*, now: datetime | None = None) -> int:
    """What a crash or a lost task left: records `sending` too long go back to pending; pending records
    with all their documents ready are sent; records never prepared (or long ago) are prepared again.
    Returns how many sends were enqueued."""
    moment = now or timezone.now()
    stale = DeliveryRecord.objects.filter(status=DeliveryStatus.SENDING, sending_since__lt=moment - SENDING_STALE_AFTER)
    resumed = list(stale.values_list("pk", flat=True))
    stale.update(status=DeliveryStatus.PENDING, sending_since=None, updated_at=moment)
    failed_documents = DeliveryRecord.objects.filter(
        status=DeliveryStatus.PENDING, documents__status=DocumentStatus.FAILED
    )
    # A failed render is asked for again (a new document); its old link goes.
    for record in failed_documents.distinct():
        record.documents.clear()
        DeliveryRecord.objects.filter(pk=record.pk).update(prepare_queued_at=None)
    candidates = DeliveryRecord.objects.filter(
        Q(updated_at__lt=moment - SEND_NUDGE_AFTER) | Q(pk__in=resumed), status=DeliveryStatus.PENDING
    )
    waiting = DeliveryRecord.objects.filter(
        pk__in=candidates.values("pk"),
        documents__status__in=[DocumentStatus.QUEUED, DocumentStatus.RENDERING, DocumentStatus.FAILED],
    )
    ready = list(
        candidates.annotate(n=Count("documents"))
        .filter(n__gt=0)
        .exclude(pk__in=waiting.values("pk"))
        .values_list("pk", flat=True)
    )
    _enqueue_sends(ready)
    deliveries_prepare_enqueue(now=moment)
    return len(ready)
