"""PDF reports: the monthly summary of a big client, against a naive build; DAR throughput.

What is measured (in-process, no database: the renderers take plain data):
- monthly: `render_monthly_summary` for a client with 6 sites, 900 shifts, 400 incidents and
  200 photos (synthesised, deterministic 4000×3000 JPEGs of 2-3 MB, as phones take them),
  shown as thumbnails in an appendix. The portal passes each photo's stored 320-px
  thumbnail (`backend.incidents.images.thumbnail_copy`, made at upload), as here; seconds
  per PDF (median of ROUNDS) and pages/s. Also once from the camera originals (the worst
  case: a photo without its thumbnail), where JPEG entropy decoding (~90 ms per 3 MB
  photo, which DCT scaling cannot skip) dominates.
- naive: the same story built the way ReportLab's examples do it: one Paragraph per table
  cell, the original photos embedded (no pre-scaling), `multiBuild` with a
  `TableOfContents` and the "page N of M" canvas that replays every page. Built without
  photos and with a sample of them, the per-photo cost extrapolated to 200 (see naive_seconds).
- DAR: 500 sites' days (the morning batch), each rendered to bytes; DARs/s in one process,
  and the wall time of all 500 over 2 worker processes (the Celery fan-out on this 2-core
  machine: one task per site-day, concurrency 2).
Targets: monthly at least 5x faster than naive and under 5 s; 500 DARs under 120 s on 2 cores.

Run: PYTHONPATH=$PWD .venv/bin/python bench/bench_pdfs.py
Sizes: BENCH_PDF_PHOTOS (200), BENCH_PDF_DARS (500).
"""

from __future__ import annotations

import dataclasses
import io
import statistics
import sys
import time
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any, TypeVar

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from pypdf import PdfReader  # noqa: E402
from reportlab.pdfgen.canvas import Canvas  # noqa: E402
from reportlab.platypus import BaseDocTemplate, Frame, PageBreak, PageTemplate, Paragraph, Table  # noqa: E402
from reportlab.platypus.tableofcontents import TableOfContents  # noqa: E402

from backend.incidents.images import thumbnail_copy  # noqa: E402 (pure Pillow, no Django)
from bench import harness  # noqa: E402
from reports import render_daily_activity, render_monthly_summary, samples  # noqa: E402
from reports.pdf.base import CELL, MARGIN, PAGE_SIZE, TABLE_STYLE, TITLE, Section, esc  # noqa: E402
from reports.pdf.monthly import Kit, monthly_story  # noqa: E402
from reports.pdf.photos import PreparedPhoto  # noqa: E402

PHOTOS = harness.env_int("BENCH_PDF_PHOTOS", 200)
DARS = harness.env_int("BENCH_PDF_DARS", 500)
ROUNDS = 3
DAR_SAMPLE = 60
NAIVE_PHOTO_SAMPLE = 4
WORKERS = 2
TARGET_SPEEDUP = 5.0
TARGET_MONTHLY_S = 5.0
TARGET_BATCH_S = 120.0
BASE = "https://portal.example.com"
T = TypeVar("T")


# --- the naive build -------------------------------------------------------------------------


def naive_table(header, rows, widths, *, numeric=()):
    """Every cell a Paragraph (the usual way to get wrapping and styling in a Table)."""
    cells = [[Paragraph(esc(str(cell)), CELL) if not isinstance(cell, Paragraph) else cell for cell in row]
             for row in [header, *rows]]
    return Table(cells, colWidths=list(widths), repeatRows=1, style=TABLE_STYLE)


def naive_photos(photos, box_width, box_height):
    """The original bytes, drawn at the box size: every pixel goes into the PDF."""
    from PIL import Image

    prepared = []
    for data in photos:
        with Image.open(io.BytesIO(data)) as image:
            width, height = image.size
        scale = min(box_width / width, box_height / height)
        prepared.append(PreparedPhoto(data, width * scale, height * scale, width, height))
    return prepared


