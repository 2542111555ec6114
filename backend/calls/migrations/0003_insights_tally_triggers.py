"""The insights' tally of calls and the follow-ups' own company (both for the KPIs' speed).

calls_calltally is kept by statement-level triggers on calls_call (one aggregated upsert per
statement, whatever the number of rows it changed), so every writer keeps it right: the
services, bulk inserts, raw SQL. `calls_tally_rebuild(company)` recounts one company (its
existing calls here, and after a change of the company's time zone).
"""

from django.db import migrations

# The week of a call: the Monday of its date on the company's clock (as insights.insight_weeks).
_WEEK = "date_trunc('week', d.opened_at AT TIME ZONE co.timezone)::date"

# One upsert of the net change per key; `{changes}` is the rows the statement touched, each
# with n = +1 (a call now counted there) or -1 (no longer) and p its preventable part.
_UPSERT = f"""
    INSERT INTO calls_calltally AS t (company_id, zone, week, client_id, disposition_id, calls, preventable)
    SELECT d.company_id, co.timezone, {_WEEK}, d.client_id, d.disposition_id, sum(d.n), sum(d.p)
    FROM ({{changes}}) AS d JOIN accounts_company AS co ON co.id = d.company_id
    GROUP BY 1, 2, 3, 4, 5
    HAVING sum(d.n) <> 0 OR sum(d.p) <> 0
    ON CONFLICT (company_id, zone, week, client_id, disposition_id)
    DO UPDATE SET calls = t.calls + EXCLUDED.calls, preventable = t.preventable + EXCLUDED.preventable;
"""
_ROWS = "SELECT company_id, client_id, disposition_id, opened_at, {sign} AS n, {sign} * (prior_flag_id IS NOT NULL)::int AS p FROM {table}"
_CHANGES = {
    "insert": _ROWS.format(sign=1, table="new_rows"),
    "delete": _ROWS.format(sign=-1, table="old_rows"),
    "update": _ROWS.format(sign=-1, table="old_rows") + " UNION ALL " + _ROWS.format(sign=1, table="new_rows"),
}
_TRANSITIONS = {
    "insert": "REFERENCING NEW TABLE AS new_rows",
    "delete": "REFERENCING OLD TABLE AS old_rows",
    "update": "REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows",
}


def _trigger(op: str) -> str:
    return f"""
CREATE FUNCTION calls_tally_on_{op}() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
{_UPSERT.format(changes=_CHANGES[op])}
    RETURN NULL;
END $$;
CREATE TRIGGER calls_tally_{op} AFTER {op.upper()} ON calls_call
    {_TRANSITIONS[op]} FOR EACH STATEMENT EXECUTE FUNCTION calls_tally_on_{op}();
"""


_REBUILD = f"""
CREATE FUNCTION calls_tally_rebuild(company bigint) RETURNS void LANGUAGE sql AS $$
    DELETE FROM calls_calltally WHERE company_id = company;
{_UPSERT.format(changes=_ROWS.format(sign=1, table="calls_call") + " WHERE company_id = company")}
$$;
SELECT calls_tally_rebuild(id) FROM accounts_company;
"""

_FORWARD = "".join(_trigger(op) for op in _CHANGES) + _REBUILD
_BACKWARD = "".join(
    f"DROP TRIGGER calls_tally_{op} ON calls_call; DROP FUNCTION calls_tally_on_{op}();" for op in _CHANGES
) + "DROP FUNCTION calls_tally_rebuild(bigint);"


class Migration(migrations.Migration):

    dependencies = [
        ('calls', '0002_insights_tally'),
    ]

    operations = [
        migrations.RunSQL(_FORWARD, _BACKWARD),
    ]
