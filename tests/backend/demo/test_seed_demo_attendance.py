"""The demo gives the attendance pages something to show: a no-show today and qualifications to check."""

from datetime import datetime, timedelta

import pytest
from django.core.management import call_command

from backend.accounts.models import User
from backend.flags.models import Flag, FlagStatus
from backend.rules.findings import FlagCode
from backend.staffing.models import GuardQualification, PostRequirement
from backend.staffing.selectors import qualification_warnings_for_guard, qualifications_missing

pytestmark = pytest.mark.django_db

# A weekday morning in New York: the demo's day shifts are under way.
SEEDED_AT = datetime.fromisoformat("2026-03-11T10:30:00-04:00")


def test_the_demo_has_a_no_show_today_and_qualifications_worth_a_look():
    call_command("seed_demo", now=SEEDED_AT, verbosity=0)
    call_command("seed_demo", now=SEEDED_AT, verbosity=0)  # twice: still one of each

    no_shows = Flag.objects.filter(code=FlagCode.NO_SHOW, status=FlagStatus.OPEN)
    assert no_shows.count() >= 1
    assert no_shows.filter(shift__clock_in_at__isnull=True).count() == no_shows.count()
    expiring = GuardQualification.objects.filter(qualification__code="cpr-first-aid").select_related("guard").first()
    assert expiring is not None
    assert expiring.expires_on is not None
    assert expiring.expires_on - expiring.issued_on > timedelta(days=30)
    lacking = PostRequirement.objects.filter(qualification__code="fire-watch").select_related("post__site").first()
    assert lacking is not None
    a_guard = User.objects.filter(role="guard", company=lacking.post.site.client.company).first()
    assert a_guard is not None
    starts = SEEDED_AT + timedelta(days=1)
    missing = qualifications_missing(
        guard=a_guard, post=lacking.post, starts_at=starts, ends_at=starts + timedelta(hours=8)
    )
    assert [m.qualification.code for m in missing] == ["fire-watch"]
    warnings = qualification_warnings_for_guard(guard=expiring.guard, now=SEEDED_AT)
    assert "cpr-first-aid" in {w.qualification.code for w in warnings}
