"""The demo's call log: 12 weeks of plausible client calls, with follow-ups (some overdue).

Calls sit at fixed offsets from each week's Monday (on the company's clock), drawn from a
generator seeded with the company's slug, so a re-seed in the same week finds the same
(client, opened_at) rows and adds none; a re-seed weeks later adds the weeks since.
The client whose sites carry the most flags calls twice as often.
"""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

from django.db.models import Count, Q

from backend.accounts.models import Company, Role, User
from backend.calls.insights import insight_weeks
from backend.calls.models import Call, CallChannel, CallStatus, DispositionCode, FollowUp
from backend.calls.selectors import flag_before_call, greeting_for
from backend.calls.services import dispositions_seed_defaults
from backend.sites.models import Client, Site

WEEKS = 12
CALLS_PER_WEEK = 6
# How often each code is the reason, roughly what the seeds' complaint calls look like.
CODE_WEIGHTS = {
    "guard-late": 8,
    "guard-left-early": 4,
    "guard-out-of-position": 4,
    "guard-asleep": 2,
    "guard-appearance": 1,
    "report-missing-details": 5,
    "report-wrong-address": 3,
    "report-unreported-emergency": 1,
    "report-unreadable": 1,
    "billing-dispute": 2,
    "billing-past-due": 1,
    "billing-rate-question": 1,
    "request-service": 3,
    "request-schedule-change": 2,
    "praise": 2,
    "other": 1,
}
WORDS = {
    "guard": "The guard at the gate wasn't there when our tenant arrived.",
    "report": "The report from last night doesn't say which building it was.",
    "billing": "The invoice shows hours I don't think were worked.",
    "request": "Can someone let a resident into the clubhouse tonight?",
    "praise": "I want to say the night guard handled the alarm really well.",
    "other": "Who do I talk to about the parking stickers?",
}
UNKNOWN_CALLERS = (
    ("Jordan Pike", "+1 404 555 0142"),
    ("Marisol Vega", "+1 404 555 0178"),
    ("Tom Ridley", "+1 404 555 0119"),
)


def calls_demo(*, company: Company, manager: User, now: datetime) -> int:
    """Seed the company's call log; returns how many calls were added."""
    codes = {code.code: code for code in dispositions_seed_defaults(company=company)}
    clients = list(Client.objects.for_company(company).order_by("name"))
    if not clients:
        return 0
    flags = dict(
        Client.objects.for_company(company)
        .annotate(flags=Count("sites__posts__shifts__flags", filter=Q(sites__posts__shifts__flags__isnull=False)))
        .values_list("pk", "flags")
    )
    worst = max(clients, key=lambda client: (flags.get(client.pk, 0), -client.pk))
    mondays, start, _ = insight_weeks(now=now, zone_name=company.timezone, weeks=WEEKS)
    existing = set(Call.objects.for_company(company).filter(opened_at__gte=start).values_list("client_id", "opened_at"))
    owners = list(User.objects.for_company(company).filter(role__in=(Role.MANAGER, Role.SUPERVISOR), is_active=True))
    rng = random.Random(company.slug)  # noqa: S311 - demo data, reproducible on purpose
    new_calls: list[Call] = []
    follow_ups: list[tuple[Call, FollowUp]] = []
    for client in clients:
        sites = list(Site.objects.filter(client=client).defer("geofence"))
        contacts = list(User.objects.filter(client=client, role=Role.CLIENT_CONTACT, is_active=True))
        greeting = greeting_for(client=client)
        per_week = CALLS_PER_WEEK * (2 if client.pk == worst.pk else 1)
        for week, monday in enumerate(mondays):
            # Fewer calls as the weeks go by: what GuardOps is for.
            count = max(1, round(per_week * (1.3 - 0.5 * week / (WEEKS - 1))))
            for _ in range(count):
                offset = timedelta(minutes=rng.randrange(0, 7 * 24 * 60))
                local_start = datetime.combine(monday, datetime.min.time(), tzinfo=start.tzinfo)
                # In UTC: a wall-clock time in a DST gap never compares equal across zones (PEP 495).
                opened_at = (local_start + offset).replace(second=0, microsecond=0).astimezone(UTC)
                code = codes[rng.choices(list(CODE_WEIGHTS), weights=list(CODE_WEIGHTS.values()))[0]]
                call, follow_up = _call(
                    rng, client=client, sites=sites, contacts=contacts, code=code, greeting=greeting,
                    opened_at=opened_at, manager=manager, owners=owners or [manager], now=now,
                )  # fmt: skip
                # Drawn whether or not it is kept, so a re-seed draws the same sequence.
                if opened_at >= now or (client.pk, opened_at) in existing:
                    continue
                existing.add((client.pk, opened_at))
                new_calls.append(call)
                if follow_up is not None:
                    follow_ups.append((call, follow_up))
    for call in new_calls:
        if call.status == CallStatus.CLOSED:
            call.prior_flag = flag_before_call(call=call)  # what call_close records
    Call.objects.bulk_create(new_calls)
    for call, follow_up in follow_ups:
        follow_up.call, follow_up.company_id = call, call.company_id  # bulk_create skips FollowUp.save()
    created = FollowUp.objects.bulk_create([follow_up for _, follow_up in follow_ups])
    # created_at is "now" on insert; the promise was made during the call.
    for (call, _), follow_up in zip(follow_ups, created, strict=True):
        follow_up.created_at = call.closed_at or call.opened_at
    FollowUp.objects.bulk_update(created, ["created_at"])
    return len(new_calls)


