"""Small helpers the selectors share for building their query sets."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime
from operator import attrgetter
from typing import Any, TypeVar

from django.db.models import Count, Model, Q, QuerySet

from backend.core.errors import NotFound

_Rows = TypeVar("_Rows", bound=QuerySet[Any])
_Row = TypeVar("_Row", bound=Model)


def filter_given(rows: _Rows, **lookups: object) -> _Rows:
    """`rows` filtered on each lookup that was given: a None value means "any", not "IS NULL"."""
    return rows.filter(**{lookup: value for lookup, value in lookups.items() if value is not None})


def counts_by(rows: QuerySet[Any], key: str) -> dict[Any, int]:
    """How many of `rows` there are per value of `key` (a value with none is absent): one GROUP BY query."""
    return dict(rows.order_by().values_list(key).annotate(n=Count("pk")).values_list(key, "n"))


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


# --- Keyset paging over (an instant, a UUID), newest first ---------------------------------


def keyset_encode(moment: datetime, key: uuid.UUID) -> str:
    """The `after=` text of a page that ends at this row."""
    return f"{moment.isoformat()}_{key}"


def keyset_decode(text: str) -> tuple[datetime, uuid.UUID] | None:
    """The row a `keyset_encode` text names; None for anything else (the list then starts at the top)."""
    moment, _, key = text.rpartition("_")
    try:
        parsed = datetime.fromisoformat(moment), uuid.UUID(key)
    except ValueError:
        return None
    return parsed if parsed[0].tzinfo is not None else None


def keyset_after(*, moment_field: str, key_field: str, moment: datetime, key: uuid.UUID) -> Q:
    """The rows after (older than) this one, in (moment, key) descending order.

    `moment <= cursor` is implied by the OR but lets an index scan start at the cursor
    instead of filtering every newer row from the top of the index.
    """
    return Q(**{f"{moment_field}__lte": moment}) & (
        Q(**{f"{moment_field}__lt": moment}) | Q(**{moment_field: moment, f"{key_field}__lt": key})
    )
