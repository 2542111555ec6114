"""Small helpers the selectors share for building their query sets."""

from __future__ import annotations

from typing import Any, TypeVar

from django.db.models import Model, QuerySet

from backend.core.errors import NotFound

_Rows = TypeVar("_Rows", bound=QuerySet[Any])
_Row = TypeVar("_Row", bound=Model)


def filter_given(rows: _Rows, **lookups: object) -> _Rows:
    """`rows` filtered on each lookup that was given: a None value means "any", not "IS NULL"."""
    return rows.filter(**{lookup: value for lookup, value in lookups.items() if value is not None})


def one_visible_or_not_found(rows: QuerySet[_Row], *, pk: object, message: str, code: str) -> _Row:
    """The row of `rows` (what the viewer may see) with this key; any other is NotFound, never disclosed."""
    row: _Row | None = rows.filter(pk=pk).first()
    if row is None:
        raise NotFound(message, code=code)
    return row
