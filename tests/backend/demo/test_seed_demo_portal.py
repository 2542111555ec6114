"""The demo makes the portal worth opening for client1: approved reports, a flag shown, a clean photo, concerns."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.test import Client

from backend.accounts.models import User
from backend.calls.concern_models import Concern
from backend.calls.concerns import concern_status
from backend.calls.models import CallChannel
from backend.demo.portal_demo import ANSWERED_QUESTION, WAITING_QUESTION
from backend.flags.models import Flag
from backend.incidents.images import jpeg_metadata_blocks
from backend.incidents.models import IncidentPhoto, IncidentStatus

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def test_client1_signs_in_and_finds_reports_a_shown_flag_a_photo_and_an_answered_concern(settings):
    call_command("seed_demo", verbosity=0)
    contact = User.objects.get(username="client1")

    # the demo password signs client1 in to the portal
    browser = Client()
    response = browser.post("/portal/login", {"username": "client1", "password": settings.DEMO_PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == "/portal/"
    assert "Riverside Commons Apartments" in browser.get("/portal/").content.decode()

    # approved reports on client1's sites, one with a flag operations chose to show, one with a clean photo
    reports = browser.get("/portal/reports").content.decode()
    assert "clubhouse sounded" in reports
    shown = Flag.objects.get(shown_to_client=True, incident__shift__post__site__client=contact.client)
    assert shown.incident.status == IncidentStatus.APPROVED
    assert shown.message in browser.get(f"/portal/reports/{shown.incident_id}").content.decode()
    photo = IncidentPhoto.objects.get(report__shift__post__site__client=contact.client)
    with photo.display.open("rb") as stored:
        assert jpeg_metadata_blocks(stored.read()) == []

    # a concern answered by the manager, and one waiting for an answer
    concerns = {concern.call.caller_words: concern for concern in Concern.objects.filter(raised_by=contact)}
    assert set(concerns) == {ANSWERED_QUESTION, WAITING_QUESTION}
    answered = concerns[ANSWERED_QUESTION]
    assert answered.call.channel == CallChannel.PORTAL
    assert concern_status(concern=answered, call=answered.call).word == "Answered"
    assert concern_status(concern=concerns[WAITING_QUESTION], call=concerns[WAITING_QUESTION].call).word == (
        "Waiting for an answer"
    )
    thread = browser.get(f"/portal/concerns/{answered.pk}").content.decode()
    assert "every checkpoint of that round was scanned" in thread

    # and `make run`'s banner says where the portal is and who to sign in as
    banner = StringIO()
    call_command("demo_banner", stdout=banner)
    assert "Client portal    http://127.0.0.1:8000/portal/" in banner.getvalue()
    assert "sign in as client1" in banner.getvalue()


def test_seeding_the_portal_twice_adds_nothing():
    call_command("seed_demo", verbosity=0)
    counts = (Concern.objects.count(), IncidentPhoto.objects.count(), Flag.objects.filter(shown_to_client=True).count())

    call_command("seed_demo", verbosity=0)

    assert (
        Concern.objects.count(),
        IncidentPhoto.objects.count(),
        Flag.objects.filter(shown_to_client=True).count(),
    ) == counts
