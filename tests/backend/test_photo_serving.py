"""Photos are shown only to the people allowed to see them, through one checked view."""

import io
import uuid
from collections.abc import Callable

import pytest
from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone
from PIL import Image

from backend.incidents.models import IncidentPhoto, IncidentReport, IncidentStatus
from backend.incidents.services import incident_photo_add
from backend.sites.models import ClientContactSite, SiteAssignment
from tests import factories
from tests.conftest import api_client_for
from tests.mobile_api.test_incidents import file_directly

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def jpeg_bytes(size=(64, 48)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, "orange").save(out, format="JPEG")
    return out.getvalue()


ORIGINAL = jpeg_bytes()


@pytest.fixture
def report(tenant):
    return file_directly(factories.ShiftFactory(post=tenant.post, guard=tenant.guard))


@pytest.fixture
def photo(report, tenant, django_capture_on_commit_callbacks) -> IncidentPhoto:
    """The tenant guard's photo on their report, with its thumbnail made."""
    with django_capture_on_commit_callbacks(execute=True):
        outcome = incident_photo_add(
            guard=tenant.guard,
            report_id=report.pk,
            upload=SimpleUploadedFile("gate.jpg", ORIGINAL, content_type="image/jpeg"),
        )
    photo = outcome.photo
    photo.refresh_from_db()
    assert photo.thumbnail
    return photo


def session_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def url(photo_id, variant="display") -> str:
    return f"/photos/{photo_id}/{variant}"


class Fetched:
    """A response read to the end: the test client closes a streamed file once it is consumed."""

    def __init__(self, response) -> None:
        self.response = response
        self.status_code = response.status_code
        self.body = b"".join(response.streaming_content) if response.streaming else response.content

    def __getitem__(self, header: str):
        return self.response[header]

    def __contains__(self, header: str) -> bool:
        return header in self.response


def fetch(client, path: str, **extra) -> Fetched:
    return Fetched(client.get(path, **extra))


def test_the_guard_sees_their_photo_from_the_phone_with_the_headers_a_browser_needs(photo, tenant):
    # given the guard's phone, authenticated by its bearer token
    phone = api_client_for(tenant.guard)

    # when it asks for the display copy
    response = fetch(phone, url(photo.pk))

    # then it gets the JPEG, cacheable by the phone only, never sniffed as something else
    assert response.status_code == 200
    assert response["Content-Type"] == "image/jpeg"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cross-Origin-Resource-Policy"] == "same-site"
    assert response["Content-Disposition"] == 'inline; filename="display.jpg"'
    cache_control = {part.strip() for part in response["Cache-Control"].split(",")}
    assert cache_control == {"private", "max-age=3600"}
    assert response["ETag"] == f'"{photo.sha256}-display"'
    assert "Authorization" in response["Vary"]
    with photo.display.open("rb") as stored:
        assert response.body == stored.read()
    assert int(response["Content-Length"]) == photo.display.size

    # and asking again with the ETag it holds costs no bytes
    again = fetch(phone, url(photo.pk), headers={"If-None-Match": response["ETag"]})
    assert again.status_code == 304
    assert again.body == b""
    assert again["ETag"] == response["ETag"]

    # and the thumbnail is its own small file
    thumbnail = fetch(phone, url(photo.pk, "thumbnail"))
    assert thumbnail.status_code == 200
    assert thumbnail["ETag"] == f'"{photo.sha256}-thumbnail"'
    assert max(Image.open(io.BytesIO(thumbnail.body)).size) <= 320


