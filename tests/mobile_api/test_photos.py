"""Photos on incident reports: judged by content, kept as evidence, shown without EXIF."""

import hashlib
import io
import uuid
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import RequestFactory
from django.utils import timezone
from PIL import Image

from backend.flags.models import Flag, FlagStatus
from backend.incidents.images import HEIF_SUPPORTED
from backend.incidents.models import IncidentPhoto, IncidentReport, IncidentStatus
from backend.incidents.services import incident_return_for_correction
from backend.rules.findings import FlagCode
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
    base = f"http://testserver/photos/{body['id']}"
    assert detail["photos"] == [
        {
            "id": body["id"],
            "sha256": body["sha256"],
            "width": 40,
            "height": 60,
            "url": f"{base}/display",
            "thumbnail_url": f"{base}/thumbnail",
        }
    ]
    assert (body["url"], body["thumbnail_url"]) == (f"{base}/display", f"{base}/thumbnail")
    # and the phone shows them with its own token
    for url, size in ((body["url"], (40, 60)), (body["thumbnail_url"], (40, 60))):
        shown = guard_api.get(url)
        assert shown.status_code == 200
        assert shown["Content-Type"] == "image/jpeg"
        assert Image.open(io.BytesIO(b"".join(shown.streaming_content))).size == size


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

    IncidentReport.objects.filter(pk=report.pk).update(
        status=IncidentStatus.APPROVED, approved_at=timezone.now(), approved_by=tenant.manager
    )
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


# --- Metadata ----------------------------------------------------------------------------

SERIAL = "C02XK1ABJGH5"
EXIF_IFD, BODY_SERIAL_NUMBER = 0x8769, 0xA431
# Segments a bare JPEG of pixels is made of: JFIF header, tables, frame, scan.
PIXEL_SEGMENTS = {0xE0, 0xDB, 0xC0, 0xC2, 0xC4, 0xDD, 0xDA}


def _segment(marker: int, payload: bytes) -> bytes:
    return bytes((0xFF, marker)) + (len(payload) + 2).to_bytes(2, "big") + payload


def jpeg_segments(data: bytes) -> list[tuple[int, bytes]]:
    """The (marker, payload) segments of a JPEG up to its scan."""
    assert data[:2] == b"\xff\xd8"
    segments, at = [], 2
    while at < len(data):
        assert data[at] == 0xFF
        marker = data[at + 1]
        length = int.from_bytes(data[at + 2 : at + 4], "big")
        segments.append((marker, data[at + 4 : at + 2 + length]))
        if marker == 0xDA:  # start of scan: entropy-coded data follows
            break
        at += 2 + length
    return segments


def tattletale_jpeg() -> bytes:
    """A phone photo that says everything about where it was taken and by which device:
    a JPEG comment with the position, EXIF GPS and body serial, XMP, IPTC and an ICC profile."""
    from PIL import ImageCms

    exif = Image.Exif()
    exif[MAKE] = "Apple"
    exif[GPS_IFD] = {1: "N", 2: (33.0, 50.0, 18.6), 3: "W", 4: (84.0, 25.0, 34.3)}
    exif[EXIF_IFD] = {BODY_SERIAL_NUMBER: SERIAL}
    xmp = f'<x:xmpmeta xmlns:x="adobe:ns:meta/"><exif:BodySerialNumber>{SERIAL}</exif:BodySerialNumber></x:xmpmeta>'
    out = io.BytesIO()
    Image.new("RGB", (64, 48), "green").save(
        out,
        format="JPEG",
        exif=exif.tobytes(),
        comment="GPS 33.8385,-84.4262",
        xmp=xmp.encode(),
        icc_profile=ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes(),
    )
    data = out.getvalue()
    # IPTC (Photoshop APP13): record 2:116 "copyright notice" naming the phone.
    iptc_record = b"\x1c\x02\x74\x00\x0cGuard " + SERIAL[:6].encode()
    iptc = _segment(0xED, b"Photoshop 3.0\x008BIM\x04\x04\x00\x00" + len(iptc_record).to_bytes(4, "big") + iptc_record)
    return data[:2] + iptc + data[2:]


