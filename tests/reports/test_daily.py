"""The daily activity report: a busy day in full, a quiet day said positively, never a blank page."""

from __future__ import annotations

import dataclasses

from reports import content_hash, render_daily_activity, samples
from reports.documents import Coverage
from tests.reports.pdfread import assert_footers, flat, images, read, text

BASE = "https://portal.example.com/"


def render(doc) -> bytes:
    return render_daily_activity(doc, verify_base_url=BASE)


def test_a_busy_day_lists_guards_with_actual_times_the_log_incidents_and_missed_checkpoints():
    doc = samples.daily_activity()
    pdf = render(doc)
    words = flat(text(pdf))
    for expected in ("Daily activity report — Midtown Lofts", "Tuesday 4 March 2025",
                     "3 of 3 shifts covered, 99.2 % on post",
                     "40 of 42 checkpoints scanned (not scanned: CP-08, CP-09); 1 incident; 1 exception.",
                     "Dana Whitfield", "06:00–14:00", "IR-2025-00412", "Resident of 3C locked out",
                     "Night patrol post orders", "Tour map", "CP-01 4 07:00, 13:00, 19:00, 01:00"):
        assert expected in words, expected
    # actual arrival to the second, not rounded to the schedule
    first = doc.guards[0].arrived_at.astimezone(samples.ZoneInfo(samples.ZONE))
    assert first.strftime("%H:%M:%S") in words
    assert images(pdf) == []  # the map is vector, not a tile
    metadata = read(pdf).metadata
    assert metadata.title == "Daily activity report, Midtown Lofts, 2025-03-04"
    assert metadata.author == "Peachtree Guard Services"
    assert_footers(pdf, digest=content_hash(doc), verify_base=BASE, covers="4 Mar 2025")


def test_a_day_with_nothing_happening_says_so():
    pdf = render(samples.daily_activity(quiet=True))
    words = flat(text(pdf))
    assert "All 42 checkpoints scanned; no incidents; no exceptions." in words
    assert "No incidents were reported." in words
    assert "No activity entries beyond the patrol: a routine day." in words


def test_a_site_without_shifts_or_tour_still_prints_a_page_that_says_so():
    doc = dataclasses.replace(samples.daily_activity(quiet=True), guards=(), checkpoints=(), scans=(),
                              acknowledgements=(), tour_track=(), fence=(), restricted_zones=(),
                              coverage=Coverage(0, 0, 0.0))
    pdf = render(doc)
    words = flat(text(pdf))
    assert len(read(pdf).pages) == 1
    assert "0 of 0 shifts covered" in words
    assert "No checkpoint tour on this site; no incidents; no exceptions." in words
    assert "No shifts were scheduled on this site for the day." in words
