"""The call log in the admin: a manager reads their company's calls and keeps its catalogue; calls are evidence."""

import pytest
from django.utils import timezone

from backend.calls.models import Call, CallNote, ClientGreeting, DispositionCode
from tests import factories
from tests.admin_clients import assert_read_only_in_admin, manager_admin, staff_admin
from tests.call_builders import closed_call, code, open_call

pytestmark = pytest.mark.django_db


@pytest.fixture
def calls(tenant, other_tenant):
    """A closed call with a note in each company, the other's caller named so it would show."""
    ours = closed_call(by=tenant.manager, client=tenant.client, contact=tenant.client_contact)
    ours.notes.create(author=tenant.manager, text="Called back at 15:00.")
    theirs = closed_call(by=other_tenant.manager, client=other_tenant.client, contact=other_tenant.client_contact)
    Call.objects.filter(pk=theirs.pk).update(caller_name="Rival Caller Qx")
    return ours, theirs


def test_a_manager_lists_their_companys_calls_and_another_companys_is_404(tenant, other_tenant, calls):
    ours, theirs = calls
    admin = manager_admin(tenant.manager)

    listing = admin.get("/admin/calls/call/").content.decode()
    foreign = admin.get(f"/admin/calls/call/{theirs.pk}/change/")
    foreign_note = admin.get(f"/admin/calls/callnote/{theirs.pk}/change/")

    assert f"/admin/calls/call/{ours.pk}/change/" in listing
    assert f"/admin/calls/call/{theirs.pk}/change/" not in listing
    assert "Rival Caller Qx" not in listing
    assert other_tenant.client.name not in listing  # not in the "By client" filter either
    assert foreign.status_code == foreign_note.status_code == 404


@pytest.mark.parametrize("model", ["call", "callnote", "followup"])
def test_calls_notes_and_follow_ups_are_read_only_in_the_admin(tenant, calls, model):
    ours, _ = calls
    row = {"call": ours, "callnote": ours.notes.get(), "followup": None}[model]
    if model == "followup":
        from backend.calls.services import followup_create

        row = followup_create(call=ours, by=tenant.manager, due_at=timezone.now(), owner_id=tenant.manager.pk, note="x")
    admin = manager_admin(tenant.manager)

    assert_read_only_in_admin(admin, "calls", model, row.pk, {"summary": "Rewritten.", "text": "Rewritten."})

    ours.refresh_from_db()
    assert ours.summary == "Thanked the caller."
    assert CallNote.objects.get(call=ours).text == "Called back at 15:00."


def test_a_call_page_shows_its_times_on_the_sites_clock(tenant, calls):
    ours, _ = calls
    Call.objects.filter(pk=ours.pk).update(site=tenant.site)

    page = manager_admin(tenant.manager).get(f"/admin/calls/call/{ours.pk}/change/").content.decode()

    assert "local time at the site" in page


def test_a_used_code_is_a_view_page_and_cannot_be_deleted_an_unused_one_is_edited(tenant, calls):
    used = code(tenant.client, "praise")  # the fixture's calls closed under it
    unused = code(tenant.client, "billing-dispute")
    admin = manager_admin(tenant.manager)

    used_page = admin.get(f"/admin/calls/dispositioncode/{used.pk}/change/")
    used_edit = admin.post(f"/admin/calls/dispositioncode/{used.pk}/change/", {"label": "Compliment"})
    used_delete = admin.post(f"/admin/calls/dispositioncode/{used.pk}/delete/", {"post": "yes"})
    form = admin.get(f"/admin/calls/dispositioncode/{unused.pk}/change/").context["adminform"].form
    unused_edit = admin.post(
        f"/admin/calls/dispositioncode/{unused.pk}/change/",
        {**{name: form[name].value() for name in form.fields}, "label": "Invoice disputed"},
    )

    assert used_page.status_code == 200
    assert b'name="_save"' not in used_page.content
    assert (used_edit.status_code, used_delete.status_code) == (403, 403)
    used.refresh_from_db()
    assert used.label == "Praise"
    assert unused_edit.status_code == 302
    unused.refresh_from_db()
    assert unused.label == "Invoice disputed"


def test_retiring_codes_from_the_list_keeps_them_on_their_calls(tenant, other_tenant, calls):
    ours, theirs = calls
    praise = code(tenant.client, "praise")
    their_praise = code(other_tenant.client, "praise")

    response = manager_admin(tenant.manager).post(
        "/admin/calls/dispositioncode/",
        {"action": "retire_selected", "_selected_action": [praise.pk, their_praise.pk]},
        follow=True,
    )

    assert "Retired 1 code." in response.content.decode()
    praise.refresh_from_db()
    their_praise.refresh_from_db()
    assert (praise.retired_at is not None, praise.retired_by) == (True, tenant.manager)
    assert their_praise.retired_at is None  # the forged id of another company's code changed nothing
    assert Call.objects.get(pk=ours.pk).disposition == praise


def test_the_pickers_offer_only_the_companys_rows_and_a_greeting_is_signed(tenant, other_tenant):
    admin = manager_admin(tenant.manager)

    code_form = admin.get("/admin/calls/dispositioncode/add/").context["adminform"].form
    greeting_form = admin.get("/admin/calls/clientgreeting/add/").context["adminform"].form
    saved = admin.post("/admin/calls/clientgreeting/add/", {"client": tenant.client.pk, "script": "Good evening."})
    forged = admin.post("/admin/calls/clientgreeting/add/", {"client": other_tenant.client.pk, "script": "Hijacked."})

    assert list(code_form.fields["company"].queryset) == [tenant.company]
    assert list(greeting_form.fields["client"].queryset) == [tenant.client]
    assert saved.status_code == 302
    assert ClientGreeting.objects.get(client=tenant.client).updated_by == tenant.manager
    assert forged.status_code == 200  # the form again, with "Select a valid choice"
    assert not ClientGreeting.objects.filter(client=other_tenant.client).exists()


def test_guardops_staff_read_every_companys_calls(tenant, other_tenant, calls):
    ours, theirs = calls

    listing = staff_admin(factories.StaffFactory()).get("/admin/calls/call/").content.decode()

    assert f"/admin/calls/call/{ours.pk}/change/" in listing
    assert f"/admin/calls/call/{theirs.pk}/change/" in listing


def test_an_open_call_without_a_code_lists_too(tenant):
    call = open_call(by=tenant.manager, client=tenant.client)

    listing = manager_admin(tenant.manager).get("/admin/calls/call/").content.decode()

    assert f"/admin/calls/call/{call.pk}/change/" in listing
    assert DispositionCode.objects.for_company(tenant.company).exists()
