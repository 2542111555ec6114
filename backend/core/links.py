"""Links people follow from an e-mail to the item it is about.

One function builds them, so when the manager console exists it takes over here and
every e-mail points there instead of the admin.
"""

from __future__ import annotations

from django.conf import settings
from django.db.models import Model
from django.urls import reverse


def item_link(item: Model) -> str:
    """The absolute address of the page showing `item` (today: its admin change page)."""
    meta = item._meta
    path = reverse(f"admin:{meta.app_label}_{meta.model_name}_change", args=[item.pk])
    return f"{settings.GUARDOPS_BASE_URL}{path}"
