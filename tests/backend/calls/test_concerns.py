"""A concern raised in the portal: a portal call with a thread, answered from the console, e-mailed both ways."""

from datetime import date

import pytest
from django.core import mail

from backend.calls.concern_models import ConcernEmail, ConcernSubject
from backend.calls.concerns import (
    ConcernAbout,
    concern_answer,
    concern_message_email,
    concern_raise,
    concern_reply,
    concern_status,
    concerns_visible,
)
from backend.calls.errors import CallClosed, CallNotFound, ConcernClosed, ConcernNotFound, ConcernSubjectNotFound
from backend.calls.models import CallChannel, CallStatus
from backend.calls.services import call_close
from backend.core.errors import PermissionDenied, ValidationFailed
from backend.sites.scopes import scope_for
from tests import factories
from tests.call_builders import code
from tests.portal.conftest import approved_report, worked_shift

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(tenant, settings):
    settings.GUARDOPS_BASE_URL = "https://ops.acme.test"
    tenant.manager.email, tenant.manager.is_on_call = "ops@acme.test", True
    tenant.manager.save()
    tenant.client_contact.email = "pat@client.test"
    tenant.client_contact.save()
    return tenant


def _about_shift(tenant, shift):
    return ConcernAbout(kind=ConcernSubject.SHIFT, site_id=tenant.site.pk, shift_id=shift.pk)


def test_a_concern_on_a_shift_opens_a_verified_portal_call_linked_to_it_and_tells_the_managers(
    people, django_capture_on_commit_callbacks
):
    shift = worked_shift(people)

    with django_capture_on_commit_callbacks(execute=True):
        concern = concern_raise(
            contact=people.client_contact, about=_about_shift(people, shift), text="  Why was the desk empty at 3?  "
        )

    call = concern.call
    assert call.channel == CallChannel.PORTAL
    assert (call.client, call.site, call.shift) == (people.client, people.site, shift)
    assert call.caller_contact == people.client_contact
    assert call.caller_verified
    assert call.caller_words == "Why was the desk empty at 3?"
    assert concern.subject_text.startswith(f"{people.post.name} shift, ")
    assert [m.text for m in concern.messages.all()] == ["Why was the desk empty at 3?"]
    # the managers on call are told, with a link to the call in the console
    (email,) = mail.outbox
    assert email.to == ["ops@acme.test"]
    assert "Why was the desk empty at 3?" in email.body
    assert f"https://ops.acme.test/console/calls/{call.pk}" in email.body


def test_the_same_question_sent_twice_at_once_is_one_concern(people):
    shift = worked_shift(people)
    first = concern_raise(contact=people.client_contact, about=_about_shift(people, shift), text="Late again?")

    again = concern_raise(contact=people.client_contact, about=_about_shift(people, shift), text="Late again?")

    assert again.pk == first.pk


def test_a_concern_about_a_report_is_linked_to_it_and_a_line_of_a_daily_report_quotes_it(people):
    report = approved_report(worked_shift(people))
    on_report = concern_raise(
        contact=people.client_contact,
        about=ConcernAbout(kind=ConcernSubject.REPORT, site_id=people.site.pk, incident_id=report.pk),
        text="Was the police called?",
    )
    on_line = concern_raise(
        contact=people.client_contact,
        about=ConcernAbout(
            kind=ConcernSubject.DAR_LINE, site_id=people.site.pk, day=date(2026, 12, 1), entry="22:14 Pool gate locked"
        ),
        text="Which gate?",
    )

    assert on_report.call.incident == report
    assert on_report.subject_text.startswith(f"{report.type.name} report of ")
    assert (on_line.subject_kind, on_line.day, on_line.subject_text) == (
        "dar_line",
        date(2026, 12, 1),
        "22:14 Pool gate locked",
    )


def test_another_clients_or_companys_entry_or_a_report_under_review_is_not_found(people, other_tenant):
    theirs = worked_shift(other_tenant)
    in_review = factories.incident_report(shift=worked_shift(people))
    other_client = factories.ClientFactory(company=people.company)
    other_site = factories.SiteFactory(client=other_client)
    cases = [
        ConcernAbout(kind=ConcernSubject.SHIFT, site_id=other_tenant.site.pk, shift_id=theirs.pk),
        ConcernAbout(kind=ConcernSubject.SHIFT, site_id=people.site.pk, shift_id=theirs.pk),
        ConcernAbout(kind=ConcernSubject.REPORT, site_id=people.site.pk, incident_id=in_review.pk),
        ConcernAbout(kind=ConcernSubject.DAR_LINE, site_id=other_site.pk, day=date(2026, 12, 1), entry="-"),
    ]

    for about in cases:
        with pytest.raises(ConcernSubjectNotFound):
            concern_raise(contact=people.client_contact, about=about, text="?")


