"""Validators shared by domain models."""

import zoneinfo
from functools import cache

from django.core.exceptions import ValidationError
from django.db.models import TextChoices

from backend.core.errors import ValidationFailed


@cache
def _known_timezones() -> frozenset[str]:
    return frozenset(zoneinfo.available_timezones())


def validate_timezone(value: str) -> None:
    """Accept only IANA zone names, so local times on reports are never guessed."""
    if value not in _known_timezones():
        raise ValidationError(
            "%(value)s is not a known IANA time zone.", params={"value": value}, code="invalid_timezone"
        )


def chosen_with_note(
    value: str, choices: type[TextChoices], note: str, *, field: str, code: str, prompt: str, note_missing: str
) -> str:
    """A reviewer's pick from `choices` and their note: the note, stripped, once both are acceptable.

    A value outside `choices` is ValidationFailed `code` on `field`, listing the choices
    after `prompt`; "other" without a note is `note_required` on "note", saying `note_missing`.
    """
    if value not in choices.values:
        raise ValidationFailed(f"{prompt}: {', '.join(choices.values)}.", code=code, field=field)
    text = note.strip()
    if value == "other" and not text:
        raise ValidationFailed(note_missing, code="note_required", field="note")
    return text
