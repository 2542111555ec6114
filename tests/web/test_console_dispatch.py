"""A lockout from intake to completion in a real browser, the guard's steps through the mobile API."""

import uuid

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from backend.dispatch.models import ServiceRequest, SiteDispatchPolicy
from tests import geo
from tests.conftest import api_client_for
from tests.dispatching import ON_FILE, on_shift
from tests.mobile_api.test_photos import phone_jpeg

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_lockout_is_called_back_dispatched_and_completed_with_the_double_callback(
    page, live_server, tenant, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path  # the completion photo
    problems: list[str] = []
    page.on("pageerror", lambda error: problems.append(str(error)))
    # given a client contact with a number on file, a site with the double callback, and a guard on shift there
    tenant.client_contact.first_name, tenant.client_contact.last_name = "Dana", "Okafor"
    tenant.client_contact.phone = ON_FILE
    tenant.client_contact.save()
    SiteDispatchPolicy.objects.create(site=tenant.site)
    tenant.guard.first_name, tenant.guard.last_name = "Lee", "Marsh"
    tenant.guard.save()
    on_shift(post=tenant.post, guard=tenant.guard)

    # when the manager takes a lockout request from the contact
    page.goto(f"{live_server.url}/console/login?next=/console/dispatch/new")
    page.get_by_label("Username").fill(tenant.manager.username)
    page.get_by_label("Password").fill("pw-for-tests")
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{live_server.url}/console/dispatch/new")
    page.get_by_label("Site", exact=True).select_option(label=tenant.site.name)
    page.get_by_label("Kind", exact=True).select_option(label="Lockout")
    page.get_by_label("Where on the site, in words").fill("Building B, unit 12")
    page.get_by_label("Requester (a client contact)").select_option(label="Dana Okafor")
    page.get_by_role("button", name="Take the request").click()
    request = ServiceRequest.objects.get()
    page.wait_for_url(f"{live_server.url}/console/dispatch/{request.pk}")
    assert "every lockout needs one" in page.get_by_test_id("callback-gate").inner_text()

    # and the first callback reaches voicemail: dispatch is refused, with the reason on the page
    callback = page.get_by_test_id("callback-form")
    callback.get_by_label("Outcome").select_option(label="Voicemail")
    callback.get_by_role("button", name="Log callback").click()
    page.wait_for_url(f"{live_server.url}/console/dispatch/{request.pk}")
    assert "Voicemail" in page.get_by_test_id("callback-gate").inner_text()
    page.get_by_role("button", name="Dispatch").click()
    refusal = page.get_by_test_id("dispatch-refusal")
    assert "A callback that reaches a person is required before dispatch" in refusal.inner_text()
    assert "Voicemail" in refusal.inner_text()

    # and a second callback reaches a person, and the guard on shift is sent
    callback = page.get_by_test_id("callback-form")
    callback.get_by_label("Outcome").select_option(label="Reached a person")
    callback.get_by_role("button", name="Log callback").click()
    page.wait_for_url(f"{live_server.url}/console/dispatch/{request.pk}")
    page.get_by_label("Guard on shift").select_option(index=0)
    page.get_by_role("button", name="Dispatch").click()
    page.wait_for_url(f"{live_server.url}/console/dispatch/{request.pk}")
    assert "Dispatched" in page.get_by_test_id("request-status").inner_text()

    # then the guard's phone accepts, arrives and is prompted for the second callback
    phone = api_client_for(tenant.guard)
    assert phone.post_json(f"/dispatches/{request.pk}/accept", {}).status_code == 200
    position = {"lat": geo.INSIDE_CENTER.y, "lon": geo.INSIDE_CENTER.x, "accuracy_m": 6.0}
    arrived = phone.post_json(
        f"/dispatches/{request.pk}/arrive", {"position": {**position, "recorded_at": timezone.now().isoformat()}}
    )
    assert arrived.json()["second_callback"]["state"] == "pending"
    page.reload()
    assert "Pending" in page.get_by_test_id("second-callback").inner_text()
    refused = phone.post_json(f"/dispatches/{request.pk}/complete", {"note": "Let Dana in, ID checked."})
    assert refused.json()["code"] == "second_callback_required"

    # and logs the callback from the scene, which reaches a person, sends a photo and completes with it
    call = {"id": str(uuid.uuid4()), "number_dialled": ON_FILE, "outcome": "reached"}
    phone.post_json(f"/dispatches/{request.pk}/callback", {**call, "called_at": timezone.now().isoformat()})
    photo = SimpleUploadedFile("door.jpg", phone_jpeg(), content_type="image/jpeg")
    sent = phone.post(f"/api/mobile/v1/dispatches/{request.pk}/photos", {"file": photo})
    assert sent.status_code == 201
    body = {"note": "Let Dana in, ID checked.", "photo_ids": [sent.json()["id"]]}
    done = phone.post_json(f"/dispatches/{request.pk}/complete", body)
    assert done.status_code == 200

    # and the dispatcher sees it all on the page
    page.reload()
    assert "Completed" in page.get_by_test_id("request-status").inner_text()
    assert "Reached a person" in page.get_by_test_id("second-callback").inner_text()
    assert "Let Dana in, ID checked." in page.get_by_test_id("completed").inner_text()
    timeline = page.get_by_test_id("timeline").inner_text()
    for step in ("Request taken", "Dispatched", "Accepted by the guard", "Guard arrived", "Callback on arrival"):
        assert step in timeline
    assert "(1 photo)" in timeline
    # and the photo from the scene, served to the dispatcher's session, is drawn
    thumbnail = page.get_by_test_id("completion-photos").locator("img")
    thumbnail.wait_for()
    assert page.wait_for_function("img => img.complete && img.naturalWidth > 0", arg=thumbnail.element_handle())
    assert problems == []
