"""Small helpers the selectors share for building their query sets."""

from __future__ import annotations

from collections.abc import Sequence
from operator import attrgetter
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


def catalogue_seed(model: type[_Row], *, company_id: int, entries: Sequence[_Row]) -> list[_Row]:
    """Give a company a default catalogue in two queries; codes it already has are kept as the company set them.

    `entries` are unsaved rows with a `code` unique per company (a constraint on the model:
    the insert skips the codes already there). Returns the company's rows in `entries`' order.
    Every new company runs this for several catalogues, so it must not cost a query per code.
    """
    model._default_manager.bulk_create(entries, ignore_conflicts=True)
    code_of = attrgetter("code")
    codes = [code_of(entry) for entry in entries]
    stored = {code_of(row): row for row in model._default_manager.filter(company_id=company_id, code__in=codes)}
    return [stored[code] for code in codes]
