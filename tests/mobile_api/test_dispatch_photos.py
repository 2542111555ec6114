"""Completion photos: sent from the scene like a report's photos, named by the completion, shown to dispatchers."""

from __future__ import annotations

import hashlib
import io
import uuid

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from backend.dispatch.models import DispatchPhoto, RequestEvent, RequestStatus
from backend.sites.services import site_assignment_add
from tests import factories
from tests.conftest import api_client_for
from tests.console.conftest import signed_in
from tests.dispatching import dispatched
from tests.mobile_api.test_dispatches import _arrived
from tests.mobile_api.test_photos import GPS_IFD, encoded, phone_jpeg

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    """Uploads go to a throwaway folder."""
    settings.MEDIA_ROOT = tmp_path / "media"


def send(api, request_id, data: bytes, *, photo_id=None, name="scene.jpg", content_type="image/jpeg", **extra):
    fields: dict[str, object] = {"file": SimpleUploadedFile(name, data, content_type=content_type), **extra}
    if photo_id is not None:
        fields["photo_id"] = str(photo_id)
    return api.post(f"/api/mobile/v1/dispatches/{request_id}/photos", fields)


def _pixels(response) -> Image.Image:
    return Image.open(io.BytesIO(b"".join(response.streaming_content)))


def _status(browser, url: str) -> int:
    """The status of a photo URL, read to the end (the test client then closes the streamed file)."""
    response = browser.get(url)
    if response.streaming:
        b"".join(response.streaming_content)
    return int(response.status_code)


def test_a_photo_from_the_scene_is_kept_as_evidence_and_shown_upright_without_gps(
    tenant, guard_api, django_capture_on_commit_callbacks
):
    # given a guard on scene with a phone photo carrying GPS in its EXIF
    request = _arrived(tenant, guard_api)
    data = phone_jpeg()
    assert Image.open(io.BytesIO(data)).getexif().get_ifd(GPS_IFD)

    # when they send it (and the thumbnail task runs after commit)
    with django_capture_on_commit_callbacks(execute=True):
        response = send(guard_api, request.pk, data)

    # then the original is kept, proven by its hash, and the shown copy is upright and clean
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["sha256"] == hashlib.sha256(data).hexdigest()
    assert (body["width"], body["height"]) == (40, 60)
    photo = DispatchPhoto.objects.get(pk=body["id"])
    with photo.original.open("rb") as original:
        assert hashlib.sha256(original.read()).hexdigest() == body["sha256"]
    assert photo.thumbnail
    shown = guard_api.get(body["url"])
    assert shown.status_code == 200
    assert shown["Content-Type"] == "image/jpeg"
    display = _pixels(shown)
    assert display.size == (40, 60)
    assert len(display.getexif()) == 0
    assert max(_pixels(guard_api.get(body["thumbnail_url"])).size) <= 320
    # and the dispatch's detail lists it
    detail = guard_api.get_json(f"/dispatches/{request.pk}").json()
    assert [p["id"] for p in detail["photos"]] == [body["id"]]
    assert detail["photos"][0]["url"] == body["url"]


def test_a_retry_stores_one_photo_and_the_id_with_other_bytes_is_409(tenant, guard_api):
    request = _arrived(tenant, guard_api)
    data, photo_id = phone_jpeg(), uuid.uuid4()

    first = send(guard_api, request.pk, data, photo_id=photo_id)
    retry = send(guard_api, request.pk, data, photo_id=photo_id)
    same_picture_no_id = send(guard_api, request.pk, data)
    other_bytes = send(guard_api, request.pk, encoded("PNG"), photo_id=photo_id, name="x.png")

    assert (first.status_code, retry.status_code, same_picture_no_id.status_code) == (201, 201, 201)
    assert first.json()["id"] == str(photo_id)
    assert retry.json() == same_picture_no_id.json() == first.json()
    assert retry["Idempotent-Replayed"] == "true"
    assert (other_bytes.status_code, other_bytes.json()["code"]) == (409, "idempotency_conflict")
    assert DispatchPhoto.objects.count() == 1


@pytest.mark.parametrize(
    ("data", "status", "code"),
    [
        pytest.param(b"A text file, not a picture.\n" * 20, 415, "unsupported_image", id="text"),
        pytest.param(encoded("GIF"), 415, "unsupported_image", id="gif"),
        pytest.param(encoded("PNG", size=(30_000, 30_000), mode="1"), 422, "image_too_large", id="bomb"),
        pytest.param(b"\xff\xd8" + b"\0" * (60 * 1024 * 1024), 413, "photo_too_large", id="60-mb"),
    ],
)
def test_what_is_not_a_photo_we_take_is_refused_and_nothing_is_stored(tenant, guard_api, data, status, code):
    request = _arrived(tenant, guard_api)

    response = send(guard_api, request.pk, data, name="scene.jpg")

    assert (response.status_code, response.json()["code"]) == (status, code)
    assert not DispatchPhoto.objects.exists()


def test_an_unknown_form_field_is_422(tenant, guard_api):
    request = _arrived(tenant, guard_api)

    response = send(guard_api, request.pk, phone_jpeg(), sha256="0" * 64)

    assert (response.status_code, response.json()["code"]) == (422, "unknown_field")
    assert not DispatchPhoto.objects.exists()