def assert_bare_pixels(data: bytes) -> None:
    markers = {marker for marker, _ in jpeg_segments(data)}
    assert markers <= PIXEL_SEGMENTS, f"metadata segments left: {sorted(hex(m) for m in markers - PIXEL_SEGMENTS)}"
    for tell in (b"GPS 33.8385", b"Exif", SERIAL.encode(), b"xmpmeta", b"Photoshop", b"Apple"):
        assert tell not in data


def test_the_display_copy_and_thumbnail_carry_no_metadata_at_all(report, guard_api, django_capture_on_commit_callbacks):
    # given a photo whose comment, EXIF, XMP and IPTC all give away the position or the phone
    data = tattletale_jpeg()
    markers = {marker for marker, _ in jpeg_segments(data)}
    assert {0xFE, 0xE1, 0xE2, 0xED} <= markers  # COM, APP1 (EXIF and XMP), APP2 (ICC), APP13 (IPTC)

    # when the guard attaches it and the thumbnail is made
    with django_capture_on_commit_callbacks(execute=True):
        response = upload(guard_api, report.pk, data)

    # then the copies anyone can be shown are pixels only
    assert response.status_code == 201, response.json()
    photo = IncidentPhoto.objects.get()
    with photo.display.open("rb") as display:
        assert_bare_pixels(display.read())
    with photo.thumbnail.open("rb") as thumbnail:
        assert_bare_pixels(thumbnail.read())
    # and the original is kept byte for byte as evidence
    with photo.original.open("rb") as original:
        assert original.read() == data


def test_png_text_chunks_do_not_reach_the_display_copy(report, guard_api):
    from PIL import PngImagePlugin

    text = PngImagePlugin.PngInfo()
    text.add_text("comment", "GPS 33.8385,-84.4262")  # the key Pillow would write back as a JPEG comment
    text.add_itxt("XML:com.adobe.xmp", f"<x:xmpmeta>{SERIAL}</x:xmpmeta>")
    out = io.BytesIO()
    Image.new("RGB", (64, 48), "green").save(out, format="PNG", pnginfo=text)

    response = upload(guard_api, report.pk, out.getvalue(), name="x.png", content_type="image/png")

    assert response.status_code == 201, response.json()
    with IncidentPhoto.objects.get().display.open("rb") as display:
        assert_bare_pixels(display.read())


# --- The rules run again -------------------------------------------------------------------


def _incomplete(report):
    return Flag.objects.filter(incident=report, code=FlagCode.INCOMPLETE_REPORT)


def test_uploading_the_photo_a_type_requires_clears_needs_a_photo(shift, guard_api):
    # given a vandalism report (a photo is required) filed without one
    report = file_directly(shift, type_code="vandalism")
    flag = _incomplete(report).get(status=FlagStatus.OPEN)
    assert flag.evidence["missing_fields"] == ["photos"]
    assert "a photo" in flag.message

    # when the guard attaches the photo
    data, photo_id = phone_jpeg(), uuid.uuid4()
    response = upload(guard_api, report.pk, data, photo_id=photo_id)

    # then the answer shows the report's open flags, and "needs a photo" is not among them
    assert response.status_code == 201, response.json()
    assert "INCOMPLETE_REPORT" not in [f["code"] for f in response.json()["flags"]]
    flag.refresh_from_db()
    assert flag.status == FlagStatus.RESOLVED

    # and a retried upload stores nothing new and raises nothing again
    retry = upload(guard_api, report.pk, data, photo_id=photo_id)
    assert retry.status_code == 201
    assert retry["Idempotent-Replayed"] == "true"
    assert retry.json()["flags"] == response.json()["flags"]
    assert IncidentPhoto.objects.count() == 1
    assert _incomplete(report).count() == 1
    assert not _incomplete(report).filter(status=FlagStatus.OPEN).exists()


