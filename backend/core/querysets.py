"""Small helpers the selectors share for building their query sets."""

from __future__ import annotations

from typing import Any, TypeVar

from django.db.models import QuerySet

_Rows = TypeVar("_Rows", bound=QuerySet[Any])


def filter_given(rows: _Rows, **lookups: object) -> _Rows:
    """`rows` filtered on each lookup that was given: a None value means "any", not "IS NULL"."""
    return rows.filter(**{lookup: value for lookup, value in lookups.items() if value is not None})