def test_only_a_client_contact_raises_one_and_the_question_must_say_something(people):
    shift = worked_shift(people)
    with pytest.raises(PermissionDenied):
        concern_raise(contact=people.manager, about=_about_shift(people, shift), text="?")
    with pytest.raises(ValidationFailed) as empty:
        concern_raise(contact=people.client_contact, about=_about_shift(people, shift), text="   ")
    assert (empty.value.code, empty.value.field) == ("text_required", "text")
    with pytest.raises(ValidationFailed) as long:
        concern_raise(contact=people.client_contact, about=_about_shift(people, shift), text="x" * 4001)
    assert long.value.code == "text_too_long"


def test_the_managers_answer_joins_the_thread_and_is_e_mailed_to_the_contact_once(
    people, django_capture_on_commit_callbacks
):
    concern = concern_raise(contact=people.client_contact, about=_about_shift(people, worked_shift(people)), text="?")
    assert concern_status(concern=concern, call=concern.call).word == "Waiting for an answer"

    with django_capture_on_commit_callbacks(execute=True):
        answer = concern_answer(call=concern.call, by=people.manager, text="The guard was on his round at 03:00.")

    assert not answer.from_client
    assert concern_status(concern=concern, call=concern.call).word == "Answered"
    (email,) = [message for message in mail.outbox if message.to == ["pat@client.test"]]
    assert "The guard was on his round at 03:00." in email.body
    assert f"https://ops.acme.test/portal/concerns/{concern.pk}" in email.body
    # a re-delivered task sends nothing twice
    assert concern_message_email(message_id=answer.pk) == 0
    assert ConcernEmail.objects.filter(message=answer).count() == 1


def test_another_companys_manager_cannot_answer_and_a_closed_concern_takes_no_more(people, other_tenant):
    concern = concern_raise(contact=people.client_contact, about=_about_shift(people, worked_shift(people)), text="?")
    with pytest.raises(CallNotFound):
        concern_answer(call=concern.call, by=other_tenant.manager, text="Hello")
    with pytest.raises(PermissionDenied):
        concern_answer(call=concern.call, by=people.client_contact, text="Hello")

    call_close(call=concern.call, by=people.manager, disposition_id=code(people.client, "praise").pk, summary="Done.")

    with pytest.raises(CallClosed):
        concern_answer(call=concern.call, by=people.manager, text="One more thing")
    with pytest.raises(ConcernClosed):
        concern_reply(concern=concern, contact=people.client_contact, text="Thanks")
    concern.call.refresh_from_db()
    assert concern.call.status == CallStatus.CLOSED
    assert concern_status(concern=concern, call=concern.call).word == "Closed"


def test_a_contact_replies_to_a_concern_of_their_site_but_not_to_another_clients(people, other_tenant):
    concern = concern_raise(contact=people.client_contact, about=_about_shift(people, worked_shift(people)), text="?")
    colleague = factories.ClientContactFactory(client=people.client)

    concern_reply(concern=concern, contact=colleague, text="I saw it too.")

    assert [m.author for m in concern.messages.order_by("created_at", "pk")] == [people.client_contact, colleague]
    with pytest.raises(ConcernNotFound):
        concern_reply(concern=concern, contact=other_tenant.client_contact, text="Me too")
    assert list(concerns_visible(scope=scope_for(other_tenant.client_contact))) == []


def test_an_answer_not_e_mailed_yet_is_e_mailed_by_the_outbox_later(people):
    concern = concern_raise(contact=people.client_contact, about=_about_shift(people, worked_shift(people)), text="?")
    answer = concern_answer(call=concern.call, by=people.manager, text="Yes.")
    assert mail.outbox == []  # nothing committed in this test's transaction, nothing sent

    assert concern_message_email(message_id=answer.pk) == 1

    assert mail.outbox[0].to == ["pat@client.test"]
