"""binary_rows: the same rows as Django's text cursor, counted like any other query."""

from datetime import UTC, datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from backend.core.binary_rows import binary_rows

pytestmark = pytest.mark.django_db

_SQL = """
SELECT n, 'row ' || n, n / 4.0::float8, NULL::text,
       extract(epoch FROM %s::timestamptz + n * interval '1 hour')::float8
FROM generate_series(1, %s) AS g(n)
WHERE n <> ALL(%s::int[])
ORDER BY n
"""
_PARAMS = [datetime(2026, 12, 1, 6, 30, tzinfo=UTC), 5, [2, 4]]


def test_binary_rows_match_the_text_cursors_rows():
    with connection.cursor() as cursor:
        cursor.execute(_SQL, _PARAMS)
        as_text = cursor.fetchall()

    as_binary = binary_rows(_SQL, _PARAMS)

    assert as_binary == as_text
    assert as_binary[0] == (1, "row 1", 0.25, None, datetime(2026, 12, 1, 7, 30, tzinfo=UTC).timestamp())
    assert [row[0] for row in as_binary] == [1, 3, 5]


def test_a_binary_query_is_counted_with_the_others():
    with CaptureQueriesContext(connection) as captured:
        binary_rows(_SQL, _PARAMS)

    assert len(captured.captured_queries) == 1
    assert "generate_series" in captured.captured_queries[0]["sql"]
