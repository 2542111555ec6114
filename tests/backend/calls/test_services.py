"""The call log's services: the SOP's steps, the close's rules per disposition code, tenancy."""

from datetime import timedelta

import pytest
from django.utils import timezone

from backend.accounts.models import Company
from backend.calls.errors import (
    CallClientNotFound,
    CallClosed,
    CallerContactNotFound,
    CallNotFound,
    CallReportNotFound,
    CallShiftNotFound,
    CallSiteNotFound,
    DispositionInUse,
    DispositionNotFound,
    FollowUpAlreadyDone,
    FollowUpOwnerNotFound,
)
from backend.calls.models import CallNote, CallStatus, DispositionCode, ReasonGroup
from backend.calls.selectors import DEFAULT_GREETING
from backend.calls.services import (
    DEFAULT_DISPOSITIONS,
    CallSteps,
    call_close,
    call_link,
    call_note_add,
    call_open,
    call_update,
    call_verify_caller,
    disposition_code_create,
    disposition_code_delete,
    disposition_code_retire,
    disposition_code_update,
    followup_complete,
    followup_create,
    greeting_set,
)
from backend.core.errors import PermissionDenied, ValidationFailed
from backend.sites.services import site_assignment_add
from tests import factories
from tests.call_builders import closed_call, code, open_call

pytestmark = pytest.mark.django_db


def test_every_new_company_starts_with_the_default_catalogue():
    company = factories.CompanyFactory(slug="fresh")

    codes = DispositionCode.objects.filter(company=company)

    assert codes.count() == len(DEFAULT_DISPOSITIONS)
    assert set(codes.values_list("reason_group", flat=True)) == set(ReasonGroup.values)
    assert codes.get(code="request-service").chargeable


def test_a_call_opens_with_the_clients_greeting(tenant):
    greeting_set(client_id=tenant.client.pk, by=tenant.manager, script="Acme Security, Dana speaking.")

    call = call_open(by=tenant.manager, client_id=tenant.client.pk)

    assert call.greeting == "Acme Security, Dana speaking."
    assert call.status == CallStatus.OPEN
    assert call.opened_by == tenant.manager
    assert call.company == tenant.company


def test_without_a_script_the_greeting_is_the_default_line(tenant):
    call = call_open(by=tenant.manager, client_id=tenant.client.pk)

    assert call.greeting == DEFAULT_GREETING.format(client=tenant.client.name)


def test_another_companys_client_is_not_found(tenant, other_tenant):
    with pytest.raises(CallClientNotFound):
        call_open(by=tenant.manager, client_id=other_tenant.client.pk)


def test_guards_and_client_contacts_do_not_log_calls(tenant):
    for person in (tenant.guard, tenant.client_contact):
        with pytest.raises(PermissionDenied):
            call_open(by=person, client_id=tenant.client.pk)


def test_a_supervisor_logs_calls_only_for_clients_of_their_sites(tenant):
    supervisor = factories.SupervisorFactory(company=tenant.company)
    other_client = factories.ClientFactory(company=tenant.company, name="Elsewhere Inc")
    factories.SiteFactory(client=other_client, name="Elsewhere")
    site_assignment_add(site=tenant.site, supervisor=supervisor, by=tenant.manager)

    assert call_open(by=supervisor, client_id=tenant.client.pk).client == tenant.client
    with pytest.raises(CallClientNotFound):
        call_open(by=supervisor, client_id=other_client.pk)


def test_verifying_the_caller_as_a_contact_of_the_client(tenant):
    call = call_open(by=tenant.manager, client_id=tenant.client.pk)

    call = call_verify_caller(call=call, by=tenant.manager, contact_id=tenant.client_contact.pk)

    assert call.caller_verified
    assert call.caller_contact == tenant.client_contact
    assert call.caller_verified_at is not None


def test_another_clients_contact_is_not_found_and_changes_nothing(tenant, other_tenant):
    call = call_open(by=tenant.manager, client_id=tenant.client.pk)

    with pytest.raises(CallerContactNotFound) as raised:
        call_verify_caller(call=call, by=tenant.manager, contact_id=other_tenant.client_contact.pk)

    assert raised.value.field == "contact"
    call.refresh_from_db()
    assert not call.caller_verified
    assert call.caller_contact is None


def test_an_unknown_caller_needs_a_name_and_a_number_and_is_not_verified(tenant):
    call = call_open(by=tenant.manager, client_id=tenant.client.pk)

    with pytest.raises(ValidationFailed) as raised:
        call_verify_caller(call=call, by=tenant.manager, caller_name="Pat Doe", caller_number="")
    assert raised.value.field == "caller_number"

    call = call_verify_caller(call=call, by=tenant.manager, caller_name="Pat Doe", caller_number="+1 404 555 0101")
    assert not call.caller_verified
    assert call.caller_name == "Pat Doe"


