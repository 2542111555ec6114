"""Post requirements in the console as a manager keeps them: the catalogue, each post's requirements, guards' records.

Managers change the catalogue and guards' qualifications (company-level records); a site
supervisor reads them and may change the requirements of their own sites' posts.
"""

from __future__ import annotations

import io
from datetime import date, timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from backend.incidents.images import jpeg_metadata_blocks
from backend.sites.services import site_assignment_add
from backend.staffing.models import GuardQualification, PostRequirement, PostRequirementChange, Qualification
from backend.staffing.selectors import qualifications_missing
from tests import factories
from tests.conftest import Tenant
from tests.console.conftest import signed_in

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def _q(tenant: Tenant, code: str = "fire-watch") -> Qualification:
    return Qualification.objects.get(company=tenant.company, code=code)


def _supervisor_of(tenant: Tenant):
    supervisor = factories.SupervisorFactory(company=tenant.company)
    site_assignment_add(site=tenant.site, supervisor=supervisor, by=tenant.manager)
    return supervisor


def _scan_with_serial() -> bytes:
    exif = Image.Exif()
    exif[0xA431] = "SERIAL-4242"
    out = io.BytesIO()
    Image.new("RGB", (40, 30), (0, 90, 200)).save(out, format="JPEG", exif=exif)
    return out.getvalue()


# --- The catalogue ----------------------------------------------------------------------


def test_a_manager_adds_a_qualification_and_it_is_offered_for_posts(tenant):
    client = signed_in(tenant.manager)

    response = client.post(
        "/console/qualifications/add", {"name": "Dog handling", "description": "K9 unit course"}, follow=True
    )

    added = Qualification.objects.get(company=tenant.company, name="Dog handling")
    assert added.code == "dog-handling"
    assert "Dog handling added to the catalogue." in response.content.decode()
    assert "Dog handling" in client.get(f"/console/posts/{tenant.post.pk}").content.decode()


@pytest.mark.parametrize(
    ("name", "status", "error"),
    [("", 422, "This field is required."), ("fire watch", 409, "The catalogue already has Fire watch.")],
)
def test_a_nameless_or_duplicate_qualification_is_refused_on_the_form(tenant, name, status, error):
    before = Qualification.objects.count()

    response = signed_in(tenant.manager).post("/console/qualifications/add", {"name": name})

    assert response.status_code == status
    assert error in response.content.decode()
    assert Qualification.objects.count() == before


def test_editing_changes_the_label_and_description_but_not_the_code(tenant):
    fire = _q(tenant)

    response = signed_in(tenant.manager).post(
        f"/console/qualifications/{fire.pk}", {"name": "Fire watch (NFPA)", "description": "8-hour course"}
    )

    assert response.status_code == 302
    fire.refresh_from_db()
    assert (fire.name, fire.description, fire.code) == ("Fire watch (NFPA)", "8-hour course", "fire-watch")


def test_a_qualification_a_post_requires_cannot_be_retired_until_removed_there(tenant):
    PostRequirement.objects.create(post=tenant.post, qualification=_q(tenant))
    client = signed_in(tenant.manager)

    refused = client.post(f"/console/qualifications/{_q(tenant).pk}/retire")
    assert refused.status_code == 409
    assert f"still required at {tenant.post}" in refused.content.decode()
    assert _q(tenant).retired_at is None

    client.post(f"/console/posts/{tenant.post.pk}/requirements/{_q(tenant).pk}/remove")
    retired = client.post(f"/console/qualifications/{_q(tenant).pk}/retire", follow=True)

    assert "Fire watch retired" in retired.content.decode()
    assert _q(tenant).retired_at is not None  # kept, never deleted
    assert f'value="{_q(tenant).pk}"' not in client.get(f"/console/posts/{tenant.post.pk}").content.decode()


def test_a_retired_qualification_stays_on_the_guards_records(tenant):
    GuardQualification.objects.create(guard=tenant.guard, qualification=_q(tenant), issued_on=date(2026, 1, 5))
    client = signed_in(tenant.manager)

    client.post(f"/console/qualifications/{_q(tenant).pk}/retire")

    page = client.get(f"/console/guards/{tenant.guard.pk}").content.decode()
    assert 'data-testid="qualification-fire-watch"' in page
    assert "Retired" in page


def test_a_supervisor_reads_the_catalogue_but_cannot_change_it(tenant):
    client = signed_in(_supervisor_of(tenant))

    page = client.get("/console/qualifications").content.decode()
    added = client.post("/console/qualifications/add", {"name": "Dog handling"})
    retired = client.post(f"/console/qualifications/{_q(tenant).pk}/retire")

    assert "Fire watch" in page
    assert 'data-testid="add-qualification"' not in page
    assert (added.status_code, retired.status_code) == (403, 403)
    assert not Qualification.objects.filter(name="Dog handling").exists()
    assert _q(tenant).retired_at is None