def test_the_photo_resolves_only_its_part_of_an_incomplete_report(shift, guard_api):
    # given a vandalism report missing both the photo and where on site
    report = file_directly(shift, type_code="vandalism", location_detail="")
    assert _incomplete(report).get().evidence["missing_fields"] == ["location_detail", "photos"]

    # when the photo arrives
    response = upload(guard_api, report.pk, phone_jpeg())

    # then the report is still incomplete, but only for where on site
    assert response.status_code == 201
    (shown,) = [f for f in response.json()["flags"] if f["code"] == "INCOMPLETE_REPORT"]
    assert shown["evidence"]["missing_fields"] == ["location_detail"]
    assert "photo" not in shown["message"]
    assert _incomplete(report).get(status=FlagStatus.OPEN).evidence["missing_fields"] == ["location_detail"]


@pytest.mark.skipif(not HEIF_SUPPORTED, reason="pillow-heif is not installed")
def test_an_iphone_heic_loses_its_exif_and_xmp_in_the_display_copy(report, guard_api):
    exif = Image.Exif()
    exif[MAKE] = "Apple"
    exif[GPS_IFD] = {1: "N", 2: (33.0, 50.0, 18.6)}
    exif[EXIF_IFD] = {BODY_SERIAL_NUMBER: SERIAL}
    out = io.BytesIO()
    Image.new("RGB", (64, 48), "green").save(
        out, format="HEIF", exif=exif.tobytes(), xmp=f"<x:xmpmeta>{SERIAL}</x:xmpmeta>".encode()
    )
    assert SERIAL.encode() in out.getvalue()

    response = upload(guard_api, report.pk, out.getvalue(), name="IMG_0002.HEIC", content_type="image/heic")

    assert response.status_code == 201, response.json()
    with IncidentPhoto.objects.get().display.open("rb") as display:
        assert_bare_pixels(display.read())


def test_a_colour_profile_that_cannot_be_read_does_not_stop_the_photo(report, guard_api):
    out = io.BytesIO()
    Image.new("RGB", (64, 48), "green").save(out, format="JPEG", icc_profile=b"not a colour profile" * 8)

    response = upload(guard_api, report.pk, out.getvalue())

    assert response.status_code == 201, response.json()
    with IncidentPhoto.objects.get().display.open("rb") as display:
        data = display.read()
    assert_bare_pixels(data)
    green = Image.open(io.BytesIO(data)).getpixel((10, 10))
    assert isinstance(green, tuple)
    assert green[1] > 100
    assert green[0] < 60


def test_display_copies_stored_with_metadata_are_remade_from_the_original(
    report, guard_api, django_capture_on_commit_callbacks
):
    from django.core.management import call_command

    # given a photo stored before the fix: its display copy and thumbnail still hold the comment
    data = tattletale_jpeg()
    with django_capture_on_commit_callbacks(execute=True):
        assert upload(guard_api, report.pk, data).status_code == 201
    photo = IncidentPhoto.objects.get()
    for copy in (photo.display, photo.thumbnail):
        with copy.storage.open(copy.name, "wb") as stale:
            stale.write(data)

    # when the clean-up runs
    out = io.StringIO()
    call_command("photos_strip_metadata", stdout=out)

    # then both copies are pixels again, the original is untouched and nothing old is left behind
    assert "1 re-made" in out.getvalue()
    photo.refresh_from_db()
    for copy in (photo.display, photo.thumbnail):
        with copy.open("rb") as cleaned:
            assert_bare_pixels(cleaned.read())
    with photo.original.open("rb") as original:
        assert original.read() == data
    folder = photo.display.storage.path(photo.display.name).rsplit("/", 1)[0]
    assert len(list(Path(folder).iterdir())) == 3
    # and a second run finds nothing to do
    again = io.StringIO()
    call_command("photos_strip_metadata", stdout=again)
    assert "0 re-made" in again.getvalue()