def test_another_guards_dispatch_is_a_404_and_stores_nothing(tenant, other_tenant, guard_api, other_guard_api):
    request = _arrived(tenant, guard_api)
    colleague = factories.GuardFactory(company=tenant.company)

    for api in (other_guard_api, api_client_for(colleague)):
        response = send(api, request.pk, phone_jpeg())

        assert (response.status_code, response.json()["code"]) == (404, "service_request_not_found")
    assert not DispatchPhoto.objects.exists()


def test_photos_come_from_the_scene_not_before_arriving_nor_after_completing(tenant, guard_api):
    # given a dispatch accepted but not arrived at
    early = dispatched(tenant=tenant)
    guard_api.post_json(f"/dispatches/{early.pk}/accept", {})
    before = send(guard_api, early.pk, phone_jpeg())
    # and one completed after a photo
    request = _arrived(tenant, guard_api)
    data = phone_jpeg()
    sent = send(guard_api, request.pk, data)
    guard_api.post_json(f"/dispatches/{request.pk}/complete", {"note": "Done.", "photo_ids": [sent.json()["id"]]})

    after = send(guard_api, request.pk, encoded("PNG"), name="late.png")
    replay = send(guard_api, request.pk, data)

    assert (before.status_code, before.json()["code"]) == (409, "not_arrived")
    assert (after.status_code, after.json()["code"]) == (409, "request_not_open")
    assert replay.status_code == 201  # a retry of what was stored is still answered
    assert DispatchPhoto.objects.count() == 1


def test_a_dispatch_takes_a_bounded_number_of_photos(tenant, guard_api, monkeypatch):
    monkeypatch.setattr("backend.dispatch.services.MAX_PHOTOS", 1)
    request = _arrived(tenant, guard_api)

    first = send(guard_api, request.pk, phone_jpeg())
    second = send(guard_api, request.pk, encoded("PNG"), name="x.png")

    assert first.status_code == 201
    assert (second.status_code, second.json()["code"]) == (409, "photo_limit_reached")


def test_completion_waits_for_the_photos_it_names_and_the_timeline_counts_them(tenant, guard_api):
    request = _arrived(tenant, guard_api)
    photo_id = uuid.uuid4()

    # when the phone completes before its upload went through
    early = guard_api.post_json(f"/dispatches/{request.pk}/complete", {"note": "Let in.", "photo_ids": [str(photo_id)]})
    # then it is told to upload first and the request stays open
    assert (early.status_code, early.json()["code"]) == (409, "photo_not_uploaded")
    assert "photo_ids" in early.json()["fields"]
    request.refresh_from_db()
    assert request.status == RequestStatus.ARRIVED

    # when the upload arrives, completing works, and a retry is a replay
    assert send(guard_api, request.pk, phone_jpeg(), photo_id=photo_id).status_code == 201
    body = {"note": "Let in.", "photo_ids": [str(photo_id)]}
    done = guard_api.post_json(f"/dispatches/{request.pk}/complete", body)
    again = guard_api.post_json(f"/dispatches/{request.pk}/complete", body)

    assert done.status_code == 200, done.json()
    assert done.json()["status"] == "completed"
    assert [p["id"] for p in done.json()["photos"]] == [str(photo_id)]
    assert again["Idempotent-Replayed"] == "true"
    completed = RequestEvent.objects.get(request=request, kind="completed")
    assert "(1 photo)" in completed.text


def test_too_many_photo_ids_or_a_malformed_one_is_422(tenant, guard_api):
    request = _arrived(tenant, guard_api)

    many = guard_api.post_json(
        f"/dispatches/{request.pk}/complete", {"note": "x", "photo_ids": [str(uuid.uuid4()) for _ in range(11)]}
    )
    malformed = guard_api.post_json(f"/dispatches/{request.pk}/complete", {"note": "x", "photo_ids": ["nope"]})

    assert many.status_code == malformed.status_code == 422
    assert "photo_ids" in many.json()["fields"]


def test_dispatchers_of_the_site_see_the_photo_and_nobody_else_does(tenant, other_tenant, guard_api):
    request = _arrived(tenant, guard_api)
    body = send(guard_api, request.pk, phone_jpeg()).json()
    assigned = factories.SupervisorFactory(company=tenant.company)
    site_assignment_add(site=tenant.site, supervisor=assigned, by=tenant.manager)
    unassigned = factories.SupervisorFactory(company=tenant.company)
    original = body["url"].replace("/display", "/original")

    # the company's manager and the site's supervisor see it; only the manager gets the original (EXIF)
    assert _status(signed_in(tenant.manager), body["url"]) == 200
    assert _status(signed_in(tenant.manager), original) == 200
    assert _status(signed_in(assigned), body["url"]) == 200
    assert _status(signed_in(assigned), original) == 404
    # nobody else learns it exists
    for outsider in (other_tenant.manager, unassigned, tenant.client_contact, other_tenant.guard):
        assert _status(signed_in(outsider), body["url"]) == 404
    assert _status(signed_in(tenant.manager), body["url"].replace("/display", "/bogus")) == 404
