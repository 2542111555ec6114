"""Bodies as the phone sends them, shared by the API tests."""

import uuid
from datetime import timedelta

from django.utils import timezone

from tests import geo


def ping(shift, where=geo.INSIDE_CENTER, **overrides):
    """One breadcrumb as the phone sends it, with a fresh UUID, taken a minute ago."""
    return {
        "id": str(uuid.uuid4()),
        "shift_id": shift.pk,
        "lat": where.y,
        "lon": where.x,
        "accuracy_m": 6.0,
        "recorded_at": (timezone.now() - timedelta(minutes=1)).isoformat(),
        **overrides,
    }
