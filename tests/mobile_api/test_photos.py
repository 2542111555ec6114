"""Photos on incident reports: judged by content, kept as evidence, shown without EXIF."""

import hashlib
import io
import uuid

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import RequestFactory
from PIL import Image

from backend.incidents.images import HEIF_SUPPORTED
from backend.incidents.models import IncidentPhoto, IncidentReport, IncidentStatus
from backend.incidents.services import incident_return_for_correction
from mobile_api.middleware import PhotoUploadLimitMiddleware
from tests import factories
from tests.mobile_api.test_incidents import file_directly

pytestmark = pytest.mark.django_db

MIDDLEWARE = "mobile_api.middleware.PhotoUploadLimitMiddleware"
ORIENTATION, MAKE, GPS_IFD = 0x0112, 0x010F, 0x8825


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    """Uploads go to a throwaway folder."""
    settings.MEDIA_ROOT = tmp_path / "media"


def test_the_photo_size_guard_is_installed():
    from django.conf import settings

    assert MIDDLEWARE in settings.MIDDLEWARE


@pytest.fixture
def shift(tenant):
    return factories.ShiftFactory(post=tenant.post, guard=tenant.guard)


@pytest.fixture
def report(shift):
    return file_directly(shift)


def phone_jpeg() -> bytes:
    """A 60x40 landscape sensor image, left half red, right half blue, that the phone says to
    rotate 90° clockwise (EXIF orientation 6), with the GPS position and make in EXIF."""
    image = Image.new("RGB", (60, 40), "blue")
    image.paste((255, 0, 0), (0, 0, 30, 40))
    exif = Image.Exif()
    exif[ORIENTATION] = 6
    exif[MAKE] = "Apple"
    exif[GPS_IFD] = {1: "N", 2: (33.0, 46.0, 48.0), 3: "W", 4: (84.0, 23.0, 17.0)}
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif.tobytes(), quality=95)
    return out.getvalue()


def encoded(fmt: str, size=(64, 48), mode="RGB") -> bytes:
    out = io.BytesIO()
    Image.new(mode, size).save(out, format=fmt)
    return out.getvalue()


def upload(api, report_id, data: bytes, *, name="photo.jpg", content_type="image/jpeg", photo_id=None):
    fields: dict[str, object] = {"file": SimpleUploadedFile(name, data, content_type=content_type)}
    if photo_id is not None:
        fields["photo_id"] = str(photo_id)
    return api.post(f"/api/mobile/v1/incidents/{report_id}/photos", fields)


def test_a_phone_photo_is_kept_as_evidence_and_shown_upright_without_exif(
    report, guard_api, django_capture_on_commit_callbacks
):
    # given a photo straight from a phone, with GPS in its EXIF
    data = phone_jpeg()
    assert Image.open(io.BytesIO(data)).getexif().get_ifd(GPS_IFD)

    # when the guard attaches it (and the on-commit thumbnail task runs)
    with django_capture_on_commit_callbacks(execute=True):
        response = upload(guard_api, report.pk, data)

    # then the original bytes are kept, proven by their SHA-256
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["sha256"] == hashlib.sha256(data).hexdigest()
    photo = IncidentPhoto.objects.get(pk=body["id"])
    with photo.original.open("rb") as original:
        assert hashlib.sha256(original.read()).hexdigest() == body["sha256"]
    # and the display copy is upright (portrait, red on top) with no EXIF at all
    assert (body["width"], body["height"]) == (40, 60)
    with photo.display.open("rb") as display_file:
        display = Image.open(io.BytesIO(display_file.read()))
        assert display.format == "JPEG"
        assert display.size == (40, 60)
        assert len(display.getexif()) == 0
        assert "exif" not in display.info
        top = display.convert("RGB").getpixel((20, 5))
        assert isinstance(top, tuple)
        assert top[0] > 200  # red
        assert top[2] < 60  # not blue
    # and a thumbnail was made by the task
    assert photo.thumbnail
    with photo.thumbnail.open("rb") as thumbnail:
        assert max(Image.open(io.BytesIO(thumbnail.read())).size) <= 320
    assert photo.content_type == "image/jpeg"
    detail = guard_api.get_json(f"/incidents/{report.pk}").json()
    assert detail["photos"] == [{"id": body["id"], "sha256": body["sha256"], "width": 40, "height": 60}]


