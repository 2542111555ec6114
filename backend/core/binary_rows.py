"""Reading many rows in PostgreSQL's binary format, through Django's cursor wrapper.

Django's psycopg cursors bind parameters on the client and read every value as text, which
psycopg then parses: for the live board's 5,000 rows of 20 columns that parsing costs about
100 ms, half the refresh. Binary results need a server-side-binding cursor; wrapping it the
way Django wraps its own keeps the query in `connection.queries` (debug logging and the
tests' query counts) and in the execute wrappers.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any, cast

import psycopg
from django.db import connection
from django.db.backends.utils import CursorWrapper
from psycopg import pq


@contextmanager
def binary_rows_cursor() -> Iterator[Any]:
    """A Django cursor whose results arrive in binary. Its SQL uses %s placeholders bound by
    the server, as the ORM's `sql_with_params()` gives them."""
    connection.ensure_connection()
    raw = psycopg.Cursor(connection.connection)
    raw.format = pq.Format.BINARY
    # Django's own steps from a driver cursor to its wrapper (BaseDatabaseWrapper._prepare_cursor).
    connection.validate_thread_sharing()
    # (django-stubs types their argument as Django's wrapper; Django passes the driver's cursor.)
    driver_cursor = cast(Any, raw)
    if connection.queries_logged:
        wrapped: CursorWrapper = connection.make_debug_cursor(driver_cursor)
    else:
        wrapped = connection.make_cursor(driver_cursor)
    try:
        yield wrapped
    finally:
        raw.close()


def binary_rows(sql: str, params: Sequence[Any]) -> list[tuple[Any, ...]]:
    """All rows of one query, read in binary."""
    with binary_rows_cursor() as cursor:
        cursor.execute(sql, params)
        return list(cursor.fetchall())
