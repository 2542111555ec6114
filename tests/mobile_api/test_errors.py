"""Every answer under the API's prefix is JSON `{code, message}`, even Django's own errors."""

import json
import uuid

import pytest

from tests import factories
from tests.mobile_api.test_incidents import file_directly
from tests.mobile_api.test_photos import phone_jpeg

pytestmark = pytest.mark.django_db

PREFIX = "/api/mobile/v1"


def assert_json_error(response, status: int, code: str) -> None:
    assert response.status_code == status, response.content[:300]
    assert response["Content-Type"].startswith("application/json"), response.content[:300]
    body = json.loads(response.content)
    assert body["code"] == code
    assert body["message"]


@pytest.mark.parametrize("path", ["/no-such-thing", "/shifts/1/nope", "/incidents/not-a-uuid/photos/x"])
def test_an_unknown_path_is_a_json_404(guard_api, path):
    assert_json_error(guard_api.get(PREFIX + path), 404, "not_found")


def test_an_unknown_path_is_a_json_404_anonymously_too(anonymous_api):
    assert_json_error(anonymous_api.post(PREFIX + "/nothing/here", {}), 404, "not_found")


@pytest.mark.parametrize(("method", "path"), [("patch", "/shifts"), ("get", "/pings"), ("put", "/auth/token")])
def test_a_wrong_method_is_a_json_405(guard_api, method, path):
    response = getattr(guard_api, method)(PREFIX + path)

    assert_json_error(response, 405, "method_not_allowed")
    assert response["Allow"]


def test_a_photo_upload_with_a_negative_content_length_is_a_json_400(tenant, guard_api, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    report = file_directly(factories.ShiftFactory(post=tenant.post, guard=tenant.guard))
    from django.core.files.uploadedfile import SimpleUploadedFile

    response = guard_api.post(
        f"{PREFIX}/incidents/{report.pk}/photos",
        {"file": SimpleUploadedFile("p.jpg", phone_jpeg(), content_type="image/jpeg"), "photo_id": str(uuid.uuid4())},
        CONTENT_LENGTH="-1",
    )

    assert_json_error(response, 400, "malformed_body")
    assert not report.photos.exists()


def test_pages_outside_the_api_keep_django_s_own_errors(client):
    response = client.get("/no-such-page")

    assert response.status_code == 404
    assert not response["Content-Type"].startswith("application/json")


def test_a_crash_under_the_api_is_a_json_500_and_api_json_errors_pass_untouched():
    from django.http import HttpResponseServerError, JsonResponse
    from django.test import RequestFactory

    from mobile_api.middleware import ApiJsonErrorsMiddleware

    crash = ApiJsonErrorsMiddleware(lambda request: HttpResponseServerError("<h1>Server Error (500)</h1>"))
    own = JsonResponse({"code": "shift_not_found", "message": "No such shift."}, status=404)
    passthrough = ApiJsonErrorsMiddleware(lambda request: own)

    assert_json_error(crash(RequestFactory().get(PREFIX + "/shifts")), 500, "server_error")
    assert passthrough(RequestFactory().get(PREFIX + "/shifts/9")) is own
