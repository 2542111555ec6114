"""The incident report PDF: what it says, its metadata, its hash, photos at print size, its map."""

from __future__ import annotations

import dataclasses
import io
import math
from datetime import UTC, datetime

import pytest
from PIL import Image

from reports import content_hash, render_incident_report, samples
from reports.documents import Issuer
from reports.pdf.incident import PHOTO_BOX
from tests.reports.pdfread import FOOTER_HASH, assert_footers, flat, images, page_texts, read, text

BASE = "https://portal.example.com"


def render(doc, **kwargs) -> bytes:
    return render_incident_report(doc, verify_base_url=BASE, **kwargs)


def test_prints_the_report_its_metadata_and_the_verifiable_hash():
    # given an approved report with photos, persons, an emergency section and a map
    doc = samples.incident_report()
    # when it is rendered
    pdf = render(doc, generated_at=datetime(2025, 3, 5, 12, 0, tzinfo=UTC))
    # then it reads as the report, in the site's zone
    words = flat(text(pdf))
    for expected in ("Incident report IR-2025-00412", "Version 2", "Trespass", "Midtown Lofts", "Building B, unit 214",
                     "Mon 03 Mar 2025 22:12 EST", "by Dana Whitfield", "Jordan Reyes", "APD 25-063-0412",
                     "North stairwell", "Late filing", "GPS accuracy (12 m)", "Photos (2)", "Roof door, view 1"):
        assert expected in words, expected
    metadata = read(pdf).metadata
    assert metadata.title == "Incident report IR-2025-00412 v2"
    assert metadata.author == "Peachtree Guard Services"
    assert "Trespass at Midtown Lofts" in str(metadata.subject)
    # and every page's footer carries the content hash, its verify URL, the period and the generation time
    assert_footers(pdf, digest=content_hash(doc), verify_base=BASE, covers="incident of 3 Mar 2025 22:12 EST")
    assert all("generated 2025-03-05 07:00 EST" in page for page in page_texts(pdf))


def test_the_hash_is_of_the_content_not_of_the_rendering():
    doc = samples.incident_report(photos=1)
    first = render(doc, generated_at=datetime(2025, 3, 5, tzinfo=UTC))
    second = render(doc, generated_at=datetime(2025, 4, 1, tzinfo=UTC))
    assert FOOTER_HASH.search(text(first)).group(1) == FOOTER_HASH.search(text(second)).group(1)
    # a changed word, or a changed photo, is another document
    assert content_hash(dataclasses.replace(doc, narrative=doc.narrative + ".")) != content_hash(doc)
    other_photo = dataclasses.replace(doc.photos[0], data=samples.synth_jpeg(7, (800, 600)))
    assert content_hash(dataclasses.replace(doc, photos=(other_photo,))) != content_hash(doc)


def test_a_naive_time_is_refused():
    doc = dataclasses.replace(samples.incident_report(photos=0), occurred_at=datetime(2025, 3, 4, 3, 12))  # noqa: DTZ001
    with pytest.raises(ValueError, match="naive"):
        content_hash(doc)


def test_a_long_narrative_runs_over_several_pages_with_every_word():
    paragraph = ("The patrol continued along the east fence line, checking each gate and the loading dock doors; "
                 "nothing was out of place and the lights were on. ") * 6
    narrative = "\n\n".join(f"{i}. {paragraph}" for i in range(1, 41)) + "\n\nLast line of the narrative."
    pdf = render(samples.incident_report(narrative=narrative, photos=0))
    texts = page_texts(pdf)
    assert len(texts) >= 4
    assert "Last line of the narrative." in flat(texts[-1]) or "Last line of the narrative." in flat(texts[-2])
    assert all(f"{i}. The patrol" in flat(text(pdf)) for i in (1, 20, 40))


def test_photos_are_embedded_at_print_size_without_their_exif():
    # given a 12-megapixel photo carrying GPS EXIF
    source = Image.open(io.BytesIO(samples.synth_jpeg(3, (4000, 3000))))
    exif = Image.Exif()
    exif[0x8825] = {2: (33.0, 46.0, 48.0), 4: (84.0, 23.0, 17.0)}  # GPS latitude / longitude
    exif[0x010F] = "PhoneMaker"
    with_exif = io.BytesIO()
    source.save(with_exif, "JPEG", quality=85, exif=exif)
    doc = samples.incident_report(photos=1)
    doc = dataclasses.replace(doc, photos=(dataclasses.replace(doc.photos[0], data=with_exif.getvalue()),))
    # when the report is rendered
    pdf = render(doc)
    # then the one image is no larger than its printed box at 150 dpi, and has no EXIF
    [image] = images(pdf)
    assert image.width <= math.ceil(PHOTO_BOX[0] * 150 / 72)
    assert image.height <= math.ceil(PHOTO_BOX[1] * 150 / 72)
    assert image.width >= 300
    assert b"Exif" not in image.data
    assert b"PhoneMaker" not in image.data
    assert len(pdf) < 400_000


def test_an_unreadable_photo_is_said_so_and_the_rest_prints():
    doc = samples.incident_report(photos=1)
    broken = dataclasses.replace(doc.photos[0], data=b"not an image at all")
    pdf = render(dataclasses.replace(doc, photos=(broken, doc.photos[0])))
    assert "This photo could not be read." in text(pdf)
    assert len(images(pdf)) == 1


def test_a_transparent_png_logo_prints_over_white():
    logo = Image.new("RGBA", (600, 200), (0, 0, 0, 0))
    logo.paste((11, 83, 148, 255), (0, 0, 200, 200))
    buffer = io.BytesIO()
    logo.save(buffer, "PNG")
    doc = dataclasses.replace(samples.incident_report(photos=0), issuer=Issuer("Peachtree", buffer.getvalue()))
    [image] = images(render(doc))
    decoded = Image.open(io.BytesIO(image.data)).convert("RGB")
    pixel = decoded.getpixel((decoded.width - 5, decoded.height // 2))
    assert isinstance(pixel, tuple)
    assert min(pixel) > 240  # white, not black