def test_png_is_accepted_and_transparency_becomes_white(report, guard_api):
    response = upload(guard_api, report.pk, encoded("PNG", mode="RGBA"), name="x.png", content_type="image/png")

    assert response.status_code == 201
    photo = IncidentPhoto.objects.get(pk=response.json()["id"])
    assert photo.content_type == "image/png"
    with photo.display.open("rb") as display:
        assert Image.open(io.BytesIO(display.read())).convert("RGB").getpixel((1, 1)) == (255, 255, 255)


@pytest.mark.skipif(not HEIF_SUPPORTED, reason="pillow-heif is not installed")
def test_heic_from_an_iphone_is_accepted(report, guard_api):
    response = upload(guard_api, report.pk, encoded("HEIF"), name="IMG_0001.HEIC", content_type="image/heic")

    assert response.status_code == 201, response.json()
    assert IncidentPhoto.objects.get().content_type == "image/heic"


@pytest.mark.parametrize(
    "data",
    [
        b"This is a text file, not a picture.\n" * 20,
        b"",
        phone_jpeg()[:200],  # a JPEG header without its pixels
        encoded("GIF"),  # a real image, but not a format we take
    ],
    ids=["text", "empty", "truncated-jpeg", "gif"],
)
def test_anything_that_is_not_a_jpeg_png_or_heic_is_refused_whatever_its_name(report, guard_api, data):
    response = upload(guard_api, report.pk, data, name="holiday.jpg", content_type="image/jpeg")

    assert response.status_code == 415
    assert response.json()["code"] == "unsupported_image"
    assert not IncidentPhoto.objects.exists()


def test_a_decompression_bomb_png_is_refused_before_decoding(report, guard_api):
    # given a 109 KB PNG that would decode to 30000 x 30000 pixels
    bomb = encoded("PNG", size=(30_000, 30_000), mode="1")
    assert len(bomb) < 200_000

    response = upload(guard_api, report.pk, bomb, name="bomb.png", content_type="image/png")

    assert response.status_code == 422
    assert response.json()["code"] == "image_too_large"
    assert not IncidentPhoto.objects.exists()


def test_the_pixel_cap_comes_from_settings(report, guard_api, settings):
    settings.MOBILE_PHOTO_MAX_PIXELS = 1000

    response = upload(guard_api, report.pk, encoded("PNG", size=(40, 30)), name="x.png")

    assert response.status_code == 422
    assert response.json()["code"] == "image_too_large"


def test_a_60_mb_upload_is_refused_with_413(report, guard_api):
    response = upload(guard_api, report.pk, b"\xff\xd8" + b"\0" * (60 * 1024 * 1024))

    assert response.status_code == 413
    assert response.json()["code"] == "photo_too_large"
    assert not IncidentPhoto.objects.exists()


def test_a_file_over_the_limit_is_refused_even_without_the_middleware(report, guard_api, settings):
    settings.MIDDLEWARE = [m for m in settings.MIDDLEWARE if m != MIDDLEWARE]
    settings.MOBILE_PHOTO_MAX_BYTES = 100_000

    response = upload(guard_api, report.pk, b"\xff\xd8" + b"\0" * 150_000)

    assert response.status_code == 413
    assert response.json()["code"] == "photo_too_large"


def test_the_middleware_answers_from_content_length_without_reading_the_body(settings):
    class Unreadable(io.RawIOBase):
        def read(self, *args):
            raise AssertionError("the body was read")

    request = RequestFactory().post(f"/api/mobile/v1/incidents/{uuid.uuid4()}/photos", data=b"", content_type="x/y")
    request.META["CONTENT_LENGTH"] = str(60 * 1024 * 1024)
    request.META["wsgi.input"] = Unreadable()
    middleware = PhotoUploadLimitMiddleware(lambda request: pytest.fail("the view was called"))

    response = middleware(request)

    assert response.status_code == 413
    assert b"photo_too_large" in response.content