def _call(
    rng: random.Random,
    *,
    client: Client,
    sites: list[Site],
    contacts: list[User],
    code: DispositionCode,
    greeting: str,
    opened_at: datetime,
    manager: User,
    owners: list[User],
    now: datetime,
) -> tuple[Call, FollowUp | None]:
    contact = rng.choice(contacts) if contacts and rng.random() < 0.75 else None
    name, number = rng.choice(UNKNOWN_CALLERS)
    still_open = now - opened_at < timedelta(minutes=30)
    closed_at = None if still_open else opened_at + timedelta(minutes=rng.randrange(3, 15))
    call = Call(
        company_id=client.company_id,
        client=client,
        channel=rng.choices([CallChannel.PHONE, CallChannel.EMAIL], weights=[5, 1])[0],
        status=CallStatus.OPEN if still_open else CallStatus.CLOSED,
        caller_contact=contact,
        caller_name=str(contact) if contact else name,
        caller_number=(contact.phone if contact else number) or number,
        caller_verified=contact is not None,
        caller_verified_at=opened_at + timedelta(minutes=1) if contact else None,
        greeting=greeting,
        caller_words=WORDS[code.reason_group.split("_")[0]],
        advice="Checked the verified times and reports on the console and told the caller what they show.",
        reassurance="Told them we take it seriously and will follow up.",
        disposition=None if still_open else code,
        disposition_comment="Confirmed against the GPS record." if code.comment_required else "",
        summary="" if still_open else f"{code.label}: explained what the record shows and what happens next.",
        follow_up_promise="We will call you back by tomorrow." if code.follow_up_required else "",
        site=rng.choice(sites) if sites and rng.random() < 0.8 else None,
        opened_at=opened_at,
        opened_by=manager,
        closed_at=closed_at,
        closed_by=None if still_open else manager,
    )
    if not code.follow_up_required or still_open:
        return call, None
    due_at = opened_at + timedelta(hours=rng.choice((4, 24, 48)))
    # Most follow-ups are done within a day or two; a few recent ones are still open (overdue).
    done = due_at < now - timedelta(days=2) or rng.random() < 0.6
    done_at = opened_at + timedelta(hours=rng.uniform(1, 40)) if done else None
    if done_at is not None and done_at >= now:
        done_at = None
    follow_up = FollowUp(
        due_at=due_at,
        owner=rng.choice(owners),
        note="Call the client back with what the supervisor found.",
        created_by=manager,
        done_at=done_at,
        done_by=manager if done_at else None,
        done_note="Called back; client satisfied." if done_at else "",
    )
    return call, follow_up