def test_steps_are_recorded_while_the_call_is_open(tenant):
    call = open_call(by=tenant.manager, client=tenant.client, contact=tenant.client_contact)

    call = call_update(
        call=call, by=tenant.manager, steps=CallSteps(caller_words="The guard was late.", advice="I checked the log.")
    )
    call = call_update(call=call, by=tenant.manager, steps=CallSteps(reassurance="We will fix it."))

    assert (call.caller_words, call.advice, call.reassurance) == (
        "The guard was late.",
        "I checked the log.",
        "We will fix it.",
    )


def test_linking_a_shift_or_report_of_another_client_is_not_found(tenant, other_tenant):
    call = open_call(by=tenant.manager, client=tenant.client)
    foreign_shift = factories.ShiftFactory(post=other_tenant.post, guard=other_tenant.guard)
    foreign_report = factories.incident_report(shift=foreign_shift)

    with pytest.raises(CallSiteNotFound):
        call_link(call=call, by=tenant.manager, site_id=other_tenant.site.pk)
    with pytest.raises(CallShiftNotFound):
        call_link(call=call, by=tenant.manager, shift_id=foreign_shift.pk)
    with pytest.raises(CallReportNotFound):
        call_link(call=call, by=tenant.manager, incident_id=foreign_report.pk)


def test_linking_a_report_names_its_site(tenant):
    call = open_call(by=tenant.manager, client=tenant.client)
    report = factories.incident_report(shift=factories.ShiftFactory(post=tenant.post, guard=tenant.guard))

    call = call_link(call=call, by=tenant.manager, incident_id=report.pk)

    assert call.incident == report
    assert call.site == tenant.site


def test_closing_needs_a_disposition_and_a_summary(tenant):
    call = open_call(by=tenant.manager, client=tenant.client, contact=tenant.client_contact)

    with pytest.raises(ValidationFailed) as no_code:
        call_close(call=call, by=tenant.manager, disposition_id=None, summary="Done.")
    with pytest.raises(ValidationFailed) as no_summary:
        call_close(call=call, by=tenant.manager, disposition_id=code(tenant.client, "praise").pk, summary=" ")

    assert (no_code.value.field, no_summary.value.field) == ("disposition", "summary")
    call.refresh_from_db()
    assert call.status == CallStatus.OPEN


def test_closing_needs_a_caller(tenant):
    call = call_open(by=tenant.manager, client_id=tenant.client.pk)

    with pytest.raises(ValidationFailed) as raised:
        call_close(call=call, by=tenant.manager, disposition_id=code(tenant.client, "praise").pk, summary="Thanks.")

    assert raised.value.field == "contact"


def test_a_code_that_requires_a_comment_refuses_a_close_without_one(tenant):
    call = open_call(by=tenant.manager, client=tenant.client, contact=tenant.client_contact)
    out_of_position = code(tenant.client, "guard-out-of-position")

    with pytest.raises(ValidationFailed) as raised:
        call_close(call=call, by=tenant.manager, disposition_id=out_of_position.pk, summary="Guard was at the gate.")
    assert raised.value.field == "disposition_comment"

    closed = call_close(
        call=call,
        by=tenant.manager,
        disposition_id=out_of_position.pk,
        summary="Guard was at the gate.",
        disposition_comment="GPS shows 40 m outside for 12 minutes.",
    )
    assert closed.status == CallStatus.CLOSED
    assert closed.closed_by == tenant.manager


def test_a_code_that_requires_a_follow_up_refuses_a_close_without_one(tenant):
    call = open_call(by=tenant.manager, client=tenant.client, contact=tenant.client_contact)
    left_early = code(tenant.client, "guard-left-early")

    with pytest.raises(ValidationFailed, match="needs a follow-up"):
        call_close(call=call, by=tenant.manager, disposition_id=left_early.pk, summary="Left at 05:00.")

    followup_create(
        call=call,
        by=tenant.manager,
        due_at=timezone.now() + timedelta(hours=2),
        owner_id=tenant.manager.pk,
        note="Ring back.",
    )
    assert (
        call_close(call=call, by=tenant.manager, disposition_id=left_early.pk, summary="Left at 05:00.").is_open
        is False
    )


def test_a_retired_or_foreign_code_cannot_close_a_call(tenant, other_tenant):
    call = open_call(by=tenant.manager, client=tenant.client, contact=tenant.client_contact)
    retired = disposition_code_retire(disposition=code(tenant.client, "praise"), by=tenant.manager)

    for disposition in (retired, code(other_tenant.client, "praise")):
        with pytest.raises(DispositionNotFound):
            call_close(call=call, by=tenant.manager, disposition_id=disposition.pk, summary="Thanks.")


