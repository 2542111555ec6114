"""Monthly (or any period's) summary PDF for a client or one site.

Pages: key figures; hours and punctuality by site; coverage by week (chart); incidents by
type (chart) and severity; flags and their resolution; tour completion; service-request
response times; client concerns; then the registers (late arrivals and no-shows, every
incident, every shift) and, when the document carries them, the incidents' photos as
thumbnails. A contents page comes first when the whole runs past four pages.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from reportlab.lib.units import inch
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Flowable, Paragraph, Spacer, Table

from reports.documents import MonthlySummaryDoc
from reports.figures import MonthlyFigures, ratio, shift_status, summarise
from reports.pdf import base
from reports.pdf.base import (
    BODY,
    CELL,
    PAGE_SIZE,
    SMALL,
    Progress,
    build_pdf,
    cell_text,
    day_time,
    hhmm,
    para,
    period_label,
    table,
)
from reports.pdf.charts import bar_chart, column_chart
from reports.pdf.common import letterhead, meta_for, photo_grid
from reports.pdf.photos import PreparedPhoto, prepare_all

WIDTH = PAGE_SIZE[0] - 1.2 * inch
CONTENTS_AFTER_PAGES = 4
COVERAGE_TARGET = 98.0
THUMB_COLUMNS = 4
THUMB_BOX = (WIDTH / THUMB_COLUMNS - 10, 1.3 * inch)

Tabulate = Callable[..., Table]
PreparePhotos = Callable[[Sequence[bytes], float, float], list[PreparedPhoto | None]]


@dataclass(frozen=True)
class Kit:
    """How tables and photos are made; the bench swaps in the naive ways to measure against."""

    tabulate: Tabulate = table
    prepare_photos: PreparePhotos = prepare_all


def _title(doc: MonthlySummaryDoc) -> str:
    start, end = doc.period_start, doc.period_end
    next_day = end + timedelta(days=1)
    whole_month = start.day == 1 and next_day.day == 1 and (start.year, start.month) == (end.year, end.month)
    span = f"{start:%B %Y}" if whole_month else period_label(start, end)
    return f"{'Monthly' if whole_month else 'Period'} summary — {span}"


def _hours(value: float) -> str:
    return f"{value:,.1f}"


def _key_figures(doc: MonthlySummaryDoc, figures: MonthlyFigures, kit: Kit) -> Flowable:
    total = figures.total
    expected = sum(e for e, _ in figures.tour_completion.values())
    completed = sum(c for _, c in figures.tour_completion.values())
    flags_open = sum(counts.get("open", 0) for counts in figures.flags_by_label.values())
    rows = [
        ["Hours scheduled", _hours(total.scheduled_hours), "GPS-verified on post", _hours(total.verified_hours)],
        ["Coverage", ratio(total.coverage), "Shifts", f"{total.shifts:,}"],
        ["On time", ratio(total.punctuality), "Late / no-show", f"{total.late} / {total.no_show}"],
        ["Incidents", f"{len(doc.incidents):,}", "Tour completion", ratio(completed / expected if expected else None)],
        ["Flags raised", f"{len(doc.flags)} ({flags_open} open)", "Client concerns",
         f"{len(doc.concerns)} ({figures.concerns_open} open)"],
    ]
    return kit.tabulate(["Key figure", "", "", ""], rows, [1.6 * inch, 1.7 * inch, 1.7 * inch, WIDTH - 5 * inch])


def monthly_story(
    doc: MonthlySummaryDoc, *, kit: Kit = Kit(), progress: Progress | None = None  # noqa: B008 (frozen default)
) -> list[Flowable]:
    """The summary's flowables (exposed for the bench, which builds the same story naively)."""
    zone = ZoneInfo(doc.time_zone)
    if progress is not None:
        progress(0.02, "Computing the figures")
    figures = summarise(doc)
    tabulate = kit.tabulate
    scope = doc.site_name or f"{len(doc.sites)} sites"
    story: list[Flowable] = letterhead(
        doc.issuer, _title(doc), f"{doc.client_name} · {scope} · times in {doc.time_zone}", WIDTH
    )
    story.append(_key_figures(doc, figures, kit))
    story.append(Paragraph(
        f"Coverage is GPS-verified time on post divided by scheduled time. A shift is on time when "
        f"clocked in within {doc.grace_minutes} minutes of its start.", SMALL))

    story.append(base.Section("Hours and punctuality by site", "sites"))
    rows: list[list[Any]] = [
        [cell_text(site), f"{h.shifts}", _hours(h.scheduled_hours), _hours(h.verified_hours), ratio(h.coverage),
         ratio(h.punctuality), f"{h.late}", f"{h.no_show}"]
        for site, h in figures.by_site.items()
    ]
    story.append(tabulate(["Site", "Shifts", "Scheduled h", "Verified h", "Coverage", "On time", "Late", "No-show"],
                          rows, [WIDTH - 5.3 * inch] + [0.75 * inch] * 4 + [0.8 * inch, 0.5 * inch, 0.75 * inch],
                          numeric=range(1, 8)))

    story.append(base.Section("Coverage by week", "weeks"))
    weeks = [w for w in figures.weeks if w.hours.shifts]
    story.append(column_chart([w.label for w in weeks], [(w.hours.coverage or 0) * 100 for w in weeks],
                              width=WIDTH, height=1.9 * inch, percent=True, target=COVERAGE_TARGET))
    rows = [[w.label, f"{w.hours.shifts}", _hours(w.hours.scheduled_hours), _hours(w.hours.verified_hours),
             ratio(w.hours.coverage), ratio(w.hours.punctuality)] for w in figures.weeks]
    story.append(tabulate(["Week", "Shifts", "Scheduled h", "Verified h", "Coverage", "On time"], rows,
                          [WIDTH - 4 * inch] + [0.8 * inch] * 5, numeric=range(1, 6)))

    story.append(base.Section("Incidents by type and severity", "incidents"))
    if doc.incidents:
        story.append(bar_chart([t for t, _ in figures.incidents_by_type], [n for _, n in figures.incidents_by_type],
                               width=WIDTH))
        severities = figures.severities
        rows = [[cell_text(kind), *[str(figures.incidents_by_type_severity[kind].get(s, 0)) for s in severities],
                 str(count)] for kind, count in figures.incidents_by_type]
        widths = [WIDTH - 0.75 * inch * (len(severities) + 1)] + [0.75 * inch] * (len(severities) + 1)
        story.append(tabulate(["Type", *severities, "Total"], rows, widths, numeric=range(1, len(severities) + 2)))
    else:
        story.append(Paragraph("No incidents were reported in the period.", BODY))

    story.append(base.Section("Flags raised and how they were resolved", "flags"))
    if figures.flags_by_label:
        resolutions = figures.resolutions
        rows = [[cell_text(label), *[str(counts.get(r, 0)) for r in resolutions], str(sum(counts.values()))]
                for label, counts in sorted(figures.flags_by_label.items())]
        headers = [*resolutions, "Total"]
        widths = [max(0.7 * inch, stringWidth(h, "Helvetica-Bold", 8) + 10) for h in headers]
        story.append(tabulate(["Flag", *headers], rows, [WIDTH - sum(widths), *widths],
                              numeric=range(1, len(headers) + 1)))
    else:
        story.append(Paragraph("No flags were raised in the period.", BODY))

    story.append(base.Section("Tour completion", "tours"))
    if figures.tour_completion:
        rows = [[cell_text(site), f"{expected:,}", f"{completed:,}", ratio(completed / expected if expected else None)]
                for site, (expected, completed) in figures.tour_completion.items()]
        story.append(tabulate(["Site", "Scans expected", "Scans made", "Completion"], rows,
                              [WIDTH - 3.3 * inch, 1.1 * inch, 1.1 * inch, 1.1 * inch], numeric=(1, 2, 3)))
    else:
        story.append(Paragraph("No checkpoint tours are scheduled on these sites.", BODY))

    story.append(base.Section("Service requests", "requests"))
    if figures.responses:
        rows = [[cell_text(r.kind), str(r.requests), _minutes(r.median_minutes), _minutes(r.p90_minutes),
                 str(r.unanswered)] for r in figures.responses]
        story.append(tabulate(["Kind", "Requests", "Median response", "90th percentile", "No response"], rows,
                              [WIDTH - 4.4 * inch] + [1.1 * inch] * 4, numeric=(1, 2, 3, 4)))
    else:
        story.append(Paragraph("No service requests in the period.", BODY))

    story.append(base.Section("Client concerns", "concerns"))
    if doc.concerns:
        median = figures.concern_median_hours
        story.append(Paragraph(
            f"{len(doc.concerns)} raised, {figures.concerns_open} open"
            + (f"; median time to resolve {median:.1f} h." if median is not None else "."), BODY))
        rows = [[day_time(c.raised_at, zone), para(c.site, CELL), para(c.subject, CELL), cell_text(c.status),
                 _resolution(c.raised_at, c.resolved_at)] for c in sorted(doc.concerns, key=lambda c: c.raised_at)]
        story.append(tabulate(["Raised", "Site", "Concern", "Status", "Resolved in"], rows,
                              [1.05 * inch, 1.3 * inch, WIDTH - 4.05 * inch, 0.8 * inch, 0.9 * inch]))
    else:
        story.append(Paragraph("No concerns were raised in the period.", BODY))

    grace = timedelta(minutes=doc.grace_minutes)
    exceptions = [s for s in doc.shifts if shift_status(s, grace) != "on time"]
    story.append(base.Section("Late arrivals and no-shows", "late"))
    if exceptions:
        rows = [[day_time(s.scheduled_start, zone), cell_text(s.site), cell_text(s.guard), hhmm(s.clock_in, zone),
                 shift_status(s, grace) if s.clock_in is None else
                 f"{(s.clock_in - s.scheduled_start).total_seconds() / 60:.0f} min late"]
                for s in sorted(exceptions, key=lambda s: s.scheduled_start)]
        story.append(tabulate(["Scheduled start", "Site", "Guard", "Clock-in", "Status"], rows,
                              [1.2 * inch, WIDTH - 4.6 * inch, 1.5 * inch, 0.8 * inch, 1.1 * inch]))
    else:
        story.append(Paragraph("Every shift started on time.", BODY))

    if doc.incidents:
        story.append(base.Section(f"Incident register ({len(doc.incidents)})", "register"))
        rows = [[day_time(i.occurred_at, zone), cell_text(i.site), cell_text(i.report_id), cell_text(i.incident_type),
                 cell_text(i.severity), str(i.photo_count) if i.photo_count else ""]
                for i in sorted(doc.incidents, key=lambda i: i.occurred_at)]
        story.append(tabulate(["Occurred", "Site", "Report", "Type", "Severity", "Photos"], rows,
                              [1.05 * inch, WIDTH - 5.15 * inch, 1.1 * inch, 1.35 * inch, 0.9 * inch, 0.75 * inch],
                              numeric=(5,)))

    if doc.shifts:
        story.append(base.Section(f"Shift register ({len(doc.shifts)})", "shifts"))
        rows = [[day_time(s.scheduled_start, zone), cell_text(s.site), cell_text(s.guard),
                 f"{hhmm(s.scheduled_start, zone)}–{hhmm(s.scheduled_end, zone)}",
                 hhmm(s.clock_in, zone), hhmm(s.clock_out, zone), f"{s.verified_seconds / 3600:.2f}"]
                for s in sorted(doc.shifts, key=lambda s: (s.scheduled_start, s.site))]
        story.append(tabulate(["Date", "Site", "Guard", "Scheduled", "In", "Out", "Verified h"], rows,
                              [1.05 * inch, WIDTH - 5.3 * inch, 1.45 * inch, 0.9 * inch, 0.55 * inch, 0.55 * inch,
                               0.8 * inch], numeric=(6,)))

    if doc.photos:
        story.append(base.Section(f"Incident photos ({len(doc.photos)})", "photos"))
        story.append(Paragraph("Thumbnails; each incident report's own PDF carries its photos at full print size.",
                               SMALL))
        story.append(Spacer(1, 4))
        if progress is not None:
            progress(0.08, f"Preparing {len(doc.photos)} photos")
        prepared = kit.prepare_photos([t.photo.data for t in doc.photos], *THUMB_BOX)
        story.append(photo_grid(prepared, [f"{t.report_id} · {t.photo.caption}".strip(" ·") for t in doc.photos],
                                [t.photo.taken_at for t in doc.photos], zone, columns=THUMB_COLUMNS, width=WIDTH))
    return story


def _minutes(value: float | None) -> str:
    return "—" if value is None else f"{value:.0f} min"


def _resolution(raised: datetime, resolved: datetime | None) -> str:
    return "open" if resolved is None else f"{(resolved - raised).total_seconds() / 3600:.1f} h"


def summary_meta_title(doc: MonthlySummaryDoc) -> str:
    who = doc.site_name or doc.client_name
    return f"{_title(doc)}, {who}"


def render_monthly_summary(
    doc: MonthlySummaryDoc,
    *,
    verify_base_url: str,
    generated_at: datetime | None = None,
    kit: Kit = Kit(),  # noqa: B008
    progress: Progress | None = None,
) -> bytes:
    """The period summary as PDF bytes (`kit` is for the bench's naive baseline; leave it).

    `progress(share, label)` is told how far it is (a month of a big client takes seconds).
    """
    period = period_label(doc.period_start, doc.period_end)
    meta = meta_for(doc, summary_meta_title(doc), f"Attendance, incidents and service for {doc.client_name}, {period}",
                    period, (verify_base_url, generated_at))
    story = monthly_story(doc, kit=kit, progress=progress)
    return build_pdf(story, meta, contents_after=CONTENTS_AFTER_PAGES, progress=progress, progress_start=0.3)

