"""Recording a guard's qualification: the scan keeps re-encoded pixels only; each refusal code."""

from __future__ import annotations

import io
from datetime import date

import pytest
from PIL import Image

from backend.attendance.qualifications import guard_qualification_record
from backend.core.errors import NotFound, PermissionDenied, ValidationFailed
from backend.incidents.images import jpeg_metadata_blocks
from backend.staffing.models import GuardQualification, Qualification
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    # Certificate scans are written to disk: each test gets its own folder.
    settings.MEDIA_ROOT = tmp_path / "media"


def _jpeg_with_exif() -> bytes:
    image = Image.new("RGB", (64, 48), (200, 30, 30))
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # Make
    exif[0xA431] = "SERIAL-123456"  # BodySerialNumber
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif)
    return out.getvalue()


def _cpr(tenant) -> Qualification:
    return Qualification.objects.get(company=tenant.company, code="cpr-first-aid")


def test_a_certificate_scan_is_stored_without_its_metadata(tenant):
    upload = _jpeg_with_exif()
    assert b"SERIAL-123456" in upload

    held = guard_qualification_record(
        by=tenant.manager,
        guard=tenant.guard,
        qualification=_cpr(tenant),
        issued_on=date(2026, 1, 5),
        expires_on=date(2028, 1, 5),
        certificate=upload,
    )

    with held.certificate.open("rb") as scan:
        stored = scan.read()
    assert b"SERIAL-123456" not in stored
    assert b"PhoneMaker" not in stored
    assert jpeg_metadata_blocks(stored) == []


@pytest.mark.parametrize(
    ("case", "code"),
    [
        ("not an image", "certificate_unsupported"),
        ("expires before issue", "expires_before_issue"),
    ],
)
def test_bad_input_is_refused_naming_the_field(tenant, case, code):
    kwargs: dict[str, object] = {"issued_on": date(2026, 1, 5), "expires_on": date(2027, 1, 5)}
    if case == "not an image":
        kwargs["certificate"] = b"%PDF-1.4 not a photo"
    else:
        kwargs["expires_on"] = date(2025, 1, 5)

    with pytest.raises(ValidationFailed) as refused:
        guard_qualification_record(by=tenant.manager, guard=tenant.guard, qualification=_cpr(tenant), **kwargs)

    assert refused.value.code == code
    assert not GuardQualification.objects.exists()


def test_another_companys_manager_or_guard_is_refused(tenant, other_tenant):
    with pytest.raises(NotFound):
        guard_qualification_record(
            by=other_tenant.manager, guard=tenant.guard, qualification=_cpr(tenant), issued_on=date(2026, 1, 5)
        )
    with pytest.raises(NotFound) as wrong_guard:
        guard_qualification_record(
            by=tenant.manager, guard=other_tenant.guard, qualification=_cpr(tenant), issued_on=date(2026, 1, 5)
        )
    with pytest.raises(PermissionDenied):
        guard_qualification_record(
            by=factories.GuardFactory(company=tenant.company),
            guard=tenant.guard,
            qualification=_cpr(tenant),
            issued_on=date(2026, 1, 5),
        )

    assert wrong_guard.value.code == "guard_not_found"
    assert not GuardQualification.objects.exists()
