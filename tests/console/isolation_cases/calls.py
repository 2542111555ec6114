"""Cases for the client call log (console/views/calls.py).

Each call is on a site of a client only the assigned supervisor serves (a call on no site
is read through its client, and the unassigned supervisor serves world.second_site of the
tenant's own client).
"""

from __future__ import annotations

from datetime import timedelta
from functools import partial

from django.utils import timezone

from backend.calls.concern_models import ConcernSubject
from backend.calls.concerns import ConcernAbout, concern_raise
from backend.calls.models import Call
from backend.calls.services import call_link, followup_create
from backend.sites.services import site_assignment_add
from tests import factories, geo
from tests.call_builders import code, open_call
from tests.console.isolation import Target, World, case, page

CLIENT = "Marigold Towers HOA"
WORDS = "Quillon says the gate guard was asleep"


def _call(world: World) -> Call:
    client = factories.ClientFactory(company=world.tenant.company, name=CLIENT)
    site = factories.SiteFactory(client=client, geofence=geo.SITE_SQUARE, name="Marigold North")
    site_assignment_add(site=site, supervisor=world.supervisor, by=world.tenant.manager)
    contact = factories.ClientContactFactory(client=client)
    call = open_call(
        by=world.tenant.manager, client=client, contact=contact, opened_at=timezone.now() - timedelta(hours=3)
    )
    call.caller_words = WORDS
    call.save()
    return call_link(call=call, by=world.tenant.manager, site_id=site.pk)


@case("console:calls")
def _list(world: World) -> Target:
    _call(world)
    return Target(marker=CLIENT)


@case("console:call_new")
def _new(world: World) -> Target:
    _call(world)
    return Target(marker=CLIENT)  # the client picker


@case("console:call")
def _detail(world: World) -> Target:
    return Target(kwargs={"call_id": _call(world).pk}, marker=WORDS)


@case("console:call_facts", htmx=True)
def _facts(world: World) -> Target:
    return Target(kwargs={"call_id": _call(world).pk}, marker="Marigold North")


def _action(world: World, action: str, data: dict[str, str]) -> Target:
    call = _call(world)
    if action == "close":
        data = {**data, "disposition": str(code(call.client, "praise").pk)}
    return Target(kwargs={"call_id": call.pk, "action": action}, data=data)


case("console:call_action", method="post")(
    partial(_action, action="close", data={"summary": "Thanked them.", "follow_up_promise": ""})
)


def _follow_up(world: World):
    call = _call(world)
    return followup_create(
        call=call,
        by=world.tenant.manager,
        due_at=timezone.now() - timedelta(hours=1),
        owner_id=world.tenant.manager.pk,
        note="Ring Quillon back about the gate",
    )


@case("console:followups")
def _followups(world: World) -> Target:
    _follow_up(world)
    return Target(marker="Ring Quillon back")


@case("console:followup_done", method="post")
def _followup_done(world: World) -> Target:
    return Target(kwargs={"followup_id": _follow_up(world).pk}, data={"note": "Called."})


case("console:dispositions")(page)


@case("console:disposition_retire", method="post")
def _retire(world: World) -> Target:
    return Target(data={"disposition": str(code(world.tenant.client, "guard-appearance").pk)})


@case("console:greeting_update", method="post")
def _greeting(world: World) -> Target:
    return Target(data={"client": str(_call(world).client_id), "script": "Marigold security desk, Sam speaking."})


@case("console:call_insights")
def _insights(world: World) -> Target:
    _call(world)
    return Target(marker=CLIENT)


@case("console:call_insights_csv")
def _insights_csv(world: World) -> Target:
    _call(world)
    return Target(marker=CLIENT)


@case("console:call_concern_answer", method="post")
def _concern_answer(world: World) -> Target:
    call = _call(world)
    concern = concern_raise(
        contact=call.caller_contact,
        about=ConcernAbout(
            kind=ConcernSubject.DAR_LINE, site_id=call.site_id, day=timezone.localdate(), entry="22:14 Pool gate"
        ),
        text="Was the pool gate locked?",
    )
    return Target(kwargs={"call_id": concern.call_id}, data={"text": "Yes, at 22:14."})