class NumberedCanvas(Canvas):  # type: ignore[misc]
    """ReportLab's "page N of M" recipe: keep every page's state, draw the totals on save."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._pages: list[dict[str, Any]] = []

    def showPage(self) -> None:  # noqa: N802
        self._pages.append(dict(self.__dict__))
        self._startPage()

    def save(self) -> None:
        total = len(self._pages)
        for state in self._pages:
            self.__dict__.update(state)
            self.setFont("Helvetica", 7)
            self.drawRightString(PAGE_SIZE[0] - MARGIN, MARGIN, f"page {self._pageNumber} of {total}")
            super().showPage()
        super().save()


class NaiveDoc(BaseDocTemplate):  # type: ignore[misc]
    def __init__(self, buffer: io.BytesIO) -> None:
        super().__init__(buffer, pagesize=PAGE_SIZE, leftMargin=MARGIN, rightMargin=MARGIN, topMargin=MARGIN,
                         bottomMargin=MARGIN * 2)
        self.addPageTemplates([PageTemplate(frames=[Frame(self.leftMargin, self.bottomMargin, self.width,
                                                          self.height)])])

    def afterFlowable(self, flowable: Any) -> None:  # noqa: N802
        if isinstance(flowable, Section):
            self.notify("TOCEntry", (0, flowable.toc_title, self.page))


def naive_monthly(doc) -> bytes:
    toc = TableOfContents()
    story = [Paragraph("Contents", TITLE), toc, PageBreak(),
             *monthly_story(doc, kit=Kit(tabulate=naive_table, prepare_photos=naive_photos))]
    buffer = io.BytesIO()
    NaiveDoc(buffer).multiBuild(story, canvasmaker=NumberedCanvas)
    return buffer.getvalue()


# --- measuring ---------------------------------------------------------------------------------


def pages(pdf: bytes) -> int:
    return len(PdfReader(io.BytesIO(pdf)).pages)


def timed(function: Callable[..., T], *args: Any) -> tuple[T, float]:
    started = time.perf_counter()
    result = function(*args)
    return result, time.perf_counter() - started


def _render_dar(doc) -> int:
    return len(render_daily_activity(doc, verify_base_url=BASE))


def naive_seconds(doc, photo_pages: int) -> tuple[float, int, int]:
    """(seconds, pages, bytes) of the naive build with every photo, from a sample of photos.

    The photos draw at the same size as in the real build, so they take the same
    `photo_pages` pages.

    The naive build spends ~5 s per 3 MB photo per layout pass in ReportLab's pure-Python
    ASCII85 encoder, so all 200 would take over half an hour: it is built without photos
    and with NAIVE_PHOTO_SAMPLE photos, and the per-photo cost is extrapolated.
    """
    bare = dataclasses.replace(doc, photos=())
    bare_pdf, bare_s = timed(naive_monthly, bare)
    sample = dataclasses.replace(doc, photos=doc.photos[:NAIVE_PHOTO_SAMPLE])
    sample_pdf, sample_s = timed(naive_monthly, sample)
    per_photo_s = (sample_s - bare_s) / NAIVE_PHOTO_SAMPLE
    per_photo_bytes = (len(sample_pdf) - len(bare_pdf)) / NAIVE_PHOTO_SAMPLE
    print(f"naive:   {bare_s:.2f} s without photos ({pages(bare_pdf)} pages); {per_photo_s:.2f} s and "
          f"{per_photo_bytes / 1e6:.1f} MB per full-size photo (sample of {NAIVE_PHOTO_SAMPLE})")
    return (bare_s + per_photo_s * len(doc.photos), pages(bare_pdf) + photo_pages,
            int(len(bare_pdf) + per_photo_bytes * len(doc.photos)))


def main() -> int:
    started = time.perf_counter()
    originals = samples.monthly_summary(sites=6, shifts=900, incidents=400, photos=PHOTOS)
    photo_mb = sum(len(t.photo.data) for t in originals.photos) / 1e6
    print(f"data: 6 sites, {len(originals.shifts)} shifts, {len(originals.incidents)} incidents, "
          f"{len(originals.photos)} photos 4000x3000 ({photo_mb:.0f} MB), synthesised in "
          f"{time.perf_counter() - started:.1f} s")
    # The portal passes each photo's stored 320-px thumbnail (made by a Celery task at upload).
    thumbs, thumbs_s = timed(lambda: tuple(
        dataclasses.replace(t, photo=dataclasses.replace(t.photo, data=thumbnail_copy(t.photo.data)))
        for t in originals.photos))
    doc = dataclasses.replace(originals, photos=thumbs)
    print(f"stored thumbnails (upload pipeline, not part of the PDF): {thumbs_s / max(1, len(thumbs)) * 1000:.0f} ms "
          f"each")

    times = []
    for _ in range(ROUNDS):
        pdf, seconds = timed(lambda: render_monthly_summary(doc, verify_base_url=BASE))
        times.append(seconds)
    monthly_s = statistics.median(times)
    monthly_pages = pages(pdf)
    print(f"monthly: {monthly_s:.2f} s per PDF (rounds {', '.join(f'{t:.2f}' for t in times)}), {monthly_pages} pages, "
          f"{monthly_pages / monthly_s:.1f} pages/s, {len(pdf) / 1e6:.1f} MB")
    from_originals, originals_s = timed(lambda: render_monthly_summary(originals, verify_base_url=BASE))
    print(f"monthly from camera originals (no stored thumbnails): {originals_s:.2f} s, "
          f"{len(from_originals) / 1e6:.1f} MB (decoding 200 x 3 MB JPEGs dominates)")
    del from_originals

    bare_pages = pages(render_monthly_summary(dataclasses.replace(doc, photos=()), verify_base_url=BASE))
    naive_s, naive_pages, naive_bytes = naive_seconds(originals, monthly_pages - bare_pages)
    speedup = naive_s / monthly_s
    print(f"naive:   {naive_s:.1f} s per PDF (extrapolated), {naive_pages} pages, {naive_pages / naive_s:.2f} pages/s, "
          f"{naive_bytes / 1e6:.0f} MB -> {speedup:.0f}x slower than the summary "
          f"({naive_s / originals_s:.0f}x than the summary from originals)")

    dars = [samples.daily_activity(site=i, quiet=i % 3 == 0) for i in range(DARS)]
    sizes, serial_s = timed(lambda: [_render_dar(d) for d in dars[:DAR_SAMPLE]])
    per_s = DAR_SAMPLE / serial_s
    with ProcessPoolExecutor(max_workers=WORKERS) as pool:
        list(pool.map(_render_dar, dars[:WORKERS]))  # workers up, imports done, like a warm Celery pool
        _, batch_s = timed(lambda: list(pool.map(_render_dar, dars, chunksize=8)))
    fits = batch_s < TARGET_BATCH_S
    print(f"DAR: {per_s:.1f} DARs/s in one process ({1000 / per_s:.0f} ms each, "
          f"{statistics.mean(sizes) / 1e3:.0f} kB); "
          f"{DARS} over {WORKERS} processes in {batch_s:.1f} s ({DARS / batch_s:.1f}/s): "
          f"{'fits' if fits else 'does NOT fit'} in {TARGET_BATCH_S:.0f} s")

    failures = []
    if speedup < TARGET_SPEEDUP:
        failures.append(f"monthly only {speedup:.1f}x the naive build (target {TARGET_SPEEDUP:.0f}x)")
    if monthly_s >= TARGET_MONTHLY_S:
        failures.append(f"monthly {monthly_s:.2f} s (target < {TARGET_MONTHLY_S:.0f} s)")
    if not fits:
        failures.append(f"{DARS} DARs took {batch_s:.1f} s (target < {TARGET_BATCH_S:.0f} s)")
    return harness.finish(
        failures,
        f"RESULT bench_pdfs monthly_s={monthly_s:.2f} monthly_pages={monthly_pages} "
        f"pages_per_s={monthly_pages / monthly_s:.1f} monthly_mb={len(pdf) / 1e6:.1f} "
        f"monthly_from_originals_s={originals_s:.2f} naive_s={naive_s:.1f} "
        f"naive_pages_per_s={naive_pages / naive_s:.2f} naive_mb={naive_bytes / 1e6:.0f} speedup={speedup:.1f} "
        f"dar_per_s={per_s:.1f} dar_batch_s={batch_s:.1f} dar_batch_workers={WORKERS} dars={DARS}",
    )


if __name__ == "__main__":
    sys.exit(main())