def test_a_closed_call_is_not_edited_a_correction_is_a_note(tenant):
    call = closed_call(by=tenant.manager, client=tenant.client, contact=tenant.client_contact)

    with pytest.raises(CallClosed, match="add a note"):
        call_update(call=call, by=tenant.manager, steps=CallSteps(summary="Rewritten."))
    with pytest.raises(CallClosed):
        call_verify_caller(call=call, by=tenant.manager, caller_name="Someone", caller_number="1")

    note = call_note_add(call=call, by=tenant.manager, text="Correction: the caller was the night manager.")
    call.refresh_from_db()
    assert call.summary == "Thanked the caller."
    assert list(CallNote.objects.filter(call=call)) == [note]


def test_another_companys_manager_cannot_touch_the_call(tenant, other_tenant):
    call = open_call(by=tenant.manager, client=tenant.client)

    with pytest.raises(CallNotFound):
        call_update(call=call, by=other_tenant.manager, steps=CallSteps(advice="x"))


def test_a_follow_up_is_owned_by_a_manager_or_supervisor_of_the_company(tenant, other_tenant):
    call = open_call(by=tenant.manager, client=tenant.client)
    due = timezone.now() + timedelta(hours=1)

    for owner in (tenant.guard, tenant.client_contact, other_tenant.manager):
        with pytest.raises(FollowUpOwnerNotFound):
            followup_create(call=call, by=tenant.manager, due_at=due, owner_id=owner.pk, note="Call back.")

    follow_up = followup_create(call=call, by=tenant.manager, due_at=due, owner_id=tenant.manager.pk, note="Call back.")
    assert follow_up.owner == tenant.manager
    assert not follow_up.is_done


def test_completing_a_follow_up_twice_says_who_did_it(tenant):
    call = open_call(by=tenant.manager, client=tenant.client)
    follow_up = followup_create(
        call=call, by=tenant.manager, due_at=timezone.now(), owner_id=tenant.manager.pk, note="Call back."
    )

    followup_complete(follow_up=follow_up, by=tenant.manager, note="Called; all good.")
    with pytest.raises(FollowUpAlreadyDone, match="Already done by"):
        followup_complete(follow_up=follow_up, by=tenant.manager)


def _relabel(disposition, by, *, label, chargeable=False):
    return disposition_code_update(
        disposition=disposition,
        by=by,
        reason_group=ReasonGroup.REQUEST,
        label=label,
        comment_required=True,
        follow_up_required=False,
        chargeable=chargeable,
    )


def test_a_used_code_can_be_retired_never_edited_or_deleted(tenant):
    praise = code(tenant.client, "praise")
    closed_call(by=tenant.manager, client=tenant.client, contact=tenant.client_contact, disposition="praise")

    with pytest.raises(DispositionInUse):
        _relabel(praise, tenant.manager, label="Compliment")
    with pytest.raises(DispositionInUse):
        disposition_code_delete(disposition=praise, by=tenant.manager)

    retired = disposition_code_retire(disposition=praise, by=tenant.manager)
    praise.refresh_from_db()
    assert retired.retired_at is not None
    assert praise.label == "Praise"
    assert praise.reason_group == ReasonGroup.PRAISE


def test_an_unused_code_can_be_edited_and_deleted(tenant):
    added = disposition_code_create(
        company=tenant.company, by=tenant.manager, reason_group=ReasonGroup.OTHER, code="lost-keys", label="Lost keys"
    )

    edited = _relabel(added, tenant.manager, label="Lost keys (lockout)", chargeable=True)
    assert (edited.label, edited.chargeable) == ("Lost keys (lockout)", True)
    disposition_code_delete(disposition=edited, by=tenant.manager)
    assert not DispositionCode.objects.filter(pk=added.pk).exists()


def test_a_code_is_unique_in_the_company_and_guards_add_none(tenant):
    with pytest.raises(ValidationFailed) as raised:
        disposition_code_create(
            company=tenant.company, by=tenant.manager, reason_group=ReasonGroup.PRAISE, code="praise", label="Again"
        )
    assert raised.value.field == "code"
    with pytest.raises(PermissionDenied):
        disposition_code_create(
            company=tenant.company, by=tenant.guard, reason_group=ReasonGroup.OTHER, code="x", label="X"
        )


def test_another_companys_code_is_not_found_when_retiring(tenant, other_tenant):
    with pytest.raises(DispositionNotFound):
        disposition_code_retire(disposition=code(other_tenant.client, "praise"), by=tenant.manager)
    assert Company.objects.count() == 2
