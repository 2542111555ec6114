"""The monthly summary: figures, charts, registers, photos as thumbnails, contents when long."""

from __future__ import annotations

import math
from datetime import UTC, date, datetime, timedelta

from reports import content_hash, render_monthly_summary, samples, summarise
from reports.documents import Issuer, MonthlySummaryDoc, ServiceRequestLine, ShiftLine
from reports.pdf.monthly import THUMB_BOX
from tests.reports.pdfread import FOOTER_HASH, PAGE_OF, flat, images, page_texts, read

BASE = "https://portal.example.com"
START = datetime(2025, 3, 3, 11, 0, tzinfo=UTC)  # 06:00 EST


def render(doc) -> bytes:
    return render_monthly_summary(doc, verify_base_url=BASE)


def test_a_long_summary_opens_with_contents_whose_page_numbers_are_right():
    # given a client month of 6 sites, 900 shifts and 400 incidents
    doc = samples.monthly_summary(photos=8, photo_size=(2000, 1500))
    pdf = render(doc)
    reader = read(pdf)
    texts = page_texts(pdf)
    # then page 1 is the contents, and each entry's number is the page its section starts on
    assert len(texts) > 4
    contents = flat(texts[0])
    assert "Contents" in contents
    assert "Hours scheduled" not in contents
    assert "March 2025" in flat(texts[1])
    outline = reader.outline
    assert [entry.title for entry in outline][:3] == ["Hours and punctuality by site", "Coverage by week",
                                                     "Incidents by type and severity"]
    for entry in outline:
        index = reader.get_destination_page_number(entry)
        title = str(entry.title)
        assert index is not None
        assert f"{title} {index + 1}" in contents, title
        assert title in flat(texts[index])
    # and "page N of M" counts the contents page
    for number, page_text in enumerate(texts, start=1):
        assert PAGE_OF.search(page_text).groups() == (str(number), str(len(texts)))
        assert FOOTER_HASH.search(page_text).group(1) == content_hash(doc)
    assert reader.metadata.title == "Monthly summary — March 2025, Midtown Residential LLC"
    assert reader.metadata.author == "Peachtree Guard Services"
    # registers run over pages with their header row repeated
    register_pages = [t for t in texts if "Shift register" in t or ("Verified h" in t and "Scheduled" in t)]
    assert len(register_pages) > 3
    # photos are thumbnails
    thumbs = images(pdf)
    assert len(thumbs) == 8
    assert all(image.width <= math.ceil(THUMB_BOX[0] * 150 / 72) for image in thumbs)


def test_a_short_summary_has_no_contents_page():
    pdf = render(samples.monthly_summary(sites=1, shifts=20, incidents=5))
    texts = page_texts(pdf)
    assert len(texts) <= 4
    assert "Contents" not in flat(texts[0])
    assert "Monthly summary — March 2025" in flat(texts[0])


def _shift(minutes_late: int | None, verified_h: float) -> ShiftLine:
    clock_in = None if minutes_late is None else START + timedelta(minutes=minutes_late)
    return ShiftLine("North", "Gate", "A. Guard", START, START + timedelta(hours=8), clock_in,
                     None if clock_in is None else START + timedelta(hours=8), int(verified_h * 3600))


def test_figures_count_punctuality_with_the_grace_and_coverage_as_verified_over_scheduled():
    doc = MonthlySummaryDoc(
        issuer=Issuer("Co"), client_name="Client", time_zone="America/New_York",
        period_start=date(2025, 3, 1), period_end=date(2025, 3, 31), sites=("North",),
        shifts=(_shift(-3, 8), _shift(5, 7.5), _shift(6, 7), _shift(None, 0)),
        service_requests=tuple(ServiceRequestLine("North", "Escort", START, START + timedelta(minutes=m))
                               for m in (4, 10, 30)),
    )
    figures = summarise(doc)
    assert (figures.total.on_time, figures.total.late, figures.total.no_show) == (2, 1, 1)
    assert figures.total.coverage == (8 + 7.5 + 7) / 32
    [escort] = figures.responses
    assert (escort.median_minutes, escort.p90_minutes, escort.unanswered) == (10, 30, 0)
    week = next(w for w in figures.weeks if w.hours.shifts)
    assert week.label == "W10 3–9 Mar"
    assert [w.first for w in figures.weeks][0] == date(2025, 3, 1)
    assert figures.weeks[-1].last == date(2025, 3, 31)
