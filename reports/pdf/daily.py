"""Daily activity report PDF: one site's day, from the guards on duty to the tour they walked."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from reportlab.lib.units import inch
from reportlab.platypus import Flowable, KeepTogether, Paragraph, Spacer

from reports.documents import DailyActivityDoc
from reports.pdf.base import (
    BODY,
    CELL,
    PAGE_SIZE,
    SMALL,
    STATEMENT,
    Progress,
    Section,
    build_pdf,
    cell_text,
    esc,
    hhmm,
    long_date,
    para,
    period_label,
    register,
    table,
)
from reports.pdf.common import letterhead, meta_for
from reports.pdf.maps import tour_map

WIDTH = PAGE_SIZE[0] - 1.2 * inch


def _plural(count: int, word: str) -> str:
    return f"{count} {word}" if count == 1 else f"{count} {word}s"


def day_summary(doc: DailyActivityDoc) -> list[str]:
    """The day in a few positive sentences: coverage, the tour, incidents, exceptions.

    Printed at the top of every DAR, so a day with nothing happening reads as a clean day
    ("All 42 checkpoints scanned; no incidents"), never as an empty page.
    """
    coverage = doc.coverage
    lines = [
        f"{coverage.shifts_covered} of {_plural(coverage.shifts_scheduled, 'shift')} covered, "
        f"{coverage.on_post_ratio * 100:.1f} % on post."
    ]
    scanned = {scan.checkpoint for scan in doc.scans}
    names = [c.name for c in doc.checkpoints]
    missed = [name for name in names if name not in scanned]
    tour = (
        f"All {len(names)} checkpoints scanned" if names and not missed
        else f"{len(names) - len(missed)} of {len(names)} checkpoints scanned (not scanned: {', '.join(missed[:8])}"
        + (" …)" if len(missed) > 8 else ")")
        if names else "No checkpoint tour on this site"
    )
    incidents = "no incidents" if not doc.incidents else _plural(len(doc.incidents), "incident")
    exceptions = "no exceptions" if not doc.exceptions else _plural(len(doc.exceptions), "exception")
    lines.append(f"{tour}; {incidents}; {exceptions}.")
    return lines


def render_daily_activity(
    doc: DailyActivityDoc, *, verify_base_url: str, generated_at: datetime | None = None,
    progress: Progress | None = None,
) -> bytes:
    """The site's daily activity report as PDF bytes."""
    zone = ZoneInfo(doc.time_zone)
    meta = meta_for(doc, f"Daily activity report, {doc.site_name}, {doc.day.isoformat()}",
                    f"Daily activity report for {doc.site_name} on {long_date(doc.day)}",
                    period_label(doc.day, doc.day), (verify_base_url, generated_at))
    subtitle = f"{long_date(doc.day)} · {doc.address} · for {doc.client_name} · times in {doc.time_zone}"
    story: list[Flowable] = letterhead(doc.issuer, f"Daily activity report — {doc.site_name}", subtitle, WIDTH)
    story += [Paragraph(esc(line), STATEMENT) for line in day_summary(doc)]

    story.append(Section("Guards on duty", "guards"))
    if doc.guards:
        rows = [
            [cell_text(g.guard), cell_text(g.post), f"{hhmm(g.scheduled_start, zone)}–{hhmm(g.scheduled_end, zone)}",
             hhmm(g.arrived_at, zone) if g.arrived_at is None else _seconds(g.arrived_at, zone),
             hhmm(g.departed_at, zone) if g.departed_at is None else _seconds(g.departed_at, zone),
             para(g.note, CELL) if g.note else ""]
            for g in doc.guards
        ]
        story.append(table(["Guard", "Post", "Scheduled", "Arrived", "Departed", "Note"], rows,
                           [1.5 * inch, 1.2 * inch, 0.95 * inch, 0.75 * inch, 0.75 * inch, WIDTH - 5.15 * inch]))
        story.append(Paragraph("Arrival and departure are the recorded clock-in and clock-out, to the second.", SMALL))
    else:
        story.append(Paragraph("No shifts were scheduled on this site for the day.", BODY))

    story += register(
        "Activity log", "activity", ["Time", "Guard", "Entry"],
        [[hhmm(e.at, zone), cell_text(e.guard), para(e.text, CELL)] for e in sorted(doc.activity, key=_at)],
        [0.55 * inch, 1.4 * inch, WIDTH - 1.95 * inch], empty="No activity entries beyond the patrol: a routine day.")
    story += register(
        "Incidents", "incidents", ["Time", "Report", "Type", "Severity", "Summary"],
        [[hhmm(i.occurred_at, zone), cell_text(i.report_id), cell_text(i.incident_type), cell_text(i.severity),
          para(i.summary, CELL)] for i in sorted(doc.incidents, key=lambda i: i.occurred_at)],
        [0.55 * inch, 1.05 * inch, 1.2 * inch, 0.7 * inch, WIDTH - 3.5 * inch], empty="No incidents were reported.")
    story += register(
        "Exceptions", "exceptions", ["Time", "Kind", "Details"],
        [[hhmm(x.at, zone), cell_text(x.kind), para(x.text, CELL)] for x in sorted(doc.exceptions, key=_at)],
        [0.55 * inch, 1.5 * inch, WIDTH - 2.05 * inch],
        empty="No exceptions: every shift started and ended as scheduled.")
    if doc.acknowledgements:
        story += register(
            "Post orders acknowledged", "acknowledgements", ["Time", "Guard", "Post orders", "Version"],
            [[hhmm(a.at, zone), cell_text(a.guard), cell_text(a.post_order), f"v{a.version}"]
             for a in sorted(doc.acknowledgements, key=_at)],
            [0.55 * inch, 1.5 * inch, WIDTH - 2.65 * inch, 0.6 * inch], empty="")

    scanned = {scan.checkpoint for scan in doc.scans}
    drawing = tour_map(doc.fence, doc.restricted_zones, doc.tour_track, doc.checkpoints, scanned, WIDTH, 3.4 * inch)
    if drawing is not None:
        legend = ("Blue: the tour as walked (GPS). Green dots: checkpoints scanned; red rings: not scanned. "
                  "Green outline: the site's fence; red: restricted zones.")
        story.append(KeepTogether([Section("Tour map", "map"), drawing, Spacer(1, 3), Paragraph(legend, SMALL)]))

    if doc.checkpoints or doc.scans:
        story.append(Section(f"Checkpoint scans ({len(doc.scans)})", "scans"))
        times: dict[str, list[datetime]] = {c.name: [] for c in doc.checkpoints}
        for scan in doc.scans:
            times.setdefault(scan.checkpoint, []).append(scan.at)
        # One row per checkpoint with every time it was scanned: a 4-round tour of 42
        # checkpoints is 42 rows that read across the rounds, not 168 that read down.
        rows = [[cell_text(name), str(len(at)), ", ".join(hhmm(t, zone) for t in sorted(at)) or "not scanned"]
                for name, at in times.items()]
        story.append(table(["Checkpoint", "Scans", "Scanned at"], rows,
                           [1.6 * inch, 0.55 * inch, WIDTH - 2.15 * inch], numeric=(1,)))
    return build_pdf(story, meta, progress=progress)


def _seconds(moment: datetime, zone: ZoneInfo) -> str:
    return moment.astimezone(zone).strftime("%H:%M:%S")


def _at(entry: object) -> datetime:
    at: datetime = getattr(entry, "at")  # noqa: B009 (one key for several line types)
    return at