@pytest.mark.parametrize(
    ("viewer", "display", "original"),
    [
        ("guard", 200, 404),
        ("colleague", 404, 404),
        ("manager", 200, 200),
        ("rival_manager", 404, 404),
        ("rival_guard", 404, 404),
        ("client_contact", 404, 404),  # the report is not approved
        ("superuser", 200, 200),
        ("anonymous", 404, 404),
    ],
)
def test_who_sees_a_photo(photo, tenant, other_tenant, viewer, display, original):
    clients: dict[str, Callable[[], Client]] = {
        "guard": lambda: api_client_for(tenant.guard),
        "colleague": lambda: api_client_for(factories.GuardFactory(company=tenant.company)),
        "manager": lambda: session_for(tenant.manager),
        "rival_manager": lambda: session_for(other_tenant.manager),
        "rival_guard": lambda: api_client_for(other_tenant.guard),
        "client_contact": lambda: session_for(tenant.client_contact),
        "superuser": lambda: session_for(factories.UserFactory(company=None, role="staff", is_superuser=True)),
        "anonymous": Client,
    }
    client = clients[viewer]()

    assert fetch(client, url(photo.pk)).status_code == display
    assert fetch(client, url(photo.pk, "thumbnail")).status_code == display
    response = fetch(client, url(photo.pk, "original"))
    assert response.status_code == original
    if original == 200:
        assert response.body == ORIGINAL
        assert response["Content-Type"] == "image/jpeg"


def test_a_client_contact_sees_photos_of_approved_reports_of_their_own_client_only(photo, report, tenant):
    other_client_contact = factories.ClientContactFactory(client=factories.ClientFactory(company=tenant.company))
    contact, stranger = session_for(tenant.client_contact), session_for(other_client_contact)
    assert fetch(contact, url(photo.pk)).status_code == 404

    IncidentReport.objects.filter(pk=report.pk).update(
        status=IncidentStatus.APPROVED, approved_at=timezone.now(), approved_by=tenant.manager
    )

    assert fetch(contact, url(photo.pk)).status_code == 200
    assert fetch(contact, url(photo.pk, "original")).status_code == 404
    assert fetch(stranger, url(photo.pk)).status_code == 404


def test_a_supervisor_sees_the_photos_of_their_assigned_sites_only(photo, tenant):
    # given a supervisor assigned to the report's site and one assigned elsewhere
    now = timezone.now()
    assigned = factories.SupervisorFactory(company=tenant.company)
    SiteAssignment.objects.create(site=tenant.site, supervisor=assigned, assigned_at=now)
    elsewhere = factories.SupervisorFactory(company=tenant.company)
    other_site = factories.SiteFactory(client=tenant.client, name="Warehouse")
    SiteAssignment.objects.create(site=other_site, supervisor=elsewhere, assigned_at=now)

    # then the first sees the clean copy (not the original), the second nothing
    assert fetch(session_for(assigned), url(photo.pk)).status_code == 200
    assert fetch(session_for(assigned), url(photo.pk, "original")).status_code == 404
    assert fetch(session_for(elsewhere), url(photo.pk)).status_code == 404


def test_a_client_contact_limited_to_other_sites_does_not_see_the_photo(photo, report, tenant):
    # given an approved report on the site, and a contact of the client limited to another site
    IncidentReport.objects.filter(pk=report.pk).update(
        status=IncidentStatus.APPROVED, approved_at=timezone.now(), approved_by=tenant.manager
    )
    limited = factories.ClientContactFactory(client=tenant.client)
    ClientContactSite.objects.create(contact=limited, site=factories.SiteFactory(client=tenant.client, name="Annex"))
    limited_here = factories.ClientContactFactory(client=tenant.client)
    ClientContactSite.objects.create(contact=limited_here, site=tenant.site)

    assert fetch(session_for(limited), url(photo.pk)).status_code == 404
    assert fetch(session_for(limited_here), url(photo.pk)).status_code == 200
    assert fetch(session_for(tenant.client_contact), url(photo.pk)).status_code == 200


@pytest.mark.parametrize(
    "path",
    [
        "/photos/not-a-uuid/display",
        "/photos/{photo}/exif",
        "/photos/{photo}/",
        "/photos/{unknown}/display",
        "/media/incidents/{report}/{photo}/display.jpg",
    ],
)
def test_anything_but_a_known_photo_and_variant_is_404(photo, tenant, path):
    manager = session_for(tenant.manager)

    response = fetch(manager, path.format(photo=photo.pk, unknown=uuid.uuid4(), report=photo.report_id))

    assert response.status_code == 404


def test_a_bad_token_is_nobody_even_with_a_session(photo, tenant):
    client = session_for(tenant.manager)

    response = fetch(client, url(photo.pk), headers={"Authorization": "Bearer gdo_not-a-real-token"})

    assert response.status_code == 404


