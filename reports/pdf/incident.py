"""Incident report PDF: header, times, place, narrative, people, emergency, shown flags, map, photos."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from reportlab.lib.units import inch
from reportlab.platypus import Flowable, KeepTogether, Paragraph, Spacer

from reports.documents import IncidentReportDoc
from reports.pdf.base import (
    BODY,
    CELL,
    PAGE_SIZE,
    SMALL,
    Progress,
    Section,
    build_pdf,
    cell_text,
    esc,
    full_time,
    key_values,
    local,
    para,
    paragraphs,
    table,
)
from reports.pdf.common import letterhead, meta_for, photo_grid
from reports.pdf.maps import incident_map
from reports.pdf.photos import prepare_all

WIDTH = PAGE_SIZE[0] - 1.2 * inch
PHOTO_COLUMNS = 2
PHOTO_BOX = (WIDTH / PHOTO_COLUMNS - 12, 2.6 * inch)


def render_incident_report(
    doc: IncidentReportDoc, *, verify_base_url: str, generated_at: datetime | None = None,
    progress: Progress | None = None,
) -> bytes:
    """The incident report as PDF bytes."""
    zone = ZoneInfo(doc.time_zone)
    occurred = local(doc.occurred_at, zone)
    meta = meta_for(doc, f"Incident report {doc.report_id} v{doc.version}",
                    f"{doc.incident_type} at {doc.site_name}, {occurred:%d %b %Y}",
                    f"incident of {occurred.day} {occurred:%b %Y %H:%M %Z}", (verify_base_url, generated_at))
    subtitle = f"Version {doc.version} · {doc.incident_type} · severity {doc.severity} · for {doc.client_name}"
    story: list[Flowable] = letterhead(doc.issuer, f"Incident report {doc.report_id}", subtitle, WIDTH)
    approved = full_time(doc.approved_at, zone) + (f" by {doc.approved_by}" if doc.approved_by else "")
    story.append(
        key_values(
            [
                ("Type", doc.incident_type),
                ("Severity", doc.severity),
                ("Occurred", full_time(doc.occurred_at, zone)),
                ("Filed", f"{full_time(doc.filed_at, zone)} by {doc.filed_by}"),
                ("Approved", approved if doc.approved_at else "not approved"),
                ("Site", doc.site_name),
                ("Unit", doc.unit or "—"),
                ("Address", doc.address),
                ("Where on site", doc.location_detail or "—"),
            ],
            WIDTH,
        )
    )
    story += [Section("Narrative", "narrative"), *paragraphs(doc.narrative)]
    if not doc.narrative.strip():
        story.append(Paragraph("<i>No narrative was written.</i>", BODY))
    if doc.persons:
        story.append(Section("Persons involved", "persons"))
        rows = [[cell_text(p.name), cell_text(p.role), para(p.details, CELL)] for p in doc.persons]
        story.append(table(["Name", "Role", "Details"], rows, [1.6 * inch, 1.1 * inch, WIDTH - 2.7 * inch]))
    if doc.emergency is not None:
        emergency = doc.emergency
        story.append(Section("Emergency services", "emergency"))
        pairs: list[tuple[str, Flowable | str]] = [
            ("Services", ", ".join(emergency.services) or "—"),
            ("Called", full_time(emergency.called_at, zone)),
            ("Arrived", full_time(emergency.arrived_at, zone)),
            ("Reference", emergency.reference or "—"),
        ]
        if emergency.details:
            pairs.append(("Details", emergency.details))
        story.append(key_values(pairs, WIDTH))
    if doc.flags:
        story.append(Section("Notes from review", "flags"))
        story += [Paragraph(f"<b>{esc(flag.label)}</b>: {esc(flag.message)}", BODY) for flag in doc.flags]
    if doc.map is not None:
        drawing = incident_map(
            doc.map.fence, doc.map.restricted_zones, doc.map.position, doc.map.unit, WIDTH, 3.6 * inch
        )
        if drawing is not None:
            legend = "Green: the site's fence. Red: restricted zones. Blue dot: where the report was made"
            legend += (f", with its GPS accuracy ({doc.map.position.accuracy_m:.0f} m)"
                       if doc.map.position and doc.map.position.accuracy_m else "")
            legend += ". Black square: the unit." if doc.map.unit else "."
            story.append(KeepTogether([Section("Map", "map"), drawing, Spacer(1, 3), Paragraph(esc(legend), SMALL)]))
    if doc.photos:
        story.append(Section(f"Photos ({len(doc.photos)})", "photos"))
        prepared = prepare_all([p.data for p in doc.photos], *PHOTO_BOX)
        story.append(
            photo_grid(
                prepared,
                [p.caption for p in doc.photos],
                [p.taken_at for p in doc.photos],
                zone,
                columns=PHOTO_COLUMNS,
                width=WIDTH,
            )
        )
    return build_pdf(story, meta, progress=progress)
