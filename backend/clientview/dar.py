"""A daily activity report as the portal lists it: each line with a key, so a contact can ask about one.

The DAR's data is the PDF's (`reports.documents.DailyActivityDoc`, assembled by
`backend.documents`), so the page and the PDF say the same; here it is cut into lines
(guards on duty, activity, incidents, exceptions, post orders, scans), each named by its
section and its place in the document ("activity-3"). Asking about a line quotes it on the
concern as it read (`dar_entry`), whatever happens to the data later.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from backend.core.errors import NotFound
from backend.core.localtime import TIME, local_time
from reports.documents import DailyActivityDoc


@dataclass(frozen=True)
class DarLine:
    key: str
    at: datetime | None
    who: str
    text: str


@dataclass(frozen=True)
class DarSection:
    key: str
    title: str
    lines: list[DarLine]


_NEVER = datetime.min.replace(tzinfo=UTC)


def _sorted(lines: list[DarLine]) -> list[DarLine]:
    return sorted(lines, key=lambda line: (line.at is None, line.at or _NEVER, line.key))


def dar_sections(doc: DailyActivityDoc) -> list[DarSection]:
    """The DAR's lines by section, in the PDF's order; within a section by time."""
    zone = doc.time_zone

    def span(start: datetime, end: datetime) -> str:
        return f"{local_time(start, zone, TIME)}–{local_time(end, zone, TIME)}"

    guards = [
        DarLine(
            f"guard-{index}",
            guard.arrived_at or guard.scheduled_start,
            guard.guard,
            f"{guard.post}, scheduled {span(guard.scheduled_start, guard.scheduled_end)}"
            + (f"; arrived {local_time(guard.arrived_at, zone, '%H:%M:%S')}" if guard.arrived_at else "; not arrived")
            + (f", departed {local_time(guard.departed_at, zone, '%H:%M:%S')}" if guard.departed_at else "")
            + (f". {guard.note}" if guard.note else ""),
        )
        for index, guard in enumerate(doc.guards)
    ]
    return [
        DarSection("guards", "Guards on duty", _sorted(guards)),
        DarSection(
            "activity",
            "Activity log",
            _sorted([DarLine(f"activity-{i}", e.at, e.guard, e.text) for i, e in enumerate(doc.activity)]),
        ),
        DarSection(
            "incidents",
            "Incidents",
            _sorted(
                [
                    DarLine(
                        f"incident-{i}", x.occurred_at, x.report_id, f"{x.incident_type} ({x.severity}): {x.summary}"
                    )
                    for i, x in enumerate(doc.incidents)
                ]
            ),
        ),
        DarSection(
            "exceptions",
            "Exceptions",
            _sorted([DarLine(f"exception-{i}", x.at, x.kind, x.text) for i, x in enumerate(doc.exceptions)]),
        ),
        DarSection(
            "acknowledgements",
            "Post orders acknowledged",
            _sorted(
                [
                    DarLine(f"ack-{i}", a.at, a.guard, f"{a.post_order} (version {a.version})")
                    for i, a in enumerate(doc.acknowledgements)
                ]
            ),
        ),
        DarSection(
            "scans",
            "Checkpoint scans",
            _sorted([DarLine(f"scan-{i}", s.at, s.guard, s.checkpoint) for i, s in enumerate(doc.scans)]),
        ),
    ]


def dar_line(doc: DailyActivityDoc, key: str) -> tuple[DarSection, DarLine]:
    """The line `key` names and its section; NotFound for a key this DAR does not have."""
    for section in dar_sections(doc):
        for line in section.lines:
            if line.key == key:
                return section, line
    raise NotFound("This daily report has no such line.", code="dar_line_not_found")


def dar_entry(doc: DailyActivityDoc, key: str) -> str:
    """How a line is quoted on a concern: the report, the day, the section, the time and what it said."""
    section, line = dar_line(doc, key)
    at = f" {local_time(line.at, doc.time_zone, TIME)}" if line.at is not None else ""
    who = f" ({line.who})" if line.who else ""
    text = f"Daily report {doc.day:%a %d %b %Y}, {section.title.lower()}{at}{who}: {line.text}"
    return text if len(text) <= 500 else text[:499] + "…"