def test_a_file_lost_from_storage_is_404_not_a_server_error(photo, tenant):
    photo.display.storage.delete(photo.display.name)

    response = fetch(session_for(tenant.manager), url(photo.pk))

    assert response.status_code == 404


def test_behind_nginx_the_view_only_decides_and_nginx_sends_the_bytes(photo, tenant, other_tenant, settings):
    # given production behind nginx
    settings.PHOTO_SERVE_MODE = "x-accel-redirect"
    settings.PHOTO_X_ACCEL_PREFIX = "/protected-media/"

    # when the manager's browser asks for the photo
    response = fetch(session_for(tenant.manager), url(photo.pk))

    # then the answer is empty, names the internal location, and carries the same headers
    assert response.status_code == 200
    assert response.body == b""
    assert response["X-Accel-Redirect"] == f"/protected-media/incidents/{photo.report_id}/{photo.pk}/display.jpg"
    assert response["Content-Type"] == "image/jpeg"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["ETag"] == f'"{photo.sha256}-display"'
    assert "private" in response["Cache-Control"]
    # and another company's manager still gets a plain 404 with nothing for nginx to send
    denied = fetch(session_for(other_tenant.manager), url(photo.pk))
    assert denied.status_code == 404
    assert "X-Accel-Redirect" not in denied


def test_behind_apache_the_view_names_the_file_for_x_sendfile(photo, tenant, settings):
    settings.PHOTO_SERVE_MODE = "x-sendfile"

    response = fetch(session_for(tenant.manager), url(photo.pk, "thumbnail"))

    assert response.status_code == 200
    assert response.body == b""
    assert response["X-Sendfile"] == photo.thumbnail.path
    assert response["Content-Type"] == "image/jpeg"


# --- The admin -----------------------------------------------------------------------------


def test_the_managers_report_page_shows_the_thumbnail_and_offers_no_delete(photo, report, tenant):
    # given a manager with every incidents permission (delete included)
    tenant.manager.user_permissions.set(Permission.objects.filter(content_type__app_label="incidents"))
    admin = session_for(tenant.manager)

    # when they open the report in the admin
    page = admin.get(f"/admin/incidents/incidentreport/{report.pk}/change/")

    # then the photo is a thumbnail linking to the display copy, both served
    assert page.status_code == 200
    html = page.content.decode()
    assert f'<img src="/photos/{photo.pk}/thumbnail"' in html
    assert f'href="/photos/{photo.pk}/display"' in html
    assert "/media/" not in html
    for path in (url(photo.pk, "thumbnail"), url(photo.pk)):
        shown = fetch(admin, path)
        assert shown.status_code == 200
        assert shown["Content-Type"] == "image/jpeg"
    # and a photo is evidence: no box offers to delete it
    photos_inline = html[html.index('id="photos-group"') :]
    photos_inline = photos_inline[: photos_inline.index("inline-group", 30)]
    assert "Photo" in photos_inline
    assert "Delete?" not in photos_inline
    assert "photos-0-DELETE" not in html


def test_an_unknown_photo_serve_mode_refuses_to_start():
    from tests.backend.test_deploy_settings import _check_deploy

    result = _check_deploy(DJANGO_SECRET_KEY="k" * 20 + "Q7-production-like-secret-value-xyz", PHOTO_SERVE_MODE="nginx")

    assert result.returncode != 0
    assert "PHOTO_SERVE_MODE='nginx'" in result.stderr


def test_before_its_thumbnail_is_made_a_photo_shows_its_display_copy(report, tenant):
    # given a photo whose thumbnail task has not run yet
    photo = incident_photo_add(
        guard=tenant.guard,
        report_id=report.pk,
        upload=SimpleUploadedFile("gate.jpg", ORIGINAL, content_type="image/jpeg"),
    ).photo
    assert not photo.thumbnail

    response = fetch(api_client_for(tenant.guard), url(photo.pk, "thumbnail"))

    # then the thumbnail URL answers with the display copy, tagged as such for caches
    assert response.status_code == 200
    assert response["ETag"] == f'"{photo.sha256}-display"'
    with photo.display.open("rb") as display:
        assert response.body == display.read()