def test_action_urls_refuse_get(tenant):
    client = signed_in(tenant.manager)

    assert client.get("/console/qualifications/add").status_code == 405
    assert client.get(f"/console/qualifications/{_q(tenant).pk}/retire").status_code == 405
    assert client.get(f"/console/posts/{tenant.post.pk}/requirements").status_code == 405
    assert client.get(f"/console/guards/{tenant.guard.pk}/qualifications").status_code == 405
    assert _q(tenant).retired_at is None


# --- A post's requirements --------------------------------------------------------------


def test_adding_and_removing_a_requirement_is_recorded_with_who_and_when(tenant):
    client = signed_in(tenant.manager)
    url = f"/console/posts/{tenant.post.pk}"

    client.post(f"{url}/requirements", {"qualification": _q(tenant).pk})
    assert PostRequirement.objects.filter(post=tenant.post, qualification=_q(tenant)).exists()
    client.post(f"{url}/requirements/{_q(tenant).pk}/remove")

    assert not PostRequirement.objects.filter(post=tenant.post).exists()
    changes = list(PostRequirementChange.objects.filter(post=tenant.post).order_by("pk"))
    assert [(c.change, c.by_id) for c in changes] == [("added", tenant.manager.pk), ("removed", tenant.manager.pk)]
    history = client.get(url).content.decode()
    assert f"Fire watch removed by {tenant.manager}" in history
    assert f"Fire watch added by {tenant.manager}" in history


def test_htmx_gets_the_requirements_fragment_with_a_duplicate_refused_in_it(tenant):
    PostRequirement.objects.create(post=tenant.post, qualification=_q(tenant))

    response = signed_in(tenant.manager).post(
        f"/console/posts/{tenant.post.pk}/requirements",
        {"qualification": _q(tenant).pk},
        headers={"HX-Request": "true"},
    )

    body = response.content.decode()
    assert response.status_code == 409
    assert 'id="requirements"' in body
    assert "<html" not in body
    assert "already requires Fire watch" in body
    assert PostRequirement.objects.filter(post=tenant.post).count() == 1


def test_the_sites_supervisor_changes_its_posts_requirements_but_not_another_sites(tenant):
    supervisor = _supervisor_of(tenant)
    elsewhere = factories.PostFactory(site=factories.SiteFactory(client=tenant.client))
    client = signed_in(supervisor)

    mine = client.post(f"/console/posts/{tenant.post.pk}/requirements", {"qualification": _q(tenant).pk})
    theirs = client.post(f"/console/posts/{elsewhere.pk}/requirements", {"qualification": _q(tenant).pk})

    assert mine.status_code == 302
    assert theirs.status_code == 404
    assert not PostRequirement.objects.filter(post=elsewhere).exists()


def test_the_posts_page_lists_each_posts_requirements_in_few_queries(tenant, django_assert_max_num_queries):
    for _ in range(5):
        post = factories.PostFactory(site=tenant.site)
        PostRequirement.objects.create(post=post, qualification=_q(tenant))
    client = signed_in(tenant.manager)

    with django_assert_max_num_queries(8):
        page = client.get("/console/posts").content.decode()

    assert page.count("Fire watch") == 5


# --- A guard's qualifications ------------------------------------------------------------


def test_a_manager_records_a_qualification_with_a_scan_stripped_of_its_metadata(tenant):
    client = signed_in(tenant.manager)
    scan = SimpleUploadedFile("licence.jpg", _scan_with_serial(), content_type="image/jpeg")

    response = client.post(
        f"/console/guards/{tenant.guard.pk}/qualifications",
        {
            "held-qualification": _q(tenant).pk,
            "held-issued_on": "2026-01-05",
            "held-expires_on": "2028-01-05",
            "held-certificate": scan,
        },
    )

    assert response.status_code == 302
    held = GuardQualification.objects.get(guard=tenant.guard)
    assert (held.issued_on, held.expires_on, held.recorded_by_id) == (
        date(2026, 1, 5),
        date(2028, 1, 5),
        tenant.manager.pk,
    )
    served = client.get(f"/console/guards/{tenant.guard.pk}/qualifications/{held.pk}/certificate").content
    assert b"SERIAL-4242" not in served
    assert jpeg_metadata_blocks(served) == []


