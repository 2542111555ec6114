"""Admin test clients: a company's manager with exactly the demo's manager rights."""

import re

from django.contrib.auth.models import Group, Permission
from django.test import Client

from backend.demo.management.commands.seed_demo import MANAGER_APPS, MANAGER_GROUP


def manager_admin(manager) -> Client:
    """The admin as `manager`, in the demo's "Operations managers" group."""
    group, _ = Group.objects.get_or_create(name=MANAGER_GROUP)
    group.permissions.set(Permission.objects.filter(content_type__app_label__in=MANAGER_APPS))
    manager.groups.add(group)
    client = Client()
    client.force_login(manager)
    return client


def staff_admin(superuser) -> Client:
    client = Client()
    client.force_login(superuser)
    return client


def inline_management_data(response) -> dict[str, str]:
    """The management-form fields of every inline on an admin change page, as rendered."""
    data: dict[str, str] = {}
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        for name, value in formset.management_form.initial.items():
            data[f"{formset.prefix}-{name}"] = str(value)
        for index, form in enumerate(formset.initial_forms):
            for hidden in form.hidden_fields():
                data[f"{formset.prefix}-{index}-{hidden.name}"] = str(hidden.value() or "")
    return data


EXTERNAL_ASSET = re.compile(r"<(?:script|link|img)\b[^>]*\b(?:src|href)=\"(?:https?:)?//", re.IGNORECASE)


def shift_form(
    tenant, *, start: tuple[str, str], end: tuple[str, str], notes: str = "", **extra: str
) -> dict[str, object]:
    """The admin's shift form for `tenant`'s guard and post, with local (date, time) pairs."""
    return {
        "guard": tenant.guard.pk,
        "post": tenant.post.pk,
        "scheduled_start_0": start[0],
        "scheduled_start_1": start[1],
        "scheduled_end_0": end[0],
        "scheduled_end_1": end[1],
        "notes": notes,
        **extra,
    }


def assert_read_only_in_admin(admin: Client, app: str, model: str, row_pk: object, edit: dict[str, str]) -> None:
    """The list and the change page open; nothing can be added, changed (posting `edit`) or deleted."""
    base = f"/admin/{app}/{model}/"
    listing = admin.get(base)
    page = admin.get(f"{base}{row_pk}/change/")
    changed = admin.post(f"{base}{row_pk}/change/", edit)
    added = admin.get(f"{base}add/")
    deleted = admin.post(f"{base}{row_pk}/delete/", {"post": "yes"})

    assert listing.status_code == page.status_code == 200
    assert f'href="{base}add/"'.encode() not in listing.content
    assert b'value="delete_selected"' not in listing.content
    assert b'name="_save"' not in page.content
    assert (changed.status_code, added.status_code, deleted.status_code) == (403, 403, 403)