def test_retrying_an_upload_stores_one_photo(report, guard_api):
    data, photo_id = phone_jpeg(), uuid.uuid4()

    first = upload(guard_api, report.pk, data, photo_id=photo_id)
    retry = upload(guard_api, report.pk, data, photo_id=photo_id)
    same_picture_new_id = upload(guard_api, report.pk, data, photo_id=uuid.uuid4())
    same_picture_no_id = upload(guard_api, report.pk, data)

    assert first.status_code == retry.status_code == same_picture_new_id.status_code == 201
    assert first.json()["id"] == str(photo_id)
    assert retry.json() == same_picture_new_id.json() == same_picture_no_id.json() == first.json()
    assert retry["Idempotent-Replayed"] == "true"
    assert IncidentPhoto.objects.count() == 1


@pytest.mark.parametrize(
    "extra",
    [
        pytest.param({"sha256": "0" * 64}, id="sha256"),
        pytest.param({"report_id": str(uuid.uuid4())}, id="report_id"),
        pytest.param({"thumbnail": SimpleUploadedFile("t.jpg", b"x", content_type="image/jpeg")}, id="second-file"),
    ],
)
def test_an_upload_with_a_field_the_form_does_not_have_is_422_unknown_field(report, guard_api, extra):
    fields = {"file": SimpleUploadedFile("photo.jpg", phone_jpeg(), content_type="image/jpeg"), **extra}

    response = guard_api.post(f"/api/mobile/v1/incidents/{report.pk}/photos", fields)

    assert response.status_code == 422, response.json()
    assert response.json()["code"] == "unknown_field"
    assert list(response.json()["fields"]) == list(extra)
    assert not IncidentPhoto.objects.exists()


def test_a_photo_id_reused_for_another_picture_is_409(report, guard_api):
    photo_id = uuid.uuid4()
    upload(guard_api, report.pk, phone_jpeg(), photo_id=photo_id)

    response = upload(guard_api, report.pk, encoded("PNG"), name="x.png", photo_id=photo_id)

    assert response.status_code == 409
    assert response.json()["code"] == "idempotency_conflict"
    assert IncidentPhoto.objects.count() == 1


def test_only_the_reports_guard_can_add_photos(tenant, other_tenant, guard_api, other_guard_api):
    colleague_shift = factories.ShiftFactory(post=tenant.post, guard=factories.GuardFactory(company=tenant.company))
    colleagues = file_directly(colleague_shift)
    rivals = file_directly(factories.ShiftFactory(post=other_tenant.post, guard=other_tenant.guard))

    for api, report in ((guard_api, colleagues), (guard_api, rivals), (other_guard_api, colleagues)):
        response = upload(api, report.pk, phone_jpeg())
        assert response.status_code == 404
        assert response.json()["code"] == "report_not_found"
    assert upload(guard_api, uuid.uuid4(), phone_jpeg()).status_code == 404
    assert not IncidentPhoto.objects.exists()


def test_photos_can_be_added_while_returned_but_not_once_approved(report, tenant, guard_api):
    incident_return_for_correction(report=report, reviewer=tenant.manager, comment="Add a photo of the gate.")
    assert upload(guard_api, report.pk, phone_jpeg()).status_code == 201

    IncidentReport.objects.filter(pk=report.pk).update(status=IncidentStatus.APPROVED)
    response = upload(guard_api, report.pk, encoded("PNG"), name="x.png")

    assert response.status_code == 409
    assert response.json()["code"] == "report_not_editable"
    assert IncidentPhoto.objects.count() == 1


def test_an_upload_without_a_file_is_422(report, guard_api):
    response = guard_api.post(f"/api/mobile/v1/incidents/{report.pk}/photos", {"photo_id": str(uuid.uuid4())})

    assert response.status_code == 422
    assert response.json()["code"] == "validation_error"
    assert "file" in response.json()["fields"]


def test_the_display_copy_of_a_big_photo_is_bounded_while_the_original_is_kept_whole(report, guard_api):
    # given a 6000 x 4000 (24 MP) photo
    data = encoded("JPEG", size=(6000, 4000))

    response = upload(guard_api, report.pk, data)

    assert response.status_code == 201
    assert (response.json()["width"], response.json()["height"]) == (4096, 2731)
    photo = IncidentPhoto.objects.get()
    assert photo.size_bytes == len(data)
    with photo.original.open("rb") as original:
        assert Image.open(original).size == (6000, 4000)