@pytest.mark.parametrize(
    ("fields", "error"),
    [
        ({"held-issued_on": "2026-01-05", "held-expires_on": "2025-01-05"}, "It cannot expire before it was issued."),
        ({"held-issued_on": ""}, "This field is required."),
        (
            {"held-issued_on": "2026-01-05", "held-certificate": SimpleUploadedFile("x.jpg", b"not an image")},
            "The file is not a supported image",
        ),
    ],
    ids=["expires-before-issue", "no-issue-date", "not-an-image"],
)
def test_a_bad_record_is_refused_with_the_error_on_the_form(tenant, fields, error):
    response = signed_in(tenant.manager).post(
        f"/console/guards/{tenant.guard.pk}/qualifications", {"held-qualification": _q(tenant).pk, **fields}
    )

    assert response.status_code == 422
    assert error in response.content.decode()
    assert not GuardQualification.objects.exists()


def test_a_supervisor_sees_a_guards_qualifications_but_cannot_record_them(tenant):
    supervisor = _supervisor_of(tenant)
    factories.ShiftFactory(guard=tenant.guard, post=tenant.post)
    GuardQualification.objects.create(guard=tenant.guard, qualification=_q(tenant), issued_on=date(2026, 1, 5))
    client = signed_in(supervisor)

    page = client.get(f"/console/guards/{tenant.guard.pk}").content.decode()
    refused = client.post(
        f"/console/guards/{tenant.guard.pk}/qualifications",
        {"held-qualification": _q(tenant, "cpr-first-aid").pk, "held-issued_on": "2026-01-05"},
    )

    assert 'data-testid="qualification-fire-watch"' in page
    assert 'data-testid="record-qualification"' not in page
    assert refused.status_code == 403
    assert GuardQualification.objects.count() == 1


def test_a_correction_supersedes_the_record_and_the_schedule_check_reads_the_new_one(tenant):
    today = timezone.localdate()
    PostRequirement.objects.create(post=tenant.post, qualification=_q(tenant))
    typo = GuardQualification.objects.create(
        guard=tenant.guard, qualification=_q(tenant), issued_on=today - timedelta(days=400), expires_on=today
    )
    starts = timezone.now() + timedelta(days=3)
    assert qualifications_missing(
        guard=tenant.guard, post=tenant.post, starts_at=starts, ends_at=starts + timedelta(hours=8)
    )
    client = signed_in(tenant.manager)
    url = f"/console/guards/{tenant.guard.pk}/qualifications/{typo.pk}/correct"

    form = client.get(url).content.decode()
    response = client.post(
        url,
        {
            "qualification": _q(tenant).pk,
            "issued_on": (today - timedelta(days=400)).isoformat(),
            "expires_on": (today + timedelta(days=700)).isoformat(),
            "note": "Expiry typed as the issue year",
        },
    )

    assert today.isoformat() in form  # the form starts from the record
    assert response.status_code == 302
    typo.refresh_from_db()
    assert typo.expires_on == today  # the old record is kept as it was
    assert typo.superseded_by.note == "Expiry typed as the issue year"
    assert not qualifications_missing(
        guard=tenant.guard, post=tenant.post, starts_at=starts, ends_at=starts + timedelta(hours=8)
    )
    page = client.get(f"/console/guards/{tenant.guard.pk}").content.decode()
    assert f'data-testid="superseded-{typo.pk}"' in page


def test_a_record_corrected_once_cannot_be_corrected_again_and_a_note_is_required(tenant):
    held = GuardQualification.objects.create(guard=tenant.guard, qualification=_q(tenant), issued_on=date(2026, 1, 5))
    client = signed_in(tenant.manager)
    url = f"/console/guards/{tenant.guard.pk}/qualifications/{held.pk}/correct"
    body = {"qualification": _q(tenant).pk, "issued_on": "2026-01-06"}

    no_note = client.post(url, body)
    first = client.post(url, {**body, "note": "Wrong day"})
    second = client.post(url, {**body, "note": "Again"})

    assert no_note.status_code == 422
    assert first.status_code == 302
    assert second.status_code == 409
    assert f"already corrected by {tenant.manager}" in second.content.decode()
    assert GuardQualification.objects.filter(guard=tenant.guard).count() == 2


def test_another_companys_qualification_record_is_a_404(tenant, other_tenant):
    theirs = GuardQualification.objects.create(
        guard=other_tenant.guard, qualification=_q(other_tenant), issued_on=date(2026, 1, 5)
    )

    response = signed_in(tenant.manager).get(f"/console/guards/{tenant.guard.pk}/qualifications/{theirs.pk}/correct")

    assert response.status_code == 404
