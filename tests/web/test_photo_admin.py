"""In the admin, a report's photos show as thumbnails that open the display copy."""

import io

import pytest
from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from backend.incidents.services import incident_photo_add, incident_photo_thumbnail_make
from tests import factories
from tests.mobile_api.test_incidents import file_directly
from tests.web.conftest import admin_login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_manager_sees_the_photo_and_opens_it(page, live_server, tenant, settings, tmp_path):
    # given a report with a 300 x 200 photo whose thumbnail is made, and a manager allowed to read reports
    settings.MEDIA_ROOT = tmp_path / "media"
    report = file_directly(factories.ShiftFactory(post=tenant.post, guard=tenant.guard))
    out = io.BytesIO()
    Image.new("RGB", (300, 200), "orange").save(out, format="JPEG")
    photo = incident_photo_add(
        guard=tenant.guard,
        report_id=report.pk,
        upload=SimpleUploadedFile("gate.jpg", out.getvalue(), content_type="image/jpeg"),
    ).photo
    incident_photo_thumbnail_make(photo_id=photo.pk)
    tenant.manager.user_permissions.set(Permission.objects.filter(content_type__app_label="incidents"))
    admin_login(page, live_server.url, tenant.manager.username)

    # when they open the report
    page.goto(f"{live_server.url}/admin/incidents/incidentreport/{report.pk}/change/")

    # then the thumbnail has loaded (a broken image has no natural width)
    thumbnail = page.locator(f'#photos-group img[src="/photos/{photo.pk}/thumbnail"]')
    thumbnail.scroll_into_view_if_needed()  # it loads lazily
    thumbnail.evaluate("img => img.decode()")
    assert thumbnail.evaluate("img => img.naturalWidth") == 300
    # and clicking it shows the display copy
    with page.expect_response(f"**/photos/{photo.pk}/display") as shown:
        thumbnail.click()
    assert shown.value.status == 200
    assert shown.value.headers["content-type"] == "image/jpeg"
